"""Reading one platform export for ``import`` (contract §7, §2.1): rows in, the cases it holds out.

The export's rows arrive as an iterator (the file host streams a CSV line by
line) and are read in blocks of :data:`CHUNK` rows through the engine's own
reading (:func:`refund_xl._core.engine.read_columns`: header detection,
platform presets, 列名映射 / 值映射): nothing here matches headers or words.
Of each row only what import writes is kept (:class:`ImportCase`, a compact
tuple per case), so a 400k-row export never sits in memory as 400k rows of 42
cells.

What a case keeps: the fields' canonical values; of an address the province;
of a phone the last four digits, and only for 顺丰 (its tracking query needs
them); never a name.  Free text (退货原因, 问题描述, a word no reader knows, 商品名称)
is masked (:mod:`refund_xl._app.masking`).  Rows that are no case — a notice
line above the headers or at the bottom (PDD's 温馨提示), a totals or summary line
(合计：22 条, 导出人：客服小王; :func:`refund_xl._core.engine.not_a_case`, the rule
evaluate reads them by), a blank row between cases, a row without any usable
订单号 / 售后单号 — are skipped with a reason (:class:`Skipped`), never made into a case.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice
from typing import Iterable, Iterator, Sequence

from refund_xl._core import engine, fields, report, vocab
from refund_xl._core.ranges import SheetRows
from refund_xl._core.vocab import is_blank
from refund_xl._core.fields import Aliases, FIELDS, FIELD_BY_KEY
from refund_xl._core.rules import TIME_SAYS
from refund_xl._app.masking import ID_KEYS, mask_field, mask_quote

__all__ = ["ExportRead", "ImportCase", "Skipped", "read_export", "IMPORT_KEYS", "key_id", "is_sf",
           "PLATFORM_NAMES", "CHUNK", "mappings"]

DOUBT_SEP = vocab.DOUBT_SEP  # between the words of a cell the export itself is in two minds about (intake_merge.CONFLICT_SEP)
CHUNK = 20_000  # rows read per block: bounded memory, the engine's column passes still amortised
_SCAN = fields.HEADER_SCAN_FAR + 1  # rows looked at for the header row (fields.header_at's, a two-row header one more)

# What a case carries into the book, in this order (ImportCase.values); 平台, 商品名称 and the
# phone are kept beside them.  (An export's times written down, rules.TIME_SAYS, are not carried: its 售后状态, 物流状态
# … say what they say, and the book keeps one record of each, the one the desk updates.)
IMPORT_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.key not in ("platform", "goods_name", "phone", *TIME_SAYS))
_SLOT = {k: i for i, k in enumerate(IMPORT_KEYS)}
_READ_KEYS = tuple(f.key for f in FIELDS)
_DEFAULTED = tuple(k for k in IMPORT_KEYS if FIELD_BY_KEY[k].default is not None)
# Slots whose values may be text the export typed (the rest are canonical words, times, amounts):
# free text is masked; an id column's text that is no id is masked too.
_TEXT_SLOTS = tuple((_SLOT[k], k, frozenset(FIELD_BY_KEY[k].choices)) for k in IMPORT_KEYS
                    if k not in ID_KEYS and (FIELD_BY_KEY[k].parse is vocab.parse_text or k == "reason"))
_ID_SLOTS = tuple(_SLOT[k] for k in ("order_id", "case_id", "tracking_no", "return_tracking_no"))

# The 平台 column's words, per preset key (a preset's own name is longer: 淘宝/天猫 千牛退款管理).
PLATFORM_NAMES = {"taobao": "淘宝", "tmall": "淘宝", "pdd": "拼多多", "doudian": "抖店", "douyin": "抖店",
                  "jd": "京东", "wechat": "微信小店", "wdt": "旺店通"}

# Skip reasons (what the report says).
NOTICE_ABOVE = "表头上方的提示行"
NOTICE = "提示/说明行（不是售后单）"
TOTALS = "合计/说明行（不是售后单）"
SECTION = "分段标题行（只有一个日期或标题，不是售后单）"
BLANK = "空行"
_SKIP_REASON = {"notice": NOTICE, "section": SECTION}  # engine.not_a_case's kinds; the others: TOTALS
NO_ID = "没有订单号或售后单号"
BAD_ID = "订单号/售后单号无法识别"
LOSSY_ID = "订单号/售后单号被 Excel 丢掉了后几位（如 4.80299E+18），不能作为单号"


@dataclass
class Skipped:
    source: str
    line: int  # 1-based row of the export (0: the whole file)
    reason: str


class ImportCase:
    """One case of an export: canonical values per :data:`IMPORT_KEYS` (None: the export did not fill it)."""

    __slots__ = ("platform", "values", "raw_bad", "product", "phone4", "source", "line", "keys")

    def __init__(self, platform: str, values: tuple, raw_bad: dict[str, object] | None, product: str | None,
                 phone4: str | None, source: int, line: int, keys: tuple | None = None):
        self.platform = platform
        self.values = values
        self.raw_bad = raw_bad or {}
        self.product = product
        self.phone4 = phone4
        self.source = source  # index of the export among the run's exports
        self.line = line
        # (售后单号, 订单号, 物流单号) as keys (key_id): None where the export has none usable
        self.keys = keys if keys is not None else tuple(key_id(self.get(k)) for k in ("case_id", "order_id",
                                                                                       "tracking_no"))

    def get(self, key: str) -> object:
        return self.values[_SLOT[key]]

    def items(self) -> Iterator[tuple[str, object]]:
        return ((k, v) for k, v in zip(IMPORT_KEYS, self.values) if v is not None)

    @property
    def ids(self) -> tuple[object, object]:
        return self.get("case_id"), self.get("order_id")

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"ImportCase({self.platform!r}, {dict(self.items())!r}, line={self.line})"


@dataclass
class ExportRead:
    source: str
    platform: str
    cases: list[ImportCase]
    skipped: list[Skipped]
    report: str = ""  # the reading report (contract §2.2), a few lines
    reading: str = ""  # the same in one line, for 运行日志
    filled: set[str] = field(default_factory=set)  # fields some case has a value (or a raw cell) for
    index: int = 0  # the export's place among the run's exports (oldest first)

    @property
    def whole_file_skipped(self) -> bool:
        return any(s.line == 0 for s in self.skipped)



_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_\-/.#]{0,63}")


def key_id(value: object) -> str | None:
    """An id that may key a case: text read by the id reader, shaped like an id (letters, digits, - _ / . #,
    at least one digit), never one Excel cut short (contract §2 "Ids").  Else None."""
    if value is None or value is vocab.BAD:
        return None
    if value.__class__ is not str:
        value = vocab.parse_id(value)
        if not isinstance(value, str):
            return None
    if _ID.fullmatch(value) and not value.isalpha() and not vocab.is_lossy_id(value):
        return value
    return None


def is_sf(carrier: object, tracking_no: object) -> bool:
    """顺丰 parcels: the courier's tracking query needs the phone's last four digits."""
    c = vocab.fold(str(carrier)).lower() if carrier else ""
    t = vocab.fold(str(tracking_no)).upper() if tracking_no else ""
    return "顺丰" in c or c.startswith("sf") or "shunfeng" in c or t.startswith("SF")


def _phone4(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = "".join(ch for ch in vocab.fold(str(value)) if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else None


def mappings(aliases: Aliases, value_rows: Iterable[Iterable[object]] | None = None) -> Aliases:
    """The team's 列名映射 and a 值映射 table (rows) as one :class:`fields.Mappings`."""
    if value_rows is None:
        return aliases
    given = fields.as_mappings(aliases)
    return fields.Mappings(dict(given.columns), {**given.values, **fields.parse_value_table(value_rows)})


