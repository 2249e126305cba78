"""--settings / --columns / --values FILE (issue 20): a file without the table the option names is
one Chinese line and exit 2, never silently ignored; the table itself (its sheet by name, or a CSV /
one-table workbook holding it) is read; a bad row of the table names the row."""

from __future__ import annotations

import csv

import pytest

from helpers import workbook_file as _book

from refund_xl import cli

HEAD = ["订单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间", "退款编号"]
ROW = ["A001", "仅退款", 150, "已发货", "中通", "ZT1", "在路上了", "2025-06-10 08:00", "R-9"]


def _csv(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture
def desk(tmp_path):
    _csv(tmp_path / "售后登记.csv", [HEAD, ROW])
    return tmp_path


def _run(desk, capsys, *options):
    out = desk / "out.csv"
    out.unlink(missing_ok=True)
    code = cli.main(["evaluate", str(desk / "售后登记.csv"), "--out", str(out), "--now", "2025-06-10T12:00",
                     *map(str, options)])
    got = capsys.readouterr()
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig"))) if code == 0 else None
    return code, got.err.strip(), rows


# ---- a file without the table: one line, exit 2, for every option and both commands

@pytest.mark.parametrize("option, table", [("--settings", "设置"), ("--columns", "列名映射"), ("--values", "值映射")])
def test_a_file_without_the_table_is_one_line_and_exit_2(desk, capsys, option, table):
    tracking_only = _book(desk / "别的工作簿.xlsx", {"售后登记": [HEAD, ROW]})
    code, err, _rows = _run(desk, capsys, option, tracking_only)
    assert code == 2 and "\n" not in err and f"没有「{table}」表" in err and option in err, err
    code = cli.main(["batch", str(desk / "售后登记.csv"), "--out", str(desk / "b.xlsx"), option, str(tracking_only),
                     "--now", "2025-06-10T12:00", "--quiet"])
    assert code == 2 and f"没有「{table}」表" in capsys.readouterr().err
    assert not (desk / "b.xlsx").exists()


@pytest.mark.parametrize("option", ["--settings", "--columns", "--values"])
def test_an_empty_csv_is_no_table_either(desk, capsys, option):
    code, err, _rows = _run(desk, capsys, option, _csv(desk / "空.csv", [["随便", "写点"], ["什么", "东西"]]))
    assert code == 2 and "没有「" in err, err


# ---- the table is read: by its sheet's name, or as the only table of a CSV / workbook

def test_settings_from_a_workbook_sheet_a_csv_or_a_one_table_workbook(desk, capsys):
    table = [["键", "项目", "值", "说明"], ["high_value", "高客单金额阈值(元)", 100, ""]]
    for source in (_book(desk / "设置.xlsx", {"售后登记": [HEAD], "设置": table}),
                   _csv(desk / "设置.csv", table),
                   _book(desk / "Sheet1.xlsx", {"Sheet1": table})):
        code, err, rows = _run(desk, capsys, "--settings", source)
        assert code == 0, err
        assert rows[0]["value_tier"] == "HIGH", source.name      # 150 ≥ 100


def test_columns_and_values_from_their_tables(desk, capsys):
    columns = [["表头", "字段"], ["退款编号", "case_id"]]
    values = [["字段", "原值", "标准值"], ["物流状态", "在路上了", "运输中"]]
    for c, v in ((_csv(desk / "c.csv", columns), _csv(desk / "v.csv", values)),
                 (_book(desk / "m.xlsx", {"售后登记": [HEAD], "列名映射": columns, "值映射": values}),) * 2):
        code, err, rows = _run(desk, capsys, "--columns", c, "--values", v)
        assert code == 0, err
        assert "物流状态" not in rows[0]["why"] and rows[0]["action_code"] != "NEEDS_INFO", rows[0]


def test_a_bad_row_of_the_table_is_named_not_called_missing(desk, capsys):
    bad = _csv(desk / "c.csv", [["表头", "字段"], ["退款编号", "case_id"], ["快递单号码", "不存在的字段"]])
    code, err, _rows = _run(desk, capsys, "--columns", bad)
    assert code == 2 and "第3行" in err and "不存在的字段" in err and "没有「" not in err, err
