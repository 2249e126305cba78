"""A client of the Kuaidi100 实时查询 protocol (platforms.md), standard library only.

    client = Kuaidi100(Credentials(customer, key))          # urllib underneath
    client = Kuaidi100(creds, transport=MemoryTransport(fn)) # an in-memory stand-in
    for query, reading in client.query_many(queries): ...

I/O sits behind :class:`Transport` (one method: POST a form, get status and
body), so the protocol logic is tested without a socket.  The protocol:

* POST form ``customer``, ``sign``, ``param`` to the endpoint; ``param`` is
  compact JSON (``com``, ``num``, ``phone``, ``resultv2`` = 4 for sub-states);
  ``sign`` = MD5(param + key + customer), upper-case hex, over the very string
  sent;
* a timeout per request; bounded retries with exponential backoff on HTTP 5xx,
  returnCode 501/502 and network errors; a small thread pool (``workers``);
* a row-level answer (400 company, 408 phone, 500 no result, a malformed
  body) is a :class:`~refund_xl._app.track.Reading` with the reason — never raised;
* a bad key or sign (503, 600) or an expired account (601) raises
  :class:`AuthError` and stops the run.

Exceptions (all :class:`~refund_xl._core.errors.RefundXLError`, one Chinese line,
never holding the key)::

    TrackError                  anything the tracking run reports to a user
    ├── CredentialsMissing      no customer/key configured
    └── AuthError               the API refused the credentials (503/600/601)

:class:`TransportError` is internal: a request that got no HTTP answer; after
the retries it becomes a row-level reason.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Iterator, Mapping, Protocol

from refund_xl._core.errors import RefundXLError, clip, reason_of
from refund_xl._app.track import Query, Reading, failed, reading_of

__all__ = ["DEFAULT_URL", "Credentials", "Transport", "UrllibTransport", "MemoryTransport",
           "TransportError", "TrackError", "CredentialsMissing", "AuthError", "Kuaidi100",
           "sign", "param_text"]

DEFAULT_URL = "https://poll.kuaidi100.com/poll/query.do"


class TrackError(RefundXLError):
    """A tracking run cannot go on (the message never holds the key)."""


class CredentialsMissing(TrackError):
    """No Kuaidi100 customer/key configured."""


class AuthError(TrackError):
    """The API refused the account: wrong key or sign, or expired / no balance."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


class TransportError(Exception):
    """A request got no HTTP answer (refused, reset, timed out).  Internal."""


@dataclass(frozen=True)
class Credentials:
    customer: str
    key: str
    url: str = DEFAULT_URL

    def __repr__(self) -> str:  # never print the key
        return f"Credentials(customer={self.customer[:3]}…, key=***, url={self.url!r})"

    __str__ = __repr__


class Transport(Protocol):
    def post(self, url: str, form: Mapping[str, str], timeout: float) -> tuple[int, bytes]:
        """POST ``form`` (urlencoded); return (HTTP status, body).  Raise TransportError without an answer."""


class UrllibTransport:
    """The real transport: urllib, one request per call (thread-safe)."""

    def post(self, url: str, form: Mapping[str, str], timeout: float) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
            "User-Agent": "refund-xl"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read(2_000_000)
        except urllib.error.HTTPError as exc:
            try:
                data = exc.read(200_000)
            except OSError:
                data = b""
            return exc.code, data
        except (urllib.error.URLError, OSError, ValueError) as exc:  # refused, DNS, timeout, bad URL
            cause = getattr(exc, "reason", exc)
            timed_out = isinstance(exc, TimeoutError) or isinstance(cause, TimeoutError)
            raise TransportError("应答超时" if timed_out else f"无法连接：{reason_of(cause, '网络错误')}") from None


class MemoryTransport:
    """An in-memory stand-in: ``handler(form) -> (status, body)`` (body bytes, str or a JSON object)."""

    def __init__(self, handler: Callable[[dict], tuple[int, object]]):
        self.handler = handler
        self.calls: list[dict] = []
        self._lock = threading.Lock()

    def post(self, url: str, form: Mapping[str, str], timeout: float) -> tuple[int, bytes]:
        with self._lock:
            self.calls.append(dict(form))
        status, body = self.handler(dict(form))
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False)
        if isinstance(body, str):
            body = body.encode("utf-8")
        return status, body


def param_text(q: Query) -> str:
    """The exact ``param`` string sent (compact JSON, Chinese kept)."""
    obj = {"com": q.com, "num": q.num}
    if q.phone:
        obj["phone"] = q.phone
    obj.update({"resultv2": "4", "show": "0", "order": "desc"})
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def sign(param: str, key: str, customer: str) -> str:
    return hashlib.md5((param + key + customer).encode("utf-8")).hexdigest().upper()


