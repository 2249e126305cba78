"""contract §2 "Column precedence", §2 "No silent guess", §4.2 (amount ≥ high_value), §5 show=why: the amount a
row is decided on.

* Two columns naming 退款金额 as strongly (two 退款金额; 实付金额 beside 订单金额 with no 退款金额) that give two
  amounts are never resolved by position: the row is decided where both amounts give one action (the tier does not
  matter, or both are on one side of the threshold), else it asks, naming 退款金额 and quoting both — as two state
  columns that disagree do.  A column named more weakly (订单金额 beside 退款金额) is another fact: the refund decides.
* Money is in fen: an amount a float's noise leaves a few ulps off its fen (Excel's =19.99*10+0.1, stored
  199.99999999999997 and shown 200.00) is that fen, as a number cell, as the text an export writes, in a formula.
* A text amount with three decimals (1.299) is a European thousands group or a slip: unreadable, asked where the tier
  decides; a number cell is a number (its fen).
* 判定依据 and 客单级别 show=why quote the amount to the fen (199.99 < 高客单阈值 200, never 200 < 200).
* An amount beside its equal-rank rival's unreadable cell (59 beside 五十九块, 1.299, abc) is not known, in either
  order: asked as an unreadable amount alone is, both quoted — never the readable one by position.
* A cell of amounts joined by ｜ (59｜599: what import writes for two columns or two rows that disagree) reads as the
  amounts two columns give: decided where they give one action, on the book as on the export; any other such cell
  (59｜abc, 59｜, 59|599) is unreadable.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta

from hypothesis import example, given, settings, strategies as st

from conftest import NOW
from refund_xl import udfs
from refund_xl._app import intake
from refund_xl._core import engine, vocab
from refund_xl._core.fields import FIELD_BY_KEY, WEAK_ALIASES, resolve
from refund_xl._core.settings import Settings

_NAMES = tuple(dict.fromkeys(n for n in (FIELD_BY_KEY["amount"].header, *FIELD_BY_KEY["amount"].aliases,
                                         *WEAK_ALIASES["amount"]) if not n.isascii()))


def _fen(amount: float) -> str:
    """An amount to the fen, trailing zeros dropped (199.99, 200, 59.9)."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def _rank(header: str) -> int:
    """How strongly a header alone names 退款金额 (contract §2 "Column precedence": 0 列名映射 … 5 a broader fact)."""
    return resolve([header]).sources["amount"][1]


_RANK = {n: _rank(n) for n in _NAMES if "amount" in resolve([n]).index}
_EQUAL = sorted((a, b) for a in _RANK for b in _RANK if _RANK[a] == _RANK[b])  # (a header beside itself too)
_RANKED = sorted((a, b) for a in _RANK for b in _RANK if _RANK[a] < _RANK[b])

# rows around the amount: where the tier decides (仅退款 in transit, 未拦截 or 拦截中; a return in transit) and where it
# does not (未发货, 拦截成功, lost, a return not sent with its shipping cost beside the refund)
_PARCEL = {"发货状态": "已发货", "快递公司": "中通快递", "物流单号": "75234220000001", "收货省份": "浙江"}
_CONTEXTS = (
    {**_PARCEL, "物流状态": "运输中", "物流更新时间": NOW - timedelta(hours=4)},
    {**_PARCEL, "物流状态": "已揽收", "物流更新时间": NOW - timedelta(hours=2), "拦截状态": "拦截中",
     "拦截时间": NOW - timedelta(hours=1)},
    {**_PARCEL, "物流状态": "运输中", "物流更新时间": NOW - timedelta(hours=5), "拦截状态": "拦截成功"},
    {**_PARCEL, "物流状态": "运输中", "物流更新时间": NOW - timedelta(hours=200)},
    {"发货状态": "未发货"},
    {**_PARCEL, "售后类型": "退货退款", "物流状态": "已签收", "退货物流状态": "运输中", "退货原因": "不想要了"},
    {**_PARCEL, "售后类型": "退货退款", "物流状态": "已签收", "退货物流状态": "未寄回", "退货原因": "不想要了",
     "退货运费": 12},
)
_CASE = {"订单号": "4242994886263078938", "售后类型": "仅退款", "申请时间": NOW - timedelta(hours=30)}
_AMOUNTS = st.integers(0, 300_000).map(lambda cents: cents / 100)  # 0 … 3000.00, to the fen
_THRESHOLDS = st.sampled_from([200.0, 500.0, 1000.0, 59.9])


