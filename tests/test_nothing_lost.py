"""contract §7 "Where output goes" and §9 "Nothing lost", tried as a busy desk works:
staff type into the output sheets between runs (formulas, comments, fills, widths,
validation, an Excel Table), run again the next day, keep a sheet of their own named
like an output sheet, use a Mac (1904) workbook, a symlink, LibreOffice, the OpenXML SDK."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table

from refund_xl import cli
from refund_xl._files import files
from refund_xl._files.workbook import run_batch_file

NOW = datetime(2025, 6, 10, 12, 0)
HEADERS = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号",
           "物流状态", "物流更新时间", "收货地址", "客户反馈"]


def case(order, case_id, amount, carrier, tracking, hours_ago=3):
    return [order, case_id, NOW - timedelta(hours=hours_ago), "仅退款", amount, "已发货", carrier, tracking,
            "运输中", NOW - timedelta(hours=2), "广东省广州市", None]


CASES = [case("4177034256340093436", "S7001", 59.0, "中通", "ZT781234567"),
         case("4177034256340093501", "S7002", 899.0, "圆通", "YT99001122", 5),
         case("4177034256340093777", "S7003", 128.5, "韵达", "YD4455667788", 4)]
NEW_CASE = case("4177034256340094002", "S7004", 66.0, "申通", "ST7766554433", 1)


def tracking_book(path: Path, rows=CASES, epoch1904=False, extra=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    if epoch1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2):
        for c in (row[2], row[9]):
            c.number_format = "yyyy-mm-dd hh:mm"
    for name, table in (extra or {}).items():
        sh = wb.create_sheet(name)
        for r in table:
            sh.append(r)
    wb.save(path)
    return path


def add_case(path: Path, values) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["售后登记"]
    ws.append(values)
    wb.save(path)


def head(ws, row=1):
    return [c.value for c in ws[row]]


def backups(path: Path):
    return sorted(path.parent.glob(f"{path.stem}.bak-*{path.suffix}"))


def staff_work_on_register(path: Path) -> None:
    """What a desk does to 拦截登记 between runs, saved by a real spreadsheet library."""
    wb = openpyxl.load_workbook(path)
    reg = wb["拦截登记"]
    h = head(reg)
    col = {name: h.index(name) + 1 for name in h if name}
    last = reg.max_row
    reg.cell(2, col["拦截状态"], "拦截中")
    reg.cell(2, col["跟进备注"], '=HYPERLINK("https://www.kuaidi100.com/chaxun?nu=ZT781234567","查件")')
    reg.cell(3, col["跟进备注"], "已打电话给网点").comment = Comment("网点说明天回复", "小李")
    reg.cell(3, col["跟进备注"]).fill = PatternFill("solid", fgColor="FFC7CE")
    reg.column_dimensions[openpyxl.utils.get_column_letter(col["跟进备注"])].width = 41
    dv = DataValidation(type="list", formula1='"未拦截,拦截中,拦截成功,拦截失败"', allow_blank=True)
    dv.add(f"{openpyxl.utils.get_column_letter(col['拦截状态'])}2:{openpyxl.utils.get_column_letter(col['拦截状态'])}500")
    reg.add_data_validation(dv)
    reg.auto_filter.ref = None
    end = openpyxl.utils.get_column_letter(len([x for x in h if x]))
    reg.add_table(Table(displayName="拦截表", ref=f"A1:{end}{last}"))
    stats = wb.create_sheet("统计")
    stats["A1"] = "拦截中"
    stats["B1"] = '=COUNTIF(拦截表[拦截状态],"拦截中")'
    wb.save(path)


def test_rerun_in_place_keeps_formulas_comments_fills_widths_validation_and_tables(tmp_path):
    book = tracking_book(tmp_path / "售后登记.xlsx")
    run_batch_file(book, now=NOW, progress=False)
    staff_work_on_register(book)
    add_case(book, NEW_CASE)
    report = run_batch_file(book, now=NOW + timedelta(hours=1), progress=False)
    assert "新增拦截登记 1 条" in report

    wb = openpyxl.load_workbook(book)
    reg = wb["拦截登记"]
    h = head(reg)
    note, state = h.index("跟进备注") + 1, h.index("拦截状态") + 1
    assert reg.cell(2, note).value.startswith("=HYPERLINK(")
    assert reg.cell(2, state).value == "拦截中"
    assert reg.cell(3, note).value == "已打电话给网点"
    assert reg.cell(3, note).comment.text == "网点说明天回复"
    assert reg.cell(3, note).fill.fgColor.rgb.endswith("FFC7CE")
    assert reg.column_dimensions[openpyxl.utils.get_column_letter(note)].width == 41
    assert reg.data_validations.dataValidation and "拦截中" in reg.data_validations.dataValidation[0].formula1
    orders = [reg.cell(r, 2).value for r in range(2, reg.max_row + 1)]
    assert orders.count("4177034256340094002") == 1 and len(orders) == len(set(orders))
    table = reg.tables["拦截表"]
    assert table.ref.endswith(str(reg.max_row))  # the Table grew with the appended case
    assert wb["统计"]["B1"].value == '=COUNTIF(拦截表[拦截状态],"拦截中")'
    log = [r for r in wb["运行日志"].iter_rows(min_row=2, values_only=True) if r[0] is not None]
    assert len(log) == 2
    # the courier is not asked again for the case staff marked 拦截中
    courier = [v for r in wb["快递拦截清单"].iter_rows(values_only=True) for v in r if v]
    assert "ZT781234567" not in courier and "ST7766554433" in courier


def test_a_desk_sheet_named_like_an_output_sheet_is_never_replaced(tmp_path):
    mine = [["本周目标", "退款时效 < 24 小时"], ["负责人", "张敏"]]
    book = tracking_book(tmp_path / "售后登记.xlsx", extra={"今日概览": mine})
    report = run_batch_file(book, now=NOW, progress=False)
    assert "今日概览（售后助手）" in report
    wb = openpyxl.load_workbook(book)
    assert [list(r) for r in wb["今日概览"].iter_rows(values_only=True)] == mine
    assert wb["今日概览（售后助手）"]["A1"].value == "今日概览"
    run_batch_file(book, now=NOW, progress=False)  # the second run finds its own sheet again
    wb = openpyxl.load_workbook(book)
    assert [list(r) for r in wb["今日概览"].iter_rows(values_only=True)] == mine
    assert "今日概览（售后助手）2" not in wb.sheetnames and "今日概览（售后助手2）" not in wb.sheetnames


def test_batch_out_existing_output_is_the_working_copy(tmp_path, capsys):
    src = tracking_book(tmp_path / "售后登记.xlsx")
    out = tmp_path / "今天.xlsx"
    assert cli.main(["batch", str(src), "--out", str(out), "--now", "2025-06-10T12:00", "--quiet"]) == 0
    staff_work_on_register(out)
    add_case(src, NEW_CASE)  # the next day: a new case in the master sheet
    before = out.read_bytes()
    assert cli.main(["batch", str(src), "--out", str(out), "--now", "2025-06-11T09:00", "--quiet"]) == 0
    said = capsys.readouterr().out
    assert "备份" in said and "读自 售后登记.xlsx" in said
    baks = backups(out)
    assert len(baks) == 1 and baks[0].read_bytes() == before
    wb = openpyxl.load_workbook(out)
    reg = wb["拦截登记"]
    h = head(reg)
    assert reg.cell(2, h.index("拦截状态") + 1).value == "拦截中"
    assert reg.cell(2, h.index("跟进备注") + 1).value.startswith("=HYPERLINK(")
    assert "统计" in wb.sheetnames
    courier = [v for r in wb["快递拦截清单"].iter_rows(values_only=True) for v in r if v]
    assert "ZT781234567" not in courier  # not re-sent to the courier
    assert len([r for r in wb["运行日志"].iter_rows(min_row=2, values_only=True) if r[0]]) == 2


def test_1904_workbook_keeps_its_dates_across_reruns(tmp_path):
    book = tracking_book(tmp_path / "mac.xlsx", epoch1904=True)
    for day in range(3):
        run_batch_file(book, now=NOW + timedelta(days=day), progress=False)
    wb = openpyxl.load_workbook(book)
    assert wb.epoch == openpyxl.utils.datetime.CALENDAR_MAC_1904
    reg = wb["拦截登记"]
    h = head(reg)
    assert reg.cell(2, h.index("登记时间") + 1).value == NOW  # not 2029, not 2033
    assert wb["售后登记"]["C2"].value == NOW - timedelta(hours=3)
    assert files.read_sheets(book)["今日概览"][0][2] == NOW + timedelta(days=2)


def test_in_place_batch_through_a_symlink_updates_the_target(tmp_path):
    (tmp_path / "共享盘").mkdir()
    real = tracking_book(tmp_path / "共享盘" / "售后登记.xlsx")
    link = tmp_path / "售后登记.xlsx"
    link.symlink_to(real)
    assert cli.main(["batch", str(link), "--now", "2025-06-10T12:00", "--quiet"]) == 0
    assert link.is_symlink()
    assert "拦截登记" in openpyxl.load_workbook(real).sheetnames
    assert len(backups(real)) == 1


def test_evaluate_never_replaces_an_existing_workbook(tmp_path, capsys):
    src = tracking_book(tmp_path / "售后登记.xlsx")
    run_batch_file(src, now=NOW, progress=False)
    before, baks = src.read_bytes(), backups(src)
    assert cli.main(["evaluate", str(src), "--out", str(src), "--now", "2025-06-10T12:00"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "已存在" in err and "--force" in err
    assert src.read_bytes() == before and backups(src) == baks
    out = tmp_path / "结果.xlsx"
    out.write_bytes(before)
    assert cli.main(["evaluate", str(src), "--out", str(out), "--now", "2025-06-10T12:00", "--force"]) == 0
    assert [b.read_bytes() for b in backups(out)] == [before]
    assert "处理动作" in head(openpyxl.load_workbook(out).active)  # the person-facing .xlsx (issue 13)


def test_evaluate_honours_the_batch_lock(tmp_path, capsys):
    src = tracking_book(tmp_path / "售后登记.xlsx")
    out = tmp_path / "今天.xlsx"
    with files.file_lock(out):
        assert cli.main(["evaluate", str(src), "--out", str(out), "--now", "2025-06-10T12:00"]) == 2
    assert "正在被另一个批处理使用" in capsys.readouterr().err
    assert not out.exists()


# ------------------------------------------------------------ other writers' packages

def _prefix_workbook_xml(path: Path) -> None:
    """Rewrite workbook.xml the way the OpenXML SDK writes it: every element with an x: prefix."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/workbook.xml"].decode("utf-8")
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = xml.replace(f'xmlns="{main}"', f'xmlns:x="{main}"')
    xml = re.sub(r"<(/?)(?![?!])(?!\w+:)(\w+)", r"<\1x:\2", xml)
    parts["xl/workbook.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def test_prefixed_workbook_xml_gets_visible_output_sheets(tmp_path):
    book = tracking_book(tmp_path / "sdk.xlsx")
    _prefix_workbook_xml(book)
    assert b"<x:sheets>" in zipfile.ZipFile(book).read("xl/workbook.xml")
    run_batch_file(book, now=NOW, progress=False)
    run_batch_file(book, now=NOW, progress=False)
    wb_xml = zipfile.ZipFile(book).read("xl/workbook.xml").decode("utf-8")
    assert '<x:sheet name="拦截登记"' in wb_xml and "<sheet " not in wb_xml
    wb = openpyxl.load_workbook(book)
    assert {"拦截登记", "今日概览", "运行日志"} <= set(wb.sheetnames)
    assert len([r for r in wb["运行日志"].iter_rows(min_row=2, values_only=True) if r[0]]) == 2


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_libreoffice_saved_workbook_is_updated_and_stays_readable(tmp_path):
    made = tracking_book(tmp_path / "made.xlsx")
    lo = tmp_path / "lo"
    lo.mkdir()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xlsx", "--outdir", str(lo), str(made)],
                   check=True, capture_output=True, timeout=180)
    book = lo / "made.xlsx"
    run_batch_file(book, now=NOW, progress=False)
    staff_work_on_register(book)
    run_batch_file(book, now=NOW, progress=False)
    wb = openpyxl.load_workbook(book)
    reg = wb["拦截登记"]
    assert reg.cell(2, head(reg).index("拦截状态") + 1).value == "拦截中"
    # and LibreOffice itself opens what we wrote
    back = tmp_path / "back"
    back.mkdir()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "csv", "--outdir", str(back), str(book)],
                   check=True, capture_output=True, timeout=180)
    assert "4177034256340093436" in (back / "made.csv").read_text(encoding="utf-8", errors="replace")


