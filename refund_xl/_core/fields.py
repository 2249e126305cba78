"""The tracking sheet's fields (contract §2) and finding them by header name.

A team's sheet has its own headers in its own order.  Each field has a
canonical Chinese header, built-in aliases, and may get more from the user's
``列名映射`` table.  :func:`resolve` turns a header row into a
:class:`ColumnMap` (field key → column index).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from refund_xl._core import vocab
from refund_xl._core.errors import ColumnsError

__all__ = ["Field", "FIELDS", "FIELD_BY_KEY", "ColumnMap", "resolve", "parse_mapping_table",
           "parse_value_table", "Mappings", "as_mappings", "book_mappings", "IMPLIES",
           "TRACKING_SHEET", "MAPPING_SHEET", "VALUES_SHEET", "header_at", "find_header_row", "split_table",
           "no_table_message"]

# The sheets a team keeps: the tracking sheet, its header mapping and its own words.
TRACKING_SHEET = "售后登记"
MAPPING_SHEET = "列名映射"
VALUES_SHEET = "值映射"


@dataclass(frozen=True)
class Field:
    key: str
    header: str
    english: str
    aliases: tuple[str, ...]
    parse: Callable[[object], object] = field(repr=False)
    choices: tuple[str, ...] = ()
    default: object = None
    required: bool = False


def _choice(canonical, synonyms=None, keywords=(), free_text=False, negations=None):
    return canonical, vocab.make_choice_parser(tuple(canonical), synonyms or {}, keywords, free_text, negations)


# Keyword tables below are read clause by clause (vocab.make_choice_parser): the
# first keyword found in a clause gives its word, and a negation just before it
# (未/没/不/无/非 …) turns it into the third element, or makes it unreadable when
# there is none.  Never a positive word for a negated text.

_YES_NO = (("是", "否"), {
    "y": "是", "yes": "是", "true": "是", "1": "是", "有": "是", "已产生": "是", "对": "是", "√": "是",
    "需要": "是", "需退货": "是",
    "n": "否", "no": "否", "false": "否", "0": "否", "无": "否", "没有": "否", "未产生": "否",
    "不是": "否", "×": "否", "不需要": "否", "无需": "否", "没产生": "否",
}, (("产生", "是", "否"), ("禁运", "是", "否")))

_REFUND_TYPE = _choice(("仅退款", "退货退款", "换货", "补寄", "维修"), {
    "未发货仅退款": "仅退款", "已发货仅退款": "仅退款", "退款不退货": "仅退款", "只退款": "仅退款",
    "仅退款(未发货)": "仅退款", "仅退款(已发货)": "仅退款", "退款(无需退货)": "仅退款",
    "未发货退款": "仅退款", "已发货退款": "仅退款", "售前退款": "仅退款", "退款": "仅退款",
    "拦截退货": "仅退款",  # PDD: the shop intercepts the parcel; no return by the buyer
    "退货": "退货退款", "退款退货": "退货退款", "退货并退款": "退货退款", "退货退款(已收货)": "退货退款",
    "补发": "补寄", "补发商品": "补寄", "换新": "换货", "退换货": "换货", "返修": "维修",
}, keywords=(("换货", "换货"), ("补寄", "补寄"), ("补发", "补寄"), ("维修", "维修"),
             ("退货", "退货退款", "仅退款"), ("仅退", "仅退款")))

_GOODS_KIND = _choice(("标品", "定制", "代购"), {
    "普通": "标品", "普通商品": "标品", "现货": "标品", "标准品": "标品", "非定制": "标品",
    "定做": "定制", "订制": "定制", "定制品": "定制", "定制商品": "定制", "私人定制": "定制",
    "海外代购": "代购", "代购商品": "代购",
}, keywords=(("定制", "定制"), ("代购", "代购")))

_SHIP_STATE = _choice(("未发货", "已发货", "线下已发货"), {
    "待发货": "未发货", "未发出": "未发货", "已付款未发货": "未发货", "买家已付款": "未发货",
    "已发出": "已发货", "卖家已发货": "已发货", "待收货": "已发货", "已签收": "已发货",
    "交易成功": "已发货", "已收货": "已发货", "已发货,待签收": "已发货",
    "线下发货": "线下已发货", "线下已发": "线下已发货", "已发货未同步": "线下已发货",
    "线下已发货未同步": "线下已发货", "实际已发货": "线下已发货", "线下已发出": "线下已发货",
}, keywords=(("线下", "线下已发货"), ("已发", "已发货", None), ("发货", None, "未发货"), ("发出", None, "未发货")))

_LOGISTICS = _choice(("未揽收", "已揽收", "运输中", "派送中", "已签收", "异常", "丢件", "拒收", "退回"), {
    "待揽收": "未揽收", "未揽件": "未揽收", "待揽件": "未揽收", "已发货未揽收": "未揽收", "暂无物流": "未揽收",
    "无物流": "未揽收", "无物流信息": "未揽收", "暂无物流信息": "未揽收", "已下单": "未揽收",
    "揽收": "已揽收", "已揽件": "已揽收", "揽件": "已揽收", "已收件": "已揽收",
    "在途": "运输中", "运送中": "运输中", "转运中": "运输中", "运输途中": "运输中", "途中": "运输中", "已发出": "运输中",
    "派件中": "派送中", "配送中": "派送中", "正在派件": "派送中", "待派送": "派送中",
    "签收": "已签收", "已妥投": "已签收", "妥投": "已签收", "已代签收": "已签收", "代签收": "已签收",
    "驿站代收": "已签收", "已收货": "已签收", "快件已放入驿站": "已签收", "已放入驿站": "已签收",
    "已投柜": "已签收", "投柜": "已签收", "已放入快递柜": "已签收",
    "物流异常": "异常", "停滞": "异常", "疑难件": "异常", "问题件": "异常", "物流停滞": "异常",
    "疑似丢件": "异常", "疑似丢失": "异常", "滞留": "异常", "破损": "异常",
    "丢失": "丢件", "遗失": "丢件", "丢件了": "丢件", "快递丢失": "丢件",
    "拒签": "拒收", "已拒收": "拒收", "已拒签": "拒收",
    "退回中": "退回", "已退回": "退回", "退件": "退回", "返回中": "退回", "原路退回": "退回", "退回寄件人": "退回",
    "退签": "退回",
}, keywords=(("疑似", "异常"), ("待揽", "未揽收", None), ("等待揽", "未揽收", None), ("拒", "拒收"), ("退回", "退回"), ("退签", "退回"), ("丢", "丢件"),
             ("驿站", "已签收"), ("快递柜", "已签收"), ("投柜", "已签收"), ("代收", "已签收"),
             ("签收", "已签收"), ("妥投", "已签收"), ("异常", "异常"), ("滞留", "异常"), ("破损", "异常"),
             ("派", "派送中"), ("揽", "已揽收", "未揽收"), ("收件", "已揽收", "未揽收"),
             ("转运", "运输中"), ("运输", "运输中"), ("到达", "运输中"), ("发往", "运输中"),
             ("离开", "运输中"), ("在途", "运输中")))

_CUSTOMER_SAYS = _choice(("已收到", "未收到", "不撤销"), {
    "已收货": "已收到", "收到了": "已收到", "收到": "已收到", "已经收到": "已收到", "实际已签收": "已收到",
    "没收到": "未收到", "没有收到": "未收到", "未收货": "未收到", "没收到货": "未收到", "实际未签收": "未收到",
    "拒绝撤销": "不撤销", "不肯撤销": "不撤销", "坚持不撤销": "不撤销", "不撤": "不撤销",
    "买家已收到货": "已收到", "买家未收到货": "未收到",
}, keywords=(("不撤", "不撤销"), ("未收", "未收到"), ("没收", "未收到"), ("没有收", "未收到"),
             ("收到", "已收到", "未收到")))

_COURIER_CHECK = _choice(("已签收", "丢件"), {
    "签收": "已签收", "本人签收": "已签收", "已妥投": "已签收", "妥投": "已签收", "他人代收": "已签收",
    "丢失": "丢件", "遗失": "丢件", "快递丢失": "丢件",
}, keywords=(("丢", "丢件"), ("签收", "已签收"), ("妥投", "已签收"), ("代收", "已签收")))

_INTERCEPT = _choice(("未拦截", "拦截中", "拦截成功", "拦截失败"), {
    "无": "未拦截", "未发起": "未拦截", "不拦截": "未拦截", "否": "未拦截",
    "已发起拦截": "拦截中", "拦截已发起": "拦截中", "已拦截待确认": "拦截中", "拦截处理中": "拦截中",
    "已申请拦截": "拦截中", "申请拦截": "拦截中", "已发起": "拦截中",
    # 已拦截 says the interception was placed, not that it worked: checked, not refunded on.
    "已拦截": "拦截中",
    "快递已退回": "拦截成功", "已退回": "拦截成功", "拦截退回": "拦截成功",
    "成功": "拦截成功", "失败": "拦截失败",
}, keywords=(("失败", "拦截失败", None), ("成功", "拦截成功", "拦截失败"), ("退回", "拦截成功", None),
             ("拦截中", "拦截中", None), ("拦截", "拦截中", "未拦截")))

_RETURN = _choice(("未寄回", "已揽收", "运输中", "已签收"), {
    "未退回": "未寄回", "未寄出": "未寄回", "待寄回": "未寄回", "待退回": "未寄回", "无": "未寄回",
    "未揽收": "未寄回", "待揽收": "未寄回", "买家未退货": "未寄回",
    "已寄出": "已揽收", "已揽件": "已揽收", "揽收": "已揽收", "已寄回": "运输中", "买家已退货": "已揽收",
    "在途": "运输中", "退回中": "运输中", "寄回中": "运输中", "运送中": "运输中",
    "签收": "已签收", "已入库": "已签收", "仓库已签收": "已签收", "已收货": "已签收", "仓库已收货": "已签收",
}, keywords=(("签收", "已签收"), ("入库", "已签收"), ("收货", "已签收"), ("揽", "已揽收", "未寄回"),
             ("寄出", "已揽收", "未寄回"), ("寄回", "运输中", "未寄回"), ("退回", "运输中", "未寄回"),
             ("在途", "运输中"), ("运输", "运输中"), ("寄", None, "未寄回")))

_INSPECTION = _choice(("合格", "不合格"), {
    "正常": "合格", "通过": "合格", "无问题": "合格", "完好": "合格", "验货合格": "合格",
    "异常": "不合格", "不通过": "不合格", "有问题": "不合格", "损坏": "不合格", "验货不合格": "不合格",
}, keywords=(("不合格", "不合格"), ("合格", "合格", "不合格"), ("损坏", "不合格"), ("破损", "不合格"),
             ("通过", "合格", "不合格")))

# Return reasons are free text; the words the SOP acts on are recognised
# inside longer sentences ("收到有点小瑕疵" → 小瑕疵); a negated one
# ("不是质量问题") stays free text.
_REASON = _choice(("降价", "小瑕疵", "质量问题", "描述不符", "少发漏发", "不想要", "腐烂变质"), {
    "瑕疵": "小瑕疵", "轻微瑕疵": "小瑕疵", "少发": "少发漏发", "漏发": "少发漏发", "少件": "少发漏发",
    "缺件": "少发漏发", "与描述不符": "描述不符", "实物与描述不符": "描述不符", "拍错": "不想要",
    "不喜欢": "不想要", "七天无理由": "不想要", "7天无理由": "不想要", "腐烂": "腐烂变质", "变质": "腐烂变质",
}, keywords=(("腐烂", "腐烂变质"), ("变质", "腐烂变质"), ("烂果", "腐烂变质"), ("坏果", "腐烂变质"),
             ("少发", "少发漏发"), ("漏发", "少发漏发"), ("缺件", "少发漏发"), ("少件", "少发漏发"),
             ("瑕疵", "小瑕疵"), ("质量", "质量问题"), ("不符", "描述不符"), ("降价", "降价"),
             ("差价", "降价"), ("不想要", "不想要"), ("无理由", "不想要")),
    free_text=True)

_NEGOTIATION = _choice(("未协商", "坚持退款", "拒绝补偿", "拒绝换货", "同意补偿", "同意换货"), {
    "坚持": "坚持退款", "只要退款": "坚持退款", "坚持退货退款": "坚持退款",
    "不接受补偿": "拒绝补偿", "不同意补偿": "拒绝补偿",
    "不接受换货": "拒绝换货", "不同意换货": "拒绝换货", "不换": "拒绝换货",
    "接受补偿": "同意补偿", "已补偿": "同意补偿", "接受换货": "同意换货", "同意维修": "同意换货",
    "接受维修": "同意换货", "无": "未协商", "未沟通": "未协商",
}, keywords=(("坚持", "坚持退款", None), ("拒绝换", "拒绝换货", None), ("拒绝补", "拒绝补偿", None),
             ("同意换", "同意换货", "拒绝换货"), ("同意补", "同意补偿", "拒绝补偿"),
             ("接受换", "同意换货", "拒绝换货"), ("接受补", "同意补偿", "拒绝补偿"),
             ("同意维修", "同意换货", "拒绝换货")))

# 售后状态 as desks type it and as the platforms export it (platforms.md).  A
# status not listed here and not caught by the few safe keywords is unreadable:
# the case is asked about, never taken as open.
_CASE_STATE = _choice(("处理中", "已退款", "已关闭", "已完结"), {
    "待处理": "处理中", "进行中": "处理中", "退款中": "处理中", "待审核": "处理中", "待退款": "处理中",
    "未处理": "处理中", "新建": "处理中",
    "退款成功": "已退款", "已退": "已退款", "退款完成": "已退款",
    "关闭": "已关闭", "已撤销": "已关闭", "撤销": "已关闭", "售后关闭": "已关闭", "买家撤销": "已关闭",
    "完结": "已完结", "完成": "已完结", "已完成": "已完结", "结案": "已完结",
    # Taobao / Tmall 退款状态
    "买家已经申请退款,等待卖家同意": "处理中", "卖家已经同意退款,等待买家退货": "处理中",
    "买家已经退货,等待卖家确认收货": "处理中", "卖家拒绝退款": "处理中", "退款关闭": "已关闭",
    # Pinduoduo 售后状态
    "买家申请退款,待商家处理": "处理中", "退货退款,待商家处理": "处理中",
    "商家同意退款,退款中": "已退款", "平台同意退款,退款中": "已退款",
    "驳回退款,待买家处理": "处理中", "已同意退货退款,待用户发货": "处理中", "平台处理中": "处理中",
    "平台拒绝退款,退款关闭": "已关闭", "买家逾期未处理,退款失败": "已关闭", "买家逾期,超过有效期": "已关闭",
    "已同意拒收退款,待用户拒收": "处理中", "待商家召回": "处理中",
    "未发货,退款成功": "已退款", "已发货,退款成功": "已退款", "部分退款成功": "已退款",
    "商家拒绝退款,退款关闭": "已关闭", "退货完成,待退款": "处理中",
    # 抖店 售后状态
    "待商家处理": "处理中", "发货前退款待处理": "处理中", "发货后仅退款待处理": "处理中",
    "退货待处理": "处理中", "待买家退货": "处理中", "待商家收货": "处理中",
    "同意退款,退款中": "已退款", "同意退款,退款成功": "已退款", "同意退款,退款失败": "处理中",
    "售后成功": "已退款", "换货成功": "已完结", "拒绝售后": "已关闭", "拒绝售后申请": "已关闭",
    "退货后拒绝退款": "已关闭", "仲裁中": "处理中",
    # JD 服务单状态
    "待审核领取": "处理中", "待客户反馈": "处理中", "审核关闭": "已关闭", "待收货": "处理中",
    "待用户确认": "处理中", "取消": "已关闭", "客户已反馈": "处理中",
    # 微信小店 售后单状态
    "用户取消申请": "已关闭", "商家受理中": "处理中", "商家拒绝退款": "处理中", "商家拒绝退货退款": "处理中",
    "退货退款关闭": "已关闭", "商家逾期未退款": "处理中", "退货退款完成": "已退款",
    "平台退款中": "已退款", "平台退款失败": "处理中",
    # 旺店通 process_status
    "补款": "处理中", "已取消": "已关闭", "已同意": "处理中", "已拒绝": "已关闭", "待财审": "处理中",
}, keywords=(("关闭", "已关闭", None), ("撤销", "已关闭", None), ("取消", "已关闭", None),
             ("退款成功", "已退款", None), ("退款完成", "已退款", None), ("已退款", "已退款", None),
             ("完结", "已完结", None)))


def _f(key, header, english, aliases, parse, choices=(), default=None, required=False):
    return Field(key, header, english, tuple(aliases), parse, tuple(choices), default, required)


FIELDS: tuple[Field, ...] = (
    _f("order_id", "订单号", "Order ID", ("订单编号", "主订单号", "原单号", "订单ID", "order_id"), vocab.parse_id, required=True),
    _f("case_id", "售后单号", "Case ID", ("退款单号", "退单号", "售后编号", "售后ID", "case_id"), vocab.parse_id),
    _f("applied_at", "申请时间", "Applied at", ("退款申请时间", "申请日期", "售后申请时间", "applied_at"), vocab.parse_datetime),
    _f("refund_type", "售后类型", "Refund type", ("退款类型", "退货类型", "类型", "售后方式", "refund_type"), _REFUND_TYPE[1], _REFUND_TYPE[0], required=True),
    _f("amount", "退款金额", "Amount", ("金额", "实付金额", "订单金额", "申请金额", "amount"), vocab.parse_money, required=True),
    _f("goods_kind", "商品类型", "Goods kind", ("商品性质", "goods_kind"), _GOODS_KIND[1], _GOODS_KIND[0], default="标品"),
    _f("cost_incurred", "已产生成本", "Cost incurred", ("定制成本", "是否产生成本", "cost_incurred"), _choice(*_YES_NO)[1], _YES_NO[0]),
    _f("ship_state", "发货状态", "Ship state", ("订单状态", "ship_state"), _SHIP_STATE[1], _SHIP_STATE[0], required=True),
    _f("carrier", "快递公司", "Carrier", ("物流公司", "快递", "承运商", "carrier"), vocab.parse_text),
    _f("tracking_no", "物流单号", "Tracking no.", ("快递单号", "运单号", "运单号码", "单号", "tracking_no"), vocab.parse_id),
    _f("logistics", "物流状态", "Logistics", ("物流信息", "物流情况", "物流进度", "物流", "快递状态", "物流动态", "logistics"), _LOGISTICS[1], _LOGISTICS[0]),
    _f("last_update", "物流更新时间", "Last update", ("最后更新时间", "最新物流时间", "物流最后更新", "物流更新", "物流时间", "快递更新时间", "last_update"), vocab.parse_datetime),
    _f("province", "收货省份", "Province", ("省份", "收货地址", "地址", "省", "province"), vocab.parse_province),
    _f("customer_says", "客户反馈", "Customer says", ("客户说明", "买家反馈", "客户说", "买家说", "customer_says"), _CUSTOMER_SAYS[1], _CUSTOMER_SAYS[0]),
    _f("courier_check", "快递核实", "Courier check", ("核实结果", "courier_check"), _COURIER_CHECK[1], _COURIER_CHECK[0]),
    _f("intercept", "拦截状态", "Intercept", ("拦截结果", "拦截", "拦截情况", "拦截进度", "intercept"), _INTERCEPT[1], _INTERCEPT[0], default="未拦截"),
    _f("intercept_at", "拦截时间", "Intercept at", ("拦截发起时间", "intercept_at"), vocab.parse_datetime),
    _f("return_logistics", "退货物流状态", "Return logistics", ("退货状态", "退回状态", "退货进度", "退货情况", "return_logistics"), _RETURN[1], _RETURN[0], default="未寄回"),
    _f("inspection", "验货结果", "Inspection", ("质检结果", "inspection"), _INSPECTION[1], _INSPECTION[0]),
    _f("reason", "退货原因", "Reason", ("退款原因", "售后原因", "申请原因", "reason"), _REASON[1], _REASON[0]),
    _f("negotiation", "协商进度", "Negotiation", ("协商结果", "negotiation"), _NEGOTIATION[1], _NEGOTIATION[0], default="未协商"),
    _f("return_cost", "退货运费", "Return cost", ("回寄运费", "return_cost"), vocab.parse_money),
    _f("no_ship", "禁运", "No shipping", ("不可寄回", "no_ship"), _choice(*_YES_NO)[1], _YES_NO[0], default="否"),
    _f("case_state", "售后状态", "Case state", ("处理状态", "状态", "售后单状态", "退款状态", "case_state"), _CASE_STATE[1], _CASE_STATE[0], default="处理中"),
    _f("deadline", "超时时间", "Deadline", ("处理截止时间", "平台超时时间", "deadline"), vocab.parse_datetime),
    # Read for what they imply, shown in registers, or used by courier tracking; no rule reads them directly.
    _f("return_tracking_no", "退货物流单号", "Return tracking no.", ("退货快递单号", "退回单号", "退货单号", "return_tracking_no"), vocab.parse_id),
    _f("return_carrier", "退货快递公司", "Return carrier", ("退货物流公司", "退回快递公司", "退回物流公司", "return_carrier"), vocab.parse_text),
    _f("phone", "收件人手机", "Phone", ("手机号", "手机尾号", "收货人手机", "phone"), vocab.parse_id),
    _f("goods_name", "商品名称", "Goods", ("宝贝标题", "商品标题", "goods_name"), vocab.parse_text),
    _f("platform", "平台", "Platform", ("店铺平台", "platform"), vocab.parse_text),
)

# A word in one field that also states another field (platform status texts):
# field → {folded raw word → {other field: canonical word}}.  Used only where
# the other field's own cell is empty.
IMPLIES: dict[str, dict[str, dict[str, str]]] = {
    "case_state": {
        "未发货,退款成功": {"ship_state": "未发货"}, "已发货,退款成功": {"ship_state": "已发货"},
        "发货前退款待处理": {"ship_state": "未发货"}, "发货后仅退款待处理": {"ship_state": "已发货"},
        "退货完成,待退款": {"return_logistics": "已签收"},
        "买家已经退货,等待卖家确认收货": {"return_logistics": "已揽收"},
        "待商家收货": {"return_logistics": "已揽收"},
    },
    "refund_type": {
        "已发货仅退款": {"ship_state": "已发货"}, "已发货退款": {"ship_state": "已发货"},
        "仅退款(已发货)": {"ship_state": "已发货"}, "拦截退货": {"ship_state": "已发货"},
        "未发货仅退款": {"ship_state": "未发货"}, "未发货退款": {"ship_state": "未发货"},
        "仅退款(未发货)": {"ship_state": "未发货"}, "售前退款": {"ship_state": "未发货"},
    },
    "customer_says": {"买家已退货": {"return_logistics": "已揽收"}},
    # an order status of 已签收 in the 发货状态/订单状态 column says where the parcel is
    "ship_state": {"已签收": {"logistics": "已签收"}, "已收货": {"logistics": "已签收"},
                   "交易成功": {"logistics": "已签收"}},
}

FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}

_CANONICAL: dict[str, str] = {}
_BUILTIN: dict[str, str] = {}
for _fld in FIELDS:
    for _name in (_fld.header, _fld.english, _fld.key):
        _CANONICAL[vocab.fold(_name).lower()] = _fld.key
    for _name in _fld.aliases:
        _BUILTIN.setdefault(vocab.fold(_name).lower(), _fld.key)

# How a header was matched to its field, strongest first (contract §2 "Column precedence").
TIER_NAMES = {0: "列名映射", 1: "标准表头", 2: "平台预设", 3: "内置别名"}


@dataclass(frozen=True)
class Mappings:
    """A team's own reading tables: 列名映射 (header → field) and 值映射 (field → word → canonical)."""

    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.columns or self.values)


