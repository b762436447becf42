"""SARIF 2.1.0 (``--format sarif``): valid against the OASIS schema, one rule per finding code
with help, results where the JSON report puts the findings, the article as a related location,
and fingerprints that follow a finding across edits that move it."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from factcheck.findings import CODES
from factcheck.render import sarif
from tests.conftest import Cli

from .conftest import REPO, golden, sample_report, write_factcheck
from .test_ci_files import _run_step, check_jsonschema

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json").read_text("utf-8")
)
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)


def valid_sarif(text: str) -> dict[str, Any]:
    log = json.loads(text)
    errors = sorted(VALIDATOR.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    return log


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    return list(log["runs"][0]["results"])


def fingerprints(log: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (r["properties"].get("claim", ""), r["ruleId"]): r["partialFingerprints"][
            "factcheck/identity/v1"
        ]
        for r in results(log)
    }


def test_the_schema_rejects_what_is_not_sarif() -> None:
    """The validator is the real schema: a log without a tool is refused."""
    assert list(VALIDATOR.iter_errors({"version": "2.1.0", "runs": [{"results": []}]}))


def test_verify_as_sarif_is_valid_and_places_every_finding_like_the_json_report(
    cli: Cli, web: str, tmp_path: Path
) -> None:
    write_factcheck(tmp_path, base=web)
    common = ("verify", "--article", "article.md", "--allow-cidr", "127.0.0.1/32", "--no-cache")
    sarif = cli(*common, "--format", "sarif")
    assert sarif.code == 1  # the gate, as in every format
    log = valid_sarif(sarif.out)
    report = json.loads(cli(*common, "--format", "json").out)

    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "factcheck"
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == list(CODES)
    for rule in rules:
        assert rule["help"]["text"].strip(), rule["id"]
        assert rule["defaultConfiguration"]["level"] == CODES[rule["id"]].severity.value
    assert "archive_url" in rules[list(CODES).index("FC401")]["help"]["text"]

    placed = [
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in results(log)
    ]
    expected = [
        (f["code"], f["severity"], f["file"], f["line"], f["column"]) for f in report["findings"]
    ]
    assert placed == expected
    assert {"FC401", "FC601", "FC602"} <= {p[0] for p in placed}
    for r in results(log):
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True and invocation["exitCode"] == 1


ARTICLE = """\
# Harbour budget

The council approved the budget on Tuesday.

## Ferries

The ferry runs twice a day. The council approved the budget on Tuesday.
"""

CLAIMS = """\
version: 1
article:
  title: Harbour budget
  url: https://news.example.com/harbour
  publisher: The Example Courier
  text: article.md
claims:
  - id: C001
    quote: "The council approved the budget on Tuesday."
    status: pending
  - id: C002
    quote: "The ferry runs three times a day."
    status: pending
    rationle: The timetable says twice.
