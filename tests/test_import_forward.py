"""What import writes stays as sure as the export, and never goes back (docs/import.md "再次导入时").

* Two columns of one export that disagree (a status saying at least a word beside the field's own, lagging word:
  rules.BEHIND; two columns of one field, engine ``also``): the book keeps both words, so evaluate on the book asks
  as evaluate on the export does, and the summary says so.
* 发货状态 and 售后状态 move forward only (intake_merge.PROGRESS, as 物流状态): a newer export's word behind the
  book's is refused, row by row in the result.
* A field's default (退货物流状态 未寄回, 售后状态 处理中 …) is no fact: never written for a cell the export left blank.
"""

from __future__ import annotations

import itertools

import pytest

from refund_xl._app import intake
from refund_xl._app import intake_merge
from refund_xl._app.intake_read import IMPORT_KEYS
from refund_xl._core import engine, vocab
from refund_xl._core.fields import FIELD_BY_KEY, FIELDS

NOW = "2025-06-10T12:00"
# How far along a case is, as docs/import.md tells it (intake_merge.PROGRESS holds the same)
PROGRESS = {"logistics": {"未揽收": 0, "已揽收": 1, "运输中": 2, "派送中": 3, "异常": 3.5, "已签收": 4, "丢件": 4, "拒收": 4,
                          "退回": 4},
            "return_logistics": {"未寄回": 0, "已揽收": 1, "运输中": 2, "已签收": 3},
            "ship_state": {"未发货": 0, "已发货": 1, "线下已发货": 1},
            "case_state": {"处理中": 0, "已关闭": 1, "已完结": 1, "已退款": 2}}
FORWARD_KEYS = ("ship_state", "case_state")


def test_the_ranks_are_the_mergers():
    assert intake_merge.PROGRESS == PROGRESS and intake_merge.FORWARD_KEYS == FORWARD_KEYS

# Every kind of disagreement the reader quotes as vocab.Both: (export header, row, field, its two words)
TWO_MINDS = {
    "pdd 订单状态 / 售后状态": (
        ["售后编号", "订单编号", "商品名称", "售后类型", "售后状态", "申请时间", "申请退款金额", "订单状态", "超时时间"],
        ["18273645526", "250606-318276451230926", "苹果", "仅退款", "已发货，退款成功", "2025-06-07 10:00:00", "39.90",
         "待发货", "2025-06-10 10:00:00"], "ship_state", {"未发货", "已发货"}),
    "抖店 商品发货状态 / 售后类型": (
        ["售后单号", "订单号", "商品名称", "商品发货状态", "售后类型", "退商品金额（元）", "售后状态", "售后申请时间", "自动处理截止时间"],
        ["7312000000000000092", "6937000000000000092", "T恤", "未发货", "已发货仅退款", "39.00", "同意退款，退款成功",
         "2025-06-07 09:30:00", "2025-06-11 09:30:00"], "ship_state", {"未发货", "已发货"}),
    "物流状态 / 物流信息": (
        ["订单编号", "退款单号", "退款类型", "金额", "订单状态", "物流公司", "快递单号", "物流状态", "物流信息", "售后状态"],
        ["4242994886263078941", "TB20250609003", "仅退款", "59.00", "已发货", "中通快递", "75234220267361", "运输中",
         "已签收，签收人：本人", "已退款"], "logistics", {"运输中", "已签收"}),
    "售后状态 / 退款状态": (
        ["订单编号", "退款单号", "退款类型", "金额", "订单状态", "售后状态", "退款状态"],
        ["4242994886263078942", "TB20250609004", "仅退款", "59.00", "已发货", "处理中", "退款成功"], "case_state",
        {"处理中", "已退款"}),
    "千牛 退货物流状态 / 退款状态": (
        ["订单编号", "退款编号", "宝贝标题", "买家退款金额", "是否需要退货", "退款的申请时间", "超时时间", "退款状态", "货物状态",
         "退货物流状态"],
        ["4242994886263078943", "178234567890000019", "T恤", "59.00", "是", "2025-06-08 10:00:00", "2025-06-13 10:00:00",
         "买家已经退货，等待卖家确认收货", "买家已收到货", "未寄回"], "return_logistics", {"未寄回", "已揽收"}),
}


