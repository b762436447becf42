"""``factcheck coverage``: the check-worthy sentences of the article that no claim covers.

Reads the claims file and the local article text (``--article`` or ``article.text``: the text
claim quotes are anchored in), prints every uncovered check-worthy sentence with its article
line and why it looks check-worthy, then the coverage. ``--min-coverage N`` makes it a gate.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from factcheck.article import ARTICLE_FILE, HTML_SUFFIXES, ArticleText, local_article
from factcheck.coverage import Claimed, Coverage, Sentence, measure, with_source_lines
from factcheck.errors import FactcheckError
from factcheck.files import read_text
from factcheck.findings import Finding
from factcheck.load.discover import discover, display_path
from factcheck.load.loader import load_file
from factcheck.load.model import Document
from factcheck.render.common import clean, plural


@dataclass(frozen=True)
class FileCoverage:
    file: str
    article: ArticleText
    document: Document
    coverage: Coverage


def measure_files(paths: list[Path], article: Path | None) -> list[FileCoverage]:
    """Load every claims file and its local article text; exit 2 where either is missing."""
    found = discover(paths)
    if article is not None and len(found) != 1:
        raise FactcheckError("--article needs exactly one claims file")
    results = []
    for path in found:
        loaded = load_file(path)
        if loaded.document is None:
            first = loaded.findings[0] if loaded.findings else None
            message = first.message if first else "the file cannot be used"
            where = str(first.location) if first else loaded.path
            raise FactcheckError(message, location=where)
        text, problem = local_article(loaded.document, path, article)
        if problem is not None:
            raise FactcheckError(problem, location=str(loaded.document.article.at("text")))
        if text is None:
            raise FactcheckError(
                "no article text: pass --article PATH or set article.text "
                "(coverage reads local text only; verify also measures a fetched article)",
                location=loaded.path,
            )
        document = loaded.document
        claims = [Claimed(claim.quote, claim.assertion) for claim in document.claims]
        measured = measure(text, claims, title=document.article.title)
        results.append(FileCoverage(loaded.path, text, document, _exact_lines(measured, text)))
    return results


def _exact_lines(coverage: Coverage, article: ArticleText) -> Coverage:
    """Sentence lines in a markdown file wrapped over several lines (see with_source_lines)."""
    path = Path(article.origin)
    if path.suffix.lower() in HTML_SUFFIXES:
        return coverage
    try:
        markdown = read_text(path, ARTICLE_FILE)
    except FactcheckError:  # pragma: no cover - it was just read as the article
        return coverage
    return with_source_lines(coverage, markdown)


def sentence_lines(origin: str, sentence: Sentence) -> list[str]:
    where = f"{origin}:{sentence.line}" if sentence.line else origin
    why = "; ".join(sentence.reasons)
    if 0 < len(sentence.uncovered_facts) < len(sentence.facts):
        why += f"; no claim covers {', '.join(sentence.uncovered_facts)}"
    return [f"{where}: {clean(why)}", f"    {clean(sentence.text)}"]


def render(results: list[FileCoverage], gate: list[Finding], minimum: float | None) -> str:
    from factcheck.render.console import finding_line

    lines: list[str] = []
    for result in results:
        origin = _shown(result.article.origin)
        for sentence in result.coverage.uncovered:
            lines.extend(sentence_lines(origin, sentence))
        if result.coverage.uncovered:
            lines.append("")
        claims = plural(len(result.document.claims), "claim")
        lines.append(
            f"{result.file}: {result.coverage.counts.describe()} ({claims}; article {origin})"
        )
    if len(results) > 1:
        total = Coverage.combine(r.coverage for r in results)
        lines.append(f"all files: {total.counts.describe()}")
    if gate:
        lines.append("")
        lines.extend(finding_line(item).plain for item in gate)
    if minimum is not None:
        verdict = "failed" if gate else "passed"
        lines.append(f"{verdict}: --min-coverage {minimum:g}%")
    return "\n".join(lines) + "\n"


def run(
    paths: list[Path],
    *,
    article: Path | None = None,
    min_coverage: float | None = None,
) -> int:
    if min_coverage is not None and not 0 <= min_coverage <= 100:
        raise FactcheckError(f"--min-coverage must be between 0 and 100, not {min_coverage:g}")
    from factcheck.rules.coverage import coverage_gate

    results = measure_files(paths, article)
    gate = [
        item
        for result in results
        if min_coverage is not None
        and (item := coverage_gate(result.document, result.coverage, min_coverage)) is not None
    ]
    sys.stdout.write(render(results, gate, min_coverage))
    sys.stdout.flush()
    return 1 if gate else 0


def _shown(origin: str) -> str:
    return display_path(Path(origin)) if origin else "article"
