"""Ribbon macros (SPEC §6): the daily batch inside Excel, through xlwings RunPython.

The ribbon of workbook_template.xlsm calls, e.g.::

    RunPython "import refund_xl.macros; refund_xl.macros.daily_batch()"

Each macro reads every range it needs in one call, runs the pure batch of
:mod:`refund_xl.batch`, and writes each output sheet in one call.  The Excel
side is a thin adapter, :class:`ExcelBook`, over the xlwings objects; tests
hand the macros a stand-in book instead of ``xw.Book.caller()``.

Every string written is prefixed with an apostrophe: Excel stores it as plain
text, so customer text such as ``=HYPERLINK(...)`` never becomes a formula and
an order number such as ``0044328104910363187`` never becomes ``4.43E+16``.
Errors reach the user as one Chinese sentence in a message box, never a
traceback; nothing is written unless the whole batch succeeded.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Sequence

from . import batch, book as book_mod, context, engine, fields
from .batch import ChartSpec, SheetSpec
from .context import Context
from .errors import RefundXLError
from .outputs import CJK_FONT

__all__ = ["intercept_register", "reply_scripts", "daily_batch", "check_headers", "ExcelBook", "run_in_book",
           "read_report", "inert_cell", "track_logistics", "track_in_book", "import_exports", "import_in_book"]

log = logging.getLogger(__name__)

TRACKING_SHEET = fields.TRACKING_SHEET
CHART_NAME = "售后助手_各动作数量"
TITLE = "售后助手"


def inert_cell(value: object) -> object:
    """A value as it must be handed to Excel: every string as literal text."""
    if isinstance(value, str):
        return "'" + value if value else None
    return value


def _rect(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    width = max((len(r) for r in rows), default=1) or 1
    return [[inert_cell(v) for v in r] + [None] * (width - len(r)) for r in rows]


class ExcelBook:
    """The few things the macros do to a workbook, over xlwings objects."""

    def __init__(self, book):
        self.book = book
        self._read: dict[str, list[list[object]]] = {}  # each sheet read once per run

    # reading -------------------------------------------------------------
    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def active_sheet(self) -> str | None:
        try:
            return self.book.sheets.active.name
        except Exception:
            return None

    def rows(self, name: str) -> list[list[object]]:
        """The sheet's cells from A1 to the last used cell, in one call (once per run)."""
        if name not in self._read:
            sheet = self.book.sheets[name]
            last = sheet.used_range.last_cell
            rows = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
            self._read[name] = [list(r) for r in rows or []]
        return self._read[name]

    def head(self, name: str, n: int = 20) -> list[list[object]]:
        """The first rows; the whole sheet is read (one call, kept for the run): an output
        sheet whose head is checked is usually read in full right after."""
        return self.rows(name)[:n]

    # writing -------------------------------------------------------------
    def put_sheet(self, spec: SheetSpec, previous: Sequence[Sequence[object]] | None = None) -> None:
        """An output sheet written per its layout (the same :class:`SheetSpec` the file host writes).

        With ``previous`` (what the sheet held when it was read), only the
        cells that differ are written, in as few blocks as possible: a staff
        formula, comment or format in a cell whose value is kept stays.
        Without it the sheet's contents are replaced (one write; formats kept).
        Widths go on a new sheet; header rows are bold, long-text columns wrap,
        and the overview gets its chart.
        """
        created = spec.name not in self.sheet_names
        self.write(spec.name, spec.rows, spec.widths, previous)
        self._style(spec, created)
        if spec.chart is not None:
            self.chart(spec.name, spec.chart)

    def _style(self, spec: SheetSpec, created: bool) -> None:
        """Bold header rows and wrapped text columns (formats only: no cell value is touched)."""
        sheet = self.book.sheets[spec.name]
        width = max((len(r) for r in spec.rows), default=1) or 1
        try:
            for r in sorted(spec.bold_rows):
                sheet.range((r + 1, 1), (r + 1, width)).font.bold = True
            for c in sorted(spec.wrap_cols):
                if len(spec.rows) > 1:
                    sheet.range((1, c + 1), (len(spec.rows), c + 1)).wrap_text = True
        except Exception:  # a host without these properties: the values are there all the same
            log.debug("styling skipped", exc_info=True)

    def write(self, name: str, rows: Sequence[Sequence[object]], widths: Sequence[float] = (),
              previous: Sequence[Sequence[object]] | None = None) -> None:
        """Write ``rows`` into the sheet: only the cells that differ from ``previous``, else all of them."""
        self._read.pop(name, None)
        sheets = self.book.sheets
        if previous is not None and name in self.sheet_names:
            sheet = sheets[name]
            for r0, c0, block in batch.changed_blocks(previous, rows):
                sheet.range((r0 + 1, c0 + 1)).value = _rect(block)
            return
        if name in self.sheet_names:
            sheet = sheets[name]
            sheet.used_range.clear_contents()
        else:
            sheet = sheets.add(name, after=sheets[len(sheets) - 1])
            try:  # a new output sheet reads in a Chinese font (an existing one keeps the desk's formats)
                sheet.cells.font.name = CJK_FONT
            except Exception:
                pass
            for i, w in enumerate(widths, start=1):
                try:
                    sheet.range((1, i)).column_width = w
                except Exception:
                    pass
        data = _rect(rows)
        if data:
            sheet.range((1, 1)).value = data

    def chart(self, name: str, spec: ChartSpec) -> None:
        """A bar chart of the counts per action; optional (skipped where the host cannot draw it)."""
        try:
            sheet = self.book.sheets[name]
            for ch in list(sheet.charts):
                if ch.name == CHART_NAME:
                    ch.delete()
            anchor = sheet.range(spec.anchor)
            ch = sheet.charts.add(left=anchor.left, top=anchor.top, width=520,
                                  height=max(220, 16 * (spec.last_row - spec.first_row + 1) + 60))
            ch.name = CHART_NAME
            ch.chart_type = "bar_clustered"
            ch.set_source_data(sheet.range((spec.first_row, spec.label_col), (spec.last_row, spec.value_col)))
            try:  # every action's label, not every other one (Windows COM; Mac has no such call)
                ch.api[1].Axes(1).TickLabelSpacing = 1
            except Exception:
                pass
        except Exception:  # no charts API here (or a host quirk): the table is still there
            log.debug("chart skipped", exc_info=True)

    def set_cells(self, name: str, cells: dict) -> None:
        """Write single cells (0-based row/column); runs of one row are written in one call."""
        self._read.pop(name, None)
        sheet = self.book.sheets[name]
        by_row: dict[int, list[tuple[int, object]]] = {}
        for (r, c), v in cells.items():
            by_row.setdefault(r, []).append((c, v))
        for r, items in sorted(by_row.items()):
            items.sort()
            start = prev = items[0][0]
            run = [items[0][1]]
            for c, v in items[1:] + [(None, None)]:
                if c is not None and c == prev + 1:
                    run.append(v)
                    prev = c
                    continue
                sheet.range((r + 1, start + 1)).value = [[inert_cell(x) for x in run]]
                if c is not None:
                    start = prev = c
                    run = [v]

    def write_block(self, name: str, row0: int, rows: Sequence[Sequence[object]]) -> None:
        """Rows written from column A at ``row0`` (0-based), in one call."""
        self._read.pop(name, None)
        self.book.sheets[name].range((row0 + 1, 1)).value = _rect(rows)

    def ask_files(self, title: str) -> list[str]:
        """Excel's own file dialog (several files at once); [] when cancelled."""
        try:
            got = self.book.app.api.GetOpenFilename(
                "平台导出 (*.csv;*.xlsx;*.xls),*.csv;*.xlsx;*.xls", 1, title, None, True)
        except Exception:  # Excel for Mac speaks AppleScript: a plain Python dialog instead
            try:
                import tkinter
                from tkinter import filedialog

                root = tkinter.Tk()
                root.withdraw()
                got = filedialog.askopenfilenames(title=title, filetypes=[("平台导出", "*.csv *.xlsx")])
                root.destroy()
            except Exception:
                return []
        if not got:  # False when cancelled
            return []
        return [str(p) for p in (got if isinstance(got, (list, tuple)) else [got])]

    # telling the user ------------------------------------------------------
    def status(self, text: str | None) -> None:
        try:
            self.book.app.status_bar = text if text else False
        except Exception:
            pass

    def alert(self, text: str) -> None:
        try:
            self.book.app.alert(text, title=TITLE)
        except Exception:  # a host without message boxes: at least the status bar
            self.status(text)


