"""The reading report (contract §2.2): how a run read the sheet, so a desk lead can fix it.

Which header fed which field (and how it was matched), which headers were not
used, two columns claiming one field, which fields fell back to their default
(no column) or were filled from another column, the platform export
recognised, and the unreadable values per field (count, up to three examples,
the accepted forms).  Pure: built from what :func:`refund_xl._core.engine.read_columns`
found; printed by the command line, written by the batch to 读取报告, shown by
the ribbon's 检查表头 button.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from refund_xl._core import rules
from refund_xl._core.fields import FIELD_BY_KEY, FIELDS, TIER_NAMES, question_words
from refund_xl._core.lang import pick
from refund_xl._core.vocab import BAD, NOTHING, Both, Either

__all__ = ["ReadingReport", "build", "SHEET", "ACCEPTED_DATES"]

SHEET = "读取报告"

ACCEPTED_DATES = ("Excel 日期、2025-06-03 10:00、2025/6/3 下午3点、2025年6月3日 10:00、20250603、6月8日 10:00、6月8号 10点、"
                  "06-08 10:00、6.8 10:00、2025-06-03T02:00:00Z（无年份：发生时间取不晚于基准时间的最近一次，超时时间取离基准时间最近的一次；"
                  "只有日期没有时刻按整天算）")
_ACCEPTED_MONEY = "59、59.9、¥1,299.00、59元、59块"
_ACCEPTED_ID = "文字或数字（长单号请设为文本格式）"

# Columns whose absence means "nothing of that kind": no tracking number, no interception time
# (rule 20 checks the interception), no carrier named.
_NOTHING_MEANS_NONE = frozenset({"tracking_no", "intercept_at"})

# The kinds of rows that are no case (engine.not_a_case), as the report names them.
_SKIPPED = {"totals": ("合计/小计行", "totals rows"), "notice": ("提示/说明行", "notice rows"),
            "section": ("分段标题行（日期或标题单独一行）", "section title rows (a date or a title alone)")}
_SKIPPED_EN = dict(_SKIPPED.values())

# Fields whose absence is worth a word: the decisions read them.
# (a time written down, rules.TIME_SAYS, fills another field where it is there: its absence says nothing)
_DECISION_FIELDS = tuple(f.key for f in FIELDS if f.key not in (
    "case_id", "carrier", "goods_name", "platform", "phone", "return_tracking_no", "return_carrier", *rules.TIME_SAYS))


def accepted(key: str) -> str:
    """The forms a field's cells may take, in words."""
    fld = FIELD_BY_KEY[key]
    if fld.choices:
        return "、".join(fld.choices)
    parse = getattr(fld.parse, "__name__", "")
    if "datetime" in parse:
        return ACCEPTED_DATES
    if "money" in parse:
        return _ACCEPTED_MONEY
    if "id" in parse:
        return _ACCEPTED_ID
    return "文字"


