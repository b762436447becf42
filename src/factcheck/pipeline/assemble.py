"""The pipeline's state at the end of a run, assembled into a :class:`~factcheck.report.Report`:
the policy applied per file, the gate decided, every claim with its evidence results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from factcheck import __version__
from factcheck.article import ArticleSource
from factcheck.findings import Finding
from factcheck.policy import Policy, apply_policy
from factcheck.report import (
    ClaimReport,
    EvidenceReport,
    FileReport,
    LinkEntry,
    LinkInfo,
    QuoteInfo,
    Report,
    gate,
)

if TYPE_CHECKING:
    from factcheck.coverage import Coverage
    from factcheck.load.model import Claim, Document, Evidence
    from factcheck.pipeline.state import FileState, RunOptions
    from factcheck.report.merge import ShardInfo


@dataclass
class FilePart:
    """What the report keeps of one file: its entry, its claims and its findings (the policy
    applied, each with its key). A run over thousands of files keeps these, not the models."""

    path: str
    file: FileReport
    claims: list[ClaimReport]
    findings: list[Finding]


class Parts:
    """Turns each file's state into its :class:`FilePart` (the same policy, keys and clock for
    every file of a run)."""

    def __init__(self, options: RunOptions, today: date) -> None:
        from factcheck.report.identity import KeyFiles

        self.options = options
        self.today = today
        self.policy = Policy(options.fail_on, options.levels)
        self.keys = KeyFiles(options.paths)

    def part(self, state: FileState) -> FilePart:
        options = self.options
        lookup = _evidence_lookup([state])
        document = state.document
        found = apply_policy(state.findings, self.policy, self.today, lookup)
        key_file = self.keys.key(state.loaded.path, state.path, state.real_path)
        files = {state.loaded.path: key_file}
        return FilePart(
            state.loaded.path,
            FileReport(
                file=state.loaded.path,
                mode=state.mode(options.mode),
                article=document.article.model_dump(mode="json", exclude_none=True)
                if document
                else {},
                article_source=state.article.source if state.article else ArticleSource.NONE,
                gate_passed=False,  # decided by gate() below
                gate_reasons=[],
                usable=state.loaded.usable,
                article_origin=state.article.origin if state.article else None,
            ),
            _claim_reports(state, document) if document is not None else [],
            _keyed(found, files, lookup),
        )


def assemble(
    states: list[FileState],
    links: list[LinkEntry],
    options: RunOptions,
    today: date,
    now: datetime,
    coverage: Coverage | None,
) -> Report:
    parts = Parts(options, today)
    return assemble_parts(
        [parts.part(state) for state in states],
        links,
        options,
        now,
        coverage,
        _shard_info(states, options),
    )


def assemble_parts(
    parts: list[FilePart],
    links: list[LinkEntry],
    options: RunOptions,
    now: datetime,
    coverage: Coverage | None,
    shard: ShardInfo | None = None,
) -> Report:
    all_findings: list[Finding] = []
    files: list[FileReport] = []
    claims: list[ClaimReport] = []
    for part in sorted(parts, key=lambda p: p.path):
        all_findings.extend(part.findings)
        files.append(part.file)
        claims.extend(part.claims)
    all_findings.sort(key=Finding.sort_key)
    offline = bool(options.link_settings is not None and options.link_settings.offline)
    files, decision = gate(files, all_findings, options.fail_on, offline=offline)
    return Report(
        command=options.command,
        tool_version=__version__,
        checked_at=now.isoformat(timespec="seconds"),
        files=files,
        claims=claims,
        links=sorted(links, key=lambda link: link.url),
        findings=all_findings,
        gate=decision,
        settings=list(options.settings),
        fatal=not all(file.usable for file in files),
        partial=bool(options.claim_filter),
        links_checked=options.check_links,
        coverage=coverage.counts if coverage is not None else None,
        shard=shard,
        capture_day=options.capture_day,
    )


def _shard_info(states: list[FileState], options: RunOptions) -> ShardInfo | None:
    """``--shard``: this shard's number, and its half of every evidence item split between
    shards, for the merge (:mod:`factcheck.report.merge`)."""
    if options.shard is None:
        return None
    from factcheck.load.vocab import Access
    from factcheck.report.identity import key_files
    from factcheck.report.merge import DeferredPart, ShardInfo

    files = key_files(options.paths, ((s.loaded.path, s.path) for s in states))
    parts = []
    for state in states:
        if state.document is None:
            continue
        for claim in state.document.claims:
            for index, item in enumerate(claim.evidence):
                checked = state.checked.get((claim.id, index))
                if checked is None or not checked.deferred:
                    continue
                parts.append(
                    DeferredPart(
                        file=state.loaded.path,
                        claim=claim.id,
                        evidence=index,
                        key_file=files.get(state.loaded.path, state.loaded.path),
                        url_at=item.spot("url"),
                        archive_at=item.spot("archive_url"),
                        quote_at=item.spot("quote"),
                        paywalled=item.access is Access.PAYWALLED,
                        complete_read=bool(checked.quote and checked.quote.complete_read),
                        ignore=tuple(
                            (e.code, e.until.isoformat() if e.until else None, e.reason)
                            for e in item.ignore
                        ),
                    )
                )
    levels = {code: level.value for code, level in options.levels.items()}
    return ShardInfo(options.shard.index, options.shard.count, levels, tuple(parts))


def _keyed(
    findings: list[Finding],
    files: dict[str, str],
    lookup: Callable[[Finding], Evidence | None],
) -> list[Finding]:
    """Every finding with its identity (:mod:`factcheck.report.identity`)."""
    from factcheck.report.identity import finding_key

    keyed = []
    for item in findings:
        evidence = lookup(item) if item.evidence is not None else None
        file = files.get(item.file, item.file)
        keyed.append(item.with_key(finding_key(file, item, evidence.url if evidence else None)))
    return keyed


def _evidence_lookup(states: list[FileState]) -> Callable[[Finding], Evidence | None]:
    """The evidence item a finding is about; the claims are indexed on the first question
    (most findings are about no evidence item, and a file often has none that is)."""
    claims: dict[tuple[str, str], Claim] = {}

    def lookup(item: Finding) -> Evidence | None:
        if not claims:
            claims.update(
                ((state.loaded.path, claim.id), claim)
                for state in states
                if state.document is not None
                for claim in state.document.claims
            )
        claim = claims.get((item.file, item.claim or ""))
        if claim is None or item.evidence is None or item.evidence >= len(claim.evidence):
            return None
        return claim.evidence[item.evidence]

    return lookup


def _claim_reports(state: FileState, document: Document) -> list[ClaimReport]:
    reports = []
    results = state.checked  # empty offline (validate): nothing to look up
    for claim in document.claims:
        evidence = []
        for index, item in enumerate(claim.evidence):
            line, column = item.spot("url" if item.url is not None else "citation")
            checked = results.get((claim.id, index)) if results else None
            evidence.append(
                EvidenceReport(
                    url=item.url,
                    citation=item.citation,
                    line=line,
                    column=column,
                    title=item.title,
                    publisher=item.publisher,
                    stance=item.effective_stance,
                    archive_url=item.archive_url,
                    original_url=item.original_url,
                    quote_text=item.quote,
                    quote_translation=item.quote_translation,
                    link=LinkInfo.of(checked.live) if checked else None,
                    archive_link=LinkInfo.of(checked.archive) if checked else None,
                    quote=QuoteInfo.of(checked.quote) if checked else None,
                    archive_copy=state.copies.get((claim.id, index)),
                )
            )
        line, column = claim.spot()
        reports.append(
            ClaimReport(
                file=state.loaded.path,
                id=claim.id,
                status=claim.status,
                line=line,
                column=column,
                quote=claim.quote,
                assertion=claim.assertion,
                section=claim.section,
                rationale=claim.rationale,
                evidence=tuple(evidence),
            )
        )
    return reports
