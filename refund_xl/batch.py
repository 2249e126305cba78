"""The daily batch (SPEC §6): interception register, reply scripts, overview, run log.

Pure functions over plain values, shared by both hosts (the ribbon macros in
:mod:`refund_xl.macros`, the file host in :mod:`refund_xl.workbook`): the
tracking rows and headers, the settings, the reply templates and the previous
contents of the output sheets (2-D lists, as a sheet hands them over) go in;
the new contents of the output sheets (2-D lists) and a little metadata come
out.  No file, no Excel, no clock: ``now`` (the reference time) and ``run_at``
(the wall-clock time of the run, for the log) are arguments.

Merging with earlier runs (the register and the reply sheet):

* rows are keyed by 订单号 + 售后单号;
* a case already there keeps every cell staff typed: 拦截状态, 跟进备注,
  是否已发送 and any column the product does not know; product cells are only
  filled when blank, except the *live* columns (当前动作 / 登记状态, 状态 …)
  that say where the case stands today;
* new cases are appended at the bottom, nothing is deleted or reordered; a
  case that is closed (or gone from the tracking sheet) is marked, not removed;
* 今日概览 and 快递拦截清单 are snapshots, rebuilt on every run; 运行日志
  gets one more line per run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Iterable, Mapping, Sequence

from . import replies, report, rules, vocab
from .engine import RowResult, as_headers, as_rows, coerce_now, coerce_settings, evaluate, evaluate_read
from .errors import RefundXLError
from .fields import FIELD_BY_KEY, resolve
from .settings import Settings

__all__ = [
    "REGISTER", "COURIER_LIST", "REPLIES", "OVERVIEW", "LOG", "READING", "OUTPUT_SHEETS", "PARTS",
    "BatchResult", "run", "settings_text", "METHODS", "FLAGS", "is_ours", "output_name",
    "same_value", "changed_blocks", "MERGED_SHEETS",
]

REGISTER = "拦截登记"
COURIER_LIST = "快递拦截清单"
REPLIES = "回复话术"
OVERVIEW = "今日概览"
LOG = "运行日志"
READING = report.SHEET  # 读取报告: how the tracking sheet was read (SPEC §2.2)
OUTPUT_SHEETS = (REGISTER, COURIER_LIST, REPLIES, OVERVIEW, LOG, READING)
MERGED_SHEETS = (REGISTER, REPLIES, LOG)  # what an earlier run left there is merged; the others are snapshots

# Which sheets each ribbon button writes (the log and the reading report by all of them).
PARTS = {
    "register": (REGISTER, COURIER_LIST, LOG, READING),
    "replies": (REPLIES, LOG, READING),
    "daily": OUTPUT_SHEETS,
}
RUN_NAMES = {"register": ("生成拦截登记", "Interception register"),
             "replies": ("生成回复话术", "Reply scripts"),
             "daily": ("每日批处理", "Daily batch")}

# 处理方式 and 旗帜 per interception action (the article: 低客单登记后直接退款,
# 高客单拦截标旗关注超时, 线下已发货登记拦截、失败请客户拒收).
METHODS = {
    "INTERCEPT_REFUND_NOW": ("登记后直接退款", "Register, refund now"),
    "INTERCEPT_AND_WATCH": ("标旗观察，次日核实后处理", "Flag and watch, check next day"),
    "INTERCEPT_OFFLINE": ("登记拦截，失败请客户拒收", "Register; if it fails ask to refuse delivery"),
}
FLAGS = {
    "INTERCEPT_AND_WATCH": ("红旗", "Red"),
    "INTERCEPT_OFFLINE": ("黄旗", "Yellow"),
    "INTERCEPT_REFUND_NOW": ("蓝旗", "Blue"),
}
# What the courier is told (no customer data: SPEC §9).
COURIER_REASON = ("客户已申请退款，请拦截退回寄件人", "Refund requested: please return to sender")
NO_CARRIER = ("（未填快递公司）", "(no carrier)")

# Words in 是否已发送 that mean "not sent" (anything else non-empty means sent).
_NOT_SENT = {"", "否", "未发送", "未发", "no", "n", "false", "0", "×"}
# Words in the register's 拦截状态 meaning the courier has not been asked yet.
_NOT_ASKED = {"", "未拦截", "待拦截", "未发起"}


@dataclass(frozen=True)
class Col:
    id: str
    zh: str
    en: str
    kind: str  # key | product (filled once) | live (refreshed every run) | staff

    def name(self, english: bool) -> str:
        return self.en if english else self.zh


def _cols(*specs: tuple[str, str, str, str]) -> tuple[Col, ...]:
    return tuple(Col(*s) for s in specs)


REGISTER_COLS = _cols(
    ("registered", "登记时间", "Registered at", "product"),
    ("order", "订单号", "Order ID", "key"),
    ("case", "售后单号", "Case ID", "key"),
    ("carrier", "快递公司", "Carrier", "product"),
    ("tracking", "物流单号", "Tracking no.", "product"),
    ("amount", "退款金额", "Amount", "product"),
    ("tier", "客单级别", "Value tier", "product"),
    ("method", "处理方式", "Handling", "product"),
    ("flag", "旗帜", "Flag", "product"),
    ("deadline", "超时时间", "Deadline", "product"),
    ("check_at", "核实时间", "Check at", "product"),
    ("intercept", "拦截状态", "Interception", "staff"),
    ("note", "跟进备注", "Follow-up note", "staff"),
    ("action", "当前动作", "Current action", "live"),
    ("state", "登记状态", "Register state", "live"),
)

REPLY_COLS = _cols(
    ("order", "订单号", "Order ID", "key"),
    ("case", "售后单号", "Case ID", "key"),
    ("code", "动作代码", "Action code", "product"),
    ("action", "处理动作", "Action", "product"),
    ("text", "回复话术", "Reply", "product"),
    ("missing", "缺少字段", "Missing fields", "product"),
    ("sent", "是否已发送", "Sent?", "staff"),
    ("state", "状态", "State", "live"),
    ("updated", "话术更新时间", "Reply updated at", "product"),
    ("sent_before", "变更前发送标记", "Sent mark before change", "product"),
)

COURIER_COLS = _cols(
    ("carrier", "快递公司", "Carrier", "product"),
    ("tracking", "物流单号", "Tracking no.", "product"),
    ("order", "订单号", "Order ID", "product"),
    ("reason", "拦截原因", "Reason", "product"),
)

LOG_COLS = _cols(
    ("run_at", "运行时间", "Run at", "product"),
    ("now", "基准时间", "Reference time", "product"),
    ("cases", "售后单数", "Cases", "product"),
    ("registered", "新增登记数", "Newly registered", "product"),
    ("replies", "话术数", "Replies", "product"),
    ("overdue", "逾期数", "Overdue", "product"),
    ("risk", "风险数", "Loss risks", "product"),
    ("settings", "设置", "Settings", "product"),
    ("what", "运行内容", "Run", "product"),
    ("warn", "即将超时数", "Due soon", "product"),
    ("claims", "理赔数", "Claims", "product"),
    ("needs_info", "信息不足数", "Missing info", "product"),
    ("reading", "读取情况", "Reading", "product"),
)

# Register 登记状态 / reply 状态 values.
_ST = {
    "open": ("跟进中", "Open"),
    "done": ("已完结", "Closed"),
    "gone": ("售后表中已无此单", "Not in the tracking sheet"),
    "to_send": ("待发送", "To send"),
    "sent": ("已发送", "Sent"),
    "resend": ("动作已变更，请发送新话术", "Action changed: send the new reply"),
    "no_reply": ("暂无需回复", "No reply needed now"),
}


def _t(pair: tuple[str, str], english: bool) -> str:
    return pair[1] if english else pair[0]


def settings_text(s: Settings) -> str:
    """The settings used, one line for the run log: ``high_value=200; nudge_hours=24; …``."""
    return "; ".join(f"{k}={v}" for k, v in s.as_rows())


def same_value(old: object, new: object) -> bool:
    """Would writing ``new`` over a cell that reads ``old`` change what the cell shows?"""
    if (old is None or old == "") and (new is None or new == ""):
        return True
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return float(old) == float(new)
    if isinstance(old, datetime) and isinstance(new, datetime):
        return abs((old - new.replace(tzinfo=None)).total_seconds()) < 1.0
    if isinstance(old, date) and isinstance(new, date):
        return old == new
    return type(old) is type(new) and old == new


def changed_blocks(old: Sequence[Sequence[object]], new: Sequence[Sequence[object]]):
    """The cells of ``new`` that differ from ``old``, as few rectangles as possible.

    Yields (row0, col0, rows): consecutive rows whose changed cells span the
    same columns form one block.  Cells equal to what is there are never in a
    block, so a host writing the blocks leaves staff formulas alone.
    """
    runs: list[tuple[int, int, int]] = []  # (row, first col, last col)
    for r, row in enumerate(new):
        before = old[r] if r < len(old) else ()
        c = 0
        while c < len(row):
            if same_value(before[c] if c < len(before) else None, row[c]):
                c += 1
                continue
            start = c
            while c < len(row) and not same_value(before[c] if c < len(before) else None, row[c]):
                c += 1
            runs.append((r, start, c - 1))
    block: list[tuple[int, int, int]] = []
    for run in runs + [(-2, -1, -1)]:
        if block and (run[0] != block[-1][0] + 1 or run[1:] != block[-1][1:]):
            r0, c0, c1 = block[0]
            yield r0, c0, [list(new[r][c0:c1 + 1]) for r, _a, _b in block]
            block = []
        if run[0] >= 0:
            block.append(run)


# ------------------------------------------------------------------ whose sheet

# A sheet named like an output sheet is ours when it has our layout (the
# ribbon writes the same layout inside Excel, so a sheet made there is
# recognised too); an empty sheet is taken; anything else is the desk's and
# the output goes to another name (:func:`output_name`).
_SIGNATURES = {
    # register / replies: the key columns plus one column only we write
    "拦截登记": ({"订单号", "order id"}, {"售后单号", "case id"},
             {"登记状态", "register state", "当前动作", "current action", "处理方式", "handling"}),
    "回复话术": ({"订单号", "order id"}, {"售后单号", "case id"},
             {"动作代码", "action code", "话术更新时间", "reply updated at"}),
    "运行日志": ({"运行时间", "run at"}, {"基准时间", "reference time"}),
}
_TITLES = {
    "快递拦截清单": ("快递拦截清单", "interception lists per courier"),
    "今日概览": ("今日概览", "today's overview"),
}


def is_ours(name: str, rows: object) -> bool:
    """Does this sheet (named like output sheet ``name``) have the product's layout, or nothing at all?"""
    table = [list(r) for r in as_rows(rows)] if rows is not None else []
    if all(_blank(v) for r in table for v in r):
        return True
    if name in _TITLES:
        first = next((v for v in (table[0] if table else []) if not _blank(v)), None)
        return first is not None and _fold_header(first).startswith(_TITLES[name])
    wanted = _SIGNATURES.get(name)
    if wanted is None:
        return False
    for row in table[:20]:
        folded = {_fold_header(v) for v in row if not _blank(v)}
        if all(group & folded for group in wanted):
            return True
    return False


