"""SPEC.md's JSON report (schema_version 1). Keys are stable; additions only."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from factcheck.findings import Finding
from factcheck.report import ClaimReport, EvidenceReport, LinkInfo, QuoteInfo, Report

SCHEMA_VERSION = 1
#: One encoder for every array item (``json.dumps`` with options builds one per call).
_COMPACT = json.JSONEncoder(ensure_ascii=False).encode


def _link(info: LinkInfo | None) -> dict[str, Any] | None:
    if info is None:
        return None
    return {
        "outcome": info.outcome,
        "reason": info.reason,
        "status_code": info.status_code,
        "final_url": info.final_url,
        "detail": info.detail,
    }


def _quote(info: QuoteInfo | None) -> dict[str, Any] | None:
    return asdict(info) if info is not None else None


def _evidence(item: EvidenceReport) -> dict[str, Any]:
    return {
        "url": item.url,
        "line": item.line,
        "column": item.column,
        "link": _link(item.link),
        "archive_link": _link(item.archive_link),
        "quote": _quote(item.quote),
        "title": item.title,
        "publisher": item.publisher,
        "stance": item.stance,
        "archive_url": item.archive_url,
        "original_url": item.original_url,
        "quote_text": item.quote_text,
        "quote_translation": item.quote_translation,
    }


def _claim(claim: ClaimReport) -> dict[str, Any]:
    return {
        "file": claim.file,
        "id": claim.id,
        "status": claim.status,
        "line": claim.line,
        "column": claim.column,
        "evidence": [_evidence(e) for e in claim.evidence],
        "quote": claim.quote,
        "assertion": claim.assertion,
        "section": claim.section,
        "rationale": claim.rationale,
        "link_health": claim.link_health,
        "quote_health": claim.quote_health,
    }


def _coverage(report: Report) -> dict[str, Any] | None:
    """Claim coverage of check-worthy sentences (``factcheck coverage``); null without text."""
    if report.coverage is None:
        return None
    return {
        "check_worthy": report.coverage.check_worthy,
        "covered": report.coverage.covered,
        "percent": report.coverage.tenths / 10,
    }


def finding_json(item: Finding) -> dict[str, Any]:
    return {
        "code": item.code,
        "severity": item.severity.value,
        "message": item.message,
        "file": item.file,
        "line": item.line,
        "column": item.column,
        "claim": item.claim,
        "article_line": item.article_line,
    }


def report_json(report: Report) -> dict[str, Any]:
    """The report as plain data, in SPEC.md's shape and order."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "factcheck", "version": report.tool_version},
        "command": report.command,
        "checked_at": report.checked_at,
        "partial": report.partial,
        "settings": [asdict(s) for s in report.settings],
        "files": [
            {
                "file": f.file,
                "mode": f.mode,
                "article": f.article,
                "article_source": f.article_source,
                "article_origin": f.article_origin,
                "gate": {"passed": f.gate_passed, "reasons": f.gate_reasons},
            }
            for f in report.files
        ],
        "gate": {
            "passed": report.gate.passed,
            "fail_on": report.gate.fail_on,
            "reasons": report.gate.reasons,
            "offline": report.gate.offline,
        },
        "summary": {
            "claims": report.status_counts(),
            "links": report.link_counts(),
            "quotes": report.quote_counts(),
            "findings": report.severity_counts(),
            "coverage": _coverage(report),
        },
        "claims": [_claim(c) for c in report.claims],
        "links": [
            {
                "url": link.url,
                "kind": link.kind,
                "outcome": link.outcome,
                "reason": link.reason,
                "status_code": link.status_code,
                "final_url": link.final_url,
                "claims": [{"file": file, "id": claim_id} for file, claim_id in link.claims],
                "from_cache": link.from_cache,
                "detail": link.detail,
            }
            for link in report.links
        ],
        "findings": [finding_json(f) for f in report.findings],
    }


def render(report: Report) -> str:
    return dumps(report_json(report))


def dumps(data: dict[str, Any]) -> str:
    """Indented JSON with one compact line per claim, link and finding.

    ``json.dumps(indent=...)`` runs the pure-Python encoder, several times slower than the C
    one on a report of thousands of links; long arrays of objects are what makes a report big,
    so each of their items is encoded compactly (by the C encoder) on a line of its own.
    """
    lines = ["{"]
    items = list(data.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        name = json.dumps(key)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"  {name}: [")
            encoded = [_COMPACT(item) for item in value]
            lines.append(",\n".join(f"    {line}" for line in encoded))
            lines.append(f"  ]{comma}")
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            lines.append(f"  {name}: {text}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"
