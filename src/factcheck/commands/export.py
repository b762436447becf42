"""``factcheck export``: claims files to ClaimReview JSON-LD, refusing files that do not validate.

An export is a publication: a file ``factcheck validate`` rejects is not exported. An unusable
file is exit 2 (the tool cannot do its job); a file with errors is exit 1, with the blocking
findings on stderr, as the gate of ``validate`` would report them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.errors import FactcheckError
from factcheck.export.claimreview import export_documents, exported
from factcheck.load.discover import discover
from factcheck.load.loader import load_file
from factcheck.load.model import Document
from factcheck.output import notice
from factcheck.render.common import plural

if TYPE_CHECKING:
    from factcheck.report import Report


def run(
    paths: list[Path],
    *,
    output: Path | None = None,
    review_url: str | None = None,
    author: str | None = None,
    article: Path | None = None,
    config: Path | None = None,
) -> int:
    from factcheck.commands.check import check
    from factcheck.output import emit
    from factcheck.settings import run_clock

    found = discover(paths)
    if review_url is not None and len(found) != 1:
        raise FactcheckError(
            "--review-url needs exactly one claims file (each file is its own fact-check page)"
        )
    # Exactly what `factcheck validate` checks, with the same configuration.
    report, protected = check("validate", paths, article=article, config=config)
    refused = _refusal(report)
    if refused is not None:
        return refused
    documents = _documents(found)
    today = run_clock()[0].date()
    reviews = export_documents(documents, today=today, review_url=review_url, author=author)
    text = json.dumps(reviews, indent=2, ensure_ascii=False) + "\n"
    emit(text, output, protected=protected)
    skipped = sum(1 for d in documents for c in d.claims if not exported(c))
    notice(
        f"exported {plural(len(reviews), 'ClaimReview')} from {plural(len(documents), 'file')}"
        + (f"; {plural(skipped, 'opinion or pending claim')} left out" if skipped else "")
    )
    return 0


def _refusal(report: Report) -> int | None:
    """Print what blocks the export on stderr; the exit code, or None when nothing does."""
    from factcheck.policy import blocks
    from factcheck.render.console import finding_line

    if report.gate.passed and not report.fatal:
        return None
    for item in report.findings:
        if blocks(item, report.gate.fail_on):
            notice(finding_line(item).plain, prefix=None)
    if report.fatal:
        notice("error: cannot export: a claims file cannot be used")
        return 2
    notice(
        "export refused: the claims file does not pass `factcheck validate` "
        f"(findings above, at or above --fail-on {report.gate.fail_on})"
    )
    return 1


def _documents(found: list[Path]) -> list[Document]:
    documents = []
    for path in found:
        document = load_file(path).document
        if document is None:  # pragma: no cover - validated just before
            raise FactcheckError("the file cannot be used", location=str(path))
        documents.append(document)
    return documents
