"""The daily batch (contract §6): interception register, reply scripts, overview, run log.

Shared by both hosts through :func:`refund_xl._app.book.run_batch`.  In four parts:

* :mod:`.columns` — the output sheets' names and columns, the words written in them;
* :mod:`.sheets` — what goes in each sheet (:func:`run`, :class:`BatchResult`);
* :mod:`.merge` — staff cells kept: earlier runs merged by case, whose sheet is whose,
  only changed cells written, 拦截状态 typed in 拦截登记 fed to the next run;
* :mod:`.layout` — how each sheet is laid out (:class:`SheetSpec`, :func:`sheet_specs`);
* :mod:`.loop` — closing the loop: 理赔登记 and 钱货两空核查.
"""

from refund_xl._app.batch.columns import AUDIT, AUDIT_COLS, CLAIM_COLS, CLAIMS, COURIER_COLS, COURIER_LIST, FLAGS, LOG, LOG_COLS, MERGED_SHEETS, METHODS, OUTPUT_SHEETS, OVERVIEW, PARTS, READING, REGISTER, REGISTER_COLS, REPLIES, REPLY_COLS, RUN_NAMES, settings_text
from refund_xl._app.batch.layout import ChartSpec, SheetSpec, log_spec, sheet_specs, widths_of
from refund_xl._app.batch.merge import changed_blocks, is_ours, output_name, same_value
from refund_xl._app.batch.sheets import OVERVIEW_LIST_CAP, BatchResult, log_lines, run, run_table

__all__ = [
    "CLAIMS", "AUDIT", "CLAIM_COLS", "AUDIT_COLS",
    "REGISTER", "COURIER_LIST", "REPLIES", "OVERVIEW", "LOG", "READING", "OUTPUT_SHEETS", "MERGED_SHEETS",
    "PARTS", "RUN_NAMES", "METHODS", "FLAGS", "REGISTER_COLS", "REPLY_COLS", "COURIER_COLS", "LOG_COLS",
    "BatchResult", "ChartSpec", "run", "run_table", "settings_text", "is_ours", "output_name", "same_value",
    "changed_blocks", "OVERVIEW_LIST_CAP", "SheetSpec", "sheet_specs", "widths_of", "log_lines", "log_spec",
]