def output_name(name: str, existing: Sequence[str], rows_of) -> tuple[str, bool]:
    """Where output sheet ``name`` goes: (sheet name, whether it is a new name because the desk owns ``name``)."""
    candidates = [name] + [f"{name}（售后助手{'' if n == 1 else n}）" for n in range(1, 10)]
    for cand in candidates:
        if cand not in existing or is_ours(name, rows_of(cand)):
            return cand, cand != name
    return candidates[-1], True  # pragma: no cover - nine sheets of the desk's with our names


# ------------------------------------------------------------------ results

@dataclass
class ChartSpec:
    """Where the overview's counts table sits (1-based sheet rows/columns) for a bar chart."""

    title: str
    header_row: int  # the row of the counts table's header
    first_row: int
    last_row: int
    label_col: int  # categories (the 中文 labels)
    value_col: int  # the counts
    anchor: str  # top-left cell of the chart


@dataclass
class BatchResult:
    """New contents of the output sheets, plus what a host shows the user."""

    sheets: dict[str, list[list[object]]]
    now: datetime
    run_at: datetime
    part: str
    counts: Counter = field(default_factory=Counter)
    cases: int = 0
    new_registered: int = 0
    register_rows: int = 0
    to_courier: int = 0
    replies: int = 0
    overdue: int = 0
    warn: int = 0
    risk: int = 0
    claims: int = 0
    needs_info: int = 0
    # tracking-sheet row index (0-based, in the rows given) → the 拦截状态 the register supplied
    # for a case whose own cell was empty: the run decided on it; a host may fill the cell.
    intercept_fed: dict[int, str] = field(default_factory=dict)
    chart: ChartSpec | None = None
    english: bool = False
    widths: dict[str, list[int]] = field(default_factory=dict)
    bold_rows: dict[str, set[int]] = field(default_factory=dict)  # 0-based: titles and header rows
    header_row: dict[str, int] = field(default_factory=dict)  # 0-based header row of a list sheet
    wrap_cols: dict[str, set[int]] = field(default_factory=dict)  # 0-based: long text columns
    reading: report.ReadingReport | None = None

    def summary(self) -> str:
        """One short line (中文) for the status bar, the message box and the CLI."""
        bits = [f"售后单 {self.cases} 个"]
        if REGISTER in self.sheets:
            bits.append(f"新增拦截登记 {self.new_registered} 条（待发快递 {self.to_courier} 单）")
        if REPLIES in self.sheets:
            bits.append(f"待回复话术 {self.replies} 条")
        if self.intercept_fed:
            bits.append(f"按拦截登记中填写的拦截状态判定 {len(self.intercept_fed)} 单")
        if OVERVIEW in self.sheets:
            bits.append(f"逾期 {self.overdue} 个、即将超时 {self.warn} 个、理赔 {self.claims} 个、钱货两空风险 {self.risk} 个")
        return "，".join(bits)


