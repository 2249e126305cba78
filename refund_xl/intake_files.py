"""The file host of the daily intake: ``refund-xl import EXPORT... --into BOOK``.

Reads each export (GBK/UTF-8 CSV, .xlsx; the first sheet holding a case
table), orders them oldest first by file modification time (ties: the order
given), plans the merge with :mod:`refund_xl.intake` and writes it into BOOK
through the one safe-write path (lock, office lock files, fingerprint,
backup, atomic replace).  A missing BOOK is created as a new .xlsx whose
sheet 售后登记 has the canonical headers; a BOOK without a tracking sheet gets
one.  A line goes to 运行日志 on every run, changes or not.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Sequence

from . import fields, files, intake
from .batch import LOG
from .errors import InputFileError, OutputFileError, RefundXLError
from .intake import ExportRead, MergePlan, Skipped

__all__ = ["import_exports", "ImportResult", "read_exports", "order_exports"]

TRACKING_SHEET = fields.TRACKING_SHEET
VALUES_SHEET = "值映射"
_NOT_TRACKING = {LOG, "设置", "话术模板", fields.MAPPING_SHEET, VALUES_SHEET, "xlwings.conf",
                 "拦截登记", "快递拦截清单", "回复话术", "今日概览", "读取报告"}


@dataclass
class ImportResult:
    book: Path
    sheet: str
    plan: MergePlan
    reads: list[ExportRead]
    created: bool = False
    backup: Path | None = None
    lines: list[str] = field(default_factory=list)

    def report(self) -> str:
        """What the command prints: one reading line per export, then the summary."""
        out = [f"读取 {r.report}" for r in self.reads if r.report]
        head = f"已{'新建' if self.created else '更新'} {self.book.name}「{self.sheet}」：" if (
            self.plan.changes or self.created) else f"{self.book.name}「{self.sheet}」无变化："
        out.append(head + self.plan.summary())
        for s in self.plan.skipped[:12]:
            where = f"第{s.line}行" if s.line else "整个文件"
            out.append(f"  跳过 {s.source} {where}：{s.reason}")
        if len(self.plan.skipped) > 12:
            out.append(f"  … 另有 {len(self.plan.skipped) - 12} 行跳过")
        if self.backup is not None:
            out.append(f"原文件已备份为 {self.backup.name}")
        return "\n".join(out)


def order_exports(paths: Sequence[str | os.PathLike]) -> list[Path]:
    """Oldest first by modification time (the newest export is applied last); ties keep the order given."""
    items = [Path(p) for p in paths]
    for p in items:
        if not p.exists():
            raise InputFileError(f"找不到文件：{p}")

    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    return [p for _i, p in sorted(enumerate(items), key=lambda t: (mtime(t[1]), t[0]))]


def _values_table(sheets: dict) -> object:
    return sheets.get(VALUES_SHEET)


def read_exports(paths: Sequence[Path], aliases=None, values=None) -> list[ExportRead]:
    """Each export's cases; a file that cannot be read or holds no case table is one skipped line."""
    reads = []
    for p in paths:
        try:
            sheets = files.read_sheets(p)
        except RefundXLError as exc:
            reads.append(ExportRead(p.name, "", [], [Skipped(p.name, 0, f"无法读取：{exc}")], {}, [], {}))
            continue
        got = None
        for name, rows in sheets.items():
            if name in _NOT_TRACKING:
                continue
            got = intake.read_export(p.name, rows, aliases, values)
            if got.cases or fields.split_table(rows, aliases) is not None:
                break
        if got is None or (not got.cases and got.skipped and got.skipped[0].line == 0):
            reads.append(ExportRead(p.name, "", [], [Skipped(p.name, 0, "找不到售后单表（需要订单号和售后类型列）")],
                                    {}, [], {}))
        else:
            reads.append(got)
    return reads


def _pick(sheets: dict, wanted: str | None, aliases) -> tuple[str, int, list, list] | None:
    if wanted:
        names = [wanted] if wanted in sheets else []
    else:
        names = ([TRACKING_SHEET] if TRACKING_SHEET in sheets else []) + [n for n in sheets if n not in _NOT_TRACKING]
    for name in dict.fromkeys(names):
        found = fields.split_table(sheets[name], aliases)
        if found is not None:
            at, headers, body = found
            return name, at, list(headers), body
    return None


