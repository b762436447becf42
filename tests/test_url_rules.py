"""--include over --exclude and .factcheckignore, --remap rules, and ignore files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.urls import UrlRules, parse_remap, read_ignore_file, remapped


def test_include_overrides_exclude_and_ignore() -> None:
    rules = UrlRules(
        includes=(re.compile(r"^https://courts\.example\.org/public/"),),
        excludes=(re.compile(r"^https://courts\.example\.org/"),),
    )
    ignores = [re.compile(r"/public/drafts/")]
    assert rules.skipped_by("https://courts.example.org/cases/1") == (
        "--exclude '^https://courts\\\\.example\\\\.org/'"
    )
    assert rules.skipped_by("https://courts.example.org/public/1") is None
    assert rules.skipped_by("https://courts.example.org/public/drafts/2", ignores) is None
    assert rules.skipped_by("https://news.example.com/drafts/2", ignores) is None
    assert rules.skipped_by("https://x.example/public/drafts/2", ignores) == (
        ".factcheckignore '/public/drafts/'"
    )


def test_the_first_matching_remap_applies_once() -> None:
    rules = [
        parse_remap(r"^https://staging\.example\.com/(.*) https://www.example.com/\1"),
        parse_remap("^https://www.example.com/ https://never.example/"),
        parse_remap(r"  ^https://old\.example\.org   https://new.example.org  "),
    ]
    assert (
        remapped("https://staging.example.com/a/b?c=1", rules) == "https://www.example.com/a/b?c=1"
    )
    assert remapped("https://www.example.com/x", rules) == "https://never.example/x"
    assert remapped("https://old.example.org/p", rules) == "https://new.example.org/p"
    assert remapped("https://other.example/", rules) == "https://other.example/"


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("https://only-one-word.example/", "write 'REGEX REPLACEMENT'"),
        ("([a-z https://x.example/", "is not a regular expression"),
        ("^https://a.example/ ftp://b.example/", "must be an http(s) URL"),
        (r"^https://a.example/ https://b.example/\2", "invalid group reference"),
    ],
)
def test_a_bad_remap_is_one_clear_line(spec: str, says: str) -> None:
    with pytest.raises(FactcheckError, match=re.escape(says)):
        parse_remap(spec)


def test_an_ignore_file_has_patterns_comments_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / ".factcheckignore"
    path.write_text(
        "# links we cannot check\n\n^https://intranet\\.example/\n  web\\.archive\\.org  \n",
        encoding="utf-8",
    )
    assert [p.pattern for p in read_ignore_file(path)] == [
        "^https://intranet\\.example/",
        "web\\.archive\\.org",
    ]
    path.write_text("# fine\n[unclosed\n", encoding="utf-8")
    with pytest.raises(FactcheckError, match=r"\.factcheckignore:2: '\[unclosed'"):
        read_ignore_file(path)
