"""contract §2.2: the reading report keeps its promise for a field with no column of its own.

A field no column names may be said on some rows by another column (售后类型 「已发货仅退款」 says 发货状态 已发货; a
退货物流单号 says the return was sent; 签收时间 says 已签收; a trace in 物流状态 carries its time).  The column is still
missing on the other rows: the report lists it among the missing columns and says what stands in for it there —
another column on N rows, the default (or unknown, asked where needed) on the other M — so a desk lead learns she
lacks the column.  Where another column said it on every row, it is said under 从其他列读出 only.
"""

from __future__ import annotations

import pytest

from conftest import NOW
from refund_xl._core import engine, rules
from refund_xl._core.fields import FIELD_BY_KEY, IMPLIES


def _stand_ins():
    """(the header of a column that says another field, a cell that says it, a cell that does not, that field):
    every way the engine fills a field from another column (engine._fallbacks)."""
    for source, table in IMPLIES.items():
        other = "仅退款" if source == "refund_type" else None
        for word, says in table.items():
            for target in says:
                yield FIELD_BY_KEY[source].header, word, other, target
    for source, (target, _word) in rules.TIME_SAYS.items():
        yield FIELD_BY_KEY[source].header, "2025-06-09 10:00", None, target
    yield "退货物流单号", "YT1234567890125", None, "return_logistics"
    yield "验货结果", "合格", None, "return_logistics"
    yield "物流状态", "2025-06-10 08:00【杭州转运中心】已发出", "运输中", "last_update"


CASES = sorted(set(_stand_ins()))


def _report(header: str, cells: list[object]):
    headers = ["订单号", "退款金额", *(["售后类型"] if header != "售后类型" else []), header]
    rows = [[f"A{i}", 59, *(["仅退款"] if header != "售后类型" else []), cell] for i, cell in enumerate(cells)]
    return engine.evaluate_read(rows, headers, now=NOW)[1]


@pytest.mark.parametrize("header, word, other, target", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_a_missing_column_another_column_says_on_some_rows_is_still_missing(header, word, other, target):
    fld = FIELD_BY_KEY[target].header
    rep = _report(header, [word, other, other])
    assert fld in dict(rep.derived), (rep.derived, rep.lines())
    n = dict(rep.derived)[fld]
    assert 1 <= n < 3
    defaulted, absent = rep.missing()
    rest = {f: r for f, _d, r in defaulted} | dict(absent)
    assert rest.get(fld) == 3 - n, rep.lines()
    text = "\n".join(rep.lines())
    assert f"{fld}" in next(line for line in text.splitlines() if line.startswith("· 缺少的列") and fld in line)
    assert f"{n} 行从「{header}」读出" in text and f"其余 {3 - n} 行" in text
    table = [[str(c) for c in row] for row in rep.table()]
    assert any(row[:1] == [fld] and f"{n} 行从「{header}」读出" in row[2] for row in table if len(row) > 2)


@pytest.mark.parametrize("header, word, other, target", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_a_column_another_column_says_on_every_row_is_said_as_read_from_it(header, word, other, target):
    fld = FIELD_BY_KEY[target].header
    rep = _report(header, [word, word])
    defaulted, absent = rep.missing()
    assert fld not in {f for f, _d, _r in defaulted} | {f for f, _r in absent}
    assert dict(rep.derived)[fld] == 2 and header in rep.derived_from[fld]
    assert any(line.startswith("· 从其他列读出") and f"{fld} 2 行（「{header}」" in line for line in rep.lines())
