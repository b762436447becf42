"""``factcheck validate`` and ``factcheck verify``: options in, the report out, the exit code
back. :func:`check` (settings, then the pipeline) is shared with ``report``, ``export`` and
``demo``."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import FactcheckError
from factcheck.load.vocab import Mode
from factcheck.policy import FailOn
from factcheck.settings import LinkFlags, Setting, link_settings, parse_choice

if TYPE_CHECKING:
    from factcheck.links import LinkSettings
    from factcheck.links.transport import TransportFactory
    from factcheck.load.changes import Changes
    from factcheck.pipeline.shard import Shard
    from factcheck.report import Report
    from factcheck.report.baseline import Baseline


@dataclass(frozen=True)
class Scale:
    """The options for an archive (README, "Scale and CI"): only what changed, a baseline,
    one shard of the links."""

    #: ``--changed-since REF``: only the claims files changed since REF, or whose article did.
    changed_since: str | None = None
    #: ``--baseline RUN.json``: the gate judges only findings whose key is not in it.
    baseline: Path | None = None
    #: ``--shard K/N``.
    shard: str | None = None


class _Progress:
    """A progress bar on stderr while links are checked (only on a terminal)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.progress = Progress(
            "checking links",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("links", total=None)

    def start(self, total: int) -> None:
        self.progress.update(self.task, total=total)
        self.progress.start()

    def advance(self, result: object) -> None:
        del result
        self.progress.advance(self.task)

    def stop(self) -> None:
        self.progress.stop()


def run(
    command: str,
    paths: list[Path],
    *,
    article: Path | None = None,
    output_format: str = "console",
    output: Path | None = None,
    color: bool = False,
    fail_on: str | None = None,
    mode: str | None = None,
    config: Path | None = None,
    link_flags: LinkFlags | None = None,
    claims: tuple[str, ...] = (),
    quiet: bool = False,
    scale: Scale | None = None,
    verbose: bool = False,
    suggest_archive: bool = False,
    replay: Path | None = None,
    jobs: int | None = 1,
) -> int:
    from factcheck.load.yamltree import paused_gc
    from factcheck.output import emit, notice
    from factcheck.render import after_writing, render

    scale = scale or Scale()
    # Offline, every object a run builds lives until the report is out: the cycle collector is
    # paused until then (with it, assembling and rendering 10,000 files took 3 s more, each
    # collection walking the report built so far). Online, the link checks run unpaused.
    with paused_gc() if link_flags is None else nullcontext():
        try:
            report, protected = check(
                command,
                paths,
                article=article,
                fail_on=fail_on,
                mode=mode,
                config=config,
                link_flags=link_flags,
                claims=claims,
                quiet=quiet,
                scale=scale,
                suggest_archive=suggest_archive,
                replay=replay,
                jobs=jobs,
            )
        except FactcheckError as exc:
            emit_error_document(
                command, exc, output_format, output, [*paths, article, scale.baseline]
            )
            raise
        text = render(report, output_format, color=color and output is None, verbose=verbose)
        emit(text, output, protected=protected)
        after_writing(report, output_format)
        if output_format != "console" or output is not None:
            from factcheck.render.common import verdict

            notice(verdict(report))
        return report.exit_code


def emit_error_document(
    command: str,
    exc: FactcheckError,
    output_format: str,
    output: Path | None,
    inputs: list[Path | None],
) -> None:
    """On exit 2 a machine format still prints one complete document carrying the error
    (README, "The JSON report"); the caller then re-raises, so the console shows the
    one-line error."""
    from factcheck.output import emit
    from factcheck.render import FORMATS, render

    if not FORMATS[output_format].machine:
        return
    protected = [path for path in inputs if path is not None]
    emit(render(error_report(command, exc), output_format), output, protected=protected)


def error_report(command: str, exc: FactcheckError) -> Report:
    """The report of a run that could not do its job: one finding carrying the error."""
    from factcheck import __version__
    from factcheck.findings import Finding, Location, Severity
    from factcheck.report import Gate, Report
    from factcheck.settings import run_clock

    try:
        now, _ = run_clock()
    except FactcheckError:
        from datetime import datetime

        now = datetime.now().astimezone()
    where = exc.location or "."
    item = Finding(exc.code, exc.message, Location(where), severity=Severity.ERROR)
    return Report(
        command=command,
        tool_version=__version__,
        checked_at=now.isoformat(timespec="seconds"),
        files=[],
        claims=[],
        links=[],
        findings=[item],
        gate=Gate(False, FailOn.ERROR, [exc.code], offline=False),
        fatal=True,
    )


def check(
    command: str,
    paths: list[Path],
    *,
    article: Path | None = None,
    fail_on: str | None = None,
    mode: str | None = None,
    config: Path | None = None,
    link_flags: LinkFlags | None = None,
    claims: tuple[str, ...] = (),
    quiet: bool = False,
    scale: Scale | None = None,
    suggest_archive: bool = False,
    replay: Path | None = None,
    jobs: int | None = 1,
) -> tuple[Report, list[Path]]:
    """Settings (defaults < configuration < flags), then the pipeline: the report, and the
    paths an output must never overwrite. ``jobs``: at most this many processes check the
    files of an offline run (None: one per usable CPU); not a setting of the report, which is
    the same whatever it is."""
    from factcheck import pipeline
    from factcheck.output import notice
    from factcheck.settings import flag_settings, load_settings, run_clock

    scale = scale or Scale()
    online = link_flags is not None
    chosen_mode = parse_choice(mode, Mode, "--mode")
    shard = _shard(scale.shard, online)
    baseline = _baseline(scale.baseline)
    changes = _changes(scale.changed_since)
    given = flag_settings(
        link_flags, mode=chosen_mode.value if chosen_mode else None, claims=claims
    )
    given |= _scale_settings(scale)
    if suggest_archive:
        given["suggest_archive"] = ("--suggest-archive", "on")
    configured = load_settings(
        config, fail_on=parse_choice(fail_on, FailOn, "--fail-on"), flags=given, online=online
    )
    now, clock = run_clock()
    settings = link_settings(link_flags, configured.link_config) if link_flags else None
    transport, capture_day = None, None
    if replay is not None:
        settings, transport, capture_day = _replaying(
            replay, settings, suggest_archive=suggest_archive
        )
        configured = replace(
            configured,
            recorded=(
                *configured.recorded,
                Setting("replay", f"capture of {capture_day}", "--replay"),
            ),
        )
    bar = _Progress() if online and not quiet and sys.stderr.isatty() else None
    options = pipeline.RunOptions(
        paths=paths,
        command=command,
        article=article,
        mode=chosen_mode,
        fail_on=configured.fail_on,
        levels=configured.levels,
        check_statuses=command != "validate",
        check_links=online,
        link_settings=settings,
        claim_filter=claims,
        now=now,
        settings=(*configured.recorded, *([clock] if clock else [])),
        progress=bar.advance if bar else None,
        on_links=bar.start if bar else None,
        select=changes.selects if changes is not None else None,
        shard=shard,
        archive_endpoint=settings.archive_endpoint if suggest_archive and settings else None,
        transport=transport,
        capture_day=capture_day,
        jobs=jobs,
    )
    try:
        report = pipeline.run(options)
    finally:
        if bar is not None:
            bar.stop()
    if changes is not None and not report.files:
        notice(f"nothing to check: no claims file or article changed since {changes.ref}")
    if baseline is not None:
        from factcheck.report.baseline import apply_baseline

        report = apply_baseline(report, baseline)
    # The claims files found (not the directories they were found in: a report may go there),
    # the article (--article, and each file's article.text, read or not), the configuration
    # file and the cache.
    protected = [*(Path(f.file) for f in report.files), *(p for p in paths if not p.is_dir())]
    protected += [article] if article else []
    for file in report.files:
        if file.article_source in ("option", "text") and (origin := file.article_origin):
            protected.append(Path(origin))
        if isinstance(text := file.article.get("text"), str) and "\0" not in text:
            protected.append(Path(file.file).parent / text)
    if configured.config_path is not None:
        protected.append(configured.config_path)
    if settings is not None:
        protected.append(settings.cache_dir)
    if scale.baseline is not None:
        protected.append(scale.baseline)
    if replay is not None:
        protected.append(replay)
    return report, protected


def _shard(text: str | None, online: bool) -> Shard | None:
    if text is None:
        return None
    if not online:
        raise FactcheckError("--shard splits the link checks: use it with verify or report")
    from factcheck.pipeline.shard import parse_shard

    return parse_shard(text)


def _baseline(path: Path | None) -> Baseline | None:
    if path is None:
        return None
    from factcheck.report.baseline import read_baseline

    return read_baseline(path)


def _changes(ref: str | None) -> Changes | None:
    if ref is None:
        return None
    from factcheck.load.changes import changed_since

    return changed_since(ref)


def _scale_settings(scale: Scale) -> dict[str, tuple[str, Any]]:
    """The scale options given, for the report header."""
    given: dict[str, tuple[str, Any]] = {}
    if scale.changed_since is not None:
        given["changed_since"] = ("--changed-since", scale.changed_since)
    if scale.baseline is not None:
        given["baseline"] = ("--baseline", scale.baseline.as_posix())
    if scale.shard is not None:
        given["shard"] = ("--shard", scale.shard.strip())
    return given


def _replaying(
    capture_path: Path, settings: LinkSettings | None, *, suggest_archive: bool
) -> tuple[LinkSettings, TransportFactory, str]:
    """``verify --replay``: links answered by the capture, no network, no cache, no retries
    (a captured 503 answers the same every time)."""
    from factcheck.archive.replay import replay_factory
    from factcheck.archive.warc import read_capture
    from factcheck.links import LinkSettings

    if settings is not None and settings.offline:
        raise FactcheckError("--replay checks against a capture; leave out --offline")
    if suggest_archive:
        raise FactcheckError("--replay uses no network: leave out --suggest-archive")
    capture = read_capture(capture_path)
    settings = replace(settings or LinkSettings(), use_cache=False, retries=0, proxy=None)
    return settings, replay_factory(capture), capture.day
