"""The package shows its architecture, and promises only a small public surface.

Public: the formula functions (``refund_xl.udfs``, named in xlwings.conf), the ribbon
macros (``refund_xl.macros``, named in the template's VBA), the pandas entry point
(``refund_xl.frame``), the command line (``refund_xl.cli``, the ``refund-xl`` script) and
the names of ``refund_xl`` itself.  Everything else lives in private layer folders
(``_core``, ``_app``, ``_files``, ``_excel``, ``_courier``, ``_template``) and may change.  The layers
only import downwards: the SOP core nothing above it, the application layer no host.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import refund_xl
from refund_xl import cli, frame, macros, udfs

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "refund_xl"

PUBLIC_MODULES = {"udfs", "macros", "cli", "frame"}
LAYERS = {"_core", "_app", "_files", "_excel", "_courier", "_template"}
# what each layer may import from the package (besides itself)
MAY_IMPORT = {
    "_core": set(),
    "_app": {"_core"},
    "_files": {"_core", "_app", "_template"},   # the template's layout: never write into its formula block
    "_excel": {"_core", "_app", "_template"},   # setup copies the template with its pinned runtime
    "_courier": {"_core", "_app"},              # the Kuaidi100 client: a host of the network, beside the others
    "_template": {"_core", "_app", "udfs"},     # the VBA wrappers are generated from the formula functions
}


def test_the_top_level_holds_the_public_modules_and_the_private_layers():
    modules = {p.stem for p in PKG.glob("*.py")} - {"__init__"}
    folders = {p.name for p in PKG.iterdir() if p.is_dir() and p.name not in ("__pycache__", "data")}
    assert modules == PUBLIC_MODULES
    assert folders == LAYERS


def test_the_public_surface_is_exactly_this():
    assert udfs.__all__ == ["REFUND_ACTION", "STALL_STATUS", "DEADLINE_STATUS", "HOURS_LEFT", "VALUE_TIER",
                            "LOSS_RISK", "REPLY_SCRIPT", "REFUND_TABLE"]
    assert macros.__all__ == ["intercept_register", "reply_scripts", "daily_batch", "check_headers",
                              "import_exports", "track_logistics", "refresh_results", "archive_cases"]
    assert frame.__all__ == ["evaluate_frame"]
    assert cli.__all__ == ["main"]
    assert set(refund_xl.__all__) == {"evaluate", "RowResult", "Settings", "SETTINGS", "RefundXLError",
                                      "ContextError", "SettingsError", "ColumnsError", "InputFileError",
                                      "OutputFileError", "BusyError", "__version__"}
    for module in (udfs, macros, frame, cli, refund_xl):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_the_hosts_name_the_public_modules():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"refund-xl": "refund_xl.cli:main"}
    ribbon = (PKG / "_template" / "src" / "RefundRibbon.bas").read_text(encoding="utf-8")
    called = set(__import__("re").findall(r"refund_xl\.macros\.(\w+)\(\)", ribbon))
    assert called and called <= set(macros.__all__)


def _imports(path: Path) -> set[str]:
    """The refund_xl layers a module imports (absolute imports; the package uses no relative ones)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: a relative import"
            names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "refund_xl" and len(parts) > 1:
                out.add(parts[1])
    return out


def test_layers_import_only_downwards():
    for layer, allowed in MAY_IMPORT.items():
        for path in (PKG / layer).rglob("*.py"):
            used = _imports(path) - {layer}
            wrong = {u for u in used if u in LAYERS | PUBLIC_MODULES and u not in allowed}
            assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_public_modules_are_thin_hosts_over_the_layers():
    for name in PUBLIC_MODULES:
        used = _imports(PKG / f"{name}.py")
        assert not (used & PUBLIC_MODULES - {name}), f"refund_xl.{name} imports another public module: {used}"


def test_the_one_page_map_names_every_module_and_only_modules_that_exist():
    import re

    page = (ROOT / "docs" / "map.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\b(\w+\.py)\b", page))
    existing = {p.name for p in [*PKG.rglob("*.py"), *ROOT.glob("tests/*.py"), *ROOT.glob("docs/*.py")]}
    assert named <= existing, f"docs/map.md names modules that are not there: {sorted(named - existing)}"
    for layer in LAYERS:
        for path in (PKG / layer).glob("*.py"):
            if path.name not in ("__init__.py", "__main__.py") and layer != "_template":
                assert path.name in named, f"docs/map.md does not place {path.relative_to(ROOT)}"
