"""docs/mac-wps-libreoffice.md, run: the Mac/Linux install route, in its order, from the built wheel
(issue 20).  No `pip install refund_xl` from the package index (nobody publishes that name: whoever
registers it would be installed onto desk PCs); a virtual environment, so an externally managed
Python (Homebrew, Debian/Ubuntu) takes it; then the page's 'see the sample' step shows the sample's
results, not results at today's date."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shell_docs import Shell, fenced_lines

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "mac-wps-libreoffice.md"


def _install_block() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    part = text[text.index("## 一、安装命令行"):text.index("## 二、")]
    blocks = fenced_lines(part, "bash")
    assert len(blocks) == 1, "the install section shows one block of commands"
    return blocks[0]


def test_the_page_never_installs_from_the_package_index():
    text = DOC.read_text(encoding="utf-8")
    for block in fenced_lines(text):
        for line in block:
            words = line.split()
            if "install" in words and any(w.endswith(("pip", "pip3")) for w in words):
                target = words[words.index("install") + 1:]
                assert target and all(w.endswith(".whl") for w in target), f"install from a file only: {line}"


@pytest.mark.slow
def test_the_install_route_runs_in_order_from_the_wheel(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "-w", str(dist), "--no-deps", "-q"],
                           capture_output=True, text=True, timeout=600, cwd=tmp_path,
                           env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("refund_xl-*.whl"))
    assert wheel.name in DOC.read_text(encoding="utf-8"), f"the page names another wheel than the build gives: {wheel.name}"
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    shutil.copy(wheel, home / "Downloads" / wheel.name)

    sh = Shell(tmp_path, home, home=home)
    lines = _install_block()
    out = sh.run(lines)
    assert out.returncode == 0, f"{lines}\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
    assert re.search(r"refund-xl \d+\.\d+\.\d+", out.stdout), out.stdout
    venv = home / "refund-xl"
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import refund_xl; print(refund_xl.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=sh.env()).stdout.strip()
    assert Path(where).is_relative_to(venv), f"the page's install did not install the wheel: {where}"
    # the page's way to run it without activating, and its path for Mac Excel's Interpreter_Mac
    assert sh.run("~/refund-xl/bin/refund-xl --help").returncode == 0
    shown = sh.run("echo ~/refund-xl/bin/python").stdout.strip()
    assert Path(shown) == venv / "bin" / "python" and Path(shown).exists()
