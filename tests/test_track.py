"""refund-xl track: courier states → the SOP's words, against a stand-in Kuaidi100 on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from refund_xl._app import track
from refund_xl._core import trace_codes
from refund_xl._core.fields import FIELD_BY_KEY
from refund_xl.cli import main
from refund_xl._app.track import Query, carrier_code, carrier_table, phone_tail, reading_of, word_of
from refund_xl._courier import AuthError, Credentials, Kuaidi100, Limits, MemoryTransport, TransportError
from refund_xl._courier.account import config_path, load_credentials
from refund_xl._courier.protocol import param_text, sign

from helpers import cli as run
from kuaidi_standin import StandIn

NOW = datetime(2025, 6, 10, 12, 0)
HEAD = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "收件人手机",
        "物流状态", "物流更新时间", "收货省份", "拦截状态", "退货物流公司", "退货物流单号", "退货物流状态", "售后状态",
        "跟进备注"]


def t(hours_ago: float) -> str:
    return (NOW - timedelta(hours=hours_ago)).strftime("%Y-%m-%d %H:%M:%S")


# One parcel per courier state, as a desk's sheet holds them (realistic numbers, distinct times).
ROWS = [
    # order, case, applied, type, amount, ship, carrier, number, phone, logistics, updated, province, intercept,
    # return carrier, return number, return state, case state, note
    ["4177034256340093436", "285937968474995882", "2025-06-06 09:15", "仅退款", "59", "已发货", "中通快递",
     "75234220267368", "", "", "", "广东", "", "", "", "", "处理中", "客户催了两次"],
    ["3926292249976602443", "138732448672235649", "2025-06-08 20:30", "已发货仅退款", "129", "已发货", "圆通速递",
     "YT7512349087766", "", "运输中", "2025-06-08 10:00", "浙江", "", "", "", "", "处理中", ""],
    ["2772680766427765326", "153160020995341440", "2025-06-09 08:00", "仅退款", "88", "已发货", "韵达",
     "434567812349071", "", "派送中", "", "江苏", "", "", "", "", "待处理", ""],
    ["0044328104910363187", "183910902861045334", "2025-06-09 16:00", "仅退款", "59", "已发货", "申通",
     "773289104551230", "", "", "", "上海", "", "", "", "", "处理中", ""],
    ["5102938475610293847", "202506090000123456", "2025-06-09 10:00", "仅退款", "39.9", "已发货", "极兔速递",
     "JT5309871234567", "", "", "", "四川", "", "", "", "", "处理中", ""],
    ["6203948576102938475", "202506090000223456", "2025-06-09 11:00", "仅退款", "75", "已发货", "邮政快递包裹",
     "9876543210987", "", "", "", "西藏", "", "", "", "", "处理中", ""],
    ["7304958671029384756", "202506090000323456", "2025-06-08 11:00", "仅退款", "458", "已发货", "顺丰速运",
     "SF1409876543210", "138****6621", "", "", "北京", "", "", "", "", "处理中", ""],
    ["8405968761029384751", "202506090000423456", "2025-06-08 12:00", "仅退款", "268", "已发货", "顺丰",
     "SF1409876549999", "", "运输中", "2025-06-09 09:00", "北京", "", "", "", "", "处理中", ""],
    ["9506978851029384752", "202506090000523456", "2025-06-08 13:00", "仅退款", "99", "已发货", "京东快递",
     "JDX000123456789", "", "运输中", "2025-06-09 18:30", "广东", "", "", "", "", "处理中", ""],
    ["1607988941029384753", "202506090000623456", "2025-06-07 14:00", "仅退款", "329", "已发货", "德邦",
     "DPK300012345678", "", "运输中", "2025-06-08 08:00", "湖北", "拦截中", "", "", "", "处理中", ""],
    ["2708998131029384754", "202506090000723456", "2025-06-07 15:00", "仅退款", "519", "已发货", "ZTO",
     "75234220269999", "", "运输中", "2025-06-08 09:00", "湖南", "拦截中", "", "", "", "处理中", ""],
    ["3809008221029384755", "202506090000823456", "2025-06-07 16:00", "仅退款", "66", "已发货", "天马快递",
     "TM88990011", "", "", "", "河南", "", "", "", "", "处理中", ""],
    ["4900018311029384756", "202506090000923456", "2025-06-07 17:00", "仅退款", "77", "已发货", "中通快递",
     "75234220260001", "", "", "", "河北", "", "", "", "", "已关闭", ""],
    ["5001028401029384757", "202506090001023456", "2025-06-07 18:00", "退货退款", "188", "已发货", "中通快递",
     "75234220260002", "", "已签收", "2025-06-05 10:00", "山东", "", "圆通速递", "YT7512340000001", "", "处理中", ""],
    ["6102038591029384758", "202506090001123456", "2025-06-07 19:00", "仅退款", "45", "已发货", "韵达快递",
     "434567800000001", "", "", "", "福建", "", "", "", "", "处理中", ""],
    ["7203048681029384759", "202506090001223456", "2025-06-07 20:00", "仅退款", "52", "已发货", "圆通",
     "YT7512340000009", "", "", "", "安徽", "", "", "", "", "处理中", ""],
]


def serve_every_state(srv: StandIn) -> None:
    srv.parcel("75234220267368", "zhongtong", "0", "1002",  # stalled 75 h in transit
               [(t(75), "【杭州市】快件已发往 广州转运中心"), (t(90), "【杭州市】中通快递 已揽收")])
    srv.parcel("YT7512349087766", "yuantong", "14", "203",
               [(t(6), "【宁波市】客户拒收，快件将退回"), (t(30), "【宁波市】快件派送中")])
    srv.parcel("434567812349071", "yunda", "3", "304",
               [(t(3), "您的快递已放入丰巢智能柜，取件码1234"), (t(20), "派送中")])
    srv.parcel("773289104551230", "shentong", "5", None, [(t(2), "【上海市】快递员正在派件")])
    srv.parcel("JT5309871234567", "jtexpress", "1", "102", [(t(20), "商家已下单，等待揽收")])
    srv.parcel("9876543210987", "youzhengguonei", "2", "208",
               [(t(10), "【拉萨市】快件滞留，待派送"), (t(40), "已揽收")])
    srv.parcel("SF1409876543210", "shunfeng", "3", "301", [(t(5), "已签收，签收人：本人")], phone="13800136621")
    srv.parcel("DPK300012345678", "debangkuaidi", "6", None, [(t(8), "拦截成功，快件退回寄件人")])
    srv.parcel("75234220269999", "zhongtong", "3", "303", [(t(12), "已签收，签收人：门卫代签")])
    srv.parcel("YT7512340000001", "yuantong", "0", "1001", [(t(4), "【退货】到达 苏州转运中心")])
    srv.garbage("434567800000001", "yunda", b"<html>502 Bad Gateway</html>")
    srv.parcel("YT7512340000009", "yuantong", "5", "501", [(t(1), "快件已放入菜鸟驿站，请凭取件码取件")])
    # JDX000123456789 is unknown to the stand-in: 500 查询无结果


def write_csv(path: Path, rows=ROWS, headers=HEAD, encoding="gbk") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows([headers, *rows])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def read_csv(path: Path, encoding="gbk") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


@pytest.fixture
def standin():
    with StandIn() as srv:
        serve_every_state(srv)
        yield srv


@pytest.fixture
def env(standin, monkeypatch, tmp_path):
    for k, v in standin.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("REFUND_XL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REFUND_XL_CONFIG_DIR", str(tmp_path / "config"))
    return standin


# ------------------------------------------------------------------ the whole run

def test_every_state_gets_the_sop_word_and_the_newest_trace_time(env, tmp_path, capsys):
    src = write_csv(tmp_path / "售后登记.csv")
    out = tmp_path / "tracked.csv"
    assert run("track", src, "--out", out, "--now", "2025-06-10T12:00") == 0
    rows = {r["订单号"]: r for r in read_csv(out)}
    captured = capsys.readouterr()
    word = {k: r["物流状态"] for k, r in rows.items()}
    assert word["4177034256340093436"] == "运输中"
    assert rows["4177034256340093436"]["物流更新时间"] == t(75)
    assert "广州转运中心" in rows["4177034256340093436"]["物流备注"]
    assert word["3926292249976602443"] == "拒收"
    assert rows["3926292249976602443"]["物流更新时间"] == t(6)
    assert word["2772680766427765326"] == "已签收"  # locker (304)
    assert word["0044328104910363187"] == "派送中"
    assert word["5102938475610293847"] == "未揽收"
    assert word["6203948576102938475"] == "异常"  # 滞留
    assert word["7304958671029384756"] == "已签收"  # SF with a phone
    assert word["7203048681029384759"] == "已签收"  # 驿站 (501)
    # unanswered rows keep their cells; the reason is in 物流备注
    assert word["9506978851029384752"] == "运输中" and rows["9506978851029384752"]["物流更新时间"] == "2025-06-09 18:30"
    assert "查询无结果" in rows["9506978851029384752"]["物流备注"]
    assert word["8405968761029384751"] == "运输中" and "顺丰需收件人手机" in rows["8405968761029384751"]["物流备注"]
    assert "天马快递" in rows["3809008221029384755"]["物流备注"] and word["3809008221029384755"] == ""
    assert word["6102038591029384758"] == "" and "应答无法识别" in rows["6102038591029384758"]["物流备注"]
    # closed cases and final states are not asked about
    assert rows["4900018311029384756"]["物流备注"] == "" and env.counts["75234220260001"] == 0
    assert env.counts["75234220260002"] == 0
    # a return waybill fills 退货物流状态
    assert rows["5001028401029384757"]["退货物流状态"] == "运输中"
    assert rows["5001028401029384757"]["物流状态"] == "已签收"
    # SF was sent only with the phone's last four digits; no other number sent twice
    sf = [json.loads(f["param"]) for f in env.requests if "shunfeng" in f["param"]]
    assert sf == [{"com": "shunfeng", "num": "SF1409876543210", "phone": "6621", "resultv2": "4",
                   "show": "0", "order": "desc"}]
    assert max(env.counts.values()) == 1
    # staff columns untouched, the new column sits right of the headers
    assert list(rows["4177034256340093436"])[-1] == "物流备注"
    assert rows["4177034256340093436"]["跟进备注"] == "客户催了两次"
    assert "查到 11 项" in captured.out and captured.err.count("\n") <= 20


def test_interception_follow_up_never_overwrites_the_staff_cell(env, tmp_path, capsys):
    src = write_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    assert run("track", src, "--out", out, "--now", "2025-06-10T12:00") == 0
    rows = {r["订单号"]: r for r in read_csv(out)}
    came_back, signed = rows["1607988941029384753"], rows["2708998131029384754"]
    assert came_back["物流状态"] == "退回" and came_back["拦截状态"] == "拦截中"
    assert came_back["物流备注"].startswith("建议拦截成功｜拦截成功，快件退回寄件人")
    assert signed["物流状态"] == "已签收" and signed["拦截状态"] == "拦截中"
    assert signed["物流备注"].startswith("建议拦截失败｜")
    assert "拦截中的包裹：建议拦截成功 1 单、建议拦截失败 1 单" in capsys.readouterr().out


def test_evaluate_decides_on_the_tracked_rows(env, tmp_path, capsys):
    src = write_csv(tmp_path / "in.csv")
    tracked, judged = tmp_path / "tracked.csv", tmp_path / "judged.csv"
    assert run("track", src, "--out", tracked, "--now", "2025-06-10T12:00") == 0
    assert run("evaluate", tracked, "--out", judged, "--now", "2025-06-10T12:00") == 0
    action = {r["订单号"]: r["action_code"] for r in csv.DictReader(judged.open(encoding="utf-8-sig"))}
    assert action["4177034256340093436"] == "REFUND_OR_RESHIP_CLAIM"  # stalled 75 h
    assert action["3926292249976602443"] == "APPROVE_REFUND"  # 拒签
    assert action["2772680766427765326"] == "CONFIRM_RECEIPT"  # locker delivery
    assert action["7203048681029384759"] == "CONFIRM_RECEIPT"  # 驿站
    assert action["5102938475610293847"] == "CHECK_WAREHOUSE"  # 待揽收
    assert action["6203948576102938475"] == "NUDGE_COURIER"  # 滞留 10 h: a false stall
    # before tracking, the stalled parcel had no logistics: not a claim
    assert run("evaluate", src, "--out", tmp_path / "before.csv", "--now", "2025-06-10T12:00") == 0
    before = {r["订单号"]: r["action_code"]
              for r in csv.DictReader((tmp_path / "before.csv").open(encoding="utf-8-sig"))}
    assert before["4177034256340093436"] == "NEEDS_INFO"


def test_a_second_run_ten_minutes_later_queries_nothing(env, tmp_path, capsys):
    src = write_csv(tmp_path / "in.csv")
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    first = sum(env.counts.values())
    after_first = src.read_bytes()
    assert first == 13
    assert run("track", src, "--now", "2025-06-10T12:10", "--quiet") == 0
    assert sum(env.counts.values()) == first  # nothing asked again
    assert src.read_bytes() == after_first  # the cache fills the same cells: nothing changes
    assert "查询 0 个单号" in capsys.readouterr().out
    # 40 minutes on, open parcels are asked again, final ones (签收/拒收/退回) are not
    assert run("track", src, "--now", "2025-06-10T12:40", "--quiet") == 0
    assert env.counts["75234220267368"] == 2  # in transit
    assert env.counts["YT7512349087766"] == 1  # 拒收
    assert env.counts["434567812349071"] == 1  # 已签收
    assert env.counts["DPK300012345678"] == 1  # 退回
    # --refresh asks final ones again
    assert run("track", src, "--now", "2025-06-10T13:20", "--quiet", "--refresh") == 0
    assert env.counts["434567812349071"] == 2


def test_in_place_run_keeps_a_backup_and_the_gbk_encoding(env, tmp_path, capsys):
    src = write_csv(tmp_path / "登记.csv")
    original = src.read_bytes()
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    backups = list(tmp_path.glob("登记.bak-*.csv"))
    assert len(backups) == 1 and backups[0].read_bytes() == original
    src.read_bytes().decode("gbk")  # still GBK, as Excel on a Chinese Windows saved it
    assert "已备份" in capsys.readouterr().out


def test_wrong_key_exits_2_with_one_line_and_leaves_the_file(env, tmp_path, monkeypatch, capsys):
    src = write_csv(tmp_path / "in.csv")
    original = src.read_bytes()
    wrong = "WrongKey-77aa66bb"
    monkeypatch.setenv("KUAIDI100_KEY", wrong)
    assert run("track", src, "--now", "2025-06-10T12:00") == 2
    captured = capsys.readouterr()
    assert captured.err.strip().count("\n") == 0 and "503" in captured.err
    assert wrong not in captured.err + captured.out and env.key not in captured.err + captured.out
    assert src.read_bytes() == original
    assert sum(env.counts.values()) == 0
    assert len(env.requests) <= 4  # stopped at once (at most the requests already under way)


def test_expired_account_exits_2(env, tmp_path, capsys):
    env.expired = True
    src = write_csv(tmp_path / "in.csv")
    assert run("track", src, "--now", "2025-06-10T12:00") == 2
    assert "601" in capsys.readouterr().err


def test_the_key_is_never_in_the_workbook_the_output_or_the_cache(env, tmp_path, capsys):
    src = write_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    assert run("track", src, "--out", out, "--now", "2025-06-10T12:00") == 0
    captured = capsys.readouterr()
    for blob in (out.read_bytes().decode("gbk"), captured.out, captured.err,
                 *(p.read_text(encoding="utf-8") for p in (tmp_path / "cache").rglob("*"))):
        assert env.key not in blob and env.customer not in blob


def test_missing_credentials_say_where_to_put_them(env, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("KUAIDI100_KEY")
    src = write_csv(tmp_path / "in.csv")
    assert run("track", src, "--now", "2025-06-10T12:00") == 2
    err = capsys.readouterr().err
    assert "KUAIDI100_KEY" in err and err.count("\n") == 1


def test_credentials_from_the_user_config_file(env, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("KUAIDI100_KEY")
    monkeypatch.delenv("KUAIDI100_CUSTOMER")
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "kuaidi100.json").write_text(json.dumps({"customer": env.customer, "key": env.key}), encoding="utf-8")
    src = write_csv(tmp_path / "in.csv")
    assert run("track", src, "--out", tmp_path / "o.csv", "--now", "2025-06-10T12:00", "--quiet") == 0
    assert sum(env.counts.values()) == 13


def test_config_path_follows_the_platform_conventions(tmp_path):
    assert config_path({"REFUND_XL_CONFIG_DIR": str(tmp_path)}) == tmp_path / "kuaidi100.json"
    assert config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "refund_xl" / "kuaidi100.json"
    creds = load_credentials({"KUAIDI100_CUSTOMER": "C", "KUAIDI100_KEY": "secretkey", "REFUND_XL_CONFIG_DIR": str(tmp_path)})
    assert "secretkey" not in repr(creds) and "secretkey" not in str(creds)


@pytest.fixture
def quick_backoff(monkeypatch):
    """The command line's client with a 10 ms backoff (the retries, not the waiting, are under test)."""
    import functools

    import refund_xl._courier as courier

    monkeypatch.setattr(courier, "Limits", functools.partial(courier.Limits, backoff=0.01))


