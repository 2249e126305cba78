"""`refund-xl fill` on a workbook file: the use case :func:`refund_xl._app.fill.run_fill` over the file's
:class:`~refund_xl._files.filebook.FileBook` (safe-write path), which lays the block out
(``FileBook.put_results``: the 8 result cells of every row appended as one block, not edited cell by
cell; widths where the desk has none, 处理动作 / 判定依据 / 回复话术 wrapped, the header row in the
product's header style — issue 20).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from refund_xl._app import book as book_mod
from refund_xl._app.fill import FillPlan, run_fill
from refund_xl._core import context
from refund_xl._core.errors import InputFileError
from refund_xl._files import filebook

__all__ = ["fill_book"]


def fill_book(path: str, now: datetime | None = None, sheet: str | None = None) -> FillPlan:
    """Write the plan into the workbook at ``path`` in place, after a backup (filebook.open_book)."""
    if not Path(path).is_dir() and not Path(path).exists():  # open_book makes a new book; fill needs one
        raise InputFileError(f"找不到文件：{path}")
    with filebook.open_book(path) as book:
        ctx = context.build(book_mod.own_tables(book), now=now)
        return run_fill(book, ctx, sheet=sheet, name=Path(path).name)
