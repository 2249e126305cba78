"""Cell values → canonical values.

Pure functions, no I/O.  Each parser takes one cell value as a host hands it
over (str, float, int, datetime, date, bool or None) and returns the canonical
value, ``None`` for a blank cell, or :data:`BAD` for a value that is present but
cannot be read.  Parsers are memoised per distinct value by ``engine`` so a
100k-row column with twenty distinct words costs twenty parses.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple

__all__ = [
    "BAD",
    "fold",
    "parse_text",
    "parse_id",
    "is_lossy_id",
    "parse_money",
    "parse_datetime",
    "parse_province",
    "make_choice_parser",
    "never_raises",
    "YearLess",
    "resolve_dates",
    "NEGATIONS",
    "PROVINCES",
    "EXCEL_ERRORS",
]


class _Bad:
    """Marker for a present but unreadable value."""

    __slots__ = ()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "BAD"

    def __bool__(self) -> bool:
        return False


BAD = _Bad()

# Error values Excel (and xlwings, which hands them over as strings or None)
# can put in a cell.  They count as blanks: the formula that made them failed.
EXCEL_ERRORS = frozenset(
    {"#N/A", "#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#NUM!", "#NULL!",
     "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!",
     "#BUSY!", "#CONNECT!", "#N/A!"}
)

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Full-width → half-width (NFKC), trimmed, inner runs of space removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def never_raises(parse):
    """A cell no parser foresaw (a 400-digit int, an object) is unreadable, never a crash."""

    @functools.wraps(parse)
    def safe(value: object):
        try:
            return parse(value)
        except Exception:
            return BAD

    return safe


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        s = value.strip()
        return not s or s.upper() in EXCEL_ERRORS
    return False


@never_raises
def parse_text(value: object):
    """Free text (reasons, carriers, addresses): trimmed, width-folded."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


# Excel keeps 15 significant digits: a number of 16 or more digits lost the rest.
LOSSY_FLOAT = 1e15
# An id Excel showed in scientific notation and someone saved as text: 4.80299E+18.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]\d{1,3}$")


def is_lossy_id(value: object) -> bool:
    """Whether an id cell lost digits to Excel (contract §2 "Ids"): a float of 16 or more
    digits, or text in scientific notation.  Such a value is never a key and never written back."""
    if value.__class__ is float:
        return math.isfinite(value) and abs(value) >= LOSSY_FLOAT
    if isinstance(value, str) and ("e" in value or "E" in value):
        return bool(_SCIENTIFIC.match(fold(value)))
    return False


@never_raises
def parse_id(value: object):
    """Order / case / tracking numbers: always text, never a float.

    A number handed over by Excel is written without ``.0``.  A number that lost
    digits (:func:`is_lossy_id`) is unreadable: the digits are gone before we see them.
    """
    if value.__class__ is str and value.isascii() and value.isalnum():
        if ("e" in value or "E" in value) and is_lossy_id(value):
            return BAD
        return value  # the usual cell (4177034256340093436, SF1234567890): already canonical
    if _blank(value):
        return None
    if isinstance(value, bool):
        return BAD
    if isinstance(value, float):
        if not math.isfinite(value) or is_lossy_id(value):
            return BAD
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if is_lossy_id(value):
        return BAD
    text = fold(str(value))
    if text.startswith('="') and text.endswith('"') and len(text) > 3:
        text = text[2:-1]  # ="4242994886263078938": how export tools keep Excel from making it a float
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text or None


_MONEY_JUNK = re.compile(r"[¥￥,，元圆\s]|RMB|CNY|人民币", re.IGNORECASE)


