"""Offline rules: small pure functions from a loaded claims file to findings.

Each family lives in its own module; ``check_file`` runs the families ``validate`` runs
(1xx–3xx), and :func:`factcheck.rules.status.check_statuses` adds 6xx for ``verify``.
"""

from __future__ import annotations

from datetime import date

from factcheck.article import ArticleText
from factcheck.findings import Finding
from factcheck.loader import LoadedFile
from factcheck.rules import anchoring, claims, evidence, figures


def check_file(loaded: LoadedFile, article: ArticleText | None, today: date) -> list[Finding]:
    """Findings of families 1xx–3xx for one loaded file (load findings included)."""
    found = list(loaded.findings)
    found.extend(claims.check_ids(loaded))
    if loaded.document is None:
        return found
    found.extend(claims.check_rationales(loaded.document))
    found.extend(evidence.check_evidence(loaded.document, today))
    found.extend(figures.check_figures(loaded.document))
    if article is not None:
        found.extend(anchoring.check_anchors(loaded.document, article))
    return found
