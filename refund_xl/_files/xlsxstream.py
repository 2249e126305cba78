"""Writers that stream (contract §9: a 100k-row book within 3× its read and 500 MB).

Two big writes had whole-sheet Python strings or one edit object per cell:

* ``evaluate``'s workbook: the input columns plus the result columns, every row.
  :func:`write_table_xlsx` writes the sheet part straight into its zip entry in
  blocks of rows taken from an iterator (no list of all output rows, no
  whole-sheet text); the rest of the sheet part (views, widths, filter) is what
  :func:`refund_xl._files.xlsxpatch.sheet_xml` writes for the same table.
* ``fill``'s 8 result cells on every row of a tracking sheet:
  :func:`edit_block_pieces` walks the sheet part as bytes and, for a row whose
  cells all lie left of the block, appends the block's cells to the row's bytes
  (no decoding, no per-cell edit object); any other row goes through the
  general cell editor (:func:`refund_xl._files.xlsxpatch._edit_row`), so the
  result is what the general path writes for the same cells.

The general editor stays the one in :mod:`refund_xl._files.xlsxpatch`; this
module adds the block forms beside it.
"""

from __future__ import annotations

import dataclasses
import math
import re
import zipfile
from xml.sax.saxutils import escape
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from refund_xl._files.xlsxpatch import (KEEP, split_sheet_data, Book, Package, PackageError, Rels, SheetSpec, _Styles, _attrs, _cell,
                                        _copy_info, _edit_cell, excel_serial, _edit_row, _fast_level, _grow_refs, col_letter, rows_xml,
                                        sheet_xml)

__all__ = ["Block", "add_sheet", "edit_block_pieces", "edit_sheet_block", "write_table_xlsx", "set_widths",
           "ROWS_PER_BLOCK"]

ROWS_PER_BLOCK = 2000


# ------------------------------------------------------------ evaluate's table

def _sheet_pieces(spec: SheetSpec, body: Iterable[Sequence[object]], n_rows: int, width: int, st: _Styles,
                  date1904: bool, drawing_rid: str | None = None, ns: tuple[str, str] | None = None) -> Iterator[bytes]:
    """The sheet part of ``spec`` (its first row written, its other rows taken from ``body``) in pieces:
    what ``sheet_xml`` writes for the whole table, with the rows streamed in blocks.  The first row is as
    wide as the table, or the table has no filter (the filter's width is the first row's)."""
    head_spec = dataclasses.replace(spec, rows=[list(spec.rows[0]) + [None] * (width - len(spec.rows[0]))],
                                    chart=None)
    text = (sheet_xml(head_spec, st, drawing_rid, date1904, ns) if ns else
            sheet_xml(head_spec, st, drawing_rid, date1904)).decode("utf-8")
    at = text.index("</sheetData>")
    head, tail = text[:at], text[at:]
    last = max(n_rows, 1)
    letter = col_letter(width)
    head = head.replace(f'<dimension ref="A1:{letter}1"/>', f'<dimension ref="A1:{letter}{last}"/>', 1)
    if spec.autofilter_row == 0:
        tail = tail.replace(f'<autoFilter ref="A1:{letter}1"/>', f'<autoFilter ref="A1:{letter}{last}"/>', 1)
    yield head.encode("utf-8")
    rows = iter(body)
    first = 1
    while True:
        chunk = list(islice(rows, ROWS_PER_BLOCK))
        if not chunk:
            break
        if max(map(len, chunk)) > width:
            raise ValueError(f"a row wider than the {width} columns announced")
        bold = {b - first for b in spec.bold_rows if first <= b < first + len(chunk)}
        if bold or len(set(map(len, chunk))) != 1:
            block = SheetSpec(spec.name, chunk, widths=spec.widths, bold_rows=bold, wrap_cols=spec.wrap_cols)
            yield rows_xml(block, st, date1904, first=first).encode("utf-8")
        else:
            yield _rows_by_column(chunk, first, st, date1904, spec.wrap_cols, spec.widths).encode("utf-8")
        first += len(chunk)
    if first != n_rows:
        raise ValueError(f"{n_rows} rows announced, {first} written")
    yield tail.encode("utf-8")


