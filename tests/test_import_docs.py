"""Every command written in docs/import.md runs, on exports named as the doc names them."""

from __future__ import annotations

import re
import shlex
from pathlib import Path


from test_import import HEAD_A, HEAD_B, ROWS_A, ROWS_B, write_csv, write_xlsx

from refund_xl.cli import main

DOC = Path(__file__).resolve().parent.parent / "docs" / "import.md"


def doc_commands() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("refund-xl "):
                out.append(shlex.split(line)[1:])
    return out


def _exports(folder: Path) -> None:
    """The files the doc names (canonical-word exports until the fixtures' raw ones are merged)."""
    write_csv(folder / "淘宝退款_0610.csv", HEAD_A, ROWS_A[:2], notice="温馨提示：仅支持导出近3个月的售后单")
    write_xlsx(folder / "拼多多售后_0610.xlsx", HEAD_B, ROWS_B)
    write_csv(folder / "抖店售后_0610.csv", HEAD_A, ROWS_A[2:], encoding="utf-8")
    write_xlsx(folder / "京东服务单_0610.xlsx", HEAD_B, ROWS_B[:1])
    later = [list(ROWS_A[1])]
    later[0][14] = "退款成功"
    write_csv(folder / "淘宝退款_0611.csv", HEAD_A, later)


def test_the_doc_has_the_commands():
    verbs = [c[0] for c in doc_commands()]
    assert verbs.count("import") >= 2 and "evaluate" in verbs


def test_every_command_in_the_doc_runs(tmp_path, monkeypatch, capsys):
    _exports(tmp_path)
    monkeypatch.chdir(tmp_path)
    for argv in doc_commands():
        for arg in argv:
            if arg.endswith((".csv", ".xlsx")) and arg != "售后登记.xlsx" and not arg.startswith("判定"):
                assert (tmp_path / arg).exists(), f"the doc names {arg}, which the test does not provide"
        assert main(argv) == 0, (argv, capsys.readouterr())
    assert (tmp_path / "售后登记.xlsx").exists() and (tmp_path / "判定_0610.xlsx").exists()
