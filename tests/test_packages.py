"""Packages other programs wrote, one failure of issue 19 each, run through the command line as it failed.

* Strict OOXML (Excel's "Strict Open XML Spreadsheet") is read, and what is written into it is Strict;
* part names are compared as OPC compares them (``Sheet1.xml`` is ``sheet1.xml``): no second part
  beside the first, hidden data sheets and chart pages never taken for the product's sheets;
* a zip with a bad CRC or header is one line in every command, and a multi-file import skips it;
* packages that declare their ``.rels`` parts one by one (LibreOffice 3.3–4.1) get a content type
  for every new one;
* ``fill`` leaves the staff's own autofilter and its ``_FilterDatabase`` name as they are; an
  output sheet's filter that grows takes its name along;
* XLM macro sheets, dialog sheets and chart pages are accepted;
* backslash zip paths and unknown namespaces: "re-save it in Excel", before anything is written.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from realworld import (CORPUS, EXPORT, NOW, RELS_CT, STRICT_MAIN, STRICT_R, TRANSITIONAL, check_package,
                       content_type, kept_parts, parts, sample_rows, sheets, structural,
                       with_tracking)
from refund_xl import cli
from refund_xl._core.errors import DamagedFileError, InputFileError
from refund_xl._files import files

SPREADSHEET = CORPUS / "poi" / "test-data" / "spreadsheet"
STRICT = [SPREADSHEET / "sample.strict.xlsx", SPREADSHEET / "SampleSS.strict.xlsx",
          CORPUS / "sheetjs" / "sheet_visibility_strict.xlsx", CORPUS / "calamine" / "tests" / "strict_iso_paths.xlsx"]
DAMAGED = [CORPUS / "calamine" / "tests" / "issue252.xlsx",
           SPREADSHEET / "clusterfuzz-testcase-minimized-POIFuzzer-5040805309710336.xlsx",
           SPREADSHEET / "clusterfuzz-testcase-minimized-POIXSSFFuzzer-5265527465181184.xlsx"]
LIBREOFFICE_33 = [CORPUS / "poi" / "test-data" / "openxml4j" / "51444.xlsx", SPREADSHEET / "56295.xlsx",
                  SPREADSHEET / "60384.xlsx", SPREADSHEET / "InlineStrings.xlsx"]
XLM = [SPREADSHEET / "xlmmacro.xlsm", SPREADSHEET / "64420.xlsm", CORPUS / "sheetjs" / "BlankSheetTypes.xlsm"]
CAPITALS = SPREADSHEET / "123233_charts.xlsx"
BACKSLASH = CORPUS / "calamine" / "tests" / "issue_530.xlsx"
BETA = SPREADSHEET / "sample-beta.xlsx"
CASES = len(sample_rows()) - 1


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = cli.main([*args])
    got = capsys.readouterr()
    return rc, got.out, got.err


def one_line(err: str, *needles: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def evaluated(capsys, book: Path, tmp_path: Path) -> int:
    out = tmp_path / "out.csv"
    rc, _o, err = run(capsys, "evaluate", str(book), "--out", str(out), "--now", NOW, "--quiet", "--force")
    assert rc == 0, err
    return len(out.read_text(encoding="utf-8-sig").splitlines()) - 1


# ------------------------------------------------------------------ Strict OOXML

@pytest.mark.parametrize("src", STRICT, ids=lambda p: p.name)
def test_a_strict_workbook_is_read_again(src, tmp_path, capsys):
    """The regression: a tracking sheet saved as Strict Open XML was '找不到售后登记表'."""
    book = tmp_path / "严格.xlsx"
    with_tracking(src, book)
    assert STRICT_MAIN.encode() in parts(book)["xl/workbook.xml"]
    assert evaluated(capsys, book, tmp_path) == CASES


@pytest.mark.parametrize("src", STRICT, ids=lambda p: p.name)
def test_what_is_written_into_a_strict_workbook_is_strict(src, tmp_path, capsys):
    book = tmp_path / "严格.xlsx"
    with_tracking(src, book)
    before = parts(book)
    for command in (["batch", str(book), "--now", NOW, "--quiet"], ["fill", str(book), "--now", NOW],
                    ["import", str(EXPORT), "--into", str(book), "--now", NOW]):
        rc, _o, err = run(capsys, *command)
        assert rc == 0, (command, err)
    after = parts(book)
    check_package(after, before)  # no transitional namespace in any part written
    new_sheets = [(n, t, p) for n, t, p in sheets(after) if n not in {s[0] for s in sheets(before)}]
    assert {n for n, _t, _p in new_sheets} >= {"拦截登记", "回复话术", "今日概览", "运行日志"}
    for _n, type_, part in new_sheets:
        assert type_ == STRICT_R + "/worksheet"
        xml = after[part].decode("utf-8")
        assert f'xmlns="{STRICT_MAIN}"' in xml and f'xmlns:r="{STRICT_R}"' in xml
    for ns in TRANSITIONAL:  # nothing transitional anywhere the product wrote, the workbook part included
        assert ns.encode() not in after["xl/workbook.xml"] and ns.encode() not in after["xl/_rels/workbook.xml.rels"]
    assert evaluated(capsys, book, tmp_path) == CASES + 16  # the taobao export's cases went in too


# ------------------------------------------------------------------ part names are case-insensitive

def test_sheet_parts_named_Sheet1_get_no_second_sheet1_beside_them(tmp_path, capsys):
    """123233_charts.xlsx (POI): a chart page over hidden data sheets, parts ``xl/worksheets/Sheet1.xml`` …"""
    book = tmp_path / "图表.xlsx"
    shutil.copyfile(CAPITALS, book)
    original = parts(book)
    hidden_before = {n: files.read_sheets(book)[n] for n in ("data_Page1_1_1", "data_Page1_1_2")}
    for command in (["import", str(EXPORT), "--into", str(book), "--now", NOW],
                    ["batch", str(book), "--now", NOW, "--quiet"], ["fill", str(book), "--now", NOW]):
        rc, _o, err = run(capsys, *command)
        assert rc == 0, (command, err)
    after = parts(book)
    check_package(after, original)  # no two parts named alike
    assert not kept_parts(original, after, structural(original))  # Sheet1.xml … and the chart, byte for byte
    got = files.read_sheets(book)
    for name, rows in hidden_before.items():  # hidden data sheets read as they did, not as our sheets
        assert got[name] == rows
    assert "订单号" in got["售后登记"][0] and "处理动作" in got["售后登记"][0]
    assert got["拦截登记"][0][0] == "登记时间"
    page = next(p for n, _t, p in sheets(after) if n == "Page1_1")
    assert after[page] == original[page]  # fill wrote nothing into the chart page


def test_a_tracking_sheet_in_a_Sheet1_part_is_filled_there(tmp_path, capsys):
    book = tmp_path / "图表.xlsx"
    sheet = with_tracking(CAPITALS, book)
    before = parts(book)
    for command in (["batch", str(book), "--now", NOW, "--quiet"], ["fill", str(book), "--now", NOW]):
        rc, _o, err = run(capsys, *command)
        assert rc == 0, (command, err)
    after = parts(book)
    check_package(after, before)
    assert "xl/worksheets/Sheet1.xml" in after and "xl/worksheets/sheet1.xml" not in after
    assert "处理动作" in files.read_sheets(book)[sheet][0]
    assert after["xl/worksheets/Sheet2.xml"] == before["xl/worksheets/Sheet2.xml"]


# ------------------------------------------------------------------ damaged zips

@pytest.mark.parametrize("src", DAMAGED, ids=lambda p: p.name[:40])
@pytest.mark.parametrize("command", ["evaluate", "batch", "fill", "import-into", "import-from"])
def test_a_damaged_zip_is_one_line_in_every_command(src, command, tmp_path, capsys):
    book = tmp_path / "坏.xlsx"
    shutil.copyfile(src, book)
    args = {"evaluate": ["evaluate", str(book), "--out", str(tmp_path / "o.xlsx")],
            "batch": ["batch", str(book), "--quiet"], "fill": ["fill", str(book)],
            "import-into": ["import", str(EXPORT), "--into", str(book)],
            "import-from": ["import", str(book), "--into", str(tmp_path / "新.xlsx")]}[command]
    rc, _o, err = run(capsys, *args, "--now", NOW)
    assert rc == 2
    one_line(err, "坏.xlsx", "损坏")
    assert book.read_bytes() == src.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["坏.xlsx"]


def test_a_damaged_export_is_skipped_by_a_multi_file_import(tmp_path, capsys):
    bad = tmp_path / "坏.xlsx"
    shutil.copyfile(DAMAGED[0], bad)
    book = tmp_path / "登记.xlsx"
    rc, out, err = run(capsys, "import", str(bad), str(EXPORT), "--into", str(book), "--now", NOW)
    assert rc == 0, err
    assert "坏.xlsx" in out and "损坏" in out
    assert evaluated(capsys, book, tmp_path) == 16


@pytest.mark.parametrize("src", DAMAGED, ids=lambda p: p.name[:40])
def test_a_damaged_workbook_is_its_own_error_type(src):
    with pytest.raises(DamagedFileError) as got:
        files.read_sheets(src)
    assert isinstance(got.value, InputFileError) and got.value.part


# ------------------------------------------------------------------ .rels declared one by one

@pytest.mark.parametrize("src", LIBREOFFICE_33, ids=lambda p: p.name)
def test_new_rels_parts_get_a_content_type_where_rels_are_declared_one_by_one(src, tmp_path, capsys):
    book = tmp_path / "lo.xlsx"
    with_tracking(src, book)
    before = parts(book)
    assert 'Extension="rels"' not in before["[Content_Types].xml"].decode("utf-8")
    rc, _o, err = run(capsys, "batch", str(book), "--now", NOW, "--quiet")  # 今日概览's chart: new .rels parts
    assert rc == 0, err
    after = parts(book)
    new_rels = [n for n in after if n.endswith(".rels") and n not in before]
    assert new_rels, "the chart of 今日概览 brings relationships parts of its own"
    for n in new_rels:
        assert content_type(after, n) == RELS_CT, n
    check_package(after, before)


# ------------------------------------------------------------------ autofilters

def _desk_book(path: Path, rows: list[list[str]], filter_rows: int) -> None:
    """A tracking sheet whose staff set an autofilter over its first ``filter_rows`` rows (XlsxWriter, like
    Excel, writes the hidden _xlnm._FilterDatabase name with it)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("售后登记")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v:
                ws.write_string(r, c, v)
    ws.autofilter(0, 0, filter_rows - 1, len(rows[0]) - 1)
    wb.close()


