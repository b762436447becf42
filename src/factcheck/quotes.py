"""Quotes in sources: is an evidence item's passage on the page it cites?

The README's finding codes FC501-FC504 rest on it. A quote is ``found`` when its normalised,
case-folded form is on the page (not as part of a larger number); ``near`` when the best fuzzy
window scores at least 90 (``rapidfuzz.fuzz.partial_ratio``; quotes under six words never match
fuzzily); ``missing`` otherwise; ``skipped`` when the page could not be read well enough to say.
A missing quote is an error on a page read completely, whatever its length, for the evidence
the claim's status rests on; a near or missing quote always comes with the closest passage on
the page and its score.

Everything here is pure: the pages come from :mod:`factcheck.links`, already fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from factcheck.text import closest_alignment, fold, normalise

if TYPE_CHECKING:
    from factcheck.extract import PageKind, PageText

# rapidfuzz and the extractor are imported where they are used: the report reads the quote
# results' words without them (``validate`` starts fast).


class QuoteResult(StrEnum):
    FOUND = "found"
    NEAR = "near"
    MISSING = "missing"
    SKIPPED = "skipped"

    @property
    def rank(self) -> int:
        """How much the result tells: a better copy of the page replaces a worse one."""
        return _RANKS[self]

    @property
    def concern(self) -> int:
        """How much it asks of the fact-checker: a claim's quote health is the worst of its
        evidence (missing > near > skipped > found)."""
        return _CONCERNS[self]


_RANKS = {QuoteResult.FOUND: 3, QuoteResult.NEAR: 2, QuoteResult.MISSING: 1, QuoteResult.SKIPPED: 0}
_CONCERNS = {
    QuoteResult.MISSING: 3,
    QuoteResult.NEAR: 2,
    QuoteResult.SKIPPED: 1,
    QuoteResult.FOUND: 0,
}


class QuoteSkip(StrEnum):
    OFFLINE = "offline"
    NOT_FETCHED = "not-fetched"
    TRUNCATED = "truncated"
    #: No longer decided (a page read completely is judged whatever its length); kept so that
    #: reports saved by earlier versions still load.
    TOO_LITTLE_TEXT = "too-little-text"
    NOT_TEXT = "not-text"
    UNREADABLE = "unreadable"
    PAYWALLED = "paywalled"
    #: A bot challenge or a consent page stood in for the page.
    CHALLENGE = "challenge"
    #: Evidence cited without a URL (``citation``: print, an interview, a document on file).
    OFFLINE_SOURCE = "offline-source"
    #: The page's markup is too costly to take apart within its CPU budget.
    TOO_COMPLEX = "too-complex"


class Copy(StrEnum):
    LIVE = "live"
    ARCHIVE = "archive"


#: The fuzzy threshold, on rapidfuzz's 0-100 scale.
NEAR_SCORE = 90.0
#: Quotes shorter than this many words match exactly or not at all.
FUZZY_MIN_WORDS = 6


@dataclass(frozen=True)
class QuoteMatch:
    result: QuoteResult
    #: The skip reason (a :class:`QuoteSkip` value); ``paywalled`` also on a quote found on the
    #: archive copy of paywalled evidence, where the live page was never meant to be checked.
    reason: str | None
    score: float | None
    copy: Copy | None
    #: For ``near`` and ``missing``: the closest passage on the page, as the page words it
    #: (normalised, whole words); its score in ``score``.
    passage: str | None
    truncated: bool
    #: The page was read completely: not truncated, parsed in full, not a challenge, consent or
    #: paywall page, whatever its length. The condition for FC501.
    complete_read: bool
    #: A short explanation for people (why it was skipped, the content type); not in reports.
    detail: str | None = None


def skipped(
    reason: QuoteSkip, detail: str | None = None, *, copy: Copy | None = None
) -> QuoteMatch:
    return QuoteMatch(
        result=QuoteResult.SKIPPED,
        reason=str(reason),
        score=None,
        copy=copy,
        passage=None,
        truncated=reason is QuoteSkip.TRUNCATED,
        complete_read=False,
        detail=detail,
    )


# --- locating a quote on one page -------------------------------------------------------------


@dataclass(frozen=True)
class _Haystack:
    """A page's text in the form quotes are compared in, prepared once per page."""

    #: Case-folded normalised text; for PDF, with line-end hyphens dropped and kept.
    folded: tuple[str, ...]
    #: The same texts normalised but not folded: passages are shown as the page writes them.
    normalised: tuple[str, ...]


