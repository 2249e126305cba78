"""Regenerate docs/columns-and-words.md and docs/rules.md from the code:  python docs/gen_reference.py"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refund_xl._app import reference  # noqa: E402  (run as a script: the repo root goes on the path first)

if __name__ == "__main__":
    for name, render in ((reference.PAGE, reference.render), (reference.RULES_PAGE, reference.rules_page)):
        page = ROOT / name
        page.write_text(render() + "\n", encoding="utf-8")
        print(f"已生成 {page.relative_to(ROOT)}")
