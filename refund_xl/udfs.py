"""Excel formula functions (xlwings UDFs): the live-Excel host of the core.

Each function takes the whole tracking range and returns one N×1 column: one
Excel→Python call per formula column, never one per row.  Settings and the
reference time come in as arguments so Excel recalculates when a threshold
cell changes.  Conversion happens here, at the boundary; the decisions live in
:mod:`refund_xl.rules`.  No cell ever receives a traceback.

On Windows Excel, point ``UDF Modules`` in the xlwings.conf sheet at
``refund_xl.udfs``.  On other platforms the decorators return the function
unchanged, so these are plain Python functions (that is how the tests call them).
"""

from __future__ import annotations

from datetime import datetime
from itertools import repeat
from typing import Callable

import xlwings as xw

from . import replies, rules
from .engine import (FUNCTION_READS, Columns, as_headers, as_rows, bulk, case_tuples, cell_message, coerce_now,
                     coerce_settings, read_columns)
from .errors import RefundXLError
from .fields import FIELD_BY_KEY, parse_mapping_table
from .rules import named, Case
from .settings import Settings

__all__ = ["REFUND_ACTION", "STALL_STATUS", "DEADLINE_STATUS", "HOURS_LEFT", "VALUE_TIER",
           "LOSS_RISK", "REPLY_SCRIPT"]

CATEGORY = "售后助手"
_SHOW = {"label": "label", "标签": "label", "中文": "label", "": "label",
         "code": "code", "代码": "code", "both": "both", "两者": "both",
         "why": "why", "原因": "why", "依据": "why"}

_DOC_ROWS = "售后登记表的数据区域（整块区域，如 A2:Y5000），每行一个售后单"
_DOC_HEADERS = "表头行（如 A1:Y1），按表头名称找列，列顺序不限"
_DOC_SETTINGS = "可选：设置表区域（如 设置!A1:D11），改阈值后自动重算；省略用默认值"
_DOC_NOW = "可选：基准时间（如 设置!C12 或 NOW()）；省略用当前时间"
_DOC_SHOW = "可选：显示方式 label（中文说明，默认）/ code（代码）/ both（代码｜说明）/ why（判定依据）"
_DOC_COLUMNS = "可选：列名映射表区域（如 列名映射!A1:B100），把你们自己的表头对应到标准字段"

Rendered = Callable[[Case, Settings, datetime], object]


def _column(rows, headers, settings, now, reads: tuple[str, ...], per_row: Rendered,
            columns=None) -> list[list[object]]:
    """The shared shape of every UDF: normalise once, one result per row, never raise.

    ``columns`` is the optional 列名映射 range (表头 → 字段), parsed once per call.
    """
    table = as_rows(rows)
    n = max(len(table), 1)
    try:
        s = coerce_settings(settings)
        when = coerce_now(now, s)
        header_row = as_headers(headers)
        aliases = parse_mapping_table(as_rows(columns)) if columns is not None else None
        with bulk():
            cols = read_columns(table, header_row, aliases=aliases, keys=reads)
    except RefundXLError as exc:
        return [[f"#{exc}"]] * n
    except ValueError as exc:
        return [[f"#{exc}"]] * n
    with bulk():
        out = _per_row(cols, s, when, per_row)
    if table and _is_header(table[0], header_row):
        out[0] = [""]
    return out or [[""]]


