"""ClaimReview export: the mapping, schema.org conformance, Google's requirements, the command."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from factcheck.errors import FactcheckError
from factcheck.export.claimreview import BEST_RATING, RATINGS, WORST_RATING, claim_reviews
from factcheck.load.loader import load_string
from factcheck.load.model import Document, Status

REPO = Path(__file__).resolve().parents[2]
SCHEMA_ORG = json.loads((REPO / "tests" / "data" / "schemaorg-types.json").read_text("utf-8"))
TYPES: dict[str, Any] = SCHEMA_ORG["types"]
TODAY = date(2026, 11, 18)  # SOURCE_DATE_EPOCH=1795000000, as tests/conftest.py pins it

CLAIMS = """\
version: 1
mode: review
article:
  title: "Hello to Arms: how the Myanmar junta aids Russia"
  url: https://news.example.com/hello-to-arms
  publisher: The Paper
  published: 2024-03-01
  authors: ["Ann Writer", "Bo Reporter"]
review:
  publisher: {name: Example Fact Check, url: "https://factcheck.example.org/"}
  url: https://factcheck.example.org/2026/hello-to-arms#top
claims:
  - id: C001
    quote: "Myanmar officially paid Moscow $1.7 billion"
    assertion: "Myanmar paid Russia $1.7 billion for arms, 2001-2021."
    status: supported
    rationale: "SIPRI's   arms transfers database lists
      deliveries worth about that much."
    checked_on: 2026-11-01
    evidence:
      - url: https://www.sipri.org/databases/armstransfers
        title: SIPRI Arms Transfers Database
        publisher: SIPRI
        published: 2024-03-11
        archive_url: https://web.archive.org/web/2024/https://www.sipri.org/databases/armstransfers
      - url: https://WWW.SIPRI.ORG:443/databases/armstransfers#top
        title: The same page again
        publisher: SIPRI
      - url: https://mirror.example.net/reprint
        original_url: https://wire.example.com/original
        title: "A wire story, “reprinted”"
        publisher: Wire
  - id: C002
    quote: "the retired U Nu"
    status: partially_supported
    rationale: U Nu was not retired.
    evidence:
      - {url: "https://en.example.org/U_Nu", stance: supports, title: U Nu, publisher: Enc}
      - {url: "https://en.example.org/1958", stance: contradicts, title: "1958", publisher: Enc}
  - id: C003
    quote: "General Secretary Nikita Khrushchev"
    status: contradicted
    rationale: He was First Secretary.
    evidence:
      - {url: "https://en.example.org/Khrushchev", stance: contradicts, title: K, publisher: Enc}
  - id: C004
    quote: "On the Hospitable Land of Burma"
    status: unverified
    rationale: No record of the film was found.
  - id: C005
    quote: "a coalition of rogue nations"
    status: opinion
    rationale: A characterisation.
  - id: C006
    quote: "Iran supplies combat drones"
    status: pending
