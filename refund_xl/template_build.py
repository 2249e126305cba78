"""Build ``workbook_template.xlsm`` from the sources in this repository (SPEC §8).

``refund-xl template`` calls :func:`build`; ``python -m refund_xl.template_build``
does the same.  No Excel is needed; the steps, in order:

1. Base: xlwings' own standalone quickstart workbook
   (``xlwings/quickstart_standalone.xlsm``, the file ``xlwings quickstart NAME
   --standalone`` copies).  It carries the xlwings VBA runtime, so no xlwings
   add-in is needed, and its ``_xlwings.conf`` sheet.
2. openpyxl (``keep_vba=True``) renames/adds the sheets of §8, writes the
   sample rows, the formula columns, the defined names (one per setting key)
   and the drop-down validation, and activates the ``xlwings.conf`` sheet.
3. pyopenvba adds VBA modules: ``xlwings_udfs`` (the formula wrappers that
   xlwings' "Import Functions" would generate, made by xlwings' own generator
   so the formulas work on first open without trusting access to the VBA
   project), ``RefundRibbon`` (the ribbon callbacks, from
   ``template_src/RefundRibbon.bas``) and a document module per new sheet.
4. zipfile, as the LAST step (saving through openpyxl drops it): the ribbon
   (``customUI/customUI14.xml`` + its relationship in ``_rels/.rels``), the
   dynamic-array metadata that makes each formula column one spilling
   formula, the cached results of the formula columns (computed by calling
   :mod:`refund_xl.udfs` directly, so viewers that cannot run the functions
   show the sample results), fixed document properties and a fixed zip
   layout (order, timestamps) so that two builds give the same parts.

Formula layout (see docs/setup-windows.md): each formula column is ONE cell in
row 2 holding a whole-range call such as
``=REFUND_ACTION($A$2:$AD$5001,$A$1:$AD$1,'设置'!$A$1:$D$20,'设置'!$C$11,"label",'列名映射'!$A$1:$B$200)``.
It is stored as a dynamic-array formula spilling over rows 2..5001 (Excel
365/2021); older Excel reads the same cell as a legacy array formula over the
same rows.  The data range is a generous fixed block (A:AD, 5,000 rows) rather
than ``A2:INDEX(..,COUNTA(..))``: it is non-volatile, keeps working when a team
adds rows or pastes its own sheet (any column order, up to 30 columns) and is
understood by every calc engine we test with; the functions return "" for
completely blank rows.  To go past 5,000 rows, replace ``$5001`` with a larger
row number in the row-2 formulas.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import tempfile
import types
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from . import fields, replies, settings as settings_mod
from .fields import FIELDS
from .replies import templates_table
from .settings import SETTINGS

__all__ = ["build", "main", "SHEETS", "FORMULA_COLUMNS", "DATA_ROWS", "DATA_LAST_COL",
           "SETTINGS_RANGE", "NOW_CELL", "TEMPLATES_RANGE", "COLUMNS_RANGE", "SAMPLE_NOW", "base_workbook",
           "udf_wrapper_vba", "formula_text", "cached_results"]

HERE = Path(__file__).resolve().parent
SRC = HERE / "template_src"
DEFAULT_OUT = "workbook_template.xlsm"

# Sheet names (user-facing, Chinese first).
SHEET_TRACKING = fields.TRACKING_SHEET
SHEET_SETTINGS = settings_mod.SHEET
SHEET_TEMPLATES = replies.SHEET
SHEET_COLUMNS = fields.MAPPING_SHEET
SHEET_VALUES = fields.VALUES_SHEET
SHEET_CONF = "xlwings.conf"
SHEETS = (SHEET_TRACKING, SHEET_SETTINGS, SHEET_TEMPLATES, SHEET_COLUMNS, SHEET_VALUES, SHEET_CONF)

# The tracking data block the formulas read: A1:AD1 headers, A2:AD5001 rows.
DATA_ROWS = 5000
DATA_LAST_COL = "AD"           # 30 columns: the 25 canonical fields + room for a team's own
LAST_ROW = DATA_ROWS + 1
ROWS_RANGE = f"$A$2:${DATA_LAST_COL}${LAST_ROW}"
HEADERS_RANGE = f"$A$1:${DATA_LAST_COL}$1"
SETTINGS_LAST_ROW = 20         # header + 9 settings + now + spare rows for notes
SETTINGS_RANGE = f"'{SHEET_SETTINGS}'!$A$1:$D${SETTINGS_LAST_ROW}"
TEMPLATES_RANGE = f"'{SHEET_TEMPLATES}'!$A$1:$C$60"
COLUMNS_LAST_ROW = 200         # the 字段 drop-down covers B2:B200
COLUMNS_RANGE = f"'{SHEET_COLUMNS}'!$A$1:$B${COLUMNS_LAST_ROW}"
VALUES_LAST_ROW = 200
VALUES_RANGE = f"'{SHEET_VALUES}'!$A$1:$C${VALUES_LAST_ROW}"
FIRST_FORMULA_COL = "AF"       # AE stays empty as a visual separator

# The sample rows' reference time (the expectations shipped with the sample
# are at this time).  The template's 基准时间 cell is left EMPTY (= current
# time); the cached results stored in the file are computed at this time.
SAMPLE_NOW = datetime(2025, 6, 10, 12, 0)
FIXED_TIME = datetime(2025, 6, 10, 12, 0)    # document properties
ZIP_TIME = (2025, 6, 10, 12, 0, 0)

# (header, function, extra arguments after rows/headers) — one formula column each.
# "S" = settings range, "N" = now cell, "T" = reply templates range, "C" = the
# 列名映射 range and "V" the 值映射 range (always the last two arguments, so
# `show` is given explicitly).
FORMULA_COLUMNS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("处理动作", "REFUND_ACTION", ("S", "N", '"label"', "C", "V"), "按 SOP 的下一步动作"),
    ("判定依据", "REFUND_ACTION", ("S", "N", '"why"', "C", "V"), "哪条规则、依据什么事实"),
    ("物流停滞", "STALL_STATUS", ("S", "N", '"label"', "C", "V"), "在途包裹：正常 / 催件 / 按丢件处理"),
    ("超时状态", "DEADLINE_STATUS", ("S", "N", '"label"', "C", "V"), "平台超时预警"),
    ("剩余小时", "HOURS_LEFT", ("S", "N", "C", "V"), "距超时还剩多少小时（负数为已超时）"),
    ("客单级别", "VALUE_TIER", ("S", "N", '"label"', "C", "V"), "高客单 / 低客单"),
    ("钱货两空", "LOSS_RISK", ("S", "N", '"label"', "C", "V"), "已退款但货不在手上"),
    ("回复话术", "REPLY_SCRIPT", ("T", "S", "N", "C", "V"), "按「话术模板」填好的回复"),
)

UDF_MODULE = "refund_xl.udfs"
VBA_UDF_MODULE = "xlwings_udfs"      # the module name xlwings' ImportPythonUDFs replaces
VBA_RIBBON_MODULE = "RefundRibbon"
SHEET_DOC_BASE = "0{00020820-0000-0000-C000-000000000046}"

RIBBON_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_PART = "customUI/customUI14.xml"
METADATA_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sheetMetadata"
METADATA_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"


def col_letter(n: int) -> str:
    """1-based column number → letters."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


