"""``factcheck report``: reports/<slug>.md, --from RUN.json, --summary, -o, and real runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.render import json as json_renderer
from factcheck.render import markdown
from factcheck.report.json import from_json as report_from_json
from factcheck.report.split import report_slug, slugify
from tests.conftest import Cli

from .conftest import assert_valid_report, golden, sample_report, write_factcheck

SLUG = "budget-2026-the-citys-numbers"


def test_report_writes_reports_slug_md_whatever_the_verdict(cli: Cli, fact_check: Path) -> None:
    run = cli("report", "--offline", "--article", "article.md")
    assert run.code == 1  # pending and contradicted claims in draft mode
    assert run.out == ""  # stdout carries only a rendered report, and this one went to a file
    assert f"factcheck: wrote reports/{SLUG}.md" in run.err
    assert "factcheck: failed: 2 errors" in run.err and "links and quotes not checked" in run.err
    text = (fact_check.parent / "reports" / f"{SLUG}.md").read_text(encoding="utf-8")
    golden("offline-report.md", text)
    assert "Links and quotes were not checked (offline run)." in text.splitlines()[4]
    assert "`offline` = `true` (from --offline)" in text
    assert "- **Article text:** the local copy given with `--article`: `article.md`" in text
    assert not list((fact_check.parent / "reports").glob(".*"))  # no temporary file left


def test_report_passes_when_the_gate_passes(cli: Cli, fact_check: Path) -> None:
    run = cli("report", "--offline", "--article", "article.md", "--fail-on", "never")
    assert run.code == 0
    text = (fact_check.parent / "reports" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert text.splitlines()[2] == (
        "**Not known yet whether it may be published: links and quotes were not checked; "
        "nothing else blocks it. 1 claim could not be confirmed (listed below).**"
    )
    assert text.splitlines()[4].startswith("The CI gate passes: it is set never to fail.")


def test_report_against_a_local_web(cli: Cli, tmp_path: Path, web: str) -> None:
    write_factcheck(tmp_path, base=web)
    run = cli(
        "report",
        "--article",
        "article.md",
        "--allow-cidr",
        "127.0.0.1/32",
        "--no-cache",
        "--timeout",
        "2",
        "--retries",
        "0",
        "--exclude",
        r"^https://web\.archive\.org/",  # no test leaves this machine, not even for DNS
    )
    assert run.code == 1, run.err
    text = (tmp_path / "reports" / f"{SLUG}.md").read_text(encoding="utf-8")
    port = web.rsplit(":", 1)[1]
    golden("served-report.md", text.replace(port, "PORT"))
    assert text.splitlines()[2] == (
        "**Not ready to publish: 1 claim contradicted, 1 unchecked, 2 broken links.**"
    )
    assert "link: ✅ ok · passage: ✅ found" in text
    assert "link: ❌ broken: http-status (HTTP 404" in text  # /budget.pdf is a 404
    assert "redirected to" in text  # /moved -> /schools


def test_from_json_renders_without_checking_again(cli: Cli, fact_check: Path) -> None:
    run = cli("verify", "--offline", "--article", "article.md", "-f", "json", "-o", "run.json")
    assert run.code == 1
    assert_valid_report((fact_check.parent / "run.json").read_text())
    fact_check.unlink()  # nothing left to check: --from must not need it
    again = cli("report", "--from", "run.json")
    assert again.code == 1, again.err
    saved = (fact_check.parent / "reports" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "# Fact-check: Budget 2026: the city's numbers" in saved
    assert "`factcheck verify`" in saved
    assert "- **Claim coverage:** 3 of 4 check-worthy sentences of the article (75%)" in saved
    # --fail-on judges the saved findings again.
    assert cli("report", "--from", "run.json", "--fail-on", "never", "-o", "-").code == 0


def test_from_json_round_trip_renders_identically() -> None:
    report = sample_report()
    data = json.loads(json_renderer.render(report))
    assert_valid_report(data)
    again = report_from_json(data)
    assert markdown.render(again) == markdown.render(report)
    assert json_renderer.render(again) == json_renderer.render(report)


def test_summary_and_other_formats_from_a_saved_run(
    cli: Cli, fact_check: Path, tmp_path: Path
) -> None:
    cli("verify", "--offline", "--article", "article.md", "-f", "json", "-o", "run.json")
    summary = cli("report", "--from", "run.json", "--summary")
    assert summary.code == 1
    assert summary.out.startswith("## factcheck: Budget 2026")
    assert "**What blocks the gate (2):**" in summary.out
    assert not (tmp_path / "reports").exists()
    github = cli("report", "--from", "run.json", "--format", "github")
    assert github.out.startswith("::error file=claims.yaml,line=")
    junit = cli("report", "--from", "run.json", "-f", "junit", "-o", "results.xml")
    assert junit.code == 1 and (tmp_path / "results.xml").read_text().startswith("<?xml")
    assert cli("report", "--from", "run.json", "--summary", "-f", "json").code == 2


def test_github_format_appends_the_step_summary(
    cli: Cli, fact_check: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = cli("verify", "--offline", "--article", "article.md", "-f", "github")
    assert run.code == 1
    assert run.out.splitlines()[-1] == "factcheck: 3 findings annotated, 0 not annotated"
    assert summary.read_text().startswith("## factcheck: Budget 2026")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "not a JSON document"),
        ("[1, 2]", "expected an object"),
        ('{"schema_version": 2}', "schema_version 2"),
        ('{"schema_version": 1, "tool": {}}', "$.tool.version: missing"),
        ("[" * 100_000 + "]" * 100_000, "not a JSON document"),
        ("\xff\xfe", "not a JSON document"),
    ],
)
def test_from_refuses_what_is_not_a_report(
    cli: Cli, tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "run.json").write_text(
        content, encoding="latin-1" if "\xff" in content else "utf-8"
    )
    run = cli("report", "--from", "run.json")
    assert run.code == 2 and message in run.err and "Traceback" not in run.err, run.err
    as_json = cli("report", "--from", "run.json", "-f", "json")
    assert as_json.code == 2 and message in as_json.out  # one complete document, validated


def test_hostile_saved_reports_never_crash() -> None:
    good = json.loads(json_renderer.render(sample_report()))
    mutations: list[tuple[list[str | int], object]] = [
        (["claims", 0, "status"], "fabulous"),
        (["claims", 0, "line"], "nine"),
        (["claims", 0, "line"], True),
        (["claims", 0, "evidence", 0, "link"], "ok"),
        (["claims", 0, "evidence", 0, "link", "outcome"], "great"),
        (["claims", 0, "evidence", 0, "link", "reason"], "<script>"),
        (["claims", 0, "evidence", 0, "stance"], "agrees"),
        (["links", 0, "reason"], "fine"),
        (["claims", 0, "evidence", 0, "quote", "score"], "high"),
        (["findings", 0, "severity"], "fatal"),
        (["findings", 0, "line"], 0),
        (["files", 0, "mode"], None),
        (["links", 0, "claims", 0], "C001"),
        (["gate", "fail_on"], "sometimes"),
        (["settings"], {"a": 1}),
        (["claims"], None),
        (["summary", "coverage"], {"check_worthy": 1, "covered": 5, "percent": 500}),
        (["summary", "coverage"], {"check_worthy": "1", "covered": 0, "percent": 0}),
    ]
    for path, value in mutations:
        data = json.loads(json.dumps(good))
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        with pytest.raises(FactcheckError, match="not a factcheck JSON report"):
            report_from_json(data)


def test_refuses_options_that_need_a_new_check(cli: Cli, fact_check: Path) -> None:
    cli("verify", "--offline", "--article", "article.md", "-f", "json", "-o", "run.json")
    for extra in (["claims.yaml"], ["--mode", "review"], ["--timeout", "3"], ["--claim", "C001"]):
        run = cli("report", "--from", "run.json", *extra)
        assert run.code == 2 and "without checking again" in run.err


def test_output_never_overwrites_an_input(cli: Cli, fact_check: Path) -> None:
    run = cli("report", "--offline", "--article", "article.md", "-o", "claims.yaml")
    assert run.code == 2 and "refusing to write" in run.err
    assert fact_check.read_text().startswith("version: 1")
    cli("verify", "--offline", "--article", "article.md", "-f", "json", "-o", "run.json")
    assert cli("report", "--from", "run.json", "-o", "run.json").code == 2


def test_slug_clash_in_one_run_is_exit_2(cli: Cli, tmp_path: Path) -> None:
    write_factcheck(tmp_path / "one")
    write_factcheck(tmp_path / "two")
    run = cli("report", "--offline", ".")
    assert run.code == 2 and "two claims files would write" in run.err
    assert not (tmp_path / "reports").exists()


def test_one_report_per_file(cli: Cli, tmp_path: Path) -> None:
    write_factcheck(tmp_path / "one")
    second = write_factcheck(tmp_path / "two")
    second.write_text(
        second.read_text().replace("Budget 2026: the city's numbers", "Ünïcødé — Straße ✓")
    )
    run = cli("report", "--offline", ".")
    assert run.code == 1, run.err
    names = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert names == [f"{SLUG}.md", "unicode-strasse.md"]
    two = (tmp_path / "reports" / "unicode-strasse.md").read_text(encoding="utf-8")
    assert "`two/claims.yaml`" in two and "one/claims.yaml" not in two


def test_slugs() -> None:
    assert slugify("Hello to Arms: How Russia’s élite went to war") == (
        "hello-to-arms-how-russias-elite-went-to-war"
    )
    assert slugify("Путин и «Привет оружию»") == "putin-i-privet-oruzhiyu"
    assert len(slugify("word " * 40)) <= 60 and not slugify("word " * 40).endswith("-")
    assert re.fullmatch(r"[a-z0-9-]{1,60}", slugify("x" * 200))
    assert report_slug("中文标题", "dir/tea.claims.yaml") == "tea"
    assert report_slug(None, "claims.yaml") == "claims"
    assert report_slug("...", "---.claims.yaml") == "claims"


def test_report_from_the_command_line(cli: Cli, fact_check: Path) -> None:
    """stdout stays empty, the verdict goes to stderr, the exit code is the gate's."""
    result = cli("report", "--offline", "--article", "article.md", cwd=fact_check.parent)
    assert result.code == 1 and result.out == ""
    assert "factcheck: wrote reports/" in result.err
    summary = cli(
        "report", "--offline", "--article", "article.md", "--summary", cwd=fact_check.parent
    )
    assert summary.out.startswith("## factcheck: Budget 2026")
