"""Every crash of issue 10 becomes one Chinese line (exit 2) or a correct result.

Hostile and odd files are run through the real command line in a child process
with a memory ceiling (RLIMIT_AS): a file that would make python-calamine
allocate its used range (549 GB for a cell at XFD1048576) or hold a
shared-strings bomb in memory shows up as a killed child, not as a pass.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from refund_xl import cli
from refund_xl._files import files

ROOT = Path(__file__).resolve().parents[1]
NOW = "2025-06-10T12:00"
CEILING = 3 * 1024 ** 3  # bytes of address space for the child
HEADERS = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号",
           "物流状态", "物流更新时间"]
ROW = ["4177034256340093436", "S7001", datetime(2025, 6, 10, 9, 0), "仅退款", 59.0, "已发货", "中通",
       "ZT781234567", "运输中", datetime(2025, 6, 10, 10, 0)]


def cli_child(*args: str, cwd: Path, timeout: int = 180) -> subprocess.CompletedProcess:
    def limit():  # pragma: no cover - runs in the child
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (CEILING, CEILING))

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "refund_xl.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=limit)


def one_line(proc: subprocess.CompletedProcess, *needles: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def tracking_book(path: Path, **sheets) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(HEADERS)
    ws.append(ROW)
    for name, cells in sheets.items():
        sh = wb.create_sheet(name)
        for ref, v in cells.items():
            sh[ref] = v
    wb.save(path)
    return path


# ------------------------------------------------------------ bounded reading

@pytest.mark.parametrize("where", ["售后登记", "备注"])
def test_a_stray_cell_at_xfd1048576_is_read_within_bounded_memory(tmp_path, where):
    book = tracking_book(tmp_path / "登记.xlsx", 备注={"A1": "我们自己的备注"})
    wb = openpyxl.load_workbook(book)
    wb[where]["XFD1048576"] = "x"
    wb.save(book)
    proc = cli_child("evaluate", str(book), "--out", str(tmp_path / "结果.csv"), "--now", NOW, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = list(csv.reader(io.StringIO((tmp_path / "结果.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "4177034256340093436" and rows[1][rows[0].index("action_code")] == "INTERCEPT_REFUND_NOW"
    assert len(rows) == 2  # the far-away cell is not a case
    if where == "售后登记":
        assert "孤立单元格" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    proc = cli_child("batch", str(book), "--now", NOW, "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not list(tmp_path.glob(".*.lock"))


# The child's own peak: VmHWM of its address space (Linux).  ru_maxrss is kept across fork and exec, so a child of a
# pytest process grown past the limit reported the parent's size (414 MB for 1,500 rows in a full run, 75 MB alone).
MEASURED = r"""
import resource, sys
from refund_xl import cli
rc = cli.main(sys.argv[1:])
try:
    kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("maxrss_kb", kb, file=sys.stderr)
