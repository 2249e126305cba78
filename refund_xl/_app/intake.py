"""Daily intake (contract §7 ``import``): platform exports merged into the tracking sheet.

Pure functions over plain values, shared by both hosts (the file host
:mod:`refund_xl._files.intake_files` behind ``refund-xl import``, and the ribbon
macro 导入平台导出 in :mod:`refund_xl.macros`): an export's rows go in, the
cases it holds come out (:func:`read_export`); the tracking sheet's rows and
those cases go in, the cells to write come out (:func:`plan_merge`).  No file,
no Excel, no clock.

Reading an export is the engine's reading (header detection, platform
presets, 列名映射 / 值映射, :func:`refund_xl._core.engine.read_columns`): nothing
here matches headers or words itself.  Of what it reads, only the fields go
into the book: of an address the province, of a phone the last four digits
and only for 顺丰 (its tracking query needs them), never a name.

Merging, per case (key: 平台 + 售后单号, else 平台 + 订单号):

* a case not in the sheet is appended at the bottom;
* platform-owned columns (:data:`PLATFORM_KEYS`: 售后状态, 退款金额, 超时时间,
  售后类型, 发货状态, 物流单号, 退货物流单号 …) take the export's value when
  the export has one and it reads differently from the cell;
* progress columns (物流状态, 退货物流状态, 物流更新时间) are filled when blank
  and only ever moved forward (:data:`PROGRESS`: the courier's 退回 replaces
  yesterday's 运输中, but 运输中 never replaces 已签收 that staff typed);
* every other column (拦截状态, 客户反馈, 跟进备注, 验货结果, a team's own
  columns …) is staff-owned: never written on an existing row;
* nothing is deleted, and cases absent from today's exports stay as they are.

Several exports in one run are applied oldest first (the host orders them by
file modification time, then by the order given), so the newest export's
value is the one that stays.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping, Sequence

from refund_xl._core import engine, fields, vocab
from refund_xl._core.fields import FIELD_BY_KEY

__all__ = ["ExportRead", "ImportCase", "Skipped", "MergePlan", "read_export", "plan_merge",
           "new_sheet_headers", "mappings", "PLATFORM_KEYS", "PROGRESS_KEYS", "NOTE_HEADER",
           "log_rows", "RUN_NAME", "is_sf"]

NOTE_HEADER = "跟进备注"
RUN_NAME = "导入平台导出"

# Fields the platform is the authority on: the newest export's value wins.
PLATFORM_KEYS = ("order_id", "case_id", "applied_at", "refund_type", "amount", "ship_state",
                 "carrier", "tracking_no", "return_tracking_no", "province", "reason",
                 "case_state", "deadline")
# Fields an export may know but staff (or `track`) keep up to date: filled when
# blank, and moved forward only along PROGRESS.
PROGRESS_KEYS = ("logistics", "return_logistics", "last_update")
# How far along a parcel is: a word moves only to a higher rank (the courier's 退回 replaces
# yesterday's 运输中; nothing replaces 已签收 / 丢件 / 拒收 / 退回 once there).
PROGRESS = {
    "logistics": {"未揽收": 0, "已揽收": 1, "运输中": 2, "派送中": 3, "异常": 3.5,
                  "已签收": 4, "丢件": 4, "拒收": 4, "退回": 4},
    "return_logistics": {"未寄回": 0, "已揽收": 1, "运输中": 2, "已签收": 3},
}
def _read_keys() -> tuple[str, ...]:
    return tuple(f.key for f in fields.FIELDS)


def new_sheet_headers() -> list[str]:
    """The tracking sheet a new book gets: 平台, the §2 headers with 商品名称, 收件人手机 and
    退货物流单号 beside theirs, and 跟进备注 (物流状态 … 客户反馈 are §2 headers)."""
    after = {"case_id": "goods_name", "tracking_no": "phone", "return_logistics": "return_tracking_no"}
    placed = {"platform", *after.values()}
    out = [FIELD_BY_KEY["platform"].header]
    for f in fields.FIELDS:
        if f.key in placed:
            continue
        out.append(f.header)
        if f.key in after:
            out.append(FIELD_BY_KEY[after[f.key]].header)
    out.append(NOTE_HEADER)
    return out


# ------------------------------------------------------------------ reading an export

@dataclass
class Skipped:
    source: str
    line: int  # 1-based row of the export (0: the whole file)
    reason: str


@dataclass
class ImportCase:
    """One case of an export: canonical values (and unreadable raw cells) per field."""

    platform: str
    values: dict[str, object]  # field key → canonical value (only fields the export filled)
    raw_bad: dict[str, object]  # field key → the raw cell that could not be read
    product: str | None
    phone4: str | None
    source: str
    line: int

    @property
    def ids(self) -> tuple[str | None, str | None]:
        return self.values.get("case_id"), self.values.get("order_id")


@dataclass
class ExportRead:
    source: str
    platform: str
    cases: list[ImportCase]
    skipped: list[Skipped]
    unreadable: dict[str, list[object]] = field(default_factory=dict)  # field key → raw examples
    report: str = ""  # the reading report (contract §2.2), a few lines
    reading: str = ""  # the same in one line, for 运行日志


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# The 平台 column's words, per preset key (a preset's own name is longer: 淘宝/天猫 千牛退款管理).
PLATFORM_NAMES = {"taobao": "淘宝", "tmall": "淘宝", "pdd": "拼多多", "doudian": "抖店", "douyin": "抖店",
                  "jd": "京东", "wechat": "微信小店", "wdt": "旺店通"}


def _platform_of(cmap) -> str:
    """The platform's short name (平台 column) of an export, from the preset the engine recognised."""
    preset = getattr(cmap, "preset", None)
    if preset is None:
        return ""
    return PLATFORM_NAMES.get(getattr(preset, "key", ""), "") or str(getattr(preset, "name", "")).split("/")[0]


