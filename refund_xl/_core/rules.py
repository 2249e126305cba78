"""The SOP's decisions (contract §4) as a declared table, evaluated over three-valued facts.

Read it beside the article (``seed/refund-sop-article.txt``):

* 一、未发货仅退款 and 线下已发货平台未同步 → rows 1–5 of :data:`ACTION_RULES` (a parcel shipped offline that
  already reached an end — signed for, refused, returned, lost — by rows 7–13 first, :func:`_left_offline`)
* 二、已发货仅退款 (物流在途 / 已签收 / 物流异常) → rows 6–21
* 三、退货退款 (方案一 … 方案四) → rows 22–33
* 真停滞 / 假停滞 (≤24h 催件, ≥48h 丢件, 偏远 ≥72h) → the ``stall`` predicate (:func:`stall_band`)

**Facts.**  Every row of a sheet becomes a tuple of *atoms* (:data:`ATOMS`): the canonical
words of the state columns and a few named predicates over numbers and times (``high``,
``stall``, ``intercept_due``, ``deadline``, ``cost_gt``).  An atom is *known* (one value),
or :class:`Unknown` (the set of values it could take and the columns that would tell).
The desk's own records take their default when nothing is recorded (contract §2 "Three
kinds of fact"); facts of the world outside the desk that are missing, blank where a
value must exist, or unreadable are unknown (one exception: the 物流状态 of a parcel shipped
outside the platform, the atom ``trace``, is blank for "no trace recorded", :func:`_trace`).
A date written without a time of day is an interval: a predicate over it is known only when
both ends agree.

**Rules.**  A rule is a row: a number, conditions (an atom and the values it must take),
an action and the words of its ``why``.  :func:`decide` walks the rows in order; the
first row whose conditions all hold wins.  When a condition cannot be told because an
atom is unknown, every value that atom could take is tried: one action for all → that
action; else ``NEEDS_INFO`` naming the columns that decide.  The decision depends only
on the atoms it reads, so it is made once per path through the table (:class:`_Tree`) and shared by
every row with the same tuple.

The docs' rules page (``docs/rules.md``) and the contract tests are generated from the
same rows.  Pure module: no clock, no file, no host.
"""

from __future__ import annotations

import re
from functools import partial
from itertools import chain, compress, count, repeat
from operator import eq, is_, is_not
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

from refund_xl._core.lang import LIST_SEP, lang, pick
from refund_xl._core import vocab
from refund_xl._core.fields import FIELD_BY_KEY, ColumnMap
from refund_xl._core.settings import Settings

__all__ = [
    "Case", "Decision", "Unknown", "Rule", "ACTION_RULES", "RISK_RULES", "ATOMS", "DOMAINS",
    "ACTIONS", "STALLS", "DEADLINES", "TIERS", "RISKS", "WHERE",
    "refund_action", "stall_status", "deadline_status", "value_tier", "said_amounts", "amount_text", "loss_risk",
    "decide", "atoms_of",
    "label", "named", "names", "CLOSED_STATES", "IN_TRANSIT", "STALL_WATCHED", "INTERCEPT_ACTIONS", "MANUAL_TYPES",
    "deadline_of", "Sheet", "evaluate", "Verdict", "risk_of", "rule_facts", "WhyFormat", "why_format",
    "value_reads", "value_text", "value_texts", "weave", "required_missing", "Outcome", "outcome_of",
]


class Sheet(NamedTuple):
    """What a row's table says about its columns (one object shared by every row of a table).

    ``absent``: fields with no column; ``suggest``: field → a header that may be it
    (最后更新 for 物流更新时间), named when the row needs that field.
    """

    absent: frozenset = frozenset()
    suggest: Mapping[str, str] = {}


NO_SHEET = Sheet()


