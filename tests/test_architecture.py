"""The layering of `dashboard/`, checked by reading the source (nothing is imported).

Data flows one way: raw files -> build -> tables -> data layer -> figures -> views ->
components -> pages (README, "Pour les développeurs"). These tests parse every module
with `ast` and check what the layers may import, that no module is too long, that no
import cycle exists, that the RPLS date is written once and that no French string
writes "(s)" (counts agree through `formatting.plural`).

The helpers are tested first on small made-up sources with known answers, so a check
that passes is known to be able to fail.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dashboard"
MAX_LINES = 400
DASH_UI = ("dash.html", "dash.dcc", "dash.dash_table", "dash_bootstrap_components",
           "dash_ag_grid", "dashboard.components")
"""What a view must not import: components of the layer above it."""
LAYERS = ("data", "figures", "views", "components", "pages")
"""The layers of `dashboard/`, in the order data flows through them."""
PLURAL_MARK = re.compile(r"[^\W\d_]\(s\)")
""""commune(s)", "absente(s)": a count written without `formatting.plural`."""


# --- reading the source ---------------------------------------------------------------

def module_name(path: Path, root: Path = ROOT) -> str:
    """"dashboard.data.schema" for dashboard/data/schema/__init__.py."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: Path = PACKAGE, root: Path = ROOT) -> dict[str, Path]:
    """Every Python module of a package folder, by dotted name."""
    return {module_name(p, root): p for p in sorted(package.rglob("*.py"))
            if "__pycache__" not in p.parts}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST, module_level: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements; with `module_level`, not those run only inside a function
    or under `if TYPE_CHECKING:` (class bodies run at import, so they count)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        for child in ast.iter_child_nodes(node):
            if module_level and (
                    isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                    or (isinstance(child, ast.If) and _is_type_checking(child))):
                continue
            stack.append(child)


