"""``--changed-since REF``: the claims files a pull request touched, at file level.

A claims file is checked when it changed since ``REF`` (committed, staged, in the working tree,
renamed or new and untracked), or when the file its ``article.text`` names did. Git answers;
outside a repository, or for a ``REF`` the clone does not have (a shallow CI checkout), the
run cannot do its job (exit 2).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from factcheck.errors import FactcheckError
from factcheck.load import yamltree
from factcheck.load.discover import ParsedFile
from factcheck.load.yamltree import Mapping, Node, Scalar

#: Bounds one git call: a repository's history is local, so this is generous.
_GIT_TIMEOUT = 120.0


@dataclass(frozen=True)
class Changes:
    """The files changed since a git revision, as real paths."""

    ref: str
    paths: frozenset[str]

    def selects(self, file: ParsedFile) -> bool:
        """The claims file changed, or its ``article.text`` did."""
        if os.path.realpath(file.path) in self.paths:
            return True
        text = _article_text(file.tree)
        if text is None:
            return False
        return os.path.realpath(file.path.parent / text) in self.paths


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=_GIT_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except FileNotFoundError:
        raise FactcheckError("--changed-since needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise FactcheckError(
            f"--changed-since: git {args[0]} took over {_GIT_TIMEOUT:g} s"
        ) from None


def changed_since(ref: str, cwd: Path | None = None) -> Changes:
    """Every file changed since ``ref``: in its commits, staged, in the working tree, and new
    files git does not ignore."""
    where = cwd or Path.cwd()
    top = _git(["rev-parse", "--show-toplevel"], where)
    if top.returncode != 0:
        raise FactcheckError("--changed-since needs a git repository; this is not one")
    root = Path(os.fsdecode(top.stdout.strip()))
    if (
        ref.startswith("-")
        or _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], where).returncode
    ):
        raise FactcheckError(f"{ref} not found (shallow clone? fetch with depth 0)")
    diff = _git(["diff", "--name-only", "-z", "--no-renames", ref, "--"], root)
    new = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    if diff.returncode or new.returncode:
        message = (diff.stderr or new.stderr).decode("utf-8", "replace").strip().splitlines()
        raise FactcheckError(f"--changed-since: git failed: {message[0] if message else '?'}")
    names = [n for out in (diff.stdout, new.stdout) for n in out.split(b"\0") if n]
    return Changes(ref, frozenset(os.path.realpath(root / os.fsdecode(n)) for n in names))


def _value(node: Node | None, key: str) -> Node | None:
    if not isinstance(node, Mapping):
        return None
    for name, value in node.items:
        if type(name) is Scalar and name.value == key:
            return value
    return None


def _article_text(tree: Node | None) -> str | None:
    """``article.text`` as written, read off the YAML tree (no validation needed)."""
    node = _value(_value(tree, "article"), "text")
    if type(node) is not Scalar or (node.plain and node.value in yamltree.NULLS):
        return None
    return node.value.strip() or None