def _context(xl: "ExcelBook", now: datetime | None = None) -> Context:
    """The run's context from the book's own 设置 / 列名映射 / 值映射 / 话术模板 sheets."""
    return context.build(book_mod.own_tables(xl), now=now)


def read_report(xl: ExcelBook, now: datetime | None = None):
    """检查表头: how the tracking sheet is read (contract §2.2), written to 读取报告."""
    ctx = _context(xl, now)
    found = book_mod.find_tracking(xl, None, ctx.mappings)
    _results, reading = engine.evaluate_read(found.rows, found.headers, ctx.settings, ctx.now, ctx.mappings,
                                             sheet=found.sheet)
    book_mod.put_rows(xl, batch.READING, reading.table(), batch.widths_of(batch.READING))
    return reading


def check_headers(book=None, now: datetime | None = None) -> str | None:
    """检查表头: show which headers feed which field, what is unused or unreadable."""
    xl = _book(book)
    if xl is None:
        return None
    try:
        reading = read_report(xl, now)
    except RefundXLError as exc:
        xl.alert(f"检查表头未完成：{exc}")
        return None
    text = "\n".join(reading.lines())
    xl.alert(text + "\n\n完整说明已写入「读取报告」表。")
    return text


def _book(book) -> "ExcelBook | None":
    try:
        if book is None:
            import xlwings as xw

            book = xw.Book.caller()
    except Exception:
        log.error("售后助手：请从 Excel 的「售后助手」选项卡运行此功能")
        return None
    return book if isinstance(book, ExcelBook) else ExcelBook(book)