def _phone4(value: object) -> str | None:
    if _blank(value):
        return None
    digits = "".join(ch for ch in vocab.fold(str(value)) if ch.isdigit())
    if isinstance(value, float) and value.is_integer():
        digits = str(int(value))
    return digits[-4:] if len(digits) >= 4 else None


def is_sf(carrier: object, tracking_no: object) -> bool:
    """顺丰 parcels: the courier's tracking query needs the phone's last four digits."""
    c = vocab.fold(str(carrier)).lower() if carrier else ""
    t = vocab.fold(str(tracking_no)).upper() if tracking_no else ""
    return "顺丰" in c or c.startswith("sf") or "shunfeng" in c or t.startswith("SF")


def mappings(aliases: object, value_rows: object = None) -> object:
    """The team's 列名映射 and a 值映射 table (rows) as one :class:`fields.Mappings`."""
    if value_rows is None:
        return aliases
    given = fields.as_mappings(aliases)
    return fields.Mappings(dict(given.columns), {**given.values, **fields.parse_value_table(value_rows)})


def _unwrap(row: Sequence[object]) -> list[object]:
    """``="4242994886263078938"`` (a tool's guard against Excel's float) → the text inside."""
    out = list(row)
    for i, v in enumerate(out):
        if v.__class__ is str and v.startswith('="') and v.endswith('"') and len(v) >= 3:
            out[i] = v[2:-1]
    return out


