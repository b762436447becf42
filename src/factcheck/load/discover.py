"""Claims files as found and read: discovery, reading and parsing to a YAML tree.

No validation happens here (that is :mod:`factcheck.load.loader`, with pydantic): a run can learn
which links a file cites from its tree and start fetching them while the models are built.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from factcheck.errors import FactcheckError
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


def parse_file(path: Path) -> ParsedFile:
    """Read and parse one claims file; problems become :attr:`ParsedFile.error`."""
    shown = display_path(path)
    try:
        text = read_text(path, shown)
        tree, nodes = yamltree.parse_counted(text, shown)
    except FactcheckError as exc:
        return ParsedFile(path, shown, error=exc)
    return ParsedFile(path, shown, tree, nodes)


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
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def is_claims_file_name(name: str) -> bool:
    return name == "claims.yaml" or name.endswith(".claims.yaml")


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand PATH arguments: files as given, directories walked in sorted order (README,
    "Commands")."""
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
        unique.setdefault(os.path.realpath(path), path)
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


def read_text(path: Path, shown: str) -> str:
    """Read a claims file as UTF-8, refusing what cannot be a claims file (FC101 errors)."""
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(status.st_mode):  # a FIFO or device would block or never end
            raise yamltree.YamlError("not a regular file; not a claims file", location=shown)
        size = status.st_size
        if size > yamltree.MAX_BYTES:
            raise yamltree.YamlError(
                f"file is {size / 1048576:.1f} MiB; claims files over 20 MiB are refused",
                location=shown,
            )
        with path.open("rb") as handle:
            data = handle.read(yamltree.MAX_BYTES + 1)
    except IsADirectoryError:
        raise FactcheckError("is a directory", location=shown) from None
    except FileNotFoundError:
        raise FactcheckError("no such file", location=shown) from None
    except OSError as exc:
        raise FactcheckError(f"cannot read file: {exc.strerror}", location=shown) from None
    if b"\x00" in data:
        raise yamltree.YamlError("binary file (NUL bytes); not a claims file", location=shown)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise yamltree.YamlError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            location=f"{shown}:{line}:{column}",
        ) from None
