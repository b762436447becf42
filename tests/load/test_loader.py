"""Loading claims files: what bad input gets (issue 2), in-process and as a user sees it.

A file that cannot be used is one FC101 finding with its position and exit 2, quickly and in
bounded memory; problems inside a usable file are located findings and exit 1, and the rest of
the file is still checked.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from factcheck.findings import Finding
from factcheck.load import yamltree
from factcheck.load.loader import load_file
from tests.common import GOOD_CLAIM, HEAD, claims_file, codes, load, write
from tests.conftest import Cli, Result


def fatal(text: str) -> Finding:
    """The one FC101 finding of a file that cannot be used."""
    loaded = load(text)
    assert loaded.document is None
    assert not loaded.usable
    assert [f.code for f in loaded.findings] == ["FC101"], loaded.findings
    return loaded.findings[0]


@contextmanager
def bounded(seconds: float, megabytes: float) -> Iterator[None]:
    """Fail if the block takes longer or allocates more (peak) than allowed."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.2f} s"
    assert peak < megabytes * 1048576, f"peak {peak / 1048576:.1f} MiB"


def assert_exit_2(result: Result, location: str, words: str) -> None:
    """The user sees ``location: error FC101 ...words...``, exit 2, and no traceback."""
    assert result.code == 2, result
    output = result.out + result.err
    assert f"{location}: error FC101" in output, output
    assert words in output, output
    assert "Traceback" not in output


# --------------------------------------------------------------------------- unusable files


def test_yaml_syntax_error_is_located() -> None:
    item = fatal("version: 1\narticle: [unclosed\nclaims: []\n")
    assert item.message.startswith("YAML syntax error: ")
    assert (item.line, item.column) == (3, 7)


def test_yaml_syntax_error_in_a_block_mapping() -> None:
    item = fatal("version: 1\narticle:\n  title: a\n    url: b\n")
    assert item.message.startswith("YAML syntax error: ")
    assert (item.line, item.column) == (4, 8)


def test_yaml_syntax_error_on_the_command_line(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "claims.yaml", "version: 1\nclaims: [a, b\n")
    result = cli("validate", cwd=tmp_path)
    assert_exit_2(result, "claims.yaml:3:1", "YAML syntax error")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_empty_file(text: str) -> None:
    item = fatal(text)
    assert item.message == "the file is empty"
    assert (item.line, item.column) == (1, 1)


def test_top_level_list() -> None:
    item = fatal("- version: 1\n- claims: []\n")
    assert "the top level is a list" in item.message
    assert (item.line, item.column) == (1, 1)


def test_top_level_scalar() -> None:
    assert "single value" in fatal("just some words\n").message


def test_no_version() -> None:
    item = fatal("article: {title: T}\nclaims: []\n")
    assert "no `version` key" in item.message


@pytest.mark.parametrize("value", ["2", "1.0", "'2'", "[1]", "v1"])
def test_unsupported_version_points_at_the_value(value: str) -> None:
    item = fatal(f"# comment\nversion: {value}\nclaims: []\n")
    assert "unsupported version" in item.message
    assert (item.line, item.column) == (2, 10)


def test_version_as_quoted_text_is_version_1() -> None:
    assert load(HEAD.replace("version: 1", 'version: "1"') + "  []\n").usable


@pytest.mark.parametrize(
    ("text", "where"),
    [("version: 1\nx: 'bell \x07'\n", (2, 10)), ("version: 1\nx: 'éé\x1b'\n", (2, 7))],
)
def test_characters_yaml_does_not_allow_are_located(text: str, where: tuple[int, int]) -> None:
    item = fatal(text)
    assert (item.line, item.column) == where
    assert "is not allowed (control characters are not allowed)" in item.message


def test_more_than_one_document() -> None:
    item = fatal("version: 1\n---\nversion: 1\n")
    assert "more than one YAML document" in item.message
    assert item.line == 2