def _filter(book: Path, sheet_part: str = "xl/worksheets/sheet1.xml") -> tuple[str, str]:
    """(the sheet's autoFilter ref, the text of its _FilterDatabase name, '' when none)."""
    got = parts(book)
    ref = re.search(r'<autoFilter ref="([^"]+)"', got[sheet_part].decode()).group(1)
    index = [p for _n, _t, p in sheets(got)].index(sheet_part)
    name = re.search(r'<definedName name="_xlnm._FilterDatabase" localSheetId="%d"[^>]*>([^<]+)<' % index,
                     got["xl/workbook.xml"].decode())
    return ref, name.group(1) if name else ""


def _absolute(ref: str) -> str:
    return re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref)


@pytest.mark.parametrize("filter_rows", [5, len(sample_rows())])
def test_fill_leaves_the_staffs_autofilter_and_its_name_as_they_are(tmp_path, capsys, filter_rows):
    book = tmp_path / "筛选.xlsx"
    _desk_book(book, sample_rows(), filter_rows)
    ref, name = _filter(book)
    assert name.endswith(_absolute(ref))
    rc, _o, err = run(capsys, "fill", str(book), "--now", NOW)
    assert rc == 0, err
    assert _filter(book) == (ref, name)
    assert "处理动作" in files.read_sheets(book)["售后登记"][0]