def _run(context: dict, amounts: list[tuple[str, object]], s: Settings):
    """The result of one row: ``context`` with the amount columns ``amounts`` (header, cell) after it, in that order."""
    row = {**_CASE, **context}
    head = [*row, *(h for h, _v in amounts)]
    (res,), rep = engine.evaluate_read([[*row.values(), *(v for _h, v in amounts)]], head, s, NOW)
    return res, rep


def _tier(res) -> str:
    return res.value_tier or "NEEDS_INFO"


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_EQUAL), _AMOUNTS, _AMOUNTS, _THRESHOLDS, st.sampled_from(_CONTEXTS))
@example(pair=("退款金额", "退款金额"), first=59.0, second=599.0, hv=200.0, context=_CONTEXTS[0])
@example(pair=("实付金额", "订单金额"), first=150.0, second=1299.0, hv=200.0, context=_CONTEXTS[0])
@example(pair=("订单金额", "实付金额"), first=1299.0, second=150.0, hv=200.0, context=_CONTEXTS[5])
def test_two_amount_columns_of_one_rank_decide_only_what_both_amounts_give(pair, first, second, hv, context):
    """59 in one 退款金额 column, 599 in the other, a parcel in transit: refunded at once (59) or intercepted and
    watched (599)?  Never the first column's: the row asks, quoting both; where both give one action it is decided
    (and its tier where both are on one side), whatever the columns' order."""
    s = Settings(high_value=hv)
    a, b = pair
    got, rep = _run(context, [(a, first), (b, second)], s)
    swapped, _rep = _run(context, [(b, second), (a, first)], s)
    each = [_run(context, [(a, v)], s)[0] for v in (first, second)]
    actions = {r.action_code for r in each}
    tiers = {_tier(r) for r in each}
    assert got.action_code == swapped.action_code, (pair, first, second, got.why(), swapped.why())
    assert _tier(got) == _tier(swapped) == (tiers.pop() if len(tiers) == 1 else "NEEDS_INFO"), (pair, first, second)
    if len(actions) == 1:
        assert got.action_code == next(iter(actions)), (pair, first, second, hv, got.why())
    else:
        assert got.action_code == "NEEDS_INFO", (pair, first, second, hv, got.why())
        said = got.action_label()
        assert "退款金额「" in said and b in said, said
        assert {first, second} <= set(map(float, re.findall(r"\d+(?:\.\d+)?", said))), said
    if first != second:
        assert [f for f, _n, _e in rep.split] == ["退款金额"], rep.split
    if got.action_code != "NEEDS_INFO" and got.decision.rule in ("18", "19"):  # (the why quotes what it compared)
        assert "/".join(_fen(v) for v in sorted({first, second})) in got.why(), got.why()


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_RANKED), _AMOUNTS, _AMOUNTS, _THRESHOLDS, st.sampled_from(_CONTEXTS), st.booleans())
@example(pair=("退款金额", "订单金额"), first=59.0, second=1299.0, hv=200.0, context=_CONTEXTS[0], swap=True)
def test_an_amount_column_named_more_weakly_is_another_fact(pair, first, second, hv, context, swap):
    """退款金额 59 beside 订单金额 1299 (or 申请退款金额 beside 实付金额): the refund is the stronger name's, in either
    order; the order's value is no second reading of it (a partial refund)."""
    s = Settings(high_value=hv)
    strong, weak = pair
    cells = [(strong, first), (weak, second)]
    got, _rep = _run(context, cells[::-1] if swap else cells, s)
    alone, _rep = _run(context, [(strong, first)], s)
    assert (got.action_code, _tier(got)) == (alone.action_code, _tier(alone)), (pair, first, second, got.why())


