"""How fast is `factcheck validate`, and does it grow linearly with the number of claims?

Generates claims files of 1,000 and 10,000 claims with an article they anchor in (every quote
found once, under its section), then times `factcheck validate` on each as a whole process
(several runs, the median), the growth ratio per claim, the cost of running the cycle collector
while loading (yamltree pauses it; the comparison run monkeypatches the pause away in the child
process), the bundled claims.yaml, and the biggest imports of `factcheck validate`.

    .venv/bin/python benchmarks/validate.py              # the figures in the issue note
    .venv/bin/python benchmarks/validate.py --runs 3 --sizes 1000,10000,20000
    .venv/bin/python benchmarks/validate.py --runs 5 --sizes 10 --formats 10000   # formats only

Targets (issue 2): 10,000 claims under 2 s, close to linear; the bundled claims.yaml under
0.5 s; no network stack imported by validate. Issue 15: the console format at most 0.1 s slower
than JSON on 10,000 claims, with and without a problem to print on every claim.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NETWORK_MODULES = ("requests", "urllib3", "ssl", "http.client")
STATUSES = ("supported", "partially_supported", "contradicted", "unverified", "opinion")
STANCE = {
    "supported": "supports",
    "partially_supported": "supports",
    "contradicted": "contradicts",
    "unverified": "context",
    "opinion": "context",
}
CLAIMS_PER_SECTION = 50
CLAIMS_PER_PARAGRAPH = 5

# Run the CLI with yamltree's pause of the cycle collector replaced by a no-op.
_WITHOUT_GC_PAUSE = (
    "import contextlib, sys; import factcheck.load.yamltree as y; "
    "y.paused_gc = contextlib.nullcontext; "
    "from factcheck.cli import main; main(sys.argv[1:])"
)


def _quote(i: int) -> str:
    return f"the index of region {i} rose by {i % 89 + 2}.{i % 7} percent in {1990 + i % 30}"


def generate(n: int, directory: Path, *, problems: bool = False) -> Path:
    """A valid claims file of ``n`` claims and ``article.md`` in ``directory``; with
    ``problems``, no evidence has a title or publisher (a warning per item, so the console has
    about 1.5 problem lines a claim to print and the gate still passes)."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = [
        "# yaml-language-server: $schema=../claims.schema.json",
        "version: 1",
        "mode: draft",
        "article:",
        '  title: "Benchmark: the state of the regions"',
        "  url: https://news.example.com/2024/regions",
        "  publisher: The Example Times",
        "  published: 2024-01-31",
        "  authors: [A. Writer, B. Editor]",
        "  text: article.md",
        "claims:",
    ]
    article = ["# Benchmark: the state of the regions", ""]
    paragraph: list[str] = []
    for i in range(n):
        section = f"Regions {i // CLAIMS_PER_SECTION * CLAIMS_PER_SECTION}"
        if i % CLAIMS_PER_SECTION == 0:
            if paragraph:
                article += [" ".join(paragraph), ""]
                paragraph = []
            article += [f"## {section}", ""]
        quote = _quote(i)
        words = quote.split(" ")
        if i % 10 == 0:  # some inline markup: the quote must still be found in the rendered text
            words[2] = f"*{words[2]}*"
        if i % 15 == 0:
            words[4] = f"[{words[4]}](https://stats.example.org/{i})"
        paragraph.append(f"Officials said that {' '.join(words)}, according to the office.")
        if len(paragraph) == CLAIMS_PER_PARAGRAPH:
            article += [" ".join(paragraph), ""]
            paragraph = []
        status = STATUSES[i % len(STATUSES)]
        lines += [
            f"  - id: C{i:05d}",
            f'    quote: "{quote}"',
            f'    assertion: "Region {i} grew by {i % 89 + 2}.{i % 7} percent."',
            f'    section: "{section}"',
            f"    status: {status}",
            f'    rationale: "The statistics office publishes the index of region {i}; '
            'the figure matches its yearly table."',
            "    evidence:",
        ]
        for k in range(1 + i % 2):
            lines.append(f"      - url: https://stats{i % 40}.example.org/regions/{i}/table-{k}")
            if not problems:
                lines += [
                    f'        title: "Regional index, table {k}"',
                    "        publisher: Statistics Office",
                ]
            lines += [
                "        published: 2023-06-02",
                "        accessed: 2024-01-15",
                f"        stance: {STANCE[status]}",
                f'        quote: "index of region {i}"',
            ]
        lines += ["    checked_on: 2024-01-20", "    tags: [figures, regions]"]
    if paragraph:
        article += [" ".join(paragraph), ""]
    claims = directory / "claims.yaml"
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "article.md").write_text("\n".join(article) + "\n", encoding="utf-8")
    return claims


