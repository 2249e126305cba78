"""物流状态's end states on a second import (docs/import.md "再次导入时"; contract §4.3 钱货两空).

A parcel's state only moves forward (未揽收 → … → 异常 → an end state), but the end states
already written may be followed by another one: 拒收 and then 「拒收后二次派送，已签收」, 已签收
and then 「快件已退回，签收人：寄件人」.  The newer export's end state wins — the book then
decides 钱货两空 as the newest export itself does — and every such change is named in the
result, row and old → new word, as a merge's changes are (never silently).  The family: every
ordered pair of distinct end states, across two runs, within one run (an older and a newer
export), and twice in one export (a conflict, both kept).
"""

from __future__ import annotations

import csv
import itertools
from datetime import datetime
from pathlib import Path

import pytest

from refund_xl._app import intake
from refund_xl._app.intake import CONFLICT_SEP
from refund_xl.cli import main

NOW = "2025-06-10T12:00"
NEXT_DAY = "2025-06-11T12:00"

# 千牛 退款管理 (platforms.md): the state of the parcel is read from 发货物流信息's trace.
HEAD = ["订单编号", "退款编号", "宝贝标题", "买家退款金额", "是否需要退货", "退款的申请时间", "超时时间", "退款状态", "货物状态",
        "发货物流信息"]
TRACES = {"已签收": ["已签收，签收人：本人", "拒收后二次派送，已签收，签收人：本人"],
          "丢件": ["快件丢失", "快件遗失"],
          "拒收": ["收件人拒收", "快件已被拒收"],
          "退回": ["快件已退回，签收人：寄件人", "快件拦截成功，正在退回"]}
END = tuple(TRACES)
PAIRS = list(itertools.permutations(END, 2))


def _row(n: int, word: str, state: str = "退款成功", variant: int = 0) -> list[object]:
    trace = TRACES[word][variant % len(TRACES[word])]
    return [f"4242994886263{n:05d}8", f"178234567890{n:05d}9", "纯棉短袖T恤", "59.00", "否", "2025-06-08 10:00:00",
            "2025-06-13 10:00:00", state, "买家未收到货", f"中通快递 752342208{n:05d}：{trace}"]


def _read(rows, name="x.csv", index=0):
    return intake.read_export(name, [HEAD, *rows], index=index)


def _book(rows):
    head = intake.new_sheet_headers()
    return head, [list(r) for r in intake.plan_merge(head, [], [_read(rows)]).appended]


@pytest.mark.parametrize("old,new", PAIRS)
def test_a_newer_exports_end_state_replaces_the_books_and_says_so(old, new):
    head, book = _book([_row(1, old)])
    at = head.index("物流状态")
    assert book[0][at] == old
    for variant in range(2):
        plan = intake.plan_merge(head, book, [_read([_row(1, new, variant=variant)], "0611.csv")])
        assert plan.cells == {(0, at): new}, plan.cells
        assert plan.counts["updated"] == 1 and plan.counts["ended"] == 1
        said = [n.text for n in plan.notes]
        assert any(f"物流状态「{old}」→「{new}」" in t and "0611.csv 第2行" in t for t in said), said
        assert "物流状态终态按最新导出改写 1 格" in plan.summary()


@pytest.mark.parametrize("old,new", PAIRS)
def test_within_one_run_the_newer_export_wins_and_one_export_saying_both_is_a_conflict(old, new):
    head = intake.new_sheet_headers()
    at = head.index("物流状态")
    older, newer = _read([_row(1, old)], "0610.csv", 0), _read([_row(1, new)], "0611.csv", 1)
    plan = intake.plan_merge(head, [], [older, newer])  # a new row
    assert plan.appended[0][at] == new
    head, book = _book([_row(1, old)])
    plan = intake.plan_merge(head, book, [_read([_row(1, old)], "0610.csv", 0), _read([_row(1, new)], "0611.csv", 1)])
    assert plan.cells.get((0, at)) == new  # a book row
    assert any(f"物流状态 {old}→{new}" in n.text for n in plan.notes), [n.text for n in plan.notes]
    plan = intake.plan_merge(head, book, [_read([_row(1, old), _row(1, new)], "0611.csv")])
    assert plan.cells.get((0, at)) == f"{old}{CONFLICT_SEP}{new}"  # one export, two words: not picked
    assert plan.note_counts["conflict"] == 1


