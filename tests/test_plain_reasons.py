"""Errors a desk reads end in a plain Chinese reason, never an English class name such as
（BadZipFile） or （ConnectionRefusedError） (issue 20)."""

from __future__ import annotations

import errno
import io
import re
import socket
import ssl
import zipfile
from xml.parsers.expat import ExpatError

import pytest

from refund_xl import cli
from refund_xl._core.errors import reason_of

_ENGLISH_NAME = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]*)+|\b[A-Za-z]*Error\b|\bgaierror\b")


@pytest.mark.parametrize("exc", [
    zipfile.BadZipFile("File is not a zip file"), EOFError(), ExpatError("not well-formed"),
    UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), ConnectionRefusedError(111, "refused"),
    ConnectionResetError(), TimeoutError(), socket.gaierror(-2, "Name or service not known"),
    ssl.SSLCertVerificationError(), PermissionError(13, "denied"), FileNotFoundError(2, "none"),
    IsADirectoryError(21, "dir"), MemoryError(), OSError(errno.ENOSPC, "No space left on device"),
])
def test_every_family_of_cause_has_words(exc):
    text = reason_of(exc)
    assert text != "原因不明" and re.search(r"[\u4e00-\u9fff]", text), exc
    assert not _ENGLISH_NAME.search(text), text


def test_an_unknown_cause_gives_the_callers_words():
    assert reason_of(KeyError("xl/workbook.xml"), "不是有效的 Excel/CSV 文件") == "不是有效的 Excel/CSV 文件"


def _broken_files(tmp_path):
    """Files named like workbooks that are none: a renamed text, empty, a cut-off zip, a zip of nothing."""
    (tmp_path / "文本改名.xlsx").write_text("订单号,售后类型\n1,仅退款\n", encoding="utf-8")
    (tmp_path / "空文件.xlsx").write_bytes(b"")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook>" + "x" * 5000)
    (tmp_path / "没下载完.xlsx").write_bytes(buf.getvalue()[:-300])
    with zipfile.ZipFile(tmp_path / "空压缩包.xlsx", "w") as z:
        z.writestr("readme.txt", "hi")
    with zipfile.ZipFile(tmp_path / "坏XML.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types")
        z.writestr("_rels/.rels", "<Relationships")
        z.writestr("xl/workbook.xml", "<workbook")
    return sorted(tmp_path.glob("*.xlsx"))


@pytest.mark.parametrize("command", ["evaluate", "batch", "fill", "import"])
def test_a_broken_workbook_is_one_chinese_line(tmp_path, capsys, command):
    for path in _broken_files(tmp_path):
        argv = {"evaluate": ["evaluate", str(path), "--out", str(tmp_path / "out.xlsx")],
                "batch": ["batch", str(path)],
                "fill": ["fill", str(path)],
                "import": ["import", str(path), "--into", str(tmp_path / "book.xlsx")]}[command]
        assert cli.main(argv) == 2, (command, path.name)
        err = capsys.readouterr().err.strip()
        assert err.startswith("refund-xl: ") and "\n" not in err, err
        assert not _ENGLISH_NAME.search(err.replace("Excel", "").replace("CSV", "").replace("refund-xl", "")), err


def test_a_courier_server_that_refuses_is_said_in_words(tmp_path, monkeypatch, capsys):
    import csv

    with socket.socket() as s:          # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("KUAIDI100_CUSTOMER", "C0FFEE")
    monkeypatch.setenv("KUAIDI100_KEY", "k3y")
    monkeypatch.setenv("KUAIDI100_URL", f"http://127.0.0.1:{port}/poll/query.do")
    monkeypatch.setenv("REFUND_XL_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "售后登记.csv"
    with open(src, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([
            ["订单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "售后状态"],
            ["4177034256340093436", "仅退款", "59", "已发货", "中通快递", "75234220267368", "", "处理中"]])
    assert cli.main(["track", str(src), "--now", "2025-06-10T12:00", "--quiet"]) == 0
    capsys.readouterr()
    with open(src, encoding="utf-8-sig", newline="") as fh:
        note = next(csv.DictReader(fh))["物流备注"]
    assert "无法连接" in note and "拒绝连接" in note and not _ENGLISH_NAME.search(note), note
