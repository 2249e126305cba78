"""Merging the cases of today's exports into the tracking sheet (contract §7 ``import``): keys that keep cases apart.

Pure: the sheet's header and rows and the exports' cases go in, the cells to
write and a report of every merge, skip and conflict come out (:class:`MergePlan`).

**Which row is a case's** (:meth:`Merger.find`).  A case is known by its
platform (平台), 售后单号 (C), 订单号 (O) and 物流单号 (T); only ids shaped like ids
(:func:`refund_xl._app.intake_read.key_id`) count, never one Excel cut short.
A row and a case are the same case when every one of P, C, O, T that both
have is equal (a blank 平台 on either side matches any) and they share C or O.
So the two parcels of a split shipment (same 订单号, two 物流单号) stay two rows, a
售后单号 that comes with a second 订单号 becomes a second row (reported), and a row
without a 售后单号 takes the case of its 订单号 + 物流单号.  When a case fits several
rows: the rows of its own 售后单号 (one case sent in several parcels) all take its
platform facts; otherwise the best fit by the ids both have, and when there is
no single best the case is skipped and reported, never guessed.  A desk's own
售后单号 that differs from the platform's for the same 订单号 + 物流单号 (and is not
shaped like the platform's) is the same case: the row is updated, the desk's
number kept, and the report says so.

**What is written** (per row):

* a case not in the sheet is appended at the bottom (every field it has);
* platform-owned columns (:data:`PLATFORM_KEYS`: 售后状态, 退款金额, 超时时间,
  售后类型, 发货状态, 物流单号, 退货物流单号, 退货快递公司 …) take the export's value
  when it reads differently from the cell — but an id Excel cut short (``7.52342E+13``,
  contract §2 "Ids") never replaces a cell that holds something: the cell keeps its
  value and the summary counts it (``kept_id``); an empty cell takes it as Excel shows it,
  never as digits, so a later evaluate asks;
* progress columns (物流状态, 退货物流状态, 物流更新时间) are filled when blank and
  only ever moved forward (:data:`PROGRESS`) — except among end states: a parcel
  the book has at 拒收 may be signed for after all (「拒收后二次派送，已签收」), one at
  已签收 come back (「快件已退回，签收人：寄件人」).  The export is newer than what the
  book holds, so its different end state replaces the book's (unless the book's
  物流更新时间 is later than the export's), and each such change is reported with the
  row and both words, never silently (:meth:`Merger._ends_otherwise`).  The book
  keeps no record of who wrote a cell: across runs a column's owner decides, so a
  word staff typed there is changed as the platform's would be, and the report names it;
* 发货状态 and 售后状态 (:data:`FORWARD_KEYS`) are platform-owned but move forward only along
  :data:`PROGRESS` too (未发货 → 已发货; 处理中 → 已关闭/已完结 → 已退款): a newer export's word behind the
  book's is refused and reported row by row (``kept``); another end state is the newer fact, as for 物流状态;
* a cell two columns of one export disagree on arrives as both words (``未发货｜已发货``,
  intake_read): written where the book holds no word, or one behind the further of the two, so the book asks
  as the export does; reported (``doubt``);
* every other column (拦截状态, 客户反馈, 跟进备注, 验货结果, a team's own columns …)
  is staff-owned: never written on an existing row;
* nothing is deleted, and cases absent from today's exports stay as they are.

**The same case more than once today.** Exports are applied oldest first (the
host orders the files by modification time): a case that a newer export
repeats takes the newer export's values (reported as a merge).  The same case
twice in *one* export is one row; where the two rows disagree the cell gets
both values (``处理中｜已退款``), which no reader reads, so the decision asks
(信息不足) instead of trusting either row — reported as a conflict.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Sequence

from refund_xl._core import fields, vocab
from refund_xl._core.vocab import is_blank
from refund_xl._core.fields import Aliases, FIELD_BY_KEY
from refund_xl._app.track import ids_agree, order_text
from refund_xl._app.intake_read import DOUBT_SEP, IMPORT_KEYS, ExportRead, ImportCase, Skipped, key_id

__all__ = ["MergePlan", "Merger", "Note", "plan_merge", "PLATFORM_KEYS", "PROGRESS_KEYS", "PROGRESS",
           "CONFLICT_SEP"]

# Fields the platform is the authority on: the newest export's value wins.
PLATFORM_KEYS = ("order_id", "case_id", "applied_at", "refund_type", "amount", "ship_state",
                 "carrier", "tracking_no", "return_tracking_no", "return_carrier", "province", "reason",
                 "case_state", "deadline")
# Fields an export may know but staff (or `track`) keep up to date: filled when
# blank, and moved forward only along PROGRESS.
PROGRESS_KEYS = ("logistics", "return_logistics", "last_update")
# Platform-owned fields that also move forward only along PROGRESS: goods that left do not come back to 未发货, a
# refunded case does not become unrefunded.  A backward word of a newer export is refused, each one reported.
FORWARD_KEYS = ("ship_state", "case_state")
# How far along a parcel is: a word moves only to a higher rank (the courier's 退回 replaces
# yesterday's 运输中; nothing earlier replaces 已签收 / 丢件 / 拒收 / 退回 once there).  The words of the
# top rank are end states: one replaces another only as a newer fact (Merger._ends_otherwise).
PROGRESS: dict[str, dict[object, float]] = {
    "logistics": {"未揽收": 0, "已揽收": 1, "运输中": 2, "派送中": 3, "异常": 3.5,
                  "已签收": 4, "丢件": 4, "拒收": 4, "退回": 4},
    "return_logistics": {"未寄回": 0, "已揽收": 1, "运输中": 2, "已签收": 3},
    "ship_state": {"未发货": 0, "已发货": 1, "线下已发货": 1},
    # 已关闭 and 已完结 do not replace each other (neither is the further); nothing replaces 已退款
    "case_state": {"处理中": 0, "已关闭": 1, "已完结": 1, "已退款": 2},
}
CONFLICT_SEP = DOUBT_SEP
END_STATES = {k: frozenset(w for w, r in rank.items() if r == max(rank.values())) for k, rank in PROGRESS.items()}
# The id columns (text read by vocab.parse_id): what Excel cut short in one of them never overwrites a cell.
ID_KEYS = frozenset(f.key for f in fields.FIELDS if f.parse is vocab.parse_id)
_SLOT = {k: n for n, k in enumerate(IMPORT_KEYS)}
_NOTES_KEPT = 2000  # report lines kept in full (the counts cover the rest)


@dataclass
class Note:
    """One line of the import's report: a merge, a conflict or a case skipped, with its reason."""

    kind: str  # "merged" (the same case again today), "conflict", "split", "desk_id", "apart", "skipped"
    text: str


