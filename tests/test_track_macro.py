"""The ribbon's 查询物流 against the stand-in Excel book and the stand-in Kuaidi100 server."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from refund_xl import macros
from refund_xl._app import track_run
from refund_xl._courier import Kuaidi100Courier, Limits

from kuaidi_standin import StandIn
from xlwings_standin import Book as XlBook

NOW = datetime(2025, 6, 10, 12, 0)
HEAD = ["订单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间", "拦截状态",
        "跟进备注", "售后状态"]


def rows():
    return [
        ["4177034256340093436", "仅退款", 59.0, "已发货", "中通快递", "75234220267368", "运输中",
         NOW - timedelta(hours=30), None, "=HYPERLINK(\"http://x\",\"单据\")", "处理中"],
        ["3926292249976602443", "仅退款", 329.0, "已发货", "圆通速递", "YT7512349087766", "运输中",
         NOW - timedelta(hours=30), "拦截中", "已发起拦截", "处理中"],
        ["2772680766427765326", "仅退款", 88.0, "已发货", "顺丰速运", "SF1409876543210", None, None, None, None,
         "处理中"],
    ]


@pytest.fixture
def srv(tmp_path):
    with StandIn() as s:
        # (newer than the book's 06-09 06:00: a trace older than the book's time is kept out)
        s.parcel("75234220267368", "zhongtong", "0", "1002", [("2025-06-09 20:00:00", "【杭州市】快件已发往 广州转运中心")])
        s.parcel("YT7512349087766", "yuantong", "14", "203", [("2025-06-10 06:00:00", "【宁波市】客户拒收，快件将退回")])
        yield s


def test_the_ribbon_fills_the_logistics_cells_only(srv, tmp_path):
    book = XlBook({"售后登记": [HEAD, *rows()]})
    sheet = book.sheets["售后登记"]
    staff = {k: v for k, v in sheet.cells.items() if k[1] in (9, 10)}  # 拦截状态, 跟进备注
    env = {**srv.env(), "REFUND_XL_CACHE_DIR": str(tmp_path / "c"), "REFUND_XL_CONFIG_DIR": str(tmp_path / "cfg")}
    summary = macros.track_logistics(book, NOW, env=env)
    assert summary and "查询 2 个单号" in summary
    assert sheet.cells[(2, 7)] == "运输中" and sheet.cells[(2, 8)] == datetime(2025, 6, 9, 20, 0)
    assert sheet.cells[(3, 7)] == "拒收"
    assert sheet.cells[(1, 12)] == "物流备注"  # added right of the last header
    assert sheet.cells[(3, 12)].startswith("建议拦截成功")
    assert "顺丰需收件人手机" in sheet.cells[(4, 12)] and (4, 7) not in sheet.cells
    assert {k: v for k, v in sheet.cells.items() if k[1] in (9, 10)} == staff
    assert not sheet.formulas
    assert book.app.statuses[-1].startswith("售后助手：")


def test_missing_credentials_tell_the_user_what_to_do(tmp_path):
    book = XlBook({"售后登记": [HEAD, *rows()]})
    before = dict(book.sheets["售后登记"].cells)
    env = {"REFUND_XL_CACHE_DIR": str(tmp_path / "c"), "REFUND_XL_CONFIG_DIR": str(tmp_path / "cfg")}
    assert macros.track_logistics(book, NOW, env=env) is None
    (title, text), = book.app.alerts
    assert "KUAIDI100_KEY" in text and "refund-xl track" in text
    assert book.sheets["售后登记"].cells == before


def test_a_wrong_key_changes_nothing_and_says_so_once(srv, tmp_path):
    book = XlBook({"售后登记": [HEAD, *rows()]})
    before = dict(book.sheets["售后登记"].cells)
    env = {**srv.env(key="not-the-key"), "REFUND_XL_CACHE_DIR": str(tmp_path / "c"),
           "REFUND_XL_CONFIG_DIR": str(tmp_path / "cfg")}
    assert macros.track_logistics(book, NOW, env=env) is None
    (title, text), = book.app.alerts
    assert "503" in text and "not-the-key" not in text and srv.key not in text
    assert book.sheets["售后登记"].cells == before


def test_the_ribbon_and_the_command_line_call_the_one_use_case(srv, tmp_path, monkeypatch):
    from refund_xl.cli import main

    calls = []
    real = track_run.run_track

    def spy(book, ctx, courier, **kw):
        calls.append((type(book).__name__, type(ctx).__name__, type(courier).__name__))
        return real(book, ctx, courier, **kw)

    monkeypatch.setattr(track_run, "run_track", spy)
    env = {**srv.env(), "REFUND_XL_CACHE_DIR": str(tmp_path / "c"), "REFUND_XL_CONFIG_DIR": str(tmp_path / "cfg")}
    assert macros.track_logistics(XlBook({"售后登记": [HEAD, *rows()]}), NOW, env=env)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    path = tmp_path / "售后登记.csv"
    path.write_text("\n".join(",".join("" if v is None else str(v) for v in r) for r in [HEAD, *rows()]),
                    encoding="utf-8")
    assert main(["track", str(path), "--now", "2025-06-10T12:00", "--quiet"]) == 0
    assert calls == [("ExcelBook", "Context", "Kuaidi100Courier"), ("FileBook", "Context", "Kuaidi100Courier")]


def test_a_courier_that_does_not_answer_holds_excel_no_longer_than_the_run_deadline(srv, tmp_path):
    """The ribbon's run has a deadline (Limits.run_timeout, five minutes by default): shortened here."""
    srv.trickle = 1.0
    book = XlBook({"售后登记": [HEAD, *rows()]})
    env = {**srv.env(), "REFUND_XL_CACHE_DIR": str(tmp_path / "c"), "REFUND_XL_CONFIG_DIR": str(tmp_path / "cfg")}
    xl = macros._book(book)
    t0 = time.monotonic()
    done = track_run.run_track(xl, macros._context(xl, NOW), Kuaidi100Courier(env, limits=Limits(run_timeout=1.5)))
    assert time.monotonic() - t0 < 4
    assert done.counts["unanswered"] == 2 and "超时" in book.sheets["售后登记"].cells[(2, 12)]
