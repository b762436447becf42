"""URL identity, shape and the form a URL takes on the wire."""

from __future__ import annotations

import functools
import re
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from factcheck.links.types import Reason
from factcheck.urls import DEFAULT_PORTS, WAYBACK
from factcheck.urls import normalise_url as normalise_url  # the one URL identity

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f]")
# RFC 3986 characters that may stay as they are in a path or query; everything else is
# percent-encoded as UTF-8 (a Unicode path, a space). Existing escapes are kept.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
# A normalised http(s) URL (lower-case scheme and host, no fragment) with nothing to encode.
_PLAIN = re.compile(
    r"https?://([a-z0-9.-]+)(:[0-9]+)?(/[A-Za-z0-9/%:@!$&'()*+,;=._~-]*)(\?[A-Za-z0-9/%:@!$&'()*+,;=._~?-]*)?\Z"
)

#: Hosts of web archives: one request at a time per host (they rate-limit hard).
ARCHIVE_HOSTS = frozenset(
    {
        "web.archive.org",
        "archive.org",
        "wayback.archive-it.org",
        "archive.today",
        "archive.ph",
        "archive.is",
        "archive.li",
        "archive.vn",
        "archive.fo",
        "archive.md",
        "ghostarchive.org",
        "webcitation.org",
        "www.webcitation.org",
        "perma.cc",
        "arquivo.pt",
    }
)
_LOGIN_PATH = re.compile(
    r"(^|/)(log-?in|sign-?in|signin|sso|auth|session/new|users/sign_in|account/login|"
    r"accounts/login|login\.(php|aspx?|jsp|html?))(/|$)",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=16384)  # pure, and asked again for every URL of a run
def shape_problem(url: str) -> tuple[Reason, str] | None:
    """Why ``url`` cannot be fetched as it stands (``not-http`` or ``invalid-url``), or None."""
    url = url.strip()
    plain = _PLAIN.match(url)  # the common case, without urlsplit (a run asks for every URL)
    if plain is not None and (plain.group(2) is None or int(plain.group(2)[1:]) <= 65535):
        return None
    if _BAD_CHARS.search(url):
        return Reason.INVALID_URL, "the URL contains control characters"
    if not _SCHEME.match(url):
        return Reason.INVALID_URL, "the URL is not absolute (no http:// or https://)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        return Reason.INVALID_URL, f"the URL cannot be parsed ({exc})"
    if parts.scheme.lower() not in DEFAULT_PORTS:
        return Reason.NOT_HTTP, f"{parts.scheme.lower()}: links are not checked"
    if not parts.hostname:
        return Reason.INVALID_URL, "the URL has no host name"
    if parts.username is not None or parts.password is not None:
        return Reason.INVALID_URL, "the URL has credentials in it; they are never sent"
    if " " in parts.netloc or not wire_host(parts.hostname):
        return Reason.INVALID_URL, f"{parts.hostname!r} is not a valid host name"
    return None


def wire_host(host: str) -> str:
    """The host name as sent in DNS, SNI and ``Host``: IDNA (UTS 46) for a Unicode name."""
    if host.isascii():
        return host
    try:
        import idna

        return str(idna.encode(host, uts46=True).decode("ascii"))
    except Exception:  # idna.IDNAError, UnicodeError: fall back to IDNA 2003
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            return ""


def wire_url(url: str) -> str:
    """``url`` as requested: ASCII host, non-ASCII and spaces percent-encoded as UTF-8, no
    fragment; a Wayback URL gets the ``id_`` flag (the page as archived, without the toolbar)."""
    if _PLAIN.match(url):  # the common case: nothing to encode (quote() costs 30 µs a URL)
        return wayback_raw(url)
    parts = urlsplit(url)
    host = wire_host(parts.hostname or "")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE)
    return wayback_raw(urlunsplit((parts.scheme.lower(), netloc, path, query, "")))


def wayback_raw(url: str) -> str:
    """A Wayback Machine URL with the ``id_`` flag; any other URL unchanged."""
    match = WAYBACK.match(url)
    if not match:
        return url
    return f"{match['prefix']}{match['stamp']}id_/{match['url']}"


def without_wayback_flag(url: str, original: str) -> str:
    """Undo :func:`wayback_raw` for display, unless the original URL carried a flag itself."""
    if WAYBACK.match(original) and not re.search(r"/web/\d{1,14}[a-z]{2}_/", original):
        return re.sub(r"(/web/\d{1,14})id_/", r"\1/", url, count=1)
    return url


def host_of(url: str) -> str:
    plain = _PLAIN.match(url)
    if plain is not None:
        return plain.group(1)
    return (urlsplit(url).hostname or "").lower()


def is_archive_host(host: str) -> bool:
    return host in ARCHIVE_HOSTS or host.endswith(".archive.org")


def fragment_to_check(url: str, fragment: str | None = None) -> str | None:
    """The fragment to look for on the page: ``fragment``, else the URL's own; never text
    fragments (``#:~:text=``), routes (``#/…``, ``#!…``) or PDF pages (``#page=``)."""
    if fragment is None:
        if "#" not in url:
            return None
        fragment = urlsplit(url).fragment
    fragment = fragment.lstrip("#")
    fragment = fragment.split(":~:", 1)[0]  # "#id:~:text=..." still points at id
    if not fragment or fragment.startswith(("/", "!")) or fragment.startswith("page="):
        return None
    if fragment.lower() == "top":  # HTML: #top scrolls to the top of any page
        return None
    return fragment


def fragment_present(fragment: str, ids: frozenset[str]) -> bool:
    """HTML looks the fragment up as written, then percent-decoded."""
    return fragment in ids or unquote(fragment) in ids


def resolve_location(base: str, location: str) -> str:
    """The absolute URL of a ``Location`` header."""
    return urljoin(base, location.strip())


def path_segments(url: str) -> int:
    return len([s for s in urlsplit(url).path.split("/") if s])


def is_root_or_login(url: str) -> bool:
    """The site's home page or a login page: where a dead deep link is often sent."""
    parts = urlsplit(url)
    return parts.path in ("", "/") or bool(_LOGIN_PATH.search(parts.path))
