"""Every import points down: the layering of docs/architecture (README "Architecture") holds, with no cycles.

Read from the source with ``ast`` (imports inside functions count too), so a new upward import fails here
before it becomes a cycle. The layers, lowest first:

- ``common``: pure helpers, imports nothing from the project;
- ``eligibility``: the rules (pure Python);
- ``kennisbank``: the content and the code that loads and renders it;
- ``handoff``: handoff requests, their database and the webhook worker;
- ``reintegratie``, ``ops``, ``actions``: what Rasa, the scheduler and the action server run (peers: none of
  them imports another);
- ``console``: the consultants' web app;
- ``tools``, ``web``: command-line tools and the demo site.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

LAYERS: list[set[str]] = [
    {"common"},
    {"eligibility"},
    {"kennisbank"},
    {"handoff"},
    {"reintegratie", "ops", "actions"},
    {"console"},
    {"tools", "web"},
]
LAYER_OF = {package: number for number, layer in enumerate(LAYERS) for package in layer}
#: Inside ``reintegratie``: the three extension-point packages do not import each other, except that the
#: NLU components share ``learned_state`` among themselves (same package), and the entry points above them.
REINTEGRATIE_PEERS = {"reintegratie.nlu", "reintegratie.channels", "reintegratie.stores"}


def project_modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for package in LAYER_OF:
        for path in (ROOT / package).rglob("*.py"):
            if "node_modules" in path.parts or ("migrations" in path.parts and path.name != "env.py"):
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imports_of(path: Path) -> Iterator[str]:
    """The absolute module names a file imports (``from a.b import c`` gives ``a.b`` and ``a.b.c``)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def internal_graph() -> dict[str, set[str]]:
    modules = project_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = {target for target in imports_of(path) if target in modules and target != name}
        graph[name] = targets
    return graph


GRAPH = internal_graph()


def top(module: str) -> str:
    return module.split(".")[0]


def sub(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_the_graph_covers_the_project() -> None:
    """The scan must see the packages and their imports, or every test below passes on nothing."""
    assert {top(module) for module in GRAPH} == set(LAYER_OF)
    assert "kennisbank.loader" in GRAPH["actions.kennisbank"]
    assert sum(len(targets) for targets in GRAPH.values()) > 100


def upward_imports() -> list[str]:
    found = []
    for module, targets in GRAPH.items():
        for target in targets:
            here, there = top(module), top(target)
            if here != there and LAYER_OF[there] >= LAYER_OF[here]:
                found.append(f"{module} imports {target} ({here} is not above {there})")
    return found


def test_imports_only_point_down() -> None:
    assert upward_imports() == []


def test_common_imports_nothing_from_the_project() -> None:
    assert {
        target
        for module, targets in GRAPH.items()
        if top(module) == "common"
        for target in targets
        if top(target) != "common"
    } == set()


def test_the_rasa_extension_points_do_not_import_each_other() -> None:
    crossing = [
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if sub(module) in REINTEGRATIE_PEERS and sub(target) in REINTEGRATIE_PEERS and sub(module) != sub(target)
    ]
    assert crossing == []


def cycles() -> list[list[str]]:
    """Every cycle between modules found by a depth-first search (each reported once, from its first module)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    return found


def test_no_cycles_between_modules() -> None:
    assert cycles() == []


def test_no_cycles_between_packages() -> None:
    package_graph: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        outside = {top(target) for target in targets if top(target) != top(module)}
        package_graph.setdefault(top(module), set()).update(outside)
    reachable = {package: set(targets) for package, targets in package_graph.items()}
    for _ in package_graph:  # transitive closure; 10 packages
        for targets in reachable.values():
            for target in list(targets):
                targets |= reachable.get(target, set())
    assert [package for package, targets in reachable.items() if package in targets] == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [({"a.x": {"b.y"}, "b.y": {"a.x"}}, [["a.x", "b.y", "a.x"]]), ({"a.x": {"b.y"}, "b.y": set()}, [])],
)
def test_the_cycle_search_finds_a_planted_cycle(
    graph: dict[str, set[str]], expected: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(__import__(__name__, fromlist=["GRAPH"]), "GRAPH", graph)
    assert cycles() == expected


def test_an_upward_import_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    planted = {**GRAPH, "common.privacy": GRAPH["common.privacy"] | {"handoff.service"}}
    monkeypatch.setattr(__import__(__name__, fromlist=["GRAPH"]), "GRAPH", planted)
    assert upward_imports() == ["common.privacy imports handoff.service (common is not above handoff)"]
