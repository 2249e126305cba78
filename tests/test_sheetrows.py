"""Rows removed from a desk's sheet as Excel removes them, rows appended to a big sheet (issue 23).

``refund-xl archive`` deletes rows from the tracking sheet at the zip level.  The family
tested here is "a reference follows its cell": for any set of deleted rows and any
reference (a cell, an area, whole rows; relative or absolute; from the sheet itself,
another sheet or a defined name), after the deletion the reference reads the same
cells it read before, minus the deleted ones, and a reference whose cells all went is
``#REF!``.  The sheets are built with openpyxl and read back with openpyxl (an
independent reader), the expectations computed from the grid, not from our code.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table

from refund_xl._core.errors import OutputFileError
from refund_xl._files import refs
from refund_xl._files.filebook import open_book
from refund_xl._files.files import read_sheets
from refund_xl._files.refs import RowMap, move_formula, move_sqref

ROWS, COLS = 14, 3  # data grid A1:C14 of numbers; formulas in column E


# ------------------------------------------------------------------ the text functions

@given(st.sets(st.integers(1, 30), max_size=12), st.integers(1, 30), st.integers(1, 30))
def test_a_range_keeps_exactly_its_surviving_rows(deleted, a, b):
    rows = RowMap(deleted)
    lo, hi = min(a, b), max(a, b)
    kept = [r for r in range(lo, hi + 1) if r not in deleted]
    got = rows.span(lo, hi)
    if not kept:
        assert got is None
    else:
        assert got == (rows.row(kept[0]), rows.row(kept[-1]))
        assert got[1] - got[0] + 1 == len(kept)
    for r in range(1, 31):
        assert (rows.row(r) is None) == (r in deleted)
        if r not in deleted:
            assert rows.row(r) == r - sum(1 for d in deleted if d < r)


def test_words_that_look_like_references_are_left_alone():
    rows = RowMap([2])
    keep = ['LOG10(A1)', 'ATAN2(1,2)', 'tracking_rows', '"B5 in text"', 'Table1[@[订单号]]', 'SUM($A:$A)',
            '[1]Sheet1!A9', 'Other!A9', 'INDEX($BH:$BH,5)']
    for f in keep:
        assert move_formula(f, "S", "S", rows) == f, f
    assert move_formula("A3+'S'!B4+S!C5", "X", "S", rows) == "A3+'S'!B3+S!C4"  # own X: A3 is X's
    assert move_formula("A3&\"A3\"", "S", "S", rows) == "A2&\"A3\""
    assert move_formula("A2", "S", "S", rows) == "#REF!"
    assert move_formula("SUM(2:2)+SUM(1:3)", "S", "S", rows) == "SUM(#REF!)+SUM(1:2)"


def test_relative_parts_move_for_another_cell_absolute_parts_do_not():
    assert move_formula("A2*$B$2+C$2+$D2", "S", "S", None, dr=3, dc=1) == "B5*$B$2+D$2+$D5"
    assert move_formula("A1", "S", "S", None, dr=-1) == "#REF!"


def test_areas_shrink_and_vanish():
    rows = RowMap([3, 4, 5])
    assert move_sqref("A1:B10 C3:C5 D4 E2:E3", rows) == "A1:B7 E2"


# ------------------------------------------------------------------ a desk's sheet with references

def _book(path: Path) -> dict[str, object]:
    """A tracking-like sheet: values A1:C14, formulas in E/F, and another sheet and a name reading it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    for r in range(1, ROWS + 1):
        for c in range(1, COLS + 1):
            ws.cell(r, c, r * 100 + c)
    formulas = {
        "E1": "=A5", "E2": "=$B$7", "E3": "=SUM(A2:A9)", "E4": "=SUM($C$3:$C$12)", "E5": "=A5*2",
        "E6": "=SUM(3:5)", "E7": "=SUM(B13:B14)", "E8": "=C1", "E9": "=SUM(A6:A6)", "E10": "=A14",
        "E12": "=B12+1", "E14": "=SUM(A1:C14)",
    }
    for ref, f in formulas.items():
        ws[ref] = f
    other = wb.create_sheet("汇总")
    other["A1"] = "=SUM(售后登记!A2:A9)"
    other["A2"] = "='售后登记'!B7"
    other["A3"] = "=COUNTA(售后登记!A:A)"
    wb.defined_names["amounts"] = DefinedName("amounts", attr_text="售后登记!$B$2:$B$11")
    wb.save(path)
    return formulas


_REF = re.compile(r"(?:'?[^'!=]+'?!)?\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?")