@dataclass
class ReadingReport:
    rows: int = 0
    sheet: str | None = None
    preset: str | None = None
    used: list[tuple[str, str, str]] = field(default_factory=list)  # (header, field header, how)
    unused: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    defaulted: list[tuple[str, object]] = field(default_factory=list)  # (field header, default)
    absent: list[str] = field(default_factory=list)  # decision fields with no column and no default
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (field header, a header that may be it)
    blocks: list[tuple[int, int]] = field(default_factory=list)  # (row of a repeated header row, fields it names)
    derived: list[tuple[str, int]] = field(default_factory=list)  # (field header, rows filled from another column)
    derived_from: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field header → the columns that filled it
    unreadable: list[tuple[str, int, list[str], str]] = field(default_factory=list)  # (field, count, examples, forms)
    # (field, rows, examples): two of its columns saying two words in one row (vocab.Both)
    split: list[tuple[str, int, list[str]]] = field(default_factory=list)
    # (field, rows, examples, the words they may be): a cell saying one of several words (vocab.Either)
    either: list[tuple[str, int, list[str], str]] = field(default_factory=list)
    basis: str | None = None  # the run's reference time and where it came from (context.Context.now_text)
    # where the header was found (fields.header_at): its row (1-based, the lower of two), rows it spans, lines above it
    header_row: int | None = None
    header_rows: int = 1
    above: int = 0
    grouped: tuple[str, ...] = ()  # group titles read with the sub-header under them (「物流+状态」)
    ungrouped: tuple[str, ...] = ()  # a title over a full field name not read with it (「退货+物流状态」)
    skipped: list[tuple[str, int]] = field(default_factory=list)  # (kind of row that is no case, rows)
    partial: list[tuple[str, int]] = field(default_factory=list)  # (field header, the repeated header row that has it)
    merged: int = 0  # cells merged down over rows, read in every row they span
    # the run's other tables: what they hold that nothing uses (a 话术模板 row under a mistyped code), in words
    notes: list[str] = field(default_factory=list)
    english: bool = False  # the 读取报告 sheet's titles and labels in English (设置 language, contract §3)
    # rows read through this report's header row, when further blocks (``parts``) have header rows of their own
    own_rows: int | None = None
    # (row of a repeated header row, the report of the rows read through it: its export, headers, missing columns)
    parts: list[tuple[int, "ReadingReport"]] = field(default_factory=list)

    @property
    def bad_cells(self) -> int:
        return sum(n for _f, n, _e, _a in self.unreadable)

    def lines(self, short: bool = True, hint: str | None = None) -> list[str]:
        """The report in words (中文); ``short``: the few lines a command prints; ``hint``: where the
        host's user finds the full report and the 值映射 (default: the workbook's sheets)."""
        out = []
        where = f"「{self.sheet}」" if self.sheet else ""
        head = f"读取报告{where}：{self.rows} 行"
        if self.preset:
            head += f"，识别为「{self.preset}」导出"
        if self.basis:
            head += f"；{self.basis}"
        out.append(head)
        where_header = self.where_header()
        if where_header:
            out.append("· " + where_header)
        if self.grouped:
            out.append("· 分组标题与其下的表头合起来读：" + "、".join(self.grouped))
        if self.ungrouped:
            out.append("· " + _LABELS["ungrouped"][0] + "：" + "、".join(self.ungrouped) + "；" + _ungrouped_do(self.ungrouped))
        if self.merged:
            out.append(f"· 合并单元格 {self.merged} 处：按 Excel 显示的，其值读入它跨过的每一行")
        if self.skipped:
            out.append("· 不是售后单的行（不判定、不计入行数）：" + "、".join(f"{kind} {n} 行" for kind, n in self.skipped))
        out += self._column_lines(short)
        parts = dict(self.parts)
        for at, n in self.blocks:
            part = parts.get(at)
            if part is None:
                out.append(f"· 第 {at} 行又是一行表头（另一份导出粘贴在下面）：其下各行按这一行的表头读取（{n} 列已识别）")
                continue
            found = f"，识别为「{part.preset}」导出" if part.preset else "，未识别为平台导出"
            out.append(f"· 第 {at} 行又是一行表头（另一份导出粘贴在下面）：其下 {part.rows} 行按这一行的表头读取"
                       f"（{n} 列已识别{found}）")
            out += ["  " + line for line in part._column_lines(short)]
        for fld, n, examples in self.split:
            out.append(f"· 「{fld}」两列说法不一致 {n} 行：" + "、".join(f"「{e}」" for e in examples)
                       + "（不按其中一列判定：需要时提示信息不足）")
        for fld, n, examples, words in self.either:
            out.append(f"· 「{fld}」说不清是哪一种 {n} 行：" + "、".join(f"「{e}」" for e in examples)
                       + f"（可能是{words}：结论不同时提示信息不足，钱货两空按有风险提示）")
        for fld, n, examples, forms in self.unreadable:
            line = f"· 无法识别「{fld}」{n} 处：" + "、".join(f"「{e}」" for e in examples)
            out.append(line if short else line + f"（可用：{forms}）")
        if short and self.unreadable:
            out.append(f"· （{hint or '可在「值映射」表里把自己的写法对应到标准值；完整说明见「读取报告」表'}）")
        out += [f"· {note}" for note in self.notes]
        return out

    def _column_lines(self, short: bool) -> list[str]:
        """What the header row gave: each header's field (``short``: not), unused and close headers, the missing
        columns and what stands in for them (the default, or unknown — and on how many rows another column said it)."""
        out = []
        if not short:
            for header, fld, how in self.used:
                out.append(f"· {header} → {fld}（{how}）")
        if self.unused:
            out.append("· 未使用的列：" + "、".join(self.unused))
        for fld, others in self.conflicts:
            out.append(f"· 多列对应「{fld}」：用了第一列（它空着的行读另一列），另有 " + "、".join(others) + "（请在「列名映射」中指定）")
        for fld, header in self.suggestions:
            out.append(f"· 「{header}」可能就是「{fld}」，但没有使用：如是，请在「列名映射」中对应（需要该列的行会提示）")
        defaulted, absent = self.missing()
        if defaulted:
            out.append("· 缺少的列（按无记录处理）：" + "、".join(
                f"{f}={d}" + (f"（{self._stand_in(f)}，其余 {rest} 行按{d}）" if rest else "") for f, d, rest in defaulted))
        if absent:
            out.append("· 缺少的列（需要时提示信息不足，不按正常处理）：" + "、".join(
                f + (f"（{self._stand_in(f)}，其余 {rest} 行不知道）" if rest else "") for f, rest in absent))
        if self.partial:
            out.append("· 只有下面那份表头有的列（其上方的行没有这一列）：" + "、".join(f"{f}（第 {at} 行起）"
                                                                          for f, at in self.partial))
        if self.derived:
            out.append("· 从其他列读出：" + "、".join(f"{f} {n} 行" + self._from(f) for f, n in self.derived))
        return out

    def missing(self) -> tuple[list[tuple[str, object, int]], list[tuple[str, int]]]:
        """The columns this header row lacks, as (field, default, rows that take the default) and (field, rows where
        it is unknown): the rows another column gave the field (``derived``) are not among them.  (0 rows: the
        field's default or unknown stands in on every row.)  A field another column gave on every row stands for
        no missing column: it is said under 从其他列读出 only."""
        rows = self.rows if self.own_rows is None else self.own_rows
        filled = dict(self.derived)

        def rest(f: str) -> int | None:
            n = filled.get(f, 0)
            return 0 if not n else rows - n if n < rows else None

        defaulted = [(f, d, r) for f, d in self.defaulted for r in (rest(f),) if r is not None]
        absent = [(f, r) for f in self.absent for r in (rest(f),) if r is not None]
        return defaulted, absent

    def _from(self, fld: str) -> str:
        """「售后类型」: the columns another column's words came from, as a note ("" when not known)."""
        headers = self.derived_from.get(fld, ())
        return "（" + "、".join(f"「{h}」" for h in headers) + "）" if headers else ""

    def _stand_in(self, fld: str) -> str:
        """What stood in for a missing column on some rows: 1 行从「售后类型」读出."""
        headers = self.derived_from.get(fld, ())
        where = "、".join(f"「{h}」" for h in headers) if headers else "其他列"
        return f"{dict(self.derived).get(fld, 0)} 行从{where}读出"

    def where_header(self) -> str:
        """Where the header row was found, when it is not the first row alone ("" then)."""
        if self.header_row is None or self.header_row == self.header_rows == 1:
            return ""
        first = self.header_row - self.header_rows + 1
        text = f"表头在第 {self.header_row} 行" if self.header_rows == 1 else \
            f"表头在第 {first}–{self.header_row} 行（两行表头合起来读）"
        if self.above:
            text += f"，上方 {self.above} 行标题/说明不是售后单"
        return text

    def _column_table(self, en: bool) -> list[list[object]]:
        """The 读取报告 rows of what the header row gave (as :meth:`_column_lines`), labels in English where ``en``."""
        def say(key: str) -> str:
            return pick(_LABELS[key], en)

        t: list[list[object]] = [[say("header"), say("field"), say("how"), ""]]
        t += [[h, f, how, ""] for h, f, how in self.used]
        t.append([])
        t.append([say("unused"), "", "", ""])
        t += [[h, "", "", say("unused_how")] for h in self.unused] or [[say("none"), "", "", ""]]
        for fld, others in self.conflicts:
            t.append([say("conflict").format(fld), "、".join(others), say("conflict_how"), say("conflict_do")])
        for fld, header in self.suggestions:
            t.append([say("suggest").format(header, fld), say("not_used"), "", say("suggest_do")])
        defaulted, absent = self.missing()
        t.append([])
        t.append([say("missing"), say("read_as"), say("derived"), ""])
        t += [[f, d, self._stand_in(f) if rest else "", say("rest_defaulted").format(rest) if rest else say("defaulted")]
              for f, d, rest in defaulted]
        t += [[f, say("unknown"), self._stand_in(f) if rest else "", say("rest_asked").format(rest) if rest else say("asked")]
              for f, rest in absent]
        t += [[f, say("partial").format(at), "", say("partial_how")] for f, at in self.partial]
        if self.derived:
            t.append([])
            t.append([say("derived"), say("count"), say("which"), ""])
            t += [[f, n, "、".join(self.derived_from.get(f, ())), ""] for f, n in self.derived]
        return t

    def summary(self) -> str:
        """One line for a run log (读取情况), in the run's language as the 读取报告 sheet is."""
        en = self.english
        bits = [pick(_LABELS["recognised"], en).format(len(self.used))]
        if self.preset:
            bits.insert(0, self.preset)
        if self.unused:
            bits.append(pick(_LABELS["unused_n"], en).format(len(self.unused)))
        if self.bad_cells:
            bits.append(pick(_LABELS["bad_n"], en).format(self.bad_cells))
        return pick(("，", ", "), en).join(bits) + "".join(f"{pick(('；', '; '), en)}{note}" for note in self.notes)

    def table(self) -> list[list[object]]:
        """The 读取报告 sheet: one section per kind of finding; its titles and labels in the run's language
        (what it quotes — headers, fields, values — as the sheet has them)."""
        en = self.english

        def say(key: str) -> str:
            return pick(_LABELS[key], en)

        t: list[list[object]] = [[say("title"), self.sheet or "", say("rows").format(self.rows),
                                  self.preset or say("no_preset")]]
        t.append([self.basis or "", "", "", ""])
        if self.where_header():
            t.append([self.where_header(), "", "", ""])
        if self.grouped:
            t.append([say("grouped"), "、".join(self.grouped), "", ""])
        if self.ungrouped:
            t.append([say("ungrouped"), "、".join(self.ungrouped), say("ungrouped_how"), _ungrouped_do(self.ungrouped, en)])
        if self.merged:
            t.append([say("merged").format(self.merged), say("merged_how"), "", ""])
        for kind, n in self.skipped:
            t.append([say("skipped").format(_SKIPPED_EN.get(kind, kind) if en else kind), say("rows").format(n),
                      say("skipped_how"), ""])
        t += self._column_table(en)
        parts = dict(self.parts)
        for at, n in self.blocks:
            part = parts.get(at)
            t.append([])
            t.append([say("block").format(at), say("cols").format(n),
                      say("block_how") if part is None else say("block_rows").format(part.rows),
                      "" if part is None else part.preset or say("no_preset")])
            if part is not None:
                t += part._column_table(en)
        if self.split:
            t.append([])
            t.append([say("split"), say("count"), say("examples"), say("split_how")])
            t += [[f, n, "、".join(e), ""] for f, n, e in self.split]
        if self.either:
            t.append([])
            t.append([say("either"), say("count"), say("examples"), say("may_be")])
            t += [[f, n, "、".join(e), words] for f, n, e, words in self.either]
        t.append([])
        t.append([say("unreadable"), say("cells"), say("examples"), say("forms")])
        t += [[f, n, "、".join(e), forms] for f, n, e, forms in self.unreadable] or [[say("none"), "", "", ""]]
        if self.notes:
            t.append([])
            t.append([say("notes"), "", "", ""])
            t += [[note, "", "", ""] for note in self.notes]
        return t


