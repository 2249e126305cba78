"""Small helpers shared by the test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Mapping, Sequence

import openpyxl
import pytest

from refund_xl._app.book import Book
from refund_xl.cli import main


def column(book: Book, sheet: str, header: str, header_row: int = 0) -> list[object]:
    """A column's cells below its header (found by name), one per row of the sheet, blanks as None."""
    rows = book.rows(sheet)
    c = rows[header_row].index(header)
    return [row[c] if c < len(row) else None for row in rows[header_row + 1:]]


def workbook_file(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    """An .xlsx written with openpyxl: one sheet per entry, rows from A1, "" as an empty cell
    (ids given as str are stored as text cells)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append([None if v == "" else v for v in row])
    wb.save(path)
    return path


def cli(*argv: object) -> int:
    """``refund-xl`` in this process; its exit code."""
    return main([str(a) for a in argv])


def cli_output(capsys: pytest.CaptureFixture, *argv: object) -> tuple[int, str, str]:
    """``refund-xl`` in this process: (exit code, stdout, stderr)."""
    code = cli(*argv)
    out, err = capsys.readouterr()
    return code, out, err


def order_text(value: object) -> str:
    """An order number as written back: ="…", a leading ' (made inert) or a float's .0 removed."""
    text = str(value or "").strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return re.sub(r"[^0-9A-Za-z-]", "", text)


def csv_file(path: Path, head: Sequence[object], rows: Sequence[Sequence[object]], notice: str | None = None,
             encoding: str = "utf-8-sig") -> Path:
    """An export as a platform writes it: a notice line (温馨提示 …) above the header row if given, then the rows."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        if notice:
            w.writerow([notice])
        w.writerow(head)
        w.writerows(rows)
    return path