"""


def document(text: str = CLAIMS) -> Document:
    loaded = load_string(text)
    assert loaded.document is not None, loaded.findings
    assert not [f for f in loaded.findings if f.severity.value == "error"], loaded.findings
    return loaded.document


@pytest.fixture(scope="module")
def reviews() -> list[dict[str, Any]]:
    return claim_reviews(document(), today=TODAY)


def by_id(reviews: list[dict[str, Any]], claim_id: str) -> dict[str, Any]:
    return next(r for r in reviews if r["url"].endswith(f"#{claim_id}"))


# ----------------------------------------------------------------------------- the mapping


def test_one_claimreview_per_factual_claim_in_file_order(reviews: list[dict[str, Any]]) -> None:
    assert [r["url"].rsplit("#", 1)[1] for r in reviews] == ["C001", "C002", "C003", "C004"]
    assert all(r["@context"] == "https://schema.org" for r in reviews)
    assert all(r["@type"] == "ClaimReview" for r in reviews)


@pytest.mark.parametrize(
    ("claim_id", "words", "value"),
    [
        ("C001", "Supported", 5),
        ("C002", "Partially supported", 3),
        ("C003", "Contradicted", 1),
    ],
)
def test_rating_on_the_documented_scale(
    reviews: list[dict[str, Any]], claim_id: str, words: str, value: int
) -> None:
    rating = by_id(reviews, claim_id)["reviewRating"]
    assert rating["alternateName"] == rating["name"] == words
    assert (rating["ratingValue"], rating["worstRating"], rating["bestRating"]) == (value, 1, 5)


def test_unverified_has_words_but_no_numeric_rating(reviews: list[dict[str, Any]]) -> None:
    rating = by_id(reviews, "C004")["reviewRating"]
    assert rating == {
        "@type": "Rating",
        "alternateName": "Unverified",
        "name": "Unverified",
        "ratingExplanation": "No record of the film was found.",
    }


def test_the_documented_table_is_the_code() -> None:
    table = (REPO / "docs" / "claimreview.md").read_text("utf-8")
    for status, verdict in RATINGS.items():
        value = str(verdict.value) if verdict.value is not None else "—"
        assert re.search(rf"\| `{status.value}` \| {verdict.words} \| {value}[ |]", table), status
    for status in (Status.OPINION, Status.PENDING):
        assert f"| `{status.value}` | not exported |" in table
    assert (WORST_RATING, BEST_RATING) == (1, 5)


def test_review_fields_come_from_the_claim_and_the_review_block(
    reviews: list[dict[str, Any]],
) -> None:
    first = by_id(reviews, "C001")
    # The page's own fragment is replaced by the claim id.
    assert first["url"] == "https://factcheck.example.org/2026/hello-to-arms#C001"
    assert first["claimReviewed"] == "Myanmar paid Russia $1.7 billion for arms, 2001-2021."
    assert first["author"] == {
        "@type": "Organization",
        "name": "Example Fact Check",
        "url": "https://factcheck.example.org/",
    }
    assert first["datePublished"] == "2026-11-01"  # checked_on
    assert first["reviewRating"]["ratingExplanation"] == (
        "SIPRI's arms transfers database lists deliveries worth about that much."
    )
    # Without an assertion the claim's words are what was reviewed; without checked_on, today.
    second = by_id(reviews, "C002")
    assert second["claimReviewed"] == "the retired U Nu"
    assert second["datePublished"] == "2026-11-18"


def test_item_reviewed_is_the_claim_as_it_appeared_in_the_article(
    reviews: list[dict[str, Any]],
) -> None:
    item = by_id(reviews, "C001")["itemReviewed"]
    article = {
        "@type": "Article",
        "url": "https://news.example.com/hello-to-arms",
        "headline": "Hello to Arms: how the Myanmar junta aids Russia",
        "publisher": {"@type": "Organization", "name": "The Paper"},
        "author": [
            {"@type": "Person", "name": "Ann Writer"},
            {"@type": "Person", "name": "Bo Reporter"},
        ],
        "datePublished": "2024-03-01",
    }
    assert item == {
        "@type": "Claim",
        "text": "Myanmar officially paid Moscow $1.7 billion",
        "author": article["author"],
        "datePublished": "2024-03-01",
        "appearance": article,
        "firstAppearance": article,
    }


def test_citations_are_the_evidence_once_each(reviews: list[dict[str, Any]]) -> None:
    cited = by_id(reviews, "C001")["citation"]
    assert cited == [
        {
            "@type": "CreativeWork",
            "url": "https://www.sipri.org/databases/armstransfers",
            "name": "SIPRI Arms Transfers Database",
            "publisher": {"@type": "Organization", "name": "SIPRI"},
            "datePublished": "2024-03-11",
            "archivedAt": "https://web.archive.org/web/2024/https://www.sipri.org/databases/armstransfers",
        },
        {
            "@type": "CreativeWork",
            "url": "https://mirror.example.net/reprint",
            "name": "A wire story, “reprinted”",
            "publisher": {"@type": "Organization", "name": "Wire"},
            "isBasedOn": "https://wire.example.com/original",
        },
    ]
    assert "citation" not in by_id(reviews, "C004")


def test_claim_author_is_the_publisher_without_authors() -> None:
    text = CLAIMS.replace('  authors: ["Ann Writer", "Bo Reporter"]\n', "")
    item = claim_reviews(document(text), today=TODAY)[0]["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "The Paper"}


def test_options_override_the_review_block() -> None:
    result = claim_reviews(
        document(),
        today=TODAY,
        review_url="https://other.example.org/check?id=7",
        author="  Other Checkers ",
    )
    assert result[0]["url"] == "https://other.example.org/check?id=7#C001"
    assert result[0]["author"] == {"@type": "Organization", "name": "Other Checkers"}


@pytest.mark.parametrize(
    ("edit", "kwargs", "message"),
    [
        (
            ("  url: https://factcheck.example.org/2026/hello-to-arms#top\n", ""),
            {},
            "no review URL",
        ),
        (
            (
                '  publisher: {name: Example Fact Check, url: "https://factcheck.example.org/"}\n',
                "",
            ),
            {},
            "no author",
        ),
        ((), {"review_url": "factcheck.example.org/x"}, "is not absolute"),
        ((), {"review_url": "https://user:pw@factcheck.example.org/x"}, "credentials"),
        ((), {"author": " "}, "--author must not be empty"),
    ],
)
def test_an_unattributable_export_is_refused(
    edit: tuple[str, ...], kwargs: dict[str, str], message: str
) -> None:
    text = CLAIMS.replace(*edit) if edit else CLAIMS
    with pytest.raises(FactcheckError, match=message) as raised:
        claim_reviews(document(text), today=TODAY, **kwargs)
    assert raised.value.exit_code == 2


# ----------------------------------------------------------------------------- conformance


def ancestors(type_name: str) -> list[str]:
    chain = []
    current: str | None = type_name
    while current is not None:
        chain.append(current)
        current = TYPES[current]["subClassOf"]
    return chain


def properties_of(type_name: str) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for name in ancestors(type_name):
        merged.update(TYPES[name]["properties"])
    return merged


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def value_fits(value: Any, expected: list[str]) -> bool:
    if isinstance(value, dict):
        return any(e in ancestors(value["@type"]) for e in expected if e in TYPES)
    if isinstance(value, bool):
        return "Boolean" in expected
    if isinstance(value, int | float):
        return "Number" in expected or "Integer" in expected
    if isinstance(value, str):
        if "URL" in expected and urlsplit(value).scheme in {"http", "https"}:
            return True
        if {"Date", "DateTime"} & set(expected) and _DATE.fullmatch(value):
            return True
        return "Text" in expected
    return False


def schema_problems(node: dict[str, Any], where: str = "$") -> list[str]:
    """Every property schema.org does not define for the node's type, or of an unexpected type."""
    problems: list[str] = []
    type_name = node.get("@type")
    if type_name not in TYPES:
        return [f"{where}: unknown or missing @type {type_name!r}"]
    defined = properties_of(type_name)
    for key, value in node.items():
        if key in {"@context", "@type", "@id"}:
            continue
        if key not in defined:
            problems.append(f"{where}: {type_name} has no property {key!r}")
            continue
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            path = f"{where}.{key}[{i}]"
            if not value_fits(item, defined[key]):
                problems.append(f"{path}: {item!r} is not one of {defined[key]}")
            if isinstance(item, dict):
                problems.extend(schema_problems(item, path))
    return problems


