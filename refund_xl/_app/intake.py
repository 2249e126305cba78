"""Daily intake (contract §7 ``import``): THE use case of ``refund-xl import`` and the ribbon's 导入平台导出.

Both hosts open the exports as :class:`ExportSource` objects (the file host
:mod:`refund_xl._files.intake_files` streams them from disk), build the run's
:class:`~refund_xl._core.context.Context` and call :func:`run_import` with
their :class:`~refund_xl._app.book.Book` — the command line a ``FileBook`` (safe
write), the ribbon an ``ExcelBook``.  Everything between is here, once: which
sheet the cases go into, reading the exports (:mod:`refund_xl._app.intake_read`,
streamed, personal data masked), the merge with its keys and its report
(:mod:`refund_xl._app.intake_merge`), the layout of a sheet import creates, the
运行日志 line and the words the user reads (:meth:`ImportResult.report`).
No file, no Excel, no clock.

An export that cannot be read (a damaged zip, an unknown encoding, no case
table) is skipped with one line and the others are still imported; when none
can be read nothing is written and :class:`~refund_xl._core.errors.InputFileError`
says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Iterator, Protocol, Sequence

from refund_xl._core import fields, rules, vocab
from refund_xl._core.context import Context
from refund_xl._core.errors import InputFileError, RefundXLError
from refund_xl._core.fields import Aliases, FIELD_BY_KEY
from refund_xl._app import batch
from refund_xl._app.batch import LOG, SheetSpec
from refund_xl._app.book import NOT_TRACKING, Book, find_tracking
from refund_xl._app.intake_merge import CONFLICT_SEP, MergePlan, plan_merge
from refund_xl._app.intake_read import ExportRead, Skipped, read_export

__all__ = ["ExportSource", "ImportResult", "run_import", "read_source", "read_export", "plan_merge",
           "new_sheet_headers", "tracking_spec", "log_rows", "NOTE_HEADER", "RUN_NAME", "CONFLICT_SEP"]

NOTE_HEADER = "跟进备注"
RUN_NAME = "导入平台导出"
TRACKING_SHEET = fields.TRACKING_SHEET
NO_TABLE = "找不到售后单表（需要订单号和售后类型列）"
SHOWN_LINES = 30  # report lines (skips, merges, conflicts) printed in full; the counts cover the rest


class ExportSource(Protocol):
    """One export file as a host hands it over."""

    name: str  # the file's name, as messages say it

    def tables(self) -> Iterator[tuple[str, Iterable[Sequence[object]]]]:
        """(sheet name, its rows) for each sheet, rows as they come (a CSV is one sheet).

        Raises :class:`~refund_xl._core.errors.RefundXLError` with one Chinese line when
        the file cannot be read — also half-way through its rows."""


def new_sheet_headers() -> list[str]:
    """The tracking sheet a new book gets: 平台, the §2 headers with 商品名称, 收件人手机, 退货物流单号 and
    退货快递公司 beside theirs, and 跟进备注 (物流状态 … 客户反馈 are §2 headers)."""
    after = {"case_id": ("goods_name",), "tracking_no": ("phone",),
             "return_logistics": ("return_tracking_no", "return_carrier")}
    placed = {"platform", *rules.TIME_SAYS, *(k for ks in after.values() for k in ks)}  # (no times written down: intake_read)
    out = [FIELD_BY_KEY["platform"].header]
    for f in fields.FIELDS:
        if f.key in placed:
            continue
        out.append(f.header)
        out.extend(FIELD_BY_KEY[k].header for k in after.get(f.key, ()))
    out.append(NOTE_HEADER)
    return out


# Widths of the sheet import creates (contract §7; issue 20: no ### for a time, a 19-digit id shown whole).
_ID_WIDTH = 22.0     # 19 digits and a margin, as the template's 售后登记
_TIME_WIDTH = 18.0   # 2025-06-10 12:00 (yyyy-mm-dd hh:mm) and a margin
_WIDE = {"reason": 24.0, "goods_name": 26.0, "province": 10.0, "platform": 9.0}
_TIME_KEYS = frozenset(f.key for f in fields.FIELDS if f.parse in vocab.DATE_PARSERS)
_ID_KEYS = frozenset({"order_id", "case_id", "tracking_no", "return_tracking_no"})


def tracking_spec(name: str, headers: Sequence[object], rows: Sequence[Sequence[object]]) -> SheetSpec:
    """The sheet import creates, laid out like the template's 售后登记: the header bold on the
    template's fill, frozen with the id columns, a filter; times and ids wide enough to show whole."""
    cmap = fields.resolve(headers)
    key_at = {c: k for k, c in cmap.index.items()}
    widths = []
    for c, h in enumerate(headers):
        k = key_at.get(c)
        if k in _ID_KEYS:
            widths.append(_ID_WIDTH)
        elif k in _TIME_KEYS:
            widths.append(_TIME_WIDTH)
        elif k in _WIDE:
            widths.append(_WIDE[k])
        elif h == NOTE_HEADER:
            widths.append(30.0)
        else:
            widths.append(max(10.0, min(24.0, 2.2 * len(str(h or "")) + 3)))
    ids = [c for k, c in cmap.index.items() if k in ("order_id", "case_id")]
    return SheetSpec(name[:31], [list(headers), *rows], widths=widths, bold_rows={0}, freeze_row=1,
                     freeze_col=max(ids) + 1 if ids else 0, autofilter_row=0)


