"""REFUND_TABLE's block worked out a column at a time (``table_render``) equals the row renderer
(``render.Presenter.table`` over ``engine.evaluate_columns``), cell for cell.

The column path shares work between rows (one plan per outcome, one wording per distinct
value); these tests hold it to the row path on the sheets it meets: the benchmark's realistic
mix, a year's sheet, pasted exports with header rows of their own, English, the team's own
templates (braces, every placeholder, 处理建议/动作代码), whole-day and year-less dates,
unreadable cells, and random rows (hypothesis) of plausible values and junk.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from benchmarks.synth import HEADERS, NOW, make_rows
from refund_xl._core import context, engine, render, replies, table_render
from refund_xl._core.fields import FIELDS
from test_properties import junk_value, row_strategy

BLANK = [""] * table_render.WIDTH


def _by_rows(cols, s, now, templates):
    present = render.Presenter(s.english, templates).table
    out = []
    for res in engine.evaluate_columns(cols, s, now):
        if res.blank:
            out.append(list(BLANK))
            continue
        try:
            out.append(present(res))
        except Exception as exc:  # as table_rows did: a defect in its own row
            out.append([render.row_error(exc), *[""] * 7])
    return out


def _both(rows, headers=HEADERS, settings=None, now=NOW, templates=None):
    ctx = context.build(settings=settings, now=now)
    tpl = replies.parse_templates(templates) if templates is not None else ctx.templates
    cols = engine.read_columns(rows, headers, aliases=ctx.mappings, now=ctx.now)
    return table_render.table_cells(cols, ctx.settings, ctx.now, tpl), _by_rows(cols, ctx.settings, ctx.now, tpl)


def _same(got, want):
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, (i, g, w)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_realistic_mix(seed):
    _same(*_both(make_rows(3000, seed=seed)))


def test_a_years_sheet():
    _same(*_both(make_rows(3000, seed=7, year=True)))


def test_english_and_settings():
    settings = [["键", "项目", "值"], ["language", "语言", "English"], ["high_value", "高客单", 100],
                ["remote_regions", "偏远", "新疆,西藏,青海"]]
    _same(*_both(make_rows(2000, seed=4), settings=settings))


def test_the_teams_own_templates():
    every = "".join(f"{{{f.header}}}" for f in FIELDS)
    templates = [["动作代码", "动作", "话术模板"],
                 ["APPROVE_REFUND", "", "亲{订单号}：{{ 大括号 }} {处理建议} {动作代码} {超时时间} {不存在的列}"],
                 ["INTERCEPT_REFUND_NOW", "", every],
                 ["WAIT_RETURN", "", "没有占位符 {"],
                 ["REFUND_OR_RESHIP_CLAIM", "", "{退款金额}元 {申请时间} {物流更新时间}"]]
    _same(*_both(make_rows(2000, seed=5), templates=templates))


def test_pasted_exports_with_their_own_header_rows():
    rows = make_rows(600, seed=8)
    other = ["售后单号", "订单编号", "售后类型", "退款金额", "发货状态", "物流状态", "最后更新", "售后状态"]
    pasted = [other] + [["R" + str(i), f"8{i:017d}", "仅退款", 88.0, "已发货", "运输中",
                         NOW - timedelta(hours=i % 100), None] for i in range(300)]
    width = len(HEADERS)
    table = rows[:300] + [r + [None] * (width - len(r)) for r in pasted] + rows[300:]
    _same(*_both(table))


def test_dates_a_person_types_and_unreadable_cells():
    rows = make_rows(1500, seed=9)
    col = {h: i for i, h in enumerate(HEADERS)}
    forms = ["6月8日", "6月8日 10:00", "06-08 10:00", "2025-06-08", "6月8号 下午3点", "待定", "#N/A", "2025/6/8",
             45816.0, 45816.5, "4.80299E+18", 4.80299e18]
    for i, row in enumerate(rows):
        for h in ("物流更新时间", "超时时间", "申请时间", "拦截时间", "订单号", "物流单号", "退款金额"):
            if (i + len(h)) % 11 == 0:
                row[col[h]] = forms[(i // 11 + len(h)) % len(forms)]
    _same(*_both(rows))


PROFILE = settings(max_examples=60, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@PROFILE
@given(st.lists(st.one_of(row_strategy, row_strategy, row_strategy, st.lists(junk_value, max_size=len(HEADERS))),
                min_size=1, max_size=25),
       st.datetimes(datetime(2025, 5, 1), datetime(2025, 7, 1)), st.booleans())
def test_random_rows(rows, now, english):
    width = len(HEADERS)
    table = [list(r[:width]) + [None] * (width - len(r)) for r in rows]
    settings = [["键", "项目", "值"], ["language", "语言", "English"]] if english else None
    _same(*_both(table, now=now, settings=settings))


@pytest.mark.parametrize("want", [(0,), (1,), (2,), (3,), (4,), (5,), (6,), (7,), (6, 2), (4, 1)])
def test_some_cells_are_those_cells_of_the_block(want):
    """A formula function that wants some of the cells (REFUND_ACTION, LOSS_RISK, REPLY_SCRIPT) gets
    exactly those cells of the whole block, however its rows are grouped."""
    rows = make_rows(1500, seed=12)
    col = {h: i for i, h in enumerate(HEADERS)}
    for i, row in enumerate(rows[::7]):  # whole days, unreadable cells: the rows rendered one by one
        row[col["物流更新时间"]] = ["6月8日", "待定", None][i % 3]
    for i, row in enumerate(rows):  # required columns left empty: one outcome, different columns asked for
        for h, every in (("订单号", 11), ("退款金额", 13), ("售后类型", 17), ("发货状态", 19)):
            if i % every == 0:
                row[col[h]] = None
    ctx = context.build(now=NOW)
    cols = engine.read_columns(rows, HEADERS, aliases=ctx.mappings, now=ctx.now)
    block = table_render.table_cells(cols, ctx.settings, ctx.now, ctx.templates)
    _same(block, _by_rows(cols, ctx.settings, ctx.now, ctx.templates))
    some = table_render.table_cells(cols, ctx.settings, ctx.now, ctx.templates, want)
    _same(some, [[r[k] for k in want] for r in block])