DATA_COLS = col_number(DATA_LAST_COL)


def formula_col(i: int) -> str:
    return col_letter(col_number(FIRST_FORMULA_COL) + i)


NOW_ROW = len(SETTINGS) + 2    # header row + one row per setting, then the `now` row
NOW_CELL = f"'{SHEET_SETTINGS}'!$C${NOW_ROW}"


def formula_text(func: str, extra: tuple[str, ...]) -> str:
    """The row-2 formula of one formula column (with the leading '=')."""
    subst = {"S": SETTINGS_RANGE, "N": NOW_CELL, "T": TEMPLATES_RANGE, "C": COLUMNS_RANGE, "V": VALUES_RANGE}
    args = [ROWS_RANGE, HEADERS_RANGE] + [subst.get(a, a) for a in extra]
    return f"={func}({','.join(args)})"


def base_workbook() -> Path:
    """xlwings' standalone quickstart workbook (what `xlwings quickstart --standalone` copies)."""
    import xlwings

    path = Path(xlwings.__file__).resolve().parent / "quickstart_standalone.xlsm"
    if not path.is_file():
        raise FileNotFoundError(f"xlwings 安装中找不到 {path.name}（xlwings {xlwings.__version__}）")
    return path


# ----------------------------------------------------------------- sample data

_ISO_MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_ID_KEYS = ("order_id", "case_id", "tracking_no")
_DATE_KEYS = ("applied_at", "last_update", "intercept_at", "deadline")
_NUMBER_KEYS = ("amount", "return_cost")


def sample_table() -> tuple[list[str], list[list[object]]]:
    """The packaged sample tracking rows, typed as a desk's sheet would hold them.

    Ids stay text; ISO datetimes become real datetimes; plain numbers in money
    columns become numbers; everything else (``2025/6/9 20:30``, ``¥1,299.00``,
    full addresses, synonyms) stays as typed, as in real exports.
    """
    by_header = {f.header: f.key for f in FIELDS}
    path = HERE / "data" / "sample_tracking.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    headers = rows[0]
    keys = [by_header.get(h) for h in headers]
    out: list[list[object]] = []
    for raw in rows[1:]:
        if not any(c.strip() for c in raw):
            continue
        row: list[object] = []
        for key, text in zip(keys, raw):
            value: object = text if text != "" else None
            if value is not None and key in _DATE_KEYS and _ISO_MINUTE.match(text):
                value = datetime.strptime(text, "%Y-%m-%d %H:%M")
            elif value is not None and key in _NUMBER_KEYS and _PLAIN_NUMBER.match(text):
                value = float(text) if "." in text else int(text)
            row.append(value)
        out.append(row)
    return headers, out