def as_mappings(value: object) -> Mappings:
    """A Mappings, a plain 列名映射 dict, or nothing → Mappings."""
    if isinstance(value, Mappings):
        return value
    return Mappings(dict(value or {}), {})


@dataclass(frozen=True)
class ColumnMap:
    """Where each field sits in the header row, and how the header row was read.

    ``index``: field key → column; ``unknown``: headers no field took;
    ``sources``: field key → (header as written, tier); ``conflicts``: field
    key → the other headers that claimed it at the same tier; ``preset``: the
    platform export recognised; ``mappings``: the team's tables used.
    """

    index: Mapping[str, int]
    unknown: tuple[str, ...] = ()
    sources: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    conflicts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    preset: object = None
    mappings: Mappings = field(default_factory=Mappings)
    headers: tuple[str, ...] = ()

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def header_of(self, key: str) -> str:
        return FIELD_BY_KEY[key].header

    def column_of(self, header: str) -> int | None:
        """The index of a header as written (folded match), or None."""
        want = _header_text(header)
        for i, h in enumerate(self.headers):
            if _header_text(h) == want:
                return i
        return None


_UNIT = re.compile(r"\((?:元|¥|rmb|人民币)\)$")


def _header_text(value: object) -> str:
    """A header as matched: folded, lower-case, a unit suffix such as （元） dropped."""
    if value is None:
        return ""
    return _UNIT.sub("", vocab.fold(str(value)).lower())