def _decide(head, rows):
    return [(r.action_code, r.loss_risk) for r in engine.evaluate(rows, head, now=NOW)]


def test_the_family_is_every_field_two_columns_can_disagree_on():
    assert {k for _h, _r, k, _w in TWO_MINDS.values()} >= {"ship_state", "logistics", "return_logistics", "case_state"}
    for head, row, key, words in TWO_MINDS.values():  # each is what the reader quotes
        cols = engine.read_columns([row], head)
        said = dict(zip(cols.bad.get(0, ()), cols.bad_values.get(0, ())))
        assert said[key].__class__ is vocab.Both and said[key].words == words, said


@pytest.mark.parametrize("name", TWO_MINDS)
def test_a_new_row_keeps_both_words_and_decides_as_the_export(name):
    head, row, key, words = TWO_MINDS[name]
    book_head = intake.new_sheet_headers()
    plan = intake.plan_merge(book_head, [], [intake.read_export("x.csv", [head, row])])
    cell = plan.appended[0][book_head.index(FIELD_BY_KEY[key].header)]
    assert set(str(cell).split(intake.CONFLICT_SEP)) == words, cell
    assert _decide(book_head, plan.appended) == _decide(head, [row])
    assert plan.note_counts["doubt"] == 1 and "两列说法不一 1 格" in plan.summary(), plan.summary()


@pytest.mark.parametrize("name", TWO_MINDS)
def test_a_book_row_at_the_lagging_word_takes_both(name):
    head, row, key, words = TWO_MINDS[name]
    book_head = intake.new_sheet_headers()
    at = book_head.index(FIELD_BY_KEY[key].header)
    book = [list(r) for r in intake.plan_merge(book_head, [], [intake.read_export("x.csv", [head, row])]).appended]
    rank = PROGRESS[key]
    behind, further = sorted(words, key=rank.__getitem__)
    book[0][at] = behind  # as the old import wrote it
    plan = intake.plan_merge(book_head, book, [intake.read_export("y.csv", [head, row])])
    assert plan.cells.get((0, at)) and set(str(plan.cells[(0, at)]).split(intake.CONFLICT_SEP)) == words
    book[0][at] = further  # what staff found: kept
    plan = intake.plan_merge(book_head, book, [intake.read_export("y.csv", [head, row])])
    assert (0, at) not in plan.cells


# 发货状态 / 售后状态: every word the book may hold × every word behind it
BACKWARD = [(k, old, new) for k in FORWARD_KEYS for old, new in itertools.permutations(PROGRESS[k], 2)
            if PROGRESS[k][new] < PROGRESS[k][old] or PROGRESS[k][new] == PROGRESS[k][old]
            and PROGRESS[k][old] < max(PROGRESS[k].values())]
ERP = ["订单编号", "退款单号", "退款类型", "金额", "发货状态", "物流公司", "快递单号", "售后状态"]


def _erp(ship="已发货", state="处理中"):
    return [ERP, ["4242994886263078944", "TB20250609005", "仅退款", "59.00", ship, "中通快递", "75234220267364", state]]


def test_the_backward_family():
    assert ("ship_state", "已发货", "未发货") in BACKWARD and ("ship_state", "线下已发货", "未发货") in BACKWARD
    assert {(o, n) for k, o, n in BACKWARD if k == "case_state"} >= {
        ("已退款", "处理中"), ("已关闭", "处理中"), ("已完结", "处理中"), ("已退款", "已关闭"), ("已退款", "已完结")}


