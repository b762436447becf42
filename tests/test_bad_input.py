"""Issue 2's "What bad input gets", one test each, as the user sees it on the command line:
the located line, the exit code, no traceback, quickly, in bounded memory.

(The loader and rule tests check the same cases in detail; this is the user's view.)
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.common import HEAD, snippet
from tests.conftest import Cli
from tests.load.test_loader import billion_laughs

Setup = Callable[[Path], None]


def text(body: str) -> Setup:
    return lambda base: (base / "claims.yaml").write_text(snippet(body), encoding="utf-8")


def raw(data: bytes) -> Setup:
    return lambda base: (base / "claims.yaml").write_bytes(data)


def big(base: Path) -> None:
    line = "# " + "x" * 97 + "\n"
    (base / "claims.yaml").write_text("version: 1\n" + line * (25 * 1048576 // 100), "utf-8")


def empty_directory(base: Path) -> None:
    (base / "claims.yaml").mkdir()  # the default path, a directory without claims files


def fifo(base: Path) -> None:
    os.mkfifo(base / "claims.yaml")


FATAL: dict[str, tuple[Setup, str]] = {
    "yaml-syntax-error": (
        text("version: 1\nclaims: [a, b\n"),
        "claims.yaml:3:1: error FC101 YAML syntax error: did not find expected ',' or ']'",
    ),
    "empty-file": (text(""), "claims.yaml:1:1: error FC101 the file is empty"),
    "top-level-list": (
        text("- version: 1\n"),
        "claims.yaml:1:1: error FC101 the top level "
        "is a list; a claims file is a mapping with `version: 1`",
    ),
    "no-version": (
        text("claims: []\n"),
        "claims.yaml:1:1: error FC101 no `version` key; add `version: 1` at the top",
    ),
    "version-2": (
        text("version: 2\n"),
        "claims.yaml:1:10: error FC101 unsupported version '2'; this factcheck reads version 1",
    ),
    "binary-file": (
        raw(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "claims.yaml:1:1: error FC101 binary file (NUL bytes); not a claims file",
    ),
    "non-utf8": (
        raw(b"version: 1\r\nx-note: caf\xe9\r\n"),
        "claims.yaml:2:12: error FC101 not UTF-8 (byte 0xe9); save the file as UTF-8",
    ),
    "directory-without-claims-files": (
        empty_directory,
        "claims.yaml: error FC101 no claims.yaml or *.claims.yaml files in this directory",
    ),
    "missing-file": (lambda base: None, "claims.yaml: error FC101 no such file"),
    "25-mb-file": (
        big,
        "claims.yaml:1:1: error FC101 file is 25.0 MiB; claims files over 20 MiB are refused",
    ),
    "200-aliases": (
        text("version: 1\nx: &x 1\nl: [" + ", ".join(["*x"] * 200) + "]\n"),
        "claims.yaml:3:405: error FC101 more than 100 aliases; refused",
    ),
    "billion-laughs": (
        text(billion_laughs()),
        "claims.yaml:8:58: error FC101 aliases expand the document too far: they repeat "
        "1,019,509 nodes (at most 1,000,000); refused at alias *lol5",
    ),
    "100000-nested-brackets": (
        text("[" * 100_000),
        "claims.yaml:1:1001: error FC101 YAML syntax error: exceeded maximum nesting depth",
    ),
    "recursive-alias": (
        text("version: 1\nx: &a [*a]\n"),
        "claims.yaml:2:8: error FC101 alias *a refers to a node that contains it; refused",
    ),
    "fifo": (fifo, "claims.yaml:1:1: error FC101 not a regular file; not a claims file"),
}


@pytest.mark.parametrize("case", list(FATAL))
def test_unusable_file_is_one_located_line_and_exit_2(
    case: str,
    tmp_path: Path,
    cli: Cli,
) -> None:
    setup, expected = FATAL[case]
    setup(tmp_path)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = cli("validate")
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert result.code == 2, result
    assert result.out.splitlines()[0] == expected
    assert "cannot check: a claims file cannot be used" in result.out
    assert "Traceback" not in result.out + result.err
    assert elapsed < 3, f"{elapsed:.2f} s"
    assert peak < 64 * 1048576, f"{peak / 1048576:.0f} MiB"


LOCATED: dict[str, tuple[str, list[str]]] = {
    "duplicate-keys": (
        "- id: C001\n  quote: q\n  status: opinion\n  status: supported\n  rationale: r\n",
        [
            "claims.yaml:10:5: error FC103 [C001] duplicate key 'status' (first at line 9); "
            "the first is used"
        ],
    ),
    "unknown-key-did-you-mean": (
        "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n  tag: [x]\n",
        ["claims.yaml:11:5: error FC102 [C001] unknown key 'tag'; did you mean 'tags'?"],
    ),
    "x-keys-accepted": (
        "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n  x-anything: {a: [1]}\n",
        [],
    ),
    "wrong-types": (
        "- id: C001\n  quote: [a]\n  status: opinion\n  rationale: r\n  evidence: {}\n",
        [
            "claims.yaml:8:12: error FC104 [C001] quote must be text, not a list or mapping",
            "claims.yaml:11:15: error FC104 [C001] evidence must be a list",
        ],
    ),
    "no-and-1984-read-as-text": (
        "- id: C001\n  quote: NO\n  status: opinion\n  rationale: 1984\n  tags: [yes, 010]\n",
        [],
    ),
    "bad-date": (
        "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n  checked_on: 2024-02-30\n",
        [
            "claims.yaml:11:17: error FC104 [C001] checked_on: '2024-02-30' is not a valid date "
            "(day is out of range for month)"
        ],
    ),
    "bad-url": (
        "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n  evidence:\n"
        "    - {url: 'example.org/page', title: T, publisher: P}\n",
        ["claims.yaml:12:15: error FC201 [C001] url is not absolute (no http:// or https://)"],
    ),
    "url-with-credentials": (
        "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n  evidence:\n"
        "    - {url: 'https://me:secret@example.org/', title: T, publisher: P}\n",
        [
            "claims.yaml:12:15: error FC201 [C001] url has credentials in it; remove the user "
            "name and password"
        ],
    ),
    "bad-id": (
        "- id: claim-1\n  quote: q\n  status: opinion\n  rationale: r\n",
        [
            "claims.yaml:7:9: error FC104 [claim-1] bad claim id: use a capital letter, then "
            "capitals, digits, '_' or '-' (e.g. C001)"
        ],
    ),
    "duplicate-ids": (
        "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n"
        "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n",
        ["claims.yaml:11:9: error FC105 [C001] claim id C001 is used twice (first at line 7)"],
    ),
    "bad-status": (
        "- id: C001\n  quote: q\n  status: true\n  rationale: r\n",
        [
            "claims.yaml:9:13: error FC104 [C001] bad status 'true'; expected 'supported', "
            "'partially_supported', 'contradicted', 'unverified', 'opinion' or 'pending'"
        ],
    ),
    "missing-stance-and-the-other-claims-still-checked": (
        "- id: C001\n  quote: q\n  status: contradicted\n  rationale: r\n  evidence:\n"
        "    - {url: 'https://a.example.org/', title: T, publisher: P}\n"
        "- id: C002\n  quote: q\n  status: wrong\n  rationale: r\n"
        "- id: C003\n  quote: q\n  status: opinion\n",
        [
            "claims.yaml:9:13: error FC202 [C001] a contradicted claim needs evidence that "
            "contradicts it",
            "claims.yaml:12:9: error FC202 [C001] evidence of a contradicted claim must say its "
            "stance (supports, contradicts or context)",
            "claims.yaml:15:13: error FC104 [C002] bad status 'wrong'; expected 'supported', "
            "'partially_supported', 'contradicted', 'unverified', 'opinion' or 'pending'",
            "claims.yaml:19:13: error FC203 [C003] an opinion claim needs a rationale: say what "
            "the sources show",
        ],
    ),
}


@pytest.mark.parametrize("case", list(LOCATED))
def test_problems_in_a_usable_file_are_located_findings(
    case: str,
    tmp_path: Path,
    cli: Cli,
) -> None:
    claims, expected = LOCATED[case]
    body = "".join(f"  {line}\n" for line in claims.splitlines())
    (tmp_path / "claims.yaml").write_text(HEAD + body, encoding="utf-8")
    result = cli("validate")
    errors = [line for line in result.out.splitlines() if ": error FC" in line]
    assert errors == expected
    assert result.code == (1 if expected else 0)
    assert "Traceback" not in result.out + result.err
    # every claims file without article text also says its quotes were not anchored
    assert "claims.yaml:3:3: warning FC304 no article text" in result.out


def test_a_claims_file_that_is_a_symlink_loop_is_fc101_not_a_crash(
    tmp_path: Path, cli: Cli
) -> None:
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "claims.yaml").symlink_to("claims.yaml")
    result = cli("validate", "desk")
    assert result.code == 2, result
    assert result.out.splitlines()[0] == (
        "desk/claims.yaml: error FC101 cannot read file: Too many levels of symbolic links"
    )
    assert "internal error" not in result.out + result.err
