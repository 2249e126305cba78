"""Issue 9, "done when": one row reads the same everywhere, and the template's 话术模板 is read by its headers.

* The formulas (REFUND_TABLE and the per-column functions), the ribbon (the
  macros against a stand-in book) and the command line (``evaluate``) give the
  same action for the same rows under the same 列名映射 / 值映射.
* ``refund-xl batch`` on a copy of workbook_template.xlsm, after one template
  in 话术模板 is edited, uses the edited text, and no reply is a note or a row dump.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import NOW, ago
from refund_xl import macros, udfs
from refund_xl.cli import main
from helpers import workbook_file
from xlwings_standin import Book as XlBook

ROOT = Path(__file__).resolve().parents[1]

# A desk's own sheet: her headers (mapped in 列名映射) and her words (mapped in 值映射).
HEADERS = ["单号", "类型", "钱", "发了没", "物流", "最后动静", "拦截", "处理情况", "省", "原因"]
ROWS = [
    ["A1", "仅退款", 899, "已发货", "在路上了", ago(5), "快递说拦不住", "还在弄", "浙江", ""],
    ["A2", "仅退款", 59, "已发货", "在路上了", ago(5), "没弄", "还在弄", "浙江", ""],
    ["A3", "仅退款", 899, "已发货", "在路上了", ago(5), "快递已退回", "结单了", "浙江", ""],
    ["A4", "退货退款", 120, "已发货", "", None, "", "还在弄", "新疆", ""],
    ["A5", "仅退款", 899, "已发货", "在路上了", ago(59), "拦截不成功", "还在弄", "浙江", ""],  # not midnight: a date cell at 00:00 is a whole day
]
COLUMNS = [["表头", "字段"], ["单号", "订单号"], ["钱", "退款金额"], ["发了没", "发货状态"], ["物流", "物流状态"],
           ["最后动静", "物流更新时间"], ["处理情况", "售后状态"], ["省", "收货省份"]]
VALUES = [["字段", "原值", "标准值"], ["物流状态", "在路上了", "运输中"], ["拦截状态", "快递说拦不住", "拦截失败"],
          ["拦截状态", "没弄", "未拦截"], ["售后状态", "还在弄", "处理中"], ["售后状态", "结单了", "已完结"]]
EXPECTED = ["ASK_REFUSE_DELIVERY", "INTERCEPT_REFUND_NOW", "DONE", "WAIT_RETURN", "REFUND_OR_RESHIP_CLAIM"]


def _cli_codes(tmp_path, capsys) -> list[str]:
    book = workbook_file(tmp_path / "desk.xlsx", {"我的登记": [HEADERS, *ROWS], "列名映射": COLUMNS, "值映射": VALUES})
    out = tmp_path / "out.csv"
    assert main(["evaluate", str(book), "--out", str(out), "--now", NOW.isoformat(timespec="minutes")]) == 0
    printed = capsys.readouterr().out
    assert "无法识别" not in printed, printed  # every word of hers is read through 值映射
    with open(out, encoding="utf-8-sig", newline="") as fh:
        return [r["action_code"] for r in csv.DictReader(fh)]


def test_formulas_ribbon_and_command_line_agree_under_the_same_mappings(tmp_path, capsys):
    # the formulas: one column function and the one-call block
    action = udfs.REFUND_ACTION(ROWS, [HEADERS], None, NOW, "code", COLUMNS, VALUES)
    assert [r[0] for r in action] == EXPECTED
    block = udfs.REFUND_TABLE(ROWS, [HEADERS], None, NOW, None, COLUMNS, VALUES)
    labels = udfs.REFUND_ACTION(ROWS, [HEADERS], None, NOW, "label", COLUMNS, VALUES)
    assert [r[0] for r in block] == [r[0] for r in labels]
    # the ribbon: the same rows in a book with the same two tables
    book = XlBook({"我的登记": [HEADERS, *ROWS], "列名映射": COLUMNS, "值映射": VALUES})
    macros.daily_batch(book, now=NOW)
    assert not book.app.alerts, book.app.alerts
    register = {r[1] for r in book.sheets["拦截登记"].rows()[1:] if len(r) > 1}
    assert "A2" in register and "A1" not in register  # only the case whose action is an interception
    # the command line
    assert _cli_codes(tmp_path, capsys) == EXPECTED


def test_without_the_value_table_her_words_are_asked_about_not_guessed():
    out = udfs.REFUND_ACTION(ROWS, [HEADERS], None, NOW, "label", COLUMNS)
    assert all(r[0].startswith("#信息不足") for r in out[:2]), out
    assert "「在路上了」" in out[0][0] or "「还在弄」" in out[0][0]


@pytest.mark.skipif(not (ROOT / "workbook_template.xlsm").exists(), reason="template not built")
def test_batch_on_the_template_uses_the_edited_template_and_never_a_note(tmp_path, capsys):
    book = tmp_path / "售后登记.xlsm"
    shutil.copy(ROOT / "workbook_template.xlsm", book)
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["话术模板"]
    head = [c.value for c in ws[1]]
    code_col, text_col = head.index("动作代码"), head.index("话术模板")
    notes = {str(c.value) for row in ws.iter_rows(min_col=text_col + 2) for c in row if c.value}
    edited = "已为您同意退款（改过的话术）{订单号}"
    for row in ws.iter_rows(min_row=2):
        if row[code_col].value == "APPROVE_REFUND":
            row[text_col].value = edited
    wb.save(book)
    out = tmp_path / "out.xlsm"
    assert main(["batch", str(book), "--out", str(out), "--now", "2025-06-10T12:00", "--quiet"]) == 0
    replies = openpyxl.load_workbook(out)["回复话术"]
    rows = list(replies.iter_rows(values_only=True))
    head = list(rows[0])
    code, text = head.index("动作代码"), head.index("回复话术")
    texts = [(r[code], r[text]) for r in rows[1:] if r[code]]
    approved = [t for c, t in texts if c == "APPROVE_REFUND"]
    assert approved and all(t.startswith("已为您同意退款（改过的话术）") for t in approved)
    for c, t in texts:
        assert t not in notes, (c, t)
        assert "改「话术模板」一列即可" not in t and "{订单号} {售后单号}" not in t, (c, t)


def test_a_date_without_a_year_counts_back_from_now(tmp_path, capsys):
    # issue 9: `6月8日 10:00` with --now 2025-06-10T12:00 is 50 h ago, through the command line
    src = tmp_path / "mine.csv"
    src.write_text("订单号,售后类型,退款金额,发货状态,物流状态,物流更新时间,收货省份\n"
                   "B1,仅退款,59,已发货,运输中,6月8日 10:00,浙江\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["evaluate", str(src), "--out", str(out), "--now", "2025-06-10T12:00"]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["stall_code"] == "LOST" and "50小时未更新" in row["why"], row


def test_evaluate_without_now_counts_from_the_books_own_reference_time(tmp_path, capsys):
    # issue 11: a book whose 基准时间 is 2025-06-10 12:00 means the same to evaluate as to the batch and the formulas
    book = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(["订单号", "售后类型", "退款金额", "发货状态", "超时时间"])
    ws.append(["C1", "仅退款", 59, "未发货", NOW.replace(hour=20)])
    settings = wb.create_sheet("设置")
    settings.append(["键", "项目", "值", "说明"])
    settings.append(["now", "基准时间", NOW, ""])
    wb.save(book)
    out = tmp_path / "out.csv"
    assert main(["evaluate", str(book), "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert float(row["hours_left"]) == 8.0 and row["deadline_code"] == "WARN", row
