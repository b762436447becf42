"""Helpers every renderer shares: untrusted text made safe to show, and the verdict line."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath

from factcheck.report import Report

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str | None) -> str:
    """Strip control and bidi-override characters; newlines become spaces."""
    if not text:
        return ""
    return _UNSAFE.sub("", text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def verdict(report: Report) -> str:
    """One line: did the gate pass, and why."""
    counts = report.severity_counts()
    tail: list[str] = []
    if report.links_checked and report.gate.offline:
        tail.append("offline: links and quotes not checked")
    elif not report.links_checked:
        tail.append("offline checks only: links and quotes are checked by verify")
    if report.partial:
        tail.append(f"partial run: {plural(len(report.claims), 'claim')} selected with --claim")
    suffix = f" ({'; '.join(tail)})" if tail else ""
    if report.fatal and not report.files and report.findings:
        return f"cannot check: {clean(report.findings[0].message)}"
    if report.fatal:
        return f"cannot check: a claims file cannot be used, see the FC101 finding{suffix}"
    found = f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}"
    if report.gate.passed:
        return f"passed: {found}, none at or above --fail-on {report.gate.fail_on}{suffix}"
    return f"failed: {found}; blocking: {', '.join(report.gate.reasons)}{suffix}"


def workspace_relative(path: str, root: str | os.PathLike[str] | None) -> str:
    """``path`` (relative to the current directory, or absolute) relative to ``root``, in POSIX
    form, when it lies below ``root``; else ``path`` unchanged."""
    if not root or not path:
        return path
    base = Path(root).resolve()
    target = Path(path) if Path(path).is_absolute() else Path.cwd() / path
    try:
        relative = target.resolve().relative_to(base)
    except (ValueError, OSError):
        return path
    return PurePath(relative).as_posix()
