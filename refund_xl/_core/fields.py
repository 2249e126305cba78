"""The tracking sheet's fields (contract §2) and finding them by header name.

A team's sheet has its own headers in its own order.  Each field has a
canonical Chinese header, built-in aliases, and may get more from the user's
``列名映射`` table.  :func:`resolve` turns a header row into a
:class:`ColumnMap` (field key → column index).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Mapping, NamedTuple, Sequence

from refund_xl._core import phrases, presets, vocab, wordbook
from refund_xl._core.errors import ColumnsError
from refund_xl._core.ranges import merged_of

__all__ = ["Field", "FIELDS", "FIELD_BY_KEY", "ColumnMap", "resolve", "parse_mapping_table",
           "parse_value_table", "Mappings", "as_mappings", "book_mappings", "IMPLIES",
           "TRACKING_SHEET", "MAPPING_SHEET", "VALUES_SHEET", "header_at", "HeaderRow", "field_keys", "split_table", "Table",
           "no_table_message", "header_hint", "header_scan", "fill_merged", "NO_TABLE", "HEADER_SCAN", "HEADER_SCAN_FAR"]

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


def _words(key: str):
    """(canonical words, parse function) of an enumerated field (:mod:`refund_xl._core.wordbook`)."""
    book = wordbook.WORDS[key]
    return book.canonical, wordbook.reader(book)


def _f(key, header, english, aliases, parse, choices=(), default=None, required=False):
    # (the generated families may repeat a listed alias or the header itself: each once, the header not among them)
    return Field(key, header, english, tuple(a for a in dict.fromkeys(aliases) if a != header), parse, tuple(choices),
                 default, required)


# When the parcel last moved, as desks head it: 最后/最新/最近/末次 + 更新时间/跟踪时间/更新 (末次更新).
_LAST_MOVED = tuple(last + what for last in ("最后", "最新", "最近", "末次") for what in ("更新时间", "跟踪时间", "更新"))
# The parcel (物流, 快递, 包裹) with "latest" or "now" before or after it, then its state (最新快递状态, 物流当前状态); when it
# last moved (包裹更新时间, 快递最新时间)
_PARCEL = ("物流", "快递", "包裹")
_PARCEL_NOW = tuple(dict.fromkeys(form for now in ("最新", "当前", "最近") for parcel in _PARCEL
                                  for form in (now + parcel + "状态", parcel + now + "状态")))
_PARCEL_MOVED = tuple(parcel + when for parcel in _PARCEL for when in ("更新时间", "最新时间", "最后更新时间", "最近更新时间"))
# The parcel's trace as desks head it: the parcel (物流, 快递, 包裹, 运单, 发货物流) and its trace, record or news
# (快递轨迹, 包裹跟踪, 运单动态, 发货物流信息: what the courier last said; a carrier and number before it are read
# past).  包裹信息 and 包裹详情 may be its size or weight, 配送信息 where it goes: not listed.
_PARCEL_TRACE = tuple(dict.fromkeys(parcel + what for parcel in (*_PARCEL, "运单", "发货物流", "发货快递")
                                    for what in ("轨迹", "跟踪", "追踪", "记录", "动态", "详情", "信息", "现状",
                                                 "最新状态", "最新信息", "最新动态")
                                    if parcel + what not in ("包裹信息", "包裹详情")))
# The return parcel's trace, headed as the outbound one with the return's word before it (退货快递轨迹, 寄回动态,
# 回寄物流信息); not its carrier (退货快递 alone is).  The return's word alone before 信息 or 详情 (退货信息) may head
# the shop's return address: not listed.
# A column that says whether the goods are made to order or bought for the buyer (定制/代购: the same branch of the SOP)
_CUSTOM_OR_PROXY = ("定制", "代购", "定制或代购", "定制代购", "是否定制或代购")
# Work on made-to-order goods started: a cost made (是否开工「是」, 开工情况「已开工」)
_WORK_STARTED = ("是否开工", "是否已开工", "开工情况", "是否生产", "生产情况", "生产进度")
# The warehouse signing for the return, as a mark or a word (仓库签收「√」「已收」); its time is 退货签收时间
_WAREHOUSE_SIGNED = ("仓库签收", "仓库收货", "退货签收", "仓库签收情况", "入库情况", "到仓情况", "退货入库情况")
# A desk's questions whether the case is refunded, done or closed (QUESTION_HEADERS says how each answer reads).
_CASE_QUESTIONS = ("是否退款", "是否已退款", "是否退完", "退款与否", "是否完结", "是否已完结", "是否关闭", "是否已关闭")
# A desk's question whether the warehouse has the return (是: 退货物流状态 已签收).
_WAREHOUSE_GOT = ("是否入库", "是否已入库", "仓库是否收到", "仓库是否收货", "仓库是否签收", "退货是否签收", "是否到仓")
# The desk's record that the goods stay with the buyer (是: the SOP's 方案四, refund without the return), as 禁运 是
# says for goods that cannot travel: the same fact for rule 22.
_NO_RETURN_NEEDED = tuple(a + b for a in ("无需", "不用", "不需", "不需要", "免") for b in ("寄回", "退回", "退货"))
_RETURN_TRACE = tuple(dict.fromkeys(ret + parcel + what for ret in ("退货", "退回", "寄回", "回寄", "退件", "买家退货")
                                    for parcel in ("", "物流", "快递")
                                    for what in ("轨迹", "跟踪", "追踪", "记录", "动态", "信息", "详情", "进度", "情况",
                                                 "状态", "现状", "最新状态", "最新动态")
                                    if parcel or what not in ("信息", "详情")))
# The return's carrier and waybill, headed as the outbound ones with the return's word before (退货承运商, 寄回物流公司,
# 退单运单号, 买家退回快递单号).  (退单号 alone is the refund's own number, 售后单号: no waybill noun there.)
_RETURN_BY = ("退货", "退回", "寄回", "回寄", "退件", "退单", "买家退货", "买家寄回", "买家退回")
_RETURN_CARRIER = tuple(ret + noun for ret in _RETURN_BY
                        for noun in ("快递", "快递公司", "物流公司", "承运商", "承运公司", "承运快递", "配送公司", "物流商", "快递商"))
_RETURN_WAYBILL = tuple(ret + noun for ret in _RETURN_BY
                        for noun in ("快递单号", "物流单号", "运单号", "运单号码", "快递单号码", "物流单号码", "面单号", "运单编号",
                                     "物流编号", "快递编号", "快递运单号", "物流运单号"))
# When the case was opened, as ERPs head it (发起售后时间, 售后单创建时间, 退款单申请时间)
_CASE_OPENED = tuple(dict.fromkeys(
    [verb + case + "时间" for verb in ("发起", "申请") for case in ("售后", "退款")]
    + [case + "单" + verb + "时间" for case in ("售后", "退款") for verb in ("创建", "申请", "发起")]))
# What the buyer says, as desks head it: the buyer (phrases.BUYERS: 客户, 买家, 顾客, 用户, 消费者) and what they said
# (用户反馈, 消费者回复, 买家说法).  留言 is left out: a buyer's message may be the reason asked for, not a fact.
_BUYER_SAYS = tuple(who + said for who in phrases.BUYERS
                    for said in ("反馈", "说", "说法", "描述", "回复", "回应", "反馈内容", "反馈情况"))
# A cost already made (已产生成本, 是否已发生成本, 有无产生成本)
_COST_MADE = tuple(pre + verb + "成本" for verb in ("产生", "发生") for pre in ("", "已", "是否", "是否已", "有无", "有没有"))
FIELDS: tuple[Field, ...] = (
    _f("order_id", "订单号", "Order ID", ("订单编号", "主订单号", "原单号", "原订单号", "原始单号", "平台订单号", "订单ID", "订单号码", "子订单号", "子订单编号", "交易订单号", "交易单号", "线上订单号", "网店订单号", "外部订单号", "平台单号", "原始订单号", "父订单号", "线上单号", "线上订单编号", "外部平台单号", "网店单号", "平台订单编号", "order_no", "order no", "order no.", "order number", "order_id"), vocab.parse_id, required=True),
    _f("case_id", "售后单号", "Case ID", ("退款单号", "退单号", "退款编号", "售后编号", "售后ID", "服务单号", "退换单号", "工单号", "退款ID", "退款单ID", "售后服务单号", "售后单ID", "售后申请单号", "退款申请单号", "售后工单号", "退换货单号", "退货退款单号", "case_id"), vocab.parse_id),
    _f("applied_at", "申请时间", "Applied at", ("退款申请时间", "申请日期", "售后申请时间", "买家申请时间", "售后创建时间", "退款创建时间", "售后发起时间", "退款发起时间", "申请退款时间", "退款申请日期", "申请售后时间", *_CASE_OPENED, "applied_at"), vocab.parse_datetime),
    _f("refund_type", "售后类型", "Refund type", ("退款类型", "退货类型", "类型", "售后方式", "申请类型", "售后服务类型", "服务类型", "退款类别", "售后类别", "售后服务方式", "申请售后类型", "退款退货类型", "退换类型", "退换货类型", "是否需要退货", "是否需退货", "需要退货", "客户期望", "买家期望", "refund_type"), _words("refund_type")[1], _words("refund_type")[0], required=True),
    _f("amount", "退款金额", "Amount", ("申请退款金额", "买家退款金额", "实退金额", "实退", "实退款", "实退款金额", "应退金额", "实际退款金额", "退款额", "申请金额", "金额", "实付金额",
        "订单金额", "买家申请退款金额", "应退款金额", "退商品金额", "买家实付", "买家实付金额", "实付款", "付款金额", "支付金额",
        "售后金额", "退款总额", "退款总金额", "商品金额", "refund amount", "refund_amount", "amount"), vocab.parse_money, required=True),
    _f("goods_kind", "商品类型", "Goods kind", ("商品性质", "是否定制", "是否定制品", "是否定制商品", "是否定做", "是否代购", *_CUSTOM_OR_PROXY, "goods_kind"), _words("goods_kind")[1], _words("goods_kind")[0], default="标品"),
    _f("cost_incurred", "已产生成本", "Cost incurred", ("定制成本", *_COST_MADE, "是否有成本", "是否已生产", "已生产", *_WORK_STARTED, "cost_incurred"), _words("cost_incurred")[1], _words("cost_incurred")[0]),
    _f("ship_state", "发货状态", "Ship state", ("订单状态", "发货情况", "是否发货", "是否已发货", "是否出库", "是否已出库", "订单发货状态", "物流发货状态", "商品发货状态", "原单发货状态", "原订单发货状态", "发货", "ship_state"), _words("ship_state")[1], _words("ship_state")[0], required=True),
    _f("carrier", "快递公司", "Carrier", ("物流公司", "快递", "承运商", "快递名称", "配送公司", "物流商", "快递商", "快递公司名称", "物流公司名称", "发货快递", "发货快递公司", "发货物流公司", "承运公司", "承运快递", "原单物流公司", "原单快递公司", "原快递公司", "原物流公司", "carrier"), vocab.parse_text),
    _f("tracking_no", "物流单号", "Tracking no.", ("快递单号", "运单号", "运单号码", "单号", "原单物流单号", "原单快递单号", "原快递单号", "原物流单号", "原运单号", "原单运单号", "发货物流单号", "发货快递单号", "发货单号", "发货运单号", "快递单号码", "物流单号码", "快递单号(发货)", "物流单号(发货)", "运单编号", "快递单", "运单", "物流号", "快递号", "物流编号", "快递编号", "物流运单号", "快递运单号", "快递面单号", "tracking number", "tracking_number", "waybill no", "waybill no.", "waybill_no", "tracking_no"), vocab.parse_id),
    _f("logistics", "物流状态", "Logistics", ("最新物流状态", "物流最新状态", "物流最新信息", "快递最新信息", "物流最新进度", "物流最新动态", "当前物流", "当前物流状态", "物流现状", "快递最新状态", "最近物流", "物流信息", "物流情况", "物流进度", "物流", "快递状态", "运单状态", "快递信息", "物流动态", "发货物流状态", "包裹状态", "快递进度", "物流详情", "最新物流", "物流轨迹", "最新轨迹", "物流明细", "最新物流信息", "包裹物流状态", "快递物流状态", "订单物流状态", "运输状态", "配送状态", "派送状态", "签收状态", "物流签收状态", "是否签收", "是否已签收", *_PARCEL_NOW, *_PARCEL_TRACE, "logistics"), _words("logistics")[1], _words("logistics")[0]),
    _f("last_update", "物流更新时间", "Last update", ("最新动态时间", "物流动态时间", "更新时间(物流)", "最后更新", "最新物流时间", "物流最后更新", "物流更新", "物流时间", "快递更新时间", "最新轨迹时间", "轨迹时间", "最后物流时间", "轨迹更新时间", "物流最新时间", "物流最后更新时间", "最近更新", "最近物流时间", "物流最近更新时间", "物流最后时间", "快递最后时间", "快递最后更新", *_LAST_MOVED, *_PARCEL_MOVED, "last_update"), vocab.parse_datetime),
    _f("province", "收货省份", "Province", ("省份", "收货地址", "地址", "省", "收件地址", "收货人地址", "收件人地址", "收件省份", "详细地址", "收货地区", "所在地区", "收件地区", "收货省", "收件省", "收件人省", "收货人省", "省市区", "收货省市区", "收件省市区", "收货人所在地", "收件人所在地", "收货人省份", "收件人省份", "地区", "province"), vocab.parse_province),
    _f("customer_says", "客户反馈", "Customer says", ("客户说明", "是否收到货", "是否已收到货", "是否收货", *_BUYER_SAYS, "customer_says"), _words("customer_says")[1], _words("customer_says")[0]),
    _f("courier_check", "快递核实", "Courier check", ("核实结果", "快递核实结果", "快递反馈", "物流核实", "快递核实情况", "快递回复", "快递员反馈", "快递查件结果", "查件结果", "网点反馈", "网点回复", "快递员回复", "快递网点反馈", "物流核查结果", "网点核实", "网点核实结果", "快递说法", "快递员说法", "courier_check"), _words("courier_check")[1], _words("courier_check")[0]),
    _f("intercept", "拦截状态", "Intercept", ("拦截状况", "拦截结果", "拦截", "拦截情况", "拦截进度", "是否拦截", "是否已拦截", "快递拦截状态", "物流拦截状态", "拦截处理结果", "是否拦截成功", "拦截是否成功", "是否已拦截成功",
       "拦截成功与否", "intercept"), _words("intercept")[1], _words("intercept")[0], default="未拦截"),
    _f("intercept_at", "拦截时间", "Intercept at", ("拦截发起时间", "拦截申请时间", "发起拦截时间", "申请拦截时间", "拦截日期", "拦截操作时间", "intercept_at"), vocab.parse_datetime),
    _f("return_logistics", "退货物流状态", "Return logistics", ("退货物流信息", "是否寄回", "是否已寄回", "退货状态", "退回状态", "退货进度", "退货情况", "退单物流状态", "退回物流状态", "退货物流进度", "退货快递状态", "退货物流", "退回物流", "退货轨迹", "退货物流轨迹", "寄回状态", "寄回物流状态", "退件状态", "买家退货物流状态", "退货入库状态", "退件入库状态", *_WAREHOUSE_GOT, *_WAREHOUSE_SIGNED, *_RETURN_TRACE, "return_logistics"), _words("return_logistics")[1], _words("return_logistics")[0], default="未寄回"),
    _f("inspection", "验货结果", "Inspection", ("质检结果", "验货是否合格", "质检是否合格", "是否合格", "验货", "验收结果", "检验结果", "仓库验货", "验货情况", "质检", "入库验货", "验货状态", "仓库验收", "验收情况", "质检情况", "入库质检", "仓库质检结果", "收货验货结果", "检测结果", "入库检验", "检验情况", "质检状态", "inspection"), _words("inspection")[1], _words("inspection")[0]),
    _f("reason", "退货原因", "Reason", ("退款原因", "售后原因", "申请原因", "问题原因", "原因", "退货退款原因", "退换原因", "退换货原因", "退款理由", "退货理由", "申请理由", "售后理由", "退款说明", "退货说明", "售后说明", "问题描述", "原因说明", "买家申请原因", "reason"), _words("reason")[1], _words("reason")[0]),
    _f("negotiation", "协商进度", "Negotiation", ("协商结果", "是否同意补偿", "协商情况", "协商", "沟通结果", "沟通进度", "沟通情况", "协商记录", "沟通记录", "协商沟通", "协商状态", "沟通状态", "协商方案", "协商处理结果", "negotiation"), _words("negotiation")[1], _words("negotiation")[0], default="未协商"),
    _f("return_cost", "退货运费", "Return cost", ("回寄运费", "寄回运费", "退回运费", "退货邮费", "寄回邮费", "退回邮费", "退货快递费", "退货运费金额", "return_cost"), vocab.parse_money),
    _f("no_ship", "禁运", "No shipping", ("不可寄回", "无法寄回", "不能寄回", *_NO_RETURN_NEEDED, "是否禁运", "禁运品", "禁寄", "是否禁寄", "退货禁运", "禁止寄回", "是否可寄回", "能否寄回", "可否寄回", "no_ship"), _words("no_ship")[1], _words("no_ship")[0], default="否"),
    _f("case_state", "售后状态", "Case state", ("售后处理状态", "售后处理", "退款处理状态", "处理状态", "状态", "售后单状态", "退款状态", "售后进度", "处理进度", "退款进度", "服务单状态", "退款单状态", "售后处理进度", "工单状态", *_CASE_QUESTIONS, "case_state"), _words("case_state")[1], _words("case_state")[0], default="处理中"),
    _f("deadline", "超时时间", "Deadline", ("处理截止", "超时截止", "截止", "截止日", "时限", "售后截止时间", "最晚处理时间", "处理截止时间", "平台超时时间", "截止时间", "到期时间", "超时截止时间", "处理时限", "处理期限", "平台时限", "平台处理时限", "售后时限", "退款时限", "截止日期", "超时日期", "自动处理截止时间", "自动退款时间", "系统自动退款时间", "超时时间点", "平台截止时间", "售后超时时间", "退款超时时间", "商家处理截止时间", "逾期时间", "自动同意时间", "退款截止时间", "售后处理截止时间", "deadline"),
       vocab.parse_deadline),
    # Read for what they imply, shown in registers, or used by courier tracking; no rule reads them directly.
    # The times written down say what happened (rules.TIME_SAYS).  A ship time: the goods left — 已发货 where 发货状态
    # says nothing, a parcel beside 未发货.
    _f("shipped_at", "发货时间", "Shipped at", ("发货日期", "实际发货时间", "卖家发货时间", "商家发货时间", "出库时间",
       "出库日期", "shipped_at"), vocab.parse_datetime),
    # (a signing time written down: the parcel was signed for, whatever a 物流状态 left at 运输中 says)
    _f("signed_at", "签收时间", "Signed at", ("签收日期", "买家签收时间", "客户签收时间", "快递签收时间", "包裹签收时间",
       "收件人签收时间", "signed_at"), vocab.parse_datetime),
    # (the return signed for at the shop or its warehouse: it arrived, whatever a 退货物流状态 left behind says)
    _f("return_signed_at", "退货签收时间", "Return signed at", ("仓库签收时间", "退货入库时间", "入库时间", "仓库收货时间",
       "退货到货时间", "退回签收时间", "退件签收时间", "商家签收时间", "商家收货时间", "卖家签收时间", "卖家收货时间",
       "return_signed_at"), vocab.parse_datetime),
    # (a refund time written down: the case was refunded, whatever a 售后状态 left at 处理中 says.  退款时间 and 退款日期
    # alone are not read: some desks log the buyer's request under them; 退款完结时间 and 售后关闭时间 end closed cases too)
    _f("refunded_at", "退款完成时间", "Refunded at", ("退款成功时间", "实际退款时间", "退款到账时间", "商家退款时间", "打款时间",
       "退款打款时间", "已退款时间", "退款完成日期", "用户到账时间", "买家到账时间", "refunded_at"), vocab.parse_datetime),
    _f("return_tracking_no", "退货物流单号", "Return tracking no.", ("买家寄回单号", "寄回快递单号", "退回快递单号", "退货快递单号", "退回单号", "退货单号", "退单物流单号", "退单快递单号", "退回物流单号", "退货运单号", "买家退货单号", "寄回单号", "寄回运单号", "买家退货物流单号", "退回运单号", "寄回物流单号", "退件单号", "退货面单号", *_RETURN_WAYBILL, "return_tracking_no"), vocab.parse_id),
    _f("return_carrier", "退货快递公司", "Return carrier", ("退回快递", "买家退货快递", "退货物流公司", "退回快递公司", "退回物流公司", "退货快递", "退件快递", "寄回快递", "寄回快递公司", "退件快递公司", "退单快递公司", "退单物流公司", *_RETURN_CARRIER, "return_carrier"), vocab.parse_text),
    _f("phone", "收件人手机", "Phone", ("手机号", "手机尾号", "收货人手机", "手机", "收件人电话", "收货人电话", "收件人手机号", "收货人手机号", "手机号码", "收件电话", "收货电话", "联系电话", "联系手机", "联系方式", "收货人联系电话", "收件人联系电话", "收货人联系方式", "收件人联系方式", "电话", "phone"), vocab.parse_phone),
    _f("goods_name", "商品名称", "Goods", ("宝贝标题", "商品标题", "宝贝名称", "货品名称", "商品", "品名", "商品名", "产品名称", "goods_name"), vocab.parse_text),
    _f("platform", "平台", "Platform", ("店铺平台", "来源平台", "platform"), vocab.parse_text),
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
        "发货前退款": {"ship_state": "未发货"}, "发货前仅退款": {"ship_state": "未发货"},
    },
    "customer_says": {"买家已退货": {"return_logistics": "已揽收"}},
    # an order status of 已签收 in the 发货状态/订单状态 column says where the parcel is
    "ship_state": {"已签收": {"logistics": "已签收"}, "已收货": {"logistics": "已签收"},
                   "交易成功": {"logistics": "已签收"}, "交易完成": {"logistics": "已签收"}},
}

FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}

_CANONICAL: dict[str, str] = {}
_BUILTIN: dict[str, str] = {}
# The canonical header itself (售后类型), stronger than the field's English name or key (Refund Type, refund_type)
# beside it: a column of each is no tie settled by position.
_OWN_HEADER: frozenset[str] = frozenset(vocab.fold(f.header).lower() for f in FIELDS)
for _fld in FIELDS:
    for _name in (_fld.header, _fld.english, _fld.key):
        _CANONICAL[vocab.fold(_name).lower()] = _fld.key
    for _name in _fld.aliases:
        _BUILTIN.setdefault(vocab.fold(_name).lower(), _fld.key)

# Headers that ask a yes/no question about a field (是否发货): 是 / 否 in their cells, read as the field's
# words (是否拦截「是」 says not whether it worked: unreadable).
QUESTION_HEADERS: dict[str, dict[str, str]] = {
    "是否发货": wordbook.yes_no("已发货", "未发货"), "是否已发货": wordbook.yes_no("已发货", "未发货"),
    "是否定制": wordbook.yes_no("定制", "标品"), "是否拦截": wordbook.yes_no(None, "未拦截"),
    "是否已拦截": wordbook.yes_no(None, "未拦截"),
    "是否定制品": wordbook.yes_no("定制", "标品"), "是否定制商品": wordbook.yes_no("定制", "标品"),
    "是否出库": wordbook.yes_no("已发货", "未发货"), "是否已出库": wordbook.yes_no("已发货", "未发货"), "是否定做": wordbook.yes_no("定制", "标品"),
    "是否代购": wordbook.yes_no("代购", "标品"),
    # (定制/代购: either is the same branch of the SOP — 是 is one of them, 否 a standard item)
    **{q: wordbook.yes_no("代购" if q == "代购" else "定制", "标品") for q in _CUSTOM_OR_PROXY},
    # work on the goods started: a cost made (否: not started — no cost yet)
    **{q: wordbook.yes_no("是", "否") for q in _WORK_STARTED if q.startswith("是否")},
    # the warehouse signing for the return: 是 / √ it did; 否 — not sent yet, or on its way: the cell does not say
    **{q: wordbook.yes_no("已签收", None) for q in _WAREHOUSE_SIGNED},
    # (千牛's 是否需要退货: 是 a 退货退款, 否 a 仅退款)
    "是否需要退货": wordbook.yes_no("退货退款", "仅退款"), "是否需退货": wordbook.yes_no("退货退款", "仅退款"),
    "需要退货": wordbook.yes_no("退货退款", "仅退款"),
    # asked the other way round: 是 (it can be sent back) is no 禁运
    "是否可寄回": wordbook.yes_no("否", "是"), "能否寄回": wordbook.yes_no("否", "是"),
    "可否寄回": wordbook.yes_no("否", "是"),
    # the parcel signed for: 否 says only that it is not (yet) — where it is, the cell does not say
    "是否签收": wordbook.yes_no("已签收", None), "是否已签收": wordbook.yes_no("已签收", None),
    # the buyer's answer whether the goods arrived (千牛's 货物状态 asks the same)
    "是否收到货": wordbook.yes_no("已收到", "未收到"), "是否已收到货": wordbook.yes_no("已收到", "未收到"),
    "是否收货": wordbook.yes_no("已收到", "未收到"),
    # the return sent back: a waybill the buyer gave is a return on its way (as a filled 退货物流单号)
    "是否寄回": wordbook.yes_no("已揽收", "未寄回"), "是否已寄回": wordbook.yes_no("已揽收", "未寄回"),
    "验货是否合格": wordbook.yes_no("合格", "不合格"), "质检是否合格": wordbook.yes_no("合格", "不合格"),
    "是否合格": wordbook.yes_no("合格", "不合格"),
    # 否: not agreed, which is no refusal (maybe not asked yet)
    "是否同意补偿": wordbook.yes_no("同意补偿", None),
    # 否: not refunded, which says nothing of whether the case is open or closed (the 售后状态 column, else the default)
    **{q: wordbook.yes_no("已退款", vocab.NOTHING) for q in ("是否退款", "是否已退款", "是否退完", "退款与否")},
    # (是否完结「否」: not done, so open; 是否关闭「否」: open, or refunded, the cell does not say)
    "是否完结": wordbook.yes_no("已完结", "处理中"), "是否已完结": wordbook.yes_no("已完结", "处理中"),
    "是否关闭": wordbook.yes_no("已关闭", vocab.NOTHING), "是否已关闭": wordbook.yes_no("已关闭", vocab.NOTHING),
    # 否: not (yet) intercepted, failed or still trying: the cell does not say
    **{q: wordbook.yes_no("拦截成功", None) for q in ("是否拦截成功", "拦截是否成功", "是否已拦截成功", "拦截成功与否")},
    # the return taken in by the warehouse; 否: not sent yet, or on its way: the cell does not say
    **{q: wordbook.yes_no("已签收", None) for q in _WAREHOUSE_GOT},
}

_ANY_ANSWER = tuple(wordbook.yes_no("", ""))  # every form of 是 and 否 (y/n, √/×, 1/0 …)


def question_words(header: str) -> dict[str, object]:
    """The field's words for the answers in a column headed by a yes/no question (是否发货), else {}.  An answer the
    question cannot give as a fact (是否签收「否」) is BAD there, never the field's own word for it (是否同意补偿「无」:
    no 未协商)."""
    answers = QUESTION_HEADERS.get(vocab.header_key(header))
    return {} if answers is None else {**dict.fromkeys(_ANY_ANSWER, vocab.BAD), **answers}


# Aliases that name a broader fact than the field (the order's total, not the refund): read only when
# no other header names the field (申请退款金额 beside 订单金额 is the refund).
WEAK_ALIASES: dict[str, tuple[str, ...]] = {"amount": ("金额", "实付金额", "订单金额", "买家实付", "买家实付金额", "实付款",
                                                    "付款金额", "支付金额", "商品金额")}
_WEAK = {vocab.fold(name).lower() for names in WEAK_ALIASES.values() for name in names}

# How a header was matched to its field, strongest first (contract §2 "Column precedence").
TIER_NAMES = {0: "列名映射", 1: "标准表头", 2: "平台预设", 3: "内置别名", 4: "内置别名的近似写法",
              5: "内置别名（无更贴切的列时）"}
_VARIANT_TIER, _WEAK_TIER, _NO_TIER = 4, 5, 6

# A header's near forms, tried when it is no name the product knows (the tier below the built-in
# aliases): the same name with a platform or party in front (拼多多订单号, 商家处理截止时间), another
# ending for the same thing (退款单编号, 售后申请日期, 退款总金额, 售后类型名称, 物流状态(最新)), another
# word for the same thing (截件状态, 快递核查, 寄回邮费, 快递面单号).  At most two rewrites; the header is
# taken only when every near form that names a field names the same one.
_PARTY = re.compile(r"^(?:淘宝|天猫|拼多多|抖音|抖店|京东|快手|微信|小红书|平台|网店|线上|店铺|商家|买家|客户|顾客|收货人|收件人)"
                    r"(?=.{3})")  # (what is left names a field itself: 客户类型 is no 类型)
_HEADER_VARIANTS: tuple[tuple[re.Pattern, str], ...] = (
    (_PARTY, ""),
    (re.compile(r"(?:编号|编码|号码|id号)$"), "号"),
    (re.compile(r"(?:编号|编码|号码|id号)$"), "单号"),
    (re.compile(r"(?:日期|时间点)$"), "时间"),
    (re.compile(r"(?:总额|总金额|数额|金额合计|合计金额)$"), "金额"),
    (re.compile(r"退款$"), "退款金额"),
    (re.compile(r"名称$"), ""),
    (re.compile(r"[(\[【](?:最新|当前|最近|平台)[)\]】]$"), ""),
    (re.compile(r"(?<=号)1$"), ""),
    (re.compile(r"(?:状态|情况|进度)$"), "结果"),
    (re.compile(r"(?:结果|情况|进度)$"), "状态"),
    (re.compile(r"(?<=反馈|回复|说明|描述)(?:情况|内容|详情)$"), ""),  # (客户反馈情况: what the buyer said)
    (re.compile("截件"), "拦截"),
    (re.compile("核查"), "核实"),
    (re.compile("(?:邮费|快递费)$"), "运费"),
    (re.compile("(?:面单号|包裹单号)$"), "运单号"),
    (re.compile("^(?:寄回|回寄|退件)"), "退货"),
    (re.compile("^(?:最后|最新|最近)(?=物流|轨迹)"), ""),
    (re.compile("轨迹"), "物流"),
    (re.compile("物流状态更新"), "物流更新"),
    (re.compile("(?<=最后|最近|最新)一[次条]"), ""),  # 物流最后一次更新时间, 最后一条物流时间
    # a qualifier in brackets after the name, as said before it (运单号(退货): 退货运单号; 拦截状态(快递))
    (re.compile(r"^(.+?)[(\[【]([^()\[\]【】]{1,4})[)\]】]$"), r"\2\1"),
    # the whole name in brackets (【物流单号】)
    (re.compile(r"^[【\[「『]([^【\[「『】\]」』]+)[】\]」』]$"), r"\1"),
    # two names of one column (快递单号/运单号, 售后状态/进度): each alone, and the second as the first's
    # own ending (售后进度); names of two fields (拦截结果/时间: 拦截时间) leave the header unread
    (re.compile(r"^(.+?)[/、].+$"), r"\1"),
    (re.compile(r"^.+?[/、](.{3,})$"), r"\1"),  # (a second name of two characters: as an ending only)
    (re.compile(r"^(.*)..[/、](..)$"), r"\1\2"),
    (re.compile(r"^(.*)...[/、](...)$"), r"\1\2"),
)


@lru_cache(maxsize=4096)
def _variant_field(name: str) -> str | None:
    """The field a header's near forms (:data:`_HEADER_VARIANTS`) name, when they all name one."""
    found: set[str] = set()
    forms = {name}
    for _depth in range(2):
        nxt = set()
        for form in forms:
            for pattern, repl in _HEADER_VARIANTS:
                new = pattern.sub(repl, form, count=1)
                if new != form and len(new) >= 2:
                    nxt.add(new)
        for form in nxt:
            key = _CANONICAL.get(form) or (_BUILTIN.get(form) if form not in _WEAK else None)
            if key is not None:
                found.add(key)
        forms = nxt
    return found.pop() if len(found) == 1 else None


