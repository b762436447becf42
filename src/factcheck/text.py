"""Text normalisation shared by anchoring (claim quotes in the article) and quote checking.

One normalisation serves both: NFKC, typographic quotes folded to ASCII, every
dash to ``-``, invisible characters removed, whitespace runs collapsed. Anchoring compares the
result case-sensitively; quotes in sources compare it case-folded (:func:`fold`).
"""

from __future__ import annotations

import unicodedata

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
# Every character of Unicode category Pd (dash punctuation, Unicode 15) plus the minus signs;
# spelled out because scanning the whole code space at import would cost 100 ms of start-up.
_DASHES = (
    "\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a\u2e3a"
    "\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
    "\u2212\u2796"
)
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

_TRANSLATION = str.maketrans(
    {
        **{c: "'" for c in _SINGLE_QUOTES},
        **{c: '"' for c in _DOUBLE_QUOTES},
        **{c: "-" for c in _DASHES},
        **{c: None for c in _INVISIBLE},
    }
)


def normalise(text: str) -> str:
    """Normalise ``text`` as the module docstring says; case is kept."""
    # Invisible characters go first so that NFKC cannot turn them into something visible.
    text = unicodedata.normalize("NFKC", text.translate(_TRANSLATION)).translate(_TRANSLATION)
    if text.isascii() and _collapsed_ascii(text):  # extracted page text mostly is
        return text
    # str.split() and re's \s agree on what whitespace is, and split/join is twice as fast.
    return " ".join(text.split())


_ASCII_SPACES = "\n\t\r\v\f\x1c\x1d\x1e\x1f"


def _collapsed_ascii(text: str) -> bool:
    """An ASCII text whose only whitespace is single spaces between words (a few fast scans,
    where splitting and joining would build a list of every word)."""
    if "  " in text or text[:1] == " " or text[-1:] == " ":
        return False
    return not any(space in text for space in _ASCII_SPACES)


def fold(text: str) -> str:
    """Normalise and case-fold: the form quotes in sources are compared in."""
    return normalise(text).casefold()


def count_occurrences(needle: str, haystack: str) -> int:
    """Count non-overlapping occurrences of ``needle`` in ``haystack`` (both already normalised)."""
    if not needle:
        return 0
    return haystack.count(needle)
