"""Courier tracking → the SOP's words (contract §7 ``track``, §6 "Closing the loop"): the pure core.

No I/O here.  The wire (the Kuaidi100 protocol, HTTP, credentials, the local cache) is
:mod:`refund_xl._courier`; the one use case both hosts call is
:func:`refund_xl._app.track_run.run_track`.  This module

* turns carrier names (中通快递, ZTO, 顺丰速运 …) into the API's company codes,
  with a table a desk can extend (:func:`carrier_table`, :func:`carrier_code`);
* reads an answer's state and sub-state as a 物流状态 word (:func:`reading_of`);
  courier text reaches a cell only through :func:`safe_text` (no control
  characters, bounded, never formula-like);
* decides which rows to ask about (:func:`plan`): open cases with an outbound
  tracking number, refunded cases still at 钱货两空 risk, and every return waybill
  (退货物流单号 + 退货快递公司); not asked again within 30 minutes
  (:data:`MIN_INTERVAL`) nor once final (unless ``refresh``);
* turns answers into cell updates (:func:`apply`): 物流状态, 物流更新时间,
  物流备注 and 退货物流状态 (in the return's own words 未寄回/已揽收/运输中/已签收; a return off its way to
  the shop, 退签/退回/拒签/疑难, as the courier's state 待核实: :func:`off_its_way`);
  a row without a usable answer keeps its cells and gets the reason in 物流备注 only;
* reads what a parcel under interception (拦截中) says about the interception
  (:func:`proposal`): 拦截成功 when it comes back (退签/退回/拒签, or a trace
  saying so), 拦截失败 when the customer signed for it.

Staff cells are never overwritten: 拦截状态 is only ever filled where it is empty
(and only when the setting ``apply_track_intercept`` says so; that is the use case's).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Callable, Collection, Iterable, Mapping, Sequence

from refund_xl._core import vocab
from refund_xl._core.vocab import is_blank
from refund_xl._core.engine import read_columns
from refund_xl._core.errors import clip
from refund_xl._core.trace_codes import CODE_NAME, STATE_WORD, SUB_WORD
from refund_xl._core.fields import Aliases, FIELD_BY_KEY, ColumnMap, resolve
from refund_xl._core.lang import pick

__all__ = [
    "Query", "Reading", "Job", "Plan", "Applied", "Proposal", "CARRIERS", "CARRIER_SHEET", "NOTE_HEADER",
    "MIN_INTERVAL", "FINAL_WORDS", "WORDS", "RETURN_WORDS", "SUCCESS", "FAILURE", "UNSETTLED", "carrier_table", "carrier_code",
    "parse_carrier_table", "off_its_way", "word_of", "code_text", "reading_of", "failed", "phone_tail", "safe_text", "proposal",
    "plan", "apply", "track_columns", "case_key", "ids_agree", "order_text", "TEXT_WIDTH", "NOTE_WIDTH",
]

CARRIER_SHEET = "快递公司编码"
NOTE_HEADER = "物流备注"
STATE_HEADER, TIME_HEADER, RETURN_HEADER = "物流状态", "物流更新时间", "退货物流状态"
MIN_INTERVAL = timedelta(minutes=30)  # Kuaidi100 locks a number queried more often
FINAL_WORDS = frozenset({"已签收", "拒收", "退回"})
WORDS = frozenset({"未揽收", "已揽收", "运输中", "派送中", "已签收", "异常", "拒收", "退回"})  # what an answer can say
RETURN_WORDS = ("未寄回", "已揽收", "运输中", "已签收")  # 退货物流状态's vocabulary (contract §2)
SUCCESS, FAILURE = "拦截成功", "拦截失败"
UNSETTLED = "待人工核实"  # 建议拦截状态 when the courier's answer does not settle the interception
# 丢件 is a desk's conclusion (the API never says it): not overwritten by a fresh 运输中.
_LEAVE_ALONE = FINAL_WORDS | {"丢件"}
_CLOSED = frozenset({"已退款", "已关闭", "已完结"})
NOTE_WIDTH = 90
TEXT_WIDTH = 200  # a trace kept (cache, notes are cut shorter)
# A trace time later than the query by more than this is a server's error, not a time.
_FUTURE_SLACK = timedelta(days=1)

# The column the track command reads beyond the §2 fields: its own note (the phone and the return waybill are
# found by the fields' own names).  Keys outside FIELDS are private.
_EXTRA_ALIASES = {NOTE_HEADER: "track_note", "track_note": "track_note"}
_READ_KEYS = ("order_id", "case_id", "carrier", "tracking_no", "logistics", "last_update", "intercept",
              "refund_type", "ship_state", "case_state", "return_logistics", "return_tracking_no",
              "return_carrier", "phone")


# ------------------------------------------------------------------ courier text → a cell

_FORMULA_LEAD = {"=": "＝", "+": "＋", "-": "－", "@": "＠"}


def safe_text(value: object, width: int = NOTE_WIDTH) -> str:
    """Courier text as a cell may hold it: one line, at most ``width`` characters, no control or
    format characters (bidi overrides, zero-width …), and never starting like a formula
    (``= + - @`` become their full-width forms).  Anything but a string is ""."""
    if not isinstance(value, str):
        return ""
    kept = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in value)
    text = clip(kept, width) if kept.strip() else ""
    if text[:1] in _FORMULA_LEAD:
        text = _FORMULA_LEAD[text[0]] + text[1:]
    return text
# ------------------------------------------------------------------ carriers

# Kuaidi100 company codes for the carriers desks meet, with the names they are written as.
CARRIERS: dict[str, tuple[str, ...]] = {
    "zhongtong": ("中通快递", "中通", "ZTO", "中通速递"),
    "yuantong": ("圆通速递", "圆通", "YTO", "圆通快递"),
    "shentong": ("申通快递", "申通", "STO"),
    "yunda": ("韵达快递", "韵达", "韵达速递", "YD", "YUNDA"),
    "shunfeng": ("顺丰速运", "顺丰", "顺丰快递", "SF", "SF Express", "顺丰速递"),
    "jtexpress": ("极兔速递", "极兔", "极兔快递", "J&T", "JT", "J&T Express", "百世快递", "百世"),
    "youzhengguonei": ("邮政快递包裹", "邮政包裹", "中国邮政", "邮政", "邮政国内", "邮政小包"),
    "ems": ("EMS", "邮政EMS", "中国邮政EMS", "EMS快递", "邮政特快专递"),
    "jd": ("京东快递", "京东物流", "京东", "JD", "JDL"),
    "debangkuaidi": ("德邦快递", "德邦", "德邦物流", "DBL", "Deppon"),
    "tiantian": ("天天快递", "天天"),
    "fengwang": ("丰网速运", "丰网"),
    "zhaijisong": ("宅急送",),
    "danniao": ("丹鸟", "丹鸟快递"),
}
_SUFFIXES = ("股份有限公司", "有限公司", "公司", "快递", "速递", "速运", "快运", "物流", "express")


def _carrier_key(name: str) -> str:
    return vocab.fold(name).lower()


def _stripped(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
    return key


def carrier_table(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Folded carrier name → company code: the built-in names, then a desk's own (which win)."""
    table: dict[str, str] = {}
    for code, names in CARRIERS.items():
        table[code] = code
        for name in names:
            table[_carrier_key(name)] = code
    for name, code in (extra or {}).items():
        table[_carrier_key(name)] = code.strip().lower()
    return table


