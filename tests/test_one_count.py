"""One source of truth for 已超时 / 即将超时 (issue 20): the console line of `evaluate` and of `batch`,
evaluate's 超时状态 column, `fill`'s and 今日概览's counts all agree — a closed case is no overdue
case anywhere (contract §4.3: DEADLINE_STATUS is NONE for a closed case, shown 已完结)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from refund_xl import cli
from refund_xl._files.workbook import sample_path

EXPORTS = Path(__file__).parent / "data" / "exports"
SOURCES = [sample_path(), EXPORTS / "desk_lead.xlsx", EXPORTS / "taobao_export.csv", EXPORTS / "pdd_desk.xlsx",
           EXPORTS / "jd_export.xlsx"]
NOW = "2025-06-10T12:00"


def _column(ws, header: str) -> list[object]:
    """The cells under ``header`` (in the first row that has it)."""
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if header in r)
    at = rows[top].index(header)
    return [r[at] if at < len(r) else None for r in rows[top + 1:]]


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.name)
def test_console_workbook_overview_and_fill_count_the_same(src, tmp_path, capsys):
    out = tmp_path / "判定结果.xlsx"
    assert cli.main(["evaluate", str(src), "--out", str(out), "--now", NOW, "--quiet"]) == 0
    said = capsys.readouterr().out
    overdue, warn = map(int, re.search(r"已超时 (\d+)，即将超时 (\d+)", said).groups())
    ws = openpyxl.load_workbook(out).worksheets[0]
    shown = _column(ws, "超时状态")
    assert (shown.count("已超时"), shown.count("即将超时")) == (overdue, warn), said.splitlines()[0]
    # a closed case says so, with no hours left
    for state, deadline, hours in zip(_column(ws, "动作代码"), shown, _column(ws, "剩余小时")):
        if state == "DONE":
            assert deadline == "已完结" and hours in (None, ""), (deadline, hours)

    book = tmp_path / "book.xlsx"
    assert cli.main(["batch", str(src), "--out", str(book), "--now", NOW, "--quiet"]) == 0
    said = capsys.readouterr().out
    assert re.search(r"逾期 (\d+) 个、即将超时 (\d+) 个", said).groups() == (str(overdue), str(warn)), said
    ov = {r[0]: r[1] for r in openpyxl.load_workbook(book)["今日概览"].iter_rows(values_only=True) if r and r[0]}
    assert (ov["已超时（未完结）"], ov["即将超时（未完结）"]) == (overdue, warn)

    filled = tmp_path / "filled.xlsx"
    shutil.copy(book, filled)
    assert cli.main(["fill", str(filled), "--now", NOW]) == 0
    capsys.readouterr()
    tracking = next(ws for ws in openpyxl.load_workbook(filled).worksheets
                    if any("超时状态" in r for r in ws.iter_rows(max_row=5, values_only=True)) and ws.title != "今日概览")
    column = _column(tracking, "超时状态")
    assert (column.count("已超时"), column.count("即将超时")) == (overdue, warn)
