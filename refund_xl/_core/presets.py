"""Platform presets: the marketplaces' own exports read without a mapping table.

A desk's day starts from the platforms' exports (Taobao/Tmall 千牛 退款管理,
Pinduoduo 售后列表, 抖店 售后单, JD 售后服务单, 微信小店, ERP exports).  Each is
recognised from its header row and says, for the product:

* ``headers`` — its header → field key; ``None`` marks a column of the export
  that must *not* be read as a field through a built-in alias (PDD's 订单金额 is
  the order total, not the refund);
* ``values`` — words of one column that mean a canonical word of its field only
  in that column (是否需要退货 「是」 → 退货退款);
* ``ship_record`` — the column in which the platform records the outbound
  parcel: filled means 已发货, empty 未发货 (the platform's own record, read
  only when no 发货状态 word is given);
* ``ship_info`` / ``return_info`` — columns holding ``<快递公司> <单号>：<轨迹>``.

Facts come from ``platforms.md`` (the platforms' export headers and status
words).  Words that mean the same in every export (退款关闭, 同意退款，退款成功 …)
live with the fields' vocabulary in :mod:`refund_xl._core.fields`, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from refund_xl._core import vocab

__all__ = ["Preset", "PRESETS", "detect", "split_waybill"]


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    signature: tuple[str, ...]
    headers: Mapping[str, str | None]
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # header → {word → {other field: canonical}}: what a word of this export also states
    implies: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)
    ship_record: str | None = None
    ship_info: str | None = None
    return_info: str | None = None
    min_hits: int = 3
    attested: bool = True  # False: header row not found in public sources (see platforms.md)

    def folded_headers(self) -> dict[str, str | None]:
        return {_key(h): k for h, k in self.headers.items()}

    def folded_values(self) -> dict[str, dict[str, str]]:
        return {_key(h): {vocab.fold(w): v for w, v in words.items()} for h, words in self.values.items()}

    def folded_implies(self) -> dict[str, dict[str, dict[str, str]]]:
        return {_key(h): {vocab.fold(w): dict(v) for w, v in words.items()} for h, words in self.implies.items()}


def _key(header: str) -> str:
    """A header as matched, as :mod:`refund_xl._core.fields` matches one (:func:`vocab.header_key`)."""
    return vocab.header_key(header)


TAOBAO = Preset(
    key="taobao", name="淘宝/天猫 千牛退款管理",
    signature=("退款编号", "支付宝交易号", "买家退款金额", "是否需要退货", "退款状态", "货物状态",
               "发货物流信息", "退款的申请时间", "买家实际支付金额"),
    headers={
        "订单编号": "order_id", "退款编号": "case_id", "退款的申请时间": "applied_at",
        "买家退款金额": "amount", "买家实际支付金额": None, "是否需要退货": "refund_type",
        "退款状态": "case_state", "货物状态": "customer_says", "退货物流单号": "return_tracking_no",
        "买家退款原因": "reason", "宝贝标题": "goods_name", "超时时间": "deadline",
        "发货物流信息": None, "退货物流信息": None, "退货物流公司": "return_carrier",
        "卖家退货地址": None,  # the shop's own address, not the buyer's province
        "买家退款说明": None, "退款原因标签": None, "商家备注": None,
    },
    values={
        "是否需要退货": {"是": "退货退款", "否": "仅退款"},
        "货物状态": {"买家未收到货": "未收到", "买家已收到货": "已收到", "买家已退货": "已收到"},
    },
    ship_record="发货物流信息", ship_info="发货物流信息", return_info="退货物流信息",
)

PDD = Preset(
    key="pdd", name="拼多多 售后列表",
    signature=("售后编号", "订单编号", "商品规格", "店铺名称", "申请退款金额", "订单金额",
               "发货快递公司", "发货快递单号", "退货快递单号", "售后描述"),
    headers={
        "售后编号": "case_id", "订单编号": "order_id", "申请退款金额": "amount", "订单金额": None,
        "发货快递公司": "carrier", "发货快递单号": "tracking_no", "退货快递单号": "return_tracking_no",
        "退货快递公司": "return_carrier", "售后原因": "reason", "售后描述": None, "商品名称": "goods_name",
        "订单状态": "ship_state", "申请时间": "applied_at", "超时时间": "deadline",
    },
    values={"订单状态": {"已签收": "已发货"}},
    ship_record="发货快递单号",
)

DOUDIAN = Preset(
    key="doudian", name="抖店 售后单",
    signature=("商品单号", "退商品金额（元）", "应付金额（元）", "售后申请时间", "自动处理截止时间",
               "商品发货状态", "发货物流单号", "是否极速退款", "退运费金额（元）", "是否拒签后退款"),
    headers={
        "售后单号": "case_id", "订单号": "order_id", "商品单号": None, "商品名称": "goods_name",
        "应付金额（元）": None, "退商品金额（元）": "amount", "商品发货状态": "ship_state",
        "售后申请时间": "applied_at", "售后原因": "reason", "退货物流单号": "return_tracking_no",
        "退货物流公司": "return_carrier", "自动处理截止时间": "deadline", "发货物流单号": "tracking_no",
        "发货物流状态": "logistics", "退货物流状态": "return_logistics", "用户售后说明": None,
        "商家退货联系人姓名": None, "商家退货联系人电话": None, "商家退货地址": None,
    },
    # (是否拒签后退款「是」: the buyer refused the parcel — the refund waits for it to come back)
    implies={"是否拒签后退款": {"是": {"logistics": "拒收"}}},
    ship_record="发货物流单号",
)

JD = Preset(
    key="jd", name="京东 售后服务单",
    signature=("服务单号", "申请单号", "客户期望", "服务单状态", "审核结果", "处理结果", "取件地址", "取件方式"),
    headers={
        "服务单号": "case_id", "申请单号": None, "订单号": "order_id", "申请时间": "applied_at",
        "客户期望": "refund_type", "服务单状态": "case_state", "实付金额": "amount",
        "问题描述": "reason", "客户姓名": None, "取件地址": "province", "商品名称": "goods_name",
        "审核结果": None, "处理结果": None,
    },
    # platforms.md: 完成 after a refund means refunded
    values={"客户期望": {"退货": "退货退款", "补发商品": "补寄", "售前退款": "仅退款"},
            "服务单状态": {"完成": "已退款"}},
    # JD names the refund before shipping 售前退款: its other refunds and returns are of shipped orders
    implies={"客户期望": {"售前退款": {"ship_state": "未发货"}, "仅退款": {"ship_state": "已发货"},
                      "退货": {"ship_state": "已发货"}},
             # JD's finance approved the refund: the money went back, whatever 服务单状态 says of the case
             # (待收货: refunded before the return came back).  Its other words (未审核, 审核通过 …) say no more.
             "退款审核状态": {"京东财务审核通过": {"case_state": "已退款"}}},
)

# Header rows below were not found in public sources (platforms.md lists only
# status words): the few headers the product needs, as the back offices name them.
WECHAT = Preset(
    key="wechat", name="微信小店 售后单",
    signature=("售后单状态",), min_hits=1, attested=False,
    headers={"售后单状态": "case_state", "售后单号": "case_id", "订单号": "order_id"},
)

WDT = Preset(
    key="wdt", name="旺店通 退换单",
    signature=("退换单号", "原始单号", "处理状态", "退换类型", "建单时间", "退回物流单号"), min_hits=2,
    attested=False,
    headers={"退换单号": "case_id", "原始单号": "order_id", "处理状态": "case_state",
             "退换类型": "refund_type", "类型": "refund_type", "退款金额": "amount", "建单时间": "applied_at",
             "退回物流单号": "return_tracking_no", "退回物流公司": "return_carrier"},
    values={"处理状态": {"已完成": "已退款"}},  # an ERP refund order completes when the money is paid
)

PRESETS: tuple[Preset, ...] = (TAOBAO, PDD, DOUDIAN, JD, WECHAT, WDT)
_SIGNATURES = tuple((p, frozenset(_key(h) for h in p.signature)) for p in PRESETS)


def detect(headers: Iterable[object]) -> Preset | None:
    """The preset whose signature headers the row holds most of (at least ``min_hits``)."""
    names = {_key(str(h)) for h in headers if h is not None and str(h).strip()}
    best, best_hits = None, 0
    for preset, sig in _SIGNATURES:
        hits = len(sig & names)
        if hits >= preset.min_hits and hits > best_hits:
            best, best_hits = preset, hits
    return best


# 中通快递 75234220267368：已签收，签收人：门卫 / 圆通速递 YT123:运输中 / 顺丰 SF123; the number as Excel left it once
# it took it for one (中通快递 7.52342E+13：运输中): split alike — the number unreadable (vocab.is_lossy_id), never the
# carrier or the trace
_WAYBILL = re.compile(r"^\s*([^\s:：\d]+?)\s*([A-Za-z]{0,4}\d[\dA-Za-z-]{5,}|\d+(?:\.\d+)?[eE][+-]?\d{1,3})"
                      r"\s*(?:[:：]\s*(.*))?$", re.S)


def split_waybill(value: object) -> tuple[str | None, str | None, str | None]:
    """``<快递公司> <单号>：<轨迹>`` → (carrier, number, trace); ``None`` for what is not there.

    Text that is not of that form is all trace (the words are read by the
    logistics vocabulary, which says when it cannot).
    """
    text = vocab.parse_text(value)
    if not text or text is vocab.BAD:
        return None, None, None
    match = _WAYBILL.match(text)
    if not match:
        return None, None, text
    carrier, number, trace = match.groups()
    return carrier, number, (trace or "").strip() or None
