"""The command line as a user meets it: exit codes, help, the JSON report, the schema.

Exit codes (SPEC.md): 0 the gate passed, 1 it failed, 2 the tool could not do its job,
3 an internal error (one line, the traceback only with --debug), 130 interrupted,
143 terminated. Never a traceback for bad input.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from factcheck.cli import app
from tests.common import GOOD_CLAIM, HEAD, claims_file, write
from tests.conftest import REPO, Cli

NETWORK_MODULES = {"requests", "urllib3", "ssl", "http.client"}
STATUSES = ["supported", "partially_supported", "contradicted", "unverified", "opinion", "pending"]


ARTICLE = "# Title\n\nThe sky is *blue* today.\n"


def good_file(directory: Path) -> Path:
    write(directory / "article.md", ARTICLE)
    head = HEAD.replace("claims:\n", "  text: article.md\nclaims:\n")
    return claims_file(
        directory, GOOD_CLAIM.replace("The sky is blue", "The sky is blue"), head=head
    )


def failing_file(directory: Path) -> Path:
    return claims_file(
        directory,
        "- id: C001\n  quote: q\n  status: supported\n  rationale: r\n"
        "- id: C002\n  quote: q2\n  status: opinion\n  rationale: r\n  x-note: ok\n",
    )


# --------------------------------------------------------------------------- exit codes


def test_exit_0_when_the_gate_passes(cli: Cli, tmp_path: Path) -> None:
    good_file(tmp_path)
    result = cli("validate")
    assert result.code == 0, result
    assert result.out.splitlines()[-1].startswith("passed: 0 errors, 0 warnings")
    assert "1 file, 1 claim (1 supported)" in result.out
    assert result.err == ""


def test_exit_1_when_the_gate_fails(cli: Cli, tmp_path: Path) -> None:
    failing_file(tmp_path)
    result = cli("validate")
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if line]  # a blank line after each claim
    assert lines[0].startswith("claims.yaml:3:3: warning FC304 no article text")
    assert lines[1] == (
        "claims.yaml:9:13: error FC202 [C001] a supported claim needs evidence; none is given"
    )
    assert lines[-1].startswith("failed: 1 error, 1 warning; blocking: FC202")


def test_fail_on_decides_the_gate(cli: Cli, tmp_path: Path) -> None:
    claims_file(tmp_path, "- id: C001\n  quote: q\n  status: opinion\n  rationale: r\n")
    assert cli("validate").code == 0  # only the FC304 warning
    assert cli("validate", "--fail-on", "warning").code == 1
    failing_file(tmp_path)
    assert cli("validate", "--fail-on", "never").code == 0
    result = cli("validate", "--fail-on", "sometimes")
    assert result.code == 2
    assert "--fail-on must be one of error, warning, never" in result.err


def test_exit_2_when_a_file_cannot_be_used(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "claims.yaml", "version: 2\n")
    result = cli("validate")
    assert result.code == 2
    assert "claims.yaml:1:10: error FC101 unsupported version '2'" in result.out
    assert "cannot check" in result.out


def test_exit_2_for_a_usage_error(cli: Cli) -> None:
    result = cli("validate", "--no-such-flag")
    assert result.code == 2
    assert "No such option" in result.out + result.err
    assert "Traceback" not in result.out + result.err


def test_exit_3_for_an_internal_error_without_traceback(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import factcheck.pipeline

    def broken(options: object) -> None:
        raise RuntimeError("something the code did not expect")

    monkeypatch.setattr(factcheck.pipeline, "run", broken)
    good_file(tmp_path)
    result = cli("validate")
    assert result.code == 3
    assert result.out == ""
    assert result.err == (
        "factcheck: internal error: RuntimeError: something the code did not expect "
        "(this is a bug; run again with --debug for the traceback)\n"
    )
    debug = cli("--debug", "validate")
    assert debug.code == 3
    assert "Traceback (most recent call last)" in debug.err
    assert "in broken" in debug.err


# --------------------------------------------------------------------------- JSON report


def test_json_report_has_specs_shape(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "article.md", ARTICLE)
    head = HEAD.replace("claims:\n", "  text: article.md\nclaims:\n")
    claims_file(
        tmp_path,
        GOOD_CLAIM
        + "- id: C002\n  quote: not in it\n  status: contradicted\n  rationale: r\n  evidence:\n"
        "    - url: https://b.example.org/x\n      stance: contradicts\n      title: T\n"
        "      publisher: P\n      quote: a passage\n"
        "      archive_url: https://web.archive.org/web/2024/https://b.example.org/x\n",
        head=head,
    )
    result = cli("validate", "--format", "json")
    assert result.code == 1
    assert result.err.startswith("factcheck: failed: 1 error")  # the verdict goes to stderr
    report = json.loads(result.out)
    assert report["schema_version"] == 1
    assert report["tool"] == {"name": "factcheck", "version": report["tool"]["version"]}
    (file,) = report["files"]
    assert file["file"] == "claims.yaml"
    assert file["mode"] == "draft"
    assert file["article_source"] == "text"
    assert file["article"]["title"] == "The article"
    assert file["gate"] == {"passed": False, "reasons": ["FC301"]}
    assert report["gate"] == {
        "passed": False,
        "fail_on": "error",
        "reasons": ["FC301"],
        "offline": False,
    }
    summary = report["summary"]
    assert summary["claims"] == {
        "total": 2,
        **{s: 0 for s in STATUSES},
        "supported": 1,
        "contradicted": 1,
    }
    assert summary["links"] == {"ok": 0, "warning": 0, "broken": 0, "skipped": 0}
    assert summary["findings"] == {"error": 1, "warning": 0}
    first, second = report["claims"]
    assert (first["file"], first["id"], first["status"], first["line"], first["column"]) == (
        "claims.yaml",
        "C001",
        "supported",
        8,
        5,
    )
    (evidence,) = first["evidence"]
    assert evidence["url"] == "https://weather.example.org/sky"
    assert (evidence["line"], evidence["column"]) == (13, 14)
    # validate checks no links: link results are null; a quote is null without a quote
    assert evidence["link"] is None and evidence["archive_link"] is None
    assert evidence["quote"] is None
    assert second["evidence"][0]["link"] is None
    assert second["evidence"][0]["archive_link"] is None
    assert report["links"] == []
    assert report["findings"] == [
        {
            "code": "FC301",
            "severity": "error",
            "message": report["findings"][0]["message"],
            "file": "claims.yaml",
            "line": 17,
            "column": 12,
            "claim": "C002",
            "article_line": None,
            # the identity: file, claim, code, and no URL (the finding is about the quote)
            "key": ["claims.yaml", "C002", "FC301", ""],
        }
    ]


def test_json_report_on_exit_2_is_one_complete_document(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "claims.yaml", "version: 1\nclaims: [unclosed\n")
    good_file(tmp_path / "ok")
    result = cli("validate", "claims.yaml", "ok", "--format", "json")
    assert result.code == 2
    report = json.loads(result.out)  # one document, nothing else on stdout
    assert [f["file"] for f in report["files"]] == ["claims.yaml", "ok/claims.yaml"]
    assert report["files"][0]["gate"] == {"passed": False, "reasons": ["the file cannot be used"]}
    assert report["gate"]["passed"] is False
    assert [(f["code"], f["file"], f["line"], f["column"]) for f in report["findings"]] == [
        ("FC101", "claims.yaml", 3, 1)
    ]
    assert report["findings"][0]["message"].startswith("YAML syntax error")
    assert [c["id"] for c in report["claims"]] == ["C001"]


def test_json_report_for_a_missing_file(cli: Cli) -> None:
    result = cli("validate", "missing.yaml", "--format", "json")
    assert result.code == 2
    report = json.loads(result.out)
    assert report["findings"][0]["code"] == "FC101"
    assert report["findings"][0]["file"] == "missing.yaml"
    assert report["findings"][0]["message"] == "no such file"


def test_json_findings_are_sorted(cli: Cli, tmp_path: Path) -> None:
    claims_file(tmp_path / "b", "- id: c1\n  quote: q\n  status: bad\n")
    claims_file(tmp_path / "a", "- id: C1\n  quote: q\n  status: supported\n")
    report = json.loads(cli("validate", "b", "a", "--format", "json").out)
    keys = [(f["file"], f["line"], f["column"], f["code"]) for f in report["findings"]]
    assert keys == sorted(keys)
    assert [f["file"] for f in report["files"]] == ["a/claims.yaml", "b/claims.yaml"]


# --------------------------------------------------------------------------- help


def test_help_and_version(cli: Cli) -> None:
    result = cli("--help")
    assert result.code == 0
    assert result.out.startswith("Usage: factcheck [OPTIONS] COMMAND [ARGS]...")
    assert "validate" in result.out and "schema" in result.out
    version = cli("--version")
    assert version.code == 0
    assert re.fullmatch(r"factcheck \d+\.\d+\.\d+\S*\n", version.out)


def _commands() -> list[tuple[str, ...]]:
    import typer.main

    found: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                walk(child, (*path, name))
        else:
            found.append(path)

    walk(typer.main.get_command(app), ())
    return found


def test_every_command_has_help_with_an_example(cli: Cli) -> None:
    commands = _commands()
    assert ("validate",) in commands and ("schema",) in commands
    for path in commands:
        result = cli(*path, "--help")
        assert result.code == 0, path
        assert re.search(r"^\s+Examples?:\n\s+factcheck ", result.out, re.MULTILINE), (
            f"`factcheck {' '.join(path)} --help` shows no example:\n{result.out}"
        )


# --------------------------------------------------------------------------- schema


def _schema(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("schema", *args)
    assert result.code == 0
    schema: dict[str, Any] = json.loads(result.out)
    return schema


def _as_editor_sees(path: Path) -> Any:
    """The YAML as a language server reads it: YAML 1.2 types, dates as text."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str))


