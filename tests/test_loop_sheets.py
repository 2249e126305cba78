"""理赔登记 and 钱货两空核查 (issue 23, contract §6 "Closing the loop"): kept across runs like 拦截登记.

Driven through the one batch both hosts run (``book.run_batch``) on an in-memory book, so
what is checked is what the ribbon and ``refund-xl batch`` write.  Expectations come from
the rule of the contract (a claim's deadline is the last movement + ``claim_days``; a case
at risk is listed until its goods are back), not from the code's own helpers.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from refund_xl._app import batch
from refund_xl._app.archive import RISK_SHEET
from refund_xl._app.batch import AUDIT, CLAIMS, LOG
from refund_xl._app.book import run_batch
from refund_xl._app.memory import MemoryBook, MemoryShelf
from refund_xl._core import context

NOW = datetime(2025, 6, 10, 12, 0)
H = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间",
     "收货省份", "快递核实", "拦截状态", "退货物流状态", "售后状态"]


def row(order, *, kind="仅退款", ship="已发货", logi="运输中", update=None, state="处理中", check=None,
        intercept=None, ret=None, amount=88.0, applied=None, province="浙江"):
    return [order, f"S{order}", applied or NOW - timedelta(days=3), kind, amount, ship, "中通", f"ZT{order}", logi,
            update, province, check, intercept, ret, state]


def ctx(now=NOW, **settings_):
    table = [["键", "项目", "值"]] + [[k, k, v] for k, v in settings_.items()]
    return context.build({"设置": table} if settings_ else {}, now=now)


def run(book, now=NOW, shelf=None, **settings_):
    return run_batch(book, ctx(now, **settings_), run_at=now, shelf=shelf)


def table(book, name):
    rows = book.sheets[name]
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v not in (None, "") for v in r)]


# ------------------------------------------------------------------ 理赔登记

@settings(max_examples=40, deadline=None)
@given(st.floats(48.5, 2000), st.integers(1, 90))
def test_every_stalled_parcel_is_registered_with_its_deadline(stalled_hours, claim_days):
    last = NOW - timedelta(hours=stalled_hours)
    book = MemoryBook({"售后登记": [H, row("A1", update=last), row("A2", update=NOW - timedelta(hours=5))]})
    run(book, claim_days=claim_days)
    (claim,) = table(book, CLAIMS)
    assert claim["订单号"] == "A1"
    assert claim["理赔截止"] == last + timedelta(days=claim_days)
    assert abs(claim["停滞小时"] - stalled_hours) < 0.06
    assert claim["最后物流时间"] == last
    assert claim["登记状态"] == ("已过理赔截止" if last + timedelta(days=claim_days) < NOW else "待理赔")
    assert claim["快递公司"] == "中通" and claim["物流单号"] == "ZTA1" and claim["退款金额"] == 88.0


def test_a_lost_parcel_without_a_last_movement_says_so_instead_of_a_date():
    book = MemoryBook({"售后登记": [H, row("L1", logi="丢件"), row("L2", logi="已签收", check="丢件",
                                                                 update=NOW - timedelta(days=2))]})
    run(book)
    claims = {c["订单号"]: c for c in table(book, CLAIMS)}
    assert set(claims) == {"L1", "L2"}
    assert isinstance(claims["L1"]["理赔截止"], str) and "物流更新时间" in claims["L1"]["理赔截止"]
    assert claims["L1"]["停滞小时"] is None
    assert claims["L2"]["理赔截止"] == NOW - timedelta(days=2) + timedelta(days=30)


def test_staff_columns_are_kept_new_claims_appended_nothing_deleted():
    book = MemoryBook({"售后登记": [H, row("A1", update=NOW - timedelta(hours=60))]})
    run(book)
    rows = book.sheets[CLAIMS]
    head = rows[0]
    rows[1][head.index("理赔状态")] = "已提交"
    rows[1][head.index("理赔金额")] = 80
    rows[1][head.index("跟进备注")] = "快递说三天内回复"
    rows[0].append("组长")  # a column of the desk's own
    rows[1].append("小王")
    later = NOW + timedelta(days=1)
    book.sheets["售后登记"] = [H, row("A1", update=NOW - timedelta(hours=60), state="已退款"),
                             row("B2", update=later - timedelta(hours=80))]
    run(book, now=later)
    claims = table(book, CLAIMS)
    assert [c["订单号"] for c in claims] == ["A1", "B2"]
    a1 = claims[0]
    assert (a1["理赔状态"], a1["理赔金额"], a1["跟进备注"], a1["组长"]) == ("已提交", 80, "快递说三天内回复", "小王")
    assert a1["登记状态"] == "理赔跟进中" and a1["当前动作"] == "已完结"
    assert claims[1]["登记状态"] == "待理赔"


def test_a_claim_past_its_deadline_and_a_parcel_that_moved_again_are_said():
    book = MemoryBook({"售后登记": [H, row("A1", update=NOW - timedelta(hours=60)),
                                    row("B2", update=NOW - timedelta(hours=60))]})
    run(book, claim_days=30)
    later = NOW + timedelta(days=31)
    book.sheets["售后登记"] = [H, row("A1", update=NOW - timedelta(hours=60)),
                             row("B2", logi="派送中", update=later - timedelta(hours=2))]
    run(book, now=later, claim_days=30)
    states = {c["订单号"]: c["登记状态"] for c in table(book, CLAIMS)}
    assert states == {"A1": "已过理赔截止", "B2": "包裹又有动静，可能无需理赔"}
    book.sheets["售后登记"] = [H]
    run(book, now=later)
    assert {c["登记状态"] for c in table(book, CLAIMS)} == {"售后表中已无此单"}


def test_the_register_is_the_same_when_run_twice():
    book = MemoryBook({"售后登记": [H, row("A1", update=NOW - timedelta(hours=60)), row("L1", logi="丢件")]})
    run(book)
    first = [list(r) for r in book.sheets[CLAIMS]]
    run(book)
    assert book.sheets[CLAIMS] == first


# ------------------------------------------------------------------ 钱货两空核查

def test_refunded_cases_whose_goods_are_not_back_are_listed_with_why_and_what_clears_them():
    rows = [
        row("R1", state="已退款", applied=NOW - timedelta(days=4, hours=6)),                 # parcel still travelling
        row("R2", kind="退货退款", state="已退款", ret="运输中"),                              # return not signed yet
        row("OK1", state="已退款", intercept="拦截成功"),                                     # intercepted: back
        row("OK2", kind="退货退款", state="已退款", ret="已签收"),                             # return signed for
        row("OK3", state="处理中"),                                                           # not refunded
        row("U1", state="退款关闭?"),                                                         # unreadable: cautious
    ]
    book = MemoryBook({"售后登记": [H, *rows]})
    run(book)
    listed = {c["订单号"]: c for c in table(book, AUDIT)}
    assert set(listed) == {"R1", "R2", "U1"}
    assert listed["R1"]["所在"] == "售后登记"
    assert listed["R1"]["已申请天数"] == 4.2
    assert "拦截成功" in listed["R1"]["如何解除"] and "拒收" in listed["R1"]["如何解除"]
    assert "运输中" in listed["R1"]["风险原因"]
    assert "退货已签收" in listed["R2"]["如何解除"] and "运输中" in listed["R2"]["风险原因"]
    assert "售后状态「退款关闭?」" in listed["U1"]["风险原因"]


def test_a_case_that_clears_leaves_the_list_with_a_log_line_keeping_what_staff_wrote():
    book = MemoryBook({"售后登记": [H, row("R1", state="已退款"), row("R2", state="已退款")]})
    run(book)
    rows = book.sheets[AUDIT]
    rows[1][rows[0].index("跟进备注")] = "已催快递退回"
    later = NOW + timedelta(days=1)
    book.sheets["售后登记"] = [H, row("R1", state="已退款", logi="退回"), row("R2", state="已退款")]
    result = run(book, now=later)
    assert [c["订单号"] for c in table(book, AUDIT)] == ["R2"]
    assert result.cleared == 1
    log = book.sheets[LOG]
    line = dict(zip(log[0], log[-1]))
    assert line["运行内容"] == "钱货两空已解除" and "R1" in line["说明"] and "退回" in line["说明"]
    assert "已催快递退回" in line["说明"]
    run(book, now=later)  # cleared once: no second line
    assert sum("钱货两空已解除" in str(r) for r in book.sheets[LOG]) == 1


def test_archived_risk_cases_are_listed_and_the_tracking_sheet_wins_for_a_case_in_both():
    shelf = MemoryShelf()
    shelf.books[2025] = {RISK_SHEET: [H + ["归档时间"], row("Z1", state="已退款") + [NOW],
                                      row("Z2", state="已退款") + [NOW]]}
    book = MemoryBook({"售后登记": [H, row("Z2", state="已退款", intercept="拦截成功")]})
    run(book, shelf=shelf)
    listed = {c["订单号"]: c["所在"] for c in table(book, AUDIT)}
    assert listed == {"Z1": "售后登记_归档_2025.xlsx"}


def test_a_case_found_nowhere_stays_marked():
    book = MemoryBook({"售后登记": [H, row("R1", state="已退款")]})
    run(book)
    book.sheets["售后登记"] = [H]
    run(book)
    (only,) = table(book, AUDIT)
    assert only["订单号"] == "R1" and only["所在"] == "售后表和归档中都找不到此单"


def test_english_headers_follow_the_language_setting():
    book = MemoryBook({"售后登记": [H, row("R1", state="已退款"), row("A1", update=NOW - timedelta(hours=60))]})
    run(book, language="English")
    assert "Claim deadline" in book.sheets[CLAIMS][0] and "Why at risk" in book.sheets[AUDIT][0]


def test_both_sheets_are_recognised_as_ours_and_a_desks_own_sheet_of_that_name_is_left_alone():
    desk = [["我们自己的理赔表"], ["随便写的"]]
    book = MemoryBook({"售后登记": [H, row("A1", update=NOW - timedelta(hours=60))], CLAIMS: desk})
    result = run(book)
    assert book.sheets[CLAIMS] == desk
    assert f"{CLAIMS}（售后助手）" in book.sheets and any("理赔登记" in n for n in result.notes)
    assert batch.is_ours(CLAIMS, book.sheets[f"{CLAIMS}（售后助手）"])


# ------------------------------------------------------------------ archived, still at risk: 今日概览 and 运行日志
# Archiving moves a refunded case whose goods are not back to the archive's 钱货两空待核 sheet: it resolves
# nothing.  钱货两空核查 lists it from there; 今日概览's 钱货两空风险 and 运行日志's 风险数 count the same
# cases (listing the recent ones with where they are), and never say there is no risk while it is open.

# (label, row keywords): refunded cases whose goods are not in the shop's hands (contract §4.3)
AT_RISK = {
    "parcel out, not intercepted": dict(ship="已发货", logi="运输中", intercept="未拦截"),
    "parcel out, interception pending": dict(ship="已发货", logi="派送中", intercept="拦截中"),
    "parcel lost": dict(ship="已发货", logi="丢件"),
    "shipped offline": dict(ship="线下已发货", logi="运输中"),
    "not shipped but a waybill": dict(ship="未发货", logi=None),
    "return not sent": dict(kind="退货退款", ship="已发货", logi="已签收", ret=None),
    "return on its way": dict(kind="退货退款", ship="已发货", logi="已签收", ret="运输中"),
    "interception unreadable": dict(ship="已发货", logi="运输中", intercept="拦截中吧"),
}
CLEARED = {"intercepted": dict(ship="已发货", logi="运输中", intercept="拦截成功"),
           "returned": dict(ship="已发货", logi="退回"),
           "return signed": dict(kind="退货退款", ship="已发货", logi="已签收", ret="已签收")}


def _overview_risks(book):
    """今日概览: (钱货两空风险 count, the list's title, its rows as dicts, the lines under it)."""
    sheet = book.sheets[batch.OVERVIEW]
    count = next(r[1] for r in sheet if r and r[0] == "钱货两空风险")
    at = next(i for i, r in enumerate(sheet) if r and str(r[0] or "").startswith("钱货两空风险（"))
    head, rows, after = sheet[at + 1], [], []
    for r in sheet[at + 1 + (len(head) > 1):]:
        if not r or r[0] is None:
            break
        if len(r) > 1 and r[1] is not None:
            rows.append(dict(zip(head, r)))
        else:
            after.append(r[0])
    return count, sheet[at][0], rows, after


def _log_risk(book):
    log = book.sheets[LOG]
    runs = [d for r in log[1:] if (d := dict(zip(log[0], r)))["运行内容"] in ("每日批处理", "生成拦截登记", "生成回复话术")]
    return runs[-1]["风险数"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(AT_RISK) + sorted(CLEARED)), st.sampled_from([4, 20, 45]),
                          st.booleans()), min_size=1, max_size=8),
       st.sampled_from(["daily", "register", "replies"]))
