"""Every command's `-h` reads in Chinese (issue 20): a description of what it does, Chinese
placeholders (工作簿, 时间 … not BOOK, NOW), a help line for every option, no argparse English,
and columns that line up on a terminal where a Chinese character is two columns wide."""

from __future__ import annotations

import argparse
import re
import unicodedata

import pytest

from refund_xl import cli
from refund_xl._files import zh_argparse

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = cli._parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


COMMANDS = sorted(_subparsers())


def test_the_command_list_is_complete():
    assert {"demo", "evaluate", "batch", "import", "track", "fill", "template", "setup", "doctor"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_describes_itself_in_chinese(name):
    sp = _subparsers()[name]
    assert sp.description and _CJK.search(sp.description), f"`refund-xl {name} -h` has no Chinese description"
    for action in sp._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        label = "/".join(action.option_strings) or action.dest
        assert action.help and _CJK.search(action.help), f"{name} {label}: no Chinese help line"
        takes_value = action.nargs != 0 and not isinstance(action, (argparse._StoreTrueAction,
                                                                     argparse._StoreFalseAction))
        if takes_value:
            assert action.metavar and _CJK.search(str(action.metavar)), \
                f"{name} {label}: the placeholder is {action.metavar or action.dest.upper()!r}, not Chinese"


@pytest.mark.parametrize("name", COMMANDS)
def test_help_text_has_no_argparse_english(name, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main([name, "-h"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for english in ("usage:", "positional arguments", "options:", "optional arguments", "show this help"):
        assert english not in out, (name, english)
    assert not re.search(r"(?m)^(参数|选项):$", out), "a section title ends in an ASCII colon"
    # an English placeholder is a whole upper-case word in the usage line (BOOK, NOW, INPUT)
    usage = out.split("\n\n")[0]
    assert not re.search(r"\b[A-Z]{3,}\b", usage), usage


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@pytest.mark.parametrize("name", COMMANDS)
def test_help_lines_up_and_fits_the_terminal(name, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        cli.main([name, "-h"])
    out = capsys.readouterr().out
    options = out[out.index("选项："):]
    starts = set()
    for line in options.splitlines()[1:]:
        m = re.match(r"^(  \S.*?)\s{2,}(\S.*)$", line)
        if m:   # an option line: where its help starts, counted in terminal columns
            starts.add(_columns(line[:line.index(m.group(2))]))
    assert len(starts) <= 1, f"help columns start at {sorted(starts)} (they must line up)"
    for line in out.splitlines():
        assert _columns(line) <= 80, line


def test_wrapping_never_splits_a_word_nor_starts_a_line_with_a_closing_mark():
    text = "把结果写在右侧：WPS、LibreOffice、Mac 上看到的就和 Windows Excel 的公式列一样（先备份）。" * 3
    lines = zh_argparse._wrap(text, 30)
    assert all(zh_argparse._width(ln) <= 31 for ln in lines)
    assert "LibreOffice" in "\n".join(lines) and not any(ln[0] in "，。）：、" for ln in lines)
