"""The command line: the same work without Excel (contract §7).

    refund-xl demo
    refund-xl evaluate INPUT --out OUTPUT [--force] [--quiet] [--sheet NAME] [--settings FILE] [--columns FILE]
                       [--values FILE] [--now ISO]
    refund-xl batch INPUT [--out OUTPUT] [--sheet NAME] [--settings FILE] [--columns FILE] [--values FILE] [--now ISO]
    refund-xl template [--out PATH]
    refund-xl --version
    refund-xl fill BOOK [--sheet NAME] [--now ISO]
    refund-xl setup [--book PATH]
    refund-xl doctor [--book PATH]
    refund-xl import EXPORT... --into BOOK [--sheet NAME] [--now ISO]
    refund-xl track INPUT [--out OUTPUT] [--sheet NAME] [--now ISO] [--refresh] [--max-time SECONDS]
    refund-xl archive BOOK [--days N] [--sheet NAME] [--now ISO]

Exit code 0 on success, 2 on bad input with one line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import NamedTuple, Sequence

from refund_xl._core import context, vocab
from refund_xl._files import files
from refund_xl._app import outputs
from refund_xl._app.book import find_tracking, own_tables
from refund_xl._core.engine import OUTPUT_COLUMNS, evaluate_table
from refund_xl._core.errors import ContextError, RefundXLError
from refund_xl._core.fields import FIELDS, MAPPING_SHEET, TRACKING_SHEET, VALUES_SHEET, Mappings, parse_mapping_table, parse_value_table
from refund_xl._core.replies import SHEET as TEMPLATES_SHEET
from refund_xl._core.settings import LEGACY, SETTINGS, SHEET as SETTINGS_SHEET, Settings, from_table

__all__ = ["main"]


def _folded(value: object) -> str:
    return vocab.fold(str(value)).lower() if value not in (None, "") else ""


def _table_of(path: str, wanted: str, header: tuple[str, ...], parse, option: str, shape: str):
    """The ``wanted`` table of a FILE given to ``option``: its sheet of that name, else (a CSV, a
    one-table workbook) its first sheet when that is such a table; never silently nothing."""
    sheets = files.read_sheets(path)
    if wanted in sheets:
        return parse(sheets[wanted])
    rows = next(iter(sheets.values()), [])
    first = next((r for r in rows if any(v not in (None, "") for v in r)), [])
    looks = [_folded(v) for v in first[:len(header)]] == [_folded(h) for h in header]
    missing = ContextError(f"{option} {Path(path).name}：里面没有「{wanted}」表（要一张名为「{wanted}」的工作表，"
                           f"或一张{shape}的表）")
    if looks:
        return parse(rows)            # the table itself: its own errors name its rows
    try:
        got = parse(rows)
    except RefundXLError:
        raise missing from None
    if not got:
        raise missing
    return got


class SettingsFile(NamedTuple):
    """What a ``--settings FILE`` holds: the 设置 table, and (a workbook) its 话术模板 / 值映射 sheets."""

    settings: Settings
    templates: list[list[object]] | None = None  # 话术模板 rows as read, None = the file has none
    values: list[list[object]] | None = None     # 值映射 rows as read


def _names_a_setting(rows) -> bool:
    """Does some row of ``rows`` name a setting (by key or by the 设置 sheet's label)?"""
    names = {_folded(n) for s in (*SETTINGS, *LEGACY) for n in (s.key, s.label)} | {"now", _folded("基准时间")}
    return any(_folded(c) in names for r in rows for c in list(r)[:2])


def load_settings_file(path: str | None) -> SettingsFile | None:
    """A settings FILE (workbook with a 设置 sheet, or CSV) → its tables.

    The doc tells a desk to keep 设置, 话术模板 and 列名映射 in one file; the templates of
    that file are used by ``batch`` (they win over the input workbook's own 话术模板).
    A file with no 设置 table is one line and exit 2, never the defaults in silence.
    """
    if not path:
        return None
    sheets = files.read_sheets(path)
    name = SETTINGS_SHEET if SETTINGS_SHEET in sheets else next(iter(sheets))
    if name != SETTINGS_SHEET and not _names_a_setting(sheets[name]):
        raise ContextError(f"--settings {Path(path).name}：里面没有「设置」表（要一张名为「设置」的工作表，"
                           "或一张 键 | 项目 | 值 的表，见 docs/columns-and-words.md 第六部分）")
    settings = from_table(sheets[name], sheet=name)
    return SettingsFile(settings, sheets.get(TEMPLATES_SHEET), sheets.get(VALUES_SHEET))


def load_columns(path: str | None) -> dict[str, str] | None:
    """A columns FILE (workbook with a 列名映射 sheet, or CSV: 表头 | 字段) → extra aliases."""
    if not path:
        return None
    return _table_of(path, MAPPING_SHEET, ("表头", "字段"), parse_mapping_table, "--columns", " 表头 | 字段 两列")


def load_values(path: str | None) -> dict[str, dict[str, str]] | None:
    """A values FILE (workbook with a 值映射 sheet, or CSV: 字段 | 原值 | 标准值) → the team's own words."""
    if not path:
        return None
    return _table_of(path, VALUES_SHEET, ("字段", "原值", "标准值"), parse_value_table, "--values",
                     " 字段 | 原值 | 标准值 三列")


def load_mappings(columns: str | None, values: str | None, loaded: "SettingsFile | None" = None) -> Mappings | None:
    """The --columns and --values files (and a --settings file's 值映射) as one :class:`Mappings`.

    None when none is given, so the input workbook's own sheets are used.
    """
    value_map = load_values(values) or (parse_value_table(loaded.values) if loaded and loaded.values else {})
    if not columns and not value_map:
        return None
    return Mappings(load_columns(columns) or {}, value_map)


def parse_now(text: str | None) -> datetime | None:
    """``--now`` → datetime (None = not given: the book's 基准时间, else the clock decides)."""
    return context.parse_now(text, "--now ")


PROGRESS_BYTES = 1_000_000  # inputs this large (≈ 10k rows) show progress on stderr


def evaluate_file(inp, out, sheet=None, settings=None, aliases=None, now=None, progress=False, force=False):
    """``evaluate``: (results, settings, reading report) after writing ``out``: the machine shape for .csv,
    the person shape (outputs.PERSON_COLUMNS and a layout) for a workbook.

    Without ``settings`` / a mapping table, a workbook's own 设置 / 列名映射 /
    值映射 sheets are used, as the batch and the template's formulas do.
    """
    from refund_xl._app.batch.layout import reading_spec
    from refund_xl._files.notes import Progress as _Progress

    size = Path(inp).stat().st_size if Path(inp).is_file() else 0
    say = _Progress(progress and size >= PROGRESS_BYTES)
    say(f"读取 {Path(inp).name} …")
    source = files.SheetReader(Path(inp))
    ctx = context.build(own_tables(source), settings=settings, mappings=aliases, now=now)
    s, aliases = ctx.settings, ctx.mappings
    table = find_tracking(source, sheet, aliases, name=Path(inp).name)
    say(f"判定「{table.sheet}」{len(table.rows)} 行 …")
    results, reading = evaluate_table(table.rows, table.headers, ctx, columns=table.columns, sheet=table.sheet)
    reading.basis = ctx.now_text()
    # every input cell goes out, the results beyond the widest row: a wider export pasted below the first, a note
    # past the last header (as fill puts its block)
    width = max(len(table.headers), outputs.last_used_col(table.rows) + 1)
    input_headers = list(table.headers) + [None] * (width - len(table.headers))
    # Order / case / tracking numbers go out as text even when the input held a number
    # (contract §9: no 7.73E+11, no float ids).
    cmap = table.columns
    id_cols = [cmap.index[f.key] for f in FIELDS if f.parse is vocab.parse_id and f.key in cmap]  # every id column
    person = Path(out).suffix.lower() != ".csv"
    en = s.english

    def padded_rows():
        for row in table.rows:
            padded = list(row[:width]) + [None] * (width - len(row))
            for c in id_cols:
                v = padded[c]
                if (isinstance(v, (int, float)) and not isinstance(v, bool)) or (v.__class__ is str and v[:2] == '="'):
                    got = vocab.parse_id(v)
                    # an id that lost digits goes out as Excel showed it (4.80299E+18), as text: never
                    # invented digits (contract §2 "Ids")
                    padded[c] = got if isinstance(got, str) else vocab.shown_id(v)
            yield padded if person else list(map(files.as_typed, padded))

    if person:
        headers = input_headers + outputs.person_headers(en)
        layout = outputs.evaluate_layout(input_headers, islice(padded_rows(), 200), cmap.index.get("order_id"),
                                         (outputs.person_cells(r, en) for r in _width_sample(results)))
        extra = [reading_spec(reading.table())]  # the full reading report the printed summary points to
        rows = (p + outputs.person_cells(res, en) for p, res in zip(padded_rows(), results))
    else:
        headers, layout, extra = input_headers + list(OUTPUT_COLUMNS), None, []
        rows = (p + [res.as_output(en)[c] for c in OUTPUT_COLUMNS] for p, res in zip(padded_rows(), results))
    say(f"写出 {Path(out).name} …")
    files.write_table(out, headers, rows, layout=layout,
                      sheet=table.sheet if Path(inp).suffix.lower() != ".csv" else TRACKING_SHEET, source=inp,
                      force=force, count=len(results), extra=extra)
    say("完成")
    return results, s, reading


def _width_sample(results, n: int = 2000):
    """The results a column width is fitted to: the first rows and every row whose text is quoted
    (a message such as 「待定」 is what runs long)."""
    flagged = 0
    for i, r in enumerate(results):
        if i < n:
            yield r
        elif r.error or r.action_code == "NEEDS_INFO" or (r.case is not None and r.case.bad):
            flagged += 1
            yield r
            if flagged >= n:
                return


def _cmd_evaluate(args) -> int:
    loaded = load_settings_file(args.settings)
    results, s, reading = evaluate_file(args.input, args.out, args.sheet, loaded.settings if loaded else None,
                                        load_mappings(args.columns, args.values, loaded), parse_now(args.now),
                                        not args.quiet, args.force)
    print(f"已写入 {args.out}。{outputs.summary(results)}")
    print("\n".join(reading.lines(hint=_EVALUATE_HINT[Path(args.out).suffix.lower() == ".csv"])))
    return 0


# Where evaluate's user finds the 值映射 and the full reading report: the .xlsx has a 读取报告 sheet,
# a .csv (for machines) has none.
_EVALUATE_HINT = (
    "可用 --values 值映射文件（或输入工作簿里的「值映射」表）把自己的写法对应到标准值；完整说明见输出工作簿的「读取报告」表",
    "可用 --values 值映射文件（或输入工作簿里的「值映射」表）把自己的写法对应到标准值；"
    "完整的读取报告：把 --out 写成 .xlsx，结果工作簿里有「读取报告」表",
)


def _cmd_batch(args) -> int:
    from refund_xl._files.workbook import run_batch_file

    loaded = load_settings_file(args.settings)
    report = run_batch_file(args.input, out=args.out, sheet=args.sheet,
                            settings=loaded.settings if loaded else None,
                            aliases=load_mappings(args.columns, args.values, loaded),
                            now=parse_now(args.now), progress=not args.quiet,
                            templates=loaded.templates if loaded else None)
    print(report)
    return 0


def _cmd_demo(args) -> int:
    from refund_xl._files.workbook import run_demo

    print(run_demo(Path.cwd() / "refund_demo.xlsx", now=parse_now(args.now)))
    return 0


def _cmd_import(args) -> int:
    from refund_xl._files.intake_files import import_exports

    result = import_exports(args.exports, args.into, now=parse_now(args.now), sheet=args.sheet)
    print(result.report())
    return 0


def _cmd_template(args) -> int:
    from refund_xl._core.errors import os_reason
    from refund_xl._excel.excel_setup import folder_in_the_way
    from refund_xl._template import build

    out = Path(args.out)
    if out.is_dir() or (not out.suffix and not out.exists()):  # a folder (made when new): the usual name in it
        out = out / "workbook_template.xlsm"
    if out.suffix.lower() != ".xlsm":
        raise RefundXLError(f"模板是含宏的工作簿，输出文件名要以 .xlsm 结尾：{out.name}")
    folder_in_the_way(out)
    note = ""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with files.file_lock(out):
            files.refuse_if_open(out)
            if out.exists() and out.name != "workbook_template.xlsm":  # a desk's workbook named as the output
                note = f"（原文件已备份为 {files.backup(out).name}）"
            path = build(out)
    except OSError as exc:  # read-only, full, no permission …: one line; build leaves nothing behind
        raise RefundXLError(f"无法写入 {out}：{os_reason(exc)}") from None
    print(f"已生成 {path}{note}")
    return 0


def _cmd_fill(args) -> int:
    from refund_xl._files.fill_file import fill_book

    plan = fill_book(args.book, now=parse_now(args.now), sheet=args.sheet)
    top = "，".join(f"{k} {n}" for k, n in sorted(plan.counts.items(), key=lambda kv: -kv[1])[:4])
    print(f"已写入 {args.book}（判定结果 {plan.cases} 行，基准时间 {plan.when:%Y-%m-%d %H:%M}）。{top}")
    if plan.reading is not None:
        print("\n".join(plan.reading.lines()))
    return 0


def _cmd_setup(args) -> int:
    from refund_xl._excel.excel_setup import setup_book

    path = setup_book(args.book)
    print(f"已生成 {path}\n双击打开，点「启用内容」；公式列会用这台电脑的 Python 计算。遇到问题运行：refund-xl doctor")
    return 0


def _cmd_doctor(args) -> int:
    from refund_xl._excel.excel_setup import doctor, format_checks

    checks = doctor(args.book)
    print(format_checks(checks))
    return 2 if any(c.ok is False for c in checks) else 0


def _cmd_track(args) -> int:
    from refund_xl._courier import Kuaidi100Courier, Limits
    from refund_xl._files.track_file import track_book

    if not args.max_time > 0:
        raise RefundXLError(f"--max-time 须为正数（秒），现为 {args.max_time:g}")
    courier = Kuaidi100Courier(limits=Limits(run_timeout=args.max_time))
    print(track_book(args.input, courier, out=args.out, sheet=args.sheet, now=parse_now(args.now),
                     refresh=args.refresh, carriers=args.carriers, aliases=load_columns(args.columns),
                     progress=not args.quiet))
    return 0


def _cmd_archive(args) -> int:
    from refund_xl._files.archive_files import archive_book

    result = archive_book(args.book, days=args.days, now=parse_now(args.now), sheet=args.sheet,
                          progress=not args.quiet)
    note = f"（原文件已备份为 {result.backup}）" if result.backup else ""
    print(f"已更新 {Path(args.book).name}{note}：{result.summary()}")
    return 0


def _days(text: str) -> float:
    """``--days``: a number of days, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (value >= 0) or value == float("inf"):
        raise argparse.ArgumentTypeError(f"应为不小于 0 的天数，收到「{text}」")
    return value


def _parser() -> argparse.ArgumentParser:
    from refund_xl import __version__
    from refund_xl._files.zh_argparse import ChineseArgumentParser

    p = ChineseArgumentParser(prog="refund-xl", version=f"refund-xl {__version__}",
                              description="售后退款助手：按 SOP 判定三类退款的下一步（无需 Excel）",
                              epilog="每个命令的选项：refund-xl 命令 -h，例如 refund-xl evaluate -h")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    def common(sp):
        sp.add_argument("--sheet", metavar="表名", help="售后登记所在工作表（默认：第一个含「订单号」「售后类型」列的表）")
        sp.add_argument("--settings", metavar="文件", help="设置文件（含「设置」表的工作簿或 CSV；话术模板、值映射表也一并读取）")
        sp.add_argument("--columns", metavar="文件", help="列名映射文件（含「列名映射」表的工作簿或 CSV）")
        sp.add_argument("--values", metavar="文件", help="值映射文件（含「值映射」表的工作簿或 CSV：字段 | 原值 | 标准值）")
        sp.add_argument("--now", metavar="时间", help="基准时间，如 2025-06-10T12:00（默认：当前时间）")

    d = sub.add_parser("demo", help="在内置示例上跑一次每日批处理，写出 refund_demo.xlsx",
                       description="在内置示例上跑一次每日批处理，在当前文件夹写出 refund_demo.xlsx")
    d.add_argument("--now", metavar="时间", help="基准时间（默认：示例数据的基准时间 2025-06-10 12:00）")
    d.set_defaults(func=_cmd_demo)

    e = sub.add_parser("evaluate", help="逐行判定，写出原有列 + 判定结果列",
                       description="逐行判定：写出原有的所有列，后面加上处理动作、判定依据、超时状态等结果列。")
    e.add_argument("input", metavar="输入文件", help="售后登记：.xlsx / .xlsm / .csv（CSV 用 UTF-8 或 GBK）")
    e.add_argument("--out", required=True, metavar="输出文件",
                   help="结果文件：.xlsx（给人看：中文表头、筛选）或 .csv（给程序用：固定英文列名）")
    e.add_argument("--quiet", action="store_true", help="不显示进度（大文件默认在 stderr 显示进度）")
    e.add_argument("--force", action="store_true", help="输出文件已存在时先备份再覆盖（默认拒绝覆盖）")
    common(e)
    e.set_defaults(func=_cmd_evaluate)

    b = sub.add_parser("batch", help="每日批处理：拦截登记、回复话术、今日概览（写回工作簿）",
                       description="每日批处理：生成或更新 拦截登记、快递拦截清单、回复话术、今日概览、运行日志。")
    b.add_argument("input", metavar="输入文件", help="售后登记工作簿（.xlsx / .xlsm；.csv 需配合 --out）")
    b.add_argument("--out", metavar="输出文件", help="输出工作簿（默认：备份后直接更新输入文件）")
    b.add_argument("--quiet", action="store_true", help="不显示进度")
    common(b)
    b.set_defaults(func=_cmd_batch)

    im = sub.add_parser("import", help="把各平台导出的售后单合并进售后登记表（保留手填内容，不删行）",
                        description="把各平台导出的售后单合并进售后登记表：一单一行，平台的列按最新导出更新，"
                                    "手填的列不覆盖，不删行。")
    im.add_argument("exports", nargs="+", metavar="导出文件", help="平台导出文件（CSV/.xlsx，可多个、可混合平台）")
    im.add_argument("--into", required=True, metavar="工作簿", help="售后登记工作簿（不存在则新建 .xlsx）")
    im.add_argument("--sheet", metavar="表名", help="登记表所在工作表（默认：售后登记，或第一个含「订单号」「售后类型」列的表）")
    im.add_argument("--now", metavar="时间", help="基准时间，如 2025-06-10T12:00（默认：当前时间）")
    im.set_defaults(func=_cmd_import)

    t = sub.add_parser("template", help="从源码重新生成 workbook_template.xlsm",
                       description="从源码重新生成模板工作簿 workbook_template.xlsm")
    t.add_argument("--out", default="workbook_template.xlsm", metavar="输出文件",
                   help="模板写到哪里（默认：当前文件夹的 workbook_template.xlsm）")
    t.set_defaults(func=_cmd_template)

    f = sub.add_parser("fill", help="把判定结果（处理动作…回复话术）作为数值写在售后登记表右侧（先备份）",
                       description="把 8 列判定结果（处理动作、判定依据、停滞状态、超时状态、剩余小时、客单级别、"
                                   "钱货两空风险、回复话术）作为数值写在售后登记表右侧：WPS、LibreOffice、Mac 上看到的"
                                   "就和 Windows Excel 的公式列一样。先自动备份，只改这 8 列。")
    f.add_argument("book", metavar="工作簿", help="售后登记工作簿（.xlsx / .xlsm）；写之前请先关闭它")
    f.add_argument("--sheet", metavar="表名", help="售后登记所在工作表（默认：第一个含「订单号」「售后类型」列的表）")
    f.add_argument("--now", metavar="时间",
                   help="基准时间，如 2025-06-10T12:00（默认：工作簿设置里的基准时间，否则当前时间）")
    f.set_defaults(func=_cmd_fill)

    su = sub.add_parser("setup", help="为这台电脑生成可直接使用的工作簿（已填好本机 Python）",
                        description="为这台电脑生成一个可以直接用的工作簿：模板 + 这台电脑的 Python 路径（写进 xlwings.conf 表），"
                                    "打开时自动重算。已有同名文件时不覆盖。")
    su.add_argument("--book", metavar="工作簿", help="生成到哪里（.xlsm；默认：文档文件夹里的 售后助手.xlsm）")
    su.set_defaults(func=_cmd_setup)

    dr = sub.add_parser("doctor", help="检查这台电脑：Python 位数、xlwings 版本与 DLL、工作簿设置、OneDrive",
                        description="检查这台电脑能不能用工作簿里的公式和按钮：Python 位数、xlwings 版本与 DLL、"
                                    "工作簿里写的 Python、是否在 OneDrive 同步文件夹里。每项打 ✔ 或 ✘，✘ 的下一行写着怎么办。")
    dr.add_argument("--book", metavar="工作簿", help="要检查的工作簿（默认：文档文件夹里的 售后助手.xlsm）")
    dr.set_defaults(func=_cmd_doctor)

    k = sub.add_parser("track", help="从快递100 查询物流，填写物流状态、物流更新时间、物流备注",
                       description="为处理中、已发货的售后单查询快递100，填写物流状态、物流更新时间和物流备注"
                                   "（退货单号填退货物流状态）。账号来自环境变量 KUAIDI100_CUSTOMER / KUAIDI100_KEY"
                                   "或用户配置文件，不读写工作簿。详见 docs/track.md。")
    k.add_argument("input", metavar="输入文件", help="售后登记：.xlsx / .xlsm / .csv")
    k.add_argument("--out", metavar="输出文件", help="输出文件（默认：备份后直接更新输入文件）")
    k.add_argument("--sheet", metavar="表名", help="售后登记所在工作表（默认：第一个含「订单号」「售后类型」列的表）")
    k.add_argument("--now", metavar="时间", help="本次查询的时间，如 2025-06-10T12:00（默认：当前时间）")
    k.add_argument("--refresh", action="store_true", help="已签收/拒收/退回的单号也重新查询（仍遵守 30 分钟间隔）")
    k.add_argument("--carriers", metavar="文件", help="快递公司编码文件（含「快递公司编码」表的工作簿或 CSV：快递公司 | 编码）")
    k.add_argument("--columns", metavar="文件", help="列名映射文件（含「列名映射」表的工作簿或 CSV）")
    k.add_argument("--max-time", type=float, default=300, metavar="秒",
                   help="本次查询最多用多少秒（默认 300）；到时未查的单号写明原因，下次运行再查")
    k.add_argument("--quiet", action="store_true", help="不显示进度")
    k.set_defaults(func=_cmd_track)

    a = sub.add_parser("archive", help="把已完结、久无动静的售后单移到按年的归档工作簿（先写归档，再删行）",
                       description="把售后状态为 已退款/已关闭/已完结、且 N 天没有任何动静（申请时间、物流更新时间、"
                                   "拦截时间中最晚的）的售后单，从售后登记移到同一文件夹的「<工作簿>_归档_<年份>.xlsx」："
                                   "先写好归档（追加，表头相同），再从售后登记删除这些行，并在运行日志记一行。详见 docs/archive.md。")
    a.add_argument("book", metavar="工作簿", help="售后登记工作簿（.xlsx / .xlsm）")
    a.add_argument("--days", type=_days, metavar="天数", help="多少天没有动静才归档（默认：设置里的 归档天数，即 60）")
    a.add_argument("--sheet", metavar="表名", help="售后登记所在工作表（默认：第一个含「订单号」「售后类型」列的表）")
    a.add_argument("--now", metavar="时间", help="基准时间，如 2025-06-10T12:00（默认：工作簿设置里的基准时间，否则当前时间）")
    a.add_argument("--quiet", action="store_true", help="不显示进度")
    a.set_defaults(func=_cmd_archive)
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
    except KeyboardInterrupt as exc:  # a command may say what was kept (track: the book untouched)
        print(f"refund-xl: {exc or '已中断'}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output was piped into `head` or a closed pager: not an error of ours
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
