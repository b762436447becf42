"""Helpers for rule and loader tests: a YAML snippet in, ``(code, line, column)`` out."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from factcheck.article import ArticleSource, ArticleText, from_markdown
from factcheck.findings import Finding
from factcheck.load.loader import LoadedFile, load_string
from factcheck.rules import check_file

TODAY = date(2026, 11, 27)

#: A valid head; claims start on line 7.
HEAD = """\
version: 1
article:
  title: The article
  url: https://news.example.com/article
  publisher: The Paper
claims:
"""


def snippet(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def article(markdown: str) -> ArticleText:
    return from_markdown(snippet(markdown), ArticleSource.OPTION, "article.md")


def load(text: str, name: str = "claims.yaml") -> LoadedFile:
    return load_string(snippet(text), name)


def run_rules(text: str, markdown: str | None = None) -> list[Finding]:
    loaded = load(text)
    found = check_file(loaded, article(markdown) if markdown is not None else None, TODAY)
    return sorted(found, key=Finding.sort_key)


def codes(text: str, markdown: str | None = None) -> list[tuple[str, int | None, int | None]]:
    """The findings of families 1xx-3xx as sorted ``(code, line, column)``."""
    return [(f.code, f.line, f.column) for f in run_rules(text, markdown)]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(snippet(text), encoding="utf-8")
    return path


def claims_file(directory: Path, claims: str = "", *, head: str = HEAD) -> Path:
    """A claims.yaml in ``directory`` with the valid head and the given claims (indented 2)."""
    body = textwrap.indent(snippet(claims), "  ") if claims else "  []\n"
    if not claims:
        head = head.replace("claims:\n", "claims:")
    return write(directory / "claims.yaml", head + body)


GOOD_CLAIM = """\
- id: C001
  quote: The sky is blue
  status: supported
  rationale: The weather service says so.
  evidence:
    - url: https://weather.example.org/sky
      title: Sky colour
      publisher: Weather Service
"""
