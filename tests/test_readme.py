"""The README teaches only what exists: every command and option it names, every finding code.

The finding codes table is generated from ``factcheck.findings.CODES``; after adding a code,
``UPDATE_README=1 pytest tests/test_readme.py`` rewrites it.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from factcheck.cli import app
from factcheck.findings import CODES

README = Path(__file__).resolve().parents[1] / "README.md"
CODES_START = re.compile(r"<!-- finding codes:[^\n]*-->\n")
CODES_END = "<!-- end of finding codes -->\n"
#: The quick start, character for character: other checks run these two lines.
QUICK_START = """\
```sh
python3 -m venv .venv && . .venv/bin/activate && pip install -e . && factcheck verify claims.yaml
python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && python -m pytest
```
"""
_FENCED = re.compile(r"^```([^\n]*)\n(.*?)^```", re.M | re.S)
_SHELL = {"", "sh", "bash", "shell", "console"}
_INLINE = re.compile(r"`(factcheck [^`]+)`")
_OR = "\u2502"
_SEPARATORS = {"&&", "||", ";", "|", ">", ">>", "<", "&", "2>", "2>&1"}


def readme() -> str:
    return README.read_text(encoding="utf-8")


def invocations(text: str) -> Iterator[list[str]]:
    """Every ``factcheck ...`` command line in shell code blocks and inline code, as tokens."""
    lines: list[str] = []
    for language, block in _FENCED.findall(text):
        if language.strip() in _SHELL:
            lines.extend(block.replace("\\\n", " ").splitlines())
    prose = _FENCED.sub("", text)
    # In tables, `a\|b` lists alternatives (`cache info\|clear`), not a pipe.
    lines.extend(m.group(1).replace("\\|", _OR) for m in _INLINE.finditer(prose))
    for line in lines:
        lexer = shlex.shlex(line.removeprefix("$ "), posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        tokens = [token.replace(_OR, "|") for token in lexer]
        command: list[str] | None = None
        for token in [*tokens, ";"]:
            if token in _SEPARATORS or set(token) <= set("&|;<>"):
                if command:
                    yield command
                command = None
            elif command is not None:
                command.append(token)
            elif token == "factcheck":
                command = [token]


def root_command() -> Any:
    """The click command tree typer builds (typer ships its own click: duck-typed here)."""
    return typer.main.get_command(app)


def subcommands(command: Any) -> dict[str, Any]:
    return dict(getattr(command, "commands", None) or {})


def _options(command: Any) -> set[str]:
    names = {"-h", "--help"}
    for param in command.params:
        if param.param_type_name == "option":
            names.update(param.opts)
            names.update(param.secondary_opts)
    return names


def unknown_parts(tokens: list[str], root: Any) -> list[str]:
    """The commands and options of one invocation that the CLI does not have."""
    command = root
    problems: list[str] = []
    path = ["factcheck"]
    for token in tokens[1:]:
        word = token.strip("[]")
        if word.startswith("-") and word != "-":
            option = word.split("=", 1)[0]
            if option not in _options(command):
                problems.append(f"{' '.join(path)} has no option {option}")
        elif subcommands(command) and word:
            for name in word.split("|"):
                if name not in subcommands(command):
                    problems.append(f"{' '.join(path)} has no command {name!r}")
            sub = subcommands(command).get(word.split("|")[0])
            if sub is None:
                break
            command = sub
            path.append(word.split("|")[0])
    return problems


def test_every_command_and_option_in_the_readme_exists() -> None:
    root = root_command()
    found = list(invocations(readme()))
    assert len(found) > 20  # the parser sees the README's commands
    problems = [p for tokens in found for p in unknown_parts(tokens, root)]
    assert problems == []


def test_the_checker_catches_what_does_not_exist() -> None:
    root = root_command()
    text = (
        "Run `factcheck verfy --offline`.\n\n```sh\nfactcheck verify --offlne && "
        "factcheck cache info\\\n  --cache-dir x | factcheck cache purge\n```\n"
    )
    problems = [p for tokens in invocations(text) for p in unknown_parts(tokens, root)]
    assert problems == [
        "factcheck verify has no option --offlne",
        "factcheck cache has no command 'purge'",
        "factcheck has no command 'verfy'",
    ]


def test_every_command_is_in_the_readme_and_its_help_has_an_example() -> None:
    root = root_command()
    named = {
        (first, second)
        for tokens in invocations(readme())
        for first in (tokens[1:2] or [""])[0].split("|")
        for second in (tokens[2:3] or [""])[0].split("|")
    }
    for name, command in subcommands(root).items():
        for sub, leaf in (subcommands(command) or {name: command}).items():
            wanted = (name,) if sub == name else (name, sub)
            assert any(n[: len(wanted)] == wanted for n in named), f"README lacks {wanted}"
            assert "Example" in (leaf.help or ""), f"{wanted} has no example in its help"


def codes_table() -> str:
    rows = ["| code | default severity | meaning |", "| --- | --- | --- |"]
    for info in CODES.values():
        summary = info.summary.replace("|", "\\|")
        rows.append(f"| {info.code} | {info.severity.value} | {summary} |")
    return "\n".join(rows) + "\n"


def test_the_codes_table_is_the_registry() -> None:
    text = readme()
    start = CODES_START.search(text)
    assert start is not None and CODES_END in text, "the codes table lost its markers"
    end = text.index(CODES_END)
    if os.environ.get("UPDATE_README"):
        README.write_text(text[: start.end()] + codes_table() + text[end:], encoding="utf-8")
        pytest.skip("README codes table rewritten")
    assert text[start.end() : end] == codes_table()
    for code in CODES:
        assert f"| {code} |" in text


def test_the_quick_start_is_untouched() -> None:
    text = readme()
    assert "## Quick start\n\n" + QUICK_START in text


def _table_words(name: str) -> set[str]:
    text = readme()
    start = text.index(f"<!-- {name}:")
    end = text.index(f"<!-- end of {name} -->", start)
    return set(re.findall(r"^\| `([a-z0-9-]+)`", text[start:end], re.MULTILINE)) | set(
        re.findall(r"`([a-z0-9-]+)`", text[start:end])
    )


def test_readme_outcome_tables_name_every_link_reason_and_quote_skip() -> None:
    from factcheck.links import Outcome, Reason
    from factcheck.quotes import QuoteSkip

    link_words = _table_words("link outcomes")
    assert {r.value for r in Reason} <= link_words
    assert {o.value for o in Outcome} <= link_words
    assert {q.value for q in QuoteSkip} <= _table_words("quote reasons")
