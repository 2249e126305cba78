"""REFUND_TABLE's 8 cells for a whole read table, worked out a column at a time.

:meth:`refund_xl._core.render.Presenter.table` renders one row result; this module renders
the same cells for every row of a table (tests hold the two equal, cell for cell), doing
each piece of work once per distinct thing instead of once per row:

* the facts of every row are worked out column-wise (:func:`rules.atom_columns`) and each
  distinct set of facts is decided once (:func:`rules.outcome_of`);
* the cells that follow from the outcome alone (处理动作, 停滞状态, 超时状态, 客单级别,
  钱货两空风险, a 判定依据 that quotes no value of its row) are rendered once per outcome,
  by the row renderer, for the first row that has it;
* a 判定依据 that quotes its row's values is one template per outcome
  (:func:`rules.why_format`), each value worded once per distinct input;
* 回复话术 is one template per outcome (:func:`render.reply_plan`), each placeholder's column
  shown once per distinct value (:func:`replies.shown`);
* NEEDS_INFO rows (their words name the row's own missing columns) are rendered by the row
  renderer once per outcome and set of missing columns; rows whose words quote what was typed
  (an unreadable cell, a date without a time of day) are rendered row by row.

Pure module: no host library.
"""

from __future__ import annotations

from datetime import datetime
from collections import deque
from itertools import compress, count, repeat
from operator import is_, itemgetter
from typing import Iterable, Mapping, Sequence

from refund_xl._core import render, replies, rules
from refund_xl._core.engine import Columns, RowResult, case_at, evaluate_columns, row_result
from refund_xl._core.rules import Row
from refund_xl._core.settings import Settings

__all__ = ["table_cells", "WIDTH"]

WIDTH = len(render.TABLE_KEYS)
_USUAL, _NEEDS, _ROW = 0, 1, 2
_SPECIAL = object()  # the group of rows rendered one by one: blank, unreadable cells, a defect


class _Plan:
    """How the rows of one outcome are rendered."""

    __slots__ = ("kind", "cells", "why", "reply", "hours")

    def __init__(self, kind: int, cells: list[object], why: rules.WhyFormat | None = None,
                 reply: tuple[tuple[str, ...], tuple] | None = None, hours: bool = False):
        self.kind, self.cells, self.why, self.reply, self.hours = kind, cells, why, reply, hours


def _weave(pieces: tuple[str, ...], columns: list[Iterable[str]], m: int) -> list[str]:
    """``m`` texts: the literal pieces with each row's values between them (:func:`rules.weave`, per column)."""
    if len(pieces) == 1:
        return [pieces[0]] * m
    parts: list[Iterable[str]] = [repeat(pieces[0], m)]
    for column, piece in zip(columns, pieces[1:]):
        parts += [column, repeat(piece, m)]
    return list(map("".join, zip(*parts)))


_DECIDED = (0, 1, 7)  # 处理动作, 判定依据, 回复话术: the cells that show the decision


def _quotes_a_day(o: rules.Outcome, want: Sequence[int]) -> bool:
    """Whether a wanted cell of this outcome quotes a row's date written without a time of day."""
    v = o.verdict
    named = {2: o.stall_needs, 3: o.deadline_needs, 4: o.deadline_needs, 6: o.risk_needs}
    keys = [k for cell in want for k in named.get(cell, (*v.needs, *v.moot) if cell in _DECIDED else ())]
    return any(k.endswith("@day") for k in keys)


