"""The package's import graph in numbers: modules per level, import arrows, circles, imports running up.

    python scripts/import_graph.py [CHECKOUT]

Every `import` and `from … import` of a `reThink_site` module counts, at any depth of a file. A module's
level is one more than the highest level it imports (modules in one circle share a level); rooms are
the subpackages (a top-level module is a room of its own).
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path


def module_name(path: Path, root: Path) -> str:
    """`reThink_site/render/feeds.py` -> `reThink_site.render.feeds` (a package by its `__init__`)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_imports(root: Path) -> dict[str, set[str]]:
    """Every module of the package under root and the package modules it imports, wherever in the file."""
    modules = {module_name(p, root): p for p in (root / "reThink_site").rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reThink_site"):
                targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                if target in modules and target not in (name, "reThink_site"):
                    graph[name].add(target)
                    break  # `from pkg import mod` names mod; `from mod import name` names mod
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's groups of modules that reach each other (a lone module is a group of one)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle: the groups of more than one module."""
    return [group for group in strongly_connected(graph) if len(group) > 1]


def levels(graph: dict[str, set[str]]) -> dict[str, int]:
    """Each module's level: 1 for a module importing none of the package, else one above what it imports."""
    group_of = {member: tuple(group) for group in strongly_connected(graph) for member in group}
    level: dict[tuple, int] = {}
    for group in strongly_connected(graph):  # Tarjan yields a group after every group it imports
        below = [level[group_of[t]] for m in group for t in graph[m] if group_of[t] != tuple(group)]
        level[tuple(group)] = 1 + max(below, default=0)
    return {module: level[group] for module, group in group_of.items()}


def room(module: str) -> str:
    """The subpackage a module lives in (a top-level module is its own room)."""
    parts = module.split(".")
    return ".".join(parts[:2])


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    graph = package_imports(root)
    found = levels(graph)
    print(f"{len(graph)} modules on {max(found.values())} levels, {sum(map(len, graph.values()))} import arrows")
    for level, count in sorted(Counter(found.values()).items()):
        print(f"  level {level:2}: {count} modules")
    print(f"circles: {cycles(graph) or 'none'}")
    rooms = {room(m) for m in graph}
    arrows = {(room(a), room(b)) for a, targets in graph.items() for b in targets if room(a) != room(b)}
    print(f"{len(rooms)} rooms, {len(arrows)} arrows between rooms")


if __name__ == "__main__":
    main()
