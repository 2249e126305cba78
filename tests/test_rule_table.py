"""contract §4.2: tests generated from the declared rule table (``rules.ACTION_RULES``).

* every row of the table is reachable, and a sheet row built for it is decided by it;
* every fully known combination of facts is decided by some row;
* three-valued facts: whenever the product decides with unknown facts, every completion of
  the unknowns gives that same action (hypothesis);
* the committed rules page (docs/rules.md) is the one the table generates.
"""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import product
from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st

from conftest import NOW
from refund_xl._app import reference
from refund_xl._core import engine, rules, wordbook
from refund_xl._core.rules import ACTION_RULES, ATOMS, DOMAINS, Unknown, decide
from refund_xl._core.fields import FIELDS, resolve
from refund_xl._core.settings import DEFAULTS

ROOT = Path(__file__).resolve().parents[1]
_AT = {a: i for i, a in enumerate(ATOMS)}
# atoms a sheet row can show as known (deadline NONE is "no deadline known": an unknown)
_KNOWN = {a: tuple(v for v in DOMAINS[a] if not (a == "deadline" and v == "NONE")) for a in ATOMS}


_PARCEL = ATOMS.index("parcel")


_CHECK = ATOMS.index("courier_check")
_INSPECTION, _INTERCEPT = ATOMS.index("inspection"), ATOMS.index("intercept")
_TRACE = ATOMS.index("trace")


def _consistent(atoms: tuple) -> tuple:
    """``atoms`` as a sheet can hold them: a 物流状态 past the pickup or an interception shows a parcel; a
    courier's 已签收 beside a 物流状态 short of it is no known 物流状态 (the sheet row is built without it); the
    sheet row writes the 物流状态, so the trace a parcel shipped offline is read by is that word."""
    a = dict(zip(ATOMS, atoms))
    shown = a["logistics"] in rules.PARCEL_LOGISTICS or a["intercept"] in rules.PARCEL_INTERCEPT
    out = list(atoms)
    out[_PARCEL] = a["parcel"] or shown
    out[_TRACE] = a["logistics"]
    if a["courier_check"] == "已签收" and a["logistics"] in rules._SHORT_OF_SIGNED:
        out[_CHECK] = None
    # a word another column contradicts is no known word (rules._CONTRADICTED): the row is built without
    # the contradiction (no inspection result beside a return short of the warehouse; no 拦截成功 beside
    # a trace that says delivered)
    if a["inspection"] in rules.INSPECTED and a["return_logistics"] != "已签收":
        out[_INSPECTION] = None
    if a["intercept"] == "拦截成功" and a["logistics"] == "已签收":
        out[_INTERCEPT] = "未拦截"
    return tuple(out)


def _satisfying(rule_index: int, rng: random.Random, tries: int = 4000) -> tuple | None:
    """Known atoms on which row ``rule_index`` is the first row that holds."""
    rule = ACTION_RULES[rule_index]
    fixed = {a: sorted(v, key=str) for a, v in rule.when}
    for _ in range(tries):
        atoms = _consistent(tuple(rng.choice(fixed[a]) if a in fixed else rng.choice(_KNOWN[a]) for a in ATOMS))
        verdict = decide(atoms)
        if verdict.rule is rule:
            return atoms
    return None


RNG_SEED = 20250610
WITNESSES = {}
_rng = random.Random(RNG_SEED)
for _i, _rule in enumerate(ACTION_RULES):
    WITNESSES[_i] = _satisfying(_i, _rng)


@pytest.mark.parametrize("index", range(len(ACTION_RULES)),
                         ids=[f"rule_{r.number}_{r.code}_{i}" for i, r in enumerate(ACTION_RULES)])
def test_every_row_of_the_table_is_reachable(index):
    assert WITNESSES[index] is not None, f"no facts make row {ACTION_RULES[index]} the first to hold"


