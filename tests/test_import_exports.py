"""Issue 14 "done when", on the raw platform exports of tests/data/exports/ (see its README).

Four raw exports of different platforms (千牛 GBK CSV with ="…" ids, 拼多多 CSV with the
温馨提示 row, 抖店 .xlsx, 京东 .xlsx with number-cell order ids) are imported into a new book;
`refund-xl evaluate` on the book must decide every case as its canonical twin (NEEDS_INFO
only where the export truly lacks the fact, ``expect_needs_info``).  Then staff type into the
book, the next day's exports (some cases now 退款成功) are imported, and re-importing changes
nothing but the run log.

Reading platform words is the presets' work (refund_xl._core.presets); import must lose nothing of
it: the book decides every case exactly as `evaluate` on the raw export itself.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from helpers import order_text

from refund_xl._files import files
from refund_xl._app.batch import LOG
from refund_xl.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ROOT / "tests" / "data" / "exports"
NOW, NEXT_DAY = "2025-06-10T12:00", "2025-06-11T12:00"
RAW = {"taobao_export.csv": "taobao_twin.csv", "pdd_export.csv": "pdd_twin.csv",
       "douyin_export.xlsx": "douyin_twin.csv", "jd_export.xlsx": "jd_twin.csv"}


def _csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _evaluate(book: Path, tmp: Path, now: str) -> dict[str, dict]:
    out = tmp / f"ev_{now[:10]}.csv"
    assert main(["evaluate", str(book), "--out", str(out), "--now", now]) == 0
    return {order_text(r["订单号"]): r for r in _csv_rows(out)}


def _twins(tmp: Path) -> dict[str, dict]:
    want = {}
    for twin in RAW.values():
        out = tmp / ("tw_" + twin)
        assert main(["evaluate", str(EXPORTS / twin), "--out", str(out), "--now", NOW]) == 0
        want.update({order_text(r["订单号"]): r for r in _csv_rows(out)})
    return want


def _copy_exports(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(EXPORTS / name, folder / name)) for name in RAW]


def _import(paths, book: Path, now: str = NOW) -> int:
    return main(["import", *map(str, paths), "--into", str(book), "--now", now])


def _book(book: Path):
    rows = files.read_sheets(book)["售后登记"]
    return rows[0], rows[1:]


def _direct(tmp: Path) -> dict[str, dict]:
    """`evaluate` on each raw export itself: what the engine reads from the platform's file."""
    got = {}
    for name in RAW:
        out = tmp / ("raw_" + Path(name).stem + ".csv")
        assert main(["evaluate", str(EXPORTS / name), "--out", str(out), "--now", NOW]) == 0
        rows = _csv_rows(out)
        order = next(h for h in ("订单号", "订单编号") if h in rows[0])
        got.update({order_text(r[order]): r for r in rows})
    return got


def test_the_book_decides_every_case_as_the_raw_export_itself(tmp_path):
    """Import loses nothing the engine reads: same action, risk, deadline and tier, the same
    missing field named, for every case of the four exports."""
    book = tmp_path / "售后登记.xlsx"
    assert _import(_copy_exports(tmp_path / "d1"), book) == 0
    got, want = _evaluate(book, tmp_path, NOW), _direct(tmp_path)
    assert set(got) == set(want)
    keys = ("action_code", "loss_risk", "deadline_code", "value_tier", "stall_code")
    wrong = [(o, [w[k] for k in keys], [got[o][k] for k in keys], w["action"], got[o]["action"])
             for o, w in want.items()
             if [w[k] for k in keys] != [got[o][k] for k in keys]
             or (w["action_code"] == "NEEDS_INFO" and w["action"] != got[o]["action"])]
    assert not wrong, wrong


def test_four_raw_exports_into_a_new_book_decide_as_their_twins(tmp_path, capsys):
    book = tmp_path / "售后登记.xlsx"
    assert _import(_copy_exports(tmp_path / "d1"), book) == 0
    printed = capsys.readouterr().out
    assert "表头上方的提示行 1" in printed  # the PDD notice row, skipped and said so
    headers, rows = _book(book)
    want = _twins(tmp_path)
    assert len(rows) == len(want)  # one row per case, no notice rows, no duplicates
    p, c, o = headers.index("平台"), headers.index("售后单号"), headers.index("订单号")
    assert len({(r[p], r[c]) for r in rows}) == len(rows)
    assert len({r[p] for r in rows}) == 4 and all(r[p] for r in rows)
    assert all(isinstance(r[o], str) and not r[o].startswith("=") for r in rows)  # ids as text
    got = _evaluate(book, tmp_path, NOW)
    assert set(got) == set(want)
    wrong = []
    for order, t in want.items():
        g, needs = got[order], t["expect_needs_info"]
        if needs:
            if g["action_code"] != "NEEDS_INFO" or needs not in g["action"] + g["why"]:
                wrong.append((order, f"NEEDS_INFO {needs}", g["action_code"], g["why"]))
        elif (g["action_code"], g["loss_risk"]) != (t["action_code"], t["loss_risk"]):
            wrong.append((order, t["action_code"], g["action_code"], g["why"]))
    assert not wrong, wrong


