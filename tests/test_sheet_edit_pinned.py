"""The sheet writer's output is pinned: editing a 2,000-row sheet gives the same bytes as before.

`refund-xl fill` on a 100k-row book used to hold several whole copies of the
sheet's XML as text; the writer now walks the part as bytes and streams pieces
into the zip (docs/performance.md).  What it writes must not change: the
digests below were taken from the writer before that change (commit 98b08b9)
on the same sheet and edits, which are built here from fixed data only (no
engine words, so a change of labels elsewhere does not move them).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime, timedelta

from refund_xl._files.xlsxpatch import KEEP, Package, _Styles, edit_sheet_pieces, edit_sheet_xml

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROWS = 2000
T0 = datetime(2025, 6, 1, 8, 30)
WORDS = ["仅退款", "退货退款", "已签收", "运输中", "拦截成功", "客户说没收到 & 要退", "<待核实>", " 前后有空格 ",
         "换行\n第二行", "Tom's 'quote'"]

# sha256 of the edited sheet XML, from the writer at 98b08b9 (see the module's docstring), with two
# deliberate changes: issue 19's — the sheet's autoFilter (A1:F2000) ends above its last row (2001), so the
# row appended at 2011 is not its row and the filter stays A1:F2000 (it grew to A1:F2011 before) — and
# session 48's: a time written over a desk's cell whose number format shows no date (style 1 here: no
# format known) gets the product's date format (s="10"), never a bare serial a person reads as 45809.35
# (86 cells of column C); every other byte is the writer's of 98b08b9
PINNED = {
    "plain": "86ec66a696b3b36f7197b1c6fc59af2ba4f792e3b62595f812c00b45f6e1cdef",
    "prefixed": "0ec7d59b7ff60caa1d2dfbc7cd4307865601011a991b48e80a1f8412a81b51c1",
}


def _sheet(prefix: str = "") -> bytes:
    """A tracking sheet: 2,000 rows, spans hints, styles, a shared formula, rows without ``r``, an empty
    row, a gap, an autofilter and merged cells after the rows."""
    p = prefix
    ns = f'xmlns:{p[:-1]}="{MAIN}"' if p else f'xmlns="{MAIN}"'
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {ns}>'
           f'<{p}dimension ref="A1:F{ROWS}"/><{p}sheetViews><{p}sheetView workbookViewId="0"/></{p}sheetViews>'
           f"<{p}sheetData>"]
    out.append(f'<{p}row r="1" spans="1:6">' + "".join(
        f'<{p}c r="{c}1" t="inlineStr" s="3"><{p}is><{p}t>{h}</{p}t></{p}is></{p}c>'
        for c, h in zip("ABCDEF", ["订单号", "售后类型", "申请时间", "退款金额", "物流状态", "合计"])) + f"</{p}row>")
    for r in range(2, ROWS + 1):
        if r % 97 == 0:
            continue  # a gap: the row is not in the part at all
        if r % 89 == 0:
            out.append(f'<{p}row r="{r}" ht="20" customHeight="1"/>')
            continue
        word = WORDS[r % len(WORDS)].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        cells = [f'<{p}c r="A{r}" t="inlineStr"><{p}is><{p}t>70263321{r:06d}</{p}t></{p}is></{p}c>',
                 f'<{p}c r="B{r}" t="inlineStr"><{p}is><{p}t xml:space="preserve">{word}</{p}t></{p}is></{p}c>',
                 f'<{p}c r="C{r}" s="1"><{p}v>{45810 + r / 1000!r}</{p}v></{p}c>',
                 f'<{p}c r="D{r}"><{p}v>{(r * 37) % 500 + 0.5!r}</{p}v></{p}c>']
        if r % 3:
            cells.append(f'<{p}c r="E{r}" t="s"><{p}v>{r % 7}</{p}v></{p}c>')
        if r == 2:
            cells.append(f'<{p}c r="F2"><{p}f t="shared" ref="F2:F{ROWS}" si="0">D2*2</{p}f><{p}v>1</{p}v></{p}c>')
        elif r % 5 == 0:
            cells.append(f'<{p}c r="F{r}"><{p}f t="shared" si="0"/><{p}v>{r}</{p}v></{p}c>')
        out.append(f'<{p}row r="{r}" spans="1:6">' + "".join(cells) + f"</{p}row>")
    out.append(f"<{p}row><{p}c><{p}v>9</{p}v></{p}c><{p}c><{p}v>10</{p}v></{p}c></{p}row>")  # row ROWS+1, no r
    out.append(f"</{p}sheetData><{p}autoFilter ref=\"A1:F{ROWS}\"/><{p}mergeCells count=\"1\">"
               f'<{p}mergeCell ref="G1:H1"/></{p}mergeCells><{p}pageMargins left="0.7" right="0.7" top="0.75" '
               f'bottom="0.75" header="0.3" footer="0.3"/></{p}worksheet>')
    return "".join(out).encode("utf-8")


def _edits(keep: object = KEEP) -> dict[tuple[int, int], tuple[object, int | None]]:
    """A fill's result columns (H…K) on every row, plus the batch's kinds of edit: cells replaced in
    place, cleared, styled only (KEEP), rows inserted into a gap and appended below the sheet."""
    edits: dict[tuple[int, int], tuple[object, int | None]] = {(0, k): (f"结果{k}", 9) for k in range(7, 11)}
    for r0 in range(1, ROWS + 3):
        r = r0 + 1
        edits[(r0, 7)] = (WORDS[(r * 7) % len(WORDS)], None)
        edits[(r0, 8)] = ((r * 13) % 72 - 0.25 if r % 4 else None, None)
        edits[(r0, 9)] = (T0 + timedelta(hours=r) if r % 6 else "", None)
        if r % 11 == 0:
            edits[(r0, 10)] = (r % 2 == 0, None)
        if r % 13 == 0:
            edits[(r0, 1)] = (f"改{WORDS[r % len(WORDS)]}", None)  # a cell replaced in place
        if r % 17 == 0:
            edits[(r0, 4)] = (None, None)  # cleared
        if r % 19 == 0:
            edits[(r0, 0)] = (keep, 9)  # the style only
        if r % 23 == 0:
            edits[(r0, 2)] = (T0, 12)  # a date over a cell with the desk's style 1
    edits[(ROWS + 10, 2)] = ("远处的一行", None)
    return edits


def _digest(prefix: str) -> tuple[str, bytes]:
    st = _Styles(header=9, date=10, wrap=11, plain=12, dates_ok=True)
    out, old_last, last = edit_sheet_xml(_sheet(prefix), _edits(), st)
    assert (old_last, last) == (ROWS + 1, ROWS + 11)
    return hashlib.sha256(out).hexdigest(), out


def test_the_edited_sheet_is_byte_for_byte_what_the_writer_wrote_before():
    for name, prefix in (("plain", ""), ("prefixed", "x:")):
        digest, out = _digest(prefix)
        assert digest == PINNED[name], f"{name}: the sheet writer's output changed ({len(out)} bytes)"


def test_an_empty_sheet_data_without_a_dimension_as_before():
    xml = f'<worksheet xmlns="{MAIN}"><sheetData/><autoFilter ref="A1:B1"/></worksheet>'.encode()
    out = edit_sheet_xml(xml, {(2, 1): ("新", None), (0, 0): (KEEP, 9)}, _Styles(header=9, dates_ok=True))
    assert out == (f'<worksheet xmlns="{MAIN}"><sheetData><row r="3"><c r="B3" t="inlineStr"><is><t>新</t></is></c>'
                   '</row></sheetData><autoFilter ref="A1:B3"/></worksheet>'.encode(), 0, 3)


def test_the_pieces_are_the_part_and_are_zipped_as_one_part():
    st = _Styles(header=9, date=10, wrap=11, plain=12, dates_ok=True)
    pieces, _o, _l = edit_sheet_pieces(_sheet(), _edits(), st)
    whole = b"".join(pieces)
    assert whole == edit_sheet_xml(_sheet(), _edits(), st)[0]
    zips = []
    for data in (whole, pieces):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(zipfile.ZipInfo("xl/worksheets/sheet1.xml", (2025, 6, 10, 12, 0, 0)), b"<old/>")
        pkg = Package(buf.getvalue())
        pkg.put("xl/worksheets/sheet1.xml", data)
        assert pkg.read("xl/worksheets/sheet1.xml") == whole
        out = io.BytesIO()
        pkg.save(out)
        zips.append(out.getvalue())
    assert zips[0] == zips[1]  # streamed pieces: the same zip, byte for byte
    assert zipfile.ZipFile(io.BytesIO(zips[1])).read("xl/worksheets/sheet1.xml") == whole
