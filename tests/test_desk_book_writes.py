"""Commands that write into the desk's own book (fill, archive, batch in place): they write what is theirs and
nothing else (contract §7, §9 "Nothing lost", "Safety").

The families (red team h49 / fill):

* the template's result block is found by what it is — the REFUND_TABLE formula in its anchor cell, in every
  form Excel, LibreOffice and WPS store it, whatever cached header they saved (#VALUE!, #NAME?, nothing), or the
  print area when the formula is gone — and `fill` never writes a second block beside it;
* a run stopped between the archive write and the book write (the book put back from its backup) archives no
  case twice, whatever form its dates and times take; a whole day is archived as a day, a moment as a moment;
* `fill` on a desk's CSV writes every cell it does not own back exactly as it was in the file; only the cells
  it writes are its text, made inert;
* a read-only book (or archive) is never replaced: one line, exit 2, the file byte-identical.
"""

from __future__ import annotations

import re
import shutil
import stat
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest

from refund_xl import cli
from refund_xl._app.archive import ARCHIVE_SHEET, RISK_SHEET
from refund_xl._app.table import HEADERS
from refund_xl._files import files
from refund_xl._files.archive_files import archive_book
from refund_xl._files.fill_file import fill_book
from refund_xl._template import layout as tb

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "workbook_template.xlsm"
FIRST = tb.col_number(tb.FIRST_FORMULA_COL)          # 1-based column of the block (BJ)
LETTERS = [tb.col_letter(FIRST + k) for k in range(8)]
NOW = "2025-06-10T12:00"


# ------------------------------------------------------------------ F1: the template's block, however it was saved

def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write_parts(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)


def _tracking_part(parts: dict[str, bytes]) -> str:
    return next(n for n, d in parts.items() if n.startswith("xl/worksheets/sheet") and b"REFUND_TABLE(" in d)


_CELL = re.compile(r'<c r="(?:%s)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)' % "|".join(LETTERS), re.S)
_FORMULA = re.compile(r"(<f\b[^>]*>)([^<]*)(</f>)")

# How the anchor cell's formula is stored: (the <f …> tag, the text around REFUND_TABLE(…)
FORMS = {
    "excel-dynamic-array": (None, "{}"),
    "libreoffice": ('<f aca="false" t="array" ref="BJ1:BQ96">', "{}"),
    "wps": ('<f t="array" ref="BJ1:BQ96" aca="0" ca="1">', "{}"),
    "excel-legacy-cse": ('<f t="array" ref="BJ1:BQ96">', "{}"),
    "xludf-prefix": (None, "_xludf.{}"),
    "xlfn-wrapper": (None, "_xlfn.IFERROR({},&quot;&quot;)"),
    "addin-qualified": (None, "'xlwings.xlam'!{}"),
    "external-link": (None, "[1]!{}"),
    "lower-case": (None, "{lower}"),
}
# What the block's cells hold once saved: (their cached value XML, its type)
CACHED = {
    "#VALUE!": ('<v>#VALUE!</v>', ' t="e"'),
    "#NAME?": ('<v>#NAME?</v>', ' t="e"'),
    "nothing": ("", ""),
}


def _saved(tmp_path: Path, form: str, cached: str, keep_formula: bool = True) -> Path:
    """The template as a program saved it: the anchor formula in ``form``, every cell of the block holding
    ``cached`` (LibreOffice and WPS cannot run REFUND_TABLE; some writers drop cached values)."""
    path = tmp_path / "book.xlsm"
    shutil.copy(TEMPLATE, path)
    parts = _parts(path)
    name = _tracking_part(parts)
    xml = parts[name].decode("utf-8")
    value, kind = CACHED[cached]
    tag, around = FORMS[form]

    def cell(m: re.Match) -> str:
        attrs = re.sub(r'\s(?:t|cm)="[^"]*"', "", m.group(2))
        inner = m.group(3) or ""
        f = _FORMULA.search(inner)
        formula = ""
        if f is not None and keep_formula:
            text = f.group(2)
            text = around.format(text, lower=text.replace("REFUND_TABLE", "refund_table"))
            formula = (tag or f.group(1)) + text + f.group(3)
        ref = m.group(0)[:m.group(0).index('"', 6) + 1]
        return f"{ref}{attrs}{kind}>{formula}{value}</c>" if formula or value else f"{ref}{attrs}/>"

    xml = _CELL.sub(cell, xml)
    parts[name] = xml.encode("utf-8")
    _write_parts(path, parts)
    head = files.read_sheets(path)["售后登记"][0]
    assert len(head) < FIRST or head[FIRST - 1] in (None, "", cached), "saved as the form says"
    return path


