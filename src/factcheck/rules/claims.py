"""FC203: a claim that is not pending says what the sources show (its rationale)."""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.findings import Code, Finding, finding
from factcheck.load.model import Document, Status


def check_rationales(document: Document) -> Iterator[Finding]:
    for claim in document.claims:
        if claim.status is not Status.PENDING and not (claim.rationale or "").strip():
            yield finding(
                Code.FC203,
                f"{_a(claim.status.value)} {claim.status.value} claim needs a rationale: "
                "say what the sources show",
                claim.at("rationale") if claim.rationale is not None else claim.at("status"),
                claim=claim.id,
            )


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
