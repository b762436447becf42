"""Hostile inputs at full size (issue 14): does every bound hold?

Builds each row's input in a temporary directory, runs ``factcheck`` on it as a whole process
(evidence pages served by a server on 127.0.0.1, allowed with ``--allow-cidr``), and prints the
figure of every row (seconds, peak memory of the process, what it answered) against its limit.
Every child runs under a wall-clock limit (``--kill-after``) and an address-space cap, so a
regression shows as "killed" instead of stalling the machine.

    .venv/bin/python benchmarks/hostile.py              # every row
    .venv/bin/python benchmarks/hostile.py --rows 2,4   # some rows
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

MIB = 1024 * 1024
#: Address-space cap of every child (a regression must not take the machine down).
MEMORY_CAP = 6 * 1024 * MIB


# --- running a child ------------------------------------------------------------------------


@dataclass
class Run:
    code: int | None  # None: killed at the wall-clock limit
    seconds: float
    peak_mb: float
    out: bytes
    err: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.out)
        except ValueError:
            return None


#: The source tree whose factcheck runs (``--src``: another checkout, for a baseline).
SOURCE = REPO / "src"

# Each run goes through a small wrapper process: it starts factcheck (address space capped)
# and writes its exit code and peak RSS (``RUSAGE_CHILDREN``) to a file. A process forked from
# this one would count this process's memory in its peak; the wrapper is a fresh interpreter.
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "cap, report = int(sys.argv[1]), sys.argv[2]\n"
    "def limit():\n"
    "    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))\n"
    "run = subprocess.run([sys.executable, '-m', 'factcheck', *sys.argv[3:]], preexec_fn=limit)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "with open(report, 'w') as handle:\n"
    "    handle.write(f'{run.returncode} {peak}')\n"
)


def _env() -> dict[str, str]:
    env = dict(os.environ, NO_COLOR="1", COLUMNS="100")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE), env.get("PYTHONPATH")]))
    return env


def factcheck(cwd: Path, *args: str, kill_after: float, stdout: Any = None) -> Run:
    """Run ``factcheck ARGS`` in ``cwd``: its wall time, exit code and peak RSS."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch, "report")
        argv = [sys.executable, "-c", _WRAPPER, str(MEMORY_CAP), str(report), *args]
        start = time.monotonic()
        proc = subprocess.Popen(
            argv, cwd=cwd, env=_env(), stdout=stdout or out, stderr=err, start_new_session=True
        )
        try:
            proc.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        seconds = time.monotonic() - start
        code: int | None = None
        peak_mb = 0.0
        if report.exists():
            status, peak = report.read_text().split()
            code, peak_mb = int(status), int(peak) / 1024
        out.seek(0)
        err.seek(0)
        # Only the first 64 MiB of what it printed is kept (row 1 printed gigabytes).
        return Run(code, seconds, peak_mb, out.read(64 * MIB), err.read(MIB))


# --- a server on 127.0.0.1 -------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        route = self.server.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        route(self)