def _ungrouped_do(pairs: Sequence[str], en: bool = False) -> str:
    """What the desk does where a title over a full field name was not read with it (「退货+物流状态」)."""
    names = "、".join(f"「{p.replace('+', '')}」" for p in pairs)
    return f"If they are the return's, rename the headers {names}" if en else f"如是退货的，请把表头改成{names}"


# The 读取报告 sheet's titles and labels: (中文, English).
_LABELS = {
    "title": ("读取报告", "Reading report"),
    "rows": ("{} 行", "{} rows"),
    "cols": ("{} 列", "{} columns"),
    "recognised": ("{} 列已识别", "{} columns recognised"),
    "unused_n": ("{} 列未使用", "{} unused"),
    "bad_n": ("{} 处无法识别", "{} cells unreadable"),
    "no_preset": ("未识别为平台导出", "No platform export recognised"),
    "grouped": ("分组标题与其下的表头合起来读", "Group titles read with the header below them"),
    "ungrouped": ("分组标题没有与其下的表头合起来读", "Group titles not read with the header below them"),
    "ungrouped_how": ("标题跨订单号/售后类型或整张表，或没有另一列对应下面的表头，按下面的表头读",
                      "The title spans 订单号/售后类型 or the whole table, or no other column has the lower header: "
                      "the lower header is read"),
    "merged": ("合并单元格 {} 处", "{} merged cells"),
    "merged_how": ("其值读入它跨过的每一行", "Read into every row they span"),
    "skipped": ("不是售后单的行：{}", "Rows that are no case: {}"),
    "skipped_how": ("不判定、不计入行数", "Not decided, not counted"),
    "header": ("表头", "Header"),
    "field": ("对应字段", "Field"),
    "how": ("识别方式", "How matched"),
    "unused": ("未使用的列", "Unused columns"),
    "unused_how": ("如需使用，在「列名映射」表中对应到字段", "To use it, map it to a field in 列名映射"),
    "none": ("（无）", "(none)"),
    "conflict": ("多列对应「{}」", "Several columns for 「{}」"),
    "conflict_how": ("用了第一列（它空着的行读另一列）", "The first is used (the other where it is blank)"),
    "conflict_do": ("在「列名映射」中指定", "Choose one in 列名映射"),
    "suggest": ("「{}」可能是「{}」", "「{}」 may be 「{}」"),
    "not_used": ("未使用", "Not used"),
    "suggest_do": ("如是，在「列名映射」中对应", "If so, map it in 列名映射"),
    "block": ("第 {} 行是重复的表头", "Row {} repeats the header"),
    "block_how": ("其下各行按这一行的表头读取", "The rows below are read by it"),
    "block_rows": ("其下 {} 行按这一行的表头读取", "The {} rows below are read by it"),
    "missing": ("缺少的列", "Missing columns"),
    "read_as": ("按什么处理", "Read as"),
    "defaulted": ("表示没有记录", "Nothing recorded"),
    "unknown": ("（未知）", "(unknown)"),
    "asked": ("需要时提示信息不足", "Asked where a row needs it"),
    "rest_defaulted": ("其余 {} 行表示没有记录", "The other {} rows: nothing recorded"),
    "rest_asked": ("其余 {} 行需要时提示信息不足", "The other {} rows: asked where a row needs it"),
    "partial": ("第 {} 行起的表头才有", "Only in the header of row {}"),
    "partial_how": ("其上方的行没有这一列", "The rows above lack it"),
    "derived": ("从其他列读出", "Read from another column"),
    "count": ("行数", "Rows"),
    "which": ("哪一列", "Which column"),
    "split": ("两列说法不一致", "Two columns disagree"),
    "examples": ("例子", "Examples"),
    "split_how": ("不按其中一列判定", "Not decided on either"),
    "either": ("说不清是哪一种", "Says one of several"),
    "may_be": ("可能是", "May be"),
    "unreadable": ("无法识别的值", "Unreadable values"),
    "cells": ("处数", "Cells"),
    "forms": ("可用的写法", "Accepted forms"),
    "notes": ("其他表里没有用上的内容", "Not used in the other tables"),
}


