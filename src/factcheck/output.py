"""Everything the tool writes: the report to stdout, or to a file written atomically that
never replaces an input; and every line on stderr, through :func:`notice`."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from factcheck.errors import FactcheckError


def check_output_path(target: Path, protected: Iterable[Path]) -> None:
    """Refuse (exit 2) an output path that resolves to an input or into the cache."""
    resolved = target.resolve()
    for path in protected:
        try:
            guarded = path.resolve()
        except OSError:  # pragma: no cover - unresolvable paths cannot clash
            continue
        if resolved.is_relative_to(guarded):
            raise FactcheckError(
                "refusing to write the output over an input or into the cache",
                location=str(target),
            )


def write_atomic(target: Path, text: str) -> None:
    """Write via a temporary file in the target directory; nothing is left behind on failure.

    The file gets the permissions a plain ``open()`` would give it (0666 less the umask),
    not mkstemp's owner-only 0600: reports are meant to be read by others.
    """
    if target.is_dir():
        raise FactcheckError("is a directory; name a file to write", location=str(target))
    directory = target.parent if str(target.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise FactcheckError(f"cannot write: {exc.strerror}", location=str(target)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise FactcheckError(f"cannot write: {exc.strerror}", location=str(target)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def emit(text: str, target: Path | None, protected: Iterable[Path] = ()) -> None:
    if target is None or str(target) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    check_output_path(target, protected)
    write_atomic(target, text)


def notice(message: str, *, prefix: str | None = "factcheck") -> None:
    """One line on stderr, ``factcheck: message`` (progress, verdicts, errors): stdout carries
    only the rendered report. ``prefix=None`` writes the line as it is (a finding line)."""
    print(f"{prefix}: {message}" if prefix else message, file=sys.stderr)
