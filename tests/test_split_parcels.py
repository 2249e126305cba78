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


# --- one 售后单号 over several parcels, a 物流单号 that changes, an older row without its 物流单号 -----------
# The key is 订单号 + 售后单号 + 物流单号 whenever the row reads a 物流单号 (track.case_key): one after-sale
# refunded over a split shipment, a reshipment or a corrected number under the same 售后单号 are parcels
# apart; a register row is applied to the parcel it was typed for only.

CASE_NO = "2025060912345678"
ORDER = "4242994886263078919"


def _under(rows, case_no):
    for r in rows:
        r["售后单号"] = case_no
    return rows


_WAYBILLS = st.lists(st.integers(10 ** 13, 10 ** 14 - 1).map(str), min_size=1, max_size=3, unique=True)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(sorted(SHAPES)), _WAYBILLS.filter(lambda w: len(w) > 1), st.booleans())
def test_the_parcels_of_one_after_sale_are_each_their_own_row_in_every_register(shape, waybills, as_number):
    written = [int(w) for w in waybills] if as_number else waybills
    first = run(_under(parcels(ORDER, written, shape), CASE_NO))
    second = run(_under(parcels(ORDER, written, shape), CASE_NO), first.sheets)
    for res in (first, second):
        for name in SHAPES[shape][1]:
            if name == batch.REPLIES:
                replies = [r for r in rows_of(res.sheets[name], "回复话术") if r["订单号"] == ORDER]
                assert sorted(r["物流单号"] for r in replies) == sorted(waybills)
                continue
            listed = cells(res.sheets[name])
            for w in waybills:
                assert listed.count(w) == 1, (name, w, res.sheets[name])
    assert first.to_courier == (len(waybills) if shape == "intercept" else 0)


@settings(max_examples=30, deadline=None)
@given(_WAYBILLS.filter(lambda w: len(w) > 1), st.data(), st.sampled_from(["拦截中", "拦截成功", "拦截失败"]))
def test_a_result_typed_for_one_parcel_of_an_after_sale_is_that_parcels_only(waybills, data, word):
    which = data.draw(st.integers(0, len(waybills) - 1))
    rows = _under(parcels(ORDER, waybills, "intercept"), CASE_NO)
    first = run(rows)
    assert len(rows_of(first.sheets[batch.REGISTER], "拦截状态")) == len(waybills)
    second = run(rows, typed(first.sheets, waybills[which], word))
    assert second.intercept_fed == {which: word}
    assert second.counts["INTERCEPT_AND_WATCH"] >= len(waybills) - 1 and second.counts["APPROVE_REFUND"] <= 1
    listed = cells(second.sheets[batch.COURIER_LIST])
    assert all((w in listed) == (i != which) for i, w in enumerate(waybills))
    reg = {r["物流单号"]: r["拦截状态"] for r in rows_of(second.sheets[batch.REGISTER], "拦截状态")}
    assert reg == {w: word if i == which else "未拦截" for i, w in enumerate(waybills)}


@settings(max_examples=40, deadline=None)
@given(_WAYBILLS, st.data(), st.sampled_from([CASE_NO, None]), st.sampled_from(["拦截中", "拦截成功", "拦截失败"]))
def test_a_register_row_whose_waybill_changed_is_never_applied_to_the_new_parcel(waybills, data, case_no, word):
    which = data.draw(st.integers(0, len(waybills) - 1))
    new = data.draw(st.integers(10 ** 13, 10 ** 14 - 1).map(str).filter(lambda w: w not in waybills))
    first = run(_under(parcels(ORDER, waybills, "intercept"), case_no))
    sheets = typed(first.sheets, waybills[which], word)
    now = [new if i == which else w for i, w in enumerate(waybills)]  # corrected, or reshipped under another number
    second = run(_under(parcels(ORDER, now, "intercept"), case_no), sheets)
    # the word typed for the old parcel is decided on for no parcel; the new one goes to the courier
    assert second.intercept_fed == {}
    assert second.counts == Counter({"INTERCEPT_AND_WATCH": len(waybills)})
    assert new in cells(second.sheets[batch.COURIER_LIST])
    reg = rows_of(second.sheets[batch.REGISTER], "拦截状态")
    assert sorted(r["物流单号"] for r in reg) == sorted([*waybills, new])
    old = next(r for r in reg if r["物流单号"] == waybills[which])
    assert old["拦截状态"] == word  # what staff typed stays where they typed it
    assert old["登记状态"] == (f"物流单号已变更为 {new}，请核对拦截状态" if len(waybills) == 1 else "售后表中已无此单")
    assert next(r for r in reg if r["物流单号"] == new)["拦截状态"] == "未拦截"
    # the next run says the same, and still sends the new parcel until staff record it
    third = run(_under(parcels(ORDER, now, "intercept"), case_no), second.sheets)
    assert third.intercept_fed == {} and new in cells(third.sheets[batch.COURIER_LIST])
    assert next(r for r in rows_of(third.sheets[batch.REGISTER], "拦截状态")
                if r["物流单号"] == waybills[which])["登记状态"] == old["登记状态"]