def test_binary_file(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_bytes(b"version: 1\n\x00\x01\x02\xff" * 100)
    assert_exit_2(cli("validate", cwd=tmp_path), "claims.yaml:1:1", "binary file")


def test_non_utf8_file_points_at_the_byte(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_bytes(HEAD.encode() + "  - id: C001\n    quote: café\n".encode("latin-1"))
    loaded = load_file(path)
    assert [(f.code, f.line, f.column) for f in loaded.findings] == [("FC101", 8, 15)]
    assert "not UTF-8 (byte 0xe9)" in loaded.findings[0].message
    assert_exit_2(cli("validate", cwd=tmp_path), "claims.yaml:8:15", "save the file as UTF-8")


def test_utf8_with_bom_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + "  []\n").encode())
    assert load_file(path).findings == []


def test_directory_without_claims_files(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "notes.yaml", "version: 1\n")
    result = cli("validate", "docs", cwd=tmp_path)
    assert result.code == 2
    assert "docs: error FC101 no claims.yaml or *.claims.yaml files in this directory" in (
        result.out
    )
    assert "Traceback" not in result.out + result.err


def test_missing_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("validate", "nope.claims.yaml", cwd=tmp_path)
    assert result.code == 2
    assert "nope.claims.yaml: error FC101 no such file" in result.out
    assert "Traceback" not in result.out + result.err


def test_default_path_missing(cli: Cli, tmp_path: Path) -> None:
    result = cli("validate", cwd=tmp_path)
    assert result.code == 2
    assert "claims.yaml: error FC101 no such file" in result.out


