"""Property tests: any cell a person or a platform export can produce is survivable.

For every mix of values — wrong types, blanks, Excel error values, huge or
negative numbers, NaN/inf, very long text, emoji, formula-like text, impossible
dates, bools, nested junk — each row gets a code or a short reason (a str
starting with ``#``, ≤ 80 chars), never an exception; and replacing one row
with junk never changes any other row's result.

Covers the sheet reader (engine.read_cases, files.read_table on CSV/xlsx),
engine.evaluate and every formula function of refund_xl.udfs.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, assume, example, given, settings, strategies as st

from refund_xl import udfs
from refund_xl._core import engine, rules, vocab, wordbook
from refund_xl._files import files
from refund_xl._core.fields import FIELD_BY_KEY, FIELDS, resolve

NOW = datetime(2025, 6, 10, 12, 0)
HEADERS = [f.header for f in FIELDS]
SHORT = 80

PROFILE = settings(max_examples=50, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --------------------------------------------------------------- strategies

FORMULA_LIKE = [
    "=1+1", "=HYPERLINK(\"http://evil.example\",\"点我\")", "+SUM(A1:A9)", "-2+3", "@cmd",
    "=cmd|' /C calc'!A0", "\t=1", "__import__('os').system('touch /tmp/pwned')",
    "{订单号}", "{0.__class__}", "合计", "总计：", "%s%s%s", "${jndi:ldap://x}", "'; DROP TABLE t;--",
]
IMPOSSIBLE_DATES = [
    "2025-02-30", "2025/13/01", "2025年2月30日", "2025年6月31日 25:61", "0000-00-00",
    "9999-12-31 23:59", "0001-01-01", "2025-06-03T24:00", "昨天", "6/3", "2025-6",
]
EMOJI = ["😀", "📦🚚💨", "👍🏻退款", "仅退款🙏", "🇨🇳", "\u200b", "\ufeff订单", "ｏｒｄｅｒ１２３"]

junk_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**400, -(10**400), 2**63, -1, 0, 3.9e16, 1e308, -1e308, 5e-324]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.text(min_size=1, max_size=4).map(lambda t: t * 120),  # very long text, cheap to draw
    st.sampled_from(["x" * 5000, "退" * 3000]),
    st.sampled_from(sorted(vocab.EXCEL_ERRORS)),
    st.sampled_from(["", " ", "\n", "\t", "　"]),
    st.sampled_from(FORMULA_LIKE),
    st.sampled_from(IMPOSSIBLE_DATES),
    st.sampled_from(EMOJI),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.datetimes(timezones=st.just(timezone.utc)),
    st.dates(),
    st.times(),
    st.decimals(allow_nan=True),
    st.complex_numbers(),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.tuples(st.text(max_size=3), st.none()),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.frozensets(st.integers(), max_size=2),
    st.sampled_from([object(), Ellipsis, NotImplemented, int, print]),
)


def _plausible(key: str):
    """Values the field really takes (canonical or typed the way desks type them)."""
    fld = FIELD_BY_KEY[key]
    if fld.choices:
        return st.sampled_from(list(fld.choices) + [None])
    if fld.parse is vocab.parse_money:
        return st.one_of(st.floats(0, 5000), st.sampled_from(["¥1,299.00", "59元", " 88 ", None]))
    if fld.parse in vocab.DATE_PARSERS:
        return st.one_of(st.datetimes(datetime(2025, 5, 1), datetime(2025, 6, 20)),
                         st.sampled_from(["2025/6/3 10:00", "2025-06-03", "2025年6月3日 10:00", 45810.5, None]))
    if key == "province":
        return st.sampled_from(["新疆", "广东", "西藏自治区拉萨市", "上海市浦东新区", None])
    return st.one_of(st.text("0123456789", min_size=1, max_size=20), st.sampled_from(["SF1234567890", None]))


def cell(key: str):
    return st.one_of(_plausible(key), _plausible(key), junk_value)


row_strategy = st.tuples(*[cell(f.key) for f in FIELDS]).map(list)
junk_row = st.lists(junk_value, min_size=0, max_size=len(HEADERS) + 3)
table_strategy = st.lists(row_strategy, min_size=1, max_size=6)


def _totals(row) -> bool:
    """A 合计/总计 row: skipped like a blank row (see tests/data/messy/README.md)."""
    return isinstance(row, list) and any(engine._is_totals_word(c) for c in row)


def short_reason(value) -> bool:
    return isinstance(value, str) and value.startswith("#") and len(value) <= SHORT and "\n" not in value


# ------------------------------------------------------------------ reader

@PROFILE
@given(table_strategy)
def test_reader_gives_canonical_values_or_flags_bad(rows):
    cases, cmap = engine.read_cases(rows, HEADERS)
    assert len(cases) == len(rows)
    assert set(cmap.index) == set(FIELD_BY_KEY)
    for case in cases:
        if case is None:
            continue
        for fld in FIELDS:
            value = getattr(case, fld.key)
            assert value is not vocab.BAD
            if fld.key in case.bad:
                continue
            if fld.choices and fld.key != "reason":
                assert value is None or value in fld.choices, (fld.key, value)
            elif fld.parse is vocab.parse_money:
                assert value is None or (isinstance(value, float) and value >= 0 and value == value)
            elif fld.parse in vocab.DATE_PARSERS:
                assert value is None or type(value) in (datetime, vocab.WholeDay)
            elif fld.parse is vocab.parse_id:
                assert value is None or isinstance(value, str)


@PROFILE
@given(st.lists(junk_value, max_size=30), st.lists(junk_row, max_size=5))
def test_reader_survives_junk_headers(headers, rows):
    cases, _ = engine.read_cases(rows, headers)
    assert len(cases) == len(rows)
    for res in engine.evaluate(rows, headers, None, NOW):
        assert res.blank or res.action_code in rules.ACTIONS or short_reason(res.error)


# --------------------------------------------------------------- evaluate

def _check_result(res: engine.RowResult):
    if res.blank:
        return
    out = res.as_output()
    if res.error:
        assert short_reason(res.error), res.error
        assert out["action_code"] == "ERROR"
        return
    assert out["action_code"] in rules.ACTIONS
    assert out["stall_code"] in rules.STALLS
    assert out["deadline_code"] in rules.DEADLINES
    assert out["value_tier"] in ("NEEDS_INFO", *rules.TIERS)
    assert out["loss_risk"] in rules.RISKS
    action = out["action"]
    if action.startswith("#"):
        assert short_reason(action), action
        assert out["action_code"] == "NEEDS_INFO"
    else:
        assert action == rules.label(out["action_code"])
    assert isinstance(out["why"], str) and out["why"]
    assert out["hours_left"] == "" or isinstance(out["hours_left"], float)


@PROFILE
@given(table_strategy)
def test_evaluate_every_row_gets_a_code_or_a_short_reason(rows):
    results = engine.evaluate(rows, HEADERS, None, NOW)
    assert len(results) == len(rows)
    for res in results:
        _check_result(res)


@PROFILE
@given(table_strategy, st.data())
def test_evaluate_a_junk_row_never_changes_the_others(rows, data):
    k = data.draw(st.integers(0, len(rows) - 1), label="replaced row")
    bad = data.draw(st.one_of(junk_row, row_strategy), label="junk row")
    before = [r.as_output() for r in engine.evaluate(rows, HEADERS, None, NOW)]
    changed = [list(r) for r in rows]
    changed[k] = bad
    after = engine.evaluate(changed, HEADERS, None, NOW)
    _check_result(after[k])
    for i, res in enumerate(after):
        if i != k:
            assert res.as_output() == before[i], f"row {i} changed when row {k} became junk"


@PROFILE
@given(row_strategy)
def test_evaluate_one_row_alone_equals_in_a_table(row):
    alone = engine.evaluate([row], HEADERS, None, NOW)[0].as_output()
    padded = engine.evaluate([[True] * 30, row, [10**400] * 30], HEADERS, None, NOW)
    assert padded[1].as_output() == alone


def test_memo_never_confuses_true_with_one():
    # True == 1 and hash(True) == hash(1): a per-value memo must still keep them apart.
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流更新时间", "收货省份"]
    moving = ["已发货", "运输中", NOW, "浙江"]
    rows = [[True, "仅退款", 10, *moving], [1, "仅退款", 10, *moving], [0, "仅退款", False, *moving],
            ["7", "仅退款", 0, *moving]]
    out = [r.as_output() for r in engine.evaluate(rows, headers, None, NOW)]
    assert out[0]["action"] == "#信息不足: 订单号「True」"
    assert out[1]["action_code"] == "INTERCEPT_REFUND_NOW"
    assert out[2]["action"] == "#信息不足: 订单号「0」、退款金额「False」"  # (an id of zeros: no number)
    assert out[3]["action_code"] == "INTERCEPT_REFUND_NOW"


def test_many_missing_fields_still_give_a_short_message():
    rows = [["x" * 3] + ["?" * 5] * (len(HEADERS) - 1)]
    rows[0][0] = True
    res = engine.evaluate(rows, HEADERS, None, NOW)[0]
    assert res.action_code == "NEEDS_INFO"
    assert short_reason(res.action_label()), res.action_label()
    assert len(res.decision.missing) >= 2  # the ones that decide: the case state and the order number
    assert all(h in res.why() for h in res.decision.missing)


@pytest.mark.parametrize("text", ["9999-12-31 23:59", "0001-01-01", "1899-12-30", "2200-01-01"])
def test_out_of_range_dates_are_unreadable_not_crashes(text):
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流更新时间", "收货省份", "拦截状态", "拦截时间",
               "申请时间", "超时时间"]
    # high value, intercepting for 2 hours: only a near deadline would make it time to check
    row = ["1", "仅退款", 900, "已发货", "运输中", NOW, "浙江", "拦截中", NOW - timedelta(hours=2), text, text]
    res = engine.evaluate([row], headers, None, NOW)[0]
    assert not res.error
    # an unreadable date the branch reads is named, like any other unreadable cell the rules read
    assert res.action_code == "NEEDS_INFO" and "超时时间" in res.action_label()
    out = udfs.DEADLINE_STATUS([row], headers, None, NOW)
    assert short_reason(out[0][0])


# ------------------------------------------------------------------- UDFs

LABEL_FUNCS = {
    "REFUND_ACTION": (udfs.REFUND_ACTION, rules.ACTIONS),
    "STALL_STATUS": (udfs.STALL_STATUS, rules.STALLS),
    "DEADLINE_STATUS": (udfs.DEADLINE_STATUS, rules.DEADLINES),
    # (an unreadable amount: the tier unknown, the code every host writes for it — its label is the cell's message)
    "VALUE_TIER": (udfs.VALUE_TIER, {**rules.TIERS, "NEEDS_INFO": ("#信息不足", "needs info")}),
    "LOSS_RISK": (udfs.LOSS_RISK, rules.RISKS),
}
MODES = ["label", "code", "both", "why"]


def _call(name: str, rows, headers=HEADERS, settings_=None, mode="label"):
    if name == "HOURS_LEFT":
        return udfs.HOURS_LEFT(rows, headers, settings_, NOW)
    if name == "REPLY_SCRIPT":
        return udfs.REPLY_SCRIPT(rows, headers, None, settings_, NOW)
    return LABEL_FUNCS[name][0](rows, headers, settings_, NOW, mode)


def _check_cell(name: str, mode: str, value, row) -> None:
    assert not isinstance(value, BaseException)
    if isinstance(value, str) and value.startswith("#"):
        assert short_reason(value), (name, value)
        return
    if engine._is_blank(row) or value == "":
        # blank rows give ""; so do replies for actions that need no customer
        # message, and hours left when no deadline is known
        assert value == "", (name, mode, value, row)
        assert engine._is_blank(row) or name in ("REPLY_SCRIPT", "HOURS_LEFT") or _totals(row), (name, mode, row)
        return
    if name == "HOURS_LEFT":
        assert isinstance(value, float) and value == value
        return
    if name == "REPLY_SCRIPT":
        assert isinstance(value, str) and value
        return
    codes = LABEL_FUNCS[name][1]
    if name == "DEADLINE_STATUS" and value == "已完结":  # a closed case has no deadline (contract §4.3)
        return
    if name == "LOSS_RISK" and "（" in value:  # the cautious RISK names the word it could not read
        value = value.partition("（")[0]
        assert "RISK" in value or "钱货两空风险" in value, value
    if mode == "code":
        assert value in codes, (name, value)
    elif mode == "label":
        assert value in {zh for zh, _en in codes.values()}, (name, value)
    elif mode == "both":
        code, _, text = value.partition("｜")
        assert code in codes and text, (name, value)
    else:
        assert isinstance(value, str) and value


ALL_FUNCS = [*LABEL_FUNCS, "HOURS_LEFT", "REPLY_SCRIPT"]


@PROFILE
@given(table_strategy, st.sampled_from(ALL_FUNCS), st.sampled_from(MODES))
def test_udfs_give_every_row_a_value_or_a_short_reason(rows, name, mode):
    out = _call(name, rows, mode=mode)
    assert isinstance(out, list) and len(out) == len(rows)
    for cells, row in zip(out, rows):
        assert isinstance(cells, list) and len(cells) == 1
        _check_cell(name, mode, cells[0], row)


@PROFILE
@given(table_strategy, st.sampled_from(ALL_FUNCS), st.sampled_from(MODES), st.data())
def test_udfs_a_junk_row_never_changes_the_others(rows, name, mode, data):
    k = data.draw(st.integers(0, len(rows) - 1), label="replaced row")
    bad = data.draw(st.one_of(junk_row, row_strategy), label="junk row")
    before = _call(name, rows, mode=mode)
    changed = [list(r) for r in rows]
    changed[k] = bad
    after = _call(name, changed, mode=mode)
    assert len(after) == len(rows)
    _check_cell(name, mode, after[k][0], bad)
    for i in range(len(rows)):
        if i != k:
            assert after[i] == before[i], (name, mode, i, k)


@PROFILE
@given(st.one_of(junk_value, junk_row, st.lists(junk_row, max_size=3)),
       st.one_of(junk_value, st.lists(junk_value, max_size=8)),
       st.sampled_from(ALL_FUNCS))
def test_udfs_survive_any_shape_of_arguments(rows, headers, name):
    out = _call(name, rows, headers)
    assert isinstance(out, list) and out
    for cells in out:
        assert isinstance(cells, list) and len(cells) == 1
        value = cells[0]
        assert isinstance(value, (str, float, int))
        if isinstance(value, str) and value.startswith("#"):
            assert short_reason(value), value


settings_value = st.one_of(junk_value, st.sampled_from([-1, 0, 1e9, "abc", "２４", "24小时", "中文", "English"]))


@PROFILE
@given(st.lists(st.tuples(st.sampled_from(["high_value", "nudge_hours", "lost_hours", "remote_lost_hours",
                                           "remote_regions", "intercept_check_hours",
                                           "platform_timeout_hours", "deadline_warn_hours",
                                           "language", "now", "高客单金额阈值(元)", "unknown"]),
                          st.none(), settings_value).map(list), max_size=6),
       st.sampled_from(ALL_FUNCS), table_strategy)
def test_bad_settings_give_one_short_message_per_cell(table, name, rows):
    out = _call(name, rows, settings_=table)
    assert len(out) == len(rows)
    for cells in out:
        value = cells[0]
        if isinstance(value, str) and value.startswith("#"):
            assert short_reason(value), value


@PROFILE
@given(junk_value)
def test_bad_now_is_a_short_message(now):
    rows = [["1", "仅退款", 10, "未发货"]]
    headers = ["订单号", "售后类型", "退款金额", "发货状态"]
    out = udfs.REFUND_ACTION(rows, headers, None, now, "code")
    assert out[0][0] == "APPROVE_REFUND" or short_reason(out[0][0]), out


@PROFILE
@given(junk_value)
def test_bad_show_is_a_short_message(show):
    out = udfs.REFUND_ACTION([["1", "仅退款", 10, "未发货"]], ["订单号", "售后类型", "退款金额", "发货状态"],
                             None, NOW, show)
    assert out[0][0] in (rules.label("APPROVE_REFUND"), "APPROVE_REFUND") or \
        out[0][0].startswith("APPROVE_REFUND｜") or out[0][0].startswith("规则") or short_reason(out[0][0]), out


# ------------------------------------------------------- files round trip

text_junk = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from(FORMULA_LIKE + IMPOSSIBLE_DATES + EMOJI + sorted(vocab.EXCEL_ERRORS)),
)
file_row = st.lists(st.one_of(text_junk, st.none(), st.integers(-10**15, 10**15),
                              st.floats(allow_nan=False, allow_infinity=False), st.booleans()),
                    min_size=len(HEADERS), max_size=len(HEADERS))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(file_row, min_size=1, max_size=5), st.sampled_from([".csv", ".xlsx"]))
def test_files_round_trip_of_junk_never_crashes(tmp_path, rows, suffix):
    path = tmp_path / f"junk{suffix}"
    if suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADERS)
            w.writerows([["" if v is None else v for v in r] for r in rows])
    else:
        import openpyxl
        book = openpyxl.Workbook()
        ws = book.active
        ws.append(HEADERS)
        for r in rows:
            ws.append(r)
        book.save(path)
    table = files.read_table(path)
    assert table.header_row == 1
    for res in engine.evaluate(table.rows, table.headers, None, NOW):
        assert res.blank or res.action_code in rules.ACTIONS or short_reason(res.error)
        _check_result(res)
    out = tmp_path / f"out{suffix}"
    from refund_xl.cli import evaluate_file
    evaluate_file(str(path), str(out), now=NOW, force=True)
    assert out.exists()


# ------------------------------------------------------------------ placeholders

_PLACEHOLDER = st.builds(lambda p, a, b: a + p + b, st.sampled_from(sorted(vocab.PLACEHOLDERS)),
                         st.sampled_from(["", " "]), st.sampled_from(["", " ", "　"]))
_SAID_NONE = st.sampled_from(sorted(vocab.NONE_WORDS))
_NOT_WORDS = [f.key for f in FIELDS if not f.choices and f.key != "order_id"]  # ids, dates, amounts, text


@PROFILE
@given(row_strategy, st.data())
def test_a_placeholder_reads_as_the_blank_it_stands_for(row, data):
    """「-」「/」「N/A」「null」 in any cell, and 「无」「暂无」 where the field holds no words (a waybill, a
    date, an amount): the row's every result is the one its blank cell gives — a 退货物流单号 of 「-」 is no
    return sent, a 物流单号 of 「无」 no parcel."""
    blanks = [i for i, v in enumerate(row) if v is None]
    assume(blanks)
    i = data.draw(st.sampled_from(blanks))
    key = FIELDS[i].key
    filled = list(row)
    filled[i] = data.draw(st.one_of(_PLACEHOLDER, _SAID_NONE) if key in _NOT_WORDS else _PLACEHOLDER)
    (want,), (got,) = (engine.evaluate([r], HEADERS, None, NOW) for r in (row, filled))
    assert (got.action_code, got.why(), got.stall_code, got.deadline_code, got.loss_risk, got.blank) == \
        (want.action_code, want.why(), want.stall_code, want.deadline_code, want.loss_risk, want.blank), \
        (key, filled[i])
    if want.case is not None:
        assert getattr(got.case, key) == getattr(want.case, key) and key not in got.case.bad, (key, filled[i])


_RECORDS = [f.key for f in FIELDS if f.choices and wordbook.WORDS[f.key].said_none]


@PROFILE
@given(row_strategy, st.data())
def test_nothing_recorded_in_words_is_the_blank_record(row, data):
    """「无」「暂无」 in a desk's own record (客户反馈, 验货结果, 拦截状态 …) where its table has no word for it:
    the row's results are those of the blank cell (nothing recorded), never an unreadable cell."""
    i = data.draw(st.sampled_from([FIELDS.index(FIELD_BY_KEY[k]) for k in _RECORDS]))
    blank, said = list(row), list(row)
    blank[i] = None
    said[i] = data.draw(st.sampled_from(sorted(vocab.NOTHING_RECORDED)))
    book = wordbook.WORDS[FIELDS[i].key]
    assume(vocab.fold(said[i]) not in {vocab.fold(k) for k in book.exact})  # 拦截状态「无」 is its own word
    (want,), (got,) = (engine.evaluate([r], HEADERS, None, NOW) for r in (blank, said))
    assert (got.action_code, got.why(), got.loss_risk) == (want.action_code, want.why(), want.loss_risk), \
        (FIELDS[i].key, said[i])
    if want.case is not None:
        key = FIELDS[i].key
        assert getattr(got.case, key) == getattr(want.case, key) and key not in got.case.bad, (key, said[i])