def _unwrap(row: Sequence[object], cols: Sequence[int]) -> list[object]:
    """``="4242994886263078938"`` (a tool's guard against Excel's float) → the text inside, in the columns read."""
    out = row if isinstance(row, list) else list(row)
    for c in cols:
        if c < len(row):
            v = row[c]
            if v.__class__ is str and v[:2] == '="' and v[-1:] == '"' and len(v) >= 3:
                if out is row:
                    out = list(row)
                out[c] = v[2:-1]
    return out


def _platform_of(cmap) -> str:
    """The platform's short name (平台 column) of an export, from the preset the engine recognised."""
    preset = getattr(cmap, "preset", None)
    if preset is None:
        return ""
    return PLATFORM_NAMES.get(getattr(preset, "key", ""), "") or str(getattr(preset, "name", "")).split("/")[0]


def _text(key: str | None, value: object) -> object:
    """A value as it may go into the book: text of a free-text field masked, ids and typed values as they are."""
    if value.__class__ is str and key not in ID_KEYS:
        fld = FIELD_BY_KEY.get(key) if key else None
        if fld is None or not fld.choices or value not in fld.choices:
            return mask_field(key, value)
    return value


def _doubt(key: str, both: vocab.Both) -> str:
    """A cell two columns of an export each say a word of (:class:`vocab.Both`) as the book keeps it: both words in the
    field's order (two amounts: from the least), joined as two rows' conflicting values are (``未发货｜已发货``: no reader
    reads it, the decision asks; ``59｜599``: read back as the two amounts two columns give, engine._joined_amounts); the
    quote itself (masked) where the words are not known."""
    order = FIELD_BY_KEY[key].choices
    if both.words and all(w in order for w in both.words):
        return _Doubt(DOUBT_SEP.join(w for w in order if w in both.words))
    if both.words and all(w.__class__ is float for w in both.words):  # two amounts (59｜599), to the fen
        return _Doubt(DOUBT_SEP.join(map(vocab.money_text, sorted(both.words))))
    return str(mask_quote(key, both))