# A header followed by the values its column takes, as templates list them for whoever fills it in (售后类型（仅退款/
# 退货退款）, 拦截状态(未拦截/拦截中/成功/失败), 发货状态 未发货/已发货): the name, when every value listed is a word of
# that name's field — a list of what the field reads says nothing else.
_LIST_MARKS = re.compile(r"[/、|,，]")
_AROUND_LIST = "()[]【】:：=-"


@lru_cache(maxsize=4096)
def _listed_values_field(name: str) -> str | None:
    """The field a header names with the values its column takes listed after it (see above), or None."""
    if not _LIST_MARKS.search(name):
        return None
    for end in range(len(name) - 1, 1, -1):  # the longest name the header starts with
        head = name[:end]
        key = _CANONICAL.get(head) or (_BUILTIN.get(head) if head not in _WEAK else None)
        if key is None:
            continue
        items = [item for item in _LIST_MARKS.split(name[end:].strip(_AROUND_LIST)) if item]
        fld = FIELD_BY_KEY[key]
        # (a parcel's number, 退货物流状态「SF1234567890」, reads as a word of the field but is none: a column of numbers)
        if len(items) >= 2 and all(fld.parse(item) in fld.choices and not phrases.waybill_alone(item) for item in items):
            return key
        return None
    return None


