"""The JSON report as text (its shape is :func:`factcheck.report.json.to_json`)."""

from __future__ import annotations

from factcheck.report import Report
from factcheck.report.json import dumps, to_json


def render(report: Report) -> str:
    return dumps(to_json(report))
