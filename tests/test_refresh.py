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
from xlwings_standin import Book as XlBook, Name, Range

NOW = datetime(2025, 6, 10, 12, 0)
FIRST = layout.col_number(layout.FIRST_FORMULA_COL)   # 1-based column of the result block
WIDTH = 8


def _tracking_rows(book) -> Range:
    """The name tracking_rows: A1 down to the last row with something in column A or B, 60 columns."""
    ws = book.sheets[layout.SHEET_TRACKING]
    last = max([2] + [r for (r, c) in ws.cells if c <= 2])
    return Range(ws, 1, 1, last, layout.DATA_COLS)


def template_book(rows, live_rows=5000, dynamic=True, formula=True) -> XlBook:
    """The template: the tracking sheet with the result formula at BJ1 (``formula``), 设置 with ``live_rows``,
    the name tracking_rows; Excel 365 (``dynamic``) or 2016/2019."""
    table = settings_table()
    for row in table:
        if row[0] == "live_rows":
            row[2] = live_rows
    book = XlBook({layout.SHEET_TRACKING: [HEADERS, *rows], layout.SHEET_SETTINGS: table}, dynamic=dynamic)
    book.names[layout.ROWS_NAME] = Name(lambda: _tracking_rows(book))
    ws = book.sheets[0]
    ws.spill_width = WIDTH
    if formula:   # the template as shipped: the formula at BJ1
        ws.formulas[(1, FIRST)] = (layout.formula_text(), "dynamic", 1, 1)
    return book


def block(ws, height):
    """The result block's values, header row first."""
    return [[ws.cells.get((r, c)) for c in range(FIRST, FIRST + WIDTH)] for r in range(1, height + 1)]


def expected_block(rows, when=NOW):
    """What REFUND_TABLE gives for the block (header row + cases), the book's default settings."""
    grid = [HEADERS + [None] * (layout.DATA_COLS - len(HEADERS))] + [r + [None] * (layout.DATA_COLS - len(r))
                                                                    for r in rows]
    return udfs.REFUND_TABLE(grid, [grid[0]], None, when)


def _shown(block):
    return [["" if v is None else v for v in r] for r in block]


def test_up_to_live_rows_the_formula_stays_live_and_the_book_recalculates():
    book = template_book(make_rows(6, seed=1))
    text = macros.refresh_results(book, NOW)
    ws = book.sheets[0]
    assert ws.formulas[(1, FIRST)][0] == layout.formula_text() and book.app.calculated == 1
    assert "实时公式" in text and "6 行" in text and "5,000" in text and not book.app.alerts
    assert not any(k == "Value2" or k == "write" for k, *_ in book.log), "no Python computation, no values"
    assert book.app.statuses[-1].startswith("售后助手：")


def test_above_live_rows_the_results_are_written_as_values_as_fill_writes_them():
    rows = make_rows(7, seed=2)
    book = template_book(rows, live_rows=5)
    text = macros.refresh_results(book, NOW)
    ws = book.sheets[0]
    assert (1, FIRST) not in ws.formulas and book.app.calculated == 0
    assert "写成数值" in text and "7 行" in text and book.app.texts == [text]
    got = block(ws, len(rows) + 1)
    assert _shown(got) == expected_block(rows)
    # the same values `refund-xl fill` writes for the same sheet (its plan, as cells)
    plan = plan_fill([HEADERS, *rows], None, NOW)
    fill_cells = {(r + 1, c + 1): v for (r, c), v in plan.updates.items()}
    assert plan.first_col + 1 == len(HEADERS) + 2
    for (r, c), v in fill_cells.items():
        assert _shown([[got[r - 1][c - plan.first_col - 1]]])[0][0] == ("" if v is None else v)
    # read: the settings sheet whole, the tracking block only in its header row and used columns, as Value2
    assert not [e for e in book.log if e[:2] == ("read", layout.SHEET_TRACKING)]
    cells = sum((e[2][2] - e[2][0] + 1) * (e[2][3] - e[2][1] + 1) for e in book.log if e[0] == "Value2")
    assert cells <= (len(rows) + 1) * len(HEADERS) + layout.DATA_COLS


def test_values_then_back_under_the_limit_the_formula_returns_and_old_values_are_cleared():
    rows = make_rows(7, seed=3)
    book = template_book(rows, live_rows=5)
    macros.refresh_results(book, NOW)
    ws = book.sheets[0]
    for key in [k for k in ws.cells if k[0] > 4 and k[1] <= len(HEADERS)]:   # rows deleted: 3 cases left
        del ws.cells[key]
    text = macros.refresh_results(book, NOW)
    assert ws.formulas[(1, FIRST)][1] == "dynamic" and "换回" in text and book.app.texts[-1] == text
    assert all(v is None for r in block(ws, 20)[1:] for v in r), "no stale values under the spill"
    assert book.app.calculated == 1


def test_excel_2016_re_enters_the_array_formula_over_the_current_height():
    rows = make_rows(4, seed=4)
    book = template_book(rows, dynamic=False, formula=False)
    ws = book.sheets[0]
    ws.formulas[(1, FIRST)] = (layout.formula_text(), "array", 3, WIDTH)    # entered when the sheet had 2 cases
    text = macros.refresh_results(book, NOW)
    assert ws.formulas[(1, FIRST)] == (layout.formula_text(), "array", len(rows) + 1, WIDTH)
    assert "实时公式" in text and book.app.calculated == 1


@pytest.mark.parametrize("bad", ["很多", -1])
def test_a_bad_live_rows_is_one_sentence_and_nothing_changes(bad):
    book = template_book(make_rows(3, seed=5), live_rows=bad)
    before = dict(book.sheets[0].cells), dict(book.sheets[0].formulas)
    assert macros.refresh_results(book, NOW) is None
    assert book.app.alerts and book.app.texts[0].startswith("刷新判定未完成：") and "live_rows" in book.app.texts[0]
    assert (dict(book.sheets[0].cells), dict(book.sheets[0].formulas)) == before and book.app.calculated == 0


def test_a_book_without_the_name_says_what_to_do():
    book = template_book(make_rows(2, seed=6))
    book.names = {}
    assert macros.refresh_results(book, NOW) is None
    assert "tracking_rows" in book.app.texts[0] and "refund-xl fill" in book.app.texts[0]