def _sheet_row(atoms: tuple) -> dict[str, object]:
    """A tracking-sheet row (canonical headers → cells) whose facts are ``atoms``."""
    a = dict(zip(ATOMS, atoms))
    amount = 500 if a["high"] else 50
    row: dict[str, object] = {
        "订单号": {"ok": "T1", "missing": 4.80299e18}[a["required"]],
        "售后单号": "A1", "售后状态": a["case_state"], "售后类型": a["refund_type"], "发货状态": a["ship_state"],
        "物流单号": "SF1234567" if a["parcel"] else None, "物流状态": a["logistics"], "拦截状态": a["intercept"],
        "客户反馈": a["customer_says"], "快递核实": a["courier_check"], "商品类型": a["goods_kind"],
        "已产生成本": a["cost_incurred"], "退货物流状态": a["return_logistics"], "协商进度": a["negotiation"],
        "验货结果": a["inspection"], "禁运": a["no_ship"],
        "退货原因": {None: None, rules.OTHER: "颜色偏深"}.get(a["reason"], a["reason"]),
        "退款金额": amount,
        "物流更新时间": NOW - timedelta(hours={"NORMAL": 2, "NUDGE": 30, "LOST": 100}[a["stall"]]),
        "收货省份": "浙江",
        "拦截时间": NOW - timedelta(hours=30 if a["intercept_due"] else 2),
        "超时时间": NOW + timedelta(hours={"OK": 100, "WARN": 5, "OVERDUE": -5}[a["deadline"]]),
        "退货运费": amount + 10 if a["cost_gt"] else None,
        "申请时间": NOW - timedelta(hours=3),
    }
    return row


@pytest.mark.parametrize("index", range(len(ACTION_RULES)),
                         ids=[f"rule_{r.number}_{r.code}_{i}" for i, r in enumerate(ACTION_RULES)])
def test_a_sheet_row_built_for_each_row_of_the_table_is_decided_by_it(index):
    atoms = WITNESSES[index]
    assert atoms is not None
    row = _sheet_row(atoms)
    res = engine.evaluate([list(row.values())], list(row), now=NOW)[0]
    rule = ACTION_RULES[index]
    assert (res.action_code, res.rule) == (rule.code, rule.number), (row, res.why())


@settings(max_examples=400, deadline=None)
@given(st.tuples(*(st.sampled_from(_KNOWN[a]) for a in ATOMS)))
def test_every_known_combination_is_decided_by_a_row(atoms):
    verdict = decide(atoms)
    assert verdict.rule is not None, atoms
    assert verdict.code != "NEEDS_INFO" or verdict.rule.number == "0b"


@st.composite
def partly_unknown(draw):
    known = list(draw(st.tuples(*(st.sampled_from(_KNOWN[a]) for a in ATOMS))))
    for a in draw(st.lists(st.sampled_from(ATOMS), max_size=3, unique=True)):
        domain = DOMAINS[a]
        values = draw(st.sets(st.sampled_from(domain), min_size=2, max_size=len(domain)))
        known[_AT[a]] = Unknown(frozenset(values), (a,))
    return tuple(known)


@settings(max_examples=600, deadline=None)
@given(partly_unknown())
def test_a_decision_with_unknown_facts_holds_for_every_completion(atoms):
    verdict = decide(atoms)
    unknown_at = [i for i, v in enumerate(atoms) if isinstance(v, Unknown)]
    completions = set()
    for values in product(*(sorted(atoms[i].values, key=str) for i in unknown_at)):
        full = list(atoms)
        for i, v in zip(unknown_at, values):
            full[i] = v
        completions.add(decide(tuple(full)).code)
    if verdict.code != "NEEDS_INFO":
        assert completions == {verdict.code}, (atoms, verdict, completions)
    else:
        assert verdict.rule is not None or len(completions) > 1, (atoms, completions)
        # it names every column it branched on, and only unknown ones
        assert set(verdict.needs) - {"required"} <= {c for i in unknown_at for c in atoms[i].causes}


