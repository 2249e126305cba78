"""docs/setup-windows.md, run: every command it shows, in its order, from a built wheel (contract §7, §8).

The page's route: build the wheel (`pip wheel . -w dist --no-deps`, IT does it
once), then on the PC `python -m pip install refund_xl-<version>-py3-none-any.whl`,
`refund-xl setup`, `refund-xl doctor` ….  Here every ```cmd line runs in order
in a fresh virtual environment (its dependencies linked from the system site
but not refund_xl itself, so the install is offline and really installs the
wheel), with a home folder of its own (Documents, Downloads);
then every inline `refund-xl …` / `python …` / `pip …` command of the page.
The workbook `setup` writes must name THAT environment's Python and embed the
installed xlwings' VBA runtime.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from refund_xl._excel import excel_setup
from shell_docs import shared_site
from refund_xl._template import runtime

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "setup-windows.md"


def _block_commands() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```cmd\n(.*?)```", text, re.S):
        out += [ln.strip() for ln in block.splitlines() if ln.strip()]
    return out


def _inline_commands() -> list[str]:
    text = re.sub(r"```.*?```", "", DOC.read_text(encoding="utf-8"), flags=re.S)
    return [c for c in re.findall(r"`([^`\n]+)`", text) if re.match(r"(refund-xl|python|pip)( |$)", c)]


class Desk:
    """A fresh venv with the wheel installed the documented way, and a home folder of its own."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.home = tmp / "home"
        self.cwd = self.home
        (self.home / "Downloads").mkdir(parents=True)
        self.venv = tmp / "venv"
        self.bindir = self.venv / ("Scripts" if os.name == "nt" else "bin")
        self.python = self.bindir / ("python.exe" if os.name == "nt" else "python")

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        env.update(HOME=str(self.home), USERPROFILE=str(self.home), PIP_DISABLE_PIP_VERSION_CHECK="1",
                   PIP_NO_INDEX="1")   # offline: everything comes from the wheel and the system site
        return env

    def path(self, text: str) -> str:
        """A Windows path of the page → a path under this desk (C:\\x\\y → <tmp>/C/x/y)."""
        text = text.replace("%USERPROFILE%", str(self.home))
        m = re.match(r"([A-Z]):\\(.*)", text)
        if m:
            return str(self.tmp / m.group(1) / Path(*m.group(2).split("\\")))
        return text.replace("\\", "/")

    def argv(self, command: str) -> list[str]:
        # cmd.exe splitting: double quotes group words and are removed
        words = [self.path(w[1:-1] if len(w) > 1 and w[0] == w[-1] == '"' else w)
                 for w in shlex.split(command, posix=False)]
        if words[0] == "python":
            return [str(self.python)] + words[1:]
        if words[0] == "pip":
            return [str(self.python), "-m", "pip"] + words[1:]
        if words[0] == "refund-xl":
            return [str(self.bindir / "refund-xl")] + words[1:]
        raise AssertionError(f"the page shows a command the test cannot run: {command}")

    def run(self, command: str) -> subprocess.CompletedProcess:
        if command.startswith("cd "):
            self.cwd = Path(self.path(command[3:].strip()))
            assert self.cwd.is_dir(), command
            return subprocess.CompletedProcess(command, 0, "", "")
        return subprocess.run(self.argv(command), capture_output=True, text=True, env=self.env(),
                              cwd=self.cwd, timeout=600)


def _ok(out: subprocess.CompletedProcess, command: str) -> None:
    assert out.returncode == 0, f"{command!r} failed ({out.returncode}):\n{out.stdout[-1500:]}\n{out.stderr[-1500:]}"


def _share_dependencies_but_not_refund_xl(desk: Desk) -> None:
    """Give the desk's venv this interpreter's packages (offline install) minus refund_xl itself.

    With `--system-site-packages` pip would find the refund_xl this test runs from
    ("already installed with the same version as the provided wheel") and install
    nothing, so the page's `pip install` would go untested.  Instead the venv gets
    a folder of links to every installed package except refund_xl (and the venv's
    own pip/setuptools), added as a site dir (:func:`shell_docs.shared_site`).
    """
    shared = shared_site(desk.tmp)
    own = subprocess.run([str(desk.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    (Path(own) / "_shared_site.pth").write_text(f"import site; site.addsitedir({str(shared)!r})\n",
                                                encoding="utf-8")


@pytest.mark.slow
def test_every_command_of_the_windows_page_runs_in_order(tmp_path):
    desk = Desk(tmp_path)
    # IT: `pip wheel . -w dist --no-deps` in the source folder (dist here under tmp)
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "-w", str(dist), "--no-deps", "-q"],
                           capture_output=True, text=True, timeout=600,
                           env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, cwd=tmp_path)
    _ok(build, "pip wheel . -w dist --no-deps")
    wheel = next(dist.glob("refund_xl-*.whl"))
    assert f"`{wheel.name}`" in DOC.read_text(encoding="utf-8") or wheel.name in DOC.read_text(encoding="utf-8"), \
        f"the page names a different wheel file than the build gives ({wheel.name})"
    shutil.copy(wheel, desk.home / "Downloads" / wheel.name)
    # Step 1 happened: python.org Python = a fresh venv on top of this interpreter.
    _ok(subprocess.run([sys.executable, "-m", "venv", str(desk.venv)],
                       capture_output=True, text=True, timeout=300), "python -m venv")
    _share_dependencies_but_not_refund_xl(desk)

    outputs = {}
    for command in _block_commands():
        out = desk.run(command)
        outputs[command] = out
        _ok(out, command)

    assert outputs["python -c \"import struct; print(struct.calcsize('P') * 8)\""].stdout.strip() == "64"
    where = subprocess.run([str(desk.python), "-c", "import refund_xl; print(refund_xl.__file__)"],
                           capture_output=True, text=True, env=desk.env(), cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(desk.venv), f"the page's install did not install the wheel: {where}"

    # `refund-xl setup` wrote Documents\售后助手.xlsm for THIS Python, with the installed runtime
    book = desk.home / "Documents" / excel_setup.BOOK_NAME
    conf = excel_setup.conf_of(book)
    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    assert Path(conf[key]).parent == desk.python.parent, conf[key]
    from test_setup import _vba_runtime_version

    installed = subprocess.run([str(desk.python), "-c", "import xlwings; print(xlwings.__version__)"],
                               capture_output=True, text=True, env=desk.env()).stdout.strip()
    assert _vba_runtime_version(book) == installed == runtime.XLWINGS_PIN
    assert "✔ 工作簿里的 Python" in outputs["refund-xl doctor"].stdout
    assert (desk.home / "Downloads" / "售后登记2025.xlsm").is_file()

    # the inline commands of the page (bare command names are shown with --help)
    for command in _inline_commands():
        if command.startswith("pip wheel"):
            continue                                  # run above, into a temporary dist folder
        words = command.split()
        if len(words) <= 2 and words[0] == "refund-xl" or command == "python -m refund_xl.cli":
            command += " --help"
        _ok(desk.run(command), command)