@dataclass(frozen=True)
class Mappings:
    """A team's own reading tables: 列名映射 (header → field) and 值映射 (field → word → canonical)."""

    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.columns or self.values)


# What a 列名映射 arrives as: the team's tables, a plain header → field dict, or nothing.
Aliases = Mappings | Mapping[str, str] | None


def as_mappings(value: Aliases) -> Mappings:
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
    preset: presets.Preset | None = None
    mappings: Mappings = field(default_factory=Mappings)
    headers: tuple[str, ...] = ()
    suggestions: Mapping[str, str] = field(default_factory=dict)  # field key → an unused header that may be it
    # field key → the other columns that name it (the same tier or weaker, strongest first): where the
    # field's own column is blank, they are read (物流状态 blank, 物流信息 says 运输中)
    also: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    # field key → the other columns that name it as strongly as its own column (two 退款金额; 实付金额 beside 订单金额,
    # no 退款金额): none outranks the other, so where they give two values no position settles which (a weaker name
    # beside a stronger one, 订单金额 beside 退款金额, is another fact: the stronger is read)
    ties: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    # where the header was found (:func:`header_at`): its sheet row (1-based, the lower of two), how many rows it
    # spans, the title and notice lines above it, the group titles read with a sub-header (「物流+状态」)
    header_row: int | None = None
    header_rows: int = 1
    above: int = 0
    grouped: tuple[str, ...] = ()
    # a group title over a full field name not read with it (a sheet title, or no other column feeds the name's own
    # field: 「退货+物流状态」 stays 物流状态): the report says so, the desk renames the header if it is the return's
    ungrouped: tuple[str, ...] = ()
    merged: int = 0  # cells merged down over rows of the table, read in every row they span (:func:`fill_merged`)

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def columns_of(self, key: str) -> tuple[int, ...]:
        """Every column that names field ``key``: its own, then the others (:attr:`also`)."""
        own = self.index.get(key)
        return (*(() if own is None else (own,)), *self.also.get(key, ()))

    def suggested(self, key: str) -> int | None:
        """The column of the unused header that may be field ``key`` (:attr:`suggestions`), when no column feeds it."""
        header = self.suggestions.get(key)
        return None if header is None or key in self.index else self.column_of(header)

    def column_of(self, header: str) -> int | None:
        """The index of a header as written (folded match), or None."""
        want = _header_text(header)
        for i, h in enumerate(self.headers):
            if _header_text(h) == want:
                return i
        return None


