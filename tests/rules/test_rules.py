"""Rules of families 1xx-2xx, yamllint style: a YAML snippet in, ``(code, line, column)`` out.

Every snippet is a whole claims file; the claims start on line 7 (``HEAD``).
"""

from __future__ import annotations

import pytest

from tests.common import HEAD, codes, run_rules


def claims(text: str) -> str:
    """``HEAD`` followed by the claims of ``text`` (written at column 1, indented here)."""
    return HEAD + "".join(f"  {line}\n" if line else "\n" for line in text.splitlines())


def messages(text: str) -> list[str]:
    return [f"{f.code} {f.message}" for f in run_rules(text)]


# --------------------------------------------------------------------------- FC102 unknown keys


def test_unknown_key_in_a_claim_suggests_the_nearest() -> None:
    text = claims(
        """\
- id: C001
  quote: q
  status: opinion
  rationale: r
  rationnale: typo
"""
    )
    assert codes(text) == [("FC102", 11, 5)]
    assert messages(text) == ["FC102 unknown key 'rationnale'; did you mean 'rationale'?"]


@pytest.mark.parametrize(
    ("snippet", "where", "suggestion"),
    [
        ("version: 1\nverison: 1\n", (2, 1), "did you mean 'version'?"),
        ("version: 1\narticle:\n  titel: T\n", (3, 3), "did you mean 'title'?"),
        (
            claims(
                "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n"
                "  evidence:\n    - url: https://a.example.org/\n      titel: T\n"
                "      publisher: P\n"
            ),
            (13, 9),
            "did you mean 'title'?",
        ),
        (
            claims(
                "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n"
                "  evidence:\n    - url: https://a.example.org/\n      title: T\n"
                "      publisher: P\n      ignore: [{code: FC208, reasn: r}]\n"
            ),
            (15, 32),
            "did you mean 'reason'?",
        ),
        ("version: 1\nzzz: 1\n", (2, 1), "known keys: version, mode, article, review, claims"),
    ],
    ids=["top", "article", "evidence", "ignore", "no-near-key"],
)
def test_unknown_keys_at_every_level(snippet: str, where: tuple[int, int], suggestion: str) -> None:
    found = [f for f in run_rules(snippet) if f.code == "FC102"]
    assert [(f.line, f.column) for f in found] == [where]
    assert suggestion in found[0].message


def test_x_keys_are_accepted_anywhere() -> None:
    text = """\
version: 1
x-top: {anything: [1, 2, {deep: true}]}
article:
  title: T
  url: https://news.example.com/a
  publisher: P
  x-note: fine
claims:
  - id: C001
    x-reviewer: me
    quote: q
    status: supported
    rationale: r
    evidence:
      - url: https://a.example.org/
        title: T
        publisher: P
        x-seen: yesterday
        ignore: [{code: FC208, reason: r, x-by: me}]
"""
    assert codes(text) == []


# --------------------------------------------------------------------------- FC103 duplicates


def test_duplicate_key_points_at_the_second_and_the_first_is_used() -> None:
    text = claims("- id: C001\n  quote: first\n  quote: second\n  status: opinion\n  rationale: r")
    assert codes(text) == [("FC103", 9, 5)]
    assert messages(text) == ["FC103 duplicate key 'quote' (first at line 8); the first is used"]
    (finding,) = run_rules(text)
    assert finding.claim == "C001"


def test_duplicate_top_level_key() -> None:
    assert codes(HEAD + "  []\nclaims: []\n") == [("FC103", 8, 1)]


# --------------------------------------------------------------------------- FC104 types