def _rows_by_column(chunk: list[Sequence[object]], first: int, st: _Styles, date1904: bool, wrap_cols: set[int],
                    widths: Sequence[float]) -> str:
    """What ``rows_xml`` writes for ``chunk`` (rows of one width, none bold) from 0-based row ``first``,
    built a column at a time: each column's cells in one pass with the column's letter and style fixed,
    then each row's cells joined (the per-cell work of a 100k × 35 table is most of its writing)."""
    nums = [str(first + i + 1) for i in range(len(chunk))]
    plain = f' s="{st.plain}"' if st.plain else ""
    wrapped = f' s="{st.wrap}"' if st.wrap else plain
    D = f' s="{st.date}"' if st.dates_ok else ""       # a date cell, as _cell writes it
    columns = []
    for c, col in enumerate(zip(*chunk)):
        L = col_letter(c + 1)
        S = wrapped if c in wrap_cols else plain
        slow_style = st.wrap if c in wrap_cols else 0

        def slow(v: object, n: str, L=L, slow_style=slow_style) -> str:
            return _cell(L + n, v, slow_style if isinstance(v, str) else 0, st, "", date1904)

        # one expression per cell (no call on the common paths): plain text, finite numbers
        columns.append([
            "" if v is None or v == "" else
            f'<c r="{L}{n}" t="inlineStr"{S}><is><t>'
            f'{v if "&" not in v and "<" not in v and ">" not in v else escape(v)}</t></is></c>'
            if v.__class__ is str and v.isprintable() and v[0] != " " and v[-1] != " " else
            f'<c r="{L}{n}"{plain}><v>{v!r}</v></c>'
            if v.__class__ is int or (v.__class__ is float and v - v == 0.0) else
            f'<c r="{L}{n}"{D}><v>{excel_serial(v, date1904)!r}</v></c>'
            if v.__class__ is datetime and D else
            slow(v, n)
            for v, n in zip(col, nums)])
    heights = [""] * len(chunk)
    if wrap_cols:
        lines = [1] * len(chunk)
        for c in sorted(wrap_cols):
            if c >= len(widths) or c >= len(columns):
                continue
            w = max(int(widths[c]) - 1, 1)
            for i, row in enumerate(chunk):
                text = row[c]
                if text.__class__ is str or isinstance(text, str):
                    need = -(-((len(text.encode("utf-8", "replace")) + len(text)) // 2) // w) + text.count("\n")
                    if need > lines[i]:
                        lines[i] = need
        heights = ["" if n == 1 else f' ht="{min(409.0, 15.0 * n):g}" customHeight="1"' for n in lines]
    out = []
    for n, ht, cells in zip(nums, heights, zip(*columns)):
        joined = "".join(cells)
        if joined:
            out.append(f'<row r="{n}"{ht}>{joined}</row>')
    return "".join(out)


def add_sheet(book: Book, spec: SheetSpec) -> None:
    """:meth:`Book.add_sheet` with the rows written a block at a time into byte chunks (no whole-sheet
    text, no list of row strings): the same part.  A table whose filter is not on its first full-width
    row is written by ``Book.add_sheet`` itself."""
    width = max((len(r) for r in spec.rows), default=1) or 1
    if len(spec.rows) <= ROWS_PER_BLOCK or spec.autofilter_row not in (None, 0) or \
            (spec.autofilter_row == 0 and len(spec.rows[0]) != width):
        book.add_sheet(spec)
        return
    book.add_sheet(dataclasses.replace(spec, rows=spec.rows[:1]))
    part = book.sheet_parts[spec.name]
    rid = next((r for r, _p in Rels(book.pkg, part).targets("/drawing")), None) if spec.chart is not None else None
    book.pkg.put(part, list(_sheet_pieces(spec, spec.rows[1:], len(spec.rows), width, book.styles, book.date1904,
                                          rid, book.sheet_ns)))


def write_table_xlsx(shell: bytes, dest: Path, spec: SheetSpec, body: Iterable[Sequence[object]], n_rows: int,
                     width: int, extra: Sequence[SheetSpec] = ()) -> None:
    """``shell`` (a workbook with ``spec``'s sheet and ``extra``'s) saved to ``dest`` with ``spec``'s
    sheet: its header row ``spec.rows[0]``, then the ``n_rows - 1`` rows of ``body``, each ``width``
    cells at most; ``extra``: small sheets after it (evaluate's 读取报告), written whole."""
    pkg = Package(shell)
    book = Book(pkg)
    book.drop_calc_chain()
    # the part, its rels and type, its print settings and names
    book.add_sheet(dataclasses.replace(spec, rows=spec.rows[:1], bold_rows=set(), wrap_cols=set()))
    part = book.sheet_parts[spec.name]
    for more in extra:
        book.add_sheet(more)
    book.save()
    pieces = _sheet_pieces(spec, body, n_rows, width, book.styles, book.date1904)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for name in pkg.names():
            if name == part:
                info = pkg.infos.get(name)
                zi = zipfile.ZipInfo(name, date_time=info.date_time if info else (1980, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                _fast_level(zi)
                with zout.open(zi, "w") as dst:        # the size is not known before: streamed
                    for piece in pieces:
                        dst.write(piece)
                continue
            info = pkg.infos.get(name)
            if name not in pkg.changed and info is not None:  # as Package.save copies a part it did not change
                with pkg.zip.open(info) as src, zout.open(_copy_info(info), "w") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
                continue
            zi = zipfile.ZipInfo(name, date_time=info.date_time if info else (1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, pkg.read(name), compresslevel=1)


# ------------------------------------------------------------ fill's block

@dataclass
class Block:
    """A rectangle of cells written into an existing sheet: ``rows`` (values; None or "" = no cell) from
    0-based sheet row ``row0`` and column ``col0``; ``styles``: per column, the product's style wish."""

    row0: int
    col0: int
    rows: Sequence[Sequence[object]]
    styles: Sequence[int | None] = field(default_factory=tuple)


class _CellWriter:
    """The cells of block rows as new cells: what ``_edit_cell(None, …)`` writes.  Plain text and
    numbers are formatted here from per-column pieces (the text of a repeated value once per column);
    anything else goes through ``_edit_cell``."""

    def __init__(self, c1: int, width: int, styles: Sequence[int | None], st: _Styles, p: str, date1904: bool):
        self.st, self.p, self.date1904 = st, p, date1904
        self.managed = st.managed
        self.letters = [col_letter(c1 + k) for k in range(width)]
        self.styles = [styles[k] if k < len(styles) else None for k in range(width)]
        self.open = [f'<{p}c r="{col_letter(c1 + k)}' for k in range(width)]
        self.memo: list[dict[object, str]] = [{} for _ in range(width)]

    def _tail(self, k: int, v: Any) -> str | None:  # Any: dispatched on its exact class (hot path)
        """A cell's text after its row number, or None when the general writer must write it."""
        p = self.p
        cls = v.__class__
        s = self.styles[k] or self.st.plain
        s_attr = f' s="{s}"' if s else ""
        if cls is str:
            if v.isprintable() and v[0] != " " and v[-1] != " ":
                if "&" in v or "<" in v or ">" in v:
                    v = escape(v)
                return f'" t="inlineStr"{s_attr}><{p}is><{p}t>{v}</{p}t></{p}is></{p}c>'
            return None
        if (cls is float and math.isfinite(v)) or cls is int:
            return f'"{s_attr}><{p}v>{v!r}</{p}v></{p}c>'
        return None

    def rows(self, r0: int, rows: Sequence[Sequence[object]]) -> list[bytes]:
        """The cells of consecutive block rows (the first is sheet row ``r0``), built a column at a time:
        one expression per cell on the common paths (the labels, texts and numbers of a fill)."""
        width = len(self.open)
        if not rows or any(len(r) != width for r in rows):
            return [self.row(r0 + i, r).encode("utf-8") for i, r in enumerate(rows)]
        p = self.p
        nums = [str(r0 + i) for i in range(len(rows))]
        columns = []
        for k, col in enumerate(zip(*rows)):
            s = self.styles[k] or self.st.plain
            s_attr = f' s="{s}"' if s else ""
            OP, TS, TE = self.open[k], f'" t="inlineStr"{s_attr}><{p}is><{p}t>', f"</{p}t></{p}is></{p}c>"
            NS, NE = f'"{s_attr}><{p}v>', f"</{p}v></{p}c>"
            one = self.row
            columns.append([
                "" if v is None or v == "" else
                OP + n + TS + (v if "&" not in v and "<" not in v and ">" not in v else escape(v)) + TE
                if v.__class__ is str and v.isprintable() and v[0] != " " and v[-1] != " " else
                OP + n + NS + repr(v) + NE if v.__class__ is int or (v.__class__ is float and v - v == 0.0) else
                one(int(n), [None] * k + [v])
                for v, n in zip(col, nums)])
        return ["".join(t).encode("utf-8") for t in zip(*columns)]

    def row(self, r: int, values: Sequence[object]) -> str:
        n = str(r)
        out = []
        memos, opens, tail_of = self.memo, self.open, self._tail
        for k, v in enumerate(values):
            if v is None or v == "":
                continue
            memo = memos[k]
            tail = memo.get(v) if v.__class__ is str else None
            if tail is None:
                tail = tail_of(k, v)
                if tail is None:
                    out.append(_edit_cell(None, self.letters[k] + n, v, self.styles[k], self.st, self.managed,
                                          self.p, self.date1904))
                    continue
                if len(memo) < 256 and v.__class__ is str:   # the labels repeat; a reply or a why rarely
                    memo[v] = tail
            out.append(opens[k] + n + tail)
        return "".join(out)


_LAST_CELL = re.compile(rb'\sr="([A-Z]{1,3})\d+"')


def _last_col(data: bytes, start: int, end: int, pb: bytes) -> int | None:
    """The column of the last cell of the row body ``data[start:end]`` when the body is only cells and
    ends with one that names its place (no copy of the row is made)."""
    if not (data.endswith(b"</%sc>" % pb, start, end) or data.endswith(b"/>", start, end)):
        return None
    at = data.rfind(b"<%sc " % pb, start, end)
    if at < 0:
        return None
    m = _LAST_CELL.search(data, at, data.find(b">", at, end) + 1)
    if m is None:
        return None
    n = 0
    for ch in m.group(1):
        n = n * 26 + ch - 64
    return n


def edit_block_pieces(data: bytes, block: Block, edits: Mapping[tuple[int, int], tuple[object, int | None]],
                      st: _Styles, date1904: bool = False,
                      widths: Mapping[int, float] | None = None) -> tuple[list[bytes], int, int]:
    """The sheet part with ``block`` written and the single-cell ``edits`` ((row0, col0) → (value, style),
    as :func:`~refund_xl._files.xlsxpatch.edit_sheet_pieces` takes them) applied, as byte pieces.

    Returns (pieces, last row before, last row after), rows 1-based.  A row whose cells all lie left
    of the block and that has no other edit gets the block's cells appended to its bytes; every
    other row of the block or of ``edits`` is rewritten by the general cell editor.  ``widths``
    (0-based column → characters) size the columns the desk has not sized.
    """
    m_root = re.search(rb"<(?:(\w+):)?worksheet\b", data)
    if m_root is None:
        raise PackageError("worksheet")
    p = m_root.group(1).decode("utf-8") + ":" if m_root.group(1) else ""
    pb = p.encode("utf-8")
    managed = st.managed
    first = block.row0 + 1
    width = max((len(r) for r in block.rows), default=0)
    c1 = block.col0 + 1
    writer = _CellWriter(c1, width, block.styles, st, p, date1904)
    at, made = 0, list[bytes]()

    def block_cells(i: int) -> bytes:
        """Block row ``i``'s cells, made a few thousand rows at a time (rows are asked for in order)."""
        nonlocal at, made
        if not at <= i < at + len(made):
            at, made = i, writer.rows(first + i, block.rows[i:i + ROWS_PER_BLOCK])
        return made[i - at]
    by_row: dict[int, dict[int, tuple[object, int | None]]] = {}
    for (r, c), e in edits.items():
        by_row.setdefault(r + 1, {})[c + 1] = e

    def merged(r: int) -> dict[int, tuple[object, int | None]]:
        """Row r's edits: its single edits, then the block's cells (a block cell wins)."""
        out = dict(by_row.get(r, {}))
        i = r - first
        if 0 <= i < len(block.rows):
            for k, v in enumerate(block.rows[i]):
                if v is not None and v != "":
                    out[c1 + k] = (v, block.styles[k] if k < len(block.styles) else None)
        return out

    def new_row(r: int) -> bytes:
        if r not in by_row:
            cells = block_cells(r - first).decode("utf-8")
        else:
            cells = "".join(_edit_cell(None, f"{col_letter(c)}{r}", v, s, st, managed, p, date1904)
                            for c, (v, s) in sorted(merged(r).items()) if v is not KEEP)
        return f'<{p}row r="{r}">{cells}</{p}row>'.encode("utf-8") if cells else b""

    head, body_start, body_end, tail = split_sheet_data(data, p)

    if widths:
        head = set_widths(head, {c + 1: w for c, w in widths.items()}, p)
    block_rows = [first + i for i, row in enumerate(block.rows)
                  if (row and row[0] is not None and row[0] != "") or any(v is not None and v != "" for v in row)]
    used = next((k + 1 for k in range(width - 1, -1, -1)
                 if any(k < len(row) and row[k] is not None and row[k] != "" for row in block.rows)), 0)
    pending = sorted(set(by_row) | set(block_rows))
    in_block = set(block_rows)
    row_re = re.compile(rb"<%srow\b([^>]*?)(/?)>" % pb)
    row_close = b"</%srow>" % pb
    spans = re.compile(rb'\sspans="[^"]*"')
    row_number = re.compile(rb'(?:^|\s)r="(\d+)"')
    view = memoryview(data)        # unchanged runs are handed on as views: no copy of the part
    out: list[bytes] = []
    chunk: list[bytes | memoryview] = []   # pieces joined every few hundred rows: few, large zip writes
    add = chunk.append
    pos = body_start
    seq = last_row = 0
    pi = 0
    for m in row_re.finditer(data, body_start, body_end):
        row_attrs = m.group(1)
        got = row_number.search(row_attrs)
        has_r = got is not None
        r = int(got.group(1)) if got is not None else seq + 1
        seq = r
        if m.group(2):
            end, inner = m.end(), None
        else:
            close = data.find(row_close, m.end(), body_end)
            if close < 0:
                raise PackageError("row")
            end, inner = close + len(row_close), close
        last_row = max(last_row, r)
        while pi < len(pending) and pending[pi] < r:
            add(view[pos:m.start()])
            pos = m.start()
            add(new_row(pending[pi]))
            pi += 1
        if pi < len(pending) and pending[pi] == r:
            pi += 1
            if r in in_block and r not in by_row and inner is not None and has_r:
                last = _last_col(data, m.end(), inner, pb)
                if last is not None and last < c1:   # the common case: cells appended, the row's bytes kept
                    cells = block_cells(r - first)
                    if b"spans=" in row_attrs:
                        add(view[pos:m.start()])
                        add(b"<%srow%s>" % (pb, spans.sub(b"", row_attrs)))
                        add(view[m.end():inner])
                    else:
                        add(view[pos:inner])
                    add(cells)
                    pos = inner                    # the row's </row> follows with the next run
                    if len(chunk) > 2000:
                        out.append(b"".join(chunk))
                        chunk.clear()
                    continue
            add(view[pos:m.start()])
            pos = end
            text = None if inner is None else data[m.end():inner].decode("utf-8")
            add(_edit_row(row_attrs.decode("utf-8"), text, r, merged(r), st, managed, p, date1904).encode("utf-8"))
        elif not has_r and pi < len(pending):
            # a row without r is numbered by its place: give it its number before rows are inserted
            add(view[pos:m.start()])
            add(f'<{p}row r="{r}"'.encode("utf-8") + data[m.start() + len(pb) + 4:end])
            pos = end
        if len(chunk) > 2000:
            out.append(b"".join(chunk))
            chunk.clear()
    add(view[pos:body_end])
    while pi < len(pending):
        add(new_row(pending[pi]))
        pi += 1
    out.append(b"".join(chunk))
    old_last = last_row
    written = [r for r in by_row if any(v is not KEEP and v is not None for v, _s in by_row[r].values())]
    last_row = max([last_row, *written, *block_rows[-1:]])
    last_col = max([*(c for cs in by_row.values() for c in cs), c1 + used - 1 if used else 1])
    head, n_dim, n_filter = _grow_refs(head, p, last_row, last_col, old_last)  # a staff filter above: kept
    if not (n_dim and n_filter):
        tail = _grow_refs(tail, p, last_row, last_col, old_last, dimension=not n_dim, autofilter=not n_filter)[0]
    return [head.encode("utf-8"), *out, tail.encode("utf-8")], old_last, last_row


def edit_sheet_block(book: Book, name: str, block: Block, edits: Mapping[tuple[int, int], tuple[object, int | None]],
                     widths: Mapping[int, float] | None = None) -> None:
    """:meth:`Book.edit_sheet` with a block: the sheet's part rewritten by :func:`edit_block_pieces`,
    its Tables grown with rows appended under them."""
    part = book.sheet_parts[name]
    data = book.pkg.read(part)
    pieces, old_last, last = edit_block_pieces(data, block, edits, book.styles, book.date1904, widths)
    del data
    book.pkg.put(part, pieces)
    book.grew(name, old_last, last, pieces[-1])


# ------------------------------------------------------------ widths

_COLS = re.compile(r"<(\w+:)?cols\b[^>]*>(.*?)</\1?cols>", re.S)
_COL = re.compile(r"<(?:\w+:)?col\b([^>]*?)/?>")


def set_widths(head: str, widths: Mapping[int, float], p: str = "") -> str:
    """A sheet part's head (before its rows) with ``widths`` (1-based column → characters) for the columns
    that have no width of the desk's yet; a column the desk sized keeps its width."""
    taken: set[int] = set()
    m = _COLS.search(head)
    if m is not None:
        for cm in _COL.finditer(m.group(2)):
            a = _attrs(cm.group(1))
            try:
                taken.update(range(int(a["min"]), int(a["max"]) + 1))
            except (KeyError, ValueError):
                continue
    new = [(c, w) for c, w in sorted(widths.items()) if c not in taken]
    if not new:
        return head
    cols = "".join(f'<{p}col min="{c}" max="{c}" width="{float(w):g}" customWidth="1"/>' for c, w in new)
    if m is not None:
        # cols are listed in column order: ours go after every range that starts before them
        inner = m.group(2)
        items = [(int(_attrs(cm.group(1)).get("min", "0") or 0), cm.group(0)) for cm in _COL.finditer(inner)]
        items += [(c, f'<{p}col min="{c}" max="{c}" width="{float(w):g}" customWidth="1"/>') for c, w in new]
        items.sort(key=lambda t: t[0])
        body = "".join(t for _c, t in items)
        return head[:m.start(2)] + body + head[m.end(2):]
    at = head.rfind(f"<{p}sheetData")
    return head[:at] + f"<{p}cols>{cols}</{p}cols>" + head[at:]