class _Doubt(str):
    """Two words of a field joined (:func:`_doubt`): written as they are, never masked (no personal data in them)."""


class _Reader:
    """The state of one export being read block by block."""

    def __init__(self, name: str, index: int, headers: list[object], cmap: fields.ColumnMap, now: datetime | None,
                 first_line: int):
        self.name, self.index, self.now = name, index, now
        self.headers = headers
        self.aliases = cmap.mappings
        self.cmap = cmap
        preset = cmap.preset
        extra = [cmap.column_of(h) for h in (getattr(preset, "ship_info", None), getattr(preset, "return_info", None),
                                             getattr(preset, "ship_record", None)) if h]
        self.read_cols = sorted({*cmap.index.values(), *(c for c in extra if c is not None)})  # columns read
        self.platform = _platform_of(self.cmap)
        self.line = first_line
        self.cases: list[ImportCase] = []
        self.skipped: list[Skipped] = []
        self.filled: set[str] = set()
        self.blank_run: list[int] = []  # blank rows not yet known to lie between cases
        self.report: report.ReadingReport | None = None
        self.derived: dict[str, int] = {}

    def block(self, rows: list[list[object]]) -> None:
        cols = engine.read_columns(rows, self.headers, aliases=self.aliases, keys=_READ_KEYS, colmap=self.cmap,
                                   now=self.now)
        self._report(cols)
        cmap = self.cmap
        by_key = dict(zip(cols.keys, cols.values))
        index = cmap.index
        fallback = cols.fallback
        columns = [by_key[k] for k in IMPORT_KEYS]
        # a field's default is the engine's reading of an empty cell, not a fact the export gave: never written.  Where
        # other columns fill some of the field's empty cells (a 退货物流单号 says 已揽收), each row is told apart
        said = engine.implied(rows, cmap, [k for k in _DEFAULTED if k in fallback]) if fallback else {}
        default_cols = [(_SLOT[k], index.get(k), FIELD_BY_KEY[k].default, said.get(k)) for k in _DEFAULTED]
        named_col, product_col, phone_col = by_key["platform"], by_key["goods_name"], by_key["phone"]
        order_col, case_col = by_key["order_id"], by_key["case_id"]
        cases: list[ImportCase] = []
        for i, row in enumerate(rows):
            line = self.line + i
            if cols.blank[i]:
                if any(not is_blank(c) for c in row):  # (a repeated header row, a notice above it: TOTALS's words)
                    self._skip(line, _SKIP_REASON.get(engine.not_a_case(row, cmap) or "", TOTALS))
                else:
                    self.blank_run.append(line)
                continue
            values = [col[i] for col in columns]
            keys = [key_id(values[slot]) for slot in _ID_SLOTS]
            if keys[0] is None and keys[1] is None:  # no 订单号 nor 售后单号 to know the case by
                bad = {"order_id", "case_id"} & set(cols.bad.get(i, ()))
                self._skip(line, self._why_no_id(row, order_col[i], case_col[i], bad))
                continue
            for slot, c, default, other in default_cols:
                if values[slot] == default and (c is None or c >= len(row) or is_blank(row[c])) \
                        and (other is None or other[i] is None):
                    values[slot] = None
            province = values[_SLOT["province"]]
            if province is not None and province not in vocab.PROVINCES:
                values[_SLOT["province"]] = None  # of an address only the province; no province, nothing
            for slot, k, choices in _TEXT_SLOTS:
                v = values[slot]
                if v.__class__ is str and v not in choices:
                    values[slot] = mask_field(k, v)
            for slot, got in zip(_ID_SLOTS, keys):
                if got is None and values[slot].__class__ is str:
                    values[slot] = mask_field(None, values[slot])  # text in an id column that is no id
            raw_bad = None
            bad_keys = cols.bad.get(i)
            if bad_keys:
                raw_bad = {}
                typed = cols.bad_values.get(i, ())
                for j, k in enumerate(bad_keys):
                    if k in ("platform", "goods_name", "phone"):
                        continue
                    if j < len(typed) and typed[j] is None:  # no cell: a column that may be the field holds something
                        continue
                    c = index.get(k)
                    raw = row[c] if c is not None and c < len(row) else None
                    both = typed[j] if j < len(typed) else None
                    if both.__class__ is vocab.Both:  # (a vocab.Either is one cell's text: written as typed)
                        # two columns saying two words (未发货 beside 已发货仅退款): both written, so the book asks
                        # as the export does (rules.BEHIND); never the field's own, lagging word alone
                        raw = _doubt(k, both)
                    elif is_blank(raw) and j < len(typed):
                        # a field read from another column (a preset's combined cell): its text whole, not as quoted
                        raw = getattr(typed[j], "whole", typed[j])
                    if k in ID_KEYS and (isinstance(raw, float) and vocab.is_lossy_id(raw)
                                         or isinstance(raw, str) and vocab.is_padded_id(raw)):
                        # as Excel shows it (4.80299E+18), never as digits: a float's, or zeros Excel wrote out
                        raw = f"{float(raw):.5E}"
                    raw_bad[k] = raw if raw.__class__ is _Doubt else _text(k, raw) if isinstance(raw, str) else raw
                    self.filled.add(k)
            named = named_col[i]
            product = product_col[i]
            phone = phone_col[i]
            phone4 = None
            if phone is not None:  # of a phone only the last four digits, and only for 顺丰
                phone4 = _phone4(phone) if is_sf(values[_SLOT["carrier"]], values[_SLOT["tracking_no"]]) else None
            # text in, text out (_text masks a string, never changes its type)
            plat = self.platform or (str(_text("platform", named)) if isinstance(named, str) else "")
            cases.append(ImportCase(
                plat, tuple(values), raw_bad, str(_text("goods_name", product)) if isinstance(product, str) else None,
                phone4, self.index, line, (keys[1], keys[0], keys[2])))
            if self.blank_run:  # blank rows between cases: skipped and said so
                for b in self.blank_run:
                    self._skip(b, BLANK)
                self.blank_run = []
        self.line += len(rows)
        for slot, k in enumerate(IMPORT_KEYS):
            if k not in self.filled and any(case.values[slot] is not None for case in cases):
                self.filled.add(k)
        self.cases.extend(cases)

    def _why_no_id(self, row, order, case, bad) -> str:
        cut = [(key, row[c]) for key, c in (("order_id", self.cmap.index.get("order_id")),
                                             ("case_id", self.cmap.index.get("case_id")))
               if c is not None and c < len(row)]
        # a number Excel cut short, or its digits written out padded with zeros (unreadable: in ``bad``)
        if any(vocab.is_lossy_id(v) or key in bad and vocab.is_padded_id(vocab.parse_id(v)) for key, v in cut):
            return LOSSY_ID
        kind = engine.not_a_case(row, self.cmap)  # (the rule evaluate reads rows by: one rule)
        if kind is not None:
            return _SKIP_REASON.get(kind, TOTALS)
        if bad:
            return BAD_ID
        if order is not None or case is not None:
            return BAD_ID
        return NO_ID

    def _skip(self, line: int, reason: str) -> None:
        if self.blank_run and reason != BLANK:
            for b in self.blank_run:
                self.skipped.append(Skipped(self.name, b, BLANK))
            self.blank_run = []
        self.skipped.append(Skipped(self.name, line, reason))

    def _report(self, cols) -> None:
        """The reading report of this block, added to the export's (unreadable examples masked whole, then cut)."""
        masked = {i: tuple(mask_quote(k, v) for k, v in zip(cols.bad.get(i, ()), typed))
                  for i, typed in cols.bad_values.items()}
        rep = report.build(dataclasses.replace(cols, bad_values=masked), sheet=self.name)
        for fld, n in rep.derived:
            self.derived[fld] = self.derived.get(fld, 0) + n
        if self.report is None:
            self.report = rep
            return
        base = self.report
        base.rows += rep.rows
        for fld, headers in rep.derived_from.items():
            base.derived_from[fld] = tuple(dict.fromkeys((*base.derived_from.get(fld, ()), *headers)))
        have = {f: (n, ex, forms) for f, n, ex, forms in base.unreadable}
        for f, n, ex, forms in rep.unreadable:
            old = have.get(f)
            if old is None:
                have[f] = (n, list(ex), forms)
            else:
                examples = old[1] + [e for e in ex if e not in old[1]]
                have[f] = (old[0] + n, examples[:3], forms)
        base.unreadable = sorted(((f, n, ex, forms) for f, (n, ex, forms) in have.items()), key=lambda t: -t[1])

    def finish(self) -> ExportRead:
        if self.report is None:
            self._report(engine.read_columns([], self.headers, aliases=self.aliases, keys=_READ_KEYS,
                                             colmap=self.cmap, now=self.now))
        rep = self.report
        assert rep is not None  # _report (just above) made it
        # (a missing column another column said on every row is no missing column: ReadingReport.missing)
        rep.derived = list(self.derived.items())
        rep.preset = self.platform or rep.preset
        read = ExportRead(self.name, self.platform, self.cases, self.skipped, filled=self.filled, index=self.index)
        read.reading = f"{self.name}：{rep.summary()}"
        lines = rep.lines(short=True)
        lines[0] = f"{self.name}：{len(self.cases)} 个售后单" + (f"，识别为「{rep.preset}」导出" if rep.preset else "")
        if rep.unreadable:
            lines.append("  认不出的值原样写入登记表（个人信息已隐去），判定时提示信息不足")
        read.report = "\n".join(lines)
        return read


