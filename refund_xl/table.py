"""Every person-facing result column in one pass: the core of REFUND_TABLE and `fill`.

One table in (rows + headers, already plain Python values), one N×8 block out:
处理动作, 判定依据, 停滞状态, 超时状态, 剩余小时, 客单级别, 钱货两空风险, 回复话术.
Each cell is rendered exactly as the per-column formula functions of
:mod:`refund_xl.udfs` render it for the same row (tests hold them equal).

Pure module: no host library.  The Excel adapter is ``udfs.REFUND_TABLE``; the
file adapter is ``fill`` (:mod:`refund_xl.fill`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Mapping

from . import replies, rules
from .engine import ALL_KEYS, Columns, _evaluate_case, as_headers, as_rows, bulk, case_tuples, cell_message, coerce_now, \
    coerce_settings, read_columns
from .errors import RefundXLError
from .fields import Mappings, parse_mapping_table, parse_value_table
from .rules import Case
from .settings import Settings

__all__ = ["HEADERS", "HEADERS_EN", "WIDTH", "headers_for", "refund_table", "table_rows", "read_table_columns",
           "mappings_of", "formula_context", "person_row", "missing_in", "deadline_message", "tier_text", "risk_text"]

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


def mappings_of(columns: object = None, values: object = None) -> Mappings:
    """The 列名映射 and 值映射 ranges a formula was given, as one :class:`Mappings`."""
    return Mappings(parse_mapping_table(as_rows(columns)) if columns is not None else {},
                    parse_value_table(as_rows(values)) if values is not None else {})


def formula_context(settings: object, now: object, headers: object, columns: object = None, values: object = None):
    """What every formula function resolves once per call, the same way: (settings, 基准时间,
    header row, 列名映射 + 值映射).  Raises the errors a formula shows in its cells."""
    s = coerce_settings(settings)
    return s, coerce_now(now, s), as_headers(headers), mappings_of(columns, values)


def read_table_columns(table: list, header_row: list, aliases: object, now: datetime | None = None,
                       keys: tuple[str, ...] = ALL_KEYS) -> Columns:
    """Every field of a formula's table, through the team's 列名映射/值映射 (``aliases``)."""
    return read_columns(table, header_row, aliases=aliases, keys=keys, now=now)


# ------------------------------------------------------------ one row

def missing_in(case: Case, keys: tuple[str, ...], s: Settings) -> str | None:
    """The cell message naming (and quoting) the unreadable ones among ``keys``, or None."""
    bad = [rules.named(case, k) for k in keys if k in case.bad]
    return cell_message(bad, s.english) if bad else None


def deadline_message(case: Case, s: Settings) -> str | None:
    """Why no deadline can be told: an unreadable 超时时间, or 申请时间 when that is all there is."""
    if "deadline" in case.bad:
        return cell_message([rules.named(case, "deadline")], s.english)
    if case.deadline is None and "applied_at" in case.bad:
        return cell_message([rules.named(case, "applied_at")], s.english)
    return None


def tier_text(case: Case, s: Settings, label) -> str:
    """客单级别, or the message quoting an unreadable amount."""
    code = rules.value_tier(case, s)
    return cell_message([rules.named(case, "amount")], s.english) if code is None else label(code)


def risk_text(case: Case, s: Settings, text: str, code: str) -> str:
    """钱货两空风险 as shown: the cautious RISK names the words it could not read (SPEC §4.3)."""
    if code == "RISK" and case.bad:
        unread = [rules.named(case, k) for k in case.bad]
        text += ("（unreadable: " if s.english else "（无法识别：") + "、".join(unread) + "）"
    return text


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
        res = _evaluate_case(case, self.s, self.when)
        if res.error:
            return [res.error] + [""] * (WIDTH - 1)
        cells = person_row(res, self.s, self.label, self.why)
        d = res.decision
        if d.code == "NEEDS_INFO":
            reply = cells[0]
        else:
            template = self.templates.get(d.code)
            reply = "" if d.code in replies.NO_MESSAGE or not template else replies.fill(template, case)[0]
        return cells + [reply]


def person_row(res, s: Settings, label=None, why=None) -> list[object]:
    """The 7 person-facing cells of one evaluated row (处理动作 … 钱货两空风险): the ONE presentation
    the formulas (REFUND_TABLE and the per-column functions), ``evaluate``'s workbook and ``fill`` share.

    An unreadable value a column reads is quoted in that column's own cell (``#信息不足: 超时时间「下周」``);
    the cautious 钱货两空风险 names the words it could not read.
    """
    english = s.english
    if label is None:
        def label(code: str, risk: bool = False) -> str:
            return rules.label(code, english, rules.RISKS if risk else None)
    case, d = res.case, res.decision
    bad = case.bad
    if d.code == "NEEDS_INFO":
        action = cell_message(d.missing, english)
        why_text = d.why()
    else:
        action = label(d.code)
        why_text = (why(d) if why is not None else d.why()) or action
    stall = missing_in(case, ("logistics", "last_update"), s) if bad else None
    if stall is None:
        stall = label(res.stall_code)
    deadline = deadline_message(case, s) if bad else None
    if deadline is None:
        deadline = label(res.deadline_code)
        hours: object = "" if res.hours_left is None else round(res.hours_left, 1)
    else:
        hours = deadline
    tier = tier_text(case, s, label)
    risk = risk_text(case, s, label(res.loss_risk, True), res.loss_risk)
    return [action, why_text, stall, deadline, hours, tier, risk]


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
        s, when, header_row, aliases = formula_context(settings, now, headers, columns, values)
        reply_templates = replies.parse_templates(as_rows(templates))
        with bulk():
            cols = read_table_columns(table, header_row, aliases, when)
    except (RefundXLError, ValueError) as exc:
        return [[f"#{exc}"] + [""] * (WIDTH - 1) for _ in range(n)]
    with bulk():
        out = table_rows(cols, s, when, reply_templates)
    if table and _is_header(table[0], header_row):
        out[0] = headers_for(s, when) if header not in (False, 0, "0", "FALSE", "false") else list(BLANK)
    return out or [list(BLANK)]
