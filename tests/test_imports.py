"""The generator's modules import one another without a cycle, counting every import:
at the top, inside functions and under `TYPE_CHECKING` alike."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from conftest import ROOT

PACKAGE = "generator"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, modules: set[str]) -> set[str]:
    """The modules of the package that `path` imports anywhere in its body."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            source = ".".join([*base, *([node.module] if node.module else [])])
            # `from . import x` names a module; `from .m import x` names something in m
            found.update(f"{source}.{alias.name}" for alias in node.names)
            found.add(source)
    return {m for m in found if m in modules and m != name}


def graph() -> dict[str, set[str]]:
    paths = sorted((ROOT / PACKAGE).rglob("*.py"))
    modules = {module_name(path) for path in paths}
    return {module_name(path): imported(path, modules) for path in paths}


def test_the_generator_has_no_import_cycle() -> None:
    try:
        tuple(TopologicalSorter(graph()).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_the_import_graph_is_read_from_the_source() -> None:
    edges = graph()
    assert "generator.rules" in edges["generator.pipeline"]  # imported inside a function
    assert "generator.model" in edges["generator.render"]
    assert "generator.example_schemas" in edges["generator.rules"]  # inside a function too
    assert "generator.runtime._schemas" in edges["generator.example_schemas"]