_PDF_LINE_HYPHEN = re.compile(r"(\w)[-\u2010\u2011\u00ad][ \t]*\r?\n\s*(?=\w)")


#: Kept for callers of the first version: the page text is normalised like everything else.
normalise_page = normalise


@lru_cache(maxsize=16)
def _haystack(text: str, kind: PageKind) -> _Haystack:
    from factcheck.extract import PageKind

    if kind is PageKind.PDF:
        texts: tuple[str, ...] = (
            _PDF_LINE_HYPHEN.sub(r"\1", text),
            _PDF_LINE_HYPHEN.sub(r"\1-", text),
        )
    else:
        texts = (text,)
    normalised = tuple(normalise_page(t) for t in texts)
    folded = tuple(n.casefold() for n in normalised)
    return _Haystack(folded=folded, normalised=normalised)


def _unfolded(text: str, folded: str, position: int) -> int:
    """The position in ``text`` of ``position`` in ``folded`` (its casefold, longer where "ß"
    became "ss"): the least k whose prefix folds to at least ``position`` characters."""
    if len(text) == len(folded):
        return position
    low, high = 0, min(len(text), position)
    while low < high:
        middle = (low + high) // 2
        if len(text[:middle].casefold()) < position:
            low = middle + 1
        else:
            high = middle
    return low


def _splits_a_number(text: str, start: int, end: int) -> bool:
    """The span ``text[start:end]`` begins or ends inside a number of ``text``."""
    if text[start].isdigit() and start > 0:
        before = text[max(0, start - 2) : start]
        if before[-1].isdigit() or (len(before) == 2 and before[0].isdigit() and before[1] in ".,"):
            return True
    if text[end - 1].isdigit() and end < len(text):
        after = text[end : end + 2]
        if after[0].isdigit() or (len(after) == 2 and after[0] in ".," and after[1].isdigit()):
            return True
    return False


def _exactly_in(needle: str, haystack: str) -> bool:
    """``needle`` occurs in ``haystack``, and not as part of a larger number.

    Words may be cut (a quote is the reader's selection), figures may not: "4 percent" is not on
    a page that says "14 percent", nor "rose to 4" where it says "rose to 4.5".
    """
    start = haystack.find(needle)
    while start >= 0:
        if not _splits_a_number(haystack, start, start + len(needle)):
            return True
        start = haystack.find(needle, start + 1)
    return False


def _closest_passage(quote: str, hay: _Haystack) -> tuple[float, str] | None:
    """The best fuzzy window on the page, whatever its score, as (score, passage).

    One pass of rapidfuzz over the whole text when it is cheap: its bit-parallel search costs
    about 0.4 ms per 100 KB of text for a 20-word quote (measured in benchmarks/quotes.py), and
    it cannot miss a window. A long quote on a long page is compared only with the windows
    around its words (:func:`factcheck.text.closest_alignment`), and a quote over
    :data:`factcheck.text.FUZZY_MAX_CHARS` matches exactly or not at all. ``None`` for a page
    without text, and when no window of a long page has any of the quote's words.
    """
    from rapidfuzz import fuzz

    best: tuple[float, int, int, int] | None = None
    for variant, text in enumerate(hay.folded):
        if not text.strip():
            continue
        if len(text) < len(quote):
            # rapidfuzz would slide the page over the quote: a short page is compared whole.
            score = fuzz.ratio(quote, text)
            if best is None or score > best[0]:
                best = (score, variant, 0, len(text))
            continue
        found = closest_alignment(quote, text)
        if found is not None and (best is None or found[0] > best[0]):
            best = (found[0], variant, found[1], found[2])
    if best is None:
        return None
    score, variant, start, end = best
    text, folded = hay.normalised[variant], hay.folded[variant]
    start, end = _unfolded(text, folded, start), _unfolded(text, folded, end)
    return round(score, 1), _widen(text, start, end)


