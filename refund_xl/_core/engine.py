"""Whole tables in, one result per row out: the pure core both hosts call.

``rows`` is a list of rows (each a list of cell values as a host hands them
over), ``headers`` the header row.  Columns are found by name
(:mod:`refund_xl._core.fields`), each column is normalised once per distinct value,
and the decisions of :mod:`refund_xl._core.rules` run per row.  A bad row gets a
short message of its own; nothing here raises for a row.
"""

from __future__ import annotations

import gc
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import chain, compress, count, repeat
from operator import attrgetter, is_, is_not, itemgetter, mul, ne, truediv
from typing import Callable, Collection, Iterable, Iterator, Mapping, NamedTuple, Sequence, cast

from refund_xl._core import context, phrases, presets, report, rules, settings as settings_mod, vocab, wordbook
from refund_xl._core import render
from refund_xl._core.fields import (FIELD_BY_KEY, FIELDS, IMPLIES as FIELDS_IMPLIES, Aliases, ColumnMap, question_words,
                                    resolve)
from refund_xl._core.errors import clip
from refund_xl._core.ranges import as_headers, as_rows
from refund_xl._core.rules import Case, Decision, Sheet
from refund_xl._core.settings import Settings

__all__ = [
    "RowResult", "case_of", "case_at", "row_result", "evaluate", "evaluate_read", "evaluate_table", "evaluate_columns", "read_cases", "as_rows", "as_headers", "coerce_settings",
    "coerce_now", "OUTPUT_COLUMNS", "FUNCTION_READS",
]

ALL_KEYS = tuple(f.key for f in FIELDS)

# Which fields each per-row result reads: a UDF normalises only these columns.  Derived from the atoms the result
# reads (rules.RESULT_ATOMS), so a single-purpose function reads what REFUND_TABLE reads for the same cell.
FUNCTION_READS: dict[str, tuple[str, ...]] = {
    **{name: tuple(k for k in ALL_KEYS if k in rules.result_fields(name)) for name in rules.RESULT_ATOMS},
    "reply": ALL_KEYS,
}

OUTPUT_COLUMNS = ("action_code", "action", "why", "stall_code", "stall", "deadline_code",
                  "hours_left", "value_tier", "loss_risk")


def coerce_settings(value: object) -> Settings:
    """A Settings, a 设置 table (rows), or nothing → Settings (may raise SettingsError)."""
    return context.settings_of(value) or settings_mod.DEFAULTS


def coerce_now(now: object, s: Settings) -> datetime:
    """The reference time: the argument, else the settings' 基准时间 row, else the clock
    (:func:`refund_xl._core.context.resolve_now`; an unreadable one raises ContextError)."""
    return context.resolve_now(now, s)[0]


def _is_blank(row: Sequence[object]) -> bool:
    """Whether a row (or a few cells) holds nothing: blanks, and placeholders that say so (「-」, 「/」)."""
    for cell in row:
        if cell is not None and not (cell.__class__ is str and vocab.no_value(cell)):
            return False
    return True


