"""URL identity and shape, without the network stack (validate must stay light): the one
module that says when two URLs are the same page, what a default port is and what a Wayback
Machine address looks like. :mod:`factcheck.links.urls` builds the form a URL takes on the
wire on top of it.

It also holds the rules that decide which URLs are fetched, and where:

- ``--exclude REGEX`` skips the URLs it matches (``re.search`` on the normalised URL);
  ``--include REGEX`` overrides it: a URL an include matches is fetched whatever an exclude
  or an ignore file says.
- ``--remap 'REGEX REPLACEMENT'`` rewrites a URL before it is fetched (a staging host, a
  moved domain): the first rule whose pattern matches applies, ``re.sub`` once, groups as
  ``\\1``. The report keeps the cited URL and says where it was fetched.
- ``.factcheckignore`` beside a claims file: URL patterns (regular expressions like
  ``--exclude``), one a line, ``#`` comments and blank lines skipped; they skip the URLs of
  that claims file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from factcheck.errors import FactcheckError

#: The schemes factcheck checks, and their default ports (dropped from a URL's identity).
DEFAULT_PORTS = {"http": 80, "https": 443}
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_SECRET_NAMES = re.compile(
    r"(?i)(token|key|secret|passw|pwd|auth|signature|sig|session|sid|credential)"
)


#: An absolute http(s) URL already in its normal form, written only with characters URL parsing
#: keeps as they are: lower-case scheme and host, no port, credentials or fragment, a path and
#: maybe a query (most cited URLs). :func:`normalise_url` gives it back as it is and
#: :func:`url_problem` finds nothing wrong with it, without parsing it (microseconds a URL,
#: thousands of URLs a file; tests compare both with the full parse).
_NORMAL_URL = re.compile(
    r"https?://[a-z0-9.-]+/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*(?:\?[A-Za-z0-9._~%!$&'()*+,;=:@/?-]+)?"
)


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL without credentials, or None when it is."""
    if _NORMAL_URL.fullmatch(url):
        return None
    return _parsed_url_problem(url)


def _parsed_url_problem(url: str) -> str | None:
    """:func:`url_problem`, the URL parsed."""
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
    # Credentials are what comes before an "@" of the network location (none: no parse).
    if "@" in parts.netloc and (parts.username is not None or parts.password is not None):
        return "has credentials in it; remove the user name and password"
    del port
    return None


#: URLs are normalised several times a run (rules, requests, the link checker, the report);
#: the function is pure, so repeats are looked up (a bounded cache: memory stays flat).
_URL_CACHE = 16384


@functools.lru_cache(maxsize=_URL_CACHE)
def normalise_url(url: str) -> str:
    """URL identity: scheme and host lower-cased, default port and fragment dropped."""
    if _NORMAL_URL.fullmatch(url):
        return url
    return _parsed_normal_url(url)


def _parsed_normal_url(url: str) -> str:
    """:func:`normalise_url`, the URL parsed."""
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
    if "?" not in url:  # no query (the common case): nothing to hide, and no parse
        return url
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


# --------------------------------------------------------------------------- fetch rules

IGNORE_FILE = ".factcheckignore"


def compile_pattern(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise FactcheckError(f"{where} {pattern!r} is not a regular expression: {exc}") from None


@dataclass(frozen=True)
class Remap:
    pattern: re.Pattern[str]
    replacement: str

    @property
    def spec(self) -> str:
        return f"{self.pattern.pattern} {self.replacement}"

    def apply(self, url: str) -> str | None:
        """The rewritten URL when the pattern matches ``url``, else None."""
        if not self.pattern.search(url):
            return None
        try:
            return self.pattern.sub(self.replacement, url, count=1)
        except (re.error, IndexError) as exc:  # a group the pattern does not have
            raise FactcheckError(f"--remap {self.spec!r}: {exc}") from None


def parse_remap(spec: str, where: str = "--remap") -> Remap:
    """``'REGEX REPLACEMENT'``: the replacement is the last word, the pattern what is before it."""
    match = re.fullmatch(r"\s*(.+?)\s+(\S+)\s*", spec)
    if match is None:
        raise FactcheckError(
            f"{where} {spec!r}: write 'REGEX REPLACEMENT', e.g. "
            "'^https://staging\\.example\\.com/ https://www.example.com/'"
        )
    pattern = compile_pattern(match.group(1), where)
    replacement = match.group(2)
    if not replacement.lower().startswith(("http://", "https://", "\\", "\\g<")):
        raise FactcheckError(
            f"{where} {spec!r}: the replacement must be an http(s) URL (or start with a group)"
        )
    remap = Remap(pattern, replacement)
    try:
        pattern.sub(replacement, "")  # an unknown group is an error now, not mid-run
    except (re.error, IndexError) as exc:
        raise FactcheckError(f"{where} {spec!r}: {exc}") from None
    return remap


def remapped(url: str, remaps: Iterable[Remap]) -> str:
    """``url`` after the first remap rule that matches it (``url`` itself without one)."""
    for rule in remaps:
        target = rule.apply(url)
        if target is not None:
            return target
    return url


def read_ignore_file(path: Path) -> tuple[re.Pattern[str], ...]:
    """The patterns of one ignore file; a bad pattern is an error naming its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise FactcheckError(f"cannot read: {exc.strerror}", location=str(path)) from None
    except UnicodeDecodeError:
        raise FactcheckError("not UTF-8 text", location=str(path)) from None
    patterns = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        patterns.append(compile_pattern(line, f"{path.as_posix()}:{number}:"))
    return tuple(patterns)


def ignore_file_beside(claims_file: Path) -> Path | None:
    found = claims_file.parent / IGNORE_FILE
    return found if found.is_file() else None


@dataclass(frozen=True)
class UrlRules:
    includes: tuple[re.Pattern[str], ...] = ()
    excludes: tuple[re.Pattern[str], ...] = ()
    remaps: tuple[Remap, ...] = ()

    def skipped_by(self, url: str, ignores: Iterable[re.Pattern[str]] = ()) -> str | None:
        """Why ``url`` is not fetched (``--exclude 'P'`` or ``.factcheckignore 'P'``), or None:
        an include that matches wins over both."""
        if any(p.search(url) for p in self.includes):
            return None
        for pattern in self.excludes:
            if pattern.search(url):
                return f"--exclude {pattern.pattern!r}"
        for pattern in ignores:
            if pattern.search(url):
                return f"{IGNORE_FILE} {pattern.pattern!r}"
        return None
