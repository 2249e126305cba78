"""Build the platform-export corpus of this folder (run: python tests/data/exports/make_exports.py).

For each platform of ``/work/shared/platforms.md`` (Taobao/Tmall 千牛 退款管理, PDD 售后列表,
抖店 售后单, JD 售后服务单, 微信小店 售后单, 旺店通 ERP 退换单) this writes

* ``<p>_export.*``   — a raw export as the platform's back office gives it (its headers,
  its status words, its id and amount quirks);
* ``<p>_desk.xlsx``  — the same export plus the columns a desk adds by hand (物流状态,
  物流更新时间, 拦截状态, 客户反馈, 跟进备注) in the words staff type;
* ``<p>_twin.csv`` / ``<p>_desk_twin.csv`` — every case of those two files typed in the
  contract's canonical words (contract §2), with the expected decision written down by hand
  from the SOP (contract §4.2): ``expect_action``, ``expect_loss_risk`` and
  ``expect_needs_info`` (the field the file truly lacks, see README.md);

plus ``desk_lead.xlsx`` (a desk lead's own sheet, her own headers) and its twin.

Deterministic: no clock, no unseeded randomness (ids come from a hash of fixed text),
CSV bytes are identical run to run; openpyxl stamps a creation time into .xlsx, so
their bytes differ but their cells do not.  Every expectation is at
``now = 2025-06-10 12:00`` (China time) with the default settings (contract §3).
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
NOW = datetime(2025, 6, 10, 12, 0)

# The columns a desk adds by hand to an export (issue 9 "done when").
DESK_HEADERS = ["物流状态", "物流更新时间", "拦截状态", "客户反馈", "跟进备注"]

# Canonical twin columns (contract §2 headers) and the expectation columns.
TWIN_HEADERS = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号",
                "物流状态", "物流更新时间", "收货省份", "客户反馈", "拦截状态", "退货物流单号", "退货物流状态",
                "退货原因", "售后状态", "超时时间"]
EXPECT_HEADERS = ["expect_action", "expect_loss_risk", "expect_needs_info"]

# Staff words that carry a negation (platforms.md "Words staff type by hand", plus the
# desk lead's own): each must be read as its negative or as unreadable, never as the
# positive.  word → (canonical field header, canonical negative, canonical positive).
NEGATED = {
    "拦截不成功": ("拦截状态", "拦截失败", "拦截成功"),
    "未拦截成功": ("拦截状态", "拦截失败", "拦截成功"),
    "拦截未成功": ("拦截状态", "拦截失败", "拦截成功"),
    "没揽收": ("物流状态", "未揽收", "已揽收"),
    "还未揽收": ("物流状态", "未揽收", "已揽收"),
    "没收到": ("客户反馈", "未收到", "已收到"),
    "没有收到": ("客户反馈", "未收到", "已收到"),
    "没寄回": ("退货物流状态", "未寄回", "运输中"),
    "还没寄": ("退货物流状态", "未寄回", "运输中"),
}


def digits(seed: str, n: int, first: str = "") -> str:
    """n digits derived from ``seed`` (stable across runs and Python versions)."""
    out = first
    counter = 0
    while len(out) < n:
        out += str(int(hashlib.sha256(f"{seed}/{counter}".encode()).hexdigest(), 16))
        counter += 1
    return out[:n]


def ts(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S")


def ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


# ----------------------------------------------------------------------------- scenarios
#
# One scenario = one SOP situation, in canonical words (the truth of the case).  Each
# platform renders the scenarios its export can express in its own words.  The expected
# decisions below are worked out by hand from contract §4.2 / §4.3 (default settings:
# high_value 200, nudge 24 h, lost 48 h, remote 72 h, intercept_check 24 h).

@dataclass
class Scen:
    key: str
    rtype: str                # 仅退款 / 退货退款 / 换货
    ship: str | None          # 未发货 / 已发货
    amount: float
    logi: str | None          # the outbound parcel's state (truth)
    ret: str | None           # return parcel: None (未寄回) / 已揽收 / 运输中 / 已签收
    state: str                # 处理中 / 已退款 / 已关闭 / 已完结
    reason: str | None
    action: str               # decision on the export's facts
    risk: str = "OK"
    desk: dict = field(default_factory=dict)       # typed desk cells (lists rotate per platform)
    desk_canon: dict = field(default_factory=dict)  # the same in canonical words
    desk_action: str | None = None
    desk_risk: str | None = None
    applied_h: float = 20.0   # hours before NOW the case was applied for
    carrier: str = "中通快递"


SCENARIOS = [
    Scen("unshipped", "仅退款", "未发货", 39.9, None, None, "处理中", "不想要", "APPROVE_REFUND",
         desk={"跟进备注": "未发货，直接退"}, applied_h=3),
    Scen("transit_low", "仅退款", "已发货", 59.0, "运输中", None, "处理中", "不想要", "INTERCEPT_REFUND_NOW",
         desk={"物流状态": ["在途", "运输中", "在途"], "物流更新时间": ["6/10 08:00", "6月10日 8:00", "2025-06-10T00:00:00Z"],
               "拦截状态": ["拦截不成功", "未拦截成功", "拦截未成功"], "跟进备注": "已联系快递拦截"},
         desk_canon={"物流状态": "运输中", "物流更新时间": "2025-06-10 08:00", "拦截状态": "拦截失败"},
         desk_action="ASK_REFUSE_DELIVERY", applied_h=10),
    Scen("transit_high", "仅退款", "已发货", 299.0, "运输中", None, "处理中", "不想要", "INTERCEPT_AND_WATCH",
         desk={"物流状态": "派件中", "物流更新时间": ["6月10日 9:30", "6/10 9:30", "2025-06-10T01:30:00Z"],
               "拦截状态": ["已申请拦截", "拦截中", "已发起"], "跟进备注": "高客单，已标旗"},
         desk_canon={"物流状态": "派送中", "物流更新时间": "2025-06-10 09:30", "拦截状态": "拦截中"},
         desk_action="CHECK_INTERCEPT_RESULT", applied_h=30, carrier="顺丰速运"),
    Scen("signed", "仅退款", "已发货", 88.0, "已签收", None, "处理中", "未收到货", "CONFIRM_RECEIPT",
         desk={"物流状态": ["快件已放入驿站", "已妥投", "已签收"], "物流更新时间": ["6月8日 15:20", "6/8 15:20", "2025.6.8"],
               "客户反馈": ["没收到", "没有收到", "没收到"], "跟进备注": "待联系快递"},
         desk_canon={"物流状态": "已签收", "客户反馈": "未收到",
                     "物流更新时间": ["2025-06-08 15:20", "2025-06-08 15:20", "2025-06-08 00:00"]},
         desk_action="VERIFY_WITH_COURIER", applied_h=26, carrier="韵达快递"),
    Scen("not_picked", "仅退款", "已发货", 45.0, "未揽收", None, "处理中", "不想要", "CHECK_WAREHOUSE",
         desk={"物流状态": ["还未揽收", "没揽收", "还未揽收"], "拦截状态": "未拦截", "跟进备注": "问仓库"},
         desk_canon={"物流状态": "未揽收", "拦截状态": "未拦截"},
         desk_action="CHECK_WAREHOUSE", applied_h=6, carrier="圆通速递"),
    Scen("stale", "仅退款", "已发货", 76.0, "运输中", None, "处理中", "未收到货", "INTERCEPT_REFUND_NOW",
         desk={"物流状态": "疑似丢件", "物流更新时间": ["2025.6.3", "2025.6.3 9:00", "2025.6.3"], "跟进备注": "一周没动"},
         desk_canon={"物流状态": "异常", "物流更新时间": ["2025-06-03 00:00", "2025-06-03 09:00", "2025-06-03 00:00"]},
         desk_action="REFUND_OR_RESHIP_CLAIM", applied_h=50, carrier="申通快递"),
    Scen("closed", "仅退款", "已发货", 66.0, "已签收", None, "已关闭", "不想要", "DONE",
         desk={"跟进备注": "买家已撤销"}, applied_h=70, carrier="极兔速递"),
    Scen("refunded_unshipped", "仅退款", "未发货", 25.5, None, None, "已退款", "不想要", "DONE", applied_h=40),
    Scen("refunded_transit", "仅退款", "已发货", 109.0, "运输中", None, "已退款", "不想要", "DONE", "RISK",
         desk={"物流状态": "在途", "物流更新时间": "2025-06-09T10:00:00Z",
               "拦截状态": ["未拦截成功", "拦截未成功", "拦截不成功"], "跟进备注": "退款后才发现没拦住"},
         desk_canon={"物流状态": "运输中", "物流更新时间": "2025-06-09 18:00", "拦截状态": "拦截失败"},
         desk_risk="RISK", applied_h=28),
    Scen("refunded_intercepted", "仅退款", "已发货", 139.0, "运输中", None, "已退款", "不想要", "DONE", "RISK",
         desk={"拦截状态": ["快递已退回", "拦截成功", "快递已退回"], "跟进备注": "拦回来了"},
         desk_canon={"拦截状态": "拦截成功"}, desk_risk="OK", applied_h=45),
    Scen("return_waiting", "退货退款", "已发货", 129.0, "已签收", None, "处理中", "不想要", "WAIT_RETURN",
         desk={"跟进备注": "已发退货地址"}, applied_h=22),
    Scen("return_sent", "退货退款", "已发货", 69.0, "已签收", "已揽收", "处理中", "不想要", "REFUND_ON_PICKUP",
         desk={"跟进备注": "退货已揽收，低客单秒退"}, applied_h=60),
    Scen("return_received", "退货退款", "已发货", 459.0, "已签收", "已签收", "处理中", "质量问题", "INSPECT_THEN_REFUND",
         desk={"跟进备注": "仓库已签收，待验货"}, applied_h=90),
    Scen("return_refunded_early", "退货退款", "已发货", 159.0, "已签收", "运输中", "已退款", "不想要", "DONE", "RISK",
         desk={"跟进备注": "已退款，等退货入库"}, desk_risk="RISK", applied_h=80),
    Scen("exchange", "换货", "已发货", 99.0, "已签收", None, "处理中", "质量问题", "MANUAL_REVIEW", applied_h=12),
    Scen("missing_items", "退货退款", "已发货", 35.0, "已签收", None, "处理中", "少发漏发", "RESHIP_MISSING",
         desk={"跟进备注": "少发一件"}, applied_h=8),
    Scen("signed_insists", "仅退款", "已发货", 168.0, "已签收", None, "处理中", "不想要", "CONFIRM_RECEIPT",
         desk={"物流状态": "已签收", "客户反馈": "不撤销", "跟进备注": "签收凭证已要"},
         desk_canon={"物流状态": "已签收", "客户反馈": "不撤销"}, desk_action="REJECT_WITH_PROOF", applied_h=36),
    Scen("cancelled", "仅退款", "已发货", 72.0, "已签收", None, "已关闭", "不想要", "DONE", applied_h=55),
    # JD only (the export holds the buyer's province in 取件地址):
    Scen("transit_z", "仅退款", "已发货", 52.0, "运输中", None, "处理中", "不想要", "INTERCEPT_REFUND_NOW",
         desk={"物流状态": "在途", "物流更新时间": "2025-06-08T06:00:00Z", "跟进备注": "时区是 UTC"},
         desk_canon={"物流状态": "运输中", "物流更新时间": "2025-06-08 14:00"},
         desk_action="INTERCEPT_REFUND_NOW", applied_h=40),
    Scen("transit_50h", "仅退款", "已发货", 83.0, "运输中", None, "处理中", "不想要", "INTERCEPT_REFUND_NOW",
         desk={"物流状态": "在途", "物流更新时间": "6月8日 10:00", "跟进备注": "两天没更新"},
         desk_canon={"物流状态": "运输中", "物流更新时间": "2025-06-08 10:00"},
         desk_action="REFUND_OR_RESHIP_CLAIM", applied_h=60),
]
SCEN = {s.key: s for s in SCENARIOS}

PROVINCE_OF = {"transit_z": "广东", "transit_50h": "浙江"}
CARRIER_PREFIX = {"中通快递": "7523", "顺丰速运": "SF14", "韵达快递": "4312", "圆通速递": "YT88", "申通快递": "7730",
                  "极兔速递": "JT58"}
CARRIER_CANON = {"中通快递": "中通", "顺丰速运": "顺丰", "韵达快递": "韵达", "圆通速递": "圆通", "申通快递": "申通",
                 "极兔速递": "极兔"}


def tracking(carrier: str, seed: str) -> str:
    prefix = CARRIER_PREFIX[carrier]
    return prefix + digits(seed, 11 if prefix[0].isdigit() else 10)


@dataclass
class Row:
    scen: Scen
    order: str                 # the order number as the twin writes it
    raw: dict                  # export header → cell
    canon: dict                # canonical header → value (what the export says)
    needs: str = ""            # expect_needs_info of the raw export
    action: str | None = None  # override of scen.action (platform-specific facts)
    risk: str | None = None


def pick(value, p: int):
    return value[p % len(value)] if isinstance(value, list) else value


def base_canon(s: Scen, order: str, case: str, applied: datetime, deadline: datetime | None) -> dict:
    """The twin's canonical facts common to every platform."""
    return {"订单号": order, "售后单号": case, "申请时间": ts(applied), "售后类型": s.rtype,
            "退款金额": f"{s.amount:.2f}", "发货状态": s.ship, "售后状态": s.state, "退货原因": s.reason,
            "超时时间": ts(deadline) if deadline else None}