def read_export(source: str, rows: Sequence[Sequence[object]], aliases: object = None,
                values: object = None, now: datetime | None = None) -> ExportRead:
    """The cases of one export (its rows as a sheet hands them over).

    Raises nothing for a bad row: rows without an order/case number and
    totals rows are skipped with a reason; notice rows above the header are
    counted as skipped; an unreadable value is kept raw (the decision then
    says 信息不足 naming it) and reported.
    """
    aliases = mappings(aliases, values)
    found = fields.split_table(rows, aliases)
    if found is None:
        return ExportRead(source, "", [], [Skipped(source, 0, fields.no_table_message())])
    at, headers, body = found
    # Rows above the header are the export's notices (a two-row header keeps its upper row).
    top = at - (1 if [vocab.fold(str(h)) if h is not None else "" for h in headers]
                != [vocab.fold(str(h)) if h is not None else "" for h in rows[at]] else 0)
    skipped = [Skipped(source, i + 1, "表头上方的提示行") for i in range(top)
               if any(not _blank(c) for c in rows[i])]
    body = [_unwrap(r) for r in body]
    cols = engine.read_columns(body, headers, aliases=aliases, keys=_read_keys(), now=now)
    cmap = cols.cmap
    platform = _platform_of(cmap)
    by_key = dict(zip(cols.keys, cols.values))
    unreadable: dict[str, list[object]] = {}
    cases: list[ImportCase] = []
    first_line = at + 2
    for i, row in enumerate(body):
        line = first_line + i
        if cols.blank[i]:
            if any(not _blank(c) for c in row):
                skipped.append(Skipped(source, line, "合计/说明行（不是售后单）"))
            continue
        vals = {k: by_key[k][i] for k in cols.keys if by_key[k][i] is not None}
        bad = {}
        typed = cols.bad_values.get(i, ())
        for j, k in enumerate(cols.bad.get(i, ())):
            c = cmap.index.get(k)
            raw = row[c] if c is not None and c < len(row) else None
            if _blank(raw) and j < len(typed):
                raw = typed[j]  # a field read from another column (a preset's combined cell)
            bad[k] = raw
            unreadable.setdefault(k, []).append(raw)
        if not vals.get("order_id") and not vals.get("case_id"):
            why = "订单号/售后单号无法识别" if {"order_id", "case_id"} & bad.keys() else "没有订单号或售后单号"
            skipped.append(Skipped(source, line, why))
            continue
        # Defaults are the engine's reading of an empty cell, not a fact the export gave.
        for k in list(vals):
            fld = FIELD_BY_KEY[k]
            col = cmap.index.get(k)
            if fld.default is not None and vals[k] == fld.default and k not in cols.fallback and (
                    col is None or col >= len(row) or _blank(row[col])):
                del vals[k]
        # Of an address only the province; text naming no province is not kept.
        if "province" in vals and vals["province"] not in vocab.PROVINCES:
            del vals["province"]
        named = vals.pop("platform", None)  # a 平台 column of the export (an ERP's, a desk's)
        product = vals.pop("goods_name", None)
        phone = vals.pop("phone", None)
        phone4 = _phone4(phone) if is_sf(vals.get("carrier"), vals.get("tracking_no")) else None
        plat = platform or (named if isinstance(named, str) else "")
        cases.append(ImportCase(plat, vals, bad, product if isinstance(product, str) else None,
                                phone4, source, line))
    read = ExportRead(source, platform, cases, skipped, unreadable)
    read.report = _report(read, cols)
    return read


def _report(read: ExportRead, cols) -> str:
    """The reading report of one export (contract §2.2, :mod:`refund_xl._core.report`), headed by what import did."""
    from refund_xl._core import report

    rep = report.build(cols, sheet=read.source)
    rep.preset = read.platform or rep.preset
    read.reading = f"{read.source}：{rep.summary()}"
    lines = rep.lines(short=True)
    lines[0] = f"{read.source}：{len(read.cases)} 个售后单" + (f"，识别为「{rep.preset}」导出" if rep.preset else "")
    if read.unreadable:
        lines.append("  认不出的值原样写入登记表，判定时提示信息不足")
    return "\n".join(lines)


# ------------------------------------------------------------------ merging

@dataclass
class MergePlan:
    """What to write into the tracking sheet (0-based row/column of the sheet as read)."""

    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    appended: list[list[object]] = field(default_factory=list)  # rows below the last one
    new_headers: dict[int, str] = field(default_factory=dict)  # column → header (header row)
    counts: Counter = field(default_factory=Counter)  # new / updated / unchanged / skipped
    skipped: list[Skipped] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)  # fields the sheet has no room for
    changed_cases: list[str] = field(default_factory=list)

    def sheet_cells(self, header_row: int, body_rows: int) -> dict[tuple[int, int], object]:
        """The plan as sheet cells (0-based row/column): new headers on ``header_row``, updates
        below it, new cases after the ``body_rows`` rows of the table."""
        cells: dict[tuple[int, int], object] = {}
        for c, h in self.new_headers.items():
            cells[(header_row, c)] = h
        for (r, c), v in self.cells.items():
            cells[(header_row + 1 + r, c)] = v
        for k, row in enumerate(self.appended):
            for c, v in enumerate(row):
                if v is not None:
                    cells[(header_row + 1 + body_rows + k, c)] = v
        return cells

    @property
    def changes(self) -> bool:
        return bool(self.cells or self.appended or self.new_headers)

    def summary(self) -> str:
        c = self.counts
        text = f"新增 {c['new']} 行，更新 {c['updated']} 行，未变 {c['unchanged']} 行，跳过 {c['skipped']} 行"
        reasons = Counter(s.reason for s in self.skipped)
        if reasons:
            text += "（" + "，".join(f"{r} {n}" for r, n in reasons.most_common()) + "）"
        if self.missing_columns:
            text += "；登记表没有空列可放：" + "、".join(self.missing_columns)
        return text


