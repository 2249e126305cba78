"""Every person-facing result column in one pass: the core of REFUND_TABLE and `fill`.

One table in (rows + headers, already plain Python values), one N×8 block out:
处理动作, 判定依据, 停滞状态, 超时状态, 剩余小时, 客单级别, 钱货两空风险, 回复话术.
Each cell is rendered by :mod:`refund_xl._core.render`, as the per-column formula
functions of :mod:`refund_xl.udfs` render it for the same row (tests hold them equal).

Pure module: no host library.  The Excel adapter is ``udfs.REFUND_TABLE``; the
file adapter is ``fill`` (:mod:`refund_xl._app.fill`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Mapping, Protocol, Sequence, runtime_checkable

from refund_xl._core import context
from refund_xl._core.lang import pick
from refund_xl._core import render
from refund_xl._core.context import Context
from refund_xl._core.engine import (ALL_KEYS, Columns, as_headers, as_rows, bulk, case_columns, columns_read,
                                    maybe_not_cases, not_a_case, read_columns)
from refund_xl._core.engine import _is_blank  # (the one test of an empty cell)
from refund_xl._core.vocab import plain_cell
from refund_xl._core.table_render import table_cells
from refund_xl._core.fields import Aliases, ColumnMap, resolve
from refund_xl._core.errors import RefundXLError
from refund_xl._core.settings import Settings

__all__ = ["HEADERS", "HEADERS_EN", "WIDTH", "headers_for", "refund_table", "table_rows",
           "formula_context", "ColumnSource", "read_source", "table_block"]

HEADERS = tuple(render.column_names(render.TABLE_KEYS))
HEADERS_EN = tuple(render.column_names(render.TABLE_KEYS, english=True))
WIDTH = len(HEADERS)
BLANK = ("",) * WIDTH


def headers_for(s: Settings, when: datetime | None = None) -> list[str]:
    """The 8 result headers in the settings' language; with ``when``, 判定依据 names the 基准时间 used."""
    head = list(pick((HEADERS, HEADERS_EN), s.english))
    if when is not None:
        stamp = when.strftime("%Y-%m-%d %H:%M")
        head[1] += pick((f"（基准时间 {stamp}）", f" (as of {stamp})"), s.english)
    return head


def formula_context(settings: object, now: object, headers: object, columns: object = None, values: object = None,
                    templates: object = None) -> tuple[Context, list[object]]:
    """What every formula function resolves once per call, the same way as every other entry
    point (:func:`refund_xl._core.context.for_formula`), and its header row.  Raises the errors a
    formula shows in its cells (ContextError, SettingsError)."""
    return context.for_formula(settings, now, columns, values, templates), as_headers(headers)


@runtime_checkable
class ColumnSource(Protocol):
    """A block a host hands over column by column, paying per cell (an Excel range read over COM).

    ``height``/``width``: the block's size; ``read(cols)``: its rows holding only the
    (0-based, sorted) columns ``cols``, as plain values (numbers, text, bools, None);
    ``read(cols, rows)``: only the (0-based, sorted) rows ``rows`` of them.
    """

    height: int
    width: int

    def read(self, cols: Sequence[int], rows: Sequence[int] | None = None) -> list[list[object]]: ...


def narrowed(cmap: ColumnMap, cols: Sequence[int]) -> ColumnMap:
    """``cmap`` for a table holding only the sheet columns ``cols`` (in that order): every field at its
    new place; the headers, preset and mappings as read from the whole header row."""
    at = {c: i for i, c in enumerate(cols)}
    return replace(cmap, index={k: at[c] for k, c in cmap.index.items() if c in at},
                   headers=tuple(cmap.headers[c] if c < len(cmap.headers) else "" for c in cols),
                   also={k: tuple(at[c] for c in more if c in at) for k, more in cmap.also.items()},
                   ties={k: tuple(at[c] for c in more if c in at) for k, more in cmap.ties.items()})


def read_source(block: object, header_row: list, aliases: Aliases, now: datetime | None = None,
                keys: tuple[str, ...] = ALL_KEYS, columns: ColumnMap | None = None) -> tuple[list, list, Columns]:
    """(table as read, its header row, its Columns): a plain table read whole, a :class:`ColumnSource`
    only in the columns the header row resolves to ``keys`` (plus the identity columns, where a 合计
    row says what it is), so a formula costs what those columns cost, not the whole block.  A row
    whose only content is in columns no field reads is a blank row there.  ``columns``: the header
    row as already resolved (else resolved here)."""
    if not isinstance(block, ColumnSource):
        table = as_rows(block)
        return table, header_row, read_columns(table, header_row, aliases=aliases, keys=keys, now=now, colmap=columns)
    cmap = columns or resolve(header_row, aliases)
    # the identity columns too (the first, 订单号, 售后单号): where a 合计/总计 row says what it is
    cols = [c for c in sorted({0, *columns_read(cmap, (*keys, "case_id"))}) if c < block.width]
    table = block.read(cols) if block.height else []
    head = [header_row[c] if c < len(header_row) else None for c in cols]
    out = read_columns(table, head, colmap=narrowed(cmap, cols), keys=keys, now=now)
    _cases_as_the_whole_block(block, table, out, cmap, cols)
    return table, head, out


