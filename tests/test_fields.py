"""contract §2: columns found by header name (every alias, any order, 列名映射),
and every enumerated field's messy values read as the canonical word."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import assume, example, given, settings as hsettings, strategies as st

from conftest import NOW, evaluate_rows, make_case, table
from refund_xl._core import engine, fields as fields_mod, vocab, wordbook
from refund_xl._core.errors import ColumnsError, RefundXLError
from refund_xl._core.fields import FIELD_BY_KEY, FIELDS, parse_mapping_table, resolve
from refund_xl._core.vocab import BAD

# contract §2, column "some aliases": every one must resolve.
SPEC_ALIASES = {
    "order_id": ("订单号", "订单编号", "主订单号", "原单号"),
    "case_id": ("售后单号", "退款单号", "退单号", "售后编号"),
    "applied_at": ("申请时间", "退款申请时间", "申请日期"),
    "refund_type": ("售后类型", "退款类型", "退货类型"),
    "amount": ("退款金额", "金额", "实付金额", "订单金额"),
    "goods_kind": ("商品类型", "商品性质"),
    "cost_incurred": ("已产生成本", "定制成本"),
    "ship_state": ("发货状态", "订单状态"),
    "carrier": ("快递公司", "物流公司", "快递"),
    "tracking_no": ("物流单号", "快递单号", "运单号", "运单号码"),
    "logistics": ("物流状态", "物流信息"),
    "last_update": ("物流更新时间", "最后更新时间", "最新物流时间"),
    "province": ("收货省份", "省份", "收货地址", "地址"),
    "customer_says": ("客户反馈", "客户说明"),
    "courier_check": ("快递核实", "核实结果"),
    "intercept": ("拦截状态", "拦截结果"),
    "intercept_at": ("拦截时间", "拦截发起时间"),
    "return_logistics": ("退货物流状态", "退货状态", "退回状态"),
    "inspection": ("验货结果", "质检结果"),
    "reason": ("退货原因", "退款原因", "售后原因"),
    "negotiation": ("协商进度", "协商结果"),
    "return_cost": ("退货运费", "回寄运费"),
    "no_ship": ("禁运", "不可寄回"),
    "case_state": ("售后状态", "处理状态"),
    "deadline": ("超时时间", "处理截止时间", "平台超时时间"),
    "return_tracking_no": ("退货物流单号", "退货快递单号", "退回单号"),
    "return_carrier": ("退货快递公司", "退货物流公司"),
    "phone": ("收件人手机", "手机号", "手机尾号", "收货人手机"),
    "goods_name": ("商品名称",),
    "platform": ("平台",),
}

# What desks and ERPs really type (contract §2 "Column precedence"; issue 18's held-out sheets).
DESK_ALIASES = {
    "last_update": ("最后更新", "物流更新", "最新轨迹时间", "最近更新时间"), "reason": ("原因", "售后理由"),
    "negotiation": ("协商情况",), "order_id": ("原单号", "原订单号"), "tracking_no": ("原单物流单号", "发货物流单号", "运单编号"),
    "case_id": ("退单号", "售后申请单号"), "return_tracking_no": ("退单物流单号", "退回物流单号"),
    "carrier": ("发货快递",), "deadline": ("自动处理截止时间", "自动退款时间", "截止", "截止日"), "province": ("收货地区", "所在地区"),
    "customer_says": ("顾客反馈", "客户回复"), "courier_check": ("快递查件结果",), "no_ship": ("退货禁运",),
    "case_state": ("服务单状态",), "ship_state": ("订单发货状态",),
    "inspection": ("入库验货", "检测结果", "质检状态"), "refund_type": ("售后类别",), "amount": ("售后金额",),
}

# Fields the product reads beyond the contract's table (docs/contract/README.md says why): a refund time written down.
BEYOND_SPEC = {"refunded_at": ("退款完成时间", "商家退款时间", "打款时间", "退款成功时间"),
               "shipped_at": ("发货时间", "发货日期", "出库时间"), "signed_at": ("签收时间", "签收日期", "买家签收时间"),
               "return_signed_at": ("退货签收时间", "仓库签收时间", "入库时间", "商家签收时间")}

ALIAS_CASES = [(key, alias) for table_ in (SPEC_ALIASES, DESK_ALIASES, BEYOND_SPEC)
               for key, aliases in table_.items() for alias in aliases]


def test_spec_table_lists_every_field():
    assert set(SPEC_ALIASES) | set(BEYOND_SPEC) == {f.key for f in FIELDS}
    assert not set(SPEC_ALIASES) & set(BEYOND_SPEC)
    for key, aliases in (*SPEC_ALIASES.items(), *BEYOND_SPEC.items()):
        assert FIELD_BY_KEY[key].header == aliases[0]


@pytest.mark.parametrize("key, alias", ALIAS_CASES, ids=[f"{k}-{a}" for k, a in ALIAS_CASES])
def test_every_alias_resolves_to_its_field(key, alias):
    cmap = resolve(["备注", alias, "其他"])
    assert cmap.index == {key: 1}
    assert cmap.unknown == ("备注", "其他")


@pytest.mark.parametrize("header", [" 订单号 ", "订 单 号", "\u3000订单号", "Order ID", "ORDER_ID", "order_id"])
def test_header_spaces_width_and_case(header):
    assert resolve([header]).index == {"order_id": 0}


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(fields_mod._RETURN_WORDS),
       st.sampled_from(("地址", "快递", "物流", "单号", "电话", "手机", "物流更新", "发货", "地区", "省")),
       st.sampled_from(("", "信息", "情况", "名称")))
def test_a_header_about_the_return_is_never_taken_for_the_parcel_sent(back, what, tail):
    """退货地址 (the shop's own), 退件快递, 退回电话: a header about the return is never read, nor suggested, as a fact
    of the parcel sent to the buyer (收货省份, 物流单号, 快递公司, 物流状态 …)."""
    header = back + what + tail
    cmap = resolve([header])
    outbound = {"province", "tracking_no", "carrier", "logistics", "last_update", "phone", "ship_state"}
    assert not outbound & set(cmap.index), (header, cmap.index)
    assert not outbound & set(cmap.suggestions), (header, cmap.suggestions)


@hsettings(max_examples=150, deadline=None)
@given(st.sampled_from([("原", "tracking_no", ("快递单号", "物流单号", "运单号")),
                        ("原单", "tracking_no", ("快递单号", "物流单号", "运单号")),
                        ("原", "carrier", ("快递公司", "物流公司")), ("原单", "carrier", ("快递公司", "物流公司")),
                        ("退单", "return_carrier", ("快递公司", "物流公司")),
                        ("退单", "return_tracking_no", ("快递单号", "物流单号"))]), st.data())
def test_an_erp_names_the_original_and_the_return_parcel_by_their_orders(which, data):
    """An ERP's 原单 (the order sent) and 退单 (the return) before a courier's or a number's name (原快递单号, 原单物流公司,
    退单快递公司): the parcel sent or the return, as 原单物流单号 / 退单物流单号 are read."""
    before, key, names = which
    header = before + data.draw(st.sampled_from(names))
    assert resolve([header]).index == {key: 0}, (header, resolve([header]).index)


@hsettings(max_examples=60, deadline=None)
@given(st.sampled_from(("最后", "最新", "最近", "末次")), st.sampled_from(("更新时间", "跟踪时间", "更新")))
@example("末次", "更新")  # 末次更新 was only suggested
def test_the_last_update_however_a_desk_heads_it(last, what):
    """最新更新时间, 最后跟踪时间, 末次更新时间, 末次更新: when the parcel last moved (物流更新时间), as 最后更新 is read."""
    header = last + what
    assert resolve([header]).index == {"last_update": 0}, (header, resolve([header]).index)


@hsettings(max_examples=150, deadline=None)
@given(st.sampled_from(("最新", "当前", "最近")), st.sampled_from(("物流", "快递", "包裹")), st.booleans(),
       st.sampled_from(("更新时间", "最新时间", "最后更新时间", "最近更新时间")), st.sampled_from(("售后", "退款")),
       st.sampled_from(("创建", "申请", "发起")))
@example("最新", "快递", True, "更新时间", "售后", "创建")  # (were unread: 最新快递状态, 包裹更新时间, 售后单创建时间)
def test_a_parcel_s_state_its_last_move_and_the_case_s_opening_however_headed(now, parcel, first, moved, case, verb):
    """最新快递状态 / 物流当前状态 (物流状态), 包裹更新时间 / 快递最新时间 (物流更新时间), 售后单创建时间 / 发起退款时间
    (申请时间): the words a desk or an ERP puts around the parcel and the case, in either order."""
    state = now + parcel + "状态" if first else parcel + now + "状态"
    assert resolve([state]).index == {"logistics": 0}, state
    assert resolve([parcel + moved]).index == {"last_update": 0}, parcel + moved
    assert resolve([case + "单" + verb + "时间"]).index == {"applied_at": 0}, case + "单" + verb + "时间"
    if verb != "创建":
        assert resolve([verb + case + "时间"]).index == {"applied_at": 0}, verb + case + "时间"


@pytest.mark.parametrize("header, key", [
    ("客户反馈内容", "customer_says"), ("买家反馈内容", "customer_says"), ("退款截止时间", "deadline"),
    ("售后处理截止时间", "deadline")])
def test_more_desk_headers_are_read(header, key):
    assert resolve([header]).index == {key: 0}, (header, resolve([header]).index)


@pytest.mark.parametrize("header, key", [
    ("退件快递", "return_carrier"), ("寄回快递", "return_carrier"), ("收件人手机号", "phone"), ("收货电话", "phone"),
    ("Order No.", "order_id"), ("order_no", "order_id"), ("Order Number", "order_id"), ("ORDER NO", "order_id"),
    ("Tracking Number", "tracking_no"), ("tracking_number", "tracking_no"), ("Waybill No.", "tracking_no"),
    ("Refund Amount", "amount"), ("refund_amount", "amount"), ("Amount (CNY)", "amount"), ("退商品金额（元）", "amount")])
def test_the_english_headers_of_an_erp_export_are_read(header, key):
    """An ERP's export in English (order_no, Tracking Number, Refund Amount (CNY)); 抖店's 退商品金额 outside its preset; the
    return's courier (退件快递) and the recipient's phone written out (收件人手机号; the buyer's, 买家手机, may be another's)."""
    assert resolve([header]).index == {key: 0}


def test_headers_in_any_order():
    headers = [f.header for f in FIELDS]
    reversed_map = resolve(list(reversed(headers)))
    n = len(headers)
    assert reversed_map.index == {f.key: n - 1 - i for i, f in enumerate(FIELDS)}


def test_first_matching_column_wins():
    assert resolve(["订单号", "订单编号"]).index == {"order_id": 0}


def test_blank_and_none_headers_are_skipped():
    cmap = resolve([None, "", "订单号", 3])
    assert cmap.index == {"order_id": 2}
    assert cmap.unknown == ("3",)


def test_required_columns():
    with pytest.raises(ColumnsError) as exc:
        resolve(["订单号", "退款金额"], require=("order_id", "refund_type", "amount"))
    assert "售后类型" in str(exc.value) and "列名映射" in str(exc.value)
    assert isinstance(exc.value, RefundXLError)


# --------------------------------------------------------------- 列名映射

def test_extra_aliases_from_a_mapping_table():
    mapping = parse_mapping_table([
        ["表头", "字段"],                       # a header row is allowed
        ["平台单号", "order_id"],
        ["买家诉求", "售后类型"],                # by canonical header
        ["  付款额 ", "AMOUNT"],                 # spaces / case
        [None, None],
        ["只有表头", None],                      # half a row is skipped
    ])
    assert mapping == {"平台单号": "order_id", "买家诉求": "refund_type", "付款额": "amount"}
    cmap = resolve(["付款额", "买家诉求", "平台单号"], mapping)
    assert cmap.index == {"amount": 0, "refund_type": 1, "order_id": 2}


def test_extra_alias_takes_precedence_over_builtin():
    # A team whose 金额 column is the order total and whose refund is in 实退.
    cmap = resolve(["金额", "实退"], {"实退": "amount", "金额": "return_cost"})
    assert cmap.index == {"return_cost": 0, "amount": 1}


def test_mapping_to_unknown_field_names_the_row():
    with pytest.raises(ColumnsError) as exc:
        parse_mapping_table([["表头", "字段"], ["平台单号", "order_id"], ["买家诉求", "退款方式"]])
    assert "列名映射第3行" in str(exc.value) and "退款方式" in str(exc.value)


def test_mapping_without_header_row_unknown_in_row_2():
    with pytest.raises(ColumnsError, match="第2行"):
        parse_mapping_table([["平台单号", "order_id"], ["x", "nope"]])


def test_evaluate_with_extra_aliases():
    headers = ["平台单号", "类型", "实退", "发货"]
    rows = [["007", "仅退款", "59", "未发货"]]
    aliases = parse_mapping_table([["平台单号", "订单号"], ["类型", "refund_type"], ["实退", "amount"],
                                   ["发货", "ship_state"]])
    (res,) = engine.evaluate(rows, headers, None, NOW, aliases)
    assert (res.action_code, res.rule, res.case.order_id) == ("APPROVE_REFUND", "2", "007")


# ------------------------------------------------------------ messy values

# (field, raw cell, canonical) — read through the engine as a sheet gives them.
VALUE_CASES = [
    ("refund_type", "仅退款", "仅退款"), ("refund_type", "未发货仅退款", "仅退款"),
    ("refund_type", "已发货仅退款", "仅退款"), ("refund_type", "退款不退货", "仅退款"),
    ("refund_type", " 退货退款 ", "退货退款"), ("refund_type", "退货", "退货退款"),
    ("goods_kind", "定制", "定制"), ("goods_kind", "定制商品", "定制"), ("goods_kind", "海外代购", "代购"),
    ("goods_kind", "普通", "标品"),
    ("cost_incurred", "是", "是"), ("cost_incurred", "否", "否"), ("cost_incurred", "有", "是"),
    ("cost_incurred", "yes", "是"), ("cost_incurred", "没有", "否"),
    ("ship_state", "待发货", "未发货"), ("ship_state", "卖家已发货", "已发货"),
    ("ship_state", "线下发货", "线下已发货"), ("ship_state", "线下已发货（平台未同步）", "线下已发货"),
    ("logistics", "在途", "运输中"), ("logistics", " 运 输 中 ", "运输中"), ("logistics", "派件中", "派送中"),
    ("logistics", "揽件", "已揽收"), ("logistics", "待揽收", "未揽收"), ("logistics", "已妥投", "已签收"),
    ("logistics", "驿站代收", "已签收"), ("logistics", "物流停滞", "异常"), ("logistics", "快递丢失", "丢件"),
    ("logistics", "拒签", "拒收"), ("logistics", "已退回", "退回"), ("logistics", "丢失", "丢件"),
    ("customer_says", "已收货", "已收到"), ("customer_says", "没收到", "未收到"),
    ("customer_says", "客户说没有收到货", "未收到"), ("customer_says", "坚持不撤销", "不撤销"),
    ("courier_check", "本人签收", "已签收"), ("courier_check", "遗失", "丢件"),
    ("intercept", "已拦截", "拦截中"), ("intercept", "失败", "拦截失败"), ("intercept", "已发起拦截", "拦截中"),
    ("intercept", "无", "未拦截"),
    ("return_logistics", "已寄出", "已揽收"), ("return_logistics", "在途", "运输中"),
    ("return_logistics", "已入库", "已签收"), ("return_logistics", "待寄回", "未寄回"),
    ("inspection", "验货合格", "合格"), ("inspection", "损坏", "不合格"), ("inspection", "不合格", "不合格"),
    ("reason", "收到有点小瑕疵", "小瑕疵"), ("reason", "漏发一件", "少发漏发"), ("reason", "降价了", "降价"),
    ("reason", "水果腐烂", "腐烂变质"), ("reason", "七天无理由", "不想要"), ("reason", "颜色太丑", "颜色太丑"),
    ("negotiation", "不同意补偿", "拒绝补偿"), ("negotiation", "接受换货", "同意换货"),
    ("negotiation", "坚持", "坚持退款"),
    ("no_ship", "是", "是"), ("no_ship", "否", "否"),
    ("case_state", "退款成功", "已退款"), ("case_state", "买家撤销", "已关闭"), ("case_state", "完结", "已完结"),
    ("case_state", "待处理", "处理中"),
    ("province", "新疆维吾尔自治区乌鲁木齐市沙依巴克区", "新疆"), ("province", "广东省广州市", "广东"),
    ("amount", "¥1,299.00", 1299.0), ("amount", "59 元", 59.0), ("amount", " 88 ", 88.0),
    ("return_cost", "12元", 12.0),
    ("applied_at", "2025年6月3日 10:00", datetime(2025, 6, 3, 10)),
    ("applied_at", "2025/6/3 10:00", datetime(2025, 6, 3, 10)),
    ("applied_at", "2025-06-03", vocab.WholeDay(2025, 6, 3)),   # no time of day: the whole day
    ("last_update", 45811.5, datetime(2025, 6, 3, 12)),
    ("last_update", "45811.5", datetime(2025, 6, 3, 12)),
    ("intercept_at", datetime(2025, 6, 3, 9, 30), datetime(2025, 6, 3, 9, 30)),
    ("deadline", "2025-06-12 18:00", datetime(2025, 6, 12, 18)),
    ("order_id", "0044328104910363187", "0044328104910363187"), ("order_id", 1.0, "1"),
    ("case_id", 28593796.0, "28593796"), ("tracking_no", "00SF1234", "00SF1234"),
    ("tracking_no", 7.73e11, "773000000000"), ("carrier", " 顺丰 ", "顺丰"),
]


@pytest.mark.parametrize("key, raw, value", VALUE_CASES,
                         ids=[f"{k}-{r!r}" for k, r, _ in VALUE_CASES])
def test_messy_values_read_as_canonical(key, raw, value):
    row = make_case(**{"refund_type": "仅退款", "amount": 59, key: raw})
    (res,) = evaluate_rows([row])
    got = getattr(res.case, key)
    assert got == value and type(got) is type(value)
    assert key not in res.case.bad


def test_every_choice_field_accepts_its_own_canonical_words():
    for fld in FIELDS:
        for word in fld.choices:
            assert fld.parse(word) == word, (fld.key, word)
            assert fld.parse(f" {word}\u3000") == word


@pytest.mark.parametrize("key, raw", [
    ("refund_type", "以旧换新券"), ("ship_state", "半发"), ("logistics", "火星"), ("intercept", "不知道"),
    ("amount", "五十"), ("applied_at", "上周"), ("case_state", "???"), ("inspection", "还行"),
])
def test_unreadable_values_are_marked_bad(key, raw):
    row = make_case(**{"refund_type": "仅退款", "amount": 59, key: raw})
    (res,) = evaluate_rows([row])
    assert key in res.case.bad
    assert getattr(res.case, key) in (None, FIELD_BY_KEY[key].default)
    assert FIELD_BY_KEY[key].parse(raw) is BAD


def test_missing_optional_columns_take_their_defaults():
    headers, rows = table([make_case(refund_type="仅退款", amount=59, ship_state="未发货")])
    (res,) = engine.evaluate(rows, headers, None, NOW)
    case = res.case
    assert (case.goods_kind, case.intercept, case.return_logistics, case.negotiation, case.no_ship,
            case.case_state) == ("标品", "未拦截", "未寄回", "未协商", "否", "处理中")
    assert case.cost_incurred is None and case.deadline is None


def test_blank_cells_in_present_columns_take_defaults_too():
    row = make_case(refund_type="仅退款", amount=59, ship_state="未发货", goods_kind="  ",
                    intercept=None, case_state="")
    (res,) = evaluate_rows([row])
    assert (res.case.goods_kind, res.case.intercept, res.case.case_state) == ("标品", "未拦截", "处理中")


@pytest.mark.parametrize("header, key", [("更新", "last_update"), ("最后更新时刻", "last_update"),
                                         ("客户的反馈", None), ("快递核实备注", "courier_check"),
                                         ("售后单处理状态", "case_state")])
def test_a_header_close_to_a_field_is_suggested_never_used(header, key):
    cmap = resolve(["订单号", "售后类型", header])
    assert key not in cmap.index or key is None
    assert cmap.suggestions.get(key) == header if key else header not in cmap.suggestions.values()


_NOT_TIMED = sorted((k, n) for k in FIELD_BY_KEY if FIELD_BY_KEY[k].parse not in vocab.DATE_PARSERS
                    for n in fields_mod._names_of(k) if n and not n.isascii())


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(_NOT_TIMED), st.sampled_from(["时间", "更新时间", "变更时间", "日期", "时刻"]))
@example(("case_state", "状态"), "更新时间")  # 状态更新时间 was suggested as 售后状态
def test_a_header_naming_a_time_is_suggested_only_as_a_time(named, suffix):
    """售后状态更新时间, 退款金额时间: a header that ends naming a time heads a time — never suggested as the state,
    amount or number it names (the row would ask whether that column is its 售后状态)."""
    key, name = named
    header = name + suffix
    cmap = resolve(["订单号", header])
    used = [k for k, c in cmap.index.items() if c == 1]
    suggested = [k for k, h in cmap.suggestions.items() if h == header]
    assert all(FIELD_BY_KEY[k].parse in vocab.DATE_PARSERS for k in used + suggested), (header, used, suggested)


@pytest.mark.parametrize("name", sorted(fields_mod._AMBIGUOUS_NAMES))
def test_a_name_that_may_head_two_facts_is_suggested_never_read(name):
    """退款时间 (when the shop refunded, or when the buyer asked?), 是否收到 (the buyer's goods, or the warehouse's
    return?): never read as either, named in the report as what it may be — unless a column already feeds that field."""
    key = fields_mod._AMBIGUOUS_NAMES[name]
    cmap = resolve(["订单号", "售后类型", name])
    assert key not in cmap.index and cmap.suggestions.get(key) == name
    beside = resolve(["订单号", FIELD_BY_KEY[key].header, name])
    assert beside.index[key] == 1 and key not in beside.suggestions


def test_a_suggested_column_is_named_where_a_row_needs_it():
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "收货省份", "物流更新时刻"]
    (res,) = engine.evaluate([["A1", "仅退款", 59, "已发货", "运输中", "浙江", "2025-06-09 08:00"]], headers, now=NOW)
    assert res.action_code == "NEEDS_INFO"
    assert res.action_label() == "#信息不足: 物流更新时间（是否为「物流更新时刻」列？）"


# ------------------------------------------------------------ a broader fact is read only when nothing closer is there

_WEAK = {key: names for key, names in fields_mod.WEAK_ALIASES.items()}


@hsettings(max_examples=150, deadline=None)
@given(st.data())
def test_a_broader_header_gives_way_to_any_closer_one(data):
    """订单金额 / 实付金额 / 金额 name the order's total: beside any other header of 退款金额 (申请退款金额,
    买家退款金额 …), in either order, that one is the amount; alone, they are read and the report says how."""
    key = data.draw(st.sampled_from(sorted(_WEAK)))
    fld = FIELD_BY_KEY[key]
    weak = data.draw(st.sampled_from(_WEAK[key]))
    close = data.draw(st.sampled_from([n for n in (fld.header, *fld.aliases) if n not in _WEAK[key] and n != key]))
    first = data.draw(st.booleans())
    head = ["订单号", "售后类型", weak, close] if first else ["订单号", "售后类型", close, weak]
    cmap = resolve(head)
    assert head[cmap.index[key]] == close, (head, cmap.index)
    assert not cmap.conflicts.get(key), cmap.conflicts
    alone = resolve(["订单号", "售后类型", weak])
    assert alone.index[key] == 2 and alone.sources[key] == (weak, 5)


@pytest.mark.parametrize("fld", FIELDS, ids=lambda f: f.key)
def test_a_required_mark_or_a_unit_after_a_header_changes_nothing(fld):
    """*订单号 (a template's required mark), 退款金额/元, 退款金额（元）: the header's field as written bare."""
    for header in (fld.header, *fld.aliases):
        if header.isascii():
            continue
        for marked in ("*" + header, header + "*", "※" + header, header + "/元", header + "（元）"):
            assert resolve([marked]).index == resolve([header]).index, marked


_NOTES = ("（必填）", "(必填)", "【必填】", "（选填）", "[选填]", "（非必填）", "（手填）", "（自动）",
          "（格式：2025-06-08 10:00）", "（yyyy-mm-dd hh:mm）", "（例：已签收）", "（如：顺丰）", "（单位：元）", "：", ":")
_NUMBERS = ("1.", "12.", "3、", "4)", "①", "⑫")


@hsettings(max_examples=300, deadline=None)
@given(st.sampled_from([(f, h) for f in FIELDS for h in (f.header, *f.aliases) if not h.isascii()]),
       st.sampled_from(("", *_NUMBERS)), st.sampled_from(("", "*", "※")), st.lists(st.sampled_from(_NOTES), max_size=2),
       st.sampled_from(("", "\n")))
def test_a_note_on_filling_a_header_in_changes_nothing(fld_header, number, mark, notes, gap):
    """What a template or a desk writes around a header — a number before it (1. / ①), a required
    mark, a note on filling it in (（必填）, 【选填】, （格式：…）), a colon after it — names no other
    field: the header's field as written bare; a bracket that says something else (物流单号(退货)) stays
    a near miss, never the bare field."""
    fld, header = fld_header
    marked = number + mark + header + gap + "".join(notes)
    assert resolve([marked]).index == resolve([header]).index, marked
    # a bracket that says whose (退货) is read as said before the name: the field 退货 + the name is, if any
    said_before = set(resolve(["退货" + header]).index)
    assert fld.key not in resolve([header + "(退货)"]).index or fld.key in said_before or header.endswith("退货"), header


_DECOR = ("★", "☆", "●", "▼", "▽", "↓", "↑", "⏰", "✅", "✔️", "❗", "⚠️", "#", "!", "📦", "🔥")


@hsettings(max_examples=300, deadline=None)
@given(st.sampled_from([(f, h) for f in FIELDS for h in (f.header, *f.aliases) if not h.isascii()]),
       st.lists(st.sampled_from(_DECOR), max_size=2), st.lists(st.sampled_from(_DECOR), max_size=2),
       st.sampled_from(("", " ")))
@example((FIELD_BY_KEY["logistics"], "物流状态"), [], ["▼"], " ")  # (物流状态 ▼ was a near miss, unread)
def test_a_sign_decorating_a_header_changes_nothing(fld_header, before, after, gap):
    """★订单号, 物流状态 ▼, 超时时间⏰, ✅拦截状态: a star, a sort arrow or an emoji around a header names no other field —
    the header's field as written bare."""
    _fld, header = fld_header
    marked = "".join(before) + gap + header + gap + "".join(after)
    assert resolve([marked]).index == resolve([header]).index, marked

# ------------------------------------------------------------ a header that asks a yes/no question

@hsettings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(fields_mod.QUESTION_HEADERS)), st.sampled_from(wordbook.YES_WORDS + wordbook.NO_WORDS),
       st.sampled_from([str.lower, str.upper, lambda t: " " + t + " "]))
