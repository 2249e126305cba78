"""Ribbon macros (contract §6): the daily batch inside Excel, through xlwings RunPython.

The ribbon of workbook_template.xlsm calls, e.g.::

    RunPython "import refund_xl.macros; refund_xl.macros.daily_batch()"

Each macro builds its context from the book's own sheets
(:func:`refund_xl._core.context.build`) and runs the same :func:`refund_xl._app.book.run_batch`
as the command line, over the Excel adapter :class:`~refund_xl._excel.excel_book.ExcelBook`
(one read per sheet, one write per changed block, strings always literal text);
tests hand the macros a recording stand-in instead of ``xw.Book.caller()``.
Errors reach the user as one Chinese sentence in a message box, never a
traceback; nothing is written unless the whole batch succeeded.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable, TypeVar

from refund_xl._app import batch, book as book_mod, track_run
from refund_xl._core import context, engine, fields
from refund_xl._core.context import Context
from refund_xl._excel.excel_book import ExcelBook
from refund_xl._core.errors import RefundXLError, reason_of

# The ribbon's buttons call exactly these (RunPython "import refund_xl.macros; refund_xl.macros.X()").
__all__ = ["intercept_register", "reply_scripts", "daily_batch", "check_headers", "import_exports",
           "track_logistics", "refresh_results", "archive_cases"]

log = logging.getLogger(__name__)

TRACKING_SHEET = fields.TRACKING_SHEET


def _why(exc: BaseException) -> str:
    """A defect's cause in words; an unknown one as 程序内部错误 with its code for the maintainer."""
    return reason_of(exc, f"程序内部错误，代码 {type(exc).__name__}")


T = TypeVar("T")

# What a defect's message box adds, per button (after 「X出错（原因）」).
_AFTER_DEFECT = "请保存副本并联系维护人员。"


def _guarded(book, what: str, work: Callable[["ExcelBook"], T], *, defect: str = _AFTER_DEFECT,
             hint: Callable[[RefundXLError], str] = lambda _exc: "") -> "tuple[ExcelBook, T] | None":
    """Run one button's work on its book (``xw.Book.caller()`` unless given): (the book, what the work
    returned), or None when there is no book or the work failed.  Bad input is one sentence
    (「X未完成：…」), a defect a plain sentence with its cause in words (the details only in the log);
    the status bar is cleared either way.  The one error handling of every ribbon button."""
    xl = _book(book)
    if xl is None:
        return None
    try:
        return xl, work(xl)
    except RefundXLError as exc:
        xl.status(None)
        xl.alert(f"{what}未完成：{exc}{hint(exc)}")
    except Exception as exc:  # a defect: a plain sentence, the details only in the log
        log.exception("%s failed", what)
        xl.status(None)
        xl.alert(f"{what}出错（{_why(exc)}），{defect}")
    return None


def _context(xl: "ExcelBook", now: datetime | None = None) -> Context:
    """The run's context from the book's own 设置 / 列名映射 / 值映射 / 话术模板 sheets."""
    return context.build(book_mod.own_tables(xl), now=now)


def read_report(xl: ExcelBook, now: datetime | None = None):
    """检查表头: how the tracking sheet is read (contract §2.2), written to 读取报告."""
    ctx = _context(xl, now)
    found = book_mod.find_tracking(xl, None, ctx.mappings)
    _results, reading = engine.evaluate_table(found.rows, found.headers, ctx, columns=found.columns, sheet=found.sheet)
    reading.basis = ctx.now_text()
    book_mod.put_rows(xl, batch.READING, reading.table(), batch.widths_of(batch.READING))
    return reading


