"""Links that land on a quoted passage: URL text fragments (``#:~:text=start,end``).

The syntax is the WICG *Text Fragments* draft, which Chromium browsers and Safari follow:
``#:~:text=[prefix-,]textStart[,textEnd][,-suffix]``. Every term is percent-encoded, and the
characters the syntax itself uses (``-``, ``,`` and ``&``) must be encoded too, or a dash in a
quote would read as a prefix marker. A long passage is named by its first and last words
(``textStart,textEnd``), as the browsers' own "copy link to highlight" does: the link stays
short, and the page's wording between them may differ in punctuation without breaking it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote as percent

if TYPE_CHECKING:
    from factcheck.report import EvidenceReport

#: Up to this many words the whole passage is the fragment; past it, its first and last words.
WHOLE_WORDS = 10
#: Words at each end of a long passage.
END_WORDS = 4

_EDGE_PUNCTUATION = " \t\"'“”‘’«»„‚.,;:!?()[]{}…—–-"


def encode_term(term: str) -> str:
    """One term of a text directive, percent-encoded (UTF-8), ``-``, ``,`` and ``&`` included."""
    return percent(term, safe="").replace("-", "%2D")


def text_directive(passage: str) -> str | None:
    """``text=start,end`` (or ``text=whole``) for ``passage``; None when nothing is left."""
    words = [w for w in re.split(r"\s+", passage.strip()) if w]
    if not words:
        return None
    if len(words) <= WHOLE_WORDS:
        whole = " ".join(words).strip(_EDGE_PUNCTUATION)
        return f"text={encode_term(whole)}" if whole else None
    start = " ".join(words[:END_WORDS]).lstrip(_EDGE_PUNCTUATION)
    end = " ".join(words[-END_WORDS:]).rstrip(_EDGE_PUNCTUATION)
    if not start or not end:
        return None
    return f"text={encode_term(start)},{encode_term(end)}"


def passage_url(url: str, passage: str | None) -> str:
    """``url`` with a text fragment that highlights ``passage`` (``url`` alone without one).

    An existing fragment is kept: the directive follows it after ``:~:``, as the draft allows.
    """
    directive = text_directive(passage or "")
    if directive is None:
        return url
    if "#" in url:
        base, _, fragment = url.partition("#")
        fragment = fragment.split(":~:", 1)[0]
        return f"{base}#{fragment}:~:{directive}"
    return f"{url}#:~:{directive}"


def passage_target(item: EvidenceReport) -> str | None:
    """The evidence page, at the quoted passage when the check found it there (on the archive
    copy when only that copy had it); None for a source cited without a URL."""
    if item.url is None:
        return None
    if item.quote is None or item.quote.result != "found" or not item.quote_text:
        return item.url
    if item.quote.copy == "archive" and item.archive_url:
        return passage_url(item.archive_url, item.quote_text)
    return passage_url(item.url, item.quote_text)
