"""What goes in and out of the link checker: requests, settings, outcomes, reasons, results.

The outcome of a link is a closed set, and so is the reason; the reason decides the outcome
(SPEC.md, "Link checking"), so a result can never pair ``ok`` with ``dns``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.errors import FactcheckError
from factcheck.urls import Remap, compile_pattern, parse_remap, remapped

if TYPE_CHECKING:
    from factcheck.extract import PageText
    from factcheck.links.credentials import Credentials


class Outcome(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BROKEN = "broken"
    SKIPPED = "skipped"

    @property
    def rank(self) -> int:
        """SPEC: a claim's link health is the worst outcome, broken > warning > skipped > ok."""
        return _OUTCOME_RANKS[self]


_OUTCOME_RANKS = {Outcome.OK: 0, Outcome.SKIPPED: 1, Outcome.WARNING: 2, Outcome.BROKEN: 3}


class Reason(StrEnum):
    OK = "ok"
    REDIRECTED = "redirected"
    BOT_BLOCKED = "bot-blocked"
    RATE_LIMITED = "rate-limited"
    SOFT_404 = "soft-404"
    MISSING_FRAGMENT = "missing-fragment"
    TIMEOUT = "timeout"
    CONNECT_TIMEOUT = "connect-timeout"
    HTTP_STATUS = "http-status"
    DNS = "dns"
    REFUSED = "refused"
    TLS = "tls"
    REDIRECT_LOOP = "redirect-loop"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    CONNECTION = "connection"
    PRIVATE_ADDRESS = "private-address"
    INVALID_URL = "invalid-url"
    OFFLINE = "offline"
    EXCLUDED = "excluded"
    NOT_HTTP = "not-http"
    #: ``verify --replay``: the capture has no response for the URL.
    NOT_CAPTURED = "not-captured"
    #: ``--respect-robots``: the host's robots.txt disallows the URL for us; not fetched.
    ROBOTS = "robots"

    @property
    def outcome(self) -> Outcome:
        return _REASON_OUTCOMES[self]


def _outcomes() -> dict[Reason, Outcome]:
    table = {
        Outcome.OK: "ok redirected",
        Outcome.WARNING: "bot-blocked rate-limited soft-404 missing-fragment timeout "
        "connect-timeout",
        Outcome.BROKEN: "http-status dns refused tls redirect-loop too-many-redirects connection "
        "invalid-url",
        # private-address: refused by the guard, not fetched; not a dead link (an intranet
        # source is fine for its readers), so never the archive advice.
        Outcome.SKIPPED: "offline excluded not-http not-captured private-address robots",
    }
    return {Reason(word): outcome for outcome, words in table.items() for word in words.split()}


_REASON_OUTCOMES = _outcomes()


class LinkKind(StrEnum):
    EVIDENCE = "evidence"
    ARCHIVE = "archive"
    ARTICLE = "article"


@dataclass(frozen=True)
class LinkRequest:
    #: As written in claims.yaml.
    url: str
    kind: LinkKind
    #: A quote or anchoring check needs the visible text: the body is read up to the cap.
    need_text: bool = False
    #: The fragment to look for on the page; None takes it from ``url``. Text fragments
    #: (``#:~:text=``), routes (``#/…``, ``#!…``) and ``#page=`` are never checked.
    fragment: str | None = None
    #: The ``.factcheckignore`` pattern of the citing claims file that matches the URL: it is
    #: not fetched when every request for it is ignored (and no ``--include`` matches).
    ignored_by: str | None = None


@dataclass(frozen=True)
class LinkResult:
    #: The normalised URL: the key of :func:`check_links`' answer.
    url: str
    outcome: Outcome
    reason: Reason
    #: Of the last response; None without any response.
    status_code: int | None
    #: The URL of the last response (``url`` itself without a redirect); None without one.
    final_url: str | None
    #: One short sentence for people: "HTTP 404 Not Found", "certificate has expired".
    detail: str
    from_cache: bool = False
    content_type: str | None = None
    #: The visible text, when the body was read for it (``need_text`` or a fragment check).
    page: PageText | None = None
    #: The body cap or the deadline cut the body before its end.
    truncated: bool = False
    #: Requested fragments the (completely read) page does not have.
    missing_fragments: tuple[str, ...] = ()


def make_result(
    url: str,
    reason: Reason,
    detail: str,
    *,
    status_code: int | None = None,
    final_url: str | None = None,
    **extra: object,
) -> LinkResult:
    """A result whose outcome follows from its reason."""
    return LinkResult(
        url=url,
        outcome=reason.outcome,
        reason=reason,
        status_code=status_code,
        final_url=final_url,
        detail=detail,
        **extra,  # type: ignore[arg-type]
    )