def needs_logistics(s: Scen) -> bool:
    """Open 仅退款 of a shipped parcel: the decision reads 物流状态 (contract §4.2 rows 0b, 6–21)."""
    return s.rtype == "仅退款" and s.ship == "已发货" and s.state == "处理中"


# ----------------------------------------------------------------------------- Taobao

TAOBAO_HEADERS = [
    "订单编号", "退款编号", "支付宝交易号", "订单付款时间", "商品编码", "退款完结时间", "买家实际支付金额", "宝贝标题",
    "买家退款金额", "手工退款/系统退款", "是否需要退货", "退款的申请时间", "超时时间", "退款状态", "货物状态",
    "退货物流信息", "发货物流信息", "客服介入状态", "卖家真实姓名", "卖家真实姓名新", "卖家退货地址", "卖家邮编",
    "卖家电话", "卖家手机", "退货物流单号", "退货物流公司", "买家退款原因", "买家退款说明", "买家退货时间", "责任方",
    "售中或售后", "商家备注", "完结时间", "部分退款/全部退款", "审核操作人", "举证超时", "是否零秒响应", "退款操作人",
    "退款原因标签", "业务类型", "是否帮他退款", "帮他退款操作账号",
]
assert len(TAOBAO_HEADERS) == 42

# scenario → (退款状态, 货物状态, latest trace of the outbound parcel, of the return parcel)
TAOBAO = {
    "unshipped": ("买家已经申请退款，等待卖家同意", "买家未收到货", None, None),
    "transit_low": ("买家已经申请退款，等待卖家同意", "买家未收到货", "【武汉市】快件已到达 武汉转运中心，正发往下一站", None),
    "transit_high": ("买家已经申请退款，等待卖家同意", "买家未收到货", "【杭州市】快件已从 杭州中转场 发出，运输中", None),
    "signed": ("买家已经申请退款，等待卖家同意", "买家未收到货", "已签收，签收人：门卫", None),
    "not_picked": ("买家已经申请退款，等待卖家同意", "买家未收到货", "商家已发货，包裹等待揽收", None),
    "stale": ("买家已经申请退款，等待卖家同意", "买家未收到货", "【成都市】快件已发往 成都转运中心", None),
    "closed": ("退款关闭", "买家已收到货", "已签收，签收人：本人", None),
    "refunded_unshipped": ("退款成功", "买家未收到货", None, None),
    "refunded_transit": ("退款成功", "买家未收到货", "【郑州市】快件已到达 郑州转运中心", None),
    "refunded_intercepted": ("退款成功", "买家未收到货", "【长沙市】快件已到达 长沙转运中心", None),
    "return_waiting": ("卖家已经同意退款，等待买家退货", "买家已收到货", "已签收，签收人：本人", None),
    "return_sent": ("买家已经退货，等待卖家确认收货", "买家已退货", "已签收，签收人：本人", "【义乌市】快件已揽收"),
    "return_received": ("买家已经退货，等待卖家确认收货", "买家已退货", "已签收，签收人：本人", "已签收，签收人：仓库"),
    "return_refunded_early": ("退款成功", "买家已退货", "已签收，签收人：本人", "【金华市】快件已发往 金华转运中心"),
    "missing_items": ("买家已经申请退款，等待卖家同意", "买家已收到货", "已签收，签收人：本人", None),
    "signed_insists": ("买家已经申请退款，等待卖家同意", "买家已收到货", "已签收，签收人：快递柜", None),
}
TAOBAO_REASON = {"不想要": "七天无理由退换货", "未收到货": "未按约定时间发货", "质量问题": "质量问题",
                 "少发漏发": "少件/漏发"}
