"""FC604: claim coverage below ``--min-coverage`` (``factcheck coverage``)."""

from __future__ import annotations

from factcheck.coverage import Coverage
from factcheck.findings import Code, Finding, finding
from factcheck.load.model import Document


def coverage_gate(document: Document, coverage: Coverage, minimum: float) -> Finding | None:
    """FC604 when ``coverage`` is below ``minimum`` percent (``--min-coverage``)."""
    if not coverage.counts.below(minimum):
        return None
    count = len(coverage.uncovered)
    missing = f"{count} check-worthy sentence{'' if count == 1 else 's'}"
    return finding(
        Code.FC604,
        f"claim coverage {coverage.counts.shown_percent} is below --min-coverage {minimum:g}%: "
        f"{missing} of the article no claim covers (factcheck coverage lists them)",
        document.at("claims"),
    )