def test_archived_cases_still_at_risk_are_counted_and_listed_where_they_are(cases, part):
    from refund_xl._app.archive import run_archive

    rows, at_risk, recent, gone = [], set(), set(), set()
    for i, (shape, age, archived) in enumerate(cases):
        order = f"X{i}"
        words = AT_RISK.get(shape) or CLEARED[shape]
        applied = NOW - timedelta(days=age)
        rows.append(row(order, state="已退款", applied=applied, update=applied + timedelta(days=1), **words))
        if shape in AT_RISK:
            at_risk.add(order)
            recent |= {order} if age < 30 else set()
        if archived:
            gone.add(order)
    book, shelf = MemoryBook({"售后登记": [H, *rows]}), MemoryShelf()
    kept = [r for r in rows if r[0] not in gone]
    # archive everything quiet for a day (all of them), then put back the cases meant to stay live
    run_archive(book, ctx(), shelf, days=1, run_at=NOW)
    book.sheets["售后登记"] = [H, *kept]
    result = run_batch(book, ctx(), part=part, run_at=NOW, shelf=shelf)
    assert result.risk == len(at_risk) and _log_risk(book) == len(at_risk)
    assert result.risk_archived == len(at_risk & gone)
    if part != "daily":
        return
    assert {c["订单号"] for c in table(book, AUDIT)} == at_risk       # what 钱货两空核查 lists …
    count, title, listed, after = _overview_risks(book)
    assert count == len(at_risk) and title.endswith(f"（{len(at_risk)}）")   # … 今日概览 counts
    assert {d["订单号"]: d["所在"] for d in listed} == {
        o: ("售后登记_归档_2025.xlsx" if o in gone else "售后登记") for o in recent}
    older = len(at_risk) - len(recent)
    assert (f"另有 {older} 单申请于 30 天前，未列出" in after) == bool(older)
    assert any(f"其中 {len(at_risk & gone)} 单已归档" in line for line in after) == bool(at_risk & gone)
    assert ("没有钱货两空风险。" in after) == (not at_risk)          # an all-clear only when it is one


