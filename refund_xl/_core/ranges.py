"""Ranges as hosts hand them over → plain Python shapes (conversion at the boundary).

xlwings gives a 2-D list for a range, a flat list for one row or column, a
scalar for one cell and ``None`` for an empty one; a file reader gives lists
of rows.  These two functions make every one of those the shape the core reads.
"""

from __future__ import annotations

from typing import Mapping

__all__ = ["as_rows", "as_headers", "put_cells"]


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
