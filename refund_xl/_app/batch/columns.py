"""What goes in each output sheet: the sheets' names, the batch's parts, each sheet's columns
(key, 中文, English, whose) and the words the product writes in them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from refund_xl._core.lang import pick
from refund_xl._core import report, vocab
from refund_xl._core.settings import LEGACY, SETTINGS, Settings


REGISTER = "拦截登记"
COURIER_LIST = "快递拦截清单"
REPLIES = "回复话术"
OVERVIEW = "今日概览"
LOG = "运行日志"
READING = report.SHEET  # 读取报告: how the tracking sheet was read (contract §2.2)
CLAIMS = "理赔登记"
AUDIT = "钱货两空核查"
OUTPUT_SHEETS = (REGISTER, COURIER_LIST, REPLIES, CLAIMS, AUDIT, OVERVIEW, LOG, READING)
# what an earlier run left there is merged; the others are snapshots
MERGED_SHEETS = (REGISTER, REPLIES, CLAIMS, AUDIT, LOG)

# Which sheets each ribbon button writes (the log and the reading report by all of them).
PARTS = {
    "register": (REGISTER, COURIER_LIST, LOG, READING),
    "replies": (REPLIES, LOG, READING),
    "daily": OUTPUT_SHEETS,
}
RUN_NAMES = {"register": ("生成拦截登记", "Interception register"),
             "replies": ("生成回复话术", "Reply scripts"),
             "daily": ("每日批处理", "Daily batch")}

# 处理方式 and 旗帜 per interception action (the article: 低客单登记后直接退款,
# 高客单拦截标旗关注超时, 线下已发货登记拦截、失败请客户拒收).
METHODS = {
    "INTERCEPT_REFUND_NOW": ("登记后直接退款", "Register, refund now"),
    "INTERCEPT_AND_WATCH": ("标旗观察，次日核实后处理", "Flag and watch, check next day"),
    "INTERCEPT_OFFLINE": ("登记拦截，失败请客户拒收", "Register; if it fails ask to refuse delivery"),
}
FLAGS = {
    "INTERCEPT_AND_WATCH": ("红旗", "Red"),
    "INTERCEPT_OFFLINE": ("黄旗", "Yellow"),
    "INTERCEPT_REFUND_NOW": ("蓝旗", "Blue"),
}
# What the courier is told (no customer data: contract §9).
COURIER_REASON = ("客户已申请退款，请拦截退回寄件人", "Refund requested: please return to sender")
NO_CARRIER = ("（未填快递公司）", "(no carrier)")

# Words in 是否已发送 that mean "not sent" (anything else non-empty means sent).
NOT_SENT = {"", "否", "未发送", "未发", "no", "n", "false", "0", "×"}
# Words in the register's 拦截状态 meaning the courier has not been asked yet.
NOT_ASKED = {"", "未拦截", "待拦截", "未发起"}


@dataclass(frozen=True)
class Col:
    id: str
    zh: str
    en: str
    kind: str  # key | product (filled once) | live (refreshed every run) | staff | track (written by track)

    def name(self, english: bool) -> str:
        return pick((self.zh, self.en), english)


def fold_header(value: object) -> str:
    """A header cell as matched: width-folded, lower-case (None → "")."""
    return vocab.fold(str(value)).lower() if value is not None else ""


def find_cols(header: Sequence[object], cols: Sequence[Col]) -> dict[str, int]:
    """Where each of ``cols`` is in a header row staff may have rearranged: column id → the first
    cell holding its Chinese or English name.  The one header match of the output sheets."""
    names = {c.id: {fold_header(c.zh), fold_header(c.en)} for c in cols}
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        f = fold_header(h)
        for c in cols:
            if c.id not in index and f in names[c.id]:
                index[c.id] = i
    return index


def _cols(*specs: tuple[str, str, str, str]) -> tuple[Col, ...]:
    return tuple(Col(*s) for s in specs)


REGISTER_COLS = _cols(
    ("registered", "登记时间", "Registered at", "product"),
    ("order", "订单号", "Order ID", "key"),
    ("case", "售后单号", "Case ID", "key"),
    ("carrier", "快递公司", "Carrier", "product"),
    ("tracking", "物流单号", "Tracking no.", "product"),
    ("amount", "退款金额", "Amount", "product"),
    ("tier", "客单级别", "Value tier", "product"),
    ("method", "处理方式", "Handling", "product"),
    ("flag", "旗帜", "Flag", "product"),
    ("deadline", "超时时间", "Deadline", "product"),
    ("check_at", "核实时间", "Check at", "product"),
    ("intercept", "拦截状态", "Interception", "staff"),
    # written by `track` (contract §6 "Closing the loop"): what the parcel's trace says of the
    # interception; the batch never writes it and keeps it across runs like a staff cell
    ("proposal", "建议拦截状态", "Suggested interception", "track"),
    ("note", "跟进备注", "Follow-up note", "staff"),
    ("action", "当前动作", "Current action", "live"),
    ("state", "登记状态", "Register state", "live"),
    # what the run made of the row's 拦截状态: a tracking cell updated from it, a disagreement
    # with the tracking sheet's own cell, a word it cannot read (contract §6)
    ("check", "拦截状态核对", "Interception check", "live"),
    # the word a run copied into the tracking sheet's empty 拦截状态: a cell that still holds it was
    # written by the product, not typed by staff, so the register's newer word updates it
    ("copied", "已回填售后表", "Copied to tracking sheet", "product"),
)

REPLY_COLS = _cols(
    ("order", "订单号", "Order ID", "key"),
    ("case", "售后单号", "Case ID", "key"),
    # (without a 售后单号 the 物流单号 tells the parcels of a split shipment apart: two cases, two replies)
    ("tracking", "物流单号", "Tracking no.", "product"),
    ("code", "动作代码", "Action code", "product"),
    ("action", "处理动作", "Action", "product"),
    ("before", "发送前先做", "Do before sending", "live"),
    ("text", "回复话术", "Reply", "product"),
    ("missing", "缺少字段", "Missing fields", "product"),
    ("sent", "是否已发送", "Sent?", "staff"),
    ("state", "状态", "State", "live"),
    ("updated", "话术更新时间", "Reply updated at", "product"),
    ("sent_before", "变更前发送标记", "Sent mark before change", "product"),
)

# 理赔登记 (contract §6 "Closing the loop"): kept across runs like 拦截登记.
CLAIM_COLS = _cols(
    ("registered", "登记时间", "Registered at", "product"),
    ("order", "订单号", "Order ID", "key"),
    ("case", "售后单号", "Case ID", "key"),
    ("carrier", "快递公司", "Carrier", "product"),
    ("tracking", "物流单号", "Tracking no.", "product"),
    ("amount", "退款金额", "Amount", "product"),
    ("reason", "理赔原因", "Claim reason", "live"),
    ("stalled", "停滞小时", "Hours without movement", "live"),
    ("last_move", "最后物流时间", "Last movement", "live"),
    ("deadline", "理赔截止", "Claim deadline", "live"),
    ("claim_state", "理赔状态", "Claim status", "staff"),
    ("claim_amount", "理赔金额", "Claim amount", "staff"),
    ("note", "跟进备注", "Follow-up note", "staff"),
    ("action", "当前动作", "Current action", "live"),
    ("state", "登记状态", "Register state", "live"),
)

# 钱货两空核查: the LOSS_RISK cases of the tracking sheet and of the archives.
AUDIT_COLS = _cols(
    ("found", "发现时间", "Found at", "product"),
    ("order", "订单号", "Order ID", "key"),
    ("case", "售后单号", "Case ID", "key"),
    ("where", "所在", "Where", "live"),
    ("type", "售后类型", "Refund type", "product"),
    ("amount", "退款金额", "Amount", "product"),
    ("applied", "申请时间", "Applied at", "product"),
    ("days", "已申请天数", "Days since applied", "live"),
    ("why", "风险原因", "Why at risk", "live"),
    ("clear", "如何解除", "What clears it", "live"),
    ("carrier", "快递公司", "Carrier", "product"),
    ("tracking", "物流单号", "Tracking no.", "product"),
    ("return_no", "退货物流单号", "Return tracking no.", "product"),
    ("note", "跟进备注", "Follow-up note", "staff"),
)

COURIER_COLS = _cols(
    ("carrier", "快递公司", "Carrier", "product"),
    ("tracking", "物流单号", "Tracking no.", "product"),
    ("order", "订单号", "Order ID", "product"),
    ("reason", "拦截原因", "Reason", "product"),
)

LOG_COLS = _cols(
    ("run_at", "运行时间", "Run at", "product"),
    ("now", "基准时间", "Reference time", "product"),
    ("cases", "售后单数", "Cases", "product"),
    ("registered", "新增登记数", "Newly registered", "product"),
    ("replies", "话术数", "Replies", "product"),
    ("overdue", "逾期数", "Overdue", "product"),
    ("risk", "风险数", "Loss risks", "product"),
    ("settings", "设置", "Settings", "product"),
    ("what", "运行内容", "Run", "product"),
    ("warn", "即将超时数", "Due soon", "product"),
    ("claims", "理赔数", "Claims", "product"),
    ("needs_info", "信息不足数", "Missing info", "product"),
    ("reading", "读取情况", "Reading", "product"),
    ("result", "导入结果", "Import result", "product"),   # written by `import` (and its ribbon button)
    ("detail", "说明", "Details", "product"),  # added only when a line has one (archive, a cleared case)
)

# Register 登记状态 / reply 状态 values.
STATES = {
    "open": ("跟进中", "Open"),
    "done": ("已完结", "Closed"),
    "gone": ("售后表中已无此单", "Not in the tracking sheet"),
    # a row without a 物流单号 (an older run's) of an order now sent in several parcels: which one is it?
    "unsure": ("此订单有多个包裹，对不上是哪一个：请在本行填写物流单号", "The order has several parcels: fill in this row's tracking no."),
    # a row whose 物流单号 its case no longer has (corrected, or reshipped) while the case has one other
    # parcel: never applied to that parcel, which gets its own row ({}: its number)
    "moved_intercept": ("物流单号已变更为 {}，请核对拦截状态", "Tracking no. changed to {}: check the interception status"),
    "moved": ("物流单号已变更为 {}，请核对", "Tracking no. changed to {}: please check"),
    "to_send": ("待发送", "To send"),
    "sent": ("已发送", "Sent"),
    "resend": ("动作已变更，请发送新话术", "Action changed: send the new reply"),
    "no_reply": ("暂无需回复", "No reply needed now"),
}


def settings_text(s: Settings, english: bool = False) -> str:
    """The settings used, one line for the run log, by their labels as the 设置 sheet shows them:
    ``高客单金额阈值(元)=200；催件阈值(小时)=24；…`` (English labels when the language is English)."""
    named = {x.key: x for x in (*SETTINGS, *LEGACY)}
    shown = [f"{pick((named[k].label, named[k].english), english)}={v}" for k, v in s.as_rows(english)]
    return pick(("；", "; "), english).join(shown)
