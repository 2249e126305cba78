"""``refund-xl archive`` and the ribbon's 归档 (contract §7): closed, quiet cases out of the live sheet.

A desk at 3,000 cases a day fills Excel's 1,048,576 rows within a year.  This moves
the cases that are done with — 售后状态 已退款 / 已关闭 / 已完结, as the product reads
it, and no activity for ``archive_days`` days — out of the tracking sheet into one
archive workbook per year beside the book (``<book>_归档_<year>.xlsx``), so the live
sheet keeps the open cases and the recent ones.

One use case for both hosts, :func:`run_archive`, over a :class:`~refund_xl._app.book.Book`
(the tracking book: rows removed, a 运行日志 line) and a :class:`Shelf` (the archive
workbooks: rows appended).  Decisions, all in :func:`plan_archive`:

* **closed**: the case's 售后状态 reads 已退款/已关闭/已完结; an unreadable 售后状态 is not
  closed (the row stays, counted);
* **activity**: the latest of 申请时间, 物流更新时间 and 拦截时间 (a time of exactly 00:00
  may be a date typed without its time: it counts as the end of that day).  A row with
  one of them unreadable, or with none of them, stays (its quiet time is not known);
* **year**: the year of 申请时间 (else of the latest activity): a case never changes file;
* **where**: a case still at 钱货两空 risk (LOSS_RISK ``RISK``) goes to the sheet
  钱货两空待核 of its year's archive, which the daily batch reads for 钱货两空核查; every
  other case to 归档 (then 归档2 … past a million rows);
* **what**: every column of the row, as values, under the book's headers (a header the
  archive lacks is added at the right of it, none is ever dropped), plus 归档时间; the
  result block of REFUND_TABLE / fill (处理动作 … 回复话术) is derived, not data, and
  is left out; a row without a readable 订单号 (or whose ids Excel damaged) stays;
* **order**: every archive workbook is written first (the safe-write path), the book
  after; a run stopped in between leaves the rows in both, and the next run finds them
  in the archive (same case key, every filled cell equal) and only removes them from the
  book.  A case that is in the archive but whose row now holds something else (a cell
  typed since) is appended again: two rows, nothing lost.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable, ContextManager, Mapping, Protocol, Sequence

from refund_xl._app import batch
from refund_xl._app.batch import LOG, log_lines, log_spec
from refund_xl._app.batch.merge import blank
from refund_xl._app.book import Book, Tracking, find_tracking
from refund_xl._app.fill import block_at
from refund_xl._app.table import WIDTH as RESULT_WIDTH
from refund_xl._core import engine, fields, rules, vocab
from refund_xl._core.lang import CLAUSE_SEP, LIST_SEP, pick
from refund_xl._core.context import Context
from refund_xl._core.settings import SETTINGS
from refund_xl._core.errors import InputFileError
from refund_xl._core.fields import Aliases

__all__ = ["ARCHIVE_SHEET", "RISK_SHEET", "ARCHIVED_AT", "ROWS_PER_SHEET", "RUN_NAME", "Key", "Shelf", "Drawer",
           "ShelfSheet", "Look", "SheetWrite", "ArchivePlan", "ArchiveResult", "archive_name", "archive_year",
           "key_columns", "key_of", "plan_archive", "run_archive", "same_cells"]

ARCHIVE_SHEET = "归档"
RISK_SHEET = "钱货两空待核"
ARCHIVED_AT = "归档时间"
ROWS_PER_SHEET = 1_000_000  # data rows per archive sheet (Excel holds 1,048,575 under a header)
RUN_NAME = ("归档", "Archive")
SUFFIX = "_归档_"

Key = tuple[str, str, str, str]  # (平台, 订单号, 售后单号, 物流单号 when there is no 售后单号)
_KEY_FIELDS = ("platform", "order_id", "case_id", "tracking_no")


def archive_name(book_stem: str, year: int) -> str:
    """``售后登记`` + 2025 → ``售后登记_归档_2025.xlsx``."""
    return f"{book_stem}{SUFFIX}{year}.xlsx"


def archive_year(name: str, book_stem: str) -> int | None:
    """The year of an archive workbook's name (None: not one of this book's)."""
    prefix = f"{book_stem}{SUFFIX}"
    if not (name.startswith(prefix) and name.lower().endswith(".xlsx")):
        return None
    year = name[len(prefix):-5]
    return int(year) if year.isdigit() and len(year) == 4 else None


# ------------------------------------------------------------------ keys

def key_columns(headers: Sequence[object], aliases: Aliases = None) -> dict[str, int]:
    """Where the key's fields are in a header row (field key → 0-based column)."""
    try:
        cmap = fields.resolve(list(headers), aliases)
    except Exception:  # a header row that resolves nothing: no key
        return {}
    return _key_index(cmap)


