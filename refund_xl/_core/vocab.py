"""Cell values → canonical values.

Pure functions, no I/O.  Each parser takes one cell value as a host hands it
over (str, float, int, datetime, date, bool or None) and returns the canonical
value, ``None`` for a blank cell, or :data:`BAD` for a value that is present but
cannot be read.  Parsers are memoised per distinct value by ``engine`` so a
100k-row column with twenty distinct words costs twenty parses.
"""

from __future__ import annotations

import decimal
import functools
import math
import re
from collections import Counter
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Hashable, Iterable, Mapping, NamedTuple, TypeVar

K = TypeVar("K", bound=Hashable)

__all__ = [
    "Both",
    "Either",
    "Awaiting",
    "BAD",
    "fold",
    "edit_distance",
    "sole_best",
    "parse_text",
    "parse_id",
    "kept_as_id",
    "parse_phone",
    "is_lossy_id",
    "shown_id",
    "parse_money",
    "parse_number",
    "money_text",
    "DOUBT_SEP",
    "parse_datetime",
    "parse_deadline",
    "DATE_PARSERS",
    "parse_province",
    "never_raises",
    "YearLess",
    "WholeDay",
    "whole_day",
    "day_ends",
    "resolve_dates",
    "is_blank", "no_value", "no_value_said", "PLACEHOLDERS", "NONE_WORDS", "NOTHING_RECORDED",
    "PROVINCES",
    "EXCEL_ERRORS", "COM_ERRORS", "plain_cell", "header_key",
]


class _Bad:
    """Marker for a present but unreadable value."""

    __slots__ = ()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "BAD"

    def __bool__(self) -> bool:
        return False


BAD = _Bad()


class _Nothing(str):
    """Marker for an answer that records nothing of the field (是否退款「否」: not refunded, open or closed
    the cell does not say): the cell reads as a blank one, the field's default or another column's word."""

    __slots__ = ()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "NOTHING"


NOTHING = _Nothing()


class Both(str):
    """Two columns of one field, each saying another word in one row, quoted together (运输中／物流信息:已签收):
    the row's fact is one of ``words`` (empty: not known which values), and the reading report tells such rows
    apart from unreadable cells."""

    words: frozenset
    # the quote's parts whole (engine._pair): alternately a cell's text, uncut, and the words between; () for words only
    parts: tuple[str, ...] = ()

    def __new__(cls, text: str, words: Iterable[object] = ()) -> "Both":
        out = super().__new__(cls, text)
        out.words = frozenset(words)
        return out

class Either(Both):
    """One cell saying one of several words and not which (售后状态 已完成: refunded, or done another way): the row's
    fact is one of ``words``, the cell quoted as typed (the reading report tells it apart from two columns)."""


class Awaiting(str):
    """A word read from a text that says a courier has not collected the parcel yet (退货物流状态 待揽收, 已预约上门取件):
    the word itself for every rule, and a sign that a waybill is made for it — a filled 退货物流单号 beside it is no
    sign the return was sent (rules._CONTRADICTED spares it)."""

    __slots__ = ()


# Error values Excel (and xlwings, which hands them over as strings or None)
# can put in a cell.  They count as blanks: the formula that made them failed.
EXCEL_ERRORS = frozenset(
    {"#N/A", "#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#NUM!", "#NULL!",
     "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!",
     "#BUSY!", "#CONNECT!", "#N/A!"}
)

_SPACES = re.compile(r"\s+")
# Characters that show nothing, pasted along from web pages and chat apps: zero-width spaces and joiners, the
# word joiner, a byte-order mark inside the text, a soft hyphen, emoji variation selectors (✔️ is ✔ and U+FE0F).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\ufe00-\ufe0f]")


def nfkc(text: str) -> str:
    """A cell's text as read: full-width → half-width (NFKC), the characters that show nothing taken out (a desk
    sees 已签收 where a pasted cell holds 已签收 and a zero-width space)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def fold(text: str) -> str:
    """Full-width → half-width (NFKC), invisible characters out, trimmed, inner runs of space removed."""
    return _SPACES.sub("", nfkc(text))


def edit_distance(a: str, b: str) -> int:
    """How many one-character slips turn ``a`` into ``b``: a character typed wrong, added, left out, or two
    neighbours swapped (hihg → high) — what a name typed by hand is off by (阀值 for 阈值 is one)."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def sole_best(scores: Mapping[K, int], *, lowest: bool = True) -> K | None:
    """The one key whose score is best (the lowest, or with ``lowest=False`` the highest), or None when
    there is no key or two share the best score: a name suggested to a desk must point at one thing."""
    if not scores:
        return None
    top = (min if lowest else max)(scores.values())
    hits = [k for k, v in scores.items() if v == top]
    return hits[0] if len(hits) == 1 else None


def never_raises(parse):
    """A cell no parser foresaw (a 400-digit int, an object) is unreadable, never a crash."""

    @functools.wraps(parse)
    def safe(value: object):
        try:
            return parse(value)
        except Exception:
            return BAD

    return safe


