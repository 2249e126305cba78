"""Merging a run with what earlier runs and staff left (contract §6).

* rows are keyed by 订单号 + 售后单号 + 物流单号 (the parcels of a split shipment, a
  reshipment or a corrected 物流单号 stay apart, with or without a 售后单号:
  :func:`refund_xl._app.track.case_key`, the one key); a long order number Excel turned
  into a number still matches, and so does a row an older run keyed without its 物流单号,
  where that is unambiguous (:meth:`Grid.rekey`); a row whose 物流单号 the case no longer
  has is never another parcel's: it is marked, the new parcel gets its own row;
* a case already there keeps every cell staff typed: 拦截状态, 跟进备注,
  是否已发送 and any column the product does not know; product cells are only
  filled when blank, except the *live* columns (当前动作 / 登记状态, 状态 …)
  that say where the case stands today;
* new cases are appended at the bottom, nothing is deleted or reordered; a
  case that is closed (or gone from the tracking sheet) is marked, not removed;
* a sheet named like an output sheet that is not ours is never written
  (:func:`output_name`); only cells that change are written (:func:`changed_blocks`);
* a 拦截状态 staff typed in 拦截登记 is what the next run decides on.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from typing import Callable, Iterable, Mapping, Sequence

from refund_xl._core import vocab
from refund_xl._core.context import Context
from refund_xl._core.engine import RowResult, case_of, evaluate_table
from refund_xl._core.ranges import as_rows
from refund_xl._core.errors import RefundXLError
from refund_xl._core.fields import FIELD_BY_KEY, ColumnMap, resolve
from refund_xl._app.track import Key, case_key as _case_key, ids_agree, order_text
from refund_xl._core.lang import pick
from refund_xl._app.batch.columns import Col, find_cols, fold_header, REGISTER_COLS, NOT_ASKED, NOT_SENT, STATES


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
    "理赔登记": ({"订单号", "order id"}, {"售后单号", "case id"},
             {"理赔截止", "claim deadline", "登记状态", "register state"}),
    "钱货两空核查": ({"订单号", "order id"}, {"售后单号", "case id"},
               {"风险原因", "why at risk", "如何解除", "what clears it"}),
}
_TITLES = {
    "快递拦截清单": ("快递拦截清单", "interception lists per courier"),
    "今日概览": ("今日概览", "today's overview"),
    "读取报告": ("读取报告", "reading report"),
}
# the names as a cell is matched (fold_header: width-folded, lower-case, without spaces — "Order ID" is "orderid")
_FOLDED_SIGNATURES = {n: tuple({fold_header(w) for w in group} for group in groups) for n, groups in _SIGNATURES.items()}
_FOLDED_TITLES = {n: tuple(fold_header(t) for t in titles) for n, titles in _TITLES.items()}


def is_ours(name: str, rows: object) -> bool:
    """Does this sheet (named like output sheet ``name``) have the product's layout, or nothing at all?"""
    table = [list(r) for r in as_rows(rows)] if rows is not None else []
    if all(blank(v) for r in table for v in r):
        return True
    if name in _TITLES:
        first = next((v for v in (table[0] if table else []) if not blank(v)), None)
        if first is None:
            return False
        text = fold_header(first)  # the title exactly, or the title with its note in brackets
        return any(text == t or text.startswith((t + "（", t + "(")) for t in _FOLDED_TITLES[name])
    wanted = _FOLDED_SIGNATURES.get(name)
    if wanted is None:
        return False
    for row in table:  # the header row wherever it is: staff may keep notes above it
        folded = {fold_header(v) for v in row if not blank(v)}
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


_APPROX = "≈"  # a register's id that Excel turned into a number: matches a case only through rekey


def _key_part(value: object) -> str:
    got = vocab.parse_id(value)
    if isinstance(got, str):
        return got
    if vocab.is_lossy_id(value):
        # the digits are gone (contract §2 "Ids"): never a key of its own, only a hint that
        # :meth:`Grid.rekey` may use to find the same case again where that is unambiguous
        try:
            return _APPROX + f"{float(str(value).strip()):.14e}"
        except ValueError:
            return ""
    return ""


def _key(order: object, case: object, tracking: object = None) -> Key | None:
    """The key of a sheet row (its cells as typed; a 物流单号 that is not read is none)."""
    got = vocab.parse_id(tracking)
    return _case_key(_key_part(order), _key_part(case), got if isinstance(got, str) else "")


