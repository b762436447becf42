"""Links to the quoted passage: text fragments encoded as the WICG draft and browsers read them."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from factcheck.render.fragments import encode_term, passage_url, text_directive


@pytest.mark.parametrize(
    ("term", "encoded"),
    [
        ("plain words", "plain%20words"),
        # The directive's own syntax characters must never appear bare in a term.
        ("well-known", "well%2Dknown"),
        ("one, two", "one%2C%20two"),
        ("cats & dogs", "cats%20%26%20dogs"),
        ("50% of it", "50%25%20of%20it"),
        ("a#b?c=d", "a%23b%3Fc%3Dd"),
        # Non-ASCII as UTF-8 bytes.
        ("Zürich – 1955", "Z%C3%BCrich%20%E2%80%93%201955"),
        ("ミャンマー", "%E3%83%9F%E3%83%A3%E3%83%B3%E3%83%9E%E3%83%BC"),
    ],
)
def test_terms_are_percent_encoded_syntax_characters_included(term: str, encoded: str) -> None:
    assert encode_term(term) == encoded
    assert unquote(encoded) == term


def test_a_short_passage_is_the_whole_directive() -> None:
    assert text_directive("opening is now planned for 2029") == (
        "text=opening%20is%20now%20planned%20for%202029"
    )
    # Edge punctuation is dropped: the page may quote it differently.
    assert text_directive("“the budget, in full.”") == "text=the%20budget%2C%20in%20full"


def test_a_long_passage_is_cut_to_its_first_and_last_words() -> None:
    passage = (
        "Nothing else in the sprawling, thirty-page report by the city's auditors, "
        "published on Tuesday, was as damning as the finding on the tram."
    )
    directive = text_directive(passage)
    assert directive == "text=Nothing%20else%20in%20the,finding%20on%20the%20tram"
    start, end = directive.removeprefix("text=").split(",")
    assert passage.startswith(unquote(start)) and passage.rstrip(".").endswith(unquote(end))
    # A dash or comma inside the kept words stays encoded, so it cannot split the directive.
    cut = text_directive("well-known, long " + "word " * 12 + "ends, here-now")
    assert cut is not None and cut.count(",") == 1 and "-" not in cut


def test_passage_url_keeps_an_existing_fragment_and_adds_nothing_without_a_passage() -> None:
    assert passage_url("https://x.example/a", "the words") == (
        "https://x.example/a#:~:text=the%20words"
    )
    assert passage_url("https://x.example/a#part", "the words") == (
        "https://x.example/a#part:~:text=the%20words"
    )
    assert passage_url("https://x.example/a#:~:text=old", "new") == (
        "https://x.example/a#:~:text=new"
    )
    assert passage_url("https://x.example/a", "  ") == "https://x.example/a"
    assert passage_url("https://x.example/a", None) == "https://x.example/a"
