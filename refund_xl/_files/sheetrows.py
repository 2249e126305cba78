"""Whole rows of an existing sheet: removed as Excel removes them, or appended, streamed.

``refund-xl archive`` moves closed cases out of the desk's tracking sheet (removing rows
is the one change it makes there) and appends them to a yearly archive whose sheet can
hold a million rows.  Both are done at the zip level, part by part, without loading a
sheet: the sheet's XML is read and written in pieces while the package is saved
(:meth:`~refund_xl._files.xlsxpatch.Package.put` with a function), so the memory does not follow the size.

Removing rows (:func:`delete_rows`) does what Excel's 删除行 does:

* rows below move up; every cell, style, formula and comment of the rows that stay is kept;
* every reference to the sheet moves with its cells (:mod:`refund_xl._files.refs`): formulas
  of the sheet and of other sheets, shared formulas (written out cell by cell), array
  formulas, defined names, merged cells, conditional formats, data validations, hyperlinks,
  the autofilter, Tables, comments, chart series, pivot sources; a reference to a removed
  cell becomes ``#REF!``;
* a picture or chart placed over a removed row, or a what-if table, stops the run (one
  line, nothing written): the ribbon, which deletes through Excel itself, can do it.

Appending (:func:`append_rows`) writes plain cells after the last row
(texts as inline strings, never formulas), and may add header cells to the first row.
"""

from __future__ import annotations

import re
from typing import AbstractSet, Callable, Iterable, Iterator, Mapping, Sequence

from refund_xl._files import refs
from refund_xl._files.refs import RowMap, move_formula, move_sqref
from refund_xl._files.xlsxpatch import (Book, Package, PackageError, Rels, SheetSpec, _attrs, _Styles, col_letter,
                                        rows_xml)

__all__ = ["DeleteRefused", "delete_rows", "append_rows", "scan_cells", "CHUNK_ROWS"]

CHUNK_ROWS = 5000  # rows written per piece of an appended block


class DeleteRefused(PackageError):
    """Rows cannot be removed here without breaking something of the desk's (said in Chinese)."""


# ----------------------------------------------------------------- streaming a worksheet part

def _streamed(make: Callable[[], Iterator[bytes]], size_hint: int) -> Callable[[], Iterator[bytes]]:
    """A part made while the package is saved (:meth:`Package.put` with a function); zip64 when it may pass 2 GB."""
    def pieces() -> Iterator[bytes]:
        return make()

    pieces.zip64 = size_hint > 0x7FFF0000  # type: ignore[attr-defined]
    return pieces


def _source(pkg: Package, part: str) -> Callable[[], Iterator[bytes]]:
    """The part's content as it is now (captured: the part is replaced by a stream of itself)."""
    if part in pkg.changed:
        data = pkg.changed[part]
        if callable(data):
            return data
        pieces = [data] if isinstance(data, bytes) else list(data)
        return lambda: iter(pieces)
    if not pkg.has(part):
        raise PackageError(f"missing part {part}")

    def read() -> Iterator[bytes]:
        with pkg.zip.open(part) as fh:
            while True:
                piece = fh.read(1 << 20)
                if not piece:
                    return
                yield piece

    return read


_ROW_START = re.compile(rb"<(?:\w+:)?row\b")


def _walk(chunks: Iterable[bytes]):
    """A worksheet part as ("head", bytes), ("row", bytes) …, ("tail", bytes).

    The head ends with the ``<sheetData>`` start tag, the tail starts with its end tag
    (a ``<sheetData/>`` comes out as a head, no rows, and a tail).
    """
    buf = b""
    it = iter(chunks)
    state = "head"
    p = b""
    close = b""
    for chunk in it:
        buf += chunk
        if state == "head":
            m = re.search(rb"<(?:(\w+):)?sheetData\b[^>]*?(/?)>", buf)
            if m is None:
                continue
            p = (m.group(1) + b":") if m.group(1) else b""
            close = b"</" + p + b"row>"
            if m.group(2):
                yield "head", buf[:m.start()] + b"<" + p + b"sheetData>"
                buf = b"</" + p + b"sheetData>" + buf[m.end():]
                state = "tail"
                continue
            yield "head", buf[:m.end()]
            buf = buf[m.end():]
            state = "rows"
        if state == "rows":
            pos = 0
            stop = buf.find(b"</" + p + b"sheetData>")
            limit = stop if stop >= 0 else len(buf)
            while True:
                m = _ROW_START.search(buf, pos, limit)
                if m is None:
                    break
                tag_end = buf.find(b">", m.end(), limit)
                if tag_end < 0:
                    break
                if buf[tag_end - 1:tag_end] == b"/":
                    end = tag_end + 1
                else:
                    c = buf.find(close, tag_end, limit)
                    if c < 0:
                        break
                    end = c + len(close)
                yield "row", buf[m.start():end]
                pos = end
            if stop >= 0 and _ROW_START.search(buf, pos, limit) is None:
                state = "tail"
                buf = buf[stop:]
            else:
                buf = buf[pos:]
    if state != "tail":
        raise PackageError("sheetData")
    yield "tail", buf


