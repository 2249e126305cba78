"""The one recording stand-in for the xlwings object model (there is no Excel here), for the tests of
the Excel host itself (``refund_xl/_excel``, the ribbon macros).  Tests of what a use case writes run
over :class:`refund_xl._app.memory.MemoryBook` instead.

A workbook of sheets, ranges and the application, as the Excel adapter touches them::

    book = Book({"售后登记": [headers, *rows]})   # 1-based cells, like Excel
    macros.daily_batch(book, now=NOW)
    book.log            # every read and write: ("read", sheet, (r1, c1, r2, c2)), ("write", sheet, (r1, c1)) …
    book.app.alerts     # (title, text) of each message box; book.app.statuses: each status-bar text

It behaves like Excel where it matters: a string written without a leading apostrophe that starts
with ``=``/``+``/``-``/``@`` becomes a formula and one that looks like a number becomes a number
(:func:`excel_store`); a value written over an entered formula (``Formula2``/``FormulaArray``) or into a
spill range fails, as does clearing part of an array formula; ``Value2`` gives dates as serial
numbers; a row address (``"5:7,10:10"``) deletes whole rows, those below moving up.

:class:`StandInRange` is the other face of xlwings the product sees: the ``Range`` handed to a formula
function by the ``range`` converter (``refund_xl/_excel/excel_range.py``), recording each read.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Callable

EPOCH = datetime(1899, 12, 30)

Box = tuple[int, int, int, int]  # (r1, c1, r2, c2), 1-based, inclusive


def serial(v: object) -> object:
    """A cell's Value2: a datetime as its serial number, a currency Decimal as a double."""
    if isinstance(v, datetime):
        return (v.replace(tzinfo=None) - EPOCH).total_seconds() / 86400.0
    if isinstance(v, Decimal):
        return float(v)
    return v


def excel_store(value: object) -> tuple[object, bool]:
    """What Excel keeps when a macro assigns ``value`` to a cell, and whether it became a formula."""
    if isinstance(value, str):
        if value.startswith("'"):
            return value[1:], False
        if value.startswith(("=", "+", "-", "@")):
            return value, True  # Excel would parse it as a formula
        if re.fullmatch(r"\d+(\.\d+)?", value):
            return float(value), False  # and numbers-as-text become numbers
    return value, False


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


# ------------------------------------------------------------------ the workbook: ranges, sheets, the app

class Api:
    """``Range.api``: the COM calls the adapter makes."""

    def __init__(self, rng: "Range"):
        self.rng = rng  # formatting set on it (VerticalAlignment …) is kept, not recorded

    @property
    def Value2(self):
        r = self.rng
        r.sheet.book.log.append(("Value2", r.sheet.name, r.box))
        rows = tuple(tuple(serial(r.sheet.cells.get((i, j))) for j in range(r.c1, r.c2 + 1))
                     for i in range(r.r1, r.r2 + 1))
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows

    @property
    def HasFormula(self):
        return (self.rng.r1, self.rng.c1) in self.rng.sheet.formulas

    @property
    def HasArray(self):
        f = self.rng.sheet.formulas.get((self.rng.r1, self.rng.c1))
        return f is not None and f[1] == "array"

    @property
    def CurrentArray(self):
        r = self.rng
        _text, _kind, height, width = r.sheet.formulas[(r.r1, r.c1)]
        return Api(Range(r.sheet, r.r1, r.c1, r.r1 + height - 1, r.c1 + width - 1))

    def ClearContents(self):
        self.rng.clear_contents(whole_array=True)

    def AutoFilter(self):
        pass

    @property
    def Formula2(self):
        return None

    @Formula2.setter
    def Formula2(self, text):
        r = self.rng
        r.sheet.book.log.append(("Formula2", r.sheet.name, (r.r1, r.c1)))
        r.sheet.formulas[(r.r1, r.c1)] = (text, "dynamic", 1, 1)

    @property
    def FormulaArray(self):
        return None

    @FormulaArray.setter
    def FormulaArray(self, text):
        r = self.rng
        r.sheet.book.log.append(("FormulaArray", r.sheet.name, r.box))
        r.sheet.formulas[(r.r1, r.c1)] = (text, "array", r.r2 - r.r1 + 1, r.c2 - r.c1 + 1)


