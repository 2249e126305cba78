"""A year of ``refund-xl archive`` at 3,000 cases a day (contract §9: a 1 M-row year within 1.5 GB).

    python -m benchmarks.archive                 # 365 days × 3,000 cases, an archive run every 30 days
    python -m benchmarks.archive --quick         # 365 days × 300 cases (about a minute)
    python -m benchmarks.run --archive           # the same, from the main benchmark

A desk's year, simulated: every period the day's new cases are appended to the tracking
sheet (about 97 % are closed within days, 2 % stay open, 1 % are refunded with the goods
not back), then ``refund-xl archive BOOK --now <end of period>`` runs as a subprocess,
measured (wall time, peak RSS).  The live sheet peaks at the open cases plus
``archive_days`` + one period of cases; the year's archive grows past a million rows
(``归档`` then ``归档2``).  Not a test: it prints a table, and checks at the end that every
case is exactly once in the book or the archives (keys counted, streamed).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # `python benchmarks/archive.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.run import cli, table

TARGET_MB = 1536.0
START = datetime(2025, 1, 1)
HEADERS = ["平台", "订单号", "售后单号", "申请时间", "售后类型", "退款金额", "商品类型", "发货状态", "快递公司", "物流单号",
           "物流状态", "物流更新时间", "收货省份", "拦截状态", "退货物流状态", "退货原因", "售后状态", "超时时间", "跟进备注"]
CARRIERS = ["中通快递", "圆通速递", "韵达快递", "申通快递", "极兔速递", "顺丰速运"]
PROVINCES = ["广东", "浙江", "江苏", "上海", "北京", "四川", "湖北", "山东", "新疆", "福建"]


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit code, last stderr line) of one subprocess
    (CPU time too: on a shared machine the wall time says more about the neighbours)."""
    import os
    import subprocess

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    lines = err.strip().splitlines()
    return (time.perf_counter() - t0, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0,
            os.waitstatus_to_exitcode(status), lines[-1] if lines else "")


def day_rows(day: int, per_day: int, rng: random.Random) -> list[list[object]]:
    """The cases applied for on ``day`` (0 = 1 January), each with its own ids, amounts and times."""
    out = []
    base = START + timedelta(days=day)
    for i in range(per_day):
        applied = base + timedelta(seconds=rng.randrange(86400))
        n = day * 100_000 + i
        kind = "仅退款" if rng.random() < 0.6 else "退货退款"
        r = rng.random()
        if r < 0.02:
            state = "处理中"
        elif r < 0.03:  # refunded, the goods not back: LOSS_RISK RISK
            state = "已退款"
        else:
            state = rng.choice(["已退款", "已关闭", "已完结"])
        shipped = kind == "退货退款" or rng.random() < 0.7
        risky = r >= 0.02 and r < 0.03
        logi = ("运输中" if risky else rng.choice(["已签收", "已签收", "退回", "拒收"])) if shipped else None
        update = applied + timedelta(hours=rng.randrange(6, 96)) if shipped else None
        out.append([
            "拼多多" if n % 3 else "淘宝", f"{4_200_000_000_000_000_000 + n * 7919}", f"SH{n:012d}", applied, kind,
            round(rng.uniform(9.9, 899.0), 2), "标品", "已发货" if shipped else "未发货",
            rng.choice(CARRIERS) if shipped else None, f"YT{n:013d}" if shipped else None, logi, update,
            rng.choice(PROVINCES), "拦截成功" if (shipped and not risky and rng.random() < 0.1) else None,
            ("运输中" if risky else "已签收") if kind == "退货退款" else None,
            rng.choice(["不想要了", "质量问题", "小瑕疵", "拍错了"]), state, applied + timedelta(hours=48),
            "已处理" if rng.random() < 0.3 else None,
        ])
    return out


def _append(book: Path, rows: list[list[object]]) -> None:
    from refund_xl._files import filebook

    with filebook.open_book(book, backup=False) as fb:
        last = fb._sheets.book.extent("售后登记")[0]
        fb.append_rows("售后登记", rows, last_row=last)


