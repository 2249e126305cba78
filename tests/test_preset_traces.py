"""contract §2 "A value is read as a whole phrase", §2.1, §2.2: an export's trace columns.

淘宝's 退货物流信息 holds "<快递公司> <单号>：<latest trace>" for the buyer's return.  Its trace
says where the return is; the export's 退款状态 (买家已经退货，等待卖家确认收货) only that the buyer
sent it.  A trace that says the return is off its way to the shop (退回, 拒收, 丢件, 异常), or that
nothing reads, makes 退货物流状态 unreadable and is quoted — never passed over for the status's
已揽收 (which refunds a low-value return on pickup).  The columns read this way are no "unused"
columns in the reading report.
"""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from refund_xl._core import engine, presets, rules, vocab
from refund_xl._core.fields import FIELD_BY_KEY
from refund_xl._core.vocab import BAD

NOW = "2025-06-10 12:00"
HEAD = ["退款编号", "订单编号", "支付宝交易号", "买家退款金额", "是否需要退货", "退款状态", "货物状态", "发货物流信息",
        "退款的申请时间", "买家实际支付金额", "退货物流单号", "退货物流信息"]
WAYBILL = "圆通速递 YT1234567890123"

# traces by where they leave the return: on its way to the shop, or not
ON_ITS_WAY = ["【杭州市】快件已由【杭州余杭区营业部】揽收", "快件已到达【上海转运中心】", "【上海市】快件离开【上海转运中心】",
              "【上海市】派件员正在为您派件", "已签收，签收人：仓库", "快件已签收", "已签收，签收人是商家", "快件已签收（仓库签收）"]
OFF_ITS_WAY = ["快件已退回，退回原因：收件人拒收", "收件人拒收", "快件丢失", "快件遗失，正在理赔", "快件在【广州转运中心】滞留",
               "派件异常，收件人电话无人接听", "原路退回"]
UNREAD = ["奇怪的文字", "请联系客服核实", "快件已在处理"]


def _row(trace: str, amount: str = "59") -> list[object]:
    return ["R1", "T1", "Z1", amount, "是", "买家已经退货，等待卖家确认收货", "买家已退货",
            "中通快递 75234220267368：已签收，签收人：门卫", "2025-06-08 10:00", amount, "YT1234567890123",
            f"{WAYBILL}：{trace}" if trace else None]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(OFF_ITS_WAY + UNREAD), st.sampled_from(["59", "899"]))
def test_a_return_trace_off_its_way_or_unread_is_quoted_never_passed_over(trace, amount):
    assert FIELD_BY_KEY["logistics"].parse(trace) not in ("未揽收", "已揽收", "运输中", "派送中", "已签收")
    (res,), rep = engine.evaluate_read([_row(trace, amount)], HEAD, now=NOW)
    assert "return_logistics" in res.case.bad and res.case.return_logistics is None, trace
    assert res.action_code != "REFUND_ON_PICKUP"
    assert any("退货物流状态" in line for line in rep.lines())


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(ON_ITS_WAY))
def test_a_return_trace_on_its_way_reads(trace):
    """A readable step on the way: the return's state, never unreadable (the status may say less)."""
    assert FIELD_BY_KEY["logistics"].parse(trace) not in (None, BAD)
    (res,), _rep = engine.evaluate_read([_row(trace)], HEAD, now=NOW)
    assert "return_logistics" not in res.case.bad and res.case.return_logistics == engine._return_word(trace), trace
    if res.case.return_logistics == "已签收":  # the return signed for at the shop: refunded after it is no 钱货两空
        (done,), _rep = engine.evaluate_read([_row(trace)[:5] + ["退款成功"] + _row(trace)[6:]], HEAD, now=NOW)
        assert done.action_code == "DONE" and done.loss_risk == "OK", trace


