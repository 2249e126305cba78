"""What `evaluate` writes, and how it reads to a person (contract §7).  Pure: no host library.

Two shapes of the same results:

* the machine shape (``.csv``): the input columns plus ``engine.OUTPUT_COLUMNS``
  with their exact names and codes — an automation contract, never renamed;
* the person shape (``.xlsx``/``.xlsm``): the input columns plus
  :data:`PERSON_COLUMNS` — Chinese headers (English when ``language`` is
  English), labels instead of codes, the three code columns last for filtering,
  and a :class:`TableLayout` (widths, wrapped columns) for the file writer.

:func:`summary` is the words the command line prints after a run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from refund_xl._core.lang import lang, pick
from refund_xl._core import render
from refund_xl._core import rules

__all__ = ["CJK_FONT", "PersonColumn", "PERSON_COLUMNS", "TableLayout", "person_headers", "person_cells",
           "evaluate_layout", "summary", "display_width", "last_used_col"]


CJK_FONT = "等线"  # the sheets the product writes: DengXian (Windows 10+, Office 2016+); WPS/LibreOffice substitute


@dataclass(frozen=True)
class PersonColumn:
    key: str
    width: float
    wrap: bool = False

    @property
    def zh(self) -> str:
        return render.COLUMN_NAMES[self.key][0]

    @property
    def en(self) -> str:
        return render.COLUMN_NAMES[self.key][1]

    def name(self, english: bool) -> str:
        return pick((self.zh, self.en), english)


# The names come from the one catalogue (render.COLUMN_NAMES); here only the layout.
PERSON_COLUMNS: tuple[PersonColumn, ...] = (
    PersonColumn("action", 34, wrap=True),
    PersonColumn("why", 46, wrap=True),
    PersonColumn("stall", 11),
    PersonColumn("deadline", 11),
    PersonColumn("hours_left", 10),
    PersonColumn("value_tier", 10),
    PersonColumn("loss_risk", 14),
    PersonColumn("action_code", max(map(len, rules.ACTIONS)) + 2),
    PersonColumn("stall_code", 15),
    PersonColumn("deadline_code", 13),
)
assert tuple(c.key for c in PERSON_COLUMNS) == render.PERSON_KEYS + render.CODE_KEYS


@dataclass(frozen=True)
class TableLayout:
    """How a one-table workbook is laid out: column widths (characters) and wrapped columns.

    The file writer reads only these attributes; the header row is bold, frozen
    and filtered in every table it writes.
    """

    widths: tuple[float, ...] = ()
    wrap_cols: frozenset[int] = field(default_factory=frozenset)
    # printing: the columns that print (0-based first, last: the results a desk reads) and the
    # column repeated at the left of every printed page (订单号); None = the whole sheet / none
    print_cols: tuple[int, int] | None = None
    title_col: int | None = None


def person_headers(english: bool = False) -> list[str]:
    return [c.name(english) for c in PERSON_COLUMNS]


def person_cells(res, english: bool = False) -> list[object]:
    """One row's person columns (a :class:`~refund_xl._core.engine.RowResult`), shown exactly as the
    formulas show them (:meth:`refund_xl._core.render.Presenter.person`), then the three code columns."""
    if res.blank:
        return [None] * len(PERSON_COLUMNS)
    present = _PRESENT[lang(english)]
    shown = [None if v == "" else v for v in present.person(res)]
    return shown + present.codes(res)


_PRESENT = (render.Presenter(False), render.Presenter(True))


def display_width(value: object) -> float:
    """Characters a cell needs on screen: a CJK character is two."""
    if value is None:
        return 0.0
    text = value if isinstance(value, str) else (
        value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else str(value))
    line = max(text.split("\n"), key=len) if "\n" in text else text
    return float(sum(2 if ord(ch) > 0x2E7F else 1 for ch in line))


def last_used_col(rows: Sequence[Sequence[object]]) -> int:
    """0-based index of the last column holding anything, -1 for an empty sheet: the widest row of a sheet whatever
    its header row spans (a wider export pasted below, a note beside the table), which ``evaluate`` writes whole and
    ``fill`` puts its block beyond."""
    last = -1
    for row in rows:
        n = len(row)
        while n > last + 1 and (row[n - 1] is None or row[n - 1] == ""):
            n -= 1
        if n - 1 > last:
            last = n - 1
    return last


def evaluate_layout(input_headers: Sequence[object], sample: Iterable[Sequence[object]],
                    order_col: int | None = None, results: Iterable[Sequence[object]] = ()) -> TableLayout:
    """Widths for the input columns from their header and a sample of rows; the result columns fixed.

    A printout is the results a desk reads (处理动作 … 钱货两空风险) with 订单号 (``order_col``)
    repeated at the left of every page, as the template prints its result block.  ``results``:
    a sample of :func:`person_cells` rows; an unwrapped result column widens to show them whole
    (a quoted value such as ``#信息不足: 退款金额「待定」`` in 客单级别).
    """
    n = len(input_headers)
    widths = [display_width(h) for h in input_headers]
    for row in sample:
        for i in range(min(n, len(row))):
            w = display_width(row[i])
            if w > widths[i]:
                widths[i] = w
    widths = [max(8.0, min(36.0, w + 2)) for w in widths]
    result_widths = [float(c.width) for c in PERSON_COLUMNS]
    long = set()
    for row in results:
        for i, c in enumerate(PERSON_COLUMNS):
            if not c.wrap and i < len(row):
                need = display_width(row[i]) + 2
                if need > 60.0:
                    long.add(i)  # a message longer than a sensible column: it wraps instead
                result_widths[i] = max(result_widths[i], min(60.0, need))
    widths += result_widths
    wrap = frozenset(n + i for i, c in enumerate(PERSON_COLUMNS) if c.wrap or i in long)
    shown = sum(1 for c in PERSON_COLUMNS if c.key not in render.CODE_KEYS)
    return TableLayout(tuple(widths), wrap, print_cols=(n, n + shown - 1), title_col=order_col)


def summary(results: Sequence, english: bool = False) -> str:
    """The run in words: cases, open, deadlines, loss risks, then every action with its count."""
    live = [r for r in results if not r.blank]
    if not live:
        return pick(("没有售后单：表里只有表头，没有数据行。", "No cases: the sheet has headers but no rows."), english)
    counts = Counter("ERROR" if r.error else r.action_code or "ERROR" for r in live)
    open_ = [r for r in live if r.action_code != "DONE"]
    overdue = sum(r.deadline_code == "OVERDUE" for r in open_)
    warn = sum(r.deadline_code == "WARN" for r in open_)
    risk = sum(r.loss_risk == "RISK" for r in live)
    if english:
        head = (f"{len(live)} cases, {len(open_)} open; overdue {overdue}, due soon {warn}; "
                f"money and goods both gone {risk}.")
    else:
        head = f"共 {len(live)} 个售后单，未完结 {len(open_)}；已超时 {overdue}，即将超时 {warn}；钱货两空风险 {risk}。"
    order = [c for c in rules.ACTIONS if c in counts] + sorted(set(counts) - set(rules.ACTIONS))
    lines = [head, pick(("各处理动作：", "Per action:"), english)]
    for code in order:
        lines.append(f"  {counts[code]:>6}  {render.action_name(code, english)}  [{code}]")
    return "\n".join(lines)
