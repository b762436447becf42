"""The package's layout keeps its promises (CONTRIBUTING.md): no import cycle, a short top
level, every finding built where its family lives, one table of formats and of link options."""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import fields
from pathlib import Path

from factcheck.cli import app
from factcheck.links import LinkSettings
from factcheck.render import FORMATS
from factcheck.settings import LINK_OPTIONS, Scope

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "factcheck"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _runtime_imports(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """The package's modules ``path`` imports when it runs (``if TYPE_CHECKING:`` left out)."""
    tree = ast.parse(path.read_text("utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    targets: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            targets.add(node.module)
            targets.update(f"{node.module}.{alias.name}" for alias in node.names)
    imported = set()
    for target in targets:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name and not name.startswith(target + "."):
            imported.add(target)
    return imported


def test_no_import_cycle_among_the_package_modules() -> None:
    modules = _modules()
    graph = {name: _runtime_imports(path, name, modules) for name, path in modules.items()}
    done: set[str] = set()

    def visit(name: str, stack: list[str]) -> None:
        if name in stack:
            cycle = [*stack[stack.index(name) :], name]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, [*stack, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_the_top_level_is_short() -> None:
    assert len(list(PACKAGE.glob("*.py"))) <= 16


def _code(node: ast.AST) -> str | None:
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Code"
        and re.fullmatch(r"FC\d{3}", node.attr)
    ):
        return node.attr
    return None


def test_findings_are_built_where_their_family_lives() -> None:
    """FC1xx in load/, every other family in rules/; nowhere a code spelled as a string."""
    for name, path in _modules().items():
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert name == "factcheck.findings" or not re.fullmatch(r"FC\d{3}", node.value), (
                    f"{name} spells {node.value} as a string: use Code.{node.value}"
                )
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "finding":
                code = _code(node.args[0]) if node.args else None
                if code is None:  # a code the loader picked from its table of problems
                    assert name.startswith(("factcheck.load.", "factcheck.rules")), name
                    continue
                home = "factcheck.load" if code.startswith("FC1") else "factcheck.rules"
                assert name.startswith(home), f"{name} builds {code}: that belongs in {home}"


def test_every_link_option_is_one_table_row_read_by_the_cli_and_the_config() -> None:
    defaults = {f.name: f.default for f in fields(LinkSettings)}
    for option in LINK_OPTIONS:
        assert option.field in defaults, option.name
        expected = defaults[option.field]
        if option.name == "no_cache":
            expected = not expected
        if option.field == "user_agent":
            continue  # the help says "a current desktop browser's"
        assert option.default == expected, option.name
    for command in ("verify", "report"):
        info = next(c for c in app.registered_commands if c.callback.__name__ == command)
        assert info.callback is not None
        params = importlib.import_module("inspect").signature(info.callback).parameters
        assert {o.name for o in LINK_OPTIONS} <= set(params), command
    from factcheck.settings import _COMMAND_LINE_ONLY, _KNOWN_KEYS

    for option in LINK_OPTIONS:
        assert (option.name in _KNOWN_KEYS) == (option.scope is Scope.CONFIG)
        assert (option.name in _COMMAND_LINE_ONLY) == (option.scope is Scope.SECURITY)


def test_every_output_format_has_a_renderer() -> None:
    for spec in FORMATS.values():
        module = importlib.import_module(spec.module)
        assert callable(module.render), spec.name
        if spec.after is not None:
            assert callable(getattr(module, spec.after)), spec.name
