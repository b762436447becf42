"""``verify --suggest-archive``: which evidence items need an archive copy, and what the
archive has for them (:mod:`factcheck.archive.suggest`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from factcheck.archive.suggest import Suggestion, Wanted, find_copies, last_commit_day, wanted_day
from factcheck.archive.suggest import needs_copy as needs_copy

if TYPE_CHECKING:
    from factcheck.links import LinkSettings
    from factcheck.pipeline.state import FileState

#: (file, claim id, evidence index)
ItemKey = tuple[str, str, int]


def suggest_archives(
    states: list[FileState], settings: LinkSettings, endpoint: str, today: date
) -> dict[ItemKey, Suggestion]:
    """An archive copy for every broken or quote-missing item without a working one."""
    wanted: dict[ItemKey, Wanted] = {}
    for state in states:
        document = state.document
        if document is None:
            continue
        file_day: date | None = None
        asked_git = False
        for claim in document.claims:
            for index, item in enumerate(claim.evidence):
                checked = state.checked.get((claim.id, index))
                if (
                    item.url is None
                    or checked is None
                    or not needs_copy(checked.live, checked.archive, checked.quote)
                ):
                    continue
                if item.accessed is None and not asked_git:
                    file_day, asked_git = last_commit_day(state.path), True
                day = wanted_day(item.accessed, file_day, today)
                wanted[(state.loaded.path, claim.id, index)] = Wanted(item.url, day, item.quote)
    if not wanted:
        return {}
    copies = find_copies(wanted.values(), settings, endpoint)
    return {key: copies[item] for key, item in wanted.items()}
