"""contract §5: the formula functions, called the way xlwings calls them.

xlwings hands a range over as a 2-D list (``ndim=2``): ``None`` for a blank
cell, ``float`` for every number, ``datetime`` for a date-formatted cell.
Every function returns an N×1 column and never raises into a cell.
"""

from __future__ import annotations

import inspect
import re

import pytest

from conftest import NOW, ago, ahead, make_case, table
from refund_xl import udfs

ALL_UDFS = [udfs.REFUND_ACTION, udfs.STALL_STATUS, udfs.DEADLINE_STATUS, udfs.HOURS_LEFT,
            udfs.VALUE_TIER, udfs.LOSS_RISK, udfs.REPLY_SCRIPT]
SHOW_UDFS = [udfs.REFUND_ACTION, udfs.STALL_STATUS, udfs.DEADLINE_STATUS, udfs.VALUE_TIER, udfs.LOSS_RISK]


def xl(value):
    """A cell value as xlwings gives it: numbers are floats, '' is None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if value == "":
        return None
    return value


def sheet(*row_dicts):
    """(headers as a 1×M range, rows as an N×M range), xlwings style."""
    headers, rows = table(row_dicts)
    return [headers], [[xl(v) for v in r] for r in rows]


LOW = make_case(refund_type="仅退款", amount=59, ship_state="已发货", logistics="运输中",
                last_update=ago(30), deadline=ahead(10), carrier="顺丰", tracking_no="SF00123",
                province="广东省深圳市", case_state="处理中")
HIGH = {**LOW, "退款金额": "¥1,299.00", "物流更新时间": ago(50), "超时时间": ahead(40), "订单号": "0099"}
REFUNDED = {**LOW, "售后状态": "已退款", "订单号": "0100", "超时时间": ago(5)}
NO_AMOUNT = {**LOW, "退款金额": None, "订单号": "0101"}


@pytest.fixture
def three():
    return sheet(LOW, HIGH, REFUNDED)


def column(result):
    assert isinstance(result, list) and all(isinstance(r, list) and len(r) == 1 for r in result), result
    return [r[0] for r in result]


# ------------------------------------------------------------ each function

def test_refund_action_labels(three):
    headers, rows = three
    assert column(udfs.REFUND_ACTION(rows, headers, None, NOW)) == [
        "低客单：发起拦截并登记，直接退款", "退款或补发，并向快递理赔", "已完结"]


@pytest.mark.parametrize("show, expected", [
    ("label", ["低客单：发起拦截并登记，直接退款", "退款或补发，并向快递理赔", "已完结"]),
    (None, ["低客单：发起拦截并登记，直接退款", "退款或补发，并向快递理赔", "已完结"]),
    ("code", ["INTERCEPT_REFUND_NOW", "REFUND_OR_RESHIP_CLAIM", "DONE"]),
    (" CODE ", ["INTERCEPT_REFUND_NOW", "REFUND_OR_RESHIP_CLAIM", "DONE"]),
    ("代码", ["INTERCEPT_REFUND_NOW", "REFUND_OR_RESHIP_CLAIM", "DONE"]),
    ("both", ["INTERCEPT_REFUND_NOW｜低客单：发起拦截并登记，直接退款", "REFUND_OR_RESHIP_CLAIM｜退款或补发，并向快递理赔",
              "DONE｜已完结"]),
    ("why", ["规则18：已发货·运输中·59 < 高客单阈值 200",
             "规则14：已发货·运输中·50小时未更新 ≥ 丢件阈值 48", "规则0a：售后状态已退款"]),
])
def test_refund_action_show_modes(three, show, expected):
    headers, rows = three
    assert column(udfs.REFUND_ACTION(rows, headers, None, NOW, show)) == expected


@pytest.mark.parametrize("func", SHOW_UDFS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("show", ["bogus", 3.0, "labels"])
def test_bad_show_is_a_message_per_row(three, func, show):
    headers, rows = three
    assert column(func(rows, headers, None, NOW, show)) == ["#show 参数应为 label / code / both / why"] * 3


def test_stall_status(three):
    headers, rows = three
    assert column(udfs.STALL_STATUS(rows, headers, None, NOW)) == ["催件", "按丢件处理", "催件"]
    assert column(udfs.STALL_STATUS(rows, headers, None, NOW, "code")) == ["NUDGE", "LOST", "NUDGE"]
    assert column(udfs.STALL_STATUS(rows, headers, None, NOW, "both"))[0] == "NUDGE｜催件"
    assert column(udfs.STALL_STATUS(rows, headers, None, NOW, "why"))[1] == "50.0小时未更新"


def test_stall_status_remote_and_not_in_transit():
    remote = {**LOW, "收货省份": "新疆维吾尔自治区乌鲁木齐市", "物流更新时间": ago(71.9)}
    lost = {**remote, "物流更新时间": ago(72)}
    signed = {**LOW, "物流状态": "已签收"}
    headers, rows = sheet(remote, lost, signed)
    assert column(udfs.STALL_STATUS(rows, headers, None, NOW, "code")) == ["NUDGE", "LOST", "NOT_IN_TRANSIT"]
    assert column(udfs.STALL_STATUS(rows, headers, None, NOW))[2] == "—"


def test_deadline_status_and_hours_left(three):
    headers, rows = three
    # a refunded case has no deadline any more (contract §4.3): shown 已完结, never 已超时
    assert column(udfs.DEADLINE_STATUS(rows, headers, None, NOW)) == ["即将超时", "正常", "已完结"]
    assert column(udfs.DEADLINE_STATUS(rows, headers, None, NOW, "code")) == ["WARN", "OK", "NONE"]
    assert column(udfs.DEADLINE_STATUS(rows, headers, None, NOW, "why")) == ["剩余10.0小时", "剩余40.0小时", "已完结"]
    assert column(udfs.HOURS_LEFT(rows, headers, None, NOW)) == [10.0, 40.0, ""]


def test_deadline_from_applied_at_and_none():
    applied = {k: v for k, v in LOW.items() if k != "超时时间"}
    applied["申请时间"] = ago(112)  # 已发货 仅退款: timeout_shipped_hours (120) from 申请时间
    nothing = {k: v for k, v in LOW.items() if k != "超时时间"}
    headers, rows = sheet(applied, nothing)
    assert column(udfs.DEADLINE_STATUS(rows, headers, None, NOW, "code")) == ["WARN", "NONE"]
    assert column(udfs.HOURS_LEFT(rows, headers, None, NOW)) == [8.0, ""]


def test_deadline_warn_boundary_follows_settings():
    # typed with its time (00:00 from a date cell would be a whole day: contract §2 "Dates")
    at12 = {**LOW, "超时时间": f"{ahead(12):%Y-%m-%d %H:%M}"}
    at20 = {**LOW, "超时时间": ahead(20)}
    headers, rows = sheet(at12, at20)
    assert column(udfs.DEADLINE_STATUS(rows, headers, None, NOW, "code")) == ["WARN", "OK"]
    settings = [["deadline_warn_hours", "超时预警(小时)", 20.0, None]]
    assert column(udfs.DEADLINE_STATUS(rows, headers, settings, NOW, "code")) == ["WARN", "WARN"]


def test_value_tier(three):
    headers, rows = three
    assert column(udfs.VALUE_TIER(rows, headers, None, NOW)) == ["低客单", "高客单", "低客单"]
    assert column(udfs.VALUE_TIER(rows, headers, None, NOW, "code")) == ["LOW", "HIGH", "LOW"]
    assert column(udfs.VALUE_TIER(rows, headers, None, NOW, "why"))[1] == "1299 ≥ 高客单阈值 200"


def test_value_tier_boundary_and_settings():
    a, b = {**LOW, "退款金额": 199.99}, {**LOW, "退款金额": 200.0}
    headers, rows = sheet(a, b)
    assert column(udfs.VALUE_TIER(rows, headers, None, NOW, "code")) == ["LOW", "HIGH"]
    settings = [["键", "项目", "值", "说明"], ["high_value", "高客单金额阈值(元)", 100.0, None]]
    assert column(udfs.VALUE_TIER([[v] for v in (99.99, 100.0)], [["退款金额"]], settings, NOW, "code")) == ["LOW", "HIGH"]


def test_loss_risk(three):
    headers, rows = three
    assert column(udfs.LOSS_RISK(rows, headers, None, NOW)) == ["无", "无", "钱货两空风险"]
    assert column(udfs.LOSS_RISK(rows, headers, None, NOW, "code")) == ["OK", "OK", "RISK"]


# ------------------------------------------------------------ range shapes

def test_one_row_as_1xM_and_as_flat_list():
    headers, rows = sheet(LOW)
    two_d = udfs.REFUND_ACTION(rows, headers, None, NOW, "code")
    flat = udfs.REFUND_ACTION(rows[0], headers[0], None, NOW, "code")
    assert two_d == flat == [["INTERCEPT_REFUND_NOW"]]


@pytest.mark.parametrize("func", ALL_UDFS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("rows", [None, []], ids=["none", "empty_list"])
def test_empty_range(func, rows):
    headers, _ = sheet(LOW)
    assert func(rows, headers, now=NOW) == [[""]]


@pytest.mark.parametrize("func", ALL_UDFS, ids=lambda f: f.__name__)
def test_header_row_only(func):
    headers, _ = sheet(LOW)
    assert func(headers, headers, now=NOW) == [[""]]


@pytest.mark.parametrize("func", ALL_UDFS, ids=lambda f: f.__name__)
def test_range_selected_with_its_header_row(func):
    headers, rows = sheet(LOW, HIGH)
    out = column(func(headers + rows, headers, now=NOW))
    assert out[0] == "" and len(out) == 3 and all(v != "" for v in out[1:])


@pytest.mark.parametrize("func", ALL_UDFS, ids=lambda f: f.__name__)
def test_blank_rows_give_empty_strings(func):
    headers, rows = sheet(LOW, HIGH)
    blank = [None] * len(headers[0])
    out = column(func([blank, rows[0], blank, rows[1], blank], headers, now=NOW))
    assert len(out) == 5
    assert out[0] == out[2] == out[4] == ""
    assert out[1] != "" and out[3] != ""


@pytest.mark.parametrize("func", ALL_UDFS, ids=lambda f: f.__name__)
def test_results_are_n_by_1(func):
    headers, rows = sheet(*([LOW, HIGH, REFUNDED, NO_AMOUNT] * 25))
    out = func(rows, headers, now=NOW)
    assert len(column(out)) == 100


def test_vertical_header_range_is_accepted():
    headers, rows = sheet(LOW)
    vertical = [[h] for h in headers[0]]
    assert udfs.REFUND_ACTION(rows, vertical, None, NOW, "code") == [["INTERCEPT_REFUND_NOW"]]


# ------------------------------------------------------------ bad input

def test_bad_row_gets_its_own_message():
    headers, rows = sheet(LOW, NO_AMOUNT, HIGH)
    assert column(udfs.REFUND_ACTION(rows, headers, None, NOW)) == [
        "低客单：发起拦截并登记，直接退款", "#信息不足: 退款金额（见平台售后单）", "退款或补发，并向快递理赔"]
    assert column(udfs.REFUND_ACTION(rows, headers, None, NOW, "code"))[1] == "NEEDS_INFO"
    assert column(udfs.REFUND_ACTION(rows, headers, None, NOW, "both"))[1] == "NEEDS_INFO｜#信息不足: 退款金额（见平台售后单）"
    assert column(udfs.REFUND_ACTION(rows, headers, None, NOW, "why"))[1] == (
        "规则0b：缺少或无法识别：退款金额（见平台售后单）（可能是：低客单：发起拦截并登记，直接退款 / 高客单：拦截+标旗，关注超时，次日核实）")
    assert column(udfs.VALUE_TIER(rows, headers, None, NOW)) == ["低客单", "#信息不足: 退款金额（见平台售后单）", "高客单"]


def test_unreadable_cells_named_per_function():
    bad_time = {**LOW, "物流更新时间": "上周三", "超时时间": "下周", "退款金额": "五十九"}
    headers, rows = sheet(bad_time, LOW)
    assert column(udfs.STALL_STATUS(rows, headers, None, NOW)) == ["#信息不足: 物流更新时间「上周三」", "催件"]
    assert column(udfs.DEADLINE_STATUS(rows, headers, None, NOW)) == ["#信息不足: 超时时间「下周」", "即将超时"]
    assert column(udfs.HOURS_LEFT(rows, headers, None, NOW)) == ["#信息不足: 超时时间「下周」", 10.0]
    # the action names what decides it; the deadline column names its own unreadable cell
    assert column(udfs.REFUND_ACTION(rows, headers, None, NOW))[0] == \
        "#信息不足: 退款金额「五十九」、物流更新时间「上周三」"


def test_bad_applied_at_named_when_no_deadline():
    row = {k: v for k, v in LOW.items() if k != "超时时间"}
    row["申请时间"] = "前天"
    headers, rows = sheet(row)
    assert column(udfs.DEADLINE_STATUS(rows, headers, None, NOW)) == ["#信息不足: 申请时间「前天」"]


def test_bad_case_state_in_loss_risk():
    headers, rows = sheet({**LOW, "售后状态": "不知道"}, REFUNDED)
    # an unreadable 售后状态 is the cautious reading (contract §4.3), with the word quoted
    assert column(udfs.LOSS_RISK(rows, headers, None, NOW)) == ["钱货两空风险（无法确定：售后状态「不知道」）", "钱货两空风险"]


@pytest.mark.parametrize("func", ALL_UDFS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("settings, words", [
    ([["high_value", "高客单金额阈值(元)", "两百", None]], ["设置!C1", "high_value", "不小于 0 的数字"]),
    ([["键", "项目", "值", "说明"], ["nudge_hours", "", 24.0, None], ["lost_hours", "", 10.0, None]],
     ["设置!C3", "lost_hours", "不能小于催件阈值"]),
    ([["language", "语言", "Français", None]], ["设置!C1", "language"]),
], ids=["text_for_number", "lost_below_nudge", "bad_language"])
def test_bad_setting_is_shown_in_every_cell(func, settings, words):
    headers, rows = sheet(LOW, HIGH)
    if func is udfs.REPLY_SCRIPT:
        out = column(func(rows, headers, None, settings, NOW))
    else:
        out = column(func(rows, headers, settings, NOW))
    assert len(out) == 2 and out[0] == out[1]
    assert out[0].startswith("#设置错误")
    assert all(w in out[0] for w in words)


def test_bad_now_is_a_message_not_an_exception():
    headers, rows = sheet(LOW)
    (cell,) = column(udfs.REFUND_ACTION(rows, headers, None, "下周一"))
    assert cell.startswith("#基准时间无法识别")


def test_a_defect_shows_in_its_own_cell(monkeypatch):
    from refund_xl._core import rules

    real = rules.stall_status

    def flaky(case, s, now):
        if case.province == "西藏":
            raise KeyError("defect")
        return real(case, s, now)

    monkeypatch.setattr(rules, "stall_status", flaky)
    headers, rows = sheet(LOW, {**LOW, "收货省份": "西藏"})
    assert column(udfs.STALL_STATUS(rows, headers, None, NOW)) == ["催件", "#行错误: KeyError"]


def test_missing_columns_make_needs_info_not_an_error():
    headers, rows = [["订单号", "备注"]], [["1", "x"]]
    (text,) = column(udfs.REFUND_ACTION(rows, headers, None, NOW))
    assert text.startswith("#信息不足: 售后类型、退款金额（见平台售后单）") and len(text) <= 80


# ------------------------------------------------------------ settings / now / language

def test_settings_range_with_header_row_moves_boundaries():
    headers, rows = sheet({**LOW, "物流更新时间": ago(13)})
    assert column(udfs.STALL_STATUS(rows, headers, None, NOW, "code")) == ["NORMAL"]
    settings = [["键", "项目", "值", "说明"], ["nudge_hours", "催件阈值(小时)", 12.0, "备注"],
                ["lost_hours", "丢件阈值(小时)", 13.0, None]]
    assert column(udfs.STALL_STATUS(rows, headers, settings, NOW, "code")) == ["LOST"]


def test_now_from_settings_range_when_omitted():
    headers, rows = sheet(LOW)
    settings = [["now", "基准时间", ahead(20)]]
    assert column(udfs.STALL_STATUS(rows, headers, settings, None, "code")) == ["LOST"]


def test_now_as_excel_serial():
    headers, rows = sheet(LOW)
    assert column(udfs.HOURS_LEFT(rows, headers, None, 45818.5)) == [10.0]


def test_english_labels():
    headers, rows = sheet(LOW, HIGH, REFUNDED)
    settings = [["language", "语言", "English", None]]
    assert column(udfs.REFUND_ACTION(rows, headers, settings, NOW)) == [
        "Low value: intercept, register, refund now", "Refund or reship, and claim from the courier", "Closed"]
    assert column(udfs.STALL_STATUS(rows, headers, settings, NOW)) == ["Nudge", "Treat as lost", "Nudge"]
    assert column(udfs.DEADLINE_STATUS(rows, headers, settings, NOW)) == ["Due soon", "OK", "Closed"]
    assert column(udfs.VALUE_TIER(rows, headers, settings, NOW)) == ["Low value", "High value", "Low value"]
    assert column(udfs.LOSS_RISK(rows, headers, settings, NOW)) == ["OK", "OK", "Money and goods both gone"]
    assert column(udfs.REFUND_ACTION(rows, headers, settings, NOW, "both"))[2] == "DONE｜Closed"


# ------------------------------------------------------------ REPLY_SCRIPT

def test_reply_script_fills_placeholders():
    headers, rows = sheet(LOW)
    (text,) = column(udfs.REPLY_SCRIPT(rows, headers, None, None, NOW))
    assert "顺丰" in text and "SF00123" in text
    assert "{" not in text and "【缺" not in text


def test_reply_script_flags_missing_placeholders():
    row = {**LOW, "物流单号": None}
    headers, rows = sheet(row)
    (text,) = column(udfs.REPLY_SCRIPT(rows, headers, None, None, NOW))
    assert "【缺:物流单号】" in text and "顺丰" in text


def test_reply_script_custom_templates_and_no_message_actions():
    templates = [["动作代码", "动作", "话术模板"],
                 ["INTERCEPT_REFUND_NOW", "低客单", "您好，订单{订单号}退款{退款金额}元，单号{物流单号}，{不存在}"]]
    closed = {**LOW, "售后状态": "已完结"}
    headers, rows = sheet(LOW, closed, NO_AMOUNT)
    out = column(udfs.REPLY_SCRIPT(rows, headers, templates, None, NOW))
    assert out[0] == "您好，订单0012345退款59元，单号SF00123，【缺:不存在】"
    assert out[1] == ""                              # DONE: no customer message
    assert out[2] == "#信息不足: 退款金额（见平台售后单）"


def test_reply_script_blank_rows_and_empty_range():
    headers, rows = sheet(LOW)
    blank = [None] * len(headers[0])
    out = column(udfs.REPLY_SCRIPT([blank, rows[0]], headers, None, None, NOW))
    assert out[0] == "" and out[1].startswith("亲")
    assert udfs.REPLY_SCRIPT(None, headers) == [[""]]


# ------------------------------------------------------------ xlwings decorators

@pytest.mark.parametrize("func", ALL_UDFS, ids=lambda f: f.__name__)
def test_decorated_functions_stay_callable_with_chinese_docstrings(func):
    assert callable(func)
    doc = inspect.getdoc(func)
    assert doc and re.search(r"[\u4e00-\u9fff]", doc)
    params = list(inspect.signature(func).parameters)
    assert params[:2] == ["rows", "headers"]
    assert all(inspect.signature(func).parameters[p].default is None for p in params[2:]
               if p not in ("show",))


def test_argument_docs_are_chinese():
    for text in (udfs._DOC_ROWS, udfs._DOC_HEADERS, udfs._DOC_SETTINGS, udfs._DOC_NOW, udfs._DOC_SHOW):
        assert re.search(r"[\u4e00-\u9fff]", text)


def test_module_exports_every_udf():
    assert set(udfs.__all__) == {f.__name__ for f in ALL_UDFS} | {"REFUND_TABLE"}  # tests/test_refund_table.py


# ------------------------------------------------------------ 列名映射 (columns)

def _own_headers(headers, rows):
    """The same sheet with a team's own, unknown headers for three columns."""
    own = {"订单号": "单号", "售后类型": "类型", "退款金额": "钱"}
    return [[own.get(h, h) for h in headers[0]]], rows


