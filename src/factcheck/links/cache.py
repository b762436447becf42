"""The link cache: ``<cache-dir>/cache.sqlite`` (SPEC.md, "Cache").

SQLite in WAL mode, one transaction per URL: two runs can share the file, and a run killed at
any moment leaves it whole (a commit is in the WAL or it is not). Entries are keyed by the
normalised URL and the settings fingerprint. ``ok`` entries keep the extracted page (text up to
2 MiB, fragment ids, title, headings) so that a warm run checks quotes and fragments without a
request; warnings are kept an hour; broken and skipped results are not kept.

requests-cache does not fit: it stores whole response bodies, and we never read whole bodies.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.links.types import LinkResult, Outcome, Reason

if TYPE_CHECKING:
    from factcheck.links.credentials import Credentials

log = logging.getLogger("factcheck.links")

CACHE_FILE = "cache.sqlite"
#: Warnings are rechecked after an hour at most (a rate limit or a challenge passes).
WARNING_MAX_AGE = 3600.0
#: Entries older than this are deleted when a run opens the cache.
PRUNE_AGE = 30 * 86400.0
#: Visible text kept per page.
MAX_TEXT_CHARS = 2 * 1024 * 1024
_SCHEMA = 1
_BUSY_MS = 10_000

_CREATE = """
CREATE TABLE IF NOT EXISTS links (
    url TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    fetched_at REAL NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    status_code INTEGER,
    final_url TEXT,
    detail TEXT NOT NULL,
    content_type TEXT,
    truncated INTEGER NOT NULL,
    page BLOB,
    PRIMARY KEY (url, fingerprint)
) WITHOUT ROWID
"""


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    exists: bool
    entries: int
    #: Entries per outcome (``ok``, ``warning``).
    outcomes: dict[str, int]
    size_bytes: int
    oldest: float | None
    newest: float | None


def cache_path(cache_dir: Path) -> Path:
    return Path(cache_dir) / CACHE_FILE


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=_BUSY_MS / 1000, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version != _SCHEMA:
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            if connection.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:
                connection.execute("DROP TABLE IF EXISTS links")
                connection.execute(_CREATE)
                connection.execute(f"PRAGMA user_version = {_SCHEMA}")
    return connection


def _salt(db: sqlite3.Connection) -> bytes:
    """This cache's random salt for credential digests, made on first use."""
    with db:
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        db.execute("INSERT OR IGNORE INTO meta VALUES ('salt', ?)", (os.urandom(16),))
    row = db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
    return bytes(row[0])


