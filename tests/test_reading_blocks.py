"""contract §2: a second export pasted under the first, register words through 值映射, unread traces quoted.

* A row further down that repeats a header row starts a new block read through its own headers
  (a second export pasted under the first, its columns in another order), never through the
  first header row.
* A 拦截状态 staff typed in 拦截登记 is read through the team's 值映射; a word nothing reads is
  said in the run's notes, never dropped silently.
* A courier trace (an export's 发货物流信息) the reader cannot read is quoted in the row's message.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings, strategies as st

from conftest import NOW, ago
from refund_xl._app import batch
from refund_xl._core import engine, fields, presets, report
from refund_xl._core.fields import FIELD_BY_KEY, Mappings, parse_value_table

FIRST = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流更新时间", "收货省份"]


def _row(order: str, kind: str, amount: float, lg: str, hours: float) -> dict[str, object]:
    return {"订单号": order, "售后类型": kind, "退款金额": amount, "发货状态": "已发货", "物流状态": lg,
            "物流更新时间": ago(hours), "收货省份": "浙江"}


@settings(max_examples=40, deadline=None)
@given(st.permutations(FIRST), st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=4))
def test_a_second_export_pasted_below_is_read_through_its_own_headers(order, n1, n2):
    cases = [_row(f"A{i}", "仅退款", 59 + i, "运输中", 2) for i in range(n1)]
    more = [_row(f"B{i}", "仅退款", 999 + i, "派送中", 30) for i in range(n2)]
    rows = [[c[h] for h in FIRST] for c in cases]
    rows.append(list(order))                                   # the second export's header row
    rows += [[c[h] for h in order] for c in more]
    results, rep = engine.evaluate_read(rows, FIRST, now=NOW)
    codes = [r.action_code for r in results]
    assert codes == ["INTERCEPT_REFUND_NOW"] * n1 + [""] + ["INTERCEPT_AND_WATCH"] * n2
    assert results[n1].blank                                   # the header row is no case
    assert [r.case.order_id for r in results[n1 + 1:]] == [c["订单号"] for c in more]
    assert any("又是一行表头" in line for line in rep.lines())


_NOTICE = st.builds(
    lambda head, body, tail: head + body + tail,
    st.sampled_from(["温馨提示：", "注意：", "说明：", "提示：", "【重要】", ""]),
    st.sampled_from(["仅支持导出近3个月的售后单", "导出时间 2025-06-10 09:00", "共 120 条记录", "请勿修改表头",
                     "本表由系统生成", "金额单位：元"]),
    st.sampled_from(["", "，3个月前的售后单仅支持在页面查看", "。"]))


@settings(max_examples=60, deadline=None)
@given(st.permutations(FIRST), st.lists(_NOTICE, min_size=1, max_size=3), st.integers(0, len(FIRST) - 1),
       st.integers(min_value=1, max_value=3))
def test_a_pasted_exports_notice_lines_are_no_cases(order, notices, col, n2):
    """The lines an export prints above its header row (拼多多's 温馨提示), pasted with it under the first
    export: no case, never a row asked for its 订单号; the cases on both sides read as before."""
    cases = [_row("A1", "仅退款", 59, "运输中", 2)]
    more = [_row(f"B{i}", "仅退款", 999 + i, "派送中", 30) for i in range(n2)]
    rows = [[c[h] for h in FIRST] for c in cases]
    for text in notices:
        line: list[object] = [None] * len(FIRST)
        line[col] = text
        rows.append(line)
    rows.append(list(order))
    rows += [[c[h] for h in order] for c in more]
    results, rep = engine.evaluate_read(rows, FIRST, now=NOW)
    codes = [r.action_code for r in results]
    assert codes == ["INTERCEPT_REFUND_NOW"] + [""] * (len(notices) + 1) + ["INTERCEPT_AND_WATCH"] * n2
    assert all(r.blank for r in results[1:len(notices) + 2])
    assert not any("订单号" in line and "无法识别" in line for line in rep.lines())


def test_a_lone_id_above_a_header_row_is_still_a_case():
    """A row holding only an order number (typed, not yet filled) stays a case, asked for what it lacks."""
    rows = [[c for c in (_row("A1", "仅退款", 59, "运输中", 2)[h] for h in FIRST)], ["A2", *[None] * 6], FIRST,
            [_row("B1", "仅退款", 999, "派送中", 30)[h] for h in FIRST]]
    results = engine.evaluate(rows, FIRST, now=NOW)
    assert results[1].action_code == "NEEDS_INFO" and not results[1].blank


def _mappings(values):
    return Mappings({}, parse_value_table(values)) if values else None


def _register_word_book(word: str, values=None):
    head = ["订单号", "售后单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流更新时间", "收货省份", "拦截状态",
            "拦截时间"]
    row = ["A002", "S2", "仅退款", 899, "已发货", "运输中", ago(2), "浙江", None, None]
    first = batch.run([row], head, None, None, {}, NOW, aliases=_mappings(values))
    reg = [list(r) for r in first.sheets[batch.REGISTER]]
    col = reg[0].index("拦截状态")
    for r in reg[1:]:
        if r[reg[0].index("订单号")] == "A002":
            r[col] = word
    return head, row, {**first.sheets, batch.REGISTER: reg}


def test_a_register_word_is_read_through_the_teams_own_words():
    values = [["字段", "原值", "标准值"], ["拦截状态", "快递说没戏", "拦截失败"]]
    head, row, previous = _register_word_book("快递说没戏", values)
    second = batch.run([row], head, None, None, previous, NOW + timedelta(hours=1), aliases=_mappings(values))
    assert second.counts["ASK_REFUSE_DELIVERY"] == 1 and not second.notes


def test_a_register_word_nothing_reads_is_said_never_dropped():
    head, row, previous = _register_word_book("快递说没戏")
    second = batch.run([row], head, None, None, previous, NOW + timedelta(hours=1))
    assert second.counts["NEEDS_INFO"] == 1                     # decided on as typed: unreadable, so asked
    assert any("「快递说没戏」" in n and "值映射" in n for n in second.notes), second.notes


def test_an_unreadable_courier_trace_is_quoted():
    headers = ["订单编号", "退款编号", "支付宝交易号", "买家退款金额", "是否需要退货", "退款状态", "货物状态",
               "发货物流信息", "退款的申请时间"]
    rows = [["4242994886263078938", "R1", "T1", 59, "否", "买家已经申请退款，等待卖家同意", "买家未收到货",
             "中通快递 75234220267368：快件被险些签收", "2025-06-10 09:00"]]
    (res,) = engine.evaluate(rows, headers, now=NOW)
    assert res.action_code == "NEEDS_INFO"
    assert "物流状态「快件被险些签收」" in res.why()


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=2**31), st.integers(min_value=1, max_value=60))
def test_a_range_selected_with_its_header_row_reads_its_rows_as_they_read_alone(seed, n):
    """A formula's range that starts at the header row (the template's tracking_rows) reads every
    row below it exactly as the rows alone are read: same values, same unreadable cells, same
    counts of cells filled from other columns; the header row itself is no case."""
    from benchmarks.synth import HEADERS, make_rows

    rows = make_rows(n, seed=seed)
    alone = engine.read_columns(rows, HEADERS, now=NOW)
    headed = engine.read_columns([list(HEADERS), *rows], HEADERS, now=NOW)
    assert headed.blank == [True, *alone.blank]
    assert [v[1:] for v in headed.values] == alone.values
    assert headed.bad == {i + 1: b for i, b in alone.bad.items()}
    assert headed.bad_values == {i + 1: b for i, b in alone.bad_values.items()}
    assert headed.fallback == alone.fallback


_PRESETS = {p.key: p for p in presets.PRESETS}


@pytest.mark.parametrize("key", sorted(_PRESETS))
def test_a_second_export_pasted_below_is_reported_as_the_first_is(key):
    """contract §2.1/§2.2: the rows under a repeated header row are read through it, and the report says so as it does
    for the first header row: the export recognised, which header fed which field, the unused columns and the fields
    that block has no column of (the first block's columns are no columns of the second)."""
    preset = _PRESETS[key]
    second = [*preset.headers, "自定义列"]
    if "refund_type" not in fields.resolve(second).index:  # (an export's 售后类型 is read by its canonical header)
        second.append("售后类型")
    cmap = fields.resolve(second)
    rows = [[c[h] for h in FIRST] for c in [_row("A1", "仅退款", 59, "运输中", 2)]]
    rows.append(list(second))
    rows.append(["B1" if cmap.index.get("order_id") == i else None for i in range(len(second))])
    _results, rep = engine.evaluate_read(rows, FIRST, now=NOW)
    ((at, part),) = rep.parts
    assert at == 3 and part.rows == 1 and part.preset == preset.name
    assert "自定义列" in part.unused
    used = {h for h, _f, _how in part.used}
    assert used | set(part.unused) >= {h for h in second if h.strip()}     # every header said, used or not
    have = {k for k in cmap.index} | {k for h, keys in report._fed_by_preset(cmap).items() for k in keys}
    missing = {f for f, _d, _r in part.missing()[0]} | {f for f, _r in part.missing()[1]}
    lacks = [FIELD_BY_KEY[k].header for k in report._DECISION_FIELDS if k not in have]
    assert set(lacks) <= missing, (lacks, part.lines())
    assert lacks
    text = rep.lines(short=False)
    block = next(i for i, line in enumerate(text) if "第 3 行又是一行表头" in line)
    assert f"识别为「{preset.name}」导出" in text[block]
    below = text[block + 1:]
    assert any(line.startswith("  · 未使用的列") and "自定义列" in line for line in below)
    assert any(line.startswith("  · 缺少的列") and lacks[0] in line for line in below)
    h, f, _how = part.used[0]
    assert f"  · {h} → {f}（" in "\n".join(below)
    table = [[str(c) for c in row] for row in rep.table()]
    start = next(i for i, row in enumerate(table) if row[:1] == ["第 3 行是重复的表头"])
    assert table[start][3] == preset.name
    assert any(row[:1] == [lacks[-1]] for row in table[start:])
