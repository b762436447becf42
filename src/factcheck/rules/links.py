"""FC401–FC402: an evidence item's link results (:class:`factcheck.links.LinkResult`) as
findings: broken, broken with a working archive copy, or in the warning tier."""

from __future__ import annotations

from typing import TYPE_CHECKING

from factcheck.findings import Code, Finding, finding
from factcheck.links import Outcome
from factcheck.urls import redact

if TYPE_CHECKING:
    from factcheck.links import LinkResult
    from factcheck.load.model import Claim, Evidence


def link_findings(
    claim: Claim,
    index: int,
    item: Evidence,
    live: LinkResult | None,
    archive: LinkResult | None,
) -> list[Finding]:
    if live is None or (
        live.outcome is Outcome.OK and (archive is None or archive.outcome is not Outcome.BROKEN)
    ):
        return []  # the common case, decided before any text is made
    where = item.at("url")
    shown = redact(item.url)
    archive_ok = archive is not None and archive.outcome is Outcome.OK
    found: list[Finding] = []
    if live.outcome is Outcome.BROKEN:
        if archive_ok:
            found.append(
                finding(
                    Code.FC402,
                    f"link broken ({live.reason.value}: {live.detail}) but the archive copy works: "
                    f"{shown}",
                    where,
                    claim=claim.id,
                    evidence=index,
                )
            )
        else:
            found.append(
                finding(
                    Code.FC401,
                    f"link broken ({live.reason.value}: {live.detail}): {shown}"
                    + ("" if item.archive_url else "; add an archive_url"),
                    where,
                    claim=claim.id,
                    evidence=index,
                )
            )
    elif live.outcome is Outcome.WARNING:
        found.append(
            finding(
                Code.FC402,
                f"link not confirmed ({live.reason.value}: {live.detail}): {shown}",
                where,
                claim=claim.id,
                evidence=index,
            )
        )
    if archive is not None and archive.outcome is Outcome.BROKEN and live.outcome is Outcome.OK:
        found.append(
            finding(
                Code.FC402,
                f"the archive copy is broken ({archive.reason.value}: {archive.detail})",
                item.at("archive_url"),
                claim=claim.id,
                evidence=index,
            )
        )
    return found
