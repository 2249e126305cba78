"""A stand-in Kuaidi100 实时查询 server on 127.0.0.1 for the tests (nothing reaches the internet).

It speaks the protocol of platforms.md: POST form customer/sign/param, the sign
checked over the exact param received, answers with state, sub-states
(statusCode, resultv2=4) and traces newest first, or ``result: false`` with a
returnCode.  It counts the queries per number.

    with StandIn(customer="C1", key="K1") as srv:
        srv.parcel("75234220267368", "zhongtong", "0", "1002", [("2025-06-07 09:00:00", "…")])
        env = srv.env()   # KUAIDI100_* for the run

And it misbehaves on demand, the way a captive portal, a bad proxy or a hostile endpoint does:

    srv.trickle = 2.0          # every answer sent one byte every 2 s (srv.trickle_only: these numbers only)
    srv.redirect_to = url      # every answer a 302 to another host
    srv.echo = "message"       # the request body echoed in the error message ("trace": in a trace)
    srv.other_nu = True        # an answer for another number than the one asked
    srv.retry_after = "3600"   # 429 Too Many Requests with Retry-After (once per number, or always)
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KNOWN = {"zhongtong", "yuantong", "shentong", "yunda", "shunfeng", "jtexpress", "youzhengguonei", "ems", "jd",
         "debangkuaidi"}


class StandIn:
    def __init__(self, customer: str = "TESTCUSTOMER01", key: str = "k3y-Secret-9f8e7d"):
        self.customer, self.key = customer, key
        self.parcels: dict[tuple[str, str], dict] = {}
        self.counts: Counter = Counter()  # number → queries answered (any answer)
        self.requests: list[dict] = []
        self.arrived: list[float] = []  # monotonic time each request arrived
        self.paths: list[str] = []  # each request's target as sent (an absolute URL through a proxy)
        self.expired = False
        self.flaky: Counter = Counter()  # number → server errors still to give
        self.slow: dict[str, float] = {}  # number → seconds to wait before answering
        self.trickle: float | None = None
        self.trickle_only: set[str] | None = None
        self.redirect_to: str | None = None
        self.echo: str | None = None
        self.other_nu = False
        self.retry_after: str | None = None
        self.retry_once = False  # Retry-After only on a number's first query
        self.lock = threading.Lock()
        self.stopping = threading.Event()  # set on exit: a slow or trickling answer stops at once
        self.server = None

    # scripted answers -------------------------------------------------------
    def parcel(self, num: str, com: str, state: str, sub: str | None, traces, phone: str | None = None):
        """traces: [(time, context), …] in any order; served newest first."""
        data = []
        for t, text in sorted(traces, reverse=True):
            item = {"time": t, "ftime": t, "context": text, "status": "", "areaCode": None, "areaName": None}
            if sub:
                item["statusCode"] = sub
            data.append(item)
        self.parcels[(com, num)] = {"kind": "ok", "state": state, "data": data, "phone": phone}

    def error(self, num: str, com: str, code: str, message: str = "查询无结果，请隔段时间再查"):
        self.parcels[(com, num)] = {"kind": "error", "code": code, "message": message}

    def garbage(self, num: str, com: str, body: bytes):
        self.parcels[(com, num)] = {"kind": "raw", "body": body}

    # the protocol -------------------------------------------------------------
    def answer(self, form: dict[str, str], raw: str) -> tuple[int, bytes, dict]:
        param = form.get("param", "")
        with self.lock:
            self.requests.append(form)
            self.arrived.append(time.monotonic())
        if self.redirect_to:
            return 302, b"", {"Location": self.redirect_to}
        expected = hashlib.md5((param + self.key + self.customer).encode("utf-8")).hexdigest().upper()
        if form.get("customer") != self.customer or form.get("sign") != expected:
            return 200, _j({"result": False, "returnCode": "503", "message": "验证签名失败"}), {}
        if self.expired:
            return 200, _j({"result": False, "returnCode": "601", "message": "POLL:KEY已过期"}), {}
        try:
            p = json.loads(param)
            com, num = p["com"], p["num"]
        except (ValueError, KeyError, TypeError):
            return 200, _j({"result": False, "returnCode": "501", "message": "参数错误"}), {}
        if self.echo == "message":
            return 200, _j({"result": False, "returnCode": "999", "message": raw}), {}
        if num in self.slow:
            self.stopping.wait(self.slow[num])
        with self.lock:
            if self.retry_after and not (self.retry_once and self.counts[num]):
                self.counts[num] += 1
                return 429, _j({"message": "too many requests"}), {"Retry-After": self.retry_after}
            if self.flaky[num] > 0:
                self.flaky[num] -= 1
                return 502, b"Bad Gateway", {}
            self.counts[num] += 1
        if com not in KNOWN | {c for c, _n in self.parcels}:
            return 200, _j({"result": False, "returnCode": "400", "message": "找不到对应公司"}), {}
        entry = self.parcels.get((com, num))
        if entry is None:
            return 200, _j({"result": False, "returnCode": "500", "message": "查询无结果，请隔段时间再查"}), {}
        if entry["kind"] == "raw":
            return 200, entry["body"], {}
        if entry["kind"] == "error":
            return 200, _j({"result": False, "returnCode": entry["code"], "message": entry["message"]}), {}
        if entry["phone"] and p.get("phone") != entry["phone"][-4:] and p.get("phone") != entry["phone"]:
            return 200, _j({"result": False, "returnCode": "408", "message": "验证码错误"}), {}
        data = entry["data"]
        if self.echo == "trace":
            data = [{**data[0], "context": raw}] + data[1:] if data else [{"time": "2025-06-10 09:00:00",
                                                                          "context": raw}]
        return 200, _j({"message": "ok", "nu": num + "9" if self.other_nu else num,
                        "ischeck": "1" if entry["state"] in ("3", "4") else "0",
                        "condition": "00", "com": com, "status": "200", "state": entry["state"],
                        "data": data}), {}

    # the server -----------------------------------------------------------------
    def __enter__(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                standin.paths.append(self.path)
                form = {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}
                status, data, headers = standin.answer(form, raw)
                try:
                    num = json.loads(form.get("param", "{}")).get("num")
                except (ValueError, AttributeError):
                    num = None
                slow = standin.trickle if standin.trickle_only is None or num in standin.trickle_only else None
                head = (f"HTTP/1.1 {status} X\r\nContent-Type: application/json;charset=UTF-8\r\n"
                        f"Content-Length: {len(data)}\r\nConnection: close\r\n"
                        + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode("latin-1")
                payload = head + data
                try:
                    if slow:
                        for i in range(len(payload)):
                            self.wfile.write(payload[i:i + 1])
                            self.wfile.flush()
                            if standin.stopping.wait(slow):
                                break
                    else:
                        self.wfile.write(payload)
                except OSError:  # the client hung up (its deadline, an interrupt)
                    pass
                self.close_connection = True

            def log_message(self, *args):  # quiet
                pass

        Handler.timeout = 10  # a client that never sends its body does not hold a handler thread
        self.stopping.clear()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # Handler threads are joined on close (block_on_close joins only non-daemon ones); a slow or
        # trickling one returns as soon as ``stopping`` is set, so closing takes one poll interval and
        # leaves no thread behind.
        self.server.daemon_threads = False
        self.server.block_on_close = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()  # slow and trickling answers give up now
        self.server.shutdown()  # serve_forever polls every 20 ms: this returns at once
        self.server.server_close()  # joins the handler threads (block_on_close)
        self.thread.join(2)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/poll/query.do"

    def env(self, key: str | None = None) -> dict[str, str]:
        return {"KUAIDI100_CUSTOMER": self.customer, "KUAIDI100_KEY": key or self.key, "KUAIDI100_URL": self.url}


def _j(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")
