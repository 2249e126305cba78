"""contract §2 "A value is read as a whole phrase" (a combination the table does not cover is unreadable — never the
bare word's meaning):
the modifier families a desk types around a word, over every field's words (red team h48, phrases).

Each family is drawn from the tables (a field's stems or its canonical words) × the family's modifiers, not from the
red team's sentences: a correction, a cross, a doubt, a part, a traditional negation beside a 退货原因 word; 为 (the
pinyin slip for 未) before a state word; a correction after a result that takes a reason; a compensation already paid;
another party's claim; a fault beside a receipt; a ban said to hold for now — and the readable side of the same
families: a time said around a word, a tick on a whole word.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given, settings, strategies as st

from conftest import ago, evaluate_one
from refund_xl._core import phrases, vocab, wordbook
from refund_xl._core.fields import FIELD_BY_KEY
from refund_xl._core.vocab import BAD

GRAMMARS = {key: words for key, words in wordbook.WORDS.items() if words.grammar is not None}
PARSERS = {key: wordbook.reader(words) for key, words in GRAMMARS.items()}
REASONS = frozenset(FIELD_BY_KEY["reason"].choices)


def _read(key: str, text: str) -> object:
    return PARSERS[key](text)


def _stems(key: str, *kinds: str) -> list[str]:
    g = GRAMMARS[key].grammar
    assert g is not None
    return sorted(stem for stem, kind in g.stems.items() if not kinds or kind in kinds)


_STRICT = sorted(key for key, words in GRAMMARS.items() if words.grammar.strict)  # type: ignore[union-attr]

# ------------------------------------------------------------------ R1: 退货原因 taken back

# The reason stems that read as a special reason alone (腐烂, 少发, 瑕疵 …).
_REASON_STEMS = [s for s in _stems("reason") if _read("reason", s) in REASONS]
# What takes a reason back in a clause of its own or around it: a correction, a doubt, a cross, a "not" alone.
_TAKEN_BACK = ("（误）", "(误)", "（误填）", "（误操作）", "（撤回）", "（已更正）", "，已更正", "（疑似）", "，疑似", "（不是）",
               "，不是", "（没有）", "（已找到）", "，后来找到了", "，搞错了")
_CROSSES = ("❌", "✖", "×", "✗", "✘")


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_REASON_STEMS), st.sampled_from(_TAKEN_BACK))
@example("腐烂", "（误）")  # was 腐烂变质: goods kept without a return on a reason corrected away
@example("少发", "（已找到）")  # was 少发漏发: reshipped although found
def test_a_reason_taken_back_beside_it_is_no_reason(stem, taken_back):
    """退货原因「腐烂（误）」「变质（已更正）」「腐烂（疑似）」「少发（已找到）」: the reason corrected, doubted or denied — kept
    as typed (no special reason), never the reason word as if the clause were not there."""
    text = stem + taken_back
    assert _read("reason", text) not in REASONS, (text, _read("reason", text))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_REASON_STEMS), st.sampled_from(_CROSSES), st.booleans())
@example("腐烂", "❌", True)  # was 腐烂变质
def test_a_cross_on_a_reason_is_no_reason(stem, cross, before):
    """退货原因「❌腐烂」「过期✖」「少发❌」: a cross on the reason (not it, or struck out) — never that reason."""
    text = cross + stem if before else stem + cross
    assert _read("reason", text) not in REASONS, (text, _read("reason", text))


_TRADITIONAL_NEGATIONS = ("沒有", "沒", "無", "還沒", "並非")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_REASON_STEMS), st.sampled_from(_TRADITIONAL_NEGATIONS))
@example("腐烂", "沒有")  # was 腐烂变质
@example("瑕疵", "無")  # was 小瑕疵
def test_a_reason_negated_in_traditional_characters_is_no_reason(stem, negation):
    """退货原因「沒有腐烂」「沒过期」「無瑕疵」: a negation in traditional characters, which no table spells, is still a
    negation — never the reason it negates (the simplified 没有腐烂 is free text already)."""
    text = negation + stem
    assert _read("reason", text) not in REASONS, (text, _read("reason", text))


# Some of the goods: a part, a few, a count.
_SOME = ("部分{}", "{}（部分）", "一半{}", "少量{}", "个别{}", "有几个{}", "其中一个{}", "2个里{}1个", "{}一个", "1个{}",
         "一箱{}三个", "有点{}")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_stems("reason", "ROT")), st.sampled_from(_SOME))
@example("腐烂", "部分{}")  # was 腐烂变质: a box with a bad fruit kept without a return
@example("烂了", "{}一个")  # was 腐烂变质
def test_some_of_the_goods_spoiled_is_no_rot_of_the_goods(stem, some):
    """退货原因「部分腐烂」「2个里烂了1个」「烂了一个」: some of the goods spoiled — not goods of no value (SOP 方案四 keeps
    them without a return): never 腐烂变质 (kept as typed)."""
    text = some.format(stem)
    assert _read("reason", text) != "腐烂变质", (text, _read("reason", text))
    # (all of it, or nothing said of how much, is the rot: 全部腐烂, 水果烂了; a shortage is counted, 少发了一件)
    assert _read("reason", "全部" + stem) == _read("reason", "水果" + stem) == "腐烂变质", stem
    assert _read("reason", "少发了一件") == "少发漏发"


# A traditional negation in a clause of its own, beside a whole word of any strict field (已签收（沒有）, 合格，無).
_WORDS_READ = sorted((key, word) for key in _STRICT for word in GRAMMARS[key].canonical
                     if _read(key, word) not in (None, BAD))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_WORDS_READ), st.sampled_from(("沒有", "沒", "無", "並非")), st.sampled_from(("（{}）", "，{}")))
@example(("logistics", "已签收"), "沒有", "（{}）")  # was 已签收
@example(("intercept", "拦截成功"), "沒有", "（{}）")  # was 拦截成功
def test_a_traditional_negation_beside_a_word_is_not_dropped(word, negation, mark):
    """物流状态「已签收（沒有）」, 验货结果「合格，無」: a negation beside the word, in traditional characters — as 「已签收
    （没有）」 is, unreadable, never the word with the negation dropped."""
    key, w = word
    assume(GRAMMARS[key].grammar.explained.isdisjoint({w}) and not GRAMMARS[key].grammar.negation_says_why)  # type: ignore[union-attr]
    text = w + mark.format(negation)
    assume(_read(key, w + mark.format("没有")) is BAD)  # (the simplified form is unreadable there too)
    assert _read(key, text) is BAD, (text, _read(key, text))


# ------------------------------------------------------------------ R2: 为 before a state word

# Every strict field's stems that read a word alone or with 已 before them.
_STEM_WORDS = sorted((key, form) for key in _STRICT for stem in _stems(key)
                     for form in (stem, "已" + stem) if _read(key, form) not in (None, BAD))


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_STEM_WORDS), st.sampled_from(["", "快件", "客户", "货物"]))
@example(("inspection", "合格"), "")  # was 合格: 为合格 (未合格?) approved a 299 元 return
@example(("return_logistics", "寄回"), "")  # was 已揽收
@example(("case_state", "关闭"), "")  # was 已关闭: an open case dropped
def test_wei_right_before_a_state_word_is_no_reading_of_it(word, subject):
    """「为合格」「为寄回」「为关闭」「快件为签收」: 为 (wèi) right before the word is the pinyin slip for 未 as often as a
    copula with no subject — unreadable, never the bare word."""
    key, form = word
    text = subject + "为" + form
    assert _read(key, text) is BAD, (text, _read(key, text))
    # (为 before whom the step is for, 快递员正在为您派送, 已为您签收, is no slip: the step)
    if key == "logistics" and not form.startswith("已"):
        assert _read(key, "快递员正在为您" + form) == _read(key, "快递员正在" + form), form


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_stems("reason", "ROT", "MISSING", "FLAW")))
@example("腐烂")  # was 腐烂变质
def test_wei_before_a_reason_is_no_reason(stem):
    """退货原因「为腐烂」: 未腐烂? — never the reason (kept as typed); 因为腐烂 says why, the reason."""
    assume(_read("reason", stem) in REASONS)
    assert _read("reason", "为" + stem) not in REASONS, "为" + stem
    assert _read("reason", "因为" + stem) == _read("reason", stem), "因为" + stem


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["结果为", "验货结果为", "质检结果为", "检验结果为"]), st.sampled_from(["合格", "不合格"]))
def test_a_label_then_wei_reads_the_word(label, word):
    """验货结果「结果为合格」「验货结果为不合格」: a label before 为 says what it names — the word, as 状态为 does."""
    assert _read("inspection", label + word) == word, label + word


# ------------------------------------------------------------------ R3: a correction after a result that takes a reason

_CORRECTIONS = ("（误）", "(误)", "，误", "（误报）", "（撤回）", "，撤回了")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted((key, w) for key in _STRICT for w in GRAMMARS[key].grammar.explained  # type: ignore[union-attr]
                              if _read(key, w) == w)),
       st.sampled_from(_CORRECTIONS))
@example(("logistics", "退回"), "（误）")  # was 退回: refunded on a return that was a typing mistake
@example(("courier_check", "丢件"), "（误）")  # was 丢件
def test_a_correction_after_a_word_that_takes_a_reason_is_no_reason(word, correction):
    """物流状态「退回（误）」「丢件（误）」: after 退回/丢件 a clause says why — unless it takes the word back: unreadable."""
    key, w = word
    text = w + correction
    assert _read(key, text) is BAD, (text, _read(key, text))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["已退款", "退款成功", "退款完成", "已退"]),
       st.sampled_from([w + f for w in ("撤回", "撤销", "取消") for f in ("（{}）", "，{}", "，已{}", "（已{}）")]))
@example("退款成功", "（撤回）")  # was 已退款: the case dropped as done
def test_a_refund_withdrawn_beside_it_is_unreadable(refund, withdrawn):
    """售后状态「退款成功（撤回）」「已退款，已撤销」: the refund taken back, or the buyer withdrawing what was paid — which,
    the cell does not say: unreadable, never 已退款 (DONE).  (已退款，已关闭 is a refunded case closed: 已退款.)"""
    text = refund + withdrawn.format("")
    assert _read("case_state", text) is BAD, (text, _read("case_state", text))
    assert _read("case_state", refund + "，已关闭") == "已退款"


# ------------------------------------------------------------------ R4: a compensation already given

_GIVEN = ("已打款", "已发放", "已转账", "已付", "已付款", "已给", "已支付", "已经打款", "打款了", "转账完成", "红包已领",
          "钱已到账")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["同意补偿", "接受补偿", "同意补偿5元", "同意红包补偿", "同意换货"]), st.sampled_from(_GIVEN),
       st.sampled_from(["，{}", "（{}）", " {}", "；{}"]))
@example("同意补偿", "已打款", "，{}")  # was 同意补偿: compensation issued twice
def test_a_compensation_already_given_is_no_agreement_to_give_it(agreed, given, mark):
    """协商进度「同意补偿，已打款」「同意补偿5元，已付」: given already — no answer the table has (read as 同意补偿 it is
    issued again, as 已补偿 would be): unreadable."""
    text = agreed + mark.format(given)
    assert _read("negotiation", text) is BAD, (text, _read("negotiation", text))


# ------------------------------------------------------------------ R5: another party's claim

@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted({*GRAMMARS["courier_check"].canonical, *GRAMMARS["courier_check"].exact})),
       st.sampled_from(["系统显示", "后台显示", "页面显示", "平台显示", "系统显示：", "平台提示："]))
@example("丢件", "系统显示")  # was 丢件: a claim paid on the platform's page
def test_the_platform_s_page_is_no_courier_s_finding(word, shown):
    """快递核实「系统显示丢件」「后台显示已签收」: the platform's page, not what the courier found (as 物流显示签收 is
    not): unreadable."""
    assume(_read("courier_check", word) not in (None, BAD))
    assert _read("courier_check", shown + word) is BAD, shown + word


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["同意补偿", "同意换货", "拒绝补偿", "拒绝换货", "接受补偿"]),
       st.sampled_from([*phrases.WAREHOUSE, "系统", "平台", "后台", "商家", "客服"]))
@example("同意补偿", "仓库")  # was 同意补偿
def test_someone_other_than_the_buyer_answering_is_no_answer_of_the_buyer_s(answer, who):
    """协商进度「仓库同意补偿」「平台同意换货」: the buyer's answer is what the column records — the warehouse, the platform
    or the desk agreeing is not it: unreadable."""
    assert _read("negotiation", who + answer) is BAD, who + answer
    assert _read("negotiation", "客户" + answer) == _read("negotiation", answer)


# ------------------------------------------------------------------ R6: a fault beside a receipt

@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["已收到", "收到了", "收到", "已经收到"]),
       st.sampled_from(["东西有问题", "质量有问题", "有问题", "东西有毛病", "有毛病", "质量不好", "用不了", "不能用", "有故障"]),
       st.sampled_from(["，{}", "（{}）", " {}", "，但是{}"]))
@example("已收到", "质量有问题", "，{}")  # was 已收到
def test_a_fault_beside_a_receipt_is_no_plain_receipt(received, fault, mark):
    """客户反馈「已收到，质量有问题」「收到了，东西有毛病」: received goods with a fault — which fault (broken on the way, a
    part missing, a defect) decides the action, as 「收到了，坏了」 does: unreadable.  (「收到了，没问题」: 已收到.)"""
    text = received + mark.format(fault)
    assert _read("customer_says", text) is BAD, text
    assert _read("customer_says", received + mark.replace("但是", "").format("没问题")) == "已收到"


# ------------------------------------------------------------------ R7: a ban said to hold for now

@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_stems("no_ship", "SEND")),
       st.sampled_from([m for m in (*phrases.PRE["NEG"], *phrases.PRE["INABLE"]) if m.startswith("暂")]))
@example("寄回", "暂时无法")  # was 是: refunded without a return on a courier's pause
def test_a_return_impossible_for_now_is_no_ban(send, for_now):
    """禁运「暂时无法寄回」「暂不能寄回」: for now (a holiday, a courier's pause) — no ban on the goods: unreadable, never
    是 (refunded without a return).  (「无法寄回」 is 是.)"""
    assert _read("no_ship", for_now + send) is BAD, for_now + send
    assert _read("no_ship", "无法" + send) in ("是", BAD)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(_stems("no_ship", "SEND")), st.sampled_from(sorted(phrases.NOT_YET)))
def test_not_sent_back_yet_is_no_ban(send, not_yet):
    """禁运「还没寄回」「尚未寄回」: not yet — says nothing of whether the goods can go back: unreadable, never 是."""
    assert _read("no_ship", not_yet + send) is BAD, not_yet + send


# ------------------------------------------------------------------ C: when, said around a word

_AGO = ("3天前", "两天前", "一周前", "十天前", "半个月前", "2个小时前", "三天之前")
_SINCE = ("3天了", "两天了", "3天", "一周了", "两天多了", "半个月了")
_DAY_PARTS = ("今天上午", "今天下午", "昨天上午", "昨天晚上", "今日早上")
# Whole words with 已 (or a result) read by every strict field: a time before or after them changes nothing.
_DONE_WORDS = sorted((key, form) for key, form in _STEM_WORDS if form.startswith("已"))


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_DONE_WORDS), st.sampled_from(_AGO + _DAY_PARTS))
@example(("logistics", "已签收"), "两天前")  # was unreadable
@example(("courier_check", "已签收"), "今天上午")  # was unreadable
def test_when_before_a_step_done_changes_nothing(word, when):
    """物流状态「两天前已签收」「今天上午已签收」, 已产生成本「3天前已下料」: when the step was done — as a date before it
    (6月8日已签收) — changes nothing."""
    key, form = word
    assert _read(key, when + form) == _read(key, form), when + form


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_DONE_WORDS + [("customer_says", "收到"), ("logistics", "签收"), ("courier_check", "签收")]),
       st.sampled_from(_SINCE))
@example(("customer_says", "收到"), "3天了")  # was unreadable
def test_how_long_since_a_step_changes_nothing(word, since):
    """客户反馈「收到3天了」, 物流状态「签收两天了」「已签收3天」: how long since — when, not what."""
    key, form = word
    assume(_read(key, form) not in (None, BAD))
    assert _read(key, form + since) == _read(key, form), form + since


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([("customer_says", "收到"), ("return_logistics", "寄"), ("return_logistics", "寄回"),
                        ("logistics", "揽收"), ("ship_state", "发货")]),
       st.sampled_from(["等了一周", "等了3天", "半个月了", "一周了", "三天了"]), st.sampled_from(["还没", "都没", "没", "还未"]))
@example(("customer_says", "收到"), "等了一周", "还没")  # was unreadable
def test_how_long_a_wait_before_a_negated_step_changes_nothing(step, how_long, negation):
    """客户反馈「等了一周还没收到」「半个月了都没收到」, 退货物流状态「一周了还没寄」: how long, then the negated step —
    as 「3天未更新」: the negated step."""
    key, stem = step
    assert _read(key, how_long + negation + stem) == _read(key, negation + stem), how_long + negation + stem


# ------------------------------------------------------------------ C: a tick on a whole word

_CANONICAL = sorted((key, w) for key in _STRICT for w in GRAMMARS[key].canonical)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_CANONICAL), st.sampled_from(phrases.TICKS), st.booleans())
@example(("negotiation", "同意补偿"), "✅", True)  # was unreadable
@example(("ship_state", "未发货"), "✅", True)  # was unreadable
@example(("intercept", "未拦截"), "✅", True)  # 未拦截, or 未拦截成功 (拦截失败)? unreadable
@example(("no_ship", "否"), "✅", False)  # 否, or ✅ (是)? unreadable
def test_a_tick_on_a_whole_word_checks_that_word(word, tick, before):
    """协商进度「✅同意补偿」「同意补偿✔」, 商品类型「√定制」, 发货状态「✅未发货」: a desk's tick on a whole word checks it —
    the word; never another word, and unreadable where the tick would say one (未拦截✅: 未拦截成功 is 拦截失败; 否✅: the
    tick is 是)."""
    key, w = word
    text = tick + w if before else w + tick
    got = _read(key, text)
    assert got == w or got is BAD, (text, got)
    says = {_read(key, tick), _read(key, w + "成功")}
    if says <= {None, BAD, w}:
        assert got == w, (text, got)


# ------------------------------------------------------------------ C: colloquial

def test_colloquial_words_read_where_the_meaning_is_clear():
    """物流状态「退回来了」「第三次派送」, 客户反馈「已收」「嗯嗯收到了」「啥也没收到」, 快递核实「快递小哥说在驿站」, 验货结果
    「有味道」, 退货原因「不好意思拍错了」: the desk's plain words for the table's."""
    assert _read("logistics", "退回来了") == _read("logistics", "被退回来了") == "退回"
    assert _read("logistics", "第三次派送") == _read("logistics", "派送中，第2次派送") == "派送中"
    assert _read("logistics", "第2次派送失败") == "异常"
    assert _read("customer_says", "已收") == _read("customer_says", "嗯嗯收到了") == _read("customer_says", "收到了哦亲") == "已收到"
    assert _read("customer_says", "未收") == _read("customer_says", "啥也没收到") == "未收到"
    assert _read("courier_check", "快递小哥说在驿站") == "已签收"
    assert _read("inspection", "有味道") == "不合格"
    assert _read("reason", "不好意思拍错了") == "不想要"


# ------------------------------------------------------------------ about to: a step not taken yet

# Every stem of every strict state field that reads as a step alone (揽收, 拦截, 派送中 …) × every "about to" marker
# (马上, 即刻, 立即 …) in a clause of its own: the step is not taken yet — unreadable, never the step itself (揽收（马上）
# was 已揽收: a parcel about to be picked up read as picked up; 拦截（即刻） as 拦截中).  Unlike a wait (拦截中（等待）:
# under way, waiting for its result), "about to" names no next step the one beside it waits for.
_ABOUT_TO = sorted(phrases.PRE["SOON"])
_STEPS = [(key, stem) for key in _STRICT for stem in _stems(key)
          if _read(key, stem) not in (None, BAD, "skip") and _read(key, stem) not in GRAMMARS[key].grammar.explained]


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_STEPS), st.sampled_from(_ABOUT_TO), st.sampled_from(["（{}）", "({})", "，{}", "；{}"]))
@example(("logistics", "揽收"), "即刻", "（{}）")  # was 已揽收
@example(("logistics", "揽收"), "马上", "，{}")  # was 已揽收
@example(("intercept", "拦截"), "马上", "（{}）")  # was 拦截中
def test_about_to_in_a_clause_of_its_own_is_no_step_taken(step, soon, mark):
    key, stem = step
    assert _read(key, stem + mark.format(soon)) is BAD, (key, stem + mark.format(soon))


@pytest.mark.parametrize("text, step", [("运输中，即将派送", "运输中"), ("已揽收，马上发往转运中心", "已揽收"),
                                        ("拦截中，马上有结果", "拦截中")])
def test_about_to_before_the_next_step_still_reads_the_step_taken(text, step):
    """(运输中，即将派送: in transit, about to be delivered — the next step named: the step taken reads.)"""
    assert _read("intercept" if step == "拦截中" else "logistics", text) == step, text


# ------------------------------------------------------------------ 商品类型: one kind of three denied

_KIND_DENIED = ("不是{}", "非{}", "并非{}", "没有{}", "不是{}的", "并非{}商品", "不是{}商品", "{}，不是", "不{}", "无{}")
# (the exact texts of the field: 非定制, the SOP's own word for 标品, and its forms)
_GOODS_EXACT = {vocab.fold(t).lower() for t in (*GRAMMARS["goods_kind"].exact, *GRAMMARS["goods_kind"].canonical)}


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted((s, k) for s, k in GRAMMARS["goods_kind"].grammar.stems.items())),  # type: ignore[union-attr]
       st.sampled_from(_KIND_DENIED))
@example(("代购", "PROXY"), "不是{}")  # was 标品: refunded at once, 代购 left out (rules 3–5: the cost decides)
@example(("定制", "CUSTOM"), "没有{}")  # was 标品
@example(("代购", "PROXY"), "非{}")  # was 标品
def test_one_kind_of_goods_denied_leaves_two(stem, denied):
    """商品类型「不是代购」「非代购」「不是定制」「没有定制」: denying one kind of three leaves two — 标品 (refunded at once) or the
    other kind (the cost decides): unreadable, never 标品.  Both kinds denied leave one (不是定制也不是代购, 非定制非代购: 标品);
    a kind denied and one named, that one (不是定制，是代购: 代购).  (非定制 alone is the SOP's own word for 标品.)"""
    text = denied.format(stem[0])
    assume(vocab.fold(text).lower() not in _GOODS_EXACT)
    assert _read("goods_kind", text) is BAD, (text, _read("goods_kind", text))
    for a, b in (("定制", "代购"), ("代购", "定制")):
        for both in ("不是{}也不是{}", "非{}非{}", "不是{}，不是{}", "非{}，非{}"):
            assert _read("goods_kind", both.format(a, b)) == "标品", both.format(a, b)
        assert _read("goods_kind", f"不是{a}，是{b}") == b
    assert _read("goods_kind", "非定制") == "标品"


# ------------------------------------------------------------------ 售后状态: a refund done, then a withdrawal or a close

_REFUNDED = ("已退款", "退款成功", "退款完成", "已退款完成")
_THEN = ("后", "后又", "之后", "以后", "后来", "然后", "后买家", "之后买家又", "，然后", "→")


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_REFUNDED), st.sampled_from(_THEN),
       st.sampled_from(("撤销", "撤回", "取消", "已撤销", "撤销了", "撤销了申请", "取消了售后", "撤单")))