# ------------------------------------------------------------------ merging

def _fold_header(value: object) -> str:
    return vocab.fold(str(value)).lower() if value is not None else ""


def _key_part(value: object) -> str:
    got = vocab.parse_id(value)
    return got if isinstance(got, str) else ""


def _key(order: object, case: object) -> tuple[str, str] | None:
    o = _key_part(order)
    return (o, _key_part(case)) if o else None


def _loose(order: str) -> str:
    """An order number as Excel keeps it once it became a number: 15 significant digits ('' = not one)."""
    text = order.strip()
    if not (text.isdigit() and len(text) >= 16) and not re.fullmatch(r"\d(?:\.\d+)?[eE]\+?\d+", text):
        return ""
    try:
        return f"{float(text):.14e}"
    except (ValueError, OverflowError):
        return ""


def _case_key(case) -> tuple[str, str] | None:
    """The key of an evaluated case (its ids are already canonical text)."""
    o = case.order_id
    if not isinstance(o, str) or not o:
        return None
    c = case.case_id
    return (o, c if isinstance(c, str) else "")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Grid:
    """An output sheet as it was (header row found by name) plus our columns."""

    def __init__(self, previous: object, cols: Sequence[Col], english: bool):
        self.cols = cols
        rows = [list(r) for r in as_rows(previous)]
        while rows and all(_blank(c) for c in rows[-1]):
            rows.pop()
        names = {c.id: {_fold_header(c.zh), _fold_header(c.en)} for c in cols}
        keys = [c for c in cols if c.kind == "key"]
        at = None
        for i, row in enumerate(rows[:20]):
            folded = {_fold_header(v) for v in row}
            if all(names[k.id] & folded for k in keys):
                at = i
                break
        if at is None:  # nothing (recognisable) there yet: keep it above our table
            self.preamble = rows + ([[None]] if rows else [])
            header: list[object] = []
            self.rows = []
        else:
            self.preamble = rows[:at]
            header = list(rows[at])
            self.rows = rows[at + 1:]
        while header and _blank(header[-1]):
            header.pop()
        self.index: dict[str, int] = {}
        for i, h in enumerate(header):
            f = _fold_header(h)
            for c in cols:
                if c.id not in self.index and f in names[c.id]:
                    self.index[c.id] = i
        for c in cols:
            if c.id not in self.index:
                self.index[c.id] = len(header)
                header.append(c.name(english))
        self.header = header
        width = len(header)
        for r in self.rows:
            if len(r) < width:
                r.extend([None] * (width - len(r)))
        self.by_key: dict[tuple[str, str], list[list[object]]] = {}
        self.key_of: dict[int, tuple[str, str]] = {}  # id(row) → its case's key
        o, c = self.index["order"], self.index["case"]
        for r in self.rows:
            k = _key(r[o], r[c])
            if k is not None:
                self.by_key.setdefault(k, []).append(r)
                self.key_of[id(r)] = k

    def key(self, row: list[object]) -> tuple[str, str] | None:
        return self.key_of.get(id(row))

    def rekey(self, live_keys: Iterable[tuple[str, str]]) -> None:
        """Rows whose key no longer matches a case exactly, matched where it is unambiguous.

        * 售后单号 filled in later: a row keyed (订单号, "") is the order's one
          case that now has a 售后单号 (the blank key cell is filled);
        * 订单号 turned into a number by Excel (``4.17703425634009E+18``: the
          last digits are gone): the same 15 significant digits and, where
          both have one, the same 售后单号.
        A key that could be two cases is left alone (a new row is safer than
        staff notes on the wrong case).
        """
        live = live_keys if isinstance(live_keys, (set, dict)) else set(live_keys)
        if all(k in live for k in self.by_key):
            return  # the usual run: every row matches a case exactly
        by_order: dict[str, list[tuple[str, str]]] = {}
        by_loose: dict[str, list[tuple[str, str]]] = {}
        for k in live:
            by_order.setdefault(k[0], []).append(k)
            loose = _loose(k[0])
            if loose:
                by_loose.setdefault(loose, []).append(k)
        taken = {k for k in self.by_key if k in live}
        merged: dict[tuple[str, str], list[list[object]]] = {}
        for k, rows in self.by_key.items():
            target = k
            if k not in live:
                cands = [x for x in by_order.get(k[0], []) if x not in taken] if not k[1] else []
                if not cands and _loose(k[0]):
                    cands = [x for x in by_loose.get(_loose(k[0]), [])
                             if x not in taken and (not k[1] or not x[1] or x[1] == k[1])]
                if len(cands) == 1:
                    target = cands[0]
                    taken.add(target)
                    for r in rows:
                        self.fill(r, "case", target[1] or None)
            merged.setdefault(target, []).extend(rows)
            for r in rows:
                self.key_of[id(r)] = target
        self.by_key = merged

    def get(self, row: list[object], cid: str) -> object:
        return row[self.index[cid]]

    def put(self, row: list[object], cid: str, value: object) -> None:
        row[self.index[cid]] = value

    def fill(self, row: list[object], cid: str, value: object) -> None:
        """Write a product value only where the cell is blank."""
        if _blank(row[self.index[cid]]) and not _blank(value):
            row[self.index[cid]] = value

    def append(self, values: Mapping[str, object]) -> list[object]:
        row: list[object] = [None] * len(self.header)
        for cid, v in values.items():
            row[self.index[cid]] = v
        self.rows.append(row)
        k = _key(values.get("order"), values.get("case"))
        if k is not None:
            self.key_of[id(row)] = k
        return row

    def table(self) -> list[list[object]]:
        return [*self.preamble, self.header, *self.rows]


