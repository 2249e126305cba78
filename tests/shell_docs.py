"""Running the shell lines a page of the docs shows, as written, in a fresh folder (not a test module).

The README's quick start and the Mac/Linux install route create a virtual environment and
``pip install`` into it.  Tests run those lines verbatim with bash, with two harness steps the
page does not show:

* right after a line creates a venv (``python3 -m venv DIR``), the venv is given this
  interpreter's installed packages through a folder of links that leaves out refund_xl
  (:func:`shared_site`), so the page's ``pip install`` finds every dependency already there
  (no download of pandas …) and really installs refund_xl itself (a venv made with
  ``--system-site-packages`` would see the refund_xl under test and install nothing: the
  CI failure of stop 16);
* ``python3`` is the interpreter :func:`python3_for_docs` picks: Debian's externally managed
  ``/usr/bin/python3`` when it is the same Python version as this one, else this interpreter.
"""

from __future__ import annotations

import os
import re
import shlex
import site
import subprocess
import sys
from pathlib import Path

__all__ = ["fenced_lines", "shared_site", "python3_for_docs", "Shell", "externally_managed"]

_VENV = re.compile(r"^python3? -m venv (\S+)$")


def fenced_lines(text: str, lang: str | None = None) -> list[list[str]]:
    """The lines of each fenced code block (of language ``lang`` when given), comments and blanks dropped."""
    blocks = []
    for m in re.finditer(r"^[ \t]*```(\w*)\n(.*?)^[ \t]*```", text, re.S | re.M):
        if lang is not None and m.group(1) != lang:
            continue
        lines = [re.sub(r"\s+#\s.*$", "", ln).strip() for ln in m.group(2).splitlines()]
        blocks.append([ln for ln in lines if ln])
    return blocks


def shared_site(folder: Path) -> Path:
    """A folder of links to this interpreter's installed packages, refund_xl and the venv's own tools left out."""
    shared = folder / "shared-site"
    if shared.exists():
        return shared
    shared.mkdir(parents=True)
    own_tools = {"pip", "setuptools", "_distutils_hack", "pkg_resources", "distutils-precedence.pth", "wheel"}
    # every site folder this interpreter imports from (a venv made with --system-site-packages has two)
    roots = dict.fromkeys([*site.getsitepackages(), *(p for p in sys.path if p.endswith(("site-packages",
                                                                                      "dist-packages")))])
    for root in roots:
        if not Path(root).is_dir():
            continue
        for entry in Path(root).iterdir():
            name = entry.name.lower().replace("-", "_")
            base = re.split(r"[-_]\d", entry.name)[0].lower()
            if "refund_xl" in name or entry.name in own_tools or base in own_tools or (shared / entry.name).exists():
                continue
            if entry.suffix == ".pth" and "refund" in entry.read_text(encoding="utf-8", errors="replace").lower():
                continue
            (shared / entry.name).symlink_to(entry)
    return shared


def externally_managed(python: str) -> bool:
    """Does this interpreter refuse ``pip install`` outside a venv (PEP 668's EXTERNALLY-MANAGED marker)?"""
    out = subprocess.run([python, "-c", "import sysconfig, os; "
                                        "print(os.path.isfile(os.path.join(sysconfig.get_path('stdlib'), "
                                        "'EXTERNALLY-MANAGED')))"],
                         capture_output=True, text=True)
    return out.stdout.strip() == "True"


def python3_for_docs() -> str:
    """Debian's /usr/bin/python3 when it is this Python's version and can make a venv, else this interpreter."""
    system = "/usr/bin/python3"
    if os.path.isfile(system):
        got = subprocess.run([system, "-c", "import sys, ensurepip, venv; print(sys.version_info[:2])"],
                             capture_output=True, text=True)
        if got.returncode == 0 and got.stdout.strip() == str(tuple(sys.version_info[:2])):
            return system
    return sys.executable


class Shell:
    """bash in ``cwd`` with ``python3`` = :func:`python3_for_docs`, a home of its own, venvs sharing packages."""

    def __init__(self, tmp: Path, cwd: Path, home: Path | None = None):
        self.tmp = tmp
        self.cwd = cwd
        self.home = home or tmp / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.python3 = python3_for_docs()
        self.bin = tmp / "shim-bin"
        self.bin.mkdir(exist_ok=True)
        for name in ("python3", "python"):
            link = self.bin / name
            if not link.exists():
                link.symlink_to(self.python3)
        self.shared = shared_site(tmp)
        self.hook = tmp / "share-site.sh"
        self.hook.write_text('for d in "$1"/lib/python3*/site-packages; do\n'
                             f'  echo "import site; site.addsitedir({str(self.shared)!r})" > "$d/_shared_site.pth"\n'
                             "done\n", encoding="utf-8")

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST")}
        env.update(PATH=f"{self.bin}{os.pathsep}{env.get('PATH', '')}", HOME=str(self.home),
                   PIP_DISABLE_PIP_VERSION_CHECK="1")
        env.update(extra)
        return env

    def with_harness(self, line: str) -> str:
        """The line as written, with the package-sharing step after each ``python3 -m venv DIR`` part."""
        parts = [p.strip() for p in line.split("&&")]
        out = []
        for part in parts:
            out.append(part)
            m = _VENV.match(part)
            if m:
                out.append(f"bash {shlex.quote(str(self.hook))} {m.group(1)}")
        return " && ".join(out)

    def run(self, lines: list[str] | str, timeout: int = 900, **env: str) -> subprocess.CompletedProcess:
        """The lines as one bash script (stopping at the first failure), in ``cwd``."""
        if isinstance(lines, str):
            lines = [lines]
        script = "set -e\n" + "\n".join(self.with_harness(ln) for ln in lines) + "\n"
        return subprocess.run(["bash", "-c", script], cwd=self.cwd, env=self.env(**env), capture_output=True,
                              text=True, timeout=timeout)
