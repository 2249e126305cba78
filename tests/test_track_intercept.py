"""Closing the loop from tracking (contract §6 "Closing the loop", §7 track; issue 23).

A parcel under interception (拦截中) that comes back gets 拦截成功 proposed in 拦截登记's
建议拦截状态, one the customer signed for 拦截失败; with apply_track_intercept 是 an empty
拦截状态 is filled from it, and a value staff typed is never overwritten — tested over every
Kuaidi100 state kind × 拦截状态 in the tracking sheet × 拦截状态 in the register × the setting.
Return parcels fill 退货物流状态 in the return's words; refunded cases at 钱货两空 risk are asked.
"""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta

import pytest

from refund_xl._app import batch, track, track_run
from refund_xl._app.track import Reading, proposal
from refund_xl._core import context, engine
from refund_xl._core.fields import FIELD_BY_KEY
from refund_xl._core.trace_codes import CODE_NAME, STATE_WORD, SUB_WORD
from refund_xl._core.vocab import BAD
from refund_xl._core.settings import Settings
from refund_xl._courier import Kuaidi100Courier, MemoryTransport

from refund_xl._app.memory import MemoryBook

from helpers import column

NOW = datetime(2025, 6, 10, 12, 0)
SHEET = "售后登记"
HEAD = ["订单号", "售后单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间",
        "拦截状态", "售后状态"]
REG_HEAD = [c.zh for c in batch.REGISTER_COLS]

# What a parcel under interception can say, and what it means by the rule (contract §6):
# back → 拦截成功; signed (本人签收/派件异常后签收/代签) or a trace saying the interception failed
# → 拦截失败; a delivery the sub-state does not place, or evidence both ways → for staff to check;
# a parcel simply moving → nothing to propose.
KINDS = [
    ("6", None, "快件已退回寄件人", "back"),
    ("4", None, "退签，快件已退回", "back"),
    ("14", None, "收件人拒签，快件返回中", "back"),
    ("2", "203", "客户拒收", "back"),
    ("0", "1002", "拦截成功，快件退回寄件人", "back"),
    ("0", "1003", "您的快件已被拦截，正在退回", "back"),
    ("3", "301", "已签收，签收人：本人", "signed"),
    ("3", "303", "已签收，签收人：门卫代签", "signed"),
    ("3", "302", "派件异常后已签收", "signed"),
    ("0", "1002", "拦截失败，继续派送", "failed"),
    ("3", "304", "已放入丰巢快递柜", "unsettled"),
    ("5", "501", "已放入菜鸟驿站，请凭取件码取件", "unsettled"),
    ("3", None, "已签收", "unsettled"),
    ("6", None, "拦截失败，快件退回", "unsettled"),  # both ways at once
    ("0", "1002", "【杭州市】快件已发往 广州转运中心", "moving"),
    ("5", None, "【宁波市】快递员正在派件", "moving"),
    ("0", "1002", "未能拦截成功，继续派送", "failed"),  # a negated success is a failure, never a success
    ("0", "1002", "拦截未成功，派送中", "failed"),
    ("0", "1002", "该快件不支持拦截", "failed"),
]
EXPECTED = {"back": "拦截成功", "signed": "拦截失败", "failed": "拦截失败", "unsettled": None}

TRACKING_VALUES = ["", "拦截中", "拦截成功", "拦截失败", "未拦截"]
ABSENT = object()  # the case has no row in 拦截登记
REGISTER_VALUES = [ABSENT, "拦截中", "未拦截", "", "拦截失败"]


def reading(state, sub, text, at=NOW - timedelta(hours=3)) -> Reading:
    word, code = track.word_of(state, sub)
    return Reading(word, at, text, code, NOW)