# ----------------------------------------------------------------- the run

def _money(value: object) -> object:
    return value if isinstance(value, float) else None


def _sent(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    return vocab.fold(str(value)).lower() not in _NOT_SENT


def run(rows: object, headers: object, settings: object = None, templates: object = None,
        previous: Mapping[str, object] | None = None, now: object = None, *,
        aliases: Mapping[str, str] | None = None, run_at: datetime | None = None,
        part: str = "daily", results: list[RowResult] | None = None,
        sheet: str | None = None) -> BatchResult:
    """The daily batch over one tracking table.

    ``settings``: a Settings, a 设置 table or None; ``templates``: a dict
    (code → template) or a 话术模板 table or None; ``previous``: sheet name →
    that output sheet's current cells; ``part``: ``daily`` (everything),
    ``register`` or ``replies`` (one ribbon button).  Raises only for bad
    settings / reference time (a :class:`RefundXLError` or ``ValueError``).
    """
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}")
    s = coerce_settings(settings)
    when = coerce_now(now, s)
    run_at = run_at or when
    en = s.english
    table = as_rows(rows)
    head = as_headers(headers)
    reading = None
    previous = previous or {}
    if results is None:
        results, reading = evaluate_read(table, head, s, when, aliases, sheet=sheet)
    if isinstance(templates, Mapping):
        tpl = dict(replies.DEFAULT_TEMPLATES)
        tpl.update(templates)
    else:
        tpl = replies.parse_templates(as_rows(templates))

    results, fed = _intercept_from_register(table, head, previous.get(REGISTER), results, s, when, aliases, en)
    live = [r for r in results if not r.blank]
    out = BatchResult({}, when, run_at, part, english=en, reading=reading)
    out.intercept_fed = fed
    out.cases = len(live)
    out.counts = Counter(r.action_code or "ERROR" for r in live)
    open_ = [r for r in live if r.action_code != "DONE"]
    out.overdue = sum(r.deadline_code == "OVERDUE" for r in open_)
    out.warn = sum(r.deadline_code == "WARN" for r in open_)
    out.risk = sum(r.loss_risk == "RISK" for r in live)
    out.needs_info = sum(r.action_code == "NEEDS_INFO" or bool(r.error) for r in live)
    # 理赔清单 lists open cases only: once refunded, closed or finished the case has left the
    # desk's queue, and a refunded parcel that is still lost shows under 钱货两空风险 instead.
    claims = [r for r in open_ if r.case is not None and _claim_reason(r, en)]
    out.claims = len(claims)
    by_key: dict[tuple[str, str], RowResult] = {}
    for r in live:
        k = _case_key(r.case) if r.case is not None else None
        if k is not None and k not in by_key:
            by_key[k] = r

    wanted = PARTS[part]
    if REGISTER in wanted:
        grid = _register(previous.get(REGISTER), live, by_key, s, when, en, out)
        out.sheets[REGISTER] = grid.table()
        out.header_row[REGISTER] = len(grid.preamble)
        out.sheets[COURIER_LIST] = _courier_list(grid, by_key, en, out)
    if REPLIES in wanted:
        grid = _replies(previous.get(REPLIES), live, by_key, tpl, when, en, out)
        out.sheets[REPLIES] = grid.table()
        out.header_row[REPLIES] = len(grid.preamble)
        out.wrap_cols[REPLIES] = {grid.index["text"]}
    else:
        out.replies = sum(1 for r in open_ if _needs_message(r, tpl))
    if OVERVIEW in wanted:
        out.sheets[OVERVIEW] = _overview(live, claims, s, when, en, out)
    out.sheets[LOG] = _log(previous.get(LOG), s, when, en, out)
    out.header_row[LOG] = 0
    if reading is not None:
        out.sheets[READING] = reading.table()
        out.bold_rows[READING] = {0}
    for name, at in out.header_row.items():
        out.bold_rows.setdefault(name, set()).add(at)
    out.widths = {name: _widths(name) for name in out.sheets}
    return out


