"""What a cell's number format shows: text, a date, a date with a time of day.

Pure text logic over Excel's number-format codes, shared by the file readers and writer
(:mod:`refund_xl._files`) and the Excel host (:mod:`refund_xl._excel`), which reads a column's
format through xlwings.
"""

from __future__ import annotations

import re

__all__ = ["format_shows", "format_shows_time"]


# Excel's built-in number formats that show a date or a time (zh-CN included), and the text format
_DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_TEXT_FORMAT_ID = 49
_DATE_CODE = re.compile(r"[ymdhs]", re.IGNORECASE)
_NOT_CODE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')  # quoted text, escapes, [Red]/[$-804], padding
# … of them, those that show a time of day (h:mm, 上午/下午h"时"mm"分"; a minute is never shown without an hour or a second)
_TIME_FORMAT_IDS = frozenset({*range(18, 23), *range(32, 36), *range(45, 48), 55, 56})
_TIME_CODE = re.compile(r"[hs]|am/pm|a/p|上午/下午", re.IGNORECASE)


def format_shows(num_fmt_id: int, code: str | None) -> str | None:
    """What a number format shows: "text" (@), "date" (a date or a time), or None (General, numbers) — the one test
    the reader (a date cell's serial read as a date) and the writer (a time written in the cell's own form) share.
    ``code``: the workbook's own format code for the id, if it defines one."""
    if num_fmt_id == _TEXT_FORMAT_ID or (code is not None and code.strip() == "@"):
        return "text"
    if num_fmt_id in _DATE_FORMAT_IDS or (code is not None and code.lower() != "general"
                                          and _DATE_CODE.search(_NOT_CODE.sub("", code))):
        return "date"
    return None


def format_shows_time(num_fmt_id: int, code: str | None) -> bool:
    """Whether a date format (:func:`format_shows` "date") shows a time of day too: a cell of it at 00:00 shows
    that 00:00 (2025/6/8 0:00), a moment; a date format without one shows a day only (2025/6/8), the whole day."""
    if code is None:  # a built-in format
        return num_fmt_id in _TIME_FORMAT_IDS
    return bool(_TIME_CODE.search(_NOT_CODE.sub("", code)))
