"""Faults of the file host: locked, read-only, corrupt or wrong files, writes failing half-way.

Whatever goes wrong, the original file is intact (same bytes), no temporary
file is left beside it, an in-place batch leaves its backup, and the command
line says what happened in one line on stderr (exit 2, no traceback).

The tests run as root in CI, where chmod does not stop writes: a locked file
is simulated by making ``os.replace`` raise PermissionError, and the chmod
variants are skipped for root.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

import openpyxl

from refund_xl import cli
from refund_xl._files import filebook, files, workbook
from refund_xl._core.errors import BusyError, InputFileError, OutputFileError

MESSY = Path(__file__).resolve().parent / "data" / "messy"
NOW = "2025-06-10T12:00"
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


@pytest.fixture
def book(tmp_path) -> Path:
    """A small good tracking workbook (title row, six cases) in a fresh folder."""
    path = tmp_path / "登记.xlsx"
    shutil.copy(MESSY / "title_row.xlsx", path)
    return path


def one_line_error(capsys, *needles: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("refund-xl: "), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    """Files in ``folder`` other than ``keep``: temp files, stray copies."""
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}.bak-*{path.suffix}"))


# ------------------------------------------------------------ bad input files

def _text_as_xlsx(p: Path):
    p.write_text("订单号,售后类型\n1,仅退款\n", encoding="utf-8")


def _zip_not_xlsx(p: Path):
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "not a workbook")


def _truncated(p: Path):
    p.write_bytes((MESSY / "title_row.xlsx").read_bytes()[:1500])


def _empty(p: Path):
    p.write_bytes(b"")


def _binary_csv(p: Path):
    p.write_bytes(b"PK\x03\x04\x00\x00garbage\x00\xff" * 50)


def _no_tracking(p: Path):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["张三", "13800000000"])
    wb.save(p)


BAD_INPUTS = {
    "text_named_xlsx": ("in.xlsx", _text_as_xlsx, "不是有效的"),
    "zip_not_xlsx": ("in.xlsx", _zip_not_xlsx, "不是有效的"),
    "truncated_xlsx": ("in.xlsx", _truncated, "不是有效的"),
    "empty_xlsx": ("in.xlsx", _empty, "不是有效的"),
    "binary_csv": ("in.csv", _binary_csv, "CSV"),
    "no_tracking_sheet": ("in.xlsx", _no_tracking, "找不到售后登记表"),
    "wrong_suffix": ("in.txt", _text_as_xlsx, "不支持的文件类型"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["evaluate", "batch"])
def test_bad_input_file_is_one_line(case, command, tmp_path, capsys):
    name, make, needle = BAD_INPUTS[case]
    src = tmp_path / name
    make(src)
    before = src.read_bytes()
    argv = [command, str(src), "--now", NOW]
    argv += ["--out", str(tmp_path / "out.xlsx")] if command == "evaluate" else ["--quiet"]
    assert cli.main(argv) == 2
    one_line_error(capsys, needle)
    assert src.read_bytes() == before
    assert leftovers(tmp_path, {name}) == []  # no output, no temp file, no lock, no backup of a bad file


def test_missing_input_is_one_line(tmp_path, capsys):
    assert cli.main(["evaluate", str(tmp_path / "nope.xlsx"), "--out", str(tmp_path / "o.xlsx")]) == 2
    one_line_error(capsys, "找不到文件")
    assert cli.main(["batch", str(tmp_path / "nope.xlsx"), "--quiet"]) == 2
    one_line_error(capsys, "找不到文件")


def test_missing_named_sheet_is_one_line(book, capsys):
    assert cli.main(["evaluate", str(book), "--out", str(book.with_name("o.xlsx")), "--sheet", "不存在"]) == 2
    one_line_error(capsys, "不存在")


def test_installed_script_prints_no_traceback(tmp_path):
    src = tmp_path / "in.xlsx"
    _zip_not_xlsx(src)
    proc = subprocess.run([sys.executable, "-m", "refund_xl.cli", "evaluate", str(src), "--out",
                           str(tmp_path / "o.xlsx")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


# ---------------------------------------------------------- locked targets

def _deny_replace(monkeypatch, target: Path):
    real = os.replace

    def replace(src, dst, *a, **k):
        if Path(dst).name == target.name:
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", replace)


def test_evaluate_onto_a_locked_output(book, tmp_path, monkeypatch, capsys):
    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"yesterday's results")  # open in Excel (Windows refuses the rename)
    _deny_replace(monkeypatch, out)
    assert cli.main(["evaluate", str(book), "--out", str(out), "--now", NOW, "--force"]) == 2
    one_line_error(capsys, "结果.xlsx", "被占用")
    assert out.read_bytes() == b"yesterday's results"
    baks = backups(out)  # --force backs up before it replaces; the backup is kept
    assert len(baks) == 1 and baks[0].read_bytes() == b"yesterday's results"
    assert leftovers(tmp_path, {book.name, out.name, baks[0].name}) == []


def test_batch_in_place_on_a_locked_workbook(book, tmp_path, monkeypatch, capsys):
    before = book.read_bytes()
    _deny_replace(monkeypatch, book)
    assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 2
    one_line_error(capsys, book.name, "被占用")
    assert book.read_bytes() == before
    baks = backups(book)
    assert len(baks) == 1 and baks[0].read_bytes() == before  # the backup is kept
    assert leftovers(tmp_path, {book.name, baks[0].name}) == []


@pytest.mark.skipif(ROOT, reason="root writes through chmod; covered by the os.replace variants")
def test_read_only_folder(book, tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    src = folder / "登记.xlsx"
    shutil.copy(book, src)
    before = src.read_bytes()
    folder.chmod(0o555)
    try:
        assert cli.main(["evaluate", str(src), "--out", str(folder / "o.xlsx"), "--now", NOW]) == 2
        one_line_error(capsys, "无法写入")
        assert cli.main(["batch", str(src), "--now", NOW, "--quiet"]) == 2
        one_line_error(capsys)
        assert src.read_bytes() == before
        assert leftovers(folder, {src.name}) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(ROOT, reason="root reads through chmod")
def test_unreadable_input(book, capsys):
    book.chmod(0)
    try:
        assert cli.main(["evaluate", str(book), "--out", str(book.with_name("o.xlsx"))]) == 2
        one_line_error(capsys, "被占用或没有权限")
    finally:
        book.chmod(0o644)


def test_unreadable_input_simulated(book, monkeypatch, capsys):
    real = Path.read_bytes

    def locked(self, *a, **k):
        if self.name == book.name:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(self, *a, **k)

    monkeypatch.setattr(Path, "read_bytes", locked)
    assert cli.main(["evaluate", str(book), "--out", str(book.with_name("o.xlsx"))]) == 2
    one_line_error(capsys, "被占用或没有权限")


# ------------------------------------------------------ half-written files

def DiskFull(real, n: int):
    """``real``, letting ``n`` calls through, then failing like a full disk."""
    calls = [0]

    def fake(*a, **k):
        calls[0] += 1
        if calls[0] > n:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*a, **k)

    return fake


def test_evaluate_xlsx_fails_half_way(book, tmp_path, monkeypatch, capsys):
    from refund_xl._files import xlsxpatch

    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"old results")
    # the sheet writer gets half of the file onto the disk, then the disk is full
    monkeypatch.setattr(xlsxpatch, "patch_workbook", _half_patch(xlsxpatch.patch_workbook))
    assert cli.main(["evaluate", str(book), "--out", str(out), "--now", NOW]) == 2
    one_line_error(capsys, "结果.xlsx")
    assert out.read_bytes() == b"old results"
    assert leftovers(tmp_path, {book.name, out.name}) == []


def test_evaluate_xlsx_fails_when_closing(book, tmp_path, monkeypatch, capsys):
    # XlsxWriter reports a failed save as its own FileCreateError, not an OSError.
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    def close(self):
        raise FileCreateError(OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(xlsxwriter.Workbook, "close", close)
    out = tmp_path / "结果.xlsx"
    assert cli.main(["evaluate", str(book), "--out", str(out), "--now", NOW]) == 2
    one_line_error(capsys, "结果.xlsx")
    assert not out.exists()
    assert leftovers(tmp_path, {book.name}) == []


def test_evaluate_csv_fails_half_way(book, tmp_path, monkeypatch, capsys):
    out = tmp_path / "结果.csv"
    out.write_text("old,results\n", encoding="utf-8")
    monkeypatch.setattr(files, "inert", DiskFull(files.inert, 60))
    assert cli.main(["evaluate", str(book), "--out", str(out), "--now", NOW]) == 2
    one_line_error(capsys, "结果.csv")
    assert out.read_text(encoding="utf-8") == "old,results\n"
    assert leftovers(tmp_path, {book.name, out.name}) == []


def _half_patch(real):
    def patch(source, dest, sheets):
        real(source, dest, sheets)
        data = Path(dest).read_bytes()
        Path(dest).write_bytes(data[: len(data) // 2])  # half of it reached the disk
        raise OSError(errno.ENOSPC, "No space left on device")
    return patch


def _half_render(real):
    def render(self, tmp):
        real(self, tmp)
        data = Path(tmp).read_bytes()
        Path(tmp).write_bytes(data[: len(data) // 2])  # half of it reached the disk
        raise OSError(errno.ENOSPC, "No space left on device")
    return render


def test_batch_in_place_fails_half_way(book, tmp_path, monkeypatch, capsys):
    before = book.read_bytes()
    monkeypatch.setattr(filebook.FileBook, "_render", _half_render(filebook.FileBook._render))
    assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 2
    one_line_error(capsys, book.name, "原文件未改动")
    assert book.read_bytes() == before
    assert leftovers(tmp_path, {book.name}) == []  # the write failed before a backup was needed
    # and the next run, with room on the disk, works on the intact file
    monkeypatch.undo()
    assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 0
    assert "拦截登记" in files.read_sheets(book)


def test_batch_to_out_fails_half_way(book, tmp_path, monkeypatch, capsys):
    out = tmp_path / "今日.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "昨天的登记"
    wb.save(out)
    yesterday = out.read_bytes()
    before = book.read_bytes()
    monkeypatch.setattr(filebook.FileBook, "_render", _half_render(filebook.FileBook._render))
    assert cli.main(["batch", str(book), "--out", str(out), "--now", NOW, "--quiet"]) == 2
    one_line_error(capsys, out.name)
    assert out.read_bytes() == yesterday and book.read_bytes() == before
    assert leftovers(tmp_path, {book.name, out.name}) == []  # no backup: the input was not the target


def test_batch_fails_with_an_unexpected_error(book, tmp_path, monkeypatch, capsys):
    """A defect while writing still leaves the workbook intact and no temp file behind."""
    before = book.read_bytes()

    def boom(self, tmp):
        Path(tmp).write_bytes(b"partial")
        raise RuntimeError("defect")

    monkeypatch.setattr(filebook.FileBook, "_render", boom)
    with pytest.raises(RuntimeError):
        workbook.run_batch_file(book, now=None, progress=False)
    assert book.read_bytes() == before
    assert leftovers(tmp_path, {book.name}) == []


# ---------------------------------------------------------------- the lock

def test_file_lock_is_exclusive_and_released(tmp_path):
    target = tmp_path / "登记.xlsx"
    with files.file_lock(target) as lock:
        assert lock.exists()
        with pytest.raises(BusyError, match="正在被另一个批处理使用"):
            with files.file_lock(target):
                pass  # pragma: no cover
    assert not lock.exists()
    with files.file_lock(target):
        pass


def test_file_lock_released_on_error(tmp_path):
    target = tmp_path / "登记.xlsx"
    with pytest.raises(ValueError):
        with files.file_lock(target) as lock:
            raise ValueError
    assert not lock.exists()


def test_stale_lock_is_taken_over(tmp_path):
    target = tmp_path / "登记.xlsx"
    lock = tmp_path / f".{target.name}.refund-xl.lock"
    lock.write_text("12345 2025-06-09T00:00:00\n")
    old = time.time() - 3600
    os.utime(lock, (old, old))
    with files.file_lock(target, stale_after=1800):
        assert lock.read_text().split()[0] == str(os.getpid())
    assert not lock.exists()


def test_fresh_lock_of_another_run_is_respected(tmp_path):
    target = tmp_path / "登记.xlsx"
    lock = tmp_path / f".{target.name}.refund-xl.lock"
    lock.write_text("12345 now\n")
    with pytest.raises(BusyError, match=lock.name):
        with files.file_lock(target):
            pass  # pragma: no cover
    assert lock.exists()  # not ours to remove


def test_file_lock_threads_exactly_one_wins(tmp_path):
    target = tmp_path / "登记.xlsx"
    barrier = threading.Barrier(8)
    won, busy = [], []

    def run():
        barrier.wait()
        try:
            with files.file_lock(target):
                won.append(1)
                time.sleep(0.2)
        except BusyError:
            busy.append(1)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1 and len(busy) == 7


def test_batch_while_another_holds_the_lock(book, tmp_path, capsys):
    before = book.read_bytes()
    with files.file_lock(book):
        assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 2
        one_line_error(capsys, "正在被另一个批处理使用")
    assert book.read_bytes() == before
    assert backups(book) == []
    assert leftovers(tmp_path, {book.name}) == []


def test_batch_to_out_while_out_is_locked(book, tmp_path, capsys):
    out = tmp_path / "今日.xlsx"
    with files.file_lock(out):
        assert cli.main(["batch", str(book), "--out", str(out), "--now", NOW, "--quiet"]) == 2
        one_line_error(capsys, "正在被另一个批处理使用")
    assert not out.exists()


def test_two_batch_processes_at_once(book, tmp_path):
    """Two desks press the button together: one waits its turn or is refused; never a half-merged register."""
    cmd = [sys.executable, "-m", "refund_xl.cli", "batch", str(book), "--now", NOW, "--quiet"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes in ([0, 0], [0, 2]), outs
    for p, (_o, err) in zip(procs, outs):
        if p.returncode == 2:
            assert "正在被另一个批处理使用" in err and "Traceback" not in err
    sheets = files.read_sheets(book)  # a whole, readable workbook
    register = [r for r in sheets["拦截登记"][1:] if any(c is not None for c in r)]
    assert sorted(r[1] for r in register) == ["100002", "100003"]  # each case once
    assert len([r for r in sheets["运行日志"][1:] if r[0] is not None]) == codes.count(0)
    assert not list(tmp_path.glob(".*.lock")) and not list(tmp_path.glob(".登记.*"))


def test_errors_are_refund_xl_errors():
    # the command line turns exactly these into one line and exit 2
    for exc in (InputFileError, OutputFileError, BusyError):
        assert issubclass(exc, cli.RefundXLError)


# ------------------------------------------------------------ sheet names Excel forbids

def _named(path: Path, name: str) -> Path:
    """The messy title_row book with its tracking sheet renamed in workbook.xml (other programs write such
    names; openpyxl and Excel refuse them)."""
    with zipfile.ZipFile(MESSY / "title_row.xlsx") as z:
        data = {i.filename: z.read(i) for i in z.infolist()}
    wb = data["xl/workbook.xml"].decode("utf-8")
    first = wb.split('<sheet name="', 1)[1].split('"', 1)[0]
    from xml.sax.saxutils import quoteattr

    data["xl/workbook.xml"] = wb.replace(f'name="{first}"', f"name={quoteattr(name)}", 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, v in data.items():
            z.writestr(n, v)
    return path


@pytest.mark.parametrize("name", ["售后/登记", "6月[售后]", "登记:副本", "登记*", "登记?", "a\\b",
                                  "'登记'", "超长的售后登记表名字" * 4])
def test_evaluate_on_a_sheet_name_excel_forbids_writes_a_legal_one_and_says_so(name, tmp_path, capsys):
    book = _named(tmp_path / "登记.xlsx", name)
    assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 0  # batch copes (it writes only its own sheets)
    capsys.readouterr()
    out = tmp_path / "结果.xlsx"
    assert cli.main(["evaluate", str(book), "--out", str(out), "--now", NOW, "--quiet"]) == 0
    err = capsys.readouterr().err
    wb = openpyxl.load_workbook(out)
    title, *more = wb.sheetnames
    assert more in ([], ["读取报告"])      # evaluate may add its reading report after the table
    assert not set("/\\[]:*?") & set(title) and len(title) <= 31 and not title.startswith("'") and title
    assert f"输出表名为「{title}」" in err and "Traceback" not in err and "Invalid" not in err
    assert wb[title].max_row == 7


# ------------------------------------------------------------ odd lock states (issue 19)

def _lock_of(target: Path) -> Path:
    return target.with_name(f".{target.name}.refund-xl.lock")


@pytest.mark.parametrize("kind", ["folder", "dangling link", "link to a file", "fifo"])
def test_a_lock_path_that_is_no_lock_file_is_its_own_line(book, kind, capsys):
    lock = _lock_of(book)
    if kind == "folder":
        lock.mkdir()
    elif kind == "dangling link":
        lock.symlink_to(book.parent / "nowhere")
    elif kind == "link to a file":
        (book.parent / "other.txt").write_text("x")
        lock.symlink_to(book.parent / "other.txt")
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this system")
        os.mkfifo(lock)
    before = book.read_bytes()
    assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 2  # a FIFO is never opened: no hang
    line = one_line_error(capsys, lock.name, "不是本工具的锁")
    assert "另一个批处理" not in line
    assert book.read_bytes() == before and os.path.lexists(lock) and not backups(book)


@pytest.mark.parametrize("minutes, taken", [(-5, False), (45, True), (60 * 24 * 365, True), (-45, True)])
def test_a_foreign_lock_expires_by_its_distance_from_now_past_or_future(tmp_path, minutes, taken, capsys):
    """Another host's lock (or one naming none): taken over when its time is more than 30 minutes from now,
    in the past or in the future (a lock dated ahead by a wrong clock does not block for ever)."""
    target = tmp_path / "登记.xlsx"
    lock = _lock_of(target)
    lock.write_text("4242 other-host 2025-06-10T12:00:00\n")
    when = time.time() - minutes * 60
    os.utime(lock, (when, when))
    if taken:
        with files.file_lock(target):
            assert lock.read_text().split()[0] == str(os.getpid())
        assert "已接管" in capsys.readouterr().err
    else:
        with pytest.raises(BusyError):
            with files.file_lock(target):
                pass  # pragma: no cover
        assert lock.read_text().startswith("4242")


def test_a_live_local_lock_is_never_taken_over_however_old(tmp_path):
    target = tmp_path / "登记.xlsx"
    lock = _lock_of(target)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        import socket

        lock.write_text(f"{alive.pid} {socket.gethostname()} 2025-06-10T12:00:00\n")
        old = time.time() - 6 * 3600  # a long import: its lock is hours old
        os.utime(lock, (old, old))
        with pytest.raises(BusyError):
            with files.file_lock(target):
                pass  # pragma: no cover
        assert lock.exists()
    finally:
        alive.kill()
        alive.wait()
