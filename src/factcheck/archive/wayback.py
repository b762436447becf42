"""The snapshot of a page closest to a date, from a Wayback-compatible archive.

The archive's look-up endpoint is a setting (``--archive-endpoint``); its kind is read from
its path:

* ``…/wayback/available`` is the Wayback Machine's availability API (``{"archived_snapshots":
  {"closest": {"url", "timestamp", "status"}}}``); the snapshot address is the one it gives;
* anything else is a CDX server (the Wayback Machine's ``/cdx/search/cdx``, pywb's
  ``/<collection>/cdx``), asked for the closest capture with status 200; snapshots are replayed
  at ``/web/<timestamp>/<url>`` beside ``/cdx/search/cdx``, or at ``/<collection>/<timestamp>/
  <url>`` for ``/<collection>/cdx``.

Every answer and every snapshot address goes through the same guard as any link: an archive
that points at a private address is refused like a link that does.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from factcheck.archive import DEFAULT_ENDPOINT as DEFAULT_ENDPOINT
from factcheck.archive.session import Answer, GuardedClient
from factcheck.urls import url_problem

_STAMP = re.compile(r"^\d{8,14}$")
_REPLAY = re.compile(r"^(?P<base>https?://.+?)/(?P<stamp>\d{8,14})(?:[a-z]{2}_)?/(?P<url>.+)$")


@dataclass(frozen=True)
class Snapshot:
    """One capture of a page in the archive."""

    #: The replay address, as a reader (and ``archive_url``) uses it.
    url: str
    #: 14 digits, YYYYMMDDhhmmss.
    stamp: str
    #: The page as the archive names it.
    original: str
    #: The replay address without the archive's banner (the ``id_`` flag): what is checked.
    raw_url: str

    @property
    def day(self) -> date:
        return date(int(self.stamp[:4]), int(self.stamp[4:6]), int(self.stamp[6:8]))


@dataclass(frozen=True)
class Lookup:
    """The answer for one URL and date: a snapshot, none, or why the archive could not say."""

    url: str
    day: date
    snapshot: Snapshot | None = None
    #: The look-up failed (timeout, rate-limited, private address ...); None when it answered.
    problem: str | None = None
    from_cache: bool = False


def _stamp(value: str) -> str:
    return (value + "000000")[:14]


def replay(base: str, stamp: str, url: str, *, raw: bool = False) -> str:
    return f"{base.rstrip('/')}/{stamp}{'id_' if raw else ''}/{url}"


def _parse_replay(address: str) -> Snapshot | None:
    match = _REPLAY.match(address)
    if match is None or url_problem(address) is not None:
        return None
    stamp = _stamp(match["stamp"])
    return Snapshot(
        url=replay(match["base"], stamp, match["url"]),
        stamp=stamp,
        original=match["url"],
        raw_url=replay(match["base"], stamp, match["url"], raw=True),
    )


class Wayback:
    """Look-ups against one endpoint, one request at a time, cached like links."""

    def __init__(
        self,
        endpoint: str,
        client: GuardedClient,
        *,
        cache_dir: Path | None = None,
        max_age: float = 86400.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.endpoint = endpoint
        self.client = client
        self.availability = urlsplit(endpoint).path.rstrip("/").endswith("/wayback/available")
        self._cache = _LookupCache(cache_dir, max_age, clock) if cache_dir is not None else None

    @property
    def host(self) -> str:
        return urlsplit(self.endpoint).hostname or self.endpoint

    def replay_base(self) -> str:
        """Where a CDX server's captures are replayed (see the module's docstring)."""
        parts = urlsplit(self.endpoint)
        path = parts.path.rstrip("/")
        if path.endswith("/cdx/search/cdx"):
            path = path[: -len("/cdx/search/cdx")] + "/web"
        elif path.endswith("/cdx"):
            path = path[: -len("/cdx")]
        else:
            path = "/web"
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))

    def closest(self, url: str, day: date) -> Lookup:
        if self._cache is not None:
            cached = self._cache.get(self.endpoint, url, day)
            if cached is not None:
                return cached
        found = self._ask(url, day)
        if self._cache is not None and found.problem is None:
            self._cache.put(self.endpoint, found)
        return found

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()

    def _ask(self, url: str, day: date) -> Lookup:
        when = day.strftime("%Y%m%d")
        if self.availability:
            query = urlencode({"url": url, "timestamp": when})
        else:
            query = urlencode(
                {
                    "url": url,
                    "closest": when,
                    "sort": "closest",
                    "limit": "1",
                    "filter": "statuscode:200",
                    "fl": "timestamp,original,statuscode",
                    "output": "json",
                }
            )
        separator = "&" if "?" in self.endpoint else "?"
        answer = self.client.get(f"{self.endpoint}{separator}{query}")
        if not isinstance(answer, Answer):
            return Lookup(url, day, problem=f"{answer.reason}: {answer.detail}")
        if answer.status != 200:
            return Lookup(url, day, problem=f"the archive answered HTTP {answer.status}")
        try:
            snapshot = self._availability(answer) if self.availability else self._cdx(answer)
        except ValueError as exc:
            return Lookup(url, day, problem=f"the archive's answer is not understood: {exc}")
        return Lookup(url, day, snapshot)

    def _availability(self, answer: Answer) -> Snapshot | None:
        data = json.loads(answer.text() or "{}")
        closest = (data.get("archived_snapshots") or {}).get("closest") if data else None
        if not isinstance(closest, dict) or not closest.get("available"):
            return None
        if str(closest.get("status", "200")) != "200":
            return None
        snapshot = _parse_replay(str(closest.get("url", "")))
        if snapshot is None:
            raise ValueError(f"snapshot address {str(closest.get('url'))[:200]!r}")
        return snapshot

    def _cdx(self, answer: Answer) -> Snapshot | None:
        text = answer.text().strip()
        if not text:
            return None
        rows: list[dict[str, str]] = []
        try:
            data = json.loads(text)
        except json.JSONDecodeError:  # pywb: one JSON object per line
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        if isinstance(data, list) and data and isinstance(data[0], list):
            header = [str(name) for name in data[0]]
            rows = [dict(zip(header, map(str, row), strict=False)) for row in data[1:]]
        elif isinstance(data, list):
            rows = [{k: str(v) for k, v in row.items()} for row in data if isinstance(row, dict)]
        else:
            raise ValueError("neither a CDX table nor CDX lines")
        for row in rows:
            stamp = row.get("timestamp", "")
            original = row.get("original") or row.get("url") or ""
            status = row.get("statuscode") or row.get("status") or "200"
            if not _STAMP.match(stamp) or url_problem(original) is not None:
                raise ValueError(f"a capture without a time or address: {row!r:.200}")
            if status not in ("200", "-"):
                continue
            stamp = _stamp(stamp)
            base = self.replay_base()
            return Snapshot(
                replay(base, stamp, original),
                stamp,
                original,
                replay(base, stamp, original, raw=True),
            )
        return None


class _LookupCache:
    """``<cache-dir>/archive.sqlite``: answers of the archive, found or not, for
    ``max_age`` seconds; failed look-ups are not kept."""

    def __init__(self, cache_dir: Path, max_age: float, clock: Callable[[], float]) -> None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        ignore = cache_dir / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        self.max_age = max_age
        self.clock = clock
        self.db = sqlite3.connect(cache_dir / "archive.sqlite", timeout=10)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS lookups (endpoint TEXT, url TEXT, day TEXT, "
            "stamp TEXT, original TEXT, replay TEXT, raw TEXT, at REAL, "
            "PRIMARY KEY (endpoint, url, day))"
        )

    def get(self, endpoint: str, url: str, day: date) -> Lookup | None:
        row = self.db.execute(
            "SELECT stamp, original, replay, raw, at FROM lookups "
            "WHERE endpoint = ? AND url = ? AND day = ?",
            (endpoint, url, day.isoformat()),
        ).fetchone()
        if row is None or self.clock() - row[4] > self.max_age:
            return None
        snapshot = Snapshot(row[2], row[0], row[1], row[3]) if row[0] else None
        return Lookup(url, day, snapshot, from_cache=True)

    def put(self, endpoint: str, found: Lookup) -> None:
        snap = found.snapshot
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO lookups VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    endpoint,
                    found.url,
                    found.day.isoformat(),
                    snap.stamp if snap else "",
                    snap.original if snap else "",
                    snap.url if snap else "",
                    snap.raw_url if snap else "",
                    self.clock(),
                ),
            )

    def close(self) -> None:
        self.db.close()
