"""A run over many files split across processes (``validate --jobs N``).

Checking one claims file depends on that file alone, so :func:`split` deals the files out in
contiguous slices: the calling process checks the first slice itself and a forked child each
of the others; each child sends back what the report keeps of its files (pickled, through a
pipe), and the slices come back in the files' order. The report is the one a single process
gives, byte for byte.

Why forked children and not a process pool: the work is a closure over the run's options
(``--changed-since`` is itself a closure) that a child inherits as it is and no pool could
pickle; there is one task per child, so a pool's queue adds nothing; and a run that is
interrupted or fails must end its children at once, which a pool cannot do before Python
3.14 (``terminate_workers``). Off Linux, off the main thread (see :func:`_can_fork`), or when
the run is too small to pay for a process (:data:`MIN_FILES`), the files are checked here, one
after another, as with ``--jobs 1``.

Errors are what they would have been in one process: the first slice that fails, in file
order, raises its exception here (a slice stops at its first failing file, so that is the
error of the first failing file); the children still running are killed (SIGKILL: they hold
no file and no temporary state) and reaped before it propagates. A child ignores Ctrl-C (the
terminal sends it to every process of the group: this process decides, and ends them) and
dies with this process on Linux, should this one be killed outright.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast

T = TypeVar("T")

#: The fewest files worth a process of their own. Forking a child and reaping it costs about
#: 5 ms; pickling a file's results there and unpickling them here about 0.1 ms a file,
#: against about 1 ms a file to check: two processes beat one from about 10 files on, when
#: the second CPU is free. A margin for a busy machine: 25 files a process at least.
MIN_FILES = 25

#: How much larger the calling process's slice is than a child's: a child also pickles its
#: results (about 6% of the time it takes to check them), so both finish at about the same
#: time and this process then unpickles them (about 5%).
FIRST_SHARE = 1.06


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def processes_for(files: int, jobs: int | None) -> int:
    """How many processes check ``files`` files for ``--jobs`` (None: the usable CPUs): at
    most ``jobs``, and each with at least :data:`MIN_FILES` files; 1 where children cannot be
    forked safely."""
    wanted = usable_cpus() if jobs is None else jobs
    count = min(wanted, files // MIN_FILES)
    if count <= 1 or not _can_fork():
        return 1
    return count


def _can_fork() -> bool:
    """Linux only, and from the main thread. A child resets its signal handlers, which only
    the main thread may do; on macOS a forked child that touches the system's frameworks
    (proxy settings, say) may crash, which is why Python starts processes there by ``spawn``.
    The CLI has no other thread when it forks (the interpreter re-creates its own locks and
    logging's in the child); a library caller asks for processes with ``RunOptions.jobs``."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and threading.current_thread() is threading.main_thread()
    )


def slices(total: int, count: int, first: float = 1.0) -> list[tuple[int, int]]:
    """``range(total)`` cut into ``count`` contiguous slices of even sizes, the first
    ``first`` times as large as each other (rounded)."""
    share = total * first / (first + count - 1)
    bounds = [(0, round(share) if count > 1 else total)]
    rest, others = total - bounds[0][1], count - 1
    start = bounds[0][1]
    for index in range(others):
        stop = start + rest // others + (1 if index < rest % others else 0)
        bounds.append((start, stop))
        start = stop
    return bounds


def split(work: Callable[[int, int], T], total: int, count: int) -> list[T]:
    """``work(start, stop)`` for each of ``count`` slices of ``range(total)``, the first here
    and each other in a forked child; the results in slice order. ``work`` runs in a child as
    it is (nothing of it is pickled); its result must pickle."""
    bounds = slices(total, count, FIRST_SHARE)
    if count <= 1:
        return [work(*bound) for bound in bounds]
    # Children leave with _exit and flush nothing: what this process has buffered is written
    # once, by this process.
    children: list[_Child] = []
    try:
        # Signals wait until every child has set up its own handling (see _child).
        with _signals_held() as mask:
            for start, stop in bounds[1:]:
                child = _fork(work, start, stop, mask, children)
                if child is not None:  # else no process to be had: that slice is checked here
                    children.append(child)
        # In slice order, the first here: the first error is the first failing file's.
        taken = {child.bounds: child for child in children}
        return [
            cast(T, taken[bound].result()) if bound in taken else work(*bound) for bound in bounds
        ]
    finally:
        # Ctrl-C or SIGTERM now would cut the clean-up short and leave a child running (or
        # close a pipe twice): they wait until every child is ended, then take effect.
        with _signals_held():
            for child in children:
                child.end()


