"""Excel→Python calls per recalculation of workbook_template.xlsm (contract §9).

A classic xlwings formula call costs 4–13 ms, and xlwings converts every cell
of every range argument on every call.  The template's result block is ONE
REFUND_TABLE formula over the tracking block (a defined name that grows with
the sheet), so a recalculation makes one Excel→Python call and hands Python
the block once: at most 1.5× the block's cells, counted here from the formula.

The template is built by ``refund-xl template`` (the package refund_xl/_template/)
and committed at the repository root; this test skips only if it is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from refund_xl import udfs

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "workbook_template.xlsm"

OUR_FUNCTIONS = tuple(udfs.__all__)
_CALL = re.compile(r"(?<![A-Za-z0-9_.])(?:_xludf\.|_xlfn\.)?(" + "|".join(OUR_FUNCTIONS) + r")\s*\(", re.I)
_RANGE = re.compile(r"^(?:(?:'[^']+'|[^!'(),]+)!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


def _formula_text(value) -> str | None:
    """The formula of a cell value as openpyxl loads it (plain or array formula)."""
    from openpyxl.worksheet.formula import ArrayFormula

    if isinstance(value, ArrayFormula):
        return value.text
    if isinstance(value, str) and value.startswith("="):
        return value
    return None


def _first_argument(formula: str, start: int) -> str:
    """The first argument of the call whose '(' is at ``start``."""
    depth, quoted = 0, False
    for i in range(start, len(formula)):
        ch = formula[i]
        if ch in "'\"":
            quoted = not quoted
        elif quoted:
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return formula[start + 1:i].strip()
        elif ch == "," and depth == 1:
            return formula[start + 1:i].strip()
    raise AssertionError(f"unbalanced formula: {formula}")


def _rows_of(ref: str) -> tuple[int, int]:
    """(first row, last row) of an A1 range such as $A$2:$AD$5001."""
    m = _RANGE.match(ref.strip())
    assert m, f"not a plain range: {ref!r}"
    first = int(m.group(2))
    last = int(m.group(4)) if m.group(4) else first
    return first, last


@pytest.fixture(scope="module")
def calls():
    """Every cell whose formula calls one of our functions: (sheet, cell, formula, array ref or None)."""
    if not TEMPLATE.exists():
        pytest.skip(f"{TEMPLATE.name} not built yet (refund-xl template)")
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula

    book = openpyxl.load_workbook(TEMPLATE, keep_vba=True)
    found = []
    data_rows = {}
    for ws in book.worksheets:
        data_rows[ws.title] = sum(1 for (v,) in ws.iter_rows(min_row=2, max_col=1, values_only=True) if v is not None)
        for row in ws.iter_rows():
            for cell in row:
                text = _formula_text(cell.value)
                if text and _CALL.search(text):
                    ref = cell.value.ref if isinstance(cell.value, ArrayFormula) else None
                    found.append((ws.title, cell.coordinate, text, ref, cell.column_letter))
    return found, data_rows


def test_template_formulas_use_our_functions(calls):
    found, _ = calls
    used = {m.group(1).upper() for _s, _c, text, _r, _col in found for m in _CALL.finditer(text)}
    assert used == {"REFUND_TABLE"}, f"the template's result block must be REFUND_TABLE alone, found {used}"


def test_one_call_per_recalculation(calls):
    """One formula for the whole result block: one Excel→Python call per recalculation, any row count."""
    found, _ = calls
    assert len(found) == 1, f"more than one formula calls Python: {[(s, c) for s, c, *_ in found]}"
    _sheet, _coord, text, _ref, _col = found[0]
    assert len(_CALL.findall(text)) == 1


def _last_row(book) -> int:
    from refund_xl import _template as tb

    ws = book[tb.SHEET_TRACKING]
    return max(r for r in range(1, ws.max_row + 1)
               if ws[f"A{r}"].value not in (None, "") or ws[f"B{r}"].value not in (None, ""))


def _cells(ref: str, book, handed: bool = False) -> int:
    """How many cells one argument covers (a range, or the defined name resolved); ``handed``: how many
    of the tracking block REFUND_TABLE reads (the columns whose headers resolve to fields, contract §8)."""
    from refund_xl import _template as tb

    if ref == tb.ROWS_NAME:
        if handed:
            return _last_row(book) * len(_columns_read(book))
        return _last_row(book) * tb.col_number(tb.DATA_LAST_COL)
    m = _RANGE.match(ref.strip())
    if not m:
        return 1          # a scalar such as "label"
    from refund_xl._template import col_number

    c1, r1 = col_number(m.group(1)), int(m.group(2))
    c2, r2 = (col_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return (c2 - c1 + 1) * (r2 - r1 + 1)


def _arguments(formula: str, start: int) -> list[str]:
    out, depth, quoted, cur = [], 0, False, ""
    for ch in formula[start:]:
        if ch in "'\"":
            quoted = not quoted
        if not quoted and ch == "(":
            depth += 1
            if depth == 1:
                continue
        elif not quoted and ch == ")":
            depth -= 1
            if depth == 0:
                out.append(cur.strip())
                break
        elif not quoted and ch == "," and depth == 1:
            out.append(cur.strip())
            cur = ""
            continue
        cur += ch
    return out


def _columns_read(book) -> list[int]:
    """The tracking block's columns REFUND_TABLE reads: those the header row resolves (as the formula's
    adapter resolves them, with the template's 列名映射), found by handing the block over as a range."""
    from refund_xl import _template as tb
    from xlwings_standin import StandInRange

    ws = book[tb.SHEET_TRACKING]
    width = tb.col_number(tb.DATA_LAST_COL)
    grid = [list(r) for r in ws.iter_rows(min_row=1, max_row=_last_row(book), max_col=width, values_only=True)]
    rng = StandInRange(grid)
    columns = [list(r) for r in book[tb.SHEET_COLUMNS].iter_rows(values_only=True)]
    udfs.REFUND_TABLE(rng, [grid[0]], None, None, None, columns)
    assert {kind for kind, *_ in rng.log} == {"Value2"}
    return sorted({c for _k, _r, c0, _h, w in rng.log for c in range(c0, c0 + w)})


