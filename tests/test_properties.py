"""Property tests: whatever the input, loading and the offline rules give findings (or a
FactcheckError), never a crash, and each run takes well under a second."""

from __future__ import annotations

import datetime
import string
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.article import ArticleSource, ArticleText, from_markdown
from factcheck.errors import FactcheckError
from factcheck.findings import CODES, Finding
from factcheck.load.loader import _keys_for, load_string
from factcheck.rules import check_file
from factcheck.text import normalise
from tests.common import HEAD, TODAY

FAST = settings(
    deadline=1000,  # milliseconds: every example must run in under a second
    max_examples=120,
    suppress_health_check=[HealthCheck.too_slow],
)

KNOWN_KEYS = sorted(
    {
        key
        for path in [
            (),
            ("article",),
            ("claims",),
            ("evidence",),
            ("ignore",),
            ("review",),
            ("publisher",),
        ]
        for key in _keys_for(path)
    }
)
STATUSES = ["supported", "partially_supported", "contradicted", "unverified", "opinion", "pending"]


def check(text: str, article: ArticleText | None) -> list[Finding]:
    """Load and run the rules; only findings (or a FactcheckError) may come out."""
    try:
        loaded = load_string(text)
        found = check_file(loaded, article, TODAY)
    except FactcheckError:
        return []
    for item in found:
        assert item.code in CODES
        assert item.file == "claims.yaml"
        assert item.line is None or item.line >= 1
        assert item.column is None or item.column >= 1
        assert item.message
    return found


def markdown(text: str) -> ArticleText:
    return from_markdown(text, ArticleSource.OPTION, "article.md")


# --------------------------------------------------------------------------- arbitrary text


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    check(text, None)


@FAST
@given(st.text(alphabet=" \t\n-:[]{},&*!|>'\"#?%@`~0aZ\x00\u2028\ufeff", max_size=200))
def test_yaml_punctuation_never_crashes(text: str) -> None:
    check(text, None)


@FAST
@given(st.text(max_size=300), st.text(max_size=300))
def test_arbitrary_claims_after_a_valid_head_never_crash(claims: str, article: str) -> None:
    check(HEAD + claims, markdown(article))


# --------------------------------------------------------------------------- arbitrary structures

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.dates(),
    st.text(max_size=30),
    st.sampled_from([*STATUSES, "supports", "contradicts", "context", "draft", "review"]),
    st.sampled_from(["https://a.example.org/x", "ftp://x", "http://[::1", "https://u:p@h/"]),
)
keys = st.one_of(
    st.sampled_from(KNOWN_KEYS), st.text(max_size=12), st.just("x-extra"), st.integers(), st.none()
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=25,
)


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@FAST
@given(structures)
def test_arbitrary_yaml_structures_never_crash(data: Any) -> None:
    check(dump(data), None)


@FAST
@given(st.dictionaries(keys, structures, max_size=6))
def test_arbitrary_heads_never_crash(head: dict[Any, Any]) -> None:
    check(dump({"version": 1, **head}), markdown("Some words.\n\n## A heading\n"))


