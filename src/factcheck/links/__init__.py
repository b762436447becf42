"""The link checker: the only network code of factcheck (SPEC.md, "Link checking").

A library with one entry point, :func:`check_links`; the CLI builds :class:`LinkSettings` from
its flags and renders the :class:`LinkResult` values. Every result has one closed
:class:`Reason`, and the reason decides the :class:`Outcome`.
"""

from __future__ import annotations

from factcheck.links.cache import CacheInfo, cache_clear, cache_info
from factcheck.links.checker import apply_fragments, check_links
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

__all__ = [
    "DEFAULT_USER_AGENT",
    "CacheInfo",
    "LinkKind",
    "LinkRequest",
    "LinkResult",
    "LinkSettings",
    "NoNetworkError",
    "Outcome",
    "Reason",
    "Resolver",
    "SystemResolver",
    "apply_fragments",
    "cache_clear",
    "cache_info",
    "check_links",
    "fragment_to_check",
    "normalise_url",
]