# 货物状态 as the buyer declared it → 客户反馈 (what the buyer says about receipt)
TAOBAO_GOODS = {"买家未收到货": "未收到", "买家已收到货": "已收到", "买家已退货": "已收到"}


def taobao_rows() -> list[Row]:
    rows = []
    for i, (key, (status, goods, trace, ret_trace)) in enumerate(TAOBAO.items()):
        s = SCEN[key]
        order = digits(f"tb-order-{i}", 19, "4")
        case = digits(f"tb-refund-{i}", 15, "2")
        applied = ago(s.applied_h) - timedelta(minutes=7 * i, seconds=13 * i)
        deadline = applied + timedelta(hours=48 if s.rtype == "仅退款" and s.ship == "未发货" else 120) \
            if s.state == "处理中" else None
        paid = s.amount + 12.0 + i  # 买家实际支付金额: what the order cost (not the refund)
        no = tracking(s.carrier, f"tb-ship-{i}") if trace else None
        ret_no = tracking("中通快递", f"tb-ret-{i}") if ret_trace else None
        raw = {h: None for h in TAOBAO_HEADERS}
        raw.update({
            # some tools wrap long ids as ="…" so Excel keeps them text (platforms.md)
            "订单编号": f'="{order}"' if i % 3 == 0 else order,
            "退款编号": f'="{case}"' if i % 3 == 0 else case,
            "支付宝交易号": "2025" + digits(f"tb-alipay-{i}", 24),
            "订单付款时间": ts(applied - timedelta(days=2, hours=3)),
            "商品编码": "SKU-" + digits(f"tb-sku-{i}", 6),
            "退款完结时间": ts(applied + timedelta(hours=5)) if s.state != "处理中" else None,
            "买家实际支付金额": f"{paid:.2f}",
            "宝贝标题": f"夏季纯棉短袖T恤 款{i + 1}",
            "买家退款金额": f"{s.amount:.2f}",
            "手工退款/系统退款": "系统退款" if s.state == "已退款" else None,
            "是否需要退货": "是" if s.rtype == "退货退款" else "否",
            "退款的申请时间": ts(applied),
            "超时时间": ts(deadline) if deadline else None,
            "退款状态": status,
            "货物状态": goods,
            "退货物流信息": f"中通快递 {ret_no}：{ret_trace}" if ret_trace else None,
            "发货物流信息": f"{s.carrier} {no}：{trace}" if trace else None,
            "客服介入状态": "客服未介入",
            "卖家真实姓名": "杭州某某服饰有限公司",
            "卖家真实姓名新": "杭州某某服饰有限公司",
            "卖家退货地址": "浙江省杭州市余杭区仓前街道某某路1号 售后组",
            "卖家邮编": "311100",
            "卖家电话": "0571-8888" + digits(f"tb-tel-{i}", 4),
            "卖家手机": "1380000" + digits(f"tb-mob-{i}", 4),
            "退货物流单号": ret_no,
            "退货物流公司": "中通快递" if ret_no else None,
            "买家退款原因": TAOBAO_REASON[s.reason],
            "买家退款说明": "",
            "买家退货时间": ts(applied + timedelta(hours=20)) if ret_no else None,
            "售中或售后": "售中" if s.rtype == "仅退款" else "售后",
            "部分退款/全部退款": "全部退款",
            "是否零秒响应": "否",
            "业务类型": "普通",
            "是否帮他退款": "否",
        })
        canon = base_canon(s, order, case, applied, deadline)
        canon["发货状态"] = "已发货" if trace else "未发货"
        if trace:
            canon.update({"快递公司": CARRIER_CANON[s.carrier], "物流单号": no, "物流状态": s.logi})
        if ret_no:
            canon.update({"退货物流单号": ret_no, "退货物流状态": s.ret})
        canon["客户反馈"] = TAOBAO_GOODS[goods]
        action = s.action
        if key == "signed":  # 货物状态 买家未收到货 on a signed parcel: rule 11
            action = "VERIFY_WITH_COURIER"
        if key == "signed_insists":  # 买家已收到货 on a signed parcel: rule 12
            action = "GUIDE_TO_RETURN"
        rows.append(Row(s, order, raw, canon, action=action))
    return rows


# ----------------------------------------------------------------------------- PDD

PDD_HEADERS = ["售后编号", "订单编号", "商品名称", "商品规格", "商品id", "商家编码", "店铺名称", "售后类型", "售后状态",
               "申请时间", "售后原因", "售后描述", "申请退款金额", "订单金额", "订单状态", "发货快递公司", "发货快递单号",
               "退货快递公司", "退货快递单号", "超时时间"]
PDD_NOTICE = "温馨提示：仅支持导出近3个月的售后单，3个月前的售后单仅支持在页面查看"

# scenario → (售后状态, 订单状态)
PDD = {
    "unshipped": ("买家申请退款，待商家处理", "待发货"),
    "transit_low": ("买家申请退款，待商家处理", "已发货，待签收"),
    "transit_high": ("平台处理中", "已发货，待签收"),
    "signed": ("驳回退款，待买家处理", "已签收"),
    "not_picked": ("买家申请退款，待商家处理", "已发货，待签收"),
    "stale": ("买家申请退款，待商家处理", "已发货，待签收"),
    "closed": ("平台拒绝退款，退款关闭", "已签收"),
    "refunded_unshipped": ("未发货，退款成功", None),
    "refunded_transit": ("已发货，退款成功", "已发货，待签收"),
    "refunded_intercepted": ("已发货，退款成功", "已发货，待签收"),
    "return_waiting": ("已同意退货退款,待用户发货", "已签收"),
    "return_sent": ("退货退款，待商家处理", "已签收"),
    "return_received": ("退货完成，待退款", "已签收"),
    "return_refunded_early": ("退款成功", "已签收"),
    "exchange": ("平台处理中", "已签收"),
    "missing_items": ("退货退款，待商家处理", "已签收"),
    "signed_insists": ("买家申请退款，待商家处理", "已签收"),
    "cancelled": ("买家撤销", "已签收"),
}
PDD_REASON = {"不想要": "不喜欢、效果不好", "未收到货": "快递一直未送达", "质量问题": "质量问题",
              "少发漏发": "少件（含少配件）"}