# ------------------------------------------------------------------ reading the exports

def read_source(source: ExportSource, index: int, aliases: Aliases, now: datetime | None) -> ExportRead:
    """One export's cases (:func:`read_export` on its first sheet that holds a case table).

    A file that cannot be read, or holds no case table, is one skipped line: its
    cases — also those read before a damaged part — are not imported."""
    try:
        for sheet, rows in source.tables():
            if sheet in NOT_TRACKING:
                continue
            got = read_export(source.name, rows, aliases, None, now, index)
            if not got.whole_file_skipped:
                return got
    except RefundXLError as exc:
        reason = str(exc).replace(f"无法读取 {source.name}：", "无法读取：", 1)
        return ExportRead(source.name, "", [], [Skipped(source.name, 0, reason)], index=index)
    return ExportRead(source.name, "", [], [Skipped(source.name, 0, NO_TABLE)], index=index)


# ------------------------------------------------------------------ the result

@dataclass
class ImportResult:
    book: str  # the book's name, as messages say it
    sheet: str
    plan: MergePlan
    reads: list[ExportRead]
    created: bool = False  # the tracking sheet (or the book) was made by this run
    backup: str | None = None  # the backup's name (set by the file host after the write)

    def summary(self) -> str:
        return self.plan.summary()

    def lines(self) -> list[str]:
        """What the user reads (the command prints it, the ribbon shows it): one reading report per
        export, the summary, then every skip, conflict and merge with its reason (the first few; skips and
        what to check first, merges last)."""
        out = [f"读取 {r.report}" for r in self.reads if r.report]
        plan = self.plan
        head = (f"已{'新建' if self.created else '更新'} {self.book}「{self.sheet}」：" if plan.changes or self.created
                else f"{self.book}「{self.sheet}」无变化：")
        out.append(head + plan.summary())
        details = [f"  跳过 {s.source} {f'第{s.line}行' if s.line else '整个文件'}：{s.reason}" for s in plan.skipped]
        details += [f"  {n.text}" for n in plan.shown_notes()]
        out += details[:SHOWN_LINES]
        hidden = len(plan.skipped) + sum(plan.note_counts.values()) - min(len(details), SHOWN_LINES)
        if hidden > 0:
            out.append(f"  … 另有 {hidden} 条（见上面的合计）")
        if self.backup:
            out.append(f"原文件已备份为 {self.backup}")
        return out

    def report(self) -> str:
        return "\n".join(self.lines())


# ------------------------------------------------------------------ the use case

