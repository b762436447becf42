"""Newsroom scale: an archive of N claims files, validated and verified as whole processes.

Generates N claims files (``desk/NNNNN/claims.yaml``, each with its ``article.md`` and C
claims) citing L distinct evidence links spread over H local hosts that answer after a fixed
latency (the server of ``benchmarks/links.py``, in a process of its own), then runs the CLI on
the whole archive and prints, for each run, wall time, CPU seconds (user + system), peak
memory, links/s and the ratio to the lower bound of a link check,

    T = max(latency * ceil(links / C), latency * ceil(links_per_host / h))

(C the global and h the per-host concurrency: no checker can beat T).

    python benchmarks/scale.py                  # the issue's figures (a few minutes)
    python benchmarks/scale.py --files 100,1000 --no-single --verify-files 100 --links 1000

Rows:
  - ``validate 1 x 10,000``: one file of 10,000 claims with a 10,000-sentence article (the
    generator of benchmarks/validate.py), JSON out. Target: under 1.5 s.
  - ``validate N x 10``: N files of 10 claims each, JSON out, for each N. Target: 10,000 files
    under 10 s, growing linearly (the per-file column stays flat).
  - ``verify cold`` and ``verify warm``: ``--verify-files`` files citing ``--links`` distinct
    links over ``--hosts`` hosts at ``--latency``; cold with an empty cache, warm with the
    cache of the cold run. Targets (1,000 files, 10,000 links, 200 hosts, 100 ms): cold within
    1.3x of T, warm under 3 s, peak memory under 300 MB.
  - ``verify warm, extrapolated``: the warm run at 300,000 links, extrapolated linearly from
    the warm runs at two sizes (the cost per link of the larger, plus the fixed start-up of
    the fit), printed with both measured points.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import validate as validatebench  # noqa: E402  (benchmarks/validate.py: the 10,000-claim file)

import links as linkbench  # noqa: E402  (benchmarks/links.py: the server and the measuring)

CLI = [sys.executable, "-m", "factcheck"]
ONLINE = ["--allow-cidr", "127.0.0.0/8", "--retries", "0", "--timeout", "10"]


def write_archive(directory: Path, files: int, claims: int, urls: list[str]) -> Path:
    """``files`` claims files of ``claims`` claims each; the URLs dealt out across them."""
    desk = directory / "desk"
    per_file = math.ceil(len(urls) / files) if urls else 0
    for f in range(files):
        folder = desk / f"{f:05d}"
        folder.mkdir(parents=True)
        mine = urls[f * per_file : (f + 1) * per_file]
        sentences = []
        lines = [
            "version: 1",
            "article:",
            f'  title: "Story {f}"',
            f"  url: https://news.example.org/{f}",
            "  publisher: The Example Times",
            "  text: article.md",
            "claims:",
        ]
        for c in range(claims):
            sentence = f"In {1990 + c} the harbour of town {f} moved {c + 2} thousand tonnes."
            sentences.append(sentence)
            lines += [
                f"  - id: C{c:03d}",
                f'    quote: "{sentence}"',
                "    status: supported",
                '    rationale: "The port authority publishes the figure."',
                "    evidence:",
            ]
            cited = mine[c::claims] or [f"https://stats.example.org/{f}/{c}"]
            for url in cited:
                lines += [
                    f"      - url: {url}",
                    '        title: "Port statistics"',
                    "        publisher: Port Authority",
                ]
        (folder / "claims.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "article.md").write_text(
            f"# Story {f}\n\n" + " ".join(sentences) + "\n", encoding="utf-8"
        )
    return desk


def validate_rows(sizes: list[int], claims: int, single: bool) -> None:
    print(f"{'run':<38} {'wall':>9} {'CPU':>9} {'per file':>10} {'peak':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        if single:
            path = validatebench.generate(10_000, Path(tmp, "single"))
            run = linkbench.measure(
                "validate 1 x 10,000 claims", [*CLI, "validate", str(path), "-f", "json"], 0
            )
            print(_validate_row(run, 1), "  target < 1.5 s")
        for n in sizes:
            desk = write_archive(Path(tmp, f"n{n}"), n, claims, [])
            run = linkbench.measure(
                f"validate {n:,} x {claims}", [*CLI, "validate", str(desk), "-f", "json"], 0
            )
            target = "  target < 10 s" if n == 10_000 else ""
            print(_validate_row(run, n), target)


def _validate_row(run: linkbench.Run, files: int) -> str:
    per_file = run.wall / files * 1000
    return (
        f"{run.name:<38} {run.wall:7.2f} s {run.cpu:7.2f} s {per_file:7.2f} ms "
        f"{run.peak_mb:7.1f} MB  (exit {run.exit_code})"
    )


def verify_rows(files: int, links: int, hosts: int, latency: float, extra: list[int]) -> None:
    server = linkbench.start_server(hosts, latency)
    warm: list[tuple[int, float]] = []
    try:
        for n in sorted({links, *extra}):
            with tempfile.TemporaryDirectory() as tmp:
                urls = server.urls(n)
                nfiles = max(1, files * n // links)
                desk = write_archive(Path(tmp), nfiles, 10, urls)
                cache = Path(tmp, "cache")
                command = [*CLI, "verify", str(desk), *ONLINE, "--cache-dir", str(cache), "-q"]
                command += ["-f", "json"]
                limit = linkbench.bound(latency, n, hosts, 64, 4)
                cold = linkbench.measure(f"verify cold {nfiles:,} files {n:,} links", command, n)
                print(cold.row(limit), "  target <= 1.3x, < 300 MB" if n == links else "")
                hot = linkbench.measure(f"verify warm {nfiles:,} files {n:,} links", command, n)
                print(hot.row(None), "  target < 3 s" if n == links else "")
                warm.append((n, hot.wall))
                shutil.rmtree(cache, ignore_errors=True)
    finally:
        server.stop()
    if len(warm) >= 2:
        (n1, t1), (n2, t2) = warm[-2], warm[-1]
        per_link = max((t2 - t1) / (n2 - n1), 0.0)  # noise on small runs can make it negative
        fixed = t2 - per_link * n2
        target = 300_000
        print(
            f"verify warm, extrapolated to {target:,} links: {fixed + per_link * target:.1f} s "
            f"(linear fit through {n1:,} links {t1:.2f} s and {n2:,} links {t2:.2f} s: "
            f"{per_link * 1e6:.0f} us per link + {fixed:.2f} s)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", default="100,1000,10000", help="validate: files per run")
    parser.add_argument("--claims", type=int, default=10, help="validate: claims per file")
    parser.add_argument("--no-single", action="store_true", help="skip 1 file x 10,000 claims")
    parser.add_argument("--no-verify", action="store_true")
    parser.add_argument("--verify-files", type=int, default=1000)
    parser.add_argument("--links", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument(
        "--also", default="2000", help="verify: more sizes (links) for the extrapolation"
    )
    args = parser.parse_args()
    if "--serve" in sys.argv:  # pragma: no cover - the server runs benchmarks/links.py
        return 0
    validate_rows([int(n) for n in args.files.split(",") if n], args.claims, not args.no_single)
    if not args.no_verify:
        extra = [int(n) for n in args.also.split(",") if n]
        verify_rows(args.verify_files, args.links, args.hosts, args.latency, extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
