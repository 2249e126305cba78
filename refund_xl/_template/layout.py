"""Where things are in the template: sheet names, ranges, the result block and its one formula.

Everything the other parts of the builder, the hosts (the ribbon macros, file
import) and the tests agree on.  Pure module: imports no host library.

The result block is ONE formula in ``BJ1``,
``=REFUND_TABLE(tracking_rows,$A$1:$BH$1,'设置'!$A$1:$D$20,'设置'!$C$16,'话术模板'!$A$1:$C$60,'列名映射'!$A$1:$B$200,'值映射'!$A$1:$C$200)``,
so one recalculation hands the tracking block to Python once.  Its first row
is the 8 result headers (判定依据's naming the 基准时间 used), then one row per
case.  ``tracking_rows`` is a defined name, ``$A$1:INDEX($BH:$BH, last row)``,
where the last row is the last one with something in column A or B: it grows
and shrinks with the sheet (rows pasted, inserted, deleted) without editing any
formula, is non-volatile (INDEX, not OFFSET) and is 60 columns wide (a 抖店
export has 50).  The formula is stored as a dynamic array (Excel 365/2021
spill it to the data's height); Excel 2016/2019 read it as a legacy array
formula over the stored rows, and the 刷新判定 button re-enters it over the
current height (and recalculates).  See docs/setup-windows.md and
docs/performance.md.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from refund_xl._core import fields, replies, settings as settings_mod
from refund_xl._app import table as result_table
from refund_xl._core.settings import SETTINGS

__all__ = ["DEFAULT_OUT", "SHEETS", "SHEET_TRACKING", "SHEET_SETTINGS", "SHEET_TEMPLATES", "SHEET_COLUMNS",
           "SHEET_VALUES", "SHEET_CONF", "NEW_SHEET_CODE_NAMES", "DATA_LAST_COL", "DATA_COLS", "LAST_ROW",
           "HEADERS_RANGE", "ROWS_NAME", "SETTINGS_LAST_ROW", "SETTINGS_RANGE", "TEMPLATES_LAST_ROW",
           "TEMPLATES_RANGE", "COLUMNS_LAST_ROW", "COLUMNS_RANGE", "VALUES_LAST_ROW", "VALUES_RANGE",
           "FIRST_FORMULA_COL", "FORMULA_CELL", "NOW_ROW", "NOW_CELL", "SAMPLE_NOW", "RESULT_COLUMNS",
           "UDF_MODULE", "col_letter", "col_number", "formula_col", "formula_text", "rows_name_formula"]

PACKAGE_DIR = Path(__file__).resolve().parent.parent    # refund_xl/
SRC = Path(__file__).resolve().parent / "src"           # hand-written parts: ribbon XML, ribbon VBA, metadata
DEFAULT_OUT = "workbook_template.xlsm"

# Sheet names (user-facing, Chinese first).
SHEET_TRACKING = fields.TRACKING_SHEET
SHEET_SETTINGS = settings_mod.SHEET
SHEET_TEMPLATES = replies.SHEET
SHEET_COLUMNS = fields.MAPPING_SHEET
SHEET_VALUES = fields.VALUES_SHEET
SHEET_CONF = "xlwings.conf"
SHEETS = (SHEET_TRACKING, SHEET_SETTINGS, SHEET_TEMPLATES, SHEET_COLUMNS, SHEET_VALUES, SHEET_CONF)
# The sheets' VBA code names: the quickstart's two sheets are Sheet1 (renamed 售后登记) and
# Sheet2 (renamed xlwings.conf); the sheets the builder adds get Sheet3.. and a document module each.
NEW_SHEET_CODE_NAMES = ((SHEET_SETTINGS, "Sheet3"), (SHEET_TEMPLATES, "Sheet4"), (SHEET_COLUMNS, "Sheet5"),
                        (SHEET_VALUES, "Sheet6"))

# The tracking data block the formula reads: A1:BH1 headers, rows down to the
# last row with something in column A or B (the defined name ROWS_NAME).
DATA_LAST_COL = "BH"           # 60 columns: the 25 canonical fields + room for a 50-column platform export
LAST_ROW = 100_001             # drop-downs and highlighting reach this row
HEADERS_RANGE = f"$A$1:${DATA_LAST_COL}$1"
ROWS_NAME = "tracking_rows"
SETTINGS_LAST_ROW = 20         # header + 9 settings + now + spare rows for notes
SETTINGS_RANGE = f"'{SHEET_SETTINGS}'!$A$1:$D${SETTINGS_LAST_ROW}"
TEMPLATES_LAST_ROW = 60
TEMPLATES_RANGE = f"'{SHEET_TEMPLATES}'!$A$1:$C${TEMPLATES_LAST_ROW}"
COLUMNS_LAST_ROW = 200         # the 字段 drop-down covers B2:B200
COLUMNS_RANGE = f"'{SHEET_COLUMNS}'!$A$1:$B${COLUMNS_LAST_ROW}"
VALUES_LAST_ROW = 200
VALUES_RANGE = f"'{SHEET_VALUES}'!$A$1:$C${VALUES_LAST_ROW}"
FIRST_FORMULA_COL = "BJ"       # BI stays empty as a visual separator
FORMULA_CELL = f"{FIRST_FORMULA_COL}1"

# The sample rows' reference time (the expectations shipped with the sample
# are at this time).  The template's 基准时间 cell is left EMPTY (= current
# time); the cached results stored in the file are computed at this time.
SAMPLE_NOW = datetime(2025, 6, 10, 12, 0)

# The result block's columns (REFUND_TABLE's 8) with a note each for the docs.
RESULT_COLUMNS: tuple[tuple[str, str], ...] = tuple(zip(result_table.HEADERS, (
    "按 SOP 的下一步动作", "哪条规则、依据什么事实", "在途包裹：正常 / 催件 / 按丢件处理", "平台超时预警",
    "距超时还剩多少小时（负数为已超时）", "高客单 / 低客单", "已退款但货不在手上", "按「话术模板」填好的回复")))

UDF_MODULE = "refund_xl.udfs"   # the Python module the formulas call (xlwings.conf "UDF Modules")


def col_letter(n: int) -> str:
    """1-based column number → letters."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def col_number(letters: str) -> int:
    """Column letters → 1-based number."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


DATA_COLS = col_number(DATA_LAST_COL)


def formula_col(i: int) -> str:
    """The letters of the result block's ``i``-th column (0-based)."""
    return col_letter(col_number(FIRST_FORMULA_COL) + i)


NOW_ROW = len(SETTINGS) + 2    # header row + one row per setting, then the `now` row
NOW_CELL = f"'{SHEET_SETTINGS}'!$C${NOW_ROW}"


def rows_name_formula() -> str:
    """The defined name ROWS_NAME: A1 down to the last row with something in column A or B, 60 columns.

    Non-volatile (INDEX, not OFFSET), so editing other sheets does not re-run Python.
    """
    t = f"'{SHEET_TRACKING}'"
    last = (f"MAX(2,IFERROR(LOOKUP(2,1/(({t}!$A:$A<>\"\")+({t}!$B:$B<>\"\")),ROW({t}!$A:$A)),2))")
    return f"{t}!$A$1:INDEX({t}!${DATA_LAST_COL}:${DATA_LAST_COL},{last})"


def formula_text() -> str:
    """The result block's one formula (with the leading '=')."""
    args = [ROWS_NAME, HEADERS_RANGE, SETTINGS_RANGE, NOW_CELL, TEMPLATES_RANGE, COLUMNS_RANGE, VALUES_RANGE]
    return f"=REFUND_TABLE({','.join(args)})"
