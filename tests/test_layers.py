"""The architecture holds: a pure core, thin hosts, guarded public names."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import refund_xl

CORE = ["_core.vocab", "_core.fields", "_core.settings", "_core.rules", "_core.engine", "_core.replies",
        "_core.errors", "_core.render", "_core.presets", "_core.report", "_core.context", "_core.ranges",
        "_app.book", "_app.batch", "_app.batch.columns", "_app.batch.merge", "_app.batch.sheets",
        "_app.batch.layout", "_app.table", "_app.outputs", "_app.fill", "_app.intake",
        "_app.track", "_app.track_run", "_app.reference", "_template.runtime", "_core.trace_codes",
        # the courier client does network I/O, but loads no spreadsheet library
        "_courier", "_courier.protocol", "_courier.client", "_courier.account", "_courier.transport"]
HOST_LIBRARIES = ["xlwings", "openpyxl", "xlsxwriter", "python_calamine", "pandas"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_host_library(module):
    # a fresh interpreter, so nothing else has loaded the libraries
    code = (f"import importlib, sys; importlib.import_module('refund_xl.{module}'); "
            f"print(','.join(m for m in {HOST_LIBRARIES!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"refund_xl.{module} pulls in {out.stdout.strip()}"


def test_public_names_exist_and_nothing_else_is_promised():
    for name in refund_xl.__all__:
        assert hasattr(refund_xl, name), name
    assert set(refund_xl.__all__) >= {"evaluate", "Settings", "RefundXLError", "SettingsError"}


def test_every_product_error_is_a_refund_xl_error():
    for name in ("SettingsError", "ColumnsError", "InputFileError", "OutputFileError", "BusyError"):
        assert issubclass(getattr(refund_xl, name), refund_xl.RefundXLError)


PACKAGE = Path(refund_xl.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = ["refund_xl", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (never run)."""
    hidden = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return hidden


def import_graph() -> dict[str, set[str]]:
    """Each refund_xl module → the refund_xl modules it imports, at any level (a function-level import
    is an arrow too: it only hides a cycle).  ``from pkg import sub`` points at ``sub``."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hidden = _type_checking_only(tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        arrows = set()
        for node in ast.walk(tree):
            if id(node) in hidden:
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names]
            else:
                continue
            arrows |= {t for t in targets if t in paths and t != name}
        graph[name] = arrows
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_no_import_cycles_inside_refund_xl():
    graph = import_graph()
    assert "refund_xl._core.presets" in graph["refund_xl._core.fields"]  # the graph sees real arrows
    assert cycles(graph) == [], "modules importing each other (directly or round a loop)"
