"""The result of a run, as one data structure every renderer reads (SPEC.md's JSON report)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from factcheck.findings import Finding, Severity
from factcheck.load.vocab import Status

if TYPE_CHECKING:
    from factcheck.coverage import CoverageCounts
    from factcheck.links import LinkResult
    from factcheck.quotes import QuoteMatch
    from factcheck.settings import Setting

LINK_OUTCOMES = ("ok", "warning", "broken", "skipped")
QUOTE_RESULTS = ("found", "near", "missing", "skipped")
LINK_RANK = {"broken": 3, "warning": 2, "skipped": 1, "ok": 0}
QUOTE_RANK = {"missing": 3, "near": 2, "skipped": 1, "found": 0}


@dataclass(frozen=True)
class LinkInfo:
    outcome: str
    reason: str
    status_code: int | None = None
    final_url: str | None = None
    detail: str = ""

    @classmethod
    def of(cls, result: LinkResult | None) -> LinkInfo | None:
        if result is None:
            return None
        return cls(
            result.outcome, result.reason, result.status_code, result.final_url, result.detail
        )


@dataclass(frozen=True)
class QuoteInfo:
    result: str
    reason: str | None = None
    score: float | None = None
    copy: str | None = None
    passage: str | None = None
    truncated: bool = False

    @classmethod
    def of(cls, match: QuoteMatch | None) -> QuoteInfo | None:
        if match is None:
            return None
        return cls(
            match.result, match.reason, match.score, match.copy, match.passage, match.truncated
        )


@dataclass(frozen=True)
class EvidenceReport:
    url: str
    line: int | None
    column: int | None
    title: str | None = None
    publisher: str | None = None
    stance: str = "supports"
    archive_url: str | None = None
    original_url: str | None = None
    quote_text: str | None = None
    quote_translation: str | None = None
    link: LinkInfo | None = None
    archive_link: LinkInfo | None = None
    quote: QuoteInfo | None = None


@dataclass(frozen=True)
class ClaimReport:
    file: str
    id: str
    status: str
    line: int | None
    column: int | None
    quote: str
    assertion: str | None = None
    section: str | None = None
    rationale: str | None = None
    evidence: tuple[EvidenceReport, ...] = ()

    @property
    def link_health(self) -> str | None:
        """The worst link outcome among the evidence (broken > warning > skipped > ok)."""
        outcomes = [e.link.outcome for e in self.evidence if e.link is not None]
        return max(outcomes, key=LINK_RANK.__getitem__) if outcomes else None

    @property
    def quote_health(self) -> str | None:
        results = [e.quote.result for e in self.evidence if e.quote is not None]
        return max(results, key=QUOTE_RANK.__getitem__) if results else None


@dataclass(frozen=True)
class LinkEntry:
    url: str
    kind: str
    outcome: str
    reason: str
    status_code: int | None
    final_url: str | None
    claims: tuple[tuple[str, str], ...]
    from_cache: bool = False
    detail: str = ""


@dataclass(frozen=True)
class FileReport:
    file: str
    mode: str
    article: dict[str, Any]
    article_source: str
    gate_passed: bool
    gate_reasons: list[str]
    usable: bool = True
    #: Where the article text came from: the --article path, article.text, or the URL.
    article_origin: str | None = None


@dataclass(frozen=True)
class Gate:
    passed: bool
    fail_on: str
    reasons: list[str]
    offline: bool


@dataclass(frozen=True)
class Report:
    command: str
    tool_version: str
    checked_at: str
    files: list[FileReport]
    claims: list[ClaimReport]
    links: list[LinkEntry]
    findings: list[Finding]
    gate: Gate
    settings: list[Setting] = field(default_factory=list)
    #: The run could not do its job (exit 2): an unusable file, for instance.
    fatal: bool = False
    #: Only some claims were checked (``--claim``).
    partial: bool = False
    links_checked: bool = False
    #: Claim coverage of the article's check-worthy sentences (verify, report), when the
    #: article text was available.
    coverage: CoverageCounts | None = None

    def status_counts(self) -> dict[str, int]:
        counts = Counter(c.status for c in self.claims)
        return {"total": len(self.claims), **{s.value: counts.get(s.value, 0) for s in Status}}

    def link_counts(self) -> dict[str, int]:
        counts = Counter(link.outcome for link in self.links)
        return {outcome: counts.get(outcome, 0) for outcome in LINK_OUTCOMES}

    def severity_counts(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {s.value: counts.get(s, 0) for s in Severity}

    def quote_counts(self) -> dict[str, int]:
        counts = Counter(e.quote.result for c in self.claims for e in c.evidence if e.quote)
        return {result: counts.get(result, 0) for result in QUOTE_RESULTS}

    def findings_for(self, file: str, claim_id: str) -> list[Finding]:
        return [f for f in self.findings if f.file == file and f.claim == claim_id]

    @property
    def exit_code(self) -> int:
        if self.fatal:
            return 2
        return 0 if self.gate.passed else 1


def __getattr__(name: str) -> Any:
    """``Setting`` lives in :mod:`factcheck.settings`; it is still found here."""
    if name == "Setting":
        from factcheck.settings import Setting

        return Setting
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
