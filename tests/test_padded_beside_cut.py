"""An id Excel wrote out padded with zeros, in a column that holds ids Excel cut short besides (contract §2 "Ids",
docs/reading.md): one rule for every id field (订单号, 售后单号, 物流单号, 退货物流单号).

A column holding ``4.80299E+18`` (or a float cell of 16 digits or more) went through Excel as numbers, so an id of 18
digits or more there whose digits after the 15th are all zeros (``152837465012346000``) is one Excel cut too — as
unlikely by chance as a lone one — and is asked for, never decided on nor counted readable.  In a column with no such
sign a real id that happens to end in zeros stays an id (vocab.padded_ids' count)."""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st

from refund_xl._core import engine, vocab

NOW = "2025-06-10 12:00"
HEAD = ["订单号", "售后单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间",
        "退货物流单号"]
FIELDS = {"订单号": "order_id", "售后单号": "case_id", "物流单号": "tracking_no", "退货物流单号": "return_tracking_no"}


def _ids(rng: random.Random, n: int, digits: int) -> list[str]:
    out = []
    while len(out) < n:
        i = str(rng.randrange(10 ** (digits - 1), 10 ** digits))
        if not vocab.is_padded_id(i):
            out.append(i)
    return out


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(sorted(FIELDS)), st.integers(18, 20), st.integers(20, 150), st.integers(0, 2 ** 32),
       st.sampled_from(["E", "e", "float"]))
def test_a_padded_id_beside_ids_excel_cut_is_unreadable_in_every_id_field(header, digits, n, seed, form):
    rng = random.Random(seed)
    column: list[object] = list(_ids(rng, n, digits))
    whole = _ids(rng, 1, digits)[0]
    padded = whole[:15] + "0" * (digits - 15)
    cut = float(_ids(rng, 1, digits)[0])
    column[3] = padded
    column[7] = cut if form == "float" else f"{cut:.5{form}}".replace("e+", "e+" if form == "e" else "E+")
    rows = []
    for n_, v in enumerate(column):
        row = {"订单号": f"42429948862630{n_:05d}", "售后单号": f"1528374650123{n_:05d}", "售后类型": "仅退款",
               "退款金额": 59.0, "发货状态": "已发货", "快递公司": "中通快递", "物流单号": f"7523422{n_:07d}",
               "物流状态": "运输中", "物流更新时间": "2025-06-10 08:00", "退货物流单号": None}
        row[header] = v
        rows.append([row[h] for h in HEAD])
    results = engine.evaluate(rows, HEAD, now=NOW)
    key = FIELDS[header]
    res = results[3]
    assert getattr(res.case, key) is None and res.case.typed(key) == padded
    assert res.action_code == "NEEDS_INFO" and f"{header}「{padded}」" in res.why()
    # the column's other ids are read as they are
    assert all(getattr(r.case, key) == column[i] for i, r in enumerate(results) if i not in (3, 7))
    # (without the cut one, the same column's padded id may be a real id ending in zeros: the count decides)
    column[7] = _ids(rng, 1, digits)[0]
    assert vocab.padded_ids([c for c in column if isinstance(c, str)]) in (set(), {padded})