# ------------------------------------------- 拦截登记 → the next run (SPEC §6)

def _intercept_from_register(table: list[list[object]], head: list[object], register: object,
                             results: list[RowResult], s: Settings, when: datetime,
                             aliases: Mapping[str, str] | None, en: bool) -> tuple[list[RowResult], dict[int, str]]:
    """Staff type an interception result once, in 拦截登记: for a case whose own 拦截状态 cell
    is empty, the register's 拦截状态 is what this run decides on.  A filled tracking cell wins;
    nothing is written here (the host may fill the empty cell from the returned map).

    Only the rows concerned are evaluated again.  A register word that cannot be read as an
    interception status, or that only says nothing was asked yet (未拦截 …), is not taken.
    """
    if not register:
        return results, {}
    grid = _Grid(register, REGISTER_COLS, en)
    typed: dict[tuple[str, str], str] = {}
    parse = FIELD_BY_KEY["intercept"].parse
    for k, rows_ in grid.by_key.items():
        for row in rows_:
            raw = grid.get(row, "intercept")
            if _blank(raw) or vocab.fold(str(raw)) in _NOT_ASKED:
                continue
            word = parse(raw)
            if isinstance(word, str) and word != "未拦截":
                typed[k] = word  # the last row of a key wins (the most recent registration)
    if not typed:
        return results, {}
    try:
        cmap = resolve(head, aliases)
    except RefundXLError:
        return results, {}
    if "order_id" not in cmap:
        return results, {}
    o, c = cmap.index["order_id"], cmap.index.get("case_id")
    col = cmap.index.get("intercept")
    width = len(head)
    fed: dict[int, str] = {}
    changed: list[list[object]] = []
    for i, row in enumerate(table):
        if i >= len(results) or results[i].blank:
            continue
        k = _key(row[o] if o < len(row) else None, row[c] if c is not None and c < len(row) else None)
        if k is None or k not in typed:
            continue
        if col is not None and col < len(row) and not _blank(row[col]):
            continue  # what staff typed in the tracking sheet wins
        new = list(row[:width]) + [None] * (width - len(row))
        if col is None:
            new.append(typed[k])
        else:
            new[col] = typed[k]
        fed[i] = typed[k]
        changed.append(new)
    if not fed:
        return results, {}
    new_head = list(head) + ([FIELD_BY_KEY["intercept"].header] if col is None else [])
    again = evaluate(changed, new_head, s, when, aliases)
    results = list(results)
    for i, res in zip(fed, again):
        results[i] = res
    return results, fed


# ----------------------------------------------------------- 拦截登记

def _register(previous, live, by_key, s: Settings, when: datetime, en: bool, out: BatchResult) -> _Grid:
    grid = _Grid(previous, REGISTER_COLS, en)
    grid.rekey(by_key)
    # Existing rows: refresh the live columns, fill blanks, never touch staff cells.
    for k, rows_ in grid.by_key.items():
        res = by_key.get(k)
        for row in rows_:
            if res is None:
                grid.put(row, "state", _t(_ST["gone"], en))
                continue
            grid.put(row, "action", res.action_label(en))
            grid.put(row, "state", _t(_ST["done" if res.action_code == "DONE" else "open"], en))
            c = res.case
            grid.fill(row, "carrier", c.carrier)
            grid.fill(row, "tracking", c.tracking_no)
            grid.fill(row, "deadline", rules.deadline_of(c, s))
    # New cases: appended, grouped by courier.
    new = []
    seen = set(grid.by_key)
    for res in live:
        if res.action_code not in rules.INTERCEPT_ACTIONS:
            continue
        k = _case_key(res.case)
        if k is None or k in seen:
            continue
        seen.add(k)
        new.append(res)
    new.sort(key=lambda r: (r.case.carrier or "\uffff", r.case.tracking_no or "", r.case.order_id or ""))
    for res in new:
        c = res.case
        code = res.action_code
        grid.append({
            "registered": when,
            "order": c.order_id,
            "case": c.case_id,
            "carrier": c.carrier,
            "tracking": c.tracking_no,
            "amount": _money(c.amount),
            "tier": rules.label(res.value_tier, en) if res.value_tier else None,
            "method": _t(METHODS[code], en),
            "flag": _t(FLAGS[code], en),
            "deadline": rules.deadline_of(c, s),
            "check_at": when + timedelta(hours=s.intercept_check_hours),
            "intercept": c.intercept or "未拦截",
            "note": None,
            "action": res.action_label(en),
            "state": _t(_ST["open"], en),
        })
    out.new_registered = len(new)
    out.register_rows = sum(1 for rows_ in grid.by_key.values() for _ in rows_) + len(new)
    return grid