def google_problems(review: dict[str, Any]) -> list[str]:
    """What Google's ClaimReview documentation requires, and recommends, that is missing."""
    problems = [
        f"ClaimReview lacks {key}"
        for key in (
            "claimReviewed",
            "reviewRating",
            "url",
            "author",
            "datePublished",
            "itemReviewed",
        )
        if not review.get(key)
    ]
    rating = review.get("reviewRating", {})
    if not rating.get("alternateName"):
        problems.append("Rating lacks alternateName")
    numeric = [k for k in ("ratingValue", "bestRating", "worstRating") if k in rating]
    if numeric and len(numeric) != 3:
        problems.append(f"Rating has only {numeric} of its numeric scale")
    if len(numeric) == 3 and not (
        rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    ):
        problems.append("ratingValue outside worstRating..bestRating")
    if not review.get("author", {}).get("name"):
        problems.append("author lacks name")
    claim = review.get("itemReviewed", {})
    if claim.get("@type") != "Claim":
        problems.append("itemReviewed is not a Claim")
    for key in ("appearance", "firstAppearance", "author"):
        if not claim.get(key):
            problems.append(f"Claim lacks {key}")
    if len(review.get("claimReviewed", "")) > 500:
        problems.append("claimReviewed is not a short summary")
    return problems