@example("退款成功", "后买家", "撤销")  # was 已关闭: DONE with 钱货两空 unchecked, the money out
@example("已退款", "后又", "撤销")  # was 已关闭
def test_a_refund_then_withdrawn_is_unreadable(refund, then, withdrawn):
    """售后状态「退款成功后买家撤销」「已退款后又撤销」: the refund done, then withdrawn — taken back, or withdrawn after the money
    went out? As 已退款，已撤销: unreadable (钱货两空 RISK, §4.3), never the withdrawal alone (已关闭: a plain close)."""
    text = refund + then + withdrawn
    assert _read("case_state", text) is BAD, (text, _read("case_state", text))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_REFUNDED), st.sampled_from(_THEN), st.sampled_from(("关闭", "已关闭", "关闭了", "完结", "已完结", "结案")))
@example("已退款", "后", "关闭")  # was 已关闭: refunded, then closed — read as a close, 钱货两空 unchecked
def test_a_refund_then_closed_is_still_refunded(refund, then, closed):
    """售后状态「已退款后关闭」「退款成功后已完结」: refunded, then the case closed — the money went out all the same: 已退款 (as
    已退款，已关闭), so 钱货两空 is checked; a case open before (审核后已退款) is refunded now."""
    text = refund + then + closed
    assert _read("case_state", text) == "已退款", (text, _read("case_state", text))
    assert _read("case_state", "审核后已退款") == "已退款"


