"""Speed of text extraction and quote location on large pages.

Generates pages of about 300 KB (scripts, styles, navigation, hidden blocks, comments and an
article with inline markup), each with three quotes: one on the page, one with a word changed
(the fuzzy path) and one that is not there (the fuzzy path's worst case: every window searched).
Pages are generated one at a time and not kept, so the resident memory shows whether
extraction leaks.

    .venv/bin/python benchmarks/quotes.py [--pages 200] [--seed 1]

Target: under 10 ms per page (extraction and the three quotes), memory flat. Wall-clock and
CPU times are both shown: on a shared machine the first includes waiting for a core.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from factcheck.extract import extract_page
from factcheck.quotes import QuoteResult, find_quote

PAGE_BYTES = 300_000
SYLLABLES = [
    "ka", "ter", "mo", "lin", "ra", "sel", "du", "vor", "pe", "lan", "tis", "gor", "ne", "ul",
    "bra", "chi", "sto", "mer", "qua", "den", "ri", "fal", "zo", "wen", "ix", "ep", "tor", "am",
]  # fmt: skip


def lexicon(rng: random.Random, size: int = 6000) -> list[str]:
    words = {"".join(rng.choices(SYLLABLES, k=rng.randint(1, 4))) for _ in range(size)}
    common = ["the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with"]
    return common * 40 + sorted(words)


def sentence(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choices(words, k=n)).capitalize() + "."


def inline(rng: random.Random, text: str) -> str:
    """Wrap some words in inline markup, as articles do."""
    out = []
    for word in text.split(" "):
        roll = rng.random()
        if roll < 0.03:
            out.append(f'<a href="/wiki/{word}">{word}</a>')
        elif roll < 0.05:
            out.append(f"<em>{word}</em>")
        elif roll < 0.06:
            out.append(f"<strong>{word[:2]}</strong>{word[2:]}")
        else:
            out.append(word)
    return " ".join(out)


def make_page(rng: random.Random, words: list[str]) -> tuple[bytes, list[str]]:
    """One page of about PAGE_BYTES and its paragraphs' plain text."""
    head = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{sentence(rng, words, 6)}</title>",
        "<style>"
        + "".join(f".c{i}{{margin:{i}px;color:#{i:06x}}}" for i in range(900))
        + "</style>",
        "<script>window.__DATA__=" + repr([sentence(rng, words, 12) for _ in range(250)]),
        "</script></head><body>",
        "<header><nav><ul>",
        *(f"<li><a href='/s/{w}'>{w}</a></li>" for w in rng.choices(words, k=80)),
        "</ul></nav></header><main><article><h1>" + sentence(rng, words, 8) + "</h1>",
    ]
    paragraphs: list[str] = []
    body: list[str] = []
    size = sum(map(len, head))
    while size < PAGE_BYTES - 6000:
        text = " ".join(sentence(rng, words, rng.randint(8, 25)) for _ in range(rng.randint(3, 7)))
        paragraphs.append(text)
        chunk = f"<p class='c{rng.randint(0, 99)}'>{inline(rng, text)}</p>"
        roll = rng.random()
        if roll < 0.05:
            chunk += f"<h2 id='s{len(body)}'>{sentence(rng, words, 5)}</h2>"
        elif roll < 0.08:
            chunk += f"<div hidden><p>{sentence(rng, words, 20)}</p></div><!-- ad slot -->"
        elif roll < 0.10:
            chunk += f"<script>track({len(body)}, '{sentence(rng, words, 6)}');</script>"
        body.append(chunk)
        size += len(chunk)
    tail = "</article></main><footer>" + sentence(rng, words, 40) + "</footer></body></html>"
    return ("".join(head) + "".join(body) + tail).encode(), paragraphs


def quotes_for(rng: random.Random, paragraphs: list[str], words: list[str]) -> list[str]:
    tokens = rng.choice(paragraphs).split()
    start = rng.randrange(0, max(1, len(tokens) - 20))
    exact = " ".join(tokens[start : start + 18])
    tokens = rng.choice(paragraphs).split()
    start = rng.randrange(0, max(1, len(tokens) - 20))
    near_tokens = tokens[start : start + 18]
    near_tokens[len(near_tokens) // 2] = "zzyzx"
    missing = " ".join(rng.choices(words[480:], k=18))
    return [exact, " ".join(near_tokens), missing]


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    words = lexicon(rng)

    extract_ms: list[float] = []
    match_ms: list[float] = []
    cpu_ms: list[float] = []
    sizes: list[int] = []
    results = {r: 0 for r in QuoteResult}
    rss: list[int] = []
    for index in range(args.pages):
        body, paragraphs = make_page(rng, words)
        quotes = quotes_for(rng, paragraphs, words)
        sizes.append(len(body))
        cpu_started = time.process_time()
        started = time.perf_counter()
        page = extract_page(body, "text/html; charset=utf-8")
        extracted = time.perf_counter()
        for quote in quotes:
            results[find_quote(quote, page).result] += 1
        matched = time.perf_counter()
        cpu_ms.append((time.process_time() - cpu_started) * 1000)
        extract_ms.append((extracted - started) * 1000)
        match_ms.append((matched - extracted) * 1000)
        if index in (9, args.pages // 2, args.pages - 1):
            rss.append(rss_kib())

    total = [e + m for e, m in zip(extract_ms, match_ms, strict=True)]

    def show(name: str, values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        return (
            f"{name:<22} mean {statistics.fmean(values):6.2f} ms   median "
            f"{statistics.median(values):6.2f}   p95 {p95:6.2f}   max {ordered[-1]:6.2f}"
        )

    print(f"pages: {args.pages}, mean size {statistics.fmean(sizes) / 1000:.0f} KB, 3 quotes each")
    print(show("extraction", extract_ms))
    print(show("3 quotes", match_ms))
    print(show("total per page", total))
    print(show("total, CPU time", cpu_ms))
    print("results:", ", ".join(f"{r}={n}" for r, n in results.items()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"RSS after 10 / {args.pages // 2 + 1} / {args.pages} pages: {rss} KiB; peak {peak} KiB")
    ok = statistics.fmean(total) < 10
    print("target (mean < 10 ms per page, wall clock):", "met" if ok else "NOT met")
    if not ok and statistics.fmean(cpu_ms) < 10:
        print("(CPU time is under it: other processes were competing for the machine)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