def _loose(order: str) -> str:
    """An order number as Excel keeps it once it became a number: 15 significant digits ('' = not one)."""
    if order.startswith(_APPROX):
        return order[len(_APPROX):]
    text = order.strip()
    if not (text.isdigit() and len(text) >= 16) and not re.fullmatch(r"\d(?:\.\d+)?[eE]\+?\d+", text):
        return ""
    try:
        return f"{float(text):.14e}"
    except (ValueError, OverflowError):
        return ""


def case_key(case) -> Key | None:
    """The key of an evaluated case (its ids are already canonical text)."""
    return _case_key(case.order_id, case.case_id, case.tracking_no)


def shown_key(case) -> Key | None:
    """The key of a case whose 订单号 cannot be read (Excel cut it: ``4.80299E+18``), as a sheet row showing
    that id as read is keyed (:func:`_key`): never the damaged id alone (contract §2 "Ids") — only with a
    readable 售后单号 or 物流单号 beside it, which keeps the case apart from any other.  None otherwise."""
    if not any(isinstance(v, str) and v for v in (case.case_id, case.tracking_no)):
        return None
    shown = case.typed("order_id")
    return _key(shown, case.case_id, case.tracking_no) if shown is not None else None


def shown_ids(order: object, case: object, tracking: object) -> tuple[str, str, str]:
    """Ids as a row shows them (folded text, "" for blank): how a case no key finds is found again."""
    return tuple("" if blank(v) else vocab.fold(str(v)).strip() for v in (order, case, tracking))  # type: ignore[return-value]


blank = vocab.is_blank  # the one test of "blank" (None, NaN, only spaces)


