"""Credentials for sources behind a login: ``--header 'HOST=Name: value'`` and ``--cookies FILE``.

A newsroom's evidence often sits behind a login it already has (wire services, court
databases, paywalled papers). These credentials come from the command line or the
environment (``FACTCHECK_HEADERS``: newline-separated ``HOST=Name: value`` entries) only,
never from a configuration file a pull request could change. They are sent to the named host
and its subdomains only, decided on every request, so a redirect to another host never
carries them; the cookies of a Netscape cookie jar follow the jar's own domain, path, secure
and expiry rules. Values are never printed: the report header shows ``HOST=Name: ***``
(:mod:`factcheck.settings`), :class:`HeaderEntry` keeps its value out of its ``repr``, and
error messages name the entry without its value.

The link cache keys a URL fetched with credentials by a salted SHA-256 of what was sent
(:meth:`Credentials.digest`), so a run with other credentials, or none, never reuses it.
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import re
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.errors import FactcheckError

if TYPE_CHECKING:
    from factcheck.links.transport import Request, Response, Transport

ENVIRONMENT = "FACTCHECK_HEADERS"
#: An HTTP header name (RFC 9110 token).
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
#: Headers the link checker writes itself, or that would change how the message is framed.
_RESERVED = {
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
    "te",
    "trailer",
    "keep-alive",
    "proxy-connection",
    "cookie",
}
_HOST = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?")


def _host_key(host: str) -> str:
    """A host name as compared: lower case, no trailing dot, IDNA for a Unicode name."""
    host = host.strip().rstrip(".").lower()
    if host.startswith("[") and host.endswith("]"):
        return host
    if not host.isascii():
        try:
            import idna

            host = str(idna.encode(host, uts46=True).decode("ascii"))
        except Exception:  # idna.IDNAError, UnicodeError
            return host
    return host


def host_matches(host: str, pattern: str) -> bool:
    """``host`` is ``pattern`` or one of its subdomains."""
    host = _host_key(host)
    return host == pattern or host.endswith("." + pattern)


@dataclass(frozen=True)
class HeaderEntry:
    host: str
    name: str
    value: str = field(repr=False)
    #: Where it came from: ``--header`` or the environment variable.
    source: str = "--header"


def parse_header(entry: str, source: str = "--header") -> HeaderEntry:
    """``HOST=Name: value``; a bad entry is a one-line error that does not print the value."""
    host, equals, rest = entry.partition("=")
    name, colon, value = rest.partition(":")
    host, name, value = _host_key(host), name.strip(), value.strip()
    valid_host = bool(host) and bool(_HOST.fullmatch(host)) and ".." not in host
    # The entry itself is never echoed: only a valid host name and header name are.
    where = f"{source} for {host}" if valid_host else source
    if not equals or not colon:
        raise FactcheckError(
            f"{where}: write HOST=Name: value (e.g. 'example.com=Authorization: ...')"
        )
    if not valid_host:
        raise FactcheckError(
            f"{where}: the part before '=' is not a host name (no scheme, port or path)"
        )
    if not _TOKEN.fullmatch(name):
        raise FactcheckError(f"{where}: the header name is not a valid HTTP header name")
    if name.lower() in _RESERVED:
        raise FactcheckError(
            f"{where}: {name} is set by factcheck itself"
            + ("; give cookies with --cookies FILE" if name.lower() == "cookie" else "")
        )
    if any(c in value for c in "\r\n\0"):
        raise FactcheckError(f"{where}: the value of {name} contains a line break")
    if not value:
        raise FactcheckError(f"{where}: the header {name} has no value")
    return HeaderEntry(host, name, value, source)


def headers_from(
    flags: Iterable[str], environ: Mapping[str, str] | None = None
) -> tuple[HeaderEntry, ...]:
    """The ``--header`` entries, then those of ``FACTCHECK_HEADERS`` (one per line)."""
    entries = [parse_header(flag) for flag in flags]
    text = (environ or {}).get(ENVIRONMENT, "")
    for line in text.splitlines():
        if line.strip():
            entries.append(parse_header(line.strip(), ENVIRONMENT))
    return tuple(entries)


def load_cookie_jar(path: Path) -> http.cookiejar.CookieJar:
    """A Netscape cookie jar (the ``cookies.txt`` of curl and browser extensions): seven
    tab-separated fields a line (domain, subdomains too, path, secure only, expiry, name,
    value); ``#`` comments, and the ``#HttpOnly_`` prefix curl writes. A host-only cookie
    (subdomains ``FALSE``) goes to its exact host; a bad line is an error naming its number."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FactcheckError("no such cookie file", location=str(path)) from None
    except IsADirectoryError:
        raise FactcheckError("the cookie file is a directory", location=str(path)) from None
    except OSError as exc:
        raise FactcheckError(
            f"cannot read the cookie file: {exc.strerror}", location=str(path)
        ) from None
    except UnicodeDecodeError:
        raise FactcheckError("the cookie file is not UTF-8 text", location=str(path)) from None
    policy = http.cookiejar.DefaultCookiePolicy(
        strict_ns_domain=http.cookiejar.DefaultCookiePolicy.DomainStrictNonDomain
    )
    jar = http.cookiejar.CookieJar(policy)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip("\r\n")
        if line.startswith("#HttpOnly_"):
            line = line.removeprefix("#HttpOnly_")
        elif line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 7:
            raise FactcheckError(
                f"line {number}: a Netscape cookie line has 7 tab-separated fields, not "
                f"{len(fields)}",
                location=str(path),
            )
        domain, subdomains, cookie_path, secure, expires, name, value = fields
        if subdomains.upper() not in {"TRUE", "FALSE"} or secure.upper() not in {"TRUE", "FALSE"}:
            raise FactcheckError(
                f"line {number}: the 2nd and 4th fields are TRUE or FALSE", location=str(path)
            )
        if not re.fullmatch(r"-?\d+", expires.strip() or "0"):
            raise FactcheckError(
                f"line {number}: the expiry (5th field) is not a number", location=str(path)
            )
        host = _host_key(domain.lstrip("."))
        if not host or not name:
            raise FactcheckError(f"line {number}: no domain or no name", location=str(path))
        everywhere = subdomains.upper() == "TRUE"
        expiry = int(expires.strip() or "0")
        jar.set_cookie(
            http.cookiejar.Cookie(
                version=0,
                name=name,
                value=value,
                port=None,
                port_specified=False,
                domain=f".{host}" if everywhere else host,
                domain_specified=everywhere,
                domain_initial_dot=everywhere,
                path=cookie_path or "/",
                path_specified=True,
                secure=secure.upper() == "TRUE",
                expires=expiry if expiry > 0 else None,
                discard=expiry <= 0,
                comment=None,
                comment_url=None,
                rest={},
            )
        )
    if not len(jar):
        raise FactcheckError("the cookie file holds no cookie", location=str(path))
    return jar


