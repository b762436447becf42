"""Name resolution, as a parameter: tests map names to loopback addresses, and the address
guard sees every address before any packet is sent to it."""

from __future__ import annotations

import functools
import ipaddress
import socket
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the network stack is imported by the run that needs it (RunResolver)
    import asyncio
    import concurrent.futures


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
    """One run's view of a resolver, on the run's event loop: each name resolved once,
    failures included, ``.invalid`` names refused locally, IP literals answered at once.
    Look-ups run in a thread (a resolver may block); concurrent look-ups of one name share it.
    """

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self._answers: dict[str, list[str] | ResolveError] = {}
        self._pending: dict[str, asyncio.Future[list[str] | ResolveError]] = {}
        self._system: dict[tuple[str, int], list[str]] = {}
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None

    async def resolve(self, host: str, port: int) -> list[str]:
        """Addresses of ``host``; raises :class:`ResolveError`."""
        key = host.lower().rstrip(".")
        answer = self._answers.get(key)
        if answer is None:
            import asyncio

            if is_ip_literal(host):
                answer = self._answers[key] = [host.strip("[]")]
            else:
                pending = self._pending.get(key)
                if pending is None:
                    loop = asyncio.get_running_loop()
                    pending = self._pending[key] = loop.run_in_executor(
                        self._threads(), self._lookup, host, port
                    )
                answer = await asyncio.shield(pending)
                self._answers[key] = answer
        if isinstance(answer, ResolveError):
            raise answer
        return answer

    async def system(self, host: str, port: int) -> list[str]:
        """The proxy's own addresses, from the system resolver; raises :class:`OSError`."""
        if is_ip_literal(host):
            return [host.strip("[]")]
        found = self._system.get((host, port))
        if found is None:
            import asyncio

            loop = asyncio.get_running_loop()
            infos = await loop.run_in_executor(
                self._threads(),
                functools.partial(socket.getaddrinfo, type=socket.SOCK_STREAM),
                host,
                port,
            )
            found = self._system[(host, port)] = list(dict.fromkeys(str(i[4][0]) for i in infos))
        return found

    def close(self) -> None:
        """Let go of the look-up threads (one still waiting for an answer is not waited for)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    def _threads(self) -> concurrent.futures.ThreadPoolExecutor:
        if self._executor is None:
            import concurrent.futures

            self._executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=8, thread_name_prefix="factcheck-dns"
            )
        return self._executor

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