def _ulps(x: float, n: int) -> float:
    for _ in range(abs(n)):
        x = math.nextafter(x, math.inf if n > 0 else -math.inf)
    return x


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 10**8), st.integers(-8, 8).filter(bool))
@example(cents=20000, ulps=-1)  # =19.99*10+0.1: 199.99999999999997, shown 200.00
def test_an_amount_a_float_leaves_a_few_ulps_off_its_fen_is_that_fen(cents, ulps):
    """Excel stores =19.99*10+0.1 as 199.99999999999997 and shows 200.00; pandas and ERPs write that float's digits
    out.  Money is in fen: the cell, its text and a formula's float are 200.00, so at a threshold of 200 it is high."""
    fen = cents / 100
    noisy = _ulps(fen, ulps)
    assert vocab.parse_money(noisy) == fen, noisy
    assert vocab.parse_money(repr(noisy)) == fen, repr(noisy)
    s = Settings(high_value=fen)
    for cell in (noisy, repr(noisy)):
        res, _rep = _run(_CONTEXTS[0], [("退款金额", cell)], s)
        assert (res.value_tier, res.action_code) == ("HIGH", "INTERCEPT_AND_WATCH"), (cell, res.why())
    head = [[*_CASE, *_CONTEXTS[0], "退款金额"]]
    rows = [[*_CASE.values(), *_CONTEXTS[0].values(), noisy]]
    table = [["键", "项目", "值", "说明"], ["high_value", "高客单金额阈值(元)", fen, None]]
    assert udfs.VALUE_TIER(rows, head, table, NOW, "code") == [["HIGH"]], noisy


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 999), st.sampled_from(["", "¥", "￥", "RMB ", "退款金额："]),
       st.sampled_from(["", "元", " 元", "块"]), st.booleans())
@example(whole=1, thousandths=299, sign="", unit="", grouped=False)
def test_a_text_amount_with_three_decimals_is_unreadable_and_a_number_is_its_fen(whole, thousandths, sign, unit,
                                                                                    grouped):
    """「1.299」: 1299 written the European way, or a slip for 1.29 / 12.99 — the two readings straddle any threshold,
    so it is unreadable (asked, quoted: an amount is required), never 1.299 元; four decimals or more are read only
    as a float's digits of a fen (12.3400 is 12.34, 12.3456 is unreadable).  A number cell is a number: its fen."""
    digits = f"{whole:,}" if grouped else str(whole)
    text = f"{sign}{digits}.{thousandths:03d}{unit}"
    assert vocab.parse_money(text) is vocab.BAD, text
    assert vocab.parse_money(f"{digits}.{thousandths:03d}7") is vocab.BAD
    assert vocab.parse_money(f"{digits}.{thousandths // 10:02d}00") == round(whole + thousandths // 10 / 100, 2)
    number = float(f"{whole}.{thousandths:03d}")
    assert vocab.parse_money(number) == round(number, 2)
    res, _rep = _run(_CONTEXTS[0], [("退款金额", text)], Settings())
    assert res.action_code == "NEEDS_INFO" and f"退款金额「{text.strip()}」" in res.action_label(), res.action_label()
    cell, _rep = _run(_CONTEXTS[0], [("退款金额", number)], Settings())
    assert cell.value_tier == ("HIGH" if round(number, 2) >= 200 else "LOW"), cell.why()


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 300_000), st.sampled_from([200.0, 500.0, 1000.0, 199.99, 59.9]))
@example(cents=19999, hv=200.0)
@example(cents=20001, hv=200.0)
def test_the_why_quotes_the_amount_to_the_fen(cents, hv):
    """199.99 at a threshold of 200: 「199.99 < 高客单阈值 200」, never 「200 < 高客单阈值 200」 (one decimal) — the audit
    text shows the amount compared; so does 客单级别 show=why."""
    amount = cents / 100
    res, _rep = _run(_CONTEXTS[0], [("退款金额", amount)], Settings(high_value=hv))
    sign = "≥" if amount >= hv else "<"
    said = f"{_fen(amount)} {sign} 高客单阈值 {_fen(hv)}"
    assert said in res.why(), (said, res.why())
    head = [[*_CASE, *_CONTEXTS[0], "退款金额"]]
    rows = [[*_CASE.values(), *_CONTEXTS[0].values(), amount]]
    table = [["键", "项目", "值", "说明"], ["high_value", "高客单金额阈值(元)", hv, None]]
    assert udfs.VALUE_TIER(rows, head, table, NOW, "why") == [[said]]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([p for p in _EQUAL if p[0] == p[1] == "退款金额"] + [("实付金额", "订单金额")]), _AMOUNTS, _AMOUNTS)
@example(pair=("退款金额", "退款金额"), first=59.0, second=599.0)
def test_import_keeps_two_amounts_an_export_gives(pair, first, second):
    """An export whose two amount columns give 59 and 599: the book's 退款金额 keeps both (59｜599), so evaluate on the
    book asks where evaluate on the export asks — never the first column's 59 written as the refund."""
    if first == second:
        return
    head = ["订单号", "售后单号", "售后类型", "发货状态", "物流单号", "物流状态", "物流更新时间", *pair]
    row = ["4242994886263078938", "AS1", "仅退款", "已发货", "75234220000001", "运输中", "2025-06-10 08:00:00",
           f"{first:.2f}", f"{second:.2f}"]
    book_head = intake.new_sheet_headers()
    plan = intake.plan_merge(book_head, [], [intake.read_export("x.csv", [head, row])])
    cell = plan.appended[0][book_head.index("退款金额")]
    assert sorted(map(float, str(cell).split(intake.CONFLICT_SEP))) == sorted((first, second)), cell
    exported = engine.evaluate([row], head, now=NOW)[0].action_code
    booked = engine.evaluate(plan.appended, book_head, now=NOW)[0].action_code
    assert booked == exported, (cell, exported, booked)