def _excel_value(v: object) -> object:
    """What xlwings hands Python for a cell: numbers as float, blanks as None."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return float(v)
    return v


def data_block(headers: list[str], rows: list[list[object]]) -> tuple[list[object], list[list[object]]]:
    """The A1:AD1 header row and the A2:AD5001 rows as the formulas pass them."""
    head = [_excel_value(h) for h in headers] + [None] * (DATA_COLS - len(headers))
    block = [[_excel_value(v) for v in r] + [None] * (DATA_COLS - len(r)) for r in rows]
    block += [[None] * DATA_COLS for _ in range(DATA_ROWS - len(block))]
    return head, block


def settings_table() -> list[list[object]]:
    """The 设置 sheet A1:D20: header, one row per §3 setting, the `now` row, spare rows."""
    rows: list[list[object]] = [["键", "项目", "值", "说明"]]
    for s in SETTINGS:
        rows.append([s.key, s.label, s.default, s.note])
    rows.append(["now", "基准时间", None,
                 "留空 = 当前时间（正式使用请保持留空）。想复现示例结果时填 2025/6/10 12:00，看完再清空"])
    rows += [[None] * 4 for _ in range(SETTINGS_LAST_ROW - len(rows))]
    return rows


def templates_rows() -> list[list[object]]:
    return [list(r) for r in templates_table()]


def columns_rows() -> list[list[object]]:
    """The 列名映射 sheet's A:B cells as the formulas read them (COLUMNS_LAST_ROW rows)."""
    import openpyxl

    ws = openpyxl.Workbook().active
    _write_columns(ws)
    return [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=COLUMNS_LAST_ROW, max_col=2)]


def values_rows() -> list[list[object]]:
    """The 值映射 sheet's A:C cells as the formulas read them (VALUES_LAST_ROW rows)."""
    import openpyxl

    ws = openpyxl.Workbook().active
    _write_values(ws)
    return [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=VALUES_LAST_ROW, max_col=3)]


def cached_results(now: datetime = SAMPLE_NOW) -> list[list[object]]:
    """Each formula column's N×1 result, by calling refund_xl.udfs directly (DATA_ROWS rows)."""
    from . import udfs

    headers, rows = sample_table()
    head, block = data_block(headers, rows)
    settings = [[_excel_value(v) for v in r] for r in settings_table()]
    templates = templates_rows() + [[None] * 3] * (60 - len(templates_rows()))
    args = {"S": settings, "N": None, "T": templates, "C": columns_rows(), "V": values_rows()}
    cols = []
    for _header, func, extra, _doc in FORMULA_COLUMNS:
        call_args = [block, [head]]
        for a in extra:
            if a == "N":
                call_args.append(now)
            elif a in args:
                call_args.append(args[a])
            else:
                call_args.append(a.strip('"'))
        result = getattr(udfs, func)(*call_args)
        cols.append([r[0] if isinstance(r, (list, tuple)) else r for r in result])
    return cols


# --------------------------------------------------------------- VBA wrappers

