"""The template builder's pieces, each on its own (refund_xl/_template/).

tests/test_template.py checks the built workbook as a whole; here each concern
is checked alone: the generated VBA committed under generated/ (equal to a
fresh generation and to what the committed template holds), the wrapper
generator's shape, the document-module declarations in the VBA project, the
sheets' content against what their writers write, the xlwings.conf block, the
zip pass, and that importing the package loads no host library.

If the first test fails after a change to the formula functions or the ribbon:
`python -m refund_xl._template --vba` rewrites generated/, then rebuild the
template (`refund-xl template`) and commit both.
"""

from __future__ import annotations

import inspect
import io
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest

from refund_xl import udfs
from refund_xl._core import fields, settings
from refund_xl._template import layout, sheets
from refund_xl._template.__main__ import main as template_main
from refund_xl._template.conf import CONF_ENTRIES, conf_rows, write_conf
from refund_xl._template.package import (ZIP_TIME, add_relationship, patch_result_block, read_parts, sheet_part,
                                        write_parts)
from refund_xl._template.ribbon import RIBBON_PART, RIBBON_REL_TYPE, VBA_RIBBON_MODULE, add_ribbon, ribbon_vba
from refund_xl._template.vba import (GENERATED, VBA_UDF_MODULE, Udf, UdfArg, generated_modules, udf_signatures,
                                    udf_wrapper_vba)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "workbook_template.xlsm"
REGENERATE = "run `python -m refund_xl._template --vba`, rebuild with `refund-xl template`, commit both"


# ------------------------------------------------------- the generated VBA

def test_committed_generated_vba_equals_a_fresh_generation(tmp_path):
    committed = {p.name: p.read_text(encoding="ascii") for p in GENERATED.glob("*.bas")}
    assert committed == generated_modules(), f"refund_xl/_template/generated/ is stale; {REGENERATE}"
    # the documented command writes exactly these files
    assert template_main(["--vba", str(tmp_path)]) == 0
    assert {p.name: p.read_text(encoding="ascii") for p in tmp_path.iterdir()} == committed


def test_committed_template_holds_the_committed_generated_vba():
    from pyopenvba import ExcelFile

    with ExcelFile(TEMPLATE) as book:
        stored = {name: book.get_module(name).replace("\r\n", "\n") for name in (VBA_UDF_MODULE, VBA_RIBBON_MODULE)}
    for name, text in stored.items():
        assert text == (GENERATED / f"{name}.bas").read_text(encoding="ascii"), f"{name}; {REGENERATE}"


def test_generated_vba_is_ascii_within_vba_line_limits():
    for name, text in generated_modules().items():
        text.encode("ascii")    # the VBA project stores code in code page 1252
        assert max(map(len, text.splitlines())) < 1024, name


def test_one_wrapper_per_formula_function_with_its_parameters():
    found = {u.name: u for u in udf_signatures(Path(udfs.__file__).read_text(encoding="utf-8"))}
    assert sorted(found) == sorted(udfs.__all__)
    for name, udf in found.items():
        params = inspect.signature(getattr(udfs, name)).parameters.values()
        assert [(a.name, a.optional) for a in udf.args] == [(p.name, p.default is not p.empty) for p in params]
        assert udf.call_in_wizard is False and udf.volatile is False   # as decorated in udfs.py
    vba = udf_wrapper_vba()
    assert vba.count("\nFunction ") == len(found)
    assert 'XLPy.CallUDF("refund_xl.udfs", "REFUND_TABLE", Array(rows, headers, settings, now, ' in vba


def test_wrappers_are_what_xlwings_import_functions_writes_where_xlwings_udfs_imports():
    """Where xlwings' own generator imports (Windows: pywin32), its output and ours agree."""
    xl_udfs = pytest.importorskip("xlwings.udfs", reason="xlwings.udfs needs pywin32 (Windows only)")
    out = io.StringIO()
    xl_udfs.generate_vba_wrapper(layout.UDF_MODULE, udfs, out, types.SimpleNamespace(Name=layout.DEFAULT_OUT))
    head = udf_wrapper_vba().split("\n", 3)
    assert head[3] == out.getvalue()


# ------------------------------------------------ the wrapper generator's shape

SOURCE = '''
import xlwings as xw

CATEGORY = "demo"

@xw.func(category=CATEGORY)
@xw.arg("rows", ndim=2, doc="rows")
def PLAIN(rows, show="label"):
    return rows

@xw.func(call_in_wizard=False, volatile=True)
@xw.arg("book", vba="ThisWorkbook.Name")
def AT_NOW(caller, book, n=1):
    return n

def helper(x):
    return x
'''


def test_generator_reads_the_decorators_options():
    assert udf_signatures(SOURCE) == [
        Udf("AT_NOW", (UdfArg("caller", vba="Nothing"), UdfArg("book", vba="ThisWorkbook.Name"),
                       UdfArg("n", optional=True)), call_in_wizard=False, volatile=True),
        Udf("PLAIN", (UdfArg("rows"), UdfArg("show", optional=True))),
    ]


