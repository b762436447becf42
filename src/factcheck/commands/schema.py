"""``factcheck schema``: the JSON Schema of claims.yaml, or of the JSON report."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def run(*, report: bool = False) -> int:
    from factcheck.output import emit

    schema = report_schema() if report else claims_schema()
    emit(json.dumps(schema, indent=2) + "\n", None)
    return 0


def claims_schema() -> dict[str, Any]:
    from factcheck.load.model import claims_json_schema

    return claims_json_schema()


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report (docs/json-report.schema.json)."""
    text = resources.files("factcheck").joinpath("json-report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