def _fed_by_preset(cmap) -> dict[str, tuple[str, ...]]:
    """The recognised export's columns read for other fields (:func:`refund_xl._core.engine._fallbacks`):
    header as written → the fields it feeds."""
    preset = cmap.preset
    if preset is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for header, keys in ((preset.ship_info, ("carrier", "tracking_no", "logistics")),
                         (preset.ship_record, ("ship_state",)), (preset.return_info, ("return_logistics",))):
        col = cmap.column_of(header) if header else None
        if col is not None:
            written = cmap.headers[col].strip()
            out[written] = tuple(dict.fromkeys((*out.get(written, ()), *keys)))
    return out


def _implied_by_preset(cmap) -> dict[str, tuple[str, ...]]:
    """The recognised export's columns whose words state another field (``Preset.implies``: JD 退款审核状态
    京东财务审核通过 → 售后状态 已退款): header as written → the fields they state."""
    preset = cmap.preset
    out: dict[str, tuple[str, ...]] = {}
    for header, words in (preset.implies.items() if preset is not None else ()):
        col = cmap.column_of(header)
        if col is not None:
            out[cmap.headers[col].strip()] = tuple(dict.fromkeys(k for says in words.values() for k in says))
    return out


def _answers(header: str) -> str:
    """How a header that asks a yes/no question (是否发货) reads its 是 / 否, as engine._parser_for reads them; else ""."""
    answers = question_words(header)
    if not answers:
        return ""
    return "（" + "、".join(f"{a}={'视同空白' if answers[a] is NOTHING else answers[a]}"
                           for a in ("是", "否") if answers[a] is not BAD) + "）"


