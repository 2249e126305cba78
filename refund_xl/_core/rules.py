"""The SOP's decisions (contract §4), written so the article can be held beside them.

Article sections → functions:

* 一、未发货仅退款 and 线下已发货平台未同步 → :func:`_not_shipped_refund`
* 二、已发货仅退款 (物流在途 / 已签收 / 物流异常) → :func:`_shipped_refund`
* 三、退货退款 (方案一 … 方案四) → :func:`_return_refund`
* 真停滞 / 假停滞 (≤24h 催件, ≥48h 丢件, 偏远 ≥72h) → :func:`stall_status`

Every function takes a normalised :class:`Case`, the :class:`Settings` and the
reference time ``now``; none reads a clock, a file or a host.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from refund_xl._core.fields import FIELD_BY_KEY
from refund_xl._core.settings import Settings

__all__ = [
    "Case", "Decision", "ACTIONS", "STALLS", "DEADLINES", "TIERS", "RISKS",
    "refund_action", "stall_status", "deadline_status", "value_tier", "loss_risk",
    "label", "named", "CLOSED_STATES", "IN_TRANSIT", "INTERCEPT_ACTIONS", "MANUAL_TYPES",
]


class Case(NamedTuple):
    """One tracking-sheet row after normalisation (canonical words, numbers, datetimes).

    Every field is ``None`` unless set; ``bad`` names the fields whose cells
    held something unreadable (``bad_values``: those cells as typed, quoted
    back to the desk).  A tuple: ``engine`` builds 100k of them from
    whole columns at C speed, and the rules only read them.
    """

    order_id: str | None = None
    case_id: str | None = None
    applied_at: datetime | None = None
    refund_type: str | None = None
    amount: float | None = None
    goods_kind: str | None = None
    cost_incurred: str | None = None
    ship_state: str | None = None
    carrier: str | None = None
    tracking_no: str | None = None
    logistics: str | None = None
    last_update: datetime | None = None
    province: str | None = None
    customer_says: str | None = None
    courier_check: str | None = None
    intercept: str | None = None
    intercept_at: datetime | None = None
    return_logistics: str | None = None
    inspection: str | None = None
    reason: str | None = None
    negotiation: str | None = None
    return_cost: float | None = None
    no_ship: str | None = None
    case_state: str | None = None
    deadline: datetime | None = None
    return_tracking_no: str | None = None
    return_carrier: str | None = None
    phone: str | None = None
    goods_name: str | None = None
    platform: str | None = None
    bad: tuple[str, ...] = ()
    bad_values: tuple[str, ...] = ()  # the unreadable cells as typed, aligned with ``bad``

    def typed(self, key: str) -> str | None:
        """The unreadable value of field ``key`` as typed, or None."""
        for k, v in zip(self.bad, self.bad_values):
            if k == key:
                return v
        return None


# code → (中文 label, English label)
ACTIONS: dict[str, tuple[str, str]] = {
    "DONE": ("已完结", "Closed"),
    "NEEDS_INFO": ("信息不足", "Missing information"),
    "MANUAL_REVIEW": ("换货/补寄/维修：按店铺流程人工处理", "Exchange/reship/repair: handle by the shop's own process"),
    "INTERCEPT_OFFLINE": ("线下已发货：登记拦截，失败则请客户拒收", "Shipped offline: register an interception; if it fails ask the customer to refuse delivery"),
    "APPROVE_REFUND": ("同意退款", "Approve the refund"),
    "NEGOTIATE_COST": ("已产生成本：协商承担部分费用或拒绝退款", "Cost incurred: negotiate a share of the cost or refuse"),
    "ASK_REASON": ("了解退款真实原因", "Ask the real reason for the refund"),
    "CHECK_WAREHOUSE": ("未揽收：核实货物是否仍在仓", "Not picked up: check whether the goods are still in the warehouse"),
    "REFUND_OR_RESHIP_CLAIM": ("退款或补发，并向快递理赔", "Refund or reship, and claim from the courier"),
    "ASK_REFUSE_DELIVERY": ("拦截失败：请客户拒签，见拒签记录后退款", "Interception failed: ask the customer to refuse delivery, refund on the refusal record"),
    "REJECT_WITH_PROOF": ("驳回，保留签收凭证举证", "Reject, keep the proof of delivery"),
    "VERIFY_WITH_COURIER": ("联系快递核实派件/签收", "Verify delivery with the courier"),
    "GUIDE_TO_RETURN": ("了解问题，不需要则引导改退货退款", "Ask what is wrong; if unwanted, guide to a return"),
    "CONFIRM_RECEIPT": ("确认是否实际签收（驿站/门卫/代收点）", "Confirm actual receipt (parcel station, guard, pick-up point)"),
    "NUDGE_COURIER": ("假停滞：催件", "Stalled, not lost: nudge the courier"),
    "INTERCEPT_REFUND_NOW": ("低客单：发起拦截并登记，直接退款", "Low value: intercept, register, refund now"),
    "INTERCEPT_AND_WATCH": ("高客单：拦截+标旗，关注超时，次日核实", "High value: intercept and flag, watch the deadline, check next day"),
    "CHECK_INTERCEPT_RESULT": ("核实拦截结果：成功退款，失败请客户拒签", "Check the interception: refund if it worked, else ask to refuse delivery"),
    "WAIT_INTERCEPT": ("等待拦截结果（注意超时）", "Wait for the interception result (watch the deadline)"),
    "REFUND_WITHOUT_RETURN": ("方案四：直接退款，无需退货", "Option 4: refund without a return"),
    "ISSUE_COMPENSATION": ("发放补偿", "Pay the agreed compensation"),
    "ARRANGE_EXCHANGE": ("安排换货/维修，承担往返运费", "Arrange exchange/repair, pay shipping both ways"),
    "RESHIP_MISSING": ("少发漏发：直接补发", "Missing items: reship them"),
    "OFFER_COMPENSATION": ("方案一：协商补偿（金额或赠品）", "Option 1: offer compensation (money or a gift)"),
    "OFFER_EXCHANGE": ("方案二：换货/维修，承担往返运费", "Option 2: exchange/repair, pay shipping both ways"),
    "RETURN_REFUND_PAID_SHIPPING": ("方案三：致歉，退货退款，承担往返运费", "Option 3: apologise, return and refund, pay shipping"),
    "WAIT_RETURN": ("等待客户寄回", "Wait for the customer to send it back"),
    "DISPUTE_INSPECTION": ("验货异常：保留凭证，与客户协商", "Inspection failed: keep evidence, negotiate"),
    "REFUND_ON_PICKUP": ("低客单：已揽收，秒退", "Low value: refund as soon as the return is picked up"),
    "INSPECT_THEN_REFUND": ("高客单：退回仓库拆包验货后退款", "High value: inspect at the warehouse, then refund"),
}

STALLS = {
    "NOT_IN_TRANSIT": ("—", "—"),
    "NORMAL": ("正常", "Normal"),
    "NUDGE": ("催件", "Nudge"),
    "LOST": ("按丢件处理", "Treat as lost"),
}
DEADLINES = {
    "NONE": ("无超时时间", "No deadline"),
    "OK": ("正常", "OK"),
    "WARN": ("即将超时", "Due soon"),
    "OVERDUE": ("已超时", "Overdue"),
}
TIERS = {"HIGH": ("高客单", "High value"), "LOW": ("低客单", "Low value")}
RISKS = {"RISK": ("钱货两空风险", "Money and goods both gone"), "OK": ("无", "OK")}

_TABLES = (ACTIONS, STALLS, DEADLINES, TIERS, RISKS)


def label(code: str, english: bool = False, table: dict | None = None) -> str:
    """A code's label; ``table`` picks the family when codes are shared (``OK``)."""
    if table is not None and code in table:
        return table[code][1 if english else 0]
    for table in _TABLES:
        if code in table:
            return table[code][1 if english else 0]
    return code


