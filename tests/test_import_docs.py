"""Every command written in docs/import.md runs, on exports named as the doc names them."""

from __future__ import annotations

import re
import shlex
from pathlib import Path


from refund_xl._files import files
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


EXPORTS = Path(__file__).resolve().parent / "data" / "exports"


def _exports(folder: Path) -> None:
    """The files the doc names: the raw platform exports of tests/data/exports, as downloaded."""
    import shutil

    for src, name in (("taobao_export.csv", "淘宝退款_0610.csv"), ("pdd_export.csv", "拼多多售后_0610.csv"),
                      ("douyin_export.xlsx", "抖店售后_0610.xlsx"), ("jd_export.xlsx", "京东服务单_0610.xlsx")):
        shutil.copy(EXPORTS / src, folder / name)
    # one PDD day cut into three files (the import corpus)
    for n in (1, 2, 3):
        shutil.copy(EXPORTS / f"import_pdd_0610_{n}.csv", folder / f"拼多多售后_0610_{n}.csv")
    # the next day's 千牛 export: every case still open yesterday is now 退款成功
    raw = (EXPORTS / "taobao_export.csv").read_bytes().decode("gbk")
    for word in ("买家已经申请退款，等待卖家同意", "卖家已经同意退款，等待买家退货", "买家已经退货，等待卖家确认收货"):
        raw = raw.replace(word, "退款成功")
    (folder / "淘宝退款_0611.csv").write_bytes(raw.encode("gbk"))


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
    rows = files.read_sheets(tmp_path / "售后登记.xlsx")["售后登记"]
    head = rows[0]
    assert {r[head.index("平台")] for r in rows[1:]} == {"淘宝", "拼多多", "抖店", "京东"}
    taobao = [r for r in rows[1:] if r[head.index("平台")] == "淘宝"]
    assert taobao and all(r[head.index("售后状态")] in ("已退款", "已关闭", "已完结") for r in taobao)


def test_the_doc_lists_the_new_books_columns_as_made():
    from refund_xl._app import intake

    text = DOC.read_text(encoding="utf-8")
    listed = re.search(r"新建的登记表（表名 售后登记）有这些列：(.*?) —— 正好 (\d+) 列", text, re.S)
    names = [n.strip() for n in listed.group(1).replace("\n", "").split("、")]
    assert names == intake.new_sheet_headers() and int(listed.group(2)) == len(names)


def test_the_masking_example_is_what_import_writes():
    from refund_xl._app.masking import mask_field
    from refund_xl._core.fields import FIELD_BY_KEY

    text = DOC.read_text(encoding="utf-8")
    typed, written, word = re.search(r"「([^」]+)」写入为「([^」]+)」，\s*仍然读作 (\S+?)；", text).groups()
    assert mask_field("reason", typed) == written
    assert FIELD_BY_KEY["reason"].parse(written) == FIELD_BY_KEY["reason"].parse(typed) == word


def test_the_memory_figure_is_the_contracts():
    text = DOC.read_text(encoding="utf-8")
    assert "≤ 1.5 GB" in text and "python -m benchmarks.import_bench" in text
