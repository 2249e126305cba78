"""contract §4.2 rule 1, where the product differs (docs/contract/README.md): a parcel that left outside the
platform (发货状态 线下已发货, or 未发货 with a parcel: a waybill, a trace past the pickup) and that the sheet shows
at an end — 物流状态 已签收 / 拒收 / 退回 / 丢件, or 快递核实 丢件 / 客户反馈 已收到 while the trace is short of
已签收 — is decided by the same rows as a 已发货 parcel in that state (rules 7–13, and 9/12 before 7–8): never an
interception of a parcel already delivered, refused, returned or lost, never 「请客户拒签」 for a parcel refused.
Rule 1 (register, intercept; 拦截成功 → refund; 拦截失败 → ask the customer to refuse) stays for a parcel that
can still be stopped: 物流状态 未揽收, 已揽收, 运输中, 派送中, 异常, or blank (no trace recorded: the platform has no
tracking for it, so the desk's blank is asked nothing).
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings, strategies as st

from conftest import NOW, evaluate_one, evaluate_rows
from refund_xl._core import rules, wordbook
from refund_xl._core.rules import ACTION_RULES, ATOMS, DOMAINS, decide

_AT = {a: i for i, a in enumerate(ATOMS)}
_ENDS = frozenset({"已签收", "拒收", "退回", "丢件"})
_SHORT = rules._SHORT_OF_SIGNED - _ENDS  # in transit or 异常: the parcel can still be stopped
_STOPPABLE = frozenset(DOMAINS["logistics"]) - _ENDS


def _writings(canon: frozenset) -> list[str]:
    """Every way the wordbook reads as one of ``canon`` (the canonical words, and the desk's: 拒签, 退回寄件人, 本人签收)."""
    exact = wordbook.WORDS["logistics"].exact
    return sorted({*canon, *(w for w, c in exact.items() if c in canon)})


END_WRITINGS = _writings(_ENDS)
SHORT_WRITINGS = _writings(_SHORT)
STOPPABLE_WRITINGS = _writings(_STOPPABLE)
COURIER = (None, "已签收", "丢件")
CUSTOMER = (None, "已收到", "未收到", "不撤销")
INTERCEPT = (None, "未拦截", "拦截中", "拦截成功", "拦截失败")
# the three ways a parcel left: the platform knows (已发货), offline, not shipped on the platform but a waybill typed
OFFLINE = ({"发货状态": "线下已发货", "物流单号": "ZT75234220267368"}, {"发货状态": "线下已发货", "物流单号": None},
           {"发货状态": "未发货", "物流单号": "YT7788990011"})


def _row(ship: dict, logistics: object, courier: object, customer: object, intercept: object, amount: float,
         refunded: bool = False) -> dict[str, object]:
    return {"订单号": "T1", "售后类型": "仅退款", "退款金额": amount, "快递公司": "中通快递", **ship,
            "物流状态": logistics, "物流更新时间": NOW - timedelta(hours=5), "收货省份": "广东",
            "快递核实": courier, "客户反馈": customer, "拦截状态": intercept,
            "拦截时间": NOW - timedelta(hours=30) if intercept == "拦截中" else None,
            "售后状态": "已退款" if refunded else "处理中"}


def _pair(ship: dict, *facts, **kw):
    """(the row as shipped outside the platform, the same parcel with 发货状态 已发货), evaluated in one sheet."""
    shipped = {**ship, "发货状态": "已发货", "物流单号": ship["物流单号"] or "ZT75234220267399"}
    return evaluate_rows([_row(ship, *facts, **kw), _row(shipped, *facts, **kw)])


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(OFFLINE), st.sampled_from(END_WRITINGS), st.sampled_from(COURIER), st.sampled_from(CUSTOMER),
       st.sampled_from(INTERCEPT), st.sampled_from((59.0, 599.0)))
