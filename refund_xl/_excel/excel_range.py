"""A formula's range argument read column by column, as ``Value2`` (contract §8 "One transfer, any size").

The formula functions take their tracking block with xlwings' ``range`` converter:
xlwings reads no cell of it (a plain argument is converted cell by cell, every
cell of every column, on every call).  :class:`RangeBlock` then reads only the
columns the core asks for (those whose headers resolve to fields), one COM read
per run of adjacent columns, as ``Value2``: a SAFEARRAY of plain values with
dates as serial numbers (which the core reads) and currency cells as doubles, so
no per-cell datetime or Decimal conversion happens on either side.  What COM
hands over for an error cell (an int code) becomes its text here, so ``#N/A`` is
read as an unreadable value, never as an empty cell.

On Windows the argument is an ``xlwings.Range``; the tests hand over a
recording stand-in with the same three things used here: ``shape``,
``[rows, cols]`` slicing and ``.api.Value2``.
"""

from __future__ import annotations

from itertools import chain
from typing import Sequence

from refund_xl._core import vocab

__all__ = ["RangeBlock", "is_range", "EXCEL_ERRORS", "plain_rows", "runs"]

# What COM hands over for a cell error (VT_ERROR as an int), by code: the core reads them
# (:func:`refund_xl._core.vocab.plain_cell`, once per distinct value of a column it reads).
EXCEL_ERRORS = vocab.COM_ERRORS


def is_range(value: object) -> bool:
    """True for an xlwings Range (or a stand-in): what the ``range`` converter hands over."""
    return hasattr(value, "api") and hasattr(value, "shape") and not isinstance(value, (list, tuple))



def plain_rows(rows: list[list[object]]) -> list[list[object]]:
    """Rows with every odd cell (an error code, a currency Decimal) made plain, in place."""
    plain = vocab.plain_cell
    for row in rows:
        row[:] = map(plain, row)
    return rows


def runs(cols: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted column indexes → (start, stop) runs of adjacent columns."""
    out: list[tuple[int, int]] = []
    for c in cols:
        if out and out[-1][1] == c:
            out[-1] = (out[-1][0], c + 1)
        else:
            out.append((c, c + 1))
    return out


def _grid(value: object, height: int, width: int) -> list[tuple]:
    """What ``Value2`` gives (a scalar for one cell, a tuple of row tuples otherwise) → row tuples."""
    if not isinstance(value, (tuple, list)):
        return [(value,)]
    if value and not isinstance(value[0], (tuple, list)):
        return [tuple(value)] if height == 1 else [(v,) for v in value]
    return list(value)


class RangeBlock:
    """An xlwings Range as a :class:`refund_xl._app.table.ColumnSource`: read only in the columns asked for."""

    def __init__(self, rng):
        self.rng = rng
        self.height, self.width = rng.shape
        self.cells_read = 0

    def header(self) -> list[object]:
        """The block's first row (its headers), read as Value2."""
        if not self.height or not self.width:
            return []
        self.cells_read += self.width
        first = _grid(self.rng[0, :].api.Value2, 1, self.width)[0]
        return plain_rows([list(first)])[0]

    def read(self, cols: Sequence[int], rows: Sequence[int] | None = None) -> list[list[object]]:
        """The block's rows (or only the sorted ``rows``) in the sorted columns ``cols``: one COM read per run of
        adjacent columns (and of adjacent rows; many scattered rows are read whole and picked)."""
        n = self.height
        if rows is not None:
            spans = runs(rows)
            if len(spans) * len(runs(cols)) > _MAX_READS:
                whole = self.read(cols)
                return [whole[i] for i in rows]
            out: list[list[object]] = []
            for lo, hi in spans:
                out += self._read_rows(cols, lo, hi)
            return out
        if not n or not cols:
            return [[] for _ in range(n)]
        return self._read_rows(cols, 0, n)

    def _read_rows(self, cols: Sequence[int], lo: int, hi: int) -> list[list[object]]:
        n = hi - lo
        if not n or not cols:
            return [[] for _ in range(n)]
        parts = []
        for a, b in runs(cols):
            rng = self.rng[:, a:b] if (lo, hi) == (0, self.height) else self.rng[lo:hi, a:b]
            parts.append(_grid(rng.api.Value2, n, b - a))
            self.cells_read += n * (b - a)
        if len(parts) == 1:
            rows = list(map(list, parts[0]))
        else:
            rows = [list(chain.from_iterable(t)) for t in zip(*parts)]
        return rows  # error codes and Decimals as COM hands them: the core reads them


_MAX_READS = 40  # COM reads for a few scattered rows of a few columns; past it, the columns are read whole