@contextmanager
def bulk():
    """Pause the cyclic garbage collector while a whole table is built.

    Building 100k small objects triggers many full collections that find no
    cycles (about 40% of a 100k-row call); the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # what was built joins the oldest generation: no collection on the next allocation
            # walks the whole table just built (it would find no cycle there)
            gc.freeze()
            gc.enable()
            gc.unfreeze()


def _column_of(table: list[list[object]], col: int, width: int) -> list[object]:
    """One sheet column as a list (C-speed when every row reaches ``col``)."""
    if col < width:
        return list(map(itemgetter(col), table))
    return [r[col] if col < len(r) else None for r in table]


# Words of a totals row (合计 / 总计 …) typed where the order number goes.
_TOTALS = frozenset({"合计", "总计", "小计", "汇总", "共计", "总合计", "合计金额",
                     "total", "totals", "subtotal", "grandtotal", "sum"})


# A totals line that says more than the word: 合计：22 条, 总计 1,234.00, 共 22 条.
_TOTALS_LINE = re.compile(r"^\s*(?:(?:合计|总计|小计|共计|汇总|总合计)(?:[:：\s\d]|$)|共\s*\d+\s*(?:条|单|笔|行|个))")
# The opening words of an export's notice or note line (温馨提示：…, 注：金额单位为元, 说明 …, ※, 【…】).
_NOTICE_START = re.compile(r"^\s*(?:温馨提示|提示|注意|注[:：]|说明|备注|※|\*|＊|【)")
# A line of the export's own, label then value (导出人：客服小王, 导出时间：2025-06-10 12:00, 店铺：某某旗舰店).
_LABEL_LINE = re.compile(r"^\s*[\u4e00-\u9fffA-Za-z]{1,8}\s*[:：]\s*\S")


_WORDS = re.compile(r"[^\d\s.,:：¥￥+\-/]").search
# A subtotal's label: what Excel's 数据→分类汇总 writes in the column it groups by (「仅退款 汇总」「总计」, 「… 计数」
# 「总计数」, 「… 平均值」; Total / Grand Total in English Excel), or words a desk ends the same way (6月8日小计).
_SUBTOTAL_LABEL = re.compile(r"^.{0,30}?(?:汇总|计数|小计|合计|总计|总和|求和|平均值|最大值|最小值|\btotal|\bcount)$",
                             re.IGNORECASE | re.DOTALL)


def _is_totals_word(cell: object) -> bool:
    return cell.__class__ is str and len(cell) <= 16 and vocab.fold(cell).rstrip(":：").lower() in _TOTALS


def _is_subtotal_label(cell: object) -> bool:
    return cell.__class__ is str and _SUBTOTAL_LABEL.match(vocab.nfkc(cell).strip()) is not None


def _section_label(cell: object) -> bool:
    """Whether a cell alone on its row is a section's label: a date (6月8日, an Excel date) or words without a digit
    (上午批, 张三负责) — never a number or a text with digits that may be an id."""
    if isinstance(cell, datetime):
        return True
    text = cell.strip() if cell.__class__ is str else ""
    if not text or text.isdigit():  # (digits alone, 20250608 too: an id typed alone)
        return False
    if _HAS_DIGIT(text) is None:
        return _WORDS(text) is not None
    got = vocab.parse_datetime(text)
    return got is not None and got is not vocab.BAD


def _an_id(cell: object) -> bool:
    """Whether a cell reads as an id (a number or a text with a digit, as the id reader takes it)."""
    got = vocab.parse_id(vocab.plain_cell(cell)) if cell is not None else None
    return isinstance(got, str) and _HAS_DIGIT(got) is not None


_CASE_COLUMNS: dict[int, tuple[ColumnMap, tuple[int, ...]]] = {}


def case_columns(cmap: ColumnMap) -> tuple[int, ...]:
    """The columns whose cells make a row a case: every column a field is read from (:func:`columns_read` of
    every field), wherever it sits — what every host hands over, an Excel formula's range as a file.  A row whose
    only content is in other columns (跟进备注, 客服; the first column too, when no field reads it) holds no field
    value: no case (contract §5)."""
    got = _CASE_COLUMNS.get(id(cmap))
    if got is None or got[0] is not cmap:
        if len(_CASE_COLUMNS) > 64:
            _CASE_COLUMNS.clear()
        got = _CASE_COLUMNS[id(cmap)] = (cmap, tuple(columns_read(cmap)))
    return got[1]


def not_a_case(row: Sequence[object], cmap: ColumnMap) -> str | None:
    """What a row that is no case is, or None: the one rule of evaluate (:func:`_not_cases`, no result) and of
    ``import`` (the row is skipped, the reason said).  Kept in place, never decided on:

    * ``"blank"``: nothing in it (blanks, and placeholders that say so: 「-」, 「/」);
    * ``"totals"``: a 合计/总计 line — a totals word in the 订单号 cell, or no 订单号 and a totals word
      elsewhere, or a first text that opens as one (合计：22 条, 共 22 条; no id in another id cell);
    * ``"notice"``: an export's notice or summary line — its first text opening with a notice word
      (温馨提示, 提示, 注：, 说明, 备注, ※, 【) or, at most two cells and all text, written as a label and
      its value (导出人：客服小王); no id in another 订单号 / 售后单号 cell than that text's.

    * ``"totals"`` too: a subtotal line of Excel's 数据→分类汇总 — its label (「仅退款 汇总」「总计」, words ending in
      汇总/计数/小计/合计/总计) in the 售后类型 cell or as the line's first text, no id in another id cell;
    * ``"section"``: a section's label alone on its row, in the first column or the 订单号 column: a date
      (「6月8日」) or words without a digit.

    A row with anything else in its 售后类型 cell is a case (a desk's row, however bare).  The first text and
    the cells counted are those of the first column and the columns that are fields (what every host
    hands over: an Excel formula is given only the columns it reads), so each host reads a row alike;
    a row with content only in columns no field reads (跟进备注, 客服: :func:`case_columns`) is blank.
    """
    width = len(row)
    if _is_blank([row[c] for c in case_columns(cmap) if c < width]):
        return "blank"
    index = cmap.index
    at = index.get("order_id", 0)
    ids = [c for c in (at, index.get("case_id")) if c is not None and c < len(row)]
    kind = index.get("refund_type")
    if kind is not None and kind < len(row) and not _is_blank((row[kind],)):
        label = row[kind]
        # (「仅退款 汇总」 is the subtotal of the 仅退款 rows above it, no 仅退款; an id in the row makes it a case)
        if _is_subtotal_label(label) and not any(_an_id(row[c]) for c in ids if c != kind):
            return "totals"
        return None
    first = row[at] if at < len(row) else None
    if _is_totals_word(first) or (_is_blank((first,)) and any(map(_is_totals_word, row))):
        return "totals"
    seen = [c for c in sorted({0, *index.values()}) if c < len(row) and not _is_blank((row[c],))]
    # (a totals or notice line alone on its row is said as such, below; else a date or words alone: a section's label)
    section = "section" if len(seen) == 1 and seen[0] in (0, at) and _section_label(row[seen[0]]) else None
    texts = [c for c in seen if isinstance(v := row[c], str) and _WORDS(v)]  # (an amount typed as text: no words)
    if not texts:
        return section
    # the line's first text is read by its words (a notice in the 售后单号 column: 温馨提示：仅支持导出近3个月…);
    # another 订单号 / 售后单号 cell holding an id makes the row a case
    if any(_an_id(row[c]) for c in ids if c != texts[0]):
        return None
    opening = vocab.nfkc(str(row[texts[0]]))
    if _TOTALS_LINE.match(opening) or _is_subtotal_label(opening) and texts[0] in (0, at):
        return "totals"
    if _NOTICE_START.match(opening) or (len(seen) <= 2 and len(texts) == len(seen) and _LABEL_LINE.match(opening)):
        return "notice"
    return section


_LETTERS_ONLY = re.compile(r"^[A-Za-z]+$", re.MULTILINE)


def _not_cases(table: list[list[object]], cmap: ColumnMap, width: int,
               column: Callable[[int], Sequence[object]] | None = None,
               kinds: dict[str, int] | None = None) -> list[bool]:
    """Rows that are not cases (:func:`not_a_case`: blank rows, totals and notice lines; kept in place, no result).

    Only rows whose order-number cell is empty or a word (no digits) can be
    any of them: those few are checked cell by cell.
    """
    n = len(table)
    skip = [False] * n
    if not n:
        return skip
    first = cmap.index.get("order_id", 0)
    firsts = column(first) if column is not None else _column_of(table, first, width)
    for i in maybe_not_cases(firsts):
        kind = not_a_case(table[i], cmap)
        if kind is not None:
            skip[i] = True
            if kinds is not None and kind != "blank":
                kinds[kind] = kinds.get(kind, 0) + 1
    return skip


def maybe_not_cases(firsts: Sequence[object]) -> list[int]:
    """The rows that may be no case (:func:`not_a_case`), by their order-number cells ``firsts``: an empty
    cell or a word (no digits); a row with an order number is a case."""
    if _digit_texts(firsts):  # the usual column: only its blank cells can be either
        candidates = list(compress(count(), map(is_, firsts, repeat(None))))
    elif "" not in firsts and _all_ascii_alnum(firsts):  # then only a text of letters alone (no digit) is a word
        words = set(_LETTERS_ONLY.findall("\n".join(v for v in firsts if v.__class__ is str)))
        candidates = [i for i, v in enumerate(firsts) if v is None or v.__class__ is str and v in words] if words else \
            [i for i, v in enumerate(firsts) if v is None]
    else:  # (a text with digits beside words may be a date alone, 6月8日, or a subtotal's label, 1001 汇总)
        candidates = [i for i, v in enumerate(firsts)
                      if v is None or v.__class__ is datetime
                      or v.__class__ is str and not (v.isascii() and v.isalnum() and not v.isalpha())]
    return candidates


def _parse_each(parse, values: Sequence[object]) -> list[object]:
    """``parse`` over ``values`` with the bare parser; should any value make it
    raise, again with the guarded one (raise → BAD)."""
    plain = vocab.plain_cell
    try:
        return list(map(getattr(parse, "__wrapped__", parse), map(plain, values)))
    except Exception:
        return list(map(parse, map(plain, values)))


_DT_LO, _DT_HI = datetime(1990, 1, 1), datetime(2100, 1, 1)
_NO_FEN = 1e15  # an amount from which a float holds no fen (read as it is, by the field's parser)
_NONE_TYPE = type(None)
_NOT_NUMBERS = frozenset({str, datetime, _NONE_TYPE})  # types whose values equal no value of another type


def _ids_as_is(values: Sequence[object], digits: bool = False) -> bool:
    """Whether every cell of a column is blank (None) or text of ASCII letters and digits, with a digit
    (``digits``: of ASCII digits alone), checked at C speed over the column's text joined (letters alone
    are no id: :func:`vocab.parse_id` reads them)."""
    texts = list(filter(None, values))
    if len(values) - len(texts) != values.count(None):  # a falsy cell that is not blank ("", 0)
        return False
    try:
        joined = "".join(texts)  # type: ignore[arg-type]  # a value not text: TypeError
    except TypeError:
        return False
    # bytes.isdigit / isalnum: ASCII only, a table lookup per byte (str's ask Unicode per character)
    encoded = joined.encode()
    # an id of zeros alone (0: a lookup formula's blank) is read by vocab.parse_id; if there is one, it is the least
    # text of the column (no text of ASCII letters and digits sorts before it), found at C speed
    if texts and not min(cast(list[str], texts)).strip("0"):  # (texts: every one is text, as the join said)
        return False
    if encoded.isdigit():  # the usual column: digits alone
        return True
    if digits or not (joined.isascii() and encoded.isalnum()):
        return False
    # letters alone are no id (a placeholder, null, n/a, or words: vocab.parse_id reads them)
    return not any(map(str.isalpha, texts))  # type: ignore[arg-type]


def _digit_texts(values: Sequence[object]) -> bool:
    """Whether every cell of a column is blank (None) or text of ASCII digits: none is a word."""
    return _ids_as_is(values, digits=True)


def _odd_ids(uniq: set, types: set[type]) -> list[object]:
    """The distinct values of an id column that are not already as the field writes them: text of
    ASCII letters and digits is kept as it is (it cannot be an exponent: no sign, no point).
    (``types``, of the column, as the other finders take it.)"""
    return [v for v in uniq if not (v is None or vocab.kept_as_id(v))]


def _split_by_type(uniq: set, types: set[type], usual: type) -> tuple[Iterable, list[object]]:
    """A column's distinct values as (those of the ``usual`` type, the others but blank); ``types``:
    of the column (all of the usual type or blank: no value is looked at)."""
    if types <= {usual, _NONE_TYPE}:
        return uniq - {None}, []
    return [v for v in uniq if v.__class__ is usual], [v for v in uniq if v.__class__ is not usual and v is not None]


def _odd_datetimes(uniq: set, types: set[type]) -> list[object]:
    """The distinct values of a date column that need reading: all but naive datetimes within the
    readable years (:func:`vocab.parse_datetime` keeps those as they are).  ``types``: of the column."""
    stamps, odd = _split_by_type(uniq, types, datetime)
    if stamps and (any(map(_tzinfo, stamps)) or min(stamps) < _DT_LO or max(stamps) >= _DT_HI):
        lo, hi = _DT_LO, _DT_HI
        odd += [v for v in stamps if not (v.tzinfo is None and lo <= v < hi)]
    return odd


def _odd_amounts(uniq: set, types: set[type]) -> list[object]:
    """The distinct values of an amount column that need reading: all but finite, non-negative floats to the fen
    (199.99999999999997, Excel's =19.99*10+0.1, is read: 200).  ``types``: of the column."""
    amounts, odd = _split_by_type(uniq, types, float)
    if amounts:
        amounts = list(amounts)
        if min(amounts) < 0.0 or max(amounts) >= _NO_FEN or any(map(math.isnan, amounts)):
            odd += [v for v in amounts if not 0.0 <= v < _NO_FEN]
            amounts = [v for v in amounts if 0.0 <= v < _NO_FEN]
        # a float off its fen (199.99999999999997): x is a fen's float when round(x * 100) / 100 is x (at C speed)
        odd += compress(amounts, map(ne, amounts, map(truediv, map(round, map(mul, amounts, repeat(100.0))), repeat(100))))
    return odd


# parse function → the distinct values of its column that it must read (the others it keeps as they are)
_ODD = {vocab.parse_id: _odd_ids, vocab.parse_phone: _odd_ids, vocab.parse_datetime: _odd_datetimes,
        vocab.parse_deadline: _odd_datetimes,
        vocab.parse_money: _odd_amounts}


def _merges_meanings(uniq: Collection[object], values: Sequence[object], types: set[type] | None = None) -> bool:
    """Whether a set of the column's values merged values of two types (True == 1 == 1.0, 0 == 0.0):
    the set keeps one of them, and the field may read them apart (a boolean is not a number, an id
    typed as a whole number is not a float, a parsed amount is a float).  ``types``: of ``values``
    (else taken only when the set holds a number)."""
    if types is None:
        if set(map(type, uniq)) <= _NOT_NUMBERS:  # no number in the set, so none in the column
            return False
        types = set(map(type, values))
    if len(types - _NOT_NUMBERS) < 2:  # one type of number at most: equal values are alike
        return False
    return len(set(zip(map(type, values), values))) != len(uniq)


def _all_ascii_alnum(values: Iterable[object]) -> bool:
    """Whether every value of a column that is not falsy (None, "", 0) is text of ASCII letters and digits."""
    return _ascii_texts(filter(None, values))


def _ascii_texts(texts: Iterable[object], digits: bool = False) -> bool:
    """Whether every one of ``texts`` is text of ASCII letters and digits (``digits``: of ASCII digits)."""
    try:
        joined = "".join(texts)  # type: ignore[arg-type]  # a value not text: TypeError
    except TypeError:
        return False
    # bytes.isalnum / isdigit: ASCII only, a table lookup per byte (str.isalnum asks Unicode per character)
    encoded = joined.encode()
    return encoded.isdigit() if digits else joined.isascii() and encoded.isalnum()


_tzinfo = attrgetter("tzinfo")


def _normalise_column(parse, default, values: Sequence[object]) -> tuple[list[object], list[int]]:
    """Parse one column, once per distinct value.  Returns (values, bad row indexes).

    A distinct-heavy column (ids, timestamps, amounts) reads only the distinct values its field
    does not keep as they are (:data:`_ODD`), each once; the others pass through."""
    odd_of = _ODD.get(parse) if default is None else None  # a blank cell is None as it is
    if odd_of is None:
        return _normalise_column_slow(parse, default, values)
    if odd_of is _odd_ids and _ids_as_is(values):  # the usual id column: no set of 100k ids
        return list(values), []
    try:
        uniq = set(values)
    except TypeError:  # an unhashable cell value
        return _normalise_column_slow(parse, default, values)
    types = set(map(type, values))
    if _merges_meanings(uniq, values, types):
        return _normalise_column_slow(parse, default, values)
    odd = odd_of(uniq, types)
    if not odd:
        return list(values), []
    parsed = dict(zip(odd, _parse_each(parse, odd)))
    return _unreadable_blank(list(map(parsed.get, values, values)), parsed.values())


def _unreadable_blank(out: list[object], read: Iterable[object]) -> tuple[list[object], list[int]]:
    """(``out`` with its unreadable cells blank, their row indexes); ``read``: the values parsed
    (when none is BAD, no cell of ``out`` is)."""
    if vocab.BAD not in read:
        return out, []
    bad = [i for i, v in enumerate(out) if v is vocab.BAD]
    for i in bad:
        out[i] = None
    return out, bad


class _Read(dict):
    """Cell value → the field's reading, each distinct value read once, on first sight (the one
    pass over the column is ``map(memo.__getitem__, column)``, at C speed for every value seen)."""

    __slots__ = ("parse", "default")

    def __init__(self, parse, default) -> None:
        super().__init__()
        self.parse, self.default = parse, default

    def one(self, raw: object) -> object:
        """One cell's reading (a blank: the default), not remembered."""
        value = self.parse(vocab.plain_cell(raw))
        return self.default if value is None else value

    def __missing__(self, raw: object) -> object:
        value = self[raw] = self.one(raw)
        return value


def _normalise_column_slow(parse, default, values: Sequence[object]) -> tuple[list[object], list[int]]:
    read = _Read(parse, default)
    try:
        out = list(map(read.__getitem__, values))
        # equal values of two types share one entry (True == 1 == 1.0): read cell by cell below
        exact = not _merges_meanings(read.keys(), values)
    except TypeError:  # an unhashable cell value
        exact = False
    if exact:
        return _unreadable_blank(out, read.values())
    out, bad = [], []
    typed_memo: dict[object, object] = {}
    for i, raw in enumerate(values):
        try:
            key = (raw.__class__, raw)
            value = typed_memo[key]
        except KeyError:
            value = typed_memo[key] = read.one(raw)
        except TypeError:  # unhashable cell value
            value = read.one(raw)
        if value is vocab.BAD:
            bad.append(i)
            value = None
        out.append(value)
    return out, bad


@dataclass
class Columns:
    """A table read column by column: each field's canonical values, one per row."""

    keys: tuple[str, ...]
    values: list[list[object]]  # aligned with ``keys``; each a list of n values
    bad: dict[int, tuple[str, ...]]  # row index → fields whose cells were unreadable
    blank: list[bool]
    cmap: ColumnMap
    bad_values: dict[int, tuple[str | None, ...]] = field(default_factory=dict)  # those cells as typed (None: no cell)
    fallback: dict[str, int] = field(default_factory=dict)  # field → rows filled from another column
    sheet: Sheet = field(default_factory=Sheet)  # which columns the table has (shared by its rows)
    blocks: list[tuple[int, ColumnMap]] = field(default_factory=list)  # (first row, headers) of further blocks
    sheets: list[Sheet] | None = None  # each row's Sheet, when further blocks have their own headers
    skipped: dict[str, int] = field(default_factory=dict)  # rows that are no case, by kind (engine.not_a_case; no "blank")
    # field → the header of each column that filled some of its rows → those rows (``fallback``, column by column)
    fallback_from: dict[str, dict[str, int]] = field(default_factory=dict)
    # each block's own (first row, ``fallback``, ``fallback_from``), the first block's first, when ``blocks`` are there
    block_fallback: list[tuple[int, dict[str, int], dict[str, dict[str, int]]]] = field(default_factory=list)


_DATE_KEYS = frozenset(f.key for f in FIELDS if f.parse in vocab.DATE_PARSERS)
# Times of what has happened (all dates but the deadline): one more than a day after now is unreadable.
_EVENT_KEYS = _DATE_KEYS - {"deadline"}
_SKEW = vocab.EVENT_SKEW


class Clipped(str):
    """An unreadable value quoted short enough for a message; ``whole``: the text as it stood (a courier trace
    another column gave: ``import`` writes it whole into the desk's book, where no cell holds it)."""

    whole: str

    def __new__(cls, short: str, whole: str) -> "Clipped":
        out = super().__new__(cls, short)
        out.whole = whole
        return out


QUOTE_WIDTH = 24  # an unreadable value quoted in a message: at most so many characters (errors.clip)
TRACE_QUOTE_WIDTH = 48  # … a courier trace (a text written with its times): enough to show its events
# A trace's time with its year (2025-06-09 14:22:00, 2025/06/09 14:22): quoted as its day and minute (06-09 14:22),
# so a quote shows the event rather than when.  (An ISO time with its zone, …T12:10:00+08:00, stays as written.)
_QUOTED_STAMP = re.compile(r"(?<!\d)\d{4}[-/.](\d{1,2}[-/.]\d{1,2})(?:\s+|[tT])(\d{1,2}:\d{2})(?::\d{2}(?:\.\d+)?)?"
                           r"(?![\d:.]|[zZ]|[+\-]\d)")


def quote(value: object) -> str:
    """The one quote of an unreadable value in a message (the row's action and why, the reading report's examples):
    one line, whole where it fits :data:`QUOTE_WIDTH`; a courier trace written with its times (2025-06-09 14:22
    Delivered, signed by: FRONT DESK) with each time as its day and minute and up to :data:`TRACE_QUOTE_WIDTH`, so
    the quote shows the event, never only the time; then cut with ….  :func:`errors.clip` cuts."""
    text = " ".join(str(value).split())
    if len(text) <= QUOTE_WIDTH:
        return text
    timed = phrases.TIMED_STAMP.search(text) is not None
    return clip(_QUOTED_STAMP.sub(r"\1 \2", text), TRACE_QUOTE_WIDTH if timed else QUOTE_WIDTH)


def _typed(raw: object) -> str:
    """An unreadable cell as the desk typed it (or as Excel shows it), short enough to quote."""
    raw = vocab.plain_cell(raw)
    if isinstance(raw, datetime):
        text = raw.strftime("%Y-%m-%d %H:%M")
    elif raw.__class__ is float and vocab.is_lossy_id(raw):
        text = f"{raw:.6G}"  # as Excel's General format shows it: 4.80299E+18
    else:
        text = str(raw).strip()
    short = quote(text)
    return short if short == text else Clipped(short, text)


def _pair(words: Iterable[object], *parts: object) -> vocab.Both:
    """Two columns' words quoted together (:class:`vocab.Both`): ``parts`` alternately a cell as typed (quoted short,
    :func:`_typed`) and the words between (a header, a word: as they are).  The quote keeps its parts whole
    (``Both.parts``), so a host that hides personal data quotes each cell hidden first and cut after."""
    typed = [_typed(p) if n % 2 == 0 else str(p) for n, p in enumerate(parts)]
    out = vocab.Both("".join(typed), words)
    out.parts = tuple(getattr(t, "whole", t) for t in typed)
    return out


def _with_words(fld, words: Mapping[str, object]):
    """``fld.parse`` with a table of the team's or the platform's own words read first."""
    parse = fld.parse

    def read(value: object):
        if isinstance(value, bool):  # a checkbox: the answer it ticks (是否已退款 TRUE: 是)
            value = wordbook.checkbox_answer(value)
        if value.__class__ is str or isinstance(value, (int, float)):
            hit = words.get(vocab.fold(str(int(value) if isinstance(value, float) and value.is_integer() else value)))
            if hit is not None:
                return None if hit is vocab.NOTHING else hit  # (an answer that records nothing: a blank)
        return parse(value)

    return vocab.never_raises(read)


def _header_words(cmap: ColumnMap, header: str | None) -> dict[str, object]:
    """The words a column's own header gives its cells: a yes/no question's answers (是否发货), an export's words."""
    if header is None:
        return {}
    words: dict[str, object] = dict(question_words(header))
    preset = cmap.preset
    if preset is not None:
        words.update(preset.folded_values().get(vocab.fold(header).lower(), {}))
    return words


def _parser_for(key: str, cmap: ColumnMap, header: str | None = None):
    """The parse function of field ``key`` for this sheet: 值映射 > the header's words > the field's own.  ``header``:
    of another column of the field (cmap.also), else the field's own column's."""
    fld = FIELD_BY_KEY[key]
    own = cmap.sources[key][0] if key in cmap.sources else None
    words = _header_words(cmap, own if header is None else header)
    words.update(cmap.mappings.values.get(key, {}))
    return _with_words(fld, words) if words else fld.parse


def _rivals(cmap: ColumnMap, key: str) -> tuple[int, ...]:
    """The other columns of field ``key`` whose value, where it differs from the field's own column's, leaves the
    row's fact unknown between the two (:func:`_read_block`): for a field of words, every other column of it (物流信息
    beside 物流状态); for an amount, those that name it as strongly (two 退款金额; 实付金额 beside 订单金额, no 退款金额).
    Other numbers, times or names in two columns may be two facts (订单号 and 子订单号), as may an amount named
    more weakly (退款金额 beside 订单金额 or 申请退款金额: the refund, read): the field's own column is read."""
    fld = FIELD_BY_KEY[key]
    if fld.choices:
        return cmap.also.get(key, ())
    return cmap.ties.get(key, ()) if fld.parse is vocab.parse_money else ()


def _joined_amounts(parse, cell: object) -> frozenset | None:
    """The amounts a cell of amounts joined by :data:`vocab.DOUBT_SEP` says (59｜599: what two columns, or two rows, of
    an export said, as import keeps them in the book), each part read by ``parse``: the row's amount is one of them, the
    same value two columns of the amount give (:func:`_read_block`, :func:`rules.said_amounts`).  None for any other
    cell (a part that is no amount, or blank: the cell stays unreadable)."""
    if not isinstance(cell, str) or vocab.DOUBT_SEP not in cell:
        return None
    got = [parse(part) for part in cell.split(vocab.DOUBT_SEP)]
    return frozenset(got) if all(g.__class__ is float for g in got) else None


def _fallbacks(cmap: ColumnMap, table, width: int, targets: Iterable[str],
               column: Callable[[int], Sequence[object]] | None = None
               ) -> tuple[dict[str, list[object]], dict[str, list[tuple[str, object] | None]], dict[str, list[str | None]]]:
    """Raw words for empty cells of ``targets``, read from other columns, strongest first, the claims the field's
    own words are checked against (:data:`rules.BEHIND`: what a trace or a status said, with its column's header),
    and the header of the column each word came from (the reading report names it).

    Another column of the same field, the export's waybill columns (carrier, number and the courier's trace in one
    cell), a platform status that states at least a word (已发货，退款成功; 买家已经退货), the platform's shipment
    record (filled = 已发货), a trace's time, an inspection result (the return reached the warehouse), a time written
    down (rules.TIME_SAYS) and a filled 退货物流单号 (the return was sent).
    """
    targets = set(targets)
    out: dict[str, list[object]] = {}
    claims: dict[str, list[tuple[str, object] | None]] = {}  # what a status or a trace said, and its column's header
    sources: dict[str, list[str | None]] = {}  # the header of the column each word in ``out`` came from
    n = len(table)
    said: dict[str, list[object]] = {}  # what the columns that say the field's word itself said (before any "at least")

    def add(target: str, values: list[object], at_least: str | None = None, claim: str | None = None,
            source: str | None = None) -> None:
        """``values`` fill ``target`` where nothing stronger did.  ``at_least``: the header of a column whose values say
        at least that word (a platform status): beside a word the field's own columns or a trace said that it shows to
        be behind (rules.BEHIND), one of the two, both quoted; beside a word an earlier "at least" gave, the further.
        ``claim`` (a trace column's header) and ``at_least``: words the field's own column is checked against
        (:data:`rules.BEHIND`), kept with that header.  ``source``: the header of the column ``values`` come from
        (else ``claim`` or ``at_least``)."""
        if target not in targets or values.count(None) == len(values):  # (a column that fills nothing)
            return
        header = claim or at_least
        came = str(source or header or "").strip()
        if header is not None:
            said_by: list[tuple[str, object] | None] = [None if v is None else (header, v) for v in values]
            had = claims.get(target)
            claims[target] = said_by if had is None else [h if h is not None else v for h, v in zip(had, said_by)]
        have = out.get(target)
        if have is None:
            out[target] = values
            sources[target] = [None if v is None else came for v in values]
            return
        was = sources[target]
        if at_least is None:  # the stronger word first; a trace that gives no word (_Unread) wins: it is quoted
            out[target] = [v if v.__class__ is _Unread else h if h is not None else v for h, v in zip(have, values)]
        else:
            behind = rules.BEHIND.get(target, {})
            exact = said.setdefault(target, list(have))
            out[target] = [v if h is None or h in behind.get(v, ()) and e is None
                           else vocab.Both(f"{_typed(e)}／{at_least}:{v}", (e, v)) if e is not None and e in behind.get(v, ())
                           else h for h, v, e in zip(have, values, exact)]
        sources[target] = [w if got is h else None if got is None else came
                           for got, h, w in zip(out[target], have, was)]

    if column is None:
        def column(col: int) -> Sequence[object]:
            return _column_of(table, col, width)

    def implied(col: int, table_of: Mapping[str, Mapping[str, str]], any_value: bool = False) -> None:
        """The words a column's values imply (``table_of``: folded value → target → word), once per
        distinct value.  Text values only, or (``any_value``) every value as text."""
        def hit(v: object) -> Mapping[str, str]:
            if any_value:
                return table_of.get(vocab.fold(str(v)), {}) if v is not None else {}
            return table_of.get(vocab.fold(str(v)), {}) if isinstance(v, str) else {}

        wanted = {t for words in table_of.values() for t in words} & targets
        if not wanted:  # it implies no field this read wants: not read
            return
        values = column(col)
        try:
            uniq = set(values)
            # True == 1 == 1.0 in a set: a column mixing booleans and numbers is read cell by cell
            hits = None if any_value and (True in uniq or False in uniq) else {v: hit(v) for v in uniq}
        except TypeError:  # an unhashable cell value
            hits = None
        header = cmap.headers[col]
        for target in wanted:
            if hits is None:
                add(target, [hit(v).get(target) for v in values], header)
                continue
            word = {v: h.get(target) for v, h in hits.items()}
            if any(w is not None for w in word.values()):
                add(target, list(map(word.__getitem__, values)), header)

    # another column of the same field (物流信息 beside 物流状态): what it says, where the field's own is blank; a column
    # whose header gives its cells words (是否已退款 beside 售后状态) read through them, its unreadable cells quoted
    for target, more in cmap.also.items():
        for at in more:
            if _header_words(cmap, cmap.headers[at]):
                add(target, _by_value(column(at), partial(_as_answered, _parser_for(target, cmap, cmap.headers[at]))),
                    source=cmap.headers[at])
            else:
                add(target, [None if vocab.no_value(v) else v for v in column(at)], source=cmap.headers[at])
    # the export's waybill columns (carrier, number and the courier's trace in one cell): what the courier said
    preset = cmap.preset
    info = cmap.column_of(preset.ship_info) if preset is not None and preset.ship_info else None
    if info is not None:
        parts = [presets.split_waybill(vocab.plain_cell(v)) for v in column(info)]
        add("carrier", [p[0] for p in parts], source=cmap.headers[info])
        add("tracking_no", [p[1] for p in parts], source=cmap.headers[info])
        add("logistics", [p[2] for p in parts], claim=cmap.headers[info])
    back = cmap.column_of(preset.return_info) if preset is not None and preset.return_info else None
    if back is not None:
        traces = [presets.split_waybill(vocab.plain_cell(v))[2] for v in column(back)]
        add("return_logistics", [_return_word(t) if t else None for t in traces], claim=cmap.headers[back])
    # a status that says at least a word (已发货，退款成功; 买家已经退货，等待卖家确认收货)
    for source, table_of in FIELDS_IMPLIES.items():
        col = cmap.index.get(source)
        if col is not None:
            implied(col, table_of)
    if preset is not None:
        for header, table_of in preset.folded_implies().items():
            col = cmap.column_of(header)
            if col is not None:
                implied(col, table_of, any_value=True)
        record = cmap.column_of(preset.ship_record) if preset.ship_record else None
        if record is not None:
            # the platform's shipment record: filled = 已发货; empty = 未发货, unless the buyer says the goods arrived
            # (货物状态 买家已收到货: shipped with no record, or the record lost — not known which)
            says = cmap.index.get("customer_says")
            got = _by_value(column(says), _parser_for("customer_says", cmap)) if says is not None else repeat(None)
            add("ship_state", ["已发货" if not vocab.no_value_said(v) else None if g == "已收到" else "未发货"
                               for v, g in zip(column(record), got)], source=cmap.headers[record])
    if "last_update" in targets:
        # a courier trace written with its time (2025-06-07 10:00【杭州】已发出): when the parcel last moved, where
        # no column says
        for col in [*cmap.columns_of("logistics"), *([] if info is None else [info])]:
            add("last_update", _by_value(column(col), _trace_time), source=cmap.headers[col])
    checked = cmap.index.get("inspection")
    if checked is not None and "return_logistics" in targets:
        # an inspection result: the return reached the warehouse (stronger than a waybill: sent)
        read = _parser_for("inspection", cmap)
        add("return_logistics", _by_value(column(checked), lambda v: "已签收" if read(vocab.plain_cell(v)) in
                                          rules.INSPECTED else None), source=cmap.headers[checked])
    for source, (target, word) in rules.TIME_SAYS.items():
        # a time written down (发货时间, 签收时间, 退款完成时间 …): what happened (an unreadable one asks: rules._CONTRADICTED_BY)
        written = cmap.index.get(source)
        if written is not None and target in targets and column(written).count(None) < n:
            add(target, _by_value(column(written), partial(_time_says, word)), source=cmap.headers[written])
    sent = cmap.index.get("return_tracking_no")
    if sent is not None:  # (True == 1 == 1.0 share an entry: all three say "filled" alike)
        add("return_logistics", _by_value(column(sent), _return_sent), source=cmap.headers[sent])
    return ({k: v for k, v in out.items() if v.count(None) < len(v)}, claims, sources) if n else ({}, {}, {})


def implied(rows: Sequence[Sequence[object]], cmap: ColumnMap, keys: Iterable[str]) -> dict[str, list[object]]:
    """The words other columns give fields ``keys`` in each row of ``rows`` (a block read through ``cmap``): None where
    no other column says one.  What :func:`read_columns` fills a field's empty cells from, row by row (its
    ``Columns.fallback`` only counts them), so a caller can tell a filled word from the field's default."""
    table = [list(r) for r in rows]
    width = min(map(len, table)) if table else 0
    return _fallbacks(cmap, table, width, keys)[0] if table else {}


# Fields whose own cell a courier trace's later event outdates: the trace's own latest event is a fact of movement,
# so where it is later than the typed 物流更新时间 the parcel last moved then (a typed time after it stays).  Only an
# event (:func:`_trace_event`): any other time written beside a trace (a nudge, a query, a promise) fills a blank cell
# alone, as it did.
_LATER_WINS = frozenset({"last_update"})


def _moved_later(typed: object, other: object, now: datetime) -> datetime | None:
    """``other`` (a trace event's time, as read) where it is later than ``typed`` (the field's own, as read) — after
    the whole of a day typed without its time — and not after ``now`` (no clock's skew here: a time to come is a
    promise or a typo, the typed time stays); else None.  A time without its year is resolved against ``now`` first."""
    typed, other = (vocab.resolve_year(v, now) if v.__class__ is vocab.YearLess else v for v in (typed, other))
    if not isinstance(typed, datetime) or not isinstance(other, datetime) or other.__class__ is vocab.WholeDay:
        return None
    return other if vocab.day_ends(typed)[1] < other <= now else None


# What may stand before a trace line's time: bullets, brackets, a line's number (1. 2025-06-10 …), a label naming it
# the time (时间：…, time: …).  Words before it (最后查询 2025-06-10 09:00, 运输中，2025-06-10 09:00 已催件) make it no
# line's own time.
_LINE_LEAD = re.compile(r"[\W_]*(?:\d{1,2}[.、)]\s*)?[\W_]*(?:(?:时间|time|ftime)\s*[:=]\s*)?[\W_]*", re.IGNORECASE)
_TRACE_LINES = re.compile(r"[;\n\r]+")
_LINE_END = re.compile(r"[\W_]*")
_STATION = re.compile(r"【[^】]+】")


def _trace_event(read: Callable[[object], object], value: object) -> str | None:
    """The time of the latest courier event a trace cell states, or None: a time that leads its line, or the next
    step after an event (2025-06-10 09:00:00 【上海市】快件派送中; a trace's lines pasted whole), or ends a line that names
    its station (【上海市】快件派送中 2025-06-10 09:00:00), whose step ``read`` (the logistics reader) reads as a
    state, with no word of the desk's (:data:`phrases.DESK_NOTE`: 已催件, 查询, 致电, 承诺, 预计 …) and no time it is
    due by (:data:`phrases.DUE_BY`: 18:00前派送).  Several: those written with their years, the latest (as
    :func:`_trace_time`).  Where in doubt, None: the typed 物流更新时间 stands."""
    if value.__class__ is not str or not _HAS_DIGIT(value):
        return None
    text = vocab.nfkc(value)

    def state(step: str) -> bool:
        if phrases.DESK_NOTE.search(step) or phrases.EXPECTED.search(step):
            return False
        return read(step).__class__ is str

    events: list[str] = []
    for line in _TRACE_LINES.split(text):
        stamps = list(phrases.TIMED_STAMP.finditer(line))
        if not stamps:
            continue
        first = stamps[0]
        if len(stamps) == 1 and _LINE_END.fullmatch(line, first.end()) and _STATION.search(line, 0, first.start()):
            if not phrases.DUE_BY.match(line, first.end()) and state(line):
                events.append(first.group())  # (【上海市】快件派送中 2025-06-10 09:00:00)
            continue
        if not _LINE_LEAD.fullmatch(line, 0, first.start()):
            continue
        for m, end in zip(stamps, [*(s.start() for s in stamps[1:]), len(line)]):
            if phrases.DUE_BY.match(line, m.end()) or not state(line[m.start():end]):
                break  # (the next time follows no event of the line's: a span's end, 10:00-12:00, or the desk's note)
            events.append(m.group())
    return _latest_stamp(events)


def _latest_stamp(stamps: Sequence[str]) -> str | None:
    """The latest of a trace's time stamps: the one, or of several those written with their years (several year-less
    ones: which is the latest across a new year is not written, so None); None for none."""
    if len(stamps) <= 1:
        return stamps[0] if stamps else None
    when = [vocab.parse_datetime(t) for t in stamps]
    if not all(w.__class__ is datetime for w in when):
        return None
    return stamps[max(range(len(when)), key=when.__getitem__)]


def _moved_at(cmap: ColumnMap, column: Callable[[int], Sequence[object]], n: int) -> list[list[str]]:
    """Each row's courier event times (:func:`_trace_event`), one per trace column that states one."""
    preset = cmap.preset
    info = cmap.column_of(preset.ship_info) if preset is not None and preset.ship_info else None
    event = partial(_trace_event, _parser_for("logistics", cmap))
    found = [_by_value(column(col), event) for col in cmap.columns_of("logistics")]
    if info is not None:
        found.append(_by_value(column(info), lambda v: event(presets.split_waybill(vocab.plain_cell(v))[2])))
    return [[cast(str, t) for t in times if t is not None] for times in zip(*found)] if found else [[] for _ in range(n)]


def _return_sent(value: object) -> object:
    """What a 退货物流单号 cell says of the return: a number (or what was one: 4.31235E+12) — sent, at least 已揽收; a
    placeholder the id reader takes for none (待填, 客户未提供, 未寄回) — nothing; other words with no digit (见备注) —
    unread, quoted (never "sent")."""
    if vocab.no_value_said(value):
        return None
    value = vocab.plain_cell(value)
    if value.__class__ is not str:  # a number, a tick (True == 1 == 1.0 share a reading): filled
        return "已揽收"
    got = vocab.parse_id(value)
    if got is None:
        return None
    if got is vocab.BAD and not _HAS_DIGIT(value):
        return _Unread(value.strip())
    return "已揽收"


def _as_answered(read, value: object) -> object:
    """A cell of a column whose header gives it words, as the field's word (a blank: None; unreadable: quoted)."""
    if vocab.no_value(value):
        return None
    got = read(vocab.plain_cell(value))
    return None if got is None else _Unread(str(vocab.plain_cell(value)).strip()) if got is vocab.BAD else got


def _time_says(word: str, value: object) -> str | None:
    """``word`` where a time is written down in the cell (a readable moment), else None (blank, 无, or unreadable)."""
    if vocab.no_value_said(value) or vocab.parse_datetime(vocab.plain_cell(value)) in (None, vocab.BAD):
        return None
    return word


def _trace_time(value: object) -> str | None:
    """The time a courier trace in a 物流状态 cell was written with, or None: its one date with a time of day, or
    the latest of several written with their years (a trace's lines pasted whole); nothing expected (预计6月12日
    18:00送达 is no movement)."""
    if value.__class__ is not str or not _HAS_DIGIT(value):
        return None
    text = vocab.nfkc(value)
    stamps = phrases.TIMED_STAMP.findall(text)
    if phrases.EXPECTED.search(text):
        return None
    return _latest_stamp(stamps)


def _by_value(values: Sequence[object], word_of: Callable[[object], object]) -> list[object]:
    """``word_of`` of every value, worked out once per distinct value (cell by cell for an unhashable one)."""
    try:
        word = {v: word_of(v) for v in set(values)}
    except TypeError:  # an unhashable cell value
        return [word_of(v) for v in values]
    return list(map(word.__getitem__, values))


def columns_read(cmap: ColumnMap, keys: Iterable[str] = ALL_KEYS) -> list[int]:
    """The sheet columns :func:`read_columns` reads for ``keys``, sorted: the fields' own columns, the
    columns :func:`_fallbacks` reads words from, the columns naming a field as strongly as its own (compared with it), the columns that may be a field no column feeds
    (:func:`rules.suggested_column`), and those that tell a case row from a blank or totals row.  A host that
    pays per cell handed over (an Excel formula) hands over only these."""
    keys = tuple(keys)
    want = {c for k in keys for c in (*cmap.columns_of(k), *cmap.ties.get(k, ()))}
    want |= {c for c in map(rules.suggested_column, repeat(cmap), keys) if c is not None}
    want |= {cmap.index[k] for k in (*FIELDS_IMPLIES, "order_id", "refund_type", "return_tracking_no", "inspection")
             if k in cmap.index}
    preset = cmap.preset
    if preset is not None:
        for header in (*preset.folded_implies(), preset.ship_info, preset.return_info, preset.ship_record):
            col = cmap.column_of(header) if header else None
            if col is not None:
                want.add(col)
    return sorted(want)


# A return parcel's trace word (logistics vocabulary) → the return's state.
_RETURN_FROM_TRACE: dict[object, str] = {"未揽收": "未寄回", "已揽收": "已揽收", "运输中": "运输中", "派送中": "运输中", "已签收": "已签收"}


class _Unread(str):
    """A courier trace that gives a field no word: the cell it fills is unreadable and the trace quoted,
    even where another column implies a word (a status saying the buyer sent the return)."""


def _return_word(trace: str) -> str:
    """The return's state a return parcel's trace says; :class:`_Unread` for a trace nothing reads and
    for a step that is no state of a return on its way to the shop (退回, 拒收, 丢件, 异常)."""
    said = FIELD_BY_KEY["logistics"].parse(trace)
    word = _RETURN_FROM_TRACE.get(said)
    back = FIELD_BY_KEY["return_logistics"].parse(trace) if said in ("退回", "已签收") else None
    if said == "退回" and back == "已签收":
        word = "已签收"  # the shop's side signed (签收人：仓库): for a return, that is its arrival, not a bounce
    elif said == "已签收" and back != "已签收":
        # who signed is the return's own reading: the buyer's side signing (买家已签收, 签收人：客户) is the return back
        # in the buyer's hands; a parcel point's or a locker's (驿站代收, 已投柜) is no arrival at the shop yet
        word = None
    return _Unread(trace) if word is None else word


_HAS_DIGIT = re.compile(r"\d").search


def _header_rows(table: list[list[object]], cmap: ColumnMap, width: int, aliases: Aliases,
                 column: Callable[[int], Sequence[object]] | None = None) -> list[int]:
    """Rows further down that are a header row of their own (a second export pasted under
    the first, contract §2 "Column precedence"): they start a new block."""
    if len(table) < 2:
        return []
    first = cmap.index.get("order_id", 0)
    firsts = column(first) if column is not None else _column_of(table, first, width)
    has_digit = _HAS_DIGIT

    def candidate(v: object) -> bool:
        return v.__class__ is str and not v.isdigit() and has_digit(v) is None

    if _digit_texts(firsts[1:]):  # the usual column below a first row (maybe the header row): no header text
        rows = [0] if candidate(firsts[0]) else []
    else:
        rows = [i for i, v in enumerate(firsts) if candidate(v)]
    out = []
    for i in rows:
        row = table[i]
        if not all(c is None or c.__class__ is str for c in row):
            continue
        here = resolve(row, aliases)
        if "order_id" in here and "refund_type" in here and len(here.index) >= 3:
            out.append(i)
    return out


def _sheet_of(cmap: ColumnMap) -> Sheet:
    return Sheet(frozenset(k for k in ALL_KEYS if k not in cmap.index), dict(cmap.suggestions))


def read_columns(rows: object, headers: object, *, aliases: Aliases = None,
                 keys: Iterable[str] = ALL_KEYS, colmap: ColumnMap | None = None,
                 now: datetime | None = None) -> Columns:
    """Normalise the fields ``keys`` of a table, one whole column at a time.

    ``aliases``: the team's 列名映射 dict or :class:`~refund_xl._core.fields.Mappings`
    (列名映射 + 值映射).  ``now`` resolves dates typed without a year.  A row further down
    that repeats a header row starts a block read through its own headers.
    """
    table = as_rows(rows)
    cmap = colmap or resolve(as_headers(headers), aliases)
    width = min(map(len, table)) if table else 0
    keys = tuple(keys)
    # Most of the columns read: the table as one row-major list, each column a strided slice of it
    # (rows of one length; else transposed by zip, which stops at the shortest row, ``width``); a
    # narrow function (a few columns of many) takes each column it reads on its own
    many = width and len(columns_read(cmap, keys)) * 4 > width * 3
    flat = list(chain.from_iterable(table)) if many else None
    transposed = None
    if flat is not None and len(flat) != width * len(table):
        flat, transposed = None, list(zip(*table))
    taken: dict[int, Sequence[object]] = {}

    def column(col: int) -> Sequence[object]:
        if transposed is not None and col < width:
            return transposed[col]
        got = taken.get(col)
        if got is None:
            got = taken[col] = flat[col::width] if flat is not None and col < width else _column_of(table, col, width)
        return got

    starts = _header_rows(table, cmap, width, aliases or cmap.mappings, column)
    if not starts:
        return _read_block(table, cmap, keys, now, column)

    def cut(lo: int, hi: int) -> Callable[[int], Sequence[object]]:
        """The columns of rows lo..hi-1, cut from the one transposition."""
        return lambda col: column(col)[lo:hi]

    parts = [_read_block(table[:starts[0]], cmap, keys, now, cut(0, starts[0]))]
    blocks: list[tuple[int, ColumnMap]] = []
    for n, at in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(table)
        sub = resolve(table[at], aliases or cmap.mappings)
        blocks.append((at, sub))
        parts.append(_read_block(table[at:end], sub, keys, now, cut(at, end), header_first=True))
    out = _stitch(parts, cmap, blocks)
    for i in _notices(table, starts, [cmap, *(sub for _at, sub in blocks)]):
        if not out.blank[i]:
            out.skipped["notice"] = out.skipped.get("notice", 0) + 1
        out.blank[i] = True  # the pasted export's notice line: no case
        out.bad.pop(i, None)
        out.bad_values.pop(i, None)
    return out


_NOTICE_ROWS = 3  # lines of a notice an export may print above its header row
_KIND = FIELD_BY_KEY["refund_type"]


def _notices(table: list[list[object]], starts: list[int], cmaps: list[ColumnMap]) -> list[int]:
    """Rows right above a repeated header row that are the pasted export's notice (拼多多's 温馨提示 …):
    at most two cells, all text, none an id (ASCII letters with digits) nor a 售后类型.  ``cmaps``: the
    header row each block is read through (the rows above ``starts[n]`` are block ``n``'s)."""
    out: list[int] = []
    for n, at in enumerate(starts):
        kind = cmaps[n].index.get("refund_type")
        lo = starts[n - 1] + 1 if n else 0
        for i in range(at - 1, max(lo, at - _NOTICE_ROWS) - 1, -1):
            row = table[i]
            filled = [c for c in row if not _is_blank((c,))]
            texts = [c.strip() for c in filled if isinstance(c, str)]
            if not texts or len(texts) > 2 or len(texts) < len(filled):
                break
            if kind is not None and kind < len(row) and _KIND.parse(vocab.plain_cell(row[kind])) not in (None, vocab.BAD):
                break
            if any(t.isascii() and t.isalnum() and _HAS_DIGIT(t) for t in texts):
                break
            out.append(i)
    return out


def _stitch(parts: list[Columns], cmap: ColumnMap, blocks: list[tuple[int, ColumnMap]]) -> Columns:
    keys = parts[0].keys
    values = [list(chain.from_iterable(p.values[k] for p in parts)) for k in range(len(keys))]
    bad: dict[int, tuple[str, ...]] = {}
    typed: dict[int, tuple[str | None, ...]] = {}
    blank: list[bool] = []
    sheets: list[Sheet] = []
    fallback: dict[str, int] = {}
    fallback_from: dict[str, dict[str, int]] = {}
    skipped: dict[str, int] = {}
    offset = 0
    per_block = []
    for p in parts:
        per_block.append((offset, p.fallback, p.fallback_from))
        for k, by in p.fallback_from.items():
            mine = fallback_from.setdefault(k, {})
            for header, c in by.items():
                mine[header] = mine.get(header, 0) + c
        for i, names in p.bad.items():
            bad[offset + i] = names
            typed[offset + i] = p.bad_values.get(i, ())
        blank += p.blank
        sheets += [p.sheet] * len(p.blank)
        for k, c in p.fallback.items():
            fallback[k] = fallback.get(k, 0) + c
        for k, c in p.skipped.items():
            skipped[k] = skipped.get(k, 0) + c
        offset += len(p.blank)
    out = Columns(keys, values, bad, blank, cmap, typed, fallback, parts[0].sheet, blocks, skipped=skipped,
                  fallback_from=fallback_from, block_fallback=per_block)
    out.sheets = sheets
    return out


def _read_block(table: list[list[object]], cmap: ColumnMap, keys: tuple[str, ...], now: datetime | None,
                column: Callable[[int], Sequence[object]], header_first: bool = False) -> Columns:
    """One block of rows read through one header row (``header_first``: its first row is
    that header row, kept in place as a row that is no case).  ``column``: the block's columns, as
    :func:`read_columns` took them from the table."""
    if header_first and table:  # the rows below it read as any rows are (their columns' usual cells)
        return _below_header_row(_read_block(table[1:], cmap, keys, now, lambda col: column(col)[1:]))
    n = len(table)
    width = min(map(len, table)) if table else 0
    kinds: dict[str, int] = {}
    blank = _not_cases(table, cmap, width, column, kinds)
    columns: list[list[object]] = []
    bad_by_row: dict[int, list[tuple[str, str | None]]] = {}
    extra, claims, sources = _fallbacks(cmap, table, width, keys, column) if n else ({}, {}, {})
    filled: dict[str, int] = {}
    filled_from: dict[str, dict[str, int]] = {}
    for key in keys:
        col = cmap.index.get(key)
        fld = FIELD_BY_KEY[key]
        fill = extra.get(key)
        # rows where a column that may be this field says one of its words: unknown, never the default nor what
        # other columns imply (no cell of its own to quote: the report and the row name that column)
        maybe = rules.suggested_column(cmap, key) if col is None and n else None
        asked = [] if maybe is None else \
            list(compress(count(), map(is_not, _normalise_column(_parser_for(key, cmap, cmap.headers[maybe]), None,
                                                                 column(maybe))[0], repeat(None))))
        if col is None and fill is None:
            columns.append([fld.default] * n)
            for i in asked:
                columns[-1][i] = None
                bad_by_row.setdefault(i, []).append((key, None))
            continue
        parse = _parser_for(key, cmap)
        raw: Sequence[object]
        values: list[object]
        bad: list[int]
        if col is None:
            raw = [None] * n
            values, bad = [None] * n, []
        else:
            raw = column(col)
            # blanks read as the field's default at once, unless other columns fill them below; a
            # column left empty (a field the sheet has but nobody fills): nothing to parse
            default = fld.default if fill is None else None
            values, bad = ([default] * n, []) if all(map(is_, raw, repeat(None))) else \
                _normalise_column(parse, default, raw)
        quoted: dict[int, object] = {}
        shown: dict[int, object] = {}  # a cell filled from another column: what that column says
        if col is not None and getattr(parse, "either", False) and vocab.Either in set(map(type, values)):
            # a word that says one of several (售后状态 已完成: refunded or done otherwise): quoted, unknown among them
            for i in [i for i, v in enumerate(values) if v.__class__ is vocab.Either]:
                quoted[i], values[i] = values[i], None
        money = fld.parse is vocab.parse_money
        # an amount field's rows that say more than one amount (59｜599) or an amount not known (beside a rival's
        # unreadable cell, below) → those amounts (empty: not known), and the cells quoted for them
        amounts: dict[int, frozenset] = {}
        amount_parts: dict[int, list[object]] = {}
        if money and col is not None and bad:
            for i in bad:
                if (joined := _joined_amounts(parse, raw[i])) is not None:  # as two columns' amounts are (below)
                    amounts[i], amount_parts[i] = joined, [raw[i]]
                    quoted[i] = _pair(joined, raw[i])
        if fill is not None:
            bad_rows = set(bad)
            n_filled = 0
            came = sources.get(key) or [None] * n
            by: dict[str, int] = {}
            read = _Read(parse, None)  # each word another column gives, read once
            events = _moved_at(cmap, column, n) if key in _LATER_WINS and now is not None else None
            for i in compress(count(), map(is_not, fill, repeat(None))):
                word = fill[i]
                if events and values[i] is not None and i not in bad_rows:
                    # (物流更新时间 2025-06-07 08:00 beside a trace's 2025-06-10 09:00 派送中; never a nudge's, a query's
                    # or a promise's time: 2025-06-10 09:00 已催件)
                    moved = [(m, ev) for ev in events[i] if (m := _moved_later(values[i], read[ev], now)) is not None]  # type: ignore[arg-type]
                    if moved:
                        values[i], shown[i] = max(moved, key=itemgetter(0))
                        n_filled += 1
                        by[came[i] or ""] = by.get(came[i] or "", 0) + 1
                    continue
                if values[i] is None and i not in bad_rows:
                    if word.__class__ is vocab.Both:  # two columns each saying a word (rules.BEHIND): quoted, asked
                        quoted[i] = word
                        continue
                    got = vocab.BAD if word.__class__ is _Unread else read[word]
                    if got.__class__ is vocab.Either:  # another column's word that says one of several: quoted
                        quoted[i] = got
                        continue
                    if got is not None and got is not vocab.BAD:
                        values[i] = got
                        shown[i] = word
                        n_filled += 1
                        by[came[i] or ""] = by.get(came[i] or "", 0) + 1
                    elif got is vocab.BAD:  # a courier trace the reader cannot read: quoted, never dropped
                        quoted[i] = word
            if n_filled:
                filled[key] = n_filled
                filled_from[key] = by
        for at in _rivals(cmap, key) if col is not None else ():
            # another column of the field saying another word in the same row (物流状态 运输中, 物流信息 已签收), or
            # another amount (two 退款金额 columns, 59 and 599): which holds, the sheet does not say — never resolved by
            # position (contract §2 "Column precedence"): unknown, both quoted (the rules decide what both give)
            said = column(at)
            rival = _parser_for(key, cmap, cmap.headers[at])
            theirs, unread = _normalise_column(rival, None, said)
            taken = set(bad) | set(quoted) | set(shown)
            if money:
                # an amount beside its rival's unreadable cell (59 beside 五十九块, 1.299, abc): the amount is not
                # known, as where the field's own cell is the unreadable one — never the readable one by position
                for i in unread:
                    joined = _joined_amounts(rival, said[i])
                    theirs[i] = vocab.BAD if joined is None else joined
                header = f"／{cmap.headers[at]}:"
                for i in [i for i, b in enumerate(theirs) if b is not None and i not in shown and
                          (i in amounts or values[i] is not None and i not in taken)]:
                    mine = amounts.get(i, frozenset((values[i],)))
                    b = theirs[i]
                    words = frozenset() if b is vocab.BAD or not mine else \
                        mine | (b if b.__class__ is frozenset else {b})
                    if len(words) == 1:  # (the same amount)
                        continue
                    amounts[i] = words
                    amount_parts.setdefault(i, [raw[i]]).extend((header, said[i]))
                    quoted[i] = _pair(words, *amount_parts[i])
                    values[i] = None
                continue
            if at in cmap.ties.get(key, ()):
                # a word beside the unreadable cell of a column named as strongly (two 物流状态: 运输中 and xyz): the
                # word is not known, as where the field's own cell is the unreadable one — never the readable one by
                # position (a column named more weakly, 物流信息 beside 物流状态, leaves the stronger one's word)
                for i in unread:
                    if values[i] is not None and i not in taken:
                        quoted[i] = _pair((), raw[i], f"／{cmap.headers[at]}:", said[i])
                        values[i] = None
            together = wordbook.WORDS[key].together if key in wordbook.WORDS else frozenset()
            # the same word read two ways (退货物流状态 待揽收 beside 退货物流信息 未寄回: 未寄回, and 未寄回 not collected
            # yet): the plain word, whichever column is the field's own (a reading holds only where both give it)
            for i in [i for i, (a, b) in enumerate(zip(values, theirs))
                      if a is not None and b.__class__ is str and a.__class__ is not str and a == b]:
                values[i] = theirs[i]
            for i in [i for i, (a, b) in enumerate(zip(values, theirs))
                      if a is not None and b is not None and a != b and frozenset({a, b}) not in together]:
                if i not in taken:
                    quoted[i] = _pair((values[i], theirs[i]), raw[i], f"／{cmap.headers[at]}:", said[i])
                    values[i] = None
        claimed = claims.get(key) if col is not None else None
        if claimed is not None:
            # the field's own word beside a status or trace that says it is behind (发货状态 未发货 beside 已发货仅退款,
            # 退货物流状态 未寄回 beside 买家已经退货): which holds, the sheet does not say — both quoted, asked
            behind_of = rules.BEHIND.get(key, {})
            word_of = _Read(parse, None)  # each claimed word read once
            for i in compress(count(), map(is_not, claimed, repeat(None))):
                word, (source, said) = values[i], cast(tuple, claimed[i])
                if word is None or i in quoted or said.__class__ is not str:  # (an unread trace: _Unread)
                    continue
                other = word_of[said]
                if word in behind_of.get(other, ()):
                    quoted[i] = _pair((word, other), raw[i], f"／{source}:{other}")
                    values[i] = None
        if quoted:
            bad = sorted(set(bad) | set(quoted))
        if fld.parse is vocab.parse_id:
            # ids Excel cut to 15 digits and padded with zeros (4802990940898680000): unreadable, never keys
            # (a column that holds ids Excel cut short besides went through Excel as numbers: vocab.padded_ids)
            padded = vocab.padded_ids(values, any(vocab.is_lossy_id(raw[i]) for i in bad))  # type: ignore[arg-type]
            if padded:
                cut = [i for i, v in enumerate(values) if v in padded]
                for i in cut:
                    values[i] = None
                bad = sorted(set(bad) | set(cut))
        # (the checks below hold for what other columns filled in too: their words are quoted)
        if key in _DATE_KEYS and vocab.YearLess in set(map(type, values)):
            values = vocab.resolve_dates(values, now, nearest=key == "deadline")
            late = [i for i, v in enumerate(values) if v is vocab.BAD]
            for i in late:
                values[i] = None
            bad = sorted(set(bad) | set(late))
        if key in _EVENT_KEYS and now is not None:
            # an event written as after now (beyond a clock's skew): a typo, never "just now"
            limit = now + _SKEW
            latest = max(filter(None, values), default=None)  # type: ignore[type-var]  # dates
            if latest is not None and latest > limit:  # type: ignore[operator]
                ahead = [i for i, v in enumerate(values) if v is not None and v > limit]  # type: ignore[operator]
                for i in ahead:
                    values[i] = None
                bad = sorted(set(bad) | set(ahead))
        if fld.default is not None and values.count(None) > len(bad):  # blanks besides the unreadable cells
            default = fld.default
            values = [default if v is None else v for v in values]
            for i in bad:  # an unreadable cell stays unknown, never the default
                values[i] = None
        if asked:
            bad = sorted(set(bad) - set(asked))
            for i in asked:
                values[i] = None
                bad_by_row.setdefault(i, []).append((key, None))
        columns.append(values)
        for i in bad:
            typed = quoted[i] if i in quoted else shown.get(i, raw[i])
            bad_by_row.setdefault(i, []).append((key, typed if isinstance(typed, vocab.Both) else _typed(typed)))
    return Columns(keys, columns,
                   {i: tuple(k for k, _ in b) for i, b in bad_by_row.items()}, blank, cmap,
                   {i: tuple(v for _, v in b) for i, b in bad_by_row.items()}, filled, _sheet_of(cmap), skipped=kinds,
                   fallback_from=filled_from)


def _below_header_row(cols: Columns) -> Columns:
    """``cols`` with a header row in front: a row that is no case, each field at its default."""
    def later(by_row: Mapping[int, tuple]) -> dict[int, tuple]:
        return {i + 1: v for i, v in by_row.items()}

    values = [[FIELD_BY_KEY[k].default, *v] for k, v in zip(cols.keys, cols.values)]
    return Columns(cols.keys, values, later(cols.bad), [True, *cols.blank], cols.cmap, later(cols.bad_values),
                   cols.fallback, cols.sheet, skipped=cols.skipped, fallback_from=cols.fallback_from)


def case_tuples(cols: Columns) -> Iterator[tuple]:
    """Each row's values in :class:`Case` field order (unread fields ``None``)."""
    n = len(cols.blank)
    by_key = dict(zip(cols.keys, cols.values))
    bad_col: list[tuple[str, ...]] = [()] * n
    typed_col: list[tuple[str | None, ...]] = [()] * n
    for i, names in cols.bad.items():
        bad_col[i] = names
        typed_col[i] = cols.bad_values.get(i, ())
    columns = [by_key.get(name) or repeat(None, n) for name in Case._fields[:-3]]
    sheets = getattr(cols, "sheets", None) or repeat(cols.sheet, n)
    return zip(*columns, sheets, bad_col, typed_col)


def case_at(cols: Columns, i: int) -> Case:
    """Row ``i``'s :class:`Case` (as :func:`case_tuples` makes it), for a renderer that needs a few rows only."""
    by_key = dict(zip(cols.keys, cols.values))
    values = [(c[i] if c is not None else None) for c in map(by_key.get, Case._fields[:-3])]
    sheet = cols.sheets[i] if cols.sheets else cols.sheet
    return tuple.__new__(Case, (*values, sheet, cols.bad.get(i, ()), cols.bad_values.get(i, ())))


def cases_of(cols: Columns) -> list[Case | None]:
    """One :class:`Case` per row (``None`` for blank rows) from normalised columns."""
    new = tuple.__new__
    return [None if skip else new(Case, values) for skip, values in zip(cols.blank, case_tuples(cols))]


def read_cases(rows: object, headers: object, *, aliases: Aliases = None,
               keys: Iterable[str] = ALL_KEYS, colmap: ColumnMap | None = None,
               now: datetime | None = None) -> tuple[list[Case | None], ColumnMap]:
    """Normalise the table: one :class:`Case` per row, ``None`` for blank rows."""
    with bulk():
        cols = read_columns(rows, headers, aliases=aliases, keys=keys, colmap=colmap, now=now)
        return cases_of(cols), cols.cmap


class RowResult(NamedTuple):
    """Every per-row result of contract §4 for one row (blank rows: ``blank=True``).

    A tuple: 100k of them are made per call (its fields after ``case`` are
    :class:`refund_xl._core.rules.Evaluated`'s, in that order)."""

    case: Case | None
    decision: Decision | None = None
    stall_code: str = ""
    stall_hours: float | None = None
    deadline_code: str = ""
    hours_left: float | None = None
    value_tier: str = ""
    loss_risk: str = ""
    error: str = ""  # a short message when the row could not be evaluated at all
    blank: bool = False
    risk_needs: tuple[str, ...] = ()  # a cautious RISK: the unknown columns behind it
    stall_needs: tuple[str, ...] = ()  # a stall the sheet cannot tell: what would tell it
    deadline_needs: tuple[str, ...] = ()  # a deadline the sheet cannot tell: what would tell it

    @property
    def action_code(self) -> str:
        return self.decision.code if self.decision else ""

    @property
    def rule(self) -> str:
        return self.decision.rule if self.decision else ""

    def action_label(self, english: bool = False) -> str:
        """处理动作 as every output shows it (:func:`refund_xl._core.render.action_of`)."""
        return render.action_of(self, english)

    def why(self, english: bool = False) -> str:
        if self.error:
            return self.error
        return self.decision.why(english) if self.decision else ""

    def as_output(self, english: bool = False) -> dict[str, object]:
        """The evaluate command's added columns for this row (:func:`refund_xl._core.render.machine_cells`)."""
        return render.machine_cells(self, english)


def case_of(res: RowResult) -> Case:
    """The case of a result its caller knows has one (an evaluated row, not a blank or unreadable one)."""
    if res.case is None:
        raise ValueError("a result without a case")
    return res.case


def _result(case: Case, e) -> RowResult:
    return tuple.__new__(RowResult, (case, *e))


def row_result(case: Case, row: tuple, s: Settings, outcome: rules.Outcome | None = None) -> RowResult:
    """One row's results from its facts (``row``: atoms, stall hours, hours left, since) and, when
    already known, the outcome of those atoms; a defect becomes the row's own error."""
    try:
        o = outcome or rules._OUTCOMES.get(row[0]) or rules.outcome_of(row[0])
        return _result(case, rules.evaluated(case, row, s, o))
    except Exception as exc:  # a defect must not break the other rows
        return RowResult(case, error=render.row_error(exc))


def evaluate_columns(cols: Columns, s: Settings, now: datetime) -> list[RowResult]:
    """Every §4 result for every row of a read table: the facts are worked out a column at a
    time (:func:`refund_xl._core.rules.atom_columns`), the table decides once per distinct
    combination of facts, each row words its own numbers only when shown."""
    n = len(cols.blank)
    by_key = dict(zip(cols.keys, cols.values))
    empty = [None] * n

    def get(key: str):
        return by_key.get(key) or empty

    cases = cases_of(cols)
    try:
        facts = rules.atom_columns(get, n, cols.bad, cols.sheets or [cols.sheet] * n, s, now, cols.bad_values)
    except Exception:  # a defect in one row's facts: evaluate row by row, so only that row shows it
        return [RowResult(None, blank=True) if c is None else _evaluate_case(c, s, now) for c in cases]
    blank = RowResult(None, blank=True)
    return [blank if case is None else row_result(case, row, s)
            for case, row in zip(cases, zip(facts.atoms, facts.stall_hours, facts.hours_left, facts.since))]


def _evaluate_case(case: Case, s: Settings, now: datetime) -> RowResult:
    try:
        e = rules.evaluate(case, s, now)
    except Exception as exc:  # a defect must not break the other rows
        return RowResult(case, error=render.row_error(exc))
    return _result(case, e)


def evaluate_table(rows: object, headers: object, ctx: context.Context, *, columns: ColumnMap | None = None,
                   sheet: str | None = None) -> tuple[list[RowResult], report.ReadingReport]:
    """Every §4 result for every row, and the reading report of the table (contract §2.2), for a
    run's context as built at its boundary.  ``columns``: the header row as already resolved (the
    table was found so); nothing here resolves the header row or the reference time again."""
    with bulk():
        cols = read_columns(rows, headers, aliases=ctx.mappings, colmap=columns, now=ctx.now)
        results = evaluate_columns(cols, ctx.settings, ctx.now)
    rep = report.build(cols, sheet)
    rep.notes = list(ctx.notes)  # the run's other tables: what they hold that nothing uses
    rep.english = ctx.english
    return results, rep


def evaluate_read(rows: object, headers: object, settings: object = None, now: object = None,
                  aliases: Aliases = None, sheet: str | None = None):
    """:func:`evaluate_table` with the context given in parts (a Settings or a 设置 table, a
    reference time in any form a person gives it, the 列名映射 dict or Mappings)."""
    ctx = context.build(settings=settings, mappings=aliases, now=now)
    return evaluate_table(rows, headers, ctx, sheet=sheet)


def evaluate(rows: object, headers: object, settings: object = None, now: object = None,
             aliases: Aliases = None) -> list[RowResult]:
    """Every §4 result for every row.  ``settings``: Settings, a 设置 table, or None;
    ``aliases``: the 列名映射 dict or a :class:`~refund_xl._core.fields.Mappings`."""
    return evaluate_read(rows, headers, settings, now, aliases)[0]