def pdd_rows() -> list[Row]:
    rows = []
    for i, (key, (status, order_state)) in enumerate(PDD.items()):
        s = SCEN[key]
        order = f"250{6 if s.applied_h < 24 else 5}{(i % 9) + 1:02d}-" + digits(f"pdd-order-{i}", 15, "6")
        case = digits(f"pdd-case-{i}", 11, "1")
        applied = ago(s.applied_h) - timedelta(minutes=11 * i, seconds=7 * i)
        deadline = applied + timedelta(hours=48) if s.state == "处理中" else None
        shipped = s.ship == "已发货"
        no = tracking(s.carrier, f"pdd-ship-{i}") if shipped else None
        ret_no = tracking("中通快递", f"pdd-ret-{i}") if s.ret else None
        total = round(s.amount * 2 + 100 + i, 2)  # 订单金额: always ≥ the refund, and ≥ 200 (would flip 高客单)
        raw = {
            "售后编号": case, "订单编号": order, "商品名称": f"加厚保温杯 500ml {i + 1}号",
            "商品规格": "白色;500ml", "商品id": digits(f"pdd-goods-{i}", 11, "5"),
            "商家编码": "BWB-" + digits(f"pdd-sku-{i}", 4), "店铺名称": "某某家居旗舰店",
            "售后类型": s.rtype, "售后状态": status, "申请时间": ts(applied), "售后原因": PDD_REASON[s.reason],
            "售后描述": "", "申请退款金额": f"{s.amount:.2f}", "订单金额": f"{total:.2f}", "订单状态": order_state,
            "发货快递公司": s.carrier if shipped else None, "发货快递单号": no,
            "退货快递公司": "中通快递" if ret_no else None, "退货快递单号": ret_no,
            "超时时间": ts(deadline) if deadline else None,
        }
        canon = base_canon(s, order, case, applied, deadline)
        if shipped:
            canon.update({"快递公司": CARRIER_CANON[s.carrier], "物流单号": no})
        needs = ""
        if order_state == "已签收":
            canon["物流状态"] = "已签收"
        elif needs_logistics(s):
            canon["物流状态"] = s.logi  # the truth; the export cannot say it
            needs = "物流状态"
        elif s.logi and shipped:
            canon["物流状态"] = s.logi
        if ret_no:
            # a filled 退货快递单号 = the return was sent; 退货完成 = it arrived
            canon.update({"退货物流单号": ret_no, "退货物流状态": "已签收" if "退货完成" in status else "已揽收"})
        rows.append(Row(s, order, raw, canon, needs=needs))
    return rows


# ----------------------------------------------------------------------------- 抖店

DOUYIN_HEADERS = [
    "售后单号", "订单号", "商品单号", "商品名称", "商品ID", "应付金额（元）", "商品运费（元）", "支付优惠（元）",
    "商品税费（元）", "商品发货状态", "售后类型", "退商品金额（元）", "退运费金额（元）", "退支付优惠（元）",
    "退税费金额（元）", "售后状态", "售后申请时间", "退款方式", "是否已上传退款凭证", "售后原因", "售后原因标签",
    "退货物流单号", "退货异常", "退货发货时间", "退货物流公司", "自动处理截止时间", "同意售后申请时间", "商家退款时间",
    "用户到账时间", "售后关闭时间", "商家退货地址", "商家退货联系人姓名", "商家退货联系人电话", "仲裁状态",
    "纠纷责任方", "是否极速退款", "是否拒签后退款", "发货物流单号", "发货物流状态", "换货物流单号", "退货物流状态",
    "售后完结时间", "订单备注", "用户售后说明", "售后备注", "操作人", "协商记录", "换货商品信息", "商家编码", "门店名称",
]
assert len(DOUYIN_HEADERS) == 50

# scenario → (售后类型, 售后状态); 商品发货状态 / 发货物流状态 / 退货物流状态 values are not
# attested (platforms.md): plain 未发货/已发货 and tracking words are used.
DOUYIN = {
    "unshipped": ("未发货仅退款", "发货前退款待处理"),
    "transit_low": ("已发货仅退款", "发货后仅退款待处理"),
    "transit_high": ("已发货仅退款", "待商家处理"),
    "signed": ("已发货仅退款", "发货后仅退款待处理"),
    "not_picked": ("已发货仅退款", "待商家处理"),
    "stale": ("已发货仅退款", "发货后仅退款待处理"),
    "closed": ("已发货仅退款", "售后关闭"),
    "refunded_unshipped": ("未发货仅退款", "同意退款，退款成功"),
    "refunded_transit": ("已发货仅退款", "同意退款，退款成功"),
    "refunded_intercepted": ("已发货仅退款", "售后成功"),
    "return_waiting": ("退货退款", "待买家退货"),
    "return_sent": ("退货退款", "待商家收货"),
    "return_received": ("退货退款", "待商家收货"),
    "return_refunded_early": ("退货退款", "同意退款，退款成功"),
    "exchange": ("换货", "待商家处理"),
    "missing_items": ("退货退款", "退货待处理"),
    "signed_insists": ("已发货仅退款", "待商家处理"),
}
DOUYIN_LOGI = {"运输中": "运输中", "已签收": "已签收", "未揽收": "待揽收"}
DOUYIN_REASON = {"不想要": "不想要了", "未收到货": "未收到货", "质量问题": "质量问题", "少发漏发": "少件/漏发"}


def douyin_rows() -> list[Row]:
    rows = []
    for i, (key, (rtype, status)) in enumerate(DOUYIN.items()):
        s = SCEN[key]
        order = digits(f"dy-order-{i}", 19, "69")
        case = digits(f"dy-case-{i}", 19, "71")
        applied = ago(s.applied_h) - timedelta(minutes=5 * i, seconds=17 * i)
        deadline = applied + timedelta(hours=48 if s.ship == "未发货" else 120) if s.state == "处理中" else None
        shipped = s.ship == "已发货"
        no = tracking(s.carrier, f"dy-ship-{i}") if shipped else None
        ret_no = tracking("中通快递", f"dy-ret-{i}") if s.ret else None
        raw = {h: None for h in DOUYIN_HEADERS}
        raw.update({
            "售后单号": case, "订单号": order, "商品单号": digits(f"dy-sub-{i}", 19, "69"),
            "商品名称": f"网红零食大礼包 {i + 1}号", "商品ID": digits(f"dy-goods-{i}", 19, "36"),
            "应付金额（元）": f"{s.amount + 20 + i:.2f}", "商品运费（元）": "0.00", "支付优惠（元）": "5.00",
            "商品税费（元）": "0.00", "商品发货状态": "已发货" if shipped else "未发货", "售后类型": rtype,
            "退商品金额（元）": f"{s.amount:.2f}", "退运费金额（元）": "0.00", "退支付优惠（元）": "0.00",
            "退税费金额（元）": "0.00", "售后状态": status, "售后申请时间": ts(applied), "退款方式": "原路退回",
            "是否已上传退款凭证": "否", "售后原因": DOUYIN_REASON[s.reason],
            "退货物流单号": ret_no, "退货物流公司": "中通快递" if ret_no else None,
            "退货发货时间": ts(applied + timedelta(hours=10)) if ret_no else None,
            "自动处理截止时间": ts(deadline) if deadline else None,
            "商家退款时间": ts(applied + timedelta(hours=2)) if s.state == "已退款" else None,
            "商家退货地址": "广东省广州市白云区某某仓 3 号门", "商家退货联系人姓名": "售后组",
            "商家退货联系人电话": "1390000" + digits(f"dy-tel-{i}", 4), "仲裁状态": "无仲裁",
            "是否极速退款": "否", "是否拒签后退款": "否", "发货物流单号": no,
            "发货物流状态": DOUYIN_LOGI.get(s.logi) if shipped else None,
            "退货物流状态": s.ret, "商家编码": "LS-" + digits(f"dy-sku-{i}", 4), "门店名称": None,
        })
        canon = base_canon(s, order, case, applied, deadline)
        if rtype == "换货":
            canon["售后类型"] = "换货"
        if shipped:
            canon.update({"物流单号": no, "物流状态": s.logi})  # no carrier name in this export
        if ret_no:
            canon.update({"退货物流单号": ret_no, "退货物流状态": s.ret})
        rows.append(Row(s, order, raw, canon))
    return rows


# ----------------------------------------------------------------------------- JD

JD_HEADERS = ["服务单号", "申请单号", "订单号", "申请时间", "客户期望", "服务单状态", "审核结果", "处理结果", "商品编号",
              "商品名称", "实付金额", "问题描述", "客户姓名", "取件地址", "取件方式", "审核时间"]