class Server:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.httpd = ThreadingHTTPServer((host, 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.routes = {}  # type: ignore[attr-defined]
        self.httpd.hits = []  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def hits(self) -> list[str]:
        return self.httpd.hits  # type: ignore[attr-defined,no-any-return]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def page(self, path: str, body: bytes, content_type: str = "text/html") -> str:
        def route(handler: _Handler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            with suppress(OSError):
                handler.wfile.write(body)

        self.httpd.routes[path] = route  # type: ignore[attr-defined]
        return self.url(path)

    def raw(self, path: str, route: Callable[[_Handler], None]) -> str:
        self.httpd.routes[path] = route  # type: ignore[attr-defined]
        return self.url(path)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def server() -> Iterator[Server]:
    srv = Server()
    try:
        yield srv
    finally:
        srv.stop()


# --- inputs ----------------------------------------------------------------------------------

WORDS = [
    "".join(random.Random(i).choice("abcdefghijklmnoprstuvwz") for _ in range(3 + i % 7))
    for i in range(5000)
]
ARTICLE_MD = "# The ferry\n\nThe ferry will run again from May, the council said on Tuesday.\n"
FILLER = " ".join(WORDS[:300])


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def claims_yaml(evidence: list[tuple[str, str | None]], article_url: str) -> str:
    """One claim whose quote is in ARTICLE_MD, with ``evidence`` (url, quote) items."""
    lines = [
        "version: 1",
        "article:",
        "  title: The ferry",
        f"  url: {article_url}",
        "  publisher: The Courier",
        "  text: article.md",
        "claims:",
        "  - id: C001",
        "    quote: The ferry will run again from May",
        "    status: supported",
        "    rationale: The council's minutes say so.",
        "    evidence:",
    ]
    for url, quote in evidence:
        lines += [f"      - url: {url}", "        title: Minutes", "        publisher: Council"]
        if quote is not None:
            lines.append(f"        quote: {json.dumps(quote)}")
    return "\n".join(lines) + "\n"


def project(directory: Path, claims: str, article: str = ARTICLE_MD) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "claims.yaml").write_text(claims, encoding="utf-8")
    (directory / "article.md").write_text(article, encoding="utf-8")
    return directory


def verify(cwd: Path, *args: str, kill_after: float) -> Run:
    return factcheck(
        cwd,
        "verify",
        "--format",
        "json",
        "--no-cache",
        "--allow-cidr",
        "127.0.0.1/32",
        "--timeout",
        "30",
        "--retries",
        "0",
        *args,
        kill_after=kill_after,
    )


def quote_of(run: Run, index: int = 0) -> str:
    data = run.json()
    if not data:
        return f"exit {run.code}, no JSON"
    quote = data["claims"][0]["evidence"][index]["quote"] or {}
    reason = f"/{quote['reason']}" if quote.get("reason") else ""
    return f"exit {run.code}, quote {quote.get('result')}{reason}"


def html_page(body: str, head: str = "") -> bytes:
    return (
        f"<!doctype html><html><head><title>Minutes</title>{head}</head>"
        f"<body><p>{FILLER}</p>{body}</body></html>"
    ).encode()


# --- rows ------------------------------------------------------------------------------------


@dataclass
class Figure:
    row: str
    input: str
    figure: str
    limit: str
    held: bool


def _fmt(run: Run) -> str:
    if run.code is None:
        return f"killed after {run.seconds:.0f} s"
    return f"{run.seconds:.1f} s, {run.peak_mb:.0f} MB, exit {run.code}"


def row1(tmp: Path, kill_after: float) -> list[Figure]:
    """A 15 MB claims file whose ≤100 aliases repeat big nodes: a 15 MB scalar, or an
    80,000-item evidence list."""
    head = (
        "version: 1\narticle:\n  title: The ferry\n  url: https://example.org/a\n"
        "  publisher: The Courier\nclaims:\n"
    )
    claim = (
        "  - id: C{n:03d}\n    quote: The ferry will run again from May\n    status: supported\n"
        "    rationale: {rationale}\n    evidence: {evidence}\n"
    )
    item = (
        "    - url: https://example.org/{i}\n"
        "      title: A page about the ferry and its timetable {i}\n"
        "      publisher: The council of the island\n"
        "      quote: the ferry will run again from May, said the council {i}\n"
    )
    scalar = "&big " + json.dumps(" ".join(WORDS) * 430)  # 15 MB of text
    evidence = "&ev\n" + "".join(item.format(i=i) for i in range(75_000))
    cases = {
        "a 15 MB scalar": claim.format(n=0, rationale=scalar, evidence="[]")
        + "".join(claim.format(n=n, rationale="*big", evidence="[]") for n in range(1, 100)),
        "an 75,000-item evidence list": claim.format(n=0, rationale="x", evidence=evidence)
        + "".join(claim.format(n=n, rationale="x", evidence="*ev") for n in range(1, 100)),
    }
    figures = []
    for name, claims in cases.items():
        directory = project(tmp / f"row1-{len(figures)}", head + claims)
        size = (directory / "claims.yaml").stat().st_size / MIB
        run = factcheck(directory, "validate", "--format", "json", kill_after=kill_after)
        message = ""
        if (data := run.json()) and data["findings"]:
            first = data["findings"][0]
            message = f"; {first['code']} at line {first['line']}: {first['message'][:60]}"
        figures.append(
            Figure(
                "1",
                f"{size:.0f} MB claims file, 99 aliases of {name}",
                _fmt(run) + message,
                "exit 2 at the alias; under 300 MB",
                run.code == 2 and run.peak_mb < 300,
            )
        )
    return figures


def row2(tmp: Path, kill_after: float) -> list[Figure]:
    """Pages whose structure is hostile: deep nesting, unclosed inline tags, attributes."""
    quote = " ".join(FILLER.split()[10:22])
    pages = {
        "100k nested <div> (1.1 MB)": "<div>" * 100_000 + "x" + "</div>" * 100_000,
        "1M nested <div> (cut at 5 MiB)": "<div>" * 1_000_000,
        "600k unclosed <b><i>": "<b><i>" * 600_000 + "x",
        "one tag with 300k attributes": "<div "
        + " ".join(f"a{i}=1" for i in range(300_000))
        + ">x</div>",
    }
    figures = []
    with server() as srv:
        for name, body in pages.items():
            directory = tmp / f"row2-{len(figures)}"
            url = srv.page(f"/p{len(figures)}", html_page(body))
            project(directory, claims_yaml([(url, quote)], srv.page("/a", html_page(""))))
            run = verify(directory, kill_after=kill_after)
            ok = run.code is not None and run.seconds < 5 and run.json() is not None
            figures.append(Figure("2", name, f"{_fmt(run)}; {quote_of(run)}", "under 5 s", ok))
    return figures


def claims_file(n: int, directory: Path) -> Path:
    """A valid claims file of ``n`` small claims (about 160 bytes each, as in the issue)."""
    lines = [
        "version: 1",
        "article:",
        "  title: The ferry",
        "  url: https://example.org/a",
        "  publisher: The Courier",
        "claims:",
    ]
    for i in range(n):
        lines += [
            f"  - id: C{i:06d}",
            f"    quote: the ferry timetable number {i} was changed in May",
            "    status: unverified",
            f"    rationale: Not confirmed by the council yet ({i}).",
        ]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "claims.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def row3(tmp: Path, kill_after: float) -> list[Figure]:
    """120k valid claims in 19 MB."""
    runs = []
    for n in (12_000, 120_000):
        claims = claims_file(n, tmp / f"row3-{n}")
        size = claims.stat().st_size / MIB
        run = factcheck(claims.parent, "validate", kill_after=kill_after)
        runs.append((n, size, run))
    (small_n, _, small), (big_n, big_size, big) = runs
    ratio = big.seconds / small.seconds / (big_n / small_n) if small.seconds else 0
    held = big.code in (0, 1) and big.peak_mb < 300
    return [
        Figure(
            "3",
            f"{big_n:,} claims in {big_size:.0f} MB, valid",
            f"{_fmt(big)}; 12k: {small.seconds:.1f} s, {small.peak_mb:.0f} MB; "
            f"time per claim x{ratio:.2f} at 10x",
            "linear; under 300 MB",
            held,
        )
    ]


def row4(tmp: Path, kill_after: float) -> list[Figure]:
    """One 3,000-word evidence quote against a 4.6 MB page."""
    rng = random.Random(4)
    page_words = words(rng, 700_000)
    body = html_page(f"<p>{page_words}</p>")
    quote_words = page_words.split()[100_000:103_000]
    for i in range(0, len(quote_words), 40):  # a near passage: every 40th word changed
        quote_words[i] = "changed"
    quote = " ".join(quote_words)
    with server() as srv:
        url = srv.page("/big", body)
        directory = project(tmp / "row4", claims_yaml([(url, quote)], srv.page("/a", b"<p>a")))
        run = verify(directory, kill_after=kill_after)
    held = run.code is not None and run.seconds < 2 + 1.5  # start-up and fetch on top
    return [
        Figure(
            "4",
            f"3,000-word quote, {len(body) / MIB:.1f} MB page",
            f"{_fmt(run)}; {quote_of(run)}",
            "under 2 s for the quote",
            held,
        )
    ]


def row5(tmp: Path, kill_after: float) -> list[Figure]:
    """-o naming a device, a FIFO, a symlink to a device."""
    directory = project(tmp / "row5", claims_yaml([], "https://example.org/a"))
    fifo = directory / "fifo"
    os.mkfifo(fifo)
    # A private null device (as root), never the system's /dev/null: a regression would
    # replace it with a regular file.
    device = directory / "null"
    targets = [("-o symlink to /dev/null", directory / "stdout-link")]
    targets[0][1].symlink_to("/dev/null")
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        targets.insert(0, ("-o a null device", device))
    except OSError:
        pass
    figures = []
    for name, target in targets:
        run = factcheck(directory, "validate", "-o", str(target), kill_after=kill_after)
        kept = stat.S_ISCHR(os.stat(target).st_mode) and (
            target == device or os.path.islink(target)
        )
        figures.append(
            Figure(
                "5",
                name,
                f"exit {run.code}; target {'kept' if kept else 'REPLACED'}",
                "written in place",
                kept,
            )
        )
    # A reader that does not block on open, read once the run is over (the report is small).
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        run = factcheck(directory, "validate", "-o", str(fifo), kill_after=min(kill_after, 30))
        try:
            got = os.read(reader, MIB)
        except BlockingIOError:
            got = b""
    finally:
        os.close(reader)
    kept = stat.S_ISFIFO(os.lstat(fifo).st_mode)
    figures.append(
        Figure(
            "5",
            "-o FIFO",
            f"exit {run.code}; {len(got)} bytes read; FIFO {'kept' if kept else 'REPLACED'}",
            "written in place",
            kept and len(got) > 0,
        )
    )
    return figures


def row6(tmp: Path, kill_after: float) -> list[Figure]:
    """-o naming an input: the article, a hard link to the claims file."""
    directory = project(tmp / "row6", claims_yaml([], "https://example.org/a"))
    os.link(directory / "claims.yaml", directory / "hardlink.yaml")
    figures = []
    for name, target in (("-o article.md", "article.md"), ("-o hard link", "hardlink.yaml")):
        before = (directory / target).read_bytes()
        run = factcheck(directory, "validate", "-o", target, kill_after=kill_after)
        same = (directory / target).read_bytes() == before
        figures.append(
            Figure(
                "6",
                name,
                f"exit {run.code}; input {'kept' if same else 'OVERWRITTEN'}",
                "exit 2, input kept",
                run.code == 2 and same,
            )
        )
    return figures


def row7(tmp: Path, kill_after: float) -> list[Figure]:
    """Out-of-range settings from the command line and the config."""
    directory = project(tmp / "row7", claims_yaml([], "https://example.org/a"))
    figures = []
    cases = (
        ("--timeout inf", ["--timeout", "inf"], None),
        ("timeout = 1e309", [], "timeout = 1e309\n"),
        ("retries = 100000000", [], "retries = 100000000\n"),
    )
    for name, args, config in cases:
        toml = directory / "factcheck.toml"
        if config:
            toml.write_text(config)
        elif toml.exists():
            toml.unlink()
        run = factcheck(
            directory, "verify", "--offline", "-q", *args, kill_after=min(kill_after, 30)
        )
        err = run.err.decode(errors="replace").strip().splitlines()
        last = err[-1] if err else ""
        figures.append(
            Figure(
                "7",
                name,
                f"exit {run.code}: {last[:90]}",
                "exit 2 naming the range",
                run.code == 2 and "Traceback" not in run.err.decode(errors="replace"),
            )
        )
    return figures


def row8(tmp: Path, kill_after: float) -> list[Figure]:
    """The most retries allowed, one host that refuses every connection, one that answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/x"  # bound, never listening
        with server() as srv:
            alive = srv.page("/ok", html_page(""))
            directory = project(
                tmp / "row8", claims_yaml([(dead, None), (alive, None)], srv.page("/a", b"a"))
            )
            run = factcheck(
                directory,
                "verify",
                "--format",
                "json",
                "--no-cache",
                "--allow-cidr",
                "127.0.0.1/32",
                "--timeout",
                "1",
                "--retries",
                "10",
                kill_after=kill_after,
            )
    # Deadline: timeout x (retries + 1) = 11 s, plus the capped waits.
    held = run.code is not None and run.seconds < 11 + 10 * 5
    return [
        Figure(
            "8",
            "--retries 10 --timeout 1, connection refused",
            _fmt(run),
            "bounded: timeout x (retries+1) + capped waits",
            held,
        )
    ]


def row9(tmp: Path, kill_after: float) -> list[Figure]:
    """503 with ``Retry-After: -1`` forever."""

    def busy(handler: _Handler) -> None:
        handler.send_response(503)
        handler.send_header("Retry-After", "-1")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with server() as srv:
        url = srv.raw("/busy", busy)
        directory = project(tmp / "row9", claims_yaml([(url, None)], srv.page("/a", b"a")))
        run = factcheck(
            directory,
            "verify",
            "--format",
            "json",
            "--no-cache",
            "--allow-cidr",
            "127.0.0.1/32",
            "--timeout",
            "2",
            "--retries",
            "2",
            kill_after=kill_after,
        )
        requests = srv.hits.count("/busy")
    return [
        Figure(
            "9",
            "503 Retry-After: -1, --retries 2",
            f"{_fmt(run)}; {requests} requests",
            "at most 3 requests",
            requests <= 3,
        )
    ]


def row10(tmp: Path, kill_after: float) -> list[Figure]:
    """report --from a device and a FIFO."""
    directory = project(tmp / "row10", claims_yaml([], "https://example.org/a"))
    fifo = directory / "run.json"
    os.mkfifo(fifo)
    figures = []
    for name, source in (("--from /dev/zero", "/dev/zero"), ("--from FIFO", str(fifo))):
        run = factcheck(
            directory, "report", "--from", source, "-o", "out.md", kill_after=min(kill_after, 20)
        )
        figures.append(
            Figure(
                "10",
                name,
                _fmt(run),
                "exit 2 at once",
                run.code == 2 and run.seconds < 5 and run.peak_mb < 150,
            )
        )
    return figures


def row11(tmp: Path, kill_after: float) -> list[Figure]:
    """3,000 claim quotes absent from a 19 MiB article."""
    rng = random.Random(11)
    paragraphs = []
    size = 0
    while size < 19 * MIB:
        paragraph = words(rng, 120) + "."
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    article = "# The islands\n\n" + "\n\n".join(paragraphs) + "\n"
    lines = [
        "version: 1",
        "article:",
        "  title: The islands",
        "  url: https://example.org/a",
        "  publisher: The Courier",
        "  text: article.md",
        "claims:",
    ]
    for i in range(3000):
        quote = f"quoted {words(rng, 12)} absent {i}"
        lines += [
            f"  - id: C{i:04d}",
            f"    quote: {quote}",
            "    status: unverified",
            "    rationale: Not yet.",
        ]
    directory = project(tmp / "row11", "\n".join(lines) + "\n", article)
    run = factcheck(directory, "validate", "--format", "json", kill_after=kill_after)
    data = run.json()
    fc301 = sum(1 for f in data["findings"] if f["code"] == "FC301") if data else 0
    return [
        Figure(
            "11",
            "3,000 absent quotes, 19 MiB article",
            f"{_fmt(run)}; {fc301} FC301",
            "under 10 s",
            run.code is not None and run.seconds < 10 and fc301 == 3000,
        )
    ]


def pdf_bomb(inflated: int, pages: int = 1) -> bytes:
    """A PDF of ``pages`` pages whose content streams each inflate to ``inflated`` bytes."""
    packer = zlib.compressobj(9)
    chunk = b" " * MIB
    parts = [packer.compress(chunk) for _ in range(inflated // MIB)]
    parts.append(packer.flush())
    stream = b"".join(parts)
    kids = b" ".join(b"%d 0 R" % (3 + 2 * k) for k in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
    ]
    for k in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R >>"
            % (4 + 2 * k)
        )
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def row12(tmp: Path, kill_after: float) -> list[Figure]:
    """A PDF bomb; a page with 400k ids."""
    figures = []
    ids = "".join(f"<p id={i:x}>" for i in range(400_000))  # 4.8 MB: within the body cap
    with server() as srv:
        cases = (
            (
                "PDF bomb (1 GiB of content)",
                srv.page("/bomb.pdf", pdf_bomb(1024 * MIB), "application/pdf"),
            ),
            (
                "PDF bomb (8 pages of 70 MB)",
                srv.page("/bomb8.pdf", pdf_bomb(70 * MIB, 8), "application/pdf"),
            ),
            ("page with 400k ids", srv.page("/ids", html_page(f"<p>{ids}</p>"))),
            (
                "page with 140k ids (within the element bound)",
                srv.page("/ids140", html_page("".join(f"<p id={i:x}>" for i in range(140_000)))),
            ),
        )
        for n, (name, url) in enumerate(cases):
            directory = project(
                tmp / f"row12-{n}", claims_yaml([(url, "the council said")], srv.page("/a", b"a"))
            )
            run = verify(directory, kill_after=kill_after)
            figures.append(
                Figure(
                    "12",
                    name,
                    f"{_fmt(run)}; {quote_of(run)}",
                    "under 150 MB",
                    run.code is not None and run.peak_mb < 150,
                )
            )
    return figures


def row13(tmp: Path, kill_after: float) -> list[Figure]:
    """<meta charset=utf-32> (and utf-16) on an ASCII page."""
    quote = " ".join(FILLER.split()[10:22])
    figures = []
    with server() as srv:
        for label in ("utf-32", "utf-16"):
            url = srv.page(f"/{label}", html_page("", head=f'<meta charset="{label}">'))
            directory = project(
                tmp / f"row13-{label}", claims_yaml([(url, quote)], srv.page("/a", b"a"))
            )
            run = verify(directory, kill_after=kill_after)
            said = quote_of(run)
            figures.append(
                Figure(
                    "13",
                    f"<meta charset={label}>, ASCII page",
                    said,
                    "quote found",
                    "found" in said,
                )
            )
    return figures


def row14(tmp: Path, kill_after: float) -> list[Figure]:
    """Secret query parameters in evidence and article URLs."""
    with server() as srv:
        evidence = srv.page("/e", html_page("")) + "?token=SECRET1&api_key=SECRET2&id=7"
        article = srv.page("/a", b"a") + "?access_token=SECRET3"
        directory = project(tmp / "row14", claims_yaml([(evidence, None)], article))
        run = verify(directory, kill_after=kill_after)
    leaked = [s for s in ("SECRET1", "SECRET2", "SECRET3") if s.encode() in run.out]
    return [
        Figure(
            "14",
            "?token=, api_key=, access_token= in URLs",
            f"exit {run.code}; JSON shows {', '.join(leaked) or 'only ***'}",
            "masked as *** in JSON",
            not leaked and b"***" in run.out,
        )
    ]


ROWS: dict[str, Callable[[Path, float], list[Figure]]] = {
    "1": row1,
    "2": row2,
    "3": row3,
    "4": row4,
    "5": row5,
    "6": row6,
    "7": row7,
    "8": row8,
    "9": row9,
    "10": row10,
    "11": row11,
    "12": row12,
    "13": row13,
    "14": row14,
}


def main() -> int:
    global SOURCE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated row numbers")
    parser.add_argument(
        "--kill-after", type=float, default=120.0, help="wall-clock limit of one run (seconds)"
    )
    parser.add_argument(
        "--src", type=Path, default=REPO / "src", help="the src/ directory to run (a baseline)"
    )
    options = parser.parse_args()
    SOURCE = options.src.resolve()
    print("| # | input | figure | limit | held |")
    print("| --- | --- | --- | --- | --- |")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for row in options.rows.split(","):
            for figure in ROWS[row.strip()](Path(tmp), options.kill_after):
                failed += not figure.held
                print(
                    f"| {figure.row} | {figure.input} | {figure.figure} | {figure.limit} "
                    f"| {'yes' if figure.held else 'NO'} |",
                    flush=True,
                )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
