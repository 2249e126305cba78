"""The file host: tracking sheets in and out of .xlsx / .xlsm / .csv files.

All I/O of the command line lives here, behind a few functions:

* :func:`read_table` — one sheet of a workbook or a CSV as (headers, rows);
* :func:`read_sheets` — every sheet of a workbook as plain rows;
* :func:`write_table` — a header + rows table to .xlsx/.xlsm/.csv, atomically;
* :func:`atomic_path`, :func:`backup`, :func:`file_lock` — nothing lost, no two
  batches at once.

Reading uses python-calamine (fast); writing a fresh table uses XlsxWriter in
constant-memory mode, with every text written as text (never a formula).
Every failure is raised as a one-line :class:`~refund_xl.errors.RefundXLError`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from xlsxwriter.exceptions import XlsxWriterException

from .errors import BusyError, InputFileError, OutputFileError, clip
from . import settings as settings_mod
from .fields import (MAPPING_SHEET, VALUES_SHEET, Mappings, as_mappings, find_header_row, header_at,
                     no_table_message, parse_mapping_table, parse_value_table, split_table)
from .settings import Settings

__all__ = ["Table", "read_table", "read_sheets", "write_table", "atomic_path", "backup",
           "file_lock", "find_header_row", "header_at", "inert", "EXCEL_SUFFIXES", "read_named",
           "own_tables"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    headers: list[object]
    rows: list[list[object]]
    sheet: str = ""
    header_row: int = 1  # 1-based sheet row of the headers


# ------------------------------------------------------------------ reading

def _open_error(path: Path, exc: BaseException) -> InputFileError:
    if isinstance(exc, FileNotFoundError):
        return InputFileError(f"找不到文件：{path}")
    if isinstance(exc, PermissionError):
        return InputFileError(f"无法读取 {path.name}：文件被占用或没有权限（是否正在 Excel 中打开？）")
    return InputFileError(f"无法读取 {path.name}：不是有效的 Excel/CSV 文件（{type(exc).__name__}）")


def _read_csv(path: Path) -> list[list[object]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _open_error(path, exc) from None
    if b"\x00" in raw[:4096]:
        raise InputFileError(f"无法读取 {path.name}：不是文本 CSV 文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise InputFileError(f"无法读取 {path.name}：编码无法识别（请另存为 UTF-8 CSV）")
    return [[c if c != "" else None for c in row] for row in csv.reader(io.StringIO(text))]


class _Sheets:
    """A file's sheets, each read on first use (a CSV is one sheet named after the file)."""

    def __init__(self, path: Path):
        self.path = path
        suffix = path.suffix.lower()
        if suffix not in (".csv", *EXCEL_SUFFIXES):
            raise InputFileError(f"不支持的文件类型：{path.name}（支持 .xlsx / .xlsm / .csv）")
        if suffix == ".csv":
            self.book, self.names = None, [path.stem]
            return
        try:
            with open(path, "rb"):  # missing or locked: say so (the reader's own errors are vaguer)
                pass
        except OSError as exc:
            raise _open_error(path, exc) from None
        try:
            from python_calamine import load_workbook
            self.book = load_workbook(str(path))
            self.names = list(self.book.sheet_names)
        except Exception as exc:
            raise _open_error(path, exc) from None

    def rows(self, name: str) -> list[list[object]]:
        if self.book is None:
            return _read_csv(self.path)
        try:
            return [[None if c == "" else c for c in row]
                    for row in self.book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
        except Exception as exc:
            raise _open_error(self.path, exc) from None


def read_sheets(path: str | os.PathLike) -> dict[str, list[list[object]]]:
    """Every sheet as rows of cell values (a CSV is one sheet named after the file)."""
    book = _Sheets(Path(path))
    return {name: book.rows(name) for name in book.names}


def read_named(path: str | os.PathLike, names: Iterable[str]) -> dict[str, list[list[object]]]:
    """Only the named sheets that the file has (a CSV has none of them)."""
    book = _Sheets(Path(path))
    if book.book is None:
        return {}
    return {name: book.rows(name) for name in names if name in book.names}


def own_tables(sheets: Mapping[str, list[list[object]]], settings: Settings | None,
               aliases: object) -> tuple[Settings, Mappings]:
    """A workbook's own 设置, 列名映射 and 值映射 sheets, where the caller gave none of that table."""
    given = as_mappings(aliases)
    columns = given.columns
    if not columns and MAPPING_SHEET in sheets:
        columns = parse_mapping_table(sheets[MAPPING_SHEET])
    values = given.values
    if not values and VALUES_SHEET in sheets:
        values = parse_value_table(sheets[VALUES_SHEET])
    aliases = Mappings(columns, values)
    if settings is None and settings_mod.SHEET in sheets:
        settings = settings_mod.from_table(sheets[settings_mod.SHEET], sheet=settings_mod.SHEET)
    return settings or Settings(), aliases


def read_table(path: str | os.PathLike, sheet: str | None = None, aliases=None) -> Table:
    """The tracking table of a file: the named sheet, or the first that has the columns.

    Sheets are read one at a time and the search stops at the first table,
    so the batch's output sheets in the same workbook are not read.
    """
    path = Path(path)
    book = _Sheets(path)
    if sheet and sheet not in book.names:
        raise InputFileError(f"{path.name} 中没有名为「{sheet}」的工作表（现有：{'、'.join(book.names)}）")
    for name in [sheet] if sheet else book.names:
        found = split_table(book.rows(name), aliases)
        if found is not None:
            at, headers, body = found
            return Table(headers, body, name, at + 1)
    raise InputFileError(no_table_message(f"工作表「{sheet}」" if sheet else path.name))


# ------------------------------------------------------------------ writing

def inert(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made plain (for CSV)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place on success.

    On any failure the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=folder)
    except OSError as exc:
        raise OutputFileError(f"无法写入 {folder}：{exc.strerror or exc}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    _give_mode(tmp_path, target)
    try:
        yield tmp_path
        try:
            os.replace(tmp_path, target)
        except PermissionError:
            raise OutputFileError(f"无法写入 {target.name}：文件被占用（请先在 Excel 中关闭它）") from None
        except OSError as exc:
            raise OutputFileError(f"无法写入 {target.name}：{exc.strerror or exc}") from None
    finally:
        if tmp_path.exists():
            with contextlib.suppress(OSError):
                tmp_path.unlink()


def _give_mode(tmp: Path, target: Path) -> None:
    """mkstemp makes 0600 files: give the file the mode the target had, or the usual one."""
    try:
        if target.exists():
            mode = target.stat().st_mode & 0o7777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
    except OSError:
        pass


def backup(path: str | os.PathLike, when: datetime | None = None) -> Path:
    """Copy ``path`` to ``<stem>.bak-YYYYmmdd-HHMMSS<suffix>`` beside it."""
    path = Path(path)
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.stem}.bak-{stamp}{path.suffix}")
    n = 1
    while dest.exists():
        dest = path.with_name(f"{path.stem}.bak-{stamp}-{n}{path.suffix}")
        n += 1
    try:
        shutil.copy2(path, dest)
    except OSError as exc:
        raise OutputFileError(f"无法备份 {path.name}：{exc.strerror or exc}") from None
    return dest


@contextlib.contextmanager
def file_lock(path: str | os.PathLike, stale_after: float = 1800.0) -> Iterator[Path]:
    """One batch at a time per workbook: ``<name>.lock`` created exclusively.

    A lock older than ``stale_after`` seconds (a crashed run) is taken over.
    """
    path = Path(path)
    lock = path.with_name(f".{path.name}.refund-xl.lock")
    for attempt in (1, 2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            try:
                age = time.time() - lock.stat().st_mtime
            except OSError:
                age = 0.0
            if attempt == 1 and age > stale_after:
                with contextlib.suppress(OSError):
                    lock.unlink()
                continue
            raise BusyError(f"{path.name} 正在被另一个批处理使用，请稍后再试"
                            f"（如确认没有在运行，可删除 {lock.name}）") from None
        except OSError as exc:
            raise OutputFileError(f"无法锁定 {path.name}：{exc.strerror or exc}") from None
    with os.fdopen(fd, "w") as fh:
        fh.write(f"{os.getpid()} {datetime.now().isoformat(timespec='seconds')}\n")
    try:
        yield lock
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()


def _vba_of(source: Path | None) -> bytes | None:
    if source is None or source.suffix.lower() != ".xlsm":
        return None
    try:
        with zipfile.ZipFile(source) as z:
            return z.read("xl/vbaProject.bin")
    except (KeyError, OSError, zipfile.BadZipFile):
        return None


def _write_xlsx(path: Path, headers: Sequence[object], rows: Iterable[Sequence[object]],
                sheet: str, vba: bytes | None, layout=None) -> None:
    """A one-sheet workbook: an empty shell from XlsxWriter, the sheet's XML written directly.

    XlsxWriter's cell-by-cell API costs ~15 µs a cell (50 s for a 100k-row
    result); the sheet writer the batch uses streams plain cells, every text
    as an inline string (never a formula), ids as text.
    """
    import xlsxwriter

    from .xlsxpatch import SheetSpec, patch_workbook

    name = sheet[:31] or "Sheet1"
    shell = path.with_name(path.stem + ".shell" + path.suffix)
    book = xlsxwriter.Workbook(str(shell))
    try:
        if vba is not None:
            book.add_vba_project(io.BytesIO(vba), is_stream=True)
        book.add_worksheet(name)
    finally:
        book.close()
    try:
        table = [["" if h is None else str(h) for h in headers], *rows]
        widths = [max(10.0, min(40.0, 2.2 * len(h) + 2)) for h in table[0]]
        if layout is not None:  # an outputs.TableLayout: widths and wrapped columns
            widths = list(layout.widths) + widths[len(layout.widths):]
        patch_workbook(shell, path, [SheetSpec(name, table, widths=widths, bold_rows={0},
                                               wrap_cols=set(layout.wrap_cols) if layout is not None else set(),
                                               freeze_row=1, autofilter_row=0)])
    finally:
        with contextlib.suppress(OSError):
            shell.unlink()


def _write_csv(path: Path, headers: Sequence[object], rows: Iterable[Sequence[object]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["" if h is None else inert(str(h)) for h in headers])
        for row in rows:
            out.writerow(["" if v is None else
                          v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, datetime) else inert(v)
                          for v in row])


def write_table(path: str | os.PathLike, headers: Sequence[object], rows: Iterable[Sequence[object]],
                sheet: str = "Sheet1", source: str | os.PathLike | None = None, layout=None) -> Path:
    """Write a fresh table to .xlsx/.xlsm/.csv, atomically.  Returns the path.

    For .xlsm the macros of ``source`` (an .xlsm) are carried over.  ``layout``
    (an :class:`~refund_xl.outputs.TableLayout`) sets a workbook's widths and
    wrapped columns; a CSV ignores it.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", *EXCEL_SUFFIXES):
        raise OutputFileError(f"不支持的输出类型：{path.name}（支持 .xlsx / .xlsm / .csv）")
    with atomic_path(path) as tmp:
        try:
            if suffix == ".csv":
                _write_csv(tmp, headers, rows)
            else:
                vba = _vba_of(Path(source)) if suffix == ".xlsm" and source else None
                if suffix == ".xlsm" and vba is None:
                    raise OutputFileError(f"{path.name}：只有输入为 .xlsm 时才能输出 .xlsm（请改用 .xlsx）")
                _write_xlsx(tmp, headers, rows, sheet, vba, layout)
        except OSError as exc:
            raise OutputFileError(f"无法写入 {path.name}：{exc.strerror or exc}") from None
        except XlsxWriterException as exc:  # XlsxWriter's own report of a failed save
            raise OutputFileError(f"无法写入 {path.name}：{clip(exc, 60)}") from None
    return path
