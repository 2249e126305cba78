"""The ``xlwings.conf`` sheet: the xlwings settings the workbook carries.

xlwings reads a sheet named ``xlwings.conf`` (keys in column A from A1 down to
the first blank row, values in B).  The template leaves the interpreter empty
(its Python is not known); ``refund-xl setup`` fills ``Interpreter_Win`` /
``Interpreter_Mac`` for one PC.  Our notes go in column C and below the block.
"""

from __future__ import annotations

from refund_xl._template.layout import UDF_MODULE

__all__ = ["CONF_ENTRIES", "conf_rows", "write_conf"]

# (key, value, note): the block xlwings reads, in order, with no blank row.
CONF_ENTRIES: tuple[tuple[str, object, str], ...] = (
    ("Interpreter_Win", None, "必填（Windows）：python.exe 的完整路径，例如 C:\\Users\\你的用户名\\AppData\\Local\\Programs\\Python\\Python311\\pythonw.exe。留空 = 用 PATH 里的 pythonw"),
    ("Interpreter_Mac", None, "Mac：python 的完整路径，例如 /usr/local/bin/python3。留空 = 用 PATH 里的 python"),
    ("PYTHONPATH", None, "一般留空"),
    ("Conda Path", None, "用 Anaconda 时填安装目录，否则留空"),
    ("Conda Env", None, "用 Anaconda 时填环境名，否则留空"),
    ("UDF Modules", UDF_MODULE, "公式函数所在的 Python 模块，不要改"),
    ("Debug UDFs", False, "不要改"),
    ("Use UDF Server", False, "不要改"),
    ("Show Console", False, "出问题时可改成 TRUE，查看 Python 报错窗口"),
    ("ADD_WORKBOOK_TO_PYTHONPATH", False,
     "不要改：FALSE = 不把工作簿所在文件夹加进 Python 路径（放在 OneDrive/SharePoint 上也能用）"),
)

NOTES_ROW = len(CONF_ENTRIES) + 2
NOTES = (
    "这张表是 xlwings 的设置（表名必须是 xlwings.conf，设置从 A1 开始，中间不能有空行）。",
    "第一次使用：在命令提示符运行 refund-xl setup，它生成的工作簿已在 B1 填好这台电脑的 Python（见 docs/setup-windows.md）。",
    "删掉某一行 = 改用 xlwings 配置文件（用户目录 .xlwings/xlwings.conf）里的值。",
)


def conf_rows(interpreter: dict[str, str] | None = None) -> list[tuple[str, object]]:
    """The (key, value) block xlwings reads, with ``interpreter`` ({"Interpreter_Win": path} …) filled in."""
    return [(key, (interpreter or {}).get(key, value)) for key, value, _note in CONF_ENTRIES]


def write_conf(ws, interpreter: dict[str, str] | None = None) -> None:
    """Replace the quickstart's ``_xlwings.conf`` content with ours."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.delete_rows(1, ws.max_row)
    editable = PatternFill("solid", fgColor="FFF2CC")
    for i, ((key, value), (_k, _v, note)) in enumerate(zip(conf_rows(interpreter), CONF_ENTRIES), start=1):
        ws[f"A{i}"] = key
        ws[f"B{i}"] = value
        ws[f"C{i}"] = note
        if key.startswith("Interpreter"):
            ws[f"B{i}"].fill = editable
    ws[f"A{NOTES_ROW}"] = "说明"
    ws[f"A{NOTES_ROW}"].font = Font(bold=True)
    for i, text in enumerate(NOTES, start=NOTES_ROW + 1):
        ws[f"A{i}"] = text
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 100
    for row in ws.iter_rows(min_row=1, max_row=len(CONF_ENTRIES), min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=False)
