"""contract §2 "A value is read as a whole phrase": a courier's trace as the couriers write it (red team h48).

The families behind the red team's traces: the courier's pickup words read alike for the parcel sent and the return
(退货物流状态「邮件已收寄」is the return picked up, never 收 "received" then 寄 "sent"); who signed a return is the
return field's reading on every path (千牛 退货物流信息「买家已签收」: back in the buyer's hands).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from refund_xl._core import engine, phrases, wordbook
from refund_xl._core.fields import FIELD_BY_KEY
from refund_xl._core.vocab import BAD

NOW = "2025-06-10 12:00"


def _logistics(text: str) -> object:
    return FIELD_BY_KEY["logistics"].parse(text)


def _return(text: str) -> object:
    return FIELD_BY_KEY["return_logistics"].parse(text)


# ------------------------------------------------------------------ the courier's pickup, on both ways

PICKUP_WORDS = ("揽收", "揽件", "收件", "揽", "收取", "收寄")
# how traces write a pickup around the word: done, with the parcel or the courier named, a place, a time
PICKUP_FORMS = ("已{}", "{}", "快件已{}", "邮件已{}", "【北京市】邮件已{}，揽投员：赵六", "您的包裹已被{}",
                "2025-06-08 10:00:00 【杭州市】快件已{}", "顺丰速运 已{}快件", "{}成功")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PICKUP_WORDS), st.sampled_from(PICKUP_FORMS))
def test_a_couriers_pickup_reads_as_collected_for_the_parcel_and_the_return_alike(word, form):
    """揽收, 收件, 收取, 收寄 in any of a trace's forms: 已揽收 in 物流状态 and in 退货物流状态 alike (收寄 is no 收 then 寄,
    a return received)."""
    text = form.format(word)
    got = _logistics(text)
    if got is BAD:  # (a form that does not fit the word, 已揽成功: unreadable in both, never a signing)
        assert _return(text) in (BAD, "已揽收"), text
        return
    assert got == "已揽收", text
    assert _return(text) == "已揽收", text


def _one_character_compounds(key: str) -> list[tuple[str, str]]:
    """(one-character stem, a stem of another kind) of a field whose text together holds no longer stem: 收 then 寄."""
    g = wordbook.WORDS[key].grammar
    if g is None or not g.strict:  # (退货原因 is free text: the words may stand inside a sentence)
        return []
    out = []
    for first, kind in g.stems.items():
        if len(first) != 1:
            continue
        for second, other in g.stems.items():
            if other == kind or not phrases._cjk(second[0]) or second.startswith(("未", "没", "不", "只", "仅")):
                continue
            found = phrases._stems_in(g, first + second)
            if [(s, e) for s, e, _w in found] == [(0, 1), (1, 1 + len(second))]:
                out.append((first, second))
    return out


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(wordbook.WORDS)), st.data())
def test_a_one_character_stem_right_before_another_step_is_no_step_of_its_own(key, data):
    """收 then 寄 (收寄), 收 then 发货: the first character of a word the table does not hold — unreadable, never the two
    steps read apart (退货物流状态「已收寄」was 已签收, the later of 收 and 寄)."""
    pairs = _one_character_compounds(key)
    if key == "return_logistics":
        assert {("收", "发货"), ("收", "分拣")} <= set(pairs)
    if not pairs:
        return
    first, second = data.draw(st.sampled_from(pairs))
    assert FIELD_BY_KEY[key].parse("已" + first + second) is BAD, (key, first + second)


# ------------------------------------------------------------------ who signed a return, on every path

HEAD = ["退款编号", "订单编号", "支付宝交易号", "买家退款金额", "是否需要退货", "退款状态", "货物状态", "发货物流信息",
        "退款的申请时间", "买家实际支付金额", "退货物流单号", "退货物流信息"]
SIGNING_FORMS = ("{}已签收", "快件已签收，签收人：{}", "已签收（{}）", "{}签收", "已签收，签收人是{}")


def _qianniu(trace: str, state: str = "买家已经退货，等待卖家确认收货") -> list[object]:
    return ["R1", "T1", "Z1", "59", "是", state, "买家已退货", "中通快递 75234220267368：已签收，签收人：门卫",
            "2025-06-08 10:00", "59", "75239990000000", f"中通快递 75239990000000：{trace}"]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(phrases.BUYER_SIDE), st.sampled_from(SIGNING_FORMS))
def test_the_buyers_side_signing_a_return_is_unreadable_on_every_path(who, form):
    """退货物流状态 and 千牛's 退货物流信息 alike: the buyer's side signing the return (买家已签收, 签收人：客户) is the return
    back in the buyer's hands — asked, quoting the trace; refunded already, at 钱货两空 risk; never 退货已签收."""
    trace = form.format(who)
    assert _return(trace) is BAD, trace
    assert engine._return_word(trace) != "已签收", trace
    (res,), _rep = engine.evaluate_read([_qianniu(trace)], HEAD, now=NOW)
    assert res.action_code == "NEEDS_INFO" and "return_logistics" in res.case.bad, (trace, res.action_code)
    (done,), _rep = engine.evaluate_read([_qianniu(trace, "退款成功")], HEAD, now=NOW)
    assert done.loss_risk == "RISK", trace