@settings(max_examples=300, deadline=None)
@given(partly_unknown())
def test_loss_risk_is_ok_only_when_every_completion_is_ok(atoms):
    verdict = rules.risk_of(atoms)
    unknown_at = [i for i, v in enumerate(atoms) if isinstance(v, Unknown)]
    outcomes = set()
    for values in product(*(sorted(atoms[i].values, key=str) for i in unknown_at)):
        full = list(atoms)
        for i, v in zip(unknown_at, values):
            full[i] = v
        outcomes.add(rules.risk_of(tuple(full)).code)
    assert verdict.code == ("RISK" if "RISK" in outcomes else "OK")


def test_the_rules_page_is_what_the_table_generates():
    committed = (ROOT / reference.RULES_PAGE).read_text(encoding="utf-8")
    assert committed == reference.rules_page() + "\n", "run python docs/gen_reference.py and commit docs/rules.md"


def test_every_rule_number_of_the_contract_is_in_the_table():
    numbers = {r.number for r in ACTION_RULES}
    assert numbers == {"0a", "0b", "0c", *map(str, range(1, 34))}


# Contradictions a sheet can hold (rules._CONTRADICTED): (cells that contradict each other, the field whose
# word is then unknown, the column named as disagreeing).
_CONTRADICTIONS = [
    *[({"验货结果": r, "退货物流状态": w}, "return_logistics", "inspection")
      for r in ("合格", "不合格", "验货通过", "验货不合格") for w in ("未寄回", "已揽收", "运输中", "买家已寄出")],
    *[({"退货物流单号": n, "退货物流状态": w}, "return_logistics", "return_tracking_no")
      for n in ("YT1234567890", "SF9876543210") for w in ("未寄回", "买家还没寄回", "待退回")],
    *[({"拦截状态": i, "物流状态": g}, "intercept", "logistics")
      for i in ("拦截成功", "已拦回", "拦截成功(顺丰)") for g in ("已签收", "本人签收", "已放驿站")],
    *[({"拦截状态": i, "快递核实": c}, "intercept", "courier_check")
      for i in ("拦截成功", "已拦回") for c in ("已签收", "快递员说已签收")],
    # a refund time written down beside a case the 售后状态 leaves open, closed or done
    *[({"售后状态": w, "退款完成时间": t}, "case_state", "refunded_at")
      for w in ("处理中", "待处理", "已关闭", "退款关闭", "已完结") for t in ("2025-06-09 10:00", "6月9日 10:00", "2025/6/9")],
    # a signing time written down beside a parcel the 物流状态 still shows on its way
    # (快递核实 blank: its 已签收 would make the word stale before, rules.atom_columns)
    *[({"物流状态": w, "签收时间": t, "快递核实": None}, "logistics", "signed_at")
      for w in ("运输中", "派送中", "已揽收", "在途", "派件异常") for t in ("2025-06-09 10:00", "6月9日 10:00")],
    # the return's signing time written down beside a return the 退货物流状态 shows not yet there
    *[({"退货物流状态": w, "退货签收时间": t}, "return_logistics", "return_signed_at")
      for w in ("未寄回", "已揽收", "运输中", "买家已寄出") for t in ("2025-06-09 10:00", "6月9日")],
]


_REFUND_TIMES = ["2025-06-09 10:00", "6月9日 10:00", "2025/6/9", "2025年6月8日 21:23", 45817.5, NOW - timedelta(hours=5)]


# Every name of each time written down (rules.TIME_SAYS), as desks head it.
_TIME_NAMES = {key: [n for n in (rules.FIELD_BY_KEY[key].header, *rules.FIELD_BY_KEY[key].aliases) if not n.isascii()]
               for key in rules.TIME_SAYS}


@settings(max_examples=400, deadline=None)
@given(st.tuples(*(st.sampled_from(_KNOWN[a]) for a in ATOMS)), st.sampled_from(_REFUND_TIMES),
       st.sampled_from(sorted(rules.TIME_SAYS)), st.data(), st.booleans())