def test_an_output_sheets_filter_that_grows_takes_its_filter_name_along(tmp_path, capsys):
    """拦截登记 with a _FilterDatabase name (Excel adds one when staff filter the sheet): a new case
    appended under its rows grows the filter, and the name says the same range."""
    rows = sample_rows()
    book = tmp_path / "今天.xlsx"
    _desk_book(book, rows, 2)
    rc, _o, err = run(capsys, "batch", str(book), "--now", NOW, "--quiet")
    assert rc == 0, err
    register = next(p for n, _t, p in sheets(parts(book)) if n == "拦截登记")
    ref, name = _filter(book, register)
    assert name == ""
    index = [n for n, _t, _p in sheets(parts(book))].index("拦截登记")
    with zipfile.ZipFile(book) as z:  # Excel's own name for that filter, as it saves it
        data = {i.filename: z.read(i) for i in z.infolist()}
    entry = (f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
             f"拦截登记!{_absolute(ref)}</definedName>")
    wbxml = data["xl/workbook.xml"].decode()
    wbxml = (wbxml.replace("<definedNames>", "<definedNames>" + entry, 1) if "<definedNames>" in wbxml else
             wbxml.replace("</sheets>", "</sheets><definedNames>" + entry + "</definedNames>", 1))
    data["xl/workbook.xml"] = wbxml.encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for n, v in data.items():
            z.writestr(n, v)
    assert _filter(book, register)[1].endswith(_absolute(ref))
    # tomorrow's INPUT has one more case that needs an interception: appended under the register's rows
    more = rows + [["9000000000000000001", "S900", "2025-06-10 08:00", "仅退款", "59", "标品", "", "已发货", "中通",
                    "ZT9000001", "运输中", "2025-06-10 10:00"] + [""] * (len(rows[0]) - 12)]
    master = tmp_path / "登记.xlsx"
    _desk_book(master, more, 2)
    rc, _o, err = run(capsys, "batch", str(master), "--out", str(book), "--now", NOW, "--quiet")
    assert rc == 0, err
    new_ref, new_name = _filter(book, register)
    last = int(re.search(r"(\d+)$", ref).group(1))
    assert int(re.search(r"(\d+)$", new_ref).group(1)) == last + 1
    assert new_name == "'拦截登记'!" + _absolute(new_ref)


