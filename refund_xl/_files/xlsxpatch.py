"""Edit an .xlsx/.xlsm package in place: add sheets, change cells, keep everything else.

The daily batch writes a handful of output sheets into a workbook whose
tracking sheet may hold 100k rows, and the desk's staff type into those
output sheets.  Loading and saving through openpyxl takes minutes and drops
ribbons, comments and Tables on the way; so this module copies every part of
the package as it is and touches only what it must:

* a new output sheet is a fresh worksheet part (inline strings: every text is
  text, never a formula; no shared-strings table to touch);
* an existing sheet is edited cell by cell (:func:`edit_sheet_xml`): the
  cells named are rewritten (keeping a staff style), every other cell, row,
  formula, comment, width, validation and Table stays byte for byte; Tables
  and the sheet's autofilter grow with rows appended under them;
* the structural parts (``workbook.xml``, relationships, ``[Content_Types].xml``,
  ``styles.xml``, table parts) are parsed as XML with their namespace
  prefixes kept as written (``x:`` from the OpenXML SDK, LibreOffice's own
  ordering), never edited with regular expressions; the fast string writer is
  kept for cell data only;
* dates are written in the workbook's own date system (1900 or 1904).
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence
from xml.dom import minidom
from xml.parsers.expat import ExpatError
from xml.sax.saxutils import escape

from refund_xl._app.batch.layout import ChartSpec, SheetSpec
from refund_xl._app.outputs import CJK_FONT
from refund_xl._core.numfmt import format_shows
from refund_xl._core.vocab import WholeDay

__all__ = ["SheetSpec", "ChartSpec", "Package", "patch_workbook", "excel_serial", "clean_text",
           "edit_sheet_xml", "KEEP", "col_letter", "PackageError", "CJK_FONT"]

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Strict OOXML (Excel's "Strict Open XML Spreadsheet"): the same parts and content types under other
# namespaces; relationship types are <namespace>/worksheet … as in the transitional flavour.
NS_MAIN_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_NS_R_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_SHEET = _NS_R + "/worksheet"
_REL_DRAWING = _NS_R + "/drawing"
_REL_CHART = _NS_R + "/chart"
_REL_TABLE = _NS_R + "/table"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
_CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)
_OWNED_DIRS = ("xl/drawings/", "xl/charts/", "xl/comments", "xl/tables/")
# Elements that come after <drawing> in a worksheet (schema order).
_AFTER_DRAWING = ("legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                  "webPublishItems", "tableParts", "extLst")


class PackageError(ValueError):
    """The package's structure is not one we can edit safely."""


class _Keep:
    def __repr__(self) -> str:  # pragma: no cover
        return "KEEP"


KEEP = _Keep()  # an edit that changes only a cell's style, never its value


def clean_text(text: str) -> str:
    """Characters an XML part cannot hold are dropped (control characters)."""
    return _ILLEGAL.sub("", text)


def excel_serial(value: datetime | date, date1904: bool = False) -> float:
    """The serial number of ``value`` in the 1900 (Windows) or 1904 (old Mac) date system."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    delta = value - (_EPOCH_1904 if date1904 else _EPOCH)
    return delta.days + delta.seconds / 86400.0 + delta.microseconds / 86400e6


# ----------------------------------------------------------------- helpers

def col_letter(n: int) -> str:  # 1-based
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


_col_letter = col_letter


def _col_number(letters: str) -> int:  # 1-based
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def _split_ref(ref: str) -> tuple[int, int]:
    """'B7' → (7, 2), 1-based."""
    m = _REF.fullmatch(ref.strip().upper())
    if not m:
        raise PackageError(ref)
    return int(m.group(2)), _col_number(m.group(1))


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


# ----------------------------------------------------------------- structural XML

class Xml:
    """A structural part parsed as XML: namespace prefixes and declarations kept as written."""

    def __init__(self, data: bytes, name: str = ""):
        try:
            self.doc = minidom.parseString(data)
        except (ExpatError, ValueError) as exc:
            raise PackageError(f"{name}: {exc}") from None
        head = data.lstrip()[:200]
        self.decl = head[:head.find(b"?>") + 2] + b"\n" if head.startswith(b"<?xml") else b""
        root = self.doc.documentElement
        if root is None:
            raise PackageError(f"{name}: no root element")
        self.root: minidom.Element = root

    def all(self, local: str, ns: str | None = None, under=None) -> list:
        node = under if under is not None else self.doc
        return [e for e in node.getElementsByTagNameNS(ns or self.root.namespaceURI or "*", local)]

    def first(self, local: str, ns: str | None = None, under=None):
        found = self.all(local, ns, under)
        return found[0] if found else None

    @staticmethod
    def children(parent, local: str) -> list:
        return [e for e in parent.childNodes if e.nodeType == e.ELEMENT_NODE and e.localName == local]

    def new(self, parent, local: str):
        """A new element in ``parent``'s namespace, written with ``parent``'s prefix."""
        qname = f"{parent.prefix}:{local}" if parent.prefix else local
        return self.doc.createElementNS(parent.namespaceURI, qname)

    def prefix_for(self, ns: str, want: str = "r") -> str:
        """The prefix bound to ``ns`` on the root (declared there if missing)."""
        for name, value in self.root.attributes.items():
            if name.startswith("xmlns:") and value == ns:
                return name[6:]
        p, n = want, 1
        while self.root.hasAttribute(f"xmlns:{p}"):
            p, n = f"{want}{n}", n + 1
        self.root.setAttribute(f"xmlns:{p}", ns)
        return p

    def bytes(self) -> bytes:
        return self.decl + self.root.toxml().encode("utf-8")


# ----------------------------------------------------------------- styles

@dataclass
class _Styles:
    header: int = 0
    date: int = 0   # a moment: yyyy-mm-dd hh:mm
    wrap: int = 0
    plain: int = 0  # every other cell of an output sheet: the Chinese font
    day: int = 0    # a whole day (a date without a time of day): yyyy-mm-dd
    dates_ok: bool = False
    # the desk's styles by what their number format shows: "text" (@) or "date"; others (General, numbers) absent
    shows: dict[int, str] = field(default_factory=dict)

    @property
    def managed(self) -> set[int]:
        """Styles the product owns (it may move or drop them); any other style is the desk's."""
        return {s for s in (self.header, self.date, self.wrap, self.plain, self.day) if s} | {0}

    def date_style(self, value: object) -> int:
        """The product's style for a date value: a whole day shows as a day (2025-03-16), a moment with its
        time (2025-03-16 00:00 is a moment; a day read from a date-only cell is not)."""
        return self.day if whole_day(value) and self.day else self.date


def whole_day(value: object) -> bool:
    """A date without a time of day: a ``date`` (a date-only cell as the file reader hands it over) or a
    :class:`~refund_xl._core.vocab.WholeDay` (the Excel host's)."""
    return value.__class__ is date or value.__class__ is WholeDay


# Every cell the product writes sits at the top of its row: a row that wraps one long text
# keeps its id, date and number on the first line, beside the start of that text.
_TOP = '<alignment vertical="top"/>'


def _cjk_font(inner: str, bold: bool) -> str:
    """The default font's size and colour with a Chinese face (no theme scheme, which would win)."""
    inner = re.sub(r"<b/>|<b\s[^>]*/>|<name\b[^>]*/>|<scheme\b[^>]*/>|<family\b[^>]*/>|<charset\b[^>]*/>", "", inner)
    return ("<font>" + ("<b/>" if bold else "") + inner
            + f'<name val="{CJK_FONT}"/><family val="2"/><charset val="134"/></font>')


def _xml_of(element) -> str:
    return element.toxml()