def test_every_object_uses_only_schema_org_properties(reviews: list[dict[str, Any]]) -> None:
    for review in reviews:
        assert schema_problems(review) == []


def test_every_object_has_what_google_requires(reviews: list[dict[str, Any]]) -> None:
    for review in reviews:
        assert google_problems(review) == []


def test_the_checks_catch_what_they_are_for(reviews: list[dict[str, Any]]) -> None:
    bad = json.loads(json.dumps(by_id(reviews, "C001")))
    bad["reviewRating"]["verdict"] = "True"
    bad["itemReviewed"]["appearance"]["publisher"] = {"@type": "Rating", "name": "x"}
    del bad["reviewRating"]["alternateName"]
    del bad["reviewRating"]["bestRating"]
    assert schema_problems(bad) == [
        "$.itemReviewed[0].appearance[0].publisher[0]: {'@type': 'Rating', 'name': 'x'} is not "
        "one of ['Organization', 'Person']",
        "$.reviewRating[0]: Rating has no property 'verdict'",
    ]
    assert google_problems(bad) == [
        "Rating lacks alternateName",
        "Rating has only ['ratingValue', 'worstRating'] of its numeric scale",
    ]


def test_the_bundled_schema_defines_what_the_export_uses() -> None:
    assert properties_of("ClaimReview")["claimReviewed"] == ["Text"]
    assert "ratingExplanation" in properties_of("Rating")
    assert properties_of("Claim")["appearance"] == ["CreativeWork"]
    assert ancestors("ClaimReview") == ["ClaimReview", "Review", "CreativeWork", "Thing"]


# ----------------------------------------------------------------------------- the command