def run_in_book(xl: ExcelBook, part: str = "daily", now: datetime | None = None) -> batch.BatchResult:
    """Read, run, write: the whole macro against an adapter (:func:`refund_xl.book.run_batch`).
    Raises RefundXLError for bad input."""
    xl.status("售后助手：读取售后登记 …")
    run = book_mod.run_batch(xl, _context(xl, now), part, run_at=datetime.now().replace(microsecond=0),
                             say=lambda text: xl.status(f"售后助手：{text}"))
    run.result.notes.extend(run.notes)
    return run.result


def _macro(part: str, book=None, now: datetime | None = None) -> str | None:
    xl = _book(book)
    if xl is None:
        return None
    try:
        result = run_in_book(xl, part, now)
    except RefundXLError as exc:
        xl.status(None)
        xl.alert(f"{batch.RUN_NAMES[part][0]}未完成：{exc}")
        return None
    except Exception as exc:  # a defect: a plain sentence, the details only in the log
        log.exception("batch failed")
        xl.status(None)
        xl.alert(f"{batch.RUN_NAMES[part][0]}出错（{type(exc).__name__}），工作簿可能只更新了一部分输出表；"
                 "售后登记未被改动。请保存副本并联系维护人员。")
        return None
    summary = result.summary()
    xl.status(f"售后助手：{summary}")
    return summary


def intercept_register(book=None, now: datetime | None = None) -> str | None:
    """生成拦截登记: the interception register and the per-courier lists."""
    return _macro("register", book, now)


def reply_scripts(book=None, now: datetime | None = None) -> str | None:
    """生成回复话术: one reply per open case that needs a customer message."""
    return _macro("replies", book, now)


def daily_batch(book=None, now: datetime | None = None) -> str | None:
    """每日批处理: register, replies, 今日概览 (with a chart) and a 运行日志 line."""
    return _macro("daily", book, now)


# ------------------------------------------------------------------ 导入平台导出

