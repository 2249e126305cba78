"""The product installs from a built wheel and `refund-xl setup` works from it (SPEC §7, §8).

The documented route (docs/setup-windows.md): build the wheel once
(`pip wheel . -w dist --no-deps`), then on the PC
`pip install refund_xl-<version>-py3-none-any.whl`.  Here: the wheel goes into
a fresh virtual environment (its dependencies from the system site, so the
install itself is offline: --no-index), and the installed `refund-xl setup`
must write a workbook whose xlwings.conf names THAT environment's Python and
whose embedded VBA runtime is the installed xlwings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from refund_xl import excel_setup, runtime

ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    out = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=_env(), timeout=600, **kw)
    assert out.returncode == 0, f"{cmd} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
    return out


@pytest.mark.slow
def test_wheel_installs_and_setup_writes_a_book_for_that_python(tmp_path):
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", ROOT, "-w", dist, "--no-deps", "-q"], cwd=tmp_path)
    wheels = list(dist.glob("refund_xl-*.whl"))
    assert len(wheels) == 1
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", venv])
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    _run([python, "-m", "pip", "install", "--no-index", "-q", wheels[0]])
    # the installed package, not this checkout, answers
    where = _run([python, "-c", "import refund_xl; print(refund_xl.__file__)"], cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(venv), where
    book = tmp_path / "桌面" / "售后.xlsm"
    _run([bindir / "refund-xl", "setup", "--book", book], cwd=tmp_path)
    conf = excel_setup.conf_of(book)
    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    assert Path(conf[key]).parent == python.parent, conf[key]
    from test_setup import _vba_runtime_version

    installed = _run([python, "-c", "import xlwings; print(xlwings.__version__)"]).stdout.strip()
    assert _vba_runtime_version(book) == installed == runtime.XLWINGS_PIN
    doctor = subprocess.run([str(bindir / "refund-xl"), "doctor", "--book", str(book)], capture_output=True,
                            text=True, env=_env(), timeout=300)
    assert "✔ 工作簿里的 Python" in doctor.stdout, doctor.stdout