def test_generator_writes_the_xlwings_wrapper_shape():
    vba = udf_wrapper_vba("demo.mod", SOURCE)
    plain = vba.split("Function PLAIN(", 1)[1]
    assert plain.startswith("rows, Optional show)\n")
    assert "CommandBars" not in plain and "Application.Volatile" not in plain       # call_in_wizard defaults to True
    assert ('PLAIN = XLPy.CallUDF("demo.mod", "PLAIN", Array(rows, show), ThisWorkbook, Application.Caller)'
            in plain)
    at_now = vba.split("Function AT_NOW(", 1)[1].split("End Function", 1)[0]
    assert at_now.startswith("Optional n)\n")                 # caller and vba= arguments are not parameters
    assert "Then Exit Function\n    Application.Volatile\n" in at_now
    assert "Array(Nothing, ThisWorkbook.Name, n)" in at_now
    assert "\nfailed:\n    AT_NOW = Err.Description\n" in at_now
    assert "helper" not in vba


@pytest.mark.parametrize("bad", [
    "@xw.func\ndef F(*rows):\n    pass\n",
    "@xw.sub\ndef F(a):\n    pass\n",
    "@xw.func\ndef F(a, *, b=1):\n    pass\n",
    "WIZ = False\n@xw.func(call_in_wizard=WIZ)\ndef F(a):\n    pass\n",
    '@xw.func\n@xw.arg("nope", vba="1")\ndef F(a):\n    pass\n',
])
def test_generator_refuses_what_it_would_have_to_guess(bad):
    with pytest.raises(ValueError):
        udf_signatures("import xlwings as xw\n" + bad)


# --------------------------------------------------------- the VBA project

def test_new_sheets_modules_are_declared_as_documents():
    """The sheets' modules must be Document= in the PROJECT stream, or Excel does not tie them to their sheets."""
    import olefile

    with zipfile.ZipFile(TEMPLATE) as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    project = ole.openstream("PROJECT").read().decode("latin-1").splitlines()
    declared = {line.split("=", 1)[1].split("/", 1)[0]: line.split("=", 1)[0] for line in project
                if line.split("=", 1)[0] in ("Document", "Module", "Class")}
    for code in ("ThisWorkbook", "Sheet1", "Sheet2", "Sheet3", "Sheet4", "Sheet5", "Sheet6"):
        assert declared.get(code) == "Document", code
    assert declared[VBA_UDF_MODULE] == declared[VBA_RIBBON_MODULE] == "Module"


# ------------------------------------------------------------- the base

def test_base_step_alone_gives_our_sheets_over_the_quickstarts_vba(tmp_path):
    import openpyxl
    from pyopenvba import ExcelFile

    from refund_xl._template.base import base_workbook, write_workbook

    stage = tmp_path / "stage.xlsm"
    write_workbook(stage, {"Interpreter_Win": r"D:\py\pythonw.exe"}, calc_on_open=True)
    wb = openpyxl.load_workbook(stage, keep_vba=True)
    assert wb.sheetnames == list(layout.SHEETS)
    codes = {ws.title: ws.sheet_properties.codeName for ws in wb.worksheets}
    assert [codes[title] for title, _code in layout.NEW_SHEET_CODE_NAMES] == \
        [code for _title, code in layout.NEW_SHEET_CODE_NAMES]
    assert wb[layout.SHEET_CONF]["B1"].value == r"D:\py\pythonw.exe" and wb.calculation.fullCalcOnLoad
    assert wb.defined_names[layout.ROWS_NAME].attr_text == layout.rows_name_formula()
    with ExcelFile(stage) as staged, ExcelFile(base_workbook()) as base:   # the VBA step has not run yet
        assert staged.module_names() == base.module_names()


# ---------------------------------------------------------------- sheets

def _written(writer, *args) -> object:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    writer(*((wb, ws) if writer is sheets.write_settings else (ws,)), *args)
    return ws


def _cells(ws, rows: int, cols: int) -> list[list[object]]:
    return [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=rows, max_col=cols)]


def test_each_sheets_content_is_what_its_writer_writes():
    """What the cached results are computed from is what the sheets hold."""
    assert _cells(_written(sheets.write_settings), layout.SETTINGS_LAST_ROW, 4)[:layout.NOW_ROW] == \
        sheets.settings_table()[:layout.NOW_ROW]
    templates = sheets.templates_rows()
    assert _cells(_written(sheets.write_templates), len(templates), 3) == templates
    assert _cells(_written(sheets.write_columns), layout.COLUMNS_LAST_ROW, 2) == sheets.columns_rows()
    assert _cells(_written(sheets.write_values), layout.VALUES_LAST_ROW, 3) == sheets.values_rows()


def test_sheets_content_reads_back_through_the_products_readers():
    assert settings.from_table(sheets.settings_table()) == settings.DEFAULTS
    mapping = fields.parse_mapping_table(sheets.columns_rows())
    assert mapping == {h: k for h, k, _note in sheets.COLUMNS_EXAMPLES}
    assert sheets.values_rows()[0] == ["字段", "原值", "标准值"]