#: A current desktop browser: news sites and their CDNs answer non-browser agents with 403.
DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
MIB = 1024 * 1024
#: Where ``--suggest-archive`` and ``fix --archive`` look for snapshots: the Wayback Machine's
#: CDX server (factcheck.archive.wayback reads the kind of endpoint from its path).
DEFAULT_ARCHIVE_ENDPOINT = "https://web.archive.org/cdx/search/cdx"
#: The longest ``--host-interval``: a minute between requests already makes a run of a few
#: hundred links on one host take hours.
MAX_HOST_INTERVAL = 60.0
#: The settings version of the cache fingerprint: bump when a change alters cached results.
_FINGERPRINT_VERSION = 1


@dataclass(frozen=True)
class LinkSettings:
    """How links are checked. Invalid values raise :class:`FactcheckError` (exit 2)."""

    #: Seconds for one attempt: connect, headers and body, a header drip included.
    timeout: float = 20.0
    #: Further attempts after connection errors, 429, 502, 503 and 504.
    retries: int = 2
    #: URLs in flight at once, over all hosts.
    concurrency: int = 64
    #: URLs in flight at once per host name; archive hosts get :attr:`archive_per_host`.
    per_host: int = 4
    archive_per_host: int = 1
    #: Cap on the (decompressed) body of an HTML or text page read for its text.
    max_body: int = 5 * MIB
    #: Cap on a PDF read for its text (streamed to a temporary file).
    max_pdf: int = 50 * MIB
    user_agent: str = DEFAULT_USER_AGENT
    #: ``http://host:port``; without it no proxy is used, whatever the environment says.
    proxy: str | None = None
    #: Fetch from any non-public address (loopback, private, link-local, CGNAT ...).
    allow_private: bool = False
    #: Fetch from non-public addresses inside these networks only.
    allow_cidrs: tuple[str, ...] = ()
    #: Regular expressions; a URL whose normalised form matches one (``re.search``) is skipped.
    excludes: tuple[str, ...] = ()
    #: Regular expressions; a URL one of them matches is checked whatever ``excludes`` and the
    #: ``.factcheckignore`` files say.
    includes: tuple[str, ...] = ()
    #: ``'REGEX REPLACEMENT'`` rules: a URL is fetched at the first rule's rewrite of it.
    remaps: tuple[str, ...] = ()
    #: ``HOST=Name: value`` entries: headers sent to that host and its subdomains only.
    headers: tuple[str, ...] = field(default=(), repr=False)
    #: A Netscape cookie jar whose cookies go to their own domains only.
    cookies: Path | None = None
    #: Keep the text of pages fetched with credentials in the cache (not by default: a CI
    #: cache must not spread paywalled text).
    cache_authenticated: bool = False
    offline: bool = False
    cache_dir: Path = Path(".factcheck")
    use_cache: bool = True
    #: Seconds an ``ok`` cache entry stays fresh (warnings: at most an hour).
    max_cache_age: float = 86400.0
    #: Seconds between the starts of two requests to one host (0: no spacing beyond
    #: :attr:`per_host`); retries, redirects and robots.txt count as requests.
    host_interval: float = 0.0
    #: Read each origin's robots.txt once per run and skip the URLs it disallows for us.
    respect_robots: bool = False
    # -- additions to the CLI's options, for tests and embedders --
    #: Delay before the first retry without ``Retry-After``; doubled for each further retry.
    backoff: float = 0.5
    #: The longest wait between two attempts without ``Retry-After`` (SPEC: backoff capped).
    max_backoff: float = 4.0
    #: A ``Retry-After`` longer than this is not waited for (SPEC: up to 30 s).
    max_retry_after: float = 30.0
    #: CA certificates to trust instead of certifi's bundle (a PEM file).
    ca_bundle: Path | None = None
    #: Seconds the "is there a network at all" probe waits for a connection.
    probe_timeout: float = 5.0
    #: The archive's look-up API (CDX or Wayback availability), for archive copies.
    archive_endpoint: str = DEFAULT_ARCHIVE_ENDPOINT
    _networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(
        default=(), init=False, repr=False, compare=False
    )
    _patterns: tuple[re.Pattern[str], ...] = field(
        default=(), init=False, repr=False, compare=False
    )
    _includes: tuple[re.Pattern[str], ...] = field(
        default=(), init=False, repr=False, compare=False
    )
    _remaps: tuple[Remap, ...] = field(default=(), init=False, repr=False, compare=False)
    _credentials: Credentials | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("timeout", "probe_timeout"):
            if not getattr(self, name) > 0:
                raise FactcheckError(f"--{name.replace('_', '-')} must be more than 0 seconds")
        for name in ("concurrency", "per_host", "archive_per_host", "max_body", "max_pdf"):
            if getattr(self, name) < 1:
                raise FactcheckError(f"--{name.replace('_', '-')} must be at least 1")
        if min(self.retries, self.backoff, self.max_backoff, self.max_retry_after) < 0:
            raise FactcheckError("--retries and the retry delays must not be negative")
        if not 0 <= self.host_interval <= MAX_HOST_INTERVAL:
            raise FactcheckError(
                f"--host-interval must be between 0 and {MAX_HOST_INTERVAL:g} seconds, "
                f"not {self.host_interval:g}"
            )
        if self.max_cache_age < 0:
            raise FactcheckError("--max-cache-age must not be negative")
        if self.proxy is not None and not re.match(r"(?i)https?://[^/\s]+/?$", self.proxy):
            raise FactcheckError(f"--proxy {self.proxy!r} is not of the form http://host:port")
        if not re.match(r"(?i)https?://[^/\s]+(/\S*)?$", self.archive_endpoint):
            message = f"--archive-endpoint {self.archive_endpoint!r} is not an http(s) URL"
            raise FactcheckError(message)
        networks = []
        for cidr in self.allow_cidrs:
            try:
                networks.append(ipaddress.ip_network(cidr, strict=False))
            except ValueError as exc:
                raise FactcheckError(f"--allow-cidr {cidr!r} is not a network: {exc}") from exc
        patterns = []
        for pattern in self.excludes:
            try:
                patterns.append(re.compile(pattern))
            except re.error as exc:
                message = f"--exclude {pattern!r} is not a regular expression: {exc}"
                raise FactcheckError(message) from None
        includes = tuple(compile_pattern(p, "--include") for p in self.includes)
        remaps = tuple(parse_remap(spec) for spec in self.remaps)
        credentials = None
        if self.headers or self.cookies is not None:
            from factcheck.links.credentials import credentials_from

            credentials = credentials_from(
                self.headers, self.cookies, cache_pages=self.cache_authenticated
            )
        object.__setattr__(self, "allow_cidrs", tuple(self.allow_cidrs))
        object.__setattr__(self, "excludes", tuple(self.excludes))
        object.__setattr__(self, "includes", tuple(self.includes))
        object.__setattr__(self, "remaps", tuple(self.remaps))
        object.__setattr__(self, "headers", tuple(self.headers))
        object.__setattr__(self, "_includes", includes)
        object.__setattr__(self, "_remaps", remaps)
        object.__setattr__(self, "_credentials", credentials)
        if self.cookies is not None:
            object.__setattr__(self, "cookies", Path(self.cookies))
        object.__setattr__(self, "cache_dir", Path(self.cache_dir))
        object.__setattr__(self, "_networks", tuple(networks))
        object.__setattr__(self, "_patterns", tuple(patterns))

    @property
    def allowed_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return self._networks

    def excluded(self, normalised_url: str) -> str | None:
        """The first ``--exclude`` pattern that matches, or None (always None for a URL an
        ``--include`` pattern matches)."""
        if self.included(normalised_url):
            return None
        for pattern in self._patterns:
            if pattern.search(normalised_url):
                return pattern.pattern
        return None

    def included(self, normalised_url: str) -> bool:
        """An ``--include`` pattern matches: checked whatever excludes and ignore files say."""
        return any(pattern.search(normalised_url) for pattern in self._includes)

    def remapped(self, normalised_url: str) -> str:
        """Where the URL is fetched: the first ``--remap`` rule's rewrite of it, else itself."""
        return remapped(normalised_url, self._remaps)

    @property
    def credentials(self) -> Credentials | None:
        """The ``--header`` and ``--cookies`` credentials, None without any."""
        return self._credentials

    def fingerprint(self) -> str:
        """Identifies the settings that change results, so a cache entry is reused only under
        the same ones (SPEC: user agent, private-address allowance, body caps)."""
        parts = [
            _FINGERPRINT_VERSION,
            self.user_agent,
            self.allow_private,
            sorted(str(n) for n in self._networks),
            self.max_body,
            self.max_pdf,
        ]
        if self.remaps:  # the same URL fetched elsewhere is another result
            parts.append(list(self.remaps))
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


class NoNetworkError(FactcheckError):
    """Not offline, yet no evidence host could be reached at all: a CI whose network is broken
    must not pass."""
