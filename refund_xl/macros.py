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

from . import batch, engine, fields, replies, settings as settings_mod
from .errors import RefundXLError
from .fields import Mappings
from .settings import from_table
from .outputs import CJK_FONT

__all__ = ["intercept_register", "reply_scripts", "daily_batch", "check_headers", "ExcelBook", "run_in_book",
           "read_report", "inert_cell", "track_logistics", "track_in_book", "import_exports", "import_in_book"]

log = logging.getLogger(__name__)

SETTINGS_SHEET, TEMPLATES_SHEET = settings_mod.SHEET, replies.SHEET
COLUMNS_SHEET, TRACKING_SHEET, VALUES_SHEET = fields.MAPPING_SHEET, fields.TRACKING_SHEET, fields.VALUES_SHEET
_NOT_TRACKING = set(batch.OUTPUT_SHEETS) | {SETTINGS_SHEET, TEMPLATES_SHEET, COLUMNS_SHEET, VALUES_SHEET,
                                            "xlwings.conf"}
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

    # reading -------------------------------------------------------------
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def active_sheet(self) -> str | None:
        try:
            return self.book.sheets.active.name
        except Exception:
            return None

    def read(self, name: str) -> list[list[object]]:
        """The sheet's cells from A1 to the last used cell, in one call."""
        sheet = self.book.sheets[name]
        last = sheet.used_range.last_cell
        rows = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
        return [list(r) for r in rows or []]

    # writing -------------------------------------------------------------
    def write(self, name: str, rows: Sequence[Sequence[object]], widths: Sequence[float] = (),
              previous: Sequence[Sequence[object]] | None = None) -> None:
        """Write ``rows`` into the sheet.

        With ``previous`` (what the sheet held when it was read), only the
        cells that differ are written, in as few blocks as possible: a staff
        formula, comment or format in a cell whose value is kept stays.
        Without it the sheet's contents are replaced (one write; formats kept).
        """
        sheets = self.book.sheets
        if previous is not None and name in self.sheet_names():
            sheet = sheets[name]
            for r0, c0, block in batch.changed_blocks(previous, rows):
                sheet.range((r0 + 1, c0 + 1)).value = _rect(block)
            return
        if name in self.sheet_names():
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

    def fill_cell(self, name: str, row: int, col: int, value: object) -> None:
        """One cell (1-based), written as literal text."""
        self.book.sheets[name].range((row, col)).value = [[inert_cell(value)]]

    def chart(self, name: str, spec: batch.ChartSpec) -> None:
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


def _tracking(names: list[str], active: str | None, read, aliases) -> tuple[str, list, list]:
    order = ([active] if active and active not in _NOT_TRACKING else []) + \
            ([TRACKING_SHEET] if TRACKING_SHEET in names else []) + [n for n in names if n not in _NOT_TRACKING]
    for name in dict.fromkeys(order):
        if name not in names:
            continue
        found = fields.split_table(read(name), aliases)
        if found is not None:
            at, headers, body = found
            return name, at, headers, body
    raise RefundXLError(fields.no_table_message())


def _mappings(xl: ExcelBook, names: list[str]) -> Mappings:
    """The book's 列名映射 and 值映射 sheets (the same tables the formulas and the command line read)."""
    return fields.book_mappings({n: xl.read(n) for n in (COLUMNS_SHEET, VALUES_SHEET) if n in names})


def read_report(xl: ExcelBook, now: datetime | None = None):
    """检查表头: how the tracking sheet is read (SPEC §2.2), written to 读取报告."""
    names = xl.sheet_names()
    aliases = _mappings(xl, names)
    settings = from_table(xl.read(SETTINGS_SHEET), sheet=SETTINGS_SHEET) if SETTINGS_SHEET in names else None
    sheet, _at, headers, rows = _tracking(names, xl.active_sheet(), xl.read, aliases)
    _results, reading = engine.evaluate_read(rows, headers, settings, now, aliases, sheet=sheet)
    xl.write(batch.READING, reading.table(), [24, 18, 16, 44])
    return reading