class Font:
    """Records bold rows: ("bold", sheet, row) for each row of the range."""

    def __init__(self, rng: "Range"):
        object.__setattr__(self, "rng", rng)

    def __setattr__(self, key, value):
        if key == "bold" and value:
            r = self.rng
            for row in range(r.r1, r.r2 + 1):
                r.sheet.book.log.append(("bold", r.sheet.name, row))


class Range:
    """A block of a sheet, 1-based and inclusive, as xlwings' Range."""

    left = top = 0.0
    column_width = color = None

    def __init__(self, sheet: "Sheet", r1: int, c1: int, r2: int | None = None, c2: int | None = None):
        self.sheet, self.r1, self.c1 = sheet, r1, c1
        self.r2, self.c2 = (r1 if r2 is None else r2), (c1 if c2 is None else c2)

    box = property(lambda self: (self.r1, self.c1, self.r2, self.c2))
    row = property(lambda self: self.r1)
    column = property(lambda self: self.c1)
    shape = property(lambda self: (self.r2 - self.r1 + 1, self.c2 - self.c1 + 1))
    last_cell = property(lambda self: Range(self.sheet, self.r2, self.c2))
    api = property(lambda self: Api(self))
    font = property(lambda self: Font(self))

    def __getitem__(self, key) -> "Range":
        rows, cols = key
        (a, b), (c, d) = ((k.indices(n)[:2] if isinstance(k, slice) else (k, k + 1))
                          for k, n in ((rows, self.shape[0]), (cols, self.shape[1])))
        return Range(self.sheet, self.r1 + a, self.c1 + c, self.r1 + b - 1, self.c1 + d - 1)

    _dates = None  # xlwings' ``dates`` option: a builder each date cell is handed to as its parts

    def options(self, dates=None, **_):
        if dates is None:
            return self
        out = Range(self.sheet, self.r1, self.c1, self.r2, self.c2)
        out._dates = dates
        return out

    @property
    def value(self):
        self.sheet.book.log.append(("read", self.sheet.name, self.box))
        rows = [[self.sheet.cells.get((r, c)) for c in range(self.c1, self.c2 + 1)]
                for r in range(self.r1, self.r2 + 1)]
        build = self._dates
        if build is None:
            return rows
        # as xlwings' clean_value_data: every date cell rebuilt from its parts by the builder
        return [[build(year=v.year, month=v.month, day=v.day, hour=v.hour, minute=v.minute, second=v.second,
                       microsecond=v.microsecond, tzinfo=None) if isinstance(v, datetime) else v for v in row]
                for row in rows]

    @property
    def number_format(self):
        """The cells' number format (``Sheet.formats``, else General); None where they differ, as xlwings says."""
        self.sheet.book.log.append(("format", self.sheet.name, self.box))
        codes = {self.sheet.formats.get((r, c), "General")
                 for r in range(self.r1, self.r2 + 1) for c in range(self.c1, self.c2 + 1)}
        return codes.pop() if len(codes) == 1 else None

    @value.setter
    def value(self, rows):
        sheet = self.sheet
        sheet.book.log.append(("write", sheet.name, (self.r1, self.c1)))
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                key = (self.r1 + i, self.c1 + j)
                if sheet.formulas.get(key, ("", "cell"))[1] != "cell":
                    raise AssertionError(f"a value written over a formula at {key}")
                if sheet.spill_blocked(key):
                    raise AssertionError(f"a value written into a spill range at {key}")
                stored, formula = excel_store(v)
                if stored is None:
                    sheet.cells.pop(key, None)
                else:
                    sheet.cells[key] = stored
                if formula:
                    sheet.formulas[key] = (stored, "cell", 1, 1)
                else:
                    sheet.formulas.pop(key, None)

    @property
    def wrap_text(self):
        return None

    @wrap_text.setter
    def wrap_text(self, on):
        if on:
            for c in range(self.c1, self.c2 + 1):
                self.sheet.book.log.append(("wrap", self.sheet.name, c))

    def clear_contents(self, whole_array=False):
        sheet = self.sheet
        sheet.book.log.append(("clear", sheet.name, self.box))
        for (r, c), (_t, kind, h, _w) in list(sheet.formulas.items()):
            inside = self.r1 <= r <= self.r2 and self.c1 <= c <= self.c2
            if kind == "array" and not whole_array and inside and not (self.r1 <= r and r + h - 1 <= self.r2):
                raise AssertionError("Excel: cannot change part of an array")
            if inside or (whole_array and (r, c) == (self.r1, self.c1)):
                del sheet.formulas[(r, c)]
        for key in [k for k in sheet.cells if self.r1 <= k[0] <= self.r2 and self.c1 <= k[1] <= self.c2]:
            del sheet.cells[key]


