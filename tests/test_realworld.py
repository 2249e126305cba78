"""Workbooks other programs wrote (issue 19): every file of ``tests/data/realworld/`` through every command.

The folder is a byte-for-byte copy of public test files of XlsxWriter, Apache POI,
SheetJS and calamine (``../shared/realworld-corpus``): Excel-made workbooks with
charts, tables, macros, XLM macro sheets and dialog sheets, Strict OOXML,
LibreOffice 3.x packages, parts named ``Sheet1.xml``, backslash zip paths, and
deliberately broken ones (bad CRCs, bad headers, fuzzer cases).

* every file through ``evaluate``, ``import`` (as the book and as an export),
  ``batch`` and ``fill``, in a child process with a memory ceiling and a time
  limit: a result (exit 0) or one Chinese line (exit 2), never a traceback;
* every workbook the product writes into keeps every part it does not own, byte
  for byte under its own name, and the package stays consistent
  (:func:`realworld.check_package`);
* a tracking table put into each workbook's first worksheet is read, decided,
  batched and filled, whatever wrote the workbook.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from realworld import (CORPUS, EXPORT, FILES, NOW, ROOT, canon, check_package, kept_parts, parts, rel_id,
                       sample_rows, sheets, structural, with_tracking)
from refund_xl import cli

CEILING = 3 * 1024 ** 3
CJK = re.compile(r"[\u4e00-\u9fff]")

DRIVER = r"""
import contextlib, io, json, sys, traceback
from refund_xl import cli
out = []
for args in json.loads(sys.argv[1]):
    err, so = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(so):
        try:
            rc = cli.main(args)
        except SystemExit as exc:
            rc = exc.code
        except BaseException:
            rc = "crash"
            err.write(traceback.format_exc())
    out.append([args[0], rc, err.getvalue()])