@example("是否签收", "否", str.lower)  # (unread before: the column was not used; 否 says not signed, not where)
@example("是否收到货", "是", str.lower)
@example("验货是否合格", "否", str.lower)
@example("是否同意补偿", "无", str.lower)  # (was 未协商: 协商进度's own word for 无)
@example("是否已退款", "否", str.lower)
@example("仓库是否收到", "否", str.lower)
def test_a_yes_no_question_header_reads_its_answers_as_the_fields_words(header, answer, form):
    """是否发货 / 是否定制 / 是否拦截: 是 and 否 (and y/n, √/×, 1/0 …) are the field's words; an answer
    the question cannot give as a fact (是否拦截「是」: started or worked?) is unreadable, never a default."""
    (key,) = resolve([header]).index
    base = [h for h in ("订单号", "售后类型", "退款金额") if FIELD_BY_KEY[key].header != h]  # (是否需要退货 names 售后类型)
    cmap = resolve([*base, header])
    assert cmap.index[key] == len(base), header
    row = [{"订单号": "A1", "售后类型": "仅退款", "退款金额": 30.0}[h] for h in base]
    cols = engine.read_columns([[*row, form(answer)]], cmap.headers, colmap=cmap)
    got = dict(zip(cols.keys, cols.values))[key][0]
    want = fields_mod.QUESTION_HEADERS[header].get(answer)
    if want is None:
        assert got is None and 0 in cols.bad, (header, answer, got)
    elif want is vocab.NOTHING:  # (是否退款「否」: not refunded, open or closed: read as a blank cell)
        assert got == FIELD_BY_KEY[key].default and 0 not in cols.bad, (header, answer, got)
    else:
        assert got == want, (header, answer, got)


