"""refund_xl._files.xlsxpatch on its own: packages from other writers (OpenXML SDK prefixes,
LibreOffice), cells edited in place without disturbing their neighbours."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from refund_xl._files import filebook
from refund_xl._files.xlsxpatch import (KEEP, Book, Package, SheetSpec, _Styles, edit_sheet_xml, excel_serial,
                                 patch_workbook)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NOW = datetime(2025, 6, 10, 12, 0)


def _book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(["订单号", "售后类型", "退款金额", "合计"])
    ws.append(["100001", "仅退款", 59, "=C2*2"])
    ws.append(["100002", "退货退款", 88, "=C3*2"])
    wb.save(path)
    return path


def _prefix_everything(path: Path) -> None:
    """workbook.xml, styles.xml and the sheets written with an x: prefix, as the OpenXML SDK does."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for name in list(parts):
        if name in ("xl/workbook.xml", "xl/styles.xml") or name.startswith("xl/worksheets/sheet"):
            xml = parts[name].decode("utf-8")
            xml = xml.replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"')
            xml = re.sub(r"<(/?)(?![?!])(?!\w+:)(\w+)", r"<\1x:\2", xml)
            parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def test_excel_serial_in_both_date_systems():
    assert excel_serial(NOW) == 45818.5
    assert excel_serial(NOW, date1904=True) == 45818.5 - 1462


def test_edit_sheet_xml_touches_only_the_named_cells():
    xml = (f'<worksheet xmlns="{MAIN}"><dimension ref="A1:C2"/><sheetData>'
           '<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" s="7"><v>1</v></c>'
           '<c r="C1"><f t="shared" ref="C1:C2" si="0">A1*2</f><v>2</v></c></row>'
           '<row r="2"><c r="C2"><f t="shared" si="0"/><v>4</v></c></row></sheetData></worksheet>').encode()
    st = _Styles(header=9, date=10, wrap=11, dates_ok=True)
    out, old_last, last = edit_sheet_xml(xml, {(0, 1): ("新值", None), (3, 0): (NOW, None), (0, 0): (KEEP, 9)}, st)
    text = out.decode()
    assert (old_last, last) == (2, 4)
    assert '<c r="B1" t="inlineStr" s="7"><is><t>新值</t></is></c>' in text  # the desk's style 7 kept
    assert '<f t="shared" ref="C1:C2" si="0">A1*2</f>' in text and '<f t="shared" si="0"/>' in text
    assert '<c r="A1" t="s" s="9"><v>0</v></c>' in text  # style only: value untouched
    assert f'<row r="4"><c r="A4" s="10"><v>{excel_serial(NOW)!r}</v></c></row>' in text
    assert 'spans=' not in text.split('<row r="2">')[0]  # the stale hint dropped where the row changed
    assert '<dimension ref="A1:C4"/>' in text


def test_edit_sheet_xml_with_a_prefix_and_without_r_attributes():
    xml = (f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c>'
           '</x:row><x:row><x:c><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>').encode()
    out, _o, _l = edit_sheet_xml(xml, {(0, 1): ("二", None), (1, 2): (5, None)}, _Styles())
    text = out.decode()
    assert '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>二</x:t></x:is></x:c>' \
           in text
    assert '<x:c r="A2"><x:v>3</x:v></x:c><x:c r="C2"><x:v>5</x:v></x:c>' in text
    root = ElementTree.fromstring(out)  # still well-formed XML
    assert root.tag == f"{{{MAIN}}}worksheet"


def test_a_fully_prefixed_package_gets_its_sheet_registered(tmp_path):
    src = _book(tmp_path / "sdk.xlsx")
    _prefix_everything(src)
    out = tmp_path / "out.xlsx"
    patch_workbook(src, out, [SheetSpec("拦截登记", [["订单号", "登记时间"], ["100001", NOW]], bold_rows={0})])
    wb_xml = zipfile.ZipFile(out).read("xl/workbook.xml").decode()
    assert '<x:sheet name="拦截登记"' in wb_xml
    styles = zipfile.ZipFile(out).read("xl/styles.xml").decode()
    assert "<x:numFmt " in styles and "<numFmt " not in styles  # added in the part's own prefix
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["售后登记", "拦截登记"]
    assert wb["拦截登记"]["B2"].value == NOW and wb["拦截登记"]["A1"].font.b