_BUILT_IN = carrier_table()


def carrier_code(name: object, table: Mapping[str, str]) -> str | None:
    """The company code for a carrier as a sheet writes it, or None (unknown: not guessed)."""
    text = vocab.parse_text(name)
    if not text or text is vocab.BAD:
        return None
    key = _carrier_key(text)
    bare = re.sub(r"[(\[【].*?[)\]】]", "", key) or key  # 中通快递(ZTO), 【顺丰】
    for candidate in (key, _stripped(key), bare, _stripped(bare)):
        if candidate in table:
            return table[candidate]
    return None


def same_carrier(name: object, table: Mapping[str, str] | None = None) -> str:
    """One key per carrier however a desk writes it: its company code when known (中通, 中通快递 and ZTO
    are one), else the name folded, its 快递/速递/有限公司 … ending dropped ("" for no name)."""
    code = carrier_code(name, table if table is not None else _BUILT_IN)
    if code is not None:
        return code
    text = vocab.parse_text(name)
    if not isinstance(text, str) or not text:
        return ""
    return _stripped(_carrier_key(text))


def parse_carrier_table(rows: Iterable[Sequence[object]]) -> dict[str, str]:
    """A 快递公司编码 table (快递公司 | 编码 rows; a header row allowed) as name → code."""
    out: dict[str, str] = {}
    for row in rows:
        cells = list(row)[:2]
        if len(cells) < 2 or cells[0] in (None, "") or cells[1] in (None, ""):
            continue
        name, code = str(cells[0]).strip(), vocab.fold(str(cells[1])).lower()
        if not re.fullmatch(r"[a-z0-9_]{2,40}", code):  # a header row (快递公司 | 编码) or a typo
            continue
        out[name] = code
    return out


