"""One path per command (issue 22): the ribbon and the command line call the same use-case function,
and within one run the header row and the reference time are resolved once.

The use cases are spied on wherever a module holds them (a module that imported the function by
name holds its own reference): a host that grew its own copy of a use case would not reach the spy.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import pkgutil
import shutil
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

import refund_xl
from refund_xl import cli, macros
from refund_xl._app.memory import MemoryBook
from refund_xl._core import context, fields
from refund_xl._excel.excel_book import ExcelBook

NOW = "2025-06-10T12:00"
EXPORTS = Path(__file__).parent / "data" / "exports"


class Reached(Exception):
    """Raised by a spied use case: the host got there (nothing more is needed to know that)."""


def _modules():
    for m in pkgutil.walk_packages(refund_xl.__path__, "refund_xl."):
        if "_template" in m.name or m.name.endswith("__main__"):
            continue
        yield importlib.import_module(m.name)


def _spy(monkeypatch, owner, name: str, calls: list, stop: bool = True):
    """Replace ``owner.name`` everywhere a refund_xl module holds it; each call is recorded."""
    real = getattr(owner, name)

    def spy(*args, **kwargs):
        calls.append(name)
        if stop:
            raise Reached(name)
        return real(*args, **kwargs)

    for mod in [owner, *_modules()]:
        if getattr(mod, name, None) is real:
            monkeypatch.setattr(mod, name, spy)
    return real


class RibbonBook(ExcelBook):
    """What a ribbon macro is handed (``xw.Book.caller()`` wrapped), over an in-memory book."""

    def __init__(self, mem: MemoryBook, path: Path):
        super().__init__(None)
        self.mem, self._path, self.alerts = mem, path, []

    sheet_names = property(lambda self: self.mem.sheet_names)

    def active_sheet(self):
        return None

    def rows(self, name):
        return self.mem.rows(name)

    def head(self, name, n=20):
        return self.mem.head(name, n)

    @property
    def path(self):
        return str(self._path)

    def status(self, text):
        pass

    def alert(self, text):
        self.alerts.append(text)

    def confirm(self, text):
        return True

    def named_range(self, name):
        return None


def _cli(args: list[str]) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            cli.main(args)
        except (Reached, SystemExit):
            pass


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    from refund_xl._files import files

    return {n: [list(r) for r in rows] for n, rows in files.read_sheets(path).items()}


@pytest.fixture()
def desk(tmp_path, monkeypatch):
    """The demo workbook (the sample after a daily batch), as a desk's book."""
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["demo"]) == 0
    book = tmp_path / "desk.xlsx"
    shutil.move(tmp_path / "refund_demo.xlsx", book)
    return book


COMMANDS = [
    # (use case module, function, CLI arguments, ribbon call)
    ("refund_xl._app.book", "run_batch", lambda b: ["batch", str(b), "--now", NOW, "--quiet"],
     lambda xl: macros.daily_batch(xl)),
    ("refund_xl._app.intake", "run_import", lambda b: ["import", str(_export()), "--into", str(b), "--now", NOW],
     lambda xl: macros.import_exports(xl, paths=[str(_export())])),
    ("refund_xl._app.track_run", "run_track", lambda b: ["track", str(b), "--now", NOW],
     lambda xl: macros.track_logistics(xl, env={"KUAIDI100_KEY": "k", "KUAIDI100_CUSTOMER": "c"})),
    ("refund_xl._app.archive", "run_archive", lambda b: ["archive", str(b), "--now", NOW],
     lambda xl: macros.archive_cases(xl, ask=False)),
]


def _export() -> Path:
    return sorted(EXPORTS.rglob("*.csv"))[0]


@pytest.mark.parametrize("module,name,cli_args,ribbon", COMMANDS, ids=[c[1] for c in COMMANDS])
def test_the_ribbon_and_the_command_line_run_the_same_use_case(monkeypatch, desk, module, name, cli_args, ribbon):
    calls: list[str] = []
    _spy(monkeypatch, importlib.import_module(module), name, calls)
    _cli(cli_args(desk))
    assert calls == [name], f"refund-xl does not run {module}.{name}"
    calls.clear()
    xl = RibbonBook(MemoryBook(_sheets(desk)), desk)
    ribbon(xl)
    assert calls == [name], f"the ribbon does not run {module}.{name}: {xl.alerts}"


