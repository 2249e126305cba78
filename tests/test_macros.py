"""The ribbon macros against the recording stand-in for xlwings' Book (tests/xlwings_standin.py; there
is no Excel here): every read and write is recorded so the tests can check "one call per range", and
text that Excel would take for a formula or a number shows as such.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from refund_xl import macros
from refund_xl._app import batch, book as book_mod
from refund_xl._app.memory import MemoryBook
from refund_xl._core import context
from refund_xl._excel import excel_book
from refund_xl._core.settings import settings_table
from xlwings_standin import Book

NOW = datetime(2025, 6, 10, 12, 0)
HEADERS = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号",
           "物流状态", "物流更新时间", "售后状态"]


def case(order, case_id, amount=59.0, carrier="中通", tracking="ZT1", state=None):
    return [order, case_id, NOW - timedelta(hours=3), "仅退款", amount, "已发货", carrier, tracking, "运输中",
            NOW - timedelta(hours=2), state]


def book_with(rows, **extra):
    return Book({"售后登记": [HEADERS, *rows], **extra})


def dicts(sheet):
    return sheet.dicts()


# ------------------------------------------------------------ the tests

def test_daily_batch_reads_each_range_once_and_writes_each_sheet_once():
    book = book_with([case("A001", "S001"), case("A002", "S002", amount=899.0, carrier="圆通", tracking="YT2")])
    summary = macros.daily_batch(book, now=NOW)
    assert summary and "新增拦截登记 2 条" in summary
    reads = [e for e in book.log if e[0] == "read"]
    assert [e[1] for e in reads] == ["售后登记"]  # nothing else existed yet
    writes = [e[1] for e in book.log if e[0] == "write"]
    assert writes == list(batch.OUTPUT_SHEETS)  # one write per output sheet
    assert [s.name for s in book.sheets][1:] == list(batch.OUTPUT_SHEETS)
    assert book.app.statuses[-1] == f"售后助手：{summary}"
    assert book.app.alerts == []
    reg = dicts(book.sheets["拦截登记"])
    assert [d["订单号"] for d in reg] == ["A001", "A002"]
    assert reg[0]["登记时间"] == NOW
    overview = book.sheets["今日概览"]
    (chart,) = overview.charts
    assert chart.chart_type == "bar_clustered" and chart.source[0] > 1


def test_rerun_keeps_what_staff_typed_in_excel():
    book = book_with([case("A001", "S001")])
    macros.daily_batch(book, now=NOW)
    reg = book.sheets["拦截登记"]
    head = reg.rows()[0]
    reg.cells[(2, head.index("拦截状态") + 1)] = "拦截成功"
    reg.cells[(2, head.index("跟进备注") + 1)] = "快递已确认"
    reg.cells[(1, len(head) + 1)] = "负责人"
    reg.cells[(2, len(head) + 1)] = "小李"
    rep = book.sheets["回复话术"]
    rep.cells[(2, rep.rows()[0].index("是否已发送") + 1)] = "是"
    track = book.sheets["售后登记"]
    for c, v in enumerate(case("A003", "S003", carrier="韵达", tracking="YD3"), start=1):
        track.cells[(3, c)] = v
    book.log.clear()
    macros.daily_batch(book, now=NOW + timedelta(hours=20))
    reads = [e[1] for e in book.log if e[0] == "read"]
    # each sheet read once: the tracking data, the merged sheets, and the snapshot sheets
    # (今日概览, 快递拦截清单, 读取报告) to see that they are still ours, not a desk's own sheet
    assert sorted(reads) == sorted(["售后登记", "拦截登记", "回复话术", "理赔登记", "钱货两空核查", "运行日志", "今日概览",
                                    "快递拦截清单", "读取报告"])
    rows = dicts(reg)
    assert [d["订单号"] for d in rows] == ["A001", "A003"]
    assert rows[0]["拦截状态"] == "拦截成功" and rows[0]["跟进备注"] == "快递已确认" and rows[0]["负责人"] == "小李"
    assert dicts(rep)[0]["是否已发送"] == "是"
    assert len(dicts(book.sheets["运行日志"])) == 2
    # the old chart was replaced, not piled up
    charts = [c for c in book.sheets["今日概览"].charts if not c.deleted]
    assert len(charts) == 1


def test_text_arrives_as_text_never_as_a_formula_or_a_number():
    evil = ["=HYPERLINK(\"http://x\",\"点我\")", "+8613800138000", "-1+1", "@SUM(A1)"]
    rows = [case(f"00{i}4432810491036318{i}", f"S{i}", carrier=text, tracking="0000789") for i, text in enumerate(evil)]
    book = book_with(rows)
    macros.daily_batch(book, now=NOW)
    for name in batch.OUTPUT_SHEETS:
        assert not book.sheets[name].formulas, name
    reg = dicts(book.sheets["拦截登记"])
    assert {d["快递公司"] for d in reg} == set(evil)
    assert {d["物流单号"] for d in reg} == {"0000789"}  # leading zeros kept
    assert reg[0]["订单号"].startswith("00")


# ------------------------------------------------------------ the use case behind the buttons (an in-memory book)

def memory_book(rows, **extra) -> MemoryBook:
    return MemoryBook({"售后登记": [HEADERS, *rows], **extra})


def run_part(book: MemoryBook, part: str = "daily", now=NOW) -> batch.BatchResult:
    """What a ribbon button runs on its book: the context from the book's own sheets, then the batch."""
    return book_mod.run_batch(book, context.build(book_mod.own_tables(book), now=now), part)


