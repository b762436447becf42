"""A bounded YAML reader that keeps every node's position and reads scalars as source text.

PyYAML's composer recurses once per nesting level (libyaml's C composer crashes the
interpreter on deep nesting) and resolves implicit types (YAML 1.1 reads ``NO`` as false).
So the tree is built here, from libyaml's event stream, with the depth and alias count
checked at every event before anything is built.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from factcheck.errors import FactcheckError

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 100
#: Node visits allowed while turning the tree into values, per node in the file: aliases may
#: repeat a node, but never explode it (billion laughs).
EXPANSION_FACTOR = 4
#: Alias expansion (SPEC: bounded loading): the characters of the scalars that aliases
#: repeat may not pass max(2 x the file's size, 20 MiB), nor the nodes they repeat 1,000,000.
#: Counted at each alias, so a file that aliases big nodes stops there, before its values are
#: built or written out (a 15 MB file repeated its 15 MB scalar into a 1.5 GB report).
MAX_EXPANDED_CHARS = 20 * 1024 * 1024
MAX_EXPANDED_NODES = 1_000_000
#: Plain scalars that mean "no value" (YAML's null); quoted, they are text.
NULLS = frozenset({"", "~", "null", "Null", "NULL"})

#: libyaml's C parser when available, else the pure-Python one. (PyYAML exports the C parser
#: only through its loader classes: ``yaml.CParser`` does not exist.)
_Parser: Any = getattr(yaml, "CBaseLoader", None) or yaml.BaseLoader


@dataclass(eq=False, slots=True)
class Node:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(eq=False, slots=True)
class Scalar(Node):
    value: str
    plain: bool  # an unquoted scalar (``~`` and ``null`` mean "no value" only when plain)


@dataclass(eq=False, slots=True)
class Mapping(Node):
    items: list[tuple[Scalar | Node, Node]] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


class YamlError(FactcheckError):
    """The text is not usable YAML (FC101), with its position."""


def _where(path: str, mark: Any) -> str:
    return f"{path}:{mark.line + 1}:{mark.column + 1}"


#: Objects built during a pause above which they are frozen (see :func:`paused_gc`).
FREEZE_ABOVE = 50_000


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while building a large tree of objects that all stay alive.

    When many were built, freeze them (``gc.freeze``): later collections would walk every
    object of a large claims file again and again for nothing (a full collection after loading
    10,000 claims costs about 0.3 s). Trees and models hold no reference cycles, so nothing
    that only the collector could free is kept. ``benchmarks/validate.py`` measures it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] > FREEZE_ABOVE:
                gc.freeze()
            gc.enable()


#: Where the values of a mapping read by :func:`_read_claim` sit: ``(packed, children)``, with
#: ``packed`` = ``(names, line, column, line, column, ...)``: the mapping's own position, then
#: its value's for each name of ``names`` (its keys in order); ``children`` has the spots of
#: the values that are collections, by key (None when there are none). A sequence's spots are
#: a list, an item's spots or None (a scalar) each.
Spots = tuple[tuple[Any, ...], "dict[str, Any] | None"]


class ClaimHook(Protocol):
    """Called with each claim's mapping (an item of the top-level ``claims`` list) as soon as
    the parser has read it; returns what the tree keeps in its place (the loader builds the
    claim's model there and keeps a stub: the tree of a large file never exists whole)."""

    def __call__(self, index: int, node: Mapping) -> Node: ...

    def from_values(self, index: int, values: dict[str, Any], spots: Spots) -> Node | None:
        """A claim read straight from the parser's events, as plain values (those the loader
        makes of its mapping: see :func:`_read_claim`) and their positions; returns the stub
        the tree keeps, or None to be called with the claim's nodes instead."""

    def reset(self) -> None:
        """Forget what was built: the file is parsed again without the hook."""


class _Abort(Exception):
    """The file has anchors or aliases (a claim may be repeated elsewhere), or its first
    ``claims`` key is not the list the hook saw: parse it again, the tree whole."""


def parse_counted(text: str, path: str, claims: ClaimHook | None = None) -> tuple[Node | None, int]:
    """The node tree and the number of nodes as written (aliases not expanded). With
    ``claims``, each claim is handed to it as soon as it is read (see :class:`ClaimHook`)."""
    parser = _Parser(text)
    max_chars = max(2 * len(text), MAX_EXPANDED_CHARS)
    try:
        with paused_gc():
            if claims is not None:
                try:
                    return _build(parser.get_event, path, max_chars, claims)
                except _Abort:
                    claims.reset()
                    parser.dispose()
                    parser = _Parser(text)
            return _build(parser.get_event, path, max_chars)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        location = _where(path, mark) if mark is not None else path
        raise YamlError(f"YAML syntax error: {problem}", location=location) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. U+0007
        code = exc.character if isinstance(exc.character, int) else ord(exc.character or "?")
        line, column = _line_column(text, exc.position)
        raise YamlError(
            f"YAML syntax error: character U+{code:04X} is not allowed ({exc.reason})",
            location=f"{path}:{line}:{column}",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML syntax error: {exc}", location=path) from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


def _line_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a reader error: libyaml counts UTF-8 bytes, PyYAML
    characters."""
    if _Parser is not yaml.BaseLoader:
        before = text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore")
    else:  # pragma: no cover - only without libyaml
        before = text[:position]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


_SCALAR = yaml.ScalarEvent
_MAPPING_START = yaml.MappingStartEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_ALIAS = yaml.AliasEvent
_DOCUMENT_START = yaml.DocumentStartEvent


def _build(
    next_event: Callable[[], Any],
    path: str,
    max_chars: int = MAX_EXPANDED_CHARS,
    claims: ClaimHook | None = None,
) -> tuple[Node | None, int]:
    """The tree from the event stream, with depth and aliases checked at every event.

    One loop over the events, the common case (a scalar) first and the open collection in
    local variables: this is the hot path of loading a large file.
    """
    # The open collection: its item list's append, whether it is a sequence, and (in a
    # mapping) the key waiting for its value. Outer ones are saved on ``stack``.
    current: Mapping | Sequence | None = None
    append: Callable[[Any], None] | None = None
    in_sequence = False
    pending: Node | None = None
    stack: list[tuple[Mapping | Sequence | None, Callable[[Any], None] | None, bool, Node | None]]
    stack = []
    anchors: dict[str, Node] = {}
    aliases = 0
    sizes: dict[int, tuple[int, int]] = {}
    expanded_chars = expanded_nodes = 0
    root: Node | None = None
    documents = 0
    nodes = 0
    last_line = 0
    intern = sys.intern
    claims_list: Sequence | None = None  # the top-level ``claims`` list, for the hook
    while True:
        event = next_event()
        if event is None:
            if claims_list is not None and _first_value(root, "claims") is not claims_list:
                raise _Abort
            return root, nodes
        kind = type(event)
        node: Node
        if kind is _SCALAR:
            nodes += 1
            mark = event.start_mark
            line = mark.line + 1
            if line == last_line:  # one int object per line, not per node (a key and its value)
                line = last_line
            else:
                last_line = line
            value = event.value
            if append is None:
                node = root = Scalar(line, mark.column + 1, value, event.implicit[0] is True)
            elif in_sequence:
                node = Scalar(line, mark.column + 1, value, event.implicit[0] is True)
                append(node)
            elif pending is None:  # a key: the same few words thousands of times
                node = pending = Scalar(
                    line, mark.column + 1, intern(value), event.implicit[0] is True
                )
            else:
                node = Scalar(line, mark.column + 1, value, event.implicit[0] is True)
                append((pending, node))
                pending = None
            if event.anchor:
                if claims is not None:
                    raise _Abort
                anchors[event.anchor] = node
            continue
        if kind is _MAPPING_START or kind is _SEQUENCE_START:
            mark = event.start_mark
            if claims_list is not None and current is claims_list and kind is _MAPPING_START:
                # A claim: its values straight from the events (no nodes), else its nodes.
                assert claims is not None
                index = len(claims_list.items)
                kept, count = _claim(next_event, event, len(stack), path, max_chars, claims, index)
                nodes += count
                claims_list.items.append(kept)
                continue
            if len(stack) >= MAX_DEPTH:
                raise YamlError(
                    f"nesting deeper than {MAX_DEPTH} levels; refused", location=_where(path, mark)
                )
            nodes += 1
            container = (Mapping if kind is _MAPPING_START else Sequence)(
                mark.line + 1, mark.column + 1
            )
            if event.anchor:
                if claims is not None:
                    raise _Abort
                anchors[event.anchor] = container
            if append is None:
                root = container
            elif in_sequence:
                append(container)
            elif pending is None:
                pending = container
            else:
                if (
                    claims is not None
                    and claims_list is None
                    and len(stack) == 1
                    and type(container) is Sequence
                    and type(pending) is Scalar
                    and pending.value == "claims"
                ):
                    claims_list = container
                append((pending, container))
                pending = None
            stack.append((current, append, in_sequence, pending))
            current, append = container, container.items.append
            in_sequence, pending = kind is _SEQUENCE_START, None
        elif kind in _COLLECTION_END:
            current, append, in_sequence, pending = stack.pop()
        elif kind is _ALIAS:
            if claims is not None:
                raise _Abort
            mark = event.start_mark
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YamlError(
                    f"more than {MAX_ALIASES} aliases; refused", location=_where(path, mark)
                )
            target = anchors.get(event.anchor or "")
            if target is None:
                raise YamlError(
                    f"alias *{event.anchor} names no anchor", location=_where(path, mark)
                )
            if target is current or any(target is saved[0] for saved in stack):
                raise YamlError(
                    f"alias *{event.anchor} refers to a node that contains it; refused",
                    location=_where(path, mark),
                )
            chars, count = _expanded(target, sizes)
            expanded_chars += chars
            expanded_nodes += count
            if expanded_chars > max_chars or expanded_nodes > MAX_EXPANDED_NODES:
                what = (
                    f"{expanded_chars:,} characters (at most {max_chars:,}: twice the file)"
                    if expanded_chars > max_chars
                    else f"{expanded_nodes:,} nodes (at most {MAX_EXPANDED_NODES:,})"
                )
                raise YamlError(
                    f"aliases expand the document too far: they repeat {what}; "
                    f"refused at alias *{event.anchor}",
                    location=_where(path, mark),
                )
            if append is None:
                root = target
            elif in_sequence:
                append(target)
            elif pending is None:
                pending = target
            else:
                append((pending, target))
                pending = None
        elif kind is _DOCUMENT_START:
            documents += 1
            if documents > 1:
                raise YamlError(
                    "more than one YAML document; a claims file holds one",
                    location=_where(path, event.start_mark),
                )


def _claim(
    next_event: Callable[[], Any],
    start: Any,
    depth: int,
    path: str,
    max_chars: int,
    claims: ClaimHook,
    index: int,
) -> tuple[Node, int]:
    """What the tree keeps of the claim whose mapping starts with ``start`` (``depth``
    collections are open around it), and its nodes as written: read as values when it can be
    (:func:`_read_claim`), else as nodes, from the same events."""
    events = [start]
    values, spots, collections = _read_claim(next_event, start, depth, path, events.append)
    # Every collection has a start and an end event; every other event is a scalar.
    count = len(events) - collections
    if values is not None:
        kept = claims.from_values(index, values, spots)
        if kept is not None:
            return kept, count
    # Anything unusual (or a claim that does not validate): its nodes, built from the same
    # events as if they were read now, for the hook to handle as a tree (with its findings).
    events.append(None)
    node, _ = _build(iter(events).__next__, path, max_chars)
    assert type(node) is Mapping
    return claims(index, node), count


#: The value of an ``x-`` key: not read (the loader ignores it).
_IGNORED: Any = object()


def _read_claim(
    next_event: Callable[[], Any],
    start: Any,
    depth: int,
    path: str,
    record: Callable[[Any], None],
) -> tuple[dict[str, Any] | None, Any, int]:
    """A claim's mapping read from the events to its end: its plain values, their
    :data:`Spots`, and the number of collections it has (itself included). Every event after
    ``start`` is handed to ``record``.

    The values are those the loader's converter makes of the claim's nodes when it reports
    nothing: scalars as their text (a plain null as None), ``x-`` keys left out. Anything
    that converter would report (a key that is not text, a merge key ``<<``, a duplicate key)
    gives None for the values: the events are still read to the claim's end, and its nodes
    are built from them instead. Anchors and aliases abort (:class:`_Abort`), as in
    :func:`_build`, and nesting is limited as there.

    One loop over the events, the common case (a scalar in a mapping) first: this is the hot
    path of loading a large file.
    """
    mark = start.start_mark
    if start.anchor:
        raise _Abort
    if depth >= MAX_DEPTH:
        raise YamlError(
            f"nesting deeper than {MAX_DEPTH} levels; refused", location=_where(path, mark)
        )
    collections = 1
    # The open collection: its values, its packed positions (a mapping's names are its keys,
    # filled in when it closes), the spots of its values that are collections, the key
    # waiting for its value (None: none), and whether it is a sequence.
    values: Any = {}
    packed: list[Any] = [None, mark.line + 1, mark.column + 1]
    children: Any = None
    key: Any = None
    in_sequence = False
    stack: list[tuple[Any, list[Any], Any, Any, bool]] = []
    nulls = NULLS
    intern = sys.intern
    scalar, mapping_start, sequence_start = _SCALAR, _MAPPING_START, _SEQUENCE_START
    while True:
        event = next_event()
        record(event)
        kind = type(event)
        if kind is scalar:
            if event.anchor:
                raise _Abort
            value = event.value
            if key is None and not in_sequence:  # a key
                if value in values or (value == "<<" and event.implicit[0] is True):
                    opened = 1 + len(stack)
                    return None, None, collections + _skip(next_event, depth, opened, path, record)
                key = _IGNORED if value.startswith("x-") else intern(value)
                continue
            if event.implicit[0] is True and len(value) < 5 and value in nulls:
                value = None
            if in_sequence:
                values.append(value)
                children.append(None)
            elif key is _IGNORED:
                key = None
            else:
                values[key] = value
                mark = event.start_mark
                packed.append(mark.line + 1)
                packed.append(mark.column + 1)
                key = None
        elif kind is mapping_start or kind is sequence_start:
            collections += 1
            mark = event.start_mark
            if event.anchor:
                raise _Abort
            opened = depth + 1 + len(stack)
            if opened >= MAX_DEPTH:
                raise YamlError(
                    f"nesting deeper than {MAX_DEPTH} levels; refused",
                    location=_where(path, mark),
                )
            if not in_sequence and key is None:  # a key that is not text
                opened = 2 + len(stack)
                return None, None, collections + _skip(next_event, depth, opened, path, record)
            if key is _IGNORED:
                collections += _skip(next_event, opened, 1, path, record)
                key = None
                continue
            stack.append((values, packed, children, key, in_sequence))
            if kind is mapping_start:
                values, packed = {}, [None, mark.line + 1, mark.column + 1]
                children, key, in_sequence = None, None, False
            else:
                values, packed = [], [mark.line + 1, mark.column + 1]
                children, key, in_sequence = [], None, True
        elif kind in _COLLECTION_END:
            if in_sequence:
                spots: Any = children
                line, column = packed[0], packed[1]
            else:
                packed[0] = ("", *values)  # no duplicate keys, and no x- keys
                spots = (tuple(packed), children)
                line, column = packed[1], packed[2]
            if not stack:
                return values, spots, collections
            closed = values
            values, packed, children, key, in_sequence = stack.pop()
            if in_sequence:
                values.append(closed)
                children.append(spots)
            else:
                values[key] = closed
                packed.append(line)
                packed.append(column)
                if children is None:
                    children = {}
                children[key] = spots
                key = None
        else:  # an alias
            raise _Abort


def _skip(
    next_event: Callable[[], Any],
    outer: int,
    level: int,
    path: str,
    record: Callable[[Any], None],
) -> int:
    """Read the events to the end of the ``level`` collections open (inside ``outer`` others),
    handing each to ``record``: the number of collections opened on the way."""
    collections = 0
    while level:
        event = next_event()
        record(event)
        kind = type(event)
        if kind is _SCALAR:
            if event.anchor:
                raise _Abort
        elif kind is _MAPPING_START or kind is _SEQUENCE_START:
            collections += 1
            if event.anchor:
                raise _Abort
            if outer + level >= MAX_DEPTH:
                raise YamlError(
                    f"nesting deeper than {MAX_DEPTH} levels; refused",
                    location=_where(path, event.start_mark),
                )
            level += 1
        elif kind in _COLLECTION_END:
            level -= 1
        else:
            raise _Abort
    return collections


def _first_value(node: Node | None, key: str) -> Node | None:
    """The value of the first ``key`` of a mapping (as the loader reads it), else None."""
    if type(node) is not Mapping:
        return None
    for key_node, value in node.items:
        if type(key_node) is Scalar and key_node.value == key:
            return value
    return None


def _expanded(node: Node, sizes: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """Scalar characters and nodes of ``node`` with its aliases expanded; collections are
    remembered in ``sizes`` (by id: the nodes stay alive), so each is walked once."""
    if type(node) is Scalar:
        return len(node.value), 1
    known = sizes.get(id(node))
    if known is not None:
        return known
    chars, count = 0, 1
    if isinstance(node, Mapping):
        children: list[Node] = [part for pair in node.items for part in pair]
    else:
        assert isinstance(node, Sequence)
        children = node.items
    for child in children:
        more_chars, more_nodes = _expanded(child, sizes)
        chars += more_chars
        count += more_nodes
    sizes[id(node)] = (chars, count)
    return chars, count


def count_nodes(node: Node) -> int:
    """Nodes in the tree as written (aliases not expanded)."""
    seen: set[int] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, Mapping):
            for key, value in current.items:
                todo.extend((key, value))
        elif isinstance(current, Sequence):
            todo.extend(current.items)
    return len(seen)