def test_fill_and_the_ribbons_values_compute_the_block_in_one_function(monkeypatch, desk):
    """`refund-xl fill` and 刷新判定 above live_rows (the ribbon's fill) both compute the result block
    with table.table_block, the formula's own computation."""
    from benchmarks.synth import make_rows
    from refund_xl._app import table
    from test_refresh import template_book

    calls: list[str] = []
    _spy(monkeypatch, table, "table_block", calls, stop=False)
    _cli(["fill", str(desk), "--now", NOW])
    assert calls == ["table_block"]
    calls.clear()
    macros.refresh_results(template_book(make_rows(7, seed=2), live_rows=5), datetime(2025, 6, 10, 12))
    assert calls == ["table_block"]


# ------------------------------------------------------------------ once per run

def _count(monkeypatch):
    """Counts of fields.resolve per header row and of context.resolve_now, wherever held."""
    resolved: Counter = Counter()
    nows: list[int] = []
    real_resolve, real_now = fields.resolve, context.resolve_now

    def resolve(headers, *a, **k):
        headers = list(headers)
        resolved[tuple("" if h is None else str(h) for h in headers)] += 1
        return real_resolve(headers, *a, **k)

    def resolve_now(*a, **k):
        nows.append(1)
        return real_now(*a, **k)

    for mod in [fields, context, *_modules()]:
        if getattr(mod, "resolve", None) is real_resolve:
            monkeypatch.setattr(mod, "resolve", resolve)
        if getattr(mod, "resolve_now", None) is real_now:
            monkeypatch.setattr(mod, "resolve_now", resolve_now)
    return resolved, nows


ONCE = [
    ["batch", "{book}", "--now", NOW, "--quiet"],
    ["fill", "{book}", "--now", NOW],
    ["evaluate", "{book}", "--out", "{out}", "--now", NOW, "--quiet"],
    ["import", "{export}", "--into", "{book}", "--now", NOW],
    ["archive", "{book}", "--now", NOW],
]


@pytest.mark.parametrize("args", ONCE, ids=[a[0] for a in ONCE])
def test_one_run_resolves_each_header_row_and_the_reference_time_once(monkeypatch, desk, tmp_path, args):
    resolved, nows = _count(monkeypatch)
    given = [a.format(book=desk, out=tmp_path / "out.xlsx", export=_export()) for a in args]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        rc = cli.main(given)
    assert rc == 0, err.getvalue()
    assert len(nows) == 1, f"{args[0]}: the reference time resolved {len(nows)} times"
    assert resolved, "the header row was never resolved"
    again = {h[:4]: n for h, n in resolved.items() if n > 1}
    assert not again, f"{args[0]}: header rows resolved more than once: {again}"


def test_fill_is_one_use_case_over_any_book(desk):
    """`fill` over the in-memory Book writes what `refund-xl fill` writes into the file."""
    from refund_xl._app import book as book_mod
    from refund_xl._app.fill import run_fill

    mem = MemoryBook(_sheets(desk))
    ctx = context.build(book_mod.own_tables(mem), now=NOW)
    plan = run_fill(mem, ctx)
    sheet = plan.reading.sheet
    _cli(["fill", str(desk), "--now", NOW])
    on_file = _sheets(desk)[sheet]
    width = plan.first_col + len(plan.headers)
    got = [[("" if v is None else v) for v in (r + [None] * width)[plan.first_col:width]] for r in mem.sheets[sheet]]
    want = [[("" if v is None else v) for v in (list(r) + [None] * width)[plan.first_col:width]] for r in on_file]
    assert plan.cases > 0 and got[plan.header_row] == plan.headers
    assert got[:len(want)] == want