def _one_block(path: Path, plan) -> None:
    rows = files.read_sheets(path)["售后登记"]
    head = rows[0] + [None] * (FIRST + 20 - len(rows[0]))
    assert plan.first_col == FIRST - 1, "the template's own block"
    assert not [h for h in plan.reading.unused if h.startswith("#")], "its cached header is no unused column"
    assert head[FIRST - 1] == HEADERS[0] and str(head[FIRST]).startswith(HEADERS[1])
    assert all(v in (None, "") for v in head[FIRST + 7:]), "no second block beside the template's"
    errors = [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row)
              if isinstance(v, str) and v.startswith(("#VALUE!", "#NAME?"))]
    assert errors == [], "the block is values now"
    parts = _parts(path)
    assert b"REFUND_TABLE" not in parts[_tracking_part(_parts(TEMPLATE))].upper()
    assert re.search(rb"Print_Area[^>]*>[^<]*\$BJ\$1:\$BQ\$\d+<", parts["xl/workbook.xml"]), \
        "the print area still points at the block"


@pytest.mark.parametrize("cached", list(CACHED))
@pytest.mark.parametrize("form", list(FORMS))
def test_fill_finds_the_templates_block_by_its_formula_in_every_stored_form(tmp_path, form, cached):
    path = _saved(tmp_path, form, cached)
    plan = fill_book(str(path), now=tb.SAMPLE_NOW)
    _one_block(path, plan)
    first = files.read_sheets(path)["售后登记"]
    again = fill_book(str(path), now=tb.SAMPLE_NOW)          # a re-run: the same block, nothing new
    assert again.first_col == FIRST - 1 and files.read_sheets(path)["售后登记"] == first


@pytest.mark.parametrize("cached", ["#VALUE!", "#NAME?"])
def test_the_templates_block_whose_formula_is_gone_is_found_by_the_print_area(tmp_path, cached):
    path = _saved(tmp_path, "libreoffice", cached, keep_formula=False)
    _one_block(path, fill_book(str(path), now=tb.SAMPLE_NOW))


def test_archive_leaves_out_the_templates_block_saved_with_errors(tmp_path):
    path = _saved(tmp_path, "libreoffice", "#VALUE!")
    assert cli.main(["archive", str(path), "--now", "2026-06-10T12:00", "--days", "0", "--quiet"]) == 0
    archives = sorted(tmp_path.glob("book_归档_*.xlsx"))
    assert archives
    for a in archives:
        for name, rows in files.read_sheets(a).items():
            if name in (ARCHIVE_SHEET, RISK_SHEET):
                assert not [h for h in rows[0] if isinstance(h, str) and h.startswith("#")], "no #VALUE! columns"
                assert not [v for r in rows for v in r if isinstance(v, str) and v.startswith("#VALUE!")]


# ------------------------------------------------------------------ F2: stopped between the two writes, run again

H = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态",
     "物流更新时间", "拦截状态", "售后状态"]

# A date or a time as a desk's cell holds it: (value, number format, is it the whole day)
TIMES = {
    "date-only": (datetime(2025, 3, 16), "yyyy/m/d", True),
    "date-only-zh": (datetime(2025, 3, 16), 'yyyy"年"m"月"d"日"', True),
    "date-builtin": (datetime(2025, 3, 16), "mm-dd-yy", True),
    "midnight-with-time": (datetime(2025, 3, 16), "yyyy/m/d h:mm", False),
    "moment": (datetime(2025, 3, 16, 10, 0), "yyyy/m/d h:mm", False),
    "moment-seconds": (datetime(2025, 3, 16, 10, 0, 31), "yyyy-mm-dd hh:mm:ss", False),
    "moment-date-format": (datetime(2025, 3, 16, 10, 0), "yyyy/m/d", False),
    "text-date": ("2025/3/16", "@", True),
    "text-moment": ("2025-03-16 00:00", "@", False),
}