def test_file_over_20_mib_is_refused_before_reading(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    line = "# " + "x" * 97 + "\n"
    path.write_text("version: 1\n" + line * (25 * 1048576 // len(line)), encoding="utf-8")
    with bounded(seconds=1, megabytes=2):
        loaded = load_file(path)
    assert "claims files over 20 MiB are refused" in loaded.findings[0].message
    result = cli("validate", cwd=tmp_path)
    assert_exit_2(result, "claims.yaml:1:1", "file is 25.0 MiB")


def test_200_aliases_are_refused() -> None:
    text = "version: 1\nx: &x 1\nl: [" + ", ".join(["*x"] * 200) + "]\n"
    with bounded(seconds=1, megabytes=20):
        item = fatal(text)
    assert "more than 100 aliases" in item.message
    assert item.line == 3


def test_100_aliases_are_fine() -> None:
    text = HEAD + "  []\nx-list: &x [1]\nx-more: [" + ", ".join(["*x"] * 100) + "]\n"
    assert load(text).findings == []


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["version: 1", 'x-lol0: &lol0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*lol{level - 1}"] * width)
        lines.append(f"x-lol{level}: &lol{level} [{refs}]")
    lines.append(f"claims: *lol{levels}")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly_in_bounded_memory() -> None:
    # 81 aliases, under the limit of 100, expanding to 9**9 = 387 million strings.
    text = billion_laughs().replace("x-lol", "lol")
    with bounded(seconds=2, megabytes=20):
        item = fatal(text)
    assert "aliases expand the document too far" in item.message


def test_billion_laughs_under_x_keys_is_still_refused() -> None:
    with bounded(seconds=2, megabytes=20):
        item = fatal(billion_laughs())
    assert "aliases expand" in item.message


def test_billion_laughs_on_the_command_line(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "claims.yaml", billion_laughs())
    start = time.perf_counter()
    result = cli("validate", cwd=tmp_path, timeout=30)
    assert time.perf_counter() - start < 10
    assert_exit_2(result, "claims.yaml:8:58", "aliases expand the document too far")


def test_alias_inside_its_own_anchor_is_refused() -> None:
    """A recursive alias makes a cycle: refused, not a RecursionError (exit 3)."""
    item = fatal("version: 1\nx-loop: &a [1, *a]\n")
    assert "refers to a node that contains it" in item.message
    assert (item.line, item.column) == (2, 16)
    assert "contains it" in fatal("version: 1\nx-loop: &a {b: {c: *a}}\n").message


def test_alias_to_no_anchor() -> None:
    assert "names no anchor" in fatal("version: 1\nx: *nothing\n").message


def test_100000_nested_brackets_do_not_crash_the_interpreter(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "claims.yaml", "[" * 100_000 + "\n")
    with bounded(seconds=2, megabytes=50):
        loaded = load_file(tmp_path / "claims.yaml")
    assert [f.code for f in loaded.findings] == ["FC101"]
    assert "nesting" in loaded.findings[0].message
    result = cli("validate", cwd=tmp_path)
    assert result.code == 2  # not -11 (SIGSEGV)
    assert "claims.yaml:1:" in result.out
    assert "nesting" in result.out


def nested(depth: int, opener: Callable[[int], str]) -> str:
    return "version: 1\nx-deep: " + "".join(opener(i) for i in range(depth - 1)) + "[]\n"


@pytest.mark.parametrize("opener", [lambda i: "[", lambda i: "{a: "], ids=["sequences", "mappings"])
def test_nesting_limit_is_64_levels(opener: Callable[[int], str]) -> None:
    # The top-level mapping is level 1: 63 more levels are fine, 64 more are refused.
    def closed(depth: int) -> str:
        text = nested(depth, opener)
        closer = "]" if opener(0) == "[" else "}"
        return text.rstrip("\n") + closer * (depth - 1) + "\n"

    assert yamltree.MAX_DEPTH == 64
    ok = load(closed(63))
    assert not any(f.code == "FC101" for f in ok.findings)
    item = fatal(closed(64))
    assert "nesting deeper than 64 levels" in item.message
    assert item.line == 2


def test_deep_block_nesting_is_refused() -> None:
    lines = ["version: 1", "x-deep:"]
    lines += [" " * (2 * i) + "- " for i in range(1, 70)]
    item = fatal("\n".join(lines) + "\n")
    assert "nesting deeper than 64 levels" in item.message


# --------------------------------------------------------------------------- usable files


def test_valid_file_has_no_findings() -> None:
    assert codes(HEAD + "  " + GOOD_CLAIM.replace("\n", "\n  ")) == []


def test_scalars_are_read_as_their_source_text() -> None:
    """YAML 1.1 would read NO as false, 1984 as a number and 010 as 8."""
    loaded = load(
        """\
        version: 1
        article:
          title: NO
          url: https://news.example.com/a
          publisher: 1984
          authors: [yes, off, 0x1F, 1_000, 010, 1e3, .inf, 12:30]
        claims:
          - id: C001
            quote: 1984
            status: opinion
            rationale: on
            tags: [Y, n, null-ish, "~"]
        """
    )
    assert loaded.findings == []
    assert loaded.document is not None
    article = loaded.document.article
    assert (article.title, article.publisher) == ("NO", "1984")
    assert article.authors == ["yes", "off", "0x1F", "1_000", "010", "1e3", ".inf", "12:30"]
    claim = loaded.document.claims[0]
    assert (claim.quote, claim.rationale) == ("1984", "on")
    assert claim.tags == ["Y", "n", "null-ish", "~"]


def test_plain_null_means_no_value() -> None:
    """An optional key left empty (or ``~``) is absent, as the JSON Schema says it may be."""
    loaded = load(
        HEAD
        + """\
  - id: C001
    quote: q
    status: opinion
    rationale: r
    checked_on:
    assertion: ~
    section: null
"""
    )
    assert loaded.findings == []
    assert loaded.document is not None
    claim = loaded.document.claims[0]
    assert (claim.checked_on, claim.assertion, claim.section) == (None, None, None)


def test_required_key_left_empty() -> None:
    loaded = load(HEAD + "  - id: C001\n    quote:\n    status: opinion\n    rationale: r\n")
    assert [(f.code, f.line, f.column, f.message) for f in loaded.findings] == [
        ("FC104", 8, 11, "quote has no value")
    ]


def test_head_errors_are_exit_1_and_the_claims_are_still_checked(cli: Cli, tmp_path: Path) -> None:
    """A bad optional value in the head is dropped; the claims and article.url are checked."""
    write(
        tmp_path / "claims.yaml",
        """\
        version: 1
        mode: sometimes
        article:
          title: T
          url: https://user:pw@news.example.com/a
          publisher: P
          published: 2024-02-30
        claims:
          - id: C001
            quote: q
            status: supported
            rationale: r
            evidence: []
        """,
    )
    loaded = load_file(tmp_path / "claims.yaml")
    assert loaded.usable and loaded.document is not None
    found = [(f.code, f.line, f.column) for f in loaded.findings]
    assert found == [("FC104", 2, 7), ("FC104", 7, 14)]
    result = cli("validate", cwd=tmp_path)
    assert result.code == 1
    for where, code in [
        ("claims.yaml:2:7", "FC104"),
        ("claims.yaml:5:8", "FC201"),
        ("claims.yaml:7:14", "FC104"),
        ("claims.yaml:11:13", "FC202"),
    ]:
        assert f"{where}: error {code}" in result.out, result.out
    assert "FC101" not in result.out


def test_no_article_is_exit_1_with_the_claims_checked(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path / "claims.yaml",
        """\
        version: 1
        claims:
          - id: C001
            quote: q
            status: opinion
            rationale: r
          - id: C001
            quote: q
            status: maybe
            rationale: r
        """,
    )
    result = cli("validate", cwd=tmp_path)
    assert result.code == 1, result
    assert "claims.yaml:1:1: error FC104 missing required key 'article'" in result.out
    assert "claims.yaml:7:9: error FC105 [C001] claim id C001 is used twice" in result.out
    assert "claims.yaml:9:13: error FC104 [C001] bad status 'maybe'" in result.out
    assert "cannot be used" not in result.out


def test_claims_must_be_a_list() -> None:
    text = HEAD + "  C001: {quote: q}\n"
    assert codes(text) == [("FC104", 7, 3)]


def test_keys_that_are_not_text() -> None:
    text = HEAD + "  - id: C001\n    quote: q\n    status: opinion\n    rationale: r\n    [a]: b\n"
    assert codes(text) == [("FC104", 11, 5)]


def test_loading_is_linear_not_a_crash_on_many_claims() -> None:
    claim = "  - id: C{n:05d}\n    quote: q{n}\n    status: opinion\n    rationale: r\n"
    text = HEAD + "".join(claim.format(n=n) for n in range(3000))
    loaded = load(text)
    assert loaded.findings == []
    assert loaded.document is not None
    assert loaded.document.claims[-1].at("quote").line == 7 + 2999 * 4 + 1


def test_positions_survive_on_every_model(tmp_path: Path) -> None:
    path = claims_file(tmp_path, GOOD_CLAIM)
    loaded = load_file(path)
    assert loaded.document is not None
    claim = loaded.document.claims[0]
    assert (claim.location.line, claim.location.column) == (7, 5)
    assert claim.at("status").line == 9
    evidence = claim.evidence[0]
    assert (evidence.location.line, evidence.location.column) == (12, 9)
    assert (evidence.at("publisher").line, evidence.at("publisher").column) == (14, 20)
    assert evidence.at("no-such-field") == evidence.location
    assert loaded.document.article.at("url").line == 4


# --------------------------------------------------------------------------- claims built as read

CLAIM = """\
  - id: {id}
    quote: The sky is {id}
    status: supported
    rationale: The weather service says so.
    x-note: ignored
    evidence:
      - url: https://weather.example.org/{id}
        title: Sky colour
        publisher: Weather Service
        ignore: [{{code: FC208, reason: known, until: 2030-01-01}}]
"""
TAIL = "mode: review\n"

#: Files each loaded both ways: claims with and without problems, claims before the head, a
#: second ``claims`` key, anchors and aliases (the file is then parsed again, whole), a file
#: that is not usable, a head that is broken.
AS_READ = {
    "clean": HEAD + CLAIM.format(id="C001") + CLAIM.format(id="C002") + TAIL,
    "problems": HEAD
    + CLAIM.format(id="C001")
    + "  - id: C002\n    quote: q\n    status: maybe\n    bogus: 1\n"
    + CLAIM.format(id="C001")
    + "  - just text\n"
    + "  - id: C004\n    quote: q\n    quote: again\n    status: pending\n"
    + CLAIM.format(id="C005"),
    "claims first": "version: 1\nclaims:\n"
    + CLAIM.format(id="C001")
    + "article:\n  title: T\n  url: https://example.org/a\n  publisher: P\n",
    "two claims keys": HEAD + CLAIM.format(id="C001") + "claims:\n" + CLAIM.format(id="C009"),
    "scalar then list": HEAD.replace("claims:\n", "claims: none\nclaims:\n")
    + CLAIM.format(id="C001"),
    "anchors": HEAD
    + CLAIM.format(id="C001").replace("- id: C001", "- &first\n    id: C001")
    + "  - *first\n"
    + CLAIM.format(id="C002"),
    "anchor after": HEAD + CLAIM.format(id="C001") + "x-later: &a 1\nx-again: *a\n",
    "no version": HEAD.replace("version: 1\n", "") + CLAIM.format(id="C001"),
    "broken head": HEAD.replace("  title: The article\n", "") + CLAIM.format(id="C001"),
    "syntax error after claims": HEAD + CLAIM.format(id="C001") + "oops: [\n",
    "nested claims": "version: 1\nx-box:\n  claims:\n" + CLAIM.format(id="C001") + HEAD[11:],
    # Claims are read as values straight from the parser unless something is unusual: then
    # as nodes, from the same events, for their findings.
    "x- values": HEAD
    + CLAIM.format(id="C001").replace(
        "x-note: ignored", "x-note: {a: [1, {b: 2}], c: 3}\n    x-note: [[], {}]"
    )
    + CLAIM.format(id="C002").replace("        title:", "        x-seen: [a, b]\n        title:"),
    "duplicate keys inside": HEAD
    + CLAIM.format(id="C001").replace("title: Sky colour", "title: Sky\n        title: Sky 2")
    + CLAIM.format(id="C002")
    + CLAIM.format(id="C003").replace("rationale:", "x-a: 1\n    rationale: r\n    rationale:"),
    "merge keys": HEAD
    + CLAIM.format(id="C001").replace("status: supported", "<<: {status: supported}")
    + CLAIM.format(id="C002").replace("x-note: ignored", '"<<": quoted'),
    "keys that are not text": HEAD
    + CLAIM.format(id="C001").replace("x-note: ignored", "? [a, b]\n    : 1")
    + CLAIM.format(id="C002").replace("        title: Sky colour", "        {k: v}: 1")
    + CLAIM.format(id="C003"),
    "nulls": HEAD
    + CLAIM.format(id="C001").replace(
        "x-note: ignored",
        'assertion: ~\n    section: null\n    checked_by: "null"\n    tags: [~, "", a]',
    )
    + CLAIM.format(id="C002").replace("x-note: ignored", "assertion:\n    checked_by: !!str ~")
    + CLAIM.format(id="C003").replace("quote: The sky is C003", "quote: NULL"),
    "flow claims": HEAD.replace("claims:\n", "claims: [{id: C001, quote: q, status: opinion},")
    + " {id: C002, quote: r, status: opinion, tags: [a, {b: c}]}]\n",
    "nesting in a claim": HEAD
    + CLAIM.format(id="C001")
    + CLAIM.format(id="C002").replace("x-note: ignored", "x-deep: " + "[" * 70 + "]" * 70),
    "nesting after a duplicate key": HEAD
    + CLAIM.format(id="C001").replace(
        "x-note: ignored", "quote: again\n    x-deep: " + "[" * 70 + "]" * 70
    ),
    "anchor inside a claim": HEAD
    + CLAIM.format(id="C001").replace("title: Sky colour", "title: &t Sky colour")
    + CLAIM.format(id="C002").replace("title: Sky colour", "title: *t"),
}


def _described(path: Path, *, as_read: bool) -> object:
    from factcheck.load.discover import parse_file
    from factcheck.load.loader import ClaimBuilder, load_parsed

    loaded = load_parsed(parse_file(path, ClaimBuilder() if as_read else None))
    document = loaded.document
    models = [
        model
        for claim in (document.claims if document else [])
        for model in (claim, *claim.evidence, *(i for e in claim.evidence for i in e.ignore))
    ]
    return (
        [(f.code, f.line, f.column, f.message, f.claim) for f in loaded.findings],
        document.model_dump() if document else None,
        [[model.at(name) for name in ("", *type(model).model_fields)] for model in models],
        loaded.invalid_claim_ids,
    )


@pytest.mark.parametrize("name", sorted(AS_READ))
def test_claims_built_as_the_file_is_read_load_as_when_read_first(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(AS_READ[name])
    assert _described(path, as_read=True) == _described(path, as_read=False)


def test_claims_are_built_as_read_only_without_anchors(tmp_path: Path) -> None:
    from factcheck.load.discover import parse_file
    from factcheck.load.loader import ClaimBuilder

    path = tmp_path / "claims.yaml"
    path.write_text(AS_READ["clean"])
    assert sorted(parse_file(path, ClaimBuilder()).built) == [0, 1]
    path.write_text(AS_READ["anchors"])
    assert parse_file(path, ClaimBuilder()).built == {}
