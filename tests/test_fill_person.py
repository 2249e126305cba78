"""`refund-xl fill` for a person (issue 20) and through the block fast path (issue 21).

The 8 result columns read in Excel, WPS and LibreOffice: widths where the desk has none (a
width the desk set stays), 处理动作 / 判定依据 / 回复话术 wrapped, the header in the product's
header style; the command prints the reading report; with ``language = English`` the results
go into the template's own block (its formula's place), never a second block beside it — also
when the book was saved by a program that cannot run the formula (no cached results).  The
values are those of the plan, and a second fill over the first gives what a fresh fill gives.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from benchmarks.synth import HEADERS, NOW, make_rows
from refund_xl import cli
from refund_xl import _template as tb
from refund_xl._app.fill import plan_fill
from refund_xl._app.table import HEADERS as RESULT_HEADERS, HEADERS_EN
from refund_xl._files import filebook, files
from refund_xl._app.fill import RESULT_WIDTHS, RESULT_WRAP
from refund_xl._files.fill_file import fill_book

ROOT = Path(__file__).resolve().parent.parent
NOW_ARG = NOW.strftime("%Y-%m-%dT%H:%M")


def _book(path: Path, rows: list[list[object]], widths: dict[str, float] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    for row in rows:
        ws.append(row)
    for letter, w in (widths or {}).items():
        ws.column_dimensions[letter].width = w
    wb.save(path)
    return path


def _letter(c0: int) -> str:
    return tb.col_letter(c0 + 1)


def test_the_result_columns_read_for_a_person(tmp_path):
    rows = [list(HEADERS)] + make_rows(120, seed=21)
    first = len(HEADERS) + 1                                          # one empty column apart
    desk_width = {_letter(first + 2): 7.5}                            # the desk sized 停滞状态 itself
    path = _book(tmp_path / "desk.xlsx", rows, desk_width)
    plan = fill_book(str(path), now=NOW)
    assert plan.first_col == first
    ws = openpyxl.load_workbook(path)["售后登记"]
    for k in range(8):
        letter = _letter(first + k)
        head = ws[f"{letter}1"]
        assert head.value == (plan.headers[k]) and head.font.b, letter
        assert head.fill.fgColor.rgb.endswith("DDEBF7"), "the product's header fill"
        want = 7.5 if k == 2 else RESULT_WIDTHS[k]
        assert ws.column_dimensions[letter].width == pytest.approx(want), letter
        cells = [ws[f"{letter}{r}"] for r in range(2, 40) if ws[f"{letter}{r}"].value not in (None, "")]
        assert cells and all(bool(c.alignment.wrap_text) == RESULT_WRAP[k] for c in cells), letter
    assert [RESULT_HEADERS[k] for k in range(8) if RESULT_WRAP[k]] == ["处理动作", "判定依据", "回复话术"]
    # the desk's own columns kept their looks: no width, no style added
    assert ws.column_dimensions["A"].width in (None, 13.0) and not ws["A1"].font.b


def test_fill_values_are_the_plans_and_a_second_fill_equals_a_fresh_one(tmp_path):
    rows = [list(HEADERS)] + make_rows(300, seed=22)
    path = _book(tmp_path / "a.xlsx", rows)
    plan = fill_book(str(path), now=NOW)
    got = files.read_sheets(path)["售后登记"]
    for (r, c), v in plan.updates.items():
        cell = got[r][c] if c < len(got[r]) else None
        assert cell == (None if v in (None, "") else v) or (isinstance(v, float) and cell == pytest.approx(v))
    # fewer rows, later: the first fill's results are replaced or cleared, as a fresh fill of the same rows
    shorter = [list(HEADERS)] + make_rows(150, seed=23)
    again = _book(tmp_path / "b.xlsx", shorter)
    with filebook.open_book(path) as book:          # the same 150 rows typed over the first 150
        book.set_cells("售后登记", {(r, c): v for r, row in enumerate(shorter) for c, v in enumerate(row)})
        book.set_cells("售后登记", {(r, c): None for r in range(151, 301) for c in range(len(HEADERS))})
    later = datetime(2025, 6, 11, 9, 0)
    fill_book(str(path), now=later)
    fill_book(str(again), now=later)
    a, b = files.read_sheets(path)["售后登记"], files.read_sheets(again)["售后登记"]
    start = plan.first_col
    block = lambda rows: [list(r[start:start + 8]) + [None] * (8 - len(r[start:start + 8])) for r in rows]  # noqa
    assert block(a)[:151] == block(b)[:151] and all(v is None for r in block(a)[151:] for v in r)


def test_fill_prints_the_reading_report(tmp_path, capsys):
    rows = [list(HEADERS) + ["跟进人"]] + [r + ["小王"] for r in make_rows(30, seed=24)]
    rows[3][HEADERS.index("退款金额")] = "待定"
    path = _book(tmp_path / "r.xlsx", rows)
    assert cli.main(["fill", str(path), "--now", NOW_ARG]) == 0
    out = capsys.readouterr().out
    assert "已写入" in out and "读取报告「售后登记」：30 行" in out
    assert "未使用的列：跟进人" in out and "无法识别「退款金额」1 处：「待定」" in out
    assert len(out.splitlines()) <= 8, "short, like evaluate's"


def _template_copy(tmp_path: Path, english: bool, drop_cached: bool = False) -> Path:
    path = tmp_path / "book.xlsm"
    shutil.copy(ROOT / "workbook_template.xlsm", path)
    if english:
        table = files.read_sheets(path)["设置"]
        row = [r[0] for r in table].index("language")
        with filebook.open_book(path, backup=False) as book:
            book.set_cells("设置", {(row, 2): "English"})
    if drop_cached:   # as a program that cannot run the formula leaves it: no cached results
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        name = next(n for n, d in parts.items() if n.startswith("xl/worksheets/") and b"REFUND_TABLE(" in d)
        xml = parts[name].decode("utf-8")
        first, last = tb.col_number(tb.FIRST_FORMULA_COL), tb.col_number(tb.FIRST_FORMULA_COL) + 7
        letters = "|".join(tb.col_letter(c) for c in range(first, last + 1))
        xml = re.sub(rf'(<c r="(?:{letters})\d+"[^>]*?)(?: t="\w+")?(>(?:<f[^>]*>[^<]*</f>|<f[^>]*/>)?)'
                     rf'(?:<v>[^<]*</v>|<is>.*?</is>)(</c>)', r"\1\2\3", xml)
        parts[name] = xml.encode("utf-8")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for n, d in parts.items():
                z.writestr(n, d)
        head = files.read_sheets(path)["售后登记"][0]
        assert len(head) < first or head[first - 1] in (None, ""), "the cached results are gone"
    return path


@pytest.mark.parametrize("drop_cached", [False, True], ids=["cached", "no-cached-results"])
def test_english_fill_writes_into_the_templates_own_block(tmp_path, drop_cached):
    path = _template_copy(tmp_path, english=True, drop_cached=drop_cached)
    plan = fill_book(str(path), now=tb.SAMPLE_NOW)
    anchor = tb.col_number(tb.FIRST_FORMULA_COL) - 1
    assert plan.first_col == anchor
    head = files.read_sheets(path)["售后登记"][0]
    head += [None] * (anchor + 12 - len(head))
    assert head[anchor] == HEADERS_EN[0] and head[anchor + 1].startswith(HEADERS_EN[1])
    assert head[anchor + 2:anchor + 8] == list(HEADERS_EN[2:])
    assert all(v in (None, "") for v in head[anchor + 8:]), "no second block beside the template's"
    assert not any(v in RESULT_HEADERS for v in head[:anchor]), "none inside the data either"


def test_plan_fill_takes_the_formulas_block_only_on_the_header_row():
    rows = [list(HEADERS) + [None] * 5] + [r + [None] * 5 for r in make_rows(5, seed=25)]
    far = len(HEADERS) + 3
    assert plan_fill(rows, now=NOW, anchor=(0, far)).first_col == far
    assert plan_fill(rows, now=NOW, anchor=(2, far)).first_col == len(HEADERS) + 1