def _cells(formula: str) -> list[tuple[int, int]] | None:
    """The cells a formula of the test's shapes reads (None: #REF!)."""
    if "#REF!" in formula:
        return None
    body = formula.lstrip("=")
    m = re.fullmatch(r"SUM\((\d+):(\d+)\)", body)
    if m:
        return [(r, c) for r in range(int(m.group(1)), int(m.group(2)) + 1) for c in range(1, COLS + 1)]
    m = _REF.search(body)
    c1, r1 = openpyxl.utils.column_index_from_string(m.group(1)), int(m.group(2))
    c2, r2 = (openpyxl.utils.column_index_from_string(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.integers(2, ROWS), min_size=1, max_size=8))
def test_every_reference_reads_the_cells_it_read_minus_the_deleted(tmp_path_factory, deleted):
    path = tmp_path_factory.mktemp("rows") / "book.xlsx"
    formulas = _book(path)
    before = openpyxl.load_workbook(path)["售后登记"]
    value_at = {(r, c): before.cell(r, c).value for r in range(1, ROWS + 1) for c in range(1, COLS + 1)}
    with open_book(path, backup=False) as book:
        book.remove_rows("售后登记", [r - 1 for r in deleted])
    wb = openpyxl.load_workbook(path)
    ws = wb["售后登记"]
    rows = RowMap(deleted)
    # the values moved up with their rows
    for r in range(1, ROWS + 1):
        new = rows.row(r)
        if new is not None:
            assert [ws.cell(new, c).value for c in range(1, COLS + 1)] == [value_at[(r, c)] for c in range(1, COLS + 1)]
    assert ws.max_row == ROWS - len(deleted)
    # each formula that stayed reads the same values, minus the deleted rows'
    for ref, old in formulas.items():
        r = int(ref[1:])
        new_r = rows.row(r)
        if new_r is None:
            continue
        f = ws[f"E{new_r}"].value
        old_cells = _cells(old)
        surviving = [(rr, c) for rr, c in old_cells if rr not in deleted]
        if not surviving:
            assert "#REF!" in f, (old, f, deleted)
            continue
        new_cells = _cells(f)
        assert sorted(ws.cell(rr, c).value for rr, c in new_cells) == \
            sorted(value_at[x] for x in surviving), (old, f, sorted(deleted))
    # another sheet's formulas and a defined name follow too
    other = wb["汇总"]
    a1 = [(r, 1) for r in range(2, 10) if r not in deleted]
    if a1:
        assert sorted(ws.cell(r, c).value for r, c in _cells(other["A1"].value)) == sorted(value_at[x] for x in a1)
    else:  # every row the range read was deleted: #REF!, as Excel writes it
        assert "#REF!" in other["A1"].value
    assert ("#REF!" in other["A2"].value) == (7 in deleted)
    assert other["A3"].value == "=COUNTA(售后登记!A:A)"
    name = wb.defined_names["amounts"].attr_text
    kept = [(r, 2) for r in range(2, 12) if r not in deleted]
    assert sorted(ws.cell(r, c).value for r, c in _cells(name)) == sorted(value_at[x] for x in kept)


def _sheet_xml(path: Path, n: int = 1) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{n}.xml").decode("utf-8")


def test_shared_formulas_are_written_out_for_each_cell_then_moved(tmp_path):
    """Excel stores a formula filled down once (t="shared"); after a deletion every cell has its own."""
    path = tmp_path / "shared.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, 9):
        ws.cell(r, 1, r)
    wb.save(path)
    # the shared formula C2:C8 = A2*10, as Excel writes it
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for r in range(2, 9):
        f = '<f t="shared" ref="C2:C8" si="0">A2*10</f>' if r == 2 else '<f t="shared" si="0"/>'
        xml = xml.replace(f'<c r="A{r}" t="n"><v>{r}</v></c>', f'<c r="A{r}" t="n"><v>{r}</v></c><c r="C{r}">{f}<v>{r * 10}</v></c>')
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)
    with open_book(path, backup=False) as book:
        book.remove_rows("S", [1, 4])  # rows 2 (the master) and 5
    ws = openpyxl.load_workbook(path)["S"]
    got = {r: ws.cell(r, 3).value for r in range(1, 7)}
    assert got == {1: None, 2: "=A2*10", 3: "=A3*10", 4: "=A4*10", 5: "=A5*10", 6: "=A6*10"}
    assert [ws.cell(r, 1).value for r in range(1, 7)] == [1, 3, 4, 6, 7, 8]
    assert 't="shared"' not in _sheet_xml(path)