@pytest.mark.parametrize("name, shape", [(batch.REGISTER, "intercept"), (batch.REPLIES, "intercept"),
                                         (batch.CLAIMS, "claim"), (batch.AUDIT, "risk")])
@pytest.mark.parametrize("case_no", [CASE_NO, None])
def test_a_row_whose_waybill_changed_says_so_in_every_register(name, shape, case_no):
    first = run(_under(parcels(ORDER, ["75234220267319"], shape), case_no))
    second = run(_under(parcels(ORDER, ["75234220267391"], shape), case_no), first.sheets)
    listed = cells(second.sheets[name])
    assert listed.count("75234220267319") == 1 and listed.count("75234220267391") == 1
    assert any(v.startswith("物流单号已变更为 75234220267391") for v in listed), second.sheets[name]
    assert not any("售后表中已无此单" in v or "都找不到此单" in v for v in listed)


@pytest.mark.parametrize("name, shape", [(batch.REGISTER, "intercept"), (batch.REPLIES, "intercept"),
                                         (batch.CLAIMS, "claim"), (batch.AUDIT, "risk")])
def test_an_older_row_of_an_after_sale_without_the_waybill_finds_its_one_parcel_never_two(name, shape):
    one = _under(parcels(ORDER, ["75234220267319"], shape), CASE_NO)
    first = run(one)
    sheets = typed(first.sheets, "75234220267319", "拦截成功") if name == batch.REGISTER else first.sheets
    older = _older(sheets[name], name)
    again = run(one, {**first.sheets, name: older})
    body = [r for r in again.sheets[name][1:] if any(v is not None for v in r)]
    assert len(body) == 1 and "75234220267319" in cells(again.sheets[name])
    if name == batch.REGISTER:
        assert again.intercept_fed == {0: "拦截成功"} and again.counts == Counter({"APPROVE_REFUND": 1})
    both = _under(parcels(ORDER, ["75234220267319", "75234220267320"], shape), CASE_NO)
    second = run(both, {**first.sheets, name: older})
    assert second.intercept_fed == {}
    if shape == "intercept":
        assert second.counts == Counter({"INTERCEPT_AND_WATCH": 2}) and second.to_courier == 2
    listed = cells(second.sheets[name])
    assert listed.count("75234220267319") == 1 and listed.count("75234220267320") == 1
    assert any("多个包裹" in v for v in listed)


@pytest.mark.parametrize("ids", [("4242994886263078919", "2025060912345678", "75234220267319"),
                                 ("4242994886263078919", None, "75234220267319"),
                                 ("4242994886263078919", "2025060912345678", None),
                                 (None, "2025060912345678", "75234220267319"),
                                 ("4242994886263078919", None, None)])
def test_import_and_the_batch_name_a_case_alike(ids):
    from refund_xl._app.batch.merge import order_text
    from refund_xl._app.intake_merge import _Ids
    o, c, t = ids
    name = _Ids("", c, o, t).name()
    assert name == order_text((o or "", c or "", t or ""))
    assert all(v in name for v in ids if v)
    assert name.startswith(f"订单号 {o}" if o else f"售后单号 {c}")
