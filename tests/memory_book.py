"""An in-memory :class:`refund_xl._app.book.Book` for tests of the use cases: sheets are lists of rows.

    book = MemoryBook({"售后登记": [headers, *rows]})
    run_track(book, ctx, courier)
    book.sheets["售后登记"][2][7]            # a cell, 0-based
    book.writes                              # every set_cells / put_sheet call, in order
"""

from __future__ import annotations

from typing import Mapping, Sequence


class MemoryBook:
    def __init__(self, sheets: Mapping[str, Sequence[Sequence[object]]], active: str | None = None):
        self.sheets: dict[str, list[list[object]]] = {n: [list(r) for r in rows] for n, rows in sheets.items()}
        self.active = active
        self.writes: list[tuple[str, str]] = []  # (what, sheet)

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def active_sheet(self) -> str | None:
        return self.active

    def rows(self, name: str) -> list[list[object]]:
        return [list(r) for r in self.sheets[name]]

    def head(self, name: str, n: int = 20) -> list[list[object]]:
        return self.rows(name)[:n]

    def put_sheet(self, spec, previous=None) -> None:
        self.writes.append(("put_sheet", spec.name))
        self.sheets[spec.name] = [list(r) for r in spec.rows]

    def set_cells(self, name: str, cells: Mapping[tuple[int, int], object]) -> None:
        self.writes.append(("set_cells", name))
        rows = self.sheets[name]
        for (r, c), value in cells.items():
            while len(rows) <= r:
                rows.append([])
            while len(rows[r]) <= c:
                rows[r].append(None)
            rows[r][c] = value

    def cell(self, name: str, r: int, c: int) -> object:
        row = self.sheets[name][r] if r < len(self.sheets[name]) else []
        return row[c] if c < len(row) else None

    def column(self, name: str, header: str, header_row: int = 0) -> list[object]:
        """A column's cells below its header, found by name."""
        head = self.sheets[name][header_row]
        c = head.index(header)
        return [self.cell(name, r, c) for r in range(header_row + 1, len(self.sheets[name]))]