sys.exit(rc)
"""


@pytest.mark.parametrize("ref", ["A1048576", "XFD1"])
def test_a_stray_far_cell_of_the_tracking_sheet_is_bounded_and_no_case(tmp_path, ref):
    """Issue 19: one value at A1048576 of the tracking sheet made python-calamine read 1,048,576 rows
    (1.1 GB, a phantom case); XFD1 over 1,500 rows, a 24-million-cell rectangle.  Both are read as the
    other sheets are: the far cell left out (said once), memory following the cells that exist."""
    n = 1500
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(HEADERS)
    for i in range(n):
        ws.append([f"{4177034256340093436 + i}", f"S{7000 + i}", *ROW[2:]])
    ws[ref] = "x"
    book = tmp_path / "远.xlsx"
    wb.save(book)
    out = tmp_path / "结果.csv"
    proc = subprocess.run([sys.executable, "-c", MEASURED, "evaluate", str(book), "--out", str(out), "--now", NOW,
                           "--quiet"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stderr[-2000:]
    rss_mb = int(proc.stderr.rsplit("maxrss_kb", 1)[1].split()[0]) / 1024
    assert rss_mb < 400, f"{rss_mb:.0f} MB for {n} rows"
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == n + 1  # no phantom case
    assert "x" not in {r[0] for r in rows} and "孤立单元格" in proc.stderr


def _with_part(src: Path, dest: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for item in zin.infolist():
            if item.filename != name:
                zout.writestr(item, zin.read(item.filename))
        zout.writestr(name, data)


def test_a_shared_strings_bomb_is_refused_in_one_line(tmp_path):
    book = tracking_book(tmp_path / "src.xlsx")
    n = 9_000_000
    sst = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org'
           b'/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (n, n)) + b"<si/>" * n + b"</sst>"
    bomb = tmp_path / "炸弹.xlsx"
    _with_part(book, bomb, "xl/sharedStrings.xml", sst)
    assert bomb.stat().st_size < 2_000_000
    before = bomb.read_bytes()
    proc = cli_child("batch", str(bomb), "--now", NOW, "--quiet", cwd=tmp_path)
    one_line(proc, "共享字符串表异常大")
    assert bomb.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src.xlsx", "炸弹.xlsx"]


def test_an_absurd_decompressed_size_is_refused_before_reading(tmp_path):
    book = tracking_book(tmp_path / "src.xlsx")
    big = tmp_path / "大.xlsx"
    _with_part(book, big, "xl/media/pad.bin", b"\0" * 1000)
    # claim 3.9 GB for the padding part in the central directory (a zip bomb's header)
    data = bytearray(big.read_bytes())
    at = data.rfind(b"PK\x01\x02", 0)
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_len] == b"xl/media/pad.bin":
            struct.pack_into("<I", data, at + 24, 3_900_000_000)
            break
        at = data.rfind(b"PK\x01\x02", 0, at)
    big.write_bytes(bytes(data))
    proc = cli_child("evaluate", str(big), "--out", str(tmp_path / "o.csv"), "--now", NOW, cwd=tmp_path)
    one_line(proc, "解压后超过")


def test_an_encrypted_workbook_is_called_password_protected(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tracking_book(tmp_path / "plain.xlsx")
    enc = tmp_path / "加密.xlsx"
    with open(plain, "rb") as fh, open(enc, "wb") as out:
        OOXMLFile(fh).encrypt("desk-2025", out)
    proc = cli_child("batch", str(enc), "--now", NOW, "--quiet", cwd=tmp_path)
    one_line(proc, "受密码保护")


# ------------------------------------------------------------ CSV oddities

def _evaluate_csv(tmp_path, raw: bytes, capsys):
    src = tmp_path / "导出.csv"
    src.write_bytes(raw)
    out = tmp_path / "结果.csv"
    code = cli.main(["evaluate", str(src), "--out", str(out), "--now", NOW])
    captured = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))) if out.exists() else None
    return code, captured.err, rows


def test_a_cr_only_csv_from_excel_for_mac_is_read(tmp_path, capsys):
    text = "订单号,售后类型,退款金额,发货状态\r100001,仅退款,59,未发货\r100002,仅退款,88,未发货\r"
    code, err, rows = _evaluate_csv(tmp_path, text.encode("gbk"), capsys)
    assert (code, err) == (0, "")
    assert [r[0] for r in rows[1:]] == ["100001", "100002"]


def test_a_csv_cell_over_128_kb_is_read(tmp_path, capsys):
    chat = "客户：" + "包裹一直没动，" * 30000  # a pasted chat log, ~210 KB
    text = f'订单号,售后类型,退款金额,发货状态,客户反馈\n100001,仅退款,59,未发货,"{chat}"\n'
    code, err, rows = _evaluate_csv(tmp_path, text.encode("utf-8"), capsys)
    assert (code, err) == (0, "")
    assert rows[1][0] == "100001" and len(rows[1][4]) > 128 * 1024 // 3


def test_a_stray_quote_that_swallows_rows_is_one_line(tmp_path, capsys):
    lines = ["订单号,售后类型,退款金额,发货状态,客户反馈"]
    lines += [f"1000{i:02d},仅退款,{50 + i},未发货,正常" for i in range(1, 4)]
    lines.append('100004,仅退款,54,未发货,"17寸箱子')  # the quote is never closed
    lines += [f"1000{i:02d},仅退款,{50 + i},未发货,正常" for i in range(5, 12)]
    code, err, _rows = _evaluate_csv(tmp_path, ("\n".join(lines) + "\n").encode("utf-8"), capsys)
    assert code == 2 and err.count("\n") == 1
    assert "第 5 行" in err and "引号" in err


def test_a_setting_of_1e8_hours_is_one_line(tmp_path, capsys):
    book = tracking_book(tmp_path / "登记.xlsx", 设置={"A1": "键", "B1": "项目", "C1": "值",
                                                    "A2": "lost_hours", "B2": "丢件阈值(小时)", "C2": 1e8})
    assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "lost_hours" in err and "Traceback" not in err


def test_template_out_a_folder_writes_into_it(tmp_path, capsys):
    folder = tmp_path / "模板"
    folder.mkdir()
    assert cli.main(["template", "--out", str(folder)]) == 0
    assert (folder / "workbook_template.xlsm").exists()


# ------------------------------------------------------------ a full disk (a real tmpfs)

@pytest.fixture
def small_disk(tmp_path):
    mnt = tmp_path / "小盘"
    mnt.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mnt)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def _filler_book(path: Path, kb: int) -> None:
    """A real tracking workbook of about ``kb`` KB (incompressible notes make the size)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    ws.append(HEADERS + ["客户反馈"])
    i = 0
    while True:
        i += 1
        ws.append([f"41770342563400{i:05d}", f"S{i:05d}", ROW[2], "仅退款", 20 + i % 300, "已发货", "中通",
                   f"ZT{i:09d}", "运输中", ROW[9], os.urandom(120).hex()])
        if i % 200 == 0:
            buf = io.BytesIO()
            wb.save(buf)
            if buf.tell() > kb * 1024:
                path.write_bytes(buf.getvalue())
                return


