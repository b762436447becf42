"""The terminal report. Untrusted text is always a rich ``Text``, never markup."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from factcheck.findings import Finding, Severity
from factcheck.render.common import clean, plural, verdict
from factcheck.report import ClaimReport, EvidenceReport, Report
from factcheck.urls import redact

_OUTCOME_STYLE = {"ok": "green", "warning": "yellow", "broken": "red", "skipped": "dim"}
_QUOTE_STYLE = {"found": "green", "near": "yellow", "missing": "red", "skipped": "dim"}


def finding_line(item: Finding) -> Text:
    line = Text()
    line.append(str(item.location), style="bold")
    line.append(": ")
    style = "red" if item.severity is Severity.ERROR else "yellow"
    line.append(f"{item.severity.value} {item.code}", style=style)
    if item.claim:
        line.append(f" [{clean(item.claim)}]", style="cyan")
    line.append(" ")
    line.append(clean(item.message))
    if item.article_line:
        line.append(f" (article line {item.article_line})", style="dim")
    return line


def _evidence_line(item: EvidenceReport) -> Text:
    line = Text("    ")
    if item.link is not None:
        line.append(f"{item.link.outcome:<8}", style=_OUTCOME_STYLE.get(item.link.outcome, ""))
        reason = item.link.reason
        if item.link.status_code and item.link.reason not in {"ok", "redirected"}:
            reason += f" {item.link.status_code}"
        line.append(f" {reason:<20} ", style="dim")
    line.append(clean(redact(item.url)))
    if item.link is not None and item.link.final_url and item.link.reason == "redirected":
        line.append(f" -> {clean(redact(item.link.final_url))}", style="dim")
    if item.quote is not None:
        line.append("  quote ")
        line.append(item.quote.result, style=_QUOTE_STYLE.get(item.quote.result, ""))
        if item.quote.reason:
            line.append(f" ({clean(item.quote.reason)})", style="dim")
        if item.quote.score is not None and item.quote.result == "near":
            line.append(f" {item.quote.score:.1f}%", style="dim")
        if item.quote.copy == "archive":
            line.append(" [archive copy]", style="dim")
    if item.archive_link is not None and item.archive_link.outcome != "ok":
        line.append(f"  archive {item.archive_link.outcome}", style="dim")
    return line


def _claim_block(claim: ClaimReport) -> list[Text]:
    head = Text("  ")
    head.append(clean(claim.id), style="bold cyan")
    head.append(f"  {claim.status}")
    return [head, *(_evidence_line(e) for e in claim.evidence)]


def render(report: Report, *, width: int = 100, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    if report.links_checked:
        for file in report.files:
            console.print(Text(clean(file.file), style="bold underline"))
            for claim in report.claims:
                if claim.file == file.file:
                    for line in _claim_block(claim):
                        console.print(line, soft_wrap=True)
        console.print()
    for item in report.findings:
        console.print(finding_line(item), soft_wrap=True)
    if report.findings:
        console.print()
    console.print(_summary(report), soft_wrap=True)
    passed = report.gate.passed and not report.fatal
    console.print(
        Text(verdict(report), style="bold green" if passed else "bold red"), soft_wrap=True
    )
    return buffer.getvalue()


def _summary(report: Report) -> Text:
    claims = report.status_counts()
    parts = [f"{n} {status}" for status, n in claims.items() if status != "total" and n]
    text = Text(f"{plural(len(report.files), 'file')}, {plural(claims['total'], 'claim')}")
    if parts:
        text.append(f" ({', '.join(parts)})")
    if report.links_checked:
        links = report.link_counts()
        text.append(f"; {plural(len(report.links), 'link')}: ")
        text.append(", ".join(f"{n} {outcome}" for outcome, n in links.items()))
        quotes = report.quote_counts()
        if any(quotes.values()):
            text.append("; quotes: " + ", ".join(f"{n} {r}" for r, n in quotes.items() if n))
    if report.coverage is not None:
        text.append(f"; {report.coverage.summary}")
    return text
