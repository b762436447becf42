"""Command bodies shared by validate, verify and report: options in, exit code out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from factcheck.errors import FactcheckError
from factcheck.model import Mode
from factcheck.policy import FailOn
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
    if output_format in {"markdown", "junit", "github"}:
        import importlib

        module = importlib.import_module(f"factcheck.render.{output_format}")
        text: str = module.render(report)
        return text
    from factcheck.render import console

    return console.render(report, width=_width(), color=color)


def _width() -> int:
    import shutil

    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))


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
    **online: Any,
) -> int:
    from factcheck import pipeline
    from factcheck.output import emit

    options = pipeline.RunOptions(
        paths=paths,
        command=command,
        article=article,
        mode=parse_choice(mode, Mode, "--mode"),
        fail_on=parse_choice(fail_on, FailOn, "--fail-on") or FailOn.ERROR,
        check_statuses=command != "validate",
        **online,
    )
    del config  # configuration files: see factcheck.settings (issue 6)
    report = pipeline.run(options)
    text = render_report(report, output_format, color=color and output is None)
    emit(text, output, protected=paths + ([article] if article else []))
    if output_format != "console" or output is not None:
        from factcheck.render.common import verdict

        print(f"factcheck: {verdict(report)}", file=sys.stderr)
    return report.exit_code


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report (docs/json-report.schema.json)."""
    import json
    from importlib import resources

    text = resources.files("factcheck").joinpath("json-report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
