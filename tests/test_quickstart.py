"""The README's quick start, run as written (issue 20): two commands, each working on its own from a
fresh copy of the project, on an externally managed Python (Debian's /usr/bin/python3 where this
machine has it), and `.ci/run` running exactly the README's test command."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from shell_docs import Shell, externally_managed, fenced_lines

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CI = ROOT / ".ci" / "run"
# What a fresh clone does not have: build leftovers, venvs, caches.
_NOT_IN_A_CLONE = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", "*.egg-info", "build", "dist",
                                         ".pytest_cache", ".hypothesis", "*.pyc", "refund_demo*.xlsx", ".benchmarks")


def quick_start_blocks() -> list[list[str]]:
    """Every quick-start block of the README (the Chinese and the English section): its command lines."""
    text = README.read_text(encoding="utf-8")
    found = []
    for heading in ("## 快速开始", "Quick start on a fresh machine"):
        at = text.index(heading)
        found.append(fenced_lines(text[at:], "bash")[0])
    return found


def test_the_quick_start_is_two_commands_that_stay_in_a_venv():
    zh, en = quick_start_blocks()
    assert zh == en and len(zh) == 2, zh
    demo, tests = zh
    assert "refund-xl demo" in demo and "pytest" in tests
    for line in zh:
        first, *rest = [p.strip() for p in line.split("&&")]
        venv = re.fullmatch(r"python3 -m venv (\S+)", first)
        assert venv, f"each line makes (or reuses) its own virtual environment first: {line}"
        # nothing runs on the system's Python after that: pip and the tools are the venv's
        assert all(p.startswith(f"{venv.group(1)}/bin/") for p in rest), line


def test_ci_runs_the_readmes_test_command():
    _demo, tests = quick_start_blocks()[0]
    lines = [ln.strip() for ln in CI.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    assert lines[-1] == tests, "the last command of .ci/run must be the README's test command, as written"
    assert "libreoffice-calc-nogui" in CI.read_text(encoding="utf-8")


@pytest.mark.slow
def test_both_quick_start_commands_run_as_written_in_a_fresh_copy(tmp_path):
    demo, tests = quick_start_blocks()[0]
    clone = tmp_path / "refund_xl"
    shutil.copytree(ROOT, clone, ignore=_NOT_IN_A_CLONE, symlinks=True)
    sh = Shell(tmp_path, clone)
    if externally_managed(sh.python3):  # the machine of the issue: a bare `pip install .` is refused here
        bare = subprocess.run([sh.python3, "-m", "pip", "install", "--dry-run", "--no-deps", "."], cwd=clone,
                              capture_output=True, text=True, env=sh.env(), timeout=300)
        assert bare.returncode != 0 and "externally-managed-environment" in bare.stdout + bare.stderr

    out = sh.run(demo)
    assert out.returncode == 0, f"{demo}\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
    assert "已写入 refund_demo.xlsx" in out.stdout
    book = openpyxl.load_workbook(clone / "refund_demo.xlsx", read_only=True)
    assert {"售后登记", "今日概览", "拦截登记", "回复话术"} <= set(book.sheetnames)
    book.close()
    # the venv's refund_xl is the installed copy, not the source folder
    where = subprocess.run([str(clone / ".venv" / "bin" / "python"), "-c", "import refund_xl; print(refund_xl.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=sh.env()).stdout.strip()
    assert Path(where).is_relative_to(clone / ".venv"), where

    # the README's way to use the command line afterwards
    after = sh.run(["source .venv/bin/activate", "refund-xl --help"])
    assert after.returncode == 0 and "售后退款助手" in after.stdout, after.stderr

    # the test command, on its own line, as written; a small part of the suite is selected from outside
    # (PYTEST_ADDOPTS) so the run does not start this test again
    out = sh.run(tests, PYTEST_ADDOPTS="tests/test_public_surface.py -p no:cacheprovider")
    assert out.returncode == 0, f"{tests}\n{out.stdout[-3000:]}\n{out.stderr[-2000:]}"
    assert re.search(r"\d+ passed", out.stdout), out.stdout[-1000:]
