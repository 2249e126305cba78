"""The 读取报告 sheet in the run's language (contract §3 language: "labels and headers the product writes").

Its titles and labels follow 设置 language; what it quotes from the desk's sheet (headers, field names, values)
and its sentences about them stay as written.
"""

from __future__ import annotations

import re

import pytest

from refund_xl._app import batch
from refund_xl._core import context, engine, report
from refund_xl._core.settings import settings_table

from conftest import NOW

CJK = re.compile("[\u4e00-\u9fff]")
HEADERS = ["订单号", "售后类型", "退款金额", "发货状态", "我们的备注", "最后更新"]
ROWS = [["A1", "仅退款", 59, "未发货", "x", None], ["A2", "仅退款", "五十九块钱?", "未发货", "", None]]


def _english_table() -> list[list[object]]:
    return [r if r[0] != "language" else [r[0], r[1], "English", r[3]] for r in settings_table()]


def _every_section() -> report.ReadingReport:
    """A report with every section the 读取报告 sheet can have."""
    return report.ReadingReport(
        rows=3, sheet="售后登记", used=[("订单号", "订单号", "标准表头")], unused=["我们的备注"],
        conflicts=[("退款金额", ("金额",))], defaulted=[("禁运", "否")], absent=["物流状态"],
        suggestions=[("物流更新时间", "最后更新")], blocks=[(9, 4)], derived=[("物流更新时间", 2)],
        unreadable=[("退款金额", 1, ["五十九块钱?"], "59")], split=[("发货状态", 1, ["未发货/已发货"])],
        either=[("售后状态", 1, ["已完成"], "已退款／已完结")], grouped=("物流+状态",), merged=2,
        skipped=[("合计/小计行", 1)], partial=[("物流单号", 9)], notes=["话术模板第3行：…"])


def _labels(table: list[list[object]], rep: report.ReadingReport) -> list[str]:
    """The cells of the table the product words itself: every cell but what it quotes (the sheet's name, its
    headers and fields, examples, the accepted forms, the notes and the reference-time line)."""
    quoted = {rep.sheet, rep.basis, rep.where_header(), *rep.notes, *rep.unused, *rep.absent}
    quoted |= {x for row in rep.used for x in row} | {f for f, *_ in rep.defaulted + rep.derived + rep.partial}
    quoted |= {x for f, n, e, forms in rep.unreadable for x in (f, "、".join(e), forms)}
    quoted |= {x for f, n, e in rep.split for x in (f, "、".join(e))}
    quoted |= {x for f, n, e, w in rep.either for x in (f, "、".join(e), w)}
    quoted |= {"、".join(o) for _f, o in rep.conflicts} | {d for _f, d in rep.defaulted} | {"、".join(rep.grouped)}
    return [str(c) for row in table for c in row if c not in (None, "") and c not in quoted and not isinstance(c, int)]


@pytest.mark.parametrize("english", [True, False])
def test_every_title_and_label_of_the_report_is_in_the_runs_language(english):
    rep = _every_section()
    rep.english = english
    labels = _labels(rep.table(), rep)
    assert labels
    if english:
        # a label may name a sheet of the desk's (列名映射) or quote a field 「…」: the rest is English
        assert not [t for t in labels if CJK.search(re.sub("「[^」]*」|列名映射", "", t))]
    else:
        assert all(CJK.search(t) for t in labels)


def test_the_batch_writes_the_report_in_english_when_the_settings_say_so():
    result = batch.run(ROWS, HEADERS, _english_table(), None, {}, NOW)
    title = result.sheets[batch.READING][0]
    assert title[0] == "Reading report" and title[2] == "2 rows" and title[3] == "No platform export recognised"
    chinese = batch.run(ROWS, HEADERS, None, None, {}, NOW).sheets[batch.READING]
    assert chinese[0][0] == "读取报告" and len(chinese) == len(result.sheets[batch.READING])


def test_every_hosts_report_takes_the_language_from_the_context():
    ctx = context.build(settings=_english_table(), now=NOW)
    _results, rep = engine.evaluate_table(ROWS, HEADERS, ctx)
    assert rep.english and rep.table()[0][0] == "Reading report"
    assert not engine.evaluate_table(ROWS, HEADERS, context.build(now=NOW))[1].english
