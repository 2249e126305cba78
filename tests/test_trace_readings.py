"""contract §2 "A value is read as a whole phrase": courier traces whose reading hid a fact (red team h50).

The families behind the red team's traces: a signing named as the recipient's beside a way back contradicts itself
(never 退回, never 钱货两空 OK); the trace's own latest event is a fact of movement beside a typed 物流更新时间; a pickup
code typed with spaces around it inside 「请凭取件码 … 及时取件」 is filler; a courier's bracketed note that the grammar
reads as not changing the state leaves it; an unread trace is quoted so that its event shows; a conflict named in the
action text names its fields.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from refund_xl._core import engine, phrases, render
from refund_xl._core.fields import FIELD_BY_KEY, FIELDS
from refund_xl._core.vocab import BAD

NOW = "2025-06-10 12:00"
HEAD = ["订单号", "售后类型", "退款金额", "发货状态", "售后状态", "物流单号", "物流状态", "物流更新时间"]


def _logistics(text: str) -> object:
    return FIELD_BY_KEY["logistics"].parse(text)


def _row(trace: object, state: str = "处理中", amount: float = 59, updated: object = None) -> list[object]:
    return ["1001", "仅退款", amount, "已发货", state, "ZT1234567890", trace, updated]


def _one(row: list[object], head: list[str] = HEAD):
    (res,), _rep = engine.evaluate_read([row], head, now=NOW)
    return res


# ------------------------------------------------------------------ who signed, beside a way back

# the recipient as traces name the one who signed (签收人：本人, 收件人本人已签收, 已签收（本人）)
RECIPIENT_SIGNINGS = ("已签收，签收人：{}", "签收人：{}", "{}已签收", "{}签收", "已签收（{}）", "快件已被{}签收")
RECIPIENTS = (*phrases.RECIPIENTS, "收件人本人", "客户本人")
RETURNS = ("快件已退回", "退回中", "已退回", "快件退回中", "已退回寄件人", "退回")
# a way back and a signing, in every order a trace writes them: one cell, lines, arrows, lines with their times
JOINS = ("{a}，{b}", "{b}，{a}", "{a}\n{b}", "{b}\n{a}", "{a}；{b}", "{b}；{a}", "{a}→{b}", "{b}→{a}",
         "2025-06-07 09:00:00 {a}\n2025-06-08 09:00:00 {b}", "2025-06-07 09:00:00 {b}\n2025-06-08 09:00:00 {a}")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RECIPIENTS), st.sampled_from(RECIPIENT_SIGNINGS), st.sampled_from(RETURNS), st.sampled_from(JOINS))
def test_the_recipient_signing_beside_a_way_back_is_unreadable(who, signing, back, join):
    """退回 beside a signing named as the recipient's (本人, 收件人, 买家, 收货人 …), in any order: did the buyer get the
    parcel or did it go back? Unreadable, never 退回."""
    signed = signing.format(who)
    assert _logistics(signed) in ("已签收", BAD), signed  # (签收人：消费者 alone is unread as it was)
    text = join.format(a=back, b=signed)
    assert _logistics(text) is BAD, text


SENDERS = ("寄件人", "发件人", "商家", "卖家", "寄方")


@settings(max_examples=100, deadline=None)
@given(st.sampled_from((*SENDERS, None)), st.sampled_from(RETURNS), st.sampled_from(JOINS[:8]))
def test_an_unnamed_or_the_senders_signing_beside_a_way_back_stays_returned(who, back, join):
    """docs/reading.md: 已签收 written with 退回 is the sender signing for the parcel that came back — with no signer
    named, or the sender named, it stays 退回."""
    signed = "已签收" if who is None else f"已签收，签收人：{who}"
    text = join.format(a=back, b=signed)
    assert _logistics(text) == "退回", text


@pytest.mark.parametrize("trace", ["快件已退回\n已签收，签收人：本人", "退回中→已签收，签收人：本人", "快件退回中，收件人本人已签收",
                                   "快件已退回；已签收，签收人：本人", "已签收，签收人：本人；快件已退回"])
def test_a_way_back_signed_by_the_recipient_is_asked_and_a_refund_paid_on_it_at_risk(trace):
    """The red team's rows: asked (quoting the trace), never 规则8 退回 → APPROVE_REFUND; on an 已退款 row 钱货两空 RISK."""
    res = _one(_row(trace))
    assert res.action_code != "APPROVE_REFUND", trace
    assert res.action_code in ("NEEDS_INFO", "CONFIRM_RECEIPT"), (trace, res.action_code)
    done = _one(_row(trace, "已退款"))
    assert done.loss_risk == "RISK", trace


