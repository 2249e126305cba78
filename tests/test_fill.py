"""`refund-xl fill` (contract §7): REFUND_TABLE's block as plain values next to the tracking data.

plan_fill is pure (sheet rows in, cell updates out); the file path goes
through the safe-write module (filebook.open_book) once it is merged.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from benchmarks.synth import HEADERS, NOW, make_rows
from refund_xl import udfs
from refund_xl._core.errors import RefundXLError
from refund_xl._app.fill import plan_fill, result_start


def _sheet(n=40, seed=9, notice=False):
    rows = [list(HEADERS)] + make_rows(n, seed=seed)
    if notice:   # a platform export's notice row above the headers
        rows.insert(0, ["以下数据导出于 2025-06-10，请勿外传"] + [None] * (len(HEADERS) - 1))
    return rows


def _apply(rows, updates):
    out = [list(r) for r in rows]
    for (r, c), v in updates.items():
        while len(out) <= r:
            out.append([])
        row = out[r]
        row.extend([None] * (c + 1 - len(row)))
        row[c] = v
    return out


def test_results_go_right_of_the_data_one_column_apart_and_equal_refund_table():
    rows = _sheet()
    plan = plan_fill(rows, now=NOW)
    start = len(HEADERS) + 1
    assert plan.first_col == start and plan.header_row == 0
    assert {c for (_r, c) in plan.updates} == set(range(start, start + 8))
    block = udfs.REFUND_TABLE(rows, [HEADERS], None, NOW)
    got = _apply(rows, plan.updates)
    for r, want in enumerate(block):
        cells = got[r][start:start + 8]
        assert [v if v is not None else "" for v in cells + [None] * (8 - len(cells))] == want
    assert got[0][start:start + 2] == ["处理动作", "判定依据（基准时间 2025-06-10 12:00）"]
    assert plan.cases == 40 and sum(plan.counts.values()) == 40


def test_staff_cells_are_never_in_the_updates():
    rows = _sheet(notice=True)
    rows[5] = rows[5] + [None, None, None, None]
    rows[1] = rows[1] + ["跟进备注"]
    plan = plan_fill(rows, now=NOW)
    assert plan.header_row == 1
    width = len(HEADERS) + 1
    assert min(c for (_r, c) in plan.updates) == width + 1
    assert all(r >= 1 for (r, _c) in plan.updates)


def test_rerun_reuses_its_own_columns_and_clears_rows_that_left():
    rows = _sheet(30)
    first = _apply(rows, plan_fill(rows, now=NOW).updates)
    assert result_start(first[0]) == len(HEADERS) + 1
    # staff delete five cases (their rows leave the sheet) and add a note column after the results
    shorter = first[:-5]
    shorter[0] = shorter[0] + ["跟进备注"]
    later = datetime(2025, 6, 11, 9, 0)
    shorter += [[None] * len(shorter[1])] + [list(r) for r in first[-2:]]   # a blank row, two stale result rows
    for r in shorter[-2:]:
        r[:len(HEADERS)] = [None] * len(HEADERS)
    plan = plan_fill(shorter, now=later)
    assert plan.first_col == len(HEADERS) + 1, "the same columns, not a second block"
    assert max(c for (_r, c) in plan.updates) == plan.first_col + 7, "the 跟进备注 column is not touched"
    again = _apply(shorter, plan.updates)
    assert all(v is None for r in again[-3:] for v in r[plan.first_col:plan.first_col + 8])
    assert "2025-06-11 09:00" in again[0][plan.first_col + 1]


def test_template_block_is_taken_over_in_place():
    import openpyxl

    from refund_xl import _template as tb

    template = Path(__file__).resolve().parents[1] / "workbook_template.xlsm"
    ws = openpyxl.load_workbook(template, data_only=True)[tb.SHEET_TRACKING]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    plan = plan_fill(rows, now=tb.SAMPLE_NOW)
    assert plan.first_col == tb.col_number(tb.FIRST_FORMULA_COL) - 1
    assert plan.header_row == 0 and plan.cases > 50


def test_no_tracking_table_is_one_clear_error():
    with pytest.raises(RefundXLError, match="找不到售后登记表"):
        plan_fill([["日期", "金额"], ["2025-06-01", 3]], now=NOW)


# ------------------------------------------------------------ the file path

def _book_with_staff_formula(tmp_path):
    """A desk's .xlsx: the tracking sheet, a staff HYPERLINK formula and a note column after the data."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    rows = _sheet(25, seed=21)
    for r in rows:
        ws.append([v for v in r])
    ws.cell(row=1, column=len(HEADERS) + 12, value="链接")
    ws.cell(row=2, column=len(HEADERS) + 12, value='=HYPERLINK("https://example.com","订单")')
    path = tmp_path / "售后登记.xlsx"
    wb.save(path)
    return path, rows


