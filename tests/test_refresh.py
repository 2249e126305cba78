"""刷新判定 and the setting ``live_rows`` (contract §8): a live formula up to it, values above it.

Against a stand-in for the xlwings objects the macro touches (there is no Excel
here): cells, the template's result formula at BJ1 (a spilling formula on Excel
365, a legacy array formula of a fixed height on Excel 2016/2019), the defined
name ``tracking_rows``, ``Value2`` reads, ``CalculateFull``.  Every read and write
is recorded.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from benchmarks.synth import HEADERS, make_rows
from refund_xl import macros, udfs
from refund_xl._app.fill import plan_fill
from refund_xl._core.settings import settings_table
from refund_xl._template import layout
from tests.xlrange_standin import serial

NOW = datetime(2025, 6, 10, 12, 0)
FIRST = layout.col_number(layout.FIRST_FORMULA_COL)   # 1-based column of the result block
WIDTH = 8


class Api:
    def __init__(self, rng: "Rng"):
        self.rng = rng

    @property
    def Value2(self):
        r = self.rng
        r.sheet.book.log.append(("Value2", r.r1, r.c1, r.r2, r.c2))
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
        _text, _kind, height, width = self.rng.sheet.formulas[(self.rng.r1, self.rng.c1)]
        return Api(Rng(self.rng.sheet, self.rng.r1, self.rng.c1, self.rng.r1 + height - 1, self.rng.c1 + width - 1))

    def ClearContents(self):
        self.rng.clear_contents(whole_array=True)

    @property
    def Formula2(self):
        return None

    @Formula2.setter
    def Formula2(self, text):
        self.rng.sheet.book.log.append(("Formula2", self.rng.r1, self.rng.c1))
        self.rng.sheet.formulas[(self.rng.r1, self.rng.c1)] = (text, "dynamic", 1, 1)

    @property
    def FormulaArray(self):
        return None

    @FormulaArray.setter
    def FormulaArray(self, text):
        r = self.rng
        r.sheet.book.log.append(("FormulaArray", r.r1, r.c1, r.r2, r.c2))
        r.sheet.formulas[(r.r1, r.c1)] = (text, "array", r.r2 - r.r1 + 1, r.c2 - r.c1 + 1)


class Rng:
    def __init__(self, sheet, r1, c1, r2=None, c2=None):
        self.sheet, self.r1, self.c1 = sheet, r1, c1
        self.r2, self.c2 = (r1 if r2 is None else r2), (c1 if c2 is None else c2)

    row = property(lambda self: self.r1)
    column = property(lambda self: self.c1)
    shape = property(lambda self: (self.r2 - self.r1 + 1, self.c2 - self.c1 + 1))
    last_cell = property(lambda self: Rng(self.sheet, self.r2, self.c2))
    api = property(lambda self: Api(self))

    def __getitem__(self, key):
        rows, cols = key
        (a, b), (c, d) = ((k.indices(n)[:2] if isinstance(k, slice) else (k, k + 1))
                          for k, n in ((rows, self.shape[0]), (cols, self.shape[1])))
        return Rng(self.sheet, self.r1 + a, self.c1 + c, self.r1 + b - 1, self.c1 + d - 1)

    def options(self, **_):
        return self

    @property
    def value(self):
        self.sheet.book.log.append(("value", self.r1, self.c1, self.r2, self.c2, self.sheet.name))
        return [[self.sheet.cells.get((i, j)) for j in range(self.c1, self.c2 + 1)] for i in range(self.r1, self.r2 + 1)]

    @value.setter
    def value(self, rows):
        self.sheet.book.log.append(("write", self.sheet.name, self.r1, self.c1, len(rows)))
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                key = (self.r1 + i, self.c1 + j)
                if key in self.sheet.formulas:
                    raise AssertionError(f"a value written over a formula at {key}")
                if self.sheet.spill_blocked(key):
                    raise AssertionError(f"a value written into a spill range at {key}")
                if isinstance(v, str) and v.startswith("'"):
                    v = v[1:]
                if v is None:
                    self.sheet.cells.pop(key, None)
                else:
                    self.sheet.cells[key] = v

    def clear_contents(self, whole_array=False):
        self.sheet.book.log.append(("clear", self.r1, self.c1, self.r2, self.c2))
        for (r, c), (_t, kind, h, w) in list(self.sheet.formulas.items()):
            inside = self.r1 <= r <= self.r2 and self.c1 <= c <= self.c2
            if kind == "array" and not whole_array and inside and not (self.r1 <= r and r + h - 1 <= self.r2):
                raise AssertionError("Excel: cannot change part of an array")
            if inside or (whole_array and (r, c) == (self.r1, self.c1)):
                del self.sheet.formulas[(r, c)]
        for key in [k for k in self.sheet.cells if self.r1 <= k[0] <= self.r2 and self.c1 <= k[1] <= self.c2]:
            del self.sheet.cells[key]


class Sheet:
    def __init__(self, book, name, rows=()):
        self.book, self.name = book, name
        self.cells = {(r, c): v for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1) if v is not None}
        self.formulas: dict = {}

    def spill_blocked(self, key) -> bool:
        f = self.formulas.get((1, FIRST))
        return f is not None and f[1] == "dynamic" and key != (1, FIRST) and FIRST <= key[1] < FIRST + WIDTH

    @property
    def used_range(self):
        keys = list(self.cells) + list(self.formulas)
        return Rng(self, 1, 1, max((r for r, _ in keys), default=1), max((c for _, c in keys), default=1))

    def range(self, a, b=None):
        if isinstance(a, str):
            return Rng(self, int(a.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), layout.col_number(a.rstrip("0123456789")))
        return Rng(self, a[0], a[1]) if b is None else Rng(self, a[0], a[1], b[0], b[1])

    def block(self, height):
        return [[self.cells.get((r, c)) for c in range(FIRST, FIRST + WIDTH)] for r in range(1, height + 1)]


class Sheets(list):
    def __getitem__(self, key):
        return next(s for s in self if s.name == key) if isinstance(key, str) else list.__getitem__(self, key)

    active = property(lambda self: self[0])


class App:
    def __init__(self, dynamic):
        self.dynamic, self.statuses, self.alerts, self.calculated = dynamic, [], [], 0
        self.api = self

    def Evaluate(self, text):
        assert text == "SEQUENCE(2)"
        return ((1.0,), (2.0,)) if self.dynamic else -2146826259   # #NAME? on Excel 2016

    def CalculateFull(self):
        self.calculated += 1

    status_bar = property(lambda self: None, lambda self, v: self.statuses.append(v))

    def alert(self, text, title=None, **_):
        self.alerts.append(text)


class Name:
    def __init__(self, book):
        self.book = book

    @property
    def refers_to_range(self):
        """tracking_rows: A1 down to the last row with something in column A or B, 60 columns."""
        ws = self.book.sheets[layout.SHEET_TRACKING]
        last = max([2] + [r for (r, c) in ws.cells if c <= 2])
        return Rng(ws, 1, 1, last, layout.DATA_COLS)


class Book:
    def __init__(self, rows, live_rows=5000, dynamic=True, formula=True):
        self.log = []
        table = settings_table()
        for row in table:
            if row[0] == "live_rows":
                row[2] = live_rows
        self.sheets = Sheets([Sheet(self, layout.SHEET_TRACKING, [HEADERS, *rows]),
                              Sheet(self, layout.SHEET_SETTINGS, table)])
        self.app = App(dynamic)
        self.names = {layout.ROWS_NAME: Name(self)}
        if formula:   # the template as shipped: the formula at BJ1
            self.sheets[0].formulas[(1, FIRST)] = (layout.formula_text(), "dynamic", 1, 1)


def expected_block(rows, when=NOW):
    """What REFUND_TABLE gives for the block (header row + cases), the book's default settings."""
    grid = [HEADERS + [None] * (layout.DATA_COLS - len(HEADERS))] + [r + [None] * (layout.DATA_COLS - len(r))
                                                                    for r in rows]
    return udfs.REFUND_TABLE(grid, [grid[0]], None, when)


