"""No import cycle among the apps' own modules (bookings_app, loyalty, automations, config).

The graph is read from the source with ``ast``, without importing anything. Every import
counts, at module level or inside a function: an import moved into a function is how a
cycle hides (a service importing the tasks that import it), and the design rule is that a
module depends on another or not, whenever the import runs. Only imports under
``if TYPE_CHECKING:`` are left out, as they never run. Importing ``a.b.c`` is an edge to the
module ``a.b.c`` (or the package ``a.b`` when ``c`` is a name defined in it), not to every
package above it: a package's ``__init__`` that imports its own modules is not a cycle.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("bookings_app", "loyalty", "automations", "config")

Graph = dict[str, set[str]]


def modules(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """Dotted module name → file, for every Python file of the packages."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph(root: Path, packages: tuple[str, ...]) -> Graph:
    """Module → the modules of the same packages it imports."""
    known = modules(root, packages)
    graph: Graph = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        targets = {
            target
            for node in _imports(tree)
            for imported in _imported_names(node, name, is_package)
            if (target := _known_module(imported, known)) and target != name
        }
        graph[name] = targets
    return graph


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run (those under ``if TYPE_CHECKING:`` never do)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for branch in node.orelse:
                yield from _imports_in(branch)
            continue
        yield from _imports_in(node)


def _imports_in(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _imports(node)


def _imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Dotted names the statement loads: ``from a import b`` is ``a.b``, the module ``a.b`` or
    the name ``b`` of ``a`` (``_known_module`` tells)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        parts = module.split(".") if is_package else module.split(".")[:-1]
        base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    return [f"{base}.{alias.name}" for alias in node.names]


def _known_module(name: str, known: dict[str, Path]) -> str | None:
    """The longest prefix of ``name`` that is one of our modules."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def cycles(graph: Graph) -> list[list[str]]:
    """One cycle (``[a, b, …, a]``) per group of modules that import each other in a ring."""
    return [_cycle_through(group, graph) for group in _strongly_connected(graph) if len(group) > 1]


def _strongly_connected(graph: Graph) -> list[list[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    groups.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return groups


def _cycle_through(group: list[str], graph: Graph) -> list[str]:
    """The shortest way from the group's first module back to itself, inside the group."""
    start, members = group[0], set(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    way_back = [node]
                    while way_back[-1] != start:
                        way_back.append(came_from[way_back[-1]])
                    return [*reversed(way_back), start]
                if child not in came_from:
                    came_from[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"{group} is not a cycle")


def test_the_apps_import_each_other_without_a_cycle():
    found = cycles(import_graph(ROOT, APPS))
    assert not found, "import cycles:\n" + "\n".join(" → ".join(cycle) for cycle in found)


def test_the_reader_finds_a_cycle_through_a_function_level_import(tmp_path):
    shop = tmp_path / "shop"
    (shop / "services").mkdir(parents=True)
    (shop / "__init__.py").write_text("")
    (shop / "services" / "__init__.py").write_text("from .orders import place\n")
    (shop / "services" / "orders.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from shop import models\n"
        "def place():\n    from ..tasks import ship\n"
    )
    (shop / "tasks.py").write_text("from shop.services import place\n")
    (shop / "models.py").write_text("from shop.services import orders\n")

    assert cycles(import_graph(tmp_path, ("shop",))) == [
        ["shop.services", "shop.services.orders", "shop.tasks", "shop.services"]
    ]