# rows where each question's field decides: 仅退款 in transit (拦截), 退货退款 (寄回, 验货, 禁运), an open case
_QUESTION_BASES = (
    {"订单号": "A1", "售后类型": "仅退款", "退款金额": 899.0, "发货状态": "已发货", "物流单号": "SF1", "物流状态": "运输中",
     "物流更新时间": "2025-06-10 08:00", "收货省份": "浙江"},
    {"订单号": "A2", "售后类型": "退货退款", "退款金额": 59.0, "发货状态": "已发货", "退货原因": "不想要了"},
    {"订单号": "A3", "售后类型": "退货退款", "退款金额": 599.0, "发货状态": "已发货", "退货原因": "小瑕疵"},
    {"订单号": "A4", "售后类型": "仅退款", "退款金额": 59.0, "发货状态": "未发货", "商品类型": "定制"},
)


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(fields_mod.QUESTION_HEADERS)), st.sampled_from(["是", "否", "√", "n"]),
       st.sampled_from(_QUESTION_BASES))
@example("无需寄回", "是", _QUESTION_BASES[1])  # (the column was not used: 等待客户寄回, though the desk recorded 方案四)
@example("是否已退款", "是", _QUESTION_BASES[0])  # (the column was not used: an open case, intercept, 钱货两空 missed)
@example("仓库是否收到", "是", _QUESTION_BASES[2])
def test_a_question_headers_answer_decides_as_the_fields_own_word(header, answer, base):
    """A row with a 是否 column decides as the same row with the field's own column saying what the answer says: the
    field's word, a blank cell (是否退款「否」: open or closed, not said), or an unreadable cell (是否拦截成功「否」)."""
    if header not in fields_mod.QUESTION_HEADERS:  # (an alias family of a 是/否 field: 无需寄回)
        key, want = "no_ship", wordbook.yes_no("是", "否")
    else:
        (key,) = resolve([header]).index
        want = fields_mod.QUESTION_HEADERS[header]
    word = want.get(answer)
    own = FIELD_BY_KEY[key].header
    if own in base:
        return
    asked = engine.evaluate([[*base.values(), answer]], [*base, header], now=NOW)[0]
    stated = [] if word is vocab.NOTHING else ["看不懂的字"] if word is None else [word]
    said = engine.evaluate([[*base.values(), *stated]], [*base, *[own] * len(stated)], now=NOW)[0]
    assert (asked.action_code, asked.loss_risk, asked.deadline_code) == (said.action_code, said.loss_risk, said.deadline_code), \
        (header, answer, asked.action_label(), said.action_label())


