"""Connections: resolved by the run's resolver, guarded, bounded by one deadline per attempt.

The hot path is urllib3 rather than requests. CPU per URL against a local keep-alive server,
one URL at a time (``python benchmarks/links.py --profile``, 2-core reference machine):
``requests.get`` 0.7-1.0 ms, a ``requests.Session`` 0.55-0.9 ms (0.42-0.46 ms streamed with
``trust_env`` off), a urllib3 ``PoolManager`` 0.19-0.22 ms, bare ``http.client`` 0.08 ms; all of
``check_links`` (threads, guard, deadline, redirects, head sniff, verdict) 0.40-0.47 ms.
Everything requests adds (environment and netrc look-ups, hooks, its cookie jar, redirects)
is something the checker must turn off or do itself (redirect hops are guarded one by one,
cookies live within one chain), and the connection hooks below are urllib3's anyway.
``http.client`` would save another 0.1 ms per URL at the price of our own pooling, proxy
tunnelling and error handling.

Two hooks make the guarantees of SPEC.md hold for every connection, redirects included:

* ``_new_conn`` resolves the name with the run's resolver, drops addresses the guard refuses
  before any packet is sent, connects to an IP address (SNI and ``Host`` keep the name) and
  checks the address actually connected to;
* sockets (plain and TLS) shrink their timeout before every read to what is left of the
  attempt's deadline, so a server that drips header bytes cannot stretch an attempt.
"""

from __future__ import annotations

import functools
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Any

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from factcheck.links.guard import AddressGuard
from factcheck.links.resolver import ResolveError, RunResolver, is_reserved_invalid
from factcheck.links.types import LinkSettings, Reason


@dataclass
class Attempt:
    """One request's state, seen by the sockets of the thread that makes it."""

    deadline: float
    #: A connection was made, or refused by the host: the network works.
    reached: bool = False
    #: The request went out on a pooled connection (a stale one may fail at once).
    reused: bool = False


_state = threading.local()


def begin_attempt(timeout: float) -> Attempt:
    attempt = Attempt(deadline=time.monotonic() + timeout)
    _state.attempt = attempt
    return attempt


def end_attempt() -> None:
    _state.attempt = None


def _remaining() -> float | None:
    attempt: Attempt | None = getattr(_state, "attempt", None)
    if attempt is None:
        return None
    left = attempt.deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the attempt's deadline has passed")
    return left


class DeadlineSocket(socket.socket):
    """A TCP socket whose every read ends by the attempt's deadline."""

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self.settimeout(_remaining())
        return super().recv_into(buffer, nbytes, flags)

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        self.settimeout(_remaining())
        return super().recv(bufsize, flags)

    def sendall(self, data: Any, flags: int = 0) -> None:
        self.settimeout(_remaining())
        super().sendall(data, flags)


class DeadlineSSLSocket(ssl.SSLSocket):
    """The TLS counterpart: the handshake and every read end by the attempt's deadline."""

    def do_handshake(self, block: bool = False) -> None:
        self.settimeout(_remaining())
        super().do_handshake(block)

    def recv_into(self, buffer: Any, nbytes: int | None = None, flags: int = 0) -> int:
        self.settimeout(_remaining())
        return super().recv_into(buffer, nbytes, flags)

    def recv(self, buflen: int = 1024, flags: int = 0) -> bytes:
        self.settimeout(_remaining())
        return super().recv(buflen, flags)

    def sendall(self, data: Any, flags: int = 0) -> None:
        self.settimeout(_remaining())
        super().sendall(data, flags)