print(json.dumps(out))
"""


def _child(commands: list[list[str]], cwd: Path, timeout: int = 240) -> list[tuple[str, object, str]]:
    def limit():  # pragma: no cover - runs in the child
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (CEILING, CEILING))

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(commands)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, preexec_fn=limit)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [tuple(x) for x in json.loads(proc.stdout.strip().splitlines()[-1])]


def _a_result_or_one_line(command: str, rc: object, err: str, what: str) -> None:
    assert rc in (0, 2), f"{what} {command}: exit {rc}\n{err[-3000:]}"
    assert "Traceback" not in err, f"{what} {command}:\n{err[-3000:]}"
    if rc == 2:
        lines = [ln for ln in err.strip().splitlines() if ln.strip()]
        assert len(lines) == 1, f"{what} {command}: {lines}"
        assert lines[0].startswith("refund-xl: ") and CJK.search(lines[0]), f"{what} {command}: {lines[0]}"
        assert not re.search(r"[A-Z][a-z]+(?:Error|Exception)\b|Invalid|invalid", lines[0]), lines[0]


@pytest.mark.parametrize("src", FILES, ids=rel_id)
def test_every_file_through_every_command(src, tmp_path):
    """evaluate, import (into it; from it), batch, fill: a result or one Chinese line, within 3 GB and 4 min."""
    book = tmp_path / ("in" + src.suffix.lower())
    shutil.copyfile(src, book)
    t0 = time.monotonic()
    runs = _child([["evaluate", book.name, "--out", "out.xlsx", "--now", NOW, "--quiet"],
                   ["batch", book.name, "--out", "batch_out" + book.suffix, "--now", NOW, "--quiet"],
                   ["fill", book.name, "--now", NOW],
                   ["import", book.name, "--into", "fresh.xlsx", "--now", NOW],
                   ["import", str(EXPORT), "--into", book.name, "--now", NOW]], tmp_path)
    assert time.monotonic() - t0 < 240
    for command, rc, err in runs:
        _a_result_or_one_line(command, rc, err, rel_id(src))
    by = {(c, i): (rc, err) for i, (c, rc, err) in enumerate(runs)}
    if by[("fill", 2)][0] == 2 and by[("import", 4)][0] == 2:  # refused every write: not a byte changed
        assert book.read_bytes() == src.read_bytes()
    if by[("import", 4)][0] == 0:  # it took the cases: what it wrote is read back by every command
        again = _child([["evaluate", book.name, "--out", "again.csv", "--now", NOW, "--quiet"],
                        ["batch", book.name, "--now", NOW, "--quiet"],
                        ["fill", book.name, "--now", NOW]], tmp_path)
        for command, rc, err in again:
            assert rc == 0, f"{rel_id(src)} after import, {command}: {err[-2000:]}"


def intact_workbooks() -> list[Path]:
    return [p for p in FILES if p.suffix.lower() in (".xlsx", ".xlsm") and parts(p) is not None]


def _run(capsys, *args: str) -> tuple[int, str]:
    rc = cli.main(list(args))
    err = capsys.readouterr().err
    return rc, err


@pytest.mark.parametrize("src", intact_workbooks(), ids=rel_id)
def test_what_the_product_writes_keeps_every_part_it_does_not_own(src, tmp_path, capsys):
    """import → batch → fill → evaluate on a copy: each step keeps every part it does not own, byte for byte."""
    book = tmp_path / ("in" + src.suffix.lower())
    shutil.copyfile(src, book)
    original = parts(book)
    rc, err = _run(capsys, "import", str(EXPORT), "--into", str(book), "--now", NOW)
    if rc == 2:  # refused: one line, and the book as it was
        _a_result_or_one_line("import", rc, err, rel_id(src))
        assert book.read_bytes() == src.read_bytes()
        return
    assert rc == 0, err
    owned = structural(original)
    for command in (["batch", str(book), "--now", NOW, "--quiet"], ["fill", str(book), "--now", NOW]):
        after = parts(book)
        assert after is not None
        check_package(after, original)
        assert not kept_parts(original, after, owned), (command, kept_parts(original, after, owned))
        rc, err = _run(capsys, *command)
        assert rc == 0, (command, err)
    after = parts(book)
    check_package(after, original)
    assert not kept_parts(original, after, owned), kept_parts(original, after, owned)
    names = [s[0] for s in sheets(after)]
    assert "售后登记" in names and "拦截登记" in names
    rc, err = _run(capsys, "evaluate", str(book), "--out", str(tmp_path / "out.csv"), "--now", NOW)
    assert rc == 0, err


@pytest.mark.parametrize("src", intact_workbooks(), ids=rel_id)
def test_a_tracking_table_in_any_workbook_is_read_batched_and_filled(src, tmp_path, capsys):
    """The tracking table in the first worksheet of a workbook any program wrote (Strict OOXML, LibreOffice,
    XLM macro sheets, ``Sheet1.xml`` parts …): evaluate decides every case, batch and fill write, every part
    the product does not own comes through byte for byte."""
    book = tmp_path / ("desk" + src.suffix.lower())
    sheet = with_tracking(src, book)
    cases = len(sample_rows()) - 1
    before = parts(book)
    rc, err = _run(capsys, "evaluate", str(book), "--out", str(tmp_path / "out.csv"), "--now", NOW, "--quiet")
    assert rc == 0, f"{rel_id(src)}: {err}"
    import csv

    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as f:
        out = list(csv.DictReader(f))
    assert len(out) == cases and all(r["action_code"] and r["action_code"] != "ERROR" for r in out)
    rc, err = _run(capsys, "batch", str(book), "--now", NOW, "--quiet")
    if rc == 2:  # a package the product will not write into: said in one line, nothing written
        _a_result_or_one_line("batch", rc, err, rel_id(src))
        assert parts(book) == before
        rc, err = _run(capsys, "fill", str(book), "--now", NOW)
        _a_result_or_one_line("fill", rc, err, rel_id(src))
        assert rc == 2 and parts(book) == before
        return
    assert rc == 0, f"{rel_id(src)}: {err}"
    rc, err = _run(capsys, "fill", str(book), "--now", NOW)
    assert rc == 0, f"{rel_id(src)}: {err}"
    after = parts(book)
    check_package(after, before)
    tracking_part = next(p for n, _t, p in sheets(before) if n == sheet)
    assert not kept_parts(before, after, structural(before) | {tracking_part})
    from refund_xl._files.files import read_sheets

    got = read_sheets(book)
    assert [str(v) for v in got[sheet][0][:3]] == sample_rows()[0][:3]
    assert "处理动作" in got[sheet][0]
    assert len(got["拦截登记"]) > 1
    for name, _type, part in sheets(before):  # the other sheets read as they did
        if name != sheet and _type.endswith("/worksheet"):
            assert canon(part) in {canon(p) for p in after}


def test_the_corpus_is_the_shared_one():
    """The copy in tests/data/realworld is the lead's corpus, byte for byte (when that folder is here)."""
    shared = ROOT.parent / "shared" / "realworld-corpus"
    if not shared.is_dir():
        pytest.skip("no ../shared/realworld-corpus beside the repository")
    theirs = {p.relative_to(shared).as_posix(): p.read_bytes() for p in shared.rglob("*") if p.is_file()}
    ours = {p.relative_to(CORPUS).as_posix(): p.read_bytes() for p in CORPUS.rglob("*") if p.is_file()}
    assert theirs == ours
