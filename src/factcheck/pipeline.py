"""The one place that wires I/O (files, network, clock) to the pure core.

``run`` loads every claims file, finds the article text, runs the rules, checks links and
quotes when asked, applies the policy and returns a :class:`Report`. It never prints.

Order matters for speed: the link checks start as soon as the files are parsed (and an
``--article`` file is known to be readable), so that building the models, rendering the
article, running the rules and measuring coverage happen while servers answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck import __version__
from factcheck.article import (
    ArticleFile,
    ArticleSource,
    ArticleText,
    local_article_file,
    read_article_file,
)
from factcheck.errors import FactcheckError
from factcheck.findings import Finding, Location, finding
from factcheck.policy import FailOn, Level, Policy, apply_policy, decide_gate
from factcheck.source import ParsedFile, discover, parse_file, selected_claim_ids
from factcheck.vocab import Mode

if TYPE_CHECKING:
    from factcheck.checking import OnlineCheck
    from factcheck.coverage import Coverage, CoverageCounts
    from factcheck.links import LinkSettings
    from factcheck.loader import LoadedFile
    from factcheck.model import Document, Evidence
    from factcheck.report import ClaimReport, LinkEntry, LinkInfo, QuoteInfo, Report
    from factcheck.settings import Setting


@dataclass(frozen=True)
class RunOptions:
    paths: list[Path]
    command: str = "validate"
    article: Path | None = None
    mode: Mode | None = None
    fail_on: FailOn = FailOn.ERROR
    levels: dict[str, Level] = field(default_factory=dict)
    #: Check links and quotes (verify, report); validate does not.
    check_links: bool = False
    #: Run the status family (6xx): verify and report.
    check_statuses: bool = False
    link_settings: LinkSettings | None = None
    #: ``ID`` or ``FILE:ID`` selectors (``--claim``); empty means every claim.
    claim_filter: tuple[str, ...] = ()
    today: date | None = None
    now: datetime | None = None
    settings: tuple[Setting, ...] = ()
    progress: Callable[[Any], None] | None = None
    #: Called with the number of links about to be checked (to size a progress bar).
    on_links: Callable[[int], None] | None = None


@dataclass
class FileState:
    """What the pipeline knows about one file while it runs."""

    path: Path
    loaded: LoadedFile
    article: ArticleText | None = None
    #: The local article file, read before the link checks start and rendered after.
    article_file: ArticleFile | None = None
    #: FC306 when ``article.text`` cannot be used.
    findings_article: list[Finding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: Coverage of the article by the claims, once the article text is known.
    coverage: Coverage | None = None
    #: (claim id, evidence index) -> (link, archive link, quote) results of the online checks.
    evidence_results: dict[
        tuple[str, int], tuple[LinkInfo | None, LinkInfo | None, QuoteInfo | None]
    ] = field(default_factory=dict)

    @property
    def document(self) -> Document | None:
        return self.loaded.document


def run(options: RunOptions) -> Report:
    now = options.now or datetime.now().astimezone()
    today = options.today or now.date()
    try:
        paths = discover(options.paths)
    except FactcheckError as exc:
        from factcheck.loader import LoadedFile

        where = exc.location or "claims.yaml"
        loaded = LoadedFile(where, None, [finding("FC101", exc.message, Location(where))])
        states = [FileState(Path(loaded.path), loaded)]
        online = None
    else:
        if options.article is not None and len(paths) != 1:
            raise FactcheckError("--article needs exactly one claims file")
        # --article problems stop the run (exit 2) before any link is fetched.
        option_file = (
            read_article_file(options.article, ArticleSource.OPTION)
            if options.article is not None
            else None
        )
        parsed = [parse_file(path) for path in paths]
        # Links are known from the YAML trees: fetching starts now, and the models are built,
        # the article rendered and the rules run while servers answer.
        online = _start_online(parsed, options)
        from factcheck.loader import load_parsed

        states = [FileState(p.path, load_parsed(p), article_file=option_file) for p in parsed]

    for state in states:
        _select_claims(state, options.claim_filter)
        if state.document is None:
            state.article_file = None
        elif state.article_file is None:
            _read_article(state)
    if online is not None:
        online.attach(states)
    for state in states:
        _check_offline(state, today, coverage=_wants_coverage(options))
    links: list[LinkEntry] = online.finish(states) if online is not None else []

    from factcheck.rules.anchoring import no_article_text
    from factcheck.rules.status import check_statuses

    for state in states:
        if (
            state.document is not None
            and state.article is None
            and not any(f.code in {"FC304", "FC305", "FC306"} for f in state.findings)
        ):
            state.findings.append(no_article_text(state.document))
        if options.check_statuses and state.document is not None:
            state.findings.extend(check_statuses(state.document, _mode(state, options)))

    return _report(states, links, options, today, now)


def _start_online(parsed: list[ParsedFile], options: RunOptions) -> OnlineCheck | None:
    if not options.check_links:
        return None
    from factcheck.checking import start_online

    return start_online(parsed, options)


def _select_claims(state: FileState, selectors: tuple[str, ...]) -> None:
    wanted = selected_claim_ids(selectors, state.path)
    if wanted is None or state.document is None:
        return
    claims = [c for c in state.document.claims if c.id in wanted]
    state.loaded.document = state.document.model_copy(update={"claims": claims})
    _reattach(state.document, state.loaded.document)


def _reattach(old: Document, new: Document) -> None:
    new.attach(old.location, {name: old.at(name) for name in type(old).model_fields})


def _read_article(state: FileState) -> None:
    """Read (not yet render) the article named by ``article.text`` (FC306 when unusable)."""
    if state.document is not None:
        state.article_file, state.findings_article = local_article_file(
            state.document, state.path, None
        )


def _check_offline(state: FileState, today: date, *, coverage: bool) -> None:
    from factcheck.rules import check_file

    if state.article_file is not None:
        state.article = state.article_file.parse()
    state.findings.extend(check_file(state.loaded, state.article, today))
    state.findings.extend(state.findings_article)
    if coverage:  # a local article is known now: measured while links are fetched
        state.coverage = _measure(state)


def _wants_coverage(options: RunOptions) -> bool:
    return options.check_statuses and not options.claim_filter


def _mode(state: FileState, options: RunOptions) -> Mode:
    if options.mode is not None:
        return options.mode
    return state.document.mode if state.document is not None else Mode.DRAFT


def _evidence_lookup(states: list[FileState]) -> Callable[[Finding], Evidence | None]:
    claims = {
        (state.loaded.path, claim.id): claim
        for state in states
        if state.document is not None
        for claim in state.document.claims
    }

    def lookup(item: Finding) -> Evidence | None:
        claim = claims.get((item.file, item.claim or ""))
        if claim is None or item.evidence is None or item.evidence >= len(claim.evidence):
            return None
        return claim.evidence[item.evidence]

    return lookup


def _report(
    states: list[FileState], links: list[LinkEntry], options: RunOptions, today: date, now: datetime
) -> Report:
    from factcheck.report import FileReport, Gate, Report

    policy = Policy(options.fail_on, options.levels)
    lookup = _evidence_lookup(states)
    all_findings: list[Finding] = []
    files: list[FileReport] = []
    claims: list[ClaimReport] = []
    for state in sorted(states, key=lambda s: s.loaded.path):
        kept = apply_policy(state.findings, policy, today, lookup)
        all_findings.extend(kept)
        gate = decide_gate(kept, options.fail_on)
        document = state.document
        files.append(
            FileReport(
                file=state.loaded.path,
                mode=_mode(state, options).value,
                article=document.article.model_dump(mode="json", exclude_none=True)
                if document
                else {},
                article_source=state.article.source.value
                if state.article
                else ArticleSource.NONE.value,
                gate_passed=gate.passed and state.loaded.usable,
                gate_reasons=gate.reasons if state.loaded.usable else ["the file cannot be used"],
                usable=state.loaded.usable,
                article_origin=state.article.origin if state.article else None,
            )
        )
        if document is not None:
            claims.extend(_claim_reports(state, document))
    all_findings.sort(key=Finding.sort_key)
    decision = decide_gate(all_findings, options.fail_on)
    fatal = any(not state.loaded.usable for state in states)
    offline = bool(options.link_settings is not None and options.link_settings.offline)
    return Report(
        command=options.command,
        tool_version=__version__,
        checked_at=now.isoformat(timespec="seconds"),
        files=files,
        claims=claims,
        links=sorted(links, key=lambda link: link.url),
        findings=all_findings,
        gate=Gate(
            passed=decision.passed and not fatal,
            fail_on=options.fail_on.value,
            reasons=decision.reasons + (["a claims file cannot be used"] if fatal else []),
            offline=offline,
        ),
        settings=list(options.settings),
        fatal=fatal,
        partial=bool(options.claim_filter),
        links_checked=options.check_links,
        coverage=_coverage(states) if _wants_coverage(options) else None,
    )


def _coverage(states: list[FileState]) -> CoverageCounts | None:
    """How much of the articles' check-worthy sentences the claims cover (factcheck.coverage)."""
    from factcheck.coverage import Coverage

    parts = [
        part
        for s in states
        if (part := s.coverage if s.coverage is not None else _measure(s)) is not None
    ]
    return Coverage.combine(parts).counts if parts else None


def _measure(state: FileState) -> Coverage | None:
    from factcheck.coverage import Claimed, measure

    if state.article is None or state.document is None:
        return None
    document = state.document
    claims = [Claimed(c.quote, c.assertion) for c in document.claims]
    return measure(state.article, claims, title=document.article.title)


def _claim_reports(state: FileState, document: Document) -> list[ClaimReport]:
    from factcheck.report import ClaimReport, EvidenceReport

    results = state.evidence_results
    reports = []
    for claim in document.claims:
        evidence = []
        for index, item in enumerate(claim.evidence):
            line, column = item.spot("url")
            link, archive_link, quote = results.get((claim.id, index), (None, None, None))
            evidence.append(
                EvidenceReport(
                    url=item.url,
                    line=line,
                    column=column,
                    title=item.title,
                    publisher=item.publisher,
                    stance=item.effective_stance.value,
                    archive_url=item.archive_url,
                    original_url=item.original_url,
                    quote_text=item.quote,
                    quote_translation=item.quote_translation,
                    link=link,
                    archive_link=archive_link,
                    quote=quote,
                )
            )
        line, column = claim.spot()
        reports.append(
            ClaimReport(
                file=state.loaded.path,
                id=claim.id,
                status=claim.status.value,
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
