"""Desk workbook shapes (red team s48, layout): what the sheet shows is what is read.

* A cell merged down over rows of the table (已退款 over a run of cases refunded together, the order number over the
  two parcels of a split shipment) is its value in every row it spans, as Excel shows it — never the field's default
  (a refund again, 钱货两空 missed).  fill and batch leave the ranges and the desk's cells as they were.
* Two columns under one short header (状态 and 状态): each reads the other's blanks, as the report says; two words → asked.
* A header row under a 填写说明 block (row 11 and further) is found; where none is, the message says where it looked.
* Rows that are no case: a section's date or label alone in the first column, Excel's 分类汇总 lines
  (「仅退款 汇总」「总计」 in 售后类型): no result, not counted — evaluate, batch and import alike.
* A group title over generic sub-headers (物流 over 状态 / 更新时间) reads as 物流状态 / 物流更新时间.
* The reading report says where the header was, what was combined, merged or skipped, and what only a pasted block has.
* (h50) A group title over a full name of a field reads with it where the two name another field (退货 over 物流状态); the
  canonical header wins over the field's English name beside it whatever the order; a checkbox under a 是否 question
  is its answer; a required header typed with a slip is named in the refusal.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from refund_xl._app import book as book_mod, intake, intake_read
from refund_xl._core import context, engine, fields
from refund_xl._core.errors import RefundXLError
from refund_xl._core.ranges import SheetRows
from refund_xl._files import files
from refund_xl.cli import main

NOW = datetime(2025, 6, 10, 12, 0)
HEAD = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流更新时间", "收货省份", "拦截状态", "拦截时间", "售后状态",
        "客户反馈", "备注"]


def _case(n: int) -> list[object]:
    """A shipped 仅退款 of a low-value parcel in transit: refunded now with an interception, unless the sheet says more."""
    return [f"25061000{n:05d}", "仅退款", 39 + n, "已发货", "运输中", datetime(2025, 6, 10, 8, n), "浙江", None, None, None,
            None, None]


def _book(path: Path, head: list[object], rows: list[list[object]], merges: list[tuple[int, int, int, int]] = (),
          above: list[list[object]] = ()) -> Path:
    """A workbook: lines ``above`` the header, the header, the rows; ``merges``: (first row, column, last row, last
    column), 0-based over the rows below the header, the value kept in the top-left cell only (as Excel does)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    for r, line in enumerate(above, start=1):
        for c, v in enumerate(line, start=1):
            ws.cell(r, c, v)
    top = len(above) + 1
    for c, v in enumerate(head, start=1):
        ws.cell(top, c, v)
    for r, row in enumerate(rows, start=top + 1):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    for r1, c1, r2, c2 in merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    ws.cell(top + 1 + r, c + 1).value = None
        ws.merge_cells(start_row=top + 1 + r1, start_column=c1 + 1, end_row=top + 1 + r2, end_column=c2 + 1)
    wb.save(path)
    return path


def _results(path: Path) -> list[engine.RowResult]:
    tracking = book_mod.find_tracking(files.SheetReader(path), None, None)
    ctx = context.build(now=NOW)
    return engine.evaluate_table(tracking.rows, tracking.headers, ctx, columns=tracking.columns)[0]


def _report(path: Path):
    tracking = book_mod.find_tracking(files.SheetReader(path), None, None)
    return engine.evaluate_table(tracking.rows, tracking.headers, context.build(now=NOW), columns=tracking.columns)[1]


def _said(results: list[engine.RowResult]) -> list[tuple[object, ...]]:
    return [(r.action_code, r.loss_risk) if not r.blank else None for r in results]


# ------------------------------------------------------------------ 1. merged cells in the data area

# (field, the value merged over the rows): each changes what a row of _case decides, so its default would not do
MERGED = [("售后状态", "已退款"), ("售后状态", "已关闭"), ("售后状态", "已完结"), ("拦截状态", "拦截失败"),
          ("拦截状态", "拦截成功")]