# ------------------------------------------------------------------ XLM macro sheets, dialog sheets, chart pages

@pytest.mark.parametrize("src", XLM, ids=lambda p: p.name)
def test_workbooks_with_xlm_macro_or_dialog_sheets_are_read_and_written(src, tmp_path, capsys):
    book = tmp_path / "宏.xlsm"
    with_tracking(src, book)
    assert evaluated(capsys, book, tmp_path) == CASES
    before = parts(book)
    rc, _o, err = run(capsys, "batch", str(book), "--now", NOW, "--quiet")
    assert rc == 0, err
    after = parts(book)
    check_package(after, before)
    for n in before:  # the macro sheets, dialog sheets, VBA project: as they were
        if "macrosheets/" in n or "dialogsheets/" in n or "chartsheets/" in n or n.endswith("vbaProject.bin"):
            assert after[n] == before[n], n


def test_a_chart_page_named_like_an_output_sheet_is_never_written(tmp_path, capsys):
    """BlankSheetTypes.xlsm's chart page renamed 今日概览: the overview goes beside it, the page stays."""
    book = tmp_path / "宏.xlsm"
    with_tracking(CORPUS / "sheetjs" / "BlankSheetTypes.xlsm", book)
    with zipfile.ZipFile(book) as z:
        data = {i.filename: z.read(i) for i in z.infolist()}
    data["xl/workbook.xml"] = data["xl/workbook.xml"].replace(b'name="Chart1"', 'name="今日概览"'.encode())
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for n, v in data.items():
            z.writestr(n, v)
    before = parts(book)
    rc, out, err = run(capsys, "batch", str(book), "--now", NOW, "--quiet")
    assert rc == 0, err
    after = parts(book)
    check_package(after, before)
    assert after["xl/chartsheets/sheet1.xml"] == before["xl/chartsheets/sheet1.xml"]
    assert "今日概览（售后助手）" in [n for n, _t, _p in sheets(after)]


# ------------------------------------------------------------------ packages not to write into

@pytest.mark.parametrize("command", ["batch", "fill", "import", "batch-out"])
def test_backslash_zip_paths_say_re_save_in_excel_before_anything_is_written(command, tmp_path, capsys):
    book = tmp_path / "考勤.xlsx"
    shutil.copyfile(BACKSLASH, book)
    args = {"batch": ["batch", str(book), "--quiet"], "fill": ["fill", str(book)],
            "import": ["import", str(EXPORT), "--into", str(book)],
            "batch-out": ["batch", str(book), "--out", str(tmp_path / "今天.xlsx"), "--quiet"]}[command]
    rc, _o, err = run(capsys, *args, "--now", NOW)
    assert rc == 2
    line = one_line(err, "考勤.xlsx", "重新保存")
    assert "不是有效" not in line
    assert book.read_bytes() == BACKSLASH.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["考勤.xlsx"]


