"""The words of each state column, as a desk lead can read them (contract §2).

For every enumerated field: its canonical words, the exact texts read as one of
them (desk words and platform status strings — a fast first lookup), and its
phrase grammar (:mod:`refund_xl._core.phrases`): the stems it knows and, per kind
of stem, what each aspect means.  A cell of a matrix left out is unreadable: a
combination nobody wrote down is asked about, never guessed.

The tables below read like this::

    "PICKUP": {"plain": 已揽收, "neg": 未揽收, "fail": 未揽收, …}

— a 揽收-kind stem with nothing around it (揽收, 已揽收, 揽收成功) means 已揽收; with a
negation (未揽收, 还没揽收), a failure (揽收失败) or waiting (等待揽收) it means 未揽收.

:func:`reader` turns one entry into the field's parse function.  Pure module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Callable, Mapping

from refund_xl._core import phrases, trace_codes, vocab
from refund_xl._core.phrases import NONE, SKIP, Grammar
from refund_xl._core.vocab import BAD

__all__ = ["Words", "WORDS", "reader", "progress"]


@dataclass(frozen=True)
class Words:
    """One field's vocabulary: canonical words, exact texts, the phrase grammar."""

    canonical: tuple[str, ...]
    exact: Mapping[str, str]
    grammar: Grammar | None = None
    free_text: bool = False  # 退货原因: a text with no word of the table in it is kept as typed (no special reason)
    # a desk's own record: 无 / 暂无 not read as a word mean nothing recorded (the blank cell)
    said_none: bool = False
    examples: tuple[str, ...] = field(default=())  # phrases the docs show with their reading
    # an amount of money no word of the field reads (定制成本「30元」): (the word for more than 0, the word for 0)
    amounts: tuple[str, str] | None = None
    # a cell that is a parcel's number and nothing else (中通 75234220267368, YT1234567890123: phrases.waybill_alone)
    waybill: str | None = None
    # words of a field that records more than one thing, that may both hold (客户反馈: 不撤销 is a stance, 已收到 a
    # receipt): two of its columns saying such two words do not disagree, the field's own column stands; any other
    # two words of one field in two columns do (contract §2 "Column precedence")
    together: frozenset[frozenset[str]] = frozenset()
    # texts that say one of several words and not which (售后状态 已完成: refunded, or done another way?): the cell
    # is unknown among them, quoted (a vocab.Both) — decided only where every one of them gives the same result
    either: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _matrix(rows: Mapping[str, Mapping[str, str | None]]) -> dict[tuple[str, str], str]:
    """(stem kind, aspect) → word; unless the row says: a tick or OK after a step (拦截OK) reads as 成功 after it
    does, a "not yet" (还没发货) as the negation does, a step about to happen (即将发货) as a wait for it does.  A row's
    None: that aspect is unreadable."""
    derived = (("tick", "done"), ("neg_yet", "neg"), ("soon", "wait"))
    return {(kind, asp): word for kind, cells in rows.items()
            for asp, word in ({a: cells[b] for a, b in derived if b in cells} | dict(cells)).items()
            if word is not None}


