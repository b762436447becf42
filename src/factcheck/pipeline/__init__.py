"""The one place that wires I/O (files, network, clock) to the pure core.

``run`` loads every claims file, finds the article text, runs the rules, checks links and
quotes when asked, applies the policy and returns a :class:`~factcheck.report.Report`. It never
prints. The stages it calls return values; only ``run`` keeps the per-file state
(:mod:`factcheck.pipeline.state`), and :mod:`factcheck.pipeline.assemble` turns it into the
report.

Order matters for speed: the link checks start as soon as the files are parsed (and an
``--article`` file is known to be readable), so that building the models, rendering the
article, running the rules and measuring coverage happen while servers answer.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.article import ArticleFile, ArticleSource, local_article_file, read_article_file
from factcheck.errors import FactcheckError
from factcheck.findings import Code
from factcheck.load import yamltree
from factcheck.load.discover import ParsedFile, discover, parse_file, selected_claim_ids
from factcheck.pipeline.state import FileState, RunOptions

if TYPE_CHECKING:
    from factcheck.coverage import Coverage
    from factcheck.load.model import Document
    from factcheck.pipeline.assemble import FilePart
    from factcheck.pipeline.online import OnlineCheck, OnlineResults
    from factcheck.report import Report

__all__ = ["FileState", "RunOptions", "run"]


def run(options: RunOptions) -> Report:
    # The cycle collector is paused while every file is parsed, built, rendered and checked:
    # an archive of 10,000 files is millions of objects that all stay alive, and collections
    # between files would walk them again and again (yamltree.paused_gc freezes them after).
    with ExitStack() as pause:
        pause.enter_context(yamltree.paused_gc())
        return _run(options, pause)


def _run(options: RunOptions, pause: ExitStack) -> Report:
    now = options.now or datetime.now().astimezone()
    today = options.today or now.date()
    try:
        paths = discover(options.paths)
    except FactcheckError as exc:
        from factcheck.load.loader import unusable_file

        loaded = unusable_file(exc.location or "claims.yaml", exc.message)
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
        if _one_at_a_time(options):
            return _run_each(paths, options, option_file, today, now)
        parsed = [parse_file(path) for path in paths]
        if options.select is not None:
            parsed = [p for p in parsed if options.select(p)]
        # Links are known from the YAML trees: fetching starts now, and the models are built,
        # the article rendered and the rules run while servers answer.
        online = _start_online(parsed, options)
        from factcheck.load.loader import load_parsed

        states = [FileState(p.path, load_parsed(p), article_file=option_file) for p in parsed]
        check_selectors(
            options.claim_filter,
            [(s.path, [c.id for c in s.document.claims] if s.document else []) for s in states],
        )
        del parsed  # the YAML trees: the models carry what the rest of the run needs

    for state in states:
        _prepare(state, options)
    cited = [(s.loaded.path, s.document) for s in states if s.document is not None]
    if online is not None:
        online.attach(cited)
    for state in states:
        _check_offline(state, today, coverage=_wants_coverage(options))
        if online is None and not _wants_coverage(options):
            _release_article(state)
    pause.close()  # the network half builds short-lived objects: collect as usual
    links = []
    if online is not None:
        results = online.finish(cited)
        links = results.links
        for state in states:
            _check_online(state, results, options)
        if options.archive_endpoint is not None and not results.offline:
            _suggest_archives(states, options, today)

    for state in states:
        _check_last(state, options)

    from factcheck.pipeline.assemble import assemble

    coverage = _coverage(states) if _wants_coverage(options) else None
    return assemble(states, links, options, today, now, coverage)


def _one_at_a_time(options: RunOptions) -> bool:
    """Offline and without coverage (``validate``), each file is read, checked and reduced to
    what the report says of it before the next is read: a run over thousands of files holds
    one file's tree and models at a time, not all of them."""
    return (
        not options.check_links
        and not _wants_coverage(options)
        and options.archive_endpoint is None
        and options.shard is None
    )