def import_in_book(xl: ExcelBook, paths, now: datetime | None = None):
    """Merge the exports at ``paths`` into the open workbook's tracking sheet (same plan as the CLI)."""
    from . import intake
    from .intake_files import order_exports, read_exports

    names = xl.sheet_names
    ctx = _context(xl, now)
    aliases = ctx.mappings
    xl.status("售后助手：读取平台导出 …")
    reads = read_exports(order_exports(paths), aliases, None, now)
    if not any(r.cases for r in reads):
        raise RefundXLError("没有可导入的售后单：" + "；".join(
            f"{r.source} {r.skipped[0].reason}" for r in reads if r.skipped) if reads else "未选择文件")
    try:  # the sheet cases are merged into: found as every host finds it (not the active one)
        sheet, at, headers, body = book_mod.find_tracking(xl, None, aliases, active=False)
    except RefundXLError:
        if TRACKING_SHEET in names:
            raise RefundXLError(fields.no_table_message(f"工作表「{TRACKING_SHEET}」")) from None
        sheet, at, headers, body = TRACKING_SHEET, 0, intake.new_sheet_headers(), []
    limit = None
    if sheet == TRACKING_SHEET:
        from .template import DATA_LAST_COL, col_number
        limit = col_number(DATA_LAST_COL)
    plan = intake.plan_merge(headers, body, reads, aliases, room_limit=limit)
    total = len(body) + plan.counts["new"]
    log = intake.log_rows(xl.rows(batch.LOG) if batch.LOG in names else None,
                          datetime.now().replace(microsecond=0), now, total, plan.summary(),
                          "；".join(r.reading for r in reads if r.reading))
    xl.status("售后助手：写入 " + sheet + " …")
    if sheet not in names:
        xl.write(sheet, [headers, *plan.appended])
    else:
        updates = {(at, c): h for c, h in plan.new_headers.items()}
        updates.update({(at + 1 + r, c): v for (r, c), v in plan.cells.items()})
        if updates:
            xl.set_cells(sheet, updates)
        if plan.appended:  # the new cases: one block, one call
            xl.write_block(sheet, at + 1 + len(body), plan.appended)
    xl.write(batch.LOG, log)
    return plan, reads


def import_exports(book=None, now: datetime | None = None, paths=None) -> str | None:
    """导入平台导出: pick today's exports, merge them into 售后登记 (staff cells kept)."""
    xl = _book(book)
    if xl is None:
        return None
    if paths is None:
        paths = xl.ask_files("选择今天的平台导出文件（可多选）")
    if not paths:
        return None
    try:
        plan, reads = import_in_book(xl, paths, now)
    except (RefundXLError, ValueError) as exc:
        xl.status(None)
        xl.alert(f"导入平台导出未完成：{exc}")
        return None
    except Exception as exc:
        log.exception("import failed")
        xl.status(None)
        xl.alert(f"导入平台导出出错（{type(exc).__name__}）。请保存副本并联系维护人员。")
        return None
    summary = plan.summary()
    details = "\n".join(r.report for r in reads if r.report)
    xl.status(f"售后助手：导入 {summary}")
    xl.alert(f"导入完成：{summary}\n\n{details}")
    return summary


# ------------------------------------------------------------------ 查询物流

def track_in_book(xl: ExcelBook, now: datetime | None = None, transport=None, env=None):
    """查询物流 against an adapter: the rows of the tracking sheet, the answers into its cells."""
    from . import track
    from .track_file import track_table

    ctx = _context(xl, now)
    aliases = ctx.mappings
    carriers = track.parse_carrier_table(xl.rows(track.CARRIER_SHEET)) if track.CARRIER_SHEET in xl.sheet_names \
        else None
    sheet, at, headers, rows = book_mod.find_tracking(xl, None, aliases)
    xl.status(f"售后助手：查询物流（「{sheet}」{len(rows)} 行）…")
    done = track_table(rows, headers, at, now=(now or datetime.now()).replace(microsecond=0), carriers=carriers,
                       aliases=aliases, transport=transport, env=env,
                       progress=lambda d, t: xl.status(f"售后助手：查询物流 {d}/{t} …"))
    if done.cells:
        xl.set_cells(sheet, done.cells)
    return done


def track_logistics(book=None, now: datetime | None = None, transport=None, env=None) -> str | None:
    """查询物流: 物流状态, 物流更新时间 and 物流备注 of open, shipped cases from Kuaidi100.

    Credentials come from the environment or the user's config file (never the
    workbook); when they are missing the message says where to put them, or to
    run ``refund-xl track`` from a command window.
    """
    xl = _book(book)
    if xl is None:
        return None
    try:
        done = track_in_book(xl, now, transport, env)
    except RefundXLError as exc:
        xl.status(None)
        hint = "（也可在命令行运行 refund-xl track 工作簿.xlsx）" if "未配置快递100" in str(exc) else ""
        xl.alert(f"查询物流未完成：{exc}{hint}")
        return None
    except Exception as exc:  # a defect: a plain sentence, the details only in the log
        log.exception("track failed")
        xl.status(None)
        xl.alert(f"查询物流出错（{type(exc).__name__}），请保存副本并联系维护人员。")
        return None
    summary = done.summary()
    xl.status(f"售后助手：{summary}")
    return summary