def test_a_wide_archive_leaves_no_all_clear_and_a_case_in_both_counts_once():
    lost = [row(f"L{i}", state="已退款", logi="丢件", applied=NOW - timedelta(days=4),
                update=NOW - timedelta(days=3)) for i in range(3)]
    book, shelf = MemoryBook({"售后登记": [H, *lost]}), MemoryShelf()
    run(book, shelf=shelf)
    assert _overview_risks(book)[0] == 3
    from refund_xl._app.archive import run_archive

    run_archive(book, ctx(), shelf, days=1, run_at=NOW)
    assert table(book, "售后登记") == []
    result = run(book, shelf=shelf)
    count, title, listed, after = _overview_risks(book)
    assert count == result.audit == _log_risk(book) == 3
    assert [d["所在"] for d in listed] == ["售后登记_归档_2025.xlsx"] * 3
    assert "没有钱货两空风险。" not in after and "其中 3 单已归档" in after[-1]
    assert "钱货两空风险 3 个（其中 3 个在归档工作簿）" in result.summary()
    # the case imported again, intercepted: the tracking sheet wins, the archived row no longer counts
    book.sheets["售后登记"] = [H, row("L0", state="已退款", logi="丢件", intercept="拦截成功",
                                       applied=NOW - timedelta(days=4))]
    result = run(book, shelf=shelf)
    assert _overview_risks(book)[0] == result.audit == _log_risk(book) == result.risk == 2