def _header_text(value: object) -> str:
    """A header as matched (:func:`vocab.header_key`: folded, lower-case, a unit or a required mark dropped)."""
    if value is None:
        return ""
    return vocab.header_key(str(value))


def resolve(headers: Iterable[object], extra_aliases: Aliases = None,
            require: Iterable[str] = ()) -> ColumnMap:
    """Find each field's column (contract §2 "Column precedence").

    A header named in the team's 列名映射 (``extra_aliases``: a dict or
    :class:`Mappings`) wins, then a canonical header, then the recognised
    platform export's own headers, then a built-in alias.  Two columns claiming
    one field at the same strength are recorded in ``conflicts`` (the first is
    used and the reading report says so).  ``require`` lists field keys whose
    absence raises :class:`ColumnsError`.
    """
    maps = as_mappings(extra_aliases)
    headers = list(headers)
    best, sources, conflicts, unknown, preset, preset_map, claims, ranked = _claim(headers, maps)
    index = {k: col for k, (tier, col) in best.items()}
    # the other columns named exactly as strongly as the field's own (two 退款金额; never Refund Type beside 售后类型)
    ties = {k: tuple(col for rank, col in found if rank == min(found)[0] and col != index[k])
            for k, found in ranked.items()}
    also = {k: tuple(col for _tier, col in sorted(found) if col != index[k]) for k, found in claims.items()}
    also = {k: cols for k, cols in also.items() if cols}
    taken = {str(headers[c]).strip() for cols in also.values() for c in cols}
    unknown = [h for h in unknown if h not in taken]
    suggestions = _near_misses(unknown, index, preset_map)
    missing = [FIELD_BY_KEY[k].header for k in require if k not in index]
    if missing:
        raise ColumnsError("找不到必需的列：" + "、".join(missing) + "（可在「列名映射」表里把你的表头对应到这些字段）")
    return ColumnMap(index, tuple(unknown), sources, {k: tuple(v) for k, v in conflicts.items()},
                     preset, maps, tuple("" if h is None else str(h) for h in headers), suggestions, also,
                     {k: cols for k, cols in ties.items() if cols})