# ------------------------------------------------------------------ answers → words

@dataclass(frozen=True)
class Query:
    """One tracking number to ask about.  ``phone`` is at most the last four digits."""

    com: str
    num: str
    phone: str | None = None


@dataclass(frozen=True)
class Reading:
    """What the courier said about one number, or why there is no answer.

    ``word`` is a 物流状态 word of contract §2 (None: no usable answer, ``text``
    says why, in our own words); ``updated`` the newest trace's time; ``code`` the
    API's sub-state, else its state (or an error code of ours); ``text`` the newest
    trace, already :func:`safe_text`; ``queried_at`` when the courier was asked (None:
    it never heard the question, so the number may be asked again at once).
    """

    word: str | None
    updated: datetime | None = None
    text: str = ""
    code: str = ""
    queried_at: datetime | None = None
    phone: str | None = None  # the last four digits sent (a 408 with another phone is asked again)

    @property
    def ok(self) -> bool:
        return self.word is not None

    @property
    def final(self) -> bool:
        return self.word in FINAL_WORDS


def failed(reason: str, code: str = "", queried_at: datetime | None = None, phone: str | None = None) -> Reading:
    return Reading(None, None, reason, code, queried_at, phone)


def code_text(value: object) -> str:
    """A state or error code as the API sends it (``"3"``, ``3``, ``3.0``) → digits, or ""."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text if text.isdigit() and len(text) <= 6 else ""


def _base_of(sub: str) -> str:
    if len(sub) == 4 and sub.startswith("10"):
        return "0"
    if len(sub) == 4 and sub.startswith("14"):
        return "14"
    if len(sub) == 3:
        return sub[0]
    return sub


def word_of(state: object, sub: object = None) -> tuple[str | None, str]:
    """(物流状态 word, the code it was read from) for a state and an optional sub-state.

    The most specific known code wins; an unknown sub-state falls back to its
    base state.  (None, "") when neither can be read.
    """
    sub_code, state_code = code_text(sub), code_text(state)
    if len(state_code) >= 3 and not sub_code:  # resultv2=4 may put the sub-state in `state`
        sub_code, state_code = state_code, ""
    if sub_code in SUB_WORD:
        return SUB_WORD[sub_code], sub_code
    for code in (state_code, _base_of(sub_code) if sub_code else ""):
        if code in STATE_WORD:
            return STATE_WORD[code], sub_code or code
    return None, ""


def _trace_time(item: Mapping, latest: datetime | None) -> datetime | None:
    for key in ("ftime", "time"):
        value = vocab.parse_datetime(item.get(key))
        if isinstance(value, datetime):
            value = value.replace(tzinfo=None)
            return value if latest is None or value <= latest else None
    return None


def reading_of(answer: object, queried_at: datetime | None = None, phone: str | None = None) -> Reading:
    """A successful answer's JSON object → :class:`Reading`; never raises.

    物流更新时间 is the newest trace's time (traces are compared, not trusted to
    come newest first; a time after the query itself is not a time); the note is
    that trace's text, through :func:`safe_text`.  Nothing else of the answer is kept.
    """
    if not isinstance(answer, Mapping):
        return failed("快递100 应答无法识别", queried_at=queried_at, phone=phone)
    latest = queried_at + _FUTURE_SLACK if queried_at else None
    traces = answer.get("data")
    newest, newest_at = None, None
    if isinstance(traces, list):
        for item in traces:
            if not isinstance(item, Mapping):
                continue
            at = _trace_time(item, latest)
            if newest is None or (at is not None and (newest_at is None or at > newest_at)):
                newest, newest_at = item, at
    sub = newest.get("statusCode") if newest is not None else None
    word, code = word_of(answer.get("state"), sub)
    if word is None:
        return failed("快递100 应答无法识别（未知的物流状态）", queried_at=queried_at, phone=phone)
    text = safe_text(newest.get("context"), TEXT_WIDTH) if newest is not None else ""
    return Reading(word, newest_at, text, code, queried_at, phone)


def phone_tail(value: object) -> str | None:
    """The last four digits of a phone cell (138****1234, 尾号1234, 13812341234), or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = re.sub(r"\D", "", vocab.fold(str(value)))
    return digits[-4:] if len(digits) >= 4 else None


