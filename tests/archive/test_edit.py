"""``fix --archive`` writes ``archive_url`` lines and changes nothing else, byte for byte."""

from __future__ import annotations

import difflib

import pytest

from factcheck.archive.edit import Addition, add_archive_urls
from factcheck.errors import FactcheckError
from factcheck.load.loader import load_string

SNAP = "https://web.archive.org/web/20240416101500/https://council.example/minutes"

BLOCK = """\
# The budget fact-check.   Comments, odd spacing and quoting must survive.
version: 1
article:
  title: 'Harbour budget'   # single-quoted on purpose
  url: "https://paper.example/budget"
  publisher: Paper

claims:
  - id: C001
    quote: "The harbour budget is 4.2 million crowns."
    status: supported
    rationale: >
      The minutes say so.

    evidence:
      # the council's own minutes
      - url: https://council.example/minutes   # gone since May
        title: Minutes
        publisher: Council
        accessed: 2024-04-17
      - &second
        publisher: Radio
        url: 'https://radio.example/budget'
        title: Radio
  - id: C002
    quote: "It is the largest budget in ten years."
    status: supported
    rationale: Radio says so.
    evidence:
      - *second
"""


def added_lines(before: str, after: str) -> list[str]:
    """The diff's lines, which must all be additions."""
    diff = list(difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0))[2:]
    changes = [line for line in diff if not line.startswith("@@")]
    assert all(line.startswith("+") for line in changes), changes
    return [line[1:] for line in changes]


def test_block_items_get_one_new_line_each_and_nothing_else_changes() -> None:
    radio = "https://web.archive.org/web/20240416/https://radio.example/budget"
    additions = [Addition("C001", 0, SNAP), Addition("C001", 1, radio)]

    after, skipped = add_archive_urls(BLOCK, additions, "claims.yaml")

    assert skipped == []
    assert added_lines(BLOCK, after) == [
        f"        archive_url: {SNAP}\n",
        f"        archive_url: '{radio}'\n",
    ]
    document = load_string(after).document
    assert document is not None
    assert document.claims[0].evidence[0].archive_url == SNAP
    # The anchored item is edited once, where its anchor is: the alias has it too.
    assert document.claims[1].evidence[0].archive_url == radio
    assert document.claims[0].evidence[0].accessed is not None  # kept, never written


def test_an_alias_is_edited_at_its_anchor() -> None:
    radio = "https://web.archive.org/web/20240416/https://radio.example/budget"

    after, skipped = add_archive_urls(BLOCK, [Addition("C002", 0, radio)], "claims.yaml")

    assert skipped == []
    assert added_lines(BLOCK, after) == [f"        archive_url: '{radio}'\n"]


def test_crlf_files_keep_crlf() -> None:
    crlf = BLOCK.replace("\n", "\r\n")

    after, _ = add_archive_urls(crlf, [Addition("C001", 0, SNAP)], "claims.yaml")

    assert after.count("\r\n") == crlf.count("\r\n") + 1
    assert "\n" not in after.replace("\r\n", "")
    assert f"        archive_url: {SNAP}\r\n" in after
    assert after.replace(f"        archive_url: {SNAP}\r\n", "", 1) == crlf


FLOW = """\
version: 1
article: {title: Budget, url: "https://paper.example/budget", publisher: Paper}
claims:
  - id: C001
    quote: "The harbour budget is 4.2 million crowns."
    status: supported
    rationale: The minutes say so.
    evidence:
      - {url: "https://council.example/minutes", title: Minutes, publisher: Council}
      - {title: Radio, publisher: Radio,
         url: https://radio.example/budget}
"""


def test_flow_mappings_get_the_key_after_the_url_in_their_own_quoting() -> None:
    radio = "https://web.archive.org/web/20240416/https://radio.example/budget"
    additions = [Addition("C001", 0, SNAP), Addition("C001", 1, radio)]

    after, skipped = add_archive_urls(FLOW, additions, "claims.yaml")

    assert skipped == []
    assert after == FLOW.replace(
        '"https://council.example/minutes",',
        f'"https://council.example/minutes", archive_url: "{SNAP}",',
    ).replace(
        "url: https://radio.example/budget}",
        f"url: https://radio.example/budget, archive_url: {radio}}}",
    )


def test_items_that_cannot_take_an_archive_url_are_reported_not_touched() -> None:
    text = BLOCK.replace(
        "        title: Minutes\n", f"        title: Minutes\n        archive_url: {SNAP}\n"
    )

    after, skipped = add_archive_urls(
        text, [Addition("C001", 0, SNAP), Addition("C009", 0, SNAP)], "claims.yaml"
    )

    assert after == text
    assert [s.reason for s in skipped] == [
        "it already has an archive_url (replace it by hand if it no longer works)",
        "no such evidence item in the file",
    ]


def test_a_url_needing_quotes_is_quoted_and_a_last_line_without_break_gets_one() -> None:
    item = "      - title: X\n        publisher: X\n        url: https://x.example/a"
    text = BLOCK.replace("      - *second\n", item)  # the file ends without a line break
    odd = "https://web.archive.org/web/2024/https://x.example/a #b"

    after, _ = add_archive_urls(text, [Addition("C002", 0, odd)], "claims.yaml")

    assert after == f'{text}\n        archive_url: "{odd}"\n'
    document = load_string(after).document
    assert document is not None and document.claims[1].evidence[0].archive_url == odd


def test_yaml_it_cannot_read_is_a_clear_error() -> None:
    with pytest.raises(FactcheckError, match="cannot edit the file"):
        add_archive_urls("claims: [\n", [Addition("C001", 0, SNAP)], "claims.yaml")