def resolve(headers: Iterable[object], extra_aliases: object = None,
            require: Iterable[str] = ()) -> ColumnMap:
    """Find each field's column (contract §2 "Column precedence").

    A header named in the team's 列名映射 (``extra_aliases``: a dict or
    :class:`Mappings`) wins, then a canonical header, then the recognised
    platform export's own headers, then a built-in alias.  Two columns claiming
    one field at the same strength are recorded in ``conflicts`` (the first is
    used and the reading report says so).  ``require`` lists field keys whose
    absence raises :class:`ColumnsError`.
    """
    from refund_xl._core import presets

    maps = as_mappings(extra_aliases)
    user = {vocab.fold(str(name)).lower(): key for name, key in maps.columns.items()}
    headers = list(headers)
    preset = presets.detect(headers)
    preset_map = preset.folded_headers() if preset else {}
    best: dict[str, tuple[int, int]] = {}  # key → (tier, column)
    sources: dict[str, tuple[str, int]] = {}
    conflicts: dict[str, list[str]] = {}
    unknown = []
    for i, raw in enumerate(headers):
        name = _header_text(raw)
        if not name:
            continue
        if name in user:
            key, tier = user[name], 0
        elif name in _CANONICAL:
            key, tier = _CANONICAL[name], 1
        elif name in preset_map:
            key, tier = preset_map[name], 2
        elif name in _BUILTIN:
            key, tier = _BUILTIN[name], 3
        else:
            key, tier = None, None
        if key is None:
            unknown.append(str(raw).strip())
            continue
        held = best.get(key)
        if held is None or tier < held[0]:
            if held is not None:
                unknown.append(str(headers[held[1]]).strip())
            best[key] = (tier, i)
            sources[key] = (str(raw).strip(), tier)
        else:
            if tier == held[0]:
                conflicts.setdefault(key, []).append(str(raw).strip())
            unknown.append(str(raw).strip())
    index = {k: col for k, (tier, col) in best.items()}
    missing = [FIELD_BY_KEY[k].header for k in require if k not in index]
    if missing:
        raise ColumnsError("找不到必需的列：" + "、".join(missing) + "（可在「列名映射」表里把你的表头对应到这些字段）")
    return ColumnMap(index, tuple(unknown), sources, {k: tuple(v) for k, v in conflicts.items()},
                     preset, maps, tuple("" if h is None else str(h) for h in headers))