@pytest.mark.parametrize("state,sub,text,meaning", KINDS, ids=[k[2][:10] for k in KINDS])
def test_what_a_trace_says_of_an_interception(state, sub, text, meaning):
    got = proposal(reading(state, sub, text))
    if meaning == "moving":
        assert got is None
    else:
        assert got is not None and got.word == EXPECTED[meaning]
        cell = got.cell()
        assert cell.startswith(got.word or track.UNSETTLED) and "2025-06-10 09:00" in cell
        assert len(cell) <= track.NOTE_WIDTH


def test_a_trace_saying_only_yi_lanjie_proposes_nothing():
    # a trace saying only 已拦截 says the interception was placed, not that it worked: the parcel is on its
    # way (物流状态 拦截 → 运输中), so no 拦截成功 is proposed; 拦截成功 / 拦截退回 in the trace are
    assert proposal(reading("0", "1002", "快件已拦截")) is None
    assert proposal(reading("0", "1002", "快件拦截成功，正在退回")).word == "拦截成功"


def test_no_answer_proposes_nothing():
    assert proposal(track.failed("查询无结果（500）", "500", NOW)) is None


# ------------------------------------------------------------------ the use case over every combination

def _number(i: int) -> str:
    return f"ZT{752342200000 + i}"


def _book(old_register: bool = False):
    """One row per (courier answer kind × 拦截状态 in the tracking sheet × 拦截状态 in the register)."""
    rows, register, combos = [], [], []
    for i, (kind, tv, rv) in enumerate(itertools.product(range(len(KINDS)), TRACKING_VALUES, REGISTER_VALUES)):
        order, case = f"41770342563{i:08d}", f"28593796{i:06d}"
        rows.append([order, case, "仅退款", 329.0, "已发货", "中通快递", _number(i), "运输中",
                     NOW - timedelta(hours=30), tv or None, "处理中"])
        if rv is not ABSENT:
            reg = dict.fromkeys(REG_HEAD)
            reg.update({"登记时间": NOW - timedelta(days=1), "订单号": order, "售后单号": case, "快递公司": "中通快递",
                        "物流单号": _number(i), "拦截状态": rv or None, "登记状态": "跟进中"})
            register.append([reg[h] for h in REG_HEAD])
        combos.append((KINDS[kind], tv, rv))
    head = [h for h in REG_HEAD if not (old_register and h == "建议拦截状态")]
    if old_register:
        register = [[v for h, v in zip(REG_HEAD, r) if h != "建议拦截状态"] for r in register]
    book = MemoryBook({SHEET: [HEAD, *rows], batch.REGISTER: [head, *register]})
    return book, combos


def _courier(tmp_path, combos):
    answers = {}
    for i, ((state, sub, text, _m), _tv, _rv) in enumerate(combos):
        item = {"time": "2025-06-10 09:00:00", "context": text}
        if sub:
            item["statusCode"] = sub
        answers[_number(i)] = {"message": "ok", "nu": _number(i), "state": state, "data": [item]}
    transport = MemoryTransport(lambda request: (200, answers[json.loads(request.form["param"])["num"]]))
    env = {"KUAIDI100_CUSTOMER": "CUSTOMER01", "KUAIDI100_KEY": "KEY-0123456789", "REFUND_XL_CACHE_DIR": str(tmp_path)}
    return Kuaidi100Courier(env, transport)


def _under(tv: str, rv) -> bool:
    if tv:
        return tv == "拦截中"
    return rv == "拦截中"


