"""The file book: ONE safe-write path for every command that changes a workbook or CSV.

    from refund_xl._files.filebook import open_book

    with open_book("售后登记.xlsx") as book:          # lock, office-lock check, read + fingerprint once
        rows = book.rows("售后登记")
        book.set_cells("售后登记", {(4, 12): "拦截中"})  # only these cells change
        book.put_sheet(spec)                          # an output sheet, updated in place
    # leaving the block: temp file → backup → fingerprint re-check → atomic replace

What it guarantees (contract §9 "Nothing lost"):

* one writer at a time (:func:`files.file_lock`: PID + host; a dead local
  holder's lock is taken over with a line saying so);
* a file open in Excel/WPS (``~$NAME``) or LibreOffice (``.~lock.NAME#``) is
  not replaced (:func:`files.refuse_if_open`);
* the file is read once; every sheet comes from those bytes, and the same
  bytes are what gets patched: a save by someone else between our read and
  our write is detected (fingerprint) and refused, never overwritten;
* the new file is written to a temporary name in the same folder, the
  original is backed up, then the temporary file replaces it (through a
  symlink: the link stays and its target is updated);
* an exception inside the ``with`` block writes nothing: the original is
  byte-identical and no temporary file, backup or shell file is left.

Cells are changed in place (:mod:`refund_xl._files.xlsxpatch`): a cell not named
keeps its value, formula, comment and style; a CSV is rewritten in its own
encoding (UTF-8 with or without BOM, or GBK) and line ends.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence, cast

from refund_xl._core.errors import InputFileError, OutputFileError, BusyError, clip, reason_of
from refund_xl._core.fields import Aliases
from refund_xl._core.ranges import put_cells
from refund_xl._files import files, sheet_append, xlsxstream
from refund_xl._app.batch import ChartSpec, same_value
from refund_xl._app.book import find_tracking
from refund_xl._app.fill import RESULT_WIDTHS, RESULT_WRAP, FillPlan
from refund_xl._app.table import WIDTH as RESULT_WIDTH
from refund_xl._files.bounded import damaged
from refund_xl._files.notes import note
from refund_xl._files.xlsxpatch import KEEP, Book, DamagedPart, Package, PackageError, SheetSpec, _col_number
from refund_xl._files.sheetrows import DeleteRefused

__all__ = ["FileBook", "open_book", "same_value"]

# A REFUND_TABLE formula cell in a sheet's XML, in every form a spreadsheet stores it: <c r="BJ1" …><f t="array"
# ref="BJ1:BQ96">REFUND_TABLE(… (Excel's legacy array and the template's), <c r="BJ1" cm="1"><f …>_xludf.REFUND_TABLE(…
# (a dynamic array; a function Excel did not know when it saved), 'xlwings.xlam'!REFUND_TABLE( / [1]!REFUND_TABLE(
# (an add-in's), LibreOffice's <f aca="false" t="array" …> and WPS's, prefixed namespaces (<x:c>), inside a wrapper
# (=IFERROR(REFUND_TABLE(…),"")); never another name ending in it (MY_REFUND_TABLE).
_ANCHOR = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d+)"[^>]*>(?:(?!</(?:\w+:)?c>).){0,400}?'
                     rb'<(?:\w+:)?f\b[^>]*>[^<]{0,300}?(?<![\w])REFUND_TABLE\s*\(', re.S | re.I)
_ANCHOR_HEAD = 1 << 20    # the sheet XML read for it: the header row is near the top
# a print area of one range: 售后登记!$BJ$1:$BQ$96 ('售后登记'!…), its first column and row, its last column
_AREA = re.compile(r"(?:(?:'(?:[^']|'')*'|[^,!']*)!)?\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?\d+", re.I)


def _fingerprint(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()



def _save_synced(pkg, tmp: Path) -> None:
    """The package written to ``tmp`` and flushed to disk before anything replaces the original."""
    with open(tmp, "wb") as fh:
        pkg.save(fh)
        fh.flush()
        os.fsync(fh.fileno())

def _refuse_foreign(book: Book, name: str) -> None:
    """A package the product must not write into, said before anything is planned or written."""
    why = book.foreign
    if why == "namespace":
        raise OutputFileError(f"{name} 不是标准的 .xlsx 格式（可能是 Excel 2007 测试版或其他程序写的）："
                              "请在 Excel 中另存为普通 .xlsx 后再试；没有改动它")
    if why == "backslash":
        raise OutputFileError(f"{name} 的压缩包路径不规范（写它的程序用了反斜杠）：请在 Excel 中打开并重新保存后再试；"
                              "没有改动它")


class FileBook:
    """A workbook (or CSV) file, read once; changes collected and written on :meth:`commit`."""

    def __init__(self, path: Path, out: Path | None, backup: bool):
        self.path = path
        self.out = out or path
        self.target = files.real_target(self.out)
        self.backup_wanted = backup
        self.backup_path: Path | None = None
        suffix = self.out.suffix.lower()
        if suffix not in (".csv", *files.EXCEL_SUFFIXES):
            raise OutputFileError(f"不支持的文件类型：{self.out.name}（支持 .xlsx / .xlsm / .csv）")
        self.kind = "csv" if suffix == ".csv" else "xlsx"
        if path.suffix.lower() != suffix and path.exists():
            raise OutputFileError(f"{self.out.name}：输出类型须与 {path.name} 相同")
        self.data: bytes | None = None
        self.exists = path.exists()
        if self.exists:
            try:
                self.data = files.real_target(path).read_bytes()
            except OSError as exc:
                raise files._open_error(path, exc) from None
        self.print = _fingerprint(self.data)
        # the target's own fingerprint, when the target is another file that exists already
        self.target_print = self.print if self.out == path else _fingerprint(
            self.target.read_bytes() if self.target.exists() else None)
        self._sheets = files.SheetReader(path, self.data) if self.exists else None
        if self._sheets is not None and self._sheets.book is not None:
            _refuse_foreign(self._sheets.book.book, path.name)
        self._rows: dict[str, list[list[object]]] = {}
        # (value, style): a style is a number of the book's styles, or a wish ("header", "wrap") made one at save
        self._edits: dict[str, dict[tuple[int, int], tuple[object, int | str | None]]] = {}
        self._charts: dict[str, ChartSpec] = {}
        self._new: dict[str, SheetSpec] = {}
        self._replace: dict[str, SheetSpec] = {}
        # sheet → (block, widths, each column's style wish: numbered at save)
        self._blocks: dict[str, tuple[xlsxstream.Block, dict[int, float], tuple[str | None, ...]]] = {}
        self._csv_rows: list[list[object]] | None = None
        self._csv_from: list[int] = []  # each CSV row's line (record) in the file as read, while it has one
        self._appends: dict[str, list[tuple[int, list[list[object]]]]] = {}  # sheet → rows appended (write_block)
        # rows removed / appended under a big sheet (sheetrows: streamed, for sheets too big to hold)
        self._removed: dict[str, set[int]] = {}
        self._appended: dict[str, tuple[list[list[object]], int, dict[int, object] | None]] = {}

    # ------------------------------------------------------------ reading
    @property
    def sheet_names(self) -> list[str]:
        names = list(self._sheets.sheet_names) if self._sheets is not None else []
        return names + [n for n in self._new if n not in names]

    @property
    def date1904(self) -> bool:
        book = getattr(self._sheets, "book", None)
        return bool(getattr(book, "date1904", False))

    def rows(self, sheet: str) -> list[list[object]]:
        """The sheet's cells as rows of values (from the bytes read at open)."""
        if sheet in self._new and (self._sheets is None or sheet not in self._sheets.sheet_names):
            return [list(r) for r in self._new[sheet].rows]
        if self._sheets is None or sheet not in self._sheets.sheet_names:
            raise InputFileError(f"{self.path.name} 中没有名为「{sheet}」的工作表")
        if sheet not in self._rows:
            self._rows[sheet] = self._sheets.rows(sheet)
        return self._rows[sheet]

    def forget_rows(self, sheet: str) -> None:
        """Drop the rows kept for ``sheet`` once the caller has planned from them (a 100k-row sheet is
        ~200 MB of Python values, not needed while the file is written); :meth:`rows` reads them again."""
        self._rows.pop(sheet, None)
        if self._sheets is not None:
            self._sheets.forget(sheet)

    def head(self, sheet: str, n: int = 20) -> list[list[object]]:
        """The sheet's first ``n`` rows (cheap on a big sheet: enough to recognise a layout)."""
        if sheet in self._rows or self.kind == "csv" or self._sheets is None or sheet not in self._sheets.sheet_names:
            return self.rows(sheet)[:n]
        book = self._sheets.book
        return self.rows(sheet)[:n] if book is None else book.head(sheet, n)

    def active_sheet(self) -> None:
        return None  # a file has no sheet the user is looking at

    def table(self, sheet: str | None = None, aliases: Aliases = None) -> files.Table:
        """The tracking table: the named sheet, or the first that has the columns (:func:`book.find_tracking`)."""
        found = find_tracking(self, sheet, aliases, name=self.path.name)
        return files.Table(found.headers, found.rows, found.sheet, found.at + 1)

    # ------------------------------------------------------------ changing
    def set_cells(self, sheet: str, cells: Mapping[tuple[int, int], object], style: str | None = None) -> None:
        """Change only these cells' values ((row0, col0) → value; None clears); rows/columns may grow.
        ``style``: "header" or "wrap" for the product's style (a cell with a style of the desk's keeps it)."""
        if self.kind == "csv":
            put_cells(self._csv(), cells)
            return
        if sheet in self._new and (self._sheets is None or sheet not in self._sheets.sheet_names):
            spec = self._new[sheet]
            spec.rows = put_cells([list(r) for r in spec.rows], cells)
            return
        if sheet not in self.sheet_names:
            raise InputFileError(f"{self.path.name} 中没有名为「{sheet}」的工作表")
        edits = self._edits.setdefault(sheet, {})
        for rc, v in cells.items():
            edits[rc] = (v, style)

    def result_anchor(self, sheet: str) -> tuple[int, int] | None:
        """(row, column), 0-based, of a REFUND_TABLE formula in the sheet's first rows (the template's
        result block), read from the sheet's XML (values alone do not show a formula); None when there
        is none."""
        bounded = self._sheets.book if self._sheets is not None else None   # the reader of the same bytes
        if bounded is None:                        # a CSV, or a new book: no formula block
            return None
        try:
            with bounded.pkg.zip.open(bounded.book.sheet_parts[sheet]) as fh:
                head = fh.read(_ANCHOR_HEAD)
        except Exception:                          # a CSV, or an unusual package: no formula block known
            return None
        m = _ANCHOR.search(head)
        if m is None:
            return None
        n = 0
        for ch in m.group(1):
            n = n * 26 + ch - 64
        return int(m.group(2)) - 1, n - 1

    def result_area(self, sheet: str) -> tuple[int, int] | None:
        """(row, column), 0-based, of the first cell of the sheet's print area when it is one range exactly
        the result block's 8 columns wide (the template prints its block); None otherwise."""
        bounded = self._sheets.book if self._sheets is not None else None
        if bounded is None or sheet not in bounded.book.sheet_names:
            return None
        index = str(bounded.book.sheet_names.index(sheet))
        try:
            for e in bounded.book.x.all("definedName"):
                if e.getAttribute("name") != "_xlnm.Print_Area" or e.getAttribute("localSheetId") != index:
                    continue
                text = "".join(n.data for n in e.childNodes if n.nodeType == n.TEXT_NODE)
                m = _AREA.fullmatch(text.strip())
                if m is None:
                    return None
                first, last = _col_number(m.group(1).upper()), _col_number(m.group(3).upper())
                return (int(m.group(2)) - 1, first - 1) if last - first + 1 == RESULT_WIDTH else None
        except Exception:  # an unusual workbook part: no print area known
            return None
        return None

    def put_results(self, sheet: str, plan: FillPlan) -> None:
        """`fill`'s block laid out for a person: the headers in the header style, the cells to empty, the
        results as one appended block (wrapped and sized per :data:`refund_xl._app.fill.RESULT_WRAP` /
        ``RESULT_WIDTHS`` where the desk has not sized a column)."""
        self.forget_rows(sheet)  # planned from: not held while the file is written
        at, start = plan.header_row, plan.first_col
        self.set_cells(sheet, {(at, start + k): h for k, h in enumerate(plan.headers)}, style="header")
        if plan.clears:
            self.set_cells(sheet, plan.clears)
        self.put_block(sheet, at + 1, start, plan.block, ["wrap" if w else None for w in RESULT_WRAP],
                       {start + k: w for k, w in enumerate(RESULT_WIDTHS)})

    def put_block(self, sheet: str, row0: int, col0: int, rows: Sequence[Sequence[object]],
                  styles: Sequence[str | None] = (), widths: Mapping[int, float] | None = None) -> None:
        """A rectangle of values from (row0, col0), 0-based (None or "" = no cell; a cell to empty is a
        ``set_cells`` None), written at save by the block fast path (:mod:`refund_xl._files.xlsxstream`):
        ``styles`` per column ("wrap" or None), ``widths`` per 0-based column for columns the desk
        has not sized.  A CSV takes the values as cells."""
        if self.kind == "csv" or (sheet in self._new and (self._sheets is None or sheet not in self._sheets.sheet_names)):
            self.set_cells(sheet, {(row0 + i, col0 + k): v for i, row in enumerate(rows) for k, v in enumerate(row)
                                   if v is not None and v != ""})
            return
        if sheet not in self.sheet_names:
            raise InputFileError(f"{self.path.name} 中没有名为「{sheet}」的工作表")
        self._blocks[sheet] = (xlsxstream.Block(row0, col0, rows), dict(widths or {}), tuple(styles))

    def write_block(self, sheet: str, row0: int, rows: list[list[object]]) -> None:
        """Rows written from column A at ``row0`` (0-based): the new cases an import appends.

        Under an existing sheet's last row they are kept as rows and streamed into the
        part when the file is written (:mod:`refund_xl._files.sheet_append`), not held as cells."""
        if self.kind == "xlsx" and self._sheets is not None and sheet in self._sheets.sheet_names:
            self._appends.setdefault(sheet, []).append((row0, rows))
            return
        self.set_cells(sheet, {(row0 + k, c): v for k, row in enumerate(rows) for c, v in enumerate(row)
                               if v is not None})

    def put_sheet(self, spec: SheetSpec, previous: object = None) -> None:
        """An output sheet: added when new; when it exists, only the cells that differ are written
        (compared with the cells as read, so ``previous`` — the same cells — is not needed here).

        Cells equal to what is there are not touched (a staff HYPERLINK formula
        whose shown value is kept stays a formula); cells the new table no longer
        has are cleared; bold rows get the product's header style unless the
        cell carries a style of the desk's.
        """
        if self.kind == "csv":
            raise OutputFileError(f"{self.out.name}：CSV 只能存一张表，无法写入「{spec.name}」（请改用 .xlsx）")
        existing = self._sheets is not None and spec.name in self._sheets.sheet_names
        if not existing:
            legal = files.legal_sheet_name(spec.name)
            if legal != spec.name:  # a name Excel refuses (a --sheet typed so): a legal one, said so
                note(f"工作表名「{clip(spec.name, 40)}」Excel 不允许，已写为「{legal}」")
                spec.name = legal
            self._new[spec.name] = spec
            return
        if spec.snapshot:
            self._replace[spec.name] = spec
            return
        old = self.rows(spec.name)
        if spec.name in self._removed:  # compared with the sheet as it is after the removal
            gone = self._removed[spec.name]
            old = [r for i, r in enumerate(old) if i not in gone]
        st_header = "header"
        edits = self._edits.setdefault(spec.name, {})
        height = max(len(old), len(spec.rows))
        for r in range(height):
            new_row = spec.rows[r] if r < len(spec.rows) else ()
            old_row = old[r] if r < len(old) else ()
            bold = r in spec.bold_rows
            for c in range(max(len(new_row), len(old_row))):
                nv = new_row[c] if c < len(new_row) else None
                ov = old_row[c] if c < len(old_row) else None
                wrap = c in spec.wrap_cols and isinstance(nv, str)
                want = st_header if bold and nv not in (None, "") else ("wrap" if wrap else None)
                if not same_value(ov, nv):
                    edits[(r, c)] = (nv, want)
                elif bold and want is not None:
                    edits.setdefault((r, c), (KEEP, want))
        if spec.chart is not None:
            self._charts[spec.name] = spec.chart

    def remove_rows(self, sheet: str, rows: "Iterable[int]") -> None:
        """Delete whole rows (0-based sheet rows, as read) as Excel's 删除行 does: rows below move up and
        every reference to them moves too (:mod:`refund_xl._files.sheetrows`).  Applied on commit before
        the cell edits: cells given afterwards (:meth:`set_cells`, :meth:`put_sheet`) are in the
        coordinates of the sheet after the removal."""
        rows = set(int(r) for r in rows)
        if not rows:
            return
        if self.kind == "csv":
            table = self._csv()
            self._csv_rows = [r for i, r in enumerate(table) if i not in rows]
            self._csv_from = [k for i, k in enumerate(self._csv_from) if i not in rows]
            return
        if self._sheets is None or sheet not in self._sheets.sheet_names:
            raise InputFileError(f"{self.path.name} 中没有名为「{sheet}」的工作表")
        self._removed.setdefault(sheet, set()).update(rows)

    def append_rows(self, sheet: str, rows: list, last_row: int, header: "Mapping[int, object] | None" = None) -> None:
        """Rows written under row ``last_row`` (1-based; the sheet's last row) of an existing sheet,
        streamed on commit; ``header`` (0-based column → text) adds cells to the first row."""
        if self._sheets is None or sheet not in self._sheets.sheet_names:
            raise InputFileError(f"{self.path.name} 中没有名为「{sheet}」的工作表")
        self._appended[sheet] = (rows, last_row, dict(header) if header else None)

    def _csv(self) -> list[list[object]]:
        if self._csv_rows is None:
            self._csv_rows = [list(r) for r in self.rows(self.sheet_names[0])] if self.exists else []
            self._csv_from = list(range(len(self._csv_rows)))
        return self._csv_rows

    @property
    def changed(self) -> bool:
        return bool(self._new or self._replace or self._blocks or self._appends or any(self._edits.values())
                    or self._csv_rows is not None or self._removed or self._appended)

    # ------------------------------------------------------------ writing
    def _render(self, tmp: Path) -> None:
        if self.kind == "csv":
            self._write_csv(tmp)
            return
        if self.data is None:
            self._write_new(tmp)
            return
        try:
            pkg = Package(self.data)
            book = Book(pkg)
            # a formula cell of a sheet written may be gone: Excel rebuilds the chain (rows removed shift the
            # cells below; rows appended under a sheet leave the cells it lists alone; a sheet only added is in no chain)
            touched = [n for n, e in self._edits.items() if e] + list(self._replace) + list(self._blocks) \
                + list(self._removed)
            if touched:
                book.drop_calc_chain(touched)
            if book.strict and any(spec.chart is not None for spec in (*self._new.values(), *self._replace.values())):
                note(f"{self.path.name} 是严格 OOXML（Strict Open XML）工作簿：输出表照常写入，但不画图表")
            st = book.styles
            styles = {"header": st.header, "wrap": st.wrap}
            self._render_rows(pkg, book)  # rows removed first: the cell edits are in the coordinates after
            for name, edits in self._edits.items():
                if not edits and name not in self._charts or name in self._blocks:
                    continue
                if any(isinstance(s, str) for _v, s in edits.values()):  # no second copy of a fill's cells
                    edits = {rc: (v, styles.get(s) if isinstance(s, str) else s) for rc, (v, s) in edits.items()}
                # every style a number now (a wish was made one just above)
                book.edit_sheet(name, cast("dict[tuple[int, int], tuple[object, int | None]]", edits),
                                self._charts.get(name))
            for name, (block, widths, wishes) in self._blocks.items():
                numbered = {rc: (v, styles.get(s) if isinstance(s, str) else s)
                         for rc, (v, s) in self._edits.get(name, {}).items()}
                block.styles = tuple(styles.get(s) if isinstance(s, str) else s for s in wishes)
                xlsxstream.edit_sheet_block(book, name, block, numbered, widths)
            for name, appends in self._appends.items():
                for row0, rows in appends:
                    if not sheet_append.append_rows(book, name, row0, rows):  # rows of the sheet below: cell by cell
                        book.edit_sheet(name, {(row0 + k, c): (v, None) for k, row in enumerate(rows)
                                               for c, v in enumerate(row) if v is not None})
            for spec in self._replace.values():
                book.replace_data(spec)
            for spec in self._new.values():
                xlsxstream.add_sheet(book, spec)    # rows written in blocks: no whole-sheet text
            book.save()
            _save_synced(pkg, tmp)
        except DamagedPart as exc:
            raise damaged(self.path.name, exc.part) from None
        except DeleteRefused as exc:
            raise OutputFileError(f"无法从 {self.path.name} 移走行：{exc}（原文件未改动；可在 Excel 中用功能区按钮归档，"
                                  "或先处理该处）") from None
        except (PackageError, KeyError, UnicodeDecodeError, ValueError, zipfile.BadZipFile, EOFError) as exc:
            raise OutputFileError(f"无法更新 {self.path.name}：{reason_of(exc, '工作簿结构无法识别')}，"
                                  "原文件未改动（可在 Excel 中打开并重新保存后再试）") from None

    def _write_new(self, tmp: Path) -> None:
        """A workbook that did not exist: an empty shell (in memory) with the new sheets."""
        import xlsxwriter

        if self.out.suffix.lower() == ".xlsm":
            raise OutputFileError(f"{self.out.name}：无法新建 .xlsm（没有宏可带入），请改用 .xlsx")
        if not self._new:
            raise OutputFileError(f"{self.out.name}：没有要写入的内容")
        buf = io.BytesIO()
        shell = xlsxwriter.Workbook(buf, {"in_memory": True})
        first = next(iter(self._new))
        shell.add_worksheet(files.legal_sheet_name(first))
        shell.close()
        pkg = Package(buf.getvalue())
        book = Book(pkg)
        for spec in self._new.values():
            xlsxstream.add_sheet(book, spec)
        book.save()
        _save_synced(pkg, tmp)

    def _render_rows(self, pkg, book) -> None:
        """Rows removed and rows appended under a big sheet (streamed while the package is saved)."""
        from refund_xl._files import sheetrows
        from refund_xl._files.refs import RowMap

        for name, gone in self._removed.items():
            sheetrows.delete_rows(pkg, book, name, RowMap(r + 1 for r in gone))
        for name, (rows, last_row, header) in self._appended.items():
            sheetrows.append_rows(pkg, book, name, rows, last_row, header)

    def _write_csv(self, tmp: Path) -> None:
        """The CSV written back as it came — its encoding, line ends and separator, and every cell the run did not
        change exactly as it was in the file (``="3710284455120038871"``, ``-不想要了-``, ``@小李``, its quoting):
        only the cells the product wrote are the product's text, made inert where a spreadsheet would run it
        (contract §9 "Safety"; a desk's own cell is the desk's, contract §9 "Nothing lost")."""
        encoding, newline, delimiter = "utf-8-sig", "\r\n", ","
        table = self._csv()
        if self.data is None:  # a new CSV: every cell is the product's
            buf = io.StringIO()
            out = csv.writer(buf, lineterminator=newline, delimiter=delimiter)
            for row in table:
                out.writerow([files.csv_cell(v) for v in row])
            text = buf.getvalue()
        else:
            text, encoding = files.decode_csv(self.data, self.path.name)
            head = text[:65536]
            newline = "\r\n" if "\r\n" in head else "\r" if "\r" in head and "\n" not in head else "\n"
            delimiter = files.csv_delimiter(head)
            text = _csv_text(text, files.parse_csv(text, self.path.name), table, self._csv_from, newline, delimiter)
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError as exc:
            raise OutputFileError(f"无法写入 {self.out.name}：「{clip(exc.object[exc.start:exc.end])}」无法用 "
                                  f"{encoding.upper()} 编码保存（请将文件另存为 UTF-8 CSV）") from None
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

    def _check_unchanged(self) -> None:
        try:
            now = self.target.read_bytes() if self.target.exists() else None
        except OSError as exc:
            raise OutputFileError(f"无法读取 {self.target.name}：{exc.strerror or exc}") from None
        if _fingerprint(now) != self.target_print:
            raise BusyError(f"{self.target.name} 在本次运行期间被别人保存过：没有覆盖他的修改，"
                            "请重新运行（结果会基于最新内容）")

    def commit(self) -> None:
        """Temp file → fingerprint check → backup → fingerprint check → atomic replace."""
        if not self.changed:
            return
        files.refuse_if_open(self.out)
        with files.atomic_path(self.target) as tmp:
            try:
                self._render(tmp)
            except OSError as exc:
                raise OutputFileError(f"无法写入 {self.target.name}：{exc.strerror or exc}（原文件未改动）") from None
            self._check_unchanged()
            if self.backup_wanted and self.target.exists():
                self.backup_path = files.backup(self.target)
            try:
                self._check_unchanged()
            except BusyError:
                if self.backup_path is not None:
                    with contextlib.suppress(OSError):
                        self.backup_path.unlink()
                    self.backup_path = None
                raise
            files.refuse_if_open(self.out)


