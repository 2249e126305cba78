"""Re-render the pictures of the docs from real outputs, at a readable size.

    python docs/img/render.py        # needs LibreOffice (soffice) and pdftoppm (poppler)

* daily-batch.md: `refund-xl demo`, then staff type an interception result and a note in
  拦截登记 and mark a reply sent, then the batch runs again one day later (so the register
  shows the staff columns filled and the run log has two lines);
* setup-windows.md: the sheets of workbook_template.xlsm with the formula columns' stored
  results (what Excel shows on opening), the tracking sheet narrowed to the columns a desk
  reads first.

Each sheet is printed on its own (A3 landscape, fitted to the page width) through LibreOffice,
the first page rasterised at 110 dpi and cut to its content.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
DPI = 110
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from refund_xl._files.workbook import DEMO_NOW, run_batch_file, run_demo  # noqa: E402

# sheet → (picture stem, rows printed)
BATCH = {"拦截登记": ("intercept", 14), "快递拦截清单": ("courier-list", 24), "回复话术": ("replies", 9),
         "今日概览": ("overview", 64), "运行日志": ("log", 4)}
TEMPLATE = {"售后登记": ("template-tracking", 14), "设置": ("template-settings", 15),
            "话术模板": ("template-templates", 9), "列名映射": ("template-columns", 12),
            "xlwings.conf": ("template-xlwings-conf", 12)}
# The tracking sheet has 39 columns; the picture shows the ones a desk reads first.
TRACKING_SHOWN = ("订单号", "售后类型", "退款金额", "发货状态", "物流状态", "拦截状态", "售后状态",
                  "处理动作", "判定依据", "超时状态", "剩余小时", "客单级别", "钱货两空")


def _render(book: Path, sheet: str, stem: str, rows: int, tmp: Path, shown: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.load_workbook(book, data_only=True)   # stored results, not formulas
    for name in wb.sheetnames:
        if name != sheet:
            del wb[name]
    for name in list(wb.defined_names):
        del wb.defined_names[name]
    ws = wb[sheet]
    last_col = ws.max_column
    if shown:
        head = [c.value for c in ws[1]]
        for i, h in enumerate(head, start=1):
            if h not in shown:
                ws.column_dimensions[get_column_letter(i)].hidden = True
    ws.print_area = f"A1:{get_column_letter(last_col)}{rows}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_options.gridLines = True
    one = tmp / f"{stem}.xlsx"
    wb.save(one)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(one)],
                   check=True, capture_output=True, timeout=180)
    pdf = str(tmp / f"{stem}.pdf")
    x, y, w, h = _content_box(pdf, DPI)
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile",
                    "-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h), pdf, str(tmp / stem)],
                   check=True, timeout=60)
    out = HERE / f"{stem}.png"
    shutil.copy(tmp / f"{stem}.png", out)
    return out


def _content_box(pdf: str, dpi: int, margin: int = 16) -> tuple[int, int, int, int]:
    """The printed content of page 1 (x, y, width, height in pixels at ``dpi``), plus a margin."""
    gray = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", pdf],
                          check=True, capture_output=True, timeout=60).stdout
    # a binary PGM: "P5\n<w> <h>\n255\n" then one byte a pixel
    parts = gray.split(maxsplit=4)
    width, height = int(parts[1]), int(parts[2])
    pixels = parts[4][-width * height:]
    rows = [r for r in range(height) if min(pixels[r * width:(r + 1) * width]) < 200]
    cols = [c for c in range(width) if min(pixels[c::width]) < 200]
    if not rows or not cols:
        return 0, 0, width, height
    x0, x1 = max(0, cols[0] - margin), min(width, cols[-1] + margin)
    y0, y1 = max(0, rows[0] - margin), min(height, rows[-1] + margin)
    return x0, y0, x1 - x0, y1 - y0


def _staff_types(demo: Path) -> None:
    """What a desk does between two runs: interception results, a note, a reply marked sent."""
    wb = openpyxl.load_workbook(demo)
    reg = wb["拦截登记"]
    head = [c.value for c in reg[1]]
    status, note = head.index("拦截状态") + 1, head.index("跟进备注") + 1
    typed = [("拦截成功", "快递已退回仓库"), ("拦截中", "已联系网点，等回复"), ("拦截失败", "已派送，请客户拒收")]
    for row, (word, text) in enumerate(typed, start=2):
        reg.cell(row, status).value = word
        reg.cell(row, note).value = text
    rep = wb["回复话术"]
    head = [c.value for c in rep[1]]
    rep.cell(2, head.index("是否已发送") + 1).value = "是"
    wb.save(demo)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        demo = tmp / "refund_demo.xlsx"
        run_demo(demo)
        _staff_types(demo)
        run_batch_file(demo, out=demo, now=DEMO_NOW + timedelta(days=1), progress=False)
        for sheet, (stem, rows) in BATCH.items():
            print(_render(demo, sheet, stem, rows, tmp))
        template = tmp / "template.xlsm"
        shutil.copy(ROOT / "workbook_template.xlsm", template)
        for sheet, (stem, rows) in TEMPLATE.items():
            shown = TRACKING_SHOWN if sheet == "售后登记" else ()
            print(_render(template, sheet, stem, rows, tmp, shown))


if __name__ == "__main__":
    main()