@pytest.mark.parametrize("apply", [False, True], ids=["否", "是"])
def test_proposals_and_fills_over_every_state_and_every_intercept_value(apply, tmp_path):
    book, combos = _book()
    ctx = context.build(None, settings=Settings(apply_track_intercept=apply), now=NOW)
    result = track_run.run_track(book, ctx, _courier(tmp_path, combos))
    tracked = column(book, SHEET, "拦截状态")
    notes = column(book, SHEET, "物流备注")
    reg = {r[1]: dict(zip(book.sheets[batch.REGISTER][0], r)) for r in book.sheets[batch.REGISTER][1:]}
    proposed = 0
    for i, ((_state, _sub, _text, meaning), tv, rv) in enumerate(combos):
        order = f"41770342563{i:08d}"
        say = meaning in EXPECTED and _under(tv, rv)
        word = EXPECTED.get(meaning) if say else None
        proposed += say
        # the tracking sheet's 拦截状态: what staff typed stays; an empty one is filled only with 是
        assert tracked[i] == (tv or (word if apply and word else None)), (i, meaning, tv, rv)
        if say:
            assert notes[i].startswith(f"建议{word}" if word else "拦截中："), notes[i]
        else:
            assert "建议拦截" not in notes[i]
        if rv is ABSENT:
            assert order not in reg
            continue
        row = reg[order]
        assert row["拦截状态"] == (rv or (word if apply and word and say else None)), (i, meaning, tv, rv)
        if say:
            assert row["建议拦截状态"].startswith(word or track.UNSETTLED) and "2025-06-10 09:00" in row["建议拦截状态"]
        else:
            assert row["建议拦截状态"] is None
    assert sum(result.proposed.values()) == proposed and result.in_register <= proposed
    assert result.register == batch.REGISTER
    # every register cell other than 建议拦截状态 and an empty 拦截状态 is as it was
    before, _ = _book()
    for old, new in zip(before.sheets[batch.REGISTER], book.sheets[batch.REGISTER]):
        for h, a, b in zip(REG_HEAD, old, new):
            if h not in ("建议拦截状态", "拦截状态") or (h == "拦截状态" and a):
                assert a == b, h


def test_a_register_from_before_this_column_gets_it_at_its_right(tmp_path):
    book, combos = _book(old_register=True)
    ctx = context.build(None, now=NOW)
    track_run.run_track(book, ctx, _courier(tmp_path, combos))
    head = book.sheets[batch.REGISTER][0]
    assert head[-1] == "建议拦截状态" and head[:-1] == [h for h in REG_HEAD if h != "建议拦截状态"]
    assert any(r[-1] for r in book.sheets[batch.REGISTER][1:])


def test_a_second_run_keeps_the_proposals_and_writes_nothing_new(tmp_path):
    book, combos = _book()
    ctx = context.build(None, now=NOW)
    courier = _courier(tmp_path, combos)
    track_run.run_track(book, ctx, courier)
    register = [list(r) for r in book.sheets[batch.REGISTER]]
    again = track_run.run_track(book, context.build(None, now=NOW + timedelta(minutes=10)), courier)
    assert again.sent == 0 and not again.register_cells  # the cache answered, the same proposals stand
    assert book.sheets[batch.REGISTER] == register


# ------------------------------------------------------------------ returns and refunded cases at risk

RET_HEAD = ["订单号", "售后单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "拦截状态",
            "退货快递公司", "退货物流单号", "退货物流状态", "售后状态"]


# every state and sub-state of Kuaidi100 that leaves a return off its way to the shop (疑难 and its sub-states, 退签,
# 退回, 拒签): no word of the return's own
_OFF_ITS_WAY = [(STATE_WORD.get(code) and code or "2", None if code in STATE_WORD else code, None)
                for code in CODE_NAME if (SUB_WORD.get(code) or STATE_WORD.get(code)) in ("异常", "拒收", "退回")]


