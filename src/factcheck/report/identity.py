"""The identity of a finding, stable across runs, machines and moved lines: (the claims file
relative to the git root or the discovery root, POSIX form; the claim id; the code; SHA-256 of
the unmasked normalised URL of the evidence item the finding is about, or empty).

It is ``findings[].key`` in the JSON report, and what ``--baseline`` matches, what merging
partial reports removes duplicates by, and what a SARIF fingerprint is made from. It leaves out
the line and the message on purpose: a finding stays the same finding when lines above it move
or its wording changes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from factcheck.files import real_path as resolve
from factcheck.findings import Finding
from factcheck.urls import normalise_url

#: (file, claim id, code, SHA-256 of the URL or ""): the JSON report's ``findings[].key``.
FindingKey = tuple[str, str, str, str]


def url_digest(url: str | None) -> str:
    """SHA-256 (hex) of the normalised URL as written (secrets unmasked), or "" without one."""
    if not url:
        return ""
    return hashlib.sha256(normalise_url(url).encode("utf-8")).hexdigest()


def finding_key(file: str, item: Finding, url: str | None) -> FindingKey:
    return (file, item.claim or "", str(item.code), url_digest(url))


def git_root(directory: Path, known: dict[Path, Path | None] | None = None) -> Path | None:
    """The nearest directory from ``directory`` upward holding ``.git`` (a worktree's ``.git``
    is a file), or None. ``known`` memoises the answer per directory across many files."""
    memo = known if known is not None else {}
    seen: list[Path] = []
    found: Path | None = None
    for folder in (directory, *directory.parents):
        if folder in memo:
            found = memo[folder]
            break
        seen.append(folder)
        if (folder / ".git").exists():
            found = folder
            break
    for folder in seen:
        memo[folder] = found
    return found


class KeyFiles:
    """The key's file for each claims file (by its path as shown): relative to the git root
    when the file is in a git work tree, else to the directory argument it was discovered
    under, else as shown. One per run: git roots are looked up once per directory."""

    def __init__(self, arguments: Iterable[Path]) -> None:
        self.roots = [Path(os.path.realpath(a)) for a in arguments if a.is_dir()]
        self.memo: dict[Path, Path | None] = {}

    def key(self, shown: str, path: Path, real_path: str | None = None) -> str:
        """``real_path``: ``path`` resolved, when the caller has it."""
        real = Path(real_path or resolve(path))
        base = git_root(real.parent, self.memo) or next(
            (root for root in self.roots if real.is_relative_to(root)), None
        )
        return real.relative_to(base).as_posix() if base is not None else shown


def key_files(arguments: Iterable[Path], files: Iterable[tuple[str, Path]]) -> dict[str, str]:
    """:class:`KeyFiles` for many files at once: shown path -> the key's file."""
    keys = KeyFiles(arguments)
    return {shown: keys.key(shown, path) for shown, path in files}
