"""The context of one run: everything a decision needs besides the rows, resolved once.

Every entry point — a formula, a ribbon button, a command, the pandas entry
point — builds a :class:`Context` the same way, at its boundary, and hands it
inward; nothing further in decides again which settings, mappings, templates
or reference time apply.

Precedence, the same for every host:

* settings: what the caller gave (a ``--settings`` file, a formula's settings
  range) > the book's own 设置 sheet > the defaults;
* 列名映射 / 值映射: what the caller gave > the book's own sheets (per table);
* 话术模板: what the caller gave > the book's own sheet > the defaults;
* ``now`` (基准时间): what the caller gave (``--now``, a formula's ``now``
  argument) > the 基准时间 row of the settings in force > the clock.

A context that cannot be built raises :class:`~refund_xl._core.errors.ContextError`
(or its subclass ``SettingsError``, which names the cell): one line of Chinese.
Pure: imports no host library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Mapping, Sequence

from refund_xl._core import fields, replies, settings as settings_mod, vocab
from refund_xl._core.errors import ContextError, clip
from refund_xl._core.fields import Mappings, parse_mapping_table, parse_value_table
from refund_xl._core.ranges import as_rows
from refund_xl._core.settings import Settings

__all__ = ["Context", "build", "for_formula", "parse_now", "resolve_now", "settings_of", "templates_of",
           "mappings_of", "NOW_GIVEN", "NOW_BOOK", "NOW_CLOCK", "OWN_SHEETS"]

NOW_GIVEN, NOW_BOOK, NOW_CLOCK = "given", "book", "clock"

# The sheets of a book a context is read from (besides the tracking sheet).
OWN_SHEETS = (settings_mod.SHEET, fields.MAPPING_SHEET, fields.VALUES_SHEET, replies.SHEET)

Rows = Sequence[Sequence[object]]


@dataclass(frozen=True)
class Context:
    """Settings, the team's reading tables, reply templates and the reference time of one run."""

    now: datetime
    settings: Settings = settings_mod.DEFAULTS
    mappings: Mappings = field(default_factory=Mappings)
    templates: Mapping[str, str] = field(default_factory=lambda: dict(replies.DEFAULT_TEMPLATES))
    now_source: str = NOW_CLOCK  # NOW_GIVEN / NOW_BOOK / NOW_CLOCK: where `now` came from
    # what the run's own tables hold that nothing uses (a 话术模板 row under a mistyped code), in words for the
    # reading report: said, never dropped silently
    notes: tuple[str, ...] = ()

    @property
    def english(self) -> bool:
        return self.settings.english

    def now_text(self) -> str:
        """Where the reference time came from, for the run's report (中文)."""
        where = {NOW_GIVEN: "指定", NOW_BOOK: f"「{settings_mod.SHEET}」表的基准时间",
                 NOW_CLOCK: "当前时间"}[self.now_source]
        return f"基准时间 {self.now:%Y-%m-%d %H:%M}（{where}）"


def parse_now(value: object, what: str = "基准时间") -> datetime | None:
    """A reference time as a person or a host gives it (ISO text, Excel serial, datetime) → datetime.

    Empty → None (the next source decides).  Unreadable → ContextError naming ``what``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    when = vocab.parse_datetime(value)
    if when is None or when is vocab.BAD or isinstance(when, vocab.YearLess):
        raise ContextError(f"{what}无法识别：{clip(value, 24)}（示例：2025-06-10T12:00）")
    return datetime(when.year, when.month, when.day) if when.__class__ is vocab.WholeDay else when  # (a date: its 00:00)


def resolve_now(given: object, s: Settings, clock: Callable[[], datetime] = datetime.now,
                what: str = "基准时间") -> tuple[datetime, str]:
    """(reference time, its source): the given one, else the settings' 基准时间, else the clock."""
    when = parse_now(given, what)
    if when is not None:
        return when, NOW_GIVEN
    if s.now is not None:
        return s.now, NOW_BOOK
    return clock(), NOW_CLOCK


def settings_of(value: object, sheet: str = settings_mod.SHEET) -> Settings | None:
    """A Settings, a 设置 table (rows) or nothing → Settings or None (may raise SettingsError)."""
    if value is None or isinstance(value, Settings):
        return value
    rows = as_rows(value)
    if not rows:
        return None
    return settings_mod.from_table(rows, sheet=sheet)


def templates_of(value: object) -> dict[str, str] | None:
    """A code → template dict, a 话术模板 table (read by its headers) or nothing → templates or None."""
    return _templates(value)[0]


def _templates(value: object) -> tuple[dict[str, str] | None, list[str]]:
    """:func:`templates_of` and the rows of the table it could not use (:func:`replies.read_templates`)."""
    if value is None:
        return None, []
    if isinstance(value, Mapping):
        out = dict(replies.DEFAULT_TEMPLATES)
        out.update(value)
        return out, []
    rows = as_rows(value)
    return replies.read_templates(rows) if rows else (None, [])


def build(tables: Mapping[str, Rows] | None = None, *, settings: object = None, mappings: fields.Aliases = None,
          templates: object = None, now: object = None, clock: Callable[[], datetime] = datetime.now,
          now_what: str = "基准时间") -> Context:
    """The context of a run on a book whose own sheets (name → rows) are ``tables``.

    ``settings``/``mappings``/``templates``/``now``: what the caller gave, which
    wins over the book's own sheet of the same table (see the module docstring).
    """
    tables = tables or {}
    s = settings_of(settings) or settings_of(tables.get(settings_mod.SHEET)) or settings_mod.DEFAULTS
    maps = fields.book_mappings(tables, mappings)
    tpl, notes = _templates(templates)
    if tpl is None:
        tpl, notes = _templates(tables.get(replies.SHEET))
    when, source = resolve_now(now, s, clock, now_what)
    return Context(when, s, maps, tpl or dict(replies.DEFAULT_TEMPLATES), source, tuple(notes))


def for_formula(settings: object = None, now: object = None, columns: object = None, values: object = None,
                templates: object = None) -> Context:
    """The context of one formula call: its optional ranges, as xlwings hands them over."""
    return build(None, settings=settings, mappings=mappings_of(columns, values), templates=templates, now=now)


def mappings_of(columns: object = None, values: object = None) -> Mappings:
    """列名映射 and 值映射 ranges (as a formula is given them) as one :class:`Mappings`."""
    return Mappings(parse_mapping_table(as_rows(columns)) if columns is not None else {},
                    parse_value_table(as_rows(values)) if values is not None else {})