# ------------------------------------------------------------------ a CSV written back

def _csv_field_re(delimiter: str) -> re.Pattern[str]:
    """One field as Python's csv reader takes it (not strict): an optional quoted part ("" a quote inside), then
    anything up to the separator or the line end (kept as written: ="371…" is one field)."""
    d = re.escape(delimiter)
    return re.compile(rf'(?:"(?:[^"]|"")*"|)[^{d}\r\n]*')


def _csv_records(text: str, delimiter: str) -> list[tuple[list[str], str]] | None:
    """Each record of a CSV's text as written: its fields' raw text and its line end ("" at the end of the
    file); None where a record cannot be split so (a line end inside a field: the quoted part spans lines)."""
    field = _csv_field_re(delimiter)
    out: list[tuple[list[str], str]] = []
    pos, end = 0, len(text)
    while pos < end:
        raw: list[str] = []
        while True:
            m = field.match(text, pos)
            if m is None:  # pragma: no cover - the pattern matches the empty string
                return None
            raw.append(m.group())
            pos = m.end()
            if pos < end and text[pos] == delimiter:
                pos += 1
                continue
            break
        term = "\r\n" if text.startswith("\r\n", pos) else text[pos:pos + 1]
        if term not in ("", "\r", "\n", "\r\n"):
            return None
        pos += len(term)
        out.append(([] if raw == [""] else raw, term))
    return out


