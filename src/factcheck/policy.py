"""Policy: configured severities, acknowledged findings, and the publication gate. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from factcheck.findings import Finding, Severity

if TYPE_CHECKING:
    from factcheck.load.model import Evidence


class FailOn(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NEVER = "never"


class Level(StrEnum):
    """A configured severity for a code; ``off`` drops its findings."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


@dataclass(frozen=True)
class Policy:
    fail_on: FailOn = FailOn.ERROR
    levels: dict[str, Level] = field(default_factory=dict)


EvidenceLookup = Callable[[Finding], "Evidence | None"]


def apply_policy(
    findings: Iterable[Finding], policy: Policy, today: date, evidence_of: EvidenceLookup
) -> list[Finding]:
    """Configured severities and evidence ``ignore`` entries, then one sorted list."""
    kept: list[Finding] = []
    for item in findings:
        level = policy.levels.get(item.code)
        if level is Level.OFF:
            continue
        if level is not None:
            item = item.with_severity(Severity(level.value))
        evidence = evidence_of(item) if item.evidence is not None else None
        if evidence is not None:
            entry = next((e for e in evidence.ignore if e.code == item.code), None)
            if entry is not None:
                if entry.until is None or entry.until >= today:
                    continue
                item = replace(
                    item,
                    severity=Severity.WARNING,
                    message=f"{item.message} (ignore entry expired on {entry.until}: "
                    f"{entry.reason})",
                )
        kept.append(item)
    return sorted(kept, key=Finding.sort_key)


def blocks(item: Finding, fail_on: FailOn) -> bool:
    if fail_on is FailOn.NEVER:
        return False
    if fail_on is FailOn.WARNING:
        return True
    return item.severity is Severity.ERROR


@dataclass(frozen=True)
class GateDecision:
    passed: bool
    reasons: list[str]


def decide_gate(findings: Iterable[Finding], fail_on: FailOn) -> GateDecision:
    """The gate: any finding at or above ``fail_on`` fails it; reasons name the codes."""
    blocking = [f for f in findings if blocks(f, fail_on)]
    if not blocking:
        return GateDecision(True, [])
    by_code = Counter(f.code for f in blocking)
    reasons = [f"{code} ×{count}" if count > 1 else code for code, count in sorted(by_code.items())]
    return GateDecision(False, reasons)
