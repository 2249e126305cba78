"""Excel formula functions (xlwings UDFs): the live-Excel host of the core.

Each function takes the whole tracking range and returns one N×1 column: one
Excel→Python call per formula column, never one per row.  Settings and the
reference time come in as arguments so Excel recalculates when a threshold
cell changes.  Conversion happens here, at the boundary; the decisions live in
:mod:`refund_xl._core.rules`.  No cell ever receives a traceback.

The tracking block comes with xlwings' ``range`` converter (xlwings reads none
of its cells) and is read only in the columns whose headers resolve to fields,
as ``Value2`` (:mod:`refund_xl._excel.excel_range`); results go back ``raw``
(plain text and numbers, no per-cell cleaning).  An edit costs what the used
columns cost, not the whole 60-column block (contract §8, §9).

On Windows Excel, point ``UDF Modules`` in the xlwings.conf sheet at
``refund_xl.udfs``.  On other platforms the decorators return the function
unchanged, so these are plain Python functions (that is how the tests call them).
"""

from __future__ import annotations

from datetime import datetime
from itertools import repeat
from typing import Callable, Mapping

import xlwings as xw

from refund_xl._core import render
from refund_xl._core import replies, rules
from refund_xl._core.engine import FUNCTION_READS, Columns, RowResult, as_rows, bulk, case_of, evaluate_columns
from refund_xl._core.table_render import table_cells
from refund_xl._core.errors import RefundXLError
from refund_xl._core.rules import Case
from refund_xl._app.table import formula_context, read_source
from refund_xl._excel.excel_range import RangeBlock, is_range
from refund_xl._core.settings import Settings

__all__ = ["REFUND_ACTION", "STALL_STATUS", "DEADLINE_STATUS", "HOURS_LEFT", "VALUE_TIER",
           "LOSS_RISK", "REPLY_SCRIPT", "REFUND_TABLE"]

CATEGORY = "售后助手"

_DOC_ROWS = "售后登记表的数据区域（整块区域，如 A2:Y5000），每行一个售后单"
_DOC_HEADERS = "表头行（如 A1:Y1），按表头名称找列，列顺序不限"
_DOC_SETTINGS = "可选：设置表区域（如 设置!A1:D11），改阈值后自动重算；省略用默认值"
_DOC_NOW = "可选：基准时间（如 设置!C12 或 NOW()）；省略用当前时间"
_DOC_SHOW = "可选：显示方式 label（中文说明，默认）/ code（代码）/ both（代码｜说明）/ why（判定依据）"
_DOC_COLUMNS = "可选：列名映射表区域（如 列名映射!A1:B100），把你们自己的表头对应到标准字段"
_DOC_VALUES = "可选：值映射表区域（如 值映射!A1:C200：字段 | 原值 | 标准值），把你们自己的写法对应到标准值"

Rendered = Callable[[Case, Settings, datetime, bool], object]  # (case, settings, 基准时间, English?)
PerResult = Callable[[RowResult, bool], object]  # (a row's evaluated result, English?)


def _column(rows, headers, settings, now, reads: tuple[str, ...], per_row: Rendered | None = None,
            columns=None, values=None, *, cell: int | None = None, per_result: PerResult | None = None,
            templates: Mapping[str, str] | None = None) -> list[list[object]]:
    """The shared shape of every UDF: normalise once, one result per row, never raise.

    Each row's cell is one of: ``cell``, a cell of REFUND_TABLE's block by position (the same cells,
    worked out the same way, :func:`refund_xl._core.table_render.table_cells`; ``templates`` for
    回复话术); ``per_result`` over every row's evaluated result; or ``per_row``, per row of the few
    fields a narrow function reads.  ``columns`` is the optional 列名映射 range (表头 → 字段) and
    ``values`` the optional 值映射 range (字段 | 原值 | 标准值), parsed once per call.
    """
    block = _block(rows)
    n = max(block.height if isinstance(block, RangeBlock) else len(block), 1)
    try:
        ctx, header_row = formula_context(settings, now, headers, columns, values)
        s, when = ctx.settings, ctx.now
        with bulk():
            table, header_row, cols = read_source(block, header_row, ctx.mappings, when, reads)
    except RefundXLError as exc:
        return [[f"#{exc}"]] * n
    except ValueError as exc:
        return [[f"#{exc}"]] * n
    with bulk():
        if cell is not None:
            out = table_cells(cols, s, when, ctx.templates if templates is None else templates, (cell,))
        elif per_result is not None:
            out = _per_result(cols, s, when, per_result)
        else:
            assert per_row is not None
            out = _per_row(cols, s, when, per_row)
    if table and _is_header(table[0], header_row):
        out[0] = [""]
    return out or [[""]]


def _block(rows: object) -> "RangeBlock | list[list[object]]":
    """The tracking block as the functions read it: an xlwings Range (the ``range`` converter) is read
    only in the columns the headers resolve to fields, as Value2; plain values (tests, scripts, a
    non-Windows host) are taken as they are."""
    return RangeBlock(rows) if is_range(rows) else as_rows(rows)