def _field_key(text: object) -> str | None:
    name = vocab.fold(str(text))
    for f in FIELDS:
        if name in (vocab.fold(f.header), f.key) or name.lower() == f.key:
            return f.key
    return None


def parse_mapping_table(rows: Iterable[Iterable[object]]) -> dict[str, str]:
    """A 列名映射 table (表头 → 字段 key or canonical header) as a dict.

    A header row is allowed; rows naming an unknown field raise
    :class:`ColumnsError` naming the row, so a typo is not silently ignored.
    """
    mapping: dict[str, str] = {}
    for n, row in enumerate(rows, start=1):
        cells = [c for c in row][:2]
        if len(cells) < 2 or cells[0] in (None, "") or cells[1] in (None, ""):
            continue
        header = str(cells[0]).strip()
        key = _field_key(cells[1])
        if key is None:
            if n == 1:  # a header row such as 表头 | 字段
                continue
            raise ColumnsError(f"列名映射第{n}行：「{cells[1]}」不是已知字段（应为字段 key 或标准表头，如 order_id / 订单号）")
        mapping[header] = key
    return mapping


def parse_value_table(rows: Iterable[Iterable[object]] | None) -> dict[str, dict[str, str]]:
    """A 值映射 table (字段 | 原值 | 标准值) → {field key: {folded word: canonical word}}.

    The field is a key or canonical header; the 标准值 must be one of the
    field's words (for an enumerated field).  A header row is allowed; a bad
    row raises :class:`ColumnsError` naming it.
    """
    out: dict[str, dict[str, str]] = {}
    for n, row in enumerate(rows or (), start=1):
        cells = (list(row) + [None, None, None])[:3]
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        key = _field_key(cells[0]) if cells[0] not in (None, "") else None
        if key is None:
            if n == 1:
                continue
            raise ColumnsError(f"值映射第{n}行：「{cells[0]}」不是已知字段（应为标准表头或字段 key，如 售后状态 / case_state）")
        if cells[1] in (None, "") or cells[2] in (None, ""):
            raise ColumnsError(f"值映射第{n}行：原值和标准值都要填")
        fld = FIELD_BY_KEY[key]
        target = vocab.fold(str(cells[2]))
        if fld.choices:
            canon = {vocab.fold(c): c for c in fld.choices}
            if target not in canon:
                raise ColumnsError(f"值映射第{n}行：「{cells[2]}」不是「{fld.header}」的标准值（可选：{'、'.join(fld.choices)}）")
            target = canon[target]
        out.setdefault(key, {})[vocab.fold(str(cells[1]))] = target
    return out


