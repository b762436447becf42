"""A bounded YAML reader that keeps every node's position and reads scalars as source text.

PyYAML's composer recurses once per nesting level (libyaml's C composer crashes the
interpreter on deep nesting) and resolves implicit types (YAML 1.1 reads ``NO`` as false).
So the tree is built here, from libyaml's event stream, with the depth and alias count
checked at every event before anything is built.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
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

#: libyaml's C parser when available, else the pure-Python one.
_Parser: Any = getattr(yaml, "CParser", None) or yaml.SafeLoader


@dataclass(eq=False)
class Node:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(eq=False)
class Scalar(Node):
    value: str
    plain: bool  # an unquoted scalar (``~`` and ``null`` mean "no value" only when plain)


@dataclass(eq=False)
class Mapping(Node):
    items: list[tuple[Scalar | Node, Node]] = field(default_factory=list)


@dataclass(eq=False)
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


class YamlError(FactcheckError):
    """The text is not usable YAML (FC101), with its position."""


def _where(path: str, mark: Any) -> str:
    return f"{path}:{mark.line + 1}:{mark.column + 1}"


def parse(text: str, path: str) -> Node | None:
    """Build the node tree of the first document of ``text``; None for an empty document."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # composing allocates many small objects; the cycle collector only slows it
    try:
        return _build(_events(text, path), path)
    finally:
        if gc_was_enabled:
            gc.enable()


def _events(text: str, path: str) -> Iterator[Any]:
    parser = _Parser(text)
    try:
        while True:
            event = parser.get_event()
            if event is None:
                return
            yield event
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        location = _where(path, mark) if mark is not None else path
        raise YamlError(f"YAML syntax error: {problem}", location=location) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML syntax error: {exc}", location=path) from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


def _build(events: Iterator[Any], path: str) -> Node | None:
    stack: list[Mapping | Sequence] = []
    pending_key: list[Node | None] = []
    anchors: dict[str, Node] = {}
    aliases = 0
    root: Node | None = None
    documents = 0

    def add(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif pending_key[-1] is None:
            pending_key[-1] = node
        else:
            key = pending_key[-1]
            assert key is not None
            parent.items.append((key, node))
            pending_key[-1] = None

    for event in events:
        mark = event.start_mark
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlError(
                    "more than one YAML document; a claims file holds one",
                    location=_where(path, mark),
                )
        elif isinstance(event, yaml.ScalarEvent):
            node: Node = Scalar(
                mark.line + 1, mark.column + 1, event.value, plain=event.implicit[0] is True
            )
            if event.anchor:
                anchors[event.anchor] = node
            add(node)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise YamlError(
                    f"nesting deeper than {MAX_DEPTH} levels; refused", location=_where(path, mark)
                )
            container: Mapping | Sequence = (
                Mapping(mark.line + 1, mark.column + 1)
                if isinstance(event, yaml.MappingStartEvent)
                else Sequence(mark.line + 1, mark.column + 1)
            )
            if event.anchor:
                anchors[event.anchor] = container
            add(container)
            stack.append(container)
            pending_key.append(None)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
            pending_key.pop()
        elif isinstance(event, yaml.AliasEvent):
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
            add(target)
    return root


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