def _read_through(rep: ReadingReport, cmap, derived: dict[str, int], derived_from: dict[str, dict[str, int]],
                  later: dict[str, int]) -> None:
    """What one header row (``cmap``) gave the rows read through it: each header's field, the unused and close
    headers, the export recognised, the missing columns (``later``: a field a repeated header row further down
    has, at that row) and the fields other columns filled (``derived``: rows; ``derived_from``: by column)."""
    preset = cmap.preset
    rep.preset = getattr(preset, "name", None)
    for key, (header, tier) in sorted(cmap.sources.items(), key=lambda kv: cmap.index[kv[0]]):
        rep.used.append((header, FIELD_BY_KEY[key].header, TIER_NAMES[tier] + _answers(header)))
    fed = _fed_by_preset(cmap)  # an export's waybill and trace columns: read, field by field
    for header, keys in fed.items():
        rep.used.append((header, "、".join(FIELD_BY_KEY[k].header for k in keys), "平台预设（从这一列拆开读）"))
    for key, more in cmap.also.items():  # another column of the same field: read where the field's own is blank
        own = cmap.headers[cmap.index[key]].strip()
        for col in more:
            rep.used.append((cmap.headers[col].strip(), FIELD_BY_KEY[key].header,
                             f"同一字段的另一列（「{own}」空着的行读这一列）" + _answers(cmap.headers[col])))
    if "last_update" in derived:  # (engine._trace_time: the time a trace in 物流状态 was written with)
        for col in cmap.columns_of("logistics"):
            rep.used.append((cmap.headers[col].strip(), FIELD_BY_KEY["last_update"].header,
                             "快递轨迹里写的时间（「物流更新时间」没有、空着或比轨迹早的行）"))
    implied = _implied_by_preset(cmap)
    for header, keys in implied.items():
        if header not in cmap.unknown:  # (a column read as a field too: 客户期望 is 售后类型, and says 发货状态)
            continue
        rep.used.append((header, "、".join(FIELD_BY_KEY[k].header for k in keys), "平台预设（这一列的某些说法说明该字段）"))
    rep.unused = [h for h in cmap.unknown if h not in fed and h not in implied]
    rep.conflicts = [(FIELD_BY_KEY[k].header, v) for k, v in cmap.conflicts.items()]
    for key in _DECISION_FIELDS:
        # a field with no column of its own is missing, even where other columns said it on some rows: the rows they
        # did not are read as with no column (ReadingReport.missing counts them)
        if key in cmap.index or any(key in keys for keys in fed.values()):
            continue
        fld = FIELD_BY_KEY[key]
        if key in later:
            rep.partial.append((fld.header, later[key]))
            continue
        if key == "deadline" and "applied_at" in cmap.index:
            rep.defaulted.append((fld.header, "申请时间+设置中的时限"))
        elif key in rules.DESK_RECORDS or key in _NOTHING_MEANS_NONE:
            default = fld.default if fld.default is not None else "无"
            # (a column that may be it: the rows where it says the field's words are asked)
            maybe = cmap.suggestions[key] if rules.suggested_column(cmap, key) is not None else None
            rep.defaulted.append((fld.header, default if maybe is None else f"{default}（「{maybe}」列读不出{fld.header}的行）"))
        else:
            rep.absent.append(fld.header)
    rep.suggestions = [(FIELD_BY_KEY[k].header, h) for k, h in cmap.suggestions.items()]
    rep.derived = [(FIELD_BY_KEY[k].header, n) for k, n in derived.items()]
    rep.derived_from = {FIELD_BY_KEY[k].header: tuple(h for h, _n in sorted(by.items(), key=lambda kv: -kv[1]) if h)
                        for k, by in derived_from.items()}