# ------------------------------------------------------------------ what a trace says of an interception

# Signed by the customer or for them (本人签收, 派件异常后签收, 代签).  A locker or a station
# (304, 501, 205) is not the customer's hands yet: the courier may still take it back.
_SIGNED_BY_CUSTOMER = frozenset({"301", "302", "303"})
_CAME_BACK = frozenset({"退回", "拒收"})  # states 4 退签 · 6 退回 · 14 拒签 (and 203 拒收, 401 退回)
# A trace saying the interception did not work: a negation or inability before 拦截 (未能拦截成功,
# 无法拦截, 不支持拦截) or a failure after it (拦截失败, 拦截未成功).  The core's trace reader takes
# some of these for a success word; here they are evidence of failure, never of success.
_NOT_INTERCEPTED = re.compile(r"(?:未|没|不|无法|非)[^，。,;；]{0,3}拦截|拦截[^，。,;；]{0,2}(?:失败|未|没|不)")


@dataclass(frozen=True)
class Proposal:
    """What tracking says of an interception under way: ``word`` 拦截成功 / 拦截失败, or None when
    the courier's answer does not settle it (``why`` then says what staff should check)."""

    word: str | None
    why: str
    at: datetime | None = None
    text: str = ""

    def cell(self) -> str:
        """The 建议拦截状态 cell: ``拦截成功（2025-06-10 09:12 快件已退回寄件人）``."""
        when = self.at.strftime("%Y-%m-%d %H:%M") if self.at else ""
        said = safe_text(self.text, 40) or self.why if self.word else self.why
        head = self.word or UNSETTLED
        return safe_text(f"{head}（{when} {said}）" if when else f"{head}（{said}）", NOTE_WIDTH)


