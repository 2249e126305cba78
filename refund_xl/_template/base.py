"""The workbook skeleton: xlwings' standalone quickstart, turned into our sheets by openpyxl.

The base is ``xlwings/quickstart_standalone.xlsm``, the file ``xlwings
quickstart NAME --standalone`` copies: it carries the xlwings VBA runtime (so
no xlwings add-in is needed) and a ``_xlwings.conf`` sheet.  openpyxl
(``keep_vba=True``) renames and adds the sheets, has :mod:`.sheets` and
:mod:`.conf` fill them, adds the defined name the formula reads, and fixes the
workbook's calculation and document properties, so two builds agree.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from refund_xl._template.conf import write_conf
from refund_xl._template.layout import NEW_SHEET_CODE_NAMES, ROWS_NAME, SHEET_COLUMNS, SHEET_CONF, SHEET_SETTINGS, SHEET_TEMPLATES, SHEET_TRACKING, SHEET_VALUES, rows_name_formula
from refund_xl._template.sample import sample_table
from refund_xl._template.sheets import write_columns, write_settings, write_templates, write_tracking, write_values

__all__ = ["base_workbook", "write_workbook", "FIXED_TIME", "TITLE"]

FIXED_TIME = datetime(2025, 6, 10, 12, 0)    # document properties: the same in every build
TITLE = "售后助手 workbook_template"
AUTHOR = "refund_xl"
EXCEL_365_CALC_ID = 191029


def base_workbook() -> Path:
    """xlwings' standalone quickstart workbook (what `xlwings quickstart --standalone` copies)."""
    import xlwings

    path = Path(xlwings.__file__).resolve().parent / "quickstart_standalone.xlsm"
    if not path.is_file():
        raise FileNotFoundError(f"xlwings 安装中找不到 {path.name}（xlwings {xlwings.__version__}）")
    return path


def write_workbook(path: Path, interpreter: dict[str, str] | None = None, calc_on_open: bool = False) -> None:
    """The base workbook with our sheets, saved at ``path`` (VBA project kept as the quickstart has it)."""
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName

    wb = openpyxl.load_workbook(base_workbook(), keep_vba=True)
    tracking = wb["Sheet1"]
    tracking.title = SHEET_TRACKING
    conf = wb["_xlwings.conf"]
    conf.title = SHEET_CONF
    for row in tracking.iter_rows():
        for c in row:
            c.value = None

    headers, rows = sample_table()
    write_tracking(tracking, headers, rows)
    added = {}
    for position, (title, code_name) in enumerate(NEW_SHEET_CODE_NAMES, start=1):
        added[title] = wb.create_sheet(title, position)
        added[title].sheet_properties.codeName = code_name
    write_settings(wb, added[SHEET_SETTINGS])
    write_templates(added[SHEET_TEMPLATES])
    write_columns(added[SHEET_COLUMNS])
    write_values(added[SHEET_VALUES])
    write_conf(conf, interpreter or {})

    wb.defined_names[ROWS_NAME] = DefinedName(ROWS_NAME, attr_text=rows_name_formula())
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
    wb.calculation.calcId = EXCEL_365_CALC_ID
    wb.calculation.fullCalcOnLoad = calc_on_open
    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is tracking
    wb.properties.creator = AUTHOR
    wb.properties.lastModifiedBy = AUTHOR
    wb.properties.title = TITLE
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)