def is_blank(value: object) -> bool:
    """A cell with nothing in it (None, NaN, only spaces); an error value is not blank.  The one
    test of "blank" everywhere (the batch, import, track and archive use it too)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    return False


# What a person or an export writes in a cell to say "nothing here": read as a blank cell in every
# field (a waybill of 「-」 is no waybill).  Compared trimmed and lower-case.
PLACEHOLDERS = frozenset({"-", "--", "---", "—", "——", "–", "/", "//", "\\", "n/a", "na", "null", "none", "nil",
                          "nan", "#", "*", "(空)", "（空）", "(无)", "（无）"})
# The same said in words: blank where a value is a number, a date, an id or free text (退货物流单号「无」 is
# no return waybill); a state word reads them through its own table (拦截状态「无」 is 未拦截).
NONE_WORDS = frozenset({"无", "暂无", "空", "没有", "未填", "未填写", "无单号", "暂无单号"})
# In a desk's own record (客户反馈, 验货结果 …) the words for "nothing here" that answer no question
# (没有 may answer one: 收到了吗？没有).
NOTHING_RECORDED = frozenset({"无", "暂无", "空", "未填", "未填写"})


def no_value(value: object) -> bool:
    """A blank cell (:func:`is_blank`) or a placeholder that says so (:data:`PLACEHOLDERS`)."""
    if value.__class__ is str and len(value) <= 8:
        text = value.strip()
        return not text or text.lower() in PLACEHOLDERS
    return is_blank(value)


def no_value_said(value: object) -> bool:
    """:func:`no_value`, or nothing said in words (:data:`NONE_WORDS`): for fields whose values are no words."""
    return no_value(value) or value.__class__ is str and value.strip() in NONE_WORDS


def header_key(header: str) -> str:
    """A header as matched to a field or a platform's header: folded, lower-case, a unit after it
    (（元）, /元), a template's required mark (*订单号), a note on filling it in (（必填）, 【选填】,
    （yyyy-mm-dd）), a colon after it and a number before it (1. 订单号, ①订单号) dropped."""
    key = fold(header).lower()
    for _ in range(3):  # marks inside marks: *订单号（必填）：
        bare = _HEADER_MARKS.sub("", key)
        if bare.endswith("?"):  # a question's own question mark: the same column (是否已发货？, 能否寄回？, 仓库签收？)
            bare = bare.rstrip("?")  # (fold: ？ is ?)
        if bare == key:
            break
        key = bare
    return key


_HEADER_NOTE = (r"必填项?|选填项?|非必填|可选|可不填|手填|手动填写|手动|自动|系统自动|系统|只读|格式[^)\]】]*|"
                r"是/否|是或否|是、否|y/n|yes/no|填是或否|填是/否|"  # (the answers a yes/no question takes: 是否定制（是/否）)
                r"yyyy[^)\]】]*|例[:：]?[^)\]】]*|如[:：][^)\]】]*|元|¥|rmb|cny|人民币|单位[:：]?元")
# a unit after a slash or a sign (退款金额/元, 金额¥); in brackets it is a note like any other (退款金额（元）)
# signs a sheet decorates a header with (★订单号, 物流状态 ▼, 超时时间⏰, 申请时间↓: a star, a sort arrow, an emoji)
_HEADER_DECOR = "[#!！\u2190-\u21ff\u2300-\u23ff\u25a0-\u25ff\u2600-\u27bf\U0001F300-\U0001FAFF\ufe0f]+"
_HEADER_MARKS = re.compile(rf"(?:/(?:元|¥|rmb)|¥)$|^[*※]+|[*※]+$|^{_HEADER_DECOR}\s*|\s*{_HEADER_DECOR}$|"
                           rf"[(\[【](?:{_HEADER_NOTE})[)\]】]$|[:：]$|^\d{{1,2}}(?:[.、)]|(?=[\u4e00-\u9fff*※]))")  # ①订单号 folds to 1订单号


# What COM hands over for a cell error (VT_ERROR as an int), by code.
COM_ERRORS = {-2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?", -2146826288: "#NULL!",
              -2146826252: "#NUM!", -2146826265: "#REF!", -2146826273: "#VALUE!", -2146826245: "#GETTING_DATA"}


def plain_cell(value: object) -> object:
    """A cell value as the readers take it: COM's error code (an int) → the error's text, a currency
    cell's Decimal → a float, text an export kept from Excel's conversions (``="2025-06-08 10:00"``,
    ``'4242994886263078938``) → the text inside; anything else as it is.  Applied once per distinct
    value of a column read (:mod:`refund_xl._core.engine`), so a host hands its cells over as they come."""
    if value.__class__ is str:
        return _kept_as_text(value) if value[:1] in _TEXT_MARKS else value
    if value.__class__ is int:
        return COM_ERRORS.get(value, value)
    if isinstance(value, Decimal):
        try:
            return float(value)
        except ValueError:  # Decimal('sNaN'): no number; read as the unreadable value it is
            return str(value)
    return value


_TEXT_MARKS = ("=", "'")  # what export tools put around or before a value to keep it text in Excel


def _kept_as_text(text: str) -> str:
    """``="…"`` (a formula giving the text) or a leading ``'`` (Excel's text prefix) taken off; a
    value is never written so for what it says."""
    if text.startswith('="') and text.endswith('"') and len(text) > 3:
        return text[2:-1]
    if text.startswith("'") and len(text) > 1 and not text[1].isspace():
        return text[1:]
    return text


def _error(value: object) -> bool:
    """An Excel error value (#N/A, #VALUE! …): the formula that made it failed, so the
    fact is unreadable — never an empty cell that takes a default."""
    return value.__class__ is str and "#" in value[:8] and value.strip().upper() in EXCEL_ERRORS


@never_raises
def parse_text(value: object):
    """Free text (reasons, carriers, addresses): trimmed, width-folded."""
    if no_value_said(value):
        return None
    if _error(value):
        return BAD
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = nfkc(str(value)).strip()
    return text or None


# Excel keeps 15 significant digits: a number of 16 or more digits lost the rest.
LOSSY_FLOAT = 1e15
# An id Excel showed in scientific notation and someone saved as text: 4.80299E+18.
# (a tool may write the exponent without its sign, 4.802990940898679E18, where a point says it is a number)
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]\d{1,3}$|^[+-]?\d+\.\d+[eE]\d{1,3}$|^\d{16,}\.0+$")


def is_lossy_id(value: object) -> bool:
    """Whether an id cell lost digits to Excel (contract §2 "Ids"): a float of 16 or more
    digits, or text in scientific notation.  Such a value is never a key and never written back."""
    if value.__class__ is float:
        return math.isfinite(value) and abs(value) >= LOSSY_FLOAT
    if isinstance(value, str) and ("e" in value or "E" in value or "." in value):
        return bool(_SCIENTIFIC.match(fold(value)))
    return False


_PADDED = re.compile(r"[0-9]{15}0+")  # Excel's 15 significant digits, the rest written as zeros
# the same, a line of text: a literal newline first (the engine scans for it fast)
_PADDED_LINE = re.compile(rf"\n({_PADDED.pattern})(?=\n)")


def is_padded_id(value: object) -> bool:
    """Whether an id is text of 16 or more digits whose digits after the 15th are all zeros: how an id
    that went through Excel as a number comes back once written out in full (4802990940898680000).
    Alone it may be a real id; :func:`padded_ids` tells from the whole column."""
    return value.__class__ is str and _PADDED.fullmatch(value) is not None


_DIGIT_LINES = b"0123456789\n"
_CHANCE = 1e-3  # how unlikely by chance the column's count of zero-padded ids must be to take them for cut ones


def padded_ids(ids: Iterable[str | None], cut_seen: bool = False) -> set[str]:
    """The ids of a column (as read: text or None) that Excel cut to 15 digits and padded with zeros
    (contract §2 "Ids"): text of 16 or more digits, zeros after the 15th (:func:`is_padded_id`), where
    their count is no chance — or, in a column that holds ids Excel cut short besides (``cut_seen``: a
    ``4.80299E+18``, a float of 16 digits or more: the column went through Excel as numbers), those of 18
    digits or more, each as unlikely by chance as a lone one (once in a thousand: asked, never decided on).

    A real id of ``n`` digits ends so once in 10^(n-15): with the count chance
    gives (Poisson), as many as found come by chance less than once in a thousand columns (one id of 18
    digits or more; four of twenty 17-digit ids; all of a column)."""
    # (the ids of digits alone: a text of letters or marks, SF1234567890123456 or a date typed there, is no id Excel
    # could have cut, and its length says nothing of how often digits end in zeros)
    texts = list(filter(None, ids))
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:  # a line break inside an id (none as read): whole lines only
        texts = [t for t in texts if "\n" not in t]
        joined = "\n".join(texts)
    # a padded id is a whole line of digits, so the lines of letters or marks find none: most columns end here
    found = _PADDED_LINE.findall("\n" + joined + "\n")
    if not found:
        return set()
    long_ = {f for f in found if len(f) >= 18 and f.isascii()} if cut_seen else set()
    # the usual column, ASCII digits alone, told at C speed (bytes.translate drops the digits and the line breaks)
    if not (joined.isascii() and not joined.encode().translate(None, _DIGIT_LINES)):
        texts = [t for t in texts if t.isascii() and t.isdigit()]
        joined = "\n".join(texts)
    lengths = set(map(len, texts))  # the usual column: ids of one length (a set is made faster than a Counter)
    counts = {lengths.pop(): len(texts)} if len(lengths) == 1 else Counter(map(len, texts))
    k, longest = len(found), max(counts)
    # the least chance can give: as few ids of 16 digits or more as the column's length allows, all of the
    # longest length (the usual column, ids of one length, gives exactly its count)
    least = max(0.0, (len(joined) + 1 - 16 * len(texts)) / (longest - 15)) * 10.0 ** (15 - longest)
    if _by_chance(k, least) > _CHANCE:
        return long_
    expected = sum(count * 10.0 ** (15 - n) for n, count in counts.items() if n >= 16)
    return set(found) if _by_chance(k, expected) <= _CHANCE else long_


def _by_chance(k: int, expected: float) -> float:
    """P(K >= k) for K ~ Poisson(expected), bounded above for k > expected (the first term times the
    geometric bound of the rest); 1 for k <= expected, 0 when nothing is expected."""
    if expected <= 0.0:
        return 0.0
    if k <= expected:
        return 1.0
    first = math.exp(-expected + k * math.log(expected) - math.lgamma(k + 1))
    return first / (1.0 - expected / (k + 1))


def shown_id(value: object) -> object:
    """An id cell as Excel shows it: a number that lost digits as its scientific text
    (4.80299E+18, never the invented digits of the float); anything else unchanged."""
    if value.__class__ is float and is_lossy_id(value):
        return f"{value:.6G}"
    return value


@never_raises
def parse_id(value: object):
    """Order / case / tracking numbers: always text, never a float.

    A number handed over by Excel is written without ``.0``.  A number that lost
    digits (:func:`is_lossy_id`) is unreadable: the digits are gone before we see them; so is
    a cell with a space or a line break inside (two numbers, or one broken up: which is it?).
    """
    if kept_as_id(value):
        return value
    if no_value_said(value):
        return None
    if isinstance(value, bool) or _error(value):
        return BAD
    if isinstance(value, float):
        if not math.isfinite(value) or is_lossy_id(value):
            return BAD
        if value.is_integer():
            return _not_zeros(str(int(value)))
        return repr(value)
    if isinstance(value, int):
        return _not_zeros(str(value))
    if is_lossy_id(value):
        return BAD
    # ="4242994886263078938", '4242994886263078938: how export tools keep Excel from making it a float
    # (taken off here too for a caller that hands a cell over without plain_cell; ＝＂…＂ folded first)
    raw = nfkc(str(value)).strip()
    if _SPACES.search(raw):  # 4242 4243, two numbers on two lines: never run together into one
        return BAD
    text = _kept_as_text(fold(raw))
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if _GROUPED.fullmatch(text):  # a long number shown with thousands separators: its digits (maybe padded: the column says)
        text = text.replace(",", "")
    elif _TWO_IDS.search(text):  # two numbers in one cell (4242…938,4242…939; SF123…/SF456…): which is it?
        return BAD
    if not text:
        return None
    if not any(map(str.isdigit, text)):
        # words, no number: 未发货, 待填, 无单号 say there is none yet; 见备注, 顺丰, 已发货 hold none to read
        return None if _NO_NUMBER_YET.search(text) else BAD
    return _not_zeros(text)


def kept_as_id(value: object) -> bool:
    """Whether a cell is an id as it stands (4177034256340093436, SF1234567890): text of ASCII letters and digits with a
    digit (no sign or point: no exponent) that is not zeros alone (:func:`_not_zeros`)."""
    return value.__class__ is str and value.isascii() and value.isalnum() and not value.isalpha() \
        and bool(value.strip("0"))


def _not_zeros(text: str):
    """An id of zeros alone (0, 000000: what a lookup formula shows for a blank) is no number: unreadable."""
    return text if text.strip("0") else BAD


# Digits in groups of three, as a number format shows a long number (4,802,990,940,898,680,000): ten digits at least.
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3}){3,}")
# Two ids in one cell, a mark between them (4242994886263078938,4242994886263078939; SF1234567/SF7654321).
_TWO_IDS = re.compile(r"[0-9a-z]*[0-9][0-9a-z]{5,}[,;、/|][0-9a-z]*[0-9][0-9a-z]{5,}", re.I)
# What a word in an id's cell says when it says there is no number yet (未发货, 待填, 无单号, 暂无, 没有).
_NO_NUMBER_YET = re.compile("[未没无待暂]")
_DIGIT_GAPS = re.compile(r"(?<=\d)\s+(?=\d)")


@never_raises
def parse_phone(value: object):
    """A phone number, read as an id (:func:`parse_id`) with the spaces that group its digits taken
    out (138 0000 0000): a phone is one number, where an order number with a space may be two."""
    if value.__class__ is str:
        value = _DIGIT_GAPS.sub("", value)
    return parse_id(value)


# Chinese amounts: a currency sign before, a unit after (元, 元整 as on a receipt, 块, the currency's code; 万 before it:
# ten thousands), digits with thousands groups of
# three after a comma and a decimal point between.  1.299,00 (a European amount), 1,29 or 1.2.3 are
# formats the reader does not know, nor a unit inside the number (59元5 is not 595): unreadable,
# never a guess (1.299,00 is not 1.3 元).
# What the amount is, named before it (实付99, 退款金额：99元, 共199): the amount the column holds, paid or refunded.
MONEY_LABELS: tuple[str, ...] = ("实付", "实付款", "实付金额", "实收", "退款", "退款金额", "应退", "应退金额", "实退",
                                 "实退金额", "金额", "付款", "付款金额", "支付", "支付金额", "共", "共计")
# A note after it in brackets that leaves the amount as it is: whether shipping is in it (99元（含运费）).
MONEY_NOTES: tuple[str, ...] = ("含运费", "含邮费", "包邮", "不含运费", "不含邮费", "运费另计", "邮费另计")
_MONEY_TEXT = re.compile(r"^(?:(?:" + "|".join(map(re.escape, sorted(MONEY_LABELS, key=len, reverse=True)))
                         + r")\s*[:：]?\s*)?"
                         r"(?:[¥￥]|RMB|CNY|人民币)?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(万)?"
                         r"(?:(?:元|圆)整?|块钱|块|[¥￥]|\s*(?:RMB|CNY|人民币))?"
                         r"(?:\s*[(（](?:" + "|".join(map(re.escape, MONEY_NOTES)) + r")[)）])?$", re.IGNORECASE)


# Money is in fen: an amount is read to the fen, as the desk sees it (an Excel cell =19.99*10+0.1 is stored
# 199.99999999999997 and shown 200.00; "amount ≥ high_value" compares what is shown).  Typed with three decimals
# (1.299, 12.300) it is a European thousands group (1299) or a slip, the sheet does not say which: unreadable, never
# 1.3 元; with more, only as a number's digits written out whole (199.99999999999997, as pandas and ERPs write a
# float): the fen they stand for.  A number cell is a number: its fen.
_FEN_NOISE = 1e-6  # (a float's digits written out stand for a fen within this)


def _amount(value: object, fen: bool):
    """An amount as written (:func:`parse_money`); ``fen``: to the fen (else the number as written: a setting)."""
    if no_value_said(value):
        return None
    if isinstance(value, bool) or _error(value):
        return BAD
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        match = _MONEY_TEXT.match(nfkc(str(value)).strip())
        if match is None:
            return BAD
        digits = match.group(1).replace(",", "")
        number = float(digits)
        if match.group(2):  # 1.2万: ten thousands
            number = float(decimal.Decimal(digits) * 10000)
        elif fen and "." in digits:
            places = len(digits) - digits.index(".") - 1
            if places == 3 or places > 3 and not abs(number - round(number, 2)) < _FEN_NOISE:
                return BAD
    if not math.isfinite(number) or number < 0:
        return BAD
    return round(number, 2) if fen else number


@never_raises
def parse_money(value: object):
    """Amounts, to the fen: numbers, or text such as ``¥1,299.00``, ``59元``, `` 88 ``, ``1.2万`` (12000)."""
    return _amount(value, True)


@never_raises
def parse_number(value: object):
    """A setting's number, written as an amount may be (``1,000``, ``1000元``, ``４８``), as written (not to the fen:
    an hour may be 0.125)."""
    return _amount(value, False)


# Between the values of a cell kept in two minds (59｜599, 未发货｜已发货): what two columns, or two rows, of an export
# said, as import writes them into the book (intake_read._doubt, intake_merge._conflict).  Amounts so joined read as
# the amounts two columns give (engine._joined_amounts); any other such cell is unreadable.
DOUBT_SEP = "｜"


def money_text(amount: float) -> str:
    """An amount as the desk reads it: to the fen, trailing zeros dropped (199.99, 200, 59.9; never 199.99 as 200)."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")


