"""refund-xl import: exports merged into the tracking sheet, staff work kept (issue 14)."""

from __future__ import annotations

import csv
import os
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from refund_xl._files import files
from refund_xl._app import intake
from refund_xl._app.batch import LOG

from helpers import cli as run, csv_file

NOW = "2025-06-10T12:00"
NEXT_DAY = "2025-06-11T12:00"

# An ERP-style export with the canonical words but its own header names (aliases),
# a notice row, an Excel-guarded id, personal data that must not be copied.
HEAD_A = ["订单编号", "退款单号", "退款申请时间", "退款类型", "金额", "订单状态", "物流公司", "快递单号",
          "物流状态", "物流更新时间", "收货地址", "收货人手机", "买家姓名", "商品名称", "售后状态", "超时时间"]
ROWS_A = [
    ['="4242994886263078938"', "TB20250609001", "2025-06-09 10:05", "仅退款", "59.00", "已发货", "顺丰速运",
     "SF1409876543210", "运输中", "2025-06-10 08:00", "新疆维吾尔自治区乌鲁木齐市天山区光明路12号",
     "13812345678", "张三", "羊毛袜 3双装", "处理中", "2025-06-11 10:05"],
    ["4242994886263078940", "TB20250609002", "2025-06-09 14:40", "仅退款", "368.00", "已发货", "中通快递",
     "75234220267368", "运输中", "2025-06-10 09:30", "浙江省杭州市西湖区文三路99号", "13900001111", "李四",
     "羊绒大衣 M", "处理中", "2025-06-12 14:40"],
    ["4242994886263078941", "TB20250608003", "2025-06-08 16:20", "仅退款", "129.00", "未发货", "", "",
     "", "", "广东省深圳市南山区科技园", "13700002222", "王五", "保温杯", "处理中", "2025-06-10 16:20"],
]
HEAD_B = ["售后编号", "订单号", "商品名称", "售后类型", "售后状态", "申请时间", "售后原因", "退款金额",
          "发货状态", "快递公司", "物流单号", "超时时间", "退货物流单号", "退货物流状态", "省份"]
ROWS_B = [
    ["PDD7730001", "250609-118822334455", "水果礼盒 5斤", "退货退款", "处理中", "2025-06-09 09:00", "腐烂变质",
     "88.00", "已发货", "韵达快递", "4312998877665", "2025-06-14 09:00", "", "未寄回", "四川"],
    ["PDD7730002", "250609-118822334456", "蓝牙耳机", "退货退款", "处理中", "2025-06-09 20:15", "质量问题",
     "259.00", "已发货", "圆通速递", "YT7712345678901", "2025-06-14 20:15", "YT9912345678001", "", "江苏"],
]


def write_csv(path: Path, head, rows, notice=None, encoding="gbk") -> Path:
    return csv_file(path, head, rows, notice, encoding)


def write_xlsx(path: Path, head, rows, sheet="Sheet1") -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet(sheet)
    for r, row in enumerate([head, *rows]):
        for c, v in enumerate(row):
            if v not in (None, ""):
                ws.write_string(r, c, v) if isinstance(v, str) else ws.write(r, c, v)
    wb.close()
    return path


def sheets(path):
    return files.read_sheets(path)


def table(path, sheet="售后登记"):
    rows = sheets(path)[sheet]
    return rows[0], rows[1:]


def col(headers, name):
    return headers.index(name)


def by_case(path):
    headers, rows = table(path)
    c = col(headers, "售后单号")
    return headers, {r[c]: r for r in rows}


@pytest.fixture
def day1(tmp_path):
    a = write_csv(tmp_path / "erp_0610.csv", HEAD_A, ROWS_A, notice="温馨提示：仅支持导出近3个月的售后单")
    b = write_xlsx(tmp_path / "pdd_0610.xlsx", HEAD_B, ROWS_B)
    return [a, b]