@pytest.mark.parametrize("end", END)
def test_an_end_state_still_never_goes_back_and_the_same_one_again_is_no_change(end):
    head, book = _book([_row(1, end)])
    plan = intake.plan_merge(head, book, [_read([_row(1, end, variant=1)])])
    assert not plan.cells and plan.counts["ended"] == 0
    rows = [_row(1, end)]
    rows[0][-1] = "中通快递 75234220800001：快件正在派送中"
    plan = intake.plan_merge(head, book, [_read(rows)])
    assert not plan.cells


# An ERP export that carries 物流状态 and 物流更新时间 as columns: the book's later time keeps its end state.
ERP = ["订单编号", "退款单号", "退款类型", "金额", "订单状态", "物流公司", "快递单号", "物流状态", "物流更新时间", "售后状态"]


def _erp(word, when):
    return ["4242994886263078940", "TB20250609002", "仅退款", "59.00", "已发货", "中通快递", "75234220267368", word, when,
            "已退款"]


@pytest.mark.parametrize("old,new", PAIRS)
def test_the_book_keeps_its_end_state_when_it_is_the_newer_fact(old, new):
    head = intake.new_sheet_headers()
    book = [list(r) for r in intake.plan_merge(head, [], [intake.read_export("a.csv", [ERP, _erp(old, "2025-06-10 18:00")])]
                                               ).appended]
    at = head.index("物流状态")
    plan = intake.plan_merge(head, book, [intake.read_export("b.csv", [ERP, _erp(new, "2025-06-10 09:00")])])
    assert (0, at) not in plan.cells
    plan = intake.plan_merge(head, book, [intake.read_export("b.csv", [ERP, _erp(new, "2025-06-11 09:00")])])
    assert plan.cells[(0, at)] == new and plan.cells[(0, head.index("物流更新时间"))] == datetime(2025, 6, 11, 9, 0)


def _csv(path: Path, rows) -> Path:
    with open(path, "w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEAD)
        w.writerows(rows)
    return path


def _risks(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8-sig") as fh:
        return {r["售后单号"] or r.get("退款编号", ""): r["loss_risk"] for r in csv.DictReader(fh)}


def test_the_book_decides_loss_risk_as_the_newest_export_itself(tmp_path, capsys):
    """The red team's two days: each refunded case's parcel ends one way on 0610 and another on 0611."""
    day1 = [_row(n, old) for n, (old, _new) in enumerate(PAIRS)]
    day2 = [_row(n, new, variant=n) for n, (_old, new) in enumerate(PAIRS)]
    a, b = _csv(tmp_path / "淘宝退款_0610.csv", day1), _csv(tmp_path / "淘宝退款_0611.csv", day2)
    book = tmp_path / "售后登记.xlsx"
    assert main(["import", str(a), "--into", str(book), "--now", NOW]) == 0
    assert main(["import", str(b), "--into", str(book), "--now", NEXT_DAY]) == 0
    out = capsys.readouterr().out
    assert f"更新 {len(PAIRS)} 行" in out and f"物流状态终态按最新导出改写 {len(PAIRS)} 格" in out, out
    assert "物流状态「拒收」→「已签收」" in out
    assert main(["evaluate", str(book), "--out", str(tmp_path / "book.csv"), "--now", NEXT_DAY]) == 0
    assert main(["evaluate", str(b), "--out", str(tmp_path / "direct.csv"), "--now", NEXT_DAY]) == 0
    with open(tmp_path / "direct.csv", encoding="utf-8-sig") as fh:
        direct = {r["退款编号"].strip('="'): r["loss_risk"] for r in csv.DictReader(fh)}
    got = _risks(tmp_path / "book.csv")
    assert got == direct, (got, direct)
    signed = [f"178234567890{n:05d}9" for n, (_o, new) in enumerate(PAIRS) if new == "已签收"]
    assert signed and all(got[c] == "RISK" for c in signed)  # refunded, the buyer has the goods: 钱货两空
