"""JUnit XML (parsed as CI servers parse it) and GitHub workflow commands."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from factcheck.findings import Finding, Location, Severity
from factcheck.render import github, junit
from factcheck.report import Gate

from .conftest import golden, sample_report


def cases(xml: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml.encode("utf-8"))
    return {case.get("name", ""): case for case in root.iter("testcase")}


# --------------------------------------------------------------------------- JUnit


def test_junit_golden() -> None:
    golden("sample.xml", junit.render(sample_report()))


def test_one_case_per_claim_plus_one_per_file_failing_at_fail_on() -> None:
    xml = junit.render(sample_report())
    root = ET.fromstring(xml.encode())
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "claims.yaml"
    found = cases(xml)
    assert list(found) == ["claims file", "C001", "C002", "C003", "C004", "C005", "C006"]
    assert suite.get("tests") == "7" and suite.get("failures") == "2"
    assert root.get("tests") == "7" and root.get("failures") == "2"
    failure = found["C003"].find("failure")
    assert failure is not None and failure.get("type") == "FC602"
    assert (failure.text or "").startswith("C003 (contradicted): The tram line")
    # The lower finding of a failing claim goes to its system-out.
    assert "FC503" in (found["C003"].findtext("system-out") or "")
    # A claim with warnings only passes, its warnings in system-out.
    assert found["C004"].find("failure") is None
    assert "FC402" in (found["C004"].findtext("system-out") or "")
    assert found["C001"].find("failure") is None and found["C001"].get("line") == "9"


def test_fail_on_warning_and_never() -> None:
    strict = junit.render(sample_report(fail_on="warning"))
    assert cases(strict)["C004"].find("failure") is not None
    lenient = junit.render(sample_report(fail_on="never"))
    assert not any(c.find("failure") is not None for c in cases(lenient).values())
    assert "FC601" in (cases(lenient)["C006"].findtext("system-out") or "")


def test_file_level_findings_form_the_file_case() -> None:
    report = sample_report()
    unusable = Finding(
        "FC101", "not YAML: found a tab", Location("broken.yaml", 3, 1), severity=Severity.ERROR
    )
    report = replace(report, findings=[*report.findings, unusable])
    root = ET.fromstring(junit.render(report).encode())
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"claims.yaml", "broken.yaml"}
    case = suites["broken.yaml"].find("testcase")
    assert case is not None and case.get("name") == "claims file"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "FC101"


def test_xml_illegal_characters_are_removed_and_markup_escaped() -> None:
    hostile = 'bad\x00\x01\x0b\x1b\ufffe chars ]]> <tag attr="x"> & \ud800 end'
    report = sample_report()
    report = replace(
        report,
        claims=[replace(report.claims[5], id="C006\x07", quote=hostile)],
        findings=[
            Finding("FC601", hostile, Location("claims.yaml", 64, 9), claim="C006\x07"),
        ],
    )
    xml = junit.render(report)
    root = ET.fromstring(xml.encode("utf-8"))  # parses: nothing illegal is left
    failure = next(root.iter("failure"))
    assert 'bad chars ]]> <tag attr="x"> &  end' in (failure.text or "")
    assert failure.get("message", "").startswith("FC601 bad chars")
    assert "\x00" not in xml and "\ufffe" not in xml


# --------------------------------------------------------------------------- GitHub


def test_github_golden() -> None:
    golden("sample.github.txt", github.render(sample_report()))


def test_one_command_per_finding_most_severe_first() -> None:
    lines = github.render(sample_report()).splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 6
    assert commands[0] == (
        "::error file=claims.yaml,line=41,col=9,title=FC602 C003::"
        "C003: claim is contradicted by the evidence"
    )
    assert [c.split(" ", 1)[0] for c in commands] == ["::error"] * 2 + ["::warning"] * 4
    assert lines[-1] == "factcheck: 6 findings annotated, 0 not annotated"


def test_escaping_of_data_and_properties() -> None:
    item = Finding(
        "FC401",
        "100% broken\r\nnext line, with: colons",
        Location("dir,with:odd%name.yaml", 3, 4),
        claim="C1,x:y",
    )
    line = github.command(item)
    assert line == (
        "::error file=dir%2Cwith%3Aodd%25name.yaml,line=3,col=4,title=FC401 C1%2Cx%3Ay::"
        "C1,x:y: 100%25 broken next line, with: colons"
    )
    assert github.escape_data("a\nb\r%") == "a%0Ab%0D%25"
    assert github.escape_property("a:b,c") == "a%3Ab%2Cc"


def test_findings_past_the_annotation_limit_are_counted_and_listed() -> None:
    findings = [
        Finding(
            "FC401" if i % 2 else "FC402",
            f"problem {i}",
            Location("claims.yaml", i + 1, 1),
            severity=Severity.ERROR if i % 2 else Severity.WARNING,
        )
        for i in range(30)
    ]
    report = replace(sample_report(), findings=findings, gate=Gate(False, "error", [], False))
    lines = github.render(report).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert sum(line.startswith("factcheck: claims.yaml:") for line in lines) == 10
    assert lines[-1].startswith("factcheck: 20 findings annotated, 10 not annotated")


def test_hostile_text_cannot_start_a_workflow_command() -> None:
    evil = "x\n::set-output name=a::b\n::stop-commands::tok"
    findings = [
        Finding("FC401", evil, Location(f"::warning::{i}.yaml", i + 1, 1), claim=evil)
        for i in range(25)
    ]
    report = replace(sample_report(), findings=findings)
    for line in github.render(report).splitlines():
        if line.startswith("::"):
            assert re.match(r"::(error|warning) file=[^:]*,line=\d+,col=\d+,title=[^:]*::", line)
        else:
            assert line.startswith("factcheck: ")


def test_step_summary_is_appended(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n", encoding="utf-8")
    assert github.append_step_summary(sample_report(), {"GITHUB_STEP_SUMMARY": str(target)})
    text = target.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## factcheck: Budget 2026")
    assert "**What blocks the gate (2):**" in text
    assert not github.append_step_summary(sample_report(), {})


# --------------------------------------------------------------------------- console and JSON


def test_console_and_json_goldens() -> None:
    from factcheck.render import console
    from factcheck.render import json as json_renderer

    golden("sample.console.txt", console.render(sample_report(), width=100, color=False))
    golden(
        "sample.verbose.console.txt",
        console.render(sample_report(), width=100, color=False, verbose=True),
    )
    golden("sample.json", json_renderer.render(sample_report()))
