"""An id Excel cut short never overwrites the book (contract §2 "Ids", §9 "Nothing lost").

The red team's case: yesterday's export imported with its waybills whole, today's the same
export opened and re-saved by Excel (``7.52342E+13``).  The family: every id column of the
book (订单号, 售后单号, 物流单号, 退货物流单号) × every form a lost id arrives in (the CSV text
Excel writes, in either case of E, with more or fewer digits; a number cell of an .xlsx; the
digits written out padded with zeros) × where the good value is (the book, an older export of
the same run, an earlier row of the same export).  The good value always stays, and the
result says how many cells kept theirs and why; an empty cell takes the lost id only as Excel
shows it (a later evaluate asks), never as digits.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import csv_file

from refund_xl._app import intake
from refund_xl._core import vocab
from refund_xl.cli import main

NOW = "2025-06-10T12:00"
NEXT_DAY = "2025-06-11T12:00"

# 拼多多 售后列表 (platforms.md), its four id columns and the book's headers for them.
HEAD = ["售后编号", "订单编号", "商品名称", "售后类型", "售后状态", "申请时间", "售后原因", "申请退款金额", "订单状态",
        "发货快递公司", "发货快递单号", "退货快递公司", "退货快递单号", "超时时间"]
BOOK_OF = {"售后编号": "售后单号", "订单编号": "订单号", "发货快递单号": "物流单号", "退货快递单号": "退货物流单号"}
GOOD = {"售后编号": "178234567890179871", "订单编号": "4242994886263078938", "发货快递单号": "75234220300002",
        "退货快递单号": "4312345600024"}


def _row(**ids) -> list[object]:
    cells = {"商品名称": "家用抽纸整箱30包", "售后类型": "退货退款", "售后状态": "买家已退货，待商家处理",
             "申请时间": "2025-06-09 08:22:00", "售后原因": "不想要了", "申请退款金额": "19.90", "订单状态": "已发货，待签收",
             "发货快递公司": "中通快递", "退货快递公司": "韵达快递", "超时时间": "2025-06-12 20:00:00", **GOOD, **ids}
    return [cells.get(h) for h in HEAD]


def lossy_forms(good: str) -> list[object]:
    """How an id that went through Excel as a number comes back: the text of a CSV Excel saved (Excel's General
    format, 6 significant digits; other writers' e and precision), the float of an .xlsx cell (only an id
    of 16 digits or more lost digits there), and its digits written out padded with zeros."""
    x = float(good)
    out: list[object] = [f"{x:.5E}", f"{x:.5e}", f"{x:.3E}", f"{x:.6G}".replace("E+", "E")]
    if len(good) >= 16:
        out.append(x)
    if len(good) >= 18:  # (one padded id of 18 digits or more is no chance: vocab.padded_ids)
        out.append(good[:15] + "0" * (len(good) - 15))
    return out


FAMILY = [(col, form) for col in BOOK_OF for form in lossy_forms(GOOD[col])]


def _read(rows, name="x.csv", index=0):
    return intake.read_export(name, [HEAD, *rows], index=index)


def _book():
    head = intake.new_sheet_headers()
    plan = intake.plan_merge(head, [], [_read([_row()])])
    return head, [list(r) for r in plan.appended]


@pytest.mark.parametrize("col,form", FAMILY)
def test_a_lost_id_never_overwrites_the_books_id(col, form):
    head, book = _book()
    at = head.index(BOOK_OF[col])
    assert book[0][at] == GOOD[col]
    plan = intake.plan_merge(head, book, [_read([_row(**{col: form})])])
    assert (0, at) not in plan.cells, plan.cells  # the good id stays
    assert not plan.cells and not plan.appended and plan.counts["unchanged"] == 1
    assert plan.counts["kept_id"] == 1
    text = plan.summary()
    assert "保留登记表原有单号 1 格" in text and "Excel" in text, text


@pytest.mark.parametrize("col,form", FAMILY)
def test_an_empty_cell_takes_a_lost_id_only_as_excel_shows_it(col, form):
    head, book = _book()
    at = head.index(BOOK_OF[col])
    book[0][at] = None  # (a 订单号 or 售后单号 left empty: the other key finds the row)
    plan = intake.plan_merge(head, book, [_read([_row(**{col: form})])])
    got = plan.cells.get((0, at))
    assert isinstance(got, str) and vocab.is_lossy_id(got), got  # asked by a later evaluate
    assert not re.fullmatch(r"[0-9]+", got) and "E" in got.upper()  # never digits Excel invented
    assert plan.counts["kept_id"] == 0


@pytest.mark.parametrize("col,form", FAMILY)
def test_within_one_run_the_good_id_of_an_older_export_or_an_earlier_row_stays(col, form):
    head = intake.new_sheet_headers()
    at = head.index(BOOK_OF[col])
    # an older export with the id whole, then today's Excel-saved one
    plan = intake.plan_merge(head, [], [_read([_row()], "a.csv", 0), _read([_row(**{col: form})], "b.csv", 1)])
    assert len(plan.appended) == 1 and plan.appended[0][at] == GOOD[col]
    assert plan.counts["kept_id"] == 1
    if isinstance(form, str) and form.isdigit():
        return  # (a padded id beside a whole one of its length in one column may be real: vocab.padded_ids)
    # one export holding the case twice, once whole and once cut: no conflict, the whole id
    plan = intake.plan_merge(head, [], [_read([_row(), _row(**{col: form})])])
    assert len(plan.appended) == 1 and plan.appended[0][at] == GOOD[col]
    assert plan.note_counts["conflict"] == 0


def _csv(path: Path, rows, notice: str | None = "温馨提示：仅支持导出近3个月的售后单") -> Path:
    return csv_file(path, HEAD, rows, notice)


def test_the_excel_saved_export_of_the_next_day_keeps_every_good_id(tmp_path, capsys):
    """The red team's two days: 0610 as downloaded, 0611 the same export re-saved by Excel."""
    day1, day2 = [], []
    for n in range(6):
        ids = {"售后编号": f"1123456700{n}", "订单编号": f"250607-00051234000000{n}",
               "发货快递单号": f"7523422030000{n}", "退货快递单号": f"431234560002{n}" if n % 2 else None}
        day1.append(_row(**ids))
        saved = dict(ids)
        for k in ("发货快递单号", "退货快递单号"):
            if saved[k]:
                saved[k] = f"{float(saved[k]):.5E}"
        day2.append(_row(**saved, 售后状态="退款成功" if n == 0 else "买家已退货，待商家处理"))
    a = _csv(tmp_path / "拼多多售后_0610.csv", day1)
    b = _csv(tmp_path / "拼多多售后_0611_Excel另存.csv", day2, notice=None)
    book = tmp_path / "售后登记.xlsx"
    assert main(["import", str(a), "--into", str(book), "--now", NOW]) == 0
    capsys.readouterr()
    assert main(["import", str(b), "--into", str(book), "--now", NEXT_DAY]) == 0
    out = capsys.readouterr().out
    from refund_xl._files import files

    rows = files.read_sheets(book)["售后登记"]
    head = rows[0]
    for want, got in zip(day1, rows[1:]):
        for col, name in BOOK_OF.items():
            assert got[head.index(name)] == want[HEAD.index(col)], (name, got)
    assert got[head.index("售后状态")] == "处理中"
    assert rows[1][head.index("售后状态")] == "已退款"  # what the export could say is still taken
    assert "更新 1 行" in out and "保留登记表原有单号 9 格" in out, out