def test_fill_writes_values_in_place_with_a_backup(tmp_path, capsys):
    import openpyxl

    from refund_xl.cli import main

    path, rows = _book_with_staff_formula(tmp_path)
    assert main(["fill", str(path), "--now", "2025-06-10T12:00"]) == 0
    assert "判定结果 25 行" in capsys.readouterr().out
    assert list(tmp_path.glob("售后登记.bak-*.xlsx")), "a backup of the original"
    ws = openpyxl.load_workbook(path)["售后登记"]
    start = len(HEADERS) + 13          # 0-based: right of the staff 链接 column, one empty column apart
    got = [[c.value for c in r][start:start + 8] for r in ws.iter_rows(min_row=1, max_row=26)]
    want = udfs.REFUND_TABLE(rows, [HEADERS], None, NOW)
    assert [[v if v is not None else "" for v in r] for r in got] == want
    assert ws.cell(row=2, column=len(HEADERS) + 12).value == '=HYPERLINK("https://example.com","订单")'
    # a second run the next morning updates the same columns, nothing else
    assert main(["fill", str(path), "--now", "2025-06-11T09:00"]) == 0
    ws = openpyxl.load_workbook(path)["售后登记"]
    assert "2025-06-11 09:00" in ws.cell(row=1, column=start + 2).value
    assert ws.cell(row=1, column=start + 9).value is None


def test_fill_refuses_a_book_open_in_excel(tmp_path, capsys):
    from refund_xl.cli import main

    path, _rows = _book_with_staff_formula(tmp_path)
    before = path.read_bytes()
    (tmp_path / ("~$" + path.name)).write_bytes(b"owner")
    assert main(["fill", str(path), "--now", "2025-06-10T12:00"]) == 2
    assert capsys.readouterr().err.strip()
    assert path.read_bytes() == before


def test_fill_a_missing_file_says_so(tmp_path, capsys):
    from refund_xl.cli import main

    assert main(["fill", str(tmp_path / "没有这个.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert not (tmp_path / "没有这个.xlsx").exists()


def test_fill_reads_the_books_value_table_and_dates_without_a_year(tmp_path):
    # the same reading as the formulas and evaluate: 值映射 applies, 6月9日 10:00 counts back from now
    import openpyxl

    from refund_xl._files.fill_file import fill_book

    book = tmp_path / "desk.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流更新时间", "收货省份"])
    ws.append(["F1", "仅退款", 59, "已发货", "在路上了", "6月9日 10:00", "浙江"])
    values = wb.create_sheet("值映射")
    values.append(["字段", "原值", "标准值"])
    values.append(["物流状态", "在路上了", "运输中"])
    wb.save(book)
    plan = fill_book(str(book), now=datetime(2025, 6, 10, 12, 0))
    row = [c.value for c in openpyxl.load_workbook(book)["售后登记"][2]]
    assert plan.cases == 1
    assert "催件" in row and "低客单：发起拦截并登记，直接退款" in row, row
