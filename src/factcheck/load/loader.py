"""Claims files to model objects: the one place that turns parser marks into findings.

Loading never raises for a problem inside the file: problems become located findings, and a
file that cannot be used at all (FC101) yields no document. Only problems outside the file
(missing, a directory without claims files) raise :class:`FactcheckError`.
"""

from __future__ import annotations

import difflib
import functools
import re
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from factcheck.errors import FactcheckError
from factcheck.findings import Code, Finding, Location, finding
from factcheck.load import yamltree
from factcheck.load.discover import ParsedFile, display_path, read_text
from factcheck.load.model import (
    Article,
    Claim,
    Document,
    Evidence,
    Ignore,
    Review,
    ReviewPublisher,
    _Model,
)
from factcheck.load.yamltree import Mapping, Node, Scalar, Sequence

Path_ = tuple[str | int, ...]
_M = TypeVar("_M", bound=BaseModel)


@dataclass
class LoadedFile:
    """One claims file after loading: its document (None if unusable) and its findings."""

    path: str
    document: Document | None
    findings: list[Finding] = field(default_factory=list)
    #: Claim ids not in the document: their claim did not validate, or the file's head did
    #: not (no document). They still count for FC105.
    invalid_claim_ids: list[tuple[str, Location]] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """False when the file cannot be used at all (FC101, exit 2). A file whose head has
        other errors (no ``article``, say) is usable: its findings fail the gate (exit 1)."""
        return not any(item.code == Code.FC101 for item in self.findings)


def duplicate_ids(loaded: LoadedFile) -> Iterator[Finding]:
    """FC105: a claim id used twice (claims that did not validate count too)."""
    seen: dict[str, Location] = {}
    claims = loaded.document.claims if loaded.document is not None else []
    if not loaded.invalid_claim_ids and len({claim.id for claim in claims}) == len(claims):
        return  # every id once (the common case): no positions to look up
    ids: list[tuple[str, Location]] = list(loaded.invalid_claim_ids)
    ids.extend((claim.id, claim.at("id")) for claim in claims)
    ids.sort(key=lambda pair: (pair[1].line or 0, pair[1].column or 0))
    for claim_id, where in ids:
        if claim_id in seen:
            yield finding(
                Code.FC105,
                f"claim id {claim_id} is used twice (first at line {seen[claim_id].line})",
                where,
                claim=claim_id,
            )
        else:
            seen[claim_id] = where


def unusable_file(where: str, message: str) -> LoadedFile:
    """A file that cannot be used at all (FC101): missing, or a directory without claims."""
    return LoadedFile(where, None, [finding(Code.FC101, message, Location(where))])


def load_file(path: Path) -> LoadedFile:
    """Load one claims file. Missing files raise; problems inside the file become findings."""
    shown = display_path(path)
    try:
        text = read_text(path, shown)
    except yamltree.YamlError as exc:
        return LoadedFile(shown, None, [_fatal(exc, shown)])
    return load_string(text, shown)


def load_parsed(parsed: ParsedFile) -> LoadedFile:
    """Validate a file :func:`factcheck.load.discover.parse_file` has read and parsed."""
    error = parsed.error
    if isinstance(error, yamltree.YamlError):
        return LoadedFile(parsed.shown, None, [_fatal(error, parsed.shown)])
    if error is not None:  # outside the file: missing, a directory, unreadable
        where = Location(parsed.shown, None, None)
        return LoadedFile(parsed.shown, None, [finding(Code.FC101, error.message, where)])
    return load_tree(parsed.tree, parsed.shown, parsed.nodes, parsed.built)