def _key_index(cmap: fields.ColumnMap) -> dict[str, int]:
    return {k: cmap.index[k] for k in _KEY_FIELDS if k in cmap.index}


def key_of(cells: Mapping[str, object]) -> Key | None:
    """A case's key from its raw cells (field key → value); None when 订单号 is missing or
    unreadable, or a number Excel damaged (never a key: contract §2 "Ids")."""
    order = vocab.parse_id(cells.get("order_id"))
    if not isinstance(order, str) or not order:
        return None
    case = vocab.parse_id(cells.get("case_id"))
    if case is vocab.BAD:
        return None
    track = vocab.parse_id(cells.get("tracking_no")) if not case else None
    if track is vocab.BAD:
        return None
    plat = cells.get("platform")
    platform = vocab.fold(str(plat)).lower() if plat is not None and str(plat).strip() else ""
    return platform, order, case or "", track or ""


def _norm(value: object) -> object:
    """A cell value as compared across the book and the archive: a date or a time as its serial number,
    however it is read — a day (2025/3/16, the whole day: a ``date`` or a WholeDay), a moment (2025/3/16 0:00,
    10:00), or the number the archive holds (45732.0): the same cell reads as a day in the book and as
    its number in the archive, and is the same cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, date):
        moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        delta = moment.replace(tzinfo=None) - datetime(1899, 12, 30)
        return round(delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400.0, 6)
    if isinstance(value, (int, float)):
        return round(float(value), 6) if math.isfinite(value) else None
    return "".join(ch for ch in str(value).strip() if ch >= " " or ch in "\t\n")


def same_cells(row: Mapping[str, object], archived: Mapping[str, object]) -> bool:
    """Is every filled cell of ``row`` (header → value) in ``archived`` as it is?"""
    for name, value in row.items():
        v = _norm(value)
        if v is not None and _norm(archived.get(name)) != v:
            return False
    return True


# ------------------------------------------------------------------ the shelf of archive workbooks

@dataclass
class ShelfSheet:
    """One sheet of an archive workbook as found: its header row and its last used row (1-based)."""

    name: str
    headers: list[str]
    last_row: int


@dataclass
class Look:
    """What one year's archive workbook holds, as far as a run needs it."""

    name: str
    exists: bool = False
    sheets: list[ShelfSheet] = field(default_factory=list)  # 归档, 归档2 …, then 钱货两空待核 (when there)
    found: dict[Key, list[dict[str, object]]] = field(default_factory=dict)  # asked keys → their rows (header → value)


@dataclass
class SheetWrite:
    """Rows to put into one sheet of an archive workbook."""

    name: str
    headers: list[str]        # the sheet's header row after this write
    added: dict[int, str]     # 0-based column → header added to an existing sheet
    rows: list[list[object]]  # laid out under ``headers``
    last_row: int             # existing sheet: its last row (1-based); new sheet: 0
    new: bool


class Drawer(Protocol):
    """One year's archive workbook, open for one run (locked until the block ends)."""

    def look(self, keys: set[Key], aliases: Aliases = None) -> Look: ...

    def write(self, writes: list[SheetWrite]) -> None:
        """Every write of this workbook at once, through the safe-write path."""


class Shelf(Protocol):
    """The yearly archive workbooks beside a book."""

    def years(self) -> list[int]: ...

    def name(self, year: int) -> str: ...

    def open(self, year: int) -> ContextManager[Drawer]: ...

    def risk_rows(self, unread: list[str] | None = None) -> list[tuple[str, list[object], list[list[object]]]]:
        """(archive name, headers, rows) of every 钱货两空待核 sheet: what 钱货两空核查 reads.  An archive
        that cannot be read raises InputFileError; with ``unread`` given, its name is added there and
        it is skipped (a run that only counts the archives' risks goes on without it)."""


# ------------------------------------------------------------------ the plan

@dataclass
class Candidate:
    index: int            # 0-based data row of the tracking table
    key: Key
    year: int
    risk: bool
    cells: dict[str, object]  # archive header → value


