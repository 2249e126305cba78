"""Rows appended under an existing sheet's last row, streamed into the zip (import's new cases).

``refund-xl import`` of a 400k-row export into a desk's book appends 400k rows
under the tracking sheet.  Given as single cells (:meth:`FileBook.set_cells`)
they would be held three times over (the cells, the cells per row, the XML of
each row) — about 2.4 GB.  :func:`append_rows` keeps the rows as they are and
writes their XML block by block while the package is saved
(:meth:`refund_xl._files.xlsxpatch.Package.put` with a function), the sheet's own
rows passed through as bytes; the cells are written exactly as
:func:`refund_xl._files.xlsxpatch.edit_sheet_pieces` writes new cells (inline
text, the product's date style), and the dimension, the autofilter and the
sheet's Tables grow over the new rows.

Only rows below every row the sheet part holds are appended this way; when the
part has rows at or below the first new one (styled empty rows a desk's Excel
left), :func:`append_rows` declines and the caller edits cell by cell.
"""

from __future__ import annotations

import re
from typing import Iterator, Sequence

from refund_xl._files.xlsxpatch import Book, PackageError, _edit_cell, _grow_refs, col_letter

__all__ = ["append_rows"]

_BLOCK = 2000
_ROW_R = re.compile(rb'\br="(\d+)"')


def append_rows(book: Book, name: str, row0: int, rows: Sequence[Sequence[object]]) -> bool:
    """Append ``rows`` (from column A) at 0-based row ``row0`` of sheet ``name``; False: not below the last row."""
    part = book.sheet_parts[name]
    data = book.pkg.read(part)
    m_root = re.search(rb"<(?:(\w+):)?worksheet\b", data)
    if m_root is None:
        raise PackageError("worksheet")
    p = m_root.group(1).decode("utf-8") + ":" if m_root.group(1) else ""
    pb = p.encode("utf-8")
    m_open = re.compile(rb"<%ssheetData\b[^>]*?(/?)>" % pb).search(data)
    if m_open is None:
        raise PackageError("sheetData")
    if m_open.group(1):  # <sheetData/>
        head = data[:m_open.start()].decode("utf-8") + f"<{p}sheetData>"
        body, tail = b"", f"</{p}sheetData>" + data[m_open.end():].decode("utf-8")
    else:
        end = data.find(b"</%ssheetData>" % pb, m_open.end())
        if end < 0:
            raise PackageError("sheetData")
        head, body, tail = data[:m_open.end()].decode("utf-8"), data[m_open.end():end], data[end:].decode("utf-8")
    old_last = 0
    count = 0
    for m in re.finditer(rb"<%srow\b([^>]*?)/?>" % pb, body):
        count += 1
        r = _ROW_R.search(m.group(1))
        old_last = int(r.group(1)) if r else count  # a row without r is numbered by its place
    first = row0 + 1
    if old_last >= first:
        return False
    last = row0 + len(rows)
    width = max((len(r) for r in rows), default=1) or 1
    head, n_dim, n_filter = _grow_refs(head, p, last, width)
    if not (n_dim and n_filter):
        tail = _grow_refs(tail, p, last, width, dimension=not n_dim, autofilter=not n_filter)[0]
    st = book.styles
    managed = st.managed
    date1904 = book.date1904
    letters = [col_letter(c + 1) for c in range(width)]
    head_bytes, tail_bytes = head.encode("utf-8"), tail.encode("utf-8")
    del data

    def row_xml(r: int, row: Sequence[object]) -> str:
        cells = "".join(_edit_cell(None, f"{letters[c]}{r}", v, None, st, managed, p, date1904)
                        for c, v in enumerate(row) if v is not None)
        return f'<{p}row r="{r}">{cells}</{p}row>' if cells else ""

    def pieces() -> Iterator[bytes]:
        yield head_bytes
        yield body
        for start in range(0, len(rows), _BLOCK):
            yield "".join(row_xml(first + start + k, row)
                          for k, row in enumerate(rows[start:start + _BLOCK])).encode("utf-8")
        yield tail_bytes

    pieces.zip64 = len(body) + len(rows) * width * 60 > 1_900_000_000  # type: ignore[attr-defined]
    book.pkg.put(part, pieces)
    if last > old_last:
        book._grow_tables(part, old_last, last)
    return True