def memory_dicts(book: MemoryBook, name: str) -> list[dict]:
    head, *rows = book.rows(name)
    return [dict(zip(head, r)) for r in rows]


def test_register_button_writes_only_the_register_and_the_log():
    book = memory_book([case("A001", "S001")])
    run_part(book, "register")
    assert book.sheet_names == ["售后登记", "拦截登记", "快递拦截清单", "运行日志", "读取报告"]
    run_part(book, "replies")
    assert book.sheet_names[-1] == "回复话术"
    log = memory_dicts(book, "运行日志")
    assert [d["运行内容"] for d in log] == ["生成拦截登记", "生成回复话术"]


def test_settings_and_templates_come_from_their_sheets():
    settings = [r if r[0] != "high_value" else [r[0], r[1], 50, r[3]] for r in settings_table()]
    book = memory_book([case("A001", "S001")], 设置=settings,
                       话术模板=[["动作代码", "动作", "话术模板"], ["INTERCEPT_AND_WATCH", None, "拦截中：{订单号}"]])
    run_part(book)
    assert memory_dicts(book, "拦截登记")[0]["客单级别"] == "高客单"
    assert memory_dicts(book, "回复话术")[0]["回复话术"] == "拦截中：A001"


def test_a_bad_setting_is_one_sentence_in_a_message_box_and_nothing_is_written():
    settings = [["键", "项目", "值"], ["high_value", "高客单", "很多"]]
    book = book_with([case("A001", "S001")], 设置=settings)
    assert macros.daily_batch(book, now=NOW) is None
    ((title, text),) = book.app.alerts
    assert title == "售后助手" and "设置!C2" in text and "Traceback" not in text
    assert not [e for e in book.log if e[0] in ("write", "add")]


def test_no_tracking_sheet_is_reported_plainly():
    book = Book({"Sheet1": [["随便", "什么"], [1, 2]]})
    assert macros.daily_batch(book, now=NOW) is None
    assert "找不到售后登记表" in book.app.alerts[0][1]


def test_a_defect_shows_a_sentence_not_a_traceback(monkeypatch):
    book = book_with([case("A001", "S001")])

    def boom(*a, **k):
        raise ZeroDivisionError("x")

    monkeypatch.setattr(batch, "run_table", boom)
    assert macros.daily_batch(book, now=NOW) is None
    text = book.app.alerts[0][1]
    assert "ZeroDivisionError" in text and "Traceback" not in text and "line" not in text


def test_host_without_alert_falls_back_to_the_status_bar():
    book = Book({"Sheet1": [["x"]]}, can_alert=False)
    macros.daily_batch(book, now=NOW)
    assert "找不到售后登记表" in book.app.statuses[-1]


def test_the_active_sheet_is_the_tracking_sheet_when_it_has_the_columns():
    other = [HEADERS, case("B001", "T001")]
    book = MemoryBook({"售后登记": [HEADERS, case("A001", "S001")], "六月": other}, active="六月")
    run_part(book)
    assert memory_dicts(book, "拦截登记")[0]["订单号"] == "B001"
    book = Book({"说明": [["本簿说明"]], "六月": other})  # Excel's active sheet is what the adapter says
    book.sheets.active = book.sheets["六月"]
    macros.daily_batch(book, now=NOW)
    assert dicts(book.sheets["拦截登记"])[0]["订单号"] == "B001"


