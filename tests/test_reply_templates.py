"""话术模板 as staff type it (contract §6): full-width braces, a brace left unpaired, a mistyped action code.

A placeholder the reply cannot fill is flagged in the text and listed, never sent as typed; a template row the
product cannot use is said in the reading report, never dropped in silence.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from hypothesis import assume, given, strategies as st

from refund_xl._core import context, engine, replies, rules
from refund_xl._core.rules import Case

CASE = Case(order_id="0012345", carrier="顺丰", tracking_no="SF00123", amount=1299.0, province="广东",
            deadline=datetime(2025, 6, 12, 18, 0), applied_at=datetime(2025, 6, 9, 6, 0))
FIELD_PLACEHOLDERS = [p for p in replies.PLACEHOLDERS if p not in ("处理建议", "动作代码")]
OPEN, CLOSE = ("{", "｛"), ("}", "｝")
BRACES = re.compile("[{}｛｝]")
MARKS = re.compile("【[^】]*】")  # the flags (【缺:…】, 【模板有误:「{」未配对】): what staff read, never the customer


def _raw_brace(text: str) -> bool:
    """A brace the customer would see: one outside the flags."""
    return bool(BRACES.search(MARKS.sub("", text)))
HEADER = ["动作代码", "动作", "话术模板"]


def _both_paths(template: str, case: Case = CASE) -> list[str]:
    """The reply as one row fills it (formulas, the batch) and as a column of rows does (REFUND_TABLE)."""
    text, _missing = replies.fill(template, case)
    pieces, slots = replies.positional(template)
    column = pieces[0] + "".join(replies.shown(name, [getattr(case, key)])[0] + piece
                                 for (name, key), piece in zip(slots, pieces[1:]))
    return [text, column]


@pytest.mark.parametrize("name", FIELD_PLACEHOLDERS)
@pytest.mark.parametrize("left, right", [(o, c) for o in OPEN for c in CLOSE])
@pytest.mark.parametrize("pad", ["", " ", "\u3000"])
def test_a_placeholder_in_full_width_braces_is_a_placeholder(name, left, right, pad):
    """｛订单号｝ (a Chinese input method's braces), mixed or padded, fills as {订单号} does — or is flagged as it is."""
    typed = f"亲，{left}{pad}{name}{pad}{right}。"
    assert replies.fill(typed, CASE) == replies.fill(f"亲，{{{name}}}。", CASE)
    assert not _raw_brace(replies.fill(typed, CASE)[0])
    assert _both_paths(typed)[0] == _both_paths(typed)[1]


@given(code=st.sampled_from(sorted(replies.DEFAULT_TEMPLATES)), data=st.data(), full=st.booleans())
def test_a_brace_left_unpaired_is_flagged_never_sent(code, data, full):
    """Any default template with one brace of a placeholder deleted (the other half never typed): the reply
    flags the stray brace and lists it; no brace reaches the customer."""
    template = replies.DEFAULT_TEMPLATES[code]
    if full:
        template = template.replace("{", "｛").replace("}", "｝")
    at = [m.start() for m in BRACES.finditer(template)]
    assume(at)
    i = data.draw(st.sampled_from(at))
    broken = template[:i] + template[i + 1:]
    text, missing = replies.fill(broken, CASE)
    assert not _raw_brace(text)
    assert "【模板有误:「" in text and any(m.endswith("」未配对") for m in missing)
    for shown in _both_paths(broken):
        assert not _raw_brace(shown) and "【模板有误:「" in shown


@pytest.mark.parametrize("typed, flagged", [
    ("亲，订单{订单号}包裹{物流单号异常，我们马上补发或退款{退款金额}元", ["「{」未配对"]),
    ("亲，订单{订单号}包裹物流单号}异常", ["「}」未配对"]),
    ("亲，订单｛订单号包裹", ["「｛」未配对"]),
    ("亲，{{订单号}}", ["「{」未配对", "「}」未配对"]),
])
def test_the_stray_brace_is_named(typed, flagged):
    text, missing = replies.fill(typed, CASE)
    assert missing == flagged and all(f"【模板有误:{f}】" in text for f in flagged)


def test_the_red_team_template_keeps_what_it_could_fill():
    text, missing = replies.fill("亲，订单{订单号}包裹{物流单号异常，我们马上补发或退款{退款金额}元", CASE)
    assert text == "亲，订单0012345包裹【模板有误:「{」未配对】物流单号异常，我们马上补发或退款1299元"
    assert missing == ["「{」未配对"]


# ------------------------------------------------------------- a 话术模板 row under a code no action has

CODES = sorted(c for c in rules.ACTIONS if c not in replies.NO_MESSAGE)


def _slip(code: str, kind: str, at: int) -> str:
    i = at % len(code)
    if kind == "left_out":
        return code[:i] + code[i + 1:]
    if kind == "swapped":
        i = min(i, len(code) - 2)
        return code[:i] + code[i + 1] + code[i] + code[i + 2:]
    if kind == "added":
        return code[:i] + "X" + code[i:]
    return code[:i] + ("Q" if code[i] != "Q" else "Z") + code[i + 1:]


@given(code=st.sampled_from(CODES), kind=st.sampled_from(["left_out", "swapped", "added", "wrong"]),
       at=st.integers(0, 30), lower=st.booleans())
def test_a_template_under_a_mistyped_code_is_said_with_the_code_it_may_be(code, kind, at, lower):
    typed = _slip(code, kind, at)
    assume(typed.upper() not in rules.ACTIONS)
    typed = typed.lower() if lower else typed
    table = [HEADER, ["WAIT_RETURN", "等待客户寄回", ""], [typed, "", "亲，订单{订单号}改过的话术"]]
    templates, notes = replies.read_templates(table)
    assert templates == replies.DEFAULT_TEMPLATES  # (the staff's text is not used …)
    assert len(notes) == 1 and "第3行" in notes[0] and f"「{typed}」" in notes[0]  # (… and that is said)
    others = min(sum(a != b for a, b in zip(typed.upper(), c)) + abs(len(c) - len(typed)) for c in CODES if c != code)
    if others > 2:  # no other code about as close: the one it may be is named
        assert f"是否为 {code}？" in notes[0]


@pytest.mark.parametrize("code", CODES)
def test_a_template_under_its_actions_name_suggests_the_code(code):
    notes = replies.read_templates([HEADER, [rules.ACTIONS[code][0], "", "亲，改过的话术"]])[1]
    assert notes and f"是否为 {code}？" in notes[0]


@pytest.mark.parametrize("row", [
    ["APPROVE_REFUN", "", ""],                      # nothing typed: nothing lost
    [None, "", "【帮助行】{订单号}"],                # a help row with no code
    ["动作代码", "动作", "话术模板"],                 # the header again
    ["APPROVE_REFUND", "同意退款", "亲，已退款{退款金额}元"],
])
def test_rows_that_lose_nothing_are_not_said(row):
    assert replies.read_templates([HEADER, row])[1] == []


def test_two_rows_of_one_code_with_two_texts_are_said():
    notes = replies.read_templates([HEADER, ["APPROVE_REFUND", "", "甲{订单号}"], ["APPROVE_REFUND", "", "乙{订单号}"]])[1]
    assert notes == ["话术模板第2行和第3行都是 APPROVE_REFUND 的话术：用的是第3行"]


def test_the_template_sheet_as_shipped_says_nothing():
    assert replies.read_templates(replies.templates_table()) == (replies.DEFAULT_TEMPLATES, [])


def test_the_reading_report_says_what_the_templates_could_not_use():
    """Every host's reading report (batch 读取报告 and 运行日志, evaluate, 检查表头) comes from evaluate_table."""
    table = [HEADER, ["APPROVE_REFUN", "", "【不应出现】订单{订单号}"]]
    for ctx in (context.build({replies.SHEET: table}), context.build(templates=table)):
        _results, reading = engine.evaluate_table([["A1", "仅退款", 59, "未发货"]], ["订单号", "售后类型", "退款金额", "发货状态"],
                                                 ctx)
        said = "话术模板第2行：动作代码「APPROVE_REFUN」不认识（是否为 APPROVE_REFUND？），这一行的话术没有用上"
        assert reading.notes == [said]
        assert f"· {said}" in reading.lines() and said in reading.summary()
        assert [said, "", "", ""] in reading.table()