@pytest.mark.parametrize("state,sub,word", [
    ("1", "102", "待揽收"), ("1", "101", "待揽收"), ("1", "103", "已揽收"), ("0", "1002", "运输中"), ("5", None, "运输中"),
    ("3", "301", "已签收"), ("3", "304", "已签收"), *_OFF_ITS_WAY,
])
def test_a_return_parcel_fills_the_return_words(state, sub, word, tmp_path):
    book = MemoryBook({SHEET: [RET_HEAD, ["5001028401029384757", "202506090001023456", "退货退款", 188.0, "已发货",
                                          "中通快递", "75234220260002", "已签收", None, "圆通速递", "YT7512340000001",
                                          "已揽收", "处理中"]]})
    item = {"time": "2025-06-10 08:00:00", "context": "【退货】快件动态"}
    if sub:
        item["statusCode"] = sub
    asked = []

    def handler(request):
        param = json.loads(request.form["param"])
        asked.append(param["com"])
        return 200, {"message": "ok", "nu": param["num"], "state": state, "data": [item]}
    courier = Kuaidi100Courier({"KUAIDI100_CUSTOMER": "C0001", "KUAIDI100_KEY": "K000001",
                                "REFUND_XL_CACHE_DIR": str(tmp_path)}, MemoryTransport(handler))
    track_run.run_track(book, context.build(None, now=NOW), courier)
    assert asked == ["yuantong"]  # the return's own carrier (退货快递公司), the outbound parcel is final
    got = column(book, SHEET, "退货物流状态")[0]
    # 异常/退回/拒签 of a return: the courier's state 待核实 — unreadable to evaluate, never the waybill's 已揽收
    assert got == (word or f"快递100：{CODE_NAME[sub or state]}，待核实")
    assert (FIELD_BY_KEY["return_logistics"].parse(got) is BAD) == (word is None)
    note = column(book, SHEET, "物流备注")[0]
    assert ("请人工核实" in note) == (word is None)
    if word is None:  # the next evaluate asks, quoting the cell: never 低客单：已揽收，秒退 on the filled waybill
        rows = book.rows(SHEET)
        cheap = [[59.0 if h == "退款金额" else v for h, v in zip(rows[0], rows[1])]]
        (res,), _rep = engine.evaluate_read(cheap, rows[0], now=NOW)
        assert res.action_code == "NEEDS_INFO" and "return_logistics" in res.case.bad, res.action_code
        assert got[:12] in res.why(), res.why()


def test_refunded_cases_at_loss_risk_are_asked_and_the_others_are_not(tmp_path):
    rows = [
        # refunded 仅退款, parcel left, not intercepted: 钱货两空 risk → asked (it may come back)
        ["1001", "A1", "仅退款", 88.0, "已发货", "中通快递", "ZT1001", "运输中", None, None, None, None, "已退款"],
        # refunded after a successful interception: no risk → not asked
        ["1002", "A2", "仅退款", 88.0, "已发货", "中通快递", "ZT1002", "运输中", "拦截成功", None, None, None, "已退款"],
        # refunded 退货退款 before the return arrived: risk → the return is asked
        ["1003", "A3", "退货退款", 88.0, "已发货", "中通快递", "ZT1003", "已签收", None, "圆通", "YT1003", "运输中", "已退款"],
        # closed: not asked
        ["1004", "A4", "仅退款", 88.0, "已发货", "中通快递", "ZT1004", "运输中", None, None, None, None, "已关闭"],
        # open: asked as always
        ["1005", "A5", "仅退款", 88.0, "已发货", "中通快递", "ZT1005", "运输中", None, None, None, None, "处理中"],
    ]
    book = MemoryBook({SHEET: [RET_HEAD, *rows]})
    asked = []

    def handler(request):
        num = json.loads(request.form["param"])["num"]
        asked.append(num)
        state = {"ZT1001": "6", "YT1003": "3"}.get(num, "0")
        return 200, {"message": "ok", "nu": num, "state": state,
                     "data": [{"time": "2025-06-10 08:00:00", "context": "轨迹"}]}
    courier = Kuaidi100Courier({"KUAIDI100_CUSTOMER": "C0001", "KUAIDI100_KEY": "K000001",
                                "REFUND_XL_CACHE_DIR": str(tmp_path)}, MemoryTransport(handler))
    track_run.run_track(book, context.build(None, now=NOW), courier)
    assert sorted(asked) == ["YT1003", "ZT1001", "ZT1005"]
    assert column(book, SHEET, "物流状态")[0] == "退回"  # its way back clears the risk at the next batch
    assert column(book, SHEET, "退货物流状态")[2] == "已签收"


