"""Claims files as found and read: discovery, reading and parsing to a YAML tree.

No validation happens here (that is :mod:`factcheck.load.loader`, with pydantic): a run can learn
which links a file cites from its tree and start fetching them while the models are built.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from factcheck.errors import FactcheckError
from factcheck.files import (
    FileError,
    Problem,
    UserFile,
    decode,
    forget_real_paths,
    read_bytes,
    real_directory,
    real_path,
)
from factcheck.load import yamltree
from factcheck.load.yamltree import Node

_SKIP_DIRS = {"node_modules", "venv", "env", "__pycache__", "site-packages"}


@dataclass(frozen=True)
class ParsedFile:
    """A claims file read and parsed: its YAML tree, or why it cannot be used (FC101)."""

    path: Path
    shown: str
    tree: Node | None = None
    nodes: int = 0
    error: FactcheckError | None = None
    #: Claims already built while parsing (``parse_file(..., claims=...)``), by their index
    #: in the ``claims`` list; the tree keeps a stub in their place.
    built: dict[int, Any] = field(default_factory=dict)
    #: The file's real path (symbolic links resolved), worked out once for the whole run.
    real: str = ""


class ClaimBuilder(yamltree.ClaimHook, Protocol):
    """A :class:`~factcheck.load.yamltree.ClaimHook` that knows the file (as shown) and keeps
    what it built."""

    file: str
    built: dict[int, Any]


def parse_file(path: Path, claims: ClaimBuilder | None = None) -> ParsedFile:
    """Read and parse one claims file; problems become :attr:`ParsedFile.error`. With
    ``claims`` (the loader's), each claim's model is built as soon as it is read."""
    real = real_path(path)
    shown = _shown(path, real)
    try:
        text = read_text(path, shown)
        if claims is not None:
            claims.file = shown
        tree, nodes = yamltree.parse_counted(text, shown, claims)
    except FactcheckError as exc:
        if claims is not None:
            claims.reset()
        return ParsedFile(path, shown, error=exc, real=real)
    return ParsedFile(path, shown, tree, nodes, built=claims.built if claims else {}, real=real)


def selected_claim_ids(selectors: Iterable[str], path: Path) -> set[str] | None:
    """The claim ids of ``path`` that ``--claim ID|FILE:ID`` selectors name; None when no
    selector is given (every claim)."""
    selectors = list(selectors)
    if not selectors:
        return None
    wanted = set()
    for selector in selectors:
        file, _, claim_id = selector.rpartition(":")
        if not file or Path(file).resolve() == path.resolve():
            wanted.add(claim_id)
    return wanted


# --------------------------------------------------------------------------- discovery


def display_path(path: Path) -> str:
    """The path as discovered: POSIX separators, relative to the current directory if below it."""
    return _shown(path, real_path(path))


def _shown(path: Path, real: str) -> str:
    """:func:`display_path` of a path already resolved to ``real``."""
    try:
        return Path(real).relative_to(real_directory(os.getcwd())).as_posix()
    except ValueError:
        return path.as_posix()


def is_claims_file_name(name: str) -> bool:
    return name == "claims.yaml" or name.endswith(".claims.yaml")


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand PATH arguments: files as given, directories walked in sorted order (README,
    "Commands")."""
    forget_real_paths()
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            below = list(_walk(path))
            if not below:
                raise FactcheckError(
                    "no claims.yaml or *.claims.yaml files in this directory", location=str(path)
                )
            found.extend(below)
        elif path.exists():
            found.append(path)
        else:
            raise FactcheckError("no such file", location=str(path))
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(real_path(path), path)
    return list(unique.values())


def _walk(directory: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory, followlinks=False):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in _SKIP_DIRS
            and not (Path(root, d, "pyvenv.cfg")).exists()
        )
        for name in sorted(files):
            if is_claims_file_name(name):
                yield Path(root, name)


# --------------------------------------------------------------------------- reading


#: Claims files, worded as the loader reports them (FC101).
CLAIMS_FILE = UserFile(
    "file",
    yamltree.MAX_BYTES,
    {
        Problem.DIRECTORY: "is a directory",
        Problem.NOT_REGULAR: "not a regular file; not a claims file",
        Problem.TOO_LARGE: "file is {size} MiB; claims files over {cap} MiB are refused",
        Problem.UNREADABLE: "cannot read file: {reason}",
        Problem.NOT_TEXT: "not UTF-8 (byte 0x{byte}); save the file as UTF-8",
    },
)
#: Problems inside the file (a located FC101), rather than with the path.
_IN_THE_FILE = {Problem.NOT_REGULAR, Problem.TOO_LARGE, Problem.NOT_TEXT}


def read_text(path: Path, shown: str) -> str:
    """Read a claims file as UTF-8, refusing what cannot be a claims file (FC101 errors)."""
    try:
        data = read_bytes(path, CLAIMS_FILE, location=shown)
        if b"\x00" in data:
            raise yamltree.YamlError("binary file (NUL bytes); not a claims file", location=shown)
        return decode(data, CLAIMS_FILE, location=shown)
    except FileError as exc:
        if exc.problem in _IN_THE_FILE:
            raise yamltree.YamlError(exc.message, location=exc.location) from None
        raise FactcheckError(exc.message, location=exc.location) from None
