"""Intake at scale (issue 23; contract §7 import): several exports of one platform at once, a broken one
among them, the return courier kept, rows that are no case, the layout of the sheet import creates.

The files are the import corpus of tests/data/exports (make_import_exports.py, README.md).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from refund_xl._app import intake
from refund_xl._files import files
from refund_xl._files.xlsxpatch import col_letter
from refund_xl.cli import main

from import_helpers import EXPORTS, corpus

NOW = "2025-06-10T12:00"
mi = corpus()


def _copy_parts(folder: Path) -> list[Path]:
    """The three parts of one PDD day, downloaded one after the other (part 3 last)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n, name in enumerate(mi.PDD_FILES):
        path = Path(shutil.copy(EXPORTS / name, folder / name))
        os.utime(path, (1_749_500_000 + n * 60, 1_749_500_000 + n * 60))
        out.append(path)
    return out


def _book(path: Path):
    rows = files.read_sheets(path)["售后登记"]
    return rows[0], rows[1:]


def test_the_corpus_generator_rebuilds_the_committed_files(tmp_path):
    assert mi.main(tmp_path) == list(mi.FILES)
    readme = (EXPORTS / "README.md").read_text(encoding="utf-8")
    for name in mi.FILES:
        assert name in readme, f"{name} is not documented in tests/data/exports/README.md"
        if name.endswith(".csv"):
            assert (tmp_path / name).read_bytes() == (EXPORTS / name).read_bytes(), name
        else:
            assert files.read_sheets(tmp_path / name) == files.read_sheets(EXPORTS / name), name
    raw = [(EXPORTS / n).read_bytes() for n in mi.PDD_FILES]
    assert raw[0].startswith(b"\xef\xbb\xbf") and not raw[1].startswith(b"\xef\xbb\xbf")
    raw[1].decode("gbk")  # part 2 is GBK
    assert "温馨提示".encode("utf-8") in raw[0][:300] and "温馨提示".encode("utf-8") in raw[2][-300:]


def test_one_day_in_three_files_is_one_row_per_case_every_merge_reported(tmp_path, capsys):
    parts = _copy_parts(tmp_path / "d1")
    book = tmp_path / "book.xlsx"
    # given in any order: the files' times decide which is newer
    assert main(["import", str(parts[2]), str(parts[0]), str(parts[1]), "--into", str(book), "--now", NOW]) == 0
    out = capsys.readouterr().out
    head, rows = _book(book)
    c = head.index("售后单号")
    assert len(rows) == mi.EXPECT["pdd_cases"] and len({r[c] for r in rows}) == len(rows)
    assert f"合并 {mi.EXPECT['pdd_repeats']} 行" in out
    merges = [line for line in out.splitlines() if "合并为一行" in line]
    assert len(merges) == mi.EXPECT["pdd_repeats"]
    newer = mi.pdd_case(mi.PDD_NEWER)[mi.mx.PDD_HEADERS.index("售后编号")]
    assert [line for line in merges if newer in line and "售后状态 处理中→已退款" in line]
    state = {r[c]: r[head.index("售后状态")] for r in rows}
    assert state[newer] == "已退款"  # part 3 is the newest file
    assert "表头上方的提示行 1" in out and "提示/说明行（不是售后单） 1" in out and "空行 1" in out
    assert "温馨提示" not in "".join(str(v) for r in rows for v in r)
    log = files.read_sheets(book)["运行日志"]
    line = dict(zip(log[0], log[-1]))
    assert f"合并 {mi.EXPECT['pdd_repeats']} 行" in line["导入结果"]
    assert all(p.name in line["读取情况"] for p in parts)


def test_the_return_courier_is_kept_beside_the_return_waybill(tmp_path):
    book = tmp_path / "book.xlsx"
    assert main(["import", *map(str, _copy_parts(tmp_path / "d1")), "--into", str(book), "--now", NOW]) == 0
    head, rows = _book(book)
    assert head.index("退货快递公司") == head.index("退货物流单号") + 1
    back = [(r[head.index("退货物流单号")], r[head.index("退货快递公司")]) for r in rows if r[head.index("退货物流单号")]]
    assert back and all(company in mi.RETURN_CARRIERS for _n, company in back)
    # what track reads (the field return_carrier, found by header like every field): the return courier
    from refund_xl._core import fields

    assert fields.resolve(head).index["return_carrier"] == head.index("退货快递公司")