def test_no_personal_data_from_the_raw_exports(tmp_path):
    """Names, phones and street addresses in the exports never reach the book (whatever is read)."""
    book = tmp_path / "book.xlsx"
    assert _import(_copy_exports(tmp_path / "d1"), book) in (0, 2)
    if not book.exists():
        pytest.skip("no export readable without the presets")
    text = "\n".join(str(v) for r in files.read_sheets(book)["售后登记"] for v in r if v is not None)
    personal = set()
    for name in RAW:
        rows = next(iter(files.read_sheets(EXPORTS / name).values()))
        at = next(i for i, r in enumerate(rows) if any(h in ("订单号", "订单编号") for h in r))
        head = rows[at]
        for h in ("卖家真实姓名", "卖家电话", "卖家手机", "卖家退货地址", "客户姓名", "取件地址", "商家退货地址",
                  "商家退货联系人姓名", "商家退货联系人电话"):
            if h in head:
                personal |= {str(r[head.index(h)]) for r in rows[at + 1:] if r[head.index(h)] not in (None, "")}
    assert personal, "the fixtures carry personal data to keep out"
    leaked = sorted(v for v in personal if v in text)
    assert not leaked, leaked


def _next_day(src: Path, dst: Path, column: str, word: str, orders: set[str]) -> list[str]:
    """A copy of an export where the cases of ``orders`` now say ``word`` in ``column``."""
    sheets = files.read_sheets(src)
    rows = [list(r) for r in next(iter(sheets.values()))]
    at = next(i for i, r in enumerate(rows) if column in r)
    col = rows[at].index(column)
    order_col = next(i for i, h in enumerate(rows[at]) if h in ("订单号", "订单编号"))
    changed = []
    for r in rows[at + 1:]:
        if order_text(r[order_col]) in orders:
            r[col] = word
            changed.append(order_text(r[order_col]))
    if src.suffix == ".csv":
        encoding = "gbk" if "taobao" in src.name else "utf-8-sig"
        with open(dst, "w", encoding=encoding, newline="") as fh:
            csv.writer(fh).writerows([["" if v is None else v for v in r] for r in rows])
    else:
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(dst), {"strings_to_numbers": False})
        ws = wb.add_worksheet()
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if v is not None:
                    ws.write(i, j, v)
        wb.close()
    return changed


def _staff_type(book: Path, edits: dict[tuple[str, str], str]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb["售后登记"]
    head = [c.value for c in ws[1]]
    at = {order_text(ws.cell(row=r, column=head.index("订单号") + 1).value): r for r in range(2, ws.max_row + 1)}
    for (order, header), value in edits.items():
        ws.cell(row=at[order], column=head.index(header) + 1).value = value
    wb.save(book)


def test_next_day_keeps_staff_cells_and_refunded_cases_become_done(tmp_path):
    book = tmp_path / "售后登记.xlsx"
    day1 = _copy_exports(tmp_path / "d1")
    assert _import(day1, book) == 0
    first = _evaluate(book, tmp_path, NOW)
    open_cases = [o for o, r in first.items() if r["action_code"] not in ("DONE", "NEEDS_INFO", "MANUAL_REVIEW")]
    assert len(open_cases) >= 8
    staff = {}
    for i, order in enumerate(open_cases):
        staff[(order, "跟进备注")] = f"6/10 客服{i + 1}号已跟进"
        staff[(order, "拦截状态")] = ("拦截中", "拦截失败", "拦截成功")[i % 3]
    _staff_type(book, staff)
    headers, before = _book(book)
    # day 2: 2 Taobao and 2 PDD open cases are now refunded on the platform
    d2 = tmp_path / "d2"
    d2.mkdir()
    tb = {o for o in open_cases if o.isdigit() and len(o) == 19}
    pdd = {o for o in open_cases if "-" in o}
    refunded = _next_day(EXPORTS / "taobao_export.csv", d2 / "taobao_export.csv", "退款状态", "退款成功",
                         set(sorted(tb)[:2]))
    refunded += _next_day(EXPORTS / "pdd_export.csv", d2 / "pdd_export.csv", "售后状态", "退款成功",
                          set(sorted(pdd)[:2]))
    shutil.copy(EXPORTS / "douyin_export.xlsx", d2 / "douyin_export.xlsx")
    assert len(refunded) == 4
    assert _import(sorted(d2.iterdir()), book, NEXT_DAY) == 0  # JD not exported today: its cases stay
    headers2, after = _book(book)
    assert headers2 == headers and len(after) == len(before)  # no row added, none removed
    o = headers.index("订单号")
    rows = {order_text(r[o]): r for r in after}
    for (order, header), value in staff.items():
        assert rows[order][headers.index(header)] == value, (order, header)
    second = _evaluate(book, tmp_path, NEXT_DAY)
    assert all(second[o]["action_code"] == "DONE" for o in refunded), [second[o]["why"] for o in refunded]
    still_open = set(open_cases) - set(refunded)
    assert still_open and all(second[o]["action_code"] != "DONE" for o in still_open)


def test_reimporting_the_same_raw_exports_changes_nothing_but_the_run_log(tmp_path):
    book = tmp_path / "售后登记.xlsx"
    day1 = _copy_exports(tmp_path / "d1")
    rc = _import(day1, book)
    if rc != 0:
        pytest.skip("no export readable without the presets")
    first = files.read_sheets(book)
    assert _import(day1, book) == 0
    second = files.read_sheets(book)
    assert {k: v for k, v in second.items() if k != LOG} == {k: v for k, v in first.items() if k != LOG}
    assert len(second[LOG]) == len(first[LOG]) + 1
