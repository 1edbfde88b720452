"""The Python modules import each other in one direction: no cycles (widget ↔ headless was one),
counting imports inside functions too, and each module imports on its own in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import ROOT

PACKAGE = ROOT / "facescope"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py"))


def imports_of(path: Path) -> set[str]:
    """The facescope modules ``path`` imports, anywhere in it (functions included), but for the
    annotation-only imports under ``if TYPE_CHECKING:``, which never run."""
    tree = ast.parse(path.read_text())
    typing_only = {
        id(n)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
        for stmt in block.body
        for n in ast.walk(stmt)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:  # from . import options
                found.update(a.name for a in node.names if (PACKAGE / f"{a.name}.py").exists())
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("facescope."):
            found.add(node.module.split(".")[1])
    return found & set(MODULES)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (as a path that ends where it starts), or None."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt, path + [nxt])):
                return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


def test_annotation_only_imports_are_not_counted(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .results import Results\n"
        "def f():\n    from .widget import FaceScope\n"
    )
    assert imports_of(module) == {"widget"}


def test_find_cycle_sees_one():
    assert find_cycle({"widget": {"headless"}, "headless": {"results", "widget"}}) == ["headless", "widget", "headless"]
    assert find_cycle({"widget": {"_errors"}, "headless": {"_errors"}}) is None


def test_the_package_has_no_import_cycles():
    # __init__ re-exports the others; a module importing the package itself would show up here.
    graph = {name: imports_of(PACKAGE / f"{name}.py") - {"__init__"} for name in MODULES}
    assert find_cycle(graph) is None, graph
    assert "widget" not in graph["headless"] and "headless" not in graph["widget"]


@pytest.mark.parametrize("name", [m for m in MODULES if m not in ("__main__", "__init__", "demo")])
def test_each_module_imports_alone(name):
    done = subprocess.run([sys.executable, "-c", f"import facescope.{name}"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_import_facescope_and_the_cli_leave_out_the_widget_stack():
    """The CLI and `facescope.analyze` need neither the widget (anywidget, ipywidgets) nor pandas or numpy
    at import: each would add to every command's start-up. `facescope.FaceScope` still works."""
    heavy = ("facescope.widget", "anywidget", "ipywidgets", "pandas", "numpy")
    code = (
        "import sys, facescope, facescope.__main__; "
        f"print([m for m in {heavy!r} if m in sys.modules]); "
        "print(facescope.FaceScope.__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "FaceScope"]