@contextlib.contextmanager
def _signals_held() -> Iterator[set[int | signal.Signals]]:
    """Ctrl-C and SIGTERM held back inside the block (delivered when it ends); yields the
    signal mask from before, which a forked child restores once its own handling is set."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield before
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@dataclass
class _Child:
    pid: int
    #: The slice it checks.
    bounds: tuple[int, int]
    #: The read end of the pipe the child writes its pickled result to.
    fd: int
    reaped: bool = field(default=False)

    def result(self) -> object:
        # The pipe is this method's to close from here on (an interruption between the two
        # would leave it to end(), and never to both: a second close may hit a file opened
        # meanwhile).
        fd, self.fd = self.fd, -1
        try:
            data = _read_all(fd)
        finally:
            os.close(fd)
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        if not data:
            raise ChildLost(f"a worker process ended without its results ({_how(status)})")
        ok, value = pickle.loads(data)
        if ok:
            return value
        raise _rebuilt(*value)

    def end(self) -> None:
        """Kill the child if it still runs, reap it, close the pipe."""
        fd, self.fd = self.fd, -1
        if fd != -1:
            os.close(fd)
        if self.reaped:
            return
        with contextlib.suppress(ProcessLookupError):  # ended on its own, not yet reaped
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.reaped = True


#: How long a wait for a child's results lasts before this process looks for a signal again.
POLL_SECONDS = 0.1


def _read_all(fd: int) -> bytes:
    """Everything a child writes to its pipe, until it closes it; waited for in slices of
    :data:`POLL_SECONDS`, never in one blocking read.

    Python runs a signal's handler between bytecodes: a Ctrl-C that lands just before a
    blocking read starts does not interrupt it, and would be acted on only once the child
    has finished (about once in a thousand Ctrl-Cs, under a test that sends them as the
    child works). Between two waits the handler runs, so Ctrl-C and SIGTERM take effect
    within a tenth of a second.
    """
    import select

    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    chunks: list[bytes] = []
    while True:
        if not poller.poll(int(POLL_SECONDS * 1000)):
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


class ChildLost(RuntimeError):
    """A worker process ended without sending its results (killed, out of memory)."""


class ChildTraceback(Exception):
    """The traceback of an exception raised in a worker process (shown with ``--debug``)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _fork(
    work: Callable[[int, int], object],
    start: int,
    stop: int,
    mask: set[int | signal.Signals],
    siblings: Sequence[_Child],
) -> _Child | None:
    """A child checking ``range(start, stop)``; None when the system gives no process."""
    parent = os.getpid()
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        os.close(read)
        _child(work, start, stop, write, parent, mask, [s.fd for s in siblings])
    os.close(write)
    return _Child(pid, (start, stop), read)


def _child(
    work: Callable[[int, int], object],
    start: int,
    stop: int,
    write: int,
    parent: int,
    mask: set[int | signal.Signals],
    inherited: list[int],
) -> None:  # pragma: no cover - runs in the child
    """Run a slice, write its pickled result, and leave without the interpreter's shutdown
    (no atexit handler, no flushing of buffers the parent owns)."""
    import posix  # os._exit itself may have been replaced by the caller (tests do)

    status = 0
    try:
        for fd in inherited:  # the earlier siblings' pipes are the parent's to read
            os.close(fd)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with(parent)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        try:
            payload = pickle.dumps((True, work(start, stop)), pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # every failure goes to the parent
            payload = pickle.dumps((False, _described(exc)), pickle.HIGHEST_PROTOCOL)
        with open(write, "wb", closefd=True) as pipe:
            pipe.write(payload)
    except BaseException:  # the parent reports a child without results
        status = 1
    finally:
        posix._exit(status)


def _die_with(parent: int) -> None:  # pragma: no cover - runs in the child
    """On Linux, have the kernel kill this child when its parent dies (SIGKILL included)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        raise ChildLost("the parent process has ended")


def _described(exc: BaseException) -> tuple[bytes | None, str, str, str]:  # pragma: no cover
    """An exception as it can cross to the parent: pickled when it pickles, with its type's
    name, its message and its traceback."""
    import traceback

    try:
        pickled: bytes | None = pickle.dumps(exc, pickle.HIGHEST_PROTOCOL)
    except Exception:  # not every exception pickles
        pickled = None
    text = "".join(traceback.format_exception(exc))
    return pickled, type(exc).__name__, str(exc), text


def _rebuilt(pickled: bytes | None, name: str, message: str, text: str) -> BaseException:
    """The child's exception, raised here as it was raised there (the same type and message:
    the CLI's one-line error reads the same), its traceback attached as the cause."""
    exc: BaseException | None = None
    if pickled is not None:
        try:
            exc = pickle.loads(pickled)
        except Exception:  # a type whose arguments do not round-trip
            exc = None
    if exc is None:
        exc = type(name, (Exception,), {})(message)
    exc.__cause__ = ChildTraceback(f"\n{text}")
    return exc


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
