"""Capture and replay through the link engine's fetch hook
(:class:`~factcheck.links.transport.Transport`).

:class:`CaptureTransport` wraps the network: every response is passed on as it comes and
copied as it is read, one record per redirect hop. :class:`ReplayTransport` stands in for the
network: it answers from a capture and opens no socket at all; a URL the capture lacks is
``skipped/not-captured``. Redirects, cookies, caps, challenge pages and verdicts are decided
above the hook, by the same code as a live run.

A request that carried credentials (an ``Authorization`` header, or a ``Cookie`` the run's
own responses did not set) is kept out of a capture unless ``include_authenticated``: a WARC
holds the whole page, a subscriber's name and session included.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING

from factcheck.archive.warc import Capture, Captured
from factcheck.links.transport import FetchFailure, Headers, Request, Response, Transport
from factcheck.links.types import LinkSettings, Reason

if TYPE_CHECKING:
    from factcheck.links.credentials import Credentials
    from factcheck.links.transport import Network, TransportFactory

_CREDENTIALS = ("authorization", "proxy-authorization")


@dataclass
class Recorder:
    """What a capture run fetched (filled from the run's event loop)."""

    responses: list[Captured] = field(default_factory=list)
    #: URL -> why it was left out.
    left_out: dict[str, str] = field(default_factory=dict)
    include_authenticated: bool = False
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    #: The run's ``--header``/``--cookies`` credentials: a request they apply to is
    #: authenticated whatever its header names.
    credentials: Credentials | None = None
    _set_cookies: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def authenticated(self, request: Request) -> bool:
        headers = {name.lower(): value for name, value in request.headers.items()}
        if any(name in headers for name in _CREDENTIALS):
            return True
        if self.credentials is not None and self.credentials.applies_to(request.url):
            return True
        cookie = headers.get("cookie")
        if cookie is None:
            return False
        names = {part.split("=", 1)[0].strip() for part in cookie.split(";") if part.strip()}
        return not names <= self._set_cookies

    def saw_cookies(self, values: list[str]) -> None:
        for value in values:
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value)
            except Exception:  # an unparsable cookie sets nothing we would recognise
                continue
            self._set_cookies.update(jar.keys())

    def factory(self) -> TransportFactory:
        from factcheck.links.transport import HttpTransport

        def make(settings: LinkSettings, network: Network) -> Transport:
            return CaptureTransport(HttpTransport(settings, network), self)

        return make


class _RecordingResponse:
    """The network's response, its raw body copied as the reader reads it."""

    def __init__(self, inner: Response, recorder: Recorder, keep: bool) -> None:
        self._inner = inner
        self._recorder = recorder
        self._keep = keep
        self._body = bytearray()
        self._complete = False
        self._released = False
        self.url = inner.url
        self.status = inner.status
        self.headers = inner.headers
        self.reused = inner.reused

    @property
    def length_remaining(self) -> int | None:
        return self._inner.length_remaining

    async def read1(self, size: int) -> bytes:
        chunk = await self._inner.read1(size)
        if chunk:
            self._body += chunk
        else:
            self._complete = True
        return chunk

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        if self.length_remaining == 0:
            self._complete = True
        self._inner.release()
        if not self._keep:
            return
        headers = self.headers.items()
        self._recorder.responses.append(
            Captured(
                url=self.url,
                status=self.status,
                reason=_REASONS.get(self.status, ""),
                headers=headers,
                body=bytes(self._body),
                complete=self._complete,
                fetched=self._recorder.clock(),
            )
        )


class CaptureTransport:
    """The network, with every response copied into the recorder."""

    def __init__(self, inner: Transport, recorder: Recorder) -> None:
        self._inner = inner
        self._recorder = recorder

    async def send(self, request: Request, deadline: float) -> Response:
        keep = self._recorder.include_authenticated or not self._recorder.authenticated(request)
        if not keep:
            self._recorder.left_out[request.url] = "fetched with credentials"
        response = await self._inner.send(request, deadline)
        self._recorder.saw_cookies(response.headers.getlist("set-cookie"))
        return _RecordingResponse(response, self._recorder, keep)

    async def reach(self, host: str, port: int, deadline: float, *, via_proxy: bool) -> None:
        await self._inner.reach(host, port, deadline, via_proxy=via_proxy)

    def close(self) -> None:
        self._inner.close()


class _ReplayedResponse:
    def __init__(self, captured: Captured) -> None:
        self.url = captured.url
        self.status = captured.status
        raw = [
            (k.encode("latin-1", "replace"), v.encode("latin-1", "replace"))
            for k, v in captured.headers
        ]
        self.headers = Headers(raw)
        self.reused = False
        self._body = captured.body
        self._at = 0
        self._complete = captured.complete

    @property
    def length_remaining(self) -> int | None:
        return len(self._body) - self._at

    async def read1(self, size: int) -> bytes:
        chunk = self._body[self._at : self._at + size]
        self._at += len(chunk)
        if not chunk and not self._complete:
            raise ConnectionError("the capture holds only the start of this body")
        return chunk

    def release(self) -> None:
        self._at = len(self._body)


class ReplayTransport:
    """Answers from a capture; no socket, no DNS."""

    def __init__(self, capture: Capture) -> None:
        from factcheck.links.urls import normalise_url

        self._exact = capture.responses
        self._normal = {normalise_url(url): item for url, item in capture.responses.items()}

    async def send(self, request: Request, deadline: float) -> Response:
        from factcheck.links.urls import normalise_url

        found = self._exact.get(request.url) or self._normal.get(normalise_url(request.url))
        if found is None:
            raise FetchFailure(Reason.NOT_CAPTURED, "not in the capture", tried=False)
        return _ReplayedResponse(found)

    async def reach(self, host: str, port: int, deadline: float, *, via_proxy: bool) -> None:
        return None  # the capture is always there

    def close(self) -> None:
        return None


def replay_factory(capture: Capture) -> TransportFactory:
    def make(settings: LinkSettings, network: Network) -> Transport:
        del settings, network
        return ReplayTransport(capture)

    return make


_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    206: "Partial Content",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
