"""The file host of the daily intake: ``refund-xl import EXPORT... --into BOOK`` (and the ribbon's exports).

Opens each export as an :class:`~refund_xl._app.intake.ExportSource` (oldest
first by file modification time; ties keep the order given): a CSV (GBK or
UTF-8, with or without BOM, CR-only line ends) is streamed line by line, never
held whole; a workbook is read one sheet at a time through the bounded reader
(:class:`~refund_xl._files.files.SheetReader`).  A file that turns out damaged
(a bad zip or CRC, an encoding no reader knows, a stray quote that swallows the
rest) raises one Chinese line, and the use case skips that file alone.

:func:`import_exports` is the command: the use case
:func:`refund_xl._app.intake.run_import` over the book opened on the one
safe-write path (lock, office lock files, fingerprint, backup, atomic replace).
A missing BOOK is created as a new .xlsx whose sheet 售后登记 has the canonical
headers.
"""

from __future__ import annotations

import codecs
import csv
import os
import zipfile
import zlib
from datetime import datetime
from pathlib import Path
from typing import Iterator, Sequence

from refund_xl._app import book as book_mod, intake
from refund_xl._core import context
from refund_xl._core.errors import InputFileError, OutputFileError, RefundXLError
from refund_xl._files import filebook, files

__all__ = ["import_exports", "open_exports", "order_exports", "FileExport", "block_col"]

_CHUNK = 1 << 20
# What a damaged workbook raises from the zip and XML layers (said as one line, never a traceback).
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError, IndexError, UnicodeDecodeError)


def _damaged(name: str) -> InputFileError:
    return InputFileError(f"无法读取 {name}：文件已损坏或不完整（请重新下载或导出）")


def _unreadable(path: Path, exc: OSError) -> InputFileError:
    if isinstance(exc, PermissionError):
        return InputFileError(f"无法读取 {path.name}：文件被占用或没有权限（是否正在 Excel 中打开？）")
    return InputFileError(f"无法读取 {path.name}：{exc.strerror or '读取失败'}")


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when every byte of the file decodes as UTF-8, else GB18030 (GBK)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            head = fh.read(_CHUNK)
            if head.startswith(files.UTF16_BOMS):  # Excel's 「Unicode 文本」
                return "utf-16"
            if b"\x00" in head[:4096]:
                raise InputFileError(f"无法读取 {path.name}：不是文本 CSV 文件")
            if head.startswith(codecs.BOM_UTF8):
                return "utf-8-sig"
            chunk = head
            while chunk:
                decoder.decode(chunk)
                chunk = fh.read(_CHUNK)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"
    except OSError as exc:
        raise _unreadable(path, exc) from None
    return "utf-8"


class FileExport:
    """An export file (the :class:`~refund_xl._app.intake.ExportSource` of the file host)."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name

    def tables(self) -> Iterator[tuple[str, Iterator[list[object]]]]:
        suffix = self.path.suffix.lower()
        if suffix == ".csv":
            yield self.path.stem, self._csv_rows()
            return
        try:
            reader = files.SheetReader(self.path)
        except RefundXLError:
            raise
        except _DAMAGED:
            raise _damaged(self.name) from None
        for sheet in reader.sheet_names:
            if sheet in book_mod.NOT_TRACKING:
                continue
            try:
                rows = reader.rows(sheet)
            except RefundXLError:
                raise
            except _DAMAGED:
                raise _damaged(self.name) from None
            yield sheet, iter(rows)
            reader.forget(sheet)

    def _csv_rows(self) -> Iterator[list[object]]:
        encoding = _csv_encoding(self.path)
        width = 0
        try:
            with open(self.path, encoding=encoding, newline="") as fh:
                delimiter = files.csv_delimiter(fh.read(65536))
                fh.seek(0)
                reader = csv.reader(fh, delimiter=delimiter)
                for row in reader:
                    width = width or len(row)
                    if "\n" in "".join(row) and any(files.swallowed_records(c, width, delimiter) for c in row):
                        raise InputFileError(f"无法读取 {self.name}：第 {reader.line_num} 行附近有不成对的英文引号，"
                                             "其后多行被并进了一个格子；请删除或补全该引号后再试")
                    yield [c if c != "" else None for c in row]
        except csv.Error:
            raise InputFileError(f"无法读取 {self.name}：第 {reader.line_num} 行附近格式有误") from None
        except UnicodeDecodeError:
            raise InputFileError(f"无法读取 {self.name}：编码无法识别（请另存为 UTF-8 CSV）") from None
        except OSError as exc:
            raise _unreadable(self.path, exc) from None


def order_exports(paths: Sequence[str | os.PathLike]) -> list[Path]:
    """Oldest first by modification time (the newest export is applied last); ties keep the order given."""
    items = [Path(p) for p in paths]
    for p in items:
        if not p.exists():
            raise InputFileError(f"找不到文件：{p}")
        if p.is_dir():
            raise InputFileError(f"{p} 是一个文件夹：请给出导出文件")

    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    return [p for _i, p in sorted(enumerate(items), key=lambda t: (mtime(t[1]), t[0]))]


def open_exports(paths: Sequence[str | os.PathLike]) -> list[FileExport]:
    """The exports as sources, oldest first (a missing file stops the run: it was named by mistake)."""
    return [FileExport(p) for p in order_exports(paths)]


def block_col() -> int:
    """The template's formula block (0-based first column of REFUND_TABLE's results): no new column goes there."""
    from refund_xl._template import DATA_LAST_COL, col_number

    return col_number(DATA_LAST_COL)


def import_exports(exports: Sequence[str | os.PathLike], into: str | os.PathLike, now: datetime | None = None,
                   sheet: str | None = None, run_at: datetime | None = None) -> intake.ImportResult:
    """Merge the exports into BOOK's tracking sheet through the safe-write path; returns what was done.

    BOOK is read once (fingerprinted) under its lock; everything is planned
    before anything is written; leaving :func:`filebook.open_book` writes the
    tracking cells and the 运行日志 line in one atomic replace, after a backup.
    Any error before that leaves BOOK byte-identical.
    """
    path = Path(into)
    if path.suffix.lower() not in files.EXCEL_SUFFIXES:
        raise OutputFileError(f"不支持的登记表类型：{path.name}（需为 .xlsx 或 .xlsm）")
    if not path.exists() and path.suffix.lower() == ".xlsm":
        raise OutputFileError(f"{path.name} 不存在：含宏的工作簿请先用 refund-xl setup 生成，或改用 .xlsx")
    sources = open_exports(exports)
    try:
        with filebook.open_book(path) as book:
            ctx = context.build(book_mod.own_tables(book), now=now)
            result = intake.run_import(book, ctx, sources, sheet=sheet, block_col=block_col(),
                                       run_at=run_at or datetime.now().replace(microsecond=0), book_name=path.name)
    except (zipfile.BadZipFile, zlib.error) as exc:  # the BOOK is damaged (the exports' damage is caught per file)
        raise InputFileError(f"无法读取 {path.name}：文件已损坏或不完整（原文件未改动；"
                             "请用 Excel 打开修复后另存，或从备份恢复）") from exc
    result.created = result.created or not book.exists
    if book.backup_path is not None:
        result.backup = book.backup_path.name
    return result
