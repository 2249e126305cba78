"""How each output sheet is laid out: widths, bold rows, wrapped columns, frozen header,
filter, chart — one :class:`SheetSpec` per sheet, applied by both hosts (the file
writer in :mod:`refund_xl._files.xlsxpatch`, the Excel adapter in :mod:`refund_xl.macros`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable, Sequence

from refund_xl._app.batch.columns import AUDIT, CLAIMS, COURIER_LIST, LOG, LOG_COLS, find_cols, OUTPUT_SHEETS, OVERVIEW, READING, REGISTER, REPLIES
from refund_xl._app.outputs import display_width

if TYPE_CHECKING:  # the result type only: sheets.py imports this module
    from refund_xl._app.batch.sheets import BatchResult


_WIDTHS = {
    REGISTER: [17, 22, 22, 12, 18, 10, 9, 24, 7, 17, 17, 11, 36, 24, 30, 14, 44, 12],
    COURIER_LIST: [14, 22, 22, 34],
    REPLIES: [22, 22, 18, 24, 30, 26, 70, 14, 11, 26, 17, 14],
    OVERVIEW: [28, 40, 17, 17, 10, 34, 30, 22, 12, 20],
    LOG: [17, 17, 9, 10, 8, 8, 8, 60, 12, 10, 8, 10, 40, 40, 60],
    READING: [24, 18, 16, 44],
    CLAIMS: [17, 22, 22, 12, 18, 10, 26, 9, 17, 17, 12, 10, 24, 30, 16],
    AUDIT: [17, 22, 22, 20, 10, 10, 17, 9, 44, 30, 12, 18, 18, 24],
}


def widths_of(name: str) -> list[int]:
    """Suggested column widths (characters) for a host that sets them."""
    return list(_WIDTHS.get(name, []))


DATE_WIDTH = 17.0    # 2025-06-10 12:00 (yyyy-mm-dd hh:mm) and a margin: narrower shows ###
MAX_WIDTH = 60.0     # a column wider than this would push the rest off the printed page
_SAMPLE = 2000       # rows looked at from each end of a long sheet (a column's cells are alike)


def needed_width(value: object) -> float:
    """Characters a value needs to show whole in an unwrapped cell (a CJK character is two)."""
    if isinstance(value, (datetime, date)):
        return DATE_WIDTH
    if isinstance(value, bool):
        return 6.0
    if isinstance(value, float):
        return len(f"{value:.2f}".rstrip("0").rstrip(".")) + 2.0
    if isinstance(value, int):
        return len(str(value)) + 2.0
    return display_width(value) + 2.0 if value is not None else 0.0


def fit_widths(rows: Sequence[Sequence[object]], base: Sequence[float] = (),
               wrap_cols: Iterable[int] = ()) -> list[float]:
    """Column widths that show every cell whole: ``base`` widened where a date, a number, or a text
    with a filled cell to its right needs more (a text with nothing to its right runs on over the
    empty cells, as a title does; a wrapped column keeps its width and wraps)."""
    wrap = set(wrap_cols)
    widths = [float(w) for w in base]
    sample = rows if len(rows) <= 2 * _SAMPLE else [*rows[:_SAMPLE], *rows[-_SAMPLE:]]
    for row in sample:
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, str):
                if c in wrap:
                    continue
                if not any(x not in (None, "") for x in row[c + 1:c + 2]):
                    continue       # runs on over the empty cell to its right
            while len(widths) <= c:
                widths.append(8.43)
            need = min(MAX_WIDTH, needed_width(v))
            if need > widths[c]:
                widths[c] = need
    return widths


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
    # printing (a new sheet): landscape, as wide as one page, the header row on every page
    print_fit: bool = False
    print_titles: str | None = None   # rows (and columns) repeated on every page: "$1:$1" or "$1:$1,$A:$A"
    print_area: str | None = None     # what prints, e.g. "$AN$1:$AT$96" (None: the whole sheet)


def sheet_specs(result: "BatchResult") -> list[SheetSpec]:
    """How each output sheet of ``result`` is laid out (widths, bold rows, frozen header, filter, chart)."""
    specs = []
    for name in OUTPUT_SHEETS:
        if name not in result.sheets:
            continue
        rows = result.sheets[name]
        head = result.header_row.get(name)
        chart = result.chart if name == OVERVIEW else None
        if name == READING:
            specs.append(reading_spec(rows))
            continue
        wrap = result.wrap_cols.get(name, set())
        specs.append(SheetSpec(
            name=name, rows=rows, widths=fit_widths(rows, widths_of(name), wrap),
            bold_rows=result.bold_rows.get(name, set()), wrap_cols=wrap,
            freeze_row=(head + 1) if head is not None else 0,
            autofilter_row=head if name in (REGISTER, REPLIES, CLAIMS, AUDIT) else None,
            chart=chart, snapshot=name in (OVERVIEW, COURIER_LIST),
            print_fit=True, print_titles=f"${head + 1}:${head + 1}" if head is not None else None))
    return specs


def log_wrap_cols(header: Sequence[object]) -> set[int]:
    """运行日志's long-text columns (设置, 读取情况, 导入结果, 说明), wherever staff moved them."""
    return set(find_cols(header, [c for c in LOG_COLS if c.id in ("settings", "reading", "result", "detail")]).values())


def log_spec(rows: Sequence[Sequence[object]]) -> SheetSpec:
    """运行日志 laid out as every writer of it lays it out (the batch, `import`, `archive`)."""
    wrap = log_wrap_cols(rows[0]) if rows else set()
    return SheetSpec(LOG, rows, widths=fit_widths(rows, widths_of(LOG), wrap), bold_rows={0}, wrap_cols=wrap,
                     freeze_row=1, print_fit=True, print_titles="$1:$1")


def reading_spec(rows: Sequence[Sequence[object]], name: str = READING) -> SheetSpec:
    """读取报告 (:meth:`refund_xl._core.report.ReadingReport.table`) as the batch and `evaluate` write it:
    its title, the header row of the headers found and each section's title row (the row after a
    blank one) bold; the notes column wraps."""
    bold = {0, 2} | {i + 1 for i, row in enumerate(rows[:-1]) if not any(v not in (None, "") for v in row)}
    wrap = {3}
    return SheetSpec(name, rows, widths=fit_widths(rows, widths_of(READING), wrap), bold_rows=bold, wrap_cols=wrap,
                     print_fit=True)