def udf_wrapper_vba(workbook_name: str = DEFAULT_OUT) -> str:
    """The ``xlwings_udfs`` module exactly as xlwings' "Import Functions" writes it.

    xlwings' generator (``xlwings.udfs.generate_vba_wrapper``) is Windows-only
    at import time (pywin32) and on other platforms ``xw.func`` & co. return the
    function unchanged.  So: import ``xlwings.udfs`` with inert pywin32 stand-ins
    (only names are touched at import), load a private copy of
    ``refund_xl.udfs`` with the real decorators swapped in, and run the real
    generator on it.  The module header mirrors ``xlwings.udfs.import_udfs``.
    """
    import importlib
    import importlib.util

    import xlwings as xw

    stubs = {}
    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
        if name not in sys.modules:
            stubs[name] = types.ModuleType(name)
    if "pythoncom" in stubs:
        stubs["pythoncom"].CoInitialize = lambda: None
    if "win32com.client" in stubs:
        stubs["win32com.client"].Dispatch = None
    if "win32com" in stubs and "win32com.client" in stubs:
        stubs["win32com"].client = stubs["win32com.client"]
    had_udfs = "xlwings.udfs" in sys.modules
    sys.modules.update(stubs)
    saved = {n: getattr(xw, n, None) for n in ("func", "arg", "ret", "sub")}
    probe_name = "refund_xl._udfs_vba_probe"
    try:
        xl_udfs = importlib.import_module("xlwings.udfs")
        if not had_udfs and stubs:   # our stand-in import made a COM thread pool: release it
            xl_udfs.com_executor.shutdown(wait=False)
        xw.func, xw.arg, xw.ret, xw.sub = xl_udfs.xlfunc, xl_udfs.xlarg, xl_udfs.xlret, xl_udfs.xlsub
        spec = importlib.util.spec_from_file_location(probe_name, HERE / "udfs.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[probe_name] = module
        spec.loader.exec_module(module)
        body = io.StringIO()
        book = types.SimpleNamespace(Name=workbook_name)
        xl_udfs.generate_vba_wrapper(UDF_MODULE, module, body, book)
    finally:
        for n, f in saved.items():
            setattr(xw, n, f)
        sys.modules.pop(probe_name, None)
        if not had_udfs:
            sys.modules.pop("xlwings.udfs", None)
        for name in stubs:
            sys.modules.pop(name, None)
    lines = [
        f'Attribute VB_Name = "{VBA_UDF_MODULE}"',
        "'Autogenerated code by xlwings - changes will be lost with next import!",
        """#Const App = "Microsoft Excel" 'Adjust when using outside of Excel""",
    ]
    return "\n".join(lines) + "\n" + body.getvalue()


def ribbon_vba() -> str:
    return (SRC / f"{VBA_RIBBON_MODULE}.bas").read_text(encoding="ascii")


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


# -------------------------------------------------------------- the workbook

def _style_header(ws, cells, fill_hex: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    fill = PatternFill("solid", fgColor=fill_hex)
    thin = Side(style="thin", color="BFBFBF")
    for c in cells:
        c.font = Font(bold=True)
        c.fill = fill
        c.alignment = Alignment(vertical="center", wrap_text=True)
        c.border = Border(bottom=thin)


def _write_tracking(ws, headers: list[str], rows: list[list[object]]) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.formula import ArrayFormula

    by_header = {f.header: f for f in FIELDS}
    ws.append(headers)
    for r in rows:
        ws.append(r)
    # Customer text such as "=HYPERLINK(...)" stays inert text (SPEC §9):
    # openpyxl would store any string starting with "=" as a formula.
    for row in ws.iter_rows(min_row=2, max_row=len(rows) + 1, max_col=len(headers)):
        for c in row:
            if c.data_type == "f":
                c.data_type = "s"
                c.quotePrefix = True
    _style_header(ws, ws[1][: len(headers)], "DDEBF7")

    for i, h in enumerate(headers, start=1):
        letter = col_letter(i)
        f = by_header.get(h)
        width = 12
        if f is not None and f.key in _ID_KEYS:
            width = 22
            ws.column_dimensions[letter].number_format = "@"
            for row in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=i, max_col=i):
                row[0].number_format = "@"
        elif f is not None and f.key in _DATE_KEYS:
            width = 16
            for row in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=i, max_col=i):
                if isinstance(row[0].value, datetime):
                    row[0].number_format = "yyyy-mm-dd hh:mm"
        elif f is not None and f.key in ("province", "reason"):
            width = 20
        ws.column_dimensions[letter].width = width
        if f is not None and f.choices:
            dv = DataValidation(
                type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=True,
                showErrorMessage=True, errorStyle="warning",
                errorTitle=f"{h}：不在常用选项里",
                error=f"常用选项：{'、'.join(f.choices)}。同义词（如 在途、已揽件）也能识别；确定要保留请点「是」。",
                showInputMessage=False,
            )
            dv.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.add_data_validation(dv)
    for i in range(len(headers) + 1, DATA_COLS + 1):   # spare columns for a team's own
        ws.column_dimensions[col_letter(i)].width = 10
    ws.column_dimensions[col_letter(DATA_COLS + 1)].width = 2

    widths = {"判定依据": 40, "回复话术": 60, "处理动作": 30}
    for i, (header, func, extra, _doc) in enumerate(FORMULA_COLUMNS):
        letter = formula_col(i)
        ws[f"{letter}1"] = header
        ws.column_dimensions[letter].width = widths.get(header, 12)
        ws[f"{letter}2"] = ArrayFormula(f"{letter}2:{letter}{LAST_ROW}", formula_text(func, extra))
    last = formula_col(len(FORMULA_COLUMNS) - 1)
    _style_header(ws, ws[f"{FIRST_FORMULA_COL}1:{last}1"][0], "E2EFDA")

    red = PatternFill("solid", fgColor="F8CBAD")
    amber = PatternFill("solid", fgColor="FFE699")
    area = f"{FIRST_FORMULA_COL}2:{last}{LAST_ROW}"
    first = f"{FIRST_FORMULA_COL}2"
    for word, fill in (("已超时", red), ("按丢件处理", red), ("钱货两空", red), ("#", red),
                       ("即将超时", amber), ("催件", amber)):
        ws.conditional_formatting.add(
            area, FormulaRule(formula=[f'ISNUMBER(SEARCH("{word}",{first}))'], fill=fill,
                              font=Font(color="000000")))
    ws.freeze_panes = "C2"
    for sel in ws.sheet_view.selection:
        sel.activeCell, sel.sqref = "C2", "C2"
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"