def _shown(block):
    return [["" if v is None else v for v in r] for r in block]


def test_up_to_live_rows_the_formula_stays_live_and_the_book_recalculates():
    book = Book(make_rows(6, seed=1))
    text = macros.refresh_results(book, NOW)
    ws = book.sheets[0]
    assert ws.formulas[(1, FIRST)][0] == layout.formula_text() and book.app.calculated == 1
    assert "实时公式" in text and "6 行" in text and "5,000" in text and not book.app.alerts
    assert not any(k == "Value2" or k == "write" for k, *_ in book.log), "no Python computation, no values"
    assert book.app.statuses[-1].startswith("售后助手：")


def test_above_live_rows_the_results_are_written_as_values_as_fill_writes_them():
    rows = make_rows(7, seed=2)
    book = Book(rows, live_rows=5)
    text = macros.refresh_results(book, NOW)
    ws = book.sheets[0]
    assert (1, FIRST) not in ws.formulas and book.app.calculated == 0
    assert "写成数值" in text and "7 行" in text and book.app.alerts == [text]
    got = ws.block(len(rows) + 1)
    assert _shown(got) == expected_block(rows)
    # the same values `refund-xl fill` writes for the same sheet (its plan, as cells)
    plan = plan_fill([HEADERS, *rows], None, NOW)
    fill_cells = {(r + 1, c + 1): v for (r, c), v in plan.updates.items()}
    assert plan.first_col + 1 == len(HEADERS) + 2
    for (r, c), v in fill_cells.items():
        assert _shown([[got[r - 1][c - plan.first_col - 1]]])[0][0] == ("" if v is None else v)
    # read: the settings sheet whole, the tracking block only in its header row and used columns, as Value2
    assert not [e for e in book.log if e[0] == "value" and e[-1] == layout.SHEET_TRACKING]
    cells = sum((e[3] - e[1] + 1) * (e[4] - e[2] + 1) for e in book.log if e[0] == "Value2")
    assert cells <= (len(rows) + 1) * len(HEADERS) + layout.DATA_COLS