def _prepare_dir(cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    ignore = cache_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")


class LinkCache:
    """One run's handle on the cache. Used from one thread (the run's main thread)."""

    def __init__(
        self,
        cache_dir: Path,
        fingerprint: str,
        *,
        max_age: float,
        clock: Callable[[], float] = time.time,
        credentials: Credentials | None = None,
    ) -> None:
        self.fingerprint = fingerprint
        self.max_age = max_age
        self.clock = clock
        self.path = cache_path(cache_dir)
        self.credentials = credentials or None
        self._salt = b""
        self._db: sqlite3.Connection | None = None
        try:
            _prepare_dir(Path(cache_dir))
            self._db = self._open()
            if self.credentials is not None:
                self._salt = _salt(self._db)
        except (OSError, sqlite3.Error) as exc:
            log.warning("link cache disabled: cannot use %s: %s", self.path, exc)
            self._db = None

    def fingerprint_of(self, url: str) -> str:
        """The settings fingerprint, and for a URL fetched with credentials a salted SHA-256
        of them: a run with other credentials, or none, never reads the entry."""
        if self.credentials is None:
            return self.fingerprint
        digest = self.credentials.digest(url, self._salt)
        return f"{self.fingerprint}+{digest[:32]}" if digest else self.fingerprint

    def _authenticated(self, result: LinkResult) -> bool:
        creds = self.credentials
        return creds is not None and (
            creds.applies_to(result.url)
            or (result.final_url is not None and creds.applies_to(result.final_url))
        )

    def _open(self) -> sqlite3.Connection:
        try:
            db = _connect(self.path)
            db.execute("SELECT count(*) FROM links LIMIT 1").fetchone()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise
            # Not a database (or damaged beyond use): set it aside and start afresh.
            aside = self.path.with_name(f"{CACHE_FILE}.damaged-{int(time.time())}")
            log.warning("link cache %s is unreadable (%s); moved to %s", self.path, exc, aside)
            self.path.replace(aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            db = _connect(self.path)
        now = self.clock()
        with db:
            db.execute("DELETE FROM links WHERE fetched_at < ?", (now - PRUNE_AGE,))
            db.execute(
                "DELETE FROM links WHERE outcome = 'warning' AND fetched_at < ?",
                (now - WARNING_MAX_AGE,),
            )
        return db

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def get_many(self, urls: Iterable[str]) -> dict[str, tuple[LinkResult, bool]]:
        """Fresh entries for ``urls``: the result (``from_cache`` set) and whether it has the
        page. Stale or unreadable entries are left out."""
        if self._db is None:
            return {}
        found: dict[str, tuple[LinkResult, bool]] = {}
        by_fingerprint: dict[str, list[str]] = {}
        for url in dict.fromkeys(urls):
            by_fingerprint.setdefault(self.fingerprint_of(url), []).append(url)
        now = self.clock()
        for fingerprint, keys in by_fingerprint.items():
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                marks = ",".join("?" * len(batch))
                try:
                    rows = self._db.execute(
                        "SELECT url, fetched_at, outcome, reason, status_code, final_url, "
                        "detail, content_type, truncated, page FROM links WHERE fingerprint = ? "
                        f"AND url IN ({marks})",
                        (fingerprint, *batch),
                    ).fetchall()
                except sqlite3.Error as exc:
                    log.warning("link cache read failed: %s", exc)
                    return found
                for row in rows:
                    entry = self._entry(row, now)
                    if entry is not None:
                        found[row[0]] = entry
        return found

    def _entry(self, row: tuple[Any, ...], now: float) -> tuple[LinkResult, bool] | None:
        url, fetched_at, outcome, reason, status, final_url, detail, ctype, truncated, blob = row
        try:
            outcome, reason = Outcome(outcome), Reason(reason)
        except ValueError:
            return None
        age = now - fetched_at
        limit = self.max_age if outcome is Outcome.OK else min(self.max_age, WARNING_MAX_AGE)
        if outcome not in (Outcome.OK, Outcome.WARNING) or age >= limit or age < -60:
            return None
        page = None
        if blob is not None:
            page = _load_page(blob)
            if page is None:
                return None
        result = LinkResult(
            url=url,
            outcome=outcome,
            reason=reason,
            status_code=status,
            final_url=final_url,
            detail=detail,
            from_cache=True,
            content_type=ctype,
            page=page,
            truncated=bool(truncated),
        )
        return result, page is not None

    def put(self, result: LinkResult) -> None:
        """Keep ``result`` (before its fragment checks): ``ok`` and warnings only."""
        if self._db is None or result.outcome not in (Outcome.OK, Outcome.WARNING):
            return
        keep_page = result.page is not None and not (
            self._authenticated(result) and not (self.credentials and self.credentials.cache_pages)
        )
        blob = _dump_page(result.page) if keep_page else None
        try:
            with self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO links VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        result.url,
                        self.fingerprint_of(result.url),
                        self.clock(),
                        str(result.outcome),
                        str(result.reason),
                        result.status_code,
                        result.final_url,
                        result.detail,
                        result.content_type,
                        int(result.truncated),
                        blob,
                    ),
                )
        except sqlite3.Error as exc:
            log.warning("link cache write failed for %s: %s", result.url, exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _dump_page(page: Any) -> bytes:
    values: dict[str, Any] = {}
    for item in fields(page):
        value = getattr(page, item.name)
        if isinstance(value, frozenset | tuple):
            value = sorted(value) if isinstance(value, frozenset) else list(value)
        values[item.name] = value
    if len(values.get("text") or "") > MAX_TEXT_CHARS:
        values["text"] = values["text"][:MAX_TEXT_CHARS]
        values["complete"] = False
    return zlib.compress(json.dumps(values, ensure_ascii=False).encode("utf-8"), 6)


def _load_page(blob: bytes) -> Any:
    from factcheck.extract import Interstitial, PageKind, PageText

    try:
        values = json.loads(zlib.decompress(blob).decode("utf-8"))
        values["kind"] = PageKind(values["kind"])
        values["fragment_ids"] = frozenset(values["fragment_ids"])
        values["headings"] = tuple(values["headings"])
        if values.get("interstitial") is not None:
            values["interstitial"] = Interstitial(values["interstitial"])
        known = {item.name for item in fields(PageText)}
        return PageText(**{k: v for k, v in values.items() if k in known})
    except Exception:  # an entry from another version of PageText: a miss, not a crash
        return None


def cache_info(cache_dir: Path) -> CacheInfo:
    """What the cache in ``cache_dir`` holds (for ``factcheck cache info``)."""
    path = cache_path(cache_dir)
    if not path.exists():
        return CacheInfo(path, False, 0, {}, 0, None, None)
    size = sum(
        p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=_BUSY_MS / 1000)
        try:
            rows = db.execute(
                "SELECT outcome, count(*), min(fetched_at), max(fetched_at) FROM links "
                "GROUP BY outcome"
            ).fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return CacheInfo(path, True, 0, {}, size, None, None)
    outcomes = {str(row[0]): int(row[1]) for row in rows}
    oldest = min((row[2] for row in rows), default=None)
    newest = max((row[3] for row in rows), default=None)
    return CacheInfo(path, True, sum(outcomes.values()), outcomes, size, oldest, newest)


def cache_clear(cache_dir: Path) -> int:
    """Delete every entry; returns how many there were (for ``factcheck cache clear``)."""
    path = cache_path(cache_dir)
    if not path.exists():
        return 0
    try:
        db = _connect(path)
    except sqlite3.DatabaseError:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return 0
    try:
        with db:
            count = int(db.execute("SELECT count(*) FROM links").fetchone()[0])
            db.execute("DELETE FROM links")
        db.execute("VACUUM")
    finally:
        db.close()
    return count
