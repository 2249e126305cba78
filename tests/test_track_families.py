"""`track` writes what `evaluate` reads, and says why it skipped a row (red team h50, angle "track"):

* a return the courier has not collected yet (已下单/待揽收, a pickup booked) is 待揽收 beside its waybill — read as
  未寄回 (rule 29 waits for it), not as a 未寄回 the waybill contradicts (asked, "run refund-xl track");
* a number Excel cut (7.52342E+13) and a 售后状态 not read (退款关闭?) are not asked about, with the reason;
* a run deadline cutting a request says so in whole seconds, never 超过 4.99966 秒;
* a trace older than the book's 物流更新时间 never writes an older state over it.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from refund_xl._app import track
from refund_xl._core import context, engine, wordbook
from refund_xl._core.fields import FIELD_BY_KEY
from refund_xl._courier import Credentials, HttpTransport, Kuaidi100, Limits
from refund_xl._courier.errors import RequestTimeout

from helpers import cli as run
from kuaidi_standin import StandIn
from test_track import HEAD, NOW, ROWS, read_csv, t, write_csv

RET_HEAD = ["订单号", "售后单号", "售后类型", "退货原因", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态",
            "物流更新时间", "退货快递公司", "退货物流单号", "退货物流状态", "售后状态"]


def _ret_row(order: str, amount: str, waybill: str, state: str = "") -> list[str]:
    return [order, "2025060900" + order[-8:], "退货退款", "不想要", amount, "已发货", "中通快递", "7523422026" + order[-4:],
            "已签收", "2025-06-05 10:00", "圆通速递", waybill, state, "处理中"]


@pytest.fixture
def srv(monkeypatch, tmp_path):
    with StandIn() as server:
        for k, v in {**server.env(), "REFUND_XL_CACHE_DIR": str(tmp_path / "cache"),
                     "REFUND_XL_CONFIG_DIR": str(tmp_path / "config")}.items():
            monkeypatch.setenv(k, v)
        yield server


def _actions(path) -> dict[str, str]:
    return {r["订单号"]: r["action_code"] for r in csv.DictReader(path.open(encoding="utf-8-sig"))}


# ------------------------------------------------------------------ a return not collected yet

@pytest.mark.parametrize("state,sub", [("1", "102"), ("1", "101"), ("0", "102")])
def test_a_return_the_courier_has_not_collected_waits_for_it_after_track(state, sub, srv, tmp_path):
    rows = [_ret_row("1003935258309020888", "66", "YT7512803366108"),
            _ret_row("1003935258309021999", "800", "YT7512803366999")]
    for row in rows:
        srv.parcel(row[11], "yuantong", state, sub, [(t(3), "已预约上门取件，等待快递员揽收")])
    src, tracked, judged = write_csv(tmp_path / "in.csv", rows, RET_HEAD), tmp_path / "t.csv", tmp_path / "j.csv"
    assert run("track", src, "--out", tracked, "--now", "2025-06-10T12:00", "--quiet") == 0
    assert {r["退货物流状态"] for r in read_csv(tracked)} == {track.AWAITING}
    assert run("evaluate", tracked, "--out", judged, "--now", "2025-06-10T12:00") == 0
    # rule 29: the return is awaited — never NEEDS_INFO asking to run track, never a refund on a pickup not made
    assert set(_actions(judged).values()) == {"WAIT_RETURN"}


# Every phrase of the return's field that says the courier has not collected it (揽收/取件 with a wait, a negation,
# a failure; a pickup booked): read as 未寄回 and, beside a filled 退货物流单号, waited for.
_RETURN = FIELD_BY_KEY["return_logistics"].parse
_NOT_COLLECTED = sorted({pre + stem + post
                         for stem, kind in wordbook.RETURN.grammar.stems.items() if kind in ("PICKUP", "COLLECT", "BOOKED")
                         for pre in ("", "待", "等待", "未", "还没", "尚未", "快递未", "快递员还没")
                         for post in ("", "失败", "中")
                         if _RETURN(pre + stem + post) == "未寄回"})
# nothing sent at all: a waybill beside it still disagrees (asked)
_NOT_SENT = ("未寄回", "未寄出", "待寄回", "买家未退货", "还没寄回", "没有退货")


def _decide(state: str, amount: str = "66"):
    rows = [_ret_row("1003935258309020888", amount, "YT7512803366108", state)]
    return engine.evaluate_table(rows, RET_HEAD, context.build(now=NOW))[0][0]


def test_the_not_collected_family_is_not_empty():
    assert len(_NOT_COLLECTED) > 50 and {"待揽收", "未揽收", "预约上门取件", "揽收失败"} <= set(_NOT_COLLECTED)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_NOT_COLLECTED), st.sampled_from(["66", "800"]))
def test_not_collected_beside_a_waybill_waits_for_the_return(phrase, amount):
    assert _decide(phrase, amount).action_code == "WAIT_RETURN", phrase


@pytest.mark.parametrize("phrase", _NOT_SENT)
def test_not_sent_beside_a_waybill_is_still_asked(phrase):
    got = _decide(phrase)
    assert got.action_code == "NEEDS_INFO" and any("退货物流状态" in m for m in got.decision.missing)


@pytest.mark.parametrize("sub", ["101", "102"])
def test_an_outbound_parcel_not_collected_is_read_after_track(sub, srv, tmp_path):
    row = list(ROWS[4])  # 极兔, 处理中, 已发货
    srv.parcel(row[7], "jtexpress", "1", sub, [(t(20), "商家已下单，等待揽收")])
    src, judged = write_csv(tmp_path / "in.csv", [row]), tmp_path / "j.csv"
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    assert read_csv(src)[0]["物流状态"] == "未揽收"
    assert run("evaluate", src, "--out", judged, "--now", "2025-06-10T12:00") == 0
    assert _actions(judged)[row[0]] == "CHECK_WAREHOUSE"


# ------------------------------------------------------------------ rows not asked about, with the reason

_LOSSY = ["7.52342E+13", "7.52342e+13", "4.80299E+18", "7.52342E+013", 4.802990940898679e18]


@pytest.mark.parametrize("kind", ["out", "ret"])
@pytest.mark.parametrize("number", _LOSSY)
def test_a_number_excel_cut_is_not_asked_and_the_row_says_why(kind, number):
    row = list(ROWS[13])  # outbound 已签收 (final), a return waybill
    row[7 if kind == "out" else 14] = number
    if kind == "out":
        row[9], row[14] = "运输中", ""
    p = track.plan([row], HEAD, now=NOW)
    assert p.to_send == [] and not p.jobs
    done = track.apply(p, {})
    note = done.updates[(0, "track_note")]
    assert "Excel 丢掉了后几位" in note and "未查询" in note and ("退货：" in note) == (kind == "ret")
    assert done.counts["skipped"] == 1


_UNREAD_STATES = ["退款关闭?", "退款关闭？", "已完成", "售后已完成", "退款关闭了吗"]


@pytest.mark.parametrize("state", _UNREAD_STATES)
def test_a_case_state_not_read_is_not_asked_about(state):
    assert FIELD_BY_KEY["case_state"].parse(state).__class__ is not str or state in ("已完成", "售后已完成")
    row = list(ROWS[0])
    row[16] = state
    p = track.plan([row], HEAD, now=NOW)
    assert p.to_send == [] and not p.jobs
    done = track.apply(p, {})
    note = done.updates[(0, "track_note")]
    assert "售后状态" in note and "可能已关闭" in note and done.counts["skipped"] == 1


def test_the_cut_number_and_the_unread_state_are_in_the_run_s_count(srv, tmp_path, capsys):
    cut, unread = list(ROWS[0]), list(ROWS[3])
    cut[7], unread[16] = "7.52342E+13", "退款关闭?"
    src = write_csv(tmp_path / "in.csv", [cut, unread])
    assert run("track", src, "--now", "2025-06-10T12:00") == 0
    assert "未查询 2 行" in capsys.readouterr().out and srv.requests == []
    notes = [r["物流备注"] for r in read_csv(src)]
    assert "Excel 丢掉了后几位" in notes[0] and "售后状态" in notes[1]


# ------------------------------------------------------------------ the run's deadline in seconds a desk set

@given(st.floats(min_value=0.05, max_value=600, allow_nan=False))
def test_a_timeout_is_said_in_whole_seconds_or_one_decimal(seconds):
    said = re.search(r"超过 (\S+) 秒", str(RequestTimeout(seconds))).group(1)
    assert re.fullmatch(r"\d+(\.\d)?", said) and abs(float(said) - seconds) <= 0.05 + 1e-9


def test_a_request_cut_by_the_run_deadline_says_the_run_s_limit(srv):
    srv.slow["75234220267368"] = 30
    srv.parcel("75234220267368", "zhongtong", "0", "1002", [(t(5), "在途")])
    c = Kuaidi100(Credentials(srv.customer, srv.key, srv.url), HttpTransport(),
                  limits=Limits(run_timeout=1.5, retries=0), sleep=lambda s: None)
    reading = c.query(track.Query("zhongtong", "75234220267368"))
    assert not reading.ok and "本次查询超时（已到时限 1.5 秒）" in reading.text
    assert not re.search(r"\d\.\d{2,}", reading.text)


# ------------------------------------------------------------------ an older trace never goes over a newer fact

@pytest.mark.parametrize("book,trace,kept", [
    (("派送中", NOW - timedelta(hours=1)), ("运输中", NOW - timedelta(hours=3)), True),
    (("异常", NOW - timedelta(hours=2)), ("已签收", NOW - timedelta(hours=2, minutes=1)), True),
    (("运输中", NOW - timedelta(hours=5)), ("派送中", NOW - timedelta(hours=1)), False),
    (("运输中", NOW - timedelta(hours=1)), ("运输中", NOW - timedelta(hours=1)), False),
    (("派送中", "2025-06-10"), ("运输中", datetime(2025, 6, 9, 22)), True),  # a whole day: before it began
    (("派送中", "2025-06-10"), ("已签收", datetime(2025, 6, 10, 9)), False),  # within that day: not older
])
def test_a_trace_older_than_the_book_keeps_the_book_s_cells(book, trace, kept):
    row = list(ROWS[0])
    row[9], row[10] = book[0], book[1] if isinstance(book[1], str) else book[1].strftime("%Y-%m-%d %H:%M")
    p = track.plan([row], HEAD, now=NOW)
    done = track.apply(p, {p.to_send[0]: track.Reading(trace[0], trace[1], "快件动态", "", NOW)})
    assert ((0, "logistics") not in done.updates and (0, "last_update") not in done.updates) == kept
    assert ("早于表中物流更新时间" in done.updates[(0, "track_note")]) == kept
    assert done.counts["older"] == int(kept) and done.counts["updated"] == 1
