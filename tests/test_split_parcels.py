"""Two parcels of one order without a 售后单号 (a split shipment) are two cases in every register (contract §6, §7).

The batch's registers (拦截登记, 快递拦截清单, 回复话术, 理赔登记, 钱货两空核查) key a case by 订单号 +
售后单号, and without a 售后单号 by 订单号 + 物流单号, as import keeps the parcels apart: each parcel its own
row, sent to the courier, claimed, listed; a 拦截状态 staff typed on one parcel's register row is what the
next run decides on for that parcel only.  A row an older run keyed without the 物流单号 still finds its
order's one case, and is never applied to two.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import assume, given, settings, strategies as st

from refund_xl._app import batch
from refund_xl._core import vocab

from conftest import NOW, ago, table

# The shapes that put a parcel in a register, and the registers each one is listed in.
SHAPES = {
    "intercept": (dict(售后类型="仅退款", 退款金额=399.0, 发货状态="已发货", 物流状态="运输中", 物流更新时间=ago(4),
                       申请时间=ago(10)), (batch.REGISTER, batch.COURIER_LIST, batch.REPLIES)),
    "claim": (dict(售后类型="仅退款", 退款金额=45.0, 发货状态="已发货", 物流状态="运输中", 物流更新时间=ago(60),
                   申请时间=ago(50), 收货省份="浙江"), (batch.CLAIMS,)),
    "risk": (dict(售后类型="仅退款", 退款金额=88.0, 发货状态="已发货", 物流状态="运输中", 物流更新时间=ago(5),
                  售后状态="已退款"), (batch.AUDIT,)),
}


def parcels(order, waybills, shape, case_column=True, carrier="中通快递"):
    base, _sheets = SHAPES[shape]
    return [dict(订单号=order, **({"售后单号": None} if case_column else {}), 快递公司=carrier, 物流单号=w, **base)
            for w in waybills]


def run(rows, previous=None):
    headers, cells = table(rows)
    return batch.run(cells, headers, None, None, previous or {}, NOW)


def cells(sheet):
    return [str(v) for r in sheet for v in r if v is not None]


def rows_of(sheet, name):
    """The rows under a sheet's header row (the one holding ``name``), as dicts."""
    at = next(i for i, r in enumerate(sheet) if name in r)
    return [dict(zip(sheet[at], r)) for r in sheet[at + 1:] if any(v is not None for v in r)]


def typed(sheets, waybill, word):
    """``word`` typed in 拦截状态 of the register row of ``waybill``."""
    reg = [list(r) for r in sheets[batch.REGISTER]]
    head = reg[0]
    for r in reg[1:]:
        if str(r[head.index("物流单号")]) == str(waybill):
            r[head.index("拦截状态")] = word
    return {**sheets, batch.REGISTER: reg}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(SHAPES)), st.integers(10 ** 18, 10 ** 19 - 1),
       st.lists(st.integers(10 ** 13, 10 ** 14 - 1), min_size=2, max_size=4, unique=True),
       st.booleans(), st.booleans(), st.sampled_from(["中通快递", "中通", "圆通速递"]))
def test_each_parcel_of_a_split_shipment_is_its_own_row_in_every_register(shape, order, waybills, case_column,
                                                                         as_number, carrier):
    assume(not vocab.is_padded_id(str(order)))  # (one in ten thousand: read as an id Excel cut, asked)
    written = waybills if as_number else [str(w) for w in waybills]
    first = run(parcels(str(order), written, shape, case_column, carrier))
    second = run(parcels(str(order), written, shape, case_column, carrier), first.sheets)
    for res in (first, second):
        for name in SHAPES[shape][1]:
            if name == batch.REPLIES:
                continue  # (a reply names the parcel in its text too: its rows are counted below)
            listed = cells(res.sheets[name])
            for w in waybills:
                assert listed.count(str(w)) == 1, (name, w, res.sheets[name])
        if shape == "intercept":
            replies = [r for r in rows_of(res.sheets[batch.REPLIES], "回复话术") if r["订单号"] == str(order)]
            assert sorted(r["物流单号"] for r in replies) == sorted(map(str, waybills))
    assert first.to_courier == len(waybills) if shape == "intercept" else first.to_courier == 0


@pytest.mark.parametrize("word, code", [("拦截成功", "APPROVE_REFUND"), ("拦截失败", "ASK_REFUSE_DELIVERY")])
@pytest.mark.parametrize("which", [0, 1])
def test_a_result_typed_for_one_parcel_is_decided_on_for_that_parcel_only(word, code, which):
    waybills = ["75234220267319", "75234220267320"]
    rows = parcels("4242994886263078919", waybills, "intercept")
    first = run(rows)
    assert first.counts == Counter({"INTERCEPT_AND_WATCH": 2}) and first.to_courier == 2
    second = run(rows, typed(first.sheets, waybills[which], word))
    assert second.intercept_fed == {which: word}
    assert second.counts == Counter({code: 1, "INTERCEPT_AND_WATCH": 1})
    reg = {r["物流单号"]: r for r in rows_of(second.sheets[batch.REGISTER], "拦截状态")}
    assert reg[waybills[which]]["拦截状态"] == word and reg[waybills[1 - which]]["拦截状态"] == "未拦截"
    # the other parcel is still on the courier list; the one staff recorded is not
    listed = cells(second.sheets[batch.COURIER_LIST])
    assert waybills[1 - which] in listed and waybills[which] not in listed


def _older(sheet, name):
    """``sheet`` as an older run left it: without the 物流单号 column (回复话术) or with it blank."""
    head = list(sheet[0])
    at = head.index("物流单号")
    if name == batch.REPLIES:
        return [[v for i, v in enumerate(r) if i != at] for r in sheet]
    return [head] + [[None if i == at else v for i, v in enumerate(r)] for r in sheet[1:]]


@pytest.mark.parametrize("name, shape", [(batch.REGISTER, "intercept"), (batch.REPLIES, "intercept"),
                                         (batch.CLAIMS, "claim"), (batch.AUDIT, "risk")])
def test_an_older_row_without_the_waybill_finds_its_orders_one_case_never_two_parcels(name, shape):
    one = parcels("4242994886263078919", ["75234220267319"], shape)
    first = run(one)
    sheets = typed(first.sheets, "75234220267319", "拦截成功") if name == batch.REGISTER else first.sheets
    older = _older(sheets[name], name)
    # the order's one case: matched (no second row, the blank key cell filled), the typed word decided on
    again = run(one, {**first.sheets, name: older})
    body = [r for r in again.sheets[name][1:] if any(v is not None for v in r)]
    assert len(body) == len(older) - 1 == 1
    assert "75234220267319" in cells(again.sheets[name])
    if name == batch.REGISTER:
        assert again.intercept_fed == {0: "拦截成功"} and again.counts == Counter({"APPROVE_REFUND": 1})
    # the order now in two parcels: the row is neither's, each parcel its own row, the word applied to neither
    both = parcels("4242994886263078919", ["75234220267319", "75234220267320"], shape)
    second = run(both, {**first.sheets, name: older})
    assert second.intercept_fed == {}
    if shape == "intercept":
        assert second.counts == Counter({"INTERCEPT_AND_WATCH": 2})
    listed = cells(second.sheets[name])
    assert listed.count("75234220267319") == 1 and listed.count("75234220267320") == 1
    assert any("多个包裹" in v for v in listed)  # the older row says why it matched no case
