"""Add or replace whole sheets in an .xlsx/.xlsm package without loading the rest.

The daily batch writes a handful of small output sheets into a workbook whose
tracking sheet may hold 100k rows.  Loading and saving that through openpyxl
takes minutes and drops a ribbon (customUI) on the way; so the file host copies
every part of the package as it is and only writes the output sheets' XML:

* each output sheet is a fresh worksheet part (inline strings: every text is
  text, never a formula; no shared-strings table to touch);
* ``workbook.xml``, its relationships, ``[Content_Types].xml`` and
  ``styles.xml`` are edited as text (a few insertions), so namespaces, VBA
  projects, ribbons, defined names and the other sheets stay byte-for-byte;
* a sheet that already exists is replaced in place (same name, same position),
  together with the drawings/charts it owned; ``calcChain.xml`` is dropped
  (Excel rebuilds it);
* an optional bar chart is taken from openpyxl's chart writer.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Sequence
from xml.sax.saxutils import escape

from .outputs import CJK_FONT

__all__ = ["SheetSpec", "ChartRef", "patch_workbook", "excel_serial", "clean_text"]

_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_SHEET = _NS_R + "/worksheet"
_REL_DRAWING = _NS_R + "/drawing"
_REL_CHART = _NS_R + "/chart"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
_CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = datetime(1899, 12, 30)
_OWNED_DIRS = ("xl/drawings/", "xl/charts/", "xl/comments", "xl/tables/")


def clean_text(text: str) -> str:
    """Characters an XML part cannot hold are dropped (control characters)."""
    return _ILLEGAL.sub("", text)


def excel_serial(value: datetime | date) -> float:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    delta = value - _EPOCH
    return delta.days + delta.seconds / 86400.0 + delta.microseconds / 86400e6


@dataclass
class ChartRef:
    """A bar chart over a block of the sheet (1-based rows/columns)."""

    title: str
    header_row: int
    first_row: int
    last_row: int
    label_col: int
    value_col: int
    anchor: str = "E5"


@dataclass
class SheetSpec:
    name: str
    rows: Sequence[Sequence[object]]
    widths: Sequence[float] = ()
    bold_rows: set[int] = field(default_factory=set)  # 0-based
    wrap_cols: set[int] = field(default_factory=set)  # 0-based
    freeze_row: int = 0  # rows above the split (0 = none)
    autofilter_row: int | None = None  # 0-based header row of an autofilter
    chart: ChartRef | None = None


# ----------------------------------------------------------------- helpers

def _col_letter(n: int) -> str:  # 1-based
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _attr(tag: str, name: str) -> str | None:
    m = re.search(r'(?:^|\s)' + re.escape(name) + r'\s*=\s*"([^"]*)"', tag)
    return m.group(1) if m else None


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _qa(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _relationships(xml: str) -> list[str]:
    return re.findall(r"<Relationship\b[^>]*>", xml)


# ----------------------------------------------------------------- styles

@dataclass
class _Styles:
    header: int = 0
    date: int = 0
    wrap: int = 0
    plain: int = 0  # every other cell of an output sheet: the Chinese font
    dates_ok: bool = False




def _cjk_font(inner: str, bold: bool) -> str:
    """The default font's size and colour with a Chinese face (no theme scheme, which would win)."""
    inner = re.sub(r"<b/>|<b\s[^>]*/>|<name\b[^>]*/>|<scheme\b[^>]*/>|<family\b[^>]*/>|<charset\b[^>]*/>", "", inner)
    return ("<font>" + ("<b/>" if bold else "") + inner
            + f'<name val="{CJK_FONT}"/><family val="2"/><charset val="134"/></font>')


