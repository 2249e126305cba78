"""The file host of ``refund-xl archive`` (contract §7): the yearly archive workbooks beside a book.

:class:`FileShelf` is the :class:`~refund_xl._app.archive.Shelf` of a book at a path: its
archives are ``<book>_归档_<year>.xlsx`` in the same folder.  Each is opened through
the safe-write path (:func:`refund_xl._files.filebook.open_book`: lock held from the look to
the write, office locks, fingerprint, backup, atomic replace), read without loading its
big sheets (the key columns are scanned, :func:`refund_xl._files.sheetrows.scan_cells`)
and appended to, streamed (:func:`refund_xl._files.sheetrows.append_rows`; a new sheet is
written a block at a time): a year of a million rows stays within the memory budget.

:func:`archive_book` is the command: the book through ``open_book`` too, the archives
written first (inside :func:`refund_xl._app.archive.run_archive`), the book last.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

from refund_xl._app import archive as arch
from refund_xl._app import book as book_mod
from refund_xl._app.archive import ARCHIVE_SHEET, RISK_SHEET, Key, Look, SheetWrite, ShelfSheet
from refund_xl._app.batch import SheetSpec
from refund_xl._core import context
from refund_xl._core.errors import InputFileError, OutputFileError
from refund_xl._core.fields import Aliases
from refund_xl._files import filebook, files, sheetrows
from refund_xl._files.notes import Progress

__all__ = ["FileShelf", "archive_book", "shelf_for"]

_WIDTH = 16


class _FileDrawer:
    def __init__(self, path: Path, book):
        self.path, self.fb = path, book

    def _bounded(self):
        return self.fb._sheets.book if self.fb._sheets is not None else None

    def look(self, keys: set[Key], aliases: Aliases = None) -> Look:
        look = Look(self.path.name, exists=self.fb.exists)
        bb = self._bounded()
        if bb is None:
            return look
        names = list(bb.sheet_names)
        mains = sorted((n for n in names if n == ARCHIVE_SHEET or (n.startswith(ARCHIVE_SHEET) and
                                                                  n[len(ARCHIVE_SHEET):].isdigit())),
                       key=lambda n: (len(n), n))
        for name in [*mains, *([RISK_SHEET] if RISK_SHEET in names else [])]:
            head = bb.head(name, 1)
            headers = [("" if h is None else str(h)) for h in (head[0] if head else [])]
            part = bb.book.sheet_parts[name]
            at = arch.key_columns(headers, aliases)
            wanted: set[int] = set()
            tally: dict[str, int] = {}
            if "order_id" in at and keys:
                fields_at = {c + 1: f for f, c in at.items()}
                for r, cells in sheetrows.scan_cells(bb.pkg, part, fields_at, bb._strings, tally=tally):
                    if arch.key_of({fields_at[c]: v for c, v in cells.items()}) in keys:
                        wanted.add(r)
                last_row = tally.get("last_row", 0)
            else:
                last_row = bb.extent(name)[0]
            look.sheets.append(ShelfSheet(name, headers, max(last_row, 1 if headers else 0)))
            if wanted:  # the few rows whose key is asked: read whole, to compare with the book's
                width = len(headers)
                for _r, cells in sheetrows.scan_cells(bb.pkg, part, range(1, width + 1), bb._strings, only=wanted):
                    row = {headers[c - 1]: v for c, v in cells.items()}
                    k = arch.key_of({f: row.get(headers[c]) for f, c in at.items()})
                    if k is not None:  # it is: the row was wanted for its key
                        look.found.setdefault(k, []).append(row)
        return look

    def write(self, writes: list[SheetWrite]) -> None:
        for w in writes:
            if w.new:  # a new sheet is written a block of rows at a time (xlsxstream)
                self.fb.put_sheet(SheetSpec(w.name, [list(w.headers), *w.rows], widths=[_WIDTH] * len(w.headers),
                                            bold_rows={0}, freeze_row=1, autofilter_row=0))
            else:
                self.fb.append_rows(w.name, w.rows, w.last_row, header=w.added)


class FileShelf:
    """The archive workbooks of the book at ``book_path`` (beside it)."""

    def __init__(self, book_path: str | Path):
        self.book = Path(book_path)
        self.folder = self.book.parent
        self.stem = self.book.stem

    def years(self) -> list[int]:
        try:
            names = [p.name for p in self.folder.iterdir() if p.is_file()]
        except OSError:
            return []
        return sorted(y for y in (arch.archive_year(n, self.stem) for n in names) if y is not None)

    def name(self, year: int) -> str:
        return arch.archive_name(self.stem, year)

    def path(self, year: int) -> Path:
        return self.folder / self.name(year)

    @contextlib.contextmanager
    def open(self, year: int) -> Iterator[_FileDrawer]:
        with filebook.open_book(self.path(year)) as fb:
            if fb.exists and fb.kind != "xlsx":  # pragma: no cover - the name ends in .xlsx
                raise OutputFileError(f"{fb.path.name} 不是工作簿")
            yield _FileDrawer(self.path(year), fb)

    def risk_rows(self, unread: list[str] | None = None) -> list[tuple[str, list[object], list[list[object]]]]:
        out = []
        for year in self.years():
            path = self.path(year)
            try:
                reader = files.SheetReader(path)
                if RISK_SHEET not in reader.sheet_names:
                    continue
                rows = reader.rows(RISK_SHEET)
            except InputFileError as exc:
                if unread is not None:  # the run goes on without it and says so
                    unread.append(path.name)
                    continue
                raise InputFileError(f"无法读取归档 {path.name}（钱货两空核查与风险计数要读它）：{exc}") from None
            if rows:
                out.append((path.name, list(rows[0]), [list(r) for r in rows[1:]]))
        return out


def shelf_for(path: str | Path | None) -> FileShelf | None:
    """The shelf of a book saved at ``path`` (None: a book never saved has no folder)."""
    if not path or str(path).lower().startswith(("http://", "https://")):
        return None
    p = Path(path)
    return FileShelf(p) if p.suffix.lower() in files.EXCEL_SUFFIXES and p.parent.exists() else None


def archive_book(path: str | Path, days: float | None = None, now: datetime | None = None, sheet: str | None = None,
                 progress: bool = True, say: Callable[[str], None] | None = None) -> arch.ArchiveResult:
    """``refund-xl archive BOOK``: closed, quiet cases moved into ``<book>_归档_<year>.xlsx``."""
    book_path = Path(path)
    if book_path.suffix.lower() not in files.EXCEL_SUFFIXES:
        raise InputFileError(f"归档需要工作簿（.xlsx / .xlsm）：{book_path.name}")
    if not book_path.exists():
        raise InputFileError(f"找不到文件：{book_path}")
    say = say or Progress(progress)
    shelf = FileShelf(book_path)
    with filebook.open_book(book_path) as book:
        say(f"读取 {book_path.name} …")
        ctx = context.build(book_mod.own_tables(book), now=now)
        result = arch.run_archive(book, ctx, shelf, days=days, sheet=sheet,
                                  run_at=datetime.now().replace(microsecond=0), say=say)
    say("完成")
    result.backup = book.backup_path.name if book.backup_path else None
    return result
