"""The layers stay layers: who may import whom, and no import cycle anywhere in `pipeline`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

# package → packages or modules of `pipeline` it must never import (at any depth of its code).
FORBIDDEN = {
    "mailing": {"bulletin", "content", "coordinator", "cli", "site", "roster"},
    "bulletin": {"mailing", "content", "coordinator", "cli", "state", "site", "roster"},
    "state": {"bulletin", "mailing", "content", "coordinator", "cli", "site"},
    "site": {"mailing", "state", "coordinator", "cli", "roster"},
    "roster": {"bulletin", "mailing", "content", "coordinator", "cli", "site"},
    "coordinator": {"cli"},
    # Shared by every output (page, feed, e-mail), so they depend on none of them.
    "urls": {"site", "bulletin", "mailing", "cli", "coordinator", "state"},
    "views": {"site", "bulletin", "mailing", "cli", "coordinator", "state"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _walk(node: ast.AST):
    """Every node, but not inside `if TYPE_CHECKING:` (annotations are no dependency)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            continue
        yield child
        yield from _walk(child)


def _imports(path: Path) -> set[str]:
    """The `pipeline` modules a file imports, at module level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in _walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names]
            found.update(n for n in [target, *names] if n.startswith("pipeline"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("pipeline"))
    return found


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "locale" not in p.parts}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_never_imports_what_it_must_not(layer):
    wrong = []
    for name, path in MODULES.items():
        if not name.startswith(f"pipeline.{layer}"):
            continue
        for target in _imports(path):
            top = target.split(".")[1] if target.count(".") else ""
            if top in FORBIDDEN[layer]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)} imports {target}")
    assert wrong == []


def test_there_is_no_import_cycle():
    graph = {}
    for name, path in MODULES.items():
        graph[name] = {t for t in _imports(path) if t in MODULES and t != name}
    # A package imports its own __init__ when a submodule is imported: that is not a cycle.
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    done, path, cycles = set(), [], []

    def visit(node):
        if node in path:
            cycles.append(" → ".join([*path[path.index(node) :], node]))
            return
        if node in done:
            return
        path.append(node)
        for target in sorted(graph[node]):
            visit(target)
        path.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
    assert cycles == []
