"""Personal data out of free text (contract §7 ``import``): what an export's text cells may carry into the book.

A buyer's 退货原因, JD's 问题描述 or a courier trace is free text, and buyers
write their phone number and address into it.  Before such text is written
into a tracking sheet (and from there into every evaluate output and backup),
:func:`mask` replaces

* every run of 7 or more digits — also written in groups (``138 0013 8000``,
  ``138-0013-8000``, ``+86 138…``, ``138.0013.8000``, a group on each line),
  a waybill or an order number inside a sentence included (:data:`phrases.DIGIT_RUN`;
  an amount's ``1,299.00`` and a date's ``2025.6.8`` are no run) — and
* what follows a marker of personal data (电话, 手机, 地址, 收件人 and their
  obvious variants: 联系电话, 手机号, 收货地址, 收货人, 姓名, 联系人, 签收人 …), up
  to the next clause separator (，, ; ；。/ | 、 or a line end),

and a bare name standing right beside a phone number (``张三 13812345678``,
``13812345678 王小明``: two or three Chinese characters, no more, the first a
common surname (or a compound one, 欧阳), alone between spaces or punctuation — :func:`_name_beside`),
each with one ``＊``.  The words the SOP reads in that text survive: a keyword
of the field's own vocabulary (质量, 腐烂, 少发 …), a negation standing right
before it (不是质量问题) and a word of doubt (可能, 好像, ？) are never masked,
so the masked text reads as the original did (:func:`mask_field` is the
field-aware form).  So does a date or a time of day (``2025-06-09 09:00:00``,
``6月8日``, ``10点``): no personal data, read by the readers as a time
(:data:`refund_xl._core.phrases.STAMPS`), its digits never counted into a run.
A name — 商品名称, 平台, 快递公司 (:data:`NAME_KEYS`) — is no free text: written as it is (手机壳, 儿童电话手表),
only its digit runs of 7 or more masked.  A report quotes an unreadable value masked whole, then cut
(:func:`mask_quote`).
Pure: no I/O; memoised per distinct text.
"""

from __future__ import annotations

import functools
import re
from typing import Iterable

from refund_xl._core import engine, phrases, vocab, wordbook
from refund_xl._core.fields import FIELD_BY_KEY

__all__ = ["MASK", "MARKERS", "mask", "mask_field", "mask_quote", "long_digits", "ID_KEYS", "NAME_KEYS"]

MASK = "＊"

# Markers of personal data; what follows one (to the next clause separator) is masked.
MARKERS = ("联系电话", "电话号码", "电话", "手机号码", "手机号", "手机", "座机", "联系方式", "微信号", "微信",
           "QQ号", "QQ", "收货地址", "收件地址", "详细地址", "地址", "住址", "收件人", "收货人", "寄件人",
           "联系人", "签收人", "取件人", "姓名", "名字")
_MARKER_RE = re.compile("|".join(sorted(map(re.escape, MARKERS), key=len, reverse=True)), re.IGNORECASE)
# What may stand between a marker and what it introduces: 电话：, 电话是, 地址 = …
_LEAD = re.compile(r"[\s:：=＝是为]*")
# What follows a marker when it says something of the address or number rather than gives it (地址不全, 地址有误,
# 电话无人接听, 手机关机): kept, so the text reads as it did (a negation or a fault masked away would turn it around).
_SAID_OF_IT = re.compile("不|未|没|无|非|错|误|有误|缺|空号|停机|关机|打不通|(?:写|填|弄|搞|选|拍|留|输|打)错|变更|更改|修改|改了")
# Markers of an address: what follows one is kept where it talks about the address rather than gives one — no colon
# (地址：…, 地址是…), no place in the clause (a province, 市/区/路/号/栋 …, a number, a place it goes 到/在/改成) and
# words of talk right after it
# (地址写错了，重新拍; 地址太远了; 地址要改一下): no address in that, nothing to hide, and the text reads as it did.
# Anything else after it (地址杭州西湖) is masked.
_ADDRESS_MARKERS = frozenset({"收货地址", "收件地址", "详细地址", "地址", "住址"})
_GIVEN = re.compile(r"[:：=＝是为]")
_TALK = re.compile("[太很有要想能可需写填改变换更重对正没也都就还和跟与的了吗呢么啊呀吧?]")
_PLACE = re.compile("[省市区县镇乡村路街巷弄号栋幢楼室到在成为往至]|\\d{2}|\\d[-#]|单元|小区|大厦|公寓|花园|广场|胡同|社区|" + "|".join(vocab.PROVINCES))
# Where a clause ends (the reason reader's own separators, and line ends).
_SEPARATOR = re.compile(r"[,，;；。/|、\n\r]")
# Digits, possibly grouped by spaces, dashes, line breaks or dots, with an optional leading + (as the readers take a
# number).
_DIGIT_RUN = phrases.DIGIT_RUN
_LONG = re.compile(rf"\d(?:{phrases.DIGIT_SEP}\d){{{phrases.LONG_RUN - 1}}}")  # (a run as long, found fast)
# Doubt markers of the readers (the words that make a value doubtful): kept so the text stays doubtful.
_DOUBT = phrases.DOUBT
# The modifiers the phrase reader reads around a state word (negation, inability, waiting … before it;
# a result, in progress, paused … after it): kept with the word, so the text reads as it did.
_PRE_WORDS = sorted({w for words in phrases.PRE.values() for w in words}, key=len, reverse=True)
_POST_WORDS = sorted({w for words in phrases.POST.values() for w in words}, key=len, reverse=True)
_MODIFIED_BEFORE = re.compile("(?:" + "|".join(map(re.escape, _PRE_WORDS)) + ")+$")
_MODIFIED_AFTER = re.compile("(?:" + "|".join(map(re.escape, _POST_WORDS)) + ")+")