@hsettings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(fields_mod.QUESTION_HEADERS)), st.sampled_from(["是", "否", "√", "n"]),
       st.sampled_from(_QUESTION_BASES), st.data())
@example("是否已退款", "是", _QUESTION_BASES[0], None)  # (beside 售后状态 处理中: the 是 was not read, intercept and refund)
def test_a_question_beside_the_fields_own_column_is_read_as_its_answers(header, answer, base, data):
    """是否已退款「是」 beside 售后状态「处理中」, 是否拦截成功「是」 beside 拦截状态「拦截中」: the question's answer is the
    field's word, and two columns of a field saying two words decide only what both give (else the row asks); an
    answer that says nothing (是否退款「否」) or is unreadable leaves the field's own column to say it."""
    (key,) = resolve([header]).index
    fld = FIELD_BY_KEY[key]
    own = fld.header
    if own in base:
        return
    word = data.draw(st.sampled_from(fld.choices)) if data is not None else "处理中"
    said = fields_mod.QUESTION_HEADERS[header].get(answer)
    heads = [*base, own, header]

    def action(w, a):
        return engine.evaluate([[*base.values(), w, a]], heads, now=NOW)[0].action_code

    got = action(word, answer)
    together = wordbook.WORDS[key].together if key in wordbook.WORDS else frozenset()
    if said is None or said is vocab.NOTHING or said == word or frozenset({said, word}) in together:
        assert got == action(word, None), (header, answer, word, got)  # (不撤销 and 已收到 may both hold)
        return
    alone = {action(w, None) for w in (word, said)}
    if got != "NEEDS_INFO":
        assert alone == {got}, (header, answer, word, got, alone)
    else:
        assert len(alone) > 1 or "NEEDS_INFO" in alone or own in ("发货状态",), (header, answer, word, alone)


