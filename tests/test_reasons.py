"""contract §4.2 rule 22, §2 "A value is read as a whole phrase": 退货原因 腐烂变质 keeps the goods with the buyer
(方案四: refund, no return), so only rot itself reads so.  Goods crushed or torn (压烂了, 摔烂了), a box that broke
(包装烂了: the goods inside?) and goods about to spoil (快烂了, 快过期了: not yet) are no rot: never 腐烂变质."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st

from refund_xl._core import engine, wordbook
from refund_xl._core.fields import FIELD_BY_KEY

REASON = FIELD_BY_KEY["reason"]
FORCE = ["压", "摔", "砸", "磕", "碰", "撞", "挤", "踩"]
BOXES = ["包装", "外包装", "外箱", "纸箱", "盒子", "快递盒"]
SOON = ["快", "快要", "要", "即将", "马上"]
ROT = ["烂", "坏", "化", "过期", "发霉", "变质"]
AFTER = ["", "了", "了一半", "了，要退"]
BEFORE = ["", "水果", "收到时", "草莓"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(BEFORE), st.one_of(
    st.builds(lambda f, e: f + e, st.sampled_from(FORCE), st.sampled_from(["烂", "坏"])),
    st.builds(lambda b, e: b + e, st.sampled_from(BOXES), st.sampled_from(["烂", "坏", "破", "压烂", "压坏"])),
    st.builds(lambda s, r: s + r, st.sampled_from(SOON), st.sampled_from(ROT))), st.sampled_from(AFTER))
def test_crushed_goods_a_broken_box_or_goods_about_to_spoil_are_no_rot(before, said, after):
    text = before + said + after
    assert REASON.parse(text) != "腐烂变质", text
    head = ["订单号", "售后类型", "退款金额", "发货状态", "退货原因"]
    (res,), _rep = engine.evaluate_read([["A1", "退货退款", 59, "已发货", text]], head, now="2025-06-10 12:00")
    assert res.action_code != "REFUND_WITHOUT_RETURN", text


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["", "水果", "草莓", "收到就"]), st.sampled_from(["烂了", "腐烂", "发霉了", "变质了", "已过期", "化了"]))
def test_rot_itself_still_reads_as_rot(before, said):
    assert REASON.parse(before + said) == "腐烂变质", before + said


COST = FIELD_BY_KEY["cost_incurred"]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["未开工", "没开工", "还没做", "未生产", "没生产", "还没开始做"]),
       st.sampled_from(["已买料", "料已备", "布已经买了", "材料已采购", "已付定金给工厂", "布料已裁", "已备料", "面料买好了"]),
       st.sampled_from(["，", ",", "（", " "]))
def test_work_not_started_but_material_bought_is_no_no_cost(not_started, bought, gap):
    """已产生成本「未开工，已买料」: the work has not started, the material was bought — a cost (or unreadable), never 否
    (a made-to-order item refunded at once)."""
    text = not_started + gap + bought + ("）" if gap == "（" else "")
    assert COST.parse(text) != "否", text


# ------------------------------------------------------------------ a reason word with a count or a part beside it

from refund_xl._core import vocab  # noqa: E402

_ROT_STEMS = sorted(s for s, kind in wordbook.REASON.grammar.stems.items() if kind == "ROT")  # type: ignore[union-attr]
# how much of the goods, after the word or before it: a part, a few, many, a count — never all of it
_SOME_AFTER = ["好几个", "几个", "了好几个", "了几个", "一半", "了一半", "很多", "好多", "了不少", "两个", "3个", "了多个", "了大半"]
_SOME_BEFORE = ["有几个", "好几个", "部分", "其中一个", "很多都", "一半", "大半"]
_LEAD_IN = ["", "收到", "水果", "收到水果", "收到的桃子", "草莓"]


def _decide(reason: str, kind: str = "退货退款"):
    head = ["订单号", "售后类型", "退款金额", "发货状态", "退货原因"]
    (res,), _rep = engine.evaluate_read([["A1", kind, 68, "已发货", reason]], head, now="2025-06-10 12:00")
    return res


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_LEAD_IN), st.sampled_from(_ROT_STEMS), st.one_of(
    st.sampled_from(_SOME_AFTER).map(lambda a: ("", a)), st.sampled_from(_SOME_BEFORE).map(lambda b: (b, ""))))
def test_rot_of_some_of_the_goods_is_unreadable_and_asked_never_no_special_reason(lead, stem, some):
    """抖店 售后原因「收到水果烂了好几个」was read as no special reason (other) → WAIT_RETURN, the buyer asked to mail
    rotten fruit back: a part or a count of the goods beside the rot makes 腐烂变质 unreadable (not the whole goods,
    SOP 方案四), and an unreadable reason is asked where it changes the action — never 腐烂变质 (refund without a
    return on a doubtful reading), never a silent 'other reason'."""
    before, after = some
    text = lead + before + stem + after
    assert REASON.parse(text) is vocab.BAD, (text, REASON.parse(text))
    res = _decide(text)
    assert res.action_code == "NEEDS_INFO" and "退货原因" in res.why(), (text, res.action_code, res.why())


# every word of the table, with something after it the grammar reads as no part of the reason
_ALL_STEMS = sorted((s, kind) for s, kind in wordbook.REASON.grammar.stems.items()  # type: ignore[union-attr]
                    if kind not in ("DAMAGE", "SOON"))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_ALL_STEMS), st.sampled_from(_SOME_AFTER + ["", "了", "，麻烦处理"]), st.sampled_from(_LEAD_IN))
def test_a_reason_word_with_words_beside_it_is_a_reason_or_unreadable_never_free_text(stem_kind, after, lead):
    """A reason of the table with words beside it reads as the reason or as unreadable (asked) — never as a text with
    no reason in it (退货原因 kept as typed is 'other': no special reason)."""
    stem, _kind = stem_kind
    text = lead + stem + after
    got = REASON.parse(text)
    assert got is vocab.BAD or got in REASON.choices, (text, got)

# ------------------------------------------------------------------ a reason not so: feared, possible, planned, doubted

_READ_AS_A_REASON = sorted(s for s in wordbook.REASON.grammar.stems if REASON.parse(s) in REASON.choices)  # type: ignore[union-attr]
_NOT_SO = {
    "condition": ("如果{}", "如果{}了", "若{}则退款", "万一{}", "假如{}", "要是{}就退", "倘若{}", "一旦{}", "{}的话"),
    "fear": ("怕{}", "担心{}", "担心会{}", "客户担心{}", "害怕{}", "就怕{}"),
    "prevention": ("防止{}", "以防{}", "避免{}"),
    "risk or tendency": ("易{}", "容易{}", "生鲜易{}", "有{}风险", "有{}的风险", "会{}", "可能会{}"),
    "plan or wish": ("计划{}", "打算{}", "希望{}", "争取{}", "明天才能{}"),
    "doubt mark": ("{}❓", "❓{}", "{}🤔", "⚠️{}", "{}⚠", "{} ❓", "❗{}❓"),
    "unsettled": ("{}，待客户补图", "客户说{}，未见图", "{}，但还需要再核实一下", "{}，不过还要跟客户确认", "据同事口头说{}，未核实",
                  "{}，最终以快递为准", "{}（以实际为准）", "{}，等快递最终确认", "{}，快递还没最终回复", "{}，需核实"),
}
_NOT_SO_FORMS = sorted({form for forms in _NOT_SO.values() for form in forms})
# ... and the reason settled (a proof in, a check done), a member (会员) or a deal (交易) named: no condition, fear nor doubt
_SAID_PLAINLY = (("腐烂，已拍照", "腐烂变质"), ("腐烂，客户已提供照片", "腐烂变质"), ("少发，已核实", "少发漏发"),
                 ("会员说少发了", "少发漏发"), ("交易完成后发现少发", "少发漏发"), ("少发了一件，要求补发", "少发漏发"),
                 ("少发一件，客户很着急", "少发漏发"), ("草莓全烂了，要退款", "腐烂变质"), ("收到有点小瑕疵", "小瑕疵"),
                 ("客户说腐烂", "腐烂变质"))


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_READ_AS_A_REASON), st.sampled_from(_NOT_SO_FORMS))
@example("烂了", "如果{}")  # was 腐烂变质: refunded with no return on rot only supposed
@example("腐烂", "易{}")  # was 腐烂变质: a perishable product, no report of rot
@example("少发", "怕{}")  # was 少发漏发: reshipped on a fear
@example("漏发", "{}🤔")  # was 少发漏发
@example("腐烂", "{}，待客户补图")  # was 腐烂变质
@example("瑕疵", "{}❓")  # was 小瑕疵
def test_a_reason_only_feared_possible_planned_or_doubted_is_no_reason(stem, form):
    """退货原因「如果烂了」「易腐烂」「怕少发」「有变质风险」「打算漏发」「腐烂❓」「腐烂，待客户补图」: a reason supposed, feared,
    likely, planned or not settled yet is not what happened — kept as typed (no special reason), never 腐烂变质 (goods kept
    with no return), 少发漏发 (goods reshipped) or any reason word.  The reason said plainly still reads."""
    text = form.format(stem)
    assert REASON.parse(text) not in REASON.choices, (text, REASON.parse(text))
    assert REASON.parse(stem) in REASON.choices  # (the word alone is that reason)
    for plain, reason in _SAID_PLAINLY:
        assert REASON.parse(plain) == reason, plain


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["腐烂", "烂了", "变质", "少发", "漏发", "少了", "瑕疵"]), st.sampled_from(_NOT_SO_FORMS))
@example("烂了", "如果{}")
def test_a_reason_not_so_sends_neither_money_nor_goods(stem, form):
    """The same on a 退货退款 row: waiting for the return, never rule 22 (refund, no return), 25 (reship) or a compensation."""
    text = form.format(stem)
    head = ["订单号", "售后类型", "退款金额", "发货状态", "退货原因"]
    (res,), _rep = engine.evaluate_read([["A1", "退货退款", 59, "已发货", text]], head, now="2025-06-10 12:00")
    assert res.action_code not in ("REFUND_WITHOUT_RETURN", "RESHIP_MISSING", "OFFER_COMPENSATION"), (text, res.action_code)
