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
from datetime import date, datetime, timedelta

__all__ = [
    "BAD",
    "fold",
    "parse_text",
    "parse_id",
    "parse_money",
    "parse_datetime",
    "parse_province",
    "make_choice_parser",
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


def _never_raises(parse):
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


@_never_raises
def parse_text(value: object):
    """Free text (reasons, carriers, addresses): trimmed, width-folded."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


@_never_raises
def parse_id(value: object):
    """Order / case / tracking numbers: always text, never a float.

    A number handed over by Excel is written without ``.0``; ``3.9e16``-style
    text is kept as typed (the digits were lost before we saw them).
    """
    if value.__class__ is str and value.isascii() and value.isalnum():
        return value  # the usual cell (4177034256340093436, SF1234567890): already canonical
    if _blank(value):
        return None
    if isinstance(value, bool):
        return BAD
    if isinstance(value, float):
        if not math.isfinite(value):
            return BAD
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    text = fold(str(value))
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text or None


_MONEY_JUNK = re.compile(r"[¥￥,，元圆\s]|RMB|CNY|人民币", re.IGNORECASE)


@_never_raises
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
_DATE_TEXT = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[T\s]*(\d{1,2})[:：时点](\d{1,2})?分?(?:[:：](\d{1,2})(?:\.\d+)?秒?)?)?$"
)


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


@_never_raises
def parse_datetime(value: object):
    """Excel datetimes, Excel serial numbers, or Chinese/ISO date text."""
    if value.__class__ is datetime and value.tzinfo is None and 1990 <= value.year <= 2099:
        return value  # the usual cell: a date cell as Excel hands it over
    if _blank(value):
        return None
    if isinstance(value, datetime):
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
    try:
        return _from_serial(float(text))
    except ValueError:
        pass
    try:
        return _in_range(datetime.fromisoformat(text).replace(tzinfo=None))
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


@_never_raises
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


def make_choice_parser(canonical: tuple[str, ...], synonyms: dict[str, str],
                       keywords: tuple[tuple[str, str], ...] = (),
                       free_text: bool = False):
    """A parser for an enumerated field.

    Exact canonical words and synonyms win; then ``keywords`` (substring →
    canonical) in order; otherwise the value is :data:`BAD`, or kept as folded
    text when ``free_text`` (e.g. return reasons).
    """
    table = {fold(word): word for word in canonical}
    table.update({fold(k): v for k, v in synonyms.items()})
    folded_keywords = tuple((fold(k), v) for k, v in keywords)

    @_never_raises
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
        for key, word in folded_keywords:
            if key in text:
                return word
        return unicodedata.normalize("NFKC", str(value)).strip() if free_text else BAD

    return parse
