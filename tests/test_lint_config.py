"""Lint and types are part of CI (issue 22): pyproject configures ruff and mypy, `.ci/run` runs both
before the tests, and the tree is ruff-clean at that configuration."""

from __future__ import annotations

import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _ci_commands() -> list[str]:
    return [ln.strip() for ln in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


def test_pyproject_configures_ruff_and_mypy_and_the_test_extra_installs_them():
    conf = _config()
    lint = conf["tool"]["ruff"]["lint"]
    assert {"E4", "E7", "E9", "F", "B"} <= set(lint["select"])
    mypy = conf["tool"]["mypy"]
    assert mypy["files"] == ["refund_xl"] and mypy["check_untyped_defs"] and mypy["warn_unused_ignores"]
    test_extra = " ".join(conf["project"]["optional-dependencies"]["test"])
    assert "ruff" in test_extra and "mypy" in test_extra


def test_ci_runs_the_linter_and_the_type_checker_before_the_tests():
    lines = _ci_commands()
    ruff = next(i for i, ln in enumerate(lines) if ln.startswith(".venv/bin/ruff check "))
    mypy = lines.index(".venv/bin/mypy")
    tests = len(lines) - 1
    assert "pytest" in lines[tests] and ruff < tests and mypy < tests
    # both after the install that puts them in the venv
    install = next(i for i, ln in enumerate(lines) if '.venv/bin/pip install ".[test]"' in ln)
    assert install < ruff and install < mypy
    # the linter covers the whole tree the project holds code in
    assert set(shlex.split(lines[ruff])[2:]) == {"refund_xl", "benchmarks", "docs", "tests"}


def test_the_tree_passes_ruff_as_ci_runs_it():
    pytest.importorskip("ruff")
    paths = next(shlex.split(ln)[2:] for ln in _ci_commands() if ln.startswith(".venv/bin/ruff check "))
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *paths], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
