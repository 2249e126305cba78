"""钱货两空核查 lists every case at risk, its 订单号 readable or not (contract §2 "Ids", §6 "Closing the loop").

A 订单号 Excel cut short (``4.80299E+18``, ``4.80299e+18``, a float cell of 16 digits or more) is never a key,
but the refunded case whose goods are out is still at risk: it is listed on its own row — the id as read,
marked unreadable — every run, its staff note kept, never merged with another case of the same damaged id,
and counted as listed.  Driven through the one batch both hosts run, on an in-memory book, twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from refund_xl._app.batch import AUDIT
from refund_xl._app.book import run_batch
from refund_xl._app.memory import MemoryBook
from refund_xl._core import context

NOW = datetime(2025, 6, 10, 12, 0)
H = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间",
     "拦截状态", "售后状态"]
DAMAGED = ["4.80299E+18", "4.80299e+18", 4.80299094089868e18, "4.802990940898679E+18", 4.2e18]
READABLE = "4242994886263078938"


def at_risk(order, case=None, waybill=None, amount=59.0):
    """A refunded 仅退款 whose parcel is on the road: 钱货两空 at risk whatever its ids say."""
    return [order, case, NOW - timedelta(days=1), "仅退款", amount, "已发货", "中通快递", waybill, "运输中",
            NOW - timedelta(hours=4), None, "已退款"]


def audit_rows(book):
    rows = book.sheets[AUDIT]
    at = next(i for i, r in enumerate(rows) if "风险原因" in r)
    return [dict(zip(rows[at], r)) for r in rows[at + 1:] if any(v not in (None, "") for v in r)]


# which other id the damaged cases have: a 物流单号 each, a 售后单号 each, or none at all
IDS = {"waybill": lambda n: (None, f"7523422026732{n}"), "case": lambda n: (f"15283746501234569{n}", None),
       "none": lambda n: (None, None)}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(DAMAGED), st.sampled_from(sorted(IDS)), st.integers(1, 3), st.booleans())
def test_a_case_at_risk_with_an_unreadable_order_id_is_listed_on_its_own_row_every_run(damaged, ids, n, english_note):
    cases = [at_risk(damaged, *IDS[ids](i), amount=50.0 + i) for i in range(n)]
    book = MemoryBook({"售后登记": [H, *cases, at_risk(READABLE, "S1", "YT0001")]})
    ctx = context.build({}, now=NOW)
    first = run_batch(book, ctx, run_at=NOW)
    listed = audit_rows(book)
    assert len(listed) == n + 1 and first.audit == n + 1, listed
    damaged_rows = [r for r in listed if r["订单号"] != READABLE]
    assert sorted(r["退款金额"] for r in damaged_rows) == [50.0 + i for i in range(n)]  # one row each, never merged
    for r in damaged_rows:
        assert isinstance(r["订单号"], str) and "E" in r["订单号"].upper()  # as read: never invented digits
        assert "无法识别" in r["风险原因"]
    # staff write on a row; the next run keeps it, lists each case once again
    rows = book.sheets[AUDIT]
    at = next(i for i, r in enumerate(rows) if "风险原因" in r)
    note = rows[at].index("跟进备注")
    for r in rows[at + 1:]:
        if r[rows[at].index("订单号")] != READABLE:
            r[note] = "已联系快递" if not english_note else "called the courier"
    second = run_batch(book, ctx, run_at=NOW + timedelta(days=1))
    again = audit_rows(book)
    assert len(again) == n + 1 and second.audit == n + 1, again
    assert sorted(r["退款金额"] for r in again if r["订单号"] != READABLE) == [50.0 + i for i in range(n)]
    assert all(r["跟进备注"] for r in again if r["订单号"] != READABLE)


@pytest.mark.parametrize("damaged", DAMAGED)
def test_a_damaged_order_id_never_joins_a_case_to_another(damaged):
    """Two cases of one damaged 订单号, one refunded and at risk, one not: only the first is listed, and a
    case whose 订单号 is readable with the same first digits is its own row too."""
    book = MemoryBook({"售后登记": [H, at_risk(damaged, None, "75234220267321"),
                                    at_risk(damaged, None, "75234220267322")[:-1] + ["处理中"],
                                    at_risk("4802990940898679808", None, "75234220267323")]})
    first = run_batch(book, context.build({}, now=NOW), run_at=NOW)
    listed = audit_rows(book)
    assert sorted(r["物流单号"] for r in listed) == ["75234220267321", "75234220267323"] and first.audit == 2
