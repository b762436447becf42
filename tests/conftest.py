"""Shared test fixtures: a pinned terminal and ``cli``, the one way tests run the CLI.

``cli`` runs ``factcheck.cli.main`` in this process, isolated as a process would be. The few
things only a whole process shows (the ``python -m factcheck`` and console-script entries,
exit codes on signals, the hard exit after a run, which modules a fresh interpreter imports,
serving the demo until Ctrl-C) are tested with ``subprocess`` where they are tested.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import NoReturn

import pytest

from factcheck.cli import main

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _pinned_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")


@dataclass
class Result:
    code: int
    out: str
    err: str


#: The ``cli`` fixture: ``cli(*args, cwd=None, timeout=60) -> Result``.
Cli = Callable[..., Result]


class _TimedOut(BaseException):
    """A run outlived its timeout (raised from SIGALRM; main() catches only Exception)."""


class _HardExit(BaseException):
    """Something called ``os._exit`` in process; only ``factcheck.cli.entry`` may."""


def _no_hard_exit(status: int) -> NoReturn:
    raise _HardExit(status)


def _timed_out(signum: int, frame: FrameType | None) -> NoReturn:
    raise _TimedOut


def _exit_status(code: object) -> int:
    """The status a process would exit with for ``SystemExit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # as the interpreter does for sys.exit("message")
    return 1


def run_in_process(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], cwd: Path, timeout: float
) -> Result:
    """``factcheck ARGS`` in ``cwd`` as a process would run it, but in this one.

    stdout and stderr are captured apart and are not terminals, stdin is empty, the
    environment is the test's (pinned by ``_pinned_terminal``) and whatever the run changes in
    it, the working directory, the signal handlers and the root logger's handlers is put back.
    ``main`` raises ``SystemExit`` where ``entry`` would hard-exit; a hard exit in process
    fails the test. A run longer than ``timeout`` seconds fails the test (SIGALRM), as the
    subprocess timeout did.
    """
    capsys.readouterr()  # what the test printed before is not the run's output
    signals = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM)}
    environ = dict(os.environ)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stdin, hard_exit = sys.stdin, os._exit
    code: int | None = None
    try:
        with contextlib.chdir(cwd):
            sys.stdin = io.StringIO("")
            os._exit = _no_hard_exit
            signal.signal(signal.SIGALRM, _timed_out)
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                main(list(args))
            except SystemExit as exc:
                code = _exit_status(exc.code)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimedOut:
        pytest.fail(f"factcheck {' '.join(args)} did not finish within {timeout} s")
    except _HardExit as exc:
        pytest.fail(f"factcheck {' '.join(args)} called os._exit({exc}) in process")
    finally:
        sys.stdin, os._exit = stdin, hard_exit
        for signum, handler in signals.items():
            signal.signal(signum, handler)
        root.handlers[:], root.level = handlers, level
        os.environ.clear()
        os.environ.update(environ)
    if code is None:
        pytest.fail(f"factcheck {' '.join(args)}: main() returned instead of exiting")
    out, err = capsys.readouterr()
    return Result(code, out, err)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    """Run the CLI in process, in ``tmp_path`` unless ``cwd`` is given; returns a Result."""

    def call(*args: str, cwd: Path | None = None, timeout: float = 60) -> Result:
        return run_in_process(capsys, args, cwd or tmp_path, timeout)

    yield call