def test_server_errors_are_retried_with_backoff(env, tmp_path, capsys, quick_backoff):
    env.flaky["75234220267368"] = 2  # two 502s, then the answer
    src = write_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    assert run("track", src, "--out", out, "--now", "2025-06-10T12:00", "--quiet") == 0
    rows = {r["订单号"]: r for r in read_csv(out)}
    assert rows["4177034256340093436"]["物流状态"] == "运输中"


def test_a_server_that_keeps_failing_leaves_the_row_and_waits_its_30_minutes(env, tmp_path, capsys, quick_backoff):
    env.flaky["75234220267368"] = 99
    src = write_csv(tmp_path / "in.csv")
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    rows = {r["订单号"]: r for r in read_csv(src)}
    assert rows["4177034256340093436"]["物流状态"] == "" and "服务器错误" in rows["4177034256340093436"]["物流备注"]
    asked = len(env.requests)
    env.flaky["75234220267368"] = 0
    assert run("track", src, "--now", "2025-06-10T12:10", "--quiet") == 0  # the server saw it: not again yet
    assert len(env.requests) == asked
    assert run("track", src, "--now", "2025-06-10T12:31", "--quiet") == 0
    assert {r["订单号"]: r for r in read_csv(src)}["4177034256340093436"]["物流状态"] == "运输中"


