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


# number formats a desk gives a date column: built-in (by what Excel writes for them) and custom, with and without
# a time of day; quoted text, [$-804] locales, colours and padding are no time codes
DAY_ONLY = ["yyyy-mm-dd", "yyyy/m/d", "m/d/yyyy", 'yyyy"年"m"月"d"日"', "[$-804]yyyy/m/d aaaa", 'm"月"d"日"',
            "d-mmm-yy", "[Red]yyyy-mm-dd", 'yyyy-mm-dd" hrs"', "yyyy-mm-dd_);@"]
WITH_TIME = ["yyyy/m/d h:mm", "yyyy-mm-dd hh:mm:ss", "m/d/yyyy h:mm AM/PM", 'yyyy"年"m"月"d"日" h"时"mm"分"',
             "yyyy-mm-dd hh:mm", "[$-804]yyyy/m/d h:mm", "m/d/yy h:mm", "mm-dd hh:mm", 'yyyy/m/d 上午/下午h"时"mm"分"',
             "yyyy/m/d h:mm:ss.000"]


def _book_with_formats(path, fmt: str):
    """A tracking sheet whose 物流更新时间 cells hold 6/8 at 00:00 and at 10:00, formatted ``fmt``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(HEAD)
    for n, when in enumerate((_DAY, _DAY + timedelta(hours=10))):
        ws.append([f"42013398561200390{n:02d}", *_transit(when)[1:]])
    at = HEAD.index("物流更新时间") + 1
    for r in (2, 3):
        ws.cell(row=r, column=at).number_format = fmt
    wb.save(path)
    return path


@pytest.mark.parametrize("fmt", DAY_ONLY + WITH_TIME)
def test_a_date_cell_at_midnight_is_what_its_format_shows_from_every_reader(tmp_path, fmt):
    """A cell at 00:00 formatted with a time of day shows 「2025/6/8 0:00」: that moment, as typed text of it reads —
    only a date written without a time of day is the whole day (contract §2 "Dates").  calamine hands every cell at
    00:00 over as a day; the sparse reader, the calamine reader and the ribbon (the column's number format) agree."""
    from xlwings_standin import Book as XlBook

    from refund_xl._excel.excel_book import ExcelBook

    path = _book_with_formats(tmp_path / "b.xlsx", fmt)
    book = BoundedBook(path.read_bytes(), path.name)
    at = HEAD.index("物流更新时间")
    xl = XlBook({"售后登记": [HEAD, _transit(_DAY), _transit(_DAY + timedelta(hours=10))]})
    for r in (2, 3):
        xl.sheets["售后登记"].formats[(r, at + 1)] = fmt
    readers = {"calamine": book.rows("售后登记"), "sparse": book._sparse_rows("售后登记"),
               "ribbon": ExcelBook(xl).rows("售后登记")}
    for name, rows in readers.items():
        midnight, timed = vocab.parse_datetime(rows[1][at]), vocab.parse_datetime(rows[2][at])
        if fmt in WITH_TIME:
            assert midnight.__class__ is datetime and midnight == _DAY, (name, rows[1][at])
        else:
            assert midnight.__class__ is vocab.WholeDay and midnight == vocab.whole_day(_DAY), (name, rows[1][at])
        assert timed == _DAY + timedelta(hours=10) and timed.__class__ is datetime, (name, rows[2][at])


@pytest.mark.parametrize("fmt", [WITH_TIME[0], DAY_ONLY[0]])
def test_a_lost_parcel_stamped_at_midnight_is_decided_as_its_cell_shows(tmp_path, fmt):
    """6/8 0:00, 60 h before now (48 h is the line): LOST and a claim where the cell shows that 0:00; where it shows
    the day only, the day's end is 36 h: asked, naming the cell."""
    path = _book_with_formats(tmp_path / "b.xlsx", fmt)
    out = tmp_path / "out.csv"
    assert main(["evaluate", str(path), "--out", str(out), "--now", NOW.isoformat(timespec="minutes")]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        first = next(csv.DictReader(fh))
    assert first["action_code"] == ("REFUND_OR_RESHIP_CLAIM" if fmt in WITH_TIME else "NEEDS_INFO"), first


def test_a_blank_between_two_midnights_does_not_hide_their_format_from_the_ribbon():
    """(a General blank between two 00:00 cells made the column's format None: both read as whole days, while the
    file host read each cell's style — one format read per run of such cells)"""
    from xlwings_standin import Book as XlBook

    from refund_xl._excel.excel_book import ExcelBook

    at = HEAD.index("物流更新时间")
    xl = XlBook({"售后登记": [HEAD, _transit(_DAY), _transit(None), _transit(_DAY)]})
    for r in (2, 4):
        xl.sheets["售后登记"].formats[(r, at + 1)] = WITH_TIME[0]
    rows = ExcelBook(xl).rows("售后登记")
    assert [vocab.parse_datetime(r[at]).__class__ for r in (rows[1], rows[3])] == [datetime, datetime]


def test_a_column_of_mixed_formats_stays_the_whole_day_in_the_ribbon():
    """The ribbon reads one format per column (xlwings: None where its cells differ): the cautious reading."""
    from xlwings_standin import Book as XlBook

    from refund_xl._excel.excel_book import ExcelBook

    at = HEAD.index("物流更新时间")
    xl = XlBook({"售后登记": [HEAD, _transit(_DAY), _transit(_DAY)]})
    xl.sheets["售后登记"].formats[(2, at + 1)] = WITH_TIME[0]
    xl.sheets["售后登记"].formats[(3, at + 1)] = DAY_ONLY[0]
    rows = ExcelBook(xl).rows("售后登记")
    assert all(vocab.parse_datetime(r[at]).__class__ is vocab.WholeDay for r in rows[1:])