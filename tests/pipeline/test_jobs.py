"""``validate --jobs N``: the files split across processes give the report, the exit code and
the error of one process, and an interrupted or failing run leaves no process behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import factcheck.pipeline
from factcheck.errors import FactcheckError
from factcheck.pipeline.jobs import MIN_FILES, processes_for, slices
from factcheck.report import Report
from tests.common import write
from tests.conftest import Cli
from tests.load.test_changes import _git

#: Enough files for two processes (and no more than two, whatever the CPUs: --jobs 2).
FILES = 2 * MIN_FILES + 4

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
ARTICLE = "# Harbour\n\nIn 1990 the harbour moved 2 thousand tonnes. The sky is blue.\n"


def _claims(index: int) -> str:
    """A claims file with a finding or two of its own; every seventh has no article file
    (FC306) and every ninth names a figure its evidence lacks (FC209)."""
    text = "nowhere.md" if index % 7 == 3 else "article.md"
    quote = "In 1990 the harbour moved 2 thousand tonnes." if index % 9 == 4 else "The sky is blue."
    second = (
        f"""
  - id: C002
    quote: "Not in the article {index}"
    status: supported
    rationale: Said so.
    evidence:
      - url: https://stats.example.org/{index}
        title: Figures
        publisher: Port Authority
"""
        if index % 5 == 1
        else ""
    )
    return f"""\
version: 1
article:
  title: Story {index}
  url: https://news.example.org/{index}
  publisher: The Paper
  text: {text}
claims:
  - id: C001
    quote: "{quote}"
    status: supported
    rationale: The port authority says so.
    evidence:
      - url: https://stats.example.org/{index}/1
        title: Port statistics
        publisher: Port Authority
{second}"""


def _archive(root: Path, files: int = FILES) -> Path:
    desk = root / "desk"
    for index in range(files):
        folder = desk / f"{index:03d}"
        folder.mkdir(parents=True)
        (folder / "article.md").write_text(ARTICLE, encoding="utf-8")
        (folder / "claims.yaml").write_text(_claims(index), encoding="utf-8")
    # A file that does not load (FC101) in each half of the archive.
    for index in (5, files - 6):
        (desk / f"{index:03d}" / "claims.yaml").write_text("version: 1\nclaims: [\n", "utf-8")
    return desk


@pytest.fixture
def pids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each process that checks a file writes its id to a file (children append too): a test
    sees that its run really was split."""
    record = tmp_path / "pids"
    check_file = factcheck.pipeline._check_file

    def recording(state, options, today):  # type: ignore[no-untyped-def]
        with record.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        check_file(state, options, today)

    monkeypatch.setattr(factcheck.pipeline, "_check_file", recording)
    yield record


def _processes(record: Path) -> int:
    count = len(set(record.read_text("utf-8").split()))
    record.unlink()
    return count


def _same_run(cli: Cli, record: Path, *args: str, cwd: Path | None = None) -> tuple[int, str]:
    """The run with --jobs 1 and with --jobs 2: the same exit code, stdout and stderr."""
    one = cli("validate", *args, "--jobs", "1", cwd=cwd)
    assert _processes(record) == 1
    two = cli("validate", *args, "--jobs", "2", cwd=cwd)
    assert _processes(record) == 2
    assert (two.code, two.out, two.err) == (one.code, one.out, one.err)
    return one.code, one.out


def test_two_processes_give_the_report_of_one(cli: Cli, tmp_path: Path, pids: Path) -> None:
    _archive(tmp_path)
    code, out = _same_run(cli, pids, "desk", "--format", "json")
    report = json.loads(out)
    assert code == 2  # the files that do not load
    assert len(report["files"]) == FILES  # none lost to a file that failed, in either half
    found = {(f["file"].split("/")[1], f["code"]) for f in report["findings"]}
    assert {("005", "FC101"), (f"{FILES - 6:03d}", "FC101")} <= found
    assert {("003", "FC306"), (f"{FILES - 2:03d}", "FC306")} <= found  # no article file
    assert {("004", "FC209"), ("049", "FC209")} <= found
    assert {("001", "FC301"), (f"{FILES - 3:03d}", "FC301")} <= found  # not in the article
    _same_run(cli, pids, "desk")  # the console report too
    _same_run(cli, pids, "desk", "--format", "sarif")