@pytest.mark.parametrize("field,value", MERGED)
@pytest.mark.parametrize("start,span", [(0, 2), (1, 3), (3, 2)])
def test_a_value_merged_over_rows_is_read_in_every_row_as_typed_out(tmp_path, field, value, start, span):
    head = HEAD if field in HEAD else [*HEAD[:-1], field, "备注"]
    col = head.index(field)
    rows = [_case(n) + [None] * (len(head) - len(HEAD)) for n in range(6)]
    for r in range(start, start + span):
        rows[r][col] = value
        if field == "拦截状态":
            rows[r][head.index("拦截时间")] = datetime(2025, 6, 9, 10, 0)
    typed = _said(_results(_book(tmp_path / "typed.xlsx", head, rows)))
    merged = _said(_results(_book(tmp_path / "merged.xlsx", head, rows, [(start, col, start + span - 1, col)])))
    assert merged == typed
    if value in ("已退款", "已关闭", "已完结"):
        assert {typed[r][0] for r in range(start, start + span)} == {"DONE"}


@pytest.mark.parametrize("far", [False, True])
def test_an_order_number_merged_over_a_split_shipment_is_the_order_of_both_rows(tmp_path, far):
    """``far``: a stray cell far below the data, so the sheet is read by the sparse reader (bounded.py), not calamine."""
    rows = [_case(n) for n in range(4)]
    rows[1][0] = rows[0][0]
    rows[0][9] = rows[1][9] = "已退款"
    path = _book(tmp_path / "split.xlsx", HEAD, rows, [(0, 0, 1, 0), (0, 9, 1, 9)])
    if far:
        wb = openpyxl.load_workbook(path)
        wb.active.cell(120_000, 3, "x")
        wb.save(path)
    got = _results(path)
    assert [r.case.order_id for r in got[:2]] == [rows[0][0]] * 2
    assert [(r.action_code, r.loss_risk) for r in got[:2]] == [("DONE", "RISK")] * 2  # refunded, the parcel in transit
    assert "合并单元格 2 处" in "\n".join(_report(path).lines())


def test_a_merge_across_columns_gives_no_other_field_its_value(tmp_path):
    """A note merged across 售后状态 and 备注 is the 售后状态 of its row only; a section title merged across the row is
    no case (its value is never read into 售后类型)."""
    rows = [_case(n) for n in range(4)]
    rows[0][9] = "已退款"
    rows.insert(2, ["6月9日"] + [None] * (len(HEAD) - 1))
    got = _said(_results(_book(tmp_path / "across.xlsx", HEAD, rows, [(0, 9, 0, 11), (2, 0, 2, 11)])))
    assert got[0] == ("DONE", "RISK") and got[1][0] != "DONE" and got[2] is None


@pytest.mark.parametrize("command", ["fill", "batch"])
def test_fill_and_batch_leave_merged_ranges_and_staff_cells_as_they_were(tmp_path, command):
    rows = [_case(n) for n in range(6)]
    rows[1][0] = rows[0][0]
    for r in (0, 1):
        rows[r][9] = "已退款"
    for r in (2, 3, 4):
        rows[r][7] = "拦截失败"
        rows[r][8] = datetime(2025, 6, 9, 10, 0)
    merges = [(0, 0, 1, 0), (0, 9, 1, 9), (2, 7, 4, 7), (2, 8, 4, 8)]
    path = _book(tmp_path / "desk.xlsx", HEAD, rows, merges)
    before = openpyxl.load_workbook(path)["售后登记"]
    cells = {(c.row, c.column): c.value for row in before.iter_rows() for c in row}
    ranges = sorted(str(r) for r in before.merged_cells.ranges)
    assert main([command, str(path), "--now", "2025-06-10T12:00", *(["--quiet"] if command == "batch" else [])]) == 0
    after = openpyxl.load_workbook(path)["售后登记"]
    assert sorted(str(r) for r in after.merged_cells.ranges) == ranges
    assert {(r, c): after.cell(r, c).value for (r, c) in cells} == cells
    if command == "batch":  # the interceptions that failed are no 登记后直接退款: only the sixth case is registered
        register = openpyxl.load_workbook(path)["拦截登记"]
        assert [r[1] for r in register.iter_rows(min_row=2, values_only=True) if r[1]] == [rows[5][0]]
    if command == "fill":
        head = [c.value for c in after[1]]
        risk = head.index("钱货两空风险") + 1
        action = head.index("处理动作") + 1
        assert [after.cell(r, risk).value for r in (2, 3)] == [after.cell(2, risk).value] * 2 != [None, None]
        assert after.cell(3, action).value == after.cell(2, action).value


