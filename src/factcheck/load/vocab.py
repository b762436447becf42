"""The words of a claims file (statuses, modes, stances, access), without pydantic.

:mod:`factcheck.load.model` re-exports them; modules that only need the words (reports, the
command layer, the link checks) import them from here, so that a run can start fetching
links before the models are built.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    SUPPORTED = "supported"
    PARTIALLY_SUPPORTED = "partially_supported"
    CONTRADICTED = "contradicted"
    UNVERIFIED = "unverified"
    OPINION = "opinion"
    PENDING = "pending"


class Mode(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"


class Stance(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    CONTEXT = "context"


class Access(StrEnum):
    PAYWALLED = "paywalled"
