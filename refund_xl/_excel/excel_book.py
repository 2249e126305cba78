"""The Excel adapter of :class:`refund_xl._app.book.Book`: the open workbook, over xlwings objects.

Every string written is prefixed with an apostrophe: Excel stores it as plain
text, so customer text such as ``=HYPERLINK(...)`` never becomes a formula and
an order number such as ``0044328104910363187`` never becomes ``4.43E+16``.
Reads are one call per sheet (kept for the run); writes are one call per
changed block.  Tests hand it a recording stand-in for ``xw.Book``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Mapping, Sequence

from refund_xl._app import batch
from refund_xl._app.batch import ChartSpec, SheetSpec
from refund_xl._app.outputs import CJK_FONT
from refund_xl._core import vocab
from refund_xl._core.numfmt import format_shows_time

__all__ = ["ExcelBook", "inert_cell", "TITLE"]

log = logging.getLogger(__name__)

CHART_NAME = "售后助手_各动作数量"
TITLE = "售后助手"


def inert_cell(value: object) -> object:
    """A value as it must be handed to Excel: every string as literal text."""
    if isinstance(value, str):
        return "'" + value if value else None
    return value


def _date_cell(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
               microsecond: int = 0, **_: object) -> datetime:
    """A date cell as xlwings hands its parts over (the ``dates`` option): a cell at 00:00:00 is the whole day
    (contract §2 "Dates"), as a formula reads its Value2 (a serial with no fraction) — the value cannot tell 6/8 from
    6/8 0:00; the column's number format can (:meth:`ExcelBook.rows`)."""
    if not (hour or minute or second or microsecond):
        return vocab.whole_day(date(year, month, day))
    return datetime(year, month, day, hour, minute, second, microsecond)


_FORMAT_READS = 50  # runs of 00:00 cells per column read one by one; more: the whole span at once


def _timed_midnights(sheet, rows: list[list[object]]) -> None:
    """Cells at 00:00 in a column whose number format shows a time of day (2025/6/8 0:00) as that moment, as the
    file host reads them (its cells' styles): one format read per run of such cells down a column (a blank or a
    timed cell between two runs is not read: its General format would hide theirs); where the cells of a run differ
    (xlwings: None) they stay the whole day, the cautious reading."""
    whole = vocab.WholeDay
    at: dict[int, list[int]] = {}
    for r, row in enumerate(rows):
        if whole in set(map(type, row)):
            for c, v in enumerate(row):
                if v.__class__ is whole:
                    at.setdefault(c, []).append(r)
    for c, found in at.items():
        runs: list[tuple[int, int]] = []
        for r in found:
            if runs and runs[-1][1] == r - 1:
                runs[-1] = (runs[-1][0], r)
            else:
                runs.append((r, r))
        if len(runs) > _FORMAT_READS:
            runs = [(found[0], found[-1])]
        for lo, hi in runs:
            try:
                code = sheet.range((lo + 1, c + 1), (hi + 1, c + 1)).number_format
            except Exception:  # a host without formats: the whole day
                log.debug("number format not read", exc_info=True)
                break
            if isinstance(code, str) and format_shows_time(-1, code):
                for r in range(lo, hi + 1):
                    v = rows[r][c]
                    if v.__class__ is whole:
                        rows[r][c] = datetime(v.year, v.month, v.day)