# ------------------------------------------------------------------ 2. two columns under one short header

@pytest.mark.parametrize("word", ["已关闭", "已退款", "已完结"])
@pytest.mark.parametrize("blank_first", [True, False])
def test_two_columns_headed_alike_read_each_others_blanks(tmp_path, word, blank_first):
    head = ["订单号", "售后类型", "退款金额", "发货状态", "状态", "状态"]
    pair = [None, word] if blank_first else [word, None]
    rows = [["1001", "仅退款", 89, "未发货", *pair]]
    results, rep = engine.evaluate_read(rows, head, now=NOW)
    assert results[0].action_code == "DONE"
    assert "状态" not in rep.unused
    other = ["处理中", "已关闭"] if word != "已关闭" else ["处理中", "已退款"]
    asked = engine.evaluate(rows + [["1002", "仅退款", 89, "未发货", *other]], head, now=NOW)
    assert asked[1].action_code == "NEEDS_INFO" and "售后状态" in asked[1].action_label()


# ------------------------------------------------------------------ 3. the header row under a block of lines

@pytest.mark.parametrize("lines", [10, 11, 15, 30, 47])
def test_a_header_under_a_block_of_instructions_is_found(tmp_path, lines):
    above = [[f"{n}. 填写说明第 {n} 条"] if n % 4 else [] for n in range(1, lines + 1)]
    path = _book(tmp_path / "notes.xlsx", HEAD, [_case(n) for n in range(3)], above=above)
    got = _results(path)
    assert len(got) == 3 and not any(r.blank for r in got)
    assert f"表头在第 {lines + 1} 行" in "\n".join(_report(path).lines())
    read = intake.read_export("x.xlsx", files.SheetReader(path).rows("售后登记"))
    assert len(read.cases) == 3


@pytest.mark.parametrize("lines", [60, 80])
def test_no_header_found_says_where_it_looked(tmp_path, lines):
    path = _book(tmp_path / "far.xlsx", HEAD, [_case(0)], above=[["说明"]] * lines)
    with pytest.raises(RefundXLError, match="前 50 行中没有同时含「订单号」和「售后类型」的表头行"):
        book_mod.find_tracking(files.SheetReader(path), "售后登记", None)
    with pytest.raises(RefundXLError, match="前 10 行（上方只有标题、说明行时前 50 行）"):
        book_mod.find_tracking(files.SheetReader(path), None, None)


def test_a_table_above_stops_the_search_at_row_ten(tmp_path):
    """A row of a table (three cells) above row 11 is data, not a notice: the header below it is not looked for."""
    above = [["a", "b", "c"]] + [["说明"]] * 12
    path = _book(tmp_path / "table.xlsx", HEAD, [_case(0)], above=above)
    with pytest.raises(RefundXLError, match="前 10 行"):
        book_mod.find_tracking(files.SheetReader(path), "售后登记", None)


# ------------------------------------------------------------------ 4. rows that are no case

SECTIONS = ["6月8日", "6月10日", "2025-06-08", "6/9", datetime(2025, 6, 8), "上午批", "张三负责"]
SUBTOTALS = ["仅退款 汇总", "退货退款 汇总", "总计", "仅退款 计数", "总计数", "退货退款 平均值", "Grand Total", "仅退款 Total"]


def _with_lines(lines: list[list[object]]) -> tuple[list[list[object]], list[int]]:
    rows = [_case(n) for n in range(4)]
    at = []
    for k, line in enumerate(lines):
        rows.insert(2 * k + 1, line)
        at.append(2 * k + 1)
    return rows, at


@pytest.mark.parametrize("label", SECTIONS)
@pytest.mark.parametrize("column", [0, 1])
def test_a_section_label_alone_is_no_case(tmp_path, label, column):
    head = HEAD if column == 0 else ["序号", *HEAD]
    line = [label] + [None] * (len(head) - 1)
    rows, at = _with_lines([line])
    rows = rows if column == 0 else [[None if r in at else i + 1, *row] if r not in at else row
                                     for i, (r, row) in enumerate(enumerate(rows))]
    results = engine.evaluate(rows, head, now=NOW)
    assert [i for i, r in enumerate(results) if r.blank] == at
    cmap = fields.resolve(head)
    # (in 序号, a column no field reads, the label is no field's content: the row is blank, as a formula that is
    # handed only the field columns sees it)
    assert engine.not_a_case(rows[at[0]], cmap) == ("section" if column == 0 else "blank")