def _key_text(value: object) -> str:
    got = vocab.parse_id(value)
    return got if isinstance(got, str) else ""


def _fold(value: object) -> str:
    return vocab.fold(str(value)) if value is not None else ""


def _same(fld, cell: object, new: object) -> bool:
    """Whether a sheet cell already says ``new`` (read with the field's parser)."""
    if _blank(cell):
        return False
    got = fld.parse(cell)
    if got is vocab.BAD:
        return _fold(cell) == _fold(new)
    if isinstance(new, float) and isinstance(got, (int, float)):
        return abs(got - new) < 0.005
    return got == new


def _further(key: str, cell: object, new: object) -> bool:
    """A progress column moves forward only."""
    fld = FIELD_BY_KEY[key]
    if _blank(cell):
        return True
    old = fld.parse(cell)
    if key == "last_update":
        return isinstance(old, datetime) and isinstance(new, datetime) and new > old
    rank = PROGRESS.get(key, {})
    return old in rank and new in rank and rank[new] > rank[old]


def _room(headers: list[object], rows: Sequence[Sequence[object]], limit: int | None) -> list[int]:
    """Columns where new columns may go: the run of columns right of the last header (before
    ``limit``) that are empty in the header and in every row; never past a column with content."""
    top = len(headers) if limit is None else min(limit, len(headers))
    start = top
    while start and _blank(headers[start - 1]):
        start -= 1
    free = []
    c = start
    while (limit is None and len(free) < 40) or (limit is not None and c < limit):
        if (c < len(headers) and not _blank(headers[c])) or any(c < len(r) and not _blank(r[c]) for r in rows):
            break
        free.append(c)
        c += 1
    return free