def test_a_parcel_shipped_offline_at_an_end_is_decided_as_a_shipped_one(ship, logistics, courier, customer,
                                                                        intercept, amount):
    """物流状态 signed for, refused, returned or lost (any writing the wordbook reads so) × 快递核实 × 客户反馈 ×
    拦截状态 × amount: the action, rule and 钱货两空 of the offline parcel are those of the same parcel 已发货 — never
    INTERCEPT_OFFLINE, never 「请客户拒签」 for a parcel already refused (拒签 beside 拦截失败)."""
    offline, shipped = _pair(ship, logistics, courier, customer, intercept, amount)
    assert offline.action_code not in rules.INTERCEPT_ACTIONS, (ship, logistics, offline.why())
    assert (offline.action_code, offline.rule) == (shipped.action_code, shipped.rule), \
        (ship, logistics, courier, customer, intercept, offline.why(), shipped.why())
    if offline.action_code != "NEEDS_INFO":
        assert offline.why().partition("：")[2].endswith(shipped.why().partition("：")[2].removeprefix("已发货·")), \
            (offline.why(), shipped.why())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(OFFLINE), st.sampled_from(END_WRITINGS + SHORT_WRITINGS), st.sampled_from(COURIER),
       st.sampled_from(CUSTOMER), st.sampled_from(INTERCEPT), st.booleans())
def test_the_refund_of_a_parcel_shipped_offline_at_an_end_is_a_risk_as_a_shipped_ones(ship, logistics, courier, customer,
                                                                                      intercept, refunded):
    """钱货两空 of a refunded parcel shipped offline is that of the same parcel 已发货, whatever its state."""
    offline, shipped = _pair(ship, logistics, courier, customer, intercept, 59.0, refunded)
    assert offline.loss_risk == shipped.loss_risk, (ship, logistics, courier, customer, intercept)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(OFFLINE), st.sampled_from(SHORT_WRITINGS), st.sampled_from(("丢件", None)),
       st.sampled_from(CUSTOMER), st.sampled_from(INTERCEPT), st.sampled_from((59.0, 599.0)))
def test_the_courier_or_the_customer_saying_where_a_parcel_shipped_offline_is_decides_as_for_a_shipped_one(
        ship, logistics, courier, customer, intercept, amount):
    """快递核实 丢件 or 客户反馈 已收到 while the trace is in transit or 异常: rules 9 and 12, as for 已发货 — the courier
    found it lost (claim), the customer has the goods (guide to a return): no interception."""
    if courier != "丢件" and customer != "已收到":
        return
    offline, shipped = _pair(ship, logistics, courier, customer, intercept, amount)
    assert (offline.action_code, offline.rule) == (shipped.action_code, shipped.rule) == (
        ("REFUND_OR_RESHIP_CLAIM", "9") if courier == "丢件" else ("GUIDE_TO_RETURN", "12")), \
        (ship, logistics, courier, customer, offline.why(), shipped.why())


_RULE_1 = {"拦截成功": "APPROVE_REFUND", "拦截失败": "ASK_REFUSE_DELIVERY"}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(OFFLINE), st.sampled_from([None, *STOPPABLE_WRITINGS]), st.sampled_from((None, "未收到", "不撤销")),
       st.sampled_from(INTERCEPT), st.sampled_from((59.0, 599.0)))
def test_a_parcel_shipped_offline_that_can_still_be_stopped_keeps_rule_1(ship, logistics, customer, intercept, amount):
    """物流状态 blank (no trace recorded), 未揽收, 已揽收, 运输中, 派送中 or 异常, nobody saying it arrived or was lost:
    rule 1 as the article has it — 拦截成功 → refund, 拦截失败 → ask the customer to refuse, else intercept offline;
    a blank 物流状态 is never asked for."""
    (res,) = evaluate_rows([_row(ship, logistics, None, customer, intercept, amount)])
    assert (res.action_code, res.rule) == (_RULE_1.get(intercept, "INTERCEPT_OFFLINE"), "1"), (ship, logistics, res.why())


def test_a_blank_trace_beside_what_the_courier_or_the_customer_says():
    """物流状态 blank on a parcel shipped offline: no trace recorded, short of 已签收 — 快递核实 丢件 is a claim (rule 9),
    客户反馈 已收到 a return to guide to (rule 12); 快递核实 已签收 asks for the 物流状态 (as a trace short of it beside
    the courier's 已签收 is asked: stale), never an interception of a parcel the courier found delivered."""
    for ship in OFFLINE:
        lost = evaluate_one(**_row(ship, None, "丢件", None, None, 59.0))
        assert (lost.action_code, lost.rule) == ("REFUND_OR_RESHIP_CLAIM", "9"), lost.why()
        assert "物流状态空·快递核实丢件" in lost.why(), lost.why()
        received = evaluate_one(**_row(ship, None, None, "已收到", None, 59.0))
        assert (received.action_code, received.rule) == ("GUIDE_TO_RETURN", "12"), received.why()
        signed = evaluate_one(**_row(ship, None, "已签收", None, None, 59.0))
        assert signed.action_code == "NEEDS_INFO" and "物流状态" in signed.why(), signed.why()
        # an unreadable 物流状态 is no blank one: asked where a word it could be changes the action
        unread = evaluate_one(**_row(ship, "物流状态待核实", None, None, None, 59.0))
        assert unread.action_code == "NEEDS_INFO" and "物流状态「物流状态待核实」" in unread.why(), unread.why()