# ------------------------------------------------------------------ the trace's own time, beside a typed one

MOVING = ("【上海市】快件派送中", "快件已到达【上海转运中心】", "【杭州市】快件已发出，下一站【上海】", "快件滞留，原因：航班取消")
# the trace's time as couriers write it (with its year, ISO, without its year)
TRACE_TIMES = ("2025-{m:02d}-{d:02d} {h:02d}:00:00 ", "2025-{m:02d}-{d:02d}T{h:02d}:00:00+08:00 ", "{m:02d}-{d:02d} {h:02d}:00 ")
TYPED_TIMES = ("2025-{m:02d}-{d:02d} {h:02d}:00", "{m}月{d}日 {h}:00")


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(MOVING), st.sampled_from(TRACE_TIMES), st.sampled_from(TYPED_TIMES),
       st.integers(1, 150), st.integers(1, 150))
def test_the_traces_own_later_event_is_when_the_parcel_last_moved(step, trace_at, typed_at, trace_ago, typed_ago):
    """A typed 物流更新时间 older than the trace's own latest event: the parcel moved at the later of the two (never
    "76小时未更新" for a parcel on its delivery run 3 hours ago); a typed time after the trace's stays."""
    from datetime import datetime, timedelta
    now = datetime(2025, 6, 10, 12)

    def at(form: str, hours: int) -> str:
        t = now - timedelta(hours=hours)
        return form.format(m=t.month, d=t.day, h=t.hour)

    trace = at(trace_at, trace_ago) + step
    res = _one(_row(trace, amount=520, updated=at(typed_at, typed_ago)))
    # (the later of the two, whichever it is)
    assert res.stall_hours == min(trace_ago, typed_ago), (trace, typed_ago, res.stall_hours)


def test_a_trace_time_beyond_a_clocks_skew_after_now_leaves_the_typed_time():
    """A trace time more than a day after now is a typo: the typed 物流更新时间 stays (as it did)."""
    res = _one(_row("2025-06-12 09:00:00 【上海市】快件派送中", amount=520, updated="2025-06-07 08:00"))
    assert res.stall_hours == 76


def test_the_red_teams_stale_typed_time_beside_a_fresh_trace():
    """desk_e 51000023/24: 派送中 3 h ago per the trace, 物流更新时间 2025-06-07 08:00 — watched, never a lost-parcel claim."""
    trace = "2025-06-10 09:00:00 【上海市】快件派送中"
    assert _one(_row(trace, amount=520, updated="2025-06-07 08:00")).action_code == "INTERCEPT_AND_WATCH"
    assert _one(_row(trace, amount=59, updated="2025-06-07 08:00")).action_code == "INTERCEPT_REFUND_NOW"


# ------------------------------------------------------------------ a pickup code typed with spaces around it

POINT_TRACES = ("【杭州市】您的快件已由菜鸟驿站代收，{}，如有疑问请联系站点 0571-88886666", "您的快件已被【丰巢智能柜】代收，{}",
                "快件已放入驿站，{}", "您的快件已存放至【兔喜快递超市】，{}")
CODE_WORDS = ("取件码", "取货码", "提货码")
CODES = ("3-2-1234", "123456", "8-1-2", "12-3-4567")
COLLECT = ("请凭{w}{sp}{c}{sp}及时取件", "请凭{w}{sp}{c}{sp}取件", "请凭 {w}{sp}{c}{sp}及时取件", "请凭{w}：{c}{sp}及时取件")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(POINT_TRACES), st.sampled_from(CODE_WORDS), st.sampled_from(CODES), st.sampled_from(COLLECT),
       st.sampled_from((" ", "  ", "\u3000", "")))
