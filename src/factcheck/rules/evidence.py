"""FC201–FC208: the shape of each claim's evidence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from factcheck.findings import Code, Finding, finding
from factcheck.load.model import Claim, Document, Evidence, Stance, Status
from factcheck.urls import archive_problem, normalise_url, url_problem

#: The stance a status rests on: at least one evidence item must have it.
NEEDED_STANCE: dict[Status, Stance] = {
    Status.SUPPORTED: Stance.SUPPORTS,
    Status.PARTIALLY_SUPPORTED: Stance.SUPPORTS,
    Status.CONTRADICTED: Stance.CONTRADICTS,
}
#: Statuses whose evidence must say its stance explicitly.
STANCE_REQUIRED = {Status.CONTRADICTED, Status.PARTIALLY_SUPPORTED}


def check_evidence(document: Document, today: date) -> Iterator[Finding]:
    article_url = document.article
    problem = url_problem(article_url.url)
    if problem:
        yield finding(Code.FC201, f"article.url {problem}", article_url.at("url"))
    if document.review is not None and document.review.url is not None:
        problem = url_problem(document.review.url)
        if problem:
            yield finding(Code.FC201, f"review.url {problem}", document.review.at("url"))
    article_key = normalise_url(article_url.url)
    for claim in document.claims:
        yield from _check_stances(claim)
        seen: set[str] = set()
        for index, item in enumerate(claim.evidence):
            key = normalise_url(item.url) if item.url is not None else None
            yield from _check_item(claim, index, item, today, key == article_key)
            if key is None:
                continue  # a citation: nothing to fetch, nothing to compare
            if key in seen:
                yield finding(
                    Code.FC204,
                    "this URL is cited twice in the same claim",
                    item.at("url"),
                    claim=claim.id,
                    evidence=index,
                )
            seen.add(key)


def _check_stances(claim: Claim) -> Iterator[Finding]:
    needed = NEEDED_STANCE.get(claim.status)
    if claim.status in STANCE_REQUIRED:
        for index, item in enumerate(claim.evidence):
            if item.stance is None:
                yield finding(
                    Code.FC202,
                    f"evidence of a {claim.status.value} claim must say its stance "
                    "(supports, contradicts or context)",
                    item.location,
                    claim=claim.id,
                    evidence=index,
                )
    if needed is None:
        return
    if not any(item.effective_stance is needed for item in claim.evidence):
        if claim.evidence:
            message = f"a {claim.status.value} claim needs evidence that {needed.value[:-1]}s it"
        else:
            message = f"a {claim.status.value} claim needs evidence; none is given"
        yield finding(Code.FC202, message, claim.at("status"), claim=claim.id)


def _check_item(
    claim: Claim, index: int, item: Evidence, today: date, is_article: bool
) -> Iterator[Finding]:
    def found(code: str, message: str, field: str | None = None) -> Finding:
        where = item.at(field) if field else item.location
        return finding(code, message, where, claim=claim.id, evidence=index)

    for field in ("url", "archive_url", "original_url"):
        value = getattr(item, field)
        problem = url_problem(value) if value is not None else None
        if problem:
            yield found(Code.FC201, f"{field} {problem}", field)
    if is_article:
        yield found(
            Code.FC205, "this evidence is the article itself; cite independent sources", "url"
        )
    if item.accessed is not None:
        if item.accessed > today + timedelta(days=1):
            yield found(Code.FC206, f"accessed {item.accessed} is in the future", "accessed")
        elif item.published is not None and item.accessed < item.published:
            yield found(
                Code.FC206,
                f"accessed {item.accessed} is before the page was published ({item.published})",
                "accessed",
            )
    if (
        item.archive_url is not None
        and item.url is not None
        and url_problem(item.archive_url) is None
    ):
        problem = archive_problem(item.archive_url, item.url)
        if problem:
            yield found(Code.FC207, f"archive_url {problem}", "archive_url")
    missing = [name for name in ("title", "publisher") if not (getattr(item, name) or "").strip()]
    if missing:
        yield found(
            Code.FC208, f"evidence without {' or '.join(missing)}: readers need to know what it is"
        )