MAPPING = [["表头", "字段"], ["单号", "order_id"], ["类型", "售后类型"], ["钱", "amount"], [None, None]]


def test_unknown_headers_need_the_mapping_range(three):
    headers, rows = _own_headers(*three)
    assert column(udfs.REFUND_ACTION(rows, headers, None, NOW, "code")) == ["NEEDS_INFO", "NEEDS_INFO", "DONE"]
    assert column(udfs.REFUND_ACTION(rows, headers, None, NOW, "code", MAPPING)) == [
        "INTERCEPT_REFUND_NOW", "REFUND_OR_RESHIP_CLAIM", "DONE"]
    assert column(udfs.VALUE_TIER(rows, headers, None, NOW, "code", columns=MAPPING)) == ["LOW", "HIGH", "LOW"]
    assert column(udfs.REPLY_SCRIPT(rows, headers, None, None, NOW, MAPPING))[0].startswith("亲")


@pytest.mark.parametrize("func", ALL_UDFS, ids=lambda f: f.__name__)
def test_columns_and_values_are_the_last_optional_arguments(func, three):
    params = list(inspect.signature(func).parameters.values())
    assert [p.name for p in params[-2:]] == ["columns", "values"] and params[-1].default is None
    headers, rows = _own_headers(*three)
    standard_headers, _ = three
    assert func(rows, headers, columns=MAPPING) == func(rows, standard_headers)