def test_a_pickup_code_typed_with_spaces_is_filler_of_the_pickup_phrase(trace, word, code, collect, space):
    """「请凭取件码 3-2-1234 及时取件」 reads as 「请凭取件码3-2-1234及时取件」: said to the buyer — the trace's step (代收,
    存放至驿站) is what it reads as, 已签收."""
    text = trace.format(collect.format(w=word, c=code, sp=space))
    assert _logistics(text) == "已签收", text


# ------------------------------------------------------------------ the action text names what it asks

HINTS = ("", "（可运行 refund-xl track，或填写该列）", "（与「退货物流单号」不一致，请核对；可运行 refund-xl track，或填写该列）",
         "（见平台售后单）", "（是否为「物流更新时刻」列？）")
QUOTES = ("", "「揽收失败，原因：寄件人取消寄件」", "「2025-06-09 14:22 Delivered, signed by: FRONT DESK」")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([f.header for f in FIELDS]), st.sampled_from(QUOTES), st.sampled_from(HINTS)),
                min_size=1, max_size=4, unique_by=lambda t: t[0]))
def test_the_needs_info_message_names_a_field_whatever_the_hints(parts):
    """#信息不足 names the fields (contract §2): a hint too long for the cell is left to the why column, the first
    name at least is shown — never 「等2项」 naming nothing; a count only where names are left out."""
    names = [f + q + h for f, q, h in parts]
    msg = render.cell_message(names)
    assert len(msg) <= 80, msg
    body = msg.removeprefix("#信息不足: ")
    more = f"等{len(names)}项"
    items = body.removesuffix(more).split("、")
    assert items and items[0], msg
    for item, name, (header, _q, _h) in zip(items, names, parts):  # (each whole, without its hint, or cut: …)
        assert item.startswith(header) and name.startswith(item.removesuffix("…")), msg
    assert body.endswith(more) == (len(items) < len(names)), msg


def test_a_return_waybill_beside_a_failed_pickup_names_the_fields():
    """A#81/A#92: 退货物流单号 filled, the return trace 揽收失败 (a return not collected yet: waiting, no contradiction
    with the waybill) — asked where the reason decides, naming the field, never a bare 等N项."""
    head = ["订单号", "售后类型", "退款金额", "发货状态", "物流单号", "退货物流单号", "退货物流信息"]
    for amount in (59, 399):
        (res,), _rep = engine.evaluate_read([["1", "退货退款", amount, "已发货", "ZT1", "YT88000000081",
                                              "揽收失败，原因：寄件人取消寄件"]], head, now=NOW)
        assert res.action_code == "NEEDS_INFO"
        label = res.action_label()
        assert label.startswith("#信息不足: 退货") and not label.startswith("#信息不足: 等"), label


# ------------------------------------------------------------------ an unread trace quoted with its event

STAMP_FORMS = ("2025-06-09 14:22", "2025-06-09 14:22:05", "2025/06/09 14:22:05", "2025.06.09 14:22")
UNREAD_EVENTS = ("Delivered, signed by: FRONT DESK", "Out for delivery", "Returned to sender", "快件已签收，包裹破损",
                 "Customs clearance in progress")


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(STAMP_FORMS), st.sampled_from(UNREAD_EVENTS), st.booleans())
def test_an_unread_trace_is_quoted_with_its_event_not_only_its_time(stamp, event, second_line):
    """A trace it cannot read is quoted so that the desk sees what (contract §2): its time shortened, its event shown —
    in the action, the why and the reading report alike (one quote)."""
    trace = f"{stamp} {event}" if not second_line else f"2025-06-08 10:00:00 【上海市】快件派送中\n{stamp} {event}"
    (res,), rep = engine.evaluate_read([_row(trace)], HEAD, now=NOW)
    assert res.action_code == "NEEDS_INFO", trace
    shows = event[:6] if not second_line else event[:4]  # (after another line and its time: the event's start)
    assert shows in res.action_label(), (trace, res.action_label())
    assert shows in res.decision.why(False), trace
    (_field, _n, examples, _forms), = [u for u in rep.unreadable if u[0] == "物流状态"]
    assert any(shows in e for e in examples), (trace, examples)
    assert all(e == engine.quote(trace) for e in examples)


