"""Claim coverage: the sentence splitter, check-worthiness, coverage, the command and verify."""

from __future__ import annotations

import json
import os
import re
import textwrap
import time
from pathlib import Path

import pytest

from factcheck.article import ArticleSource, ArticleText, from_html, from_markdown, read_local
from factcheck.coverage import (
    Claimed,
    Coverage,
    measure,
    split_sentences,
    why_check_worthy,
    with_source_lines,
)
from factcheck.load.loader import load_string
from factcheck.rules.coverage import coverage_gate
from factcheck.text import normalise

RESEARCH_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "research" / "article.md"


def sentences(text: str) -> list[str]:
    text = normalise(text)
    return [text[start:end] for start, end in split_sentences(text)]


def article(markdown: str) -> ArticleText:
    return from_markdown(textwrap.dedent(markdown), ArticleSource.OPTION, "article.md")


# ----------------------------------------------------------------------------- splitter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Burmese honorifics: "U" is not an initial, and "Nu." ends the sentence.
        (
            "It was backed by the patronage of the retired U Nu. However, the nuances mattered.",
            [
                "It was backed by the patronage of the retired U Nu.",
                "However, the nuances mattered.",
            ],
        ),
        (
            "The residence of Burmese Prime Minister U Nu, where U Ne Win stood, was opulent.",
            ["The residence of Burmese Prime Minister U Nu, where U Ne Win stood, was opulent."],
        ),
        # Titles never end a sentence.
        (
            "Dr. Smith met Gen. Min Aung Hlaing in Moscow. They talked.",
            ["Dr. Smith met Gen. Min Aung Hlaing in Moscow.", "They talked."],
        ),
        # Initialisms: part of the sentence before a name, its end before a sentence starter.
        (
            "The U.S. Treasury imposed sanctions. Russia did not.",
            ["The U.S. Treasury imposed sanctions.", "Russia did not."],
        ),
        (
            "Sanctions were imposed by the U.S. The junta ignored them.",
            ["Sanctions were imposed by the U.S.", "The junta ignored them."],
        ),
        (
            "John F. Kennedy never visited Burma. He met U Nu in 1955.",
            ["John F. Kennedy never visited Burma.", "He met U Nu in 1955."],
        ),
        (
            "Several states, e.g. Iran and North Korea, helped. Others did not.",
            ["Several states, e.g. Iran and North Korea, helped.", "Others did not."],
        ),
        (
            "Resolution No. 5 was adopted on Jan. 12 2022. It failed.",
            ["Resolution No. 5 was adopted on Jan. 12 2022.", "It failed."],
        ),
        # Decimals and thousands.
        (
            "Myanmar paid $1.7 billion. That is 3.5 times the 1,000 units of 2001.",
            ["Myanmar paid $1.7 billion.", "That is 3.5 times the 1,000 units of 2001."],
        ),
        # Quotes and brackets after the full stop.
        (
            'He said, "It is over." Then he left.',
            ['He said, "It is over."', "Then he left."],
        ),
        ('"Is it over?" he asked.', ['"Is it over?" he asked.']),
        (
            "Karmen unveiled “On the Hospitable Land of Burma,” which chronicled the visit.",
            ['Karmen unveiled "On the Hospitable Land of Burma," which chronicled the visit.'],
        ),
        (
            "(Burma was part of the British Empire.) Separatists found support.",
            ["(Burma was part of the British Empire.)", "Separatists found support."],
        ),
        (
            "He said: “We won.” “They lost,” she said.",
            ['He said: "We won."', '"They lost," she said.'],
        ),
        # Ellipses: inside a sentence before a lower-case word, its end before a capital.
        (
            "He paused… and went on. Then he stopped... Nobody spoke.",
            ["He paused... and went on.", "Then he stopped...", "Nobody spoke."],
        ),
        # A full stop before a lower-case word is a typo, not a sentence end.
        (
            "The leader, whose ties began before the coup that brought him to power. turned out "
            "to be a Russophile.",
            [
                "The leader, whose ties began before the coup that brought him to power. turned "
                "out to be a Russophile."
            ],
        ),
        ("Was it? Yes! It was.", ["Was it?", "Yes!", "It was."]),
        ("No full stop at the end", ["No full stop at the end"]),
        ("", []),
    ],
)
def test_splitter(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


# ----------------------------------------------------------------------------- check-worthiness


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("The coup came in 1962.", "number (1962)"),
        ("It happened in the spring, in March.", "month (March)"),
        ("They had paid €300 for it.", "currency or percent sign (€)"),
        ("The NLD won with over fifty % of the vote.", "currency or percent sign (%)"),
        ("The general met Sergei Shoigu there.", "capitalised words (Sergei, Shoigu)"),
    ],
)
def test_each_reason_is_named(sentence: str, reason: str) -> None:
    assert reason in why_check_worthy(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # One capitalised word after the first is not enough; the first word never counts.
        "The country also partnered with Ukrainian specialists.",
        "Myanmar is a diverse country, with the titular Burmese in some regions.",
        "Nevertheless, in the corridors of power, no other group is represented.",
        # "May" opening a sentence is as often the verb as the month.
        "May the best argument win.",
        "I think I was wrong.",
    ],
)
def test_ordinary_sentences_are_not_check_worthy(sentence: str) -> None:
    assert why_check_worthy(sentence) == ()