def _run_each(
    paths: list[Path],
    options: RunOptions,
    option_file: ArticleFile | None,
    today: date,
    now: datetime,
) -> Report:
    """:func:`_run` for :func:`_one_at_a_time`: the same stages, one file after another, the
    files split across processes by ``--jobs`` (:mod:`factcheck.pipeline.jobs`); the slices
    come back in the files' order, so the report is the one a single process gives."""
    from factcheck.pipeline.assemble import assemble_parts
    from factcheck.pipeline.jobs import processes_for, split

    def work(start: int, stop: int) -> _Slice:
        return _check_each(paths[start:stop], options, option_file, today)

    done = split(work, len(paths), processes_for(len(paths), options.jobs))
    check_selectors(options.claim_filter, [ids for one in done for ids in one.claim_ids])
    return assemble_parts([part for one in done for part in one.parts], [], options, now, None)


@dataclass
class _Slice:
    """What the report keeps of some files (a slice of a run's files): each file's part, and
    its claim ids when ``--claim`` needs them checked against every file's."""

    parts: list[FilePart]
    claim_ids: list[tuple[Path, list[str]]]


def _check_each(
    paths: list[Path], options: RunOptions, option_file: ArticleFile | None, today: date
) -> _Slice:
    """Each file read, checked and reduced to what the report says of it before the next is
    read: a run over thousands of files holds one file's tree and models at a time."""
    from factcheck.load.loader import ClaimBuilder, load_parsed
    from factcheck.pipeline.assemble import Parts

    maker = Parts(options, today)
    done = _Slice([], [])
    for path in paths:
        parsed = parse_file(path, ClaimBuilder())  # no link head start: models as read
        if options.select is not None and not options.select(parsed):
            continue
        state = FileState(
            parsed.path, load_parsed(parsed), article_file=option_file, real_path=parsed.real
        )
        del parsed  # the YAML tree: the models carry what the rest needs
        if options.claim_filter:
            document = state.document
            done.claim_ids.append((state.path, [c.id for c in document.claims] if document else []))
        _check_file(state, options, today)
        done.parts.append(maker.part(state))
    return done


def _check_file(state: FileState, options: RunOptions, today: date) -> None:
    """The offline stages of one file, as :func:`_run` runs them over every file."""
    _prepare(state, options)
    _check_offline(state, today, coverage=False)
    _check_last(state, options)


def _prepare(state: FileState, options: RunOptions) -> None:
    """The claims ``--claim`` selects, and the local article's text read."""
    _select_claims(state, options.claim_filter)
    if state.document is None:
        state.article_file = None
    elif state.article_file is None:
        _read_article(state)


def _check_last(state: FileState, options: RunOptions) -> None:
    """The findings that wait for everything else: no article text at all (FC304), and the
    statuses (6xx)."""
    from factcheck.rules.anchoring import no_article_text
    from factcheck.rules.status import check_statuses

    if (
        state.document is not None
        and state.article is None
        and not _article_elsewhere(state, options)
        and not any(f.code in {Code.FC304, Code.FC305, Code.FC306} for f in state.findings)
    ):
        state.findings.append(no_article_text(state.document))
    if options.check_statuses and state.document is not None:
        state.findings.extend(check_statuses(state.document, state.mode(options.mode)))


def _start_online(parsed: list[ParsedFile], options: RunOptions) -> OnlineCheck | None:
    if not options.check_links:
        return None
    from factcheck.links import LinkSettings
    from factcheck.pipeline.online import start_online

    return start_online(
        parsed,
        options.link_settings or LinkSettings(),
        article=options.article,
        claim_filter=options.claim_filter,
        progress=options.progress,
        on_links=options.on_links,
        shard=options.shard,
        transport=options.transport,
    )


def check_selectors(selectors: tuple[str, ...], documents: list[tuple[Path, list[str]]]) -> None:
    """Every ``--claim`` names a claim some file has (exit 2 otherwise, with the nearest id):
    a selector that selects nothing would let the gate pass on nothing."""
    import difflib

    for selector in selectors:
        file, _, wanted = selector.rpartition(":")
        known = sorted(
            {
                claim_id
                for path, ids in documents
                if not file or Path(file).resolve() == path.resolve()
                for claim_id in ids
            }
        )
        if wanted in known:
            continue
        close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]}?" if close else ""
        where = file or ("the claims file" if len(documents) == 1 else "any claims file")
        raise FactcheckError(f"--claim {selector}: no claim {wanted} in {where}{hint}")


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
        state.article_file, state.article_problem = local_article_file(
            state.document, state.path, None, real_path=state.real_path
        )