class Grid:
    """An output sheet as it was (header row found by name) plus our columns."""

    def __init__(self, previous: object, cols: Sequence[Col], english: bool):
        self.cols = cols
        self.english = english
        rows = [list(r) for r in as_rows(previous)]
        while rows and all(blank(c) for c in rows[-1]):
            rows.pop()
        names = {c.id: {fold_header(c.zh), fold_header(c.en)} for c in cols}
        keys = [c for c in cols if c.kind == "key"]
        at = None
        for i, row in enumerate(rows):  # wherever the header row is (notes above it are kept as they are)
            folded = {fold_header(v) for v in row}
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
        while header and blank(header[-1]):
            header.pop()
        self.index: dict[str, int] = find_cols(header, cols)
        for c in cols:
            if c.id not in self.index:
                self.index[c.id] = len(header)
                header.append(c.name(english))
        self.header = header
        width = len(header)
        for r in self.rows:
            if len(r) < width:
                r.extend([None] * (width - len(r)))
        self.by_key: dict[Key, list[list[object]]] = {}
        self.key_of: dict[int, Key] = {}  # id(row) → its case's key
        self.unsure: set[int] = set()  # id(row) of rows without a 物流单号 that fit several parcels (rekey)
        self.moved: dict[int, str] = {}  # id(row) → the 物流单号 its case now has instead of the row's (rekey)
        o_at, c_at, t_at = self.index["order"], self.index["case"], self.index.get("tracking")
        for r in self.rows:
            k = _key(r[o_at], r[c_at], r[t_at] if t_at is not None else None)
            if k is not None:
                self.by_key.setdefault(k, []).append(r)
                self.key_of[id(r)] = k

    def key(self, row: list[object]) -> Key | None:
        return self.key_of.get(id(row))

    def earlier_cases(self, by_key, gone: str):
        """(row, today's result) for each row an earlier run left, after :meth:`rekey`; a row whose
        case is no longer in the tracking sheet is marked ``gone`` in 状态 and not yielded (one that
        fits several parcels, or whose case now has another 物流单号, says so: :meth:`lost`)."""
        self.rekey(by_key)
        for k, rows in self.by_key.items():
            res = by_key.get(k)
            for row in rows:
                if res is None:
                    self.put(row, "state", self.lost(row) or gone)
                else:
                    yield row, res

    def lost(self, row: list[object]) -> str | None:
        """Why a row an earlier run left matches no case, where that is not simply a case gone: it fits
        several parcels (:attr:`unsure`), or its case now has another 物流单号 (:attr:`moved`: a corrected
        number or a reshipment; the register asks staff to check the 拦截状态 they typed on it)."""
        if id(row) in self.unsure:
            return pick(STATES["unsure"], self.english)
        if id(row) in self.moved:
            said = STATES["moved_intercept" if "intercept" in self.index else "moved"]
            return pick(said, self.english).format(self.moved[id(row)])
        return None

    def rekey(self, live_keys: Iterable[Key]) -> None:
        """Rows whose key no longer matches a case exactly, matched where it is unambiguous.

        A row may be a case when every id both have agrees (:func:`ids_agree`), and it is matched to
        the case it may be only when it may be no other:

        * 售后单号 filled in later: a row keyed (订单号, "", 物流单号) is the order's one
          case that now has a 售后单号 (the blank key cell is filled);
        * a row without a 物流单号 (an older run's row of a sheet that had no such
          column, or keyed without it, a parcel registered before its number was known):
          its case's one parcel; never one parcel of two (a split shipment, one after-sale
          over two parcels: each its own row) — :attr:`unsure`;
        * 订单号 turned into a number by Excel (``4.17703425634009E+18``: the
          last digits are gone): the same 15 significant digits and, where
          both have one, the same 售后单号 and 物流单号.
        A key that could be two cases is left alone (a new row is safer than staff notes on the
        wrong case), and so is a row whose 物流单号 no parcel of its case has (a corrected number,
        a reshipment): what staff typed on it was for that parcel, never for another.  Where its
        case has one parcel, under another number the row's number is in no case of, the row
        says so (:attr:`moved`); the new parcel gets its own row.
        """
        live = live_keys if isinstance(live_keys, (set, dict)) else set(live_keys)
        if all(k in live for k in self.by_key):
            return  # the usual run: every row matches a case exactly
        by_order: dict[str, list[Key]] = {}
        by_loose: dict[str, list[Key]] = {}
        for k in live:
            by_order.setdefault(k[0], []).append(k)
            loose = _loose(k[0])
            if loose and not k[0].startswith(_APPROX):  # (an id Excel cut never matches another so cut)
                by_loose.setdefault(loose, []).append(k)
        taken = {k for k in self.by_key if k in live}
        merged: dict[Key, list[list[object]]] = {}
        for k, rows in self.by_key.items():
            target = k
            if k not in live:
                order = by_order.get(k[0], [])
                cands = [x for x in order if ids_agree(k[1:], x[1:])]
                if not cands and _loose(k[0]):
                    cands = [x for x in by_loose.get(_loose(k[0]), []) if ids_agree(k[1:], x[1:])]
                if len(cands) > 1 and not k[2]:
                    self.unsure.update(id(r) for r in rows)
                elif len(cands) == 1 and cands[0] not in taken:
                    target = cands[0]
                    taken.add(target)
                    for r in rows:
                        self.fill(r, "case", target[1] or None)
                        self.fill(r, "tracking", target[2] or None)
                elif not cands and k[2] and all(x[2] != k[2] for x in order):
                    parcels = [x for x in order if ids_agree(k[1:2], x[1:2])]  # its case's (its order's) parcels
                    if len(parcels) == 1:
                        self.moved.update((id(r), parcels[0][2]) for r in rows)
            merged.setdefault(target, []).extend(rows)
            for r in rows:
                self.key_of[id(r)] = target
        self.by_key = merged

    def new_cases(self, live: Iterable[RowResult], wanted: Callable[[RowResult], bool]) -> list[RowResult]:
        """The results ``wanted`` whose case the sheet does not list yet, once each, grouped by courier
        (快递公司, then 物流单号, then 订单号): the rows a register appends."""
        new: list[RowResult] = []
        seen = set(self.by_key)
        for res in live:
            if res.case is None or not wanted(res):
                continue
            k = case_key(res.case)
            if k is None or k in seen:
                continue
            seen.add(k)
            new.append(res)
        new.sort(key=lambda r: (case_of(r).carrier or "\uffff", case_of(r).tracking_no or "", case_of(r).order_id or ""))
        return new

    def get(self, row: list[object], cid: str) -> object:
        return row[self.index[cid]]

    def put(self, row: list[object], cid: str, value: object) -> None:
        row[self.index[cid]] = value

    def fill(self, row: list[object], cid: str, value: object) -> None:
        """Write a product value only where the cell is blank (and the sheet has the column)."""
        if cid in self.index and blank(row[self.index[cid]]) and not blank(value):
            row[self.index[cid]] = value

    def append(self, values: Mapping[str, object]) -> list[object]:
        row: list[object] = [None] * len(self.header)
        for cid, v in values.items():
            row[self.index[cid]] = v
        self.rows.append(row)
        k = _key(values.get("order"), values.get("case"), values.get("tracking"))
        if k is not None:
            self.key_of[id(row)] = k
        return row

    def table(self) -> list[list[object]]:
        return [*self.preamble, self.header, *self.rows]


# ----------------------------------------------------------------- the run

def money(value: object) -> object:
    return value if isinstance(value, float) else None