def test_may_later_in_the_sentence_is_a_month() -> None:
    assert why_check_worthy("The junta struck in May.") == ("month (May)",)


def test_reasons_list_a_few_examples_then_an_ellipsis() -> None:
    (reason,) = why_check_worthy("Then Iran, Korea, Venezuela, Nicaragua and Cuba spoke.")
    assert reason == "capitalised words (Iran, Korea, Venezuela, Nicaragua, …)"


# ----------------------------------------------------------------------------- coverage

DRAFT = """\
    # Arms for the junta

    Contents

    - Background
    - The deal

    ## Background

    Myanmar bought MiG-29 aircraft in 2001. The junta liked them.
    Relations with Moscow and Beijing grew warmer. The generals visited often.

    ## The deal

    Myanmar paid $1.7 billion for the contracts, Budanov said. Few people noticed.

    Min Aung Hlaing and Sergei Shoigu

    The generals went to Vladivostok in September. Nobody knows what they said there.
"""


def test_headings_title_and_contents_are_not_sentences() -> None:
    result = measure(article(DRAFT), [], title="Arms for the junta")
    texts = [s.text for s in result.sentences]
    assert "Background" not in texts
    assert "The deal" not in texts
    assert "Arms for the junta" not in texts
    assert texts[0] == "Contents"


def test_uncovered_sentences_have_their_article_line_and_reasons() -> None:
    quotes = [
        Claimed("Myanmar paid $1.7 billion for the contracts", "Budanov: Myanmar paid $1.7bn."),
        "with Moscow and Beijing grew warmer",
    ]
    result = measure(article(DRAFT), quotes)
    uncovered = [(s.line, s.text, s.reasons) for s in result.uncovered]
    assert uncovered == [
        (
            10,
            "Myanmar bought MiG-29 aircraft in 2001.",
            ("number (29, 2001)",),
        ),
        (
            17,
            "Min Aung Hlaing and Sergei Shoigu",
            ("capitalised words (Aung, Hlaing, Sergei, Shoigu)",),
        ),
        (
            19,
            "The generals went to Vladivostok in September.",
            ("month (September)", "capitalised words (Vladivostok, September)"),
        ),
    ]
    assert (result.counts.covered, result.counts.check_worthy) == (2, 5)
    assert result.counts.shown_percent == "40%"


LONG = (
    "Over the twenty years from 2001 to 2021, the junta officially paid Moscow $1.7 billion "
    "for the fulfilment of its many military contracts, SIPRI says.\n"
)