# ----------------------------------------------------------------- cells and formulas of one row

_ROW_R = re.compile(rb'(<(?:\w+:)?row\b[^>]*?\sr=")(\d+)"')
_HAS_F = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(r"<(?:(\w+):)?c\b([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", re.S)
_F = re.compile(r"<((?:\w+:)?)f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
def _attr_text(attrs: Mapping[str, str]) -> str:
    return "".join(f' {k}="{v}"' for k, v in attrs.items())


class _Formulas:
    """Rewrites the formulas of one sheet's rows: ``own`` is the sheet, ``rows`` its deleted rows
    (None: none), ``target``/``moved`` the sheet whose rows go and its map."""

    def __init__(self, own: str, rows: RowMap | None, target: str, moved: RowMap):
        self.own, self.rows, self.target, self.moved = own, rows, target, moved
        self.masters: dict[str, tuple[str, int, int]] = {}  # shared formula si → (text, row, col)

    def remember(self, text: str, r: int) -> None:
        """A removed row's shared-formula masters (cells below may follow them)."""
        for cm in _CELL.finditer(text):
            a = _attrs(cm.group(2))
            for fm in _F.finditer(cm.group(4) or ""):
                fa = _attrs(fm.group(2))
                if fa.get("t") == "shared" and fm.group(3) and "si" in fa:
                    self.masters[fa["si"]] = (refs.unescape(fm.group(3)), r, _col_of(a, 0))
                if fa.get("t") == "dataTable" and self.rows is not None:
                    raise DeleteRefused(f"「{self.own}」第 {r} 行有模拟运算表")

    def cells(self, text: str, r: int, new_r: int) -> str:
        seq = [0]

        def cell(cm: re.Match) -> str:
            a = _attrs(cm.group(2))
            c = _col_of(a, seq[0])
            seq[0] = c
            inner = cm.group(4)
            if not inner or not _F.search(inner):
                return cm.group(0)
            whole, start = cm.group(0), cm.start(0)
            new_inner = _F.sub(lambda fm: self.formula(fm, r, c, new_r), inner)
            return whole[:cm.start(4) - start] + new_inner + whole[cm.end(4) - start:]

        return _CELL.sub(cell, text)

    def formula(self, fm: re.Match, r: int, c: int, new_r: int) -> str:
        pre, attrs, body = fm.group(1), _attrs(fm.group(2)), fm.group(3)
        kind = attrs.get("t")
        text = refs.unescape(body) if body else ""
        if kind == "dataTable":
            if self.rows is not None:
                raise DeleteRefused(f"「{self.own}」第 {r} 行有模拟运算表")
            return fm.group(0)
        if kind == "shared":
            si = attrs.get("si", "")
            if text:
                self.masters[si] = (text, r, c)
            elif si in self.masters:
                mt, mr, mc = self.masters[si]
                text = move_formula(mt, self.own, self.own, None, dr=r - mr, dc=c - mc)
            else:
                return fm.group(0)  # a follower whose master is not there: as it was
            for k in ("t", "si", "ref"):
                attrs.pop(k, None)
        new = move_formula(text, self.own, self.target, self.moved) if text else text
        if kind == "array" and "ref" in attrs and self.rows is not None:
            area = refs.area_of(attrs["ref"])
            if area is not None:
                r1, c1, r2, c2 = area
                got = self.rows.span(r1, r2)
                if got is not None and got[0] == new_r:
                    attrs["ref"] = f"{col_letter(c1)}{got[0]}:{col_letter(c2)}{got[1]}" if (c1, got[0]) != (c2, got[1]) \
                        else f"{col_letter(c1)}{got[0]}"
        if not new and not body:
            return f"<{pre}f{_attr_text(attrs)}/>"
        return f"<{pre}f{_attr_text(attrs)}>{refs.escape(new)}</{pre}f>"


def _col_of(attrs: Mapping[str, str], before: int) -> int:
    ref = attrs.get("r")
    if ref:
        m = re.match(r"([A-Z]{1,3})", ref)
        if m:
            return refs.col_number(m.group(1))
    return before + 1


def _row_pieces(walk, own: str, rows: RowMap | None, target: str, moved: RowMap, tail_fix):
    """The new part, piece by piece: removed rows dropped, rows below renumbered, formulas moved."""
    fx = _Formulas(own, rows, target, moved)
    seq = 0
    for kind, data in walk:
        if kind == "head":
            yield _fix_dimension(data, rows) if rows is not None else data
            continue
        if kind == "tail":
            yield tail_fix(data.decode("utf-8")).encode("utf-8")
            continue
        m = _ROW_R.match(data)
        if m is not None:
            r = int(m.group(2))
        else:
            r = seq + 1
        seq = r
        new_r = rows.row(r) if rows is not None else r
        has_f = _HAS_F.search(data) is not None
        if new_r is None:
            if has_f:
                fx.remember(data.decode("utf-8"), r)
            continue
        if new_r == r and not has_f:
            yield data
            continue
        if new_r != r:
            if m is None:  # a row without its number: give it one first
                data = re.sub(rb"<((?:\w+:)?)row\b", rb'\g<0> r="' + str(r).encode() + b'"',
                              data, count=1)
            data = _renumber(data, str(new_r).encode())
        if has_f:
            data = fx.cells(data.decode("utf-8"), r, new_r).encode("utf-8")
        yield data


def _renumber(row: bytes, number: bytes) -> bytes:
    """A ``<row>`` element with its ``r`` and every cell's ``r`` set to row ``number``.

    Split on `` r="`` (C speed); a piece counts only when it is inside a tag (the last
    ``<`` before it comes after the last ``>``), so text in a cell is never touched."""
    parts = row.split(b' r="')
    out = [parts[0]]
    for i in range(1, len(parts)):
        part = parts[i]
        before = out[-1]
        q = part.find(b'"')
        if q < 0 or before.rfind(b"<") < before.rfind(b">"):
            out.append(b' r="' + part)
            continue
        ref = part[:q]
        letters = ref.rstrip(b"0123456789")
        if ref[len(letters):] and letters.isalpha() or not letters and ref.isdigit():
            out.append(b' r="' + letters + number + part[q:])
        else:
            out.append(b' r="' + part)
    return b"".join(out)


def _fix_dimension(head: bytes, rows: RowMap) -> bytes:
    def fix(m: re.Match) -> bytes:
        got = move_sqref(m.group(2).decode("ascii"), rows) or "A1"
        return m.group(1) + got.encode("ascii") + b'"'

    return re.sub(rb'(<(?:\w+:)?dimension\b[^>]*?\sref=")([^"]*)"', fix, head, count=1)


# ----------------------------------------------------------------- what follows the rows

def _block_re(tag: str) -> re.Pattern:
    """An element (self-closing or with content) by local name, any prefix."""
    return re.compile(r"<((?:\w+:)?)%s\b([^>]*?)(?:/>|>(.*?)</\1%s>)" % (tag, tag), re.S)


_BLOCKS = {t: _block_re(t) for t in ("mergeCell", "conditionalFormatting", "dataValidation", "hyperlink",
                                     "autoFilter", "ignoredError", "protectedRange")}
_ROW_BREAKS = re.compile(r"<((?:\w+:)?)rowBreaks\b([^>]*?)(?:/>|>(.*?)</\1rowBreaks>)", re.S)
_BRK = _block_re("brk")
_FORMULA_TAGS = re.compile(r"<((?:\w+:)?)(formula|formula1|formula2|f)>(.*?)</\1\2>", re.S)
_X14_BLOCK = re.compile(r"<((?:\w+:)?)(conditionalFormatting|dataValidation)\b([^>]*?)>(.*?)</\1\2>", re.S)
_XM_SQREF = re.compile(r"<((?:\w+:)?)sqref>(.*?)</\1sqref>", re.S)


def _tail_fixer(own: str, rows: RowMap | None, target: str, moved: RowMap):
    """The part after the rows: areas moved (when ``own`` lost rows), formulas moved."""

    def formulas(text: str, dr: int = 0, dc: int = 0) -> str:
        return _FORMULA_TAGS.sub(lambda m: f"<{m.group(1)}{m.group(2)}>"
                                 f"{refs.escape(move_formula(refs.unescape(m.group(3)), own, target, moved, dr, dc))}"
                                 f"</{m.group(1)}{m.group(2)}>", text)

    def anchored(sqref_old: str) -> tuple[int, int]:
        """(dr, dc) from an area list's old top-left cell to the old cell that is its new top-left."""
        areas = [a for a in map(refs.area_of, sqref_old.split()) if a is not None]
        if not areas or rows is None:
            return 0, 0
        r0, c0 = areas[0][0], areas[0][1]
        for r1, c1, r2, _c2 in areas:
            kept = rows.old_first_kept(r1, r2)
            if kept is not None:
                return kept - r0, c1 - c0
        return 0, 0

    def element(tag: str):
        def fix(m: re.Match) -> str:
            pre, attrs_text, body = m.group(1), m.group(2), m.group(3)
            attrs = _attrs(attrs_text)
            key = "sqref" if "sqref" in attrs else "ref" if "ref" in attrs else None
            dr = dc = 0
            if rows is not None and key is not None:
                old = attrs[key]
                new = move_sqref(old, rows)
                if not new:
                    return ""
                if tag in ("conditionalFormatting", "dataValidation"):
                    dr, dc = anchored(old)
                attrs[key] = new
            head = f"<{pre}{tag}{_attr_text(attrs)}"
            if body is None:
                return head + "/>"
            if tag in ("conditionalFormatting", "dataValidation"):
                body = formulas(body, dr, dc)
            return head + ">" + body + f"</{pre}{tag}>"
        return fix

    def brk(m: re.Match) -> str:
        assert rows is not None  # called only when rows are removed (below)
        attrs = _attrs(m.group(2))
        new_id = rows.row(int(attrs["id"])) if "id" in attrs and attrs["id"].isdigit() else None
        if new_id is None:
            return ""
        attrs["id"] = str(new_id)
        return f"<{m.group(1)}brk{_attr_text(attrs)}/>"

    def x14(m: re.Match) -> str:
        pre, tag, attrs_text, body = m.groups()
        sq = _XM_SQREF.search(body)
        dr = dc = 0
        if sq is not None and rows is not None:
            new = move_sqref(sq.group(2), rows)
            if not new:
                return ""
            dr, dc = anchored(sq.group(2))
            body = body[:sq.start()] + f"<{sq.group(1)}sqref>{new}</{sq.group(1)}sqref>" + body[sq.end():]
        return f"<{pre}{tag}{attrs_text}>{formulas(body, dr, dc)}</{pre}{tag}>"

    def fix(tail: str) -> str:
        ext = tail.find("extLst>")
        main, rest = (tail, "") if ext < 0 else (tail[:ext], tail[ext:])
        for tag, pattern in _BLOCKS.items():
            main = pattern.sub(element(tag), main)
        if rows is not None:
            main = _ROW_BREAKS.sub(lambda m: m.group(0) if m.group(3) is None else m.group(0).replace(
                m.group(3), _BRK.sub(brk, m.group(3))), main)
            main = _recount(main)
        if rest:
            rest = _X14_BLOCK.sub(x14, rest)
        return main + rest

    return fix


_COUNTED = (("mergeCells", "mergeCell"), ("dataValidations", "dataValidation"),
            ("hyperlinks", "hyperlink"), ("ignoredErrors", "ignoredError"), ("protectedRanges", "protectedRange"),
            ("rowBreaks", "brk"))


def _recount(text: str) -> str:
    """Containers whose children were dropped: their count updated, removed when empty."""
    for outer, inner in _COUNTED:
        pat = re.compile(r"<((?:\w+:)?)%s\b([^>]*?)(?:/>|>(.*?)</\1%s>)" % (outer, outer), re.S)

        def fix(m: re.Match, inner=inner, outer=outer) -> str:
            pre, attrs_text, body = m.group(1), m.group(2), m.group(3) or ""
            n = len(re.findall(r"<(?:\w+:)?%s\b" % inner, body))
            if n == 0:
                return ""
            attrs = _attrs(attrs_text)
            if "count" in attrs:
                attrs["count"] = str(n)
            if "manualBreakCount" in attrs:
                attrs["manualBreakCount"] = str(n)
            return f"<{pre}{outer}{_attr_text(attrs)}>{body}</{pre}{outer}>"

        text = pat.sub(fix, text)
    return text


# ----------------------------------------------------------------- parts around the sheet

def _sheet_xml_names(name: str) -> list[bytes]:
    """How a formula may name the sheet (plain, quoted, XML-escaped)."""
    forms = {name, "'" + name.replace("'", "''") + "'"}
    out = set()
    for f in forms:
        out.add(f.encode("utf-8"))
        out.add(refs.escape(f).replace("'", "&apos;").encode("utf-8"))
    return sorted(out)


def _mentions(pkg: Package, part: str, names: list[bytes]) -> bool:
    tail = b""
    for piece in _source(pkg, part)():
        block = tail + piece
        if any(n in block for n in names):
            return True
        tail = block[-256:]
    return False


def _fix_comments(pkg: Package, sheet_part: str, rows: RowMap) -> None:
    rels = Rels(pkg, sheet_part)
    # comments and threaded comments: each names its cell in ref="A1"; a removed row's go with it
    for kind, tag in (("/comments", "comment"), ("/threadedComment", "threadedComment")):
        for _rid, part in rels.targets(kind):
            if not pkg.has(part):
                continue
            text = pkg.read(part).decode("utf-8")

            def moved(m: re.Match) -> str:
                a = refs.area_of(_attrs(m.group(2)).get("ref", ""))
                if a is None:
                    return m.group(0)
                new = rows.row(a[0])
                if new is None:
                    return ""
                return re.sub(r'(\sref=")\$?([A-Z]{1,3})\$?\d+"', lambda x: f'{x.group(1)}{x.group(2)}{new}"',
                              m.group(0), count=1)

            text = re.sub(rf"<((?:\w+:)?){tag}\b([^>]*?)(?:/>|>.*?</\1{tag}>)", moved, text, flags=re.S)
            pkg.put(part, text)
    for _rid, part in rels.targets("/vmlDrawing"):
        if not pkg.has(part):
            continue
        text = pkg.read(part).decode("utf-8", errors="surrogateescape")

        def shape(m: re.Match) -> str:
            body = m.group(0)
            row = re.search(r"<((?:\w+:)?)Row>(\d+)</\1Row>", body)
            if row is None:
                return body
            new = rows.row(int(row.group(2)) + 1)
            if new is None:
                return ""
            body = body[:row.start()] + f"<{row.group(1)}Row>{new - 1}</{row.group(1)}Row>" + body[row.end():]

            def anchor(a: re.Match) -> str:
                parts = [p.strip() for p in a.group(2).split(",")]
                if len(parts) == 8:
                    for i in (2, 6):
                        moved = rows.row(int(parts[i]) + 1) if parts[i].isdigit() else None
                        if moved is not None:
                            parts[i] = str(moved - 1)
                return f"<{a.group(1)}Anchor>" + ", ".join(parts) + f"</{a.group(1)}Anchor>"

            return re.sub(r"<((?:\w+:)?)Anchor>(.*?)</\1Anchor>", anchor, body, flags=re.S)

        text = re.sub(r"<((?:\w+:)?)shape\b.*?</\1shape>", shape, text, flags=re.S)
        pkg.put(part, text.encode("utf-8", errors="surrogateescape"))


def _check_drawings(pkg: Package, sheet: str, sheet_part: str, rows: RowMap) -> None:
    """Pictures and charts over the sheet: moved up with their rows; one over a removed row stops the run."""
    for _rid, part in Rels(pkg, sheet_part).targets("/drawing"):
        if not pkg.has(part):
            continue
        text = pkg.read(part).decode("utf-8")
        changed = False

        def anchor(m: re.Match) -> str:
            nonlocal changed
            body = m.group(0)
            found = list(re.finditer(r"<((?:\w+:)?)row>(\d+)</\1row>", body))
            if not found:
                return body
            olds = [int(f.group(2)) + 1 for f in found]
            lo, hi = min(olds), max(olds)
            if rows.span(lo, hi) is None or any(rows.gone(r) for r in range(lo, hi + 1)):
                raise DeleteRefused(f"「{sheet}」第 {lo} 行附近有图片或图表，与要移走的行重叠")
            out, pos = [], 0
            for f in found:
                new = rows.row(int(f.group(2)) + 1)
                if new is None:  # not reached: no row of the anchor's span went (checked above)
                    raise DeleteRefused(f"「{sheet}」第 {lo} 行附近有图片或图表，与要移走的行重叠")
                out.append(body[pos:f.start()] + f"<{f.group(1)}row>{new - 1}</{f.group(1)}row>")
                pos = f.end()
                changed = changed or new - 1 != int(f.group(2))
            return "".join(out) + body[pos:]

        text = re.sub(r"<((?:\w+:)?)(twoCellAnchor|oneCellAnchor)\b.*?</\1\2>", anchor, text, flags=re.S)
        if changed:
            pkg.put(part, text)


def _fix_tables(pkg: Package, sheet_part: str, rows: RowMap) -> None:
    for _rid, part in Rels(pkg, sheet_part).targets("/table"):
        if not pkg.has(part):
            continue
        text = pkg.read(part).decode("utf-8")
        root = re.search(r"<(?:\w+:)?table\b[^>]*>", text)
        if root is None:
            continue
        a = refs.area_of(_attrs(root.group(0)).get("ref", ""))
        if a is None:
            continue
        r1, c1, r2, c2 = a
        got = rows.span(r1, r2)
        top = rows.row(r1)
        if got is None or top is None:
            raise DeleteRefused("表格（Table）的标题行在要移走的行里")
        last = max(got[1], top + 1)  # a Table keeps at least one data row
        new_ref = f"{col_letter(c1)}{top}:{col_letter(c2)}{last}"
        text = re.sub(r'(<(?:\w+:)?(?:table|autoFilter)\b[^>]*?\sref=")[^"]*"', r"\g<1>" + new_ref + '"',
                      text)
        pkg.put(part, text)


def _fix_workbook_names(book: Book, target: str, rows: RowMap) -> None:
    for e in book.x.all("definedName"):
        text = "".join(n.data for n in e.childNodes if n.nodeType == n.TEXT_NODE)
        if not text or target not in text:
            continue
        new = move_formula(text, None, target, rows)
        if new != text:
            while e.firstChild is not None:
                e.removeChild(e.firstChild)
            e.appendChild(book.x.doc.createTextNode(new))


def _fix_charts_and_pivots(pkg: Package, target: str, rows: RowMap) -> None:
    names = _sheet_xml_names(target)
    for part in pkg.names():
        if part.startswith("xl/charts/") and part.endswith(".xml"):
            data = pkg.read(part)
            if not any(n in data for n in names):
                continue
            text = re.sub(r"<((?:\w+:)?)f>(.*?)</\1f>",
                          lambda m: f"<{m.group(1)}f>"
                                    f"{refs.escape(move_formula(refs.unescape(m.group(2)), None, target, rows))}"
                                    f"</{m.group(1)}f>", data.decode("utf-8"), flags=re.S)
            pkg.put(part, text)
        elif part.startswith("xl/pivotCache/") and "Definition" in part and part.endswith(".xml"):
            text = pkg.read(part).decode("utf-8")

            def source(m: re.Match) -> str:
                a = _attrs(m.group(0))
                if refs.unescape(a.get("sheet", "")) != target or "ref" not in a:
                    return m.group(0)
                new = move_sqref(a["ref"], rows)
                if not new:
                    raise DeleteRefused("数据透视表的数据源全部在要移走的行里")
                return m.group(0).replace(f'ref="{a["ref"]}"', f'ref="{new}"')

            new_text = re.sub(r"<(?:\w+:)?worksheetSource\b[^>]*>", source, text)
            if new_text != text:
                pkg.put(part, new_text)


# ----------------------------------------------------------------- the entry points

def delete_rows(pkg: Package, book: Book, sheet: str, rows: RowMap) -> None:
    """Remove ``rows`` (1-based) of ``sheet`` from the package as Excel's 删除行 does (see the module doc).

    Raises :class:`DeleteRefused` before any part is replaced when something of the
    desk's cannot be moved safely.
    """
    if not rows:
        return
    part = book.sheet_parts[sheet]
    _check_drawings(pkg, sheet, part, rows)
    _fix_tables(pkg, part, rows)
    _fix_comments(pkg, part, rows)
    names = _sheet_xml_names(sheet)
    for other, other_part in book.sheet_parts.items():
        if other_part == part or not _mentions(pkg, other_part, names):
            continue
        _stream_part(pkg, other_part, other, None, sheet, rows)
    _stream_part(pkg, part, sheet, rows, sheet, rows)
    _fix_workbook_names(book, sheet, rows)
    _fix_charts_and_pivots(pkg, sheet, rows)


def _stream_part(pkg: Package, part: str, own: str, own_rows: RowMap | None, target: str, moved: RowMap) -> None:
    source = _source(pkg, part)
    tail_fix = _tail_fixer(own, own_rows, target, moved)
    # checked before anything is written (a what-if table stops the run here, not while saving)
    if own_rows is not None and _mentions(pkg, part, [b'"dataTable"']):
        raise DeleteRefused(f"「{own}」中有模拟运算表")
    pkg.put(part, _streamed(lambda: _row_pieces(_walk(source()), own, own_rows, target, moved, tail_fix),
                            pkg.size(part)))


def _chunks_xml(rows: Sequence[Sequence[object]], first_row: int, st: _Styles, date1904: bool, p: str,
                wrap_cols: AbstractSet[int] = frozenset()) -> Iterator[bytes]:
    for i in range(0, len(rows), CHUNK_ROWS):
        spec = SheetSpec("", rows[i:i + CHUNK_ROWS], wrap_cols=set(wrap_cols))
        yield rows_xml(spec, st, date1904, p, first=first_row + i - 1).encode("utf-8")


def append_rows(pkg: Package, book: Book, sheet: str, rows: Sequence[Sequence[object]], last_row: int,
                header: Mapping[int, object] | None = None, header_row: int = 1) -> None:
    """``rows`` written under row ``last_row`` (1-based) of an existing sheet, streamed; ``header``
    (0-based column → text) fills cells of ``header_row`` that are added to the header."""
    part = book.sheet_parts[sheet]
    source = _source(pkg, part)
    st = book.styles
    width = max([len(r) for r in rows] + [max(header, default=-1) + 1 if header else 0] + [1])
    new_last = last_row + len(rows)

    def pieces() -> Iterator[bytes]:
        # the sheet is passed through in blocks (a million rows are not walked one by one): the head is
        # grown, the header row edited where it stands, the new rows go before </sheetData>
        it = iter(source())
        buf = b""
        for chunk in it:
            buf += chunk
            m = re.search(rb"<(?:(\w+):)?sheetData\b[^>]*?(/?)>", buf)
            if m is not None:
                break
        else:
            raise PackageError("sheetData")
        p = (m.group(1).decode() + ":") if m.group(1) else ""
        close = f"</{p}sheetData>".encode()
        if m.group(2):  # <sheetData/>: nothing yet
            yield _grow(buf[:m.start()], new_last, width) + f"<{p}sheetData>".encode()
            rest = close + buf[m.end():] + b"".join(it)
            if header:
                raise PackageError("header row")
            yield from _chunks_xml(rows, last_row + 1, st, book.date1904, p)
            yield _grow(rest, new_last, width, autofilter=True)
            return
        yield _grow(buf[:m.end()], new_last, width)
        buf = buf[m.end():]
        if header:  # the header row is near the top: edited once it is whole
            while True:
                hm = re.search(rb'<(?:\w+:)?row\b[^>]*?\sr="%d"[^>]*?(?:/>|>.*?</(?:\w+:)?row>)' % header_row, buf, re.S)
                if hm is not None:
                    buf = buf[:hm.start()] + _header_cells(hm.group(0), header_row, header, st, p) + buf[hm.end():]
                    break
                more = next(it, None)
                if more is None or close in buf:
                    raise PackageError("header row")
                buf += more
        keep = len(close) - 1  # a </sheetData> cut between two chunks is still found
        while close not in buf:
            more = next(it, None)
            if more is None:
                raise PackageError("sheetData")
            if len(buf) > keep:
                yield buf[:-keep]
                buf = buf[-keep:]
            buf += more
        at = buf.find(close)
        yield buf[:at]
        yield from _chunks_xml(rows, last_row + 1, st, book.date1904, p)
        yield _grow(buf[at:] + b"".join(it), new_last, width, autofilter=True)

    pkg.put(part, _streamed(pieces, pkg.size(part) + 800 * len(rows) * max(1, width // 20)))


def _header_cells(row: bytes, r: int, header: Mapping[int, object], st: _Styles, p: str) -> bytes:
    """The header row with cells added (0-based column → text), in column order among the existing ones."""
    from refund_xl._files.xlsxpatch import _edit_row

    text = row.decode("utf-8")
    m = re.match(r"<(?:\w+:)?row\b([^>]*?)(/?)>", text)
    if m is None:
        raise PackageError("header row")
    inner = None if m.group(2) else text[m.end():text.rfind("</")]
    edits = {c + 1: (v, st.header) for c, v in header.items()}
    return _edit_row(m.group(1), inner, r, edits, st, st.managed, p, False).encode("utf-8")


def _grow(xml: bytes, last_row: int, width: int, autofilter: bool = False) -> bytes:
    tag = rb"autoFilter" if autofilter else rb"dimension"

    def grow(m: re.Match) -> bytes:
        a = refs.area_of(m.group(2).decode("ascii"))
        if a is None:
            return m.group(0)
        r1, c1, r2, c2 = a
        c2 = max(c2, width) if not autofilter else c2
        return m.group(1) + f"{col_letter(c1)}{r1}:{col_letter(c2)}{max(r2, last_row)}".encode("ascii") + b'"'

    return re.sub(rb'(<(?:\w+:)?' + tag + rb'\b[^>]*?\sref=")([^"]*)"', grow, xml, count=1)


# ----------------------------------------------------------------- reading a few columns of a big sheet

_END_TAG = re.compile(rb"</(?:\w+:)?$")


def _after_last_row(block: bytes) -> int:
    """Where the last ``</row>`` of ``block`` ends (-1: none).  A ``<`` in text is always escaped, so an
    end tag found is a real one."""
    i = len(block)
    while True:
        i = block.rfind(b"row>", 0, i)
        if i < 0:
            return -1
        if _END_TAG.search(block, max(0, i - 40), i):
            return i + 4


def _row_blocks(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The part's bytes in blocks that end after a ``</row>``: no row is cut."""
    carry = b""
    for chunk in chunks:
        block = carry + chunk
        cut = _after_last_row(block)
        if cut < 0:
            carry = block
            continue
        yield block[:cut]
        carry = block[cut:]
    if carry:
        yield carry


def scan_cells(pkg: Package, part: str, cols: Iterable[int], strings: Callable[[], Sequence[str]] | None = None,
               first_row: int = 2, only: set[int] | None = None,
               tally: dict[str, int] | None = None) -> Iterator[tuple[int, dict[int, object]]]:
    """(row, {col: value}) for the cells of columns ``cols`` (1-based) of rows from ``first_row``
    (only the rows in ``only``, when given), streamed.  ``tally["last_row"]``: the last row seen.

    Values are text (inline, shared or formula strings) or numbers, as stored (a date is
    its serial number).  ``strings``: the shared strings, asked for only when a cell uses one.
    A million-row sheet is scanned block by block with one regular expression over the cells
    of those columns (the rows themselves are not walked one by one).
    """
    cols = list(cols)
    letters = "|".join(sorted({col_letter(c) for c in cols}, key=len, reverse=True))
    pat = re.compile((r'<(?:\w+:)?c\b(?=[^>]*?\sr="(%s)(\d+)")([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)' % letters).encode(),
                     re.S)
    number = {col_letter(c).encode(): c for c in cols}
    sst: Sequence[str] | None = None
    last = 0
    current, cells = 0, dict[int, object]()
    for block in _row_blocks(_source(pkg, part)()):
        tail = block.rfind(b"<row")
        if tail < 0:
            tail = block.rfind(b":row ")
        if tail >= 0:
            m = _ROW_R.search(block, max(0, tail - 1))
            if m is not None:
                last = max(last, int(m.group(2)))
        for m in pat.finditer(block):
            r = int(m.group(2))
            if r < first_row or (only is not None and r not in only):
                continue
            if r != current:
                if cells:
                    yield current, cells
                current, cells = r, {}
            attrs, inner = m.group(3), m.group(4) or b""
            typed = re.search(rb'\st="(\w+)"', attrs)
            t = typed.group(1) if typed else b"n"
            if t == b"inlineStr":
                value: object = refs.unescape("".join(x.decode("utf-8") for x in
                                                      re.findall(rb"<(?:\w+:)?t\b[^>]*>(.*?)</", inner, re.S)))
            else:
                v = re.search(rb"<(?:\w+:)?v>(.*?)</", inner, re.S)
                if v is None:
                    continue
                raw = v.group(1).decode("utf-8")
                if t == b"s":
                    if sst is None:
                        sst = strings() if strings else []
                    i = int(raw)
                    value = sst[i] if 0 <= i < len(sst) else None
                elif t in (b"str", b"e"):
                    value = refs.unescape(raw)
                elif t == b"b":
                    value = raw.strip() in ("1", "true")
                else:
                    try:
                        value = float(raw)
                    except ValueError:
                        value = refs.unescape(raw)
            if value is not None and value != "":
                cells[number[m.group(1)]] = value
    if cells:
        yield current, cells
    if tally is not None:
        tally["last_row"] = last