def _rect(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    width = max((len(r) for r in rows), default=1) or 1
    return [[inert_cell(v) for v in r] + [None] * (width - len(r)) for r in rows]


class ExcelBook:
    """The few things the macros do to a workbook, over xlwings objects."""

    def __init__(self, book):
        self.book = book
        self._read: dict[str, list[list[object]]] = {}  # each sheet read once per run

    # reading -------------------------------------------------------------
    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def active_sheet(self) -> str | None:
        try:
            return self.book.sheets.active.name
        except Exception:
            return None

    def rows(self, name: str) -> list[list[object]]:
        """The sheet's cells from A1 to the last used cell, in one call (once per run)."""
        if name not in self._read:
            sheet = self.book.sheets[name]
            last = sheet.used_range.last_cell
            rows = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, dates=_date_cell).value
            self._read[name] = [list(r) for r in rows or []]
            _timed_midnights(sheet, self._read[name])
        return self._read[name]

    def head(self, name: str, n: int = 20) -> list[list[object]]:
        """The first rows; the whole sheet is read (one call, kept for the run): an output
        sheet whose head is checked is usually read in full right after."""
        return self.rows(name)[:n]

    # writing -------------------------------------------------------------
    def put_sheet(self, spec: SheetSpec, previous: Sequence[Sequence[object]] | None = None) -> None:
        """An output sheet written per its layout (the same :class:`SheetSpec` the file host writes).

        With ``previous`` (what the sheet held when it was read), only the
        cells that differ are written, in as few blocks as possible: a staff
        formula, comment or format in a cell whose value is kept stays.
        Without it the sheet's contents are replaced (one write; formats kept).
        Widths go on a new sheet; header rows are bold, long-text columns wrap,
        and the overview gets its chart.
        """
        created = spec.name not in self.sheet_names
        self.write(spec.name, spec.rows, spec.widths, previous)
        self._style(spec, created)
        if spec.chart is not None:
            self.chart(spec.name, spec.chart)

    def _style(self, spec: SheetSpec, created: bool) -> None:
        """Bold header rows and wrapped text columns (formats only: no cell value is touched)."""
        sheet = self.book.sheets[spec.name]
        width = max((len(r) for r in spec.rows), default=1) or 1
        try:
            for r in sorted(spec.bold_rows):
                sheet.range((r + 1, 1), (r + 1, width)).font.bold = True
            for c in sorted(spec.wrap_cols):
                if len(spec.rows) > 1:
                    sheet.range((1, c + 1), (len(spec.rows), c + 1)).wrap_text = True
        except Exception:  # a host without these properties: the values are there all the same
            log.debug("styling skipped", exc_info=True)
        if created and spec.freeze_col:  # the tracking sheet import creates: the template's header fill, frozen ids
            self._freeze(sheet, spec, width)
        if not created:
            return  # an existing sheet keeps the desk's alignment and page setup
        try:  # Windows COM: the file host's layout (xlsxpatch) — one top alignment, a one-page-wide printout
            if spec.rows:
                sheet.range((1, 1), (len(spec.rows), width)).api.VerticalAlignment = -4160  # xlTop
            if spec.print_fit:
                setup = sheet.api.PageSetup
                setup.Orientation = 2  # xlLandscape
                setup.Zoom = False
                setup.FitToPagesWide = 1
                setup.FitToPagesTall = False
                rows = [p for p in (spec.print_titles or "").split(",") if not p.lstrip("$")[:1].isalpha()]
                if rows:
                    setup.PrintTitleRows = rows[0]
        except Exception:  # Excel for Mac (AppleScript) or a host without page setup: values are there
            log.debug("page setup skipped", exc_info=True)

    def _freeze(self, sheet, spec: SheetSpec, width: int) -> None:
        try:
            sheet.range((1, 1), (1, width)).color = (0xDD, 0xEB, 0xF7)
            sheet.activate()
            window = self.book.app.api.ActiveWindow  # Windows COM (Mac: no such call, the sheet stays unfrozen)
            window.SplitRow, window.SplitColumn = spec.freeze_row, spec.freeze_col
            window.FreezePanes = True
            if spec.autofilter_row is not None:
                sheet.range((spec.autofilter_row + 1, 1)).api.AutoFilter()
        except Exception:
            log.debug("freezing skipped", exc_info=True)

    def write(self, name: str, rows: Sequence[Sequence[object]], widths: Sequence[float] = (),
              previous: Sequence[Sequence[object]] | None = None) -> None:
        """Write ``rows`` into the sheet: only the cells that differ from ``previous``, else all of them."""
        self._read.pop(name, None)
        sheets = self.book.sheets
        if previous is not None and name in self.sheet_names:
            sheet = sheets[name]
            for r0, c0, block in batch.changed_blocks(previous, rows):
                sheet.range((r0 + 1, c0 + 1)).value = _rect(block)
            return
        if name in self.sheet_names:
            sheet = sheets[name]
            sheet.used_range.clear_contents()
        else:
            sheet = sheets.add(name, after=sheets[len(sheets) - 1])
            try:  # a new output sheet reads in a Chinese font (an existing one keeps the desk's formats)
                sheet.cells.font.name = CJK_FONT
            except Exception:
                pass
            for i, w in enumerate(widths, start=1):
                try:
                    sheet.range((1, i)).column_width = w
                except Exception:
                    pass
        data = _rect(rows)
        if data:
            sheet.range((1, 1)).value = data

    def chart(self, name: str, spec: ChartSpec) -> None:
        """A bar chart of the counts per action; optional (skipped where the host cannot draw it)."""
        try:
            sheet = self.book.sheets[name]
            for ch in list(sheet.charts):
                if ch.name == CHART_NAME:
                    ch.delete()
            anchor = sheet.range(spec.anchor)
            ch = sheet.charts.add(left=anchor.left, top=anchor.top, width=520,
                                  height=max(220, 16 * (spec.last_row - spec.first_row + 1) + 60))
            ch.name = CHART_NAME
            ch.chart_type = "bar_clustered"
            ch.set_source_data(sheet.range((spec.first_row, spec.label_col), (spec.last_row, spec.value_col)))
            try:  # every action's label, not every other one (Windows COM; Mac has no such call)
                ch.api[1].Axes(1).TickLabelSpacing = 1
            except Exception:
                pass
        except Exception:  # no charts API here (or a host quirk): the table is still there
            log.debug("chart skipped", exc_info=True)

    def set_cells(self, name: str, cells: Mapping[tuple[int, int], object]) -> None:
        """Write single cells (0-based row/column); runs of one row are written in one call."""
        self._read.pop(name, None)
        sheet = self.book.sheets[name]
        by_row: dict[int, list[tuple[int, object]]] = {}
        for (r, col), v in cells.items():
            by_row.setdefault(r, []).append((col, v))
        for r, items in sorted(by_row.items()):
            items.sort()
            start = prev = items[0][0]
            run = [items[0][1]]
            tail: list[tuple[int | None, object]] = [*items[1:], (None, None)]  # None: the end of the last run
            for c, v in tail:
                if c is not None and c == prev + 1:
                    run.append(v)
                    prev = c
                    continue
                sheet.range((r + 1, start + 1)).value = [[inert_cell(x) for x in run]]
                if c is not None:
                    start = prev = c
                    run = [v]

    def remove_rows(self, name: str, rows: Sequence[int]) -> None:
        """Whole rows (0-based) deleted by Excel itself (formulas, formats, comments follow as in 删除行):
        runs of adjacent rows, bottom up, several runs per call (an address stays under 255 characters)."""
        self._read.pop(name, None)
        wanted = sorted(set(rows), reverse=True)
        if not wanted:
            return
        runs: list[tuple[int, int]] = []  # (first, last), 1-based, from the bottom
        for r in wanted:
            if runs and runs[-1][0] == r + 2:
                runs[-1] = (r + 1, runs[-1][1])
            else:
                runs.append((r + 1, r + 1))
        sheet = self.book.sheets[name]
        batch_: list[str] = []
        for first, last in runs + [(0, 0)]:
            address = f"{first}:{last}"
            if batch_ and (first == 0 or len(",".join(batch_ + [address])) > 250):
                sheet.range(",".join(batch_)).delete(shift="up")  # whole rows: "5:7,10:10"
                batch_ = []
            if first:
                batch_.append(address)

    @property
    def path(self) -> str | None:
        """Where the workbook is saved (None: never saved, so it has no folder for archives)."""
        try:
            full = self.book.fullname
        except Exception:
            return None
        return full if full and ("/" in full or "\\" in full) else None

    def confirm(self, text: str) -> bool:
        """A yes/no question in a message box (OK / Cancel)."""
        try:
            return self.book.app.alert(text, title=TITLE, buttons="ok_cancel") == "ok"
        except Exception:  # a host without message boxes: do not go ahead unasked
            return False

    def write_block(self, name: str, row0: int, rows: Sequence[Sequence[object]], col0: int = 0) -> None:
        """Rows written from column ``col0`` at ``row0`` (0-based), in one call."""
        self._read.pop(name, None)
        self.book.sheets[name].range((row0 + 1, col0 + 1)).value = _rect(rows)

    # the result block of 刷新判定 (contract §8) -------------------------------
    def named_range(self, name: str):
        """The xlwings Range a defined name refers to (None when the book has no such name)."""
        try:
            return self.book.names[name].refers_to_range
        except Exception:
            return None

    def _clear_block(self, sheet, anchor, height: int, width: int) -> None:
        """Empty ``height`` × ``width`` cells from ``anchor``: a legacy array formula there as a whole
        (Excel refuses to clear part of one), a spilling formula with its anchor."""
        if anchor.api.HasArray:
            anchor.api.CurrentArray.ClearContents()
        sheet.range((anchor.row, anchor.column), (anchor.row + height - 1, anchor.column + width - 1)).clear_contents()

    def put_values(self, name: str, cell: str, rows: Sequence[Sequence[object]], clear_rows: int) -> None:
        """A result block as plain values at ``cell`` (its formula, if any, removed first), every string
        literal text; ``clear_rows`` rows are emptied first, so no older, longer block stays below."""
        self._read.pop(name, None)
        sheet = self.book.sheets[name]
        anchor = sheet.range(cell)
        width = max((len(r) for r in rows), default=1) or 1
        self._clear_block(sheet, anchor, max(clear_rows, len(rows), 1), width)
        anchor.value = _rect(rows)

    def has_dynamic_arrays(self) -> bool:
        """Excel 365/2021 (a formula spills) or 2016/2019 (legacy array formulas of a fixed height)."""
        try:
            got = self.book.app.api.Evaluate("SEQUENCE(2)")
        except Exception:
            return False
        return isinstance(got, (tuple, list))   # an error comes back as an int code

    def live_formula(self, name: str, cell: str, formula: str, height: int, width: int, clear_rows: int) -> bool:
        """The result block as one live formula at ``cell``; True when it was (re)entered.

        Dynamic arrays: entered only where the anchor holds no formula (values written by 刷新判定 or
        ``refund-xl fill``, or cleared), the spill follows the data.  Legacy arrays: re-entered over
        ``height`` rows each time (their height is fixed when entered).  ``clear_rows`` rows of the
        block are emptied before entering, so values below the new height do not stay."""
        self._read.pop(name, None)
        sheet = self.book.sheets[name]
        anchor = sheet.range(cell)
        if self.has_dynamic_arrays():
            if anchor.api.HasFormula:
                return False
            self._clear_block(sheet, anchor, max(clear_rows, height, 1), width)
            anchor.api.Formula2 = formula
            return True
        self._clear_block(sheet, anchor, max(clear_rows, height, 1), width)
        sheet.range((anchor.row, anchor.column), (anchor.row + height - 1, anchor.column + width - 1)).api.FormulaArray \
            = formula
        return True

    def recalculate(self) -> None:
        """A full recalculation: the formulas are not volatile, and time columns go stale overnight."""
        self.book.app.api.CalculateFull()

    def ask_files(self, title: str) -> list[str]:
        """Excel's own file dialog (several files at once); [] when cancelled."""
        try:
            got = self.book.app.api.GetOpenFilename(
                "平台导出 (*.csv;*.xlsx;*.xls),*.csv;*.xlsx;*.xls", 1, title, None, True)
        except Exception:  # Excel for Mac speaks AppleScript: a plain Python dialog instead
            try:
                import tkinter
                from tkinter import filedialog

                root = tkinter.Tk()
                root.withdraw()
                got = filedialog.askopenfilenames(title=title, filetypes=[("平台导出", "*.csv *.xlsx")])
                root.destroy()
            except Exception:
                return []
        if not got:  # False when cancelled
            return []
        return [str(p) for p in (got if isinstance(got, (list, tuple)) else [got])]

    # telling the user ------------------------------------------------------
    def status(self, text: str | None) -> None:
        try:
            self.book.app.status_bar = text if text else False
        except Exception:
            pass

    def alert(self, text: str) -> None:
        try:
            self.book.app.alert(text, title=TITLE)
        except Exception:  # a host without message boxes: at least the status bar
            self.status(text)