def test_new_book_one_row_per_case_ids_text_no_personal_data(tmp_path, day1, capsys):
    book = tmp_path / "售后登记.xlsx"
    assert run("import", *day1, "--into", book, "--now", NOW) == 0
    out = capsys.readouterr().out
    assert "新增 5 行" in out and "表头上方的提示行 1" in out
    headers, cases = by_case(book)
    assert headers[:3] == ["平台", "订单号", "售后单号"]
    for staff in ("物流状态", "物流更新时间", "拦截状态", "客户反馈", "跟进备注", "商品名称"):
        assert staff in headers
    assert sorted(cases) == ["PDD7730001", "PDD7730002", "TB20250608003", "TB20250609001", "TB20250609002"]
    first = cases["TB20250609001"]
    assert first[col(headers, "订单号")] == "4242994886263078938"  # no ="…", no float
    assert first[col(headers, "物流单号")] == "SF1409876543210"
    assert first[col(headers, "收货省份")] == "新疆"
    assert first[col(headers, "收件人手机")] == "5678"  # SF: last four digits only
    assert cases["TB20250609002"][col(headers, "收件人手机")] is None  # not SF: no phone at all
    assert first[col(headers, "退款金额")] == 59.0
    assert first[col(headers, "申请时间")] == datetime(2025, 6, 9, 10, 5)
    assert cases["PDD7730002"][col(headers, "退货物流单号")] == "YT9912345678001"
    text = "".join(str(v) for r in cases.values() for v in r)
    for personal in ("张三", "李四", "13812345678", "光明路", "文三路", "南山区", "温馨提示"):
        assert personal not in text
    log = sheets(book)[LOG]
    assert log[0][:3] == ["运行时间", "基准时间", "售后单数"] and len(log) == 2
    assert "新增 5 行" in log[1][log[0].index("导入结果")]


def test_evaluate_on_the_book_decides_as_canonical_twins(tmp_path, day1):
    book = tmp_path / "book.xlsx"
    assert run("import", *day1, "--into", book, "--now", NOW) == 0
    assert run("evaluate", book, "--out", tmp_path / "ev.csv", "--now", NOW) == 0
    twin = tmp_path / "twin.csv"
    head = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态",
            "物流更新时间", "收货省份", "售后状态", "超时时间", "退货原因", "退货物流状态"]
    write_csv(twin, head, [
        ["4242994886263078938", "TB20250609001", "2025-06-09 10:05", "仅退款", "59", "已发货", "顺丰速运",
         "SF1409876543210", "运输中", "2025-06-10 08:00", "新疆", "处理中", "2025-06-11 10:05", "", ""],
        ["4242994886263078940", "TB20250609002", "2025-06-09 14:40", "仅退款", "368", "已发货", "中通快递",
         "75234220267368", "运输中", "2025-06-10 09:30", "浙江", "处理中", "2025-06-12 14:40", "", ""],
        ["4242994886263078941", "TB20250608003", "2025-06-08 16:20", "仅退款", "129", "未发货", "", "", "", "",
         "广东", "处理中", "2025-06-10 16:20", "", ""],
        ["250609-118822334455", "PDD7730001", "2025-06-09 09:00", "退货退款", "88", "已发货", "韵达快递",
         "4312998877665", "", "", "四川", "处理中", "2025-06-14 09:00", "腐烂变质", "未寄回"],
        ["250609-118822334456", "PDD7730002", "2025-06-09 20:15", "退货退款", "259", "已发货", "圆通速递",
         "YT7712345678901", "", "", "江苏", "处理中", "2025-06-14 20:15", "质量问题", "已揽收"],
    ], encoding="utf-8")
    assert run("evaluate", twin, "--out", tmp_path / "tw.csv", "--now", NOW) == 0

    def decisions(path):
        with open(path, encoding="utf-8-sig") as fh:
            return {r["售后单号"]: (r["action_code"], r["deadline_code"], r["value_tier"], r["loss_risk"])
                    for r in csv.DictReader(fh)}

    got, want = decisions(tmp_path / "ev.csv"), decisions(tmp_path / "tw.csv")
    assert got == want
    assert got["TB20250609001"][0] == "INTERCEPT_REFUND_NOW"
    assert got["TB20250609002"][0] == "INTERCEPT_AND_WATCH"
    assert got["PDD7730001"][0] == "REFUND_WITHOUT_RETURN"
    assert got["PDD7730002"][0] == "INSPECT_THEN_REFUND"  # a return waybill means the return is on its way


