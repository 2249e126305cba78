"""contract §5, §7, §8: one row reads the same in every host and every function.

* Each single-purpose function reads what REFUND_TABLE reads for its cell (its reads derive from the
  atoms its result reads, ``rules.RESULT_ATOMS``): a lossy id (Excel's 15 digits) asks in REFUND_ACTION as
  in the table and in ``evaluate``.
* ``show="code"`` writes the code ``evaluate`` writes in its code column, for every function.
* A row whose only content is in columns that are no field (跟进备注, 客服) is no case in every host: the
  formula handed a Range, the same rows as plain values, ``evaluate`` and ``fill``.
"""

from __future__ import annotations

import random

import pytest

from benchmarks.synth import HEADERS, NOW, make_rows, value2
from refund_xl import udfs
from refund_xl._core import engine, rules
from xlwings_standin import StandInRange

COL = {h: i for i, h in enumerate(HEADERS)}
ID_HEADERS = ("订单号", "售后单号", "物流单号", "退货物流单号")
# What Excel leaves of a long id: a float of 15 significant digits, its text, the zero-padded digits
LOSSY = (7.12345678901234e18, "7.12346E+18", "4802990940898680000", "2.0925E+11")

# (function, show) → the column of evaluate's CSV it must equal
CODES = {("REFUND_ACTION", "code"): "action_code", ("STALL_STATUS", "code"): "stall_code",
         ("DEADLINE_STATUS", "code"): "deadline_code", ("VALUE_TIER", "code"): "value_tier",
         ("LOSS_RISK", "code"): "loss_risk"}
# (function, show) → the REFUND_TABLE column it must equal
CELLS = {("REFUND_ACTION", "label"): 0, ("REFUND_ACTION", "why"): 1, ("STALL_STATUS", "label"): 2,
         ("DEADLINE_STATUS", "label"): 3, ("HOURS_LEFT", None): 4, ("VALUE_TIER", "label"): 5,
         ("LOSS_RISK", "label"): 6, ("REPLY_SCRIPT", None): 7}


def _call(name: str, show: str | None, rows, head):
    fn = getattr(udfs, name)
    if name == "REPLY_SCRIPT":
        got = fn(rows, head, None, None, NOW)
    elif show is None:
        got = fn(rows, head, None, NOW)
    else:
        got = fn(rows, head, None, NOW, show)
    return [r[0] for r in got]


def _agree(rows: list[list[object]], head: list[str] = HEADERS) -> None:
    table = udfs.REFUND_TABLE(rows, [head], None, NOW)
    outs = [r.as_output() for r in engine.evaluate(rows, [head], None, NOW)]
    for (name, show), col in CELLS.items():
        got = _call(name, show, rows, [head])
        diff = [(i, g, t[col]) for i, (g, t) in enumerate(zip(got, table)) if g != t[col]]
        assert not diff, (name, show, diff[:3])
    for (name, show), key in CODES.items():
        got = _call(name, show, rows, [head])
        diff = [(i, g, o[key]) for i, (g, o) in enumerate(zip(got, outs)) if g != o[key]]
        assert not diff, (name, show, diff[:3])
    codes = [o["action_code"] for o in outs]
    assert [t[0].startswith("#信息不足") for t in table] == [c == "NEEDS_INFO" for c in codes]


@pytest.mark.parametrize("header", ID_HEADERS)
@pytest.mark.parametrize("lossy", LOSSY, ids=repr)
def test_a_lossy_id_asks_in_every_function_as_in_the_table(header, lossy):
    rows = make_rows(120, seed=31)
    hit = [r for r in rows if r[COL["订单号"]] is not None][::3]
    for r in hit:
        r[COL[header]] = lossy
    _agree(rows)
    asked = [r[0] for r in udfs.REFUND_ACTION(rows, [HEADERS], None, NOW, "code")]
    at = [i for i, r in enumerate(rows) if r in hit]
    # a case the key of which Excel cut is asked about (row 0b), unless it is closed (row 0a)
    assert {asked[i] for i in at} <= {"NEEDS_INFO", "DONE"} and "NEEDS_INFO" in {asked[i] for i in at}


def test_each_function_reads_the_fields_of_the_atoms_its_result_reads():
    for name, atoms in rules.RESULT_ATOMS.items():
        assert set(engine.FUNCTION_READS[name]) == {k for a in atoms for k in rules.ATOM_FIELDS[a]}
    assert "case_id" in engine.FUNCTION_READS["action"] and "case_id" in engine.FUNCTION_READS["risk"]
    # an atom's fields name every column that can make it unknown: the columns contradicting it, the times saying it
    for c in rules._CONTRADICTED:
        assert c.other in rules.ATOM_FIELDS[c.key], c
    for time_key, (target, _word) in rules.TIME_SAYS.items():
        assert time_key in rules.ATOM_FIELDS[target], time_key


