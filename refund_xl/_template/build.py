"""The build, in order: workbook (openpyxl) → VBA (pyopenvba) → zip pass.

Each step is a module of this package; see the package docstring.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from refund_xl._template.base import write_workbook
from refund_xl._template.layout import DEFAULT_OUT, SAMPLE_NOW, SHEET_TRACKING
from refund_xl._template.package import add_dynamic_array_metadata, fix_properties, patch_result_block, read_parts, sheet_part, write_parts
from refund_xl._template.ribbon import add_ribbon
from refund_xl._template.sample import cached_results
from refund_xl._template.vba import add_vba

__all__ = ["build"]


def build(out_path: str | Path = DEFAULT_OUT, interpreter: dict[str, str] | None = None,
          calc_on_open: bool = False) -> Path:
    """Build the template at ``out_path`` and return its path.

    ``interpreter`` ({"Interpreter_Win": path} and/or {"Interpreter_Mac": path})
    fills the xlwings.conf sheet, and ``calc_on_open`` makes Excel recalculate
    when the book opens (so the time columns are never yesterday's): both for
    the ready workbook ``refund-xl setup`` writes for one PC, never for the
    template itself (its Python is not known).
    """
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    cached = cached_results(SAMPLE_NOW)
    # staged beside ``out`` (a full or read-only disk fails here, before anything is left), removed after
    with tempfile.TemporaryDirectory(prefix=f".~refund-xl.{os.getpid()}.{out.name}.", dir=out.parent) as tmp:
        stage = Path(tmp) / "stage.xlsm"
        write_workbook(stage, interpreter or {}, calc_on_open)
        add_vba(stage)
        # Last: saving through openpyxl would drop what follows.
        parts = read_parts(stage)
        sheet = sheet_part(parts, SHEET_TRACKING)
        parts[sheet] = patch_result_block(parts[sheet].decode("utf-8"), cached).encode("utf-8")
        add_dynamic_array_metadata(parts)
        fix_properties(parts)
        add_ribbon(parts)
        write_parts(parts, out)
    return out