def test_a_sentence_is_covered_when_every_fact_is_in_a_quote_or_named_in_its_assertion() -> None:
    text = article(LONG)
    (sentence,) = measure(text, []).sentences
    assert sentence.facts == ("2001", "2021", "Moscow", "1.7", "SIPRI")
    trimmed = "from 2001 to 2021, the junta officially paid Moscow $1.7 billion"
    assert measure(text, [trimmed]).sentences[0].uncovered_facts == ("SIPRI",)
    assert measure(text, [Claimed(trimmed, "SIPRI gives US$1.7 billion.")]).counts.covered == 1
    # a trimmed quote keeps the sentence covered when its assertion names the rest
    short = Claimed("paid Moscow $1.7 billion", "SIPRI: 1.7 billion paid in 2001-2021")
    assert measure(text, [short]).counts.covered == 1


def test_a_long_sentence_is_not_covered_by_a_claim_on_one_of_its_facts() -> None:
    text = article(LONG)
    (sentence,) = measure(text, [Claimed("paid Moscow $1.7 billion", "It paid $1.7bn.")]).sentences
    assert not sentence.covered
    assert sentence.uncovered_facts == ("2001", "2021", "SIPRI")


def test_an_assertion_covers_only_the_sentence_its_claim_quotes() -> None:
    text = article("Moscow paid in 2001. Beijing paid in 2002.\n")
    result = measure(text, [Claimed("Moscow paid in 2001.", "Beijing paid in 2002.")])
    assert [s.covered for s in result.sentences] == [True, False]


def test_names_are_runs_of_capitalised_words_after_the_first_word() -> None:
    text = article("Neighboring China and Min Aung Hlaing's Russia met in May, I think.\n")
    (sentence,) = measure(text, []).sentences
    assert sentence.facts == ("China", "Min Aung Hlaing", "Russia", "May")
    named = Claimed("met in May", "Hlaing, Min Aung met China and Russia.")
    assert measure(text, [named]).counts.covered == 1
    assert (
        measure(text, [Claimed("met in May", "Hlaing met China and Russia.")]).counts.covered == 0
    )


def test_a_claim_of_any_status_covers_and_a_sentence_with_several_numbers_needs_them_all() -> None:
    text = article("Prices rose 4% in 2022 and 14% in 2023.\n")
    assert measure(text, ["rose 4% in 2022"]).sentences[0].uncovered_facts == ("14", "2023")
    assert measure(text, [Claimed("rose 4% in 2022", "and 14% in 2023")]).counts.covered == 1


def test_a_quote_across_two_sentences_covers_the_facts_inside_it() -> None:
    text = article("In 1962 the general staged a coup. In 1988 the junta crushed protests.\n")
    result = measure(text, ["staged a coup. In 1988 the junta crushed"])
    assert [s.uncovered_facts for s in result.sentences] == [("1962",), ()]
    assert result.counts.covered == 1


def test_quotes_match_like_anchoring_normalised_and_case_sensitive() -> None:
    text = article("Russia’s army paid “in cash” in 2022.\n")
    assert measure(text, ['Russia\'s army paid "in cash" in 2022.']).counts.covered == 1
    assert measure(text, ['russia\'s army paid "in cash" in 2022.']).counts.covered == 0


def test_every_occurrence_of_a_quote_covers() -> None:
    text = article("Myanmar paid $1.7 billion.\n\nPull quote:\n\nMyanmar paid $1.7 billion.\n")
    assert measure(text, ["Myanmar paid $1.7 billion."]).counts.covered == 2


WRAPPED = """\
# Arms

The junta bought MiG-29 aircraft from Russia in 2001. It paid
**$1.7 billion** over twenty years, according to SIPRI. The deal was
signed in Moscow by [Min Aung Hlaing](https://example.org/mah) and
Sergei Shoigu. The junta said so. Later the junta said so again in 2019.

- A list item about 2020.
  Wrapped. And Moscow and Beijing agreed in 2021.
"""


def test_sentences_in_a_wrapped_paragraph_get_the_line_they_start_on() -> None:
    result = with_source_lines(measure(article(WRAPPED), [], title="Arms"), WRAPPED)
    assert [(s.line, s.text.split()[0]) for s in result.sentences] == [
        (3, "The"),
        (3, "It"),
        (4, "The"),  # "The deal was" starts at the end of line 4, despite markup on line 5
        (6, "The"),
        (6, "Later"),  # after the previous sentence, though its words occur earlier too
        (8, "A"),
        (9, "Wrapped."),
        (9, "And"),
    ]


