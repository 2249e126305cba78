"""Re-render the pictures of docs/daily-batch.md from the demo workbook.

    python docs/img/render.py        # needs LibreOffice (soffice) and pdftoppm

Runs `refund-xl demo` (and a second run one day later, so the run log has two
lines), keeps one output sheet per copy, prints it landscape at 60 %
through LibreOffice and saves the first page as docs/img/<sheet>.png at 80 dpi.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

import openpyxl

from refund_xl.workbook import DEMO_NOW, run_batch_file, run_demo

HERE = Path(__file__).resolve().parent
SHEETS = {"拦截登记": "intercept", "快递拦截清单": "courier-list", "回复话术": "replies",
          "今日概览": "overview", "运行日志": "log"}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        demo = tmp / "refund_demo.xlsx"
        run_demo(demo)
        run_batch_file(demo, out=demo, now=DEMO_NOW + timedelta(days=1), progress=False)
        for sheet, stem in SHEETS.items():
            wb = openpyxl.load_workbook(demo)
            for name in wb.sheetnames:
                if name != sheet:
                    del wb[name]
            ws = wb[sheet]
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.page_setup.scale = 60
            one = tmp / f"{stem}.xlsx"
            wb.save(one)
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(one)],
                           check=True, capture_output=True, timeout=180)
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                            str(tmp / f"{stem}.pdf"), str(tmp / stem)], check=True, timeout=60)
            shutil.copy(tmp / f"{stem}.png", HERE / f"{stem}.png")
            print(HERE / f"{stem}.png")


if __name__ == "__main__":
    main()
