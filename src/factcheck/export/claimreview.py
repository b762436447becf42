"""Claims as schema.org ClaimReview JSON-LD, the format fact-check databases read. Pure.

One ClaimReview per claim with a factual status; ``opinion`` and ``pending`` claims are not
fact-checks and are left out. The rating scale and the words for each status are documented
in docs/claimreview.md; :data:`RATINGS` is that table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from factcheck.errors import FactcheckError
from factcheck.load.model import Article, Claim, Document, Evidence, Status
from factcheck.urls import normalise_url, url_problem

CONTEXT = "https://schema.org"
WORST_RATING = 1
BEST_RATING = 5

JsonLd = dict[str, Any]


@dataclass(frozen=True)
class Verdict:
    """How a status reads in a ClaimReview: words, and a value on the 1-5 scale (or none)."""

    words: str
    value: int | None


#: The mapping docs/claimreview.md documents. ``opinion`` and ``pending`` are not exported.
RATINGS: dict[Status, Verdict] = {
    Status.SUPPORTED: Verdict("Supported", 5),
    Status.PARTIALLY_SUPPORTED: Verdict("Partially supported", 3),
    Status.CONTRADICTED: Verdict("Contradicted", 1),
    Status.UNVERIFIED: Verdict("Unverified", None),
}


def exported(claim: Claim) -> bool:
    return claim.status in RATINGS


def claim_reviews(
    document: Document,
    *,
    today: date,
    review_url: str | None = None,
    author: str | None = None,
) -> list[JsonLd]:
    """Every exportable claim of ``document`` as a ClaimReview, in file order.

    ``review_url`` and ``author`` override the file's ``review`` block; without a review URL
    or an author the export cannot be attributed, which is a usage error (exit 2).
    """
    page = _review_page(document, review_url)
    by = _author(document, author)
    appearance = _article(document.article)
    return [
        _claim_review(claim, page=page, author=by, appearance=appearance, today=today)
        for claim in document.claims
        if exported(claim)
    ]


def export_documents(
    documents: Iterable[Document],
    *,
    today: date,
    review_url: str | None = None,
    author: str | None = None,
) -> list[JsonLd]:
    reviews: list[JsonLd] = []
    for document in documents:
        reviews.extend(claim_reviews(document, today=today, review_url=review_url, author=author))
    return reviews


def _review_page(document: Document, override: str | None) -> str:
    where = str(document.at("review"))
    url = override or (document.review.url if document.review else None)
    if not url:
        raise FactcheckError(
            "no review URL: set review.url in the claims file (where this fact-check is "
            "published) or pass --review-url",
            location=where,
        )
    problem = url_problem(url)
    if problem:
        raise FactcheckError(f"the review URL {url!r} {problem}", location=where)
    return url


def _author(document: Document, override: str | None) -> JsonLd:
    if override is not None:
        if not override.strip():
            raise FactcheckError("--author must not be empty")
        return _organisation(override.strip())
    publisher = document.review.publisher if document.review else None
    if publisher is None:
        raise FactcheckError(
            "no author: set review.publisher in the claims file (who publishes this "
            "fact-check) or pass --author",
            location=str(document.at("review")),
        )
    return _organisation(publisher.name, publisher.url)


def _organisation(name: str, url: str | None = None) -> JsonLd:
    return _compact({"@type": "Organization", "name": name, "url": url})


def _article(article: Article) -> JsonLd:
    authors = [{"@type": "Person", "name": name} for name in article.authors if name.strip()]
    return _compact(
        {
            "@type": "Article",
            "url": article.url,
            "headline": article.title,
            "publisher": _organisation(article.publisher),
            "author": _one_or_many(authors),
            "datePublished": _iso(article.published),
        }
    )


def _claim_review(
    claim: Claim, *, page: str, author: JsonLd, appearance: JsonLd, today: date
) -> JsonLd:
    verdict = RATINGS[claim.status]
    rating = {
        "@type": "Rating",
        "alternateName": verdict.words,
        "name": verdict.words,
        "ratingValue": verdict.value,
        "bestRating": BEST_RATING if verdict.value is not None else None,
        "worstRating": WORST_RATING if verdict.value is not None else None,
        "ratingExplanation": _text(claim.rationale),
    }
    item = {
        "@type": "Claim",
        "text": _text(claim.quote),
        "author": appearance.get("author") or appearance["publisher"],
        "datePublished": appearance.get("datePublished"),
        "appearance": appearance,
        "firstAppearance": appearance,
    }
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "ClaimReview",
            "url": _with_fragment(page, claim.id),
            "claimReviewed": _text(claim.assertion) or _text(claim.quote),
            "itemReviewed": _compact(item),
            "reviewRating": _compact(rating),
            "author": author,
            "datePublished": (claim.checked_on or today).isoformat(),
            "citation": _citations(claim.evidence),
        }
    )


def _citations(evidence: list[Evidence]) -> list[JsonLd] | None:
    seen: set[str] = set()
    cited: list[JsonLd] = []
    for item in evidence:
        key = normalise_url(item.url) if item.url is not None else f"citation {item.citation}"
        if key in seen:
            continue
        seen.add(key)
        cited.append(
            _compact(
                {
                    "@type": "CreativeWork",
                    "url": item.url,
                    "name": _text(item.title) or _text(item.citation),
                    "description": _text(item.citation),  # a source without a URL
                    "publisher": _organisation(item.publisher) if item.publisher else None,
                    "datePublished": _iso(item.published),
                    "archivedAt": item.archive_url,
                    "isBasedOn": item.original_url,
                }
            )
        )
    return cited or None


def _with_fragment(url: str, fragment: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, fragment))


def _text(value: str | None) -> str | None:
    """Whitespace runs to one space; the words themselves (typographic quotes too) are kept."""
    collapsed = " ".join(value.split()) if value else ""
    return collapsed or None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _one_or_many(items: list[JsonLd]) -> JsonLd | list[JsonLd] | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else items


def _compact(mapping: dict[str, Any]) -> JsonLd:
    """Leave out properties without a value: JSON-LD has no null, only absence."""
    return {key: value for key, value in mapping.items() if value is not None}
