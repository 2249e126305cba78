"""The exception tree of refund_xl.

Every error a user can meet carries a short message in Chinese (``str(exc)``)
that says what to fix; hosts show that line and never a traceback.

    RefundXLError            base: anything the product reports to a user
    ├── ContextError         a run's context cannot be built: an unreadable 基准时间 (--now,
    │   │                    a formula's now), a bad table given for settings/mappings
    │   └── SettingsError    a bad value in the 设置 table (names the cell and rule)
    ├── ColumnsError         the tracking sheet lacks a required column
    ├── InputFileError       a file cannot be read: missing, locked, corrupt, no sheet
    │   └── DamagedFileError a workbook whose bytes are damaged (a zip entry fails its CRC or
    │                        header check): a multi-file import skips it, every command says so
    ├── OutputFileError      a file cannot be written (the original is left intact)
    └── BusyError            another batch is running on the same workbook

Row-level problems are not exceptions: a bad row gets its own short cell
message (see ``refund_xl._core.engine``) and never stops the other rows.
"""

from __future__ import annotations

import errno

__all__ = [
    "RefundXLError",
    "ContextError",
    "SettingsError",
    "ColumnsError",
    "InputFileError",
    "DamagedFileError",
    "OutputFileError",
    "BusyError",
    "reason_of",
    "os_reason",
]


_OS_REASONS = {errno.ENOSPC: "磁盘已满", getattr(errno, "EDQUOT", -1): "磁盘配额已满", errno.EROFS: "所在磁盘是只读的",
               errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.ENOTDIR: "路径中有一段不是文件夹",
               errno.EISDIR: "这是一个文件夹", errno.ENAMETOOLONG: "路径太长", errno.ENOENT: "文件夹不存在",
               errno.EEXIST: "已存在同名文件"}


def os_reason(exc: OSError) -> str:
    """An OSError in a few Chinese words for a one-line message (its errno's meaning; the system's own
    text for an errno not listed)."""
    return _OS_REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def clip(value: object, width: int = 16) -> str:
    """A value quoted in a one-line message: one line, at most ``width`` chars."""
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[:width - 1] + "…"


class RefundXLError(Exception):
    """Base class: ``str(exc)`` is a one-line Chinese message for the user."""


class ContextError(RefundXLError, ValueError):
    """What a run needs besides the rows (settings, mappings, templates, 基准时间) is unusable.

    Also a ValueError: a formula shows it in its cells like any bad argument.
    """


class SettingsError(ContextError):
    """A setting has a value that breaks its rule.

    ``key`` is the setting key (e.g. ``high_value``), ``cell`` where it was read
    (e.g. ``设置!C3``) and ``rule`` the rule in words.
    """

    def __init__(self, key: str, cell: str, rule: str, value: object = None):
        self.key, self.cell, self.rule, self.value = key, cell, rule, value
        if isinstance(value, float) and value.is_integer():  # as the cell shows it: -48, not -48.0
            value = int(value)
        shown = "" if value is None else f"，现为「{clip(value)}」"
        named = "" if key in (WHOLE_RANGE, UNKNOWN_ROW) else f"（{key}）"  # (no setting of its own to name)
        super().__init__(f"设置错误 {cell}{named}：{rule}{shown}")


WHOLE_RANGE = "settings"  # SettingsError's key for the 设置 range as a whole (one of the wrong shape)
UNKNOWN_ROW = "unknown"  # SettingsError's key for a row holding a value under a name no setting has


class ColumnsError(RefundXLError):
    """The tracking sheet lacks a column the product needs."""


class InputFileError(RefundXLError):
    """An input file cannot be used (missing, locked, corrupt, wrong kind)."""


class DamagedFileError(InputFileError):
    """A workbook whose bytes are damaged (a zip entry that fails its CRC or header check).

    ``part`` names the damaged entry.  Nothing is written into such a file; a
    command that reads several files (``import``) can skip it and go on.
    """

    def __init__(self, message: str, part: str = ""):
        super().__init__(message)
        self.part = part


class OutputFileError(RefundXLError):
    """An output file cannot be written; the original is left untouched."""


class BusyError(RefundXLError):
    """Another batch holds the lock on the same workbook."""


# Why a library or the system failed, in words a desk reads (never an English class name such
# as BadZipFile or ConnectionRefusedError).  Matched by class name along the exception's MRO, so
# the core imports nothing; the first match wins, most specific first.
_REASONS = (
    (("BadZipFile", "BadZipfile"), "不是有效的 Excel 工作簿（文件可能已损坏、没有下载完，或是改了扩展名的其他文件）"),
    (("LargeZipFile",), "文件太大，无法读取"),
    (("EOFError",), "文件不完整（可能没有下载或复制完）"),
    (("ExpatError", "ParseError", "XMLSyntaxError"), "工作簿内部的数据已损坏"),
    (("UnicodeDecodeError", "UnicodeError"), "文字编码无法识别（CSV 请存为 UTF-8 或 GBK）"),
    (("ConnectionRefusedError",), "对方拒绝连接（网址或端口不对，或对方服务没有运行）"),
    (("ConnectionResetError", "ConnectionAbortedError", "BrokenPipeError"), "连接被对方断开"),
    (("TimeoutError", "timeout"), "连接超时"),
    (("gaierror",), "找不到这个网址（请检查网络和网址）"),
    (("SSLCertVerificationError",), "对方的安全证书无法验证"),
    (("SSLError",), "安全连接（HTTPS）失败"),
    (("PermissionError",), "没有权限（文件被占用，或没有读写这个位置的权限）"),
    (("FileNotFoundError",), "找不到文件"),
    (("IsADirectoryError",), "这是一个文件夹，不是文件"),
    (("NotADirectoryError",), "路径中有一段不是文件夹"),
    (("MemoryError",), "内存不足"),
)
_ERRNO = {28: "磁盘已满", 122: "超出磁盘配额", 30: "位置是只读的", 36: "文件名太长",
          101: "网络不通", 113: "网络不通", 111: "对方拒绝连接（网址或端口不对，或对方服务没有运行）"}


def reason_of(exc: BaseException, default: str = "原因不明") -> str:
    """Why ``exc`` happened, as a short Chinese phrase (``default`` when it names nothing a desk can act on)."""
    names = {c.__name__ for c in type(exc).__mro__}
    for keys, text in _REASONS:
        if names & set(keys):
            return text
    errno = getattr(exc, "errno", None)
    if isinstance(errno, int) and errno in _ERRNO:
        return _ERRNO[errno]
    return default
