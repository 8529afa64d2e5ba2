"""The layers of docs/architecture.md hold: no import runs upward, no chain of imports loops.

The layer table is read from the "Layers" section of docs/architecture.md, so the document and
the test cannot drift apart. Every import counts, also one inside a function or under
``TYPE_CHECKING``: a lazy import hides a loop from Python, not from the reader.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "actions")
DOC = ROOT / "docs" / "architecture.md"

#: Imports that run upward today, each with why it is still there. Keep this short: move the
#: shared thing down instead where that is small.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Layer:
    """One row of the table: its rank (0 is the bottom), its name and the modules in it."""

    rank: int
    name: str
    prefixes: tuple[str, ...]


def read_layers(text: str) -> list[Layer]:
    """The rows of the table in the "Layers" section of ``text``."""
    section = re.search(r"^## Layers\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert section, "docs/architecture.md has no '## Layers' section"
    layers = []
    for line in section.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].isdigit():
            names = tuple(re.findall(r"`([A-Za-z_][\w.]*)`", cells[2]))
            layers.append(Layer(int(cells[0]), cells[1], names))
    return layers


def module_files() -> dict[str, Path]:
    """Every module of the product packages, by dotted name (``bot.db.base``)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _targets(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, files: dict[str, Path]
) -> set[str]:
    """The product modules one import statement reaches.

    ``from bot.x import y`` reaches ``bot.x.y`` when that is a module, else ``bot.x`` (a name
    defined there). The packages Python runs on the way (``bot/x/__init__.py``) are not
    counted: a package's ``__init__`` that imports something is itself a module with edges.
    """
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in files}
    base = node.module or ""
    if node.level:  # relative: from the importer's package, one level up per extra dot
        here = module.split(".") if is_package else module.split(".")[:-1]
        here = here[: len(here) - node.level + 1]
        base = ".".join([*here, base] if base else here)
    reached = set()
    for alias in node.names:
        name = f"{base}.{alias.name}"
        if name in files:
            reached.add(name)
        elif base in files:
            reached.add(base)
    return reached


def import_graph(files: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the product modules it imports, anywhere in its code."""
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                targets |= _targets(node, module, is_package, files)
        graph[module] = targets - {module}
    return graph


def layer_of(module: str, layers: list[Layer]) -> Layer | None:
    """The layer whose longest name matches ``module`` (itself or a package above it)."""
    best: tuple[int, Layer] | None = None
    for layer in layers:
        for prefix in layer.prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[0]
            ):
                best = (len(prefix), layer)
    return best[1] if best else None


def find_loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                loops.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return loops


def upward_imports(
    graph: dict[str, set[str]], layers: list[Layer]
) -> dict[tuple[str, str], str]:
    """(importer, imported) → "importer's layer → imported's layer", for every upward import."""
    found = {}
    for module, targets in graph.items():
        own = layer_of(module, layers)
        for target in targets:
            other = layer_of(target, layers)
            if own and other and other.rank > own.rank:
                found[(module, target)] = f"{own.name} → {other.name}"
    return found


@pytest.fixture(scope="module")
def layers() -> list[Layer]:
    return read_layers(DOC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def files() -> dict[str, Path]:
    return module_files()


@pytest.fixture(scope="module")
def graph(files: dict[str, Path]) -> dict[str, set[str]]:
    return import_graph(files)


def test_the_table_is_well_formed(layers: list[Layer], files: dict[str, Path]) -> None:
    assert [layer.rank for layer in layers] == list(range(len(layers))), "ranks 0, 1, 2, …"
    assert len(layers) >= 5
    named = [prefix for layer in layers for prefix in layer.prefixes]
    assert len(named) == len(set(named)), "a module is named in two layers"
    stale = [p for p in named if not any(m == p or m.startswith(p + ".") for m in files)]
    assert not stale, f"the layer table names modules that do not exist: {stale}"


def test_every_module_has_a_layer(
    layers: list[Layer], files: dict[str, Path], graph: dict[str, set[str]]
) -> None:
    # The package ``bot`` itself is only a name; were it to import something, it would
    # sit above everything it imports, so it must stay empty.
    assert not graph["bot"], "bot/__init__.py imports nothing"
    unplaced = sorted(
        module for module in files if module != "bot" and layer_of(module, layers) is None
    )
    assert not unplaced, f"add these to the layer table in docs/architecture.md: {unplaced}"


def test_no_import_loop(graph: dict[str, set[str]]) -> None:
    loops = find_loops(graph)
    assert not loops, "import loops (move the shared thing down): " + "; ".join(
        " ⇄ ".join(loop) for loop in loops
    )


def test_no_module_imports_from_a_higher_layer(
    graph: dict[str, set[str]], layers: list[Layer]
) -> None:
    upward = upward_imports(graph, layers)
    new = {edge: how for edge, how in upward.items() if edge not in KNOWN_UPWARD}
    assert not new, "imports from a higher layer (docs/architecture.md, Layers):\n" + "\n".join(
        f"  {a} → {b} ({how})" for (a, b), how in sorted(new.items())
    )


def test_every_known_exception_is_still_needed(
    graph: dict[str, set[str]], layers: list[Layer]
) -> None:
    upward = upward_imports(graph, layers)
    gone = sorted(edge for edge in KNOWN_UPWARD if edge not in upward)
    assert not gone, f"no longer upward, remove from KNOWN_UPWARD: {gone}"


def test_the_vocabulary_imports_nothing_above_it(graph: dict[str, set[str]]) -> None:
    leaves = ("bot.vocabulary", "bot.taxonomy", "bot.errors")
    for module, targets in graph.items():
        if module.startswith(leaves):
            outside = {t for t in targets if not t.startswith(("bot.vocabulary", "bot.taxonomy"))}
            assert not outside, f"{module} imports {outside}: the vocabulary must stay a leaf"


# ---------------------------------------------------------------------------- the checker itself
def _write(root: Path, files: dict[str, str]) -> dict[str, Path]:
    found = {}
    for name, source in files.items():
        path = root / (name.replace(".", "/") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        found[name.removesuffix(".__init__")] = path
    return found


def test_the_walk_sees_loops_through_imports_inside_functions(tmp_path: Path) -> None:
    files = _write(tmp_path, {
        "bot.__init__": "",
        "bot.a": "from bot.b import thing\n",
        "bot.b": "def thing():\n    from bot import a\n    return a\n",
        "bot.c": "import bot.a\n",
    })
    graph = import_graph(files)
    assert graph["bot.b"] == {"bot.a"} and graph["bot.c"] == {"bot.a"}
    assert find_loops(graph) == [["bot.a", "bot.b"]]


def test_the_walk_reports_an_upward_import_by_the_longest_match(tmp_path: Path) -> None:
    files = _write(tmp_path, {
        "bot.__init__": "",
        "bot.low.__init__": "",
        "bot.low.leaf": "from ..high import top\n",  # relative, two levels up
        "bot.low.placed_high": "from bot.high.top import x\n",
        "bot.high.__init__": "",
        "bot.high.top": "from bot.low import leaf\nfrom bot.low import placed_high\n",
    })
    layers = read_layers(
        "## Layers\n| layer | name | modules |\n|---|---|---|\n"
        "| 0 | low | `bot`, `bot.low` |\n| 1 | high | `bot.high`, `bot.low.placed_high` |\n"
    )
    graph = import_graph(files)
    assert graph["bot.high.top"] == {"bot.low.leaf", "bot.low.placed_high"}
    assert upward_imports(graph, layers) == {("bot.low.leaf", "bot.high.top"): "low → high"}
