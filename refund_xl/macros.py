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

from refund_xl._app import batch, book as book_mod
from refund_xl._core import context, engine, fields
from refund_xl._core.context import Context
from refund_xl._excel.excel_book import ExcelBook
from refund_xl._core.errors import RefundXLError

# The ribbon's buttons call exactly these (RunPython "import refund_xl.macros; refund_xl.macros.X()").
__all__ = ["intercept_register", "reply_scripts", "daily_batch", "check_headers", "import_exports",
           "track_logistics", "archive_cases"]

log = logging.getLogger(__name__)

TRACKING_SHEET = fields.TRACKING_SHEET


def _context(xl: "ExcelBook", now: datetime | None = None) -> Context:
    """The run's context from the book's own 设置 / 列名映射 / 值映射 / 话术模板 sheets."""
    return context.build(book_mod.own_tables(xl), now=now)


def read_report(xl: ExcelBook, now: datetime | None = None):
    """检查表头: how the tracking sheet is read (contract §2.2), written to 读取报告."""
    ctx = _context(xl, now)
    found = book_mod.find_tracking(xl, None, ctx.mappings)
    _results, reading = engine.evaluate_read(found.rows, found.headers, ctx.settings, ctx.now, ctx.mappings,
                                             sheet=found.sheet)
    reading.basis = ctx.now_text()
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
    """Read, run, write: the whole macro against an adapter (:func:`refund_xl._app.book.run_batch`).
    Raises RefundXLError for bad input."""
    from refund_xl._files.archive_files import shelf_for

    xl.status("售后助手：读取售后登记 …")
    return book_mod.run_batch(xl, _context(xl, now), part, run_at=datetime.now().replace(microsecond=0),
                              say=lambda text: xl.status(f"售后助手：{text}"), shelf=shelf_for(xl.path))


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
    from refund_xl._app import intake
    from refund_xl._files.intake_files import order_exports, read_exports

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
        from refund_xl._template import DATA_LAST_COL, col_number
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
    from refund_xl._app import track
    from refund_xl._files.track_file import track_table

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
    xl = _book(book)
    if xl is None:
        return None
    try:
        result = archive_in_book(xl, now, days, ask)
    except RefundXLError as exc:
        xl.status(None)
        xl.alert(f"归档未完成：{exc}")
        return None
    except Exception as exc:  # a defect: a plain sentence, the details only in the log
        log.exception("archive failed")
        xl.status(None)
        xl.alert(f"归档出错（{type(exc).__name__}）。已写好的归档文件不会重复写入：保存副本后可再试一次，或联系维护人员。")
        return None
    summary = result.summary()
    xl.status(f"售后助手：{summary}")
    if not result.cancelled:
        xl.alert(summary + ("\n\n请保存工作簿（Ctrl+S）。" if result.moved else ""))
    return summary