SIGNED_TRACES = ("快件已签收", "已签收，签收人：本人", "已签收，签收人：仓库", "已签收，签收人：门卫", "已妥投", "派送成功",
                 "驿站代收", "快件已被 菜鸟驿站 代收", "已投柜", "已放入快递柜", "签收人：张三", "您的订单已由本人签收",
                 "快件已签收，签收人：公司前台", "商家已签收", "寄件人已签收", "已签收，签收人：寄件人")


@pytest.mark.parametrize("trace", SIGNED_TRACES)
def test_a_return_trace_reads_as_signed_only_where_the_return_field_reads_it(trace):
    """A trace 物流状态 reads as a delivery is the return's 已签收 only where 退货物流状态 reads it so: who signed, and
    where, is the return's own reading (a parcel point near the shop, 驿站代收, is no arrival yet: asked)."""
    assert (engine._return_word(trace) == "已签收") == (_return(trace) == "已签收"), trace


# ------------------------------------------------------------------ a trace's events in order

# one event of a courier's trace per 物流状态 word (the words a line alone reads)
EVENTS = {
    "异常": ("派件异常", "快件派送不成功，收件人电话无人接听", "快件在【杭州转运中心】滞留"),
    "未揽收": ("揽收失败", "等待揽收"),
    "已揽收": ("已揽收", "【杭州市】快件已揽收"),
    "运输中": ("快件已到达【上海转运中心】", "运输中"),
    "派送中": ("快件派送中", "派件员正在派件"),
    "已签收": ("已签收，签收人：门卫", "快件已签收"),
}
_ORDER = ("未揽收", "已揽收", "运输中", "派送中", "已签收")
EVENT_PAIRS = [(a, b) for a in EVENTS for b in EVENTS]


def _latest(first: str, then: str) -> object:
    """物流状态 of two events in order: a trouble or a pickup not made yet is over once a later event follows; a trouble
    after the signing stays unreadable (签收后异常); along the way, the furthest step (as without order)."""
    if first in ("异常", "未揽收"):
        return then
    if then == "异常":
        return BAD if first == "已签收" else "异常"
    if then == "未揽收":
        return BAD  # (已揽收 then 揽收失败: no step back to before the pickup)
    return max(first, then, key=_ORDER.index)


def _stamped(text: str, day: int, hour: int, iso: bool = False) -> str:
    return f"2025-06-{day:02d}T{hour:02d}:00:00+08:00 {text}" if iso else f"2025-06-{day:02d} {hour:02d}:00:00 {text}"


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(EVENT_PAIRS), st.data(), st.sampled_from(("arrow", "lines", "lines reversed", "iso reversed")),
       st.sampled_from(("\n", "；", " ")))
