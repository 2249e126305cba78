"""The sample rows the template ships with, and the results stored for them.

The sample tracking rows come from ``refund_xl/data/sample_tracking.csv``,
typed as a desk's sheet holds them.  The formula block's cached results are
computed by calling :func:`refund_xl.udfs.REFUND_TABLE` directly on exactly
what the formula reads, at :data:`~.layout.SAMPLE_NOW`, so that viewers which
cannot run Python (LibreOffice, a phone, Excel before the first
recalculation) show the sample's results.  Pure module: imports no host library.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime

from refund_xl._core.fields import FIELDS
from refund_xl._template.layout import DATA_COLS, PACKAGE_DIR, SAMPLE_NOW, TEMPLATES_LAST_ROW
from refund_xl._template.sheets import DATE_KEYS, columns_rows, settings_table, templates_rows, values_rows

__all__ = ["sample_table", "excel_value", "data_block", "cached_results"]

_ISO_MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_NUMBER_KEYS = ("amount", "return_cost")


def sample_table() -> tuple[list[str], list[list[object]]]:
    """The packaged sample tracking rows, typed as a desk's sheet would hold them.

    Ids stay text; ISO datetimes become real datetimes; plain numbers in money
    columns become numbers; everything else (``2025/6/9 20:30``, ``¥1,299.00``,
    full addresses, synonyms) stays as typed, as in real exports.
    """
    by_header = {f.header: f.key for f in FIELDS}
    path = PACKAGE_DIR / "data" / "sample_tracking.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    headers = rows[0]
    keys = [by_header.get(h) for h in headers]
    out: list[list[object]] = []
    for raw in rows[1:]:
        if not any(c.strip() for c in raw):
            continue
        row: list[object] = []
        for key, text in zip(keys, raw):
            value: object = text if text != "" else None
            if value is not None and key in DATE_KEYS and _ISO_MINUTE.match(text):
                value = datetime.strptime(text, "%Y-%m-%d %H:%M")
            elif value is not None and key in _NUMBER_KEYS and _PLAIN_NUMBER.match(text):
                value = float(text) if "." in text else int(text)
            row.append(value)
        out.append(row)
    return headers, out


def excel_value(v: object) -> object:
    """What xlwings hands Python for a cell: numbers as float, blanks as None."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return float(v)
    return v


def data_block(headers: list[str], rows: list[list[object]]) -> tuple[list[object], list[list[object]]]:
    """The A1:BH1 header row and the rows below it as the formula passes them."""
    head = [excel_value(h) for h in headers] + [None] * (DATA_COLS - len(headers))
    block = [[excel_value(v) for v in r] + [None] * (DATA_COLS - len(r)) for r in rows]
    return head, block


def cached_results(now: datetime = SAMPLE_NOW) -> list[list[object]]:
    """REFUND_TABLE's block (header row + one row per sample row), by calling refund_xl.udfs directly."""
    from refund_xl import udfs

    headers, rows = sample_table()
    head, block = data_block(headers, rows)
    settings = [[excel_value(v) for v in r] for r in settings_table()]
    templates = templates_rows()
    templates += [[None] * 3] * (TEMPLATES_LAST_ROW - len(templates))
    return udfs.REFUND_TABLE([head] + block, [head], settings, now, templates, columns_rows(), values_rows())