def read_export(source: str, rows: Iterable[Sequence[object]], aliases: Aliases = None,
                values: Iterable[Iterable[object]] | None = None,
                now: datetime | None = None, index: int = 0, chunk: int = CHUNK) -> ExportRead:
    """The cases of one export, its rows read block by block as they come (``rows`` may be a stream).

    Raises nothing for a bad row: rows that are no case are skipped with a
    reason; an unreadable value is kept raw (masked when it is text; the
    decision then says 信息不足 naming it) and reported.  A reading error of the
    stream itself (the host's) propagates: the caller drops the whole export.
    """
    aliases = mappings(aliases, values)
    it = iter(rows)
    top = [list(r) for r in islice(it, _SCAN)]
    sheet = rows if isinstance(rows, SheetRows) and rows.merged else None  # (a workbook's sheet, read as Excel shows it)
    found = fields.header_at(top if sheet is None else sheet, aliases)
    if found is None:
        said = fields.no_table_message(hint=fields.header_hint(top if sheet is None else sheet, aliases))
        return ExportRead(source, "", [], [Skipped(source, 0, said)], index=index)
    at, headers = found.at, found.names
    # Rows above the header are the export's notices (a two-row header keeps its upper row).
    fold = [vocab.fold(str(h)) if h is not None else "" for h in headers]
    upper = at - (1 if fold != [vocab.fold(str(h)) if h is not None else "" for h in top[at]] else 0)
    reader = _Reader(source, index, list(headers), found.columns, now, at + 2)
    reader.skipped.extend(Skipped(source, i + 1, NOTICE_ABOVE) for i in range(upper)
                          if any(not is_blank(c) for c in top[i]))
    body = chain(top[at + 1:], it) if sheet is None else iter(fields.fill_merged(sheet, at + 1))
    while True:
        block = [_unwrap(r, reader.read_cols) for r in islice(body, chunk)]
        if not block:
            break
        reader.block(block)
        del block
    return reader.finish()