def _type_staff_cells(book: Path, edits: dict[tuple[str, str], object]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb["售后登记"]
    headers = [c.value for c in ws[1]]
    rows = {ws.cell(row=r, column=headers.index("售后单号") + 1).value: r for r in range(2, ws.max_row + 1)}
    for (case, header), value in edits.items():
        ws.cell(row=rows[case], column=headers.index(header) + 1).value = value
    wb.save(book)


def test_next_day_keeps_staff_cells_adds_no_row_and_closes_cases(tmp_path, day1):
    book = tmp_path / "book.xlsx"
    assert run("import", *day1, "--into", book, "--now", NOW) == 0
    staff = {("TB20250609002", "拦截状态"): "拦截中", ("TB20250609002", "跟进备注"): "6/10 已电话中通拦截",
             ("TB20250609001", "物流状态"): "已签收", ("PDD7730001", "客户反馈"): "已收到",
             ("PDD7730002", "跟进备注"): "等仓库验货", ("TB20250608003", "商品名称"): "保温杯（客服改名）"}
    _type_staff_cells(book, staff)
    # the next day: TB…002 refunded, PDD…001 refunded, the rest as they were; TB…003 not in today's window
    rows_a = [list(r) for r in ROWS_A[:2]]
    rows_a[1][14] = "退款成功"
    rows_a[0][8], rows_a[0][9] = "派送中", "2025-06-11 07:00"  # the export's trace: staff's 已签收 stays
    rows_b = [list(r) for r in ROWS_B]
    rows_b[0][4] = "退款成功"
    rows_b[1][13] = "已签收"  # the return reached the warehouse
    a2 = write_csv(tmp_path / "erp_0611.csv", HEAD_A, rows_a)
    b2 = write_xlsx(tmp_path / "pdd_0611.xlsx", HEAD_B, rows_b)
    before_headers, before = by_case(book)
    assert run("import", a2, b2, "--into", book, "--now", NEXT_DAY) == 0
    headers, after = by_case(book)
    assert headers == before_headers and sorted(after) == sorted(before)  # no row added
    for (case, header), value in staff.items():
        assert after[case][col(headers, header)] == value, (case, header)
    assert after["TB20250609002"][col(headers, "售后状态")] == "已退款"
    assert after["PDD7730001"][col(headers, "售后状态")] == "已退款"
    assert after["PDD7730002"][col(headers, "退货物流状态")] == "已签收"
    assert after["TB20250608003"] == before["TB20250608003"]  # not in today's window: kept as it was
    out = tmp_path / "ev.csv"
    assert run("evaluate", book, "--out", out, "--now", NEXT_DAY) == 0
    with open(out, encoding="utf-8-sig") as fh:
        codes = {r["售后单号"]: r["action_code"] for r in csv.DictReader(fh)}
    assert codes["TB20250609002"] == "DONE" and codes["PDD7730001"] == "DONE"
    assert codes["TB20250609001"] != "DONE"
    assert len(sheets(book)[LOG]) == 3


def test_reimporting_the_same_files_changes_nothing_but_the_run_log(tmp_path, day1, capsys):
    book = tmp_path / "book.xlsx"
    assert run("import", *day1, "--into", book, "--now", NOW) == 0
    _type_staff_cells(book, {("TB20250609001", "跟进备注"): "已催件"})
    first = sheets(book)
    capsys.readouterr()
    assert run("import", *day1, "--into", book, "--now", NOW) == 0
    assert "新增 0 行，更新 0 行，未变 5 行" in capsys.readouterr().out
    second = sheets(book)
    assert {k: v for k, v in second.items() if k != LOG} == {k: v for k, v in first.items() if k != LOG}
    assert second[LOG][:len(first[LOG])] == first[LOG] and len(second[LOG]) == len(first[LOG]) + 1
    assert list(tmp_path.glob("book.bak-*.xlsx"))  # the original was backed up before the write


def test_newest_export_wins_by_modification_time(tmp_path):
    old = write_csv(tmp_path / "z_old.csv", HEAD_A, [ROWS_A[0]])
    newer = [list(ROWS_A[0])]
    newer[0][14] = "退款成功"
    new = write_csv(tmp_path / "a_new.csv", HEAD_A, newer)
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_700_090_000, 1_700_090_000))
    book = tmp_path / "book.xlsx"
    assert run("import", new, old, "--into", book, "--now", NOW) == 0  # given newest first: mtime decides
    headers, cases = by_case(book)
    assert len(cases) == 1 and cases["TB20250609001"][col(headers, "售后状态")] == "已退款"


