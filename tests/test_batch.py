"""The daily batch as pure functions: register, replies, overview, log, and merging."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from refund_xl._app import batch, track
from refund_xl._core import context, engine, rules
from refund_xl._core.settings import Settings, settings_table

from conftest import NOW, ago, ahead, evaluate_rows, table

# One case per interesting path.
LOW_TRANSIT = dict(订单号="A001", 售后单号="S001", 售后类型="仅退款", 退款金额=59, 发货状态="已发货", 快递公司="中通",
                   物流单号="ZT001", 物流状态="运输中", 物流更新时间=ago(2), 申请时间=ago(3))
HIGH_TRANSIT = dict(订单号="A002", 售后单号="S002", 售后类型="仅退款", 退款金额=899, 发货状态="已发货", 快递公司="圆通",
                    物流单号="YT002", 物流状态="运输中", 物流更新时间=ago(2), 申请时间=ago(3))
OFFLINE = dict(订单号="A003", 售后单号="S003", 售后类型="仅退款", 退款金额=120, 发货状态="线下已发货", 快递公司="中通",
               物流单号="ZT003", 申请时间=ago(40))
NOT_SHIPPED = dict(订单号="A004", 售后单号="S004", 售后类型="仅退款", 退款金额=30, 发货状态="未发货", 申请时间=ago(1))
LOST = dict(订单号="A005", 售后单号="S005", 售后类型="仅退款", 退款金额=45, 发货状态="已发货", 快递公司="韵达",
            物流单号="YD005", 物流状态="运输中", 物流更新时间=ago(60), 申请时间=ago(50), 收货省份="浙江")
RISK = dict(订单号="A006", 售后单号="S006", 售后类型="仅退款", 退款金额=88, 发货状态="已发货", 快递公司="中通",
            物流单号="ZT006", 物流状态="运输中", 物流更新时间=ago(5), 售后状态="已退款")
WAREHOUSE = dict(订单号="A007", 售后单号="S007", 售后类型="仅退款", 退款金额=66, 发货状态="已发货", 物流状态="未揽收")
NO_AMOUNT = dict(订单号="A008", 售后单号="S008", 售后类型="仅退款", 发货状态="未发货")

ALL = [LOW_TRANSIT, HIGH_TRANSIT, OFFLINE, NOT_SHIPPED, LOST, RISK, WAREHOUSE, NO_AMOUNT]


def run(rows, previous=None, now=NOW, settings=None, **kw):
    headers, cells = table(rows)
    return batch.run(cells, headers, settings, None, previous or {}, now, **kw)


def as_dicts(sheet):
    head = sheet[0]
    return [dict(zip(head, r)) for r in sheet[1:]]


def by_order(sheet):
    return {d["订单号"]: d for d in as_dicts(sheet)}


def test_register_has_exactly_the_interception_cases_with_their_handling():
    res = run(ALL)
    reg = res.sheets[batch.REGISTER]
    assert reg[0] == [c.zh for c in batch.REGISTER_COLS]
    rows = by_order(reg)
    assert set(rows) == {"A001", "A002", "A003"}
    assert rows["A001"]["处理方式"] == "登记后直接退款"
    assert rows["A002"]["处理方式"].startswith("标旗观察")
    assert rows["A003"]["处理方式"] == "登记拦截，失败请客户拒收"
    assert rows["A002"]["客单级别"] == "高客单" and rows["A001"]["客单级别"] == "低客单"
    assert rows["A001"]["登记时间"] == NOW
    assert rows["A001"]["核实时间"] == NOW + timedelta(hours=24)
    assert rows["A001"]["超时时间"] == ago(3) + timedelta(hours=120)   # 已发货仅退款: timeout_shipped_hours
    assert rows["A001"]["拦截状态"] == "未拦截" and rows["A001"]["跟进备注"] is None
    assert rows["A001"]["登记状态"] == "跟进中"
    assert res.new_registered == 3
    # grouped by courier: 中通 rows together, sorted by carrier
    carriers = [r["快递公司"] for r in as_dicts(reg)]
    assert carriers == sorted(carriers)


def test_check_time_follows_the_setting():
    s = settings_table(Settings())
    s = [r if r[0] != "intercept_check_hours" else [r[0], r[1], 6, r[3]] for r in s]
    rows = by_order(run([HIGH_TRANSIT], settings=s).sheets[batch.REGISTER])
    assert rows["A002"]["核实时间"] == NOW + timedelta(hours=6)
    log = run([HIGH_TRANSIT], settings=s).sheets[batch.LOG]
    assert "拦截核实(小时)=6" in log[1][7]


def test_courier_list_carries_only_what_the_courier_needs():
    rows = [dict(r, 收货地址="广东省深圳市南山区幸福路8号", 手机号="13800138000") for r in ALL]
    res = run(rows)
    sheet = res.sheets[batch.COURIER_LIST]
    flat = [str(v) for row in sheet for v in row if v is not None]
    assert not any("13800138000" in v or "幸福路" in v for v in flat)
    heads = [row for row in sheet if row and row[0] == "快递公司"]
    assert heads and all(h == ["快递公司", "物流单号", "订单号", "拦截原因"] for h in heads)
    lines = [row for row in sheet if len(row) == 4 and row[0] != "快递公司"]
    assert sorted(r[1] for r in lines) == ["YT002", "ZT001", "ZT003"]
    titles = [row[0] for row in sheet if row and isinstance(row[0], str) and row[0].startswith("【")]
    assert titles == ["【中通】共 2 单", "【圆通】共 1 单"]  # sorted by carrier name


def test_rerun_keeps_staff_cells_appends_new_cases_and_logs_each_run():
    first = run([LOW_TRANSIT, HIGH_TRANSIT], now=NOW)
    reg = [list(r) for r in first.sheets[batch.REGISTER]]
    head = list(reg[0])
    # staff: fill the interception state and a note, add a column of their own
    reg[0].append("客服")
    for r in reg[1:]:
        r[head.index("拦截状态")] = "拦截中"
        r[head.index("跟进备注")] = f"已联系 {r[head.index('订单号')]}"
        r.append("小王")
    previous = dict(first.sheets, **{batch.REGISTER: reg})
    second = run([LOW_TRANSIT, HIGH_TRANSIT, OFFLINE], previous, now=NOW + timedelta(days=1))
    out = second.sheets[batch.REGISTER]
    assert out[0][:len(head) + 1] == head + ["客服"]
    orders = [d["订单号"] for d in as_dicts(out)]
    assert orders == [r[1] for r in reg[1:]] + ["A003"]  # old rows in place, new one appended
    assert len(orders) == len(set(orders))
    rows = by_order(out)
    for o in ("A001", "A002"):
        assert rows[o]["拦截状态"] == "拦截中"
        assert rows[o]["跟进备注"] == f"已联系 {o}"
        assert rows[o]["客服"] == "小王"
        assert rows[o]["登记时间"] == NOW  # first registration kept
    assert rows["A003"]["登记时间"] == NOW + timedelta(days=1)
    assert second.new_registered == 1
    log = second.sheets[batch.LOG]
    assert len(log) == 3 and log[1][3] == 2 and log[2][3] == 1
    # and once more on the same day: nothing new, nothing doubled
    third = run([LOW_TRANSIT, HIGH_TRANSIT, OFFLINE], second.sheets, now=NOW + timedelta(days=1))
    assert third.sheets[batch.REGISTER] == second.sheets[batch.REGISTER][:1] + second.sheets[batch.REGISTER][1:]
    assert third.new_registered == 0
    assert len(third.sheets[batch.LOG]) == 4


def test_courier_list_skips_cases_staff_already_sent_to_the_courier():
    first = run([LOW_TRANSIT, OFFLINE])
    reg = [list(r) for r in first.sheets[batch.REGISTER]]
    col = reg[0].index("拦截状态")
    for r in reg[1:]:
        if r[1] == "A001":
            r[col] = "拦截中"
    second = run([LOW_TRANSIT, OFFLINE], {batch.REGISTER: reg})
    numbers = {v for row in second.sheets[batch.COURIER_LIST] for v in row}
    assert "ZT003" in numbers and "ZT001" not in numbers
    assert second.to_courier == 1


def test_closed_or_vanished_cases_are_marked_not_removed():
    first = run([LOW_TRANSIT, HIGH_TRANSIT])
    closed = dict(LOW_TRANSIT, 售后状态="已完结")
    second = run([closed], first.sheets)
    rows = by_order(second.sheets[batch.REGISTER])
    assert set(rows) == {"A001", "A002"}
    assert rows["A001"]["登记状态"] == "已完结" and rows["A001"]["当前动作"] == "已完结"
    assert rows["A002"]["登记状态"] == "售后表中已无此单"
    replies = by_order(second.sheets[batch.REPLIES])
    assert replies["A001"]["状态"] == "已完结" and replies["A002"]["状态"] == "售后表中已无此单"


def test_keys_match_across_number_and_text_cells():
    first = run([dict(LOW_TRANSIT, 订单号="0012345")])
    reg = [list(r) for r in first.sheets[batch.REGISTER]]
    reg[1][2] = 1.0 * int(reg[1][2][1:]) if reg[1][2].isdigit() else reg[1][2]
    second = run([dict(LOW_TRANSIT, 订单号="0012345")], {batch.REGISTER: reg})
    assert len(second.sheets[batch.REGISTER]) == 2


def test_replies_one_per_open_case_needing_a_message_and_missing_fields_flagged():
    no_tracking = dict(LOW_TRANSIT, 订单号="A009", 售后单号="S009", 物流单号=None)
    res = run(ALL + [no_tracking])
    rows = by_order(res.sheets[batch.REPLIES])
    # DONE (A006), NEEDS_INFO (A008) and CHECK_WAREHOUSE (A007) need no customer message
    assert set(rows) == {"A001", "A002", "A003", "A004", "A005", "A009"}
    assert rows["A004"]["动作代码"] == "APPROVE_REFUND"
    assert "A004" in rows["A004"]["回复话术"] and "30" in rows["A004"]["回复话术"]
    assert rows["A009"]["缺少字段"] == "物流单号"
    assert "【缺:物流单号】" in rows["A009"]["回复话术"]
    assert rows["A001"]["缺少字段"] is None
    assert rows["A001"]["状态"] == "待发送" and rows["A001"]["是否已发送"] is None
    assert res.replies == 6


def test_reply_sent_mark_survives_and_a_changed_action_asks_to_send_again():
    first = run([HIGH_TRANSIT])
    rep = [list(r) for r in first.sheets[batch.REPLIES]]
    sent = rep[0].index("是否已发送")
    rep[1][sent] = "是"
    same = run([HIGH_TRANSIT], {batch.REPLIES: rep})
    row = by_order(same.sheets[batch.REPLIES])["A002"]
    assert row["是否已发送"] == "是" and row["状态"] == "已发送"
    # the interception was started yesterday: now the result must be checked (another message)
    moved = dict(HIGH_TRANSIT, 拦截状态="拦截中", 拦截时间=ago(30))
    changed = run([moved], same.sheets)
    out = changed.sheets[batch.REPLIES]
    assert len(out) == 2
    row = by_order(out)["A002"]
    assert row["动作代码"] == "CHECK_INTERCEPT_RESULT"
    assert row["是否已发送"] == "是"  # staff cell untouched
    assert row["状态"].startswith("动作已变更")
    # staff sends the new reply and changes the mark: the row reads as sent again
    rep = [list(r) for r in out]
    rep[1][sent] = "是（6/11 已发新话术）"
    again = by_order(run([moved], {batch.REPLIES: rep}).sheets[batch.REPLIES])["A002"]
    assert again["状态"] == "已发送"


def test_unsent_reply_text_follows_the_tracking_sheet():
    first = run([dict(LOW_TRANSIT, 物流单号=None)])
    assert "【缺:物流单号】" in by_order(first.sheets[batch.REPLIES])["A001"]["回复话术"]
    second = by_order(run([LOW_TRANSIT], first.sheets).sheets[batch.REPLIES])["A001"]
    assert "ZT001" in second["回复话术"] and second["缺少字段"] is None


def test_overview_counts_deadlines_claims_and_risks():
    late = dict(NOT_SHIPPED, 订单号="A010", 售后单号="S010", 超时时间=ago(1))
    soon = dict(NOT_SHIPPED, 订单号="A011", 售后单号="S011", 超时时间=ahead(3))
    res = run(ALL + [late, soon])
    headers, cells = table(ALL + [late, soon])
    expected = Counter(r.action_code for r in engine.evaluate(cells, headers, None, NOW))
    sheet = res.sheets[batch.OVERVIEW]
    c = res.chart
    counts = {sheet[i - 1][0]: sheet[i - 1][2] for i in range(c.first_row, c.last_row + 1)}
    assert counts == dict(expected)
    assert sheet[c.header_row - 1] == ["动作代码", "处理动作", "数量"]
    title = next(i for i, row in enumerate(sheet) if str(row[0]).startswith("逾期与即将超时"))
    results = engine.evaluate(cells, headers, None, NOW)
    due = {r.case.order_id: r.deadline_code for r in results
           if r.action_code != "DONE" and r.deadline_code in ("OVERDUE", "WARN")}
    assert "A010" in due and "A011" in due
    assert sheet[title][0].endswith(f"（{len(due)}）")
    listed = [row[0] for row in sheet[title + 2:title + 2 + len(due)]]
    assert set(listed) == set(due) and listed[0] in ("A005", "A010")  # most overdue first
    assert res.overdue == sum(v == "OVERDUE" for v in due.values())
    claims = next(i for i, row in enumerate(sheet) if row and str(row[0]).startswith("理赔清单"))
    assert sheet[claims + 2][:4] == ["A005", "S005", "韵达", "YD005"]
    risk = next(i for i, row in enumerate(sheet) if row and str(row[0]).startswith("钱货两空风险（"))
    assert sheet[risk][0].endswith("（1）") and sheet[risk + 2][0] == "A006"
    assert res.risk == 1 and res.claims == 1


def test_log_line_names_the_settings_and_counts():
    res = run(ALL)
    head, line = res.sheets[batch.LOG]
    assert head[:8] == ["运行时间", "基准时间", "售后单数", "新增登记数", "话术数", "逾期数", "风险数", "设置"]
    d = dict(zip(head, line))
    assert d["售后单数"] == 8 and d["新增登记数"] == 3 and d["风险数"] == 1
    assert d["设置"].startswith("高客单金额阈值(元)=200；催件阈值(小时)=24；")
    assert d["运行内容"] == "每日批处理"


def test_single_buttons_write_only_their_sheets():
    reg = run(ALL, part="register")
    # every run also says how it read the sheet (读取报告)
    assert set(reg.sheets) == {batch.REGISTER, batch.COURIER_LIST, batch.LOG, batch.READING}
    rep = run(ALL, part="replies")
    assert set(rep.sheets) == {batch.REPLIES, batch.LOG, batch.READING}
    assert rep.sheets[batch.LOG][1][3] is None  # no registration in this run


def test_english_headers_and_merge_across_languages():
    en = [r if r[0] != "language" else [r[0], r[1], "English", r[3]] for r in settings_table()]
    first = run([LOW_TRANSIT], settings=en)
    assert first.sheets[batch.REGISTER][0][:3] == ["Registered at", "Order ID", "Case ID"]
    assert first.sheets[batch.OVERVIEW][0][0] == "Today's overview"
    # switching back to 中文 keeps the same columns (found by either name), no duplicates
    second = run([LOW_TRANSIT], first.sheets)
    assert len(second.sheets[batch.REGISTER]) == 2
    assert second.sheets[batch.REGISTER][0] == first.sheets[batch.REGISTER][0]


def test_staff_moved_columns_and_a_title_row_are_respected():
    first = run([LOW_TRANSIT])
    reg = [list(r) for r in first.sheets[batch.REGISTER]]
    # staff put a title above and moved 跟进备注 first
    note = reg[0].index("跟进备注")
    reg = [[r[note]] + r[:note] + r[note + 1:] for r in reg]
    reg[1][0] = "催过一次"
    reg.insert(0, ["6月拦截登记"])
    out = run([LOW_TRANSIT, OFFLINE], {batch.REGISTER: reg}).sheets[batch.REGISTER]
    assert out[0] == ["6月拦截登记"]
    assert out[1][0] == "跟进备注"
    assert out[2][0] == "催过一次"
    assert [r[out[1].index("订单号")] for r in out[2:]] == ["A001", "A003"]


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"x\")", "+1", "-1+2", "@SUM(A1)"])
def test_batch_hands_customer_text_through_unchanged(text):
    # the pure layer keeps the text; the hosts make it inert (tested there)
    res = run([dict(LOW_TRANSIT, 快递公司=text)])
    assert by_order(res.sheets[batch.REGISTER])["A001"]["快递公司"] == text


def test_every_interception_action_has_a_method_and_a_flag():
    assert set(batch.METHODS) == set(rules.INTERCEPT_ACTIONS) == set(batch.FLAGS)


def test_claims_list_has_open_cases_only():
    refunded = dict(LOST, 订单号="A101", 售后单号="S101", 售后状态="已退款")   # left the queue …
    finished = dict(LOST, 订单号="A102", 售后单号="S102", 售后状态="已完结")
    withdrawn = dict(LOST, 订单号="A103", 售后单号="S103", 售后状态="已关闭")
    res = run([LOST, refunded, finished, withdrawn])
    assert res.claims == 1
    overview = res.sheets[batch.OVERVIEW]
    _, claims, _ = _overview_dicts(overview, "理赔清单")
    assert [d["订单号"] for d in claims] == ["A005"]
    _, risks, _ = _overview_dicts(overview, "钱货两空风险（")
    assert [d["订单号"] for d in risks] == ["A101"]                    # … but still in sight as a loss risk


# ------------------------------------------------------------ 今日概览 stays a page

def _overview_dicts(sheet, title_start):
    at = next(i for i, row in enumerate(sheet) if row and str(row[0]).startswith(title_start))
    head = sheet[at + 1]
    out = []
    for row in sheet[at + 2:]:
        if not row or row[0] is None or len(row) < 2:
            break
        out.append(dict(zip(head, row)))
    return sheet[at], out, sheet[at + 2 + len(out):at + 5 + len(out)]


def test_overview_lists_only_the_last_overview_days_and_counts_older_ones():
    old_lost = dict(LOST, 订单号="A201", 售后单号="S201", 申请时间=ago(24 * 40), 物流更新时间=ago(24 * 39))
    old_risk = dict(RISK, 订单号="A202", 售后单号="S202", 申请时间=ago(24 * 45))
    res = run(ALL + [old_lost, old_risk])
    title, claims, after = _overview_dicts(res.sheets[batch.OVERVIEW], "理赔清单")
    assert title[0].endswith("（2）") and [d["订单号"] for d in claims] == ["A005"]
    assert ["另有 1 单申请于 30 天前，未列出"] in after
    title, risks, after = _overview_dicts(res.sheets[batch.OVERVIEW], "钱货两空风险（")
    assert [d["订单号"] for d in risks] == ["A006"]          # RISK has no 申请时间: age unknown, listed
    assert title[0].endswith("（2）") and ["另有 1 单申请于 30 天前，未列出"] in after
    # a wider window lists them
    wide = run(ALL + [old_lost, old_risk], settings=[["overview_days", "", 60]])
    _, claims, _ = _overview_dicts(wide.sheets[batch.OVERVIEW], "理赔清单")
    assert {d["订单号"] for d in claims} == {"A005", "A201"}


def test_overview_counts_sit_in_their_own_cells_beside_their_labels():
    res = run(ALL)
    sheet = res.sheets[batch.OVERVIEW]
    pairs = {row[0]: row[1] for row in sheet[3:10]}
    assert pairs == {"售后单": res.cases, "未完结": sum(r != "DONE" for r in res.counts.elements()),
                     "已超时（未完结）": res.overdue, "即将超时（未完结）": res.warn, "待理赔": res.claims,
                     "钱货两空风险": res.risk, "信息不足": res.needs_info}
    assert all(len(row) <= 2 or row[2] is None for row in sheet[3:10])    # no "95 未完结 83"
    assert res.wrap_cols[batch.OVERVIEW] >= {5, 6}
    _, claims, _ = _overview_dicts(sheet, "理赔清单")
    head = list(claims[0])
    assert head.index("理赔原因") in res.wrap_cols[batch.OVERVIEW]
    assert head.index("处理动作") in res.wrap_cols[batch.OVERVIEW]


def test_a_years_sheet_gives_a_short_overview():
    from benchmarks import synth

    rows = synth.make_rows(20_000, seed=11, year=True)           # a year, at a fifth of the density
    res = batch.run(rows, synth.HEADERS, None, None, {}, synth.NOW)
    sheet = res.sheets[batch.OVERVIEW]
    cutoff = synth.NOW - timedelta(days=30)
    listed = 0
    for title in ("逾期与即将超时", "理赔清单", "钱货两空风险（", "信息不足（"):
        head, lines, _after = _overview_dicts(sheet, title)
        listed += len(lines)
        assert len(lines) <= batch.OVERVIEW_LIST_CAP
        for d in lines:
            applied = d.get("申请时间")
            assert applied is None or applied >= cutoff or not isinstance(applied, type(cutoff)), d
    assert res.risk > 1000 and res.claims > 100           # a year has many of both …
    assert len(sheet) < 1000 and listed < 900             # … the page lists the last month's


# ------------------------------------------------------------ 拦截登记 feeds the next run (contract §6)

def _typed_in_register(sheets, order, word):
    reg = [list(r) for r in sheets[batch.REGISTER]]
    head = reg[0]
    for row in reg[1:]:
        if row[head.index("订单号")] == order:
            row[head.index("拦截状态")] = word
    return {**sheets, batch.REGISTER: reg}


@pytest.mark.parametrize("word, code", [("拦截成功", "APPROVE_REFUND"), ("拦截失败", "ASK_REFUSE_DELIVERY"),
                                        ("拦截结果：失败", "ASK_REFUSE_DELIVERY")])
def test_a_result_typed_in_the_register_is_what_the_next_run_decides_on(word, code):
    first = run([LOW_TRANSIT, HIGH_TRANSIT])
    previous = _typed_in_register(first.sheets, "A002", word)
    second = run([LOW_TRANSIT, HIGH_TRANSIT], previous)
    assert second.counts[code] == 1 and second.counts["INTERCEPT_AND_WATCH"] == 0
    assert second.intercept_fed == {1: "拦截成功" if code == "APPROVE_REFUND" else "拦截失败"}
    reg = by_order(second.sheets[batch.REGISTER])
    assert reg["A002"]["拦截状态"] == word                       # the staff cell stays as typed
    assert reg["A002"]["当前动作"] == rules.label(code)


def test_the_tracking_sheets_own_intercept_wins_over_the_register():
    first = run([HIGH_TRANSIT])
    previous = _typed_in_register(first.sheets, "A002", "拦截成功")
    own = dict(HIGH_TRANSIT, 拦截状态="拦截失败")
    second = run([own], previous)
    assert second.intercept_fed == {} and second.counts == Counter({"ASK_REFUSE_DELIVERY": 1})
    # an empty cell of the column is filled from the register, for this run's decision
    third = run([dict(HIGH_TRANSIT, 拦截状态=None), LOW_TRANSIT], previous)
    assert third.intercept_fed == {0: "拦截成功"} and third.counts["APPROVE_REFUND"] == 1


@pytest.mark.parametrize("word", ["未拦截", "", "待拦截", "未发起"])
def test_a_register_word_that_says_nothing_is_not_taken(word):
    first = run([HIGH_TRANSIT])
    second = run([HIGH_TRANSIT], _typed_in_register(first.sheets, "A002", word))
    assert second.intercept_fed == {} and second.counts == Counter({"INTERCEPT_AND_WATCH": 1})


def test_register_feed_matches_the_case_by_order_and_case_number():
    first = run([HIGH_TRANSIT])
    previous = _typed_in_register(first.sheets, "A002", "拦截成功")
    other_case = dict(HIGH_TRANSIT, 售后单号="S999")          # same order, a different after-sales case
    second = run([other_case], previous)
    assert second.intercept_fed == {} and second.counts == Counter({"INTERCEPT_AND_WATCH": 1})


def test_overview_lists_are_capped_with_the_rest_counted(monkeypatch):
    monkeypatch.setattr(batch.sheets, "OVERVIEW_LIST_CAP", 2)
    rows = [dict(NO_AMOUNT, 订单号=f"B{i:03d}", 售后单号=f"T{i:03d}", 申请时间=ago(i)) for i in range(1, 6)]
    res = run(rows)
    title, lines, after = _overview_dicts(res.sheets[batch.OVERVIEW], "信息不足（")
    assert title[0].endswith("（5）") and [d["订单号"] for d in lines] == ["B001", "B002"]   # the most recent
    assert ["只列出最近申请的 2 单，另有 3 单未列出（在售后登记中筛选）"] in after


# ------------------------------------------------------------ a cell the product wrote is not a cell staff typed

_RESULTS = ("拦截中", "拦截成功", "拦截失败")
_CASES = {"low": LOW_TRANSIT, "high": HIGH_TRANSIT, "offline": OFFLINE}


def _host_fills(rows, result):
    """The tracking rows after the host wrote the run's 拦截状态 cells (book.run_batch)."""
    return [dict(r, 拦截状态=result.intercept_fed[i]) if i in result.intercept_fed else r for i, r in enumerate(rows)]