# amounts a desk types that are no amount (a word, three decimals, a range, a modifier, another separator, one part
# of a joined cell unreadable)
_UNREADABLE = ("五十九块", "1.299", "abc", "59元左右", "约59", "59~99", "59|599", "59｜abc", "59｜", "｜599",
               "59｜599｜x", "待确认", "59/599")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_EQUAL), _AMOUNTS, st.sampled_from(_UNREADABLE), _THRESHOLDS, st.sampled_from(_CONTEXTS),
       st.booleans())
@example(pair=("退款金额", "退款金额"), amount=59.0, text="五十九块", hv=200.0, context=_CONTEXTS[0], swap=False)
@example(pair=("退款金额", "退款金额"), amount=59.0, text="1.299", hv=200.0, context=_CONTEXTS[0], swap=False)
@example(pair=("退款金额", "退款金额"), amount=599.0, text="abc", hv=200.0, context=_CONTEXTS[0], swap=False)
@example(pair=("实付金额", "订单金额"), amount=59.0, text="五十九块", hv=200.0, context=_CONTEXTS[3], swap=False)
def test_an_amount_beside_its_rivals_unreadable_cell_is_not_known(pair, amount, text, hv, context, swap):
    """59 in one 退款金额 column, 「五十九块」 (or 1.299, abc…) in the other: the amount is not known, whichever column
    comes first — the row is what an unreadable amount alone gives (asked: an amount is required), naming 退款金额
    and quoting the unreadable cell; never the readable 59 refunded at once because its column came first."""
    assert vocab.parse_money(text) is vocab.BAD, text
    s = Settings(high_value=hv)
    a, b = pair
    cells = [(a, amount), (b, text)]
    got, _rep = _run(context, cells[::-1] if swap else cells, s)
    alone, _rep = _run(context, [(a, text)], s)
    assert (got.action_code, _tier(got)) == (alone.action_code, _tier(alone)), (pair, amount, text, got.why())
    said = got.action_label()
    assert "退款金额「" in said and text.strip() in said, said


@settings(max_examples=300, deadline=None)
@given(st.lists(_AMOUNTS, min_size=2, max_size=3), _THRESHOLDS, st.sampled_from(_CONTEXTS),
       st.sampled_from(["", " ", "¥"]))
@example(amounts=[59.0, 599.0], hv=200.0, context=_CONTEXTS[3], pad="")
@example(amounts=[59.0, 99.0], hv=200.0, context=_CONTEXTS[0], pad="")
def test_a_cell_of_amounts_joined_reads_as_two_columns_amounts(amounts, hv, context, pad):
    """「59｜599」 (import's cell for two amounts an export gives): the row's amount is one of them, as where two
    columns of 退款金额 give them — decided where they give one action (a parcel lost 200 h: a claim at either
    amount), its tier where they are on one side, else asked quoting the cell."""
    s = Settings(high_value=hv)
    text = vocab.DOUBT_SEP.join(f"{pad}{_fen(v)}" for v in amounts)
    got, rep = _run(context, [("退款金额", text)], s)
    columns, _rep = _run(context, [("退款金额", v) for v in amounts], s)
    assert (got.action_code, _tier(got)) == (columns.action_code, _tier(columns)), (text, got.why(), columns.why())
    if got.action_code == "NEEDS_INFO":
        assert f"退款金额「{text.strip()}」" in got.action_label(), got.action_label()
    if len(set(amounts)) > 1:
        assert [f for f, _n, _e in rep.split] == ["退款金额"] and not rep.unreadable, (rep.split, rep.unreadable)


