"""Figures in text (factcheck.figures) and the figures check FC209, yamllint style."""

from __future__ import annotations

import pytest

from factcheck.figures import figures_in, missing_figures
from tests.common import HEAD, codes, run_rules


def forms(text: str) -> list[list[str]]:
    return [sorted(figure.forms) for figure in figures_in(text)]


@pytest.mark.parametrize(
    "written",
    ["$1.7 billion", "US$1.7bn", "1,700 million", "1.7 bn dollars", "1,7 млрд", "$1.7B"],
)
def test_amounts_written_differently_are_one_figure(written: str) -> None:
    assert forms(written) == [["n:1700000000"]]


@pytest.mark.parametrize(
    "written",
    ["2 February 2021", "February 2, 2021", "2nd of February 2021", "Feb. 2, 2021", "2021-02-02"],
)
def test_dates_written_differently_are_one_figure(written: str) -> None:
    assert forms(written) == [["date:2021-02-02"]]


def test_numeric_dates_give_both_readings_only_where_ambiguous() -> None:
    assert forms("2.2.2021") == [["date:2021-02-02"]]
    assert forms("25.12.2021") == [["date:2021-12-25"]]
    assert forms("12/25/2021") == [["date:2021-12-25"]]
    assert forms("3.4.2021") == [["date:2021-03-04", "date:2021-04-03"]]


def test_percentages_are_their_number() -> None:
    assert forms("12%") == forms("12 per cent") == forms("12 percent") == [["n:12"]]
    assert missing_figures(["rose 4.5%"], ["up 4.5 percent"]) == []
    assert [f.text for f in missing_figures(["rose 4%"], ["up 14 percent"])] == ["4%"]


def test_ranges_are_both_ends_and_a_short_year_end_is_a_full_year() -> None:
    assert forms("2019-21") == [["n:2019"], ["n:2021"]]
    assert forms("from 2019 to 2021") == [["n:2019"], ["n:2021"]]
    assert missing_figures(["in 2019-21"], ["between 2019 and 2021"]) == []
    assert missing_figures(["10-15 million people"], ["10 million to 15 million"]) == []
    assert [f.text for f in missing_figures(["2001 to 2021"], ["1999 and 2018"])] == [
        "2001",
        "2021",
    ]


def test_numbers_inside_names_are_names_not_figures() -> None:
    assert forms("T-72 tanks, Su-30SM jets and COVID-19") == [
        ["name:t72"],
        ["name:su30sm"],
        ["name:covid19"],
    ]
    assert [f.text for f in missing_figures(["72 tanks"], ["T-72 tanks"])] == ["72"]
    assert missing_figures(["Mi-17 helicopters"], ["the Mi17 helicopter"]) == []
    assert [f.text for f in missing_figures(["Mi-17 helicopters"], ["17 helicopters"])] == ["Mi-17"]


def test_decades_are_met_by_any_year_in_them() -> None:
    assert forms("the 1990s") == forms("the '90s") == forms("the mid-1990s") == [["decade:199"]]
    assert missing_figures(["in the 1990s"], ["five were supplied in 1996"]) == []
    assert [f.text for f in missing_figures(["in 1996"], ["during the 1990s"])] == ["1996"]


def test_evidence_may_say_more_than_the_claim_but_not_less() -> None:
    source = ["delivered on 2 February 2021 for $1.7 billion, two of them"]
    claimed = ["in February 2021", "in 2021", "on 2 February", "1.7", "2"]
    assert missing_figures(claimed, source) == []
    assert [f.text for f in missing_figures(["3 February 2021"], ["February 2021"])] == [
        "3 February 2021"
    ]


def test_dates_naming_an_event_are_left_out_only_on_request() -> None:
    assertion = "The 1988 protests and Ne Win's 1958 takeover ended in 1962."
    assert [f.text for f in figures_in(assertion, labels=False)] == ["1962"]
    assert len(figures_in(assertion)) == 3
    assert [f.text for f in figures_in("the 2 million people", labels=False)] == ["2 million"]


# --------------------------------------------------------------------------- FC209


def claim(
    status: str,
    quote: str,
    assertion: str,
    rationale: str,
    evidence: str,
    translation: str = "the deal was signed in February",
) -> str:
    return HEAD + (
        f"  - id: C045\n"
        f"    quote: {quote!r}\n"
        f"    assertion: {assertion!r}\n"
        f"    status: {status}\n"
        f"    rationale: {rationale!r}\n"
        f"    evidence:\n"
        f"      - url: https://a.example.org/\n"
        f"        title: T\n"
        f"        publisher: P\n"
        f"        stance: supports\n"
        f"        quote: {evidence!r}\n"
        f"        quote_translation: {translation!r}\n"
    )


def test_a_figure_in_no_evidence_passage_is_fc209_at_the_quote() -> None:
    text = claim(
        "supported",
        "Myanmar paid Moscow $1.7 billion from 2001 to 2021.",
        "Myanmar paid US$1.7bn.",
        "SIPRI gives a similar figure.",
        "Myanmar procured US$1.5 billion worth of hardware between 1999 and 2018",
    )
    assert codes(text) == [("FC209", 8, 12)]
    (found,) = run_rules(text)
    assert found.message.startswith(
        "1.7 billion, 2001 and 2021 (in the quote) are in none of C045's evidence passages"
    )
    assert str(found.severity) == "warning"


def test_figures_in_the_rationale_or_a_translation_count() -> None:
    text = claim(
        "partially_supported",
        "Myanmar paid $1.7 billion on February 2, 2021.",
        "Myanmar paid 1,700 million dollars in 2021.",
        "No source for the exact $1.7 billion was found.",
        "la transaction",
        "the deal was signed on 2 February 2021",
    )
    assert codes(text) == []


def test_a_figure_only_in_the_assertion_is_fc209_at_the_assertion() -> None:
    text = claim(
        "supported",
        "Myanmar paid Moscow for its jets.",
        "After the 2021 coup Myanmar paid for 20 jets in 2022.",
        "r",
        "Myanmar bought jets",
    )
    assert codes(text) == [("FC209", 9, 16)]
    assert run_rules(text)[0].message.startswith("20 and 2022 (in the assertion) are in none")


@pytest.mark.parametrize("status", ["contradicted", "unverified", "opinion"])
def test_only_supported_claims_are_checked(status: str) -> None:
    text = claim(status, "It cost $9 billion.", "9 billion", "r", "nothing").replace(
        "stance: supports", "stance: contradicts"
    )
    assert [c for c in codes(text) if c[0] == "FC209"] == []