def _claim(headers: list[object], maps: Mappings):
    """Each header's claim on a field, the strongest per field kept (see :func:`resolve`):
    (best: key → (tier, column), sources, conflicts, unknown headers, preset, the preset's headers, the claims a
    column may fill the field's blanks by, every claim: key → [(tier, column)])."""
    user = {vocab.fold(str(name)).lower(): key for name, key in maps.columns.items()}
    preset = presets.detect(headers)
    preset_map = preset.folded_headers() if preset else {}
    best: dict[str, tuple[int, int]] = {}  # key → (tier, column)
    rank: dict[str, tuple[int, bool]] = {}  # key → (tier, not the canonical header itself) of the column kept
    sources: dict[str, tuple[str, int]] = {}
    conflicts: dict[str, list[str]] = {}
    unknown: list[str] = []
    # every claim a column may fill the field's blanks by (not a broader fact, 订单金额; not a name of two
    # characters, 状态 / 物流 / 原因: beside a closer column it may well be something else)
    claims: dict[str, list[tuple[int, int]]] = {}
    ranked: dict[str, list[tuple[tuple[int, bool], int]]] = {}  # key → [(rank as ``here``, column)]
    # (a short name written twice, 状态 and 状态, is one name twice: each column is the other's, as a longer name's)
    seen = [_header_text(raw) for raw in headers]
    twice = {name for name in seen if name and seen.count(name) > 1}
    for i, raw in enumerate(headers):
        name = _header_text(raw)
        if not name:
            continue
        key: str | None
        if name in user:
            key, tier = user[name], 0
        elif name in _CANONICAL:
            key, tier = _CANONICAL[name], 1
        elif name in preset_map:
            key, tier = preset_map[name], 2
        elif name in _BUILTIN:
            key, tier = _BUILTIN[name], _WEAK_TIER if name in _WEAK else 3
        else:
            key = _listed_values_field(name) or _variant_field(name)  # (a known name with its own words listed: that name)
            tier = _VARIANT_TIER if key is not None else _NO_TIER
        if key is None:
            unknown.append(str(raw).strip())
            continue
        if tier != _WEAK_TIER and (len(name) > 2 or name in twice):
            claims.setdefault(key, []).append((tier, i))
        held = best.get(key)
        # (售后类型 beside Refund Type: the canonical header wins, whichever stands first)
        here = (tier, tier == 1 and name not in _OWN_HEADER)
        ranked.setdefault(key, []).append((here, i))
        if held is None or here < rank[key]:
            if held is not None:
                unknown.append(str(headers[held[1]]).strip())
            best[key], rank[key] = (tier, i), here
            sources[key] = (str(raw).strip(), tier)
        else:
            if here == rank[key]:
                conflicts.setdefault(key, []).append(str(raw).strip())
            unknown.append(str(raw).strip())
    return best, sources, conflicts, unknown, preset, preset_map, claims, ranked