# ------------------------------------------------------------------ language English: the product's own words
# In an English run every text the product writes in 今日概览, 运行日志, 钱货两空核查 and 理赔登记 is English:
# what stays Chinese is what it quotes (the sheet's values and headers, sheet and file names), never a label, a
# count's brackets, a separator or a setting's value.

_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _own_words(cell: object, quoted: list[str]) -> str:
    text = str(cell)
    for q in quoted:  # longest first
        text = text.replace(q, "")
    return text.replace("「」", "")  # a value quoted (render's quotes, in both languages)


def test_an_english_run_writes_no_chinese_label_punctuation_or_setting_value():
    from refund_xl._app.archive import run_archive
    from refund_xl._core.fields import FIELDS
    from refund_xl._core.settings import DEFAULTS

    rows = [row("R1", state="已退款", applied=NOW - timedelta(days=40)),            # at risk, older than the lists
            row("R2", state="已退款", intercept="拦截中吧"),                        # at risk, unreadable word
            row("R3", kind="退货退款", state="已退款", logi="已签收", ret="运输中"),  # at risk, return on its way
            row("A1", update=NOW - timedelta(hours=60)),                           # a claim
            row("D1", update=NOW - timedelta(hours=1), applied=NOW - timedelta(hours=100)),  # overdue
            [None, "SX", NOW, "仅退款", 9.0, "未发货", None, None, None, None, "浙江", None, None, None, "处理中"]]
    head = H + ["负责人"]                                                         # a column nothing reads
    book = MemoryBook({"售后登记": [head, *[r + ["小王"] for r in rows]]})
    shelf = MemoryShelf()
    shelf.books[2025] = {RISK_SHEET: [H + ["归档时间"], row("Z1", state="已退款", logi="丢件") + [NOW]]}
    run(book, shelf=shelf, language="English")
    audit = book.sheets[AUDIT]
    audit[1][audit[0].index("Follow-up note")] = "仓库已收到"
    book.sheets["售后登记"] = [head, *[r + ["小王"] for r in rows if r[0] != "R1"],
                             row("R1", state="已退款", intercept="拦截成功") + ["小王"]]  # R1 clears
    run(book, shelf=shelf, language="English", apply_track_intercept="是")
    run_archive(book, ctx(language="English"), shelf, days=1, run_at=NOW)
    run(book, shelf=shelf, language="English")
    quoted = sorted({str(v) for r in rows for v in r if isinstance(v, str)} | set(head) | set(H) | {"小王", "仓库已收到"}
                    | {"售后登记", "售后登记_归档_2025.xlsx", RISK_SHEET, *batch.OUTPUT_SHEETS, "设置", "列名映射", "值映射"}
                    | set(DEFAULTS.remote_regions) | {w for f in FIELDS for w in f.choices or ()},  # the sheet's words
                    key=len, reverse=True)
    for name in (batch.OVERVIEW, LOG, AUDIT, CLAIMS):
        rows_ = book.sheets[name]
        for r in rows_:
            for cell in r:
                if isinstance(cell, str):
                    assert not _CJK.search(_own_words(cell, quoted)), (name, cell)