def _widen(text: str, start: int, end: int, limit: int = 40) -> str:
    """The passage from ``start`` to ``end``, widened to whole words."""
    low = max(0, start - limit)
    while start > low and not text[start - 1].isspace():
        start -= 1
    high = min(len(text), end + limit)
    while end < high and not text[end].isspace():
        end += 1
    return text[start:end].strip()


def _complete_read(page: PageText, truncated: bool) -> bool:
    return (
        page.complete
        and not truncated
        and page.error is None
        and not page.challenge
        and page.interstitial is None
    )


def find_quote(quote: str, page: PageText) -> QuoteMatch:
    """Found, near or missing on one page, whatever the page is (no skip decisions)."""
    complete_read = _complete_read(page, truncated=False)
    needle = fold(quote)
    hay = _haystack(page.text, page.kind)

    def match(result: QuoteResult, score: float | None, passage: str | None) -> QuoteMatch:
        return QuoteMatch(
            result=result,
            reason=None,
            score=score,
            copy=None,
            passage=passage,
            truncated=not page.complete,
            complete_read=complete_read,
        )

    if not needle:
        return match(QuoteResult.MISSING, None, None)
    if any(_exactly_in(needle, text) for text in hay.folded):
        return match(QuoteResult.FOUND, None, None)
    closest = _closest_passage(needle, hay)
    if closest is None:
        return match(QuoteResult.MISSING, None, None)
    score, passage = closest
    if score >= NEAR_SCORE and len(needle.split()) >= FUZZY_MIN_WORDS:
        return match(QuoteResult.NEAR, score, passage)
    return match(QuoteResult.MISSING, score, passage)


# --- the whole decision for one evidence item -------------------------------------------------


class FetchedLink(Protocol):
    """What :func:`check_quote` needs of a :class:`factcheck.links.LinkResult`."""

    @property
    def outcome(self) -> str: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def page(self) -> PageText | None: ...
    @property
    def truncated(self) -> bool: ...
    @property
    def content_type(self) -> str | None: ...


# Link reasons under which the body, if any, is not the cited page.
_NOT_THE_PAGE = frozenset({"bot-blocked", "rate-limited", "soft-404", "connect-timeout"})


def check_quote(
    quote: str,
    live: FetchedLink | None,
    archive: FetchedLink | None,
    *,
    offline: bool,
    paywalled: bool,
) -> QuoteMatch:
    """The quote result for one evidence item: the live page, else its archive copy.

    The archive copy is checked when the live page fails or lacks the quote (for paywalled
    evidence, only the archive copy is); it replaces the live result when it tells more.
    """
    if offline:
        return skipped(QuoteSkip.OFFLINE, "links and quotes not checked (offline)")
    if paywalled:
        if archive is None:
            return skipped(QuoteSkip.PAYWALLED, "paywalled evidence without an archive copy")
        on_archive = _check_copy(quote, archive, Copy.ARCHIVE)
        if on_archive.result is QuoteResult.FOUND:
            return replace(on_archive, reason=str(QuoteSkip.PAYWALLED))
        return on_archive
    on_live = _check_copy(quote, live, Copy.LIVE)
    if on_live.result is QuoteResult.FOUND or archive is None:
        return on_live
    on_archive = _check_copy(quote, archive, Copy.ARCHIVE)
    return on_archive if on_archive.result.rank > on_live.result.rank else on_live