def test_merges_formats_validation_links_comments_tables_follow(tmp_path):
    path = tmp_path / "desk.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(["订单号", "金额", "备注"])
    for i in range(2, 12):
        ws.append([f"O{i}", i * 10, None])
    ws.merge_cells("E3:F4")      # both rows deleted below: gone
    ws.merge_cells("E7:F8")      # moves up
    ws.merge_cells("E9:F11")     # shrinks by one row
    ws["A9"].comment = Comment("O9 的批注", "组长")
    ws["A4"].comment = Comment("O4 的批注", "组长")
    ws["C8"].hyperlink = "https://example.com/O8"
    ws["C4"].hyperlink = "https://example.com/O4"
    ws.conditional_formatting.add("B2:B11", FormulaRule(formula=["B2>50"], fill=PatternFill("solid", fgColor="FF0000")))
    ws.conditional_formatting.add("B3:B4", FormulaRule(formula=["B3>0"], fill=PatternFill("solid", fgColor="00FF00")))
    dv = DataValidation(type="list", formula1='"是,否"')
    dv.add("C2:C11")
    ws.add_data_validation(dv)
    wb.save(path)
    with open_book(path, backup=False) as book:
        book.remove_rows("售后登记", [2, 3, 9])  # rows 3, 4, 10 (O3, O4, O10)
    wb = openpyxl.load_workbook(path)
    ws = wb["售后登记"]
    assert [ws.cell(r, 1).value for r in range(2, 9)] == ["O2", "O5", "O6", "O7", "O8", "O9", "O11"]
    assert sorted(str(m) for m in ws.merged_cells.ranges) == ["E5:F6", "E7:F8"]
    assert ws["A7"].comment is not None and "O9" in ws["A7"].comment.text
    assert sum(1 for row in ws.iter_rows() for c in row if c.comment is not None) == 1
    assert ws["C6"].hyperlink is not None and ws["C6"].hyperlink.target == "https://example.com/O8"
    assert sum(1 for row in ws.iter_rows() for c in row if c.hyperlink is not None) == 1
    cf = {str(r.sqref): [rule.formula for rule in r.rules] for r in ws.conditional_formatting}
    assert cf == {"B2:B8": [["B2>50"]]}  # B3:B4 had only deleted rows
    assert [str(d.sqref) for d in ws.data_validations.dataValidation] == ["C2:C8"]


def test_a_format_whose_first_row_goes_reads_from_its_new_first_row(tmp_path):
    path = tmp_path / "cf.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 8):
        ws.cell(r, 1, r)
    ws.conditional_formatting.add("A3:A7", FormulaRule(formula=["A3>$A$1"], fill=PatternFill("solid", fgColor="FF0000")))
    wb.save(path)
    with open_book(path, backup=False) as book:
        book.remove_rows(ws.title, [2])  # row 3, the format's first row
    ws = openpyxl.load_workbook(path).active
    (rng,) = list(ws.conditional_formatting)
    assert str(rng.sqref) == "A3:A6"
    assert rng.rules[0].formula == ["A3>$A$1"]  # relative to the new first cell (old A4), as Excel keeps it


def test_a_table_shrinks_with_its_rows(tmp_path):
    path = tmp_path / "table.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws.append(["订单号", "金额"])
    for i in range(2, 8):
        ws.append([f"O{i}", i])
    ws.add_table(Table(displayName="Cases", ref="A1:B7"))
    wb.save(path)
    with open_book(path, backup=False) as book:
        book.remove_rows("S", [2, 3])
    ws = openpyxl.load_workbook(path)["S"]
    assert ws.tables["Cases"].ref == "A1:B5"


def test_a_picture_over_a_removed_row_stops_the_run_and_nothing_changes(tmp_path):
    from openpyxl.chart import BarChart, Reference

    path = tmp_path / "pic.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, 20):
        ws.cell(r, 1, r)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=5))
    ws.add_chart(chart, "C3")
    wb.save(path)
    before = path.read_bytes()
    with pytest.raises(OutputFileError, match="图片或图表"):
        with open_book(path, backup=False) as book:
            book.remove_rows("S", [2])  # row 3: the chart's anchor cell is C3
    assert path.read_bytes() == before