# ------------------------------------------------------------------ a column that may be a desk's record

def _near_misses(key: str) -> list[str]:
    """Headers close to field ``key``'s own that the product suggests for it, never reads as it (a character
    short, one more), beside every other field's column."""
    own = FIELD_BY_KEY[key].header
    others = [h for h in HEADERS if h != own]
    out = []
    for near in dict.fromkeys((own[:-1], own[1:], own + "x", own + "栏")):
        cmap = resolve([*others, near])
        if cmap.suggestions.get(key) == near and key not in cmap.index:
            out.append(near)
    return out


_SUGGESTED = [(key, near) for key in sorted(rules.DESK_RECORDS) for near in _near_misses(key)]


@PROFILE
@given(row_strategy, st.sampled_from(_SUGGESTED))
@example(["A1", None, None, "仅退款", 59.0, None, None, "已发货", None, "SF1", "已签收", None, "广东", "没收到",
          *[None] * (len(HEADERS) - 14)], ("customer_says", "客户反"))  # (was 规则13: 客户与快递均无反馈)
def test_a_column_that_may_be_a_desk_record_is_never_read_as_nothing_recorded(row, suggested):
    """A desk's own record (客户反馈, 拦截状态, 验货结果 …) that no column feeds, beside an unused header that may be
    it (「客户」 for 客户反馈): where that column says one of the field's words, the row decides as it would with the
    column read, or asks naming that column — never as if nothing were recorded; where it says none (blank, or what
    the field cannot read: 交易状态「交易成功」 is another fact), as the sheet without it."""
    key, near = suggested
    at = HEADERS.index(FIELD_BY_KEY[key].header)
    named = [near if j == at else h for j, h in enumerate(HEADERS)]
    (read,), (got,) = (engine.evaluate([row], heads, None, NOW) for heads in (HEADERS, named))
    (alone,) = engine.evaluate([row[:at] + row[at + 1:]], HEADERS[:at] + HEADERS[at + 1:], None, NOW)
    if got.blank:
        return
    said, _unread = engine._normalise_column(FIELD_BY_KEY[key].parse, None, [row[at]])
    if said == [None]:  # none of the field's words there (blank, 「-」, 「无」, another fact): as the sheet without it
        assert (got.action_code, got.why()) == (alone.action_code, alone.why()), (key, row[at])
        return
    if got.action_code != read.action_code:  # asked, the column named (where the message names it in full)
        assert got.action_code == "NEEDS_INFO" and any(f"「{near}」" in m for m in got.decision.missing), \
            (key, near, row[at], read.action_code, got.decision.missing)