class ClaimBuilder:
    """Builds each claim's model while the file is parsed (``parse_file(path, claims=...)``),
    so that the YAML tree of a large file never exists whole beside the models (120,000
    claims: the tree alone was 160 MB). Only a claim that loads without a finding is built
    here; any other is left in the tree, for :func:`load_parsed` to report as usual. The
    result is the same as parsing first and loading after."""

    def __init__(self) -> None:
        self.file = "claims.yaml"
        self.built: dict[int, Claim] = {}

    def reset(self) -> None:
        self.built = {}

    def __call__(self, index: int, node: Mapping) -> Node:
        conv = _Converter(self.file, node, sys.maxsize)  # no aliases here: no expansion
        raw = conv.convert(node, ("claims", index))
        if conv.problems:
            return node
        try:
            claim = Claim.model_validate(raw)
        except ValidationError:
            return node
        _attach(claim, node, conv)
        self.built[index] = claim
        return _RELEASED

    def from_values(self, index: int, values: dict[str, Any], spots: yamltree.Spots) -> Node | None:
        """A claim read as values (the parser found nothing the converter would report):
        its model built and given its positions, as :meth:`__call__` does from its nodes;
        None when it does not validate (it is then handed over as nodes, for findings)."""
        try:
            claim = Claim.model_validate(values)
        except ValidationError:
            return None
        _attach_spots(claim, spots, self.file)
        self.built[index] = claim
        return _RELEASED


def load_string(text: str, shown: str = "claims.yaml") -> LoadedFile:
    """Load claims from a string (for tests and tools)."""
    try:
        tree, nodes = yamltree.parse_counted(text, shown)
    except yamltree.YamlError as exc:
        return LoadedFile(shown, None, [_fatal(exc, shown)])
    return load_tree(tree, shown, nodes)


def _fatal(exc: FactcheckError, shown: str) -> Finding:
    line = column = None
    if exc.location and exc.location.startswith(shown + ":"):
        parts = exc.location[len(shown) + 1 :].split(":")
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            line, column = int(parts[0]), int(parts[1])
    return finding(Code.FC101, exc.message, Location(shown, line or 1, column or 1))


# --------------------------------------------------------------------------- tree to values

_NULLS = yamltree.NULLS


class _Converter:
    """Turns nodes into plain values, recording duplicate keys and keys that are not text.

    Positions are not copied into the values: :func:`_node_at` finds the node of a value
    by its path when a finding needs it, and :func:`_attach` walks the tree beside the models.
    """

    def __init__(self, file: str, root: Node, budget: int) -> None:
        self.file = file
        self.root = root
        self.budget = budget
        self.problems: list[tuple[str, str, Location, Path_]] = []

    def loc(self, node: Node) -> Location:
        return Location(self.file, node.line, node.column)

    def location(self, path: Path_, *, key: bool = False) -> Location | None:
        """Where the value (or, with ``key``, the key) at ``path`` sits; None if nowhere."""
        node = _node_at(self.root, path, key=key)
        return self.loc(node) if node is not None else None

    def convert(self, node: Node, path: Path_) -> Any:
        """The plain value of ``node``. ``path`` is kept only as deep as a claim: all a
        problem needs is the claim to name (and a tuple per value was a tenth of loading)."""
        self.budget -= 1
        if self.budget < 0:
            raise yamltree.YamlError(
                "aliases expand the document too far; refused", location=str(self.loc(node))
            )
        if type(node) is Scalar:
            return None if node.plain and node.value in _NULLS else node.value
        deeper = len(path) < 2
        if isinstance(node, Sequence):
            return [
                self._value(item, (*path, i) if deeper else path)
                for i, item in enumerate(node.items)
            ]
        assert isinstance(node, Mapping)
        result: dict[str, Any] = {}
        first_keys: dict[str, Node] = {}
        for key_node, value_node in node.items:
            if type(key_node) is not Scalar:
                self.problems.append(
                    (Code.FC104, "a key must be plain text", self.loc(key_node), path)
                )
                continue
            key = key_node.value
            if key.startswith("x-"):
                continue
            if key == "<<" and key_node.plain:
                message = (
                    "YAML merge keys (<<) are not supported; write the keys out in full "
                    "(an anchor and alias may repeat a whole value)"
                )
                self.problems.append((Code.FC102, message, self.loc(key_node), path))
                continue
            if key in first_keys:
                first = first_keys[key]
                message = f"duplicate key {key!r} (first at line {first.line}); the first is used"
                self.problems.append((Code.FC103, message, self.loc(key_node), path))
                continue
            first_keys[key] = key_node
            result[key] = self._value(value_node, (*path, key) if deeper else path)
        return result

    def _value(self, node: Node, path: Path_) -> Any:
        """:meth:`convert`, with scalars (most values) done without a call."""
        if type(node) is Scalar:
            self.budget -= 1
            return None if node.plain and node.value in _NULLS else node.value
        return self.convert(node, path)