def _find_or_add(x: Xml, group_name: str, tag: str, element_xml: str) -> int:
    group = x.first(group_name)
    if group is None:
        raise PackageError(group_name)
    items = Xml.children(group, tag)
    pre = f"{group.prefix}:" if group.prefix else ""
    # compare without prefixes: the element as we would write it, in the part's own prefix
    wanted = re.sub(r"<(/?)(\w)", lambda m: f"<{m.group(1)}{pre}{m.group(2)}", element_xml)
    for i, e in enumerate(items):
        if _xml_of(e) == wanted:
            return i
    frag = minidom.parseString(f'<w xmlns{":" + group.prefix if group.prefix else ""}="{group.namespaceURI}">'
                               f"{wanted}</w>").documentElement
    node = x.doc.importNode(Xml.children(frag, tag)[0], True)
    group.appendChild(node)
    group.setAttribute("count", str(len(items) + 1))
    return len(items)


def _format_kinds(x: Xml) -> dict[int, str]:
    """The cell styles (cellXfs index) whose number format shows text (@) or a date/time."""
    codes = {int(nf.getAttribute("numFmtId") or 0): nf.getAttribute("formatCode") for nf in x.all("numFmt")}
    group = x.first("cellXfs")
    out: dict[int, str] = {}
    for i, xf in enumerate(Xml.children(group, "xf") if group is not None else ()):
        fid = int(xf.getAttribute("numFmtId") or 0)
        shows = format_shows(fid, codes.get(fid))
        if shows is not None:
            out[i] = shows
    return out


def _number_format(x: Xml, code: str) -> int:
    """The id of the number format ``code`` in the styles part, added when it has none."""
    for nf in x.all("numFmt"):
        if nf.getAttribute("formatCode") == code:
            return int(nf.getAttribute("numFmtId"))
    ids = [int(nf.getAttribute("numFmtId") or 0) for nf in x.all("numFmt")]
    fmt_id = max([163, *ids]) + 1
    group = x.first("numFmts")
    if group is None:
        group = x.new(x.root, "numFmts")
        x.root.insertBefore(group, next((c for c in x.root.childNodes if c.nodeType == c.ELEMENT_NODE), None))
    nf = x.new(group, "numFmt")
    nf.setAttribute("numFmtId", str(fmt_id))
    nf.setAttribute("formatCode", code)
    group.appendChild(nf)
    group.setAttribute("count", str(len(Xml.children(group, "numFmt"))))
    return fmt_id


def add_styles(data: bytes) -> tuple[bytes, _Styles]:
    """Append (or reuse) a bold header, a date (a moment, and a whole day) and a wrapped-text cell format."""
    try:
        x = Xml(data, "styles.xml")
        fmt_id = _number_format(x, "yyyy-mm-dd hh:mm")
        day_id = _number_format(x, "yyyy-mm-dd")
        fonts = x.first("fonts")
        first = Xml.children(fonts, "font")[0] if fonts is not None and Xml.children(fonts, "font") else None
        inner = "".join(_xml_of(c) for c in first.childNodes if c.nodeType == c.ELEMENT_NODE
                        and c.localName != "b") if first is not None else ""
        if first is not None and first.prefix:
            inner = inner.replace(f"<{first.prefix}:", "<").replace(f"</{first.prefix}:", "</")
        font_id = _find_or_add(x, "fonts", "font", _cjk_font(inner, bold=True))
        cjk_id = _find_or_add(x, "fonts", "font", _cjk_font(inner, bold=False))
        fill_id = _find_or_add(x, "fills", "fill", '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/>'
                                                   '<bgColor indexed="64"/></patternFill></fill>')
        out = _Styles(dates_ok=True, shows=_format_kinds(x))
        out.header = _find_or_add(x, "cellXfs", "xf",
                                  f'<xf numFmtId="0" fontId="{font_id}" fillId="{fill_id}" borderId="0" xfId="0" '
                                  f'applyFont="1" applyFill="1" applyAlignment="1">{_TOP}</xf>')
        out.date = _find_or_add(x, "cellXfs", "xf", f'<xf numFmtId="{fmt_id}" fontId="{cjk_id}" fillId="0" '
                                                    'borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" '
                                                    f'applyAlignment="1">{_TOP}</xf>')
        out.day = _find_or_add(x, "cellXfs", "xf", f'<xf numFmtId="{day_id}" fontId="{cjk_id}" fillId="0" '
                                                   'borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" '
                                                   f'applyAlignment="1">{_TOP}</xf>')
        out.wrap = _find_or_add(x, "cellXfs", "xf", f'<xf numFmtId="0" fontId="{cjk_id}" fillId="0" borderId="0" '
                                                    'xfId="0" applyFont="1" applyAlignment="1">'
                                                    '<alignment vertical="top" wrapText="1"/></xf>')
        out.plain = _find_or_add(x, "cellXfs", "xf", f'<xf numFmtId="0" fontId="{cjk_id}" fillId="0" borderId="0" '
                                                     f'xfId="0" applyFont="1" applyAlignment="1">{_TOP}</xf>')
        return x.bytes(), out
    except Exception:  # an unusual styles part: plain cells, dates written as text
        return data, _Styles()


# ----------------------------------------------------------------- cell XML

def _cell(ref: str, value: object, style: int, st: _Styles, p: str = "", date1904: bool = False,
          desk_style: bool = False, was_text: bool = False) -> str:
    if not desk_style:
        style = style or st.plain
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f"<{p}c r=\"{ref}\"{s}/>"
    if isinstance(value, bool):
        return f'<{p}c r="{ref}" t="b"{s}><{p}v>{int(value)}</{p}v></{p}c>'
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return f"<{p}c r=\"{ref}\"{s}/>"
        return f'<{p}c r="{ref}"{s}><{p}v>{value!r}</{p}v></{p}c>'
    if isinstance(value, (datetime, date)):
        # in the form the desk's cell shows: a date number where its format shows a date; the desk's own text
        # form (2025-06-08 10:00) in a text-formatted cell (@) or where it typed text; else a date number with
        # the product's date format — never a bare serial a person reads as 45817.75
        shows = st.shows.get(style) if desk_style else None
        if st.dates_ok and shows != "text" and not (was_text and shows != "date"):
            ds = f' s="{style if shows == "date" else st.date_style(value)}"'
            return f'<{p}c r="{ref}"{ds}><{p}v>{excel_serial(value, date1904)!r}</{p}v></{p}c>'
        value = value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) and not whole_day(value) else \
            value.strftime("%Y-%m-%d")
    if isinstance(value, timedelta):
        value = str(value)
    text = clean_text(str(value))
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<{p}c r="{ref}" t="inlineStr"{s}><{p}is><{p}t{space}>{escape(text)}</{p}t></{p}is></{p}c>'


