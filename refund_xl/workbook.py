"""The file host of the daily batch (SPEC §6/§7): ``refund-xl batch`` and ``refund-xl demo``.

Reads a workbook (or a CSV), runs :func:`refund_xl.batch.run` and writes the
output sheets back into a copy of the workbook: every other sheet — the
tracking sheet, 设置, 话术模板, macros, the ribbon — is carried over untouched
(:mod:`refund_xl.xlsxpatch` rewrites only the output sheets' parts), written
to a temporary file and moved into place, under a lock, after a backup when
the input itself is updated.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Mapping

from . import batch, fields, files, replies, settings as settings_mod
from .errors import InputFileError, OutputFileError
from .settings import Settings, settings_table
from .xlsxpatch import ChartRef, SheetSpec, patch_workbook

__all__ = ["run_batch_file", "run_demo", "DEMO_NOW", "TRACKING_SHEET", "sheet_specs"]

DEMO_NOW = datetime(2025, 6, 10, 12, 0)  # the packaged sample's reference time
TRACKING_SHEET, COLUMNS_SHEET = fields.TRACKING_SHEET, fields.MAPPING_SHEET
SETTINGS_SHEET, TEMPLATES_SHEET = settings_mod.SHEET, replies.SHEET
_NOT_TRACKING = set(batch.OUTPUT_SHEETS) | {SETTINGS_SHEET, TEMPLATES_SHEET, COLUMNS_SHEET, fields.VALUES_SHEET,
                                            "xlwings.conf"}


class _Progress:
    """One stderr line per step (no dependency; silent when off)."""

    def __init__(self, on: bool):
        self.on = on
        self.t0 = time.perf_counter()

    def __call__(self, text: str) -> None:
        if self.on:
            print(f"[{time.perf_counter() - self.t0:5.1f}s] {text}", file=sys.stderr, flush=True)


def _pick_tracking(sheets: Mapping[str, list[list[object]]], wanted: str | None, aliases, name: str):
    if wanted:
        if wanted not in sheets:
            raise InputFileError(f"{name} 中没有名为「{wanted}」的工作表（现有：{'、'.join(sheets)}）")
        candidates = [wanted]
    else:
        candidates = [n for n in sheets if n not in _NOT_TRACKING]
    for sheet in candidates:
        found = fields.split_table(sheets[sheet], aliases)
        if found is not None:
            _at, headers, body = found
            return sheet, headers, body
    raise InputFileError(fields.no_table_message(f"工作表「{wanted}」" if wanted else name))


def sheet_specs(result: batch.BatchResult) -> list[SheetSpec]:
    """How each output sheet is laid out in the file (widths, bold rows, frozen header, chart)."""
    specs = []
    for name in batch.OUTPUT_SHEETS:
        if name not in result.sheets:
            continue
        rows = result.sheets[name]
        head = result.header_row.get(name)
        chart = None
        if name == batch.OVERVIEW and result.chart is not None:
            c = result.chart
            chart = ChartRef(c.title, c.header_row, c.first_row, c.last_row, c.label_col, c.value_col, c.anchor)
        specs.append(SheetSpec(
            name=name, rows=rows, widths=result.widths.get(name, ()),
            bold_rows=result.bold_rows.get(name, set()), wrap_cols=result.wrap_cols.get(name, set()),
            freeze_row=(head + 1) if head is not None else 0,
            autofilter_row=head if name in (batch.REGISTER, batch.REPLIES) else None,
            chart=chart))
    return specs


def run_batch_file(input: str | Path, out: str | Path | None = None, sheet: str | None = None,
                   settings: Settings | None = None, aliases: Mapping[str, str] | None = None,
                   now: datetime | None = None, progress: bool = True, part: str = "daily") -> str:
    """The daily batch on a workbook file; returns a short Chinese summary line.

    OUTPUT = INPUT with the output sheets added or updated.  Without ``out``
    the input is updated in place after :func:`files.backup`.  A CSV input
    needs an .xlsx ``out`` (its table becomes the sheet 售后登记).
    """
    say = _Progress(progress)
    src = Path(input)
    dest = Path(out) if out else src
    s_in, s_out = src.suffix.lower(), dest.suffix.lower()
    if s_in not in (".csv", *files.EXCEL_SUFFIXES):
        raise InputFileError(f"不支持的文件类型：{src.name}（支持 .xlsx / .xlsm / .csv）")
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

    with files.file_lock(dest):
        say(f"读取 {src.name} …")
        sheets = files.read_sheets(src)
        settings, aliases = files.own_tables(sheets, settings, aliases)
        templates = sheets.get(TEMPLATES_SHEET)
        if s_in == ".csv":
            tracking, (headers, rows) = TRACKING_SHEET, _csv_table(sheets, src, aliases)
        else:
            tracking, headers, rows = _pick_tracking(sheets, sheet, aliases, src.name)
        previous = {n: sheets[n] for n in batch.OUTPUT_SHEETS if n in sheets and s_in != ".csv"}
        say(f"判定「{tracking}」{len(rows)} 行 …")
        result = batch.run(rows, headers, settings, templates, previous, now,
                           aliases=aliases, run_at=datetime.now().replace(microsecond=0), part=part,
                           sheet=tracking)
        del sheets
        say("写出 " + "、".join(result.sheets) + " …")
        backup_note = ""
        if dest.resolve() == src.resolve() and dest.exists():
            backup_note = f"（原文件已备份为 {files.backup(src).name}）"
        with files.atomic_path(dest) as tmp:
            try:
                if s_in == ".csv":
                    with tempfile.TemporaryDirectory() as folder:
                        base = Path(folder) / "base.xlsx"
                        files.write_table(base, headers, rows, sheet=TRACKING_SHEET)
                        patch_workbook(base, tmp, sheet_specs(result))
                else:
                    patch_workbook(src, tmp, sheet_specs(result))
            except OSError as exc:
                raise OutputFileError(f"无法写入 {dest.name}：{exc.strerror or exc}") from None
            except (KeyError, ValueError) as exc:  # a package we cannot patch
                raise OutputFileError(f"无法更新 {src.name}：工作簿结构无法识别（{type(exc).__name__}）") from None
    say("完成")
    return f"已写入 {dest.name}{backup_note}：{result.summary()}"


def _csv_table(sheets, src: Path, aliases):
    found = fields.split_table(next(iter(sheets.values())), aliases)
    if found is None:
        raise InputFileError(fields.no_table_message(src.name))
    _at, headers, body = found
    return headers, body


# ------------------------------------------------------------------ demo

def _demo_book(path: Path, headers, rows) -> None:
    """A starter workbook: 售后登记 (the sample), 设置, 话术模板, 列名映射."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                           "strings_to_urls": False})
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
                    fmt = bold if r == 0 else None
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
    finally:
        book.close()


def run_demo(out_path: str | Path, now: datetime | None = None) -> str:
    """The daily batch on the packaged sample; writes ``out_path`` (refund_demo.xlsx)."""
    from .cli import sample_path

    t0 = time.perf_counter()
    sample = sample_path()
    rows = next(iter(files.read_sheets(sample).values()))
    headers, body = rows[0], rows[1:]
    out_path = Path(out_path)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "refund_demo_base.xlsx"
        _demo_book(base, headers, body)
        report = run_batch_file(base, out=out_path, now=now or DEMO_NOW, progress=False)
    took = time.perf_counter() - t0
    return (f"{report}\n工作表：{TRACKING_SHEET}、{SETTINGS_SHEET}、{TEMPLATES_SHEET}、{COLUMNS_SHEET}、"
            f"{'、'.join(batch.OUTPUT_SHEETS)}（用时 {took:.1f} 秒）")