def check_headers(book=None, now: datetime | None = None) -> str | None:
    """检查表头: show which headers feed which field, what is unused or unreadable."""
    xl = _book(book)
    if xl is None:
        return None
    try:
        reading = read_report(xl, now)
    except (RefundXLError, ValueError) as exc:
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
    """Read, run, write: the whole macro against an adapter.  Raises RefundXLError for bad input."""
    names = xl.sheet_names()
    aliases = _mappings(xl, names)
    settings = from_table(xl.read(SETTINGS_SHEET), sheet=SETTINGS_SHEET) if SETTINGS_SHEET in names else None
    templates = xl.read(TEMPLATES_SHEET) if TEMPLATES_SHEET in names else None
    xl.status("售后助手：读取售后登记 …")
    sheet, at, headers, rows = _tracking(names, xl.active_sheet(), xl.read, aliases)
    wanted = batch.PARTS[part]
    # 拦截登记 is read for every part: the 拦截状态 staff typed there is what this run decides on
    previous = {n: xl.read(n) for n in (batch.REGISTER, batch.REPLIES, batch.LOG)
                if n in names and (n in wanted or n == batch.REGISTER)}
    xl.status(f"售后助手：判定「{sheet}」{len(rows)} 行 …")
    result = batch.run(rows, headers, settings, templates, previous, now, aliases=aliases,
                       run_at=datetime.now().replace(microsecond=0), part=part, sheet=sheet)
    xl.status("售后助手：写出 " + "、".join(result.sheets) + " …")
    for name in batch.OUTPUT_SHEETS:
        if name in result.sheets:
            xl.write(name, result.sheets[name], result.widths.get(name, ()), previous.get(name))
    if result.chart is not None and batch.OVERVIEW in result.sheets:
        xl.chart(batch.OVERVIEW, result.chart)
    _fill_intercepts(xl, sheet, at, headers, aliases, result.intercept_fed)
    return result


def _fill_intercepts(xl: "ExcelBook", sheet: str, at: int, headers, aliases, fed: dict[int, str]) -> None:
    """SPEC §6: an empty 拦截状态 cell of the tracking sheet takes what staff typed in 拦截登记,
    so the formula columns agree with the batch.  Only cells that were empty when read; a sheet
    without a 拦截状态 column is left as it is."""
    if not fed:
        return
    col = fields.resolve(headers, aliases).index.get("intercept")
    if col is None:
        return
    for i, word in sorted(fed.items()):
        xl.fill_cell(sheet, at + 2 + i, col + 1, word)


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
    except ValueError as exc:  # e.g. an unreadable reference time
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

    names = xl.sheet_names()
    aliases = _mappings(xl, names)
    xl.status("售后助手：读取平台导出 …")
    reads = read_exports(order_exports(paths), aliases, None, now)
    if not any(r.cases for r in reads):
        raise RefundXLError("没有可导入的售后单：" + "；".join(
            f"{r.source} {r.skipped[0].reason}" for r in reads if r.skipped) if reads else "未选择文件")
    found = None
    for name in dict.fromkeys(([TRACKING_SHEET] if TRACKING_SHEET in names else [])
                              + [n for n in names if n not in _NOT_TRACKING]):
        table = fields.split_table(xl.read(name), aliases)  # each sheet read once, in one call
        if table is not None:
            found = (name, *table)
            break
    if found is None and TRACKING_SHEET in names:
        raise RefundXLError(fields.no_table_message(f"工作表「{TRACKING_SHEET}」"))
    sheet, at, headers, body = found or (TRACKING_SHEET, 0, intake.new_sheet_headers(), [])
    limit = None
    if sheet == TRACKING_SHEET:
        from .template import DATA_LAST_COL, col_number
        limit = col_number(DATA_LAST_COL)
    plan = intake.plan_merge(headers, body, reads, aliases, room_limit=limit)
    total = len(body) + plan.counts["new"]
    log = intake.log_rows(xl.read(batch.LOG) if batch.LOG in names else None,
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

    names = xl.sheet_names()
    own = {n: xl.read(n) for n in (COLUMNS_SHEET, fields.VALUES_SHEET, track.CARRIER_SHEET) if n in names}
    aliases = fields.book_mappings(own)
    carriers = track.parse_carrier_table(own[track.CARRIER_SHEET]) if track.CARRIER_SHEET in own else None
    read: dict[str, list] = {}

    def rows_of(name: str) -> list:
        if name not in read:
            read[name] = xl.read(name)
        return read[name]

    sheet = _tracking(names, xl.active_sheet(), rows_of, aliases)[0]
    at, headers, rows = fields.split_table(read[sheet], aliases)
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