def check_copy(quote: str, link: FetchedLink | None, copy: Copy) -> QuoteMatch:
    """The quote on one copy alone (a ``--shard`` run holds one copy of split evidence)."""
    return _check_copy(quote, link, copy)


def combine_copies(
    on_live: QuoteMatch | None, on_archive: QuoteMatch | None, *, paywalled: bool
) -> QuoteMatch:
    """One evidence item's quote result from the results on each copy, as
    :func:`check_quote` decides it (used when merging ``--shard`` reports)."""
    if paywalled:
        if on_archive is None:
            return skipped(QuoteSkip.PAYWALLED, "paywalled evidence without an archive copy")
        if on_archive.result is QuoteResult.FOUND:
            return replace(on_archive, reason=str(QuoteSkip.PAYWALLED))
        return on_archive
    if on_live is None:
        on_live = skipped(QuoteSkip.NOT_FETCHED, "the live page was not fetched", copy=Copy.LIVE)
    if on_live.result is QuoteResult.FOUND or on_archive is None:
        return on_live
    return on_archive if on_archive.result.rank > on_live.result.rank else on_live


def _check_copy(quote: str, link: FetchedLink | None, copy: Copy) -> QuoteMatch:
    from factcheck.extract import Interstitial, PageKind

    if link is None:
        return skipped(QuoteSkip.NOT_FETCHED, f"the {copy} page was not fetched", copy=copy)
    if link.outcome == "skipped":
        reason = QuoteSkip.OFFLINE if link.reason == "offline" else QuoteSkip.NOT_FETCHED
        return skipped(reason, f"the {copy} link was not checked ({link.reason})", copy=copy)
    page = link.page
    if link.outcome == "broken" or link.reason in _NOT_THE_PAGE or page is None:
        detail = f"the {copy} page could not be had ({link.outcome}: {link.reason})"
        return skipped(QuoteSkip.NOT_FETCHED, detail, copy=copy)
    if page.too_complex:
        return skipped(QuoteSkip.TOO_COMPLEX, page.error, copy=copy)
    if page.error is not None:
        if link.truncated:  # a PDF cut by the cap has lost its cross-reference table
            return skipped(QuoteSkip.TRUNCATED, f"the {copy} page was cut: {page.error}", copy=copy)
        return skipped(QuoteSkip.UNREADABLE, page.error, copy=copy)
    if page.kind is PageKind.OTHER:
        kind = page.content_type or link.content_type or "unknown"
        return skipped(QuoteSkip.NOT_TEXT, f"content type {kind}", copy=copy)
    if page.challenge:
        detail = f"a {page.interstitial or 'challenge'} page stood in for the {copy} page"
        return skipped(QuoteSkip.CHALLENGE, detail, copy=copy)
    if not page.text.strip():
        # Nothing was read (a scanned PDF without a text layer, a page its scripts build, a
        # stream past the decompression cap): "missing" would accuse the source unheard.
        detail = (
            f"no text could be read from the {copy} page (a scan without a text layer, or a "
            "page built by scripts): open it and look for the passage"
        )
        return skipped(QuoteSkip.UNREADABLE, detail, copy=copy)
    truncated = link.truncated or not page.complete
    match = replace(
        find_quote(quote, page),
        copy=copy,
        truncated=truncated,
        complete_read=_complete_read(page, truncated),
    )
    if match.result is not QuoteResult.MISSING or match.complete_read:
        return match
    if truncated:
        return skipped(QuoteSkip.TRUNCATED, f"the {copy} page was not read in full", copy=copy)
    if page.interstitial is Interstitial.PAYWALL:
        return skipped(QuoteSkip.PAYWALLED, f"the {copy} page is behind a paywall", copy=copy)
    detail = f"a {page.interstitial or 'challenge'} page stood in for the {copy} page"
    return skipped(QuoteSkip.CHALLENGE, detail, copy=copy)