def _stems(**kinds: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for kind, texts in kinds.items():
        for text in texts:
            out[vocab.fold(text)] = kind
    return out


def _all(word: str, *aspects: str) -> dict[str, str]:
    return dict.fromkeys(aspects, word)


def progress(order: tuple[str, ...], exceptions: tuple[str, ...] = (), pairs: Mapping[frozenset, str] | None = None,
             start: str | None = None, clashes: tuple[frozenset[str], ...] = ()) -> Callable[[list[str]], object]:
    """Combine the words of several clauses along a progression (a later stage wins).

    A word outside ``order`` (an exception: 异常, 退回 …) wins over the progression when
    it is the only exception; two different exceptions are unreadable unless ``pairs``
    says what they mean together.  ``start`` (未揽收: nothing happened yet) beside any
    other word is a contradiction: unreadable; so are the words of any of ``clashes`` together
    (已签收 beside 丢件: which came last, the cell does not say).
    """
    rank = {w: i for i, w in enumerate(order)}

    def combine(words: list[str]) -> object:
        distinct = set(words)
        if len(distinct) == 1:
            return phrases.agree(words)  # (one word read two ways: the plain word, in either order)
        if start is not None and start in distinct:
            return BAD
        if any(clash <= distinct for clash in clashes):
            return BAD
        odd = distinct - rank.keys()
        if odd - set(exceptions):
            return BAD
        if len(odd) == 1:
            return odd.pop()
        if len(odd) > 1:
            return (pairs or {}).get(frozenset(odd), BAD)
        return max(distinct, key=rank.__getitem__)

    return combine


# The return reasons that say nothing of the goods: a change of mind, a lower price (退货原因's kinds UNWANTED, PRICE).
# Every field of states reads them beside its word as why (收到了，不想要了: 已收到) — but 协商进度, where the buyer's
# wish is the fact itself, and the yes/no columns.
_NO_FAULT_KINDS = ("UNWANTED", "PRICE")


def _names_a_reason(clause: str) -> bool:
    """Whether a clause is nothing but a return reason that says nothing of the goods (不想要了, 拍错了, 客户说降价了),
    as the 退货原因 table words it: beside a state it says why (:attr:`phrases.Grammar.names_why`).  A fault (坏了,
    少了一个) is no such reason (received goods not as sent are no plain receipt), nor are 不需要 and 不要了 alone (not
    needed, not wanted: which step?)."""
    return _no_fault_reason().fullmatch(clause) is not None


@cache
def _no_fault_reason() -> re.Pattern:
    words = {stem for stem, kind in REASON.grammar.stems.items() if kind in _NO_FAULT_KINDS}  # type: ignore[union-attr]
    words |= {text for text, word in REASON.exact.items() if word in ("不想要", "降价")}
    # (not needed, not wanted: which step? 拦截中，不要了 may call the interception off; 差价, 价保: money paid back, a part of
    # the refund — 已退款（差价） is no full refund)
    words -= {"不需要", "不要了", "不要", "差价", "价保"}
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    # (◷: 七天 of 七天无理由, a date: how long or when, as the reader marks it)
    return re.compile(f"(?:客户|买家|顾客)?(?:说|表示|反馈)?◷?(?:{alternatives})(?:了|啦)?")


# ------------------------------------------------------------------ 物流状态

_NOT_YET = ("neg", "neg_done", "inable", "fail", "wait", "req", "neg_req", "ongoing", "pause", "abn")

# Parcel lockers as traces and desks name them (放入丰巢柜: the whole name, no 柜 left over).
_LOCKERS = ("快递柜", "丰巢", "丰巢柜", "智能柜", "自提柜")
# Where a courier leaves a parcel for the buyer, or for someone who takes it for the buyer (放在门卫室, 放物业, 已放快递架):
# delivered there.  The shop placing it somewhere is no delivery (商家放在前台: unreadable, never the shop signing).
_PLACED = tuple(dict.fromkeys(
    verb + place for verb in ("放", "放在", "放到", "放进", "放入", "放置", "放置在", "放置于", "放于")
    for place in ("门卫", "门卫室", "前台", "物业", "快递架", *_LOCKERS, "驿站", "门口", "家门口"))) + ("放柜",)
# Where a parcel sent back goes (发往原寄件地址, 返回寄件人): the shop's side.
_BACK_HOME = (*phrases.SENDER_PLACES, "寄件人", "发件人", "商家", "卖家")
# Words a courier's trace uses for a delivery (the parcel is where the buyer gets it).
_SIGNING = ("签收", "妥投", "代签", "代收", "投柜", "入柜", "驿站", "快递柜", "丰巢", "丰巢柜", "快递架",
            "送达", "送到", "签", "代签收", "家门口", "投柜或站签收", "投柜或驿站签收", "投柜或驿站",  # (快递100's 投柜或站签收, 投柜或驿站)
            # delivered to a parcel point (已投递至驿站, 派件至快递柜): 已投递 alone may be "sent out to deliver"
            *(verb + to + point for verb in ("投递", "派送", "派件", "配送", "投") for to in ("至", "到", "进", "入", "在")
              for point in ("驿站", *_LOCKERS)),
            *_PLACED)
# The recipient away (客户不在家, 家中无人, 收件人不在): why a courier left the parcel with someone else (代签收, 放门卫室) —
# beside such a signing, no turn of it (phrases.Grammar.away_why).
# (the courier's note naming it, 快递员备注：客户不在家, read as one clause: 快递员客户不在家)
_AWAY = re.compile("(?:" + "|".join(sorted(phrases.COURIER_PEOPLE, key=len, reverse=True)) + ")?(?:备注)?"
                   "(?:" + "|".join(sorted((*phrases.RECIPIENTS, "家里", "家中"), key=len, reverse=True)) + ")*"
                   "(?:当时|暂时)?(?:不在家|不在|家中无人|家里没人|家里无人|无人在家|没人在家)")
_PROXY = re.compile("|".join(sorted(("代签", "代收", *_PLACED), key=len, reverse=True)))
# At a parcel point, for the buyer to collect (待取件, 到达待取, 驿站待领取): delivered there — unless a courier is
# the one to collect it (快递员待取件: the pickup, not done yet).
_AWAITING_COLLECTION = ("待取件", "待取", "待领取", "待自提", "待提货", "待取货")

# The buyer as the speaker (客户说丢了, 买家称已签收, 买家说已寄回, 客户电话说, 买家留言：, 客户：): in a column of facts the
# trace, the courier, the warehouse or the shop holds, hearsay, no fact of theirs (待客户反馈, waiting for the buyer's word,
# says nothing); so is a cell that starts with a verb of telling, no one named (说已寄回, 称已签收).
_HEARSAY = re.compile(phrases.claims_by("buyer", "someone"))


def _said_by(*parties: str) -> re.Pattern:
    """Claims told by any of ``parties`` (phrases.SPEAKERS' keys, "someone"): hearsay in a column whose facts come from
    others (快递说合格 in 验货结果, 仓库说已签收 in 物流状态, 快递：已收到 in 客户反馈) — a field's Grammar.aside."""
    return re.compile(phrases.claims_by(*parties))

# The columns of where the parcel is (shipped, collected, on its way, signed, received, stopped): a step of theirs beside a
# word of theirs that it would explain (未发货，快递已取件; 丢件，客户已收到) says the word no longer holds.  (A refund, a
# compensation beside it, 未发货，已退款, is another fact: why, or what came next.)
_PARCEL_FIELDS = ("logistics", "intercept", "ship_state", "customer_says", "courier_check")


def _a_state_word(clause: str) -> bool:
    """Whether ``clause`` holds a parcel's step of any column (快递已取件, 客户已收到, 又派送了; no noun: 派件员):
    :attr:`phrases.Grammar.elsewhere`."""
    return any(phrases.has_step(WORDS[key].grammar, clause) for key in _PARCEL_FIELDS)  # type: ignore[arg-type]


# A courier collecting a parcel, as traces name it (揽收, 已收件, 顺丰 已收取快件, China Post's 已收寄): the same words for the
# parcel sent and the return (退货物流状态「邮件已收寄」is the return picked up, never 收 "received" then 寄 "sent").
_COURIER_PICKUP = ("揽收", "揽件", "收件", "揽", "收取", "收寄")

_PARCEL_STATES = ("未揽收", "已揽收", "运输中", "派送中", "已签收", "异常", "丢件", "拒收", "退回")
# The parcel's states a successful interception fits: on its way, back, refused (拦截状态 and 物流状态 alike).
_INTERCEPTED_FITS = frozenset({"运输中", "退回", "拒收"})

LOGISTICS = Words(
    canonical=_PARCEL_STATES,
    exact={
        # Kuaidi100's states by name (到达派件城市, 超时未更新, 柜或驿站超时未取), pasted from its pages or an ERP: the
        # word `refund-xl track` gives for the code
        **trace_codes.NAMED,
        # no trace at all (暂无物流信息, 查不到物流, 物流无信息): not scanned by a courier yet
        **dict.fromkeys(phrases.NO_TRACE, "未揽收"),
        "待揽收": "未揽收", "未揽件": "未揽收", "待揽件": "未揽收", "已发货未揽收": "未揽收", "已下单": "未揽收",
        "揽收": "已揽收", "已揽件": "已揽收", "揽件": "已揽收", "已收件": "已揽收",
        "在途": "运输中", "运送中": "运输中", "转运中": "运输中", "运输途中": "运输中", "途中": "运输中", "已发出": "运输中",
        "派件中": "派送中", "配送中": "派送中", "正在派件": "派送中", "待派送": "派送中",
        "签收": "已签收", "已妥投": "已签收", "妥投": "已签收", "已代签收": "已签收", "代签收": "已签收",
        "驿站代收": "已签收", "已收货": "已签收", "快件已放入驿站": "已签收", "已放入驿站": "已签收",
        "已投柜": "已签收", "投柜": "已签收", "已放入快递柜": "已签收", "待取件": "已签收",
        "物流异常": "异常", "停滞": "异常", "疑难件": "异常", "问题件": "异常", "物流停滞": "异常",
        "疑似丢件": "异常", "疑似丢失": "异常", "滞留": "异常", "破损": "异常",
        "丢失": "丢件", "遗失": "丢件", "丢件了": "丢件", "快递丢失": "丢件",
        "拒签": "拒收", "已拒收": "拒收", "已拒签": "拒收",
        "退回中": "退回", "已退回": "退回", "退件": "退回", "返回中": "退回", "原路退回": "退回", "退回寄件人": "退回",
        "退签": "退回",
    },
    grammar=Grammar(
        names_why=_names_a_reason,
        # a clause of its own after these says why (派件异常，收件人电话无人接听)
        explained=frozenset({"异常", "丢件", "拒收", "退回"}),
        elsewhere=_a_state_word,  # (未发货，快递已取件; 丢件，客户已收到: no reason why)
        awaiting=frozenset({"已揽收", "运输中", "派送中"}),
        stems=_stems(
            PICKUP=_COURIER_PICKUP,
            ORDERED=("下单",),
            # the shop's warehouse before the courier has it (JD: 您的订单已打包完成, 拣货完成，待出库): not collected yet
            WAREHOUSE=("打包", "拣货", "配货", "备货", "进入库房"),
            # leaving the warehouse (已出库) may be the courier's own pickup (JD delivers its own): no reading; still to
            # leave (待出库, 准备出库, 未出库) is not collected yet
            DISPATCH=("出库",),
            # the shop's shipping (已发货): no step of the courier's (已发货待揽收: not collected yet)
            SHIPPED=("发货",),
            TRANSIT=("运输", "转运", "发往", "到达", "离开", "在途", "途中", "中转", "发出", "运送", "装车", "分拣",
                     "卸车", "出发", "抵达", "发车", "航班", "干线", "路上", "寄出",
                     # a parcel across a border (清关中, 已清关, 国际运输中)
                     "清关", "国际运输", "国际转运", "国际航班"),
            # (no object after it, as 到达 takes one: 在网点自取 is no step of the way)
            OUTLET=phrases.AT_OUTLET,
            DELIVER=("派送", "派件", "配送", "投递", "送货", "派",
                     "二次派送", "再次派送", "重新派送", "二次派件", "再次派件", "再次投递", "重新投递"),
            SIGNED=tuple(w for w in _SIGNING if w not in _PLACED), PLACED=_PLACED, AT_POINT=_AWAITING_COLLECTION,
            # the buyer collected it from a parcel point (已取件); the courier collecting it is the pickup
            COLLECTED=("取件", "领取", "提货", "取走"),
            ABNORMAL=("异常", "滞留", "破损", "疑难", "问题件", "停滞", "延误", "卡住", "卡在",
                      # the courier cannot deliver there (Kuaidi100's 超区, 派件异常)
                      "超区", "超出派送范围", "超出配送范围", "超出服务范围",
                      "地址错误", "地址有误", "地址不详", "地址不全", "地址不对", "地址不清", "地址错",
                      "打不通", "无人接听", "无人接", "没人接", "电话不通", "空号", "停机", "关机", "无信号",
                      # no movement for a while (物流三天没动, 一直没更新: Kuaidi100's 超时未更新, under 疑难)
                      # (没更新, 无变化: the update not made, below; 没动静 here, as 没动 would take its 没动)
                      "停更", "断更", "没动", "未动", "不动", "没有动", "没动静", "没有动静", "没动态", "没有动态",
                      "卡着",
                      # the parcel damaged on the way (Kuaidi100's 破损, under 疑难)
                      "损坏", "损毁", "压坏", "摔坏", "包装破损", "外包装破损", "淋湿", "进水", "受潮",
                      # held by customs (海关扣留, 扣关)
                      "扣关", "海关扣留", "被海关扣留", "海关扣押"),
            # the trace moving (物流有更新: says nothing of where); not moving (没有物流更新, 无物流动态, 物流停止更新) is a
            # stall, as 没更新 is with the trace named between
            UPDATE=("更新", "动态", "变化", "进展", "动静"),
            # handed to the buyer in person (快件已派送至本人, 已交给收件人): delivered
            HANDED=tuple(verb + to + who for verb in ("派送", "投递", "送", "交", "交付", "派件")
                         for to in ("至", "到", "给") for who in ("本人", "收件人", "收货人", "客户本人", "买家本人")),
            # the courier reaching the buyer (无法联系, 联系不上: Kuaidi100's 206, 异常); reaching them says nothing
            CONTACT=("联系", "联络"),
            ANSWER=("接听", "接通", "打通", "接电话"),
            LOST=("丢件", "丢失", "遗失", "丢包", "灭失", "丢"),
            REFUSED=("拒收", "拒签", "拒绝签收", "拒绝收货"),
            # (退回妥投, 退件签收: the sender signed for it, as 退签)
            RETURNED=("退回", "退签", "退件", "返回", "返件", "退寄", "原路返回", "退还", "返还", "回退", "转退",
                      "退回来",  # (被退回来了: as 已退回)
                      "退回件", "退货件",  # (退货件派送中: the parcel on its way back, as 退件派送中)
                      "退回妥投", "退回签收", "退件签收", "退件妥投",
                      # heading back to where it came from (快件已发往原寄件地址, 正在发往寄件人): on its way back
                      *(verb + place for verb in ("发往", "寄往", "送往", "运往", "返往", "转寄", "转寄至", "转寄往")
                        for place in _BACK_HOME),
                      # on the way back there (正在返回寄件人途中, 退回商家路上)
                      *(verb + place + way for verb in ("返回", "退回", "发往", "寄往", "送往", "运往", "返往", "返还")
                        for place in _BACK_HOME for way in ("途中", "的途中", "路上", "的路上"))),
            INTERCEPTED=("拦截", "截件"),
        ),
        matrix=_matrix({
            "PICKUP": {**_all("已揽收", "plain", "past", "done"), **_all("未揽收", *_NOT_YET, "planned")},
            "ORDERED": _all("未揽收", "plain", "past", "done"),
            "WAREHOUSE": _all("未揽收", "plain", "past", "done", "ongoing", "wait"),
            "DISPATCH": {**_all(SKIP, "plain", "past", "done"), **_all("未揽收", "wait", "neg", "neg_yet")},
            "HANDED": _all("已签收", "past", "done"),
            "SHIPPED": _all(SKIP, "plain", "past", "done"),
            # (a step about to happen, 即将发往上海, 即将派送, 将退回: no step now — beside another, that one)
            "TRANSIT": {**_all("运输中", "plain", "past", "done", "ongoing", "wait"), **_all("异常", "pause", "abn"),
                        "soon": SKIP},
            "OUTLET": {**_all("运输中", "plain", "past"), "abn": "异常"},
            # 已派送 / 已投递 may say the parcel was delivered as well as sent out to be: no reading
            "DELIVER": {**_all("派送中", "plain", "ongoing", "wait", "planned"), "done": "已签收", "soon": SKIP,  # 派送成功: delivered
                        **_all("异常", "fail", "pause", "abn", "inable")},
            # (a parcel left where the buyer takes it reads as a signing does)
            **{kind: {**_all("已签收", "plain", "past", "done"), "abn": "异常"} for kind in ("SIGNED", "PLACED", "AT_POINT")},
            "COLLECTED": _all("已签收", "plain", "past", "done"),
            # (无异常, 未滞留: nothing wrong says nothing of where the parcel is; beside a step, that step)
            "ABNORMAL": {**_all("异常", "plain", "past", "ongoing"), "neg": SKIP},
            "UPDATE": {**_all(SKIP, "plain", "past", "done", "ongoing"), **_all("异常", "neg", "pause")},
            "CONTACT": {**_all("异常", "inable", "fail"), **_all(SKIP, "plain", "past", "done", "ongoing")},
            "ANSWER": _all("异常", "neg", "inable", "fail"),
            "LOST": {**_all("丢件", "plain", "past", "done"), "suspect": "异常"},
            "REFUSED": _all("拒收", "plain", "past", "done"),
            # (待退回, 准备退回: not on its way back yet — beside a step, that step: 拒收，待退回 is 拒收)
            "RETURNED": {**_all("退回", "plain", "past", "done", "ongoing"), **_all(SKIP, "wait", "soon")},
            # a parcel an interception was asked for (已拦截, 快件已被拦截) is still on its way (back or on); only
            # a successful one (拦截成功) is on its way back: never 退回 (refund, no 钱货两空 risk) on the asking
            # an interception that failed (拦截失败，已签收) says nothing of where the parcel is: beside a step, that step
            "INTERCEPTED": {**_all("运输中", "plain", "past"), "done": "退回", **_all(SKIP, "fail", "neg_done", "inable")},
        }),
        # the end of the way beside a trouble (已签收，丢件; 派件异常，已签收; 已签收，拒收): the buyer may have the
        # parcel, or not — unreadable, unless the cell says which came after which (派件异常后签收).  Beside 退回 a
        # signing is the sender's (退签: 退件已签收, 已退回，已签收): 退回
        # a parcel refused or held up, then sent back (拒收，已退回; 地址错误，已退回; 已退回，原因：超区): on its way back
        combine=progress(("未揽收", "已揽收", "运输中", "派送中", "已签收"), ("异常", "丢件", "拒收", "退回"),
                         {frozenset({"拒收", "退回"}): "退回", frozenset({"异常", "退回"}): "退回"}, start="未揽收",
                         clashes=tuple(frozenset({"已签收", w}) for w in ("异常", "丢件", "拒收"))),
        kinds={"PICKUP": "揽收", "ORDERED": "下单", "WAREHOUSE": "打包/拣货（仓库里，快递还没揽收）",
               "DISPATCH": "出库（已出库不说快递揽没揽收；待出库：未揽收）", "HANDED": "已派送至本人（交到收件人手里）",
               "SHIPPED": "发货（店铺的一步，不说快递到哪）", "TRANSIT": "运输/到达/发往", "OUTLET": "在网点/到网点",
               "DELIVER": "派送", "SIGNED": "签收/驿站", "AT_POINT": "待取件（在驿站等买家取）",
               "COLLECTED": "取件（买家从驿站取走）", "ABNORMAL": "异常/滞留/超区/地址错误", "UPDATE": "更新/动态（没有更新：停滞，异常）", "CONTACT": "联系（联系不上：异常）",
               "ANSWER": "接听/接通（无人接听：异常）", "LOST": "丢件", "REFUSED": "拒收",
               "RETURNED": "退回", "INTERCEPTED": "拦截", "PLACED": "放在门卫/前台/驿站（快递放下）"},
        # (快递已取件: the courier collected it, the pickup; 快递柜取件: the buyer, from the locker)
        # (商家已发出: the shop sending it, as 已发货, says nothing of where the courier has it)
        # (收件人已收件, 买家已收件, 快件已被收件人收取: the recipient taking it in is a delivery, no courier's pickup —
        # unreadable, never 已揽收)
        parties={"SIGNED": phrases.SHOP_SIDE, "COLLECTED": (*phrases.SHOP_SIDE, *phrases.COURIER_SIDE, "快递"),
                 "AT_POINT": (*phrases.SHOP_SIDE, *phrases.COURIER_SIDE),
                 "PICKUP": (*phrases.RECIPIENTS, "家人", "家里人"),
                 "TRANSIT": phrases.SHOP_SIDE, "PLACED": phrases.SHOP_SIDE},
        party_reads={"SIGNED": "退回"},  # the shop signing for its own parcel: it came back
        open_after={"TRANSIT": None, "RETURNED": (*phrases.SHOP_SIDE, *phrases.SENDER_PLACES), "ABNORMAL": phrases.PLACES,
                    # (已联系寄件人处理: whom the courier called, and what for — nothing of where the parcel is)
                    "CONTACT": (*phrases.BUYERS, "收件人", "收货人", "收方", "本人", "寄件人", "发件人", "寄方", "商家", "卖家",
                                "处理", "确认", "协商"),
                    "ANSWER": ("电话", "手机"),
                    # (待出库交付京东快递: to leave the warehouse and be handed to the courier)
                    "DISPATCH": ("交付", "交给", "移交", "交接", *phrases.COURIERS)},
        # 物流状态 is the trace's fact: the customer's word (客户说丢了, 买家称已签收) or the warehouse's (仓库说已签收) is
        # hearsay here
        aside=_said_by("buyer", "warehouse", "someone"),
        # the parcel named by what it went through (异常件已签收: the parcel that had trouble, now signed for); 退件
        # is no mere subject (退件派送中, 退件已签收: a step of the way back, 退回)
        subjects=("异常件", "问题件", "疑难件", "滞留件", "拦截件"),
        signer_named=True,
        # the recipient named as the one who signed (收件人本人已签收, 签收人：本人, 买家已签收) beside a way back (快件已退回;
        # 退回中→已签收，签收人：本人): did the buyer get the parcel, or did it go back? unreadable, never 退回 (a signing
        # with no one named, or the sender's, beside 退回 is the sender taking it back: 退回)
        party_apart={("SIGNED", phrases.RECIPIENTS): frozenset({"退回"})},
        # the recipient away beside someone signing for them (快件已被【门卫】代签收（快递员备注：客户不在家，已放门卫室）):
        # why the guard took it — 已签收; beside another step, or no one else named, unreadable as before
        away_why=(_AWAY, _PROXY, "已签收"),
        # (退回寄件人异常, 驿站代收滞留 in one clause: the way back in trouble, not why it went back)
        clause_apart=frozenset({frozenset({"异常", "退回"})}),
        # a trouble or a pickup not made yet, then a later line or step of the trace (派件异常→派送中, 揽收失败→已揽收)
        superseded=frozenset({"异常", "未揽收"}),
        # an interception that worked beside a step it does not fit (拦截成功，客户已签收; 拦截成功，派送中): unreadable,
        # as in 拦截状态
        apart={("INTERCEPTED", "退回"): frozenset(_PARCEL_STATES) - _INTERCEPTED_FITS,
               # an interception that failed beside a way back (拦截失败，退回; 拦截失败，拦截成功): which is it?
               ("INTERCEPTED", SKIP): frozenset({"退回"}),
               # nothing wrong beside a trouble (派件异常，无异常): the cell contradicts itself
               ("ABNORMAL", SKIP): frozenset({"异常"})},
    ),
    examples=("商家已发货，等待快递揽收", "揽收失败", "快件派送不成功", "暂停派送", "派件异常，收件人电话无人接听",
              "签收失败", "未签收", "快递员代签", "放门口了", "【杭州转运中心】已发出，下一站【上海】"),
)

# ------------------------------------------------------------------ 拦截状态

# What a courier is asked for when a parcel is stopped (拦截, 拦截申请, 拦截退回): what it takes on or turns down.
_INTERCEPT_ASKED = ("拦截", "拦", "截件", "拦件", "拦截申请", "拦截退回", "拦截退件", "拦截返回", "截件退回", "拦截并退回")

INTERCEPT = Words(
    said_none=True,
    canonical=("未拦截", "拦截中", "拦截成功", "拦截失败"),
    exact={
        "无": "未拦截", "未发起": "未拦截", "不拦截": "未拦截", "否": "未拦截",
        "已发起拦截": "拦截中", "拦截已发起": "拦截中", "已拦截待确认": "拦截中", "拦截处理中": "拦截中",
        "已申请拦截": "拦截中", "申请拦截": "拦截中", "已发起": "拦截中",
        # 已拦截 says the interception was placed, not that it worked: checked, not refunded on.
        "已拦截": "拦截中",
        "快递已退回": "拦截成功", "已退回": "拦截成功", "拦截退回": "拦截成功",
        "成功": "拦截成功", "失败": "拦截失败",
    },
    grammar=Grammar(
        names_why=_names_a_reason,
        explained=frozenset({"拦截失败"}),
        stems=_stems(
            # (下/发/做/操作 an interception: placed it, as 发起; 改退: the parcel redirected back)
            INTERCEPT=("拦截", "截件", "拦件", "拦", "改退", "下拦截", "发拦截", "做拦截", "操作拦截"),
            STOPPED=("拦回", "拦下", "拦住", "截回", "截住", "截下", "拦截住", "拦截回", "拦截下", "拦到", "拦截到", "截到",
                     "拦下来", "拦回来", "截回来", "截下来", "拦截下来", "拦截回来"),
            RETURNED=("退回", "退签", "返回", "原路返回", "退件", "转退"),  # (已转退: turned back by the courier)
            # the interception turned down or taken on — by whom? The courier named (快递拒绝拦截, 网点不同意拦截, 顺丰已同意
            # 拦截): failed, or placed; no one named (拒绝拦截: the desk declining?) reads nothing
            REFUSED=tuple(verb + what for verb in ("拒绝", "不同意", "不给", "不接受", "不予", "驳回")
                          for what in _INTERCEPT_ASKED),
            # (同意拦截退回: the interception and return taken on, not done)
            ACCEPTED=tuple(verb + what for verb in ("同意", "接受", "答应") for what in _INTERCEPT_ASKED),
        ),
        matrix=_matrix({
            "INTERCEPT": {"plain": "拦截中", "past": "拦截中", "done": "拦截成功", "neg": "未拦截",
                          "neg_done": "拦截失败", "inable": "拦截失败", "fail": "拦截失败", "denied": "拦截失败", "wait": "未拦截",
                          "req": "拦截中", "neg_req": "未拦截", "ongoing": "拦截中"},
            "STOPPED": {**_all("拦截成功", "plain", "past", "done"),
                        **_all("拦截失败", "neg", "neg_done", "inable", "fail")},
            # (等待退回 says what comes next, nothing of its own: beside 拦截成功 it changes nothing)
            "RETURNED": {**_all("拦截成功", "plain", "past", "done", "ongoing"), "wait": SKIP},
            **{kind: _all(SKIP, "plain", "past") for kind in ("REFUSED", "ACCEPTED")},
        }),
        # (未拦截 says no interception was placed: beside any other step the cell contradicts itself)
        combine=progress(("未拦截", "拦截中"), ("拦截成功", "拦截失败"), start="未拦截"),
        # steps written in order (拦截失败→拦截中, 先拦截失败后拦截中, 拦截失败后又拦截成功): a failed interception is
        # followed by another one; nothing follows a success, and 未拦截 follows nothing (拦截成功→拦截中: unreadable)
        follows={"未拦截": frozenset({"拦截中", "拦截成功", "拦截失败"}), "拦截中": frozenset({"拦截成功", "拦截失败"}),
                 "拦截失败": frozenset({"拦截中", "拦截成功"})},
        awaiting=frozenset({"拦截中"}),
        result_awaited={"INTERCEPT": "拦截中"},  # (等拦截结果, 拦截结果未出: placed, no answer yet)
        implied="拦截",  # (已申请, 未成功, 申请中: the interception's)
        kinds={"INTERCEPT": "拦截", "STOPPED": "拦回/拦住", "RETURNED": "退回",
               "REFUSED": "拒绝拦截（快递拒绝：拦截失败；没写谁：不算）", "ACCEPTED": "同意拦截（快递同意：拦截中；没写谁：不算）"},
        open_after={"STOPPED": phrases.SHOP_SIDE, "RETURNED": (*phrases.SHOP_SIDE, *phrases.SENDER_PLACES)},
        # the buyer's word (客户说拦住了, 买家：已拦回) or the warehouse's is no interception the courier answered
        aside=_said_by("buyer", "warehouse", "someone"),
        # the buyer asking for it (客户要求拦截, 买家申请拦截) is no interception the desk placed
        parties={"INTERCEPT": (*phrases.BUYERS, "收件人", "收货人"),
                 **dict.fromkeys(("REFUSED", "ACCEPTED"), phrases.CARRIER_SIDE)},
        party_reads={"REFUSED": "拦截失败", "ACCEPTED": "拦截中"},
        # an interception turned down by no one named beside one placed or worked (拒绝拦截，退回): which is it?
        apart={("REFUSED", SKIP): frozenset({"拦截中", "拦截成功"})},
        # the parcel's state written beside (拦截成功，在途; 拦截中，派送中): it must fit — a parcel the buyer signed
        # for, or out for delivery, is no success; one signed for is no interception still under way
        beside=lambda clause: _PARCEL_STATE(clause),  # (defined below, once reader() is)
        agrees={"拦截成功": _INTERCEPTED_FITS,
                "拦截中": frozenset({"已揽收", "运输中", "派送中", "异常"})},
    ),
    examples=("未能拦截成功", "拦截未成功", "未申请拦截", "没拦住", "已拦回", "拦不住", "拦截中(顺丰)"),
)

# ------------------------------------------------------------------ 售后状态

_STILL_OPEN = ("neg", "neg_done", "inable", "fail", "wait", "req", "neg_req", "ongoing")

CASE_STATE = Words(
    said_none=True,
    canonical=("处理中", "已退款", "已关闭", "已完结"),
    exact={
        "待处理": "处理中", "进行中": "处理中", "退款中": "处理中", "待审核": "处理中", "待退款": "处理中",
        "未处理": "处理中", "新建": "处理中",
        "退款成功": "已退款", "已退": "已退款", "退款完成": "已退款",
        # the refund reached the buyer's account
        "退款已到账": "已退款", "退款到账": "已退款", "已到账": "已退款", "款已到账": "已退款",
        # refunded or closed by the platform, not the desk (on a timeout, an intervention, a quick refund)
        **dict.fromkeys(("自动退款", "系统自动退款", "超时自动退款", "超时退款", "已超时退款", "平台介入退款", "平台强制退款",
                         "小二介入退款", "极速退款", "已极速退款", "秒退", "已秒退", "仅退款成功", "仅退款完成"), "已退款"),
        **dict.fromkeys(("自动关闭", "系统自动关闭", "超时关闭", "超时自动关闭", "已超时关闭"), "已关闭"),
        "关闭": "已关闭", "已撤销": "已关闭", "撤销": "已关闭", "售后关闭": "已关闭", "买家撤销": "已关闭",
        "完结": "已完结", "结案": "已完结",
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
        # waiting for the buyer's return, as desks write it
        "等待买家退货": "处理中", "待客户寄回": "处理中", "等待客户寄回": "处理中", "待买家寄回": "处理中",
        # the return back, the shop to confirm it (Taobao's 等待卖家确认收货); the buyer to change the request
        **dict.fromkeys(("待商家确认收货", "待卖家确认收货", "等待商家确认收货", "等待卖家确认收货", "待买家修改",
                         "等待买家修改"), "处理中"),
        # the case open, as desks write it with no step named
        **dict.fromkeys(("售后中", "售后进行中", "售后申请中", "申请中", "退款进行中"), "处理中"),
        # the money back, as desks write it
        **dict.fromkeys(("钱已退", "款已退", "钱退了", "款退了", "钱已退回", "款已退回", "已退回买家账户", "退款已原路退回",
                         "退款已原路返还", "退款已退回", "退款到账了", "退款已经到账", "退款已到账了"), "已退款"),
        # ... and not back yet: the refund named, then its arrival negated; the money not sent back (钱还没退, 款未退)
        **{f"{what}{neg}{verb}": "处理中" for neg in ("未", "还未", "没", "还没", "没有", "还没有", "尚未")
           for what, verb in (("退款", "到账"), ("钱", "退"), ("款", "退"))},
    },
    # 完成 is how ERPs and JD say a refund order is paid (旺店通 已完成, JD 服务单状态 完成: the presets read them so);
    # on a sheet no preset reads, the case is over, refunded or not: DONE either way, 钱货两空 checked as if refunded
    either={w: ("已退款", "已完结") for w in ("完成", "已完成", "售后完成", "售后已完成", "已经完成")},
    grammar=Grammar(
        names_why=_names_a_reason,
        stems=_stems(
            CLOSE=("关闭", "关单"),
            # the case withdrawn (撤销, 已取消): closed — but beside a refund done (退款成功（撤回）, 已退款，已撤销) it takes
            # that entry back, or says the buyer withdrew what was paid: which, the cell does not say
            WITHDRAW=("撤销", "取消", "撤回", "撤单"),
            # (退款已原路退回: the money back the way it was paid)
            REFUND=("退款", "打款", "退钱", "退了款", "到账", "原路退回", "原路退款", "原路返还"),
            FINISH=("完结", "结案", "办结", "了结", "结单", "解决", "结束"),
            # 处理 done is the case done (处理状态: 未处理 / 处理中 / 已处理); the other steps done are not
            HANDLE=("处理",),
            OPEN=("审核", "协商", "新建", "待办", "驳回", "仲裁", "沟通", "举证", "申诉", "复核"),
            # the desk following the case (跟进中, 已跟进, 跟单中, 已受理): open, whatever is done of it
            FOLLOW=("跟进", "跟单", "受理", "跟踪"),
            # the buyer's dispute or complaint under way (维权中, 投诉中, 纠纷处理中): the case open. None of it
            # (未维权, 无纠纷) says nothing of the case
            DISPUTE=("维权", "投诉", "客诉", "纠纷"),
            # the case settled by other goods (已换货, 补发完成): done; still to come (待补发, 维修中): open
            RESOLVE=("换货", "补发", "补寄", "维修", "返修"),
            # a compensation still to come (待补偿, 补偿中): open.  One paid (已补偿) says nothing of the case: the
            # buyer may still have to withdraw it (a red packet paid, the refund request still open on the platform)
            COMPENSATE=("补偿", "赔付", "赔偿"),
            # the platform stepping in (平台介入, 平台已介入, 小二介入中): the case open, its outcome still to come
            INTERVENE=("介入",),
            # a step of the case someone else still has to take (等待买家发货, 待商家确认收货, 等仓库验货, 验货中): the case
            # open.  The step done or not yet (已收货, 买家已退货, 还没入库) says nothing of the case: the clause beside it does
            # (确认, 回复 are no such step: who confirms or replies what? 已完结，没回复 stays unreadable.  退货 names the
            # request, 退货申请已关闭, as often as the step: 待买家退货 is read whole)
            AWAITED=("发货", "寄回", "收货", "确认收货", "签收", "验货", "入库", "取件", "揽收", "上传凭证", "补充凭证",
                     "修改申请"),
        ),
        matrix=_matrix({
            **{kind: {**_all("已关闭", "plain", "past", "done"), **_all("处理中", *_STILL_OPEN)} for kind in ("CLOSE", "WITHDRAW")},
            # (退款被拒, 退款申请被驳回: turned down, as 卖家拒绝退款 — the buyer may change it or appeal: open)
            "REFUND": {**_all("已退款", "past", "done"), **_all("处理中", *_STILL_OPEN, "denied")},
            "FINISH": {**_all("已完结", "plain", "past", "done"), **_all("处理中", "neg", "neg_done", "wait")},
            "HANDLE": {**_all("处理中", "plain", "ongoing", "wait", "neg", "req"), **_all("已完结", "past", "done")},
            # (举证被驳回, 协商被拒: a step of the case turned down, the case still open)
            "OPEN": _all("处理中", "plain", "ongoing", "wait", "neg", "req", "denied"),
            "FOLLOW": _all("处理中", "plain", "past", "ongoing", "wait", "neg", "req"),
            "DISPUTE": _all("处理中", "plain", "ongoing", "req"),
            "RESOLVE": {**_all("已完结", "past", "done"), **_all("处理中", "ongoing", "wait", "req", "neg", "fail")},
            "COMPENSATE": _all("处理中", "ongoing", "wait", "req"),
            "INTERVENE": _all("处理中", "plain", "past", "ongoing", "wait", "req"),
            # (the step not taken yet, 处理中，还没入库; 已退款，无需退货: the goods, not the case)
            "AWAITED": {**_all("处理中", "wait", "ongoing"), **_all(SKIP, "plain", "past", "done", "tick", "neg", "neg_yet")},
        }),
        awaiting=frozenset({"处理中"}),
        combine=progress(("处理中",), ("已退款", "已关闭", "已完结"),
                         {frozenset({"已退款", "已完结"}): "已退款", frozenset({"已退款", "已关闭"}): "已退款",
                          frozenset({"已关闭", "已完结"}): "已关闭",
                          frozenset({"已退款", "已关闭", "已完结"}): "已退款"}, start="处理中"),
        kinds={"CLOSE": "关闭", "WITHDRAW": "撤销/取消/撤回（和已退款写在一起读不懂）", "REFUND": "退款", "FINISH": "完结/解决", "HANDLE": "处理", "OPEN": "审核/协商", "FOLLOW": "跟进/受理（已跟进也没了结）", "DISPUTE": "维权/投诉",
               "RESOLVE": "换货/补发/维修", "COMPENSATE": "补偿（已补偿不说这单了结）",
               "INTERVENE": "介入（平台）", "AWAITED": "别人要做的一步（等待买家发货：处理中；做完了、还没做都不算）"},
        open_after={"CLOSE": phrases.CASE_OBJECTS, "WITHDRAW": phrases.CASE_OBJECTS, "REFUND": phrases.TO_BUYER,
                    "FINISH": phrases.CASE_OBJECTS},
        apart={("WITHDRAW", "已关闭"): frozenset({"已退款"})},  # (已退款（撤回）: unreadable, never the refund alone)
        # a refund done, then the case closed or withdrawn (已退款后又撤销, 退款成功后关闭): the money went out all the same —
        # read as the two side by side (已退款，已撤销: unreadable; 已退款，已关闭: 已退款), never the close alone (钱货两空 dropped)
        standing=frozenset({"已退款"}),
        # 买家说已撤销, 客户说已退款, 快递说已退款, 仓库说已关闭: the platform's or the desk's fact, no one else's word
        aside=_said_by("buyer", "courier", "warehouse", "someone"),
    ),
    examples=("关闭失败", "撤销失败", "跟进中", "未退款", "退款失败", "申请撤销", "退款成功，已完结"),
)

# ------------------------------------------------------------------ 发货状态

SHIP_STATE = Words(
    canonical=("未发货", "已发货", "线下已发货"),
    exact={
        "待发货": "未发货", "未发出": "未发货", "已付款未发货": "未发货", "买家已付款": "未发货",
        "已发出": "已发货", "卖家已发货": "已发货", "待收货": "已发货", "已签收": "已发货",
        "交易成功": "已发货", "交易完成": "已发货", "已收货": "已发货", "已发货,待签收": "已发货",
        "线下发货": "线下已发货", "线下已发": "线下已发货", "已发货未同步": "线下已发货",
        "线下已发货未同步": "线下已发货", "实际已发货": "线下已发货", "线下已发出": "线下已发货",
        # (线下 in a clause of its own beside 已发货, 已发货（线下）: how it was shipped)
        "线下": "线下已发货",
    },
    grammar=Grammar(
        names_why=_names_a_reason,
        explained=frozenset({"未发货"}),
        elsewhere=_a_state_word,  # (未发货，快递已取件; 丢件，客户已收到: no reason why)
        # (发出去, 交给快递, 发走, 交运, 交寄: the parcel left the shop)
        stems=_stems(SHIP=("发货", "发出", "寄出", "出库", "发", "寄", "发出去", "寄出去", "交快递", "交给快递", "交付快递",
                          "交接", "交接快递", "交接给快递", "发走", "寄走", "交运", "交寄"),
                     SIGNED=("签收", "收货", "妥投", "送达"),
                     PICKED=("揽收", "揽件"),
                     # the parcel on its way (运输中, 派送中, 在途 in an order status column): it left the shop
                     MOVING=("运输", "在途", "途中", "中转", "转运", "派送", "派件", "配送", "投递"),
                     # the warehouse's steps before the parcel leaves (备货中, 已打包): not shipped yet
                     PREP=("备货", "配货", "拣货", "打包"),
                     # nothing to ship yet (缺货, 预售, 生产中): not shipped; 不缺货 says nothing of shipping
                     STOCK=("缺货", "无货", "断货", "没货", "预售", "生产", "备料"),
                     # the order's steps before any shipping (已付款, 已下单, 已成团): they say nothing of it
                     ORDER=("付款", "支付", "下单", "拍下", "成团", "拼团成功"),
                     # the platform not told of the shipment (已发货（未同步）, 已寄出未上传单号): shipped offline
                     UNSYNCED=("未同步", "没同步", "没有同步", "未上传单号", "没上传单号", "未填单号", "没填单号",
                               "未录单号", "没录单号"),
                     # shipped by no courier (淘宝's 无需物流发货, 虚拟发货): marked shipped, nothing a courier could stop —
                     # which the cell does not say: unreadable whatever stands beside it
                     # … and no shipping needed (无需发货, 不用寄出: virtual goods, or handed over? — not a shipment not
                     # made yet, which 不发货 / 暂不发货 are)
                     NOLOG=("无需物流", "无须物流", "无物流", "不需要物流", "不用物流", "免物流", "虚拟发货",
                            *(need + verb for need in ("无需", "无须", "不需要", "不需", "不用", "不必", "免")
                              for verb in ("发货", "寄出", "发出", "寄送", "邮寄")))),
        matrix=_matrix({
            "SHIP": {**_all("已发货", "plain", "past", "done"), **_all("未发货", "neg", "neg_done", "wait", "inable", "planned"),
                     "offline": "线下已发货"},
            "SIGNED": _all("已发货", "plain", "past", "done", "neg", "wait"),
            # the courier collected it; waiting for the courier (待揽收) says nothing of the shop's shipping by itself
            "PICKED": {**_all("已发货", "plain", "past", "done"), "wait": SKIP},
            # (待配送, 待派送: a warehouse's or a courier's wait, before or after it left: no reading)
            "MOVING": _all("已发货", "plain", "past", "done", "ongoing"),
            "PREP": _all("未发货", "plain", "past", "done", "ongoing", "wait", "neg", "neg_done"),
            "STOCK": _all("未发货", "plain", "past", "ongoing", "wait"),
            "ORDER": _all(SKIP, "plain", "past", "done"),
            "UNSYNCED": _all("线下已发货", "plain"),
        }),
        # shipped, and the platform not told: shipped offline (contract rule 1)
        combine=lambda words: "线下已发货" if set(words) == {"已发货", "线下已发货"} else phrases.agree(words),
        kinds={"SHIP": "发货", "SIGNED": "签收（说明已发货）", "PICKED": "揽收（说明已发货）",
               "MOVING": "运输/派送（在路上，说明已发货）",
               "PREP": "备货/打包（仓库发货前）", "STOCK": "缺货/预售/生产中（还没货可发）",
               "UNSYNCED": "未同步（平台不知道已发货）", "ORDER": "付款/下单/成团（订单的步骤，不说发货）",
               "NOLOG": "无需物流/虚拟发货（没有快递，读不懂）"},
        open_after={"SHIP": (*phrases.TO_BUYER, *phrases.COURIERS)},
        subjects=("预售",),  # the kind of order before its step (预售已发货: shipped)
        # 买家说没发货, 说寄了, 快递员称未发货, 网点反馈：已发货: the shop's own fact, not the buyer's word nor the courier's —
        # a courier with no parcel of the shop's says 未发货 of one shipped offline (SOP 线下已发货: refunded, the goods lost)
        aside=_said_by("buyer", "courier", "someone"),
    ),
    examples=("还没发", "已发", "线下已发", "暂停发货", "缺货未发", "预售已发货"),
)

# ------------------------------------------------------------------ 退货物流状态

# The return's waybill number, as the platform asks the buyer to fill it in.
_RETURN_NUMBERS = ("单号", "退货单号", "运单号", "物流单号", "快递单号", "退货运单号", "退件单号")

# Not collected yet by the courier (待揽收, 未揽收, 已预约上门取件, 待取件): not sent back — 未寄回 — though a waybill may be
# made already (the courier's 已下单/待揽收, a pickup booked): a filled 退货物流单号 beside it agrees with it
_AWAITING = vocab.Awaiting("未寄回")

RETURN = Words(
    said_none=True,
    # the return's waybill number typed in the column (中通 75234220267368): the buyer sent it, as a filled 退货物流单号
    waybill="已揽收",
    canonical=("未寄回", "已揽收", "运输中", "已签收"),
    exact={
        "未退回": "未寄回", "未寄出": "未寄回", "待寄回": "未寄回", "待退回": "未寄回", "无": "未寄回",
        "未揽收": _AWAITING, "待揽收": _AWAITING, "买家未退货": "未寄回",
        # no trace of the return at all (暂无物流信息, 查不到物流): no courier has it yet, as 待揽收
        **dict.fromkeys(phrases.NO_TRACE, "未寄回"),
        "已寄出": "已揽收", "已揽件": "已揽收", "揽收": "已揽收", "已寄回": "已揽收", "买家已退货": "已揽收",
        "在途": "运输中", "退回中": "运输中", "寄回中": "运输中", "运送中": "运输中",
        "签收": "已签收", "已入库": "已签收", "仓库已签收": "已签收", "已收货": "已签收", "仓库已收货": "已签收",
        # platform wording for a return on its way to the shop
        "待商家收货": "已揽收", "等待商家收货": "已揽收", "等待卖家收货": "已揽收", "待卖家收货": "已揽收",
    },
    grammar=Grammar(
        names_why=_names_a_reason,
        stems=_stems(
            SENT=("寄回", "寄出", "退回", "寄", "退货", "发回", "发货", "发出", "发退货", "发退件",
                  # the return's waybill number filled in on the platform (买家已填写退货单号): sent, as a filled
                  # 退货物流单号 column says (未填单号: not yet)
                  *(verb + number for verb in ("填", "填写", "填了", "填入", "上传", "录入") for number in _RETURN_NUMBERS),
                  # (退货单号已填, 运单号已上传: the number named first)
                  *(number + done for number in _RETURN_NUMBERS
                    for done in ("已填", "已填写", "已上传", "已录入", "填了", "上传了", "已提交"))),
            # a courier's pickup at the buyer's door booked (已预约上门取件): not sent yet
            BOOKED=tuple(book + what for book in ("预约", "约了", "约好")
                         for what in ("取件", "上门取件", "上门", "揽收", "上门揽收", "快递", "快递上门", "取货")),
            PICKUP=_COURIER_PICKUP,
            TRANSIT=("运输", "在途", "途中", "转运", "发往", "路上", "到达", "离开", "中转", "运送", "分拣", "抵达"),
            OUTLET=phrases.AT_OUTLET,
            # the return on its way to the shop's door (派送中); 已派送 may say delivered as well (no reading)
            DELIVER=("派送", "派件", "配送", "投递"),
            # a courier collecting the return at the buyer's door (上门取件: 待取件, 快递员已取件, 取件失败)
            COLLECT=("取件", "取货"),
            # (妥投, 送达: delivered where a return goes, the shop)
            RECEIVED=("签收", "入库", "收货", "收到", "到仓", "到货", "收", "入仓", "妥投", "送达",
                      # the return received, named after the verb (商家已收到退货): its object, no step of sending
                      *(verb + what for verb in ("收到", "签收", "签收了", "收到了") for what in ("退货", "退件", "退回件")),
                      # reached the shop (已到达仓库): there, as 已到仓 is; on the way to it (发往仓库) is not
                      *(verb + shop for verb in ("到达", "抵达", "送达", "送到", "送至", "到")
                        for shop in (*phrases.WAREHOUSE, "商家", "卖家", "店铺", "本店", "仓"))),
        ),
        matrix=_matrix({
            "SENT": {**_all("已揽收", "plain", "past", "done"), "ongoing": "运输中",
                     **_all("未寄回", "neg", "neg_done", "inable", "wait", "req", "neg_req")},
            "PICKUP": {**_all("已揽收", "plain", "past", "done"),
                       **_all(_AWAITING, "neg", "neg_done", "inable", "wait", "fail", "ongoing", "planned")},
            # (完成分拣, 分拣完成: a step of the way done, as 物流状态 reads it; 准备发往◇: what comes next — beside a step,
            # that step; alone, 待发往仓库 may be a return not sent yet: unreadable)
            "TRANSIT": {**_all("运输中", "plain", "past", "ongoing", "done"), **_all(SKIP, "wait", "soon")},
            "OUTLET": _all("运输中", "plain", "past"),
            "DELIVER": {**_all("运输中", "plain", "ongoing", "wait"), "done": "已签收", "soon": SKIP},
            "BOOKED": _all(_AWAITING, "plain", "past", "done"),
            # (上门取件 alone, 上门取件：6月12日, 退货方式：上门取件: how the return goes, or a booking — it says the pickup
            # happened only with 已 / 了 / 成功: 已上门取件, 快递已取件)
            "COLLECT": {**_all("已揽收", "past", "done"),
                        **_all(_AWAITING, "neg", "neg_done", "inable", "wait", "fail", "ongoing", "req", "neg_req", "planned")},
            "RECEIVED": _all("已签收", "plain", "past", "done"),
        }),
        combine=progress(("未寄回", "已揽收", "运输中", "已签收"), start="未寄回"),
        kinds={"SENT": "寄回/退回", "PICKUP": "揽收", "TRANSIT": "运输/到达", "OUTLET": "在网点/到网点", "DELIVER": "派送（送往商家）",
               "COLLECT": "上门取件", "BOOKED": "预约上门取件（还没寄出）", "RECEIVED": "签收/入库/收到"},
        # (the buyer sends the return: 买家已发货; the shop sending, 商家已发货, is no step of it; the shop
        # collecting, 仓库已取件, is no courier's pickup)
        parties={"RECEIVED": phrases.BUYER_SIDE, "SENT": phrases.SHOP, "COLLECT": (*phrases.SHOP, *phrases.WAREHOUSE, *phrases.BUYERS)},
        open_after={"TRANSIT": None, "SENT": phrases.SHOP_SIDE},
        subjects=("退货",),
        # the return's state is the trace's or the warehouse's fact: what the buyer says of it (买家说已寄回, 客户称已退货)
        # is hearsay here (a low-value return is refunded on its pickup)
        aside=_HEARSAY,
        # (已签收，待验货: what the warehouse does next; 入库, 验收 are steps of this field's own, no wait for what is next
        # after the signing.  Sent, the return waits for the warehouse to take it in: 已寄出，待仓库签收 — a wait that
        # alone, 待签收, may be a return not yet sent, and stays unreadable)
        next_steps={"已签收": ("验货", "质检", "检验", "检查", "上架", "退款"),
                    **dict.fromkeys(("已揽收", "运输中"), ("签收", "收", "验货", "质检", "退款"))},
        # not sent yet, then a later line or step of the trace (揽收失败→已揽收); a trouble on the way (派件异常, which
        # 物流状态 reads as 异常) before a later line (…已签收，签收人：仓库)
        superseded=frozenset({"未寄回"}),
        passing=lambda event: _PARCEL_STATE(event) == "异常",  # (defined below, once reader() is)
    ),
    examples=("仓库已收", "买家还没寄回", "仓库未收到", "退货已签收"),
)

# ------------------------------------------------------------------ 客户反馈 / 快递核实 / 验货结果

# The courier or the trace as the speaker (in 客户反馈 they say nothing of the customer's).
_COURIER_WHO = ("快递", "物流", "系统", "轨迹", "页面", "驿站")
_COURIER_SAYS = tuple(who + says for who in _COURIER_WHO for says in phrases.TELLING_VERBS)

# A fault of the goods named beside a receipt (已收到，质量有问题; 收到了，东西有毛病; 收到了，用不了): received, but goods with
# a fault — which (broken on the way, a part missing, a defect), the cell does not say, as 收到了，坏了 does not: no plain
# 已收到 (rule 12 guides a buyer who has the goods as sent).  (没问题, 无毛病: nothing wrong.)
_FAULTY = re.compile("(?<![没无不])(?:有)?(?:问题|毛病|故障)|质量(?:差|不好|不行|太差|很差)|不能用|用不了|没法用|不好用|不能使用|无法使用")

CUSTOMER_SAYS = Words(
    said_none=True,
    canonical=("已收到", "未收到", "不撤销"),
    together=frozenset({frozenset({"不撤销", "已收到"}), frozenset({"不撤销", "未收到"})}),
    exact={
        "已收货": "已收到", "收到了": "已收到", "收到": "已收到", "已经收到": "已收到", "实际已签收": "已收到",
        "没收到": "未收到", "没有收到": "未收到", "未收货": "未收到", "没收到货": "未收到", "实际未签收": "未收到",
        "拒绝撤销": "不撤销", "不肯撤销": "不撤销", "坚持不撤销": "不撤销", "不撤": "不撤销",
        # holding on to the refund, firmly (要退款 / 要求退款 is the request itself, no stance)
        **{f"{firm}{ask}": "不撤销" for firm in ("坚持", "坚决", "执意", "非要", "一定要", "就要", "坚持要", "坚决要",
                                               "坚决要求", "必须", "必须要")
           for ask in ("退款", "退货退款", "仅退款")},
        "买家已收到货": "已收到", "买家未收到货": "未收到",
        # (the desk's shorthand, as a whole cell: 收 alone is no stem — 收件, 收款)
        "已收": "已收到", "未收": "未收到",
    },
    grammar=Grammar(
        names_why=_names_a_reason,
        explained=frozenset({"未收到"}),
        elsewhere=_a_state_word,  # (未发货，快递已取件; 丢件，客户已收到: no reason why)
        # (货没到, 包裹还没到, 到了: the goods came or not; 到 before 现在 / 目前 / 期 / 账 … is no arriving)
        stems=_stems(RECEIVE=("收到", "收货", "签收", "拿到", "取到", "取件", "到手", "到货", "送到", "送达", "到", "见到"),
                     CANCEL=("撤销", "撤回", "撤"),
                     # the customer answering at all (无反馈, 未回复, 联系不上: no word from them yet, as a blank cell;
                     # 已回复 alone says nothing of what they said)
                     ANSWER=("反馈", "回复", "答复", "回应", "回消息", "回话", "联系", "联系上", "联络")),
        nouns=(*phrases.NOUN_AFTER, "现在", "目前", "期", "账", "付", "哪", "底"),
        matrix=_matrix({
            "RECEIVE": {**_all("已收到", "plain", "past", "done"),
                        **_all("未收到", "neg", "neg_done", "inable", "fail", "wait")},
            # (客户还没撤销: not yet — the stance unknown; 客户无法撤销: cannot, may want to: neither reads)
            "CANCEL": {**_all("不撤销", "neg", "refuse", "insist_neg"), "neg_yet": None},
            "ANSWER": {**_all(SKIP, "plain", "past", "done"), **_all(NONE, "neg", "neg_yet", "wait", "inable", "fail")},
        }),
        kinds={"RECEIVE": "收到", "CANCEL": "撤销", "ANSWER": "反馈/回复/联系（本身不说收没收到）"},
        # no answer yet in a clause of its own beside what the buyer did say (未回复，没收到; 已收到，待回复): what they said
        combine=lambda words: phrases.agree([w for w in words if w != NONE] or words),
        # the shop's side receiving is a return; the courier or the trace saying it (快递说签收了, 显示签收)
        # is no word of the customer's
        # (仓库未回复, 快递员联系不上: someone else's answer or reach, no word of the buyer's either way)
        parties={"RECEIVE": (*phrases.SHOP_SIDE, *phrases.COURIER_SIDE, *_COURIER_SAYS),
                 "ANSWER": (*phrases.SHOP_SIDE, *phrases.COURIER_SIDE, *_COURIER_WHO)},
        party_reads={"ANSWER": SKIP},
        reports=frozenset({"ANSWER"}),
        # 收到空包 / 收到坏的 / 收到少了: received, but not the goods as sent — not a plain 已收到
        trouble=phrases.trouble_also(phrases.NOT_AS_SENT),
        # 收到了，坏的: what was received may stand in a clause of its own; 快递：已收到, 系统：已收到, 显示已签收, 仓库说不撤销:
        # someone else's word, not the buyer's
        aside=re.compile("|".join((phrases.NOT_AS_SENT_ANYWHERE.pattern, _FAULTY.pattern,
                                   phrases.claims_by("courier", "warehouse", "system")))),
        buyer_speaks=True,  # (客户坚持退款: 坚持退款, 不撤销)
        # what is withdrawn, named after it (不愿撤销申请, 不撤销退款申请, 拒绝撤回售后)
        open_after={"CANCEL": ("申请", "退款", "售后", "退款申请", "售后申请", "售后单", "退款单")},
    ),
    examples=("顾客说没收到", "买家已经收到货了", "不愿撤销", "还没收到"),
)

COURIER_CHECK = Words(
    said_none=True,
    canonical=("已签收", "丢件"),
    exact={"签收": "已签收", "本人签收": "已签收", "已妥投": "已签收", "妥投": "已签收", "他人代收": "已签收",
           "丢失": "丢件", "遗失": "丢件", "快递丢失": "丢件"},
    grammar=Grammar(
        names_why=_names_a_reason,
        explained=frozenset({"丢件"}),
        elsewhere=_a_state_word,  # (未发货，快递已取件; 丢件，客户已收到: no reason why)
        # the courier tells of the same delivery the trace shows (已签收放驿站): the trace's signing words
        stems=_stems(SIGNED=tuple(dict.fromkeys(("签收", "妥投", "代收", "代签", "送达", *_SIGNING))),
                     # the courier's proof of the delivery (有签收底单, 已提供妥投照片): signed for; none (无签收底单)
                     # says only that it cannot be shown
                     PROOF=tuple(step + proof for step in ("签收", "妥投")
                                 for proof in ("底单", "凭证", "截图", "照片", "记录", "证明")),
                     # the delivery done (派送成功, 已派件成功): signed for, as the trace's 派送成功 is; sent out to
                     # deliver (已派送), under way or failed says neither finding
                     DELIVER=("派送", "派件", "配送", "投递", "送货"),
                     LOST=("丢件", "丢失", "遗失", "丢"),
                     # the check itself (核实中, 待核实, 快递未回复: no finding yet, as blank; 已核实 alone says none)
                     CHECK=("核实", "核查", "查件", "回复")),
        matrix=_matrix({"SIGNED": _all("已签收", "plain", "past", "done"), "PROOF": _all("已签收", "plain"),
                        "DELIVER": {"done": "已签收"},
                        "LOST": _all("丢件", "plain", "past", "done"),
                        "CHECK": {**_all(SKIP, "plain", "past", "done"), **_all(NONE, "neg", "wait", "ongoing", "req")}}),
        kinds={"SIGNED": "签收", "PROOF": "签收底单/妥投照片（快递拿得出签收的凭证）", "DELIVER": "派送成功",
               "LOST": "丢件",
               "CHECK": "核实（本身不说结果）"},
        parties={"SIGNED": phrases.SHOP_SIDE},
        reports=frozenset({"CHECK"}),  # (仓库回复签收: the shop's side signing, as 仓库签收)
        # 快递核实 is what the courier found: the customer's word or the trace shown is not that
        # (物流显示签收, 系统：已签收, 仓库说签收了: the trace or the warehouse, no courier's finding)
        aside=_said_by("buyer", "warehouse", "system"),
        provisional=phrases.RECHECK_PENDING,  # (已签收，复核中)
        signer_named=True,
        pending_is_none=True,
    ),
    examples=("快递说已签收", "确认丢失", "未签收", "待核实"),
)

# A warehouse's stock a return is put away as: sells again, or not.
_GOOD_STOCK = ("良品库", "正品库", "良品仓", "正品仓", "良品区")
_FAULTY_STOCK = ("次品库", "残次品库", "不良品库", "次品仓", "残次品仓", "不良品仓", "次品区", "残次品区")

INSPECTION = Words(
    said_none=True,
    canonical=("合格", "不合格"),
    # (无问题, 有问题, 异常: the FAULT stems read them)
    exact={"正常": "合格", "通过": "合格", "完好": "合格", "验货合格": "合格", "ok": "合格",
           "不通过": "不合格", "损坏": "不合格", "验货不合格": "不合格",
           "ng": "不合格",
           # as warehouses note a return: unopened or tags on sells again; used or broken by hand does not
           # (broken on the way, 运输破损, is the courier's: unreadable, the desk decides)
           "未拆封": "合格", "未拆封未使用": "合格", "吊牌完好": "合格", "吊牌在": "合格", "无使用痕迹": "合格",
           "有使用痕迹": "不合格", "已使用": "不合格", "人为损坏": "不合格", "吊牌已剪": "不合格"},
    grammar=Grammar(
        names_why=_names_a_reason,
        explained=frozenset({"不合格"}),
        # (a desk's OK or tick says passed, NG or a cross failed: 验货OK, 质检NG, 验货×)
        # (良品 / 次品: a warehouse's grading of a return, sells again or not)
        stems=_stems(PASS=("合格", "通过", "完好", "正常", "完好无损", "ok", "√", "✓", "✔", "良品", "全新"),
                     # put away as stock that sells again or not (入良品库, 进正品仓; 入次品库); not put away there
                     # (没入良品库: not yet, or elsewhere?) says neither
                     STOCKED=tuple(into + store for into in ("", "入", "进", "转入", "放入", "回") for store in _GOOD_STOCK),
                     STOCKED_BAD=tuple(into + store for into in ("", "入", "进", "转入", "放入") for store in _FAULTY_STOCK),
                     FAILED=("不合格", "不通过", "ng", "×", "✗", "✘"),
                     # damage in general: found, 不合格; none (无损坏, 商品无破损), intact as 完好 says — one
                     # absence named (无划痕) says nothing of the rest
                     BROKEN=("损坏", "破损", "损伤", "损"),
                     # unopened (未拆封, 全新未拆, 没开封): intact; opened (已拆封) says no result
                     UNOPENED=("拆封", "开封", "拆"),
                     DAMAGED=("污渍", "缺件", "坏了", "用过", "划痕", "瑕疵",
                              # not all the goods sent, or not the goods sent
                              "配件不全", "缺少配件", "少配件", "少件", "空包", "调包", "掉包", "非原商品", "非原装",
                              "非本店商品", "假货", "配件缺失", "缺配件", "空盒", "与发出不符", "货不对版", "不是我们的货",
                              # the tag taken off (it sells again only with it)
                              "吊牌已拆", "吊牌剪了", "吊牌被剪", "剪了吊牌", "拆了吊牌", "吊牌已拆除", "无吊牌", "吊牌丢失",
                              "吊牌没了", "缺吊牌", "少吊牌", "没吊牌", "吊牌不在", "吊牌缺失",
                              "次品", "不良品", "残次品", "残品", "坏品", "残次",
                              # fewer than sent, or other goods (少一件, 数量不对, 货不对)
                              *(short + n + unit for short in ("少", "少了", "缺", "缺了") for n in ("一", "两", "二", "1", "2")
                                for unit in ("件", "个", "只", "双", "套")),
                              "数量不对", "数量不符", "数量少", "货不对", "商品不对", "货品不对", "少了配件",

                              # wear, dirt and damage as a warehouse notes it (有异味, 压坏了, 褪色, 外包装破了)
                              "脏", "脏污", "污损", "异味", "有味", "有味道", "味道", "折痕", "压痕", "破了", "破洞", "压坏", "压扁",
                              "变形", "褪色", "掉色", "起球", "开线", "脱线", "发黄", "磨损", "刮花", "划伤", "凹陷", "裂开",
                              "裂痕", "开裂", "破碎", "碎了", "发霉", "霉点"),
                     # a fault found or none (无异常, 没问题, 验货无问题: passed; 有问题 is 不合格)
                     FAULT=("问题", "异常"),
                     # signs the buyer used the goods
                     USED=("使用痕迹", "穿着痕迹", "穿过", "洗过", "已激活"),
                     # whether the goods can be sold again, as warehouses write it
                     RESELL=("二次销售",), RESELL_OK=("可二次销售", "可以二次销售", "能二次销售", "可售", "可销售"),
                     AFFECT=("影响二次销售",),
                     INSPECT=("验货", "验收", "检验", "质检", "检查", "验", "复检", "复查", "复验", "复核", "初检", "入库")),
        matrix=_matrix({
            "PASS": {**_all("合格", "plain", "past", "done"), "neg": "不合格"},
            "FAILED": _all("不合格", "plain", "past"),
            "STOCKED": _all("合格", "plain", "past", "done"), "STOCKED_BAD": _all("不合格", "plain", "past", "done"),
            "DAMAGED": _all("不合格", "plain", "past"),
            "BROKEN": {**_all("不合格", "plain", "past"), "neg": "合格"},
            "UNOPENED": {"neg": "合格"},
            "FAULT": {**_all("不合格", "plain"), **_all("合格", "neg")},
            "USED": _all("不合格", "plain", "past", "done"),
            "RESELL": _all("不合格", "neg", "inable"),  # 无法二次销售; 二次销售 alone says neither
            "RESELL_OK": {**_all("合格", "plain", "past"), **_all("不合格", "neg", "inable")},  # 可/不可二次销售
            "AFFECT": {**_all("不合格", "plain", "past"), "neg": "合格"},  # 影响/不影响二次销售
            "INSPECT": {**_all(SKIP, "plain", "past", "done"), **_all(NONE, "neg", "wait", "ongoing"), "tick": "合格"},
        }),
        kinds={"PASS": "合格/通过", "FAILED": "不合格", "STOCKED": "入良品库（能再卖）", "STOCKED_BAD": "入次品库（不能再卖）", "BROKEN": "损坏/破损（无损坏：合格）",
               "UNOPENED": "拆封（未拆封：合格）", "DAMAGED": "污渍/缺件/调包", "FAULT": "问题/异常（无问题：合格）", "USED": "使用痕迹", "RESELL": "二次销售",
               "RESELL_OK": "可二次销售", "AFFECT": "影响二次销售", "INSPECT": "验货（本身不说结果）"},
        open_after={"PASS": ("可入库", "已入库", "入库", "可上架", "已上架", "上架")},
        # damage the courier did on the way (快递压坏, 物流破损): a claim against the courier, not the buyer's — which the
        # table does not decide: unreadable
        parties={"DAMAGED": (*phrases.COURIERS, "运输"), "BROKEN": (*phrases.COURIERS, "运输")},
        aside=_said_by("buyer", "courier", "someone"),  # 买家说完好, 快递说合格: the warehouse's finding, no one else's word
        provisional=phrases.RECHECK_PENDING,  # 合格，复核中: a finding checked again may change
        pending_is_none=True,  # 待确认, 仓库核实中, 复核中: no result yet
        # (合格，待退款; 不合格，待联系客户: what the desk does next with the result)
        next_steps={"合格": ("退款", "打款", "上架"),
                    "不合格": ("退回", "寄回", "联系", "沟通", "协商")},
    ),
    examples=("未验货", "OK", "NG", "验货通过", "外包装损坏", "待验货"),
)

# ------------------------------------------------------------------ 协商进度

# What was agreed already given: the money paid or the goods sent (同意补偿，已打款; 已转账; 红包已领; 同意换货，已发货) — no
# answer this table has (read as 同意 it would be given again: 发放补偿, 安排换货), as 已补偿 is not: unreadable, asked.
_GIVEN = re.compile("(?:已经|已|都已|均已)(?:打款|打钱|转账|转钱|转了|付款|付钱|付了|付|支付|汇款|到账|领取|领了|退了|退款|退差价|"
                    "赔了|赔付|发放|发了|发红包|发钱|发券|发优惠券|发货|发出|寄出|补发|换了|给了|给钱|给红包|给补偿|给过|"
                    "给(?=$|[，,。;；)）\s]))"
                    "|(?:打款|转账|付款|支付|汇款|发放|赔付|退差价)(?:了|完成|成功|完毕)"
                    "|(?:钱|款|红包|补偿|差价|优惠券)(?:已经|已)?(?:到账|收到|领了|领取|收了|用了)")
# Who else may be named agreeing or refusing (商家同意补偿, 仓库同意换货, 平台同意补偿): the desk's side, the warehouse, the
# platform — no answer of the buyer's.
_NOT_THE_BUYER = (*phrases.DESK_SIDE, *phrases.WAREHOUSE, "系统", "平台", "后台", "小二")

NEGOTIATION = Words(
    said_none=True,
    canonical=("未协商", "坚持退款", "拒绝补偿", "拒绝换货", "同意补偿", "同意换货"),
    # (the refusals and the insisting are one stance: 拒绝补偿 beside 坚持退款 says both)
    together=frozenset(map(frozenset, (("坚持退款", "拒绝补偿"), ("坚持退款", "拒绝换货"), ("拒绝补偿", "拒绝换货")))),
    exact={"坚持": "坚持退款", "只要退款": "坚持退款", "坚持退货退款": "坚持退款",
           "不接受补偿": "拒绝补偿", "不同意补偿": "拒绝补偿",
           "不接受换货": "拒绝换货", "不同意换货": "拒绝换货", "不换": "拒绝换货",
           "接受补偿": "同意补偿", "接受换货": "同意换货", "同意维修": "同意换货",
           "接受维修": "同意换货", "无": "未协商", "未沟通": "未协商"},
    grammar=Grammar(
        explained=frozenset({"未协商", "拒绝补偿", "拒绝换货"}),
        # (a compensation in money or in goods, as the SOP offers it: part of the price back, a gift)
        stems=_stems(COMP=("补偿", "赔偿", "赔付", "补差", "红包", "优惠券", "返现", "补贴", "补差价", "退差价", "差价",
                           "部分退款", "部分补偿", "小额补偿", "赠品"),
                     EXCH=("换货", "换新", "维修", "返修", "换"),
                     REFUND=("退款", "退货退款", "退货", "退钱", "全额退款", "退全款", "全额退"),
                     NEGO=("协商", "沟通"),
                     # (客户没回消息, 未读, 不理睬: no answer yet)
                     CONTACT=("联系", "回复", "答复", "回消息", "回信息", "回话", "回应", "理会", "理睬", "读", "回"),
                     # the buyer still making up their mind (考虑中, 还在犹豫, 再想想): no answer yet
                     THINK=("考虑", "犹豫", "想想", "再想想", "考虑一下", "想一下", "想一想")),
        matrix=_matrix({
            # (不要补偿 answers no; 还没补偿, 尚未换货: not given yet, agreed or not: unreadable)
            # (已补偿, 补偿了, 已换货: given already — no answer this table has; read as 同意 it would give it again:
            # 发放补偿, 安排换货. Unreadable: asked)
            "COMP": {**_all("同意补偿", "agree"), **_all("拒绝补偿", "refuse", "neg", "insist_neg"),
                     "plain": SKIP, "neg_yet": None, "past": None, "done": None},
            "EXCH": {**_all("同意换货", "agree"), **_all("拒绝换货", "refuse", "neg", "insist_neg"),
                     "neg_yet": None, "past": None, "done": None},
            "REFUND": _all("坚持退款", "insist"),
            # talks not held or under way: no answer yet; talks that failed (协商失败, 协商未果) say no answer to
            # which offer: unreadable
            "NEGO": _all("未协商", "neg", "wait", "ongoing", "neg_done"),
            # 联系不上, 客户未回复: no answer yet; reaching the buyer (已联系, 客户回复) says nothing of the answer
            "CONTACT": {**_all("未协商", "neg", "wait", "ongoing", "neg_done", "fail", "inable"),
                        **_all(SKIP, "plain", "past", "done")},
            "THINK": _all("未协商", "plain", "ongoing", "wait"),
        }),
        kinds={"COMP": "补偿", "EXCH": "换货/维修", "REFUND": "退款", "NEGO": "协商", "CONTACT": "联系/回复",
               "THINK": "考虑"},
        parties=dict.fromkeys(("COMP", "EXCH", "REFUND"), _NOT_THE_BUYER),
        reports=frozenset({"CONTACT"}),  # (商家回复同意补偿: the desk's answer, no word of the buyer's)
        # (快递说同意补偿, 仓库：拒绝补偿: no answer of the buyer's; 同意补偿，已打款: given already)
        aside=re.compile("|".join((phrases.claims_by("courier", "warehouse"), _GIVEN.pattern))),
        buyer_speaks=True,  # (客户坚持: 坚持, 坚持退款)
    ),
    examples=("客户不同意换货", "接受红包补偿", "坚持要退款", "协商中", "还没联系"),
)

# ------------------------------------------------------------------ yes / no

# (a desk's tick, any of phrases.TICKS, is yes; a cross no)
YES_WORDS: tuple[str, ...] = ("是", "y", "yes", "true", "1", "对", *phrases.TICKS, "有", "是的")
NO_WORDS: tuple[str, ...] = phrases.ANSWERS_NO
# A yes/no column's words: the answers, and what a cost or a return column says for them.
_YES_NO_EXACT = {
    **{w: "是" for w in YES_WORDS if w != "是"}, **{w: "否" for w in NO_WORDS if w != "否"},
    "已产生": "是", "需要": "是", "需退货": "是", "未产生": "否", "不需要": "否", "无需": "否", "没产生": "否",
}


def checkbox_answer(value: bool) -> str:
    """A checkbox cell (Excel's TRUE / FALSE) as the answer it ticks: 是 / 否 (read as a 是/否 field's words, and as
    the answers of a column headed by a yes/no question, 是否已退款)."""
    return "是" if value else "否"


def yes_no(yes: str | None, no: str | None) -> dict[str, str]:
    """The answers to a yes/no question as a field's words (each as typed, folded, either case)."""
    out: dict[str, str] = {}
    for words, word in ((YES_WORDS, yes), (NO_WORDS, no)):
        if word is not None:
            out.update({form: word for w in words for form in (w, w.upper(), w.capitalize())})
    return out


COST = Words(
    said_none=True,
    canonical=("是", "否"), exact={**_YES_NO_EXACT, "有成本": "是", "没成本": "否", "无成本": "否"},
    grammar=Grammar(stems=_stems(COST=("产生成本", "产生", "成本", "开工", "生产", "制作", "下料", "做好"),
                                 # the work or the purchase the cost is for (已刻字, 已采购, 工厂已生产, 做好了)
                                 WORK=("定制", "刻字", "加工", "采购", "订货", "做", "印刷", "裁剪", "打样", "雕刻"),
                                 # material bought or a deposit paid for the work (已买料, 布料已买, 已付定金): a cost
                                 MATERIAL=("买料", "备料", "订料", "进料", "布料", "面料", "材料", "原料", "用料", "料", "布",
                                           "定金", "订金")),
                    matrix=_matrix({"COST": {**_all("是", "plain", "past", "done", "ongoing"),
                                             **_all("否", "neg", "neg_done", "wait")},
                                    "WORK": {**_all("是", "past", "done", "ongoing"),
                                             **_all("否", "neg", "neg_done", "wait")},
                                    "MATERIAL": {**_all("是", "past", "done"), **_all("否", "neg", "neg_done")}}),
                    kinds={"COST": "产生成本/开工", "WORK": "定制/刻字/采购（做了就有成本）"},
                    aside=_said_by("buyer", "courier", "someone")),
    examples=("已开工", "还没生产", "未产生", "已刻字", "待生产", "30元"),
    amounts=("是", "否"),  # the cost itself (定制成本「30元」, 「¥12.5」): more than 0 is a cost made
)

NO_SHIP = Words(
    said_none=True,
    canonical=("是", "否"), exact=_YES_NO_EXACT,
    grammar=Grammar(stems=_stems(BAN=("禁运", "违禁", "禁寄", "禁邮", "禁止邮寄", "禁止寄", "禁止寄回", "禁止退回"),
                                 SEND=("可寄回", "可以寄回", "能寄回", "可寄", "可以寄", "能寄", "可邮寄", "能邮寄",
                                       "寄回", "寄", "邮寄", "退回")),
                    # (a desk's tick on it, ✅禁运: yes; not sent back yet, 还没寄回, says nothing of whether it can be)
                    matrix=_matrix({"BAN": {**_all("是", "plain", "past", "tick"), "neg": "否"},
                                    "SEND": {**_all("否", "plain"), **_all("是", "neg", "inable"), "neg_yet": None}}),
                    kinds={"BAN": "禁运", "SEND": "能否寄回"},
                    # (暂时无法寄回, 暂不能寄: for now — a courier's pause, a holiday — no ban on the goods)
                    lasting=True,
                    open_after={"BAN": ("品", "物品", "商品", "货物")}, aside=_HEARSAY),  # 客户说寄不了: hearsay
    examples=("禁运品", "无法寄回", "非禁运"),
)

# ------------------------------------------------------------------ 售后类型 / 商品类型


def _refund_type(words: list[str]) -> object:
    distinct = set(words)
    if len(distinct) == 1:
        return distinct.pop()
    if distinct == {"退货退款", "仅退款"}:
        return "退货退款"  # 申请退货退款: both stems of one request
    return BAD


# The goods not in the buyer's hands, as a refund type names it (未收货仅退款, 发货后退款).
_NOT_RECEIVED = ("未收货", "未收到货", "没收到货", "没收货", "未收到", "没收到", "发货前", "发货后", "拒收后", "拒签后")

REFUND_TYPE = Words(
    canonical=("仅退款", "退货退款", "换货", "补寄", "维修"),
    exact={
        "未发货仅退款": "仅退款", "已发货仅退款": "仅退款", "退款不退货": "仅退款", "只退款": "仅退款",
        "不退货退款": "仅退款", "无需退货退款": "仅退款", "免退货退款": "仅退款", "不用退货退款": "仅退款",
        "仅退款(未发货)": "仅退款", "仅退款(已发货)": "仅退款", "退款(无需退货)": "仅退款",
        "未发货退款": "仅退款", "已发货退款": "仅退款", "售前退款": "仅退款", "退款": "仅退款",
        "发货前退款": "仅退款", "发货前仅退款": "仅退款",
        # Taobao's own wording of the buyer's choice
        "我要退款(无需退货)": "仅退款", "我要退货退款": "退货退款", "我要换货": "换货", "退货退款(需退货)": "退货退款",
        "拦截退货": "仅退款",  # PDD: the shop intercepts the parcel; no return by the buyer
        # an ERP's (聚水潭) plain return, as against its 拒收退货 (a parcel refused and sent back: which refund is that?)
        "普通退货": "退货退款", "普通退货退款": "退货退款",
        # the answer to 是否需要退货, written out
        **dict.fromkeys(("需退货", "需要退货", "要退货", "需退货退款", "需要退货退款", "要退货退款"), "退货退款"),
        "退货": "退货退款", "退款退货": "退货退款", "退货并退款": "退货退款", "退货退款(已收货)": "退货退款",
        # the platforms' no-reason return (无 here is of the reason, no negation of the return)
        **dict.fromkeys(("七天无理由退货", "7天无理由退货", "无理由退货", "7天无理由退货退款",
                         "七天无理由退货退款"), "退货退款"),
        "补发": "补寄", "补发商品": "补寄", "换新": "换货", "退换货": "换货", "返修": "维修",
        **{only + what: word for only in ("只", "仅") for what, word in (("换货", "换货"), ("补发", "补寄"),
                                                                        ("补寄", "补寄"), ("维修", "维修"))},
        # desk shorthand, read only as the whole cell: as a stem 仅退 would take 仅退货 (a return) for 仅退款
        "仅退": "仅退款", "只退": "仅退款",
    },
    grammar=Grammar(
        # (仅退款 / 只退款 say no return; 退款 alone is the refund a return comes with too: 申请退货退款)
        stems=_stems(RETURN=("退货", "退回商品", "寄回"),
                     # (the goods' state before it, as 抖店 and desks name the type: 未收货仅退款, 发货后仅退款, 没收到货退款
                     # — the goods not received, so no return: a refund alone)
                     ONLY=("仅退款", "只退款", *(state + only for state in _NOT_RECEIVED for only in ("仅退款", "只退款", "退款"))),
                     REFUND=("退款",),
                     EXCH=("换货", "退换"),
                     RESHIP=("补寄", "补发"), REPAIR=("维修", "返修")),
        matrix=_matrix({
            "RETURN": {**_all("退货退款", "plain", "past", "req"), **_all("仅退款", "neg", "refuse")},
            "ONLY": _all("仅退款", "plain", "past", "req"), "REFUND": _all("仅退款", "plain", "past", "req"),
            # (申请换货, 要求补发: the type the buyer asked for, as 申请退货 is)
            "EXCH": _all("换货", "plain", "past", "req"), "RESHIP": _all("补寄", "plain", "past", "req"),
            "REPAIR": _all("维修", "plain", "past", "req"),
        }),
        combine=_refund_type,
        kinds={"RETURN": "退货", "ONLY": "仅退款/只退款", "REFUND": "退款", "EXCH": "换货", "RESHIP": "补寄",
               "REPAIR": "维修"},
        # 仅退款 beside a return (仅退款，退货; 仅退款/退货退款): which one the case is, the cell does not say
        apart={("ONLY", "仅退款"): frozenset({"退货退款"})},
        # what is exchanged, sent again or repaired may follow (补发配件, 换货尺码)
        open_after={"EXCH": None, "RESHIP": None, "REPAIR": None},
        negation_says_why=True,  # 仅退款（未收到货）: why this kind, not a state denied
    ),
    examples=("不退货只退款", "申请退货退款", "补发配件"),
)

_GOODS_KINDS = ("标品", "定制", "代购")
# A kind denied (不是定制, 非代购, 没有定制): one of the other two kinds — which, only another kind denied beside it says
# (不是定制也不是代购, 非定制非代购: 标品) or the kind named beside it (不是定制，是代购: 代购).
_NOT_THE_KIND = {"不是标品": "标品", "不是定制": "定制", "不是代购": "代购"}


def _goods_kind(words: list[str]) -> object:
    """The kind of goods the words of a cell leave: a kind named (agreeing with every kind denied beside it), or the one
    kind no word denies — never a kind guessed out of two (不是定制: 标品, or 代购? rules 2–5 differ: unreadable)."""
    denied = {_NOT_THE_KIND[w] for w in words if w in _NOT_THE_KIND}
    named = {w for w in words if w not in _NOT_THE_KIND}
    left = set(_GOODS_KINDS) - denied
    if named:
        return named.pop() if len(named) == 1 and named <= left else BAD
    return left.pop() if len(left) == 1 else BAD


GOODS_KIND = Words(
    said_none=True,
    canonical=_GOODS_KINDS,
    exact={"普通": "标品", "普通商品": "标品", "现货": "标品", "标准品": "标品",
           # the SOP's own word for 标品 (非定制/代购商品(即标品)): 非 before both kinds
           **dict.fromkeys(("非定制", "非定制商品", "非定制品", "非定制款", "非定制产品", "非定制/代购",
                            "非定制代购", "非定制/代购商品", "非定制或代购", "非定制代购商品"), "标品"),
           "定做": "定制", "订制": "定制", "定制品": "定制", "定制商品": "定制", "私人定制": "定制",
           "海外代购": "代购", "代购商品": "代购"},
    grammar=Grammar(
        stems=_stems(CUSTOM=("定制", "订制", "定做", "订做", "刻字", "刻印", "印字", "来图", "个性化", "私人订制",
                             # made to the buyer's measure (尺寸定做, 量身定制)
                             "尺寸定做", "尺寸定制", "按尺寸定做", "按尺寸定制", "量身定做", "量身定制", "定尺寸",
                             # made with what the buyer gave (照片定制, 名字定做, logo定制): what is made to order, named first
                             *(what + verb for what in ("照片", "图片", "图案", "名字", "姓名", "文字", "logo", "颜色", "专属")
                               for verb in ("定制", "订制", "定做", "订做"))),
                     PROXY=("代购",),
                     STD=("现货", "标品", "普通", "标准", "常规")),
        # (a kind denied leaves two: :func:`_goods_kind` reads what the cell's other words leave)
        matrix=_matrix({"CUSTOM": {"plain": "定制", "neg": "不是定制"}, "PROXY": {"plain": "代购", "neg": "不是代购"},
                        "STD": {"plain": "标品", "neg": "不是标品"}}),
        combine=_goods_kind,
        kinds={"CUSTOM": "定制", "PROXY": "代购", "STD": "标品/现货"},
        # a kind of goods, not a state: what stands around it names the goods (个性定制款, 海外代购商品)
        open_after={"CUSTOM": None, "PROXY": None, "STD": None},
        negation_says_why=True,  # 定制（不退不换）, 代购（无发票）: a note on the kind, no state denied
        aside=_said_by("buyer", "courier", "someone"),  # 客户说是定制: the shop knows its goods
    ),
)

# ------------------------------------------------------------------ 退货原因 (free text)

_REASON_WORDS = ("降价", "小瑕疵", "质量问题", "描述不符", "少发漏发", "不想要", "腐烂变质")
# What takes a reason back, anywhere in the cell, as the state columns read it beside their words: a correction (腐烂（误）,
# 变质（已更正）, 发霉（撤回）, 少发（已找到）), a doubt (腐烂（疑似）), a cross (❌腐烂, 过期✖), a "not" standing alone
# (腐烂（不是）), or the missing goods sent already (少发，已补发: reshipped again?) — the reason unreadable, kept as typed
# (free text: no special reason — never goods kept without a return, nor a second reshipment, on a reason taken back).
_REASON_TAKEN_BACK = re.compile(
    "(?<![无延耽])误|撤回|撤销|更正|改正|订正|纠正|作废|搞错|弄错|填错|写错|记错|录错|标错|看错|不算|反悔|改口|"
    "找到|找回|寻回|追回|疑似|怀疑|可疑|[×✗✘☒❌✖❎🚫]|已(?:经)?(?:补发|补寄|重发)|(?:补发|补寄|重发)了|"
    "(?:^|[,，;；。(（)）\s])(?:不是|并不是|并非|非|不|没有|没|无|否|沒有|沒|無|並非)(?:的|了|啊)?(?=$|[,，;；。(（)）\s])")
# What says, anywhere in the cell, that the reason is not settled yet (kept as typed, as a reason taken back is): a doubt
# mark (腐烂❓, 🤔少发, ⚠️变质 — as ？ is), a check or a proof still to come (腐烂，待客户补图; 少发，需核实; 客户说腐烂，未见图;
# 腐烂，快递还没回复), a clause that defers to someone's word (腐烂，最终以快递为准), hearsay (据同事说腐烂).
_REASON_UNSETTLED = re.compile(
    "[❓❔⁉⁈🤔🧐🤨⚠]|"
    "以[^，,;；。]{0,12}为准|"
    "(?:等|等待|待|有待)[^，,;；。]{0,8}?(?:确认|核实|核查|查证|验证|证实|鉴定|判定|定责|补图|补拍|补充|上传|提供|图片|照片|"
    "视频|凭证|举证|回复|答复|反馈|结果)|"
    "(?:未|没|没有|尚未|还没|还未|无)[^，,;；。]{0,6}?(?:确认|核实|核查|查证|验证|证实|回复|答复|定论|结论|图|照片|视频|凭证|实拍)|"
    "(?:需|需要|须|要|得)[^，,;；。]{0,8}?(?:确认|核实|核查|查证|验证|证实)|"
    "据[^，,;；。]{0,8}?(?:说|称|讲|反映|反馈)|口头")
# What, in the clause of a reason word, says it is not what happened (only what might, or what is feared or planned): a
# condition (如果烂了, 万一少发, 若腐烂则退款), a fear (怕腐烂, 客户担心变质), a prevention (防止漏发), a risk (有变质风险), a
# tendency right before the word (易腐烂, 生鲜易变质, 担心会腐烂), a plan or a wish (计划…, 打算…, 希望…, 明天才能…) — as a negation
# or hearsay there does (:data:`phrases.TURNING`): never goods kept without a return, nor a reshipment, on a reason not so.
_REASON_NOT_SO = re.compile("|".join((
    phrases.TURNING.pattern,
    "如果|如若|若(?!干)|万一|假如|假若|倘若|假使|假设|一旦|要是|的话",  # a condition
    "怕|担心|担忧|忧虑|顾虑|唯恐|惟恐",  # a fear
    "防止|以防|预防|避免|以免|免得|谨防|防范",  # a prevention
    "风险|隐患|可能性",  # a risk
    "计划|打算|希望|争取|(?<!模)拟|才能|才会",  # a plan, a wish
    "[易会]$")))  # a tendency, right before the word (易腐烂, 会变质)

# Some of the goods, by a part or a count, before or after the word (部分腐烂, 一半是坏果, 有几个烂了, 2个里烂了1个, 烂了一个,
# 烂了好几个, 烂了很多): some spoiled — not goods of no value (SOP 方案四, kept without a return): 腐烂变质 unreadable
# beside it — asked where it changes the action, never read as no special reason.
_SOME_OF_IT = re.compile("部分|一半|大半|多半|半箱|少量|少数|个别|有些|有的|几个|几颗|其中|一些|局部|有点|一点|"
                         "(?:很|好|许)多(?![天次遍回年月周])|不少(?![天次遍回年月周])|"
                         "(?:\d+|[一二两三四五六七八九十几多])(?:个|颗|只|粒|斤|串|份|块|瓣|根|袋|盒|包|件)")
_SAID = ("plain", "past", "done", "ongoing", "abn")
_DENIED = ("neg", "neg_done", "inable", "fail", "refuse")

REASON = Words(
    said_none=True,
    canonical=_REASON_WORDS,
    exact={"瑕疵": "小瑕疵", "轻微瑕疵": "小瑕疵", "少发": "少发漏发", "漏发": "少发漏发", "少件": "少发漏发",
           "缺件": "少发漏发", "与描述不符": "描述不符", "实物与描述不符": "描述不符", "拍错": "不想要",
           "不喜欢": "不想要", "七天无理由": "不想要", "7天无理由": "不想要", "腐烂": "腐烂变质", "变质": "腐烂变质"},
    grammar=Grammar(
        stems=_stems(
            ROT=("腐烂", "变质", "烂果", "坏果", "发霉", "霉变", "烂了", "发臭", "臭了", "化了", "过期", "馊", "霉了", "长霉"),
            MISSING=("少发", "漏发", "缺件", "少件", "漏寄", "少寄", "缺少", "少了", "没发全", "少一", "空包", "少配件",
                     "缺配件", "配件缺失", "配件少"),
            FLAW=("瑕疵", "划痕", "小问题", "线头", "脱线", "污点", "小瑕"),
            QUALITY=("质量问题", "质量", "做工", "损坏", "破损", "故障", "坏的", "坏了", "坏掉", "不能用", "用不了", "开线", "无法使用", "没法用",
                     "开不了机", "不开机", "无法开机", "漏液", "漏水", "失灵", "掉色", "褪色", "起球", "碎了", "摔碎"),
            MISMATCH=("与描述不符", "不符", "不一致", "不一样", "货不对板", "发错", "错发", "色差", "尺码不对", "颜色不对",
                      "款式不对", "型号不对", "规格不对", "尺寸不对"),
            PRICE=("降价", "差价", "价保", "便宜", "买贵了"),
            UNWANTED=("不想要", "不要了", "不需要", "拍错", "错拍", "无理由", "不喜欢", "多拍", "拍多", "买错", "买多"),
            # crushed, dropped, torn (压烂, 摔烂 — no rot), or only the box (包装烂了: the goods?), or about to spoil (快烂了,
            # 快过期: not yet): no reason this table can give — unreadable, never 腐烂变质 (kept without a return)
            DAMAGE=tuple(verb + end for verb in ("压", "摔", "砸", "磕", "碰", "撞", "挤", "踩", "撕", "扯", "弄", "刮", "划", "泡")
                         for end in ("烂", "坏")) +
            tuple(box + end for box in ("包装", "外包装", "外箱", "纸箱", "箱子", "盒子", "快递盒", "快递箱", "外盒")
                  for end in ("烂", "坏", "破", "压烂", "压坏")),
            SOON=tuple(soon + end for soon in ("快", "快要", "要", "将", "即将", "马上")
                       for end in ("烂", "坏", "化", "过期", "发霉", "变质", "腐烂")),
        ),
        matrix=_matrix({
            **{kind: {**_all(word, *_SAID), **_all(SKIP, *_DENIED)}
               for kind, word in (("ROT", "腐烂变质"), ("MISSING", "少发漏发"), ("FLAW", "小瑕疵"),
                                  ("QUALITY", "质量问题"), ("MISMATCH", "描述不符"), ("PRICE", "降价"),
                                  ("UNWANTED", "不想要"))},
            "DAMAGE": {}, "SOON": {},  # (every aspect unreadable)
        }),
        kinds={"ROT": "腐烂变质", "MISSING": "少发漏发", "FLAW": "小瑕疵", "QUALITY": "质量问题",
               "MISMATCH": "描述不符", "PRICE": "降价", "UNWANTED": "不想要"},
        strict=False,
        trouble=_REASON_NOT_SO,
        aside=re.compile(f"{_REASON_TAKEN_BACK.pattern}|{_REASON_UNSETTLED.pattern}"),
        not_if={"腐烂变质": _SOME_OF_IT},
    ),
    free_text=True,
    examples=("收到有点小瑕疵", "不是质量问题，拍错了", "水果烂了", "少发了一件"),
)

WORDS: dict[str, Words] = {
    "logistics": LOGISTICS, "intercept": INTERCEPT, "case_state": CASE_STATE, "ship_state": SHIP_STATE,
    "return_logistics": RETURN, "customer_says": CUSTOMER_SAYS, "courier_check": COURIER_CHECK,
    "inspection": INSPECTION, "negotiation": NEGOTIATION, "cost_incurred": COST, "no_ship": NO_SHIP,
    "refund_type": REFUND_TYPE, "goods_kind": GOODS_KIND, "reason": REASON,
}

# ------------------------------------------------------------------ the parser


def _fold(text: str) -> str:
    return vocab.fold(text).lower()


# Marks a whole cell may be wrapped in (「已签收」, 【拦截成功】, “合格”): the cell is what they hold.
_PAIRS = {"「": "」", "『": "』", "【": "】", "[": "]", "(": ")", "“": "”", "‘": "’", '"': '"', "'": "'", "《": "》"}


def _unwrapped(text: str) -> str:
    """``text`` without the marks wrapping the whole of it (never a mark inside: 【杭州】已签收 stays)."""
    while len(text) > 2 and _PAIRS.get(text[0]) == text[-1] and text[0] not in text[1:-1] and text[-1] not in text[1:-1]:
        text = text[1:-1].strip()
    return text


# Ticks before or after a whole word, nothing else (✅同意补偿, 同意补偿✔, √定制, ✅未发货): a desk checking that word.
_TICKED = re.compile("[" + "".join(t for t in phrases.TICKS if len(t) == 1) + r"\s]*(?P<word>.+?)[" +
                     "".join(t for t in phrases.TICKS if len(t) == 1) + r"\s]*")


def _ticked_word(parse: Callable[[object], object], table: Mapping[str, str], canonical: frozenset[str],
                 folded: str) -> str | None:
    """The canonical word a cell holds with a desk's tick before or after it and nothing else (✅同意补偿: 同意补偿), where
    the grammar found no reading (a tick that changes a step, √已拦截, the grammar reads).  A tick that is a word of the
    field's own (禁运「√」: 是; 验货结果「√」: 合格) must say that word (√合格: 合格; 否✅, √不合格: which?); and a tick read
    as 成功, as the grammar reads one after a step, must not make it another word (未拦截✅: 未拦截, or 未拦截成功 — 拦截失败?)."""
    m = _TICKED.fullmatch(folded)
    if m is None or m["word"] == folded or m["word"] not in canonical:
        return None
    word = table[m["word"]]
    ticks = (folded[:m.start("word")] + folded[m.end("word"):]).split()
    alone = {parse(tick) for marks in ticks for tick in marks} | {parse(m["word"] + "成功")}
    return word if alone <= {None, BAD, word} else None


def reader(words: Words) -> Callable[[object], object]:
    """The parse function of one field: exact texts first, then the phrase grammar.

    Returns the canonical word, ``None`` for a blank cell (or a phrase that means
    nothing was recorded, 未验货), or :data:`~refund_xl._core.vocab.BAD`; for free
    text (退货原因) a text the grammar finds no word in is kept as typed.
    """
    table = {_fold(w): w for w in words.canonical}
    table.update({_fold(k): v for k, v in words.exact.items()})
    grammar = words.grammar
    free = words.free_text
    amounts = words.amounts
    either = {_fold(k): v for k, v in words.either.items()}
    canonical = frozenset(map(_fold, words.canonical))

    @vocab.never_raises
    def parse(value: object):
        if vocab.no_value(value):
            return None
        if value.__class__ is str and value[:1] == "#" and value.strip().upper() in vocab.EXCEL_ERRORS:
            return BAD
        if isinstance(value, bool):
            value = checkbox_answer(value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        raw = _unwrapped(vocab.nfkc(str(value)).strip())
        folded = _fold(raw)
        if folded in either:
            return vocab.Either(raw, either[folded])
        hit = phrases.exact_word(grammar, table, folded)  # (系统显示平台拒绝退款,退款关闭: the whole word shown)
        if hit is not None:
            return hit
        if (once := phrases.said_once(folded)) is not None and once != folded and \
                (once in table or phrases.exact_word(grammar, table, once) is not None):
            return parse(once)  # a whole word of the table said again (平台退款中平台退款中): that word, as written once
        if words.said_none and raw in vocab.NOTHING_RECORDED:
            return None
        got = phrases.read(grammar, raw.lower(), table) if grammar is not None else None
        if got is NONE:
            return None
        if got is None and amounts is not None and (money := vocab.parse_money(value)).__class__ is float:
            return amounts[0] if money > 0 else amounts[1]
        if amounts is not None and got in amounts and \
                any((amounts[0] if money > 0 else amounts[1]) != got for money in phrases.amounts_in(raw)):
            return BAD  # 成本0元, 已产生成本0元: the amount says no cost, the words say one
        if (got is None or got is BAD) and words.waybill is not None and phrases.waybill_alone(raw):
            return words.waybill
        if (got is None or got is BAD) and (ticked := _ticked_word(parse, table, canonical, folded)) is not None:
            return ticked  # ✅同意补偿, √定制: the word checked
        if (got is None or got is BAD) and (once := phrases.said_once(folded)) is not None and \
                (once in table or grammar is not None and once in grammar.stems and once not in phrases.UNDOING) and \
                (again := parse(once)).__class__ is str and again in words.canonical:
            return again  # 异常异常, 没收到没收到, 是是, 是哦, 禁运禁运: the word said once (撤回撤回, 不不: no word said twice)
        if free:  # a text with no word of the table in it is kept as typed; one whose word is not read is unreadable
            return raw if got is None else got
        return BAD if got is None else got

    parse.words = words  # the reference page reads the tables
    parse.either = bool(either)  # it may return a vocab.Either (engine._read_block quotes it)
    return parse


# A clause read as 物流状态 reads it (拦截状态's :attr:`phrases.Grammar.beside`).
_PARCEL_STATE: Callable[[object], object] = reader(LOGISTICS)