def _row_height(row: Sequence[object], wrap_cols: set[int], widths: Sequence[float]) -> float:
    """Points for a row whose wrapped text needs more than one line (CJK characters count double)."""
    lines = 1
    for c in wrap_cols:
        text = row[c] if c < len(row) else None
        if isinstance(text, str) and c < len(widths):
            # CJK characters count double: 3 UTF-8 bytes → 2 columns, ASCII 1 → 1
            # (C-speed; a per-character loop was 8 s of a 100k-row batch)
            width = (len(text.encode("utf-8", "replace")) + len(text)) // 2
            lines = max(lines, -(-width // max(int(widths[c]) - 1, 1)) + text.count("\n"))
    return 0 if lines == 1 else min(409.0, 15.0 * lines)


def rows_xml(spec: SheetSpec, st: _Styles, date1904: bool = False, p: str = "", first: int = 0) -> str:
    """The ``<row>`` elements of a fresh table (``p``: the sheet's namespace prefix, e.g. ``x:``);
    ``first``: the 0-based sheet row of ``spec.rows[0]`` (a block of a longer table, streamed;
    its ``bold_rows`` count from the block's first row)."""
    out = _rows_xml(spec, spec.rows, first, _width(spec), st, date1904, bold_from=first)
    if p:
        for tag in ("row", "c", "is", "t", "v"):
            out = out.replace(f"<{tag}>", f"<{p}{tag}>").replace(f"<{tag} ", f"<{p}{tag} ").replace(
                f"</{tag}>", f"</{p}{tag}>")
    return out


def _width(spec: SheetSpec) -> int:
    return max((len(r) for r in spec.rows), default=1) or 1


def _rows_xml(spec: SheetSpec, rows: Sequence[Sequence[object]], first: int, width: int, st: _Styles,
              date1904: bool, bold_from: int = 0) -> str:
    """The ``<row>`` elements of ``rows``, the first being the table's row ``first`` (0-based);
    ``spec.bold_rows`` count from row ``bold_from``."""
    parts: list[str] = []
    letters = [col_letter(c + 1) for c in range(width)]
    wrap_cols = spec.wrap_cols
    plain = f' s="{st.plain}"' if st.plain else ""
    wrapped = f' s="{st.wrap}"' if st.wrap else plain
    append = parts.append
    for r, row in enumerate(rows, start=first):
        cells: list[str] = []
        add = cells.append
        n = str(r + 1)
        bold = r - bold_from in spec.bold_rows
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            ref = letters[c] + n
            if v.__class__ is str and not bold:
                # the common cell: plain text, no escaping needed
                if v.isprintable() and "&" not in v and "<" not in v and ">" not in v and v[0] != " " and v[-1] != " ":
                    s = wrapped if c in wrap_cols else plain
                    add(f'<c r="{ref}" t="inlineStr"{s}><is><t>{v}</t></is></c>')
                    continue
            elif v.__class__ is float or v.__class__ is int:
                if not bold and (v.__class__ is int or math.isfinite(v)):
                    add(f'<c r="{ref}"{plain}><v>{v!r}</v></c>')
                    continue
            style = st.header if bold else (st.wrap if c in wrap_cols and isinstance(v, str) else 0)
            add(_cell(ref, v, style, st, "", date1904))
        if cells:
            ht = _row_height(row, wrap_cols, spec.widths) if wrap_cols and not bold else 0
            ht_attr = f' ht="{ht:g}" customHeight="1"' if ht else ""
            append(f'<row r="{n}"{ht_attr}>' + "".join(cells) + "</row>")
    return "".join(parts)


_BLOCK_ROWS = 2000  # rows encoded at a time when a new sheet is streamed into the zip


def sheet_xml(spec: SheetSpec, st: _Styles, drawing_rid: str | None, date1904: bool = False,
              ns: tuple[str, str] = (NS_MAIN, _NS_R)) -> bytes:
    return b"".join(sheet_pieces(spec, st, drawing_rid, date1904, ns))


def sheet_pieces(spec: SheetSpec, st: _Styles, drawing_rid: str | None, date1904: bool = False,
                 ns: tuple[str, str] = (NS_MAIN, _NS_R)) -> Iterator[bytes]:
    """A new sheet's XML in pieces (the head, blocks of rows, the tail), made as they are written: a
    400k-row sheet never exists as one text (their concatenation is :func:`sheet_xml`).  ``ns``: its
    main and relationships namespaces (a Strict package's sheets get Strict ones)."""
    width = _width(spec)
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<worksheet xmlns="{ns[0]}" xmlns:r="{ns[1]}">']
    if getattr(spec, "print_fit", False):
        parts.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    last = max(len(spec.rows), 1)
    parts.append(f'<dimension ref="A1:{col_letter(width)}{last}"/>')
    if spec.freeze_row and spec.freeze_col:  # rows and columns frozen (the sheet import creates)
        top = f"{col_letter(spec.freeze_col + 1)}{spec.freeze_row + 1}"
        parts.append('<sheetViews><sheetView workbookViewId="0">'
                     f'<pane xSplit="{spec.freeze_col}" ySplit="{spec.freeze_row}" topLeftCell="{top}" '
                     'activePane="bottomRight" state="frozen"/>'
                     f'<selection pane="bottomRight" activeCell="{top}" sqref="{top}"/></sheetView></sheetViews>')
    elif spec.freeze_row:
        top = f"A{spec.freeze_row + 1}"
        parts.append('<sheetViews><sheetView workbookViewId="0">'
                     f'<pane ySplit="{spec.freeze_row}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                     f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView></sheetViews>')
    else:
        parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    parts.append('<sheetFormatPr defaultRowHeight="15"/>')
    if spec.widths:
        parts.append("<cols>")
        for i, w in enumerate(spec.widths, start=1):
            # the column's own style: what staff type into it later lands as the product's cells do
            style = st.wrap if (i - 1) in spec.wrap_cols else st.plain
            s = f' style="{style}"' if style else ""
            parts.append(f'<col min="{i}" max="{i}" width="{float(w):g}"{s} customWidth="1"/>')
        parts.append("</cols>")
    parts.append("<sheetData>")
    yield "".join(parts).encode("utf-8")
    rows = spec.rows
    for start in range(0, len(rows), _BLOCK_ROWS):
        yield _rows_xml(spec, rows[start:start + _BLOCK_ROWS], start, width, st, date1904).encode("utf-8")
    parts = ["</sheetData>"]
    if spec.autofilter_row is not None and len(spec.rows) > spec.autofilter_row:
        hdr = spec.autofilter_row + 1
        ncol = len(spec.rows[spec.autofilter_row]) or 1
        parts.append(f'<autoFilter ref="A{hdr}:{col_letter(ncol)}{max(last, hdr)}"/>')
    parts.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    if getattr(spec, "print_fit", False):  # landscape, one page wide, as many pages down as it takes
        parts.append('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
    if drawing_rid:
        parts.append(f'<drawing r:id="{drawing_rid}"/>')
    parts.append("</worksheet>")
    yield "".join(parts).encode("utf-8")


# ------------------------------------------------- editing an existing sheet's cells

_ATTR = re.compile(r'([\w:]+)\s*=\s*("[^"]*"|\'[^\']*\')')


def _attrs(tag_inner: str) -> dict[str, str]:
    return {k: v[1:-1] for k, v in _ATTR.findall(tag_inner)}


def _sheet_prefix(xml: str) -> str:
    m = re.search(r"<(?:(\w+):)?worksheet\b", xml)
    if m is None:
        raise PackageError("worksheet")
    return m.group(1) + ":" if m.group(1) else ""


def edit_sheet_xml(data: bytes, edits: Mapping[tuple[int, int], tuple[object, int | None]], st: _Styles,
                   date1904: bool = False, grow_rows: bool = True) -> tuple[bytes, int, int]:
    """Rewrite only the cells in ``edits`` ((row0, col0) → (value, style)).

    Returns (xml, last row before, last row after), rows 1-based.

    ``value`` None clears the cell (its style stays), :data:`KEEP` leaves the
    value (and any formula) as it is.  ``style`` is the product's wish; a
    cell that carries a style of the desk's (not one of ``st.managed``) keeps
    it.  Rows and cells may be new; everything else is copied unchanged.
    """
    pieces, old_last, last_row = edit_sheet_pieces(data, edits, st, date1904, grow_rows)
    return b"".join(pieces), old_last, last_row



def split_sheet_data(data: bytes, p: str) -> tuple[str, int, int, str]:
    """A sheet part around its rows: (the text up to and including ``<sheetData>``, where the rows
    start and end in ``data``, the text from ``</sheetData>`` on).  An empty ``<sheetData/>`` is
    opened and closed; ``p`` is the part's namespace prefix (``"x:"`` or ``""``)."""
    pb = p.encode("utf-8")
    m_open = re.compile(rb"<%ssheetData\b[^>]*?(/?)>" % pb).search(data)
    if m_open is None:
        raise PackageError("sheetData")
    if m_open.group(1):  # <sheetData/>
        at = m_open.end()
        return (data[:m_open.start()].decode("utf-8") + f"<{p}sheetData>", at, at,
                f"</{p}sheetData>" + data[at:].decode("utf-8"))
    body_start = m_open.end()
    body_end = data.find(b"</%ssheetData>" % pb, body_start)
    if body_end < 0:
        raise PackageError("sheetData")
    return data[:body_start].decode("utf-8"), body_start, body_end, data[body_end:].decode("utf-8")

def edit_sheet_pieces(data: bytes, edits: Mapping[tuple[int, int], tuple[object, int | None]], st: _Styles,
                      date1904: bool = False, grow_rows: bool = True) -> tuple[list[bytes], int, int]:
    """:func:`edit_sheet_xml` as a list of byte pieces whose concatenation is the new part.

    The sheet is walked as bytes (a 100k-row sheet is ~70 MB of XML): rows not
    edited are sliced through unchanged, only an edited row is decoded, edited
    and encoded again; no whole-sheet text copy is made, so the peak memory is
    the part as read plus the pieces written (``Package.put`` takes them as they
    are and the zip writer streams them).  ``grow_rows``: a row whose written text
    wraps grows to fit (the output sheets); ``fill``'s block on the desk's own sheet
    keeps her row heights (:mod:`refund_xl._files.xlsxstream`).
    """
    m_root = re.search(rb"<(?:(\w+):)?worksheet\b", data)  # the first match: near the start
    if m_root is None:
        raise PackageError("worksheet")
    p = m_root.group(1).decode("utf-8") + ":" if m_root.group(1) else ""
    pb = p.encode("utf-8")
    managed = st.managed
    by_row: dict[int, dict[int, tuple[object, int | None]]] = {}
    for (r, c), e in edits.items():
        row_edits = by_row.get(r + 1)
        if row_edits is None:
            row_edits = by_row[r + 1] = {}
        row_edits[c + 1] = e
    head, body_start, body_end, tail = split_sheet_data(data, p)

    row_re = re.compile(rb"<%srow\b([^>]*?)(/?)>" % pb)
    row_close = b"</%srow>" % pb
    out: list[bytes] = []
    pos = body_start
    seq = 0
    last_row = 0
    pending = sorted(by_row)
    pi = 0

    widths: list[float] | None = None

    def wrapped_height(r: int) -> float:
        """Points the wrapped text written into row ``r`` needs (0: one line does)."""
        nonlocal widths
        if not grow_rows:
            return 0
        wrapped = {c - 1 for c, (v, s) in by_row[r].items() if st.wrap and s == st.wrap and isinstance(v, str)}
        if not wrapped:
            return 0
        if widths is None:
            widths = _col_widths(head, p)
        values: list[object] = [None] * (max(by_row[r]) + 1)
        for c, (v, _s) in by_row[r].items():
            values[c - 1] = v
        return _row_height(values, wrapped, widths + [8.43] * (len(values) - len(widths)))

    def new_row(r: int) -> bytes:
        cells = "".join(_edit_cell(None, f"{col_letter(c)}{r}", v, s, st, managed, p, date1904)
                        for c, (v, s) in sorted(by_row[r].items()) if v is not KEEP)
        if not cells:
            return b""
        # an appended row whose text wraps gets the height of its lines, as a new sheet's rows do
        height = wrapped_height(r)
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        return f'<{p}row r="{r}"{ht}>{cells}</{p}row>'.encode("utf-8")

    def taller(row_attrs: str, r: int) -> str:
        """A row whose rewritten text wraps onto more lines grows to fit (never shrinks: a desk may size rows)."""
        height = wrapped_height(r)
        if not height:
            return row_attrs
        old = _attrs(row_attrs).get("ht")
        try:
            if old is not None and float(old) >= height:
                return row_attrs
        except ValueError:
            pass
        row_attrs = re.sub(r'\s(ht|customHeight)="[^"]*"', "", row_attrs)
        return f'{row_attrs} ht="{height:g}" customHeight="1"'

    for m in row_re.finditer(data, body_start, body_end):
        row_attrs = m.group(1).decode("utf-8")
        attrs = _attrs(row_attrs)
        r = int(attrs["r"]) if "r" in attrs else seq + 1
        seq = r
        if m.group(2):
            end = m.end()
            inner = None
        else:
            close = data.find(row_close, m.end(), body_end)
            if close < 0:
                raise PackageError("row")
            end = close + len(row_close)
            inner = close
        last_row = max(last_row, r)
        while pi < len(pending) and pending[pi] < r:
            out.append(data[pos:m.start()])
            pos = m.start()
            out.append(new_row(pending[pi]))
            pi += 1
        if pi < len(pending) and pending[pi] == r:
            out.append(data[pos:m.start()])
            text = None if inner is None else data[m.end():inner].decode("utf-8")
            out.append(_edit_row(taller(row_attrs, r), text, r, by_row[r], st, managed, p, date1904).encode("utf-8"))
            pos = end
            pi += 1
        else:
            # a row without r is numbered by its place: give it its number before rows are inserted
            if "r" not in attrs and pi < len(pending):
                out.append(data[pos:m.start()])
                out.append(f'<{p}row r="{r}"'.encode("utf-8") + data[m.start() + len(pb) + 4:end])
                pos = end
    out.append(data[pos:body_end])
    while pi < len(pending):
        out.append(new_row(pending[pi]))
        pi += 1
    old_last = last_row
    last_row = max([last_row, *(r for r in by_row if any(v is not KEEP and v is not None
                                                          for v, _s in by_row[r].values()))])
    last_col = max((c for cs in by_row.values() for c in cs), default=1)
    # the dimension sits before the rows and the autofilter after them (schema order)
    head, n_dim, n_filter = _grow_refs(head, p, last_row, last_col, old_last)
    if not (n_dim and n_filter):
        tail = _grow_refs(tail, p, last_row, last_col, old_last, dimension=not n_dim, autofilter=not n_filter)[0]
    return [head.encode("utf-8"), *out, tail.encode("utf-8")], old_last, last_row


def _col_widths(xml: str, p: str) -> list[float]:
    """A sheet's column widths (characters) from its ``<cols>``; 8.43 where none is set."""
    widths: list[float] = []
    for m in re.finditer(r"<%scol\b([^>]*?)/?>" % p, xml):
        a = _attrs(m.group(1))
        try:
            lo, hi, w = int(a["min"]), int(a["max"]), float(a.get("width", 8.43))
        except (KeyError, ValueError):
            continue
        hi = min(hi, lo + 200)
        while len(widths) < hi:
            widths.append(8.43)
        for c in range(lo, hi + 1):
            widths[c - 1] = w
    return widths


def _grow_refs(xml: str, p: str, last_row: int, last_col: int, old_last: int = 0, dimension: bool = True,
               autofilter: bool = True) -> tuple[str, int, int]:
    """The sheet's dimension (rows and columns) covers the cells that were added; its autofilter grows
    (rows only) when rows were appended directly under it, as a Table does: a filter the staff set over
    part of the sheet, or cells written inside the rows it had (``fill``), leave its range as it is.

    Returns (xml, dimensions found, autofilters found)."""

    def grown(widen: bool):
        def grow(m):
            try:
                a, _, b = m.group(2).partition(":")
                r1, c1 = _split_ref(a)
                r2, c2 = _split_ref(b or a)
            except PackageError:
                return m.group(0)
            if not widen and r2 < old_last:  # the filter ends above the rows appended: not its rows
                return m.group(0)
            c2 = max(c2, last_col) if widen else c2
            return f'{m.group(1)}{col_letter(c1)}{r1}:{col_letter(c2)}{max(r2, last_row)}"'
        return grow

    n_dim = n_filter = 0
    if dimension:
        xml, n_dim = re.subn(r'(<%sdimension\b[^>]*?\sref=")([^"]*)"' % p, grown(True), xml, count=1)
    if autofilter:
        xml, n_filter = re.subn(r'(<%sautoFilter\b[^>]*?\sref=")([^"]*)"' % p, grown(False), xml, count=1)
    return xml, n_dim, n_filter


_CELL_RE_CACHE: dict[str, re.Pattern] = {}
_LAST_REF = re.compile(r'[^>]*?\br="([A-Z]{1,3})\d+"')


def _edit_row(row_attrs: str, inner: str | None, r: int, edits: Mapping[int, tuple[object, int | None]],
              st: _Styles, managed: set[int], p: str, date1904: bool) -> str:
    if inner and KEEP not in [v for v, _s in edits.values()]:
        # the common case of a fill: every cell goes after the row's last cell (no parsing of the row)
        at = inner.rfind(f"<{p}c ")
        m = _LAST_REF.match(inner, at + len(p) + 3) if at >= 0 else None
        tail = inner[inner.rfind(">") + 1:] if inner else ""
        if m is not None and not tail.strip() and min(edits) > _col_number(m.group(1)) and \
                inner.endswith((f"</{p}c>", "/>")):
            kept = re.sub(r'\sspans="[^"]*"', "", row_attrs)
            new = "".join(_edit_cell(None, f"{col_letter(c)}{r}", v, s, st, managed, p, date1904)
                          for c, (v, s) in sorted(edits.items()))
            return f"<{p}row{kept}>" + inner + new + f"</{p}row>"
    cre = _CELL_RE_CACHE.get(p)
    if cre is None:
        cre = _CELL_RE_CACHE[p] = re.compile(r"<%sc\b([^>]*?)(?:/>|>(.*?)</%sc>)" % (p, p), re.S)
    cells: list[tuple[int, str]] = []
    rest = ""
    seq = 0
    if inner:
        pos = 0
        for m in cre.finditer(inner):
            between = inner[pos:m.start()]
            if between.strip():  # something other than cells (extLst …): keep it after the cells
                rest += between
            pos = m.end()
            cell_attrs = _attrs(m.group(1))
            c = _split_ref(cell_attrs["r"])[1] if "r" in cell_attrs else seq + 1
            seq = c
            text = m.group(0)
            if "r" not in cell_attrs:
                text = f'<{p}c r="{col_letter(c)}{r}"' + text[len(p) + 2:]
            cells.append((c, text))
        rest += inner[pos:] if inner[pos:].strip() else ""
    have = {c for c, _t in cells}
    out: list[tuple[int, str]] = []
    for c, text in cells:
        if c in edits:
            out.append((c, _edit_cell(text, f"{col_letter(c)}{r}", *edits[c], st, managed, p, date1904)))
        else:
            out.append((c, text))
    for c, (v, s) in edits.items():
        if c not in have and v is not KEEP:
            out.append((c, _edit_cell(None, f"{col_letter(c)}{r}", v, s, st, managed, p, date1904)))
    out.sort(key=lambda t: t[0])
    attrs = re.sub(r'\sspans="[^"]*"', "", row_attrs)  # an optional hint that would now be wrong
    if not re.search(r'(?:^|\s)r="', attrs):
        attrs = f' r="{r}"' + attrs
    return f"<{p}row{attrs}>" + "".join(t for _c, t in out) + rest + f"</{p}row>"


def _edit_cell(old: str | None, ref: str, value: object, style: int | None, st: _Styles,
               managed: set[int], p: str, date1904: bool) -> str:
    old_style = 0
    if old is not None:
        m = re.search(r'\ss="(\d+)"', old[:old.find(">") + 1])
        old_style = int(m.group(1)) if m else 0
    desk_style = old_style not in managed
    if value is KEEP:
        if old is None or desk_style or style is None or style == old_style:
            return old or ""
        head_end = old.find(">")
        head = old[:head_end]
        closing = head.endswith("/")
        head = re.sub(r'\ss="\d+"', "", head.rstrip("/"))
        if style:
            head += f' s="{style}"'
        return head + ("/" if closing else "") + old[head_end:]
    if desk_style:
        use = old_style
    elif style is not None:
        use = style
    elif isinstance(value, (datetime, date)):
        use = st.date_style(value)
    else:
        use = 0 if old_style in managed else old_style
    was_text = old is not None and re.search(r'\st="(?:s|inlineStr|str)"', old[:old.find(">") + 1]) is not None
    return _cell(ref, value, use, st, p, date1904, desk_style, was_text)


# ----------------------------------------------------------------- chart parts

def _chart_parts(sheet_name: str, chart: ChartSpec) -> tuple[bytes, bytes, bytes]:
    """(drawing xml, drawing rels xml, chart xml) from openpyxl's chart writer."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name
    bar = BarChart()
    bar.type = "bar"  # horizontal bars: long Chinese labels stay readable
    bar.style = 10
    bar.title = chart.title
    bar.legend = None
    n = chart.last_row - chart.first_row + 1
    bar.height = max(7.5, 0.45 * n + 2)
    bar.width = 18
    data = Reference(ws, min_col=chart.value_col, min_row=chart.header_row, max_row=chart.last_row)
    cats = Reference(ws, min_col=chart.label_col, min_row=chart.first_row, max_row=chart.last_row)
    bar.add_data(data, titles_from_data=True)
    bar.set_categories(cats)
    bar.y_axis.majorGridlines = None
    bar.x_axis.scaling.orientation = "maxMin"  # first action on top
    bar.y_axis.delete = False
    bar.x_axis.delete = False
    bar.x_axis.tickLblSkip = 1  # every action's label, not every other one
    ws.add_chart(bar, chart.anchor)
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        names = z.namelist()
        drawing = next(n for n in names if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n))
        chart_name = next(n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        return z.read(drawing), z.read(_rels_path(drawing)), z.read(chart_name)


# ----------------------------------------------------------------- package

class DamagedPart(PackageError):
    """A zip entry that fails its header or CRC check: the file's bytes are damaged."""

    def __init__(self, part: str):
        super().__init__(part)
        self.part = part


_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)  # RuntimeError: an encrypted entry


def part_key(name: str) -> str:
    """A part name as OPC compares them: '/'-separated, without a leading '/', case-insensitive."""
    return name.replace("\\", "/").lstrip("/").lower()


class Package:
    """A package held as bytes (read once); parts changed in memory; written out whole.

    Part names are looked up as OPC compares them (case-insensitively, a
    backslash read as '/'): ``xl/worksheets/sheet1.xml`` finds the entry
    ``xl/worksheets/Sheet1.xml``, and a part written under a name that exists
    in another spelling replaces that entry under its own spelling.
    """

    def __init__(self, source: bytes | str | Path):
        self.data = source if isinstance(source, bytes) else Path(source).read_bytes()
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(self.data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise PackageError(str(exc)) from None
        self.infos = {i.filename: i for i in infos}
        # an entry name twice in the zip: written once, with the content zipfile reads (the last one)
        self.order = list(dict.fromkeys(i.filename for i in infos))
        self._keys: dict[str, str] = {}
        for n in self.order:
            self._keys.setdefault(part_key(n), n)
        self.backslash = any("\\" in n for n in self.order)  # written by a tool that broke the zip convention
        self.changed: dict[str, bytes | list[bytes] | Callable[[], Iterator[bytes]]] = {}
        self.deleted: set[str] = set()

    def entry(self, name: str) -> str:
        """The name ``name`` has in this package (its own spelling when it exists in another one)."""
        if name in self.infos or name in self.changed:
            return name
        return self._keys.get(part_key(name), name)

    def read(self, name: str) -> bytes:
        name = self.entry(name)
        if name in self.changed:
            data = self.changed[name]
            return data if isinstance(data, bytes) else b"".join(data() if callable(data) else data)
        if name in self.deleted or name not in self.infos:
            raise PackageError(f"missing part {name}")
        try:
            return self.zip.read(name)
        except _ZIP_ERRORS:
            raise DamagedPart(name) from None

    def open(self, name: str):
        """A stream of an original part (its CRC is checked when it is read to the end)."""
        name = self.entry(name)
        try:
            return self.zip.open(self.infos[name])
        except KeyError:
            raise PackageError(f"missing part {name}") from None
        except _ZIP_ERRORS:
            raise DamagedPart(name) from None

    def verify(self, limit: int = 32 << 20) -> None:
        """Every entry's header, and the CRC of every entry up to ``limit`` bytes (bigger ones are checked
        as they are streamed): :class:`DamagedPart` for the first that fails."""
        for info in self.infos.values():
            if info.is_dir():
                continue
            try:
                with self.zip.open(info) as fh:
                    if info.file_size <= limit:
                        while fh.read(1 << 20):
                            pass
            except _ZIP_ERRORS:
                raise DamagedPart(info.filename) from None

    def xml(self, name: str) -> Xml:
        return Xml(self.read(name), name)

    def has(self, name: str) -> bool:
        name = self.entry(name)
        return (name in self.infos or name in self.changed) and name not in self.deleted

    def put(self, name: str, data: bytes | str | list[bytes] | Callable[[], Iterator[bytes]]) -> None:
        """A part's new content: bytes, text, a list of byte pieces (written one after the other), or a
        function giving the pieces as they are written (a big new sheet: made while it is saved)."""
        name = self.entry(name)
        self.changed[name] = data.encode("utf-8") if isinstance(data, str) else data
        self.deleted.discard(name)
        self._keys.setdefault(part_key(name), name)

    def size(self, name: str) -> int:
        """A part's uncompressed size as read (0 when unknown)."""
        info = self.infos.get(name)
        return info.file_size if info is not None else 0

    def delete(self, name: str) -> None:
        name = self.entry(name)
        self.deleted.add(name)
        self.changed.pop(name, None)

    def is_new(self, name: str) -> bool:
        name = self.entry(name)
        return name not in self.infos and name in self.changed

    def names(self) -> list[str]:
        out = [n for n in self.order if n not in self.deleted]
        out += [n for n in self.changed if n not in self.infos]
        return out

    def save(self, dest: str | Path | io.BufferedIOBase) -> None:
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for name in self.names():
                if name in self.changed:
                    info = self.infos.get(name)
                    zi = zipfile.ZipInfo(name, date_time=info.date_time if info else (1980, 1, 1, 0, 0, 0))
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    data = self.changed[name]
                    if isinstance(data, bytes):
                        zout.writestr(zi, data, compresslevel=1)
                        continue
                    # pieces: streamed into the entry (the same bytes as writestr of their join)
                    _fast_level(zi)
                    if callable(data):  # made now: the size is known only at the end (< 2 GB: no zip64)
                        with zout.open(zi, "w", force_zip64=getattr(data, "zip64", False)) as dst:
                            for piece in data():
                                dst.write(piece)
                        continue
                    zi.file_size = sum(len(piece) for piece in data)
                    with zout.open(zi, "w") as dst:
                        for piece in data:
                            dst.write(piece)
                else:
                    info = self.infos[name]
                    with self.open(name) as src, zout.open(_copy_info(info), "w") as dst:
                        while True:
                            try:
                                chunk = src.read(1 << 20)
                            except _ZIP_ERRORS:  # the original's bytes, not the disk written to
                                raise DamagedPart(name) from None
                            if not chunk:
                                break
                            dst.write(chunk)


_Package = Package


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    zi.compress_type = zipfile.ZIP_DEFLATED if info.compress_type != zipfile.ZIP_STORED else zipfile.ZIP_STORED
    zi.external_attr = info.external_attr
    _fast_level(zi)
    return zi


def _fast_level(zi: zipfile.ZipInfo) -> None:
    for attr in ("compress_level", "_compresslevel"):  # a fast level for parts written (3.13 / older name)
        try:
            setattr(zi, attr, 1)
            break
        except AttributeError:
            continue


class Rels:
    """A relationships part."""

    def __init__(self, pkg: Package, owner: str):
        self.pkg, self.owner, self.name = pkg, owner, _rels_path(owner)
        if pkg.has(self.name):
            self.x = pkg.xml(self.name)
        else:
            self.x = Xml(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         f'<Relationships xmlns="{_NS_PKG}"/>'.encode())

    def items(self) -> list:
        return self.x.all("Relationship", _NS_PKG)

    def targets(self, type_suffix: str) -> list[tuple[str, str]]:
        """(id, part) of the internal relationships whose type ends with ``type_suffix``."""
        return [(e.getAttribute("Id"), _resolve(self.owner, e.getAttribute("Target"))) for e in self.items()
                if e.getAttribute("Type").endswith(type_suffix) and e.getAttribute("TargetMode") != "External"]

    def add(self, type_: str, target_part: str) -> str:
        ids = {e.getAttribute("Id") for e in self.items()}
        n = 1
        while f"rId{n}" in ids:
            n += 1
        e = self.x.new(self.x.root, "Relationship")
        e.setAttribute("Id", f"rId{n}")
        e.setAttribute("Type", type_)
        e.setAttribute("Target", "/" + target_part)
        self.x.root.appendChild(e)
        return f"rId{n}"

    def remove(self, rid: str) -> None:
        for e in self.items():
            if e.getAttribute("Id") == rid:
                e.parentNode.removeChild(e)

    def save(self) -> None:
        self.pkg.put(self.name, self.x.bytes())


class ContentTypes:
    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.x = pkg.xml("[Content_Types].xml")

    def add(self, part: str, ct: str) -> None:
        self.remove(part)
        e = self.x.new(self.x.root, "Override")
        e.setAttribute("PartName", "/" + part)
        e.setAttribute("ContentType", ct)
        self.x.root.appendChild(e)

    def remove(self, part: str) -> None:
        for e in self.x.all("Override", _NS_CT):
            if part_key(e.getAttribute("PartName")) == part_key(part):
                e.parentNode.removeChild(e)

    def has_type(self, part: str) -> bool:
        """Does ``part`` have a content type (its own Override, or a Default for its extension)?"""
        if any(part_key(e.getAttribute("PartName")) == part_key(part) for e in self.x.all("Override", _NS_CT)):
            return True
        ext = posixpath.splitext(part)[1][1:].lower()
        return any(e.getAttribute("Extension").lower() == ext for e in self.x.all("Default", _NS_CT))

    def save(self) -> None:
        self.pkg.put("[Content_Types].xml", self.x.bytes())


class Book:
    """The workbook of a package: its sheets (name → part), date system, styles; edits saved by :meth:`save`."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.part = "xl/workbook.xml"
        root_rels = Rels(pkg, "")
        for e in root_rels.items():
            if e.getAttribute("Type").endswith("/officeDocument"):
                self.part = _resolve("", e.getAttribute("Target"))
        self.x = pkg.xml(self.part)
        self.rels = Rels(pkg, self.part)
        self.ct = ContentTypes(pkg)
        pr = self.x.first("workbookPr")
        self.date1904 = pr is not None and pr.getAttribute("date1904").strip().lower() in ("1", "true")
        self.sheets_el = self.x.first("sheets")
        if self.sheets_el is None:
            raise PackageError("sheets")
        self.strict = self.x.root.namespaceURI == NS_MAIN_STRICT
        self.ns_r = _NS_R_STRICT if self.strict else _NS_R
        kinds = {e.getAttribute("Id"): (e.getAttribute("Type").rsplit("/", 1)[-1],
                                        _resolve(self.part, e.getAttribute("Target")))
                 for e in self.rels.items() if e.getAttribute("TargetMode") != "External"}
        self.sheet_parts: dict[str, str] = {}
        self.other_sheets: dict[str, str] = {}  # chart pages, XLM macro sheets, dialog sheets: name → kind
        for e in Xml.children(self.sheets_el, "sheet"):
            rid = e.getAttributeNS(_NS_R, "id") or e.getAttributeNS(_NS_R_STRICT, "id")
            kind, part = kinds.get(rid, ("", ""))
            if kind == "worksheet":
                self.sheet_parts[e.getAttribute("name")] = part
            else:
                self.other_sheets[e.getAttribute("name")] = kind
        self.sheet_names = [e.getAttribute("name") for e in Xml.children(self.sheets_el, "sheet")]
        self._styles: _Styles | None = None
        self.styles_part = next((part for _rid, part in self.rels.targets("/styles")), None)

    @property
    def styles(self) -> _Styles:
        if self._styles is None:
            if self.styles_part and self.pkg.has(self.styles_part):
                data, self._styles = add_styles(self.pkg.read(self.styles_part))
                if self._styles.dates_ok:
                    self.pkg.put(self.styles_part, data)
            else:
                self._styles = _Styles()
        return self._styles

    @property
    def foreign(self) -> str | None:
        """Why this package must not be written into (None: it may): a namespace that is neither
        transitional nor Strict SpreadsheetML (Excel 2007 beta files), or backslash zip paths."""
        if self.x.root.namespaceURI not in (NS_MAIN, NS_MAIN_STRICT):
            return "namespace"
        if self.pkg.backslash:
            return "backslash"
        return None

    @property
    def sheet_ns(self) -> tuple[str, str]:
        """(main, relationships) namespaces of a new worksheet part in this package."""
        return (NS_MAIN_STRICT, _NS_R_STRICT) if self.strict else (NS_MAIN, _NS_R)

    def rel_type(self, kind: str) -> str:
        """A relationship type in this package's flavour (Strict or transitional)."""
        return f"{self.ns_r}/{kind}"

    def drop_calc_chain(self, sheets: Sequence[str] | None = None) -> None:
        """calcChain lists formula cells; Excel rebuilds it when it is missing.  With ``sheets`` it is
        dropped only when it lists a cell of one of them (its ``i`` is the sheet's sheetId)."""
        for rid, part in self.rels.targets("/calcChain"):
            if sheets is not None and self.pkg.has(part):
                ids = {e.getAttribute("sheetId") for e in Xml.children(self.sheets_el, "sheet")
                       if e.getAttribute("name") in sheets}
                listed = set(re.findall(rb'\bi="(\d+)"', self.pkg.read(part)))
                if not ids & {x.decode() for x in listed}:
                    continue
            self.pkg.delete(part)
            self.rels.remove(rid)
            self.ct.remove(part)

    def _drop_owned(self, part: str) -> None:
        rels = Rels(self.pkg, part)
        if not self.pkg.has(rels.name):
            return
        for e in rels.items():
            if e.getAttribute("TargetMode") == "External":
                continue
            target = _resolve(part, e.getAttribute("Target"))
            if target.startswith(_OWNED_DIRS) and self.pkg.has(target):
                self._drop_owned(target)
                self.pkg.delete(target)
                self.ct.remove(target)
        self.pkg.delete(rels.name)

    def _new_number(self, pattern: str) -> int:
        """The next free number of a part name pattern; names compared as OPC does (``Sheet1.xml`` is taken)."""
        nums = [int(m.group(1)) for n in self.pkg.names() if (m := re.fullmatch(pattern, part_key(n), re.I))]
        return max(nums, default=0) + 1

    def _add_chart(self, sheet_part: str, name: str, chart: ChartSpec) -> str:
        d_xml, _d_rels, c_xml = _chart_parts(name, chart)
        dn = self._new_number(r"xl/drawings/drawing(\d+)\.xml")
        cn = self._new_number(r"xl/charts/chart(\d+)\.xml")
        d_part, c_part = f"xl/drawings/drawing{dn}.xml", f"xl/charts/chart{cn}.xml"
        self.pkg.put(d_part, d_xml)
        self.pkg.put(c_part, c_xml)
        d_rels = Rels(self.pkg, d_part)
        d_rels.add(_REL_CHART, c_part)
        d_rels.save()
        self.ct.add(d_part, _CT_DRAWING)
        self.ct.add(c_part, _CT_CHART)
        s_rels = Rels(self.pkg, sheet_part)
        rid = s_rels.add(_REL_DRAWING, d_part)
        s_rels.save()
        return rid

    def add_sheet(self, spec: SheetSpec) -> None:
        """A new sheet (or a sheet of ours replaced whole, same name and place)."""
        st = self.styles
        if spec.name in self.other_sheets:  # a chart page or macro sheet of that name: never replaced
            raise PackageError(f"sheet {spec.name} is not a worksheet")
        if spec.name in self.sheet_parts:
            part = self.sheet_parts[spec.name]
            self._drop_owned(part)
        else:
            n = self._new_number(r"xl/worksheets/sheet(\d+)\.xml")
            part = f"xl/worksheets/sheet{n}.xml"
            rid = self.rels.add(self.rel_type("worksheet"), part)
            ids = [int(e.getAttribute("sheetId") or 0) for e in Xml.children(self.sheets_el, "sheet")]
            e = self.x.new(self.sheets_el, "sheet")
            e.setAttribute("name", spec.name)
            e.setAttribute("sheetId", str(max(ids, default=0) + 1))
            e.setAttributeNS(self.ns_r, f"{self.x.prefix_for(self.ns_r)}:id", rid)
            self.sheets_el.appendChild(e)
            self.ct.add(part, _CT_SHEET)
            self.sheet_parts[spec.name] = part
            self.sheet_names.append(spec.name)
        # the chart is transitional DrawingML: a Strict package gets the sheet without it
        chart = spec.chart if not self.strict else None
        drawing_rid = self._add_chart(part, spec.name, chart) if chart is not None else None
        date1904 = self.date1904
        ns = self.sheet_ns

        def pieces() -> Iterator[bytes]:
            return sheet_pieces(spec, st, drawing_rid, date1904, ns)

        pieces.zip64 = len(spec.rows) * _width(spec) > 20_000_000  # type: ignore[attr-defined]  # may pass 2 GB
        self.pkg.put(part, pieces)
        self._print_names(spec)

    def _print_names(self, spec: SheetSpec) -> None:
        """The sheet's print titles and print area (workbook-level names local to the sheet)."""
        wanted = {"_xlnm.Print_Titles": getattr(spec, "print_titles", None),
                  "_xlnm.Print_Area": getattr(spec, "print_area", None)}
        if not any(wanted.values()):
            return
        index = [e.getAttribute("name") for e in Xml.children(self.sheets_el, "sheet")].index(spec.name)
        names = self.x.first("definedNames")
        if names is None:
            names = self.x.new(self.x.root, "definedNames")
            after = ("calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                     "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")
            at = next((c for c in self.x.root.childNodes if c.nodeType == c.ELEMENT_NODE and c.localName in after),
                      None)
            self.x.root.insertBefore(names, at)
        quoted = "'" + spec.name.replace("'", "''") + "'!"
        for name, ref in wanted.items():
            for old in Xml.children(names, "definedName"):
                if old.getAttribute("name") == name and old.getAttribute("localSheetId") == str(index):
                    names.removeChild(old)
            if ref:
                e = self.x.new(names, "definedName")
                e.setAttribute("name", name)
                e.setAttribute("localSheetId", str(index))
                e.appendChild(self.x.doc.createTextNode(",".join(quoted + part for part in ref.split(","))))
                names.appendChild(e)

    def edit_sheet(self, name: str, edits: Mapping[tuple[int, int], tuple[object, int | None]],
                   chart: ChartSpec | None = None) -> None:
        """Change the named cells of an existing sheet; its Tables and its autofilter (with the workbook's
        ``_FilterDatabase`` name) grow with rows appended directly under them."""
        part = self.sheet_parts[name]
        data = self.pkg.read(part)
        pieces, old_last, last = edit_sheet_pieces(data, edits, self.styles, self.date1904)
        new: bytes | list[bytes] = pieces
        del data
        if chart is not None and not self.strict:
            new = self._update_chart(part, name, chart, b"".join(pieces))
        self.pkg.put(part, new)
        self.grew(name, old_last, last, new[-1] if isinstance(new, list) else new[-4096:])

    def grew(self, name: str, old_last: int, last: int, tail: bytes) -> None:
        """After rows were appended to sheet ``name`` (last row ``old_last`` → ``last``): its Tables grow
        over them, and its ``_FilterDatabase`` name follows its autofilter (``tail``: the part's bytes
        after its rows, where the autofilter is)."""
        if last <= old_last:
            return
        self._grow_tables(self.sheet_parts[name], old_last, last)
        m = re.search(rb'<(?:\w+:)?autoFilter\b[^>]*?\sref="([^"]+)"', tail)
        if m:
            self._filter_name(name, m.group(1).decode("utf-8"))

    def _filter_name(self, sheet: str, ref: str) -> None:
        """The hidden ``_xlnm._FilterDatabase`` name of ``sheet`` follows its autofilter's range."""
        index = str(self.sheet_names.index(sheet)) if sheet in self.sheet_names else None
        try:
            a, _, b = ref.partition(":")
            r1, c1 = _split_ref(a)
            r2, c2 = _split_ref(b or a)
        except PackageError:
            return
        quoted = "'" + sheet.replace("'", "''") + "'"
        area = f"${col_letter(c1)}${r1}:${col_letter(c2)}${r2}"
        for e in self.x.all("definedName"):
            if e.getAttribute("name") == "_xlnm._FilterDatabase" and e.getAttribute("localSheetId") == index:
                text = "".join(c.data for c in e.childNodes if c.nodeType == c.TEXT_NODE)
                if text.endswith("!" + area):
                    continue
                for child in list(e.childNodes):
                    e.removeChild(child)
                e.appendChild(self.x.doc.createTextNode(f"{quoted}!{area}"))

    def replace_data(self, spec: SheetSpec) -> None:
        """A snapshot sheet of ours: its rows replaced whole, everything around them kept."""
        part = self.sheet_parts[spec.name]
        xml = self.pkg.read(part).decode("utf-8")
        p = _sheet_prefix(xml)
        m_open = re.search(r"<%ssheetData\b[^>]*?(/?)>" % p, xml)
        if m_open is None:
            raise PackageError("sheetData")
        if m_open.group(1):
            head, tail = xml[:m_open.start()], xml[m_open.end():]
        else:
            close = xml.find(f"</{p}sheetData>", m_open.end())
            if close < 0:
                raise PackageError("sheetData")
            head, tail = xml[:m_open.start()], xml[close + len(f"</{p}sheetData>"):]
        body = rows_xml(spec, self.styles, self.date1904, p)
        width = max((len(r) for r in spec.rows), default=1) or 1
        dim = f"A1:{col_letter(width)}{max(len(spec.rows), 1)}"
        head = re.sub(r'(<%sdimension\b[^>]*?\sref=")[^"]*"' % p, lambda m: m.group(1) + dim + '"', head, count=1)
        new = (head + f"<{p}sheetData>" + body + f"</{p}sheetData>" + tail).encode("utf-8")
        if spec.chart is not None and not self.strict:
            new = self._update_chart(part, spec.name, spec.chart, new)
        self.pkg.put(part, new)

    def _update_chart(self, part: str, name: str, chart: ChartSpec, xml: bytes) -> bytes:
        """Our chart redrawn over the counts' new rows; a sheet with a drawing of the desk's is left alone."""
        s_rels = Rels(self.pkg, part)
        drawings = s_rels.targets("/drawing")
        if drawings:
            for _rid, d_part in drawings:
                for _cid, c_part in Rels(self.pkg, d_part).targets("/chart"):
                    if self.pkg.has(c_part) and chart.title.encode("utf-8") in self.pkg.read(c_part):
                        self.pkg.put(c_part, _chart_parts(name, chart)[2])
            return xml
        rid = self._add_chart(part, name, chart)
        text = xml.decode("utf-8")
        p = _sheet_prefix(text)
        rp = re.search(r'xmlns:(\w+)="%s"' % re.escape(_NS_R), text)
        if rp is None:
            text = re.sub(r"<(%sworksheet)\b" % p, lambda m: f'<{m.group(1)} xmlns:r="{_NS_R}"', text, count=1)
            rpre = "r"
        else:
            rpre = rp.group(1)
        element = f'<{p}drawing {rpre}:id="{rid}"/>'
        at = None
        for tag in _AFTER_DRAWING:
            m = re.search(r"<%s%s\b" % (p, tag), text)
            if m and (at is None or m.start() < at):
                at = m.start()
        if at is None:
            at = text.rfind(f"</{p}worksheet>")
        return (text[:at] + element + text[at:]).encode("utf-8")

    def _grow_tables(self, part: str, old_last: int, last: int) -> None:
        for _rid, t_part in Rels(self.pkg, part).targets("/table"):
            if not self.pkg.has(t_part):
                continue
            t = self.pkg.xml(t_part)
            ref = t.root.getAttribute("ref")
            try:
                a, _, b = ref.partition(":")
                r1, c1 = _split_ref(a)
                r2, c2 = _split_ref(b)
            except PackageError:
                continue
            totals = t.root.getAttribute("totalsRowCount") not in ("", "0")
            if r2 < old_last or totals:  # rows appended directly under the Table only
                continue
            new_ref = f"{col_letter(c1)}{r1}:{col_letter(c2)}{last}"
            t.root.setAttribute("ref", new_ref)
            af = Xml.children(t.root, "autoFilter")
            if af:
                af[0].setAttribute("ref", new_ref)
            self.pkg.put(t_part, t.bytes())

    def save(self) -> None:
        self.pkg.put(self.part, self.x.bytes())
        self.rels.save()
        # every part added has a content type (a package that declares its .rels parts one by one, as
        # LibreOffice 3.3-4.1 wrote them, gets an Override for each new one); a part deleted loses its own
        for name in self.pkg.names():
            if self.pkg.is_new(name) and name != "[Content_Types].xml" and not self.ct.has_type(name):
                self.ct.add(name, _CT_RELS if name.lower().endswith(".rels") else "application/xml")
        for name in self.pkg.deleted:
            self.ct.remove(name)
        self.ct.save()


def patch_workbook(source: str | Path | bytes, dest: str | Path, sheets: Sequence[SheetSpec]) -> None:
    """Write ``source`` to ``dest`` with ``sheets`` added (or replaced whole, by name)."""
    pkg = Package(source)
    book = Book(pkg)
    book.drop_calc_chain()
    for spec in sheets:
        book.add_sheet(spec)
    book.save()
    pkg.save(Path(dest) if not isinstance(dest, io.IOBase) else dest)