@pytest.mark.parametrize("label", SUBTOTALS)
def test_excels_subtotal_lines_are_no_cases_for_evaluate_batch_and_import(tmp_path, label):
    line: list[object] = [None] * len(HEAD)
    line[1], line[2] = label, 1152.8
    rows, at = _with_lines([line, ["6月9日"] + [None] * (len(HEAD) - 1)])
    results = engine.evaluate(rows, HEAD, now=NOW)
    assert [i for i, r in enumerate(results) if r.blank] == at
    read = intake.read_export("x.csv", [HEAD, *rows])
    assert len(read.cases) == 4
    assert sorted((s.line - 2, s.reason) for s in read.skipped) == [(at[0], intake_read.TOTALS),
                                                                     (at[1], intake_read.SECTION)]
    path = _book(tmp_path / "sub.xlsx", HEAD, rows)
    out = tmp_path / "out.xlsx"
    assert main(["batch", str(path), "--out", str(out), "--now", "2025-06-10T12:00", "--quiet"]) == 0
    rep = "\n".join(_report(path).lines())
    assert "合计/小计行 1 行" in rep and "分段标题行（日期或标题单独一行） 1 行" in rep and "：4 行" in rep


    # the rule stays narrow: an id makes a row a case (its 售后类型 asked), an id alone is a case to fill in, so is a
    # word in another field's column
    for row in (["25061000001", label, 39] + [None] * (len(HEAD) - 3), ["25061000001"] + [None] * (len(HEAD) - 1),
                [None] * 9 + ["已退款", None, None]):
        assert engine.not_a_case(row, fields.resolve(HEAD)) is None


# ------------------------------------------------------------------ 5/6. group titles and the reading report

@pytest.mark.parametrize("merged", [True, False])
def test_a_group_title_over_generic_sub_headers_names_the_fields(tmp_path, merged):
    """物流 over 状态 / 更新时间, 售后 over 状态: 物流状态, 物流更新时间, 售后状态 — merged across its columns, or
    written over each (a CSV written out from it has the title over its first column only: not guessed further)."""
    groups = ["订单", None, None, "物流", "物流" if not merged else None, "售后"]
    sub = ["订单号", "类型", "金额", "状态", "更新时间", "状态"]
    rows = [["1001", "仅退款", 39, "运输中", datetime(2025, 6, 10, 8, 0), "已退款"],
            ["1002", "仅退款", 39, "运输中", datetime(2025, 6, 10, 8, 0), None]]
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, line in enumerate([groups, sub, *rows], start=1):
        for c, v in enumerate(line, start=1):
            ws.cell(r, c, v)
    ws.cell(1, 1).value = "订单"
    if merged:
        ws.merge_cells("A1:C1")
        ws.merge_cells("D1:E1")
    wb.save(tmp_path / "groups.xlsx")
    tracking = book_mod.find_tracking(files.SheetReader(tmp_path / "groups.xlsx"), None, None)
    index = tracking.columns.index
    assert index["logistics"] == 3 and index["last_update"] == 4 and index["case_state"] == 5
    got = engine.evaluate_table(tracking.rows, tracking.headers, context.build(now=NOW), columns=tracking.columns)
    assert [(r.case.logistics, r.case.case_state) for r in got[0]] == [("运输中", "已退款"), ("运输中", "处理中")]
    assert got[0][0].action_code == "DONE" and got[0][1].action_code != "DONE"
    assert "物流+状态→物流状态" in "\n".join(got[1].lines())


def test_the_report_says_what_only_a_pasted_block_has(tmp_path):
    second = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流更新时间", "收货省份", "拦截状态", "拦截时间", "验货结果"]
    rows = [_case(0)[:9] + [None], _case(1)[:9] + [None], second, _case(2)[:8] + [datetime(2025, 6, 10, 9, 0), None]]
    head = HEAD[:9] + ["备注"]
    rows[0][8] = None
    head[8] = "收件人"
    _results_, rep = engine.evaluate_read(rows, head, now=NOW)
    text = "\n".join(rep.lines())
    assert "拦截时间（第 4 行起）" in text and "验货结果（第 4 行起）" in text
    assert "拦截时间=无" not in text


