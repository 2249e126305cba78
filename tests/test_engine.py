"""engine: whole tables in, one RowResult per row out; bad rows stay in their row."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import assume, example, given, settings as hsettings, strategies as st

from conftest import NOW, ago, ahead, evaluate_rows, make_case, table
from refund_xl._core import engine, fields, rules, vocab
from refund_xl._core import render
from refund_xl._core.errors import SettingsError
from refund_xl._core.settings import DEFAULTS, Settings

LOW_IN_TRANSIT = dict(refund_type="仅退款", amount="59元", ship_state="已发货", logistics="在途",
                      last_update=ago(30), carrier="顺丰", tracking_no="SF0012", province="浙江")


# ------------------------------------------------------------ range shapes

@pytest.mark.parametrize("given, rows", [
    (None, []),
    ([], []),
    ((), []),
    ("x", [["x"]]),
    (5.0, [[5.0]]),
    (["a", "b"], [["a", "b"]]),                 # one row as a flat list
    ([["a", "b"]], [["a", "b"]]),               # one row as 1×M
    ([["a"], ["b"]], [["a"], ["b"]]),
    ((("a", 1), ("b", 2)), [["a", 1], ["b", 2]]),
])
def test_as_rows(given, rows):
    assert engine.as_rows(given) == rows


@pytest.mark.parametrize("given, headers", [
    (None, []),
    (["订单号", "售后类型"], ["订单号", "售后类型"]),
    ([["订单号", "售后类型"]], ["订单号", "售后类型"]),
    ([["订单号"], ["售后类型"]], ["订单号", "售后类型"]),   # a vertical range
])
def test_as_headers(given, headers):
    assert engine.as_headers(given) == headers


def test_coerce_settings():
    s = Settings(high_value=10)
    assert engine.coerce_settings(s) is s
    assert engine.coerce_settings(None) == DEFAULTS
    assert engine.coerce_settings([]) == DEFAULTS
    assert engine.coerce_settings([["high_value", "", 300]]).high_value == 300
    with pytest.raises(SettingsError):
        engine.coerce_settings([["high_value", "", "abc"]])


def test_coerce_now():
    assert engine.coerce_now(NOW, DEFAULTS) == NOW
    assert engine.coerce_now("2025-06-10 12:00", DEFAULTS) == NOW
    assert engine.coerce_now(45818.5, DEFAULTS) == NOW           # Excel's NOW() as a serial
    assert engine.coerce_now(None, Settings(now=NOW)) == NOW     # the settings' now row
    assert abs((engine.coerce_now("", DEFAULTS) - datetime.now()).total_seconds()) < 60
    with pytest.raises(ValueError, match="基准时间"):
        engine.coerce_now("明天", DEFAULTS)


# ------------------------------------------------------------ evaluate

def test_one_result_per_row_in_order():
    rows = [make_case(order_id=str(i), refund_type="仅退款", amount=10 * i, ship_state="未发货") for i in range(1, 6)]
    results = evaluate_rows(rows)
    assert [r.case.order_id for r in results] == ["1", "2", "3", "4", "5"]
    assert [r.action_code for r in results] == ["APPROVE_REFUND"] * 5


def test_blank_rows_are_blank_results():
    headers, rows = table([make_case(**LOW_IN_TRANSIT)])
    rows = [[None] * len(headers), rows[0], ["  "] * len(headers), []]
    results = engine.evaluate(rows, headers, None, NOW)
    assert [r.blank for r in results] == [True, False, True, True]
    assert results[0].as_output() == dict.fromkeys(engine.OUTPUT_COLUMNS, "")
    assert results[1].action_code == "INTERCEPT_REFUND_NOW"


def test_short_rows_are_padded():
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态"]
    (res,) = engine.evaluate([["1", "仅退款", 59, "未发货"]], headers, None, NOW)
    assert res.action_code == "APPROVE_REFUND"


def test_bad_row_does_not_touch_the_others():
    good = make_case(**LOW_IN_TRANSIT)
    bad = make_case(**{**LOW_IN_TRANSIT, "amount": "五十九", "last_update": "上周"})
    results = evaluate_rows([good, bad, good])
    assert [r.action_code for r in results] == ["INTERCEPT_REFUND_NOW", "NEEDS_INFO", "INTERCEPT_REFUND_NOW"]
    assert results[1].action_label() == "#信息不足: 退款金额「五十九」、物流更新时间「上周」"
    assert results[1].value_tier == ""
    assert set(results[1].case.bad) == {"amount", "last_update"}


def test_a_defect_in_one_row_is_that_row_s_message(monkeypatch):
    real = rules.evaluated

    def flaky(case, row, s, *more):
        if case.order_id == "boom1":
            raise ZeroDivisionError("defect")
        return real(case, row, s, *more)

    monkeypatch.setattr(rules, "evaluated", flaky)
    results = evaluate_rows([make_case(**LOW_IN_TRANSIT), make_case(**{**LOW_IN_TRANSIT, "order_id": "boom1"})])
    assert results[0].action_code == "INTERCEPT_REFUND_NOW"
    assert results[1].error == "#行错误: ZeroDivisionError"
    out = results[1].as_output()
    assert (out["action_code"], out["action"], out["why"]) == ("ERROR", "#行错误: ZeroDivisionError",
                                                               "#行错误: ZeroDivisionError")


def test_settings_as_a_table_and_bad_settings_raise():
    row = make_case(**LOW_IN_TRANSIT)
    (res,) = evaluate_rows([row], settings=[["设置项", "", ""], ["high_value", "", 50]])
    assert (res.value_tier, res.action_code) == ("HIGH", "INTERCEPT_AND_WATCH")
    with pytest.raises(SettingsError):
        evaluate_rows([row], settings=[["lost_hours", "", 1]])


def test_now_from_the_settings_table():
    row = make_case(**LOW_IN_TRANSIT)
    (res,) = evaluate_rows([row], settings=[["now", "", "2025-06-11 18:00"]], now=None)
    assert res.stall_code == "LOST"        # 30 h + 30 h since the update


def test_input_rows_are_not_modified():
    headers, rows = table([make_case(**LOW_IN_TRANSIT), make_case(refund_type="退货退款", amount="¥1,299.00")])
    snapshot = [list(r) for r in rows], list(headers)
    engine.evaluate(rows, headers, None, NOW)
    assert ([list(r) for r in rows], list(headers)) == snapshot


def test_read_cases_only_the_keys_asked():
    headers, rows = table([make_case(**LOW_IN_TRANSIT)])
    cases, cmap = engine.read_cases(rows, headers, keys=("amount",))
    assert cases[0].amount == 59.0 and cases[0].logistics is None
    assert "logistics" in cmap


def test_read_cases_parses_each_distinct_value_once():
    calls = []
    fld = fields.FIELD_BY_KEY["amount"]
    real = fld.parse
    object.__setattr__(fld, "parse", lambda v: calls.append(v) or real(v))
    try:
        rows = [["1", "仅退款", "59元"], ["2", "仅退款", "59元"], ["3", "仅退款", "88"]] * 50
        cases, _ = engine.read_cases(rows, ["订单号", "售后类型", "退款金额"])
    finally:
        object.__setattr__(fld, "parse", real)
    assert sorted(calls) == ["59元", "88"]
    assert [c.amount for c in cases[:3]] == [59.0, 59.0, 88.0]


# ------------------------------------------------------------ outputs

def test_as_output_columns():
    row = make_case(**{**LOW_IN_TRANSIT, "deadline": ahead(10.04)})
    (res,) = evaluate_rows([row])
    assert res.as_output() == {
        "action_code": "INTERCEPT_REFUND_NOW",
        "action": "低客单：发起拦截并登记，直接退款",
        "why": "规则18：已发货·运输中·59 < 高客单阈值 200",
        "stall_code": "NUDGE",
        "stall": "催件",
        "deadline_code": "WARN",
        "hours_left": 10.0,
        "value_tier": "LOW",
        "loss_risk": "OK",
    }
    assert tuple(res.as_output()) == engine.OUTPUT_COLUMNS


def test_as_output_english():
    (res,) = evaluate_rows([make_case(**LOW_IN_TRANSIT)])
    out = res.as_output(english=True)
    assert out["action"] == "Low value: intercept, register, refund now"
    assert out["stall"] == "Nudge"
    assert out["action_code"] == "INTERCEPT_REFUND_NOW"


def test_needs_info_output():
    (res,) = evaluate_rows([make_case(**{**LOW_IN_TRANSIT, "amount": None})])
    out = res.as_output()
    assert (out["action_code"], out["action"]) == ("NEEDS_INFO", "#信息不足: 退款金额（见平台售后单）")
    assert out["why"] == ("规则0b：缺少或无法识别：退款金额（见平台售后单）"
                          "（可能是：低客单：发起拦截并登记，直接退款 / 高客单：拦截+标旗，关注超时，次日核实）")
    assert res.action_label(english=True) == "#Missing: Amount (see the platform's case)"
    assert out["value_tier"] == "NEEDS_INFO" and out["hours_left"] == ""  # a code, as the stall code of one unknown


def test_cell_message():
    assert render.cell_message(["退款金额"]) == "#信息不足: 退款金额"
    assert render.cell_message(["订单号", "退款金额"]) == "#信息不足: 订单号、退款金额"


def test_whole_sample_of_mixed_rows_never_raises():
    rows = [make_case(**LOW_IN_TRANSIT),
            make_case(refund_type=object(), amount=[1, 2]),          # unhashable / odd cells
            make_case(refund_type="退货退款", amount=float("nan")),
            make_case(refund_type="仅退款", amount=True, ship_state=3.0)]
    results = evaluate_rows(rows)
    assert len(results) == 4
    assert all(r.action_code for r in results)
    assert [r.action_code for r in results[1:]] == ["NEEDS_INFO"] * 3


# ------------------------------------------------------------ a column read once per distinct value

# what a column of ids, dates or amounts holds on a desk's sheet: mostly the usual cell (text of
# digits, a datetime, a float), and any other kind a host or a person puts there
_CELLS = st.one_of(
    st.none(), st.just(""), st.booleans(), st.integers(-3, 3), st.sampled_from([-2146826281, -2146826246]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, 1.0, 45000.0, 45000.5, 4.80299e18]),
    st.integers(0, 10**19), st.decimals(allow_nan=False, places=2, max_value=10**6, min_value=-10),
    st.text("0123456789", min_size=1, max_size=20), st.text("SF0123-. 元¥", max_size=8),
    st.datetimes(datetime(1980, 1, 1), datetime(2110, 1, 1)),
    st.datetimes(datetime(2025, 1, 1), datetime(2025, 12, 31)).map(lambda d: d.replace(hour=0, minute=0, second=0, microsecond=0)),
    st.sampled_from(["2025/6/3 10:00", "2025年6月3日 10:00", "2025-06-03", "6月8日 10:00", "59元", "¥1,299.00", "#N/A"]),
    st.sampled_from(['="2025-06-03 10:00"', "'7026332156962737109", '="59.00"', "'", '="', "'#N/A", "' 59"]),
    # equal values of different types (one set entry for all of them): often, not by the luck of the draw
    st.sampled_from([0, 0.0, 1, 1.0, True, False, Decimal("0"), Decimal("1.0"), 45000, 45000.0, Decimal("45000")]),
)


@hsettings(max_examples=300, deadline=None)
@given(values=st.lists(_CELLS, max_size=40), usual=st.sampled_from(["id", "date", "deadline", "money", "word"]),
       n=st.integers(0, 200))
@example(values=[0.0, 0], usual="money", n=0)  # found by CI: the set kept 0.0, the cell 0 read as int
@example(values=[45000, 45000.0], usual="date", n=0)
@example(values=[1, True, 1.0], usual="id", n=3)
@example(values=[True, 1, "未发货"], usual="word", n=2)  # a state column read per distinct value (slow path)
def test_a_column_reads_as_its_cells_one_by_one(values, usual, n):
    """Reading a column by its distinct values (and passing the usual cells through) gives, cell for
    cell, what reading each cell alone gives: the same value, of the same type, and the same bad cells."""
    parse = {"id": vocab.parse_id, "date": vocab.parse_datetime, "deadline": vocab.parse_deadline, "money": vocab.parse_money,
             "word": fields.FIELD_BY_KEY["ship_state"].parse}[usual]
    filler = {"id": "7026332156962737109", "date": datetime(2025, 6, 9, 3, 48), "deadline": datetime(2025, 6, 9, 3, 48),
              "money": 69.0, "word": "已发货"}[usual]
    column = tuple([*values, *[filler] * n])  # mostly the usual cell, as on a real sheet
    got, bad = engine._normalise_column(parse, None, column)
    one_by_one = [parse(vocab.plain_cell(v)) for v in column]
    assert bad == [i for i, v in enumerate(one_by_one) if v is vocab.BAD]
    want = [None if v is vocab.BAD else v for v in one_by_one]
    assert [(type(g), g) for g in got] == [(type(w), w) for w in want]



_TEXT_FORMS = {
    "tracking_no": ["4242994886263078938", "SF1234567890", "4.80299E+18", ""],
    "applied_at": ["2025-06-08 10:00", "2025/6/8 10:00:05", "6月8日 下午3点", "20250608", "2025-02-30 10:00"],
    "amount": ["59.00", "1,299.00", "59元", "-5", "¥0"],
    "logistics": ["已签收", "快件派送不成功", "运输中", "签收失败"],
    "intercept": ["拦截成功", "未能拦截成功", "没拦住"],
}


@hsettings(max_examples=200, deadline=None)
@given(key=st.sampled_from(sorted(_TEXT_FORMS)), data=st.data(),
       wrap=st.sampled_from(['="{}"', "'{}"]))
def test_text_an_export_kept_from_excel_reads_as_the_text_inside(key, data, wrap):
    """="2025-06-08 10:00" and '4242994886263078938 (how export tools keep a value text in Excel) read,
    in every field, as the text inside would: never unreadable for the wrapper, never an id with a quote."""
    text = data.draw(st.sampled_from(_TEXT_FORMS[key]))
    assume(text and not text[0].isspace())
    parse = fields.FIELD_BY_KEY[key].parse
    assert parse(vocab.plain_cell(wrap.format(text))) == parse(vocab.plain_cell(text)) or \
        parse(vocab.plain_cell(text)) is vocab.BAD is parse(vocab.plain_cell(wrap.format(text)))
    head = ["订单号", "售后类型", fields.FIELD_BY_KEY[key].header]
    cols = engine.read_columns([["1001", "仅退款", wrap.format(text)], ["1002", "仅退款", text]], head,
                               keys=(key,), now=NOW)
    (column,) = cols.values
    assert column[0] == column[1] and (0 in cols.bad) == (1 in cols.bad), (wrap.format(text), column)


def test_every_word_placeholder_has_the_letter_the_id_fast_path_looks_for():
    """engine._ids_as_is keeps a column of ids as they are unless an n/N appears (null, none, na, nil):
    a placeholder of letters without one would pass as an id."""
    assert all("n" in p for p in vocab.PLACEHOLDERS if p.isalpha())


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["SF1234567890", "4242994886263078938", "YT0001", None]), min_size=1, max_size=30),
       st.sampled_from(sorted(p for p in vocab.PLACEHOLDERS if p.isascii())), st.sampled_from([str, str.upper]))
def test_an_id_column_with_a_placeholder_reads_it_blank(ids, placeholder, case):
    column = [*ids, case(placeholder)]
    got, bad = engine._normalise_column(vocab.parse_id, None, column)
    assert got[-1] is None and not bad and got[:-1] == ids


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["SF1234567890", "4242994886263078938", "YT0001", "00012", None]), min_size=1,
                max_size=30), st.integers(1, 8), st.data())
def test_an_id_of_zeros_in_an_id_column_is_unreadable_on_every_path(ids, n, data):
    """An id column holding 「0」 or 「000」 among real ids (a lookup formula's blank): that cell unreadable, the others
    as they are — the column's fast check (text of letters and digits kept as it is) never passes zeros for an id."""
    at = data.draw(st.integers(0, len(ids)))
    column = [*ids[:at], "0" * n, *ids[at:]]
    got, bad = engine._normalise_column(vocab.parse_id, None, column)
    assert bad == [at] and got[at] is None and got[:at] + got[at + 1:] == ids


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.integers(10 ** 18, 10 ** 19 - 1), min_size=2, max_size=30, unique=True), st.data())
def test_ids_excel_padded_with_zeros_are_asked_never_decided_or_merged(numbers, data):
    """contract §2 "Ids": an 订单号 Excel cut to 15 digits and wrote out with zeros (4802990940898680000) is
    unreadable: its row is asked for the 订单号 with what Excel did, never decided on invented digits, and
    two such cases never become one."""
    ids = [str(n) for n in numbers]
    assume(not any(map(vocab.is_padded_id, ids)))  # (a real id ending in 0000 is one in ten thousand)
    cut = set(data.draw(st.sets(st.sampled_from(range(len(ids))), min_size=max(1, len(ids) // 3))))
    sheet = [[(i[:15] + "0000") if n in cut else i, "仅退款", 99.0, "已发货", f"SF{n:010d}", "运输中", NOW]
             for n, i in enumerate(ids)]
    head = ["订单号", "售后类型", "退款金额", "发货状态", "物流单号", "物流状态", "物流更新时间"]
    results = engine.evaluate(sheet, head, now=NOW)
    for n, res in enumerate(results):
        if n in cut:
            assert res.action_code == "NEEDS_INFO" and res.case.order_id is None, res.why()
            assert f"订单号「{sheet[n][0]}」" in res.why() and "Excel" in res.why()
        else:
            assert res.case.order_id == ids[n]


# A courier trace's time as desks paste it with the trace (a date with its time of day), with or without the year.
_TRACE_DAY_FORMS = ("{y}-{mm}-{dd}", "{y}/{m}/{d}", "{y}.{mm}.{dd}", "{y}年{m}月{d}日", "{mm}-{dd}", "{m}/{d}", "{m}.{d}", "{m}月{d}日")
_TRACE_TEXTS = ("【杭州转运中心】已发出，下一站【上海】", "快件已揽收", "运输中", "快递员正在派件", "到达【上海浦东】")


@hsettings(max_examples=200, deadline=None)
@given(st.integers(1, 200), st.sampled_from(_TRACE_DAY_FORMS), st.sampled_from(_TRACE_TEXTS), st.booleans(),
       st.sampled_from(["", " "]), st.sampled_from(["absent", "blank", "filled"]), st.booleans())
@example(74, "{y}-{mm}-{dd}", "【杭州转运中心】已发出，下一站【上海】", True, " ", "absent", False)  # was 信息不足
def test_a_trace_written_with_its_time_says_when_the_parcel_last_moved(hours, form, trace, first, gap, column, secs):
    """物流状态「2025-06-07 10:00【杭州转运中心】已发出」: the trace's own time is when the parcel last moved, where no
    物流更新时间 says (the column absent or its cell blank) — a fact the sheet holds, never asked for; beside a filled
    物流更新时间, the later of the two where the trace is a courier's event (its time leads it, or ends a line naming
    its station: 到达【上海浦东】2025-06-10 11:00); a time after other words (运输中 2025-06-10 11:00: the desk's note?)
    leaves the typed time (engine._trace_event)."""
    moved = ago(hours).replace(second=7 if secs else 0, microsecond=0)
    day = form.format(y=moved.year, m=moved.month, d=moved.day, mm=f"{moved.month:02d}", dd=f"{moved.day:02d}")
    stamp = f"{day} {moved.hour:02d}:{moved.minute:02d}" + (f":{moved.second:02d}" if secs else "")
    cell = stamp + gap + trace if first else trace + gap + stamp
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流单号"]
    row = ["1", "仅退款", 299, "已发货", cell, "SF1234567890123"]
    if column != "absent":
        headers.append("物流更新时间")
        row.append(None if column == "blank" else ago(5))
    (res,) = engine.evaluate([row], headers, None, NOW)
    event = first or "【" in trace
    want = (max(ago(5), moved) if event else ago(5)) if column == "filled" else moved
    assert res.case.last_update == want, (cell, column, res.case.last_update, want)
    assert "last_update" not in res.case.bad


@pytest.mark.parametrize("cell", ["预计6月12日 18:00送达", "运输中，预计 2025-06-12 18:00 到达",
                                  "6月7日 10:00 揽收，6月8日 09:00 到达杭州"])
def test_a_trace_time_that_is_expected_or_of_several_lines_without_a_year_is_no_update_time(cell):
    """预计…送达 is no movement; several year-less lines (which is the latest across a new year?) say no one time: 物流更新时间
    stays unknown (asked for where it matters)."""
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流单号"]
    (res,) = engine.evaluate([["1", "仅退款", 299, "已发货", cell, "SF1234567890123"]], headers, None, NOW)
    assert res.case.last_update is None


def test_the_latest_of_a_trace_s_lines_with_their_years_is_when_it_last_moved():
    cell = "2025-06-07 10:00:00 快件已揽收\n2025-06-08 09:00:00 到达【杭州转运中心】"
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流单号"]
    (res,) = engine.evaluate([["1", "仅退款", 299, "已发货", cell, "SF1234567890123"]], headers, None, NOW)
    assert res.case.last_update == datetime(2025, 6, 8, 9, 0)


def test_the_reading_report_says_the_trace_gave_the_update_time():
    """Every run says how it read the sheet: the 物流状态 column is named as feeding 物流更新时间 where its traces did."""
    from refund_xl._core import report
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流单号"]
    rows = [["1", "仅退款", 299, "已发货", "2025-06-07 10:00【杭州转运中心】已发出", "SF1234567890123"],
            ["2", "仅退款", 99, "已发货", "运输中", "SF1234567890124"]]
    rep = report.build(engine.read_columns(rows, headers, now=NOW))
    assert ("物流状态", "物流更新时间", "快递轨迹里写的时间（「物流更新时间」没有、空着或比轨迹早的行）") in rep.used
    assert ("物流更新时间", 1) in rep.derived
    plain = report.build(engine.read_columns([rows[1]], headers, now=NOW))
    assert not any(f == "物流更新时间" for _h, f, _how in plain.used)


# ------------------------------------------------------------------ 未寄回 read two ways, in either order

# Words of 退货物流状态 that say the courier has not collected the return yet (a waybill made: vocab.Awaiting), and
# words that say plainly it was not sent back (beside a filled 退货物流单号: the two columns disagree, asked).
_NOT_COLLECTED = ("待揽收", "未揽收", "已预约上门取件", "待取件")
_NOT_SENT = ("未寄回", "买家未退货", "未寄出", "未退回", "待寄回")
_SEPARATORS = ("，", " ", "/", "；")
_AWAIT_HEAD = ["订单号", "售后单号", "售后类型", "退货原因", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态",
               "物流更新时间", "退货快递公司", "退货物流单号", "退货物流状态", "退货物流信息", "售后状态"]


def _awaiting_row(state, info=None):
    return ["1003935258309020881", "2025060909020881", "退货退款", "不想要", 66, "已发货", "中通快递", "752342200881",
            "已签收", "2025-06-05 10:00", "圆通速递", "YT7512803366108", state, info, "处理中"]


def _await_action(state, info=None):
    from refund_xl._core import context

    (res,), _rep = engine.evaluate_table([_awaiting_row(state, info)], _AWAIT_HEAD, context.build(now=NOW))
    return res.action_code


@pytest.mark.parametrize("waiting", _NOT_COLLECTED)
@pytest.mark.parametrize("plain", _NOT_SENT)
@pytest.mark.parametrize("sep", _SEPARATORS)
def test_not_collected_beside_not_sent_in_one_cell_reads_the_same_either_way(waiting, plain, sep):
    """「待揽收，买家未退货」 and 「买家未退货，待揽收」: one cell, the same two clauses — the plain 未寄回 in it, whichever
    comes first; beside a filled 退货物流单号 a plain 未寄回 is asked (docs/reading.md), so both orders ask."""
    parse = engine._parser_for("return_logistics", fields.resolve(["退货物流状态"]))
    ahead_, behind = parse(waiting + sep + plain), parse(plain + sep + waiting)
    assert ahead_ == behind == "未寄回", (ahead_, behind)
    assert ahead_.__class__ is behind.__class__ is str
    assert _await_action(waiting + sep + plain) == _await_action(plain + sep + waiting) == "NEEDS_INFO"


@pytest.mark.parametrize("waiting", _NOT_COLLECTED)
@pytest.mark.parametrize("plain", _NOT_SENT)
def test_not_collected_in_one_column_and_not_sent_in_the_other_reads_the_same_either_way(waiting, plain):
    """退货物流状态 待揽收 + 退货物流信息 未寄回, and swapped: no column's position settles the reading; a plain 未寄回
    beside the waybill is asked in both; 待揽收 alone (in either column) still waits."""
    assert _await_action(waiting, plain) == _await_action(plain, waiting) == "NEEDS_INFO"
    assert _await_action(waiting) == _await_action(None, waiting) == "WAIT_RETURN"
    assert _await_action(plain) == _await_action(None, plain) == "NEEDS_INFO"
