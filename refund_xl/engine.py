"""Whole tables in, one result per row out: the pure core both hosts call.

``rows`` is a list of rows (each a list of cell values as a host hands them
over), ``headers`` the header row.  Columns are found by name
(:mod:`refund_xl.fields`), each column is normalised once per distinct value,
and the decisions of :mod:`refund_xl.rules` run per row.  A bad row gets a
short message of its own; nothing here raises for a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping, Sequence

from . import rules, settings as settings_mod, vocab
from .fields import FIELD_BY_KEY, FIELDS, ColumnMap, resolve
from .errors import clip
from .rules import Case, Decision
from .settings import Settings

__all__ = [
    "RowResult", "evaluate", "read_cases", "as_rows", "as_headers", "coerce_settings",
    "coerce_now", "cell_message", "OUTPUT_COLUMNS", "FUNCTION_READS",
]

ALL_KEYS = tuple(f.key for f in FIELDS)

# Which fields each per-row result reads: a UDF normalises only these columns.
FUNCTION_READS: dict[str, tuple[str, ...]] = {
    "action": ALL_KEYS,
    "stall": ("logistics", "last_update", "province"),
    "deadline": ("deadline", "applied_at"),
    "tier": ("amount",),
    "risk": ALL_KEYS,
}

OUTPUT_COLUMNS = ("action_code", "action", "why", "stall_code", "stall", "deadline_code",
                  "hours_left", "value_tier", "loss_risk")


def as_rows(rows: object) -> list[list[object]]:
    """Whatever a host passes for a range → a list of row lists.

    A single row may come as a flat list, a single cell as a scalar, an empty
    range as ``None`` or ``[]``.
    """
    if rows is None:
        return []
    if not isinstance(rows, (list, tuple)):
        return [[rows]]
    if not rows:
        return []
    if not isinstance(rows[0], (list, tuple)):
        return [list(rows)]
    return [list(r) if isinstance(r, (list, tuple)) else [r] for r in rows]


def as_headers(headers: object) -> list[object]:
    """A header range (1×M, M×1 flat, or a flat list) → a flat list."""
    table = as_rows(headers)
    if not table:
        return []
    if len(table) > 1 and all(len(r) == 1 for r in table):  # a vertical range
        return [r[0] for r in table]
    return list(table[0])


def coerce_settings(value: object) -> Settings:
    """A Settings, a 设置 table (rows), or nothing → Settings (may raise SettingsError)."""
    if isinstance(value, Settings):
        return value
    table = as_rows(value)
    if not table:
        return settings_mod.DEFAULTS
    return settings_mod.from_table(table)


def coerce_now(now: object, s: Settings) -> datetime:
    """The reference time: the argument, else the settings' `now` row, else the clock."""
    if now is None or now == "":
        return s.now or datetime.now()
    when = vocab.parse_datetime(now)
    if when is None or when is vocab.BAD:
        raise ValueError(f"基准时间无法识别：{clip(repr(now))}")
    return when


def _is_blank(row: Sequence[object]) -> bool:
    for cell in row:
        if cell is not None and not (isinstance(cell, str) and not cell.strip()):
            return False
    return True


def _normalise_column(parse, default, values: Iterable[object]) -> tuple[list[object], list[int]]:
    """Parse one column, once per distinct value.  Returns (values, bad row indexes)."""
    memo: dict[object, object] = {}
    out: list[object] = []
    bad: list[int] = []
    append = out.append
    for i, raw in enumerate(values):
        try:
            value = memo[raw]
        except KeyError:
            value = parse(raw)
            if value is None:
                value = default
            memo[raw] = value
        except TypeError:  # unhashable cell value
            value = parse(raw)
            if value is None:
                value = default
        if value is vocab.BAD:
            bad.append(i)
            value = None
        append(value)
    return out, bad