# ------------------------------------------------------------------ 7. a group title over a full field name (h50)

# Group titles a desk writes over its columns, and every name of a field of three characters or more: where the two
# together are a name of another field (退货 over 物流状态: 退货物流状态; 仓库 over 签收时间: 退货签收时间), the column is
# that field, never a second column of the lower name's own.
_GROUP_TITLES = ("退货", "退回", "寄回", "回寄", "退件", "拦截", "仓库", "商家", "物流", "售后", "订单", "发货", "买家")
_FULL_NAMES = sorted({n for f in fields.FIELDS for n in (f.header, *f.aliases) if len(n) > 2 and not n.isascii()})
_GROUPED_FULL = [(g, n, k) for g in _GROUP_TITLES for n in _FULL_NAMES
                 if (k := fields._strong_field(g + n, fields.Mappings())) is not None
                 and k not in fields.resolve([n]).index]


@pytest.mark.parametrize("group,name,key", _GROUPED_FULL)
@pytest.mark.parametrize("merged", [True, False])
def test_a_group_title_over_a_full_field_name_reads_as_the_two_together(group, name, key, merged):
    """退货 over 原因 / 物流状态 beside the outbound 物流状态, 退货 over 物流单号: the return's columns (退货物流状态,
    退货物流单号) — not a second 物流状态 or 物流单号 whose column is the return's (contract §2: the upper group title and
    the lower name read together)."""
    lower = ["订单号", "售后类型", "退款金额", "原因", name, name]
    upper: list[object] = [None, None, None, group, None if merged else group, None]
    rows = SheetRows([upper, lower])
    rows.merged = ((0, 3, 0, 4),) if merged else ()
    found = fields.header_at(rows)
    assert found is not None and found.columns.index.get(key) == 4, (group, name, found and found.columns.index)
    assert [k for k, col in found.columns.index.items() if col == 4] == [key]
    assert all(4 not in cols for cols in found.columns.also.values())  # (nor another column of the lower name's field)
    assert f"{group}+{name}" in found.columns.grouped
    assert fields.resolve([name]).index.keys() <= {k for k, col in found.columns.index.items() if col == 5}
    # 列名映射 wins (contract §2): the lower name mapped to its own field stays that field's, under any title
    (own,) = fields.resolve([name]).index
    mapped = fields.header_at(rows, {name: own})
    assert mapped is not None and mapped.columns.index.get(own) == 4 and not mapped.columns.grouped


# (the shapes: a title over the whole header; one over 售后类型 and the name, the plain name again at the right;
# sections 订单信息 / the group over the only column of the name)
def _whole_title(group, name):
    rows = SheetRows([[group, None, None, None, None], ["订单号", "售后类型", "退款金额", "原因", name]])
    rows.merged = ((0, 0, 0, 4),)
    return rows


def _over_identity(group, name):
    rows = SheetRows([[None, group, None, None, None, None], ["订单号", "售后类型", "退款金额", "原因", name, name]])
    rows.merged = ((0, 1, 0, 4),)
    return rows


def _sections(group, name):
    rows = SheetRows([["订单信息", None, None, group, None], ["订单号", "售后类型", "退款金额", "原因", name]])
    rows.merged = ((0, 0, 0, 2), (0, 3, 0, 4))
    return rows


@pytest.mark.parametrize("group,name,key", _GROUPED_FULL)
@pytest.mark.parametrize("shape", [_whole_title, _sections, _over_identity])
def test_a_title_that_is_no_group_leaves_a_full_field_name_as_it_is(group, name, key, shape):
    """A returns desk's sheet title 「退货」 merged over the whole header, a title over 订单号 / 售后类型, or a section
    「退货」 over the only 快递公司 / 物流单号 / 物流状态 (no other column has the name): the lower name is read as it
    is — the outbound parcel's, not the return's, so no in-transit parcel goes unread — and the reading report
    says the title was not read with it and how to make it the return's (when unsure, not joined: asked)."""
    rows = shape(group, name)
    lower = list(rows[1])
    found = fields.header_at(rows)
    (own,) = fields.resolve([name]).index
    assert found is not None and found.columns.index.get(own) == 4, (group, name, found and found.columns.index)
    assert key not in found.columns.index and f"{group}+{name}" not in found.columns.grouped
    assert f"{group}+{name}" in found.columns.ungrouped
    body = [["1", "仅退款", 9, "不想要", "运输中", "运输中"][:len(lower)]]
    _results, rep = engine.evaluate_table(body, lower, context.build(), columns=found.columns)
    text = "\n".join(rep.lines())
    assert f"分组标题没有与其下的表头合起来读：{group}+{name}" in text and f"「{group}{name}」" in text


