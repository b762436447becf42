"""JUnit XML: one test case per claim, failing on a finding at or above ``--fail-on``, else
skipped (with the reason) when one of its links or quotes was not checked, else passing.

A claim without evidence is judged by its findings alone. Lower findings go to the case's
``<system-out>``; findings about a file rather than a claim form one extra case per file
("claims file"). Characters XML cannot carry are removed; the rest is escaped by ElementTree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import datetime

from factcheck.findings import Finding
from factcheck.links.types import Outcome
from factcheck.policy import FailOn, blocks
from factcheck.quotes import QuoteResult
from factcheck.render.markdown import severity_order, shorten, status_word
from factcheck.report import ClaimReport, Report

FILE_CASE = "claims file"
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """Text XML 1.0 can carry: control characters, surrogates and U+FFFE/U+FFFF removed."""
    return _XML_ILLEGAL.sub("", "" if value is None else str(value))


def _line(item: Finding) -> str:
    where = f" [{item.claim}]" if item.claim else ""
    article = f" (article line {item.article_line})" if item.article_line else ""
    return f"{item.location}: {item.severity.value} {item.code}{where} {item.message}{article}"


def _set(element: ET.Element, **attributes: object) -> None:
    for key, value in attributes.items():
        if value is not None:
            element.set(key, xml_text(value))


def _timestamp(report: Report) -> str:
    try:
        return datetime.fromisoformat(report.checked_at).strftime("%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return xml_text(report.checked_at)


def _case(
    suite: ET.Element,
    name: str,
    file: str,
    line: int | None,
    findings: Iterable[Finding],
    fail_on: FailOn,
    about: str = "",
    not_checked: list[str] | None = None,
) -> tuple[bool, bool]:
    """Add one test case; (failed, skipped)."""
    case = ET.SubElement(suite, "testcase")
    _set(case, classname=file, name=name, file=file, line=line, time="0")
    ordered = severity_order(findings)
    failing = [f for f in ordered if blocks(f, fail_on)]
    other = [f for f in ordered if not blocks(f, fail_on)]
    if failing:
        first = failing[0]
        failure = ET.SubElement(case, "failure")
        more = f" (and {len(failing) - 1} more)" if len(failing) > 1 else ""
        _set(failure, type=first.code, message=f"{first.code} {first.message}{more}")
        failure.text = xml_text("\n".join([*([about] if about else []), *map(_line, failing)]))
    skipped = not failing and bool(not_checked)
    if skipped and not_checked:
        more = f" (and {len(not_checked) - 1} more)" if len(not_checked) > 1 else ""
        skip = ET.SubElement(case, "skipped")
        _set(skip, message=f"{not_checked[0]}{more}")
        skip.text = xml_text("\n".join(not_checked))
    if other:
        out = ET.SubElement(case, "system-out")
        out.text = xml_text("\n".join(_line(f) for f in other))
    return bool(failing), skipped


def not_checked(claim: ClaimReport) -> list[str]:
    """What of the claim's evidence was not checked, one line per link or quote."""
    lines = []
    for item in claim.evidence:
        where = item.cited_as
        if item.link is not None and item.link.outcome is Outcome.SKIPPED:
            lines.append(f"link not checked ({item.link.reason}): {where}")
        if item.quote is not None and item.quote.result is QuoteResult.SKIPPED:
            lines.append(f"quote not checked ({item.quote.reason or 'not-fetched'}): {where}")
    return lines


def render(report: Report) -> str:
    try:
        fail_on = FailOn(report.gate.fail_on)
    except ValueError:
        fail_on = FailOn.ERROR
    root = ET.Element("testsuites")
    files = [f.file for f in report.files]
    files += sorted({f.file for f in report.findings} - set(files))
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    claims_of: dict[str, list[ClaimReport]] = {}
    for claim in report.claims:
        claims_of.setdefault(claim.file, []).append(claim)
    ids_of = {file: {c.id for c in claims} for file, claims in claims_of.items()}
    findings_of: dict[tuple[str, str], list[Finding]] = {}
    file_level: dict[str, list[Finding]] = {}
    for item in report.findings:  # one pass, in the report's order
        if item.claim is not None and item.claim in ids_of.get(item.file, ()):
            findings_of.setdefault((item.file, item.claim), []).append(item)
        else:
            file_level.setdefault(item.file, []).append(item)
    for file in files:
        suite = ET.SubElement(root, "testsuite")
        claims = claims_of.get(file, [])
        file_findings = file_level.get(file, [])
        failures = int(_case(suite, FILE_CASE, file, None, file_findings, fail_on)[0])
        skipped = 0
        for claim in claims:
            findings = findings_of.get((file, claim.id), [])
            short = shorten(claim.assertion or claim.quote, 200)
            about = f"{claim.id} ({status_word(claim.status)}): {short}"
            failed, was_skipped = _case(
                suite, claim.id, file, claim.line, findings, fail_on, about, not_checked(claim)
            )
            failures += failed
            skipped += was_skipped
        _set(
            suite,
            name=file,
            tests=len(claims) + 1,
            failures=failures,
            errors=0,
            skipped=skipped,
            time="0",
            timestamp=_timestamp(report),
        )
        totals["tests"] += len(claims) + 1
        totals["failures"] += failures
        totals["skipped"] += skipped
    _set(
        root,
        name="factcheck",
        tests=totals["tests"],
        failures=totals["failures"],
        errors=0,
        skipped=totals["skipped"],
        time="0",
    )
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
