"""One interface for a workbook the product reads and writes, and the one daily batch over it.

Two adapters implement :class:`Book`:

* :class:`refund_xl._files.filebook.FileBook` — a workbook file, zip-level, through the
  safe-write path (lock, office locks, fingerprint, backup, atomic replace);
* :class:`refund_xl.macros.ExcelBook` — the open workbook in Excel, over xlwings
  (the ribbon buttons).

Both hosts find the tracking sheet with :func:`find_tracking`, build their
:class:`~refund_xl._core.context.Context` from :func:`own_tables`, and run the daily
batch with :func:`run_batch`, which lays each output sheet out with the same
:class:`~refund_xl._files.xlsxpatch.SheetSpec`.  Pure: imports no host library.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable, Mapping, NamedTuple, Protocol, Sequence

from refund_xl._app import batch
from refund_xl._core import context, fields
from refund_xl._core.context import Context
from refund_xl._core.fields import ColumnMap
from refund_xl._core.errors import InputFileError
from refund_xl._core.fields import Aliases
from refund_xl._app.batch import SheetSpec, sheet_specs
from refund_xl._app.track import CARRIER_SHEET

if TYPE_CHECKING:  # the type only: archive builds on this module
    from refund_xl._app.archive import Shelf

__all__ = ["Book", "ReadBook", "Tracking", "find_tracking", "own_tables", "run_batch", "put_rows", "NOT_TRACKING"]

Rows = list[list[object]]

# Sheets that are never the tracking sheet: the product's outputs, the team's own tables and
# track's courier-code table.
NOT_TRACKING = frozenset({*batch.OUTPUT_SHEETS, *context.OWN_SHEETS, CARRIER_SHEET, "xlwings.conf"})


class ReadBook(Protocol):
    """What finding and reading a table needs of a workbook (sheet rows are 0-based lists from A1)."""

    @property
    def sheet_names(self) -> list[str]: ...

    def active_sheet(self) -> str | None:
        """The sheet the user is looking at (Excel), None for a file."""

    def rows(self, name: str) -> Rows:
        """Every cell from A1 to the last used cell, as values."""

    def head(self, name: str, n: int = 20) -> Rows:
        """The first ``n`` rows (enough to recognise a layout)."""


class Book(ReadBook, Protocol):
    """What the product does to a workbook: :class:`ReadBook` and the writes."""

    def put_sheet(self, spec: SheetSpec, previous: Rows | None = None) -> None:
        """An output sheet written per its layout; cells equal to ``previous`` (what the
        sheet held when read) are left alone."""

    def set_cells(self, name: str, cells: Mapping[tuple[int, int], object]) -> None:
        """Single cells ((row0, col0) → value) of an existing sheet."""

    def write_block(self, name: str, row0: int, rows: list[list[object]]) -> None:
        """Whole rows written from column A at ``row0`` (0-based) of an existing sheet (import's new cases)."""

    def remove_rows(self, name: str, rows: Sequence[int]) -> None:
        """Whole rows (0-based) deleted as Excel's 删除行 does: rows below move up, references with them."""


class Tracking(NamedTuple):
    """The tracking table found in a book: its sheet, the 0-based header row, headers, data rows, and
    where each field sits (resolved once when the table was found: every step of the run reads it)."""

    sheet: str
    at: int
    headers: list[object]
    rows: Rows
    columns: ColumnMap


def find_tracking(book: ReadBook, wanted: str | None = None, aliases: Aliases = None, name: str | None = None,
                  active: bool = True) -> Tracking:
    """THE tracking-sheet finder of every host.

    ``wanted`` (``--sheet``) when given; else the active sheet (Excel) when it
    holds a tracking table; else the first sheet in book order whose headers
    resolve 订单号 and 售后类型, skipping output sheets and the team's tables.
    Sheets are read one at a time and the search stops at the first table.
    ``name`` names the book in the message when nothing is found.
    """
    names = list(book.sheet_names)
    if wanted:
        if wanted not in names:
            raise InputFileError(f"{name or '工作簿'} 中没有名为「{wanted}」的工作表（现有：{'、'.join(names)}）")
        order = [wanted]
    else:
        current = book.active_sheet() if active else None
        order = ([current] if current in names and current not in NOT_TRACKING else []) + \
                [n for n in names if n not in NOT_TRACKING and not _moved_output(n)]
    looked = hint = None
    order = list(dict.fromkeys(order))
    for sheet in order:
        rows = book.rows(sheet)
        found = fields.split_table(rows, aliases)
        if found is not None:
            return Tracking(sheet, found.at, found.headers, found.body, found.columns)
        looked = fields.header_scan(rows)
        if hint is None and (hint := fields.header_hint(rows, aliases)) is not None and len(order) > 1:
            hint = f"工作表「{sheet}」{hint}"  # (the first sheet whose row reads as a header row: what it lacks)
    raise InputFileError(fields.no_table_message(f"工作表「{wanted}」" if wanted else name,
                                                 looked if wanted else None, hint))


def _moved_output(name: str) -> bool:
    """An output sheet written beside a desk's own sheet of the same name: 「拦截登记（售后助手）」."""
    return any(name.startswith(f"{out}（售后助手") for out in batch.OUTPUT_SHEETS)


def own_tables(book: ReadBook) -> dict[str, Rows]:
    """The team's own tables in the book (设置, 列名映射, 值映射, 话术模板): what a context is built from."""
    names = book.sheet_names
    return {n: book.rows(n) for n in context.OWN_SHEETS if n in names}


def run_batch(book: Book, ctx: Context, part: str = "daily", *, tracking: Tracking | None = None,
              sheet: str | None = None, run_at: datetime | None = None, fill_intercepts: bool = True,
              say: Callable[[str], None] = lambda _text: None, shelf: Shelf | None = None) -> batch.BatchResult:
    """The daily batch (or one ribbon button's part of it) on ``book``: the one orchestration of both hosts.

    Finds the tracking sheet (unless ``tracking`` is given: the file host's
    working copy reads it from another file), reads what earlier runs left in
    the output sheets, runs :func:`refund_xl._app.batch.run`, and writes each output
    sheet through ``book.put_sheet`` with its layout.  An output sheet name the
    desk already uses for a sheet of its own is left alone; the output goes to
    「名称（售后助手）」 and a note says so.  Empty 拦截状态 cells of the
    tracking sheet (and cells still holding what a run copied there) take what staff typed in
    拦截登记 (``fill_intercepts``; only by a run that writes 拦截登记, which remembers them).  ``shelf``: the book's
    archives (:class:`refund_xl._app.archive.Shelf`), whose 钱货两空待核 sheets 钱货两空核查 lists and
    今日概览 and 运行日志 count under 钱货两空风险.
    """
    tracking = tracking or find_tracking(book, sheet, ctx.mappings)
    names = book.sheet_names
    wanted = batch.PARTS[part]
    places: dict[str, str] = {}
    previous: dict[str, Rows] = {}
    moved_aside: list[str] = []
    for name in batch.OUTPUT_SHEETS:
        # a merged sheet is recognised by its header row wherever it is (read whole: it is read anyway)
        place, moved = batch.output_name(name, names, book.rows if name in batch.MERGED_SHEETS else book.head)
        places[name] = place
        if moved:
            moved_aside.append(f"工作簿中已有不是本工具生成的「{name}」，未改动它，输出写到「{place}」")
        # 拦截登记 is read for every part: the 拦截状态 staff typed there is what this run decides on
        if place in names and name in batch.MERGED_SHEETS and (name in wanted or name == batch.REGISTER):
            previous[name] = book.rows(place)
    # the archives' cases at 钱货两空 risk: listed by 钱货两空核查, counted by 今日概览 and by every run's 运行日志.
    # Only the run that writes 钱货两空核查 needs them: an archive another part cannot read is skipped
    # (the run's notes and 运行日志 say the risk count leaves it out), never a reason to stop 拦截登记.
    unread: list[str] | None = None if batch.AUDIT in wanted else []
    archived = shelf.risk_rows(unread) if shelf is not None else []
    say(f"判定「{tracking.sheet}」{len(tracking.rows)} 行 …")
    result = batch.run_table(tracking.rows, list(tracking.headers), ctx, previous, columns=tracking.columns,
                             run_at=run_at or datetime.now().replace(microsecond=0), part=part,
                             sheet=tracking.sheet, basis=ctx.now_text(), archived=archived,
                             fills=fill_intercepts, unread=unread or ())
    say("写出 " + "、".join(places[n] for n in result.sheets) + " …")
    for spec in sheet_specs(result):
        original = spec.name
        spec.name = places[original]
        before = previous.get(original)
        gone = result.removed.get(original)
        if gone and before is not None and spec.name in names:
            book.remove_rows(spec.name, gone)  # as 删除行: what staff put on the other rows stays with them
            dropped = set(gone)
            before = [r for i, r in enumerate(before) if i not in dropped]
        book.put_sheet(spec, before)
    if fill_intercepts and batch.REGISTER in result.sheets:  # 拦截登记 remembers the words written (已回填售后表)
        _fill_intercepts(book, tracking, ctx, result.intercept_fed)
    result.notes.extend(moved_aside)  # the summary says where an output went instead
    return result


def _fill_intercepts(book: Book, tracking: Tracking, ctx: Context, fed: Mapping[int, str]) -> None:
    """An empty 拦截状态 cell of the tracking sheet takes what staff typed in 拦截登记, so the
    formula columns agree with the batch; a cell that still holds what a run copied there (拦截登记's
    已回填售后表) takes the register's newer word.  Never a cell staff typed; a sheet without a
    拦截状态 column is left as it is."""
    if not fed:
        return
    col = tracking.columns.index.get("intercept")
    if col is None:
        return
    book.set_cells(tracking.sheet, {(tracking.at + 1 + i, col): word for i, word in sorted(fed.items())})


def put_rows(book: Book, name: str, rows: Sequence[Sequence[object]], widths: Sequence[float] = ()) -> None:
    """A plain table written as a sheet of its own (读取报告 of 检查表头, 运行日志 of an import)."""
    book.put_sheet(SheetSpec(name=name, rows=[list(r) for r in rows], widths=list(widths), bold_rows={0},
                             freeze_row=1, snapshot=True))