def _expected(row, word):
    return evaluate_rows([dict(row, 拦截状态=word)])[0].action_code


def _log_detail(sheet):
    return dict(zip(sheet[0], sheet[-1])).get("说明") or ""


@pytest.mark.parametrize("kind", sorted(_CASES))
@pytest.mark.parametrize("first_word, then", [(a, b) for a in _RESULTS for b in _RESULTS if a != b])
def test_a_newer_register_word_updates_the_cell_the_product_filled(kind, first_word, then):
    rows = [dict(_CASES[kind], 拦截状态=None)]
    order = rows[0]["订单号"]
    one = run(rows)
    two = run(rows, _typed_in_register(one.sheets, order, first_word))
    rows = _host_fills(rows, two)
    assert rows[0]["拦截状态"] == first_word
    three = run(rows, _typed_in_register(two.sheets, order, then))
    assert three.counts == Counter({_expected(rows[0], then): 1})
    assert three.intercept_fed == {0: then}                            # the host updates its own cell
    assert by_order(two.sheets[batch.REGISTER])[order]["已回填售后表"] == first_word
    reg = by_order(three.sheets[batch.REGISTER])[order]
    assert reg["已回填售后表"] == then and reg["拦截状态"] == then
    assert f"由「{first_word}」改为「{then}」" in reg["拦截状态核对"]
    assert order in _log_detail(three.sheets[batch.LOG]) and then in _log_detail(three.sheets[batch.LOG])
    again = run(_host_fills(rows, three), three.sheets)                # nothing typed since: nothing to do
    assert again.intercept_fed == {} and again.counts == three.counts
    assert by_order(again.sheets[batch.REGISTER])[order]["拦截状态核对"] is None


