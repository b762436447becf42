"""``--baseline RUN.json``: the gate judges only the findings a saved run did not have.

A pull request in an archive of thousands of fact-checks must not be blocked by link rot in
articles it did not touch: the findings whose key (:mod:`factcheck.report.identity`) is in the
baseline are *carried*: still listed, counted in the report, but not gating. Keys leave out
lines and messages, so a finding stays known when lines above it move or its wording changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from factcheck.errors import FactcheckError
from factcheck.report import BaselineCount, Report, gate
from factcheck.report.identity import FindingKey


@dataclass(frozen=True)
class Baseline:
    """The saved run's finding keys, and where they came from."""

    source: str
    keys: frozenset[FindingKey]


def read_baseline(path: Path) -> Baseline:
    from factcheck.report.json import read_report

    saved = read_report(path)
    keys = frozenset(f.key for f in saved.findings if f.key is not None)
    if saved.findings and not keys:
        raise FactcheckError(
            "the baseline's findings have no keys (saved by an older factcheck): save it again "
            "with verify --format json",
            location=str(path),
        )
    return Baseline(path.as_posix(), keys)


def is_known(key: FindingKey | None, baseline: Baseline) -> bool:
    return key is not None and key in baseline.keys


def apply_baseline(report: Report, baseline: Baseline) -> Report:
    """The report with its gate decided on the new findings only."""
    new = [f for f in report.findings if not is_known(f.key, baseline)]
    files, decision = gate(report.files, new, report.gate.fail_on, offline=report.gate.offline)
    count = BaselineCount(baseline.source, len(report.findings) - len(new), len(new))
    return replace(report, files=files, gate=decision, baseline=count)