def _check_offline(state: FileState, today: date, *, coverage: bool) -> None:
    from factcheck.rules import check_file
    from factcheck.rules.anchoring import unusable_article_text

    if state.article_file is not None:
        state.article = state.article_file.parse()
    state.findings.extend(check_file(state.loaded, state.article, today))
    if state.article_problem is not None and state.document is not None:
        state.findings.append(unusable_article_text(state.document, state.article_problem))
    if coverage:  # a local article is known now: measured while links are fetched
        state.coverage = _measure(state)


def _release_article(state: FileState) -> None:
    """Once the offline rules have run and nothing else reads the article, keep only what the
    report says of it (where it came from): a run over thousands of files holds one article
    at a time, not all of them."""
    state.article_file = None
    if state.article is not None:
        from dataclasses import replace

        state.article = replace(
            state.article, text="", block_starts=(), block_lines=(), headings=()
        )


def _article_elsewhere(state: FileState, options: RunOptions) -> bool:
    """``--shard``: the article page is fetched (and anchored) by another shard."""
    if options.shard is None or state.document is None or state.article_file is not None:
        return False
    return options.article is None and not options.shard.owns(state.document.article.url)


def _check_online(state: FileState, results: OnlineResults, options: RunOptions) -> None:
    """The fetched article anchored (when there is no local one), then every evidence item's
    link and quote findings (for evidence split between shards, the merge decides them)."""
    from factcheck.rules.anchoring import anchor_fetched
    from factcheck.rules.links import link_findings
    from factcheck.rules.quotes import quote_findings
    from factcheck.urls import redact

    document = state.document
    if document is None:
        return
    if (
        state.article is None
        and state.article_problem is None
        and not _article_elsewhere(state, options)
    ):
        found, state.article = anchor_fetched(
            document, results.result_for(document.article.url), offline=results.offline
        )
        state.findings.extend(found)
    for claim in document.claims:
        for index, item in enumerate(claim.evidence):
            checked = results.evidence[(state.loaded.path, claim.id, index)]
            state.checked[(claim.id, index)] = checked
            if checked.deferred:
                continue
            link_found = link_findings(claim, index, item, checked.live, checked.archive)
            state.findings.extend(link_found)
            state.findings.extend(
                quote_findings(
                    checked.quote,
                    status=claim.status.value,
                    stance=item.effective_stance.value,
                    location=item.at("quote"),
                    claim=claim.id,
                    url=redact(item.url) if item.url is not None else None,
                    evidence=index,
                    link_reported=any(f.location == item.at("url") for f in link_found),
                )
            )


def _suggest_archives(states: list[FileState], options: RunOptions, today: date) -> None:
    from factcheck.links import LinkSettings
    from factcheck.pipeline.archive import suggest_archives
    from factcheck.rules.archive import with_archive_copies

    assert options.archive_endpoint is not None
    settings = options.link_settings or LinkSettings()
    copies = suggest_archives(states, settings, options.archive_endpoint, today)
    for state in states:
        state.copies = {
            (claim, index): copy
            for (file, claim, index), copy in copies.items()
            if file == state.loaded.path
        }
        if state.copies:
            state.findings = with_archive_copies(state.findings, state.copies)


def _wants_coverage(options: RunOptions) -> bool:
    return options.check_statuses and not options.claim_filter


def _coverage(states: list[FileState]) -> Coverage | None:
    """How much of the articles' check-worthy sentences the claims cover (factcheck.coverage)."""
    from factcheck.coverage import Coverage

    parts = [
        part
        for s in states
        if (part := s.coverage if s.coverage is not None else _measure(s)) is not None
    ]
    return Coverage.combine(parts) if parts else None


def _measure(state: FileState) -> Coverage | None:
    from factcheck.coverage import Claimed, measure

    if state.article is None or state.document is None:
        return None
    document = state.document
    claims = [Claimed(c.quote, c.assertion) for c in document.claims]
    return measure(state.article, claims, title=document.article.title)