def import_exports(exports: Sequence[str | os.PathLike], into: str | os.PathLike, now: datetime | None = None,
                   sheet: str | None = None, run_at: datetime | None = None) -> ImportResult:
    """Merge the exports into BOOK's tracking sheet; returns what was done."""
    book = Path(into)
    if book.suffix.lower() not in files.EXCEL_SUFFIXES:
        raise OutputFileError(f"不支持的登记表类型：{book.name}（需为 .xlsx 或 .xlsm）")
    paths = order_exports(exports)
    run_at = run_at or datetime.now().replace(microsecond=0)
    if not book.exists():
        if book.suffix.lower() == ".xlsm":
            raise OutputFileError(f"{book.name} 不存在：含宏的工作簿请先用 refund-xl setup 生成，或改用 .xlsx")
        return _create(book, paths, now, sheet or TRACKING_SHEET, run_at)
    return _update(book, paths, now, sheet, run_at)


def _all_unreadable(reads: list[ExportRead]) -> None:
    if reads and not any(r.cases for r in reads) and all(
            r.skipped and r.skipped[0].line == 0 for r in reads):
        raise InputFileError("没有可导入的导出文件：" + "；".join(f"{r.source} {r.skipped[0].reason}" for r in reads))


def _create(book: Path, paths, now, sheet: str, run_at: datetime) -> ImportResult:
    reads = read_exports(paths)
    _all_unreadable(reads)
    headers = intake.new_sheet_headers()
    plan = intake.plan_merge(headers, [], reads, room_limit=len(headers))
    result = ImportResult(book, sheet, plan, reads, created=True)
    log = intake.log_rows(None, run_at, now, plan.counts["new"], plan.summary())
    _new_book(book, sheet, [headers, *plan.appended], log)
    return result


def _new_book(path: Path, sheet: str, table: list[list[object]], log: list[list[object]]) -> None:
    import xlsxwriter

    from .xlsxpatch import SheetSpec, patch_workbook

    widths = [max(10.0, min(24.0, 2.2 * len(str(h)) + 4)) for h in table[0]]
    with files.file_lock(path), files.atomic_path(path) as tmp:
        with tempfile.TemporaryDirectory() as folder:
            shell = Path(folder) / "shell.xlsx"
            wb = xlsxwriter.Workbook(str(shell))
            wb.add_worksheet(sheet[:31])
            wb.close()
            try:
                patch_workbook(shell, tmp, [
                    SheetSpec(sheet[:31], table, widths=widths, bold_rows={0}, freeze_row=1, autofilter_row=0),
                    SheetSpec(LOG, log, widths=[17, 17, 9, 12, 70], bold_rows={0}, freeze_row=1)])
            except OSError as exc:
                raise OutputFileError(f"无法写入 {path.name}：{exc.strerror or exc}") from None


def _update(book: Path, paths, now, sheet: str | None, run_at: datetime) -> ImportResult:
    sheets = files.read_sheets(book)
    _settings, aliases = files.own_tables(sheets, None, None)
    values = _values_table(sheets)
    if sheet and sheet not in sheets:
        picked = None  # a new sheet of that name
    else:
        picked = _pick(sheets, sheet, aliases)
        if picked is None and sheet:
            raise InputFileError(f"工作表「{sheet}」里找不到售后登记表：需要「订单号」和「售后类型」两列")
    reads = read_exports(paths, aliases, values)
    _all_unreadable(reads)
    log_prev = sheets.get(LOG)
    if picked is None:
        name = sheet or TRACKING_SHEET
        if name in sheets:
            raise InputFileError(f"{book.name} 已有工作表「{name}」但不是售后登记表，请用 --sheet 指定")
        headers = intake.new_sheet_headers()
        plan = intake.plan_merge(headers, [], reads, room_limit=len(headers))
        at, body = 0, []
        new_sheet = [headers, *plan.appended]
    else:
        name, at, headers, body = picked
        plan = intake.plan_merge(headers, body, reads, aliases, room_limit=_room_limit(book, name, headers))
        new_sheet = None
    total = len(body) + plan.counts["new"]
    log = intake.log_rows(log_prev, run_at, now, total, plan.summary())
    del sheets
    result = ImportResult(book, name, plan, reads)
    result.backup = _write(book, name, at, len(body), plan, new_sheet, log)
    return result


