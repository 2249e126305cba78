"""A1 references inside formulas, moved as Excel moves them when rows are deleted.

``refund-xl archive`` removes rows from the desk's tracking sheet.  Excel, deleting rows,
rewrites every reference that points at or below them: a cell below moves up, a range
shrinks, a reference to a deleted cell becomes ``#REF!``.  A file edited at the zip level
must do the same, or a staff formula ``=B10*2`` would silently read another case's cell.

* :class:`RowMap` — old row → new row for one set of deleted rows (1-based, as in A1);
* :func:`move_formula` — a formula's text with its references moved: those pointing into
  the sheet whose rows go are mapped; relative parts may first be offset (a shared
  formula written out for one of its cells, a conditional format re-anchored);
* :func:`move_sqref` — a list of areas (``sqref``/``ref`` attributes) mapped, areas whose
  rows all go dropped.

String literals, structured references (``Table1[@列]``) and other sheets' references are
left as they are.  Pure text functions: no XML, no I/O.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Iterable

from refund_xl._files.xlsxpatch import _col_number as col_number, col_letter as col_letters

__all__ = ["RowMap", "move_formula", "move_sqref", "col_number", "col_letters", "sheet_in_formula",
           "unescape", "escape"]

MAX_ROW = 1_048_576
MAX_COL = 16_384


class RowMap:
    """Rows deleted from one sheet (1-based): where every other row goes."""

    def __init__(self, deleted: Iterable[int]):
        self.deleted = sorted(set(int(r) for r in deleted))
        self._set = frozenset(self.deleted)
        self.first = self.deleted[0] if self.deleted else MAX_ROW + 1

    def __bool__(self) -> bool:
        return bool(self.deleted)

    def gone(self, r: int) -> bool:
        return r in self._set

    def row(self, r: int) -> int | None:
        """The new number of row ``r``; None when it is deleted."""
        if r < self.first:
            return r
        if r in self._set:
            return None
        return r - bisect_left(self.deleted, r)

    def span(self, r1: int, r2: int) -> tuple[int, int] | None:
        """Rows ``r1..r2`` after the deletion (a range shrinks); None when every row of it went."""
        if r1 > r2:
            r1, r2 = r2, r1
        if r2 < self.first:
            return r1, r2
        a = r1 - bisect_left(self.deleted, r1)
        b = r2 - bisect_right(self.deleted, r2)
        return (a, b) if a <= b else None

    def old_first_kept(self, r1: int, r2: int) -> int | None:
        """The first row of ``r1..r2`` that stays (its old number)."""
        r = r1
        while r <= r2:
            if r not in self._set:
                return r
            r += 1
        return None


_ESC = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))


def unescape(text: str) -> str:
    """XML character references of a formula's text (``&lt;`` …) as characters."""
    if "&" not in text:
        return text
    for a, b in _ESC:
        text = text.replace(a, b)
    return re.sub(r"&#(x[0-9a-fA-F]+|\d+);",
                  lambda m: chr(int(m.group(1)[1:], 16) if m.group(1)[0] == "x" else int(m.group(1))), text)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# A reference: an optional [n] (another workbook), an optional sheet, then a cell, an area,
# whole rows or whole columns.  The look-behind keeps names and functions (LOG10, Sheet1)
# whole; the look-ahead keeps function calls (LOG10( ) and sheet prefixes (A1!) out.
_SHEET = r"(?:'(?:[^']|'')+'|[^\s!'\"(),:;=+\-*/&^<>%{}\[\]#]+)"
_REF = re.compile(
    r"(?<![A-Za-z0-9_.$#:'!\]\u00C0-\uFFFF])"
    r"(?P<prefix>(?P<ext>\[\d+\])?(?P<sheet>" + _SHEET + r")!)?"
    r"(?:(?P<c1>\$?[A-Z]{1,3})(?P<r1>\$?\d+)(?::(?P<c2>\$?[A-Z]{1,3})(?P<r2>\$?\d+))?"
    r"|(?P<R1>\$?\d+):(?P<R2>\$?\d+)"
    r"|(?P<C1>\$?[A-Z]{1,3}):(?P<C2>\$?[A-Z]{1,3}))"
    r"(?![A-Za-z0-9_(.!\u00C0-\uFFFF])")
_LITERAL = re.compile(r'"(?:[^"]|"")*"')


def _sheet_name(token: str) -> str:
    if token.startswith("'") and token.endswith("'"):
        return token[1:-1].replace("''", "'")
    return token


def sheet_in_formula(formula: str, sheet: str) -> bool:
    """Could ``formula`` name ``sheet`` (a quick test before parsing)?"""
    return sheet in formula or sheet.replace("'", "''") in formula


def _segments(text: str):
    """(is_code, piece): string literals and structured-reference brackets are not code."""
    out = []
    i = start = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            m = _LITERAL.match(text, i)
            end = m.end() if m else n
            out.append((True, text[start:i]))
            out.append((False, text[i:end]))
            i = start = end
            continue
        if ch == "[" and not re.match(r"\[\d+\]", text[i:]):
            depth, j = 0, i
            while j < n:
                if text[j] == "[":
                    depth += 1
                elif text[j] == "]":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            out.append((True, text[start:i]))
            out.append((False, text[i:j + 1]))
            i = start = j + 1
            continue
        i += 1
    out.append((True, text[start:]))
    return out