def test_rows_below_a_picture_go_and_the_picture_stays(tmp_path):
    from openpyxl.chart import BarChart, Reference

    path = tmp_path / "pic.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, 60):
        ws.cell(r, 1, r)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=5))
    ws.add_chart(chart, "C3")
    wb.save(path)
    with open_book(path, backup=False) as book:
        book.remove_rows("S", [50, 51])  # sheet rows 51 and 52
    got = read_sheets(path)["S"]
    assert [r[0] for r in got[48:52]] == [49, 50, 53, 54]
    with zipfile.ZipFile(path) as z:
        chart = next(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart"))
    assert "$A$1:$A$5" in chart


def test_the_template_tracking_sheet_loses_rows_and_keeps_its_formula(tmp_path):
    """The template's one REFUND_TABLE array formula, drop-downs and highlighting survive a removal."""
    import shutil

    from refund_xl._template.layout import FORMULA_CELL

    path = tmp_path / "book.xlsm"
    shutil.copy(Path(__file__).resolve().parents[1] / "workbook_template.xlsm", path)
    before = read_sheets(path)["售后登记"]
    with open_book(path, backup=False) as book:
        book.remove_rows("售后登记", [1, 3])
    after = read_sheets(path)["售后登记"]
    assert len(after) == len(before) - 2
    assert [r[0] for r in after[1:]] == [r[0] for i, r in enumerate(before[1:], start=1) if i not in (1, 3)]
    xml = _sheet_xml(path)
    m = re.search(r'<c r="%s"[^>]*><f t="array" ref="([A-Z]+\d+:[A-Z]+\d+)"' % FORMULA_CELL, xml)
    assert m is not None and m.group(1).endswith(str(len(after)))
    with zipfile.ZipFile(path) as z:
        assert "xl/vbaProject.bin" in z.namelist()
        assert any("customUI" in n for n in z.namelist())


def test_rows_appended_to_a_sheet_streamed_with_new_headers(tmp_path):
    from refund_xl._files import sheetrows

    path = tmp_path / "arch.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "归档"
    ws.append(["订单号", "金额"])
    ws.append(["O1", 1])
    ws.auto_filter.ref = "A1:B2"
    ws["E1"].fill = PatternFill("solid", fgColor="FFFF00")  # a coloured empty cell right of the header
    wb.save(path)
    rows = [[f"N{i}", i, f"=X{i}"] for i in range(sheetrows.CHUNK_ROWS + 3)]
    with open_book(path, backup=False) as book:
        book.append_rows("归档", rows, last_row=2, header={2: "备注"})
    got = read_sheets(path)["归档"]
    assert got[0] == ["订单号", "金额", "备注"]
    assert got[1][:2] == ["O1", 1.0]
    assert len(got) == 2 + len(rows)
    assert got[-1] == [rows[-1][0], float(rows[-1][1]), rows[-1][2]]  # text stays text, never a formula
    xml = _sheet_xml(path)
    assert "<f>" not in xml
    assert xml.index('r="C1"') < xml.index('r="E1"')  # cells of a row stay in column order
    ws = openpyxl.load_workbook(path)["归档"]
    assert ws.auto_filter.ref == f"A1:B{len(got)}"


def test_scanning_a_few_columns_finds_every_cell_whatever_the_chunks(tmp_path, monkeypatch):
    """Texts holding ``/>``, ``row>`` or ``</c`` look-alikes, read in chunks cut anywhere."""
    from refund_xl._files import sheetrows
    from refund_xl._files.bounded import BoundedBook

    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "归档"
    ws.append(["订单号", "备注", "售后单号"])
    wb.save(path)
    tricky = ["a/>b", "row>", "x</row", "<c r=\"A9\">", "&amp;", "平台/>"]
    rows = [[f"O{i}", tricky[i % len(tricky)], f"C{i}"] for i in range(300)]
    with open_book(path, backup=False) as book:
        book.append_rows("归档", rows, last_row=1)
    bb = BoundedBook(path.read_bytes(), path.name)
    part = bb.book.sheet_parts["归档"]
    whole = bb.pkg.read(part)
    for size in (7, 64, 1000):
        pieces = [whole[i:i + size] for i in range(0, len(whole), size)]
        monkeypatch.setattr(sheetrows, "_source", lambda pkg, p, pieces=pieces: (lambda: iter(pieces)))
        tally: dict[str, int] = {}
        got = list(sheetrows.scan_cells(bb.pkg, part, [1, 3], tally=tally))
        assert got == [(i + 2, {1: f"O{i}", 3: f"C{i}"}) for i in range(300)], size
        assert tally["last_row"] == 301
        got = dict(sheetrows.scan_cells(bb.pkg, part, [2], only={5, 6}))
        assert got == {5: {2: rows[3][1]}, 6: {2: rows[4][1]}}


def test_refs_module_is_text_only():
    assert refs.__all__


@pytest.mark.parametrize("size", [5, 13, 100, 1 << 20])
def test_appending_streams_through_chunks_cut_anywhere(tmp_path, monkeypatch, size):
    from refund_xl._files import sheetrows

    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "归档"
    ws.append(["订单号", "金额"])
    for i in range(50):
        ws.append([f"O{i}", i])
    wb.save(path)
    real = sheetrows._source

    def cut(pkg, part):
        whole = b"".join(real(pkg, part)())
        return lambda: iter([whole[i:i + size] for i in range(0, len(whole), size)])

    monkeypatch.setattr(sheetrows, "_source", cut)
    with open_book(path, backup=False) as book:
        book.append_rows("归档", [["N1", 1], ["N2", 2]], last_row=51, header={2: "备注"})
    rows = read_sheets(path)["归档"]
    assert rows[0] == ["订单号", "金额", "备注"]
    assert [r[0] for r in rows[1:]] == [f"O{i}" for i in range(50)] + ["N1", "N2"]