def _broken_copy(src: Path, dst: Path) -> Path:
    """``src`` (an .xlsx) with one byte of its sheet's compressed data flipped: a bad CRC / deflate stream."""
    data = bytearray(src.read_bytes())
    z = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = next(i for i in z.infolist() if i.filename.startswith("xl/worksheets/"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    dst.write_bytes(bytes(data))
    return dst


@pytest.mark.parametrize("damage", ["crc", "truncated", "csv_bytes"])
def test_a_broken_file_among_several_is_skipped_with_one_line(tmp_path, capsys, damage):
    parts = _copy_parts(tmp_path / "d1")
    if damage == "crc":
        bad = _broken_copy(EXPORTS / mi.JD_FILE, tmp_path / "京东服务单_0610.xlsx")
    elif damage == "truncated":
        data = (EXPORTS / mi.JD_FILE).read_bytes()
        bad = tmp_path / "京东服务单_0610.xlsx"
        bad.write_bytes(data[: len(data) // 2])
    else:  # a CSV that goes wrong half-way: its first rows must not be imported either
        raw = (EXPORTS / mi.WDT_FILE).read_bytes()
        bad = tmp_path / "旺店通_0610.csv"
        bad.write_bytes(raw[: len(raw) // 2] + b"\x00\xff\xfe\x00" * 8 + raw[len(raw) // 2:])
    book = tmp_path / "book.xlsx"
    assert main(["import", str(parts[0]), str(bad), str(parts[1]), "--into", str(book), "--now", NOW]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    lines = [line for line in captured.out.splitlines() if bad.name in line and "整个文件" in line]
    assert len(lines) == 1 and re.search(r"[\u4e00-\u9fff]", lines[0]) and "Error" not in lines[0], captured.out
    head, rows = _book(book)
    c = head.index("售后单号")
    assert len(rows) == 47  # parts 1 and 2 (rows 0–46), the broken file: nothing of it
    assert not any(str(r[head.index("平台")]) in ("京东", "旺店通") for r in rows)
    assert c is not None
    # all broken: exit 2, one line, nothing written
    fresh = tmp_path / "fresh.xlsx"
    assert main(["import", str(bad), "--into", str(fresh), "--now", NOW]) == 2
    err = capsys.readouterr().err
    assert err.startswith("refund-xl: 没有可导入的导出文件") and len(err.strip().splitlines()) == 1
    assert not fresh.exists()


def test_rows_that_are_no_case_never_become_tracking_rows():
    """The family of non-case rows, anywhere in an export: notices (top, bottom, between), totals, blanks."""
    header = mi.mx.PDD_HEADERS
    case = mi.pdd_case(0)
    notices = [[mi.mx.PDD_NOTICE], ["温馨提示：以上数据仅供参考"], ["注：金额单位为元"], [None, "提示：请在 48 小时内处理"]]
    totals = [["合计", None, None, None, None, None, None, None, None, None, None, None, "1,234.00"], [None, "总计"]]
    rows = [notices[0], list(header), case, [], totals[0], notices[1], [None] * len(header), mi.pdd_case(1),
            notices[2], totals[1], notices[3], []]
    read = intake.read_export("pdd.csv", rows)
    assert len(read.cases) == 2
    reasons = [s.reason for s in read.skipped]
    assert reasons.count("表头上方的提示行") == 1
    assert reasons.count("合计/说明行（不是售后单）") == 2
    assert reasons.count("提示/说明行（不是售后单）") == 3
    assert reasons.count("空行") == 2  # blank rows between cases; the blank line at the very end is no row
    plan = intake.plan_merge(intake.new_sheet_headers(), [], [read])
    assert len(plan.appended) == 2 and plan.counts["skipped"] == len(read.skipped)


def test_the_sheet_import_creates_is_laid_out_like_the_templates(tmp_path):
    """Issue 20: times and 19-digit ids shown whole (no ###), ids as text, a bold header frozen with the ids."""
    book = tmp_path / "book.xlsx"
    assert main(["import", str(EXPORTS / "taobao_export.csv"), "--into", str(book), "--now", NOW]) == 0
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
        sheet = next(n for n in names if n.startswith("xl/worksheets/sheet"))
        xml = z.read(sheet).decode("utf-8")
        styles = z.read("xl/styles.xml").decode("utf-8")
    head = files.read_sheets(book)["售后登记"][0]
    widths = {int(m.group(1)) - 1: float(m.group(3)) for m in
              re.finditer(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"', xml)}
    for h in ("申请时间", "超时时间", "物流更新时间", "拦截时间"):
        assert widths[head.index(h)] >= len("2025-06-10 12:00") + 1, h  # yyyy-mm-dd hh:mm needs 16
    for h in ("订单号", "售后单号", "物流单号", "退货物流单号"):
        assert widths[head.index(h)] >= 21, h  # 19 digits and a margin
    rows = files.read_sheets(book)["售后登记"]
    o = head.index("订单号")
    assert all(isinstance(r[o], str) and len(r[o]) == 19 for r in rows[1:])  # text, all 19 digits
    assert re.search(r'<c r="B2" t="inlineStr"', xml)  # an id cell is a text cell
    pane = re.search(r'<pane xSplit="(\d+)" ySplit="(\d+)"', xml)
    assert pane and int(pane.group(2)) == 1 and int(pane.group(1)) == head.index("售后单号") + 1
    assert "<autoFilter" in xml
    # the header row carries the product's header style: bold, the template's fill (DDEBF7)
    first = re.search(r'<c r="A1"[^>]* s="(\d+)"', xml)
    xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", styles.split("<cellXfs")[1], re.S)
    xf = xfs[int(first.group(1))]
    fill = int(re.search(r'fillId="(\d+)"', xf).group(1))
    font = int(re.search(r'fontId="(\d+)"', xf).group(1))
    fills = re.findall(r"<fill>.*?</fill>", styles, re.S)
    fonts = re.findall(r"<font>.*?</font>|<font/>", styles, re.S)
    assert "DDEBF7" in fills[fill] and "<b/>" in fonts[font]
    # the dates are date cells with a date format
    date_cell = re.search(r'<c r="{}2" s="(\d+)"><v>'.format(col_letter(head.index("申请时间") + 1)), xml)
    assert date_cell, "申请时间 is a date cell"
    assert 'formatCode="yyyy-mm-dd hh:mm"' in styles


def _sheet_part(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("where", ["template", "trailing_rows"])
def test_appended_cases_are_written_as_cell_by_cell_edits_would_write_them(tmp_path, where):
    """The streamed append (sheet_append) gives the very bytes of the cell-by-cell path; when the sheet has
    rows below the first new one (a desk's styled empty rows) it is the cell-by-cell path."""
    from refund_xl._files.filebook import open_book

    src = Path(__file__).resolve().parents[1] / "workbook_template.xlsm"
    a, b = tmp_path / "a.xlsm", tmp_path / "b.xlsm"
    shutil.copy(src, a)
    if where == "trailing_rows":
        with open_book(a, backup=False) as book:
            book.set_cells("售后登记", {(400, 0): "x"})
        with open_book(a, backup=False) as book:
            book.set_cells("售后登记", {(400, 0): None})  # row 401 stays in the part, empty
    shutil.copy(a, b)
    rows = [[f"T{i:05d}", f"C{i}", None, "仅退款", 59.0 + i, "标品", None, "已发货",
             "中通", f"7523{i:010d}", "运输中", mi.mx.NOW] for i in range(2500)]
    with open_book(a, backup=False) as book:
        at = len(book.rows("售后登记"))
        book.write_block("售后登记", at, rows)
    with open_book(b, backup=False) as book:
        book.set_cells("售后登记", {(at + k, c): v for k, row in enumerate(rows) for c, v in enumerate(row)
                                  if v is not None})
    assert _sheet_part(a) == _sheet_part(b)
    got = files.read_sheets(a)["售后登记"]
    assert got[at][0] == "T00000" and got[at + 2499][0] == "T02499"


def test_a_damaged_book_is_one_line_and_left_as_it_was(tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    assert main(["import", str(EXPORTS / mi.PDD_FILES[0]), "--into", str(good), "--now", NOW]) == 0
    book = _broken_copy(good, tmp_path / "book.xlsx")
    before = book.read_bytes()
    capsys.readouterr()
    assert main(["import", str(EXPORTS / mi.PDD_FILES[1]), "--into", str(book), "--now", NOW]) == 2
    err = capsys.readouterr().err
    assert err.startswith("refund-xl: 无法读取 book.xlsx") and len(err.strip().splitlines()) == 1
    assert book.read_bytes() == before and not list(tmp_path.glob("book.bak-*"))