def test_claim_selectors_across_the_halves(tmp_path: Path, pids: Path) -> None:
    """``--claim`` (verify's, which a library caller may give an offline run too): the
    selected claims of every file, and an unknown selector's error, whatever the split."""
    desk = _archive(tmp_path)
    late = (desk / f"{FILES - 3:03d}" / "claims.yaml").as_posix()

    def reports(*selectors: str) -> Report:
        done = []
        for jobs in (1, 2):
            options = factcheck.pipeline.RunOptions(
                [desk], claim_filter=selectors, jobs=jobs, now=NOW, today=NOW.date()
            )
            done.append(factcheck.pipeline.run(options))
            assert _processes(pids) == jobs
        assert done[1] == done[0]
        return done[0]

    report = reports("C002")
    claims = [(c.file.split("/")[-2], c.id) for c in report.claims]
    assert ("001", "C002") in claims and (f"{FILES - 3:03d}", "C002") in claims
    assert {claim for _, claim in claims} == {"C002"}
    report = reports(f"{late}:C002", f"{desk}/000/claims.yaml:C001")
    assert [(c.file.split("/")[-2], c.id) for c in report.claims] == [
        ("000", "C001"),
        (f"{FILES - 3:03d}", "C002"),
    ]
    errors = []
    for jobs in (1, 2):
        options = factcheck.pipeline.RunOptions([desk], claim_filter=(f"{late}:C003",), jobs=jobs)
        with pytest.raises(FactcheckError) as raised:
            factcheck.pipeline.run(options)
        errors.append(str(raised.value))
    assert (
        errors[0]
        == errors[1]
        == f"--claim {late}:C003: no claim C003 in {late}; did you mean C002?"
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_in_both_halves(cli: Cli, tmp_path: Path, pids: Path) -> None:
    desk = _archive(tmp_path)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    for index in (2, 30, FILES - 1):
        claims = desk / f"{index:03d}" / "claims.yaml"
        claims.write_text(claims.read_text("utf-8").replace("says so", "says it"), "utf-8")
    write(desk / "040" / "article.md", "# Harbour\n\nThe sky is grey.\n")
    code, out = _same_run(cli, pids, "desk", "--changed-since", "HEAD", "--format", "json")
    files = [f["file"] for f in json.loads(out)["files"]]
    assert files == [f"desk/{i:03d}/claims.yaml" for i in (2, 30, 40, FILES - 1)]
    assert code == 1  # 040's quote is no longer in its article


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (
            RuntimeError,
            3,
            "factcheck: internal error: RuntimeError: trouble in {} (this is a bug; run again "
            "with --debug for the traceback)",
        ),
        (FactcheckError, 2, "factcheck: error: {}: trouble in {}"),
    ],
    ids=["internal", "expected"],
)
@pytest.mark.parametrize("halves", [("second",), ("first", "second")])
def test_an_error_in_a_child_ends_the_run_as_in_one_process(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: type[Exception],
    code: int,
    line: str,
    halves: tuple[str, ...],
) -> None:
    """The error of the first failing file, in file order, with its exit code and its one
    line: a file of the second half fails in the child; when one of the first half fails too,
    its error is the run's, as in one process."""
    _archive(tmp_path)
    check_file = factcheck.pipeline._check_file
    files = {"first": "desk/010/claims.yaml", "second": f"desk/{FILES - 10:03d}/claims.yaml"}
    failing = {files[half] for half in halves}

    def failing_check(state, options, today):  # type: ignore[no-untyped-def]
        path = state.loaded.path
        if path in failing:
            raise error(f"trouble in {path}", **({"location": path} if code == 2 else {}))
        check_file(state, options, today)

    monkeypatch.setattr(factcheck.pipeline, "_check_file", failing_check)
    one = cli("validate", "desk", "--jobs", "1", "--format", "json")
    two = cli("validate", "desk", "--jobs", "2", "--format", "json")
    assert (two.code, two.out, two.err) == (one.code, one.out, one.err)
    assert two.code == code
    assert two.err.splitlines()[-1] == line.replace("{}", min(failing))
    assert "Traceback" not in two.err
    assert _children() == []


