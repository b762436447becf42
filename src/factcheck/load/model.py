"""The claims file as frozen, typed objects (version 1; README, "claims.yaml reference").

The pydantic models validate plain values produced by :mod:`factcheck.load.loader`; every scalar
arrives as its YAML source text. Positions in the file are attached after validation as
private attributes, so rules can point at the exact node at fault.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from factcheck.findings import Location
from factcheck.load.vocab import Access, Mode, Stance, Status

__all__ = [
    "Access",
    "Article",
    "Claim",
    "Document",
    "Evidence",
    "Ignore",
    "Mode",
    "Review",
    "ReviewPublisher",
    "Stance",
    "Status",
]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


#: Dates already read, by their text: a claims file gives the same few dates thousands of times
#: (a date is immutable: models may share one). Bounded; only valid dates are kept.
_DATES_READ: dict[str, date] = {}
_DATES_KEPT = 4096


def _parse_iso_date(value: Any) -> Any:
    """Accept only YYYY-MM-DD text that is a real calendar date."""
    if type(value) is str:
        known = _DATES_READ.get(value)
        if known is not None:
            return known
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {str(value)[:40]!r}")
    try:
        parsed = date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date ({exc})") from None
    if type(value) is str and len(_DATES_READ) < _DATES_KEPT:
        _DATES_READ[value] = parsed
    return parsed


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


IsoDate = Annotated[
    date, BeforeValidator(_parse_iso_date), Field(json_schema_extra={"format": "date"})
]
Text = Annotated[str, AfterValidator(_not_blank)]
ClaimId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_-]*$", max_length=64)]

ID_PATTERN = re.compile(r"[A-Z][A-Z0-9_-]*")


#: The names of the fields whose positions a model keeps, one tuple per set of names.
_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=False,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )
    # Positions are kept packed, (names, line, column, line, column, ...) with the mapping's
    # own first (name ""), the names tuple shared by every model with the same keys, and become
    # Locations only when asked for: building a Location per value, pydantic deep-copying a
    # non-None private default per instance, and a dict of pairs per model (120,000 claims:
    # 60 MB) were most of the cost of loading a large claims file. They live in pydantic's store
    # of private values, ``{"_file": ..., "_spots": ...}``, set by :meth:`attach_packed`; no
    # private attribute is declared, so that pydantic does not make a store of defaults for
    # every model it validates (a tenth of building a claim). ``model_copy`` and ``==`` see it.

    @property
    def location(self) -> Location:
        """Where this mapping starts in the claims file."""
        return self.at("")

    def spot(self, field: str = "") -> tuple[int | None, int | None]:
        """(line, column) of ``field``'s value, else of the mapping: :meth:`at` without
        making a Location (reports ask for thousands)."""
        private = self.__pydantic_private__ or {}
        packed = private.get("_spots")
        if not packed:
            return (None, None)
        names: tuple[str, ...] = packed[0]
        at = 2 * names.index(field) + 1 if field in names else 1
        return packed[at], packed[at + 1]

    def at(self, field: str) -> Location:
        """Where ``field``'s value sits, else where the mapping starts."""
        # Read pydantic's store of private values directly: ``self._spots`` goes through
        # ``BaseModel.__getattr__`` (microseconds, and rules and reports ask for every claim).
        private = self.__pydantic_private__ or {}
        file = private.get("_file", "<unknown>")
        if not private.get("_spots"):
            return Location(file)
        return Location(file, *self.spot(field))

    def attach(self, location: Location, fields: dict[str, Location]) -> None:
        spots = {name: (where.line, where.column) for name, where in fields.items()}
        spots[""] = (location.line, location.column)
        self.attach_spots(location.file, spots)

    def attach_spots(self, file: str, spots: dict[str, tuple[int | None, int | None]]) -> None:
        """Positions as the loader finds them: ``spots[""]`` is the mapping's own."""
        own = spots.get("", (None, None))
        names = ("", *(name for name in spots if name))
        self.attach_packed(
            file, (names, *own, *(part for name in names[1:] for part in spots[name]))
        )

    def attach_packed(self, file: str, packed: tuple[Any, ...]) -> None:
        """Positions already packed, ``(names, line, column, line, column, ...)`` with the
        mapping's own first (name ``""``); ``names`` is replaced by the shared tuple of the
        same names."""
        names = packed[0]
        shared = _NAMES.setdefault(names, names)
        if shared is not names:
            packed = (shared, *packed[1:])
        private = self.__pydantic_private__
        if private is None:
            object.__setattr__(self, "__pydantic_private__", {"_file": file, "_spots": packed})
        else:
            private.update(_file=file, _spots=packed)