def test_a_server_never_reached_may_be_asked_again_at_once(tmp_path, monkeypatch, capsys, quick_backoff):
    src = write_csv(tmp_path / "in.csv")
    with StandIn() as srv:
        creds = srv.env()
    # the stand-in is gone: nothing listens at its address any more
    for k, v in creds.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("REFUND_XL_CACHE_DIR", str(tmp_path / "cache"))
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    rows = {r["订单号"]: r for r in read_csv(src)}
    assert "无法连接" in rows["4177034256340093436"]["物流备注"]
    from refund_xl._courier.account import account_id, cache_path, load_cache
    assert load_cache(cache_path(), account_id(load_credentials())) == {}


def test_a_desk_adds_a_carrier_in_a_codes_file(env, tmp_path, capsys):
    env.parcel("TM88990011", "tianma", "0", "1002", [(t(3), "【郑州市】运输中")])
    codes = tmp_path / "codes.csv"
    codes.write_text("快递公司,编码\n天马快递,tianma\n", encoding="utf-8")
    src = write_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    assert run("track", src, "--out", out, "--now", "2025-06-10T12:00", "--carriers", codes, "--quiet") == 0
    assert {r["订单号"]: r for r in read_csv(out)}["3809008221029384755"]["物流状态"] == "运输中"