def test_a_full_disk_leaves_the_original_and_nothing_stray(small_disk, capsys):
    book = small_disk / "登记.xlsx"
    _filler_book(book, 120)  # the backup fits, the new file does not (or the other way round)
    before = book.read_bytes()
    for _attempt in range(3):  # retries must not pile up half backups
        assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err and ("无法" in err), err
        assert book.read_bytes() == before
        names = sorted(p.name for p in small_disk.iterdir())
        full_baks = [n for n in names if ".bak-" in n]
        assert set(names) - set(full_baks) == {"登记.xlsx"}, names
        for n in full_baks:  # a backup that exists is whole
            assert (small_disk / n).read_bytes() == before
    assert cli.main(["evaluate", str(book), "--out", str(small_disk / "结果.xlsx"), "--now", NOW]) in (0, 2)
    capsys.readouterr()
    assert not [p.name for p in small_disk.iterdir() if p.name.startswith(".") or "shell" in p.name]


# ------------------------------------------------------------ killed runs

@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_a_batch_killed_mid_write_blocks_nothing_and_leaves_no_temp_file(tmp_path, how):
    book = tracking_book(tmp_path / "登记.xlsx")
    before = book.read_bytes()
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from refund_xl import cli; from refund_xl._files import filebook
        real = filebook.FileBook._render
        def slow(self, tmp):
            real(self, tmp)
            print("WRITING", flush=True)
            time.sleep(60)
        filebook.FileBook._render = slow
        sys.exit(cli.main(["batch", {str(book)!r}, "--now", {NOW!r}, "--quiet"]))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "WRITING"
    proc.send_signal(9 if how == "SIGKILL" else 15)
    _out, err = proc.communicate(timeout=30)
    assert book.read_bytes() == before
    if how == "SIGTERM":  # unwound: lock and temp file removed by the run itself, one line said
        assert "Traceback" not in err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["登记.xlsx"]
    t0 = time.time()
    assert cli.main(["batch", str(book), "--now", NOW, "--quiet"]) == 0  # not refused for 30 minutes
    assert time.time() - t0 < 30
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert "拦截登记" in files.read_sheets(book)


def test_a_legit_multi_line_cell_is_not_taken_for_a_stray_quote(tmp_path, capsys):
    note = "第一次联系：客户说没收到\n第二次联系：快递说在派送\n第三次：已签收"
    text = f'订单号,售后类型,退款金额,发货状态,客户反馈\n100001,仅退款,59,未发货,"{note}"\n100002,仅退款,60,未发货,好\n'
    code, err, rows = _evaluate_csv(tmp_path, text.encode("utf-8"), capsys)
    assert (code, err) == (0, "")
    assert [r[0] for r in rows[1:]] == ["100001", "100002"] and rows[1][4] == note


def test_template_over_an_existing_workbook_backs_it_up_first(tmp_path, capsys):
    desk = tracking_book(tmp_path / "售后登记.xlsm")
    before = desk.read_bytes()
    assert cli.main(["template", "--out", str(desk)]) == 0
    assert "备份" in capsys.readouterr().out
    (bak,) = tmp_path.glob("售后登记.bak-*.xlsm")
    assert bak.read_bytes() == before


def test_a_stray_cell_far_to_the_right_is_left_out_with_a_line(tmp_path):
    book = tracking_book(tmp_path / "登记.xlsx")
    wb = openpyxl.load_workbook(book)
    for r in range(3, 60000, 1000):  # enough rows that the rectangle would be huge
        wb["售后登记"].cell(r, 1, None)
    wb["售后登记"]["XFD2"] = "误触"
    wb["售后登记"]["A40000"] = "4177034256340099999"
    wb.save(book)
    proc = cli_child("evaluate", str(book), "--out", str(tmp_path / "结果.csv"), "--now", NOW, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "第 16384 列" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    rows = list(csv.reader(io.StringIO((tmp_path / "结果.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows[0]) == len(HEADERS) + 9  # no 16 384-column table


def _damaged_variants(tmp_path: Path):
    """A workbook the batch wrote, then each part dropped, and each part cut in half."""
    from refund_xl._files.workbook import run_batch_file

    good = tracking_book(tmp_path / "good.xlsx")
    run_batch_file(good, now=datetime(2025, 6, 10, 12, 0), progress=False)
    with zipfile.ZipFile(good) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for i, name in enumerate(parts):
        for how in ("drop", "cut"):
            path = tmp_path / f"{how}_{i}.xlsx"
            with zipfile.ZipFile(path, "w") as out:
                for n, data in parts.items():
                    if n == name and how == "drop":
                        continue
                    out.writestr(n, data[: len(data) // 2] if n == name else data)
            yield path


def test_damaged_packages_are_one_line_or_a_result_never_a_traceback(tmp_path, capsys):
    variants = list(_damaged_variants(tmp_path))
    assert len(variants) > 20
    for path in variants:
        before = path.read_bytes()
        code = cli.main(["batch", str(path), "--now", NOW, "--quiet"])  # a traceback would raise here
        err = capsys.readouterr().err
        assert code in (0, 2), path.name
        if code == 2:
            assert err.count("\n") == 1 and path.read_bytes() == before, (path.name, err)
        out = tmp_path / f"{path.stem}.csv"
        assert cli.main(["evaluate", str(path), "--out", str(out), "--now", NOW]) in (0, 2)
        capsys.readouterr()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