def proposal(reading: Reading) -> Proposal | None:
    """What a courier reading says of a parcel under interception (拦截中); None: nothing to say.

    * it comes back — state 退签/退回/拒签, or a trace the core reads as 退回 or as
      拦截成功 (拦截成功, 退回寄件人 …) → 拦截成功;
    * the customer signed for it (sub-state 本人签收/派件异常后签收/代签), or a trace saying the
      interception did not work (拦截失败, 未能拦截成功, 无法拦截 …) → 拦截失败;
    * both at once, or a delivery the sub-state does not place (locker, station, no
      sub-state) → no word, a reason for staff.
    """
    if not reading.ok:
        return None
    text = reading.text
    said = FIELD_BY_KEY["intercept"].parse(text) if text else None
    moved = FIELD_BY_KEY["logistics"].parse(text) if text else None
    failed_text = said == FAILURE or bool(_NOT_INTERCEPTED.search(text))
    back = reading.word in _CAME_BACK or moved == "退回" or (said == SUCCESS and not failed_text)
    lost = reading.code in _SIGNED_BY_CUSTOMER or failed_text
    if back and lost:
        return Proposal(None, "物流信息既像退回又像签收/拦截失败，请人工核实", reading.updated, text)
    if back:
        why = f"快递100：{CODE_NAME.get(reading.code, reading.word)}"
        return Proposal(SUCCESS, why, reading.updated, text)
    if lost:
        why = f"快递100：{CODE_NAME.get(reading.code, reading.word)}"
        return Proposal(FAILURE, why, reading.updated, text)
    if reading.word == "已签收":
        how = CODE_NAME.get(reading.code, "签收")
        return Proposal(None, f"快递100：{how}（未说明本人签收），拦截结果请人工核实", reading.updated, text)
    return None


# ------------------------------------------------------------------ which rows

@dataclass(frozen=True)
class Job:
    """A row's question: ``kind`` "out" (the parcel sent) or "ret" (the buyer's return)."""

    row: int
    kind: str
    query: Query


# A case's key in the batch's registers and in `track`: (订单号, 售后单号, 物流单号).
Key = tuple[str, str, str]


@dataclass
class Plan:
    """What a run asks, what it already knows, and what it skips (row → reason)."""

    jobs: list[Job] = field(default_factory=list)
    to_send: list[Query] = field(default_factory=list)  # distinct queries not answered by the cache
    known: dict[Query, Reading] = field(default_factory=dict)  # answered by the cache
    skipped: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, kind) → reason
    columns: dict[str, int] = field(default_factory=dict)  # key → column index (existing)
    values: dict[str, list[object]] = field(default_factory=dict)
    width: int = 0
    keys: list[Key | None] = field(default_factory=list)  # row → its case's key (case_key)
    intercept: list[object] = field(default_factory=list)  # row → the 拦截状态 this case is under
    intercept_blank: list[bool] = field(default_factory=list)  # row → its own 拦截状态 cell is empty
    risk: set[int] = field(default_factory=set)  # closed rows asked about: refunded, 钱货两空 risk


_EXTRA_FOLDED = {vocab.fold(name).lower(): key for name, key in _EXTRA_ALIASES.items()}


def track_columns(cmap: ColumnMap) -> ColumnMap:
    """A table's column map (as resolved when the table was found) with track's own columns
    (物流备注, more phone names) added where no header of the §2 fields took that field."""
    index = dict(cmap.index)
    for c, h in enumerate(cmap.headers):
        key = _EXTRA_FOLDED.get(vocab.fold(h).lower()) if h else None
        if key is not None and key not in index:
            index[key] = c
    return replace(cmap, index=index)


def _fresh(hit: Reading | None, now: datetime, phone: str | None, refresh: bool) -> bool:
    """Whether a cached answer stands in for a new query now."""
    if hit is None or hit.queried_at is None:
        return False
    if hit.code == "408" and hit.phone != phone:  # the desk fixed the phone: ask again
        return False
    age = now - hit.queried_at
    if age < MIN_INTERVAL:
        return True  # also a clock set back: never risk the number's lock
    return hit.final and not refresh



def case_key(order: object, case: object, tracking: object = None) -> Key | None:
    """The one key of a case in the batch's registers (拦截登记, 快递拦截清单, 回复话术, 理赔登记, 钱货两空核查,
    已回填售后表) and in `track`, of parsed ids: 订单号 + 售后单号 + 物流单号, a blank or unread one "" — the
    parcels of a split shipment stay apart with or without a 售后单号 (one after-sale refunded over two
    parcels, a reshipment, a corrected 物流单号: each parcel its own row, as import keeps them, contract §7);
    None without an order.  A row keyed with fewer ids finds its case where :func:`ids_agree` and that is
    unambiguous (:meth:`refund_xl._app.batch.merge.Grid.rekey`)."""
    if not isinstance(order, str) or not order:
        return None
    return order, case if isinstance(case, str) else "", tracking if isinstance(tracking, str) else ""