class Rows:
    """Whole rows by address (``"5:7,10:10"``): what ``delete(shift="up")`` takes."""

    def __init__(self, sheet: "Sheet", address: str):
        self.sheet, self.address = sheet, address

    def delete(self, shift=None):
        sheet = self.sheet
        sheet.book.log.append(("delete", sheet.name, self.address))
        gone = set()
        for part in self.address.split(","):
            x, y = map(int, part.split(":"))
            gone.update(range(x, y + 1))

        def up(r):
            return r - sum(1 for g in gone if g < r)

        sheet.cells = {(up(r), c): v for (r, c), v in sheet.cells.items() if r not in gone}
        sheet.formulas = {(up(r), c): f for (r, c), f in sheet.formulas.items() if r not in gone}


class Chart:
    def __init__(self):
        self.name, self.chart_type, self.source = "", None, None
        self.deleted = False

    def set_source_data(self, rng):
        self.source = rng.box

    def delete(self):
        self.deleted = True


class Charts(list):
    def add(self, **_):
        ch = Chart()
        self.append(ch)
        return ch


class Sheet:
    def __init__(self, book: "Book", name: str, rows=()):
        self.book, self.name = book, name
        self.cells = {(r, c): v for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1) if v is not None}
        self.formulas: dict[tuple[int, int], tuple[object, str, int, int]] = {}  # cell → (text, kind, h, w)
        self.formats: dict[tuple[int, int], str] = {}  # cell → its number format (else General)
        self.spill_width = 1  # columns a dynamic formula's result spills over (its rows: all below)
        self.charts = Charts()

    def spill_blocked(self, key) -> bool:
        return any(kind == "dynamic" and key != (r, c) and key[0] >= r and c <= key[1] < c + self.spill_width
                   for (r, c), (_t, kind, _h, _w) in self.formulas.items())

    @property
    def used_range(self) -> Range:
        keys = list(self.cells) + list(self.formulas)
        return Range(self, 1, 1, max((r for r, _ in keys), default=1), max((c for _, c in keys), default=1))

    def range(self, a, b=None):
        if isinstance(a, str):
            if re.fullmatch(r"\d+:\d+(,\d+:\d+)*", a):
                return Rows(self, a)
            m = re.fullmatch(r"([A-Z]+)(\d+)", a)
            return Range(self, int(m.group(2)), col_number(m.group(1)))
        return Range(self, a[0], a[1]) if b is None else Range(self, a[0], a[1], b[0], b[1])

    def rows(self) -> list[list[object]]:
        """The sheet's values from A1 to the last used cell (no read recorded)."""
        used = self.used_range
        return [[self.cells.get((r, c)) for c in range(1, used.c2 + 1)] for r in range(1, used.r2 + 1)]

    def dicts(self) -> list[dict]:
        """The rows below the first as {header: value}."""
        rows = self.rows()
        return [dict(zip(rows[0], r)) for r in rows[1:]]


class Sheets(list):
    def __init__(self, book: "Book"):
        super().__init__()
        self.book = book
        self.active: Sheet | None = None

    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return list.__getitem__(self, key)

    def add(self, name, after=None):
        sheet = Sheet(self.book, name)
        self.append(sheet)
        self.book.log.append(("add", name, None))
        return sheet


class App:
    """The application: status bar, message boxes, and the COM calls of 刷新判定."""

    def __init__(self, can_alert: bool = True, dynamic: bool = True):
        self.statuses: list = []
        self.alerts: list[tuple[object, str]] = []
        self.can_alert, self.dynamic = can_alert, dynamic
        self.answer = "ok"  # what an ok/cancel box is answered with
        self.calculated = 0
        self.api = self

    status_bar = property(lambda self: None, lambda self, v: self.statuses.append(v))

    @property
    def texts(self) -> list[str]:
        """The message boxes' texts."""
        return [text for _title, text in self.alerts]

    def alert(self, prompt, title=None, buttons="ok", **_):
        if not self.can_alert:
            raise AttributeError("alert")
        self.alerts.append((title, prompt))
        return self.answer if buttons == "ok_cancel" else None

    def Evaluate(self, text):
        assert text == "SEQUENCE(2)"
        return ((1.0,), (2.0,)) if self.dynamic else -2146826259  # #NAME? on Excel 2016

    def CalculateFull(self):
        self.calculated += 1


