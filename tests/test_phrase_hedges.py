"""A word said to be not final yet, ordered steps of an interception, spaces inside a word (contract §2: a value is read
as a whole phrase; a modifier not understood makes it unreadable, never the bare word)."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st

from refund_xl._core import phrases, vocab, wordbook
from refund_xl._core.fields import FIELD_BY_KEY
from refund_xl._core.vocab import BAD

PARSERS = {key: wordbook.reader(words) for key, words in wordbook.WORDS.items()}


def _words(key: str) -> list[str]:
    """The field's words and exact phrases that read as one of its words (no Latin, no mark: 是, 禁运, 拦截成功, 未产生)."""
    words = wordbook.WORDS[key]
    parse = PARSERS[key]
    return sorted(w for w in {*words.canonical, *words.exact}
                  if w and all(phrases._cjk(ch) for ch in w) and isinstance(parse(w), str) and parse(w) in words.canonical)


_FIELD_WORDS = [(key, word) for key in sorted(wordbook.WORDS) for word in _words(key)]

# The family: subject to someone's word, someone's confirmation still to come, the final word not in yet, for reference.
_PARTIES = ("", "快递", "顺丰", "仓库", "网点", "客户", "平台", "快递员")
_SUBJECT_TO = st.builds(lambda lead, what: f"{lead}以{what}为准",
                        st.sampled_from(("", "最终", "结果", "一切", "具体", "最终结果")),
                        st.sampled_from(("快递", "顺丰", "实际", "快递回复", "网点反馈", "仓库最终结果", "平台", "最终结果",
                                         "实际情况", "系统")))
_CONFIRMATION_AWAITED = st.builds(lambda wait, who, how, verb: wait + who + how + verb,
                                  st.sampled_from(("待", "等", "等待", "有待", "尚待", "尚需", "还需", "还需要", "需要",
                                                   "但还需要", "不过还要跟", "还得", "要再")),
                                  st.sampled_from(_PARTIES), st.sampled_from(("", "最终", "进一步", "再")),
                                  st.sampled_from(("确认", "核实", "核查", "确认一下", "核实一下")))
_NOT_CONFIRMED_YET = st.builds(lambda who, neg, what: who + neg + what,
                               st.sampled_from(_PARTIES[1:]), st.sampled_from(("还没", "还没有", "尚未", "暂未", "仍未")),
                               st.sampled_from(("最终回复", "最终确认", "确认", "核实", "最终答复", "最终反馈")))
NOT_FINAL = st.one_of(_SUBJECT_TO, _CONFIRMATION_AWAITED, _NOT_CONFIRMED_YET, st.just("仅供参考"))
_FORMS = ("，{}", "（{}）", "。{}", "；{}", "，{}。")


def _meaning(key: str, got: object) -> object:
    """A reading as the decisions see it: free text that is no category is just text (kept as typed)."""
    free = wordbook.WORDS[key].free_text and isinstance(got, str) and got not in FIELD_BY_KEY[key].choices
    return "free text" if free else got


