"""Offline rules: small pure functions from a loaded claims file to findings.

Every finding of families 2xx–6xx is built here (1xx is the loader's, :mod:`factcheck.load`),
a module per family: ``claims``, ``evidence``, ``anchoring``, ``links``, ``quotes``, ``status``,
``coverage``, ``figures``. The stages before (loading, link checks, quote matching, coverage) return
results; the rules turn results into findings. ``check_file`` runs the offline families
``validate`` runs (1xx–3xx); the pipeline adds 4xx–6xx for ``verify`` and ``report``.
"""

from __future__ import annotations

from datetime import date

from factcheck.article import ArticleText
from factcheck.findings import Finding
from factcheck.load.loader import LoadedFile, duplicate_ids
from factcheck.rules import anchoring, claims, evidence, figures


def check_file(loaded: LoadedFile, article: ArticleText | None, today: date) -> list[Finding]:
    """Findings of families 1xx–3xx for one loaded file (load findings included)."""
    found = list(loaded.findings)
    found.extend(duplicate_ids(loaded))
    if loaded.document is None:
        return found
    found.extend(claims.check_rationales(loaded.document))
    found.extend(evidence.check_evidence(loaded.document, today))
    found.extend(figures.check_figures(loaded.document))
    if article is not None:
        found.extend(anchoring.check_anchors(loaded.document, article))
    return found