def test_the_reading_report_says_how_a_question_header_is_read():
    """Every run says how it read the sheet: a 是否 header names what its 是 and 否 became."""
    from refund_xl._core import report

    cols = engine.read_columns([["A1", "仅退款", 30.0, "是", "否"]], ["订单号", "售后类型", "退款金额", "是否发货", "是否拦截"])
    used = {header: how for header, _field, how in report.build(cols).used}
    assert used["是否发货"].endswith("（是=已发货、否=未发货）") and used["是否拦截"].endswith("（否=未拦截）")
    assert used["订单号"] == "标准表头"


# ------------------------------------------------------------ a known name written another way

# How desks and exports write a header the product knows, another way (the near forms of
# fields._HEADER_VARIANTS): (rewrite of a known name, or None where it does not apply).
def _with_party(name: str) -> str | None:
    return None if len(name) < 3 else "拼多多" + name if name.endswith("号") else "商家" + name


_WRITTEN_OTHERWISE = {
    "a platform or party in front": _with_party,
    "another ending for an id": lambda n: n[:-1] + "编号" if n.endswith("单号") else n[:-1] + "号码" if n.endswith("号") else None,
    "a date for a time": lambda n: n[:-2] + "日期" if n.endswith("时间") else None,
    "a total for an amount": lambda n: n[:-2] + "总金额" if n.endswith("金额") else None,
    "a name after a kind": lambda n: n + "名称" if n.endswith("类型") else None,
    "the latest in brackets": lambda n: n + "（最新）" if n.endswith("状态") else None,
    "截件 for 拦截": lambda n: n.replace("拦截", "截件") if "拦截" in n else None,
    "核查 for 核实": lambda n: n.replace("核实", "核查") if "核实" in n else None,
    "邮费 for 运费": lambda n: n[:-2] + "邮费" if n.endswith("运费") else None,
    "寄回 for 退货": lambda n: "寄回" + n[2:] if n.startswith("退货") else None,
    "回寄 for 退货": lambda n: "回寄" + n[2:] if n.startswith("退货") else None,  # (回寄单号 was suggested as 物流单号)
}
_KNOWN_NAMES = [(f.key, n) for f in FIELDS for n in (f.header, *f.aliases)
                if not n.isascii() and n not in fields_mod.WEAK_ALIASES.get(f.key, ())]


@hsettings(max_examples=300, deadline=None)
@given(st.sampled_from(_KNOWN_NAMES), st.sampled_from(sorted(_WRITTEN_OTHERWISE)))
def test_a_known_header_written_another_way_is_read_as_that_field(named, how):
    """contract §2 "Column precedence": a header the product knows, written as desks and exports write it
    (拼多多订单号, 退款单编号, 售后申请日期, 退款总金额, 售后类型名称, 物流状态（最新）, 截件状态, 快递核查,
    寄回邮费), is read as that field (below every name it knows, and the report says how) — unless that
    form is itself another field's name, or its near forms name two fields (then it is only suggested)."""
    key, name = named
    other = _WRITTEN_OTHERWISE[how](name)
    if other is None:
        return
    folded = vocab.header_key(other)
    known = fields_mod._CANONICAL.get(folded) or fields_mod._BUILTIN.get(folded)
    cmap = resolve(["订单号" if key != "order_id" else "售后类型", other])
    got = [k for k, col in cmap.index.items() if col == 1]
    if known is not None:
        assert got == [known], (other, got)
        return
    if got:
        assert got == [key] and cmap.sources[key] == (other, fields_mod._VARIANT_TIER), (name, other, got)
    else:  # near forms naming two fields: never read silently
        assert fields_mod._variant_field(folded) is None, (name, other)


def _read_alone(header: str) -> list[str]:
    """The fields a header beside 订单号 and 售后类型 is read as (its column, the third)."""
    return [k for k, col in resolve(["订单号", "售后类型", header]).index.items() if col == 2]


def _known(header: str) -> str | None:
    folded = vocab.header_key(header)
    return fields_mod._CANONICAL.get(folded) or fields_mod._BUILTIN.get(folded)


_RETURN_NAMES = sorted((k, n) for k, n in _KNOWN_NAMES if k.startswith("return_") and n.startswith("退货"))


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(_RETURN_NAMES), st.sampled_from(("寄回", "回寄", "退件")))
@example(named=("return_tracking_no", "退货单号"), back="回寄")  # 回寄单号 was suggested as 物流单号
def test_a_return_field_named_with_another_word_for_the_return_is_that_field(named, back):
    """退货物流单号 is also 寄回物流单号, 回寄物流单号, 退件物流单号: the parcel sent back, never the parcel sent out."""
    key, name = named
    other = back + name[2:]
    assert _read_alone(other) == [key], (other, _read_alone(other))


# How desks head the parcel's trace: the parcel, then its trace, record or news; the return's word before it for
# the parcel sent back (what the courier last said about it; contract §2 物流状态 / 退货物流状态).
_PARCELS = ("物流", "快递", "包裹", "运单", "发货物流", "发货快递")
_TRACE_WORDS = ("轨迹", "跟踪", "追踪", "记录", "动态", "详情", "信息", "现状", "最新状态", "最新动态")
_RETURN_WORDS = ("退货", "退回", "寄回", "回寄", "退件", "买家退货")


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(_PARCELS), st.sampled_from(_TRACE_WORDS), st.sampled_from(("", *_RETURN_WORDS)))
@example(parcel="发货物流", what="信息", back="")  # (was only suggested: the trace of a desk's copied 千牛 column)
@example(parcel="快递", what="轨迹", back="退货")  # (was suggested as 退货快递公司: the wrong field)
def test_a_parcels_trace_heading_is_its_state_field(parcel, what, back):
    """快递轨迹, 运单动态, 发货物流信息 head the trace of the parcel sent out (物流状态); 退货快递轨迹, 寄回物流动态 the
    trace of the parcel sent back (退货物流状态) — never its carrier.  包裹信息 (size, weight?) and the return's word
    alone before 信息 or 详情 (退货信息: the shop's return address?) say no parcel trace: not read."""
    if back and parcel.startswith("发货") or back and parcel in ("包裹", "运单"):
        return  # (no such heading: 退货发货物流)
    header = back + parcel + what
    if _known(header) is not None and _known(header) not in ("logistics", "return_logistics"):
        raise AssertionError((header, _known(header)))
    if not back and header in ("包裹信息", "包裹详情"):
        assert _read_alone(header) == [], header
        return
    assert _read_alone(header) == ["return_logistics" if back else "logistics"], (header, _read_alone(header))


