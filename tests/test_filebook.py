"""The safe-write path (refund_xl._files.filebook.open_book), tried the way it failed: real files,
real lock files, real processes, a symlink, a 1904 workbook."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from refund_xl._files import files
from refund_xl._core.errors import BusyError, OutputFileError
from refund_xl._files.filebook import open_book
from refund_xl._files.xlsxpatch import SheetSpec

MESSY = Path(__file__).resolve().parent / "data" / "messy"
ROOT = Path(__file__).resolve().parents[1]


def staff_book(path: Path, epoch1904: bool = False) -> Path:
    """A tracking sheet the desk has worked on: a HYPERLINK formula, a comment, a fill, a width."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    if epoch1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws.append(["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "物流单号", "查件", "跟进备注"])
    ws.append(["4177034256340093436", "S7001", datetime(2025, 6, 9, 8, 30), "仅退款", 59.9, "ZT781234567",
               '=HYPERLINK("https://www.kuaidi100.com/chaxun?nu=ZT781234567","查件")', "客户说没收到"])
    ws.append(["4177034256340093501", "S7002", datetime(2025, 6, 9, 9, 5), "退货退款", 188, "YT99001122",
               None, None])
    ws["A2"].comment = Comment("老客户，优先处理", "小王")
    ws["H2"].fill = PatternFill("solid", fgColor="FFFF00")
    ws.column_dimensions["H"].width = 33
    ws["C2"].number_format = "yyyy-mm-dd hh:mm"
    ws["C3"].number_format = "yyyy-mm-dd hh:mm"
    wb.save(path)
    return path