def is_sent(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    return vocab.fold(str(value)).lower() not in NOT_SENT


@dataclasses.dataclass(frozen=True)
class Typed:
    """What 拦截登记 says of one case's interception (its last row that says anything)."""

    raw: str            # the 拦截状态 cell as typed ("" when it only says nothing was asked yet)
    word: str | None    # read as an interception status (None: blank, 未拦截 … or unreadable)
    copied: str         # 已回填售后表: what a run wrote into the tracking sheet's 拦截状态 ("" none)
    note: str = ""      # the row's 跟进备注 (what staff wrote beside the word)

    @property
    def unread(self) -> bool:
        """Typed, but no word of the field nor of the team's 值映射."""
        return bool(self.raw) and self.word is None


def register_intercepts(grid: Grid, words: Mapping[str, str] | None = None) -> dict[Key, Typed]:
    """What 拦截登记 says of each case's interception: the 拦截状态 staff typed there (a word that
    only says nothing was asked yet — 未拦截, 待拦截 … — counts as nothing typed) and the word an
    earlier run copied into the tracking sheet (已回填售后表).  The last row of a key that says
    anything wins (the most recent registration).  ``words``: the team's own words for 拦截状态
    (值映射), read first."""
    out: dict[Key, Typed] = {}
    parse = FIELD_BY_KEY["intercept"].parse
    own = {vocab.fold(str(k)): v for k, v in (words or {}).items()}
    for k, rows_ in grid.by_key.items():
        raw, word, copied, note = "", None, "", ""
        for row in rows_:
            cell, mark = grid.get(row, "intercept"), grid.get(row, "copied")
            if not blank(mark):
                copied = str(mark).strip()
            if blank(cell) or vocab.fold(str(cell)) in NOT_ASKED:
                continue
            read = own.get(vocab.fold(str(cell))) or parse(cell)
            if isinstance(read, str) and read != "未拦截":
                raw, word = str(cell).strip(), read
            elif read is vocab.BAD:
                raw, word = str(cell).strip(), None
            else:
                continue
            said = grid.get(row, "note")
            note = "" if blank(said) else str(said).strip()
        if raw or copied:
            out[k] = Typed(raw, word, copied, note)
    return out


def typed_intercepts(grid: Grid, words: Mapping[str, str] | None = None) -> dict[Key, str]:
    """The 拦截状态 staff typed in 拦截登记, per case, read as an interception status
    (:func:`register_intercepts`; a word nothing reads is left out).  Used by ``track``."""
    return {k: t.word for k, t in register_intercepts(grid, words).items() if t.word}


@dataclasses.dataclass
class Feed:
    """What 拦截登记's 拦截状态 did to this run (contract §6 "Interception results are typed once")."""

    # tracking-sheet row (0-based, in the rows given) → the word the host writes into its 拦截状态:
    # a cell that was empty, or that still holds what an earlier run copied there
    fed: dict[int, str] = dataclasses.field(default_factory=dict)
    # case key → 已回填售后表 after this run (a word, or "" once staff typed over the cell)
    copied: dict[Key, str] = dataclasses.field(default_factory=dict)
    # case key → 拦截状态核对 (what the register row is told: an update, a disagreement, an unread word)
    notes: dict[Key, str] = dataclasses.field(default_factory=dict)
    # case key → 拦截登记's 跟进备注 of a case decided on the register's word (a 钱货两空 case it clears)
    said: dict[Key, str] = dataclasses.field(default_factory=dict)
    unread: list[str] = dataclasses.field(default_factory=list)     # unreadable words decided on (信息不足)
    ignored: list[str] = dataclasses.field(default_factory=list)    # unreadable words beside a filled cell
    log: list[str] = dataclasses.field(default_factory=list)        # 运行日志 说明 bits, one per case


def _same_cell(cell: object, word: str) -> bool:
    return bool(word) and not blank(cell) and vocab.fold(str(cell)).strip() == vocab.fold(word).strip()


def intercept_from_register(table: list[list[object]], head: list[object], register: object,
                             results: list[RowResult], ctx: Context, columns: ColumnMap | None = None,
                             fills: bool = True) -> tuple[list[RowResult], Feed]:
    """Staff type an interception result once, in 拦截登记: the register's 拦截状态 is what this run
    decides on for a case whose own 拦截状态 cell is empty — or still holds the word an earlier run
    copied there from the register (已回填售后表: a cell the product wrote is not a cell staff typed).
    A cell staff typed wins; where it and the register disagree the register row and 运行日志 say so.
    Nothing is written here: the host fills / updates the cells of ``Feed.fed`` (``fills``: it will,
    so 已回填售后表 remembers the words).

    Only the rows concerned are evaluated again.  A register word that cannot be read as an
    interception status (through the team's 值映射 too) is decided on — and copied — as typed: the
    case needs information, naming 拦截状态, and the row and 运行日志 say so; one that only says
    nothing was asked yet (未拦截 …) is not taken.
    """
    feed = Feed()
    if not register:
        return results, feed
    own = ctx.mappings.values.get("intercept")
    grid = Grid(register, REGISTER_COLS, ctx.english)
    if not register_intercepts(grid, own):
        return results, feed
    try:
        cmap = columns or resolve(head, ctx.mappings)
    except RefundXLError:
        return results, feed
    if "order_id" not in cmap:
        return results, feed
    o, c, w = cmap.index["order_id"], cmap.index.get("case_id"), cmap.index.get("tracking_no")
    keys = [None if i >= len(results) or results[i].blank else
            _key(*(row[at] if at is not None and at < len(row) else None for at in (o, c, w)))
            for i, row in enumerate(table)]
    grid.rekey({k for k in keys if k is not None})  # a row an older run keyed without its 物流单号: its one case
    typed = register_intercepts(grid, own)
    col = cmap.index.get("intercept")
    width = len(head)
    decide: dict[int, str] = {}
    changed: list[list[object]] = []
    for i, row in enumerate(table):
        k = keys[i] if i < len(keys) else None
        t = typed.get(k) if k is not None else None
        if k is None or t is None:
            continue
        cell = row[col] if col is not None and col < len(row) else None
        ours = _same_cell(cell, t.copied)
        if not blank(cell) and not ours:  # what staff typed in the tracking sheet wins
            if t.copied:
                feed.copied[k] = ""  # staff typed over the word copied there: theirs from now on
            case = results[i].case
            have = case.intercept if case is not None else None
            if t.word and have != t.word:
                shown = str(cell).strip()
                feed.notes[k] = (f"与售后表不一致：售后表拦截状态为「{shown}」，本行为「{t.raw}」，按售后表判定；"
                                 "以本行为准请清空售后表的拦截状态")
                feed.log.append(f"{order_text(k)}：拦截登记「{t.raw}」与售后表「{shown}」不一致，按售后表判定")
            elif t.unread:
                feed.ignored.append(t.raw)
                feed.notes[k] = f"本行拦截状态「{t.raw}」认不出；售后表已填「{str(cell).strip()}」，按售后表判定"
            continue
        if t.word:
            if ours and _same_cell(cell, t.word):
                continue  # the cell already says what the register says
            decide[i] = t.word
            feed.fed[i] = t.word
            if fills and col is not None:  # (no 拦截状态 column: nothing is copied, so nothing is remembered as copied)
                feed.copied[k] = t.word
            if ours:
                feed.notes[k] = f"已按本行把售后表拦截状态由「{str(cell).strip()}」改为「{t.word}」"
                feed.log.append(f"{order_text(k)}：售后表拦截状态按拦截登记由「{str(cell).strip()}」改为「{t.word}」")
        elif t.unread:
            # decided on as typed, and copied as typed (the tracking sheet's formulas then agree): the
            # field is unreadable, so the case asks, naming it (contract §2 "No silent guess")
            feed.unread.append(t.raw)
            feed.notes[k] = (f"本行拦截状态「{t.raw}」认不出，本单按信息不足处理：请改成 拦截中/拦截成功/拦截失败，"
                             "或在「值映射」里对应")
            feed.log.append(f"{order_text(k)}：拦截登记的拦截状态「{t.raw}」认不出，判为信息不足")
            if ours and _same_cell(cell, t.raw):
                continue
            decide[i] = t.raw
            feed.fed[i] = t.raw
            if fills and col is not None:
                feed.copied[k] = t.raw
        else:
            continue
        if t.note:
            feed.said[k] = t.note
        new = list(row[:width]) + [None] * (width - len(row))
        if col is None:
            new.append(decide[i])
        else:
            new[col] = decide[i]
        changed.append(new)
    if not decide:
        return results, feed
    new_head = list(head) + ([FIELD_BY_KEY["intercept"].header] if col is None else [])
    fed_map = cmap if col is not None else dataclasses.replace(
        cmap, index={**cmap.index, "intercept": width}, headers=(*cmap.headers[:width], str(new_head[-1])))
    again, _report = evaluate_table(changed, new_head, ctx, columns=fed_map)
    results = list(results)
    for i, res in zip(decide, again):
        results[i] = res
    return results, feed