def _add_styles(xml: str) -> tuple[str, _Styles]:
    """Append (or reuse) a bold header, a date and a wrapped-text cell format."""
    try:
        # number format
        code = "yyyy-mm-dd hh:mm"
        m = re.search(r'<numFmt\b[^>]*formatCode="' + re.escape(code) + r'"[^>]*/>', xml)
        if m:
            fmt_id = int(_attr(m.group(0), "numFmtId"))
        else:
            ids = [int(i) for i in re.findall(r'<numFmt\b[^>]*numFmtId="(\d+)"', xml)]
            fmt_id = max([163, *ids]) + 1
            entry = f'<numFmt numFmtId="{fmt_id}" formatCode="{code}"/>'
            if re.search(r"<numFmts\b", xml):
                xml = xml.replace("</numFmts>", entry + "</numFmts>", 1)
            else:
                xml = re.sub(r"(<styleSheet\b[^>]*>)", lambda m: m.group(1) + '<numFmts count="1">' + entry + "</numFmts>",
                             xml, count=1)
            xml = _recount(xml, "numFmts", "numFmt")
        # bold font: the default font plus <b/>
        fonts = re.search(r"<fonts\b[^>]*>(.*?)</fonts>", xml, re.S)
        first = re.search(r"<font>(.*?)</font>|<font/>", fonts.group(1), re.S)
        inner = first.group(1) or "" if first else ""
        xml, font_id = _find_or_add(xml, "fonts", "font", _cjk_font(inner, bold=True))
        xml, cjk_id = _find_or_add(xml, "fonts", "font", _cjk_font(inner, bold=False))
        fill = '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill>'
        xml, fill_id = _find_or_add(xml, "fills", "fill", fill)
        out = _Styles(dates_ok=True)
        xml, out.header = _find_or_add(xml, "cellXfs", "xf",
                                       f'<xf numFmtId="0" fontId="{font_id}" fillId="{fill_id}" borderId="0" xfId="0" '
                                       'applyFont="1" applyFill="1"/>')
        xml, out.date = _find_or_add(xml, "cellXfs", "xf",
                                     f'<xf numFmtId="{fmt_id}" fontId="{cjk_id}" fillId="0" borderId="0" xfId="0" '
                                     'applyNumberFormat="1" applyFont="1"/>')
        xml, out.wrap = _find_or_add(xml, "cellXfs", "xf",
                                     f'<xf numFmtId="0" fontId="{cjk_id}" fillId="0" borderId="0" xfId="0" '
                                     'applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>')
        xml, out.plain = _find_or_add(xml, "cellXfs", "xf",
                                      f'<xf numFmtId="0" fontId="{cjk_id}" fillId="0" borderId="0" xfId="0" '
                                      'applyFont="1"/>')
        return xml, out
    except Exception:  # an unusual styles part: plain cells, dates written as text
        return xml, _Styles()


def _elements(body: str, tag: str) -> list[str]:
    return re.findall(r"<%s\b[^>]*/>|<%s\b[^>]*>.*?</%s>" % (tag, tag, tag), body, re.S)


def _find_or_add(xml: str, group: str, tag: str, element: str) -> tuple[str, int]:
    m = re.search(r"<%s\b[^>]*>(.*?)</%s>" % (group, group), xml, re.S)
    if m is None:
        raise ValueError(group)
    items = _elements(m.group(1), tag)
    if element in items:
        return xml, items.index(element)
    start, end = m.span(1)
    xml = xml[:end] + element + xml[end:]
    return _recount(xml, group, tag), len(items)


def _recount(xml: str, group: str, tag: str) -> str:
    m = re.search(r"<%s\b[^>]*>(.*?)</%s>" % (group, group), xml, re.S)
    n = len(_elements(m.group(1), tag))
    open_tag = re.match(r"<%s\b[^>]*>" % group, xml[m.start():]).group(0)
    if "count=" in open_tag:
        new_tag = re.sub(r'count="\d+"', f'count="{n}"', open_tag)
    else:
        new_tag = open_tag[:-1] + f' count="{n}">'
    return xml[:m.start()] + new_tag + xml[m.start() + len(open_tag):]


# ----------------------------------------------------------------- sheet XML

def _cell(ref: str, value: object, style: int, st: _Styles) -> str:
    style = style or st.plain
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, (datetime, date)):
        if st.dates_ok:
            ds = f' s="{st.date}"'
            return f'<c r="{ref}"{ds}><v>{excel_serial(value)!r}</v></c>'
        value = value.strftime("%Y-%m-%d %H:%M")
    text = clean_text(str(value))
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{escape(text)}</t></is></c>'


