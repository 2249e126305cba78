"""The command line: the same work without Excel (SPEC §7).

    refund-xl demo
    refund-xl evaluate INPUT --out OUTPUT [--sheet NAME] [--settings FILE] [--columns FILE] [--now ISO]
    refund-xl batch INPUT [--out OUTPUT] [--sheet NAME] [--settings FILE] [--columns FILE] [--now ISO]
    refund-xl template [--out PATH]

Exit code 0 on success, 2 on bad input with one line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections import Counter
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Sequence

from . import files, vocab
from .engine import OUTPUT_COLUMNS, evaluate
from .errors import RefundXLError
from .fields import MAPPING_SHEET, TRACKING_SHEET, parse_mapping_table, resolve
from .settings import SHEET as SETTINGS_SHEET, Settings, from_table

__all__ = ["main", "sample_path", "load_settings", "load_columns", "evaluate_file"]


def sample_path() -> Path:
    """The packaged sample tracking sheet."""
    return Path(str(resources.files("refund_xl") / "data" / "sample_tracking.csv"))


def _named_or_first(path: str, wanted: str) -> tuple[str, list[list[object]]]:
    sheets = files.read_sheets(path)
    if wanted in sheets:
        return wanted, sheets[wanted]
    name = next(iter(sheets))
    return name, sheets[name]


def load_settings(path: str | None) -> Settings | None:
    """A settings FILE (workbook with a 设置 sheet, or CSV) → Settings."""
    if not path:
        return None
    name, rows = _named_or_first(path, SETTINGS_SHEET)
    return from_table(rows, sheet=name)


def load_columns(path: str | None) -> dict[str, str] | None:
    """A columns FILE (workbook with a 列名映射 sheet, or CSV) → extra aliases."""
    if not path:
        return None
    _name, rows = _named_or_first(path, MAPPING_SHEET)
    return parse_mapping_table(rows)


def parse_now(text: str | None) -> datetime | None:
    if not text:
        return None
    when = vocab.parse_datetime(text)
    if when is None or when is vocab.BAD:
        raise RefundXLError(f"--now 无法识别：{text}（示例：2025-06-10T12:00）")
    return when


def evaluate_file(inp: str, out: str, sheet: str | None = None, settings: Settings | None = None,
                  aliases: dict[str, str] | None = None, now: datetime | None = None,
                  force: bool = False) -> Counter:
    """Read a tracking sheet, write it back with the result columns.  Returns action counts.

    Without ``settings`` / ``aliases``, a workbook's own 设置 / 列名映射 sheets
    are used, as the batch and the template's formulas do.
    """
    own = files.read_named(inp, (SETTINGS_SHEET, MAPPING_SHEET)) if settings is None or aliases is None else {}
    s, aliases = files.own_tables(own, settings, aliases)
    table = files.read_table(inp, sheet, aliases)
    results = evaluate(table.rows, table.headers, s, now or datetime.now(), aliases)
    width = len(table.headers)
    # Order / case / tracking numbers go out as text even when the input held a number
    # (SPEC §9: no 7.73E+11, no float ids).
    cmap = resolve(table.headers, aliases)
    id_cols = [cmap.index[k] for k in ("order_id", "case_id", "tracking_no") if k in cmap]

    def out_rows():
        for row, res in zip(table.rows, results):
            padded = list(row[:width]) + [None] * (width - len(row))
            for c in id_cols:
                if isinstance(padded[c], (int, float)) and not isinstance(padded[c], bool):
                    padded[c] = vocab.parse_id(padded[c])
            extra = res.as_output(s.english)
            yield padded + [extra[c] for c in OUTPUT_COLUMNS]

    files.write_table(out, list(table.headers) + list(OUTPUT_COLUMNS), out_rows(),
                      sheet=table.sheet if Path(inp).suffix.lower() != ".csv" else TRACKING_SHEET, source=inp,
                      force=force)
    return Counter(r.action_code for r in results if not r.blank)


def _summary(counts: Counter) -> str:
    total = sum(counts.values())
    top = "，".join(f"{code} {n}" for code, n in counts.most_common(6))
    return f"共 {total} 个售后单：{top}"


def _cmd_evaluate(args) -> int:
    counts = evaluate_file(args.input, args.out, args.sheet, load_settings(args.settings),
                           load_columns(args.columns), parse_now(args.now), force=args.force)
    print(f"已写入 {args.out}。{_summary(counts)}")
    return 0


def _cmd_batch(args) -> int:
    from .workbook import run_batch_file

    report = run_batch_file(args.input, out=args.out, sheet=args.sheet,
                            settings=load_settings(args.settings), aliases=load_columns(args.columns),
                            now=parse_now(args.now), progress=not args.quiet)
    print(report)
    return 0


def _cmd_demo(args) -> int:
    from .workbook import run_demo

    print(run_demo(Path.cwd() / "refund_demo.xlsx", now=parse_now(args.now)))
    return 0


def _cmd_template(args) -> int:
    from .template_build import build

    out = Path(args.out)
    if out.is_dir():  # a folder: the template goes into it under its usual name
        out = out / "workbook_template.xlsm"
    note = ""
    with files.file_lock(out):
        files.refuse_if_open(out)
        if out.exists() and out.name != "workbook_template.xlsm":  # a desk's workbook named as the output
            note = f"（原文件已备份为 {files.backup(out).name}）"
        path = build(out)
    print(f"已生成 {path}{note}")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="refund-xl", description="售后退款助手：按 SOP 判定三类退款的下一步（无需 Excel）")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp):
        sp.add_argument("--sheet", help="售后登记所在工作表（默认：第一个含「订单号」「售后类型」列的表）")
        sp.add_argument("--settings", help="设置文件（含「设置」表的工作簿或 CSV）")
        sp.add_argument("--columns", help="列名映射文件（含「列名映射」表的工作簿或 CSV）")
        sp.add_argument("--now", help="基准时间，如 2025-06-10T12:00（默认：当前时间）")

    d = sub.add_parser("demo", help="在内置示例上跑一次每日批处理，写出 refund_demo.xlsx")
    d.add_argument("--now", help="基准时间（默认：示例数据的基准时间 2025-06-10 12:00）")
    d.set_defaults(func=_cmd_demo)

    e = sub.add_parser("evaluate", help="逐行判定，写出原有列 + 判定结果列")
    e.add_argument("input")
    e.add_argument("--out", required=True)
    e.add_argument("--force", action="store_true", help="输出文件已存在时先备份再覆盖（默认拒绝覆盖）")
    common(e)
    e.set_defaults(func=_cmd_evaluate)

    b = sub.add_parser("batch", help="每日批处理：拦截登记、回复话术、今日概览（写回工作簿）")
    b.add_argument("input")
    b.add_argument("--out", help="输出工作簿（默认：备份后直接更新输入文件）")
    b.add_argument("--quiet", action="store_true", help="不显示进度")
    common(b)
    b.set_defaults(func=_cmd_batch)

    t = sub.add_parser("template", help="从源码重新生成 workbook_template.xlsm")
    t.add_argument("--out", default="workbook_template.xlsm")
    t.set_defaults(func=_cmd_template)
    return p


def _stop_cleanly(signum, _frame):
    # SIGTERM (a closed terminal, a service stop) unwinds like Ctrl+C: locks and temp files are removed
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    previous = None
    with contextlib.suppress(ValueError, AttributeError):  # not the main thread / no SIGTERM here
        previous = signal.signal(signal.SIGTERM, _stop_cleanly)
    try:
        return args.func(args)
    except RefundXLError as exc:
        print(f"refund-xl: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("refund-xl: 已中断", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
