"""HTTP/1.1 exchanges on one asyncio event loop: guarded connections, pooled per host, each
request bounded by one deadline.

**The fetch hook.** :class:`Transport` is the seam between deciding about links and moving
bytes: :class:`~factcheck.links.fetch.Fetcher` hands it one :class:`Request` at a time (one hop:
redirects, retries, cookies and reading are decided above it) and reads the
:class:`Response` it gets back. :class:`HttpTransport` is the network; ``check_links(...,
transport=...)`` takes a factory for another one, which may wrap it: capture to WARC and
replay, per-host credentials (a wrapper sees every hop's URL, so credentials never follow a
redirect to another host), sharding. A transport raises :class:`FetchFailure` with a
:class:`Reason` and never decides anything else.

**Why one loop.** A thread per connection (urllib3, 64-100 threads) spent more CPU handing the
GIL between threads than on HTTP. Candidates for the loop's HTTP, CPU per URL for 1,000
link-only URLs over 20 keep-alive hosts at 100 ms, at concurrency 64 / per host 4 and at
100 / 100, 2-core machine (``python benchmarks/links.py --clients``): bare asyncio streams
(no real parsing) 59/118 µs; asyncio + httptools 63/126 µs and 1 ms to import; asyncio streams
+ h11 99/175 µs; aiohttp 116/221 µs and 80 ms to import; httpcore 1,100/1,500 µs. httptools
wraps llhttp, the parser of Node.js and uvicorn (status line, headers, chunked and
length-delimited bodies, keep-alive); what is around it (the pool, proxies, the guard,
deadlines) is this module, because each of those is a guarantee the checker must keep itself.

The guarantees of SPEC.md hold for every connection, redirects included: names are resolved
by the run's resolver, addresses the guard refuses are dropped before any packet is sent, the
address actually connected to is checked again, and ``Host`` and SNI keep the name. A request
has one deadline (connect, TLS, headers and body, a header drip included): a timer on the loop,
not a timeout per read. Proxies are used only when ``settings.proxy`` is given (http:
absolute-form requests; https: a ``CONNECT`` tunnel per target).
"""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import httptools

from factcheck.links.guard import AddressGuard
from factcheck.links.resolver import ResolveError, RunResolver, is_reserved_invalid
from factcheck.links.types import LinkSettings, Reason

#: Buffered body bytes at which a connection stops reading from its socket (and resumes
#: below a quarter of it): a body the checks do not read costs no memory.
_HIGH_WATER = 256 * 1024
#: Response headers accepted (browsers stop near 256 KiB of them): a response with 200,000
#: headers is a broken connection, not a page that is slow to answer.
_MAX_HEADERS = 1_000
_MAX_HEADER_BYTES = 256 * 1024
#: Connect to at most this many of a name's addresses, sharing the deadline between them.
_MAX_ADDRESSES = 3


class FetchFailure(Exception):
    """No response: the reason decided here is the reason reported."""

    def __init__(
        self,
        reason: Reason,
        detail: str,
        *,
        retry: bool = False,
        reached: bool = False,
        tried: bool = True,
        stale: bool = False,
    ) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        #: Worth another attempt (SPEC: connection errors are retried).
        self.retry = retry
        #: The host answered (a refused connection): the network works.
        self.reached = reached
        #: A packet went out (False for a guard refusal or a reserved ``.invalid`` name).
        self.tried = tried
        #: Failed at once on a kept-alive connection the server had closed: try again, now.
        self.stale = stale


