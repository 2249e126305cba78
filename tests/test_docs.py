"""The docs say what the product does: every `refund-xl` command written in them runs, and the
reference page of column names and words is what the code generates (issue 13)."""

from __future__ import annotations

import csv
import re
import shlex
import shutil
from pathlib import Path

import openpyxl
import pytest

from refund_xl import cli
from refund_xl._app import reference
from refund_xl._files import workbook

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])

# Shell lines in the docs that are not `refund-xl` commands, and why no test runs them here.
NOT_RUN = {
    "pip install refund_xl": "installs from the package index (no network in tests)",
    "pip install .": "installs this tree; the test session runs on the installed package",
    'pip install ".[test]"': "as above, with the test extras",
    "python -m pytest": "this very test suite",
    "python -m benchmarks.run": "minutes long; benchmarks print ratios and are run by hand (docs/performance.md)",
    "python -m benchmarks.run --quick": "as above",
    "python -m benchmarks.run --sizes 1000,50000 --e2e-rows 50000 --repeat 5 --clock wall": "as above",
    "python -m benchmarks.run --only recalc": "as above",
    "python -m benchmarks.run --only e2e --growth-rows 400000": "as above (a 400k-row file: tens of minutes)",
    "xlwings runpython install": "installs a Mac AppleScript helper; Mac only",
    "python -c \"import sys, os; print(os.path.join(os.path.dirname(sys.executable), 'pythonw.exe'))\"":
        "prints a Windows path; checked by hand on Windows",
    "python --version": "prints the interpreter's version",
    "python -c \"import struct; print(struct.calcsize('P') * 8)\"": "run in order by tests/test_docs_windows.py",
    "python -m pip install refund_xl-0.1.0-py3-none-any.whl": "run in order by tests/test_docs_windows.py",
    "python -m pip install xlwings==0.37.8": "run in order by tests/test_docs_windows.py",
    "pip3 install refund_xl": "installs from the package index (no network in tests)",
}
# A command whose documented outcome is not exit 0 (none yet): command → exit code.
EXPECTED_EXIT: dict[str, int] = {}
_SHELL_START = ("refund-xl", "pip", "python", "xlwings")


def _fenced_lines(text: str):
    inside = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            inside = not inside
            continue
        if inside:
            yield line.strip()


def doc_commands() -> list[tuple[str, str]]:
    """(doc file, command) for every shell command in a code block and every inline `refund-xl …` command."""
    found: list[tuple[str, str]] = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for line in _fenced_lines(text):
            line = re.sub(r"\s+#\s.*$", "", line).strip()
            if not line.startswith(_SHELL_START):
                continue
            for part in line.split("&&"):
                found.append((path.name, part.strip()))
        for span in re.findall(r"`(refund-xl [^`]+)`", text):
            tokens = span.split()
            if len(tokens) >= 3 or any(t.startswith("-") for t in tokens[1:]):
                found.append((path.name, span.strip()))
    return list(dict.fromkeys(found))


COMMANDS = doc_commands()


def test_the_docs_have_commands_and_all_are_accounted_for():
    runs = [c for _d, c in COMMANDS if c.startswith("refund-xl")]
    assert len(runs) >= 8
    unknown = [c for _d, c in COMMANDS if not c.startswith("refund-xl") and c not in NOT_RUN]
    assert not unknown, f"a doc gives a command no test runs (run it here or say why in NOT_RUN): {unknown}"