def _per_row(cols: Columns, s: Settings, when: datetime, per_row: Rendered) -> list[list[object]]:
    """``per_row`` for each non-blank row, given the row's :class:`Case`.

    A function reading a few fields (not the order number) sees the same
    values on many rows: its result is computed once per distinct values.
    """
    new = tuple.__new__
    en = s.english  # once per call, not per row
    out: list[list[object]] = []
    append = out.append
    # A narrow function sees the same few values on many rows: decide once per
    # distinct (values, unreadable fields), build a Case only for a new one.
    memo: dict = {}
    positions = [Case._fields.index(k) for k in cols.keys]
    blank_case: list[object] = [None] * len(Case._fields)
    bad, typed, sheet = cols.bad, cols.bad_values, cols.sheet
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
            full[-3] = sheet
            full[-2] = bad.get(i, ())
            full[-1] = typed.get(i, ())
            value = memo[key] = _one(per_row, new(Case, full), s, when, en)
        except TypeError:  # an unhashable cell value: no memo for it
            full = blank_case.copy()
            for p, v in zip(positions, values):
                full[p] = v
            full[-3] = sheet
            full[-2] = bad.get(i, ())
            full[-1] = typed.get(i, ())
            value = _one(per_row, new(Case, full), s, when, en)
        append([value])
    return out


def _per_result(cols: Columns, s: Settings, when: datetime, per_result: PerResult) -> list[list[object]]:
    """``per_result`` for each non-blank row's evaluated result (the facts column-wise, each distinct
    combination decided once: :func:`refund_xl._core.engine.evaluate_columns`)."""
    en = s.english
    out: list[list[object]] = []
    for res in evaluate_columns(cols, s, when):
        if res.blank:
            out.append([""])
        elif res.error:
            out.append([res.error])
        else:
            try:
                out.append([per_result(res, en)])
            except Exception as exc:  # a defect shows in its own cell only
                out.append([render.row_error(exc)])
    return out


def _one(per_row: Rendered, case: Case, s: Settings, when: datetime, en: bool) -> object:
    try:
        return per_row(case, s, when, en)
    except Exception as exc:  # a defect shows in its own cell only
        return render.row_error(exc)


def _is_header(row: list[object], header_row: list[object]) -> bool:
    """True when a range was selected with its header row included (its first row)."""
    header_key = [str(h).strip() if h is not None else "" for h in header_row]
    if not any(header_key) or len(row) < len(header_key):
        return False
    return all((str(c).strip() if c is not None else "") == h for c, h in zip(row, header_key))


def _bad_show(rows) -> list[list[object]]:
    return [[render.BAD_SHOW]] * max(rows.shape[0] if is_range(rows) else len(as_rows(rows)), 1)


# ------------------------------------------------------------------ UDFs

# show modes that write a code: the code evaluate writes in its code column for the row, worked out as
# REFUND_TABLE works out the row (never the cell message in place of the code)
_CODED = ("code", "both")


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", "range", doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("show", doc=_DOC_SHOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
@xw.arg("values", ndim=2, doc=_DOC_VALUES)
@xw.ret("raw")
def REFUND_ACTION(rows, headers, settings=None, now=None, show="label", columns=None, values=None):
    """按售后 SOP 给出每个售后单的下一步处理动作（整列返回）。"""
    mode = render.show_mode(show)
    if mode is None:
        return _bad_show(rows)

    def one(res: RowResult, en: bool) -> str:
        assert res.decision is not None  # an evaluated row (not blank, no defect) has its decision
        return render.action_text(res.decision, en, mode)

    cell = {"label": 0, "why": 1}.get(mode)  # 处理动作 / 判定依据 of the block
    return _column(rows, headers, settings, now, FUNCTION_READS["action"], None, columns, values,
                   cell=cell, per_result=None if cell is not None else one)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", "range", doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("show", doc=_DOC_SHOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
@xw.arg("values", ndim=2, doc=_DOC_VALUES)
@xw.ret("raw")
def STALL_STATUS(rows, headers, settings=None, now=None, show="label", columns=None, values=None):
    """在途包裹物流停滞判断：正常 / 催件 / 按丢件处理（偏远地区阈值另计）。"""
    mode = render.show_mode(show)
    if mode is None:
        return _bad_show(rows)

    def one(case: Case, s: Settings, when: datetime, en: bool) -> str:
        code, hours, needs = rules.stall_status(case, s, when)
        return render.stall_text(case, code, hours, en, mode, needs)

    if mode in _CODED:  # the code evaluate's stall_code writes (beside 停滞状态 of the block)
        return _column(rows, headers, settings, now, FUNCTION_READS["stall"], None, columns, values,
                       per_result=lambda res, en: render.coded(res, render.stall_code(res), 2, en, mode))
    return _column(rows, headers, settings, now, FUNCTION_READS["stall"], one, columns, values)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", "range", doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("show", doc=_DOC_SHOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
