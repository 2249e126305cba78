"""A recording stand-in for an ``xlwings.Range`` handed to a formula function by the ``range`` converter.

It holds a sheet block as Excel holds it and answers the reads xlwings offers on
Windows — ``shape``, ``rng[rows, cols]`` slicing (xlwings' semantics), ``.api.Value2``
(dates as serial numbers), ``.api.Value``, ``.value``, ``.raw_value``,
``.options(...).value`` — recording every read and how many cells it moved, so a
test can say exactly what a function asked Excel for.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

EPOCH = datetime(1899, 12, 30)


def serial(v: object) -> object:
    """A cell's Value2: a datetime as its serial number, a currency Decimal as a double."""
    if isinstance(v, datetime):
        return (v.replace(tzinfo=None) - EPOCH).total_seconds() / 86400.0
    if isinstance(v, Decimal):
        return float(v)
    return v


class Log(list):
    """(kind, first row, first col, height, width) of each read."""

    def cells(self, kind: str | None = None) -> int:
        return sum(h * w for k, _r, _c, h, w in self if kind is None or k == kind)


def _com(rows: list[list[object]]) -> object:
    """What COM returns for a block: a scalar for one cell, else a tuple of row tuples."""
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    return tuple(tuple(r) for r in rows)


class _Api:
    def __init__(self, rng: "StandInRange"):
        self._rng = rng

    @property
    def Value2(self):
        return _com(self._rng._read("Value2", serial))

    @property
    def Value(self):
        return _com(self._rng._read("Value", lambda v: v))


class _Options:
    def __init__(self, rng: "StandInRange", options: dict):
        self._rng, self._options = rng, options

    @property
    def value(self):
        return self._rng._read(f"options{sorted(self._options)}.value", lambda v: v)


class StandInRange:
    """A block of ``grid`` (list of row lists, every row as wide as the block) at (row0, col0)."""

    def __init__(self, grid: list[list[object]], row0: int = 0, col0: int = 0, height: int | None = None,
                 width: int | None = None, log: Log | None = None):
        self.grid = grid
        self.row0, self.col0 = row0, col0
        self.height = len(grid) - row0 if height is None else height
        self.width = (max((len(r) for r in grid), default=0) - col0) if width is None else width
        self.log = Log() if log is None else log

    @property
    def shape(self) -> tuple[int, int]:
        return self.height, self.width

    @property
    def api(self) -> _Api:
        return _Api(self)

    @property
    def value(self):
        return self._read("value", lambda v: v)

    @property
    def raw_value(self):
        return _com(self._read("raw_value", lambda v: v))

    def options(self, **options) -> _Options:
        return _Options(self, options)

    def _read(self, kind: str, convert) -> list[list[object]]:
        self.log.append((kind, self.row0, self.col0, self.height, self.width))
        out = []
        for r in range(self.row0, self.row0 + self.height):
            row = self.grid[r] if r < len(self.grid) else []
            out.append([convert(row[c]) if c < len(row) else None for c in range(self.col0, self.col0 + self.width)])
        return out

    def __getitem__(self, key) -> "StandInRange":
        """xlwings' ``Range.__getitem__`` for a (rows, cols) pair of ints/slices (steps not supported)."""
        row, col = key
        spans = []
        for k, n in ((row, self.height), (col, self.width)):
            if isinstance(k, slice):
                a, b, step = k.indices(n)
                assert step == 1
                spans.append((a, max(0, b - a)))
            else:
                k = k + n if k < 0 else k
                if not 0 <= k < n:
                    raise IndexError(k)
                spans.append((k, 1))
        (r, h), (c, w) = spans
        return StandInRange(self.grid, self.row0 + r, self.col0 + c, h, w, self.log)
