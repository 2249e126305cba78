"""The file host: refund-xl batch / demo on real workbook files, read back with openpyxl."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta

import openpyxl
import pytest
import xlsxwriter

from refund_xl import cli
from refund_xl._app import batch
from refund_xl._files import files, workbook
from refund_xl._core.errors import RefundXLError
from refund_xl._files.workbook import run_batch_file, run_demo

NOW = datetime(2025, 6, 10, 12, 0)
HEADERS = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号",
           "物流状态", "物流更新时间", "收货地址", "客户反馈"]


def row(order, case, amount=59, carrier="中通", tracking="ZT1", logistics="运输中", says=None, addr="广东省广州市"):
    return [order, case, NOW - timedelta(hours=3), "仅退款", amount, "已发货", carrier, tracking, logistics,
            NOW - timedelta(hours=2), addr, says]


def write_book(path, rows, extra_sheets=None):
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    date = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws = book.add_worksheet("售后登记")
    ws.write_row(0, 0, HEADERS)
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values):
            if isinstance(v, datetime):
                ws.write_datetime(r, c, v, date)
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            elif v is not None:
                ws.write(r, c, v)
    for name, table in (extra_sheets or {}).items():
        sh = book.add_worksheet(name)
        for r, values in enumerate(table):
            for c, v in enumerate(values):
                if v is not None:
                    sh.write(r, c, v) if not isinstance(v, str) else sh.write_string(r, c, v)
    book.close()
    return path


def sheet_dicts(ws, header_row=1):
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:] if any(v is not None for v in r)]


def test_batch_twice_keeps_staff_edits_appends_new_cases_and_logs_two_lines(tmp_path):
    src = write_book(tmp_path / "track.xlsx",
                     [row("A001", "S001"), row("A002", "S002", amount=899, carrier="圆通", tracking="YT2"),
                      row("A003", "S003", logistics="已签收", says="未收到")],
                     {"备注": [["我们自己的表"], ["别动我"]]})
    out = tmp_path / "out.xlsx"
    report = run_batch_file(src, out=out, now=NOW, progress=False)
    assert "out.xlsx" in report and "新增拦截登记 2 条" in report

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["售后登记", "备注"]
    assert set(batch.OUTPUT_SHEETS) <= set(wb.sheetnames)
    assert wb["备注"]["A2"].value == "别动我"
    reg = wb["拦截登记"]
    head = [c.value for c in reg[1]]
    # staff: record the interception, write a note, add a column of their own
    for r in range(2, reg.max_row + 1):
        reg.cell(r, head.index("拦截状态") + 1, "拦截中")
        reg.cell(r, head.index("跟进备注") + 1, f"已联系快递 {reg.cell(r, 2).value}")
        reg.cell(r, len(head) + 1, "小王")
    reg.cell(1, len(head) + 1, "负责人")
    rep = wb["回复话术"]
    rhead = [c.value for c in rep[1]]
    rep.cell(2, rhead.index("是否已发送") + 1, "是")
    sent_order = rep.cell(2, 1).value
    # and a new case arrives in the tracking sheet
    track = wb["售后登记"]
    for c, v in enumerate(row("A004", "S004", carrier="韵达", tracking="YD4"), start=1):
        track.cell(5, c, v)
    wb.save(out)

    run_batch_file(out, out=out, now=NOW + timedelta(days=1), progress=False)
    backups = list(tmp_path.glob("out.bak-*.xlsx"))
    assert len(backups) == 1  # in place: the original was backed up first

    wb = openpyxl.load_workbook(out)
    regs = sheet_dicts(wb["拦截登记"])
    orders = [d["订单号"] for d in regs]
    assert orders == ["A001", "A002", "A004"]  # old rows in place, the new case appended
    assert len(orders) == len(set(orders)) == 3
    for d in regs[:2]:
        assert d["拦截状态"] == "拦截中"
        assert d["跟进备注"] == f"已联系快递 {d['订单号']}"
        assert d["负责人"] == "小王"
    assert regs[2]["订单号"] == "A004" and regs[2]["拦截状态"] == "未拦截" and regs[2]["负责人"] is None
    replies = {d["订单号"]: d for d in sheet_dicts(wb["回复话术"])}
    assert replies[sent_order]["是否已发送"] == "是"
    assert len(replies) == len(sheet_dicts(wb["回复话术"]))
    log = sheet_dicts(wb["运行日志"])
    assert len(log) == 2
    assert [d["基准时间"] for d in log] == [NOW, NOW + timedelta(days=1)]
    assert [d["新增登记数"] for d in log] == [2, 1]
    assert wb["备注"]["A2"].value == "别动我"


def test_customer_text_starting_with_formula_characters_stays_text(tmp_path):
    evil = ["=1+1", "+86 13800138000", "-2+3", "@SUM(A1:A2)"]
    rows = [row(f"=HYPERLINK(\"http://x\",\"{i}\")" if i == 0 else f"A10{i}", f"S10{i}", carrier=text,
                tracking=f"-{i}+1")
            for i, text in enumerate(evil)]
    src = write_book(tmp_path / "evil.xlsx", rows)
    out = tmp_path / "evil_out.xlsx"
    run_batch_file(src, out=out, now=NOW, progress=False)
    wb = openpyxl.load_workbook(out)
    seen = set()
    for name in batch.OUTPUT_SHEETS:
        for line in wb[name].iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s", (name, cell.coordinate, cell.value)
                    seen.add(cell.value)
    assert set(evil) <= seen  # the carriers arrived, as text
    assert "-0+1" in seen and '=HYPERLINK("http://x","0")' in seen
    # and no formula anywhere in the written sheets' XML
    with zipfile.ZipFile(out) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/sheet") and n != "xl/worksheets/sheet1.xml":
                assert b"<f>" not in z.read(n) and b"<f " not in z.read(n)


def test_ids_stay_text_and_dates_are_dates(tmp_path):
    src = write_book(tmp_path / "ids.xlsx", [row("0044328104910363187", "00123", tracking="0000789")])
    out = tmp_path / "ids_out.xlsx"
    run_batch_file(src, out=out, now=NOW, progress=False)
    reg = sheet_dicts(openpyxl.load_workbook(out)["拦截登记"])[0]
    assert reg["订单号"] == "0044328104910363187" and reg["售后单号"] == "00123" and reg["物流单号"] == "0000789"
    assert reg["登记时间"] == NOW and reg["核实时间"] == NOW + timedelta(hours=24)


def test_csv_input_becomes_a_workbook_with_the_tracking_sheet(tmp_path):
    out = tmp_path / "from_csv.xlsx"
    report = run_batch_file(workbook.sample_path(), out=out, now=NOW, progress=False)
    assert "新增拦截登记 10 条" in report
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "售后登记" and wb["售后登记"].max_row == 96
    assert set(batch.OUTPUT_SHEETS) <= set(wb.sheetnames)


def test_settings_templates_and_column_map_are_read_from_the_workbook(tmp_path):
    rows = [[r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11]]
            for r in [row("A001", "S001", amount=150)]]
    src = write_book(tmp_path / "cfg.xlsx", rows, {
        "设置": [["键", "项目", "值", "说明"], ["high_value", "高客单金额阈值(元)", 100, ""]],
        "话术模板": [["动作代码", "动作", "话术模板"], ["INTERCEPT_AND_WATCH", "", "您好 {订单号} 正在拦截 {快递公司}"]],
    })
    out = tmp_path / "cfg_out.xlsx"
    run_batch_file(src, out=out, now=NOW, progress=False)
    wb = openpyxl.load_workbook(out)
    reg = sheet_dicts(wb["拦截登记"])[0]
    assert reg["客单级别"] == "高客单" and reg["处理方式"].startswith("标旗观察")
    rep = sheet_dicts(wb["回复话术"])[0]
    assert rep["回复话术"] == "您好 A001 正在拦截 中通"
    assert "high_value=100" in sheet_dicts(wb["运行日志"])[0]["设置"]


def test_rerun_replaces_the_chart_instead_of_piling_up_parts(tmp_path):
    out = tmp_path / "demo.xlsx"
    run_demo(out)
    run_batch_file(out, out=out, now=NOW, progress=False)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
    assert sum(n.startswith("xl/charts/chart") for n in names) == 1
    assert sum(n.startswith("xl/drawings/drawing") and n.endswith(".xml") for n in names) == 1
    wb = openpyxl.load_workbook(out)
    assert len(wb["今日概览"]._charts) == 1
    assert len(sheet_dicts(wb["运行日志"])) == 2


def test_demo_writes_every_sheet_and_a_chart(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["demo"]) == 0
    wb = openpyxl.load_workbook(tmp_path / "refund_demo.xlsx")
    for name in ("售后登记", "设置", "话术模板", "列名映射", "拦截登记", "回复话术", "今日概览", "运行日志"):
        assert name in wb.sheetnames
    assert len(wb["今日概览"]._charts) == 1
    assert wb["今日概览"]["C1"].value == NOW
    assert len(sheet_dicts(wb["拦截登记"])) == 10
    assert list(tmp_path.iterdir()) == [tmp_path / "refund_demo.xlsx"]  # no stray files


def test_xlsm_keeps_its_macros_and_ribbon(tmp_path):
    src = tmp_path / "book.xlsm"
    plain = write_book(tmp_path / "plain.xlsx", [row("A001", "S001")])
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(src, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            if item.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>",
                                    b'<Relationship Id="rIdUI" Type="http://schemas.microsoft.com/office/2007/'
                                    b'relationships/ui/extensibility" Target="customUI/customUI.xml"/></Relationships>')
            zout.writestr(item, data)
        zout.writestr("xl/vbaProject.bin", b"VBA-BYTES")
        zout.writestr("customUI/customUI.xml", b"<customUI/>")
    run_batch_file(src, now=NOW, progress=False)  # in place
    with zipfile.ZipFile(src) as z:
        assert z.read("xl/vbaProject.bin") == b"VBA-BYTES"
        assert z.read("customUI/customUI.xml") == b"<customUI/>"
        assert b"ui/extensibility" in z.read("_rels/.rels")
    assert len(list(tmp_path.glob("book.bak-*.xlsm"))) == 1
    assert "拦截登记" in openpyxl.load_workbook(src, keep_vba=True).sheetnames


@pytest.mark.parametrize("args, message", [
    (("in.csv", None), "--out"),
    (("in.xlsx", "out.csv"), "输出"),
    (("in.xlsx", "out.xlsm"), ".xlsm"),
    (("missing.xlsx", "out.xlsx"), "找不到"),
])
def test_bad_paths_are_one_clear_line(tmp_path, args, message):
    inp, out = args
    if inp != "missing.xlsx":
        if inp.endswith(".csv"):
            (tmp_path / inp).write_text("订单号,售后类型\n1,仅退款\n", encoding="utf-8")
        else:
            write_book(tmp_path / inp, [row("A001", "S001")])
    with pytest.raises(RefundXLError) as err:
        run_batch_file(tmp_path / inp, out=(tmp_path / out) if out else None, now=NOW, progress=False)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_cli_batch_bad_settings_exit_2_and_file_untouched(tmp_path, capsys):
    src = write_book(tmp_path / "bad.xlsx", [row("A001", "S001")],
                     {"设置": [["键", "项目", "值"], ["high_value", "高客单", "很多"]]})
    before = src.read_bytes()
    assert cli.main(["batch", str(src), "--now", "2025-06-10T12:00"]) == 2
    err = capsys.readouterr().err
    assert "设置!C2" in err and "Traceback" not in err
    assert src.read_bytes() == before
    assert not list(tmp_path.glob("*.bak-*"))


def test_cli_batch_prints_a_summary(tmp_path, capsys):
    src = write_book(tmp_path / "t.xlsx", [row("A001", "S001")])
    assert cli.main(["batch", str(src), "--out", str(tmp_path / "o.xlsx"), "--now", "2025-06-10T12:00",
                     "--quiet"]) == 0
    out = capsys.readouterr()
    assert "已写入 o.xlsx" in out.out and "新增拦截登记 1 条" in out.out
    assert out.err == ""
    assert files.read_sheets(tmp_path / "o.xlsx")["拦截登记"][1][1] == "A001"