def check_headers(book=None, now: datetime | None = None) -> str | None:
    """检查表头: show which headers feed which field, what is unused or unreadable."""
    got = _guarded(book, "检查表头", lambda xl: read_report(xl, now))
    if got is None:
        return None
    xl, reading = got
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
    """Read, run, write: the whole macro against an adapter (:func:`refund_xl._app.book.run_batch`).
    Raises RefundXLError for bad input."""
    from refund_xl._files.archive_files import shelf_for

    xl.status("售后助手：读取售后登记 …")
    return book_mod.run_batch(xl, _context(xl, now), part, run_at=datetime.now().replace(microsecond=0),
                              say=lambda text: xl.status(f"售后助手：{text}"), shelf=shelf_for(xl.path))


def _macro(part: str, book=None, now: datetime | None = None) -> str | None:
    got = _guarded(book, batch.RUN_NAMES[part][0], lambda xl: run_in_book(xl, part, now),
                   defect="工作簿可能只更新了一部分输出表；售后登记未被改动。" + _AFTER_DEFECT)
    if got is None:
        return None
    xl, result = got
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
    """Merge the exports at ``paths`` into the open workbook: the same use case as ``refund-xl import``."""
    from refund_xl._app import intake
    from refund_xl._files.intake_files import block_col, open_exports

    sources = open_exports(paths)
    return intake.run_import(xl, _context(xl, now), sources, block_col=block_col(),
                             run_at=datetime.now().replace(microsecond=0), book_name="本工作簿",
                             say=lambda text: xl.status(f"售后助手：{text}"))


def import_exports(book=None, now: datetime | None = None, paths=None) -> str | None:
    """导入平台导出: pick today's exports, merge them into 售后登记 (staff cells kept)."""
    xl = _book(book)
    if xl is None:
        return None
    if paths is None:
        paths = xl.ask_files("选择今天的平台导出文件（可多选）")
    if not paths:
        return None
    got = _guarded(xl, "导入平台导出", lambda xl: import_in_book(xl, paths, now))
    if got is None:
        return None
    result = got[1]
    summary = result.summary()
    xl.status(f"售后助手：导入 {summary}")
    xl.alert("导入完成。\n" + result.report())
    return summary


# ------------------------------------------------------------------ 查询物流

def track_in_book(xl: ExcelBook, now: datetime | None = None, transport=None, env=None):
    """查询物流 against an adapter: the same use case as ``refund-xl track`` (:func:`track_run.run_track`)."""
    from refund_xl._courier import Kuaidi100Courier

    ctx = _context(xl, now)
    courier = Kuaidi100Courier(env, transport)
    xl.status("售后助手：查询物流 …")
    return track_run.run_track(xl, ctx, courier, say=lambda text: xl.status(f"售后助手：{text}"),
                               progress=lambda d, t: xl.status(f"售后助手：查询物流 {d}/{t} …"))


def track_logistics(book=None, now: datetime | None = None, transport=None, env=None) -> str | None:
    """查询物流: 物流状态, 物流更新时间 and 物流备注 of open, shipped cases from Kuaidi100, and the
    interception proposals in 拦截登记 (contract §6 "Closing the loop").

    Credentials come from the environment or the user's config file (never the
    workbook); when they are missing the message says where to put them, or to
    run ``refund-xl track`` from a command window.  The run has a deadline (five
    minutes): Excel is never frozen by a courier that does not answer.
    """
    got = _guarded(book, "查询物流", lambda xl: track_in_book(xl, now, transport, env),
                   hint=lambda exc: "（也可在命令行运行 refund-xl track 工作簿.xlsx）" if "未配置快递100" in str(exc) else "")
    if got is None:
        return None
    xl, done = got
    summary = done.summary()
    xl.status(f"售后助手：{summary}")
    return summary


# ------------------------------------------------------------------ 刷新判定

