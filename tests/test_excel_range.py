"""contract §8 "One transfer, any size" / §9: a formula reads only the columns it uses, as Value2.

The formula functions take their tracking block with xlwings' ``range`` converter and
read it through :class:`refund_xl._excel.excel_range.RangeBlock`.  Here a recording
stand-in for an xlwings Range (tests/xlwings_standin.py) says what they asked Excel
for: only ``Value2`` reads, only of the columns whose headers resolve to fields (and
the first column), never a whole-block ``.value``; and the results are exactly those
of the same rows handed over as plain values — for the synthetic year, for every
platform export and desk sheet, and for every messy sheet in tests/data.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from benchmarks.synth import HEADERS, NOW, make_rows
from refund_xl import udfs
from refund_xl._core import engine
from refund_xl._core.fields import resolve, split_table
from refund_xl._excel.excel_range import EXCEL_ERRORS, RangeBlock, runs
from refund_xl._files import files
from xlwings_standin import StandInRange, serial

ROOT = Path(__file__).resolve().parent.parent
DATA = sorted([*ROOT.glob("tests/data/exports/*.xlsx"), *ROOT.glob("tests/data/exports/*.csv"),
               *ROOT.glob("tests/data/messy/*.xlsx")])
EXTRA = [f"备注{i}" for i in range(1, 31)]  # a 60-column block: 30 columns no field reads


def _wide(rows: list[list[object]], extra: int = len(EXTRA)) -> list[list[object]]:
    """Rows with ``extra`` more columns, some holding staff notes (on case rows: a row whose only
    content is in columns no field reads is a blank row to the formula, see the last test)."""
    return [r + [f"注{i}" if (i + j) % 7 == 0 and any(v is not None for v in r) else None for j in range(extra)]
            for i, r in enumerate(rows)]


def _value2(rows):
    return [[serial(v) for v in r] for r in rows]


@pytest.fixture(scope="module")
def year():
    head = HEADERS + EXTRA
    return head, [head] + _wide(make_rows(2000, seed=11))


def _date_cells(grid):
    """The grid as a date cell without a time of day holds it (a whole-number Value2 serial, a file
    reader's date): the day, not 00:00 (contract §2 "Dates")."""
    return [[c.date() if isinstance(c, datetime) and c == datetime(c.year, c.month, c.day) else c for c in r]
            for r in grid]


def test_refund_table_reads_only_the_used_columns_as_value2(year):
    head, grid = year
    rng = StandInRange(grid)
    got = udfs.REFUND_TABLE(rng, [head], None, NOW)
    # Value2 serials read as the datetimes; a whole-number serial is a date cell without a time
    # of day (contract §2 "Dates"), as a file reader's date is
    assert got == udfs.REFUND_TABLE(_date_cells(grid), [head], None, NOW)
    assert {kind for kind, *_ in rng.log} == {"Value2"}                # never .value / .raw_value / options
    read_cols = {c for _k, _r, c0, _h, w in rng.log for c in range(c0, c0 + w)}
    used = set(engine.columns_read(resolve(head)))
    assert read_cols == used | {0} and not read_cols & set(range(len(HEADERS), len(head)))
    # one read per run of adjacent columns, each over the whole height
    assert len(rng.log) == len(runs(sorted(read_cols))) and {h for *_x, h, _w in rng.log} == {len(grid)}
    # contract §9: the cells handed over ≤ 1.5× the used columns (columns that hold data)
    data_cols = sum(1 for c in range(len(head)) if any(r[c] is not None for r in grid[1:]))
    assert rng.log.cells() <= 1.5 * data_cols * len(grid)
    assert got[0][0] == "处理动作" and len(got) == len(grid)


@pytest.mark.parametrize("name", ["REFUND_ACTION", "STALL_STATUS", "DEADLINE_STATUS", "HOURS_LEFT", "VALUE_TIER",
                                  "LOSS_RISK", "REPLY_SCRIPT"])
def test_each_column_function_reads_only_its_columns(year, name):
    head, grid = year
    rng = StandInRange(grid)
    fn = getattr(udfs, name)
    assert fn(rng, [head], now=NOW) == fn(_date_cells(grid), [head], now=NOW)
    assert {kind for kind, *_ in rng.log} == {"Value2"}
    reads = {"REFUND_ACTION": "action", "STALL_STATUS": "stall", "DEADLINE_STATUS": "deadline",
             "HOURS_LEFT": "deadline", "VALUE_TIER": "tier", "LOSS_RISK": "risk", "REPLY_SCRIPT": "reply"}[name]
    whole = [(c0, w) for _k, r0, c0, h, w in rng.log if (r0, h) == (0, len(grid))]
    read_cols = {c for c0, w in whole for c in range(c0, c0 + w)}
    assert read_cols == set(engine.columns_read(resolve(head), (*engine.FUNCTION_READS[reads], "case_id"))) | {0}
    # the other field columns, only over the rows that may be no case (no order number): read as the whole block
    # tells a case from a row that is none
    maybe = set(engine.maybe_not_cases([r[0] for r in grid]))
    for _k, r0, c0, h, w in rng.log:
        if (r0, h) != (0, len(grid)):
            assert set(range(r0, r0 + h)) <= maybe and set(range(c0, c0 + w)) <= {0, *engine.case_columns(resolve(head))}


def _tracking(path: Path):
    sheets = files.read_sheets(path)
    for rows in sheets.values():
        found = split_table(rows)
        if found is not None:
            headers, body = found.headers, found.body
            width = max(len(headers), *(len(r) for r in body)) if body else len(headers)
            grid = [list(r) + [None] * (width - len(r)) for r in [list(headers), *body]]
            return [list(headers) + [None] * (width - len(headers))], grid
    pytest.skip(f"{path.name}: no tracking table")


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.name)
def test_every_export_and_messy_sheet_reads_the_same_through_the_range(path):
    """Presets (words implied by other columns, waybill columns), blank and totals rows, title rows:
    the columns read narrow give what the whole block gives."""
    head, grid = _tracking(path)
    value2 = _value2(grid)
    rng = StandInRange(grid)
    assert udfs.REFUND_TABLE(rng, head, None, NOW) == udfs.REFUND_TABLE(value2, head, None, NOW)
    assert udfs.REFUND_ACTION(StandInRange(grid), head, None, NOW, "code") == \
        udfs.REFUND_ACTION(value2, head, None, NOW, "code")


