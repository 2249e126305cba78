"""workbook_template.xlsm, checked without Excel (contract §8).

The committed template must equal a fresh build; its ribbon, VBA, formulas,
names, drop-downs and xlwings.conf sheet must hang together; olevba must read
its VBA project; LibreOffice must open and render it; and a stand-in calc
engine (`formulas`) evaluating its formula cells, with the package's functions
registered, must give what calling the functions directly gives.

If the first test fails after a change to the rules, reply templates, settings
or formula functions, rebuild the template:  refund-xl template
(or: python -m refund_xl._template) and commit workbook_template.xlsm.
"""

from __future__ import annotations

import importlib
import inspect
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from refund_xl import _template as tb
from refund_xl._template.base import base_workbook
from refund_xl._template.layout import SRC
from refund_xl._template.package import METADATA_REL_TYPE, ZIP_TIME, sheet_part
from refund_xl._template.ribbon import RIBBON_PART, RIBBON_REL_TYPE, VBA_RIBBON_MODULE
from refund_xl._template.vba import VBA_UDF_MODULE, udf_wrapper_vba

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "workbook_template.xlsm"
CUI = "{http://schemas.microsoft.com/office/2009/07/customui}"
REBUILD = "rebuild it: `refund-xl template` (or `python -m refund_xl._template`) and commit workbook_template.xlsm"


@pytest.fixture(scope="module")
def parts() -> dict[str, bytes]:
    assert TEMPLATE.is_file(), f"workbook_template.xlsm is missing at the repo root; {REBUILD}"
    with zipfile.ZipFile(TEMPLATE) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture(scope="module")