def refresh_in_book(xl: ExcelBook, now: datetime | None = None) -> tuple[str, bool]:
    """刷新判定 (contract §8): up to ``live_rows`` cases the result block stays one live REFUND_TABLE
    formula (re-entered where values had replaced it) and the book recalculates; above it the block is
    written as values, computed as ``refund-xl fill`` computes them, from the used columns only.
    Returns (what was done, in words; True when it wrote values)."""
    from refund_xl._app.table import WIDTH, table_block
    from refund_xl._excel.excel_range import RangeBlock
    from refund_xl._template import layout

    ctx = _context(xl, now)
    rng = xl.named_range(layout.ROWS_NAME)
    if rng is None:
        raise RefundXLError(f"工作簿里没有名称 {layout.ROWS_NAME}（判定结果区的数据范围）：请用 refund-xl setup "
                            "生成的工作簿，或关掉工作簿后在命令提示符运行 refund-xl fill 工作簿.xlsx")
    sheet = rng.sheet.name
    height = rng.shape[0]
    cases = max(height - 1, 0)
    limit = ctx.settings.live_rows
    last = xl.book.sheets[sheet].used_range.last_cell.row   # a longer block from before is cleared too
    if cases > limit:
        xl.status(f"售后助手：判定 {cases:,} 行 …")
        block = RangeBlock(rng)
        values = table_block(block, block.header(), ctx)
        xl.put_values(sheet, layout.FORMULA_CELL, values, last)
        return (f"「{sheet}」有 {cases:,} 行，超过实时公式行数上限 {limit:,.0f}（设置 live_rows）："
                f"判定结果已写成数值（基准时间 {ctx.now:%Y-%m-%d %H:%M}），不会随数据自动更新；"
                "改了数据请再点「刷新判定」。"), True
    entered = xl.live_formula(sheet, layout.FORMULA_CELL, layout.formula_text(), height, WIDTH, last)
    xl.recalculate()
    back = "数值已换回实时公式，" if entered else ""
    return (f"「{sheet}」有 {cases:,} 行，不超过实时公式行数上限 {limit:,.0f}（设置 live_rows）：{back}"
            "判定结果为实时公式，已重算。"), entered


def refresh_results(book=None, now: datetime | None = None) -> str | None:
    """刷新判定: recalculate the result block, as a live formula or (a big sheet) as values."""
    got = _guarded(book, "刷新判定", lambda xl: refresh_in_book(xl, now))
    if got is None:
        return None
    xl, (text, tell) = got
    xl.status(f"售后助手：{text}")
    if tell:
        xl.alert(text)
    return text


# ------------------------------------------------------------------ 归档

def archive_in_book(xl: ExcelBook, now: datetime | None = None, days: float | None = None, ask: bool = True):
    """归档 against an adapter: the same use case as ``refund-xl archive`` (the archives are files beside
    the book, written first; then Excel deletes the rows)."""
    from refund_xl._app.archive import run_archive
    from refund_xl._files.archive_files import shelf_for

    shelf = shelf_for(xl.path)
    if shelf is None:
        if str(xl.path or "").lower().startswith(("http://", "https://")):
            raise RefundXLError("工作簿是从 OneDrive/SharePoint 网址打开的：归档文件要写在本机文件夹里，"
                                "请在同步到本机的文件夹中打开工作簿后再归档")
        raise RefundXLError("请先保存工作簿：归档文件要放在工作簿所在的文件夹里")
    return run_archive(xl, _context(xl, now), shelf, days=days, run_at=datetime.now().replace(microsecond=0),
                       confirm=xl.confirm if ask else None, say=lambda text: xl.status(f"售后助手：{text}"))


def archive_cases(book=None, now: datetime | None = None, days: float | None = None, ask: bool = True) -> str | None:
    """归档: closed cases with no activity for 归档天数 (设置) move to <工作簿>_归档_<年份>.xlsx beside the book."""
    got = _guarded(book, "归档", lambda xl: archive_in_book(xl, now, days, ask),
                   defect="已写好的归档文件不会重复写入：保存副本后可再试一次，或联系维护人员。")
    if got is None:
        return None
    xl, result = got
    summary = result.summary()
    xl.status(f"售后助手：{summary}")
    if not result.cancelled:
        xl.alert(summary + ("\n\n请保存工作簿（Ctrl+S）。" if result.moved else ""))
    return summary
