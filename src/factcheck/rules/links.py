"""FC401–FC402: an evidence item's link results (:class:`factcheck.links.LinkResult`) as
findings: broken, broken with a working archive copy, in the warning tier, or not fetched
because it resolves to a private address (with the allowance that lets it be fetched; an
intranet page is not dead, so never the archive advice)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from factcheck.findings import Code, Finding, Location, finding
from factcheck.links import Outcome, Reason
from factcheck.urls import redact

if TYPE_CHECKING:
    from factcheck.links import LinkResult
    from factcheck.load.model import Claim, Evidence


_PRIVATE = Reason.PRIVATE_ADDRESS


def link_findings(
    claim: Claim,
    index: int,
    item: Evidence,
    live: LinkResult | None,
    archive: LinkResult | None,
) -> list[Finding]:
    if (
        live is None
        or item.url is None
        or (
            live.outcome is Outcome.OK
            and (
                archive is None
                or (archive.outcome is not Outcome.BROKEN and archive.reason is not _PRIVATE)
            )
        )
    ):
        return []  # the common case, decided before any text is made
    return evidence_link_findings(
        EvidenceLinks(
            claim.id, index, item.url, item.archive_url, item.at("url"), item.at("archive_url")
        ),
        live,
        archive,
    )


@dataclass(frozen=True)
class EvidenceLinks:
    """What the link findings of one evidence item need to know of it (a model, or the
    records of a ``--shard`` report when merging)."""

    claim: str
    index: int
    url: str
    archive_url: str | None
    url_at: Location
    archive_at: Location


def evidence_link_findings(
    item: EvidenceLinks, live: LinkResult | None, archive: LinkResult | None
) -> list[Finding]:
    if live is None:
        return []
    claim_id, index = item.claim, item.index
    where = item.url_at
    shown = redact(item.url)
    archive_ok = archive is not None and archive.outcome is Outcome.OK
    found: list[Finding] = []
    if live.reason is _PRIVATE:
        found.append(_private(claim_id, index, where, shown, live))
    elif live.outcome is Outcome.BROKEN:
        if archive_ok:
            found.append(
                finding(
                    Code.FC402,
                    f"link broken ({live.reason.value}: {live.detail}) but the archive copy works: "
                    f"{shown}",
                    where,
                    claim=claim_id,
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
                    claim=claim_id,
                    evidence=index,
                )
            )
    elif live.outcome is Outcome.WARNING:
        found.append(
            finding(
                Code.FC402,
                f"link not confirmed ({live.reason.value}: {live.detail}): {shown}",
                where,
                claim=claim_id,
                evidence=index,
            )
        )
    if archive is not None and archive.reason is _PRIVATE:
        shown = redact(item.archive_url or "")
        found.append(_private(claim_id, index, item.archive_at, shown, archive))
    elif archive is not None and archive.outcome is Outcome.BROKEN and live.outcome is Outcome.OK:
        found.append(
            finding(
                Code.FC402,
                f"the archive copy is broken ({archive.reason.value}: {archive.detail})",
                item.archive_at,
                claim=claim_id,
                evidence=index,
            )
        )
    return found


def _private(claim: str, index: int, where: Location, shown: str, result: LinkResult) -> Finding:
    return finding(
        Code.FC402,
        f"not fetched: {shown} resolves to a private address ({result.detail}); to check it "
        "from a network that reaches it, pass --allow-private, or --allow-cidr CIDR for its "
        "address range",
        where,
        claim=claim,
        evidence=index,
    )