def test_unlocatable_sentences_keep_their_paragraph_line() -> None:
    measured = measure(article(WRAPPED), [], title="Arms")
    result = with_source_lines(measured, "completely different\nsource text\n")
    assert [s.line for s in result.sentences] == [s.line for s in measured.sentences]


def test_html_article_headings_do_not_merge_into_sentences() -> None:
    page = (
        b"<html><body><main><h1>Arms</h1><h2>The deal</h2><p>In 2022 Russia bought sights. "
        b"Few noticed.</p></main></body></html>"
    )
    text = from_html(page, "text/html", ArticleSource.URL, "https://example.org/a")
    result = measure(text, [], title="Arms")
    assert [s.text for s in result.sentences] == ["In 2022 Russia bought sights.", "Few noticed."]
    assert result.sentences[0].line is None


def test_no_check_worthy_sentence_is_full_coverage() -> None:
    result = measure(article("Nothing to see here. Really nothing.\n"), [])
    assert (result.counts.check_worthy, result.counts.percent, result.counts.shown_percent) == (
        0,
        100.0,
        "100%",
    )
    assert "no check-worthy sentences" in result.counts.describe()


def test_percent_is_rounded_down_so_it_never_reads_as_passing() -> None:
    sentences = measure(article("In 2001 one. In 2002 two. In 2003 three.\n"), ["In 2001 one."])
    assert sentences.counts.shown_percent == "33.3%"
    two_of_three = measure(article("In 2001 a. In 2002 b. In 2003 c.\n"), ["In 2001 a. In 2002 b."])
    assert two_of_three.counts.shown_percent == "66.6%"
    assert two_of_three.counts.below(66.7)
    assert not two_of_three.counts.below(66.6)


def test_combine_adds_up_files() -> None:
    one = measure(article("In 2001 a.\n"), ["In 2001 a."])
    two = measure(article("In 2002 b.\n"), [])
    assert (
        Coverage.combine([one, two]).counts.summary
        == "coverage 50% (1 of 2 check-worthy sentences)"
    )


def test_gate_is_fc604_at_the_claims_below_the_minimum() -> None:
    loaded = load_string(
        "version: 1\narticle: {title: T, url: 'https://e.org/a', publisher: P}\n"
        "claims:\n  - {id: C1, quote: In 2001 a., status: pending}\n"
    )
    assert loaded.document is not None
    result = measure(article("In 2001 a. In 2002 b.\n"), ["In 2001 a."])
    found = coverage_gate(loaded.document, result, 60)
    assert found is not None
    assert (found.code, found.severity.value, found.line) == ("FC604", "error", 4)
    assert "50% is below --min-coverage 60%" in found.message
    assert coverage_gate(loaded.document, result, 50) is None


# ----------------------------------------------------------------------------- research copy


@pytest.fixture
def research_article() -> ArticleText:
    if not RESEARCH_ARTICLE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the research copy of the article is missing: {RESEARCH_ARTICLE}")
        pytest.skip(f"the research copy of the article is not here: {RESEARCH_ARTICLE}")
    return read_local(RESEARCH_ARTICLE, ArticleSource.OPTION)


