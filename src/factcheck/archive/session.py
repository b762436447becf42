"""A small HTTP client for archive look-ups: ``requests``, behind the link checker's guard.

The look-up APIs of web archives (CDX, availability, Save Page Now) answer JSON; the link
checker reads pages. What they share is what SPEC.md promises for every request: only http(s),
the private-address guard on every address connected to (every redirect hop included), the
run's resolver, one deadline per attempt, capped bodies, retries on 429/502/503/504 with
``Retry-After`` honoured up to the run's limit, no credentials, no netrc, no proxy unless
``--proxy``. Each hop's connection is opened here (``_new_conn``): the name is resolved by the
run's resolver, refused addresses are dropped before any packet is sent, and the address
actually connected to is checked again.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from factcheck.links import LinkSettings, Resolver, SystemResolver
from factcheck.links.guard import AddressGuard
from factcheck.urls import url_problem

#: Look-up answers are small; a bigger one is not what was asked for.
MAX_ANSWER = 2 * 1024 * 1024
MAX_REDIRECTS = 10
_RETRY_STATUSES = frozenset({429, 502, 503, 504})


class Refused(Exception):
    """No connection was made: a guard refusal or a name that does not resolve. Not an
    ``OSError``, so urllib3 and requests let it through unwrapped."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Answer:
    """A response read to its end (or to :data:`MAX_ANSWER`)."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass(frozen=True)
class Failure:
    """No usable response: a reason word of the link checker's vocabulary and a sentence."""

    reason: str
    detail: str
    status: int | None = None


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _pool_classes(guard: AddressGuard, resolver: Resolver) -> dict[str, type]:
    class Guarded(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            host = self.host
            try:
                found = (
                    [host.strip("[]")] if _ip_literal(host) else resolver.resolve(host, self.port)
                )
            except (OSError, UnicodeError) as exc:
                raise Refused("dns", f"{host}: the name does not resolve ({exc})") from None
            allowed = [address for address in found if guard.allows(address)]
            if not allowed:
                where = host if _ip_literal(host) else f"{host} resolves to {found[0]}, which"
                raise Refused("private-address", f"{where} is not a public address")
            timeout = self.timeout if isinstance(self.timeout, int | float) else None
            problem: OSError | None = None
            for address in allowed[:3]:
                try:
                    sock = socket.create_connection((address, self.port), timeout=timeout)
                except OSError as exc:
                    problem = exc
                    continue
                peer = str(sock.getpeername()[0])
                if not guard.allows(peer):
                    sock.close()
                    raise Refused(
                        "private-address", f"{host} connected to {peer}, not a public address"
                    )
                return sock
            if isinstance(problem, TimeoutError):
                raise problem
            raise NewConnectionError(self, f"cannot connect to {host}: {problem}")

    class GuardedTLS(Guarded, HTTPSConnection):
        """TLS over the same guarded connect."""

    class Pool(HTTPConnectionPool):
        ConnectionCls = Guarded

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = GuardedTLS

    return {"http": Pool, "https": SecurePool}


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, pools: dict[str, type]) -> None:
        self._pools = pools
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools


class GuardedClient:
    """GET requests under the run's link settings, one at a time."""

    def __init__(
        self,
        settings: LinkSettings,
        *,
        resolver: Resolver | None = None,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.sleep = sleep
        self.wall_clock = wall_clock
        self._resolver = resolver or SystemResolver()
        self._guard = AddressGuard(settings)
        session = requests.Session()
        session.trust_env = False  # no proxy variables, no netrc: SPEC.md, "Link checking"
        session.max_redirects = MAX_REDIRECTS
        session.headers["User-Agent"] = settings.user_agent
        session.headers["Accept"] = "application/json, text/plain;q=0.9, */*;q=0.5"
        if settings.proxy:
            session.proxies = {"http": settings.proxy, "https": settings.proxy}
        if settings.ca_bundle is not None:
            session.verify = str(settings.ca_bundle)
        adapter = _GuardedAdapter(_pool_classes(self._guard, self._resolver))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        self.session = session

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, *, limit: int = MAX_ANSWER) -> Answer | Failure:
        """The answer to ``url`` after retries, or why there is none."""
        problem = url_problem(url)
        if problem is not None:
            return Failure("invalid-url", f"{url} {problem}")
        attempt = 0
        while True:
            answer = self._attempt(url, limit)
            retry = answer.status in _RETRY_STATUSES if isinstance(answer, Answer) else False
            if isinstance(answer, Failure):
                retry = answer.reason in ("connection", "connect-timeout")
            if not retry or attempt >= self.settings.retries:
                return self._final(answer)
            delay = self._retry_after(answer) if isinstance(answer, Answer) else None
            if delay is None:
                delay = self.settings.backoff * 2**attempt
            elif delay > self.settings.max_retry_after:
                return self._final(answer)
            self.sleep(delay)
            attempt += 1

    def _final(self, answer: Answer | Failure) -> Answer | Failure:
        if isinstance(answer, Answer) and answer.status == 429:
            return Failure("rate-limited", "HTTP 429 Too Many Requests (after retries)", 429)
        return answer

    def _retry_after(self, answer: Answer) -> float | None:
        value = answer.headers.get("retry-after", "").strip()
        if not value:
            return None
        if value.isdigit():
            return float(value)
        try:
            when = parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        return max(0.0, when - self.wall_clock())

    def _attempt(self, url: str, limit: int) -> Answer | Failure:
        if self.settings.proxy:
            refused = self._proxy_guard(url)
            if refused is not None:
                return refused
        deadline = time.monotonic() + self.settings.timeout
        timeout = self.settings.timeout
        try:
            with self.session.get(url, timeout=(timeout, timeout), stream=True) as response:
                body = bytearray()
                for chunk in response.iter_content(64 * 1024):
                    body += chunk
                    if len(body) > limit:
                        del body[limit:]
                        break
                    if time.monotonic() > deadline:
                        return Failure("timeout", "connected, but no answer within the deadline")
                headers = {name.lower(): value for name, value in response.headers.items()}
                return Answer(response.url, response.status_code, headers, bytes(body))
        except Refused as exc:
            return Failure(exc.reason, exc.detail)
        except requests.exceptions.TooManyRedirects:
            return Failure("too-many-redirects", f"more than {MAX_REDIRECTS} redirects")
        except requests.exceptions.ConnectTimeout:
            return Failure("connect-timeout", f"no connection to {_host(url)} within the deadline")
        except (requests.exceptions.ReadTimeout, TimeoutError):
            return Failure("timeout", "connected, but no answer within the deadline")
        except requests.exceptions.SSLError as exc:
            return Failure("tls", f"TLS: {exc}")
        except (requests.exceptions.RequestException, OSError) as exc:
            return Failure("connection", f"the connection failed: {type(exc).__name__}")

    def _proxy_guard(self, url: str) -> Failure | None:
        """Through a proxy the proxy connects: a target that resolves (here) to a refused
        address is not asked for."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            found = [host] if _ip_literal(host) else self._resolver.resolve(host, 0)
        except (OSError, UnicodeError):
            return None  # a name only the proxy can resolve is left to it
        if found and not any(self._guard.allows(address) for address in found):
            return Failure("private-address", f"{host} is not a public address")
        return None


def _host(url: str) -> str:
    return urlsplit(url).hostname or url
