"""FC501–FC504: a quote result (:class:`factcheck.quotes.QuoteMatch`) as findings.

A quote that could not be looked for on evidence the status rests on is FC504, so a green gate
never hides an unchecked quote; except where the link's own finding (FC401, FC402) already
says why the page could not be read, under ``--offline``, where the verdict says it once, and
for a source cited without a URL (``citation``), which the reports mark instead.
"""

from __future__ import annotations

from factcheck.findings import Code, Finding, Location, finding
from factcheck.load.vocab import Stance, Status
from factcheck.quotes import Copy, QuoteMatch, QuoteResult, QuoteSkip
from factcheck.rules.evidence import NEEDED_STANCE

_PASSAGE_CHARS = 200


def rests_on(status: str, stance: str | None) -> bool:
    """The claim's status rests on evidence of this stance (``None`` is the default, supports)."""
    needed = NEEDED_STANCE.get(Status(status))
    return needed is not None and needed.value == (stance or Stance.SUPPORTS)


def quote_findings(
    match: QuoteMatch | None,
    *,
    status: str,
    stance: str | None,
    location: Location,
    claim: str | None = None,
    url: str | None = None,
    evidence: int | None = None,
    link_reported: bool = False,
) -> list[Finding]:
    """FC501, FC502, FC503 or FC504 for one evidence item's quote result (``link_reported``:
    the item's link already has a finding that says why its page could not be read)."""
    if match is None:
        return []
    if match.result is QuoteResult.SKIPPED:
        if link_reported or not rests_on(status, stance) or match.reason in _NOT_FINDINGS:
            return []
        return [
            finding(
                Code.FC504,
                not_checked(match, url),
                location,
                claim=claim,
                evidence=evidence,
            )
        ]
    where = f" on {url}" if url else ""
    code: str | None = None
    if match.result is QuoteResult.FOUND and match.copy is Copy.ARCHIVE:
        if match.reason != QuoteSkip.PAYWALLED:
            code = Code.FC503
            message = (
                f"the quote is only on the archive copy{where}: it is no longer on the live page"
            )
    elif match.result is QuoteResult.NEAR:
        code = Code.FC502
        copy = " (archive copy)" if match.copy is Copy.ARCHIVE else ""
        message = f"the quote is not exactly{where}{copy}{closest_passage(match)}"
    elif match.result is QuoteResult.MISSING:
        copy = " (archive copy)" if match.copy is Copy.ARCHIVE else ""
        if match.complete_read and rests_on(status, stance):
            code = Code.FC501
            message = f"the quote is not{where}{copy}, which was read completely"
        else:
            code = Code.FC502
            why = (
                "the page was not read completely"
                if not match.complete_read
                else f"the claim's status does not rest on {stance or 'supports'} evidence"
            )
            message = f"the quote is not{where}{copy} ({why})"
        message += closest_passage(match)
    if code is None:
        return []
    return [finding(code, message, location, claim=claim, evidence=evidence)]


#: Skips that are no finding: ``--offline`` is said once by the verdict; a source cited without
#: a URL can never be checked, and the reports say when a status rests only on such sources.
_NOT_FINDINGS = frozenset({QuoteSkip.OFFLINE, QuoteSkip.OFFLINE_SOURCE})

#: Why a quote could not be looked for, in words.
SKIP_WORDS = {
    QuoteSkip.OFFLINE: "offline run",
    QuoteSkip.NOT_FETCHED: "the page could not be fetched",
    QuoteSkip.TRUNCATED: "the page was cut off before its end",
    QuoteSkip.TOO_LITTLE_TEXT: "too little text on the page",
    QuoteSkip.NOT_TEXT: "not a text page",
    QuoteSkip.UNREADABLE: "the page could not be read",
    QuoteSkip.PAYWALLED: "paywalled",
    QuoteSkip.CHALLENGE: "a bot challenge or consent page stood in for the page",
    QuoteSkip.OFFLINE_SOURCE: "an offline source, cited without a URL",
    QuoteSkip.TOO_COMPLEX: "the page is too complex to read within its CPU budget",
}


def not_checked(match: QuoteMatch, url: str | None) -> str:
    """FC504's message: the reason, and what to do."""
    reason = QuoteSkip(match.reason) if match.reason else QuoteSkip.NOT_FETCHED
    why = SKIP_WORDS[reason] + (f": {match.detail}" if match.detail else "")
    where = f" on {url}" if url else ""
    return (
        f"quote not checked{where} ({reason.value}; {why}): open the page and look for it, "
        "cite an archive copy where it can be read (archive_url), or acknowledge it with "
        "ignore: [{code: FC504, reason: …, until: …}]"
    )


def closest_passage(match: QuoteMatch) -> str:
    """``; the closest passage (score 84.2) reads: “…”``; a page without text says so."""
    if match.passage is None or match.score is None:
        return "; the page has no text to compare"
    return f"; the closest passage (score {match.score}) reads: {shorten(match.passage)}"


def shorten(text: str, limit: int = _PASSAGE_CHARS) -> str:
    """``text`` in quotation marks, cut at a word boundary to at most ``limit`` characters."""
    if len(text) > limit:
        cut = text[: limit - 1]
        if not text[limit - 1].isspace() and " " in cut:
            cut = cut[: cut.rindex(" ")]
        text = cut.rstrip() + "…"
    return f"“{text}”"