class Name:
    """A defined name; ``refers`` gives its range as it stands (a name over a growing table)."""

    def __init__(self, refers: Callable[[], Range]):
        self.refers = refers

    @property
    def refers_to_range(self) -> Range:
        return self.refers()


class Book:
    """A workbook of ``{sheet: rows}`` (the first sheet active), as ``xw.Book.caller()`` gives it."""

    def __init__(self, sheets: dict, can_alert: bool = True, dynamic: bool = True, fullname: str | None = None):
        self.log: list[tuple] = []
        self.sheets = Sheets(self)
        self.app = App(can_alert, dynamic)
        self.names: dict[str, Name] = {}
        if fullname is not None:
            self.fullname = fullname
        for name, rows in sheets.items():
            self.sheets.append(Sheet(self, name, rows))
        self.sheets.active = self.sheets[0] if len(self.sheets) else None


# ------------------------------------------------------------------ a formula function's range argument

class Log(list):
    """(kind, first row, first col, height, width) of each read."""

    def cells(self, kind: str | None = None) -> int:
        return sum(h * w for k, _r, _c, h, w in self if kind is None or k == kind)


def _com(rows: list[list[object]]) -> object:
    """What COM returns for a block: a scalar for one cell, else a tuple of row tuples."""
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    return tuple(tuple(r) for r in rows)


class _ArgApi:
    def __init__(self, rng: "StandInRange"):
        self._rng = rng

    @property
    def Value2(self):
        return _com(self._rng._read("Value2", serial))

    @property
    def Value(self):
        return _com(self._rng._read("Value", lambda v: v))


class _Options:
    def __init__(self, rng: "StandInRange", options: dict):
        self._rng, self._options = rng, options

    @property
    def value(self):
        return self._rng._read(f"options{sorted(self._options)}.value", lambda v: v)


class StandInRange:
    """The ``Range`` a formula function is handed: a block of ``grid`` (list of row lists, 0-based) at
    (row0, col0).  It answers the reads xlwings offers on Windows — ``shape``, ``rng[rows, cols]``
    slicing (xlwings' semantics), ``.api.Value2`` (dates as serial numbers), ``.api.Value``, ``.value``,
    ``.raw_value``, ``.options(...).value`` — recording every read and how many cells it moved in
    ``log``, so a test can say exactly what a function asked Excel for."""

    def __init__(self, grid: list[list[object]], row0: int = 0, col0: int = 0, height: int | None = None,
                 width: int | None = None, log: Log | None = None):
        self.grid = grid
        self.row0, self.col0 = row0, col0
        self.height = len(grid) - row0 if height is None else height
        self.width = (max((len(r) for r in grid), default=0) - col0) if width is None else width
        self.log = Log() if log is None else log

    @property
    def shape(self) -> tuple[int, int]:
        return self.height, self.width

    @property
    def api(self) -> _ArgApi:
        return _ArgApi(self)

    @property
    def value(self):
        return self._read("value", lambda v: v)

    @property
    def raw_value(self):
        return _com(self._read("raw_value", lambda v: v))

    def options(self, **options) -> _Options:
        return _Options(self, options)

    def _read(self, kind: str, convert) -> list[list[object]]:
        self.log.append((kind, self.row0, self.col0, self.height, self.width))
        out = []
        for r in range(self.row0, self.row0 + self.height):
            row = self.grid[r] if r < len(self.grid) else []
            out.append([convert(row[c]) if c < len(row) else None for c in range(self.col0, self.col0 + self.width)])
        return out

    def __getitem__(self, key) -> "StandInRange":
        """xlwings' ``Range.__getitem__`` for a (rows, cols) pair of ints/slices (steps not supported)."""
        row, col = key
        spans = []
        for k, n in ((row, self.height), (col, self.width)):
            if isinstance(k, slice):
                a, b, step = k.indices(n)
                assert step == 1
                spans.append((a, max(0, b - a)))
            else:
                k = k + n if k < 0 else k
                if not 0 <= k < n:
                    raise IndexError(k)
                spans.append((k, 1))
        (r, h), (c, w) = spans
        return StandInRange(self.grid, self.row0 + r, self.col0 + c, h, w, self.log)