# traces that say the return has not left the buyer, beside a status that says the buyer sent it
NOT_YET_SENT = ["揽收失败", "已下单，等待快递员上门揽收", "等待揽收", "快递员未上门揽收"]


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(NOT_YET_SENT), st.sampled_from(["59", "899"]))
def test_a_return_trace_behind_the_status_is_one_of_the_two_never_refunded_on_pickup(trace, amount):
    assert engine._return_word(trace) == "未寄回", trace
    (res,), _rep = engine.evaluate_read([_row(trace, amount)], HEAD, now=NOW)
    assert res.case.return_logistics is None and res.case.typed("return_logistics").words == {"未寄回", "已揽收"}
    assert res.action_code not in ("REFUND_ON_PICKUP", "INSPECT_THEN_REFUND", "APPROVE_REFUND")


def _parcel_row(trace: str | None, goods: str, state: str = "买家已经申请退款，等待卖家同意") -> list[object]:
    return ["R2", "T2", "Z2", "59", "否", state, goods, trace, "2025-06-08 10:00", "59", None, None]


def test_no_shipment_record_beside_a_buyer_who_has_the_goods_is_no_not_shipped():
    """An empty 发货物流信息 says 未发货 — unless the buyer says the goods arrived: shipped with no record, or not?"""
    (res,), _rep = engine.evaluate_read([_parcel_row(None, "买家已收到货")], HEAD, now=NOW)
    assert res.case.ship_state is None and res.action_code == "NEEDS_INFO"
    (done,), _rep = engine.evaluate_read([_parcel_row(None, "买家已收到货", "退款成功")], HEAD, now=NOW)
    assert done.loss_risk == "RISK"
    (res,), _rep = engine.evaluate_read([_parcel_row(None, "买家未收到货")], HEAD, now=NOW)
    assert res.case.ship_state == "未发货" and res.action_code == "APPROVE_REFUND"


def test_a_shipment_trace_with_its_time_tells_when_the_parcel_last_moved():
    trace = "韵达快递 4312345678901：2025-06-09 20:10:00 快件已到达【北京顺义分拨中心】"
    (res,), _rep = engine.evaluate_read([_parcel_row(trace, "买家未收到货")], HEAD, now=NOW)
    assert res.case.logistics == "运输中" and str(res.case.last_update) == "2025-06-09 20:10:00"
    assert res.action_code == "INTERCEPT_REFUND_NOW"


def test_no_trace_leaves_the_status_word():
    (res,), _rep = engine.evaluate_read([_row("")], HEAD, now=NOW)
    assert res.case.return_logistics == "已揽收" and not res.case.bad


@settings(max_examples=30, deadline=None)
@given(st.sampled_from([p for p in presets.PRESETS if p.ship_info or p.return_info or p.ship_record]))
def test_an_exports_trace_columns_are_no_unused_columns(preset):
    """发货物流信息 / 退货物流信息 / 发货快递单号 are read for other fields: the report says which, never "unused"."""
    head = list(dict.fromkeys([*preset.signature, *(h for h in (preset.ship_info, preset.return_info,
                                                                  preset.ship_record) if h)]))
    rows = [[None] * len(head)]
    _res, rep = engine.evaluate_read(rows, head, now=NOW)
    for header in (preset.ship_info, preset.return_info, preset.ship_record):
        if header:
            assert header not in rep.unused, (preset.name, header)
            assert any(used[0] == header for used in rep.used), (preset.name, header)


def test_a_doudian_refund_after_a_refused_parcel_is_no_loss():
    """抖店's 是否拒签后退款「是」: the buyer refused the parcel — 物流状态 拒收, so a refund is no 钱货两空; 「否」 says nothing."""
    head = list(dict.fromkeys([*presets.DOUDIAN.signature, "售后单号", "订单号", "售后类型", "售后状态"]))
    cells = {"售后单号": "D1", "订单号": "O1", "商品单号": "S1", "退商品金额（元）": "59", "应付金额（元）": "59",
             "售后申请时间": "2025-06-09 10:00", "自动处理截止时间": "2025-06-11 10:00", "售后类型": "已发货仅退款",
             "商品发货状态": "已发货", "发货物流单号": "75211111111111", "售后状态": "同意退款，退款成功"}
    rows = [[{**cells, "是否拒签后退款": refused}.get(h) for h in head] for refused in ("是", "否")]
    (refused, not_said), _rep = engine.evaluate_read(rows, head, now=NOW)
    assert refused.case.logistics == "拒收" and refused.loss_risk == "OK"
    assert not_said.case.logistics is None and not_said.loss_risk == "RISK"


