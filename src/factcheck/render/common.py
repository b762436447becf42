"""Helpers every renderer shares: untrusted text made safe to show, and the verdict line."""

from __future__ import annotations

import os
import posixpath
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
    elif report.capture_day is not None:
        tail.append(f"checked against the capture of {report.capture_day}, not the live web")
    elif not report.links_checked:
        tail.append("offline checks only: links and quotes are checked by verify")
    if report.links_checked and not report.gate.offline and report.quotes_not_checked():
        tail.append(f"{plural(report.quotes_not_checked(), 'quote')} not checked")
    if report.partial:
        tail.append(f"partial run: {plural(len(report.claims), 'claim')} selected with --claim")
    if report.baseline is not None:
        carried = plural(report.baseline.carried, "known finding")
        tail.append(f"baseline: {carried} carried, not gating")
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


def local_path(path: str | None, base: str | None = None) -> str:
    """A path as a report may show it: never absolute, never climbing out of the claims tree.

    Inside the directory of ``base`` (the claims file, as given), the path relative to it;
    anywhere else, the file name alone, so no report names a place on one machine.
    """
    if not path:
        return ""
    path = clean(path).replace("\\", "/")
    if base is not None:
        root = posixpath.dirname(posixpath.normpath(clean(base).replace("\\", "/")))
        normal = posixpath.normpath(path)
        if posixpath.isabs(normal) == posixpath.isabs(root or "."):
            inside = normal if not root else posixpath.relpath(normal, root)
            if not inside.startswith("..") and not posixpath.isabs(inside):
                return inside
        return posixpath.basename(normal) or path
    normal = posixpath.normpath(path)
    if posixpath.isabs(normal) or normal.startswith("..") or _DRIVE.match(path):
        return posixpath.basename(normal)
    return normal


_DRIVE = re.compile(r"^[A-Za-z]:/|^~")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")


def first_sentence(value: str | None, words: int = 40) -> str:
    """The first sentence of ``value``, cut at ``words`` words (with an ellipsis)."""
    value = clean(value).strip()
    if not value:
        return ""
    sentence = _SENTENCE_END.split(value, maxsplit=1)[0]
    return cut_words(sentence, words)


def cut_words(value: str, words: int) -> str:
    parts = value.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(" ,;:.") + "…"


def setting_value(value: str) -> str:
    """A setting's value as a report shows it: a path (cache directory, config) made local."""
    if "/" in value and "://" not in value:
        return local_path(value)
    return value