_EXCEL_EPOCH = datetime(1899, 12, 30)


class WholeDay(datetime):
    """A date written without a time of day: it stands for the whole day (contract §2 "Dates").

    The value is the day's 00:00; a rule reading it decides only where both ends of the
    day (00:00 and 23:59:59) give the same band.  It is never equal to that 00:00 (nor hashes
    as it): a reading memoised per value keeps 6月8日 and 2025-06-08 00:00 apart.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return other.__class__ is WholeDay and datetime.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash((WholeDay, self.toordinal()))

    @property
    def end(self) -> datetime:
        return datetime(self.year, self.month, self.day, 23, 59, 59)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"WholeDay({self.year}, {self.month}, {self.day})"


def whole_day(when: datetime | date) -> WholeDay:
    return WholeDay(when.year, when.month, when.day)


def day_ends(when: datetime) -> tuple[datetime, datetime]:
    """(earliest, latest) moment a parsed date stands for: one moment, or a whole day."""
    if when.__class__ is WholeDay:
        return datetime(when.year, when.month, when.day), when.end
    return when, when


# A time of day as people write it: 10:00, 10:00:30, 10点, 10点30分, 10点半, 10时5分,
# with 上午/下午/晚上/中午/凌晨/早上 before it.
# the half-day words people write before an hour (the longer first: 晚上 before 晚)
_HALF_DAY = r"上午|下午|晚上|傍晚|中午|凌晨|早上|早晨|夜里|夜间|晚|早|夜"
_HALF = r"(?:" + _HALF_DAY + r"|am|pm|AM|PM)"
_CLOCK = (r"(?P<half>" + _HALF + r")?\s*(?P<h>\d{1,2})(?:(?:(?:[:：]|\.(?=\d\d(?!\d)))(?P<mi>\d{1,2})(?:[:：](?P<s>\d{1,2})(?:\.\d+)?)?)"
          r"|(?:[点时](?:(?P<mi2>\d{1,2})分?(?:(?P<s2>\d{1,2})秒)?|(?P<ban>半))?))(?P<half2>\s*(?:am|pm|AM|PM))?")
# before the time of day: a space or T; nothing after 日/号, or before a half-day word (6.8下午3点)
_TIME = r"(?:(?:[T\s]+|(?<=[日号])|(?=" + _HALF_DAY + r"))" + _CLOCK + r")?"
# (20250608, and a system's stamp with the time of day run on: 202506081030, 20250608103000)
_YEAR_DATE = re.compile(r"^(?P<y>\d{4})(?:[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})[日号]?"
                        r"|(?P<mo8>\d{2})(?P<d8>\d{2})(?:(?P<hc>\d{2})(?P<mic>\d{2})(?P<sc>\d{2})?(?=$))?)"
                        + _TIME + r"$")
# The text form most cells with a date take (2025-06-03 10:00), read without the general grammar: its
# day and its time of day, each read once (a subset of _YEAR_DATE; False: not of this form).
_USUAL_DAY = re.compile(r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})[日号]?").fullmatch
_USUAL_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2}))?").fullmatch
_USUAL_DAYS: dict[str, object] = {}
_USUAL_CLOCKS: dict[str, object] = {}


def _usual(text: str, match, make, memo: dict) -> object:
    """One part of a usual date text read and remembered (False: not of that form, or impossible)."""
    m = match(text)
    got: object = False
    if m is not None:
        try:
            got = make(*m.groups())
        except ValueError:
            pass
    if len(memo) > 50_000:
        memo.clear()
    memo[text] = got
    return got


def _day_of(y: str, mo: str, d: str) -> date | bool:
    day = date(int(y), int(mo), int(d))
    return day if 1990 <= day.year <= 2099 else False  # outside: the long way says so


def _clock_of(h: str, mi: str, sec: str | None) -> time:
    return time(int(h), int(mi), int(sec or 0))


# A part of the day ending a date, with no hour (6月8日上午, 6月8日晚上, 2025-06-08 中午).
_PART_OF_DAY = re.compile(rf"(?:{_HALF_DAY})(?:时分|时段|时候)?$")
# No year, as people type: 6月8日 10:00, 6月8号 10点, 6月8日 下午3点, 06-08 10:00, 6.8 10:00, 6/8.
_YEARLESS_DATE = re.compile(r"^(?P<mo>\d{1,2})(?:月(?P<d>\d{1,2})[日号]?|[-/.](?P<d2>\d{1,2}))" + _TIME + r"$")
# ISO 8601 as systems write it: a fraction only of the seconds, an offset or Z at the end.
_ISO = re.compile(r"\d{4}-?\d\d-?\d\d(?:[T ]\d\d(?::?\d\d(?::?\d\d(?:\.\d+)?)?)?)?(?:[Zz]|[+-]\d\d(?::?\d\d)?)?").fullmatch
# A day of the week written beside a date: 星期日, 周日, 礼拜天, (周日).
_WEEKDAY = re.compile(r"\(?(?:星期|周|礼拜)([一二三四五六日天])\)?")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# 6/3/2025 or 3/6/2025: day-first or month-first cannot be told apart.
_AMBIGUOUS = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
CHINA = timezone(timedelta(hours=8))


class YearLess(NamedTuple):
    """A date typed without a year: resolved against ``now`` by :func:`resolve_year`."""

    month: int
    day: int
    hour: int = 0
    minute: int = 0
    second: int = 0
    timed: bool = True  # False: no time of day was written (the whole day)
    weekday: int | None = None  # the day of the week written beside it (0 Monday … 6 Sunday)

    def __str__(self) -> str:
        text = f"{self.month}月{self.day}日"
        return text + (f" {self.hour:02d}:{self.minute:02d}" if self.timed else "")


def _on_day(year: int, month: int, day: int, clock: tuple[int, int, int]) -> datetime:
    """The moment of a date and a time of day read by :func:`_clock` (24:00: the next day's 00:00)."""
    if clock[0] == 24:
        return datetime(year, month, day) + timedelta(days=1)
    return datetime(year, month, day, *clock)


def _at(year: int, value: YearLess) -> datetime:
    if value.timed:
        return _on_day(year, value.month, value.day, (value.hour, value.minute, value.second))
    return WholeDay(year, value.month, value.day)


# How far after ``now`` an event's time may stand and still be "now" (the desk's clock, or a 基准时间 of 00:00 by
# =TODAY(), behind the sheet's times): beyond it, an event time is a typo (refund_xl._core.engine).
EVENT_SKEW = timedelta(hours=24)


# The furthest from ``now`` a year-less date is read: an event no more than this before it (about ten months), a
# deadline no more than this before or after it.  Further, the cell is a typo or a day the year lacks (2月29日 seen in
# 2026: the nearest is two years away), never a stall of 8,000 hours nor a deadline 17,000 hours overdue.
YEARLESS_BACK = timedelta(days=300)


def resolve_year(value: YearLess, now: datetime | None, nearest: bool = False):
    """The year of a date typed without one.

    An event (``nearest`` False: 申请时间, 物流更新时间, 拦截时间) is the latest such date
    not after ``now`` (within :data:`EVENT_SKEW` after it, as a dated event's time is: 「1月2日 10:00」 at
    基准时间 1月2日 00:00 is today, never a year ago), and no more than :data:`YEARLESS_BACK` before it; a deadline
    (``nearest`` True: 超时时间) is the occurrence nearest to ``now``, before or after, and no more than
    :data:`YEARLESS_BACK` from it.  A day of the week written beside it must be that occurrence's: it never moves
    the date to a year where it fits (「1月1日(周五) 20:00」 seen on Thursday 1 Jan 2026 is unreadable, not 2027 —
    a deadline 11 hours away read as a year away).  A year-less date needs a reference time.
    """
    if now is None:
        return BAD
    candidates = []
    for year in (now.year + 1, now.year, now.year - 1):  # (29 Feb: none, or one a year away at least)
        try:
            candidates.append(_at(year, value))
        except ValueError:
            continue
    if nearest:
        best = min(candidates, key=lambda w: abs(w - now), default=None)
    else:
        latest = now + EVENT_SKEW
        best = max((w for w in candidates if w <= latest), default=None)
    # (an event more than YEARLESS_BACK before now: a date after now typed by mistake — 7/9 for 6/9 — or one nearly a
    # year old? The cell does not say: unreadable, never a stall of 8,000 hours)
    if best is None or abs(best - now) > YEARLESS_BACK:
        return BAD
    if value.weekday is not None and best.weekday() != value.weekday:
        return BAD  # (6月8日 周一 where that 8th is a Sunday: which of the two was meant?)
    return _in_range(best)


def resolve_dates(values: list[object], now: datetime | None, nearest: bool = False) -> list[object]:
    """A parsed date column with every :class:`YearLess` turned into a datetime (see :func:`resolve_year`)."""
    memo: dict[YearLess, object] = {}
    out = []
    for v in values:
        if v.__class__ is YearLess:
            if v not in memo:
                memo[v] = resolve_year(v, now, nearest)
            v = memo[v]
        out.append(v)
    return out


# Excel serials for 1990-01-01 .. 2099-12-31; outside that a number in a date column is a typo, not a date.
_SERIAL_LO, _SERIAL_HI = 32874.0, 73051.0


def _from_serial(number: float):
    if not _SERIAL_LO <= number < _SERIAL_HI:
        return BAD
    if number.is_integer():
        # a day number with no fraction: a date cell without a time of day (as calamine's
        # ``date`` and a text 2025-06-03 are) — the whole day, never an assumed 00:00
        return whole_day(_EXCEL_EPOCH + timedelta(days=number))
    # to the nearest second: a serial saved with 10 decimals (45818.3333333333)
    # is 08:00, not 07:59:59.999997 (which a hh:mm cell would show as 07:59)
    return _EXCEL_EPOCH + timedelta(seconds=round(number * 86400))


def _in_range(when: datetime):
    # The same years as serials: 0001-01-01 or 9999-12-31 in a tracking sheet
    # is a typo, and hour arithmetic on it would overflow.
    return when if 1990 <= when.year <= 2099 else BAD


def _china_time(when: datetime) -> datetime:
    """A datetime with a UTC offset → China time (UTC+8), naive."""
    if when.tzinfo is None:
        return when
    return when.astimezone(CHINA).replace(tzinfo=None)


def _on_clock(*spans: tuple[range, int]) -> dict[int, int]:
    return {h: (h + add) % 24 for hours, add in spans for h in hours}


# A half-day word → the hours it takes on a 12-hour clock → the hour of the day.  An hour the
# word does not place on one side of midnight or noon is unreadable: 晚上12点 and 夜里2点 (which
# night?), 上午12点 (noon or midnight?); 12am and 凌晨12点 are midnight, 12pm and 下午12点 noon.
_HALF_HOURS = {
    **dict.fromkeys(("下午", "pm"), _on_clock((range(1, 12), 12), (range(12, 13), 0))),
    "傍晚": _on_clock((range(4, 9), 12)),
    **dict.fromkeys(("晚上", "晚"), _on_clock((range(6, 12), 12))),
    **dict.fromkeys(("夜里", "夜间", "夜"), _on_clock((range(8, 12), 12))),
    "中午": _on_clock((range(11, 15), 0), (range(1, 4), 12)),
    "凌晨": _on_clock((range(0, 7), 0), (range(12, 13), 12)), "am": _on_clock((range(0, 12), 0), (range(12, 13), 12)),
    "上午": _on_clock((range(0, 12), 0)),
    **dict.fromkeys(("早上", "早晨", "早"), _on_clock((range(4, 12), 0))),
}


def _clock(m: re.Match) -> tuple[int, int, int] | None:
    """(hour, minute, second) of a matched time of day, or None when none was written;
    raises ValueError for an impossible one (25:00, 下午15点)."""
    if m.group("h") is None:
        return None
    h = int(m.group("h"))
    mi = int(m.group("mi") or m.group("mi2") or (30 if m.group("ban") else 0))
    sec = int(m.group("s") or m.group("s2") or 0)
    half = (m.group("half") or m.group("half2") or "").strip().lower()
    if half:
        hours = _HALF_HOURS[half]
        if h not in hours:  # 晚上12点, 夜里2点, 上午12点: which side of midnight or noon is not said
            raise ValueError(half)
        h = hours[h]
    if h == 24 and not (mi or sec or half):
        return 24, 0, 0  # 24点, 24:00: the day's end, the next day's 00:00
    if not (h < 24 and mi < 60 and sec < 60):
        raise ValueError("time")
    return h, mi, sec


def _run_on_clock(m: re.Match) -> tuple[int, int, int]:
    """(hour, minute, second) of a stamp's time of day run on after its date (202506081030);
    raises ValueError for an impossible one."""
    h, mi, sec = int(m.group("hc")), int(m.group("mic")), int(m.group("sc") or 0)
    if not (h < 24 and mi < 60 and sec < 60):
        raise ValueError("time")
    return h, mi, sec


@never_raises
def parse_datetime(value: object):
    """Excel datetimes, Excel serial numbers, or Chinese/ISO date text (contract §2 "Dates").

    A date written without a time of day comes back as :class:`WholeDay`; a date without
    a year as :class:`YearLess` (see :func:`resolve_dates`); an ISO text with ``Z`` or an
    offset is converted to China time.  Day-first/month-first ambiguity is unreadable.
    """
    if value.__class__ is datetime and value.tzinfo is None and 1990 <= value.year <= 2099:
        return value  # the usual cell: a date cell as Excel hands it over
    if value.__class__ is float and _SERIAL_LO <= value < _SERIAL_HI:
        return _from_serial(value)  # the usual cell as Value2 hands it over: a serial within the years read
    if value.__class__ is str:
        # the usual text: 2025-06-03 10:00, 2025/6/3 10:00:05, 2025年6月3日 10:00 (the forms below read
        # it the same way; anything else, or an impossible date, goes the long way)
        day_text, gap, clock_text = value.partition(" ")
        if gap:
            on = _USUAL_DAYS.get(day_text)
            if on is None:
                on = _usual(day_text, _USUAL_DAY, _day_of, _USUAL_DAYS)
            at = _USUAL_CLOCKS.get(clock_text)
            if at is None:
                at = _usual(clock_text, _USUAL_CLOCK, _clock_of, _USUAL_CLOCKS)
            if on and at:
                return datetime.combine(on, at)  # type: ignore[arg-type]  # both read (False: not this form)
    if no_value_said(value):
        return None
    if _error(value):
        return BAD
    if isinstance(value, datetime):
        # a date cell has no time zone: a host's tz-aware datetime (COM hands UTC-tagged
        # wall-clock times) is read as the wall-clock time it shows.  (A datetime is the moment
        # a caller gave, 00:00 too; Value2's serial with no fraction and a file's date cell,
        # which cannot tell 6/8 from 6/8 0:00, are the whole day.)
        return _in_range(value.replace(tzinfo=None))
    if isinstance(value, date):
        return _in_range(whole_day(value))
    if isinstance(value, bool):
        return BAD
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return BAD
        if value >= _SERIAL_HI and float(value).is_integer() and len(str(int(value))) in (8, 12, 14):
            return _date_text(str(int(value)))  # a stamp kept as a number (20250608, 20250608103000): no serial
        return _from_serial(float(value))
    text = nfkc(str(value)).strip()
    text = _SPACES.sub(" ", text)
    named = _WEEKDAY.search(text)
    if named is None:
        return _date_text(text)
    if _WEEKDAY.search(text, named.end()):
        return BAD
    # a day of the week beside the date (2025年6月8日 星期日, 6月8日(周日) 10:00): it must be the date's
    wanted = _WEEKDAYS[named.group(1)]
    got = _date_text(_SPACES.sub(" ", f"{text[:named.start()]} {text[named.end():]}").strip())
    if got.__class__ is YearLess:
        return got._replace(weekday=wanted)
    if isinstance(got, datetime) and got.weekday() != wanted:
        return BAD
    return got


# Chinese numerals as desks type a date or a time of day (六月八日, 下午三点, 十点半, 三点十五分, 三点一刻):
# a number of one to three numerals before 月/日/号/点/时/分/秒, or after 点/时 (the minutes, 十点三十).
_CN_NUMERALS = "零〇一二两三四五六七八九十"
_CN_NUMBER = re.compile(f"[{_CN_NUMERALS}]{{1,3}}(?=[月日号点时分秒])|(?<=[点时])[{_CN_NUMERALS}]{{1,3}}(?=分|\\s|$)")
_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
# after an hour: a quarter, three quarters, sharp (三点一刻, 三点三刻, 三点整)
_CN_QUARTERS = re.compile(r"(?<=[点时])(?:(一刻)|(三刻)|整)")


def _cn_number(m: re.Match) -> str:
    """The digits of a number written in Chinese numerals (十 10, 十五 15, 二十三 23, 零五 05); a
    form that is no number (两十, 十十, 三两) is left as typed (the date is then unreadable)."""
    text = m.group(0)
    tens, ten, ones = text.partition("十")
    if "十" in ones or (ten and (len(tens) > 1 or len(ones) > 1)) or ("两" in text and text != "两"):
        return text
    if not ten:  # 三, 零五
        return "".join(str(_CN_DIGIT[c]) for c in text) if len(text) == 1 or text[0] in "零〇" else text
    return str((_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0))


def _arabic(text: str) -> str:
    """A date text with its Chinese numerals as digits (六月八日 下午三点一刻 → 6月8日 下午3点15分)."""
    text = _CN_QUARTERS.sub(lambda m: "15分" if m.group(1) else "45分" if m.group(2) else "", text)
    return _CN_NUMBER.sub(_cn_number, text)


# A space typed beside a unit inside a date (6 月 9 日, 10 点 30 分): no gap between a day and its time of day.  (Around
# a dash it may be a range, 10:00 - 12:00: those stay as typed.)
_INNER_SPACE = re.compile(r" (?=[年月日号点时分秒])|(?<=[年月日号点时]) ")


# The time zone named after a time of day: an offset after a space (2025-06-08 10:00:00 +0800, as a log or an API
# writes it), GMT/UTC with or without one, China's own name for its time; in brackets or not.  (CST is not read:
# China, or the US Central time?)
_ZONE_NOTE = re.compile(r"\s*[(\[]?\s*(?:(?P<china>北京时间|中国时间|中国标准时间)|(?:GMT|UTC)(?:\s*(?P<sign>[+-])(?P<h>\d{1,2})"
                        r"(?::?(?P<m>\d{2}))?)?|(?<=\s)(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2}))\s*[)\]]?$")


def _in_zone(text: str, zone: re.Match):
    """A date and time written in the time zone ``zone`` names (:data:`_ZONE_NOTE`), in China time; a date
    with no time of day, or without its year, only where the zone is China's own (where that day begins, else?)."""
    got = _date_text(text)
    if zone.group("china"):
        minutes = 480
    else:
        sign, h, m = (zone.group("sign"), zone.group("h"), zone.group("m")) if zone.group("sign2") is None else \
            (zone.group("sign2"), zone.group("h2"), zone.group("m2"))
        minutes = 0 if sign is None else (-1 if sign == "-" else 1) * (int(h) * 60 + int(m or 0))
        if abs(minutes) > 14 * 60 or m is not None and int(m) >= 60:
            return BAD
    if got.__class__ is datetime:
        return got if minutes == 480 else _in_range(_china_time(got.replace(tzinfo=timezone(timedelta(minutes=minutes)))))
    return got if minutes == 480 and (got.__class__ is YearLess or got.__class__ is WholeDay) else BAD


def _date_text(text: str):
    """A date written as text (NFKC, spaces single), as :func:`parse_datetime` reads it."""
    # (a text ending in a digit with no space, 20250608 or ISO's +08:00, names no zone this way: not searched)
    zone = _ZONE_NOTE.search(text) if not text[-1:].isdigit() or " " in text else None
    if zone is not None and zone.start():
        return _in_zone(text[:zone.start()], zone)
    if " " in text:
        text = _INNER_SPACE.sub("", text)
    if not text.isascii():
        text = _arabic(text)
        part = _PART_OF_DAY.search(text)
        if part is not None and part.start():
            # a part of the day with no hour (6月8日上午, 2025-06-08 晚上): some time that day, as the day alone says
            day = _date_text(text[:part.start()].rstrip())
            whole = day.__class__ is WholeDay or day.__class__ is YearLess and not day.timed
            return day if whole else BAD
    match = _YEAR_DATE.match(text)
    if match:
        y = int(match.group("y"))
        mo = int(match.group("mo") or match.group("mo8"))
        d = int(match.group("d") or match.group("d8"))
        try:
            clock = _clock(match) if match.group("hc") is None else _run_on_clock(match)
            if clock is None:
                return _in_range(WholeDay(y, mo, d))
            return _in_range(_on_day(y, mo, d, clock))
        except ValueError:
            return BAD
    match = _YEARLESS_DATE.match(text)
    if match:
        mo = int(match.group("mo"))
        d = int(match.group("d") or match.group("d2"))
        try:
            clock = _clock(match)
        except ValueError:
            return BAD
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return BAD
        if clock is None:
            return YearLess(mo, d, timed=False)
        return YearLess(mo, d, *clock)
    if _AMBIGUOUS.match(text):
        return BAD
    try:
        return _from_serial(float(text))
    except ValueError:
        pass
    if not _ISO(text):  # datetime.fromisoformat reads 10.30 as 10:00:00.3 and 10,5 as 10:00:00.5
        return BAD
    try:
        iso = text.replace(" ", "T", 1) if "T" not in text else text
        if iso.endswith("Z") or iso.endswith("z"):
            iso = iso[:-1] + "+00:00"
        return _in_range(_china_time(datetime.fromisoformat(iso)))
    except ValueError:
        return BAD


# A deadline typed with the words that say "by" (超时时间 截止6月8日 10:00, 6月8日10点前, 6月8日到期):
# 截止 / 截至 / 最晚 / 最迟 before it, 前 / 之前 / 以前 / 截止 / 到期 / 为止 after it.
_BY = re.compile(r"(?P<pre>(?:截止|截至)到?|最晚|最迟)?[\s:：]*(?P<when>.+?)\s*(?P<post>之前|以前|前|截止|截至|到期|为止)?")
# "before" a day alone does not say whether the day itself counts (6月8日前: by its start or its end?)
_BEFORE = frozenset({"之前", "以前", "前"})


@never_raises
def parse_deadline(value: object):
    """A deadline (超时时间): a date as :func:`parse_datetime` reads it, or one typed with the words that
    say "by" around it (:data:`_BY`).  Before a day with no time of day (6月8日前) is unreadable."""
    got = parse_datetime(value)
    if got is not BAD or value.__class__ is not str:
        return got
    m = _BY.fullmatch(_SPACES.sub(" ", nfkc(value).strip()))
    if m is None or not (m.group("pre") or m.group("post")):
        return BAD
    got = parse_datetime(m.group("when"))
    if m.group("post") in _BEFORE and (got.__class__ is WholeDay or (got.__class__ is YearLess and not got.timed)):
        return BAD
    return BAD if got is None else got


# The readers of a date column: every field whose parse is one of these holds a moment.
DATE_PARSERS = frozenset({parse_datetime, parse_deadline})


# Province-level regions, short names as desks write them.
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江",
    "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南",
    "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
    "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_PROVINCE_RE = re.compile("|".join(sorted(PROVINCES, key=len, reverse=True)))
# An address that names only its city: prefecture-level cities (every one of the provinces a desk's
# remote list usually names, the capitals and large cities of the others) → their province.  A
# name shared by two places (朝阳, 海南州) or common inside street names (山南路) is left out.
_CITIES_BY_PROVINCE = {
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉 博尔塔拉 巴音郭楞 库尔勒 阿克苏 克孜勒苏 喀什 和田 伊犁 伊宁 塔城 阿勒泰 "
            "石河子 阿拉尔 图木舒克 五家渠 北屯 铁门关 双河 可克达拉 昆玉 胡杨河 新星 奎屯 乌苏 阿图什",
    "西藏": "拉萨 日喀则 昌都 林芝 山南市 那曲 阿里地区",
    "青海": "西宁 海东 格尔木 德令哈 玉树 果洛 海西 海北 黄南",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 临夏 甘南",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "内蒙古": "内蒙 呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 兴安盟 锡林郭勒 阿拉善 满洲里 二连浩特",
    "河北": "石家庄 唐山 保定 邯郸 秦皇岛 廊坊 沧州", "山西": "太原 大同", "辽宁": "沈阳 大连 鞍山",
    "吉林": "长春", "黑龙江": "哈尔滨 齐齐哈尔 大庆 牡丹江", "江苏": "南京 苏州 无锡 常州 徐州 南通 扬州",
    "浙江": "杭州 宁波 温州 绍兴 嘉兴 金华 义乌 台州 湖州", "安徽": "合肥 芜湖", "福建": "福州 厦门 泉州",
    "江西": "南昌 赣州", "山东": "济南 青岛 烟台 潍坊 临沂", "河南": "郑州 洛阳", "湖北": "武汉 宜昌 襄阳",
    "湖南": "长沙 株洲", "广东": "广州 深圳 东莞 佛山 珠海 惠州 中山市 汕头", "海南": "海口 三亚",
    "四川": "成都 绵阳", "贵州": "贵阳 遵义", "云南": "昆明 大理 丽江", "陕西": "西安 宝鸡 咸阳",
    "广西": "南宁 桂林 柳州",
}
CITIES: dict[str, str] = {city: province for province, names in _CITIES_BY_PROVINCE.items() for city in names.split()}
# A name followed by these names a street or a district, not the place (北京路 in 广州, 河北区 in 天津).
# (names are read left to right, the longer first, so a name overlapping the next one is not seen: 义乌海南路 is 义乌 and
# a 海南路, never 乌海)
_PLACE_NAME = re.compile("|".join(sorted({*PROVINCES, *CITIES}, key=len, reverse=True)))
_STREET_AFTER = re.compile("(?:[东西南北中]|[一二三四五六七八九十0-9]+)?(?:路|街|大街|大道|巷|弄|胡同|道)|区")


def _streets_out(text: str) -> str:
    """``text`` with every place name that names a street or a district (新疆路, 河北区) as ※."""
    return _PLACE_NAME.sub(lambda m: "※" if _STREET_AFTER.match(text, m.end()) else m.group(), text)


_CITY_RE = re.compile("|".join(sorted(CITIES, key=len, reverse=True)))


@never_raises
def parse_province(value: object):
    """A province short name, found at the start of (or inside) an address.

    ``新疆维吾尔自治区乌鲁木齐市…`` → ``新疆``; an address naming only its city
    (``乌鲁木齐市天山区``, :data:`CITIES`) → its province.  A name followed by 路/街/区 … is a
    street or a district (青岛市新疆路 is 山东); two provinces named is unreadable.  Text naming
    neither is kept as typed: a user's own remote list may name it; otherwise the rules take the
    province as unknown (:func:`refund_xl._core.rules.known_province`).
    """
    text = parse_text(value)
    if text is None or text is BAD:
        return text
    text = _streets_out(text)  # 青岛市新疆路, 广州市北京路, 天津市河北区: a street or a district
    named = {m.group(0) for m in _PROVINCE_RE.finditer(text)}  # the provinces it names, itself or by a city
    named.update(CITIES[m.group(0)] for m in _CITY_RE.finditer(text))
    if len(named) > 1:  # two provinces (上海/新疆): which one the parcel went to is not known
        return BAD
    return named.pop() if named else fold(text)