@dataclass
class ArchivePlan:
    days: float
    cutoff: datetime
    names: list[str]                       # archive headers of the book's columns, in order
    columns: list[int]                     # the book's 0-based columns, aligned with ``names``
    candidates: list[Candidate] = field(default_factory=list)
    kept: Counter = field(default_factory=Counter)  # reason → rows that stay

    def by_year(self) -> dict[int, list[Candidate]]:
        out: dict[int, list[Candidate]] = {}
        for c in self.candidates:
            out.setdefault(c.year, []).append(c)
        return dict(sorted(out.items()))


_KEPT = {
    "open": ("未完结", "open"),
    "state_unread": ("售后状态无法识别", "case state unreadable"),
    "recent": ("近期有动静", "recent activity"),
    "time_unread": ("时间无法识别", "a time unreadable"),
    "no_time": ("没有任何时间", "no time at all"),
    "no_key": ("订单号缺失或无法识别", "order ID missing or unreadable"),
    "error": ("无法判定", "not decided"),
}


def _latest(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.hour == value.minute == value.second == 0 and not value.microsecond:
        return value + timedelta(days=1)  # a date without its time: the whole day
    return value


def _column_names(headers: Sequence[object], skip: set[int]) -> tuple[list[str], list[int]]:
    names: list[str] = []
    cols: list[int] = []
    seen: Counter[str] = Counter()
    for i, h in enumerate(headers):
        if i in skip:
            continue
        text = h.strftime("%Y-%m-%d %H:%M") if isinstance(h, datetime) else ("" if h is None else str(h).strip())
        if not text:
            text = f"（无表头·第{i + 1}列）"
        seen[text] += 1
        if seen[text] > 1:
            text = f"{text}（第{i + 1}列）"
        names.append(text)
        cols.append(i)
    return names, cols


def plan_archive(tracking: Tracking, ctx: Context, days: float | None = None,
                 anchor: tuple[int, int] | None = None, area: tuple[int, int] | None = None) -> ArchivePlan:
    """Which rows of the tracking table go, to which year and sheet (see the module doc).  ``anchor`` /
    ``area``: the REFUND_TABLE formula's cell and the print area's first cell (0-based sheet row, column)
    the file host reads, to tell the result block where its cached header shows no name (#VALUE!)."""
    s = ctx.settings
    days = s.archive_days if days is None else days
    cutoff = ctx.now - timedelta(days=days)
    headers = list(tracking.headers)
    width = max([len(headers), *(len(r) for r in tracking.rows)], default=0)
    headers += [None] * (width - len(headers))
    skip: set[int] = set()
    head_at = tracking.at
    start = block_at([headers, *tracking.rows], anchor[1] if anchor is not None and anchor[0] == head_at else None,
                     area[1] if area is not None and area[0] == head_at else None)
    if start is not None:
        skip = set(range(start, start + RESULT_WIDTH))
    names, cols = _column_names(headers, skip)
    # a column with neither a header nor a value among the data is nothing to keep
    keep = [k for k, (n, c) in enumerate(zip(names, cols))
            if not n.startswith("（无表头") or any(c < len(r) and not blank(r[c]) for r in tracking.rows)]
    names, cols = [names[k] for k in keep], [cols[k] for k in keep]
    plan = ArchivePlan(days, cutoff, names, cols)
    results, _report = engine.evaluate_table(tracking.rows, list(tracking.headers), ctx, columns=tracking.columns)
    at = _key_index(tracking.columns)
    for i, (row, res) in enumerate(zip(tracking.rows, results)):
        if res.blank:
            continue
        case = res.case
        if res.error or case is None:
            plan.kept["error"] += 1
            continue
        if "case_state" in case.bad:
            plan.kept["state_unread"] += 1
            continue
        if case.case_state not in rules.CLOSED_STATES:
            plan.kept["open"] += 1
            continue
        if any(k in case.bad for k in ("applied_at", "last_update", "intercept_at")):
            plan.kept["time_unread"] += 1
            continue
        times = [t for t in (_latest(case.applied_at), _latest(case.last_update), _latest(case.intercept_at)) if t]
        if not times:
            plan.kept["no_time"] += 1
            continue
        if max(times) > cutoff:
            plan.kept["recent"] += 1
            continue
        key = key_of({k: row[c] if c < len(row) else None for k, c in at.items()})
        if key is None:
            plan.kept["no_key"] += 1
            continue
        year = (case.applied_at or max(times)).year
        cells = {n: (row[c] if c < len(row) else None) for n, c in zip(names, cols)}
        plan.candidates.append(Candidate(i, key, year, res.loss_risk == "RISK", cells))
    return plan


def _fold(text: object) -> str:
    return vocab.fold(str(text)).lower() if text is not None else ""


def _lay_out(look: Look, plan: ArchivePlan, rows: list[Candidate], run_at: datetime,
             per_sheet: int) -> list[SheetWrite]:
    """The writes of one archive workbook: rows laid out under each target sheet's headers."""
    wanted = [*plan.names, ARCHIVED_AT]
    writes: list[SheetWrite] = []
    existing = {sh.name: sh for sh in look.sheets}

    def target(name: str) -> SheetWrite:
        for w in writes:
            if w.name == name:
                return w
        sh = existing.get(name)
        if sh is None:
            w = SheetWrite(name, list(wanted), {}, [], 0, True)
        else:
            headers = list(sh.headers)
            have = {_fold(h) for h in headers if not blank(h)}
            added = {}
            for h in wanted:
                if _fold(h) not in have:
                    added[len(headers)] = h
                    headers.append(h)
                    have.add(_fold(h))
            w = SheetWrite(name, headers, added, [], sh.last_row, False)
        writes.append(w)
        return w

    positions: dict[str, tuple[list[int], int]] = {}  # sheet → (column of each of plan.names, 归档时间's)

    def place(w: SheetWrite, c: Candidate) -> None:
        at = positions.get(w.name)
        if at is None:
            index: dict[str, int] = {}
            for i, h in enumerate(w.headers):
                index.setdefault(_fold(h), i)
            at = positions[w.name] = ([index[_fold(n)] for n in plan.names], index[_fold(ARCHIVED_AT)])
        line: list[object] = [None] * len(w.headers)
        for i, v in zip(at[0], c.cells.values()):
            line[i] = v
        line[at[1]] = run_at
        w.rows.append(line)

    mains = [sh.name for sh in look.sheets if sh.name != RISK_SHEET]
    current = mains[-1] if mains else ARCHIVE_SHEET
    used = (existing[current].last_row - 1) if current in existing else 0
    for c in rows:
        if c.risk:
            place(target(RISK_SHEET), c)
            continue
        if used >= per_sheet:
            n = 2 if current == ARCHIVE_SHEET else int(current[len(ARCHIVE_SHEET):]) + 1
            current, used = f"{ARCHIVE_SHEET}{n}", 0
        place(target(current), c)
        used += 1
    return [w for w in writes if w.rows]


# ------------------------------------------------------------------ the run

@dataclass
class ArchiveResult:
    """What a run did, for the summary line and the log."""

    days: float
    cutoff: datetime
    moved: int = 0            # rows removed from the tracking sheet
    appended: int = 0         # rows written to an archive
    already: int = 0          # rows found in the archive already (a re-run): only removed
    risk: int = 0             # of the appended, to 钱货两空待核
    files: dict[str, int] = field(default_factory=dict)  # archive name → rows appended
    kept: Counter = field(default_factory=Counter)
    remaining: int = 0
    sheet: str = ""
    cancelled: bool = False
    backup: str | None = None  # the book's backup (file host)

    def detail(self, en: bool = False) -> str:
        """What went where and what stayed, in the run's language (the 运行日志 line's 说明)."""
        def L(zh: str, e: str) -> str:
            return pick((zh, e), en)

        bits = []
        if self.files:
            bits.append(L("写入 ", "wrote ") + pick(LIST_SEP, en).join(L(f"{n} {k} 行", f"{k} rows to {n}")
                                                                     for n, k in self.files.items()))
        if self.risk:
            bits.append(L(f"其中钱货两空待核 {self.risk} 单", f"{self.risk} of them to {RISK_SHEET}"))
        if self.already:
            bits.append(L(f"已在归档中 {self.already} 单（只从「{self.sheet}」移走）",
                          f"{self.already} already archived (only removed from {self.sheet})"))
        kept = pick(LIST_SEP, en).join(f"{pick(_KEPT[k], en)} {n}" for k, n in self.kept.items()
                                       if k not in ("open", "recent") and n)
        if kept:
            bits.append(L(f"未归档：{kept} 单", f"not archived: {kept}"))
        return pick(CLAUSE_SEP, en).join(bits)

    def summary(self) -> str:
        if self.cancelled:
            return "已取消归档，未做任何改动"
        head = (f"归档 {self.moved} 单（{self.cutoff:%Y-%m-%d} 前已完结且无动静，{self.days:g} 天），"
                f"「{self.sheet}」剩 {self.remaining} 单")
        rest = self.detail()
        return head + ("；" + rest if rest else "")


def run_archive(book: Book, ctx: Context, shelf: Shelf, *, days: float | None = None, sheet: str | None = None,
                run_at: datetime | None = None, confirm: Callable[[str], bool] | None = None,
                say: Callable[[str], None] = lambda _text: None,
                per_sheet: int | None = None) -> ArchiveResult:
    """Move closed, quiet cases of ``book``'s tracking sheet into ``shelf`` (see the module doc).

    ``confirm`` (the ribbon) is asked with a one-line plan before anything is written;
    False cancels.  Raises :class:`~refund_xl._core.errors.RefundXLError` for bad input;
    an archive that cannot be written stops the run before the book is touched.
    """
    if days is not None and (not isinstance(days, (int, float)) or not math.isfinite(days) or days < 0):
        raise InputFileError(f"--days 应为不小于 0 的天数（收到 {days}）")
    run_at = run_at or datetime.now().replace(microsecond=0)
    tracking = find_tracking(book, sheet, ctx.mappings)
    say(f"判定「{tracking.sheet}」{len(tracking.rows)} 行 …")
    anchor, area = (getattr(book, "result_anchor", None), getattr(book, "result_area", None))
    plan = plan_archive(tracking, ctx, days, anchor(tracking.sheet) if anchor else None,
                        area(tracking.sheet) if area else None)
    result = ArchiveResult(plan.days, plan.cutoff, kept=plan.kept, sheet=tracking.sheet)
    years = plan.by_year()
    if confirm is not None and years:
        text = "、".join(f"{y} 年 {len(c)} 单 → {shelf.name(y)}" for y, c in years.items())
        if not confirm(f"将从「{tracking.sheet}」移走 {len(plan.candidates)} 单已完结、{plan.days:g} 天无动静的售后单：{text}。"
                       "归档文件先写好，再从售后登记删除这些行。继续吗？"):
            result.cancelled = True
            return result
    gone: list[int] = []
    for year, cands in years.items():
        name = shelf.name(year)
        say(f"写入 {name}（{len(cands)} 单）…")
        with shelf.open(year) as drawer:
            look = drawer.look({c.key for c in cands}, ctx.mappings)
            fresh = []
            for c in cands:
                stored = look.found.get(c.key) or []
                hit = next((k for k, row in enumerate(stored) if same_cells(c.cells, row)), None)
                if hit is not None:
                    stored.pop(hit)  # one archived row covers one row of the book
                    result.already += 1
                else:
                    fresh.append(c)
            writes = _lay_out(look, plan, fresh, run_at, per_sheet or ROWS_PER_SHEET)
            if writes:
                drawer.write(writes)
        result.files[name] = len(fresh)
        result.appended += len(fresh)
        result.risk += sum(c.risk for c in fresh)
        gone += [c.index for c in cands]
    result.files = {n: k for n, k in result.files.items() if k}
    result.moved = len(gone)
    cases = sum(1 for r in tracking.rows if any(not blank(v) for v in r))
    result.remaining = cases - result.moved
    if gone:
        say(f"从「{tracking.sheet}」移走 {len(gone)} 行 …")
        book.remove_rows(tracking.sheet, [tracking.at + 1 + i for i in sorted(gone)])
    _log(book, ctx, result, run_at)
    return result


def _log(book: Book, ctx: Context, result: ArchiveResult, run_at: datetime) -> None:
    """One 运行日志 line per run (the book's own 运行日志, or the one beside a desk's sheet of that name)."""
    en = ctx.english
    place, _moved = batch.output_name(LOG, book.sheet_names, book.head)
    previous = book.rows(place) if place in book.sheet_names else None
    line = {"run_at": run_at, "now": ctx.now, "cases": result.remaining, "what": pick(RUN_NAME, en),
            "settings": f"{_days_label(en)}={result.days:g}",
            "detail": pick((f"移走 {result.moved} 单；", f"moved {result.moved}; "), en)
            + (result.detail(en) or pick(("没有可归档的售后单", "nothing to archive"), en))}
    rows = log_lines(previous, [line], en)
    book.put_sheet(dataclasses.replace(log_spec(rows), name=place), previous)


def _days_label(en: bool) -> str:
    """archive_days as the 设置 sheet names it (the run log names every setting so)."""
    item = next(x for x in SETTINGS if x.key == "archive_days")
    return pick((item.label, item.english), en)