@pytest.mark.parametrize("text", ["退款成功后买家撤销", "已退款后又撤销", "已退款后关闭", "退款完成后撤回"])
def test_a_refund_then_withdrawn_or_closed_keeps_the_loss_risk(text):
    """The same on a row with the parcel on its way: the money out, the goods out — loss_risk RISK, never OK."""
    res = evaluate_one(refund_type="仅退款", amount=59, ship_state="已发货", logistics="运输中", last_update=ago(2),
                       case_state=text)
    assert res.loss_risk == "RISK", (text, res.action_code, res.loss_risk)
    assert res.action_code in ("DONE", "NEEDS_INFO")


# ------------------------------------------------------------------ 发货状态: the courier's word

_COURIER_SAYS = ("称", "说", "：", "反馈：", "电话说", "回复", "表示")


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(phrases.SPEAKERS["courier"])), st.sampled_from(_COURIER_SAYS),
       st.sampled_from(("未发货", "还没发", "尚未发货", "没发货", "已发货", "发货了", "线下已发货")))
@example("快递员", "称", "未发货")  # was 未发货: refunded at once on a courier's word (SOP 线下已发货: the goods lost)
@example("快递员", "：", "未发货")  # was 未发货
@example("快递员", "称", "线下已发货")  # was 线下已发货
def test_the_courier_s_word_is_no_shipping_state_of_the_shop_s(who, says, word):
    """发货状态「快递员称未发货」「快递说还没发」「快递员：未发货」「快递员称已发货」: whether the shop shipped is its own fact (the
    order's page, the warehouse); a courier with no parcel in hand says 未发货 of goods shipped offline — hearsay, as 驿站说未发货
    and 客户说没发货 are: unreadable.  The platform's page (系统显示未发货) is the shop's record: read."""
    text = who + says + word
    assert _read("ship_state", text) is BAD, (text, _read("ship_state", text))
    assert _read("ship_state", "系统显示" + word) == _read("ship_state", word)


def test_the_courier_s_not_shipped_is_asked_never_refunded():
    res = evaluate_one(refund_type="仅退款", amount=59, goods_kind="标品", ship_state="快递员称未发货")
    assert res.action_code == "NEEDS_INFO" and "发货状态「快递员称未发货」" in res.action_label(), res.action_label()
