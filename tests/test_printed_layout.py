"""Every workbook the product writes reads cleanly on screen and on paper (issue 20).

Checked on the cells for every sheet of the daily batch (a demo, staff typing, the next day's run)
and `evaluate`'s workbook: every date, number and text that has a filled cell beside it fits its
column (no ###, nothing cut off); one vertical alignment (a case id never floats a line above its
order number); a printout in landscape, one page wide, its header row on every page.  Then
rendered through LibreOffice (when installed): no ### anywhere, evaluate prints on a few pages
each headed by the header row, and the overview's chart shows every action's label.
"""

from __future__ import annotations

import re
import shutil
from copy import copy
import subprocess
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from refund_xl import cli
from refund_xl._app import batch
from refund_xl._app.outputs import display_width
from refund_xl._files.workbook import DEMO_NOW, run_batch_file, run_demo, sample_path

OUTPUT_SHEETS = [n for n in batch.OUTPUT_SHEETS]
LISTS = {batch.REGISTER: 0, batch.REPLIES: 0, batch.LOG: 0}   # sheet → 0-based header row


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The demo after a day of staff work and a second run, and evaluate's workbook of the sample."""
    folder = tmp_path_factory.mktemp("books")
    demo = folder / "refund_demo.xlsx"
    run_demo(demo)
    wb = openpyxl.load_workbook(demo)
    reg = wb["拦截登记"]
    head = [c.value for c in reg[1]]
    for col, text in (("拦截状态", "拦截中"), ("跟进备注", "已联系网点，等回复；客户说下午再确认一次")):
        cell = reg.cell(2, head.index(col) + 1)
        cell.value = text
        # typed in Excel, a cell takes its column's style (openpyxl does not do that by itself)
        cell.alignment = copy(reg.column_dimensions[cell.column_letter].alignment)
    wb.save(demo)
    run_batch_file(demo, out=demo, now=DEMO_NOW + timedelta(days=1), progress=False)
    evaluated = folder / "判定结果.xlsx"
    assert cli.main(["evaluate", str(sample_path()), "--out", str(evaluated), "--now", "2025-06-10T12:00",
                     "--quiet"]) == 0
    return {"demo": demo, "evaluate": evaluated}


def _width(ws, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    return dim.width if dim is not None and dim.width else 8.43


def _sheets(books):
    demo = openpyxl.load_workbook(books["demo"])
    for name in OUTPUT_SHEETS:
        yield f"demo:{name}", demo[name]
    ev = openpyxl.load_workbook(books["evaluate"])
    for ws in ev.worksheets:
        yield f"evaluate:{ws.title}", ws


def test_every_cell_shows_whole(books):
    problems = []
    for label, ws in _sheets(books):
        for row in ws.iter_rows():
            for i, cell in enumerate(row):
                v = cell.value
                if v in (None, ""):
                    continue
                width = _width(ws, cell.column)
                if isinstance(v, (datetime, date)):
                    need = 16.0                                # 2025-06-10 12:00: narrower shows ###
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    need = len(f"{v:g}")
                elif cell.alignment.wrap_text:
                    continue                                   # long text wraps inside its column
                elif i + 1 < len(row) and row[i + 1].value not in (None, ""):
                    need = display_width(v)                    # a filled neighbour cuts it off
                else:
                    continue                                   # runs on over the empty cell beside it
                if width < need:
                    problems.append(f"{label}!{cell.coordinate} {v!r}: width {width:g} < {need:g}")
    assert not problems, "\n".join(problems[:20])


def test_wrapped_text_gets_the_lines_it_needs(books):
    """A row the product writes (a new sheet's, or one appended to a sheet an earlier run made: the
    second 运行日志 line) is as tall as its longest wrapped text needs — nothing hidden under the next row."""
    short = []
    for label, ws in _sheets(books):
        for row in ws.iter_rows(min_row=2):
            r = row[0].row
            if label == "demo:拦截登记" and r == 2:
                continue                                   # staff typed into it in Excel (the fixture)
            need = 1
            for cell in row:
                if cell.alignment.wrap_text and isinstance(cell.value, str):
                    per_line = max(int(_width(ws, cell.column)) - 1, 1)
                    need = max(need, -(-int(display_width(cell.value)) // per_line) + cell.value.count("\n"))
            height = ws.row_dimensions[r].height or 15
            if height < 15 * min(need, 27) - 0.5:
                short.append(f"{label} row {r}: {height:g} pt for {need} lines")
    assert not short, "\n".join(short[:20])


def test_one_vertical_alignment_per_sheet(books):
    for label, ws in _sheets(books):
        seen = {cell.alignment.vertical or "bottom" for row in ws.iter_rows() for cell in row
                if cell.value not in (None, "")}
        assert seen == {"top"}, f"{label}: cells aligned {sorted(seen)}"


def test_every_sheet_prints_landscape_one_page_wide(books):
    for label, ws in _sheets(books):
        setup = ws.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0), label
        assert ws.sheet_properties.pageSetUpPr.fitToPage, label
    demo = openpyxl.load_workbook(books["demo"])
    for name, head in LISTS.items():
        assert demo[name].print_title_rows == f"${head + 1}:${head + 1}", name


def test_evaluate_prints_order_numbers_and_results(books):
    ws = openpyxl.load_workbook(books["evaluate"]).worksheets[0]
    head = [c.value for c in ws[1]]
    order = get_column_letter(head.index("订单号") + 1)
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == f"${order}:${order}"
    first, last = (get_column_letter(head.index(h) + 1) for h in ("处理动作", "钱货两空风险"))
    assert ws.print_area == f"'{ws.title}'!${first}$1:${last}${ws.max_row}"


# ------------------------------------------------------------------ rendered by LibreOffice

def _can_render() -> bool:
    if not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")):
        return False
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True) if shutil.which("fc-list") else None
    return bool(fonts and fonts.stdout.strip())


render = pytest.mark.skipif(not _can_render(), reason="needs LibreOffice, poppler and a Chinese font")


def _only(book: Path, sheet: str, out: Path) -> Path:
    """A copy of ``book`` whose other sheets are hidden (and their print names dropped): prints ``sheet`` alone."""
    with zipfile.ZipFile(book) as z:
        xml = z.read("xl/workbook.xml").decode("utf-8")
    names = re.findall(r'<sheet [^>]*name="([^"]+)"', xml)
    keep = names.index(sheet)
    counter = iter(range(len(names)))

    def sheet_tag(m):
        tag = re.sub(r'\sstate="[^"]*"', "", m.group(0))
        return tag if next(counter) == keep else tag.replace("<sheet ", '<sheet state="hidden" ', 1)

    xml = re.sub(r"<sheet [^>]*/>", sheet_tag, xml)
    xml = re.sub(r'<definedName [^>]*localSheetId="(\d+)"[^>]*>[^<]*</definedName>',
                 lambda m: m.group(0) if int(m.group(1)) == keep else "", xml)
    xml = re.sub(r'activeTab="\d+"', f'activeTab="{keep}"', xml)
    target = out / f"{keep:02d}{book.suffix}"
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, xml.encode("utf-8") if item.filename == "xl/workbook.xml" else zin.read(item.filename))
    return target


