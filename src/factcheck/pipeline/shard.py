"""``--shard K/N``: one machine's share of an archive's links.

Hosts, not URLs, are dealt out: a URL belongs to shard ``int(sha256(host.lower()).hexdigest(),
16) % N + 1``, so every request to one host comes from one machine and the per-host limit holds
across the whole job. Every shard runs the offline families on every file; the links of other
shards' hosts are not fetched, and the evidence they carry is left for the merge
(``report --from A.json --from B.json``), which recomputes what depends on several hosts.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from factcheck.errors import FactcheckError

_SPEC = re.compile(r"^\s*(\d{1,6})\s*/\s*(\d{1,6})\s*$")


def host_shard(host: str, count: int) -> int:
    """The shard (1 to ``count``) of ``host``."""
    return int(hashlib.sha256(host.lower().encode("utf-8")).hexdigest(), 16) % count + 1


def url_host(url: str) -> str:
    try:
        return urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""


@dataclass(frozen=True)
class Shard:
    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def owns(self, url: str) -> bool:
        """This shard checks ``url`` (by its host; a URL without one goes by the empty name)."""
        return self.count == 1 or host_shard(url_host(url), self.count) == self.index


def parse_shard(text: str) -> Shard:
    """``K/N`` with 1 <= K <= N (exit 2 otherwise)."""
    match = _SPEC.match(text)
    if match is None or not 1 <= int(match[1]) <= int(match[2]):
        raise FactcheckError(f"--shard must be K/N with 1 <= K <= N, e.g. 1/4; not {text!r}")
    return Shard(int(match[1]), int(match[2]))