def _target(book: Book, sheet: str | None, aliases: Aliases):
    """The tracking table the cases go into (:class:`~refund_xl._app.book.Tracking`); None: a new sheet is made."""
    names = book.sheet_names
    if sheet and sheet not in names:
        return None
    try:
        return find_tracking(book, sheet, aliases, active=False)
    except InputFileError as exc:
        if fields.NO_TABLE not in str(exc):  # the book could not be read: say that, not "no table"
            raise
        if sheet:
            raise
    if TRACKING_SHEET in names:
        raise InputFileError(f"工作簿已有工作表「{TRACKING_SHEET}」但不是售后登记表，请用 --sheet 指定"
                             "（或在「列名映射」中对应表头）")
    return None


def run_import(book: Book, ctx: Context, exports: Sequence[ExportSource], *, sheet: str | None = None,
               block_col: int | None = None, run_at: datetime | None = None, book_name: str = "工作簿",
               say: Callable[[str], None] = lambda _text: None) -> ImportResult:
    """Merge the exports (oldest first) into ``book``'s tracking sheet; one line in 运行日志.

    ``sheet``: the sheet to merge into (made when missing; default: the tracking
    sheet, else a new 售后登记).  ``block_col``: the template's formula block
    (0-based first column): a tracking sheet with something there gets new
    columns only left of it.  Raises :class:`InputFileError` (nothing written)
    when no export holds a case table, or the named sheet is not a tracking sheet.
    """
    if not exports:
        raise InputFileError("没有选择导出文件")
    aliases = ctx.mappings
    target = _target(book, sheet, aliases)
    reads = []
    for index, source in enumerate(exports):
        say(f"读取 {source.name} …")
        reads.append(read_source(source, index, aliases, ctx.now))
    if all(r.whole_file_skipped for r in reads):
        raise InputFileError("没有可导入的导出文件：" + "；".join(f"{r.source} {r.skipped[0].reason}" for r in reads))
    created = target is None
    if target is None:
        name, at, headers, body, columns = (sheet or TRACKING_SHEET)[:31], 0, new_sheet_headers(), [], None
        limit: int | None = len(headers)
    else:
        name, at, headers, body, columns = target
        headers = list(headers)
        beyond = headers[block_col:] if block_col is not None else []
        limit = block_col if name == TRACKING_SHEET and any(h not in (None, "") for h in beyond) else None
    say(f"合并到「{name}」…")
    plan = plan_merge(headers, body, reads, aliases, room_limit=limit, first_row=at + 2, release=True,
                      columns=columns)
    say(f"写入「{name}」…")
    if created:
        book.put_sheet(tracking_spec(name, headers, plan.appended))
    else:
        cells: dict[tuple[int, int], object] = {(at, c): h for c, h in plan.new_headers.items()}
        cells.update({(at + 1 + r, c): v for (r, c), v in plan.cells.items()})
        if cells:
            book.set_cells(name, cells)
        if plan.appended:  # the new cases: one block
            book.write_block(name, at + 1 + len(body), plan.appended)
    previous = book.rows(LOG) if LOG in book.sheet_names else None
    log = log_rows(previous, run_at or datetime.now().replace(microsecond=0), ctx.now, len(body) + len(plan.appended),
                   plan.summary(), "；".join(r.reading for r in reads if r.reading))
    book.put_sheet(SheetSpec(LOG, log, widths=[*batch.widths_of(LOG), 60][:max(len(log[0]), 1)], bold_rows={0},
                             freeze_row=1), previous)
    return ImportResult(book_name, name, plan, reads, created=created)


# ------------------------------------------------------------------ 运行日志

def log_rows(previous: object, run_at: datetime, now: datetime | None, cases: int, text: str,
             reading: str = "") -> list[list[object]]:
    """The 运行日志 sheet with one more line for this import (the batch's one log writer)."""
    from refund_xl._app.batch import log_lines

    return log_lines(previous, [{"run_at": run_at, "now": now, "cases": cases, "what": RUN_NAME, "result": text,
                                 "reading": reading or None}])