def test_the_red_teams_pairs():
    """FINDINGS F1: 已签收 + 已收到 (线下已发货; 未发货 with a waybill), 拒收, 退回寄件人, 丢件, 拒签 beside 拦截失败."""
    got = [evaluate_one(**_row(ship, lg, None, said, ic, 59.0)) for ship, lg, said, ic in (
        (OFFLINE[0], "已签收", "已收到", None), (OFFLINE[2], "已签收", "已收到", None), (OFFLINE[0], "拒收", None, None),
        (OFFLINE[0], "退回寄件人", None, None), (OFFLINE[0], "丢件", None, None), (OFFLINE[0], "拒签", None, "拦截失败"))]
    assert [(r.action_code, r.rule) for r in got] == [
        ("GUIDE_TO_RETURN", "12"), ("GUIDE_TO_RETURN", "12"), ("APPROVE_REFUND", "8"), ("APPROVE_REFUND", "8"),
        ("REFUND_OR_RESHIP_CLAIM", "7"), ("APPROVE_REFUND", "8")]


# ------------------------------------------------------------------ the table itself

_OFFLINE_SHIPS = ({"ship_state": "线下已发货"}, {"ship_state": "未发货", "parcel": True})


@settings(max_examples=500, deadline=None)
@given(st.tuples(*(st.sampled_from(DOMAINS[a]) for a in ATOMS)), st.sampled_from(_OFFLINE_SHIPS),
       st.sampled_from(sorted(_ENDS | rules._SHORT_OF_SIGNED)))
def test_the_table_decides_a_parcel_shipped_offline_at_an_end_by_the_shipped_rows(atoms, ship, logistics):
    """Over every fact of the table: an open 仅退款 whose parcel left outside the platform and whose trace is at an
    end (or short of 已签收, beside 快递核实 丢件 / 客户反馈 已收到) is decided by the row of the same number and action
    as the parcel 已发货; any other trace short of 已签收 stays with rule 1."""
    facts = {**dict(zip(ATOMS, atoms)), "required": "ok", "case_state": "处理中", "refund_type": "仅退款",
             "logistics": logistics, "trace": logistics, "parcel": True}
    offline = decide(tuple({**facts, **ship}[a] for a in ATOMS))
    shipped = decide(tuple({**facts, "ship_state": "已发货"}[a] for a in ATOMS))
    said = facts["courier_check"] == "丢件" or facts["customer_says"] == "已收到"
    if logistics in _ENDS or said:
        assert (offline.code, offline.rule.number) == (shipped.code, shipped.rule.number), (facts, ship)
    else:
        assert offline.rule.number == "1" and offline.code in ("INTERCEPT_OFFLINE", *_RULE_1.values()), (facts, ship)


def test_every_shipped_end_row_has_its_offline_rows_before_rule_1():
    """Each row of rules 7–13 (and 9/12 before 7–8) is declared once and read for a parcel shipped offline too: the
    same number and action for 线下已发货 and for 未发货 with a parcel, in the 已发货 rows' order, before rule 1."""
    first_1 = next(i for i, r in enumerate(ACTION_RULES) if r.number == "1")
    ended = [r for r in ACTION_RULES if dict(r.when).get("ship_state") == {"已发货"}
             and r.number in {"7", "8", "9", "10", "11", "12", "13"}]
    for ship in ("线下已发货", "未发货"):
        copies = [r for r in ACTION_RULES[:first_1] if dict(r.when).get("ship_state") == {ship}]
        assert [(r.number, r.code) for r in copies] == [(r.number, r.code) for r in ended], ship
