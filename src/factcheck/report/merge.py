"""Partial reports of ``--shard K/N`` runs merged into one report and one gate
(``report --from A.json --from B.json ...``).

Every shard runs the offline families on every file, so those findings come once per shard:
duplicates are removed by key (and position). Links are each in one shard. What depends on
two hosts, an evidence item whose live URL and archive URL fell in different shards, is
recomputed here from the two halves each shard recorded (:class:`DeferredPart`): the link
findings from both links, the quote result from the quote on each copy, then the policy
(severities and the item's ``ignore`` entries). Claim health follows from the merged
evidence. The result equals the report of one run over every host, order aside.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, cast

from factcheck.errors import FactcheckError
from factcheck.findings import Finding, Location
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
    from factcheck.links import LinkResult
    from factcheck.load.model import Evidence
    from factcheck.quotes import QuoteMatch

Spot = tuple[int | None, int | None]


@dataclass(frozen=True)
class DeferredPart:
    """One shard's half of an evidence item split between shards, with what the merge needs
    to decide its findings."""

    file: str
    claim: str
    evidence: int
    #: The claims file as the finding keys name it.
    key_file: str
    url_at: Spot
    archive_at: Spot
    quote_at: Spot
    paywalled: bool
    #: The quote on this shard's copy was read completely (the condition for FC501).
    complete_read: bool
    #: The item's ``ignore`` entries: (code, until as ISO date or None, reason).
    ignore: tuple[tuple[str, str | None, str], ...] = ()


@dataclass(frozen=True)
class ShardInfo:
    index: int
    count: int
    #: Configured severities (``severity`` in the configuration), applied at merge time.
    levels: dict[str, str]
    deferred: tuple[DeferredPart, ...] = ()


def _first(values: Iterable[object | None]) -> object | None:
    return next((v for v in values if v is not None), None)


def _merge_files(reports: list[Report]) -> list[FileReport]:
    files: dict[str, FileReport] = {}
    for report in reports:
        for file in report.files:
            known = files.get(file.file)
            if known is None or (known.article_origin is None and file.article_origin):
                files[file.file] = file
    return sorted(files.values(), key=lambda f: f.file)


def _finding_identity(item: Finding) -> tuple[object, ...]:
    ident = item.key or (item.file, item.claim or "", item.code, item.message)
    return (ident, item.line, item.column, item.article_line)


@dataclass
class _Halves:
    live: DeferredPart | None = None
    archive: DeferredPart | None = None
    live_quote: QuoteInfo | None = None
    archive_quote: QuoteInfo | None = None
    live_link: LinkInfo | None = None
    archive_link: LinkInfo | None = None


def merge_reports(reports: list[Report], names: list[str]) -> Report:
    """One report from the partial reports of several shards (or several runs)."""
    shards = [r.shard for r in reports if r.shard is not None]
    counts = {s.count for s in shards}
    if len(counts) > 1:
        raise FactcheckError(f"the reports come from different --shard counts: {sorted(counts)}")
    if shards and len({s.index for s in shards}) < len(shards):
        raise FactcheckError("two of the reports are the same shard")
    first = reports[0]
    halves: dict[tuple[str, str, int], _Halves] = {}
    for report in reports:
        _collect_halves(report, halves)
    claims = _merge_claims(reports, halves)
    findings: dict[tuple[object, ...], Finding] = {}
    for report in reports:
        for item in report.findings:
            findings.setdefault(_finding_identity(item), item)
    levels = shards[0].levels if shards else {}
    today = date.fromisoformat(first.checked_at[:10])
    for (file, claim_id, index), half in halves.items():
        for item in _deferred_findings(claims, (file, claim_id, index), half, levels, today):
            findings.setdefault(_finding_identity(item), item)
    links: dict[str, LinkEntry] = {}
    for report in reports:
        for link in report.links:
            links.setdefault(link.url, link)
    merged = sorted(findings.values(), key=Finding.sort_key)
    files, decision = gate(
        _merge_files(reports), merged, first.gate.fail_on, offline=first.gate.offline
    )
    del names
    return replace(
        first,
        files=files,
        claims=[c for c in claims.values()],
        links=sorted(links.values(), key=lambda link: link.url),
        findings=merged,
        gate=decision,
        settings=[s for s in first.settings if s.name != "shard"],
        fatal=not all(f.usable for f in files),
        partial=any(r.partial for r in reports),
        shard=None,
        coverage=_first(r.coverage for r in reports),  # type: ignore[arg-type]
    )


def _collect_halves(report: Report, halves: dict[tuple[str, str, int], _Halves]) -> None:
    if report.shard is None:
        return
    evidence = {(c.file, c.id): c.evidence for c in report.claims}
    for part in report.shard.deferred:
        ident = (part.file, part.claim, part.evidence)
        items = evidence.get((part.file, part.claim), ())
        if part.evidence >= len(items):
            raise FactcheckError(f"a deferred evidence item is not in the report: {ident}")
        item = items[part.evidence]
        half = halves.setdefault(ident, _Halves())
        if item.link is not None:
            half.live, half.live_link, half.live_quote = part, item.link, item.quote
        if item.archive_link is not None:
            half.archive, half.archive_link, half.archive_quote = (
                part,
                item.archive_link,
                item.quote,
            )


def _merge_claims(
    reports: list[Report], halves: dict[tuple[str, str, int], _Halves]
) -> dict[tuple[str, str], ClaimReport]:
    claims: dict[tuple[str, str], ClaimReport] = {}
    for report in reports:
        for claim in report.claims:
            known = claims.get((claim.file, claim.id))
            if known is None:
                claims[(claim.file, claim.id)] = claim
                continue
            merged = tuple(
                _merge_evidence(a, b) for a, b in zip(known.evidence, claim.evidence, strict=False)
            )
            claims[(claim.file, claim.id)] = replace(known, evidence=merged)
    for (file, claim_id, index), half in halves.items():
        found = claims.get((file, claim_id))
        if found is None or index >= len(found.evidence):
            continue
        claim = found
        evidence = list(claim.evidence)
        paywalled = (half.live or half.archive or _NO_PART).paywalled
        quote = _combined_quote(half, paywalled) if evidence[index].quote_text else None
        evidence[index] = replace(
            evidence[index], link=half.live_link, archive_link=half.archive_link, quote=quote
        )
        claims[(file, claim_id)] = replace(claim, evidence=tuple(evidence))
    return claims


def _merge_evidence(a: EvidenceReport, b: EvidenceReport) -> EvidenceReport:
    return replace(
        a,
        link=a.link or b.link,
        archive_link=a.archive_link or b.archive_link,
        quote=a.quote or b.quote,
    )


_NO_PART = DeferredPart("", "", 0, "", (None, None), (None, None), (None, None), False, False)


def _match(info: QuoteInfo | None, part: DeferredPart | None) -> QuoteMatch | None:
    from factcheck.quotes import QuoteMatch

    if info is None or part is None:
        return None
    return QuoteMatch(
        result=info.result,
        reason=info.reason,
        score=info.score,
        copy=info.copy,
        passage=info.passage,
        truncated=info.truncated,
        complete_read=part.complete_read,
    )


def _combined(half: _Halves, paywalled: bool) -> QuoteMatch:
    from factcheck.quotes import combine_copies

    return combine_copies(
        _match(half.live_quote, half.live),
        _match(half.archive_quote, half.archive),
        paywalled=paywalled,
    )


def _combined_quote(half: _Halves, paywalled: bool) -> QuoteInfo | None:
    return QuoteInfo.of(_combined(half, paywalled))


def _result(url: str, info: LinkInfo | None) -> LinkResult | None:
    from factcheck.links import Reason
    from factcheck.links.types import make_result

    if info is None:
        return None
    return make_result(
        url,
        Reason(info.reason),
        info.detail,
        status_code=info.status_code,
        final_url=info.final_url,
    )


@dataclass(frozen=True)
class _Ignores:
    """What :func:`factcheck.policy.apply_policy` reads of an evidence item: its ignores."""

    ignore: tuple[object, ...]


@dataclass(frozen=True)
class _Ignore:
    code: str
    until: date | None
    reason: str


def _deferred_findings(
    claims: dict[tuple[str, str], ClaimReport],
    ident: tuple[str, str, int],
    half: _Halves,
    levels: dict[str, str],
    today: date,
) -> list[Finding]:
    """The link and quote findings of one split evidence item, as one run would make them."""
    from factcheck.policy import Level, Policy, apply_policy
    from factcheck.report.identity import finding_key
    from factcheck.rules.links import EvidenceLinks, evidence_link_findings
    from factcheck.rules.quotes import quote_findings
    from factcheck.urls import redact

    file, claim_id, index = ident
    part = half.live or half.archive
    claim = claims.get((file, claim_id))
    if part is None or claim is None:
        return []
    item = claim.evidence[index]
    if item.url is None:  # a citation: never split, never fetched
        return []
    where = EvidenceLinks(
        claim_id,
        index,
        item.url,
        item.archive_url,
        Location(file, *part.url_at),
        Location(file, *part.archive_at),
    )
    found = evidence_link_findings(
        where, _result(item.url, half.live_link), _result(item.archive_url or "", half.archive_link)
    )
    if item.quote_text:
        found += quote_findings(
            _combined(half, part.paywalled),
            status=claim.status.value,
            stance=item.stance,
            location=Location(file, *part.quote_at),
            claim=claim_id,
            url=redact(item.url),
            evidence=index,
            link_reported=any(f.location == where.url_at for f in found),
        )
    ignores = _Ignores(
        tuple(
            _Ignore(code, date.fromisoformat(until) if until else None, reason)
            for code, until, reason in part.ignore
        )
    )
    policy = Policy(levels={code: Level(level) for code, level in levels.items()})
    kept = apply_policy(found, policy, today, lambda _: cast("Evidence", ignores))
    return [replace(f, key=finding_key(part.key_file, f, item.url)) for f in kept]
