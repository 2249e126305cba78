"""`refund-xl fill` on a workbook file: the plan of :mod:`refund_xl._app.fill` through the safe-write path."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from refund_xl._app import book as book_mod
from refund_xl._core import context
from refund_xl._files import files
from refund_xl._core.errors import InputFileError
from refund_xl._app.fill import FillPlan, plan_fill

__all__ = ["fill_book"]


def fill_book(path: str, now: datetime | None = None, sheet: str | None = None) -> FillPlan:
    """Write the plan into the workbook at ``path`` in place, after a backup (files.open_book)."""
    if not Path(path).is_dir() and not Path(path).exists():  # open_book makes a new book; fill needs one
        raise InputFileError(f"找不到文件：{path}")
    with files.open_book(path) as book:
        ctx = context.build(book_mod.own_tables(book), now=now)
        target = book_mod.find_tracking(book, sheet, ctx.mappings, name=Path(path).name).sheet
        plan = plan_fill(book.rows(target), ctx.settings, ctx.now, ctx.templates, ctx.mappings)
        book.forget_rows(target)  # the sheet's values are planned from: not held while the file is written
        book.set_cells(target, plan.updates)
    return plan
