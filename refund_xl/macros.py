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

from . import batch, fields, replies, settings as settings_mod
from .errors import RefundXLError
from .fields import parse_mapping_table
from .settings import from_table

__all__ = ["intercept_register", "reply_scripts", "daily_batch", "ExcelBook", "run_in_book", "inert_cell"]

log = logging.getLogger(__name__)

SETTINGS_SHEET, TEMPLATES_SHEET = settings_mod.SHEET, replies.SHEET
COLUMNS_SHEET, TRACKING_SHEET = fields.MAPPING_SHEET, fields.TRACKING_SHEET
_NOT_TRACKING = set(batch.OUTPUT_SHEETS) | {SETTINGS_SHEET, TEMPLATES_SHEET, COLUMNS_SHEET, "xlwings.conf"}
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
            for i, w in enumerate(widths, start=1):
                try:
                    sheet.range((1, i)).column_width = w
                except Exception:
                    pass
        data = _rect(rows)
        if data:
            sheet.range((1, 1)).value = data

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
        except Exception:  # no charts API here (or a host quirk): the table is still there
            log.debug("chart skipped", exc_info=True)

    def set_cells(self, name: str, cells: dict[tuple[int, int], object]) -> None:
        """Set single cells ((row, column) 0-based → value), one write per run of adjacent rows in a column.

        Only the given cells change: neighbours (staff cells, formulas) are not rewritten.
        """
        sheet = self.book.sheets[name]
        by_col: dict[int, list[int]] = {}
        for r, c in cells:
            by_col.setdefault(c, []).append(r)
        for c, rows in by_col.items():
            rows.sort()
            start = prev = rows[0]
            for r in rows[1:] + [None]:
                if r is not None and r == prev + 1:
                    prev = r
                    continue
                block = [[inert_cell(cells[(i, c)])] for i in range(start, prev + 1)]
                sheet.range((start + 1, c + 1)).value = block
                if r is not None:
                    start = prev = r

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
            _at, headers, body = found
            return name, headers, body
    raise RefundXLError(fields.no_table_message())


def run_in_book(xl: ExcelBook, part: str = "daily", now: datetime | None = None) -> batch.BatchResult:
    """Read, run, write: the whole macro against an adapter.  Raises RefundXLError for bad input."""
    names = xl.sheet_names()
    aliases = parse_mapping_table(xl.read(COLUMNS_SHEET)) if COLUMNS_SHEET in names else None
    settings = from_table(xl.read(SETTINGS_SHEET), sheet=SETTINGS_SHEET) if SETTINGS_SHEET in names else None
    templates = xl.read(TEMPLATES_SHEET) if TEMPLATES_SHEET in names else None
    xl.status("售后助手：读取售后登记 …")
    sheet, headers, rows = _tracking(names, xl.active_sheet(), xl.read, aliases)
    wanted = batch.PARTS[part]
    previous = {n: xl.read(n) for n in (batch.REGISTER, batch.REPLIES, batch.LOG) if n in names and n in wanted}
    xl.status(f"售后助手：判定「{sheet}」{len(rows)} 行 …")
    result = batch.run(rows, headers, settings, templates, previous, now, aliases=aliases,
                       run_at=datetime.now().replace(microsecond=0), part=part)
    xl.status("售后助手：写出 " + "、".join(result.sheets) + " …")
    for name in batch.OUTPUT_SHEETS:
        if name in result.sheets:
            xl.write(name, result.sheets[name], result.widths.get(name, ()), previous.get(name))
    if result.chart is not None and batch.OVERVIEW in result.sheets:
        xl.chart(batch.OVERVIEW, result.chart)
    return result


def _macro(part: str, book=None, now: datetime | None = None) -> str | None:
    try:
        if book is None:
            import xlwings as xw

            book = xw.Book.caller()
    except Exception:
        log.error("售后助手：请从 Excel 的「售后助手」选项卡运行此功能")
        return None
    xl = book if isinstance(book, ExcelBook) else ExcelBook(book)
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


def track_in_book(xl: ExcelBook, now: datetime | None = None, transport=None, env=None):
    """查询物流 against an adapter: the rows of the tracking sheet, the answers into its cells."""
    from . import track
    from .track_file import reading_tables, track_table

    names = xl.sheet_names()
    own = {n: xl.read(n) for n in (COLUMNS_SHEET, fields.VALUES_SHEET, track.CARRIER_SHEET) if n in names}
    aliases = reading_tables(own)
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
    try:
        if book is None:
            import xlwings as xw

            book = xw.Book.caller()
    except Exception:
        log.error("售后助手：请从 Excel 的「售后助手」选项卡运行此功能")
        return None
    xl = book if isinstance(book, ExcelBook) else ExcelBook(book)
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