def test_a_return_column_under_its_group_title_decides_as_the_return(tmp_path):
    """l1_desk (h50 layout, family 2): 退货 merged over 原因 / 物流状态; a return 已签收 of a low-value 退货退款 is refunded
    (rule 33), not 等待客户寄回 with 退货物流状态 reported missing; a row whose outbound 物流状态 is blank does not read the
    return's state as the outbound parcel's."""
    assert ("退货", "物流状态", "return_logistics") in _GROUPED_FULL and ("退货", "物流单号", "return_tracking_no") in _GROUPED_FULL
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    upper = ["订单信息", None, None, "物流", None, "退货", None]
    lower = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "原因", "物流状态"]
    rows = [["1001", "退货退款", 59, "已发货", "已签收", "不想要了", "已签收"],
            ["1002", "仅退款", 59, "已发货", None, None, "已签收"]]
    for r, line in enumerate([upper, lower, *rows], start=1):
        for c, v in enumerate(line, start=1):
            ws.cell(r, c, v)
    ws.merge_cells("A1:C1")
    ws.merge_cells("D1:E1")
    ws.merge_cells("F1:G1")
    wb.save(tmp_path / "desk.xlsx")
    got = _results(tmp_path / "desk.xlsx")
    assert got[0].case.return_logistics == "已签收" and got[0].action_code == "APPROVE_REFUND"
    assert got[1].case.logistics is None
    text = "\n".join(_report(tmp_path / "desk.xlsx").lines())
    assert "退货+物流状态→退货物流状态" in text and "退货物流状态=未寄回" not in text and "多列对应「物流状态」" not in text


# ------------------------------------------------------------------ 8. the canonical header beside its English name (h50)

_OTHER_NAMES = [(f.key, f.header, other) for f in fields.FIELDS for other in (f.english, f.key)]


@pytest.mark.parametrize("key,header,other", _OTHER_NAMES)
@pytest.mark.parametrize("other_first", [True, False])
def test_the_canonical_header_wins_over_the_fields_english_name_whatever_the_order(key, header, other, other_first):
    """Refund Type left of 售后类型 (h50 layout, family 3): the canonical header is the field's column, the English name
    or the key beside it is no tie settled by position (contract §2 "Column precedence"), and no conflict is reported."""
    heads = [other, header] if other_first else [header, other]
    cmap = fields.resolve(heads)
    assert cmap.index[key] == heads.index(header) and cmap.sources[key] == (header, 1), (heads, cmap.index)
    assert key not in cmap.conflicts, (heads, cmap.conflicts)


def test_an_english_column_left_of_the_canonical_one_does_not_make_every_row_ask():
    heads = ["Order No.", "Refund Type", "售后类型", "退款金额", "发货状态"]
    got = engine.evaluate([["7700401", "Refund only", "仅退款", 39, "未发货"]], heads, now=NOW)[0]
    assert got.action_code == "APPROVE_REFUND", got.action_label()


# ------------------------------------------------------------------ 9. a checkbox under a yes/no question (h50)

