"""The file host of ``refund-xl track`` (contract §7): credentials, the local cache, the workbook.

* Credentials: ``KUAIDI100_CUSTOMER`` / ``KUAIDI100_KEY`` from the environment,
  else a user config file (:func:`config_path`, JSON ``{"customer": …, "key": …}``);
  ``KUAIDI100_URL`` overrides the endpoint.  Never read from or written to a
  workbook, never printed.
* The cache (:func:`cache_path`): one JSON file outside the workbook, number →
  the last answer and when it was asked, so a number asked less than 30 minutes
  ago is not asked again, and a final state is not asked again at all unless
  ``refresh``.  ``REFUND_XL_CACHE_DIR`` moves it (tests point it at a temp dir).
* The workbook: rows read with :func:`refund_xl._files.files.read_table` (header
  matching of :mod:`refund_xl._core.fields`), updates from :func:`refund_xl._app.track.apply`
  written only to the cells track owns (物流状态, 物流更新时间, 物流备注,
  退货物流状态), missing columns added at the right of the headers; in place after
  a backup, under the workbook's lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Mapping

from refund_xl._app import book as book_mod, track
from refund_xl._core import context, vocab
from refund_xl._files import files
from refund_xl._core.errors import InputFileError, OutputFileError, RefundXLError, clip
from refund_xl._app.track import CARRIER_SHEET, Query, Reading
from refund_xl._files.track_client import Credentials, CredentialsMissing, Kuaidi100, Transport

__all__ = ["config_path", "cache_path", "account_id", "load_credentials", "load_cache", "save_cache", "run_track",
           "load_carriers", "track_table", "Tracked"]

_KEEP_CACHE = timedelta(days=14)
_HEADERS = {"logistics": track.STATE_HEADER, "last_update": track.TIME_HEADER,
            "track_note": track.NOTE_HEADER, "return_logistics": track.RETURN_HEADER}
_NEW_ORDER = ("logistics", "last_update", "track_note", "return_logistics")


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
    """Credentials from the environment, else the config file; CredentialsMissing otherwise."""
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
    if not (customer and key):
        raise CredentialsMissing("未配置快递100 账号：请设置环境变量 KUAIDI100_CUSTOMER 和 KUAIDI100_KEY"
                                 f"（或写入 {path}）")
    return Credentials(customer, key, url or Credentials.__dataclass_fields__["url"].default)


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


def _read_accounts(path: Path) -> dict:
    try:
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
        out[(com, num)] = Reading(word, _when(e.get("updated")), str(e.get("text") or ""),
                                  str(e.get("code") or ""), asked, e.get("phone") or None)
    return out


def save_cache(path: Path, account: str, new: Mapping[Query, Reading], now: datetime) -> None:
    """Merge ``new`` answers into the cache file (a newer entry wins), atomically; drop old entries."""
    fresh = {(q.com, q.num): r for q, r in new.items() if r.queried_at is not None}
    if not fresh:
        return
    accounts = _read_accounts(path)
    merged = load_cache(path, account)
    for key, r in fresh.items():
        old = merged.get(key)
        if old is None or old.queried_at is None or r.queried_at >= old.queried_at:
            merged[key] = r
    entries = {}
    for (com, num), r in merged.items():
        if r.queried_at is None or now - r.queried_at > _KEEP_CACHE:
            continue
        entries[f"{com}:{num}"] = {"queried_at": _iso(r.queried_at), "word": r.word, "updated": _iso(r.updated),
                                   "text": r.text[:200], "code": r.code, "phone": r.phone}
    accounts[account] = entries
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with files.atomic_path(path) as tmp:
            tmp.write_text(json.dumps({"version": 2, "accounts": accounts}, ensure_ascii=False), encoding="utf-8")
    except (OSError, RefundXLError) as exc:  # a cache that cannot be saved must not lose the run
        print(f"refund-xl: 无法保存查询缓存 {path}（{clip(exc, 40)}）", file=sys.stderr)


# ------------------------------------------------------------------ carriers

def load_carriers(path: str | None, own: Mapping[str, list[list[object]]]) -> dict[str, str]:
    """A desk's carrier codes: the workbook's 快递公司编码 sheet, then ``--carriers FILE`` (wins)."""
    table: dict[str, str] = {}
    if CARRIER_SHEET in own:
        table.update(track.parse_carrier_table(own[CARRIER_SHEET]))
    if path:
        sheets = files.read_sheets(path)
        rows = sheets.get(CARRIER_SHEET) or next(iter(sheets.values()))
        table.update(track.parse_carrier_table(rows))
    return table


# ------------------------------------------------------------------ the run

class _Progress:
    def __init__(self, on: bool):
        self.on = on
        self.t0 = self.last = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.on and (done == total or now - self.last >= 1.0):
            self.last = now
            print(f"[{now - self.t0:5.1f}s] 查询物流 {done}/{total}", file=sys.stderr, flush=True)


def run_track(input: str | Path, out: str | Path | None = None, sheet: str | None = None,
              now: datetime | None = None, refresh: bool = False, carriers: str | None = None,
              aliases: Mapping[str, str] | None = None, progress: bool = True,
              transport: Transport | None = None, env: Mapping[str, str] | None = None,
              sleep: Callable[[float], None] = time.sleep) -> str:
    """Fill 物流状态 / 物流更新时间 / 物流备注 of a tracking sheet file; returns a summary line."""
    src = Path(input)
    dest = Path(out) if out else src
    suffix = src.suffix.lower()
    if suffix not in (".csv", *files.EXCEL_SUFFIXES):
        raise InputFileError(f"不支持的文件类型：{src.name}（支持 .xlsx / .xlsm / .csv）")
    if dest.suffix.lower() != suffix:
        raise OutputFileError(f"{dest.name}：输出需与输入同类型（{suffix}），track 只更新物流列")
    if not src.exists():
        raise InputFileError(f"找不到文件：{src}")
    when = (now or datetime.now()).replace(microsecond=0)
    in_place = dest.resolve() == src.resolve()
    with files.open_book(src, None if in_place else dest) as book:
        names = book.sheet_names
        own = {CARRIER_SHEET: book.rows(CARRIER_SHEET)} if suffix != ".csv" and CARRIER_SHEET in names else {}
        aliases = context.build(book_mod.own_tables(book), mappings=aliases).mappings
        table = book.table(sheet, aliases)
        header_r0 = table.header_row - 1
        done = track_table(table.rows, table.headers, header_r0, now=when, refresh=refresh,
                           carriers=load_carriers(carriers, own), aliases=aliases, progress=progress,
                           transport=transport, env=env, sleep=sleep)
        cells = dict(done.cells)
        if suffix == ".csv" and done.added_cols:  # a new CSV column reaches every data row
            for i, row in enumerate(table.rows):
                if any(v not in (None, "") for v in row):
                    for c in done.added_cols:
                        cells.setdefault((header_r0 + 1 + i, c), None)
        if cells:
            book.set_cells(table.sheet, cells)
    if cells:
        note = f"（原文件已备份为 {book.backup_path.name}）" if in_place and book.backup_path else ""
        wrote = f"已写入 {dest.name}{note}"
    elif not in_place:  # nothing to change: OUTPUT is still the copy asked for
        with files.atomic_path(dest) as tmp:
            shutil.copyfile(src, tmp)
        wrote = f"已写入 {dest.name}（无需更新）"
    else:
        wrote = f"{src.name} 无需更新"
    return f"{wrote}：{done.summary()}"


@dataclass
class Tracked:
    """One run's outcome: the cells to write ((sheet row, column) 0-based → value) and the counts."""

    cells: dict[tuple[int, int], object]
    counts: dict[str, int]
    added: list[str]
    added_cols: list[int]
    sent: int
    cached: int

    def summary(self) -> str:
        c = self.counts
        parts = [f"查询 {self.sent} 个单号（缓存 {self.cached} 个）", f"查到 {c['updated']} 项",
                 f"未获结果 {c['unanswered']} 项", f"未查询 {c['skipped']} 行"]
        if c["intercept_check"]:
            parts.append(f"拦截待确认 {c['intercept_check']} 单（见物流备注）")
        if self.added:
            parts.append("新增列 " + "、".join(self.added))
        return "，".join(parts)


