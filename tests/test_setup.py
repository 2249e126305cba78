"""`refund-xl setup` / `refund-xl doctor` (contract §7, §8): a ready workbook for this PC, and a check with fixes."""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from refund_xl._excel import excel_setup
from refund_xl._template import runtime
from refund_xl.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _vba_runtime_version(book: Path) -> str | None:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(book))
    try:
        for _f, _s, name, code in parser.extract_macros():
            if name.rsplit(".", 1)[0] == "xlwings":
                return runtime.runtime_version(code)
    finally:
        parser.close()
    return None


def test_setup_writes_a_ready_workbook(tmp_path, capsys):
    import xlwings

    book = tmp_path / "售后 工作簿" / "我的售后.xlsm"
    assert main(["setup", "--book", str(book)]) == 0
    assert str(book) in capsys.readouterr().out
    conf = excel_setup.conf_of(book)
    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    assert Path(conf[key]).parent == Path(sys.executable).parent
    assert conf["UDF MODULES"] == "refund_xl.udfs" and conf["ADD_WORKBOOK_TO_PYTHONPATH"] is False
    assert _vba_runtime_version(book) == xlwings.__version__ == runtime.XLWINGS_PIN
    with zipfile.ZipFile(book) as z:
        wb = z.read("xl/workbook.xml").decode()
        assert "customUI/customUI14.xml" in z.namelist()
    assert 'fullCalcOnLoad="1"' in wb, "a set-up book recalculates on open: no stale time columns"


def test_template_itself_does_not_recalculate_on_open():
    with zipfile.ZipFile(ROOT / "workbook_template.xlsm") as z:
        assert 'fullCalcOnLoad="1"' not in z.read("xl/workbook.xml").decode()


def test_setup_never_replaces_a_workbook(tmp_path, capsys):
    book = tmp_path / "desk.xlsm"
    book.write_bytes(b"the desk's only copy")
    assert main(["setup", "--book", str(book)]) == 2
    assert "已存在" in capsys.readouterr().err
    assert book.read_bytes() == b"the desk's only copy"
    assert main(["setup", "--book", str(tmp_path / "desk.xlsx")]) == 2


def test_setup_default_is_the_documents_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(excel_setup, "documents_folder", lambda: tmp_path / "Documents")
    assert main(["setup"]) == 0
    assert (tmp_path / "Documents" / excel_setup.BOOK_NAME).is_file()


def test_doctor_on_a_set_up_book_is_clean(tmp_path, capsys):
    book = excel_setup.setup_book(tmp_path / "ok.xlsm")
    assert main(["doctor", "--book", str(book)]) == 0
    out = capsys.readouterr().out
    assert "Python 位数" in out and runtime.XLWINGS_PIN in out and "全部正常" in out
    if sys.platform != "win32":
        assert "只能在 Windows 的 Excel 里运行" in out


def test_doctor_on_the_raw_template_says_what_to_fix(tmp_path, capsys):
    book = tmp_path / "template.xlsm"
    shutil.copyfile(ROOT / "workbook_template.xlsm", book)
    assert main(["doctor", "--book", str(book)]) == 2
    out = capsys.readouterr().out
    assert "✘ 工作簿里的 Python" in out and "（空）" in out and "refund-xl setup" in out


def test_doctor_names_the_pinned_install_command(tmp_path, monkeypatch, capsys):
    import xlwings

    monkeypatch.setattr(xlwings, "__version__", "0.33.1")
    book = excel_setup.setup_book(tmp_path / "v.xlsm")
    assert main(["doctor", "--book", str(book)]) == 2
    out = capsys.readouterr().out
    assert "已安装 0.33.1" in out and f"-m pip install xlwings=={runtime.XLWINGS_PIN}" in out


def test_doctor_flags_onedrive_and_a_missing_book(tmp_path, capsys):
    book = excel_setup.setup_book(tmp_path / "OneDrive - 某某电商" / "售后.xlsm")
    assert main(["doctor", "--book", str(book)]) == 2
    assert "✘ 云同步文件夹：在 OneDrive" in capsys.readouterr().out
    assert main(["doctor", "--book", str(tmp_path / "nope.xlsm")]) == 2
    assert "refund-xl setup" in capsys.readouterr().out


# ------------------------------------------------------------ every OSError one line (issue 19)

def _mount(where: Path, *options: str) -> None:
    import os
    import subprocess

    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    where.mkdir(exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(where)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode(errors='replace').strip()}")


@pytest.fixture
def mounts(tmp_path):
    import subprocess

    made: list[Path] = []

    def mount(name: str, *options: str) -> Path:
        where = tmp_path / name
        _mount(where, *options)
        made.append(where)
        return where

    yield mount
    for where in made:
        subprocess.run(["umount", str(where)], capture_output=True)


def _one_line(capsys, *needles: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("refund-xl: ") and "Traceback" not in err, err
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


COMMANDS = {"setup": lambda target: ["setup", "--book", str(target / "售后助手.xlsm")],
            "template": lambda target: ["template", "--out", str(target / "workbook_template.xlsm")]}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_read_only_target_is_one_line(mounts, command, capsys):
    target = mounts("只读", "size=4m", "ro")
    assert main(COMMANDS[command](target)) == 2
    _one_line(capsys, "只读")
    assert list(target.iterdir()) == []


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_full_disk_is_one_line_and_leaves_nothing(mounts, command, capsys):
    target = mounts("小盘", "size=48k")
    (target / "售后助手.xlsm.tmp").write_bytes(b"the user's own file")
    (target / "workbook_template.xlsm.tmp").write_bytes(b"the user's own file")
    before = sorted(p.name for p in target.iterdir())
    for _attempt in range(2):
        assert main(COMMANDS[command](target)) == 2
        _one_line(capsys, "磁盘已满")
        assert sorted(p.name for p in target.iterdir()) == before  # no partial .tmp, no stage folder
    assert (target / "售后助手.xlsm.tmp").read_bytes() == b"the user's own file"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_parent_that_is_a_file_is_one_line(tmp_path, command, capsys):
    blocker = tmp_path / "文档"
    blocker.write_text("not a folder")
    assert main(COMMANDS[command](blocker)) == 2
    _one_line(capsys, "文档", "不是文件夹")
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_users_own_tmp_file_is_never_overwritten(tmp_path, command, capsys):
    mine = {"setup": tmp_path / "售后助手.xlsm.tmp", "template": tmp_path / "workbook_template.xlsm.tmp"}[command]
    mine.write_bytes(b"the user's own file")
    assert main(COMMANDS[command](tmp_path)) == 0, capsys.readouterr().err
    assert mine.read_bytes() == b"the user's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, mine.name[:-len(".tmp")]])


@pytest.mark.parametrize("suffix", [".txt", ".xlsx", ".xlsm.txt"])
def test_template_out_must_be_an_xlsm(tmp_path, suffix, capsys):
    out = tmp_path / f"模板{suffix}"
    assert main(["template", "--out", str(out)]) == 2
    _one_line(capsys, ".xlsm")
    assert list(tmp_path.iterdir()) == []


def test_template_out_without_a_suffix_is_a_folder(tmp_path, capsys):
    assert main(["template", "--out", str(tmp_path / "模板")]) == 0
    assert (tmp_path / "模板" / "workbook_template.xlsm").is_file()
