"""Servers on loopback and helpers for the link checker's tests (fixtures: conftest.py)."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from factcheck.demo.pdf import make_pdf as pdf_pages
from factcheck.links import LinkKind, LinkRequest, LinkResult, LinkSettings, check_links

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")

# -- the tripwire ------------------------------------------------------------------------------


@dataclass
class Tripwire:
    connects: list[str] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


def is_loopback(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address in LOOPBACK


class MapResolver:
    """The injectable resolver: names to addresses; anything else does not exist."""

    def __init__(self, names: dict[str, list[str]] | None = None) -> None:
        self.names = dict(names or {})
        self.calls: list[str] = []

    def resolve(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host in self.names:
            return list(self.names[host])
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


# -- HTTP servers --------------------------------------------------------------------------------

Route = Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        owner = self.server.owner
        owner.requests.append(Request(self.command, self.path, dict(self.headers.items())))
        route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?", 1)[0])
        try:
            if route is None:
                reply(self, 404, b"<title>Not here</title>", content_type="text/html")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, TimeoutError):
            self.close_connection = True

    def reply(self, *args: Any, **kwargs: Any) -> None:
        reply(self, *args, **kwargs)


def reply(
    handler: BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes | str = b"",
    *,
    content_type: str | None = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    data = body.encode("utf-8") if isinstance(body, str) else body
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(data)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: TestServer
    tls: ssl.SSLContext | None = None

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is not None:  # the handshake runs in the connection's own thread
            request = self.tls.wrap_socket(request, server_side=True)
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # hostile and cut connections are the point of these tests


class TestServer:
    """A threaded HTTP/1.1 server on a loopback address, port 0, with per-path routes."""

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.httpd = _HTTPServer((host, 0), Handler)
        self.httpd.owner = self
        self.httpd.tls = tls
        self.host = host
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if tls else "http"
        self.stopped = threading.Event()
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def route(self, path: str, route: Route | None = None, **reply_kwargs: Any) -> None:
        """Serve ``path`` with ``route``, or with a fixed :func:`reply`."""
        if route is None:

            def route(handler: Handler) -> None:
                reply(handler, **reply_kwargs)

        self.routes[path] = route

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path.split("?", 1)[0] == path)

    def stop(self) -> None:
        self.stopped.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class RawServer:
    """A loopback listener that hands each connection to ``serve(conn, server)``: for servers
    no HTTP library would write (drips, hangs, endless bodies)."""

    def __init__(self, serve: Callable[[socket.socket, RawServer], None]) -> None:
        self.serve = serve
        self.stopped = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        try:
            read_request(conn)
            self.serve(conn, self)
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()


def read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


# -- TLS -----------------------------------------------------------------------------------------


def server_context(cert: Any) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    return context


# -- checking -----------------------------------------------------------------------------------


def check_one(
    url: str,
    settings: LinkSettings,
    *,
    need_text: bool = False,
    resolver: Any = None,
    kind: LinkKind = LinkKind.EVIDENCE,
) -> LinkResult:
    results = check_links(
        [LinkRequest(url, kind, need_text=need_text)], settings, resolver=resolver
    )
    (result,) = results.values()
    return result


# -- bodies --------------------------------------------------------------------------------------


def html(title: str = "A page", body: str = "<p>Some text.</p>", head: str = "") -> str:
    return (
        f"<!doctype html><html><head>{head}<title>{title}</title></head><body>{body}</body></html>"
    )


def make_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text``."""
    return pdf_pages([[text]])


def gzip_bomb_blocks() -> tuple[bytes, bytes]:
    """A gzip header block and a block to repeat: each block inflates to 1 MiB of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * (1024 * 1024)
    head = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return head, block
