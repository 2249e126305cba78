"""``python -m refund_xl._template``: build the template; ``--vba`` rewrites the committed generated VBA."""

from __future__ import annotations

import argparse

from refund_xl._template.build import build
from refund_xl._template.layout import DEFAULT_OUT
from refund_xl._template.vba import GENERATED, write_generated


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m refund_xl._template", description="从源码生成 workbook_template.xlsm")
    p.add_argument("--out", default=DEFAULT_OUT, help="输出文件（默认 workbook_template.xlsm）")
    p.add_argument("--vba", nargs="?", const=str(GENERATED), default=None, metavar="文件夹",
                   help="只写生成的 VBA 模块（默认写到 refund_xl/_template/generated/），不生成工作簿")
    args = p.parse_args(argv)
    if args.vba is not None:
        for path in write_generated(args.vba):
            print(f"已生成 {path}")
        return 0
    print(f"已生成 {build(args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