def _env() -> dict[str, str]:
    env = dict(os.environ, NO_COLOR="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    return env


@dataclass(frozen=True)
class Timing:
    """Several runs of one whole process: medians, the fastest run, every run."""

    wall: float  # median wall-clock seconds
    cpu: float  # median user + system seconds of the process
    best: float  # the fastest run: the steadiest figure on a shared machine
    runs: tuple[float, ...]

    def __str__(self) -> str:
        runs = ", ".join(f"{t:.2f}" for t in self.runs)
        return f"wall {self.wall:.3f} s, cpu {self.cpu:.3f} s, best {self.best:.3f} s ({runs})"


def time_process(argv: list[str], runs: int, cwd: Path) -> Timing:
    """Time ``argv`` as a whole process, ``runs`` times (its exit status must be 0)."""
    times = []
    cpu = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(argv, cwd=cwd, env=_env(), capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            raise SystemExit(
                f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}"
            )
    return Timing(statistics.median(times), statistics.median(cpu), min(times), tuple(times))


def validate_argv(path: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "factcheck", "validate", str(path), *options]


def compare_formats(n: int, base: Path, runs: int) -> None:
    """The console against JSON on ``n`` claims (issue 15: at most 0.1 s more), on a clean
    file and on one with a problem on every evidence item; and the verbose listing."""
    for label, problems in (("no problems", False), ("a problem per evidence item", True)):
        claims = generate(n, base / f"formats-{n}-{int(problems)}", problems=problems)
        timings = {
            name: time_process(validate_argv(claims, *options), runs, base)
            for name, options in (
                ("json", ("--format", "json")),
                ("console", ("--format", "console")),
                ("console -v", ("--format", "console", "-v")),
            )
        }
        print(f"validate {n} claims, {label}:")
        for name, timing in timings.items():
            print(f"    {name:<11} {timing}")
        extra = timings["console"].best - timings["json"].best
        print(f"    console - json: {extra * 1000:+.0f} ms (best times; target: at most +100 ms)")


def importtime(path: Path, cwd: Path, top: int) -> tuple[list[tuple[int, int, str]], set[str]]:
    """The biggest imports of `factcheck validate` (cumulative µs), and every module imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "factcheck", "validate", str(path)],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
    )
    rows = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((int(match[2]), int(match[1]), match[3] + match[4]))
    modules = {name.strip() for _, _, name in rows}
    return sorted(rows, reverse=True)[:top], modules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--sizes", default="1000,10000", help="claims per generated file")
    parser.add_argument("--top", type=int, default=12, help="imports to list")
    parser.add_argument("--keep", type=Path, help="generate the files here and keep them")
    parser.add_argument(
        "--formats",
        type=int,
        default=10_000,
        metavar="N",
        help="claims for the console-against-JSON comparison (0: skip it)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs each")
        print(
            "wall: median wall-clock time; cpu: median user+system time; best: the fastest run "
            "(the steadiest figure on a shared machine), then every run\n"
        )
        fixed = time_process(validate_argv(generate(10, base / "claims-10")), args.runs, base)
        print(f"validate     10 claims (the fixed cost): {fixed}")
        timings: dict[int, Timing] = {}
        for n in sizes:
            claims = generate(n, base / f"claims-{n}")
            size = claims.stat().st_size / 1048576
            timing = timings[n] = time_process(validate_argv(claims), args.runs, base)
            per_claim = (timing.best - fixed.best) / n * 1e6
            print(f"validate {n:>6} claims ({size:4.1f} MiB): {timing}; {per_claim:.0f} µs a claim")
            no_pause = time_process(
                [sys.executable, "-c", _WITHOUT_GC_PAUSE, "validate", str(claims)],
                args.runs,
                base,
            )
            print(
                f"    without the gc pause: {no_pause}; "
                f"{no_pause.best / timing.best:.2f}x the best time"
            )
        for small, large in itertools.pairwise(sizes):
            whole = timings[large].best / timings[small].best
            marginal = (timings[large].best - fixed.best) / (timings[small].best - fixed.best)
            print(
                f"growth {small} -> {large} claims ({large / small:.0f}x): {whole:.2f}x the best "
                f"time, {marginal:.2f}x without the fixed cost (linear: {large / small:.0f}x)"
            )
        if args.formats:
            compare_formats(args.formats, base, args.runs)
        bundled = REPO / "claims.yaml"
        if bundled.exists():
            print(f"bundled claims.yaml: {time_process(validate_argv(bundled), args.runs, REPO)}")
        startup = time_process([sys.executable, "-c", "pass"], args.runs, base)
        print(f"(a bare python start-up: {startup})")

        target = base / f"claims-{sizes[0]}" / "claims.yaml"
        rows, modules = importtime(target, base, args.top)
        print("\nbiggest imports of `factcheck validate` (python -X importtime, cumulative):")
        for cumulative, own, name in rows:
            print(f"  {cumulative / 1000:7.1f} ms  (own {own / 1000:5.1f} ms)  {name}")
        network = sorted(m for m in modules if m in NETWORK_MODULES)
        print(f"network stack imported: {', '.join(network) if network else 'none'}")


if __name__ == "__main__":
    main()