def test_a_utf8_csv_without_the_state_columns_gets_them_added(env, tmp_path, capsys):
    head = ["订单号", "售后类型", "退款金额", "发货状态", "快递公司", "快递单号", "售后状态"]
    rows = [["4177034256340093436", "仅退款", "59", "已发货", "中通快递", "75234220267368", "处理中"]]
    src = write_csv(tmp_path / "u.csv", rows, head, encoding="utf-8-sig")
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    got = read_csv(src, "utf-8-sig")
    assert list(got[0]) == head + ["物流状态", "物流更新时间", "物流备注"]
    assert got[0]["物流状态"] == "运输中" and got[0]["快递单号"] == "75234220267368"


def test_the_cli_runs_as_a_process(env, tmp_path):
    src = write_csv(tmp_path / "in.csv")
    proc = subprocess.run([sys.executable, "-m", "refund_xl.cli", "track", str(src), "--out", str(tmp_path / "o.csv"),
                           "--now", "2025-06-10T12:00"], capture_output=True, text=True, timeout=60,
                          env={**__import__("os").environ})
    assert proc.returncode == 0, proc.stderr
    assert "查询 13 个单号" in proc.stdout and "查询物流 13/13" in proc.stderr


# ------------------------------------------------------------------ the pieces

@pytest.mark.parametrize("state,sub,word", [
    ("0", "1002", "运输中"), ("0", "1001", "运输中"), ("0", "1003", "运输中"), ("0", None, "运输中"),
    ("1", "103", "已揽收"), ("1", "102", "未揽收"), ("1", "101", "未揽收"), ("1", None, "已揽收"),
    ("2", "202", "异常"), ("2", "208", "异常"), ("2", "209", "异常"), ("2", "204", "异常"), ("2", "203", "拒收"),
    ("2", "205", "已签收"), ("3", "304", "已签收"), ("3", "303", "已签收"), ("3", "301", "已签收"),
    ("5", "501", "已签收"), ("5", None, "派送中"), ("4", None, "退回"), ("6", None, "退回"), ("14", None, "拒收"),
    ("7", None, "运输中"), ("13", None, "异常"), ("3", "399", "已签收"), ("1002", None, "运输中"),
    ("304", None, "已签收"), ("99", None, None), ("", "", None), (None, None, None), ("在途", None, None),
])
def test_state_and_sub_state_to_the_sop_word(state, sub, word):
    assert word_of(state, sub)[0] == word