# scenario → (客户期望, 服务单状态, 处理结果)
JD = {
    "unshipped": ("售前退款", "待审核", None),
    "transit_low": ("仅退款", "待审核", None),
    "transit_high": ("仅退款", "待审核领取", None),
    "signed": ("仅退款", "待客户反馈", None),
    "not_picked": ("仅退款", "待审核", None),
    "stale": ("仅退款", "待审核", None),
    "transit_z": ("仅退款", "待处理", None),
    "transit_50h": ("仅退款", "待审核", None),
    "closed": ("仅退款", "审核关闭", None),
    "refunded_unshipped": ("售前退款", "完成", "退款"),
    "refunded_transit": ("仅退款", "完成", "退款"),
    "refunded_intercepted": ("仅退款", "完成", "退款"),
    "return_waiting": ("退货", "待审核", None),
    "exchange": ("换货", "待审核", None),
    "cancelled": ("仅退款", "取消", None),
}
JD_ADDRESS = ["广东省深圳市南山区科技园某某路8号", "浙江省杭州市西湖区文三路某某号", "江苏省南京市鼓楼区中山路某某号",
              "新疆维吾尔自治区乌鲁木齐市天山区某某路2号", "四川省成都市武侯区某某街3号"]


def jd_rows() -> list[Row]:
    rows = []
    for i, (key, (expect, status, result)) in enumerate(JD.items()):
        s = SCEN[key]
        order = int(digits(f"jd-order-{i}", 12, "3"))  # JD order ids are 12 digits: stored as numbers
        service = digits(f"jd-svc-{i}", 10, "8")
        applied = ago(s.applied_h) - timedelta(minutes=3 * i, seconds=29 * i)
        province = PROVINCE_OF.get(key)
        address = next(a for a in JD_ADDRESS if a.startswith(province)) if province else JD_ADDRESS[i % len(JD_ADDRESS)]
        if not province:
            province = next(p for p in ("广东", "浙江", "江苏", "新疆", "四川") if address.startswith(p))
        raw = {
            "服务单号": service, "申请单号": digits(f"jd-app-{i}", 9, "5"), "订单号": order, "申请时间": ts(applied),
            "客户期望": expect, "服务单状态": status,
            "审核结果": None if status.startswith("待审核") else ("审核通过" if status != "审核关闭" else "审核不通过"),
            "处理结果": result, "商品编号": digits(f"jd-sku-{i}", 12, "1"), "商品名称": f"蓝牙耳机 Pro {i + 1}",
            "实付金额": s.amount, "问题描述": "", "客户姓名": "王**", "取件地址": address,
            "取件方式": "上门取件" if expect == "退货" else None,
            "审核时间": None if status.startswith("待审核") else ts(applied + timedelta(hours=1)),
        }
        canon = base_canon(s, str(order), service, applied, None)
        canon["收货省份"] = province
        canon["退货原因"] = None  # 问题描述 is free text left empty: no reason in this export
        if s.rtype == "换货":
            canon["售后类型"] = "换货"
        needs = ""
        if needs_logistics(s):
            canon["物流状态"] = s.logi  # the truth; no logistics in a JD service-order export
            needs = "物流状态"
        elif s.ship == "已发货" and s.state == "已退款":
            canon["物流状态"] = s.logi
        rows.append(Row(s, str(order), raw, canon, needs=needs))
    return rows


# ----------------------------------------------------------------------------- 微信小店 (invented header row)

WECHAT_HEADERS = ["售后单号", "订单号", "商品名称", "售后类型", "售后单状态", "申请时间", "退款金额（元）", "售后原因",
                  "订单状态", "快递公司", "快递单号", "退货快递公司", "退货快递单号", "处理截止时间"]

# scenario → (售后单状态, 订单状态 (invented: 待发货 / 待收货 / 已完成))
WECHAT = {
    "unshipped": ("商家受理中", "待发货"),
    "transit_low": ("商家受理中", "待收货"),
    "transit_high": ("商家受理中", "待收货"),
    "signed": ("商家受理中", "待收货"),
    "not_picked": ("商家受理中", "待收货"),
    "closed": ("用户取消申请", "待收货"),
    "refunded_unshipped": ("退款完成", "待发货"),
    "refunded_transit": ("退款完成", "待收货"),
    "refunded_intercepted": ("退款完成", "待收货"),
    "return_waiting": ("待买家退货", "已完成"),
    "return_sent": ("待商家收货", "已完成"),
    "return_refunded_early": ("退货退款完成", "已完成"),
    "exchange": ("商家受理中", "已完成"),
    "cancelled": ("售后关闭", "已完成"),
}
WECHAT_REASON = {"不想要": "不想要了", "未收到货": "快递一直没到", "质量问题": "质量问题", "少发漏发": "少发/漏发"}


def wechat_rows() -> list[Row]:
    rows = []
    for i, (key, (status, order_state)) in enumerate(WECHAT.items()):
        s = SCEN[key]
        order = digits(f"wx-order-{i}", 19, "37")
        case = digits(f"wx-case-{i}", 19, "20")
        applied = ago(s.applied_h) - timedelta(minutes=9 * i, seconds=3 * i)
        deadline = applied + timedelta(hours=48) if s.state == "处理中" else None
        shipped = s.ship == "已发货"
        no = tracking(s.carrier, f"wx-ship-{i}") if shipped else None
        ret_no = tracking("中通快递", f"wx-ret-{i}") if s.ret else None
        raw = {
            "售后单号": case, "订单号": order, "商品名称": f"手工皂礼盒 {i + 1}", "售后类型": s.rtype,
            "售后单状态": status, "申请时间": ts(applied), "退款金额（元）": f"{s.amount:.2f}",
            "售后原因": WECHAT_REASON[s.reason], "订单状态": order_state,
            "快递公司": s.carrier if shipped else None, "快递单号": no,
            "退货快递公司": "中通快递" if ret_no else None, "退货快递单号": ret_no,
            "处理截止时间": ts(deadline) if deadline else None,
        }
        canon = base_canon(s, order, case, applied, deadline)
        if shipped:
            canon.update({"快递公司": CARRIER_CANON[s.carrier], "物流单号": no})
        needs = ""
        if needs_logistics(s):
            canon["物流状态"] = s.logi
            needs = "物流状态"
        elif shipped and s.state == "已退款" and s.rtype == "仅退款":
            canon["物流状态"] = s.logi
        if ret_no:
            # the export only says the return was sent: at least 已揽收
            canon.update({"退货物流单号": ret_no, "退货物流状态": "已揽收"})
        rows.append(Row(s, order, raw, canon, needs=needs))
    return rows


# ----------------------------------------------------------------------------- 旺店通 ERP (invented header row)

WDT_HEADERS = ["退换单号", "原始单号", "店铺名称", "类型", "处理状态", "退款金额", "建单时间", "退款原因", "发货状态",
               "物流公司", "物流单号", "退回物流公司", "退回物流单号", "备注"]
# scenario → (类型, 处理状态 (process_status words of platforms.md))
WDT = {
    "unshipped": ("退款", "待审核"),
    "transit_low": ("退款", "待审核"),
    "transit_high": ("退款", "已同意"),
    "signed": ("退款", "待审核"),
    "not_picked": ("退款", "待审核"),
    "closed": ("退款", "已取消"),
    "refunded_unshipped": ("退款", "已完成"),
    "refunded_transit": ("退款", "已完成"),
    "refunded_intercepted": ("退款", "已完成"),
    "return_waiting": ("退货", "已同意"),
    "return_sent": ("退货", "待收货"),
    "return_refunded_early": ("退货", "已完成"),
    "exchange": ("换货", "待审核"),
}
WDT_REASON = {"不想要": "七天无理由", "未收到货": "未收到货", "质量问题": "质量问题", "少发漏发": "少发漏发"}