class ConnectFailure(Exception):
    """No connection could be made. Deliberately not an ``OSError``: urllib3 lets it through
    unwrapped, so the reason decided here is the reason reported."""

    def __init__(
        self,
        reason: Reason,
        detail: str,
        *,
        retry: bool = False,
        reached: bool = False,
        tried: bool = True,
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


class Network:
    """Opens guarded connections for one run."""

    def __init__(self, settings: LinkSettings, resolver: RunResolver) -> None:
        self.settings = settings
        self.resolver = resolver
        self.guard = AddressGuard(settings)

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses of ``host`` the guard allows; raises :class:`ConnectFailure`."""
        try:
            found = self.resolver.resolve(host, port)
        except ResolveError as exc:
            raise ConnectFailure(
                Reason.DNS, str(exc), retry=exc.temporary, tried=not is_reserved_invalid(host)
            ) from None
        allowed = [a for a in found if self.guard.allows(a)]
        if not allowed:
            where = host if found == [host.strip("[]")] else f"{host} resolves to {found[0]}, which"
            raise ConnectFailure(
                Reason.PRIVATE_ADDRESS, f"{where} is not a public address", tried=False
            )
        return allowed

    def open(self, host: str, port: int, *, via_proxy: bool = False) -> socket.socket:
        """A connected socket to ``host``; raises :class:`ConnectFailure`.

        Through a proxy, ``host`` is the proxy: the user chose it, so the guard does not apply
        to it (the target is checked before the request, see ``Fetcher``).
        """
        if via_proxy:
            try:
                candidates = SystemResolverCache.lookup(host, port)
            except OSError as exc:
                raise ConnectFailure(
                    Reason.CONNECTION, f"the proxy {host} cannot be resolved: {exc}", retry=True
                ) from None
        else:
            candidates = self.addresses(host, port)
        candidates = candidates[:3]
        failures: list[ConnectFailure] = []
        for index, ip in enumerate(candidates):
            try:
                left = _remaining()
            except TimeoutError:
                break
            share = None if left is None else left / (len(candidates) - index)
            failure = None
            name = ip if host.strip("[]") == ip else f"{host} ({ip})"
            family = socket.AF_INET6 if ":" in ip else socket.AF_INET
            sock = DeadlineSocket(family, socket.SOCK_STREAM)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(share)
                sock.connect((ip, port))
                peer = str(sock.getpeername()[0])
            except TimeoutError:
                failure = ConnectFailure(
                    Reason.CONNECT_TIMEOUT,
                    f"no connection to {name} within the deadline",
                    retry=True,
                )
            except ConnectionRefusedError:
                failure = ConnectFailure(
                    Reason.REFUSED,
                    f"{name} refused the connection",
                    retry=True,
                    reached=True,
                )
            except OSError as exc:
                failure = ConnectFailure(
                    Reason.CONNECTION,
                    f"cannot connect to {name}: {exc.strerror or exc}",
                    retry=True,
                )
            if failure is None:
                if not via_proxy and not self.guard.allows(peer):
                    sock.close()
                    raise ConnectFailure(
                        Reason.PRIVATE_ADDRESS,
                        f"{host} connected to {peer}, which is not a public address",
                    )
                attempt: Attempt | None = getattr(_state, "attempt", None)
                if attempt is not None:
                    attempt.reached = True
                return sock
            sock.close()
            failures.append(failure)
        if not failures:
            raise ConnectFailure(
                Reason.CONNECT_TIMEOUT, f"no connection to {host} within the deadline", retry=True
            )
        if via_proxy:
            for failure in failures:
                failure.detail = f"proxy: {failure.detail}"
                failure.reason = Reason.CONNECTION
        refused = [f for f in failures if f.reached]
        return_failure = refused[0] if refused else failures[0]
        raise return_failure


class SystemResolverCache:
    """The proxy's own address: the system resolver, once per process."""

    _lock = threading.Lock()
    _answers: dict[tuple[str, int], list[str]] = {}  # noqa: RUF012

    @classmethod
    def lookup(cls, host: str, port: int) -> list[str]:
        with cls._lock:
            if (host, port) in cls._answers:
                return cls._answers[(host, port)]
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        found = list(dict.fromkeys(str(info[4][0]) for info in infos))
        with cls._lock:
            cls._answers[(host, port)] = found
        return found


def ssl_context(settings: LinkSettings) -> ssl.SSLContext:
    """Verifying TLS context (certifi's CAs, or ``settings.ca_bundle``) with deadline sockets;
    built once per process and CA file (loading the CAs takes 20 ms)."""
    if settings.ca_bundle is not None:
        return _context_for(str(settings.ca_bundle))
    import certifi

    return _context_for(certifi.where())


@functools.lru_cache(maxsize=4)
def _context_for(cafile: str) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=cafile)
    context.sslsocket_class = DeadlineSSLSocket
    context.set_alpn_protocols(["http/1.1"])
    return context


def build_manager(settings: LinkSettings, network: Network, hosts: int) -> urllib3.PoolManager:
    """A pool manager (a proxy manager with ``settings.proxy``) whose connections go through
    ``network``; one pool per host, up to ``per_host`` idle connections kept in each."""

    class Connection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return network.open(self.host, self.port, via_proxy=self.proxy is not None)

        def request(self, *args: Any, **kwargs: Any) -> None:
            _mark_reuse(self)
            super().request(*args, **kwargs)
            self.fc_sock = self.sock

    class SecureConnection(Connection, HTTPSConnection):
        """TLS over the same guarded connect (the MRO puts ``Connection``'s hooks first)."""

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = SecureConnection

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["ssl_context"] = ssl_context(settings)  # only once an https URL needs it
            super().__init__(*args, **kwargs)

    options: dict[str, Any] = {
        "num_pools": min(max(hosts * 2, 64), 4096),
        "maxsize": max(settings.per_host, settings.archive_per_host),
        "block": False,
        "retries": False,
    }
    manager: urllib3.PoolManager
    if settings.proxy:
        manager = urllib3.ProxyManager(settings.proxy, **options)
    else:
        manager = urllib3.PoolManager(**options)
    manager.pool_classes_by_scheme = {"http": Pool, "https": SecurePool}
    return manager


def _mark_reuse(connection: HTTPConnection) -> None:
    """A request on the socket that carried the previous one rides a kept-alive connection."""
    attempt: Attempt | None = getattr(_state, "attempt", None)
    if attempt is not None:
        sock = connection.sock
        attempt.reused = sock is not None and sock is getattr(connection, "fc_sock", None)