@pytest.mark.parametrize("back", _RETURN_WORDS)
@pytest.mark.parametrize("what", ("信息", "详情"))
def test_the_returns_word_alone_before_information_is_no_trace(back, what):
    """退货信息, 寄回详情: the shop's return address as well as the trace may stand under it: not read, so a column of
    addresses never makes 退货物流状态 unreadable."""
    assert _read_alone(back + what) == [], back + what


def _outbound(key: str) -> list[str]:
    """How desks head the parcel sent out's field ``key`` (its Chinese names, none of them naming the original order or
    the sending, 原单物流单号, 发货快递, nor the bare number, 单号)."""
    fld = FIELD_BY_KEY[key]
    return sorted(n for n in (fld.header, *fld.aliases) if not n.isascii() and not n.startswith("原") and "发货" not in n
                  and n not in ("单号", "快递", "运单", "快递单", "物流号", "快递号"))


@hsettings(max_examples=300, deadline=None)
@given(st.sampled_from([(key, name) for key in ("carrier", "tracking_no") for name in _outbound(key)]),
       st.sampled_from((*_RETURN_WORDS, "退单", "买家寄回", "买家退回")))
@example(("carrier", "承运商"), "退货")  # (was unread)
@example(("tracking_no", "运单号"), "退单")  # (was unread)
def test_the_returns_word_before_the_carrier_or_waybill_heads_the_returns(key_name, back):
    """退货承运商, 寄回物流公司, 退单运单号, 买家退回快递单号: the return's carrier and waybill, headed as the parcel sent
    out's with the return's word before — never the outbound field, never unread."""
    key, name = key_name
    want = {"carrier": "return_carrier", "tracking_no": "return_tracking_no"}[key]
    assert _read_alone(back + name) == [want], (back + name, _read_alone(back + name))


@pytest.mark.parametrize("header, key", [
    ("线上单号", "order_id"), ("线上订单编号", "order_id"), ("外部平台单号", "order_id"), ("网店单号", "order_id"),
    ("联系电话", "phone"), ("收货人联系电话", "phone"), ("收件人联系方式", "phone"), ("电话", "phone"),
])
def test_erp_headers_for_the_platforms_order_and_the_buyers_phone(header, key):
    """ERPs head the platform's order number 线上单号 / 外部平台单号 (线上单号 was suggested as 物流单号, the wrong field)
    and the buyer's phone 联系电话 (what `track` sends 顺丰 its last four digits from)."""
    cmap = resolve(["售后类型", "订单号" if key != "order_id" else "售后单号", header])
    assert [k for k, col in cmap.index.items() if col == 2] == [key], (header, cmap.index)


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(("客户", "买家", "顾客", "用户", "消费者")),
       st.sampled_from(("反馈", "说", "说法", "描述", "回复", "回应", "反馈内容", "反馈情况")))
@example("用户", "反馈")  # (was unread)
@example("顾客", "说法")  # (was only suggested)
def test_what_the_buyer_said_heads_the_customers_word(who, said):
    """用户反馈, 消费者回复, 顾客说法: the buyer, by any of the names desks give them, and what they said head
    客户反馈, alone and beside the columns a sheet has."""
    assert _read_alone(who + said) == ["customer_says"], (who + said, _read_alone(who + said))


@pytest.mark.parametrize("weak", ["买家实付", "买家实付金额", "实付款", "付款金额", "支付金额", "商品金额"])
def test_what_the_buyer_paid_is_the_amount_only_beside_no_refund_amount(weak):
    """买家实付, 支付金额: what the order cost, read as 退款金额 only where no header names the refund (as 订单金额)."""
    assert _read_alone(weak) == ["amount"]
    cmap = resolve(["订单号", "售后类型", weak, "退款金额"])
    assert cmap.index["amount"] == 3, (weak, cmap.index)


@pytest.mark.parametrize("name", ["售后金额", "退款总额", "退款总金额"])
def test_the_cases_own_amount_is_the_refund_amount_before_what_the_order_cost(name):
    """售后金额, 退款总额: the amount of the case (an ERP's name for 退款金额), before 订单金额 / 商品金额 beside it."""
    assert _read_alone(name) == ["amount"]
    for other in ("订单金额", "商品金额", "实付金额"):
        cmap = resolve(["订单号", "售后类型", other, name])
        assert cmap.index["amount"] == 3, (name, other, cmap.index)


# Words a name starts with that say whose or which one (退货物流单号, 快递拦截状态), as desks also write them in
# brackets after the rest (物流单号（退货）, 拦截状态(快递)).
_QUALIFIERS = ("退货", "寄回", "退件", "退回", "发货", "买家", "收货", "收件", "快递", "物流", "售后", "退款", "申请", "拦截", "原单")
_QUALIFIED = [(k, q, n[len(q):]) for k, n in _KNOWN_NAMES for q in _QUALIFIERS
              if n.startswith(q) and len(n) - len(q) >= 2 and k not in ("order_id", "refund_type")]


@hsettings(max_examples=300, deadline=None)
@given(st.sampled_from(_QUALIFIED), st.sampled_from(["（{}）", "({})", "【{}】", "[{}]"]))
def test_a_qualifier_in_brackets_after_a_name_reads_as_said_before_it(named, brackets):
    """contract §2 "Column precedence": 物流单号（退货） is 退货物流单号 (a return's number), never the shop's 物流单号
    with a note; 拦截状态(快递) is 快递拦截状态.  The qualifier turns the field around, so it is read, not dropped."""
    key, qualifier, rest = named
    header = rest + brackets.format(qualifier)
    if _known(header) is not None:  # (a name the product knows as written)
        return
    assert _read_alone(header) == [key], (header, key)


_PLAIN_NAMES = [(k, n) for k, n in _KNOWN_NAMES if k not in ("order_id", "refund_type") and len(vocab.header_key(n)) > 2]


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(_PLAIN_NAMES), st.sampled_from(["【{}】", "[{}]", "「{}」"]))
def test_a_name_in_brackets_is_that_name(named, brackets):
    key, name = named
    assert _read_alone(brackets.format(name)) == [key], (name, key)


# (two yes/no questions in one header, 是否已关闭/退款, ask two things: which one a 是 answers the header does not say)
_SAME_LENGTH_ENDINGS = [(k, a, b) for k, a in _PLAIN_NAMES for k2, b in _PLAIN_NAMES
                        if k2 == k and a != b and len(a) == len(b) and len(a) >= 4 and a[:-2] == b[:-2]
                        and not {a, b} & set(fields_mod.QUESTION_HEADERS)]


@hsettings(max_examples=300, deadline=None)
@given(st.sampled_from(_PLAIN_NAMES), st.sampled_from(_PLAIN_NAMES), st.sampled_from(_SAME_LENGTH_ENDINGS),
       st.sampled_from("/、"))