def test_schema_is_valid_json_schema_and_accepts_valid_files(cli: Cli, tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    schema = _schema(cli)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for path in [REPO / "claims.yaml", good_file(tmp_path)]:
        errors = [e.message for e in validator.iter_errors(_as_editor_sees(path))]
        assert errors == [], path


def test_schema_rejects_what_validate_rejects(cli: Cli, tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(_schema(cli))
    data = _as_editor_sees(good_file(tmp_path))
    data["claims"][0]["x-note"] = "extension keys are fine"
    assert list(validator.iter_errors(data)) == []
    for change in [
        lambda d: d["claims"][0].update(rationnale="typo"),
        lambda d: d.update(version=2),
        lambda d: d["claims"][0].update(status="maybe"),
        lambda d: d["claims"][0].update(id="c1"),
        lambda d: d["article"].pop("title"),
    ]:
        broken = json.loads(json.dumps(data))
        change(broken)
        assert list(validator.iter_errors(broken)) != []


def test_bundled_schema_file_is_up_to_date(cli: Cli) -> None:
    bundled = REPO / "schema" / "claims.schema.json"
    if not bundled.exists():
        pytest.skip("no schema/claims.schema.json in this checkout")
    assert json.loads(bundled.read_text("utf-8")) == _schema(cli)


def test_report_schema_is_valid(cli: Cli) -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(_schema(cli, "--report"))


# --------------------------------------------------------------------------- whole processes
# What only a process shows: the entry points, the hard exit after a run, signals, and the
# modules a fresh interpreter imports. Everything else runs in process through ``cli``.


def factcheck_process(
    *args: str, cwd: Path, python_args: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """``python -m factcheck ARGS`` as a whole process, as a user would run it (stdout a
    buffered pipe, even where the test runner's environment sets PYTHONUNBUFFERED)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, *python_args, "-m", "factcheck", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_python_dash_m_factcheck(tmp_path: Path) -> None:
    result = factcheck_process("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("factcheck ")
    bare = factcheck_process(cwd=tmp_path)
    assert "Usage: factcheck" in bare.stdout + bare.stderr
    assert "Traceback" not in bare.stdout + bare.stderr


def test_the_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "factcheck"
    if not script.exists():
        pytest.skip("the factcheck console script is not installed beside this interpreter")
    result = subprocess.run(
        [str(script), "--version"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.startswith("factcheck ")


def test_reports_reach_a_pipe_whole_before_the_hard_exit(tmp_path: Path) -> None:
    """After a run that ends normally the process exits hard (``os._exit``): a large JSON
    report and a short console report are both out whole by then, with the gate's exit code."""
    claims = "".join(
        f"- id: C{i:04d}\n  quote: Claim number {i}\n  status: opinion\n  rationale: r\n"
        for i in range(1, 1500)
    )
    claims_file(tmp_path, claims + "- id: C1500\n  quote: q\n  status: supported\n  rationale: r\n")
    large = factcheck_process("validate", "--format", "json", cwd=tmp_path)
    assert len(large.stdout) > 1 << 16  # more than a pipe holds at once
    assert len(json.loads(large.stdout)["claims"]) == 1500
    assert large.returncode == 1
    assert large.stderr.startswith("factcheck: failed: 1 error")
    short = factcheck_process("validate", cwd=tmp_path)  # smaller than stdout's buffer
    assert short.stdout.splitlines()[-1].startswith("failed: 1 error, 1 warning; blocking: FC202")
    assert short.returncode == 1 and short.stderr == ""


def test_exit_3_in_a_whole_process(tmp_path: Path) -> None:
    """A sitecustomize breaks a function of the rules: the user sees one line, exit 3."""
    good_file(tmp_path)
    hooks = tmp_path / "hooks"
    write(
        hooks / "sitecustomize.py",
        """\
        import factcheck.rules.claims

        def broken(document):
            raise KeyError("rationale")

        factcheck.rules.claims.check_rationales = broken
        """,
    )
    proc = subprocess.run(
        [sys.executable, "-m", "factcheck", "validate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**_env(), "PYTHONPATH": f"{hooks}:{REPO / 'src'}"},
        timeout=60,
    )
    assert proc.returncode == 3, proc
    assert proc.stderr.startswith("factcheck: internal error: KeyError: 'rationale'")
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


def _env() -> dict[str, str]:
    return dict(os.environ)


SLOW_RUN = textwrap.dedent(
    """\
    import sys, time
    import factcheck.pipeline

    def slow(options):
        print("ready", file=sys.stderr, flush=True)
        time.sleep(30)

    factcheck.pipeline.run = slow
    from factcheck.cli import main
    main(["validate"])
    """
)


@pytest.mark.parametrize(
    ("signum", "code", "words"),
    [
        (signal.SIGINT, 130, "factcheck: interrupted"),
        (signal.SIGTERM, 143, "factcheck: terminated"),
    ],
    ids=["SIGINT", "SIGTERM"],
)
def test_signals_give_130_and_143(tmp_path: Path, signum: int, code: int, words: str) -> None:
    good_file(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_RUN],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        assert proc.stderr.readline() == "ready\n"
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == code
    assert words in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [["validate"], ["verify", "--offline"]])
def test_offline_commands_do_not_import_the_network_stack(
    tmp_path: Path, command: list[str]
) -> None:
    good_file(tmp_path)
    proc = factcheck_process(*command, cwd=tmp_path, python_args=("-X", "importtime"))
    assert proc.returncode == 0, proc.stderr
    imported = {
        line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "import time:" in line
    }
    assert "factcheck.pipeline" in imported  # the parse of importtime works
    assert "markdown_it" in imported
    assert imported & NETWORK_MODULES == set()
