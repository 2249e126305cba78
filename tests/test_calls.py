"""Excel→Python calls per full recalculation of workbook_template.xlsm (SPEC §9).

A classic xlwings formula call costs 4–13 ms; one formula per row on a
100k-row sheet would be 6–22 minutes per recalculation.  The template's
formula columns must each be ONE formula over the whole tracking range
(an array formula filling the column, or a single spilling formula), so a
full recalculation makes exactly one Excel→Python call per formula column.

The template is built by ``refund-xl template`` (refund_xl/template_build.py)
and committed at the repository root; this test skips only if it is absent.
"""

from __future__ import annotations

import re
from collections import defaultdict
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
    assert found, "the template has no formula calling refund_xl.udfs"
    assert used == set(OUR_FUNCTIONS), f"functions not used by any template column: {set(OUR_FUNCTIONS) - used}"


def test_one_formula_per_formula_column(calls):
    """One formula cell per column: a full recalculation makes one call per formula column."""
    found, _ = calls
    per_column = defaultdict(list)
    for sheet, coord, _text, _ref, col in found:
        per_column[(sheet, col)].append(coord)
    repeated = {k: v for k, v in per_column.items() if len(v) > 1}
    assert not repeated, f"formula filled down row by row (one Excel→Python call per row): {repeated}"
    # Each formula cell holds one call of ours (nested calls would be calls too).
    for sheet, coord, text, _ref, _col in found:
        assert len(_CALL.findall(text)) == 1, f"{sheet}!{coord} calls our functions more than once: {text}"
    # The number stated in docs/performance.md: calls per full recalculation.
    assert len(found) == len(per_column)


def test_each_formula_covers_the_whole_tracking_range(calls):
    found, data_rows = calls
    for sheet, coord, text, ref, _col in found:
        m = _CALL.search(text)
        rows_arg = _first_argument(text, m.end() - 1)
        first, last = _rows_of(rows_arg)
        height = last - first + 1
        assert height > 1, f"{sheet}!{coord} reads one row ({rows_arg}): that is one call per row"
        assert height >= data_rows[sheet], (
            f"{sheet}!{coord} reads {rows_arg}, fewer rows than the sheet's {data_rows[sheet]} data rows")
        if ref is not None:  # a classic array formula fills the column block it returns
            out_first, out_last = _rows_of(ref)
            assert out_last - out_first + 1 == height, f"{sheet}!{coord}: array {ref} vs rows {rows_arg}"
            assert out_first == first, f"{sheet}!{coord}: results start on row {out_first}, data on row {first}"


def test_calls_per_recalculation_is_the_number_of_formula_columns(calls):
    """The number docs/performance.md states: 8 for the template as built, whatever its row count."""
    from refund_xl import template_build

    found, _ = calls
    columns = {(s, col) for s, _c, _t, _r, col in found}
    assert len(found) == len(columns) == len(template_build.FORMULA_COLUMNS)