# ------------------------------------------------------------------ the loop, end to end on a file

def test_track_then_batch_closes_the_loop_on_a_workbook(tmp_path, monkeypatch):
    from openpyxl import Workbook, load_workbook
    from refund_xl.cli import main

    from kuaidi_standin import StandIn

    path = tmp_path / "售后登记.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态",
               "物流更新时间", "拦截状态", "售后状态"])
    ws.append(["4177034256340093436", "285937968474995882", NOW - timedelta(hours=40), "仅退款", 329.0, "已发货",
               "德邦快递", "DPK300012345678", "运输中", NOW - timedelta(hours=20), None, "处理中"])
    ws.append(["3926292249976602443", "138732448672235649", NOW - timedelta(hours=40), "仅退款", 519.0, "已发货",
               "中通快递", "75234220269999", "运输中", NOW - timedelta(hours=20), None, "处理中"])
    st = wb.create_sheet("设置")
    st.append(["键", "名称", "值", "说明"])
    st.append(["apply_track_intercept", "按物流回填拦截状态", "是", ""])
    wb.save(path)
    assert main(["batch", str(path), "--now", "2025-06-10T12:00", "--quiet"]) == 0
    wb = load_workbook(path)
    reg = wb[batch.REGISTER]
    head = [c.value for c in reg[1]]
    assert "建议拦截状态" in head
    for r in range(2, reg.max_row + 1):  # staff sent the courier list and typed 拦截中 in the register
        reg.cell(r, head.index("拦截状态") + 1).value = "拦截中"
    wb.save(path)
    with StandIn() as srv:
        srv.parcel("DPK300012345678", "debangkuaidi", "6", None, [("2025-06-10 09:12:00", "拦截成功，快件退回寄件人")])
        srv.parcel("75234220269999", "zhongtong", "3", "301", [("2025-06-10 10:30:00", "已签收，签收人：本人")])
        for k, v in {**srv.env(), "REFUND_XL_CACHE_DIR": str(tmp_path / "cache")}.items():
            monkeypatch.setenv(k, v)
        assert main(["track", str(path), "--now", "2025-06-10T12:30", "--quiet"]) == 0
    wb = load_workbook(path)
    ws, reg = wb[SHEET], wb[batch.REGISTER]
    rhead = [c.value for c in reg[1]]
    by_order = {reg.cell(r, 2).value: {h: reg.cell(r, i + 1).value for i, h in enumerate(rhead)}
                for r in range(2, reg.max_row + 1)}
    assert by_order["4177034256340093436"]["建议拦截状态"] == "拦截成功（2025-06-10 09:12 拦截成功，快件退回寄件人）"
    assert by_order["3926292249976602443"]["建议拦截状态"].startswith("拦截失败（2025-06-10 10:30")
    assert by_order["4177034256340093436"]["拦截状态"] == "拦截中"  # typed by staff: kept
    assert [ws.cell(r, 11).value for r in (2, 3)] == ["拦截成功", "拦截失败"]  # empty ones filled (是)
    assert main(["batch", str(path), "--now", "2025-06-10T13:00", "--quiet"]) == 0
    wb = load_workbook(path)
    reg = wb[batch.REGISTER]
    again = {reg.cell(r, 2).value: {h: reg.cell(r, i + 1).value for i, h in enumerate(rhead)}
             for r in range(2, reg.max_row + 1)}
    assert again["4177034256340093436"]["建议拦截状态"] == by_order["4177034256340093436"]["建议拦截状态"]
    assert "同意退款" in again["4177034256340093436"]["当前动作"]
    assert "实际签收" in again["3926292249976602443"]["当前动作"]  # signed: the 已签收 rules decide (rule 13)
