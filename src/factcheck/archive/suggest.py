"""Archive copies for evidence whose page is gone or no longer has the quote.

:func:`find_copies` asks the archive, one request at a time, for the snapshot of each page
closest to the date the page was read (``accessed``; else the claims file's last commit; else
today), then fetches the snapshots with the link checker (same guard, deadlines, cache; one
request at a time to an archive host) and checks the quote on each. The answer is a
:class:`Suggestion` per evidence item, a sentence for every report format.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import FactcheckError
from factcheck.quotes import QuoteResult

if TYPE_CHECKING:
    from factcheck.archive.wayback import Lookup, Snapshot
    from factcheck.links import LinkSettings, Resolver


@dataclass(frozen=True)
class Wanted:
    """An evidence page to find an archive copy of."""

    url: str
    day: date
    quote: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """What the archive has for one evidence item."""

    url: str
    #: The date the snapshot was wanted closest to.
    day: date
    archive: str
    snapshot_url: str | None = None
    snapshot_day: date | None = None
    #: The quote on the snapshot; None when the evidence has no quote or the copy was not read.
    quote: QuoteResult | None = None
    #: Why the copy or the look-up failed, or why the quote was not checked.
    problem: str | None = None

    @property
    def usable(self) -> bool:
        """A copy worth writing as ``archive_url``: it answered, and has the quote if any."""
        return self.snapshot_url is not None and (
            self.problem is None and self.quote in (None, QuoteResult.FOUND, QuoteResult.NEAR)
        )

    def sentence(self) -> str:
        """One line for every format: "archive copy of 2024-04-16 has the quote: URL"."""
        if self.snapshot_url is None:
            if self.problem is not None:
                return f"archive look-up at {self.archive} failed ({self.problem})"
            return f"no archive copy at {self.archive}"
        what = f"archive copy of {self.snapshot_day}"
        if self.problem is not None and self.quote is None:
            return f"{what} could not be read ({self.problem}): {self.snapshot_url}"
        said = {
            None: "",
            QuoteResult.FOUND: " has the quote",
            QuoteResult.NEAR: " has the quote, nearly",
            QuoteResult.MISSING: " lacks the quote",
            QuoteResult.SKIPPED: f" (quote not checked: {self.problem})",
        }[self.quote]
        return f"{what}{said}: {self.snapshot_url}"

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.snapshot_url,
            "date": self.snapshot_day.isoformat() if self.snapshot_day else None,
            "wanted": self.day.isoformat(),
            "archive": self.archive,
            "quote": self.quote.value if self.quote else None,
            "usable": self.usable,
            "message": self.sentence(),
        }

    @classmethod
    def from_json(cls, url: str, data: dict[str, Any]) -> Suggestion:
        quote = data.get("quote")
        snapshot_day = data.get("date")
        return cls(
            url=url,
            day=date.fromisoformat(str(data["wanted"])),
            archive=str(data.get("archive", "")),
            snapshot_url=data.get("url"),
            snapshot_day=date.fromisoformat(snapshot_day) if snapshot_day else None,
            quote=QuoteResult(quote) if quote else None,
            problem=None if data.get("usable") else str(data.get("message", "")),
        )


def last_commit_day(path: Path) -> date | None:
    """The day of the last commit that touched ``path``; None outside git or uncommitted."""
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", path.name],
            cwd=path.parent.resolve(),
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    try:
        return date.fromisoformat(done.stdout.strip()) if done.returncode == 0 else None
    except ValueError:
        return None


def wanted_day(accessed: date | None, file_day: date | None, today: date) -> date:
    """``accessed``, else the claims file's last commit, else today."""
    return accessed or file_day or today


def find_copies(
    wanted: Iterable[Wanted],
    settings: LinkSettings,
    endpoint: str,
    *,
    resolver: Resolver | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[Wanted, Suggestion]:
    """A suggestion for every wanted page (look-ups one at a time, then the snapshots)."""
    from factcheck.archive.session import GuardedClient
    from factcheck.archive.wayback import Wayback

    items = list(dict.fromkeys(wanted))
    client = GuardedClient(settings, resolver=resolver, sleep=sleep, wall_clock=clock)
    archive = Wayback(
        endpoint,
        client,
        cache_dir=settings.cache_dir if settings.use_cache else None,
        max_age=settings.max_cache_age,
        clock=clock,
    )
    lookups: dict[tuple[str, date], Lookup] = {}
    try:
        for item in items:
            if (item.url, item.day) not in lookups:
                lookups[(item.url, item.day)] = archive.closest(item.url, item.day)
    finally:
        archive.close()
        client.close()
    snapshots = [s for lookup in lookups.values() if (s := lookup.snapshot) is not None]
    pages = _fetch(snapshots, items, settings, resolver, clock)
    return {
        item: _suggestion(item, lookups[(item.url, item.day)], archive.host, pages)
        for item in items
    }


def _fetch(
    snapshots: list[Snapshot],
    items: list[Wanted],
    settings: LinkSettings,
    resolver: Resolver | None,
    clock: Callable[[], float],
) -> dict[str, Any]:
    """Each snapshot's link result (keyed by its raw address), read for its text."""
    if not snapshots:
        return {}
    from factcheck.links import LinkKind, LinkRequest, check_links, normalise_url

    need_text = any(item.quote for item in items)
    requests = [LinkRequest(s.raw_url, LinkKind.ARCHIVE, need_text=need_text) for s in snapshots]
    try:
        results = check_links(requests, settings, resolver=resolver, clock=clock)
    except FactcheckError as exc:  # the archive host cannot be reached at all
        return {s.raw_url: exc.message for s in snapshots}
    return {s.raw_url: results[normalise_url(s.raw_url)] for s in snapshots}


def _suggestion(item: Wanted, lookup: Lookup, host: str, pages: dict[str, Any]) -> Suggestion:
    from factcheck.quotes import check_quote

    snapshot = lookup.snapshot
    if snapshot is None:
        return Suggestion(item.url, item.day, host, problem=lookup.problem)
    found = Suggestion(item.url, item.day, host, snapshot.url, snapshot.day)
    page = pages.get(snapshot.raw_url)
    if isinstance(page, str):
        return _with(found, problem=page)
    if page is None or page.outcome.value != "ok":
        reason = "not fetched" if page is None else f"{page.reason}: {page.detail}"
        return _with(found, problem=reason)
    if not item.quote:
        return found
    # paywalled=True: only the archive copy is checked, which is all there is here.
    match = check_quote(item.quote, None, page, offline=False, paywalled=True)
    problem = None
    if match.result is QuoteResult.SKIPPED:
        problem = match.detail or str(match.reason or "not checked")
    return _with(found, quote=match.result, problem=problem)


def _with(suggestion: Suggestion, **changes: Any) -> Suggestion:
    from dataclasses import replace

    return replace(suggestion, **changes)


def needs_copy(live: Any, archive: Any, quote: Any) -> bool:
    """The live page is broken (not merely refused by the guard) or lacks the quote, and no
    working archive copy has it. Takes link results and a quote match, or their report forms
    (a saved run)."""
    broken = live is not None and live.outcome == "broken" and live.reason != "private-address"
    missing = quote is not None and quote.result == QuoteResult.MISSING
    if not (broken or missing):
        return False
    archive_works = archive is not None and archive.outcome == "ok"
    return not (archive_works and (quote is None or quote.result in _HAS_IT))


_HAS_IT = (QuoteResult.FOUND, QuoteResult.NEAR)
