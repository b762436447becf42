"""``factcheck report``: the markdown report for editors, one ``reports/<slug>.md`` per file
(:mod:`factcheck.report.split` names and cuts them).

The report is written whatever the verdict; the verdict goes to stderr and the exit code is
the gate's, as for ``verify``. ``--from RUN.json`` renders a saved JSON report without
checking again; ``--summary`` prints the short form for a pull-request comment.
"""

from __future__ import annotations

from pathlib import Path

from factcheck.errors import FactcheckError
from factcheck.output import notice
from factcheck.policy import FailOn
from factcheck.report import Report
from factcheck.report.split import split_by_file
from factcheck.settings import LinkFlags

REPORTS_DIR = Path("reports")


#: The report formats ``report`` writes into ``reports/``, and their file suffixes.
REPORT_SUFFIXES = {"markdown": ".md", "html": ".html"}


def write_reports(
    report: Report,
    protected: list[Path],
    *,
    directory: Path = REPORTS_DIR,
    output_format: str = "markdown",
) -> list[Path]:
    """Write ``reports/<slug>.md`` (or ``.html``) for every file, atomically; nothing when a
    path is unsafe."""
    from factcheck.output import check_output_path, write_atomic
    from factcheck.render import render

    suffix = REPORT_SUFFIXES[output_format]
    targets = [(directory / f"{slug}{suffix}", part) for slug, part in split_by_file(report)]
    for target, _ in targets:
        check_output_path(target, protected)
    for target, part in targets:
        write_atomic(target, render(part, output_format))
    return [target for target, _ in targets]


def run(
    paths: list[Path] | None,
    *,
    article: Path | None = None,
    output: Path | None = None,
    output_format: str = "markdown",
    from_json: Path | None = None,
    summary: bool = False,
    fail_on: str | None = None,
    mode: str | None = None,
    config: Path | None = None,
    link_flags: LinkFlags | None = None,
    claims: tuple[str, ...] = (),
    quiet: bool = False,
) -> int:
    from factcheck.commands.check import emit_error_document

    if summary and output_format != "markdown":
        raise FactcheckError("--summary is a markdown summary: leave out --format")
    try:
        report, protected = _report(
            paths,
            article=article,
            from_json=from_json,
            fail_on=fail_on,
            mode=mode,
            config=config,
            link_flags=link_flags,
            claims=claims,
            quiet=quiet,
        )
    except FactcheckError as exc:
        emit_error_document(
            "report", exc, output_format, output, [*(paths or []), article, from_json]
        )
        raise
    _render(
        report, protected, output=output, output_format=output_format, summary=summary, quiet=quiet
    )
    return report.exit_code


def _report(
    paths: list[Path] | None,
    *,
    article: Path | None,
    from_json: Path | None,
    fail_on: str | None,
    mode: str | None,
    config: Path | None,
    link_flags: LinkFlags | None,
    claims: tuple[str, ...],
    quiet: bool,
) -> tuple[Report, list[Path]]:
    from factcheck.commands.check import check
    from factcheck.settings import parse_choice

    if from_json is not None:
        report, protected = _saved(
            from_json,
            paths,
            article=article,
            mode=mode,
            config=config,
            claims=claims,
            link_flags=link_flags,
            fail_on=parse_choice(fail_on, FailOn, "--fail-on"),
        )
    else:
        report, protected = check(
            "report",
            paths or [Path("claims.yaml")],
            article=article,
            fail_on=fail_on,
            mode=mode,
            config=config,
            link_flags=link_flags or LinkFlags(),
            claims=claims,
            quiet=quiet,
        )
    return report, protected


def _render(
    report: Report,
    protected: list[Path],
    *,
    output: Path | None,
    output_format: str,
    summary: bool,
    quiet: bool = False,
) -> None:
    from factcheck.output import emit
    from factcheck.render import after_writing, render
    from factcheck.render.common import verdict

    if summary or output is not None or output_format not in REPORT_SUFFIXES:
        if summary:
            from factcheck.render.markdown import render_summary

            text = render_summary(report)
        else:
            text = render(report, output_format)
        emit(text, output, protected=protected)
        if not summary:
            after_writing(report, output_format)
    else:
        for target in write_reports(report, protected, output_format=output_format):
            if not quiet:
                notice(f"wrote {target.as_posix()}")
    notice(verdict(report))


def _saved(
    from_json: Path,
    paths: list[Path] | None,
    *,
    article: Path | None,
    mode: str | None,
    config: Path | None,
    claims: tuple[str, ...],
    link_flags: LinkFlags | None,
    fail_on: FailOn | None,
) -> tuple[Report, list[Path]]:
    """The saved report, re-gated at ``--fail-on`` when given; options that need a new
    check are refused rather than silently ignored."""
    from factcheck.report.json import read_report, regate

    given = [
        flag
        for flag, value in (
            ("PATH", paths),
            ("--article", article),
            ("--mode", mode),
            ("--config", config),
            ("--claim", claims),
            ("link options", link_flags is not None and link_flags.values),
        )
        if value
    ]
    if given:
        raise FactcheckError(
            f"--from renders a saved report without checking again: leave out {', '.join(given)}"
        )
    report = read_report(from_json)
    if fail_on is not None:
        report = regate(report, fail_on)
    return report, [from_json]
