"""Archive copies found by ``verify --suggest-archive``, told where the problem is told: in
the message of the finding about the broken link (FC401) or the missing quote (FC501, FC502),
so that every report format carries them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from factcheck.findings import Code, Finding

if TYPE_CHECKING:
    from factcheck.archive.suggest import Suggestion

_ABOUT_THE_PAGE = frozenset({Code.FC401, Code.FC501, Code.FC502})
_ADVICE = "; add an archive_url"


def with_archive_copies(
    findings: Iterable[Finding], copies: Mapping[tuple[str, int], Suggestion]
) -> list[Finding]:
    """``findings`` with each archive copy's sentence added to the findings about its
    evidence item (``copies`` is keyed by claim id and evidence index)."""
    told: list[Finding] = []
    for item in findings:
        copy = (
            copies.get((item.claim, item.evidence))
            if item.code in _ABOUT_THE_PAGE and item.claim is not None and item.evidence is not None
            else None
        )
        if copy is None:
            told.append(item)
            continue
        message = item.message.removesuffix(_ADVICE)
        tail = " (`factcheck fix --archive` writes it as archive_url)" if copy.usable else ""
        told.append(replace(item, message=f"{message}; {copy.sentence()}{tail}"))
    return told
