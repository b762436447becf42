"""FC301–FC306: every claim quote is the article's own words, once, under its section; and
whether there is article text to anchor them in at all (FC304 none, FC305 the fetched page is
not the article, FC306 ``article.text`` unusable)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from factcheck.article import ArticleSource, ArticleText, from_page
from factcheck.findings import Code, Finding, finding
from factcheck.load.model import Claim, Document
from factcheck.text import closest_alignment, normalise

if TYPE_CHECKING:
    from factcheck.links import LinkResult

#: FC305: under this share of claim quotes found, the page is not taken for the article.
ARTICLE_MATCH_SHARE = 0.5


def check_anchors(document: Document, article: ArticleText) -> Iterator[Finding]:
    for claim in document.claims:
        quote = normalise(claim.quote)
        offsets = article.occurrences(quote)
        if not offsets:
            yield finding(
                Code.FC301,
                f"claim quote is not in the article text ({article.origin})"
                + _closest(quote, article),
                claim.at("quote"),
                claim=claim.id,
            )
            continue
        first = offsets[0]
        if len(offsets) > 1:
            lines = ", ".join(str(article.line_at(o)) for o in offsets[:5] if article.line_at(o))
            yield finding(
                Code.FC302,
                f"claim quote occurs {len(offsets)} times in the article"
                + (f" (lines {lines})" if lines else "")
                + "; quote more words so it points at one place",
                claim.at("quote"),
                claim=claim.id,
                article_line=article.line_at(first),
            )
        if claim.section is not None:
            yield from _check_section(claim, claim.section, offsets, article)


def _check_section(
    claim: Claim, section: str, offsets: list[int], article: ArticleText
) -> Iterator[Finding]:
    """FC303. The location is made only for a finding: most quotes are where they say."""
    claim_id = claim.id
    headings = article.heading_named(section)
    if not headings:
        known = "; ".join(h.title for h in article.headings[:8])
        yield finding(
            Code.FC303,
            f"section {section!r} is not a heading of the article"
            + (f" (headings: {known})" if known else " (the article has no headings)"),
            claim.at("section"),
            claim=claim_id,
        )
        return
    if not any(h.start <= o < h.end for h in headings for o in offsets):
        actual = article.sections_at(offsets[0])
        under = f"it is under {actual[-1].title!r}" if actual else "it is before the first heading"
        yield finding(
            Code.FC303,
            f"the quote is not in section {section!r}: {under}",
            claim.at("section"),
            claim=claim_id,
            article_line=article.line_at(offsets[0]),
        )


def _closest(quote: str, article: ArticleText) -> str:
    """A hint with the closest passage, so a silent edit of the article is easy to spot."""
    if len(quote) < 12 or not article.text:
        return ""
    # Bounded: on a long article only the windows around the quote's words, found in the
    # article's word index, are compared (3,000 absent quotes in 19 MiB took over 300 s).
    found = closest_alignment(quote, article.text, score_cutoff=75, word_starts=article.words)
    if found is None:
        return ""
    score, start, end = found
    return f"; closest passage ({score:.0f}%): {article.text[start:end][:160]!r}"


def no_article_text(document: Document) -> Finding:
    return finding(
        Code.FC304,
        "no article text: pass --article PATH or set article.text; claim quotes not anchored",
        document.article.location,
    )


def unusable_article_text(document: Document, problem: str) -> Finding:
    """FC306: ``article.text`` names a file that cannot be used (``problem`` says why)."""
    return finding(Code.FC306, problem, document.article.at("text"))


def anchor_fetched(
    document: Document, result: LinkResult | None, *, offline: bool
) -> tuple[list[Finding], ArticleText | None]:
    """Anchor claim quotes in the fetched article page: the findings, and the article text
    when the page is the article (FC305 when under half of the quotes are on it; FC304 when
    the page could not be read)."""
    from factcheck.links import Outcome

    where = document.article.at("url")
    if result is None or result.page is None or result.outcome is not Outcome.OK:
        why = (
            "offline"
            if offline
            else (f"{result.reason.value}: {result.detail}" if result else "not fetched")
        )
        return [
            finding(
                Code.FC304,
                f"no article text: the article page could not be read ({why}); "
                "claim quotes not anchored (pass --article PATH for a local copy)",
                where,
            )
        ], None
    if result.page.too_complex:
        return [
            finding(
                Code.FC304,
                f"no article text: {result.page.error}; claim quotes not anchored "
                "(pass --article PATH for a local copy)",
                where,
            )
        ], None
    article = from_page(result.page, ArticleSource.URL, document.article.url)
    anchored = list(check_anchors(document, article))
    missing = sum(1 for f in anchored if f.code is Code.FC301)
    total = len(document.claims)
    if total and (total - missing) / total < ARTICLE_MATCH_SHARE:
        return [
            finding(
                Code.FC305,
                f"the page at article.url does not look like the article: only {total - missing} "
                f"of {total} claim quotes are on it (was it moved, paywalled or rewritten?)",
                where,
            )
        ], None
    return anchored, article