def test_team_sheet_matched_by_its_headers_and_mapping(tmp_path, day1):
    """A team's own sheet: its headers (列名映射), its order; 平台 and 商品名称 go in free columns."""
    import openpyxl

    book = tmp_path / "team.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "我的登记"
    ws.append(["单号", "服务单", "类型", "钱", "发货", "状态", "截止", "我的备注"])
    ws.append(["4242994886263078938", "TB20250609001", "仅退款", 59, "已发货", "处理中", None, "老客户"])
    ws.append(["9000000000000000001", "OLD-1", "仅退款", 10, "未发货", "处理中", None, "上周的单"])
    m = wb.create_sheet("列名映射")
    m.append(["表头", "字段"])
    for h, k in (("单号", "order_id"), ("服务单", "case_id"), ("类型", "refund_type"), ("钱", "amount"),
                 ("发货", "ship_state"), ("状态", "case_state"), ("截止", "deadline")):
        m.append([h, k])
    wb.save(book)
    assert run("import", *day1, "--into", book, "--now", NOW) == 0
    got = sheets(book)
    assert "售后登记" not in got
    rows = got["我的登记"]
    headers = rows[0]
    assert headers[:8] == ["单号", "服务单", "类型", "钱", "发货", "状态", "截止", "我的备注"]
    assert "平台" not in headers  # the canonical exports name no platform
    assert "商品名称" in headers and "快递公司" in headers
    cases = {r[1]: r for r in rows[1:]}
    assert len(rows) == 1 + 6  # 2 kept + 4 new (TB…001 merged)
    assert cases["TB20250609001"][7] == "老客户" and cases["OLD-1"][7] == "上周的单"
    assert cases["TB20250609001"][headers.index("截止")] == datetime(2025, 6, 11, 10, 5)
    assert cases["OLD-1"][:8] == ["9000000000000000001", "OLD-1", "仅退款", 10.0, "未发货", "处理中", None, "上周的单"]


def test_an_unreadable_export_is_skipped_and_all_unreadable_is_exit_2(tmp_path, day1, capsys):
    bad = tmp_path / "orders.csv"
    bad.write_text("商品,数量\n袜子,3\n", encoding="utf-8")
    book = tmp_path / "book.xlsx"
    assert run("import", bad, *day1, "--into", book, "--now", NOW) == 0
    assert "跳过 orders.csv 整个文件" in capsys.readouterr().out
    assert len(by_case(book)[1]) == 5
    fresh = tmp_path / "fresh.xlsx"
    assert run("import", bad, "--into", fresh) == 2
    err = capsys.readouterr().err
    assert err.startswith("refund-xl: 没有可导入的导出文件") and "Traceback" not in err
    assert not fresh.exists()
    assert run("import", tmp_path / "missing.csv", "--into", fresh) == 2