def test_values_then_back_under_the_limit_the_formula_returns_and_old_values_are_cleared():
    rows = make_rows(7, seed=3)
    book = Book(rows, live_rows=5)
    macros.refresh_results(book, NOW)
    ws = book.sheets[0]
    for key in [k for k in ws.cells if k[0] > 4 and k[1] <= len(HEADERS)]:   # rows deleted: 3 cases left
        del ws.cells[key]
    text = macros.refresh_results(book, NOW)
    assert ws.formulas[(1, FIRST)][1] == "dynamic" and "换回" in text and book.app.alerts[-1] == text
    assert all(v is None for r in ws.block(20)[1:] for v in r), "no stale values under the spill"
    assert book.app.calculated == 1


def test_excel_2016_re_enters_the_array_formula_over_the_current_height():
    rows = make_rows(4, seed=4)
    book = Book(rows, dynamic=False, formula=False)
    ws = book.sheets[0]
    ws.formulas[(1, FIRST)] = (layout.formula_text(), "array", 3, WIDTH)    # entered when the sheet had 2 cases
    text = macros.refresh_results(book, NOW)
    assert ws.formulas[(1, FIRST)] == (layout.formula_text(), "array", len(rows) + 1, WIDTH)
    assert "实时公式" in text and book.app.calculated == 1


@pytest.mark.parametrize("bad", ["很多", -1])
def test_a_bad_live_rows_is_one_sentence_and_nothing_changes(bad):
    book = Book(make_rows(3, seed=5), live_rows=bad)
    before = dict(book.sheets[0].cells), dict(book.sheets[0].formulas)
    assert macros.refresh_results(book, NOW) is None
    assert book.app.alerts and book.app.alerts[0].startswith("刷新判定未完成：") and "live_rows" in book.app.alerts[0]
    assert (dict(book.sheets[0].cells), dict(book.sheets[0].formulas)) == before and book.app.calculated == 0


def test_a_book_without_the_name_says_what_to_do():
    book = Book(make_rows(2, seed=6))
    book.names = {}
    assert macros.refresh_results(book, NOW) is None
    assert "tracking_rows" in book.app.alerts[0] and "refund-xl fill" in book.app.alerts[0]
