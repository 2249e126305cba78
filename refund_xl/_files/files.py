"""The file host: tracking sheets in and out of .xlsx / .xlsm / .csv files.

Reading files and the safe-write primitives, behind a few functions:

* :func:`read_table` — one sheet of a workbook or a CSV as (headers, rows);
* :func:`read_sheets` — every sheet of a workbook as plain rows;
* :func:`write_table` — a fresh header + rows table to .xlsx/.xlsm/.csv (never over
  an existing file without ``force``, then after a backup);
* :func:`atomic_path`, :func:`backup`, :func:`file_lock`, :func:`refuse_if_open` —
  the pieces :func:`write_table` and THE safe-write path for changing a workbook or CSV
  in place (:func:`refund_xl._files.filebook.open_book`: lock, office locks, one read,
  backup, fingerprint check, atomic replace through symlinks) are made of.

Reading uses python-calamine (fast) within bounds (:mod:`refund_xl._files.bounded`);
writing uses :mod:`refund_xl._files.xlsxpatch`, with every text written as text (never a formula).
Every failure is raised as a one-line :class:`~refund_xl._core.errors.RefundXLError`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from xlsxwriter.exceptions import XlsxWriterException

from refund_xl._app.book import find_tracking
from refund_xl._core.errors import BusyError, InputFileError, OutputFileError, clip, os_reason, reason_of
from refund_xl._core.fields import Aliases
from refund_xl._files.bounded import BoundedBook
from refund_xl._files.notes import note

__all__ = ["Table", "read_table", "read_sheets", "write_table", "atomic_path", "backup",
           "file_lock", "inert", "EXCEL_SUFFIXES",
           "real_target", "refuse_if_open", "office_lock_of", "legal_sheet_name", "os_reason"]

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
    return InputFileError(f"无法读取 {path.name}：{reason_of(exc, '不是有效的 Excel/CSV 文件')}")


csv.field_size_limit(64 * 1024 * 1024)  # a long 客户反馈 or pasted chat log is one cell, not an error

_ENCRYPTED = "受密码保护"


def _sniff_kind(path: Path, head: bytes) -> None:
    """An encrypted workbook (an OLE container, not a zip) or an old .xls, said plainly."""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        try:
            with open(path, "rb") as fh:
                blob = fh.read(1 << 20)
        except OSError:
            blob = head
        if "EncryptedPackage".encode("utf-16-le") in blob or "EncryptionInfo".encode("utf-16-le") in blob:
            raise InputFileError(f"无法读取 {path.name}：文件{_ENCRYPTED}，请在 Excel 中取消密码（文件→信息→保护工作簿）后再试")
        raise InputFileError(f"无法读取 {path.name}：这是旧版 .xls 格式，请在 Excel 中另存为 .xlsx")


UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # Excel's 「Unicode 文本」 starts with one


def decode_csv(raw: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of a CSV's bytes: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's
    「Unicode 文本」, some exports), else GB18030 (GBK)."""
    if raw.startswith(UTF16_BOMS):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputFileError(f"无法读取 {name}：编码无法识别（请另存为 UTF-8 CSV）") from None
    if b"\x00" in raw[:4096]:
        raise InputFileError(f"无法读取 {name}：不是文本 CSV 文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), ("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else
                                          "utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError(f"无法读取 {name}：编码无法识别（请另存为 UTF-8 CSV）")  # pragma: no cover


def csv_delimiter(head: str) -> str:
    """A CSV's field separator, told by its first lines (a notice line above the header row may hold neither): a tab
    where they hold more tabs than commas (Excel's 「Unicode 文本」 and tab-separated exports saved as .csv), else a
    comma."""
    lines = "\n".join(head.splitlines()[:10])
    return "\t" if lines.count("\t") > lines.count(",") else ","


def parse_csv(text: str, name: str) -> list[list[object]]:
    """Rows of a CSV's text; CR-only line ends (Excel for Mac) read too; a stray quote is one line."""
    if "\r" in text and "\n" not in text:  # "CSV (Macintosh)": lines end in CR alone
        text = text.replace("\r", "\n")
    delimiter = csv_delimiter(text[:65536])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = []
    width = 0
    try:
        start = 1
        for row in reader:
            rows.append([c if c != "" else None for c in row])
            width = width or len(row)
            # (a line break inside a cell is rare: the row is looked into only then)
            swallowed = max(swallowed_records(c, width, delimiter) for c in row) if "\n" in "".join(row) else 0
            if swallowed:
                raise InputFileError(f"无法读取 {name}：第 {start} 行有不成对的英文引号，其后 {swallowed} 行被并进了"
                                     "一个格子；请删除或补全该引号后再试")
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputFileError(f"无法读取 {name}：第 {reader.line_num} 行附近格式有误（{clip(exc, 40)}）") from None
    return rows


def swallowed_records(cell: str, width: int, delimiter: str = ",") -> int:
    """How many whole records of the file one cell holds (lines with about as many separators as the file has
    columns): a quote opened and never closed took them in; 0 for a cell that is one value (a note of a few
    lines)."""
    if width < 4 or cell.count("\n") < 2:
        return 0
    records = [line for line in cell.split("\n")[1:] if line.count(delimiter) >= max(2, width - 2)]
    return len(records) if len(records) >= 2 else 0


def _read_csv(path: Path) -> list[list[object]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _open_error(path, exc) from None
    text, _encoding = decode_csv(raw, path.name)
    return parse_csv(text, path.name)


class SheetReader:
    """A file's sheets, each read on first use (a CSV is one sheet named after the file):
    the read-only :class:`refund_xl._app.book.Book` of ``evaluate`` and of a batch's INPUT.

    A workbook is read once into memory and checked before any sheet is
    parsed (:mod:`refund_xl._files.bounded`): no sheet's used range is allocated
    beyond its real data, and a decompression bomb is refused in one line.
    """

    def __init__(self, path: Path, data: bytes | None = None):
        self.path = path
        suffix = path.suffix.lower()
        if suffix not in (".csv", *EXCEL_SUFFIXES):
            raise InputFileError(f"不支持的文件类型：{path.name}（支持 .xlsx / .xlsm / .csv）")
        if suffix == ".csv":
            self.book, self.sheet_names = None, [path.stem]
            self.data = data
            self._rows: dict[str, list[list[object]]] = {}
            return
        if data is None:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise _open_error(path, exc) from None
        _sniff_kind(path, data[:8])
        self.book = BoundedBook(data, path.name)
        self.sheet_names = self.book.sheet_names
        self._rows = {}

    def active_sheet(self) -> None:
        return None  # a file has no sheet the user is looking at

    def rows(self, name: str) -> list[list[object]]:
        if name not in self._rows:
            self._rows[name] = self._read(name)
        return self._rows[name]

    def forget(self, name: str) -> None:
        """Drop the rows kept for ``name`` (read again if asked): a big sheet's values are not held longer."""
        self._rows.pop(name, None)

    def head(self, name: str, n: int = 20) -> list[list[object]]:
        if self.book is None or name in self._rows:
            return self.rows(name)[:n]
        return self.book.head(name, n)

    def _read(self, name: str) -> list[list[object]]:
        if self.book is None:
            if self.data is not None:
                text, _enc = decode_csv(self.data, self.path.name)
                return parse_csv(text, self.path.name)
            return _read_csv(self.path)
        return self.book.rows(name)


def read_sheets(path: str | os.PathLike) -> dict[str, list[list[object]]]:
    """Every sheet as rows of cell values (a CSV is one sheet named after the file)."""
    book = SheetReader(Path(path))
    return {name: book.rows(name) for name in book.sheet_names}


def read_table(path: str | os.PathLike, sheet: str | None = None, aliases: Aliases = None) -> Table:
    """The tracking table of a file: the named sheet, or the first that has the columns.

    Sheets are read one at a time and the search stops at the first table,
    so the batch's output sheets in the same workbook are not read.
    """
    path = Path(path)
    found = find_tracking(SheetReader(path), sheet, aliases, name=path.name)
    return Table(found.headers, found.rows, found.sheet, found.at + 1)


# ------------------------------------------------------------------ writing

# Excel refuses these in a sheet name (other programs write them): each becomes its full-width twin,
# which reads the same to a desk and is allowed.
_SHEET_FORBIDDEN = str.maketrans({"/": "／", "\\": "＼", "[": "［", "]": "］", ":": "：", "*": "＊", "?": "？"})
SHEET_NAME_MAX = 31


def legal_sheet_name(name: object) -> str:
    """``name`` as a sheet name Excel accepts: forbidden characters (``/ \\ [ ] : * ?``) made full-width,
    no apostrophe at either end, at most 31 characters, never empty."""
    from refund_xl._files.xlsxpatch import clean_text

    text = clean_text(str(name or "")).translate(_SHEET_FORBIDDEN).replace("\n", " ")
    if text.startswith("'"):
        text = "’" + text[1:]
    text = text[:SHEET_NAME_MAX]
    if text.endswith("'"):
        text = text[:-1] + "’"
    return text if text.strip() else "Sheet1"


def inert(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made plain (for CSV)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_cell(value: object) -> object:
    """A cell as a CSV holds it: blank "", a datetime as text, text that would run as a formula made plain."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return inert(value)


def as_typed(value: object) -> object:
    """A sheet's cell as the desk typed it: a workbook hands whole numbers over as floats (a 序号 of
    7 is 7.0); written into a CSV they go back to 7."""
    if value.__class__ is float and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def real_target(path: str | os.PathLike) -> Path:
    """The file a path stands for: a symlink's target is what gets replaced (the link stays)."""
    path = Path(path)
    try:
        return Path(os.path.realpath(path)) if path.is_symlink() else path
    except OSError:
        return path


def _tmp_name(target: Path) -> str:
    return f".~refund-xl.{os.getpid()}.{target.name}"


_TMP_RE = re.compile(r"^\.~refund-xl\.(\d+)\.")


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` (a symlink's target); move it into place on success.

    On any failure the temporary file is removed and ``target`` is untouched.
    The temporary name carries our PID, so a run killed half-way leaves a file
    the next run recognises and removes (:func:`file_lock`).
    """
    target = real_target(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=_tmp_name(target) + ".", suffix=target.suffix, dir=folder)
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
    """Copy ``path`` (a symlink's target) to ``<stem>.bak-YYYYmmdd-HHMMSS<suffix>`` beside it.

    The copy is written under a temporary name and renamed when complete: a
    full disk leaves no half backup behind.
    """
    path = real_target(path)
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.stem}.bak-{stamp}{path.suffix}")
    n = 1
    while dest.exists():
        dest = path.with_name(f"{path.stem}.bak-{stamp}-{n}{path.suffix}")
        n += 1
    tmp = path.with_name(_tmp_name(dest) + ".part")
    try:
        shutil.copy2(path, tmp)
        os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputFileError(f"无法备份 {path.name}：{exc.strerror or exc}（原文件未改动）") from None
    return dest


def office_lock_of(path: str | os.PathLike) -> Path | None:
    """The lock file Excel/WPS (``~$NAME``) or LibreOffice (``.~lock.NAME#``) keeps beside an open file."""
    path = Path(path)
    names = {f"~${path.name}", f".~lock.{path.name}#"}
    if len(path.stem) > 6:  # Office shortens long names: ~$ replaces the first one or two characters
        names |= {"~$" + path.name[2:], "~$" + path.name[1:]}
    for name in sorted(names):
        candidate = path.with_name(name)
        if candidate.exists():
            return candidate
    return None


def read_only(target: Path) -> bool:
    """Has the file's owner made it read-only (chmod 444, Windows' 只读 attribute)?  Asked by its mode, not only by
    ``os.access``: an administrator (root) may write any file, and a rename replaces a read-only file anyway — the
    owner's mark is what is honoured."""
    try:
        mode = target.stat().st_mode
    except OSError:  # not there (a new file), or not to be looked at: the write itself says so
        return False
    return not mode & stat.S_IWUSR or not os.access(target, os.W_OK)


def refuse_if_open(path: str | os.PathLike) -> None:
    """Refuse to replace a workbook an office program has open (its lock file sits beside it),
    or one its owner made read-only."""
    target = real_target(path)
    if read_only(target):
        raise OutputFileError(f"{target.name} 是只读文件：没有改动它（如需更新，请先取消只读）")
    for p in dict.fromkeys([Path(path), target]):
        found = office_lock_of(p)
        if found is not None:
            who = "LibreOffice" if found.name.startswith(".~lock.") else "Excel/WPS"
            raise BusyError(f"{p.name} 正在 {who} 中打开（发现 {found.name}）：请先保存并关闭它再运行"
                            f"（如确认没有打开，可删除 {found.name}）")


def _alive(pid: int) -> bool:
    """Is process ``pid`` running on this machine?  (Never signals it.)"""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would TERMINATE the process on Windows
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _alive_windows(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    if sys.platform != "win32":  # called only when os.name == "nt"
        return False
    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _host() -> str:
    return socket.gethostname() or "?"


def _clean_strays(target: Path) -> None:
    """Temporary files for ``target`` (whose lock we hold) left by a run whose process is gone."""
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    for p in entries:
        m = _TMP_RE.match(p.name)
        if not m:
            continue
        rest = p.name[m.end():]
        if (rest.startswith(target.name) or rest.startswith(target.stem + ".bak-")) and not _alive(int(m.group(1))):
            with contextlib.suppress(OSError):
                p.unlink()


@contextlib.contextmanager
def file_lock(path: str | os.PathLike, stale_after: float = 1800.0) -> Iterator[Path]:
    """One writer at a time per workbook: ``.<name>.refund-xl.lock`` created exclusively.

    The lock holds ``PID HOST TIME``.  Whose it is decides when it may be taken over:

    * this host's, its process alive: never (a long import keeps its lock);
    * this host's, its process gone (a run killed by SIGKILL, a power cut): at once, with a line;
    * another host's, or one naming no host: when its time (the file's modification time) is more
      than ``stale_after`` seconds away from now — in the past, or in the future (a lock dated
      ahead by a wrong clock expires like an old one instead of never).

    A lock path that is a folder, a link or anything but a plain file is no lock of ours: one line
    saying what to remove, never "another batch is running".
    """
    path = real_target(path)
    lock = path.with_name(f".{path.name}.refund-xl.lock")
    for attempt in (1, 2, 3):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            _odd_lock(lock, path)
            why = _stale(lock, stale_after)
            if attempt < 3 and why:
                with contextlib.suppress(OSError):
                    lock.unlink()
                note(f"上次运行（{why}）留下的锁 {lock.name} 已失效，已接管")
                continue
            raise BusyError(f"{path.name} 正在被另一个批处理使用，请稍后再试"
                            f"（如确认没有在运行，可删除 {lock.name}）") from None
        except OSError as exc:
            raise OutputFileError(f"无法锁定 {path.name}：{os_reason(exc)}") from None
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{os.getpid()} {_host()} {datetime.now().isoformat(timespec='seconds')}\n")
    except OSError as exc:  # a full disk: no lock left behind
        with contextlib.suppress(OSError):
            lock.unlink()
        raise OutputFileError(f"无法锁定 {path.name}：{os_reason(exc)}") from None
    try:
        _clean_strays(path)
        yield lock
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()


def _odd_lock(lock: Path, path: Path) -> None:
    """A lock path that is not a plain file (checked without opening it: a FIFO would block a read)."""
    import stat

    try:
        mode = os.lstat(lock).st_mode
    except FileNotFoundError:
        return  # removed meanwhile: the next attempt creates it
    except OSError as exc:
        raise OutputFileError(f"无法锁定 {path.name}：无法查看锁文件 {lock.name}（{os_reason(exc)}）") from None
    if stat.S_ISDIR(mode):
        raise OutputFileError(f"无法锁定 {path.name}：{lock.name} 是一个文件夹，不是本工具的锁"
                              f"（请删除或改名这个文件夹后再试）")
    if not stat.S_ISREG(mode):
        kind = "链接" if stat.S_ISLNK(mode) else "特殊文件"
        raise OutputFileError(f"无法锁定 {path.name}：{lock.name} 是一个{kind}，不是本工具的锁（请删除它后再试）")


def _stale(lock: Path, stale_after: float) -> str:
    """Why a lock may be taken over ('' = it may not); see :func:`file_lock` for the rule."""
    try:
        with open(lock, "rb") as fh:
            text = fh.read(256).decode("utf-8", "replace").split()
        age = time.time() - os.stat(lock).st_mtime
    except PermissionError:
        raise OutputFileError(f"无法读取锁文件 {lock.name}（没有权限）：请检查它是谁留下的，确认没有在运行后删除它") from None
    except OSError:
        return ""
    pid = int(text[0]) if text and text[0].isdigit() else 0
    host = text[1] if len(text) >= 3 else None
    if host == _host() and pid:
        return "" if _alive(pid) else f"进程 {pid} 已不在运行"
    if age > stale_after:
        return f"{age / 60:.0f} 分钟前，进程 {pid or '?'}"
    if age < -stale_after:
        return f"锁的时间在 {-age / 60:.0f} 分钟之后（时钟有误），进程 {pid or '?'}"
    return ""


def _vba_of(source: Path | None) -> bytes | None:
    if source is None or source.suffix.lower() != ".xlsm":
        return None
    try:
        with zipfile.ZipFile(source) as z:
            return z.read("xl/vbaProject.bin")
    except (KeyError, OSError, zipfile.BadZipFile):
        return None


def _write_xlsx(path: Path, headers: Sequence[object], rows: Iterable[Sequence[object]],
                sheet: str, vba: bytes | None, layout=None, count: int | None = None, extra: Sequence = ()) -> None:
    """A one-sheet workbook: an empty shell from XlsxWriter, the sheet's XML written directly.

    XlsxWriter's cell-by-cell API costs ~15 µs a cell (50 s for a 100k-row
    result); the sheet writer the batch uses streams plain cells, every text
    as an inline string (never a formula), ids as text.  With ``count`` (the
    rows ``rows`` yields, each at most as wide as ``headers``) the rows are
    streamed into the zip in blocks (:mod:`refund_xl._files.xlsxstream`): no list
    of every output row, no whole-sheet text.
    """
    import xlsxwriter

    from refund_xl._files.xlsxpatch import SheetSpec, col_letter, patch_workbook
    from refund_xl._files.xlsxstream import write_table_xlsx

    name = legal_sheet_name(sheet)
    buf = io.BytesIO()  # the empty shell stays in memory: nothing stray beside the output
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    if vba is not None:
        book.add_vba_project(io.BytesIO(vba), is_stream=True)
    book.add_worksheet(name)
    for spec in extra:
        book.add_worksheet(spec.name)
    book.close()
    head = ["" if h is None else str(h) for h in headers]
    widths = [max(10.0, min(40.0, 2.2 * len(h) + 2)) for h in head]
    if layout is not None:  # an outputs.TableLayout: widths and wrapped columns
        widths = list(layout.widths) + widths[len(layout.widths):]
    wrap = set(layout.wrap_cols) if layout is not None else set()
    n_rows = (count + 1) if count is not None else None
    titles, area = "$1:$1", None
    if layout is not None and getattr(layout, "print_cols", None):
        first, last = (col_letter(c + 1) for c in layout.print_cols)
        area = f"${first}$1:${last}${max(n_rows or 1, 1)}"
        if getattr(layout, "title_col", None) is not None:
            title = col_letter(layout.title_col + 1)
            titles += f",${title}:${title}"
    if count is not None:
        write_table_xlsx(buf.getvalue(), path, SheetSpec(name, [head], widths=widths, bold_rows={0}, wrap_cols=wrap,
                                                         freeze_row=1, autofilter_row=0, print_fit=True,
                                                         print_titles=titles, print_area=area),
                         rows, count + 1, len(head), extra)
        return
    table = [head, *rows]
    if area is not None:
        area = area.rsplit("$", 1)[0] + f"${max(len(table), 1)}"
    patch_workbook(buf.getvalue(), path, [SheetSpec(name, table, widths=widths, bold_rows={0}, wrap_cols=wrap,
                                                    freeze_row=1, autofilter_row=0, print_fit=True,
                                                    print_titles=titles, print_area=area), *extra])


def _write_csv(path: Path, headers: Sequence[object], rows: Iterable[Sequence[object]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["" if h is None else inert(str(h)) for h in headers])
        for row in rows:
            out.writerow([csv_cell(v) for v in row])


def write_table(path: str | os.PathLike, headers: Sequence[object], rows: Iterable[Sequence[object]],
                sheet: str = "Sheet1", source: str | os.PathLike | None = None, force: bool = False,
                layout=None, count: int | None = None, extra: Sequence = ()) -> Path:
    """Write a fresh table to .xlsx/.xlsm/.csv, atomically, under the file's lock.  Returns the path.

    An existing file is never replaced unless ``force`` (then after a backup):
    a fresh table over a 10-sheet workbook would lose the other nine.
    For .xlsm the macros of ``source`` (an .xlsm) are carried over.  ``layout``
    (an :class:`~refund_xl._app.outputs.TableLayout`) sets a workbook's widths, wrapped
    columns and printout; ``extra`` (SheetSpecs) are more sheets after the table (evaluate's
    读取报告); a CSV ignores both.  ``count``: how many rows ``rows`` yields (a workbook's rows
    are then streamed, never all held at once).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise OutputFileError(f"{path} 是一个文件夹：请给出输出文件名（如 {path / ('结果' + '.xlsx')}）")
    if suffix not in (".csv", *EXCEL_SUFFIXES):
        raise OutputFileError(f"不支持的输出类型：{path.name}（支持 .xlsx / .xlsm / .csv）")
    vba = None
    if suffix == ".xlsm":
        vba = _vba_of(Path(source)) if source else None
        if vba is None:
            raise OutputFileError(f"{path.name}：只有输入为 .xlsm 时才能输出 .xlsm（请改用 .xlsx）")
    if suffix != ".csv" and legal_sheet_name(sheet) != sheet:  # as batch does: a legal name, said so
        note(f"工作表名「{clip(sheet, 40)}」Excel 不允许（含 / \\ [ ] : * ? 、首尾撇号或超过 {SHEET_NAME_MAX} 个字），"
              f"输出表名为「{legal_sheet_name(sheet)}」")
    with file_lock(path):
        target = real_target(path)
        seen = None
        if target.exists() or path.is_symlink():
            if not force:
                raise OutputFileError(f"{path.name} 已存在：evaluate 不覆盖已有文件（请换一个输出文件名，"
                                      "或加 --force：先备份再覆盖）")
            refuse_if_open(path)
            seen = _digest(target)
        with atomic_path(path) as tmp:
            try:
                if suffix == ".csv":
                    _write_csv(tmp, headers, rows)
                else:
                    _write_xlsx(tmp, headers, rows, sheet, vba, layout, count, extra)
            except OSError as exc:
                raise OutputFileError(f"无法写入 {path.name}：{exc.strerror or exc}") from None
            except XlsxWriterException as exc:  # XlsxWriter's own report of a failed save
                raise OutputFileError(f"无法写入 {path.name}：{clip(exc, 60)}") from None
            if target.exists():
                refuse_if_open(path)
                if _digest(target) != seen:
                    raise BusyError(f"{path.name} 在本次运行期间被别人保存过：没有覆盖他的修改，请重新运行")
                backup(target)
            elif seen is not None:
                raise BusyError(f"{path.name} 在本次运行期间被移走或删除：没有写入，请重新运行")
    return path


def _digest(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputFileError(f"无法读取 {path.name}：{exc.strerror or exc}") from None