def _node_at(root: Node, path: Path_, *, key: bool = False) -> Node | None:
    """The node at ``path`` (the first of duplicate keys, as in the values); None if absent."""
    node: Node | None = root
    for depth, part in enumerate(path):
        if isinstance(node, Sequence) and isinstance(part, int):
            node = node.items[part] if 0 <= part < len(node.items) else None
        elif isinstance(node, Mapping) and isinstance(part, str):
            pair = next(
                (p for p in node.items if isinstance(p[0], Scalar) and p[0].value == part), None
            )
            if pair is None:
                return None
            node = pair[0] if key and depth == len(path) - 1 else pair[1]
        else:
            return None
    return node


def load_tree(
    tree: Node | None,
    shown: str,
    nodes: int | None = None,
    built: dict[int, Claim] | None = None,
) -> LoadedFile:
    if tree is None or (isinstance(tree, Scalar) and tree.plain and tree.value in _NULLS):
        return LoadedFile(
            shown, None, [finding(Code.FC101, "the file is empty", Location(shown, 1, 1))]
        )
    if not isinstance(tree, Mapping):
        kind = "a list" if isinstance(tree, Sequence) else "a single value"
        return LoadedFile(
            shown,
            None,
            [
                finding(
                    Code.FC101,
                    f"the top level is {kind}; a claims file is a mapping with `version: 1`",
                    Location(shown, tree.line, tree.column),
                )
            ],
        )
    if nodes is None:
        nodes = yamltree.count_nodes(tree)
    converter = _Converter(shown, tree, yamltree.EXPANSION_FACTOR * nodes + 1000)
    with yamltree.paused_gc():
        try:
            raw = converter.convert(tree, ())
        except yamltree.YamlError as exc:
            return LoadedFile(shown, None, [_fatal(exc, shown)])
        return _validate(raw, converter, shown, built or {})


# --------------------------------------------------------------------------- validation


def _validate(
    raw: dict[str, Any], conv: _Converter, shown: str, built: dict[int, Claim]
) -> LoadedFile:
    findings: list[Finding] = []
    top = Location(shown, 1, 1)
    version = raw.get("version")
    if version is None:
        findings.append(finding(Code.FC101, "no `version` key; add `version: 1` at the top", top))
        return LoadedFile(shown, None, findings)
    if version != "1":
        findings.append(
            finding(
                Code.FC101,
                f"unsupported version {str(version)[:20]!r}; this factcheck reads version 1",
                conv.location(("version",)) or top,
            )
        )
        return LoadedFile(shown, None, findings)

    reporter = _ErrorMapper(conv, shown, findings)
    claims_raw = raw.get("claims", [])
    reporter.claims_raw = claims_raw if isinstance(claims_raw, list) else []
    for code, message, location, path in conv.problems:
        findings.append(finding(code, message, location, claim=reporter.claim_id(path)))
    head = {k: v for k, v in raw.items() if k != "claims"}
    head["claims"] = []
    if not isinstance(claims_raw, list):
        reporter.add(Code.FC104, "`claims` must be a list of claims", ("claims",))
        claims_raw = []

    # The head is salvaged (optional values at fault dropped) so the claims are still checked.
    document = _validated(Document, head, (), reporter, salvage=True)
    _placeholders(raw.get("article"), reporter)

    loaded = LoadedFile(shown, None, findings)
    claims: list[Claim] = []
    claims_node = _node_at(conv.root, ("claims",))
    for index in range(len(claims_raw)):
        ready = built.get(index)
        if ready is not None:  # built while parsing (ClaimBuilder)
            claims.append(ready)
            _release(claims_node, claims_raw, index)
            continue
        item = claims_raw[index]
        path = ("claims", index)
        if not isinstance(item, dict):
            reporter.add(Code.FC104, "each claim must be a mapping with id, quote and status", path)
            continue
        claim = _validated(Claim, item, path, reporter)
        if claim is None:
            claim_id = item.get("id")
            if isinstance(claim_id, str):
                where = conv.location((*path, "id"))
                assert where is not None
                loaded.invalid_claim_ids.append((claim_id, where))
        else:
            node = _node_at(conv.root, path)
            assert node is not None
            _attach(claim, node, conv)
            claims.append(claim)
        _release(claims_node, claims_raw, index)
    if document is None:
        # The head is broken (e.g. no article): claims were still checked for their own errors.
        loaded.invalid_claim_ids.extend((claim.id, claim.at("id")) for claim in claims)
        loaded.invalid_claim_ids.sort(key=lambda pair: (pair[1].line or 0, pair[1].column or 0))
        return loaded
    document = document.model_copy(update={"claims": claims})
    _attach(document, conv.root, conv, skip=frozenset({"claims"}))
    loaded.document = document
    return loaded