def test_cells_of_a_prefixed_sheet_are_edited_through_the_book(tmp_path):
    src = _book(tmp_path / "sdk.xlsx")
    _prefix_everything(src)
    with filebook.open_book(src) as book:
        assert book.rows("售后登记")[1][:3] == ["100001", "仅退款", 59.0]
        book.set_cells("售后登记", {(1, 4): "已拦截", (3, 0): "100003"})
    wb = openpyxl.load_workbook(src)
    ws = wb["售后登记"]
    assert ws["E2"].value == "已拦截" and ws["A4"].value == "100003" and ws["D2"].value == "=C2*2"


def test_rerun_of_patch_reuses_styles_instead_of_piling_them_up(tmp_path):
    src = _book(tmp_path / "a.xlsx")
    spec = SheetSpec("运行日志", [["运行时间"], [NOW]], bold_rows={0})
    patch_workbook(src, tmp_path / "b.xlsx", [spec])
    patch_workbook(tmp_path / "b.xlsx", tmp_path / "c.xlsx", [spec])
    count = lambda p: zipfile.ZipFile(p).read("xl/styles.xml").count(b"<xf ")  # noqa: E731
    assert count(tmp_path / "b.xlsx") == count(tmp_path / "c.xlsx")


def test_package_keeps_parts_it_does_not_know(tmp_path):
    src = _book(tmp_path / "a.xlsx")
    with zipfile.ZipFile(src, "a") as z:
        z.writestr("customXml/item1.xml", b"<desk>ours</desk>")
    out = tmp_path / "b.xlsx"
    patch_workbook(src, out, [SheetSpec("新表", [["x"]])])
    assert zipfile.ZipFile(out).read("customXml/item1.xml") == b"<desk>ours</desk>"
    before = {n: zipfile.ZipFile(src).read(n) for n in zipfile.ZipFile(src).namelist()}
    after = zipfile.ZipFile(out)
    for name in ("xl/worksheets/sheet1.xml", "docProps/core.xml"):
        assert after.read(name) == before[name]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_libreoffice_saved_package_is_patched_and_reopened_by_libreoffice(tmp_path):
    made = _book(tmp_path / "made.xlsx")
    lo = tmp_path / "lo"
    lo.mkdir()
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    subprocess.run(["soffice", "--headless", profile, "--convert-to", "xlsx", "--outdir", str(lo), str(made)],
                   check=True, capture_output=True, timeout=180)
    saved = lo / "made.xlsx"
    assert b"LibreOffice" in zipfile.ZipFile(saved).read("docProps/app.xml")
    with filebook.open_book(saved) as book:
        book.set_cells("售后登记", {(2, 4): "跟进中"})
        book.put_sheet(SheetSpec("运行日志", [["运行时间", "售后单数"], [NOW, 2]], bold_rows={0}))
    wb = openpyxl.load_workbook(saved)
    assert wb["售后登记"]["E3"].value == "跟进中" and wb["运行日志"]["A2"].value == NOW
    back = tmp_path / "back"
    back.mkdir()
    subprocess.run(["soffice", "--headless", profile, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(back), str(saved)],
                   check=True, capture_output=True, timeout=180)
    assert "跟进中" in (back / "made.csv").read_text(encoding="utf-8", errors="replace")


def test_book_reads_the_date_system_and_sheet_parts(tmp_path):
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.active.title = "售后登记"
    buf = io.BytesIO()
    wb.save(buf)
    book = Book(Package(buf.getvalue()))
    assert book.date1904 is True and list(book.sheet_parts) == ["售后登记"]


def test_cells_appended_after_the_last_cell_and_between_cells():
    xml = (f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1" spans="1:2"><x:c r="A1"><x:v>1</x:v></x:c>'
           '<x:c r="C1"><x:f>A1*2</x:f><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>').encode()
    appended, _o, _l = edit_sheet_xml(xml, {(0, 3): ("甲", None), (0, 4): (7, None)}, _Styles())
    assert ('<x:c r="C1"><x:f>A1*2</x:f><x:v>2</x:v></x:c><x:c r="D1" t="inlineStr"><x:is><x:t>甲</x:t></x:is>'
            '</x:c><x:c r="E1"><x:v>7</x:v></x:c></x:row>') in appended.decode()
    between, _o, _l = edit_sheet_xml(xml, {(0, 1): ("乙", None), (0, 5): (8, None)}, _Styles())
    text = between.decode()
    assert text.index('r="A1"') < text.index('r="B1"') < text.index('r="C1"') < text.index('r="F1"')
    assert "<x:f>A1*2</x:f>" in text and "spans" not in text
