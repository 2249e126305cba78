"""`refund-xl setup` and `refund-xl doctor`: Excel on this PC (contract §7, §8).

``setup`` writes a ready workbook: the template, built here from the package's
sources on top of the INSTALLED xlwings' standalone workbook (so its VBA
runtime is always the installed xlwings' — the pin makes that the runtime the
tests check), with THIS interpreter in its xlwings.conf sheet and
recalculation on open.  Made locally, it carries no "downloaded from the
internet" mark, so Excel does not block its macros.

``doctor`` checks this PC and prints what to fix, in Chinese.
"""

from __future__ import annotations

import os
import re
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from refund_xl._core.errors import InputFileError, OutputFileError, os_reason, reason_of
from refund_xl._template.runtime import XLWINGS_PIN, dll_name, pip_command

__all__ = ["default_book", "interpreter_for_conf", "setup_book", "Check", "doctor", "conf_of", "format_checks",
           "folder_in_the_way"]

BOOK_NAME = "售后助手.xlsm"


def documents_folder() -> Path:
    """The user's Documents folder (Windows: the shell's folder, which OneDrive may have moved)."""
    if sys.platform == "win32":
        try:
            import ctypes
            from ctypes import wintypes

            buf = ctypes.create_unicode_buffer(wintypes.MAX_PATH)
            if ctypes.windll.shell32.SHGetFolderPathW(None, 5, None, 0, buf) == 0:  # CSIDL_PERSONAL
                return Path(buf.value)
        except Exception:  # pragma: no cover - Windows only
            pass
    return Path.home() / "Documents"


def default_book() -> Path:
    return documents_folder() / BOOK_NAME


def interpreter_for_conf() -> dict[str, str]:
    """The xlwings.conf entries naming THIS interpreter (pythonw.exe on Windows: no console window)."""
    exe = Path(sys.executable)
    if sys.platform == "win32":
        w = exe.with_name("pythonw.exe")
        return {"Interpreter_Win": str(w if w.is_file() else exe)}
    if sys.platform == "darwin":
        return {"Interpreter_Mac": str(exe)}
    # Linux has no Excel; the conf still names this interpreter (a workbook copied to a
    # Windows PC must be set up there again).
    return {"Interpreter_Win": str(exe)}


def setup_book(path: str | os.PathLike | None = None) -> Path:
    """Write the ready workbook; never replaces an existing file."""
    from refund_xl._template import build

    target = Path(path) if path else default_book()
    if target.suffix.lower() != ".xlsm":
        raise InputFileError(f"工作簿要用 .xlsm 结尾（含宏）：{target}")
    folder_in_the_way(target)
    if target.exists() or target.is_symlink():
        raise InputFileError(f"{target} 已存在，没有覆盖。换一个 --book 路径，或先把旧文件改名")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        build(target, interpreter=interpreter_for_conf(), calc_on_open=True)
    except OSError as exc:  # read-only, full, no permission …: one line; build leaves nothing behind
        raise OutputFileError(f"无法写入 {target}：{os_reason(exc)}（换一个 --book 路径，或腾出空间后再试）") from None
    return target


def folder_in_the_way(target: Path) -> None:
    """A file where a folder of ``target``'s path should be: one line naming it (setup and template)."""
    for parent in [target.parent, *target.parent.parents]:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                raise OutputFileError(f"无法写入 {target}：{parent} 是一个文件，不是文件夹")
            return


# ------------------------------------------------------------------ doctor

@dataclass
class Check:
    name: str
    ok: bool | None          # None = not applicable / information
    detail: str
    fix: str = ""


def conf_of(book: str | os.PathLike) -> dict[str, object]:
    """The xlwings.conf sheet of a workbook as xlwings reads it (A1 down to the first blank; keys upper-cased)."""
    import openpyxl

    wb = openpyxl.load_workbook(book, read_only=True, keep_vba=False)
    try:
        if "xlwings.conf" not in wb.sheetnames:
            return {}
        conf: dict[str, object] = {}
        for key, value, *_ in wb["xlwings.conf"].iter_rows(min_col=1, max_col=2, values_only=True):
            if key in (None, ""):
                break
            conf[str(key).upper()] = value
        return conf
    finally:
        wb.close()


_ONEDRIVE_ENV = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")


def _parts(path: object) -> list[str]:
    """A path's folder names, lower-cased, whichever separator it was written with."""
    return [p for p in re.split(r"[\\/]+", str(path).strip().lower()) if p]