def test_a_failed_write_leaves_the_book_byte_identical(tmp_path, day1, monkeypatch):
    book = tmp_path / "book.xlsx"
    assert run("import", day1[0], "--into", book, "--now", NOW) == 0
    original = book.read_bytes()
    from refund_xl._files import intake_files

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(Exception) as info:
        intake_files.import_exports(day1, book, now=datetime(2025, 6, 10, 12))
    assert "No space left" in str(info.value) or "无法写入" in str(info.value)
    monkeypatch.undo()
    assert book.read_bytes() == original
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".book")]  # no temporary file left


def test_customer_text_is_written_as_text_never_a_formula(tmp_path):
    rows = [list(ROWS_A[1])]
    rows[0][13] = '=HYPERLINK("http://x.example","点我")'
    export = write_csv(tmp_path / "x.csv", HEAD_A, rows)
    book = tmp_path / "book.xlsx"
    assert run("import", export, "--into", book, "--now", NOW) == 0
    with zipfile.ZipFile(book) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "HYPERLINK" in xml


def test_plan_merge_is_pure_and_counts(tmp_path):
    read = intake.read_export("x.csv", [HEAD_A, *ROWS_A, ["合计", "", "", "", "556"] + [""] * 11, [""] * 16])
    assert len(read.cases) == 3 and [s.reason for s in read.skipped] == ["合计/说明行（不是售后单）"]
    headers = intake.new_sheet_headers()
    plan = intake.plan_merge(headers, [], [read])
    assert plan.counts["new"] == 3 and not plan.cells
    again = intake.plan_merge(headers, plan.appended, [read])
    assert not again.changes and again.counts["unchanged"] == 3


def test_import_into_the_template_keeps_macros_ribbon_and_formulas(tmp_path, day1):
    import shutil

    from refund_xl import _template as tb
    from refund_xl._template.ribbon import RIBBON_PART

    book = tmp_path / "售后助手.xlsm"
    shutil.copy(Path(__file__).resolve().parent.parent / "workbook_template.xlsm", book)
    with zipfile.ZipFile(book) as z:
        before = {n: z.read(n) for n in z.namelist()}
    rows_before = sheets(book)["售后登记"]
    assert run("import", *day1, "--into", book, "--now", NOW) == 0
    with zipfile.ZipFile(book) as z:
        after = {n: z.read(n) for n in z.namelist()}
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert after[RIBBON_PART] == before[RIBBON_PART]
    rows = sheets(book)["售后登记"]
    last = tb.col_number(tb.DATA_LAST_COL)
    head = rows[0]
    assert head[last:] == rows_before[0][last:]  # the formula block's headers where they were
    added = [h for h in head[:last] if h not in rows_before[0][:last]]
    assert set(added) <= {"平台", "商品名称", "退货物流单号", "收件人手机"} and "商品名称" in added
    old_n = len([r for r in rows_before[1:] if r[0] is not None])
    assert [r[:25] for r in rows[1:old_n + 1]] == [r[:25] for r in rows_before[1:old_n + 1]]  # sample rows kept
    ids = {r[1] for r in rows[1:] if r[1]}
    assert {"TB20250609001", "PDD7730002"} <= ids
    import re as _re

    def formulas(parts):
        return [m for k, v in sorted(parts.items()) if k.startswith("xl/worksheets/sheet")
                for m in _re.findall(r"<f[ >][^<]*</f>", v.decode("utf-8"))]

    assert formulas(before) and formulas(after) == formulas(before)  # every formula kept as it was


def test_an_export_without_platform_finds_the_case_a_platform_export_brought(tmp_path):
    """Keys are 平台 + 售后单号; an ERP export naming no platform still finds the one row with its 售后单号."""
    head = intake.new_sheet_headers()
    row = [None] * len(head)
    row[head.index("平台")], row[head.index("订单号")], row[head.index("售后单号")] = "淘宝", "4242994886263078940", "TB20250609002"
    row[head.index("售后状态")] = "处理中"
    other = list(row)
    other[head.index("平台")], other[head.index("售后单号")] = "拼多多", "PDD1"
    read = intake.read_export("erp.csv", [HEAD_A, ROWS_A[1][:14] + ["退款成功", "2025-06-12 14:40"]])
    plan = intake.plan_merge(head, [row, other], [read])
    assert plan.counts["new"] == 0 and plan.counts["updated"] == 1
    assert plan.cells[(0, head.index("售后状态"))] == "已退款"
    assert (0, head.index("平台")) not in plan.cells  # the platform a preset gave is kept