# ------------------------------------------------------------------ a courier's note beside a signing for the buyer

PROXY_SIGNINGS = ("快件已被【门卫】代签收", "您的快件已由【物业】代收", "家人代收", "快件已放门卫室", "已放快递柜", "快件已被【前台】代签")
AWAY = ("客户不在家", "收件人不在家", "本人不在", "家中无人", "客户家里没人")
NOTES = ("（快递员备注：{}）", "（备注：{}）", "（{}）", "（派件员备注：{}，已放门卫室）", "(快递员备注: {})")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PROXY_SIGNINGS), st.sampled_from(AWAY), st.sampled_from(NOTES))
def test_a_note_that_the_recipient_was_away_beside_a_signing_for_them_reads_as_signed(signing, away, note):
    """快件已被【门卫】代签收（快递员备注：客户不在家，已放门卫室）: why the guard took it, no turn of the signing — 已签收."""
    assert _logistics(signing) == "已签收", signing
    text = signing + note.format(away)
    assert _logistics(text) == "已签收", text


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PROXY_SIGNINGS), st.sampled_from(("客户没收到", "客户拒收", "包裹破损", "待确认", "客户不在家，已退回",
                                                      "客户不在家，包裹破损", "客户说没收到")), st.sampled_from(NOTES))
def test_a_note_saying_anything_else_beside_a_signing_stays_asked(signing, said, note):
    """Conservative: a note whose words the grammar does not read as leaving the signing keeps the trace unreadable."""
    text = signing + note.format(said)
    assert _logistics(text) is BAD, text


@pytest.mark.parametrize("text", ["已签收，客户不在家", "已签收（客户不在家）", "派送中，客户不在家", "客户不在家", "快递员：客户不在家"])
def test_the_recipient_away_with_no_one_named_taking_it_stays_unreadable(text):
    """No one named taking the parcel for the recipient: who signed, if the recipient was away? Unreadable, as before."""
    assert _logistics(text) is BAD, text


# ------------------------------------------------------------------ a time beside a trace that is no courier event

# What a desk writes beside a trace with a time (red team h50 review, finding 1): a nudge, a query, a call, a promise,
# a reply, an expectation, a trace that has not moved.  ``{t}``: the time, where the note puts it.
DESK_NOTES = ("{t} 已催件，快递称仍在排查", "{t} 催件", "{t}已催件", "{t} 已致电快递，包裹滞留", "{t} 查询：运输中",
              "{t} 客服核实包裹在途", "{t} 快递回复运输中", "{t} 派送中（已催件）", "{t} 快递员称派送中",
              "{t} 暂无新轨迹", "{t} 物流未更新", "{t} 运输中，预计明天送达",
              "最后查询 {t}，暂无新轨迹", "查询时间：{t}", "客服{t}致电快递，包裹滞留", "快递承诺{t}前派送",
              "已催件，快递回复{t}前更新", "运输中，{t} 已催件", "运输中 {t}", "派送中，{t}之前送达", "快递{t}后派送",
              "{t}-{t}派送", "已催件 {t}【上海市】快件派送中")
# the time as desks write it: with its year, ISO, without its year
NOTE_TIMES = ("{y}-{mm}-{dd} {hh}:00", "{y}-{mm}-{dd} {hh}:00:00", "{y}/{m}/{d} {hh}:00", "{mm}-{dd} {hh}:00",
              "{m}月{d}日 {hh}:00", "{y}-{mm}-{dd}T{hh}:00:00+08:00")
INFO_HEAD = [*HEAD, "物流信息"]
STALLED = "2025-06-07 08:00"  # typed: 76 hours before NOW, past the 48-hour lost threshold


def _at(form: str, hours: int) -> str:
    from datetime import datetime, timedelta
    t = datetime(2025, 6, 10, 12) + timedelta(hours=hours)
    return form.format(y=t.year, m=t.month, d=t.day, mm=f"{t.month:02d}", dd=f"{t.day:02d}", hh=f"{t.hour:02d}")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DESK_NOTES), st.sampled_from(NOTE_TIMES), st.integers(-70, 23).filter(bool),
       st.sampled_from(["物流信息", "物流状态"]))
