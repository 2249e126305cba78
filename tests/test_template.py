"""workbook_template.xlsm, checked without Excel (SPEC §8).

The committed template must equal a fresh build; its ribbon, VBA, formulas,
names, drop-downs and xlwings.conf sheet must hang together; olevba must read
its VBA project; LibreOffice must open and render it; and a stand-in calc
engine (`formulas`) evaluating its formula cells, with the package's functions
registered, must give what calling the functions directly gives.

If the first test fails after a change to the rules, reply templates, settings
or formula functions, rebuild the template:  refund-xl template
(or: python -m refund_xl.template_build) and commit workbook_template.xlsm.
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

from refund_xl import template_build as tb

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "workbook_template.xlsm"
CUI = "{http://schemas.microsoft.com/office/2009/07/customui}"
REBUILD = "rebuild it: `refund-xl template` (or `python -m refund_xl.template_build`) and commit workbook_template.xlsm"


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
    assert {i.date_time for i in infos} == {tb.ZIP_TIME}


def test_base_is_xlwings_standalone_quickstart():
    base = tb.base_workbook()
    assert base.name == "quickstart_standalone.xlsm" and base.parent.name == "xlwings"


# --------------------------------------------------------- ribbon and VBA

def _ribbon(parts) -> ET.Element:
    rels = ET.fromstring(parts["_rels/.rels"])
    targets = {r.get("Target").lstrip("/"): r.get("Type") for r in rels}
    assert targets.get(tb.RIBBON_PART) == tb.RIBBON_REL_TYPE, "ribbon relationship missing from _rels/.rels"
    return ET.fromstring(parts[tb.RIBBON_PART])


def test_ribbon_tab_and_buttons(parts):
    ui = _ribbon(parts)
    tabs = ui.findall(f".//{CUI}tab")
    assert [t.get("label") for t in tabs] == ["售后助手"]
    labels = {b.get("label"): b.get("onAction") for b in ui.iter(f"{CUI}button")}
    assert labels == {
        "每日批处理": "daily_batch",
        "生成拦截登记": "intercept_register",
        "生成回复话术": "reply_scripts",
        "查询物流": "track_logistics",
        "设置": "goto_settings",
        "导入函数": "import_functions",
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
    code = vba_modules[tb.VBA_RIBBON_MODULE]
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
        ("refund_xl.macros", "daily_batch"),
        ("refund_xl.macros", "intercept_register"),
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

    expected = {"ThisWorkbook", "Sheet1", "Sheet2", "Sheet3", "Sheet4", "Sheet5", "xlwings", "Dictionary",
                tb.VBA_UDF_MODULE, tb.VBA_RIBBON_MODULE}
    assert set(vba_modules) == expected

    def lines(text: str) -> list[str]:
        return [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")
                if ln.strip() and not ln.startswith("Attribute VB_")]

    shipped = (Path(xlwings.__file__).parent / "xlwings.bas").read_text(encoding="utf-8", errors="replace")
    assert lines(vba_modules["xlwings"]) == lines(shipped), "the embedded xlwings VBA module differs from xlwings.bas"
    assert f"'Version: {xlwings.__version__}" in vba_modules["xlwings"]


def test_udf_wrappers_are_what_import_functions_generates(vba_modules):
    from refund_xl import udfs

    generated = tb.udf_wrapper_vba()
    stored = vba_modules[tb.VBA_UDF_MODULE]

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
    (tb.SRC / f"{tb.VBA_RIBBON_MODULE}.bas").read_bytes().decode("ascii")
    tb.udf_wrapper_vba().encode("ascii")


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


def test_formula_columns_are_whole_range_array_formulas(book):
    from openpyxl.worksheet.formula import ArrayFormula

    ws = book[tb.SHEET_TRACKING]
    cells = _formula_cells(book)
    assert sorted(cells) == sorted(f"{tb.formula_col(i)}2" for i in range(len(tb.FORMULA_COLUMNS)))
    for i, (header, func, _extra, _doc) in enumerate(tb.FORMULA_COLUMNS):
        letter = tb.formula_col(i)
        assert ws[f"{letter}1"].value == header
        cell = ws[f"{letter}2"].value
        assert isinstance(cell, ArrayFormula) and cell.ref == f"{letter}2:{letter}{tb.LAST_ROW}"
        args = _split_args(cell.text.split(func, 1)[1])
        assert args[0] == tb.ROWS_RANGE and args[1] == tb.HEADERS_RANGE


def test_formulas_read_the_column_mapping_sheet(book):
    # The 列名映射 range is the last argument of every formula, so a team's own
    # headers mapped there are found by the formula columns too.
    from refund_xl import udfs

    assert tb.COLUMNS_RANGE.startswith(f"'{tb.SHEET_COLUMNS}'!$A$1:$B$")
    cells = _formula_cells(book)
    for i, (_header, func, _extra, _doc) in enumerate(tb.FORMULA_COLUMNS):
        text = cells[f"{tb.formula_col(i)}2"]
        args = _split_args(text.split(func, 1)[1])
        params = list(inspect.signature(getattr(udfs, func)).parameters)
        assert len(args) == len(params) and params[-1] == "columns", text
        assert args[-1] == tb.COLUMNS_RANGE, text


def test_formula_cells_are_dynamic_arrays(parts):
    xml = parts[tb._sheet_part(parts, tb.SHEET_TRACKING)].decode("utf-8")
    for i in range(len(tb.FORMULA_COLUMNS)):
        assert re.search(rf'<c r="{tb.formula_col(i)}2" cm="1"[^>]*><f t="array"', xml)
    assert b"XLDAPR" in parts["xl/metadata.xml"]
    assert tb.METADATA_REL_TYPE in parts["xl/_rels/workbook.xml.rels"].decode()


def test_every_formula_function_exists_with_fitting_arguments(book):
    from refund_xl import udfs

    used = set()
    for ref, text in _formula_cells(book).items():
        for m in _FUNC.finditer(text):
            name = m.group(1)
            used.add(name)
            func = getattr(udfs, name, None)
            assert callable(func), f"{ref} uses {name}, which refund_xl.udfs does not define"
            params = inspect.signature(func).parameters.values()
            required = sum(p.default is p.empty for p in params)
            n = len(_split_args(text[m.start() + len(name):]))
            assert required <= n <= len(params), f"{ref}: {name} called with {n} arguments"
    assert used == {f for _h, f, _e, _d in tb.FORMULA_COLUMNS}


def test_every_setting_key_has_a_defined_name(book):
    from refund_xl.settings import SETTINGS

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
    from refund_xl import settings

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
    from refund_xl.settings import SETTINGS

    for i, s in enumerate(SETTINGS, start=2):
        if isinstance(s.default, (int, float)):
            assert covered[f"C{i}"].type == "decimal"
        if s.key == "language":
            assert covered[f"C{i}"].type == "list"


def test_enumerated_columns_have_drop_downs(book):
    from refund_xl.fields import FIELDS

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
    xml = parts[tb._sheet_part(parts, tb.SHEET_TRACKING)].decode("utf-8")
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
    from refund_xl import replies

    ws = book[tb.SHEET_TEMPLATES]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=3)]
    assert rows[: len(replies.templates_table())] == [list(r) for r in replies.templates_table()]


def test_column_mapping_sheet_parses(book):
    from refund_xl.fields import FIELDS, parse_mapping_table

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
            return np.array([[r[0]] for r in out], dtype=object)

        return wrapper

    for name in udfs.__all__:
        functions[name] = make(name)


def _direct_results(book, now):
    """Call each formula column's function on the cell values, as the formula does."""
    from refund_xl import udfs

    def rng(sheet, ref):
        ws = book[sheet]
        return [[c.value for c in row] for row in ws[ref.replace("$", "")]]

    rows = rng(tb.SHEET_TRACKING, tb.ROWS_RANGE)
    head = rng(tb.SHEET_TRACKING, tb.HEADERS_RANGE)
    settings = rng(tb.SHEET_SETTINGS, tb.SETTINGS_RANGE.split("!")[1])
    templates = rng(tb.SHEET_TEMPLATES, tb.TEMPLATES_RANGE.split("!")[1])
    columns = rng(tb.SHEET_COLUMNS, tb.COLUMNS_RANGE.split("!")[1])
    extra = {"S": settings, "N": now, "T": templates, "C": columns}
    out = []
    for _h, func, args, _d in tb.FORMULA_COLUMNS:
        call = [rows, head] + [extra[a] if a in extra else a.strip('"') for a in args]
        out.append([r[0] for r in getattr(udfs, func)(*call)])
    return out


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-9
    return (a if a is not None else "") == (b if b is not None else "")