@pytest.mark.parametrize("code,name", sorted(trace_codes.CODE_NAME.items()))
def test_a_state_s_name_in_the_sheet_reads_as_its_code_does(code, name):
    """物流状态「到达派件城市」, 「超时未更新」, 「柜或驿站超时未取」: Kuaidi100's states by name, as its pages and some ERPs
    show them, read as the word `refund-xl track` writes for the state's code (one table, no second reading)."""
    assert FIELD_BY_KEY["logistics"].parse(name) == word_of(code)[0], name


@pytest.mark.parametrize("answer", [None, [], "ok", {"state": None}, {"state": "0", "data": "x"},
                                    {"state": "0", "data": [None, 3, {"time": 5}]}, {"state": {"a": 1}}])
def test_a_malformed_answer_never_crashes(answer):
    r = reading_of(answer)
    assert r.word is None or r.word in track.WORDS


def test_the_newest_trace_is_found_whatever_the_order():
    r = reading_of({"state": "0", "data": [{"ftime": "2025-06-08 10:00:00", "context": "旧"},
                                             {"ftime": "2025-06-09 11:30:00", "context": "新", "statusCode": "1002"}]})
    assert r.updated == datetime(2025, 6, 9, 11, 30) and r.text == "新" and r.word == "运输中"


@pytest.mark.parametrize("name,code", [
    ("中通快递", "zhongtong"), ("中通", "zhongtong"), ("ZTO", "zhongtong"), ("zto", "zhongtong"),
    (" 圆通速递 ", "yuantong"), ("申通快递", "shentong"), ("韵达", "yunda"), ("顺丰速运", "shunfeng"),
    ("SF", "shunfeng"), ("极兔速递", "jtexpress"), ("邮政快递包裹", "youzhengguonei"), ("EMS", "ems"),
    ("京东物流", "jd"), ("德邦快递", "debangkuaidi"), ("ＺＴＯ", "zhongtong"), ("中通快递有限公司", "zhongtong"),
    ("zhongtong", "zhongtong"), ("中通快递(ZTO)", "zhongtong"), ("中通快递（ZTO）", "zhongtong"),
    ("圆通快递有限公司", "yuantong"), ("天马快递", None), ("快递", None), ("", None), (None, None),
])
def test_carrier_names_to_company_codes(name, code):
    assert carrier_code(name, carrier_table()) == code


def test_a_desks_table_wins_over_the_built_in_names():
    assert carrier_code("百世快递", carrier_table({"百世快递": "huitongkuaidi"})) == "huitongkuaidi"


@pytest.mark.parametrize("value,tail", [("138****6621", "6621"), ("13800136621", "6621"), ("尾号6621", "6621"),
                                        (13800136621.0, "6621"), ("6621", "6621"), ("662", None), ("", None),
                                        (None, None)])
def test_phone_tail(value, tail):
    assert phone_tail(value) == tail


def test_the_sign_is_over_the_exact_param_sent():
    q = Query("shunfeng", "SF1409876543210", "6621")
    p = param_text(q)
    assert p == '{"com":"shunfeng","num":"SF1409876543210","phone":"6621","resultv2":"4","show":"0","order":"desc"}'
    import hashlib
    assert sign(p, "KEY", "CUST") == hashlib.md5((p + "KEY" + "CUST").encode()).hexdigest().upper()


def _client(handler, **kw):
    """A client over the in-memory transport; ``handler(form)`` answers like the server would."""
    transport = MemoryTransport(lambda request: handler(dict(request.form)))
    client = Kuaidi100(Credentials("CUST", "KEY", "http://stand.in/q"), transport, limits=Limits(**kw),
                       sleep=lambda s: None)
    return client, transport


def _nu(form) -> str:
    return json.loads(form["param"])["num"]


def test_the_memory_stand_in_checks_the_form():
    def handler(form):
        p = form["param"]
        assert form["sign"] == sign(p, "KEY", "CUST") and form["customer"] == "CUST"
        return 200, {"message": "ok", "nu": _nu(form), "state": "3",
                     "data": [{"ftime": "2025-06-09 10:00:00", "context": "已签收", "statusCode": "301"}]}
    client, transport = _client(handler)
    r = client.query(Query("zhongtong", "75234220267368"))
    assert r.word == "已签收" and len(transport.calls) == 1


def test_retries_are_bounded_and_back_off():
    waits = []

    def handler(form):
        return 502, b"bad gateway"
    transport = MemoryTransport(lambda request: handler(request.form))
    client = Kuaidi100(Credentials("CUST", "KEY"), transport, sleep=waits.append, limits=Limits(retries=2, backoff=0.5))
    r = client.query(Query("zhongtong", "1"))
    assert not r.ok and len(transport.calls) == 3 and waits == [0.5, 1.0]
    assert r.queried_at is not None  # the server answered: the query counts for the 30-minute rule


def test_a_transport_failure_is_a_row_reason():
    def handler(form):
        raise TransportError("无法连接（ConnectionRefusedError）")
    client, transport = _client(handler, retries=1)
    r = client.query(Query("zhongtong", "1"))
    assert not r.ok and "无法连接" in r.text