def test_a_desk_note_s_time_beside_a_trace_never_outdates_the_typed_update_time(note, form, hours, where):
    """A time in 物流信息/物流状态 that is no courier event — a nudge's, a query's, a call's, a promise's (before now
    or after it) — is when the desk wrote, not when the parcel moved: the typed 物流更新时间 stands (76 h, lost: a
    claim, or asked), never a parcel moving 3 hours ago refunded and intercepted."""
    text = note.format(t=_at(form, hours))
    row = [*_row("运输中", amount=45, updated=STALLED), None]
    row[INFO_HEAD.index(where)] = text if where == "物流信息" else text
    res = _one(row, INFO_HEAD)
    assert res.stall_hours == 76, (text, where, res.stall_hours, res.why())
    assert res.action_code in ("REFUND_OR_RESHIP_CLAIM", "NEEDS_INFO"), (text, where, res.why())


# a courier's trace as desks paste it: the time leading each line (Kuaidi100, the platforms' logistics pages), in
# brackets, numbered, labelled, ISO from an API; or ending a line that names its station
TRACE_EVENTS = ("{t} 【上海市】快件派送中", "{t}【上海市】快件派送中", "[{t}] 【上海市】快件派送中", "1. {t} 【上海市】快件派送中",
                "时间：{t} 【上海市】快件派送中", "{t} 快件已到达【上海转运中心】", "{t} 【杭州市】快件已发出，下一站【上海】",
                "{t} 快件滞留，原因：航班取消", "【上海市】快件派送中 {t}",
                "2025-06-05 08:00:00 【杭州市】快件已揽收\n{t} 【上海市】快件派送中",
                "2025-06-05 08:00:00 【杭州市】快件已揽收；{t} 【上海市】快件派送中")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TRACE_EVENTS), st.sampled_from(NOTE_TIMES), st.integers(1, 70),
       st.sampled_from(["物流信息", "物流状态"]))
def test_a_courier_event_after_the_typed_update_time_is_when_the_parcel_last_moved(trace, form, ago, where):
    """A courier event later than the typed 物流更新时间 is a movement: the parcel last moved then."""
    stamp = _at(form, -ago)
    if "\n" in trace or "；" in trace:
        stamp = _at(NOTE_TIMES[1], -ago)  # (several lines: with their years, as a trace's lines are ordered)
    text = trace.format(t=stamp)
    row = [*_row("运输中", amount=45, updated=STALLED), None]
    row[INFO_HEAD.index(where)] = text
    res = _one(row, INFO_HEAD)
    assert res.stall_hours == min(ago, 76), (text, where, res.stall_hours, res.why())


@pytest.mark.parametrize("hours", [1, 5, 12, 23])
@pytest.mark.parametrize("form", NOTE_TIMES)
def test_a_courier_event_after_now_leaves_the_typed_update_time(hours, form):
    """An event time after now (a typo, or a promise in a trace's words) is no movement yet, even within a clock's
    skew: the typed 物流更新时间 stands."""
    text = f"{_at(form, hours)} 【上海市】快件派送中"
    res = _one(_row(text, amount=45, updated=STALLED))
    assert res.stall_hours == 76, (text, res.stall_hours)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(phrases.DESK_NOTE_WORDS), st.sampled_from(["（{w}）", "，{w}", " {w}快递", "，快递{w}仍在途"]),
       st.sampled_from(NOTE_TIMES[:3]), st.integers(1, 70))
def test_every_desk_word_in_a_timed_line_leaves_the_typed_update_time(word, how, form, ago):
    """Each word of the desk's notes (phrases.DESK_NOTE_WORDS), in a line that otherwise reads as a courier event with
    its time leading it: the line is the desk's, its time no movement."""
    text = f"{_at(form, -ago)} 【上海市】快件派送中" + how.format(w=word)
    res = _one(_row(text, amount=45, updated=STALLED))
    assert res.stall_hours == 76, (text, res.stall_hours)
