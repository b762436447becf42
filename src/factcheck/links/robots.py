"""``--respect-robots``: each origin's robots.txt, read once per run, and a URL it disallows for
us is ``skipped/robots`` instead of fetched.

robots.txt is fetched like any link (the same transport, guard, deadlines, redirects and
retries) and kept in the link cache beside the links, under a key no link can have (its URL
with a ``#robots.txt`` fragment; link keys never keep a fragment). The rules are read by
Protego (RFC 9309: the group of the longest matching user-agent token, else ``*``; the longest
matching path wins, ``Allow`` on a tie; ``*`` and ``$`` in paths).

Whom the rules address: ``factcheck``, and the product token of ``--user-agent`` when one is
given (``factcheck-nightly (+mailto:desk@example.org)`` answers to ``factcheck-nightly`` and
``factcheck``), so a site owner can address nightly runs by either name; otherwise ``*``.

A robots.txt that is missing (any 4xx), unreachable (5xx, no connection, a timeout) or not a
text file allows everything: the link's own check then says what is wrong with the host.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from factcheck.links.fetch import Job
from factcheck.links.types import DEFAULT_USER_AGENT, LinkKind, Outcome
from factcheck.links.urls import normalise_url

if TYPE_CHECKING:
    from protego import Protego

    from factcheck.links.cache import LinkCache
    from factcheck.links.fetch import Fetcher
    from factcheck.links.types import LinkResult

log = logging.getLogger("factcheck.links")

#: The name robots.txt groups address factcheck by, whatever its User-Agent header says.
ROBOT_NAME = "factcheck"
#: The fragment that keeps robots.txt entries of the link cache apart from links.
CACHE_FRAGMENT = "#robots.txt"
_TOKEN = re.compile(r"[A-Za-z0-9_.-]+")


def robot_names(user_agent: str) -> str:
    """The names robots.txt groups address us by, as one string for Protego's matching:
    ``factcheck`` and the first product token of a ``--user-agent`` of our own."""
    names = [ROBOT_NAME]
    if user_agent != DEFAULT_USER_AGENT:
        token = _TOKEN.match(user_agent.strip())
        if token is not None and token.group().lower() not in (ROBOT_NAME, "mozilla"):
            names.append(token.group())
    return " ".join(names)


def robots_url(url: str) -> str:
    """The robots.txt that governs ``url`` (a URL as requested): same scheme, host and port."""
    parts = urlsplit(url)
    return normalise_url(f"{parts.scheme}://{parts.netloc}/robots.txt")


class Robots:
    """The run's robots.txt rules, one fetch per origin however many tasks ask at once."""

    def __init__(self, fetcher: Fetcher, cache: LinkCache | None) -> None:
        self.fetcher = fetcher
        self.cache = cache
        self.names = robot_names(fetcher.settings.user_agent)
        self._rules: dict[str, asyncio.Future[Protego | None]] = {}

    async def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be fetched, or None when its robots.txt allows it."""
        where = robots_url(url)
        if where == normalise_url(url):
            return None
        rules = self._rules.get(where)
        if rules is None:
            rules = self._rules[where] = asyncio.ensure_future(self._load(where))
        # shielded: a cancelled worker must not cancel the read the other workers wait for
        parsed = await asyncio.shield(rules)
        if parsed is None or parsed.can_fetch(url, self.names):
            return None
        return f"{where} disallows it for {self.names.replace(' ', ' and ')} (--respect-robots)"

    async def _load(self, where: str) -> Protego | None:
        key = where + CACHE_FRAGMENT
        if self.cache is not None:
            hit = self.cache.get_many([key]).get(key)
            if hit is not None and hit[1]:
                return _parse(hit[0], where)
        try:
            result = await self.fetcher.check(
                Job(where, kinds={LinkKind.EVIDENCE}, need_text=True), robots=False
            )
        except Exception:  # robots.txt must not cost the links of its host
            log.warning("internal error while reading %s", where, exc_info=True)
            return None
        if self.cache is not None and result.outcome is Outcome.OK:
            self.cache.put(replace(result, url=key))
        return _parse(result, where)


def _parse(result: LinkResult, where: str) -> Protego | None:
    """The rules of a robots.txt response; None (everything allowed) for anything but a text
    file that was had."""
    from factcheck.extract import PageKind

    page = result.page
    if result.outcome is not Outcome.OK or page is None or page.kind is not PageKind.TEXT:
        log.info("%s: %s; every URL allowed", where, result.detail)
        return None
    from protego import Protego

    try:
        return Protego.parse(page.text)
    except Exception:  # a parser's bug on a hostile file: nothing disallowed
        log.warning("cannot read %s; every URL allowed", where, exc_info=True)
        return None