def vba_modules() -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(TEMPLATE))
    try:
        assert parser.detect_vba_macros(), "olevba finds no VBA project in the template"
        return {name.rsplit(".", 1)[0]: code for (_f, _s, name, code) in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def book():
    import openpyxl

    return openpyxl.load_workbook(TEMPLATE, keep_vba=True)


def _procedures(code: str) -> dict[str, str]:
    """VBA Sub/Function name → its parameter list text."""
    return {m.group(2): m.group(3) for m in
            re.finditer(r"^\s*(?:Public\s+|Private\s+)?(Sub|Function)\s+(\w+)\s*\(([^)]*)\)", code, re.M | re.I)}


# ------------------------------------------------------------ reproducible

def test_committed_template_equals_a_fresh_build(tmp_path, parts):
    fresh = tb.build(tmp_path / "fresh.xlsm")
    with zipfile.ZipFile(fresh) as z:
        new = {n: z.read(n) for n in z.namelist()}
    assert sorted(new) == sorted(parts), f"parts differ: {sorted(set(new) ^ set(parts))}; {REBUILD}"
    changed = [n for n in new if new[n] != parts[n]]
    assert not changed, f"parts differ from a fresh build: {changed}; {REBUILD}"


def test_two_builds_are_byte_identical(tmp_path):
    a = tb.build(tmp_path / "a.xlsm").read_bytes()
    b = tb.build(tmp_path / "b.xlsm").read_bytes()
    assert a == b


def test_zip_layout_is_fixed(parts):
    with zipfile.ZipFile(TEMPLATE) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {ZIP_TIME}


def test_base_is_xlwings_standalone_quickstart():
    base = base_workbook()
    assert base.name == "quickstart_standalone.xlsm" and base.parent.name == "xlwings"


# --------------------------------------------------------- ribbon and VBA

def _ribbon(parts) -> ET.Element:
    rels = ET.fromstring(parts["_rels/.rels"])
    targets = {r.get("Target").lstrip("/"): r.get("Type") for r in rels}
    assert targets.get(RIBBON_PART) == RIBBON_REL_TYPE, "ribbon relationship missing from _rels/.rels"
    return ET.fromstring(parts[RIBBON_PART])


def test_ribbon_tab_and_buttons(parts):
    ui = _ribbon(parts)
    tabs = ui.findall(f".//{CUI}tab")
    assert [t.get("label") for t in tabs] == ["售后助手"]
    labels = {b.get("label"): b.get("onAction") for b in ui.iter(f"{CUI}button")}
    assert labels == {
        "每日批处理": "daily_batch",
        "生成拦截登记": "intercept_register",
        "生成回复话术": "reply_scripts",
        "刷新判定": "refresh_results",
        "查询物流": "track_logistics",
        "设置": "goto_settings",
        "导入函数": "import_functions",
        "导入平台导出": "import_exports",
        "检查表头": "check_headers",
        "归档": "archive_cases",
    }


def test_every_ribbon_action_has_a_vba_sub(parts, vba_modules):
    ui = _ribbon(parts)
    actions = {b.get("onAction") for b in ui.iter() if b.get("onAction")}
    subs = {}
    for code in vba_modules.values():
        subs.update(_procedures(code))
    for action in sorted(actions):
        name = action.split(".")[-1]
        assert name in subs, f"ribbon onAction {action!r} has no VBA Sub"
        assert re.fullmatch(r"\s*control\s+As\s+IRibbonControl\s*", subs[name], re.I), \
            f"Sub {name} must take (control As IRibbonControl), has ({subs[name]})"


def test_special_buttons_call_xlwings_and_the_settings_sheet(vba_modules):
    code = vba_modules[VBA_RIBBON_MODULE]
    body = code.split("Sub import_functions", 1)[1].split("End Sub", 1)[0]
    assert re.search(r"^\s*ImportPythonUDFs\s*$", body, re.M)
    assert "Sub ImportPythonUDFs" in vba_modules["xlwings"]
    body = code.split("Sub goto_settings", 1)[1].split("End Sub", 1)[0]
    chrw = "".join(chr(int(h, 16)) for h in re.findall(r"ChrW\(&H([0-9A-F]+)\)", body.split("\n")[1]))
    assert chrw == tb.SHEET_SETTINGS


def _runpython_targets(vba_modules) -> list[tuple[str, str]]:
    found = []
    for name, code in vba_modules.items():
        if name == "xlwings":      # the runtime's own comments show `RunPython "import bar; bar.foo()"`
            continue
        for m in re.finditer(r'RunPython\s+"import\s+([\w.]+);\s*([\w.]+)\.(\w+)\(\)"', code):
            assert m.group(1) == m.group(2), f"RunPython imports {m.group(1)} but calls {m.group(2)}"
            found.append((m.group(1), m.group(3)))
    return found


def test_runpython_targets_are_the_macros_module(vba_modules):
    assert sorted(_runpython_targets(vba_modules)) == [
        ("refund_xl.macros", "archive_cases"),
        ("refund_xl.macros", "check_headers"),
        ("refund_xl.macros", "daily_batch"),
        ("refund_xl.macros", "import_exports"),
        ("refund_xl.macros", "intercept_register"),
        ("refund_xl.macros", "refresh_results"),
        ("refund_xl.macros", "reply_scripts"),
        ("refund_xl.macros", "track_logistics"),
    ]


def test_every_runpython_target_exists(vba_modules):
    for module_name, func in _runpython_targets(vba_modules):
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            pytest.fail(f"the ribbon calls {module_name}.{func}() but {module_name} cannot be imported: {exc}")
        target = getattr(module, func, None)
        assert callable(target), f"the ribbon calls {module_name}.{func}(), which does not exist"
        required = [p for p in inspect.signature(target).parameters.values()
                    if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        assert not required, f"{module_name}.{func} is called with no arguments but requires {required}"


def test_olevba_reads_the_project_and_xlwings_module_is_intact(vba_modules):
    import xlwings

    expected = {"ThisWorkbook", "Sheet1", "Sheet2", "Sheet3", "Sheet4", "Sheet5", "Sheet6", "xlwings", "Dictionary",
                VBA_UDF_MODULE, VBA_RIBBON_MODULE}
    assert set(vba_modules) == expected

    def lines(text: str) -> list[str]:
        return [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")
                if ln.strip() and not ln.startswith("Attribute VB_")]

    shipped = (Path(xlwings.__file__).parent / "xlwings.bas").read_text(encoding="utf-8", errors="replace")
    assert lines(vba_modules["xlwings"]) == lines(shipped), "the embedded xlwings VBA module differs from xlwings.bas"
    assert f"'Version: {xlwings.__version__}" in vba_modules["xlwings"]


def test_udf_wrappers_are_what_import_functions_generates(vba_modules):
    from refund_xl import udfs

    generated = udf_wrapper_vba()
    stored = vba_modules[VBA_UDF_MODULE]

    def lines(text: str) -> list[str]:
        return [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")
                if ln.strip() and not ln.startswith("Attribute VB_")]

    assert lines(stored) == lines(generated)
    procs = _procedures(stored)
    for name in udfs.__all__:
        assert name in procs, f"no VBA wrapper for {name}"
        params = [p.strip().split()[-1] for p in procs[name].split(",")]
        assert params == list(inspect.signature(getattr(udfs, name)).parameters), name
        assert f'XLPy.CallUDF("{tb.UDF_MODULE}", "{name}"' in stored


def test_vba_sources_are_ascii():
    # The VBA project stores code in code page 1252: no Chinese in VBA source.
    (SRC / f"{VBA_RIBBON_MODULE}.bas").read_bytes().decode("ascii")
    udf_wrapper_vba().encode("ascii")


# ------------------------------------------------------ sheets and formulas

def test_sheets(book):
    assert book.sheetnames == list(tb.SHEETS)
    assert book.active.title == tb.SHEET_TRACKING


_FUNC = re.compile(r"([A-Z][A-Z0-9_.]*)\(")


def _split_args(text: str) -> list[str]:
    """Top-level arguments of the first call in ``text`` (after its '(')."""
    depth, cur, out, quoted = 0, "", [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if not quoted and ch == "(":
            depth += 1
            if depth == 1:
                continue
        if not quoted and ch == ")":
            depth -= 1
            if depth == 0:
                out.append(cur)
                break
        if not quoted and ch == "," and depth == 1:
            out.append(cur)
            cur = ""
            continue
        if depth >= 1:
            cur += ch
    return [a.strip() for a in out]


def _formula_cells(book) -> dict[str, str]:
    ws = book[tb.SHEET_TRACKING]
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f":      # formulas only; "=..." customer text is data_type "s"
                cells[c.coordinate] = getattr(c.value, "text", c.value)
    return cells


def test_result_block_is_one_refund_table_formula(book):
    from openpyxl.worksheet.formula import ArrayFormula

    from refund_xl import udfs
    from refund_xl._app import table

    ws = book[tb.SHEET_TRACKING]
    cells = _formula_cells(book)
    assert list(cells) == [tb.FORMULA_CELL]
    cell = ws[tb.FORMULA_CELL].value
    assert isinstance(cell, ArrayFormula)
    last = tb.formula_col(table.WIDTH - 1)
    data_rows = sum(1 for (v,) in ws.iter_rows(min_row=2, max_col=1, values_only=True) if v is not None)
    assert cell.ref == f"{tb.FORMULA_CELL}:{last}{data_rows + 1}"
    args = _split_args(cell.text.split("REFUND_TABLE", 1)[1])
    params = list(inspect.signature(udfs.REFUND_TABLE).parameters)
    assert params[:7] == ["rows", "headers", "settings", "now", "templates", "columns", "values"]
    assert args == [tb.ROWS_NAME, tb.HEADERS_RANGE, tb.SETTINGS_RANGE, tb.NOW_CELL, tb.TEMPLATES_RANGE,
                    tb.COLUMNS_RANGE, tb.VALUES_RANGE]


def test_result_block_starts_right_of_a_60_column_data_block():
    assert tb.col_number(tb.DATA_LAST_COL) >= 60
    assert tb.col_number(tb.FIRST_FORMULA_COL) > tb.col_number(tb.DATA_LAST_COL)
    assert tb.HEADERS_RANGE == f"$A$1:${tb.DATA_LAST_COL}$1"


def test_rows_name_grows_with_the_sheet_and_is_not_volatile(book):
    dests = book.defined_names[tb.ROWS_NAME].attr_text
    assert dests == tb.rows_name_formula()
    sheet = f"'{tb.SHEET_TRACKING}'"
    assert dests.startswith(f"{sheet}!$A$1:INDEX({sheet}!${tb.DATA_LAST_COL}:${tb.DATA_LAST_COL},")
    for volatile in ("OFFSET(", "INDIRECT(", "NOW(", "TODAY("):
        assert volatile not in dests.upper()
    # whole columns A and B decide the height: rows pasted, inserted or deleted need no formula edit
    assert f"{sheet}!$A:$A" in dests and f"{sheet}!$B:$B" in dests


def test_formula_cell_is_a_dynamic_array(parts):
    xml = parts[sheet_part(parts, tb.SHEET_TRACKING)].decode("utf-8")
    assert re.search(rf'<c r="{tb.FORMULA_CELL}"[^>]* cm="1"[^>]*><f t="array"', xml)
    assert b"XLDAPR" in parts["xl/metadata.xml"]
    assert METADATA_REL_TYPE in parts["xl/_rels/workbook.xml.rels"].decode()


def test_every_formula_function_exists_with_fitting_arguments(book):
    from refund_xl import udfs

    used = set()
    for ref, text in _formula_cells(book).items():
        for m in _FUNC.finditer(text):
            name = m.group(1)
            if name in ("INDEX", "MAX", "IFERROR", "LOOKUP", "ROW"):
                continue
            used.add(name)
            func = getattr(udfs, name, None)
            assert callable(func), f"{ref} uses {name}, which refund_xl.udfs does not define"
            params = inspect.signature(func).parameters.values()
            required = sum(p.default is p.empty for p in params)
            n = len(_split_args(text[m.start() + len(name):]))
            assert required <= n <= len(params), f"{ref}: {name} called with {n} arguments"
    assert used == {"REFUND_TABLE"}


def test_every_setting_key_has_a_defined_name(book):
    from refund_xl._core.settings import SETTINGS

    ws = book[tb.SHEET_SETTINGS]
    for s in SETTINGS:
        assert s.key in book.defined_names, f"no defined name for setting {s.key}"
        dests = list(book.defined_names[s.key].destinations)
        assert len(dests) == 1
        sheet, ref = dests[0]
        assert sheet == tb.SHEET_SETTINGS
        row = ws[ref.replace("$", "")].row
        assert ws[f"A{row}"].value == s.key and ws[f"B{row}"].value == s.label
        assert ws[ref.replace("$", "")].value == s.default
        assert ws[f"D{row}"].value, f"setting {s.key} has no note"


def test_settings_sheet_reads_as_the_defaults(book):
    from refund_xl._core import settings

    ws = book[tb.SHEET_SETTINGS]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=tb.SETTINGS_LAST_ROW, max_col=4)]
    parsed = settings.from_table(rows)
    assert parsed == settings.DEFAULTS   # the 基准时间 (now) cell is empty = current time
    assert ws[f"A{tb.NOW_ROW}"].value == "now" and ws[f"C{tb.NOW_ROW}"].value is None


def test_settings_have_validation(book):
    ws = book[tb.SHEET_SETTINGS]
    covered = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            covered[str(rng)] = dv
    from refund_xl._core.settings import SETTINGS

    for i, s in enumerate(SETTINGS, start=2):
        if isinstance(s.default, (int, float)):
            assert covered[f"C{i}"].type == "decimal"
        if s.key == "language":
            assert covered[f"C{i}"].type == "list"


def test_enumerated_columns_have_drop_downs(book):
    from refund_xl._core.fields import FIELDS

    ws = book[tb.SHEET_TRACKING]
    headers = {c.value: c.column_letter for c in ws[1] if c.value}
    lists = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            for rng in dv.sqref.ranges:
                lists[str(rng)] = dv.formula1.strip('"').split(",")
    for f in FIELDS:
        if f.choices:
            letter = headers[f.header]
            assert lists.get(f"{letter}2:{letter}{tb.LAST_ROW}") == list(f.choices), f.header


def test_customer_text_stays_inert(book, parts):
    ws = book[tb.SHEET_TRACKING]
    texts = [c.value for row in ws.iter_rows(min_row=2, max_col=tb.DATA_COLS) for c in row
             if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert texts, "the sample has formula-like customer text to prove this"
    xml = parts[sheet_part(parts, tb.SHEET_TRACKING)].decode("utf-8")
    assert "HYPERLINK" not in "".join(re.findall(r"<f[ >].*?</f>", xml))


def test_sample_rows_keep_ids_as_text(book):
    ws = book[tb.SHEET_TRACKING]
    headers = [c.value for c in ws[1]]
    col = headers.index("订单号") + 1
    ids = [ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)]
    ids = [i for i in ids if i is not None]
    assert len(ids) >= 50 and all(isinstance(i, str) for i in ids)
    assert any(i.startswith("0") for i in ids)


def test_templates_sheet(book):
    from refund_xl._core import replies

    ws = book[tb.SHEET_TEMPLATES]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=3)]
    assert rows[: len(replies.templates_table())] == [list(r) for r in replies.templates_table()]