@pytest.mark.parametrize(
    ("claim", "expected", "words"),
    [
        ("- id: C001\n  quote: {a: 1}\n  status: opinion\n  rationale: r", (8, 12), "text"),
        ("- id: C001\n  quote: q\n  status: [opinion]\n  rationale: r", (9, 13), "bad status"),
        (
            "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n  evidence: yes",
            (11, 15),
            "evidence must be a list",
        ),
        (
            "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n  tags: dates",
            (11, 11),
            "tags must be a list",
        ),
        (
            "- id: C001\n  quote: '   '\n  status: opinion\n  rationale: r",
            (8, 12),
            "must not be empty",
        ),
        ("- just a string", (7, 5), "each claim must be a mapping"),
    ],
    ids=["quote-mapping", "status-list", "evidence-scalar", "tags-scalar", "blank", "claim"],
)
def test_wrong_types(claim: str, expected: tuple[int, int], words: str) -> None:
    found = run_rules(claims(claim))
    assert [(f.code, f.line, f.column) for f in found] == [("FC104", *expected)]
    assert words in found[0].message


def test_missing_required_keys_point_at_the_mapping() -> None:
    assert codes(claims("- id: C001\n  rationale: r")) == [("FC104", 7, 5), ("FC104", 7, 5)]
    assert messages(claims("- id: C001\n  rationale: r")) == [
        "FC104 missing required key 'quote'",
        "FC104 missing required key 'status'",
    ]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2024-02-30", "is not a valid date (day is out of range for month)"),
        ("2023-02-29", "is not a valid date"),
        ("2024-13-01", "month must be in 1..12"),
        ("2024-2-3", "expected a date as YYYY-MM-DD, got '2024-2-3'"),
        ("31/01/2024", "expected a date as YYYY-MM-DD"),
        ("'2024-01-31T10:00'", "expected a date as YYYY-MM-DD"),
        ("[2024]", "expected a date as YYYY-MM-DD"),
    ],
)
def test_bad_dates_are_located(value: str, words: str) -> None:
    text = claims(
        f"- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n  checked_on: {value}"
    )
    found = run_rules(text)
    assert [(f.code, f.line, f.column) for f in found] == [("FC104", 11, 17)]
    assert words in found[0].message


def test_leap_day_is_a_date() -> None:
    text = claims(
        "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n  checked_on: 2024-02-29"
    )
    assert codes(text) == []


@pytest.mark.parametrize("claim_id", ["c001", "1A", "C 3", "C.1", "Ç1", "C" * 65, "''"])
def test_bad_ids(claim_id: str) -> None:
    found = run_rules(claims(f"- id: {claim_id}\n  quote: q\n  status: opinion\n  rationale: r"))
    assert [(f.code, f.line, f.column) for f in found] == [("FC104", 7, 9)]


@pytest.mark.parametrize("claim_id", ["C001", "A", "CLAIM_2-b".upper(), "X9"])
def test_good_ids(claim_id: str) -> None:
    assert codes(claims(f"- id: {claim_id}\n  quote: q\n  status: opinion\n  rationale: r")) == []


@pytest.mark.parametrize("status", ["true", "Supported", "'supported '", "maybe", "'1'"])
def test_bad_status(status: str) -> None:
    text = claims(f"- id: C001\n  quote: q\n  status: {status}\n  rationale: r")
    found = run_rules(text)
    assert [(f.code, f.line, f.column) for f in found] == [("FC104", 9, 13)]
    assert "expected 'supported', 'partially_supported'" in found[0].message


def test_bad_stance_mode_and_access() -> None:
    text = """\
version: 1
mode: publish
article:
  title: T
  url: https://news.example.com/a
  publisher: P
claims:
  - id: C001
    quote: q
    status: supported
    rationale: r
    evidence:
      - url: https://a.example.org/
        title: T
        publisher: P
        stance: agrees
        access: free
"""
    assert codes(text) == [("FC104", 2, 7), ("FC104", 16, 17), ("FC104", 17, 17)]


# --------------------------------------------------------------------------- FC105


def test_duplicate_ids_point_at_the_second() -> None:
    text = claims(
        "- id: C001\n  quote: a\n  status: opinion\n  rationale: r\n"
        "- id: C002\n  quote: b\n  status: opinion\n  rationale: r\n"
        "- id: C001\n  quote: c\n  status: opinion\n  rationale: r"
    )
    assert codes(text) == [("FC105", 15, 9)]
    assert messages(text) == ["FC105 claim id C001 is used twice (first at line 7)"]


