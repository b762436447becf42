"""Real servers on loopback for the link checker, and a tripwire for everything else.

Every test in this folder runs under the tripwire: a connection to any address outside
127.0.0.0/8, or a DNS look-up of any name, fails the test. Names are mapped to loopback
addresses by :class:`MapResolver`, the injectable resolver.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from factcheck.links import LinkSettings

from .servers import MapResolver, RawServer, TestServer, Tripwire, is_loopback


@pytest.fixture(autouse=True)
def tripwire(monkeypatch: pytest.MonkeyPatch) -> Iterator[Tripwire]:
    """Fail any socket connect outside 127.0.0.0/8 and any DNS look-up."""
    wire = Tripwire()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0])
            wire.connects.append(host)
            if not is_loopback(host):
                wire.violations.append(f"connect to {host}")
                raise AssertionError(f"tripwire: a connection to {host} left loopback")

    def connect(self: socket.socket, address: Any) -> None:
        check(self, address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is None or (isinstance(host, str) and is_loopback(host)):
            return real_getaddrinfo(host, *args, **kwargs)
        wire.lookups.append(str(host))
        wire.violations.append(f"DNS look-up of {host}")
        raise socket.gaierror(socket.EAI_NONAME, "tripwire: no DNS in tests")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield wire
    assert not wire.violations, wire.violations


@pytest.fixture
def resolver() -> MapResolver:
    return MapResolver()


@pytest.fixture
def make_server() -> Iterator[Callable[..., TestServer]]:
    servers: list[TestServer] = []

    def make(host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> TestServer:
        server = TestServer(host, tls)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def server(make_server: Callable[..., TestServer]) -> TestServer:
    return make_server()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket, RawServer], None]], RawServer]]:
    servers: list[RawServer] = []

    def make(serve: Callable[[socket.socket, RawServer], None]) -> RawServer:
        raw = RawServer(serve)
        servers.append(raw)
        return raw

    yield make
    for raw in servers:
        raw.stop()


@pytest.fixture(scope="session")
def ca() -> Any:
    import trustme

    return trustme.CA()


@pytest.fixture
def ca_file(ca: Any, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Callable[..., LinkSettings]:
    """Settings for tests: short deadlines, no retries, loopback allowed, cache off."""

    def make(**overrides: Any) -> LinkSettings:
        values: dict[str, Any] = {
            "timeout": 1.0,
            "retries": 0,
            "backoff": 0.01,
            "allow_cidrs": ("127.0.0.0/8",),
            "use_cache": False,
            "cache_dir": tmp_path / "cache",
            "probe_timeout": 0.5,
        }
        values.update(overrides)
        return LinkSettings(**values)

    return make
