"""The layering of the package, read from its imports (every import, at any depth of a module).

From the top down; a module may import only modules on a floor below its own, and modules of its
own room (a folder, or a file of its own)::

    cli/                                    the command line
    portal/                                 the customer portal: publishes what the features make
    portfolio/ offers/ diff/ reports/ export/ absorb/   features: never import each other
    build.py                                the agreement pipeline
    writers.py          layers/             the output stage; specs made of layers (portfolios, offers)
    compose/            renderers/          side by side, never importing each other
    terms/                                  comparable terms and their direction
    arithmetic/                             downtime, business time, credits, periods
    spec/               library/            side by side
    document.py text.py errors.py resources.py inputs/ (and the package's version)

Renderers read only the document tree: they import their own modules and the bottom floor, never a
spec model.  No two modules import each other, directly or in a longer circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "slaforge"

BOTTOM = (
    "slaforge",
    "slaforge.document",
    "slaforge.text",
    "slaforge.errors",
    "slaforge.resources",
    "slaforge.inputs",  # the boundary where every user file is read, and its limits
)
FEATURES = (
    "slaforge.portfolio",
    "slaforge.offers",
    "slaforge.diff",
    "slaforge.reports",
    "slaforge.export",
    "slaforge.absorb",
)
# room -> floor; rooms on one floor never import each other
FLOORS: dict[str, int] = {
    **dict.fromkeys(BOTTOM, 0),
    "slaforge.spec": 1,
    "slaforge.library": 1,
    "slaforge.arithmetic": 2,
    "slaforge.terms": 3,
    "slaforge.compose": 4,
    "slaforge.renderers": 4,
    "slaforge.writers": 5,
    "slaforge.layers": 5,
    "slaforge.build": 6,
    **dict.fromkeys(FEATURES, 7),
    "slaforge.portal": 8,
    "slaforge.cli": 9,
    "slaforge.__main__": 10,
}
RENDERERS = "slaforge.renderers"


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module
    file: str
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def room(module: str) -> str:
    """The room of a module: its subpackage (``slaforge.spec``) or, for a top-level file, itself."""
    if module in BOTTOM:
        return module
    parts = module.split(".")
    return ".".join(parts[:2])


def package_sources() -> dict[str, tuple[str, str]]:
    """module name -> (file shown in messages, source) for every module of the package."""
    return {
        module_name(path): (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def imports(sources: Mapping[str, tuple[str, str]]) -> Iterator[Import]:
    """Every import of a package module, at module level or inside a function, TYPE_CHECKING included."""
    for module, (file, source) in sources.items():
        package = module if file.endswith("__init__.py") else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(source, file)):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # ``from slaforge.x import y`` imports slaforge.x.y when y is a module
                names = [f"{base}.{a.name}" if f"{base}.{a.name}" in sources else base for a in node.names]
            for name in names:
                if name == "slaforge" or name.startswith("slaforge."):
                    target = name
                    while target not in sources and "." in target:
                        target = target.rpartition(".")[0]
                    yield Import(module, target, file, node.lineno)


def why_not(found: Import) -> str | None:
    """Why ``found`` breaks the layering, or None when it is allowed."""
    source, target = room(found.module), room(found.target)
    if source == target:
        return None
    if source == RENDERERS and FLOORS[target] != 0:
        return "renderers read only the document tree: they import the bottom floor and their own modules"
    if target == RENDERERS and source == "slaforge.compose":
        return "compose and renderers stand side by side and never import each other"
    low, high = FLOORS[source], FLOORS[target]
    if low > high:
        return None
    if low == high and low == 0:
        return None  # the bottom floor: the tree and small helpers
    if source in FEATURES and target in FEATURES:
        return "features never import each other; what two features share moves down a floor"
    if low == high:
        return f"{source} and {target} stand side by side on one floor and never import each other"
    return f"{source} (floor {low}) may not import {target} (floor {high}), a floor above it"


def circles(found: list[Import]) -> Iterator[list[Import]]:
    """One loop of imports for each group of modules that import each other, as the imports that close it."""
    graph: dict[str, list[Import]] = {}
    for item in found:
        if item.module != item.target:
            graph.setdefault(item.module, []).append(item)
    seen: set[str] = set()
    for start in sorted(graph):
        if start in seen:
            continue
        loop = _shortest_loop(graph, start)
        if loop:
            seen.update(edge.module for edge in loop)
            yield loop


def _shortest_loop(graph: dict[str, list[Import]], start: str) -> list[Import]:
    """The shortest chain of imports from ``start`` back to ``start`` (breadth first), or none."""
    paths: dict[str, list[Import]] = {start: []}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for edge in graph.get(module, []):
            if edge.target == start:
                return [*paths[module], edge]
            if edge.target not in paths:
                paths[edge.target] = [*paths[module], edge]
                queue.append(edge.target)
    return []


def violations(sources: Mapping[str, tuple[str, str]]) -> list[str]:
    found = list(dict.fromkeys(imports(sources)))
    out = []
    allowed = []
    for item in found:
        reason = why_not(item)
        if reason:
            out.append(f"{item.file}:{item.line}: {item.module} imports {item.target}: {reason}")
        else:
            allowed.append(item)
    for loop in circles(allowed):  # an import that breaks the floors is named above, not in every loop it closes
        names = " -> ".join([*(e.module for e in loop), loop[0].module])
        for edge in loop:
            out.append(
                f"{edge.file}:{edge.line}: {edge.module} imports {edge.target}: modules never import each "
                f"other in a circle ({names})"
            )
    return out


def test_the_package_keeps_its_floors() -> None:
    problems = violations(package_sources())
    assert not problems, "\n".join(problems)


def test_every_module_stands_on_a_floor() -> None:
    unplaced = sorted({room(m) for m in package_sources()} - set(FLOORS))
    assert not unplaced, f"rooms on no floor (add them to FLOORS in {Path(__file__).name}): {unplaced}"


# the imports the layering exists to refuse: each, added to the real package, is named
REFUSED = [
    ("slaforge.portfolio.build", "from slaforge.offers.build import check_offer", "features never import each other"),
    ("slaforge.compose.lint", "from slaforge.layers.inherit import read_portfolio", "floor 4) may not import"),
    ("slaforge.export.openslo", "from slaforge.reports.report import report_document", "features never import"),
    ("slaforge.layers.inherit", "from slaforge.writers import write_all", "stand side by side on one floor"),
    ("slaforge.layers.levels", "from slaforge.portfolio.build import build_portfolio", "floor 5) may not import"),
    ("slaforge.spec.checks", "from slaforge.spec.loader import load_spec", "in a circle"),
    ("slaforge.renderers.html", "from slaforge.spec.models import Spec", "renderers read only the document tree"),
    ("slaforge.spec.models", "from slaforge.compose.resolve import resolve", "floor 1) may not import"),
    ("slaforge.compose.assembly", "from slaforge.renderers import render", "never import each other"),
]


@pytest.mark.parametrize(("module", "statement", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_import_is_named_with_its_file_and_line(module: str, statement: str, reason: str) -> None:
    sources = package_sources()
    file, source = sources[module]
    body = f"{source}\n\ndef _added() -> None:\n    {statement}\n"
    line = body.count("\n", 0, body.index(statement)) + 1
    problems = violations({**sources, module: (file, body)})
    target = statement.split()[1]
    named = [p for p in problems if p.startswith(f"{file}:{line}: {module} imports {target}")]
    assert named and reason in named[0], "\n".join(problems)