@pytest.mark.parametrize("code,text", [("400", "快递公司"), ("408", "手机号"), ("500", "查询无结果"), ("777", "777")])
def test_row_level_error_codes(code, text):
    client, _ = _client(lambda form: (200, {"result": False, "returnCode": code, "message": "x"}))
    r = client.query(Query("zhongtong", "1"))
    assert not r.ok and text in r.text and r.code == code


def test_query_many_stops_starting_requests_after_an_auth_error():
    n = {"calls": 0}

    def handler(form):
        n["calls"] += 1
        return 200, {"result": False, "returnCode": "601", "message": "expired"}
    client, _ = _client(handler, workers=2)
    with pytest.raises(AuthError):
        list(client.query_many([Query("zhongtong", str(i)) for i in range(50)]))
    assert n["calls"] <= 2


def test_query_many_limits_concurrency():
    import threading
    import time as _time
    live, peak, lock = [0], [0], threading.Lock()

    def handler(form):
        with lock:
            live[0] += 1
            peak[0] = max(peak[0], live[0])
        _time.sleep(0.01)
        with lock:
            live[0] -= 1
        return 200, {"message": "ok", "nu": _nu(form), "state": "0", "data": []}
    client, transport = _client(handler, workers=3)
    got = dict(client.query_many([Query("zhongtong", str(i)) for i in range(20)]))
    assert len(got) == 20 and peak[0] <= 3 and len(transport.calls) == 20 and all(r.ok for r in got.values())


def test_the_core_imports_no_host_library_and_no_network():
    code = ("import sys, refund_xl._app.track, refund_xl._app.track_run; "
            "print(','.join(m for m in ('xlwings','openpyxl','xlsxwriter','python_calamine','urllib.request',"
            "'http.client','socket') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "", out.stdout + out.stderr


# ------------------------------------------------------------------ workbooks (the safe-write path)

def _xlsx(path: Path, rows=ROWS, headers=HEAD, extra_sheets=None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(headers)
    for r in rows:
        ws.append([None if v == "" else v for v in r])
    for r in range(2, len(rows) + 2):
        ws.cell(r, 1).number_format = "@"
    ws.cell(2, len(headers)).value = '=HYPERLINK("https://example.com/t/1","工单")'
    for name, table in (extra_sheets or {}).items():
        sheet = wb.create_sheet(name)
        for row in table:
            sheet.append(row)
    wb.save(path)
    return path


def test_an_xlsx_gets_only_its_logistics_cells_changed(env, tmp_path, capsys):
    from openpyxl import load_workbook

    src = _xlsx(tmp_path / "登记.xlsx", extra_sheets={"快递公司编码": [["快递公司", "编码"], ["天马快递", "tianma"]]})
    env.parcel("TM88990011", "tianma", "0", "1002", [(t(3), "【郑州市】运输中")])
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    assert list(tmp_path.glob("登记.bak-*.xlsx"))
    wb = load_workbook(src)
    ws = wb["售后登记"]
    head = [c.value for c in ws[1]]
    assert head == HEAD + ["物流备注"]
    at = {h: i + 1 for i, h in enumerate(head)}
    by_order = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    r = by_order["4177034256340093436"]
    assert ws.cell(r, at["物流状态"]).value == "运输中"
    assert ws.cell(r, at["物流更新时间"]).value == NOW - timedelta(hours=75)
    assert ws.cell(r, at["物流更新时间"]).is_date
    assert ws.cell(2, len(HEAD)).value.startswith("=HYPERLINK(")  # the staff formula survives
    assert ws.cell(by_order["3809008221029384755"], at["物流状态"]).value == "运输中"  # the book's own code table
    assert ws.cell(by_order["4900018311029384756"], at["物流备注"]).value is None  # closed: untouched
    assert [row for row in wb["快递公司编码"].values] == [("快递公司", "编码"), ("天马快递", "tianma")]


def test_the_template_keeps_its_macros_and_ribbon(env, tmp_path, capsys):
    import shutil
    import zipfile

    book = tmp_path / "售后助手.xlsm"
    shutil.copy(Path(__file__).resolve().parents[1] / "workbook_template.xlsm", book)
    with zipfile.ZipFile(book) as z:
        before = {n: z.read(n) for n in ("xl/vbaProject.bin", "customUI/customUI14.xml")}
    out = tmp_path / "tracked.xlsm"
    assert run("track", book, "--out", out, "--now", "2025-06-10T12:00", "--quiet") == 0
    with zipfile.ZipFile(out) as z:
        assert {n: z.read(n) for n in before} == before


def test_a_wrong_key_leaves_an_xlsx_byte_identical(env, tmp_path, monkeypatch, capsys):
    src = _xlsx(tmp_path / "in.xlsx")
    original = src.read_bytes()
    monkeypatch.setenv("KUAIDI100_KEY", "nope-nope")
    assert run("track", src, "--now", "2025-06-10T12:00") == 2
    assert src.read_bytes() == original and not list(tmp_path.glob("in.bak-*"))


def test_a_service_that_is_down_is_given_up_on_quickly():
    def handler(form):
        raise TransportError("ConnectionRefusedError")
    client, transport = _client(handler, retries=1, workers=2, give_up_after=4)
    got = dict(client.query_many([Query("zhongtong", str(i)) for i in range(100)]))
    assert len(got) == 100 and not any(r.ok for r in got.values())
    assert len(transport.calls) <= 2 * (4 + 2)  # a few queries (with their retry), not 100
    assert sum("未查询" in r.text for r in got.values()) >= 90


# ------------------------------------------------------------------ docs/track.md: every command runs

DOC = Path(__file__).resolve().parents[1] / "docs" / "track.md"


def _blocks(lang: str) -> list[str]:
    import re
    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_every_command_in_the_track_doc_runs(env, tmp_path, monkeypatch, capsys):
    import shlex

    monkeypatch.chdir(tmp_path)
    _xlsx(tmp_path / "售后登记.xlsx")
    write_csv(tmp_path / "售后登记.csv")
    (tmp_path / "快递公司编码.csv").write_text("快递公司,编码\n天马快递,tianma\n", encoding="utf-8")
    env.parcel("TM88990011", "tianma", "0", "1002", [(t(3), "【郑州市】运输中")])
    lines = [ln.strip() for block in _blocks("bash") for ln in block.splitlines() if ln.strip()]
    commands = [ln for ln in lines if ln.startswith("refund-xl ")]
    assert len(commands) >= 6 and all(ln.startswith(("refund-xl ", "export ")) for ln in lines)
    for ln in lines:
        if ln.startswith("export "):
            name = ln.split()[1].split("=")[0]
            monkeypatch.setenv(name, env.env()[name])  # the doc's placeholder → the stand-in's account
            continue
        assert main(shlex.split(ln)[1:]) == 0, (ln, capsys.readouterr().err)
    assert (tmp_path / "判定结果.xlsx").exists() and (tmp_path / "售后登记-物流.xlsx").exists()
    # the config file example is a file load_credentials reads
    monkeypatch.delenv("KUAIDI100_KEY")
    (json_block,) = _blocks("json")
    data = json.loads(json_block)
    assert set(data) == {"customer", "key"}
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    (folder / "kuaidi100.json").write_text(json_block.replace("你的key", "K2"), encoding="utf-8")
    assert load_credentials().key == "K2"


def test_answers_of_one_account_or_endpoint_do_not_serve_another(env, tmp_path, monkeypatch, capsys):
    src = write_csv(tmp_path / "in.csv")
    assert run("track", src, "--out", tmp_path / "a.csv", "--now", "2025-06-10T12:00", "--quiet") == 0
    with StandIn(customer="OTHERSHOP02", key="another-key-11") as other:
        serve_every_state(other)
        for k, v in other.env().items():
            monkeypatch.setenv(k, v)
        assert run("track", src, "--out", tmp_path / "b.csv", "--now", "2025-06-10T12:05", "--quiet") == 0
        assert sum(other.counts.values()) == 13
    cache_text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "cache").rglob("*.json"))
    assert "OTHERSHOP02" not in cache_text and env.customer not in cache_text


