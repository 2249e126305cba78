"""argparse that speaks Chinese: usage, section titles, -h/--version help and error lines.

Python's argparse writes its own words in English (``usage:``, ``the following
arguments are required``).  :class:`ChineseArgumentParser` replaces them
without touching argparse's module state (other code in the same process keeps
English), and an error is **one line** on stderr with exit code 2, as every
other error of the command line (contract §7).
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from typing import NoReturn

__all__ = ["ChineseArgumentParser", "translate_error"]

# argparse's error texts (3.10–3.13) → Chinese.  Anything not listed stays as argparse wrote it.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^the following arguments are required: (.+)$", r"缺少参数：\1"),
    (r"^unrecognized arguments: (.+)$", r"无法识别的参数：\1"),
    (r"^argument (\S+): invalid choice: '?(.+?)'? \(choose from (.+)\)$", r"\1 不能是「\2」，可选：\3"),
    (r"^argument (\S+): expected one argument$", r"\1 后面需要一个值"),
    (r"^argument (\S+): expected at least one argument$", r"\1 后面至少需要一个值"),
    (r"^argument (\S+): expected (\d+) arguments?$", r"\1 后面需要 \2 个值"),
    (r"^argument (\S+): ignored explicit argument '(.+)'$", r"\1 不接受值「\2」"),
    (r"^argument (\S+): not allowed with argument (\S+)$", r"\1 不能和 \2 同时使用"),
    (r"^ambiguous option: (\S+) could match (.+)$", r"选项 \1 不明确，可能是：\2"),
    (r"^argument (\S+): invalid (\S+) value: '(.+)'$", r"\1 的值「\3」无效"),
    (r"^one of the arguments (.+) is required$", r"需要以下参数之一：\1"),
    (r"^argument (\S+): ([^\x00-\x7f].*)$", r"\1：\2"),  # a message of our own (a type=… check)
))

_COMMAND_WORDS = {"命令": "命令（demo / evaluate / batch / template …）"}


def translate_error(message: str) -> str:
    for pattern, repl in _ERRORS:
        if pattern.match(message):
            text = pattern.sub(repl, message)
            for word, shown in _COMMAND_WORDS.items():
                text = text.replace(f"缺少参数：{word}", f"缺少{shown}")
            return text
    return message


def _width(text: str) -> int:
    """Columns a text takes in a terminal: a CJK (wide) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_NO_LINE_START = set("，。、；：！？）」』】》…,.;:!?)")


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns; breaks at a space or between CJK characters, never inside
    a run of Latin letters or digits (a command, a file name, a number)."""
    tokens = re.findall(r"[A-Za-z0-9_./\\:=+-]+|\s+|.", " ".join(text.split()))
    lines: list[str] = []
    line = ""
    for tok in tokens:
        # a closing mark (，。）」…) stays at the end of its line rather than starting the next
        if line and _width(line + tok) > width and not tok.isspace() and tok not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = ""
        if tok.isspace() and not line:
            continue
        line += tok
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


class _ChineseFormatter(argparse.HelpFormatter):
    """argparse's formatter measuring text in terminal columns (a Chinese character is two wide)."""

    def _format_usage(self, usage, actions, groups, prefix):
        prefix = "用法：" if prefix is None else prefix
        text = super()._format_usage(usage, actions, groups, prefix)
        head = f"{prefix}{self._prog} "
        if not text.startswith(head):
            return text
        # argparse wraps the usage counting characters; wrap it again in terminal columns
        words = re.findall(r"\[[^\[\]]*\]|--?\w[\w-]* (?![\[-])\S+|\S+", text[len(head):])
        indent = " " * _width(head)
        lines, line = [], head
        for word in words:
            if line not in (head, indent) and _width(line + word) > self._width:
                lines.append(line.rstrip())
                line = indent
            line += word + " "
        lines.append(line.rstrip())
        return "\n".join(lines) + "\n\n"

    def add_argument(self, action):
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            shown = _width(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, shown)

    def _format_action(self, action):
        text = super()._format_action(action)
        invocation = self._format_action_invocation(action)
        first, nl, rest = text.partition("\n")
        lead = " " * self._current_indent + invocation
        if first.startswith(lead) and first[len(lead):].startswith("  ") and first[len(lead):].strip():
            help_at = min(self._action_max_length + 2, self._max_help_position)
            pad = max(2, help_at - _width(lead))
            first = lead + " " * pad + first[len(lead):].lstrip()
        return first + nl + rest

    def _split_lines(self, text, width):
        return _wrap(text, width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in _wrap(text, width - len(indent)))


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are in Chinese; sub-parsers inherit it."""

    def __init__(self, *args, version: str | None = None, **kwargs):
        kwargs.setdefault("formatter_class", _ChineseFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")
        if version:
            self.add_argument("--version", action="version", version=version, help="显示版本号并退出")

    def format_help(self) -> str:
        # argparse ends a section title with an ASCII colon: 参数: → 参数：
        text = super().format_help()
        for title in (self._positionals.title, self._optionals.title):
            if title is None:
                continue
            text = re.sub(rf"(?m)^{re.escape(title)}:$", f"{title}：", text)
        return text

    def error(self, message: str) -> NoReturn:
        hint = f"（用 {self.prog} -h 查看用法）"
        self.exit(2, f"{self.prog}：{translate_error(message)}{hint}\n")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        sys.exit(status)