# A date or a time of day, as the readers find one (their ◷): kept, its digits no part of a run.
_STAMP = phrases.STAMPS
_YEAR_DAY = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
# A phone number (a masked run's digits): a mobile (+86 or not) or a landline with its area code.
_PHONE = re.compile(r"(?:86)?1[3-9]\d{9}|0\d{9,11}")
# A bare name beside a phone number: 2–3 Chinese characters, the first a common surname (or two, a compound
# one) — and not one of the everyday words that start so and may stand beside a number.
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
                      "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_COMPOUND = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙", "长孙", "宇文"})
_NOT_NAMES = frozenset({"谢谢", "谢了", "马上", "方便", "高兴", "周末", "周一", "周二", "周三", "周四", "周五", "周六", "周日",
                        "周天", "金额", "于是", "万一", "任何", "白天", "黄色", "白色", "何时", "许多", "曾经", "余额", "付款",
                        "付钱", "钱款", "严重", "顾客", "毛病", "陆续", "范围", "程序", "常用", "江苏", "江西", "武汉", "苏州",
                        "沈阳", "石家庄", "高速", "高铁", "张贴", "黄金", "金色", "方式", "方面", "方法", "龙岗", "夏天", "向您",
                        "向你", "何处", "孔子", "史上", "钟点", "杜绝", "程度"})
_BETWEEN = re.compile(r"[\s:：,，]*")  # what may stand between a name and its phone number

# A place a courier trace names in brackets (快件已到达【上海浦东新区世纪大道100号XX小区3栋】驿站): an address where it
# holds a number with 号/栋/室/单元/弄/楼 … or a number beside an estate's or a road's name — hidden in a quote
# (:func:`mask_quote`: a trace's quote, engine.TRACE_QUOTE_WIDTH, is long enough to show it), as a phone number is.  A
# station's or a city's name (【上海转运中心】, 【杭州市】) and a time in brackets ([2025-06-10 09:00]) stay.
_BRACKETED = re.compile(r"【([^【】]*)】|\[([^\[\]]*)\]|〖([^〖〗]*)〗")
_ADDRESS_UNIT = re.compile(r"\d\s*(?:号|栋|幢|室|单元|弄|楼|层|座|户|期|排|组|巷|里)")
_ESTATE = re.compile("小区|公寓|大厦|花园|社区|新村|家园|苑|大道|路|街|巷|弄|村")


def _addresses(text: str) -> list[tuple[int, int]]:
    """Spans of bracketed contents of ``text`` that hold an address (:data:`_BRACKETED`), its dates and times
    left out of the test."""
    out = []
    for m in _BRACKETED.finditer(text):
        group = next(g for g in range(1, 4) if m.group(g) is not None)
        inner = _STAMP.sub("", m.group(group))
        if _ADDRESS_UNIT.search(inner) or (_ESTATE.search(inner) and any(ch.isdigit() for ch in inner)):
            out.append(m.span(group))
    return out