def book_mappings(sheets: Mapping[str, Sequence[Sequence[object]]], given: object = None) -> Mappings:
    """A workbook's own 列名映射 and 值映射 sheets (``sheets``: name → rows), where ``given`` has
    none of that table: the one way every host reads a team's reading tables."""
    given = as_mappings(given)
    columns = given.columns or (parse_mapping_table(sheets[MAPPING_SHEET]) if MAPPING_SHEET in sheets else {})
    values = given.values or (parse_value_table(sheets[VALUES_SHEET]) if VALUES_SHEET in sheets else {})
    return Mappings(dict(columns), dict(values))


def _merged_down(upper: Sequence[object], lower: Sequence[object]) -> list[object]:
    """Two header rows as one: the lower row's names, its gaps filled from the row above.

    A header cell merged down over both rows (订单号 over 订单号/—) keeps its
    value in the upper cell only, so the lower row has a gap there.
    """
    width = max(len(upper), len(lower))
    out = []
    for c in range(width):
        low = lower[c] if c < len(lower) else None
        if low is None or (isinstance(low, str) and not low.strip()):
            low = upper[c] if c < len(upper) else None
        out.append(low)
    return out


def header_at(rows: Sequence[Sequence[object]], aliases=None, scan: int = 10) -> tuple[int, list[object]] | None:
    """(index of the last header row, header names) of a tracking table, or None.

    The header row is the first (among the first ``scan``) naming 订单号 and
    售后类型; title rows above it are skipped.  Two header rows (group titles
    merged across, some names merged down over both rows) are read as one
    when together they name more fields than either row alone.
    """
    top = list(rows[:scan])
    resolved = [resolve(row, aliases) for row in top]
    for i, here in enumerate(resolved):
        if i + 1 < len(top):
            both_names = _merged_down(top[i], top[i + 1])
            both = resolve(both_names, aliases)
            if ("order_id" in both and "refund_type" in both
                    and len(both.index) > max(len(here.index), len(resolved[i + 1].index))):
                return i + 1, both_names
        if "order_id" in here and "refund_type" in here:
            return i, list(top[i])
    return None


def find_header_row(rows: Sequence[Sequence[object]], aliases=None, scan: int = 10) -> int | None:
    """Index of the (last) header row among the first ``scan``; see :func:`header_at`."""
    found = header_at(rows, aliases, scan)
    return None if found is None else found[0]

def split_table(rows: Sequence[Sequence[object]], aliases=None) -> tuple[int, list[object], list]:
    """(index of the header row, header names, the rows below it) or None.

    Trailing blank rows (a used range that reaches past the data) are dropped.
    """
    found = header_at(rows, aliases)
    if found is None:
        return None
    at, headers = found
    body = list(rows[at + 1:])
    while body and all(c is None or (isinstance(c, str) and not c.strip()) for c in body[-1]):
        body.pop()
    return at, headers, body


def no_table_message(where: str = "") -> str:
    """What to say when no sheet holds a tracking table (``where``: the file or sheet)."""
    place = f"{where} 中" if where else ""
    return f"{place}找不到售后登记表：需要「订单号」和「售后类型」两列（或在「列名映射」中对应）"
