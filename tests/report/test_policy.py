"""Policy a user can set: configuration files, --fail-on, --mode, severities, ignore entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.policy import FailOn, Level
from factcheck.settings import find_config, load_settings
from tests.conftest import Cli

from .conftest import assert_valid_report, write_factcheck


def verify_json(cli: Cli, *args: str, cwd: Path | None = None) -> tuple[int, dict]:
    run = cli("verify", "--offline", "--article", "article.md", "-f", "json", *args, cwd=cwd)
    return run.code, assert_valid_report(run.out)


def codes(data: dict) -> list[str]:
    return [f["code"] for f in data["findings"]]


# --------------------------------------------------------------------------- finding the file


def test_config_is_found_upward_factcheck_toml_first(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text('[tool.factcheck]\nfail_on = "never"\n')
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "not-ours"\n')
    found = find_config(deep)
    assert found is not None and found.path == tmp_path / "pyproject.toml"
    assert found.values == {"fail_on": "never"}
    (tmp_path / "a" / "factcheck.toml").write_text('fail_on = "warning"\n')
    found = find_config(deep)
    assert found is not None and found.path.name == "factcheck.toml"


def test_a_broken_pyproject_without_our_table_is_not_ours_to_judge(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\nname = ")
    assert (
        find_config(tmp_path) is None or find_config(tmp_path).path != tmp_path / "pyproject.toml"
    )


def test_flags_override_the_file_and_every_change_is_recorded(tmp_path: Path) -> None:
    config = tmp_path / "factcheck.toml"
    config.write_text(
        'fail_on = "warning"\ntimeout = 5\nexclude = ["^https://slow\\\\."]\n'
        '[severity]\nFC402 = "off"\nFC208 = "error"\nFC204 = "warning"\n'
    )
    settings = load_settings(
        config, fail_on=FailOn.NEVER, flags={"timeout": ("--timeout", 9.0)}, online=True
    )
    assert settings.fail_on is FailOn.NEVER
    assert settings.levels == {"FC204": Level.WARNING, "FC208": Level.ERROR, "FC402": Level.OFF}
    assert settings.link_config == {"timeout": 5.0, "excludes": ("^https://slow\\.",)}
    shown = {(s.name, s.value, s.source) for s in settings.recorded}
    assert ("fail_on", "never", "--fail-on") in shown
    assert ("timeout", "9", "--timeout") in shown
    assert ("exclude", "^https://slow\\.", config.name) not in shown  # shown relative to cwd
    assert any(s.name == "exclude" for s in settings.recorded)
    assert any(s.name == "severity.FC402" and s.value == "off" for s in settings.recorded)
    # FC204 is a warning by default: not a change, not recorded.
    assert not any(s.name == "severity.FC204" for s in settings.recorded)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fail_on = [", "not valid TOML"),
        ('fail_on = "sometimes"', "fail_on must be one of error, warning, never"),
        ('fial_on = "warning"', "did you mean 'fail_on'"),
        ("allow_private = true", "only with --allow-private on the command line"),
        ('allow_cidr = ["10.0.0.0/8"]', "only with --allow-cidr"),
        ('cache_dir = "/tmp/x"', "only with --cache-dir"),
        ('output = "x.md"', "only with --output"),
        ('proxy = "http://p:3128"', "only with --proxy"),
        ("[severity]\nFC999 = 'off'", "unknown finding code 'FC999'"),
        ("[severity]\nFC101 = 'off'", "FC101 cannot be configured"),
        ("[severity]\nFC401 = 'info'", "severity.FC401 must be one of error, warning, off"),
        ("timeout = 0", "timeout must be between 1 and 300 seconds, not 0"),
        ("timeout = true", "timeout must be a number"),
        ("concurrency = 0", "concurrency must be a whole number of at least 1"),
        ("retries = -1", "retries must be a whole number of at least 0"),
        ('exclude = "x"', "exclude must be a list"),
        ('exclude = ["("]', "is not a regular expression"),
        ("host_interval = 61", "host_interval must be between 0 and 60 seconds, not 61"),
        ("host_interval = -1", "host_interval must be between 0 and 60 seconds, not -1"),
        ('respect_robots = "yes"', "respect_robots must be true or false"),
    ],
)
def test_invalid_configuration_is_exit_2(
    cli: Cli, fact_check: Path, text: str, message: str
) -> None:
    (fact_check.parent / "factcheck.toml").write_text(text + "\n")
    run = cli("validate", "--article", "article.md")
    assert run.code == 2, run.err
    assert "invalid configuration" in run.err and message in run.err
    assert "factcheck.toml" in run.err and "Traceback" not in run.err


def test_missing_config_and_pyproject_without_table_are_exit_2(cli: Cli, fact_check: Path) -> None:
    assert cli("validate", "--config", "nope.toml").code == 2
    (fact_check.parent / "pyproject.toml").write_text('[project]\nname = "x"\n')
    run = cli("validate", "--config", "pyproject.toml")
    assert run.code == 2 and "no [tool.factcheck] table" in run.err


def test_load_settings_raises_factcheck_error(tmp_path: Path) -> None:
    bad = tmp_path / "factcheck.toml"
    bad.write_text("cache_dir = 'x'\n")
    with pytest.raises(FactcheckError):
        load_settings(bad)


# --------------------------------------------------------------------------- the gate


def test_config_fail_on_and_severities_change_the_gate(cli: Cli, fact_check: Path) -> None:
    code, data = verify_json(cli)
    assert code == 1 and data["gate"]["reasons"] == ["FC601", "FC602"]
    # Pending and contradicted made warnings: the gate passes at --fail-on error ...
    (fact_check.parent / "factcheck.toml").write_text(
        '[severity]\nFC601 = "warning"\nFC602 = "off"\n'
    )
    code, data = verify_json(cli)
    assert code == 0, data["gate"]
    assert "FC602" not in codes(data) and "FC601" in codes(data)
    assert {"name": "severity.FC602", "value": "off", "source": "factcheck.toml"} in data[
        "settings"
    ]
    # ... and fails at fail_on = "warning" from the file, and passes again with the flag.
    (fact_check.parent / "factcheck.toml").write_text(
        'fail_on = "warning"\n[severity]\nFC601 = "warning"\nFC602 = "off"\n'
    )
    code, data = verify_json(cli)
    assert code == 1 and data["gate"]["fail_on"] == "warning"
    code, data = verify_json(cli, "--fail-on", "never")
    assert code == 0 and data["gate"]["fail_on"] == "never"
    assert {"name": "fail_on", "value": "never", "source": "--fail-on"} in data["settings"]


def test_pyproject_table_is_read(cli: Cli, fact_check: Path) -> None:
    (fact_check.parent / "pyproject.toml").write_text(
        '[project]\nname = "paper"\n\n[tool.factcheck]\nfail_on = "never"\n'
    )
    code, data = verify_json(cli)
    assert code == 0
    assert data["settings"][0] == {
        "name": "fail_on",
        "value": "never",
        "source": "pyproject.toml [tool.factcheck]",
    }


def test_validate_reads_the_config_too(cli: Cli, fact_check: Path) -> None:
    (fact_check.parent / "factcheck.toml").write_text('fail_on = "warning"\n')
    run = cli("validate", "--article", "article.md", "-f", "json")
    data = assert_valid_report(run.out)
    # FC208: the evidence of C004 has no title (ignored until 2027: not a finding).
    assert data["gate"]["fail_on"] == "warning" and run.code == 0, codes(data)


def test_fail_on_warning_fails_on_a_warning(cli: Cli, fact_check: Path) -> None:
    (fact_check.parent / "factcheck.toml").write_text('[severity]\nFC601 = "off"\nFC602 = "off"\n')
    code, data = verify_json(cli)
    assert code == 0 and "FC603" in codes(data)
    code, data = verify_json(cli, "--fail-on", "warning")
    assert code == 1 and data["gate"]["reasons"] == ["FC603"]


def test_mode_review_and_the_flag_that_overrides_the_file(cli: Cli, tmp_path: Path) -> None:
    write_factcheck(tmp_path, mode="review")
    code, data = verify_json(cli)
    assert code == 1
    # Review: contradicted and unverified are what the fact-check found; pending still blocks.
    assert "FC602" not in codes(data) and "FC603" not in codes(data)
    assert data["gate"]["reasons"] == ["FC601"] and data["files"][0]["mode"] == "review"
    _code, data = verify_json(cli, "--mode", "draft")
    assert {"FC601", "FC602", "FC603"} <= set(codes(data))
    assert {"name": "mode", "value": "draft", "source": "--mode"} in data["settings"]
    assert cli("verify", "--offline", "--mode", "sideways").code == 2


def test_ignore_entries_silence_a_code_until_their_date(cli: Cli, fact_check: Path) -> None:
    code, data = verify_json(cli)
    assert code == 1
    assert "FC208" not in codes(data)  # ignored until 2027-01-01; the clock says 2026-11-18
    text = fact_check.read_text().replace("until: 2027-01-01", "until: 2026-11-01")
    fact_check.write_text(text)
    _code, data = verify_json(cli)
    expired = [f for f in data["findings"] if f["code"] == "FC208"]
    assert len(expired) == 1 and expired[0]["severity"] == "warning"
    assert "ignore entry expired on 2026-11-01: the page has no title" in expired[0]["message"]


def test_source_date_epoch_pins_the_clock_and_is_recorded(
    cli: Cli, fact_check: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _code, data = verify_json(cli)
    assert data["checked_at"] == "2026-11-18T11:06:40+00:00"
    assert {
        "name": "clock",
        "value": "2026-11-18T11:06:40+00:00",
        "source": "SOURCE_DATE_EPOCH",
    } in data["settings"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    run = cli("validate", "--article", "article.md")
    assert run.code == 2 and "SOURCE_DATE_EPOCH" in run.err


def test_config_link_settings_reach_the_link_checker(cli: Cli, fact_check: Path) -> None:
    (fact_check.parent / "factcheck.toml").write_text('exclude = ["sources\\\\.example\\\\.org"]\n')
    # Not offline: every URL is excluded, so no network is needed and nothing is fetched.
    run = cli("verify", "--article", "article.md", "-f", "json")
    data = assert_valid_report(run.out)
    reasons = {link["reason"] for link in data["links"] if link["kind"] == "evidence"}
    assert reasons == {"excluded"}, json.dumps(data["links"])[:500]


def test_polite_settings_come_from_the_file_and_show_in_the_header(tmp_path: Path) -> None:
    config = tmp_path / "factcheck.toml"
    config.write_text("host_interval = 0.5\nrespect_robots = true\n")
    settings = load_settings(config, online=True)
    assert settings.link_config == {"host_interval": 0.5, "respect_robots": True}
    shown = {(s.name, s.value) for s in settings.recorded}
    assert {("host_interval", "0.5"), ("respect_robots", "true")} <= shown


def test_host_interval_out_of_range_on_the_command_line_is_exit_2(
    cli: Cli, fact_check: Path
) -> None:
    run = cli("verify", "--article", "article.md", "--host-interval", "90")
    assert run.code == 2 and "Traceback" not in run.err
    assert "--host-interval must be between 0 and 60 seconds" in run.err


@pytest.mark.parametrize("output_format", ["json", "junit", "github"])
def test_invalid_configuration_still_prints_one_machine_document(
    cli: Cli, fact_check: Path, output_format: str
) -> None:
    (fact_check.parent / "factcheck.toml").write_text("fail_on = 3\n")
    run = cli("validate", "--article", "article.md", "--format", output_format)
    assert run.code == 2 and "invalid configuration" in run.err
    if output_format == "json":
        data = assert_valid_report(run.out)
        assert data["gate"]["passed"] is False
        assert data["findings"][0]["file"] == "factcheck.toml"
        assert "fail_on must be one of" in data["findings"][0]["message"]
    elif output_format == "junit":
        assert '<failure type="FC101"' in run.out
    else:
        assert run.out.startswith("::error file=factcheck.toml,title=FC101::invalid configuration")
        assert "factcheck: cannot check: invalid configuration" in run.out
