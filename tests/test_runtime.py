"""The embedded xlwings runtime is pinned (contract §8 "Runtime pinned").

The template's VBA module loads ``xlwings64-<version>.dll`` by name; any other
xlwings on the PC gives "Could not load xlwings64-<version>.dll" in every
formula cell.  So: pyproject pins exactly that version, the installed xlwings
is that version, and the ribbon checks the DLL before calling Python.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from refund_xl._template import runtime
from refund_xl import _template as tb
from refund_xl._template.ribbon import VBA_RIBBON_MODULE, ribbon_vba

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "workbook_template.xlsm"


@pytest.fixture(scope="module")
def vba_modules() -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(TEMPLATE))
    try:
        return {name.rsplit(".", 1)[0]: code for (_f, _s, name, code) in parser.extract_macros()}
    finally:
        parser.close()


def _pinned_xlwings() -> str:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [d for d in deps if re.match(r"xlwings\b", d)]
    assert len(pins) == 1, pins
    m = re.fullmatch(r"xlwings\s*==\s*([\w.]+)", pins[0].strip())
    assert m, f"xlwings must be pinned exactly (==), found {pins[0]!r}"
    return m.group(1)


def test_pin_equals_the_runtime_the_template_loads(vba_modules):
    import xlwings

    code = vba_modules["xlwings"]
    embedded = runtime.runtime_version(code)
    dlls = set(re.findall(r'Lib "(xlwings(?:64|32)-[\d.]+\.dll)"', code))
    assert dlls == {runtime.dll_name(64, embedded), runtime.dll_name(32, embedded)}
    assert _pinned_xlwings() == embedded == runtime.XLWINGS_PIN == xlwings.__version__, (
        f"pyproject pins {_pinned_xlwings()}, the template's VBA loads {embedded}, "
        f"runtime.XLWINGS_PIN is {runtime.XLWINGS_PIN}, installed xlwings is {xlwings.__version__}")


def _body(code: str, sub: str) -> str:
    return code.split(f"Sub {sub}(", 1)[1].split("End Sub", 1)[0]


def test_every_python_button_checks_the_runtime_first(vba_modules):
    code = vba_modules[VBA_RIBBON_MODULE]
    for sub in ("daily_batch", "intercept_register", "reply_scripts", "import_functions", "refresh_results"):
        lines = [ln.strip() for ln in _body(code, sub).splitlines()[1:] if ln.strip() and not ln.strip().startswith("'")]
        first_call = next(i for i, ln in enumerate(lines)
                          if re.search(r"RunPython|ImportPythonUDFs|CalculateFull", ln))
        check = [i for i, ln in enumerate(lines) if ln == "If Not RuntimeReady() Then Exit Sub"]
        assert check and check[0] < first_call, f"{sub} calls Python before RuntimeReady"


def test_runtime_check_looks_for_this_runtimes_dll(vba_modules):
    code = vba_modules[VBA_RIBBON_MODULE]
    assert '"xlwings64-" & XLWINGS_VERSION & ".dll"' in code
    assert '"xlwings32-" & XLWINGS_VERSION & ".dll"' in code
    assert 'GetConfig("INTERPRETER_WIN"' in code
    # the fix it prints is the pinned pip command
    assert '-m pip install xlwings==" & _' in code and "XLWINGS_VERSION" in code


def _decode_vba_text(code: str) -> dict[str, str]:
    """RefundText's Select Case → {key: text}, evaluating its ChrW/"..." pieces."""
    body = code.split("Public Function RefundText", 1)[1].split("End Function", 1)[0]
    out, key = {}, None
    for line in body.splitlines():
        line = line.strip()
        m = re.fullmatch(r'Case "(\w+)"', line)
        if m:
            key = m.group(1)
            out[key] = ""
        elif key and line.startswith("s = s & "):
            for piece in re.findall(r'ChrW\(&H([0-9A-F]+)\)|"([^"]*)"', line[len("s = s & "):]):
                out[key] += chr(int(piece[0], 16)) if piece[0] else piece[1]
    return out


def test_ribbon_messages_are_the_chinese_texts(vba_modules):
    code = vba_modules[VBA_RIBBON_MODULE]
    texts = _decode_vba_text(code)
    assert texts == runtime.RIBBON_TEXTS
    used = set(re.findall(r'RefundText\("(\w+)"\)', code))
    assert used <= set(texts) and {"dll_missing", "no_interpreter"} <= used
    assert "pip install" not in texts["dll_missing"]   # the command itself is built from XLWINGS_VERSION


def test_vba_lines_stay_within_vba_limits():
    code = ribbon_vba()
    assert max(map(len, code.splitlines())) < 1000
    code.encode("ascii")


def test_workbook_folder_is_not_added_to_pythonpath():
    import openpyxl

    ws = openpyxl.load_workbook(TEMPLATE, keep_vba=True)[tb.SHEET_CONF]
    conf = {}
    for r in range(1, ws.max_row + 1):      # xlwings reads A1 down to the first blank
        if ws[f"A{r}"].value in (None, ""):
            break
        conf[str(ws[f"A{r}"].value).upper()] = ws[f"B{r}"].value
    assert conf["ADD_WORKBOOK_TO_PYTHONPATH"] is False


def test_refresh_is_pythons_decision(vba_modules):
    """刷新判定 calls Python, which decides by live_rows (tests/test_refresh.py); the formula it re-enters
    is the template's own and fits FormulaArray (at most 255 characters) on Excel 2016/2019."""
    code = vba_modules[VBA_RIBBON_MODULE]
    body = _body(code, "refresh_results")
    assert "RuntimeReady()" in body and 'RunPython "import refund_xl.macros; refund_xl.macros.refresh_results()"' in body
    assert len(tb.formula_text()) < 255