@pytest.mark.parametrize("seed", range(6))
def test_every_code_a_function_shows_is_the_code_evaluate_writes(seed):
    """Random rows, some cells made unreadable or blank: each function's code (and label) is evaluate's."""
    rnd = random.Random(seed)
    rows = make_rows(300, seed=100 + seed)
    odd = ("??", "约100", "昨天下午", "#N/A", None, "已签收?", "6月8日")
    for r in rows:
        if rnd.random() < 0.3:
            r[rnd.randrange(len(HEADERS))] = rnd.choice(odd)
    _agree(rows)
    _agree(value2(rows))


# ------------------------------------------------------------ rows that are no case

NOTES = ["跟进备注", "客服"]  # columns no field reads


def _with_notes(seed: int) -> tuple[list[str], list[list[object]]]:
    """A desk's sheet with two note columns: case rows (some noted), rows holding only notes, a row holding only
    a field no narrow function reads (退货原因), a fully blank row and trailing blank rows."""
    head = [*HEADERS, *NOTES]
    rows = [[*r, "下午统一回访" if i % 4 == 0 else None, "阿珍" if i % 3 == 0 else None]
            for i, r in enumerate(make_rows(60, seed=seed))]
    only_notes = [None] * len(HEADERS) + ["下午统一回访", "阿珍"]
    only_reason = [None] * len(head)
    only_reason[COL["退货原因"]] = "质量问题"
    for at, extra in ((5, only_notes), (17, [None] * len(HEADERS) + [None, "阿珍"]), (30, only_reason),
                      (44, [None] * len(head))):
        rows.insert(at, list(extra))
    return head, rows + [[None] * len(head) for _ in range(5)]


@pytest.mark.parametrize("seed", range(3))
def test_a_row_holding_only_notes_is_no_case_in_every_host(seed, tmp_path):
    head, rows = _with_notes(seed)
    grid = [head, *value2(rows)]
    notes_only = [i for i, r in enumerate(rows) if any(r[len(HEADERS):]) and not any(r[:len(HEADERS)])]
    assert len(notes_only) == 2
    table = udfs.REFUND_TABLE(rows, [head], None, NOW)
    assert all(table[i] == [""] * 8 for i in notes_only)
    assert udfs.REFUND_TABLE(StandInRange(grid), [head], None, NOW)[1:] == udfs.REFUND_TABLE(grid, [head], None, NOW)[1:]
    _agree(rows, head)
    # every function, handed a Range or the values, tells the same rows apart (a field it does not read included)
    for (name, show) in (*CELLS, *CODES):
        got = _call(name, show, StandInRange(grid), [head])[1:]
        assert got == _call(name, show, grid, [head])[1:], name
        if show == "code" or name == "REFUND_ACTION":  # (a case's 剩余小时 and reply may be empty)
            assert [g == "" for g in got] == [t[0] == "" for t in table], name
    results = engine.evaluate(rows, [head], None, NOW)
    assert [r.blank for r in results] == [t[0] == "" for t in table]
    # fill counts the cases REFUND_TABLE gives a result
    from refund_xl._app.fill import plan_fill
    plan = plan_fill([head, *rows], now=NOW)
    assert plan.cases == sum(1 for t in table if t[0] != "")


def test_a_note_in_the_first_column_makes_no_case_whatever_the_column_order():
    """Where the note columns stand first (a desk's 序号/跟进备注 on the left), a row holding only notes is still no
    case, in every host: the first column counts only where a field reads it (or for a 合计 label)."""
    head, rows = _with_notes(7)
    order = [*range(len(HEADERS), len(head)), *range(len(HEADERS))]
    head2 = [head[c] for c in order]
    rows2 = [[r[c] for c in order] for r in rows]
    want = udfs.REFUND_TABLE(rows, [head], None, NOW)
    assert udfs.REFUND_TABLE(rows2, [head2], None, NOW) == want
    assert udfs.REFUND_TABLE(StandInRange([head2, *value2(rows2)]), [head2], None, NOW)[1:] == \
        udfs.REFUND_TABLE(value2(rows), [head], None, NOW)
    _agree(rows2, head2)
    totals = [None] * len(head2)
    totals[0], totals[head2.index("退款金额")] = "合计", 1234.0
    assert udfs.REFUND_TABLE([*rows2, totals], [head2], None, NOW)[-1] == [""] * 8