def test_column_mapping_sheet_parses(book):
    from refund_xl._core.fields import FIELDS, parse_mapping_table

    ws = book[tb.SHEET_COLUMNS]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=2)]
    mapping = parse_mapping_table(rows)
    assert mapping and set(mapping.values()) <= {f.key for f in FIELDS}


def test_xlwings_conf_sheet_is_active_and_points_at_the_udfs(book):
    ws = book[tb.SHEET_CONF]           # the name xlwings reads (no leading underscore)
    block = []
    for r in range(1, ws.max_row + 1):  # xlwings reads A1 down to the first blank
        if ws[f"A{r}"].value in (None, ""):
            break
        block.append((ws[f"A{r}"].value, ws[f"B{r}"].value, ws[f"C{r}"].value))
    conf = {k: v for k, v, _n in block}
    assert conf["UDF Modules"] == "refund_xl.udfs"
    assert conf["Interpreter_Win"] in (None, "")
    notes = {k: n for k, _v, n in block}
    assert notes["Interpreter_Win"] and "python" in notes["Interpreter_Win"].lower()


# ------------------------------------------------------------ LibreOffice

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_and_renders_pdf(tmp_path):
    src = tmp_path / "template.xlsm"
    shutil.copyfile(TEMPLATE, src)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=600)
    pdf = tmp_path / "template.pdf"
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 10_000