def _row_height(row: Sequence[object], wrap_cols: set[int], widths: Sequence[float]) -> float:
    """Points for a row whose wrapped text needs more than one line (CJK characters count double)."""
    lines = 1
    for c in wrap_cols:
        if c < len(row) and isinstance(row[c], str) and c < len(widths):
            text = row[c]
            # CJK characters count double: 3 UTF-8 bytes → 2 columns, ASCII 1 → 1
            # (C-speed; a per-character loop was 8 s of a 100k-row batch)
            width = (len(text.encode("utf-8", "replace")) + len(text)) // 2
            lines = max(lines, -(-width // max(int(widths[c]) - 1, 1)) + text.count("\n"))
    return 0 if lines == 1 else min(409.0, 15.0 * lines)


def sheet_xml(spec: SheetSpec, st: _Styles, drawing_rid: str | None) -> bytes:
    width = max((len(r) for r in spec.rows), default=1) or 1
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             f'xmlns:r="{_NS_R}">']
    last = max(len(spec.rows), 1)
    parts.append(f'<dimension ref="A1:{_col_letter(width)}{last}"/>')
    if spec.freeze_row:
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
            parts.append(f'<col min="{i}" max="{i}" width="{float(w):g}" customWidth="1"/>')
        parts.append("</cols>")
    parts.append("<sheetData>")
    letters = [_col_letter(c + 1) for c in range(width)]
    wrap_cols = spec.wrap_cols
    plain = f' s="{st.plain}"' if st.plain else ""
    wrapped = f' s="{st.wrap}"' if st.wrap else plain
    append = parts.append
    for r, row in enumerate(spec.rows):
        cells = []
        add = cells.append
        n = str(r + 1)
        bold = r in spec.bold_rows
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
            add(_cell(ref, v, style, st))
        if cells:
            ht = _row_height(row, wrap_cols, spec.widths) if wrap_cols and not bold else 0
            ht_attr = f' ht="{ht:g}" customHeight="1"' if ht else ""
            append(f'<row r="{n}"{ht_attr}>' + "".join(cells) + "</row>")
    parts.append("</sheetData>")
    if spec.autofilter_row is not None and len(spec.rows) > spec.autofilter_row:
        hdr = spec.autofilter_row + 1
        ncol = len(spec.rows[spec.autofilter_row]) or 1
        parts.append(f'<autoFilter ref="A{hdr}:{_col_letter(ncol)}{max(last, hdr)}"/>')
    parts.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    if drawing_rid:
        parts.append(f'<drawing r:id="{drawing_rid}"/>')
    parts.append("</worksheet>")
    return "".join(parts).encode("utf-8")


def _chart_parts(sheet_name: str, chart: ChartRef) -> tuple[bytes, bytes, bytes]:
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

class _Package:
    def __init__(self, source: Path):
        with zipfile.ZipFile(source) as z:
            self.infos = {i.filename: i for i in z.infolist()}
            self.order = [i.filename for i in z.infolist()]
            self.changed: dict[str, bytes] = {}
            self.small = {n: z.read(n) for n in self.order
                          if n.endswith(".rels") or n in ("[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml")}
        self.source = source
        self.deleted: set[str] = set()

    def text(self, name: str) -> str:
        data = self.changed.get(name, self.small.get(name))
        if data is None:
            with zipfile.ZipFile(self.source) as z:
                data = z.read(name)
        return data.decode("utf-8")

    def has(self, name: str) -> bool:
        return (name in self.infos or name in self.changed) and name not in self.deleted

    def put(self, name: str, data: bytes | str) -> None:
        self.changed[name] = data.encode("utf-8") if isinstance(data, str) else data
        self.deleted.discard(name)

    def delete(self, name: str) -> None:
        self.deleted.add(name)
        self.changed.pop(name, None)

    def names(self) -> list[str]:
        out = [n for n in self.order if n not in self.deleted]
        out += [n for n in self.changed if n not in self.infos]
        return out

    def save(self, dest: Path) -> None:
        with zipfile.ZipFile(self.source) as zin, \
                zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for name in self.names():
                if name in self.changed:
                    info = self.infos.get(name)
                    zi = zipfile.ZipInfo(name, date_time=info.date_time if info else (1980, 1, 1, 0, 0, 0))
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    zout.writestr(zi, self.changed[name])
                else:
                    info = self.infos[name]
                    with zin.open(info) as src, zout.open(_copy_info(info), "w") as dst:
                        while True:
                            chunk = src.read(1 << 20)
                            if not chunk:
                                break
                            dst.write(chunk)


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    zi.compress_type = zipfile.ZIP_DEFLATED if info.compress_type != zipfile.ZIP_STORED else zipfile.ZIP_STORED
    zi.external_attr = info.external_attr
    return zi


def _workbook_part(pkg: _Package) -> str:
    rels = pkg.text("_rels/.rels")
    for rel in _relationships(rels):
        if (_attr(rel, "Type") or "").endswith("/officeDocument"):
            return _resolve("", _attr(rel, "Target"))
    return "xl/workbook.xml"


def _next_number(pkg: _Package, pattern: str) -> int:
    nums = [int(m.group(1)) for n in pkg.names() if (m := re.fullmatch(pattern, n))]
    return max(nums, default=0) + 1


def _drop_owned(pkg: _Package, part: str, ct: list[str]) -> None:
    """Delete a replaced sheet's relationships and the drawings/charts it owned."""
    rels_name = _rels_path(part)
    if not pkg.has(rels_name):
        return
    for rel in _relationships(pkg.text(rels_name)):
        if _attr(rel, "TargetMode") == "External":
            continue
        target = _resolve(part, _unescape(_attr(rel, "Target") or ""))
        if target.startswith(_OWNED_DIRS) and pkg.has(target):
            _drop_owned(pkg, target, ct)
            pkg.delete(target)
            ct[0] = re.sub(r'<Override\b[^>]*PartName="/%s"[^>]*/>' % re.escape(target), "", ct[0])
    pkg.delete(rels_name)


def patch_workbook(source: str | Path, dest: str | Path, sheets: Sequence[SheetSpec]) -> None:
    """Write ``source`` to ``dest`` with ``sheets`` added (or replaced, by name)."""
    pkg = _Package(Path(source))
    wb_part = _workbook_part(pkg)
    wb_rels_name = _rels_path(wb_part)
    wb = pkg.text(wb_part)
    wb_rels = pkg.text(wb_rels_name)
    ct = [pkg.text("[Content_Types].xml")]

    # calcChain lists formula cells; replaced sheets may lose some: Excel rebuilds it.
    for rel in _relationships(wb_rels):
        if (_attr(rel, "Type") or "").endswith("/calcChain"):
            target = _resolve(wb_part, _attr(rel, "Target"))
            pkg.delete(target)
            wb_rels = wb_rels.replace(rel, "")
            ct[0] = re.sub(r'<Override\b[^>]*PartName="/%s"[^>]*/>' % re.escape(target), "", ct[0])

    styles_name = None
    for rel in _relationships(wb_rels):
        if (_attr(rel, "Type") or "").endswith("/styles"):
            styles_name = _resolve(wb_part, _attr(rel, "Target"))
    st = _Styles()
    if styles_name and pkg.has(styles_name):
        styles, st = _add_styles(pkg.text(styles_name))
        pkg.put(styles_name, styles)

    rel_targets = {_attr(r, "Id"): _resolve(wb_part, _unescape(_attr(r, "Target") or ""))
                   for r in _relationships(wb_rels)}
    existing = {}
    prefix = "r"
    for tag in re.findall(r"<sheet\b[^>]*/>", wb):
        m = re.search(r'\s(\w+):id="([^"]*)"', tag)
        if m:
            prefix = m.group(1)
            existing[_unescape(_attr(tag, "name") or "")] = (tag, m.group(2))
    sheet_ids = [int(x) for x in re.findall(r'<sheet\b[^>]*\ssheetId="(\d+)"', wb)]
    rid_nums = [int(x) for x in re.findall(r'Id="rId(\d+)"', wb_rels)]

    for spec in sheets:
        if spec.name in existing and rel_targets.get(existing[spec.name][1]):
            part = rel_targets[existing[spec.name][1]]
            _drop_owned(pkg, part, ct)
        else:
            n = _next_number(pkg, r"xl/worksheets/sheet(\d+)\.xml")
            part = f"xl/worksheets/sheet{n}.xml"
            rid_nums.append(max(rid_nums, default=0) + 1)
            rid = f"rId{rid_nums[-1]}"
            target = posixpath.relpath(part, posixpath.dirname(wb_part))
            wb_rels = wb_rels.replace("</Relationships>",
                                      f'<Relationship Id="{rid}" Type="{_REL_SHEET}" Target="{target}"/></Relationships>')
            sheet_ids.append(max(sheet_ids, default=0) + 1)
            entry = f'<sheet name="{_qa(spec.name)}" sheetId="{sheet_ids[-1]}" {prefix}:id="{rid}"/>'
            if "</sheets>" in wb:
                wb = wb.replace("</sheets>", entry + "</sheets>", 1)
            else:
                wb = re.sub(r"<sheets\s*/>", "<sheets>" + entry + "</sheets>", wb, count=1)
            existing[spec.name] = (entry, rid)
            ct[0] = ct[0].replace("</Types>", f'<Override PartName="/{part}" ContentType="{_CT_SHEET}"/></Types>')
        drawing_rid = None
        if spec.chart is not None:
            drawing_rid = "rId1"
            d_xml, d_rels, c_xml = _chart_parts(spec.name, spec.chart)
            dn = _next_number(pkg, r"xl/drawings/drawing(\d+)\.xml")
            cn = _next_number(pkg, r"xl/charts/chart(\d+)\.xml")
            d_part, c_part = f"xl/drawings/drawing{dn}.xml", f"xl/charts/chart{cn}.xml"
            pkg.put(d_part, d_xml)
            pkg.put(c_part, c_xml)
            pkg.put(_rels_path(d_part),
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'<Relationship Id="rId1" Type="{_REL_CHART}" Target="/{c_part}"/></Relationships>')
            pkg.put(_rels_path(part),
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'<Relationship Id="rId1" Type="{_REL_DRAWING}" Target="/{d_part}"/></Relationships>')
            ct[0] = ct[0].replace("</Types>", f'<Override PartName="/{d_part}" ContentType="{_CT_DRAWING}"/>'
                                              f'<Override PartName="/{c_part}" ContentType="{_CT_CHART}"/></Types>')
            del d_rels
        pkg.put(part, sheet_xml(spec, st, drawing_rid))

    pkg.put(wb_part, wb)
    pkg.put(wb_rels_name, wb_rels)
    pkg.put("[Content_Types].xml", ct[0])
    pkg.save(Path(dest))
