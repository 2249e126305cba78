"""Every person-facing result column in one pass: the core of REFUND_TABLE and `fill`.

One table in (rows + headers, already plain Python values), one N×8 block out:
处理动作, 判定依据, 停滞状态, 超时状态, 剩余小时, 客单级别, 钱货两空风险, 回复话术.
Each cell is rendered exactly as the per-column formula functions of
:mod:`refund_xl.udfs` render it for the same row (tests hold them equal).

Pure module: no host library.  The Excel adapter is ``udfs.REFUND_TABLE``; the
file adapter is ``fill`` (:mod:`refund_xl.fill`).
"""

from __future__ import annotations

import inspect
from datetime import datetime
from typing import Mapping

from . import replies, rules
from .engine import ALL_KEYS, Columns, as_headers, as_rows, bulk, case_tuples, cell_message, coerce_now, \
    coerce_settings, read_columns
from .errors import RefundXLError
from .fields import FIELD_BY_KEY, parse_mapping_table
from .rules import Case
from .settings import Settings

__all__ = ["HEADERS", "HEADERS_EN", "WIDTH", "headers_for", "refund_table", "table_rows", "read_table_columns"]

HEADERS = ("处理动作", "判定依据", "停滞状态", "超时状态", "剩余小时", "客单级别", "钱货两空风险", "回复话术")
HEADERS_EN = ("Action", "Why", "Stall", "Deadline", "Hours left", "Value tier", "Loss risk", "Reply")
WIDTH = len(HEADERS)
BLANK = ("",) * WIDTH


def headers_for(s: Settings, when: datetime | None = None) -> list[str]:
    """The 8 result headers in the settings' language; with ``when``, 判定依据 names the 基准时间 used."""
    head = list(HEADERS_EN if s.english else HEADERS)
    if when is not None:
        stamp = when.strftime("%Y-%m-%d %H:%M")
        head[1] += f" (as of {stamp})" if s.english else f"（基准时间 {stamp}）"
    return head


def read_table_columns(table: list, header_row: list, aliases: Mapping[str, str] | None,
                       values: object = None) -> Columns:
    """The ONE place the 值映射 table (``values``: rows of 字段/原值/标准值) reaches the engine.

    The engine's reader takes it as ``values=`` once it accepts it; until then it is
    accepted here and not used.
    """
    kwargs = {}
    if values is not None and "values" in _READER_PARAMS:
        kwargs["values"] = as_rows(values)
    return read_columns(table, header_row, aliases=aliases, keys=ALL_KEYS, **kwargs)


_READER_PARAMS = frozenset(inspect.signature(read_columns).parameters)


# ------------------------------------------------------------ one row

def _missing_in(case: Case, keys: tuple[str, ...], s: Settings) -> str | None:
    bad = [FIELD_BY_KEY[k].header for k in keys if k in case.bad]
    return cell_message(bad, s.english) if bad else None


def _deadline_message(case: Case, s: Settings) -> str | None:
    if "deadline" in case.bad:
        return cell_message(["超时时间"], s.english)
    if case.deadline is None and "applied_at" in case.bad:
        return cell_message(["申请时间"], s.english)
    return None


class _Renderer:
    """Renders rows for one call; labels and fact-only 判定依据 texts are looked up once per distinct value."""

    def __init__(self, s: Settings, when: datetime, templates: Mapping[str, str]):
        self.s, self.when, self.templates = s, when, templates
        self.english = s.english
        self.labels: dict[tuple[str, bool], str] = {}
        self.whys: dict[tuple, str] = {}

    def label(self, code: str, risk: bool = False) -> str:
        try:
            return self.labels[code, risk]
        except KeyError:
            text = self.labels[code, risk] = rules.label(code, self.english, rules.RISKS if risk else None)
            return text

    def why(self, d) -> str:
        key = (d.rule, d.facts)
        try:
            return self.whys[key]
        except KeyError:
            text = d.why()
            if len(self.whys) < 50_000:
                self.whys[key] = text
            return text
        except TypeError:
            return d.why()

    def row(self, case: Case) -> list[object]:
        """The 8 cells of one case (labels as the per-column functions show them)."""
        s, when, english = self.s, self.when, self.english
        bad = case.bad
        d = rules.refund_action(case, s, when)
        if d.code == "NEEDS_INFO":
            action = cell_message(d.missing, english)
            why = d.why()
            reply = action
        else:
            action = self.label(d.code)
            why = self.why(d) or action
            template = self.templates.get(d.code)
            reply = "" if d.code in replies.NO_MESSAGE or not template else replies.fill(template, case)[0]

        stall = _missing_in(case, ("logistics", "last_update"), s) if bad else None
        if stall is None:
            stall = self.label(rules.stall_status(case, s, when)[0])

        deadline = _deadline_message(case, s) if bad else None
        if deadline is None:
            code, left = rules.deadline_status(case, s, when)
            deadline = self.label(code)
            hours: object = "" if left is None else round(left, 1)
        else:
            hours = deadline

        tier_code = rules.value_tier(case, s)
        tier = cell_message(["退款金额"], english) if tier_code is None else self.label(tier_code)

        risk = _missing_in(case, ("case_state",), s) if bad else None
        if risk is None:
            risk = self.label(rules.loss_risk(case, s, when), True)
        return [action, why, stall, deadline, hours, tier, risk, reply]


def table_rows(cols: Columns, s: Settings, when: datetime, templates: Mapping[str, str]) -> list[list[object]]:
    """One 8-cell row per table row ("" for rows that are not cases)."""
    new = tuple.__new__
    render = _Renderer(s, when, templates).row
    out: list[list[object]] = []
    append = out.append
    for skip, values in zip(cols.blank, case_tuples(cols)):
        if skip:
            append(list(BLANK))
            continue
        try:
            append(render(new(Case, values)))
        except Exception as exc:  # a defect shows in its own row only
            append([f"#行错误: {type(exc).__name__}"] + [""] * (WIDTH - 1))
    return out


def _is_header(row: list[object], header_row: list[object]) -> bool:
    key = [str(h).strip() if h is not None else "" for h in header_row]
    if not any(key) or len(row) < len(key):
        return False
    return all((str(c).strip() if c is not None else "") == h for c, h in zip(row, key))


def refund_table(rows: object, headers: object, settings: object = None, now: object = None,
                 templates: object = None, columns: object = None, values: object = None,
                 header: object = None) -> list[list[object]]:
    """The N×8 block of REFUND_TABLE; never raises.

    When the first row of ``rows`` is the header row (the range was selected with
    its headers), that output row holds the 8 result headers, 判定依据's naming the
    基准时间 the results used; ``header`` False/0 leaves it blank instead.
    A bad setting, 基准时间 or 列名映射 shows as a message in the first column of
    every row (the other cells blank).
    """
    table = as_rows(rows)
    n = max(len(table), 1)
    try:
        s = coerce_settings(settings)
        when = coerce_now(now, s)
        header_row = as_headers(headers)
        aliases = parse_mapping_table(as_rows(columns)) if columns is not None else None
        reply_templates = replies.parse_templates(as_rows(templates))
        with bulk():
            cols = read_table_columns(table, header_row, aliases, values)
    except (RefundXLError, ValueError) as exc:
        return [[f"#{exc}"] + [""] * (WIDTH - 1) for _ in range(n)]
    with bulk():
        out = table_rows(cols, s, when, reply_templates)
    if table and _is_header(table[0], header_row):
        out[0] = headers_for(s, when) if header not in (False, 0, "0", "FALSE", "false") else list(BLANK)
    return out or [list(BLANK)]