def test_a_child_killed_outright_is_an_internal_error(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child that dies without its results (the kernel's out-of-memory killer) ends the run
    with exit 3 and one line, not with a report missing its files."""
    _archive(tmp_path)
    check_file = factcheck.pipeline._check_file
    parent = os.getpid()

    def killed(state, options, today):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        check_file(state, options, today)

    monkeypatch.setattr(factcheck.pipeline, "_check_file", killed)
    result = cli("validate", "desk", "--jobs", "2")
    assert result.code == 3
    assert result.err.splitlines()[-1] == (
        "factcheck: internal error: ChildLost: a worker process ended without its results "
        "(killed by SIGKILL) (this is a bug; run again with --debug for the traceback)"
    )
    assert _children() == []


def test_without_a_process_to_be_had_the_run_goes_on_in_one(
    cli: Cli, tmp_path: Path, pids: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(tmp_path)
    one = cli("validate", "desk", "--jobs", "1", "--format", "json")
    _processes(pids)

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    two = cli("validate", "desk", "--jobs", "2", "--format", "json")
    assert (two.code, two.out, two.err) == (one.code, one.out, one.err)
    assert _processes(pids) == 1


def _children() -> list[str]:
    """This process's children (Linux): none may outlive a run."""
    pid = os.getpid()
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


def test_too_few_files_stay_in_one_process() -> None:
    assert processes_for(2 * MIN_FILES - 1, 8) == 1
    assert processes_for(2 * MIN_FILES, 8) == 2
    assert processes_for(100 * MIN_FILES, 3) == 3
    assert processes_for(100 * MIN_FILES, 1) == 1
    assert slices(10, 3) == [(0, 3), (3, 7), (7, 10)]
    assert slices(1000, 2, 1.06) == [(0, 515), (515, 1000)]


SLOW_CHILD = textwrap.dedent(
    """\
    import os, sys, time
    import factcheck.pipeline

    check_file = factcheck.pipeline._check_file
    parent = os.getpid()

    def slow(state, options, today):
        if os.getpid() != parent and state.loaded.path.endswith("{last}/claims.yaml"):
            with open("child.pid", "w") as out:
                out.write(str(os.getpid()))
            print("ready", file=sys.stderr, flush=True)
            time.sleep(30)
        check_file(state, options, today)

    factcheck.pipeline._check_file = slow
    from factcheck.cli import main
    main(["validate", "desk", "--jobs", "2"])
    """
)


@pytest.mark.parametrize(
    ("signum", "group", "code", "words"),
    [
        (signal.SIGINT, True, 130, "factcheck: interrupted"),  # Ctrl-C: the whole group
        (signal.SIGTERM, False, 143, "factcheck: terminated"),  # kill PID
        (signal.SIGKILL, False, -9, ""),  # no clean-up at all: the kernel ends the child
    ],
    ids=["SIGINT", "SIGTERM", "SIGKILL"],
)
def test_a_signal_ends_the_children_too(
    tmp_path: Path, signum: int, group: bool, code: int, words: str
) -> None:
    _archive(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_CHILD.replace("{last}", f"{FILES - 1:03d}")],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # Ctrl-C reaches the run even where this test runs with SIGINT ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert proc.stderr is not None
        assert proc.stderr.readline() == "ready\n"
        child = int((tmp_path / "child.pid").read_text())
        if group:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == code
    assert words in err
    assert "Traceback" not in err
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    """The process runs (Linux; a zombie no longer does)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