# --------------------------------------------------------- xlwings.conf

def test_conf_block_is_contiguous_and_takes_the_interpreter():
    python = r"C:\Users\王芳\AppData\Local\Programs\Python\Python311\pythonw.exe"
    ws = _written(write_conf, {"Interpreter_Win": python})
    block = []
    for r in range(1, ws.max_row + 1):      # xlwings reads A1 down to the first blank
        if ws[f"A{r}"].value in (None, ""):
            break
        block.append((ws[f"A{r}"].value, ws[f"B{r}"].value))
    assert block == conf_rows({"Interpreter_Win": python})
    assert dict(block)["Interpreter_Win"] == python and dict(block)["UDF Modules"] == "refund_xl.udfs"
    assert len(block) == len(CONF_ENTRIES) and all(note for _k, _v, note in CONF_ENTRIES)


# ------------------------------------------------------------- zip pass

SHEET_XML = ('<worksheet><dimension ref="A1:BJ3"/><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c>'
             '<c r="BJ1" s="4"><f t="array" ref="BJ1:BQ3">REFUND_TABLE(tracking_rows,A1&lt;&gt;"")</f><v/></c>'
             '<c r="BK1" s="4"/></row>'
             '<row r="2"><c r="A2" t="s"><v>1</v></c></row><row r="3"/></sheetData></worksheet>')


def test_result_block_becomes_a_dynamic_array_with_its_cached_values():
    cached = [[f"H{i}" for i in range(8)], ["退货退款", "R1", "正常", "已超时", -3.5, "高客单", True, "话术"],
              ["仅退款", "R2", None, None, 12.0, "低客单", False, ""]]
    xml = patch_result_block(SHEET_XML, cached)
    assert ('<c r="BJ1" s="4" cm="1" t="str"><f t="array" ref="BJ1:BQ3">'
            'REFUND_TABLE(tracking_rows,A1&lt;&gt;"")</f><v>H0</v></c>') in xml
    assert '<c r="BK1" s="4" t="str"><v>H1</v></c>' in xml
    assert '<c r="BN2"><v>-3.5</v></c>' in xml and '<c r="BP2" t="b"><v>1</v></c>' in xml
    assert '<row r="3"><c r="BJ3" t="str"><v>仅退款</v></c>' in xml
    assert '<dimension ref="A1:BQ3"/>' in xml
    with pytest.raises(RuntimeError):
        patch_result_block(SHEET_XML, cached + [cached[1]])      # a result row with no sheet row


def test_relationships_and_ribbon_are_added_once():
    rels = ('<Relationships><Relationship Id="rId1" Type="t/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId3" Type="t/core" Target="docProps/core.xml"/></Relationships>')
    once = add_relationship(rels, "t/x", "x.xml")
    assert '<Relationship Id="rId4" Type="t/x" Target="x.xml"/></Relationships>' in once
    assert add_relationship(once, "t/x", "x.xml") == once
    parts = {"_rels/.rels": rels.encode()}
    add_ribbon(parts)
    add_ribbon(parts)
    assert parts["_rels/.rels"].decode().count(RIBBON_REL_TYPE) == 1
    assert parts[RIBBON_PART].startswith(b"<")
    assert "RefundText" in ribbon_vba()


def test_package_is_written_in_a_fixed_order_and_time(tmp_path):
    parts = {"xl/b.xml": b"b", "_rels/.rels": b"r", "[Content_Types].xml": b"c", "docProps/a.xml": b"a"}
    write_parts(parts, tmp_path / "one.xlsm")
    write_parts(dict(reversed(parts.items())), tmp_path / "two.xlsm")
    assert (tmp_path / "one.xlsm").read_bytes() == (tmp_path / "two.xlsm").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.xlsm") as z:
        assert [i.filename for i in z.infolist()] == ["[Content_Types].xml", "_rels/.rels", "docProps/a.xml",
                                                      "xl/b.xml"]
        assert {i.date_time for i in z.infolist()} == {ZIP_TIME}
    assert read_parts(tmp_path / "one.xlsm") == parts
    assert not (tmp_path / "one.xlsm.tmp").exists()


def test_sheet_part_follows_the_workbook_relationships():
    parts = read_parts(TEMPLATE)
    found = [sheet_part(parts, name) for name in layout.SHEETS]
    assert len(set(found)) == len(found) and all(p in parts for p in found)
    assert [b"REFUND_TABLE" in parts[p] for p in found] == [True] + [False] * (len(found) - 1)  # 售后登记's
    with pytest.raises(KeyError):
        sheet_part(parts, "Sheet1")


# ------------------------------------------------------------- the package

def test_importing_the_package_loads_no_host_library():
    code = ("import sys, refund_xl._template, refund_xl._template.vba, refund_xl._template.base; "
            "print(','.join(m for m in ('xlwings', 'openpyxl', 'pyopenvba', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
