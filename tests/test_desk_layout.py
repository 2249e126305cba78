"""Issue 13: the sheets the product writes read naturally — Chinese font, wrapped long text,
every chart label, and a desk's own cells keep their look."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime

import openpyxl
import pytest

from refund_xl import cli
from refund_xl._files.workbook import run_batch_file
from refund_xl._files.xlsxpatch import CJK_FONT

NOW = datetime(2025, 6, 10, 12, 0)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    from refund_xl._files.workbook import run_demo

    run_demo(folder / "refund_demo.xlsx", now=NOW)
    return folder / "refund_demo.xlsx"


def _col(ws, header, row=1):
    return next(c.column_letter for c in ws[row] if c.value == header)


def test_output_sheets_are_written_in_a_chinese_font(demo):
    wb = openpyxl.load_workbook(demo)
    for name in ("拦截登记", "回复话术", "今日概览", "运行日志"):
        ws = wb[name]
        cells = [c for row in ws.iter_rows(max_row=8) for c in row if c.value not in (None, "")]
        assert cells and all(c.font.name == CJK_FONT for c in cells), name
    assert wb["今日概览"]["A1"].font.b and wb["今日概览"]["C1"].number_format == "yyyy-mm-dd hh:mm"


def test_long_text_is_wrapped_in_replies_templates_and_overview(demo):
    wb = openpyxl.load_workbook(demo)
    rep = wb["回复话术"]
    text = _col(rep, "回复话术")
    assert rep[f"{text}2"].alignment.wrap_text and rep.column_dimensions[text].width >= 60
    tpl = wb["话术模板"]
    assert all(tpl.cell(r, 3).alignment.wrap_text for r in range(2, tpl.max_row + 1) if tpl.cell(r, 3).value)
    ov = wb["今日概览"]
    at = next(r for r in range(1, ov.max_row + 1) if str(ov.cell(r, 1).value).startswith("理赔清单"))
    head = [c.value for c in ov[at + 1]]
    for name in ("理赔原因", "处理动作"):
        cell = ov.cell(at + 2, head.index(name) + 1)
        assert cell.value and cell.alignment.wrap_text, name


def test_overview_chart_shows_every_label(demo):
    with zipfile.ZipFile(demo) as z:
        chart = next(z.read(n) for n in z.namelist() if n.startswith("xl/charts/chart"))
    assert re.search(rb"<catAx>.*<tickLblSkip val=\"1\" ?/>.*</catAx>", chart)


def test_the_desks_own_sheet_keeps_its_font(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(["订单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间"])
    ws.append(["A1", "仅退款", 59, "已发货", "中通", "ZT1", "运输中", datetime(2025, 6, 10, 8)])
    ws["A2"].font = openpyxl.styles.Font(name="Arial", size=13)
    wb.save(tmp_path / "book.xlsx")
    run_batch_file(tmp_path / "book.xlsx", out=tmp_path / "out.xlsx", now=NOW, progress=False)
    out = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert (out["售后登记"]["A2"].font.name, out["售后登记"]["A2"].font.sz) == ("Arial", 13)
    assert out["售后登记"]["B2"].font.name != CJK_FONT
    assert out["拦截登记"]["B2"].font.name == CJK_FONT


def test_evaluate_xlsx_is_in_a_chinese_font(tmp_path, capsys):
    src = tmp_path / "t.csv"
    src.write_text("订单号,售后类型,退款金额,发货状态\n001,仅退款,59,未发货\n", encoding="utf-8")
    assert cli.main(["evaluate", str(src), "--out", str(tmp_path / "o.xlsx"), "--now", "2025-06-10T12:00"]) == 0
    ws = openpyxl.load_workbook(tmp_path / "o.xlsx").active
    assert ws["A2"].font.name == CJK_FONT and ws["C2"].font.name == CJK_FONT and ws["A1"].font.b


def test_interception_typed_once_in_the_register_file_decides_the_next_run(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(["订单号", "售后单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态",
               "物流更新时间", "拦截状态"])
    ws.append(["7730001", "S1", "仅退款", 899, "已发货", "圆通", "YT88", "运输中", datetime(2025, 6, 10, 8), None])
    wb.save(tmp_path / "book.xlsx")
    book = tmp_path / "book.xlsx"
    run_batch_file(book, now=NOW, progress=False)
    wb = openpyxl.load_workbook(book)
    reg = wb["拦截登记"]
    head = [c.value for c in reg[1]]
    assert reg.cell(2, head.index("当前动作") + 1).value.startswith("高客单：拦截+标旗")
    reg.cell(2, head.index("拦截状态") + 1).value = "拦截成功"              # typed once, here
    wb.save(book)
    summary = run_batch_file(book, now=NOW, progress=False)
    assert "按拦截登记中填写的拦截状态判定 1 单" in summary
    wb = openpyxl.load_workbook(book)
    reg = wb["拦截登记"]
    assert reg.cell(2, head.index("当前动作") + 1).value == "同意退款"
    assert reg.cell(2, head.index("拦截状态") + 1).value == "拦截成功"
    # the empty 拦截状态 cell of the tracking sheet took the word, as the ribbon does (the formulas agree)
    assert wb["售后登记"]["J2"].value == "拦截成功"


def _tracking_book(path, templates=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(["订单号", "售后单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间"])
    ws.append(["7730002", "S2", "仅退款", 59, "已发货", "中通", "ZT77", "运输中", datetime(2025, 6, 10, 8)])
    if templates:
        tw = wb.create_sheet("话术模板")
        for row in templates:
            tw.append(row)
    wb.save(path)
    return path


def _reply_of(book):
    rep = openpyxl.load_workbook(book)["回复话术"]
    head = [c.value for c in rep[1]]
    return rep.cell(2, head.index("回复话术") + 1).value


def test_settings_file_templates_are_used_by_the_batch(tmp_path, capsys):
    own = [["动作代码", "动作", "话术模板"], ["INTERCEPT_REFUND_NOW", "", "本店自己的话术：{订单号}"]]
    book = _tracking_book(tmp_path / "book.xlsx", templates=own)
    settings = openpyxl.Workbook()
    settings.active.title = "设置"
    settings.active.append(["high_value", "高客单金额阈值(元)", 300])
    tw = settings.create_sheet("话术模板")
    tw.append(["动作代码", "动作", "话术模板"])
    tw.append(["INTERCEPT_REFUND_NOW", "低客单在途", "设置文件里的话术：订单{订单号}已为您发起拦截并退款"])
    settings.save(tmp_path / "团队设置.xlsx")
    assert cli.main(["batch", str(book), "--settings", str(tmp_path / "团队设置.xlsx"), "--now", "2025-06-10T12:00",
                     "--quiet"]) == 0
    assert _reply_of(book) == "设置文件里的话术：订单7730002已为您发起拦截并退款"
    # without --settings, the workbook's own 话术模板
    book2 = _tracking_book(tmp_path / "book2.xlsx", templates=own)
    assert cli.main(["batch", str(book2), "--now", "2025-06-10T12:00", "--quiet"]) == 0
    assert _reply_of(book2) == "本店自己的话术：7730002"


def test_settings_file_without_templates_keeps_the_workbooks_own(tmp_path, capsys):
    own = [["动作代码", "话术模板"], ["INTERCEPT_REFUND_NOW", "本店自己的话术：{订单号}"]]
    book = _tracking_book(tmp_path / "book.xlsx", templates=own)
    (tmp_path / "s.csv").write_text("high_value,300\n", encoding="utf-8")
    assert cli.main(["batch", str(book), "--settings", str(tmp_path / "s.csv"), "--now", "2025-06-10T12:00",
                     "--quiet"]) == 0
    assert _reply_of(book) == "本店自己的话术：7730002"


def test_settings_file_hands_its_value_mapping_sheet_on(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "设置"
    wb.active.append(["high_value", "", 300])
    vm = wb.create_sheet("值映射")
    vm.append(["字段", "原值", "标准值"])
    vm.append(["售后状态", "退款关闭", "已关闭"])
    wb.save(tmp_path / "s.xlsx")
    loaded = cli.load_settings_file(str(tmp_path / "s.xlsx"))
    assert loaded.settings.high_value == 300 and loaded.templates is None
    assert loaded.values == [["字段", "原值", "标准值"], ["售后状态", "退款关闭", "已关闭"]]
