"""`track` trusts the wire less (issue 19): every failure reproduced the way it failed, against
local servers on 127.0.0.1 that misbehave on purpose — one trickling a byte every few seconds,
one redirecting to another host, one echoing the request, one answering for another number,
one sending Retry-After: 3600 — and a real `refund-xl track` process stopped by SIGINT/SIGTERM."""

from __future__ import annotations

import _thread
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from refund_xl._app import track
from refund_xl._app.track import Query, safe_text
from refund_xl._courier import Credentials, HttpTransport, Kuaidi100, Limits, MemoryTransport
from refund_xl._courier.account import cache_path
from refund_xl._courier.protocol import retry_after

from helpers import cli as run
from kuaidi_standin import StandIn
from test_track import ROWS, _xlsx, read_csv, serve_every_state, t, write_csv

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = [r[7] for r in ROWS]


@pytest.fixture
def srv():
    """The stand-in of test_track, answering every state (each test makes it misbehave its own way)."""
    with StandIn() as server:
        serve_every_state(server)
        yield server


@pytest.fixture
def use(monkeypatch, tmp_path):
    """Point the run at a stand-in (its account, endpoint) and a private cache in tmp_path."""
    def point(server: StandIn, **extra: str) -> dict[str, str]:
        env = {**server.env(), "REFUND_XL_CACHE_DIR": str(tmp_path / "cache"),
               "REFUND_XL_CONFIG_DIR": str(tmp_path / "config"), **extra}
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        return env
    return point


def client(server: StandIn, **limits) -> Kuaidi100:
    return Kuaidi100(Credentials(server.customer, server.key, server.url), HttpTransport(), limits=Limits(**limits),
                     sleep=lambda s: None)


# ------------------------------------------------------------------ deadlines

def test_a_trickling_answer_is_cut_off_at_the_whole_request_deadline(srv):
    srv.trickle = 0.25  # each byte well within any per-read timeout: only a whole-request deadline ends it
    c = client(srv, request_timeout=1.0, retries=0)
    t0 = time.monotonic()
    reading = c.query(Query("zhongtong", "75234220267368"))
    took = time.monotonic() - t0
    assert not reading.ok and "应答超时" in reading.text and "1 秒" in reading.text
    assert 0.9 <= took < 1.8, took
    assert reading.queried_at is None  # no answer was read: the number may be asked again


def test_the_run_deadline_ends_a_run_against_a_trickling_server(srv, use, tmp_path, capsys):
    srv.trickle = 0.3
    use(srv)
    src = write_csv(tmp_path / "in.csv")
    t0 = time.monotonic()
    assert run("track", src, "--now", "2025-06-10T12:00", "--max-time", "2", "--quiet") == 0
    assert time.monotonic() - t0 < 5
    rows = {r["订单号"]: r for r in read_csv(src)}
    stalled = rows["4177034256340093436"]
    assert stalled["物流状态"] == ""  # nothing was read: the cell is left as it was
    assert "超时" in stalled["物流备注"] or "时限" in stalled["物流备注"]
    assert all(("超时" in r["物流备注"] or "时限" in r["物流备注"]) for r in rows.values() if r["物流备注"]
               and r["快递公司"] not in ("天马快递", "顺丰") and r["售后状态"] != "已关闭")
    assert "查到 0 项" in capsys.readouterr().out


def test_ctrl_c_in_the_run_stops_it_at_once_and_shuts_the_sockets(srv):
    srv.trickle = 2.0
    transport = HttpTransport()
    c = Kuaidi100(Credentials(srv.customer, srv.key, srv.url), transport, limits=Limits(workers=3))
    threading.Timer(0.6, _thread.interrupt_main).start()  # a Ctrl+C in the middle of three stuck requests
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        list(c.query_many([Query("zhongtong", n) for n in ("75234220267368", "1", "2", "3")]))
    assert time.monotonic() - t0 < 1.5
    deadline = time.monotonic() + 1.0
    while transport._live and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not transport._live  # every socket under way was shut: no thread keeps the server waiting


