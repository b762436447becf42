"""The terminal report: the problems first, as link checkers print them, then the verdict.

By default one line per problem (``file:line:col: severity code [claim] message``), grouped by
claim, then the summary and the verdict; ``verbose`` first lists every claim and link. Untrusted
text is always a rich ``Text``, never markup. Each block is written at once: without colour
the lines are joined as plain text, and with colour one ``print`` renders the whole block, so
10,000 problems cost one write, not 10,000 rich calls.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

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
        reason: str = item.link.reason
        if item.link.status_code and item.link.reason not in {"ok", "redirected"}:
            reason += f" {item.link.status_code}"
        line.append(f" {reason:<20} ", style="dim")
    line.append(clean(redact(item.url)) if item.url is not None else clean(item.citation))
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


def grouped(findings: Iterable[Finding]) -> list[list[Finding]]:
    """Findings grouped by claim (file-level ones form a group of their own), each group where
    its first finding is in the file."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for item in findings:
        groups.setdefault((item.file, item.claim or ""), []).append(item)
    return list(groups.values())


class _Writer:
    """Blocks of lines to one buffer: plain text joined at once, or one rich print a block."""

    def __init__(self, width: int, color: bool) -> None:
        self.buffer = io.StringIO()
        self.console: Console | None = None
        if color:
            self.console = Console(
                file=self.buffer,
                width=width,
                force_terminal=True,
                color_system="standard",
                highlight=False,
                emoji=False,
                markup=False,
            )

    def block(self, lines: list[Text]) -> None:
        if not lines:
            return
        if self.console is None:
            self.buffer.write("\n".join(line.plain for line in lines) + "\n")
        else:
            self.console.print(Text("\n").join(lines), soft_wrap=True)

    def value(self) -> str:
        return self.buffer.getvalue()


def render(report: Report, *, width: int = 100, color: bool = False, verbose: bool = False) -> str:
    out = _Writer(width, color)
    if verbose:
        for file in report.files:
            lines = [Text(clean(file.file), style="bold underline")]
            for claim in report.claims:
                if claim.file == file.file:
                    lines += _claim_block(claim)
            out.block([*lines, Text()])
    for group in grouped(report.findings):
        out.block([*(finding_line(item) for item in group), Text()])
    passed = report.gate.passed and not report.fatal
    out.block(
        [
            _summary(report),
            Text(verdict(report), style="bold green" if passed else "bold red"),
        ]
    )
    return out.value()


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