@dataclass
class Credentials:
    """What a run sends to which host."""

    headers: tuple[HeaderEntry, ...] = ()
    jar: http.cookiejar.CookieJar | None = None
    cookie_file: Path | None = None
    #: Pages fetched with credentials keep their text in the cache (``--cache-authenticated``).
    cache_pages: bool = False

    def __bool__(self) -> bool:
        return bool(self.headers) or self.jar is not None

    def for_url(self, url: str) -> list[tuple[str, str]]:
        """The headers to send with a request to ``url`` (one redirect hop): the entries whose
        host is the URL's host or a parent domain of it, and a ``Cookie`` header of the jar's
        cookies for that URL. Empty for any other host."""
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
        except ValueError:
            return []
        if parts.scheme not in ("http", "https") or not host:
            return []
        sent = [(e.name, e.value) for e in self.headers if host_matches(host, e.host)]
        if self.jar is not None:
            request = urllib.request.Request(url)
            self.jar.add_cookie_header(request)
            cookie = request.get_header("Cookie")
            if cookie:
                sent.append(("Cookie", cookie))
        return sent

    def applies_to(self, url: str) -> bool:
        return bool(self.for_url(url))

    def digest(self, url: str, salt: bytes) -> str:
        """Salted SHA-256 of what is sent to ``url``; empty when nothing is."""
        sent = self.for_url(url)
        if not sent:
            return ""
        hasher = hashlib.sha256(salt)
        for name, value in sorted(sent):
            hasher.update(b"\0" + name.lower().encode("latin-1", "replace"))
            hasher.update(b"\0" + value.encode("utf-8", "surrogateescape"))
        return hasher.hexdigest()


def credentials_from(
    header_flags: Iterable[str],
    cookie_file: Path | None,
    environ: Mapping[str, str] | None = None,
    *,
    cache_pages: bool = False,
) -> Credentials:
    jar = load_cookie_jar(cookie_file) if cookie_file is not None else None
    return Credentials(headers_from(header_flags, environ), jar, cookie_file, cache_pages)


# -- the fetch hook ------------------------------------------------------------------------------


class CredentialTransport:
    """Wraps the run's transport (:class:`~factcheck.links.transport.Transport`): adds the
    credentials for each request's own URL, so a redirect hop to another host carries none.
    A ``Cookie`` header the redirect chain already has (cookies set on the way) is kept, and
    the jar's cookies are added to it."""

    def __init__(self, inner: Transport, credentials: Credentials) -> None:
        self.inner = inner
        self.credentials = credentials

    async def send(self, request: Request, deadline: float) -> Response:
        extra = self.credentials.for_url(request.url)
        if extra:
            headers = dict(request.headers)
            for name, value in extra:
                same = [key for key in headers if key.lower() == name.lower()]
                if name.lower() == "cookie" and same:
                    headers[same[0]] = f"{headers[same[0]]}; {value}"
                    continue
                for key in same:
                    del headers[key]
                headers[name] = value
            request = replace(request, headers=headers)
        return await self.inner.send(request, deadline)

    async def reach(self, host: str, port: int, deadline: float, *, via_proxy: bool) -> None:
        await self.inner.reach(host, port, deadline, via_proxy=via_proxy)

    def close(self) -> None:
        self.inner.close()
