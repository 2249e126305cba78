"""refund_xl · 售后退款助手.

The after-sales SOP for the three refund types, as Excel formula functions,
ribbon batches and a command line.

The public surface (tests/test_public_surface.py holds it)::

    refund_xl         evaluate, Settings, the exception tree, __version__
    refund_xl.udfs    the formula functions (xlwings.conf: UDF Modules)
    refund_xl.macros  the ribbon's macros (the template's RunPython calls)
    refund_xl.cli     the `refund-xl` command
    refund_xl.frame   evaluate_frame for pandas

Everything else is private, in layer folders that import only downwards::

    _core      the SOP core: vocab, fields, presets, settings, rules, engine, render, context …
    _app       the application layer: book (run_batch), batch/, table, fill, intake, track
    _files     the file host: safe writes, xlsxpatch, the file batch, import, track, fill
    _excel     the Excel host: ExcelBook over xlwings, setup / doctor
    _template  the builder of workbook_template.xlsm and its pinned VBA runtime

docs/map.md is the one-page map.
"""

from __future__ import annotations

from refund_xl._core.engine import RowResult, evaluate
from refund_xl._core.errors import (BusyError, ColumnsError, ContextError, InputFileError, OutputFileError,
                                    RefundXLError, SettingsError)
from refund_xl._core.settings import SETTINGS, Settings

__version__ = "0.1.0"

__all__ = [
    "evaluate",
    "RowResult",
    "Settings",
    "SETTINGS",
    "RefundXLError",
    "ContextError",
    "SettingsError",
    "ColumnsError",
    "InputFileError",
    "OutputFileError",
    "BusyError",
    "__version__",
]
