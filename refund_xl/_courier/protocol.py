"""The Kuaidi100 实时查询 protocol (platforms.md) as pure functions: the form sent, and what an
answer means — checked before any of it is believed.

* POST form ``customer``, ``sign``, ``param``; ``param`` is compact JSON (``com``, ``num``,
  ``phone`` = at most the last four digits, ``resultv2`` = 4 for sub-states); ``sign`` =
  MD5(param + key + customer), upper-case hex, over the very string sent (:func:`form`).
* :func:`interpret` reads one HTTP answer for one query:

  - a 3xx is never followed: the query fails and the endpoint counts as broken (every
    other query would be sent where it is not meant to go);
  - 429 / 5xx / returnCode 501–502: try again, after the server's ``Retry-After`` if it
    gave one (:func:`retry_after`);
  - an answer holding our customer id, key or sign (a server echoing the request) is
    refused whole, and the endpoint counts as broken: nothing of it reaches a cell, and our
    credentials are not sent there again;
  - returnCode 503/600/601: :class:`AuthError` (the run stops);
  - other error codes: the row's reason in our own words — the server's ``message`` is
    never copied;
  - an answer for another number than the one asked (``nu``) is refused;
  - a good answer → :func:`refund_xl._app.track.reading_of` (only the newest trace's
    ``context`` and time are kept, through ``safe_text``); the phone digits we sent are
    masked out of the trace.
"""

from __future__ import annotations

import dataclasses
import email.utils
import hashlib
import json
import re
import urllib.parse
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Mapping

from refund_xl._app.track import Query, Reading, code_text, failed, reading_of
from refund_xl._core import vocab
from refund_xl._courier.errors import AuthError
from refund_xl._courier.transport import Response

__all__ = ["DEFAULT_URL", "param_text", "sign", "form", "Verdict", "interpret", "retry_after",
           "REDIRECTED", "ECHOED", "OTHER_NUMBER"]

DEFAULT_URL = "https://poll.kuaidi100.com/poll/query.do"
REDIRECTED, ECHOED, OTHER_NUMBER = "redirect", "echo", "other-number"  # codes of our own refusals

# Row-level error codes → the reason shown in 物流备注 (our words, never the server's message).
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
_SECRET_MIN = 6  # shorter "secrets" would match ordinary trace text


def param_text(q: Query) -> str:
    """The exact ``param`` string sent (compact JSON, Chinese kept)."""
    obj = {"com": q.com, "num": q.num}
    if q.phone:
        obj["phone"] = q.phone
    obj.update({"resultv2": "4", "show": "0", "order": "desc"})
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def sign(param: str, key: str, customer: str) -> str:
    return hashlib.md5((param + key + customer).encode("utf-8")).hexdigest().upper()


def form(q: Query, customer: str, key: str) -> dict[str, str]:
    param = param_text(q)
    return {"customer": customer, "sign": sign(param, key, customer), "param": param}


@dataclass(frozen=True)
class Verdict:
    """What one HTTP answer means for its query."""

    reading: Reading | None = None  # the query's outcome (None: try again)
    retry: str = ""  # why to try again
    after: float | None = None  # seconds the server asked us to wait first (Retry-After)
    broken: bool = False  # the endpoint itself is wrong: send nothing more there this run


def retry_after(value: object, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header → seconds to wait (delta-seconds or an HTTP date), None if unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(min(int(text), 10 ** 9))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.astimezone()
    return max(0.0, (when - now).total_seconds())


def _echoes(body: str, secrets: Iterable[str]) -> bool:
    for secret in secrets:
        if len(secret) >= _SECRET_MIN and (secret in body or urllib.parse.quote(secret, safe="") in body):
            return True
    return False


def _same_number(said: object, asked: str) -> bool:
    if isinstance(said, bool) or not isinstance(said, (str, int)):
        return False
    return vocab.fold(str(said)).upper() == vocab.fold(asked).upper()


def _mask_phone(reading: Reading, tail: str | None) -> Reading:
    """The phone digits we sent are not echoed into a cell (a trace quoting ``138****6621``)."""
    if not tail or not reading.text:
        return reading
    masked = re.sub(rf"(?<!\d)(?:1\d{{2}}[*＊]{{4}}|1\d{{6}})?{re.escape(tail)}(?!\d)", "＊＊＊＊", reading.text)
    return dataclasses.replace(reading, text=masked) if masked != reading.text else reading


def interpret(response: Response, q: Query, sent: Mapping[str, str], when: datetime,
              secrets: Iterable[str] = (), now: datetime | None = None) -> Verdict:
    """One HTTP answer for query ``q`` (``sent``: the form sent) → :class:`Verdict`.

    Raises :class:`AuthError` only.  ``when``: the time the run asks (the 30-minute rule);
    ``secrets``: what must never come back (customer id, key; the sign is taken from ``sent``).
    """
    status = response.status
    if 300 <= status < 400:
        reason = f"快递100 接口地址返回跳转（HTTP {status}），未跟随：请检查 KUAIDI100_URL"
        return Verdict(failed(reason, REDIRECTED, None, q.phone), broken=True)
    if status == 429 or status >= 500:
        wait = retry_after(response.headers.get("retry-after"), now)
        word = "繁忙" if status in (429, 503) else "错误"
        return Verdict(retry=f"快递100 服务器{word}（HTTP {status}）", after=wait)
    text = response.body.decode("utf-8", errors="replace")
    if _echoes(text, [*secrets, sent.get("sign", "")]):
        reason = "快递100 接口地址的应答中含有本次请求的账号信息，已拒收：请检查 KUAIDI100_URL"
        return Verdict(failed(reason, ECHOED, None, q.phone), broken=True)
    try:
        answer = json.loads(text)
    except (ValueError, RecursionError):
        answer = None
    if not isinstance(answer, dict):
        return Verdict(failed(f"快递100 应答无法识别（HTTP {status}）", "", when, q.phone))
    code = code_text(answer.get("returnCode"))
    if code in _AUTH_ERRORS:
        raise AuthError(_AUTH_ERRORS[code], code)
    if code in _RETRY_CODES:
        return Verdict(retry=f"快递100 服务器错误（{code}）")
    if str(answer.get("result")).lower() == "false" or (code and "data" not in answer):
        reason = _ROW_ERRORS.get(code) or f"快递100 未给出结果（代码 {code or '无'}）"
        return Verdict(failed(reason, code, when, q.phone))
    if status != 200:
        return Verdict(failed(f"快递100 应答异常（HTTP {status}）", "", when, q.phone))
    if not _same_number(answer.get("nu"), q.num):
        return Verdict(failed("快递100 应答的单号与查询的不符，已拒收", OTHER_NUMBER, when, q.phone))
    return Verdict(_mask_phone(reading_of(answer, when, q.phone), q.phone))