@pytest.mark.parametrize("answer,text", [
    ({"result": "false", "returnCode": 500, "message": "查询无结果"}, "查询无结果"),
    ({"status": "400", "returnCode": "701", "message": "参数不合法"}, "701"),
])
def test_error_answers_in_other_shapes_are_row_reasons(answer, text):
    client, _ = _client(lambda form: (200, answer))
    r = client.query(Query("zhongtong", "1"))
    assert not r.ok and text in r.text
    assert "参数不合法" not in r.text  # the server's own message is never copied: our words only


def test_sub_state_in_the_top_level_state_and_traces_oldest_first():
    client, _ = _client(lambda form: (200, {"message": "ok", "nu": "1", "state": "304", "status": "200", "data": [
        {"time": "2025-06-08 08:00:00", "context": "派送中"},
        {"time": "2025-06-09 18:20:00", "context": "已放入快递柜"}]}))
    r = client.query(Query("zhongtong", "1"))
    assert r.word == "已签收" and r.updated == datetime(2025, 6, 9, 18, 20) and r.text == "已放入快递柜"


def test_a_second_run_on_an_xlsx_changes_nothing(env, tmp_path, capsys):
    src = _xlsx(tmp_path / "in.xlsx")
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    after = src.read_bytes()
    assert run("track", src, "--now", "2025-06-10T12:10", "--quiet") == 0
    assert src.read_bytes() == after and len(list(tmp_path.glob("in.bak-*.xlsx"))) == 1
    assert "无需更新" in capsys.readouterr().out


def test_a_taobao_export_is_tracked_from_its_waybill_column(env, tmp_path, capsys):
    head = ["订单编号", "退款编号", "买家退款金额", "是否需要退货", "退款的申请时间", "退款状态", "货物状态", "发货物流信息"]
    rows = [["4242994886263078938", "184930021123", "59.00", "否", "2025-06-08 10:00:00",
             "买家已经申请退款，等待卖家同意", "买家未收到货", "中通快递 75234220267368：【杭州市】快件已发往 广州转运中心"]]
    src = write_csv(tmp_path / "淘宝退款.csv", rows, head)
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    got = read_csv(src)
    assert got[0]["物流状态"] == "运输中" and got[0]["物流更新时间"] == t(75)
    assert env.counts["75234220267368"] == 1


def test_a_workbooks_value_mapping_is_honoured(env, tmp_path, capsys):
    from openpyxl import load_workbook

    rows = [list(r) for r in ROWS]
    rows[0][16] = "进行中ABC"  # a desk's own word for an open case
    src = _xlsx(tmp_path / "v.xlsx", rows, extra_sheets={"值映射": [["字段", "原值", "标准值"],
                                                                 ["售后状态", "进行中ABC", "处理中"]]})
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    assert env.counts["75234220267368"] == 1
    ws = load_workbook(src)["售后登记"]
    assert ws.cell(2, HEAD.index("物流状态") + 1).value == "运输中"