@dataclass
class MergePlan:
    """What to write into the tracking sheet (0-based row/column of the sheet's body as read)."""

    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    appended: list[list[object]] = field(default_factory=list)  # rows below the last one
    new_headers: dict[int, str] = field(default_factory=dict)  # column → header (header row)
    counts: Counter = field(default_factory=Counter)  # new / updated / unchanged / merged / skipped
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    note_counts: Counter = field(default_factory=Counter)  # kind → how many (all of them, kept or not)
    missing_columns: list[str] = field(default_factory=list)  # fields the sheet has no room for
    width: int = 0
    lost_example: str = ""  # an id Excel cut short that a cell kept its value against (the summary's example)
    doubt_example: str = ""  # a cell two columns of an export disagreed on, as written (the summary's example)

    def sheet_cells(self, header_row: int, body_rows: int) -> dict[tuple[int, int], object]:
        """The plan as sheet cells (0-based row/column): new headers on ``header_row``, updates below it,
        new cases after the ``body_rows`` rows of the table."""
        cells: dict[tuple[int, int], object] = {}
        for c, h in self.new_headers.items():
            cells[(header_row, c)] = h
        for (r, c), v in self.cells.items():
            cells[(header_row + 1 + r, c)] = v
        for k, row in enumerate(self.appended):
            for c, v in enumerate(row):
                if v is not None:
                    cells[(header_row + 1 + body_rows + k, c)] = v
        return cells

    @property
    def changes(self) -> bool:
        return bool(self.cells or self.appended or self.new_headers)

    def summary(self) -> str:
        c = self.counts
        text = f"新增 {c['new']} 行，更新 {c['updated']} 行，未变 {c['unchanged']} 行"
        if c["merged"]:
            text += f"，合并 {c['merged']} 行"
        text += f"，跳过 {c['skipped']} 行"
        reasons = Counter(s.reason for s in self.skipped)
        if self.note_counts["skipped"]:  # a case that fits several rows of the book: not imported (counted in skipped)
            reasons[NOTE_NAMES["skipped"]] += self.note_counts["skipped"]
        if reasons:
            text += "（" + "，".join(f"{r} {n}" for r, n in reasons.most_common()) + "）"
        kinds = [(k, self.note_counts[k]) for k in ("conflict", "apart", "desk_id", "split") if self.note_counts[k]]
        if kinds:
            text += "；" + "，".join(f"{NOTE_NAMES[k]} {n}" for k, n in kinds)
        if c["ended"]:
            text += f"；物流状态终态按最新导出改写 {c['ended']} 格（见下方逐条）"
        for key in FORWARD_KEYS:
            if c["ended_" + key]:
                text += f"；{FIELD_BY_KEY[key].header}按最新导出改写 {c['ended_' + key]} 格（见下方逐条）"
        if c["unread"]:
            text += f"；认不出的物流状态/退货物流状态/物流更新时间按导出改写 {c['unread']} 格（见下方逐条）"
        if c["kept_forward"]:
            text += f"；发货状态/售后状态不倒退，保留登记表原值 {c['kept_forward']} 格（见下方逐条）"
        if c["doubt"]:
            text += (f"；导出中两列说法不一 {c['doubt']} 格，两个说法都写入（如 {self.doubt_example}），"
                     f"判定时提示信息不足，请到平台核实")
        if c["kept_id"]:
            text += (f"；保留登记表原有单号 {c['kept_id']} 格（导出中的单号已被 Excel 丢掉后几位，"
                     f"如「{self.lost_example}」，不能用来覆盖）")
        if self.missing_columns:
            text += "；登记表没有空列可放：" + "、".join(self.missing_columns)
        return text

    def note(self, kind: str, text: str) -> None:
        self.note_counts[kind] += 1
        if self.note_counts[kind] <= _NOTES_KEPT:  # (per kind: 2000 merges hide no skipped case)
            self.notes.append(Note(kind, text))

    def shown_notes(self) -> list[Note]:
        """The notes in the order a user reads them: cases not imported and what to check first, merges last."""
        return sorted(self.notes, key=lambda n: _NOTE_ORDER.get(n.kind, len(_NOTE_ORDER)))