def test_duplicate_id_of_an_invalid_claim_is_still_found() -> None:
    text = claims(
        "- id: C001\n  quote: a\n  status: maybe\n  rationale: r\n"
        "- id: C001\n  quote: b\n  status: opinion\n  rationale: r"
    )
    assert codes(text) == [("FC104", 9, 13), ("FC105", 11, 9)]


# --------------------------------------------------------------------------- FC201 URLs


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://files.example.org/a", "uses 'ftp'; only http and https"),
        ("/relative/path", "is not absolute"),
        ("www.example.org/page", "is not absolute"),
        ("https://user:secret@example.org/a", "has credentials in it"),
        ("https://user@example.org/a", "has credentials in it"),
        ("'https://exa mple.org/'", "contains spaces or control characters"),
        ("'http://[::1'", "cannot be parsed"),
        ("https:///path-only", "has no host name"),
        ("'https://example.org:99999/'", "cannot be parsed"),
        ("javascript:alert(1)", "uses 'javascript'"),
    ],
)
def test_bad_evidence_urls(url: str, words: str) -> None:
    text = claims(
        "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n  evidence:\n"
        f"    - url: {url}\n      title: T\n      publisher: P"
    )
    found = [f for f in run_rules(text) if f.code == "FC201"]
    assert [(f.line, f.column) for f in found] == [(12, 14)]
    assert words in found[0].message
    assert found[0].claim == "C001"


def test_bad_archive_and_original_urls_and_article_url() -> None:
    text = """\
version: 1
article:
  title: T
  url: news.example.com/a
  publisher: P
claims:
  - id: C001
    quote: q
    status: supported
    rationale: r
    evidence:
      - url: https://a.example.org/x
        original_url: ftp://b.example.org/x
        archive_url: https://u:p@web.archive.org/web/2024/https://a.example.org/x
        title: T
        publisher: P
"""
    assert codes(text) == [("FC201", 4, 8), ("FC201", 13, 23), ("FC201", 14, 22)]


# --------------------------------------------------------------------------- FC202 stance


def test_missing_stance_on_contradicting_evidence_and_other_claims_still_checked() -> None:
    text = claims(
        """\
- id: C001
  quote: q
  status: contradicted
  rationale: r
  evidence:
    - url: https://a.example.org/x
      title: T
      publisher: P
- id: C002
  quote: q2
  status: partially_supported
  rationale: r
  evidence:
    - url: https://b.example.org/x
      title: T
      publisher: P
      stance: supports
    - url: https://c.example.org/x
      title: T
      publisher: P
- id: C003
  quote: q3
  status: supported
  rationale: r
  evidence:
    - url: ftp://d.example.org/
      title: T
      publisher: P
"""
    )
    assert codes(text) == [
        ("FC202", 9, 13),  # contradicted, no contradicting evidence
        ("FC202", 12, 9),  # ... and its evidence says no stance
        ("FC202", 24, 9),  # partially_supported: every item must say its stance
        ("FC201", 32, 14),  # C003 is still checked
    ]
    found = run_rules(text)
    assert [f.claim for f in found] == ["C001", "C001", "C002", "C003"]
    assert "must say its stance" in found[1].message


def test_stance_rules_by_status() -> None:
    def one(status: str, stance: str | None) -> list[str]:
        extra = f"\n      stance: {stance}" if stance else ""
        text = claims(
            f"- id: C001\n  quote: q\n  status: {status}\n  rationale: r\n  evidence:\n"
            f"    - url: https://a.example.org/\n      title: T\n      publisher: P{extra}"
        )
        return [code for code, _, _ in codes(text)]

    assert one("supported", None) == []  # default stance: supports
    assert one("supported", "contradicts") == ["FC202"]
    assert one("contradicted", "contradicts") == []
    assert one("partially_supported", "supports") == []
    assert one("partially_supported", "context") == ["FC202"]
    assert one("unverified", None) == []
    assert one("opinion", "context") == []