def _signalled(signum: int, tmp_path: Path, srv: StandIn) -> tuple[subprocess.CompletedProcess, float, bytes]:
    """A `refund-xl track` process on a fresh book, sent ``signum`` mid-run: (its end, seconds to end, the
    book's bytes before)."""
    book = _xlsx(tmp_path / "售后登记.xlsx")
    original = book.read_bytes()
    env = {**os.environ, **srv.env(), "REFUND_XL_CACHE_DIR": str(tmp_path / "cache"),
           "REFUND_XL_CONFIG_DIR": str(tmp_path / "config"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "refund_xl.cli", "track", str(book), "--now", "2025-06-10T12:00"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    waited = time.monotonic() + 30
    while len(srv.requests) < 8 and time.monotonic() < waited:  # the run is in the middle of its queries
        time.sleep(0.05)
    assert srv.requests, "the run never reached the stand-in"
    time.sleep(0.3)
    t0 = time.monotonic()
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=20)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), time.monotonic() - t0, original


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals (Ctrl+C on Windows is the in-process test above)")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_ends_a_track_process_at_once_and_the_book_is_byte_identical(signum, srv, tmp_path):
    srv.trickle = 2.0  # one byte every 2 s: the hang of issue 19
    srv.trickle_only = {"YT7512349087766", "434567812349071", "773289104551230"}  # three workers stuck, one free
    done, took, original = _signalled(signum, tmp_path, srv)
    assert took < 2.5, took
    assert done.returncode == 130, done.stderr
    line = done.stderr.strip()
    assert line.count("\n") == 0 and "已中断" in line and "工作簿未改动" in line and "Traceback" not in done.stderr
    assert (tmp_path / "售后登记.xlsx").read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "售后登记.xlsx"]  # no backup, temp or lock left
    # what was answered before the signal is in the private cache: the next run does not ask it again
    cache = json.loads(cache_path({"REFUND_XL_CACHE_DIR": str(tmp_path / "cache")}).read_text(encoding="utf-8"))
    (entries,) = cache["accounts"].values()
    answered = {k.split(":", 1)[1] for k in entries}
    assert answered and not answered & srv.trickle_only


# ------------------------------------------------------------------ what comes back is checked

def test_a_redirect_to_another_host_is_never_followed(srv, use, tmp_path, capsys):
    with StandIn() as other:  # everything there is "signed for": believing it would change refunds
        for num in NUMBERS:
            for com in ("zhongtong", "yuantong", "yunda", "shentong", "jtexpress", "youzhengguonei", "jd",
                        "debangkuaidi", "shunfeng"):
                other.parcel(num, com, "3", "301", [(t(1), "已签收，签收人：本人")])
        srv.redirect_to = other.url.replace("127.0.0.1", "localhost")
        use(srv)
        src = write_csv(tmp_path / "in.csv")
        assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
        assert other.requests == []
    rows = {r["订单号"]: r for r in read_csv(src)}
    assert all(r["物流状态"] != "已签收" or r["订单号"] in ("5001028401029384757",) for r in rows.values())
    assert "跳转" in rows["4177034256340093436"]["物流备注"] and "KUAIDI100_URL" in rows["4177034256340093436"]["物流备注"]
    assert len(srv.requests) <= 4  # the endpoint is broken: no more of our credentials sent there


@pytest.mark.parametrize("where", ["message", "trace"])
def test_an_echoing_server_gets_nothing_of_the_request_into_the_book(where, srv, use, tmp_path, capsys):
    srv.echo = where
    use(srv)
    src = write_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    assert run("track", src, "--out", out, "--now", "2025-06-10T12:00", "--quiet") == 0
    text = out.read_bytes().decode("gbk")
    signs = {f["sign"] for f in srv.requests}
    for secret in (srv.customer, srv.key, *signs, "customer=", "sign=", "param="):
        assert secret not in text
    rows = {r["订单号"]: r for r in read_csv(out)}
    assert "账号信息" in rows["4177034256340093436"]["物流备注"]
    assert rows["4177034256340093436"]["物流状态"] == ""
    assert len(srv.requests) <= 4  # not sent there again once it echoed


def test_an_answer_for_another_number_is_refused(srv, use, tmp_path, capsys):
    srv.other_nu = True
    use(srv)
    src = write_csv(tmp_path / "in.csv")
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    rows = {r["订单号"]: r for r in read_csv(src)}
    for order in ("4177034256340093436", "3926292249976602443", "2772680766427765326"):
        assert rows[order]["物流状态"] in ("", "运输中", "派送中") and rows[order]["物流更新时间"] in (
            "", "2025-06-08 10:00")
        assert "单号与查询的不符" in rows[order]["物流备注"]
    assert rows["4177034256340093436"]["物流状态"] == ""


def test_retry_after_beyond_the_run_is_honoured_not_retried_in_half_a_second(srv, use, tmp_path, capsys):
    srv.retry_after = "3600"
    use(srv)
    src = write_csv(tmp_path / "in.csv")
    t0 = time.monotonic()
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    assert time.monotonic() - t0 < 5
    asked = [json.loads(f["param"])["num"] for f in srv.requests]
    assert len(asked) == len(set(asked)) and len(asked) <= 4  # nobody asked twice; the rest not at all
    rows = {r["订单号"]: r for r in read_csv(src)}
    assert "60 分钟后再查询" in rows["4177034256340093436"]["物流备注"]
    assert rows["4177034256340093436"]["物流状态"] == ""


