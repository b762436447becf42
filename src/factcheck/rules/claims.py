"""FC105 duplicate claim ids, FC203 missing rationale."""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.findings import Code, Finding, Location, finding
from factcheck.load.loader import LoadedFile
from factcheck.load.model import Document, Status


def check_ids(loaded: LoadedFile) -> Iterator[Finding]:
    seen: dict[str, Location] = {}
    ids: list[tuple[str, Location]] = list(loaded.invalid_claim_ids)
    if loaded.document is not None:
        ids.extend((claim.id, claim.at("id")) for claim in loaded.document.claims)
    ids.sort(key=lambda pair: (pair[1].line or 0, pair[1].column or 0))
    for claim_id, where in ids:
        if claim_id in seen:
            yield finding(
                Code.FC105,
                f"claim id {claim_id} is used twice (first at line {seen[claim_id].line})",
                where,
                claim=claim_id,
            )
        else:
            seen[claim_id] = where


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
