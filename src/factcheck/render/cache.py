"""``factcheck cache info`` as a small table: where the cache is, its size, its entries per
outcome, and the dates of its oldest and newest entries (UTC)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factcheck.links.cache import CacheInfo


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / (1024 * 1024):.1f} MiB"


def _date(epoch: float | None) -> str:
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def render_cache_info(info: CacheInfo) -> str:
    if not info.exists:
        return f"no link cache at {info.path.as_posix()} (nothing has been cached there yet)\n"
    rows = [("cache", info.path.as_posix()), ("size", _size(info.size_bytes))]
    for outcome in sorted(info.outcomes):
        rows.append((outcome, _entries(info.outcomes[outcome])))
    rows.append(("entries", _entries(info.entries)))
    rows.append(("oldest", _date(info.oldest)))
    rows.append(("newest", _date(info.newest)))
    width = max(len(name) for name, _ in rows)
    return "".join(f"{name:<{width}}  {value}\n" for name, value in rows)


def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"