# ------------------------------------------------------------ register keys

def _register_rows(path: Path):
    reg = openpyxl.load_workbook(path)["拦截登记"]
    h = head(reg)
    return h, [dict(zip(h, r)) for r in reg.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


def _courier_numbers(path: Path):
    return [v for r in openpyxl.load_workbook(path)["快递拦截清单"].iter_rows(values_only=True) for v in r if v]


def test_a_case_id_filled_in_later_keeps_the_register_row(tmp_path):
    first = case("4177034256340093436", None, 59.0, "中通", "ZT781234567")
    book = tracking_book(tmp_path / "售后登记.xlsx", rows=[first])
    run_batch_file(book, now=NOW, progress=False)
    wb = openpyxl.load_workbook(book)
    reg = wb["拦截登记"]
    h = head(reg)
    reg.cell(2, h.index("跟进备注") + 1, "客户要求加急")
    reg.cell(2, h.index("拦截状态") + 1, "拦截中")
    wb["售后登记"]["B2"] = "S7001"  # the platform assigned the 售后单号 later
    wb.save(book)
    run_batch_file(book, now=NOW + timedelta(hours=2), progress=False)
    _h, rows = _register_rows(book)
    assert len(rows) == 1
    assert rows[0]["售后单号"] == "S7001" and rows[0]["跟进备注"] == "客户要求加急"
    assert "ZT781234567" not in _courier_numbers(book)  # the courier is not asked again


def test_an_order_number_turned_into_a_number_keeps_the_register_row(tmp_path):
    book = tracking_book(tmp_path / "售后登记.xlsx")
    run_batch_file(book, now=NOW, progress=False)
    wb = openpyxl.load_workbook(book)
    reg = wb["拦截登记"]
    h = head(reg)
    o = h.index("订单号") + 1
    for r in range(2, reg.max_row + 1):  # Excel's "convert to number": the last digits are gone
        reg.cell(r, o).value = float(reg.cell(r, o).value)
    reg.cell(2, h.index("跟进备注") + 1, "网点已受理")
    reg.cell(2, h.index("拦截状态") + 1, "拦截中")
    wb.save(book)
    run_batch_file(book, now=NOW + timedelta(hours=2), progress=False)
    _h, rows = _register_rows(book)
    assert sorted(r["售后单号"] for r in rows) == ["S7001", "S7002", "S7003"]  # each case once
    assert [r["跟进备注"] for r in rows].count("网点已受理") == 1
    sent = _courier_numbers(book)
    assert "ZT781234567" not in sent and sent.count("YT99001122") == 1


def test_two_cases_that_differ_only_beyond_15_digits_are_not_merged(tmp_path):
    a = case("4177034256340093436", "S7001", 59.0, "中通", "ZT781234567")
    b = case("4177034256340093437", "S7002", 62.0, "中通", "ZT781234568")
    book = tracking_book(tmp_path / "售后登记.xlsx", rows=[a, b])
    run_batch_file(book, now=NOW, progress=False)
    wb = openpyxl.load_workbook(book)
    reg = wb["拦截登记"]
    o = head(reg).index("订单号") + 1
    for r in range(2, reg.max_row + 1):
        reg.cell(r, o).value = float(reg.cell(r, o).value)
    wb.save(book)
    run_batch_file(book, now=NOW, progress=False)
    _h, rows = _register_rows(book)
    assert sorted(r["售后单号"] for r in rows) == ["S7001", "S7002"]  # matched by 售后单号, each once


# ------------------------------------------------------------ the ribbon route (xlwings stand-in)

def test_ribbon_rerun_writes_only_changed_cells_and_keeps_staff_formulas():
    from test_macros import book_with, case as macro_case, dicts

    from refund_xl import macros

    book = book_with([macro_case("A001", "S001")])
    macros.daily_batch(book, now=NOW)
    reg = book.sheets["拦截登记"]
    h = reg.rows()[0]
    note = (2, h.index("跟进备注") + 1)
    reg.cells[note] = "查件"  # what Excel shows for the staff HYPERLINK formula
    reg.formulas[note] = ('=HYPERLINK("https://example.com","查件")', "cell", 1, 1)
    track = book.sheets["售后登记"]
    for c, v in enumerate(macro_case("A003", "S003", carrier="韵达", tracking="YD3"), start=1):
        track.cells[(3, c)] = v
    book.log.clear()
    macros.daily_batch(book, now=NOW + timedelta(hours=20))
    assert note in reg.formulas and reg.cells[note] == "查件"  # never written over
    assert [d["订单号"] for d in dicts(reg)] == ["A001", "A003"]
    assert not [e for e in book.log if e[:2] == ("clear", "拦截登记")]


# ------------------------------------------------------------ a register whose header sits far down (issue 19)

@pytest.mark.parametrize("notes", [19, 25, 300])
def test_a_register_whose_header_sits_below_row_20_is_found_there(tmp_path, notes):
    """Staff put a block of notes above 拦截登记's header (instructions, a courier phone list): the register is
    still the register — no 「拦截登记（售后助手）」 beside it, the statuses typed there decide, and no case
    already registered goes to the courier list again."""
    book = tracking_book(tmp_path / "售后登记.xlsx")
    run_batch_file(book, now=NOW, progress=False)
    wb = openpyxl.load_workbook(book)
    reg = wb["拦截登记"]
    h = head(reg)
    registered = [r[h.index("物流单号")] for r in reg.iter_rows(min_row=2, values_only=True) if r[0]]
    assert "ZT781234567" in registered
    row = next(i for i in range(2, reg.max_row + 1) if reg.cell(i, h.index("物流单号") + 1).value == "ZT781234567")
    reg.cell(row, h.index("拦截状态") + 1, "拦截中")  # staff asked the courier
    reg.cell(row, h.index("跟进备注") + 1, "网点已受理")
    reg.insert_rows(1, notes)
    for i in range(1, notes + 1):
        reg.cell(i, 1, f"说明第 {i} 行：拦截电话请打网点")
    wb.save(book)
    report = run_batch_file(book, now=NOW + timedelta(hours=2), progress=False)
    wb = openpyxl.load_workbook(book)
    assert not [n for n in wb.sheetnames if n.startswith("拦截登记（")], wb.sheetnames
    assert "新增拦截登记 0 条" in report
    reg = wb["拦截登记"]
    assert reg.cell(1, 1).value == "说明第 1 行：拦截电话请打网点"
    rows = [r for r in reg.iter_rows(min_row=notes + 2, values_only=True) if r[1]]
    assert sorted(r[h.index("物流单号")] for r in rows) == sorted(registered)  # each case once
    assert [r[h.index("跟进备注")] for r in rows].count("网点已受理") == 1
    assert "ZT781234567" not in _courier_numbers(book)  # staff asked already: not sent again


# ------------------------------------------------------------ the working copy's tracking sheet (issue 19)

def _tracking(path: Path, sheet: str = "售后登记") -> list[list[object]]:
    rows = files.read_sheets(path)[sheet]
    return [r for r in rows if any(v not in (None, "") for v in r)]


def test_the_working_copys_tracking_sheet_is_refreshed_from_input(tmp_path, capsys):
    """batch INPUT --out 今天.xlsx again after INPUT grew: 今天.xlsx's 售后登记 holds what the registers were
    made from (it kept a stale 40-row sheet while the registers held 41), the desk's own column beside it
    stays, and a cell that differed is said and kept in the backup."""
    rows = [case(f"41770342563400{i:05d}", f"S{i:04d}", 59.0 + i, "中通", f"ZT{i:09d}") for i in range(40)]
    src = tracking_book(tmp_path / "售后登记.xlsx", rows=rows)
    out = tmp_path / "今天.xlsx"
    assert cli.main(["batch", str(src), "--out", str(out), "--now", "2025-06-10T12:00", "--quiet"]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["售后登记"]
    ws.cell(1, len(HEADERS) + 2, "我的备注")  # a column of the desk's own, right of INPUT's
    ws.cell(3, len(HEADERS) + 2, "明天再打")
    ws.cell(2, HEADERS.index("客户反馈") + 1, "在副本里写的")  # typed in the copy: INPUT is the source
    wb.save(out)
    add_case(src, NEW_CASE)
    capsys.readouterr()
    assert cli.main(["batch", str(src), "--out", str(out), "--now", "2025-06-11T09:00", "--quiet"]) == 0
    said = capsys.readouterr().out
    assert "「售后登记」已按 售后登记.xlsx 刷新（新增 1 行，改动 1 格" in said
    mirror = _tracking(out)
    master = _tracking(src)
    assert len(mirror) == len(master) == 42
    assert [r[:len(HEADERS)] for r in mirror] == [r[:len(HEADERS)] for r in master]
    assert mirror[0][len(HEADERS) + 1] == "我的备注" and mirror[2][len(HEADERS) + 1] == "明天再打"
    registered = [r for r in files.read_sheets(out)["拦截登记"][1:] if r and r[1]]
    assert len(registered) == 41  # the registers and the tracking sheet agree
    (bak,) = backups(out)
    assert _tracking(bak)[1][HEADERS.index("客户反馈")] == "在副本里写的"
    assert cli.main(["batch", str(src), "--out", str(out), "--now", "2025-06-11T10:00", "--quiet"]) == 0
    assert "刷新" not in capsys.readouterr().out  # nothing to refresh: nothing said


def test_a_csv_inputs_working_copy_is_refreshed_too(tmp_path, capsys):
    import csv

    src = tmp_path / "导出.csv"

    def write(rows):
        with src.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADERS)
            for r in rows:
                w.writerow(["" if v is None else v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else v
                            for v in r])

    write(CASES)
    out = tmp_path / "今天.xlsx"
    assert cli.main(["batch", str(src), "--out", str(out), "--now", "2025-06-10T12:00", "--quiet"]) == 0
    write(CASES + [NEW_CASE])
    assert cli.main(["batch", str(src), "--out", str(out), "--now", "2025-06-11T09:00", "--quiet"]) == 0
    assert len(_tracking(out)) == 5 and _tracking(out)[4][0] == NEW_CASE[0]


def test_the_working_copys_refresh_never_writes_over_the_templates_formula_block(tmp_path, capsys):
    """INPUT is the template (REFUND_TABLE in BJ1, spilling over the rows): the copy's formula stays a
    formula whatever INPUT's cached results say (a library that re-saved INPUT dropped them)."""
    src = tmp_path / "售后助手.xlsm"
    shutil.copy(Path(__file__).resolve().parents[1] / "workbook_template.xlsm", src)
    out = tmp_path / "今天.xlsm"
    assert cli.main(["batch", str(src), "--out", str(out), "--now", "2025-06-10T12:00", "--quiet"]) == 0
    wb = openpyxl.load_workbook(src, keep_vba=True)  # re-saved by a library: no cached formula results
    ws = wb["售后登记"]
    row = ws.max_row + 1
    for c, v in enumerate(NEW_CASE[:10], start=1):
        ws.cell(row, c, v)
    wb.save(src)
    capsys.readouterr()
    assert cli.main(["batch", str(src), "--out", str(out), "--now", "2025-06-11T09:00", "--quiet"]) == 0
    assert "新增 1 行" in capsys.readouterr().out
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert re.search(r'<c r="BJ1"[^>]*><f t="array" ref="BJ1:[^"]+">REFUND_TABLE\(', sheet)
    assert _tracking(out)[row - 1][0] == NEW_CASE[0]