class Ignore(_Model):
    """An acknowledged finding for one evidence item, until a date."""

    code: Annotated[str, StringConstraints(pattern=r"^FC\d{3}$")]
    reason: Text
    until: IsoDate | None = None


class Evidence(_Model):
    """One source: `url`, the page the passage was seen on, or `citation` for one without a URL."""

    # ``citation`` (free text, "TIME, 2 January 1956, p. 21") stands for a source without a URL
    # (print, an interview, a document on file): never fetched, its quote never checked.
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=False,
        json_schema_extra={
            "patternProperties": {"^x-": {}},
            "anyOf": [{"required": ["url"]}, {"required": ["citation"]}],
        },
    )

    url: str | None = None
    citation: Text | None = None
    original_url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: IsoDate | None = None
    accessed: IsoDate | None = None
    stance: Stance | None = None
    quote: Text | None = None
    quote_translation: str | None = None
    access: Access | None = None
    archive_url: str | None = None
    ignore: list[Ignore] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_source(self) -> Evidence:
        if self.url is None and self.citation is None:
            raise ValueError(
                "needs url (the page where you saw the passage) or, for a source without one, "
                "citation"
            )
        if self.url is not None and self.citation is not None:
            raise ValueError("give url or citation, not both")
        if self.citation is not None and self.archive_url is not None:
            raise ValueError("a citation is never fetched: give an archived copy as its url")
        return self

    @property
    def effective_stance(self) -> Stance:
        return self.stance or Stance.SUPPORTS

    @property
    def offline_source(self) -> bool:
        """Cited without a URL: never fetched, its quote never checked."""
        return self.url is None


class Claim(_Model):
    id: ClaimId
    quote: Text
    assertion: str | None = None
    section: str | None = None
    status: Status
    rationale: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    checked_by: str | None = None
    checked_on: IsoDate | None = None
    tags: list[str] = Field(default_factory=list)


class Article(_Model):
    title: Text
    url: str
    publisher: Text
    published: IsoDate | None = None
    authors: list[str] = Field(default_factory=list)
    text: str | None = None


class ReviewPublisher(_Model):
    name: Text
    url: str | None = None


class Review(_Model):
    publisher: ReviewPublisher | None = None
    url: str | None = None


class Document(_Model):
    """A whole claims file. ``claims`` holds only the claims that validated."""

    version: int
    mode: Mode = Mode.DRAFT
    article: Article
    review: Review | None = None
    claims: list[Claim] = Field(default_factory=list)


def claims_json_schema() -> dict[str, Any]:
    """The JSON Schema of claims.yaml, for editors' YAML language servers."""
    schema = Document.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "factcheck claims file, version 1"
    schema["properties"]["version"] = {"const": 1, "description": "Schema version; must be 1."}
    _accept_plain_scalars(schema)
    return schema


def _accept_plain_scalars(node: Any) -> None:
    """factcheck reads every scalar as its source text, so ``title: 1984`` or ``quote: NO`` is
    text; an editor's YAML language server types them as a number or a boolean. Free-text
    fields (no pattern, enum or format) accept those too, so the editor does not flag them."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "enum", "format", "const"} & set(node):
            node["type"] = ["string", "number", "boolean"]
        for value in node.values():
            _accept_plain_scalars(value)
    elif isinstance(node, list):
        for item in node:
            _accept_plain_scalars(item)