@pytest.mark.parametrize("header", sorted(fields.QUESTION_HEADERS))
@pytest.mark.parametrize("ticked", [True, False])
def test_a_checkbox_under_a_yes_no_question_reads_as_its_answer(header, ticked):
    """是否已退款 TRUE / FALSE (Excel's checkbox cells; h50 layout, family 4): read as 是 / 否 are — as 禁运 and 已产生成本
    read them — never an unreadable 「True」."""
    (key,) = fields.resolve([header]).index
    base = [h for h in ("订单号", "售后类型", "退款金额") if fields.FIELD_BY_KEY[key].header != h]
    row = [{"订单号": "A1", "售后类型": "仅退款", "退款金额": 30.0}[h] for h in base]
    answer = "是" if ticked else "否"
    box = engine.read_columns([[*row, ticked]], [*base, header])
    said = engine.read_columns([[*row, answer]], [*base, header])
    assert box.values == said.values and box.bad == said.bad, (header, ticked)
    # beside the field's own column too (是否已退款 beside 售后状态: the question's column is another of the field)
    own = fields.FIELD_BY_KEY[key].header
    if own not in base:
        box = engine.read_columns([[*row, None, ticked]], [*base, own, header])
        said = engine.read_columns([[*row, None, answer]], [*base, own, header])
        assert box.values == said.values and box.bad == said.bad, (header, ticked)


@pytest.mark.parametrize("ticked,want", [(True, "DONE"), (False, "INTERCEPT_REFUND_NOW")])
def test_a_refunded_checkbox_decides_as_its_answer(ticked, want):
    heads = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流更新时间", "收货省份", "是否已退款"]
    row = ["6600807", "仅退款", 59, "已发货", "运输中", datetime(2025, 6, 10, 8, 0), "浙江", ticked]
    got = engine.evaluate([row], heads, now=NOW)[0]
    assert got.action_code == want, got.action_label()


# ------------------------------------------------------------------ 10. a required header typed with a slip (h50)

def _slips(name: str) -> list[str]:
    """``name`` with one slip of a hand typing it: a character typed wrong, left out, added, or two swapped."""
    out = [name[:i] + "形" + name[i + 1:] for i in range(len(name))] + [name[:i] + name[i + 1:] for i in range(len(name))]
    out += [name[:i] + "的" + name[i:] for i in range(1, len(name))]
    out += [name[:i] + name[i + 1] + name[i] + name[i + 2:] for i in range(len(name) - 1)]
    return out


# every Chinese name of 订单号 / 售后类型 slipped once, where the slip names no field (else it is read, no refusal)
_SLIPPED = [(key, slip) for key in ("order_id", "refund_type")
            for name in (fields.FIELD_BY_KEY[key].header, *fields.FIELD_BY_KEY[key].aliases)
            if not name.isascii() and len(name) >= 3 for slip in _slips(name)
            if slip != name and not fields.resolve([slip]).index and fields.resolve([slip]).suggestions.get(key) is None]


@pytest.mark.parametrize("key,slip", _SLIPPED)
def test_a_required_header_typed_with_a_slip_is_named_in_the_refusal(key, slip):
    """售后类形 for 售后类型 (h50 layout, family 5): the file is refused, as no header row names 订单号 and 售后类型 — and the
    one line says which required header the row lacks and which of its headers looks like it."""
    other = "售后类型" if key == "order_id" else "订单号"
    head = [other, slip, "退款金额", "发货状态"]
    rows = [["说明：每天更新"], head, ["A1", "仅退款", 39, "未发货"]]
    assert fields.header_at(rows) is None
    said = fields.no_table_message("x.csv", hint=fields.header_hint(rows))
    want = fields.FIELD_BY_KEY[key].header
    assert fields.NO_TABLE in said and "第 2 行" in said and f"缺少「{want}」" in said and f"「{slip}」是不是「{want}」" in said, said


def test_a_header_row_lacking_a_required_header_says_which_even_with_nothing_like_it():
    said = fields.header_hint([["订单号", "退款金额", "发货状态"], ["A1", 39, "未发货"]])
    assert said == "第 1 行像是表头，但缺少「售后类型」"


@pytest.mark.parametrize("command", ["evaluate", "fill"])
def test_the_refusal_names_the_near_miss_on_the_command_line(tmp_path, capsys, command):
    """l6_nearmiss.csv: 订单号, 售后类形, 退款金 额 … — exit 2, one line naming 售后类型 and 售后类形."""
    path = tmp_path / "l6.csv"
    path.write_text("订单号,售后类形,退款金 额,发货状态\n9900601,仅退款,39,未发货\n", encoding="utf-8")
    extra = ["--out", str(tmp_path / "out.csv")] if command == "evaluate" else []
    assert main([command, str(path), *extra, "--now", "2025-06-10T12:00"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "缺少「售后类型」" in err and "「售后类形」是不是「售后类型」" in err, err
