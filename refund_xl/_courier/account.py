"""The courier as the ``track`` use case sees it: credentials, the local cache, the client.

    courier = Kuaidi100Courier()                       # KUAIDI100_* / the config file, HttpTransport
    result = track_run.run_track(book, ctx, courier)   # both hosts

* Credentials: ``KUAIDI100_CUSTOMER`` / ``KUAIDI100_KEY`` from the environment, else a user
  config file (:func:`config_path`, JSON ``{"customer": …, "key": …}``); ``KUAIDI100_URL``
  (or ``"url"`` in the file) overrides the endpoint and must be an ``http``/``https`` address
  (:class:`EndpointError` otherwise, before anything is asked).  Never read from or written to
  a workbook, never printed.
* The cache (:func:`cache_path`): one JSON file outside the workbook, number → the last answer
  and when it was asked, so a number asked less than 30 minutes ago is not asked again, and a
  final state not at all unless ``refresh``.  It holds waybills and traces: the file is made
  0600 and its folder 0700 (and an existing one found more open is closed down).
  ``REFUND_XL_CACHE_DIR`` moves it (tests point it at a temp dir).  Namespaced by a hash of the
  account and endpoint: the file never holds the customer id.
* What was answered before an interrupt or a refused account is still saved to the cache, so
  the next run uses it instead of asking Kuaidi100 again within its 30 minutes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from refund_xl._app import track
from refund_xl._app.track import Query, Reading
from refund_xl._core.errors import clip
from refund_xl._courier import protocol
from refund_xl._courier.client import Credentials, Kuaidi100, Limits
from refund_xl._courier.errors import CredentialsMissing
from refund_xl._courier.transport import Transport, check_url

__all__ = ["Kuaidi100Courier", "config_path", "cache_path", "load_credentials", "account_id", "load_cache",
           "save_cache"]

_KEEP_CACHE = timedelta(days=14)
FILE_MODE, FOLDER_MODE = 0o600, 0o700


# ------------------------------------------------------------------ where things live

def _home() -> Path:
    return Path(os.path.expanduser("~"))


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """The user's credentials file: %APPDATA%\\refund_xl\\kuaidi100.json, or ~/.config/refund_xl/kuaidi100.json."""
    env = os.environ if env is None else env
    if env.get("REFUND_XL_CONFIG_DIR"):
        return Path(env["REFUND_XL_CONFIG_DIR"]) / "kuaidi100.json"
    if os.name == "nt" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "refund_xl" / "kuaidi100.json"
    base = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else _home() / ".config"
    return base / "refund_xl" / "kuaidi100.json"


def cache_path(env: Mapping[str, str] | None = None) -> Path:
    """The query cache: REFUND_XL_CACHE_DIR, %LOCALAPPDATA%\\refund_xl, ~/Library/Caches or ~/.cache."""
    env = os.environ if env is None else env
    if env.get("REFUND_XL_CACHE_DIR"):
        folder = Path(env["REFUND_XL_CACHE_DIR"])
    elif os.name == "nt" and env.get("LOCALAPPDATA"):
        folder = Path(env["LOCALAPPDATA"]) / "refund_xl"
    elif sys.platform == "darwin":
        folder = _home() / "Library" / "Caches" / "refund_xl"
    else:
        folder = (Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else _home() / ".cache") / "refund_xl"
    return folder / "kuaidi100-cache.json"


def load_credentials(env: Mapping[str, str] | None = None) -> Credentials:
    """Credentials from the environment, else the config file.

    CredentialsMissing when there are none; EndpointError when the endpoint given is not http/https.
    """
    env = os.environ if env is None else env
    customer, key = (env.get("KUAIDI100_CUSTOMER") or "").strip(), (env.get("KUAIDI100_KEY") or "").strip()
    url = (env.get("KUAIDI100_URL") or "").strip()
    path = config_path(env)
    if not (customer and key) and path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            raise CredentialsMissing(f"无法读取快递100 配置文件 {path}：需为 JSON，如 "
                                     '{"customer": "…", "key": "…"}') from None
        if isinstance(data, dict):
            customer = customer or str(data.get("customer") or "").strip()
            key = key or str(data.get("key") or "").strip()
            url = url or str(data.get("url") or "").strip()
    url = check_url(url) if url else protocol.DEFAULT_URL
    if not (customer and key):
        raise CredentialsMissing("未配置快递100 账号：请设置环境变量 KUAIDI100_CUSTOMER 和 KUAIDI100_KEY"
                                 f"（或写入 {path}）")
    return Credentials(customer, key, url)


# ------------------------------------------------------------------ cache

def _iso(when: datetime | None) -> str | None:
    return when.isoformat(timespec="seconds") if when else None


