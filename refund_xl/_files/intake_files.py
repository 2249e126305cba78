"""The file host of the daily intake: ``refund-xl import EXPORT... --into BOOK``.

Reads each export (GBK/UTF-8 CSV, .xlsx; the first sheet holding a case
table), orders them oldest first by file modification time (ties: the order
given), plans the merge with :mod:`refund_xl._app.intake` and writes it into BOOK
through the one safe-write path (lock, office lock files, fingerprint,
backup, atomic replace).  A missing BOOK is created as a new .xlsx whose
sheet 售后登记 has the canonical headers; a BOOK without a tracking sheet gets
one.  A line goes to 运行日志 on every run, changes or not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Sequence

from refund_xl._app import book as book_mod, intake
from refund_xl._core import context, fields
from refund_xl._files import files
from refund_xl._app.batch import LOG, log_spec
from refund_xl._core.errors import InputFileError, OutputFileError, RefundXLError
from refund_xl._app.intake import ExportRead, MergePlan, Skipped

__all__ = ["import_exports", "ImportResult", "read_exports", "order_exports"]

TRACKING_SHEET = fields.TRACKING_SHEET
VALUES_SHEET = fields.VALUES_SHEET


@dataclass
class ImportResult:
    book: Path
    sheet: str
    plan: MergePlan
    reads: list[ExportRead]
    created: bool = False
    backup: Path | None = None

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


def read_exports(paths: Sequence[Path], aliases=None, values=None, now: datetime | None = None) -> list[ExportRead]:
    """Each export's cases; a file that cannot be read or holds no case table is one skipped line."""
    reads = []
    for p in paths:
        try:
            sheets = files.read_sheets(p)
        except RefundXLError as exc:
            reads.append(ExportRead(p.name, "", [], [Skipped(p.name, 0, f"无法读取：{exc}")]))
            continue
        got = None
        for name, rows in sheets.items():
            if name in book_mod.NOT_TRACKING:
                continue
            got = intake.read_export(p.name, rows, aliases, values, now)
            if got.cases or fields.split_table(rows, aliases) is not None:
                break
        if got is None or (not got.cases and got.skipped and got.skipped[0].line == 0):
            reads.append(ExportRead(p.name, "", [], [Skipped(p.name, 0, "找不到售后单表（需要订单号和售后类型列）")]))
        else:
            reads.append(got)
    return reads


def _pick(book, wanted: str | None, aliases) -> tuple[str, int, list, list] | None:
    """The tracking table, found as every host finds it (:func:`refund_xl._app.book.find_tracking`); None = none."""
    try:
        name, at, headers, body = book_mod.find_tracking(book, wanted, aliases, active=False)
    except InputFileError:
        return None
    return name, at, list(headers), body


def import_exports(exports: Sequence[str | os.PathLike], into: str | os.PathLike, now: datetime | None = None,
                   sheet: str | None = None, run_at: datetime | None = None) -> ImportResult:
    """Merge the exports into BOOK's tracking sheet through the safe-write path; returns what was done.

    BOOK is read once (fingerprinted) under its lock; everything is planned
    before anything is written; leaving :func:`files.open_book` writes the
    tracking cells and the 运行日志 line in one atomic replace, after a backup.
    Any error before that leaves BOOK byte-identical.
    """
    from refund_xl._files.files import open_book
    from refund_xl._files.xlsxpatch import SheetSpec

    path = Path(into)
    if path.suffix.lower() not in files.EXCEL_SUFFIXES:
        raise OutputFileError(f"不支持的登记表类型：{path.name}（需为 .xlsx 或 .xlsm）")
    if not path.exists() and path.suffix.lower() == ".xlsm":
        raise OutputFileError(f"{path.name} 不存在：含宏的工作簿请先用 refund-xl setup 生成，或改用 .xlsx")
    paths = order_exports(exports)
    run_at = run_at or datetime.now().replace(microsecond=0)
    created = not path.exists()
    with open_book(path) as book:
        names = book.sheet_names
        aliases = context.build(book_mod.own_tables(book), now=now).mappings  # the book's 列名映射 + 值映射
        picked = None
        if not (sheet and sheet not in names):
            picked = _pick(book, sheet, aliases)
            if picked is None and sheet:
                raise InputFileError(f"工作表「{sheet}」里找不到售后登记表：需要「订单号」和「售后类型」两列")
        if picked is None and (sheet or TRACKING_SHEET) in names:
            raise InputFileError(f"{path.name} 已有工作表「{sheet or TRACKING_SHEET}」但不是售后登记表，请用 --sheet 指定")
        reads = read_exports(paths, aliases, None, now)
        _all_unreadable(reads)
        if picked is None:
            name, at, headers, body = sheet or TRACKING_SHEET, 0, intake.new_sheet_headers(), []
            plan = intake.plan_merge(headers, [], reads, room_limit=len(headers))
            widths = [max(10.0, min(24.0, 2.2 * len(str(h)) + 4)) for h in headers]
            book.put_sheet(SheetSpec(name[:31], [headers, *plan.appended], widths=widths, bold_rows={0},
                                     freeze_row=1, autofilter_row=0))
        else:
            name, at, headers, body = picked
            plan = intake.plan_merge(headers, body, reads, aliases, room_limit=_room_limit(path, name))
            cells = plan.sheet_cells(at, len(body))
            if cells:
                book.set_cells(name, cells)
        log = intake.log_rows(book.rows(LOG) if LOG in names else None, run_at, now,
                              len(body) + plan.counts["new"], plan.summary(),
                              "；".join(r.reading for r in reads if r.reading))
        book.put_sheet(log_spec(log))
    result = ImportResult(path, name, plan, reads, created=created)
    result.backup = book.backup_path
    return result


def _all_unreadable(reads: list[ExportRead]) -> None:
    if reads and not any(r.cases for r in reads) and all(
            r.skipped and r.skipped[0].line == 0 for r in reads):
        raise InputFileError("没有可导入的导出文件：" + "；".join(f"{r.source} {r.skipped[0].reason}" for r in reads))


def _room_limit(book: Path, sheet: str) -> int | None:
    """New columns go right of the data, never into the template's formula block (REFUND_TABLE)."""
    if sheet == TRACKING_SHEET and book.suffix.lower() == ".xlsm":
        from refund_xl._template import DATA_LAST_COL, col_number

        return col_number(DATA_LAST_COL)
    return None