def _csv_value(raw: str) -> str:
    """A raw field's value, as the csv reader gives it."""
    if raw.startswith('"'):
        m = re.match(r'"((?:[^"]|"")*)"(.*)', raw, re.S)
        if m is not None:
            return m.group(1).replace('""', '"') + m.group(2)
    return raw


def _csv_quoted(value: object, delimiter: str) -> str:
    """A cell the product writes, as a field (the csv writer's minimal quoting; inert where it would run)."""
    text = str(files.csv_cell(value))
    if any(ch in text for ch in (delimiter, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def _same_cell(a: object, b: object) -> bool:
    return (a is None or a == "") if (b is None or b == "") else a == b


def _csv_text(text: str, read: list[list[object]], table: list[list[object]], origin: list[int], newline: str,
              delimiter: str) -> str:
    """``table`` (the file's rows after the run's changes; ``origin``: the record each of its first rows was
    read from) as CSV text: a record the run did not change is copied from ``text`` as it was, a changed one keeps
    the raw text of every cell the run did not change; the product's cells are quoted and made inert."""
    records = _csv_records(text, delimiter)
    if records is not None and (len(records) != len(read) or any(
            [_csv_value(f) or None for f in raw] != list(row) for (raw, _t), row in zip(records, read))):
        records = None                     # not split as the reader read it: every cell from its value
    out: list[str] = []
    for i, row in enumerate(table):
        k = origin[i] if i < len(origin) and origin[i] < len(read) else None
        was: list[object] = read[k] if k is not None else []
        raw, term = records[k] if records is not None and k is not None else ([], newline)
        if not term and i + 1 < len(table):  # the file's last line, rows added under it
            term = newline
        if records is not None and k is not None and len(row) == len(was) and \
                all(_same_cell(v, w) for v, w in zip(row, was)):
            out.append(delimiter.join(raw) + term)           # a line the run did not change: as it was
            continue
        fields = []
        for c, v in enumerate(row):
            if c < len(was) and _same_cell(v, was[c]):      # the desk's cell: as written, else as it was
                fields.append(raw[c] if c < len(raw) else _csv_kept(v, delimiter))
            else:                                            # the product's cell
                fields.append(_csv_quoted(v, delimiter))
        out.append(delimiter.join(fields) + term)
    return "".join(out)


def _csv_kept(value: object, delimiter: str) -> str:
    """A cell the run did not change, where the file's raw text is not at hand: its value as it was, quoted as
    the csv writer quotes, never made inert (it is the desk's)."""
    text = "" if value is None else str(value)
    if any(ch in text for ch in (delimiter, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


@contextlib.contextmanager
def open_book(path: str | os.PathLike, out: str | os.PathLike | None = None, *,
              backup: bool = True) -> Iterator[FileBook]:
    """A workbook or CSV opened for a safe change (see the module's docstring).

    ``out``: write the result there instead of over ``path`` (``path`` is only
    read).  ``path`` may be missing: the book starts empty and is created
    from the sheets put into it.
    """
    path = Path(path)
    out_path = Path(out) if out else None
    target = out_path or path
    if target.is_dir():
        raise OutputFileError(f"{target} 是一个文件夹：请给出文件名（如 {target / '售后登记.xlsx'}）")
    with files.file_lock(target):
        files.refuse_if_open(target)
        book = FileBook(path, out_path, backup)
        yield book
        book.commit()