urls = st.one_of(
    st.sampled_from(
        [
            "https://a.example.org/x",
            "https://a.example.org/x#frag",
            "https://news.example.com/article",
            "https://web.archive.org/web/2024/https://a.example.org/x",
            "https://web.archive.org/web/2024id_/a.example.org/x",
            "http://[::1",
            "https://:80",
            "https://u:p@a.example.org/",
            "mailto:x@y",
            "",
        ]
    ),
    st.text(max_size=40),
)
evidence = st.fixed_dictionaries(
    {"url": urls},
    optional={
        "title": st.text(max_size=10),
        "publisher": st.text(max_size=10),
        "stance": st.one_of(st.sampled_from(["supports", "contradicts", "context"]), scalars),
        "published": st.one_of(st.dates().map(str), scalars),
        "accessed": st.one_of(st.dates().map(str), scalars),
        "archive_url": urls,
        "original_url": urls,
        "quote": st.text(max_size=20),
        "ignore": st.lists(
            st.fixed_dictionaries(
                {"code": st.sampled_from(["FC208", "FC2", "X"]), "reason": st.text(max_size=5)},
                optional={"until": st.one_of(st.dates().map(str), scalars)},
            ),
            max_size=2,
        ),
    },
)
claims = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.one_of(st.sampled_from(["C001", "C002", "C1"]), st.text(max_size=6)),
            "quote": st.one_of(st.text(max_size=40), st.sampled_from(["Prices rose", "rose by"])),
            "status": st.one_of(st.sampled_from(STATUSES), scalars),
        },
        optional={
            "rationale": st.text(max_size=10),
            "section": st.one_of(st.sampled_from(["Jobs", "Prices", ""]), st.text(max_size=8)),
            "evidence": st.lists(evidence, max_size=3),
            "checked_on": st.one_of(st.dates().map(str), scalars),
            "tags": st.lists(st.text(max_size=5), max_size=3),
            "x-note": structures,
        },
    ),
    max_size=5,
)
ARTICLE = markdown("# T\n\nPrices *rose* by 3%.\n\n## Jobs\n\nPrices rose by 3%.\n\n## Prices\n")


@FAST
@given(claims)
def test_claims_close_to_valid_never_crash(items: list[dict[str, Any]]) -> None:
    text = HEAD.replace("claims:\n", "") + dump({"claims": items})
    check(text, ARTICLE)


@FAST
@given(st.text(max_size=200), st.text(max_size=40))
def test_arbitrary_articles_and_quotes_never_crash(article: str, quote: str) -> None:
    claim = {"id": "C001", "quote": quote or "q", "section": quote, "status": "opinion"}
    text = HEAD + dump([{**claim, "rationale": "r"}])
    check(text, markdown(article))


# --------------------------------------------------------------------------- invariants


@FAST
@given(st.text(alphabet="ab -.\n", max_size=120), st.text(alphabet="ab -.", min_size=1, max_size=8))
def test_word_index_finds_exactly_what_a_scan_finds(text: str, quote: str) -> None:
    article = markdown(text)
    needle = normalise(quote)
    expected = []
    start = article.text.find(needle) if needle else -1
    while start != -1:
        expected.append(start)
        start = article.text.find(needle, start + len(needle))
    assert article.occurrences(needle) == expected


@FAST
@given(st.text(alphabet="ab -.\n", max_size=120), st.text(alphabet="ab -.", min_size=1, max_size=8))
def test_word_index_once_built_finds_exactly_what_a_scan_finds(text: str, quote: str) -> None:
    article = markdown(text)
    needle = normalise(quote)
    assert isinstance(article.words, dict)  # built: a short article's search goes through it
    expected = []
    start = article.text.find(needle) if needle else -1
    while start != -1:
        expected.append(start)
        start = article.text.find(needle, start + len(needle))
    assert article.occurrences(needle) == expected


@FAST
@given(st.text(max_size=100))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@FAST
@given(st.dates(min_value=datetime.date(1000, 1, 1)))
def test_every_real_date_loads(day: datetime.date) -> None:
    claim = "  - id: C001\n    quote: q\n    status: opinion\n    rationale: r\n"
    text = HEAD + claim + f"    checked_on: {day.isoformat()}\n"
    loaded = load_string(text)
    assert loaded.findings == []
    assert loaded.document is not None
    assert loaded.document.claims[0].checked_on == day


@FAST
@given(st.text(alphabet=string.ascii_letters + string.digits + "_-. ", min_size=1, max_size=10))
def test_ids_are_accepted_exactly_when_they_match_the_pattern(claim_id: str) -> None:
    import re

    text = HEAD + dump([{"id": claim_id, "quote": "q", "status": "opinion", "rationale": "r"}])
    ok = re.fullmatch(r"[A-Z][A-Z0-9_-]{0,63}", claim_id) is not None
    assert (load_string(text).findings == []) == ok
