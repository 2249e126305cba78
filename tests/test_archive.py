"""refund-xl archive and the ribbon's 归档 (issue 23, contract §7): closed, quiet cases out of the
live sheet into yearly archives beside the book, nothing lost, nothing duplicated on a re-run.

The family: any tracking sheet (cases open or closed in any of the product's words, times
recent or old, unreadable or missing, risk or not) archives exactly the closed cases whose
latest activity is older than ``archive_days``; every case ends up exactly once across the
live sheet and the archives; a run stopped between the archive write and the book write
loses nothing and duplicates nothing when run again.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from refund_xl import cli
from refund_xl._app import archive as arch
from refund_xl._app.archive import ARCHIVE_SHEET, ARCHIVED_AT, RISK_SHEET, run_archive
from refund_xl._app.batch import AUDIT, LOG
from refund_xl._app.memory import MemoryBook, MemoryShelf
from refund_xl._core import context
from refund_xl._files import filebook, files
from refund_xl._files.archive_files import FileShelf, archive_book
from refund_xl._files.filebook import FileBook

NOW = datetime(2025, 9, 1, 12, 0)
H = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间",
     "拦截状态", "拦截时间", "售后状态", "跟进备注"]
CLOSED = ("已退款", "已关闭", "已完结")


def case(i, state="已关闭", applied=None, update=None, intercept_at=None, risk=False, note=None):
    """One row; ``risk``: a refunded parcel still on its way (LOSS_RISK RISK by contract §4.3)."""
    applied = applied if applied is not None else NOW - timedelta(days=100, hours=i % 7)
    if risk:
        return [f"R{i:05d}", f"C{i}", applied, "仅退款", 80.0, "已发货", "中通", f"ZT{i}", "运输中", update,
                "未拦截", intercept_at, "已退款", note]
    return [f"O{i:05d}", f"C{i}", applied, "仅退款", 30.0, "未发货", None, None, None, update, None, intercept_at,
            state, note]


def ctx(now=NOW, **settings_):
    table = [["键", "项目", "值"]] + [[k, k, v] for k, v in settings_.items()]
    return context.build({"设置": table} if settings_ else {}, now=now)


def live_orders(book: MemoryBook) -> list[str]:
    return [r[0] for r in book.sheets["售后登记"][1:] if r and r[0]]


def archived_orders(shelf: MemoryShelf) -> list[str]:
    return [r[0] for y in shelf.books.values() for rows in y.values() for r in rows[1:]]


# ------------------------------------------------------------------ which cases go (the family)

_state = st.sampled_from([*CLOSED, "处理中", None, "退款关闭?", "退款成功"])  # 退款成功: a platform word for 已退款
_when = st.one_of(st.none(), st.integers(-400, 200).map(lambda h: NOW - timedelta(days=h, minutes=17)),
                  st.just("昨天"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_state, _when, _when, _when), min_size=1, max_size=25), st.integers(0, 120))
def test_exactly_the_closed_quiet_cases_go_and_every_case_is_somewhere_once(rows, days):
    table = [H]
    expect_gone = set()
    for i, (state, applied, update, inter) in enumerate(rows):
        r = case(i, state=state, applied=applied, update=update, intercept_at=inter)
        r[2] = applied  # None stays None: no 申请时间
        table.append(r)
        times = [t for t in (applied, update, inter) if t is not None]
        readable = all(not isinstance(t, str) for t in times)
        closed = state in CLOSED or state == "退款成功"
        if closed and readable and times and max(times) <= NOW - timedelta(days=days):
            expect_gone.add(r[0])
    book, shelf = MemoryBook({"售后登记": table}), MemoryShelf()
    result = run_archive(book, ctx(), shelf, days=days, run_at=NOW)
    assert set(archived_orders(shelf)) == expect_gone
    assert result.moved == len(expect_gone) == result.appended
    everything = live_orders(book) + archived_orders(shelf)
    assert Counter(everything) == Counter(r[0] for r in table[1:])  # nothing lost, nothing twice
    again = run_archive(book, ctx(), shelf, days=days, run_at=NOW)  # a second run finds nothing more
    assert again.moved == 0 and Counter(live_orders(book) + archived_orders(shelf)) == Counter(everything)


def test_a_case_goes_to_the_file_of_its_application_year_and_risk_cases_to_their_sheet():
    rows = [case(1, applied=datetime(2024, 12, 30, 9)), case(2, applied=datetime(2025, 1, 2, 9)),
            case(3, risk=True, applied=datetime(2025, 3, 1, 9), update=datetime(2025, 3, 2, 9)),
            case(4, applied=None, update=datetime(2024, 5, 1, 9))]
    rows[3][2] = None
    book, shelf = MemoryBook({"售后登记": [H, *rows]}), MemoryShelf()
    result = run_archive(book, ctx(), shelf, run_at=NOW)
    assert result.moved == 4 and result.risk == 1
    assert {y: {s: [r[0] for r in rs[1:]] for s, rs in b.items()} for y, b in shelf.books.items()} == {
        2024: {ARCHIVE_SHEET: ["O00001", "O00004"]},
        2025: {ARCHIVE_SHEET: ["O00002"], RISK_SHEET: ["R00003"]},
    }
    head = shelf.books[2025][ARCHIVE_SHEET][0]
    assert head == [*H, ARCHIVED_AT]  # the book's headers, then when it was archived
    assert shelf.books[2025][ARCHIVE_SHEET][1][-1] == NOW
    log = book.sheets[LOG]
    assert log[-1][log[0].index("运行内容")] == "归档"
    assert "售后登记_归档_2025.xlsx" in log[-1][log[0].index("说明")]


def test_a_date_without_its_time_counts_as_the_whole_day():
    day = (NOW - timedelta(days=60)).replace(hour=0, minute=0)   # the cutoff's own day, typed without a time
    book, shelf = MemoryBook({"售后登记": [H, case(1, applied=day)]}), MemoryShelf()
    assert run_archive(book, ctx(), shelf, run_at=NOW).moved == 0
    assert run_archive(book, ctx(now=NOW + timedelta(days=1)), shelf, run_at=NOW).moved == 1


def test_rows_that_stay_are_counted_with_their_reason():
    rows = [case(1, state="退款关闭?"), case(2, update="前天"), case(3), case(4, state="处理中")]
    rows[2][0] = "4.80299E+18"  # an order number Excel damaged: never a key
    book, shelf = MemoryBook({"售后登记": [H, *rows]}), MemoryShelf()
    result = run_archive(book, ctx(), shelf, run_at=NOW)
    assert result.moved == 0
    assert result.kept == Counter({"state_unread": 1, "time_unread": 1, "no_key": 1, "open": 1})
    text = result.summary()
    assert "售后状态无法识别 1" in text and "时间无法识别 1" in text and "订单号缺失或无法识别 1" in text


def test_days_from_the_settings_and_bad_days_refused():
    rows = [case(1, applied=NOW - timedelta(days=20))]
    book, shelf = MemoryBook({"售后登记": [H, *rows]}), MemoryShelf()
    assert run_archive(book, ctx(archive_days=30), shelf, run_at=NOW).moved == 0
    assert run_archive(book, ctx(archive_days=10), shelf, run_at=NOW).moved == 1
    with pytest.raises(Exception, match="天数"):
        run_archive(book, ctx(), shelf, days=-1, run_at=NOW)


def test_a_header_added_later_is_added_to_the_archive_never_dropped():
    book, shelf = MemoryBook({"售后登记": [H, case(1)]}), MemoryShelf()
    run_archive(book, ctx(), shelf, run_at=NOW)
    # the desk adds 质检员 and deletes 快递公司 from the book
    h2 = [h for h in H if h != "快递公司"] + ["质检员"]
    row = case(2)
    row = [v for h, v in zip(H, row) if h != "快递公司"] + ["小王"]
    book.sheets["售后登记"] = [h2, row]
    run_archive(book, ctx(), shelf, run_at=NOW)
    sheet = shelf.books[2025][ARCHIVE_SHEET]
    assert sheet[0] == [*H, ARCHIVED_AT, "质检员"]
    assert sheet[2][sheet[0].index("质检员")] == "小王" and sheet[2][sheet[0].index("快递公司")] is None
    assert len(sheet[1]) <= sheet[0].index("质检员")  # the earlier row: nothing under the new header


def test_a_full_archive_sheet_continues_in_the_next():
    rows = [case(i) for i in range(7)]
    book, shelf = MemoryBook({"售后登记": [H, *rows[:4]]}), MemoryShelf()
    run_archive(book, ctx(), shelf, run_at=NOW, per_sheet=3)
    book.sheets["售后登记"] = [H, *rows[4:]]
    run_archive(book, ctx(), shelf, run_at=NOW, per_sheet=3)
    sheets = shelf.books[2025]
    assert {n: [r[0] for r in rs[1:]] for n, rs in sheets.items()} == {
        "归档": ["O00000", "O00001", "O00002"], "归档2": ["O00003", "O00004", "O00005"], "归档3": ["O00006"]}


def test_the_result_block_of_the_formulas_is_not_archived():
    from refund_xl._app.table import HEADERS as RESULT

    head = [*H, None, *RESULT]
    row = case(1) + [None] + ["同意退款"] * len(RESULT)
    book, shelf = MemoryBook({"售后登记": [head, row]}), MemoryShelf()
    run_archive(book, ctx(), shelf, run_at=NOW)
    assert shelf.books[2025][ARCHIVE_SHEET][0] == [*H, ARCHIVED_AT]


def test_a_failed_archive_write_leaves_the_book_as_it_was():
    book, shelf = MemoryBook({"售后登记": [H, case(1)]}), MemoryShelf()
    shelf.fail_on_write = True
    before = book.rows("售后登记")
    with pytest.raises(OSError):
        run_archive(book, ctx(), shelf, run_at=NOW)
    assert book.rows("售后登记") == before and LOG not in book.sheets


def test_the_ribbon_can_cancel_before_anything_is_written():
    book, shelf = MemoryBook({"售后登记": [H, case(1)]}), MemoryShelf()
    asked = []
    result = run_archive(book, ctx(), shelf, run_at=NOW, confirm=lambda text: asked.append(text) or False)
    assert result.cancelled and "1 单" in asked[0] and "售后登记_归档_2025.xlsx" in asked[0]
    assert shelf.writes == 0 and len(book.rows("售后登记")) == 2 and LOG not in book.sheets


# ------------------------------------------------------------------ on files: the safe-write path

def _book_file(path: Path, rows) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(H)
    for r in rows:
        ws.append(r)
    ws.cell(1, len(H) + 1, "链接")
    for i in range(2, len(rows) + 2):  # a staff formula in every row, reading its own row
        ws.cell(i, len(H) + 1, f'=HYPERLINK("https://example.com/"&A{i},"查看")')
    wb.save(path)
    return path


def _sheet(path: Path, name: str) -> list[list[object]]:
    return files.read_sheets(path)[name]


def test_the_command_moves_rows_and_the_staff_formulas_of_the_rest_follow_their_rows(tmp_path, capsys):
    rows = [case(i, state="处理中" if i % 3 == 0 else "已退款") for i in range(12)]
    book = _book_file(tmp_path / "售后登记.xlsx", rows)
    assert cli.main(["archive", str(book), "--now", NOW.isoformat(), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "归档 8 单" in out and "售后登记_归档_2025.xlsx" in out and "备份" in out
    live = _sheet(book, "售后登记")
    assert [r[0] for r in live[1:]] == [f"O{i:05d}" for i in range(0, 12, 3)]
    ws = openpyxl.load_workbook(book)["售后登记"]
    for r in range(2, 6):  # each remaining row's formula still reads its own row
        assert ws.cell(r, len(H) + 1).value == f'=HYPERLINK("https://example.com/"&A{r},"查看")'
    arch_rows = _sheet(tmp_path / "售后登记_归档_2025.xlsx", ARCHIVE_SHEET)
    assert arch_rows[0] == [*H, "链接", ARCHIVED_AT]
    assert sorted(r[0] for r in arch_rows[1:]) == sorted(f"O{i:05d}" for i in range(12) if i % 3)
    assert isinstance(arch_rows[1][2], datetime)  # dates stay dates
    assert "运行日志" in files.read_sheets(book)


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    csv_file = tmp_path / "t.csv"
    csv_file.write_text("订单号,售后类型\n1,仅退款\n", encoding="utf-8")
    assert cli.main(["archive", str(csv_file)]) == 2
    assert cli.main(["archive", str(tmp_path / "missing.xlsx")]) == 2
    with pytest.raises(SystemExit) as stopped:
        cli.main(["archive", str(csv_file), "--days", "-3"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "工作簿" in err and "找不到文件" in err and "天数" in err and "Traceback" not in err


def test_a_run_stopped_between_the_two_writes_is_finished_by_the_next_without_duplicates(tmp_path, monkeypatch):
    rows = [case(i) for i in range(6)] + [case(9, state="处理中")]
    book = _book_file(tmp_path / "售后登记.xlsx", rows)
    original = FileBook.remove_rows

    def crash(self, sheet, rows_):
        raise KeyboardInterrupt  # the power goes between the archive write and the book write

    monkeypatch.setattr(FileBook, "remove_rows", crash)
    with pytest.raises(KeyboardInterrupt):
        archive_book(book, now=NOW, progress=False)
    archive = tmp_path / "售后登记_归档_2025.xlsx"
    assert len(_sheet(archive, ARCHIVE_SHEET)) == 7 and len(_sheet(book, "售后登记")) == 8  # in both, for now
    monkeypatch.setattr(FileBook, "remove_rows", original)
    result = archive_book(book, now=NOW, progress=False)
    assert result.moved == 6 and result.already == 6 and result.appended == 0
    assert len(_sheet(archive, ARCHIVE_SHEET)) == 7 and [r[0] for r in _sheet(book, "售后登记")[1:]] == ["O00009"]


def test_a_row_typed_into_after_a_stop_is_archived_again_nothing_lost(tmp_path, monkeypatch):
    book = _book_file(tmp_path / "售后登记.xlsx", [case(1), case(2)])
    monkeypatch.setattr(FileBook, "remove_rows", lambda self, s, r: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        archive_book(book, now=NOW, progress=False)
    monkeypatch.undo()
    with filebook.open_book(book) as fb:  # staff type a note into one row in between
        fb.set_cells("售后登记", {(1, H.index("跟进备注")): "客户又来电"})
    result = archive_book(book, now=NOW, progress=False)
    assert (result.already, result.appended) == (1, 1)
    notes = [r[H.index("跟进备注")] for r in _sheet(tmp_path / "售后登记_归档_2025.xlsx", ARCHIVE_SHEET)[1:]]
    assert sorted(n or "" for n in notes) == ["", "", "客户又来电"]


def test_an_archive_that_cannot_be_written_leaves_both_files_byte_identical(tmp_path):
    book = _book_file(tmp_path / "售后登记.xlsx", [case(1)])
    archive_book(book, now=NOW, progress=False)
    book_file = _book_file(tmp_path / "售后登记.xlsx", [case(2)])
    archive = tmp_path / "售后登记_归档_2025.xlsx"
    (tmp_path / f"~${archive.name}").write_text("x")  # the archive is open in Excel
    before = (book_file.read_bytes(), archive.read_bytes())
    with pytest.raises(Exception, match="正在 Excel/WPS 中打开"):
        archive_book(book_file, now=NOW, progress=False)
    assert (book_file.read_bytes(), archive.read_bytes()) == before


def test_appending_to_an_archive_keeps_its_rows_and_adds_the_new_header(tmp_path):
    book = _book_file(tmp_path / "售后登记.xlsx", [case(1), case(2)])
    archive_book(book, now=NOW, progress=False)
    wb = openpyxl.load_workbook(book)
    ws = wb["售后登记"]
    ws.cell(1, len(H) + 2, "质检员")
    for i, r in enumerate([case(3), case(4, risk=True)], start=2):
        for c, v in enumerate(r, start=1):
            ws.cell(i, c, v)
        ws.cell(i, len(H) + 2, "小李")
    wb.save(book)
    archive_book(book, now=NOW, progress=False)
    rows = _sheet(tmp_path / "售后登记_归档_2025.xlsx", ARCHIVE_SHEET)
    assert rows[0] == [*H, "链接", ARCHIVED_AT, "质检员"]
    assert [r[0] for r in rows[1:]] == ["O00001", "O00002", "O00003"]
    assert rows[3][-1] == "小李"
    risk = _sheet(tmp_path / "售后登记_归档_2025.xlsx", RISK_SHEET)
    assert [r[0] for r in risk[1:]] == ["R00004"]


def test_a_full_sheet_in_a_file_continues_in_the_next(tmp_path, monkeypatch):
    monkeypatch.setattr(arch, "ROWS_PER_SHEET", 2)
    book = _book_file(tmp_path / "售后登记.xlsx", [case(i) for i in range(3)])
    archive_book(book, now=NOW, progress=False)
    book = _book_file(tmp_path / "售后登记.xlsx", [case(i) for i in range(3, 6)])
    archive_book(book, now=NOW, progress=False)
    sheets = files.read_sheets(tmp_path / "售后登记_归档_2025.xlsx")
    assert {n: [r[0] for r in rs[1:]] for n, rs in sheets.items()} == {
        "归档": ["O00000", "O00001"], "归档2": ["O00002", "O00003"], "归档3": ["O00004", "O00005"]}


def test_the_audit_reads_the_archive_and_a_case_cleared_there_leaves_the_list(tmp_path):
    book = _book_file(tmp_path / "售后登记.xlsx", [case(1, risk=True, update=NOW - timedelta(days=90)), case(2)])
    archive_book(book, now=NOW, progress=False)
    assert cli.main(["batch", str(book), "--now", NOW.isoformat(), "--quiet"]) == 0
    audit = _sheet(book, AUDIT)
    assert [(r[1], r[3]) for r in audit[1:]] == [("R00001", "售后登记_归档_2025.xlsx")]
    # staff learn the parcel came back and say so in the archive's row; and leave a note on the list
    archive = tmp_path / "售后登记_归档_2025.xlsx"
    with filebook.open_book(archive) as fb:
        fb.set_cells(RISK_SHEET, {(1, H.index("拦截状态")): "拦截成功"})
    with filebook.open_book(book) as fb:
        fb.set_cells(AUDIT, {(1, audit[0].index("跟进备注")): "仓库已收到"})
    assert cli.main(["batch", str(book), "--now", NOW.isoformat(), "--quiet"]) == 0
    assert [r for r in _sheet(book, AUDIT)[1:] if any(r)] == []
    log = _sheet(book, LOG)
    line = next(r for r in log if "钱货两空已解除" in r)
    detail = line[log[0].index("说明")]
    assert "R00001" in detail and "拦截成功" in detail and "仓库已收到" in detail


def test_shelf_years_are_the_archives_of_this_book_only(tmp_path):
    for name in ("售后登记_归档_2024.xlsx", "售后登记_归档_2025.xlsx", "售后登记_归档_abcd.xlsx", "别的_归档_2023.xlsx"):
        (tmp_path / name).write_bytes(b"")
    assert FileShelf(tmp_path / "售后登记.xlsm").years() == [2024, 2025]


# ------------------------------------------------------------------ the ribbon

def test_the_ribbon_button_runs_the_same_use_case_and_excel_deletes_the_rows(tmp_path, monkeypatch):
    from xlwings_standin import Book as XlBook

    from refund_xl import macros

    rows = [case(i, state="处理中" if i % 2 else "已退款") for i in range(9)]
    fake = XlBook({"售后登记": [H, *rows]}, fullname=str(tmp_path / "售后助手.xlsm"))
    calls = []
    real = arch.run_archive

    def spy(*a, **k):
        calls.append(a)
        return real(*a, **k)

    monkeypatch.setattr(arch, "run_archive", spy)
    summary = macros.archive_cases(fake, now=NOW)
    assert calls and "归档 5 单" in summary
    left = fake.sheets["售后登记"].rows()
    assert [r[0] for r in left[1:]] == [f"O{i:05d}" for i in range(1, 9, 2)]
    deletes = [e[2] for e in fake.log if e[0] == "delete"]
    assert deletes and all(len(a) <= 255 for a in deletes)
    assert [r[0] for r in _sheet(tmp_path / "售后助手_归档_2025.xlsx", ARCHIVE_SHEET)[1:]] == \
        [f"O{i:05d}" for i in range(0, 9, 2)]
    assert any("保存工作簿" in a for a in fake.app.texts)


def test_the_ribbon_asks_for_a_saved_book(tmp_path):
    from xlwings_standin import Book as XlBook

    from refund_xl import macros

    fake = XlBook({"售后登记": [H, case(1)]}, fullname="工作簿1")
    assert macros.archive_cases(fake, now=NOW) is None
    assert any("请先保存工作簿" in a[1] for a in fake.app.alerts)


def test_excel_deletes_runs_bottom_up_in_short_addresses():
    from refund_xl._excel.excel_book import ExcelBook

    from xlwings_standin import Book as XlBook

    fake = XlBook({"S": []})
    xl = ExcelBook(fake)
    rows = list(range(1, 400, 2)) + [600, 601, 602]
    xl.remove_rows("S", rows)
    done = [e[2] for e in fake.log if e[0] == "delete"]
    assert all(len(a) <= 255 for a in done)
    seen = [p for a in done for p in a.split(",")]
    assert seen[0] == "601:603"  # the bottom run first (0-based 600..602 are rows 601..603)
    got = set()
    for p in seen:
        x, y = map(int, p.split(":"))
        got.update(range(x, y + 1))
    assert got == {r + 1 for r in rows}
    firsts = [int(p.split(":")[0]) for p in seen]
    assert firsts == sorted(firsts, reverse=True)