def _sample_rows():
    with open(workbook.sample_path(), encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture
def desk(tmp_path, monkeypatch):
    """A folder holding the files the docs' commands name, as a desk would have them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后登记"
    for row in _sample_rows():
        ws.append([v or None for v in row])
    wb.save(tmp_path / "售后登记.xlsx")
    shutil.copy(ROOT / "workbook_template.xlsm", tmp_path / "售后登记_2025.xlsm")
    with open(tmp_path / "映射.csv", "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([["表头", "字段"], ["退款编号", "case_id"], ["快递单号码", "tracking_no"]])
    with open(tmp_path / "值映射.csv", "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([["字段", "原值", "标准值"], ["拦截状态", "快递说拦不住", "拦截失败"],
                                  ["物流状态", "在路上了", "运输中"], ["售后状态", "结单了", "已完结"]])
    # a raw 千牛 退款管理 export (GBK), as docs/reading.md gives it to evaluate
    shutil.copy(ROOT / "tests" / "data" / "exports" / "taobao_export.csv", tmp_path / "淘宝退款_0610.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# Walk-throughs whose commands build on each other are run in their order by their own tests:
# setup-windows.md by tests/test_docs_windows.py (a fresh venv from the built wheel: setup → fill →
# doctor), import.md by tests/test_import_docs.py (the exports of two days into one book).
# track.md by tests/test_track.py (against the stand-in courier server).
IN_ORDER_ELSEWHERE = {"setup-windows.md", "import.md", "track.md"}
_RUN_HERE = [c for c in COMMANDS if c[1].startswith("refund-xl") and c[0] not in IN_ORDER_ELSEWHERE]


@pytest.mark.parametrize("doc, command", _RUN_HERE, ids=[f"{d}:{c}" for d, c in _RUN_HERE])
def test_every_refund_xl_command_in_the_docs_runs(doc, command, desk, capsys, monkeypatch):
    argv = shlex.split(command)[1:]
    courier = None
    if argv[0] == "track":  # courier tracking asks the stand-in server on 127.0.0.1, never the internet
        from kuaidi_standin import StandIn
        from test_track import serve_every_state

        courier = StandIn().__enter__()
        serve_every_state(courier)
        for k, v in courier.env().items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("REFUND_XL_CACHE_DIR", str(desk / "cache"))
    try:
        code = cli.main(argv)
    except SystemExit as exc:          # -h / --version / an argument error
        code = exc.code
    finally:
        if courier is not None:
            courier.__exit__(None, None, None)
    out, err = capsys.readouterr()
    assert code == EXPECTED_EXIT.get(command, 0), f"{doc}: `{command}` → exit {code}\n{err}"
    if "--out" in argv:
        assert (desk / argv[argv.index("--out") + 1]).exists()


def test_the_reference_page_is_what_the_code_generates():
    page = ROOT / reference.PAGE
    fresh = reference.render() + "\n"
    assert page.read_text(encoding="utf-8") == fresh, (
        "docs/columns-and-words.md is out of date: run `python docs/gen_reference.py` and commit it")


def test_the_reference_page_lists_every_header_alias_and_word():
    from refund_xl._core import wordbook
    from refund_xl._core.fields import FIELDS

    page = reference.render()
    for f in FIELDS:
        assert f"| `{f.key}` | {f.header} |" in page
        for alias in f.aliases:
            assert alias == f.key or alias in page, alias
        if not f.choices:
            continue
        for canonical in f.choices:
            assert f"| {canonical} |" in page
        for line in reference.grammar_table(f.key):  # the phrase grammar is printed, every stem in it
            assert line in page
        grammar = wordbook.WORDS[f.key].grammar
        for stem in grammar.stems if grammar else ():
            assert stem in page, (f.key, stem)


def test_reference_words_are_what_the_parser_reads():
    from refund_xl._core.fields import FIELDS

    for f in FIELDS:
        if not f.choices:
            continue
        for canonical, others in reference.words_of(f).items():
            for text in others:
                assert f.parse(text) == canonical, (f.key, text)


def test_reference_date_examples_are_parsed_not_typed():
    page = reference.render()
    assert "| `2025/6/3 10:00` | 2025-06-03 10:00 |" in page
    assert "| `6/3/2025` | **无法识别**" in page          # day/month order unknown: never guessed


def test_the_reference_page_lists_every_platform_preset():
    from refund_xl._core import presets

    page = reference.render()
    for p in presets.PRESETS:
        assert f"### {p.name}" in page
        for header in p.headers:
            assert f"| {header} |" in page, header
