"""The file host of the daily batch (contract §6/§7): ``refund-xl batch`` and ``refund-xl demo``.

Reads a workbook (or a CSV), runs :func:`refund_xl._app.batch.run` and writes the
output sheets back into a copy of the workbook: every other sheet — the
tracking sheet, 设置, 话术模板, macros, the ribbon — is carried over untouched
(:mod:`refund_xl._files.xlsxpatch` rewrites only the output sheets' parts), written
to a temporary file and moved into place, under a lock, after a backup when
the input itself is updated.
"""

from __future__ import annotations

import tempfile
import time
from importlib import resources
from datetime import datetime
from pathlib import Path

from refund_xl._app import batch, book as book_mod
from refund_xl._core import context, fields, replies, settings as settings_mod
from refund_xl._files import filebook, files
from refund_xl._files.archive_files import shelf_for
from refund_xl._files.notes import Progress
from refund_xl._core.errors import InputFileError, OutputFileError
from refund_xl._core.settings import Settings, settings_table
from refund_xl._core.fields import Aliases
from refund_xl._app.batch import SheetSpec
from refund_xl._app.outputs import CJK_FONT

__all__ = ["run_batch_file", "run_demo", "sample_path", "DEMO_NOW", "TRACKING_SHEET"]

DEMO_NOW = datetime(2025, 6, 10, 12, 0)  # the packaged sample's reference time
TRACKING_SHEET, COLUMNS_SHEET, VALUES_SHEET = fields.TRACKING_SHEET, fields.MAPPING_SHEET, fields.VALUES_SHEET
SETTINGS_SHEET, TEMPLATES_SHEET = settings_mod.SHEET, replies.SHEET


def run_batch_file(input: str | Path, out: str | Path | None = None, sheet: str | None = None,
                   settings: Settings | None = None, aliases: Aliases = None,
                   now: datetime | None = None, progress: bool = True, part: str = "daily",
                   templates: object = None) -> str:
    """The daily batch on a workbook file; returns a short Chinese summary line.

    Through :func:`filebook.open_book` (lock, office locks, one read, backup,
    fingerprint check, atomic replace).  Without ``out`` INPUT is updated in
    place.  With an ``out`` that exists, OUTPUT is the desk's working copy:
    its earlier output sheets and staff cells are merged exactly as in place,
    its other sheets are kept, and only the tracking data comes from INPUT.
    With a new ``out``, OUTPUT is INPUT with the output sheets added.  A CSV
    input needs an .xlsx ``out`` (its table becomes the sheet 售后登记).
    Output sheets are updated cell by cell, never rebuilt; a sheet of the
    desk's with an output sheet's name is left alone and the output goes
    to 「名称（售后助手）」, which the summary says.
    """
    say = Progress(progress)
    src = Path(input)
    dest = Path(out) if out else src
    s_in, s_out = src.suffix.lower(), dest.suffix.lower()
    if s_in not in (".csv", *files.EXCEL_SUFFIXES):
        raise InputFileError(f"不支持的文件类型：{src.name}（支持 .xlsx / .xlsm / .csv）")
    if dest.is_dir():
        raise OutputFileError(f"{dest} 是一个文件夹：请给出输出文件名（如 {dest / (src.stem + '.xlsx')}）")
    if s_out not in files.EXCEL_SUFFIXES:
        if s_in == ".csv" and not out:
            raise OutputFileError(f"CSV 只能存一张表：请用 --out 指定输出工作簿（如 {src.stem}.xlsx）")
        raise OutputFileError(f"不支持的输出类型：{dest.name}（批处理输出需为 .xlsx 或 .xlsm）")
    if s_out == ".xlsm" and s_in != ".xlsm":
        raise OutputFileError(f"{dest.name}：只有输入为 .xlsm 时才能输出 .xlsm（请改用 .xlsx）")
    if s_in == ".xlsm" and s_out != ".xlsm":
        raise OutputFileError(f"{dest.name}：输入是含宏的 .xlsm，输出也需为 .xlsm（否则宏和功能区会丢失）")
    if not src.exists():
        raise InputFileError(f"找不到文件：{src}")
    in_place = files.real_target(dest).resolve() == files.real_target(src).resolve()
    working_copy = not in_place and dest.exists()

    if in_place:
        opened = filebook.open_book(src)
    elif working_copy:
        opened = filebook.open_book(dest)
    else:
        opened = filebook.open_book(dest if s_in == ".csv" else src, out=None if s_in == ".csv" else dest,
                                 backup=False)
    with opened as book:
        say(f"读取 {src.name} …")
        # the tracking data (and the team's 设置 / 话术模板 / 列名映射 / 值映射) come from INPUT
        source = book if in_place or (not working_copy and s_in != ".csv") else files.SheetReader(src)
        ctx = context.build(book_mod.own_tables(source), settings=settings, mappings=aliases,
                            templates=templates, now=now)
        tracking = book_mod.find_tracking(source, sheet, ctx.mappings, name=src.name)
        mirrored = ""
        if s_in == ".csv" or working_copy:
            # OUTPUT's tracking sheet is INPUT's, refreshed: one tracking sheet the desk can trust
            into = _copy_sheet(book, tracking.sheet if s_in != ".csv" else TRACKING_SHEET, ctx)
            mirrored = _mirror(book, into, source.rows(tracking.sheet), tracking.at, src.name)
            tracking = tracking._replace(sheet=into)
        result = book_mod.run_batch(book, ctx, part, tracking=tracking, run_at=datetime.now().replace(microsecond=0),
                                    fill_intercepts=source is book, say=say, shelf=shelf_for(src))
    say("完成")
    backup_note = f"（原文件已备份为 {book.backup_path.name}）" if book.backup_path else ""
    where = f"（售后数据读自 {src.name}，已有的输出表与员工填写的内容按 {dest.name} 保留）" if working_copy else ""
    reading = "\n" + "\n".join(result.reading.lines()) if result.reading is not None else ""
    return f"已写入 {dest.name}{backup_note}{where}：{result.summary()}{mirrored}{reading}"