# Fields whose cells are ids: never masked (a waybill is 12+ digits by nature).
ID_KEYS = frozenset({"order_id", "case_id", "tracking_no", "return_tracking_no", "phone"})
# Fields whose cells are names (a product's, a platform's, a carrier's), no free text (contract §7 masks free text:
# 退货原因, 问题描述, 买家留言): kept as written — a marker in them is part of the name (手机壳, 儿童电话手表,
# 地址标签贴纸, 收件人信息打印纸) — only a digit run of 7 or more (a phone number) masked.
NAME_KEYS = frozenset({"goods_name", "platform", "carrier", "return_carrier"})


def long_digits(text: str) -> bool:
    """Whether ``text`` holds a run of 7 or more digits (grouped by spaces or dashes or not)."""
    return any(sum(ch.isdigit() for ch in m.group(0)) >= phrases.LONG_RUN for m in _DIGIT_RUN.finditer(text))


def _keywords(key: str | None) -> tuple[str, ...]:
    """The words a field's reader looks for inside a text: its state words (the phrase grammar's
    stems) and the exact texts it reads."""
    book = wordbook.WORDS.get(key) if key else None
    if book is None:
        return ()
    words = set(book.grammar.stems) if book.grammar else set()
    words |= {vocab.fold(w) for w in (*book.exact, *book.canonical)}
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


