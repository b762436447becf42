"""FC601–FC603: what claim statuses mean for publication (verify and report only)."""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.findings import Code, Finding, finding
from factcheck.load.model import Document, Mode, Status


def check_statuses(document: Document, mode: Mode) -> Iterator[Finding]:
    for claim in document.claims:
        where = claim.at("status")
        if claim.status is Status.PENDING:
            yield finding(
                Code.FC601,
                "claim is still pending: check it before publication",
                where,
                claim=claim.id,
            )
        elif mode is Mode.DRAFT and claim.status is Status.CONTRADICTED:
            yield finding(
                Code.FC602,
                "claim is contradicted by the evidence: correct the article before publication",
                where,
                claim=claim.id,
            )
        elif mode is Mode.DRAFT and claim.status is Status.UNVERIFIED:
            yield finding(
                Code.FC603, "claim is unverified: no source settles it", where, claim=claim.id
            )