# The order of the report's lines: a case not imported, then what the desk must check, then what was done (merges).
_NOTE_ORDER = {kind: n for n, kind in enumerate(("skipped", "conflict", "doubt", "kept", "apart", "desk_id", "split",
                                                  "ended", "merged"))}
_BACKWARD_WHY = {"ship_state": "已发出的货不会变回未发货", "case_state": "已退款、已关闭、已完结的售后单不会回到处理中，已退款的不会变成未退款"}
NOTE_NAMES = {"merged": "合并", "conflict": "同单多行不一致", "apart": "分开成两行", "desk_id": "按订单号+物流单号对上",
              "split": "一单多包裹", "skipped": "无法确定对应行", "ended": "物流终态改写",
              "kept": "状态不倒退", "doubt": "两列说法不一"}


def _fold(value: object) -> str:
    return vocab.fold(str(value)) if value is not None else ""



def _shape(text: str) -> str:
    """An id's shape: digits → 9, letters → A (a platform's numbers share one shape; a desk's own differ)."""
    return re.sub(r"[A-Za-z]", "A", re.sub(r"\d", "9", text))


def _same(fld, cell: object, new: object) -> bool:
    """Whether a sheet cell already says ``new`` (read with the field's parser)."""
    if is_blank(cell):
        return False
    got = fld.parse(cell)
    if got is vocab.BAD:
        return _fold(cell) == _fold(new)
    if isinstance(new, float) and isinstance(got, (int, float)):
        return abs(got - new) < 0.005
    return got == new


def _words(key: str, value: object) -> frozenset | None:
    """The words of a progress column's cell: one word, or the words of a cell in two minds (``未发货｜已发货``: two
    columns of an export, or two rows of one, each said one); None for a blank or unreadable cell."""
    rank = PROGRESS.get(key)
    if rank is None or is_blank(value):
        return None
    parse = FIELD_BY_KEY[key].parse
    got = parse(value)
    if got in rank:
        return frozenset({got})
    parts = [parse(p) for p in str(value).split(CONFLICT_SEP)] if CONFLICT_SEP in str(value) else []
    return frozenset(parts) if parts and all(p in rank for p in parts) else None


def _further(key: str, cell: object, new: object) -> bool:
    """A progress column moves forward only.  A cell in two minds is as far as its further word: a word that far
    or further settles it, two words replace a word behind the further of them."""
    fld = FIELD_BY_KEY[key]
    if is_blank(cell):
        return True
    if key == "last_update":
        old = fld.parse(cell)
        return isinstance(old, datetime) and isinstance(new, datetime) and new > old
    rank = PROGRESS.get(key, {})
    had, got = _words(key, cell), _words(key, new)
    if had is None or got is None or had == got:
        return False
    top_had, top_got = max(rank[w] for w in had), max(rank[w] for w in got)
    if len(got) > 1:  # two words in: written over a word behind the further of them
        return len(had) == 1 and rank[next(iter(had))] < top_got or len(had) > 1 and top_got > top_had
    return top_got > top_had or len(had) > 1 and top_got == top_had


def _unread(key: str, value: object) -> bool:
    """A progress column's cell that holds something no reader reads (not blank, no word or time of the field)."""
    if is_blank(value):
        return False
    if key == "last_update":
        return not isinstance(FIELD_BY_KEY[key].parse(value), datetime)
    return _words(key, value) is None


def _backward(key: str, cell: object, new: object) -> bool:
    """Whether a forward-only platform column's ``new`` word (FORWARD_KEYS) is behind what ``cell`` says: refused."""
    had, got = _words(key, cell), _words(key, new)
    if had is None or got is None or had == got or _further(key, cell, new):
        return False
    rank = PROGRESS[key]
    return len(got) == 1 and max(rank[w] for w in got) <= max(rank[w] for w in had)


def _lost_id(key: str, value: object) -> bool:
    """An id Excel cut short (contract §2 "Ids"): it never replaces a cell that holds something."""
    return key in ID_KEYS and vocab.is_lossy_id(value)


