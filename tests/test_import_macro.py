"""The ribbon button 导入平台导出 against the recording xlwings stand-in (tests/xlwings_standin.py)."""

from __future__ import annotations

from datetime import datetime

from test_import import HEAD_A, HEAD_B, ROWS_A, ROWS_B, write_csv, write_xlsx
from xlwings_standin import Book as XlBook

from refund_xl import macros

NOW = datetime(2025, 6, 10, 12, 0)
TEAM = ["订单号", "售后单号", "申请时间", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号",
        "物流状态", "拦截状态", "跟进备注", "售后状态"]


def _rows(sheet):
    return sheet.rows()


def test_button_merges_exports_into_the_open_book_keeping_staff_cells(tmp_path):
    a = write_csv(tmp_path / "erp.csv", HEAD_A, ROWS_A, notice="温馨提示：仅支持导出近3个月的售后单")
    b = write_xlsx(tmp_path / "pdd.xlsx", HEAD_B, ROWS_B)
    book = XlBook({"售后登记": [TEAM, ["4242994886263078940", "TB20250609002", None, "仅退款", 368.0, "已发货",
                                      "中通快递", "75234220267368", "运输中", "拦截中", "已电话中通", "处理中"]]})
    summary = macros.import_exports(book, NOW, paths=[str(a), str(b)])
    assert summary.startswith("新增 4 行，更新 1 行")  # TB…002 got its 申请时间
    rows = _rows(book.sheets["售后登记"])
    head = rows[0]
    assert head[:len(TEAM)] == TEAM and "平台" not in head and "商品名称" in head
    cases = {r[1]: r for r in rows[1:]}
    assert len(rows) == 6 and set(cases) == {"TB20250609001", "TB20250609002", "TB20250608003",
                                             "PDD7730001", "PDD7730002"}
    kept = cases["TB20250609002"]
    assert kept[TEAM.index("拦截状态")] == "拦截中" and kept[TEAM.index("跟进备注")] == "已电话中通"
    assert kept[TEAM.index("申请时间")] == datetime(2025, 6, 9, 14, 40)
    assert cases["TB20250609001"][0] == "4242994886263078938"  # text, not 4.24E+18
    assert book.sheets["运行日志"].rows()[1][8] == "导入平台导出"
    assert book.app.alerts and "导入完成" in book.app.alerts[-1][1]
    # pressed again with the same files: nothing changes but the log
    before = _rows(book.sheets["售后登记"])
    assert macros.import_exports(book, NOW, paths=[str(a), str(b)]).startswith("新增 0 行，更新 0 行，未变 5 行")
    assert _rows(book.sheets["售后登记"]) == before
    assert len(book.sheets["运行日志"].rows()) == 3


def test_cancelled_dialog_and_unreadable_files_write_nothing(tmp_path):
    book = XlBook({"售后登记": [TEAM]})
    assert macros.import_exports(book, NOW, paths=[]) is None
    bad = tmp_path / "x.csv"
    bad.write_text("商品,数量\n袜子,3\n", encoding="utf-8")
    assert macros.import_exports(book, NOW, paths=[str(bad)]) is None
    assert "导入平台导出未完成" in book.app.alerts[-1][1]
    assert not [e for e in book.log if e[0] in ("write", "add")]


def test_button_on_raw_platform_exports_into_the_template_sheet():
    """千牛 GBK CSV and 拼多多 CSV (notice row) picked in the dialog, merged into an empty 售后登记."""
    from pathlib import Path

    from refund_xl._app import intake

    exports = Path(__file__).resolve().parent / "data" / "exports"
    book = XlBook({"售后登记": [intake.new_sheet_headers()]})
    paths = [str(exports / "taobao_export.csv"), str(exports / "pdd_export.csv")]
    summary = macros.import_exports(book, NOW, paths=paths)
    assert summary.startswith("新增 34 行，更新 0 行") and "表头上方的提示行 1" in summary
    rows = _rows(book.sheets["售后登记"])
    head = rows[0]
    assert {r[head.index("平台")] for r in rows[1:]} == {"淘宝", "拼多多"}
    assert all(not str(r[head.index("订单号")]).startswith("=") for r in rows[1:])
    assert "识别为「淘宝」导出" in book.app.alerts[-1][1]
    writes = [e for e in book.log if e[0] == "write" and e[1] == "售后登记"]
    assert writes == [("write", "售后登记", (2, 1))]  # the 34 new cases in one call
    assert macros.import_exports(book, NOW, paths=paths).startswith("新增 0 行，更新 0 行，未变 34 行")