# -- the hook -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One GET, without redirects: ``url`` as sent (see :func:`~factcheck.links.urls.wire_url`)
    and the headers besides ``Host``."""

    url: str
    headers: dict[str, str]


class Response(Protocol):
    """A response whose head has arrived; the body is read with :meth:`read1`."""

    url: str
    status: int
    headers: Headers
    #: The request went out on a kept-alive connection.
    reused: bool

    @property
    def length_remaining(self) -> int | None:
        """Body bytes still to come by ``Content-Length``; None when unknown."""

    async def read1(self, size: int) -> bytes:
        """Up to ``size`` raw (not decoded) body bytes, ``b""`` at the end. Raises
        :class:`TimeoutError` once the request's deadline has passed and :class:`OSError`
        when the body is cut short."""

    def release(self) -> None:
        """Done with the response: the connection is kept if the body was read to its end."""


class Transport(Protocol):
    async def send(self, request: Request, deadline: float) -> Response:
        """The response to ``request`` (by ``deadline``, in the loop's time); raises
        :class:`FetchFailure`."""

    async def reach(self, host: str, port: int, deadline: float, *, via_proxy: bool) -> None:
        """Connect and hang up (the "is there a network" probe); raises :class:`FetchFailure`."""

    def close(self) -> None:
        """Close every connection (the end of the run)."""


#: Makes the run's transport; ``check_links(transport=...)`` takes one.
TransportFactory = Callable[[LinkSettings, "Network"], Transport]


class Headers:
    """Response headers, by case-insensitive name."""

    __slots__ = ("_by_name",)

    def __init__(self, raw: list[tuple[bytes, bytes]]) -> None:
        by_name: dict[str, list[str]] = {}
        for name, value in raw:
            by_name.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        self._by_name = by_name

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self._by_name.get(name.lower())
        return values[0] if values else default

    def getlist(self, name: str) -> list[str]:
        return list(self._by_name.get(name.lower(), ()))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._by_name

    def items(self) -> list[tuple[str, str]]:
        """Every header as (lower-case name, value), repeats included (a capture's record)."""
        return [(name, value) for name, values in self._by_name.items() for value in values]


# -- connections --------------------------------------------------------------------------------


class Network:
    """Opens guarded connections for one run."""

    def __init__(self, settings: LinkSettings, resolver: RunResolver) -> None:
        self.settings = settings
        self.resolver = resolver
        self.guard = AddressGuard(settings)
        self._allowed: dict[str, bool] = {}

    def allows(self, address: str) -> bool:
        allowed = self._allowed.get(address)
        if allowed is None:
            allowed = self._allowed[address] = self.guard.allows(address)
        return allowed

    async def addresses(self, host: str, port: int) -> list[str]:
        """The addresses of ``host`` the guard allows; raises :class:`FetchFailure`."""
        try:
            found = await self.resolver.resolve(host, port)
        except ResolveError as exc:
            raise FetchFailure(
                Reason.DNS, str(exc), retry=exc.temporary, tried=not is_reserved_invalid(host)
            ) from None
        allowed = [a for a in found if self.allows(a)]
        if not allowed:
            where = host if found == [host.strip("[]")] else f"{host} resolves to {found[0]}, which"
            raise FetchFailure(
                Reason.PRIVATE_ADDRESS, f"{where} is not a public address", tried=False
            )
        return allowed

    async def open(
        self, host: str, port: int, deadline: float, *, via_proxy: bool = False
    ) -> socket.socket:
        """A connected non-blocking socket to ``host``; raises :class:`FetchFailure`.

        Through a proxy, ``host`` is the proxy: the user chose it, so the guard does not apply
        to it (the target is checked before the request, see ``Fetcher``).
        """
        loop = asyncio.get_running_loop()
        if via_proxy:
            try:
                candidates = await self.resolver.system(host, port)
            except OSError as exc:
                raise FetchFailure(
                    Reason.CONNECTION, f"the proxy {host} cannot be resolved: {exc}", retry=True
                ) from None
        else:
            candidates = await self.addresses(host, port)
        candidates = candidates[:_MAX_ADDRESSES]
        failures: list[FetchFailure] = []
        for index, ip in enumerate(candidates):
            left = deadline - loop.time()
            if left <= 0:
                break
            share = left / (len(candidates) - index)
            failure = None
            name = ip if host.strip("[]") == ip else f"{host} ({ip})"
            sock = socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET)
            try:
                sock.setblocking(False)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                async with asyncio.timeout(share):
                    await loop.sock_connect(sock, (ip, port))
                peer = str(sock.getpeername()[0])
            except TimeoutError:
                failure = FetchFailure(
                    Reason.CONNECT_TIMEOUT,
                    f"no connection to {name} within the deadline",
                    retry=True,
                )
            except ConnectionRefusedError:
                failure = FetchFailure(
                    Reason.REFUSED, f"{name} refused the connection", retry=True, reached=True
                )
            except OSError as exc:
                failure = FetchFailure(
                    Reason.CONNECTION,
                    f"cannot connect to {name}: {exc.strerror or exc}",
                    retry=True,
                )
            except BaseException:
                sock.close()
                raise
            if failure is None:
                if not via_proxy and not self.allows(peer):
                    sock.close()
                    raise FetchFailure(
                        Reason.PRIVATE_ADDRESS,
                        f"{host} connected to {peer}, which is not a public address",
                    )
                return sock
            sock.close()
            failures.append(failure)
        if not failures:
            raise FetchFailure(
                Reason.CONNECT_TIMEOUT, f"no connection to {host} within the deadline", retry=True
            )
        if via_proxy:
            for failure in failures:
                failure.detail = f"proxy: {failure.detail}"
                failure.reason = Reason.CONNECTION
        refused = [f for f in failures if f.reached]
        raise refused[0] if refused else failures[0]


class Connection(asyncio.Protocol):
    """One HTTP/1.1 connection and the response in progress on it (httptools parses)."""

    def __init__(
        self, key: tuple[str, str, int], pool: dict[tuple[str, str, int], deque[Any]], keep: int
    ) -> None:
        self.key = key
        self._pool = pool
        self._keep = keep
        self._loop = asyncio.get_running_loop()
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._waiter: asyncio.Future[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._parser: Any = None
        self._error: BaseException | None = None
        self._timed_out = False
        self._paused = False
        self._raw: list[tuple[bytes, bytes]] = []
        self._header_bytes = 0
        self._too_many_headers = False
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self.status = 0
        self.head_done = False
        self.complete = False
        self.keep_alive = False

    # -- asyncio.Protocol ------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        parser = self._parser
        if parser is None:  # nothing was asked: a server that talks out of turn is dropped
            self.close()
            return
        try:
            parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(ConnectionError("the server switched protocols"))
        except httptools.HttpParserError as exc:
            if self._too_many_headers:
                self._fail(
                    ConnectionError(
                        f"the response has more than {_MAX_HEADERS:,} headers "
                        f"or {_MAX_HEADER_BYTES // 1024} KiB of them"
                    )
                )
            else:
                self._fail(ConnectionError(f"not an HTTP response ({exc})"))

    def eof_received(self) -> bool | None:
        return None  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._parser is not None and not self.complete:
            if self.head_done and self._ends_at_close():
                self.complete = True  # the body ended with the connection, as announced
                self._wake()
            else:
                what = "cut the body short" if self.head_done else "closed the connection"
                self._fail(
                    exc if isinstance(exc, OSError) else ConnectionError(f"the server {what}")
                )

    # -- httptools callbacks ----------------------------------------------------------------

    def on_header(self, name: bytes, value: bytes) -> None:
        self._raw.append((name, value))
        self._header_bytes += len(name) + len(value)
        if len(self._raw) > _MAX_HEADERS or self._header_bytes > _MAX_HEADER_BYTES:
            self._too_many_headers = True
            raise ConnectionError("too many headers")  # httptools stops parsing

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if 100 <= status < 200:  # informational: the answer comes after it
            self._raw = []
            return
        self.status = status
        self.head_done = True
        self.keep_alive = self._parser.should_keep_alive()
        self._wake()

    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)
        self._buffered += len(body)
        if self._buffered > _HIGH_WATER and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self.head_done:
            self.complete = True
            self._wake()

    # -- the exchange -------------------------------------------------------------------------

    async def exchange(self, head: bytes, deadline: float) -> None:
        """Send a request and wait for the response's head (by ``deadline``)."""
        self._raw = []
        self._header_bytes = 0
        self._too_many_headers = False
        self._chunks.clear()
        self._buffered = 0
        self.status = 0
        self.head_done = self.complete = self._timed_out = False
        self._error = None
        self._parser = httptools.HttpResponseParser(self)
        self._timer = self._loop.call_at(deadline, self._deadline_passed)
        assert self.transport is not None
        self.transport.write(head)
        while not self.head_done:
            await self._wait()

    def headers(self) -> Headers:
        return Headers(self._raw)

    async def read1(self, size: int) -> bytes:
        while not self._chunks:
            if self.complete:
                return b""
            await self._wait()
        chunk = self._chunks.popleft()
        if len(chunk) > size:
            self._chunks.appendleft(chunk[size:])
            chunk = chunk[:size]
        self._buffered -= len(chunk)
        if self._paused and self._buffered < _HIGH_WATER // 4 and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        return chunk

    def release(self) -> None:
        """Back to the pool when the response was read to its end, else closed."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._parser = None
        idle = self._pool.get(self.key)
        if idle is None:
            idle = self._pool[self.key] = deque()
        if (
            self.complete
            and self.keep_alive
            and not self._chunks
            and not self.closed
            and len(idle) < self._keep
        ):
            idle.append(self)
        else:
            self.close()

    def close(self) -> None:
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.transport is not None:
            self.transport.abort()

    async def _wait(self) -> None:
        if self._error is not None:
            raise self._error
        if self._timed_out:
            raise TimeoutError("the request's deadline has passed")
        waiter = self._waiter = self._loop.create_future()
        try:
            await waiter
        finally:
            self._waiter = None

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _fail(self, exc: BaseException) -> None:
        if self._error is None:
            self._error = exc
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)
        if self.transport is not None and not self.closed:
            self.closed = True
            self.transport.abort()

    def _deadline_passed(self) -> None:
        self._timer = None
        self._timed_out = True
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(TimeoutError("the request's deadline has passed"))

    def _ends_at_close(self) -> bool:
        headers = self.headers()
        encoding = (headers.get("transfer-encoding") or "").lower()
        return "content-length" not in headers and "chunked" not in encoding


class HttpResponse:
    """A :class:`Response` on a pooled :class:`Connection`."""

    __slots__ = ("_conn", "_length", "_read", "headers", "reused", "status", "url")

    def __init__(self, url: str, conn: Connection, reused: bool) -> None:
        self.url = url
        self.status = conn.status
        self.headers = conn.headers()
        self.reused = reused
        self._conn: Connection | None = conn
        self._read = 0
        length = self.headers.get("content-length")
        self._length = int(length) if length is not None and length.strip().isdigit() else None

    @property
    def length_remaining(self) -> int | None:
        return None if self._length is None else max(0, self._length - self._read)

    async def read1(self, size: int) -> bytes:
        if self._conn is None:
            raise ConnectionError("the response was released")
        chunk = await self._conn.read1(size)
        self._read += len(chunk)
        return chunk

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.release()


class HttpTransport:
    """The network: guarded connections (through ``--proxy`` when given), kept alive per
    scheme, host and port, up to ``per_host`` idle ones each."""

    def __init__(self, settings: LinkSettings, network: Network) -> None:
        self.settings = settings
        self.network = network
        self._idle: dict[tuple[str, str, int], deque[Connection]] = {}
        self._keep = max(settings.per_host, settings.archive_per_host)
        self._proxy: tuple[str, int] | None = None
        if settings.proxy:
            proxy = urlsplit(settings.proxy)
            self._proxy = (proxy.hostname or "", proxy.port or 80)
        self._ssl: ssl.SSLContext | None = None
        self._open: set[Connection] = set()

    async def send(self, request: Request, deadline: float) -> Response:
        scheme, host, port, target = split_url(request.url)
        if self._proxy is not None and scheme == "http":
            key = ("proxy", *self._proxy)
            target = request.url  # absolute form: the proxy connects
        else:
            key = (scheme, host, port)
        conn = self._checkout(key)
        reused = conn is not None
        if conn is None:
            conn = await self._connect(key, scheme, host, port, deadline)
        authority = host if port == (443 if scheme == "https" else 80) else f"{host}:{port}"
        lines = [f"GET {target} HTTP/1.1", f"Host: {authority}"]
        lines += [f"{name}: {value}" for name, value in request.headers.items()]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        try:
            await conn.exchange(head, deadline)
        except TimeoutError:
            conn.close()
            raise FetchFailure(
                Reason.TIMEOUT, "connected, but no answer within the deadline"
            ) from None
        except OSError as exc:
            conn.close()
            detail = f"the connection failed: {exc.strerror or exc or type(exc).__name__}"
            raise FetchFailure(Reason.CONNECTION, detail, retry=True, stale=reused) from None
        except BaseException:
            conn.close()
            raise
        return HttpResponse(request.url, conn, reused)

    async def reach(self, host: str, port: int, deadline: float, *, via_proxy: bool) -> None:
        sock = await self.network.open(host, port, deadline, via_proxy=via_proxy)
        sock.close()

    def close(self) -> None:
        for conn in list(self._open):
            conn.close()
        self._open.clear()
        self._idle.clear()

    def _checkout(self, key: tuple[str, str, int]) -> Connection | None:
        idle = self._idle.get(key)
        while idle:
            conn = idle.pop()
            if not conn.closed:
                return conn
        return None

    async def _connect(
        self, key: tuple[str, str, int], scheme: str, host: str, port: int, deadline: float
    ) -> Connection:
        loop = asyncio.get_running_loop()
        via_proxy = self._proxy is not None
        if via_proxy:
            assert self._proxy is not None
            sock = await self.network.open(*self._proxy, deadline, via_proxy=True)
        else:
            sock = await self.network.open(host, port, deadline)
        conn = Connection(key, self._idle, self._keep)
        context = self._context() if scheme == "https" else None
        try:
            if scheme == "https" and via_proxy:
                await _tunnel(loop, sock, host, port, deadline)
            async with asyncio.timeout_at(deadline):
                await loop.create_connection(
                    lambda: conn,
                    sock=sock,
                    ssl=context,
                    server_hostname=host.strip("[]") if context is not None else None,
                )
        except FetchFailure:
            sock.close()
            raise
        except ssl.SSLError as exc:
            sock.close()
            raise FetchFailure(Reason.TLS, tls_detail(exc)) from None
        except TimeoutError:
            sock.close()
            if context is not None:  # connected, and the TLS handshake never finished
                detail = "TLS: no handshake within the deadline (a plain HTTP port?)"
                raise FetchFailure(Reason.TLS, detail) from None
            raise FetchFailure(
                Reason.TIMEOUT, "connected, but no answer within the deadline"
            ) from None
        except OSError as exc:
            sock.close()
            detail = f"the connection failed: {exc.strerror or exc or type(exc).__name__}"
            raise FetchFailure(Reason.CONNECTION, detail, retry=True) from None
        except BaseException:
            sock.close()
            raise
        self._open.add(conn)
        return conn

    def _context(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = ssl_context(self.settings)
        return self._ssl


async def _tunnel(
    loop: asyncio.AbstractEventLoop, sock: socket.socket, host: str, port: int, deadline: float
) -> None:
    """``CONNECT host:port`` through the proxy on ``sock``; the tunnel is ready on return."""
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    request = f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode("ascii")
    answer = b""
    try:
        async with asyncio.timeout_at(deadline):
            await loop.sock_sendall(sock, request)
            while b"\r\n\r\n" not in answer:
                chunk = await loop.sock_recv(sock, 4096)
                if not chunk:
                    break
                answer += chunk
                if len(answer) > 65536:
                    break
    except TimeoutError:
        detail = "proxy: no answer to CONNECT within the deadline"
        raise FetchFailure(Reason.TIMEOUT, detail) from None
    except OSError as exc:
        detail = f"proxy: {exc.strerror or exc}"
        raise FetchFailure(Reason.CONNECTION, detail, retry=True) from None
    status_line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or parts[1] != "200":
        detail = f"proxy: CONNECT {target} answered {status_line or 'nothing'!r}"
        raise FetchFailure(Reason.CONNECTION, detail, retry=True)


def split_url(url: str) -> tuple[str, str, int, str]:
    """Scheme, host (brackets kept for IPv6), port and request target of a wire URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchFailure(Reason.INVALID_URL, f"the URL cannot be requested: {exc}") from None
    scheme = parts.scheme
    host = parts.hostname or ""
    if not host or scheme not in ("http", "https"):
        raise FetchFailure(Reason.INVALID_URL, f"the URL cannot be requested: {url!r}")
    if ":" in host:
        host = f"[{host}]"
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return scheme, host, port or (443 if scheme == "https" else 80), target


def tls_detail(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS: {exc.verify_message or exc.reason}"
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return f"TLS: {exc.reason.lower().replace('_', ' ')}"
    return f"TLS: {exc}"


def ssl_context(settings: LinkSettings) -> ssl.SSLContext:
    """Verifying TLS context (certifi's CAs, or ``settings.ca_bundle``); built once per process
    and CA file (loading the CAs takes 20 ms)."""
    if settings.ca_bundle is not None:
        return _context_for(str(settings.ca_bundle))
    import certifi

    return _context_for(certifi.where())


@functools.lru_cache(maxsize=4)
def _context_for(cafile: str) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=cafile)
    context.set_alpn_protocols(["http/1.1"])
    return context
