"""URL identity and shape, without the network stack (validate must stay light): the one
module that says when two URLs are the same page, what a default port is and what a Wayback
Machine address looks like. :mod:`factcheck.links.urls` builds the form a URL takes on the
wire on top of it."""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: The schemes factcheck checks, and their default ports (dropped from a URL's identity).
DEFAULT_PORTS = {"http": 80, "https": 443}
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_SECRET_NAMES = re.compile(
    r"(?i)(token|key|secret|passw|pwd|auth|signature|sig|session|sid|credential)"
)


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL without credentials, or None when it is."""
    if _CONTROL.search(url):
        return "contains spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"cannot be parsed ({exc})"
    if parts.scheme.lower() not in DEFAULT_PORTS:
        if not parts.scheme:
            return "is not absolute (no http:// or https://)"
        return f"uses {parts.scheme!r}; only http and https links are checked"
    if not parts.hostname:
        return "has no host name"
    if parts.username is not None or parts.password is not None:
        return "has credentials in it; remove the user name and password"
    del port
    return None


#: URLs are normalised several times a run (rules, requests, the link checker, the report);
#: the function is pure, so repeats are looked up (a bounded cache: memory stays flat).
_URL_CACHE = 16384


@functools.lru_cache(maxsize=_URL_CACHE)
def normalise_url(url: str) -> str:
    """URL identity: scheme and host lower-cased, default port and fragment dropped."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    path = parts.path or ("/" if scheme in DEFAULT_PORTS else "")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def redact(url: str) -> str:
    """Show query parameters named like secrets as ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(_SECRET_NAMES.search(name) for name, _ in pairs):
        return url
    query = urlencode(
        [(name, "***" if _SECRET_NAMES.search(name) else value) for name, value in pairs],
        safe="*",
    )
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def same_page(a: str, b: str) -> bool:
    """Loose identity for archive checks: scheme, ``www.`` and a trailing slash ignored."""

    def key(url: str) -> str:
        norm = normalise_url(url)
        norm = re.sub(r"^https?://", "", norm)
        norm = re.sub(r"^www\.", "", norm)
        return norm.rstrip("/")

    return key(a) == key(b)


#: A Wayback Machine address: ``prefix`` (scheme, host, port, ``/web/``), the time ``stamp``,
#: an optional ``flag`` (``id_``: the page as archived, without the toolbar) and the ``url``.
WAYBACK = re.compile(
    r"^(?P<prefix>https?://(?:web\.)?archive\.org(?::\d+)?/web/)"
    r"(?P<stamp>\d{1,14})(?P<flag>[a-z]{2}_)?/(?P<url>.+)$",
    re.IGNORECASE,
)
_OPAQUE_ARCHIVES = {
    "archive.ph",
    "archive.is",
    "archive.today",
    "archive.li",
    "archive.vn",
    "archive.fo",
    "archive.md",
    "perma.cc",
    "ghostarchive.org",
    "webcitation.org",
    "www.webcitation.org",
}


def wayback_target(archive_url: str) -> str | None:
    """The archived URL inside a Wayback Machine address, or None."""
    match = WAYBACK.match(archive_url)
    return match.group("url") if match else None


def archive_problem(archive_url: str, url: str) -> str | None:
    """Why ``archive_url`` is not an archive of ``url``, or None."""
    target = wayback_target(archive_url)
    if target is not None:
        if not target.startswith(("http://", "https://")):
            target = "http://" + target.lstrip("/")
        if same_page(target, url):
            return None
        return f"archives {target}, not {url}"
    host = (urlsplit(archive_url).hostname or "").lower()
    if host in _OPAQUE_ARCHIVES:
        return None
    known = "Wayback Machine, archive.today, perma.cc"
    return f"{host or archive_url!r} is not a known web archive ({known})"