@xw.arg("values", ndim=2, doc=_DOC_VALUES)
@xw.ret("raw")
def DEADLINE_STATUS(rows, headers, settings=None, now=None, show="label", columns=None, values=None):
    """平台超时预警：正常 / 即将超时 / 已超时 / 无超时时间。"""
    mode = render.show_mode(show)
    if mode is None:
        return _bad_show(rows)

    def one(case: Case, s: Settings, when: datetime, en: bool) -> str:
        code, left = rules.deadline_status(case, s, when)
        return render.deadline_text(case, code, left, en, mode, rules.deadline_unknown(case, s, when))

    if mode in _CODED:  # the code evaluate's deadline_code writes (beside 超时状态 of the block)
        return _column(rows, headers, settings, now, FUNCTION_READS["deadline"], None, columns, values,
                       per_result=lambda res, en: render.coded(res, render.deadline_code(res), 3, en, mode))
    return _column(rows, headers, settings, now, FUNCTION_READS["deadline"], one, columns, values)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", "range", doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
@xw.arg("values", ndim=2, doc=_DOC_VALUES)
@xw.ret("raw")
def HOURS_LEFT(rows, headers, settings=None, now=None, columns=None, values=None):
    """距平台超时还剩多少小时（负数为已超时；无超时时间为空）。"""
    # 剩余小时 of the block, over the columns a deadline reads
    return _column(rows, headers, settings, now, FUNCTION_READS["deadline"], None, columns, values, cell=4)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", "range", doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("show", doc=_DOC_SHOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
@xw.arg("values", ndim=2, doc=_DOC_VALUES)
@xw.ret("raw")
def VALUE_TIER(rows, headers, settings=None, now=None, show="label", columns=None, values=None):
    """客单级别：退款金额 ≥ 高客单阈值为高客单，否则低客单。"""
    mode = render.show_mode(show)
    if mode is None:
        return _bad_show(rows)

    def one(case: Case, s: Settings, when: datetime, en: bool) -> str:
        return render.tier_text(case, rules.value_tier(case, s), en, mode, s.high_value)

    if mode in _CODED:  # the code evaluate's value_tier writes (beside 客单级别 of the block)
        return _column(rows, headers, settings, now, FUNCTION_READS["tier"], None, columns, values,
                       per_result=lambda res, en: render.coded(res, render.tier_code(res), 5, en, mode))
    return _column(rows, headers, settings, now, FUNCTION_READS["tier"], one, columns, values)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", "range", doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("show", doc=_DOC_SHOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
@xw.arg("values", ndim=2, doc=_DOC_VALUES)
@xw.ret("raw")
def LOSS_RISK(rows, headers, settings=None, now=None, show="label", columns=None, values=None):
    """钱货两空风险：已退款但货物不在店铺手里的售后单标为风险。"""
    mode = render.show_mode(show)
    if mode is None:
        return _bad_show(rows)

    def one(res: RowResult, en: bool) -> str:
        return render.risk_text(case_of(res), res.loss_risk, en, mode, res.risk_needs)

    if mode == "label":  # 钱货两空风险 of the block
        return _column(rows, headers, settings, now, FUNCTION_READS["risk"], None, columns, values, cell=6)
    return _column(rows, headers, settings, now, FUNCTION_READS["risk"], None, columns, values, per_result=one)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", "range", doc=_DOC_ROWS)
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("templates", ndim=2, doc="可选：话术模板表区域（如 话术模板!A1:C40）；省略用内置话术")
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
@xw.arg("values", ndim=2, doc=_DOC_VALUES)
@xw.ret("raw")
def REPLY_SCRIPT(rows, headers, templates=None, settings=None, now=None, columns=None, values=None):
    """按处理动作填好的客户回复话术；缺少的占位内容标为【缺:字段】。"""
    return _column(rows, headers, settings, now, FUNCTION_READS["reply"], None, columns, values, cell=7,
                   templates=replies.parse_templates(as_rows(templates)))


# ------------------------------------------------- REFUND_TABLE (one call)

@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("rows", "range", doc="售后登记表的数据区域（含表头行，如 售后数据 或 A1:BH5001）；只读用到的列")
@xw.arg("headers", ndim=2, doc=_DOC_HEADERS)
@xw.arg("settings", ndim=2, doc=_DOC_SETTINGS)
@xw.arg("now", doc=_DOC_NOW)
@xw.arg("templates", ndim=2, doc="可选：话术模板表区域（如 话术模板!A1:C60）；省略用内置话术")
@xw.arg("columns", ndim=2, doc=_DOC_COLUMNS)
@xw.arg("values", ndim=2, doc="可选：值映射表区域（字段 / 原值 / 标准值），把你们自己的写法对应到标准词")
@xw.arg("header", doc="可选：区域含表头行时，第一行显示结果列的表头（默认 TRUE）")
@xw.ret("raw")
def REFUND_TABLE(rows, headers, settings=None, now=None, templates=None, columns=None, values=None, header=True):
    """一次算出全部判定结果：处理动作、判定依据、停滞状态、超时状态、剩余小时、客单级别、钱货两空风险、回复话术（N×8）。"""
    from refund_xl._app.table import refund_table

    return refund_table(_block(rows), headers, settings, now, templates, columns, values, header)