def test_two_events_in_order_read_as_the_latest(pair, data, form, sep):
    """派件异常→派送中: 派送中; two lines with their times, in either order (2025-06-09 18:00 派件异常 / 2025-06-10 09:00
    已签收): the later — the trouble before it is over.  (Red team h48: 派件异常→派送中 read 异常; the lines unreadable.)"""
    first, then = pair
    a, b = data.draw(st.sampled_from(EVENTS[first])), data.draw(st.sampled_from(EVENTS[then]))
    if form == "arrow":
        text = f"{a}→{b}"
    elif form == "lines":
        text = _stamped(a, 9, 18) + sep + _stamped(b, 10, 9)
    else:
        text = _stamped(b, 10, 9, "iso" in form) + sep + _stamped(a, 9, 18, "iso" in form)
    assert _logistics(text) == _latest(first, then), text


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([w for w in _ORDER[1:]]), st.data(), st.sampled_from(("；", "\n", ";")), st.booleans())
def test_a_trouble_beside_a_step_in_no_order_is_asked(step, data, sep, trouble_first):
    """快件派送不成功，收件人电话无人接听；快件派送中: two lines, no time, no arrow — which came last the cell does not say:
    unreadable (it was 异常, and the row named only 物流更新时间)."""
    trouble, other = data.draw(st.sampled_from(EVENTS["异常"])), data.draw(st.sampled_from(EVENTS[step]))
    text = trouble + sep + other if trouble_first else other + sep + trouble
    assert _logistics(text) is BAD, text


RETURN_EVENTS = {
    "未寄回": ("揽收失败", "等待快递员上门取件"),
    "已揽收": ("已揽收", "【北京市】邮件已收寄，揽投员：赵六"),
    "运输中": ("快件已到达【上海转运中心】", "运输中"),
    "已签收": ("已签收，签收人：仓库", "仓库已签收"),
}
_RETURN_ORDER = ("未寄回", "已揽收", "运输中", "已签收")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([(a, b) for a in RETURN_EVENTS for b in RETURN_EVENTS if a != "已签收" and b != "未寄回"]),
       st.data(), st.booleans(), st.booleans())
def test_a_returns_events_in_order_read_as_the_latest(pair, data, arrow, trouble):
    """退货物流状态 as 物流状态: 揽收失败→已揽收 is 已揽收; two stamped lines, either order, the later; a trouble on the way
    before them (派件异常，电话无人接听, which 物流状态 reads as 异常) is over once a later line follows."""
    first, then = pair
    a, b = data.draw(st.sampled_from(RETURN_EVENTS[first])), data.draw(st.sampled_from(RETURN_EVENTS[then]))
    if arrow:
        text = f"{a}→{b}"
    else:
        lines = [_stamped(b, 10, 9), _stamped(a, 9, 12)]
        if trouble:
            lines.append(_stamped("派件异常，电话无人接听", 9, 18))
        text = "\n".join(lines)
    want = then if first == "未寄回" else max(first, then, key=_RETURN_ORDER.index)
    assert _return(text) == want, text


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([e for events in EVENTS.values() for e in events]), st.sampled_from(("+08:00", "Z", "+0800", "")))
def test_an_iso_time_at_a_traces_head_is_its_time(event, offset):
    """2025-06-09T12:10:00+08:00 快件已到达【上海转运中心】: read as the line without its time, and the time is the trace's."""
    text = f"2025-06-09T12:10:00{offset} {event}"
    assert _logistics(text) == _logistics(event), text
    assert engine._trace_time(text) == f"2025-06-09T12:10:00{offset}", text


# ------------------------------------------------------------------ a carrier's boilerplate, parties and reasons

# what couriers write beside the step, to the buyer or of their calls: no step of the parcel's
FILLER_LINES = ("投诉电话：95338", "有问题请联系派件员", "请联系寄件人", "请寄件人联系收件人", "请联系客服理赔",
                "请联系收件人补充资料", "请放心接听", "顺丰已开启“安全呼叫”保护您的电话隐私,请放心接听！",
                "95720为中通快递员外呼专属号码，请放心接听", "如有疑问请电联：13800001111", "联系电话：021-12345678",
                "请保持电话畅通,并耐心等待", "恢复时间另行通知", "客服热线 400-811-1111", "派送业务员：张三",
                "快递员：刘某，联系电话：150****1234", "揽投员：赵六")
STATE_LINES = [(word, text) for word, texts in EVENTS.items() for text in texts] + [
    ("拒收", "收件人拒收"), ("拒收", "收方客户拒收"), ("丢件", "快件丢失"), ("退回", "快件已退回寄件人"), ("异常", "海关扣关"),
    ("异常", "超出派送范围"), ("已签收", "您的快件已签收，签收人在【快递柜】领取了您的快件")]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(STATE_LINES), st.sampled_from(FILLER_LINES), st.booleans())
