"""contract §3: the 设置 table — defaults, every key, labels, and bad values named by cell."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import assume, given, settings as hsettings, strategies as st

from refund_xl._core import settings as settings_mod, vocab
from refund_xl._core.errors import RefundXLError, SettingsError
from refund_xl._core.settings import DEFAULTS, SETTINGS, Settings, from_table, settings_table

HEADER = ["键", "项目", "值", "说明"]

# key → (a changed value as typed in a cell, what it reads as)
CHANGED = {
    "high_value": ("300", 300.0),
    "nudge_hours": (12, 12.0),
    "lost_hours": ("36", 36.0),
    "remote_lost_hours": (96.0, 96.0),
    "remote_regions": ("新疆,西藏", ("新疆", "西藏")),
    "intercept_check_hours": ("6", 6.0),
    "deadline_warn_hours": ("0", 0.0),
    "language": ("English", "English"),
    "timeout_unshipped_hours": ("24", 24.0),
    "timeout_shipped_hours": (96, 96.0),
    "timeout_return_hours": ("168", 168.0),
    "overview_days": (7, 7.0),
    "live_rows": ("20000", 20000.0),
    "archive_days": (90, 90.0),
    "claim_days": ("15", 15.0),
    "apply_track_intercept": ("是", True),
}
LABEL = {s.key: s.label for s in SETTINGS}


def test_defaults_match_the_spec():
    assert DEFAULTS == Settings()
    assert (DEFAULTS.high_value, DEFAULTS.nudge_hours, DEFAULTS.lost_hours, DEFAULTS.remote_lost_hours,
            DEFAULTS.remote_regions, DEFAULTS.intercept_check_hours,
            DEFAULTS.deadline_warn_hours, DEFAULTS.language, DEFAULTS.timeout_unshipped_hours,
            DEFAULTS.timeout_shipped_hours, DEFAULTS.timeout_return_hours, DEFAULTS.overview_days) == (
        200, 24, 48, 72, ("新疆", "西藏", "甘肃", "青海"), 24, 12, "中文", 48, 120, 120, 30)
    assert (DEFAULTS.live_rows, DEFAULTS.archive_days, DEFAULTS.claim_days, DEFAULTS.apply_track_intercept) == (
        5000, 60, 30, False)
    assert DEFAULTS.platform_timeout_hours is None   # the legacy key: only when a table has it
    assert not DEFAULTS.english
    assert set(CHANGED) == {s.key for s in SETTINGS}


@pytest.mark.parametrize("rows", [None, [], [HEADER], [[None, None, None, None]], [[]]],
                         ids=["none", "empty", "header_only", "blank_row", "empty_row"])
def test_empty_table_gives_defaults(rows):
    assert from_table(rows) == DEFAULTS


def test_default_table_reads_back_as_defaults():
    table = settings_table()
    assert table[0] == HEADER
    assert [r[0] for r in table[1:]] == [s.key for s in SETTINGS]
    assert from_table(table) == DEFAULTS


@pytest.mark.parametrize("key", list(CHANGED))
@pytest.mark.parametrize("with_header", [True, False], ids=["with_header", "no_header"])
def test_every_key_is_read(key, with_header):
    typed, value = CHANGED[key]
    rows = [[key, LABEL[key], typed, "备注"]]
    if with_header:
        rows.insert(0, HEADER)
    s = from_table(rows)
    assert getattr(s, key) == value
    others = {k for k in CHANGED if k != key}
    assert all(getattr(s, k) == getattr(DEFAULTS, k) for k in others)


@pytest.mark.parametrize("key", list(CHANGED))
def test_every_key_is_read_by_label(key):
    typed, value = CHANGED[key]
    assert getattr(from_table([[LABEL[key], typed]]), key) == value          # label | value
    assert getattr(from_table([[None, LABEL[key], typed, None]]), key) == value  # no key, label column


def test_label_with_full_width_brackets_and_spaces():
    assert from_table([["高客单金额阈值（元） ", 500]]).high_value == 500


def test_whole_table_round_trip():
    changed = Settings(high_value=300, nudge_hours=12, lost_hours=36, remote_lost_hours=96,
                       remote_regions=("海南", "西藏"), intercept_check_hours=6,
                       deadline_warn_hours=6, language="English", timeout_unshipped_hours=24,
                       timeout_shipped_hours=72, timeout_return_hours=200, overview_days=14)
    assert from_table(settings_table(changed)) == changed


def test_unknown_rows_are_ignored():
    s = from_table([HEADER, ["备注", "这是我们店的设置", None, None], ["high_value", "", 250, ""]])
    assert s.high_value == 250


def test_now_row():
    assert from_table([["now", "基准时间", "2025-06-10 12:00"]]).now == datetime(2025, 6, 10, 12)
    assert from_table([["now", "基准时间", None]]).now is None


def test_number_forms():
    assert from_table([["high_value", "", "¥1,000"]]).high_value == 1000
    assert from_table([["high_value", "", " ２００ 元 "]]).high_value == 200


@pytest.mark.parametrize("typed, regions", [
    ("新疆,西藏", ("新疆", "西藏")),
    ("新疆，西藏", ("新疆", "西藏")),
    ("新疆、西藏、甘肃", ("新疆", "西藏", "甘肃")),
    ("新疆;西藏；青海", ("新疆", "西藏", "青海")),
    ("新疆 西藏\u3000海南", ("新疆", "西藏", "海南")),
    ("新疆维吾尔自治区, 西藏自治区", ("新疆", "西藏")),
    ("新疆,,新疆、 ", ("新疆",)),
    ("", ()),
    (None, ()),
])
def test_remote_regions_separators(typed, regions):
    assert from_table([["remote_regions", "偏远地区", typed]]).remote_regions == regions


@pytest.mark.parametrize("typed, lang", [("中文", "中文"), ("English", "English"), ("english", "English"),
                                         ("EN", "English"), ("英文", "English"), ("zh", "中文"), (None, "中文")])
def test_language_values(typed, lang):
    s = from_table([["language", "语言", typed]])
    assert s.language == lang and s.english == (lang == "English")


# ---------------------------------------------------------------- bad values

@pytest.mark.parametrize("rows, key, cell, rule_words", [
    ([HEADER, ["high_value", "高客单金额阈值(元)", "两百"]], "high_value", "设置!C2", "不小于 0 的数字"),
    ([HEADER, ["nudge_hours", "", 24], ["high_value", "", "-1"]], "high_value", "设置!C3", "不小于 0 的数字"),
    ([["high_value", "", -200.0]], "high_value", "设置!C1", "不小于 0 的数字"),
    ([HEADER, ["lost_hours", "", ""]], "lost_hours", "设置!C2", "不能为空"),
    ([HEADER, ["nudge_hours", "", 24], ["lost_hours", "", 12]], "lost_hours", "设置!C3", "不能小于催件阈值"),
    ([HEADER, ["remote_lost_hours", "", 20]], "remote_lost_hours", "设置!C2", "不能小于催件阈值"),
    ([HEADER, ["nudge_hours", "", 60]], "nudge_hours", "设置!C2", "不能大于丢件阈值(小时)（表里没有这一行，按默认 48）"),
    ([HEADER, ["language", "语言", "日本語"]], "language", "设置!C2", "中文"),
    ([HEADER, ["nudge_hours", "", 0], ["lost_hours", "", 0], ["remote_lost_hours", "", 0]],
     "nudge_hours", "设置!C2", "大于 0"),
    ([HEADER, ["now", "", "明天"]], "now", "设置!C2", "日期时间"),
    ([["高客单金额阈值(元)", "abc"]], "high_value", "设置!B1", "不小于 0 的数字"),
    ([HEADER, [True, "", 1], ["high_value", "", True]], "high_value", "设置!C3", "不小于 0 的数字"),
], ids=["text_for_number", "negative_text", "negative_number", "empty_value", "lost_below_nudge",
        "remote_lost_below_nudge", "nudge_above_lost", "bad_language", "zero_hours", "bad_now",
        "label_two_columns", "bool_for_number"])
def test_bad_value_names_cell_and_rule(rows, key, cell, rule_words):
    with pytest.raises(SettingsError) as exc:
        from_table(rows)
    err = exc.value
    assert isinstance(err, RefundXLError)
    assert (err.key, err.cell) == (key, cell)
    message = str(err)
    assert cell in message and key in message and rule_words in message
    assert "\n" not in message


def test_bad_value_message_shows_the_value():
    with pytest.raises(SettingsError, match="现为「两百」"):
        from_table([["high_value", "", "两百"]])


def test_sheet_name_and_first_row_place_the_cell():
    with pytest.raises(SettingsError) as exc:
        from_table([["high_value", "", "x"]], sheet="阈值", first_row=5)
    assert exc.value.cell == "阈值!C5"


def test_lost_below_nudge_message_names_both_thresholds():
    with pytest.raises(SettingsError) as exc:
        from_table([["nudge_hours", "", 30], ["lost_hours", "", 20]])
    assert "丢件阈值(小时)（20）" in str(exc.value) and "催件阈值（30，设置!C1）" in str(exc.value)
    assert exc.value.cell == "设置!C2"


def test_settings_row_order_does_not_matter():
    s = from_table([["lost_hours", "", 100], ["nudge_hours", "", 60]])
    assert (s.nudge_hours, s.lost_hours) == (60, 100)


def test_as_rows_for_the_run_log():
    assert dict(DEFAULTS.as_rows()) == {
        "high_value": 200, "nudge_hours": 24, "lost_hours": 48, "remote_lost_hours": 72,
        "remote_regions": "新疆,西藏,甘肃,青海", "intercept_check_hours": 24,
        "deadline_warn_hours": 12, "language": "中文", "timeout_unshipped_hours": 48,
        "timeout_shipped_hours": 120, "timeout_return_hours": 120, "overview_days": 30,
        "live_rows": 5000, "archive_days": 60, "claim_days": 30, "apply_track_intercept": "否"}


def test_every_setting_has_a_chinese_note_and_english_name():
    for s in settings_mod.SETTINGS:
        assert s.note and s.english and s.label
        value = getattr(DEFAULTS, s.key)
        if isinstance(value, bool):
            assert ("是" if value else "否") == s.default
        else:
            assert value == s.default or ",".join(value) == s.default


# ------------------------------------------------- per-type timers and the legacy single timer

def test_legacy_platform_timeout_stands_in_for_every_timer_the_table_does_not_set():
    s = from_table([HEADER, ["platform_timeout_hours", "平台自动处理时限(小时)", 72, ""]])
    assert (s.timeout_unshipped_hours, s.timeout_shipped_hours, s.timeout_return_hours) == (72, 72, 72)
    assert s.platform_timeout_hours == 72
    assert ("platform_timeout_hours", 72) in s.as_rows()


def test_a_per_type_timer_in_the_same_table_wins_over_the_legacy_one():
    s = from_table([["timeout_return_hours", "", 200], ["平台自动处理时限(小时)", 36]])
    assert (s.timeout_unshipped_hours, s.timeout_shipped_hours, s.timeout_return_hours) == (36, 36, 200)


@pytest.mark.parametrize("key", ["timeout_unshipped_hours", "timeout_shipped_hours", "timeout_return_hours",
                                 "overview_days", "platform_timeout_hours", "live_rows", "archive_days",
                                 "claim_days"])
@pytest.mark.parametrize("typed, rule", [(0, "应大于 0"), (-5, "不小于 0"), ("两天", "数字")])
def test_timers_and_overview_days_must_be_positive_numbers(key, typed, rule):
    with pytest.raises(SettingsError) as exc:
        from_table([HEADER, ["high_value", "", 200], [key, "", typed]])
    assert rule in str(exc.value) and "设置!C3" in str(exc.value) and key in str(exc.value)


def test_a_bad_legacy_timer_is_named_by_its_own_cell():
    with pytest.raises(SettingsError) as exc:
        from_table([["platform_timeout_hours", "", 0]])
    assert "设置!C1" in str(exc.value)


def test_legacy_timer_given_directly_replaces_the_timers_left_at_their_defaults():
    s = Settings(platform_timeout_hours=72)
    assert (s.timeout_unshipped_hours, s.timeout_shipped_hours, s.timeout_return_hours) == (72, 72, 72)
    s = Settings(platform_timeout_hours=72, timeout_return_hours=200)
    assert (s.timeout_unshipped_hours, s.timeout_shipped_hours, s.timeout_return_hours) == (72, 72, 200)
    # from a table, only the timers the table does not set take it (an explicit 120 stays 120)
    s = from_table([["platform_timeout_hours", "", 72], ["timeout_shipped_hours", "", 120]])
    assert (s.timeout_unshipped_hours, s.timeout_shipped_hours, s.timeout_return_hours) == (72, 120, 72)


@pytest.mark.parametrize("typed, want", [("是", True), ("否", False), ("yes", True), ("NO", False), (True, True),
                                         (0, False), ("", False), (None, False)])
def test_apply_track_intercept_reads_yes_and_no(typed, want):
    assert from_table([["apply_track_intercept", "", typed]]).apply_track_intercept is want


def test_apply_track_intercept_names_the_cell_for_anything_else():
    with pytest.raises(SettingsError) as exc:
        from_table([HEADER, ["apply_track_intercept", "", "看情况"]])
    assert "设置!C2" in str(exc.value) and "是" in str(exc.value)


# ------------------------------------------------ a range of the wrong shape (contract §3, §5)

def _as_selected(cols: slice, header: bool = True, rows: int = 20) -> list[list[object]]:
    """The template's 设置 range A1:D20 as xlwings hands it over (numbers as floats), cut to the columns a
    user selected by mistake (C1:C20: the values only; C1:D20: values and notes; D1:D20: notes)."""
    table = [[float(v) if isinstance(v, int) else v for v in r] for r in settings_table()]
    table = table if header else table[1:]
    table += [[None] * 4 for _ in range(rows - len(table))]
    return [r[cols] for r in table]


@pytest.mark.parametrize("cols", [slice(2, 3), slice(2, 4), slice(3, 4), slice(3, 2, -1)],
                         ids=["C", "C:D", "D", "C-only-reversed"])
@pytest.mark.parametrize("header", [True, False])
def test_a_range_naming_no_setting_is_a_message_never_the_defaults(cols, header):
    with pytest.raises(SettingsError) as err:
        from_table(_as_selected(cols, header))
    text = str(err.value)
    assert "设置" in text and "认不出任何设置项" in text and "设置!A1:D20" in text and len(text) < 90
    assert "settings" not in text  # (no English key: the range as a whole names no setting)


@pytest.mark.parametrize("table", [None, [], [[None]], [[None, None], ["", None]], [HEADER], [HEADER, [None] * 4]])
def test_an_omitted_or_empty_range_is_the_defaults(table):
    assert from_table(table) == DEFAULTS


def test_a_key_value_or_a_label_value_range_is_read():
    assert from_table([["键", "值"], ["high_value", 100.0]]).high_value == 100
    assert from_table([r[1:3] for r in _as_selected(slice(0, 4))][:3]).high_value == 200
    assert from_table([["高客单金额阈值(元)", 100.0]]).high_value == 100


@pytest.mark.parametrize("key", [s.key for s in SETTINGS if isinstance(s.default, (int, float))])
@pytest.mark.parametrize("code, shown", [(-2146826273, "#VALUE!"), (-2146826246, "#N/A"), (-2146826281, "#DIV/0!")])
def test_an_error_cell_is_quoted_as_excel_shows_it(key, code, shown):
    with pytest.raises(SettingsError) as err:
        from_table([HEADER, [key, "", code, ""]])
    assert f"「{shown}」" in str(err.value) and str(code) not in str(err.value)


@pytest.mark.parametrize("value, shown", [(-48.0, "-48"), (-48, "-48"), (-12.5, "-12.5"), (1e9, "1000000000")])
def test_a_number_is_quoted_as_the_cell_shows_it(value, shown):
    with pytest.raises(SettingsError) as err:
        from_table([HEADER, ["lost_hours", "", value, ""]])
    assert f"「{shown}」" in str(err.value)


# ------------------------------------- a row naming no setting, two rows of one (contract §3: never a silent default)

ALL_NAMES = [(s.key, s.label) for s in SETTINGS + settings_mod.LEGACY] + [("now", "基准时间")]
KNOWN = {n for pair in ALL_NAMES for n in pair}
# slips of a hand or an input method: a neighbour key, a character of the same sound (阀/阈, 植/值, 时/实)
SLIP_CHARS = "阀植实视地区件金阈值小时元天数ehlgiuoavrst_"
SOUNDS = {"阈": "阀", "值": "植", "时": "实", "件": "建", "客": "刻", "额": "鹅", "单": "丹", "语": "雨", "期": "其"}


def _slip(name: str, kind: str, at: int, char: str) -> str:
    """``name`` with one slip: a character typed wrong, added, left out, two neighbours swapped, or one of
    the same sound."""
    i = at % len(name)
    if kind == "wrong":
        return name[:i] + char + name[i + 1:]
    if kind == "added":
        return name[:i] + char + name[i:]
    if kind == "left_out":
        return name[:i] + name[i + 1:]
    if kind == "swapped":
        i = min(i, len(name) - 2)
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    sounds = [j for j, c in enumerate(name) if c in SOUNDS]
    j = sounds[at % len(sounds)] if sounds else i
    return name[:j] + SOUNDS.get(name[j], char) + name[j + 1:]


def _template_table(rows: list[list[object]]) -> list[list[object]]:
    """A 设置 table as the template lays it out: header, the rows, the 基准时间 row, a blank row and the 说明 rows."""
    return [HEADER, *rows, ["now", "基准时间", None, "留空 = 当前时间"], [None] * 4, ["说明", None, None, None],
            ["只改「值」一列（黄色格）。填错时，公式列会显示出错的格子和规则。", None, None, None],
            ["每个值格都有同名的名称（公式 → 名称管理器），例如 =high_value。", None, None, None]]


SLIPS = ["wrong", "added", "left_out", "swapped", "sound"]


@given(which=st.sampled_from(ALL_NAMES), kinds=st.tuples(st.sampled_from(SLIPS), st.sampled_from(SLIPS)),
       at=st.tuples(st.integers(0, 40), st.integers(0, 40)), chars=st.tuples(*[st.sampled_from(SLIP_CHARS)] * 2),
       key_too=st.booleans(), key_blank=st.booleans())
def test_a_row_whose_names_are_mistyped_is_said_with_its_cell_never_the_default(which, kinds, at, chars, key_too,
                                                                                 key_blank):
    key, label = which
    typed_label = _slip(label, kinds[1], at[1], chars[1])
    typed_key = None if key_blank else _slip(key, kinds[0], at[0], chars[0]) if key_too else "my_" + key + "_2"
    assume(typed_label not in KNOWN and vocab.fold(typed_label) not in KNOWN)
    assume(typed_key is None or typed_key.lower() not in KNOWN)
    assume(vocab.fold(typed_label) != vocab.fold(label))  # (a slip NFKC folds away, 高客单金额阈值（元）, is the label)
    rows = [[s.key, s.label, s.default, s.note] for s in SETTINGS if s.key != key]
    rows.insert(1, [typed_key, typed_label, 100, "改过"])
    with pytest.raises(SettingsError) as err:
        from_table(_template_table(rows))
    text = str(err.value)
    assert err.value.cell == ("设置!B3" if typed_key is None else "设置!A3") and err.value.cell in text
    assert vocab.fold(typed_label) in text and "没有用上" in text and "\n" not in text
    # the setting it may be is named, unless another setting's name is as close to what was typed
    slips = {k: min(vocab.edit_distance(t.lower(), n.lower()) for t in (typed_key or "", typed_label) if t for n in pair)
             for k, *pair in ALL_NAMES}
    if min(v for k, v in slips.items() if k != key) > slips[key] <= 1:
        assert f"是否为 {key}「{label}」" in text


@pytest.mark.parametrize("typed, key", [
    (["hihg_value", "高客单金额阀值(元)", 100], "high_value"),
    ([None, "丢件阀值(小时)", 36], "lost_hours"),
    (["丢件阈值", 36], "lost_hours"),                     # the label without its unit
    (["Lost Hours", "", 36], "lost_hours"),
    (["催件阀值（小时）", 12], "nudge_hours"),
    (["platform_timeout_hour", "", 36], "platform_timeout_hours"),
    (["基准时问", "2025-06-10 12:00"], "now"),
])
def test_a_mistyped_row_names_the_setting_it_may_be(typed, key):
    with pytest.raises(SettingsError) as err:
        from_table([HEADER, ["high_value", "", 200], typed])
    assert f"是否为 {key}「" in str(err.value) and "设置!" in str(err.value)


@pytest.mark.parametrize("row", [
    ["vip_value", "VIP阈值", 800, ""],   # a name near no setting: said too (the desk may think it counts)
    [None, None, 800, ""],               # a value with no name at all
])
def test_a_row_naming_no_setting_but_holding_a_value_is_said(row):
    with pytest.raises(SettingsError) as err:
        from_table([HEADER, ["high_value", "", 200, ""], row])
    assert "设置!" in str(err.value) and "3" in err.value.cell and "是否为" not in str(err.value)


@pytest.mark.parametrize("row", [["负责人", None, "张三", None], ["更新日期", None, "2025-06-01", None],
                                 ["注意事项", None, "改完记得保存", None], [None, None, "(单位：元)", None]])
def test_a_desks_own_row_near_no_setting_is_left_alone(row):
    """(a desk keeps its own lines in 设置: who maintains it, when it changed — no setting's name, none refused)"""
    assert from_table([HEADER, ["high_value", "", 250, ""], row]).high_value == 250


@pytest.mark.parametrize("row", [["备注", "这是我们店的设置", None, None], ["说明", "只改值一列"],
                                 ["注：改完保存", None, None], [None, None, None, "一条备注"], ["说明：", "x", "y"],
                                 ["键", "项目", "值", "说明"], ["hihg_value", "高客单金额阀值(元)", None, None]])
def test_notes_help_and_empty_rows_are_left_alone(row):
    assert from_table([HEADER, ["high_value", "", 250, ""], row]).high_value == 250


def test_the_template_table_with_its_help_rows_reads_as_the_defaults():
    assert from_table(_template_table([[s.key, s.label, s.default, s.note] for s in SETTINGS])) == DEFAULTS


def test_a_key_in_capitals_is_the_key():
    assert from_table([["HIGH_VALUE", "", 300]]).high_value == 300


def test_a_row_whose_key_and_label_name_two_settings_is_said():
    with pytest.raises(SettingsError) as err:
        from_table([HEADER, ["lost_hours", "偏远地区丢件阈值(小时)", 96, ""]])
    assert err.value.cell == "设置!A2" and "remote_lost_hours" in str(err.value)


@pytest.mark.parametrize("key", list(CHANGED))
@pytest.mark.parametrize("second", ["key", "label"])
def test_two_rows_of_one_setting_with_two_values_name_both_cells(key, second):
    typed, _value = CHANGED[key]
    default = next(s.default for s in SETTINGS if s.key == key)
    other = [key, "", typed, "新值"] if second == "key" else [None, LABEL[key], typed, "新值"]
    for rows in ([HEADER, [key, LABEL[key], default, ""], ["high_value" if key != "high_value" else "claim_days",
                                                           "", 300, ""], other],
                 [HEADER, other, [key, LABEL[key], default, ""]]):
        with pytest.raises(SettingsError) as err:
            from_table(rows)
        text = str(err.value)
        cells = ["设置!C2", "设置!C4"] if rows[1] is not other else ["设置!C2", "设置!C3"]
        assert all(c in text for c in cells) and "两行" in text and key in text


@pytest.mark.parametrize("key", list(CHANGED))
def test_two_rows_of_one_setting_with_one_value_are_read(key):
    typed, value = CHANGED[key]
    assert getattr(from_table([HEADER, [key, LABEL[key], typed, ""], [None, LABEL[key], typed, "同上"]]), key) == value


@pytest.mark.parametrize("key", ["lost_hours", "remote_lost_hours"])
@pytest.mark.parametrize("written", ["both", "nudge_only", "lost_only"])
def test_lost_below_nudge_names_the_cells_that_hold_the_values(key, written):
    """The message names the cell of each value written, and says which value is the default (no cell holds it)."""
    rows = [HEADER, ["lost_hours" if key == "remote_lost_hours" else "high_value", "", 200]]  # (only one check fails)
    if written != "lost_only":
        rows.append(["nudge_hours", "", 100])
    if written != "nudge_only":
        rows.append([key, "", 20])
    with pytest.raises(SettingsError) as err:
        from_table(rows)
    text, label = str(err.value), LABEL[key]
    if written == "both":
        assert err.value.cell == "设置!C4" and f"（{key}）" in text and "设置!C3" in text
    elif written == "nudge_only":
        assert err.value.cell == "设置!C3" and "（nudge_hours）" in text and f"{label}（表里没有这一行，按默认" in text
    else:
        assert err.value.cell == "设置!C3" and f"（{key}）" in text and "催件阈值（24，表里没有这一行，按默认值）" in text


@pytest.mark.parametrize("head", [["键", "名称", "值", "说明"], ["参数", "项目名称", "数值", "备注"], ["key", "name", "value", "notes"],
                                  ["设置项", "名字", "当前值", "单位"]])
def test_a_settings_table_headed_in_a_desks_own_words_is_read(head):
    """A 设置 table a desk heads its own way (键 | 名称 | 值 | 说明) is a header row, never a setting it cannot name."""
    s = settings_mod.from_table([head, ["high_value", "高客单金额阈值(元)", 300, ""]])
    assert s.high_value == 300


def test_two_rows_of_one_setting_are_named_in_one_short_line():
    """(the two values quoted cut short: a huge number typed stays one short line)"""
    with pytest.raises(SettingsError) as err:
        settings_mod.from_table([["high_value", "", 200], ["high_value", "", 10 ** 60]])
    assert len(str(err.value)) <= 80 and "\n" not in str(err.value), str(err.value)


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["新疆", "西藏", "青海", "内蒙古自治区", "黑龙江省齐齐哈尔市", "海南"]), min_size=1, max_size=30),
       st.lists(st.sampled_from(["甘肃", "宁夏回族自治区", "云南", "x" * 40]), min_size=1, max_size=30))
def test_two_rows_of_one_setting_say_their_values_in_one_short_line(first, second):
    """Two long values of one setting (a list of regions, a huge number) are shown cut, as every value
    in a settings message is: a message stays one short line however long the cells are."""
    with pytest.raises(SettingsError) as err:
        from_table([HEADER, ["remote_regions", "", "、".join(first), ""], ["remote_regions", "", "、".join(second), ""]])
    text = str(err.value)
    assert "两行" in text and "\n" not in text and len(text) <= 120, text