def wdt_rows() -> list[Row]:
    rows = []
    for i, (key, (kind, status)) in enumerate(WDT.items()):
        s = SCEN[key]
        order = digits(f"wdt-order-{i}", 19, "4")  # 原始单号: the platform's (Taobao) order number
        case = "TH" + ago(s.applied_h).strftime("%Y%m%d") + digits(f"wdt-case-{i}", 4)
        applied = ago(s.applied_h) - timedelta(minutes=13 * i, seconds=11 * i)
        shipped = s.ship == "已发货"
        no = tracking(s.carrier, f"wdt-ship-{i}") if shipped else None
        ret_no = tracking("中通快递", f"wdt-ret-{i}") if s.ret else None
        raw = {
            "退换单号": case, "原始单号": order, "店铺名称": "某某旗舰店(淘宝)", "类型": kind, "处理状态": status,
            "退款金额": f"{s.amount:.2f}", "建单时间": ts(applied), "退款原因": WDT_REASON[s.reason],
            "发货状态": s.ship, "物流公司": s.carrier if shipped else None, "物流单号": no,
            "退回物流公司": "中通快递" if ret_no else None, "退回物流单号": ret_no, "备注": None,
        }
        canon = base_canon(s, order, case, applied, None)
        if shipped:
            canon.update({"快递公司": CARRIER_CANON[s.carrier], "物流单号": no})
        needs = ""
        if needs_logistics(s):
            canon["物流状态"] = s.logi
            needs = "物流状态"
        elif shipped and s.state == "已退款" and s.rtype == "仅退款":
            canon["物流状态"] = s.logi
        if ret_no:
            canon.update({"退货物流单号": ret_no, "退货物流状态": "已揽收"})
        rows.append(Row(s, order, raw, canon, needs=needs))
    return rows


# ----------------------------------------------------------------------------- platforms

@dataclass(frozen=True)
class Platform:
    key: str
    title: str
    headers: tuple
    rows: object           # () → list[Row]
    exports: tuple         # file names of the raw export
    order_header: str      # the export's order-number column
    notice: str | None = None


PLATFORMS = (
    Platform("taobao", "淘宝/天猫 千牛 退款管理", tuple(TAOBAO_HEADERS), taobao_rows,
             ("taobao_export.csv", "taobao_export.xlsx"), "订单编号"),
    Platform("pdd", "拼多多 售后列表", tuple(PDD_HEADERS), pdd_rows, ("pdd_export.csv",), "订单编号", PDD_NOTICE),
    Platform("douyin", "抖店 售后单", tuple(DOUYIN_HEADERS), douyin_rows, ("douyin_export.xlsx",), "订单号"),
    Platform("jd", "京东 售后服务单", tuple(JD_HEADERS), jd_rows, ("jd_export.xlsx",), "订单号"),
    Platform("wechat", "微信小店 售后单", tuple(WECHAT_HEADERS), wechat_rows, ("wechat_export.xlsx",), "订单号"),
    Platform("wdt", "旺店通 ERP 退换单", tuple(WDT_HEADERS), wdt_rows, ("wdt_export.csv",), "原始单号"),
)


def desk_cells(row: Row, p: int) -> dict:
    return {h: pick(row.scen.desk.get(h), p) for h in DESK_HEADERS}


def desk_twin(row: Row, p: int) -> tuple[dict, str]:
    """The desk variant's canonical facts: the export's, the desk's columns winning."""
    canon = dict(row.canon)
    # the desk's own columns replace the export's reading of the same fields (contract §2:
    # a canonical header wins over a preset/alias column), blank cells included
    for h in ("物流状态", "物流更新时间", "拦截状态", "客户反馈"):
        canon[h] = pick(row.scen.desk_canon.get(h), p)
    needs = ""
    if needs_logistics(row.scen) and canon.get("物流状态") is None:
        canon["物流状态"] = row.scen.logi
        needs = "物流状态"
    return canon, needs


def expectations(row: Row, desk: bool, p: int = 0) -> dict:
    s = row.scen
    if desk:
        # the desk's 客户反馈 column replaces Taobao's 货物状态: signed cases take desk_action
        action = s.desk_action or row.action or s.action
        risk = s.desk_risk or row.risk or s.risk
        return {"expect_action": action, "expect_loss_risk": risk, "expect_needs_info": desk_twin(row, p)[1]}
    moving = (row.canon.get("物流状态") or s.logi) in ("已揽收", "运输中", "派送中", "异常")
    if needs_logistics(s) and moving and not row.canon.get("物流更新时间"):
        # in transit, and the export says nothing of when the parcel last moved: 48 h without
        # movement would make it a lost-parcel claim, so the time is asked for (contract §2
        # "Three kinds of fact"), never taken as fresh
        return {"expect_action": "NEEDS_INFO", "expect_loss_risk": row.risk or s.risk,
                "expect_needs_info": row.needs or "物流更新时间"}
    return {"expect_action": row.action or s.action, "expect_loss_risk": row.risk or s.risk,
            "expect_needs_info": row.needs}


# ----------------------------------------------------------------------------- the desk lead's own sheet

LEAD_HEADERS = ["订单号", "平台", "申请日期", "类型", "金额", "订单状态", "快递", "单号", "物流情况", "物流最后更新",
                "省份", "买家反馈", "拦截", "退货进度", "状态", "备注"]

