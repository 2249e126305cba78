"""contract §5 REFUND_TABLE: every person-facing result column in one call (N×8).

Each of the 8 columns must be exactly what the one-column function shows for
the same row; the raw COM cells xlwings hands over with the ``raw`` converter
(tuples, error ints, Decimal currency, tz-tagged datetimes) are read as the
cleaned ones are, and an error cell is never read as empty.
"""

from __future__ import annotations

import inspect
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from benchmarks.synth import HEADERS, NOW, make_rows
from refund_xl import udfs
from refund_xl._app import table


@pytest.fixture(scope="module")
def year_sample():
    return make_rows(3000, seed=7)


def _per_column(rows, head, now, settings=None):
    return {
        0: udfs.REFUND_ACTION(rows, head, settings, now, "label"),
        1: udfs.REFUND_ACTION(rows, head, settings, now, "why"),
        2: udfs.STALL_STATUS(rows, head, settings, now),
        3: udfs.DEADLINE_STATUS(rows, head, settings, now),
        4: udfs.HOURS_LEFT(rows, head, settings, now),
        5: udfs.VALUE_TIER(rows, head, settings, now),
        6: udfs.LOSS_RISK(rows, head, settings, now),
        7: udfs.REPLY_SCRIPT(rows, head, None, settings, now),
    }


def test_each_column_equals_the_one_column_function(year_sample):
    head = [HEADERS]
    block = udfs.REFUND_TABLE(year_sample, head, None, NOW)
    assert len(block) == len(year_sample) and {len(r) for r in block} == {8}
    for col, column in _per_column(year_sample, head, NOW).items():
        got = [r[col] for r in block]
        want = [r[0] for r in column]
        diff = [(i, g, w) for i, (g, w) in enumerate(zip(got, want)) if g != w]
        assert not diff, (table.HEADERS[col], diff[:3])
    assert any(str(r[0]).startswith("#信息不足") for r in block), "the sample has unreadable rows"
    assert {r[0] for r in block} > {"同意退款"}


def test_english_settings_render_english(year_sample):
    settings = [["key", "label", "value"], ["language", "语言", "English"]]
    block = udfs.REFUND_TABLE([HEADERS] + year_sample[:300], [HEADERS], settings, NOW)
    assert block[0][0] == "Action" and block[0][1].startswith("Why (as of 2025-06-10 12:00")
    per = _per_column([HEADERS] + year_sample[:300], [HEADERS], NOW, settings)
    assert [r[0] for r in block[1:]] == [r[0] for r in per[0][1:]]


def test_header_row_names_the_reference_time():
    rows = make_rows(20, seed=3)
    block = udfs.REFUND_TABLE([HEADERS] + rows, [HEADERS], None, NOW)
    assert block[0] == ["处理动作", "判定依据（基准时间 2025-06-10 12:00）", "停滞状态", "超时状态", "剩余小时",
                        "客单级别", "钱货两空风险", "回复话术"]
    assert udfs.REFUND_TABLE([HEADERS] + rows, [HEADERS], None, NOW, header=False)[0] == [""] * 8
    # without the header row in the range, every output row is a case
    assert udfs.REFUND_TABLE(rows, [HEADERS], None, NOW) == block[1:]


def test_blank_rows_and_a_bad_setting():
    rows = make_rows(10, seed=5)
    block = udfs.REFUND_TABLE(rows + [[None] * len(HEADERS)] * 3, [HEADERS], None, NOW)
    assert block[-3:] == [[""] * 8] * 3
    bad = [["键", "项目", "值"], ["high_value", "高客单金额阈值(元)", "很多"]]
    out = udfs.REFUND_TABLE(rows, [HEADERS], bad, NOW)
    assert len(out) == 10 and all(r[0].startswith("#") and "high_value" in r[0] + "高客单" and r[1:] == [""] * 7
                                  for r in out)


def test_raw_com_cells_read_like_cleaned_ones():
    """What COM hands over with the raw converter: a tuple of tuples, tz-tagged datetimes, Decimal, error ints."""
    rows = make_rows(200, seed=11)
    cleaned = udfs.REFUND_TABLE(rows, [HEADERS], None, NOW)

    class ComTime(datetime):      # pywintypes.datetime: a datetime subclass carrying a tzinfo
        pass

    def com(v):
        if isinstance(v, datetime):
            return ComTime(v.year, v.month, v.day, v.hour, v.minute, v.second, tzinfo=timezone.utc)
        return v

    raw = tuple(tuple(com(v) for v in r) for r in rows)
    assert udfs.REFUND_TABLE(raw, [HEADERS], None, NOW) == cleaned

    amount = HEADERS.index("退款金额")
    money = [list(r) for r in rows]
    money[0][amount] = Decimal("1299.00")
    money[1][amount] = -2146826246          # #N/A in the amount cell
    out = udfs.REFUND_TABLE(tuple(map(tuple, money)), [HEADERS], None, NOW)
    assert out[0][5] == "高客单"
    assert out[1][5] == "#信息不足: 退款金额「#N/A」", "an error cell is unreadable, never empty or a number"
    # the action names the amount only where the amount decides it
    assert "退款金额" in out[1][0] or not out[1][0].startswith("#")


def test_values_range_reads_a_teams_own_words():
    # 值映射 reaches the engine: a team's own word reads as its standard word
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流更新时间", "拦截状态", "售后状态"]
    own = [headers, ["A1", "仅退款", 899, "已发货", "在路上了", NOW, "快递说拦不住", "老样子"]]
    canonical = [headers, ["A1", "仅退款", 899, "已发货", "运输中", NOW, "拦截失败", "处理中"]]
    values = [["字段", "原值", "标准值"], ["物流状态", "在路上了", "运输中"], ["拦截状态", "快递说拦不住", "拦截失败"],
              ["售后状态", "老样子", "处理中"]]
    assert udfs.REFUND_TABLE(own, [headers], None, NOW, None, None, values) == \
        udfs.REFUND_TABLE(canonical, [headers], None, NOW)
    # without the table the same words are asked about, quoted
    assert "「在路上了」" in udfs.REFUND_TABLE(own, [headers], None, NOW)[1][0] or \
        "「老样子」" in udfs.REFUND_TABLE(own, [headers], None, NOW)[1][0]


def test_signature_and_wizard_docs():
    params = list(inspect.signature(udfs.REFUND_TABLE).parameters)
    assert params[:7] == ["rows", "headers", "settings", "now", "templates", "columns", "values"]
    assert "处理动作" in udfs.REFUND_TABLE.__doc__