@pytest.mark.parametrize("languages", [("English", "English"), ("中文", "English"), ("English", "中文")])
def test_the_next_run_in_either_language_finds_its_own_sheets_and_keeps_staff_cells(languages):
    book = MemoryBook({"售后登记": [H, row("R1", state="已退款"), row("A1", update=NOW - timedelta(hours=60)),
                                    row("I1", logi="运输中", update=NOW - timedelta(hours=2))]})
    first = run(book, language=languages[0])
    assert not first.notes
    for name in batch.OUTPUT_SHEETS:   # an English sheet is ours as the Chinese one is ("Order ID" as 订单号)
        assert batch.is_ours(name, book.sheets[name]), name
    audit = book.sheets[AUDIT]
    note = next(i for i, h in enumerate(audit[0]) if h in ("跟进备注", "Follow-up note"))
    audit[1][note] = "已催快递"
    second = run(book, now=NOW + timedelta(hours=1), language=languages[1])
    assert not second.notes and not [n for n in book.sheets if "售后助手" in n]
    assert len([r for r in book.sheets[LOG][1:] if any(r)]) == 2
    assert book.sheets[AUDIT][1][note] == "已催快递"


# ------------------------------------------------------------------ 理赔登记: one parcel, one claim

@pytest.mark.parametrize("filed_on_second", [False, True])
@pytest.mark.parametrize("order", ["same", "other"])
def test_a_parcel_applied_for_again_under_a_new_case_is_not_claimed_twice(filed_on_second, order):
    lost = row("L1", logi="丢件")
    book = MemoryBook({"售后登记": [H, lost]})
    run(book)
    again = list(lost)
    again[0] = "L1" if order == "same" else "L9"  # the buyer re-applied (or a second order on the same waybill)
    again[1] = "SL1-2"
    book.sheets["售后登记"] = [H, lost[:-1] + ["已关闭"], again]
    later = NOW + timedelta(days=1)
    run(book, now=later)
    if filed_on_second:
        rows = book.sheets[CLAIMS]
        rows[2][rows[0].index("理赔状态")] = "已提交"
    run(book, now=later)
    claims = {c["售后单号"]: c for c in table(book, CLAIMS)}
    assert set(claims) == {"SL1", "SL1-2"}                         # a row per case, none merged
    kept, marked = ("SL1-2", "SL1") if filed_on_second else ("SL1", "SL1-2")
    assert "同一包裹" not in claims[kept]["登记状态"]
    assert claims[marked]["登记状态"] == f"同一包裹（物流单号 ZTL1）已按售后单号 {kept} 登记，勿重复理赔"


