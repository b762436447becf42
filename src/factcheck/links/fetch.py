"""Checking one URL: the request, its redirects and retries, reading only what the checks need,
and the decision (SPEC.md, "Link checking").

Reading: a link-only check of an HTML page stops after ``</title>`` (or 64 KiB); a text or
fragment check reads up to the body cap (PDFs and bodies of unknown type to a temporary file,
up to the PDF cap); error pages are read up to 64 KiB when a challenge could hide in them.
Bodies are read and decompressed by :mod:`factcheck.links.body`; bytes move through a
:class:`~factcheck.links.transport.Transport` (the fetch hook), one hop at a time.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import re
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.links import verdict
from factcheck.links.body import (
    HEAD_LIMIT,
    SMALL_LIMIT,
    TITLE_END,
    Body,
    finish,
    judge_head,
    read_body,
    read_page,
)
from factcheck.links.transport import FetchFailure, Network, Request, Response, Transport
from factcheck.links.types import LinkKind, LinkResult, LinkSettings, Reason, make_result
from factcheck.links.urls import (
    host_of,
    is_archive_host,
    is_root_or_login,
    normalise_url,
    path_segments,
    resolve_location,
    shape_problem,
    wire_url,
    without_wayback_flag,
)

if TYPE_CHECKING:
    from factcheck.extract import PageText
    from factcheck.links.robots import Robots

#: Redirects followed, as browsers do (Chrome and Firefox stop after 20).
MAX_REDIRECTS = 20
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_NOT_TEXT_MEDIA = re.compile(
    r"^(image|audio|video|font|model)/|^application/(zip|gzip|x-(?!pdf)|vnd\.|octet-stream)"
)
_PDF_MEDIA = ("application/pdf", "application/x-pdf")


@dataclass
class Job:
    """One distinct URL and everything the requests for it need."""

    key: str
    kinds: set[LinkKind] = field(default_factory=set)
    need_text: bool = False
    fragments: set[str] = field(default_factory=set)
    #: Why the URL as written cannot be fetched (its key drops credentials, for one).
    problem: tuple[Reason, str] | None = None
    #: Where the URL is fetched instead (``--remap``); None: at the URL itself.
    remap: str | None = None
    #: The ``.factcheckignore`` pattern that skips the URL, when every request for it has one.
    ignored_by: str | None = None
    #: Some request for the URL is not ignored: it is fetched.
    wanted: bool = False

    @functools.cached_property
    def host(self) -> str:
        return host_of(self.remap or self.key)

    @functools.cached_property
    def start(self) -> str:
        """The URL as first requested (see :func:`wire_url`)."""
        return wire_url(self.remap or self.key)

    @property
    def archive(self) -> bool:
        return LinkKind.ARCHIVE in self.kinds or is_archive_host(self.host)

    @property
    def need_page(self) -> bool:
        return self.need_text or bool(self.fragments)


@dataclass
class Hop:
    """One response."""

    url: str
    status: int
    location: str | None
    content_type: str | None
    challenge: str | None = None
    page: PageText | None = None
    #: The ``<title>`` and first ``<h1>`` seen, for soft-404 detection.
    title: str | None = None
    h1: str | None = None
    truncated: bool = False
    set_cookies: list[str] = field(default_factory=list)
    retry_after: str | None = None
    #: Retries made before this response.
    retries: int = 0


@dataclass
class Failure:
    reason: Reason
    detail: str
    retry: bool = False
    #: Failed at once on a kept-alive connection the server had closed: try again, now.
    stale: bool = False


@dataclass
class Budget:
    """What one URL may still spend, whatever its redirects: ``retries`` retries in all, and
    attempts only before ``end`` (timeout x (retries + 1) from the start, moved on by every
    wait), so that no URL keeps a run waiting longer than that."""

    end: float
    retries: int


class HostState:
    """Politeness per host: a ``Retry-After`` holds back every request to that host, and
    ``--host-interval`` spaces the starts of its requests."""

    def __init__(self) -> None:
        #: In the loop's time: no request before this (``Retry-After``).
        self.not_before = 0.0
        #: In the loop's time: the earliest start of the next request (``--host-interval``).
        self.next_start = 0.0


#: Bodies read for their text above this size are extracted in a thread, so that the loop
#: keeps serving the other connections meanwhile.
_EXTRACT_INLINE = 256 * 1024


class Fetcher:
    """Checks single URLs; shared by the tasks of one run, on its event loop."""

    def __init__(
        self,
        settings: LinkSettings,
        network: Network,
        transport: Transport,
        workdir: Callable[[], Path],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.network = network
        self.transport = transport
        self.workdir = workdir
        self.sleep = sleep
        self.wall_clock = wall_clock
        self.headers = {
            "User-Agent": settings.user_agent,
            "Accept": _ACCEPT,
            "Accept-Language": "en-US,en;q=0.9,*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
            "Upgrade-Insecure-Requests": "1",
        }
        self._hosts: dict[str, HostState] = {}
        #: ``--respect-robots``: the run's robots.txt rules, by origin.
        self.robots: Robots | None = None

    # -- one URL -------------------------------------------------------------------------------

    async def check(self, job: Job, *, robots: bool = True) -> LinkResult:
        """The result for ``job``, before fragment checks (which :mod:`checker` applies, so that
        cached pages get them too). Never raises for a URL. Under ``--respect-robots`` every
        hop is first checked against its origin's robots.txt (``robots=False``: for robots.txt
        itself)."""
        start = job.start
        url = start
        cookies: Any = None
        cookie_header: str | None = None
        visited: set[tuple[str, str | None]] = {(normalise_url(start), None)}
        redirects = 0
        last: Hop | None = None
        retries = self.settings.retries
        budget = Budget(
            asyncio.get_running_loop().time() + self.settings.timeout * (retries + 1), retries
        )
        while True:
            if robots and self.robots is not None:
                refusal = await self.robots.refusal(url)
                if refusal is not None:
                    if last is not None:
                        refusal = f"redirected to {normalise_url(url)}, but {refusal}"
                    return self._with_last(job, Reason.ROBOTS, refusal, last)
            host = self._host(host_of(url))
            answer = await self._request(url, job, cookie_header, host, budget)
            if isinstance(answer, Failure):
                return self._failed(job, answer, last)
            last = answer
            if not (300 <= answer.status < 400 and answer.location):
                return self._decide(job, answer, start, redirects)
            if answer.set_cookies:  # only a redirect needs them: for the next hop
                cookies = _remember_cookies(cookies, url, answer.set_cookies)
            target = resolve_location(url, _location_text(answer.location))
            problem = shape_problem(target)
            if problem is not None:
                detail = f"redirected to an unusable URL {target!r}: {problem[1]}"
                return self._with_last(job, Reason.INVALID_URL, detail, last)
            redirects += 1
            if redirects > MAX_REDIRECTS:
                detail = f"more than {MAX_REDIRECTS} redirects"
                return self._with_last(job, Reason.TOO_MANY_REDIRECTS, detail, last)
            cookie_header = _cookie_header(cookies, target) if cookies is not None else None
            seen = (normalise_url(wire_url(target)), cookie_header)
            if seen in visited:
                detail = f"redirect loop at {normalise_url(target)}"
                return self._with_last(job, Reason.REDIRECT_LOOP, detail, last)
            visited.add(seen)
            url = wire_url(target)

    def _host(self, host: str) -> HostState:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = HostState()
        return state

    def _display(self, job: Job, hop: Hop) -> str:
        return without_wayback_flag(hop.url, job.key)

    def _failed(self, job: Job, failure: Failure, last: Hop | None) -> LinkResult:
        return self._with_last(job, failure.reason, failure.detail, last)

    def _with_last(self, job: Job, reason: Reason, detail: str, last: Hop | None) -> LinkResult:
        return make_result(
            job.key,
            reason,
            detail,
            status_code=last.status if last else None,
            final_url=self._final_url(job, last) if last else None,
            content_type=last.content_type if last else None,
        )

    def _final_url(self, job: Job, hop: Hop) -> str:
        """``job.key`` when the last response came from the URL asked for (as sent)."""
        if hop.url == job.start or normalise_url(hop.url) == normalise_url(job.start):
            return job.key
        return self._display(job, hop)

    def _decide(self, job: Job, hop: Hop, start: str, redirects: int) -> LinkResult:
        final_url = self._final_url(job, hop)
        common: dict[str, Any] = {
            "status_code": hop.status,
            "final_url": final_url,
            "content_type": hop.content_type,
            "page": hop.page,
            "truncated": hop.truncated,
        }
        status = verdict.status_text(hop.status)
        if hop.challenge:
            detail = f"a bot challenge stands in for the page ({status}, {hop.challenge})"
            return make_result(job.key, Reason.BOT_BLOCKED, detail, **common)
        reason = verdict.status_reason(hop.status)
        if 300 <= hop.status < 400:
            status += " without a Location"
        if reason is not None:
            if hop.retries:
                status += f" (after {hop.retries} {'retry' if hop.retries == 1 else 'retries'})"
            return make_result(job.key, reason, status, **common)
        redirected = final_url != job.key
        if redirected and path_segments(job.key) >= 2 and is_root_or_login(final_url):
            where = "a login page" if path_segments(final_url) else "the site's home page"
            detail = f"redirected to {where} ({final_url})"
            return make_result(job.key, Reason.SOFT_404, detail, **common)
        if (text := verdict.not_found_text(hop.title, hop.h1)) is not None:
            detail = f"{status}, but the page says {text!r}"
            return make_result(job.key, Reason.SOFT_404, detail, **common)
        if redirected:
            hops = "redirect" if redirects == 1 else "redirects"
            detail = f"{status} after {redirects} {hops}"
            return make_result(job.key, Reason.REDIRECTED, detail, **common)
        return make_result(job.key, Reason.OK, status, **common)

    # -- one request, with retries -------------------------------------------------------------

    async def _pace(self, host: HostState) -> None:
        """Wait for the host's turn: after its ``Retry-After`` and ``--host-interval`` after
        the start of its previous request. The turn is taken before waiting, so requests that
        wait together start one interval apart."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        start = max(now, host.not_before, host.next_start)
        host.next_start = start + self.settings.host_interval
        if start > now:
            await self.sleep(start - now)

    async def _request(
        self, url: str, job: Job, cookie: str | None, host: HostState, budget: Budget
    ) -> Hop | Failure:
        attempt = 0
        loop = asyncio.get_running_loop()
        while True:
            paced = loop.time()
            await self._pace(host)
            budget.end += loop.time() - paced  # waiting for the host's turn is not an attempt
            answer = await self._attempt(url, job, cookie, budget)
            if isinstance(answer, Failure):
                if answer.stale:  # not counted: the server had closed the idle connection
                    answer = await self._attempt(url, job, cookie, budget)
                if isinstance(answer, Failure):
                    if not answer.retry or budget.retries <= 0:
                        return answer
                    if loop.time() >= budget.end:
                        return answer  # no time left for another attempt
                    delay = self._backoff(attempt)
                    budget.end += delay
                    await self.sleep(delay)
                    attempt += 1
                    budget.retries -= 1
                    continue
            answer.retries = attempt
            if answer.status not in verdict.RETRY_STATUSES or answer.challenge:
                return answer
            if budget.retries <= 0 or loop.time() >= budget.end:
                return answer
            asked = verdict.retry_after(answer.retry_after, self.wall_clock())
            if asked is not None and asked > self.settings.max_retry_after:
                return answer  # not worth waiting for: report what we have
            delay = asked if asked is not None else self._backoff(attempt)
            host.not_before = max(host.not_before, loop.time() + delay)
            attempt += 1
            budget.retries -= 1

    def _backoff(self, attempt: int) -> float:
        """The wait before retry ``attempt + 1``: doubling, never over ``max_backoff``."""
        settings = self.settings
        return min(float(settings.backoff) * 2.0 ** min(attempt, 30), float(settings.max_backoff))

    async def _attempt(
        self, url: str, job: Job, cookie: str | None, budget: Budget
    ) -> Hop | Failure:
        now = asyncio.get_running_loop().time()
        if now >= budget.end:
            return Failure(Reason.TIMEOUT, "no answer within the URL's total deadline")
        deadline = min(now + self.settings.timeout, budget.end)
        headers = self.headers if cookie is None else {**self.headers, "Cookie": cookie}
        if self.settings.proxy:
            refused = await self._proxy_guard(url)
            if refused is not None:
                return refused
        try:
            response = await self.transport.send(Request(url, headers), deadline)
        except FetchFailure as exc:
            return Failure(exc.reason, exc.detail, retry=exc.retry, stale=exc.stale)
        try:
            return await self._read(response, url, job)
        finally:
            response.release()

    async def _proxy_guard(self, url: str) -> Failure | None:
        """Through a proxy, the proxy connects: refuse a target that resolves (here) to a
        non-public address; a name only the proxy can resolve is left to it."""
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            await self.network.addresses(parts.hostname or "", port)
        except FetchFailure as exc:
            if exc.reason is Reason.PRIVATE_ADDRESS or not exc.tried:
                return Failure(exc.reason, exc.detail)
        return None

    # -- reading --------------------------------------------------------------------------------

    async def _read(self, response: Response, url: str, job: Job) -> Hop:
        status = int(response.status)
        headers = response.headers
        content_type = headers.get("content-type")
        hop = Hop(
            url=url,
            status=status,
            location=headers.get("location"),
            content_type=content_type,
            challenge=verdict.challenge_header(headers),
            set_cookies=headers.getlist("set-cookie"),
            retry_after=headers.get("retry-after"),
        )
        media = (content_type or "").split(";", 1)[0].strip().lower()
        if 200 <= status < 300:
            await self._read_success(response, hop, job, media)
        elif 300 <= status < 400 or status in (401, 403, 404, 410) or hop.challenge:
            await finish(response, Body(b"", False, False))
        else:  # a challenge may hide in an error page (503 "Just a moment...")
            body = await read_body(response, SMALL_LIMIT)
            await finish(response, body)
            if media in ("", "text/html", "application/xhtml+xml"):
                page = read_page(body.data, content_type, url, body.truncated)
                if page.challenge:
                    hop.challenge = f"a {page.interstitial or 'challenge'} page"
        return hop

    async def _read_success(self, response: Response, hop: Hop, job: Job, media: str) -> None:
        from factcheck.extract import extract_page, page_kind

        ctype = hop.content_type
        unknown = media in ("", "application/octet-stream", "binary/octet-stream")
        if media in _PDF_MEDIA or (unknown and job.need_text):
            if job.need_text:
                hop.page, hop.truncated = await self._read_file(response, ctype, media)
            else:
                await finish(response, Body(b"", False, False))
            return
        if _NOT_TEXT_MEDIA.match(media):
            await finish(response, Body(b"", False, False))
            if job.need_text:
                hop.page = extract_page(b"", ctype, url=hop.url)
            return
        if job.need_page:
            body = await read_body(response, self.settings.max_body)
            await finish(response, body)
            hop.truncated = body.truncated
            if len(body.data) > _EXTRACT_INLINE:
                hop.page = await asyncio.to_thread(
                    read_page, body.data, ctype, hop.url, body.truncated
                )
            else:
                hop.page = read_page(body.data, ctype, hop.url, body.truncated)
            hop.title, hop.h1 = hop.page.title, hop.page.h1
            if hop.page.challenge:
                hop.challenge = f"a {hop.page.interstitial or 'challenge'} page"
            return
        # Link only: the head of an HTML page, for its title and challenge markers.
        body = await read_body(response, HEAD_LIMIT, stop_at_title=True)
        await finish(response, body)
        hop.truncated = body.truncated and body.timed_out
        if not body.data:
            return
        head = body.data
        if (end := TITLE_END.search(head)) is not None:
            head = head[: end.end()]
        elif not body.complete:
            return  # no title in what was read: nothing to judge
        if not media and page_kind(None, head) != "html":
            return
        title, challenge = judge_head(head, ctype, hop.url, complete=end is None)
        hop.title = title
        if challenge:
            hop.challenge = challenge

    async def _read_file(
        self, response: Response, content_type: str | None, media: str
    ) -> tuple[PageText, bool]:
        """A PDF, or a body of unknown type that may be one, streamed to a temporary file and
        read in a thread."""
        with tempfile.NamedTemporaryFile(dir=self.workdir(), suffix=".pdf", delete=False) as out:
            path = Path(out.name)
            body = await read_body(response, self.settings.max_pdf, sink=out)
        try:
            await finish(response, body)
            return await asyncio.to_thread(self._extract_file, path, body, content_type, media)
        finally:
            path.unlink(missing_ok=True)

    def _extract_file(
        self, path: Path, body: Body, content_type: str | None, media: str
    ) -> tuple[PageText, bool]:
        from factcheck.extract import extract_page, extract_pdf

        with path.open("rb") as stream:
            head = stream.read(self.settings.max_body + 1)
        if media in _PDF_MEDIA or head[:1024].lstrip().startswith(b"%PDF-"):
            pdf = extract_pdf(path)
            if body.truncated:  # read as far as it goes, never complete
                return dataclasses.replace(pdf, complete=False), True
            return pdf, False
        truncated = body.truncated or len(head) > self.settings.max_body
        page = extract_page(
            head[: self.settings.max_body], content_type, url=None, truncated=truncated
        )
        return page, truncated


# -- cookies within one redirect chain ----------------------------------------------------------


def _remember_cookies(jar: Any, url: str, set_cookies: list[str]) -> Any:
    from email.message import Message
    from http.cookiejar import CookieJar
    from urllib.request import Request

    class _Response:
        def __init__(self) -> None:
            self.message = Message()
            for value in set_cookies:
                self.message["Set-Cookie"] = value

        def info(self) -> Message:
            return self.message

    if jar is None:
        jar = CookieJar()
    jar.extract_cookies(_Response(), Request(url))
    return jar


def _cookie_header(jar: Any, url: str) -> str | None:
    from urllib.request import Request

    request = Request(wire_url(url))
    jar.add_cookie_header(request)
    value = request.get_header("Cookie")
    return str(value) if value else None


def _location_text(location: str) -> str:
    """http.client reads headers as Latin-1; a raw UTF-8 ``Location`` is read back as UTF-8."""
    try:
        return location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return location
