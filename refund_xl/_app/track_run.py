"""查询物流 / ``refund-xl track``: the one use case both hosts call (contract §7 ``track``, §6 "Closing the loop").

    result = run_track(book, ctx, courier)   # the ribbon: an ExcelBook; the command line: a FileBook

The host brings the :class:`~refund_xl._app.book.Book`, the run's
:class:`~refund_xl._core.context.Context` (built once from the book's own tables) and a
:class:`Courier` (:class:`refund_xl._courier.Kuaidi100Courier`: credentials, the local cache, the
HTTP client).  Then, the same for both:

1. the tracking table (:func:`~refund_xl._app.book.find_tracking`), the desk's carrier codes (its
   快递公司编码 sheet, then what the host adds: ``--carriers``) and 拦截登记 as the batch left it
   (the 拦截状态 staff typed there is what a case with an empty cell of its own is under);
2. :func:`~refund_xl._app.track.plan`: which numbers to ask — open shipped cases, refunded cases
   still at 钱货两空 risk (LOSS_RISK decided by the engine with the run's settings), returns;
3. ``courier.ask`` for what the courier's cache cannot answer;
4. :func:`~refund_xl._app.track.apply`: the tracking sheet's cells (物流状态, 物流更新时间, 物流备注,
   退货物流状态, missing columns added at the right of the headers); the interception proposals go
   to 拦截登记's 建议拦截状态 and, with the setting ``apply_track_intercept`` 是, into 拦截状态 cells
   that were empty when read (tracking sheet and register) — never over a value staff typed;
5. everything is written through ``book.set_cells`` once every answer is in: a run that is
   interrupted (Ctrl+C, SIGTERM) or refused (a bad key) writes nothing.

Pure: the courier is the host's; the clock is a parameter.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable, Mapping, Protocol, Sequence

from refund_xl._app import batch, book as book_mod, track
from refund_xl._app.batch.merge import Grid, blank, same_value, typed_intercepts
from refund_xl._app.track import Key, Query, Reading
from refund_xl._core import context, engine, vocab
from refund_xl._core.context import Context

__all__ = ["Courier", "TrackResult", "run_track", "tracking_time"]

_HEADERS = {"logistics": track.STATE_HEADER, "last_update": track.TIME_HEADER,
            "track_note": track.NOTE_HEADER, "return_logistics": track.RETURN_HEADER}
_NEW_ORDER = ("logistics", "last_update", "track_note", "return_logistics")


class Courier(Protocol):
    """What the use case needs of a courier service (the host's: network, credentials, cache)."""

    def known(self) -> Mapping[tuple[str, str], Reading]:
        """Earlier answers by (company code, number): the local cache (empty without an account)."""

    def ask(self, queries: Sequence[Query], when: datetime,
            progress: Callable[[int, int], None]) -> Iterable[tuple[Query, Reading]]:
        """Ask each query once; yields (query, reading) as answers come.  Raises a
        :class:`~refund_xl._core.errors.RefundXLError` when the run cannot go on (no
        account, the account refused); KeyboardInterrupt ends it at once."""


@dataclass
class TrackResult:
    """One run's outcome: what was written where, and the counts for the summary line."""

    sheet: str
    header_row: int  # 0-based row of the tracking headers
    rows: int  # data rows of the tracking table
    cells: dict[tuple[int, int], object]  # written to the tracking sheet ((row0, col0) → value)
    counts: dict[str, int]
    added: list[str] = field(default_factory=list)  # headers added to the tracking sheet
    added_cols: list[int] = field(default_factory=list)
    sent: int = 0  # numbers asked of the courier
    cached: int = 0  # numbers answered by the local cache
    register: str | None = None  # the 拦截登记 sheet written, if any
    register_cells: dict[tuple[int, int], object] = field(default_factory=dict)
    proposed: Counter = field(default_factory=Counter)  # 拦截成功 / 拦截失败 / 待人工核实 → cases
    in_register: int = 0  # proposals with a row in 拦截登记
    filled: int = 0  # empty 拦截状态 cells filled (apply_track_intercept 是)

    @property
    def changed(self) -> bool:
        return bool(self.cells or self.register_cells)

    def summary(self) -> str:
        c = self.counts
        parts = [f"查询 {self.sent} 个单号（缓存 {self.cached} 个）", f"查到 {c['updated']} 项",
                 f"未获结果 {c['unanswered']} 项", f"未查询 {c['skipped']} 行"]
        if c.get("older"):
            parts.append(f"轨迹早于表中物流更新时间 {c['older']} 项（保留原状态）")
        if self.proposed:
            said = "、".join(f"{'建议' if w != track.UNSETTLED else ''}{w} {n} 单"
                            for w, n in sorted(self.proposed.items(), key=lambda kv: kv[0] == track.UNSETTLED))
            where = f"写入「{self.register}」{self.in_register} 单" if self.register else "拦截登记中无此单，见物流备注"
            if self.register and self.in_register < sum(self.proposed.values()):
                where += "，其余见物流备注"
            parts.append(f"拦截中的包裹：{said}（{where}）")
        if self.filled:
            parts.append(f"已按物流填写空白的拦截状态 {self.filled} 格")
        if self.added:
            parts.append("新增列 " + "、".join(self.added))
        return "，".join(parts)


def tracking_time(ctx: Context, clock: Callable[[], datetime] = datetime.now) -> datetime:
    """The time of the queries (the 30-minute rule, 查询时间): the reference time when the caller
    gave one (``--now``), else the clock — never the book's fixed 基准时间, which would make every
    run look like the first and ask Kuaidi100 too often."""
    when = ctx.now if ctx.now_source == context.NOW_GIVEN else clock()
    return when.replace(microsecond=0)


def run_track(book: book_mod.Book, ctx: Context, courier: Courier, *, sheet: str | None = None,
              refresh: bool = False, carriers: Mapping[str, str] | None = None,
              clock: Callable[[], datetime] = datetime.now,
              say: Callable[[str], None] = lambda _text: None,
              progress: Callable[[int, int], None] = lambda _done, _total: None) -> TrackResult:
    """查询物流 on ``book`` (see the module doc).  Raises RefundXLError before anything is written."""
    when = tracking_time(ctx, clock)
    names = book.sheet_names
    codes = dict(track.parse_carrier_table(book.rows(track.CARRIER_SHEET))) if track.CARRIER_SHEET in names else {}
    codes.update(carriers or {})
    found = book_mod.find_tracking(book, sheet, ctx.mappings)
    register = _register(book, ctx.english)

    def at_risk(rows: list[int]) -> set[int]:
        results, _report = engine.evaluate_table([found.rows[i] for i in rows], found.headers, ctx,
                                                 columns=found.columns)
        return {i for i, res in zip(rows, results) if res.loss_risk == "RISK"}

    p = track.plan(found.rows, found.headers, now=when, carriers=codes, columns=found.columns,
                   cache=courier.known(), refresh=refresh,
                   register=_typed(register[1]) if register else None, at_risk=at_risk)
    answers: dict[Query, Reading] = {}
    if p.to_send:
        say(f"查询物流（「{found.sheet}」{len(p.to_send)} 个单号）…")
        stream = courier.ask(p.to_send, when, progress)
        try:
            for q, reading in stream:
                answers[q] = reading
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
    done = track.apply(p, answers)
    cells, added, added_cols = _cells(found.headers, found.at, p, done.updates)
    for (r, c), value in list(cells.items()):  # a cell that already says so is not rewritten
        i = r - found.at - 1
        if 0 <= i < len(found.rows) and c < len(found.rows[i]) and _unchanged(found.rows[i][c], value):
            del cells[(r, c)]
    result = TrackResult(found.sheet, found.at, len(found.rows), cells, done.counts, added, added_cols,
                         len(p.to_send), len(p.known))
    _interceptions(result, p, done.proposals, found.at, register, ctx)
    if result.cells:
        book.set_cells(found.sheet, result.cells)
    if result.register and result.register_cells:
        book.set_cells(result.register, result.register_cells)
    return result


# ------------------------------------------------------------------ the tracking sheet's cells

def _unchanged(old: object, new: object) -> bool:
    if isinstance(new, datetime):
        return vocab.parse_datetime(old) == new
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new
    return old == new


def _cells(headers: Sequence[object], header_r0: int, p: track.Plan, updates: Mapping[tuple[int, str], object]):
    """Row/column-keyed updates → {(sheet row, column) 0-based: value}, adding missing columns."""
    columns = dict(p.columns)
    last = max((i for i, h in enumerate(headers) if h is not None and str(h).strip()), default=-1)
    needed = {key for (_r, key) in updates}
    cells: dict[tuple[int, int], object] = {}
    added, added_cols = [], []
    for key in _NEW_ORDER:
        if key in needed and key not in columns:
            last += 1
            columns[key] = last
            cells[(header_r0, last)] = _HEADERS[key]
            added.append(_HEADERS[key])
            added_cols.append(last)
    for (row, key), value in updates.items():
        cells[(header_r0 + 1 + row, columns[key])] = value
    return cells, added, added_cols


# ------------------------------------------------------------------ 拦截登记 and 拦截状态

def _register(book: book_mod.Book, english: bool) -> tuple[str, Grid, list[list[object]]] | None:
    """The batch's 拦截登记 (wherever the batch put it), read by its headers; None if there is none."""
    names = book.sheet_names
    place, _moved = batch.output_name(batch.REGISTER, names, book.head)
    if place not in names:
        return None
    raw = book.rows(place)
    grid = Grid(raw, batch.REGISTER_COLS, english)
    return (place, grid, raw) if grid.rows else None


def _typed(grid: Grid) -> Callable[[list[Key | None]], Mapping[Key, str]]:
    """拦截登记's typed 拦截状态 per case, once its rows are matched to the tracking sheet's cases
    (:meth:`Grid.rekey`: an older run's row without a 物流单号 is its order's one case)."""
    def typed(keys: list[Key | None]) -> Mapping[Key, str]:
        grid.rekey({k for k in keys if k is not None})
        return typed_intercepts(grid)
    return typed


def _interceptions(result: TrackResult, p: track.Plan, proposals: Mapping[int, track.Proposal], header_r0: int,
                   register: tuple[str, Grid, list[list[object]]] | None, ctx: Context) -> None:
    """Proposals → 拦截登记's 建议拦截状态; with ``apply_track_intercept``, empty 拦截状态 cells filled."""
    apply = ctx.settings.apply_track_intercept
    col = p.columns.get("intercept")
    for row, said in proposals.items():
        result.proposed[said.word or track.UNSETTLED] += 1
        if apply and said.word and col is not None and p.intercept_blank[row]:
            result.cells[(header_r0 + 1 + row, col)] = said.word
            result.filled += 1
    if register is None or not proposals:
        return
    place, grid, raw = register
    result.register = place
    at = len(grid.preamble)  # the register's header row
    where = {id(r): at + 1 + i for i, r in enumerate(grid.rows)}
    head = grid.index["proposal"]
    cells: dict[tuple[int, int], object] = {}
    for row, said in proposals.items():
        key = p.keys[row]
        rows = grid.by_key.get(key, []) if key is not None else []
        result.in_register += bool(rows)
        for r in rows:
            value = said.cell()
            if not same_value(grid.get(r, "proposal"), value):
                cells[(where[id(r)], head)] = value
            if apply and said.word and blank(grid.get(r, "intercept")):
                cells[(where[id(r)], grid.index["intercept"])] = said.word
                result.filled += 1
    titled = at < len(raw) and head < len(raw[at]) and not blank(raw[at][head])
    if cells and not titled:  # a register made before this column existed
        cells[(at, head)] = grid.header[head]
    result.register_cells = cells
