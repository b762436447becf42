"""``factcheck demo``: the real verify, end to end, against the web the demo serves itself."""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from factcheck.commands.demo import DemoOptions, claims_text
from factcheck.commands.demo import run as run_demo
from factcheck.demo.site import ROUTES, DemoSite, body_of, route_for
from factcheck.extract import PageKind, extract_page
from tests.conftest import Cli

#: What the demo's report must show: each claim's status, link and quote, one per source kind.
EXPECTED_FINDINGS = {
    ("FC602", "C004"),  # contradicted, in draft mode
    ("FC601", "C005"),  # pending
    ("FC401", "C006"),  # dead page (404), no archive copy
    ("FC603", "C007"),  # unverified
    ("FC402", "C007"),  # bot-blocked (403)
    ("FC402", "C008"),  # soft 404
    ("FC501", "C009"),  # a page read completely, without the quote
    ("FC502", "C010"),  # an edited page: the quote is near
    ("FC402", "C011"),  # dead page, working archive copy
    ("FC503", "C011"),  # the quote only on the archive copy
}


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any connection to anything but 127.0.0.1, and any DNS look-up."""
    connects: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            connects.append(str(address[0]))
            assert address[0] == "127.0.0.1", f"the demo connected to {address[0]}"
        real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        assert host in (None, "127.0.0.1"), f"the demo looked up {host}"
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield connects


def _findings(out: str) -> set[tuple[str, str]]:
    found = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) > 3 and parts[1] in {"error", "warning"} and parts[3].startswith("["):
            found.add((parts[2], parts[3].strip("[]")))
    return found


def test_demo_runs_the_real_gate_against_its_own_web_only(
    loopback_only: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    started = time.monotonic()
    code = run_demo(DemoOptions(report=tmp_path / "report.md"))
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()

    assert code == 1  # the demo article is not ready to publish: the real gate says so
    assert _findings(out) == EXPECTED_FINDINGS
    assert "failed: 4 errors, 6 warnings; blocking: FC401, FC501, FC601, FC602" in out
    # Every source kind shows as a user would read it.
    assert "redirected" in out and "/events/lantern-festival-2024" in out
    assert "bot-blocked 403" in out and "soft-404 200" in out and "http-status 404" in out
    assert "quote near 94.2%" in out and "quote found [archive copy]" in out
    assert "sea-wall-survey-2024.pdf  quote found" in out
    # Every status is in the demo.
    assert (
        "12 claims (7 supported, 1 partially_supported, 1 contradicted, 1 unverified, "
        "1 opinion, 1 pending)" in out
    )
    # Findings point into the claims file as the demo wrote it.
    assert "\nclaims.yaml:79:13: error FC601 [C005]" in out
    assert loopback_only and set(loopback_only) == {"127.0.0.1"}
    report = (tmp_path / "report.md").read_text()
    assert report.startswith("# Fact-check: Quillhaven's ferry is back")
    assert "allow_cidr" in report and "127.0.0.1/32" in report
    assert "serving the demo's sources at http://127.0.0.1:" in err
    assert elapsed < 10


def test_demo_as_a_command_exits_with_the_gate_and_keeps_its_files(
    cli: Cli, tmp_path: Path
) -> None:
    result = cli("demo", "--keep", "mine", cwd=tmp_path)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    kept = tmp_path / "mine"
    assert sorted(p.name for p in kept.iterdir()) == ["article.md", "claims.yaml"]
    assert "mine/claims.yaml:79:13: error FC601 [C005]" in result.out
    assert "factcheck verify mine/claims.yaml --allow-cidr 127.0.0.1/32 --no-cache" in result.err
    assert "factcheck demo --serve --port" in result.err
    # The kept files are a valid claims file and its article, offline.
    checked = cli("validate", "mine/claims.yaml", cwd=tmp_path)
    assert checked.code == 0, checked.out
    assert "0 errors, 0 warnings" in checked.out


def test_a_report_path_that_is_a_directory_is_refused_before_the_run(
    cli: Cli, tmp_path: Path
) -> None:
    (tmp_path / "reports").mkdir()
    result = cli("demo", "--report", "reports", cwd=tmp_path)
    assert result.code == 2 and result.out == ""
    assert result.err == (
        "factcheck: error: reports: --report needs a file name, this is a directory\n"
    )


def test_keep_refuses_to_overwrite_the_demo_files(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "claims.yaml").write_text("mine\n")
    result = cli("demo", "--keep", "mine", cwd=tmp_path)
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "factcheck: error: mine: claims.yaml already exists there; --keep writes only into a "
        "directory without the demo's files (remove them or choose another directory)"
    ]
    assert (tmp_path / "mine" / "claims.yaml").read_text() == "mine\n"


def _lines(stream: Any) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_for(lines: queue.Queue[str], text: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        if text in line:
            return line
    raise AssertionError(f"the demo never said {text!r}")


def test_the_printed_rerun_command_works_while_the_demo_serves(cli: Cli, tmp_path: Path) -> None:
    demo = subprocess.Popen(
        [sys.executable, "-m", "factcheck", "demo", "--keep", "mine", "--serve", "-q"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C reaches the demo even when this test runs where SIGINT is ignored (a shell's
        # background job), which the child would otherwise inherit.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        line = _wait_for(_lines(demo.stderr), "until Ctrl-C")
        command = line.split("in another terminal: ", 1)[1].split()
        assert command[:2] == ["factcheck", "verify"]
        rerun = cli(*command[1:], cwd=tmp_path)
        assert rerun.code == 1, rerun.err
        assert _findings(rerun.out) == EXPECTED_FINDINGS
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(timeout=10)
    assert demo.returncode == 1  # Ctrl-C ends the serving; the exit code is the demo's gate


def test_demo_web_routes() -> None:
    with DemoSite() as site:
        moved = requests.get(f"{site.base_url}/festival/2024", allow_redirects=False, timeout=5)
        assert moved.status_code == 301
        archived = f"{site.base_url}/web/20240101000000id_/{site.base_url}/museum/lighthouse"
        assert "first lit on 3 November 1862" in requests.get(archived, timeout=5).text
        assert requests.get(f"{site.base_url}/museum/lighthouse", timeout=5).status_code == 404
        assert requests.get(f"{site.base_url}/nowhere", timeout=5).status_code == 404
    assert route_for("/web/2024/http://elsewhere.example/other").status == 404
    assert set(ROUTES) <= set(claims_text("").replace("\n", " ").split(" ")) | {
        "/events/lantern-festival-2024"
    }


def test_the_demo_pdf_is_a_real_pdf_with_its_text() -> None:
    route = ROUTES["/files/sea-wall-survey-2024.pdf"]
    page = extract_page(body_of(route), route.content_type)
    assert page.kind is PageKind.PDF and page.complete and page.error is None
    assert "northern third of its length" in page.text


def test_a_busy_port_is_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("demo", "--port", str(port), cwd=tmp_path)
    assert result.code == 2
    assert result.err.startswith(f"factcheck: error: cannot serve the demo on 127.0.0.1:{port}")
    assert len(result.err.strip().splitlines()) == 1 and result.out == ""