def _courier_list(grid: _Grid, by_key, en: bool, out: BatchResult) -> list[list[object]]:
    """Per courier, the tracking numbers to send today (carrier, number, order, reason only)."""
    groups: dict[str, list[list[object]]] = {}
    unsendable: list[list[object]] = []
    seen: set[tuple[str, str]] = set()
    for row in grid.rows:
        k = grid.key(row)
        if k is None or k in seen:
            continue
        res = by_key.get(k)
        if res is None or res.action_code not in rules.INTERCEPT_ACTIONS:
            continue
        asked = grid.get(row, "intercept")
        if not _blank(asked) and vocab.fold(str(asked)) not in _NOT_ASKED:
            continue  # staff recorded the courier was asked (拦截中 / 成功 / 失败)
        seen.add(k)
        carrier = res.case.carrier
        line = [carrier, res.case.tracking_no, res.case.order_id, _t(COURIER_REASON, en)]
        if not carrier or not res.case.tracking_no:
            unsendable.append(line)
        else:
            groups.setdefault(carrier, []).append(line)
    head = [c.name(en) for c in COURIER_COLS]
    title = "快递拦截清单（只含快递公司、物流单号、订单号、拦截原因；无客户电话与地址）" if not en else \
        "Interception lists per courier (carrier, tracking no., order, reason only)"
    table: list[list[object]] = [[title], [("基准时间" if not en else "Reference time"), out.now]]
    bold = out.bold_rows.setdefault(COURIER_LIST, {0})
    for carrier in sorted(groups):
        lines = sorted(groups[carrier], key=lambda l: (l[1] or "", l[2] or ""))
        table += [[None], [f"【{carrier}】共 {len(lines)} 单" if not en else f"[{carrier}] {len(lines)}"], head]
        bold.update((len(table) - 2, len(table) - 1))
        table += lines
    if unsendable:
        table += [[None], ["【无法发送：缺快递公司或物流单号，请先在售后登记中补全】" if not en else
                           "[Cannot send: carrier or tracking number missing]"], head]
        bold.update((len(table) - 2, len(table) - 1))
        table += [[l[0] or _t(NO_CARRIER, en), *l[1:]] for l in unsendable]
    if not groups and not unsendable:
        table += [[None], ["今日没有需要发给快递的拦截单。" if not en else "Nothing to send to couriers today."]]
    out.to_courier = sum(len(v) for v in groups.values())
    return table


# ----------------------------------------------------------- 回复话术

def _needs_message(res: RowResult, tpl: Mapping[str, str]) -> bool:
    code = res.action_code
    return bool(code) and not res.error and code not in replies.NO_MESSAGE and bool(tpl.get(code))


def _message(res: RowResult, tpl: Mapping[str, str], en: bool) -> tuple[str, str]:
    text, missing = replies.fill(tpl[res.action_code], res.case,
                                 {"处理建议": res.action_label(en), "动作代码": res.action_code})
    return text, "、".join(dict.fromkeys(missing))


def _replies(previous, live, by_key, tpl, when: datetime, en: bool, out: BatchResult) -> list[list[object]]:
    grid = _Grid(previous, REPLY_COLS, en)
    grid.rekey(by_key)
    for k, rows_ in grid.by_key.items():
        res = by_key.get(k)
        for row in rows_:
            if res is None:
                grid.put(row, "state", _t(_ST["gone"], en))
            elif res.action_code == "DONE":
                grid.put(row, "state", _t(_ST["done"], en))
            elif not _needs_message(res, tpl):
                grid.put(row, "state", f"{_t(_ST['no_reply'], en)}：{res.action_label(en)}")
            else:
                _refresh_reply(grid, row, res, tpl, when, en)
    count = 0
    seen = set(grid.by_key)
    for res in live:
        if res.action_code == "DONE" or not _needs_message(res, tpl):
            continue
        count += 1
        k = _case_key(res.case)
        if k is None or k in seen:
            continue
        seen.add(k)
        text, missing = _message(res, tpl, en)
        grid.append({
            "order": res.case.order_id, "case": res.case.case_id, "code": res.action_code,
            "action": res.action_label(en), "text": text, "missing": missing or None,
            "state": _t(_ST["to_send"], en), "updated": when,
        })
    out.replies = count
    return grid


def _refresh_reply(grid: _Grid, row, res: RowResult, tpl, when: datetime, en: bool) -> None:
    text, missing = _message(res, tpl, en)
    old_code = grid.get(row, "code")
    sent = grid.get(row, "sent")
    if not _blank(old_code) and str(old_code).strip() != res.action_code:
        # The case moved on: a new reply is due.  The staff cell is not touched;
        # its value is remembered so the row reads "sent" again once it changes.
        grid.put(row, "code", res.action_code)
        grid.put(row, "action", res.action_label(en))
        grid.put(row, "text", text)
        grid.put(row, "missing", missing or None)
        grid.put(row, "updated", when)
        grid.put(row, "sent_before", sent if _sent(sent) else None)
    elif not _sent(sent) and grid.get(row, "text") != text:
        # Not sent yet: keep the text in step with the tracking sheet (e.g. a tracking number arrived).
        grid.put(row, "code", res.action_code)
        grid.put(row, "action", res.action_label(en))
        grid.put(row, "text", text)
        grid.put(row, "missing", missing or None)
        grid.put(row, "updated", when)
    before = grid.get(row, "sent_before")
    if not _sent(sent):
        state = "to_send"
    elif not _blank(before) and str(before).strip() == str(sent).strip():
        state = "resend"
    else:
        state = "sent"
    grid.put(row, "state", _t(_ST[state], en))