# ---------------------------------------------------- stand-in calc engine

def _to_python(value):
    """A `formulas` argument → what xlwings would hand the function (2-D lists, None for blanks)."""
    import numpy as np

    raw = getattr(value, "value", value)
    arr = np.asarray(raw, dtype=object)

    def cell(v):
        if isinstance(v, (np.floating, np.integer)):
            v = v.item()
        if isinstance(v, np.str_):
            v = str(v)
        if v is None or type(v).__name__ in ("Token", "_Empty") or str(v) == "empty":
            return None
        return v

    if arr.ndim == 0:
        return cell(arr.item())
    return [[cell(v) for v in row] for row in arr.reshape(arr.shape[0], -1)]


def _scalar(v):
    if isinstance(v, list):
        return v[0][0] if v and v[0] else None
    return v


def _register(functions):
    import numpy as np

    from refund_xl import udfs

    def make(name):
        func = getattr(udfs, name)
        names = list(inspect.signature(func).parameters)

        def wrapper(*args):
            call = []
            for pname, a in zip(names, args):
                v = _to_python(a)
                if pname in ("now", "show"):
                    v = _scalar(v)
                if pname == "now" and isinstance(v, (int, float)) and not isinstance(v, bool):
                    # xlwings hands a date-formatted cell to Python as a datetime
                    v = datetime(1899, 12, 30) + timedelta(days=v)
                call.append(v)
            out = func(*call)
            return np.array([list(r) for r in out], dtype=object)

        return wrapper

    for name in udfs.__all__:
        functions[name] = make(name)


