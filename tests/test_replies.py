"""replies: default scripts per action, the 话术模板 table, and filling placeholders."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from hypothesis import example, given, settings, strategies as st

from refund_xl._core import replies, rules
from refund_xl._core.fields import FIELDS
from refund_xl._core.rules import Case

CASE = Case(order_id="0012345", carrier="顺丰", tracking_no="SF00123", amount=1299.0,
            deadline=datetime(2025, 6, 12, 18, 0))


def test_every_action_needing_a_message_has_a_default():
    needs = set(rules.ACTIONS) - replies.NO_MESSAGE
    assert needs <= set(replies.DEFAULT_TEMPLATES)
    assert not set(replies.DEFAULT_TEMPLATES) & replies.NO_MESSAGE
    assert {"DONE", "NEEDS_INFO"} <= replies.NO_MESSAGE


@pytest.mark.parametrize("code", sorted(replies.DEFAULT_TEMPLATES))
def test_default_placeholders_are_known_headers(code):
    names = re.findall(r"\{([^{}]+)\}", replies.DEFAULT_TEMPLATES[code])
    assert names, f"{code} should be filled from the case"
    assert set(names) <= set(replies.PLACEHOLDERS)


def test_fill_uses_canonical_headers():
    text, missing = replies.fill("订单{订单号}，{快递公司}{物流单号}，退款{退款金额}元，截止{超时时间}", CASE)
    assert text == "订单0012345，顺丰SF00123，退款1299元，截止2025-06-12 18:00"
    assert missing == []


def test_fill_money_keeps_cents():
    text, _ = replies.fill("{退款金额}", Case(amount=59.5))
    assert text == "59.5"
    assert replies.fill("{退款金额}", Case(amount=0.1 + 0.2))[0] == "0.3"


def test_fill_flags_missing_values_and_unknown_placeholders():
    text, missing = replies.fill("单号{物流单号}，{快递公司}，{ 订单号 }，{没有这个}", Case(order_id="1", carrier=""))
    assert text == "单号【缺:物流单号】，【缺:快递公司】，1，【缺:没有这个】"
    assert missing == ["物流单号", "快递公司", "没有这个"]


def test_fill_extra_values_win():
    text, missing = replies.fill("{处理建议}｜{订单号}", CASE, {"处理建议": "同意退款", "订单号": "X"})
    assert (text, missing) == ("同意退款｜X", [])


def test_fill_leaves_text_without_placeholders():
    assert replies.fill("亲，感谢耐心等待~", CASE) == ("亲，感谢耐心等待~", [])


def test_templates_table_round_trip():
    table = replies.templates_table()
    assert table[0] == ["动作代码", "动作", "话术模板"]
    codes = [r[0] for r in table[1:]]
    assert set(codes) == set(rules.ACTIONS) - replies.NO_MESSAGE
    assert all(r[1] == rules.ACTIONS[r[0]][0] for r in table[1:])
    assert replies.parse_templates(table) == replies.DEFAULT_TEMPLATES


def test_parse_templates_merges_over_defaults():
    out = replies.parse_templates([
        ["动作代码", "动作", "话术模板"],
        [" approve_refund ", "同意退款", "  已为您退款{退款金额}元  "],   # code folded, text trimmed
        ["WAIT_RETURN", "等待寄回", ""],                                 # empty keeps the default
        ["NOT_A_CODE", "", "x"],
        [None, None, None],
        [],
        "stray",
        ["OFFER_EXCHANGE", "只有动作一列，没有模板"],
    ])
    assert out["APPROVE_REFUND"] == "已为您退款{退款金额}元"
    assert out["WAIT_RETURN"] == replies.DEFAULT_TEMPLATES["WAIT_RETURN"]
    # the template is the 话术模板 column: a row that stops before it keeps the default
    assert out["OFFER_EXCHANGE"] == replies.DEFAULT_TEMPLATES["OFFER_EXCHANGE"]
    assert "NOT_A_CODE" not in out


@pytest.mark.parametrize("rows", [None, []])
def test_parse_templates_empty_gives_defaults(rows):
    assert replies.parse_templates(rows) == replies.DEFAULT_TEMPLATES


def test_every_field_header_is_a_placeholder():
    assert {f.header for f in FIELDS} <= set(replies.PLACEHOLDERS)


def test_notes_beside_the_table_are_never_a_template():
    # the shipped 话术模板 sheet: 动作代码 | 动作 | 话术模板 | (blank) | notes
    table = [["动作代码", "动作", "话术模板", None, "可用占位符"],
             ["NEGOTIATE_COST", "已产生成本", None, None, "改「话术模板」一列即可；动作代码不要改。"],
             ["INTERCEPT_OFFLINE", "线下已发货", "改过的话术{订单号}", None, "{订单号} {售后单号}"]]
    out = replies.parse_templates(table)
    assert out["NEGOTIATE_COST"] == replies.DEFAULT_TEMPLATES["NEGOTIATE_COST"]
    assert out["INTERCEPT_OFFLINE"] == "改过的话术{订单号}"


def test_templates_found_by_headers_in_any_order():
    table = [["备注", "话术模板", "动作代码"], ["说明文字", "您好{订单号}", "WAIT_RETURN"]]
    assert replies.parse_templates(table)["WAIT_RETURN"] == "您好{订单号}"


def test_default_replies_claim_no_fact_the_row_may_lack():
    # REJECT_WITH_PROOF also fires on 客户不撤销 alone (no 快递核实); INSPECT_THEN_REFUND on a return already in
    assert "核实过" not in replies.DEFAULT_TEMPLATES["REJECT_WITH_PROOF"]
    assert "收到后" not in replies.DEFAULT_TEMPLATES["INSPECT_THEN_REFUND"]


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.lists(st.one_of(st.none(), st.just(""), st.text(max_size=6))),
    st.lists(st.one_of(st.none(), st.floats(allow_nan=False), st.sampled_from([59.0, 0.5, 1e20, 0.0, -0.0, -0.001]))),
    st.lists(st.one_of(st.none(), st.datetimes(datetime(2025, 1, 1), datetime(2026, 1, 1)))),
    st.lists(st.one_of(st.none(), st.text(max_size=3), st.floats(allow_nan=False), st.booleans(), st.integers(-2, 2),
                       st.sampled_from([0.0, -0.0, 1.0, 0, 1, True, False]))),
))
@example([0.0, -0.0])  # one set entry: a zero shows without a sign
@example([-0.0, 0.0, None])
def test_a_column_shows_as_its_values_one_by_one(values):
    """A placeholder's column, shown once per distinct value, is each value as the template shows it."""
    assert replies.shown("退款金额", values) == [replies._slot("退款金额", v) for v in values]
