"""``report --compare OLD.json``: the claims whose status, evidence or findings changed since
an earlier run. Published as a corrections log when a verdict changes, read by an editor when
last night's re-check found rot.

Claims are matched by (file, id); evidence items by URL; findings by their key (lines and
wording left out), so moved lines are not a change.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from factcheck.report import ClaimReport, EvidenceReport, Report


@dataclass(frozen=True)
class ClaimChange:
    file: str
    id: str
    #: ``added``, ``removed`` or ``changed``.
    kind: str
    old_status: str | None
    new_status: str | None
    #: One line per evidence item that changed (its URL, what changed).
    evidence: list[str] = field(default_factory=list)
    #: Codes of findings the new run has and the old had not, and the other way round.
    new_findings: list[str] = field(default_factory=list)
    gone_findings: list[str] = field(default_factory=list)


def _finding_ids(report: Report) -> dict[tuple[str, str], Counter[tuple[str, str]]]:
    """Per claim, its findings as (code, URL digest) counts: what the key says of a claim."""
    found: dict[tuple[str, str], Counter[tuple[str, str]]] = {}
    for item in report.findings:
        if item.claim is None:
            continue
        digest = item.key[3] if item.key is not None else item.message
        found.setdefault((item.file, item.claim), Counter())[(item.code, digest)] += 1
    return found


def _evidence_state(item: EvidenceReport) -> tuple[str, ...]:
    return (
        item.stance,
        item.link.outcome.value if item.link else "-",
        item.archive_link.outcome.value if item.archive_link else "-",
        item.quote.result.value if item.quote else "-",
        item.quote.copy.value if item.quote and item.quote.copy else "-",
    )


def _describe(state: tuple[str, ...]) -> str:
    stance, link, archive, quote, copy = state
    words = [stance, f"link {link}"]
    if archive != "-":
        words.append(f"archive {archive}")
    if quote != "-":
        words.append(f"quote {quote}" + (f" ({copy} copy)" if copy == "archive" else ""))
    return ", ".join(words)


def _evidence_changes(old: ClaimReport, new: ClaimReport) -> list[str]:
    before = {e.cited_as: _evidence_state(e) for e in old.evidence}
    after = {e.cited_as: _evidence_state(e) for e in new.evidence}
    lines = []
    for url in sorted(before.keys() | after.keys()):
        if url not in before:
            lines.append(f"{url}: added ({_describe(after[url])})")
        elif url not in after:
            lines.append(f"{url}: removed")
        elif before[url] != after[url]:
            lines.append(f"{url}: {_describe(before[url])} → {_describe(after[url])}")
    return lines


def compare_reports(old: Report, new: Report) -> list[ClaimChange]:
    """The claims that changed from ``old`` to ``new``, in the new report's order, then the
    claims ``new`` no longer has."""
    before = {(c.file, c.id): c for c in old.claims}
    after = {(c.file, c.id): c for c in new.claims}
    old_findings, new_findings = _finding_ids(old), _finding_ids(new)
    changes: list[ClaimChange] = []
    for ident, claim in after.items():
        previous = before.get(ident)
        if previous is None:
            changes.append(ClaimChange(*ident, "added", None, claim.status.value))
            continue
        was, now = old_findings.get(ident, Counter()), new_findings.get(ident, Counter())
        change = ClaimChange(
            *ident,
            "changed",
            previous.status.value,
            claim.status.value,
            _evidence_changes(previous, claim),
            sorted(code for code, _ in (now - was).elements()),
            sorted(code for code, _ in (was - now).elements()),
        )
        if (
            change.old_status != change.new_status
            or change.evidence
            or change.new_findings
            or change.gone_findings
        ):
            changes.append(change)
    for ident, claim in before.items():
        if ident not in after:
            changes.append(ClaimChange(*ident, "removed", claim.status.value, None))
    return changes


def render_changes(changes: list[ClaimChange], old: str, output_format: str) -> str:
    if output_format == "json":
        data = [change.__dict__ for change in changes]
        return (
            json.dumps({"compared_with": old, "changes": data}, indent=2, ensure_ascii=False) + "\n"
        )
    from factcheck.render.markdown import code, text

    lines = [f"# Changes since {text(old)}", ""]
    if not changes:
        return "\n".join([*lines, "No claim changed.", ""])
    lines += [f"{len(changes)} claim(s) changed.", ""]
    for change in changes:
        lines.append(f"## {code(change.id)} in {code(change.file)}")
        lines.append("")
        if change.kind != "changed":
            status = change.new_status or change.old_status
            lines.append(f"- claim {change.kind} (status {status})")
        elif change.old_status != change.new_status:
            lines.append(f"- status: **{change.old_status}** → **{change.new_status}**")
        lines += [f"- evidence {text(line)}" for line in change.evidence]
        if change.new_findings:
            lines.append(f"- new findings: {', '.join(change.new_findings)}")
        if change.gone_findings:
            lines.append(f"- findings resolved: {', '.join(change.gone_findings)}")
        lines.append("")
    return "\n".join(lines)