def _desk_book(path: Path, forms: list[str], platform: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(["平台", *H] if platform else H)
    at = 1 if platform else 0
    for i, form in enumerate(forms):
        value, fmt, _day = TIMES[form]
        for risk in (False, True):
            n = 2 * i + risk
            row = [f"37102844551200{n:05d}", f"2001844{n:05d}", value, "仅退款", 59 + n, "已发货" if risk else "未发货",
                   "中通" if risk else None, f"ZT7812{n:05d}" if risk else None, "运输中" if risk else None,
                   value if risk else None, "未拦截" if risk else None, "已退款" if risk else "已关闭"]
            ws.append(["抖音", *row] if platform else row)
            r = ws.max_row
            ws.cell(r, at + 3).number_format = fmt
            if risk:
                ws.cell(r, at + 10).number_format = fmt
    wb.save(path)
    return path


def _archived(folder: Path) -> list[tuple[str, str]]:
    out = []
    for a in folder.glob("*_归档_*.xlsx"):
        for name, rows in files.read_sheets(a).items():
            if name in (ARCHIVE_SHEET, RISK_SHEET) and rows:
                k = rows[0].index("订单号")
                out += [(name, r[k]) for r in rows[1:] if r[k]]
    return sorted(out)


@pytest.mark.parametrize("platform", [False, True], ids=["no-platform", "platform"])
@pytest.mark.parametrize("form", list(TIMES))
def test_a_run_stopped_between_the_writes_and_run_again_archives_no_case_twice(tmp_path, form, platform):
    book = _desk_book(tmp_path / "book.xlsx", [form], platform)
    saved = book.read_bytes()
    assert cli.main(["archive", str(book), "--now", NOW, "--quiet"]) == 0
    first = _archived(tmp_path)
    assert len(first) == 2 and {n for n, _o in first} == {ARCHIVE_SHEET, RISK_SHEET}
    for _again in range(2):  # killed after the archive was replaced, before the book was: the book as it was
        book.write_bytes(saved)
        assert cli.main(["archive", str(book), "--now", NOW, "--quiet"]) == 0
        assert _archived(tmp_path) == first, "no case archived twice"
        assert len(files.read_sheets(book)["售后登记"]) == 1


def test_every_form_together_stopped_and_run_again(tmp_path):
    book = _desk_book(tmp_path / "book.xlsx", list(TIMES))
    saved = book.read_bytes()
    assert archive_book(book, now=datetime(2025, 6, 10, 12), progress=False).appended == 2 * len(TIMES)
    book.write_bytes(saved)
    again = archive_book(book, now=datetime(2025, 6, 10, 12), progress=False)
    assert (again.appended, again.already) == (0, 2 * len(TIMES))


@pytest.mark.parametrize("form", [f for f, (v, _f, _d) in TIMES.items() if isinstance(v, datetime)])
def test_a_whole_day_is_archived_as_a_day_and_a_moment_as_a_moment(tmp_path, form):
    value, _fmt, day = TIMES[form]
    book = _desk_book(tmp_path / "book.xlsx", [form])
    assert cli.main(["archive", str(book), "--now", NOW, "--quiet"]) == 0
    ws = openpyxl.load_workbook(next(tmp_path.glob("book_归档_*.xlsx")))[ARCHIVE_SHEET]
    cell = ws.cell(2, H.index("申请时间") + 1)
    assert cell.value == value
    shows_time = bool(re.search(r"[hs]", re.sub(r'"[^"]*"', "", cell.number_format), re.I))
    assert shows_time is not day, f"{cell.number_format!r} for {form}"
    assert files.read_sheets(next(tmp_path.glob("book_归档_*.xlsx")))[ARCHIVE_SHEET][1][2] == \
        (value.date() if day else value), "read back as the book reads it"


def test_every_reading_of_a_date_compares_as_the_same_cell():
    from refund_xl._app.archive import same_cells
    from refund_xl._core.vocab import whole_day

    day = datetime(2025, 3, 16)
    serial = 45732.0
    for a in (date(2025, 3, 16), whole_day(day), day, serial):
        for b in (date(2025, 3, 16), whole_day(day), day, serial):
            assert same_cells({"申请时间": a}, {"申请时间": b}), (a, b)
    assert not same_cells({"申请时间": date(2025, 3, 16)}, {"申请时间": datetime(2025, 3, 16, 10)})
    assert same_cells({"t": time(10, 0)}, {"t": time(10, 0)}) and same_cells({"t": timedelta(hours=30)},
                                                                            {"t": timedelta(hours=30)})


# ------------------------------------------------------------------ F3: a desk's CSV, cells it does not own

# Cells a desk's CSV holds that a spreadsheet would read as a formula, or that only the file's own text keeps
DESK_CELLS = ['="3710284455120038871"', "-不想要了-", "+86客户催了", "@小李 跟进", "-", "=A1+1", "+", "@",
              '"-引号里的减号-"', '"a,b"', '"他说""-"""', "'前面有撇号", " 前后空格 ", "\t制表", '="0012"', "=-1"]


def _runs(value: object) -> bool:
    """Text a spreadsheet would run as a formula (a number written as a number, -3.5, is a number)."""
    if not isinstance(value, str) or not value.startswith(("=", "+", "-", "@")):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_fill_on_a_desk_csv_keeps_every_cell_it_does_not_own_byte_for_byte(tmp_path, encoding, newline):
    cells = DESK_CELLS
    lines = ["订单号,售后类型,退款金额,发货状态,退货原因,客服备注"]
    for i, cell in enumerate(cells):
        order = '="37102844551200%05d"' % i if i % 2 else "37102844551200%05d" % i
        lines.append(f"{order},仅退款,{59 + i},未发货,{cell},{cell}")
    lines.append('-,仅退款,-,未发货,"=HYPERLINK(""http://x"",""点我"")",@')
    text = newline.join(lines) + newline
    path = tmp_path / "desk.csv"
    path.write_bytes(text.encode(encoding))
    assert cli.main(["fill", str(path), "--now", NOW]) == 0
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    got = after.decode(encoding)
    want_lines = text.split(newline)
    got_lines = got.split(newline)
    # every line begins with the desk's own line as it was, byte for byte; the block follows it
    assert len(got_lines) == len(want_lines)
    for was, now in zip(want_lines, got_lines):
        assert now.startswith(was), (was, now)
    # the product's own cells are inert; a re-run changes nothing
    rows = files.parse_csv(got, "desk.csv")
    start = len(rows[0]) - 8
    assert rows[0][start] == HEADERS[0]
    for row in rows[1:]:
        assert not [v for v in row[start:] if _runs(v)], row
    assert cli.main(["fill", str(path), "--now", NOW]) == 0
    assert path.read_bytes() == after


def test_a_csv_that_cannot_be_split_as_written_still_keeps_the_desks_cells_unguarded(tmp_path):
    """A quote left open in a header note (the reader takes the lines up to its close as one cell): the
    cells the run did not change are written from their values, never given an apostrophe."""
    path = tmp_path / "desk.csv"
    path.write_text('订单号,售后类型,退款金额,发货状态,退货原因\r\n="3710284455120038871",仅退款,59,未发货,-不想要了-\r',
                    encoding="utf-8")
    assert cli.main(["fill", str(path), "--now", NOW]) == 0
    rows = files.parse_csv(path.read_text(encoding="utf-8"), "desk.csv")
    assert rows[1][:5] == ['="3710284455120038871"', "仅退款", "59", "未发货", "-不想要了-"]


def test_evaluate_writes_a_new_csv_with_every_cell_inert(tmp_path):
    """evaluate --out of a CSV: a NEW file the product writes whole, so a desk's cell carried into it is text the
    product writes (contract §9 "Safety"): made inert there, while the desk's own file is never touched."""
    src = tmp_path / "desk.csv"
    src.write_text('订单号,售后类型,退款金额,发货状态,客服备注\n="3710284455120038871",仅退款,59,未发货,@小李\n',
                   encoding="utf-8")
    before = src.read_bytes()
    out = tmp_path / "out.csv"
    assert cli.main(["evaluate", str(src), "--out", str(out), "--now", NOW]) == 0
    assert src.read_bytes() == before
    rows = files.parse_csv(out.read_text(encoding="utf-8-sig"), "out.csv")
    assert not [v for r in rows for v in r if _runs(v)]


# ------------------------------------------------------------------ F4: a read-only book is not replaced

def _read_only_cases(tmp_path: Path):
    book = _desk_book(tmp_path / "book.xlsx", ["moment"])
    csv_book = tmp_path / "desk.csv"
    csv_book.write_text("订单号,售后类型,退款金额,发货状态\n3710284455120038871,仅退款,59,未发货\n", encoding="utf-8")
    tpl = tmp_path / "tpl.xlsm"
    shutil.copy(TEMPLATE, tpl)
    return {"fill": (["fill", str(tpl), "--now", NOW], tpl), "fill-csv": (["fill", str(csv_book), "--now", NOW], csv_book),
            "archive": (["archive", str(book), "--now", NOW, "--quiet"], book),
            "batch": (["batch", str(tpl), "--now", NOW], tpl)}


@pytest.mark.parametrize("command", ["fill", "fill-csv", "archive", "batch"])
@pytest.mark.parametrize("mode", [0o444, 0o440, 0o400, 0o044], ids=oct)
def test_a_read_only_book_is_refused_in_one_line_and_left_byte_identical(tmp_path, capsys, command, mode):
    args, path = _read_only_cases(tmp_path)[command]
    before = path.read_bytes()
    listing = sorted(p.name for p in tmp_path.iterdir())
    path.chmod(mode)
    try:
        assert cli.main(args) == 2
    finally:
        path.chmod(0o644)
    err = capsys.readouterr().err.strip()
    assert "只读" in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing, "no backup, temp or archive file left"


def test_a_read_only_archive_stops_the_run_before_the_book_is_touched(tmp_path, capsys):
    book = _desk_book(tmp_path / "book.xlsx", ["moment", "date-only"])
    saved = book.read_bytes()
    assert cli.main(["archive", str(book), "--now", NOW, "--quiet"]) == 0
    archive = next(tmp_path.glob("book_归档_*.xlsx"))
    kept = archive.read_bytes()
    book.write_bytes(saved)                        # the book as it was: its cases to archive again
    archive.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        assert cli.main(["archive", str(book), "--now", NOW, "--quiet"]) == 2
    finally:
        archive.chmod(0o644)
    assert "只读" in capsys.readouterr().err
    assert archive.read_bytes() == kept and book.read_bytes() == saved
