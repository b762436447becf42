"""The JSON report (schema_version 1, docs/json-report.md): :func:`to_json` writes it,
:func:`from_json` reads one back (``report --from``), side by side so they cannot drift.

CI fetches once (``verify --format json -o run.json``) and renders as often as it likes. A
saved file is untrusted input: every value is checked for its type and closed sets, and
anything that is not a factcheck JSON report is exit 2 with the path of the bad value, never a
crash. Keys are stable; additions only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from factcheck.article import ArticleSource
from factcheck.errors import FactcheckError
from factcheck.files import Problem, UserFile, read_bytes
from factcheck.findings import Code, Finding, Location, Severity
from factcheck.links.types import LinkKind, Outcome, Reason
from factcheck.load.vocab import Mode, Stance, Status
from factcheck.policy import FailOn
from factcheck.quotes import Copy, QuoteResult, QuoteSkip
from factcheck.report import (
    BaselineCount,
    ClaimReport,
    EvidenceReport,
    FileReport,
    Gate,
    LinkEntry,
    LinkInfo,
    QuoteInfo,
    Report,
    gate,
)
from factcheck.settings import Setting
from factcheck.urls import redact

if TYPE_CHECKING:
    from factcheck.archive.suggest import Suggestion
    from factcheck.coverage import CoverageCounts
    from factcheck.report.merge import DeferredPart, ShardInfo

_T = TypeVar("_T")
_E = TypeVar("_E", bound=StrEnum)


# =========================================================================== to_json

SCHEMA_VERSION = 1
#: One encoder for every array item (``json.dumps`` with options builds one per call). The
#: report is plain data built afresh (no container holds itself), so the encoder need not
#: track the containers it is in to refuse a cycle.
_COMPACT = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _shown(url: str | None) -> str | None:
    """A URL with query parameters named like secrets shown as ``***``, as in every format."""
    return redact(url) if url is not None else None


def _article_json(article: dict[str, Any]) -> dict[str, Any]:
    if isinstance(article.get("url"), str):
        return {**article, "url": redact(article["url"])}
    return article


def _link_json(info: LinkInfo | None) -> dict[str, Any] | None:
    if info is None:
        return None
    return {
        "outcome": info.outcome,
        "reason": info.reason,
        "status_code": info.status_code,
        "final_url": _shown(info.final_url),
        "detail": info.detail,
    }


def _quote_json(info: QuoteInfo | None) -> dict[str, Any] | None:
    return asdict(info) if info is not None else None


def _evidence_json(item: EvidenceReport) -> dict[str, Any]:
    data = {
        "url": _shown(item.url),
        "citation": item.citation,
        "line": item.line,
        "column": item.column,
        "link": _link_json(item.link),
        "archive_link": _link_json(item.archive_link),
        "quote": _quote_json(item.quote),
        "title": item.title,
        "publisher": item.publisher,
        "stance": item.stance,
        "archive_url": _shown(item.archive_url),
        "original_url": _shown(item.original_url),
        "quote_text": item.quote_text,
        "quote_translation": item.quote_translation,
    }
    if item.archive_copy is not None:  # only under --suggest-archive
        data["archive_copy"] = item.archive_copy.to_json()
    return data


def _claim_json(claim: ClaimReport) -> dict[str, Any]:
    return {
        "file": claim.file,
        "id": claim.id,
        "status": claim.status,
        "line": claim.line,
        "column": claim.column,
        "evidence": [_evidence_json(e) for e in claim.evidence],
        "quote": claim.quote,
        "assertion": claim.assertion,
        "section": claim.section,
        "rationale": claim.rationale,
        "link_health": claim.link_health,
        "quote_health": claim.quote_health,
        "rests_on_offline_sources": claim.rests_on_offline_sources,
    }


def _coverage_json(report: Report) -> dict[str, Any] | None:
    """Claim coverage of check-worthy sentences (``factcheck coverage``); null without text."""
    if report.coverage is None:
        return None
    return {
        "check_worthy": report.coverage.check_worthy,
        "covered": report.coverage.covered,
        "percent": report.coverage.tenths / 10,
    }


def _baseline_json(report: Report) -> dict[str, Any] | None:
    """``--baseline``: the saved run, and how many findings were known (carried) or new."""
    if report.baseline is None:
        return None
    count = report.baseline
    return {"file": count.source, "carried": count.carried, "new": count.new}


def _shard_json(report: Report) -> dict[str, Any] | None:
    """``--shard K/N``: a partial report, with the halves of split evidence for the merge."""
    if report.shard is None:
        return None
    info = report.shard
    return {
        "index": info.index,
        "count": info.count,
        "levels": info.levels,
        "deferred": [
            {
                "file": part.file,
                "claim": part.claim,
                "evidence": part.evidence,
                "key_file": part.key_file,
                "url_at": list(part.url_at),
                "archive_at": list(part.archive_at),
                "quote_at": list(part.quote_at),
                "paywalled": part.paywalled,
                "complete_read": part.complete_read,
                "ignore": [
                    {"code": code, "until": until, "reason": reason}
                    for code, until, reason in part.ignore
                ],
            }
            for part in info.deferred
        ],
    }


def _finding_json(item: Finding) -> dict[str, Any]:
    return {
        "code": item.code,
        "severity": item.severity.value,
        "message": item.message,
        "file": item.file,
        "line": item.line,
        "column": item.column,
        "claim": item.claim,
        "article_line": item.article_line,
        "key": list(item.key) if item.key is not None else None,
    }


def to_json(report: Report) -> dict[str, Any]:
    """The report as plain data, in the shape and order of docs/json-report.md."""
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
                "article": _article_json(f.article),
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
            # verify --replay: the day of the capture links were checked against.
            **({"capture": report.capture_day} if report.capture_day else {}),
        },
        "summary": {
            "claims": report.status_counts(),
            "links": report.link_counts(),
            "quotes": report.quote_counts(),
            "findings": report.severity_counts(),
            "coverage": _coverage_json(report),
        },
        "baseline": _baseline_json(report),
        "shard": _shard_json(report),
        "claims": [_claim_json(c) for c in report.claims],
        "links": [
            {
                "url": redact(link.url),
                "kind": link.kind,
                "outcome": link.outcome,
                "reason": link.reason,
                "status_code": link.status_code,
                "final_url": _shown(link.final_url),
                "claims": [{"file": file, "id": claim_id} for file, claim_id in link.claims],
                "from_cache": link.from_cache,
                "detail": link.detail,
            }
            for link in report.links
        ],
        "findings": [_finding_json(f) for f in report.findings],
    }


def dumps(data: dict[str, Any]) -> str:
    """Indented JSON with one compact line per claim, link and finding.

    ``json.dumps(indent=...)`` runs the pure-Python encoder, several times slower than the C
    one on a report of thousands of links; long arrays of objects are what makes a report big,
    so each of their items is encoded compactly (by the C encoder) on a line of its own.
    """
    # One list of pieces joined once: a report of 100,000 claims is about 100 MB of text, and
    # joining lines, then lines of lines, then adding the last newline held four copies.
    pieces = ["{\n"]
    items = list(data.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        name = json.dumps(key)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            pieces.append(f"  {name}: [\n")
            last = len(value) - 1
            for position, item in enumerate(value):
                pieces.append("    ")
                pieces.append(_COMPACT(item))
                pieces.append(",\n" if position < last else "\n")
            pieces.append(f"  ]{comma}\n")
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            pieces.append(f"  {name}: {text}{comma}\n")
    pieces.append("}\n")
    return "".join(pieces)


# =========================================================================== from_json

#: Saved JSON reports (``report --from``).
SAVED_REPORT = UserFile(
    "JSON report",
    256 * 1024 * 1024,
    {
        Problem.TOO_LARGE: "the JSON report is over {cap} MiB",
        Problem.UNREADABLE: "cannot read: {reason}",
    },
)


class _Bad(Exception):
    """A value of the wrong shape, at a JSON path."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