def _names_of(key: str) -> list[str]:
    fld = FIELD_BY_KEY[key]
    return [_header_text(n) for n in (fld.header, *fld.aliases) if not n.isascii()]


# A header about the return (退货地址, 退件快递: the shop's address, the return's courier) is never suggested as a fact of
# the parcel sent to the buyer.
_RETURN_WORDS = ("退货", "退回", "寄回", "回寄", "退件", "退单")
_OUTBOUND = frozenset({"province", "tracking_no", "carrier", "logistics", "last_update", "phone", "ship_state", "shipped_at",
                       "signed_at"})


# A header that ends naming a time heads a time: only a date field is suggested for it.
_TIME_WORDS = ("时间", "日期", "时刻", "time", "date")
_TIMED = frozenset(f.key for f in FIELDS if f.parse in vocab.DATE_PARSERS)


# A header naming a person (收件人, 联系人, 客户姓名) heads a name: never suggested as a field.  One naming the shop
# (卖家电话, 商家地址, 店铺电话, 客服电话) heads the shop's own contact: never suggested as the buyer's.
_PERSON_WORDS = ("人", "姓名", "名字", "昵称", "网名")
_SHOP_WORDS = ("卖家", "商家", "店铺", "客服", "门店")
_BUYERS = frozenset({"province", "phone"})


# Names that may head a field but may as well head another fact: never read, always suggested (退款时间: when the shop
# refunded, or when the buyer asked? 是否收到: the buyer's goods, or the warehouse's return?).
_AMBIGUOUS_NAMES = {"退款时间": "refunded_at", "退款日期": "refunded_at", "是否收到": "customer_says",
                    "是否已收到": "customer_says"}