def _shown(value: object) -> str:
    """A value as it reads in a conflict cell or a report line."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):  # an amount to the fen (123456.78, never 123457: a conflict cell is read back)
        return vocab.money_text(value) if math.isfinite(value) else f"{value:g}"
    return str(value)


def _conflict(old: object, new: object) -> str:
    """Both values of a cell two rows of one export disagree on (words: no reader reads them, the decision asks;
    amounts: read as the amounts two columns give, engine._joined_amounts)."""
    parts = _shown(old).split(CONFLICT_SEP) if not is_blank(old) else []
    if _shown(new) not in parts:
        parts.append(_shown(new))
    return CONFLICT_SEP.join(parts)


def _room(headers: list[object], rows: Sequence[Sequence[object]], limit: int | None) -> list[int]:
    """Columns where new columns may go: the run of columns right of the last header (before
    ``limit``) that are empty in the header and in every row; never past a column with content."""
    top = len(headers) if limit is None else min(limit, len(headers))
    start = top
    while start and is_blank(headers[start - 1]):
        start -= 1
    free: list[int] = []
    c = start
    while (limit is None and len(free) < 40) or (limit is not None and c < limit):
        if (c < len(headers) and not is_blank(headers[c])) or any(c < len(r) and not is_blank(r[c]) for r in rows):
            break
        free.append(c)
        c += 1
    return free


class _Ids:
    """A row's (or a case's) keys: platform (folded), 售后单号, 订单号, 物流单号."""

    __slots__ = ("p", "c", "o", "t")

    def __init__(self, p: str, c: str | None, o: str | None, t: str | None):
        self.p, self.c, self.o, self.t = p, c, o, t

    def fits(self, other: "_Ids") -> bool:
        """Every id both have agrees, and they share a 售后单号 or an 订单号."""
        if self.p and other.p and self.p != other.p:
            return False
        if not ids_agree((self.c, self.o, self.t), (other.c, other.o, other.t)):
            return False
        return (self.c is not None and self.c == other.c) or (self.o is not None and self.o == other.o)

    def score(self, other: "_Ids") -> int:
        return sum(a is not None and a == b for a, b in ((self.c, other.c), (self.o, other.o), (self.t, other.t)))

    def name(self) -> str:
        return order_text((self.o, self.c, self.t))


class Merger:
    """The tracking sheet as it will be, cases applied one by one (see the module's docstring)."""

    def __init__(self, headers: Sequence[object], rows: Sequence[Sequence[object]], exports: Sequence[ExportRead],
                 aliases: Aliases = None, room_limit: int | None = None, first_row: int = 2,
                 columns: fields.ColumnMap | None = None):
        self.plan = MergePlan()
        self.first_row = first_row  # the sheet row (1-based) of the first data row, for the report
        self.headers = list(headers)
        self.rows: list = list(rows)  # the sheet's rows, each copied only when written
        self.start = len(self.rows)
        self.names = [e.source for e in exports]
        cmap = columns or fields.resolve(self.headers, aliases)
        col: dict[str, int] = dict(cmap.index)
        extra = {"platform": col.pop("platform", None), "product": col.pop("goods_name", None),
                 "phone": col.pop("phone", None)}
        # Columns the sheet lacks but the exports fill: added right of the data while there is room.
        wanted = []
        filled = set().union(*(e.filled for e in exports)) if exports else set()
        if extra["platform"] is None and (any(e.platform for e in exports)
                                          or any(c.platform for e in exports for c in e.cases)):
            wanted.append(("platform", FIELD_BY_KEY["platform"].header))
        for k in PLATFORM_KEYS + PROGRESS_KEYS:
            if k not in col and k in filled:
                wanted.append((k, FIELD_BY_KEY[k].header))
        if extra["product"] is None and any(c.product for e in exports for c in e.cases):
            wanted.append(("product", FIELD_BY_KEY["goods_name"].header))
        if extra["phone"] is None and any(c.phone4 for e in exports for c in e.cases):
            wanted.append(("phone", FIELD_BY_KEY["phone"].header))
        free = _room(self.headers, self.rows, room_limit) if wanted else []
        for (k, name), c in zip(wanted, free):
            self.plan.new_headers[c] = name
            if k in extra:
                extra[k] = c
            else:
                col[k] = c
        self.plan.missing_columns = [name for _k, name in wanted[len(free):]]
        self.col, self.extra = col, extra
        self.width = max([len(self.headers), *(c + 1 for c in self.plan.new_headers)])
        self.slot_cols = [(n, col[k]) for n, k in enumerate(IMPORT_KEYS) if k in col]
        self.plan.width = self.width
        self.touched: dict[int, set[int]] = {}  # existing row → columns written this run
        self.original: dict[tuple[int, int], object] = {}  # those cells as they were
        self.copied: set[int] = set()
        # row → (the export that last reached it this run, bit mask of the IMPORT_KEYS that case filled; -1 for
        # a row this run made, whose cells are all today's)
        self.reached: dict[int, tuple[int, int]] = {}
        self.matched: set[int] = set()
        # (row, key) → the note of a forward-only cell kept against an export behind it, until a newer export agrees
        self.held: dict[tuple[int, str], str] = {}
        # looked up with a missing id too (None: never a key, so no rows)
        self.by_c: dict[str | None, list[int]] = {}
        self.by_o: dict[str | None, list[int]] = {}
        self.ids: list[_Ids] = []
        for i in range(len(self.rows)):
            self.ids.append(self._row_ids(i))
            self._index(i)

    # ------------------------------------------------------------------ keys
    def _cell(self, i: int, c: int | None) -> object:
        r = self.rows[i]
        return r[c] if c is not None and c < len(r) else None

    def _row_ids(self, i: int) -> _Ids:
        p = self._cell(i, self.extra["platform"])
        return _Ids(_fold(p) if not is_blank(p) else "", key_id(self._cell(i, self.col.get("case_id"))),
                    key_id(self._cell(i, self.col.get("order_id"))), key_id(self._cell(i, self.col.get("tracking_no"))))

    def _index(self, i: int) -> None:
        ids = self.ids[i]
        if ids.c is not None:
            rows = self.by_c.setdefault(ids.c, [])
            if i not in rows:
                rows.append(i)
        if ids.o is not None:
            rows = self.by_o.setdefault(ids.o, [])
            if i not in rows:
                rows.append(i)

    @staticmethod
    def case_ids(case: ImportCase) -> _Ids:
        return _Ids(_fold(case.platform) if case.platform else "", *case.keys)

    def _where(self, case: ImportCase) -> str:
        return f"{self.names[case.source]} 第{case.line}行"

    def find(self, case: ImportCase, ids: _Ids) -> tuple[list[int], bool]:
        """The rows ``case`` belongs to ([]: a new row), and whether the row's own 售后单号 is kept."""
        seen = dict.fromkeys([*self.by_c.get(ids.c, ()), *self.by_o.get(ids.o, ())]) if (ids.c or ids.o) else {}
        fit = [i for i in seen if self.ids[i].fits(ids)]
        if len(fit) == 1:
            return fit, False
        if len(fit) > 1:
            if ids.c is not None and all(self.ids[i].c == ids.c for i in fit):
                self.plan.note("split", f"{ids.name()}（{self._where(case)}）在登记表有 {len(fit)} 行"
                                        f"（第 {'、'.join(str(self._line(i)) for i in fit)} 行，一单多包裹）：都已按导出更新")
                return fit, False
            scores = sorted(((self.ids[i].score(ids), i) for i in fit), reverse=True)
            if scores[0][0] > scores[1][0]:
                return [scores[0][1]], False
            self.plan.note("skipped", f"{self._where(case)}：{ids.name()} 对得上登记表的 {len(fit)} 行（第 "
                                      f"{'、'.join(str(self._line(i)) for i in fit)} 行），无法确定是哪一行，未导入，请核对")
            return [-1], False
        # no row fits: a desk's own 售后单号 for the same 订单号 + 物流单号, or a 售后单号 with a second 订单号
        if ids.c is not None and ids.o is not None and ids.t is not None:
            same = [i for i in seen if self.ids[i].o == ids.o and self.ids[i].t == ids.t
                    and self.ids[i].c is not None and self.ids[i].c != ids.c
                    and (not self.ids[i].p or not ids.p or self.ids[i].p == ids.p)]
            own = [i for i in same if _shape(self.ids[i].c) != _shape(ids.c)]
            if len(own) == 1 and len(same) == 1:
                i = own[0]
                self.plan.note("desk_id", f"{self._where(case)}：平台售后单号 {ids.c} 与登记表第 {self._line(i)} 行的"
                                          f"售后单号 {self.ids[i].c} 不同，订单号+物流单号相同，按同一单更新（保留登记表的售后单号）")
                return [i], True
            if same:
                self.plan.note("apart", f"{self._where(case)}：订单号 {ids.o}、物流单号 {ids.t} 在登记表已有售后单号 "
                                        f"{self.ids[same[0]].c}，导出的售后单号 {ids.c} 是另一个售后单：新增一行")
                return [], False
        if ids.c is not None:
            other = [i for i in self.by_c.get(ids.c, ()) if self.ids[i].o is not None and ids.o is not None
                     and self.ids[i].o != ids.o and (not self.ids[i].p or not ids.p or self.ids[i].p == ids.p)]
            if other:
                self.plan.note("apart", f"{self._where(case)}：售后单号 {ids.c} 对应两个订单号（{self.ids[other[0]].o}、"
                                        f"{ids.o}）：分成两行，请核对")
        if ids.o is not None and ids.t is not None:
            parcels = [i for i in self.by_o.get(ids.o, ()) if self.ids[i].t is not None and self.ids[i].t != ids.t
                       and (self.ids[i].c is None or ids.c is None)]
            if parcels:
                self.plan.note("apart", f"{self._where(case)}：订单号 {ids.o} 的另一个包裹（物流单号 {ids.t}），"
                                        f"与登记表第 {self._line(parcels[0])} 行（物流单号 {self.ids[parcels[0]].t}）分开成两行")
        return [], False

    def _at(self, i: int, case: ImportCase) -> str:
        """Where a note about row ``i`` comes from and goes: the export's line, the case, the book's row."""
        return f"{self._where(case)}：{self.case_ids(case).name()}（登记表第 {self._line(i)} 行）"

    def _line(self, i: int) -> int:
        """A row's number as the report names it: the sheet's row (new rows: where they will be)."""
        return self.first_row + i

    # ------------------------------------------------------------------ writing
    def _put(self, i: int, c: int | None, value: object, fill_only: bool = False) -> None:
        if c is None or value is None:
            return
        if i not in self.copied:
            self.rows[i] = list(self.rows[i])
            self.copied.add(i)
        r = self.rows[i]
        if len(r) <= c:
            r.extend([None] * (c + 1 - len(r)))
        if fill_only and not is_blank(r[c]):
            return
        if i < self.start:
            cols = self.touched.setdefault(i, set())
            if c not in cols:
                cols.add(c)
                self.original[(i, c)] = r[c]
        r[c] = value

    def apply(self, case: ImportCase) -> None:
        ids = self.case_ids(case)
        rows, keep_id = self.find(case, ids)
        if rows == [-1]:
            self.plan.counts["skipped"] += 1
            return
        if not rows:
            i = len(self.rows)
            self.rows.append([None] * self.width)
            self.copied.add(i)
            self.ids.append(ids)
            self._write(i, case, new=True, keep_id=False)
            self.reached[i] = (case.source, -1)  # a new row: every cell it has is today's
            self._index(i)
            return
        for i in rows:
            before = self.reached.get(i)
            if before is not None:
                self.plan.counts["merged"] += 1
                self._again(i, case, before, keep_id)
            else:
                self._write(i, case, new=False, keep_id=keep_id)
                self.matched.add(i)
            self.reached[i] = (case.source, -1 if i >= self.start else
                               sum(1 << n for n, v in enumerate(case.values) if v is not None))
            old = self.ids[i]
            self.ids[i] = self._row_ids(i)
            if (self.ids[i].c, self.ids[i].o) != (old.c, old.o):
                self._index(i)

    def _values(self, case: ImportCase):
        """(column, field key, value) of everything the case may write."""
        for k, v in case.items():
            c = self.col.get(k)
            if c is not None:
                yield c, k, v
        for k, raw in case.raw_bad.items():
            c = self.col.get(k)
            if c is not None:
                yield c, k, raw if isinstance(raw, (str, int, float, datetime)) else str(raw)

    def _ends_otherwise(self, i: int, key: str, cell: object, case: ImportCase) -> bool:
        """Whether the case's end state of progress column ``key`` replaces another end state in row ``i``'s
        ``cell``: the export is the newer fact, unless the row's 物流更新时间 (as it was before this run)
        is later than the export's.  Counted (``ended``)."""
        ends = END_STATES.get(key)
        new = case.get(key)
        if not ends or new not in ends or is_blank(cell):
            return False
        old = FIELD_BY_KEY[key].parse(cell)
        if old not in ends or old == new:
            return False
        at = self.col.get("last_update") if key in PROGRESS_KEYS else None  # (a parcel's time: of its state only)
        when = self.original.get((i, at), self._cell(i, at)) if at is not None else None
        book_time = FIELD_BY_KEY["last_update"].parse(when) if not is_blank(when) else None
        export_time = case.get("last_update")
        if isinstance(book_time, datetime) and isinstance(export_time, datetime) and export_time < book_time:
            return False
        self.plan.counts["ended" if key in PROGRESS_KEYS else "ended_" + key] += 1
        return True

    def _forward(self, i: int, c: int, key: str, cell: object, value: object, case: ImportCase) -> bool:
        """A forward-only platform column (FORWARD_KEYS) of row ``i``: ``value`` written where it is further (or
        another end state, reported), refused and reported where it is behind.  False: not such a cell (blank,
        unreadable, or a value that is no word of the field): the platform's value is written as any is."""
        if key not in FORWARD_KEYS or _words(key, cell) is None or _words(key, value) is None:
            return False
        if not self._advance(i, c, key, cell, value, case) and _backward(key, cell, value):
            # said when the run's exports are all applied: a newer export of this run that agrees with the row (an
            # older split file applied first, the same day imported again) leaves nothing to check
            self.held.setdefault((i, key), self._at(i, case) +
                                 f"{FIELD_BY_KEY[key].header}保留「{_shown(cell)}」，导出是「{_shown(value)}」"
                                 f"（{_BACKWARD_WHY[key]}，请到平台核实）")
        return True

    def _advance(self, i: int, c: int, key: str, cell: object, value: object, case: ImportCase) -> bool:
        """``value`` written over ``cell`` where it is further along, or another end state (reported: the newest export
        wins); False where it is neither (as far, or behind)."""
        if _further(key, cell, value):
            self._put(i, c, value)
        elif _unread(key, cell) and not _unread(key, value):
            # a cell no reader reads (an older export's trace with its waybill run in) is no progress to keep
            self._put(i, c, value)
            self.plan.counts["unread"] += 1
            self.plan.note("ended", self._at(i, case) +
                                    f"{FIELD_BY_KEY[key].header}「{_shown(cell)}」认不出 →「{_shown(value)}」（按最新导出）")
        elif self._ends_otherwise(i, key, cell, case):
            self._put(i, c, value)
            self.plan.note("ended", self._at(i, case) +
                                    f"{FIELD_BY_KEY[key].header}「{_shown(cell)}」→「{_shown(value)}」（以最新导出为准）")
        else:
            return False
        return True

    def _doubt(self, i: int, key: str, value: object, case: ImportCase) -> None:
        """Two columns of one export said two words of ``key`` (``value``: both): written both, reported, counted."""
        self.plan.counts["doubt"] += 1
        self.plan.doubt_example = self.plan.doubt_example or f"{FIELD_BY_KEY[key].header}「{_shown(value)}」"
        self.plan.note("doubt", self._at(i, case) +
                                f"{FIELD_BY_KEY[key].header}两列说法不一，写入「{_shown(value)}」，判定时提示信息不足")

    def _keeps_id(self, key: str, cell: object, value: object) -> bool:
        """Whether ``cell`` (not blank) keeps its value against ``value``, an id Excel cut short; counted."""
        if not _lost_id(key, value) or is_blank(cell) or _fold(cell) == _fold(value):
            return False
        self.plan.counts["kept_id"] += 1
        self.plan.lost_example = self.plan.lost_example or _shown(value)
        return True

    def _write(self, i: int, case: ImportCase, new: bool, keep_id: bool) -> None:
        """A case written into a row it is the first of today's cases to reach."""
        if new:  # a row of its own: every value it has (the common case of a big import)
            row = self.rows[i]
            values = case.values
            for n, c in self.slot_cols:
                v = values[n]
                if v is not None:
                    row[c] = v
            for k, raw in case.raw_bad.items():
                at = self.col.get(k)
                if at is not None:
                    row[at] = raw if isinstance(raw, (str, int, float, datetime)) else str(raw)
                    if k in PROGRESS and _words(k, raw) is not None:
                        self._doubt(i, k, raw, case)
            for at, text in ((self.extra["platform"], case.platform), (self.extra["product"], case.product),
                             (self.extra["phone"], case.phone4)):
                if at is not None and text:
                    row[at] = text
            return
        if case.platform:
            self._put(i, self.extra["platform"], case.platform, fill_only=not new)
        for c, k, v in self._values(case):
            if new:
                self._put(i, c, v)
                continue
            if keep_id and k == "case_id":
                continue
            cell = self._cell(i, c)
            if k in case.raw_bad:
                if k in PROGRESS and _words(k, v) is not None:  # two columns of the export, two words
                    if (is_blank(cell) or _further(k, cell, v) or _words(k, cell) is None and k in PLATFORM_KEYS) \
                            and _fold(cell) != _fold(v):
                        self._put(i, c, v)
                        self._doubt(i, k, v, case)
                    continue
                if k in PLATFORM_KEYS and _fold(cell) != _fold(v) and not self._keeps_id(k, cell, v):
                    self._put(i, c, v)
                continue
            if k in PROGRESS_KEYS:
                self._advance(i, c, k, cell, v, case)
                continue
            if k not in PLATFORM_KEYS:
                continue  # staff-owned
            if not _same(FIELD_BY_KEY[k], cell, v) and not self._forward(i, c, k, cell, v, case):
                self._put(i, c, v)
        if case.product and _fold(self._cell(i, self.extra["product"])) != _fold(case.product):
            self._put(i, self.extra["product"], case.product, fill_only=not new)
        if case.phone4:
            self._put(i, self.extra["phone"], case.phone4, fill_only=True)

    def _again(self, i: int, case: ImportCase, before: tuple[int, int], keep_id: bool) -> None:
        """A row today's exports reached before: a newer export wins; one export saying two things is a conflict.

        What the earlier case said is what the row holds now: a new row's cells are all
        today's, and a book row's platform-owned cells were brought up to it."""
        source, filled = before  # filled: bit mask of the IMPORT_KEYS the earlier case had (-1: all of a new row)
        one_export = source == case.source
        new_row = i >= self.start
        changed: list[str] = []
        differ: list[str] = []
        for c, k, v in self._values(case):
            if keep_id and k == "case_id":
                continue
            cell = self._cell(i, c)
            if (i, k) in self.held and _words(k, v) is not None and not _backward(k, cell, v):
                del self.held[(i, k)]  # a newer export says what the row says (or further): nothing to check
            if is_blank(cell):
                if new_row or k in PLATFORM_KEYS or k in PROGRESS_KEYS:
                    self._put(i, c, v)
                continue
            if not (new_row or k in PLATFORM_KEYS):
                if k in PROGRESS_KEYS and _further(k, cell, v):
                    self._put(i, c, v)
                elif k in PROGRESS_KEYS and self._ends_otherwise(i, k, cell, case):
                    if one_export and bool(filled >> _SLOT[k] & 1):  # the export said both: not picked
                        differ.append(f"{FIELD_BY_KEY[k].header}「{_shown(cell)}」/「{_shown(v)}」")
                        self._put(i, c, _conflict(cell, v))
                    else:
                        changed.append(f"{FIELD_BY_KEY[k].header} {_shown(cell)}→{_shown(v)}")
                        self._put(i, c, v)
                continue  # staff-owned cell of a book row
            if _same(FIELD_BY_KEY[k], cell, v) or _fold(cell) == _fold(v) or self._keeps_id(k, cell, v):
                continue
            said_before = k in case.raw_bad or bool(filled >> _SLOT[k] & 1)
            if not one_export and k in FORWARD_KEYS and _backward(k, cell, v):
                self.plan.counts["kept_forward"] += 1
                changed.append(f"{FIELD_BY_KEY[k].header}保留「{_shown(cell)}」（导出是「{_shown(v)}」，{_BACKWARD_WHY[k]}）")
                continue
            if one_export and said_before:
                if _shown(v) in _shown(cell).split(CONFLICT_SEP):
                    continue
                differ.append(f"{FIELD_BY_KEY[k].header}「{_shown(cell)}」/「{_shown(v)}」")
                self._put(i, c, _conflict(cell, v))
            else:
                changed.append(f"{FIELD_BY_KEY[k].header} {_shown(cell)}→{_shown(v)}")
                self._put(i, c, v)
        product_col = self.extra["product"]
        if case.product:
            cell = self._cell(i, product_col)
            if is_blank(cell):
                self._put(i, product_col, case.product)
            elif _fold(cell) != _fold(case.product) and case.product not in str(cell).split(CONFLICT_SEP):
                self._put(i, product_col, _conflict(cell, case.product) if one_export else case.product)
        if case.phone4:
            self._put(i, self.extra["phone"], case.phone4, fill_only=True)
        name = self.case_ids(case).name()
        if differ:
            self.plan.note("conflict", f"{self._where(case)}：{name} 在同一导出中出现两次且内容不一致"
                                       f"（{'，'.join(differ)}）：两个值都写入，判定时提示信息不足，请到平台核实")
        elif one_export:
            self.plan.note("merged", f"{self._where(case)}：{name} 在同一导出中重复出现，合并为一行")
        else:
            what = "；以较新的导出为准：" + "，".join(changed) if changed else "（内容相同）"
            self.plan.note("merged", f"{self._where(case)}：{name} 也在 {self.names[source]}，合并为一行{what}")

    # ------------------------------------------------------------------ the plan
    def finish(self, exports: Sequence[ExportRead]) -> MergePlan:
        plan = self.plan
        for text in self.held.values():
            plan.counts["kept_forward"] += 1
            plan.note("kept", text)
        for i in sorted(self.touched):
            changed = [c for c in sorted(self.touched[i]) if _fold(self.rows[i][c]) != _fold(self.original[(i, c)])
                       or type(self.rows[i][c]) is not type(self.original[(i, c)])]
            if not changed:
                continue  # written and written back (a conflict an export repeats every day)
            plan.counts["updated"] += 1
            for c in changed:
                plan.cells[(i, c)] = self.rows[i][c]
        width = self.width
        for i in range(self.start, len(self.rows)):
            row = self.rows[i]
            plan.appended.append(row if len(row) == width else row[:width] + [None] * (width - len(row)))
            self.rows[i] = None  # the plan holds it now
        plan.counts["new"] = len(plan.appended)
        updated = {r for r, _c in plan.cells}
        plan.counts["unchanged"] = len([i for i in self.matched if i not in updated])
        plan.skipped = [s for e in exports for s in e.skipped] + plan.skipped
        plan.counts["skipped"] += sum(len(e.skipped) for e in exports)
        return plan


def plan_merge(headers: Sequence[object], rows: Sequence[Sequence[object]], exports: Sequence[ExportRead],
               aliases: Aliases = None, room_limit: int | None = None,
               first_row: int = 2, release: bool = False, columns: fields.ColumnMap | None = None) -> MergePlan:
    """The cells that bring the tracking sheet (``headers`` + ``rows``) up to the exports.

    ``exports`` are applied in order (oldest first; a newer export's value stays).
    ``room_limit``: the first column that may not take a new column (e.g. the
    template's formula block); ``None`` = any free column right of the data.
    ``release``: each export's cases are dropped as they are applied (a big import
    holds its cases or its new rows, not both); the exports' ``cases`` are empty after.
    ``columns``: the sheet's fields as already resolved (the table was found so), else resolved here.
    """
    merger = Merger(headers, rows, exports, aliases, room_limit, first_row, columns)
    for export in exports:
        if not release:
            for case in export.cases:
                merger.apply(case)
            continue
        cases = export.cases
        cases.reverse()
        while cases:
            merger.apply(cases.pop())
    return merger.finish(exports)