def _used_rows(book) -> list[list[object]]:
    """tracking_rows as Excel resolves it: A1:BH<last row with something in column A or B>."""
    ws = book[tb.SHEET_TRACKING]
    last = max(r for r in range(1, ws.max_row + 1)
               if ws[f"A{r}"].value not in (None, "") or ws[f"B{r}"].value not in (None, ""))
    return [[c.value for c in row] for row in ws[f"A1:{tb.DATA_LAST_COL}{max(last, 2)}"]]


def _direct_results(book, now):
    """Call REFUND_TABLE on the cell values, as the template's formula does: the N×8 block."""
    from refund_xl import udfs

    def rng(sheet, ref):
        ws = book[sheet]
        return [[c.value for c in row] for row in ws[ref.replace("$", "")]]

    rows = _used_rows(book)
    head = rng(tb.SHEET_TRACKING, tb.HEADERS_RANGE)
    settings = rng(tb.SHEET_SETTINGS, tb.SETTINGS_RANGE.split("!")[1])
    templates = rng(tb.SHEET_TEMPLATES, tb.TEMPLATES_RANGE.split("!")[1])
    columns = rng(tb.SHEET_COLUMNS, tb.COLUMNS_RANGE.split("!")[1])
    values = rng(tb.SHEET_VALUES, tb.VALUES_RANGE.split("!")[1])
    return udfs.REFUND_TABLE(rows, head, settings, now, templates, columns, values)


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-9
    return (a if a is not None else "") == (b if b is not None else "")


