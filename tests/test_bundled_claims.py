"""The bundled fact-check of "Hello to Arms" is a valid, complete, anchored claims file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factcheck.article import ArticleSource, read_local
from factcheck.loader import load_file
from factcheck.model import Status
from factcheck.rules.anchoring import check_anchors
from factcheck.text import normalise
from tests.conftest import REPO, SHARED, Cli

CLAIMS = REPO / "claims.yaml"
ARTICLE = SHARED / "research" / "article.md"


def _need_research_copy() -> Path:
    if ARTICLE.exists():
        return ARTICLE
    reason = f"the research copy of the article is not at {ARTICLE}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run beside ../shared")
    pytest.skip(reason)


def test_bundled_claims_validate_without_findings() -> None:
    loaded = load_file(CLAIMS)
    assert loaded.document is not None
    assert loaded.findings == []
    document = loaded.document
    assert document.mode.value == "review"
    assert len(document.claims) >= 100


def test_every_non_pending_claim_has_a_rationale_and_no_claim_is_pending() -> None:
    loaded = load_file(CLAIMS)
    assert loaded.document is not None
    for claim in loaded.document.claims:
        assert claim.status is not Status.PENDING, claim.id
        assert (claim.rationale or "").strip(), claim.id


def test_quotes_are_short_spans_not_paragraphs() -> None:
    loaded = load_file(CLAIMS)
    assert loaded.document is not None
    for claim in loaded.document.claims:
        assert len(claim.quote.split()) <= 40, claim.id


def test_every_quote_is_anchored_once_in_the_research_copy() -> None:
    article_path = _need_research_copy()
    loaded = load_file(CLAIMS)
    assert loaded.document is not None
    article = read_local(article_path, ArticleSource.OPTION)
    findings = list(check_anchors(loaded.document, article))
    assert findings == []
    headings = {h.title for h in article.headings}
    for claim in loaded.document.claims:
        assert len(article.occurrences(normalise(claim.quote))) == 1, claim.id
        if claim.section is not None:
            assert normalise(claim.section) in headings, claim.id


def test_validate_command_on_the_bundled_file_is_clean(cli: Cli) -> None:
    article_path = _need_research_copy()
    result = cli("validate", str(CLAIMS), "--article", str(article_path), cwd=REPO)
    assert result.code == 0, result.out + result.err
    assert " 0 errors, " in result.out
    # The figures check (FC209) is a prompt to quote the passage that gives a figure: the only
    # warnings the bundled file may have while its passages are completed.
    warnings = [line for line in result.out.splitlines() if ": warning " in line]
    assert all(" FC209 " in line for line in warnings), warnings
