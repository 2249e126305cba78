"""Rows that are no case: one rule for evaluate and import (engine.not_a_case; docs/import.md "不是售后单的行").

An export's summary and notice lines (合计：22 条, 注：金额单位为元, 导出人：客服小王 …) were skipped by
import but judged by evaluate as cases (NEEDS_INFO, counted in 共N个售后单).  The family: such lines,
written where exports write them (the first column, whichever field it is; the 订单号 column), between
the cases or after them, in a 拼多多 export (售后编号 first) and a 千牛 one (订单编号 first).  Evaluate gives
exactly those rows no result and counts only the cases; import skips exactly those rows, with the notice
or totals reason.  And the rule stays narrow: a desk's bare row with no id is still a case to evaluate.
"""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import csv_file

from refund_xl._app import intake, intake_read
from refund_xl._core import engine
from refund_xl.cli import main

NOW = "2025-06-10T12:00"

PDD = ["售后编号", "订单编号", "商品名称", "售后类型", "售后状态", "申请时间", "售后原因", "申请退款金额", "订单状态", "发货快递公司",
       "发货快递单号", "超时时间"]
TB = ["订单编号", "退款编号", "宝贝标题", "买家退款金额", "是否需要退货", "退款的申请时间", "超时时间", "退款状态", "货物状态",
      "发货物流信息"]
LINES = ["合计：22 条", "合计: 22条", "总计 1,234.00", "共 22 条", "注：金额单位为元", "温馨提示：仅支持导出近3个月的售后单",
         "导出人：客服小王", "导出时间：2025-06-10 12:00:00", "说明：超时未处理将自动退款", "※ 数据仅供参考", "提示：请在 48 小时内处理"]


def _case(head, n: int) -> list[object]:
    if head is PDD:
        return [f"1123456{n:04d}", f"250607-0005123400{n:04d}", "抽纸", "仅退款", "买家申请退款，待商家处理", "2025-06-09 08:11:00",
                "不想要了", "19.90", "已发货，待签收", "中通快递", f"7523422030{n:04d}", "2025-06-11 20:00:00"]
    return [f"4242994886263{n:05d}8", f"178234567890{n:05d}9", "T恤", "59.00", "否", "2025-06-08 10:00:00",
            "2025-06-13 10:00:00", "买家已经申请退款，等待卖家同意", "买家未收到货", f"中通快递 752342208{n:05d}：运输中"]


@st.composite
def exports(draw):
    """(header, rows, the indexes of the summary lines among the rows)."""
    head = draw(st.sampled_from([PDD, TB]))
    rows: list[list[object]] = [_case(head, n) for n in range(draw(st.integers(1, 4)))]
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        line: list[object] = [None] * len(head)
        line[draw(st.sampled_from([0, 1]))] = draw(st.sampled_from(LINES))
        if draw(st.booleans()):
            line = [c for c in line if c is not None]  # (a CSV line that ends where its text does)
        at = draw(st.integers(1, len(rows)))  # between the cases or after them, never above the header
        rows.insert(at, line)
        lines = [i + (i >= at) for i in lines] + [at]
    return head, rows, sorted(lines)


FAMILY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAMILY
@given(exports())
def test_evaluate_and_import_leave_out_the_same_lines(sample):
    head, rows, lines = sample
    results = engine.evaluate(rows, head, now=NOW)
    assert [i for i, r in enumerate(results) if r.blank] == lines, [(rows[i], r.action_code) for i, r in enumerate(results)]
    read = intake.read_export("x.csv", [head, *rows])
    assert len(read.cases) == len(rows) - len(lines)
    assert sorted(s.line - 2 for s in read.skipped) == lines  # (export line 2 is the first row under the header)
    assert {s.reason for s in read.skipped} <= {intake_read.NOTICE, intake_read.TOTALS}
    for s in read.skipped:
        text = next(c for c in rows[s.line - 2] if c)
        want = intake_read.TOTALS if text.startswith(("合计", "总计", "共")) else intake_read.NOTICE
        assert s.reason == want, (text, s.reason)


def test_a_desks_bare_rows_are_still_cases():
    """What the rule must not take: rows of a desk's own sheet that lack an id but are cases to finish."""
    head = ["订单号", "售后单号", "售后类型", "退款金额", "客户反馈", "跟进备注"]
    rows = [[None, None, None, None, "张三", "未收到"],             # two texts, no id, no 售后类型: the desk has to fill it in
            [None, None, "仅退款", None, None, "导出人：客服小王"],   # a 售后类型: a case, whatever else it says
            [None, "TB20250609001", None, None, None, "备注：明天再联系"],  # a 售后单号
            [None, None, None, None, "张三", "合计：22 条"],         # words in no field's column: no line of the export
            ["合计：22 条", None, None, "59", None, None]]           # a total beside it: a totals line
    got = [r.blank for r in engine.evaluate(rows, head, now=NOW)]
    assert got == [False, False, False, False, True]
    cmap = engine.read_columns([], head).cmap
    assert [engine.not_a_case(r, cmap) for r in rows] == [None, None, None, None, "totals"]


def _csv(path: Path, head, rows) -> Path:
    return csv_file(path, head, rows, encoding="gbk")


def test_the_red_teams_summary_lines_are_no_cases_to_evaluate(tmp_path, capsys):
    """04_拼多多两份导出粘贴: 合计：22 条 and 注：金额单位为元 after the cases were 2 NEEDS_INFO cases (共 24 个售后单)."""
    rows = [_case(PDD, n) for n in range(5)] + [["合计：5 条"], ["注：金额单位为元"], ["导出人：客服小王"]]
    export = _csv(tmp_path / "拼多多售后_0610.csv", PDD, rows)
    assert main(["evaluate", str(export), "--out", str(tmp_path / "ev.csv"), "--now", NOW]) == 0
    out = capsys.readouterr().out
    assert "共 5 个售后单" in out, out
    with open(tmp_path / "ev.csv", encoding="utf-8-sig") as fh:
        codes = [r["action_code"] for r in csv.DictReader(fh)]
    assert codes[5:] == ["", "", ""] and "" not in codes[:5] and "NEEDS_INFO" not in codes[5:]
    assert main(["import", str(export), "--into", str(tmp_path / "book.xlsx"), "--now", NOW]) == 0
    out = capsys.readouterr().out
    assert "新增 5 行" in out and "合计/说明行（不是售后单） 1" in out and "提示/说明行（不是售后单） 2" in out, out