CLOSED_STATES = frozenset({"已退款", "已关闭", "已完结"})
IN_TRANSIT = frozenset({"已揽收", "运输中", "派送中"})  # 物流在途
STALL_WATCHED = IN_TRANSIT | {"异常"}  # STALL_STATUS applies to these
INTERCEPT_ACTIONS = ("INTERCEPT_OFFLINE", "INTERCEPT_REFUND_NOW", "INTERCEPT_AND_WATCH")
_RETURN_MOVING = frozenset({"已揽收", "运输中"})


class Decision(NamedTuple):
    """What REFUND_ACTION decided: the code, the rule that fired, the facts it used.

    A fact is a word, or ``(template, number, …)`` formatted only when the
    ``why`` text is asked for (most calls want the label, 100k times).
    """

    code: str
    rule: str
    facts: tuple = ()
    missing: tuple[str, ...] = ()  # headers, for NEEDS_INFO

    def why(self) -> str:
        words = (f if isinstance(f, str) else f[0].format(*map(_g, f[1:])) for f in self.facts)
        return f"规则{self.rule}：" + "·".join(words)


def _hours(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 3600.0


def _g(x: object) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if isinstance(x, float) else str(x)


# ---------------------------------------------------------------- 4.1 stall

def is_remote(case: Case, s: Settings) -> bool:
    return case.province is not None and case.province in s.remote_regions


def stall_status(case: Case, s: Settings, now: datetime) -> tuple[str, float | None]:
    """真停滞 / 假停滞: (code, hours without movement)."""
    if case.logistics not in STALL_WATCHED or not case.last_update:
        return "NOT_IN_TRANSIT", None
    hours = max(0.0, _hours(now, case.last_update))
    lost = s.remote_lost_hours if is_remote(case, s) else s.lost_hours
    if hours < s.nudge_hours:
        return "NORMAL", hours
    if hours < lost:
        return "NUDGE", hours
    return "LOST", hours


# ------------------------------------------------------------- 4.3 deadline

def deadline_of(case: Case, s: Settings) -> datetime | None:
    """The row's 超时时间, else 申请时间 + the platform timer for its case type.

    仅退款 on an order the platform still shows unshipped (未发货, 线下已发货) →
    ``timeout_unshipped_hours``; 仅退款 已发货 → ``timeout_shipped_hours``; 退货退款 →
    ``timeout_return_hours``.  A type or ship state not known takes the shortest of
    the three (the cautious reading).  An older workbook's ``platform_timeout_hours``
    reaches here already copied into the timers its table does not set (settings.py).
    """
    if case.deadline:
        return case.deadline
    if not case.applied_at:
        return None
    if case.refund_type == "退货退款":
        hours = s.timeout_return_hours
    elif case.refund_type == "仅退款" and case.ship_state == "已发货":
        hours = s.timeout_shipped_hours
    elif case.refund_type == "仅退款" and case.ship_state in ("未发货", "线下已发货"):
        hours = s.timeout_unshipped_hours
    else:
        hours = min(s.timeout_unshipped_hours, s.timeout_shipped_hours, s.timeout_return_hours)
    return case.applied_at + timedelta(hours=hours)


def deadline_status(case: Case, s: Settings, now: datetime) -> tuple[str, float | None]:
    """(NONE/OK/WARN/OVERDUE, hours left); ``NONE`` for a closed case too (contract §4.3: shown
    已完结), so no output counts a refunded or closed case as overdue."""
    if case.case_state in CLOSED_STATES:
        return "NONE", None
    due = deadline_of(case, s)
    if due is None:
        return "NONE", None
    left = _hours(due, now)
    if left <= 0:
        return "OVERDUE", left
    if left <= s.deadline_warn_hours:
        return "WARN", left
    return "OK", left


def value_tier(case: Case, s: Settings) -> str | None:
    if not isinstance(case.amount, float):
        return None
    return "HIGH" if case.amount >= s.high_value else "LOW"


# ------------------------------------------------------------ 4.2 actions

_REQUIRED = (("order_id", "订单号"), ("refund_type", "售后类型"), ("amount", "退款金额"))
MANUAL_TYPES = frozenset({"换货", "补寄", "维修"})  # not one of the SOP's three refund types
_RETURN_READS = ("return_logistics", "return_cost", "no_ship", "negotiation", "inspection", "reason")


def _branch_reads(case: Case) -> list[str]:
    """The fields the rule branch this case falls into reads (contract §4.2 row 0b).

    Follows the same forks as :func:`refund_action`: an unreadable value in a
    field that decides the fork is itself read, so the fork is never guessed.
    """
    if case.refund_type == "退货退款":
        return list(_RETURN_READS)
    if case.refund_type != "仅退款":
        return []
    reads = ["ship_state", "tracking_no"]
    ship = case.ship_state
    if ship == "线下已发货" or (ship == "未发货" and case.tracking_no):
        reads.append("intercept")
    elif ship == "未发货":
        reads += ["goods_kind", "cost_incurred"]
    elif ship == "已发货":
        reads.append("logistics")
        if case.logistics == "已签收":
            reads += ["courier_check", "customer_says"]
        elif case.logistics in STALL_WATCHED:
            reads += ["last_update", "intercept", "intercept_at", "deadline", "applied_at"]
    return reads


def named(case: Case, key: str) -> str:
    """A field for a NEEDS_INFO message: its header, and the value quoted when one was typed."""
    typed = case.typed(key)
    header = FIELD_BY_KEY[key].header
    return f"{header}「{typed}」" if typed is not None else header


def _missing(case: Case) -> list[str]:
    if (not case.bad and case.order_id is not None and case.amount is not None
            and (case.refund_type == "退货退款"
                 or (case.refund_type == "仅退款" and case.ship_state is not None
                     and (case.ship_state != "已发货" or case.logistics is not None)))):
        return []  # the usual row: everything the rules need is there
    out = [header for key, header in _REQUIRED if getattr(case, key) is None and key not in case.bad]
    if case.bad:
        reads = ("case_state", "order_id", "refund_type", "amount", *_branch_reads(case))
        out += [named(case, k) for k in reads if k in case.bad]
    if case.refund_type == "仅退款":
        if case.ship_state is None and "ship_state" not in case.bad:
            out.append("发货状态")
        elif case.ship_state == "已发货" and case.logistics is None and "logistics" not in case.bad:
            out.append("物流状态")
    return list(dict.fromkeys(out)) if out else out


def refund_action(case: Case, s: Settings, now: datetime) -> Decision:
    """REFUND_ACTION: the first matching rule of contract §4.2 wins."""
    # 0a — nothing left to do
    if case.case_state in CLOSED_STATES:
        return Decision("DONE", "0a", (f"售后状态{case.case_state}",))
    # 0b — a required field missing, or a field this case's branch reads unreadable
    missing = _missing(case)
    if missing:
        return Decision("NEEDS_INFO", "0b", ("缺少或无法识别：" + "、".join(missing),), tuple(missing))
    # 0c — exchange, reship, repair: the shop's own process, not this SOP
    if case.refund_type in MANUAL_TYPES:
        return Decision("MANUAL_REVIEW", "0c", (f"售后类型{case.refund_type}",))
    if case.refund_type == "退货退款":
        return _return_refund(case, s)
    if case.ship_state == "线下已发货" or (case.ship_state == "未发货" and case.tracking_no):
        return _offline_shipped(case)
    if case.ship_state == "未发货":
        return _not_shipped_refund(case)
    return _shipped_refund(case, s, now)


def _offline_shipped(case: Case) -> Decision:
    # 线下已发货平台未同步: register, intercept; if it fails ask the customer to refuse.
    fact = "线下已发货" if case.ship_state == "线下已发货" else f"未发货但有物流单号{case.tracking_no}"
    if case.intercept == "拦截成功":
        return Decision("APPROVE_REFUND", "1", (fact, "拦截成功"))
    if case.intercept == "拦截失败":
        return Decision("ASK_REFUSE_DELIVERY", "1", (fact, "拦截失败"))
    return Decision("INTERCEPT_OFFLINE", "1", (fact, case.intercept or "未拦截"))


def _not_shipped_refund(case: Case) -> Decision:
    # 一、未发货仅退款: 标品 agree at once; 定制/代购 depends on cost incurred.
    kind = case.goods_kind or "标品"
    if kind == "标品":
        return Decision("APPROVE_REFUND", "2", ("未发货", "标品"))
    if case.cost_incurred == "否":
        return Decision("APPROVE_REFUND", "3", ("未发货", kind, "未产生成本"))
    if case.cost_incurred == "是":
        return Decision("NEGOTIATE_COST", "4", ("未发货", kind, "已产生成本"))
    return Decision("ASK_REASON", "5", ("未发货", kind, "成本未知"))


def _shipped_refund(case: Case, s: Settings, now: datetime) -> Decision:
    # 二、已发货仅退款
    lg = case.logistics
    if lg == "未揽收":
        return Decision("CHECK_WAREHOUSE", "6", ("已发货", "物流未揽收"))
    if lg == "丢件":
        return Decision("REFUND_OR_RESHIP_CLAIM", "7", ("已发货", "物流丢件"))
    if lg in ("拒收", "退回"):
        return Decision("APPROVE_REFUND", "8", ("已发货", f"物流{lg}"))
    if lg == "已签收":
        return _signed_for(case)
    # 物流在途 / 物流异常: 真停滞 or 假停滞 first
    stall, hours = stall_status(case, s, now)
    if (stall == "LOST" and case.province is None and s.remote_regions
            and hours < s.remote_lost_hours):
        # between the two thresholds only a remote province decides: ask, don't guess
        return Decision("NEEDS_INFO", "0b", (("缺少收货省份：{}小时未更新，在丢件阈值 {}–{} 之间", hours,
                                                s.lost_hours, s.remote_lost_hours),), ("收货省份",))
    if stall == "LOST":
        lost = s.remote_lost_hours if is_remote(case, s) else s.lost_hours
        where = f"偏远地区{case.province}·" if is_remote(case, s) else ""
        return Decision("REFUND_OR_RESHIP_CLAIM", "14",
                        ("已发货", lg, (where + "{}小时未更新 ≥ 丢件阈值 {}", hours, lost)))
    if lg == "异常":
        moved = "无更新时间" if hours is None else ("{}小时未更新", hours)
        return Decision("NUDGE_COURIER", "15", ("已发货", "物流异常", moved))
    return _in_transit(case, s, now)


def _signed_for(case: Case) -> Decision:
    # 物流显示已签收: 实际已签收 / 实际未签收
    if case.courier_check == "丢件":
        return Decision("REFUND_OR_RESHIP_CLAIM", "9", ("已签收", "快递核实丢件"))
    if case.courier_check == "已签收":
        return Decision("REJECT_WITH_PROOF", "10", ("已签收", "快递核实已签收"))
    if case.customer_says == "不撤销":
        return Decision("REJECT_WITH_PROOF", "10", ("已签收", "客户不撤销"))
    if case.customer_says == "未收到":
        return Decision("VERIFY_WITH_COURIER", "11", ("已签收", "客户称未收到"))
    if case.customer_says == "已收到":
        return Decision("GUIDE_TO_RETURN", "12", ("已签收", "客户已收到"))
    return Decision("CONFIRM_RECEIPT", "13", ("已签收", "客户与快递均无反馈"))


def _in_transit(case: Case, s: Settings, now: datetime) -> Decision:
    # 物流在途: 低客单 intercept + refund now; 高客单 intercept, flag, check next day.
    lg = case.logistics
    if case.intercept == "拦截成功":
        return Decision("APPROVE_REFUND", "16", ("已发货", lg, "拦截成功"))
    if case.intercept == "拦截失败":
        return Decision("ASK_REFUSE_DELIVERY", "17", ("已发货", lg, "拦截失败"))
    if case.amount < s.high_value:
        return Decision("INTERCEPT_REFUND_NOW", "18", ("已发货", lg, ("{} < 高客单阈值 {}", case.amount, s.high_value)))
    high = ("{} ≥ 高客单阈值 {}", case.amount, s.high_value)
    if case.intercept != "拦截中":
        return Decision("INTERCEPT_AND_WATCH", "19", ("已发货", lg, high, "未拦截"))
    deadline, left = deadline_status(case, s, now)
    if case.intercept_at is None:
        return Decision("CHECK_INTERCEPT_RESULT", "20", ("已发货", lg, high, "拦截中", "无拦截时间"))
    since = _hours(now, case.intercept_at)
    if since >= s.intercept_check_hours:
        return Decision("CHECK_INTERCEPT_RESULT", "20",
                        ("已发货", lg, high, ("拦截已{}小时 ≥ {}", since, s.intercept_check_hours)))
    if deadline in ("WARN", "OVERDUE"):
        return Decision("CHECK_INTERCEPT_RESULT", "20",
                        ("已发货", lg, high, "拦截中", ("距超时{}小时（" + label(deadline) + "）", left)))
    return Decision("WAIT_INTERCEPT", "21",
                    ("已发货", lg, high, ("拦截{}小时 < {}", since, s.intercept_check_hours)))


def _return_refund(case: Case, s: Settings) -> Decision:
    # 三、退货退款
    ret = case.return_logistics or "未寄回"
    nego = case.negotiation or "未协商"
    reason = case.reason
    # 方案四: returning costs more than it saves
    if ret == "未寄回":
        if case.return_cost is not None and case.return_cost > case.amount:
            return Decision("REFUND_WITHOUT_RETURN", "22",
                            (("退货运费{} > 退款金额{}", case.return_cost, case.amount),))
        if reason == "腐烂变质":
            return Decision("REFUND_WITHOUT_RETURN", "22", ("退货原因腐烂变质",))
        if case.no_ship == "是":
            return Decision("REFUND_WITHOUT_RETURN", "22", ("禁运，无法寄回",))
    if nego == "同意补偿":
        return Decision("ISSUE_COMPENSATION", "23", ("客户同意补偿",))
    if nego == "同意换货":
        return Decision("ARRANGE_EXCHANGE", "24", ("客户同意换货",))
    # 可以协商的退款: a small flaw or missing items, the customer not set on a refund
    negotiable = reason in ("小瑕疵", "少发漏发") and nego not in ("坚持退款", "拒绝换货") and ret == "未寄回"
    if negotiable:
        if reason == "少发漏发":
            return Decision("RESHIP_MISSING", "25", ("少发漏发", "未寄回"))
        if nego == "未协商":
            return Decision("OFFER_COMPENSATION", "26", ("小瑕疵", "未协商"))
        if nego == "拒绝补偿":
            return Decision("OFFER_EXCHANGE", "27", ("小瑕疵", "拒绝补偿"))
    if nego == "拒绝换货" and ret == "未寄回":
        return Decision("RETURN_REFUND_PAID_SHIPPING", "28", ("客户拒绝换货", "未寄回"))
    if ret == "未寄回":
        return Decision("WAIT_RETURN", "29", ("退货未寄回", f"原因{reason}" if reason else "无原因"))
    if case.inspection == "不合格":
        return Decision("DISPUTE_INSPECTION", "30", (f"退货{ret}", "验货不合格"))
    high = case.amount >= s.high_value
    tier = ("{} ≥ 高客单阈值 {}" if high else "{} < 高客单阈值 {}", case.amount, s.high_value)
    if ret in _RETURN_MOVING and not high:
        return Decision("REFUND_ON_PICKUP", "31", (f"退货{ret}", tier))
    if high and case.inspection is None:
        return Decision("INSPECT_THEN_REFUND", "32", (f"退货{ret}", tier, "未验货"))
    # 33: 已签收 and low value, or inspection passed
    facts = (f"退货{ret}", "验货合格") if case.inspection == "合格" else (f"退货{ret}", tier)
    return Decision("APPROVE_REFUND", "33", facts)


# ----------------------------------------------------------- 4.3 loss risk

_RISK_READS_REFUND_ONLY = ("ship_state", "tracking_no", "intercept", "logistics")
_RISK_READS_RETURN = ("return_logistics", "amount", "return_cost", "no_ship", "reason")


def loss_risk(case: Case, s: Settings, now: datetime) -> str:
    """钱货两空: refunded while the goods are not back in the shop's hands.

    An unreadable word in a field this reads is the cautious ``RISK``.
    """
    bad = case.bad
    if "case_state" in bad:
        return "RISK"
    if case.case_state != "已退款":
        return "OK"
    if "refund_type" in bad:
        return "RISK"
    if case.refund_type == "仅退款":
        if bad and any(k in bad for k in _RISK_READS_REFUND_ONLY):
            return "RISK"
        left = case.ship_state in ("已发货", "线下已发货") or (case.ship_state == "未发货" and case.tracking_no)
        if left and case.intercept != "拦截成功" and case.logistics not in ("拒收", "退回"):
            return "RISK"
        return "OK"
    if case.refund_type == "退货退款" and case.return_logistics != "已签收":
        if bad and any(k in bad for k in _RISK_READS_RETURN):
            return "RISK"
        if case.amount is None or not isinstance(case.amount, float):
            return "RISK"
        as_open = _return_refund(case, s)
        return "OK" if as_open.code == "REFUND_WITHOUT_RETURN" else "RISK"
    return "OK"
