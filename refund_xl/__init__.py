"""refund_xl · 售后退款助手.

The after-sales SOP for the three refund types, as Excel formula functions,
ribbon batches and a command line.  The public names below are the
supported Python API; everything else may change.

Layers (a pure core and two thin hosts)::

    vocab, fields, settings, rules, engine, replies, batch   pure core: no xlwings, no files
    udfs, macros                                             live Excel host (xlwings)
    files, workbook, cli                                     file host (the command line)
"""

from __future__ import annotations

from .engine import RowResult, evaluate
from .errors import (
    BusyError,
    ColumnsError,
    InputFileError,
    OutputFileError,
    RefundXLError,
    SettingsError,
)
from .settings import SETTINGS, Settings

__version__ = "0.1.0"

__all__ = [
    "evaluate",
    "RowResult",
    "Settings",
    "SETTINGS",
    "RefundXLError",
    "SettingsError",
    "ColumnsError",
    "InputFileError",
    "OutputFileError",
    "BusyError",
    "__version__",
]