def test_a_slow_answer_times_out_as_a_row_reason(env):
    env.slow["75234220267368"] = 1.5
    client = Kuaidi100(Credentials(env.customer, env.key, env.url), limits=Limits(request_timeout=0.3, retries=1),
                       sleep=lambda s: None)
    got = dict(client.query_many([Query("zhongtong", "75234220267368"), Query("yuantong", "YT7512349087766")]))
    slow, fast = got[Query("zhongtong", "75234220267368")], got[Query("yuantong", "YT7512349087766")]
    assert not slow.ok and "超时" in slow.text and slow.queried_at is None
    assert fast.word == "拒收"


def test_a_backend_that_only_gives_server_errors_is_given_up_on(env, tmp_path, capsys):
    for num in ("75234220267368", "YT7512349087766", "434567812349071", "773289104551230", "JT5309871234567",
                "9876543210987", "SF1409876543210", "JDX000123456789", "DPK300012345678", "75234220269999",
                "YT7512340000001", "434567800000001", "YT7512340000009"):
        env.flaky[num] = 99
    client = Kuaidi100(Credentials(env.customer, env.key, env.url), limits=Limits(retries=1, workers=1, give_up_after=3),
                       sleep=lambda s: None)
    queries = [Query("zhongtong", "75234220267368"), Query("yuantong", "YT7512349087766"),
               Query("yunda", "434567812349071"), Query("shentong", "773289104551230"),
               Query("jtexpress", "JT5309871234567"), Query("ems", "9876543210987")]
    got = dict(client.query_many(queries))
    assert len(got) == 6 and len(env.requests) == 3 * 2  # three queries (each with its retry), then stop


@pytest.mark.parametrize("args,words", [
    (["missing.csv"], "找不到文件"),
    (["in.csv", "--out", "out.xlsx"], "同类型"),
    (["in.txt"], "不支持"),
    (["in.csv", "--now", "明天"], "--now"),
])
def test_bad_invocations_are_one_line(env, tmp_path, monkeypatch, capsys, args, words):
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "in.csv")
    (tmp_path / "in.txt").write_text("x", encoding="utf-8")
    assert run("track", *args) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and sum(env.counts.values()) == 0


# ------------------------------------------------------------------ the pure core: rows + answers → cells

def _plan(rows, headers=HEAD, **kw):
    return track.plan(rows, headers, now=NOW, **kw)


def test_plan_skips_closed_final_and_lost_rows_and_refresh_brings_final_back():
    rows = [list(ROWS[0]), list(ROWS[0]), list(ROWS[0]), list(ROWS[0])]
    rows[1][0], rows[1][7], rows[1][9] = "1", "N1", "丢件"
    rows[2][0], rows[2][7], rows[2][9] = "2", "N2", "已签收"
    rows[3][0], rows[3][7], rows[3][16] = "3", "N3", "已完结"
    assert [q.num for q in _plan(rows).to_send] == ["75234220267368"]
    assert [q.num for q in _plan(rows, refresh=True).to_send] == ["75234220267368", "N1", "N2"]


def test_plan_uses_a_fresh_cache_and_asks_again_after_30_minutes():
    q = ("zhongtong", "75234220267368")
    fresh = {q: track.Reading("运输中", NOW, "在途", "1002", NOW - timedelta(minutes=29))}
    stale = {q: track.Reading("运输中", NOW, "在途", "1002", NOW - timedelta(minutes=31))}
    signed = {q: track.Reading("已签收", NOW, "签收", "301", NOW - timedelta(days=2))}
    assert _plan([ROWS[0]], cache=fresh).to_send == [] and len(_plan([ROWS[0]], cache=fresh).known) == 1
    assert len(_plan([ROWS[0]], cache=stale).to_send) == 1
    assert _plan([ROWS[0]], cache=signed).to_send == []
    assert len(_plan([ROWS[0]], cache=signed, refresh=True).to_send) == 1


def test_a_408_is_asked_again_once_the_phone_is_fixed():
    row = list(ROWS[6])  # SF, phone 138****6621
    q = ("shunfeng", "SF1409876543210")
    wrong = {q: track.failed("手机号与运单不符（408）", "408", NOW - timedelta(minutes=5), "0000")}
    assert len(_plan([row], cache=wrong).to_send) == 1
    same = {q: track.failed("手机号与运单不符（408）", "408", NOW - timedelta(minutes=5), "6621")}
    assert _plan([row], cache=same).to_send == []


def test_apply_never_writes_the_interception_cell_and_keeps_unanswered_rows():
    rows = [list(ROWS[9]), list(ROWS[8])]  # 德邦 under 拦截中; 京东 unanswered
    p = _plan(rows)
    answers = {p.to_send[0]: track.Reading("退回", NOW - timedelta(hours=8), "拦截成功，快件退回寄件人", "6", NOW),
               p.to_send[1]: track.failed("查询无结果（500）", "500", NOW)}
    done = track.apply(p, answers)
    updates, counts = done.updates, done.counts
    keys = {k for (_r, k) in updates}
    assert "intercept" not in keys
    assert updates[(0, "logistics")] == "退回" and updates[(0, "track_note")].startswith("建议拦截成功｜")
    assert done.proposals[0].word == "拦截成功" and 1 not in done.proposals
    assert (1, "logistics") not in updates and (1, "last_update") not in updates
    assert "查询无结果" in updates[(1, "track_note")]
    assert counts == {"updated": 1, "unanswered": 1, "skipped": 0, "intercept_check": 1, "older": 0}