def _release(claims_node: Node | None, claims_raw: list[Any], index: int) -> None:
    """Let the nodes of a claim go once its model holds its values and positions.

    A large claims file's tree (about 1.7 KB a claim) and its models (1.3 KB) no longer
    live side by side: 120,000 claims took 460 MB. The tree is consumed: :func:`load_parsed`
    is the last to read it. A claim node an alias repeats elsewhere is kept (the other place
    reads it through its own place), and so is every node that is not a claim.
    """
    if isinstance(claims_node, Sequence) and index < len(claims_node.items):
        claims_node.items[index] = _RELEASED
    if index < len(claims_raw):
        claims_raw[index] = None


#: What a released claim's place in the tree holds.
_RELEASED = Scalar(0, 0, "", False)


#: What `factcheck init` writes where it does not know the article's title, url or publisher.
_PLACEHOLDER = re.compile(r"\bTODO\b")


def _placeholders(article: Any, reporter: _ErrorMapper) -> None:
    """FC104 for a ``TODO`` left by ``factcheck init`` in the article's title, url or publisher."""
    if not isinstance(article, dict):
        return
    for key in ("title", "url", "publisher"):
        value = article.get(key)
        if isinstance(value, str) and _PLACEHOLDER.search(value):
            reporter.add(
                Code.FC104,
                f"article.{key} is still the placeholder `factcheck init` wrote ({value[:60]!r}): "
                f"give the article's real {key}",
                ("article", key),
            )


