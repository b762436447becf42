"""Command bodies shared by validate, verify and report: options in, exit code out."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import FactcheckError
from factcheck.policy import FailOn
from factcheck.vocab import Mode

if TYPE_CHECKING:
    from factcheck.report import Report


def parse_choice(value: str | None, enum: Any, option: str) -> Any:
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise FactcheckError(f"{option} must be one of {choices}, not {value!r}") from None


def render_report(report: Report, output_format: str, *, color: bool = False) -> str:
    if output_format == "json":
        from factcheck.render import json as json_renderer

        return json_renderer.render(report)
    if output_format in {"markdown", "junit", "github", "sarif"}:
        import importlib

        module = importlib.import_module(f"factcheck.render.{output_format}")
        text: str = module.render(report)
        return text
    from factcheck.render import console

    return console.render(report, width=_width(), color=color)


def _width() -> int:
    import shutil

    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))


@dataclass(frozen=True)
class LinkFlags:
    """Link-checking flags as given on the command line (None: not given)."""

    offline: bool = False
    timeout: float | None = None
    retries: int | None = None
    concurrency: int | None = None
    per_host: int | None = None
    max_body: int | None = None
    no_cache: bool = False
    max_cache_age: float | None = None
    cache_dir: Path | None = None
    allow_private: bool = False
    allow_cidrs: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    user_agent: str | None = None
    proxy: str | None = None

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> LinkFlags:
        """The flags among a command's parameters (verify and report share them)."""
        values = {name: options[name] for name in cls.__dataclass_fields__ if name in options}
        values["allow_cidrs"] = tuple(options.get("allow_cidr") or ())
        values["excludes"] = tuple(options.get("exclude") or ())
        return cls(**values)

    def given(self) -> dict[str, Any]:
        """The LinkSettings keyword arguments the user set."""
        values: dict[str, Any] = {
            "timeout": self.timeout,
            "retries": self.retries,
            "concurrency": self.concurrency,
            "per_host": self.per_host,
            "max_body": self.max_body,
            "max_cache_age": self.max_cache_age,
            "cache_dir": self.cache_dir,
            "user_agent": self.user_agent,
            "proxy": self.proxy,
            "allow_cidrs": self.allow_cidrs or None,
            "excludes": self.excludes or None,
            "offline": self.offline or None,
            "allow_private": self.allow_private or None,
            "use_cache": False if self.no_cache else None,
        }
        return {key: value for key, value in values.items() if value is not None}


def link_settings(flags: LinkFlags, config: dict[str, Any] | None = None) -> Any:
    """LinkSettings from the configuration file's values, overridden by the flags given."""
    from factcheck.links import LinkSettings

    return LinkSettings(**{**(config or {}), **flags.given()})


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


def run_check(
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
) -> int:
    from factcheck.output import emit

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
        )
    except FactcheckError as exc:
        emit_error_document(command, exc, output_format, output, [*paths, article])
        raise
    text = render_report(report, output_format, color=color and output is None)
    emit(text, output, protected=protected)
    if output_format == "github":
        from factcheck.render.github import append_step_summary

        append_step_summary(report)
    if output_format != "console" or output is not None:
        from factcheck.render.common import verdict

        print(f"factcheck: {verdict(report)}", file=sys.stderr)
    return report.exit_code


MACHINE_FORMATS = {"json", "junit", "github", "sarif"}


def emit_error_document(
    command: str,
    exc: FactcheckError,
    output_format: str,
    output: Path | None,
    inputs: list[Path | None],
) -> None:
    """SPEC: on exit 2 a machine format still prints one complete document carrying the error
    (the caller then re-raises, so the console shows the one-line error)."""
    if output_format not in MACHINE_FORMATS:
        return
    from factcheck.output import emit

    protected = [path for path in inputs if path is not None]
    emit(render_report(error_report(command, exc), output_format), output, protected=protected)


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
        gate=Gate(False, "error", [exc.code], offline=False),
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
) -> tuple[Report, list[Path]]:
    """Settings (defaults < configuration < flags), then the pipeline: the report, and the
    paths an output must never overwrite."""
    from factcheck import pipeline
    from factcheck.settings import flag_settings, load_settings, run_clock

    online = link_flags is not None
    chosen_mode = parse_choice(mode, Mode, "--mode")
    given = flag_settings(
        link_flags.given() if link_flags is not None else {},
        mode=chosen_mode.value if chosen_mode else None,
        claims=claims,
    )
    configured = load_settings(
        config, fail_on=parse_choice(fail_on, FailOn, "--fail-on"), flags=given, online=online
    )
    now, clock = run_clock()
    settings = link_settings(link_flags, configured.link_config) if link_flags else None
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
    )
    try:
        report = pipeline.run(options)
    finally:
        if bar is not None:
            bar.stop()
    # The claims files found (not the directories they were found in: a report may go there),
    # the article and the cache.
    protected = [*(Path(f.file) for f in report.files), *(p for p in paths if not p.is_dir())]
    protected += [article] if article else []
    if settings is not None:
        protected.append(settings.cache_dir)
    return report, protected


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report (docs/json-report.schema.json)."""
    import json
    from importlib import resources

    text = resources.files("factcheck").joinpath("json-report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