@pytest.mark.parametrize("func", ALL_UDFS, ids=lambda f: f.__name__)
def test_mapping_with_unknown_field_is_a_message_in_every_cell(func, three):
    headers, rows = _own_headers(*three)
    bad = MAPPING[:3] + [["钱", "金额多少"]]
    out = column(func(rows, headers, columns=bad))
    assert len(out) == 3 and len(set(out)) == 1
    assert out[0].startswith("#列名映射第4行") and "金额多少" in out[0]


def test_english_bad_row_messages_are_english_too():
    settings = [["language", "语言", "English", None]]
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "超时时间"]
    rows = [["1", "仅退款", "abc", "未发货", "not a date"]]
    # 未发货: the decision reads the amount, not the deadline
    # 未发货: the decision reads the amount (a required field), not the deadline
    assert udfs.REFUND_ACTION(rows, [headers], settings, NOW) == [["#Missing: Amount「abc」"]]
    assert udfs.VALUE_TIER(rows, [headers], settings, NOW) == [["#Missing: Amount「abc」"]]
    assert udfs.DEADLINE_STATUS(rows, [headers], settings, NOW) == [["#Missing: Deadline「not a date」"]]
    # and Chinese by default
    assert udfs.REFUND_ACTION(rows, [headers], None, NOW) == [["#信息不足: 退款金额「abc」"]]


VALUES = [["字段", "原值", "标准值"], ["物流状态", "在路上了", "运输中"], ["拦截状态", "快递说拦不住", "拦截失败"]]


@pytest.mark.parametrize("func", ALL_UDFS, ids=lambda f: f.__name__)
def test_values_range_reads_a_teams_own_words_like_the_canonical_ones(func):
    headers = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流更新时间", "拦截状态", "快递公司", "物流单号"]
    own = [["A1", "仅退款", 899, "已发货", "在路上了", ago(30), "快递说拦不住", "中通", "ZT1"]]
    canonical = [["A1", "仅退款", 899, "已发货", "运输中", ago(30), "拦截失败", "中通", "ZT1"]]
    assert func(own, [headers], values=VALUES) == func(canonical, [headers])
