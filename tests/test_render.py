"""Issue 11, "done when": one presentation of a row result (refund_xl._core.render).

For every row of the packaged sample, the messy corpus, two platform exports and a
sheet of unreadable values, in Chinese and in English: each per-column formula
function's cell == the matching REFUND_TABLE column == evaluate's workbook person
column, and evaluate's CSV words (action, why, stall) are the same words.  A value
the product cannot read is quoted in every column that depends on it ("read it
right or say you can't"), never shown as — / NONE / a number computed as if empty.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import NOW
from refund_xl import udfs
from refund_xl._files import files
from refund_xl._core import render
from refund_xl._core import rules
from refund_xl.cli import main
from refund_xl._files.workbook import sample_path

DATA = Path(__file__).resolve().parent / "data"
NOW_ISO = NOW.isoformat(timespec="minutes")

UNREADABLE_HEADERS = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号",
                      "物流状态", "物流更新时间", "收货省份", "售后状态", "超时时间"]
# One unreadable cell per row, each in a column another result depends on.
UNREADABLE_ROWS = [
    ["5012783301", "AS250609001", datetime(2025, 6, 9, 8, 30), "仅退款", 59, "已发货", "中通快递", "78912345601",
     "运输中", "昨天下午", "浙江", "待处理", datetime(2025, 6, 11, 9, 0)],
    ["5012783302", "AS250609002", datetime(2025, 6, 9, 9, 10), "仅退款", 128.5, "已发货", "圆通速递", "YT8812345602",
     "运输中", datetime(2025, 6, 8, 10, 0), "广东", "待处理", "下周一"],
    ["5012783303", "AS250609003", "6/3/2025", "退货退款", 239, "已发货", "顺丰速运", "SF1402345603",
     "已签收", datetime(2025, 6, 5, 14, 0), "江苏", "待处理", None],
    ["5012783304", "AS250609004", datetime(2025, 6, 9, 11, 0), "仅退款", "五十九块", "未发货", None, None,
     None, None, "四川", "待处理", datetime(2025, 6, 10, 20, 0)],
    ["5012783305", "AS250609005", datetime(2025, 6, 8, 16, 0), "仅退款", 76, "已发货", "韵达快递", "4312345605",
     "派送中", datetime(2025, 6, 9, 18, 0), "北京", "退款关闭?", datetime(2025, 6, 12, 16, 0)],
    ["5012783306", "AS250609006", datetime(2025, 6, 9, 13, 0), "仅退款", 42, "已发货", "申通快递", "77312345606",
     "在路上?", datetime(2025, 6, 9, 20, 0), "西藏", "已退款", datetime(2025, 6, 11, 13, 0)],
]


@pytest.fixture(scope="module")
def unreadable_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("unreadable") / "unreadable.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(UNREADABLE_HEADERS)
    for row in UNREADABLE_ROWS:
        ws.append(row)
    wb.save(path)
    return path


SOURCES = [sample_path(), *sorted((DATA / "messy").glob("*.xlsx")),
           DATA / "exports" / "desk_lead.xlsx", DATA / "exports" / "taobao_export.csv", "unreadable"]
FUNCTIONS = {  # person column key → the per-column formula call (label mode)
    "action": lambda r, h, s: udfs.REFUND_ACTION(r, h, s, NOW),
    "why": lambda r, h, s: udfs.REFUND_ACTION(r, h, s, NOW, "why"),
    "stall": lambda r, h, s: udfs.STALL_STATUS(r, h, s, NOW),
    "deadline": lambda r, h, s: udfs.DEADLINE_STATUS(r, h, s, NOW),
    "hours_left": lambda r, h, s: udfs.HOURS_LEFT(r, h, s, NOW),
    "value_tier": lambda r, h, s: udfs.VALUE_TIER(r, h, s, NOW),
    "loss_risk": lambda r, h, s: udfs.LOSS_RISK(r, h, s, NOW),
    "reply": lambda r, h, s: udfs.REPLY_SCRIPT(r, h, None, s, NOW),
}


def _settings(english: bool) -> list[list[str]]:
    return [["key", "label", "value"], ["language", "语言", "English" if english else "中文"]]


def _source(src, unreadable_book) -> Path:
    return unreadable_book if src == "unreadable" else src


def _plain(v):
    return "" if v is None else v


@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p if isinstance(p, str) else p.name)
def test_every_function_the_table_and_evaluate_show_the_same_cell(src, english, unreadable_book, tmp_path):
    path = _source(src, unreadable_book)
    table = files.read_table(path)
    headers, rows = [table.headers], table.rows
    settings = _settings(english)
    block = udfs.REFUND_TABLE(rows, headers, settings, NOW)
    assert len(block) == len(rows)
    columns = {}
    for c, key in enumerate(render.TABLE_KEYS):
        per_function = [r[0] for r in FUNCTIONS[key](rows, headers, settings)]
        from_table = [r[c] for r in block]
        diff = [(i, f, t) for i, (f, t) in enumerate(zip(per_function, from_table)) if f != t]
        assert not diff, (key, diff[:3])
        columns[key] = per_function
    if english:  # the English words really are English (labels, messages and headers)
        assert not any(str(v).startswith("#信息不足") for col in columns.values() for v in col)
    else:
        assert not any(str(v).startswith("#Missing") for col in columns.values() for v in col)

    # evaluate, with the same language from a settings file
    settings_file = tmp_path / "settings.csv"
    settings_file.write_text("\n".join(",".join(r) for r in settings) + "\n", encoding="utf-8")
    xlsx, csv_out = tmp_path / "out.xlsx", tmp_path / "out.csv"
    for out in (xlsx, csv_out):
        assert main(["evaluate", str(path), "--out", str(out), "--now", NOW_ISO, "--settings", str(settings_file),
                     "--quiet"]) == 0
    sheet = list(openpyxl.load_workbook(xlsx).active.iter_rows(values_only=True))
    head, cells = list(sheet[0]), sheet[1:]
    assert head[-10:] == render.column_names(render.PERSON_KEYS + render.CODE_KEYS, english)
    assert len(cells) == len(rows)
    for key in render.PERSON_KEYS:
        name = render.COLUMN_NAMES[key][1 if english else 0]
        shown = [_plain(r[head.index(name)]) for r in cells]
        assert shown == [_plain(v) for v in columns[key]], key

    # evaluate's CSV (the automation contract): the word columns are the same words,
    # the code columns machine codes
    with open(csv_out, encoding="utf-8-sig", newline="") as fh:
        machine = list(csv.DictReader(fh))
    assert len(machine) == len(rows)
    for i, m in enumerate(machine):
        for key in ("action", "why", "stall"):
            assert m[key] == str(columns[key][i]), (i, key, m)
        if columns["action"][i] == "":
            continue
        assert m["action_code"] in rules.ACTIONS or m["action_code"] == "ERROR"
        assert m["deadline_code"] in rules.DEADLINES and m["stall_code"] in rules.STALLS
        hours = columns["hours_left"][i]
        if isinstance(hours, float):
            assert float(m["hours_left"]) == hours
        else:  # no deadline known, or one that cannot be read: no number either
            assert m["hours_left"] == "" and m["deadline_code"] == "NONE", (i, m)


@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
def test_an_unreadable_value_is_quoted_in_every_column_that_reads_it(english, unreadable_book, tmp_path):
    """The issue's two disagreements: unreadable 物流更新时间 (— in evaluate) and 超时时间 (NONE)."""
    head = "#Missing: " if english else "#信息不足: "
    rows = [list(r) for r in UNREADABLE_ROWS]
    headers = [UNREADABLE_HEADERS]
    settings = _settings(english)
    stall = [r[0] for r in udfs.STALL_STATUS(rows, headers, settings, NOW)]
    deadline = [r[0] for r in udfs.DEADLINE_STATUS(rows, headers, settings, NOW)]
    hours = [r[0] for r in udfs.HOURS_LEFT(rows, headers, settings, NOW)]
    tier = [r[0] for r in udfs.VALUE_TIER(rows, headers, settings, NOW)]
    risk = [r[0] for r in udfs.LOSS_RISK(rows, headers, settings, NOW)]
    def name(zh: str, en: str) -> str:  # the column as the settings' language names it
        return en if english else zh

    assert stall[0] == head + name("物流更新时间", "Last update") + "「昨天下午」"
    assert deadline[1] == hours[1] == head + name("超时时间", "Deadline") + "「下周一」"
    assert deadline[2] == hours[2] == head + name("申请时间", "Applied at") + "「6/3/2025」"
    assert tier[3] == head + name("退款金额", "Amount") + "「五十九块」"
    assert name("售后状态", "Case state") + "「退款关闭?」" in risk[4]
    assert risk[4].startswith(render.label("RISK", english, "risk"))
    assert stall[5] == head + name("物流状态", "Logistics") + "「在路上?」"
    # why says it cannot read the value; code is the code evaluate writes for it (NEEDS_INFO, or NONE: no
    # deadline known), never a code computed as if the cell were empty; both is the two
    for fn, i, text, code in ((udfs.STALL_STATUS, 0, stall[0], "NEEDS_INFO"), (udfs.STALL_STATUS, 5, stall[5], "NEEDS_INFO"),
                              (udfs.DEADLINE_STATUS, 1, deadline[1], "NONE"), (udfs.VALUE_TIER, 3, tier[3], "NEEDS_INFO")):
        assert fn(rows, headers, settings, NOW, "why")[i][0] == text
        assert fn(rows, headers, settings, NOW, "code")[i][0] == code
        assert fn(rows, headers, settings, NOW, "both")[i][0] == f"{code}｜{text}"

    out = tmp_path / "out.csv"
    settings_file = tmp_path / "settings.csv"
    settings_file.write_text("\n".join(",".join(r) for r in settings) + "\n", encoding="utf-8")
    assert main(["evaluate", str(unreadable_book), "--out", str(out), "--now", NOW_ISO,
                 "--settings", str(settings_file), "--quiet"]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        machine = list(csv.DictReader(fh))
    assert machine[0]["stall"] == stall[0]  # was the label of NOT_IN_TRANSIT, —
    assert (machine[1]["deadline_code"], machine[1]["hours_left"]) == ("NONE", "")  # was a code from 申请时间
    assert machine[5]["stall"] == stall[5]
    # the code columns say the same as the words beside them (a closed case's unreadable 物流状态 too)
    assert machine[0]["stall_code"] == machine[5]["stall_code"] == machine[3]["value_tier"] == "NEEDS_INFO"


_CLOSED = type("Closed", (), {"case_state": "已退款"})()  # any case whose 售后状态 closes it

@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
@pytest.mark.parametrize("src", [sample_path(), "unreadable"], ids=lambda p: p if isinstance(p, str) else p.name)
def test_show_modes_are_one_rule_for_every_function(src, english, unreadable_book):
    """code / both / why relate to label the same way in every function (render.shown)."""
    table = files.read_table(_source(src, unreadable_book))
    headers, rows = [table.headers], table.rows
    settings = _settings(english)
    for fn, family in ((udfs.REFUND_ACTION, "action"), (udfs.STALL_STATUS, "stall"),
                       (udfs.DEADLINE_STATUS, "deadline"), (udfs.VALUE_TIER, "tier"), (udfs.LOSS_RISK, "risk")):
        by_mode = {m: [r[0] for r in fn(rows, headers, settings, NOW, m)] for m in ("label", "code", "both", "why")}
        for i, text in enumerate(by_mode["label"]):
            code, both, why = by_mode["code"][i], by_mode["both"][i], by_mode["why"][i]
            if text == "":
                assert code == both == why == "", (fn.__name__, i)
                continue
            assert not code.startswith("#"), (fn.__name__, i, code)  # a code, as evaluate's code column
            if text.startswith("#"):  # a value this column reads is unreadable: the words say so, the code too
                assert code in ("NEEDS_INFO", "NONE") and both == f"{code}｜{text}", (fn.__name__, i)
                assert why == text or family == "action", (fn.__name__, i)  # (the action's why: the rule 0b)
                continue
            assert code in render.FAMILIES[family], (fn.__name__, code)
            assert both == f"{code}｜{text}", (fn.__name__, both)
            if family == "deadline":  # a closed case has no deadline: NONE, shown 已完结 (§4.3)
                assert text in (render.label(code, english, family), render.deadline_label(_CLOSED, code, english))
            elif code != "NEEDS_INFO" and family != "risk":
                assert text == render.label(code, english, family)
            assert why, (fn.__name__, i)


def test_the_catalogue_names_the_columns_everywhere():
    from refund_xl._app import outputs, table

    assert table.HEADERS == tuple(render.column_names(render.TABLE_KEYS))
    assert table.HEADERS_EN == tuple(render.column_names(render.TABLE_KEYS, english=True))
    assert outputs.person_headers() == render.column_names(render.PERSON_KEYS + render.CODE_KEYS)
    assert outputs.person_headers(True) == render.column_names(render.PERSON_KEYS + render.CODE_KEYS, True)
    assert render.cell_message(["退款金额「五十九块」"], True) == "#Missing: 退款金额「五十九块」"
    assert render.label("OK", False, "risk") == "无" and render.label("OK", False, "deadline") == "正常"


@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
def test_a_reply_naming_the_action_reads_the_same_in_the_formulas_and_the_batch(english):
    """{处理建议} / {动作代码} in a team's 话术模板: REPLY_SCRIPT and REFUND_TABLE filled them as
    missing (【缺:处理建议】) while the batch's 回复话术 sheet filled them with the action."""
    from refund_xl._app import batch

    table = files.read_table(sample_path())
    headers, rows = [table.headers], table.rows
    templates = [["动作代码", "话术模板"]] + [
        [code, "亲，订单{订单号}的处理：{处理建议}（{动作代码}），请留意。"] for code in rules.ACTIONS]
    settings = _settings(english)
    script = [r[0] for r in udfs.REPLY_SCRIPT(rows, headers, templates, settings, NOW)]
    block = udfs.REFUND_TABLE(rows, headers, settings, NOW, templates)
    assert [r[7] for r in block] == script
    filled = [t for t in script if t and not t.startswith("#")]
    assert filled and not any("【缺:" in t for t in filled), filled[:3]
    result = batch.run(rows, headers, settings, templates, {}, NOW)
    sheet = result.sheets[batch.REPLIES]
    head = sheet[0]
    order_col = table.headers.index("订单号")
    by_order = {str(r[order_col]).strip(): t for r, t in zip(rows, script) if t}
    order_h = "Order ID" if english else "订单号"
    text_h = "Reply" if english else "回复话术"
    texts = [(str(r[head.index(order_h)]).strip(), r[head.index(text_h)]) for r in sheet[1:] if r and r[0]]
    assert texts
    for order, text in texts:
        assert text == by_order[order], (order, text)


@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
def test_claim_reasons_read_as_the_batch_writes_them(english):
    """The overview's 理赔清单 gives each claim the reason render.claim_reason words."""
    from refund_xl._app import batch
    from refund_xl._core import engine

    reasons = []
    for src in (sample_path(), DATA / "exports" / "desk_lead.xlsx"):
        table = files.read_table(src)
        results = engine.evaluate(table.rows, table.headers, _settings(english), NOW)
        sheet = batch.run(table.rows, [table.headers], _settings(english), None, {}, NOW,
                          results=results).sheets[batch.OVERVIEW]
        reason_h = "Reason" if english else "理赔原因"
        at = next(i for i, r in enumerate(sheet) if reason_h in r)
        head = sheet[at]
        listed = {}
        for row in sheet[at + 1:]:
            if not row or row[0] in (None, "") or len(row) <= head.index(reason_h):
                break
            listed[(row[0], row[1])] = row[head.index(reason_h)]
        expected = {(r.case.order_id, r.case.case_id): render.claim_reason(r, english) for r in results
                    if not r.blank and r.action_code != "DONE" and render.claim_reason(r, english)}
        assert listed == expected
        reasons += listed.values()
    assert len(reasons) >= 2
    assert any(("h (lost)" if english else "小时无物流更新") in r for r in reasons)


def test_the_why_mode_of_the_one_field_functions_speaks_the_settings_language():
    table = files.read_table(sample_path())
    headers, rows = [table.headers], table.rows
    for english, stall_word, left_word, tier_word in ((False, "小时未更新", "剩余", "高客单阈值"),
                                                      (True, "h without an update", "h left", "high-value threshold")):
        settings = _settings(english)
        stall = [r[0] for r in udfs.STALL_STATUS(rows, headers, settings, NOW, "why")]
        left = [r[0] for r in udfs.DEADLINE_STATUS(rows, headers, settings, NOW, "why")]
        tier = [r[0] for r in udfs.VALUE_TIER(rows, headers, settings, NOW, "why")]
        assert any(stall_word in v for v in stall) and any(left_word in v for v in left)
        assert any(tier_word in v for v in tier)
