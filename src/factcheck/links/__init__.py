"""The link checker: the only network code of factcheck (SPEC.md, "Link checking").

A library with one entry point, :func:`check_links`; the CLI builds :class:`LinkSettings` from
its flags and renders the :class:`LinkResult` values. Every result has one closed
:class:`Reason`, and the reason decides the :class:`Outcome`.

Fetching runs on one asyncio event loop (in the thread that calls :func:`check_links`), with
httptools parsing HTTP/1.1; the private-address guard checks every address connected to, on
every redirect hop (``transport.py`` says why and what was measured).

**The fetch hook**: every byte goes through a :class:`~factcheck.links.transport.Transport`,
one request (one redirect hop) at a time. ``check_links(..., transport=factory)`` takes a
factory ``(settings, network) -> Transport``; the default is
:class:`~factcheck.links.transport.HttpTransport`, the guarded network itself. Capture and
replay (WARC), per-host credentials and sharding plug in there, wrapping it or standing in for
it; redirects, retries, cookies, caps and verdicts stay above the hook, the same for all.

The network stack (asyncio, ssl, httptools, sqlite3) is imported on first use of
:func:`check_links` or the cache functions, so that ``validate`` and ``--offline`` runs do not
pay for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from factcheck.links.resolver import Resolver, SystemResolver
from factcheck.links.types import (
    DEFAULT_USER_AGENT,
    LinkKind,
    LinkRequest,
    LinkResult,
    LinkSettings,
    NoNetworkError,
    Outcome,
    Reason,
)
from factcheck.links.urls import fragment_to_check, normalise_url

if TYPE_CHECKING:
    from factcheck.links.cache import CacheInfo, cache_clear, cache_info
    from factcheck.links.checker import apply_fragments, check_links
    from factcheck.links.transport import FetchFailure, HttpTransport, Transport

_LAZY = {
    "Transport": "factcheck.links.transport",
    "HttpTransport": "factcheck.links.transport",
    "FetchFailure": "factcheck.links.transport",
    "CacheInfo": "factcheck.links.cache",
    "cache_clear": "factcheck.links.cache",
    "cache_info": "factcheck.links.cache",
    "apply_fragments": "factcheck.links.checker",
    "check_links": "factcheck.links.checker",
}

__all__ = [
    "DEFAULT_USER_AGENT",
    "CacheInfo",
    "FetchFailure",
    "HttpTransport",
    "LinkKind",
    "LinkRequest",
    "LinkResult",
    "LinkSettings",
    "NoNetworkError",
    "Outcome",
    "Reason",
    "Resolver",
    "SystemResolver",
    "Transport",
    "apply_fragments",
    "cache_clear",
    "cache_info",
    "check_links",
    "fragment_to_check",
    "normalise_url",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