@pytest.mark.parametrize("key,old,new", BACKWARD)
def test_a_forward_only_column_never_goes_back_and_says_so(key, old, new):
    head = intake.new_sheet_headers()
    at = head.index(FIELD_BY_KEY[key].header)
    first = {"ship_state": ("已发货", "处理中"), "case_state": ("已发货", "处理中")}[key]
    book = [list(r) for r in intake.plan_merge(head, [], [intake.read_export("a.csv", _erp(*first))]).appended]
    book[0][at] = old  # staff typed it, or an earlier import wrote it
    later = _erp(new, "处理中") if key == "ship_state" else _erp("已发货", new)
    plan = intake.plan_merge(head, book, [intake.read_export("b.csv", later)])
    assert (0, at) not in plan.cells, plan.cells
    said = [n.text for n in plan.notes]
    assert any(f"{FIELD_BY_KEY[key].header}保留「{old}」" in t and f"「{new}」" in t and "b.csv 第2行" in t
               for t in said), said
    assert "不倒退" in plan.summary()
    # within one run: an older export's word stays against a newer's behind it
    plan = intake.plan_merge(head, [], [intake.read_export("a.csv", (
                                                           _erp(old, "处理中") if key == "ship_state" else _erp("已发货", old))),
                                        intake.read_export("b.csv", later, index=1)])
    assert plan.appended[0][at] == old


@pytest.mark.parametrize("key", FORWARD_KEYS)
def test_a_forward_only_column_still_moves_forward(key):
    head = intake.new_sheet_headers()
    at = head.index(FIELD_BY_KEY[key].header)
    rank = PROGRESS[key]
    low = min(rank, key=rank.__getitem__)
    top = max(rank, key=rank.__getitem__)
    book = [list(r) for r in intake.plan_merge(head, [], [intake.read_export("a.csv", _erp())]).appended]
    book[0][at] = low
    later = _erp(top, "处理中") if key == "ship_state" else _erp("已发货", top)
    plan = intake.plan_merge(head, book, [intake.read_export("b.csv", later)])
    assert plan.cells[(0, at)] == top and not plan.note_counts["kept"]


# Every field with a default, its column in the export left blank in one row while another row fills it
DEFAULTED = [f.key for f in FIELDS if f.default is not None and f.key in IMPORT_KEYS]


@pytest.mark.parametrize("key", DEFAULTED)
def test_a_default_is_never_written(key):
    head = intake.new_sheet_headers()
    header = FIELD_BY_KEY[key].header
    other = next(w for w in FIELD_BY_KEY[key].choices if w != FIELD_BY_KEY[key].default)
    export = [["订单编号", "退款单号", "退款类型", "金额", "发货状态", header],
              ["4242994886263078945", "TB20250609006", "仅退款", "59.00", "已发货", ""],
              ["4242994886263078946", "TB20250609007", "仅退款", "59.00", "已发货", other]]
    plan = intake.plan_merge(head, [], [intake.read_export("x.csv", export)])
    assert plan.appended[0][head.index(header)] is None
    assert plan.appended[1][head.index(header)] == other


def test_a_return_waybill_in_another_row_writes_no_default():
    """The red team's PDD export: one row with a return waybill, one without."""
    head = intake.new_sheet_headers()
    export = [["售后编号", "订单编号", "售后类型", "售后状态", "申请退款金额", "订单状态", "退货快递公司", "退货快递单号"],
              ["18273645504", "250606-318276451230904", "退货退款", "退货退款，待商家处理", "39.90", "已签收", "", ""],
              ["18273645513", "250606-318276451230913", "退货退款", "平台处理中", "39.90", "已签收", "顺丰速运",
               "SF1400000000001"]]
    plan = intake.plan_merge(head, [], [intake.read_export("p.csv", export)])
    at = head.index("退货物流状态")
    assert plan.appended[0][at] is None and plan.appended[1][at] == "已揽收", [r[at] for r in plan.appended]


# The defaulted fields other columns fill (engine._fallbacks): another row filled, this row's blank still no default
FILLED_BY = {"return_logistics": ("退货物流单号", "SF1400000000001", "已揽收"),
             "case_state": ("退款完成时间", "2025-06-09 10:00", "已退款")}