def test_result_cells_are_plain_for_the_raw_return(year):
    """``@xw.ret('raw')`` hands the block to COM as it is: only text, numbers and booleans, rectangular."""
    head, grid = year
    out = udfs.REFUND_TABLE(StandInRange(grid), [head], None, NOW)
    assert {len(r) for r in out} == {8}
    assert {type(v) for r in out for v in r} <= {str, float, int, bool}
    for fn in (udfs.HOURS_LEFT, udfs.STALL_STATUS, udfs.REPLY_SCRIPT):
        col = fn(StandInRange(grid), [head], now=NOW)
        assert {type(v) for r in col for v in r} <= {str, float, int, bool} and {len(r) for r in col} == {1}


def test_error_cells_and_a_totals_row_labelled_in_an_unread_first_column():
    head = ["序号", *HEADERS]
    rows = make_rows(6, seed=2)
    amount = HEADERS.index("退款金额") + 1
    body = [[i + 1, *r] for i, r in enumerate(rows)]
    body[1][amount] = -2146826246                                 # #N/A from a lookup, as COM hands it
    total = [None] * len(head)
    total[0], total[amount] = "合计", 1234.0                      # the label sits in 序号, which no field reads
    grid = [head, *body, total]
    out = udfs.REFUND_TABLE(StandInRange(grid), [head], None, NOW)
    assert out[-1] == [""] * 8                                   # a totals row gets no result
    assert "退款金额" in out[2][0] and out[2][0].startswith("#")   # the error cell is unreadable, not empty
    assert out == udfs.REFUND_TABLE([head, *body, total], [head], None, NOW)
    assert EXCEL_ERRORS[-2146826246] == "#N/A"


@hsettings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.lists(st.integers(0, 59), max_size=12))
def test_a_block_of_any_height_and_columns_is_read_whole(height, cols):
    grid = [[f"{r}:{c}" for c in range(60)] for r in range(height)]
    cols = sorted(set(cols))
    got = RangeBlock(StandInRange(grid)).read(cols)
    assert got == [[f"{r}:{c}" for c in cols] for r in range(height)]


def test_a_row_with_content_only_in_unread_columns_is_blank_to_the_formula():
    """The formula reads the columns whose headers resolve to fields (and the first): a row holding only
    a note in a column no field reads is not a case there, nor in the same rows handed over as values
    (``evaluate`` too: tests/test_host_agreement.py); a note beside a case changes nothing."""
    head = HEADERS + ["备注"]
    rows = make_rows(3, seed=4)
    grid = [head, *(r + ["看一下"] for r in rows), [None] * len(HEADERS) + ["只有备注"]]
    out = udfs.REFUND_TABLE(StandInRange(grid), [head], None, NOW)
    assert out[-1] == [""] * 8 and out[1:-1] == udfs.REFUND_TABLE(grid[:-1], [head], None, NOW)[1:]
    assert out == udfs.REFUND_TABLE(grid, [head], None, NOW)