@pytest.mark.parametrize("kind", sorted(_CASES))
@pytest.mark.parametrize("copied, typed, register", [("拦截中", "拦截失败", "拦截成功"), ("拦截中", "拦截成功", "拦截失败"),
                                                     ("拦截失败", "拦截中", "拦截成功")])
def test_a_cell_staff_typed_over_the_copy_wins_and_the_disagreement_is_said(kind, copied, typed, register):
    rows = [dict(_CASES[kind], 拦截状态=None)]
    order = rows[0]["订单号"]
    one = run(rows)
    two = run(rows, _typed_in_register(one.sheets, order, copied))
    rows = [dict(r, 拦截状态=typed) for r in _host_fills(rows, two)]     # staff type over the product's word
    three = run(rows, _typed_in_register(two.sheets, order, register))
    assert three.intercept_fed == {} and three.counts == Counter({_expected(rows[0], typed): 1})
    reg = by_order(three.sheets[batch.REGISTER])[order]
    assert reg["已回填售后表"] is None                                  # the cell is staff's from now on
    assert f"售后表拦截状态为「{typed}」" in reg["拦截状态核对"] and f"本行为「{register}」" in reg["拦截状态核对"]
    assert order in _log_detail(three.sheets[batch.LOG]) and "不一致" in _log_detail(three.sheets[batch.LOG])
    # staff later type the register's word back in the tracking cell by hand: still theirs
    four = run([dict(r, 拦截状态=copied) for r in rows], three.sheets)
    assert four.intercept_fed == {} and four.counts == Counter({_expected(rows[0], copied): 1})


