"""The layout is the architecture (issue 11): no import cycles, and the library knows no HTTP.

Imports are read with `ast` from the source, so an import inside a function (made lazy for
start-up time) counts as a dependency too: a cycle hidden in a function is still a cycle.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import graph
import server

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "server")


def modules() -> dict[str, Path]:
    """Every module of graph/ and server/ by dotted name, with its file."""
    found = {}
    for package in (graph, server):
        found[package.__name__] = Path(package.__file__)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            spec = importlib.util.find_spec(info.name)
            found[info.name] = Path(spec.origin)
    return found


MODULES = modules()


def imported(name: str, path: Path) -> set[str]:
    """The modules of ours that `name` imports (a `from package import module` names the module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    return {t for t in targets if t in MODULES and t != name and not _is_package_of(t, name)}


def _is_package_of(candidate: str, name: str) -> bool:
    """True if `candidate` is a package that contains `name` (importing it is implied, not a dependency)."""
    return name.startswith(candidate + ".")


def external(path: Path) -> set[str]:
    """Top-level names of every module `path` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of module names, or None (depth-first search with colours)."""
    state: dict[str, int] = {}   # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_imports(name):
    """Each module of graph/ and server/ imports on its own."""
    assert importlib.import_module(name).__name__ == name


def test_no_import_cycle():
    """No module depends on itself through its imports, lazy ones included."""
    edges = {name: imported(name, path) for name, path in MODULES.items()}
    assert find_cycle(edges) is None, " → ".join(find_cycle(edges))


def test_the_cycle_search_finds_a_cycle():
    """The search itself: a three-module cycle is found, a diamond is not one."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set()}) is None


def test_the_library_knows_no_http_and_click_only_in_its_cli():
    """graph/ never imports Flask or the server; click is used only by graph/cli/."""
    offenders = []
    for name, path in MODULES.items():
        if not name.startswith("graph"):
            continue
        names = external(path)
        if names & {"flask", "flask_cors", "werkzeug", "waitress", "server"}:
            offenders.append(f"{name}: {sorted(names & {'flask', 'flask_cors', 'werkzeug', 'waitress', 'server'})}")
        if "click" in names and not name.startswith("graph.cli"):
            offenders.append(f"{name}: click")
    assert offenders == []


def test_only_shared_modules_sit_at_the_top_of_graph():
    """Everything but a handful of shared modules lives in a subpackage named after its step."""
    top = {p.stem for p in (ROOT / "graph").glob("*.py")}
    assert top <= {"__init__", "errors", "ns", "iri", "formats", "settings", "terms", "results"}, sorted(top)
