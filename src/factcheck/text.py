"""Text normalisation shared by anchoring (claim quotes in the article) and quote checking.

One normalisation serves both: NFKC, typographic quotes folded to ASCII, every
dash to ``-``, invisible characters removed, whitespace runs collapsed. Anchoring compares the
result case-sensitively; quotes in sources compare it case-folded (:func:`fold`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
    if text.isascii():  # NFKC and the table change only non-ASCII characters
        return text if _collapsed_ascii(text) else " ".join(text.split())
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
    if text.isprintable():  # one scan: no control character, so no space but " "
        return True
    return not any(space in text for space in _ASCII_SPACES)


def fold(text: str) -> str:
    """Normalise and case-fold: the form quotes in sources are compared in."""
    return normalise(text).casefold()


def count_occurrences(needle: str, haystack: str) -> int:
    """Count non-overlapping occurrences of ``needle`` in ``haystack`` (both already normalised)."""
    if not needle:
        return 0
    return haystack.count(needle)


# --- bounded fuzzy location ---------------------------------------------------------------------
# rapidfuzz's partial_ratio slides the quote over the whole text: its cost grows with the
# product of their lengths (a 3,000-word quote on a 4.6 MB page took 70 s of CPU; 3,000 absent
# claim quotes in a 19 MiB article did not finish in 300 s). Past a budget, only windows of
# the text around the places where the quote's words occur are compared.

#: Characters of text times characters of quote that one pass over the whole text may cost
#: (about 0.03 s on a 2-core machine).
FULL_SCAN_COST = 1_000_000_000
#: Quotes longer than this are matched exactly or not at all: fuzzy location is never tried.
FUZZY_MAX_CHARS = 30_000
#: Quotes longer than this are compared with one span per place, not slid over a window.
LONG_QUOTE = 1_000
#: Windows compared, the places the most of the quote's words point at first.
WINDOWS = 6
#: A run of words more frequent than this in the text says little about where the quote is.
_MAX_HITS = 64
#: Runs of words of the quote looked up in the text (spread over the quote), and their length.
_PROBES = 24
_RUN = 3
#: With an index of the text (anchoring: thousands of short quotes in one article), fewer
#: runs, each looked up by its rarest word, skipped when even that word has more places
#: than this to check.
_INDEXED_PROBES = 8
_MAX_LOOKUPS = 512

_WORD = re.compile(r"\w+")


def closest_alignment(
    quote: str,
    text: str,
    *,
    score_cutoff: float = 0,
    word_starts: Mapping[str, Sequence[int]] | None = None,
) -> tuple[float, int, int] | None:
    """The best ``partial_ratio`` window of ``text`` for ``quote`` (score, start, end), if it
    scores at least ``score_cutoff``; bounded whatever the lengths.

    ``word_starts`` (each whole word of ``text``: where it starts) spares the search for the
    quote's words in the text when the caller has an index. A quote longer than
    :data:`LONG_QUOTE` is compared (``ratio``) with the span its first and last matching words
    mark in each candidate place: ``partial_ratio`` slides a long quote over every position of
    a window, and that costs the square of the quote.
    """
    from rapidfuzz import fuzz

    if not quote or not text or len(quote) > FUZZY_MAX_CHARS:
        return None
    if len(quote) * len(text) <= FULL_SCAN_COST or len(text) <= len(quote):
        found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=score_cutoff)
        return (found.score, found.dest_start, found.dest_end) if found is not None else None
    best: tuple[float, int, int] | None = None
    for place in _places(quote, text, word_starts):
        cutoff = max(score_cutoff, best[0]) if best else score_cutoff
        if len(quote) > LONG_QUOTE:
            start, end = place.span
            score = fuzz.ratio(quote, text[start:end], score_cutoff=cutoff)
            if score and (best is None or score > best[0]):
                best = (score, start, end)
            continue
        low, high = place.window
        found = fuzz.partial_ratio_alignment(quote, text[low:high], score_cutoff=cutoff)
        if found is not None and (best is None or found.score > best[0]):
            best = (found.score, low + found.dest_start, low + found.dest_end)
    return best


@dataclass
class _Place:
    """A place in the text where the quote may be: its runs of words found there."""

    #: The quote's length.
    length: int
    votes: int = 0
    #: (offset in the quote, offset in the text) of the first and last run found here.
    first: tuple[int, int] = (1 << 62, 0)
    last: tuple[int, int] = (-1, 0)
    #: A span of the text around the place, wide enough for the quote to slide over.
    window: tuple[int, int] = (0, 0)

    @property
    def span(self) -> tuple[int, int]:
        """Where the quote would lie: from its first run found here (less the words before
        it) to its last (plus the words after it)."""
        start = self.first[1] - self.first[0]
        end = self.last[1] + self.length - self.last[0]
        return max(0, start), max(start + 1, end)


def _places(quote: str, text: str, word_starts: Mapping[str, Sequence[int]] | None) -> list[_Place]:
    """Where ``quote`` may lie in ``text``: each place where a run of three of the quote's
    words occurs votes for where the quote would start; the most voted places win.

    Runs of words, not single words, so that a quote of common words still points at few
    places; with ``word_starts`` the runs are looked up from the index by their rarest word.
    """
    words = list(_WORD.finditer(quote))
    if not words:
        return []
    bucket = max(64, len(quote) // 4)
    places: dict[int, _Place] = {}
    runs = max(1, len(words) - _RUN + 1)
    step = max(1, runs // (_PROBES if word_starts is None else _INDEXED_PROBES))
    for first in range(0, runs, step):
        run = words[first : first + _RUN]
        start, phrase = run[0].start(), quote[run[0].start() : run[-1].end()]
        if word_starts is None:
            hits = _find_some(text, phrase, _MAX_HITS + 1)
        else:
            rarest = min(run, key=lambda m: len(word_starts.get(m.group(), ())))
            shift = rarest.start() - start
            found = word_starts.get(rarest.group(), ())
            if len(found) > _MAX_LOOKUPS:  # a run of common words: checking it costs too much
                continue
            hits = [at - shift for at in found if text.startswith(phrase, at - shift)]
        if len(hits) > _MAX_HITS:  # a phrase this common says little about where the quote is
            continue
        for at in hits:
            place = places.setdefault(max(0, at - start) // bucket, _Place(len(quote)))
            place.votes += 1
            if start < place.first[0]:
                place.first = (start, at)
            if start > place.last[0]:
                place.last = (start, at)
    chosen = sorted(places.items(), key=lambda item: -item[1].votes)[:WINDOWS]
    for key, place in chosen:
        low = max(0, key * bucket - len(quote) // 2)
        high = min(len(text), key * bucket + bucket + len(quote) + len(quote) // 2)
        if high - low < len(quote):
            low = max(0, high - len(quote))
        place.window = (low, high)
    return [place for _, place in chosen]


def _find_some(text: str, word: str, limit: int) -> list[int]:
    """Up to ``limit`` places of ``word`` in ``text`` (as a substring)."""
    found: list[int] = []
    at = text.find(word)
    while at != -1 and len(found) < limit:
        found.append(at)
        at = text.find(word, at + 1)
    return found
