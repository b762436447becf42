"""The result of a run, as one data structure every renderer reads (the JSON report of
docs/json-report.md). Closed sets stay enums to the renderers; a ``StrEnum`` is its JSON word.

:mod:`factcheck.report.json` reads and writes it (``to_json``, ``from_json``),
:mod:`factcheck.report.split` cuts it per claims file, and :func:`gate` decides its gate, for a
run and for a saved report judged again (``report --from --fail-on``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from factcheck.article import ArticleSource
from factcheck.findings import Finding, Severity
from factcheck.links.types import LinkKind, Outcome, Reason
from factcheck.load.vocab import Mode, Stance, Status
from factcheck.policy import FailOn, decide_gate
from factcheck.quotes import Copy, QuoteResult, QuoteSkip

if TYPE_CHECKING:
    from factcheck.archive.suggest import Suggestion
    from factcheck.coverage import CoverageCounts
    from factcheck.links import LinkResult
    from factcheck.quotes import QuoteMatch
    from factcheck.report.merge import ShardInfo
    from factcheck.settings import Setting


def _coerce(obj: object, **enums: type[StrEnum]) -> None:
    """Keep the closed sets typed whoever builds the object (a word becomes its enum member)."""
    for name, enum in enums.items():
        value = getattr(obj, name)
        if value is not None and type(value) is not enum:
            object.__setattr__(obj, name, enum(value))


@dataclass(frozen=True)
class LinkInfo:
    outcome: Outcome
    reason: Reason
    status_code: int | None = None
    final_url: str | None = None
    detail: str = ""

    def __post_init__(self) -> None:
        _coerce(self, outcome=Outcome, reason=Reason)

    @classmethod
    def of(cls, result: LinkResult | None) -> LinkInfo | None:
        if result is None:
            return None
        return cls(
            result.outcome, result.reason, result.status_code, result.final_url, result.detail
        )


@dataclass(frozen=True)
class QuoteInfo:
    result: QuoteResult
    reason: QuoteSkip | None = None
    score: float | None = None
    copy: Copy | None = None
    passage: str | None = None
    truncated: bool = False

    def __post_init__(self) -> None:
        _coerce(self, result=QuoteResult, reason=QuoteSkip, copy=Copy)

    @classmethod
    def of(cls, match: QuoteMatch | None) -> QuoteInfo | None:
        if match is None:
            return None
        reason = QuoteSkip(match.reason) if match.reason is not None else None
        return cls(match.result, reason, match.score, match.copy, match.passage, match.truncated)


@dataclass(frozen=True)
class EvidenceReport:
    #: None for a source cited without a URL (``citation``): never fetched.
    url: str | None
    line: int | None
    column: int | None
    title: str | None = None
    publisher: str | None = None
    stance: Stance = Stance.SUPPORTS
    archive_url: str | None = None
    original_url: str | None = None
    quote_text: str | None = None
    quote_translation: str | None = None
    link: LinkInfo | None = None
    archive_link: LinkInfo | None = None
    quote: QuoteInfo | None = None
    #: The archive copy ``--suggest-archive`` found (or did not find); None when not asked.
    archive_copy: Suggestion | None = None
    citation: str | None = None

    def __post_init__(self) -> None:
        if type(self.stance) is not Stance:  # the common case checked without a call
            _coerce(self, stance=Stance)

    @property
    def cited_as(self) -> str:
        """The URL, or the citation of a source without one."""
        return self.url if self.url is not None else self.citation or ""


@dataclass(frozen=True)
class ClaimReport:
    file: str
    id: str
    status: Status
    line: int | None
    column: int | None
    quote: str
    assertion: str | None = None
    section: str | None = None
    rationale: str | None = None
    evidence: tuple[EvidenceReport, ...] = ()

    def __post_init__(self) -> None:
        if type(self.status) is not Status:  # the common case checked without a call
            _coerce(self, status=Status)

    @property
    def link_health(self) -> Outcome | None:
        """The worst link outcome among the evidence (broken > warning > skipped > ok)."""
        outcomes = [e.link.outcome for e in self.evidence if e.link is not None]
        return max(outcomes, key=lambda outcome: outcome.rank) if outcomes else None

    @property
    def rests_on_offline_sources(self) -> bool:
        """The status rests only on sources cited without a URL: nothing of it was checked."""
        if all(e.url is not None for e in self.evidence):  # most claims: every source a URL
            return False
        from factcheck.rules.evidence import NEEDED_STANCE

        needed = NEEDED_STANCE.get(self.status)
        resting = [e for e in self.evidence if needed is not None and e.stance == needed]
        return bool(resting) and all(e.url is None for e in resting)

    @property
    def quote_health(self) -> QuoteResult | None:
        """The worst quote result among the evidence (missing > near > skipped > found)."""
        results = [e.quote.result for e in self.evidence if e.quote is not None]
        return max(results, key=lambda result: result.concern) if results else None


@dataclass(frozen=True)
class LinkEntry:
    url: str
    kind: LinkKind
    outcome: Outcome
    reason: Reason
    status_code: int | None
    final_url: str | None
    claims: tuple[tuple[str, str], ...]
    from_cache: bool = False
    detail: str = ""

    def __post_init__(self) -> None:
        _coerce(self, kind=LinkKind, outcome=Outcome, reason=Reason)


@dataclass(frozen=True)
class FileReport:
    file: str
    mode: Mode
    article: dict[str, Any]
    article_source: ArticleSource
    gate_passed: bool
    gate_reasons: list[str]
    usable: bool = True
    #: Where the article text came from: the --article path, article.text, or the URL.
    article_origin: str | None = None

    def __post_init__(self) -> None:
        _coerce(self, mode=Mode, article_source=ArticleSource)


@dataclass(frozen=True)
class Gate:
    passed: bool
    fail_on: FailOn
    reasons: list[str]
    offline: bool

    def __post_init__(self) -> None:
        _coerce(self, fail_on=FailOn)


@dataclass(frozen=True)
class BaselineCount:
    """What ``--baseline`` did to a run: ``carried`` known findings, ``new`` ones."""

    source: str
    carried: int
    new: int


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
    #: ``--baseline``: how many findings were known (carried, not gating) and how many new.
    baseline: BaselineCount | None = None
    #: ``--shard K/N``: a partial report, and what the merge needs to finish it.
    shard: ShardInfo | None = None
    #: ``verify --replay``: the day of the capture links and quotes were checked against.
    capture_day: str | None = None

    def status_counts(self) -> dict[str, int]:
        counts = Counter(c.status for c in self.claims)
        return {"total": len(self.claims), **{s.value: counts.get(s, 0) for s in Status}}

    def link_counts(self) -> dict[str, int]:
        counts = Counter(link.outcome for link in self.links)
        return {outcome.value: counts.get(outcome, 0) for outcome in Outcome}

    def severity_counts(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {s.value: counts.get(s, 0) for s in Severity}

    def quote_counts(self) -> dict[str, int]:
        counts = Counter(e.quote.result for c in self.claims for e in c.evidence if e.quote)
        return {result.value: counts.get(result, 0) for result in QuoteResult}

    def quotes_not_checked(self) -> int:
        """Evidence quotes that could not be looked for (skipped, whatever the reason)."""
        return sum(
            1
            for c in self.claims
            for e in c.evidence
            if e.quote is not None and e.quote.result is QuoteResult.SKIPPED
        )

    def findings_for(self, file: str, claim_id: str) -> list[Finding]:
        return [f for f in self.findings if f.file == file and f.claim == claim_id]

    @property
    def exit_code(self) -> int:
        if self.fatal:
            return 2
        return 0 if self.gate.passed else 1


def gate(
    files: Iterable[FileReport], findings: list[Finding], fail_on: FailOn, *, offline: bool
) -> tuple[list[FileReport], Gate]:
    """Each file's gate and the run's: any finding at or above ``fail_on`` fails it, and so
    does a file that cannot be used. For a run, and for a saved report judged again."""
    judged = []
    fatal = False
    by_file: dict[str, list[Finding]] = {}
    for item in findings:  # one pass: a run of 10,000 files must not scan them all per file
        by_file.setdefault(item.file, []).append(item)
    for file in files:
        decision = decide_gate(by_file.get(file.file, ()), fail_on)
        fatal = fatal or not file.usable
        judged.append(
            replace(
                file,
                gate_passed=decision.passed and file.usable,
                gate_reasons=decision.reasons if file.usable else ["the file cannot be used"],
            )
        )
    decision = decide_gate(findings, fail_on)
    return judged, Gate(
        passed=decision.passed and not fatal,
        fail_on=fail_on,
        reasons=decision.reasons + (["a claims file cannot be used"] if fatal else []),
        offline=offline,
    )
