"""Thresholds a desk edits in the 设置 sheet (contract §3), typed and validated.

The 设置 table has rows ``key | label | value | note`` (a header row is
allowed).  :func:`from_table` reads it; every bad value raises
:class:`~refund_xl._core.errors.SettingsError` naming the cell and the rule, never a
silent default.  A row that holds a value under a name near a setting (a mistyped key or label), keyed
like a setting, or a number with no name at all is such an error too (with the setting it may be); rows of
notes (no value, headed 说明/备注) and a desk's own rows near no setting (负责人 | 张三) are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Iterable, Sequence

from refund_xl._core import vocab
from refund_xl._core.errors import UNKNOWN_ROW, WHOLE_RANGE, SettingsError

__all__ = ["Setting", "SETTINGS", "LEGACY", "TIMEOUT_KEYS", "Settings", "from_table", "DEFAULTS", "settings_table", "SHEET"]

SHEET = "设置"  # the sheet that holds the table


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    default: object
    note: str
    english: str


SETTINGS: tuple[Setting, ...] = (
    Setting("high_value", "高客单金额阈值(元)", 200, "退款金额 ≥ 此值为高客单：拦截后标旗观察，退货需验货后退款", "High-value threshold (CNY)"),
    Setting("nudge_hours", "催件阈值(小时)", 24, "在途包裹超过此时长无物流更新：催快递", "Nudge after (hours)"),
    Setting("lost_hours", "丢件阈值(小时)", 48, "超过此时长无物流更新按丢件处理；不得小于催件阈值", "Lost after (hours)"),
    Setting("remote_lost_hours", "偏远地区丢件阈值(小时)", 72, "偏远地区的丢件阈值；不得小于催件阈值", "Lost after, remote regions (hours)"),
    Setting("remote_regions", "偏远地区", "新疆,西藏,甘肃,青海", "省份列表，用逗号、顿号、分号或空格分隔", "Remote regions"),
    Setting("intercept_check_hours", "拦截核实(小时)", 24, "高客单发起拦截后，过此时长核实拦截结果", "Check interception after (hours)"),
    Setting("deadline_warn_hours", "超时预警(小时)", 12, "距超时不足此时长时预警", "Warn before deadline (hours)"),
    Setting("language", "语言", "中文", "中文 或 English：本工具写出的标签和表头的语言", "Language"),
    Setting("timeout_unshipped_hours", "未发货仅退款时限(小时)", 48,
            "表中该行无「超时时间」时：未发货仅退款（含线下已发货）的超时时间 = 申请时间 + 此时长；须大于 0",
            "Auto-refund timer, refund only, not shipped (hours)"),
    Setting("timeout_shipped_hours", "已发货仅退款时限(小时)", 120,
            "表中该行无「超时时间」时：已发货仅退款的超时时间 = 申请时间 + 此时长；须大于 0",
            "Auto-refund timer, refund only, shipped (hours)"),
    Setting("timeout_return_hours", "退货退款时限(小时)", 120,
            "表中该行无「超时时间」时：退货退款的超时时间 = 申请时间 + 此时长；须大于 0",
            "Auto-refund timer, return and refund (hours)"),
    Setting("overview_days", "概览天数", 30,
            "今日概览只列出最近这么多天内申请的售后单，更早的只计数；须大于 0",
            "Overview lists cases of the last N days"),
    Setting("live_rows", "实时公式行数上限", 5000,
            "登记表超过此行数时，「刷新判定」把结果写成数值，不保留实时公式（大表编辑不卡）；须大于 0",
            "Live formula up to (rows)"),
    Setting("archive_days", "归档天数", 60,
            "「归档」把已退款/已关闭/已完结且超过此天数无变动的售后单移到归档工作簿；须大于 0",
            "Archive closed cases after (days)"),
    Setting("claim_days", "理赔期限(天)", 30,
            "理赔登记的理赔截止 = 最后一次物流变动 + 此天数；须大于 0",
            "Courier claim window (days)"),
    Setting("apply_track_intercept", "按物流回填拦截状态", "否",
            "是：查询物流看到拦截件退回/签收时，自动填写空着的「拦截状态」（手填的不会被覆盖）；否：只写「建议拦截状态」",
            "Fill the interception status from tracking"),
)

# Read but no longer written to a new 设置 sheet: an older workbook's single timer.
# When its table has it, it stands in for each per-type timer that table does not set
# (a per-type key typed in the same table wins).
LEGACY = (
    Setting("platform_timeout_hours", "平台自动处理时限(小时)", None,
            "旧版设置：表中无「超时时间」时所有类型共用的时限；新版按类型分三项", "Platform auto-refund timer (hours)"),
)
TIMEOUT_KEYS = ("timeout_unshipped_hours", "timeout_shipped_hours", "timeout_return_hours")
_TIMER_DEFAULTS = {s.key: float(s.default) for s in SETTINGS
                   if s.key in TIMEOUT_KEYS and isinstance(s.default, (int, float))}

_BY_KEY = {s.key: s for s in SETTINGS + LEGACY}
_BY_LABEL = {vocab.fold(s.label): s.key for s in SETTINGS + LEGACY}
_BY_LABEL[vocab.fold("基准时间")] = "now"  # the reference-time row is found by its label too, like every setting
_LIST_SPLIT = re.compile(r"[,，、;；\s]+")
_YES = {"是", "y", "yes", "true", "1", "对", "√", "开", "启用"}
_NO = {"否", "n", "no", "false", "0", "不", "×", "关", "停用", ""}
_LANGUAGES = {"中文": "中文", "zh": "中文", "chinese": "中文", "简体中文": "中文", "cn": "中文",
              "english": "English", "en": "English", "英文": "English", "英语": "English"}


@dataclass(frozen=True)
class Settings:
    high_value: float = 200.0
    nudge_hours: float = 24.0
    lost_hours: float = 48.0
    remote_lost_hours: float = 72.0
    remote_regions: tuple[str, ...] = ("新疆", "西藏", "甘肃", "青海")
    intercept_check_hours: float = 24.0
    deadline_warn_hours: float = 12.0
    language: str = "中文"
    timeout_unshipped_hours: float = 48.0
    timeout_shipped_hours: float = 120.0
    timeout_return_hours: float = 120.0
    overview_days: float = 30.0
    live_rows: float = 5000.0
    archive_days: float = 60.0
    claim_days: float = 30.0
    apply_track_intercept: bool = False
    now: datetime | None = None  # optional reference time from a `now` row
    # An older workbook's single timer, as read (None = its table had no such row).
    # :func:`from_table` copies it into the per-type timers its table does not set; built
    # directly (``Settings(platform_timeout_hours=72)``) it replaces each timer left at its default.
    platform_timeout_hours: float | None = None
    _from_table: bool = field(default=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        legacy = self.platform_timeout_hours
        if legacy is None or self._from_table:
            return
        for key in TIMEOUT_KEYS:
            if getattr(self, key) == _TIMER_DEFAULTS[key]:
                object.__setattr__(self, key, float(legacy))

    @property
    def english(self) -> bool:
        return self.language == "English"

    def as_rows(self, english: bool = False) -> list[tuple[str, object]]:
        """(key, value) pairs as a user would read them, for the run log (是/否 as yes/no in ``english``:
        both are read back)."""
        out = []
        for s in SETTINGS:
            value = getattr(self, s.key)
            if isinstance(value, tuple):
                value = ",".join(value)
            elif isinstance(value, bool):
                value = ("yes" if value else "no") if english else ("是" if value else "否")
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            out.append((s.key, value))
        if self.platform_timeout_hours is not None:
            value = self.platform_timeout_hours
            out.append(("platform_timeout_hours", int(value) if value.is_integer() else value))
        return out


DEFAULTS = Settings()


def settings_table(settings: Settings = DEFAULTS) -> list[list[object]]:
    """The 设置 table (header + one row per setting) with the given values."""
    values = dict(settings.as_rows())
    rows: list[list[object]] = [["键", "项目", "值", "说明"]]
    rows += [[s.key, s.label, values[s.key], s.note] for s in SETTINGS]
    return rows


def _number(key: str, cell: str, raw: object) -> float:
    value = vocab.parse_number(raw) if not isinstance(raw, str) or raw.strip() else None
    if value is None:
        raise SettingsError(key, cell, "不能为空，应为不小于 0 的数字")
    if value is vocab.BAD:
        raise SettingsError(key, cell, "应为不小于 0 的数字", raw)
    return float(value)


def _regions(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    parts = [p for p in _LIST_SPLIT.split(vocab.parse_text(raw) or "") if p]
    return tuple(dict.fromkeys(vocab.parse_province(p) for p in parts))


def _row_cells(row: Sequence[object]) -> tuple[object, object, object, int] | None:
    """(key-or-label, label, value, value column) of a settings row, or None."""
    cells = list(row)
    if not cells or all(c in (None, "") for c in cells):
        return None
    if len(cells) >= 3:
        return cells[0], cells[1], cells[2], 2
    if len(cells) == 2:
        return cells[0], None, cells[1], 1
    return None


_HEADER_WORDS = frozenset({"键", "项目", "值", "说明", "备注", "key", "label", "value", "note", "setting", "设置项",
                           # what else a desk heads its own 设置 table with (键 | 名称 | 值 | 说明, 参数 | 数值 | 单位)
                           "名称", "项目名", "项目名称", "设置名", "设置名称", "参数", "参数名", "设置", "名字", "name",
                           "数值", "取值", "当前值", "设定值", "设置值", "默认值", "内容", "单位", "注释", "notes",
                           "description", "settings", "parameter"})
_NO_SETTING = "所选区域（{} 列）里认不出任何设置项：请选含「键、项目、值」列的整块区域（如 设置!A1:D20）"


def _is_header_row(filled: Sequence[object]) -> bool:
    """A 设置 table's header row (键 | 项目 | 值 | 说明)."""
    return all(isinstance(c, str) and vocab.fold(c).lower() in _HEADER_WORDS for c in filled)