def track_table(rows: list[list[object]], headers: list[object], header_r0: int, *, now: datetime,
                refresh: bool = False, carriers: Mapping[str, str] | None = None,
                aliases: Mapping[str, str] | None = None, progress: bool | Callable[[int, int], None] = True,
                transport: Transport | None = None, env: Mapping[str, str] | None = None,
                sleep: Callable[[float], None] = time.sleep) -> Tracked:
    """Plan, ask (what the cache cannot answer), remember, and turn the answers into cells.

    Shared by the file host and the ribbon.  Raises TrackError (credentials,
    an account the API refuses) before anything is written.
    """
    env = os.environ if env is None else env
    cache_file = cache_path(env)
    try:
        creds, missing = load_credentials(env), None
    except CredentialsMissing as exc:  # only an error when something has to be asked
        creds, missing = None, exc
    account = account_id(creds) if creds else ""
    p = track.plan(rows, headers, now=now, carriers=carriers, aliases=aliases,
                   cache=load_cache(cache_file, account) if creds else {}, refresh=refresh)
    answers: dict[Query, Reading] = {}
    if p.to_send:
        if creds is None:
            raise missing
        client = Kuaidi100(creds, transport, sleep=sleep, clock=lambda: now)
        say = progress if callable(progress) else _Progress(progress and len(p.to_send) > 1)
        try:
            for q, reading in client.query_many(p.to_send, say):
                answers[q] = reading
        finally:
            save_cache(cache_file, account, answers, now)
    updates, counts = track.apply(p, answers)
    cells, added, added_cols = _cells(headers, header_r0, p, updates)
    for (r, c), value in list(cells.items()):  # a cell that already says so is not rewritten
        i = r - header_r0 - 1
        if 0 <= i < len(rows) and c < len(rows[i]) and _unchanged(rows[i][c], value):
            del cells[(r, c)]
    return Tracked(cells, counts, added, added_cols, len(p.to_send), len(p.known))


def _unchanged(old: object, new: object) -> bool:
    if isinstance(new, datetime):
        return vocab.parse_datetime(old) == new
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new
    return old == new


def _cells(headers: list[object], header_r0: int, p: track.Plan, updates: Mapping[tuple[int, str], object]):
    """Row/column-keyed updates → {(sheet row, column) 0-based: value}, adding missing columns."""
    columns = dict(p.columns)
    last = max((i for i, h in enumerate(headers) if h is not None and str(h).strip()), default=-1)
    needed = {key for (_r, key) in updates}
    cells: dict[tuple[int, int], object] = {}
    added, added_cols = [], []
    for key in _NEW_ORDER:
        if key in needed and key not in columns:
            last += 1
            columns[key] = last
            cells[(header_r0, last)] = _HEADERS[key]
            added.append(_HEADERS[key])
            added_cols.append(last)
    for (row, key), value in updates.items():
        cells[(header_r0 + 1 + row, columns[key])] = value
    return cells, added, added_cols
