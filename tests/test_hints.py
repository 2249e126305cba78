"""Hints point somewhere (issue 20): a sheet a run's words send the desk to (「读取报告」表, 「值映射」表 …)
is in the workbook the run wrote; a .csv run, which has no sheets, says where the report is instead."""

from __future__ import annotations

import re

import openpyxl
import pytest

from refund_xl import cli
from refund_xl._files.workbook import sample_path

_SHEET = re.compile(r"「([^」]+)」表")


def _named_sheets(text: str) -> set[str]:
    return set(_SHEET.findall(text))


def test_the_demo_has_every_sheet_it_names(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["demo"]) == 0
    said = capsys.readouterr().out
    book = openpyxl.load_workbook(tmp_path / "refund_demo.xlsx")
    named = _named_sheets(said)
    for ws in book.worksheets:             # and the words written into its sheets
        for row in ws.iter_rows(values_only=True):
            named |= _named_sheets(" ".join(str(v) for v in row if isinstance(v, str)))
    assert {"值映射", "读取报告"} <= named
    assert named <= set(book.sheetnames), f"named but not there: {named - set(book.sheetnames)}"
    assert "工作表：" in said and all(n in book.sheetnames for n in said.split("工作表：")[1].split("（")[0].split("、"))


def test_evaluate_to_a_workbook_has_the_report_it_points_to(tmp_path, capsys):
    out = tmp_path / "判定结果.xlsx"
    assert cli.main(["evaluate", str(sample_path()), "--out", str(out), "--now", "2025-06-10T12:00"]) == 0
    said = capsys.readouterr().out
    assert "输出工作簿的「读取报告」表" in said
    book = openpyxl.load_workbook(out)
    assert "读取报告" in book.sheetnames
    report = [[v for v in r if v not in (None, "")] for r in book["读取报告"].iter_rows(values_only=True)]
    assert report[0][0] == "读取报告" and any(r and r[0] == "无法识别的值" for r in report)


@pytest.mark.parametrize("suffix", [".csv"])
def test_evaluate_to_a_csv_does_not_point_to_a_sheet_it_lacks(tmp_path, capsys, suffix):
    out = tmp_path / f"判定结果{suffix}"
    assert cli.main(["evaluate", str(sample_path()), "--out", str(out), "--now", "2025-06-10T12:00"]) == 0
    said = capsys.readouterr().out
    assert "见「读取报告」表" not in said and "把 --out 写成 .xlsx" in said and "--values" in said
