"""Issue 11: one context, one book, one batch — every host resolves the same things the same way."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

import openpyxl
import pytest

from conftest import NOW
from helpers import workbook_file as _book
from refund_xl import macros, udfs
from refund_xl._app import batch, book as book_mod
from refund_xl._core import context
from refund_xl._files import files
from refund_xl.cli import main
from refund_xl._core.errors import ContextError, InputFileError, RefundXLError, SettingsError
from refund_xl._core.settings import settings_table
from refund_xl._files.workbook import run_batch_file, sample_path

BOOK_NOW = datetime(2025, 6, 10, 12, 0)


def _sample():
    table = files.read_table(sample_path())
    return list(table.headers), [list(r) for r in table.rows]


def _settings_rows(now: datetime | None) -> list[list[object]]:
    rows = settings_table()
    rows.append(["now", "基准时间", now, ""])
    return rows


# ------------------------------------------------------------------ context

def test_context_precedence_given_over_book_over_defaults():
    own = {"设置": _settings_rows(BOOK_NOW), "列名映射": [["表头", "字段"], ["单据号", "case_id"]],
           "话术模板": [["动作代码", "话术模板"], ["NUDGE_COURIER", "亲，我们马上催快递 {物流单号}"]]}
    ctx = context.build(own)
    assert ctx.now == BOOK_NOW and ctx.now_source == context.NOW_BOOK
    assert ctx.mappings.columns == {"单据号": "case_id"}
    assert ctx.templates["NUDGE_COURIER"].startswith("亲，我们马上催快递")
    given = context.build(own, now="2025-07-01T08:00", mappings={"退款编号": "case_id"},
                          templates={"NUDGE_COURIER": "X"})
    assert given.now == datetime(2025, 7, 1, 8) and given.now_source == context.NOW_GIVEN
    assert given.mappings.columns == {"退款编号": "case_id"} and given.templates["NUDGE_COURIER"] == "X"
    clock = context.build({}, clock=lambda: datetime(2030, 1, 1))
    assert clock.now == datetime(2030, 1, 1) and clock.now_source == context.NOW_CLOCK
    assert "设置" in ctx.now_text() and "2025-06-10 12:00" in ctx.now_text()


@pytest.mark.parametrize("bad", ["明天", "6月3日", "2025-13-40"])
def test_an_unreadable_reference_time_is_one_context_error(bad):
    with pytest.raises(ContextError) as err:
        context.build({}, now=bad, now_what="--now ")
    assert str(err.value).startswith("--now 无法识别") and "\n" not in str(err.value)
    assert isinstance(err.value, RefundXLError) and isinstance(err.value, ValueError)


def test_a_bad_setting_is_a_context_error_naming_the_cell():
    rows = settings_table()
    rows[1][2] = "二百"
    with pytest.raises(SettingsError) as err:
        context.build({"设置": rows})
    assert isinstance(err.value, ContextError) and "设置!C2" in str(err.value)


# ------------------------------------------------ 基准时间 means the same everywhere

def test_the_books_reference_time_means_the_same_to_evaluate_batch_and_formulas(tmp_path, capsys):
    headers, rows = _sample()
    settings = _settings_rows(BOOK_NOW)
    path = _book(tmp_path / "book.xlsx", {"售后登记": [headers, *rows], "设置": settings})
    # evaluate without --now counts from the book's 基准时间
    out = tmp_path / "out.csv"
    assert main(["evaluate", str(path), "--out", str(out)]) == 0
    assert "基准时间 2025-06-10 12:00（「设置」表的基准时间）" in capsys.readouterr().out   # every run says which
    with open(out, encoding="utf-8-sig", newline="") as fh:
        evaluated = [r["hours_left"] for r in csv.DictReader(fh)]
    # the formulas: REFUND_TABLE given the 设置 range and no now
    block = udfs.REFUND_TABLE(rows, [headers], settings, None, header=False)
    formula = [r[4] for r in block]
    assert [float(v) if v else "" for v in evaluated] == [round(v, 1) if v != "" else "" for v in formula]
    assert any(v not in ("", None) and abs(float(v)) < 500 for v in evaluated)   # not counted from 2026
    # the batch: its log records the same 基准时间
    assert "基准时间 2025-06-10 12:00（「设置」表的基准时间）" in run_batch_file(path, progress=False)
    log = list(openpyxl.load_workbook(path)[batch.LOG].iter_rows(values_only=True))
    head = list(log[0])
    assert log[-1][head.index("基准时间")] == BOOK_NOW


# ------------------------------------------------------------------ one finder

class _Reader:
    """A minimal read-only Book: the finder needs nothing more."""

    def __init__(self, sheets, active=None):
        self.sheets, self.active = sheets, active
        self.read: list[str] = []

    @property
    def sheet_names(self):
        return list(self.sheets)

    def active_sheet(self):
        return self.active

    def rows(self, name):
        self.read.append(name)
        return self.sheets[name]


def test_one_tracking_sheet_finder_for_every_host(tmp_path):
    headers, rows = _sample()
    sheets = {"说明": [["本表说明"]], "拦截登记": [["订单号", "售后单号", "售后类型"], ["X", "Y", "仅退款"]],
              "我的登记": [headers, *rows[:3]], "上月": [headers, *rows[3:5]]}
    reader = _Reader(sheets)
    assert book_mod.find_tracking(reader).sheet == "我的登记"
    assert reader.read == ["说明", "我的登记"]                      # an output sheet is never read as data
    assert book_mod.find_tracking(_Reader(sheets, active="上月")).sheet == "上月"       # Excel: the sheet in view
    assert book_mod.find_tracking(_Reader(sheets, active="拦截登记")).sheet == "我的登记"
    assert book_mod.find_tracking(_Reader(sheets, active="上月"), active=False).sheet == "我的登记"
    assert book_mod.find_tracking(reader, "上月").sheet == "上月"
    with pytest.raises(InputFileError, match="没有名为「无」的工作表"):
        book_mod.find_tracking(reader, "无", name="b.xlsx")
    with pytest.raises(InputFileError):
        book_mod.find_tracking(_Reader({"说明": [["本表说明"]]}), name="b.xlsx")
    # the file host and the CLI use the same finder
    path = _book(tmp_path / "b.xlsx", sheets)
    assert files.read_table(path).sheet == "我的登记"


# ------------------------------------------------------------------ one batch, two hosts

def test_the_ribbon_leaves_a_desks_own_sheet_named_like_an_output_alone_as_the_file_host_does(tmp_path):
    from xlwings_standin import Book as XlBook

    headers, rows = _sample()
    desk_sheet = [["今日概览是我们自己记的", None], ["周一", "开会"]]
    fake = XlBook({"售后登记": [headers, *rows], "今日概览": desk_sheet})
    summary = macros.daily_batch(fake, now=NOW)
    assert "输出写到「今日概览（售后助手）」" in summary
    assert fake.sheets["今日概览"].rows() == desk_sheet
    assert fake.sheets["今日概览（售后助手）"].rows()[0][0].startswith("今日概览")
    path = _book(tmp_path / "b.xlsx", {"售后登记": [headers, *rows], "今日概览": desk_sheet})
    report = run_batch_file(path, now=NOW, progress=False)
    assert "输出写到「今日概览（售后助手）」" in report
    wb = openpyxl.load_workbook(path)
    assert [list(r) for r in wb["今日概览"].iter_rows(values_only=True)][0][0] == "今日概览是我们自己记的"


def test_the_ribbon_lays_out_output_sheets_from_the_same_spec_as_the_file(tmp_path):
    from xlwings_standin import Book as XlBook

    headers, rows = _sample()
    fake = XlBook({"售后登记": [headers, *rows]})
    macros.daily_batch(fake, now=NOW)
    bold = {(e[1], e[2]) for e in fake.log if e[0] == "bold"}
    wrapped = {(e[1], e[2]) for e in fake.log if e[0] == "wrap"}
    path = _book(tmp_path / "b.xlsx", {"售后登记": [headers, *rows]})
    run_batch_file(path, now=NOW, progress=False)
    wb = openpyxl.load_workbook(path)
    for name in (batch.REGISTER, batch.REPLIES, batch.LOG):
        file_bold = {r for r in range(1, 4) if wb[name].cell(r, 1).font.b}
        assert {r for s, r in bold if s == name and r < 4} == file_bold, name
    reply_head = [c.value for c in wb[batch.REPLIES][1]]
    assert (batch.REPLIES, reply_head.index("回复话术") + 1) in wrapped
    assert wb[batch.REPLIES].cell(2, reply_head.index("回复话术") + 1).alignment.wrap_text


def test_both_hosts_fill_an_empty_intercept_cell_from_the_register(tmp_path):
    from xlwings_standin import Book as XlBook

    head = ["订单号", "售后单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间",
            "拦截状态"]
    row = ["7730001", "S1", "仅退款", 899, "已发货", "圆通", "YT88", "运输中", NOW - timedelta(hours=4), None]
    fake = XlBook({"售后登记": [head, row]})
    macros.daily_batch(fake, now=NOW)
    path = _book(tmp_path / "b.xlsx", {"售后登记": [head, row]})
    run_batch_file(path, now=NOW, progress=False)
    reg = fake.sheets[batch.REGISTER]
    col = reg.rows()[0].index("拦截状态") + 1
    reg.cells[(2, col)] = "拦截成功"
    wb = openpyxl.load_workbook(path)
    fcol = [c.value for c in wb[batch.REGISTER][1]].index("拦截状态") + 1
    wb[batch.REGISTER].cell(2, fcol).value = "拦截成功"
    wb.save(path)
    assert "按拦截登记中填写的拦截状态判定 1 单" in macros.daily_batch(fake, now=NOW)
    assert "按拦截登记中填写的拦截状态判定 1 单" in run_batch_file(path, now=NOW, progress=False)
    assert fake.sheets["售后登记"].rows()[1][9] == "拦截成功"
    assert openpyxl.load_workbook(path)["售后登记"]["J2"].value == "拦截成功"