def test_research_article_splits_where_a_reader_would(research_article: ArticleText) -> None:
    texts = [s.text for s in measure(research_article, []).sentences]
    expected_whole = [
        # "U Nu." ends a sentence; "U Ne Win" inside one does not split it.
        "In 1958, U Ne Win assumed the helm of the Burmese government through ostensibly "
        "democratic means, backed by free elections and the patronage of the retired U Nu.",
        # A decimal inside a sum of money.
        "Over the twenty years from 2001 to 2021, Myanmar officially paid Moscow $1.7 billion "
        "for the fulfillment of military contracts.",
        # A quoted film title with its comma inside the quotes.
        'In 1955, Roman Karmen, a luminary of Soviet documentary filmmaking, unveiled "On the '
        'Hospitable Land of Burma," which chronicled the visit of Soviet General Secretary '
        "Nikita Khrushchev and Prime Minister Nikolai Bulganin to the country now known as "
        "Myanmar.",
        # Quotes closed after a word, the sentence going on.
        "In fact, just a few months after Budanov's statement, the first mortar shells from "
        'Myanmar were "exposed" in videos captured by Russian forces themselves located '
        "somewhere along the front line in Ukraine.",
        # A caption without a full stop is its own sentence, not glued to the next paragraph.
        "The 1988 protests in Myanmar",
    ]
    for sentence in expected_whole:
        assert sentence in texts
    assert any(t.startswith("The leader of the junta, whose relationship") for t in texts)
    assert not any(t.startswith("turned out to be") for t in texts)
    assert "However, the nuances of functioning" in " ".join(texts)
    assert all(t and t == t.strip() for t in texts)


def test_research_article_sentences_know_their_line(research_article: ArticleText) -> None:
    lines = RESEARCH_ARTICLE.read_text(encoding="utf-8").splitlines()
    for sentence in measure(research_article, []).sentences:
        assert sentence.line is not None
        words = sentence.text.split()[:3]
        source = normalise(lines[sentence.line - 1])
        assert " ".join(words) in source, (sentence.line, sentence.text)


# ----------------------------------------------------------------------------- the command

