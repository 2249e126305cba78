"""The architecture holds: a pure core, thin hosts, guarded public names."""

import subprocess
import sys

import pytest

import refund_xl

CORE = ["_core.vocab", "_core.fields", "_core.settings", "_core.rules", "_core.engine", "_core.replies",
        "_core.errors", "_core.render", "_core.presets", "_core.report", "_core.context", "_core.ranges",
        "_app.book", "_app.batch", "_app.batch.columns", "_app.batch.merge", "_app.batch.sheets",
        "_app.batch.layout", "_app.table", "_app.outputs", "_app.fill", "_app.intake",
        "_app.track", "_app.track_run", "_app.reference", "_template.runtime",
        # the courier client does network I/O, but loads no spreadsheet library
        "_courier", "_courier.protocol", "_courier.client", "_courier.account", "_courier.transport"]
HOST_LIBRARIES = ["xlwings", "openpyxl", "xlsxwriter", "python_calamine", "pandas"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_host_library(module):
    # a fresh interpreter, so nothing else has loaded the libraries
    code = (f"import importlib, sys; importlib.import_module('refund_xl.{module}'); "
            f"print(','.join(m for m in {HOST_LIBRARIES!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"refund_xl.{module} pulls in {out.stdout.strip()}"


def test_public_names_exist_and_nothing_else_is_promised():
    for name in refund_xl.__all__:
        assert hasattr(refund_xl, name), name
    assert set(refund_xl.__all__) >= {"evaluate", "Settings", "RefundXLError", "SettingsError"}


def test_every_product_error_is_a_refund_xl_error():
    for name in ("SettingsError", "ColumnsError", "InputFileError", "OutputFileError", "BusyError"):
        assert issubclass(getattr(refund_xl, name), refund_xl.RefundXLError)
