"""pandas in, pandas out: the core for automation scripts and notebooks.

A desk that already pulls platform exports with pandas can evaluate them
without writing a file::

    import pandas as pd
    from refund_xl.frame import evaluate_frame

    cases = pd.read_excel("导出.xlsx", dtype={"订单号": str, "物流单号": str})
    result = evaluate_frame(cases, now="2025-06-10 12:00")
    result[result.action_code == "INTERCEPT_AND_WATCH"]

The frame's column names are its headers (found through the same aliases as
a sheet's); the result is a copy with the columns of ``refund-xl evaluate``
added.  pandas' missing values (NaN, NaT, None) count as blank cells.
"""

from __future__ import annotations


import pandas as pd

from refund_xl._core import context
from refund_xl._core.engine import OUTPUT_COLUMNS, evaluate_table
from refund_xl._core.fields import Aliases

__all__ = ["evaluate_frame"]


def _cell(value: object) -> object:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def evaluate_frame(frame: pd.DataFrame, settings: object = None, now: object = None,
                   aliases: Aliases = None) -> pd.DataFrame:
    """A copy of ``frame`` with action_code, action, why, stall_code, … added.

    ``settings``: a :class:`~refund_xl._core.settings.Settings`, a 设置 table or None;
    ``now``: a datetime or date text (default: the settings' 基准时间, else the current time);
    ``aliases``: a 列名映射 dict or a ``Mappings``.  Resolved as every entry point does
    (:func:`refund_xl._core.context.build`); an unreadable ``now`` raises ContextError.
    """
    ctx = context.build(None, settings=settings, mappings=aliases, now=now)
    headers = [str(c) for c in frame.columns]
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    results, _report = evaluate_table(rows, headers, ctx)
    added = pd.DataFrame([r.as_output(ctx.english) for r in results], columns=list(OUTPUT_COLUMNS),
                         index=frame.index)
    return pd.concat([frame, added], axis=1)