def stray(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_set_cells_changes_only_those_cells(tmp_path):
    path = staff_book(tmp_path / "登记.xlsx")
    with open_book(path) as book:
        assert book.sheet_names == ["售后登记"] and book.date1904 is False
        rows = book.rows("售后登记")
        assert rows[1][1] == "S7001" and rows[2][4] == 188
        book.set_cells("售后登记", {(2, 7): "已联系快递", (3, 0): "4177034256340099999", (3, 9): 12.5})
    wb = openpyxl.load_workbook(path)
    ws = wb["售后登记"]
    assert ws["H3"].value == "已联系快递" and ws["A4"].value == "4177034256340099999" and ws["J4"].value == 12.5
    assert ws["G2"].value.startswith("=HYPERLINK(")  # the staff formula is still a formula
    assert ws["A2"].comment is not None and ws["A2"].comment.text == "老客户，优先处理"
    assert ws["H2"].fill.fgColor.rgb.endswith("FFFF00")
    assert ws.column_dimensions["H"].width == 33
    assert ws["H2"].value == "客户说没收到"
    baks = list(tmp_path.glob("登记.bak-*.xlsx"))
    assert len(baks) == 1
    assert stray(tmp_path, {"登记.xlsx", baks[0].name}) == []


def test_rows_forgotten_after_planning_are_read_again_and_the_write_is_the_same(tmp_path):
    # fill drops a big sheet's values before the write (docs/performance.md); nothing else changes
    kept, dropped = staff_book(tmp_path / "kept.xlsx"), tmp_path / "dropped.xlsx"
    dropped.write_bytes(kept.read_bytes())
    cells = {(1, 9): "拦截中", (2, 9): 3.5, (3, 0): "4177034256340099999"}
    with open_book(kept, backup=False) as book:
        first = book.rows("售后登记")
        book.set_cells("售后登记", cells)
    with open_book(dropped, backup=False) as book:
        first_too = book.rows("售后登记")
        book.forget_rows("售后登记")
        again = book.rows("售后登记")
        assert again == first_too == first and again is not first_too  # a fresh read, the same values
        book.forget_rows("售后登记")
        book.set_cells("售后登记", cells)
    assert kept.read_bytes() == dropped.read_bytes()


def test_an_exception_leaves_the_original_byte_identical(tmp_path):
    path = staff_book(tmp_path / "登记.xlsx")
    before = path.read_bytes()
    with pytest.raises(ZeroDivisionError):
        with open_book(path) as book:
            book.set_cells("售后登记", {(1, 7): "x"})
            raise ZeroDivisionError
    assert path.read_bytes() == before
    assert stray(tmp_path, {"登记.xlsx"}) == []  # no temp, no backup, no lock


def test_dates_are_written_in_the_books_own_1904_system(tmp_path):
    path = staff_book(tmp_path / "mac.xlsx", epoch1904=True)
    when = datetime(2025, 6, 10, 12, 0)
    for _ in range(2):  # a re-run must not shift kept dates again
        with open_book(path) as book:
            assert book.date1904 is True
            assert book.rows("售后登记")[1][2] == datetime(2025, 6, 9, 8, 30)
            book.set_cells("售后登记", {(1, 8): when})
            book.put_sheet(SheetSpec("运行日志", [["运行时间"], [when]], bold_rows={0}))
    wb = openpyxl.load_workbook(path)
    assert wb.epoch == openpyxl.utils.datetime.CALENDAR_MAC_1904
    assert wb["售后登记"]["I2"].value == when
    assert wb["售后登记"]["C2"].value == datetime(2025, 6, 9, 8, 30)
    assert wb["运行日志"]["A2"].value == when


def test_symlink_target_is_updated_and_the_link_kept(tmp_path):
    real = staff_book(tmp_path / "共享" / "登记.xlsx") if (tmp_path / "共享").mkdir() is None else None
    link = tmp_path / "桌面登记.xlsx"
    link.symlink_to(real)
    with open_book(link) as book:
        book.set_cells("售后登记", {(2, 7): "经链接修改"})
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert openpyxl.load_workbook(real)["售后登记"]["H3"].value == "经链接修改"
    assert list((tmp_path / "共享").glob("登记.bak-*.xlsx"))  # the backup sits beside the target


@pytest.mark.parametrize("lock_name", ["~$登记.xlsx", ".~lock.登记.xlsx#"])
def test_office_lock_file_refuses(tmp_path, lock_name):
    path = staff_book(tmp_path / "登记.xlsx")
    (tmp_path / lock_name).write_text("someone,host,2025-06-10", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(BusyError, match="打开"):
        with open_book(path) as book:
            book.set_cells("售后登记", {(1, 7): "x"})
    assert path.read_bytes() == before
    assert stray(tmp_path, {"登记.xlsx", lock_name}) == []


def test_a_save_by_someone_else_meanwhile_is_not_overwritten(tmp_path):
    path = staff_book(tmp_path / "登记.xlsx")
    with pytest.raises(BusyError, match="被别人保存过"):
        with open_book(path) as book:
            book.set_cells("售后登记", {(1, 7): "ours"})
            # a colleague saves in between (a real second writer, not a mock)
            wb = openpyxl.load_workbook(path)
            wb["售后登记"]["H3"] = "同事刚写的"
            wb.save(path)
    assert openpyxl.load_workbook(path)["售后登记"]["H3"].value == "同事刚写的"
    assert stray(tmp_path, {"登记.xlsx"}) == []


def test_csv_keeps_its_gbk_encoding_and_line_ends(tmp_path):
    path = tmp_path / "导出.csv"
    path.write_bytes("订单号,售后类型,跟进备注\r\n100001,仅退款,\r\n100002,退货退款,已催\r\n".encode("gbk"))
    with open_book(path) as book:
        assert book.rows("导出")[1] == ["100001", "仅退款", None]
        book.set_cells("导出", {(1, 2): "已拦截"})
    assert path.read_bytes() == "订单号,售后类型,跟进备注\r\n100001,仅退款,已拦截\r\n100002,退货退款,已催\r\n".encode("gbk")


_ENCODED = {"utf-8-sig": lambda t: t.encode("utf-8-sig"), "gbk": lambda t: t.encode("gbk"),
            # Excel's 「Unicode 文本」: UTF-16 with its byte-order mark, tab-separated, saved by desks as .csv
            "utf-16-le": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
            "utf-16-be": lambda t: b"\xfe\xff" + t.encode("utf-16-be")}


@pytest.mark.parametrize("encoding", sorted(_ENCODED))
@pytest.mark.parametrize("sep", [",", "\t"])
def test_a_csv_is_read_and_written_back_in_its_encoding_and_separator(tmp_path, encoding, sep):
    """A CSV in UTF-8, GBK or UTF-16 (Excel's 「Unicode 文本」), comma- or tab-separated: read into the same rows
    by every reader (evaluate's and import's), and a cell written keeps the file's encoding, separator and line
    ends."""
    from refund_xl._files.intake_files import FileExport

    lines = [["订单号", "售后类型", "跟进备注"], ["100001", "仅退款", ""], ["100002", "退货退款", "已催"]]
    text = lambda rows: "".join(sep.join(r) + "\r\n" for r in rows)  # noqa: E731
    path = tmp_path / "导出.csv"
    path.write_bytes(_ENCODED[encoding](text(lines)))
    want = [[c or None for c in r] for r in lines]
    assert files.read_sheets(path) == {"导出": want}
    assert [list(rows) for _name, rows in FileExport(path).tables()] == [want]
    with open_book(path) as book:
        book.set_cells("导出", {(1, 2): "已拦截"})
    lines[1][2] = "已拦截"
    written = path.read_bytes()
    if encoding.startswith("utf-16"):  # (written back as UTF-16 with its mark, in this machine's byte order)
        assert written.decode("utf-16") == text(lines) and written[:2] in (b"\xff\xfe", b"\xfe\xff")
    else:
        assert written == _ENCODED[encoding](text(lines))


@pytest.mark.parametrize("encoding", ["utf-16-le", "gbk"])
def test_a_tab_separated_csv_with_a_notice_line_on_top_is_still_tab_separated(tmp_path, encoding):
    """An export's notice line above its header row (拼多多's 温馨提示) holds no separator: the file's separator is
    told by its first lines together, not by the notice alone."""
    from refund_xl._files.intake_files import FileExport

    lines = [["温馨提示：本表仅供参考"], ["订单号", "售后类型", "退款金额"], ["100001", "仅退款", "59"]]
    path = tmp_path / "导出.csv"
    path.write_bytes(_ENCODED[encoding]("".join("\t".join(r) + "\r\n" for r in lines)))
    assert files.read_sheets(path) == {"导出": lines}
    assert [list(rows) for _name, rows in FileExport(path).tables()] == [lines]


def test_a_new_book_is_created_from_its_sheets(tmp_path):
    path = tmp_path / "新建.xlsx"
    with open_book(path) as book:
        assert book.sheet_names == []
        book.put_sheet(SheetSpec("售后登记", [["订单号", "售后类型"], ["100001", "仅退款"]]))
    assert files.read_sheets(path) == {"售后登记": [["订单号", "售后类型"], ["100001", "仅退款"]]}
    assert stray(tmp_path, {"新建.xlsx"}) == []


def test_out_to_a_folder_is_one_line(tmp_path):
    with pytest.raises(OutputFileError, match="文件夹"):
        with open_book(tmp_path):
            pass


# ------------------------------------------------------------------ the lock

def test_lock_records_pid_and_host(tmp_path):
    path = staff_book(tmp_path / "登记.xlsx")
    with open_book(path):
        text = (tmp_path / ".登记.xlsx.refund-xl.lock").read_text().split()
        assert text[0] == str(os.getpid()) and text[1] == socket.gethostname()


def test_lock_of_a_dead_local_process_is_taken_over_with_a_line(tmp_path, capsys):
    path = staff_book(tmp_path / "登记.xlsx")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = tmp_path / ".登记.xlsx.refund-xl.lock"
    lock.write_text(f"{dead.pid} {socket.gethostname()} 2025-06-10T12:00:00\n")
    with open_book(path) as book:
        book.set_cells("售后登记", {(1, 7): "接管后写入"})
    err = capsys.readouterr().err
    assert "已接管" in err and str(dead.pid) in err and len(err.strip().splitlines()) == 1
    assert not lock.exists()


def test_lock_of_a_live_process_is_respected(tmp_path):
    path = staff_book(tmp_path / "登记.xlsx")
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock = tmp_path / ".登记.xlsx.refund-xl.lock"
        lock.write_text(f"{alive.pid} {socket.gethostname()} 2025-06-10T12:00:00\n")
        with pytest.raises(BusyError, match="正在被另一个批处理使用"):
            with open_book(path):
                pass  # pragma: no cover
        assert lock.exists()
    finally:
        alive.kill()
        alive.wait()


def test_sigkill_mid_write_leaves_no_blocking_lock_and_no_temp_file(tmp_path):
    """A real process is killed while it writes; the next run works and cleans up after it."""
    path = staff_book(tmp_path / "登记.xlsx")
    before = path.read_bytes()
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from refund_xl._files import filebook
        real = filebook.FileBook._render
        def slow(self, tmp):
            real(self, tmp)
            print("WRITING", flush=True)
            time.sleep(60)
        filebook.FileBook._render = slow
        with filebook.open_book({str(path)!r}) as book:
            book.set_cells("售后登记", {{(1, 7): "killed"}})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "WRITING"
    assert list(tmp_path.glob(".~refund-xl.*"))  # its temp file is there, half-way
    proc.kill()
    proc.wait()
    assert path.read_bytes() == before
    with open_book(path) as book:  # not refused for 30 minutes
        book.set_cells("售后登记", {(1, 7): "next run"})
    assert openpyxl.load_workbook(path)["售后登记"]["H2"].value == "next run"
    left = [p.name for p in tmp_path.iterdir() if p.name != "登记.xlsx" and ".bak-" not in p.name]
    assert left == []


def test_batch_refuses_when_another_process_saves_the_workbook_meanwhile(tmp_path, monkeypatch, capsys):
    """A colleague's Excel/WPS saves the workbook while the batch computes: the batch writes nothing."""
    from refund_xl import cli
    from refund_xl._files import filebook

    path = staff_book(tmp_path / "登记.xlsx")
    real = filebook.FileBook._render

    def colleague_saves_then_render(self, tmp):
        code = ("import openpyxl, sys; wb = openpyxl.load_workbook(sys.argv[1]); "
                "wb['售后登记']['H3'] = '同事在批处理运行时保存'; wb.save(sys.argv[1])")
        subprocess.run([sys.executable, "-c", code, str(path)], check=True)
        real(self, tmp)

    monkeypatch.setattr(filebook.FileBook, "_render", colleague_saves_then_render)
    assert cli.main(["batch", str(path), "--now", "2025-06-10T12:00", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "被别人保存过" in err
    wb = openpyxl.load_workbook(path)
    assert wb["售后登记"]["H3"].value == "同事在批处理运行时保存" and "拦截登记" not in wb.sheetnames
    assert stray(tmp_path, {"登记.xlsx"}) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file")
def test_a_read_only_workbook_is_not_replaced(tmp_path):
    path = staff_book(tmp_path / "登记.xlsx")
    path.chmod(0o444)
    before = path.read_bytes()
    try:
        with pytest.raises(OutputFileError, match="只读"):
            with open_book(path) as book:
                book.set_cells("售后登记", {(1, 7): "x"})
        assert path.read_bytes() == before
        assert stray(tmp_path, {"登记.xlsx"}) == []
    finally:
        path.chmod(0o644)


# (the desk's number format of the cell, what it held) → how a time written into it shows: text in the desk's
# form, or a date number under a date format — never a bare serial (45817.75) in a text or General cell
_TIME_CELLS = {
    "text-format, text": ("@", "2025-06-08 10:00", "text"),
    "text-format, empty": ("@", None, "text"),
    "general, text": ("General", "2025-06-08 10:00", "text"),
    "general, empty": ("General", None, "date"),
    "general, a number": ("General", 45816.4, "date"),
    "date-format, a date": ("yyyy/m/d h:mm", datetime(2025, 6, 8, 10, 0), "date"),
    "date-format, text": ("yyyy/m/d h:mm", "2025-06-08 10:00", "date"),
    "zh-date-format, empty": ('yyyy"年"m"月"d"日" hh:mm', None, "date"),
    "builtin-date, empty": ("m/d/yy h:mm", None, "date"),
    "number-format, empty": ("0.00", None, "date"),
}


@pytest.mark.parametrize("case", list(_TIME_CELLS))
def test_a_time_written_into_a_desk_cell_shows_as_a_time(tmp_path, case):
    fmt, held, shows = _TIME_CELLS[case]
    path = tmp_path / "desk.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(["订单号", "物流更新时间"])
    ws.append(["A1", held])
    ws["B2"].number_format = fmt
    wb.save(path)
    when = datetime(2025, 6, 9, 18, 0)
    with open_book(path, backup=False) as book:
        book.set_cells("售后登记", {(1, 1): when})
    cell = openpyxl.load_workbook(path)["售后登记"]["B2"]
    if shows == "text":
        assert cell.value == "2025-06-09 18:00", (case, cell.value)
    else:
        assert cell.value == when and cell.is_date, (case, cell.value, cell.number_format)
        if fmt not in ("General", "0.00"):
            assert cell.number_format == fmt  # the desk's own date format kept
