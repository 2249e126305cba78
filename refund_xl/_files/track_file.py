"""The file host of ``refund-xl track`` (contract §7): the workbook through the safe-write path.

    summary = track_book("售后登记.xlsx", courier=Kuaidi100Courier())

Opens the book with :func:`refund_xl._files.filebook.open_book` (lock, office lock files,
fingerprint, backup, atomic replace), builds the run's context from its own tables, and
calls the one use case :func:`refund_xl._app.track_run.run_track` — the ribbon calls the
same.  The courier (credentials, cache, HTTP) is the caller's: :mod:`refund_xl._courier`.

Interrupted (Ctrl+C, SIGTERM): the book is left byte-identical — nothing is written before
every answer is in — and the answers already received stay in the courier's local cache,
so the next run fills them without asking Kuaidi100 again.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from refund_xl._app import book as book_mod, track, track_run
from refund_xl._core import context
from refund_xl._core.errors import InputFileError, OutputFileError
from refund_xl._core.fields import Aliases
from refund_xl._files import filebook, files

__all__ = ["track_book", "load_carriers", "INTERRUPTED"]

INTERRUPTED = "已中断：工作簿未改动（已查到的结果保存在本机缓存，下次运行直接使用，不会重复查询）"


def load_carriers(path: str | None) -> dict[str, str]:
    """A desk's carrier codes from ``--carriers FILE`` (its 快递公司编码 sheet, or its first sheet)."""
    if not path:
        return {}
    sheets = files.read_sheets(path)
    rows = sheets.get(track.CARRIER_SHEET) or next(iter(sheets.values()))
    return track.parse_carrier_table(rows)


class _Progress:
    def __init__(self, on: bool):
        self.on = on
        self.t0 = self.last = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.on and total > 1 and (done == total or now - self.last >= 1.0):
            self.last = now
            print(f"[{now - self.t0:5.1f}s] 查询物流 {done}/{total}", file=sys.stderr, flush=True)


def track_book(input: str | Path, courier: track_run.Courier, out: str | Path | None = None,
               sheet: str | None = None, now=None, refresh: bool = False, carriers: str | None = None,
               aliases: Aliases = None, progress: bool = True) -> str:
    """Fill 物流状态 / 物流更新时间 / 物流备注 … of a tracking sheet file; returns the summary line."""
    src = Path(input)
    dest = Path(out) if out else src
    suffix = src.suffix.lower()
    if suffix not in (".csv", *files.EXCEL_SUFFIXES):
        raise InputFileError(f"不支持的文件类型：{src.name}（支持 .xlsx / .xlsm / .csv）")
    if dest.suffix.lower() != suffix:
        raise OutputFileError(f"{dest.name}：输出需与输入同类型（{suffix}），track 只更新物流列")
    if not src.exists():
        raise InputFileError(f"找不到文件：{src}")
    extra = load_carriers(carriers)
    in_place = dest.resolve() == src.resolve()
    try:
        with filebook.open_book(src, None if in_place else dest) as book:
            ctx = context.build(book_mod.own_tables(book), now=now, mappings=aliases)
            result = track_run.run_track(book, ctx, courier, sheet=sheet, refresh=refresh, carriers=extra,
                                         progress=_Progress(progress))
            if book.kind == "csv" and result.added_cols:  # a new CSV column reaches every data row
                body = book.rows(result.sheet)[result.header_row + 1:]
                book.set_cells(result.sheet, {(result.header_row + 1 + i, c): None
                                              for i, row in enumerate(body) if any(v not in (None, "") for v in row)
                                              for c in result.added_cols
                                              if (result.header_row + 1 + i, c) not in result.cells})
    except KeyboardInterrupt:
        raise KeyboardInterrupt(INTERRUPTED) from None
    if result.changed:
        note = f"（原文件已备份为 {book.backup_path.name}）" if in_place and book.backup_path else ""
        wrote = f"已写入 {dest.name}{note}"
    elif not in_place:  # nothing to change: OUTPUT is still the copy asked for
        with files.atomic_path(dest) as tmp:
            shutil.copyfile(src, tmp)
        wrote = f"已写入 {dest.name}（无需更新）"
    else:
        wrote = f"{src.name} 无需更新"
    return f"{wrote}：{result.summary()}"