def ids_agree(a: Sequence[str | None], b: Sequence[str | None]) -> bool:
    """Whether two cases' ids (the same ids in the same order) may be one case's: every id both have is
    the same (a blank or unread one, "" or None, agrees with any).  How import fits an export's case to
    a row and how a register row fits a case."""
    return all(not x or not y or x == y for x, y in zip(a, b))


def order_text(k: Sequence[str | None], en: bool = False) -> str:
    """A case as 运行日志, the registers and import's report name it (订单号, 售后单号, 物流单号: those it
    has): 订单号 X（售后单号 C，物流单号 T）, without a 订单号 售后单号 C（物流单号 T）."""
    named = zip((("订单号", "order"), ("售后单号", "case"), ("物流单号", "tracking no.")), (v or "" for v in k))
    said = [f"{pick(name, en)} {v}" for name, v in named if v]
    if not said:
        return ""
    if en:
        return said[0][:1].upper() + said[0][1:] + (f" ({', '.join(said[1:])})" if len(said) > 1 else "")
    return said[0] + (f"（{'，'.join(said[1:])}）" if len(said) > 1 else "")


def _unread_state(typed: object) -> str:
    """物流备注 of a row whose 售后状态 is not read: it may be closed, so not asked about."""
    return f"售后状态「{safe_text(str(typed), 12)}」认不出（可能已关闭），未查询：请核对售后状态"


def _unread_number(typed: object, name: str) -> str:
    """物流备注 of a number not asked about because it is not read (contract §2 "Ids"; a return's gets 退货： before)."""
    if vocab.is_lossy_id(typed) or vocab.is_padded_id(typed):
        return f"{name}「{safe_text(str(typed), 20)}」被 Excel 丢掉了后几位，未查询：把该列设为文本后重新粘贴"
    return f"{name}「{safe_text(str(typed), 20)}」认不出，未查询：请核对{name}"