def test_a_time_written_down_is_what_it_says_happened(atoms, when, source, data, column):
    """A sheet with no column of a field (or that cell blank) but a time written down that says it (退款完成时间: 已退款,
    签收时间: 已签收, 退货签收时间: the return 已签收, 发货时间: 已发货): the row is decided as with that field's word —
    a refunded case is 已完结 and checked for 钱货两空, a signed parcel is never intercepted as one on its way, a return
    back at the shop is never waited for — never as the default, nor asked for a fact the sheet holds."""
    target, word = rules.TIME_SAYS[source]
    header = data.draw(st.sampled_from(_TIME_NAMES[source]))
    own = rules.FIELD_BY_KEY[target].header
    row = _sheet_row(_consistent(atoms))
    if column:
        row[own] = None
    else:
        del row[own]
    got = engine.evaluate([[*row.values(), when]], [*row, header], now=NOW)[0]
    said = engine.evaluate([[*{**row, own: word}.values(), when]], [*{**row, own: word}, header], now=NOW)[0]
    assert (got.action_code, got.loss_risk, got.stall_code) == (said.action_code, said.loss_risk, said.stall_code), \
        (header, row, when, got.why(), said.why())


@settings(max_examples=300, deadline=None)
@given(st.tuples(*(st.sampled_from(_KNOWN[a]) for a in ATOMS)), st.sampled_from(_CONTRADICTIONS))
def test_a_word_another_column_contradicts_is_never_decided_on(atoms, contradiction):
    """A word the sheet contradicts in another column (an inspection result beside a return not yet at the
    warehouse, a return waybill beside 未寄回, 拦截成功 beside a trace that says delivered) is no known fact:
    the product decides only what holds for every word that column could take, else asks, naming the
    column that disagrees; a refund on it is never a safe one."""
    cells, key, _other = contradiction
    row = {**_sheet_row(_consistent(atoms)), **cells}
    case = engine.read_cases([list(row.values())], list(row), now=NOW)[0][0]
    assert case is not None
    got = rules.atoms_of(case, DEFAULTS, NOW).atoms[_AT[key]]
    # (the row built may hold a second contradiction of the same word: either names its column)
    assert isinstance(got, Unknown) and len(got.causes) == 1 and got.causes[0].startswith(f"{key}@"), (row, got)
    other = got.causes[0].partition("@")[2]
    res = engine.evaluate([list(row.values())], list(row), now=NOW)[0]
    completions = set()
    assert getattr(case, key) in got.values and len(got.values) > 1  # the word typed, or what the other says
    for value in got.values:
        full = list(rules.atoms_of(case, DEFAULTS, NOW).atoms)
        full[_AT[key]] = value
        completions.add(decide(tuple(full)).code)
    if res.action_code != "NEEDS_INFO":
        assert completions == {res.action_code}, (row, res.why(), completions)
    elif len(completions) > 1 and not rules.required_missing(case):  # asked for it: the column disagreeing named
        assert rules.FIELD_BY_KEY[other].header in res.why(), res.why()
    if res.case.case_state == "已退款" and "RISK" in {rules.risk_of(tuple(
            v if i != _AT[key] else w for i, v in enumerate(rules.atoms_of(case, DEFAULTS, NOW).atoms))).code
            for w in got.values}:
        assert res.loss_risk == "RISK", (row, res.loss_risk)


@settings(max_examples=300, deadline=None)
@given(st.tuples(*(st.sampled_from(_KNOWN[a]) for a in ATOMS)), st.sampled_from(_REFUND_TIMES),
       st.sampled_from(["发货时间", "发货日期", "出库时间", "实际发货时间"]))
def test_a_ship_time_written_down_beside_not_shipped_shows_the_goods_left(atoms, when, header):
    """A ship time written down (发货时间, 出库时间) beside 未发货: the goods left all the same, as a tracking number
    shows (rule 1: intercept offline; 钱货两空 checked) — never 「未发货 → 同意退款」."""
    row = {**_sheet_row(_consistent(atoms)), "物流单号": None}
    row.pop("发货状态")
    timed = engine.evaluate([[*row.values(), "未发货", when]], [*row, "发货状态", header], now=NOW)[0]
    numbered = engine.evaluate([[*{**row, "物流单号": "SF1234567"}.values(), "未发货"]], [*row, "发货状态"], now=NOW)[0]
    assert (timed.action_code, timed.loss_risk) == (numbered.action_code, numbered.loss_risk), (row, timed.why())