# (typed cells by her header, canonical twin by contract header, expected action, loss risk, needs)
# Each row is written by hand; amounts, ids and times differ row to row.
L = "仅退款"
LEAD = [
    ({"类型": "未发货仅退款", "金额": 39, "订单状态": "待发货", "状态": "待处理"},
     {"售后类型": L, "退款金额": 39, "发货状态": "未发货"}, "APPROVE_REFUND"),
    ({"类型": "仅退款", "金额": "¥128", "订单状态": "未发货"},
     {"售后类型": L, "退款金额": 128, "发货状态": "未发货"}, "APPROVE_REFUND"),
    ({"类型": "已发货仅退款", "金额": 59, "订单状态": "已发货", "快递": "中通", "物流情况": "在途",
      "物流最后更新": "6/10 08:00", "省份": "广东", "状态": "处理中"},
     {"售后类型": L, "退款金额": 59, "发货状态": "已发货", "快递公司": "中通", "物流状态": "运输中",
      "物流更新时间": "2025-06-10 08:00", "收货省份": "广东"}, "INTERCEPT_REFUND_NOW"),
    ({"类型": "仅退款", "金额": "1,299.00", "订单状态": "已发货", "快递": "顺丰", "物流情况": "在途",
      "物流最后更新": "6月10日 9:00", "省份": "浙江"},
     {"售后类型": L, "退款金额": 1299, "发货状态": "已发货", "快递公司": "顺丰", "物流状态": "运输中",
      "物流更新时间": "2025-06-10 09:00", "收货省份": "浙江"}, "INTERCEPT_AND_WATCH"),
    ({"类型": "仅退款", "金额": "76元", "订单状态": "已发货", "快递": "韵达", "物流情况": "在途",
      "物流最后更新": "6月8日 10:00", "省份": "浙江", "备注": "50 小时没动"},
     {"售后类型": L, "退款金额": 76, "发货状态": "已发货", "快递公司": "韵达", "物流状态": "运输中",
      "物流更新时间": "2025-06-08 10:00", "收货省份": "浙江"}, "REFUND_OR_RESHIP_CLAIM"),
    ({"类型": "仅退款", "金额": 81, "订单状态": "已发货", "快递": "邮政", "物流情况": "在途",
      "物流最后更新": "6月8日 10:00", "省份": "新疆", "备注": "偏远，72 小时内不算丢"},
     {"售后类型": L, "退款金额": 81, "发货状态": "已发货", "快递公司": "邮政", "物流状态": "运输中",
      "物流更新时间": "2025-06-08 10:00", "收货省份": "新疆"}, "INTERCEPT_REFUND_NOW"),
    ({"类型": "仅退款", "金额": 63, "订单状态": "已发货", "快递": "圆通", "物流情况": "派件中",
      "物流最后更新": "6/10 10:00", "拦截": "拦截不成功"},
     {"售后类型": L, "退款金额": 63, "发货状态": "已发货", "快递公司": "圆通", "物流状态": "派送中",
      "物流更新时间": "2025-06-10 10:00", "拦截状态": "拦截失败"}, "ASK_REFUSE_DELIVERY"),
    ({"类型": "仅退款", "金额": 57.5, "订单状态": "已发货", "快递": "中通", "物流情况": "在途",
      "物流最后更新": "2025-06-10 07:30", "拦截": "未拦截成功"},
     {"售后类型": L, "退款金额": 57.5, "发货状态": "已发货", "快递公司": "中通", "物流状态": "运输中",
      "物流更新时间": "2025-06-10 07:30", "拦截状态": "拦截失败"}, "ASK_REFUSE_DELIVERY"),
    ({"类型": "仅退款", "金额": 368, "订单状态": "已发货", "快递": "顺丰", "物流情况": "在途",
      "物流最后更新": "6/9 22:10", "拦截": "拦截未成功"},
     {"售后类型": L, "退款金额": 368, "发货状态": "已发货", "快递公司": "顺丰", "物流状态": "运输中",
      "物流更新时间": "2025-06-09 22:10", "拦截状态": "拦截失败"}, "ASK_REFUSE_DELIVERY"),
    ({"类型": "仅退款", "金额": 92, "订单状态": "已发货", "快递": "申通", "物流情况": "在途",
      "物流最后更新": "6/10 06:40", "拦截": "快递已退回"},
     {"售后类型": L, "退款金额": 92, "发货状态": "已发货", "快递公司": "申通", "物流状态": "运输中",
      "物流更新时间": "2025-06-10 06:40", "拦截状态": "拦截成功"}, "APPROVE_REFUND"),
    ({"类型": "仅退款", "金额": 47, "订单状态": "已发货", "快递": "极兔", "物流情况": "运输中",
      "物流最后更新": datetime(2025, 6, 10, 5, 20), "拦截": "拦截成功"},
     {"售后类型": L, "退款金额": 47, "发货状态": "已发货", "快递公司": "极兔", "物流状态": "运输中",
      "物流更新时间": "2025-06-10 05:20", "拦截状态": "拦截成功"}, "APPROVE_REFUND"),
    ({"类型": "仅退款", "金额": 420, "订单状态": "已发货", "快递": "顺丰", "物流情况": "在途",
      "物流最后更新": "6/10 06:00", "拦截": "已申请拦截"},
     {"售后类型": L, "退款金额": 420, "发货状态": "已发货", "快递公司": "顺丰", "物流状态": "运输中",
      "物流更新时间": "2025-06-10 06:00", "拦截状态": "拦截中"}, "CHECK_INTERCEPT_RESULT"),
    ({"类型": "仅退款", "金额": 260, "订单状态": "已发货", "快递": "京东", "物流情况": "派件中",
      "物流最后更新": "6月10日 11:00", "拦截": "拦截中"},
     {"售后类型": L, "退款金额": 260, "发货状态": "已发货", "快递公司": "京东", "物流状态": "派送中",
      "物流更新时间": "2025-06-10 11:00", "拦截状态": "拦截中"}, "CHECK_INTERCEPT_RESULT"),
    ({"类型": "仅退款", "金额": 44, "订单状态": "已发货", "快递": "中通", "物流情况": "没揽收"},
     {"售后类型": L, "退款金额": 44, "发货状态": "已发货", "快递公司": "中通", "物流状态": "未揽收"}, "CHECK_WAREHOUSE"),
    ({"类型": "仅退款", "金额": 51, "订单状态": "已发货", "快递": "韵达", "物流情况": "还未揽收"},
     {"售后类型": L, "退款金额": 51, "发货状态": "已发货", "快递公司": "韵达", "物流状态": "未揽收"}, "CHECK_WAREHOUSE"),
    ({"类型": "仅退款", "金额": 86, "订单状态": "已发货", "快递": "圆通", "物流情况": "已妥投",
      "物流最后更新": "6月8日 15:00", "买家反馈": "没收到"},
     {"售后类型": L, "退款金额": 86, "发货状态": "已发货", "快递公司": "圆通", "物流状态": "已签收",
      "物流更新时间": "2025-06-08 15:00", "客户反馈": "未收到"}, "VERIFY_WITH_COURIER"),
    ({"类型": "仅退款", "金额": 73, "订单状态": "已发货", "快递": "中通", "物流情况": "快件已放入驿站",
      "物流最后更新": "6/9 17:45"},
     {"售后类型": L, "退款金额": 73, "发货状态": "已发货", "快递公司": "中通", "物流状态": "已签收",
      "物流更新时间": "2025-06-09 17:45"}, "CONFIRM_RECEIPT"),
    ({"类型": "仅退款", "金额": 112, "订单状态": "已签收", "快递": "申通", "物流情况": "已签收", "买家反馈": "收到了"},
     {"售后类型": L, "退款金额": 112, "发货状态": "已发货", "快递公司": "申通", "物流状态": "已签收",
      "客户反馈": "已收到"}, "GUIDE_TO_RETURN"),
    ({"类型": "仅退款", "金额": 154, "订单状态": "已签收", "快递": "圆通", "物流情况": "已签收", "买家反馈": "不撤销"},
     {"售后类型": L, "退款金额": 154, "发货状态": "已发货", "快递公司": "圆通", "物流状态": "已签收",
      "客户反馈": "不撤销"}, "REJECT_WITH_PROOF"),
    ({"类型": "仅退款", "金额": 68, "订单状态": "已发货", "快递": "邮政", "物流情况": "疑似丢件",
      "物流最后更新": "2025.6.3"},
     {"售后类型": L, "退款金额": 68, "发货状态": "已发货", "快递公司": "邮政", "物流状态": "异常",
      "物流更新时间": "2025-06-03 00:00"}, "REFUND_OR_RESHIP_CLAIM"),
    ({"类型": "仅退款", "金额": 95, "订单状态": "已发货", "快递": "中通", "物流情况": "物流异常",
      "物流最后更新": "2025-06-08T06:00:00Z", "省份": "江苏"},
     {"售后类型": L, "退款金额": 95, "发货状态": "已发货", "快递公司": "中通", "物流状态": "异常",
      "物流更新时间": "2025-06-08 14:00", "收货省份": "江苏"}, "NUDGE_COURIER"),
    ({"类型": "仅退款", "金额": 58, "订单状态": "已发货", "快递": "韵达", "物流情况": "在途",
      "物流最后更新": "2025.6.6"},
     {"售后类型": L, "退款金额": 58, "发货状态": "已发货", "快递公司": "韵达", "物流状态": "运输中",
      "物流更新时间": "2025-06-06 00:00"}, "REFUND_OR_RESHIP_CLAIM"),
    ({"类型": "仅退款", "金额": 49, "订单状态": "已发货", "快递": "中通", "备注": "物流还没查"},
     {"售后类型": L, "退款金额": 49, "发货状态": "已发货", "快递公司": "中通"}, "NEEDS_INFO", "OK", "物流状态"),
    ({"类型": "仅退款", "金额": 77, "订单状态": "已发货", "快递": "圆通", "物流情况": "已拒收"},
     {"售后类型": L, "退款金额": 77, "发货状态": "已发货", "快递公司": "圆通", "物流状态": "拒收"}, "APPROVE_REFUND"),
    ({"类型": "退货退款", "金额": 129, "订单状态": "已签收", "退货进度": "还没寄"},
     {"售后类型": "退货退款", "退款金额": 129, "发货状态": "已发货", "退货物流状态": "未寄回"}, "WAIT_RETURN"),
    ({"类型": "退货", "金额": 99, "订单状态": "已签收", "退货进度": "没寄回"},
     {"售后类型": "退货退款", "退款金额": 99, "发货状态": "已发货", "退货物流状态": "未寄回"}, "WAIT_RETURN"),
    ({"类型": "退货退款", "金额": 69, "订单状态": "已签收", "退货进度": "已寄回"},
     {"售后类型": "退货退款", "退款金额": 69, "发货状态": "已发货", "退货物流状态": "运输中"}, "REFUND_ON_PICKUP"),
    ({"类型": "退货退款", "金额": 599, "订单状态": "已签收", "退货进度": "寄回中"},
     {"售后类型": "退货退款", "退款金额": 599, "发货状态": "已发货", "退货物流状态": "运输中"}, "INSPECT_THEN_REFUND"),
    ({"类型": "退货退款", "金额": 89, "订单状态": "已签收", "退货进度": "仓库已签收"},
     {"售后类型": "退货退款", "退款金额": 89, "发货状态": "已发货", "退货物流状态": "已签收"}, "APPROVE_REFUND"),
    ({"类型": "退货退款", "金额": 288, "订单状态": "已签收", "退货进度": "已签收"},
     {"售后类型": "退货退款", "退款金额": 288, "发货状态": "已发货", "退货物流状态": "已签收"}, "INSPECT_THEN_REFUND"),
    ({"类型": "退货退款", "金额": 61, "订单状态": "已签收", "退货进度": "已揽收"},
     {"售后类型": "退货退款", "退款金额": 61, "发货状态": "已发货", "退货物流状态": "已揽收"}, "REFUND_ON_PICKUP"),
    ({"类型": "换货", "金额": 79, "订单状态": "已签收", "备注": "换大一码"},
     {"售后类型": "换货", "退款金额": 79, "发货状态": "已发货"}, "MANUAL_REVIEW"),
    ({"类型": "仅退款", "金额": 118, "订单状态": "已发货", "快递": "中通", "物流情况": "在途", "状态": "已退款"},
     {"售后类型": L, "退款金额": 118, "发货状态": "已发货", "快递公司": "中通", "物流状态": "运输中",
      "售后状态": "已退款"}, "DONE", "RISK"),
    ({"类型": "仅退款", "金额": 134, "订单状态": "已发货", "快递": "申通", "物流情况": "在途", "拦截": "未拦截成功",
      "状态": "退款成功"},
     {"售后类型": L, "退款金额": 134, "发货状态": "已发货", "快递公司": "申通", "物流状态": "运输中",
      "拦截状态": "拦截失败", "售后状态": "已退款"}, "DONE", "RISK"),
    ({"类型": "仅退款", "金额": 142, "订单状态": "已发货", "快递": "圆通", "物流情况": "在途", "拦截": "拦截成功",
      "状态": "退款成功"},
     {"售后类型": L, "退款金额": 142, "发货状态": "已发货", "快递公司": "圆通", "物流状态": "运输中",
      "拦截状态": "拦截成功", "售后状态": "已退款"}, "DONE", "OK"),
    ({"类型": "仅退款", "金额": 36, "订单状态": "已签收", "状态": "退款关闭"},
     {"售后类型": L, "退款金额": 36, "发货状态": "已发货", "售后状态": "已关闭"}, "DONE"),
    ({"类型": "退货退款", "金额": 45, "订单状态": "已签收", "状态": "已关闭"},
     {"售后类型": "退货退款", "退款金额": 45, "发货状态": "已发货", "售后状态": "已关闭"}, "DONE"),
    ({"类型": "退款不退货", "金额": 29, "订单状态": "已签收", "状态": "完结"},
     {"售后类型": L, "退款金额": 29, "发货状态": "已发货", "售后状态": "已完结"}, "DONE"),
    ({"类型": "退货退款", "金额": 166, "订单状态": "已签收", "退货进度": "寄回中", "状态": "退款成功"},
     {"售后类型": "退货退款", "退款金额": 166, "发货状态": "已发货", "退货物流状态": "运输中", "售后状态": "已退款"},
     "DONE", "RISK"),
    ({"类型": "仅退款", "订单状态": "未发货", "备注": "金额待查"},
     {"售后类型": L, "发货状态": "未发货"}, "NEEDS_INFO", "OK", "退款金额"),
]
LEAD_PLATFORMS = ("淘宝", "拼多多", "抖音", "京东", "微信")
LEAD_APPLIED = ("6月9日", "6/9 14:00", "2025.6.8", datetime(2025, 6, 9, 9, 30), "6月10日 8:05")
LEAD_APPLIED_CANON = ("2025-06-09 00:00", "2025-06-09 14:00", "2025-06-08 00:00", "2025-06-09 09:30",
                      "2025-06-10 08:05")


