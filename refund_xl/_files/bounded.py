"""Reading a workbook within bounded memory (contract §9: a hostile file is read or refused).

python-calamine is fast, but it sizes a sheet by its used range: one stray
value at XFD1048576 makes it allocate rows × columns cells (hundreds of GB,
then SIGABRT), and it keeps every shared string in memory.  So before a
sheet is handed to calamine its real extent is measured from the sheet's XML
(the last row and column that hold a value, not the ``<dimension>`` a writer
claims); a sheet whose rectangle would be huge is read by a sparse streaming
reader instead (rows as long as their last value).  A package whose parts
decompress to an absurd size, or whose shared-strings table is absurd, is
refused with one line before anything is allocated.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal, cast
from xml.etree import ElementTree as ET

from refund_xl._core.errors import DamagedFileError, InputFileError, reason_of
from refund_xl._core.ranges import SheetRows
from refund_xl._files.notes import note
from refund_xl._core.numfmt import format_shows, format_shows_time
from refund_xl._files.xlsxpatch import Book, DamagedPart, Package, PackageError

if TYPE_CHECKING:  # imported where used: calamine is loaded only when a sheet is read
    from python_calamine import CalamineWorkbook

_NOT_A_TABLE = "不是有效的 Excel/CSV 文件"  # what an unreadable workbook is, when the cause names nothing better

__all__ = ["BoundedBook", "MAX_CELLS", "MAX_UNPACKED", "MAX_STRINGS", "damaged", "other_sheet"]

MAX_UNPACKED = 1536 * 1024 * 1024  # all parts together, decompressed
MAX_STRINGS = 8_000_000  # shared strings (a 100k × 60 export has far fewer distinct texts)
MAX_STRINGS_BYTES = 512 * 1024 * 1024
MAX_CELLS = 30_000_000
STRAY_GAP = 50_000  # empty rows between the data and a few far-away cells
STRAY_CELLS = 50
STRAY_COL_GAP = 1000  # empty columns between the data and a few far-away cells  # rows × columns handed to calamine's dense range
_CHUNK = 1 << 20
_EPOCH = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)
# literal-led patterns (fast scans of a 70 MB sheet); a match inside text only over-estimates
_ROW_RE = re.compile(rb"row\b[^>]*? r=\"(\d+)\"")
_COL3_RE = re.compile(rb" r=\"([A-Z]{3})\d")
_COL2_RE = re.compile(rb" r=\"([A-Z]{2})\d")
_VALUE_CELL_RE = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,3})(\d+)\"[^>]*?(?<!/)>")
# an error cell (<c r="B2" t="e"><f>VLOOKUP(…)</f><v>#N/A</v></c>): its address and the error's text
_ERROR_MARK = b't="e"'
_ERROR_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?\st=\"e\"[^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>", re.S)
_CELL_REF_RE = re.compile(rb"\sr=\"([A-Z]{1,3})(\d+)\"")
_CELL_VALUE_RE = re.compile(rb"<(?:\w+:)?v>([^<]*)</")
# a number cell holding a whole number (a date-time cell at 00:00: 45732, or 45732.0 as a float is written), and a
# cell's style
_INTEGER_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?\ss=\"\d+\"[^>]*?)(?<!/)>\s*<(?:\w+:)?v>\d+(?:\.0*)?</")
_STYLE_RE = re.compile(rb"\ss=\"(\d+)\"")
# a merged range (<mergeCell ref="H2:H3"/>), after the rows: its first and last cell
_MERGE_MARK = b"mergeCell"
_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\sref=\"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?\"")


def damaged(name: str, part: str) -> DamagedFileError:
    """The one line for a workbook whose zip entry fails its CRC or header check."""
    return DamagedFileError(f"无法读取 {name}：文件已损坏（压缩包中的 {part} 校验失败）；"
                            "请用 Excel 打开并修复后另存，或找回原文件", part)


def _why(exc: BaseException) -> str:
    """A short Chinese reason for a package we cannot parse (never an exception class name)."""
    if isinstance(exc, PackageError) and str(exc).startswith("missing part"):
        return "缺少部件 " + str(exc)[len("missing part "):]
    if isinstance(exc, PackageError) and str(exc) == "sheets":
        return "没有工作表列表"
    return "结构无法识别"


_KINDS = {"chartsheet": "图表工作表", "dialogsheet": "对话框工作表", "xlMacrosheet": "宏表（XLM）",
          "xlIntlMacrosheet": "宏表（XLM）"}


def other_sheet(kind: str) -> list[list[object]]:
    """What a sheet that is no worksheet reads as: one cell naming its kind (never a table, never
    taken for an output sheet of the product's, never written)."""
    return [[f"（{_KINDS.get(kind, '非普通工作表')}）"]]


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


class BoundedBook:
    """A workbook's bytes, checked once; sheets read on demand, each within bounds."""

    def __init__(self, data: bytes, name: str):
        self.name = name
        self.data = data
        try:
            self.pkg = Package(data)
            infos = self.pkg.zip.infolist()
        except PackageError:
            raise InputFileError(f"无法读取 {name}：{reason_of(zipfile.BadZipFile())}") from None
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED:
            raise InputFileError(f"无法读取 {name}：解压后超过 {MAX_UNPACKED >> 30} GB（{total >> 20} MB），"
                                 "疑似损坏或恶意文件")
        try:
            self.pkg.verify()  # a bad CRC or header is said before anything is read (or written)
            self.book = Book(self.pkg)
        except DamagedPart as exc:
            raise damaged(name, exc.part) from None
        except (PackageError, KeyError, ValueError) as exc:
            raise InputFileError(f"无法读取 {name}：{reason_of(exc, _NOT_A_TABLE)}") from None
        # every sheet of the workbook, in its order; chart pages, XLM macro and dialog sheets hold no table
        self.sheet_names = list(self.book.sheet_names)
        self.date1904 = self.book.date1904
        self.sst_part = next((p for _r, p in self.book.rels.targets("/sharedStrings") if self.pkg.has(p)), None)
        # calamine also finds xl/sharedStrings.xml by its name: every such part is checked
        for part in {self.sst_part, *(n for n in self.pkg.names() if n.lower().endswith("sharedstrings.xml"))}:
            if part:
                self._check_strings(part)
        self._calamine: CalamineWorkbook | Literal[False] | None = None  # False: calamine refused the book
        self._sst: list[str] | None = None
        self.notes: list[str] = []
        self._errors: set[str] = set()  # sheets with error cells (#N/A …), which calamine hands over as blanks
        self._merged: dict[str, tuple[tuple[int, int, int, int], ...]] = {}  # sheet → its merged ranges (0-based)
        self._styles: tuple[set[int], set[int]] | None = None  # (date styles, those showing a time of day)

    # ------------------------------------------------------------ checks
    def _stream(self, part: str):
        """The part's decompressed bytes, chunk by chunk, with a running total (its CRC checked at the end)."""
        try:
            with self.pkg.open(part) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        return
                    yield chunk
        except DamagedPart:
            raise damaged(self.name, part) from None
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise damaged(self.name, part) from None
        except (PackageError, OSError, ValueError, KeyError) as exc:
            raise InputFileError(f"无法读取 {self.name}：{reason_of(exc, _NOT_A_TABLE)}") from None

    def _check_strings(self, part: str) -> None:
        count = size = 0
        tail = b""
        for chunk in self._stream(part):
            size += len(chunk)
            block = tail + chunk
            count += block.count(b"<si>") + block.count(b"<si/>") + block.count(b":si>") + block.count(b":si/>") \
                + block.count(b"<si ") + block.count(b":si ")
            tail = b""  # an entry split across chunks is at most a few missed counts
            if count > MAX_STRINGS or size > MAX_STRINGS_BYTES:
                raise InputFileError(f"无法读取 {self.name}：共享字符串表异常大（超过 {MAX_STRINGS:,} 条或 "
                                     f"{MAX_STRINGS_BYTES >> 20} MB），疑似损坏或恶意文件")

    def _blocks(self, sheet: str, at: tuple[bytes, ...] = (b"<",)):
        """The sheet's XML in blocks that end at a tag boundary (``at``: the last of these marks; a block holding
        none of them is carried on whole)."""
        carry = b""
        size = 0
        for chunk in self._stream(self.book.sheet_parts[sheet]):
            size += len(chunk)
            if size > MAX_UNPACKED:
                raise InputFileError(f"无法读取 {self.name}：工作表「{sheet}」解压后过大，疑似损坏或恶意文件")
            block = carry + chunk
            cut = max(block.rfind(mark) for mark in at)
            if cut < 0:
                carry = block
                continue
            block, carry = block[:cut], block[cut:]
            yield block
        yield carry

    def extent(self, sheet: str, exact: bool = False, count: bool = False):
        """(last row, last column), 1-based: a quick upper bound (any row / cell tag) or,
        ``exact``, of the cells that have content (not only a style).  ``count`` (quick only):
        (last row, last column, number of row tags) — far fewer rows than the last row's
        number means rows far away from the rest."""
        last_row = last_col = present = 0
        merged: list[tuple[int, int, int, int]] = []
        for block in self._blocks(sheet):
            if _ERROR_MARK in block:
                self._errors.add(sheet)
            if _MERGE_MARK in block:  # (a block ends before a tag: a range's tag is whole in one block)
                for c1, r1, c2, r2 in _MERGE_RE.findall(block):
                    merged.append((int(r1) - 1, _col(c1) - 1, int(r2 or r1) - 1, _col(c2 or c1) - 1))
            if exact:
                for letters, digits in _VALUE_CELL_RE.findall(block):
                    last_row = max(last_row, int(digits))
                    last_col = max(last_col, _col(letters))
            else:  # C-speed scans: most sheets have no two-letter columns at all
                rows = _ROW_RE.findall(block)
                if rows:
                    present += len(rows)
                    last_row = max(last_row, max(map(int, rows)))
                if _COL3_RE.search(block):
                    last_col = max(last_col, max(map(_col, set(_COL3_RE.findall(block)))))
                elif _COL2_RE.search(block):
                    last_col = max(last_col, max(map(_col, set(_COL2_RE.findall(block)))))
                elif b' r="' in block:
                    last_col = max(last_col, 26)
        self._merged[sheet] = tuple(merged)
        return (last_row, last_col, present) if count else (last_row, last_col)

    # ------------------------------------------------------------ reading
    def rows(self, sheet: str) -> list[list[object]]:
        """The sheet's rows (cells as stored); with merged ranges, a :class:`~refund_xl._core.ranges.SheetRows`
        carrying them (whichever reader read the cells: the ranges come from the sheet's own XML)."""
        if sheet in self.book.other_sheets:
            return other_sheet(self.book.other_sheets[sheet])
        if sheet not in self.book.sheet_parts:
            raise InputFileError(f"{self.name} 中没有名为「{sheet}」的工作表")
        rows = self._rows(sheet)
        merged = self._merged.get(sheet)
        if not merged:
            return rows
        out = SheetRows(rows)
        out.merged = merged
        return out

    def _rows(self, sheet: str) -> list[list[object]]:
        last_row, last_col, present = self.extent(sheet, count=True)
        # far-away rows or columns (a stray value at A1048576 or XFD1): the sparse reader, which
        # leaves a few stray cells out instead of allocating (and reading) the empty rectangle
        far = last_row > present + STRAY_GAP or last_col > STRAY_COL_GAP
        if not far and last_row * last_col <= MAX_CELLS:
            return self._calamine_rows(sheet)
        last_row, last_col = self.extent(sheet, exact=True)
        if not far and last_row * last_col <= MAX_CELLS:
            return self._calamine_rows(sheet)
        return self._sparse_rows(sheet)

    def _calamine_rows(self, sheet: str) -> list[list[object]]:
        if self._calamine is False:  # calamine refused this workbook: our own reader reads every sheet
            return self._sparse_rows(sheet)
        try:
            if self._calamine is None:
                from python_calamine import CalamineWorkbook
                self._calamine = CalamineWorkbook.from_filelike(io.BytesIO(self.data))
            # ours from here on: its rows are widened in place to hold None for an empty cell
            rows = cast("list[list[object]]", self._calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
            for i, row in enumerate(rows):  # in place: no second copy of a 100k-row sheet while reading
                if "" in row:
                    rows[i] = [None if c == "" else c for c in row]
            if sheet in self._errors:
                self._put_errors(sheet, rows)
            self._put_midnights(sheet, rows)
            return rows
        except (KeyboardInterrupt, SystemExit, InputFileError):
            raise
        except BaseException as exc:  # BaseException: a Rust panic in calamine is pyo3's PanicException
            if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
                raise
            # calamine refuses whole workbooks it need not: an XLM macro sheet or a dialog sheet
            # ("Unrecognized sheet type"), a <sheet> without a relationship; the sparse reader
            # reads worksheets by their own XML and says what it cannot read
            self._calamine = False
            return self._sparse_rows(sheet)

    def _put_errors(self, sheet: str, rows: list[list[object]]) -> None:
        """Error cells (#N/A from a failed VLOOKUP …) written into calamine's rows as their text, as Excel shows
        them and as the sparse reader reads them: calamine hands them over as blanks, and a blank takes the field's
        default where the error says the fact is unknown (contract §2 "No silent guess")."""
        for block in self._blocks(sheet, (b"</row>", b":row>")):  # an error cell whole within one block
            self._errors_in(block, rows)

    @staticmethod
    def _errors_in(block: bytes, rows: list[list[object]]) -> None:
        if _ERROR_MARK not in block:
            return
        for attrs, body in _ERROR_CELL_RE.findall(block):
            ref = _CELL_REF_RE.search(b" " + attrs)
            value = _CELL_VALUE_RE.search(body)
            if ref is None:
                continue
            r, c = int(ref.group(2)) - 1, _col(ref.group(1)) - 1
            if r < len(rows) and c < len(rows[r]) and rows[r][c] is None:
                rows[r][c] = value.group(1).decode("utf-8", "replace") if value else "#N/A"

    # the sparse reader: slower, but memory follows the cells that exist
    def _strings(self, upto: int | None = None) -> list[str]:
        """The shared strings (all, or only as far as index ``upto``: a head needs a few)."""
        if self._sst is not None:
            return self._sst
        out: list[str] = []
        complete = True
        if self.sst_part and self.pkg.has(self.sst_part):
            for _ev, el in ET.iterparse(self.pkg.open(self.sst_part)):  # streamed: a head stops early
                if el.tag.endswith("}si"):
                    out.append("".join(t.text or "" for t in el.iter()
                                       if t.tag.endswith("}t") and not _in_phonetic(el, t)))
                    el.clear()
                    if upto is not None and len(out) > upto:
                        complete = False
                        break
        if complete:
            self._sst = out
        return out

    def _date_styles(self) -> tuple[set[int], set[int]]:
        """The cell styles (cellXfs index) whose number format shows a date or a time, and of them those that show a
        time of day (xlsxpatch's tests, which the writer shares)."""
        if self._styles is not None:
            return self._styles
        dates: set[int] = set()
        times: set[int] = set()
        self._styles = (dates, times)
        part = self.book.styles_part
        if not part or not self.pkg.has(part):
            return self._styles
        try:
            root = ET.fromstring(self.pkg.read(part))
        except ET.ParseError:
            return self._styles
        codes = {int(el.get("numFmtId", "0")): el.get("formatCode", "") for el in root.iter()
                 if el.tag.endswith("}numFmt")}
        xfs = next((el for el in root if el.tag.endswith("}cellXfs")), None)
        for i, xf in enumerate(xfs if xfs is not None else []):
            fid = int(xf.get("numFmtId", "0"))
            if format_shows(fid, codes.get(fid)) == "date":
                dates.add(i)
                if format_shows_time(fid, codes.get(fid)):
                    times.add(i)
        return self._styles

    def _put_midnights(self, sheet: str, rows: list[list[object]]) -> None:
        """A date-time cell at 00:00 whose format shows that time (2025/6/8 0:00) as the moment it shows: calamine
        hands every cell at 00:00 over as a day (``date``), which reads as the whole day (contract §2 "Dates": only
        a date written without a time of day stands for the whole day)."""
        times = self._date_styles()[1]
        if not times or not any(date in set(map(type, row)) for row in rows):
            return
        styles = {str(i).encode() for i in times}
        for block in self._blocks(sheet, (b"</row>", b":row>")):
            for attrs in _INTEGER_CELL_RE.findall(block):
                style = _STYLE_RE.search(attrs)
                ref = _CELL_REF_RE.search(b" " + attrs)
                if style is None or ref is None or style.group(1) not in styles or \
                        b' t="' in attrs and b' t="n"' not in attrs:  # (a number cell: no type, or t="n")
                    continue
                r, c = int(ref.group(2)) - 1, _col(ref.group(1)) - 1
                if r < len(rows) and c < len(rows[r]) and rows[r][c].__class__ is date:
                    day = cast(date, rows[r][c])
                    rows[r][c] = datetime(day.year, day.month, day.day)

    def head(self, sheet: str, n: int = 20) -> list[list[object]]:
        """The first ``n`` rows only (streamed: a 100k-row sheet is not read to look at its title)."""
        if sheet in self.book.other_sheets:
            return other_sheet(self.book.other_sheets[sheet])
        return self._sparse_rows(sheet, limit=n)

    def _sparse_rows(self, sheet: str, limit: int | None = None) -> list[list[object]]:
        sst = _Lazy() if limit is not None else self._strings()
        dates, times = self._date_styles()
        epoch = _EPOCH_1904 if self.date1904 else _EPOCH
        rows: dict[int, dict[int, object]] = {}
        r_seq = 0
        try:
            for _ev, el in ET.iterparse(self.pkg.open(self.book.sheet_parts[sheet])):  # streamed
                tag = el.tag.rsplit("}", 1)[-1]
                if tag != "row":
                    continue
                r_seq = int(el.get("r") or r_seq + 1)
                if limit is not None and r_seq > limit:
                    break
                c_seq = 0
                for c in el:
                    if not c.tag.endswith("}c"):
                        continue
                    ref = c.get("r")
                    if ref:
                        m = re.match(r"([A-Z]+)", ref)
                        c_seq = _col(m.group(1).encode()) if m else c_seq + 1
                    else:
                        c_seq += 1
                    value = _value(c, sst, dates, times, epoch)
                    if value is not None and value != "":
                        rows.setdefault(r_seq, {})[c_seq] = value
                el.clear()
        except (zipfile.BadZipFile, zlib.error, EOFError, DamagedPart):
            raise damaged(self.name, self.book.sheet_parts[sheet]) from None
        except (ET.ParseError, OSError, KeyError, PackageError):
            raise InputFileError(f"无法读取 {self.name}：工作表「{sheet}」不是有效的 XML") from None
        if not rows:
            return []
        if limit is None:
            rows = self._trim(sheet, rows)
        else:  # the head's shared strings, read only as far as the highest index it uses
            refs = [v for cells in rows.values() for v in cells.values() if isinstance(v, _SstRef)]
            if refs:
                table = self._strings(max(refs))
                for cells in rows.values():
                    for col, v in cells.items():
                        if isinstance(v, _SstRef):
                            cells[col] = table[v] if v < len(table) else None
        out: list[list[object]] = []
        for r in range(1, max(rows) + 1):
            found = rows.get(r)
            if not found:
                out.append([])
                continue
            line: list[object] = [None] * max(found)
            for col, v in found.items():
                line[col - 1] = v
            out.append(line)
        return out


    def _trim(self, sheet: str, rows: dict[int, dict[int, object]]) -> dict[int, dict[int, object]]:
        """A few cells far below the data (a stray XFD1048576) are not rows of the table: left out, said once."""
        order = sorted(rows)
        cells = 0
        for i, r in enumerate(order):
            cells += len(rows[r])
            if i + 1 < len(order) and order[i + 1] - r > STRAY_GAP:
                rest = sum(len(rows[x]) for x in order[i + 1:])
                if rest <= max(STRAY_CELLS, cells // 100):
                    far = order[i + 1]
                    note(f"工作表「{sheet}」第 {far} 行起的 {rest} 个孤立单元格离数据太远（数据到第 {r} 行），"
                          "读取时已忽略；文件中的它们未被改动")
                    self.notes.append(sheet)
                    rows = {x: rows[x] for x in order[:i + 1]}
                    break
        # the same to the right: a few cells thousands of columns beyond the data
        per_col: dict[int, int] = {}
        for row_cells in rows.values():
            for c in row_cells:
                per_col[c] = per_col.get(c, 0) + 1
        cols = sorted(per_col)
        total = sum(per_col.values())
        for i, c in enumerate(cols[:-1]):
            if cols[i + 1] - c > STRAY_COL_GAP:
                rest = sum(per_col[x] for x in cols[i + 1:])
                if rest <= max(STRAY_CELLS, total // 100):
                    note(f"工作表「{sheet}」第 {cols[i + 1]} 列起的 {rest} 个孤立单元格离数据太远（数据到第 {c} 列），"
                          "读取时已忽略；文件中的它们未被改动")
                    self.notes.append(sheet)
                    return {r: {x: v for x, v in cells.items() if x <= c} for r, cells in rows.items()}
                break
        return rows


class _SstRef(int):
    """A shared-string index not looked up yet."""


class _Lazy:
    """Stands in for the shared strings while a head is read: indices stay indices."""

    def __getitem__(self, i: int) -> _SstRef:
        return _SstRef(i)

    def __len__(self) -> int:
        return 1 << 62


def _in_phonetic(si, t) -> bool:
    for rph in si:
        if rph.tag.endswith("}rPh") and any(x is t for x in rph.iter()):
            return True
    return False


def _value(c, sst: list[str] | _Lazy, dates: set[int], times: set[int], epoch: datetime) -> object:
    t = c.get("t", "n")
    v = next((x for x in c if x.tag.endswith("}v")), None)
    if t == "inlineStr":
        is_ = next((x for x in c if x.tag.endswith("}is")), None)
        return "".join(x.text or "" for x in is_.iter() if x.tag.endswith("}t")) if is_ is not None else None
    if v is None or v.text is None:
        return None
    text = v.text
    try:
        if t == "s":
            i = int(text)
            return sst[i] if 0 <= i < len(sst) else None
        if t in ("str", "e"):
            return text
        if t == "b":
            return text.strip() in ("1", "true")
        if t == "d":
            return datetime.fromisoformat(text)
        number = float(text)
    except (ValueError, IndexError):
        return text
    style = int(c.get("s", "0") or 0)
    if style in dates:
        try:  # to the nearest millisecond, as calamine reads it: 45816.416666666664 is 10:00, not 09:59:59.999999
            moment = epoch + timedelta(milliseconds=round(number * 86_400_000))
        except OverflowError:
            return number
        # a date format without a time of day at 00:00: the day (as calamine hands it over), the whole day
        return moment.date() if number.is_integer() and style not in times else moment
    return number