def _unread(key: str, got: object) -> bool:
    """Unreadable — for free text (退货原因), kept as text: no category of it."""
    if wordbook.WORDS[key].free_text:
        return got is BAD or isinstance(got, str) and got not in FIELD_BY_KEY[key].choices
    return got is BAD


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_FIELD_WORDS), NOT_FINAL, st.sampled_from(_FORMS))
@example(("intercept", "拦截成功"), "最终以快递为准", "，{}")  # was 拦截成功: refunded
@example(("logistics", "运输中"), "等快递最终确认", "，{}")  # was 运输中: intercept and refund now
@example(("logistics", "运输中"), "快递待确认", "，{}")
@example(("logistics", "拒收"), "结果以顺丰为准", "，{}")  # was 拒收: refunded
@example(("courier_check", "丢件"), "待快递确认", "，{}")  # was 丢件: refund or reship
@example(("return_logistics", "已揽收"), "以快递回复为准", "（{}）")  # was 已揽收: refund on pickup
@example(("inspection", "合格"), "以仓库最终结果为准", "，{}")  # was 合格
@example(("negotiation", "同意补偿"), "以实际为准", "（{}）")  # was 同意补偿: compensation paid
@example(("no_ship", "禁运"), "最终以快递为准", "，{}")  # was 是: refund without return
@example(("ship_state", "未发货"), "快递还没最终回复", "，{}")  # was 未发货: refunded
@example(("case_state", "已关闭"), "等快递最终确认", "，{}")  # was 已关闭: done, 钱货两空 not checked
@example(("goods_kind", "标品"), "结果以顺丰为准", "，{}")  # was 标品: refunded
@example(("negotiation", "拒绝补偿"), "但还需要再核实一下", "，{}")  # was 拒绝补偿 (a non-money word: the same rule)
@example(("customer_says", "未收到"), "不过还要跟客户确认", "，{}")  # was 未收到
@example(("inspection", "不合格"), "但还需要再核实一下", "，{}")  # was 不合格
@example(("intercept", "拦截失败"), "具体以快递回复为准", "，{}")  # was 拦截失败
@example(("intercept", "拦截中"), "具体以快递回复为准", "，{}")  # was 拦截中
def test_a_word_not_final_yet_is_unreadable(field_word, hedge, form):
    """「拦截成功，最终以快递为准」「运输中，等快递最终确认」「丢件，待快递确认」「合格（以实际为准）」「拒绝补偿，但还需要再
    核实一下」「发货状态 未发货，快递还没最终回复」: a clause saying the word is not final — subject to someone's word, someone's
    confirmation still to come, the final word not in — makes the value unreadable in every field, whatever the word (a
    result, a step under way, a refusal), never the bare word."""
    key, word = field_word
    text = word + form.format(hedge)
    assert _unread(key, PARSERS[key](text)), (key, text, PARSERS[key](text))
    # written first, the same
    first = hedge + "，" + word
    assert _unread(key, PARSERS[key](first)), (key, first, PARSERS[key](first))


_UNDER_WAY = sorted((key, word) for key, w in wordbook.WORDS.items() if w.grammar is not None and w.grammar.strict
                    for word in w.grammar.awaiting)
# What a step under way waits for: its result, a reply (no confirmation of the word itself)
_AWAITED = ("等待结果", "等结果", "等待最终结果", "待快递回复", "等待快递回复", "快递还没回复", "快递未回复", "待反馈")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_UNDER_WAY), st.sampled_from(_AWAITED), st.sampled_from(("待快递确认", "等快递最终确认",
                                                                               "以快递回复为准", "快递还没确认",
                                                                               "快递还没最终回复", "有待核实")),
       st.sampled_from(("，{}", "（{}）")))
@example(("intercept", "拦截中"), "等待结果", "待快递确认", "，{}")
@example(("logistics", "运输中"), "待快递回复", "待快递确认", "，{}")  # 运输中，待快递确认 was 运输中
def test_a_result_awaited_is_no_doubt_a_confirmation_awaited_is(under_way, awaited, confirming, form):
    """拦截中，等待结果 / 运输中，待快递回复: beside a step under way, the result or the reply it waits for changes nothing
    (Grammar.awaiting); 拦截中，待快递确认 / 运输中，快递还没最终回复: a confirmation of the word itself not in yet — a doubt;
    beside a result (拦截成功，等待结果 is no step under way) both are unreadable."""
    key, word = under_way
    parse = PARSERS[key]
    assert parse(word + form.format(awaited)) == parse(word) != BAD, (word + form.format(awaited))
    assert parse(word + form.format(confirming)) is BAD, word + form.format(confirming)
    for result, field in (("拦截成功", "intercept"), ("已签收", "logistics"), ("合格", "inspection")):
        assert PARSERS[field](result + form.format(confirming)) is BAD, result + form.format(confirming)


@given(st.sampled_from(("已签收，待验货", "已入库，等待仓库质检", "已签收，待退款")),
       st.sampled_from(("", "，以仓库最终结果为准", "（以实际为准）", "，等仓库最终确认")))