def read_cases(rows: object, headers: object, *, aliases: Mapping[str, str] | None = None,
               keys: Iterable[str] = ALL_KEYS, colmap: ColumnMap | None = None
               ) -> tuple[list[Case | None], ColumnMap]:
    """Normalise the table: one :class:`Case` per row, ``None`` for blank rows."""
    table = as_rows(rows)
    cmap = colmap or resolve(as_headers(headers), aliases)
    n = len(table)
    blank = [_is_blank(r) for r in table]
    dicts: list[dict] = [{} for _ in range(n)]
    bad_by_row: dict[int, list[str]] = {}
    for key in keys:
        col = cmap.index.get(key)
        fld = FIELD_BY_KEY[key]
        if col is None:
            if fld.default is not None:
                for d in dicts:
                    d[key] = fld.default
            continue
        values, bad = _normalise_column(
            fld.parse, fld.default, (r[col] if col < len(r) else None for r in table))
        for d, v in zip(dicts, values):
            if v is not None:
                d[key] = v
        for i in bad:
            bad_by_row.setdefault(i, []).append(key)
    cases: list[Case | None] = []
    for i, d in enumerate(dicts):
        if blank[i]:
            cases.append(None)
            continue
        case = Case.__new__(Case)
        if i in bad_by_row:
            d["bad"] = tuple(bad_by_row[i])
        case.__dict__ = d
        cases.append(case)
    return cases, cmap


def cell_message(missing: Iterable[str]) -> str:
    """The short message a bad row shows in its cell (≤ 80 chars; the why column names all)."""
    names = list(missing)
    text = "#信息不足: " + "、".join(names)
    if len(text) <= 60:
        return text
    shown: list[str] = []
    for name in names:
        if len("#信息不足: " + "、".join([*shown, name])) > 56:
            break
        shown.append(name)
    return "#信息不足: " + "、".join(shown) + f"等{len(names)}项"


@dataclass(slots=True)
class RowResult:
    """Every per-row result of SPEC §4 for one row (blank rows: ``blank=True``)."""

    case: Case | None
    decision: Decision | None = None
    stall_code: str = ""
    stall_hours: float | None = None
    deadline_code: str = ""
    hours_left: float | None = None
    value_tier: str = ""
    loss_risk: str = ""
    error: str = ""  # a short message when the row could not be evaluated at all
    blank: bool = False

    @property
    def action_code(self) -> str:
        return self.decision.code if self.decision else ""

    @property
    def rule(self) -> str:
        return self.decision.rule if self.decision else ""

    def action_label(self, english: bool = False) -> str:
        if self.error:
            return self.error
        d = self.decision
        if d is None:
            return ""
        if d.code == "NEEDS_INFO":
            return cell_message(d.missing) if not english else "#Missing: " + ", ".join(d.missing)
        return rules.label(d.code, english)

    def why(self) -> str:
        if self.error:
            return self.error
        return self.decision.why() if self.decision else ""

    def as_output(self, english: bool = False) -> dict[str, object]:
        """The evaluate command's added columns for this row."""
        if self.blank:
            return dict.fromkeys(OUTPUT_COLUMNS, "")
        return {
            "action_code": "ERROR" if self.error else self.action_code or "ERROR",
            "action": self.action_label(english),
            "why": self.why(),
            "stall_code": self.stall_code,
            "stall": rules.label(self.stall_code, english) if self.stall_code else "",
            "deadline_code": self.deadline_code,
            "hours_left": "" if self.hours_left is None else round(self.hours_left, 1),
            "value_tier": self.value_tier,
            "loss_risk": self.loss_risk,
        }


def _evaluate_case(case: Case, s: Settings, now: datetime) -> RowResult:
    res = RowResult(case)
    try:
        res.decision = rules.refund_action(case, s, now)
        res.stall_code, res.stall_hours = rules.stall_status(case, s, now)
        res.deadline_code, res.hours_left = rules.deadline_status(case, s, now)
        res.value_tier = rules.value_tier(case, s) or ""
        res.loss_risk = rules.loss_risk(case, s, now)
    except Exception as exc:  # a defect must not break the other rows
        res.error = f"#行错误: {type(exc).__name__}"
    return res


def evaluate(rows: object, headers: object, settings: object = None, now: object = None,
             aliases: Mapping[str, str] | None = None) -> list[RowResult]:
    """Every §4 result for every row.  ``settings``: Settings, a 设置 table, or None."""
    s = coerce_settings(settings)
    when = coerce_now(now, s)
    cases, _ = read_cases(rows, headers, aliases=aliases)
    return [RowResult(None, blank=True) if c is None else _evaluate_case(c, s, when) for c in cases]
