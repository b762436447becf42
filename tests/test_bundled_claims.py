"""The bundled fact-check of "Hello to Arms" is a valid, complete, anchored claims file."""

from __future__ import annotations

import ipaddress
import os
import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from factcheck.article import ArticleSource, read_local
from factcheck.load.loader import load_file
from factcheck.load.model import Status
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


def test_validate_command_on_the_bundled_file_is_clean(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The suite pins the clock (SOURCE_DATE_EPOCH) to a date before the file's last reading
    # dates; `accessed` is judged against the real today, as a fact-checker running it would.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    article_path = _need_research_copy()
    result = cli("validate", str(CLAIMS), "--article", str(article_path), cwd=REPO)
    assert result.code == 0, result.out + result.err
    assert " 0 errors, 0 warnings, " in result.out, result.out
    # No warning of any code, the figures check (FC209) included: every figure a supported
    # claim states is in its evidence passages or its rationale says where it comes from.
    warnings = [line for line in result.out.splitlines() if ": warning " in line]
    assert warnings == []


# --- Sourcing rules of the bundled fact-check (issue 16) -------------------------------------
# The loader's model does not expose every key (x- keys are ignored), so these read the YAML.

# Hosts whose pages are copies of someone else's publication: Wikipedia mirrors and proxies,
# text copies of TIME's archive, blog and content-farm reprints, document-sharing uploads and
# reprint archives. An item on one of them must name its original: `original_url`, or, where
# the original has no address that was seen (print, an unlinked wire report), `x-original`.
MIRROR_HOSTS = {
    # Wikipedia mirrors and proxies
    "liquisearch.com",
    "primidi.com",
    "owiki.org",
    "wikisum.wiki",
    "quodid.com",
    "profilpelajar.com",
    "efoodline.com",
    "wikivisually.com",
    "wikiclassic.com",
    "hawaiilibrary.net",
    "review.clateway.com",
    "movatter.jp",
    "hyperlinked.wiki",
    "trivester.com",
    "encycloreader.org",
    "piglix.com",
    "infogalactic.com",
    # copies of TIME's archive
    "softbeam.net",
    "bceovw70.asia",
    # blog, wire and content-farm reprints
    "blogspot.com",
    "wordpress.com",
    "burmalibrary.org",
    "en-academic.com",
    "telegraf.id",
    "cricdb.com",
    "ilovetranslation.com",
    "grom-ua.org",
    "news.rationalreview.com",
    "emeatribune.uk",
    "unsharednews.com",
    "uslive.com",
    "thelatestnews.world",
    "breakinglatest.news",
    "worldtrendshub.com",
    "freeinfosociety.com",
    "onenewspage.com",
    "myanmarvisa.com",
    "southasianupdate.com",
    "urdupoint.com",
    "rightscorridor.com",
    "24-heures-photos.com",
    "v.daum.net",
    "chtooznachaet.ru",
    "sailmalaysia.life",
    "diplomatgazette.com",
    "sureanot.com",
    "newsfallout.com",
    # document-sharing uploads and copies of books and reports
    "scribd.com",
    "dokumen.tips",
    "vdocument.in",
    "vdocuments.us",
    "fdocuments.us",
    "free-books-online.org",
    "fantasylab.ru",
    "law-journals-books.vlex.com",
}
PROCESS_WORDS = re.compile(
    r"\b(dossier|second checker|first checker|both checkers|the checkers?|second opinion|"
    r"the reviewer|the research|further searches|I keep|we keep|I follow|we follow|I rate|"
    r"we rate|I split|I agree|we agree)\b",
    re.IGNORECASE,
)


def _raw_document() -> dict[str, Any]:
    data = yaml.safe_load(CLAIMS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _evidence_items() -> list[tuple[str, dict[str, Any]]]:
    return [
        (claim["id"], item)
        for claim in _raw_document()["claims"]
        for item in claim.get("evidence") or []
    ]


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _on_mirror(host: str) -> bool:
    return any(host == known or host.endswith("." + known) for known in MIRROR_HOSTS)


def test_no_evidence_on_a_raw_ip_host_without_its_original() -> None:
    offenders = []
    for claim_id, item in _evidence_items():
        host = _host(item["url"])
        try:
            ipaddress.ip_address(host)
        except ValueError:
            continue
        if not item.get("original_url"):
            offenders.append(f"{claim_id}: {item['url']}")
    assert offenders == []


def test_every_item_on_a_mirror_or_reprint_host_names_its_original() -> None:
    offenders = [
        f"{claim_id}: {item['url']}"
        for claim_id, item in _evidence_items()
        if _on_mirror(_host(item["url"]))
        and not (item.get("original_url") or str(item.get("x-original") or "").strip())
    ]
    assert offenders == []


def test_original_urls_point_away_from_the_copy() -> None:
    for claim_id, item in _evidence_items():
        original = item.get("original_url")
        if original:
            assert original.startswith(("https://", "http://")), claim_id
            assert _host(original) != _host(item["url"]), claim_id
            assert not _on_mirror(_host(original)), claim_id


def test_no_rationale_speaks_of_our_process() -> None:
    offenders = [
        f"{claim['id']}: {match.group(0)!r}"
        for claim in _raw_document()["claims"]
        for match in [PROCESS_WORDS.search(claim.get("rationale") or "")]
        if match
    ]
    assert offenders == []


def test_accessed_dates_are_real_reading_dates() -> None:
    # `accessed` is only ever the day a passage was read: never before the page was
    # published, never before the fact-check began (its first claims were checked 2026-11-27).
    for claim_id, item in _evidence_items():
        accessed = item.get("accessed")
        if accessed is None:
            continue
        assert isinstance(accessed, date), claim_id
        assert accessed >= date(2026, 11, 27), claim_id
        published = item.get("published")
        if isinstance(published, date):
            assert accessed >= published, claim_id


@pytest.mark.xfail(
    strict=True,
    reason="the article's publication date was not found in any copy seen (C184's "
    "'last year' depends on it); remove this marker when `article.published` is added",
)
def test_the_article_has_its_publication_date_and_authors() -> None:
    article = _raw_document()["article"]
    assert article.get("authors")
    assert isinstance(article.get("published"), date)


def test_claims_cover_at_least_95_percent_of_check_worthy_sentences(cli: Cli) -> None:
    # Coverage counts facts (every number, month and name of a sentence in a claim's quote or
    # assertion): 96% (72 of 75). The three sentences left are photo captions, whose names
    # cannot be checked without the pictures; 95% leaves no room for any other.
    article_path = _need_research_copy()
    result = cli("coverage", str(CLAIMS), "--article", str(article_path), cwd=REPO)
    found = re.search(r"coverage (\d+(?:\.\d+)?)%: (\d+) of (\d+)", result.out + result.err)
    assert found, result.out + result.err
    assert float(found.group(1)) >= 95.0, found.group(0)