def _write_settings(wb, ws) -> None:
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    table = settings_table()
    for r in table:
        if any(v is not None for v in r):
            ws.append(r)
    _style_header(ws, ws[1][:4], "DDEBF7")
    for letter, width in zip("ABCD", (24, 26, 22, 70)):
        ws.column_dimensions[letter].width = width
    editable = PatternFill("solid", fgColor="FFF2CC")
    number = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                            allow_blank=False, showErrorMessage=True, errorStyle="stop",
                            errorTitle="应为不小于 0 的数字", error="请输入数字（小时或元），不能为负数或文字。")
    language = DataValidation(type="list", formula1='"中文,English"', allow_blank=False,
                              showErrorMessage=True, errorTitle="语言", error="请选择「中文」或「English」。")
    when = DataValidation(type="date", operator="greaterThan", formula1="32874", allow_blank=True,
                          showErrorMessage=True, errorStyle="stop", errorTitle="基准时间",
                          error="请输入日期时间（如 2025/6/10 12:00），或留空表示当前时间。")
    for i, s in enumerate(SETTINGS, start=2):
        cell = ws[f"C{i}"]
        cell.fill = editable
        cell.alignment = Alignment(horizontal="left")
        if isinstance(s.default, (int, float)):
            number.add(f"C{i}")
        elif s.key == "language":
            language.add(f"C{i}")
        wb.defined_names[s.key] = DefinedName(s.key, attr_text=f"'{SHEET_SETTINGS}'!$C${i}")
    r = NOW_ROW
    ws[f"C{r}"].fill = editable
    ws[f"C{r}"].number_format = "yyyy-mm-dd hh:mm"
    when.add(f"C{r}")
    for dv in (number, language, when):
        ws.add_data_validation(dv)
    for row in ws.iter_rows(min_row=2, max_row=r, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws[f"A{r + 2}"] = "说明"
    ws[f"A{r + 3}"] = ("只改「值」一列（黄色格）。改完后「售后登记」里的公式列会自动重算；"
                       "填错（文字、负数、丢件阈值小于催件阈值）时，公式列会显示出错的格子和规则。")
    ws[f"A{r + 4}"] = "每个值格都有同名的名称（公式 → 名称管理器），例如 =high_value。"


def _write_templates(ws) -> None:
    from openpyxl.styles import Alignment

    for r in templates_rows():
        ws.append(r)
    _style_header(ws, ws[1][:3], "DDEBF7")
    for letter, width in zip("ABC", (28, 34, 90)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    n = ws.max_row
    ws["E1"] = "可用占位符"
    ws["E2"] = " ".join("{" + p + "}" for p in replies.PLACEHOLDERS)
    ws["E2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["E"].width = 40
    ws["E4"] = "改「话术模板」一列即可；动作代码不要改。模板留空 = 用内置话术。占位符没有内容时会标出【缺:字段】。"
    ws["E4"].alignment = Alignment(wrap_text=True, vertical="top")
    del n


def _write_columns(ws) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.datavalidation import DataValidation

    ws.append(["表头", "字段", "说明"])
    examples = (
        ("退款金额(元)", "amount", "示例：你的表头叫「退款金额(元)」，对应 退款金额"),
        ("平台售后单号", "case_id", "示例：对应 售后单号"),
        ("发货快递单号", "tracking_no", "示例：对应 物流单号"),
    )
    for e in examples:
        ws.append(list(e))
    _style_header(ws, ws[1][:3], "DDEBF7")
    ws["E1"], ws["F1"], ws["G1"] = "字段", "标准表头", "已内置的别名（不用再填）"
    _style_header(ws, (ws["E1"], ws["F1"], ws["G1"]), "EDEDED")
    for i, f in enumerate(FIELDS, start=2):
        ws[f"E{i}"], ws[f"F{i}"], ws[f"G{i}"] = f.key, f.header, "、".join(a for a in f.aliases if a != f.key)
    for letter, width in zip("ABCDEFG", (22, 18, 44, 2, 18, 14, 60)):
        ws.column_dimensions[letter].width = width
    dv = DataValidation(type="list", formula1=f"$E$2:$E${len(FIELDS) + 1}", allow_blank=True,
                        showErrorMessage=True, errorTitle="字段", error="请从下拉列表选择字段（E 列）。")
    dv.add("B2:B200")
    ws.add_data_validation(dv)
    ws["A30"] = ("用法：A 列填你表里的表头，B 列选它对应的字段。只需填内置别名里没有的表头；"
                 "列的顺序无所谓。")
    ws["A30"].alignment = Alignment(wrap_text=False)


def _write_values(ws) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    ws.append(["字段", "原值", "标准值", "说明"])
    examples = (
        ("售后状态", "退款关闭", "已关闭", "示例：平台导出的写法 → 标准值（这两行已内置，可删）"),
        ("拦截状态", "快递已退回", "拦截成功", "示例：同事手写的词 → 标准值"),
    )
    for e in examples:
        ws.append(list(e))
    _style_header(ws, ws[1][:4], "DDEBF7")
    for letter, width in zip("ABCD", (14, 22, 14, 60)):
        ws.column_dimensions[letter].width = width
    dv = DataValidation(type="list", formula1=f"'{SHEET_COLUMNS}'!$F$2:$F${len(FIELDS) + 1}", allow_blank=True,
                        showErrorMessage=True, errorTitle="字段", error="请从下拉列表选择字段（标准表头）。")
    dv.add(f"A2:A{VALUES_LAST_ROW}")
    ws.add_data_validation(dv)
    ws["D5"] = ("用法：A 列选字段，B 列填你们表里的写法，C 列填它对应的标准值（见「列名映射」表 F 列的字段、"
                "各字段可用的词见文档）。这里的写法优先于内置词表和平台预设。")


def _write_conf(ws) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.delete_rows(1, ws.max_row)
    entries = (
        ("Interpreter_Win", None, "必填（Windows）：python.exe 的完整路径，例如 C:\\Users\\你的用户名\\AppData\\Local\\Programs\\Python\\Python311\\pythonw.exe。留空 = 用 PATH 里的 pythonw"),
        ("Interpreter_Mac", None, "Mac：python 的完整路径，例如 /usr/local/bin/python3。留空 = 用 PATH 里的 python"),
        ("PYTHONPATH", None, "一般留空"),
        ("Conda Path", None, "用 Anaconda 时填安装目录，否则留空"),
        ("Conda Env", None, "用 Anaconda 时填环境名，否则留空"),
        ("UDF Modules", UDF_MODULE, "公式函数所在的 Python 模块，不要改"),
        ("Debug UDFs", False, "不要改"),
        ("Use UDF Server", False, "不要改"),
        ("Show Console", False, "出问题时可改成 TRUE，查看 Python 报错窗口"),
    )
    editable = PatternFill("solid", fgColor="FFF2CC")
    for i, (key, value, note) in enumerate(entries, start=1):
        ws[f"A{i}"] = key
        ws[f"B{i}"] = value
        ws[f"C{i}"] = note
        if key.startswith("Interpreter"):
            ws[f"B{i}"].fill = editable
    ws["A11"] = "说明"
    ws["A11"].font = Font(bold=True)
    notes = (
        "这张表是 xlwings 的设置（表名必须是 xlwings.conf，设置从 A1 开始，中间不能有空行）。",
        "第一次使用：在 B1 填 Python 的路径（见 docs/setup-windows.md）。",
        "删掉某一行 = 改用 xlwings 配置文件（用户目录 .xlwings/xlwings.conf）里的值。",
    )
    for i, text in enumerate(notes, start=12):
        ws[f"A{i}"] = text
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 100
    for row in ws.iter_rows(min_row=1, max_row=9, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=False)


def _build_openpyxl(path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(base_workbook(), keep_vba=True)
    tracking = wb["Sheet1"]
    tracking.title = SHEET_TRACKING
    conf = wb["_xlwings.conf"]
    conf.title = SHEET_CONF
    for name in list(tracking.iter_rows()):
        for c in name:
            c.value = None

    headers, rows = sample_table()
    _write_tracking(tracking, headers, rows)
    settings_ws = wb.create_sheet(SHEET_SETTINGS, 1)
    templates_ws = wb.create_sheet(SHEET_TEMPLATES, 2)
    columns_ws = wb.create_sheet(SHEET_COLUMNS, 3)
    values_ws = wb.create_sheet(SHEET_VALUES, 4)
    for n, ws in enumerate((settings_ws, templates_ws, columns_ws, values_ws), start=3):
        ws.sheet_properties.codeName = f"Sheet{n}"
    _write_settings(wb, settings_ws)
    _write_templates(templates_ws)
    _write_columns(columns_ws)
    _write_values(values_ws)
    _write_conf(conf)
    for ws in wb.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        if ws is not tracking:
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    tracking.print_title_rows = "1:1"
    # No recalculation on open: the file opens showing the stored sample
    # results (as an Excel-saved file does), without starting Python before
    # the interpreter is set up; an edit, F9 or Ctrl+Alt+F9 recalculates.
    # calcId of Excel 365, so Excel does not force a full recalc either.
    wb.calculation.calcId = 191029
    wb.calculation.fullCalcOnLoad = False
    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is tracking
    wb.properties.creator = "refund_xl"
    wb.properties.lastModifiedBy = "refund_xl"
    wb.properties.title = "售后助手 workbook_template"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)


def _add_vba(path: Path) -> None:
    from pyopenvba import ExcelFile, VBAModuleKind

    with ExcelFile(path) as book:
        project = book.vba_project()
        names = {m.casefold() for m in project.module_names()}
        if "module1" in names:  # the quickstart's SampleCall, which imports a module named after the book
            project.delete_module("Module1")
        # The new sheets get document modules, as Excel gives every sheet one.
        # pyopenvba declares an added module `Document=` in the PROJECT stream
        # when its name is among the host's document names (how its own
        # add_vba_project adds sheet modules); otherwise it would say `Class=`.
        new_docs = ("Sheet3", "Sheet4", "Sheet5")
        book._document_names = set(getattr(book, "_document_names", set())) | {c.casefold() for c in new_docs}
        for code in new_docs:
            if code.casefold() not in names:
                header = (f'Attribute VB_Name = "{code}"\r\nAttribute VB_Base = "{SHEET_DOC_BASE}"\r\n'
                          "Attribute VB_GlobalNameSpace = False\r\nAttribute VB_Creatable = False\r\n"
                          "Attribute VB_PredeclaredId = True\r\nAttribute VB_Exposed = True\r\n"
                          "Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = True\r\n")
                project.add_module(code, header, kind=VBAModuleKind.other)
        project.add_module(VBA_UDF_MODULE, _crlf(udf_wrapper_vba()))
        project.add_module(VBA_RIBBON_MODULE, _crlf(ribbon_vba()))
        book.save()


# --------------------------------------------------------- final zip pass

_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _cell_xml(ref: str, value: object, formula: str | None = None) -> str:
    attrs = f'r="{ref}"'
    if formula is not None:
        attrs += ' cm="1"'
    f = f'<f t="array" ref="{ref}:{_CELL_REF.match(ref).group(1)}{LAST_ROW}">{escape(formula)}</f>' if formula else ""
    if isinstance(value, bool):
        return f'<c {attrs} t="b">{f}<v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f"<c {attrs}>{f}<v>{value!r}</v></c>"
    text = "" if value is None else str(value)
    return f'<c {attrs} t="str">{f}<v>{escape(text)}</v></c>'


def _patch_tracking_sheet(xml: str, cached: list[list[object]]) -> str:
    """Make each row-2 formula a spilling dynamic array and store its cached results."""
    letters = [formula_col(i) for i in range(len(FORMULA_COLUMNS))]
    # 1. Row 2: replace openpyxl's <c r="AF2"><f t="array" ...>..</f><v/></c> with ours.
    for i, letter in enumerate(letters):
        pat = re.compile(rf'<c r="{letter}2"[^>]*>\s*<f t="array" ref="[^"]*">(.*?)</f>\s*(?:<v\s*/>|<v>.*?</v>)?\s*</c>', re.S)
        m = pat.search(xml)
        if m is None:
            raise RuntimeError(f"formula cell {letter}2 not found in the sheet XML")
        formula = re.sub(r"&lt;|&gt;|&amp;|&quot;|&apos;", lambda x: {"&lt;": "<", "&gt;": ">", "&amp;": "&",
                                                                      "&quot;": '"', "&apos;": "'"}[x.group()], m.group(1))
        xml = xml[: m.start()] + _cell_xml(f"{letter}2", cached[i][0], formula) + xml[m.end():]

    # 2. Rows 3..LAST_ROW: append the spill members to existing rows, add missing rows.
    def members(r: int) -> str:
        return "".join(_cell_xml(f"{letter}{r}", cached[i][r - 2]) for i, letter in enumerate(letters))

    present: set[int] = set()

    def extend_row(m: re.Match) -> str:
        r = int(m.group(2))
        present.add(r)
        if r < 3 or r > LAST_ROW:
            return m.group(0)
        if m.group(0).endswith("/>"):
            return f"{m.group(1)}>{members(r)}</row>"
        return m.group(1) + ">" + m.group(3) + members(r) + "</row>"

    xml = re.sub(r'(<row r="(\d+)"[^>]*?)(?:/>|>(.*?)</row>)', extend_row, xml, flags=re.S)
    # A plain `<row .../>` captured nothing in group 3; the branch above handles it.
    tail_rows = [r for r in range(3, LAST_ROW + 1) if r not in present]
    if tail_rows and max(present) > min(tail_rows):
        raise RuntimeError("unexpected rows after the sample rows in the tracking sheet")
    extra = "".join(f'<row r="{r}">{members(r)}</row>' for r in tail_rows)
    xml = xml.replace("</sheetData>", extra + "</sheetData>", 1)
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{letters[-1]}{LAST_ROW}"/>', xml, count=1)
    return xml


def _sheet_part(parts: dict[str, bytes], sheet_name: str) -> str:
    wb = parts["xl/workbook.xml"].decode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    m = re.search(rf'<sheet [^>]*name="{re.escape(sheet_name)}"[^>]*r:id="([^"]+)"', wb)
    rid = m.group(1)
    t = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*/>', rels).group(0)
    target = re.search(r'Target="([^"]+)"', t).group(1)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _add_relationship(rels: str, rel_type: str, target: str) -> str:
    if f'Type="{rel_type}"' in rels:
        return rels
    ids = [int(x) for x in re.findall(r'Id="rId(\d+)"', rels)]
    rid = f"rId{max(ids, default=0) + 1}"
    return rels.replace("</Relationships>",
                        f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/></Relationships>', 1)


CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>售后助手 workbook_template</dc:title><dc:creator>refund_xl</dc:creator>"
    "<cp:lastModifiedBy>refund_xl</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-06-10T12:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-06-10T12:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)


def _finish_zip(src: Path, out: Path, cached: list[list[object]]) -> None:
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}

    sheet = _sheet_part(parts, SHEET_TRACKING)
    parts[sheet] = _patch_tracking_sheet(parts[sheet].decode("utf-8"), cached).encode("utf-8")

    # Dynamic-array metadata (what Excel 365 writes for a spilling formula).
    parts["xl/metadata.xml"] = (SRC / "metadata.xml").read_bytes()
    parts["xl/_rels/workbook.xml.rels"] = _add_relationship(
        parts["xl/_rels/workbook.xml.rels"].decode("utf-8"), METADATA_REL_TYPE, "metadata.xml").encode("utf-8")
    ct = parts["[Content_Types].xml"].decode("utf-8")
    if "/xl/metadata.xml" not in ct:
        ct = ct.replace("</Types>", f'<Override PartName="/xl/metadata.xml" ContentType="{METADATA_CT}"/></Types>', 1)
    parts["[Content_Types].xml"] = ct.encode("utf-8")

    parts["docProps/core.xml"] = CORE_XML.encode("utf-8")

    # The ribbon, last: customUI14.xml and its package relationship.
    parts[RIBBON_PART] = (SRC / "customUI14.xml").read_bytes()
    parts["_rels/.rels"] = _add_relationship(parts["_rels/.rels"].decode("utf-8"), RIBBON_REL_TYPE,
                                             RIBBON_PART).encode("utf-8")

    first = ["[Content_Types].xml", "_rels/.rels"]
    order = first + sorted(n for n in parts if n not in first)
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as z:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            z.writestr(info, parts[name], compresslevel=9)
    tmp.replace(out)


def build(out_path: str | Path = DEFAULT_OUT) -> Path:
    """Build the template at ``out_path`` and return its path."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    cached = cached_results(SAMPLE_NOW)
    with tempfile.TemporaryDirectory(prefix="refund_xl_template_") as tmp:
        stage = Path(tmp) / "stage.xlsm"
        _build_openpyxl(stage)
        _add_vba(stage)
        _finish_zip(stage, out, cached)
    return out


# ------------------------------------------------------------ docs images

# What each docs image shows: (sheet, print area, data columns left visible).
DOC_VIEWS = (
    ("tracking", SHEET_TRACKING, f"A1:{formula_col(len(FORMULA_COLUMNS) - 1)}16",
     ("订单号", "售后类型", "退款金额", "发货状态", "物流状态")),
    ("settings", SHEET_SETTINGS, f"A1:D{NOW_ROW}", None),
    ("templates", SHEET_TEMPLATES, "A1:C8", None),
    ("columns", SHEET_COLUMNS, "A1:G12", None),
    ("xlwings-conf", SHEET_CONF, "A1:C14", None),
)


def _content_box(ppm: Path, margin: int = 8) -> tuple[int, int, int, int]:
    """(x, y, w, h) of the non-white part of a binary PPM page, plus a margin."""
    data = ppm.read_bytes()
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:          # magic, width, height, maxval
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    width, height = int(fields[1]), int(fields[2])
    pixels = data[pos:]
    stride = width * 3
    rows = [r for r in range(height) if min(pixels[r * stride:(r + 1) * stride]) < 235]
    if not rows:
        return 0, 0, width, height
    cols = set()
    for r in rows[:: max(1, len(rows) // 200)] + rows[-1:]:
        line = pixels[r * stride:(r + 1) * stride]
        dark = [i // 3 for i in range(0, stride, 3) if min(line[i:i + 3]) < 235]
        if dark:
            cols.update((dark[0], dark[-1]))
    x0, x1 = max(min(cols) - margin, 0), min(max(cols) + margin, width - 1)
    y0, y1 = max(rows[0] - margin, 0), min(rows[-1] + margin, height - 1)
    return x0, y0, x1 - x0 + 1, y1 - y0 + 1


def render_doc_images(template: str | Path, out_dir: str | Path, dpi: int = 80) -> list[Path]:
    """docs/img/*.png: the template as LibreOffice renders it (soffice + pdftoppm).

    Works on a copy whose only changes are print areas, fit-to-width and, on
    售后登记, hidden data columns so the formula columns fit on the page.
    LibreOffice cannot run the Python functions (their cells come out as
    #VALUE!), so on 售后登记 the copy keeps only the results stored in the file
    (computed at SAMPLE_NOW) in the formula columns.
    """
    import shutil
    import subprocess

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(template) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="refund_xl_docimg_") as tmp:
        for slug, sheet_name, area, visible in DOC_VIEWS:
            view = dict(parts)
            part = _sheet_part(view, sheet_name)
            xml = view[part].decode("utf-8")
            xml = xml.replace("<pageSetUpPr />", '<pageSetUpPr fitToPage="1" />')
            xml = re.sub(r"<pageSetup [^>]*/>", '<pageSetup orientation="landscape" paperSize="9" '
                         'fitToWidth="1" fitToHeight="0" />', xml)
            if visible is not None:
                headers, _rows = sample_table()
                keep = {i + 1 for i, h in enumerate(headers) if h in visible}

                def hide(m: re.Match) -> str:
                    n = int(m.group(2))
                    if n <= col_number(FIRST_FORMULA_COL) - 1 and n not in keep:
                        return m.group(1) + ' hidden="1"' + m.group(3)
                    return m.group(0)

                xml = re.sub(r'(<col [^>]*min="(\d+)"[^>]*?)(\s*/>)', hide, xml)
                # LibreOffice cannot run the Python functions and always
                # recalculates their cells: show the stored results instead.
                xml = re.sub(r"<f [^>]*>.*?</f>", "", xml)
                reply = col_number(formula_col(len(FORMULA_COLUMNS) - 1))
                xml = re.sub(rf'<col width="[^"]*"([^>]*min="{reply}")', r'<col width="34"\1', xml)
                xml = xml.replace(' cm="1"', "")
            view[part] = xml.encode("utf-8")
            wbx = view["xl/workbook.xml"].decode("utf-8")
            names = re.findall(r'<sheet [^>]*name="([^"]+)"', wbx)
            idx = names.index(sheet_name)
            wbx = re.sub(r'<definedName name="_xlnm.Print_Area"[^>]*>.*?</definedName>', "", wbx)
            wbx = re.sub(r'<sheet ([^>]*)state="visible"', lambda m: f'<sheet {m.group(1)}state="hidden"'
                         if f'name="{sheet_name}"' not in m.group(0) else m.group(0), wbx)
            wbx = re.sub(r'activeTab="\d+"', f'activeTab="{idx}"', wbx)
            a1 = "$" + area.replace(":", ":$")
            a1 = re.sub(r"\$([A-Z]+)(\d+)", r"$\1$\2", a1)
            print_area = f'<definedName name="_xlnm.Print_Area" localSheetId="{idx}">\'{sheet_name}\'!{a1}</definedName>'
            if "<definedNames>" in wbx:
                wbx = wbx.replace("<definedNames>", "<definedNames>" + print_area, 1)
            else:
                wbx = wbx.replace("</sheets>", "</sheets><definedNames>" + print_area + "</definedNames>", 1)
            view["xl/workbook.xml"] = wbx.encode("utf-8")
            src = Path(tmp) / f"{slug}.xlsm"
            with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
                for name, data in view.items():
                    z.writestr(name, data)
            subprocess.run(["soffice", "--headless", "--norestore",
                            f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "pdf", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=600)
            pdf = Path(tmp) / f"{slug}.pdf"
            stem = Path(tmp) / slug
            base = ["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile"]
            subprocess.run(base + [str(pdf), str(stem)], check=True, capture_output=True, timeout=300)
            x, y, w, h = _content_box(Path(f"{stem}.ppm"), margin=8)
            subprocess.run(base + ["-png", "-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h),
                                   str(pdf), str(stem)], check=True, capture_output=True, timeout=300)
            target = out_dir / f"template-{slug}.png"
            shutil.copyfile(f"{stem}.png", target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m refund_xl.template_build",
                                description="从源码生成 workbook_template.xlsm")
    p.add_argument("--out", default=DEFAULT_OUT, help="输出文件（默认 workbook_template.xlsm）")
    args = p.parse_args(argv)
    path = build(args.out)
    print(f"已生成 {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