@settings(max_examples=100, deadline=None)
@given(_AMOUNTS, st.sampled_from([t for t in _UNREADABLE if vocab.DOUBT_SEP in t]), st.sampled_from(_CONTEXTS))
def test_a_joined_cell_with_a_part_no_amount_is_unreadable(amount, text, context):
    """「59｜abc」, 「59｜」: a joined cell with a part that is no amount stays unreadable (asked, quoted), alone or
    beside another 退款金额 column's amount, in either order."""
    alone, _rep = _run(context, [("退款金额", text)], Settings())
    assert alone.action_code == "NEEDS_INFO" and f"退款金额「{text}」" in alone.action_label(), alone.action_label()
    for cells in ([("退款金额", amount), ("退款金额", text)], [("退款金额", text), ("退款金额", amount)]):
        got, _rep = _run(context, cells, Settings())
        assert got.action_code == "NEEDS_INFO", (cells, got.why())


_EXPORT_CONTEXTS = (
    ("已发货", "运输中", NOW - timedelta(hours=4), None),
    ("已发货", "运输中", NOW - timedelta(hours=200), None),
    ("已发货", "运输中", NOW - timedelta(hours=5), "拦截成功"),
    ("未发货", None, None, None),
)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from([p for p in _EQUAL if p[0] == p[1] == "退款金额"] + [("实付金额", "订单金额")]), _AMOUNTS, _AMOUNTS,
       st.sampled_from(_EXPORT_CONTEXTS), st.booleans())
@example(pair=("退款金额", "退款金额"), first=59.0, second=599.0, context=_EXPORT_CONTEXTS[1], swap=False)
@example(pair=("退款金额", "退款金额"), first=59.0, second=99.0, context=_EXPORT_CONTEXTS[0], swap=False)
def test_import_then_evaluate_decides_as_the_export_does(pair, first, second, context, swap):
    """An export whose two amount columns give two amounts, imported (the book's 退款金额 keeps 59｜599), then
    evaluated on the book: the action the export itself gives — a claim for a parcel lost at either amount, a
    refund where both are low — asked only where the amounts give two actions."""
    ship, logistics, update, intercept = context
    head = ["订单号", "售后单号", "售后类型", "发货状态", "物流单号", "物流状态", "物流更新时间", "拦截状态", *pair]
    amounts = [f"{first:.2f}", f"{second:.2f}"]
    row = ["4242994886263078938", "AS1", "仅退款", ship, "75234220000001" if ship == "已发货" else None, logistics,
           update.strftime("%Y-%m-%d %H:%M:%S") if update else None, intercept, *(amounts[::-1] if swap else amounts)]
    book_head = intake.new_sheet_headers()
    plan = intake.plan_merge(book_head, [], [intake.read_export("x.csv", [head, row])])
    exported = engine.evaluate([row], head, now=NOW)[0]
    booked = engine.evaluate(plan.appended, book_head, now=NOW)[0]
    assert (booked.action_code, booked.value_tier) == (exported.action_code, exported.value_tier), \
        (plan.appended[0][book_head.index("退款金额")], exported.why(), booked.why())


@settings(max_examples=80, deadline=None)
@given(_AMOUNTS.map(lambda v: v * 100), _AMOUNTS, st.sampled_from(_EXPORT_CONTEXTS))
@example(first=123456.78, second=59.0, context=_EXPORT_CONTEXTS[1])
def test_two_rows_of_one_case_with_two_amounts_read_back_as_those_amounts(first, second, context):
    """One export holding a case twice, 退款金额 123456.78 in one row and 59 in the other: the book keeps both to the
    fen (123456.78｜59, never 123457｜59 — the cell is read back), and evaluate on the book decides as the two amounts
    give (a claim for a parcel lost at either)."""
    first = round(first, 2)
    if first == second:
        return
    ship, logistics, update, intercept = context
    head = ["订单号", "售后单号", "售后类型", "发货状态", "物流单号", "物流状态", "物流更新时间", "拦截状态", "退款金额"]
    base = ["4242994886263078938", "AS1", "仅退款", ship, "75234220000001" if ship == "已发货" else None, logistics,
            update.strftime("%Y-%m-%d %H:%M:%S") if update else None, intercept]
    book_head = intake.new_sheet_headers()
    plan = intake.plan_merge(book_head, [], [intake.read_export("x.csv", [head, [*base, first], [*base, second]])])
    cell = plan.appended[0][book_head.index("退款金额")]
    assert sorted(map(float, str(cell).split(intake.CONFLICT_SEP))) == sorted((first, second)), cell
    booked = engine.evaluate(plan.appended, book_head, now=NOW)[0]
    columns = engine.evaluate([[*base, first, second]], [*head, "退款金额"], now=NOW)[0]
    assert (booked.action_code, booked.value_tier) == (columns.action_code, columns.value_tier), (cell, booked.why())