def test_cells_handed_to_python_per_recalculation_at_most_1_5x_the_used_columns(calls):
    """contract §9: per recalculation, the cells handed to Python ≤ 1.5× the used columns of the tracking
    block (the block is 60 columns wide; only the columns whose headers resolve to fields are read)."""
    import openpyxl

    from refund_xl import _template as tb

    found, _ = calls
    book = openpyxl.load_workbook(TEMPLATE, keep_vba=True)
    ws = book[tb.SHEET_TRACKING]
    last = _last_row(book)
    used = [c for c in range(tb.col_number(tb.DATA_LAST_COL))
            if any(ws.cell(r, c + 1).value not in (None, "") for r in range(1, last + 1))]
    read = _columns_read(book)
    assert set(read) <= set(used), "a column without data is read"
    other = 0
    for _sheet, _coord, text, _ref, _col in found:
        m = _CALL.search(text)
        args = _arguments(text, m.end() - 1)
        assert args[0] == tb.ROWS_NAME
        other += sum(_cells(a, book) for a in args[1:])
    # per row: only columns that hold data; the other arguments (设置, 话术模板, 列名映射, 值映射: a fixed
    # ~1,300 cells, about 1 ms) weigh on the 96-row sample, not on a desk's sheet of 1,000 rows or more
    for rows in (1_000, 5_000, 100_000):
        total = len(read) * rows + other
        assert total <= 1.5 * len(used) * rows, \
            f"{total} cells per recalculation for {len(used)} used columns × {rows} rows"
    assert _cells(tb.ROWS_NAME, book, handed=True) < _cells(tb.ROWS_NAME, book) / 2


def test_rows_argument_covers_every_data_row(calls):
    import openpyxl

    from refund_xl import _template as tb

    book = openpyxl.load_workbook(TEMPLATE, keep_vba=True)
    ws = book[tb.SHEET_TRACKING]
    data_rows = sum(1 for (v,) in ws.iter_rows(min_row=2, max_col=1, values_only=True) if v is not None)
    assert _cells(tb.ROWS_NAME, book) >= (data_rows + 1) * 60