@pytest.mark.parametrize("prefilled", ["未拦截", "待拦截", "未发起"])
@pytest.mark.parametrize("register", ["拦截成功", "拦截中"])
def test_a_filled_tracking_cell_beside_another_register_word_is_reported_never_silent(prefilled, register):
    rows = [dict(HIGH_TRANSIT, 拦截状态=prefilled)]
    one = run(rows)
    two = run(rows, _typed_in_register(one.sheets, "A002", register))
    assert two.intercept_fed == {} and two.counts == Counter({_expected(rows[0], prefilled): 1})   # filled wins
    note = by_order(two.sheets[batch.REGISTER])["A002"]["拦截状态核对"]
    assert f"「{prefilled}」" in note and f"「{register}」" in note and "按售后表判定" in note
    assert "A002" in _log_detail(two.sheets[batch.LOG])
    assert len(two.sheets[batch.LOG]) == len(one.sheets[batch.LOG]) + 1    # on the run's own line


UNREAD = ["快递说明天给结果", "问问快递再说", "拦截？", "已申请拦截待回复吧", "拦截中或失败"]


@pytest.mark.parametrize("kind", sorted(_CASES))
@pytest.mark.parametrize("word", UNREAD)
def test_an_unreadable_register_word_makes_the_case_ask_naming_it(kind, word):
    rows = [dict(_CASES[kind], 拦截状态=None)]
    order = rows[0]["订单号"]
    assert _expected(rows[0], word) == "NEEDS_INFO"                    # as in the tracking sheet's own cell
    one = run(rows)
    two = run(rows, _typed_in_register(one.sheets, order, word))
    assert two.counts == Counter({"NEEDS_INFO": 1})
    reg = by_order(two.sheets[batch.REGISTER])[order]
    assert f"拦截状态「{word}」" in reg["当前动作"]                      # named and quoted, as the tracking cell is
    assert f"「{word}」认不出" in reg["拦截状态核对"]
    assert order in _log_detail(two.sheets[batch.LOG]) and word in _log_detail(two.sheets[batch.LOG])
    assert two.intercept_fed == {0: word}                              # copied as typed: the formulas agree
    fixed = run(_host_fills(rows, two), _typed_in_register(two.sheets, order, "拦截失败"))
    assert fixed.intercept_fed == {0: "拦截失败"} and fixed.counts == Counter({_expected(rows[0], "拦截失败"): 1})