def test_supported_without_evidence() -> None:
    text = claims("- id: C001\n  quote: q\n  status: supported\n  rationale: r")
    assert codes(text) == [("FC202", 9, 13)]
    assert messages(text) == ["FC202 a supported claim needs evidence; none is given"]


# --------------------------------------------------------------------------- FC203-FC208


def test_rationale_required_unless_pending() -> None:
    text = claims(
        "- id: C001\n  quote: q\n  status: opinion\n"
        "- id: C002\n  quote: q\n  status: opinion\n  rationale: '  '\n"
        "- id: C003\n  quote: q\n  status: pending"
    )
    assert codes(text) == [("FC203", 9, 13), ("FC203", 13, 16)]


def test_same_url_twice_in_one_claim() -> None:
    text = claims(
        "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n  evidence:\n"
        "    - {url: 'https://A.example.org:443/x#one', title: T, publisher: P}\n"
        "    - {url: 'https://a.example.org/x#two', title: T, publisher: P}"
    )
    assert codes(text) == [("FC204", 13, 15)]


def test_evidence_that_is_the_article_itself() -> None:
    text = claims(
        "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n  evidence:\n"
        "    - {url: 'HTTPS://news.example.com/article', title: T, publisher: P}"
    )
    assert codes(text) == [("FC205", 12, 15)]


def test_accessed_in_the_future_or_before_publication() -> None:
    text = claims(
        "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n  evidence:\n"
        "    - {url: 'https://a.example.org/1', title: T, publisher: P, accessed: 2026-11-28}\n"
        "    - {url: 'https://a.example.org/2', title: T, publisher: P, accessed: 2026-11-29}\n"
        "    - {url: 'https://a.example.org/3', title: T, publisher: P,"
        " published: 2024-01-02, accessed: 2024-01-01}"
    )
    # today is 2026-11-27: tomorrow is tolerated (time zones), the day after is not.
    assert codes(text) == [("FC206", 13, 76), ("FC206", 14, 99)]


def test_archive_url_of_another_page() -> None:
    text = claims(
        "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n  evidence:\n"
        "    - url: https://a.example.org/x\n      title: T\n      publisher: P\n"
        "      archive_url: https://web.archive.org/web/2024/https://b.example.org/y\n"
        "    - url: https://a.example.org/z\n      title: T\n      publisher: P\n"
        "      archive_url: https://web.archive.org/web/20240101000000/http://www.a.example.org/z/\n"
        "    - url: https://a.example.org/w\n      title: T\n      publisher: P\n"
        "      archive_url: https://my-mirror.example.net/w"
    )
    assert codes(text) == [("FC207", 15, 22), ("FC207", 23, 22)]


def test_evidence_without_title_or_publisher() -> None:
    text = claims(
        "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n  evidence:\n"
        "    - url: https://a.example.org/x"
    )
    assert codes(text) == [("FC208", 12, 9)]
    assert messages(text) == [
        "FC208 evidence without title or publisher: readers need to know what it is"
    ]


def test_findings_are_sorted_and_each_fact_reported_once() -> None:
    text = claims(
        "- id: c1\n  quote: q\n  status: opinion\n  rationale: r\n"
        "- id: C2\n  quote: q\n  status: supported\n  rationale: r\n  evidence:\n"
        "    - url: ftp://x.example.org/\n"
    )
    found = codes(text)
    assert found == sorted(found, key=lambda f: (f[1], f[2], f[0]))
    assert len(found) == len(set(found))


def test_bad_ignore_entries() -> None:
    text = claims(
        "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n  evidence:\n"
        "    - url: https://a.example.org/\n      title: T\n      publisher: P\n"
        "      ignore: [{code: FC2, reason: r}, {code: FC208}, {code: FC208, reason: r, until: x}]"
    )
    assert codes(text) == [("FC104", 15, 25), ("FC104", 15, 42), ("FC104", 15, 89)]
    assert messages(text) == [
        "FC104 bad finding code 'FC2': use one such as FC402",
        "FC104 missing required key 'reason'",
        "FC104 evidence 1: ignore 3: until: expected a date as YYYY-MM-DD, got 'x'",
    ]