class _Table:
    """One call's rendering of one read table."""

    def __init__(self, cols: Columns, s: Settings, now: datetime, templates: Mapping[str, str],
                 want: Sequence[int] = tuple(range(WIDTH))):
        self.cols, self.s, self.now, self.en = cols, s, now, s.english
        self.want = tuple(want)
        self.templates = templates
        self.present = render.Presenter(self.en, templates).table
        self.n = n = len(cols.blank)
        self.by_key = dict(zip(cols.keys, cols.values))
        sheets = cols.sheets or [cols.sheet] * n
        self.facts = rules.atom_columns(self.column, n, cols.bad, sheets, s, now, cols.bad_values)
        self._shown: dict[tuple[str, str], list[str]] = {}
        self._hours: list[object] | None = None  # 剩余小时 of every row, each distinct number rounded once

    def column(self, key: str) -> list[object]:
        return self.by_key.get(key) or [None] * self.n

    def row_of(self, i: int) -> Row:
        f = self.facts
        return Row(f.atoms[i], f.stall_hours[i], f.hours_left[i], f.since[i])

    def result(self, i: int, outcome: rules.Outcome | None = None) -> RowResult:
        """Row ``i``'s result, as :func:`refund_xl._core.engine.evaluate_columns` makes it."""
        return row_result(case_at(self.cols, i), self.row_of(i), self.s, outcome)

    def all_cells(self, i: int, outcome: rules.Outcome | None = None) -> list[object]:
        """Row ``i``'s 8 cells by the row renderer (:meth:`render.Presenter.table`)."""
        if self.cols.blank[i]:
            return [""] * WIDTH
        try:
            return self.present(self.result(i, outcome))
        except Exception as exc:  # a defect shows in its own row only
            return [render.row_error(exc), *[""] * (WIDTH - 1)]

    def row_cells(self, i: int, outcome: rules.Outcome | None = None) -> list[object]:
        """Row ``i``'s wanted cells by the row renderer."""
        cells = self.all_cells(i, outcome)
        return [cells[k] for k in self.want]

    # ------------------------------------------------------------ plans

    def plan(self, o: rules.Outcome, first: int) -> _Plan:
        """How every row of outcome ``o`` is rendered, worked out on its first row."""
        try:
            res = self.result(first, o)
            cells = self.present(res)  # all 8: what the other rows of the outcome share
            want = self.want
            if res.error or _quotes_a_day(o, want):
                return _Plan(_ROW, cells)
            hours = res.hours_left is not None  # 剩余小时 shows the row's own number
            if o.verdict.code == "NEEDS_INFO":  # its words name the row's own missing columns
                return _Plan(_NEEDS, cells, hours=hours) if any(k in want for k in _DECIDED) else \
                    _Plan(_USUAL, cells, hours=hours)
            d = res.decision
            assert d is not None and res.case is not None
            why = rules.why_format(o.verdict, res.case, self.en) if 1 in want else None
            reply = render.reply_plan(d, self.templates, self.en) if 7 in want else None
            return _Plan(_USUAL, cells, why if why and why.names else None,
                         replies.positional(*reply) if reply else None, hours)
        except Exception:  # a defect: every row of this outcome shows it in its own row
            return _Plan(_ROW, [])

    # ------------------------------------------------------------ columns for some rows

    def source(self, read: str, idx: list[int]) -> list[object]:
        """What a why value reads (:func:`rules.value_reads`) for the rows ``idx``."""
        if read.startswith("row."):
            return list(map(getattr(self.facts, read[4:]).__getitem__, idx))
        if read.startswith("atom."):
            return list(map(itemgetter(rules.ATOMS.index(read[5:])), map(self.facts.atoms.__getitem__, idx)))
        if read.startswith("typed."):  # (a field's cell as quoted where unread: rows with one are rendered on their own)
            bad, typed, key = self.cols.bad, self.cols.bad_values, read[6:]
            return [dict(zip(bad[i], typed.get(i, ()))).get(key) if i in bad else None for i in idx]
        return list(map(self.column(read).__getitem__, idx))

    def whys(self, fmt: rules.WhyFormat, idx: list[int]) -> list[str]:
        """判定依据 of the rows ``idx``: the outcome's template filled, each value worded once per
        distinct input."""
        s, en = self.s, self.en
        args: list[Iterable[str]] = []
        for name in fmt.names:
            reads = rules.value_reads(name)
            if not reads:
                args.append(repeat(rules.value_text(name, s, en), len(idx)))
            elif len(reads) == 1:
                inputs = self.source(reads[0], idx)
                worded = {v: rules.value_text(name, s, en, v) for v in set(inputs)}
                args.append(map(worded.__getitem__, inputs))
            else:
                tuples = list(zip(*(self.source(r, idx) for r in reads)))
                worded = {v: rules.value_text(name, s, en, *v) for v in set(tuples)}
                args.append(map(worded.__getitem__, tuples))
        return _weave(fmt.pieces, args, len(idx))

    def shown(self, name: str, key: str) -> list[str]:
        """A field's column as reply placeholder ``name`` shows it (once per table)."""
        got = self._shown.get((name, key))
        if got is None:
            got = self._shown[(name, key)] = replies.shown(name, self.column(key))
        return got

    def replies(self, pieces: tuple[str, ...], slots: tuple[tuple[str, str], ...], idx: list[int]) -> list[str]:
        """回复话术 of the rows ``idx``: the outcome's template filled (:func:`replies.positional`)."""
        return _weave(pieces, [map(self.shown(*slot).__getitem__, idx) for slot in slots], len(idx))

    def hours(self, idx: list[int]) -> list[object]:
        """剩余小时 of the rows ``idx`` (one decimal), each distinct number rounded once."""
        if self._hours is None:
            left = self.facts.hours_left
            cell = {h: "" if h is None else round(h, 1) for h in set(left)}  # (round is slow: once per number)
            self._hours = list(map(cell.__getitem__, left))
        return list(map(self._hours.__getitem__, idx))

    # ------------------------------------------------------------ the table

    def cells(self) -> list[list[object]]:
        n, cols = self.n, self.cols
        atoms = self.facts.atoms
        get = rules._OUTCOMES.get
        outcomes: list[object] = list(map(get, atoms))
        special = set(cols.bad)
        special.update(compress(count(), cols.blank))
        for i in compress(count(), map(is_, outcomes, repeat(None))):  # combinations not decided before
            if i not in special:
                try:
                    outcomes[i] = rules.outcome_of(atoms[i])
                except Exception:  # a defect: that row shows it
                    special.add(i)
        for i in special:
            outcomes[i] = _SPECIAL
        keys: list[object] = list(map(id, outcomes))
        if cols.sheets:  # further blocks with headers of their own: their outcomes render apart
            keys = list(zip(keys, map(id, cols.sheets)))
        # each row's index appended to its group's list, at C speed (a few hundred groups)
        groups: dict[object, list[int]] = {k: [] for k in dict.fromkeys(keys)}
        deque(map(list.append, map(groups.__getitem__, keys), count()), maxlen=0)
        out: list[list[object]] = [[""] * len(self.want)] * n
        for idx in groups.values():
            o = outcomes[idx[0]]
            if o is _SPECIAL:
                for i in idx:
                    out[i] = self.row_cells(i)
                continue
            assert isinstance(o, rules.Outcome)
            plan = self.plan(o, idx[0])
            if plan.kind == _ROW:
                for i in idx:
                    out[i] = self.row_cells(i, o)
            elif plan.kind == _NEEDS:
                self.needs_rows(o, plan, idx, out)
            else:
                self.usual_rows(plan, idx, out)
        return out

    def needs_rows(self, o: rules.Outcome, plan: _Plan, idx: list[int], out: list[list[object]]) -> None:
        """NEEDS_INFO rows: their words follow from the outcome and the row's missing required columns."""
        seen: dict[tuple[str, ...], list[object]] = {}
        want = self.want
        hours = self.hours(idx) if plan.hours and 4 in want else repeat(plan.cells[4])
        # the required fields blank (rules.required_missing; a row with an unreadable cell is rendered on
        # its own, never here), read column by column
        required = map(rules.required_blank, *(map(self.column(k).__getitem__, idx)
                                               for k in ("order_id", "refund_type", "amount", "ship_state")))
        for i, h, key in zip(idx, hours, required):
            cells = seen.get(key)
            if cells is None:
                cells = seen[key] = self.all_cells(i, o)
            row = list(cells)
            row[4] = h
            out[i] = [row[k] for k in want]

    def usual_rows(self, plan: _Plan, idx: list[int], out: list[list[object]]) -> None:
        cells, m = plan.cells, len(idx)
        columns: list[Iterable[object]] = []
        for k in self.want:
            if k == 1 and plan.why is not None:
                columns.append(self.whys(plan.why, idx))
            elif k == 4 and plan.hours:
                columns.append(self.hours(idx))
            elif k == 7 and plan.reply is not None:
                columns.append(self.replies(*plan.reply, idx))
            else:
                columns.append(repeat(cells[k], m))
        deque(map(out.__setitem__, idx, map(list, zip(*columns))), maxlen=0)


def table_cells(cols: Columns, s: Settings, now: datetime, templates: Mapping[str, str],
                want: Sequence[int] = tuple(range(WIDTH))) -> list[list[object]]:
    """The 8 cells of every row of ``cols`` ("" for rows that are not cases), as
    :meth:`refund_xl._core.render.Presenter.table` renders each row; ``want``: only these of them
    (by position: 0 处理动作 … 7 回复话术), in that order."""
    try:
        table = _Table(cols, s, now, templates, want)
    except Exception:  # a defect in one row's facts: every row by the row path, so only that row shows it
        present = render.Presenter(s.english, templates).table
        out: list[list[object]] = []
        for res in evaluate_columns(cols, s, now):
            if res.blank:
                out.append([""] * len(want))
                continue
            try:
                cells = present(res)
            except Exception as exc:  # a defect shows in its own row only
                cells = [render.row_error(exc), *[""] * (WIDTH - 1)]
            out.append([cells[k] for k in want])
        return out
    return table.cells()