def test_a_backslash_package_is_still_read(tmp_path, capsys):
    book = tmp_path / "考勤.xlsx"
    shutil.copyfile(BACKSLASH, book)
    assert list(files.read_sheets(book)) == ["出勤分类组织汇总表"]
    rc, _o, err = run(capsys, "evaluate", str(book), "--out", str(tmp_path / "o.xlsx"), "--now", NOW)
    assert rc == 2 and "找不到售后登记表" in one_line(err)


def test_an_excel_2007_beta_workbook_is_not_written_into(tmp_path, capsys):
    book = tmp_path / "beta.xlsx"
    shutil.copyfile(BETA, book)
    rc, _o, err = run(capsys, "import", str(EXPORT), "--into", str(book), "--now", NOW)
    assert rc == 2 and "另存为" in one_line(err, "beta.xlsx")
    assert book.read_bytes() == BETA.read_bytes()


# ------------------------------------------------------------------ LibreOffice sees what was written

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("src", [STRICT[0], CAPITALS, LIBREOFFICE_33[0]], ids=lambda p: p.name)
def test_libreoffice_opens_what_was_written_with_every_sheet(src, tmp_path, capsys):
    import csv
    import subprocess

    book = tmp_path / "desk.xlsx"
    sheet = with_tracking(src, book)
    for command in (["batch", str(book), "--now", NOW, "--quiet"], ["fill", str(book), "--now", NOW]):
        rc, _o, err = run(capsys, *command)
        assert rc == 0, err
    out = tmp_path / "csv"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(out), str(book)], check=True, capture_output=True, timeout=180)
    shown = {p.stem[len("desk-"):]: list(csv.reader(p.open(encoding="utf-8"))) for p in out.glob("desk-*.csv")}
    mine = files.read_sheets(book)
    assert set(shown) == set(mine)
    assert shown["拦截登记"][0][:3] == ["登记时间", "订单号", "售后单号"]
    assert len(shown["拦截登记"]) == len(mine["拦截登记"])
    assert shown[sheet][0][:2] == ["订单号", "售后单号"] and "处理动作" in shown[sheet][0]


def test_an_entry_name_twice_in_the_zip_is_written_once(tmp_path, capsys):
    import warnings

    book = tmp_path / "重复.xlsx"
    with_tracking(CORPUS / "xlsxwriter" / "xlsxwriter" / "test" / "comparison" / "xlsx_files" / "comment01.xlsx",
                  book)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        with zipfile.ZipFile(book, "a") as z:
            z.writestr("docProps/app.xml", z.read("docProps/app.xml"))
    rc, _o, err = run(capsys, "batch", str(book), "--now", NOW, "--quiet")
    assert rc == 0, err
    with zipfile.ZipFile(book) as z:
        names = [i.filename for i in z.infolist()]
    assert len(names) == len(set(names))
    check_package(parts(book))


@pytest.mark.parametrize("filter_rows, grows", [(5, False), (len(sample_rows()), True)])
def test_rows_an_import_appends_grow_a_filter_over_the_whole_table_and_its_name(tmp_path, capsys, filter_rows,
                                                                                 grows):
    book = tmp_path / "登记.xlsx"
    _desk_book(book, sample_rows(), filter_rows)
    ref, name = _filter(book)
    rc, _o, err = run(capsys, "import", str(EXPORT), "--into", str(book), "--now", NOW)
    assert rc == 0, err
    new_ref, new_name = _filter(book)
    if grows:
        assert new_ref == ref[:ref.rindex(":") + 2] + str(len(sample_rows()) + 16)
        assert new_name.endswith(_absolute(new_ref))
    else:
        assert (new_ref, new_name) == (ref, name)


def test_a_big_output_sheet_streamed_into_a_strict_workbook_is_strict(tmp_path, capsys):
    """More than 2,000 rows: 回复话术 is written by the streaming writer, in the package's own namespaces."""
    head, *cases = sample_rows()
    rows = [head] + [[f"{9000000000000000000 + i}", f"S{i}", *cases[i % len(cases)][2:]] for i in range(2100)]
    book = tmp_path / "严格.xlsx"
    with_tracking(STRICT[0], book, rows)
    before = parts(book)
    rc, _o, err = run(capsys, "batch", str(book), "--now", NOW, "--quiet")
    assert rc == 0, err
    after = parts(book)
    check_package(after, before)
    replies = next(p for n, _t, p in sheets(after) if n == "回复话术")
    assert after[replies].count(b"<row ") > 2000 and f'xmlns="{STRICT_MAIN}"'.encode() in after[replies][:400]