def test_a_one_cell_and_an_empty_block():
    one = udfs.REFUND_TABLE(StandInRange([["订单号"]]), [["订单号"]], None, NOW)   # Value2 of one cell: a scalar
    assert len(one) == 1 and one[0][0] == "处理动作" and one == udfs.REFUND_TABLE([["订单号"]], [["订单号"]], None, NOW)
    empty = StandInRange([], height=0, width=60)
    assert udfs.REFUND_TABLE(empty, [HEADERS], None, NOW) == [[""] * 8]
    assert udfs.VALUE_TIER(StandInRange([["退款金额"], [59.0]]), [["退款金额"]], now=NOW)[1] == ["低客单"]


def test_a_column_that_may_be_a_desk_record_is_handed_over_and_asked_about():
    """An unused header that may be a desk's record no column feeds (「客户反」 for 客户反馈): the range hands that
    column over too, so a formula asks about the rows where it holds something, as the whole block does."""
    head = ["客户反" if h == "客户反馈" else h for h in HEADERS]
    grid = [head] + make_rows(400, seed=5)
    rng = StandInRange(grid)
    got = udfs.REFUND_TABLE(rng, [head], None, NOW)
    assert got == udfs.REFUND_TABLE(_date_cells(grid), [head], None, NOW)
    read_cols = {c for _k, _r, c0, _h, w in rng.log for c in range(c0, c0 + w)}
    assert head.index("客户反") in read_cols
    assert any("是否为「客户反」列" in str(row[0]) for row in got[1:])


def test_the_times_written_down_are_handed_over_and_read_as_the_whole_block_reads_them():
    """发货时间, 签收时间, 退货签收时间 and 退款完成时间 say what happened (the goods left, the parcel or the return was
    signed for, the case refunded): the range hands their columns over, and a formula reads them as the whole block."""
    timed = ("发货时间", "签收时间", "退货签收时间", "退款完成时间")
    grid = [list(HEADERS)] + make_rows(400, seed=7)
    at = [HEADERS.index(h) for h in timed]
    for i, row in enumerate(grid[1:]):
        for k, c in enumerate(at):
            row[c] = (None, NOW.replace(hour=0) - (i % 5) * (NOW - NOW.replace(hour=9)), "见备注", None)[(i + k) % 4]
    rng = StandInRange(grid)
    got = udfs.REFUND_TABLE(rng, [HEADERS], None, NOW)
    assert got == udfs.REFUND_TABLE(_date_cells(grid), [HEADERS], None, NOW)
    read_cols = {c for _k, _r, c0, _h, w in rng.log for c in range(c0, c0 + w)}
    assert set(at) <= read_cols
    plain = udfs.REFUND_TABLE([r[:at[0]] + r[at[-1] + 1:] for r in _date_cells(grid)],
                              [HEADERS[:at[0]] + HEADERS[at[-1] + 1:]], None, NOW)
    assert got != plain  # (the times change what the rows say)


@pytest.mark.parametrize("pair", [("退款金额", "退款金额"), ("实付金额", "订单金额")])
def test_two_amount_columns_of_one_rank_are_handed_over_and_read_as_the_whole_block_reads_them(pair):
    """Two columns naming 退款金额 as strongly (contract §2 "Column precedence"), apart with unread columns between: the
    formula is handed both, so a row whose two amounts straddle the threshold asks as the whole block does (never the
    first column's 59, refunded at once)."""
    head = ["订单号", "售后类型", pair[0], "发货状态", "物流单号", "物流状态", "物流更新时间", "备注1", "备注2", pair[1]]
    grid = [head, ["A1", "仅退款", 59, "已发货", "75234220000001", "运输中", datetime(2025, 6, 10, 8), None, None, 599],
            ["A2", "仅退款", 59, "已发货", "75234220000002", "运输中", datetime(2025, 6, 10, 8), None, None, 99]]
    value2 = _value2(grid)
    got = udfs.REFUND_ACTION(StandInRange(grid), [head], None, NOW, "code")
    assert got == udfs.REFUND_ACTION(value2, [head], None, NOW, "code") == [[""], ["NEEDS_INFO"], ["INTERCEPT_REFUND_NOW"]]