def _copy_sheet(book, wanted: str, ctx) -> str:
    """The sheet of OUTPUT that mirrors INPUT's tracking sheet: the same name, else OUTPUT's own tracking
    sheet (renamed there by the desk), else a new one under INPUT's name."""
    if wanted in book.sheet_names:
        return wanted
    try:
        return book_mod.find_tracking(book, None, ctx.mappings, active=False).sheet
    except InputFileError:
        return wanted


def _mirror(book, name: str, rows: list[list[object]], at: int, source: str) -> str:
    """OUTPUT's sheet ``name`` made equal to INPUT's tracking sheet ``rows`` (header row ``at``): the working
    copy's tracking sheet is INPUT's mirror, the product's, refreshed every run, cell by cell — only
    cells that differ are written, so formats and widths stay.  Only the table's own columns (up to its
    last header) are mirrored: the desk's columns right of them and a result block (``fill``'s values,
    the template's REFUND_TABLE formula, found in either sheet's header row) are never written.
    Returns the sentence the summary adds."""
    from refund_xl._app.batch import same_value
    from refund_xl._app.fill import result_start

    header = rows[at] if at < len(rows) else []
    width = max((c + 1 for c, v in enumerate(header) if v not in (None, "")), default=0)
    if name not in book.sheet_names:
        book.put_sheet(SheetSpec(name, [list(r) for r in rows], widths=[18] * width, bold_rows={at},
                                 freeze_row=at + 1, autofilter_row=at))
        return ""
    old = book.rows(name)
    for head in (header, old[at] if at < len(old) else []):
        start = result_start(head)
        if start is not None:
            width = min(width, start)
    cells: dict[tuple[int, int], object] = {}
    changed = 0
    for r in range(max(len(rows), len(old))):
        new_row = rows[r] if r < len(rows) else ()
        old_row = old[r] if r < len(old) else ()
        for c in range(width):
            nv = new_row[c] if c < len(new_row) else None
            ov = old_row[c] if c < len(old_row) else None
            if not same_value(ov, nv):
                cells[(r, c)] = nv
                changed += ov not in (None, "")
    if not cells:
        return ""
    book.set_cells(name, cells)
    added = max(0, _last_row(rows) - _last_row(old))
    return (f"；「{name}」已按 {source} 刷新（新增 {added} 行，改动 {changed} 格" +
            ("，改动前的内容在备份里）" if changed else "）"))


