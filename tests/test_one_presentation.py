"""Issue 11, "done when": the same rows give the same labels and messages in every formula
function, REFUND_TABLE, ``evaluate``'s workbook and the batch — over the packaged sample, the
messy corpus and the platform exports."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from conftest import NOW
from refund_xl import udfs
from refund_xl._app import batch, outputs
from refund_xl._core import vocab
from refund_xl._files import files
from refund_xl.cli import main
from refund_xl._files.workbook import sample_path

DATA = Path(__file__).resolve().parent / "data"
SOURCES = [sample_path(), *sorted((DATA / "messy").glob("*.xlsx")),
           DATA / "exports" / "desk_lead.xlsx", DATA / "exports" / "taobao_export.csv"]
PERSON = [c.zh for c in outputs.PERSON_COLUMNS][:7]


def _column(out):
    return [r[0] for r in out]


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.name)
def test_formulas_evaluate_and_batch_show_the_same_words(src, tmp_path):
    table = files.read_table(src)
    headers, rows = [table.headers], table.rows
    block = udfs.REFUND_TABLE(rows, headers, None, NOW)
    per_function = [
        _column(udfs.REFUND_ACTION(rows, headers, None, NOW)),
        _column(udfs.REFUND_ACTION(rows, headers, None, NOW, "why")),
        _column(udfs.STALL_STATUS(rows, headers, None, NOW)),
        _column(udfs.DEADLINE_STATUS(rows, headers, None, NOW)),
        _column(udfs.HOURS_LEFT(rows, headers, None, NOW)),
        _column(udfs.VALUE_TIER(rows, headers, None, NOW)),
        _column(udfs.LOSS_RISK(rows, headers, None, NOW)),
    ]
    for c, name in enumerate(PERSON):
        assert [r[c] for r in block] == per_function[c], name

    # evaluate's workbook for a person: the same seven columns, cell for cell
    out = tmp_path / "out.xlsx"
    assert main(["evaluate", str(src), "--out", str(out), "--now", NOW.isoformat(timespec="minutes")]) == 0
    sheet = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    head = list(sheet[0])
    cells = sheet[1:]
    for c, name in enumerate(PERSON):
        shown = ["" if r[head.index(name)] is None else r[head.index(name)] for r in cells]
        expected = ["" if v is None else v for v in per_function[c]]
        assert shown == expected, name

    # the batch: the register and the reply sheet name each case's action with the same words
    result = batch.run(rows, headers, None, None, {}, NOW)
    by_order = {}
    order_col = next(i for i, h in enumerate(table.headers) if h in ("订单号", "订单编号", "单号"))
    for row, action in zip(rows, per_function[0]):
        if order_col < len(row) and row[order_col] not in (None, ""):
            by_order.setdefault(str(row[order_col]).strip(), set()).add(action)
    for name in (batch.REGISTER, batch.REPLIES):
        sheet = result.sheets.get(name) or []
        if not sheet:
            continue
        head = sheet[0]
        if "订单号" not in head or "当前动作" not in head and "处理动作" not in head:
            continue
        act = head.index("当前动作") if "当前动作" in head else head.index("处理动作")
        for r in sheet[1:]:
            order = str(r[head.index("订单号")]).strip()
            if order in by_order and r[act]:
                assert r[act] in by_order[order] or any(r[act].startswith(a) for a in by_order[order]), (name, r)


def test_the_ribbon_batch_and_the_file_batch_write_the_same_sheets(tmp_path):
    """Issue 11: one run_batch behind both hosts — the same book gives the same output sheets."""
    from datetime import datetime

    from helpers import workbook_file
    from xlwings_standin import Book as XlBook

    from refund_xl import macros
    from refund_xl._files.workbook import run_batch_file

    table = files.read_table(sample_path())
    sheet = [list(table.headers), *[list(r) for r in table.rows]]
    book = workbook_file(tmp_path / "book.xlsx", {"售后登记": sheet})
    run_batch_file(book, now=NOW, progress=False)
    written = openpyxl.load_workbook(book)
    fake = XlBook({"售后登记": [[v if v != "" else None for v in r] for r in sheet]})
    macros.daily_batch(fake, now=NOW)
    assert not fake.app.alerts, fake.app.alerts

    def plain(rows):
        out = []
        for r in rows:
            # (a whole day written into a cell is that day's date, as the file host's cell reads back)
            cells = [None if v in ("", None) else datetime(v.year, v.month, v.day) if isinstance(v, vocab.WholeDay)
                     else v for v in r]
            # the run's wall-clock time (登记时间, 运行时间) differs by the seconds between the two runs
            cells = ["<now>" if isinstance(v, datetime) and abs((v - datetime.now()).total_seconds()) < 600 else v
                     for v in cells]
            while cells and cells[-1] is None:
                cells.pop()
            out.append(cells)
        while out and not out[-1]:
            out.pop()
        return out

    for name in (batch.REGISTER, batch.COURIER_LIST, batch.REPLIES, batch.OVERVIEW, batch.READING):
        from_file = plain(written[name].iter_rows(values_only=True))
        from_ribbon = plain(fake.sheets[name].rows())
        assert from_file == from_ribbon, name
