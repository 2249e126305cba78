"""contract §7: ``refund-xl evaluate`` on .csv and .xlsx files, and its exit codes."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from helpers import cli_output, workbook_file as write_xlsx

from refund_xl.cli import main
from refund_xl._core.engine import OUTPUT_COLUMNS
from refund_xl._app.outputs import person_headers

NOW_ISO = "2025-06-10T12:00"

HEADERS = ["订单号", "售后单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态",
           "物流更新时间", "收货省份", "拦截状态", "超时时间", "售后状态", "备注"]
ROWS = [
    # low value in transit, 30 h without movement → rule 18, NUDGE, deadline WARN
    ["0012345", "00987", "仅退款", "59元", "已发货", "顺丰", "0SF773", "在途", "2025/6/9 06:00", "广东省深圳市",
     "", "2025-06-10 22:00", "处理中", "=1+1"],
    # high value in transit, 50 h in a remote region (< 72 h) → NUDGE, rule 19
    ["0099", "", "已发货仅退款", "¥1,299.00", "已发货", "中通", "7730001", "运输中", "2025-06-08 10:00",
     "新疆维吾尔自治区乌鲁木齐市", "", "", "处理中", ""],
    # refunded, still in transit → DONE, loss RISK
    ["0100", "", "仅退款", "88", "已发货", "圆通", "YT01", "运输中", "2025年6月10日 08:00", "江苏", "", "",
     "已退款", ""],
    # amount unreadable → NEEDS_INFO
    ["0101", "", "仅退款", "五十", "未发货", "", "", "", "", "", "", "", "", ""],
]
EXPECTED_CODES = ["INTERCEPT_REFUND_NOW", "INTERCEPT_AND_WATCH", "DONE", "NEEDS_INFO"]


def write_csv(path: Path, headers, rows) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        w.writerows(rows)
    return path


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def run(argv, capsys):
    return cli_output(capsys, *argv)


@pytest.fixture
def tracking_csv(tmp_path):
    return write_csv(tmp_path / "tracking.csv", HEADERS, ROWS)


# ------------------------------------------------------------ csv

def test_evaluate_csv_to_csv(tracking_csv, tmp_path, capsys):
    out = tmp_path / "out.csv"
    code, stdout, err = run(["evaluate", tracking_csv, "--out", out, "--now", NOW_ISO], capsys)
    assert (code, err) == (0, "")
    assert "out.csv" in stdout and "共 4 个售后单" in stdout
    table = read_csv(out)
    assert table[0] == HEADERS + list(OUTPUT_COLUMNS)
    assert len(table) == 1 + len(ROWS)
    body = [dict(zip(table[0], r)) for r in table[1:]]
    # every input column is kept as typed (ids with their leading zeros)
    for src, got in zip(ROWS, table[1:]):
        assert got[:len(HEADERS) - 1] == src[:-1]
    assert body[0]["备注"] == "'=1+1"                      # customer text made inert, not a formula
    assert [r["action_code"] for r in body] == EXPECTED_CODES
    first = body[0]
    assert first["action"] == "低客单：发起拦截并登记，直接退款"
    assert first["why"] == "规则18：已发货·运输中·59 < 高客单阈值 200"
    assert (first["stall_code"], first["stall"]) == ("NUDGE", "催件")
    assert (first["deadline_code"], first["hours_left"]) == ("WARN", "10.0")
    assert (first["value_tier"], first["loss_risk"]) == ("LOW", "OK")
    assert (body[1]["stall_code"], body[1]["value_tier"]) == ("NUDGE", "HIGH")   # remote: 50 h < 72 h
    assert body[2]["loss_risk"] == "RISK"
    assert body[3]["action"] == "#信息不足: 退款金额「五十」"


def test_remote_region_uses_remote_threshold_in_file(tracking_csv, tmp_path, capsys):
    out = tmp_path / "out.csv"
    run(["evaluate", tracking_csv, "--out", out, "--now", NOW_ISO], capsys)
    row = dict(zip(*[read_csv(out)[i] for i in (0, 2)]))
    # 50 h without movement in 新疆 is below the 72 h remote threshold: nudge, and a high-value intercept
    assert (row["stall_code"], row["action_code"]) == ("NUDGE", "INTERCEPT_AND_WATCH")


def test_now_moves_the_results(tracking_csv, tmp_path, capsys):
    out = tmp_path / "out.csv"
    run(["evaluate", tracking_csv, "--out", out, "--now", "2025-06-09 07:00"], capsys)
    row = dict(zip(*[read_csv(out)[i] for i in (0, 1)]))
    assert (row["stall_code"], row["deadline_code"], row["hours_left"]) == ("NORMAL", "OK", "39.0")


def test_gb18030_csv_is_read(tmp_path, capsys):
    src = tmp_path / "gbk.csv"
    with open(src, "w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([HEADERS, ROWS[0]])
    out = tmp_path / "out.csv"
    code, _, _ = run(["evaluate", src, "--out", out, "--now", NOW_ISO], capsys)
    assert code == 0 and read_csv(out)[1][len(HEADERS)] == "INTERCEPT_REFUND_NOW"


def test_blank_rows_stay_blank_and_english_settings(tmp_path, capsys):
    src = write_csv(tmp_path / "in.csv", ["订单号", "售后类型", "退款金额", "发货状态"],
                    [["001", "仅退款", "59", "未发货"], ["", "", "", ""], ["002", "仅退款", "", "未发货"]])
    settings = tmp_path / "s.csv"
    settings.write_text("language,English\n", encoding="utf-8")     # key | value, no header row
    out = tmp_path / "o.csv"
    code, stdout, _ = run(["evaluate", src, "--out", out, "--settings", settings, "--now", NOW_ISO], capsys)
    table = read_csv(out)
    assert code == 0 and "共 2 个售后单" in stdout
    assert table[2] == [""] * (4 + len(OUTPUT_COLUMNS))
    assert table[1][4:6] == ["APPROVE_REFUND", "Approve the refund"]
    assert table[3][4:6] == ["NEEDS_INFO", "#Missing: Amount (see the platform's case)"]


# ------------------------------------------------------------ xlsx

def read_back(path: Path, sheet: str | None = None):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    rows = list(ws.iter_rows())
    headers = [c.value for c in rows[0]]
    return ws.title, headers, rows[1:]


def test_evaluate_csv_to_xlsx_keeps_ids_text(tracking_csv, tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    code, _, err = run(["evaluate", tracking_csv, "--out", out, "--now", NOW_ISO], capsys)
    assert (code, err) == (0, "")
    title, headers, rows = read_back(out)
    assert headers == HEADERS + person_headers()
    for idx in (0, 1, 6):                                   # 订单号, 售后单号, 物流单号
        for src, row in zip(ROWS, rows):
            cell = row[idx]
            if src[idx]:
                assert cell.data_type == "s" and cell.value == src[idx]
    assert rows[0][0].value == "0012345" and rows[0][6].value == "0SF773"
    assert rows[0][13].value == "=1+1" and rows[0][13].data_type == "s"   # written as text, not a formula
    codes = [r[headers.index("动作代码")].value for r in rows]
    assert codes == EXPECTED_CODES
    assert rows[0][headers.index("剩余小时")].value == 10.0


def test_evaluate_xlsx_to_xlsx_with_sheet(tmp_path, capsys):
    src = write_xlsx(tmp_path / "book.xlsx", {"说明": [["本表说明"]], "售后登记": [HEADERS, *ROWS],
                                               "另一张": [HEADERS, ROWS[3]]})
    out = tmp_path / "out.xlsx"
    code, _, err = run(["evaluate", src, "--out", out, "--now", NOW_ISO, "--sheet", "售后登记"], capsys)
    assert (code, err) == (0, "")
    title, headers, rows = read_back(out)
    assert title == "售后登记"
    assert [r[headers.index("动作代码")].value for r in rows] == EXPECTED_CODES
    assert rows[0][0].data_type == "s" and rows[0][0].value == "0012345"
    assert rows[1][6].data_type == "s" and rows[1][6].value == "7730001"

    code, _, _ = run(["evaluate", src, "--out", out, "--now", NOW_ISO, "--sheet", "另一张", "--force"], capsys)
    _, headers, rows = read_back(out)
    assert code == 0 and [r[headers.index("动作代码")].value for r in rows] == ["NEEDS_INFO"]


def test_without_sheet_the_first_sheet_with_the_columns_is_used(tmp_path, capsys):
    src = write_xlsx(tmp_path / "book.xlsx", {"说明": [["本表说明"]], "售后登记": [HEADERS, *ROWS]})
    out = tmp_path / "out.xlsx"
    code, _, _ = run(["evaluate", src, "--out", out, "--now", NOW_ISO], capsys)
    title, headers, rows = read_back(out)
    assert code == 0 and title == "售后登记" and len(rows) == len(ROWS)


def test_numeric_ids_in_an_xlsx_come_out_as_text(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["订单号", "售后类型", "退款金额", "发货状态", "物流单号", "物流更新时间", "物流状态"])
    ws.append([12345, "仅退款", 59, "已发货", 773000000001, datetime(2025, 6, 9, 6), "运输中"])
    wb.save(tmp_path / "num.xlsx")
    out = tmp_path / "out.xlsx"
    code, _, _ = run(["evaluate", tmp_path / "num.xlsx", "--out", out, "--now", NOW_ISO], capsys)
    _, headers, rows = read_back(out)
    assert code == 0
    assert (rows[0][0].value, rows[0][0].data_type) == ("12345", "s")
    assert (rows[0][4].value, rows[0][4].data_type) == ("773000000001", "s")
    assert rows[0][5].value == datetime(2025, 6, 9, 6)            # dates stay dates
    assert rows[0][headers.index("停滞代码")].value == "NUDGE"


def test_xlsx_to_csv(tmp_path, capsys):
    src = write_xlsx(tmp_path / "book.xlsx", {"售后登记": [HEADERS, *ROWS]})
    out = tmp_path / "out.csv"
    code, _, _ = run(["evaluate", src, "--out", out, "--now", NOW_ISO], capsys)
    table = read_csv(out)
    assert code == 0 and table[1][0] == "0012345"
    assert [r[len(HEADERS)] for r in table[1:]] == EXPECTED_CODES


def test_xlsx_to_csv_writes_whole_numbers_as_typed(tmp_path, capsys):
    """A workbook hands whole numbers over as floats: a 序号 of 7 and an amount of 59 are 7 and 59 in
    the CSV, not 7.0 and 59.0; a number with cents keeps them."""
    rows = [[7, *ROWS[0]], [8.5, *ROWS[1]]]
    rows[0][HEADERS.index("退款金额") + 1] = 59
    src = write_xlsx(tmp_path / "book.xlsx", {"售后登记": [["序号", *HEADERS], *rows]})
    out = tmp_path / "out.csv"
    code, _, _ = run(["evaluate", src, "--out", out, "--now", NOW_ISO], capsys)
    table = read_csv(out)
    assert code == 0 and [r[0] for r in table[1:]] == ["7", "8.5"]
    assert table[1][HEADERS.index("退款金额") + 1] == "59"


# ------------------------------------------------------------ --settings / --columns

def test_settings_file(tracking_csv, tmp_path, capsys):
    settings = write_csv(tmp_path / "settings.csv", ["键", "项目", "值", "说明"],
                         [["high_value", "高客单金额阈值(元)", "50", ""], ["language", "语言", "English", ""]])
    out = tmp_path / "out.csv"
    code, _, _ = run(["evaluate", tracking_csv, "--out", out, "--now", NOW_ISO, "--settings", settings], capsys)
    row = dict(zip(*[read_csv(out)[i] for i in (0, 1)]))
    assert code == 0
    assert (row["value_tier"], row["action_code"]) == ("HIGH", "INTERCEPT_AND_WATCH")
    assert row["action"].startswith("High value")


def test_settings_workbook_with_a_settings_sheet(tracking_csv, tmp_path, capsys):
    wb = openpyxl.Workbook()
    wb.active.title = "其他"
    ws = wb.create_sheet("设置")
    ws.append(["键", "项目", "值", "说明"])
    ws.append(["nudge_hours", "催件阈值(小时)", 40, ""])
    wb.save(tmp_path / "settings.xlsx")
    out = tmp_path / "out.csv"
    code, _, _ = run(["evaluate", tracking_csv, "--out", out, "--now", NOW_ISO,
                      "--settings", tmp_path / "settings.xlsx"], capsys)
    assert code == 0 and dict(zip(*[read_csv(out)[i] for i in (0, 1)]))["stall_code"] == "NORMAL"


def test_columns_file(tmp_path, capsys):
    headers = ["平台单号", "类型", "实退", "发货", "物流", "最后更新", "省份"]
    src = write_csv(tmp_path / "own.csv", headers, [["007", "仅退款", "59", "已发货", "派件中", "2025-06-10 08:00", "浙江"]])
    mapping = write_csv(tmp_path / "columns.csv", ["表头", "字段"],
                        [["平台单号", "order_id"], ["类型", "售后类型"], ["实退", "amount"], ["发货", "ship_state"],
                         ["物流", "logistics"]])
    out = tmp_path / "out.csv"
    code, _, err = run(["evaluate", src, "--out", out, "--now", NOW_ISO, "--columns", mapping], capsys)
    assert (code, err) == (0, "")
    table = read_csv(out)
    assert table[0] == headers + list(OUTPUT_COLUMNS)
    assert table[1][0] == "007" and table[1][len(headers)] == "INTERCEPT_REFUND_NOW"


def test_a_workbooks_own_settings_and_mapping_sheets_are_used(tmp_path, capsys):
    headers = ["平台单号", "类型", "实退", "发货", "物流", "最后更新", "省份"]
    src = write_xlsx(tmp_path / "own.xlsx", {
        "登记": [headers, ["007", "仅退款", "59", "已发货", "派件中", "2025-06-10 08:00", "浙江"]],
        "设置": [["键", "项目", "值", "说明"], ["high_value", "高客单金额阈值(元)", 50, ""]],
        "列名映射": [["表头", "字段"], ["平台单号", "order_id"], ["类型", "refund_type"], ["实退", "amount"],
                 ["发货", "ship_state"], ["物流", "logistics"]],
    })
    out = tmp_path / "out.csv"
    code, _, err = run(["evaluate", src, "--out", out, "--now", NOW_ISO], capsys)
    assert (code, err) == (0, "")
    row = dict(zip(read_csv(out)[0], read_csv(out)[1]))
    assert row["value_tier"] == "HIGH" and row["action_code"] == "INTERCEPT_AND_WATCH"  # 59 ≥ the sheet's 50
    # a settings file given on the command line wins over the sheet
    settings = write_csv(tmp_path / "settings.csv", ["键", "项目", "值"], [["high_value", "", "200"]])
    code, _, err = run(["evaluate", src, "--out", out, "--now", NOW_ISO, "--settings", settings, "--force"], capsys)
    assert code == 0 and dict(zip(read_csv(out)[0], read_csv(out)[1]))["value_tier"] == "LOW"


# ------------------------------------------------------------ bad input: exit 2, one line

def assert_one_line_error(code, out, err, *words):
    assert code == 2
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("refund-xl: ")
    assert "Traceback" not in err
    for w in words:
        assert w in err


def test_missing_input_file(tmp_path, capsys):
    code, out, err = run(["evaluate", tmp_path / "nope.csv", "--out", tmp_path / "o.csv"], capsys)
    assert_one_line_error(code, out, err, "找不到文件", "nope.csv")
    assert not (tmp_path / "o.csv").exists()


def test_missing_settings_file(tracking_csv, tmp_path, capsys):
    code, out, err = run(["evaluate", tracking_csv, "--out", tmp_path / "o.csv",
                          "--settings", tmp_path / "nope.xlsx"], capsys)
    assert_one_line_error(code, out, err, "nope.xlsx")


@pytest.mark.parametrize("rows, words", [
    ([["high_value", "高客单金额阈值(元)", "两百", ""]], ["settings!C2", "high_value", "不小于 0 的数字"]),
    ([["nudge_hours", "", "24", ""], ["lost_hours", "", "12", ""]], ["settings!C3", "lost_hours", "不能小于催件阈值"]),
    ([["language", "语言", "Klingon", ""]], ["settings!C2", "language"]),
], ids=["text_for_number", "lost_below_nudge", "bad_language"])
def test_bad_settings_value(tracking_csv, tmp_path, capsys, rows, words):
    settings = write_csv(tmp_path / "settings.csv", ["键", "项目", "值", "说明"], rows)
    out = tmp_path / "o.csv"
    code, stdout, err = run(["evaluate", tracking_csv, "--out", out, "--settings", settings], capsys)
    assert_one_line_error(code, stdout, err, "设置错误", *words)
    assert not out.exists()


def test_file_lacking_the_columns(tmp_path, capsys):
    src = write_csv(tmp_path / "plain.csv", ["编号", "金额"], [["1", "59"]])
    code, out, err = run(["evaluate", src, "--out", tmp_path / "o.csv"], capsys)
    assert_one_line_error(code, out, err, "订单号", "售后类型")


def test_workbook_without_the_named_sheet(tmp_path, capsys):
    src = write_xlsx(tmp_path / "book.xlsx", {"售后登记": [HEADERS, *ROWS]})
    code, out, err = run(["evaluate", src, "--out", tmp_path / "o.xlsx", "--sheet", "没有"], capsys)
    assert_one_line_error(code, out, err, "没有", "售后登记")


def test_bad_now(tracking_csv, tmp_path, capsys):
    code, out, err = run(["evaluate", tracking_csv, "--out", tmp_path / "o.csv", "--now", "明天中午"], capsys)
    assert_one_line_error(code, out, err, "--now", "明天中午")


def test_columns_file_naming_an_unknown_field(tracking_csv, tmp_path, capsys):
    mapping = write_csv(tmp_path / "columns.csv", ["表头", "字段"], [["平台单号", "order_id"], ["X", "不存在"]])
    code, out, err = run(["evaluate", tracking_csv, "--out", tmp_path / "o.csv", "--columns", mapping], capsys)
    assert_one_line_error(code, out, err, "列名映射第3行", "不存在")


def test_not_a_spreadsheet(tmp_path, capsys):
    src = tmp_path / "fake.xlsx"
    src.write_text("not a zip")
    code, out, err = run(["evaluate", src, "--out", tmp_path / "o.csv"], capsys)
    assert_one_line_error(code, out, err, "fake.xlsx")


def test_unsupported_output_type(tracking_csv, tmp_path, capsys):
    code, out, err = run(["evaluate", tracking_csv, "--out", tmp_path / "o.txt"], capsys)
    assert_one_line_error(code, out, err, "o.txt")


def test_failed_run_leaves_an_existing_output_untouched(tracking_csv, tmp_path, capsys):
    out = tmp_path / "o.csv"
    out.write_text("keep me", encoding="utf-8")
    settings = write_csv(tmp_path / "settings.csv", ["键", "项目", "值"], [["high_value", "", "x"]])
    code, _, _ = run(["evaluate", tracking_csv, "--out", out, "--settings", settings], capsys)
    assert code == 2 and out.read_text(encoding="utf-8") == "keep me"


# ------------------------------------------------------------ the installed console script

def test_installed_console_script(tracking_csv, tmp_path):
    exe = shutil.which("refund-xl") or str(Path(sys.executable).with_name("refund-xl"))
    assert os.path.exists(exe), "the refund-xl console script is not installed"
    out = tmp_path / "out.xlsx"
    ok = subprocess.run([exe, "evaluate", str(tracking_csv), "--out", str(out), "--now", NOW_ISO],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "共 4 个售后单" in ok.stdout
    _, headers, rows = read_back(out)
    assert [r[headers.index("动作代码")].value for r in rows] == EXPECTED_CODES


# ------------------------------------------------------------ the .xlsx is for a person (contract §7)

def test_xlsx_reads_in_chinese_with_labels_codes_widths_wrap_and_filter(tracking_csv, tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    code, _, err = run(["evaluate", tracking_csv, "--out", out, "--now", NOW_ISO], capsys)
    assert (code, err) == (0, "")
    ws = openpyxl.load_workbook(out).active
    head = [c.value for c in ws[1]]
    assert head[len(HEADERS):] == ["处理动作", "判定依据", "停滞状态", "超时状态", "剩余小时", "客单级别",
                                   "钱货两空风险", "动作代码", "停滞代码", "超时代码"]
    rows = [dict(zip(head, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    assert (rows[0]["处理动作"], rows[0]["停滞状态"], rows[0]["超时状态"]) == (
        "低客单：发起拦截并登记，直接退款", "催件", "即将超时")
    assert rows[0]["判定依据"].startswith("规则18")
    assert (rows[1]["客单级别"], rows[0]["客单级别"]) == ("高客单", "低客单")
    assert (rows[2]["钱货两空风险"], rows[0]["钱货两空风险"]) == ("钱货两空风险", "无")
    assert (rows[0]["动作代码"], rows[0]["停滞代码"], rows[0]["超时代码"]) == ("INTERCEPT_REFUND_NOW", "NUDGE", "WARN")
    assert rows[3]["处理动作"] == "#信息不足: 退款金额「五十」"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    letter = {h: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(head)}
    width = {h: ws.column_dimensions[letter[h]].width for h in head}
    assert width["处理动作"] >= 30 and width["判定依据"] >= 40 and width["收货省份"] >= 26   # a full address
    assert ws[f"{letter['处理动作']}2"].alignment.wrap_text and ws[f"{letter['判定依据']}2"].alignment.wrap_text
    assert not ws[f"{letter['订单号']}2"].alignment.wrap_text


def test_xlsx_headers_follow_the_language_setting(tracking_csv, tmp_path, capsys):
    settings = write_csv(tmp_path / "s.csv", ["键", "项目", "值"], [["language", "语言", "English"]])
    out = tmp_path / "out.xlsx"
    assert run(["evaluate", tracking_csv, "--out", out, "--settings", settings, "--now", NOW_ISO], capsys)[0] == 0
    _, headers, rows = read_back(out)
    assert headers[len(HEADERS):len(HEADERS) + 4] == ["Action", "Why", "Stall", "Deadline"]
    assert rows[0][headers.index("Deadline")].value == "Due soon"
    assert rows[0][headers.index("Action code")].value == "INTERCEPT_REFUND_NOW"


def test_summary_names_every_action_in_words_with_its_count(tmp_path, capsys):
    rows = [ROWS[0], ROWS[1], ROWS[2], ROWS[3], ["0102", "", "仅退款", "20", "未发货", "", "", "", "", "", "", "",
                                                 "处理中", ""]]
    src = write_csv(tmp_path / "t.csv", HEADERS, rows)
    code, stdout, _ = run(["evaluate", src, "--out", tmp_path / "o.csv", "--now", NOW_ISO], capsys)
    assert code == 0
    assert "共 5 个售后单，未完结 4；已超时 0，即将超时 1；钱货两空风险 1。" in stdout
    lines = [line.split() for line in stdout.splitlines() if line.startswith("  ")]
    assert [(n, code) for n, _label, code in lines] == [
        ("1", "[DONE]"), ("1", "[NEEDS_INFO]"), ("1", "[APPROVE_REFUND]"),
        ("1", "[INTERCEPT_REFUND_NOW]"), ("1", "[INTERCEPT_AND_WATCH]")]
    assert [label for _n, label, _c in lines][3] == "低客单：发起拦截并登记，直接退款"


def test_a_sheet_with_headers_but_no_cases_says_so(tmp_path, capsys):
    src = write_csv(tmp_path / "empty.csv", HEADERS, [])
    out = tmp_path / "o.csv"
    code, stdout, err = run(["evaluate", src, "--out", out, "--now", NOW_ISO], capsys)
    # exit 0: a quiet day's export is valid input; the output still has the headers for the next tool
    assert (code, err) == (0, "")
    assert "没有售后单" in stdout and "共 0" not in stdout
    assert read_csv(out) == [HEADERS + list(OUTPUT_COLUMNS)]


def test_long_runs_show_progress_on_stderr(tracking_csv, tmp_path, capsys, monkeypatch):
    import refund_xl.cli as cli_mod

    monkeypatch.setattr(cli_mod, "PROGRESS_BYTES", 0)      # as if the file were large
    code, stdout, err = run(["evaluate", tracking_csv, "--out", tmp_path / "o.xlsx", "--now", NOW_ISO], capsys)
    steps = err.splitlines()
    assert code == 0 and len(steps) == 4
    assert "读取 tracking.csv" in steps[0] and "判定「" in steps[1] and "4 行" in steps[1] and "完成" in steps[3]
    assert "判定" not in stdout
    code, _, err = run(["evaluate", tracking_csv, "--out", tmp_path / "o2.xlsx", "--now", NOW_ISO, "--quiet"], capsys)
    assert (code, err) == (0, "")


# ------------------------------------------------------------ argparse speaks Chinese, --version

def parse_exit(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


@pytest.mark.parametrize("argv, words", [
    ([], "缺少命令"),
    (["evaluate"], "缺少参数：输入文件, --out"),
    (["evaluate", "a.csv", "--out"], "--out 后面需要一个值"),
    (["evaluate", "a.csv", "--out", "b.csv", "--nope"], "无法识别的参数：--nope"),
    (["bogus"], "不能是「bogus」"),
])
def test_argument_errors_are_one_chinese_line_with_exit_2(argv, words, capsys):
    code, out, err = parse_exit(argv, capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err and "-h 查看用法" in err
    assert "usage" not in err and "error:" not in err and "required" not in err


def test_help_is_in_chinese_and_explains_input_and_out(capsys):
    code, out, _ = parse_exit(["evaluate", "-h"], capsys)
    assert code == 0 and out.startswith("用法：refund-xl evaluate")
    assert "输入文件" in out and "售后登记：.xlsx / .xlsm / .csv" in out
    assert "--out 输出文件" in out and "给程序用" in out and "显示本帮助并退出" in out
    assert "usage" not in out and "show this help" not in out and "options:" not in out
    code, out, _ = parse_exit(["-h"], capsys)
    assert code == 0 and "evaluate" in out and "batch" in out and "--version" in out


def test_version_prints_the_package_version(capsys):
    import re

    import refund_xl

    code, out, _ = parse_exit(["--version"], capsys)
    assert code == 0 and out.strip() == f"refund-xl {refund_xl.__version__}"
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^version = "([^"]+)"', pyproject, re.M).group(1) == refund_xl.__version__


# ------------------------------------------------------------ every input cell goes out (h50 layout, families 6-7)

def _wider(shape: str, extra: int) -> tuple[list[list[str]], int]:
    """The tracking CSV with cells ``extra`` columns past its header: a second export pasted below that is wider
    (its own header and rows), a note on a line of its own, or a stray value on a case row.  (rows, the widest)."""
    width = len(HEADERS) + extra
    rows = [list(HEADERS), *map(list, ROWS)]
    if shape == "block":
        more = [f"附加{i}" for i in range(extra)]
        rows += [[], [*HEADERS, *more], [*ROWS[0][:1], *ROWS[0][1:], *[f"值{i}" for i in range(extra)]]]
        rows[-1][0] = "0012399"
    elif shape == "note":
        rows.insert(3, [""] * (width - 1) + ["备用"])
    else:
        rows[2] = rows[2] + [""] * (extra - 1) + ["x"]
    return rows, width


@pytest.mark.parametrize("shape", ["block", "note", "stray"])
@pytest.mark.parametrize("extra", [1, 4, 9])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_evaluate_writes_every_input_cell_and_the_results_beyond_the_widest_row(tmp_path, capsys, shape, extra, suffix):
    """A second export pasted below that is wider than the first, a note or a stray value past the last header: each
    cell is in the output where it stood, the result columns start past the widest row (as fill puts its block) and
    write over none of them (contract §7: the input columns plus the results)."""
    rows, width = _wider(shape, extra)
    src = tmp_path / "wide.csv"
    with open(src, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / f"out{suffix}"
    code, _, err = run(["evaluate", src, "--out", out, "--now", NOW_ISO], capsys)
    assert (code, err) == (0, "")
    if suffix == ".csv":
        got = read_csv(out)
        first = OUTPUT_COLUMNS[0]
    else:
        _title, head, body = read_back(out)
        got = [["" if v is None else str(v) for v in head],
               *[["" if c.value is None else str(c.value) for c in r] for r in body]]
        first = person_headers()[0]
    assert got[0].index(first) == width, got[0]
    blank = [i for i, r in enumerate(rows) if not any(r)]
    for r, line in enumerate(rows):
        if r in blank:
            continue
        for c, v in enumerate(line):
            if v:
                assert got[r][c] in (v, "'" + v), (shape, r, c, v, got[r][:width + 1])  # ('=1+1: written as text)
