"""contract §4: every row of the REFUND_ACTION table, the stall/deadline/tier/risk
rules and their threshold boundaries.

Every case is built the way a sheet hands it over (headers + rows of raw cell
values) and run through ``engine.evaluate``; the tests assert the action code
AND the rule that fired.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import assume, example, given, settings, strategies as st

from conftest import NOW, ago, ahead, evaluate_one
from refund_xl._core import rules, vocab
from refund_xl._core.errors import SettingsError
from refund_xl._core.fields import FIELD_BY_KEY, FIELDS
from refund_xl._core.settings import DEFAULTS, Settings, from_table

# ---------------------------------------------------------------- builders


def refund_only(**kw):
    """仅退款 row (low value unless amount is given)."""
    return {"refund_type": "仅退款", "amount": "59元", **kw}


def shipped(logistics, **kw):
    return refund_only(ship_state="已发货", logistics=logistics, **kw)


def in_transit(**kw):
    """已发货, 运输中, moved 2 hours ago (stall NORMAL)."""
    kw.setdefault("last_update", ago(2))
    return shipped("运输中", **kw)


def high_in_transit(**kw):
    return in_transit(amount="¥1,299.00", **kw)


def return_refund(**kw):
    """退货退款 row, return not sent yet unless said; a 退货原因 column (blank: no special reason)."""
    return {"refund_type": "退货退款", "amount": 120, "reason": None, **kw}


# ------------------------------------------------------------ §4.2 table

# (id, fields, expected code, expected rule)
ACTION_TABLE = [
    # 0a — closed cases, whatever else the row says
    ("rule_0a_done_refunded", refund_only(case_state="已退款", ship_state="已发货", logistics="运输中"), "DONE", "0a"),
    ("rule_0a_done_closed", return_refund(case_state="已关闭"), "DONE", "0a"),
    ("rule_0a_done_finished", refund_only(case_state="已完结", ship_state="未发货"), "DONE", "0a"),
    ("rule_0a_done_beats_missing_info", {"refund_type": "仅退款", "case_state": "退款成功"}, "DONE", "0a"),
    # 0b — required field missing or unreadable
    ("rule_0b_needs_info_no_order_id", refund_only(order_id=None, ship_state="未发货"), "NEEDS_INFO", "0b"),
    ("rule_0b_needs_info_no_refund_type", {"amount": 59, "ship_state": "未发货"}, "NEEDS_INFO", "0b"),
    ("rule_0b_needs_info_unknown_refund_type", {"refund_type": "以旧换新券", "amount": 59, "ship_state": "未发货"},
     "NEEDS_INFO", "0b"),
    ("rule_0c_manual_review_exchange", {"refund_type": "换货", "amount": 59, "ship_state": "未发货"},
     "MANUAL_REVIEW", "0c"),
    ("rule_0b_needs_info_no_amount_in_transit", {"refund_type": "仅退款", "ship_state": "已发货", "logistics": "运输中",
                                                 "last_update": ago(2)}, "NEEDS_INFO", "0b"),
    ("rule_0b_needs_info_unreadable_amount", in_transit(amount="五十九"), "NEEDS_INFO", "0b"),
    # a required field is asked for even where it would not change the action (contract §4.2 row 0b)
    ("rule_0b_needs_info_no_amount", {"refund_type": "仅退款", "ship_state": "未发货"}, "NEEDS_INFO", "0b"),
    ("rule_0b_needs_info_lossy_order_id", refund_only(order_id="4.80299E+18", ship_state="未发货"), "NEEDS_INFO", "0b"),
    ("rule_0b_needs_info_lossy_tracking_no", refund_only(tracking_no=3.14159e18, ship_state="已发货", logistics="运输中",
                                                         last_update=ago(2)), "NEEDS_INFO", "0b"),
    # an unknown fact that cannot change the action does not block it (contract §2 "Three kinds of fact")
    ("rule_18_update_time_unknown_within_a_day_does_not_matter",
     shipped("运输中", last_update="2025-06-10", province="浙江"), "INTERCEPT_REFUND_NOW", "18"),
    ("rule_0b_needs_info_in_transit_without_update_time", shipped("运输中"), "NEEDS_INFO", "0b"),
    ("rule_0b_needs_info_no_ship_state", refund_only(), "NEEDS_INFO", "0b"),
    ("rule_0b_needs_info_refund_only_shipped_without_logistics", refund_only(ship_state="已发货"),
     "NEEDS_INFO", "0b"),
    ("rule_0b_needs_info_unreadable_logistics", shipped("火星快递中"), "NEEDS_INFO", "0b"),
    ("rule_0b_needs_info_unreadable_last_update", shipped("运输中", last_update="昨天下午"), "NEEDS_INFO", "0b"),
    # 仅退款 — 1: shipped offline (or 未发货 with a tracking number)
    ("rule_1_offline_intercept_offline", refund_only(ship_state="线下已发货"), "INTERCEPT_OFFLINE", "1"),
    ("rule_1_offline_unsynced_with_tracking_no",
     refund_only(ship_state="未发货", tracking_no="0SF1234567890"), "INTERCEPT_OFFLINE", "1"),
    ("rule_1_offline_intercepting_still_offline",
     refund_only(ship_state="线下已发货", intercept="拦截中"), "INTERCEPT_OFFLINE", "1"),
    ("rule_1_offline_intercept_success_approve",
     refund_only(ship_state="线下已发货", intercept="拦截成功"), "APPROVE_REFUND", "1"),
    ("rule_1_offline_intercept_failed_ask_refuse",
     refund_only(ship_state="未发货", tracking_no="YT998877", intercept="拦截失败"), "ASK_REFUSE_DELIVERY", "1"),
    # 2–5: not shipped
    ("rule_2_unshipped_standard_approve", refund_only(ship_state="未发货", goods_kind="标品"), "APPROVE_REFUND", "2"),
    ("rule_2_unshipped_goods_kind_defaults_to_standard", refund_only(ship_state="未发货"), "APPROVE_REFUND", "2"),
    ("rule_3_unshipped_custom_no_cost_approve",
     refund_only(ship_state="未发货", goods_kind="定制", cost_incurred="否"), "APPROVE_REFUND", "3"),
    ("rule_3_unshipped_proxy_no_cost_approve",
     refund_only(ship_state="未发货", goods_kind="代购", cost_incurred="否"), "APPROVE_REFUND", "3"),
    ("rule_4_unshipped_custom_cost_negotiate",
     refund_only(ship_state="未发货", goods_kind="定制", cost_incurred="是"), "NEGOTIATE_COST", "4"),
    ("rule_4_unshipped_proxy_cost_negotiate",
     refund_only(ship_state="未发货", goods_kind="代购", cost_incurred="是"), "NEGOTIATE_COST", "4"),
    ("rule_5_unshipped_custom_cost_unknown_ask_reason",
     refund_only(ship_state="未发货", goods_kind="定制"), "ASK_REASON", "5"),
    # 6–13: shipped, logistics known
    ("rule_6_not_picked_up_check_warehouse", shipped("未揽收"), "CHECK_WAREHOUSE", "6"),
    ("rule_7_parcel_lost_refund_or_reship", shipped("丢件"), "REFUND_OR_RESHIP_CLAIM", "7"),
    ("rule_8_refused_approve", shipped("拒收"), "APPROVE_REFUND", "8"),
    ("rule_8_returned_approve", shipped("退回"), "APPROVE_REFUND", "8"),
    ("rule_9_signed_courier_says_lost", shipped("已签收", courier_check="丢件", customer_says="未收到"),
     "REFUND_OR_RESHIP_CLAIM", "9"),
    ("rule_10_signed_courier_confirms_reject", shipped("已签收", courier_check="已签收", customer_says="未收到"),
     "REJECT_WITH_PROOF", "10"),
    ("rule_10_signed_customer_will_not_withdraw_reject", shipped("已签收", customer_says="不撤销"),
     "REJECT_WITH_PROOF", "10"),
    ("rule_11_signed_customer_not_received_verify", shipped("已签收", customer_says="未收到"),
     "VERIFY_WITH_COURIER", "11"),
    ("rule_12_signed_customer_received_guide_to_return", shipped("已签收", customer_says="已收到"),
     "GUIDE_TO_RETURN", "12"),
    ("rule_13_signed_nothing_known_confirm_receipt", shipped("已签收"), "CONFIRM_RECEIPT", "13"),
    # 14–15: 真停滞 / 假停滞
    ("rule_14_in_transit_stalled_lost_claim", shipped("运输中", last_update=ago(50), province="浙江"), "REFUND_OR_RESHIP_CLAIM", "14"),
    ("rule_14_delivering_stalled_lost_claim", shipped("派送中", last_update=ago(48), province="浙江"), "REFUND_OR_RESHIP_CLAIM", "14"),
    ("rule_14_abnormal_stalled_lost_claim", shipped("异常", last_update=ago(60), province="浙江"), "REFUND_OR_RESHIP_CLAIM", "14"),
    ("rule_14_remote_beyond_both_thresholds_no_province_needed", shipped("运输中", last_update=ago(80)),
     "REFUND_OR_RESHIP_CLAIM", "14"),
    ("rule_0b_between_thresholds_province_unknown_asks", shipped("运输中", last_update=ago(50)), "NEEDS_INFO", "0b"),
    ("rule_15_abnormal_not_lost_nudge", shipped("异常", last_update=ago(30)), "NUDGE_COURIER", "15"),
    ("rule_0b_abnormal_without_update_time_asks", shipped("异常"), "NEEDS_INFO", "0b"),
    # 16–21: in transit
    ("rule_16_in_transit_intercept_success_approve", in_transit(intercept="拦截成功"), "APPROVE_REFUND", "16"),
    ("rule_17_in_transit_intercept_failed_ask_refuse", in_transit(intercept="拦截失败"), "ASK_REFUSE_DELIVERY", "17"),
    ("rule_18_intercept_refund_now", in_transit(), "INTERCEPT_REFUND_NOW", "18"),
    ("rule_18_intercept_refund_now_low_value_even_when_intercepting", in_transit(intercept="拦截中"),
     "INTERCEPT_REFUND_NOW", "18"),
    ("rule_19_intercept_and_watch", high_in_transit(), "INTERCEPT_AND_WATCH", "19"),
    ("rule_20_check_intercept_result_after_check_hours",
     high_in_transit(intercept="拦截中", intercept_at=ago(30), deadline=ahead(40)), "CHECK_INTERCEPT_RESULT", "20"),
    ("rule_20_check_intercept_result_no_intercept_time",
     high_in_transit(intercept="拦截中", deadline=ahead(40)), "CHECK_INTERCEPT_RESULT", "20"),
    ("rule_20_check_intercept_result_deadline_warn",
     high_in_transit(intercept="拦截中", intercept_at=ago(3), deadline=ahead(6)), "CHECK_INTERCEPT_RESULT", "20"),
    ("rule_20_check_intercept_result_deadline_overdue",
     high_in_transit(intercept="拦截中", intercept_at=ago(3), deadline=ago(1)), "CHECK_INTERCEPT_RESULT", "20"),
    ("rule_21_wait_intercept",
     high_in_transit(intercept="拦截中", intercept_at=ago(3), deadline=ahead(40)), "WAIT_INTERCEPT", "21"),
    # 退货退款 — 22–33
    ("rule_22_refund_without_return_shipping_costs_more",
     return_refund(amount="15元", return_cost="18"), "REFUND_WITHOUT_RETURN", "22"),
    ("rule_22_refund_without_return_rotten", return_refund(reason="水果腐烂了"), "REFUND_WITHOUT_RETURN", "22"),
    ("rule_22_refund_without_return_no_ship", return_refund(no_ship="是"), "REFUND_WITHOUT_RETURN", "22"),
    ("rule_23_issue_compensation", return_refund(reason="小瑕疵", negotiation="同意补偿"), "ISSUE_COMPENSATION", "23"),
    ("rule_24_arrange_exchange", return_refund(reason="质量问题", negotiation="同意换货"), "ARRANGE_EXCHANGE", "24"),
    ("rule_25_reship_missing", return_refund(reason="少发漏发"), "RESHIP_MISSING", "25"),
    ("rule_26_offer_compensation", return_refund(reason="小瑕疵"), "OFFER_COMPENSATION", "26"),
    ("rule_27_offer_exchange", return_refund(reason="小瑕疵", negotiation="拒绝补偿"), "OFFER_EXCHANGE", "27"),
    ("rule_28_return_refund_paid_shipping", return_refund(reason="小瑕疵", negotiation="拒绝换货"),
     "RETURN_REFUND_PAID_SHIPPING", "28"),
    ("rule_29_wait_return", return_refund(reason="不想要"), "WAIT_RETURN", "29"),
    ("rule_29_wait_return_flaw_but_insists", return_refund(reason="小瑕疵", negotiation="坚持退款"), "WAIT_RETURN", "29"),
    ("rule_30_dispute_inspection", return_refund(return_logistics="已签收", inspection="不合格"),
     "DISPUTE_INSPECTION", "30"),
    ("rule_31_refund_on_pickup", return_refund(return_logistics="已揽收"), "REFUND_ON_PICKUP", "31"),
    ("rule_31_refund_on_pickup_in_transit", return_refund(return_logistics="运输中"), "REFUND_ON_PICKUP", "31"),
    ("rule_32_inspect_then_refund", return_refund(amount=899, return_logistics="运输中"), "INSPECT_THEN_REFUND", "32"),
    ("rule_32_inspect_then_refund_signed", return_refund(amount=899, return_logistics="已签收"),
     "INSPECT_THEN_REFUND", "32"),
    ("rule_33_approve_signed_low_value", return_refund(return_logistics="已签收"), "APPROVE_REFUND", "33"),
    ("rule_33_approve_inspection_passed_high_value",
     return_refund(amount=899, return_logistics="已签收", inspection="合格"), "APPROVE_REFUND", "33"),
    ("rule_33_approve_inspection_passed_in_transit",
     return_refund(amount=899, return_logistics="运输中", inspection="合格"), "APPROVE_REFUND", "33"),
]


@pytest.mark.parametrize("fields, code, rule", [c[1:] for c in ACTION_TABLE], ids=[c[0] for c in ACTION_TABLE])
def test_refund_action_table(fields, code, rule):
    res = evaluate_one(**fields)
    assert not res.error
    assert (res.action_code, res.rule) == (code, rule), res.why()
    assert res.why().startswith(f"规则{rule}：")


def test_action_table_covers_every_rule_and_code():
    covered_rules = {c[3] for c in ACTION_TABLE}
    assert covered_rules == {"0a", "0b", "0c", *(str(i) for i in range(1, 34))}
    assert {c[2] for c in ACTION_TABLE} == set(rules.ACTIONS)
    rule1 = {c[2] for c in ACTION_TABLE if c[3] == "1"}
    assert rule1 == {"INTERCEPT_OFFLINE", "APPROVE_REFUND", "ASK_REFUSE_DELIVERY"}


_TRACK = "（可运行 refund-xl track，或填写该列）"
_CASE = "（见平台售后单）"


@pytest.mark.parametrize("fields, missing", [
    (in_transit(amount=None), ("退款金额" + _CASE,)),
    (in_transit(amount="abc"), ("退款金额「abc」",)),
    (refund_only(order_id=None, ship_state="未发货"), ("订单号" + _CASE,)),
    ({"ship_state": "未发货"}, ("售后类型", "退款金额", "退货原因" + _CASE)),   # a return would also need its reason
    (refund_only(order_id="4.80299E+18", ship_state="未发货"),
     ("订单号「4.80299E+18」（Excel 已丢掉后几位：把该列设为文本后重新粘贴）",)),
    (refund_only(ship_state="已发货", last_update=ago(2)), ("物流状态" + _TRACK,)),
    (refund_only(ship_state="已发货"), ("物流状态", "物流更新时间" + _TRACK)),
    (refund_only(ship_state="半发货", logistics="运输中", last_update=ago(2)), ("发货状态「半发货」",)),
    ({"refund_type": "退货退款", "amount": 120}, ("退货原因" + _CASE,)),   # no 退货原因 column: the reason decides a return
    (refund_only(logistics="运输中", last_update=ago(2)), ("发货状态（见订单的发货记录）",)),
    (shipped("运输中", last_update=ago(50)), ("收货省份（写上省份，如 浙江、新疆）",)),   # between the two lost thresholds
    (shipped("运输中", last_update=ago(50), province="衢州市柯城区"), ("收货省份（写上省份，如 浙江、新疆）",)),
    (shipped("运输中", last_update="6月8日", province="浙江"), ("物流更新时间「2025-06-08」（只有日期：请写上时刻）",)),
], ids=["amount_missing", "amount_unreadable", "order_id_missing", "type_and_amount_missing", "order_id_lossy",
        "shipped_without_logistics", "shipped_without_logistics_or_time", "ship_state_unreadable",
        "return_without_a_reason_column", "ship_state_missing", "province_between_thresholds", "province_unplaced",
        "update_time_without_a_time_of_day"])
def test_needs_info_names_the_fields_that_decide(fields, missing):
    res = evaluate_one(**fields)
    assert res.action_code == "NEEDS_INFO"
    assert res.decision.missing == missing
    assert res.action_label().startswith("#信息不足: ")


@pytest.mark.parametrize("key", [f.key for f in FIELDS])
def test_every_field_an_ask_can_name_says_where_to_get_it(key):
    """Contract §4 rule 0b: NEEDS_INFO names the field *and where to get it* — for every field, in both
    languages, alone and as the field another column disagrees with (a value typed but unreadable is quoted
    instead)."""
    case = rules.Case(**{f: None for f in rules.Case._fields if f not in ("sheet", "bad", "bad_values")})
    for english in (False, True):
        text = rules.named(case, key, english)
        header = FIELD_BY_KEY[key].english if english else FIELD_BY_KEY[key].header
        opening, closing = (" (", ")") if english else ("（", "）")
        assert text.startswith(header + opening) and text.endswith(closing) and len(text) > len(header) + 3, (key, text)
        where = rules.WHERE[key][1 if english else 0]
        assert where in text and where in rules.named(case, f"{key}@logistics", english)


_BLANKABLE = {"refund_type": ("仅退款", "退货退款"), "amount": ("59", "1299"), "ship_state": ("未发货", "已发货"),
              "logistics": ("运输中", "已签收", "未揽收"), "last_update": (ago(2), ago(50)), "province": ("浙江",),
              "intercept": ("拦截中", "未拦截"), "intercept_at": (ago(3),), "applied_at": (ago(30),),
              "reason": ("质量问题",), "order_id": ("0012345",)}


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({k: st.sampled_from((None, *v)) for k, v in _BLANKABLE.items()}))
def test_every_ask_for_a_missing_fact_says_where_to_get_it(row):
    """Any row that asks: each field it names without a typed value is followed, within the shared hint of its
    neighbours, by where to get it (超时时间 of a high-value parcel under interception: the platform's deadline or
    the request time)."""
    res = evaluate_one(**row)
    if res.action_code != "NEEDS_INFO":
        return
    missing = res.decision.missing
    for i, name in enumerate(missing):
        if "「" not in name:
            assert any("（" in m for m in missing[i:]), missing
    if any(m.startswith("超时时间") for m in missing):
        assert "申请时间" in next(m for m in missing if m.startswith("超时时间")), missing


def test_zero_amount_is_present_not_missing():
    # A 0-yuan refund (e.g. a free gift) is readable: it is a low-value case, not NEEDS_INFO.
    res = evaluate_one(**in_transit(amount="0"))
    assert (res.action_code, res.rule, res.value_tier) == ("INTERCEPT_REFUND_NOW", "18", "LOW")


def test_return_refund_does_not_need_ship_state():
    res = evaluate_one(**return_refund(reason="不想要"))
    assert res.action_code == "WAIT_RETURN"


def test_unreadable_field_not_read_by_the_branch_does_not_block():
    # 退货退款 does not read the courier's logistics: junk there is no reason for NEEDS_INFO.
    res = evaluate_one(**return_refund(logistics="???", return_logistics="已签收"))
    assert (res.action_code, res.rule) == ("APPROVE_REFUND", "33")


@pytest.mark.parametrize("fields, rule", [
    (return_refund(amount=15, return_cost=18, negotiation="同意补偿"), "22"),   # 22 before 23
    (return_refund(reason="少发", negotiation="拒绝补偿"), "25"),               # 少发漏发 reships whatever
    (return_refund(reason="小瑕疵", return_logistics="运输中"), "31"),           # sent back: no longer negotiable
    (return_refund(amount=10, return_cost=18, return_logistics="运输中"), "31"),  # 22 only while 未寄回
    (shipped("运输中", last_update=ago(49), intercept="拦截成功", province="浙江"), "14"),         # stall LOST before 16
])
def test_first_matching_rule_wins(fields, rule):
    assert evaluate_one(**fields).rule == rule


# --------------------------------------------------------------- why / facts

def test_why_of_rule_18_shows_the_threshold():
    res = evaluate_one(**in_transit())
    assert res.why() == "规则18：已发货·运输中·59 < 高客单阈值 200"


def test_why_of_rule_14_remote_names_the_region():
    res = evaluate_one(**shipped("运输中", last_update=ago(80), province="西藏自治区拉萨市"))
    assert res.rule == "14"
    assert "偏远地区西藏" in res.why() and "丢件阈值 72" in res.why()


# ------------------------------------------------------ threshold boundaries

@pytest.mark.parametrize("amount, tier, rule", [
    (199.99, "LOW", "18"), ("199.99", "LOW", "18"), (200, "HIGH", "19"), ("¥200.00", "HIGH", "19"),
])
def test_high_value_boundary(amount, tier, rule):
    res = evaluate_one(**in_transit(amount=amount))
    assert (res.value_tier, res.rule) == (tier, rule)


@pytest.mark.parametrize("amount, code", [(199.99, "REFUND_ON_PICKUP"), (200, "INSPECT_THEN_REFUND")])
def test_high_value_boundary_on_returns(amount, code):
    assert evaluate_one(**return_refund(amount=amount, return_logistics="已揽收")).action_code == code


@pytest.mark.parametrize("hours, stall", [
    (0, "NORMAL"), (23.9, "NORMAL"), (24, "NUDGE"), (47.9, "NUDGE"), (48, "LOST"), (500, "LOST"),
])
def test_stall_boundaries(hours, stall):
    res = evaluate_one(**shipped("运输中", last_update=ago(hours), province="广东省深圳市"))
    assert res.stall_code == stall
    assert res.stall_hours == pytest.approx(hours)
    assert res.rule == ("14" if stall == "LOST" else "18")


@pytest.mark.parametrize("hours, stall, rule", [(47.9, "NUDGE", "18"), (48, "NUDGE", "18"),
                                                (71.9, "NUDGE", "18"), (72, "LOST", "14")])
def test_remote_province_from_full_address(hours, stall, rule):
    res = evaluate_one(**shipped("运输中", last_update=ago(hours), province="新疆维吾尔自治区乌鲁木齐市天山区解放北路1号"))
    assert (res.stall_code, res.rule) == (stall, rule)


@pytest.mark.parametrize("hours, rule", [(47.9, "15"), (71.9, "15"), (72, "14")])
def test_remote_abnormal_parcel(hours, rule):
    assert evaluate_one(**shipped("异常", last_update=ago(hours), province="青海")).rule == rule


@pytest.mark.parametrize("logistics", ["未揽收", "已签收", "拒收", "退回", "丢件"])
def test_stall_not_in_transit(logistics):
    res = evaluate_one(**refund_only(ship_state="已发货", logistics=logistics, last_update=ago(100)))
    assert res.stall_code == "NOT_IN_TRANSIT" and res.stall_hours is None


def test_a_shipped_parcel_with_no_state_has_an_unknown_stall():
    """A shipped 仅退款 with no 物流状态 may be in transit: its stall is asked for, never 「—」."""
    res = evaluate_one(**refund_only(ship_state="已发货", logistics=None, last_update=ago(100)))
    assert res.stall_code == "NEEDS_INFO" and res.stall_needs == ("logistics",)


def test_stall_without_update_time_is_asked_never_normal():
    res = evaluate_one(**shipped("运输中"))
    assert res.stall_code == "NEEDS_INFO"
    assert "物流更新时间" in res.as_output()["stall"]


def test_future_update_time_counts_as_zero_hours():
    res = evaluate_one(**shipped("运输中", last_update=ahead(3)))
    assert (res.stall_code, res.stall_hours) == ("NORMAL", 0.0)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["last_update", "applied_at", "intercept_at"]), st.floats(0.01, 24 * 400),
       st.sampled_from(["datetime", "text"]))
def test_an_event_written_as_after_now_is_read_only_within_a_day(key, hours, form):
    """物流更新时间 / 申请时间 / 拦截时间 ahead of the reference time: within a day (a clock's skew) it is
    read as now; more than a day ahead (a typo: 07-09 for 06-09) it is unreadable, quoted with a hint,
    never a parcel that "just moved"."""
    when = NOW + timedelta(hours=hours)
    cell = when if form == "datetime" else when.strftime("%Y-%m-%d %H:%M")
    kw = {key: cell, **({"intercept": "拦截中"} if key == "intercept_at" else {})}
    res = evaluate_one(**shipped("运输中", **({"last_update": ago(2)} if key != "last_update" else {}), **kw))
    late = when.replace(second=0, microsecond=0) > NOW + timedelta(hours=24) if form == "text" else \
        when > NOW + timedelta(hours=24)
    assert (key in res.case.bad) == late, (key, cell)
    if late:
        assert "晚于基准时间" in rules.named(res.case, key)
    elif key == "last_update":
        assert res.stall_hours == 0.0


@settings(max_examples=40, deadline=None)
@given(st.floats(-23.9, 23.9), st.sampled_from(["datetime", "text", "day"]))
def test_an_intercept_time_within_a_day_after_now_is_just_now_in_the_why(hours, form):
    """拦截时间 a few hours after now (a clock's skew) reads as now, as a stall's 物流更新时间 does: 拦截0小时,
    never a negative number of hours (拦截-3小时); before now, the hours since."""
    when = NOW + timedelta(hours=hours)
    cell = {"datetime": when, "text": when.strftime("%Y-%m-%d %H:%M"), "day": when.strftime("%Y-%m-%d")}[form]
    res = evaluate_one(**high_in_transit(intercept="拦截中", intercept_at=cell, deadline=ahead(100)))
    assert "拦截-" not in res.why() and "拦截已-" not in res.why(), res.why()
    if res.rule == "21" and hours > 0 and form != "day":
        assert "拦截0小时 <" in res.why(), res.why()


@pytest.mark.parametrize("left, code", [(30, "OK"), (12.1, "OK"), (12, "WARN"), (0.5, "WARN"),
                                        (0, "OVERDUE"), (-5, "OVERDUE")])
def test_deadline_boundaries(left, code):
    res = evaluate_one(**refund_only(ship_state="未发货", deadline=ahead(left)))
    assert res.deadline_code == code
    assert res.hours_left == pytest.approx(left)


def test_deadline_defaults_to_applied_at_plus_platform_timer():
    res = evaluate_one(**refund_only(ship_state="未发货", applied_at=ago(40)))
    assert (res.deadline_code, res.hours_left) == ("WARN", pytest.approx(8))
    res = evaluate_one(**refund_only(ship_state="未发货", applied_at=ago(30)))
    assert (res.deadline_code, res.hours_left) == ("OK", pytest.approx(18))


def test_deadline_column_wins_over_applied_at():
    res = evaluate_one(**refund_only(ship_state="未发货", applied_at=ago(100), deadline=ahead(20)))
    assert (res.deadline_code, res.hours_left) == ("OK", pytest.approx(20))


def test_no_deadline_known():
    res = evaluate_one(**refund_only(ship_state="未发货"))
    assert (res.deadline_code, res.hours_left) == ("NONE", None)


@pytest.mark.parametrize("since, rule", [(23.9, "21"), (24, "20")])
def test_intercept_check_hours_boundary(since, rule):
    res = evaluate_one(**high_in_transit(intercept="拦截中", intercept_at=ago(since), deadline=ahead(40)))
    assert res.rule == rule


@pytest.mark.parametrize("left, rule", [(12.1, "21"), (12, "20")])
def test_intercept_watch_uses_deadline_warn(left, rule):
    res = evaluate_one(**high_in_transit(intercept="拦截中", intercept_at=ago(2), deadline=ahead(left)))
    assert res.rule == rule


# -------------------------------------------- changed settings move boundaries

def settings_of(**values):
    return from_table([[k, None, v] for k, v in values.items()])


def test_changed_high_value_moves_tier_and_rule():
    s = settings_of(high_value=100)
    assert evaluate_one(settings=s, **in_transit(amount=99.99)).rule == "18"
    res = evaluate_one(settings=s, **in_transit(amount=100))
    assert (res.value_tier, res.rule) == ("HIGH", "19")
    assert "100 ≥ 高客单阈值 100" in res.why()


@pytest.mark.parametrize("hours, stall", [(11.9, "NORMAL"), (12, "NUDGE"), (35.9, "NUDGE"), (36, "LOST")])
def test_changed_nudge_and_lost_hours(hours, stall):
    s = settings_of(nudge_hours=12, lost_hours=36)
    assert evaluate_one(settings=s, **shipped("运输中", last_update=ago(hours), province="广东")).stall_code == stall


@pytest.mark.parametrize("province, hours, stall", [
    ("海南省三亚市", 95.9, "NUDGE"), ("海南省三亚市", 96, "LOST"),
    ("新疆维吾尔自治区喀什", 48, "LOST"),   # no longer remote: the plain threshold applies
    ("广东", 48, "LOST"),
])
def test_changed_remote_regions_and_hours(province, hours, stall):
    s = settings_of(remote_regions="海南、西藏", remote_lost_hours=96)
    res = evaluate_one(settings=s, **shipped("运输中", last_update=ago(hours), province=province))
    assert res.stall_code == stall


@pytest.mark.parametrize("left, code", [(24, "WARN"), (24.1, "OK")])
def test_changed_deadline_warn_hours(left, code):
    s = settings_of(deadline_warn_hours=24)
    assert evaluate_one(settings=s, **refund_only(ship_state="未发货", deadline=ahead(left))).deadline_code == code


def test_changed_platform_timeout_hours():
    s = settings_of(platform_timeout_hours=72)
    res = evaluate_one(settings=s, **refund_only(ship_state="未发货", applied_at=ago(50)))
    assert (res.deadline_code, res.hours_left) == ("OK", pytest.approx(22))


@pytest.mark.parametrize("fields, hours", [
    (refund_only(ship_state="未发货"), 48),
    (refund_only(ship_state="线下已发货", tracking_no="SF9"), 48),   # the platform still shows it unshipped
    (shipped("运输中", last_update=ago(1)), 120),
    (shipped("已签收"), 120),
    (return_refund(), 120),
    (refund_only(), 48),                                            # ship state unknown: the shortest timer
    ({"refund_type": "换货", "amount": 30}, 48),
])
def test_default_deadline_follows_the_case_type(fields, hours):
    res = evaluate_one(**fields, applied_at=ago(40))
    assert res.hours_left == pytest.approx(hours - 40)


def test_each_per_type_timer_moves_only_its_own_cases():
    s = settings_of(timeout_unshipped_hours=24, timeout_shipped_hours=72, timeout_return_hours=240)
    left = {name: evaluate_one(settings=s, applied_at=ago(30), **f).hours_left for name, f in (
        ("unshipped", refund_only(ship_state="未发货")), ("shipped", shipped("运输中", last_update=ago(1))),
        ("return", return_refund()), ("unknown", refund_only()))}
    assert left == {"unshipped": pytest.approx(-6), "shipped": pytest.approx(42),
                    "return": pytest.approx(210), "unknown": pytest.approx(-6)}
    assert evaluate_one(settings=s, applied_at=ago(30), **return_refund()).deadline_code == "OK"


def test_the_sheets_own_deadline_beats_every_timer():
    s = settings_of(timeout_return_hours=1)
    res = evaluate_one(settings=s, applied_at=ago(30), deadline=ahead(50), **return_refund())
    assert (res.deadline_code, res.hours_left) == ("OK", pytest.approx(50))


@pytest.mark.parametrize("since, rule", [(5.9, "21"), (6, "20")])
def test_changed_intercept_check_hours(since, rule):
    s = settings_of(intercept_check_hours=6)
    res = evaluate_one(settings=s, **high_in_transit(intercept="拦截中", intercept_at=ago(since), deadline=ahead(40)))
    assert res.rule == rule


# ---------------------------------------------------------------- loss risk

@pytest.mark.parametrize("fields, risk", [
    (refund_only(case_state="已退款", ship_state="已发货", logistics="运输中"), "RISK"),
    (refund_only(case_state="已退款", ship_state="线下已发货"), "RISK"),
    (refund_only(case_state="已退款", ship_state="未发货", tracking_no="SF001"), "RISK"),
    (refund_only(case_state="已退款", ship_state="已发货", logistics="运输中", intercept="拦截成功"), "OK"),
    (refund_only(case_state="已退款", ship_state="已发货", logistics="拒收"), "OK"),
    (refund_only(case_state="已退款", ship_state="已发货", logistics="退回"), "OK"),
    (refund_only(case_state="已退款", ship_state="未发货"), "OK"),
    (refund_only(case_state="处理中", ship_state="已发货", logistics="运输中"), "OK"),
    (refund_only(case_state="已关闭", ship_state="已发货", logistics="运输中"), "OK"),
    (return_refund(case_state="已退款", return_logistics="运输中"), "RISK"),
    (return_refund(case_state="已退款"), "RISK"),
    (return_refund(case_state="已退款", return_logistics="已签收"), "OK"),
    (return_refund(case_state="已退款", reason="腐烂变质"), "OK"),
    (return_refund(case_state="已退款", amount=10, return_cost=15), "OK"),
    (return_refund(case_state="已退款", no_ship="是"), "OK"),
], ids=["shipped_in_transit", "offline", "unsynced_tracking_no", "intercepted", "refused", "returned",
        "never_shipped", "still_open", "closed_not_refunded", "return_moving", "return_not_sent",
        "return_signed", "rotten_no_return_needed", "shipping_costs_more", "no_ship"])
def test_loss_risk(fields, risk):
    res = evaluate_one(**fields)
    assert res.loss_risk == risk
    assert res.action_code == "DONE" or fields.get("case_state") == "处理中"


# ------------------------------------------------------------ labels / API

def test_every_code_has_chinese_and_english_labels():
    for table in (rules.ACTIONS, rules.STALLS, rules.DEADLINES, rules.TIERS, rules.RISKS):
        for code, (zh, en) in table.items():
            assert rules.label(code, table=table) == zh
            assert rules.label(code, english=True, table=table) == en
            assert zh and en


def test_shared_code_ok_is_labelled_by_its_family():
    # "OK" is both a deadline and a loss-risk code: each keeps its own label.
    assert rules.label("OK", table=rules.DEADLINES) == "正常"
    assert rules.label("OK", table=rules.RISKS) == "无"


def test_label_of_unknown_code_is_the_code():
    assert rules.label("NOPE") == "NOPE"


def test_rules_functions_take_a_case_directly():
    case = rules.Case(order_id="1", refund_type="仅退款", amount=59.0, ship_state="已发货",
                      logistics="运输中", last_update=NOW - timedelta(hours=30), intercept="未拦截")
    assert rules.stall_status(case, DEFAULTS, NOW) == ("NUDGE", pytest.approx(30), ())
    assert rules.refund_action(case, DEFAULTS, NOW).code == "INTERCEPT_REFUND_NOW"
    assert rules.value_tier(case, Settings(high_value=50)) == "HIGH"
    assert rules.value_tier(rules.Case(), DEFAULTS) is None


# ------------------------------------------------ contract §2: read it right, or say you can't

@pytest.mark.parametrize("word", ["拦截不成功", "未拦截成功", "拦截未成功"])
def test_a_failed_interception_is_never_read_as_a_success(word):
    res = evaluate_one(**in_transit(intercept=word))
    assert res.action_code == "ASK_REFUSE_DELIVERY", res.why()


@pytest.mark.parametrize("word, code", [
    ("没揽收", "CHECK_WAREHOUSE"), ("还未揽收", "CHECK_WAREHOUSE"),
])
def test_negated_logistics_words_turn_around(word, code):
    assert evaluate_one(**shipped(word)).action_code == code


def test_courier_check_not_signed_is_not_signed():
    res = evaluate_one(**shipped("已签收", courier_check="未签收"))
    assert res.action_code == "NEEDS_INFO" and res.decision.missing == ("快递核实「未签收」",)


def test_return_not_picked_up_is_not_sent_back():
    res = evaluate_one(**return_refund(amount=59, return_logistics="未揽收"))
    assert res.action_code == "WAIT_RETURN"


def test_no_agreement_to_exchange_is_a_refusal():
    res = evaluate_one(**return_refund(amount=59, negotiation="没同意换货"))
    assert res.action_code == "RETURN_REFUND_PAID_SHIPPING"


@pytest.mark.parametrize("state", ["退款关闭", "平台拒绝退款，退款关闭", "已发货，退款成功", "同意退款，退款成功", "取消"])
def test_platform_closed_states_are_done(state):
    assert evaluate_one(**in_transit(case_state=state)).action_code == "DONE"


def test_an_unreadable_case_state_is_asked_about_quoting_it():
    res = evaluate_one(**in_transit(case_state="退款关闭?"))
    assert res.action_code == "NEEDS_INFO"
    assert res.action_label() == "#信息不足: 售后状态「退款关闭?」"
    assert res.loss_risk == "RISK"  # the cautious reading


@pytest.mark.parametrize("kind", ["换货", "补寄", "维修"])
def test_exchange_reship_repair_go_to_manual_review(kind):
    res = evaluate_one(**refund_only(refund_type=kind, ship_state="已发货"))
    assert res.action_code == "MANUAL_REVIEW"


def test_an_unreadable_word_in_a_field_the_branch_does_not_read_does_not_block():
    # 未发货 标品: the return's columns are not read by rule 2
    res = evaluate_one(**refund_only(ship_state="未发货", return_logistics="火星", inspection="火星"))
    assert res.action_code == "APPROVE_REFUND"


@pytest.mark.parametrize("logistics, intercept, evidence", [
    ("已签收", None, "物流状态已签收"), ("运输中", None, "物流状态运输中"), ("快件派送不成功", None, "物流状态异常"),
    (None, "拦截中", "拦截状态拦截中"), (None, "拦截失败", "拦截状态拦截失败"),
])
def test_a_parcel_the_logistics_or_interception_shows_is_a_parcel_though_no_number_is_typed(logistics, intercept, evidence):
    """发货状态 未发货 beside a 物流状态 past the pickup or an interception: a parcel left (rule 1, shipped
    outside the platform; one already signed for is decided as a shipped one, rule 13), never 「未发货 → 同意退款」,
    and refunded it is a 钱货两空 risk."""
    res = evaluate_one(**refund_only(ship_state="未发货", logistics=logistics, intercept=intercept))
    assert res.rule == ("13" if logistics == "已签收" else "1") and evidence in res.why(), res.why()
    refunded = evaluate_one(**refund_only(ship_state="未发货", logistics=logistics, intercept=intercept, case_state="已退款"))
    assert refunded.loss_risk == "RISK"


def test_an_unreadable_logistics_beside_not_shipped_is_asked():
    """未发货 with a 物流状态 the product cannot read: it may show a parcel, so the desk is asked."""
    res = evaluate_one(**refund_only(ship_state="未发货", logistics="火星"))
    assert res.action_code == "NEEDS_INFO" and "物流状态" in res.why()


@settings(max_examples=300, deadline=None)
@given(st.floats(-5, 24 * 10), st.sampled_from([None, "新疆", "浙江"]), st.sampled_from([12, 24, 30]),
       st.sampled_from([36, 48, 72]), st.sampled_from([72, 48, 100, 36]), st.booleans())
def test_the_stall_worked_out_a_column_at_a_time_is_the_rows_own(hours, province, nudge, lost, remote_lost, remote):
    """atom_columns' one comprehension (a province or none, with or without a remote list) gives each row the
    band and hours _stall gives it alone: the same band, the same unknown (NUDGE or LOST by province)."""
    try:
        s = from_table([["nudge_hours", "", nudge], ["lost_hours", "", lost], ["remote_lost_hours", "", remote_lost],
                        ["remote_regions", "", "新疆,西藏" if remote else ""]])
    except SettingsError:  # a combination 设置 refuses (a remote threshold below the usual one)
        assume(False)
        return
    when = NOW - timedelta(hours=hours)
    cols = {"last_update": [when], "province": [province]}
    facts = rules.atom_columns(lambda k: cols.get(k, [None]), 1, {}, [rules.Sheet()], s, NOW)
    assert (facts.atoms[0][rules.ATOMS.index("stall")], facts.stall_hours[0]) == rules._stall(when, province, False, s, NOW)


@settings(max_examples=200, deadline=None)
@given(st.floats(-30, 24 * 5), st.booleans(), st.sampled_from([2, 12, 24]))
@example(hours=12.0, whole_day=False, check=12)  # due at the hour itself
def test_an_interceptions_check_is_due_at_both_ends_of_its_time(hours, whole_day, check):
    """拦截时间: due once 拦截核实时限 hours have passed — an exact time once, a date without a time of day at
    both ends of that day (else unknown, 「只有日期」); hours since counted from its first moment."""
    s = from_table([["intercept_check_hours", "", check]])
    when = NOW - timedelta(hours=hours)
    at = vocab.whole_day(when.date()) if whole_day else when
    cols = {"intercept_at": [at], "intercept": ["拦截中"]}
    facts = rules.atom_columns(lambda k: cols.get(k, [None]), 1, {}, [rules.Sheet()], s, NOW)
    lo, hi = vocab.day_ends(at)
    first, last = (NOW - lo).total_seconds() / 3600.0, (NOW - hi).total_seconds() / 3600.0
    due = facts.atoms[0][rules.ATOMS.index("intercept_due")]
    assert facts.since[0] == max(0.0, first)  # (a time after now: just now, never negative hours)
    if (first >= check) == (last >= check):
        assert due is (first >= check)
    else:
        assert isinstance(due, rules.Unknown) and due.causes == ("intercept_at@day",)


@settings(max_examples=200, deadline=None)
@given(st.text("衢柯城区县镇乡村路号州市安平河", min_size=2, max_size=8),
       st.floats(min_value=0.1, max_value=200), st.sampled_from(["", "新疆", "海南、西藏"]))
def test_a_province_cell_that_places_no_parcel_is_unknown_never_near(place, hours, remote):
    """A 收货省份 naming neither a province, a known city nor a remote-list entry (衢州市柯城区) is no
    province: where its band depends on being remote (between the two lost thresholds) the desk is
    asked, never the nearer threshold taken; elsewhere the band is the one both thresholds give."""
    assume(not vocab._PROVINCE_RE.search(place) and not vocab._CITY_RE.search(place))
    s = settings_of(remote_regions=remote) if remote else settings_of(remote_regions="")
    res = evaluate_one(settings=s, **shipped("运输中", last_update=ago(hours), province=place))
    bands = {rules._band(hours, lost, s) for lost in ((s.lost_hours, s.remote_lost_hours) if remote else (s.lost_hours,))}
    if len(bands) == 1:
        assert res.stall_code == bands.pop()
    else:
        assert res.stall_code == "NEEDS_INFO" and res.action_code == "NEEDS_INFO"


@pytest.mark.parametrize("logistics", ["已揽收", "运输中", "派送中", "异常", "丢件", "拒收", "退回"])
@pytest.mark.parametrize("amount", ["59元", "5999元"])
def test_goods_the_customer_says_arrived_go_back_by_a_return_though_the_trace_is_behind(logistics, amount):
    """物流 not yet signed for (in transit, 异常, lost, refused, back) and 客户反馈 已收到: the goods are with
    the customer; refunding now (or claiming a loss) would leave the shop without money and goods. Rule 12:
    guide to a return."""
    res = evaluate_one(**shipped(logistics, customer_says="已收到", amount=amount, last_update=ago(2)))
    assert (res.action_code, res.rule) == ("GUIDE_TO_RETURN", "12"), res.why()
    assert "客户已收到" in res.why()


@pytest.mark.parametrize("stopped", [{"intercept": "拦截成功"}, {"logistics": "退回"}, {"logistics": "拒收"}])
def test_a_refund_while_the_customer_says_the_goods_arrived_is_a_risk_though_the_parcel_shows_stopped(stopped):
    """钱货两空: refunded, the parcel shown stopped or coming back, but 客户反馈 已收到: the goods are not back."""
    row = shipped(stopped.get("logistics", "运输中"), case_state="已退款", last_update=ago(2),
                  **{k: v for k, v in stopped.items() if k != "logistics"})
    assert evaluate_one(**row).loss_risk == "OK"
    assert evaluate_one(**{**row, "customer_says": "已收到"}).loss_risk == "RISK"


@pytest.mark.parametrize("logistics", ["已揽收", "运输中", "派送中", "异常", "拒收", "退回"])
def test_a_courier_lost_finding_decides_though_the_trace_is_behind(logistics):
    """快递核实 丢件 while 物流状态 is not yet 已签收: a loss claim (rule 9), as once the trace shows 已签收."""
    res = evaluate_one(**shipped(logistics, courier_check="丢件", amount="59元", last_update=ago(2)))
    assert (res.action_code, res.rule) == ("REFUND_OR_RESHIP_CLAIM", "9"), res.why()


@pytest.mark.parametrize("logistics", ["已揽收", "运输中", "派送中", "异常", "丢件", "拒收", "退回"])
def test_a_courier_delivered_finding_beside_a_trace_short_of_it_asks_for_the_trace(logistics):
    """快递核实 已签收 while 物流状态 is not yet 已签收: the 物流状态 typed is stale; the product asks for it
    (refund-xl track) instead of intercepting and refunding a parcel the courier says was delivered."""
    res = evaluate_one(**shipped(logistics, courier_check="已签收", amount="59元", last_update=ago(2)))
    assert res.action_code == "NEEDS_INFO" and "物流状态" in res.why(), res.why()


# ---------------------------------------------------------------- year-less dates at a year's turn

# reference times at a year's turn, on the days around 29 Feb of leap and common years, and mid-year
_TURNS = [datetime(y, m, d, h, mi) for y in range(2024, 2029) for m, d in ((12, 31), (1, 1), (2, 28), (2, 29), (3, 1), (6, 10))
          for h, mi in ((0, 0), (9, 0), (12, 0), (23, 30)) if (m, d) != (2, 29) or y % 4 == 0]
_NOWS = st.sampled_from(_TURNS) | st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31))
_DATE_KEYS = [f.key for f in FIELDS if f.parse in vocab.DATE_PARSERS]
_WEEKDAY_NAMES = "一二三四五六日"


def _intercepting(now: datetime, **kw):
    """A high-value parcel in transit under interception since two hours before ``now``, its deadline 40 hours on."""
    return {**high_in_transit(intercept="拦截中", intercept_at=now - timedelta(hours=2), last_update=now - timedelta(hours=2),
                              deadline=now + timedelta(hours=40)), **kw}


@settings(max_examples=250, deadline=None)
@example(datetime(2026, 1, 1, 9), "deadline", 0, 1, ("(周{})", " 20:00"))    # 1 Jan 2026 is a Thursday: not 2027, 8,771 h
@example(datetime(2025, 6, 10, 12), "deadline", 0, 3, ("(周{})", " 20:00"))  # 10 Jun 2025 is a Tuesday: not 2022
@example(datetime(2026, 1, 1, 9), "deadline", 1, 1, ("(周{})", " 15:00"))    # 2 Jan 2026 is a Friday: not 2027
@given(_NOWS, st.sampled_from(_DATE_KEYS), st.integers(-2, 2), st.integers(0, 6),
       st.sampled_from([("(周{})", " 20:00"), (" 星期{}", " 10:00"), ("（周{}）", "下午3点"), (" 礼拜{}", "")]))
def test_a_day_of_the_week_that_is_not_the_dates_is_asked_in_every_date_column(now, key, days, off, form):
    """A year-less date a day or two from now written with another day of the week (超时时间「1月1日(周五) 20:00」 on
    Thursday 1 Jan 2026) was moved to a year where the weekday fits: a deadline 11 hours away read as 2027, OK,
    8,771 hours left, the parcel left to the platform's automatic refund.  The cell is unreadable (which of the two
    was meant?) in every date column, the deadline asked where it changes the action and never a band; with the
    day's own weekday it reads as the date typed without it."""
    if key != "deadline":
        days = min(days, 0)  # (an event: not after now)
    day = (now + timedelta(days=days)).date()
    typed_day = f"{day.month}月{day.day}日"
    weekday, clock = form
    wrong = typed_day + weekday.format(_WEEKDAY_NAMES[(day.weekday() + off) % 7]) + clock
    res = evaluate_one(now=now, **_intercepting(now, **{key: wrong}))
    plain = evaluate_one(now=now, **_intercepting(now, **{key: typed_day + clock}))
    if off == 0:
        assert key not in res.case.bad and getattr(res.case, key) == getattr(plain.case, key), (wrong, res.why())
        assert (res.action_code, res.deadline_code, res.hours_left) == \
            (plain.action_code, plain.deadline_code, plain.hours_left), wrong
        return
    assert key in res.case.bad and getattr(res.case, key) is None, (wrong, getattr(res.case, key))
    if key == "deadline":
        assert (res.deadline_code, res.hours_left) == ("NONE", None), (wrong, res.hours_left)
        assert res.action_code == "NEEDS_INFO" and any(m.startswith("超时时间「") for m in res.decision.missing), \
            (wrong, res.why())


@settings(max_examples=150, deadline=None)
@example(datetime(2026, 2, 28, 12), "2月29日", True)
@example(datetime(2026, 2, 28, 12), "2月29日 10:00", False)
@given(st.sampled_from([t for t in _TURNS if t.year % 4 and t.month in (2, 3)])
       | st.datetimes(datetime(2025, 1, 1), datetime(2027, 5, 1)),  # (no 29 Feb within ten months)
       st.sampled_from(["2月29日", "2月29日 10:00", "2/29 下午3点", "02-29 23:59"]), st.booleans())
def test_a_year_less_deadline_on_a_day_this_year_lacks_is_asked_not_years_overdue(now, typed, intercepting):
    """超时时间「2月29日」 seen on 28 Feb 2026 was 29 Feb 2024, the nearest such day: 17,532 hours overdue in 今日概览, the
    interception checked as if the deadline were long past.  A year-less deadline further from now than the event
    times' bound (about ten months) is unreadable: asked where it changes the action, never a band or hours."""
    row = _intercepting(now, deadline=typed) if intercepting else refund_only(ship_state="未发货", deadline=typed)
    res = evaluate_one(now=now, **row)
    assert "deadline" in res.case.bad and (res.deadline_code, res.hours_left) == ("NONE", None), (typed, now, res.hours_left)
    if intercepting:
        assert res.action_code == "NEEDS_INFO" and any(m.startswith("超时时间「") for m in res.decision.missing), res.why()


@settings(max_examples=250, deadline=None)
@example(datetime(2026, 2, 28, 12), 0, "{m}月{d}日", "deadline")
@example(datetime(2025, 12, 31, 23, 30), 0, "{m}月{d}日", "deadline")
@example(datetime(2026, 2, 28, 12), -5, "{m}月{d}日", "applied_at")
@given(_NOWS, st.integers(-6, 2), st.sampled_from(["{m}月{d}日", "{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "date"]),
       st.sampled_from(["deadline", "applied_at"]))
def test_a_whole_day_deadline_says_what_is_known(now, days, form, key):
    """超时时间「2月28日」 at noon on the 28th runs from 12 hours overdue to 12 hours left: the why said 「距超时-12小时（）」,
    overdue and an empty band.  A whole-day deadline (typed, or 申请时间 + the timer) that straddles two bands names
    both ends and both bands; one in a single band counts its hours to the day's start (the fewest it may leave),
    and 超时时间 is written back as that day (deadline_of), not its 23:59:59."""
    day = (now + timedelta(days=days if key == "deadline" else min(days, 0))).date()  # (申请时间: not after now)
    cell = day if form == "date" else form.format(y=day.year, m=day.month, d=day.day)
    row = _intercepting(now, **({"deadline": cell} if key == "deadline" else {"deadline": None, "applied_at": cell}))
    res = evaluate_one(now=now, **row)
    assert key not in res.case.bad, (cell, res.why())
    timer = 0.0 if key == "deadline" else DEFAULTS.timeout_shipped_hours
    start = datetime(day.year, day.month, day.day) + timedelta(hours=timer)
    lo = (start - now).total_seconds() / 3600
    hi = lo + (86399 / 3600)
    for english in (False, True):
        assert "（）" not in res.why(english) and "()" not in res.why(english), res.why(english)
    if key == "deadline":
        due = rules.deadline_of(res.case, DEFAULTS)
        assert due.__class__ is vocab.WholeDay and due.date() == day, due
    bands = {rules._deadline_band(lo, DEFAULTS), rules._deadline_band(hi, DEFAULTS)}
    if len(bands) == 1:
        assert res.deadline_code == bands.pop() and res.hours_left == pytest.approx(lo), (cell, res.hours_left)
        return
    assert res.deadline_code == "NONE" and res.hours_left is None, cell
    if res.rule == "20":
        g = rules._g
        assert f"距超时{g(lo)}～{g(hi)}小时（" in res.why() and "只写了日期" in res.why(), res.why()
        assert f"{g(lo)} to {g(hi)} h to the deadline" in res.why(True), res.why(True)