def _kept(text: str, keywords: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` that must survive: the field's keywords with the modifiers around one, doubt words.

    Found as the readers find them, in the text without its spaces (``质 量问题`` reads
    as 质量问题, ``不 是质量`` as negated), and mapped back to the text's own positions."""
    at = [i for i, ch in enumerate(text) if not ch.isspace()]
    folded = "".join(text[i] for i in at)
    found = [m.span() for m in _DOUBT.finditer(folded)]
    for word in keywords:
        start = folded.find(word)
        while start >= 0:
            before = _MODIFIED_BEFORE.search(folded[max(0, start - 12):start])
            after = _MODIFIED_AFTER.match(folded, start + len(word))
            found.append((start - (len(before.group(0)) if before else 0), after.end() if after else start + len(word)))
            start = folded.find(word, start + 1)
    return [(at[a], at[b - 1] + 1) for a, b in found if b > a]


def _stamps(text: str) -> bytearray:
    """Where ``text`` holds a date or a time of day (1 per character): a whole one, no digit right beside it,
    a date's month and day such as a calendar has."""
    out = bytearray(len(text))
    for m in _STAMP.finditer(text):
        a, b = m.span()
        if (a and text[a - 1].isdigit()) or (b < len(text) and text[b].isdigit()):
            continue
        day = _YEAR_DAY.match(m.group())
        if day and not (1 <= int(day[2]) <= 12 and 1 <= int(day[3]) <= 31):
            continue
        out[a:b] = b"\x01" * (b - a)
    return out


def _looks_like_name(word: str) -> bool:
    size = len(word) - (word[:2] in _COMPOUND)  # (欧阳娜娜: a compound surname counts as one)
    return (2 <= size <= 3 and (word[0] in _SURNAMES or word[:2] in _COMPOUND) and word not in _NOT_NAMES
            and not _MARKER_RE.search(word) and word not in vocab.PROVINCES)


def _name_beside(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The bare names (spans) standing right before or after the phone number at ``start:end``: a run of 2–3
    Chinese characters alone (no Chinese character right beyond it), only spaces, colons or a comma between."""
    out = []
    j = start
    while j and text[j - 1] in " \t:：,，":
        j -= 1
    k = j
    while k and _HAN.match(text[k - 1]):
        k -= 1
    if _looks_like_name(text[k:j]):
        out.append((k, j))
    j = _BETWEEN.match(text, end).end()  # type: ignore[union-attr]  # (it matches the empty text too)
    k = j
    while k < len(text) and _HAN.match(text[k]):
        k += 1
    if _looks_like_name(text[j:k]):
        out.append((j, k))
    return out


def _runs(text: str, stamp: bytearray) -> list[tuple[int, int]]:
    """Spans of digit runs of 7 digits or more (grouped or not), dates and times left out of them."""
    out = []
    for m in _DIGIT_RUN.finditer(text):
        a = m.start()
        while a < m.end():
            while a < m.end() and stamp[a]:
                a += 1
            b = a
            while b < m.end() and not stamp[b]:
                b += 1
            if sum(ch.isdigit() for ch in text[a:b]) >= phrases.LONG_RUN:
                out.append((a, b))
            a = b
    return out


def mask(text: str, keywords: Iterable[str] = (), markers: bool = True, places: bool = False) -> str:
    """``text`` with digit runs of 7+ and what follows a personal-data marker replaced by ``＊``.

    ``keywords``: words that are never masked (the SOP words the text is read for).  ``markers``: False for a
    name (:data:`NAME_KEYS`): its digit runs only.  ``places``: an address in brackets too (:func:`_addresses`:
    a quote's).
    """
    text = vocab.nfkc(text)  # (a zero-width space inside a phone number hides no digit)
    where = _addresses(text) if places else []
    if not (markers and _MARKER_RE.search(text)) and not _LONG.search(text) and not where:
        return text
    hide = bytearray(len(text))
    for a, b in where:
        hide[a:b] = b"\x01" * (b - a)
    for m in _MARKER_RE.finditer(text) if markers else ():
        lead = _LEAD.match(text, m.end())  # it matches the empty text too
        start = lead.end() if lead else m.end()
        if _SAID_OF_IT.match(text, start):  # 地址不全, 电话无人接听: a word about it, no personal data
            continue
        stop = _SEPARATOR.search(text, start)
        end = stop.start() if stop else len(text)
        if m.group().upper() in _ADDRESS_MARKERS and not _GIVEN.search(text, m.end(), start) \
                and _TALK.match(text, start) and not _PLACE.search(text, start, end):
            continue  # (地址写错了: what went wrong with it, no address given)
        for i in range(start, end):
            hide[i] = 1
    stamp = _stamps(text)
    for a, b in _runs(text, stamp):
        for i in range(a, b):
            hide[i] = 1
        if _PHONE.fullmatch("".join(ch for ch in text[a:b] if ch.isdigit())):
            for n, e in _name_beside(text, a, b):
                for i in range(n, e):
                    hide[i] = 1
    for i in range(len(text)):
        if stamp[i]:
            hide[i] = 0  # a date or a time, also where a marker's words run on
    for a, b in _kept(text, keywords):
        for i in range(max(a, 0), min(b, len(text))):
            hide[i] = 0
    out: list[str] = []
    hidden = False
    for ch, h in zip(text, hide):
        if h and ch.isspace():
            # a space stays: it separates clauses for the readers, so the masked text reads as it did
            out.append(ch)
            hidden = False
        elif h:
            if not hidden:
                out.append(MASK)
            hidden = True
        else:
            out.append(ch)
            hidden = False
    return "".join(out)


@functools.lru_cache(maxsize=1 << 16)
def mask_field(key: str | None, text: str) -> str:
    """:func:`mask` for a text of field ``key`` (its reader's keywords kept); ids are never masked, names
    (:data:`NAME_KEYS`) lose their digit runs only."""
    if key in ID_KEYS:
        return text
    if key in NAME_KEYS:
        return mask(text, markers=False)
    return mask(text, _keywords(key))


@functools.lru_cache(maxsize=1 << 14)
def _mask_quoted(key: str | None, text: str) -> str:
    """:func:`mask_field` for a quote: an address in brackets hidden too (:func:`_addresses`)."""
    if key in NAME_KEYS:
        return mask_field(key, text)
    return mask(text, _keywords(key), places=True)


def mask_quote(key: str | None, value: object) -> object:
    """An unreadable value of field ``key`` as a report quotes it (the engine's quote,
    :func:`~refund_xl._core.engine.quote`): personal data hidden in the whole text first, then cut —
    a quote cut first hides nothing it cut away from a marker, and a phone number cut in two is no run of 7; an
    address in a trace's brackets hidden too (【上海浦东新区世纪大道100号XX小区3栋】: a trace's quote is long enough to
    show it).

    A cell quoted whole (:class:`~refund_xl._core.engine.Clipped`: ``whole``), two columns' cells quoted together
    (:class:`vocab.Both` with ``parts``: each cell hidden, then cut), a word of the field (its choices) and a word
    that says one of several (:class:`vocab.Either`, a word of the table) as they are."""
    if not isinstance(value, str) or value.__class__ is vocab.Either or key in ID_KEYS:
        return value
    if isinstance(value, vocab.Both):
        if not value.parts:  # (words only)
            return value
        parts = tuple(_cut(_mask_quoted(key, p)) if n % 2 == 0 else p for n, p in enumerate(value.parts))
        out = vocab.Both("".join(parts), value.words)
        out.parts = parts
        return out
    whole = getattr(value, "whole", value)
    fld = FIELD_BY_KEY.get(key) if key else None
    if fld is not None and whole in fld.choices:
        return value
    return _cut(_mask_quoted(key, whole))


def _cut(text: str) -> str:
    return engine.quote(text)