_STATE_UNKNOWN = {  # 物流状态 cells that leave the parcel's state unknown: (cells, why)
    "blank": {"物流状态": None},
    "unreadable": {"物流状态": "物流状态待核实"},
    "doubted": {"物流状态": "可能在运输中"},
    "stale": {"物流状态": "运输中", "快递核实": "已签收"},  # behind what the courier found
    "signed": {"物流状态": "运输中", "快递核实": None, "签收时间": "2025-06-09 10:00"},  # behind a signing time written down
    "signed, unread": {"物流状态": "派送中", "快递核实": None, "签收时间": "见备注"},
}
_ASKED_FOR = {"signed, unread": "签收时间"}  # (what the stall asks for where it is not the 物流状态: the column unread)


@settings(max_examples=300, deadline=None)
@given(st.tuples(*(st.sampled_from(_KNOWN[a]) for a in ATOMS)), st.sampled_from(sorted(_STATE_UNKNOWN)))
def test_the_stall_of_a_parcel_whose_state_is_unknown_is_never_decided_on(atoms, how):
    """contract §4.1 with §2 "Three kinds of fact": a shipped 仅退款 reads its 物流状态, so there a blank,
    unreadable or stale one leaves unknown whether the parcel is in transit; its 停滞状态 is decided only
    when every state it could be in gives the same, else it asks for the 物流状态.  Elsewhere (not
    shipped, a return, a closed case) no 物流状态 means no parcel to watch: 「—」.  STALL_STATUS says the same."""
    from refund_xl import udfs

    row = {**_sheet_row(_consistent(atoms)), **_STATE_UNKNOWN[how]}
    res = engine.evaluate([list(row.values())], list(row), now=NOW)[0]
    if res.case is None:
        return
    completions = set()
    for word in _KNOWN["logistics"]:
        full = {**row, "物流状态": word, "快递核实": None, **({"签收时间": None} if "签收时间" in row else {})}
        completions.add(engine.evaluate([list(full.values())], list(full), now=NOW)[0].stall_code)
    cell = udfs.REFUND_TABLE([list(row.values())], [list(row)], None, NOW)[0][2]
    assert udfs.STALL_STATUS([list(row.values())], [list(row)], None, NOW) == [[cell]]
    branch = row["售后类型"] == "仅退款" and row["发货状态"] == "已发货" and row["售后状态"] not in rules.CLOSED_STATES
    if not branch:
        assert res.stall_code == "NOT_IN_TRANSIT" and (cell == "—" or "物流状态「" in cell), (row, cell)
    elif res.stall_code != "NEEDS_INFO":
        assert completions == {res.stall_code}, (row, res.stall_code, completions)
    else:
        assert len(completions) > 1 or None in completions, (row, completions)
        assert _ASKED_FOR.get(how, "物流状态") in cell, (row, cell)


# Word columns of the sheet row (_sheet_row) and the words each may hold: its table's, and blank where the desk
# records it (nothing recorded).
_WORD_CELLS = {header: (*rules.FIELD_BY_KEY[key].choices, *((None,) if key in rules.DESK_RECORDS else ()))
               for key in ("case_state", "ship_state", "logistics", "intercept", "customer_says", "courier_check",
                           "goods_kind", "cost_incurred", "return_logistics", "negotiation", "inspection", "no_ship")
               for header in (rules.FIELD_BY_KEY[key].header,)}


# open cases with their required cells (a row short of one, or closed, is decided before any word is read)
_OPEN = {**_KNOWN, "required": ("ok",), "case_state": tuple(v for v in _KNOWN["case_state"] if v not in rules.CLOSED_STATES)}
# (快递核实 unread beside 物流状态 已揽收, 100 h without movement: 规则14 was decided, though a courier's 已签收
# there makes the 已揽收 stale)
_STALE_IF_SIGNED = tuple({**dict(zip(ATOMS, (_OPEN[a][0] for a in ATOMS))), "case_state": "处理中", "refund_type": "仅退款",
                          "ship_state": "已发货", "parcel": True, "logistics": "已揽收", "intercept": "未拦截",
                          "customer_says": None, "courier_check": None, "stall": "LOST"}[a] for a in ATOMS)