CLAIMS = """\
version: 1
article:
  title: Arms for the junta
  url: https://news.example.com/arms
  publisher: The Paper
  text: article.md
claims:
  - id: C001
    quote: "Myanmar paid $1.7 billion for the contracts"
    assertion: "Budanov said Myanmar paid $1.7 billion."
    status: pending
  - id: C002
    quote: "Relations with Moscow and Beijing grew warmer."
    status: pending
"""


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    (tmp_path / "article.md").write_text(textwrap.dedent(DRAFT), encoding="utf-8")
    (tmp_path / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    return tmp_path


def test_coverage_lists_uncovered_sentences_with_line_and_why(cli, draft: Path) -> None:
    result = cli("coverage")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "article.md:10: number (29, 2001)"
    assert lines[1] == "    Myanmar bought MiG-29 aircraft in 2001."
    assert "article.md:19: month (September); capitalised words (Vladivostok, September)" in lines
    assert lines[-1] == (
        "claims.yaml: coverage 40%: 2 of 5 check-worthy sentences covered by claims "
        "(2 claims; article article.md)"
    )
    assert result.err == ""


def test_min_coverage_is_a_gate(cli, draft: Path) -> None:
    failed = cli("coverage", "--min-coverage", "50")
    assert failed.code == 1
    assert (
        "claims.yaml:8:3: error FC604 claim coverage 40% is below --min-coverage 50%" in failed.out
    )
    assert failed.out.splitlines()[-1] == "failed: --min-coverage 50%"
    passed = cli("coverage", "--min-coverage", "40")
    assert passed.code == 0
    assert passed.out.splitlines()[-1] == "passed: --min-coverage 40%"


def test_article_option_overrides_article_text(cli, draft: Path) -> None:
    (draft / "other.md").write_text("In 2001 a. In 2002 b.\n", encoding="utf-8")
    result = cli("coverage", "claims.yaml", "--article", "other.md")
    assert result.code == 0
    assert "coverage 0%: 0 of 2 check-worthy sentences" in result.out
    assert "other.md:1: number (2001)" in result.out


@pytest.mark.parametrize(
    ("args", "claims", "message"),
    [
        ((), CLAIMS.replace("  text: article.md\n", ""), "no article text: pass --article PATH"),
        (("--article", "missing.md"), CLAIMS, "no such article file"),
        ((), "version: 2\n", "unsupported version"),
        ((), CLAIMS, None),
        (("--min-coverage", "120"), CLAIMS, "--min-coverage must be between 0 and 100"),
        (("nowhere.yaml",), CLAIMS, "nowhere.yaml: no such file"),
    ],
)
def test_coverage_errors_are_one_line_and_exit_2(
    cli, draft: Path, args: tuple[str, ...], claims: str, message: str | None
) -> None:
    (draft / "claims.yaml").write_text(claims, encoding="utf-8")
    if message is None:  # article.text pointing outside the directory tree
        (draft / "claims.yaml").write_text(claims.replace("article.md", "../x.md"))
        message = "points outside the claims file's directory"
    result = cli("coverage", *args)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err


def test_coverage_shows_the_line_a_wrapped_sentence_starts_on(cli, draft: Path) -> None:
    (draft / "wrapped.md").write_text(WRAPPED, encoding="utf-8")
    result = cli("coverage", "--article", "wrapped.md")
    assert "wrapped.md:4: capitalised words (Moscow, Min, Aung, Hlaing, …)" in result.out
    assert "wrapped.md:6: number (2019)" in result.out


def test_every_claims_file_below_a_directory_and_the_total(cli, draft: Path) -> None:
    other = draft / "other"
    other.mkdir()
    (other / "page.html").write_text(
        "<html><body><p>In 2020 nothing happened. In 2021 it did.</p></body></html>"
    )
    (other / "claims.yaml").write_text(
        CLAIMS.replace("text: article.md", "text: page.html").replace(
            "Myanmar paid $1.7 billion for the contracts", "In 2021 it did."
        ),
        encoding="utf-8",
    )
    result = cli("coverage", ".")
    assert result.code == 0, result.err
    assert "other/page.html: number (2020)\n    In 2020 nothing happened." in result.out
    assert "other/claims.yaml: coverage 50%: 1 of 2 check-worthy sentences" in result.out
    assert result.out.splitlines()[-1] == (
        "all files: coverage 42.8%: 3 of 7 check-worthy sentences covered by claims"
    )
    assert cli("coverage", ".", "--article", "article.md").code == 2


def test_coverage_help_has_an_example(cli) -> None:
    result = cli("coverage", "--help")
    assert result.code == 0
    assert "Examples:" in result.out
    assert "--min-coverage" in result.out


def test_verify_summary_has_a_coverage_line(cli, draft: Path) -> None:
    console = cli("verify", "--offline")
    assert "coverage 40% (2 of 5 check-worthy sentences)" in console.out
    data = json.loads(cli("verify", "--offline", "--format", "json").out)
    assert data["summary"]["coverage"] == {"check_worthy": 5, "covered": 2, "percent": 40.0}


def test_verify_without_article_text_has_no_coverage(cli, draft: Path) -> None:
    (draft / "claims.yaml").write_text(CLAIMS.replace("  text: article.md\n", ""))
    console = cli("verify", "--offline")
    assert "coverage" not in console.out
    data = json.loads(cli("verify", "--offline", "--format", "json").out)
    assert data["summary"]["coverage"] is None


def test_research_article_coverage_from_the_command_line(cli, research_article: ArticleText):
    repo = Path(__file__).resolve().parents[1]
    result = cli("coverage", str(repo / "claims.yaml"), "--article", str(RESEARCH_ARTICLE))
    assert result.code == 0, result.err
    summary = result.out.splitlines()[-1]
    assert re.fullmatch(
        r"\S*claims\.yaml: coverage [\d.]+%: \d+ of \d+ check-worthy sentences covered by "
        r"claims \(\d+ claims; article \S+article\.md\)",
        summary,
    ), summary


def test_a_long_page_in_one_block_is_measured_in_linear_time() -> None:
    # An HTML page is one block; work per full stop must not grow with the page.
    sentence = "In 2022 Dr. Ivanov met U Nu in Rangoon. It was the U.S. envoy's idea. "
    body = f"<html><body><p>{sentence * 15000}</p></body></html>".encode()
    text = from_html(body, "text/html", ArticleSource.URL, "https://example.org/long")
    started = time.perf_counter()
    result = measure(text, ["In 2022 Dr. Ivanov met U Nu in Rangoon."])
    elapsed = time.perf_counter() - started
    assert len(result.sentences) == 30000
    assert result.counts.covered == 15000
    assert elapsed < 10, f"{elapsed:.1f} s for a 1 MB page"
