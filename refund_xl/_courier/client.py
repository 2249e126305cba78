"""The Kuaidi100 client: many queries, a few at a time, within deadlines, stoppable at once.

    client = Kuaidi100(Credentials(customer, key), HttpTransport(), limits=Limits(run_timeout=300))
    for query, reading in client.query_many(queries): ...

* **Deadlines.**  Each request has a whole-request deadline (``Limits.request_timeout``,
  enforced by the transport); the run has its own (``Limits.run_timeout``): when it passes,
  what was not answered is left with that reason.  The main thread also gives up on a
  request whose worker is stuck past its deadline where no socket can be shut (a name
  lookup), and goes on with a fresh worker.
* **Stop at once.**  Workers are daemon threads; the thread that iterates
  :meth:`Kuaidi100.query_many` only ever waits a fraction of a second at a time, so Ctrl+C /
  SIGTERM (a KeyboardInterrupt there) ends the run at once: :meth:`Kuaidi100.stop` shuts
  every socket under way and nobody waits for a stuck thread.
* **Retries.**  A network error, HTTP 429/5xx and returnCode 501/502 are tried again
  (``retries``, exponential ``backoff``); a ``Retry-After`` is honoured — every worker
  waits — when it ends within the run's deadline, else the queries left get that reason.
  A timed-out request is not tried again (a server that let 15 s pass will not answer
  the next one sooner).  After ``give_up_after`` queries in a row without an answer the
  service counts as down and the rest are left for the next run.
* **Trust.**  What an answer means is :func:`refund_xl._courier.protocol.interpret`: a
  redirect or an answer echoing our credentials marks the endpoint broken and nothing
  more is sent there; a refused account (:class:`AuthError`) stops the run.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Iterator

from refund_xl._core.errors import reason_of
from refund_xl._app.track import Query, Reading, failed
from refund_xl._courier import protocol
from refund_xl._courier.errors import AuthError, RequestTimeout, TransportError, seconds_text
from refund_xl._courier.transport import HttpTransport, Request, Transport

__all__ = ["Credentials", "Limits", "Kuaidi100", "UNREACHED", "NOT_SENT"]

UNREACHED = "unreached"  # a Reading's code: no usable answer after every attempt (counts toward giving up)
NOT_SENT = "not-sent"  # a Reading's code: never asked (the run stopped, its deadline passed, the service is down)
_GAVE_UP = "快递100 连续无法连接，本单号未查询，稍后再试"
_POLL = 0.2  # the longest the iterating thread waits without looking up (Ctrl+C, deadlines)


@dataclass(frozen=True)
class Credentials:
    customer: str
    key: str
    url: str = protocol.DEFAULT_URL

    def __repr__(self) -> str:  # never print the key
        return f"Credentials(customer={self.customer[:3]}…, key=***)"

    __str__ = __repr__


@dataclass(frozen=True)
class Limits:
    request_timeout: float = 15.0  # one request, whole: connect, send, every byte of the answer
    run_timeout: float = 300.0  # the whole run
    retries: int = 2
    backoff: float = 0.5
    workers: int = 4
    give_up_after: int = 8


def _minutes(seconds: float) -> str:
    return f"{seconds_text(seconds)} 秒" if seconds < 120 else f"{seconds / 60:.0f} 分钟"


def _run_over(limits: Limits) -> str:
    """Why a number got no answer within the run's deadline (``--max-time``)."""
    return f"本次查询超时（已到时限 {_minutes(limits.run_timeout)}），未查询，下次运行再查"


class _Stopped(Exception):
    """Internal: the run stopped while this query waited."""


