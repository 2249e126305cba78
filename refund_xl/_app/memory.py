"""In-memory stand-ins for the hosts: a :class:`~refund_xl._app.book.Book` and an archive
:class:`~refund_xl._app.archive.Shelf` held as Python lists, for tests of the use cases.

They behave as the file host does where the use cases can see it: an output sheet is
written cell for cell, unchanged cells stay (:func:`~refund_xl._app.batch.changed_blocks`),
removed rows close up, nothing else changes.  No I/O.
"""

from __future__ import annotations

import contextlib
from typing import Iterator, Mapping, Sequence

from refund_xl._core.fields import Aliases
from refund_xl._core.ranges import put_cells
from refund_xl._app.archive import ARCHIVE_SHEET, RISK_SHEET, Key, Look, SheetWrite, ShelfSheet, key_columns, key_of
from refund_xl._app.batch import SheetSpec
from refund_xl._app.fill import FillPlan

__all__ = ["MemoryBook", "MemoryShelf"]

Rows = list[list[object]]


class MemoryBook:
    """A workbook as ``{sheet: rows}`` (0-based lists from A1); ``calls`` lists each write as
    (method, sheet), in order."""

    def __init__(self, sheets: Mapping[str, Sequence[Sequence[object]]] | None = None, active: str | None = None):
        self.sheets: dict[str, Rows] = {n: [list(r) for r in rows] for n, rows in (sheets or {}).items()}
        self.active = active
        self.specs: dict[str, SheetSpec] = {}  # the last layout each output sheet was written with
        self.calls: list[tuple[str, str]] = []

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def active_sheet(self) -> str | None:
        return self.active

    def rows(self, name: str) -> Rows:
        return [list(r) for r in self.sheets[name]]

    def head(self, name: str, n: int = 20) -> Rows:
        return self.rows(name)[:n]

    def put_sheet(self, spec: SheetSpec, previous: Rows | None = None) -> None:
        """The sheet's cells become ``spec.rows`` (what FileBook and ExcelBook leave: changed cells
        written, cells the new table no longer has cleared)."""
        self.calls.append(("put_sheet", spec.name))
        self.specs[spec.name] = spec
        self.sheets[spec.name] = [list(r) for r in spec.rows]

    def set_cells(self, name: str, cells: Mapping[tuple[int, int], object]) -> None:
        self.calls.append(("set_cells", name))
        self._set(name, cells)

    def _set(self, name: str, cells: Mapping[tuple[int, int], object]) -> None:
        put_cells(self.sheets[name], cells)

    def write_block(self, name: str, row0: int, rows: list[list[object]]) -> None:
        self.calls.append(("write_block", name))
        self._set(name, {(row0 + i, c): v for i, row in enumerate(rows) for c, v in enumerate(row)})

    def remove_rows(self, name: str, rows: Sequence[int]) -> None:
        self.calls.append(("remove_rows", name))
        gone = set(rows)
        self.sheets[name] = [r for i, r in enumerate(self.sheets[name]) if i not in gone]

    def result_anchor(self, name: str) -> tuple[int, int] | None:
        return None  # values only: a list holds no formula

    def result_area(self, name: str) -> tuple[int, int] | None:
        return None  # no print settings

    def put_results(self, name: str, plan: FillPlan) -> None:
        self.set_cells(name, plan.updates)


class _MemoryDrawer:
    def __init__(self, shelf: "MemoryShelf", year: int):
        self.shelf, self.year = shelf, year

    def look(self, keys: set[Key], aliases: Aliases = None) -> Look:
        book = self.shelf.books.get(self.year)
        look = Look(self.shelf.name(self.year), exists=book is not None)
        if book is None:
            return look
        mains = sorted((n for n in book if n.startswith(ARCHIVE_SHEET)), key=lambda n: (len(n), n))
        for name in [*mains, *([RISK_SHEET] if RISK_SHEET in book else [])]:
            rows = book[name]
            headers = [("" if h is None else str(h)) for h in (rows[0] if rows else [])]
            look.sheets.append(ShelfSheet(name, headers, len(rows)))
            at = key_columns(headers, aliases)
            for row in rows[1:]:
                k = key_of({f: row[c] if c < len(row) else None for f, c in at.items()})
                if k in keys:
                    look.found.setdefault(k, []).append(dict(zip(headers, row)))
        return look

    def write(self, writes: list[SheetWrite]) -> None:
        if self.shelf.fail_on_write:
            raise OSError("disk full (test)")
        book = self.shelf.books.setdefault(self.year, {})
        for w in writes:
            rows = book.setdefault(w.name, [list(w.headers)])
            rows[0] = list(w.headers)
            rows.extend(list(r) for r in w.rows)
        self.shelf.writes += 1


class MemoryShelf:
    """Archive workbooks as ``{year: {sheet: rows}}``."""

    def __init__(self, stem: str = "售后登记"):
        self.stem = stem
        self.books: dict[int, dict[str, Rows]] = {}
        self.writes = 0
        self.fail_on_write = False

    def years(self) -> list[int]:
        return sorted(self.books)

    def name(self, year: int) -> str:
        from refund_xl._app.archive import archive_name

        return archive_name(self.stem, year)

    @contextlib.contextmanager
    def open(self, year: int) -> Iterator[_MemoryDrawer]:
        yield _MemoryDrawer(self, year)

    def risk_rows(self, unread: list[str] | None = None) -> list[tuple[str, list[object], Rows]]:
        out = []
        for year in self.years():
            rows = self.books[year].get(RISK_SHEET)
            if rows:
                out.append((self.name(year), list(rows[0]), [list(r) for r in rows[1:]]))
        return out