def _room_limit(book: Path, sheet: str, headers: list) -> int | None:
    """New columns go right of the data, never into the template's formula block (REFUND_TABLE)."""
    try:
        from .template_build import DATA_LAST_COL, col_number
    except ImportError:  # pragma: no cover
        return None
    if sheet == TRACKING_SHEET and book.suffix.lower() == ".xlsm":
        return col_number(DATA_LAST_COL)
    return None


def _cell_updates(at: int, body_len: int, plan: MergePlan) -> dict[tuple[int, int], object]:
    """The plan as sheet cells (0-based row/column of the sheet)."""
    cells: dict[tuple[int, int], object] = {}
    for c, h in plan.new_headers.items():
        cells[(at, c)] = h
    for (r, c), v in plan.cells.items():
        cells[(at + 1 + r, c)] = v
    for k, row in enumerate(plan.appended):
        for c, v in enumerate(row):
            if v is not None:
                cells[(at + 1 + body_len + k, c)] = v
    return cells


def _write(book: Path, sheet: str, at: int, body_len: int, plan: MergePlan, new_sheet, log) -> Path | None:
    """Everything in one safe write: the tracking cells, a new sheet if any, 运行日志."""
    try:
        from .files import open_book  # the one safe-write path (issue 10)
    except ImportError:
        open_book = None
    cells = _cell_updates(at, body_len, plan)
    if open_book is not None:
        from .xlsxpatch import SheetSpec

        with open_book(book) as wb:
            if new_sheet is not None:
                wb.put_sheet(SheetSpec(sheet, new_sheet, bold_rows={0}, freeze_row=1, autofilter_row=0))
            elif cells:
                wb.set_cells(sheet, cells)
            wb.put_sheet(SheetSpec(LOG, log, widths=[17, 17, 9, 12, 70], bold_rows={0}, freeze_row=1))
            return getattr(wb, "backup", None)
    return _write_openpyxl(book, sheet, cells, new_sheet, log)


def _write_openpyxl(book: Path, sheet: str, cells, new_sheet, log) -> Path | None:
    """Stand-in until the shared safe-write path is merged: .xlsx only (openpyxl drops a ribbon)."""
    if book.suffix.lower() != ".xlsx":
        raise OutputFileError(f"{book.name}：含宏的工作簿请在 Excel 中用「导入平台导出」按钮导入")
    import openpyxl

    def put(ws, r, c, v):
        cell = ws.cell(row=r + 1, column=c + 1)
        cell.value = v
        if isinstance(v, str):
            cell.data_type = "s"  # text stays text, never a formula
        elif isinstance(v, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"

    with files.file_lock(book):
        wb = openpyxl.load_workbook(book)
        try:
            ws = wb[sheet] if sheet in wb.sheetnames else wb.create_sheet(sheet)
            for r, row in enumerate(new_sheet or []):
                for c, v in enumerate(row):
                    if v is not None:
                        put(ws, r, c, v)
            for (r, c), v in cells.items():
                put(ws, r, c, v)
            lws = wb[LOG] if LOG in wb.sheetnames else wb.create_sheet(LOG)
            for r, row in enumerate(log):
                for c, v in enumerate(row):
                    if v is not None and lws.cell(row=r + 1, column=c + 1).value != v:
                        put(lws, r, c, v)
            saved = files.backup(book)
            with files.atomic_path(book) as tmp:
                try:
                    wb.save(tmp)
                except OSError as exc:
                    raise OutputFileError(f"无法写入 {book.name}：{exc.strerror or exc}") from None
        finally:
            with contextlib.suppress(Exception):
                wb.close()
    return saved
