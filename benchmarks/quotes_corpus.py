"""Quote location on real pages: /work/shared/corpus (80 pages as served, sentences known to be
in each page's main text).

Two rates:
- located: every listed sentence should be found (or near) on its own page;
- cross-match: a sentence of one page should match no other page (found or near there).
The same two rates are measured again on the sentences of six words or more with their middle
word changed (reversed), which exercises the fuzzy path: located means ``near`` there.

The pages are served by a local HTTP server on 127.0.0.1 as ``text/html`` without a charset
(the original headers were not kept) and fetched by the link checker (``check_links``), so the
charset comes from the BOM, the meta tag or detection, as in ``verify``; ``--direct`` reads the
files instead. Extraction times are measured on the files' bytes either way.

    .venv/bin/python benchmarks/quotes_corpus.py [--corpus DIR] [--direct] [-v]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote as url_quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from factcheck.extract import PageText, extract_page
from factcheck.links import LinkKind, LinkRequest, LinkSettings, check_links, normalise_url
from factcheck.quotes import QuoteResult, find_quote

DEFAULT_CORPUS = Path("/work/shared/corpus")


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {".html": "text/html"}  # noqa: RUF012 - the stdlib's own class attribute

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(directory: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def read_pages(corpus: Path, names: list[str]) -> tuple[dict[str, PageText], list[float]]:
    """Each file's bytes extracted directly, timed."""
    pages: dict[str, PageText] = {}
    times: list[float] = []
    for name in names:
        body = (corpus / "pages" / name).read_bytes()
        started = time.perf_counter()
        pages[name] = extract_page(body, "text/html")
        times.append(time.perf_counter() - started)
    return pages, times


def fetch_pages(corpus: Path, names: list[str]) -> tuple[dict[str, PageText], float]:
    """Each file served on 127.0.0.1 and fetched by the link checker, as ``verify`` would."""
    settings = LinkSettings(allow_cidrs=("127.0.0.1/32",), use_cache=False, timeout=10, retries=0)
    started = time.perf_counter()
    with serving(corpus / "pages") as base:
        asked = {
            name: LinkRequest(f"{base}/{url_quote(name)}", LinkKind.EVIDENCE, need_text=True)
            for name in names
        }
        answer = check_links(list(asked.values()), settings)
    elapsed = time.perf_counter() - started
    pages: dict[str, PageText] = {}
    for name, request in asked.items():
        result = answer[normalise_url(request.url)]
        if result.page is None:
            raise SystemExit(f"{name}: {result.outcome}/{result.reason} {result.detail}")
        pages[name] = result.page
    return pages, elapsed


def changed_word(quote: str) -> str:
    words = quote.split()
    middle = len(words) // 2
    words[middle] = words[middle][::-1] if len(set(words[middle])) > 1 else "xyzzy"
    return " ".join(words)


def locate(
    pages: dict[str, PageText], quotes: dict[str, list[str]], *, verbose: bool
) -> tuple[Counter[QuoteResult], list[float]]:
    results: Counter[QuoteResult] = Counter()
    times: list[float] = []
    for name, page in pages.items():
        for quote in quotes[name]:
            started = time.perf_counter()
            match = find_quote(quote, page)
            times.append(time.perf_counter() - started)
            results[match.result] += 1
            if verbose and match.result is not QuoteResult.FOUND:
                print(f"{match.result:<8} {match.score or '':>5} {name}: {quote!r}")
                if match.passage:
                    print(f"{'':15}page: {match.passage!r}")
    return results, times


def cross_match(pages: dict[str, PageText], quotes: dict[str, list[str]]) -> Counter[QuoteResult]:
    results: Counter[QuoteResult] = Counter()
    for name in pages:
        for quote in quotes[name]:
            for other, page in pages.items():
                if other != name:
                    match = find_quote(quote, page)
                    results[match.result] += 1
                    if match.result in (QuoteResult.FOUND, QuoteResult.NEAR):
                        print(f"cross-match {match.result}: {name} quote {quote!r} on {other}")
    return results


def report(label: str, own: Counter[QuoteResult], cross: Counter[QuoteResult]) -> None:
    total = sum(own.values())
    located = own[QuoteResult.FOUND] + own[QuoteResult.NEAR]
    pairs = sum(cross.values())
    crossed = cross[QuoteResult.FOUND] + cross[QuoteResult.NEAR]
    print(
        f"{label}: located {located}/{total} = {100 * located / total:.1f}% "
        f"(found {own[QuoteResult.FOUND]}, near {own[QuoteResult.NEAR]}, "
        f"missing {own[QuoteResult.MISSING]}); "
        f"cross-match {crossed}/{pairs} = {100 * crossed / pairs:.2f}%"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--direct", action="store_true", help="read the files, do not serve them")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list every sentence not found"
    )
    args = parser.parse_args()

    listing: dict[str, dict[str, object]] = json.loads((args.corpus / "quotes.json").read_text())
    names = sorted(listing)
    direct_pages, extract_times = read_pages(args.corpus, names)
    if args.direct:
        pages = direct_pages
    else:
        pages, fetch_time = fetch_pages(args.corpus, names)
        differ = [n for n in names if pages[n].text != direct_pages[n].text]
        print(f"fetched {len(pages)} pages in {fetch_time:.2f} s; text unlike the files': {differ}")
    quotes = {name: [str(q) for q in listing[name]["quotes"]] for name in names}  # type: ignore[attr-defined]

    own, match_times = locate(pages, quotes, verbose=args.verbose)
    cross = cross_match(pages, quotes)
    changed = {
        name: [changed_word(q) for q in qs if len(q.split()) >= 6] for name, qs in quotes.items()
    }
    own_changed, _ = locate(pages, changed, verbose=args.verbose)
    cross_changed = cross_match(pages, changed)

    source = "read from disk" if args.direct else "served from 127.0.0.1"
    print(f"pages: {len(names)} ({source})")
    report("sentences", own, cross)
    report("one word changed", own_changed, cross_changed)
    words = [page.word_count for page in pages.values()]
    print(
        f"extraction: mean {1000 * statistics.fmean(extract_times):.2f} ms/page, "
        f"max {1000 * max(extract_times):.2f} ms; own-page match: mean "
        f"{1000 * statistics.fmean(match_times):.2f} ms/sentence; words/page median "
        f"{statistics.median(words):.0f}, min {min(words)}"
    )
    flagged = sorted(n for n, p in pages.items() if p.interstitial)
    print(f"pages taken for an interstitial: {len(flagged)} {flagged}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
