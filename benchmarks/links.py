"""Link-checking speed: ``factcheck verify`` as a whole process against a local server.

A server with a fixed latency answers on H loopback addresses (127.0.0.1 ... 127.0.0.H); a
claims file cites N evidence links spread evenly over them. ``factcheck verify`` runs at its
shipped defaults (only ``--allow-cidr 127.0.0.0/8`` and a fresh ``--cache-dir`` added), then
again with the cache warm, then LinkChecker checks the same URLs (at its defaults, and with
its per-host rate limit lifted). For each run: wall time, CPU seconds, links/s, peak memory,
and the ratio to the lower bound

    T = max(L * ceil(N / C), L * ceil(N_host / h))

where C is the global and h the per-host concurrency of the run (no checker can beat T: every
request costs L, at most C at a time, at most h per host).

    python benchmarks/links.py                      # 1,000 links, 20 hosts, 100 ms
    python benchmarks/links.py -n 200 --hosts 5 --latency 0.05 --no-linkchecker
    python benchmarks/links.py --profile            # CPU per URL: requests, urllib3, ours

Targets on the reference machine (2 cores), 1,000 links over 20 hosts at 100 ms: within 1.3x
of the bound; a warm-cache rerun under 1.5 s; peak memory under 150 MB.
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
from dataclasses import dataclass
from pathlib import Path

PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Story {n}</title></head><body>"
    "<article><h1>Story {n}</h1>"
    + "<p>A paragraph of the story, with a few words in it.</p>" * 20
    + "</article></body></html>"
)


# -- the server (a child process) ----------------------------------------------------------------


async def _serve(hosts: int, latency: float) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode("latin-1")
                await asyncio.sleep(latency)
                if path == "/robots.txt":
                    status, body = "404 Not Found", b""
                else:
                    status, body = "200 OK", PAGE.format(n=path.rsplit("/", 1)[-1]).encode()
                close = b"connection: close" in head.lower()
                writer.write(
                    (
                        f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
                        f"Content-Length: {len(body)}\r\nLinkChecker: allowed\r\n"
                        f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n"
                    ).encode()
                    + body
                )
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    servers = []
    addresses = []
    for i in range(1, hosts + 1):
        server = await asyncio.start_server(handle, f"127.0.0.{i}", 0, backlog=1024)
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
ENGINE = [
    sys.executable,
    "-c",
    "import json, sys; from pathlib import Path; "
    "from factcheck.links import LinkKind, LinkRequest, LinkSettings, check_links; "
    "urls = json.loads((Path(sys.argv[1]) / 'urls.json').read_text()); "
    "check_links([LinkRequest(u, LinkKind.EVIDENCE) for u in urls], "
    "LinkSettings(allow_cidrs=('127.0.0.0/8',), use_cache=False))",
]


def find_linkchecker() -> str | None:
    here = Path(sys.executable).parent / "linkchecker"
    return str(here) if here.exists() else shutil.which("linkchecker")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", "--links", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request")
    parser.add_argument("--no-linkchecker", action="store_true")
    parser.add_argument("--profile", action="store_true", help="CPU per URL of each client")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.hosts, args.latency))
        return 0
    if args.profile:
        return profile(args.links)

    from factcheck.links import LinkSettings

    defaults = LinkSettings()
    n, hosts, latency = args.links, args.hosts, args.latency
    server = start_server(hosts, latency)
    factcheck = [sys.executable, "-m", "factcheck"]
    try:
        urls = server.urls(n)
        with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as tmp:
            work = Path(tmp)
            claims = write_claims(work, urls)
            verify = [
                *factcheck,
                "verify",
                str(claims),
                "--allow-cidr",
                "127.0.0.0/8",
                "--cache-dir",
                str(work / "cache"),
                "--format",
                "json",
                "--quiet",
            ]
            print(
                f"{n} links over {hosts} hosts, {latency * 1000:.0f} ms per request; "
                f"factcheck defaults: concurrency {defaults.concurrency}, "
                f"per host {defaults.per_host}"
            )
            print(f"{'':<38} {'wall':>9} {'CPU':>9} {'links/s':>10} {'peak':>10} {'ratio':>6}")
            ours = bound(latency, n, hosts, defaults.concurrency, defaults.per_host)
            cold = measure("factcheck verify (cold cache)", verify, n)
            print(cold.row(ours))
            warm = measure("factcheck verify (warm cache)", verify, n)
            print(warm.row(None))
            offline = measure("factcheck verify --offline", [*verify, "--offline"], n)
            print(offline.row(None))
            (work / "urls.json").write_text(json.dumps(urls))
            engine = measure("check_links alone (engine, no cache)", [*ENGINE, str(work)], n)
            print(engine.row(ours))
            print(f"  bound T = {ours:.2f} s (C={defaults.concurrency}, h={defaults.per_host})")
            checker = None if args.no_linkchecker else find_linkchecker()
            if checker is not None:
                linkchecker_runs(checker, work, urls, n, hosts, latency, ours)
            elif not args.no_linkchecker:
                print("LinkChecker not found: pip install linkchecker")
    finally:
        server.stop()
    return 0


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


if __name__ == "__main__":
    sys.exit(main())