# ------------------------------------------------------------------ an archive that cannot be read

_DAMAGED = {
    "not a zip": b"not a zip",
    "empty": b"",
    "half synced": b"PK\x03\x04" + b"\x00" * 40,
    "a text file renamed": "订单号,售后类型\n1,仅退款\n".encode(),
}


def _lost_archive(path, orders):
    """A readable archive whose 钱货两空待核 sheet holds refunded lost parcels."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = RISK_SHEET
    ws.append(H)
    for o in orders:
        ws.append(row(o, state="已退款", logi="丢件", applied=NOW - timedelta(days=4), update=NOW - timedelta(days=3)))
    wb.save(path)


@pytest.mark.parametrize("damage", sorted(_DAMAGED))
@pytest.mark.parametrize("part", ["register", "replies", "daily"])
def test_an_unreadable_archive_stops_only_the_run_that_lists_the_archives(tmp_path, damage, part):
    """生成拦截登记 / 生成回复话术 need an archive only to count its 钱货两空 risks: one that cannot be
    read is left out, and the run's notes and 运行日志 say so; the daily run, whose 钱货两空核查 lists the
    archives' cases, still stops on it (a list that silently left cases out would read as all clear)."""
    from refund_xl._core.errors import InputFileError
    from refund_xl._files.archive_files import shelf_for

    (tmp_path / "售后登记_归档_2024.xlsx").write_bytes(_DAMAGED[damage])
    _lost_archive(tmp_path / "售后登记_归档_2025.xlsx", ["Z1", "Z2"])
    shelf = shelf_for(tmp_path / "售后登记.xlsx")
    book = MemoryBook({"售后登记": [H, row("A1", logi="运输中", amount=399.0, update=NOW),
                                    row("L1", state="已退款", logi="丢件", update=NOW - timedelta(days=3))]})
    if part == "daily":
        with pytest.raises(InputFileError, match="售后登记_归档_2024.xlsx"):
            run_batch(book, ctx(), part=part, run_at=NOW, shelf=shelf)
        return
    result = run_batch(book, ctx(), part=part, run_at=NOW, shelf=shelf)
    assert result.counts["INTERCEPT_AND_WATCH"] == 1
    assert result.risk == 3 and result.risk_archived == 2  # the readable archive still counts
    assert any("售后登记_归档_2024.xlsx" in n and "读不出" in n for n in result.notes)
    assert "售后登记_归档_2024.xlsx 读不出" in result.summary()
    log = book.sheets[LOG]
    line = dict(zip(log[0], log[-1]))
    assert line["风险数"] == 3 and "归档 售后登记_归档_2024.xlsx 读不出，风险数未含归档" in line["说明"]
