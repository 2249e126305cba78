"""Build the messy tracking sheets of this folder (run: python tests/data/messy/make_messy.py).

Each sheet is what a desk really has after typing by hand, pasting several
platforms' exports and sharing the file: see README.md here for what each one
holds and what the product does with it.  The files are committed; this script
rebuilds them byte-for-byte-equivalent content (openpyxl stamps a creation time,
so the bytes differ but the cells do not).

All expectations are at now = 2025-06-10 12:00 with the default settings.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent

HEADERS = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "商品类型", "发货状态", "快递公司",
           "物流单号", "物流状态", "物流更新时间", "收货省份", "客户反馈", "退货物流状态", "验货结果",
           "退货原因", "售后状态"]

# (row, expected action code at now = 2025-06-10 12:00)
BASE = [
    ({"订单号": "100001", "售后单号": "A1", "申请时间": datetime(2025, 6, 10, 9, 0), "售后类型": "仅退款",
      "退款金额": 59, "商品类型": "标品", "发货状态": "未发货", "收货省份": "广东"}, "APPROVE_REFUND"),
    ({"订单号": "100002", "售后单号": "A2", "申请时间": datetime(2025, 6, 10, 8, 0), "售后类型": "仅退款",
      "退款金额": 299, "发货状态": "已发货", "快递公司": "顺丰", "物流单号": "SF1234567890",
      "物流状态": "运输中", "物流更新时间": datetime(2025, 6, 10, 8, 0), "收货省份": "浙江"}, "INTERCEPT_AND_WATCH"),
    ({"订单号": "100003", "售后单号": "A3", "申请时间": datetime(2025, 6, 10, 7, 0), "售后类型": "仅退款",
      "退款金额": 59, "发货状态": "已发货", "快递公司": "中通", "物流单号": "78901234567890",
      "物流状态": "运输中", "物流更新时间": datetime(2025, 6, 10, 6, 0), "收货省份": "江苏"}, "INTERCEPT_REFUND_NOW"),
    ({"订单号": "100004", "售后单号": "A4", "申请时间": datetime(2025, 6, 9, 20, 0), "售后类型": "退货退款",
      "退款金额": 88, "发货状态": "已发货", "退货原因": "有点小瑕疵", "收货省份": "上海"}, "OFFER_COMPENSATION"),
    ({"订单号": "100005", "售后单号": "A5", "申请时间": datetime(2025, 6, 9, 10, 0), "售后类型": "仅退款",
      "退款金额": 120, "发货状态": "已发货", "快递公司": "圆通", "物流单号": "YT9876543210",
      "物流状态": "已签收", "物流更新时间": datetime(2025, 6, 8, 10, 0), "客户反馈": "没收到"}, "VERIFY_WITH_COURIER"),
    ({"订单号": "100006", "售后单号": "A6", "申请时间": datetime(2025, 6, 8, 10, 0), "售后类型": "退货退款",
      "退款金额": 500, "发货状态": "已发货", "退货物流状态": "已签收"}, "INSPECT_THEN_REFUND"),
]


def _row(values: dict, headers=HEADERS) -> list:
    return [values.get(h) for h in headers]


def _book(title: str = "售后登记"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    return book, ws


def _widths(ws, n: int) -> None:
    for c in range(1, n + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14


def title_row():
    """A merged title row and an empty row above the headers (how shops print their sheet)."""
    book, ws = _book()
    ws.append(["XX旗舰店 售后登记表（2025年6月）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([])
    ws.append(HEADERS)
    for values, _ in BASE:
        ws.append(_row(values))
    _widths(ws, len(HEADERS))
    return book


def merged_header():
    """Two header rows: group titles merged across columns, and 订单号/售后单号/售后类型
    merged down over both rows (so the second header row has gaps under them)."""
    book, ws = _book()
    groups = [("订单号", 1, 1), ("售后单号", 2, 2), ("申请时间", 3, 3), ("售后类型", 4, 4), ("金额与商品", 5, 6),
              ("物流信息", 7, 12), ("客户与退货", 13, 16), ("售后状态", 17, 17)]
    top = [None] * len(HEADERS)
    for text, a, _b in groups:
        top[a - 1] = text
    ws.append(top)
    second = list(HEADERS)
    for _text, a, b in groups:
        if a == b:           # merged down: the value lives in the top cell only
            second[a - 1] = None
    ws.append(second)
    for _text, a, b in groups:
        if a == b:
            ws.merge_cells(start_row=1, start_column=a, end_row=2, end_column=a)
        else:
            ws.merge_cells(start_row=1, start_column=a, end_row=1, end_column=b)
    for values, _ in BASE:
        ws.append(_row(values))
    _widths(ws, len(HEADERS))
    return book


def blank_rows():
    """Blank rows in the middle, a row of spaces, and blank rows at the end."""
    book, ws = _book()
    ws.append(HEADERS)
    rows = [_row(v) for v, _ in BASE]
    ws.append(rows[0])
    ws.append(rows[1])
    ws.append([])
    ws.append([])
    ws.append(rows[2])
    ws.append([" ", "  ", None, "　"])  # spaces only (one full-width)
    ws.append(rows[3])
    ws.append(rows[4])
    ws.append([])
    ws.append(rows[5])
    ws.append([])
    ws.append([])
    return book


def totals_row():
    """A 合计 row at the bottom (count and sum typed in), and a 总计 row under a blank row."""
    book, ws = _book()
    ws.append(HEADERS)
    for values, _ in BASE:
        ws.append(_row(values))
    total = sum(v["退款金额"] for v, _ in BASE)
    ws.append(_row({"订单号": "合计", "售后单号": f"{len(BASE)}单", "退款金额": total}))
    ws.append([])
    ws.append(_row({"订单号": None, "售后单号": "总计：", "退款金额": total}))
    return book


def text_numbers():
    """Numbers stored as text (the green triangle): amounts, dates, serials, ids with leading zeros."""
    book, ws = _book()
    ws.append(HEADERS)
    texts = [
        {"订单号": "000100001", "退款金额": "59", "申请时间": "2025/6/10 9:00"},
        {"订单号": "000100002", "退款金额": "¥299.00", "申请时间": "2025-06-10 08:00", "物流更新时间": "45818.3333333333"},
        {"订单号": "000100003", "退款金额": " 59元 ", "申请时间": "2025年6月10日 7:00", "物流单号": "078901234567890"},
        {"订单号": "000100004", "退款金额": "88.00", "申请时间": "45817.8333333333"},
        {"订单号": "000100005", "退款金额": "１２０", "申请时间": "2025.6.9 10:00"},
        {"订单号": "000100006", "退款金额": "1,000", "申请时间": "2025-06-08"},
    ]
    for (values, _), change in zip(BASE, texts):
        row = dict(values, **change)
        ws.append([str(v) if isinstance(v, (int, float)) else v for v in _row(row)])
    for r in ws.iter_rows(min_row=2):
        for c in r:
            if isinstance(c.value, str):
                c.number_format = "@"
    return book


def float_ids():
    """Order and tracking numbers that Excel turned into numbers, and one pasted as 3.9E+16 text."""
    book, ws = _book()
    ws.append(HEADERS)
    ids = [
        {"订单号": 39000000000000000.0, "物流单号": None},          # shows as 3.9E+16 in Excel
        {"订单号": 4177034256340093436, "物流单号": 773012345678901},  # 19 digits: a float in Excel
        {"订单号": 12345678, "物流单号": 78901234567890.0},
        {"订单号": "3.9E+16"},                                       # CSV opened and re-saved in Excel
        {"订单号": 100005.0},
        {"订单号": "100006.0"},
    ]
    for (values, _), change in zip(BASE, ids):
        ws.append(_row(dict(values, **change)))
    return book


def duplicate_orders():
    """One order with two after-sales cases, and one case pasted twice."""
    book, ws = _book()
    ws.append(HEADERS)
    rows = [dict(v) for v, _ in BASE]
    rows[3]["订单号"] = "100001"            # 2nd case on order 100001 (different 售后单号): legitimate
    ws.append(_row(rows[0]))
    ws.append(_row(rows[1]))
    ws.append(_row(rows[1]))                # the same case pasted twice
    for r in rows[2:]:
        ws.append(_row(r))
    return book


def hidden_columns():
    """Hidden columns (售后类型 among them), a hidden row, and a hidden helper column of formulas/junk."""
    book, ws = _book()
    headers = HEADERS + ["备注(隐藏)"]
    ws.append(headers)
    notes = ["=VLOOKUP(A2,Sheet2!A:B,2,0)", "@SUM(1)", "+86 138 0000 0000", "-", "=cmd|' /C calc'!A0", "内部备注"]
    for (values, _), note in zip(BASE, notes):
        ws.append(_row(values) + [note])
    for name in ("售后类型", "收货省份", "备注(隐藏)"):
        ws.column_dimensions[get_column_letter(headers.index(name) + 1)].hidden = True
    ws.row_dimensions[3].hidden = True
    return book


def everything():
    """All of it at once, on a sheet that is not the first (a notes sheet comes first)."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["本表由客服组共同维护，请勿删除列"])
    ws = book.create_sheet("6月售后")
    ws.append(["6月售后登记（客服组）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    ws.append(HEADERS)
    rows = [_row(v) for v, _ in BASE]
    rows[1][0] = 4177034256340093436      # a float id
    rows[2][4] = "¥59.00"                 # amount as text
    ws.append(rows[0])
    ws.append([])
    ws.append(rows[1])
    ws.append(rows[1])                    # pasted twice
    ws.append(rows[2])
    ws.append(rows[3])
    ws.append(rows[4])
    ws.append(rows[5])
    ws.append(_row({"订单号": "合计", "退款金额": sum(v["退款金额"] for v, _ in BASE)}))
    ws.column_dimensions["L"].hidden = True
    return book


SHEETS = {
    "title_row.xlsx": title_row,
    "merged_header.xlsx": merged_header,
    "blank_rows.xlsx": blank_rows,
    "totals_row.xlsx": totals_row,
    "text_numbers.xlsx": text_numbers,
    "float_ids.xlsx": float_ids,
    "duplicate_orders.xlsx": duplicate_orders,
    "hidden_columns.xlsx": hidden_columns,
    "everything.xlsx": everything,
}


def main(folder: Path = HERE) -> list[Path]:
    out = []
    for name, build in SHEETS.items():
        book = build()
        book.properties.creator = "refund_xl tests"
        book.properties.created = book.properties.modified = datetime(2025, 6, 10, 12, 0)
        path = folder / name
        book.save(path)
        out.append(path)
    return out


if __name__ == "__main__":
    for p in main():
        print(p.name)