def test_a_run_that_does_not_write_the_tracking_sheet_remembers_no_copy():
    rows = [dict(LOW_TRANSIT, 拦截状态=None)]
    one = run(rows)
    headers, cells = table(rows)
    two = batch.run_table(cells, headers, context.build(now=NOW), _typed_in_register(one.sheets, "A001", "拦截中"),
                          fills=False)
    assert two.intercept_fed == {0: "拦截中"}
    assert by_order(two.sheets[batch.REGISTER])["A001"]["已回填售后表"] is None
    replies_only = run(rows, _typed_in_register(one.sheets, "A001", "拦截中"), part="replies")
    assert replies_only.counts == Counter({"INTERCEPT_REFUND_NOW": 1}) and batch.REGISTER not in replies_only.sheets


# ------------------------------------------------------------ 快递拦截清单: one list per courier

@pytest.mark.parametrize("code", sorted(c for c, names in track.CARRIERS.items() if len(names) > 1))
def test_the_courier_list_has_one_group_per_courier_however_it_is_written(code):
    names = track.CARRIERS[code]
    rows = [dict(LOW_TRANSIT, 订单号=f"A{i:03d}", 售后单号=f"S{i:03d}", 物流单号=f"N{i:03d}", 快递公司=name)
            for i, name in enumerate([names[0], names[0], *names[1:]])]
    sheet = run(rows).sheets[batch.COURIER_LIST]
    titles = [r[0] for r in sheet if r and isinstance(r[0], str) and r[0].startswith("【")]
    assert titles == [f"【{names[0]}】共 {len(rows)} 单"]               # titled by the name written most
    listed = [r[0] for r in sheet if r and len(r) == 4 and r[0] in names]
    assert sorted(listed) == sorted(r["快递公司"] for r in rows)        # each line as the desk wrote it


def test_different_couriers_stay_apart_in_the_courier_list():
    rows = [dict(LOW_TRANSIT, 订单号="A1", 物流单号="N1", 快递公司="中通快递"),
            dict(LOW_TRANSIT, 订单号="A2", 物流单号="N2", 快递公司="申通快递"),
            dict(LOW_TRANSIT, 订单号="A3", 物流单号="N3", 快递公司="某某物流"),
            dict(LOW_TRANSIT, 订单号="A4", 物流单号="N4", 快递公司="某某")]
    sheet = run(rows).sheets[batch.COURIER_LIST]
    titles = sorted(r[0] for r in sheet if r and isinstance(r[0], str) and r[0].startswith("【"))
    assert titles == sorted(["【中通快递】共 1 单", "【申通快递】共 1 单", "【某某】共 2 单"])