def _part(token: str | None) -> tuple[bool, int]:
    """'$12' → (absolute, 12); 'AB' → (False, 28)."""
    if token is None:
        return False, 0
    absolute = token.startswith("$")
    body = token[1:] if absolute else token
    return absolute, (int(body) if body.isdigit() else col_number(body))


def _row_text(absolute: bool, r: int) -> str:
    return f"{'$' if absolute else ''}{r}"


def _col_text(absolute: bool, c: int) -> str:
    return f"{'$' if absolute else ''}{col_letters(c)}"


def move_formula(formula: str, own: str | None, target: str, rows: RowMap | None, dr: int = 0, dc: int = 0) -> str:
    """``formula`` (the text of a formula living on sheet ``own``) after deleting ``rows`` of ``target``.

    ``dr``/``dc`` first move the relative parts of every reference (a formula written
    for another cell); a relative part pushed off the sheet is ``#REF!``.  A reference
    without a sheet is to ``own``; ``own`` None (a defined name) maps only references
    that name ``target``.  Nothing else of the text changes.
    """
    if not (dr or dc) and (rows is None or not rows):
        return formula
    out = []
    for code, piece in _segments(formula):
        out.append(_REF.sub(lambda m: _move_ref(m, own, target, rows, dr, dc), piece) if code and piece else piece)
    return "".join(out)


def _move_ref(m: re.Match, own: str | None, target: str, rows: RowMap | None, dr: int, dc: int) -> str:
    prefix = m.group("prefix") or ""
    sheet = _sheet_name(m.group("sheet")) if m.group("sheet") else None
    mapped = rows is not None and bool(rows) and not m.group("ext") and (sheet == target if sheet is not None
                                                                          else own == target)
    gone = prefix + "#REF!"
    if m.group("c1"):
        (ac1, c1), (ar1, r1) = _part(m.group("c1")), _part(m.group("r1"))
        area = m.group("c2") is not None
        (ac2, c2), (ar2, r2) = (_part(m.group("c2")), _part(m.group("r2"))) if area else ((ac1, c1), (ar1, r1))
        if dr or dc:
            r1, r2 = (r1 if ar1 else r1 + dr), (r2 if ar2 else r2 + dr)
            c1, c2 = (c1 if ac1 else c1 + dc), (c2 if ac2 else c2 + dc)
            if min(r1, r2) < 1 or max(r1, r2) > MAX_ROW or min(c1, c2) < 1 or max(c1, c2) > MAX_COL:
                return gone
        if mapped and rows is not None:
            got = rows.span(r1, r2) if area else rows.span(r1, r1)
            if got is None:
                return gone
            r1, r2 = (got if r1 <= r2 else (got[1], got[0]))
        text = _col_text(ac1, c1) + _row_text(ar1, r1)
        if area:
            text += ":" + _col_text(ac2, c2) + _row_text(ar2, r2)
        return prefix + text
    if m.group("R1"):
        (a1, r1), (a2, r2) = _part(m.group("R1")), _part(m.group("R2"))
        if dr:
            r1, r2 = (r1 if a1 else r1 + dr), (r2 if a2 else r2 + dr)
            if min(r1, r2) < 1 or max(r1, r2) > MAX_ROW:
                return gone
        if mapped and rows is not None:
            got = rows.span(r1, r2)
            if got is None:
                return gone
            r1, r2 = (got if r1 <= r2 else (got[1], got[0]))
        return prefix + _row_text(a1, r1) + ":" + _row_text(a2, r2)
    (a1, c1), (a2, c2) = _part(m.group("C1")), _part(m.group("C2"))
    if dc:
        c1, c2 = (c1 if a1 else c1 + dc), (c2 if a2 else c2 + dc)
        if min(c1, c2) < 1 or max(c1, c2) > MAX_COL:
            return gone
    return prefix + _col_text(a1, c1) + ":" + _col_text(a2, c2)


_AREA = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


def area_of(text: str) -> tuple[int, int, int, int] | None:
    """'B2:D9' → (r1, c1, r2, c2), 1-based; None for what is not a plain area."""
    m = _AREA.match(text.strip())
    if not m:
        return None
    c1, r1 = col_number(m.group(1)), int(m.group(2))
    c2, r2 = (col_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def move_sqref(sqref: str, rows: RowMap) -> str:
    """A space-separated list of areas with ``rows`` deleted ('' when none is left)."""
    out = []
    for piece in sqref.split():
        a = area_of(piece)
        if a is None:
            out.append(piece)
            continue
        r1, c1, r2, c2 = a
        got = rows.span(r1, r2)
        if got is None:
            continue
        start = f"{col_letters(c1)}{got[0]}"
        end = f"{col_letters(c2)}{got[1]}"
        out.append(start if start == end else f"{start}:{end}")
    return " ".join(out)
