"""Small helpers shared by the test modules (fixtures live in conftest.py)."""

from __future__ import annotations

from refund_xl._app.book import Book


def column(book: Book, sheet: str, header: str, header_row: int = 0) -> list[object]:
    """A column's cells below its header (found by name), one per row of the sheet, blanks as None."""
    rows = book.rows(sheet)
    c = rows[header_row].index(header)
    return [row[c] if c < len(row) else None for row in rows[header_row + 1:]]