# A row headed by one of these words is a note to the desk, never a setting (说明 | 只改「值」一列 …).
_NOTE_WORDS = ("说明", "备注", "注意", "注", "提示", "帮助", "note", "notes", "remark", "help")
_NAMES = tuple((s.key, s.label) for s in SETTINGS + LEGACY) + (("now", "基准时间"),)
_UNIT = re.compile(r"\([^()]*\)$")  # a label's unit, 高客单金额阈值(元) → 高客单金额阈值


def _key_of(text: object) -> str | None:
    """The setting a name cell names: a key (any case) or a label, else None."""
    if text is None:
        return None
    name = vocab.fold(str(text))
    low = name.lower()
    if low in _BY_KEY or low == "now":
        return low
    return _BY_LABEL.get(name)


def _is_note(text: object) -> bool:
    """A row headed 说明 / 备注 / 注：… / 注意事项 (a note to the desk)."""
    name = vocab.fold(str(text)).lower() if text is not None else ""
    return any(name == w or name.startswith((w + ":", w + "：")) or len(w) > 1 and name.startswith(w) for w in _NOTE_WORDS)


_KEYLIKE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")  # a key as the table writes them (vip_value)


def _names_of(text: object) -> list[str]:
    """A name cell's forms compared with the settings' names: folded, lower case, and without its unit."""
    if vocab.is_blank(text):
        return []
    name = vocab.fold(str(text)).lower()
    core = _UNIT.sub("", name)
    return list(dict.fromkeys(n for n in (name, core) if n))


