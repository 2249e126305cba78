"""The product's two languages: every user-facing text is a (中文, English) pair, chosen here.

Chinese first (the default); English where the 设置 sheet's 语言 says so (contract §3).  A pair is
written as a tuple ``("中文", "English")`` — in a table of labels, a column's names, a sentence —
and shown with :func:`pick`; a table of pairs split by language is indexed with :func:`lang`.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

__all__ = ["ZH", "EN", "LIST_SEP", "CLAUSE_SEP", "COLON", "lang", "pick"]

ZH, EN = 0, 1

LIST_SEP = ("、", ", ")  # between the items of a list in a sentence
CLAUSE_SEP = ("；", "; ")  # between the clauses of a line
COLON = ("：", ": ")  # after a label: 订单号 A1：拦截成功

T = TypeVar("T")


def lang(english: bool) -> int:
    """The index of the language in a (中文, English) pair."""
    return EN if english else ZH


def pick(pair: Sequence[T], english: bool) -> T:
    """The text of ``pair`` (中文, English) in the run's language."""
    return pair[EN if english else ZH]
