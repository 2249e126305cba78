"""replies: default scripts per action, the 话术模板 table, and filling placeholders."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from refund_xl import replies, rules
from refund_xl.fields import FIELDS
from refund_xl.rules import Case

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
        ["OFFER_EXCHANGE", "仅两列时取最后一列"],
    ])
    assert out["APPROVE_REFUND"] == "已为您退款{退款金额}元"
    assert out["WAIT_RETURN"] == replies.DEFAULT_TEMPLATES["WAIT_RETURN"]
    assert out["OFFER_EXCHANGE"] == "仅两列时取最后一列"
    assert "NOT_A_CODE" not in out


@pytest.mark.parametrize("rows", [None, []])
def test_parse_templates_empty_gives_defaults(rows):
    assert replies.parse_templates(rows) == replies.DEFAULT_TEMPLATES


def test_every_field_header_is_a_placeholder():
    assert {f.header for f in FIELDS} <= set(replies.PLACEHOLDERS)