def _per_row(cols: Columns, s: Settings, when: datetime, per_row: Rendered) -> list[list[object]]:
    """``per_row`` for each non-blank row, given the row's :class:`Case`.

    A function reading a few fields (not the order number) sees the same
    values on many rows: its result is computed once per distinct values.
    """
    new = tuple.__new__
    out: list[list[object]] = []
    append = out.append
    if "order_id" in cols.keys:  # a wide function: every row is its own case
        for skip, values in zip(cols.blank, case_tuples(cols)):
            append([""] if skip else [_one(per_row, new(Case, values), s, when)])
        return out
    # A narrow function sees the same few values on many rows: decide once per
    # distinct (values, unreadable fields), build a Case only for a new one.
    memo: dict = {}
    positions = [Case._fields.index(k) for k in cols.keys]
    blank_case = [None] * len(Case._fields)
    bad, typed = cols.bad, cols.bad_values
    keyed = zip(*cols.values) if cols.keys else repeat((), len(cols.blank))
    for i, (skip, values) in enumerate(zip(cols.blank, keyed)):
        if skip:
            append([""])
            continue
        key = (values, bad[i], typed[i]) if i in bad else values
        try:
            value = memo[key]
        except KeyError:
            full = blank_case.copy()
            for p, v in zip(positions, values):
                full[p] = v
            full[-2] = bad.get(i, ())
            full[-1] = typed.get(i, ())
            value = memo[key] = _one(per_row, new(Case, full), s, when)
        except TypeError:  # an unhashable cell value: no memo for it
            full = blank_case.copy()
            for p, v in zip(positions, values):
                full[p] = v
            full[-2] = bad.get(i, ())
            full[-1] = typed.get(i, ())
            value = _one(per_row, new(Case, full), s, when)
        append([value])
    return out


def _one(per_row: Rendered, case: Case, s: Settings, when: datetime) -> object:
    try:
        return per_row(case, s, when)
    except Exception as exc:  # a defect shows in its own cell only
        return f"#行错误: {type(exc).__name__}"


def _is_header(row: list[object], header_row: list[object]) -> bool:
    """True when a range was selected with its header row included (its first row)."""
    header_key = [str(h).strip() if h is not None else "" for h in header_row]
    if not any(header_key) or len(row) < len(header_key):
        return False
    return all((str(c).strip() if c is not None else "") == h for c, h in zip(row, header_key))


def _show_mode(show: object) -> str | None:
    return _SHOW.get(str(show).strip().lower() if show is not None else "")


def _render(code: str, s: Settings, mode: str, why: str = "", table: dict | None = None) -> str:
    text = rules.label(code, s.english, table)
    if mode == "code":
        return code
    if mode == "both":
        return f"{code}｜{text}"
    if mode == "why":
        return why or text
    return text


def _bad_show(rows, show) -> list[list[object]]:
    return [["#show 参数应为 label / code / both / why"]] * max(len(as_rows(rows)), 1)


def _missing_in(case: Case, keys: tuple[str, ...], s: Settings) -> str | None:
    bad = [named(case, k) for k in keys if k in case.bad]
    return cell_message(bad, s.english) if bad else None


# ------------------------------------------------------------------ UDFs

@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", ndim=2, doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("show", doc=_DOC_SHOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
def REFUND_ACTION(rows, headers, settings=None, now=None, show="label", columns=None):
    """按售后 SOP 给出每个售后单的下一步处理动作（整列返回）。"""
    mode = _show_mode(show)
    if mode is None:
        return _bad_show(rows, show)

    def one(case: Case, s: Settings, when: datetime) -> str:
        d = rules.refund_action(case, s, when)
        if d.code == "NEEDS_INFO":
            msg = cell_message(d.missing, s.english)
            return {"code": d.code, "both": f"{d.code}｜{msg}", "why": d.why()}.get(mode, msg)
        return _render(d.code, s, mode, d.why() if mode == "why" else "")

    return _column(rows, headers, settings, now, FUNCTION_READS["action"], one, columns)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", ndim=2, doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("show", doc=_DOC_SHOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
def STALL_STATUS(rows, headers, settings=None, now=None, show="label", columns=None):
    """在途包裹物流停滞判断：正常 / 催件 / 按丢件处理（偏远地区阈值另计）。"""
    mode = _show_mode(show)
    if mode is None:
        return _bad_show(rows, show)

    def one(case: Case, s: Settings, when: datetime) -> str:
        msg = _missing_in(case, ("logistics", "last_update"), s)
        if msg:
            return msg
        code, hours = rules.stall_status(case, s, when)
        why = "" if hours is None else f"{hours:.1f}小时未更新"
        return _render(code, s, mode, why)

    return _column(rows, headers, settings, now, FUNCTION_READS["stall"], one, columns)


