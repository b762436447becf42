"""How fast is `factcheck validate`, and does it grow linearly with the number of claims?

Generates claims files of 1,000 and 10,000 claims with an article they anchor in (every quote
found once, under its section), then times `factcheck validate` on each as a whole process
(several runs, the median), the growth ratio per claim, the cost of running the cycle collector
while loading (yamltree pauses it; the comparison run monkeypatches the pause away in the child
process), the bundled claims.yaml, and the biggest imports of `factcheck validate`.

    .venv/bin/python benchmarks/validate.py              # the figures in the issue note
    .venv/bin/python benchmarks/validate.py --runs 3 --sizes 1000,10000,20000

Targets (issue 2): 10,000 claims under 2 s, close to linear; the bundled claims.yaml under
0.5 s; no network stack imported by validate.
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
    "import contextlib, sys; import factcheck.yamltree as y; "
    "y.paused_gc = contextlib.nullcontext; "
    "from factcheck.cli import main; main(sys.argv[1:])"
)


def _quote(i: int) -> str:
    return f"the index of region {i} rose by {i % 89 + 2}.{i % 7} percent in {1990 + i % 30}"


def generate(n: int, directory: Path) -> Path:
    """A valid claims file of ``n`` claims and ``article.md`` in ``directory``."""
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
            lines += [
                f"      - url: https://stats{i % 40}.example.org/regions/{i}/table-{k}",
                f'        title: "Regional index, table {k}"',
                "        publisher: Statistics Office",
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


def time_process(argv: list[str], runs: int, cwd: Path) -> tuple[float, float, list[float]]:
    """Median wall time and median CPU time (user + system: steadier on a busy machine) of a
    whole process, and every run's wall time (the exit status must be 0)."""
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
    return statistics.median(times), statistics.median(cpu), times


def validate_argv(path: Path) -> list[str]:
    return [sys.executable, "-m", "factcheck", "validate", str(path)]


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
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs each")
        print(
            "wall: median wall-clock time; cpu: median user+system time of the process; best: "
            "the fastest run (the steadiest figure on a shared machine)\n"
        )
        small = generate(10, base / "claims-10")
        fixed, fixed_cpu, _ = time_process(validate_argv(small), args.runs, base)
        print(f"validate     10 claims (the fixed cost): wall {fixed:.3f} s, cpu {fixed_cpu:.3f} s")
        medians: dict[int, tuple[float, float]] = {}
        for n in sizes:
            claims = generate(n, base / f"claims-{n}")
            size = claims.stat().st_size / 1048576
            wall, cpu, times = time_process(validate_argv(claims), args.runs, base)
            medians[n] = (wall, cpu)
            no_pause, no_pause_cpu, _ = time_process(
                [sys.executable, "-c", _WITHOUT_GC_PAUSE, "validate", str(claims)],
                args.runs,
                base,
            )
            print(
                f"validate {n:>6} claims ({size:4.1f} MiB): wall {wall:.3f} s, cpu {cpu:.3f} s "
                f"best {min(times):.3f} s (runs {', '.join(f'{t:.2f}' for t in times)}); "
                f"{(cpu - fixed_cpu) / n * 1e6:.0f} µs cpu per claim"
            )
            print(
                f"    without the gc pause: wall {no_pause:.3f} s, cpu {no_pause_cpu:.3f} s "
                f"({no_pause_cpu / cpu:.2f}x the cpu)"
            )
        for small, large in itertools.pairwise(sizes):
            ratio = medians[large][1] / medians[small][1]
            marginal = (medians[large][1] - fixed_cpu) / (medians[small][1] - fixed_cpu)
            print(
                f"growth {small} -> {large} claims ({large / small:.0f}x): "
                f"{medians[large][0] / medians[small][0]:.2f}x wall, {ratio:.2f}x cpu, "
                f"{marginal:.2f}x cpu without the fixed cost"
            )
        bundled = REPO / "claims.yaml"
        if bundled.exists():
            wall, cpu, times = time_process(validate_argv(bundled), args.runs, REPO)
            runs = ", ".join(f"{t:.2f}" for t in times)
            print(
                f"bundled claims.yaml: wall {wall:.3f} s, cpu {cpu:.3f} s, best {min(times):.3f} s "
                f"(runs {runs})"
            )
        startup, startup_cpu, _ = time_process([sys.executable, "-c", "pass"], args.runs, base)
        print(f"(a bare python start-up: wall {startup:.3f} s, cpu {startup_cpu:.3f} s)")

        target = base / f"claims-{sizes[0]}" / "claims.yaml"
        rows, modules = importtime(target, base, args.top)
        print("\nbiggest imports of `factcheck validate` (python -X importtime, cumulative):")
        for cumulative, own, name in rows:
            print(f"  {cumulative / 1000:7.1f} ms  (own {own / 1000:5.1f} ms)  {name}")
        network = sorted(m for m in modules if m in NETWORK_MODULES)
        print(f"network stack imported: {', '.join(network) if network else 'none'}")


if __name__ == "__main__":
    main()