@never_raises
def parse_money(value: object):
    """Amounts: numbers, or text such as ``¥1,299.00``, ``59元``, `` 88 ``."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return BAD
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = _MONEY_JUNK.sub("", unicodedata.normalize("NFKC", str(value)))
        try:
            number = float(text)
        except ValueError:
            return BAD
    if not math.isfinite(number) or number < 0:
        return BAD
    return number


_EXCEL_EPOCH = datetime(1899, 12, 30)
_TIME = r"(?:[T\s]*(\d{1,2})[:：时点](\d{1,2})?分?(?:[:：](\d{1,2})(?:\.\d+)?秒?)?)?"
_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?" + _TIME + "$")
# No year, as people type: 6月8日 10:00, 6月8日, 6/8 10:00, 11月29日 6点.
_YEARLESS_TEXT = re.compile(r"^(\d{1,2})[/月](\d{1,2})日?" + _TIME + "$")
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


def resolve_year(value: YearLess, now: datetime | None):
    """The latest such date not after ``now`` (a year-less date needs a reference time)."""
    if now is None:
        return BAD
    for year in range(now.year, now.year - 9, -1):  # 29 Feb: back to a leap year
        try:
            when = datetime(year, *value)
        except ValueError:
            continue
        if when <= now:
            return _in_range(when)
    return BAD


def resolve_dates(values: list[object], now: datetime | None) -> list[object]:
    """A parsed date column with every :class:`YearLess` turned into a datetime."""
    memo: dict[YearLess, object] = {}
    out = []
    for v in values:
        if v.__class__ is YearLess:
            if v not in memo:
                memo[v] = resolve_year(v, now)
            v = memo[v]
        out.append(v)
    return out


def _from_serial(number: float):
    # Excel serials for 1990-01-01 .. 2099-12-31; outside that a number in a
    # date column is a typo, not a date.
    if not 32874 <= number < 73051:
        return BAD
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


@never_raises
def parse_datetime(value: object):
    """Excel datetimes, Excel serial numbers, or Chinese/ISO date text.

    A date without a year comes back as :class:`YearLess` (see
    :func:`resolve_dates`); an ISO text with ``Z`` or an offset is converted
    to China time.
    """
    if value.__class__ is datetime and value.tzinfo is None and 1990 <= value.year <= 2099:
        return value  # the usual cell: a date cell as Excel hands it over
    if _blank(value):
        return None
    if isinstance(value, datetime):
        # a date cell has no time zone: a host's tz-aware datetime (COM hands UTC-tagged
        # wall-clock times) is read as the wall-clock time it shows
        return _in_range(value.replace(tzinfo=None))
    if isinstance(value, date):
        return _in_range(datetime(value.year, value.month, value.day))
    if isinstance(value, bool):
        return BAD
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return BAD
        return _from_serial(float(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _DATE_TEXT.match(text)
    if match:
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
        try:
            return _in_range(datetime(y, mo, d, h, mi, s))
        except ValueError:
            return BAD
    match = _YEARLESS_TEXT.match(text)
    if match:
        mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
        if not (1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 60):
            return BAD
        return YearLess(mo, d, h, mi, s)
    if _AMBIGUOUS.match(text):
        return BAD
    try:
        return _from_serial(float(text))
    except ValueError:
        pass
    try:
        return _in_range(_china_time(datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)))
    except ValueError:
        return BAD


# Province-level regions, short names as desks write them.
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江",
    "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南",
    "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
    "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_PROVINCE_RE = re.compile("|".join(sorted(PROVINCES, key=len, reverse=True)))


@never_raises
def parse_province(value: object):
    """A province short name, found at the start of (or inside) an address.

    ``新疆维吾尔自治区乌鲁木齐市…`` → ``新疆``.  Text naming no province is kept
    as typed so a user's own remote list (e.g. a prefecture) can still match.
    """
    text = parse_text(value)
    if text is None:
        return None
    match = _PROVINCE_RE.search(text)
    return match.group(0) if match else fold(text)


# Markers that turn the word after (or around) them into its negative.
NEGATIONS = ("没有", "还没", "尚未", "还未", "未", "没", "不", "无", "非", "别", "否")
# Markers of doubt: a value typed with one of these is not a fact yet.
_DOUBT = re.compile(r"[?？]|不确定|待确认|待核实|可能|好像|也许|大概")
# Clause separators inside one cell ("拦截失败，已拒收").
_CLAUSES = re.compile(r"[,，;；。/|、]+")


# What may stand between a negation and the word it turns around:
# 未拦截成功, 没有收到, 不能派送, 还没有揽收.
_NEGATED_BEFORE = re.compile(
    "(?:" + "|".join(NEGATIONS) + ")(?:有|能|曾|再|被|是|要|会|已|在|拦截|派送|派件|揽件|发起|寄|退)?$")


def _negated(clause: str, at: int) -> bool:
    """Whether the word found at ``at`` in ``clause`` is negated by what stands just before it."""
    return bool(_NEGATED_BEFORE.search(clause[:at]))


def make_choice_parser(canonical: tuple[str, ...], synonyms: dict[str, str],
                       keywords: tuple[tuple[str, str], ...] = (),
                       free_text: bool = False,
                       negations: dict[str, str | None] | None = None):
    """A parser for an enumerated field.

    Exact canonical words and synonyms win.  Otherwise the cell is read clause
    by clause: in each clause the first of ``keywords`` (``(substring, word)``
    or ``(substring, word, negative)``, in order) that occurs gives its word,
    turned around when a negation stands just before it (the keyword's own
    negative, else ``negations[word]``; none known: the clause is unreadable).  All
    clauses must agree.  A doubtful value (``?``, 待确认) or one nothing reads
    is :data:`BAD` — or, with ``free_text``, kept as typed (return reasons).
    """
    table = {fold(word): word for word in canonical}
    table.update({fold(k): v for k, v in synonyms.items()})
    turn = dict(negations or {})
    # (keyword, word, its negative or None)
    folded_keywords = tuple((fold(k[0]), k[1], k[2] if len(k) > 2 else turn.get(k[1])) for k in keywords)

    def read_clause(clause: str):
        for key, word, negative in folded_keywords:
            at = clause.find(key)
            if at >= 0:
                if _negated(clause, at):
                    return BAD if negative is None else negative
                return BAD if word is None else word  # None: only its negative is a word
        return None

    @never_raises
    def parse(value: object):
        if _blank(value):
            return None
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        text = fold(str(value))
        hit = table.get(text) or table.get(text.lower())
        if hit:
            return hit
        typed = unicodedata.normalize("NFKC", str(value)).strip()
        if _DOUBT.search(text):
            return typed if free_text else BAD
        words = set()
        for clause in _CLAUSES.split(text):
            if not clause:
                continue
            word = table.get(clause) or table.get(clause.lower()) or read_clause(clause)
            if word is not None:
                words.add(word)
        if len(words) == 1 and BAD not in words:
            return words.pop()
        return typed if free_text else BAD

    # what the parser reads, for the generated reference page: (exact table, keyword triples)
    parse.words = (table, folded_keywords)
    return parse