def test_two_names_in_one_header_are_read_only_when_they_name_one_field(first, second, ending, mark):
    """快递单号/运单号 and 售后状态/进度 (售后进度) name one field: read as it; 拦截结果/时间 (拦截结果 and 拦截时间) and
    物流单号/物流状态 name two: never read silently (the cell may hold either)."""
    (k1, a), (k2, b) = first, second
    header = a + mark + b
    if _known(header) is None and vocab.header_key(a) != vocab.header_key(b):
        got = _read_alone(header)
        if k1 == k2:
            assert got == [k1], (header, got)
        else:
            assert got == [], (header, got)
    key, name, other = ending
    header = name + mark + other[-2:]
    assert _read_alone(header) == [key], (header, key)
    # an ending that makes another field's name: two fields
    for k, n in _PLAIN_NAMES:
        if k != key and len(n) == len(name) and n[:-2] == name[:-2]:
            assert _read_alone(name + mark + n[-2:]) == [], (name, n)


def test_near_forms_naming_two_fields_are_not_read():
    """A header whose near forms name two fields is only suggested; a party before a generic word is no field
    (客户类型 is not 售后类型's 类型)."""
    for header in ("客户类型", "买家手机"):
        cmap = resolve(["订单号", "售后类型", header])
        assert 2 not in cmap.index.values(), (header, cmap.index)
    # a near form is weaker than any name the product knows: 订单号 itself holds the field
    cmap = resolve(["订单号", "售后类型", "退款单编号", "拼多多订单号", "物流状态（最新）"])
    assert cmap.index == {"order_id": 0, "refund_type": 1, "case_id": 2, "logistics": 4}
    assert cmap.sources["case_id"] == ("退款单编号", fields_mod._VARIANT_TIER)
    assert cmap.also == {"order_id": (3,)}  # (read only where 订单号 is blank)


# ------------------------------------------------------------ a second column of the same field

_SAMPLE_VALUE = {vocab.parse_id: ("SF1234567890", "YT9876543210"), **dict.fromkeys(vocab.DATE_PARSERS, (datetime(2025, 6, 9, 8, 0), datetime(2025, 6, 8, 20, 30))),
                 vocab.parse_money: (59.0, 260.0), vocab.parse_province: ("浙江", "新疆"), vocab.parse_text: ("顺丰速运", "中通快递"),
                 vocab.parse_phone: ("13800001111", "13900002222")}


def _two_values(fld) -> tuple[object, object] | None:
    if fld.choices:
        return fld.choices[0], fld.choices[-1]
    return _SAMPLE_VALUE.get(fld.parse)


_SECOND_NAMES = [(f.key, n) for f in FIELDS for n in f.aliases
                 if not n.isascii() and len(vocab.header_key(n)) > 2 and n not in fields_mod.WEAK_ALIASES.get(f.key, ())
                 and f.key not in ("order_id", "refund_type") and _two_values(f) is not None]


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(_SECOND_NAMES))
def test_a_second_column_of_a_field_fills_its_blank_cells(named):
    """Two columns of one field (物流状态 and 最新物流信息, 收货省份 and 收货地址): where the first is blank the
    second is read — the sheet holds the fact, so it is never asked for nor defaulted — and where the first
    has a value, that value stands, unless the two say two words of a field of words that cannot both hold
    (商品类型 标品 and 代购): then neither is taken, both are quoted (contract §2: never resolved by position); the
    reading report says how the second column was read."""
    from refund_xl._core import report

    key, alias = named
    fld = FIELD_BY_KEY[key]
    own, other = _two_values(fld)
    head = ["订单号", "售后类型", fld.header, alias]
    rows = [["A1", "仅退款", None, other], ["A2", "仅退款", own, other], ["A3", "仅退款", None, None]]
    cols = engine.read_columns(rows, head, now=NOW)
    got = dict(zip(cols.keys, cols.values))[key]
    parse = fld.parse
    # (a second column headed by a question reads its answers: 是否可寄回「是」 is 禁运 否)
    theirs = fields_mod.question_words(alias).get(other, parse(other))
    assert got[0] == theirs, (key, alias, got)
    if fld.choices and parse(own) != theirs and \
            frozenset({parse(own), theirs}) not in wordbook.WORDS[key].together:
        assert got[1] is None and cols.bad[1] == (key,) and cols.bad_values[1][0].__class__ is vocab.Both, (key, got)
    else:
        assert got[1] == parse(own), (key, alias, got)
    assert got[2] == fld.default, (key, alias, got)
    assert cols.fallback.get(key) == 1
    used = {header: how for header, _f, how in report.build(cols).used}
    assert alias in used and fld.header in used[alias], used


def test_a_two_character_name_beside_a_closer_column_fills_nothing():
    """状态 / 类型 / 原因 beside 售后状态 / 售后类型 / 退货原因 may name something else (an order's status):
    never read for the closer column's blanks."""
    cols = engine.read_columns([["A1", "仅退款", 59, None, "已关闭"]], ["订单号", "售后类型", "退款金额", "售后状态", "状态"],
                               now=NOW)
    assert dict(zip(cols.keys, cols.values))["case_state"] == ["处理中"] and not cols.fallback


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(_KNOWN_NAMES), st.sampled_from(["\u200b", "\ufeff", "\u2060", "\u00ad"]), st.data())
def test_a_header_or_value_with_a_character_that_shows_nothing_reads_as_shown(named, invisible, data):
    """A header, an id, a date or an amount pasted with a zero-width space or a byte-order mark inside reads as the
    desk sees it (the id kept as its digits, never made unreadable by a character nobody can see)."""
    key, name = named
    at = data.draw(st.integers(0, len(name)))
    assert resolve([name[:at] + invisible + name[at:]]).index == resolve([name]).index, name
    for value, parse in (("4242994886263078938", vocab.parse_id), ("2025-06-08 10:00", vocab.parse_datetime),
                         ("59.90元", vocab.parse_money)):
        i = data.draw(st.integers(0, len(value)))
        assert parse(value[:i] + invisible + value[i:]) == parse(value), (value, i)


_WORD_FIELD_NAMES = [(f.key, n) for f in FIELDS if f.choices for n in (f.header, *f.aliases)
                     if not n.isascii() and len(vocab.header_key(n)) > 2 and n not in fields_mod.WEAK_ALIASES.get(f.key, ())
                     and f.key != "refund_type" and not n.startswith("是否")]  # (_read_alone's second column is 售后类型)


@hsettings(max_examples=300, deadline=None)
@given(st.sampled_from(_WORD_FIELD_NAMES), st.data(), st.sampled_from(["（{}）", "({})", "【{}】", " {}", "：{}"]),
       st.sampled_from(["/", "、", "|"]))
def test_a_header_listing_the_values_its_column_takes_is_that_field(named, data, brackets, mark):
    """A template lists the values a column takes after its header (物流状态（已揽收/运输中/已签收）, 拦截状态(未拦截/拦截中/
    成功/失败), 发货状态 未发货/已发货): the header is the field, when every value listed is a word of it; a value that is
    no word of it (物流状态(已揽收/SF123)) says the column holds something else: never read silently."""
    key, name = named
    choices = FIELD_BY_KEY[key].choices
    listed = data.draw(st.lists(st.sampled_from(choices), min_size=2, max_size=len(choices), unique=True))
    header = name + brackets.format(mark.join(listed))
    assume(_known(header) is None)
    assert _read_alone(header) == [key], header
    odd = name + brackets.format(mark.join([listed[0], "SF1234567890"]))
    assert _read_alone(odd) == [], odd


def test_every_two_words_listed_after_a_name_read_as_that_name():
    """Every name of a field of words with any two of its words listed after it (快递进度（未揽收/退回）): that field,
    never another name the list cut into (快递进度(退回) → 退回快递进度, a return's: the explore profile found it)."""
    wrong = []
    for key, name in _WORD_FIELD_NAMES:
        words = FIELD_BY_KEY[key].choices
        for a in words:
            for b in words:
                header = f"{name}（{a}/{b}）"
                if a != b and _known(header) is None and _read_alone(header) != [key]:
                    wrong.append((header, _read_alone(header)))
    assert not wrong, wrong[:10]


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(fields_mod.QUESTION_HEADERS)),
       st.sampled_from(["（是/否）", "(是或否)", "【Y/N】", "(yes/no)", "？", "?", "（是/否）？"]))