def _near_misses(unknown: Iterable[str], index: Mapping[str, int], preset_map: Mapping[str, object]) -> dict[str, str]:
    """Unused headers close to a field no column fed (contract §2 "Column precedence"): the header
    contains one of the field's names or is contained in one (最后更新 ↔ 物流更新时间).  Only a
    header that points at exactly one field is suggested; it is never used silently."""
    out: dict[str, str] = {}
    for raw in unknown:
        name = _header_text(raw)
        if len(name) < 2 or name in preset_map:
            continue
        if name in _AMBIGUOUS_NAMES:
            if _AMBIGUOUS_NAMES[name] not in index:
                out.setdefault(_AMBIGUOUS_NAMES[name], str(raw).strip())
            continue
        # each field's closest name: the longest of its names contained in the header (or the
        # header's own length when the header is contained in one of them)
        score = {}
        back = any(w in name for w in _RETURN_WORDS)
        when = name.endswith(_TIME_WORDS)  # (状态更新时间: a time, no 售后状态)
        if name.endswith(_PERSON_WORDS):  # (收件人, 联系人, 客户姓名: a person's name — no field of the product)
            continue
        shop = name.startswith(_SHOP_WORDS)  # (卖家电话, 商家地址: the shop's own, never the buyer's)
        for key in FIELD_BY_KEY:
            if key in index or back and key in _OUTBOUND or when and key not in _TIMED or shop and key in _BUYERS:
                continue
            best = max((len(n) if n in name else len(name) if name in n else 0 for n in _names_of(key) if n),
                       default=0)
            if best:
                score[key] = best
        if score and not name.endswith(_TIME_WORDS):  # (包裹最近: 包裹最近状态, not 包裹最近更新时间)
            top = max(score.values())
            untimed = {k: v for k, v in score.items() if k not in _TIMED}
            if max(untimed.values(), default=0) == top:
                score = untimed
        near = vocab.sole_best(score, lowest=False)
        if near is not None:
            out.setdefault(near, str(raw).strip())
    return out


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


def book_mappings(sheets: Mapping[str, Sequence[Sequence[object]]], given: Aliases = None) -> Mappings:
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


def field_keys(headers: Sequence[object], aliases: Aliases = None) -> set[str]:
    """The fields a row of headers names (a header row is recognised by these; :func:`resolve`
    then reads the one row found, once)."""
    return set(_claim(list(headers), as_mappings(aliases))[0])


class HeaderRow(NamedTuple):
    """A table's header row as found: its index (the last of two merged rows), the names, the fields."""

    at: int
    names: list[object]
    columns: ColumnMap


# How far down the header row is looked for: the first HEADER_SCAN rows whatever stands above it; then on, to
# HEADER_SCAN_FAR rows, while the rows above are title and notice lines (a 填写说明 block), none a row of a table.
HEADER_SCAN = 10
NO_TABLE = "找不到售后登记表"  # what every message saying no sheet holds a tracking table opens with
HEADER_SCAN_FAR = 50


def _table_row(row: Sequence[object]) -> bool:
    """Whether a row reads as a row of a table (three cells or more filled), not as a title or notice line."""
    return sum(1 for c in row if not vocab.is_blank(c)) >= 3


def header_scan(rows: Sequence[Sequence[object]], scan: int = HEADER_SCAN_FAR) -> int:
    """How many rows the header search looks at (:data:`HEADER_SCAN`, further while only lines stand above)."""
    end = min(len(rows), HEADER_SCAN, scan)
    if any(_table_row(r) for r in rows[:end]):
        return end
    for i in range(end, min(len(rows), scan)):
        if _table_row(rows[i]):  # the first row of a table: the header, or the group row over it
            return min(len(rows), i + 2)
    return min(len(rows), scan)


def _strong_field(name: str, maps: Mappings) -> str | None:
    """The field a header names by a name of its own (列名映射, canonical, a platform's, a built-in alias), else None."""
    best = _claim([name], maps)[0]
    return next((k for k, (tier, _c) in best.items() if tier <= 3), None)


def _grouped(rows: Sequence[Sequence[object]], at: int, names: list[object], maps: Mappings,
             merged: Sequence[tuple[int, int, int, int]]) -> tuple[list[object], tuple[str, ...], tuple[str, ...]]:
    """The header names with a group title of the row above read before a sub-header (物流 over 状态 and
    更新时间: 物流状态, 物流更新时间; 售后 over 状态: 售后状态; 退货 over 物流状态 and 物流单号: 退货物流状态,
    退货物流单号).  A column's group is the title merged across the columns above it (or written right above it,
    the column's own); the two are read as one only when together they are a name of a field of its own, another
    than the sub-header alone names (单号 under 物流 is 物流单号 as it is), and the team's 列名映射 does not name
    the sub-header alone.

    A full field name (物流状态) is read with its title only where the title is a group, not the sheet's title
    (it covers neither 订单号 nor 售后类型, nor every column), and another column still feeds the field the name
    names alone (the outbound 物流状态 under 物流 beside the return's under 退货): a returns desk's title 「退货」
    over the whole header, or a section 「退货」 over the only 快递公司 / 物流单号 / 物流状态, leaves them the
    outbound parcel's, and the reading report says the title was not read with them.
    Returns (names, the combinations made, 「物流+状态」, the full names left as they are, 「退货+物流状态」)."""
    if at < 1:
        return names, (), ()
    upper = rows[at - 1]
    groups: dict[int, object] = {}
    spans: dict[int, tuple[int, int]] = {}
    for r1, c1, r2, c2 in merged:  # a title merged across, in the row above only (not down over both)
        if r1 == at - 1 and r2 == at - 1 and c2 > c1 and c1 < len(upper) and not vocab.is_blank(upper[c1]):
            for c in range(c1, c2 + 1):
                groups[c] = upper[c1]
                spans[c] = (c1, c2)
    out = list(names)
    made: list[str] = []
    full: list[tuple[int, str, str, set[str]]] = []  # a full name under a title: (column, 「退货+物流状态」, the two, its fields)
    for c, sub in enumerate(names):
        group = groups.get(c, upper[c] if c < len(upper) else None)
        if vocab.is_blank(group) or vocab.is_blank(sub) or c >= len(rows[at]) or vocab.is_blank(rows[at][c]):
            continue
        whole = str(group).strip() + str(sub).strip()
        key = _strong_field(whole, maps)
        if key is None:
            continue
        alone = _claim([sub], maps)[0]
        if key in alone or any(tier == 0 for tier, _c in alone.values()) and _claim([whole], maps)[0][key][0] != 0:
            continue
        if alone and len(_header_text(sub)) > 2:  # a full name (状态, 时间 may be anything): decided below,
            # once every generic sub-header is read with its title
            full.append((c, f"{str(group).strip()}+{str(sub).strip()}", whole, set(alone)))
            continue
        out[c] = whole
        made.append(f"{str(group).strip()}+{str(sub).strip()}")
    if not full:
        return out, tuple(made), ()
    named = [set() if vocab.is_blank(n) else set(_claim([n], maps)[0]) for n in out]
    filled = [c for c, n in enumerate(names) if not vocab.is_blank(n)]
    identity = {c for c in filled if named[c] & {"order_id", "refund_type"}}
    candidates = {c for c, _p, _w, _own in full}
    kept: list[str] = []
    for c, pair, whole, own in full:
        c1, c2 = spans.get(c, (c, c))
        title = any(c1 <= i <= c2 for i in identity) or c1 <= filled[0] and c2 >= filled[-1]
        fed = any(own & named[o] for o in filled if o not in candidates)
        if title or not fed:
            kept.append(pair)
            continue
        out[c] = whole
        made.append(pair)
    return out, tuple(made), tuple(kept)