# (preset, column, word, field, the word it says at least) for every export column whose words state another field
# at least (Preset.implies, rules.BEHIND)
PRESET_CLAIMS = [(p, header, word, target, says) for p in presets.PRESETS for header, words in p.implies.items()
                 for word, stated in words.items() for target, says in stated.items()
                 if says in rules.BEHIND.get(target, {})]


def test_the_preset_claims_include_a_refund_paid_before_the_return():
    assert (presets.JD, "退款审核状态", "京东财务审核通过", "case_state", "已退款") in PRESET_CLAIMS


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(PRESET_CLAIMS), st.data())
def test_an_exports_column_that_states_a_word_asks_beside_a_word_behind_it(claim, data):
    """An export's column saying at least a word of another field (JD 退款审核状态 京东财务审核通过: refunded) beside that
    field's own word it shows behind (服务单状态 待收货: open): one of the two, both quoted — never the word behind (an
    open case is no 钱货两空).  A word as far or further stands.  The column is read, never "unused"."""
    preset, header, word, target, says = claim
    own = data.draw(st.sampled_from(sorted(FIELD_BY_KEY[target].choices)))
    own_header = next((h for h, k in preset.headers.items() if k == target), FIELD_BY_KEY[target].header)
    head = list(dict.fromkeys([*preset.signature, own_header, header]))
    cells = {own_header: own, header: word}
    rows = [[cells.get(h, "1" if h in preset.headers and preset.headers[h] in ("case_id", "order_id") else None)
             for h in head]]
    (res,), rep = engine.evaluate_read(rows, head, now=NOW)
    assert rep.preset == preset.name
    assert header not in rep.unused and any(used[0] == header for used in rep.used)
    if own in rules.BEHIND[target][says]:
        assert getattr(res.case, target) is None and target in res.case.bad, (claim, own)
        both = res.case.typed(target)
        assert isinstance(both, vocab.Both) and both.words == {own, says} and header in both, (claim, own, both)
    else:
        assert getattr(res.case, target) == own, (claim, own)


def test_a_jd_refund_the_finance_paid_before_the_return_came_back_is_a_loss_risk():
    """JD pays some refunds before the return arrives (服务单状态 待收货, 退款审核状态 京东财务审核通过): money out, goods
    not back — 钱货两空 at risk, asked; never an open case waiting for the return with no risk."""
    head = list(dict.fromkeys([*presets.JD.signature, "订单号", "申请时间", "实付金额", "退款审核状态"]))
    base = {"服务单号": "J1", "申请单号": "A1", "订单号": "O1", "申请时间": "2025-06-07 10:00", "客户期望": "退货",
            "审核结果": "审核通过", "实付金额": 59, "取件地址": "浙江省杭州市西湖区"}
    rows = [[{**base, "服务单状态": state, "退款审核状态": audit}.get(h) for h in head]
            for state, audit in (("待收货", "京东财务审核通过"), ("待收货", "审核通过"), ("完成", "京东财务审核通过"))]
    (paid, approved, done), _rep = engine.evaluate_read(rows, head, now=NOW)
    assert paid.action_code == "NEEDS_INFO" and paid.loss_risk == "RISK"
    assert approved.case.case_state == "处理中" and approved.loss_risk == "OK"
    assert done.case.case_state == "已退款" and done.loss_risk == "RISK"