def plan(rows: Sequence[Sequence[object]], headers: Sequence[object], *, now: datetime,
         carriers: Mapping[str, str] | None = None, aliases: Aliases = None, columns: ColumnMap | None = None,
         cache: Mapping[tuple[str, str], Reading] | None = None, refresh: bool = False,
         register: Mapping[Key, str] | Callable[[list[Key | None]], Mapping[Key, str]] | None = None,
         at_risk: Callable[[list[int]], Collection[int]] | None = None) -> Plan:
    """Which rows to ask about, and which cached answers still stand (see module doc).

    ``register``: case key → the 拦截状态 staff typed in 拦截登记 (what a case whose own
    cell is empty is under), or what gives it from the rows' keys (a register matched to the
    cases first, as the batch matches it); ``at_risk``: given the rows of refunded cases that have a
    number, the ones whose 钱货两空 risk is ``RISK`` (they are asked about too).  ``columns``: the
    header row as resolved when the table was found (else resolved here with ``aliases``).
    """
    cmap = track_columns(columns or resolve(headers, aliases))
    cols = read_columns(rows, headers, keys=_READ_KEYS, colmap=cmap, now=now)
    vals = dict(zip(cols.keys, cols.values))
    table = carrier_table(carriers)
    cache = cache or {}
    out = Plan(columns=dict(cmap.index), values=vals, width=len(headers))
    at = cmap.index.get("intercept")
    out.keys = [case_key(o, c, t) for o, c, t in zip(vals["order_id"], vals["case_id"], vals["tracking_no"])]
    register = (register(out.keys) if callable(register) else register) or {}
    out.intercept_blank = [at is None or at >= len(r) or is_blank(r[at]) for r in rows]
    out.intercept = [register.get(k) if blank and k is not None else (None if blank else word)
                     for k, blank, word in zip(out.keys, out.intercept_blank, vals["intercept"])]

    def numbered(i: int) -> bool:
        return any(isinstance(v, str) and v for v in (vals["tracking_no"][i], vals["return_tracking_no"][i]))

    refunded = [i for i in range(len(rows)) if not cols.blank[i] and vals["case_state"][i] == "已退款" and numbered(i)]
    out.risk = set(at_risk(refunded)) if at_risk and refunded else set()
    seen: set[Query] = set()
    for i in range(len(rows)):
        if cols.blank[i]:
            continue
        state = vals["case_state"][i]
        if state in _CLOSED and i not in out.risk:
            continue
        unread = dict(zip(cols.bad.get(i, ()), cols.bad_values.get(i, ())))  # field → the cell as typed
        tasks: list[tuple[str, str | None, object, object]] = []
        for kind, key, by, now_said in (("out", "tracking_no", "carrier", "logistics"),
                                        ("ret", "return_tracking_no", "return_carrier", "return_logistics")):
            num = vals[key][i]
            # an unreadable 物流状态 (a word typed by hand) is replaced by the courier's word; an unreadable
            # number (7.52342E+13) is not asked about, the row says why
            if isinstance(num, str) and num or key in unread:
                tasks.append((kind, num if isinstance(num, str) and num else None, vals[by][i], vals[now_said][i]))
        if not tasks:
            continue
        if "case_state" in unread:  # (退款关闭?, 已完成: it may be closed — not asked, not guessed)
            for kind, *_ in tasks:
                out.skipped[(i, kind)] = _unread_state(unread["case_state"])
            continue
        for kind, number, carrier, current in tasks:
            if not refresh and current in (_LEAVE_ALONE if kind == "out" else {"已签收"}):
                continue
            if number is None:
                out.skipped[(i, kind)] = (_unread_number(unread["tracking_no"], "物流单号") if kind == "out"
                                          else _unread_number(unread["return_tracking_no"], "单号"))
                continue
            code = carrier_code(carrier, table)
            if code is None:
                name = vocab.parse_text(carrier)
                out.skipped[(i, kind)] = (f"快递公司「{safe_text(name, 12)}」无编码：请在「{CARRIER_SHEET}」表中添加"
                                          if name else ("未填退货快递公司，未查询" if kind == "ret"
                                                        else "未填快递公司，未查询"))
                continue
            phone = phone_tail(vals["phone"][i])
            if code == "shunfeng" and phone is None:
                out.skipped[(i, kind)] = "顺丰需收件人手机或后四位：请填「收件人手机」列，未查询"
                continue
            q = Query(code, number, phone)
            out.jobs.append(Job(i, kind, q))
            if q in seen:
                continue
            seen.add(q)
            hit = cache.get((code, number))
            if hit is not None and _fresh(hit, now, phone, refresh):
                out.known[q] = hit
            else:
                out.to_send.append(q)
    return out


# ------------------------------------------------------------------ answers → cells

# The courier's word → 退货物流状态 (the return's own vocabulary).  A return the courier has not picked up
# yet (已下单/待揽收) has not been sent back: 待揽收, which the field reads as 未寄回 beside a filled 退货物流单号 (a
# waybill made, not collected — rule 29 waits for it), where a bare 未寄回 would contradict the waybill.
AWAITING = "待揽收"
_RETURN_WORD = {"未揽收": AWAITING, "已揽收": "已揽收", "运输中": "运输中", "派送中": "运输中", "已签收": "已签收"}


def off_its_way(reading: Reading) -> str:
    """The 退货物流状态 cell of a return the courier says is off its way to the shop (异常/拒收/退回: 疑难, 拒签, 退签,
    退回): no word of the return's own, so the courier's state named and 待核实 — a cell evaluate reads as unreadable and
    asks about, quoting it.  (Left as it was, the filled 退货物流单号 would say 已揽收 and refund a low-value return on
    its pickup while the goods go back to the buyer.)"""
    return f"快递100：{CODE_NAME.get(reading.code, reading.word)}，待核实"


