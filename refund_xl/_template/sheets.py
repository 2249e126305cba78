"""The template's own sheets: what they hold, and how openpyxl writes them.

售后登记 (sample rows, drop-downs, the one result formula, highlighting,
printing), 设置 (one row and one defined name per setting, validation, the
基准时间 row), 话术模板, 列名映射 and 值映射.  The ``*_rows``/``settings_table``
functions give each sheet's cells exactly as the formula reads them (used for
the cached results); the ``write_*`` functions take an openpyxl worksheet.
The xlwings.conf sheet is :mod:`.conf`'s.  Imports openpyxl only inside the
writers, so the content is readable without it.
"""

from __future__ import annotations

from datetime import datetime

from refund_xl._core import replies
from refund_xl._core.fields import FIELDS
from refund_xl._core.replies import templates_table
from refund_xl._core.settings import SETTINGS
from refund_xl._template.layout import COLUMNS_LAST_ROW, DATA_COLS, FIRST_FORMULA_COL, FORMULA_CELL, LAST_ROW, NOW_ROW, RESULT_COLUMNS, SETTINGS_LAST_ROW, SHEET_COLUMNS, SHEET_SETTINGS, VALUES_LAST_ROW, col_letter, formula_col, formula_text

__all__ = ["ID_KEYS", "DATE_KEYS", "COLUMNS_EXAMPLES", "VALUES_EXAMPLES", "settings_table", "templates_rows",
           "columns_rows", "values_rows", "write_tracking", "write_settings", "write_templates",
           "write_columns", "write_values"]

ID_KEYS = ("order_id", "case_id", "tracking_no")      # kept as text ("@"), never numbers
DATE_KEYS = ("applied_at", "last_update", "intercept_at", "deadline")

# 列名映射 A:C: a team's own headers → field keys (examples a desk overwrites).
COLUMNS_EXAMPLES = (
    ("退款金额(元)", "amount", "示例：你的表头叫「退款金额(元)」，对应 退款金额"),
    ("平台售后单号", "case_id", "示例：对应 售后单号"),
    ("发货快递单号", "tracking_no", "示例：对应 物流单号"),
)
COLUMNS_USAGE_CELL = "A30"
COLUMNS_USAGE = ("用法：A 列填你表里的表头，B 列选它对应的字段。只需填内置别名里没有的表头；"
                 "列的顺序无所谓。")

# 值映射 A:D: header row, then a team's own words → standard values (examples).
VALUES_EXAMPLES = (
    ("字段", "原值", "标准值", "说明"),
    ("售后状态", "退款关闭", "已关闭", "示例：平台导出写「退款关闭」，按 已关闭 处理"),
    ("拦截状态", "快递已退回", "拦截成功", "示例：你们自己的写法"),
)
VALUES_USAGE = ("用法：你们表里的写法（原值）不是标准词时，在这里加一行：A 列选字段，B 列填原值，C 列填标准值"
                "（各字段的标准值见「列名映射」表和文档）。这里的对应优先于内置词表和平台预设。")


# ------------------------------------------------------------ the content

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
    """The 话术模板 sheet's A:C rows (header + one per action)."""
    return [list(r) for r in templates_table()]


def columns_rows() -> list[list[object]]:
    """The 列名映射 sheet's A1:B200 as the formulas read them (header, examples, the usage note)."""
    rows: list[list[object]] = [["表头", "字段"]]
    rows += [list(e[:2]) for e in COLUMNS_EXAMPLES]
    rows += [[None, None] for _ in range(COLUMNS_LAST_ROW - len(rows))]
    rows[int(COLUMNS_USAGE_CELL[1:]) - 1][0] = COLUMNS_USAGE
    return rows


def values_rows() -> list[list[object]]:
    """The 值映射 sheet's A1:C200 as the formula reads it (header + example rows, then blanks)."""
    rows: list[list[object]] = [list(r[:3]) for r in VALUES_EXAMPLES]
    return rows + [[None] * 3 for _ in range(VALUES_LAST_ROW - len(rows))]