def plan_merge(headers: Sequence[object], rows: Sequence[Sequence[object]], exports: Sequence[ExportRead],
               aliases: Mapping[str, str] | None = None, room_limit: int | None = None) -> MergePlan:
    """The cells that bring the tracking sheet (``headers`` + ``rows``) up to the exports.

    ``exports`` are applied in order (oldest first; the last value stays).
    ``room_limit``: the first column that may not take a new column (e.g. the
    template's formula block); ``None`` = any free column right of the data.
    """
    plan = MergePlan()
    headers = list(headers)
    rows = list(rows)  # rows are copied only when written (a year's sheet is 100k rows)
    cmap = fields.resolve(headers, aliases)
    col: dict[str, int] = dict(cmap.index)
    extra = {"platform": col.pop("platform", None), "product": col.pop("goods_name", None),
             "phone": col.pop("phone", None)}
    # Columns the sheet lacks but the exports fill: added right of the data while there is room.
    wanted = []
    cases = [c for e in exports for c in e.cases]
    if extra["platform"] is None and any(c.platform for c in cases):
        wanted.append(("platform", FIELD_BY_KEY["platform"].header))
    for k in PLATFORM_KEYS + PROGRESS_KEYS:
        if k not in col and any(k in c.values or k in c.raw_bad for c in cases):
            wanted.append((k, FIELD_BY_KEY[k].header))
    if extra["product"] is None and any(c.product for c in cases):
        wanted.append(("product", FIELD_BY_KEY["goods_name"].header))
    if extra["phone"] is None and any(c.phone4 for c in cases):
        wanted.append(("phone", FIELD_BY_KEY["phone"].header))
    free = _room(headers, rows, room_limit) if wanted else []
    for (k, name), c in zip(wanted, free):
        plan.new_headers[c] = name
        if k in extra:
            extra[k] = c
        else:
            col[k] = c
    plan.missing_columns = [name for k, name in wanted[len(free):]]
    width = max([len(headers), *(c + 1 for c in plan.new_headers)])

    # The sheet's cases by key (平台 + 售后单号, and 平台 + 订单号 for rows without one).
    pc, oc, cc = extra["platform"], col.get("order_id"), col.get("case_id")

    def cell(r: list[object], c: int | None) -> object:
        return r[c] if c is not None and c < len(r) else None

    by_case: dict[tuple[str, str], int] = {}
    by_id: dict[str, list[int]] = {}  # 售后单号 → rows, whatever their 平台
    by_order: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(rows):
        plat = _fold(cell(r, pc)) if not _blank(cell(r, pc)) else ""
        case_id, order_id = _key_text(cell(r, cc)), _key_text(cell(r, oc))
        if case_id:
            by_case.setdefault((plat, case_id), i)
            by_id.setdefault(case_id, []).append(i)
        if order_id:
            by_order.setdefault((plat, order_id), []).append(i)

    # the sheet as it will be: existing rows + appended rows, edited in place
    table = rows
    start = len(rows)
    touched: dict[int, set[int]] = {}
    copied: set[int] = set()
    state = {}  # row → "new" / existing

    def find(case: ImportCase) -> int | None:
        case_id, order_id = case.ids
        for plat in dict.fromkeys((_fold(case.platform) if case.platform else "", "")):
            if case_id and (plat, case_id) in by_case:
                return by_case[(plat, case_id)]
        if not case.platform and case_id:
            # an export that names no platform (an ERP's): the one row with this 售后单号, whatever its 平台
            rows_here = by_id.get(case_id, ())
            if len(rows_here) == 1:
                return rows_here[0]
        for plat in dict.fromkeys((_fold(case.platform) if case.platform else "", "")):
            for i in by_order.get((plat, order_id or ""), ()):
                # a row without a 售后单号 (or with this one) is the same case
                if not _key_text(cell(table[i], cc)) or _key_text(cell(table[i], cc)) == case_id:
                    return i
        return None

    def put(i: int, c: int | None, value: object, fill_only: bool = False) -> None:
        if c is None or value is None:
            return
        if i not in copied:
            table[i] = list(table[i])
            copied.add(i)
        r = table[i]
        if len(r) <= c:
            r.extend([None] * (c + 1 - len(r)))
        if fill_only and not _blank(r[c]):
            return
        r[c] = value
        touched.setdefault(i, set()).add(c)

    for case in cases:
        i = find(case)
        if i is None:
            i = len(table)
            table.append([None] * width)
            copied.add(i)
            state[i] = "new"
            if case.values.get("case_id"):
                by_case[(_fold(case.platform) if case.platform else "", case.values["case_id"])] = i
                by_id.setdefault(case.values["case_id"], []).append(i)
            if case.values.get("order_id"):
                by_order.setdefault((_fold(case.platform) if case.platform else "", case.values["order_id"]), []).append(i)
        new_row = state.get(i) == "new"
        if case.platform and _blank(cell(table[i], pc)):
            put(i, pc, case.platform)
        for k, v in case.values.items():
            c = col.get(k)
            if c is None:
                continue
            if k in PROGRESS_KEYS and not new_row:
                if _further(k, cell(table[i], c), v):
                    put(i, c, v)
                continue
            if k not in PLATFORM_KEYS and not new_row:
                continue  # staff-owned
            if _same(FIELD_BY_KEY[k], cell(table[i], c), v):
                continue
            put(i, c, v)
        for k, raw in case.raw_bad.items():
            c = col.get(k)
            if c is not None and (k in PLATFORM_KEYS or new_row) and _fold(cell(table[i], c)) != _fold(raw):
                put(i, c, raw if isinstance(raw, (str, int, float, datetime)) else str(raw))
        if case.product and _fold(cell(table[i], extra["product"])) != _fold(case.product):
            put(i, extra["product"], case.product, fill_only=not new_row)
        if case.phone4:
            put(i, extra["phone"], case.phone4, fill_only=True)

    for i in sorted(k for k in touched if k < start):
        plan.counts["updated"] += 1
        for c in sorted(touched[i]):
            plan.cells[(i, c)] = table[i][c]
    for i in range(start, len(table)):
        plan.counts["new"] += 1
        plan.appended.append(table[i][:width] + [None] * (width - len(table[i])))
    matched = {find(c) for c in cases}
    plan.counts["unchanged"] = len([i for i in matched if i is not None and i < start and i not in touched])
    plan.skipped = [s for e in exports for s in e.skipped]
    plan.counts["skipped"] = len(plan.skipped)
    return plan


# ------------------------------------------------------------------ 运行日志

def log_rows(previous: object, run_at: datetime, now: datetime | None, cases: int, text: str,
             reading: str = "") -> list[list[object]]:
    """The 运行日志 sheet with one more line for this import (the batch's one log writer)."""
    from refund_xl._app.batch import append_log

    return append_log(previous, {"run_at": run_at, "now": now, "cases": cases, "what": RUN_NAME, "result": text,
                                 "reading": reading or None})
