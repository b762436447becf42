"""Name resolution, as a parameter: tests map names to loopback addresses, and the address
guard sees every address before any packet is sent to it."""

from __future__ import annotations

import ipaddress
import socket
import threading
from typing import Protocol


class Resolver(Protocol):
    """Resolves a host name to IP address strings.

    Raise :class:`OSError` (``socket.gaierror`` for instance) when the name cannot be
    resolved; ``socket.EAI_AGAIN`` marks a temporary failure, anything else (or an empty
    list) means the name does not exist.
    """

    def resolve(self, host: str, port: int) -> list[str]: ...


class ResolveError(Exception):
    """The name could not be resolved. ``temporary`` for a failure that may pass (no answer
    from the DNS server), not for "no such name"."""

    def __init__(self, host: str, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.host = host
        self.temporary = temporary


class SystemResolver:
    """The operating system's resolver (``getaddrinfo``)."""

    def resolve(self, host: str, port: int) -> list[str]:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def is_reserved_invalid(host: str) -> bool:
    """RFC 6761: ``.invalid`` names never resolve, so they fail without asking anyone."""
    host = host.rstrip(".").lower()
    return host == "invalid" or host.endswith(".invalid")


class RunResolver:
    """One run's view of a resolver: each name resolved once, failures included, and
    ``.invalid`` names refused locally. Thread-safe; concurrent lookups of one name wait for
    the first."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self._lock = threading.Lock()
        self._answers: dict[str, list[str] | ResolveError] = {}
        self._pending: dict[str, threading.Event] = {}

    def resolve(self, host: str, port: int) -> list[str]:
        """Addresses of ``host``; raises :class:`ResolveError`."""
        if is_ip_literal(host):
            return [host.strip("[]")]
        key = host.lower().rstrip(".")
        while True:
            with self._lock:
                if key in self._answers:
                    answer = self._answers[key]
                    break
                event = self._pending.get(key)
                if event is None:
                    event = self._pending[key] = threading.Event()
                    owner = True
                else:
                    owner = False
            if not owner:
                event.wait()
                continue
            answer = self._lookup(host, port)
            with self._lock:
                self._answers[key] = answer
                del self._pending[key]
            event.set()
            break
        if isinstance(answer, ResolveError):
            raise answer
        return answer

    def _lookup(self, host: str, port: int) -> list[str] | ResolveError:
        if is_reserved_invalid(host):
            return ResolveError(host, f"{host} is a reserved .invalid name", temporary=False)
        try:
            addresses = [a for a in self._resolver.resolve(host, port) if is_ip_literal(a)]
        except UnicodeError:
            return ResolveError(host, f"{host} is not a valid host name", temporary=False)
        except OSError as exc:
            temporary = isinstance(exc, socket.gaierror) and exc.errno == socket.EAI_AGAIN
            what = "temporary DNS failure" if temporary else "the name does not resolve"
            reason = exc.strerror or str(exc) or what
            return ResolveError(host, f"{host}: {what} ({reason})", temporary=temporary)
        if not addresses:
            return ResolveError(host, f"{host}: the name has no address", temporary=False)
        return addresses
