"""`refund-xl fill` on a workbook file: the plan of :mod:`refund_xl._app.fill` through the safe-write path.

The 8 result cells of every row go in as one block (``FileBook.put_block``: appended to each row's
bytes, not edited cell by cell); the columns read for a person: widths where the desk has none,
处理动作 / 判定依据 / 回复话术 wrapped, the header row in the product's header style (issue 20).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from refund_xl._app import book as book_mod
from refund_xl._app.fill import FillPlan, plan_fill
from refund_xl._app.outputs import PERSON_COLUMNS
from refund_xl._core import context, render
from refund_xl._core.errors import InputFileError
from refund_xl._files import filebook

__all__ = ["fill_book", "formula_anchor", "RESULT_WIDTHS", "RESULT_WRAP"]

# The result block's columns (render.TABLE_KEYS) for a person: characters wide, and wrapped or not.
_LAYOUT = {c.key: (c.width, c.wrap) for c in PERSON_COLUMNS}
_LAYOUT.update({"reply": (60.0, True)})
RESULT_WIDTHS = tuple(_LAYOUT[k][0] for k in render.TABLE_KEYS)
RESULT_WRAP = tuple(_LAYOUT[k][1] for k in render.TABLE_KEYS)


_ANCHOR = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d+)"[^>]*>(?:(?!</(?:\w+:)?c>).){0,400}?'
                     rb'<(?:\w+:)?f\b[^>]*>[^<]{0,300}?REFUND_TABLE\(', re.S | re.I)


def formula_anchor(book, sheet: str) -> tuple[int, int] | None:
    """(row, column), 0-based, of a REFUND_TABLE formula in the sheet's first rows (the template's result
    block), read from the sheet's XML (values alone do not show a formula); None when there is none."""
    try:
        bounded = book._sheets.book            # the FileBook's reader of the same bytes
        with bounded.pkg.zip.open(bounded.book.sheet_parts[sheet]) as fh:
            head = fh.read(1 << 16)
    except Exception:                          # a CSV, or an unusual package: no formula block known
        return None
    m = _ANCHOR.search(head)
    if m is None:
        return None
    n = 0
    for ch in m.group(1):
        n = n * 26 + ch - 64
    return int(m.group(2)) - 1, n - 1


def fill_book(path: str, now: datetime | None = None, sheet: str | None = None) -> FillPlan:
    """Write the plan into the workbook at ``path`` in place, after a backup (filebook.open_book)."""
    if not Path(path).is_dir() and not Path(path).exists():  # open_book makes a new book; fill needs one
        raise InputFileError(f"找不到文件：{path}")
    with filebook.open_book(path) as book:
        ctx = context.build(book_mod.own_tables(book), now=now)
        target = book_mod.find_tracking(book, sheet, ctx.mappings, name=Path(path).name).sheet
        plan = plan_fill(book.rows(target), ctx.settings, ctx.now, ctx.templates, ctx.mappings,
                         anchor=formula_anchor(book, target))
        plan.reading.sheet = target
        plan.reading.basis = ctx.now_text()
        book.forget_rows(target)  # the sheet's values are planned from: not held while the file is written
        at, start = plan.header_row, plan.first_col
        book.set_cells(target, {(at, start + k): h for k, h in enumerate(plan.headers)}, style="header")
        if plan.clears:
            book.set_cells(target, plan.clears)
        book.put_block(target, at + 1, start, plan.block, ["wrap" if w else None for w in RESULT_WRAP],
                       {start + k: w for k, w in enumerate(RESULT_WIDTHS)})
    return plan