def test_the_books_value_mapping_reads_the_desks_own_words(tmp_path, capsys):
    """值映射 in the book (字段 | 原值 | 标准值) reads a platform word the product leaves open; the book gets
    the canonical word. Without it the word is written as it came and reported unreadable."""
    import openpyxl

    rows = [list(r) for r in ROWS_A[:2]]
    rows[0][14] = "退款关闭?"
    export = write_csv(tmp_path / "erp.csv", HEAD_A, rows)
    plain = tmp_path / "plain.xlsx"
    assert run("import", export, "--into", plain, "--now", NOW) == 0
    assert "无法识别「售后状态」1 处：「退款关闭?」" in capsys.readouterr().out
    headers, cases = by_case(plain)
    assert cases["TB20250609001"][col(headers, "售后状态")] == "退款关闭?"

    book = tmp_path / "mapped.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "售后登记"
    wb.active.append(intake.new_sheet_headers())
    vm = wb.create_sheet("值映射")
    vm.append(["字段", "原值", "标准值"])
    vm.append(["售后状态", "退款关闭?", "已关闭"])
    wb.save(book)
    assert run("import", export, "--into", book, "--now", NOW) == 0
    headers, cases = by_case(book)
    assert cases["TB20250609001"][col(headers, "售后状态")] == "已关闭"
    assert "无法识别「售后状态」" not in capsys.readouterr().out


def test_the_run_log_line_says_how_each_export_was_read(tmp_path, day1):
    book = tmp_path / "book.xlsx"
    assert run("import", *day1, "--into", book, "--now", NOW) == 0
    log = sheets(book)[LOG]
    line = dict(zip(log[0], log[-1]))
    assert line["运行内容"] == "导入平台导出" and line["售后单数"] == 5
    assert "erp_0610.csv：" in line["读取情况"] and "pdd_0610.xlsx：" in line["读取情况"]


def test_a_book_without_a_tracking_sheet_gets_one_and_keeps_its_other_sheets(tmp_path, day1):
    import openpyxl

    book = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "本工作簿由售后组维护"
    wb.active["B2"] = "=1+1"
    wb.save(book)
    assert run("import", *day1, "--into", book, "--now", NOW) == 0
    got = sheets(book)
    assert list(got)[:1] == ["说明"] and got["说明"][0][0] == "本工作簿由售后组维护"
    assert len(got["售后登记"]) == 6 and got["售后登记"][0] == intake.new_sheet_headers()
    with zipfile.ZipFile(book) as z:
        assert "<f>1+1</f>" in z.read("xl/worksheets/sheet1.xml").decode()
    # a sheet of that name that holds something else is not taken over
    assert run("import", *day1, "--into", book, "--sheet", "说明") == 2


def test_progress_columns_only_move_forward():
    head = intake.new_sheet_headers()
    L = head.index("物流状态")

    def merged(book_word, export_word):
        row = [None] * len(head)
        row[head.index("订单号")], row[head.index("售后单号")], row[L] = "4242994886263078940", "TB20250609002", book_word
        export = [list(ROWS_A[1])]
        export[0][8] = export_word
        plan = intake.plan_merge(head, [row], [intake.read_export("x.csv", [HEAD_A, *export])])
        return plan.cells.get((0, L), book_word)

    assert merged("运输中", "退回") == "退回"
    assert merged("运输中", "已签收") == "已签收"
    assert merged(None, "运输中") == "运输中"
    assert merged("已签收", "运输中") == "已签收"  # staff's word stays
    assert merged("拒收", "派送中") == "拒收"
    assert merged("丢件", "丢件") == "丢件"
    # among end states the newer export's word is the newer fact (test_import_end_states: reported, row by row)
    assert merged("丢件", "已签收") == "已签收"