def _onedrive(path: Path) -> bool:
    """Is ``path`` inside a OneDrive / SharePoint synced folder (or a SharePoint address)?

    A folder named ``OneDrive`` or ``OneDrive - <organisation>`` (how the OneDrive client names
    its roots), or a folder under one of the roots the client announces in the environment
    (``OneDrive``, ``OneDriveCommercial``, ``OneDriveConsumer``).  Never a substring of some
    other name: ``D:\\备份\\not_onedrive`` or ``OneDriveBackup`` are not OneDrive.
    """
    text = str(path).strip().lower()
    if text.startswith(("http://", "https://")):
        return "sharepoint.com" in text or "onedrive" in text
    parts = _parts(path)
    folders = parts[:-1]
    if any(f == "onedrive" or re.fullmatch(r"onedrive\s*-\s*.+", f) for f in folders):
        return True
    for key in _ONEDRIVE_ENV:
        root = _parts(os.environ.get(key, ""))
        if root and len(parts) > len(root) and parts[:len(root)] == root:
            return True
    return False


def doctor(book: str | os.PathLike | None = None) -> list[Check]:
    checks: list[Check] = []
    bits = struct.calcsize("P") * 8
    checks.append(Check("Python 位数", bits == 64, f"{bits} 位 Python {sys.version.split()[0]}（{sys.executable}）",
                        "" if bits == 64 else "请安装 python.org 的 64 位 Python（Windows installer (64-bit)），"
                                              "再装一次 refund_xl；xlwings 只给 64 位 Office 配 64 位的 DLL"))
    try:
        import xlwings
        version = xlwings.__version__
    except ImportError:
        version = None
    checks.append(Check("xlwings 版本", version == XLWINGS_PIN,
                        f"已安装 {version or '（没有安装）'}，工作簿需要 {XLWINGS_PIN}",
                        "" if version == XLWINGS_PIN else f"请运行：{pip_command(sys.executable)}"))
    if sys.platform == "win32":
        dll = dll_name(64)
        places = [Path(sys.executable).parent, Path(sys.executable).parent.parent, Path(sys.prefix)]
        found = next((p / dll for p in places if (p / dll).is_file()), None)
        checks.append(Check("xlwings DLL", found is not None,
                            f"{found}" if found else f"在 {places[0]} 旁边找不到 {dll}",
                            "" if found else f"请运行：{pip_command(sys.executable)}（会装好 {dll}）"))
    else:
        checks.append(Check("公式函数", None,
                            f"这台电脑是 {sys.platform}：公式函数（REFUND_TABLE 等）只能在 Windows 的 Excel 里运行",
                            "在这台电脑上用命令行：refund-xl fill 工作簿（把判定结果写成数值）、refund-xl batch"))
    target = Path(book) if book else default_book()
    if not target.exists():
        checks.append(Check("工作簿", None if book is None else False, f"{target} 不存在",
                            "运行 refund-xl setup 生成一个（或用 --book 指定路径）"))
        return checks
    try:
        conf = conf_of(target)
    except Exception as exc:
        checks.append(Check("工作簿", False, f"{target} 打不开：{reason_of(exc, '不是有效的 .xlsm 工作簿')}",
                            "确认它是 .xlsm 工作簿"))
        return checks
    if not conf:
        checks.append(Check("xlwings.conf", False, f"{target.name} 没有 xlwings.conf 表",
                            "用 refund-xl setup 重新生成工作簿"))
        return checks
    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    interp = str(conf.get(key) or "").strip()
    ours = interpreter_for_conf()
    expected = next(iter(ours.values()))
    same = bool(interp) and Path(interp).parent == Path(expected).parent
    checks.append(Check("工作簿里的 Python", same,
                        f"{target.name} 的 xlwings.conf 写的是「{interp or '（空）'}」",
                        "" if same else f"把 xlwings.conf 表 B1 改成 {expected}，或运行 refund-xl setup --book 新文件名"))
    add = conf.get("ADD_WORKBOOK_TO_PYTHONPATH")
    off = add is False or str(add).strip().lower() == "false"
    checks.append(Check("ADD_WORKBOOK_TO_PYTHONPATH", off, "关闭" if off else f"是「{add}」",
                        "" if off else "把 xlwings.conf 表里 ADD_WORKBOOK_TO_PYTHONPATH 改成 FALSE（放在 OneDrive 上时必须）"))
    cloud = _onedrive(target)
    checks.append(Check("云同步文件夹", not cloud,
                        (f"在 OneDrive/SharePoint 同步文件夹里：{target}" if cloud
                         else f"不在 OneDrive/SharePoint 同步文件夹里：{target}"),
                        "" if not cloud else "ADD_WORKBOOK_TO_PYTHONPATH 保持 FALSE；打不开或按钮报路径错误时，"
                                             "把工作簿放到不同步的本地文件夹（如 C:\\售后）"))
    return checks


def format_checks(checks: list[Check]) -> str:
    lines = []
    for c in checks:
        mark = "✔" if c.ok else ("✘" if c.ok is False else "·")
        lines.append(f"{mark} {c.name}：{c.detail}")
        if c.fix:
            lines.append(f"    → {c.fix}")
    bad = sum(c.ok is False for c in checks)
    lines.append("全部正常。" if not bad else f"有 {bad} 项需要处理（见 → 后的说明）。")
    return "\n".join(lines)
