"""The JSON report's schema and docs, the GitHub Action, the example workflow, the pre-commit
hook and the README's configuration example: valid, in sync, and working."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from factcheck.links.types import Reason
from factcheck.load.model import Status
from factcheck.quotes import QuoteSkip
from factcheck.settings import ConfigFile, parse_config
from tests.conftest import Cli

from .conftest import REPO, SCHEMA, assert_valid_report, write_factcheck

DOCS = REPO / "docs"
ACTION = REPO / "action.yml"
WORKFLOW = DOCS / "examples" / "github-workflow.yml"


# --------------------------------------------------------------------------- the JSON schema


def test_published_schema_is_the_packaged_one_and_valid(cli: Cli) -> None:
    packaged = (REPO / "src" / "factcheck" / "json-report.schema.json").read_bytes()
    assert (DOCS / "json-report.schema.json").read_bytes() == packaged
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    run = cli("schema", "--report")
    assert run.code == 0 and json.loads(run.out) == SCHEMA


def test_schema_words_are_the_code_words() -> None:
    defs = SCHEMA["$defs"]
    assert defs["status"]["enum"] == [s.value for s in Status]
    assert defs["link_result"]["properties"]["reason"]["enum"] == [r.value for r in Reason]
    quote_reasons = defs["quote_result"]["properties"]["reason"]["anyOf"][0]["enum"]
    assert quote_reasons == [q.value for q in QuoteSkip]


def test_docs_describe_every_field() -> None:
    text = (DOCS / "json-report.md").read_text(encoding="utf-8")

    def keys(schema: Any) -> set[str]:
        found: set[str] = set()
        if isinstance(schema, dict):
            found |= set(schema.get("properties", {}))
            for value in schema.values():
                found |= keys(value)
        elif isinstance(schema, list):
            for value in schema:
                found |= keys(value)
        return found

    missing = sorted(k for k in keys(SCHEMA) if not re.search(rf"\b{re.escape(k)}\b", text))
    assert not missing, missing


def test_every_kind_of_json_report_validates(cli: Cli, tmp_path: Path) -> None:
    write_factcheck(tmp_path)
    for args in (
        ("validate", "--article", "article.md"),
        ("validate",),
        ("verify", "--offline", "--article", "article.md", "--claim", "C003"),
        ("verify", "--offline", "--article", "article.md", "--mode", "review"),
        ("report", "--offline", "--article", "article.md", "-f", "json"),
    ):
        run = cli(*args, "--format" if args[0] != "report" else "-f", "json")
        assert run.code in (0, 1), run.err
        assert_valid_report(run.out)
    # Exit 2: a file that cannot be used still gives one complete document.
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "claims.yaml").write_text("version: 2\n")
    run = cli("validate", "broken", "--format", "json")
    assert run.code == 2
    data = assert_valid_report(run.out)
    assert data["findings"][0]["code"] == "FC101"


# --------------------------------------------------------------------------- GitHub


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with its vendored copy of GitHub's schemas: no network needed."""
    env = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("vendor.github-actions", ACTION),
        ("vendor.github-workflows", WORKFLOW),
        ("custom.github-workflows-require-timeout", WORKFLOW),
    ],
)
def test_action_and_workflow_validate_offline(schema: str, path: Path) -> None:
    result = check_jsonschema(schema, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_gates_pull_requests_read_only_and_the_readme_shows_it() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    assert "pull_request" in flow[True]  # YAML 1.1 reads the key `on` as true
    assert flow["permissions"] == {"contents": "read"}
    steps = flow["jobs"]["factcheck"]["steps"]
    assert any(str(step.get("uses", "")).startswith("your-org/factcheck@") for step in steps)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"```yaml\n{text}```" in readme


def test_action_is_composite_and_pins_nothing_it_does_not_need() -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert all(re.fullmatch(r"actions/[a-z-]+@v\d+", u) for u in uses), uses
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert "github.head_ref || github.ref_name" in cache["with"]["key"]
    # Inputs reach the shell through the environment, never pasted into the script.
    for step in steps:
        assert "${{ inputs." not in step.get("run", ""), step["name"]


def _run_step(step: dict[str, Any], env: dict[str, str], cwd: Path) -> int:
    """Run one ``run:`` step of the action as the runner would (bash -e)."""
    outputs = Path(env["GITHUB_OUTPUT"])
    expanded = {}
    for key, value in step.get("env", {}).items():
        expanded[key] = re.sub(
            r"\$\{\{ *([^}]+?) *\}\}", lambda m: env.get("__expr__" + m.group(1), ""), str(value)
        )
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=cwd,
        env={**env, **expanded},
        capture_output=True,
        text=True,
        timeout=120,
    )
    env["__log__"] = env.get("__log__", "") + result.stdout + result.stderr
    for line in outputs.read_text().splitlines():
        name, _, value = line.partition("=")
        env[f"__expr__steps.{step.get('id', '')}.outputs.{name}"] = value
    return result.returncode


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_action_steps_verify_annotate_summarise_and_gate(tmp_path: Path) -> None:
    work = tmp_path / "repo"
    write_factcheck(work)
    runner = tmp_path / "runner"
    runner.mkdir()
    (runner / "output").write_text("")
    bin_dir = Path(sys.executable).parent
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(runner / "output"),
        "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        "SOURCE_DATE_EPOCH": "1795000000",
        "NO_COLOR": "1",
        "__expr__inputs.paths": "claims.yaml",
        "__expr__inputs.fail-on": "",
        "__expr__inputs.args": "--offline --article article.md",
    }
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    steps = {step["name"]: step for step in action["runs"]["steps"]}
    assert _run_step(steps["Verify"], env, work) == 0
    assert env["__expr__steps.verify.outputs.exit-code"] == "1"
    assert_valid_report((runner / "factcheck" / "run.json").read_text())
    assert _run_step(steps["Annotate and write the report"], env, work) == 0
    assert "::error file=claims.yaml,line=" in env["__log__"]
    summary = (runner / "summary.md").read_text()
    assert summary.startswith("## factcheck: Budget 2026")
    assert "<details><summary>The full report</summary>\n\n# Fact-check: Budget" in summary
    assert (runner / "factcheck" / "report.md").read_text().startswith("# Fact-check: Budget")
    assert _run_step(steps["Gate"], env, work) == 1
    # When verify cannot check (exit 2, no JSON), the summary says so and the job fails.
    env["__expr__steps.verify.outputs.json"] = str(runner / "missing.json")
    env["__expr__steps.verify.outputs.exit-code"] = "2"
    assert _run_step(steps["Annotate and write the report"], env, work) == 0
    assert "factcheck could not check (exit 2)" in (runner / "summary.md").read_text()
    assert _run_step(steps["Gate"], env, work) == 2


# --------------------------------------------------------------------------- pre-commit, README


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "factcheck-validate")
    assert hook["entry"] == "factcheck validate" and hook["language"] == "python"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    for name in ("claims.yaml", "fact-checks/claims.yaml", "a/budget.claims.yaml"):
        assert files.search(name), name
    for name in ("claims.yaml.bak", "myclaims.yaml", "claims.yml", "notes/claims.yaml.txt"):
        assert not files.search(name), name


def test_readme_configuration_example_is_valid() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", readme, re.S)
    assert block is not None
    values = tomllib.loads(block.group(1))
    settings = parse_config(ConfigFile(Path("factcheck.toml"), "factcheck.toml", values))
    assert settings.levels and settings.link_config["excludes"]