def _note_time(when: datetime | None) -> str:
    return when.strftime("%m-%d %H:%M") if when else ""


def _older(reading: Reading, known: object) -> str:
    """Why a courier's answer is not written over the book's cells: its newest trace is older than the book's
    物流更新时间 (a later event the desk typed, or a courier's answer lagging behind) — "" when it is not."""
    if reading.updated is None or not isinstance(known, datetime):
        return ""
    earliest, _latest = vocab.day_ends(known)
    if reading.updated >= earliest:
        return ""
    said = f"{_note_time(reading.updated)} {reading.word}"
    return f"快递100 最新轨迹（{said}）早于表中物流更新时间（{_note_time(earliest)}），保留表中物流状态"


@dataclass
class Applied:
    """Cell updates ({(row, column key): value}), counts, and the interception proposals per row."""

    updates: dict[tuple[int, str], object]
    counts: dict[str, int]
    proposals: dict[int, Proposal] = field(default_factory=dict)


def apply(p: Plan, answers: Mapping[Query, Reading]) -> Applied:
    """Cell updates for the plan's rows.

    Column keys: ``logistics``, ``last_update``, ``track_note``, ``return_logistics``.
    A row whose query has no usable answer keeps its 物流状态/物流更新时间; only its
    物流备注 says why.  A row under 拦截中 whose parcel says something of the interception
    gets a :class:`Proposal` (never a 拦截状态 cell: that is the use case's, and only where empty).
    """
    updates: dict[tuple[int, str], object] = {}
    notes: dict[int, list[str]] = {}
    proposals: dict[int, Proposal] = {}
    counts = {"updated": 0, "unanswered": 0, "skipped": len({r for r, _k in p.skipped}),
              "intercept_check": 0, "older": 0}
    booked = p.values.get("last_update", [])
    for (row, kind), reason in p.skipped.items():
        notes.setdefault(row, []).append(("退货：" if kind == "ret" else "") + reason)
    for job in p.jobs:
        reading = answers.get(job.query) or p.known.get(job.query)
        if reading is None:
            reading = failed("未查询")
        row = job.row
        if not reading.ok:
            counts["unanswered"] += 1
            notes.setdefault(row, []).append(("退货：" if job.kind == "ret" else "") + safe_text(reading.text, 60))
            continue
        counts["updated"] += 1
        if job.kind == "ret":
            word = _RETURN_WORD.get(reading.word or "")
            updates[(row, "return_logistics")] = off_its_way(reading) if word is None else word
            note = f"退货：{reading.word} {_note_time(reading.updated)} {safe_text(reading.text, 24)}".strip()
            if word is None:
                note = f"退货物流{reading.word}，请人工核实：{_note_time(reading.updated)} {safe_text(reading.text, 24)}"
            notes.setdefault(row, []).append(note)
            continue
        if row < len(booked) and (older := _older(reading, booked[row])):
            counts["older"] += 1  # the book knows of a later event: its cells stand, the trace is not written back
            notes.setdefault(row, []).insert(0, older)
            continue
        updates[(row, "logistics")] = reading.word
        if reading.updated is not None:
            updates[(row, "last_update")] = reading.updated
        note = safe_text(reading.text, 70) or f"快递100：{CODE_NAME.get(reading.code, reading.word)}（无轨迹）"
        said = proposal(reading) if row < len(p.intercept) and p.intercept[row] == "拦截中" else None
        if said is not None:
            counts["intercept_check"] += 1
            proposals[row] = said
            flag = f"建议{said.word}" if said.word else f"拦截中：{said.why}"
            note = f"{flag}｜{safe_text(reading.text, 60)}" if reading.text else flag
        notes.setdefault(row, []).insert(0, note)
    for row, parts in notes.items():
        updates[(row, "track_note")] = safe_text("；".join(x for x in parts if x), NOTE_WIDTH)
    return Applied(updates, counts, proposals)
