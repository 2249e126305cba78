"""One use case for import (issue 22): `refund-xl import` and the ribbon's 导入平台导出 run the same function,
``refund_xl._app.intake.run_import``, over their Book; the sheet, the messages and the errors are the same."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from refund_xl import macros
from refund_xl._app import intake
from refund_xl._app.memory import MemoryBook
from refund_xl._core import context
from refund_xl._files import files
from refund_xl.cli import main

from import_helpers import EXPORTS, corpus
from xlwings_standin import Book as XlBook

NOW = datetime(2025, 6, 10, 12, 0)
mi = corpus()


def _exports(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    names = [mi.PDD_FILES[0], mi.WDT_FILE, mi.JD_FILE, "taobao_export.csv"]
    return [Path(shutil.copy(EXPORTS / n, folder / n)) for n in names]


def _cli(paths, book: Path, capsys) -> tuple[int, str, str]:
    rc = main(["import", *map(str, paths), "--into", str(book), "--now", NOW.isoformat(timespec="minutes")])
    got = capsys.readouterr()
    return rc, got.out, got.err


def test_both_routes_call_the_one_use_case(tmp_path, monkeypatch, capsys):
    calls = []
    real = intake.run_import

    def spy(book, ctx, exports, **kw):
        calls.append((type(book).__name__, type(ctx).__name__, [e.name for e in exports]))
        return real(book, ctx, exports, **kw)

    monkeypatch.setattr(intake, "run_import", spy)
    paths = _exports(tmp_path / "x")
    assert _cli(paths, tmp_path / "book.xlsx", capsys)[0] == 0
    assert macros.import_exports(XlBook({"售后登记": [intake.new_sheet_headers()]}), NOW, paths=list(map(str, paths)))
    assert [c[0] for c in calls] == ["FileBook", "ExcelBook"]
    assert calls[0][1:] == calls[1][1:] == ("Context", calls[0][2])  # the context whole, the same exports


def test_the_same_sheet_and_the_same_words_on_both_routes(tmp_path, capsys):
    paths = _exports(tmp_path / "x")
    book = tmp_path / "book.xlsx"
    rc, out, _err = _cli(paths, book, capsys)
    assert rc == 0
    fake = XlBook({"说明": [["本工作簿由售后组维护"]]})
    macros.import_exports(fake, NOW, paths=list(map(str, paths)))
    on_file = files.read_sheets(book)["售后登记"]
    in_excel = fake.sheets["售后登记"].rows()
    assert [[None if v == "" else v for v in r] for r in in_excel] == on_file
    shown = fake.app.alerts[-1][1]
    assert shown.startswith("导入完成。\n")
    same = shown.split("\n", 1)[1].replace("本工作簿", book.name)
    assert same == out.rstrip("\n")


@pytest.mark.parametrize("case", ["all_broken", "not_a_tracking_sheet"])
def test_the_same_errors_on_both_routes(tmp_path, capsys, case):
    bad = tmp_path / "x.csv"
    bad.write_text("商品,数量\n袜子,3\n", encoding="utf-8")
    if case == "all_broken":
        sheets = {"售后登记": [intake.new_sheet_headers()]}
    else:
        sheets = {"售后登记": [["备忘"], ["明天盘点"]]}
        bad = EXPORTS / mi.WDT_FILE
    book = tmp_path / "book.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "售后登记"
    for r in sheets["售后登记"]:
        wb.active.append(r)
    wb.save(book)
    before = book.read_bytes()
    rc, _out, err = _cli([bad], book, capsys)
    assert rc == 2 and book.read_bytes() == before
    fake = XlBook(sheets)
    assert macros.import_exports(fake, NOW, paths=[str(bad)]) is None
    assert fake.app.alerts[-1][1] == "导入平台导出未完成：" + err.strip().removeprefix("refund-xl: ")
    assert not [e for e in fake.log if e[0] in ("write", "add")]


def test_the_use_case_over_an_in_memory_book():
    """No file and no Excel: the Book protocol is all the use case needs."""
    book = MemoryBook({"设置": [["key", "label", "value"]]})
    sources = [_Rows("pdd.csv", [[mi.mx.PDD_NOTICE], list(mi.mx.PDD_HEADERS), *[mi.pdd_case(i) for i in range(5)]])]
    ctx = context.build({}, now=NOW)
    result = intake.run_import(book, ctx, sources, block_col=60, run_at=NOW)
    assert result.created and result.sheet == "售后登记"
    spec = book.specs["售后登记"]
    assert spec == intake.tracking_spec("售后登记", intake.new_sheet_headers(), result.plan.appended)
    assert len(book.sheets["售后登记"]) == 6 and book.sheets["运行日志"][-1][8] == intake.RUN_NAME
    again = intake.run_import(book, ctx, sources, block_col=60, run_at=NOW)
    assert not again.plan.changes and ("write_block", "售后登记") not in book.calls
    assert "未变 5 行" in again.report()


class _Rows:
    """An export source over rows in memory (what a host hands the use case)."""

    def __init__(self, name, rows):
        self.name, self._rows = name, rows

    def tables(self):
        yield "Sheet1", iter(self._rows)
