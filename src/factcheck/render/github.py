"""GitHub Actions: one workflow command per finding, most severe first, and a step summary.

GitHub turns at most 10 error and 10 warning annotations of a step into annotations and drops
the rest, so the findings past those limits are printed as plain log lines, and the last line
says how many were not annotated. Workflow-command data escapes ``%``, CR and LF; properties
also ``:`` and ``,``. No line this renderer prints can start with ``::`` unless it is a command
it built.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from factcheck.findings import Finding, Severity
from factcheck.output import notice
from factcheck.render.common import clean, plural, verdict, workspace_relative
from factcheck.render.markdown import render_summary, severity_order
from factcheck.report import Report

#: Annotations GitHub shows per step and severity.
ANNOTATION_LIMITS = {Severity.ERROR: 10, Severity.WARNING: 10}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(item: Finding, workspace: str | None = None) -> str:
    """``::error file=…,line=…,col=…,title=…::message`` for one finding; ``file`` relative to
    ``workspace`` (``$GITHUB_WORKSPACE``, where GitHub resolves annotation paths) when the
    file lies below it."""
    properties = [f"file={escape_property(clean(workspace_relative(item.file, workspace)))}"]
    if item.line is not None:
        properties.append(f"line={item.line}")
        if item.column is not None:
            properties.append(f"col={item.column}")
    title = f"{item.code} {item.claim}" if item.claim else item.code
    properties.append(f"title={escape_property(clean(title))}")
    message = clean(item.message)
    if item.claim:
        message = f"{clean(item.claim)}: {message}"
    if item.article_line:
        message += f" (article line {item.article_line})"
    return f"::{item.severity.value} {','.join(properties)}::{escape_data(message)}"


def plain_line(item: Finding) -> str:
    """A finding as a log line; it starts with ``factcheck:``, never with ``::``."""
    claim = f" [{clean(item.claim)}]" if item.claim else ""
    return (
        f"factcheck: {clean(str(item.location))}: {item.severity.value} {item.code}{claim} "
        f"{clean(item.message)}"
    )


def render(report: Report, environ: Mapping[str, str] | None = None) -> str:
    workspace = (os.environ if environ is None else environ).get("GITHUB_WORKSPACE")
    lines: list[str] = []
    shown = {severity: 0 for severity in Severity}
    rest: list[Finding] = []
    for item in severity_order(report.findings):
        if shown[item.severity] < ANNOTATION_LIMITS[item.severity]:
            lines.append(command(item, workspace))
            shown[item.severity] += 1
        else:
            rest.append(item)
    lines.extend(plain_line(item) for item in rest)
    lines.append(f"factcheck: {clean(verdict(report))}")
    annotated = sum(shown.values())
    if rest:
        lines.append(
            f"factcheck: {plural(annotated, 'finding')} annotated, {len(rest)} not annotated "
            "(GitHub shows at most 10 error and 10 warning annotations per step; they are "
            "listed above and in the step summary)"
        )
    else:
        lines.append(f"factcheck: {plural(annotated, 'finding')} annotated, 0 not annotated")
    return "\n".join(lines) + "\n"


def append_step_summary(report: Report, environ: Mapping[str, str] | None = None) -> bool:
    """Append the short markdown report to ``$GITHUB_STEP_SUMMARY`` when it is set."""
    target = (os.environ if environ is None else environ).get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    try:
        with Path(target).open("a", encoding="utf-8", newline="\n") as handle:
            handle.write(render_summary(report) + "\n")
    except OSError as exc:
        notice(f"cannot write the step summary: {exc.strerror}")
        return False
    return True
