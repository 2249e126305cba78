"""`refund-xl fill`: REFUND_TABLE's columns as plain values next to the tracking data (contract §7).

:func:`plan_table` is pure: the tracking sheet's rows in, the result block out (the 8
headers, one 8-cell row per data row, the cells to empty; ``updates`` gives the same as
``{(row0, col0): value}``, 0-based sheet coordinates), with the table's reading report.
:func:`run_fill` is the use case over a :class:`~refund_xl._app.book.Book`;
``fill_file.fill_book`` is the file host: it opens the book through the safe-write path
(``filebook.open_book``: lock, temporary file, backup, fingerprint re-check; only the named
cells change, formulas and styles elsewhere kept) and builds the context.

Which cells are ours: the 8 result columns of the template's REFUND_TABLE formula when
its anchor cell is on the header row — found by the formula (the file host reads it from
the sheet's XML in every form Excel, LibreOffice and WPS store it), whatever its cached
results show: a LibreOffice/WPS save leaves #VALUE! there, a program that drops cached
values leaves nothing; else found by their headers (处理动作, 判定依据…, in that order)
when a previous fill put them there; else the sheet's print area when it is exactly the
block's 8 columns from the header row and holds nothing but errors (the template's block
whose formula was deleted); otherwise the first 8 columns after the last used column, one
empty column apart.  One block only: never a second one beside the template's.  Nothing
else is written; result cells of rows that are no longer cases are cleared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, Sequence

from refund_xl._app.book import Book, find_tracking
from refund_xl._app.outputs import PERSON_COLUMNS, last_used_col
from refund_xl._app.table import HEADERS, HEADERS_EN, WIDTH, headers_for, narrowed, table_block
from refund_xl._core import context, render, report, vocab
from refund_xl._core.context import Context
from refund_xl._core.engine import Columns
from refund_xl._core.errors import InputFileError
from refund_xl._core.fields import (Aliases, VALUES_SHEET, Table, book_mappings, header_hint, no_table_message,
                                     split_table)

__all__ = ["FillPlan", "plan_fill", "plan_table", "run_fill", "FillBook", "result_start", "block_at", "RESULT_WIDTHS",
           "RESULT_WRAP"]

# The result block's columns (render.TABLE_KEYS) for a person: characters wide, and wrapped or not
# (the file host lays the block out so; issue 20).
_LAYOUT = {c.key: (c.width, c.wrap) for c in PERSON_COLUMNS}
_LAYOUT.update({"reply": (60.0, True)})
RESULT_WIDTHS = tuple(_LAYOUT[k][0] for k in render.TABLE_KEYS)
RESULT_WRAP = tuple(_LAYOUT[k][1] for k in render.TABLE_KEYS)


@dataclass
class FillPlan:
    header_row: int           # 0-based sheet row of the tracking headers
    first_col: int            # 0-based sheet column of 处理动作
    cases: int                # rows that got a result
    when: datetime
    counts: dict[str, int] = field(default_factory=dict)   # 处理动作 label → rows
    headers: list[str] = field(default_factory=list)       # the 8 result headers (header_row, first_col…)
    block: list[list[object]] = field(default_factory=list)  # one 8-cell row per body row ("" = no value)
    clears: dict[tuple[int, int], None] = field(default_factory=dict)  # cells holding something to empty
    reading: report.ReadingReport = field(default_factory=report.ReadingReport)  # the table's reading report

    @property
    def updates(self) -> dict[tuple[int, int], object]:
        """The plan as single cells ((row0, col0) → value; None clears): headers, results, clears."""
        out: dict[tuple[int, int], object] = {(self.header_row, self.first_col + k): h
                                              for k, h in enumerate(self.headers)}
        out.update(self.clears)
        for i, row in enumerate(self.block):
            r = self.header_row + 1 + i
            for k, v in enumerate(row):
                if v != "":
                    out[(r, self.first_col + k)] = v
        return out


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


def _error_text(v: object) -> bool:
    """An error a spreadsheet left as a cell's value (#VALUE!, #NAME?, LibreOffice's Err:502)."""
    text = _text(v)
    return text in vocab.EXCEL_ERRORS or text.startswith("Err:")


def _block_header(cells: Sequence[object]) -> bool:
    """Header cells a result block may show: nothing, an error, or a result header (either language)."""
    names = {*HEADERS, *HEADERS_EN}
    return all(_text(v) == "" or _error_text(v) or _text(v) in names or
               _text(v).startswith((HEADERS[1], HEADERS_EN[1])) for v in cells)


def _only_errors(rows: Sequence[Sequence[object]], start: int) -> bool:
    """Do the 8 columns from ``start`` hold nothing but errors (or nothing) in every row?"""
    return all(v in (None, "") or _error_text(v) for r in rows for v in r[start:start + WIDTH])


def block_at(rows: Sequence[Sequence[object]], anchor: int | None = None, area: int | None = None) -> int | None:
    """Column of the result block already in a table (``rows[0]``: its header row), None without one: the
    REFUND_TABLE formula's at ``anchor`` (whatever its cached header shows), else one named by its headers
    (:func:`result_start`), else the print area's at ``area`` when those columns hold nothing but errors.
    ``anchor`` / ``area``: 0-based columns on the header row (the file host reads them, see :func:`plan_table`)."""
    header = list(rows[0]) if rows else []
    if anchor is not None and _block_header(header[anchor:anchor + WIDTH]):
        return anchor                                   # the formula's block, whatever it shows
    start = result_start(header)
    if start is None and area is not None and _only_errors(rows, area):
        start = area                                    # the template's printed block, its formula gone
    return start


def plan_fill(sheet_rows: Sequence[Sequence[object]], settings: object = None, now: object = None,
              templates: object = None, aliases: Aliases = None,
              values: Sequence[Sequence[object]] | None = None, anchor: tuple[int, int] | None = None,
              area: tuple[int, int] | None = None) -> FillPlan:
    """The result block that puts REFUND_TABLE's columns next to the tracking data (:func:`plan_table`
    with the context given in parts).

    ``aliases``: the 列名映射 dict or a :class:`~refund_xl._core.fields.Mappings`; ``values``: 值映射 rows.
    """
    maps = book_mappings({VALUES_SHEET: values} if values else {}, aliases)
    ctx = context.build(settings=settings, mappings=maps, templates=templates, now=now)
    found = split_table(sheet_rows, ctx.mappings)
    if found is None:
        raise InputFileError(no_table_message(hint=header_hint(sheet_rows, ctx.mappings)))
    return plan_table(sheet_rows, found, ctx, anchor, area)


def plan_table(sheet_rows: Sequence[Sequence[object]], found: Table, ctx: Context,
               anchor: tuple[int, int] | None = None, area: tuple[int, int] | None = None) -> FillPlan:
    """The result block for the tracking table ``found`` in ``sheet_rows`` (the sheet's rows from A1),
    for a run's context.  The results are :func:`~refund_xl._app.table.table_block`'s, as the
    template's formula and 刷新判定 compute them.

    ``anchor``: (row, column), 0-based, of a REFUND_TABLE formula (the file host finds it in the sheet's
    formulas): on the header row, its block is ours whatever its cached results show — none (a program
    that drops them), #VALUE! (saved by LibreOffice/WPS, which cannot run it) — so no second block is
    added beside it.  ``area``: the top-left cell of the sheet's print area when it is exactly 8
    columns wide (the template prints its block): ours when it starts on the header row and holds
    nothing but errors, the template's block whose formula is gone.
    """
    at, headers, body = found.at, found.headers, found.body
    s, when = ctx.settings, ctx.now
    start = block_at(sheet_rows[at:], anchor[1] if anchor is not None and anchor[0] == at else None,
                     area[1] if area is not None and area[0] == at else None)
    if start is None:
        start = last_used_col(sheet_rows) + 2           # one empty column between data and results
    # The table the results are computed from: the columns left of the result block (a row that
    # reaches no further is taken as it is: no second copy of the sheet on a first fill).
    data = [r if len(r) <= start and isinstance(r, list) else list(r[:start]) for r in body]
    read: list[Columns] = []
    block = table_block(data, list(headers[:start]), ctx, header=False,
                        columns=narrowed(found.columns, range(min(start, len(headers)))), cols_out=read)
    block = block[:len(data)]
    cols = read[0]
    clears: dict[tuple[int, int], None] = {}
    counts: dict[str, int] = {}
    cases = 0
    for i, (skip, row) in enumerate(zip(cols.blank, block)):
        old = sheet_rows[at + 1 + i]
        if len(old) > start:   # a cell that holds something and gets no value is emptied
            for k, v in enumerate(row):
                c = start + k
                if v == "" and c < len(old) and old[c] not in (None, ""):
                    clears[(at + 1 + i, c)] = None
        if not skip:
            cases += 1
            label = str(row[0])  # 处理动作: text
            counts[label] = counts.get(label, 0) + 1
    # Rows below the table that still hold results from an earlier, longer fill.
    for r in range(at + 1 + len(block), len(sheet_rows)):
        below = sheet_rows[r]
        for k in range(WIDTH):
            if start + k < len(below) and below[start + k] not in (None, ""):
                clears[(r, start + k)] = None
    reading = report.build(cols, None)
    for v in sheet_rows[at][start:start + WIDTH]:    # the block's own header cells (#VALUE!) are no unused column
        if _text(v) in reading.unused:
            reading.unused.remove(_text(v))
    return FillPlan(at, start, cases, when, counts, headers_for(s, when), block, clears, reading)


class FillBook(Book, Protocol):
    """A :class:`~refund_xl._app.book.Book` `fill` writes into (the file host, the in-memory book)."""

    def result_anchor(self, name: str) -> tuple[int, int] | None:
        """(row, column), 0-based, of the template's REFUND_TABLE formula in the sheet, None without one."""

    def result_area(self, name: str) -> tuple[int, int] | None:
        """(row, column), 0-based, of the sheet's print area's first cell when the area is exactly the
        block's 8 columns wide, None otherwise."""

    def put_results(self, name: str, plan: FillPlan) -> None:
        """The result block: its 8 headers, one row of 8 values per data row ("" = no value) and the
        cells to empty (``plan.clears``), laid out for a person."""


def run_fill(book: FillBook, ctx: Context, *, sheet: str | None = None, name: str | None = None) -> FillPlan:
    """`refund-xl fill` on ``book``: find the tracking sheet, plan, write the 8 headers, the results
    and the cells to empty through ``book.put_results`` (the host lays them out).  The one use case
    of the command; the host only opens the book and builds the context."""
    tracking = find_tracking(book, sheet, ctx.mappings, name=name)
    target = tracking.sheet
    found = Table(tracking.at, tracking.headers, tracking.rows, tracking.columns)
    plan = plan_table(book.rows(target), found, ctx, book.result_anchor(target), book.result_area(target))
    del tracking, found
    plan.reading.sheet = target
    plan.reading.basis = ctx.now_text()
    plan.reading.notes, plan.reading.english = list(ctx.notes), ctx.english
    book.put_results(target, plan)
    return plan
