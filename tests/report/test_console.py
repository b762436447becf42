"""The console: the problems first, grouped by claim, then the summary and the verdict."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from factcheck.findings import Finding, Location, Severity
from factcheck.render import console
from tests.conftest import Cli

from .conftest import sample_report

PROBLEM = re.compile(r"^\S+:\d+:\d+: (error|warning) FC\d{3}( \[[A-Z0-9_-]+\])? \S")


def test_default_shows_one_line_per_problem_grouped_by_claim() -> None:
    lines = console.render(sample_report(), width=100).splitlines()
    summary, verdict = lines[-2:]
    problems = lines[:-2]
    assert all(PROBLEM.match(line) for line in problems if line), problems
    # One group per claim, a blank line after each: C002, C003 (two problems), C004 (two), C006.
    groups = "\n".join(problems).strip("\n").split("\n\n")
    assert [re.findall(r"\[(C\d+)\]", group) for group in groups] == [
        ["C002"],
        ["C003", "C003"],
        ["C004", "C004"],
        ["C006"],
    ]
    assert summary.startswith("1 file, 6 claims (1 supported, 1 partially_supported")
    assert verdict == "failed: 2 errors, 4 warnings; blocking: FC601, FC602 (1 quote not checked)"
    # Claims and links that are fine are not listed by default.
    assert "C001" not in "\n".join(lines) and "https://" not in "\n".join(lines)


def test_verbose_lists_every_claim_and_link_first() -> None:
    text = console.render(sample_report(), width=100, verbose=True)
    listing, problems = text.split("\n\n", 1)
    assert listing.splitlines()[0] == "claims.yaml"
    assert [line.split()[0] for line in listing.splitlines()[1:] if line.startswith("  C")] == [
        "C001",
        "C002",
        "C003",
        "C004",
        "C005",
        "C006",
    ]
    assert "    ok       ok                   https://council.example.org/minutes  quote found" in (
        listing
    )
    assert problems.startswith("claims.yaml:30:9: warning FC502 [C002]")
    assert text == console.render(sample_report(), width=100, verbose=True)


def test_file_level_problems_form_their_own_group() -> None:
    report = sample_report()
    extra = Finding("FC304", "no article text", Location("claims.yaml", 3, 3), None)
    report = replace(report, findings=[extra, *report.findings])
    text = console.render(report, width=100)
    assert text.startswith("claims.yaml:3:3: error FC304 no article text\n\nclaims.yaml:30:9")


def test_colour_is_one_print_per_block_and_carries_no_markup() -> None:
    report = sample_report()
    hostile = Finding(
        "FC104", "[bold red]not markup[/] \x1b[31m", Location("claims.yaml", 1, 1), "C9"
    )
    report = replace(report, findings=[hostile, *report.findings])
    coloured = console.render(report, width=100, color=True)
    assert "\x1b[" in coloured
    assert "[bold red]not markup[/]" in coloured  # shown as text, never read as markup
    plain = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert plain == console.render(report, width=100, color=False)
    assert "not markup[/] [31m" in plain  # the escape character itself is stripped


def test_many_problems_render_in_one_pass() -> None:
    report = sample_report()
    findings = [
        Finding(
            "FC208",
            "evidence without title",
            Location("claims.yaml", i + 1, 5),
            claim=f"C{i:05d}",
            severity=Severity.WARNING,
        )
        for i in range(10_000)
    ]
    text = console.render(replace(report, findings=findings), width=100)
    assert text.count("warning FC208") == 10_000
    assert text.count("\n\n") == 10_000  # one group per claim


def test_cli_default_and_verbose(cli: Cli, fact_check: Path) -> None:
    quiet = cli("verify", "--offline", "--article", "article.md")
    verbose = cli("verify", "--offline", "--article", "article.md", "-v")
    assert quiet.code == verbose.code == 1
    assert "  C001  supported" not in quiet.out and "  C001  supported" in verbose.out
    assert quiet.out.splitlines()[0].startswith("claims.yaml:")
    assert verbose.out.endswith("\n\n" + quiet.out)  # the same problems, after the listing
