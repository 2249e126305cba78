"""A 千牛 发货物流信息 cell whose number Excel cut short (「中通快递 7.52342E+13：运输中」) is split as any other
(contract §2.1 carrier and number inside 发货物流信息, §2 "Ids"): the carrier and the courier's state read, only the
number unreadable — asked as 物流单号, never invented, never the whole text taken for 物流状态.  And a cell of the
book's 物流状态 that nothing reads (an older import's whole text) is replaced by a later export's word."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from refund_xl._app import intake
from refund_xl._core import engine, presets, vocab

CARRIERS = ["中通快递", "圆通速递", "韵达快递", "申通快递", "极兔速递", "顺丰速运"]
STATES = {"运输中": "运输中", "已签收，签收人：本人": "已签收", "快件丢失": "丢件", "收件人拒收": "拒收"}
HEAD = ["订单编号", "退款编号", "宝贝标题", "买家退款金额", "是否需要退货", "退款的申请时间", "超时时间", "退款状态", "货物状态",
        "发货物流信息"]


def _cut(number: int, e: str, digits: int) -> str:
    """How Excel's CSV shows a number it took a waybill for: 7.52342E+13."""
    return f"{float(number):.{digits}{e}}".replace("e+", "e+" if e == "e" else "E+")


lossy = st.builds(_cut, st.integers(10 ** 12, 10 ** 15), st.sampled_from(["E", "e"]), st.integers(2, 6))


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(CARRIERS), lossy, st.sampled_from(sorted(STATES)), st.sampled_from(["：", ":", " ："]),
       st.sampled_from(["", " "]))
def test_a_cut_number_inside_the_waybill_cell_is_the_only_thing_unreadable(carrier, number, trace, sep, gap):
    assert vocab.is_lossy_id(number)
    cell = f"{carrier}{gap or ' '}{number}{sep}{trace}"
    got_carrier, got_number, got_trace = presets.split_waybill(cell)
    assert (got_carrier, got_number, got_trace) == (carrier, number, vocab.parse_text(trace))
    row = ["4242994886263078950", "152837465012345690", "T恤", "59.00", "否", "2025-06-09 10:00:00",
           "2025-06-11 10:00:00", "等待卖家同意", "买家未收到货", cell]
    (res,) = engine.evaluate([row], HEAD, now="2025-06-10 12:00")
    case = res.case
    assert case.carrier == carrier and case.logistics == STATES[trace] and case.tracking_no is None
    assert "tracking_no" in case.bad and case.typed("tracking_no") == number and "logistics" not in case.bad


def _read(rows, name):
    return intake.read_export(name, [HEAD, *rows])


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(CARRIERS), lossy, st.sampled_from(sorted(STATES)))
def test_a_later_readable_export_fixes_the_waybill_and_an_unreadable_state(carrier, number, trace):
    def row(cell):
        return ["4242994886263078950", "152837465012345690", "T恤", "59.00", "否", "2025-06-09 10:00:00",
                "2025-06-11 10:00:00", "退款待处理", "买家未收到货", cell]
    head = intake.new_sheet_headers()
    book = [list(r) for r in intake.plan_merge(head, [], [_read([row(f"{carrier} {number}：{trace}")], "a.csv")]).appended]
    at = {h: head.index(h) for h in ("快递公司", "物流单号", "物流状态")}
    assert book[0][at["快递公司"]] == carrier and book[0][at["物流状态"]] == STATES[trace]
    assert not str(book[0][at["物流单号"]] or "").isdigit()  # never digits Excel invented
    # an older book whose 物流状态 took the whole text: a readable export replaces it, and says so
    book[0][at["物流状态"]] = f"{carrier} {number}:{trace}"
    plan = intake.plan_merge(head, book, [_read([row(f"{carrier} 75234220267373：{trace}")], "b.csv")])
    assert plan.cells[(0, at["物流状态"])] == STATES[trace]
    assert plan.cells[(0, at["物流单号"])] == "75234220267373"
    assert "认不出" in plan.summary()