def _pages(pdf: Path) -> list[str]:
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                         text=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf), "-"],
                           capture_output=True, text=True).stdout for p in range(1, n + 1)]


def _printed(book: Path, tmp: Path, sheet: str | None = None) -> list[str]:
    """The text of each page LibreOffice prints of ``book`` (of ``sheet`` alone when given)."""
    tmp.mkdir(parents=True, exist_ok=True)
    one = _only(book, sheet, tmp) if sheet else book
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(one)],
                   check=True, capture_output=True, timeout=300)
    return _pages(tmp / (one.stem + ".pdf"))


@pytest.fixture(scope="module")
def printed(books, tmp_path_factory):
    """What LibreOffice prints (converted once per module): the whole demo and evaluate workbooks,
    the overview alone and evaluate's table alone."""
    tmp = tmp_path_factory.mktemp("printed")
    table = openpyxl.load_workbook(books["evaluate"], read_only=True).sheetnames[0]
    return {"demo": _printed(books["demo"], tmp / "a"), "evaluate": _printed(books["evaluate"], tmp / "b"),
            "overview": _printed(books["demo"], tmp / "c", "今日概览"),
            "table": _printed(books["evaluate"], tmp / "d", table)}


@render
def test_rendered_workbooks_show_no_hashes(printed):
    for name in ("demo", "evaluate"):
        hashes = [i for i, page in enumerate(printed[name], start=1) if "###" in page]
        assert printed[name] and not hashes, f"{name}: ### on pages {hashes}"


@render
def test_rendered_evaluate_is_a_few_pages_each_with_its_header(books, printed):
    ws = openpyxl.load_workbook(books["evaluate"]).worksheets[0]
    rows = ws.max_row - 1
    pages = printed["table"]
    assert len(pages) <= rows // 20 + 1, f"{len(pages)} pages for {rows} rows"
    orders = {str(r[0]) for r in ws.iter_rows(min_row=2, values_only=True)}
    for i, text in enumerate(pages, start=1):
        assert "处理动作" in text and "判定依据" in text and "订单号" in text, f"page {i} has no header row"
        assert any(o in text for o in orders), f"page {i} shows no 订单号"


@render
def test_rendered_overview_chart_shows_every_label(books, printed):
    ov = openpyxl.load_workbook(books["demo"])["今日概览"]
    rows = [[c.value for c in r] for r in ov.iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[0] == "动作代码")
    labels = []
    for r in rows[at + 1:]:
        if r[0] in (None, ""):
            break
        labels.append(r[1])
    text = re.sub(r"\s+", "", "".join(printed["overview"]))
    missing = [lab for lab in labels if text.count(re.sub(r"\s+", "", lab)) < 2]
    assert len(labels) > 10 and not missing, f"labels the chart leaves out: {missing}"
