"""The test run ends without a dependency's deprecation warnings, which read like product problems
(issue 20), while a warning raised by refund_xl itself still shows."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _filters() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["pytest"]["ini_options"].get("filterwarnings", [])


def test_only_third_party_warnings_are_filtered():
    for entry in _filters():
        action, _message, _category, module, *_ = (entry.split(":") + ["", "", "", ""])[:5]
        assert action == "ignore" and module, f"a filter without a module hides our own warnings too: {entry}"
        assert not module.startswith("refund_xl"), entry


def test_the_template_checks_run_quietly_and_our_warnings_still_show(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(textwrap.dedent('''
        import warnings

        def test_oletools_is_quiet():
            from oletools import olevba  # noqa: F401  (its import raises pyparsing's deprecations)

        def test_ours_shows():
            import refund_xl
            warnings.warn_explicit("ours", DeprecationWarning, "refund_xl/x.py", 1, module="refund_xl.x")
    '''), encoding="utf-8")
    (tmp_path / "conftest.py").write_text("", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c",
                          str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path), str(probe)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert out.returncode == 0, out.stdout[-2000:]
    assert "PyparsingDeprecationWarning" not in out.stdout and "oletools" not in out.stdout, out.stdout[-2000:]
    assert "DeprecationWarning: ours" in out.stdout, out.stdout[-2000:]