# ------------------------------------------------------------ the writers

def style_header(ws, cells, fill_hex: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    fill = PatternFill("solid", fgColor=fill_hex)
    thin = Side(style="thin", color="BFBFBF")
    for c in cells:
        c.font = Font(bold=True)
        c.fill = fill
        c.alignment = Alignment(vertical="center", wrap_text=True)
        c.border = Border(bottom=thin)


def write_tracking(ws, headers: list[str], rows: list[list[object]]) -> None:
    """售后登记: the sample rows, drop-downs, the one result formula, highlighting and printing."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.formula import ArrayFormula

    by_header = {f.header: f for f in FIELDS}
    ws.append(headers)
    for r in rows:
        ws.append(r)
    # Customer text such as "=HYPERLINK(...)" stays inert text (contract §9):
    # openpyxl would store any string starting with "=" as a formula.
    for row in ws.iter_rows(min_row=2, max_row=len(rows) + 1, max_col=len(headers)):
        for c in row:
            if c.data_type == "f":
                c.data_type = "s"
                c.quotePrefix = True
    style_header(ws, ws[1][: len(headers)], "DDEBF7")

    for i, h in enumerate(headers, start=1):
        letter = col_letter(i)
        f = by_header.get(h)
        width = 12
        if f is not None and f.key in ID_KEYS:
            width = 22
            ws.column_dimensions[letter].number_format = "@"
            for row in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=i, max_col=i):
                row[0].number_format = "@"
        elif f is not None and f.key in DATE_KEYS:
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
    for i in range(len(headers) + 1, DATA_COLS + 1):   # spare columns for a team's own / a wider export
        ws.column_dimensions[col_letter(i)].width = 6
    ws.column_dimensions[col_letter(DATA_COLS + 1)].width = 2

    widths = {"判定依据": 40, "回复话术": 60, "处理动作": 30}
    for i, (header, _doc) in enumerate(RESULT_COLUMNS):
        ws.column_dimensions[formula_col(i)].width = widths.get(header, 12)
    # The one formula; the zip pass (.package) makes it a dynamic array over the result block.
    last = formula_col(len(RESULT_COLUMNS) - 1)
    ws[FORMULA_CELL] = ArrayFormula(f"{FORMULA_CELL}:{last}{len(rows) + 1}", formula_text())
    style_header(ws, ws[f"{FIRST_FORMULA_COL}1:{last}1"][0], "E2EFDA")

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
    # Printing: the result block, with 订单号 (column A) repeated on every page.
    ws.print_title_cols = "A:A"
    ws.print_area = f"{FIRST_FORMULA_COL}1:{last}{len(rows) + 1}"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write_settings(wb, ws) -> None:
    """设置: the settings table, a defined name per setting key, validation of each value cell."""
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    table = settings_table()
    for line in table:
        if any(v is not None for v in line):
            ws.append(line)
    style_header(ws, ws[1][:4], "DDEBF7")
    for letter, width in zip("ABCD", (24, 26, 22, 70)):
        ws.column_dimensions[letter].width = width
    editable = PatternFill("solid", fgColor="FFF2CC")
    number = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                            allow_blank=False, showErrorMessage=True, errorStyle="stop",
                            errorTitle="应为不小于 0 的数字", error="请输入数字（小时或元），不能为负数或文字。")
    language = DataValidation(type="list", formula1='"中文,English"', allow_blank=False,
                              showErrorMessage=True, errorTitle="语言", error="请选择「中文」或「English」。")
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=False,
                            showErrorMessage=True, errorTitle="是/否", error="请选择「是」或「否」。")
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
        elif s.default in ("是", "否"):
            yes_no.add(f"C{i}")
        wb.defined_names[s.key] = DefinedName(s.key, attr_text=f"'{SHEET_SETTINGS}'!$C${i}")
    r = NOW_ROW
    ws[f"C{r}"].fill = editable
    ws[f"C{r}"].number_format = "yyyy-mm-dd hh:mm"
    when.add(f"C{r}")
    for dv in (number, language, yes_no, when):
        ws.add_data_validation(dv)
    for row in ws.iter_rows(min_row=2, max_row=r, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws[f"A{r + 2}"] = "说明"
    ws[f"A{r + 3}"] = ("只改「值」一列（黄色格）。改完后「售后登记」里的公式列会自动重算；"
                       "填错（文字、负数、丢件阈值小于催件阈值）时，公式列会显示出错的格子和规则。")
    ws[f"A{r + 4}"] = "每个值格都有同名的名称（公式 → 名称管理器），例如 =high_value。"


def write_templates(ws) -> None:
    """话术模板: one row per action code, and the placeholders a template may use."""
    from openpyxl.styles import Alignment

    for r in templates_rows():
        ws.append(r)
    style_header(ws, ws[1][:3], "DDEBF7")
    for letter, width in zip("ABC", (28, 34, 90)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws["E1"] = "可用占位符"
    ws["E2"] = " ".join("{" + p + "}" for p in replies.PLACEHOLDERS)
    ws["E2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["E"].width = 40
    ws["E4"] = "改「话术模板」一列即可；动作代码不要改。模板留空 = 用内置话术。占位符没有内容时会标出【缺:字段】。"
    ws["E4"].alignment = Alignment(wrap_text=True, vertical="top")


def write_columns(ws) -> None:
    """列名映射: the examples, the built-in fields and aliases (E:G), the 字段 drop-down."""
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.datavalidation import DataValidation

    ws.append(["表头", "字段", "说明"])
    for e in COLUMNS_EXAMPLES:
        ws.append(list(e))
    style_header(ws, ws[1][:3], "DDEBF7")
    ws["E1"], ws["F1"], ws["G1"] = "字段", "标准表头", "已内置的别名（不用再填）"
    style_header(ws, (ws["E1"], ws["F1"], ws["G1"]), "EDEDED")
    for i, f in enumerate(FIELDS, start=2):
        ws[f"E{i}"], ws[f"F{i}"], ws[f"G{i}"] = f.key, f.header, "、".join(a for a in f.aliases if a != f.key)
    for letter, width in zip("ABCDEFG", (22, 18, 44, 2, 18, 14, 60)):
        ws.column_dimensions[letter].width = width
    dv = DataValidation(type="list", formula1=f"$E$2:$E${len(FIELDS) + 1}", allow_blank=True,
                        showErrorMessage=True, errorTitle="字段", error="请从下拉列表选择字段（E 列）。")
    dv.add(f"B2:B{COLUMNS_LAST_ROW}")
    ws.add_data_validation(dv)
    ws[COLUMNS_USAGE_CELL] = COLUMNS_USAGE
    ws[COLUMNS_USAGE_CELL].alignment = Alignment(wrap_text=False)


def write_values(ws) -> None:
    """值映射: the examples and the 字段 drop-down (standard headers from 列名映射 F)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for r in VALUES_EXAMPLES:
        ws.append(list(r))
    style_header(ws, ws[1][:4], "DDEBF7")
    for letter, width in zip("ABCD", (16, 22, 16, 60)):
        ws.column_dimensions[letter].width = width
    dv = DataValidation(type="list", formula1=f"'{SHEET_COLUMNS}'!$F$2:$F${len(FIELDS) + 1}", allow_blank=True,
                        showErrorMessage=True, errorTitle="字段", error="请从下拉列表选择字段（标准表头）。")
    dv.add(f"A2:A{VALUES_LAST_ROW}")
    ws.add_data_validation(dv)
    # the note stays in column D, outside the A:C range the formulas and the batch read
    ws["D5"] = VALUES_USAGE