def imported(source: str, name: str, known: Iterable[str], *, is_package: bool = False,
             module_level: bool = True) -> set[str]:
    """The modules a module's source imports, relative imports resolved.

    `from . import x` names the module `pkg.x` when it is one of `known`, else the
    package itself; `from .a import b` likewise names `pkg.a.b` or `pkg.a`. A name
    taken from an outside package is kept whole (`from dash import html`: "dash.html").
    """
    known = set(known)
    roots = {k.split(".")[0] for k in known}
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(source), module_level):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            continue
        if node.level:
            base_parts = package.split(".")
            base_parts = base_parts[:len(base_parts) - (node.level - 1)]
            base = ".".join(base_parts + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        for alias in node.names:
            candidate = f"{base}.{alias.name}"
            internal = node.level or base.split(".")[0] in roots
            found.add(candidate if candidate in known or not internal else base)
    return found


def import_graph(mods: Mapping[str, Path], module_level: bool = True) -> dict[str, set[str]]:
    """Module -> the modules of `mods` it imports."""
    graph = {}
    for name, path in mods.items():
        targets = imported(path.read_text(encoding="utf-8"), name, mods,
                           is_package=path.name == "__init__.py", module_level=module_level)
        graph[name] = targets
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module, or a module importing
    itself (Tarjan's algorithm, iterative), each sorted; internal edges only."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(t for t in graph[start] if t in graph)))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(t for t in graph[child] if t in graph))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    found.append(sorted(component))
    return sorted(found)


def under(name: str, prefix: str) -> bool:
    """`name` is the module `prefix` or one of its submodules."""
    return name == prefix or name.startswith(prefix + ".")


def is_dash(name: str) -> bool:
    """A module of Dash or of a Dash component library (not of `dashboard`)."""
    top = name.split(".")[0]
    return top == "dash" or top.startswith("dash_")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                ids.add(id(body[0].value))
    return ids


def plural_marks(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal (f-string parts included, docstrings
    excluded) that writes a count with "(s)"."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in skip and PLURAL_MARK.search(node.value))


# --- the helpers on known answers -----------------------------------------------------

KNOWN = {"pkg", "pkg.a", "pkg.b", "pkg.sub", "pkg.sub.c"}


@pytest.mark.parametrize(("source", "name", "is_package", "expected"), [
    ("from . import a\nfrom .b import thing", "pkg.sub.c", False, {"pkg.sub", "pkg.sub.b"}),
    ("from . import a\nfrom .b import thing", "pkg.x", False, {"pkg.a", "pkg.b"}),
    ("from .. import a, b\nfrom ..sub import c", "pkg.sub.c", False,
     {"pkg.a", "pkg.b", "pkg.sub.c"}),
    ("from . import c", "pkg.sub", True, {"pkg.sub.c"}),
    ("import os.path\nimport dash\nfrom dash import html", "pkg.a", False,
     {"os.path", "dash", "dash.html"}),
    ("def f():\n    import dash\n", "pkg.a", False, set()),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import b\n", "pkg.a",
     False, {"typing.TYPE_CHECKING"}),
    ("from .b import thing", "pkg.a", False, {"pkg.b"}),
    ("class A:\n    from . import b\n", "pkg.a", False, {"pkg.b"}),
    ("try:\n    from . import b\nexcept ImportError:\n    pass\n", "pkg.a", False, {"pkg.b"}),
])
def test_imports_are_resolved(source, name, is_package, expected):
    assert imported(source, name, KNOWN, is_package=is_package) == expected


def test_function_imports_are_found_when_asked():
    assert imported("def f():\n    import dash\n", "pkg.a", KNOWN,
                    module_level=False) == {"dash"}


def test_cycles_are_found():
    graph = {"a": {"b"}, "b": {"c", "os"}, "c": {"a"}, "d": {"d"}, "e": {"a"}, "f": set()}
    assert cycles(graph) == [["a", "b", "c"], ["d"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_module_names():
    assert module_name(ROOT / "dashboard/data/schema/__init__.py") == "dashboard.data.schema"
    assert module_name(ROOT / "dashboard/data/store.py") == "dashboard.data.store"


def test_plural_marks_are_found():
    source = ('"""Docstring: the commune(s)."""\n'
              'A = "3 commune(s)"\nB = f"{n} colonne(s) absente(s)"\nC = "(s)"\n'
              'D = "logements (sociaux)"\n')
    assert plural_marks(source) == [(2, "3 commune(s)"), (3, " colonne(s) absente(s)")]


def test_dash_modules():
    assert [is_dash(n) for n in ("dash", "dash.html", "dash_ag_grid", "dashboard.data")] == [
        True, True, True, False]


# --- the rules on dashboard/ -------------------------------------------------------------

MODULES = modules()
GRAPH = import_graph(MODULES)
ALL_IMPORTS = import_graph(MODULES, module_level=False)


def in_layer(prefix: str) -> dict[str, set[str]]:
    """Every import (function-level ones included) of the modules under `prefix`."""
    return {name: targets for name, targets in ALL_IMPORTS.items() if under(name, prefix)}


def offenders(prefix: str, forbidden) -> dict[str, list[str]]:
    """Modules under `prefix` with the imports `forbidden(target)` refuses."""
    found = {name: sorted(t for t in targets if forbidden(t))
             for name, targets in in_layer(prefix).items()}
    return {name: bad for name, bad in found.items() if bad}


def test_every_layer_is_read():
    # Known answers: the layers exist, so the rules below are not vacuous.
    for layer in ("data", "figures", "views", "components", "pages"):
        assert len(in_layer(f"dashboard.{layer}")) >= 3, layer
    assert "dashboard.data.store" in GRAPH["dashboard.views.territoire"]
    assert "dashboard.data.schema" in GRAPH["dashboard.data.store"]


def test_no_module_is_too_long():
    lengths = {name: len(path.read_text(encoding="utf-8").splitlines())
               for name, path in MODULES.items()}
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}


def layer_of(name: str) -> int | None:
    """Rank of a module's layer in `LAYERS`, None outside the layers."""
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_layer_ranks():
    assert [layer_of(n) for n in ("dashboard.data.store", "dashboard.pages.methode",
                                  "dashboard.registry", "dash.html")] == [0, 4, None, None]


def test_no_layer_imports_a_later_one():
    backwards = {name: sorted(t for t in targets
                              if layer_of(t) is not None and layer_of(t) > layer_of(name))
                 for name, targets in ALL_IMPORTS.items() if layer_of(name) is not None}
    assert {name: bad for name, bad in backwards.items() if bad} == {}


def test_no_import_cycle():
    assert cycles(GRAPH) == []


def test_data_layer_imports_no_dash():
    assert offenders("dashboard.data", is_dash) == {}


def test_figures_are_pure():
    def forbidden(target: str) -> bool:
        return (is_dash(target) or under(target, "dashboard.data.store")
                or under(target, "dashboard.views") or under(target, "dashboard.pages"))

    assert offenders("dashboard.figures", forbidden) == {}


def test_views_import_no_components_and_no_pages():
    def forbidden(target: str) -> bool:
        return (any(under(target, ui) for ui in DASH_UI)
                or under(target, "dashboard.pages"))

    assert offenders("dashboard.views", forbidden) == {}


def test_no_page_imports_the_app_factory():
    assert offenders("dashboard.pages", lambda t: under(t, "dashboard.app_factory")) == {}


def test_rpls_date_is_written_once():
    lines = [(str(path.relative_to(ROOT)), number, line)
             for path in sorted(PACKAGE.rglob("*")) if path.is_file()
             and "__pycache__" not in path.parts
             for number, line in enumerate(
                 path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
             if "janvier 2024" in line]
    # Dates are written in the source records only, the RPLS vintage on one line.
    assert {path for path, _, _ in lines} == {"dashboard/data/sources.py"}, lines
    assert len([line for *_, line in lines if "RPLS" in line]) == 1, lines


def test_no_plural_mark_in_strings():
    found = {name: plural_marks(path.read_text(encoding="utf-8"))
             for name, path in MODULES.items()}
    assert {name: marks for name, marks in found.items() if marks} == {}