def read_report(path: Path) -> Report:
    """Read and check ``path`` (``-`` is not accepted: the report must be a file)."""
    raw = read_bytes(path, SAVED_REPORT)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        message = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise FactcheckError(f"not a JSON document: {message}", location=str(path)) from None
    try:
        return from_json(data)
    except FactcheckError as exc:
        raise FactcheckError(exc.message, location=str(path)) from None


def from_json(data: Any) -> Report:
    """The Report a JSON report (schema_version 1) was rendered from; raises on bad shapes."""
    try:
        return _report(data)
    except RecursionError:
        raise FactcheckError("not a factcheck JSON report: nested too deeply") from None
    except _Bad as exc:
        raise FactcheckError(f"not a factcheck JSON report: {exc}") from None


# ------------------------------------------------------------------------- from_json: typed access


def _get(obj: dict[str, Any], key: str, where: str, kind: type[_T] | tuple[type, ...]) -> Any:
    if key not in obj:
        raise _Bad(f"{where}.{key}", "missing")
    value = obj[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, (int, float))):
        raise _Bad(f"{where}.{key}", f"expected {_kind_name(kind)}, got {type(value).__name__}")
    return value


def _opt(obj: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, (int, float))):
        raise _Bad(f"{where}.{key}", f"expected {_kind_name(kind)} or null")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {dict: "an object", list: "an array", str: "a string", int: "an integer"}
    names |= {bool: "true or false", float: "a number"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def _word(obj: dict[str, Any], key: str, where: str, allowed: tuple[str, ...]) -> str:
    value: str = _get(obj, key, where, str)
    if value not in allowed:
        raise _Bad(f"{where}.{key}", f"{value[:40]!r} is not one of {', '.join(allowed)}")
    return value


def _enum(obj: dict[str, Any], key: str, where: str, enum: type[_E]) -> _E:
    return enum(_word(obj, key, where, tuple(member.value for member in enum)))


def _opt_enum(obj: dict[str, Any], key: str, where: str, enum: type[_E]) -> _E | None:
    if obj.get(key) is None:
        return None
    return _enum(obj, key, where, enum)


def _items(obj: dict[str, Any], key: str, where: str, build: Callable[[Any, str], _T]) -> list[_T]:
    values = _get(obj, key, where, list)
    return [build(value, f"{where}.{key}[{i}]") for i, value in enumerate(values)]


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(where, f"expected an object, got {type(value).__name__}")
    return value


def _position(obj: dict[str, Any], key: str, where: str) -> int | None:
    value = _opt(obj, key, where, int)
    if value is not None and value < 1:
        raise _Bad(f"{where}.{key}", "must be 1 or more")
    return value  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- the parts


def _report(data: Any) -> Report:
    root = _object(data, "$")
    version = root.get("schema_version")
    if version != 1 or isinstance(version, bool):
        raise FactcheckError(
            f"unsupported JSON report: schema_version {str(version)[:20]} (this version reads 1)"
        )
    tool = _get(root, "tool", "$", dict)
    version_text = _get(tool, "version", "$.tool", str)
    gate_data = _get(root, "gate", "$", dict)
    gate = Gate(
        passed=_get(gate_data, "passed", "$.gate", bool),
        fail_on=_enum(gate_data, "fail_on", "$.gate", FailOn),
        reasons=[str(r) for r in _get(gate_data, "reasons", "$.gate", list)],
        offline=_get(gate_data, "offline", "$.gate", bool),
    )
    findings = sorted(_items(root, "findings", "$", _finding), key=Finding.sort_key)
    unusable = {f.file for f in findings if f.code == Code.FC101}
    command = _get(root, "command", "$", str)
    return Report(
        command=command,
        tool_version=version_text,
        checked_at=_get(root, "checked_at", "$", str),
        files=_items(root, "files", "$", lambda v, w: _file(v, w, unusable)),
        claims=_items(root, "claims", "$", _claim),
        links=_items(root, "links", "$", _link_entry),
        findings=findings,
        gate=gate,
        settings=_items(root, "settings", "$", _setting),
        fatal=bool(unusable),
        partial=bool(root.get("partial") is True),
        links_checked=command != "validate",
        coverage=_coverage(root),
        baseline=_baseline(root),
        shard=_shard(root),
        capture_day=_opt(gate_data, "capture", "$.gate", str),
    )


def _spot(obj: dict[str, Any], key: str, where: str) -> tuple[int | None, int | None]:
    value = _get(obj, key, where, list)
    if len(value) != 2 or not all(v is None or type(v) is int for v in value):
        raise _Bad(f"{where}.{key}", "expected [line, column]")
    return (value[0], value[1])


def _deferred(value: Any, where: str) -> DeferredPart:
    from factcheck.report.merge import DeferredPart

    obj = _object(value, where)
    ignore = []
    for i, entry in enumerate(_get(obj, "ignore", where, list)):
        at = f"{where}.ignore[{i}]"
        item = _object(entry, at)
        ignore.append(
            (
                _get(item, "code", at, str),
                _opt(item, "until", at, str),
                _get(item, "reason", at, str),
            )
        )
    evidence = _get(obj, "evidence", where, int)
    if evidence < 0:
        raise _Bad(f"{where}.evidence", "must be 0 or more")
    return DeferredPart(
        file=_get(obj, "file", where, str),
        claim=_get(obj, "claim", where, str),
        evidence=evidence,
        key_file=_get(obj, "key_file", where, str),
        url_at=_spot(obj, "url_at", where),
        archive_at=_spot(obj, "archive_at", where),
        quote_at=_spot(obj, "quote_at", where),
        paywalled=_get(obj, "paywalled", where, bool),
        complete_read=_get(obj, "complete_read", where, bool),
        ignore=tuple(ignore),
    )


def _shard(root: dict[str, Any]) -> ShardInfo | None:
    from factcheck.report.merge import ShardInfo

    value = root.get("shard")
    if value is None:
        return None
    obj = _object(value, "$.shard")
    index = _get(obj, "index", "$.shard", int)
    count = _get(obj, "count", "$.shard", int)
    if not 1 <= index <= count:
        raise _Bad("$.shard", "index must be between 1 and count")
    levels = _get(obj, "levels", "$.shard", dict)
    if not all(isinstance(v, str) and v in ("error", "warning", "off") for v in levels.values()):
        raise _Bad("$.shard.levels", "expected error, warning or off")
    return ShardInfo(index, count, levels, tuple(_items(obj, "deferred", "$.shard", _deferred)))


def _baseline(root: dict[str, Any]) -> BaselineCount | None:
    value = root.get("baseline")
    if value is None:
        return None
    saved = _object(value, "$.baseline")
    return BaselineCount(
        source=_get(saved, "file", "$.baseline", str),
        carried=_get(saved, "carried", "$.baseline", int),
        new=_get(saved, "new", "$.baseline", int),
    )


def _coverage(root: dict[str, Any]) -> CoverageCounts | None:
    """The counts of the saved coverage."""
    from factcheck.coverage import CoverageCounts

    summary = _get(root, "summary", "$", dict)
    value = summary.get("coverage")
    if value is None:
        return None
    saved = _object(value, "$.summary.coverage")
    worthy = _get(saved, "check_worthy", "$.summary.coverage", int)
    covered = _get(saved, "covered", "$.summary.coverage", int)
    if not 0 <= covered <= worthy <= 1_000_000:
        raise _Bad("$.summary.coverage", "covered must be between 0 and check_worthy")
    return CoverageCounts(check_worthy=worthy, covered=covered)


def _setting(value: Any, where: str) -> Setting:
    obj = _object(value, where)
    return Setting(
        name=_get(obj, "name", where, str),
        value=_get(obj, "value", where, str),
        source=_get(obj, "source", where, str),
    )


def _file(value: Any, where: str, unusable: set[str]) -> FileReport:
    obj = _object(value, where)
    gate = _get(obj, "gate", where, dict)
    file = _get(obj, "file", where, str)
    return FileReport(
        file=file,
        mode=_enum(obj, "mode", where, Mode),
        article=_get(obj, "article", where, dict),
        article_source=_enum(obj, "article_source", where, ArticleSource),
        gate_passed=_get(gate, "passed", f"{where}.gate", bool),
        gate_reasons=[str(r) for r in _get(gate, "reasons", f"{where}.gate", list)],
        usable=file not in unusable,
        article_origin=_opt(obj, "article_origin", where, str),
    )


def _link_info(obj: dict[str, Any], key: str, where: str) -> LinkInfo | None:
    value = obj.get(key)
    if value is None:
        return None
    info = _object(value, f"{where}.{key}")
    at = f"{where}.{key}"
    return LinkInfo(
        outcome=_enum(info, "outcome", at, Outcome),
        reason=_enum(info, "reason", at, Reason),
        status_code=_opt(info, "status_code", at, int),
        final_url=_opt(info, "final_url", at, str),
        detail=_opt(info, "detail", at, str) or "",
    )


def _quote_info(obj: dict[str, Any], where: str) -> QuoteInfo | None:
    value = obj.get("quote")
    if value is None:
        return None
    at = f"{where}.quote"
    info = _object(value, at)
    return QuoteInfo(
        result=_enum(info, "result", at, QuoteResult),
        reason=_opt_enum(info, "reason", at, QuoteSkip),
        score=_opt(info, "score", at, (int, float)),
        copy=_opt_enum(info, "copy", at, Copy),
        passage=_opt(info, "passage", at, str),
        truncated=info.get("truncated") is True,
    )


def _evidence(value: Any, where: str) -> EvidenceReport:
    obj = _object(value, where)
    return EvidenceReport(
        url=_opt(obj, "url", where, str),
        citation=_opt(obj, "citation", where, str),
        line=_position(obj, "line", where),
        column=_position(obj, "column", where),
        title=_opt(obj, "title", where, str),
        publisher=_opt(obj, "publisher", where, str),
        stance=_opt_enum(obj, "stance", where, Stance) or Stance.SUPPORTS,
        archive_url=_opt(obj, "archive_url", where, str),
        original_url=_opt(obj, "original_url", where, str),
        quote_text=_opt(obj, "quote_text", where, str),
        quote_translation=_opt(obj, "quote_translation", where, str),
        link=_link_info(obj, "link", where),
        archive_link=_link_info(obj, "archive_link", where),
        quote=_quote_info(obj, where),
        archive_copy=_archive_copy(obj, where),
    )


def _archive_copy(obj: dict[str, Any], where: str) -> Suggestion | None:
    from factcheck.archive.suggest import Suggestion

    copy = _opt(obj, "archive_copy", where, dict)
    if copy is None:
        return None
    try:
        return Suggestion.from_json(str(obj.get("url", "")), copy)
    except (KeyError, ValueError, TypeError) as exc:
        raise _Bad(f"{where}.archive_copy", f"not an archive copy ({exc})") from None


def _claim(value: Any, where: str) -> ClaimReport:
    obj = _object(value, where)
    return ClaimReport(
        file=_get(obj, "file", where, str),
        id=_get(obj, "id", where, str),
        status=_enum(obj, "status", where, Status),
        line=_position(obj, "line", where),
        column=_position(obj, "column", where),
        quote=_opt(obj, "quote", where, str) or "",
        assertion=_opt(obj, "assertion", where, str),
        section=_opt(obj, "section", where, str),
        rationale=_opt(obj, "rationale", where, str),
        evidence=tuple(_items(obj, "evidence", where, _evidence)),
    )


def _link_entry(value: Any, where: str) -> LinkEntry:
    obj = _object(value, where)
    claims = []
    for i, item in enumerate(_get(obj, "claims", where, list)):
        ref = _object(item, f"{where}.claims[{i}]")
        claims.append((_get(ref, "file", f"{where}.claims[{i}]", str), _get(ref, "id", where, str)))
    return LinkEntry(
        url=_get(obj, "url", where, str),
        kind=_enum(obj, "kind", where, LinkKind),
        outcome=_enum(obj, "outcome", where, Outcome),
        reason=_enum(obj, "reason", where, Reason),
        status_code=_opt(obj, "status_code", where, int),
        final_url=_opt(obj, "final_url", where, str),
        claims=tuple(claims),
        from_cache=obj.get("from_cache") is True,
        detail=_opt(obj, "detail", where, str) or "",
    )


def _finding(value: Any, where: str) -> Finding:
    obj = _object(value, where)
    return Finding(
        code=_get(obj, "code", where, str),
        message=_get(obj, "message", where, str),
        location=Location(
            _get(obj, "file", where, str),
            _position(obj, "line", where),
            _position(obj, "column", where),
        ),
        claim=_opt(obj, "claim", where, str),
        severity=_enum(obj, "severity", where, Severity),
        article_line=_position(obj, "article_line", where),
        key=_key(obj, where),
    )


def _key(obj: dict[str, Any], where: str) -> tuple[str, str, str, str] | None:
    """``findings[].key``: four strings (reports saved before keys existed have none)."""
    value = obj.get("key")
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 4 or not all(isinstance(v, str) for v in value):
        raise _Bad(f"{where}.key", "expected an array of four strings")
    return (value[0], value[1], value[2], value[3])


# --------------------------------------------------------------------------- re-gating


def regate(report: Report, fail_on: FailOn) -> Report:
    """The same findings judged at another ``--fail-on``."""
    from dataclasses import replace

    files, decision = gate(report.files, report.findings, fail_on, offline=report.gate.offline)
    return replace(report, files=files, gate=decision, baseline=None)