def _validated(
    model: type[_M],
    raw: dict[str, Any],
    path: Path_,
    reporter: _ErrorMapper,
    *,
    salvage: bool = False,
) -> _M | None:
    """Validate; unknown keys (with ``salvage``, any optional value at fault) are reported and
    dropped so the rest is still checked."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        reporter.report(exc, path)
        errors = exc.errors()
        if salvage:
            locs = [_optional_prefix(model, e["loc"]) for e in errors]
        else:
            locs = [e["loc"] if e["type"] == "extra_forbidden" else None for e in errors]
        if any(loc is None for loc in locs):
            return None
        cleaned = _without(raw, [loc for loc in locs if loc is not None])
        try:
            return model.model_validate(cleaned)
        except ValidationError:  # pragma: no cover - only droppable values were wrong
            return None


def _optional_prefix(model: type[BaseModel], loc: tuple[str | int, ...]) -> Path_ | None:
    """The longest prefix of ``loc`` naming an unknown key or an optional field, else None."""
    best: Path_ | None = None
    current: type[BaseModel] | None = model
    for depth, part in enumerate(loc):
        if not isinstance(part, str) or current is None:
            current = None if not isinstance(part, int) else current
            continue
        field = current.model_fields.get(part)
        if field is None or not field.is_required():
            best = loc[: depth + 1]
        current = _model_in(field.annotation) if field is not None else None
    return best


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as ``Review | None`` or ``list[Evidence]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _without(raw: Any, locs: list[tuple[str | int, ...]]) -> Any:
    import copy

    cleaned = copy.deepcopy(raw)
    for loc in sorted(set(locs), key=len):
        target = cleaned
        try:
            for part in loc[:-1]:
                target = target[part]
            del target[loc[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # already dropped with a shorter prefix
    return cleaned


#: One set of given field names per distinct set (see :func:`_share_fields_set`).
_FIELD_SETS: dict[frozenset[str], set[str]] = {}


def _share_fields_set(model: BaseModel) -> None:
    """Let models that were given the same keys share pydantic's set of them: a set per model
    was 216 bytes (26 MB for 120,000 claims). Models are frozen, so pydantic never adds to it
    in place (``model_copy`` copies it)."""
    given = model.__pydantic_fields_set__
    shared = _FIELD_SETS.setdefault(frozenset(given), given)
    if shared is not given:
        object.__setattr__(model, "__pydantic_fields_set__", shared)


def _attach(
    model: BaseModel, node: Node, conv: _Converter, skip: frozenset[str] = frozenset()
) -> None:
    """Give a validated model (and the models inside it) their file positions."""
    if not isinstance(model, _Model):  # pragma: no cover - every model derives from _Model
        return
    _share_fields_set(model)
    known = _field_names(type(model))
    # One pass over the mapping: the names and positions of the known keys, packed as
    # :meth:`_Model.attach_packed` keeps them (the first of duplicate keys, as in the values).
    names = [""]
    packed: list[Any] = [None, node.line, node.column]
    children: dict[str, Node] = {}
    if type(node) is Mapping:
        for key, value in node.items:
            if type(key) is Scalar:
                name = key.value
                if name in known and name not in children:
                    children[name] = value
                    names.append(name)
                    packed.append(value.line)
                    packed.append(value.column)
    packed[0] = tuple(names)
    model.attach_packed(conv.file, tuple(packed))
    for name in _nested_fields(type(model)):
        child = children.get(name)
        if child is None or name in skip:
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            _attach(value, child, conv)
        elif isinstance(value, list) and type(child) is Sequence:
            for item, item_node in zip(value, child.items, strict=False):
                if isinstance(item, BaseModel):
                    _attach(item, item_node, conv)


def _attach_spots(model: BaseModel, spots: yamltree.Spots, file: str) -> None:
    """:func:`_attach` from the positions :func:`yamltree._read_claim` packed as it read the
    values: the same positions, without a node."""
    packed, children = spots
    if not isinstance(model, _Model):  # pragma: no cover - every model derives from _Model
        return
    kind = type(model)
    names = packed[0]
    if (kind, names) not in _ALL_KNOWN:
        # Every key of a model that validated is a field (extra keys are forbidden), so the
        # packed positions are those :func:`_attach` keeps; checked once per set of keys.
        if not _field_names(kind).issuperset(names[1:]):  # pragma: no cover - see above
            raise AssertionError(f"{kind.__name__} validated with keys it does not know")
        _ALL_KNOWN.add((kind, names))
    _share_fields_set(model)
    model.attach_packed(file, packed)
    if children is None:
        return
    for name in _nested_fields(kind):
        child = children.get(name)
        if child is None:
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            _attach_spots(value, child, file)
        elif isinstance(value, list) and type(child) is list:
            for item, item_spots in zip(value, child, strict=False):
                if isinstance(item, BaseModel) and item_spots is not None:
                    _attach_spots(item, item_spots, file)


#: (model class, keys) pairs whose keys are all fields of the class.
_ALL_KNOWN: set[tuple[type[BaseModel], tuple[str, ...]]] = set()


@functools.cache
def _field_names(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(model.model_fields)


@functools.cache
def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` that hold models (or lists of them)."""
    return tuple(
        name for name, info in model.model_fields.items() if _model_in(info.annotation) is not None
    )


_KNOWN_KEYS: dict[type[BaseModel], list[str]] = {
    model: list(model.model_fields)
    for model in (Document, Article, Review, ReviewPublisher, Claim, Evidence, Ignore)
}
_ALL_KEYS = sorted({key for keys in _KNOWN_KEYS.values() for key in keys})