def _without_stored_spill(src: Path, dst: Path) -> Path:
    """A copy without the spill cells' stored results (all but the formula cell).

    Those cells hold only cached values, no formulas.  The formula evaluated is unchanged.
    """
    letters = "|".join(tb.formula_col(i) for i in range(len(tb.RESULT_COLUMNS)))
    member = re.compile(rf'<c r="(?:{letters})\d+"(?![^>]*cm="1")[^>]*?(?:/>|>.*?</c>)', re.S)
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        part = sheet_part({n: zi.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")},
                              tb.SHEET_TRACKING)
        for n in zi.namelist():
            data = zi.read(n)
            if n == part:
                data = member.sub("", data.decode("utf-8")).encode("utf-8")
            zo.writestr(n, data)
    return dst


@pytest.fixture(scope="module")
def engine_results(tmp_path_factory, book):
    """The template's formula evaluated by `formulas`, with the package's functions registered.

    `formulas` cannot evaluate the defined name's INDEX-to-a-reference, so the
    copy it loads has the name replaced by the range Excel resolves it to
    (checked against the name's own logic in _used_rows).
    """
    formulas = pytest.importorskip("formulas")
    _register(formulas.get_functions())
    src = _without_stored_spill(TEMPLATE, tmp_path_factory.mktemp("engine") / TEMPLATE.name)
    rows = _used_rows(book)
    resolved = f"$A$1:${tb.DATA_LAST_COL}${len(rows)}"
    fixed = src.with_name("resolved_" + src.name)
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as zo:
        for n in zi.namelist():
            data = zi.read(n)
            if n.startswith("xl/worksheets/"):
                data = data.replace(f"REFUND_TABLE({tb.ROWS_NAME},".encode(), f"REFUND_TABLE({resolved},".encode())
            if n == "xl/workbook.xml":
                data = re.sub(rf'<definedName name="{tb.ROWS_NAME}"[^>]*>.*?</definedName>'.encode(), b"", data)
            zo.writestr(n, data)
    model = formulas.ExcelModel().loads(str(fixed)).finish()
    now_ref = f"'[{fixed.name}]{tb.SHEET_SETTINGS}'!{tb.NOW_CELL.split('!')[1].replace('$', '')}"
    serial = (tb.SAMPLE_NOW - datetime(1899, 12, 30)).total_seconds() / 86400
    solution = model.calculate(inputs={now_ref: serial})
    last = tb.formula_col(len(tb.RESULT_COLUMNS) - 1)
    for key, value in solution.items():
        ref = key.split("!")[-1].upper()
        if ref.startswith(f"{tb.FORMULA_CELL}:{last}") and tb.SHEET_TRACKING.upper() in key.upper():
            arr = getattr(value, "value", value)
            return _to_python(arr)
    pytest.fail(f"the engine did not evaluate {tb.FORMULA_CELL}: {[k for k in solution if tb.FORMULA_CELL in k][:3]}")


def test_calc_engine_matches_direct_calls(book, engine_results):
    direct = _direct_results(book, tb.SAMPLE_NOW)
    assert len(engine_results) == len(direct) and len(direct[0]) == len(tb.RESULT_COLUMNS)
    bad = [(r + 1, c, g, w) for r, (grow, wrow) in enumerate(zip(engine_results, direct))
           for c, (g, w) in enumerate(zip(grow, wrow)) if not _same(g, w)]
    assert not bad, f"engine ≠ direct call at (row, col) {bad[:5]}"


def test_stored_results_match_direct_calls(book):
    # The results stored in the file (shown before the first recalculation)
    # are the function's results at SAMPLE_NOW, header row included.
    import openpyxl

    values = openpyxl.load_workbook(TEMPLATE, data_only=True)[tb.SHEET_TRACKING]
    direct = _direct_results(book, tb.SAMPLE_NOW)
    letters = [tb.formula_col(i) for i in range(len(tb.RESULT_COLUMNS))]
    stored = [[values[f"{c}{r}"].value for c in letters] for r in range(1, len(direct) + 1)]
    bad = [(r + 1, s, w) for r, (srow, wrow) in enumerate(zip(stored, direct))
           for s, w in zip(srow, wrow) if not _same(s, w)]
    assert not bad, f"stored ≠ direct call at rows {bad[:5]}"
    assert stored[0][0] == "处理动作" and "2025-06-10 12:00" in stored[0][1]
    assert all(values[f"{c}{len(direct) + 1}"].value is None for c in letters)


def test_per_column_functions_agree_with_the_block(book):
    """REFUND_TABLE renders each column exactly as the one-column functions do."""
    from refund_xl import udfs

    rows = _used_rows(book)
    head = [rows[0]]
    block = _direct_results(book, tb.SAMPLE_NOW)
    settings = [[c.value for c in r] for r in book[tb.SHEET_SETTINGS]["A1:D20"]]
    calls = {
        0: udfs.REFUND_ACTION(rows, head, settings, tb.SAMPLE_NOW, "label"),
        1: udfs.REFUND_ACTION(rows, head, settings, tb.SAMPLE_NOW, "why"),
        2: udfs.STALL_STATUS(rows, head, settings, tb.SAMPLE_NOW),
        3: udfs.DEADLINE_STATUS(rows, head, settings, tb.SAMPLE_NOW),
        4: udfs.HOURS_LEFT(rows, head, settings, tb.SAMPLE_NOW),
        5: udfs.VALUE_TIER(rows, head, settings, tb.SAMPLE_NOW),
        6: udfs.LOSS_RISK(rows, head, settings, tb.SAMPLE_NOW),
        7: udfs.REPLY_SCRIPT(rows, head, None, settings, tb.SAMPLE_NOW),
    }
    for col, column in calls.items():
        got = [r[col] for r in block[1:]]
        want = [r[0] for r in column[1:]]
        assert got == want, (tb.RESULT_COLUMNS[col][0], [(i, g, w) for i, (g, w) in enumerate(zip(got, want)) if g != w][:3])