class Case(NamedTuple):
    """One tracking-sheet row after reading (canonical words, numbers, datetimes).

    Every field is ``None`` unless set; ``bad`` names the fields whose cells held
    something unreadable (``bad_values``: those cells as typed, quoted back to the
    desk).  ``sheet`` says which columns the table has.  A tuple: ``engine`` builds
    100k of them from whole columns at C speed, and the rules only read them.
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
    refunded_at: datetime | None = None
    shipped_at: datetime | None = None
    signed_at: datetime | None = None
    return_signed_at: datetime | None = None
    return_tracking_no: str | None = None
    return_carrier: str | None = None
    phone: str | None = None
    goods_name: str | None = None
    platform: str | None = None
    sheet: Sheet = NO_SHEET
    bad: tuple[str, ...] = ()
    bad_values: tuple[str | None, ...] = ()  # the unreadable cells as typed, aligned with ``bad`` (None: no cell)

    def typed(self, key: str) -> str | None:
        """The unreadable value of field ``key`` as typed, or None."""
        for k, v in zip(self.bad, self.bad_values):
            if k == key:
                return v
        return None


# ------------------------------------------------------------------ labels

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
    "NEEDS_INFO": ("信息不足", "Missing information"),
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
        return table[code][lang(english)]
    for table in _TABLES:
        if code in table:
            return table[code][lang(english)]
    return code


CLOSED_STATES = frozenset({"已退款", "已关闭", "已完结"})
IN_TRANSIT = frozenset({"已揽收", "运输中", "派送中"})  # 物流在途
STALL_WATCHED = IN_TRANSIT | {"异常"}  # STALL_STATUS applies to these
# A parcel exists (the atom ``parcel``): a tracking number, a 物流状态 past the pickup, or an interception
# under way or done (发货状态 未发货 beside any of them: shipped outside the platform, contract rule 1).
PARCEL_LOGISTICS = frozenset(FIELD_BY_KEY["logistics"].choices) - {"未揽收"}
PARCEL_INTERCEPT = frozenset({"拦截中", "拦截成功", "拦截失败"})
INTERCEPT_ACTIONS = ("INTERCEPT_OFFLINE", "INTERCEPT_REFUND_NOW", "INTERCEPT_AND_WATCH")
MANUAL_TYPES = frozenset({"换货", "补寄", "维修"})  # not one of the SOP's three refund types
_RETURN_MOVING = frozenset({"已揽收", "运输中"})

# ------------------------------------------------------------------ facts

OTHER = "其他原因"  # a 退货原因 that is none of the words the SOP acts on

# Each atom and every value it can take (what an unknown atom is completed with).
DOMAINS: dict[str, tuple] = {
    "required": ("ok", "missing"),
    "case_state": FIELD_BY_KEY["case_state"].choices,
    "refund_type": FIELD_BY_KEY["refund_type"].choices,
    "ship_state": FIELD_BY_KEY["ship_state"].choices,
    "parcel": (False, True),
    "logistics": FIELD_BY_KEY["logistics"].choices,
    # the 物流状态 as the rows of a parcel that left outside the platform read it (None: no trace recorded)
    "trace": (None, *FIELD_BY_KEY["logistics"].choices),
    "intercept": FIELD_BY_KEY["intercept"].choices,
    "customer_says": (None, *FIELD_BY_KEY["customer_says"].choices),
    "courier_check": (None, *FIELD_BY_KEY["courier_check"].choices),
    "goods_kind": FIELD_BY_KEY["goods_kind"].choices,
    "cost_incurred": (None, *FIELD_BY_KEY["cost_incurred"].choices),
    "return_logistics": FIELD_BY_KEY["return_logistics"].choices,
    "negotiation": FIELD_BY_KEY["negotiation"].choices,
    "inspection": (None, *FIELD_BY_KEY["inspection"].choices),
    "no_ship": FIELD_BY_KEY["no_ship"].choices,
    "reason": (None, OTHER, *FIELD_BY_KEY["reason"].choices),
    "high": (False, True),
    "stall": ("NORMAL", "NUDGE", "LOST"),
    "intercept_due": (False, True),
    "deadline": ("NONE", "OK", "WARN", "OVERDUE"),
    "cost_gt": (False, True),
}
ATOMS: tuple[str, ...] = tuple(DOMAINS)
_AT = {name: i for i, name in enumerate(ATOMS)}

# What each atom reads, for the docs and for naming what is missing.
ATOM_FIELDS: dict[str, tuple[str, ...]] = {
    "required": ("order_id", "refund_type", "amount", "ship_state", "case_id", "tracking_no", "return_tracking_no"),
    "parcel": ("tracking_no", "logistics", "intercept", "shipped_at"), "ship_state": ("ship_state", "shipped_at"),
    # a word another column contradicts is unknown (_CONTRADICTED)
    "return_logistics": ("return_logistics", "inspection", "return_tracking_no", "return_signed_at"),
    "intercept": ("intercept", "logistics", "courier_check"),
    "case_state": ("case_state", "refunded_at"), "logistics": ("logistics", "courier_check", "signed_at"),
    "trace": ("logistics", "courier_check", "signed_at"),
    "high": ("amount",), "stall": ("last_update", "province"), "intercept_due": ("intercept_at",),
    "deadline": ("deadline", "applied_at"), "cost_gt": ("return_cost", "amount"),
}
for _name in ATOMS:
    ATOM_FIELDS.setdefault(_name, (_name,))

# The atoms each per-row result reads (:func:`outcome_of`): the fields a formula function reads are those
# atoms' fields (:data:`ATOM_FIELDS`), so a single-purpose function reads what REFUND_TABLE reads for its cell.
# The action reads every atom (row 0b: a lossy 售后单号 too); 钱货两空 reads the action as if the case were open.
RESULT_ATOMS: dict[str, tuple[str, ...]] = {
    "action": ATOMS, "risk": ATOMS,
    "stall": ("logistics", "refund_type", "ship_state", "stall", "case_state"),  # (stall_of; closed: case_state)
    "deadline": ("deadline", "case_state", "refund_type", "ship_state"),  # the timer depends on the case type
    "tier": ("high",),
}


def result_fields(result: str) -> frozenset[str]:
    """The fields the per-row result ``result`` (a key of :data:`RESULT_ATOMS`) reads."""
    return frozenset(k for atom in RESULT_ATOMS[result] for k in ATOM_FIELDS[atom])

# The desk's own records: nothing recorded means nothing done (their default).
DESK_RECORDS = frozenset({"intercept", "negotiation", "customer_says", "courier_check", "inspection",
                          "cost_incurred", "no_ship", "return_cost", "goods_kind", "case_state", "return_logistics"})


def suggested_column(cmap: ColumnMap, key: str) -> int | None:
    """The column of an unused header that may be field ``key`` (``cmap.suggestions``: 客户 for 客户反馈), for a
    record of the desk's (:data:`DESK_RECORDS`) no column feeds.  Where that column says one of the field's words
    (客户「没收到」), the desk may have recorded the field there: the row's fact is unknown (asked, naming the
    column), never the default.  What the field cannot read there (交易状态「交易成功」 beside no 售后状态) is taken
    for another column's fact: the default, as before.  (A fact of the world with no column is unknown on every row
    already.)  A time written down (:data:`TIME_SAYS`, 退款完成时间) is such a record too: where a column that may be it
    (退款时间: the refund's, or the buyer's request's?) holds a time, what that time would say is unknown."""
    return cmap.suggested(key) if key in DESK_RECORDS or key in TIME_SAYS else None


class Unknown(NamedTuple):
    """An atom the sheet does not fix: the values it could take, and why (field keys, as
    ``key`` or ``key@day`` for a date written without a time of day)."""

    values: frozenset
    causes: tuple[str, ...]

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Unknown({sorted(map(str, self.values))}, {self.causes})"


def unknown(atom: str, *causes: str, values: Iterable | None = None) -> Unknown:
    return Unknown(frozenset(DOMAINS[atom] if values is None else values), causes or (atom,))


# Where to get a fact that is missing (contract §2 and §4 rule 0b: NEEDS_INFO names the field and where to get
# it): one for every field, so no ask names a column and leaves the desk to guess where its fact is kept.  A value
# typed but unreadable is quoted instead (the reading report lists the forms a cell may take).
_TRACK = ("可运行 refund-xl track，或填写该列", "run refund-xl track, or fill the column")
WHERE: dict[str, tuple[str, str]] = {
    "order_id": ("见平台售后单", "see the platform's case"),
    "case_id": ("见平台售后单", "see the platform's case"),
    "applied_at": ("见平台售后单", "see the platform's case"),
    "refund_type": ("见平台售后单", "see the platform's case"),
    "amount": ("见平台售后单", "see the platform's case"),
    "goods_kind": ("按商品填写：标品、定制或代购", "from the goods: standard, custom-made or bought to order"),
    "cost_incurred": ("问仓库或供应商", "ask the warehouse or the supplier"),
    "ship_state": ("见订单的发货记录", "the order's shipment record"),
    "carrier": ("见订单的发货物流信息", "the order's shipping details"),
    "tracking_no": ("见订单的发货物流信息", "the order's shipping details"),
    "logistics": _TRACK,
    "last_update": _TRACK,
    # blank, or an address naming no province or city the product knows (衢州市柯城区)
    "province": ("写上省份，如 浙江、新疆", "write the province, e.g. 浙江, 新疆"),
    "customer_says": ("问客户", "ask the customer"),
    "courier_check": ("向快递核实", "check with the courier"),
    "intercept": ("向快递查拦截结果", "ask the courier how the interception went"),
    "intercept_at": ("填写发起拦截的时间", "write when the interception was asked"),
    "return_logistics": _TRACK,
    "inspection": ("问仓库验货结果", "ask the warehouse for the inspection"),
    "reason": ("见平台售后单", "see the platform's case"),
    "negotiation": ("填写与客户的协商结果", "write what the customer agreed"),
    "return_cost": ("见退货运单或问客户", "the return waybill, or ask the customer"),
    "no_ship": ("按商品是否禁运填写", "whether the goods may be shipped back"),
    "case_state": ("见平台售后单", "see the platform's case"),
    # rule 20's deadline: the platform's timer, or the request time plus the settings' time limits
    "deadline": ("见售后单的超时时间，或填写申请时间", "the deadline on the platform's case, or write the request time"),
    "shipped_at": ("见订单的发货记录", "the order's shipment record"),
    "signed_at": _TRACK,
    "return_signed_at": ("见仓库的收货记录", "the warehouse's receipt record"),
    "refunded_at": ("见平台售后单", "see the platform's case"),
    "return_tracking_no": ("问客户要退货单号", "ask the customer for the return waybill"),
    "return_carrier": ("问客户或见退货物流信息", "ask the customer, or see the return's shipping details"),
    "phone": ("见订单的收件信息", "the order's delivery details"),
    "goods_name": ("见订单的商品", "the order's goods"),
    "platform": ("写上平台名称", "write the platform's name"),
}
_DAY_ONLY = ("只有日期：请写上时刻", "a date without a time: add the time")
_LOSSY = ("Excel 已丢掉后几位：把该列设为文本后重新粘贴", "Excel dropped digits: set the column to text and paste again")
_AHEAD = ("晚于基准时间一天以上：请核对日期", "more than a day after the reference time: check the date")
_SUGGEST = ("是否为「{}」列？", "is it the column 「{}」?")
_NO_COLUMN = ("表中没有这一列", "no such column")
_CONFLICT_HINT = ("与「{}」不一致，请核对", "disagrees with 「{}」: check it")


def named(case: Case, key: str, english: bool = False) -> str:
    """A field for a NEEDS_INFO message: its header, the value quoted when one was typed, and
    where to get it (``物流更新时间（可运行 refund-xl track，或填写该列）``)."""
    text, hint = _named(case, key, english)
    return _hinted(text, hint, english) if hint else text


def names(case: Case, keys: Iterable[str], english: bool = False) -> tuple[str, ...]:
    """Several fields for one message: each named once, a hint shared by neighbours said once
    (``物流状态、物流更新时间（可运行 refund-xl track，或填写该列）``)."""
    parts = list(dict.fromkeys(_named(case, k, english) for k in keys))
    out = []
    for i, (text, hint) in enumerate(parts):
        later = parts[i + 1][1] if i + 1 < len(parts) else None
        out.append(_hinted(text, hint, english) if hint and hint != later else text)
    return tuple(dict.fromkeys(out))


def _hinted(text: str, hint: str, english: bool) -> str:
    """A field named with its hint in brackets of the message's language."""
    return f"{text} ({hint})" if english else f"{text}（{hint}）"


def _named(case: Case, key: str, english: bool = False) -> tuple[str, str]:
    base, _, other = key.partition("@")
    i = lang(english)
    if other and other != "day":  # a word another column contradicts (_CONTRADICTED): which one
        fld, by = FIELD_BY_KEY[base], FIELD_BY_KEY[other]
        hint = _CONFLICT_HINT[i].format(pick((by.header, by.english), english))
        where = WHERE.get(base)
        return pick((fld.header, fld.english), english), hint + (pick(("；", "; "), english) + where[i] if where else "")
    day = key.endswith("@day")
    key = key[:-4] if day else key
    fld = FIELD_BY_KEY[key]
    header = pick((fld.header, fld.english), english)
    typed = case.typed(key)
    if typed is not None:
        text = f"{header}「{typed}」"
        if (vocab.is_lossy_id(typed) or vocab.is_padded_id(typed)) and fld.parse is vocab.parse_id:
            return text, _LOSSY[i]
        if fld.parse is vocab.parse_datetime and key != "deadline" and isinstance(vocab.parse_datetime(typed), datetime):
            return text, _AHEAD[i]  # a readable time of an event, unreadable only for being ahead of now
        return text, ""
    if day:
        value = getattr(case, key, None)
        shown = value.strftime("%Y-%m-%d") if isinstance(value, datetime) else ""
        return f"{header}「{shown}」", _DAY_ONLY[i]
    sheet = case.sheet
    if key in sheet.suggest:
        return header, _SUGGEST[i].format(sheet.suggest[key])
    if key in WHERE:
        return header, WHERE[key][i]
    return header, ""


# ------------------------------------------------------------------ predicates over numbers


def _hours(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 3600.0


def _g(x: object) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if isinstance(x, float) else str(x)


def _band(hours: float, lost: float, s: Settings) -> str:
    if hours < s.nudge_hours:
        return "NORMAL"
    if hours < lost:
        return "NUDGE"
    return "LOST"


_PROVINCE_NAMES = frozenset(vocab.PROVINCES)


def known_province(province: object, s: Settings) -> bool:
    """Whether a 收货省份 value says where the parcel goes: a province, or a name in the remote list
    (text naming neither, 绍兴市越城区, is no province the rules can place)."""
    return province is not None and (province in _PROVINCE_NAMES or province in s.remote_regions)


def _stall(when: datetime | None, province: str | None, province_bad: bool, s: Settings,
           now: datetime) -> tuple[object, float | None]:
    """真停滞 / 假停滞 of a parcel that last moved at ``when``: (band or Unknown, hours).

    A remote province (偏远地区) has its own lost threshold; an unknown province between
    the two thresholds leaves the band unknown (NUDGE or LOST).  A date without a time of
    day is read at both ends of the day.
    """
    if when is None:
        return UNKNOWN["stall"], None
    if province_bad or (not known_province(province, s) and s.remote_regions):
        thresholds: tuple[float, ...] = tuple(sorted({s.lost_hours, s.remote_lost_hours}))
    else:
        thresholds = (s.remote_lost_hours if province in s.remote_regions else s.lost_hours,)
    if when.__class__ is datetime:
        hours = (now - when).total_seconds() / 3600.0
        ends: tuple[float, ...] = (hours if hours > 0.0 else 0.0,)
    else:
        lo, hi = vocab.day_ends(when)
        ends = (max(0.0, _hours(now, hi)), max(0.0, _hours(now, lo)))  # fewest, most hours
    if len(thresholds) == 1 and len(ends) == 1:
        return _band(ends[0], thresholds[0], s), ends[0]
    bands = {_band(h, lost, s) for h in ends for lost in thresholds}
    hours = ends[-1]
    if len(bands) == 1:
        return bands.pop(), hours
    causes = []
    if any(len({_band(h, lost, s) for h in ends}) > 1 for lost in thresholds):
        causes.append("last_update@day")
    if any(len({_band(h, lost, s) for lost in thresholds}) > 1 for h in ends):
        causes.append("province")
    return Unknown(frozenset(bands), tuple(causes)), hours


def stall_band(case: Case, s: Settings, now: datetime) -> tuple[object, float | None]:
    """The stall band (or Unknown) and hours without movement of one row (see :func:`_stall`)."""
    if "last_update" in case.bad:
        return UNKNOWN["stall"], None
    return _stall(case.last_update, case.province, "province" in case.bad, s, now)


def stall_of(logistics: object, refund_type: object, ship_state: object, band: object,
             closed: bool = False) -> tuple[str, tuple[str, ...]]:
    """STALL_STATUS from a row's facts (contract §4.1): (code, the fields that would tell it).

    ``logistics``: the 物流状态 atom (a word, or :class:`Unknown`); ``band``: the stall band of its
    update time (or Unknown).  ``NOT_IN_TRANSIT`` unless the parcel is in transit or 异常;
    ``NEEDS_INFO`` when it is and the sheet does not tell how long it has not moved (or, between the
    two lost thresholds, whether its province is remote), or when a shipped 仅退款's 物流状态 is
    unknown and may be in transit (then the update time too, should it be unknown), unless the case is
    ``closed`` (nothing is asked of a closed case whose parcel is not known to be moving).  A shipped
    仅退款 is the branch of the table that reads 物流状态 (rules 6–21, ``_SHIPPED``); elsewhere (not shipped,
    a return) no 物流状态 means no parcel to watch.
    """
    if logistics.__class__ is Unknown:
        values = logistics.values
        if values.isdisjoint(STALL_WATCHED) or not (values <= STALL_WATCHED or not closed and (
                refund_type == _SHIPPED["refund_type"] and ship_state == _SHIPPED["ship_state"])):
            return "NOT_IN_TRANSIT", ()
        if not values <= STALL_WATCHED:
            return "NEEDS_INFO", (*logistics.causes, *(band.causes if band.__class__ is Unknown else ()))
    elif logistics not in STALL_WATCHED:
        return "NOT_IN_TRANSIT", ()
    return ("NEEDS_INFO", band.causes) if band.__class__ is Unknown else (band, ())  # type: ignore[return-value]


def logistics_atom(case: Case) -> object:
    """A row's 物流状态 as a fact (the atom ``logistics``, as :func:`atom_columns` makes it, by the same tables and
    in its order, without the row's other atoms): blank or unreadable, behind what the courier found (快递核实
    已签收), contradicted by another column (签收时间, :data:`_CONTRADICTED`) or beside such a column unread, it is
    unknown; two columns' two words are one of them, widened as one word is (:func:`_behind`)."""
    word = case.logistics
    if "logistics" in case.bad:
        either = _either("logistics", case.bad_values, case.bad)
        if either is UNKNOWN["logistics"]:
            return either
        return _behind("logistics", either, 0, {"courier_check": (case.courier_check,)}, lambda key: (getattr(case, key),))
    if word is None or (case.courier_check in _STALE_BESIDE and word in _SHORT_OF_SIGNED):
        return UNKNOWN["logistics"]
    for c in _CONTRADICTED:
        if c.key == "logistics" and c.contradicts(word) and c.shows(getattr(case, c.other)):
            return _CONFLICT[(c.key, c.other, word)]
    for key in case.bad:  # (as atom_columns' loop over a row's unread cells)
        for c in _CONTRADICTED_BY.get(key, ()):
            if c.key == "logistics" and c.contradicts(word):
                return _MAY_CONFLICT[(c.key, key, word)]
        if key == "courier_check" and word in _SHORT_OF_SIGNED:  # (stale, if the courier found it so)
            return _STALE_UNKNOWN
    return word


def stall_status(case: Case, s: Settings, now: datetime) -> tuple[str, float | None, tuple[str, ...]]:
    """STALL_STATUS of one row (:func:`stall_of`): (code, hours without movement, the fields that
    would tell an unknown one)."""
    band, hours = stall_band(case, s, now)
    code, needs = stall_of(logistics_atom(case), case.refund_type, case.ship_state, band,
                           case.case_state in CLOSED_STATES)
    return code, hours if code != "NOT_IN_TRANSIT" else None, needs


# ------------------------------------------------------------- 4.3 deadline


def _timer_of(refund_type: object, ship_state: object, s: Settings) -> float:
    if refund_type == "退货退款":
        return s.timeout_return_hours
    if refund_type == "仅退款" and ship_state == "已发货":
        return s.timeout_shipped_hours
    if refund_type == "仅退款" and ship_state in ("未发货", "线下已发货"):
        return s.timeout_unshipped_hours
    return min(s.timeout_unshipped_hours, s.timeout_shipped_hours, s.timeout_return_hours)


def deadline_of(case: Case, s: Settings) -> datetime | None:
    """The row's 超时时间, else 申请时间 + the platform timer for its case type.

    仅退款 on an order the platform still shows unshipped (未发货, 线下已发货) →
    ``timeout_unshipped_hours``; 仅退款 已发货 → ``timeout_shipped_hours``; 退货退款 →
    ``timeout_return_hours``.  A type or ship state not known takes the shortest of
    the three (the cautious reading).  A 超时时间 (or 申请时间) written without a time of
    day gives the whole day (:class:`~refund_xl._core.vocab.WholeDay`, written back as that
    date); its hours left count to the day's start, the cautious reading (:func:`_deadline`).
    """
    if case.deadline:
        return case.deadline
    if not case.applied_at:
        return None
    return case.applied_at + timedelta(hours=_timer_of(case.refund_type, case.ship_state, s))


def _deadline_band(left: float, s: Settings) -> str:
    if left <= 0:
        return "OVERDUE"
    if left <= s.deadline_warn_hours:
        return "WARN"
    return "OK"


def _deadline(due: datetime | None, applied: datetime | None, due_bad: bool, applied_bad: bool,
              applied_absent: bool, refund_type: object, ship_state: object, s: Settings,
              now: datetime) -> tuple[object, float | None]:
    """(band or Unknown, hours left) of the platform deadline.  A whole day decides where both its ends
    give one band; its hours left count to the day's start (the fewest it may leave: the cautious reading),
    and a day that straddles two bands keeps them too (:func:`deadline_left`, the why's words)."""
    if due_bad:
        return UNKNOWN_DEADLINE["deadline"], None
    if due is not None:
        if due.__class__ is datetime:
            left = (due - now).total_seconds() / 3600.0
            return _deadline_band(left, s), left
        lo, hi = vocab.day_ends(due)
        key = "deadline@day"
    elif applied_bad:
        return UNKNOWN_DEADLINE["applied_at"], None
    elif applied is not None:
        timer = timedelta(hours=_timer_of(refund_type, ship_state, s))
        if applied.__class__ is datetime:
            left = (applied + timer - now).total_seconds() / 3600.0
            return _deadline_band(left, s), left
        lo, hi = vocab.day_ends(applied)
        lo, hi = lo + timer, hi + timer
        key = "applied_at@day"
    else:
        return UNKNOWN_DEADLINE["deadline" if applied_absent else "applied_at"], None
    lefts = (_hours(lo, now), _hours(hi, now))
    bands = {_deadline_band(left, s) for left in lefts}
    if len(bands) == 1:
        return bands.pop(), lefts[0]
    return Unknown(frozenset(bands), (key,)), lefts[0]


def deadline_range(case: Case, s: Settings, now: datetime) -> tuple[object, float | None]:
    bad = case.bad
    return _deadline(case.deadline, case.applied_at, "deadline" in bad, "applied_at" in bad,
                     "applied_at" in case.sheet.absent, case.refund_type, case.ship_state, s, now)


def deadline_status(case: Case, s: Settings, now: datetime) -> tuple[str, float | None]:
    """DEADLINE_STATUS (contract §4.3): (NONE/OK/WARN/OVERDUE, hours left).

    A closed case has no deadline (``NONE``, shown 已完结); so has a case whose sheet
    gives neither 超时时间 nor 申请时间.  A whole-day date that straddles two bands is
    ``NONE`` here (the cell says why, :func:`refund_xl._core.render.deadline_text`).
    """
    if case.case_state in CLOSED_STATES:
        return "NONE", None
    band, left = deadline_range(case, s, now)
    if band.__class__ is Unknown:
        return "NONE", None
    return band, left  # type: ignore[return-value]


def deadline_unknown(case: Case, s: Settings, now: datetime) -> tuple[str, ...]:
    """The causes of a deadline the sheet cannot tell (a closed case has none), else ()."""
    if case.case_state in CLOSED_STATES:
        return ()
    band, _left = deadline_range(case, s, now)
    return band.causes if band.__class__ is Unknown else ()


def said_amounts(value: object, typed: object) -> frozenset | None:
    """The amounts a money field (退款金额, 退货运费) may be in a row: its value; where two of its columns give two
    (a :class:`vocab.Both` of numbers: engine._rivals), each of them; None where nothing tells (blank, unreadable)."""
    if value is not None:
        return frozenset((value,))
    if isinstance(typed, vocab.Both) and typed.words and all(w.__class__ is float for w in typed.words):
        return typed.words
    return None


def value_tier(case: Case, s: Settings) -> str | None:
    amounts = said_amounts(case.amount, case.typed("amount"))
    tiers = {"HIGH" if a >= s.high_value else "LOW" for a in amounts or ()}
    return tiers.pop() if len(tiers) == 1 else None


# ------------------------------------------------------------------ atoms

# The state columns read as they are; a world fact's blank cell is unknown, a desk record's
# blank (or its default) is "nothing recorded".
_WORLD_WORDS = ("refund_type", "ship_state", "logistics")  # None here: unknown
_DESK_DEFAULTS = {key: FIELD_BY_KEY[key].default for key in ("case_state", "intercept", "goods_kind", "return_logistics",
                                                             "negotiation", "no_ship")}  # None: the default
_DESK_WORDS = ("customer_says", "courier_check", "cost_incurred", "inspection")  # None here: nothing recorded
_ID_KEYS = ("order_id", "case_id", "tracking_no", "return_tracking_no")
# The fields every case needs (row 0b), and the one a 仅退款 needs too (whether it shipped).
REQUIRED = ("order_id", "refund_type", "amount")
REQUIRED_WHEN = ("ship_state", "仅退款")
# A 物流状态 short of 已签收 (in transit, 异常, 丢件, 拒收, 退回): beside a courier's 已签收 the trace typed is
# behind (or wrong), so it is unknown; beside 快递核实 丢件 or 客户反馈 已收到, their word decides (rules 9, 12).
_SHORT_OF_SIGNED = PARCEL_LOGISTICS - {"已签收"}
_STALE_BESIDE = frozenset({"已签收"})  # a 快递核实 that makes a 物流状态 short of signed stale
_REASON_WORDS = frozenset(FIELD_BY_KEY["reason"].choices)

INSPECTED = frozenset({"合格", "不合格"})


# A time written down and what it says happened (the field it fills where that field's own cell is blank, and
# the word): the goods left, the parcel or the return was signed for, the case was refunded.
TIME_SAYS: dict[str, tuple[str, str]] = {"signed_at": ("logistics", "已签收"), "shipped_at": ("ship_state", "已发货"),
                                         "refunded_at": ("case_state", "已退款"),
                                         "return_signed_at": ("return_logistics", "已签收")}


# A field's words that a further word of it shows to be behind: where a column says at least the further word (a
# platform status 买家已经退货 says the return was sent; a 发货状态 of 已签收, the parcel signed for) beside another
# column saying a word behind it (a trace: 揽收失败), which holds the sheet does not say (engine._fallbacks).
BEHIND: dict[str, dict[Any, frozenset]] = {
    "ship_state": {"已发货": frozenset({"未发货"}), "线下已发货": frozenset({"未发货"})},
    "logistics": {"已签收": frozenset({"未揽收", "已揽收", "运输中", "派送中", "异常"})},
    "return_logistics": {"已揽收": frozenset({"未寄回"}), "运输中": frozenset({"未寄回", "已揽收"}),
                         "已签收": frozenset({"未寄回", "已揽收", "运输中"})},
    # the refund paid (JD 京东财务审核通过) beside a case typed open, closed or done
    "case_state": {"已退款": frozenset({"处理中", "已关闭", "已完结"})},
}


class _Contradiction(NamedTuple):
    """A desk word another column shows to be behind: ``key``'s words in ``short`` beside a value of ``other``
    that ``shows`` holds for are unknown, the word typed or one of ``instead``; ``rarer`` says which of the two
    is the rarer on a desk's sheet, so looked for first ("other" or "word")."""

    key: str
    other: str
    shows: Any
    short: frozenset
    instead: frozenset
    rarer: str
    # a reading of the word the other column agrees with (待揽收 beside a return waybill: made, not collected yet)
    spared: type | None = None

    def contradicts(self, word: object) -> bool:
        """Whether the other column, when it shows its fact, contradicts ``word`` (one of :attr:`short`)."""
        return word in self.short and (self.spared is None or word.__class__ is not self.spared)


# An inspection result says the return reached the warehouse (退货物流状态 未寄回/已揽收/运输中 is behind, or the
# result was typed in the wrong row); a return waybill says it was sent (未寄回 is behind); a trace saying
# delivered beside 拦截成功 (the shop signing for the parcel that came back, or the buyer signing: it failed).
_CONTRADICTED: tuple[_Contradiction, ...] = (
    _Contradiction("return_logistics", "inspection", INSPECTED.__contains__, frozenset({"未寄回", "已揽收", "运输中"}),
                   frozenset({"已签收"}), "other"),
    _Contradiction("return_logistics", "return_tracking_no", partial(is_not, None), frozenset({"未寄回"}),
                   frozenset({"已揽收", "运输中", "已签收"}), "other", vocab.Awaiting),
    # the return's signing time written down: it reached the shop (未寄回/已揽收/运输中 is behind)
    _Contradiction("return_logistics", "return_signed_at", partial(is_not, None), frozenset({"未寄回", "已揽收", "运输中"}),
                   frozenset({TIME_SAYS["return_signed_at"][1]}), "other"),
    _Contradiction("intercept", "logistics", partial(eq, "已签收"), frozenset({"拦截成功"}), frozenset({"拦截失败"}),
                   "word"),
    # (the courier found it signed for: as the trace saying so, beside a 物流状态 the courier's word makes stale)
    _Contradiction("intercept", "courier_check", partial(eq, "已签收"), frozenset({"拦截成功"}), frozenset({"拦截失败"}),
                   "word"),
    # a refund time written down beside a case still open, closed or done (the 售后状态 not updated, or done after the
    # refund): refunded, or as typed — for 钱货两空 the difference is the whole question
    _Contradiction("case_state", "refunded_at", partial(is_not, None), frozenset({"处理中", "已关闭", "已完结"}),
                   frozenset({TIME_SAYS["refunded_at"][1]}), "other"),
    # a signing time written down beside a parcel the 物流状态 still shows on its way (stale): signed, or as typed.
    # (Beside 拒收/退回/丢件 a signing time may be the shop's, signing for the parcel that came back: not read so.)
    _Contradiction("logistics", "signed_at", partial(is_not, None), frozenset({"未揽收", "已揽收", "运输中", "派送中", "异常"}),
                   frozenset({TIME_SAYS["signed_at"][1]}), "other"),
)
# (field, other column, word typed) → that word unknown: the word or what the other column says instead
_CONFLICT = {(c.key, c.other, word): unknown(c.key, f"{c.key}@{c.other}", values={word, *c.instead})
             for c in _CONTRADICTED for word in c.short}
# ... beside the other column unread (or a column that may be it saying its words): the word or what the other
# would say instead, as that column tells — asked, naming that column
_MAY_CONFLICT = {at: u._replace(causes=(at[1],)) for at, u in _CONFLICT.items()}
# a 物流状态 short of signed beside a 快递核实 unread: stale if the courier found it delivered (asked: the 快递核实)
_STALE_UNKNOWN = unknown("logistics", "courier_check")
_CONTRADICTED_BY: dict[str, tuple[_Contradiction, ...]] = {
    other: tuple(c for c in _CONTRADICTED if c.other == other) for other in {c.other for c in _CONTRADICTED}}
UNKNOWN: dict[str, Unknown] = {a: unknown(a) for a in ATOMS}
UNKNOWN["stall"] = unknown("stall", "last_update")
UNKNOWN["high"] = unknown("high", "amount")
UNKNOWN["trace"] = unknown("trace", "logistics")
# a blank 物流状态 beside a 签收时间 the product cannot read: no trace recorded, or signed for (asked: the 签收时间)
_SIGNED_UNREAD = unknown("trace", "signed_at", values={None, TIME_SAYS["signed_at"][1]})
# ... beside a 快递核实 unread: stale if the courier found it signed for (any word, or none)
_STALE_TRACE = unknown("trace", "courier_check")
UNKNOWN_DEADLINE = {k: unknown("deadline", k) for k in ("deadline", "applied_at")}
_DUE_UNKNOWN = unknown("intercept_due", "intercept_at")
_COST_UNKNOWN = {k: unknown("cost_gt", k) for k in ("return_cost", "amount")}
_SLOW_DEADLINE = object()  # a deadline the usual cell does not settle: worked out row by row


class Row(NamedTuple):
    """A row's atoms and the numbers its ``why`` may quote."""

    atoms: tuple
    stall_hours: float | None
    hours_left: float | None
    since: float | None


class Facts(NamedTuple):
    """The atoms of every row of a table and the numbers behind them, column by column."""

    atoms: list[tuple]
    stall_hours: list[float | None]
    hours_left: list[float | None]
    since: list[float | None]


def _either(key: str, typed: Sequence[object], keys: Sequence[str]) -> Unknown:
    """Field ``key`` unknown in a row: one of two words where two of its columns say each one (``typed``, aligned
    with ``keys``, quotes them as a :class:`vocab.Both`), else any word."""
    for k, t in zip(keys, typed):
        if k == key and isinstance(t, vocab.Both) and t.words and t.words <= set(DOMAINS[key]):
            return unknown(key, values=t.words)
    return UNKNOWN[key]


def _behind(key: str, either: Unknown, i: int, words: Mapping[str, Sequence[object]], get) -> Unknown:
    """Row ``i``'s field ``key`` as one of two words (``either``), widened where another column shows one of them
    behind, as :func:`atom_columns` widens a word typed alone: a 快递核实 of 已签收 beside a 物流状态 short of it
    (any word), a :data:`_CONTRADICTED` column beside a word it contradicts (that word or what the column says)."""
    said = either.values
    if key == "logistics" and words["courier_check"][i] in _STALE_BESIDE and not said.isdisjoint(_SHORT_OF_SIGNED):
        return UNKNOWN[key]
    more = frozenset().union(*(c.instead for c in _CONTRADICTED if c.key == key and not said.isdisjoint(c.short)
                               and c.shows((words[c.other] if c.other in words else get(c.other))[i])))
    return either if more <= said else either._replace(values=said | more)


def _trace(typed: Sequence[object], logistics: list[object], checks: Sequence[object],
           bad: Mapping[int, tuple[str, ...]]) -> list[object]:
    """The atom ``trace`` of every row: the 物流状态 as rows 7–13 read it for a parcel that left outside the
    platform (线下已发货; 未发货 with a parcel), before rule 1.  Where the 物流状态 says something (a word, two, a word
    another column shows behind, a cell unread) it is the atom ``logistics``; where the cell is blank it is ``None``,
    no trace recorded — the platform has no tracking for such a parcel, so the desk's blank is no fact of the world
    left unfilled but nothing looked up yet: rule 1 (intercept), unless the courier or the customer says otherwise
    (rules 9, 12).  Beside a 快递核实 of 已签收 a blank trace is unknown, as a trace short of it is (stale); beside a
    签收时间 unread it may be 已签收."""
    if None not in typed:  # (every row has a 物流状态: the one comprehension below is not needed)
        return logistics
    trace = [w if t is not None or c in _STALE_BESIDE else None for t, w, c in zip(typed, logistics, checks)]
    for i, keys in bad.items():
        if typed[i] is None:
            if "logistics" in keys:
                trace[i] = logistics[i]
            elif "signed_at" in keys and trace[i] is None:
                trace[i] = _SIGNED_UNREAD
            elif "courier_check" in keys and trace[i] is None and isinstance(check := checks[i], Unknown) \
                    and not _STALE_BESIDE.isdisjoint(check.values):  # (stale, if the courier found it so)
                trace[i] = _STALE_TRACE
    return trace


def _one_of(atom: str, values: set) -> object:
    """An atom one of ``values`` (what each amount a row's columns give makes it): that value where all agree, else
    unknown among them."""
    return next(iter(values)) if len(values) == 1 else unknown(atom, "amount", values=values)


def _cost_gt(amounts: frozenset | None, costs: frozenset | None, cost_said: bool) -> object:
    """The atom ``cost_gt`` (退货运费 > 退款金额) of a row whose amount or 退货运费 is unread or given two values by two
    columns (:func:`said_amounts`); ``cost_said``: a 退货运费 is written (none: no cost to compare)."""
    if not cost_said:
        return False
    if costs is None:
        return _COST_UNKNOWN["return_cost"]
    if amounts is None:
        return _COST_UNKNOWN["amount"]
    got = {c > a for c in costs for a in amounts}
    if len(got) == 1:
        return got.pop()
    return unknown("cost_gt", *(k for k, v in (("return_cost", costs), ("amount", amounts)) if len(v) > 1))


def atom_columns(get, n: int, bad: Mapping[int, tuple[str, ...]], sheets: Sequence[Sheet],
                 s: Settings, now: datetime, typed: Mapping[int, tuple] | None = None) -> Facts:
    """The atoms of every row of a table, computed a column at a time (contract §4).

    ``get(key)`` is the field's column of canonical values (defaults applied), ``bad`` the
    unreadable fields per row (``typed``: those cells as typed, aligned), ``sheets`` each row's :class:`Sheet`.  One list
    comprehension per column; the few rows that need more (a whole-day date, an unknown
    province, an unreadable cell) take the slow path.
    """
    # the rows a required field is blank in (as required_blank tells them), found at C speed: most have none
    required = ["ok"] * n
    for col in map(get, REQUIRED):
        if None in col:
            for i in compress(count(), map(is_, col, repeat(None))):
                required[i] = "missing"
    key, kind = REQUIRED_WHEN
    kinds, ships = get("refund_type"), get(key)
    if None in ships:
        for i in compress(count(), map(is_, ships, repeat(None))):
            if kinds[i] == kind:
                required[i] = "missing"
    words: dict[str, list[object]] = {}
    for key in _WORLD_WORDS:
        col = get(key)
        unk = UNKNOWN[key]
        words[key] = [unk if v is None else v for v in col] if None in col else list(col)
    for key, default in _DESK_DEFAULTS.items():
        col = get(key)
        words[key] = [default if v is None else v for v in col] if None in col else list(col)
    for key in _DESK_WORDS:
        words[key] = list(get(key))
    checks = words["courier_check"]
    if not _STALE_BESIDE.isdisjoint(checks):  # the courier found it delivered while the 物流状态 typed is short of that: stale
        shipping_words = words["logistics"]
        for i in compress(count(), map(_STALE_BESIDE.__contains__, checks)):
            if shipping_words[i] in _SHORT_OF_SIGNED:
                shipping_words[i] = UNKNOWN["logistics"]
    # what another column shows further on than the word typed (the goods inspected at the warehouse, a
    # return waybill, a trace that says delivered): that word is contradicted, so unknown; asked, naming
    # the column that disagrees (contract §2 "Three kinds of fact": decide only what the facts fix)
    for c in _CONTRADICTED:
        col = words[c.key]
        if c.short.isdisjoint(col):  # no word it could contradict (one pass at C speed)
            continue
        beside = words[c.other] if c.other in words else get(c.other)
        if c.rarer == "other" and beside.count(None) == n:  # (a column that holds nothing: 退款完成时间 never filled)
            continue
        rows = compress(count(), map(c.shows, beside) if c.rarer == "other" else map(c.short.__contains__, col))
        for i in rows:  # (the rarer side first; both checked)
            if c.contradicts(col[i]) and c.shows(beside[i]):
                col[i] = _CONFLICT[(c.key, c.other, col[i])]
    tracking = get("tracking_no")
    shipping, stopping = get("logistics"), get("intercept")
    parcel: list[object]
    sent = get("shipped_at")
    if any(map(is_not, sent, repeat(None))):  # a ship time written down: the goods left, as a number shows
        tracking = [True if t is None and w is not None else t for t, w in zip(tracking, sent)]
    if PARCEL_LOGISTICS.intersection(shipping) or PARCEL_INTERCEPT.intersection(stopping):
        # a parcel the 物流状态 or 拦截状态 shows though no number is typed
        shown, stopped = PARCEL_LOGISTICS, PARCEL_INTERCEPT
        parcel = [t is not None or lg in shown or ic in stopped for t, lg, ic in zip(tracking, shipping, stopping)]
    else:
        parcel = list(map(is_not, tracking, repeat(None)))
    one_sheet = all(map(is_, sheets, repeat(sheets[0]))) if sheets else True
    unk_reason = UNKNOWN["reason"]
    reason_col = get("reason")
    if one_sheet and (not sheets or "reason" not in sheets[0].absent):
        reason_word = {r: r if r is None or r in _REASON_WORDS else OTHER for r in set(reason_col)}
        reasons = list(map(reason_word.__getitem__, reason_col))
    else:
        reason_absent = [("reason" in sh.absent) for sh in sheets] if sheets else [False] * n
        reasons = [unk_reason if absent else (r if r is None or r in _REASON_WORDS else OTHER)
                   for r, absent in zip(reason_col, reason_absent)]
    amounts = get("amount")
    hv = s.high_value
    high = [UNKNOWN["high"] if a is None else a >= hv for a in amounts]
    unk_amount = _COST_UNKNOWN["amount"]
    return_costs = get("return_cost")
    cost_gt: list[object] = [False if rc is None else unk_amount if a is None else rc > a
                             for rc, a in zip(return_costs, amounts)] if any(map(is_not, return_costs, repeat(None))) \
        else [False] * n
    province = get("province")
    remote = s.remote_regions
    nudge, lost_h, remote_h = s.nudge_hours, s.lost_hours, s.remote_lost_hours
    # the usual cell first, in one comprehension: an exact time (a whole day: the slow path below)
    updates = get("last_update")
    stall_hours: list[float | None] = [
        (x / 3600.0 if (x := (now - w).total_seconds()) > 0.0 else 0.0) if w.__class__ is datetime else None
        for w in updates]
    unk_stall = UNKNOWN["stall"]  # no 物流更新时间; None: a row the slow path below works out
    # no province where a remote list is set: both thresholds, the band unknown between them (as _stall)
    lost_lo, lost_hi = min(lost_h, remote_h), max(lost_h, remote_h)
    unk_province = Unknown(frozenset({"NUDGE", "LOST"}), ("province",))
    known = _PROVINCE_NAMES | set(remote)  # a 收货省份 that places the parcel (as known_province)
    stall: list[object] = [(unk_stall if w is None else None) if h is None else "NORMAL" if h < nudge
                           else ("NUDGE" if h < (remote_h if p in remote else lost_h) else "LOST")
                           if p in known or not remote
                           else "NUDGE" if h < lost_lo else "LOST" if h >= lost_hi else unk_province
                           for h, p, w in zip(stall_hours, province, updates)]
    for i in list(compress(count(), map(is_, stall, repeat(None)))):
        stall[i], stall_hours[i] = _stall(updates[i], province[i], False, s, now)
    check = s.intercept_check_hours
    intercepts = get("intercept_at")
    # hours since the interception (an exact time; a whole day: the slow path below); a time a little after now
    # (a clock's skew, within vocab.EVENT_SKEW) is just now, 0 hours, as a stall's 物流更新时间 is
    since: list[float | None] = [(x / 3600.0 if (x := (now - w).total_seconds()) > 0.0 else 0.0)
                                 if w.__class__ is datetime else None for w in intercepts]
    # 拦截中 with no 拦截时间: check now (contract §4.2 rule 20)
    due: list[object] = [True if w is None else h >= check if h is not None else None for w, h in zip(intercepts, since)]
    for i in list(compress(count(), map(is_, due, repeat(None)))):
        lo, hi = vocab.day_ends(intercepts[i])
        h_lo, h_hi = _hours(now, lo), _hours(now, hi)
        since[i] = max(0.0, h_lo)
        a, b = h_hi >= check, h_lo >= check
        due[i] = a if a == b else Unknown(frozenset({False, True}), ("intercept_at@day",))
    warn = s.deadline_warn_hours
    dues, applied, kinds, ships = get("deadline"), get("applied_at"), get("refund_type"), get("ship_state")
    # when a case applied at that moment would be due now, by 售后类型 and 发货状态: a - start is
    # a + timer - now to the microsecond (datetime arithmetic is exact), one subtraction a row
    starts: dict[object, dict[object, datetime]] = {}
    for k, sh in set(zip(kinds, ships)):
        starts.setdefault(k, {})[sh] = now - timedelta(hours=_timer_of(k, sh, s))
    # hours (float), or _SLOW_DEADLINE until the slow rows are worked out (as _deadline does: the same float)
    left: list[Any] = [
        (d - now).total_seconds() / 3600.0 if d.__class__ is datetime
        else (a - starts[k][sh]).total_seconds() / 3600.0 if d is None and a.__class__ is datetime
        else _SLOW_DEADLINE
        for d, a, k, sh in zip(dues, applied, kinds, ships)]
    deadline: list[object] = [h if h is _SLOW_DEADLINE else "OVERDUE" if h <= 0 else "WARN" if h <= warn else "OK"
                              for h in left]
    for i in list(compress(count(), map(is_, left, repeat(_SLOW_DEADLINE)))):
        absent = "applied_at" in sheets[i].absent if sheets else False
        deadline[i], left[i] = _deadline(dues[i], applied[i], False, False, absent, kinds[i], ships[i], s, now)
    # unreadable cells: the slow path, a few rows
    for i, keys in bad.items():
        for key in keys:
            # a word another column would show behind, beside that column unread: it may be (the word, or unknown)
            for c in _CONTRADICTED_BY.get(key, ()):
                if c.contradicts(words[c.key][i]):
                    words[c.key][i] = _MAY_CONFLICT[(c.key, key, words[c.key][i])]
            if key == "courier_check" and words["logistics"][i] in _SHORT_OF_SIGNED:
                words["logistics"][i] = _STALE_UNKNOWN  # (the courier may have found it delivered: stale)
            if key in _ID_KEYS:
                required[i] = "missing"
                if key == "tracking_no":
                    parcel[i] = True
            elif key in words:
                either = _either(key, typed.get(i, ()), keys) if typed else UNKNOWN[key]
                # (one of two words, one of which another column may show behind)
                words[key][i] = either if either is UNKNOWN[key] else _behind(key, either, i, words, get)
                if key in ("logistics", "intercept") and parcel[i] is False:  # what it says may show a parcel
                    shows = PARCEL_LOGISTICS if key == "logistics" else PARCEL_INTERCEPT
                    if either.values <= shows:  # (two words typed that both show one: 已揽收 / 运输中, stale or not)
                        parcel[i] = True
                    elif not either.values.isdisjoint(shows):
                        parcel[i] = Unknown(frozenset({False, True}), (key,))
            elif key == "shipped_at":  # a ship time the product cannot read may show the goods left
                if parcel[i] is False:
                    parcel[i] = Unknown(frozenset({False, True}), (key,))
            elif key == "reason":
                reasons[i] = unk_reason
            elif key in ("amount", "return_cost"):
                # (two columns giving two amounts: what every one of them gives is known, 59 and 99 both low)
                said = dict(zip(keys, typed.get(i, ()))) if typed else {}
                money = said_amounts(amounts[i], said.get("amount"))
                high[i] = _one_of("high", {a >= hv for a in money}) if money is not None else UNKNOWN["high"]
                cost_gt[i] = _cost_gt(money, said_amounts(return_costs[i], said.get("return_cost")),
                                      "return_cost" in keys or return_costs[i] is not None)
                if key == "amount" and money is not None:  # (an amount said, no required field left blank by it)
                    required[i] = "missing" if any(k in _ID_KEYS for k in keys) or required_blank(
                        get("order_id")[i], kinds[i], money, ships[i]) else "ok"
            elif key == "last_update":
                stall[i], stall_hours[i] = UNKNOWN["stall"], None
            elif key == "intercept_at":
                due[i], since[i] = _DUE_UNKNOWN, None
            elif key == "deadline":
                deadline[i], left[i] = UNKNOWN_DEADLINE["deadline"], None
            elif key == "applied_at" and get("deadline")[i] is None:
                deadline[i], left[i] = UNKNOWN_DEADLINE["applied_at"], None
    w = words
    trace = _trace(get("logistics"), w["logistics"], w["courier_check"], bad)
    cols: list[Sequence[object]] = [required, w["case_state"], w["refund_type"], w["ship_state"], parcel, w["logistics"],
            trace, w["intercept"],
            w["customer_says"], w["courier_check"], w["goods_kind"], w["cost_incurred"], w["return_logistics"],
            w["negotiation"], w["inspection"], w["no_ship"], reasons, high, stall, due, deadline, cost_gt]
    return Facts(list(zip(*cols)), stall_hours, left, since)


def atoms_of(case: Case, s: Settings, now: datetime) -> Row:
    """The atoms of one row (:data:`ATOMS` order) and the numbers behind them."""
    bad = {0: case.bad} if case.bad else {}
    facts = atom_columns(lambda key: (getattr(case, key),), 1, bad, (case.sheet,), s, now, {0: case.bad_values})
    return Row(facts.atoms[0], facts.stall_hours[0], facts.hours_left[0], facts.since[0])


# ------------------------------------------------------------------ the table

Words = tuple[tuple[str, str], ...]  # a why: (中文, English) templates with {named} row values


@dataclass(frozen=True)
class Rule:
    """One row of the SOP table: when every condition holds, ``code``."""

    number: str
    when: tuple[tuple[str, frozenset], ...]
    code: str
    why: Words = ()
    # the conditions by atom index, made by __post_init__
    cond: tuple[tuple[int, frozenset], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cond", tuple((_AT[a], v) for a, v in self.when))

    def reads(self) -> tuple[str, ...]:
        """The atoms this row reads, in order."""
        return tuple(dict.fromkeys(a for a, _v in self.when))


def _w(*words: str | tuple[str, str]) -> Words:
    return tuple((w, w) if isinstance(w, str) else w for w in words)


def R(number: str, code: str, why: Words, **when: object) -> Rule:
    conds = []
    for atom, allowed in when.items():
        if isinstance(allowed, (set, frozenset, tuple, list)):
            values = frozenset(allowed)
        else:
            values = frozenset({allowed})
        assert atom in _AT, atom
        assert values <= set(DOMAINS[atom]), (atom, values)
        conds.append((atom, values))
    return Rule(number, tuple(conds), code, why)


def NOT(atom: str, *values: object) -> frozenset:
    return frozenset(DOMAINS[atom]) - set(values)


_ONLY = {"refund_type": "仅退款"}
_RET = {"refund_type": "退货退款"}
_SHIPPED = {**_ONLY, "ship_state": "已发货"}
_MOVING = {**_SHIPPED, "logistics": IN_TRANSIT}
_SIGNED = {**_SHIPPED, "logistics": "已签收"}
_OFFLINE = {**_ONLY, "ship_state": "线下已发货"}
_UNSYNCED = {**_ONLY, "ship_state": "未发货", "parcel": True}
_UNSHIPPED = {**_ONLY, "ship_state": "未发货"}
_NEGOTIABLE = {**_RET, "reason": {"小瑕疵", "少发漏发"}, "negotiation": NOT("negotiation", "坚持退款", "拒绝换货"),
               "return_logistics": "未寄回"}

_HIGH = (("{amount} ≥ 高客单阈值 {high_value}", "{amount} ≥ high-value threshold {high_value}"),)
_LOW = (("{amount} < 高客单阈值 {high_value}", "{amount} < high-value threshold {high_value}"),)
_LG = (("{logistics}", "{logistics}"),)
_SHIP = (("已发货", "shipped"),)
_OFF = (("线下已发货", "shipped offline"),)
_UNS = (("未发货但{parcel_evidence}", "not shipped but {parcel_evidence}"),)
_TR = (("{trace}", "{trace}"),)

# 二、已发货仅退款: the parcel at an end (signed for, refused, returned, lost), or the courier or the customer saying
# where it is (rules 7–13; 9 and 12 also before 7–8).  Declared once: the same rows decide a parcel that left outside
# the platform (:func:`_left_offline`).
_ENDED: tuple[Rule, ...] = (
    # the parcel not yet signed for (in transit, 异常, lost, refused, on its way back) but the courier found it
    # lost or the customer says the goods arrived: the trace is behind or wrong; what they say decides, as it
    # does once the trace shows 已签收 (rules 9, 12): never refunded now, intercepted or claimed on the trace
    # (快递核实 已签收 beside such a trace: the 物流状态 is stale, atom_columns makes it unknown)
    R("9", "REFUND_OR_RESHIP_CLAIM", _SHIP + _LG + _w(("快递核实丢件", "courier: lost")), **_SHIPPED,
      logistics=_SHORT_OF_SIGNED, courier_check="丢件"),
    R("12", "GUIDE_TO_RETURN", _SHIP + _LG + _w(("客户已收到", "customer received it")), **_SHIPPED,
      logistics=_SHORT_OF_SIGNED, customer_says="已收到"),
    R("7", "REFUND_OR_RESHIP_CLAIM", _SHIP + _w(("物流丢件", "lost in transit")), **_SHIPPED, logistics="丢件"),
    R("8", "APPROVE_REFUND", _SHIP + _w(("物流{logistics}", "logistics {logistics}")), **_SHIPPED, logistics={"拒收", "退回"}),
    # 物流显示已签收: 实际已签收 / 实际未签收
    R("9", "REFUND_OR_RESHIP_CLAIM", _w(("已签收", "signed for"), ("快递核实丢件", "courier: lost")), **_SIGNED,
      courier_check="丢件"),
    R("10", "REJECT_WITH_PROOF", _w(("已签收", "signed for"), ("快递核实已签收", "courier: delivered")), **_SIGNED,
      courier_check="已签收"),
    R("10", "REJECT_WITH_PROOF", _w(("已签收", "signed for"), ("客户不撤销", "customer will not withdraw")), **_SIGNED,
      customer_says="不撤销"),
    R("11", "VERIFY_WITH_COURIER", _w(("已签收", "signed for"), ("客户称未收到", "customer says not received")), **_SIGNED,
      customer_says="未收到"),
    R("12", "GUIDE_TO_RETURN", _w(("已签收", "signed for"), ("客户已收到", "customer received it")), **_SIGNED,
      customer_says="已收到"),
    R("13", "CONFIRM_RECEIPT", _w(("已签收", "signed for"), ("客户与快递均无反馈", "no word from customer or courier")),
      **_SIGNED),
)


def _left_offline(rule: Rule) -> tuple[Rule, Rule]:
    """Row ``rule`` of :data:`_ENDED` for a parcel that left outside the platform (线下已发货; 未发货 with a parcel).

    The article's advice for 线下已发货平台未同步 (rule 1: register, intercept, ask the customer to refuse if that
    fails) is for a parcel still on its way; one the sheet shows signed for, refused, returned or lost — or found lost
    by the courier, or received by the customer — is handled as any shipped parcel in that state (where the contract
    reads rule 1 for it, the product differs: docs/contract/README.md).  The same row, reading the atom ``trace`` for
    ``logistics`` (a blank 物流状态 there is no trace recorded: short of 已签收 for rules 9 and 12, else rule 1)."""
    when = {a: v for a, v in rule.when if a not in ("refund_type", "ship_state")}
    ended = when.pop("logistics")
    trace = ended | {None} if ended == _SHORT_OF_SIGNED else ended
    why = tuple(_TR[0] if w == _LG[0] else w for w in rule.why if w != _SHIP[0])
    return (R(rule.number, rule.code, _OFF + why, **_OFFLINE, trace=trace, **when),
            R(rule.number, rule.code, _UNS + why, **_UNSYNCED, trace=trace, **when))


ACTION_RULES: tuple[Rule, ...] = (
    R("0a", "DONE", _w(("售后状态{case_state}", "case state {case_state}")), case_state=CLOSED_STATES),
    R("0b", "NEEDS_INFO", (), required="missing"),
    R("0c", "MANUAL_REVIEW", _w(("售后类型{refund_type}", "type {refund_type}")), refund_type=MANUAL_TYPES),
    # 一、未发货仅退款 / 线下已发货平台未同步: a parcel that left outside the platform and already reached an end is
    # decided as a shipped one (rules 7–13), else register, intercept; if it fails ask the customer to refuse
    *chain.from_iterable(map(_left_offline, _ENDED)),
    R("1", "APPROVE_REFUND", _OFF + _w(("拦截成功", "intercepted")), **_OFFLINE, intercept="拦截成功"),
    R("1", "APPROVE_REFUND", _UNS + _w(("拦截成功", "intercepted")), **_UNSYNCED, intercept="拦截成功"),
    R("1", "ASK_REFUSE_DELIVERY", _OFF + _w(("拦截失败", "interception failed")), **_OFFLINE, intercept="拦截失败"),
    R("1", "ASK_REFUSE_DELIVERY", _UNS + _w(("拦截失败", "interception failed")), **_UNSYNCED, intercept="拦截失败"),
    R("1", "INTERCEPT_OFFLINE", _OFF + _w(("{intercept}", "{intercept}")), **_OFFLINE),
    R("1", "INTERCEPT_OFFLINE", _UNS + _w(("{intercept}", "{intercept}")), **_UNSYNCED),
    R("2", "APPROVE_REFUND", _w(("未发货", "not shipped"), ("标品", "standard goods")), **_UNSHIPPED, goods_kind="标品"),
    R("3", "APPROVE_REFUND", _w(("未发货", "not shipped"), ("{goods_kind}", "{goods_kind}"), ("未产生成本", "no cost incurred")),
      **_UNSHIPPED, goods_kind={"定制", "代购"}, cost_incurred="否"),
    R("4", "NEGOTIATE_COST", _w(("未发货", "not shipped"), ("{goods_kind}", "{goods_kind}"), ("已产生成本", "cost incurred")),
      **_UNSHIPPED, goods_kind={"定制", "代购"}, cost_incurred="是"),
    R("5", "ASK_REASON", _w(("未发货", "not shipped"), ("{goods_kind}", "{goods_kind}"), ("成本未知", "cost unknown")),
      **_UNSHIPPED, goods_kind={"定制", "代购"}, cost_incurred=None),
    # 二、已发货仅退款
    R("6", "CHECK_WAREHOUSE", _SHIP + _w(("物流未揽收", "not picked up")), **_SHIPPED, logistics="未揽收"),
    *_ENDED,
    # 物流在途 / 物流异常: 真停滞 first (≥ lost threshold: lost), then 假停滞 (nudge)
    R("14", "REFUND_OR_RESHIP_CLAIM",
      _SHIP + _LG + _w(("{remote}{stall_hours}小时未更新 ≥ 丢件阈值 {lost}", "{remote}{stall_hours} h without an update ≥ lost threshold {lost}")),
      **_SHIPPED, logistics=STALL_WATCHED, stall="LOST"),
    R("15", "NUDGE_COURIER", _SHIP + _w(("物流异常", "logistics abnormal"), ("{stall_hours}小时未更新", "{stall_hours} h without an update")),
      **_SHIPPED, logistics="异常", stall={"NORMAL", "NUDGE"}),
    # 物流在途: 低客单 intercept + refund now; 高客单 intercept, flag, check next day
    R("16", "APPROVE_REFUND", _SHIP + _LG + _w(("拦截成功", "intercepted")), **_MOVING, intercept="拦截成功"),
    R("17", "ASK_REFUSE_DELIVERY", _SHIP + _LG + _w(("拦截失败", "interception failed")), **_MOVING, intercept="拦截失败"),
    R("18", "INTERCEPT_REFUND_NOW", _SHIP + _LG + _LOW, **_MOVING, high=False),
    R("19", "INTERCEPT_AND_WATCH", _SHIP + _LG + _HIGH + _w(("未拦截", "not intercepted")), **_MOVING, high=True, intercept="未拦截"),
    R("20", "CHECK_INTERCEPT_RESULT",
      _SHIP + _LG + _HIGH + _w(("拦截中", "intercepting"), ("{since_text}", "{since_text}")),
      **_MOVING, high=True, intercept="拦截中", intercept_due=True),
    R("20", "CHECK_INTERCEPT_RESULT",
      _SHIP + _LG + _HIGH + _w(("拦截中", "intercepting"), ("{deadline_left}", "{deadline_left}")),
      **_MOVING, high=True, intercept="拦截中", deadline={"WARN", "OVERDUE"}),
    R("21", "WAIT_INTERCEPT",
      _SHIP + _LG + _HIGH + _w(("拦截{since}小时 < {check_hours}", "intercepting for {since} h < {check_hours}")),
      **_MOVING, high=True, intercept="拦截中"),
    # 三、退货退款 — 方案四 first: returning costs more than it saves
    R("22", "REFUND_WITHOUT_RETURN", _w(("退货运费{return_cost} > 退款金额{amount}", "return shipping {return_cost} > refund {amount}")),
      **_RET, return_logistics="未寄回", cost_gt=True),
    R("22", "REFUND_WITHOUT_RETURN", _w(("退货原因腐烂变质", "reason: rotten")), **_RET, return_logistics="未寄回",
      reason="腐烂变质"),
    R("22", "REFUND_WITHOUT_RETURN", _w(("禁运，无法寄回", "cannot be shipped back")), **_RET, return_logistics="未寄回",
      no_ship="是"),
    R("23", "ISSUE_COMPENSATION", _w(("客户同意补偿", "customer accepted compensation")), **_RET, negotiation="同意补偿"),
    R("24", "ARRANGE_EXCHANGE", _w(("客户同意换货", "customer accepted an exchange")), **_RET, negotiation="同意换货"),
    # 可以协商的退款: a small flaw or missing items, the customer not set on a refund
    R("25", "RESHIP_MISSING", _w(("少发漏发", "missing items"), ("未寄回", "not sent back")),
      **{**_NEGOTIABLE, "reason": "少发漏发"}),
    R("26", "OFFER_COMPENSATION", _w(("{reason}", "{reason}"), ("未协商", "not negotiated")),
      **{**_NEGOTIABLE, "negotiation": "未协商"}),
    R("27", "OFFER_EXCHANGE", _w(("{reason}", "{reason}"), ("拒绝补偿", "refused compensation")),
      **{**_NEGOTIABLE, "negotiation": "拒绝补偿"}),
    R("28", "RETURN_REFUND_PAID_SHIPPING", _w(("客户拒绝换货", "customer refused an exchange"), ("未寄回", "not sent back")),
      **_RET, negotiation="拒绝换货", return_logistics="未寄回"),
    R("29", "WAIT_RETURN", _w(("退货未寄回", "return not sent"), ("{reason_text}", "{reason_text}")), **_RET,
      return_logistics="未寄回"),
    R("30", "DISPUTE_INSPECTION", _w(("退货{return_logistics}", "return {return_logistics}"), ("验货不合格", "inspection failed")),
      **_RET, inspection="不合格"),
    R("31", "REFUND_ON_PICKUP", _w(("退货{return_logistics}", "return {return_logistics}")) + _LOW, **_RET,
      return_logistics=_RETURN_MOVING, high=False),
    R("32", "INSPECT_THEN_REFUND", _w(("退货{return_logistics}", "return {return_logistics}")) + _HIGH + _w(("未验货", "not inspected")),
      **_RET, return_logistics={"已揽收", "运输中", "已签收"}, high=True, inspection=None),
    R("33", "APPROVE_REFUND", _w(("退货{return_logistics}", "return {return_logistics}")) + _LOW, **_RET,
      return_logistics="已签收", high=False),
    R("33", "APPROVE_REFUND", _w(("退货{return_logistics}", "return {return_logistics}"), ("验货合格", "inspection passed")),
      **_RET, inspection="合格"),
)

# 钱货两空 (contract §4.3): refunded while the goods are not back in the shop's hands.
# Cautious: RISK unless every value the unknown facts could take gives OK.
_RWR = tuple(r for r in ACTION_RULES if r.number == "22")
RISK_RULES: tuple[Rule, ...] = (
    R("r1", "OK", _w(("未退款", "not refunded")), case_state=NOT("case_state", "已退款")),
    R("r2", "OK", _w(("未发货且无物流单号", "not shipped, no parcel")), **_UNSHIPPED, parcel=False),
    # (the parcel stopped or coming back, unless the customer says the goods arrived: then they are not)
    R("r3", "OK", _w(("拦截成功", "intercepted")), **_ONLY, intercept="拦截成功",
      customer_says=NOT("customer_says", "已收到")),
    R("r4", "OK", _w(("物流{logistics}", "logistics {logistics}")), **_ONLY, logistics={"拒收", "退回"},
      customer_says=NOT("customer_says", "已收到")),
    R("r5", "RISK", _w(("已退款，包裹已发出且未拦回", "refunded; the parcel left and was not stopped")), **_ONLY),
    R("r6", "OK", _w(("退货已签收", "return received")), **_RET, return_logistics="已签收"),
    *(Rule("r7", r.when, "OK", r.why) for r in _RWR),
    R("r8", "RISK", _w(("已退款，退货未签收", "refunded; the return not received")), **_RET),
    R("r9", "OK", _w(("{refund_type}", "{refund_type}")), refund_type=MANUAL_TYPES),
)


# ------------------------------------------------------------------ deciding


class Verdict(NamedTuple):
    """What the table gives for one atom tuple: the code, the row that fired, the
    columns that would decide (NEEDS_INFO) and the unknown columns that did not matter."""

    code: str
    rule: Rule | None
    needs: tuple[str, ...] = ()
    moot: tuple[str, ...] = ()
    options: tuple[str, ...] = ()  # NEEDS_INFO: the actions the completions give


_MISSING = object()


def _walk(rules: Sequence[Rule], atoms: tuple, subst: dict, start: int, leaves: list, branched: list,
          reads: dict) -> None:
    """The first rule from ``start`` that holds on ``atoms`` (as completed by ``subst``), into
    ``leaves``; an unknown atom a rule cannot do without is completed with each of its values.
    Every atom read from ``atoms`` is noted in ``reads`` (in the order first read)."""
    for i in range(start, len(rules)):
        rule = rules[i]
        pending = -1
        for k, allowed in rule.cond:
            v = subst.get(k, _MISSING)
            if v is _MISSING:
                v = atoms[k]
                if k not in reads:
                    reads[k] = None
            if v.__class__ is Unknown:
                if v.values <= allowed:
                    continue
                if not (v.values & allowed):
                    break
                if pending < 0:
                    pending = k
            elif v not in allowed:
                break
        else:
            if pending < 0:
                leaves.append(rule)
                return
            u = subst.get(pending, atoms[pending])
            for cause in u.causes:
                if cause not in branched:
                    branched.append(cause)
            for value in sorted(u.values, key=_order):
                _walk(rules, atoms, {**subst, pending: value}, i, leaves, branched, reads)
            return
    leaves.append(None)


def _order(value: object) -> tuple:
    return (str(type(value)), str(value))


_REQUIRED_AT = _AT["required"]


def _action_verdict(atoms: tuple, subst: dict, reads: dict) -> Verdict:
    leaves: list = []
    branched: list = []
    _walk(ACTION_RULES, atoms, subst, 0, leaves, branched, reads)
    codes = {r.code if r is not None else "NEEDS_INFO" for r in leaves}
    if len(codes) == 1 and leaves[0] is not None and leaves[0].number == "0b":
        # a required field is missing: also name what else this row would need, so that one
        # round of fixing the sheet is enough
        rest = _action_verdict(atoms, {**subst, _REQUIRED_AT: "ok"}, reads)
        more = rest.needs if rest.code == "NEEDS_INFO" else ()
        return Verdict("NEEDS_INFO", leaves[0], tuple(k for k in more if k != "required"), (), rest.options)
    if len(codes) == 1 and None not in leaves:
        return Verdict(leaves[0].code, leaves[0], (), tuple(branched))
    if any(r is not None and r.number == "0b" for r in leaves):
        branched.append("required")  # one completion already asks for a required field
    options = tuple(dict.fromkeys(r.code for r in leaves if r is not None and r.code != "NEEDS_INFO"))
    return Verdict("NEEDS_INFO", None, tuple(branched), (), options)


def _risk_verdict(atoms: tuple, subst: dict, reads: dict) -> Verdict:
    leaves: list = []
    branched: list = []
    _walk(RISK_RULES, atoms, subst, 0, leaves, branched, reads)
    risky = [r for r in leaves if r is None or r.code == "RISK"]
    if risky:
        rule = next((r for r in risky if r is not None), None)
        return Verdict("RISK", rule, tuple(branched) if len(risky) < len(leaves) else ())
    return Verdict("OK", leaves[0], (), tuple(branched))


class _Node:
    __slots__ = ("at", "kids", "verdict")

    def __init__(self) -> None:
        self.at = -1
        self.kids: dict = {}
        self.verdict: Verdict | None = None


class _Tree:
    """The table's decisions, grown lazily into a decision tree over the atoms it reads.

    A row is decided by following the atoms the walk of the table reads, in the order it
    reads them; a path not taken before is walked once and added.  Rows that agree on the
    atoms their decision reads share it, whatever the other atoms say (contract §4.2:
    decide once per combination of the facts that matter).
    """

    def __init__(self, compute) -> None:
        self.compute = compute
        self.root = _Node()
        self.size = 0

    def __call__(self, atoms: tuple) -> Verdict:
        node = self.root
        while True:
            verdict = node.verdict
            if verdict is not None:
                return verdict
            at = node.at
            if at < 0:
                break
            kid = node.kids.get(atoms[at])
            if kid is None:
                break
            node = kid
        reads: dict = {}
        verdict = self.compute(atoms, {}, reads)
        if self.size > 500_000:
            self.root, self.size = _Node(), 0
        node = self.root
        for at in reads:
            node.at = at  # the same index on every path through here: the walk is deterministic
            kid = node.kids.get(atoms[at])
            if kid is None:
                kid = node.kids[atoms[at]] = _Node()
                self.size += 1
            node = kid
        node.verdict = verdict
        return verdict


decide = _Tree(_action_verdict)
decide.__doc__ = """REFUND_ACTION for one atom tuple (contract §4.2): the first rule that holds wins; an
unknown before it is completed with every value it could take."""
risk_of = _Tree(_risk_verdict)
risk_of.__doc__ = """LOSS_RISK for one atom tuple: RISK unless every completion of the unknowns gives OK."""


# ------------------------------------------------------------------ a row's decision


class Decision(NamedTuple):
    """What REFUND_ACTION decided for one row: the code, the rule that fired, and for
    NEEDS_INFO the columns that decide (``missing``, as shown).  The ``why`` (the facts the
    rule used, with this row's numbers) is worded only when asked for.  A tuple (one a row)."""

    code: str
    rule: str
    verdict: "Verdict"
    case: Case
    s: Settings
    row: tuple  # a Row, or (atoms, stall hours, hours left, since)
    missing: tuple[str, ...] = ()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Decision({self.code!r}, {self.rule!r})"

    @property
    def facts(self) -> tuple[str, ...]:
        return self.words(False)

    def words(self, english: bool = False) -> tuple[str, ...]:
        """The facts of this row's ``why``, in order."""
        verdict, case = self.verdict, self.case
        i = lang(english)
        if verdict.code == "NEEDS_INFO":
            keys = _needs_keys(verdict, case)
            text = _MISSING_WHY[i] + pick(LIST_SEP, english).join(names(case, keys, english))
            if verdict.options:
                text += _OPTIONS[i].format(" / ".join(label(c, english) for c in verdict.options))
            return (text,)
        row = self.row if self.row.__class__ is Row else Row(*self.row)
        assert verdict.rule is not None  # every verdict but NEEDS_INFO names its rule
        facts = rule_facts(verdict.rule, case, self.s, row, english)
        if verdict.moot:
            facts = facts + (_moot_words(verdict, case, english),)
        return facts

    def names(self, english: bool = False) -> tuple[str, ...]:
        """The columns a NEEDS_INFO asks for, as shown, in either language."""
        if self.code != "NEEDS_INFO":
            return ()
        return self.missing if not english else names(self.case, _needs_keys(self.verdict, self.case), True)

    def why(self, english: bool = False) -> str:
        verdict = self.verdict
        key = (verdict, english)
        static = _STATIC_WHY.get(key)
        if static is not None:
            return static
        if verdict.code == "NEEDS_INFO":
            head = pick((f"规则{self.rule}：", f"Rule {self.rule}: "), english)
            return head + pick(("·", "; "), english).join(self.words(english))
        fmt = why_format(verdict, self.case, english)
        if not fmt.names:
            text = fmt.pieces[0]
            if not verdict.moot:  # the same for every row: worded once
                if len(_STATIC_WHY) > 10_000:
                    _STATIC_WHY.clear()
                _STATIC_WHY[key] = text
            return text
        row = self.row if self.row.__class__ is Row else Row(*self.row)
        return weave(fmt.pieces, value_texts(fmt.names, self.case, self.s, row, english))


_STATIC_WHY: dict[tuple, str] = {}


def _g_or_blank(value: object) -> str:
    if value is None:
        return ""
    return _g(float(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def amount_text(value: object, typed: object = None) -> str:
    """An amount as a why names it: to the fen (199.99, never 200); two amounts two columns give, both (59/599)."""
    amounts = said_amounts(value, typed)
    return "/".join(map(vocab.money_text, sorted(amounts))) if amounts else ""


def _is_remote(province: object, s: Settings) -> bool:
    return province is not None and province in s.remote_regions


def _remote(province: object, s: Settings, en: bool) -> str:
    if not _is_remote(province, s):
        return ""
    return pick((f"偏远地区{province}·", f"remote {province}·"), en)


def _since_text(since: float | None, s: Settings, en: bool) -> str:
    if since is None:
        return pick(("无拦截时间", "no interception time"), en)
    return (f"intercepting for {_g(since)} h ≥ {_g(s.intercept_check_hours)}" if en
            else f"拦截已{_g(since)}小时 ≥ {_g(s.intercept_check_hours)}")


def _reason_text(reason: object, en: bool) -> str:
    if reason:
        return pick((f"原因{reason}", f"reason {reason}"), en)
    return pick(("无原因", "no reason"), en)


# The values a ``why`` template may name: name → (what it reads, how it is worded from those
# inputs).  A read is a Case field, ``row.<number>`` (a number of the row's facts, :class:`Row`)
# or ``atom.<atom>``.  The row path reads them from one row (:func:`value_texts`), the table
# path from whole columns (:mod:`refund_xl._core.table_render`), so both word them alike.
_VALUES: dict[str, tuple[tuple[str, ...], Any]] = {
    "amount": (("amount", "typed.amount"), lambda s, en, v, t: amount_text(v, t)),
    "high_value": ((), lambda s, en: amount_text(s.high_value)),
    "return_cost": (("return_cost", "typed.return_cost"), lambda s, en, v, t: amount_text(v, t)),
    "stall_hours": (("row.stall_hours",), lambda s, en, v: _g_or_blank(v)),
    "lost": (("province",), lambda s, en, p: _g_or_blank(s.remote_lost_hours if _is_remote(p, s) else s.lost_hours)),
    "remote": (("province",), lambda s, en, p: _remote(p, s, en)),
    "since": (("row.since",), lambda s, en, v: _g_or_blank(v)),
    "since_text": (("row.since",), lambda s, en, v: _since_text(v, s, en)),
    "check_hours": ((), lambda s, en: _g_or_blank(s.intercept_check_hours)),
    "deadline_left": (("row.hours_left", "atom.deadline"), lambda s, en, left, band: deadline_left(left, band, en)),
    "tracking_no": (("tracking_no",), lambda s, en, v: v or ""),
    "parcel_evidence": (("tracking_no", "logistics", "intercept", "shipped_at"),
                        lambda s, en, t, lg, ic, w: _parcel_evidence(t, lg, ic, w, en)),
    "intercept": (("atom.intercept",), lambda s, en, v: _word_or_words("intercept", v) or pick(("未拦截", "not intercepted"), en)),
    # (two columns saying two words: the words it may be, 派送中/运输中)
    "logistics": (("logistics", "atom.logistics"), lambda s, en, v, a: _word_or_words("logistics", a) or v or ""),
    # (a parcel that left outside the platform: its 物流状态 as the rows read it, a blank one named so)
    "trace": (("logistics", "atom.trace"), lambda s, en, v, a: _trace_text(v, a, en)),
    # (a word that says one of several, 已完成: the words it may be, 已退款/已完结)
    "case_state": (("case_state", "atom.case_state"), lambda s, en, v, a: v or _word_or_words("case_state", a)),
    "refund_type": (("refund_type",), lambda s, en, v: v or ""),
    "goods_kind": (("goods_kind",), lambda s, en, v: v or ""),
    "reason": (("reason",), lambda s, en, v: v or ""),
    "return_logistics": (("atom.return_logistics",), lambda s, en, v: _word_or_words("return_logistics", v)),
    "reason_text": (("reason",), lambda s, en, v: _reason_text(v, en)),
}


# The hours a whole day spans (vocab.day_ends: its 00:00 to its 23:59:59): a deadline on that day, from its start.
_DAY_HOURS = _hours(*reversed(vocab.day_ends(vocab.WholeDay(2000, 1, 1))))
_DATE_ONLY = {"deadline@day": ("超时时间只写了日期", "the deadline is a date only"),
              "applied_at@day": ("申请时间只写了日期", "the application time is a date only")}


def deadline_left(left: float | None, band: object, english: bool = False) -> str:
    """The hours to the deadline as a why says them: 距超时5小时（即将超时）.  A whole day that straddles two bands
    (超时时间「2月28日」 at noon on the 28th) gives both ends and both bands, 距超时-12～12小时（超时时间只写了日期：
    已超时或即将超时）, never the start alone with nothing in the brackets."""
    if isinstance(band, str):
        return (f"{_g_or_blank(left)} h to the deadline ({label(band, english, DEADLINES)})" if english
                else f"距超时{_g_or_blank(left)}小时（{label(band, english, DEADLINES)}）")
    values = band.values if isinstance(band, Unknown) else frozenset()
    bands = pick(("或", " or "), english).join(label(code, english, DEADLINES) for code in ("OVERDUE", "WARN", "OK")
                                               if code in values)
    day = next((k for k in getattr(band, "causes", ()) if k in _DATE_ONLY), None)
    if day is None or left is None:
        return pick((f"距超时不确定（{bands}）", f"deadline unclear ({bands})"), english)
    lo, hi = _g(left), _g(left + _DAY_HOURS)
    why = pick(_DATE_ONLY[day], english)
    return (f"{lo} to {hi} h to the deadline ({why}: {bands})" if english
            else f"距超时{lo}～{hi}小时（{why}：{bands}）")


def _word_or_words(atom: str, v: object) -> str:
    """A state atom as a why names it: its word; when another column contradicts it (:data:`_CONTRADICTED`),
    the words it may be (运输中/已签收); when nothing tells (an unreadable cell), nothing."""
    if isinstance(v, Unknown):
        values = v.values
        return "" if len(values) == len(DOMAINS[atom]) else "/".join(x for x in DOMAINS[atom] if x in values)
    return v or ""  # type: ignore[return-value]


_NO_TRACE = ("物流状态空", "no logistics status")


def _trace_text(typed: object, trace: object, english: bool) -> str:
    """The atom ``trace`` as a why names it: its word; a blank 物流状态 as such; the words it may be (派送中/运输中,
    or 物流状态空 among them); nothing where nothing tells (an unreadable cell)."""
    if trace is None:
        return pick(_NO_TRACE, english)
    if isinstance(trace, Unknown):
        values = trace.values
        words = [x for x in DOMAINS["logistics"] if x in values]
        if len(words) == len(DOMAINS["logistics"]):
            return typed or ""  # type: ignore[return-value]
        return "/".join([*words, *([pick(_NO_TRACE, english)] if None in values else [])])
    return trace  # type: ignore[return-value]


def _parcel_evidence(tracking: object, logistics: object, intercept: object, shipped: object, english: bool) -> str:
    """What shows a parcel (the atom ``parcel``): the tracking number, else the 物流状态, else the 拦截状态, else
    the ship time written down."""
    if tracking:
        return pick((f"有物流单号{tracking}", f"has tracking no. {tracking}"), english)
    if logistics in PARCEL_LOGISTICS:
        return pick((f"物流状态{logistics}", f"logistics {logistics}"), english)
    if intercept in PARCEL_INTERCEPT:
        return pick((f"拦截状态{intercept}", f"intercept {intercept}"), english)
    if shipped is not None:
        return pick(("填了发货时间", "a ship time is written"), english)
    return ""


_FIELD_NAME = re.compile(r"{(\w+)}")
_PARTS: dict[tuple[int, int], tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = {}


def weave(pieces: Sequence[str], values: Iterable[str]) -> str:
    """Literal pieces with a value between each two: ``pieces[0] + values[0] + pieces[1] + …``."""
    return "".join(chain.from_iterable(zip(pieces, values))) + pieces[-1]


def _pieces(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A why template (``{amount} ≥ 高客单阈值 {high_value}``) as its literal pieces and the names between them."""
    split = _FIELD_NAME.split(text)  # literal, name, literal, name, …, literal
    return tuple(split[0::2]), tuple(split[1::2])


def _parts(rule: Rule, i: int) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """A rule's why words in one language: each as literal pieces and the names between them."""
    key = (id(rule), i)
    got = _PARTS.get(key)
    if got is None:
        got = _PARTS[key] = tuple(_pieces(word[i]) for word in rule.why)
    return got


def value_reads(name: str) -> tuple[str, ...]:
    """What the why value ``name`` reads (Case fields, ``row.<number>``, ``atom.<atom>``, ``typed.<field>``: the
    field's cell as quoted when unread, :meth:`Case.typed`)."""
    return _VALUES[name][0]


def value_text(name: str, s: Settings, english: bool, *inputs: object) -> str:
    """The why value ``name`` worded from its inputs (in the order of :func:`value_reads`)."""
    return _VALUES[name][1](s, english, *inputs)


def _read(case: Case, row: Row, source: str) -> object:
    if source.startswith("row."):
        return getattr(row, source[4:])
    if source.startswith("atom."):
        return row.atoms[_AT[source[5:]]]
    if source.startswith("typed."):
        return case.typed(source[6:])
    return getattr(case, source)


def value_texts(names_: Iterable[str], case: Case, s: Settings, row: Row, english: bool = False) -> list[str]:
    """The why values ``names_`` of one row, worded."""
    out = []
    for name in names_:
        reads, word = _VALUES[name]
        out.append(word(s, english, *[_read(case, row, r) for r in reads]))
    return out


def rule_facts(rule: Rule, case: Case, s: Settings, row: Row, english: bool = False) -> tuple[str, ...]:
    """The words of a rule's ``why`` for one row."""
    return tuple(weave(pieces, value_texts(names_, case, s, row, english)) for pieces, names_ in _parts(rule, lang(english)))


class WhyFormat(NamedTuple):
    """A decided row's 判定依据 as literal pieces with the row's values between them (:func:`weave`),
    and the names of those values (none: the text is the same for every row with this verdict)."""

    pieces: tuple[str, ...]
    names: tuple[str, ...]


def why_format(verdict: Verdict, case: Case, english: bool = False) -> WhyFormat:
    """判定依据 of a verdict other than NEEDS_INFO, before the row's values: the rule, its words,
    and the unknown columns that did not matter (named as :func:`names` names them for ``case``)."""
    rule = verdict.rule
    assert rule is not None and verdict.code != "NEEDS_INFO"
    sep = pick(("·", "; "), english)
    pieces = [pick((f"规则{rule.number}：", f"Rule {rule.number}: "), english)]
    names_: list[str] = []
    for n, (word, between) in enumerate(_parts(rule, lang(english))):
        pieces[-1] += (sep if n else "") + word[0]
        pieces += word[1:]
        names_ += between
    if verdict.moot:
        pieces[-1] += _moot_words(verdict, case, english)
    return WhyFormat(tuple(pieces), tuple(names_))


def _moot_words(verdict: Verdict, case: Case, english: bool) -> str:
    moot = names(case, (k for k in verdict.moot if not k.endswith("@day")), english) or names(
        case, verdict.moot, english)
    return _MOOT[lang(english)].format(pick(LIST_SEP, english).join(moot))


_MISSING_WHY = ("缺少或无法识别：", "missing or unreadable: ")
_MOOT = ("（{}不确定，但不影响结论）", " ({} unknown, but it does not change the action)")
_OPTIONS = ("（可能是：{}）", " (could be: {})")


_FIELD_ORDER = {key: i for i, key in enumerate(FIELD_BY_KEY)}


def required_blank(order_id: object, refund_type: object, amount: object, ship_state: object) -> tuple[str, ...]:
    """The required fields a row has no value for (blank or unreadable), in the sheet's field order
    (:data:`REQUIRED`, and :data:`REQUIRED_WHEN` for a 仅退款: its 发货状态)."""
    out = tuple(k for k, v in zip(REQUIRED, (order_id, refund_type, amount)) if v is None)
    key, kind = REQUIRED_WHEN
    return (*out, key) if refund_type == kind and ship_state is None else out


def required_missing(case: Case) -> list[str]:
    """The required fields a row lacks or cannot read, and the ids Excel destroyed (row 0b)."""
    bad = case.bad
    amount = said_amounts(case.amount, case.typed("amount"))  # (two amounts two columns give: one is the row's)
    out = [*required_blank(case.order_id, case.refund_type, amount, case.ship_state),
           *(k for k in _ID_KEYS[1:] if k in bad)]
    return sorted(out, key=lambda k: _FIELD_ORDER.get(k, 99))


def _needs_keys(verdict: Verdict, case: Case) -> list[str]:
    """The columns a NEEDS_INFO names, in the order of the sheet's fields."""
    required = required_missing(case)
    if verdict.rule is not None:  # row 0b: a required field missing or unreadable, an id Excel destroyed
        return required + sorted(dict.fromkeys(verdict.needs), key=lambda k: _FIELD_ORDER.get(k.split("@")[0], 99))
    keys = [k for k in verdict.needs if k != "required"] + (required if "required" in verdict.needs else [])
    return sorted(dict.fromkeys(keys), key=lambda k: _FIELD_ORDER.get(k.split("@")[0], 99))


def refund_action(case: Case, s: Settings, now: datetime) -> Decision:
    """REFUND_ACTION of one row (contract §4.2)."""
    return evaluated(case, atoms_of(case, s, now), s).decision


def loss_risk(case: Case, s: Settings, now: datetime) -> str:
    """LOSS_RISK of one row (contract §4.3): ``RISK`` or ``OK``."""
    return risk_of(atoms_of(case, s, now).atoms).code


class Outcome(NamedTuple):
    """Everything §4 gives for one combination of facts (the numbers of a row aside)."""

    verdict: Verdict
    stall: str
    stall_needs: tuple[str, ...]
    deadline: str
    deadline_needs: tuple[str, ...]
    tier: str
    risk: str
    risk_needs: tuple[str, ...]
    closed: bool  # the case is closed (its 超时状态 reads 已完结)


_STALL_AT = _AT["stall"]
_DEADLINE_AT = _AT["deadline"]
_LOGISTICS_AT = _AT["logistics"]
_KIND_AT = _AT["refund_type"]
_SHIP_AT = _AT["ship_state"]
_CASE_STATE_AT = _AT["case_state"]
_HIGH_AT = _AT["high"]
_OUTCOMES: dict[tuple, Outcome] = {}
_INTERNED: dict[Outcome, Outcome] = {}


def outcome_of(atoms: tuple) -> Outcome:
    """The results of contract §4 that depend only on a row's facts, once per distinct facts."""
    got = _OUTCOMES.get(atoms)
    if got is not None:
        return got
    verdict = decide(atoms)
    closed = atoms[_CASE_STATE_AT] in CLOSED_STATES
    stall, stall_needs = stall_of(atoms[_LOGISTICS_AT], atoms[_KIND_AT], atoms[_SHIP_AT], atoms[_STALL_AT], closed)
    deadline, deadline_needs = "NONE", tuple[str, ...]()
    if atoms[_CASE_STATE_AT] not in CLOSED_STATES:
        band = atoms[_DEADLINE_AT]
        deadline, deadline_needs = ("NONE", band.causes) if band.__class__ is Unknown else (band, ())
    high = atoms[_HIGH_AT]
    tier = "HIGH" if high is True else "LOW" if high is False else ""
    risk = risk_of(atoms)
    got = Outcome(verdict, stall, stall_needs, deadline, deadline_needs, tier, risk.code, risk.needs, closed)
    if len(_OUTCOMES) > 200_000:
        _OUTCOMES.clear()
        _INTERNED.clear()
    # one object per distinct outcome: rows that differ only in facts no result reads share it
    got = _OUTCOMES[atoms] = _INTERNED.setdefault(got, got)
    return got


class Evaluated(NamedTuple):
    """One row's results (the fields of :class:`refund_xl._core.engine.RowResult` after ``case``)."""

    decision: Decision
    stall_code: str
    stall_hours: float | None
    deadline_code: str
    hours_left: float | None
    value_tier: str
    loss_risk: str
    error: str
    blank: bool
    risk_needs: tuple[str, ...]
    stall_needs: tuple[str, ...] = ()
    deadline_needs: tuple[str, ...] = ()


def evaluated(case: Case, row, s: Settings, outcome: Outcome | None = None) -> Evaluated:
    """Every per-row result of contract §4 for one row, from its facts (``row``: a Row, or
    (atoms, stall hours, hours left, since))."""
    o = outcome or outcome_of(row[0])
    verdict = o.verdict
    if verdict.code == "NEEDS_INFO":
        decision = Decision("NEEDS_INFO", "0b", verdict, case, s, row, names(case, _needs_keys(verdict, case)))
    else:
        # a verdict other than NEEDS_INFO names its rule (decide); no check on this per-row path
        decision = Decision(verdict.code, verdict.rule.number, verdict, case, s, row)  # type: ignore[union-attr]
    return tuple.__new__(Evaluated, (decision, o.stall, row[1] if o.stall != "NOT_IN_TRANSIT" else None, o.deadline,
                                     row[2] if not o.deadline_needs and o.deadline != "NONE" else None, o.tier,
                                     o.risk, "", False, o.risk_needs, o.stall_needs, o.deadline_needs))


def evaluate(case: Case, s: Settings, now: datetime) -> Evaluated:
    """Every per-row result of contract §4 for one row."""
    return evaluated(case, atoms_of(case, s, now), s)