def test_retry_after_within_the_run_is_waited_for(srv):
    srv.retry_after, srv.retry_once = "1", True
    c = Kuaidi100(Credentials(srv.customer, srv.key, srv.url), HttpTransport(), limits=Limits(workers=1))
    reading = c.query(Query("zhongtong", "75234220267368"))
    assert reading.word == "运输中"
    first, second = srv.arrived[:2]
    assert second - first >= 0.95  # not the 0.5 s backoff: the server's own second


@pytest.mark.parametrize("value,seconds", [("120", 120.0), (" 5 ", 5.0), ("soon", None), ("", None), (None, None),
                                           ("Wed, 11 Jun 2025 12:00:00 GMT", 86400.0 + 8 * 3600)])
def test_retry_after_values(value, seconds):
    from datetime import datetime, timezone
    got = retry_after(value, datetime(2025, 6, 10, 12, 0, tzinfo=timezone.utc).astimezone(
        timezone.utc).replace(hour=4))
    assert got == seconds


# ------------------------------------------------------------------ the endpoint is checked first

@pytest.mark.parametrize("url", ["poll.kuaidi100.com/poll/query.do", "file:///etc/passwd", "ftp://x.example/q",
                                 "garbage", "http://", "https://:443/q", "http://host:port/q", "javascript:alert(1)",
                                 "http://exa mple.com/q"])
def test_an_endpoint_that_is_not_http_is_one_chinese_line(url, srv, use, tmp_path, capsys):
    use(srv, KUAIDI100_URL=url)
    src = write_csv(tmp_path / "in.csv")
    original = src.read_bytes()
    assert run("track", src, "--now", "2025-06-10T12:00") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "KUAIDI100_URL" in err and "http" in err and "Traceback" not in err
    example = "https://poll.kuaidi100.com/poll/query.do"
    assert url not in err.replace(example, "")  # the address is not repeated (it may hold secrets)
    assert src.read_bytes() == original and srv.requests == []


def test_an_endpoint_from_the_config_file_is_checked_too(srv, use, tmp_path, monkeypatch, capsys):
    use(srv)
    for k in ("KUAIDI100_URL", "KUAIDI100_KEY", "KUAIDI100_CUSTOMER"):
        monkeypatch.delenv(k)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "kuaidi100.json").write_text(
        json.dumps({"customer": srv.customer, "key": srv.key, "url": "file:///tmp/x"}), encoding="utf-8")
    assert run("track", write_csv(tmp_path / "in.csv"), "--now", "2025-06-10T12:00") == 2
    assert "KUAIDI100_URL" in capsys.readouterr().err


# ------------------------------------------------------------------ the cache is private

def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_the_cache_file_is_0600_in_a_0700_folder(srv, use, tmp_path, capsys):
    use(srv)
    old = os.umask(0o022)
    try:
        assert run("track", write_csv(tmp_path / "in.csv"), "--now", "2025-06-10T12:00", "--quiet") == 0
    finally:
        os.umask(old)
    cache = tmp_path / "cache" / "kuaidi100-cache.json"
    assert _mode(cache) == 0o600 and _mode(cache.parent) == 0o700
    assert not [p for p in cache.parent.iterdir() if p != cache]  # no temporary file left beside it


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_an_existing_open_cache_is_closed_down(srv, use, tmp_path, capsys):
    use(srv)
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    cache = folder / "kuaidi100-cache.json"
    cache.write_text('{"version": 2, "accounts": {}}', encoding="utf-8")
    os.chmod(cache, 0o644)
    src = write_csv(tmp_path / "in.csv")
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    assert _mode(cache) == 0o600 and _mode(folder) == 0o700
    # also when a run has nothing to ask (every number answered less than 30 minutes ago)
    os.chmod(cache, 0o644)
    os.chmod(folder, 0o755)
    assert run("track", src, "--now", "2025-06-10T12:05", "--quiet") == 0
    assert _mode(cache) == 0o600 and _mode(folder) == 0o700


# ------------------------------------------------------------------ server text into a cell

@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=120))
def test_courier_text_reaches_a_cell_bounded_inert_and_on_one_line(text, width):
    got = safe_text(text, width)
    assert len(got) <= width
    assert not any(unicodedata.category(ch)[0] == "C" for ch in got)
    assert "\n" not in got and "\r" not in got and "\t" not in got
    assert got[:1] not in ("=", "+", "-", "@")