def _close(typed: str, known: str) -> int | None:
    """How far ``typed`` is from the setting name ``known`` (smaller is closer), or None when it is not close:
    a few one-character slips (hihg_value, 阀值 for 阈值), or one name holding the other (丢件阈值 in
    丢件阈值(小时))."""
    if len(typed) >= 2 and len(known) >= 2 and (typed in known or known in typed):
        return abs(len(typed) - len(known))
    slips = vocab.edit_distance(typed, known)
    return slips if slips <= max(1, min(len(known), len(typed)) // 4) else None


def _nearest(*names: object) -> tuple[str, str] | None:
    """The (key, label) of the one setting closest to the names a row was written with, or None when
    none is close or two are equally close."""
    best: dict[tuple[str, str], int] = {}
    for typed in (t for n in names for t in _names_of(n)):
        for key, label in _NAMES:
            for known in _names_of(key) + _names_of(label):
                far = _close(typed, known)
                if far is not None and far < best.get((key, label), far + 1):
                    best[(key, label)] = far
    return vocab.sole_best(best)


def _unknown_row(first: object, label: object, cell: str, near: tuple[str, str] | None) -> SettingsError:
    """A row holding a value under a name no setting has: its value would be dropped and the default
    would decide, so it is said (with the setting it may be), never ignored."""
    typed = " / ".join(vocab.fold(str(n)) for n in (first, label) if not vocab.is_blank(n))
    if not typed:
        return SettingsError(UNKNOWN_ROW, cell, "这一行有值，但没写是哪个设置项：请填上键或项目名，或删掉这一行")
    maybe = f"（是否为 {near[0]}「{near[1]}」？）" if near else ""
    return SettingsError(UNKNOWN_ROW, cell, f"认不出设置项「{typed}」{maybe}：这一行的值没有用上，请改正键或项目名，或删掉这一行")


def _read(key: str, cell: str, raw: object) -> object:
    """One setting's value as its own reader reads it (raises SettingsError naming ``cell``)."""
    if key == "now":
        if raw in (None, ""):
            return None
        when = vocab.parse_datetime(raw)
        if when is vocab.BAD:
            raise SettingsError(key, cell, "应为日期时间（如 2025-06-10 12:00）", raw)
        return when
    if key == "remote_regions":
        return _regions(raw)
    if key == "language":
        text = vocab.fold(str(raw or "中文"))
        lang = _LANGUAGES.get(text) or _LANGUAGES.get(text.lower())
        if lang is None:
            raise SettingsError(key, cell, "应为「中文」或「English」", raw)
        return lang
    if key == "apply_track_intercept":
        text = vocab.fold(str(raw if raw is not None else "")).lower()
        if isinstance(raw, bool):
            return raw
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise SettingsError(key, cell, "应为「是」或「否」", raw)
    return _number(key, cell, raw)


def from_table(rows: Iterable[Sequence[object]] | None, *, sheet: str = SHEET,
               first_row: int = 1) -> Settings:
    """Read a 设置 table.  ``None`` or an empty table gives the defaults; a table holding values of
    which no row names a setting (a range of only the value column) is an error, never the defaults.
    So is a row holding a value under a name no setting has (a mistyped key and label: the default
    would decide in silence), a row whose key and label name two settings, and two rows of one
    setting with two values (which one counts would hang on the order of the rows).

    ``sheet`` and ``first_row`` (the sheet row of the table's first row) are
    used only to name the cell in error messages, e.g. ``设置!C4``.
    """
    out: dict[str, Any] = {}  # each value read by its own setting's reader
    cells: dict[str, str] = {}
    unknown: list[tuple[object, object, str, tuple[str, str] | None]] = []  # rows holding a value under a name
    # no setting has: (name cells, cell, the setting it may be)
    width, unread = 0, 0  # the widest row, and the rows holding something that names no setting
    for n, row in enumerate(rows or (), start=first_row):
        if isinstance(row, (str, int, float)) or row is None:
            continue
        row = [vocab.plain_cell(c) for c in row]  # an error cell as Excel shows it (#VALUE!), never its COM code
        filled = [c for c in row if c not in (None, "")]
        width = max(width, len(row))
        parsed = _row_cells(row)
        if parsed is None:
            unread += bool(filled) and not _is_header_row(filled)
            continue
        first, label, raw, col = parsed
        key, by_label = _key_of(first), _key_of(label)
        if key is not None and by_label is not None and by_label != key:
            raise SettingsError(key, f"{sheet}!A{n}", f"键是 {key}，项目却是「{label}」（{by_label} 的项目名）："
                                                      "请改成同一个设置项")
        key = key or by_label
        if key is None:
            header = _is_header_row(filled)
            unread += not header
            if not header and not vocab.is_blank(raw) and not _is_note(first):
                near = _nearest(first, label)
                nameless = vocab.is_blank(first) and vocab.is_blank(label)
                # said: a row near a setting, one keyed like one (vip_value), a number with no name at all; a row of the
                # desk's own (负责人 | 张三, 更新日期 | 6月1日) near no setting is left alone, as notes are
                if near is not None or _KEYLIKE.fullmatch(str(first or "").strip()) or \
                        nameless and isinstance(raw, (int, float)) and not isinstance(raw, bool):
                    named = "A" if not vocab.is_blank(first) else "B" if col == 2 and not vocab.is_blank(label) else "ABCD"[col]
                    unknown.append((first, label, f"{sheet}!{named}{n}", near))
            continue
        cell = f"{sheet}!{'ABCD'[col]}{n}"
        value = _read(key, cell, raw)
        if key in cells and value != out[key]:  # two rows of one setting: never resolved by their order
            raise SettingsError(key, f"{cells[key]}、{cell}", f"{_label(key)}写了两行，值不同"
                                f"（{_shown(out[key])} 和 {_shown(value)}）：请删掉其中一行")
        out[key] = value
        cells.setdefault(key, cell)
    # a range of the wrong shape (only the value column): never the defaults silently; a table of mistyped
    # names only (each close to a setting) is said row by row
    if not out and unread and not (unknown and all(u[3] for u in unknown)):
        raise SettingsError(WHOLE_RANGE, f"{sheet}区域", _NO_SETTING.format(width))
    if unknown:
        raise _unknown_row(*unknown[0])
    if out.get("now", 0) is None:
        del out["now"]

    legacy = out.get("platform_timeout_hours")
    if legacy is not None:
        for key in TIMEOUT_KEYS:
            if key not in out:
                out[key] = legacy
                cells[key] = cells["platform_timeout_hours"]
    result = replace(DEFAULTS, **out, _from_table=True)
    _check_order(result, cells)
    return result


def _label(key: str) -> str:
    return "基准时间" if key == "now" else _BY_KEY[key].label


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        text = "、".join(value) or "空"
    elif isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = "空" if value is None else str(value)
    return text if len(text) <= 20 else text[:20] + "…"  # (a message stays one short line, a list of regions too)


MAX_HOURS = 87600


def _below_nudge(s: Settings, key: str, cells: dict[str, str]) -> SettingsError:
    """A lost threshold below the nudge threshold, named by the cells that hold them; a value no cell
    holds is said to be the default (a deleted lost_hours row: the nudge cell is the one to look at)."""
    lost, nudge = getattr(s, key), s.nudge_hours
    label = _BY_KEY[key].label
    if key not in cells:
        return SettingsError("nudge_hours", cells.get("nudge_hours", SHEET),
                             f"催件阈值（{nudge:g}）不能大于{label}（表里没有这一行，按默认 {lost:g}）")
    where = f"，{cells['nudge_hours']}" if "nudge_hours" in cells else "，表里没有这一行，按默认值"
    return SettingsError(key, cells[key], f"{label}（{lost:g}）不能小于催件阈值（{nudge:g}{where}）")


def _check_order(s: Settings, cells: dict[str, str]) -> None:
    for key in ("lost_hours", "remote_lost_hours"):
        if getattr(s, key) < s.nudge_hours:
            raise _below_nudge(s, key, cells)
    for key in ("nudge_hours", "lost_hours", "remote_lost_hours", "intercept_check_hours",
                "platform_timeout_hours", *TIMEOUT_KEYS, "overview_days", "live_rows", "archive_days",
                "claim_days"):
        if getattr(s, key) == 0:
            raise SettingsError(key, cells.get(key, SHEET), "应大于 0")
    for key in ("nudge_hours", "lost_hours", "remote_lost_hours", "intercept_check_hours", "platform_timeout_hours",
                "deadline_warn_hours"):
        if abs(getattr(s, key, 0) or 0) > MAX_HOURS:  # 1e8 hours would overflow every date it is added to
            raise SettingsError(key, cells.get(key, SHEET), f"不能超过 {MAX_HOURS} 小时（10 年）", getattr(s, key))
