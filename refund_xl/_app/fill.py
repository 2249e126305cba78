"""`refund-xl fill`: REFUND_TABLE's columns as plain values next to the tracking data (contract §7).

:func:`plan_fill` is pure: the tracking sheet's rows in, the cell updates out
(``{(row0, col0): value}``, 0-based sheet coordinates).  ``fill_file.fill_book``
is the file adapter: it reads the book, plans, and writes the updates through
the safe-write path (``files.open_book``: lock, temporary file, backup,
fingerprint re-check; only the named cells change, formulas and styles elsewhere kept).

Which cells are ours: the 8 result columns, found by their headers
(处理动作, 判定依据…, in that order) when a previous fill or the template's
REFUND_TABLE formula put them there; otherwise the first 8 columns after the
last used column, one empty column apart.  Nothing else is written; result
cells of rows that are no longer cases are cleared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Sequence

from refund_xl._core import context, replies
from refund_xl._core.engine import bulk, coerce_now, coerce_settings
from refund_xl._core.errors import InputFileError
from refund_xl._core.fields import VALUES_SHEET, book_mappings, no_table_message, split_table
from refund_xl._app.table import HEADERS, HEADERS_EN, WIDTH, headers_for, read_table_columns, table_rows

__all__ = ["FillPlan", "plan_fill", "result_start"]


@dataclass
class FillPlan:
    updates: dict[tuple[int, int], object]
    header_row: int           # 0-based sheet row of the tracking headers
    first_col: int            # 0-based sheet column of 处理动作
    cases: int                # rows that got a result
    when: datetime
    counts: dict[str, int] = field(default_factory=dict)   # 处理动作 label → rows


def _text(v: object) -> str:
    return v.strip() if isinstance(v, str) else ""


def result_start(header: Sequence[object]) -> int | None:
    """Column of an existing result block in the header row (a previous fill, or the template's formula)."""
    cells = [_text(v) for v in header]
    for names in (HEADERS, HEADERS_EN):
        for i, v in enumerate(cells):
            if v == names[0] and i + 1 < len(cells) and cells[i + 1].startswith(names[1]) and \
                    all(cells[i + k] == names[k] for k in range(2, WIDTH) if i + k < len(cells)):
                return i
    return None


def _last_used_col(rows: Sequence[Sequence[object]]) -> int:
    """0-based index of the last column holding anything, -1 for an empty sheet."""
    last = -1
    for row in rows:
        n = len(row)
        while n > last + 1 and (row[n - 1] is None or row[n - 1] == ""):
            n -= 1
        if n - 1 > last:
            last = n - 1
    return last


def plan_fill(sheet_rows: Sequence[Sequence[object]], settings: object = None, now: object = None,
              templates: object = None, aliases: object = None,
              values: object = None) -> FillPlan:
    """The cell updates that put REFUND_TABLE's block next to the tracking data.

    ``aliases``: the 列名映射 dict or a :class:`~refund_xl._core.fields.Mappings`; ``values``: 值映射 rows.
    """
    found = split_table(sheet_rows, aliases)
    if found is None:
        raise InputFileError(no_table_message())
    at, headers, body = found
    s = coerce_settings(settings)
    when = coerce_now(now, s)
    header = list(sheet_rows[at])
    start = result_start(header)
    if start is None:
        start = _last_used_col(sheet_rows) + 2          # one empty column between data and results
    # The table the results are computed from: the columns left of the result block.
    data = [list(r[:start]) for r in body]
    with bulk():
        cols = read_table_columns(data, list(headers[:start]), book_mappings({VALUES_SHEET: values} if values else {},
                                                                              aliases), when)
        block = table_rows(cols, s, when, context.templates_of(templates) or dict(replies.DEFAULT_TEMPLATES))
    updates: dict[tuple[int, int], object] = {}
    for k, name in enumerate(headers_for(s, when)):
        updates[(at, start + k)] = name
    counts: dict[str, int] = {}
    cases = 0
    for i, (skip, row) in enumerate(zip(cols.blank, block)):
        r = at + 1 + i
        old = sheet_rows[r]
        for k, v in enumerate(row):
            if v == "":   # clear only a cell that holds something (fewer edits on a first fill)
                c = start + k
                if c < len(old) and old[c] not in (None, ""):
                    updates[(r, c)] = None
            else:
                updates[(r, start + k)] = v
        if not skip:
            cases += 1
            counts[row[0]] = counts.get(row[0], 0) + 1
    # Rows below the table that still hold results from an earlier, longer fill.
    for r in range(at + 1 + len(block), len(sheet_rows)):
        row = sheet_rows[r]
        for k in range(WIDTH):
            if start + k < len(row) and row[start + k] not in (None, ""):
                updates[(r, start + k)] = None
    return FillPlan(updates, at, start, cases, when, counts)