def test_the_next_step_named_stays_read_unless_the_word_is_not_final(cell, hedge):
    """退货物流状态「已签收，待验货」: the next step named (Grammar.next_steps) — read; with the word said to be not final
    beside it (「已签收，待验货，以仓库最终结果为准」), unreadable."""
    got = PARSERS["return_logistics"](cell + hedge)
    assert (got == "已签收") if not hedge else (got is BAD), (cell + hedge, got)


def test_the_not_final_family_matches_no_plain_word():
    """No word of any field holds the family; a platform's whole status that does (JD 待用户确认: the case waits for the
    buyer) is read whole, as the platform writes it, before any phrase is."""
    for key, words in wordbook.WORDS.items():
        for word in words.canonical:
            assert not phrases.NOT_FINAL.search(vocab.fold(word)), (key, word)
        for word, means in words.exact.items():
            if phrases.NOT_FINAL.search(vocab.fold(word)):
                assert PARSERS[key](word) == means, (key, word)


# ------------------------------------------------------------------ steps of an interception written in order

_INTERCEPT_WORDS = ("未拦截", "拦截中", "拦截成功", "拦截失败")
# the written forms of each word a desk uses, and the ways to say the second came after the first
_FORMS_OF = {"未拦截": ("未拦截", "没拦截"), "拦截中": ("拦截中", "已申请拦截", "拦截已提交"),
             "拦截成功": ("拦截成功", "已拦回", "拦住了"), "拦截失败": ("拦截失败", "没拦住", "拦截未成功")}
_CONNECTORS = ("{a}→{b}", "{a}->{b}", "{a}后{b}", "{a}后又{b}", "{a}之后{b}", "{a}然后{b}", "{a}，然后{b}", "{a}，又{b}",
               "{a}，后来{b}", "先{a}后{b}", "先{a}，后{b}", "先{a}再{b}", "{a}，再{b}", "{a} → {b}", "昨天{a}今天{b}",
               "第1次{a}，第2次{b}", "第一次{a}，第二次{b}")
_LATEST = {("未拦截", "拦截中"): "拦截中", ("未拦截", "拦截成功"): "拦截成功", ("未拦截", "拦截失败"): "拦截失败",
           ("拦截中", "拦截成功"): "拦截成功", ("拦截中", "拦截失败"): "拦截失败",
           ("拦截失败", "拦截中"): "拦截中", ("拦截失败", "拦截成功"): "拦截成功"}


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_INTERCEPT_WORDS), st.sampled_from(_INTERCEPT_WORDS), st.sampled_from(_CONNECTORS), st.data())
@example("拦截失败", "拦截中", "{a}→{b}", None)  # was 拦截失败 (the earlier step)
@example("拦截失败", "拦截中", "先{a}后{b}", None)  # was unreadable, while 拦截失败后又拦截中 read 拦截中
@example("拦截失败", "拦截中", "昨天{a}今天{b}", None)  # was 拦截失败
@example("拦截成功", "拦截中", "{a}后又{b}", None)  # was 拦截中, while 拦截成功→拦截中 read 拦截成功
def test_steps_of_an_interception_written_in_order_read_one_way(first, then, connector, data):
    """拦截状态「拦截失败→拦截中」「拦截失败后又拦截中」「先拦截失败后拦截中」「昨天拦截失败今天拦截中」: one fact, read one
    way however the order is written — the latest step where it may follow the one before (a second interception after a
    failure; a result after one under way), else unreadable (拦截成功 then anything else; anything then 未拦截)."""
    parse = PARSERS["intercept"]
    a = data.draw(st.sampled_from(_FORMS_OF[first])) if data is not None else first
    b = data.draw(st.sampled_from(_FORMS_OF[then])) if data is not None else then
    assert parse(a) == first and parse(b) == then
    text = connector.format(a=a, b=b)
    got = parse(text)
    want = first if first == then else _LATEST.get((first, then), BAD)
    assert got == want, (text, got, want)
    # written with no order (拦截中，拦截失败; 拦截失败；拦截中), the words combine as they did: only an order written
    # changes the reading
    combine = wordbook.INTERCEPT.grammar.combine
    assert combine is not None
    for no_order in ("{a}，{b}", "{a}；{b}"):
        assert parse(no_order.format(a=first, b=then)) == combine([first, then]), no_order.format(a=first, b=then)


