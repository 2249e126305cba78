"""contract §2 "Dates", "No silent guess", §5, §9: a cell reads the same whatever host hands it over and whatever
stands beside it.

* An Excel error cell (#N/A from a failed VLOOKUP, #VALUE! …) in an .xlsx is the error, unreadable — never a blank
  that takes the field's default (calamine hands such cells over as blanks; the formulas see the error).
* A date cell with no time of day is the whole day from every host: Value2's serial with no fraction, a file's
  date cell, a date, a text date.
* A whole day and a time of day typed as that day's 00:00 (「6月8日」 and 「2025-06-08 00:00」) are two readings: a
  column read once per distinct value never lends one row's reading to the other.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from conftest import NOW
from refund_xl import udfs
from refund_xl._core import vocab
from refund_xl._files.bounded import BoundedBook
from refund_xl.cli import main

ERRORS = sorted(vocab.COM_ERRORS.values())
HEAD = ["订单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间", "收货省份",
        "客户反馈", "快递核实", "拦截状态", "退货物流状态", "验货结果", "退货原因", "协商进度", "超时时间"]
# a row per word field whose action its cell decides, with the field's word the row is decided on
ROWS = {
    "验货结果": ["R1", "退货退款", 59, "已发货", "", "", "已签收", "", "浙江", "", "", "", "已签收", "合格", "质量问题", "", ""],
    "拦截状态": ["R2", "仅退款", 599, "已发货", "中通快递", "75234220269999", "运输中", NOW - timedelta(hours=3), "浙江", "",
             "", "拦截成功", "", "", "", "", ""],
    "快递核实": ["R3", "仅退款", 59, "已发货", "中通快递", "75234220269998", "已签收", NOW - timedelta(hours=30), "浙江",
             "未收到", "已签收", "", "", "", "", "", ""],
    "物流状态": ["R4", "仅退款", 59, "已发货", "中通快递", "75234220269997", "运输中", NOW - timedelta(hours=3), "浙江", "",
             "", "", "", "", "", "", ""],
}


def _xlsx_with_error(path, field: str, error: str):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append([None if v == "" else v for v in ROWS[field]])
    cell = ws.cell(row=2, column=HEAD.index(field) + 1)
    cell.value, cell.data_type = error, "e"
    wb.save(path)
    return path


@pytest.mark.parametrize("error", ERRORS)
def test_a_files_error_cell_is_read_as_the_error(tmp_path, error):
    path = _xlsx_with_error(tmp_path / "e.xlsx", "验货结果", error)
    book = BoundedBook(path.read_bytes(), path.name)
    rows = book.rows(book.sheet_names[0])
    assert rows[1][HEAD.index("验货结果")] == error
    assert rows[1][0] == "R1" and rows[1][HEAD.index("退货原因")] == "质量问题"  # the other cells as they were


@pytest.mark.parametrize("field", sorted(ROWS))
@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#VALUE!"])
def test_an_error_cell_in_a_file_asks_as_the_formulas_do(tmp_path, field, error):
    path = _xlsx_with_error(tmp_path / "e.xlsx", field, error)
    out = tmp_path / "out.csv"
    assert main(["evaluate", str(path), "--out", str(out), "--now", NOW.isoformat(timespec="minutes")]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["action_code"] == "NEEDS_INFO" and field in row["action"], row
    # the formulas, handed the error as Value2 hands it (COM's code), say the same
    code = next(c for c, text in vocab.COM_ERRORS.items() if text == error)
    cells = [code if h == field else (None if v == "" else v) for h, v in zip(HEAD, ROWS[field])]
    assert udfs.REFUND_ACTION([cells], [HEAD], None, NOW, "code") == [["NEEDS_INFO"]]


# ------------------------------------------------------------ midnight and the whole day

_DAY = datetime(2025, 6, 8)
# the same day handed over as a whole day by each host, and typed as a time of day at 00:00
WHOLE = [(_DAY - datetime(1899, 12, 30)).days * 1.0, _DAY.date(), "6月8日", "2025-06-08", "2025/6/8"]
MIDNIGHT = [_DAY, "2025-06-08 00:00", "2025/6/8 0:00", "2025-06-08 00:00:00"]


def _transit(when: object) -> list[object]:
    return ["R", "仅退款", 59, "已发货", "中通快递", "75234220269990", "运输中", when, "湖南", "", "", "", "", "", "", "", ""]


def _deadline(when: object) -> list[object]:
    row = _transit(NOW - timedelta(hours=2))
    row[HEAD.index("超时时间")] = when
    return row


@pytest.mark.parametrize("when", WHOLE)
def test_a_date_with_no_time_of_day_is_the_whole_day_from_every_host(when):
    # 60 h before now at 00:00, 36 h at the day's end: the stall is not known (48 h is the line)
    stall = udfs.STALL_STATUS([_transit(when)], [HEAD], None, NOW, "code")[0][0]
    assert stall == "NEEDS_INFO" or stall.startswith("#信息不足: 物流更新时间"), stall
    assert udfs.REFUND_ACTION([_transit(when)], [HEAD], None, NOW, "code")[0][0] == "NEEDS_INFO"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(WHOLE), st.sampled_from(MIDNIGHT), st.booleans(),
       st.sampled_from([("STALL_STATUS", _transit, NOW), ("DEADLINE_STATUS", _deadline, datetime(2025, 6, 7, 12))]))
def test_a_whole_day_and_that_days_midnight_never_lend_each_other_their_reading(whole, midnight, first, call):
    name, row_of, now = call
    fn = getattr(udfs, name)
    alone = [fn([row_of(v)], [HEAD], None, now, "code")[0][0] for v in (whole, midnight)]
    order = [whole, midnight] if first else [midnight, whole]
    together = [r[0] for r in fn([row_of(v) for v in order], [HEAD], None, now, "code")]
    assert together == (alone if first else alone[::-1]), (order, together, alone)
    assert alone[0] != alone[1]  # (the two are read apart: the whole day straddles a line its 00:00 does not)


def test_the_ribbon_reads_a_date_cell_at_midnight_as_the_whole_day_as_the_file_host_does(tmp_path):
    """xlwings hands a date cell over as a datetime, 00:00 for a date with no time of day: the Excel host builds
    it as the whole day (xlwings' ``dates`` option), as the file host reads the same cell (calamine's date) and a
    formula its Value2 (a serial with no fraction)."""
    from xlwings_standin import Book as XlBook

    from helpers import workbook_file
    from refund_xl._excel.excel_book import ExcelBook

    cells = [HEAD, _transit(_DAY), _transit(_DAY + timedelta(hours=10))]
    ribbon = ExcelBook(XlBook({"售后登记": [list(r) for r in cells]})).rows("售后登记")
    path = workbook_file(tmp_path / "b.xlsx", {"售后登记": cells})
    book = BoundedBook(path.read_bytes(), path.name)
    on_file = book.rows("售后登记")
    at = HEAD.index("物流更新时间")
    for rows in (ribbon, on_file):
        whole, timed = vocab.parse_datetime(rows[1][at]), vocab.parse_datetime(rows[2][at])
        assert whole.__class__ is vocab.WholeDay and whole == vocab.whole_day(_DAY)
        assert timed == _DAY + timedelta(hours=10) and timed.__class__ is datetime