def _new_book(book: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(book))
    ws = wb.add_worksheet("售后登记")
    for c, h in enumerate(HEADERS):
        ws.write_string(0, c, h)
    wb.close()


def _count_keys(path: Path) -> tuple[int, set[str]]:
    """(rows, case numbers) of every sheet of ``path`` whose header has 售后单号 (streamed)."""
    from refund_xl._files import files, sheetrows

    book = files.SheetReader(path).book
    total, keys = 0, set()
    for name in book.sheet_names:
        head = book.head(name, 1)
        if not head or "售后单号" not in head[0]:
            continue
        col = head[0].index("售后单号") + 1
        for _r, cells in sheetrows.scan_cells(book.pkg, book.book.sheet_parts[name], [col], book._strings):
            total += 1
            keys.add(cells[col])
    return total, keys


def bench_archive(per_day: int = 3000, days: int = 365, every: int = 30, workdir: Path | None = None,
                  seed: int = 20250101) -> bool:
    """Run the year; print one row per archive run; True when every run stayed within the target."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="refund-xl-archive-") as tmp:
        folder = workdir or Path(tmp)
        book = folder / "售后登记.xlsx"
        _new_book(book)
        body, ok, made, peak = [], True, 0, 0.0
        t_gen = 0.0
        for start in range(0, days, every):
            t0 = time.perf_counter()
            rows = [r for d in range(start, min(days, start + every)) for r in day_rows(d, per_day, rng)]
            _append(book, rows)
            made += len(rows)
            t_gen += time.perf_counter() - t0
            now = START + timedelta(days=min(days, start + every))
            live_before = _count_keys(book)[0]
            wall, cpu, mb, rc, err = run_measured([*cli(), "archive", str(book), "--now", now.strftime("%Y-%m-%dT%H:%M"),
                                              "--quiet"], folder)
            for bak in folder.glob("*.bak-*"):  # a desk deletes old backups; here they only fill the disk
                bak.unlink()
            live_after = _count_keys(book)[0]
            archived = sum(_count_keys(p)[0] for p in folder.glob("售后登记_归档_*.xlsx"))
            fine = rc == 0 and mb <= TARGET_MB
            ok = ok and fine
            peak = max(peak, mb)
            body.append([f"{now:%Y-%m-%d}", f"{live_before:,}", f"{live_before - live_after:,}", f"{live_after:,}",
                         f"{archived:,}", f"{wall:.1f} s", f"{cpu:.1f} s", f"{mb:.0f} MB",
                         "ok" if fine else (err or "OVER")])
            print(" | ".join(body[-1]), file=sys.stderr, flush=True)
        print(table(["archive run (--now)", "live rows before", "moved", "live rows after", "archived (all years)",
                     "wall time", "CPU time", "peak RSS", f"≤{TARGET_MB / 1024:g} GB"], body))
        live, live_keys = _count_keys(book)
        seen = set(live_keys)
        total = live
        for p in sorted(folder.glob("售后登记_归档_*.xlsx")):
            n, keys = _count_keys(p)
            total += n
            seen |= keys
        whole = total == made == len(seen)
        print(f"(cases made {made:,}; in the book and the archives {total:,} rows, {len(seen):,} distinct: "
              f"{'every case exactly once' if whole else 'MISMATCH'}; peak RSS {peak:.0f} MB; "
              f"generating the year's rows took {t_gen:.0f} s, not counted)")
        return ok and whole


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.archive", description=__doc__.split("\n\n")[0])
    p.add_argument("--per-day", type=int, default=3000, help="new cases a day (default 3000)")
    p.add_argument("--days", type=int, default=365, help="days simulated (default 365)")
    p.add_argument("--every", type=int, default=30, help="days between archive runs (default 30)")
    p.add_argument("--quick", action="store_true", help="300 cases a day")
    args = p.parse_args(argv)
    per_day = 300 if args.quick else args.per_day
    print(f"# refund-xl archive: {args.days} days × {per_day:,} cases, a run every {args.every} days "
          f"(archive_days 60)\n")
    return 0 if bench_archive(per_day, args.days, args.every) else 1


if __name__ == "__main__":
    sys.exit(main())