def _last_row(rows: list[list[object]]) -> int:
    n = len(rows)
    while n and all(v in (None, "") for v in rows[n - 1]):
        n -= 1
    return n


# ------------------------------------------------------------------ demo

def sample_path() -> Path:
    """The packaged sample tracking sheet."""
    return Path(str(resources.files("refund_xl") / "data" / "sample_tracking.csv"))


def _demo_book(path: Path, headers, rows) -> None:
    """A starter workbook: 售后登记 (the sample), 设置, 话术模板, 列名映射, 值映射."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                           "strings_to_urls": False,
                                           "default_format_properties": {"font_name": CJK_FONT}})
    try:
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})

        def sheet(name, table, widths, wrap_col=None):
            ws = book.add_worksheet(name)
            ws.freeze_panes(1, 0)
            for c, w in enumerate(widths):
                ws.set_column(c, c, w, wrap if c == wrap_col else None)
            for r, row in enumerate(table):
                for c, v in enumerate(row):
                    if v is None or v == "":
                        continue
                    fmt = bold if r == 0 else wrap if c == wrap_col else None  # a cell's own format wins
                    if isinstance(v, str):
                        ws.write_string(r, c, v, fmt)
                    else:
                        ws.write(r, c, v, fmt)
            return ws

        sheet(TRACKING_SHEET, [headers, *rows], [21] * len(headers))
        table = settings_table()
        sheet(SETTINGS_SHEET, table, [22, 24, 22, 60])
        for r, row in enumerate(table[1:], start=2):
            book.define_name(row[0], f"='{SETTINGS_SHEET}'!$C${r}")
        sheet(TEMPLATES_SHEET, replies.templates_table(), [28, 36, 90], wrap_col=2)
        sheet(COLUMNS_SHEET, [["表头", "字段"], ["退款编号", "case_id"], ["快递单号码", "tracking_no"],
                              ["买家收货地址", "province"]], [20, 20])
        # 值映射 as the template has it: the team's own words → standard words (the reading report points here)
        from refund_xl._template.sheets import VALUES_EXAMPLES, VALUES_USAGE

        sheet(VALUES_SHEET, [list(r) for r in VALUES_EXAMPLES] + [[], [None, None, None, VALUES_USAGE]],
              [16, 22, 16, 60], wrap_col=3)
    finally:
        book.close()


def run_demo(out_path: str | Path, now: datetime | None = None) -> str:
    """The daily batch on the packaged sample; writes ``out_path`` (refund_demo.xlsx)."""
    t0 = time.perf_counter()
    sample = sample_path()
    rows = next(iter(files.read_sheets(sample).values()))
    headers, body = rows[0], rows[1:]
    out_path = Path(out_path)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "refund_demo_base.xlsx"
        _demo_book(base, headers, body)
        report = run_batch_file(base, out=out_path, now=now or DEMO_NOW, progress=False)
    report = report.replace(base.name, "内置示例")  # a second demo keeps the first one's staff cells: say from what
    took = time.perf_counter() - t0
    return (f"{report}\n工作表：{TRACKING_SHEET}、{SETTINGS_SHEET}、{TEMPLATES_SHEET}、{COLUMNS_SHEET}、{VALUES_SHEET}、"
            f"{'、'.join(batch.OUTPUT_SHEETS)}（用时 {took:.1f} 秒）")