def build(cols, sheet: str | None = None) -> ReadingReport:
    """The report of one table read by :func:`refund_xl._core.engine.read_columns` (``cols``)."""
    cmap = cols.cmap
    rep = ReadingReport(rows=sum(1 for b in cols.blank if not b), sheet=sheet)
    rep.header_row, rep.header_rows = cmap.header_row, cmap.header_rows
    rep.above, rep.merged = cmap.above, cmap.merged
    rep.grouped = tuple(f"{g}→{g.replace('+', '')}" for g in cmap.grouped)
    rep.ungrouped = tuple(cmap.ungrouped)
    rep.skipped = [(_SKIPPED[k][0], n) for k, n in sorted(getattr(cols, "skipped", {}).items()) if k in _SKIPPED and n]
    blocks = getattr(cols, "blocks", ())
    # a field the first header row lacks and a repeated header row further down has (a second export pasted under
    # the first): missing only above that row
    later: dict[str, int] = {}
    for at, sub in blocks:
        for key in sub.index:
            later.setdefault(key, at + 2)
    each = getattr(cols, "block_fallback", None) or [(0, cols.fallback, getattr(cols, "fallback_from", {}))]
    ends = [start for start, _n, _by in each[1:]] + [len(cols.blank)]
    rows = [sum(1 for b in cols.blank[start:end] if not b) for (start, _n, _by), end in zip(each, ends)]
    _read_through(rep, cmap, each[0][1], each[0][2], later)
    if blocks:
        rep.own_rows = rows[0]
    rep.blocks = [(at + 2, len(sub.index)) for at, sub in blocks]
    for (at, sub), (_start, derived, derived_from), n in zip(blocks, each[1:], rows[1:]):
        part = ReadingReport(rows=n)
        _read_through(part, sub, derived, derived_from, {})
        rep.parts.append((at + 2, part))
    counts: Counter = Counter()
    examples: dict[str, list[str]] = {}
    split: Counter = Counter()
    split_examples: dict[str, list[str]] = {}
    either: Counter = Counter()
    either_examples: dict[str, list[str]] = {}
    either_words: dict[str, frozenset] = {}
    for i, keys in cols.bad.items():
        if cols.blank[i]:
            continue
        for key, typed in zip(keys, cols.bad_values.get(i, ())):
            if typed is None:  # no cell of its own: a column that may be the field holds something (said above)
                continue
            # two columns of the field disagreeing: no unreadable cell, said apart
            tally, seen = (split, split_examples.setdefault(key, [])) if typed.__class__ is Both else \
                (either, either_examples.setdefault(key, [])) if typed.__class__ is Either else \
                (counts, examples.setdefault(key, []))
            if typed.__class__ is Either:
                either_words.setdefault(key, typed.words)
            tally[key] += 1
            if typed not in seen and len(seen) < 3:
                seen.append(typed)
    rep.split = [(FIELD_BY_KEY[key].header, n, split_examples[key]) for key, n in split.most_common()]
    rep.either = [(FIELD_BY_KEY[key].header, n, either_examples[key], "／".join(sorted(either_words[key])))
                  for key, n in either.most_common()]
    for key, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        rep.unreadable.append((FIELD_BY_KEY[key].header, n, examples[key], accepted(key)))
    return rep
