"""Helpers of the import tests: the import corpus generator (tests/data/exports/make_import_exports.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"


def corpus():
    """The import corpus generator as a module (its file names, its EXPECT, its texts)."""
    if "make_import_exports" not in sys.modules:
        spec = importlib.util.spec_from_file_location("make_import_exports", EXPORTS / "make_import_exports.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["make_import_exports"] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return sys.modules["make_import_exports"]