def _deadline_message(case: Case, s: Settings) -> str | None:
    if "deadline" in case.bad:
        return cell_message([named(case, "deadline")], s.english)
    if case.deadline is None and "applied_at" in case.bad:
        return cell_message([named(case, "applied_at")], s.english)
    return None


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", ndim=2, doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("show", doc=_DOC_SHOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
def DEADLINE_STATUS(rows, headers, settings=None, now=None, show="label", columns=None):
    """平台超时预警：正常 / 即将超时 / 已超时 / 无超时时间。"""
    mode = _show_mode(show)
    if mode is None:
        return _bad_show(rows, show)

    def one(case: Case, s: Settings, when: datetime) -> str:
        msg = _deadline_message(case, s)
        if msg:
            return msg
        code, left = rules.deadline_status(case, s, when)
        why = "" if left is None else f"剩余{left:.1f}小时"
        return _render(code, s, mode, why)

    return _column(rows, headers, settings, now, FUNCTION_READS["deadline"], one, columns)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", ndim=2, doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
def HOURS_LEFT(rows, headers, settings=None, now=None, columns=None):
    """距平台超时还剩多少小时（负数为已超时；无超时时间为空）。"""

    def one(case: Case, s: Settings, when: datetime):
        msg = _deadline_message(case, s)
        if msg:
            return msg
        _code, left = rules.deadline_status(case, s, when)
        return "" if left is None else round(left, 1)

    return _column(rows, headers, settings, now, FUNCTION_READS["deadline"], one, columns)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", ndim=2, doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("show", doc=_DOC_SHOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
def VALUE_TIER(rows, headers, settings=None, now=None, show="label", columns=None):
    """客单级别：退款金额 ≥ 高客单阈值为高客单，否则低客单。"""
    mode = _show_mode(show)
    if mode is None:
        return _bad_show(rows, show)

    def one(case: Case, s: Settings, when: datetime) -> str:
        tier = rules.value_tier(case, s)
        if tier is None:
            return cell_message([named(case, "amount")], s.english)
        sign = "≥" if tier == "HIGH" else "<"
        return _render(tier, s, mode, f"{case.amount:g} {sign} 高客单阈值 {s.high_value:g}")

    return _column(rows, headers, settings, now, FUNCTION_READS["tier"], one, columns)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", ndim=2, doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("show", doc=_DOC_SHOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
def LOSS_RISK(rows, headers, settings=None, now=None, show="label", columns=None):
    """钱货两空风险：已退款但货物不在店铺手里的售后单标为风险。"""
    mode = _show_mode(show)
    if mode is None:
        return _bad_show(rows, show)

    def one(case: Case, s: Settings, when: datetime) -> str:
        code = rules.loss_risk(case, s, when)
        text = _render(code, s, mode, table=rules.RISKS)
        unread = [named(case, k) for k in case.bad] if code == "RISK" and mode != "code" else []
        if unread:  # the cautious reading: say which word could not be read
            text += ("（unreadable: " if s.english else "（无法识别：") + "、".join(unread) + "）"
        return text

    return _column(rows, headers, settings, now, FUNCTION_READS["risk"], one, columns)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", ndim=2, doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("templates", ndim=2, doc="可选：话术模板表区域（如 话术模板!A1:C40）；省略用内置话术")
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
def REPLY_SCRIPT(rows, headers, templates=None, settings=None, now=None, columns=None):
    """按处理动作填好的客户回复话术；缺少的占位内容标为【缺:字段】。"""
    table = replies.parse_templates(as_rows(templates))

    def one(case: Case, s: Settings, when: datetime) -> str:
        d = rules.refund_action(case, s, when)
        if d.code == "NEEDS_INFO":
            return cell_message(d.missing, s.english)
        template = table.get(d.code)
        if d.code in replies.NO_MESSAGE or not template:
            return ""
        text, _missing = replies.fill(template, case)
        return text

    return _column(rows, headers, settings, now, FUNCTION_READS["reply"], one, columns)