# ----------------------------------------------------------- 今日概览

def _claim_reason(res: RowResult, en: bool) -> str:
    c = res.case
    if c is None or res.error:
        return ""
    if res.stall_code == "LOST":
        h = res.stall_hours or 0.0
        return f"{h:.0f}小时无物流更新（真停滞，按丢件）" if not en else f"No movement for {h:.0f} h (lost)"
    if c.logistics == "丢件":
        return "物流显示丢件" if not en else "Logistics: lost"
    if c.courier_check == "丢件":
        return "快递核实丢件" if not en else "Courier confirmed lost"
    if res.action_code == "REFUND_OR_RESHIP_CLAIM":
        return res.action_label(en)
    return ""


OVERVIEW_LIST_CAP = 300  # rows per list at most; the rest is counted in one line


def _overview(live: list[RowResult], claims: list[RowResult], s: Settings, when: datetime, en: bool,
              out: BatchResult) -> list[list[object]]:
    """今日概览: the counts (one label, one number per row), counts per action with a chart,
    then short lists of the cases applied for in the last ``overview_days`` days.

    Older cases are counted in one line under each list, never listed, so a year's sheet
    gives a page, not 45,000 rows.  A case with neither 申请时间 nor 超时时间 is listed
    (its age is unknown).
    """
    L = (lambda zh, e: e if en else zh)
    days = s.overview_days
    cutoff = when - timedelta(days=days)
    shown_days = f"{days:g}"

    def recent(r: RowResult) -> bool:
        c = r.case
        since = (c.applied_at or c.deadline) if c is not None else None
        return since is None or since >= cutoff

    open_n = sum(1 for r in live if r.action_code != "DONE")
    t: list[list[object]] = []
    bold = out.bold_rows.setdefault(OVERVIEW, {0})
    t.append([L("今日概览", "Today's overview"), L("基准时间", "Reference time"), when])
    t.append([None])
    bold.add(len(t))
    t.append([L("项目", "Item"), L("数量", "Count")])
    t.append([L("售后单", "Cases"), out.cases])
    t.append([L("未完结", "Open"), open_n])
    t.append([L("已超时（未完结）", "Overdue (open)"), out.overdue])
    t.append([L("即将超时（未完结）", "Due soon (open)"), out.warn])
    t.append([L("待理赔", "Courier claims"), out.claims])
    t.append([L("钱货两空风险", "Loss risks"), out.risk])
    t.append([L("信息不足", "Missing information"), out.needs_info])
    t.append([L("下方清单范围", "Lists below"),
              L(f"近 {shown_days} 天（{cutoff:%Y-%m-%d %H:%M} 起）申请的售后单；更早的只计数（设置：概览天数）",
                f"cases applied for in the last {shown_days} days (since {cutoff:%Y-%m-%d %H:%M}); "
                "older ones are counted only (setting overview_days)")])
    t.append([None])
    # Counts per action, in the decision table's order.
    t.append([L("各动作数量", "Cases per action")])
    bold.update((len(t) - 1, len(t)))
    header_row = len(t) + 1
    t.append([L("动作代码", "Action code"), L("处理动作", "Action"), L("数量", "Count")])
    order = list(rules.ACTIONS) + sorted(set(out.counts) - set(rules.ACTIONS))
    first = len(t) + 1
    for code in order:
        n = out.counts.get(code, 0)
        if n:
            t.append([code, rules.label(code, en) if code in rules.ACTIONS else L("行错误", "Row error"), n])
    last = len(t)
    if last >= first:
        out.chart = ChartSpec(L("各动作数量", "Cases per action"), header_row, first, last, 2, 3, f"E{header_row}")
    # Leave room for the chart beside the counts (~0.45 cm a bar, 0.5 cm a row).
    chart_rows = header_row + int((max(7.5, 0.45 * (last - first + 1) + 2)) / 0.5) + 1
    while len(t) < max(last + 1, chart_rows):
        t.append([None])
    t.append([None])

    def block(title: str, head: list[str], cases: list[RowResult], line, empty: str,
              order_key=None) -> None:
        listed = [r for r in cases if recent(r)]
        older = len(cases) - len(listed)
        more = max(0, len(listed) - OVERVIEW_LIST_CAP)
        if more:  # the most recent first, then the list's own order
            listed = sorted(listed, key=lambda r: (r.case.applied_at or r.case.deadline or when) if r.case else when,
                            reverse=True)
            listed = listed[:OVERVIEW_LIST_CAP]
        if order_key is not None:
            listed.sort(key=order_key)
        t.append([f"{title}（{len(cases)}）"])
        bold.add(len(t) - 1)
        if not listed:
            t.append([empty if not cases else L(f"近 {shown_days} 天内没有。", f"None in the last {shown_days} days.")])
        else:
            bold.add(len(t))
            t.append(head)
            t.extend(line(r) for r in listed)
        if more:
            t.append([L(f"只列出最近申请的 {OVERVIEW_LIST_CAP} 单，另有 {more} 单未列出（在售后登记中筛选）",
                        f"The {OVERVIEW_LIST_CAP} most recent are listed; {more} more are not "
                        "(filter the tracking sheet)")])
        if older:
            t.append([L(f"另有 {older} 单申请于 {shown_days} 天前，未列出",
                        f"{older} more applied for over {shown_days} days ago, not listed")])
        t.append([None])

    def hours(x):
        return None if x is None else round(x, 1)

    due = [r for r in live if r.action_code != "DONE" and r.deadline_code in ("OVERDUE", "WARN")]
    block(L("逾期与即将超时（未完结）", "Overdue and due soon (open)"),
          [L("订单号", "Order ID"), L("售后单号", "Case ID"), L("超时状态", "Deadline"), L("超时时间", "Deadline at"),
           L("剩余小时", "Hours left"), L("处理动作", "Action"), L("快递公司", "Carrier"), L("物流单号", "Tracking no.")],
          due, lambda r: [r.case.order_id, r.case.case_id, rules.label(r.deadline_code, en), rules.deadline_of(r.case, s),
                          hours(r.hours_left), r.action_label(en), r.case.carrier, r.case.tracking_no],
          L("没有逾期或即将超时的售后单。", "Nothing overdue or due soon."),
          order_key=lambda r: r.hours_left if r.hours_left is not None else 0.0)
    block(L("理赔清单（向快递理赔，未完结的售后单）", "Courier claims (open cases)"),
          [L("订单号", "Order ID"), L("售后单号", "Case ID"), L("快递公司", "Carrier"), L("物流单号", "Tracking no."),
           L("退款金额", "Amount"), L("理赔原因", "Reason"), L("处理动作", "Action"), L("物流状态", "Logistics")],
          claims, lambda r: [r.case.order_id, r.case.case_id, r.case.carrier, r.case.tracking_no, _money(r.case.amount),
                             _claim_reason(r, en), r.action_label(en), r.case.logistics],
          L("没有需要理赔的包裹。", "No claims."),
          order_key=lambda r: (r.case.carrier or "\uffff", r.case.tracking_no or ""))
    block(L("钱货两空风险（已退款但货不在手）", "Loss risks (refunded, goods not back)"),
          [L("订单号", "Order ID"), L("售后单号", "Case ID"), L("售后类型", "Refund type"), L("退款金额", "Amount"),
           L("发货状态", "Ship state"), L("物流状态", "Logistics"), L("拦截状态", "Interception"),
           L("退货物流状态", "Return logistics"), L("快递公司", "Carrier"), L("物流单号", "Tracking no.")],
          [r for r in live if r.loss_risk == "RISK"],
          lambda r: [r.case.order_id, r.case.case_id, r.case.refund_type, _money(r.case.amount), r.case.ship_state,
                     r.case.logistics, r.case.intercept,
                     r.case.return_logistics if r.case.refund_type == "退货退款" else None,
                     r.case.carrier, r.case.tracking_no],
          L("没有钱货两空风险。", "No loss risks."))
    block(L("信息不足（请先补全售后登记）", "Missing information"),
          [L("订单号", "Order ID"), L("售后单号", "Case ID"), L("售后类型", "Refund type"), L("退款金额", "Amount"),
           L("申请时间", "Applied at"), L("缺少或无法识别", "Missing or unreadable")],
          [r for r in live if r.action_code == "NEEDS_INFO" or r.error],
          lambda r: [r.case.order_id if r.case else None, r.case.case_id if r.case else None,
                     r.case.refund_type if r.case else None, _money(r.case.amount) if r.case else None,
                     r.case.applied_at if r.case else None, r.action_label(en)],
          L("没有信息不足的售后单。", "Nothing missing."))
    out.wrap_cols[OVERVIEW] = {1, 5, 6}
    return t