def header_at(rows: Sequence[Sequence[object]], aliases: Aliases = None, scan: int = HEADER_SCAN_FAR) -> HeaderRow | None:
    """The header row of a tracking table (index of the last header row, names, fields), or None.

    The header row is the first (among the rows :func:`header_scan` looks at) naming 订单号 and
    售后类型; title rows above it are skipped.  Two header rows (group titles
    merged across, some names merged down over both rows) are read as one
    when together they name more fields than either row alone; a group title over a
    generic sub-header is read with it (:func:`_grouped`).  Only the row
    found is resolved (:func:`resolve`); the others are only looked at.  The
    :class:`ColumnMap` says where the header was found (``header_row``, ``header_rows``, ``above``, ``grouped``).
    """
    maps = as_mappings(aliases)
    top = list(rows[:header_scan(rows, scan)])
    named = [field_keys(row, maps) for row in top]
    for i, here in enumerate(named):
        if i + 1 < len(top):
            both_names = _merged_down(top[i], top[i + 1])
            both = field_keys(both_names, maps)
            if {"order_id", "refund_type"} <= both and len(both) > max(len(here), len(named[i + 1])):
                return _found(rows, i, i + 1, both_names, maps)
        if {"order_id", "refund_type"} <= here:
            return _found(rows, i, i, list(top[i]), maps)
    return None


def _found(rows: Sequence[Sequence[object]], first: int, at: int, names: list[object], maps: Mappings) -> HeaderRow:
    read, made, kept = _grouped(rows, at, names, maps, merged_of(rows))
    if made and first == at:  # the row above was a group row, read with this one
        first = at - 1
    above = sum(1 for r in rows[:first] if not all(map(vocab.is_blank, r)))
    cmap = resolve(read, maps)
    return HeaderRow(at, names, dataclasses.replace(cmap, header_row=at + 1, header_rows=at - first + 1,
                                                    above=above, grouped=made, ungrouped=kept))


class Table(NamedTuple):
    """A tracking table found in a sheet's rows: the header row's index, its names, the rows below
    it (trailing blank rows dropped) and its fields (resolved once: carry it, do not resolve again)."""

    at: int
    headers: list[object]
    body: list
    columns: ColumnMap


def split_table(rows: Sequence[Sequence[object]], aliases: Aliases = None) -> Table | None:
    """The tracking table in ``rows`` (see :class:`Table`), or None.

    Trailing blank rows (a used range that reaches past the data) are dropped.  A cell merged down
    over rows of the table reads as its value in every row it spans (:func:`fill_merged`).
    """
    found = header_at(rows, aliases)
    if found is None:
        return None
    spread: list[tuple[int, int]] = []
    body = fill_merged(rows, found.at + 1, spread)
    while body and all(c is None or (isinstance(c, str) and not c.strip()) for c in body[-1]):
        body.pop()
    columns = dataclasses.replace(found.columns, merged=len(spread)) if spread else found.columns
    return Table(found.at, found.names, body, columns)


def fill_merged(rows: Sequence[Sequence[object]], first: int, spread: list[tuple[int, int]] | None = None) -> list:
    """The rows from index ``first`` on, a merged range's value in every row it spans (Excel keeps it in the top-left
    cell only, and shows it over the whole range): the status merged over a run of cases refunded together, the order
    number over the two parcels of a split shipment.  Only down the range's first column (a range across columns —
    a section title, a note — gives no other field its value), only ranges that start below the header row, and only
    into rows that hold something of their own.  A row changed is a copy: ``rows`` stay as stored.  ``spread``
    collects the top-left cell of each range read so."""
    body = list(rows[first:])
    for r1, c1, r2, _c2 in merged_of(rows):
        if r1 < first or r2 <= r1 or r1 >= len(rows):
            continue
        top = rows[r1]
        value = top[c1] if c1 < len(top) else None
        if vocab.is_blank(value):
            continue
        for r in range(r1 + 1, min(r2, len(rows) - 1) + 1):
            i = r - first
            row = body[i]
            if not (c1 >= len(row) or vocab.is_blank(row[c1])) or all(map(vocab.is_blank, row)):
                continue
            row = body[i] = list(row) + [None] * (c1 + 1 - len(row))
            row[c1] = value
            if spread is not None and (not spread or spread[-1] != (r1, c1)):
                spread.append((r1, c1))
    return body


def no_table_message(where: str | None = "", looked: int | None = None, hint: str | None = None) -> str:
    """What to say when no sheet holds a tracking table (``where``: the file or sheet; ``looked``: the rows the
    header search looked at, :func:`header_scan`, when one sheet was searched; ``hint``: what the row most like a
    header row lacks, :func:`header_hint`)."""
    place = f"{where} 中" if where else ""
    rows = f"前 {looked} 行" if looked is not None else \
        f"前 {HEADER_SCAN} 行（上方只有标题、说明行时前 {HEADER_SCAN_FAR} 行）"
    said = f"{place}{NO_TABLE}：{rows}中没有同时含「订单号」和「售后类型」的表头行（或在「列名映射」中对应）"
    return f"{said}；{hint}" if hint else said


_TABLE_KEYS = ("order_id", "refund_type")  # what a header row must name (:func:`header_at`)


def _slipped(unknown: Iterable[str], key: str) -> str | None:
    """The one unused header a few one-character slips from one of field ``key``'s names (售后类形 for 售后类型: a
    character typed wrong, added, left out or two swapped), or None when none is, or two are, that close."""
    far: dict[str, int] = {}
    for raw in unknown:
        name = _header_text(raw)
        if len(name) < 2:
            continue
        for known in (_header_text(n) for n in (FIELD_BY_KEY[key].header, *FIELD_BY_KEY[key].aliases)):
            slips = vocab.edit_distance(name, known)
            if slips <= max(1, min(len(name), len(known)) // 4) and slips < far.get(raw, slips + 1):
                far[raw] = slips
    return vocab.sole_best(far)


def header_hint(rows: Sequence[Sequence[object]], aliases: Aliases = None, scan: int = HEADER_SCAN_FAR) -> str | None:
    """Where no header row names both 订单号 and 售后类型 (:func:`header_at` found none): the row among those looked at
    that names the most fields (two or more) — most like the header row — with the required field it lacks and the
    header of that row that looks like it (「售后类形」 for 售后类型: a slip, or a name holding the field's, as the
    reading report suggests), so the desk fixes the header in a minute.  None when no row reads as a header row."""
    maps = as_mappings(aliases)
    best: tuple[int, int, ColumnMap] | None = None
    for i, row in enumerate(rows[:header_scan(rows, scan)]):
        cmap = resolve(row, maps)
        if len(cmap.index) >= 2 and (best is None or len(cmap.index) > len(best[2].index)):
            best = (len(cmap.index), i, cmap)
    if best is None:
        return None
    _n, at, cmap = best
    lacks = []
    for key in _TABLE_KEYS:
        if key in cmap.index:
            continue
        name = FIELD_BY_KEY[key].header
        near = cmap.suggestions.get(key) or _slipped(cmap.unknown, key)
        lacks.append(f"「{name}」（「{near}」是不是「{name}」？改成「{name}」，或在「列名映射」里对应）" if near else f"「{name}」")
    return f"第 {at + 1} 行像是表头，但缺少{'、'.join(lacks)}" if lacks else None
