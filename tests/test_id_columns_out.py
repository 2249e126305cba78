"""Every id column goes out of evaluate one way (contract §9 "Order and tracking numbers stay text", §2 "Ids"):
订单号, 售后单号, 物流单号, 退货物流单号 alike — a number cell Excel kept whole as its digits, one that lost digits as
Excel shows it (``1.23457E+15``), never ``1234567890123456.0`` nor invented digits; to a CSV and to an .xlsx."""

from __future__ import annotations

import csv
from datetime import datetime

import openpyxl
import pytest

from refund_xl._core import vocab
from refund_xl.cli import main

HEAD = ["订单号", "售后单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间",
        "退货物流单号", "售后状态"]
IDS = ["订单号", "售后单号", "物流单号", "退货物流单号"]
# a number cell: whole (up to 15 digits), or cut (16 digits or more: Excel kept 15)
NUMBERS = [75234220267368.0, 4312345678901.0, 1234567890123456.0, 4.80299094089868e18, 1.52837465012346e17]


def _want(v: float) -> str:
    return vocab.shown_id(v) if vocab.is_lossy_id(v) else str(int(v))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("column", IDS)
def test_a_number_cell_in_any_id_column_goes_out_as_the_input_showed_it(tmp_path, capsys, column, suffix):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for n, v in enumerate(NUMBERS):
        row = {"订单号": f"424299488626307{n:04d}", "售后单号": f"15283746501234{n:04d}", "售后类型": "退货退款",
               "退款金额": 59, "发货状态": "已发货", "快递公司": "中通快递", "物流单号": f"7523422026{n:04d}",
               "物流状态": "已签收", "物流更新时间": datetime(2025, 6, 9, 6), "退货物流单号": None, "售后状态": "处理中"}
        row[column] = v
        ws.append([row[h] for h in HEAD])
    wb.save(tmp_path / "in.xlsx")
    out = tmp_path / f"out{suffix}"
    assert main(["evaluate", str(tmp_path / "in.xlsx"), "--out", str(out), "--now", "2025-06-10T12:00"]) == 0
    capsys.readouterr()
    if suffix == ".csv":
        with open(out, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        at = rows[0].index(column)
        got = [r[at] for r in rows[1:len(NUMBERS) + 1]]
    else:
        sheet = openpyxl.load_workbook(out).worksheets[0]
        table = [[c.value for c in r] for r in sheet.iter_rows()]
        head_at = next(i for i, r in enumerate(table) if column in r)
        at = table[head_at].index(column)
        got = [r[at] for r in table[head_at + 1:head_at + 1 + len(NUMBERS)]]
    assert got == [_want(v) for v in NUMBERS]