# ----------------------------------------------------------- 运行日志

def _log(previous, s: Settings, when: datetime, en: bool, out: BatchResult) -> list[list[object]]:
    rows = [list(r) for r in as_rows(previous)]
    while rows and all(_blank(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        rows = [[c.name(en) for c in LOG_COLS]]
    values = {
        "run_at": out.run_at, "now": when, "cases": out.cases,
        "registered": out.new_registered if REGISTER in out.sheets else None,
        "replies": out.replies, "overdue": out.overdue, "risk": out.risk, "settings": settings_text(s),
        "what": _t(RUN_NAMES[out.part], en), "warn": out.warn, "claims": out.claims,
        "needs_info": out.needs_info,
        "reading": out.reading.summary() if out.reading is not None else None,
    }
    # Columns found by name in the existing header (staff may have moved or added some).
    header = rows[0]
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        f = _fold_header(h)
        for c in LOG_COLS:
            if c.id not in index and f in (_fold_header(c.zh), _fold_header(c.en)):
                index[c.id] = i
    for c in LOG_COLS:
        if c.id not in index:
            index[c.id] = len(header)
            header.append(c.name(en))
    line: list[object] = [None] * len(header)
    for cid, i in index.items():
        line[i] = values[cid]
    rows.append(line)
    return rows


# ----------------------------------------------------------- layout hints

_WIDTHS = {
    REGISTER: [17, 22, 22, 12, 18, 10, 9, 24, 7, 17, 17, 11, 24, 30, 14],
    COURIER_LIST: [14, 22, 22, 34],
    REPLIES: [22, 22, 24, 30, 70, 14, 11, 26, 17, 14],
    OVERVIEW: [28, 40, 17, 17, 10, 34, 30, 22, 12, 20],
    LOG: [17, 17, 9, 10, 8, 8, 8, 70, 12, 10, 8, 10, 40],
    READING: [24, 18, 16, 44],
}


def _widths(name: str) -> list[int]:
    """Suggested column widths (characters) for a host that sets them."""
    return list(_WIDTHS.get(name, []))


def iter_cells(table: Iterable[Sequence[object]]):
    """(row index, column index, value) of every non-empty cell (0-based)."""
    for r, row in enumerate(table):
        for c, v in enumerate(row):
            if v is not None and v != "":
                yield r, c, v