# a step named after an order word with no aspect of its own (再拦截, 第2次拦截, 又申请): to be done, or done? — never the
# step under way or a result (拦截失败，再拦截 read 拦截中: a low-value parcel refunded at once on an interception only planned)
_BARE_LATER = ("拦截", "拦回", "申请", "申请拦截", "发起拦截", "重新拦截")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_INTERCEPT_WORDS), st.sampled_from(_BARE_LATER), st.sampled_from(_CONNECTORS))
@example("拦截失败", "拦截", "{a}，再{b}")  # was 拦截中
@example("拦截失败", "申请", "{a}，又{b}")  # was 拦截中
def test_a_later_step_with_no_aspect_is_no_step_taken(first, bare, connector):
    parse = PARSERS["intercept"]
    text = connector.format(a=first, b=bare)
    got = parse(text)
    assert got is BAD or got == first, (text, got)  # (the step taken before it, or unreadable: never a later one)


# ------------------------------------------------------------------ spaces inside a word, a word said twice

def _spaced(word: str, cuts: list[int], space: str) -> str:
    return "".join(ch + (space if n in cuts else "") for n, ch in enumerate(word))


_STEMMED = [(key, stem) for key, words in sorted(wordbook.WORDS.items()) if words.grammar is not None
            for stem in words.grammar.stems if len(stem) > 1 and all(map(phrases._cjk, stem))]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_STEMMED), st.sampled_from(("", "已", "没", "未能", "已经")), st.sampled_from(("", "了", "成功", "失败")),
       st.data(), st.sampled_from((" ", "\u3000", "  ")))
@example(("intercept", "拦回"), "已", "", None, " ")  # 已 拦 回 was 拦截中 (the 回 dropped)
@example(("intercept", "拦住"), "", "了", None, " ")  # 拦 住了 was 拦截中
@example(("intercept", "拦住"), "没", "", None, " ")  # 没 拦 住 was 未拦截
@example(("no_ship", "禁运"), "", "", None, "\u3000")  # 禁　运 was unreadable
@example(("cost_incurred", "开工"), "已", "", None, " ")  # 已 开 工 was unreadable
@example(("inspection", "完好无损"), "", "", None, " ")  # 完 好 无 损 was unreadable (its 无 kept apart as a "no")
def test_a_space_inside_a_word_does_not_change_its_reading(key_stem, before, after, data, space):
    """拦截状态「已 拦 回」「拦 住了」「没 拦 住」, 禁运「禁　运」, 已产生成本「已 开 工」: a space typed between the characters of
    one word reads as the word written whole (or the same unreadable) — never the first characters' word with the rest
    dropped."""
    key, stem = key_stem
    text = before + stem + after
    cuts = data.draw(st.sets(st.integers(0, len(text) - 2), min_size=1)) if data is not None else \
        list(range(len(text) - 1))
    spaced = _spaced(text, sorted(cuts), space)
    spaced_reads, reads = _meaning(key, PARSERS[key](spaced)), _meaning(key, PARSERS[key](text))
    # (or asked where the word whole reads as nothing or as a reason kept as typed: 没 腐烂, a negation set apart)
    assert spaced_reads == reads or spaced_reads is BAD and reads in (None, "free text"), (key, spaced, spaced_reads,
                                                                                          text, reads)


@given(st.sampled_from(_FIELD_WORDS), st.sampled_from(("{w}{w}", "{w}{w}{w}", "{w} {w}", "{w}哦", "{w}啊", "{w}呢")))
@example(("logistics", "异常"), "{w}{w}")  # was unreadable, while 已签收已签收 read
@example(("cost_incurred", "是"), "{w}{w}")
@example(("case_state", "退款关闭"), "{w}哦")
def test_a_word_said_twice_is_the_word(field_word, form):
    """异常异常, 合格合格, 没收到没收到, 是是, 否哦, 禁运禁运, 退款关闭哦: the word said with emphasis is the word."""
    key, word = field_word
    assert _meaning(key, PARSERS[key](form.format(w=word))) == _meaning(key, PARSERS[key](word)), (key, form.format(w=word))
