"""Helpers of the import tests: the import corpus generator (tests/data/exports/make_import_exports.py)
and an in-memory Book (the Book protocol of refund_xl._app.book, no file, no Excel)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from refund_xl._app.batch import SheetSpec

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"


def corpus():
    """The import corpus generator as a module (its file names, its EXPECT, its texts)."""
    if "make_import_exports" not in sys.modules:
        spec = importlib.util.spec_from_file_location("make_import_exports", EXPORTS / "make_import_exports.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["make_import_exports"] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return sys.modules["make_import_exports"]


class MemoryBook:
    """A workbook as a dict of sheets (rows from A1): what a use case sees of a book, and what it wrote."""

    def __init__(self, sheets: dict[str, list[list[object]]] | None = None):
        self.sheets = {name: [list(r) for r in rows] for name, rows in (sheets or {}).items()}
        self.specs: dict[str, SheetSpec] = {}  # the layout of each sheet put whole
        self.calls: list[tuple[str, str]] = []

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def active_sheet(self) -> None:
        return None

    def rows(self, name: str) -> list[list[object]]:
        return [list(r) for r in self.sheets[name]]

    def head(self, name: str, n: int = 20) -> list[list[object]]:
        return self.rows(name)[:n]

    def put_sheet(self, spec: SheetSpec, previous=None) -> None:
        self.calls.append(("put_sheet", spec.name))
        self.specs[spec.name] = spec
        self.sheets[spec.name] = [list(r) for r in spec.rows]

    def set_cells(self, name: str, cells) -> None:
        self.calls.append(("set_cells", name))
        rows = self.sheets[name]
        for (r, c), v in cells.items():
            rows.extend([] for _ in range(r + 1 - len(rows)))
            rows[r].extend([None] * (c + 1 - len(rows[r])))
            rows[r][c] = v

    def write_block(self, name: str, row0: int, rows) -> None:
        self.calls.append(("write_block", name))
        self.set_cells(name, {(row0 + k, c): v for k, row in enumerate(rows) for c, v in enumerate(row)})