def _without_stored_spill(src: Path, dst: Path) -> Path:
    """A copy without the spill cells' stored results (rows 3.. of the formula columns).

    Those cells hold only cached values, no formulas; `formulas` spends ~90 s
    loading 40,000 of them.  The formulas evaluated are unchanged.
    """
    letters = "|".join(tb.formula_col(i) for i in range(len(tb.FORMULA_COLUMNS)))
    member = re.compile(rf'<c r="(?:{letters})(?:[3-9]|[1-9]\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
    part = None
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        names = zi.namelist()
        part = tb._sheet_part({n: zi.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")},
                              tb.SHEET_TRACKING)
        for n in names:
            data = zi.read(n)
            if n == part:
                xml = member.sub("", data.decode("utf-8"))
                xml = re.sub(r'<row r="\d+"[^>]*>\s*</row>', "", xml)
                data = xml.encode("utf-8")
            zo.writestr(n, data)
    return dst


@pytest.fixture(scope="module")
def engine_results(tmp_path_factory):
    formulas = pytest.importorskip("formulas")
    _register(formulas.get_functions())
    src = _without_stored_spill(TEMPLATE, tmp_path_factory.mktemp("engine") / TEMPLATE.name)
    model = formulas.ExcelModel().loads(str(src)).finish()
    now_ref = f"'[{TEMPLATE.name}]{tb.SHEET_SETTINGS}'!{tb.NOW_CELL.split('!')[1].replace('$', '')}"
    serial = (tb.SAMPLE_NOW - datetime(1899, 12, 30)).total_seconds() / 86400
    solution = model.calculate(inputs={now_ref: serial})
    results = {}
    for key, value in solution.items():
        ref = key.split("!")[-1].upper()
        sheet = key.split("]")[-1].split("'!")[0].strip("'").upper()
        if sheet != tb.SHEET_TRACKING.upper():
            continue
        for i in range(len(tb.FORMULA_COLUMNS)):
            letter = tb.formula_col(i)
            if ref == f"{letter}2:{letter}{tb.LAST_ROW}":
                results[i] = [_to_python(v) for v in getattr(value, "value", value).ravel()]
    return results


def test_calc_engine_matches_direct_calls(book, engine_results):
    direct = _direct_results(book, tb.SAMPLE_NOW)
    assert sorted(engine_results) == list(range(len(tb.FORMULA_COLUMNS))), "the engine did not evaluate every column"
    for i, (header, *_rest) in enumerate(tb.FORMULA_COLUMNS):
        got, want = engine_results[i], direct[i]
        assert len(got) == len(want) == tb.DATA_ROWS
        bad = [(r + 2, g, w) for r, (g, w) in enumerate(zip(got, want)) if not _same(g, w)]
        assert not bad, f"{header}: engine ≠ direct call at rows {bad[:5]}"


def test_stored_results_match_direct_calls(book):
    # The results stored in the file (shown before the first recalculation)
    # are the functions' results at SAMPLE_NOW.
    import openpyxl

    values = openpyxl.load_workbook(TEMPLATE, data_only=True)[tb.SHEET_TRACKING]
    direct = _direct_results(book, tb.SAMPLE_NOW)
    for i, (header, *_rest) in enumerate(tb.FORMULA_COLUMNS):
        letter = tb.formula_col(i)
        stored = [values[f"{letter}{r}"].value for r in range(2, tb.LAST_ROW + 1)]
        bad = [(r + 2, s, w) for r, (s, w) in enumerate(zip(stored, direct[i])) if not _same(s, w)]
        assert not bad, f"{header}: stored ≠ direct call at rows {bad[:5]}"
    assert any(v not in (None, "") for v in direct[0])


def test_blank_rows_give_empty_results(book):
    direct = _direct_results(book, tb.SAMPLE_NOW)
    ws = book[tb.SHEET_TRACKING]
    last = max(r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value is not None)
    for col in direct:
        assert all(v == "" for v in col[last - 1:]), "blank rows must give empty results"