def lead_rows() -> list[tuple[dict, dict, dict]]:
    out = []
    for i, (typed, canon, action, *rest) in enumerate(LEAD):
        risk = rest[0] if rest else "OK"
        needs = rest[1] if len(rest) > 1 else ""
        order = digits(f"lead-order-{i}", 19, "3")
        cells = {h: None for h in LEAD_HEADERS}
        cells.update({"订单号": order, "平台": LEAD_PLATFORMS[i % 5], "申请日期": LEAD_APPLIED[i % 5]})
        cells.update(typed)
        if cells.get("快递") and "物流情况" in typed and cells.get("单号") is None:
            cells["单号"] = tracking({"中通": "中通快递", "顺丰": "顺丰速运", "韵达": "韵达快递", "圆通": "圆通速递",
                                      "申通": "申通快递", "极兔": "极兔速递"}.get(cells["快递"], "中通快递"),
                                     f"lead-track-{i}")
        twin = {h: None for h in TWIN_HEADERS}
        twin.update({"订单号": order, "申请时间": LEAD_APPLIED_CANON[i % 5], "售后状态": "处理中"})
        twin.update(canon)
        if cells.get("单号"):
            twin["物流单号"] = cells["单号"]
        out.append((cells, twin, {"expect_action": action, "expect_loss_risk": risk, "expect_needs_info": needs}))
    return out


# ----------------------------------------------------------------------------- writing

def _cell(value):
    if isinstance(value, float):
        return f"{value:.2f}"
    return value


def write_csv(path: Path, rows: list[list], encoding: str) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    path.write_bytes(buf.getvalue().encode(encoding))


def write_xlsx(path: Path, rows: list[list], sheet: str) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for c in range(1, max(len(r) for r in rows) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    book.save(path)


def _twin_table(entries: list[tuple[dict, dict]]) -> list[list]:
    table = [TWIN_HEADERS + EXPECT_HEADERS]
    for canon, expect in entries:
        table.append([canon.get(h) for h in TWIN_HEADERS] + [expect[h] for h in EXPECT_HEADERS])
    return table


def xlsx_value(v):
    """An export cell as an .xlsx cell: ids stay text (no ="…" wrapper: that is a CSV trick)."""
    if isinstance(v, str) and v.startswith('="') and v.endswith('"'):
        return v[2:-1]
    return v


def main(out: Path = HERE) -> list[str]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for p_index, plat in enumerate(PLATFORMS):
        rows = plat.rows()
        head = [[plat.notice]] if plat.notice else []
        body = [[r.raw.get(h) for h in plat.headers] for r in rows]
        for name in plat.exports:
            path = out / name
            if name.endswith(".csv"):
                enc = "utf-8-sig" if plat.key == "pdd" else "gbk"
                write_csv(path, head + [list(plat.headers)] + body, enc)
            else:
                write_xlsx(path, head + [list(plat.headers)] + [[xlsx_value(v) for v in r] for r in body],
                           "售后列表")
            written.append(name)
        # desk variant: the export as the desk keeps it in Excel, plus its own columns
        desk_body = []
        for r in rows:
            d = desk_cells(r, p_index)
            desk_body.append([xlsx_value(r.raw.get(h)) for h in plat.headers] + [d[h] for h in DESK_HEADERS])
        write_xlsx(out / f"{plat.key}_desk.xlsx", head + [list(plat.headers) + DESK_HEADERS] + desk_body, "售后跟进")
        written.append(f"{plat.key}_desk.xlsx")
        twin = [(r.canon, expectations(r, False)) for r in rows]
        write_csv(out / f"{plat.key}_twin.csv", _twin_table(twin), "utf-8-sig")
        desk_twin_rows = [(desk_twin(r, p_index)[0], expectations(r, True, p_index)) for r in rows]
        write_csv(out / f"{plat.key}_desk_twin.csv", _twin_table(desk_twin_rows), "utf-8-sig")
        written += [f"{plat.key}_twin.csv", f"{plat.key}_desk_twin.csv"]
    lead = lead_rows()
    write_xlsx(out / "desk_lead.xlsx", [LEAD_HEADERS] + [[c[h] for h in LEAD_HEADERS] for c, _t, _e in lead], "售后跟进")
    write_csv(out / "desk_lead_twin.csv", _twin_table([(t, e) for _c, t, e in lead]), "utf-8-sig")
    written += ["desk_lead.xlsx", "desk_lead_twin.csv"]
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for name in main(target):
        print(name)
