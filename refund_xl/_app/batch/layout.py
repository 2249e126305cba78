"""How each output sheet is laid out: widths, bold rows, wrapped columns, frozen header,
filter, chart — one :class:`SheetSpec` per sheet, applied by both hosts (the file
writer in :mod:`refund_xl._files.xlsxpatch`, the Excel adapter in :mod:`refund_xl.macros`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from refund_xl._app.batch.columns import AUDIT, CLAIMS, COURIER_LIST, LOG, OUTPUT_SHEETS, OVERVIEW, READING, REGISTER, REPLIES

if TYPE_CHECKING:  # the result type only: sheets.py imports this module
    from refund_xl._app.batch.sheets import BatchResult


_WIDTHS = {
    REGISTER: [17, 22, 22, 12, 18, 10, 9, 24, 7, 17, 17, 11, 36, 24, 30, 14],
    COURIER_LIST: [14, 22, 22, 34],
    REPLIES: [22, 22, 24, 30, 70, 14, 11, 26, 17, 14],
    OVERVIEW: [28, 40, 17, 17, 10, 34, 30, 22, 12, 20],
    LOG: [17, 17, 9, 10, 8, 8, 8, 70, 12, 10, 8, 10, 40, 60],
    READING: [24, 18, 16, 44],
    CLAIMS: [17, 22, 22, 12, 18, 10, 26, 9, 17, 17, 12, 10, 24, 30, 16],
    AUDIT: [17, 22, 22, 20, 10, 10, 17, 9, 44, 30, 12, 18, 18, 24],
}


def widths_of(name: str) -> list[int]:
    """Suggested column widths (characters) for a host that sets them."""
    return list(_WIDTHS.get(name, []))


def iter_cells(table: Iterable[Sequence[object]]):
    """(row index, column index, value) of every non-empty cell (0-based)."""
    for r, row in enumerate(table):
        for c, v in enumerate(row):
            if v is not None and v != "":
                yield r, c, v


@dataclass
class ChartSpec:
    """A bar chart over a block of the sheet (1-based rows/columns): the overview's counts per action."""

    title: str
    header_row: int
    first_row: int
    last_row: int
    label_col: int
    value_col: int
    anchor: str = "E5"


@dataclass
class SheetSpec:
    name: str
    rows: Sequence[Sequence[object]]
    widths: Sequence[float] = ()
    bold_rows: set[int] = field(default_factory=set)  # 0-based
    wrap_cols: set[int] = field(default_factory=set)  # 0-based
    freeze_row: int = 0  # rows above the split (0 = none)
    autofilter_row: int | None = None  # 0-based header row of an autofilter
    chart: ChartSpec | None = None
    # a snapshot sheet (rebuilt by every run): its cells are all the product's, so an existing
    # one gets its sheetData replaced whole; the rest of the sheet (widths, views, drawings) stays
    snapshot: bool = False
    freeze_col: int = 0  # columns left of the split (0 = none), with freeze_row: the sheet import creates


def sheet_specs(result: "BatchResult") -> list[SheetSpec]:
    """How each output sheet of ``result`` is laid out (widths, bold rows, frozen header, filter, chart)."""
    specs = []
    for name in OUTPUT_SHEETS:
        if name not in result.sheets:
            continue
        rows = result.sheets[name]
        head = result.header_row.get(name)
        chart = result.chart if name == OVERVIEW else None
        specs.append(SheetSpec(
            name=name, rows=rows, widths=widths_of(name),
            bold_rows=result.bold_rows.get(name, set()), wrap_cols=result.wrap_cols.get(name, set()),
            freeze_row=(head + 1) if head is not None else 0,
            autofilter_row=head if name in (REGISTER, REPLIES, CLAIMS, AUDIT) else None,
            chart=chart, snapshot=name in (OVERVIEW, COURIER_LIST)))
    return specs
