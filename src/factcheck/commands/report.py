"""``factcheck report``: the markdown report for editors, one ``reports/<slug>.md`` per file
(:mod:`factcheck.report.split` names and cuts them).

The report is written whatever the verdict; the verdict goes to stderr and the exit code is
the gate's, as for ``verify``. ``--from RUN.json`` renders a saved JSON report without
checking again; ``--summary`` prints the short form for a pull-request comment.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.errors import FactcheckError
from factcheck.output import notice
from factcheck.policy import FailOn
from factcheck.report import Report
from factcheck.report.split import split_by_file
from factcheck.settings import LinkFlags

if TYPE_CHECKING:
    from factcheck.commands.check import Scale

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
    from_json: list[Path] | Path | None = None,
    compare: Path | None = None,
    summary: bool = False,
    fail_on: str | None = None,
    mode: str | None = None,
    config: Path | None = None,
    link_flags: LinkFlags | None = None,
    claims: tuple[str, ...] = (),
    quiet: bool = False,
    scale: Scale | None = None,
) -> int:
    from factcheck.commands.check import Scale, emit_error_document

    scale = scale or Scale()
    saved = [from_json] if isinstance(from_json, Path) else list(from_json or [])
    if summary and output_format != "markdown":
        raise FactcheckError("--summary is a markdown summary: leave out --format")
    if compare is not None and summary:
        raise FactcheckError("--compare lists what changed: leave out --summary")
    try:
        report, protected = _report(
            paths,
            article=article,
            from_json=saved,
            fail_on=fail_on,
            mode=mode,
            config=config,
            link_flags=link_flags,
            claims=claims,
            quiet=quiet,
            scale=scale,
        )
        if compare is not None:
            return _compare(report, compare, [*protected, compare], output, output_format)
    except FactcheckError as exc:
        inputs = [*(paths or []), article, *saved, compare, scale.baseline]
        emit_error_document("report", exc, output_format, output, inputs)
        raise
    _render(
        report, protected, output=output, output_format=output_format, summary=summary, quiet=quiet
    )
    return report.exit_code


def _report(
    paths: list[Path] | None,
    *,
    article: Path | None,
    from_json: list[Path],
    fail_on: str | None,
    mode: str | None,
    config: Path | None,
    link_flags: LinkFlags | None,
    claims: tuple[str, ...],
    quiet: bool,
    scale: Scale,
) -> tuple[Report, list[Path]]:
    from factcheck.commands.check import check
    from factcheck.settings import parse_choice

    if from_json:
        report, protected = _saved(
            from_json,
            paths,
            article=article,
            mode=mode,
            config=config,
            claims=claims,
            link_flags=link_flags,
            fail_on=parse_choice(fail_on, FailOn, "--fail-on"),
            scale=scale,
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
            scale=scale,
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
    from_json: list[Path],
    paths: list[Path] | None,
    *,
    article: Path | None,
    mode: str | None,
    config: Path | None,
    claims: tuple[str, ...],
    link_flags: LinkFlags | None,
    fail_on: FailOn | None,
    scale: Scale,
) -> tuple[Report, list[Path]]:
    """The saved report (several: the partial reports of shards, merged), re-gated at
    ``--fail-on`` and judged against ``--baseline`` when given; options that need a new
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
            ("--changed-since", scale.changed_since),
            ("--shard", scale.shard),
        )
        if value
    ]
    if given:
        raise FactcheckError(
            f"--from renders a saved report without checking again: leave out {', '.join(given)}"
        )
    reports = [read_report(path) for path in from_json]
    if len(reports) > 1:
        from factcheck.report.merge import merge_reports

        report = merge_reports(reports, [path.as_posix() for path in from_json])
    else:
        report = reports[0]
    if fail_on is not None:
        report = regate(report, fail_on)
    protected = list(from_json)
    if scale.baseline is not None:
        from factcheck.report.baseline import apply_baseline, read_baseline

        report = apply_baseline(report, read_baseline(scale.baseline))
        protected.append(scale.baseline)
    return report, protected


def _compare(
    report: Report, old: Path, protected: list[Path], output: Path | None, output_format: str
) -> int:
    """``--compare OLD.json``: the claims whose status, evidence or findings changed."""
    from factcheck.output import emit
    from factcheck.report.compare import compare_reports, render_changes
    from factcheck.report.json import read_report

    if output_format not in ("markdown", "json"):
        raise FactcheckError("--compare writes markdown or json: --format markdown or json")
    changes = compare_reports(read_report(old), report)
    emit(render_changes(changes, old.as_posix(), output_format), output, protected=protected)
    notice(f"{len(changes)} claim(s) changed since {old.as_posix()}")
    return report.exit_code