# Row-level error codes → the reason shown in 物流备注.
_ROW_ERRORS = {
    "400": "快递公司编码有误或不支持（400）",
    "408": "手机号与运单不符（408），请核对收件人手机",
    "500": "查询无结果（500）：单号未录入或尚无轨迹",
}
_AUTH_ERRORS = {
    "503": "快递100 验证签名失败（503）：请检查 KUAIDI100_CUSTOMER 和 KUAIDI100_KEY",
    "600": "快递100 授权无效（600）：请检查 KUAIDI100_CUSTOMER 和 KUAIDI100_KEY",
    "601": "快递100 授权已过期或余额不足（601）：请续费后再查询",
}
_RETRY_CODES = {"501", "502"}
RETRIES_SPENT = "retry"  # a Reading's code: every attempt failed (no answer, or a server error)
_GAVE_UP = "快递100 连续无法连接，本单号未查询，稍后再试"


class Kuaidi100:
    """The protocol client.  Thread-safe; ``query_many`` runs ``workers`` requests at once."""

    def __init__(self, credentials: Credentials, transport: Transport | None = None, *,
                 timeout: float = 10.0, retries: int = 2, backoff: float = 0.5, workers: int = 4,
                 give_up_after: int = 8, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], datetime] | None = None):
        self.credentials = credentials
        self.transport = transport or UrllibTransport()
        self.timeout, self.retries, self.backoff = timeout, max(0, retries), backoff
        self.workers = max(1, workers)
        self.give_up_after = max(1, give_up_after)
        self.sleep = sleep
        self.clock = clock or datetime.now
        self.sent = 0  # requests made, retries included

    def __repr__(self) -> str:
        return f"Kuaidi100({self.credentials!r})"

    # one number -------------------------------------------------------------
    def query(self, q: Query) -> Reading:
        """One number → Reading.  Raises AuthError only; anything else is row-level."""
        creds = self.credentials
        param = param_text(q)
        form = {"customer": creds.customer, "sign": sign(param, creds.key, creds.customer), "param": param}
        when = self.clock().replace(microsecond=0)
        reason, heard = "", False  # heard: the server answered at least once (the query counts)
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * (2 ** (attempt - 1)))
            self.sent += 1
            try:
                status, body = self.transport.post(creds.url, form, self.timeout)
            except TransportError as exc:
                reason = f"快递100 {exc}，稍后再试"
                continue
            heard = True
            if status >= 500 or status == 429:
                reason = f"快递100 服务器错误（HTTP {status}），稍后再试"
                continue
            answer = _json(body)
            if not isinstance(answer, dict):
                return failed(f"快递100 应答无法识别（HTTP {status}）", queried_at=when, phone=q.phone)
            code = _code(answer.get("returnCode"))
            if code in _AUTH_ERRORS:
                raise AuthError(_AUTH_ERRORS[code], code)
            if code in _RETRY_CODES:
                reason = f"快递100 服务器错误（{code}），稍后再试"
                continue
            if str(answer.get("result")).lower() == "false" or (code and "data" not in answer):
                text = _ROW_ERRORS.get(code) or f"快递100 未给出结果（{code or '无代码'}：{_message(answer)}）"
                return failed(text, code, when, q.phone)
            if status != 200:
                return failed(f"快递100 应答异常（HTTP {status}）", queried_at=when, phone=q.phone)
            return reading_of(answer, when, q.phone)
        # A server that answered (even with an error) has counted the query: remembered for the
        # 30-minute rule.  Without any answer the number may be asked again at once.
        return failed(reason, RETRIES_SPENT, when if heard else None, q.phone)

    # many numbers -----------------------------------------------------------
    def query_many(self, queries: Iterable[Query],
                   progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[Query, Reading]]:
        """Each query once, ``workers`` at a time; yields (query, reading) as they finish.

        On AuthError no further request starts; the error is raised once the
        requests under way have returned (their answers are yielded first).
        """
        todo = list(dict.fromkeys(queries))
        total, done = len(todo), 0
        stop = threading.Event()
        error: list[AuthError] = []
        unreached = 0  # queries in a row whose every attempt failed (service down)

        def one(q: Query) -> Reading | None:
            if stop.is_set():
                return None
            try:
                return self.query(q)
            except AuthError as exc:
                stop.set()
                error.append(exc)
                return None

        with ThreadPoolExecutor(max_workers=min(self.workers, max(1, total))) as pool:
            pending = {}
            it = iter(todo)
            for q in it:
                pending[pool.submit(one, q)] = q
                if len(pending) >= self.workers:
                    break
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    q = pending.pop(fut)
                    reading = fut.result()
                    done += 1
                    if reading is None and not error:  # not sent: the service had stopped answering
                        reading = failed(_GAVE_UP)
                    if reading is not None:
                        unreached = unreached + 1 if reading.code == RETRIES_SPENT else 0
                        if unreached >= self.give_up_after and not stop.is_set():
                            stop.set()  # the service is down: do not spend minutes on every row
                        if progress:
                            progress(done, total)
                        yield q, reading
                    if not stop.is_set():
                        nxt = next(it, None)
                        if nxt is not None:
                            pending[pool.submit(one, nxt)] = nxt
        if error:
            raise error[0]
        for q in it:  # left when the service stopped answering
            yield q, failed(_GAVE_UP)


def _json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return None


def _message(answer: Mapping) -> str:
    """The server's own message, short and on one line (it holds no credentials: only we sent those)."""
    text = answer.get("message")
    return clip(text, 20) if isinstance(text, str) and text.strip() else "无说明"


def _code(value: object) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()[:8]
