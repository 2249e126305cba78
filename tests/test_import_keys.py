"""Keys that keep cases apart (contract §7 import; issue 19 "import merges what is not one case, silently").

A case is known by 平台 + 售后单号, else 订单号 + 物流单号; a lossy id is never a key;
every merge, skip and conflict is reported.  The family: hypothesis builds exports
out of cases (with or without 售后单号, sent in one or two parcels, a 售后单号 that
comes with a second 订单号), repeats some rows as they are and some with another
value, and checks what the book holds against the cases — not against examples.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from refund_xl._app import intake, intake_read
from refund_xl._app.intake import CONFLICT_SEP
from refund_xl._files import files
from refund_xl.cli import main

from import_helpers import corpus

NOW = "2025-06-10T12:00"
EXPORTS = Path(__file__).resolve().parent / "data" / "exports"

# Two real header rows (platforms.md): 拼多多 售后列表 (always a 售后编号) and the 旺店通 ERP export
# (invented header, as tests/data/exports/wdt_export.csv: a 退换单号 may be missing).
PDD = {"case": "售后编号", "order": "订单编号", "parcel": "发货快递单号", "carrier": "发货快递公司", "amount": "申请退款金额",
       "state": "售后状态", "type": "售后类型", "applied": "申请时间",
       "header": ["售后编号", "订单编号", "商品名称", "售后类型", "售后状态", "申请时间", "售后原因", "申请退款金额",
                  "订单金额", "订单状态", "发货快递公司", "发货快递单号", "退货快递公司", "退货快递单号", "超时时间", "店铺名称",
                  "商品规格", "售后描述"],
       "states": ("买家申请退款，待商家处理", "退款成功", "平台处理中"), "type_word": "仅退款", "platform": "拼多多"}
WDT = {"case": "退换单号", "order": "原始单号", "parcel": "物流单号", "carrier": "物流公司", "amount": "退款金额",
       "state": "处理状态", "type": "类型", "applied": "建单时间",
       "header": ["退换单号", "原始单号", "店铺名称", "类型", "处理状态", "退款金额", "建单时间", "退款原因", "发货状态",
                  "物流公司", "物流单号", "退回物流公司", "退回物流单号", "备注"],
       "states": ("待审核", "已完成", "已同意"), "type_word": "退款", "platform": "旺店通"}


@st.composite
def cases(draw, fmt):
    """Distinct cases: (售后单号 or None, 订单号, [物流单号 …]); some 售后单号 come with a second 订单号."""
    n = draw(st.integers(1, 7))
    out = []
    for i in range(n):
        with_case = fmt is PDD or draw(st.booleans())
        parcels = [f"7523{i:02d}{p:08d}" for p in range(draw(st.integers(1, 2)))]
        case = f"{81000 + i}" if with_case else None
        out.append((case, f"2506{i:02d}-6600{i:08d}", parcels))
        if with_case and draw(st.integers(0, 4)) == 0:  # the same 售后单号 again, with another 订单号
            out.append((case, f"2506{i:02d}-7700{i:08d}", [f"7524{i:02d}00000001"]))
    return out


def _row(fmt, case, order, parcel, state, amount):
    cells = {fmt["case"]: case, fmt["order"]: order, fmt["parcel"]: parcel, fmt["carrier"]: "中通快递",
             fmt["amount"]: f"{amount:.2f}", fmt["state"]: state, fmt["type"]: fmt["type_word"],
             fmt["applied"]: "2025-06-09 10:00", "订单状态": "已发货，待签收", "发货状态": "已发货"}
    return [cells.get(h) for h in fmt["header"]]


@st.composite
def exports(draw):
    """(format, the cases, the export's rows, how many rows repeat a case: identical / with another 售后状态)."""
    fmt = draw(st.sampled_from([PDD, WDT]))
    truth = draw(cases(fmt))
    rows, same, differ = [], 0, 0
    for case, order, parcels in truth:
        for parcel in parcels:
            rows.append(_row(fmt, case, order, parcel, fmt["states"][0], 59.0))
            repeat = draw(st.sampled_from(["none", "none", "same", "other"]))
            if repeat == "same":
                rows.append(_row(fmt, case, order, parcel, fmt["states"][0], 59.0))
                same += 1
            elif repeat == "other":
                rows.append(_row(fmt, case, order, parcel, fmt["states"][1], 59.0))
                differ += 1
    order = draw(st.permutations(range(len(rows))))
    return fmt, truth, [rows[i] for i in order], same, differ


def _plan(header, rows, book_rows=None, book_head=None):
    read = intake.read_export("x.csv", [header, *rows])
    head = book_head or intake.new_sheet_headers()
    return intake.plan_merge(head, book_rows or [], [read]), read, head


def _identities(plan, head):
    c, o, t = head.index("售后单号"), head.index("订单号"), head.index("物流单号")
    return [(r[c], r[o], r[t]) for r in plan.appended]


FAMILY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAMILY
@given(exports())
def test_one_row_per_case_and_parcel_every_merge_reported(sample):
    fmt, truth, rows, same, differ = sample
    plan, read, head = _plan(fmt["header"], rows)
    want = sorted((case or "", order, parcel) for case, order, parcels in truth for parcel in parcels)
    got = [(c or "", o, t) for c, o, t in _identities(plan, head)]
    assert sorted(got) == want  # nothing merged that is not one case, nothing lost, no case twice
    assert plan.counts["merged"] == same + differ == len(rows) - len(want)
    kinds = Counter(n.kind for n in plan.notes)
    assert kinds["merged"] + kinds["conflict"] == same + differ
    assert kinds["conflict"] == differ
    state = head.index("售后状态")
    ids = [head.index(h) for h in ("售后单号", "订单号", "物流单号")]
    conflicted = [tuple(r[i] for i in ids) for r in plan.appended if CONFLICT_SEP in str(r[state])]
    assert len(conflicted) == len(set(conflicted))
    assert (differ > 0) == bool(conflicted)
    two_orders = Counter(case for case, _o, _p in truth if case)
    assert kinds["apart"] >= sum(1 for n in two_orders.values() if n > 1)


@FAMILY
@given(exports())
def test_importing_again_changes_nothing(sample):
    fmt, _truth, rows, _same, _differ = sample
    plan, _read, head = _plan(fmt["header"], rows)
    again, _r, _h = _plan(fmt["header"], rows, book_rows=[list(r) for r in plan.appended], book_head=head)
    assert not again.appended and not again.cells, (again.cells, [n.text for n in again.notes])


@FAMILY
@given(exports(), st.data())
def test_a_desks_own_case_number_is_one_case_reported_and_kept(sample, data):
    fmt, truth, rows, _same, _differ = sample
    plan, _read, head = _plan(fmt["header"], rows)
    book = [list(r) for r in plan.appended]
    c = head.index("售后单号")
    mine = [i for i, r in enumerate(book) if r[c]]
    if not mine:
        return
    pick = data.draw(st.sampled_from(mine))
    book[pick][c] = f"SH-{pick:04d}"  # the desk's own numbering for that case
    # the other rows of that 售后单号 (its other parcels): the desk numbered them too
    original = plan.appended[pick][c]
    for i in mine:
        if plan.appended[i][c] == original:
            book[i][c] = f"SH-{pick:04d}"
    again, _r, _h = _plan(fmt["header"], rows, book_rows=book, book_head=head)
    assert not again.appended, [n.text for n in again.notes]
    assert all(again.cells.get((i, c)) is None for i in range(len(book)))  # the desk's number kept
    assert any(n.kind == "desk_id" for n in again.notes)


def test_two_parcels_of_one_order_without_case_number_stay_two_rows_and_are_tracked():
    head = WDT["header"]
    rows = [_row(WDT, None, "250601-660000000001", "752300000001", "待审核", 59.0),
            _row(WDT, None, "250601-660000000001", "752300000002", "待审核", 59.0)]
    plan, _read, book_head = _plan(head, rows)
    assert sorted(r[book_head.index("物流单号")] for r in plan.appended) == ["752300000001", "752300000002"]
    assert any("另一个包裹" in n.text for n in plan.notes)
    # the next day's export gives one of them a 售后单号: it finds its own parcel's row
    rows2 = [_row(WDT, "TH1", "250601-660000000001", "752300000002", "已完成", 59.0)]
    again, _r, _h = _plan(head, rows2, book_rows=[list(r) for r in plan.appended], book_head=book_head)
    assert not again.appended and {r for r, _c in again.cells} == {1}


def test_an_export_without_parcel_numbers_is_not_guessed_onto_one_of_two_parcels():
    head = WDT["header"]
    book_head = intake.new_sheet_headers()
    first, _r, _h = _plan(head, [_row(WDT, None, "O-1", "752300000001", "待审核", 59.0),
                                 _row(WDT, None, "O-1", "752300000002", "待审核", 59.0)])
    plan, _r, _h = _plan(head, [_row(WDT, None, "O-1", None, "已完成", 59.0)],
                         book_rows=[list(r) for r in first.appended], book_head=book_head)
    assert not plan.cells and not plan.appended and plan.counts["skipped"] == 1
    assert any("无法确定是哪一行" in n.text for n in plan.notes)


def test_one_case_in_two_parcels_gets_its_platform_facts_on_both_rows():
    head = PDD["header"]
    first, _r, book_head = _plan(head, [_row(PDD, "81001", "O-1", "752300000001", "平台处理中", 59.0),
                                        _row(PDD, "81001", "O-1", "752300000002", "平台处理中", 59.0)])
    assert len(first.appended) == 2
    plan, _r, _h = _plan(head, [[*_row(PDD, "81001", "O-1", None, "退款成功", 59.0)]],
                         book_rows=[list(r) for r in first.appended], book_head=book_head)
    state = book_head.index("售后状态")
    assert {k: v for k, v in plan.cells.items() if k[1] == state} == {(0, state): "已退款", (1, state): "已退款"}
    assert any(n.kind == "split" for n in plan.notes)


def test_a_lossy_id_is_never_a_key():
    head = WDT["header"]
    rows = [_row(WDT, None, "4.80299E+18", None, "待审核", 45.0), _row(WDT, None, "4.80299E+18", None, "待审核", 47.0),
            _row(WDT, "TH9", "4.80299E+18", "752300000009", "待审核", 99.0),
            _row(WDT, "TH8", "4.80299E+18", "752300000008", "待审核", 98.0)]
    plan, read, book_head = _plan(head, rows)
    assert [s.reason for s in read.skipped] == [intake_read.LOSSY_ID] * 2
    assert sorted(r[book_head.index("售后单号")] for r in plan.appended) == ["TH8", "TH9"]  # apart: never merged
    assert all(r[book_head.index("订单号")] == "4.80299E+18" for r in plan.appended)  # kept as it came
    # a number cell of an .xlsx export that lost its digits: written as Excel shows it, never as digits
    as_number = [list(rows[2])]
    as_number[0][head.index("原始单号")] = 4.80299e18
    got = _plan(head, as_number)[0].appended
    assert got[0][book_head.index("订单号")] == "4.80299E+18"
    # a book row whose 订单号 lost its digits is not the key of an export row either
    book = [list(plan.appended[0])]
    book[0][book_head.index("售后单号")] = None
    again, _r, _h = _plan(head, [_row(WDT, None, "4802990940898679808", "752300000009", "待审核", 99.0)],
                          book_rows=book, book_head=book_head)
    assert len(again.appended) == 1 and not again.cells
    # nor is an export's 订单号 written out as Excel's 15 digits and zeros: it is no key at all
    padded, read_p, _h = _plan(head, [_row(WDT, None, "4802990000000000000", "752300000009", "待审核", 99.0)],
                               book_rows=book, book_head=book_head)
    assert not padded.appended and not padded.cells and [s.reason for s in read_p.skipped] == [intake_read.LOSSY_ID]


# ------------------------------------------------------------------ end to end on the corpus file

def test_the_erp_file_with_parcels_repeats_and_lost_digits(tmp_path, capsys):
    mi = corpus()

    book = tmp_path / "book.xlsx"
    assert main(["import", str(EXPORTS / mi.WDT_FILE), "--into", str(book), "--now", NOW]) == 0
    out = capsys.readouterr().out
    rows = files.read_sheets(book)["售后登记"]
    head = rows[0]
    assert len(rows) - 1 == mi.EXPECT["wdt_rows"]
    for reason, n in mi.EXPECT["wdt_skipped"].items():
        assert f"{reason} {n}" in out
    assert "同一导出中重复出现，合并为一行" in out and "内容不一致" in out and "对应两个订单号" in out
    amounts = [r[head.index("退款金额")] for r in rows[1:] if r[head.index("售后单号")] == "TH202506100003"]
    assert amounts == [f"128{CONFLICT_SEP}218"]
    log = files.read_sheets(book)["运行日志"]
    assert "合并 2 行" in log[-1][log[0].index("导入结果")]
    assert main(["evaluate", str(book), "--out", str(tmp_path / "ev.csv"), "--now", NOW]) == 0
    with open(tmp_path / "ev.csv", encoding="utf-8-sig") as fh:
        ev = {r["售后单号"]: r for r in csv.DictReader(fh) if r["售后单号"]}
    assert ev["TH202506100003"]["action_code"] == "NEEDS_INFO" and "退款金额" in ev["TH202506100003"]["action"]


def test_a_generated_export_end_to_end(tmp_path):
    """The family once through the command line: a GBK CSV, the book, a second import."""
    fmt = WDT
    rows = [_row(fmt, f"TH{i}" if i % 2 else None, f"O-{i // 2}", f"7523{i:08d}", "待审核", 50.0 + i) for i in range(12)]
    rows += rows[:3]
    buf = io.StringIO()
    csv.writer(buf).writerows([fmt["header"], *rows])
    export = tmp_path / "旺店通_0610.csv"
    export.write_bytes(buf.getvalue().encode("gbk"))
    book = tmp_path / "book.xlsx"
    assert main(["import", str(export), "--into", str(book), "--now", NOW]) == 0
    got = files.read_sheets(book)["售后登记"]
    assert len(got) - 1 == 12
    assert main(["import", str(export), "--into", str(book), "--now", NOW]) == 0
    assert files.read_sheets(book)["售后登记"] == got


def _csv(path: Path, rows) -> Path:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


@pytest.mark.parametrize("merges", [0, 45])
def test_a_skipped_case_is_counted_with_its_reason_and_shown_before_the_merges(tmp_path, capsys, merges):
    """An order-only line against an order the book holds as two parcels is not imported: the summary said
    「跳过 2 行（表头上方的提示行 1）」 — the second skip without its reason — and the line saying why came after
    100 merge lines, past the 30 shown.  Every skip is counted by its reason (summary, 运行日志), and its line
    comes before the merges."""
    book = tmp_path / "book.xlsx"
    head = WDT["header"]
    first = _csv(tmp_path / "wdt_1.csv", [head, _row(WDT, None, "O-1", "752300000001", "待审核", 59.0),
                                          _row(WDT, None, "O-1", "752300000002", "待审核", 59.0)])
    assert main(["import", str(first), "--into", str(book), "--now", NOW]) == 0
    pdd = [_row(PDD, f"8{n:05d}", f"P-{n}", f"7524{n:08d}", "平台处理中", 20.0) for n in range(merges)]
    files_ = [_csv(tmp_path / "pdd_1.csv", [PDD["header"], *pdd]), _csv(tmp_path / "pdd_2.csv", [PDD["header"], *pdd]),
              _csv(tmp_path / "wdt_2.csv", [head, _row(WDT, None, "O-1", None, "已完成", 59.0)])]
    capsys.readouterr()
    assert main(["import", *map(str, files_), "--into", str(book), "--now", NOW]) == 0
    printed = capsys.readouterr().out.splitlines()
    summary = next(line for line in printed if "跳过 1 行" in line)
    assert "无法确定对应行 1" in summary, summary
    shown = printed[printed.index(summary) + 1:]
    cut = next((n for n, line in enumerate(shown) if line.startswith("  … 另有")), len(shown))
    assert any("无法确定是哪一行" in line for line in shown[:cut]), shown[:5]
    assert not any("合并为一行" in line for line in shown[:1]), shown[:2]
    log = files.read_sheets(book)["运行日志"]
    assert "无法确定对应行 1" in str(log[-1]), log[-1]


def test_a_kind_of_note_never_crowds_out_another():
    plan = intake.MergePlan()
    for n in range(2100):
        plan.note("merged", f"m{n}")
    plan.note("skipped", "s")
    assert [n.text for n in plan.shown_notes()][0] == "s" and plan.note_counts["merged"] == 2100