"""


def test_the_article_position_is_a_related_location(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "article.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    log = valid_sarif(cli("validate", "--format", "sarif").out)
    by_rule = {r["ruleId"]: r for r in results(log)}
    twice = by_rule["FC302"]  # the quote is in the article twice: the first place is given
    related = twice["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "article.md"
    assert related["region"]["startLine"] == 3
    assert twice["locations"][0]["physicalLocation"]["region"]["startLine"] == 9
    # A quote not in the article points at the article without a line.
    missing = by_rule["FC301"]["relatedLocations"][0]["physicalLocation"]
    assert missing == {"artifactLocation": {"uri": "article.md"}}
    # Findings about the claims file alone have no related location.
    assert "relatedLocations" not in by_rule["FC102"]


def test_fingerprints_follow_a_finding_when_lines_move(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "article.md").write_text(ARTICLE, encoding="utf-8")
    claims = tmp_path / "claims.yaml"
    claims.write_text(CLAIMS, encoding="utf-8")
    before = valid_sarif(cli("validate", "--format", "sarif").out)
    again = valid_sarif(cli("validate", "--format", "sarif").out)
    assert fingerprints(before) == fingerprints(again)
    prints = [r["partialFingerprints"]["factcheck/identity/v1"] for r in results(before)]
    assert len(set(prints)) == len(prints)  # no two results share one

    # Comments above the claims move every finding down three lines: same fingerprints.
    claims.write_text("# one\n# two\n# three\n" + CLAIMS, encoding="utf-8")
    moved = valid_sarif(cli("validate", "--format", "sarif").out)
    assert fingerprints(moved) == fingerprints(before)
    lines = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in results(moved)
        if r["ruleId"] == "FC302"
    }
    assert lines == {"FC302": 12}

    # Another claim id is another finding.
    claims.write_text(CLAIMS.replace("C002", "C009"), encoding="utf-8")
    renamed = fingerprints(valid_sarif(cli("validate", "--format", "sarif").out))
    assert renamed[("C001", "FC302")] == fingerprints(before)[("C001", "FC302")]
    assert renamed[("C009", "FC301")] != fingerprints(before)[("C002", "FC301")]


def test_a_saved_run_renders_the_same_fingerprints(cli: Cli, web: str, tmp_path: Path) -> None:
    write_factcheck(tmp_path, base=web)
    common = ("verify", "--article", "article.md", "--allow-cidr", "127.0.0.1/32", "--no-cache")
    direct = valid_sarif(cli(*common, "--format", "sarif").out)
    cli(*common, "--format", "json", "-o", "run.json")
    saved = cli("report", "--from", "run.json", "--format", "sarif")
    assert saved.code == 1
    from_saved = valid_sarif(saved.out)
    assert [r["partialFingerprints"] for r in results(from_saved)] == [
        r["partialFingerprints"] for r in results(direct)
    ]


def test_fingerprints_are_the_json_reports_finding_keys(cli: Cli, web: str, tmp_path: Path) -> None:
    """SARIF, ``findings[].key`` and ``--baseline`` name a finding the same way."""
    import hashlib

    write_factcheck(tmp_path, base=web)
    common = ("verify", "--article", "article.md", "--allow-cidr", "127.0.0.1/32", "--no-cache")
    report = json.loads(cli(*common, "--format", "json").out)
    log = valid_sarif(cli(*common, "--format", "sarif").out)
    keys = sorted(
        hashlib.sha256("\x00".join(f["key"]).encode("utf-8")).hexdigest()
        for f in report["findings"]
    )
    assert len(keys) == len(set(keys)) > 3
    assert sorted(r["partialFingerprints"]["factcheck/identity/v1"] for r in results(log)) == keys


def test_evidence_findings_of_one_claim_differ_by_url(cli: Cli, web: str, tmp_path: Path) -> None:
    """Two broken links of one claim are two alerts, told apart by their URLs."""
    write_factcheck(tmp_path, base=web)
    claims = tmp_path / "claims.yaml"
    text = claims.read_text(encoding="utf-8").replace(
        "        archive_url: https://web.archive.org/web/2026/" + web + "/tram\n",
        "      - url: " + web + "/also-gone\n        title: T\n        publisher: P\n"
        "        stance: contradicts\n",
    )
    claims.write_text(text.replace(web + "/tram", web + "/gone-too"), encoding="utf-8")
    log = valid_sarif(
        cli(
            "verify",
            "--article",
            "article.md",
            "--allow-cidr",
            "127.0.0.1/32",
            "--no-cache",
            "--format",
            "sarif",
            "--claim",
            "C003",
        ).out
    )
    broken = [r for r in results(log) if r["ruleId"] == "FC401"]
    assert len(broken) == 2
    assert len({json.dumps(r["partialFingerprints"]) for r in broken}) == 2


def test_paths_are_relative_to_the_github_workspace(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks = tmp_path / "fact-checks" / "harbour"
    checks.mkdir(parents=True)
    (checks / "article.md").write_text(ARTICLE, encoding="utf-8")
    (checks / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    log = valid_sarif(cli("validate", "claims.yaml", "--format", "sarif", cwd=checks).out)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results(log)}
    assert uris == {"fact-checks/harbour/claims.yaml"}
    related = {
        r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in results(log)
        if "relatedLocations" in r
    }
    assert related == {"fact-checks/harbour/article.md"}
    # The annotations resolve against the workspace too.
    github = cli("validate", "claims.yaml", "--format", "github", cwd=checks).out
    assert "::error file=fact-checks/harbour/claims.yaml,line=" in github


def test_an_unusable_file_is_still_one_valid_log(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("version: 7\nclaims: [\n", encoding="utf-8")
    result = cli("validate", "--format", "sarif")
    assert result.code == 2
    log = valid_sarif(result.out)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert [r["ruleId"] for r in results(log)] == ["FC101"]


# --------------------------------------------------------------------------- code scanning in CI

SCANNING = REPO / "docs" / "examples" / "github-code-scanning.yml"


def test_the_code_scanning_workflow_is_valid_and_in_the_readme() -> None:
    result = check_jsonschema("vendor.github-workflows", SCANNING)
    assert result.returncode == 0, result.stdout + result.stderr
    text = SCANNING.read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    assert flow["permissions"] == {"contents": "read", "security-events": "write"}
    upload = flow["jobs"]["factcheck"]["steps"][-1]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ steps.factcheck.outputs.sarif }}"
    assert f"```yaml\n{text}```" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_action_writes_the_run_as_sarif(tmp_path: Path) -> None:
    work = tmp_path / "repo"
    write_factcheck(work)
    runner = tmp_path / "runner"
    runner.mkdir()
    (runner / "output").write_text("")
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(runner / "output"),
        "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        "GITHUB_WORKSPACE": str(work),
        "SOURCE_DATE_EPOCH": "1795000000",
        "NO_COLOR": "1",
        "__expr__inputs.paths": "claims.yaml",
        "__expr__inputs.fail-on": "",
        "__expr__inputs.args": "--offline --article article.md",
    }
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert "sarif" in action["outputs"]
    steps = {step["name"]: step for step in action["runs"]["steps"]}
    assert _run_step(steps["Verify"], env, work) == 0
    assert _run_step(steps["Annotate and write the report"], env, work) == 0
    sarif = env["__expr__steps.render.outputs.sarif"]
    assert sarif == str(runner / "factcheck" / "run.sarif")
    log = valid_sarif(Path(sarif).read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results(log)}
    assert uris == {"claims.yaml"}
    assert "FC601" in {r["ruleId"] for r in results(log)}


def test_sarif_golden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    text = sarif.render(sample_report())
    valid_sarif(text)
    golden("sample.sarif", text)
