"""A reply never runs ahead of the desk (issue 20): the low-value interception reply promises the
refund instead of saying it was made; every default reply that says something was done (同意了,
已安排, 已在联系, 已催促, 已留存 …) comes with a 发送前先做 step in 回复话术 that makes it true."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from refund_xl._app import batch
from refund_xl._core import replies, rules

NOW = datetime(2025, 6, 10, 12, 0)
# Words that report an act of the desk as done.
_DONE = re.compile(r"已(经)?(为您|帮您)|已(经)?(安排|在联系|联系|催促|留存|发放|处理|退款|退回)|也已|退款.{0,8}已")


def test_the_interception_reply_promises_the_refund_instead_of_reporting_it():
    text = replies.DEFAULT_TEMPLATES["INTERCEPT_REFUND_NOW"]
    assert "退款也已为您处理" not in text and not re.search(r"退款.{0,6}已(为您)?(处理|退)", text)
    assert "马上为您办理退款" in text


def test_every_reply_that_reports_an_act_has_a_step_before_sending():
    for code, text in replies.DEFAULT_TEMPLATES.items():
        if _DONE.search(text):
            assert code in replies.DO_FIRST, f"{code}: the reply says「{_DONE.search(text).group(0)}」with no step first"
    for code, (zh, en) in replies.DO_FIRST.items():
        assert code in replies.DEFAULT_TEMPLATES and zh.endswith("再发送") and en.endswith("then send")


def _rows(sheet):
    head = sheet[0]
    return [dict(zip(head, r)) for r in sheet[1:]]


HEAD = ["订单号", "售后单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间", "售后状态"]
LOW_TRANSIT = ["A001", "S1", "仅退款", 59, "已发货", "中通", "ZT1", "运输中", datetime(2025, 6, 10, 8), "处理中"]
NOT_SHIPPED = ["A002", "S2", "仅退款", 59, "未发货", None, None, None, None, "处理中"]


def test_the_replies_sheet_says_what_to_do_before_sending():
    out = batch.run([LOW_TRANSIT, NOT_SHIPPED], HEAD, now=NOW)
    rows = {r["订单号"]: r for r in _rows(out.sheets[batch.REPLIES])}
    assert rows["A001"]["动作代码"] == "INTERCEPT_REFUND_NOW"
    assert rows["A001"]["发送前先做"] == replies.DO_FIRST["INTERCEPT_REFUND_NOW"][0]
    assert "同意退款" in rows["A002"]["发送前先做"]
    head = out.sheets[batch.REPLIES][0]
    assert head.index("发送前先做") < head.index("回复话术")        # read before the reply
    assert head.index("发送前先做") in out.wrap_cols[batch.REPLIES]


def test_a_sheet_from_an_earlier_version_gets_the_column_and_keeps_its_cells():
    first = batch.run([LOW_TRANSIT], HEAD, now=NOW).sheets[batch.REPLIES]
    at = first[0].index("发送前先做")
    old = [r[:at] + r[at + 1:] for r in first]                      # as the product wrote it before
    old[1][old[0].index("是否已发送")] = "是"
    again = batch.run([LOW_TRANSIT], HEAD, now=NOW, previous={batch.REPLIES: old}).sheets[batch.REPLIES]
    assert again[0][:len(old[0])] == old[0] and again[0][-1] == "发送前先做"
    row = dict(zip(again[0], again[1]))
    assert row["是否已发送"] == "是" and row["发送前先做"] == replies.DO_FIRST["INTERCEPT_REFUND_NOW"][0]


# ------------------------------------------------------------ every default reply against its action's facts

# An act of the desk stated as done: 已/已经 then (within a few characters, no punctuation) a verb of the desk.
_ACT = re.compile(r"已(经)?[^，。；！？~、（）]{0,4}?(安排|联系|催促|留存|拍照|发放|处理|退款|退回|同意|核实|补发|寄出|拦截)")


def _covered(rule, atom, value) -> bool:
    """Can no case reach ``rule`` with ``atom`` = ``value``: an earlier rule takes every such case?"""
    region = {a: frozenset(v) for a, v in rule.when}
    region[atom] = frozenset({value})
    for earlier in rules.ACTION_RULES[:rules.ACTION_RULES.index(rule)]:
        if all(frozenset(region.get(a, rules.DOMAINS[a])) <= v for a, v in earlier.when):
            return True
    return False


def _guaranteed(code: str, atom: str) -> set:
    """The values of ``atom`` a case can have when its action is ``code`` (over every rule giving it)."""
    out: set = set()
    for rule in (r for r in rules.ACTION_RULES if r.code == code):
        when = dict(rule.when)
        if atom == "logistics" and atom not in when and "trace" in when:
            # a parcel that left offline: its rules read the 物流状态 as the atom ``trace`` (a blank: no trace)
            out |= {v for v in when["trace"] if v is not None and not _covered(rule, "trace", v)}
            continue
        allowed = when.get(atom, frozenset(rules.DOMAINS[atom]))
        out |= {v for v in allowed if not _covered(rule, atom, v)}
    return out


@pytest.mark.parametrize("code", sorted(replies.DEFAULT_TEMPLATES))
def test_a_default_reply_states_only_what_its_action_guarantees(code):
    text = replies.DEFAULT_TEMPLATES[code]
    for said, atom, allowed in replies.REPLY_FACTS:
        for m in re.finditer(said, text):
            held = _guaranteed(code, atom)
            assert held and held <= allowed, f"{code}:「{m.group(0)}」but {atom} may be {sorted(map(str, held - allowed))}"
    for m in _ACT.finditer(text):
        assert code in replies.DO_FIRST, f"{code}: the reply says「{m.group(0)}」(done) with no step before sending"
    for word in replies.NOT_HELD:
        assert word not in text, f"{code}:「{word}」— no column of the row holds it"


def test_the_reply_facts_table_is_alive():
    """Every fact the table knows is said by some default reply, of an atom the rules read."""
    for said, atom, allowed in replies.REPLY_FACTS:
        assert atom in rules.DOMAINS and allowed <= set(rules.DOMAINS[atom]), (said, atom)
        assert any(re.search(said, t) for t in replies.DEFAULT_TEMPLATES.values()), said
