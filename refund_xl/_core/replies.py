"""Customer reply scripts (回复话术): one template per action code.

The defaults are our own wording, after the example scripts of the SOP
article.  Teams edit them in the 话术模板 sheet; :func:`parse_templates`
reads that table and :func:`fill` fills one template for one case.
Placeholders are the tracking sheet's canonical headers in braces
(``{订单号}``, ``{快递公司}``, ``{物流单号}``, ``{退款金额}`` …; full-width
``｛订单号｝`` too) plus a few computed ones (``{处理建议}``, ``{超时时间}``).  A
placeholder with no value is flagged in the text as ``【缺:物流单号】`` and listed,
never left blank; a brace that closes no placeholder as ``【模板有误:「{」未配对】``.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from itertools import filterfalse
from typing import Any, Callable, Iterable, Mapping, Sequence

from refund_xl._core import vocab
from refund_xl._core.fields import FIELDS
from refund_xl._core.rules import ACTIONS, IN_TRANSIT, Case

SHEET = "话术模板"  # the sheet that holds the templates

__all__ = ["SHEET", "DEFAULT_TEMPLATES", "NO_MESSAGE", "DO_FIRST", "REPLY_FACTS", "NOT_HELD", "parse_templates",
           "read_templates", "nearest_code", "fill", "templates_table", "PLACEHOLDERS"]

# Actions whose next step is internal (no customer message needed).
NO_MESSAGE = frozenset({"DONE", "NEEDS_INFO", "CHECK_WAREHOUSE"})

DEFAULT_TEMPLATES: dict[str, str] = {
    "APPROVE_REFUND":
        "亲，您的订单{订单号}的退款申请已为您同意，退款{退款金额}元会按原支付方式退回，请留意到账通知~",
    "INTERCEPT_OFFLINE":
        "亲，订单{订单号}的包裹其实已经由{快递公司}发出（单号{物流单号}），我们已经在联系快递拦截。"
        "如果拦截没有成功，麻烦您在派送时直接拒收，我们看到拒收记录后马上为您退款，感谢理解~",
    "NEGOTIATE_COST":
        "亲，您订单{订单号}的商品属于定制/代购，目前已经产生了实际费用。"
        "我们想和您商量一下，由双方分担一部分费用，您看可以吗？有任何想法都可以告诉我们~",
    "ASK_REASON":
        "亲，看到您为订单{订单号}申请了退款。这件商品是定制/代购的，方便告诉我们退款的原因吗？"
        "我们先核实一下进度，尽量给您一个满意的处理~",
    "REFUND_OR_RESHIP_CLAIM":
        "亲，非常抱歉，您订单{订单号}的包裹（{快递公司} {物流单号}）在运输中出现了异常。"
        "我们可以马上为您补发，或者直接退款{退款金额}元，您看哪种方式更方便？快递那边由我们来处理~",
    "ASK_REFUSE_DELIVERY":
        "亲，订单{订单号}的包裹（{快递公司} {物流单号}）我们联系快递拦截，但没能拦截成功。"
        "麻烦您在快递派送时直接拒签，我们看到拒签记录后会第一时间为您退款，给您添麻烦了~",
    "REJECT_WITH_PROOF":
        "亲，物流信息显示订单{订单号}的包裹（{快递公司} {物流单号}）已经签收，签收记录我们已留存。"
        "商品如果有任何问题请随时告诉我们，我们一定帮您解决；这次的仅退款申请暂时没办法同意，请您理解~",
    "VERIFY_WITH_COURIER":
        "亲，收到您的反馈，订单{订单号}的包裹显示已签收但您没有收到，我们马上联系{快递公司}核实派件和签收情况（单号{物流单号}），"
        "有结果第一时间告诉您，请稍等~",
    "GUIDE_TO_RETURN":
        "亲，看到您已经收到订单{订单号}的商品，是商品哪里不满意吗？可以跟我们说说。"
        "如果确实不需要了，麻烦您把申请改为「退货退款」，寄回后我们尽快为您处理~",
    "CONFIRM_RECEIPT":
        "亲，订单{订单号}的包裹（{快递公司} {物流单号}）物流显示已签收，麻烦您看一下是否放在了驿站、门卫或代收点？"
        "如果确实没找到，告诉我们，我们马上联系快递核实~",
    "NUDGE_COURIER":
        "亲，订单{订单号}的包裹（{快递公司} {物流单号}）物流显示有些异常，我们已经催促快递加快派送，"
        "有新进展会及时告诉您，感谢耐心等待~",
    "INTERCEPT_REFUND_NOW":
        "亲，看到您订单{订单号}申请了仅退款。包裹已经在路上了，我们会联系{快递公司}拦截（单号{物流单号}），"
        "同时马上为您办理退款{退款金额}元，请留意到账通知。如果包裹还是送到了，麻烦您拒签一下，感谢理解~",
    "INTERCEPT_AND_WATCH":
        "亲，看到您订单{订单号}申请了仅退款。因为快递已经在路上，我们正在联系{快递公司}拦截（单号{物流单号}）。"
        "如果拦截失败，建议您派送时拒签，我们看到拒签记录后会及时为您退款，感谢理解~",
    "CHECK_INTERCEPT_RESULT":
        "亲，订单{订单号}的拦截我们正在跟{快递公司}确认结果，拦截成功就马上为您退款；"
        "如果包裹还是派送过来了，麻烦您直接拒签，我们看到记录后立即退款~",
    "WAIT_INTERCEPT":
        "亲，订单{订单号}的包裹正在拦截中（{快递公司} {物流单号}），结果出来后我们会第一时间为您处理退款，请耐心等待~",
    "REFUND_WITHOUT_RETURN":
        "亲，订单{订单号}的商品不用寄回了，我们直接为您退款{退款金额}元，给您带来不便非常抱歉~",
    "ISSUE_COMPENSATION":
        "亲，感谢您的理解！订单{订单号}约定的补偿我们已经安排发放，请留意查收~",
    "ARRANGE_EXCHANGE":
        "亲，订单{订单号}的换货/维修已经为您安排，来回运费由我们承担，寄回时告诉我们单号就好~",
    "RESHIP_MISSING":
        "亲，非常抱歉订单{订单号}少发/漏发了商品，我们马上为您补发，发出后把单号告诉您~",
    "OFFER_COMPENSATION":
        "亲，非常抱歉商品有点小瑕疵给您带来困扰。订单{订单号}我们可以给您一些补偿（红包或小礼物），您看可以吗？",
    "OFFER_EXCHANGE":
        "亲，理解您的心情。订单{订单号}我们可以为您换货或维修，来回运费都由我们承担，您看这样可以吗？",
    "RETURN_REFUND_PAID_SHIPPING":
        "亲，给您添麻烦了，非常抱歉！订单{订单号}请您寄回，来回运费由我们承担，收到后尽快为您退款~",
    "WAIT_RETURN":
        "亲，订单{订单号}的退货申请已收到，麻烦您寄回商品并填写退货单号，我们收到后尽快为您处理~",
    "DISPUTE_INSPECTION":
        "亲，订单{订单号}退回的商品我们验货后发现有些问题，想跟您沟通一下具体情况，方便的话回复我们~",
    "REFUND_ON_PICKUP":
        "亲，订单{订单号}的退货已经被快递揽收，退款{退款金额}元我们马上为您办理，请留意到账~",
    "MANUAL_REVIEW":
        "亲，订单{订单号}的售后申请我们已经收到，会按店铺的换货/补寄/维修流程尽快为您处理，有进展第一时间告诉您~",
    "INSPECT_THEN_REFUND":
        "亲，订单{订单号}的退货我们会尽快拆包验货，确认无误后马上为您退款{退款金额}元~",
}

# What the agent does before sending the reply, so the reply is true when the customer reads it
# (a reply saying the refund is on its way, sent before anyone refunded, runs ahead of the desk).
# Shown beside the reply in 回复话术's 发送前先做 column: (中文, English).
DO_FIRST: dict[str, tuple[str, str]] = {
    "APPROVE_REFUND": ("先在平台同意退款，再发送", "Approve the refund on the platform, then send"),
    "INTERCEPT_REFUND_NOW": ("先把单号发给快递拦截（快递拦截清单），并在平台同意退款，再发送",
                             "Ask the courier to intercept (courier list) and approve the refund, then send"),
    "REFUND_ON_PICKUP": ("先在平台同意退款，再发送", "Approve the refund on the platform, then send"),
    "REFUND_WITHOUT_RETURN": ("先在平台同意退款（无需退货），再发送",
                              "Approve the refund without a return on the platform, then send"),
    "INTERCEPT_OFFLINE": ("先把单号发给快递拦截（快递拦截清单），再发送",
                          "Ask the courier to intercept (courier list), then send"),
    "INTERCEPT_AND_WATCH": ("先把单号发给快递拦截（快递拦截清单），再发送",
                            "Ask the courier to intercept (courier list), then send"),
    "CHECK_INTERCEPT_RESULT": ("先向快递问拦截结果，再发送", "Ask the courier for the interception result, then send"),
    "NUDGE_COURIER": ("先联系快递催件，再发送", "Nudge the courier, then send"),
    "REJECT_WITH_PROOF": ("先截图保存签收记录，再发送", "Save the delivery record, then send"),
    "ISSUE_COMPENSATION": ("先发放约定的补偿，再发送", "Issue the agreed compensation, then send"),
    "ARRANGE_EXCHANGE": ("先安排好换货/维修，再发送", "Arrange the exchange or repair, then send"),
}

# What a default reply states about the case, and what makes it true (contract §6: a reply never
# claims a fact the row does not hold): (what the text says, the atom, the values every rule of the
# action must require of it — rules.ACTION_RULES).  An act of the desk stated as done (已留存, 已催促 …)
# is made true by the action's DO_FIRST step instead.
REPLY_FACTS: tuple[tuple[str, str, frozenset], ...] = (
    ("显示已签收|已经签收", "logistics", frozenset({"已签收"})),
    ("包裹已经在路上|快递已经在路上", "logistics", IN_TRANSIT),
    ("物流显示有些异常", "logistics", frozenset({"异常"})),
    ("正在拦截中", "intercept", frozenset({"拦截中"})),
    ("没能拦截成功", "intercept", frozenset({"拦截失败"})),
    ("定制/代购", "goods_kind", frozenset({"定制", "代购"})),
    ("产生了实际费用", "cost_incurred", frozenset({"是"})),
    ("您已经收到", "customer_says", frozenset({"已收到"})),
    ("您没有收到", "customer_says", frozenset({"未收到"})),
    ("小瑕疵", "reason", frozenset({"小瑕疵"})),
    ("少发/漏发", "reason", frozenset({"少发漏发"})),
    ("验货后发现", "inspection", frozenset({"不合格"})),
    ("已经被快递揽收", "return_logistics", frozenset({"已揽收", "运输中"})),
    ("约定的补偿", "negotiation", frozenset({"同意补偿"})),
    ("售后申请", "refund_type", frozenset({"换货", "补寄", "维修"})),
)
# Things a reply might say that no column of the tracking sheet records (photos taken, why the
# customer cannot send it back, a delay, a problem of the goods no column names, a check with the
# courier): never in a default reply.
NOT_HELD: tuple[str, ...] = ("拍照", "照片", "录像", "视频", "不方便寄", "寄回不方便", "延迟", "按您的要求", "商品问题",
                             "核实过", "与发出时不一致")

# Placeholders computed from the decision, beyond the sheet's own headers.
PLACEHOLDERS = tuple(f.header for f in FIELDS) + ("处理建议", "动作代码")

# A placeholder in braces, half- or full-width (｛订单号｝ typed with a Chinese input method is one too).
_PLACEHOLDER = re.compile(r"[{｛]([^{}｛｝]+)[}｝]")
_BRACE = re.compile(r"[{}｛｝]")  # a brace left over: one half of a placeholder ({物流单号异常…)
_HEADER_TO_KEY = {f.header: f.key for f in FIELDS}
# the name a stray brace is listed under (缺少字段) and flagged with in the text
_BROKEN = {b: f"「{b}」未配对" for b in "{}｛｝"}
_BROKEN_NAMES = frozenset(_BROKEN.values())


def templates_table() -> list[list[str]]:
    """The 话术模板 sheet: header + one row per action code."""
    rows = [["动作代码", "动作", "话术模板"]]
    for code, (zh, _en) in ACTIONS.items():
        if code not in NO_MESSAGE:
            rows.append([code, zh, DEFAULT_TEMPLATES.get(code, "")])
    return rows


_CODE_HEADERS = ("动作代码", "代码", "actioncode", "code")
_TEXT_HEADERS = ("话术模板", "模板", "话术", "template")


def _template_columns(rows: list[list[object]]) -> tuple[int, int, int]:
    """(header row index or -1, code column, template column) of a 话术模板 table.

    The columns are found by their headers (动作代码 / 话术模板); without a
    header row the product's own layout is assumed (动作代码 | 动作 | 话术模板),
    or code | template for a two-column range.  Any other column — notes, help
    text — is never read as a template.
    """
    for i, row in enumerate(rows[:10]):
        names = [vocab.fold(str(c)).lower() if c is not None else "" for c in row]
        code = next((j for j, n in enumerate(names) if n in _CODE_HEADERS), None)
        text = next((j for j, n in enumerate(names) if n in _TEXT_HEADERS), None)
        if code is not None and text is not None:
            return i, code, text
    width = max((len(r) for r in rows), default=0)
    return -1, 0, 2 if width >= 3 else 1


def parse_templates(rows: Iterable[Iterable[object]] | None) -> dict[str, str]:
    """A 话术模板 table (动作代码 | 动作 | 话术模板 …) merged over the defaults.

    Read by its headers (see :func:`_template_columns`); an empty template
    cell keeps the default; a row whose code cell is not an action code is
    skipped (:func:`read_templates` says so).
    """
    return read_templates(rows)[0]


def read_templates(rows: Iterable[Iterable[object]] | None) -> tuple[dict[str, str], list[str]]:
    """:func:`parse_templates` and what it could not use, in words for the reading report: a row whose
    话术 is filled under a code no action has (APPROVE_REFUN: the built-in reply would go out, the
    staff's never), with the code it may be; two rows of one code with two texts (the last one is used)."""
    out = dict(DEFAULT_TEMPLATES)
    notes: list[str] = []
    table = [list(r) for r in rows or () if isinstance(r, (list, tuple))]
    if not table:
        return out, notes
    at, code_col, text_col = _template_columns(table)
    where: dict[str, int] = {}
    for n, row in enumerate(table[at + 1:], start=at + 2):
        if code_col >= len(row) or row[code_col] is None:
            continue
        code = vocab.fold(str(row[code_col])).upper()
        text = row[text_col] if text_col < len(row) else None
        if not isinstance(text, str) or not text.strip():
            continue
        if code not in ACTIONS:
            if code and code.lower() not in _CODE_HEADERS:
                near = nearest_code(str(row[code_col]))
                maybe = f"（是否为 {near}？）" if near else ""
                notes.append(f"话术模板第{n}行：动作代码「{vocab.fold(str(row[code_col]))}」不认识{maybe}，这一行的话术没有用上")
            continue
        if code in where and out[code] != text.strip():
            notes.append(f"话术模板第{where[code]}行和第{n}行都是 {code} 的话术：用的是第{n}行")
        out[code] = text.strip()
        where[code] = n
    return out, notes


def nearest_code(typed: str) -> str | None:
    """The action code a mistyped one may be: its action's name (同意退款), or a code a few slips away
    (APPROVE_REFUN); None when no code, or two, are that close."""
    name = vocab.fold(typed)
    by_name = [code for code, (zh, en) in ACTIONS.items() if name in (vocab.fold(zh), vocab.fold(en))]
    if by_name:
        return by_name[0]
    upper = name.upper()
    far = {code: vocab.edit_distance(upper, code) for code in ACTIONS}
    code = vocab.sole_best(far)
    return code if code is not None and far[code] <= max(1, len(upper) // 4) else None


def _show(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return _amount(value)
    return str(value)


def _amount(value: float) -> str:
    """A number as a placeholder shows it: two decimals at most, no trailing zeros; no sign on a zero
    (-0.0 equals 0.0, and a column of amounts shows each distinct value once)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@lru_cache(maxsize=256)
def _parts(template: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """A template split once into (literal text, placeholder name, field key) pieces.  A brace that
    closes no placeholder ({物流单号异常…: the other half was never typed) is a piece of its own, named
    ``「{」未配对``: flagged and listed like a placeholder with no value, never sent as typed."""
    out: list[tuple[str, str | None, str | None]] = []
    at = 0
    for match in _PLACEHOLDER.finditer(template):
        name = match.group(1).strip()
        out.append((_stray(out, template[at:match.start()]), name, _HEADER_TO_KEY.get(name)))
        at = match.end()
    out.append((_stray(out, template[at:]), None, None))
    return tuple(out)


def _stray(out: list[tuple[str, str | None, str | None]], text: str) -> str:
    """``text`` (no placeholder in it) with each stray brace put in ``out`` as a slot of its own; what
    follows the last one is returned."""
    at = 0
    for brace in _BRACE.finditer(text):
        out.append((text[at:brace.start()], _BROKEN[brace.group()], None))
        at = brace.end()
    return text[at:]


def _slot(name: str, value: object) -> str:
    """A placeholder's text: the value shown, or ``【缺:名称】`` when it has none (``【模板有误:「{」未配对】``
    for a stray brace)."""
    if value is None or value == "":
        return f"【模板有误:{name}】" if name in _BROKEN_NAMES else f"【缺:{name}】"
    return _show(value)


def fill(template: str, case: Case, extra: Mapping[str, object] | None = None) -> tuple[str, list[str]]:
    """Fill ``template`` for ``case``: (text, placeholders that had no value).

    Placeholders are looked up by name only (never evaluated or formatted
    as Python); one with no value becomes ``【缺:名称】`` and is listed.
    """
    missing: list[str] = []
    pieces: list[str] = []
    for literal, name, key in _parts(template):
        pieces.append(literal)
        if name is None:
            continue
        if extra and name in extra:
            value = extra[name]
        else:
            value = getattr(case, key, None) if key else None
        if value is None or value == "":
            missing.append(name)
        pieces.append(_slot(name, value))
    return "".join(pieces), missing


def positional(template: str, extra: Mapping[str, object] | None = None
               ) -> tuple[tuple[str, ...], tuple[str | tuple[str, str], ...]]:
    """``template`` as :func:`fill` fills it, for many rows: its literal pieces and what fills each
    slot between them — a fixed text (an action placeholder in ``extra``, a name no field has) or
    (name, field key), whose column :func:`shown` gives."""
    pieces: list[str] = [""]
    slots: list[str | tuple[str, str]] = []
    for literal, name, key in _parts(template):
        pieces[-1] += literal
        if name is None:
            continue
        if (extra and name in extra) or not key:
            pieces[-1] += _slot(name, extra.get(name) if extra else None)
        else:
            slots.append((name, key))
            pieces.append("")
    return tuple(pieces), tuple(slots)


_TEXT_OR_BLANK = frozenset({str, type(None)})


def shown(name: str, values: Sequence[object]) -> list[str]:
    """A field's values (canonical, as a Case holds them) as placeholder ``name`` shows them: a text
    value as it is (ids and names: mostly distinct), the others once per distinct value."""
    types = set(map(type, values))
    if types <= _TEXT_OR_BLANK:  # ids and names: only the blank cells are shown otherwise
        odd = {v: _slot(name, v) for v in set(filterfalse(None, values))}
        return list(map(odd.get, values, values)) if odd else list(values)  # type: ignore[arg-type]
    if len(types - _TEXT_OR_BLANK) == 1 and str not in types:  # amounts, dates: each distinct value once
        uniq = set(values)
        show: Callable[[Any], str] = _amount if float in types else _show  # a float's text, without asking what it is
        seen = {v: show(v) for v in uniq if v is not None}
        if None in uniq:
            seen[None] = _slot(name, None)
        return list(map(seen.__getitem__, values))
    # values of several kinds (one at least not text): each shown as its own kind (0.0 and False are
    # one set entry)
    odd = {(v.__class__, v): _slot(name, v) for v in values if v.__class__ is not str or not v}
    return [v if v.__class__ is str and v else odd[(v.__class__, v)] for v in values]
