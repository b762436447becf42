"""Pure decisions about one response: challenge markers, status codes, Retry-After, soft 404s.

SPEC.md decides reasons in this order: URL shape and guard; transport; redirects; challenge
pages; status; then body checks (``soft-404``, ``missing-fragment``) on a complete body only.

**Challenge pages** (``bot-blocked`` at any status): a response header that a bot-protection
service sets on its challenges (:data:`CHALLENGE_HEADERS`), or a known challenge body
(:func:`factcheck.extract.extract_page` decides, from the title and known markers).

**Soft 404s** (``soft-404``): a 200 whose ``<title>`` or first ``<h1>`` says the page is not
there (compared normalised and case-folded: one of :data:`NOT_FOUND_PHRASES` anywhere in it,
or a part between separators that is only one of :data:`NOT_FOUND_TITLES`, as in
"404 | Example News"), or a redirect from a path of two or more segments to the site's home
page or a login page.
"""

from __future__ import annotations

import email.utils
import re
from http import HTTPStatus
from typing import Protocol

from factcheck.links.types import Reason
from factcheck.text import fold

#: Header name -> values that mark a challenge (an empty tuple: any value).
CHALLENGE_HEADERS: dict[str, tuple[str, ...]] = {
    "cf-mitigated": (),  # Cloudflare: "challenge"
    "x-amzn-waf-action": ("challenge", "captcha"),  # AWS WAF
    "x-vercel-mitigated": (),  # Vercel firewall: "challenge", "deny"
}
#: Statuses retried (with ``Retry-After`` honoured): SPEC, "Behaviour".
RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: Statuses that say "you look like a bot" rather than "the page is gone".
BOT_STATUSES = frozenset({401, 403, 999})

#: Phrases of not-found pages, in the languages of most news sites.
NOT_FOUND_PHRASES = (
    "page not found",
    "page cannot be found",
    "page can't be found",
    "page could not be found",
    "page does not exist",
    "page doesn't exist",
    "page no longer exists",
    "page is no longer available",
    "page you requested could not be found",
    "page you were looking for",
    "page you're looking for",
    "this page isn't available",
    "content not found",
    "article not found",
    "story not found",
    "file not found",
    "404 not found",
    "error 404",
    "404 error",
    "seite nicht gefunden",
    "seite wurde nicht gefunden",
    "fehler 404",
    "page introuvable",
    "page non trouvée",
    "erreur 404",
    "página no encontrada",
    "pagina no encontrada",
    "página não encontrada",
    "pagina non trovata",
    "pagina niet gevonden",
    "strona nie została znaleziona",
    "nie znaleziono strony",
    "stránka nenalezena",
    "sidan hittades inte",
    "siden blev ikke fundet",
    "sayfa bulunamadı",
    "страница не найдена",
    "ページが見つかりません",
    "页面不存在",
    "找不到页面",
    "页面未找到",
)
# Whole words in alphabetic scripts ("404 errors" is not "404 error"); anywhere in CJK text.
_NOT_FOUND = re.compile(
    "|".join(
        rf"(?<!\w){re.escape(p)}(?!\w)" if p.isascii() or " " in p else re.escape(p)
        for p in NOT_FOUND_PHRASES
    )
)
#: A title part (between separators such as `` | `` and `` - ``) that is only this says it.
NOT_FOUND_TITLES = frozenset(
    {"404", "not found", "error 404", "404 error", "file not found", "404 - not found"}
)
_TITLE_PARTS = re.compile(r"\s+[|\-\u2013\u2014:\u00b7\u2022\u00bb]\s+|\s*[|\u00b7\u2022\u00bb]\s*")


class HeaderLookup(Protocol):
    def get(self, name: str, /) -> str | None: ...


def challenge_header(headers: HeaderLookup) -> str | None:
    """The marker header of a challenge response, as ``name: value``, or None."""
    for name, values in CHALLENGE_HEADERS.items():
        value = headers.get(name)
        if value is not None and (not values or value.strip().lower() in values):
            return f"{name}: {value}"
    return None


def status_text(status: int) -> str:
    """``HTTP 404 Not Found``."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return f"HTTP {status} {phrase}".rstrip()


def status_reason(status: int) -> Reason | None:
    """The reason a final (non-redirect) status gives, or None for a success."""
    if 200 <= status < 300:
        return None
    if status in BOT_STATUSES:
        return Reason.BOT_BLOCKED
    if status == 429:
        return Reason.RATE_LIMITED
    return Reason.HTTP_STATUS


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


def not_found_text(title: str | None, h1: str | None) -> str | None:
    """The title or first heading when it says the page is not there, else None."""
    for text in (title, h1):
        if not text:
            continue
        folded = fold(text)
        if _NOT_FOUND.search(folded):
            return text
        parts = (part.strip(" .!:") for part in _TITLE_PARTS.split(folded))
        if any(part in NOT_FOUND_TITLES for part in parts):
            return text
    return None
