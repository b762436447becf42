"""``archive_url`` lines written into a claims file, and nothing else changed.

A round-trip through a YAML library rewrites what it does not understand the way it likes
(indentation of sequences, quoting, line breaks in long scalars, CRLF). Here the file is edited
as text instead: the parser only says where each evidence item's ``url`` value ends, and the
new key goes right after it, in the item's own style:

* a block mapping gets one new line, ``archive_url: …`` at the indentation of its keys, after
  the line where the ``url`` value ends (with that line's line ending, CRLF included);
* a flow mapping (``{url: …, title: …}``) gets ``, archive_url: …`` after the ``url`` value;
* the value is quoted as the ``url`` value is (plain when it reads back unchanged).

Every other byte stays as it was: comments, key order, quoting, blank lines, anchors. An item
reached through an alias is edited once, where its anchor is. The result is loaded again and
must be the same document with the new ``archive_url`` values and nothing else, or nothing is
written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from factcheck.errors import FactcheckError

#: YAML's line breaks (PyYAML's reader counts lines by these).
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


@dataclass(frozen=True)
class Addition:
    """An ``archive_url`` to write: the claim, the evidence item's index, the address."""

    claim: str
    index: int
    archive_url: str


@dataclass(frozen=True)
class NotWritten:
    """An addition left out, and why (one line for the user)."""

    addition: Addition
    reason: str


@dataclass(frozen=True)
class _Edit:
    line: int  # 0-based
    column: int | None  # None: a new line before ``line``; else text inserted at the column
    text: str


def _split_lines(text: str) -> list[str]:
    """Lines with their line breaks, as YAML counts them."""
    lines: list[str] = []
    start = 0
    for match in _BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text) or not lines:
        lines.append(text[start:])
    return lines


def _reads_back(value: str, text: str, *, flow: bool) -> bool:
    document = f"{{k: {text}}}" if flow else f"k: {text}\n"
    try:
        loaded = yaml.load(document, Loader=yaml.BaseLoader)  # BaseLoader: text only
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get("k") == value


def _quoted(value: str, style: str | None, *, flow: bool) -> str:
    """``value`` as a YAML scalar in the ``url`` value's style."""
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style is None and _reads_back(value, value, flow=flow):
        return value
    return json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars


def _get(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for key_node, value in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value
    return None


def _items(root: yaml.Node) -> dict[tuple[str, int], yaml.Node]:
    """Every evidence item's node by (claim id, index)."""
    found: dict[tuple[str, int], yaml.Node] = {}
    claims = _get(root, "claims") if isinstance(root, yaml.MappingNode) else None
    if claims is None or not isinstance(claims[1], yaml.SequenceNode):
        return found
    for claim in claims[1].value:
        if not isinstance(claim, yaml.MappingNode):
            continue
        ident = _get(claim, "id")
        evidence = _get(claim, "evidence")
        if ident is None or evidence is None or not isinstance(evidence[1], yaml.SequenceNode):
            continue
        for index, item in enumerate(evidence[1].value):
            found.setdefault((str(ident[1].value), index), item)
    return found


def _edit_for(item: yaml.Node, url: str, lines: list[str]) -> _Edit | str:
    """Where and what to insert into ``item``, or why it cannot be done."""
    if not isinstance(item, yaml.MappingNode):
        return "the evidence item is not a mapping"
    if _get(item, "archive_url") is not None:
        return "it already has an archive_url (replace it by hand if it no longer works)"
    found = _get(item, "url")
    if found is None:
        return "it has no url of its own"
    key, value = found
    if not isinstance(value, yaml.ScalarNode):
        return "its url is not a text value"
    style = value.style if value.style in ("'", '"') else None
    end = value.end_mark
    if item.flow_style:
        text = f", archive_url: {_quoted(url, style, flow=True)}"
        return _Edit(end.line, end.column, text)
    indent = " " * key.start_mark.column
    line = end.line if end.column == 0 else end.line + 1  # a block scalar ends a line later
    before = lines[line - 1] if 0 < line <= len(lines) else ""
    ending = m.group(0) if (m := _BREAK.search(before)) else "\n"
    return _Edit(line, None, f"{indent}archive_url: {_quoted(url, style, flow=False)}{ending}")


def add_archive_urls(
    text: str, additions: list[Addition], shown: str
) -> tuple[str, list[NotWritten]]:
    """``text`` with the additions written in, and the ones that could not be."""
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)  # nodes, no objects
    except yaml.YAMLError as exc:
        raise FactcheckError(f"cannot edit the file: {exc}", location=shown) from None
    items = _items(root) if root is not None else {}
    lines = _split_lines(text)
    edits: dict[int, _Edit] = {}
    skipped: list[NotWritten] = []
    for addition in additions:
        node = items.get((addition.claim, addition.index))
        if node is None:
            skipped.append(NotWritten(addition, "no such evidence item in the file"))
            continue
        if id(node) in edits:  # an alias of an item already edited
            continue
        edit = _edit_for(node, addition.archive_url, lines)
        if isinstance(edit, str):
            skipped.append(NotWritten(addition, edit))
        else:
            edits[id(node)] = edit
    at_the_end = any(e.column is None and e.line >= len(lines) for e in edits.values())
    if at_the_end and not _BREAK.search(lines[-1]):  # the last line had no line break
        lines[-1] += _first_break(text)
    for edit in sorted(edits.values(), key=lambda e: (e.line, e.column or 0), reverse=True):
        if edit.column is None:
            lines.insert(edit.line, edit.text)
        else:
            line = lines[edit.line]
            lines[edit.line] = line[: edit.column] + edit.text + line[edit.column :]
    changed = "".join(lines)
    urls = {
        id(items[(a.claim, a.index)]): a.archive_url
        for a in additions
        if (a.claim, a.index) in items
    }
    written = {key: urls[id(node)] for key, node in items.items() if id(node) in edits}
    _same_but_for(text, changed, written, shown)
    return changed, skipped


def _first_break(text: str) -> str:
    match = _BREAK.search(text)
    return match.group(0) if match else "\n"


def _same_but_for(before: str, after: str, written: dict[tuple[str, int], str], shown: str) -> None:
    """The edited file must load as the same document plus the ``archive_url`` values."""
    from factcheck.load.loader import load_string

    old, new = load_string(before, shown).document, load_string(after, shown).document
    if old is None or new is None:
        raise FactcheckError("refusing to edit: the edited file would not load", location=shown)
    expected: dict[str, Any] = old.model_dump(mode="json")
    claims: dict[str, Any] = {}
    for claim in expected["claims"]:
        claims.setdefault(claim["id"], claim)
    for (claim_id, index), url in written.items():
        claims[claim_id]["evidence"][index]["archive_url"] = url
    if new.model_dump(mode="json") != expected:
        raise FactcheckError(
            "refusing to edit: the file would change in more than its archive_url values "
            "(please report this with the file)",
            location=shown,
        )