# (发货时间 unread beside 未发货 and no parcel: 同意退款 was decided, though a ship time there shows the goods left)
_NOT_SHIPPED = tuple({**dict(zip(ATOMS, (_OPEN[a][0] for a in ATOMS))), "case_state": "处理中", "refund_type": "仅退款",
                      "ship_state": "未发货", "parcel": False, "goods_kind": "标品"}[a] for a in ATOMS)


# The other cells of the sheet row an unreadable one may stand for: numbers, times and places either side of
# each threshold the settings hold (高客单 200, 催件 24 h, 丢件 48 h, 拦截核实 24 h, 即将超时 12 h, 偏远省份).
_OTHER_CELLS = {
    "退款金额": (50, 199.9, 200, 500), "退货运费": (None, 5, 60, 600), "收货省份": ("浙江", "新疆", "西藏"),
    "物流更新时间": tuple(NOW - timedelta(hours=h) for h in (1, 23.9, 24.1, 47.9, 48.1, 100)),
    "拦截时间": tuple(NOW - timedelta(hours=h) for h in (1, 23.9, 24.1, 100)),
    "超时时间": tuple(NOW + timedelta(hours=h) for h in (-5, 1, 11.9, 12.1, 100)),
    "申请时间": tuple(NOW - timedelta(hours=h) for h in (1, 24, 47, 49, 100, 200)),
    # (columns beyond the sheet row: a time written down, or none)
    "发货时间": (None, NOW - timedelta(hours=30)), "退款完成时间": (None, NOW - timedelta(hours=5)),
    "签收时间": (None, NOW - timedelta(hours=10)), "退货签收时间": (None, NOW - timedelta(hours=10)),
}
_COULD_BE = {**_WORD_CELLS, **_OTHER_CELLS}


@settings(max_examples=500, deadline=None)
@given(st.tuples(*(st.sampled_from(_OPEN[a]) for a in ATOMS)), st.sampled_from(sorted(_COULD_BE)),
       st.sampled_from(["说不清楚", "待定？", "好像是吧"]))
@example(_STALE_IF_SIGNED, "快递核实", "说不清楚")
@example(_NOT_SHIPPED, "发货时间", "说不清楚")
def test_a_decision_beside_an_unreadable_cell_holds_for_every_word_it_could_be(atoms, header, unread):
    """An unreadable cell is any value its column could hold: whenever the product decides a row holding one, the
    same row with each of those values in that cell — read together with the other columns (a 快递核实 of 已签收
    makes a 物流状态 short of it stale, a 验货结果 makes 未寄回 behind) — is decided the same, or the row asks.
    (退货原因 is free text: a reason the table has no word for is kept as typed, no unreadable cell.)"""
    row = _sheet_row(_consistent(atoms))
    heads = list({**row, header: None})
    got = engine.evaluate([list({**row, header: unread}.values())], heads, now=NOW)[0]
    if got.action_code == "NEEDS_INFO":
        return
    for word in _COULD_BE[header]:
        full = engine.evaluate([list({**row, header: word}.values())], heads, now=NOW)[0]
        assert full.action_code == got.action_code, (header, word, row, got.why(), full.why())


_BEHIND_PAIRS = [  # two words of two columns, and a third column that shows one of them behind
    *[("物流状态", a, b, {"快递核实": "已签收"}) for a in ("已揽收", "运输中", "派送中", "异常") for b in ("运输中", "派送中")
      if a != b],
    *[("退货物流状态", a, b, {"验货结果": "合格"}) for a in ("未寄回", "已揽收") for b in ("运输中", "已揽收") if a != b],
]


