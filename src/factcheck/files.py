"""Reading the files a user names (claims files, the article, the configuration, a saved JSON
report): one helper that refuses what cannot be read safely and says why in one line.

A file is read only when it is a regular file (a FIFO or device would block or never end) of
at most its kind's size cap; text is UTF-8 (a BOM is allowed), and a byte that is not is
reported with its line and column. Each kind of file words its problems for its reader
(:class:`UserFile`); the checks are the same for all.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from factcheck.errors import FactcheckError

MIB = 1024 * 1024


def real_path(path: str | os.PathLike[str]) -> str:
    """``os.path.realpath(path)``, with each directory resolved once per run.

    An archive of 10,000 claims files resolves each file's path three times (discovery, reading,
    its article), and ``realpath`` looks at every component of every path each time. Here a
    path that is not a symbolic link is its directory's real path joined with its name, and a
    directory's real path is worked out once, from its parent's: a file costs one look at
    itself and one at a directory not seen before (:func:`forget_real_paths` starts a run
    afresh: links may change between runs).
    """
    text = os.fspath(path)
    directory, name = os.path.split(text)
    if name in ("", ".", "..") or "\x00" in name or os.path.islink(text):  # NUL: ValueError
        return os.path.realpath(text)
    return os.path.join(real_directory(os.path.join(os.getcwd(), directory)), name)


@functools.lru_cache(maxsize=65536)
def real_directory(absolute: str) -> str:
    """``os.path.realpath`` of an absolute directory path, worked out from its parent's and
    remembered until :func:`forget_real_paths`."""
    parent, name = os.path.split(absolute)
    if (
        name in ("", ".", "..")
        or parent == absolute
        or absolute.count(os.sep) > 64  # one call per level: no deep recursion
        or os.path.islink(absolute)
    ):
        return os.path.realpath(absolute)
    return os.path.join(real_directory(parent), name)


def forget_real_paths() -> None:
    """Resolve directories afresh (at the start of a run)."""
    real_directory.cache_clear()


class Problem(StrEnum):
    MISSING = "missing"
    DIRECTORY = "directory"
    NOT_REGULAR = "not-regular"
    TOO_LARGE = "too-large"
    UNREADABLE = "unreadable"
    NOT_TEXT = "not-text"


#: How a problem is worded, unless a kind of file words it its own way. Placeholders:
#: ``{noun}``, ``{size}`` (MiB, one decimal), ``{cap}`` (MiB), ``{reason}`` (the system's),
#: ``{byte}`` (the first byte that is not UTF-8, in hex).
WORDING: dict[Problem, str] = {
    Problem.MISSING: "no such {noun}",
    Problem.DIRECTORY: "the {noun} path is a directory",
    Problem.NOT_REGULAR: "the {noun} path is not a regular file",
    Problem.TOO_LARGE: "the {noun} is {size} MiB; over {cap} MiB is refused",
    Problem.UNREADABLE: "cannot read the {noun}: {reason}",
    Problem.NOT_TEXT: "the {noun} is not UTF-8 text (byte 0x{byte})",
}


@dataclass(frozen=True)
class UserFile:
    """A kind of file the user names: what to call it, its size cap, its own wording."""

    noun: str
    max_bytes: int
    wording: Mapping[Problem, str] = field(default_factory=dict)

    def message(self, problem: Problem, **values: object) -> str:
        template = self.wording.get(problem, WORDING[problem])
        return template.format(noun=self.noun, cap=self.max_bytes // MIB, **values)


class FileError(FactcheckError):
    """A file the user named cannot be read (exit 2, or FC101 for a claims file)."""

    def __init__(self, problem: Problem, message: str, *, location: str | None) -> None:
        super().__init__(message, location=location)
        self.problem = problem


def read_bytes(path: Path, kind: UserFile, *, location: str | None = None) -> bytes:
    """The bytes of ``path``, refused when it is missing, not a regular file or too large."""
    where = location if location is not None else str(path)

    def fail(problem: Problem, **values: object) -> FileError:
        return FileError(problem, kind.message(problem, **values), location=where)

    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise fail(Problem.DIRECTORY)
        if not stat.S_ISREG(status.st_mode):
            raise fail(Problem.NOT_REGULAR)
        if status.st_size > kind.max_bytes:
            raise fail(Problem.TOO_LARGE, size=f"{status.st_size / MIB:.1f}")
        with path.open("rb") as handle:
            # The size the stat gave, plus one byte to see growth: a read of the cap would
            # allocate the cap (20 MiB) for every small file.
            data = handle.read(status.st_size + 1)
            if len(data) > status.st_size:  # it grew after the stat: read on up to the cap
                data += handle.read(max(kind.max_bytes + 1 - len(data), 0))
    except FileNotFoundError:
        raise fail(Problem.MISSING) from None
    except IsADirectoryError:
        raise fail(Problem.DIRECTORY) from None
    except OSError as exc:
        raise fail(Problem.UNREADABLE, reason=exc.strerror) from None
    if len(data) > kind.max_bytes:  # it grew after the stat
        raise fail(Problem.TOO_LARGE, size=f"{len(data) / MIB:.1f}")
    return data


def decode(data: bytes, kind: UserFile, *, location: str) -> str:
    """UTF-8 text (a BOM dropped); a byte that is not UTF-8 is reported at its line and column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = kind.message(Problem.NOT_TEXT, byte=f"{data[exc.start]:02x}")
        raise FileError(Problem.NOT_TEXT, message, location=f"{location}:{line}:{column}") from None


def read_text(path: Path, kind: UserFile, *, location: str | None = None) -> str:
    """:func:`read_bytes`, then :func:`decode`."""
    where = location if location is not None else str(path)
    return decode(read_bytes(path, kind, location=where), kind, location=where)