def _when(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def account_id(creds: Credentials) -> str:
    """The cache's namespace for an account and endpoint (a hash: the file never holds the customer)."""
    return hashlib.sha256(f"{creds.url}\n{creds.customer}".encode("utf-8")).hexdigest()[:16]


def _private(path: Path) -> None:
    """The cache folder 0700 and the file 0600, whatever made them (a no-op where modes mean little)."""
    for target, mode in ((path.parent, FOLDER_MODE), (path, FILE_MODE)):
        with contextlib.suppress(OSError):
            if target.exists() and stat.S_IMODE(target.stat().st_mode) != mode:
                os.chmod(target, mode)


def _read_accounts(path: Path) -> dict:
    try:
        _private(path)
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    accounts = data.get("accounts") if isinstance(data, dict) else None
    return accounts if isinstance(accounts, dict) else {}


def load_cache(path: Path, account: str) -> dict[tuple[str, str], Reading]:
    """One account's answers as (com, num) → Reading; a missing or damaged file is an empty cache."""
    out: dict[tuple[str, str], Reading] = {}
    entries = _read_accounts(path).get(account)
    for key, e in (entries if isinstance(entries, dict) else {}).items():
        if not isinstance(e, dict) or ":" not in key:
            continue
        com, num = key.split(":", 1)
        asked = _when(e.get("queried_at"))
        if asked is None:
            continue
        word = e.get("word") if e.get("word") in track.WORDS else None
        out[(com, num)] = Reading(word, _when(e.get("updated")), track.safe_text(e.get("text"), track.TEXT_WIDTH),
                                  track.code_text(e.get("code")) or str(e.get("code") or "")[:16], asked,
                                  track.phone_tail(e.get("phone")))
    return out


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, the file 0600 in a 0700 folder from the first byte."""
    folder = path.parent
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _private(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)  # mkstemp: 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def save_cache(path: Path, account: str, new: Mapping[Query, Reading], now: datetime) -> None:
    """Merge ``new`` answers into the cache file (a newer entry wins), atomically; drop old entries."""
    fresh = {(q.com, q.num): r for q, r in new.items() if r.queried_at is not None}
    if not fresh:
        return
    accounts = _read_accounts(path)
    merged = load_cache(path, account)
    for key, r in fresh.items():
        old = merged.get(key)
        if old is None or old.queried_at is None or (r.queried_at is not None and r.queried_at >= old.queried_at):
            merged[key] = r
    entries = {}
    for (com, num), r in merged.items():
        if r.queried_at is None or now - r.queried_at > _KEEP_CACHE:
            continue
        entries[f"{com}:{num}"] = {"queried_at": _iso(r.queried_at), "word": r.word, "updated": _iso(r.updated),
                                   "text": r.text[:track.TEXT_WIDTH], "code": r.code, "phone": r.phone}
    accounts[account] = entries
    try:
        _write_private(path, json.dumps({"version": 2, "accounts": accounts}, ensure_ascii=False))
    except OSError as exc:  # a cache that cannot be saved must not lose the run
        print(f"refund-xl: 无法保存查询缓存 {path}（{clip(exc.strerror or exc, 40)}）", file=sys.stderr)


# ------------------------------------------------------------------ the courier of the use case

class Kuaidi100Courier:
    """:class:`refund_xl._app.track_run.Courier` over Kuaidi100: credentials, cache, client.

    ``env``: where credentials and folders are looked up (default ``os.environ``);
    ``transport``: the HTTP transport (tests: a MemoryTransport).  An endpoint that is not
    http/https raises EndpointError here, before anything else happens; missing
    credentials only when something has to be asked.
    """

    def __init__(self, env: Mapping[str, str] | None = None, transport: Transport | None = None, *,
                 limits: Limits | None = None, sleep: Callable[[float], None] | None = None):
        self.env = os.environ if env is None else env
        self.transport = transport
        self.limits = limits or Limits()
        self.sleep = sleep
        self.cache_file = cache_path(self.env)
        self.missing: CredentialsMissing | None = None
        try:
            self.credentials: Credentials | None = load_credentials(self.env)
        except CredentialsMissing as exc:
            self.credentials, self.missing = None, exc
        self.account = account_id(self.credentials) if self.credentials else ""
        self.client: Kuaidi100 | None = None

    def known(self) -> dict[tuple[str, str], Reading]:
        return load_cache(self.cache_file, self.account) if self.credentials else {}

    def ask(self, queries: Sequence[Query], when: datetime,
            progress: Callable[[int, int], None]) -> Iterator[tuple[Query, Reading]]:
        if not queries:
            return
        if self.credentials is None:
            raise self.missing or CredentialsMissing("未配置快递100 账号")
        self.client = Kuaidi100(self.credentials, self.transport, limits=self.limits, clock=lambda: when,
                                sleep=self.sleep)
        answers: dict[Query, Reading] = {}
        try:
            for q, reading in self.client.query_many(queries, progress):
                answers[q] = reading
                yield q, reading
        finally:
            self.client.stop()
            save_cache(self.cache_file, self.account, answers, when)
