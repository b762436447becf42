"""A saved JSON report back into a :class:`~factcheck.report.Report` (``report --from``).

CI fetches once (``verify --format json -o run.json``) and renders as often as it likes. The
file is untrusted input: every value is checked for its type and closed sets, and anything
that is not a factcheck JSON report is exit 2 with the path of the bad value, never a crash.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from factcheck.errors import FactcheckError
from factcheck.findings import Code, Finding, Location, Severity
from factcheck.load.model import Status
from factcheck.policy import FailOn, decide_gate
from factcheck.report import (
    LINK_OUTCOMES,
    QUOTE_RESULTS,
    ClaimReport,
    EvidenceReport,
    FileReport,
    Gate,
    LinkEntry,
    LinkInfo,
    QuoteInfo,
    Report,
)
from factcheck.settings import Setting

if TYPE_CHECKING:
    from factcheck.coverage import CoverageCounts

MAX_BYTES = 256 * 1024 * 1024
_T = TypeVar("_T")


class _Bad(Exception):
    """A value of the wrong shape, at a JSON path."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


def read_saved_report(path: Path) -> Report:
    """Read and check ``path`` (``-`` is not accepted: the report must be a file)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise FactcheckError(
                f"the JSON report is over {MAX_BYTES // 1048576} MiB", location=str(path)
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FactcheckError("no such JSON report", location=str(path)) from None
    except IsADirectoryError:
        raise FactcheckError("the JSON report path is a directory", location=str(path)) from None
    except OSError as exc:
        raise FactcheckError(f"cannot read: {exc.strerror}", location=str(path)) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        message = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise FactcheckError(f"not a JSON document: {message}", location=str(path)) from None
    try:
        return report_from_json(data)
    except FactcheckError as exc:
        raise FactcheckError(exc.message, location=str(path)) from None


def report_from_json(data: Any) -> Report:
    """The Report a JSON report (schema_version 1) was rendered from; raises on bad shapes."""
    try:
        return _report(data)
    except RecursionError:
        raise FactcheckError("not a factcheck JSON report: nested too deeply") from None
    except _Bad as exc:
        raise FactcheckError(f"not a factcheck JSON report: {exc}") from None


# --------------------------------------------------------------------------- typed access


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

_STATUSES = tuple(s.value for s in Status)
_SEVERITIES = tuple(s.value for s in Severity)
_FAIL_ON = tuple(f.value for f in FailOn)


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
        fail_on=_word(gate_data, "fail_on", "$.gate", _FAIL_ON),
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
        mode=_word(obj, "mode", where, ("draft", "review")),
        article=_get(obj, "article", where, dict),
        article_source=_word(obj, "article_source", where, ("option", "text", "url", "none")),
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
        outcome=_word(info, "outcome", at, LINK_OUTCOMES),
        reason=_get(info, "reason", at, str),
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
        result=_word(info, "result", at, QUOTE_RESULTS),
        reason=_opt(info, "reason", at, str),
        score=_opt(info, "score", at, (int, float)),
        copy=_opt(info, "copy", at, str),
        passage=_opt(info, "passage", at, str),
        truncated=info.get("truncated") is True,
    )


def _evidence(value: Any, where: str) -> EvidenceReport:
    obj = _object(value, where)
    return EvidenceReport(
        url=_get(obj, "url", where, str),
        line=_position(obj, "line", where),
        column=_position(obj, "column", where),
        title=_opt(obj, "title", where, str),
        publisher=_opt(obj, "publisher", where, str),
        stance=_opt(obj, "stance", where, str) or "supports",
        archive_url=_opt(obj, "archive_url", where, str),
        original_url=_opt(obj, "original_url", where, str),
        quote_text=_opt(obj, "quote_text", where, str),
        quote_translation=_opt(obj, "quote_translation", where, str),
        link=_link_info(obj, "link", where),
        archive_link=_link_info(obj, "archive_link", where),
        quote=_quote_info(obj, where),
    )


def _claim(value: Any, where: str) -> ClaimReport:
    obj = _object(value, where)
    return ClaimReport(
        file=_get(obj, "file", where, str),
        id=_get(obj, "id", where, str),
        status=_word(obj, "status", where, _STATUSES),
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
        kind=_get(obj, "kind", where, str),
        outcome=_word(obj, "outcome", where, LINK_OUTCOMES),
        reason=_get(obj, "reason", where, str),
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
        severity=Severity(_word(obj, "severity", where, _SEVERITIES)),
        article_line=_position(obj, "article_line", where),
    )


# --------------------------------------------------------------------------- re-gating


def regate(report: Report, fail_on: FailOn) -> Report:
    """The same findings judged at another ``--fail-on``."""
    from dataclasses import replace

    files = []
    for file in report.files:
        decision = decide_gate((f for f in report.findings if f.file == file.file), fail_on)
        files.append(
            replace(
                file,
                gate_passed=decision.passed and file.usable,
                gate_reasons=decision.reasons if file.usable else file.gate_reasons,
            )
        )
    decision = decide_gate(report.findings, fail_on)
    gate = Gate(
        passed=decision.passed and not report.fatal,
        fail_on=fail_on.value,
        reasons=decision.reasons + (["a claims file cannot be used"] if report.fatal else []),
        offline=report.gate.offline,
    )
    return replace(report, files=files, gate=gate)