def test_a_question_header_with_its_answers_listed_reads_its_answers(question, answers):
    """是否发货（是/否）, 是否定制【Y/N】, 是否已发货？: the question with the answers it takes, or its question mark — read
    as the question, 是 / 否 as its words (a question mark was read as part of the name: only suggested)."""
    header = question + answers
    assert fields_mod.question_words(header) == fields_mod.question_words(question)
    assert resolve([header]).index == resolve([question]).index, header
    rows = [["A1", "仅退款", 30.0, "是"], ["A2", "仅退款", 30.0, "否"]]
    head = ["订单号", "售后类型", "退款金额"]
    asked = engine.read_columns(rows, [*head, header], now=NOW)
    plain = engine.read_columns(rows, [*head, question], now=NOW)
    assert asked.values == plain.values and asked.bad == plain.bad, header


@hsettings(max_examples=100, deadline=None)
@given(st.sampled_from([(k, n) for k, n in _KNOWN_NAMES for w in ("最后", "最近", "最新") if w in n and k != "order_id"]),
       st.sampled_from(["一次", "一条"]))
def test_the_last_one_is_the_latest(named, one):
    """物流最后一次更新时间, 最后一条物流时间: the last one — as 物流最后更新时间, 最后物流时间."""
    key, name = named
    for w in ("最后", "最近", "最新"):
        name_one = name.replace(w, w + one, 1)
        if name_one != name:
            break
    assert _read_alone(name_one) == [key], (name, name_one)


_SAID_NAMES = [(k, n) for k, n in _PLAIN_NAMES if n.endswith(("反馈", "回复", "说明", "描述"))]


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(_SAID_NAMES), st.sampled_from(["情况", "内容", "详情"]))
@example(("customer_says", "客户反馈"), "情况")  # (客户反馈情况 was only suggested)
@example(("courier_check", "快递回复"), "内容")
def test_what_someone_said_named_with_an_ending_is_that_column(named, ending):
    """客户反馈情况, 快递回复内容, 网点反馈详情: what the buyer or the courier said, named with an ending that adds nothing —
    the column of the name without it."""
    key, name = named
    assert _read_alone(name + ending) == [key], (name + ending, key)


@pytest.mark.parametrize("header", ["运单", "物流号", "快递号"])
def test_the_waybill_by_its_short_names_is_the_tracking_number(header):
    """运单, 物流号 (物流号 was suggested as 物流状态), 快递号: the outbound parcel's number."""
    assert _read_alone(header) == ["tracking_no"], header


def test_two_columns_saying_two_words_are_reported_apart_from_unreadable_cells():
    """物流状态 运输中 beside 物流信息 已签收: the reading report names the disagreement (两列说法不一致), quoting both,
    never as an unreadable cell nor a value mapping to add; the row asks where the two words decide otherwise."""
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "物流单号", "物流状态", "物流更新时间", "收货省份", "物流信息"]
    rows = [["A1", "仅退款", 59, "已发货", "SF1", "运输中", "2025-06-10 08:00", "浙江", "已签收"],
            ["A2", "仅退款", 59, "已发货", "SF2", "运输中", "2025-06-10 08:00", "浙江", "运输中"]]
    (split, same), rep = engine.evaluate_read(rows, headers, now=NOW)
    assert split.action_code == "NEEDS_INFO" and "运输中／物流信息:已签收" in split.action_label()
    assert same.action_code == "INTERCEPT_REFUND_NOW"
    assert rep.split == [("物流状态", 1, ["运输中／物流信息:已签收"])] and not rep.unreadable
    assert any("两列说法不一致" in line for line in rep.lines())


@hsettings(max_examples=60, deadline=None)
@given(st.sampled_from([(h, "goods_kind", ("是", "定制", "代购")) for h in fields_mod._CUSTOM_OR_PROXY]
                       + [(h, "cost_incurred", ("已开工", "是", "生产中")) for h in fields_mod._WORK_STARTED
                          if h.startswith("是否") or "进度" in h or "情况" in h or "/" in h]
                       + [(h, "return_logistics", ("√", "是", "已收", "已签收")) for h in fields_mod._WAREHOUSE_SIGNED]),
       st.data())
def test_a_desk_column_of_made_to_order_goods_work_started_or_the_return_signed_is_read(case, data):
    """定制/代购「是」, 开工情况「已开工」, 仓库签收「√」: the fact that decides — a made-to-order item with no cost known is
    asked the reason (never 同意退款 as a standard item); work started is a cost; a return signed for is refunded."""
    header, key, says = case
    answer = data.draw(st.sampled_from(says))
    assert resolve([header]).index == {key: 0}, header
    if key == "return_logistics":
        head = ["订单号", "售后类型", "退款金额", "发货状态", "退货原因", header]
        row = ["A1", "退货退款", 59, "已发货", "不想要", answer]
        want = ("APPROVE_REFUND",)
    else:
        head = ["订单号", "售后类型", "退款金额", "发货状态", "商品类型" if key == "cost_incurred" else "已产生成本", header]
        row = ["A1", "仅退款", 399, "未发货", "定制" if key == "cost_incurred" else None, answer]
        want = ("NEGOTIATE_COST",) if key == "cost_incurred" else ("ASK_REASON",)
    (res,), _rep = engine.evaluate_read([row], head, now="2025-06-10 12:00")
    assert res.action_code in want, (header, answer, res.action_code, res.why())


@hsettings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted({n for f in FIELDS if f.parse in vocab.DATE_PARSERS for n in fields_mod._names_of(f.key)
                               for end in ("人", "姓名") if end in n})), st.data())
def test_a_header_naming_a_person_is_never_suggested_as_a_time(named, data):
    """收件人 (the recipient's name) is in 收件人签收时间: a person, never that time (every other field's column there, so
    the time is the one field left it could be)."""
    who = named[:named.index("人") + 1] if "人" in named else named[:named.index("姓名") + 2]
    others = [f.header for f in FIELDS if f.parse not in vocab.DATE_PARSERS]
    got = resolve([who, *others]).suggestions
    assert not {k for k in got if FIELD_BY_KEY[k].parse in vocab.DATE_PARSERS}, (who, got)


# every person a header may name, as the names of the fields put it (收件人手机, 收货人地址 …) and as desks add them
_PEOPLE = sorted({n[:n.index(end) + len(end)] for f in FIELDS for n in fields_mod._names_of(f.key)
                  for end in ("人", "姓名") if end in n} | {"联系人", "客户姓名", "买家昵称", "客户网名", "收件人名字"})


@hsettings(max_examples=60, deadline=None)
@given(st.sampled_from(_PEOPLE), st.sampled_from([f.key for f in FIELDS]))
def test_a_header_naming_a_person_is_never_suggested_as_any_field(who, missing):
    """收件人 heads a name (旺店通's 退换单 has it beside 手机): never 收货省份 nor any other field the sheet lacks."""
    others = [f.header for f in FIELDS if f.key != missing]
    assert resolve([who, *others]).suggestions == {}, (who, missing)


@hsettings(max_examples=60, deadline=None)
@given(st.sampled_from(["卖家", "商家", "店铺", "客服", "门店"]), st.sampled_from(["电话", "手机", "地址", "联系电话", "所在地"]))
def test_a_header_naming_the_shops_own_contact_is_never_the_buyers(shop, what):
    """卖家电话 (千牛 exports it), 商家地址: the shop's own — never suggested as 收件人手机 or 收货省份."""
    others = [f.header for f in FIELDS if f.key not in ("phone", "province")]
    got = resolve([shop + what, *others]).suggestions
    assert not {"phone", "province"} & set(got), (shop + what, got)