@pytest.mark.parametrize("key", FILLED_BY)
def test_a_default_is_never_written_beside_a_row_another_column_fills(key):
    head = intake.new_sheet_headers()
    header = FIELD_BY_KEY[key].header
    source, said, word = FILLED_BY[key]
    export = [["订单编号", "退款单号", "退款类型", "金额", "发货状态", header, source],
              ["4242994886263078945", "TB20250609006", "仅退款", "59.00", "已发货", "", ""],
              ["4242994886263078946", "TB20250609007", "仅退款", "59.00", "已发货", "", said]]
    plan = intake.plan_merge(head, [], [intake.read_export("x.csv", export)])
    at = head.index(header)
    assert [r[at] for r in plan.appended] == [None, word]


@pytest.mark.parametrize("key,old,new", BACKWARD)
def test_an_older_export_behind_the_book_is_no_warning_when_a_newer_one_agrees(key, old, new):
    """A day split in two files, imported again: the older file (applied first) says 处理中 where the book says 已退款,
    the newer file says 已退款 — 26 「售后状态保留…请到平台核实」 lines for a book that did not change.  A forward-only
    cell kept against an export behind it is said only when no newer export of the run agrees with the book."""
    head = intake.new_sheet_headers()
    at = head.index(FIELD_BY_KEY[key].header)

    def export(word):
        return _erp(word, "处理中") if key == "ship_state" else _erp("已发货", word)

    book = [list(r) for r in intake.plan_merge(head, [], [intake.read_export("a.csv", export(old))]).appended]
    plan = intake.plan_merge(head, book, [intake.read_export("a.csv", export(new)),
                                          intake.read_export("b.csv", export(old), index=1)])
    assert not plan.note_counts["kept"] and not plan.counts["kept_forward"] and not plan.changes, plan.notes
    assert "不倒退" not in plan.summary()
    # both behind: said once, naming the older export's line
    plan = intake.plan_merge(head, book, [intake.read_export("a.csv", export(new)),
                                          intake.read_export("b.csv", export(new), index=1)])
    assert plan.counts["kept_forward"] >= 1 and plan.note_counts["kept"] <= 1
    assert (0, at) not in plan.cells


def test_the_same_exports_imported_again_say_nothing_changed(tmp_path, capsys):
    """Re-importing the same files said 「更新 1 行」: a time at midnight the import wrote (2025-06-09 00:00) came back
    from the book as a whole day; and the older of two files behind the book warned.  Nothing changed: said so."""
    from refund_xl._files import files
    from refund_xl.cli import main

    head = ["订单编号", "退款单号", "退款类型", "金额", "发货状态", "物流公司", "快递单号", "售后状态", "申请时间", "超时时间"]
    row = ["4242994886263078944", "TB20250609005", "仅退款", "59.00", "已发货", "中通快递", "75234220267364"]
    older, newer = tmp_path / "erp_0610_1.csv", tmp_path / "erp_0610_2.csv"
    older.write_text("\n".join(",".join(r) for r in [head, [*row, "处理中", "2025-06-09 00:00", "2025-06-11 00:00"]]),
                     encoding="utf-8-sig")
    newer.write_text("\n".join(",".join(r) for r in [head, [*row, "已退款", "2025-06-09 00:00", "2025-06-11 00:00"]]),
                     encoding="utf-8-sig")
    import os
    os.utime(older, (1_700_000_000, 1_700_000_000))  # (exports are applied oldest first)
    book = tmp_path / "book.xlsx"
    assert main(["import", str(older), str(newer), "--into", str(book), "--now", NOW]) == 0
    first = files.read_sheets(book)["售后登记"]
    capsys.readouterr()
    assert main(["import", str(older), str(newer), "--into", str(book), "--now", NOW]) == 0
    printed = capsys.readouterr().out
    assert "无变化" in printed and "更新 0 行" in printed and "请到平台核实" not in printed, printed
    assert files.read_sheets(book)["售后登记"] == first
