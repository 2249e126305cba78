"""How a request reaches the courier: a small interface and two implementations.

    transport.send(Request(url, form, timeout)) -> Response   one POST, over within ``timeout`` s
    transport.abort()                                          any thread: end every request now

* :class:`HttpTransport` — the real one, standard library only (``http.client``):

  - ``http``/``https`` only (:func:`check_url`; anything else is :class:`EndpointError`);
  - redirects are never followed: a 3xx is an answer like any other (the protocol refuses it);
  - the deadline is for the **whole** request — connect, send, every byte of the answer: a
    watchdog shuts the socket down when it passes, so a server trickling one byte every 2 s is
    cut off at the deadline, not after its last byte;
  - :meth:`HttpTransport.abort` shuts down every socket under way (Ctrl+C, SIGTERM);
  - answers above :data:`MAX_BODY` are refused; proxies come from the environment or the
    system settings (``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``NO_PROXY``; Windows Internet
    options), never for a loopback address.

* :class:`MemoryTransport` — an in-memory stand-in for tests (in the manner of httpx's
  ``MockTransport``): a function of the :class:`Request` gives the :class:`Response`.

Errors are :class:`~refund_xl._courier.errors.TransportError` (row-level, Chinese, naming no
address: a URL may carry secrets).
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import socket
import ssl
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Mapping, Protocol

from refund_xl._courier.errors import EndpointError, RequestTimeout, TransportError, Unreachable

__all__ = ["Request", "Response", "Transport", "HttpTransport", "MemoryTransport", "check_url", "MAX_BODY"]

MAX_BODY = 2_000_000  # a Kuaidi100 answer is a few kB; anything this large is not one
_STOPPED = "快递100 查询已停止"


@dataclass(frozen=True)
class Request:
    url: str
    form: Mapping[str, str]
    timeout: float  # seconds for the whole request


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case
    body: bytes = b""


class Transport(Protocol):
    def send(self, request: Request) -> Response:
        """POST ``request.form`` (urlencoded) within ``request.timeout`` seconds; raise TransportError
        when no usable answer came."""

    def abort(self) -> None:
        """End every request under way at once (callable from any thread)."""


def check_url(url: object) -> str:
    """An endpoint the client may talk to: ``http://`` or ``https://`` with a host; EndpointError otherwise.

    The message never repeats the address (it may hold a password or a key)."""
    text = url.strip() if isinstance(url, str) else ""
    ok = bool(text) and text.isprintable() and " " not in text
    if ok:
        try:
            parts = urllib.parse.urlsplit(text)
            ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
            _ = parts.port  # a port that is not a number raises here
        except ValueError:
            ok = False
    if not ok:
        raise EndpointError("KUAIDI100_URL 不是有效的 http/https 地址（应形如 https://poll.kuaidi100.com/poll/query.do）")
    return text


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _shut(conn: http.client.HTTPConnection) -> None:
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv (close() alone does not)
        except OSError:
            pass


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        why = "拒绝连接"
    elif isinstance(exc, socket.gaierror):
        why = "找不到服务器地址"
    elif isinstance(exc, ssl.SSLError):
        why = "安全连接失败"
    elif isinstance(exc, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        why = "连接被中断"
    elif isinstance(exc, http.client.HTTPException):
        why = "应答格式错误"
    else:
        why = "网络错误"
    return f"快递100 无法连接（{why}）"


class HttpTransport:
    """The real transport (see the module doc).  One connection per request; thread-safe."""

    def __init__(self, proxies: Mapping[str, str] | None = None):
        self._proxies = proxies  # None: the environment's / system's, read at each request
        self._lock = threading.Lock()
        self._live: set[http.client.HTTPConnection] = set()
        self._aborted = False

    def abort(self) -> None:
        with self._lock:
            self._aborted = True
            live = list(self._live)
        for conn in live:
            _shut(conn)

    def _proxy(self, scheme: str, host: str) -> urllib.parse.SplitResult | None:
        if _loopback(host):
            return None
        proxies = urllib.request.getproxies() if self._proxies is None else self._proxies
        url = proxies.get(scheme)
        if not url or (self._proxies is None and urllib.request.proxy_bypass(host)):
            return None
        parts = urllib.parse.urlsplit(url if "://" in url else f"http://{url}")
        return parts if parts.hostname else None

    def _connection(self, parts: urllib.parse.SplitResult,
                    timeout: float) -> tuple[http.client.HTTPConnection, str, dict[str, str]]:
        https = parts.scheme.lower() == "https"
        host, port = parts.hostname or "", parts.port or (443 if https else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        proxy = self._proxy(parts.scheme.lower(), host)
        auth: dict[str, str] = {}
        if proxy is not None and proxy.username:
            token = f"{urllib.parse.unquote(proxy.username)}:{urllib.parse.unquote(proxy.password or '')}"
            auth = {"Proxy-Authorization": "Basic " + base64.b64encode(token.encode("utf-8")).decode("ascii")}
        if https:
            context = ssl.create_default_context()
            if proxy is None:
                return http.client.HTTPSConnection(host, port, timeout=timeout, context=context), target, {}
            tunnel = http.client.HTTPSConnection(proxy.hostname or "", proxy.port or 80, timeout=timeout,
                                                 context=context)
            tunnel.set_tunnel(host, port, headers=auth)
            return tunnel, target, {}
        if proxy is None:
            return http.client.HTTPConnection(host, port, timeout=timeout), target, {}
        conn = http.client.HTTPConnection(proxy.hostname or "", proxy.port or 80, timeout=timeout)
        return conn, urllib.parse.urlunsplit(parts._replace(fragment="")), auth

    def send(self, request: Request) -> Response:
        parts = urllib.parse.urlsplit(check_url(request.url))
        timeout = max(0.05, float(request.timeout))
        conn, target, extra = self._connection(parts, timeout)
        body = urllib.parse.urlencode(dict(request.form)).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "Accept": "application/json",
                   "User-Agent": "refund-xl", "Connection": "close", **extra}
        killed = threading.Event()

        def deadline() -> None:
            killed.set()
            _shut(conn)

        timer = threading.Timer(timeout, deadline)
        timer.daemon = True
        with self._lock:
            if self._aborted:
                raise Unreachable(_STOPPED)
            self._live.add(conn)
        timer.start()
        try:
            conn.connect()
            if killed.is_set() or self._aborted:  # the watchdog or abort() came before the socket existed
                _shut(conn)
            conn.request("POST", target, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read(MAX_BODY + 1)
            if killed.is_set():
                raise RequestTimeout(timeout)
            if self._aborted:
                raise Unreachable(_STOPPED)
            if len(data) > MAX_BODY:
                raise Unreachable("快递100 应答过大，已丢弃")
            return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        except TransportError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if killed.is_set() or isinstance(exc, TimeoutError):
                raise RequestTimeout(timeout) from None
            if self._aborted:
                raise Unreachable(_STOPPED) from None
            raise Unreachable(_reason(exc)) from None
        finally:
            timer.cancel()
            with self._lock:
                self._live.discard(conn)
            conn.close()


Handled = Response | tuple


class MemoryTransport:
    """An in-memory stand-in: ``handler(request)`` returns a :class:`Response` or ``(status, body)`` /
    ``(status, body, headers)`` (body: bytes, str, or a JSON object), or raises TransportError."""

    def __init__(self, handler: Callable[[Request], Handled]):
        self.handler = handler
        self.calls: list[Request] = []
        self.aborted = False
        self._lock = threading.Lock()

    def abort(self) -> None:
        self.aborted = True

    def send(self, request: Request) -> Response:
        check_url(request.url)
        with self._lock:
            self.calls.append(request)
        if self.aborted:
            raise Unreachable(_STOPPED)
        got = self.handler(request)
        if isinstance(got, Response):
            return got
        status, body, *rest = got
        headers = {str(k).lower(): str(v) for k, v in (rest[0] if rest else {}).items()}
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False)
        if isinstance(body, str):
            body = body.encode("utf-8")
        return Response(int(status), headers, bytes(body))
