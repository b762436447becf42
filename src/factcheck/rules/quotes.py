"""FC501–FC503: a quote result (:class:`factcheck.quotes.QuoteMatch`) as findings.

Skips report nothing here: the link's own finding says why the page could not be read.
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
) -> list[Finding]:
    """FC501, FC502 or FC503 for one evidence item's quote result (skips report nothing: the
    link's own finding says why the page could not be read)."""
    if match is None:
        return []
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
        message = (
            f"the quote is not exactly{where}{copy}; the closest passage "
            f"(score {match.score}) reads: {_shorten(match.passage or '')}"
        )
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
    if code is None:
        return []
    return [finding(code, message, location, claim=claim, evidence=evidence)]


def _shorten(text: str) -> str:
    if len(text) > _PASSAGE_CHARS:
        text = text[: _PASSAGE_CHARS - 1].rstrip() + "…"
    return f"“{text}”"