def test_a_carriers_boilerplate_beside_a_step_reads_as_the_step(state, filler, after):
    """快件已签收，签收人：本人，投诉电话：95338; 超出派送范围，请联系寄件人; 正在派件，请放心接听: the courier's contact lines,
    its notices and its people's names say nothing of the parcel — the step alone (they made real traces unreadable)."""
    word, text = state
    assert _logistics(text) == word, text
    cell = f"{text}，{filler}" if after else f"{filler}，{text}"
    assert _logistics(cell) == word, cell


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(RETURN_EVENTS["已揽收"] + RETURN_EVENTS["运输中"] + RETURN_EVENTS["已签收"]),
       st.sampled_from(FILLER_LINES))
def test_a_carriers_boilerplate_beside_a_returns_step_reads_as_the_step(text, filler):
    assert _return(f"{text}，{filler}") == _return(text), filler


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(("已签收", "拒收", "签收", "已拒收")), st.sampled_from(("快件", "")))
def test_sf_s_parties_read_as_the_parties(step, parcel):
    """顺丰's 收方 (the recipient) and 寄方 (the sender) read as 收件人 and 寄件人 do, for the parcel and the return."""
    for key in ("logistics", "return_logistics"):
        read = FIELD_BY_KEY[key].parse
        assert read(f"{parcel}收方{step}") == read(f"{parcel}收件人{step}"), (key, step)
        assert read(f"{parcel}寄方{step}") == read(f"{parcel}寄件人{step}"), (key, step)


FAILURES = [("异常", "快件派送失败"), ("异常", "快件在【北京顺义集散中心】滞留"), ("未揽收", "揽收失败"), ("丢件", "快件丢失"),
            ("拒收", "收件人拒收"), ("异常", "快件派送不成功")]
REASONS = ("航班取消", "收件人要求改天派送", "寄件人不在", "寄件人取消寄件", "天气原因", "收件人地址不详",
           # what was wrong (地址错误, 电话有误): a reason, no correction of the trace (误 alone is one: 退回（误）)
           "收货地址有误", "地址错误", "收件人电话有误", "电话号码错误")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FAILURES), st.sampled_from(REASONS), st.sampled_from(("，原因：", "，原因: ", "原因：")))
def test_a_labelled_reason_beside_a_failure_says_why(failure, reason, label):
    """快件在【北京】滞留，原因：航班取消; 派送失败，原因：收件人要求改天派送; 揽收失败，原因：寄件人不在: the failure, whatever the
    reason's words — a reason labelled so is why (it made the trace unreadable); beside a step that is no failure, a
    reason the words do not read is asked (已签收，原因：航班取消)."""
    word, text = failure
    if _logistics(reason) not in (None, BAD):  # (a reason read as a word: as beside a comma — 丢失，地址不详 is asked)
        assert _logistics(text + label + reason) == _logistics(text + "，" + reason), text + label + reason
        return
    assert _logistics(text + label + reason) == word, text + label + reason
    if phrases.has_step(wordbook.LOGISTICS.grammar, reason) and _logistics(reason) is BAD:  # (航班取消: no reading)
        assert _logistics("快件已签收" + label + reason) is BAD, reason


@pytest.mark.parametrize("text,word", [
    ("【上海市】 【上海浦东新区】 的业务员 【王五(13800001111)】 正在第1次派件", "运输中"),
    ("快件在【深圳宝安集散中心】完成分拣，准备发往 【北京顺义集散中心】", "运输中"), ("您的订单在京东【北京马驹桥分拣中心】分拣完成", "运输中"),
    ("完成分拣", "运输中"), ("待发往仓库", BAD), ("准备发往【上海】", BAD), ("揽件失败，原因：买家取消寄件", "未寄回"),
])
def test_a_returns_transit_wording_reads_as_the_parcels(text, word):
    """退货物流状态 reads a step of the way done (完成分拣, 分拣完成) and the courier's try (第1次派件) as 物流状态 does; what
    comes next alone (待发往仓库: maybe a return not sent yet) stays unreadable."""
    assert _return(text) == word, text


@pytest.mark.parametrize("text", ["丢件（误）", "退回（误）", "已签收（有误）", "丢件，信息有误", "丢件，单号有误", "快件丢失（笔误）"])
def test_a_mistake_said_of_the_record_stays_unreadable(text):
    """误, 有误 of the record itself (信息有误, 单号有误, 笔误): the trace typed may be wrong — asked, never the word."""
    assert _logistics(text) is BAD, text
