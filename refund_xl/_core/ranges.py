"""Ranges as hosts hand them over → plain Python shapes (conversion at the boundary).

xlwings gives a 2-D list for a range, a flat list for one row or column, a
scalar for one cell and ``None`` for an empty one; a file reader gives lists
of rows.  These two functions make every one of those the shape the core reads.
"""

from __future__ import annotations

from typing import Mapping

__all__ = ["as_rows", "as_headers", "put_cells", "SheetRows", "merged_of"]


def as_rows(rows: object) -> list[list[object]]:
    """Whatever a host passes for a range → a list of row lists.

    A single row may come as a flat list, a single cell as a scalar, an empty
    range as ``None`` or ``[]``.
    """
    if rows is None:
        return []
    if not isinstance(rows, (list, tuple)):
        return [[rows]]
    if not rows:
        return []
    if not isinstance(rows[0], (list, tuple)):
        return [list(rows)]
    if isinstance(rows, list) and set(map(type, rows)) == {list}:
        return rows  # already a list of row lists (what xlwings hands over): no copy
    return [list(r) if isinstance(r, (list, tuple)) else [r] for r in rows]


def as_headers(headers: object) -> list[object]:
    """A header range (1×M, M×1 flat, or a flat list) → a flat list."""
    table = as_rows(headers)
    if not table:
        return []
    if len(table) > 1 and all(len(r) == 1 for r in table):  # a vertical range
        return [r[0] for r in table]
    return list(table[0])


def put_cells(rows: list[list[object]], cells: Mapping[tuple[int, int], object]) -> list[list[object]]:
    """Set ``(row, column) → value`` (0-based) in a grid of row lists, in place; rows and columns grow
    as needed (new cells are None).  Returns ``rows``."""
    for (r, c), v in cells.items():
        if len(rows) <= r:
            rows.extend([] for _ in range(r + 1 - len(rows)))
        row = rows[r]
        if len(row) <= c:
            row.extend([None] * (c + 1 - len(row)))
        row[c] = v
    return rows


class SheetRows(list):
    """A sheet's rows as a file reader hands them over, with the sheet's merged ranges (``merged``: 0-based
    (first row, first column, last row, last column), inclusive).  Excel keeps a merged range's value in its
    top-left cell only, and shows it over every cell of the range: the rows stay as stored (a writer compares
    and writes them cell by cell), the ranges say what the desk sees."""

    merged: tuple[tuple[int, int, int, int], ...] = ()


def merged_of(rows: object) -> tuple[tuple[int, int, int, int], ...]:
    """The merged ranges of a sheet's rows (:class:`SheetRows`), else none."""
    return getattr(rows, "merged", ())