def test_a_hostile_trace_is_cleaned_before_it_reaches_the_book(srv, use, tmp_path, capsys):
    srv.parcel("75234220267368", "zhongtong", "0", "1002",
               [(t(3), '=HYPERLINK("http://evil.example","点我")\r\n\x07\u202e快件已到达' + "很长" * 3000),
                ("2099-01-01 00:00:00", "未来的轨迹")])
    use(srv)
    src = write_csv(tmp_path / "in.csv", encoding="utf-8-sig")
    assert run("track", src, "--now", "2025-06-10T12:00", "--quiet") == 0
    row = {r["订单号"]: r for r in read_csv(src, "utf-8-sig")}["4177034256340093436"]
    note = row["物流备注"]
    assert note.startswith("＝HYPERLINK") and len(note) <= track.NOTE_WIDTH
    assert "\x07" not in note and "\u202e" not in note and "\n" not in note
    assert row["物流更新时间"] == t(3)  # a trace "from 2099" is not a time


def test_the_phone_digits_sent_are_not_echoed_into_a_cell():
    def handler(request):
        num = json.loads(request.form["param"])["num"]
        return 200, {"message": "ok", "nu": num, "state": "3", "data": [
            {"time": "2025-06-10 09:00:00", "context": "已签收，签收人：本人，电话 138****6621，取件码 6621", "statusCode": "301"}]}
    c = Kuaidi100(Credentials("CUSTOMER1", "KEY123456"), MemoryTransport(handler), sleep=lambda s: None)
    reading = c.query(Query("shunfeng", "SF1409876543210", "6621"))
    assert reading.word == "已签收" and "6621" not in reading.text and "＊＊＊＊" in reading.text


# ------------------------------------------------------------------ the protocol's checks, one by one

def _memory(handler, **limits):
    transport = MemoryTransport(handler)
    return Kuaidi100(Credentials("CUSTOMER1", "KEY123456"), transport, limits=Limits(**limits),
                     sleep=lambda s: None), transport


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_every_redirect_status_fails_the_query_and_stops_the_run(status):
    c, transport = _memory(lambda request: (status, b"", {"Location": "http://elsewhere.example/q"}), workers=1)
    got = dict(c.query_many([Query("zhongtong", str(n)) for n in range(5)]))
    assert not any(r.ok for r in got.values()) and all("跳转" in r.text for r in got.values())
    assert len(transport.calls) == 1


@pytest.mark.parametrize("said,ok", [("75234220267368", True), (75234220267368, True), (" 75234220267368 ", True),
                                     ("７５２３４２２０２６７３６８", True), ("75234220267369", False), (None, False),
                                     ("", False), (["75234220267368"], False), (True, False)])
def test_an_answer_counts_only_for_the_number_asked(said, ok):
    answer = {"message": "ok", "state": "0", "data": [{"time": "2025-06-10 09:00:00", "context": "运输中"}]}
    if said is not None:
        answer["nu"] = said
    c, _ = _memory(lambda request: (200, answer))
    reading = c.query(Query("zhongtong", "75234220267368"))
    assert reading.ok is ok
    if not ok:
        assert "单号与查询的不符" in reading.text


def test_a_number_is_compared_without_its_letter_case():
    c, _ = _memory(lambda request: (200, {"message": "ok", "nu": "sf1409876543210", "state": "0", "data": []}))
    assert c.query(Query("shunfeng", "SF1409876543210", "6621")).ok


def test_an_answer_too_large_to_be_one_is_refused(srv):
    srv.garbage("75234220267368", "zhongtong", b"[" * 10 + b"x" * 3_000_000)
    reading = client(srv, retries=0).query(Query("zhongtong", "75234220267368"))
    assert not reading.ok and "过大" in reading.text


def test_a_proxy_from_the_settings_gets_the_request_in_absolute_form(srv):
    proxy = srv.url.rsplit("/poll", 1)[0]
    transport = HttpTransport(proxies={"http": proxy})
    c = Kuaidi100(Credentials(srv.customer, srv.key, "http://kuaidi.example.invalid/poll/query.do"), transport,
                  sleep=lambda s: None)
    reading = c.query(Query("zhongtong", "75234220267368"))
    assert reading.word == "运输中"
    assert srv.paths == ["http://kuaidi.example.invalid/poll/query.do"]


def test_a_loopback_endpoint_never_goes_through_a_proxy(srv):
    transport = HttpTransport(proxies={"http": "http://127.0.0.1:9"})  # nothing listens there
    c = Kuaidi100(Credentials(srv.customer, srv.key, srv.url), transport, sleep=lambda s: None)
    assert c.query(Query("zhongtong", "75234220267368")).word == "运输中"
