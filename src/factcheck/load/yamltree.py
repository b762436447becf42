"""A bounded YAML reader that keeps every node's position and reads scalars as source text.

PyYAML's composer recurses once per nesting level (libyaml's C composer crashes the
interpreter on deep nesting) and resolves implicit types (YAML 1.1 reads ``NO`` as false).
So the tree is built here, from libyaml's event stream, with the depth and alias count
checked at every event before anything is built.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import yaml

from factcheck.errors import FactcheckError

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 100
#: Node visits allowed while turning the tree into values, per node in the file: aliases may
#: repeat a node, but never explode it (billion laughs).
EXPANSION_FACTOR = 4
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


def parse_counted(text: str, path: str) -> tuple[Node | None, int]:
    """The node tree and the number of nodes as written (aliases not expanded)."""
    parser = _Parser(text)
    try:
        with paused_gc():
            return _build(parser.get_event, path)
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


def _build(next_event: Callable[[], Any], path: str) -> tuple[Node | None, int]:
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
    root: Node | None = None
    documents = 0
    nodes = 0
    while True:
        event = next_event()
        if event is None:
            return root, nodes
        kind = type(event)
        node: Node
        if kind is _SCALAR:
            nodes += 1
            mark = event.start_mark
            node = Scalar(mark.line + 1, mark.column + 1, event.value, event.implicit[0] is True)
            if event.anchor:
                anchors[event.anchor] = node
            if append is None:
                root = node
            elif in_sequence:
                append(node)
            elif pending is None:
                pending = node
            else:
                append((pending, node))
                pending = None
            continue
        if kind is _MAPPING_START or kind is _SEQUENCE_START:
            mark = event.start_mark
            if len(stack) >= MAX_DEPTH:
                raise YamlError(
                    f"nesting deeper than {MAX_DEPTH} levels; refused", location=_where(path, mark)
                )
            nodes += 1
            container = (Mapping if kind is _MAPPING_START else Sequence)(
                mark.line + 1, mark.column + 1
            )
            if event.anchor:
                anchors[event.anchor] = container
            if append is None:
                root = container
            elif in_sequence:
                append(container)
            elif pending is None:
                pending = container
            else:
                append((pending, container))
                pending = None
            stack.append((current, append, in_sequence, pending))
            current, append = container, container.items.append
            in_sequence, pending = kind is _SEQUENCE_START, None
        elif kind in _COLLECTION_END:
            current, append, in_sequence, pending = stack.pop()
        elif kind is _ALIAS:
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
