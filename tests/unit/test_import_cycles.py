"""No import cycles inside talentpool, read from the source with `ast` (nothing is imported).

The one cycle a Flask app needs is a blueprint package and its route modules: the package
imports them so their routes register, and they import `bp` from the package. Any other
cycle means two modules lean on each other: move the shared piece to the lower one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "talentpool"

#: Cycles waiting for their area to take the one blueprint shape (issue 19, item 4); every
#: area has it now. Delete an entry once its cycle is gone (the test says so).
WAITING: set[frozenset[str]] = set()

#: Layers that must not lean on each other even through imports deferred into functions:
#: a deferred import that dodges a cycle is still a cycle.
LOWER_LAYERS = ("talentpool.services", "talentpool.models", "talentpool.tabular")


def _modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the package by dotted name, with its file and whether it is a package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports run when the module loads: top level, in `if` (not TYPE_CHECKING) and `try`."""
    found, pending = [], list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If) and not _type_checking(node):
            pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
            pending += [inner for handler in node.handlers for inner in handler.body]
    return found


def _all_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


def _graph(*, deferred: bool) -> dict[str, set[str]]:
    """Module → the talentpool modules it imports (`from pkg import mod` names the module)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in (_all_imports if deferred else _module_level_imports)(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    here = name.split(".") if is_package else name.split(".")[:-1]
                    here = here[: len(here) - node.level + 1]
                    base = ".".join([*here, base] if base else here)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def _without_blueprint_edges(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph less each route module's import of its own blueprint package."""
    modules = _modules()
    blueprints = {
        name
        for name, (path, is_package) in modules.items()
        if is_package and "Blueprint(" in path.read_text(encoding="utf-8")
    }
    return {
        name: {t for t in targets if not (t in blueprints and name.rpartition(".")[0] == t)}
        for name, targets in graph.items()
    }


def _show(cycles: list[frozenset[str]]) -> str:
    return "; ".join(" ↔ ".join(sorted(cycle)) for cycle in cycles)


def test_the_graph_sees_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset("abc")]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_reads_talentpool() -> None:
    graph = _graph(deferred=False)
    assert "talentpool.services.notifications" in graph["talentpool.services.offers.lifecycle"]
    assert "talentpool.offers" in graph["talentpool.offers.views"]  # imports bp


def test_no_module_level_import_cycle_but_blueprint_and_routes() -> None:
    cycles = _cycles(_without_blueprint_edges(_graph(deferred=False)))
    unexpected = [cycle for cycle in cycles if cycle not in WAITING]
    assert not unexpected, f"import cycles: {_show(unexpected)}"
    gone = [cycle for cycle in WAITING if cycle not in cycles]
    assert not gone, f"no longer a cycle, delete it from WAITING: {_show(gone)}"


@pytest.mark.parametrize("layer", LOWER_LAYERS)
def test_no_cycle_in_a_lower_layer_even_through_deferred_imports(layer: str) -> None:
    graph = _graph(deferred=True)
    inside = {
        name: {t for t in targets if t.startswith(layer)}
        for name, targets in graph.items()
        if name == layer or name.startswith(layer + ".")
    }
    assert not _cycles(inside), f"import cycles: {_show(_cycles(inside))}"