def test_without_excel_the_macro_does_not_raise():
    # xw.Book.caller() fails outside Excel: the macro must just return
    assert macros.daily_batch() is None


@pytest.mark.parametrize("value, expected", [("=1", "'=1"), ("abc", "'abc"), ("", None), (3.0, 3.0), (None, None)])
def test_inert_cell(value, expected):
    assert excel_book.inert_cell(value) == expected


def test_ribbon_reads_a_title_row_and_a_two_row_header_like_the_command_line():
    # 订单号 is merged down over both header rows: Excel keeps it in the upper cell only
    upper = ["订单号", "售后信息", None, None, None, None, "物流", None, None, None, None]
    lower = [None, *HEADERS[1:]]
    book = Book({"售后登记": [["2025年6月售后登记"], upper, lower, case("A001", "S001")]})
    macros.daily_batch(book, now=NOW)
    assert not book.app.alerts
    register = dicts(book.sheets["拦截登记"])
    assert [r["订单号"] for r in register] == ["A001"]


def test_check_headers_shows_and_writes_the_reading_report():
    book = Book({"售后登记": [["订单号", "类型", "金额", "发货状态", "备注"],
                                 ["A1", "仅退款", 59, "半发货", "x"]],
                     "值映射": [["字段", "原值", "标准值"], ["发货状态", "半发货", "已发货"]]})
    text = macros.check_headers(book, now=NOW)
    assert "未使用的列：备注" in text
    sheet = book.sheets["读取报告"].rows()
    assert sheet[0][0] == "读取报告"
    assert book.app.alerts and "未使用的列：备注" in book.app.alerts[-1][1]
    # 值映射 read by the ribbon: 半发货 is a word of this team, not unreadable
    assert "无法识别" not in text


# ------------------------------------------------------------ 拦截登记 → 售后登记 (contract §6)

def test_interception_typed_in_the_register_fills_the_empty_tracking_cell_only():
    headers = HEADERS + ["拦截状态"]
    rows = [case("A001", "S001", amount=899.0) + [None],                      # empty: filled from the register
            case("A002", "S002", amount=899.0, carrier="圆通", tracking="YT2") + ["拦截中"]]   # typed: kept
    book = Book({"说明": [["本表记录每天的售后单"]], "售后登记": [["6月售后登记"], headers, *rows]})
    macros.daily_batch(book, now=NOW)
    reg = book.sheets["拦截登记"]
    head = reg.rows()[0]
    for r in range(2, len(reg.rows()) + 1):
        reg.cells[(r, head.index("拦截状态") + 1)] = "拦截成功"
    book.log.clear()
    summary = macros.reply_scripts(book, now=NOW)          # even a replies-only run reads the register …
    assert "按拦截登记中填写的拦截状态判定 1 单" in summary
    track = book.sheets["售后登记"]
    col = headers.index("拦截状态") + 1
    assert (3, col) not in track.cells                     # … but writes no cell 拦截登记 could not remember
    book.log.clear()
    assert "按拦截登记中填写的拦截状态判定 1 单" in macros.daily_batch(book, now=NOW)
    assert track.cells[(3, col)] == "拦截成功"             # row 3: the title row, then the header row
    assert track.cells[(4, col)] == "拦截中"
    writes = [e for e in book.log if e[0] == "write" and e[1] == "售后登记"]
    assert writes == [("write", "售后登记", (3, col))]     # one cell, nothing else of the staff sheet


def test_no_interception_column_means_nothing_is_written_to_the_tracking_sheet():
    book = book_with([case("A001", "S001", amount=899.0)])
    macros.daily_batch(book, now=NOW)
    reg = book.sheets["拦截登记"]
    reg.cells[(2, reg.rows()[0].index("拦截状态") + 1)] = "拦截失败"
    book.log.clear()
    summary = macros.daily_batch(book, now=NOW)
    assert "判定 1 单" in summary
    assert not [e for e in book.log if e[0] == "write" and e[1] == "售后登记"]
    assert dicts(book.sheets["拦截登记"])[0]["当前动作"].startswith("拦截失败")
