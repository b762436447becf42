"""The demo's small web: the pages its sources live on, served on 127.0.0.1 by the process.

Each route plays one thing real sources do (a healthy page, a moved page, a dead page, a
robot-blocking site, a soft 404, an edited page, a page without the quote, a dead page with an
archive copy, a PDF). The server binds to the loopback address only, so nothing outside this
computer can reach it, and the demo's link checker is allowed that one address and no other.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from types import TracebackType
from urllib.parse import urlsplit

from factcheck.demo.pdf import make_pdf
from factcheck.errors import FactcheckError

HOST = "127.0.0.1"
HTML = "text/html; charset=utf-8"
PDF = "application/pdf"


@dataclass(frozen=True)
class Route:
    status: int
    #: A file of ``data/pages``; None for an empty body (redirects).
    page: str | None = None
    content_type: str = HTML
    location: str | None = None


#: What each path of the demo web answers.
ROUTES: dict[str, Route] = {
    "/council/minutes-2024-03-12": Route(200, "council-minutes.html"),
    "/festival/2024": Route(301, location="/events/lantern-festival-2024"),
    "/events/lantern-festival-2024": Route(200, "festival-programme.html"),
    "/files/sea-wall-survey-2024.pdf": Route(200, "sea-wall-survey.txt", PDF),
    "/harbour/passenger-figures": Route(200, "passenger-figures.html"),
    "/ferry/timetable-summer-2024": Route(404, "not-found.html"),
    "/coast-post/2024/cod-return": Route(403, "bot-blocked.html"),
    "/notices/harbour-dues-2024": Route(200, "soft-404.html"),
    "/harbour/pontoons-update": Route(200, "pontoons-update.html"),
    "/press/quay-reopening": Route(200, "quay-reopening.html"),
    "/museum/lighthouse": Route(404, "not-found.html"),
}
#: Pages gone from the demo web that its archive still holds (by their path on the site).
ARCHIVED: dict[str, Route] = {
    "/museum/lighthouse": Route(200, "museum-lighthouse.html"),
    "/ferry/timetable-summer-2024": Route(200, "ferry-timetable.html"),
}
#: When the demo's archive captured its pages (its CDX server answers this for all of them).
ARCHIVED_AT = "20240416093000"
#: The demo archive's CDX server, as a Wayback Machine's (``verify --suggest-archive``).
CDX_PATH = "/cdx/search/cdx"
#: A Wayback-style address: /web/<timestamp>[id_]/<the archived URL>.
_ARCHIVE_PATH = re.compile(r"^/web/\d{1,14}(?:[a-z]{2}_)?/(?P<url>.+)$")
_NOT_FOUND = Route(404, "not-found.html")


def read_data(name: str) -> str:
    """A text file of the demo's package data (``data/NAME``)."""
    return resources.files("factcheck.demo").joinpath("data", name).read_text("utf-8")


@cache
def body_of(route: Route) -> bytes:
    if route.page is None:
        return b""
    text = read_data(f"pages/{route.page}")
    if route.content_type == PDF:
        lines = text.splitlines()
        return make_pdf([lines], title=lines[0] if lines else "")
    return text.encode("utf-8")


def route_for(path: str) -> Route:
    """The answer to a request path (query strings are ignored)."""
    path = urlsplit(path).path if path.startswith("/") else path
    archived = _ARCHIVE_PATH.match(path)
    if archived:
        return ARCHIVED.get(urlsplit(archived.group("url")).path, _NOT_FOUND)
    if path == "/":
        return Route(200, None)
    return ROUTES.get(path, _NOT_FOUND)


def cdx_answer(query: str) -> bytes:
    """The closest capture of ``url=`` as a CDX server answers (JSON table), or none."""
    import json
    from urllib.parse import parse_qs

    url = (parse_qs(query).get("url") or [""])[0]
    if urlsplit(url).path not in ARCHIVED:
        return b"[]"
    rows = [["timestamp", "original", "statuscode"], [ARCHIVED_AT, url, "200"]]
    return json.dumps(rows).encode()


def index_page(base_url: str) -> bytes:
    """A list of the demo's pages, for a person who opens the demo web in a browser."""
    items = "".join(
        f'<li><a href="{path}">{path}</a>: HTTP {route.status}</li>'
        for path, route in sorted(ROUTES.items())
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>factcheck demo web</title>"
        f"</head><body><h1>factcheck demo web at {base_url}</h1><ul>{items}</ul>"
        "</body></html>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    server_version = "factcheck-demo"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        if urlsplit(self.path).path == CDX_PATH:
            body = cdx_answer(urlsplit(self.path).query)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return
        route = route_for(self.path)
        if route.page is None and route.status == 200:
            port = self.server.server_address[1]  # type: ignore[index]
            body = index_page(f"http://{HOST}:{port}")
        else:
            body = body_of(route)
        self.send_response(route.status)
        if route.location:
            self.send_header("Location", route.location)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the demo's output is the report."""


class DemoSite:
    """The demo web, served from a thread while the ``with`` block runs."""

    def __init__(self, port: int = 0) -> None:
        try:
            self._server = ThreadingHTTPServer((HOST, port), _Handler)
        except OSError as exc:
            raise FactcheckError(
                f"cannot serve the demo on {HOST}:{port}: {exc.strerror or exc}"
            ) from None
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # shutdown() waits for one poll
            name="factcheck-demo-web",
            daemon=True,
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> DemoSite:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()