def _cases_as_the_whole_block(block: ColumnSource, table: list, out: Columns, cmap: ColumnMap,
                              cols: list[int]) -> None:
    """A narrow read (a function reading a few fields) tells a case from a row that is none as the whole block
    does (:func:`refund_xl._core.engine.case_columns`: every field's column): the rows that may be no case are
    read in the other field columns too, those rows only, and judged on the whole row."""
    whole = [c for c in sorted({0, *case_columns(cmap)}) if c < block.width]  # (the first: a 合计 label's)
    have = set(cols)
    extra = [c for c in whole if c not in have]
    if not extra or not table:
        return
    at = cols.index(cmap.index.get("order_id", 0)) if cmap.index.get("order_id", 0) in have else 0
    rows = maybe_not_cases([r[at] if at < len(r) else None for r in table])
    if not rows:
        return
    more = block.read(extra, rows)
    pos = {c: i for i, c in enumerate(cols)}
    cmap_whole = narrowed(cmap, whole)
    for i, got in zip(rows, more):
        by_col = dict(zip(extra, got))
        row = [table[i][pos[c]] if c in pos else plain_cell(by_col[c]) for c in whole]
        case = not_a_case(row, cmap_whole) is None
        if case and out.blank[i] and _is_blank(table[i]):  # a field cell this function does not read is filled
            out.blank[i] = False
        elif not case and not out.blank[i]:  # a totals or notice line by the cells this function does not read
            out.blank[i] = True
            out.bad.pop(i, None)
            out.bad_values.pop(i, None)


# ------------------------------------------------------------ rows

def table_rows(cols: Columns, s: Settings, when: datetime, templates: Mapping[str, str]) -> list[list[object]]:
    """One 8-cell row per table row ("" for rows that are not cases), worked out column-wise
    (:func:`refund_xl._core.table_render.table_cells`)."""
    return table_cells(cols, s, when, templates)


def _is_header(row: list[object], header_row: list[object]) -> bool:
    key = [str(h).strip() if h is not None else "" for h in header_row]
    if not any(key) or len(row) < len(key):
        return False
    return all((str(c).strip() if c is not None else "") == h for c, h in zip(row, key))


def refund_table(rows: object, headers: object, settings: object = None, now: object = None,
                 templates: object = None, columns: object = None, values: object = None,
                 header: object = None) -> list[list[object]]:
    """The N×8 block of REFUND_TABLE; never raises.

    ``rows``: the table as plain rows, or a :class:`ColumnSource` (the Excel adapter's range,
    read only in the columns the headers resolve to fields).

    When the first row of ``rows`` is the header row (the range was selected with
    its headers), that output row holds the 8 result headers, 判定依据's naming the
    基准时间 the results used; ``header`` False/0 leaves it blank instead.
    A bad setting, 基准时间 or 列名映射 shows as a message in the first column of
    every row (the other cells blank).
    """
    if not isinstance(rows, ColumnSource):
        rows = as_rows(rows)
    n = max(rows.height if isinstance(rows, ColumnSource) else len(rows), 1)
    try:
        ctx, header_row = formula_context(settings, now, headers, columns, values, templates)
        return table_block(rows, header_row, ctx, header not in (False, 0, "0", "FALSE", "false"))
    except (RefundXLError, ValueError) as exc:
        return [[f"#{exc}", *[""] * (WIDTH - 1)] for _ in range(n)]


def table_block(rows: object, header_row: list, ctx: Context, header: bool = True,
                columns: ColumnMap | None = None, cols_out: list[Columns] | None = None) -> list[list[object]]:
    """The N×8 block for a resolved context: the one computation of REFUND_TABLE, of 刷新判定's values
    and of ``refund-xl fill``; raises the reading errors (ColumnsError …) a caller shows.  ``columns``:
    the header row as already resolved; ``cols_out`` receives the table as read (for its report)."""
    s, when = ctx.settings, ctx.now
    with bulk():
        table, header_row, cols = read_source(rows, header_row, ctx.mappings, when, columns=columns)
        out = table_rows(cols, s, when, ctx.templates)
    if cols_out is not None:
        cols_out.append(cols)
    if table and _is_header(table[0], header_row):
        out[0] = [*headers_for(s, when)] if header else list(BLANK)
    return out or [list(BLANK)]