def _keys_for(path: Path_) -> list[str]:
    """Known keys of the mapping at ``path`` (for did-you-mean suggestions)."""
    names = [p for p in path if isinstance(p, str)]
    shape = tuple(names[-2:]) if names else ()
    if not names:
        return _KNOWN_KEYS[Document]
    last = names[-1]
    table: dict[str, type[BaseModel]] = {
        "article": Article,
        "review": Review,
        "publisher": ReviewPublisher,
        "claims": Claim,
        "evidence": Evidence,
        "ignore": Ignore,
    }
    if shape == ("claims", "evidence") or last == "evidence":
        return _KNOWN_KEYS[Evidence]
    model = table.get(last)
    return _KNOWN_KEYS[model] if model else _ALL_KEYS


class _ErrorMapper:
    """Maps pydantic's errors to located findings with a person's wording."""

    def __init__(self, conv: _Converter, shown: str, findings: list[Finding]) -> None:
        self.conv = conv
        self.shown = shown
        self.findings = findings
        self.claims_raw: list[Any] = []

    def claim_id(self, path: Path_) -> str | None:
        if len(path) >= 2 and path[0] == "claims" and isinstance(path[1], int):
            item = self.claims_raw[path[1]] if path[1] < len(self.claims_raw) else None
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                return str(item["id"])
        return None

    def add(self, code: str, message: str, path: Path_, *, key: bool = False) -> None:
        location = self.conv.location(path, key=key) or self._nearest(path)
        self.findings.append(finding(code, message, location, claim=self.claim_id(path)))

    def _nearest(self, path: Path_) -> Location:
        while path:
            path = path[:-1]
            location = self.conv.location(path)
            if location is not None:
                return location
        return Location(self.shown, 1, 1)

    def report(self, exc: ValidationError, base: Path_) -> None:
        for error in exc.errors(include_url=False):
            path: Path_ = (*base, *error["loc"])
            code, message = self._describe(error, path)
            self.add(code, message, path, key=error["type"] == "extra_forbidden")

    def _describe(self, error: Any, path: Path_) -> tuple[str, str]:
        kind = error["type"]
        field_name = _field_name(error["loc"])
        if kind == "extra_forbidden":
            key = str(path[-1])
            known = _keys_for(path[:-1])
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"; did you mean {near[0]!r}?" if near else f"; known keys: {', '.join(known)}"
            return Code.FC102, f"unknown key {key!r}{hint}"
        if kind == "missing":
            return Code.FC104, f"missing required key {str(path[-1])!r}"
        if error.get("input", "") is None:
            return Code.FC104, f"{field_name} has no value"
        if path[-1] == "id" and kind == "string_pattern_mismatch":
            return (
                Code.FC104,
                "bad claim id: use a capital letter, then capitals, digits, '_' or '-' (e.g. C001)",
            )
        if path[-1] == "code" and kind == "string_pattern_mismatch":
            return Code.FC104, f"bad finding code {error['input']!r}: use one such as FC402"
        if kind == "enum":
            expected = error.get("ctx", {}).get("expected", "")
            *context, last = field_name.split(": ")
            where = f" in {': '.join(context)}" if context else ""
            return Code.FC104, f"bad {last} {error['input']!r}{where}; expected {expected}"
        if kind in {"list_type", "dict_type", "model_type", "model_attributes_type"}:
            want = "a list" if kind == "list_type" else "a mapping"
            return Code.FC104, f"{field_name} must be {want}"
        if kind == "string_type":
            return Code.FC104, f"{field_name} must be text, not a list or mapping"
        message = str(error.get("msg", "invalid value"))
        message = message.removeprefix("Value error, ")
        return Code.FC104, f"{field_name}: {message}"


def _field_name(loc: tuple[str | int, ...]) -> str:
    """The key at fault, as a person names it: ``evidence 2: accessed`` (1-based), or just
    ``accessed`` inside a claim (the finding's line and column already point at it)."""
    parts = list(loc)
    if len(parts) >= 2 and parts[0] == "claims" and isinstance(parts[1], int):
        parts = parts[2:]
    words: list[str] = []
    for part in parts:
        if isinstance(part, int) and words:
            words[-1] = f"{words[-1]} {part + 1}"
        else:
            words.append(str(part))
    return ": ".join(words) or "value"