@settings(max_examples=200, deadline=None)
@given(st.tuples(*(st.sampled_from(_OPEN[a]) for a in ATOMS)), st.sampled_from(_BEHIND_PAIRS))
@example(_STALE_IF_SIGNED, _BEHIND_PAIRS[0])
def test_two_columns_disagreeing_beside_a_third_that_shows_them_behind_decide_as_one_would(atoms, pair):
    """物流状态 已揽收 and 物流信息 运输中 beside a 快递核实 of 已签收 (退货物流状态 未寄回 and 已揽收 beside a 验货结果):
    the third column shows either word behind, as it shows one typed alone — decided as each alone would be (asked
    where the courier's word would change it), never on the two words only (规则18 on a parcel found signed for)."""
    header, first, second, third = pair
    row = {**_sheet_row(_consistent(atoms)), **third}
    heads = [*row, _SECOND[header]]
    both = engine.evaluate([[*{**row, header: first}.values(), second]], heads, now=NOW)[0]
    alone = {engine.evaluate([[*{**row, header: w}.values(), None]], heads, now=NOW)[0].action_code for w in (first, second)}
    if both.action_code != "NEEDS_INFO":
        assert alone == {both.action_code}, (row, first, second, both.why(), alone)
    else:
        assert len(alone) > 1 or "NEEDS_INFO" in alone, (row, first, second, both.why(), alone)


def _second_header(key: str) -> str:
    """A second header of field ``key`` beside its own (a built-in alias): read where the own is blank."""
    own = rules.FIELD_BY_KEY[key].header
    for alias in rules.FIELD_BY_KEY[key].aliases:
        cmap = resolve([own, alias])
        if cmap.index.get(key) == 0 and cmap.also.get(key) == (1,):
            return alias
    raise AssertionError(key)


_SECOND = {f.header: _second_header(f.key) for f in FIELDS if f.header in _WORD_CELLS}
_REQUIRED_HEADERS = {rules.FIELD_BY_KEY[k].header for k in (*rules.REQUIRED, rules.REQUIRED_WHEN[0])}


@settings(max_examples=400, deadline=None)
@given(st.tuples(*(st.sampled_from(_OPEN[a]) for a in ATOMS)), st.sampled_from(sorted(_WORD_CELLS)), st.data())
def test_two_columns_of_a_field_saying_two_words_decide_only_what_both_give(atoms, header, data):
    """contract §2 "Column precedence": two columns of one field (物流状态 and 物流信息) saying two words in one row
    are never resolved by position — the row is decided as both words decide it, else it asks, quoting both; two
    that agree, or one blank, read as the one column, and so do two words that may both hold (客户反馈 不撤销 and 已收到:
    a stance and a receipt; the field's own column stands)."""
    row = _sheet_row(_consistent(atoms))
    words = [w for w in _WORD_CELLS[header] if w is not None]
    first, second = data.draw(st.sampled_from(words)), data.draw(st.sampled_from(words))
    heads = [*row, _SECOND[header]]

    def run(own, other):
        return engine.evaluate([[*{**row, header: own}.values(), other]], heads, now=NOW)[0]

    got = run(first, second)
    key = next(f.key for f in FIELDS if f.header == header)
    if first == second or frozenset({first, second}) in wordbook.WORDS[key].together:  # (both may hold: the own stands)
        assert got.action_code == run(first, None).action_code, (header, first, second, got.why())
        return
    alone = {run(w, None).action_code for w in (first, second)}
    if got.action_code == "NEEDS_INFO":  # asked only where the two words decide otherwise (or one asks); a field
        # every case needs (发货状态 of a 仅退款) is asked for whenever the sheet does not fix it, as when unreadable;
        # a word that may show a parcel (拦截成功 beside 未拦截) leaves the parcel unknown apart from it (the facts are
        # completed one by one: the 未拦截 with a parcel is among them), so such a row may ask where each alone decides
        assert len(alone) > 1 or alone == {"NEEDS_INFO"} or header in _REQUIRED_HEADERS or \
            {first, second} & (rules.PARCEL_LOGISTICS | rules.PARCEL_INTERCEPT), \
            (header, first, second, got.why(), alone)
        return
    assert alone == {got.action_code}, (header, first, second, got.why(), alone)
