"""FC301-FC306: every claim quote is the article's own words, once, under its section.

The article is markdown rendered to text (emphasis, links and line breaks do not break a
quote), normalised as SPEC.md says, and compared case-sensitively.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from factcheck.article import SCAN_BELOW, ArticleSource, read_local
from factcheck.pipeline import RunOptions, run
from tests.common import HEAD, TODAY, article, claims_file, codes, run_rules, write
from tests.conftest import Cli

ARTICLE = """\
# The title is not a section

Prices rose by *3.2 percent* in [January](https://stats.example.org/jan),
the office said. The minister called it “a blip — nothing more”.

## Jobs

Unemployment fell to 4 percent.
Unemployment fell to 4 percent.

### Regions

The north gained **12,000** jobs.

Jobs
----

A setext heading starts this section.
"""


def one_claim(quote: str, section: str | None = None, status: str = "opinion") -> str:
    lines = ["  - id: C001", f"    quote: {json.dumps(quote)}"]  # JSON strings are YAML
    if section is not None:
        lines.append(f"    section: {section}")
    lines += [f"    status: {status}", "    rationale: r"]
    return HEAD + "\n".join(lines) + "\n"


def anchor(quote: str, section: str | None = None) -> list[tuple[str, int | None, int | None]]:
    return codes(one_claim(quote, section), ARTICLE)


# --------------------------------------------------------------------------- FC301


@pytest.mark.parametrize(
    "quote",
    [
        "Prices rose by 3.2 percent in January, the office said.",  # across *em* and a link
        "The north gained 12,000 jobs.",  # across **strong**
        "in January, the office",  # across a soft line break
        'called it "a blip - nothing more"',  # typographic quotes and dash normalised
        "The  minister\tcalled it",  # whitespace runs
        "the office said. The minister",  # across a sentence, same paragraph
    ],
)
def test_quotes_found_in_the_rendered_markdown(quote: str) -> None:
    assert anchor(quote) == []


def test_quote_not_in_the_article_is_an_error_at_the_quote() -> None:
    found = run_rules(one_claim("Prices fell by 3.2 percent"), ARTICLE)
    assert [(f.code, f.line, f.column) for f in found] == [("FC301", 8, 12)]
    assert found[0].claim == "C001"
    assert "claim quote is not in the article text (article.md)" in found[0].message
    # A near passage is shown, so that a silent edit of the article is easy to spot.
    assert "closest passage" in found[0].message
    assert "Prices rose by 3.2 percent" in found[0].message


def test_anchoring_is_case_sensitive() -> None:
    assert anchor("prices rose by 3.2 percent") == [("FC301", 8, 12)]


def test_markdown_syntax_is_not_article_text() -> None:
    assert anchor("*3.2 percent*") == [("FC301", 8, 12)]
    assert anchor("(https://stats.example.org/jan)") == [("FC301", 8, 12)]


def test_quotes_with_invisible_characters_and_nfkc_forms() -> None:
    assert anchor("Unem\u00adploy\u200bment fell to 4\u00a0percent") == [("FC302", 8, 12)]
    assert anchor("The north gained 12,000 ｊｏｂｓ") == []


def test_partial_words_match_as_text_does() -> None:
    """Anchoring is a substring search of the normalised text, as it always was."""
    assert anchor("rices rose") == []
    assert anchor("nemployment fell to 4 perc") == [("FC302", 8, 12)]


# --------------------------------------------------------------------------- FC302


def test_quote_found_twice_is_a_warning_with_the_article_lines() -> None:
    found = run_rules(one_claim("Unemployment fell to 4 percent."), ARTICLE)
    assert [(f.code, f.line, f.column) for f in found] == [("FC302", 8, 12)]
    assert found[0].severity.value == "warning"
    assert "occurs 2 times in the article (lines 8, 8)" in found[0].message
    assert found[0].article_line == 8


def test_overlapping_repeats_count_once() -> None:
    text = article("ha ha ha ha ha\n")
    assert text.occurrences("ha ha ha") == [0]
    assert text.occurrences("ha ha") == [0, 6]


# --------------------------------------------------------------------------- FC303


def test_quote_under_its_section() -> None:
    assert anchor("The north gained 12,000 jobs.", "Regions") == []
    # a sub-section is inside its parent section
    assert anchor("The north gained 12,000 jobs.", "Jobs") == []
    # the setext heading is a section too (its name repeats the first one)
    assert anchor("A setext heading starts this section.", "Jobs") == []


def test_section_that_is_not_a_heading() -> None:
    found = run_rules(one_claim("The north gained 12,000 jobs.", "Work"), ARTICLE)
    assert [(f.code, f.line, f.column) for f in found] == [("FC303", 9, 14)]
    assert "section 'Work' is not a heading of the article (headings: Jobs; Regions; Jobs)" in (
        found[0].message
    )


def test_the_title_is_not_a_section() -> None:
    assert anchor("Prices rose", "The title is not a section") == [("FC303", 9, 14)]


def test_quote_outside_its_section() -> None:
    found = run_rules(one_claim("Prices rose by 3.2 percent", "Regions"), ARTICLE)
    assert [(f.code, f.line, f.column) for f in found] == [("FC303", 9, 14)]
    assert "it is before the first heading" in found[0].message
    # the quote is under "Work" > "Regions"; the later setext "Jobs" section does not hold it
    found = run_rules(one_claim("The north gained", "Jobs"), ARTICLE.replace("## Jobs", "## Work"))
    assert [f.code for f in found] == ["FC303"]
    found = run_rules(one_claim("A setext heading", "Regions"), ARTICLE)
    assert "it is under 'Jobs'" in found[0].message
    assert found[0].article_line == 18


def test_article_without_headings() -> None:
    found = run_rules(one_claim("plain words", "Intro"), "Just plain words.\n")
    assert "(the article has no headings)" in found[0].message


# --------------------------------------------------------------------------- sources of text


def validate(claims: Path, article_option: Path | None = None) -> list[tuple[str, int | None]]:
    report = run(RunOptions(paths=[claims], article=article_option, today=TODAY))
    return [(f.code, f.line) for f in report.findings]


def test_article_text_beside_the_claims_file(tmp_path: Path) -> None:
    write(tmp_path / "drafts" / "article.md", ARTICLE)
    head = HEAD.replace("claims:\n", "  text: drafts/article.md\nclaims:\n")
    claims = claims_file(
        tmp_path, "- id: C001\n  quote: Prices fell\n  status: opinion\n  rationale: r\n", head=head
    )
    assert validate(claims) == [("FC301", 9)]


def test_no_article_text_at_all_is_fc304(tmp_path: Path) -> None:
    claims = claims_file(tmp_path, "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n")
    report = run(RunOptions(paths=[claims], today=TODAY))
    assert [(f.code, f.severity.value, f.line, f.column) for f in report.findings] == [
        ("FC304", "warning", 3, 3)
    ]
    assert "pass --article PATH or set article.text" in report.findings[0].message
    assert report.exit_code == 0


def test_article_option_overrides_article_text(tmp_path: Path) -> None:
    write(tmp_path / "other.md", "Prices fell.\n")
    head = HEAD.replace("claims:\n", "  text: missing.md\nclaims:\n")
    claims = claims_file(
        tmp_path, "- id: C001\n  quote: Prices fell\n  status: opinion\n  rationale: r\n", head=head
    )
    assert validate(claims, tmp_path / "other.md") == []
    assert validate(claims) == [("FC306", 6)]


def test_html_article_by_its_suffix(tmp_path: Path) -> None:
    write(
        tmp_path / "article.html",
        "<html><body><main><h1>Title</h1><p>Prices <em>rose</em> by 3.2%.</p>"
        "<h2>Jobs</h2><p>Unemployment fell.</p><script>var hidden = 1;</script>"
        "</main></body></html>",
    )
    text = read_local(tmp_path / "article.html", ArticleSource.OPTION)
    assert text.occurrences("Prices rose by 3.2%.") != []
    assert [h.title for h in text.headings] == ["Jobs"]
    assert text.occurrences("var hidden") == []


@pytest.mark.parametrize(
    ("text_value", "words"),
    [
        ("../outside.md", "points outside the claims file's directory"),
        ("/etc/hostname", "points outside the claims file's directory"),
        ("missing.md", "no such article file"),
        ("drafts", "the article path is a directory"),
        ('"bad\\0name.md"', "is not a usable path"),
    ],
)
def test_article_text_that_cannot_be_used_is_fc306(
    tmp_path: Path, text_value: str, words: str
) -> None:
    write(tmp_path / "outside.md", "Prices fell.\n")
    (tmp_path / "fc" / "drafts").mkdir(parents=True)
    head = HEAD.replace("claims:\n", f"  text: {text_value}\nclaims:\n")
    claims = claims_file(
        tmp_path / "fc",
        "- id: C001\n  quote: Prices fell\n  status: opinion\n  rationale: r\n",
        head=head,
    )
    report = run(RunOptions(paths=[claims], today=TODAY))
    assert [(f.code, f.line, f.column) for f in report.findings] == [("FC306", 6, 9)]
    assert words in report.findings[0].message
    assert report.exit_code == 1


def test_article_text_symlink_out_of_the_tree_is_fc306(tmp_path: Path) -> None:
    write(tmp_path / "secret.md", "Prices fell.\n")
    (tmp_path / "fc").mkdir()
    os.symlink(tmp_path / "secret.md", tmp_path / "fc" / "article.md")
    head = HEAD.replace("claims:\n", "  text: article.md\nclaims:\n")
    claims = claims_file(
        tmp_path / "fc",
        "- id: C001\n  quote: Prices fell\n  status: opinion\n  rationale: r\n",
        head=head,
    )
    assert validate(claims) == [("FC306", 6)]
    # a symlink that stays inside the tree is fine
    write(tmp_path / "fc" / "real.md", "Prices fell.\n")
    (tmp_path / "fc" / "article.md").unlink()
    os.symlink("real.md", tmp_path / "fc" / "article.md")
    assert validate(claims) == []


def test_article_text_that_is_a_fifo_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "fc").mkdir()
    os.mkfifo(tmp_path / "fc" / "article.md")
    head = HEAD.replace("claims:\n", "  text: article.md\nclaims:\n")
    claims = claims_file(
        tmp_path / "fc", "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n", head=head
    )
    assert validate(claims) == [("FC306", 6)]


def test_article_option_problems_are_exit_2(cli: Cli, tmp_path: Path) -> None:
    claims_file(tmp_path, "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n")
    result = cli("validate", "--article", "nope.md", cwd=tmp_path)
    assert result.code == 2
    assert "factcheck: error: nope.md: no such article file" in result.err
    assert "Traceback" not in result.err


def test_article_option_needs_exactly_one_claims_file(cli: Cli, tmp_path: Path) -> None:
    claims_file(tmp_path / "a", "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n")
    claims_file(tmp_path / "b", "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n")
    write(tmp_path / "article.md", "q\n")
    result = cli("validate", "a", "b", "--article", "article.md", cwd=tmp_path)
    assert result.code == 2
    assert "--article needs exactly one claims file" in result.err


def test_anchoring_on_the_command_line(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "article.md", ARTICLE)
    claims_file(
        tmp_path,
        "- id: C001\n  quote: Prices rose by 3.2 percent in January\n  section: Jobs\n"
        "  status: opinion\n  rationale: r\n"
        "- id: C002\n  quote: Unemployment fell to 4 percent.\n  status: opinion\n"
        "  rationale: r\n"
        "- id: C003\n  quote: Unemployment rose\n  status: opinion\n  rationale: r\n",
    )
    result = cli("validate", "--article", "article.md", cwd=tmp_path)
    assert result.code == 1, result
    lines = [line for line in result.out.splitlines() if line]  # a blank line after each claim
    assert lines[0].startswith("claims.yaml:9:14: warning FC303 [C001] the quote is not in ")
    assert lines[1].startswith("claims.yaml:13:12: warning FC302 [C002] claim quote occurs 2 ")
    assert lines[1].endswith("(article line 8)")
    assert lines[2].startswith("claims.yaml:17:12: error FC301 [C003] claim quote is not in")


# --------------------------------------------------------------------------- the word index


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("a b a b a b", "a b a"),
        ("x-ray x-ray", "x-ray"),
        ("cat concat cat", "cat"),
        ("the cat sat. the cat sat.", "he cat sa"),
        ("it's it's", "'s it'"),
        ("ab ab", " ab"),
        ("", "a"),
        ("word", "word word"),
        ("naïve café naïve café", "café naïve"),
    ],
)
def test_occurrences_equal_a_plain_substring_scan(text: str, quote: str) -> None:
    rendered = article(text + "\n") if text else article("\n")
    assert rendered.occurrences(quote) == naive(rendered.text, quote)


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("a b a b a b", "a b a"),
        ("x-ray x-ray", "x-ray"),
        ("cat concat cat", "cat"),
        ("the cat sat. the cat sat.", "he cat sa"),
        ("it's it's", "'s it'"),
        ("ab ab", " ab"),
        ("word", "word word"),
        ("naïve café naïve café", "café naïve"),
    ],
)
def test_occurrences_through_the_word_index_equal_a_plain_scan(text: str, quote: str) -> None:
    """A short article is scanned; once its word index exists (or in a long article) the
    index is used, and finds the same offsets."""
    rendered = article(text + "\n")
    assert rendered.words  # the index is built: occurrences go through it from now on
    assert rendered.occurrences(quote) == naive(rendered.text, quote)


def test_a_long_article_finds_every_occurrence_through_its_word_index() -> None:
    sentence = "The ferry ran 12 times a day in 2019. "
    rendered = article(sentence * 400 + "\n")
    assert len(rendered.text) > SCAN_BELOW
    quote = "ran 12 times a day in 2019. The ferry"
    assert rendered.occurrences(quote) == naive(rendered.text, quote)
    assert len(rendered.occurrences(quote)) == 399


@pytest.mark.parametrize("seed", range(3))
def test_occurrences_of_random_quotes_through_the_word_index_equal_a_plain_scan(
    seed: int,
) -> None:
    """Whatever the words of a quote (spaces, punctuation, underscores, letters of any
    script), the word index finds exactly the offsets a scan finds."""
    import random

    chosen = random.Random(seed)
    pieces = ["a", "b", "ab", "a_b", "7", "12", "é", "naïve", "x-ray", ".", ",", "'", "  ", " "]
    words = [chosen.choice(pieces) for _ in range(600)]
    rendered = article(" ".join(words) + "\n")
    assert rendered.words
    text = rendered.text
    for _ in range(400):
        start = chosen.randrange(len(text))
        quote = text[start : start + chosen.randint(1, 14)]
        if chosen.random() < 0.2:  # and quotes that are nowhere
            quote = quote.replace(chosen.choice(quote), chosen.choice(pieces), 1)
        assert rendered.occurrences(quote) == naive(text, quote), repr(quote)


def naive(haystack: str, needle: str) -> list[int]:
    found = []
    start = haystack.find(needle)
    while needle and start != -1:
        found.append(start)
        start = haystack.find(needle, start + len(needle))
    return found
