"""The streaming writers (refund_xl._files.xlsxstream) write what the general writers write.

* ``edit_block_pieces`` (fill's block of result cells) against ``edit_sheet_xml`` with the same
  cells as single edits: byte for byte, on the pinned 2,000-row sheet (rows without ``r``, spans
  hints, shared formulas, gaps, the ``x:`` prefix) and on generated sheets with blocks anywhere —
  left of the data, over it, past its end — with other edits mixed in.
* ``write_table_xlsx`` (evaluate's workbook, rows streamed in blocks) against ``patch_workbook``
  with the whole table: the same zip, byte for byte.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta

import xlsxwriter
from hypothesis import given, settings as hsettings, strategies as st

from refund_xl._files import xlsxstream
from refund_xl._files.xlsxpatch import KEEP, SheetSpec, _Styles, edit_sheet_xml, patch_workbook
from refund_xl._files.xlsxstream import Block, edit_block_pieces, set_widths, write_table_xlsx
from tests.test_sheet_edit_pinned import MAIN, ROWS, WORDS, _edits, _sheet

ST = _Styles(header=9, date=10, wrap=11, plain=12, dates_ok=True)
T0 = datetime(2025, 6, 1, 8, 30)
VALUES = [*WORDS, "同意退款", "规则18：已发货·运输中·59 < 高客单阈值 200", 3.5, -0.25, 12, 0.0, True, False,
          T0, None, "", "=HYPERLINK(1)", "全角\u3000空格", float("nan")]


def _as_edits(block: Block) -> dict:
    out = {}
    for i, row in enumerate(block.rows):
        for k, v in enumerate(row):
            if v is not None and v != "":
                out[(block.row0 + i, block.col0 + k)] = (v, block.styles[k] if k < len(block.styles) else None)
    return out


def _both(data: bytes, block: Block, edits: dict):
    pieces, old_last, last = edit_block_pieces(data, block, edits, ST)
    general = dict(edits)
    general.update(_as_edits(block))
    want, w_old, w_last = edit_sheet_xml(data, general, ST)
    return b"".join(pieces), want, (old_last, last), (w_old, w_last)


def _fill_block(height: int, col0: int, row0: int = 1) -> Block:
    rows = []
    for i in range(height):
        r = row0 + i + 1
        rows.append([VALUES[(r * 7 + k) % len(VALUES)] if (r + k) % 9 else "" for k in range(8)]
                    if r % 31 else [""] * 8)
    return Block(row0, col0, rows, (ST.wrap, ST.wrap, None, None, None, None, None, ST.wrap))


def test_a_fill_block_on_the_pinned_sheet_is_what_the_general_editor_writes():
    for prefix in ("", "x:"):
        data = _sheet(prefix)
        block = _fill_block(ROWS + 2, 7)
        header = {(0, 7 + k): (f"结果{k}", ST.header) for k in range(8)}
        got, want, lasts, w_lasts = _both(data, block, header)
        assert got == want and lasts == w_lasts


def test_the_pinned_edits_with_a_block_beside_them():
    data = _sheet()
    edits = {rc: e for rc, e in _edits().items() if rc[1] < 7}      # the batch's kinds of edit, left of H
    block = _fill_block(ROWS + 12, 12, row0=0)
    got, want, lasts, w_lasts = _both(data, block, edits)
    assert got == want and lasts == w_lasts


def test_a_block_over_existing_cells_goes_through_the_general_editor():
    data = _sheet()
    block = _fill_block(300, 2, row0=40)                              # over 申请时间… : cells replaced in place
    got, want, lasts, w_lasts = _both(data, block, {(45, 3): (KEEP, ST.header), (50, 4): (None, None)})
    assert got == want and lasts == w_lasts


def _gen_sheet(rows: list[tuple[int, list[int], bool, bool]], prefix: str) -> bytes:
    p = prefix
    ns = f'xmlns:{p[:-1]}="{MAIN}"' if p else f'xmlns="{MAIN}"'
    out = [f'<{p}worksheet {ns}><{p}dimension ref="A1:C3"/><{p}sheetData>']
    for r, cols, spans, self_closing in rows:
        attrs = f' r="{r}"' + (' spans="1:3"' if spans else "")
        if self_closing or not cols:
            out.append(f"<{p}row{attrs}/>")
            continue
        cells = "".join(f'<{p}c r="{chr(64 + c)}{r}" t="inlineStr"><{p}is><{p}t>v{r}{c}</{p}t></{p}is></{p}c>'
                        if c % 2 else f'<{p}c r="{chr(64 + c)}{r}" s="3"><{p}v>{r}.{c}</{p}v></{p}c>' for c in cols)
        out.append(f"<{p}row{attrs}>{cells}</{p}row>")
    out.append(f'</{p}sheetData><{p}autoFilter ref="A1:C3"/></{p}worksheet>')
    return "".join(out).encode("utf-8")


_row = st.tuples(st.lists(st.integers(1, 9), max_size=4, unique=True).map(sorted), st.booleans(),
                 st.integers(0, 9).map(lambda x: x == 0))


@hsettings(max_examples=120, deadline=None)
@given(st.lists(_row, max_size=12), st.lists(st.integers(1, 3), min_size=12, max_size=12),
       st.integers(0, 14), st.integers(0, 10), st.integers(0, 12),
       st.dictionaries(st.tuples(st.integers(0, 16), st.integers(0, 12)), st.sampled_from(VALUES + [KEEP]), max_size=6),
       st.sampled_from(["", "x:"]))
def test_any_block_on_any_sheet_is_what_the_general_editor_writes(rows, gaps, row0, col0, height, edits, prefix):
    r, sheet_rows = 0, []
    for (cols, spans, closing), gap in zip(rows, gaps):
        r += gap
        sheet_rows.append((r, cols, spans, closing))
    data = _gen_sheet(sheet_rows, prefix)
    block = _fill_block(height, col0, row0)
    edits = {rc: (v, ST.header if rc[0] % 2 else None) for rc, v in edits.items()
             if not (row0 <= rc[0] < row0 + height and col0 <= rc[1] < col0 + 8)}
    got, want, lasts, w_lasts = _both(data, block, edits)
    assert got == want and lasts == w_lasts


def test_widths_go_where_the_desk_has_none_in_column_order():
    head = f'<worksheet xmlns="{MAIN}"><sheetViews/><sheetData>'
    assert set_widths(head, {3: 12, 1: 8.5}) == (
        f'<worksheet xmlns="{MAIN}"><sheetViews/><cols><col min="1" max="1" width="8.5" customWidth="1"/>'
        '<col min="3" max="3" width="12" customWidth="1"/></cols><sheetData>')
    desk = f'<worksheet xmlns="{MAIN}"><cols><col min="2" max="4" width="30" customWidth="1"/></cols><sheetData>'
    got = set_widths(desk, {1: 8, 3: 12, 5: 9})
    assert got == (f'<worksheet xmlns="{MAIN}"><cols><col min="1" max="1" width="8" customWidth="1"/>'
                   '<col min="2" max="4" width="30" customWidth="1"/><col min="5" max="5" width="9" customWidth="1"/>'
                   '</cols><sheetData>')
    assert set_widths(desk, {2: 5}) == desk


def _shell() -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.add_worksheet("售后登记")
    book.close()
    return buf.getvalue()


def test_a_streamed_table_is_the_zip_the_whole_table_gives(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsxstream, "ROWS_PER_BLOCK", 7)              # many blocks, a short last one
    header = ["订单号", "申请时间", "退款金额", "处理动作", "判定依据", "回复话术"]
    body = [[f"{i:019d}", T0 + timedelta(hours=i), i * 1.5 if i % 5 else None, VALUES[i % len(VALUES)],
             f"规则{i}：< 200 & 完" if i % 3 else "", "很长的话术" * (i % 13)] for i in range(60)]
    body[30] = body[30][:4] + [None, None]      # a row whose wrapped cells are empty
    spec = SheetSpec("售后登记", [header, *body], widths=[20, 16, 10, 34, 46, 12], bold_rows={0},
                     wrap_cols={3, 4, 5}, freeze_row=1, autofilter_row=0)
    whole, streamed = tmp_path / "whole.xlsx", tmp_path / "streamed.xlsx"
    shell = _shell()   # one shell: XlsxWriter stamps its parts with the time it was written
    patch_workbook(shell, whole, [spec])
    write_table_xlsx(shell, streamed, SheetSpec(spec.name, [header], widths=spec.widths, bold_rows={0},
                                                   wrap_cols={3, 4, 5}, freeze_row=1, autofilter_row=0),
                     iter(body), len(body) + 1, len(header))
    assert streamed.read_bytes() == whole.read_bytes()
    assert zipfile.ZipFile(streamed).testzip() is None


def test_an_output_sheet_added_in_blocks_is_the_part_the_book_writes(monkeypatch):
    """The batch's new output sheets (回复话术 can be 77k rows): bold section rows, wrapped columns, a chart,
    a filter on the first row — the same package as ``Book.add_sheet`` writes."""
    from refund_xl._app.batch.layout import ChartSpec
    from refund_xl._files.xlsxpatch import Book, Package

    monkeypatch.setattr(xlsxstream, "ROWS_PER_BLOCK", 9)
    rows = [["动作", "数量", "说明"]] + [[VALUES[i % len(VALUES)], float(i), f"第{i}行 & <备注>" if i % 4 else None]
                                       for i in range(1, 80)]
    rows[40] = ["小节标题"]                                  # a bold row inside, shorter than the table
    specs = [SheetSpec("今日概览", rows, widths=[30, 8, 40], bold_rows={0, 40}, wrap_cols={2}, freeze_row=1,
                       autofilter_row=0, chart=ChartSpec(anchor="E2", header_row=1, first_row=2, last_row=12, label_col=1,
                                                         value_col=2, title="各动作数量")),
             SheetSpec("回复话术", [r + ["x"] for r in rows], widths=[10, 10], wrap_cols={0}, autofilter_row=None)]
    shell = _shell()
    for spec in specs:
        out = []
        for add in (lambda b, s: b.add_sheet(s), xlsxstream.add_sheet):
            pkg = Package(shell)
            book = Book(pkg)
            add(book, spec)
            book.save()
            buf = io.BytesIO()
            pkg.save(buf)
            out.append(buf.getvalue())
        assert out[0] == out[1], spec.name
