"""Renderers: each turns a Report into text; one function writes it.

:data:`FORMATS` is the one table of output formats: the CLI's ``--format`` choices, which
formats are machine formats (on exit 2 they still print one complete document carrying the
error), and what runs after the text is written. Adding a format is one entry here, its
module (``render(report) -> str``) and its golden test (CONTRIBUTING.md).
"""

from __future__ import annotations

import importlib
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factcheck.report import Report


@dataclass(frozen=True)
class OutputFormat:
    """One ``--format``: the module that renders it (``factcheck.render.<module>``)."""

    name: str
    help: str
    #: A document another program reads: printed even when the run cannot do its job (exit 2).
    machine: bool = False
    #: Rendered for a terminal: ``render(report, width=..., color=...)``.
    terminal: bool = False
    #: A function of the module called with the report once the text is written (GitHub's
    #: step summary).
    after: str | None = None

    @property
    def module(self) -> str:
        return f"factcheck.render.{self.name}"


FORMATS: dict[str, OutputFormat] = {
    f.name: f
    for f in (
        OutputFormat(
            "console", "the problems grouped by claim, the summary, the verdict", terminal=True
        ),
        OutputFormat("json", "the JSON report (docs/json-report.md)", machine=True),
        OutputFormat("markdown", "the report for editors"),
        OutputFormat("html", "the report for editors as one self-contained, printable page"),
        OutputFormat("junit", "JUnit XML, one test case per claim", machine=True),
        OutputFormat(
            "github",
            "GitHub workflow annotations",
            machine=True,
            after="append_step_summary",
        ),
        OutputFormat(
            "sarif",
            "SARIF 2.1.0 for code scanning, one rule per finding code",
            machine=True,
        ),
    )
}


def output_format(name: str) -> OutputFormat:
    """The format called ``name`` (the CLI only offers names in :data:`FORMATS`)."""
    return FORMATS[name]


def render(report: Report, name: str, *, color: bool = False, verbose: bool = False) -> str:
    """``report`` as text in the format ``name`` (``verbose``: every claim and link, for a
    terminal format)."""
    spec = FORMATS[name]
    module = importlib.import_module(spec.module)
    if spec.terminal:
        text: str = module.render(report, width=terminal_width(), color=color, verbose=verbose)
    else:
        text = module.render(report)
    return text


def after_writing(report: Report, name: str) -> None:
    """The format's post-step, if it has one (GitHub: the markdown step summary)."""
    spec = FORMATS[name]
    if spec.after is not None:
        getattr(importlib.import_module(spec.module), spec.after)(report)


def terminal_width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))