@pytest.fixture
def checked(tmp_path: Path) -> Path:
    (tmp_path / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    return tmp_path


def test_export_writes_json_ld_to_stdout(cli, checked: Path) -> None:
    result = cli("export")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert len(data) == 4
    assert data == claim_reviews(document(), today=TODAY)
    assert result.err == (
        "factcheck: exported 4 ClaimReviews from 1 file; 2 opinion or pending claims left out\n"
    )


def test_source_date_epoch_pins_the_export_date(cli, checked: Path) -> None:
    data = json.loads(cli("export").out)
    assert by_id(data, "C002")["datePublished"] == "2026-11-18"


def test_output_file_is_written_and_inputs_are_protected(cli, checked: Path) -> None:
    written = cli("export", "-o", "out/claimreview.json")
    assert written.code == 0, written.err
    assert written.out == ""
    assert len(json.loads((checked / "out" / "claimreview.json").read_text("utf-8"))) == 4
    assert sorted(p.name for p in (checked / "out").iterdir()) == ["claimreview.json"]
    before = (checked / "claims.yaml").read_text("utf-8")
    refused = cli("export", "-o", "claims.yaml")
    assert refused.code == 2
    assert "refusing to write the output over an input" in refused.err
    assert (checked / "claims.yaml").read_text("utf-8") == before


def test_options_on_the_command_line(cli, checked: Path) -> None:
    text = CLAIMS.replace("review:\n", "x-review:\n")
    (checked / "claims.yaml").write_text(text, encoding="utf-8")
    result = cli(
        "export", "--review-url", "https://checks.example.org/a", "--author", "Checkers Inc"
    )
    assert result.code == 0, result.err
    first = json.loads(result.out)[0]
    assert first["url"] == "https://checks.example.org/a#C001"
    assert first["author"] == {"@type": "Organization", "name": "Checkers Inc"}


def test_an_invalid_file_is_refused_with_its_findings_exit_1(cli, checked: Path) -> None:
    # A contradicted claim without contradicting evidence fails validation (FC202).
    text = CLAIMS.replace("stance: contradicts, title: K", "stance: supports, title: K")
    (checked / "claims.yaml").write_text(text, encoding="utf-8")
    result = cli("export", "-o", "claimreview.json")
    assert result.code == 1
    assert result.out == ""
    assert re.search(r"claims\.yaml:\d+:\d+: error FC202 \[C003\]", result.err)
    assert "export refused: the claims file does not pass `factcheck validate`" in result.err
    assert not (checked / "claimreview.json").exists()


def test_pending_claims_and_draft_mode_verdicts_do_not_block_the_export(cli, checked: Path) -> None:
    # A draft with a pending and a contradicted claim fails verify (FC601, FC602), not validate:
    # the export is of what was checked, and leaves the pending claim out.
    (checked / "claims.yaml").write_text(CLAIMS.replace("mode: review", "mode: draft"))
    result = cli("export")
    assert result.code == 0, result.err
    assert len(json.loads(result.out)) == 4


def test_the_configuration_applies_as_for_validate(cli, checked: Path) -> None:
    text = CLAIMS.replace("stance: contradicts, title: K", "stance: supports, title: K")
    (checked / "claims.yaml").write_text(text, encoding="utf-8")
    assert cli("export").code == 1
    (checked / "factcheck.toml").write_text('[severity]\nFC202 = "warning"\n', encoding="utf-8")
    assert cli("export").code == 0
    strict_config = 'fail_on = "warning"\n[severity]\nFC202 = "warning"\n'
    (checked / "strict.toml").write_text(strict_config, encoding="utf-8")
    strict = cli("export", "--config", "strict.toml")
    assert strict.code == 1
    assert "warning FC202 [C003]" in strict.err


@pytest.mark.parametrize(
    ("args", "text", "message"),
    [
        ((), "version: 2\n", "cannot export: a claims file cannot be used"),
        ((), "[1, 2\n", "cannot export"),
        ((), CLAIMS.replace("review:\n", "x-review:\n"), "no review URL"),
        (("--review-url", "ftp://x.example.org/"), CLAIMS, "uses 'ftp'"),
        (("nowhere.yaml",), CLAIMS, "nowhere.yaml: no such file"),
        (("--format", "csv"), CLAIMS, "'csv' is not one of 'claimreview'"),
    ],
)
def test_export_errors_exit_2_without_a_traceback(
    cli, checked: Path, args: tuple[str, ...], text: str, message: str
) -> None:
    (checked / "claims.yaml").write_text(text, encoding="utf-8")
    result = cli("export", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_review_url_needs_one_claims_file(cli, checked: Path) -> None:
    (checked / "more.claims.yaml").write_text(CLAIMS, encoding="utf-8")
    result = cli("export", ".", "--review-url", "https://checks.example.org/a")
    assert result.code == 2
    assert "--review-url needs exactly one claims file" in result.err
    both = cli("export", ".")
    assert both.code == 0, both.err
    assert len(json.loads(both.out)) == 8


def test_export_help_has_an_example(cli) -> None:
    result = cli("export", "--help")
    assert result.code == 0
    assert "Examples:" in result.out
    assert "factcheck export" in result.out


def test_the_bundled_fact_check_exports_conforming_objects(cli) -> None:
    result = cli(
        "export",
        str(REPO / "claims.yaml"),
        "--review-url",
        "https://factcheck.example.org/hello-to-arms",
        "--author",
        "Example Fact Check",
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data
    for review in data:
        assert schema_problems(review) == []
        assert google_problems(review) == []
    assert {r["reviewRating"]["alternateName"] for r in data} <= {v.words for v in RATINGS.values()}