class Kuaidi100:
    """The protocol client (see the module doc).  One instance per run."""

    def __init__(self, credentials: Credentials, transport: Transport | None = None, *,
                 limits: Limits | None = None, clock: Callable[[], datetime] | None = None,
                 sleep: Callable[[float], None] | None = None, monotonic: Callable[[], float] = time.monotonic):
        self.credentials = credentials
        self.transport = transport or HttpTransport()
        self.limits = limits = limits or Limits()
        self.clock = clock or datetime.now
        self._sleep = sleep  # tests: record the waits instead of waiting
        self._mono = monotonic
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._deadline = monotonic() + limits.run_timeout
        self._not_before = 0.0  # monotonic time before which nothing is sent (Retry-After)
        self._held = ""  # why the rest is not asked (a Retry-After beyond the deadline)
        self._broken = ""  # why the endpoint is not to be asked again (a redirect, an echo)
        self._inflight: dict[Query, float] = {}  # query → its request's deadline (monotonic)
        self.sent = 0  # requests made, retries included

    def __repr__(self) -> str:
        return f"Kuaidi100({self.credentials!r})"

    def stop(self) -> None:
        """End the run now: no request starts, every one under way is cut (any thread)."""
        self._stop.set()
        self.transport.abort()

    # one number -------------------------------------------------------------
    def _pause(self, seconds: float) -> None:
        if seconds <= 0:
            return
        if self._sleep is not None:
            self._sleep(seconds)
        elif self._stop.wait(seconds):
            raise _Stopped
        if self._stop.is_set():
            raise _Stopped

    def _left(self, why: str, q: Query, heard: datetime | None = None) -> Reading:
        return failed(why, NOT_SENT, heard, q.phone)

    def query(self, q: Query) -> Reading:
        """One number → Reading.  Raises AuthError (the account) and _Stopped (the run); all else is row-level."""
        creds, lim = self.credentials, self.limits
        sent = protocol.form(q, creds.customer, creds.key)
        when = self.clock().replace(microsecond=0)
        reason, heard, attempt = "", False, 0
        while True:
            if self._stop.is_set():
                raise _Stopped
            if self._broken:
                return self._left(self._broken, q)
            wait = self._not_before - self._mono()
            if wait > 0:
                if self._not_before > self._deadline:
                    return self._left(self._held, q, when if heard else None)
                self._pause(wait)
            left = self._deadline - self._mono()
            if left <= 0.05:
                return self._left(_run_over(lim), q, when if heard else None)
            timeout = min(lim.request_timeout, left)
            with self._lock:
                self.sent += 1
                self._inflight[q] = self._mono() + timeout
            try:
                verdict = protocol.interpret(
                    self.transport.send(Request(creds.url, sent, timeout)), q, sent, when,
                    (creds.customer, creds.key))
                heard = True
            except RequestTimeout as exc:
                # cut short by the run's deadline, not the request's own: the run's reason (not 超过 4.99966 秒)
                why = str(exc) if timeout >= lim.request_timeout else \
                    f"本次查询超时（已到时限 {_minutes(lim.run_timeout)}），应答未完成，下次运行再查"
                return failed(why, UNREACHED, when if heard else None, q.phone)
            except TransportError as exc:
                if self._stop.is_set():
                    raise _Stopped from None
                verdict = protocol.Verdict(retry=str(exc))
            finally:
                with self._lock:
                    self._inflight.pop(q, None)
            if verdict.reading is not None:
                if verdict.broken:
                    self._broken = verdict.reading.text
                return verdict.reading
            reason = verdict.retry
            if verdict.after is not None:
                self._hold(verdict.after)
                if self._not_before > self._deadline:
                    return self._left(self._held, q, when if heard else None)
            attempt += 1
            if attempt > lim.retries:
                break
            if verdict.after is None:
                self._pause(lim.backoff * (2 ** (attempt - 1)))
        # A server that answered (even with an error) has counted the query: remembered for the
        # 30-minute rule.  Without any answer the number may be asked again at once.
        return failed(f"{reason}，稍后再试", UNREACHED, when if heard else None, q.phone)

    def _hold(self, seconds: float) -> None:
        with self._lock:
            until = self._mono() + seconds
            if until > self._not_before:
                self._not_before = until
                self._held = f"快递100 要求 {_minutes(seconds)}后再查询（超出本次运行的时限），未查询"

    # many numbers -----------------------------------------------------------
    def query_many(self, queries: Iterable[Query],
                   progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[Query, Reading]]:
        """Each query once, ``workers`` at a time; yields (query, reading) as they finish.

        Raises AuthError at once when the account is refused (nothing more is sent).
        """
        todo = list(dict.fromkeys(queries))
        total, done = len(todo), set[Query]()
        jobs: queue.SimpleQueue = queue.SimpleQueue()
        results: queue.SimpleQueue = queue.SimpleQueue()
        for q in todo:
            jobs.put(q)
        give_up = threading.Event()  # the service is down: workers take no more jobs
        streak = [0]

        def work() -> None:
            while not (self._stop.is_set() or give_up.is_set()):
                try:
                    q = jobs.get_nowait()
                except queue.Empty:
                    return
                try:
                    reading = self.query(q)
                    with self._lock:  # queries in a row without an answer: the service is down
                        streak[0] = streak[0] + 1 if reading.code == UNREACHED else 0
                        if streak[0] >= self.limits.give_up_after:
                            give_up.set()  # do not spend minutes on every row
                    results.put((q, reading, None))
                except _Stopped:
                    return
                except AuthError as exc:
                    self._stop.set()  # no other worker starts a request with a refused account
                    results.put((q, None, exc))
                    return
                except Exception as exc:
                    results.put((q, failed(f"查询出错：{reason_of(exc, '程序错误')}", UNREACHED), None))

        def spawn() -> None:
            threading.Thread(target=work, name="kuaidi100", daemon=True).start()

        grace = 1.0  # beyond a deadline, before the iterating thread steps in
        try:
            for _ in range(min(self.limits.workers, total)):
                spawn()
            while len(done) < total:
                try:
                    q, reading, error = results.get(timeout=_POLL)
                except queue.Empty:
                    now = self._mono()
                    with self._lock:
                        stuck = [q for q, until in self._inflight.items() if now > until + grace and q not in done]
                        for q in stuck:
                            self._inflight.pop(q, None)
                    for q in stuck:  # a worker stuck where no socket can be shut: leave it, go on
                        done.add(q)
                        spawn()
                        yield q, failed(str(RequestTimeout(self.limits.request_timeout)), UNREACHED, None, q.phone)
                    if now > self._deadline + grace or give_up.is_set() and not self._inflight:
                        break
                    continue
                if q in done:
                    continue
                if error is not None:
                    raise error
                done.add(q)
                if progress:
                    progress(len(done), total)
                yield q, reading
            while True:  # answers that came in as the loop ended are still answers
                try:
                    q, reading, error = results.get_nowait()
                except queue.Empty:
                    break
                if q not in done and error is None:
                    done.add(q)
                    yield q, reading
            for q in todo:  # never answered: the run's deadline, or the service is down
                if q not in done:
                    why = _GAVE_UP if give_up.is_set() else _run_over(self.limits)
                    yield q, failed(why, NOT_SENT, None, q.phone)
        finally:
            self.stop()
