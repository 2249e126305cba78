"""contract §2 messy values: each parser on the forms a desk's sheet really holds."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from hypothesis import assume, example, given, settings, strategies as st

from refund_xl._core import vocab
from refund_xl._core.fields import FIELD_BY_KEY
from refund_xl._core.vocab import BAD


# ------------------------------------------------------------------ fold

@pytest.mark.parametrize("raw, folded", [
    ("  运输中 ", "运输中"),
    ("运 输 中", "运输中"),
    ("\u3000已签收\u3000", "已签收"),          # ideographic (full-width) spaces
    ("ＳＦ１２３", "SF123"),                   # full-width letters and digits
    ("（元）", "(元)"),
])
def test_fold(raw, folded):
    assert vocab.fold(raw) == folded


# ------------------------------------------------------------------ blanks

@pytest.mark.parametrize("parse", [vocab.parse_text, vocab.parse_id, vocab.parse_money,
                                   vocab.parse_datetime, vocab.parse_deadline, vocab.parse_province])
@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000", float("nan")])
def test_blank_cells_are_none(parse, blank):
    assert parse(blank) is None


@pytest.mark.parametrize("parse", [vocab.parse_text, vocab.parse_id, vocab.parse_money,
                                   vocab.parse_datetime, vocab.parse_deadline, vocab.parse_province])
@pytest.mark.parametrize("error", sorted(vocab.EXCEL_ERRORS) + ["#div/0!", " #N/A "])
def test_excel_error_values_are_unreadable_not_blank(parse, error):
    # a failed formula (a VLOOKUP that found nothing) says nothing: never an empty cell taking a default
    assert parse(error) is BAD


def test_bad_is_falsy_and_not_none():
    assert not BAD and BAD is not None


# ------------------------------------------------------------------ ids

@pytest.mark.parametrize("raw, text", [
    ("0044328104910363187", "0044328104910363187"),   # leading zeros kept
    (" 00123 ", "00123"),
    ("００１２３", "00123"),                            # full-width digits
    (1.0, "1"),                                        # an Excel number, no ".0"
    (12345, "12345"),
    ("12345.0", "12345"),                              # text of a float
    ("SF1234567890", "SF1234567890"),
    ('="4242994886263078938"', "4242994886263078938"),   # an export's guard against Excel's float
    (1.5, "1.5"),
    (123456789012345.0, "123456789012345"),            # 15 digits: Excel keeps them all
    ("73E100002", "73E100002"),                        # letters inside a waybill are not an exponent
])
def test_parse_id_stays_text(raw, text):
    got = vocab.parse_id(raw)
    assert got == text and isinstance(got, str)


@pytest.mark.parametrize("raw", [True, float("inf")])
def test_parse_id_unreadable(raw):
    assert vocab.parse_id(raw) is BAD


@given(st.integers(min_value=10**15, max_value=10**19 - 1))
def test_an_id_of_16_or_more_digits_that_excel_made_a_number_is_unreadable(n):
    # Excel keeps 15 significant digits: the float it hands over lost the rest (contract §2 "Ids")
    assert vocab.parse_id(float(n)) is BAD
    assert vocab.is_lossy_id(float(n))
    assert vocab.parse_id(f"{float(n):.6G}") is BAD            # as Excel shows it: 4.80299E+18
    assert vocab.parse_id(repr(float(n))) is BAD               # as Python or a CSV wrote it
    mantissa, exponent = f"{float(n):.15E}".split("E")
    assert vocab.parse_id(f"{mantissa}E{int(exponent)}") is BAD  # as a Java tool writes it (no sign: 4.80…E18)
    assert vocab.parse_id(str(n)) == str(n)                    # the same id kept as text is fine


@given(st.integers(min_value=1, max_value=10**15 - 1))  # (0: no number, test_an_id_of_zeros_alone_is_unreadable)
def test_an_id_of_15_digits_or_fewer_is_kept_whole(n):
    assert vocab.parse_id(float(n)) == str(n)


# ------------------------------------------------------------------ money

@pytest.mark.parametrize("raw, number", [
    ("¥1,299.00", 1299.0),
    ("￥1,299.00", 1299.0),                 # full-width yen sign
    ("59 元", 59.0),
    ("59元", 59.0),
    (" 88 ", 88.0),
    ("１２０", 120.0),                      # full-width digits
    ("1，299", 1299.0),                     # full-width comma
    ("RMB 66.5", 66.5),
    (59, 59.0),
    (199.99, 199.99),
    ("0", 0.0),
])
def test_parse_money(raw, number):
    got = vocab.parse_money(raw)
    assert got == number and isinstance(got, float)


@pytest.mark.parametrize("raw", ["五十九", "abc", "-5", -5.0, "12元3角", True, float("inf"),
                                 "1.299,00", "1,29", "1.2.3", "12,34,567", "1.299.000"])
def test_parse_money_unreadable(raw):
    # a format the reader does not know is unreadable, never a guess (1.299,00 is not 1.3 元)
    assert vocab.parse_money(raw) is BAD


@given(st.integers(min_value=1000, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_a_european_amount_is_never_read_as_a_small_number(whole, cents):
    grouped = f"{whole:,}".replace(",", ".") + f",{cents:02d}"      # 1.299,00
    assert vocab.parse_money(grouped) is BAD
    assert vocab.parse_money(f"{whole:,}.{cents:02d}") == float(f"{whole}.{cents:02d}")


_ID = st.from_regex(r"[A-Z]{0,2}[0-9]{6,19}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(_ID, _ID, st.sampled_from([" ", "  ", "\n", "\r\n", "\t", "\u3000"]))
def test_two_numbers_in_one_id_cell_are_never_run_together(first, second, gap):
    """4242 4243, or two numbers on two lines of one cell: unreadable (which is it?), never 42424243 —
    a number nobody typed, that would key and be written back; a phone's grouped digits are one number."""
    assume(first.strip("0"))  # (zeros alone are no number: test_an_id_of_zeros_alone_is_unreadable)
    assert vocab.parse_id(first + gap + second) is BAD
    assert vocab.parse_id(" " + first + gap) == first
    phone = "1" + "".join(filter(str.isdigit, second))[-10:].rjust(10, "3")
    assert vocab.parse_phone(f"{phone[:3]}{gap}{phone[3:7]}{gap}{phone[7:]}") == phone


@settings(max_examples=200, deadline=None)
@given(_ID, _ID, st.sampled_from([",", "，", "、", ";", "；", "/", "|", ", "]))
def test_two_ids_with_a_mark_between_are_unreadable(first, second, mark):
    """4242…938,4242…939 or SF1234567/SF7654321 in one cell: two ids — which is the row's? unreadable, never a key
    made of both."""
    assume(first.strip("0") and second.strip("0"))
    assert vocab.parse_id(first + mark + second) is BAD, first + mark + second


@given(st.integers(min_value=10**9, max_value=10**19 - 1))
def test_a_long_number_shown_with_thousands_separators_is_its_digits(n):
    """4,242,994,886,263,078,938: a number format's groups of three — the id is its digits (whether Excel padded
    them with zeros the column then tells, as for any id)."""
    assert vocab.parse_id(f"{n:,}") == str(n)


_SIGNS = ("", "¥", "￥", "RMB", "RMB ", "CNY ", "人民币")
_UNITS = ("", "元", " 元", "块", "块钱", "圆", "￥")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**7), st.sampled_from(_SIGNS), st.sampled_from(_UNITS), st.booleans(),
       st.integers(min_value=1, max_value=12), st.sampled_from(["元", "块", "¥", "RMB"]))
def test_an_amount_is_its_number_with_a_sign_before_and_a_unit_after_only(cents, sign, unit, grouped, at, inside):
    """¥1,299.00, 59元, 59块钱, RMB 66.5: the number; a sign or unit inside the digits (59元5, 5块9) is no
    amount the desk typed on purpose: unreadable, never the digits run together (595)."""
    number = f"{cents // 100:,}" if grouped else str(cents // 100)
    text = f"{number}.{cents % 100:02d}"
    assert vocab.parse_money(sign + text + unit) == cents / 100
    digits = text.replace(",", "").replace(".", "")
    k = min(at, len(digits) - 1)
    if k > 0:
        assert vocab.parse_money(sign + digits[:k] + inside + digits[k:] + unit) is BAD


# ------------------------------------------------------------------ datetimes

@pytest.mark.parametrize("raw, when", [
    (datetime(2025, 6, 3, 10, 0), datetime(2025, 6, 3, 10, 0)),       # an Excel datetime
    # a datetime is the moment a caller gave, 00:00 too (Value2's serial 45811.0 and a date are the whole day)
    (datetime(2025, 6, 3, 0, 0), datetime(2025, 6, 3, 0, 0)),
    (date(2025, 6, 3), vocab.whole_day(date(2025, 6, 3))),
    (45811.0, vocab.whole_day(date(2025, 6, 3))),                                   # an Excel serial (float)
    (45811.5, datetime(2025, 6, 3, 12, 0)),
    (45811, vocab.whole_day(date(2025, 6, 3))),                                     # an Excel serial (int)
    ("45811.5", datetime(2025, 6, 3, 12, 0)),                          # a serial as text
    ("45811", vocab.whole_day(date(2025, 6, 3))),
    ("2025年6月3日 10:00", datetime(2025, 6, 3, 10, 0)),
    ("2025年6月3日10时30分", datetime(2025, 6, 3, 10, 30)),
    ("2025年06月03日", vocab.whole_day(date(2025, 6, 3))),
    ("2025/6/3 10:00", datetime(2025, 6, 3, 10, 0)),
    ("2025/6/3", vocab.whole_day(date(2025, 6, 3))),
    ("2025-06-03", vocab.whole_day(date(2025, 6, 3))),
    ("2025-06-03 10:00:30", datetime(2025, 6, 3, 10, 0, 30)),
    ("2025-06-03T10:00", datetime(2025, 6, 3, 10, 0)),
    ("2025.6.3 9:05", datetime(2025, 6, 3, 9, 5)),
    (" ２０２５－０６－０３ ", vocab.whole_day(date(2025, 6, 3))),                   # full-width
    ("2025-06-03T10:00:00+08:00", datetime(2025, 6, 3, 10, 0)),        # ISO with an offset
    ("2025-06-03T02:00:00Z", datetime(2025, 6, 3, 10, 0)),             # UTC → China time
    ("2025-06-03T04:00:00+02:00", datetime(2025, 6, 3, 10, 0)),
    ("20250603", vocab.whole_day(date(2025, 6, 3))),
    ("2025年6月3号 下午3点", datetime(2025, 6, 3, 15, 0)),
    ("2025/6/3 晚上8点半", datetime(2025, 6, 3, 20, 30)),
    ("2025-6-3 上午10:05", datetime(2025, 6, 3, 10, 5)),
])
def test_parse_datetime(raw, when):
    got = vocab.parse_datetime(raw)
    assert got == when and got.__class__ is when.__class__  # a whole day is never its 00:00


# How a time zone is named after a date and time (contract §2 "Dates": an offset is converted to China time): an
# offset after a space, GMT/UTC with one, in brackets or not; {} is the signed offset in hours and minutes.
_ZONE_FORMS = (" {sign}{hh:02d}{mm:02d}", " {sign}{hh:02d}:{mm:02d}", " GMT{sign}{h}", " UTC{sign}{hh:02d}:{mm:02d}",
               " (UTC{sign}{h})", "（GMT{sign}{h}）")
_CHINA_NAMED = (" 北京时间", "（北京时间）", " (北京时间)", " GMT+8", " UTC+08:00", " +0800")


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2098, 12, 30)).map(lambda d: d.replace(second=0,
                                                                                                              microsecond=0)),
       st.integers(-12, 13), st.sampled_from([0, 30, 45]), st.sampled_from(_ZONE_FORMS),
       st.sampled_from(["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y年%m月%d日 %H:%M"]))
@example(when=datetime(2025, 6, 8, 10, 0), hours=8, minutes=0, form=" {sign}{hh:02d}{mm:02d}", layout="%Y-%m-%d %H:%M:%S")
def test_a_time_written_in_a_named_time_zone_is_read_in_china_time(when, hours, minutes, form, layout):
    """2025-06-08 10:00:00 +0800 (a log's or an API's form), 2025-06-08 02:00 GMT+0 … : the time in that zone, in China
    time.  (An offset in whole hours only where the form writes no minutes.)"""
    if "{mm" not in form:
        minutes = 0
    offset = timedelta(hours=abs(hours), minutes=minutes) * (-1 if hours < 0 else 1)
    there = when - timedelta(hours=8) + offset  # the same moment on that zone's clock
    text = there.strftime(layout) + form.format(sign="-" if hours < 0 else "+", h=abs(hours), hh=abs(hours), mm=minutes)
    assert vocab.parse_datetime(text) == when, text


@pytest.mark.parametrize("zone", _CHINA_NAMED)
def test_china_time_named_after_a_date_changes_nothing(zone):
    """北京时间 / GMT+8 after a date: the date as written, with or without its time of day or its year."""
    assert vocab.parse_datetime("2025-06-08 10:00" + zone) == datetime(2025, 6, 8, 10, 0)
    assert vocab.parse_datetime("2025-06-08" + zone) == vocab.WholeDay(2025, 6, 8)
    assert vocab.parse_datetime("6月8日 10:00" + zone) == vocab.parse_datetime("6月8日 10:00")


@pytest.mark.parametrize("text", ["2025-06-08 10:00 CST", "2025-06-08 UTC", "6月8日 10:00 UTC", "2025-06-08 10:00 GMT+15",
                                  "2025-06-08 10:00 +0870", "北京时间", "GMT+8"])
def test_a_zone_that_does_not_fix_the_moment_is_unreadable(text):
    """CST (China, or US Central?), a whole day or a date without its year in another zone (where does the day start
    there?), an offset no zone has, a zone with no date."""
    assert vocab.parse_datetime(text) is BAD


@pytest.mark.parametrize("raw", ["2025-06-03", "2025/6/3", "2025.6.3", "2025年6月3日", "20250603", date(2025, 6, 3)])
def test_a_date_without_a_time_of_day_is_the_whole_day(raw):
    got = vocab.parse_datetime(raw)
    assert isinstance(got, vocab.WholeDay)
    assert vocab.day_ends(got) == (datetime(2025, 6, 3), datetime(2025, 6, 3, 23, 59, 59))


@pytest.mark.parametrize("raw, when", [
    ("6月8日 10:00", (6, 8, 10, 0)), ("6月8号 10点", (6, 8, 10, 0)), ("6月8日 下午3点", (6, 8, 15, 0)),
    ("06-08 10:00", (6, 8, 10, 0)), ("6.8 10:00", (6, 8, 10, 0)), ("6/8 10:00", (6, 8, 10, 0)),
    ("6月8日10点30分", (6, 8, 10, 30)), ("6月8日 晚上9点", (6, 8, 21, 0)), ("6月8日 中午12点", (6, 8, 12, 0)),
])
def test_dates_without_a_year(raw, when):
    got = vocab.parse_datetime(raw)
    assert isinstance(got, vocab.YearLess) and got.timed and (got.month, got.day, got.hour, got.minute) == when


NOW_6_10 = datetime(2025, 6, 10, 12, 0)


@given(st.integers(min_value=-200, max_value=200), st.integers(min_value=0, max_value=23))
def test_a_year_less_event_is_the_latest_not_after_now_and_a_deadline_the_nearest(days, hour):
    when = NOW_6_10 + timedelta(days=days)
    when = when.replace(hour=hour, minute=0)
    typed = f"{when.month}月{when.day}日 {hour}:00"
    got = vocab.parse_datetime(typed)
    if (when.month, when.day) == (2, 29):
        return
    event = vocab.resolve_year(got, NOW_6_10)
    # (a time a few hours after now is today, as it is when written with its year: the 基准时间 behind the sheet; the
    # latest such date further back than vocab.YEARLESS_BACK — a later date typed by mistake, or last year? — unreadable)
    if NOW_6_10 - vocab.YEARLESS_BACK <= when <= NOW_6_10 + vocab.EVENT_SKEW:
        assert event == when
    else:
        assert event is BAD or NOW_6_10 - vocab.YEARLESS_BACK <= event <= NOW_6_10 + vocab.EVENT_SKEW
    deadline = vocab.resolve_year(got, NOW_6_10, nearest=True)
    assert abs((deadline - NOW_6_10).total_seconds()) <= 183 * 86400
    if abs(days) < 150:
        assert deadline == when                           # two days ahead is two days ahead, not last year


def test_a_year_less_date_without_a_time_is_a_whole_day():
    got = vocab.resolve_year(vocab.parse_datetime("6月8日"), NOW_6_10)
    assert isinstance(got, vocab.WholeDay) and got == vocab.whole_day(date(2025, 6, 8)) and got != datetime(2025, 6, 8)


def test_serial_matches_excel_datetime():
    # Excel's serial 45811.416666… is 2025-06-03 10:00 (what a workbook without the date format holds).
    got = vocab.parse_datetime(45811 + 10 / 24)
    assert abs((got - datetime(2025, 6, 3, 10)).total_seconds()) < 1


@pytest.mark.parametrize("raw", ["昨天", "2025-13-01", "2025-02-30", "6/3/2025", "3/6/2025", "13/45", 12.0, 999999.0,
                                 True, float("inf"), "2025年6月3日 25:00", "6月8日 下午15点", "2025-06-03 10:61",
                                 # a fraction of an hour (ISO allows it; no desk means 10:00:00.5 by 10,5)
                                 "2025-06-08T10,5", "2025-06-08T10.5", "2025-06-08 10.3", "2025-W23-1"])
def test_parse_datetime_unreadable(raw):
    assert vocab.parse_datetime(raw) is BAD


# ------------------------------------------------------------------ provinces

@pytest.mark.parametrize("raw, province", [
    ("新疆维吾尔自治区乌鲁木齐市天山区", "新疆"),
    ("西藏自治区拉萨市城关区", "西藏"),
    ("甘肃省兰州市", "甘肃"),
    ("青海", "青海"),
    ("内蒙古自治区呼和浩特市", "内蒙古"),
    ("黑龙江省哈尔滨市", "黑龙江"),
    ("上海市黄浦区河南中路88号", "上海"),          # the first province named wins
    ("  广东省 深圳市 ", "广东"),
    ("收货地址：浙江省杭州市", "浙江"),
    ("乌鲁木齐", "新疆"),                          # a city alone: its province
    ("衢州市柯城区", "衢州市柯城区"),              # neither a province nor a city known: kept as typed
])
def test_parse_province(raw, province):
    assert vocab.parse_province(raw) == province


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(vocab.CITIES)), st.sampled_from(["", "市", "地区"]), st.sampled_from(["", "天山区", "城关区 幸福路8号"]),
       st.sampled_from(["", "收货地址：", "张三 13800000000 "]))
def test_an_address_that_names_only_its_city_is_in_its_province(city, suffix, district, lead):
    """乌鲁木齐市天山区 is in 新疆: a parcel to a remote city is a remote parcel, whether or not the
    desk wrote the province."""
    assert vocab.parse_province(lead + city + suffix + district) == vocab.CITIES[city]


# ------------------------------------------------------------------ text

def test_parse_text_trims_and_folds():
    assert vocab.parse_text("  顺丰速运 ") == "顺丰速运"
    assert vocab.parse_text("ＳＦ") == "SF"
    assert vocab.parse_text(3.0) == "3"
    assert vocab.parse_text(3.5) == "3.5"


@settings(max_examples=300, deadline=None)
@given(st.integers(1985, 2105), st.integers(0, 14), st.integers(0, 33), st.integers(0, 26), st.integers(0, 62),
       st.one_of(st.none(), st.integers(0, 62)), st.sampled_from(["-", "/", ".", "年"]), st.sampled_from(["-", "/", ".", "月"]),
       st.sampled_from(["", "日", "号"]), st.sampled_from([" ", "T"]), st.booleans())
def test_the_usual_date_text_reads_as_the_general_grammar_reads_it(y, mo, d, h, mi, sec, s1, s2, day, gap, pad):
    """parse_datetime's shortcut for the usual text form gives what the general grammar gives
    (a leading space sends the same text the long way)."""
    two = (lambda v: f"{v:02d}") if pad else str
    text = f"{y}{s1}{two(mo)}{s2}{two(d)}{day}{gap}{h}:{two(mi)}" + (f":{two(sec)}" if sec is not None else "")
    assert vocab.parse_datetime(text) == vocab.parse_datetime(" " + text)


# the day as desks write it (with and without a year) and the time of day as they write it: every pairing
_DAYS = [("{y}年{m}月{d}日", True), ("{y}-{mm}-{dd}", True), ("{y}/{m}/{d}", True), ("{y}.{m}.{d}", True),
         ("{y}{mm}{dd}", True), ("{m}月{d}日", False), ("{m}月{d}号", False), ("{mm}-{dd}", False), ("{m}.{d}", False),
         ("{m}/{d}", False)]
# the half-day words for each hour of the day, as people say them (凌晨2点, 早8点, 中午12点, 下午3点,
# 傍晚6点, 晚8点, 夜里11点)
_HALF_OF = {**{h: ("凌晨",) for h in range(0, 6)}, 6: ("上午", "早上", "早晨", "早", "凌晨"),
            **{h: ("上午", "早上", "早晨", "早") for h in range(7, 12)}, 12: ("中午", "下午"),
            13: ("下午", "中午"), 14: ("下午", "中午"), **{h: ("下午",) for h in range(15, 16)},
            **{h: ("下午", "傍晚") for h in range(16, 19)}, 19: ("晚上", "晚", "下午", "傍晚"),
            20: ("晚上", "晚", "下午", "傍晚", "夜里", "夜间", "夜"),
            **{h: ("晚上", "晚", "下午", "夜里", "夜间", "夜") for h in range(21, 24)}}
# an hour a half-day word does not place on one side of midnight or noon: 晚上12点, 夜里2点, 上午12点
_ACROSS = [("晚上", h) for h in (12, 1, 2, 3, 4, 5)] + [("夜里", h) for h in (12, 1, 2, 3, 5, 7)] + \
    [("晚", 12), ("夜", 2), ("上午", 12), ("早", 12), ("早上", 2)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_DAYS), st.integers(1, 12), st.integers(1, 28),
       st.sampled_from(sorted({w for words in _HALF_OF.values() for w in words})), st.sampled_from([" ", ""]),
       st.sampled_from(["", "时分", "时候"]))
def test_a_part_of_the_day_without_an_hour_is_the_whole_day(day, m, d, half, gap, tail):
    """6月8日上午, 2025-06-08 晚上, 6.8 傍晚时分: some time that day, as the day alone says (a whole day; no hour is
    made up); the same word with an hour reads that hour, and alone (晚上) it is no date."""
    form, _with_year = day
    typed = form.format(y=2025, m=m, d=d, mm=f"{m:02d}", dd=f"{d:02d}")
    alone = vocab.parse_datetime(typed)
    assume(alone is not BAD)
    got = vocab.parse_datetime(typed + gap + half + tail)
    assert got == alone and type(got) is type(alone), (typed + gap + half + tail, got, alone)
    assert vocab.parse_datetime(half + tail) is BAD


@pytest.mark.parametrize("half, hour", _ACROSS)
@pytest.mark.parametrize("day", ["2025年6月8日 ", "6月8日", "2025/6/8 "])
def test_an_hour_a_half_day_word_does_not_place_is_unreadable(half, hour, day):
    """晚上12点 or 夜里2点 (which night?) and 上午12点 (noon or midnight?) are no moment: unreadable."""
    assert vocab.parse_datetime(f"{day}{half}{hour}点") is BAD


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_DAYS), st.integers(1, 12), st.integers(1, 28), st.integers(0, 23), st.integers(0, 59),
       st.sampled_from(["clock", "dot", "点", "点分", "点半", "half"]), st.sampled_from([" ", ""]), st.randoms())
def test_every_day_form_reads_with_every_time_of_day_form(day, m, d, h, mi, form, gap, rnd):
    """A day form next to a time-of-day form reads as that moment, or as unreadable where the two
    could run together (06-0810:00); never as another moment."""
    pattern, has_year = day
    typed_day = pattern.format(y=2025, m=m, d=d, mm=f"{m:02d}", dd=f"{d:02d}")
    if form == "half":  # 下午3点 …: a half-day word and the hour on a 12-hour clock
        typed_time, mi = f"{rnd.choice(_HALF_OF[h])}{h - 12 if h > 12 else h}点", 0
    else:
        typed_time = {"clock": f"{h}:{mi:02d}", "dot": f"{h}.{mi:02d}", "点": f"{h}点", "点分": f"{h}点{mi}分", "点半": f"{h}点半"}[form]
        mi = {"点": 0, "点半": 30}.get(form, mi)
    got = vocab.parse_datetime(typed_day + gap + typed_time)
    runs_together = gap == "" and typed_day[-1].isdigit() and typed_time[0].isdigit()
    if runs_together:
        assert got is BAD, (typed_day + gap + typed_time, got)  # 06-0810:00: which digits are the day?
        return
    if has_year:
        assert got == datetime(2025, m, d, h, mi), (typed_day + gap + typed_time, got)
    else:
        assert isinstance(got, vocab.YearLess) and (got.month, got.day, got.hour, got.minute) == (m, d, h, mi), \
            (typed_day + gap + typed_time, got)


# a day of the week as people write it beside a date
_WEEKDAY_FORMS = ["星期{}", "周{}", "礼拜{}", "(周{})", "（星期{}）"]
_WEEKDAY_NAMES = ["一", "二", "三", "四", "五", "六", "日"]


@settings(max_examples=300, deadline=None)
@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 6), st.sampled_from(_WEEKDAY_FORMS),
       st.sampled_from([" ", ""]), st.sampled_from(["", " 10:30", " 下午3点"]), st.booleans(), st.booleans())
def test_a_day_of_the_week_beside_a_date_must_be_the_dates(day, weekday, form, gap, clock, year, tian):
    """2025年6月8日 星期日 reads as the date written without it; a day of the week that is not the date's
    makes it unreadable (which of the two was meant?); a year-less date is the date the year-less rule gives
    (an event: the latest not after now; a deadline: the nearest), and it must fall on that day of the week —
    never another year where it does."""
    name = "天" if weekday == 6 and tian and "周" not in form else _WEEKDAY_NAMES[weekday]
    typed_day = f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"
    typed = typed_day + gap + form.format(name) + clock
    plain = vocab.parse_datetime(typed_day + clock)
    got = vocab.parse_datetime(typed)
    if year:
        assert got == (plain if day.weekday() == weekday else BAD), (typed, got)
        return
    assert isinstance(got, vocab.YearLess) and got._replace(weekday=None) == plain, (typed, got)
    now = datetime(day.year, 7, 1, 12, 0)
    for nearest in (False, True):
        when = vocab.resolve_year(plain, now, nearest)
        fits = when is not BAD and when.weekday() == weekday
        assert vocab.resolve_year(got, now, nearest) == (when if fits else BAD), (typed, nearest)


# reference times at a year's turn, on the days around 29 Feb of leap and common years, and mid-year
_TURNS = [datetime(y, m, d, h, mi) for y in range(2024, 2029) for m, d in ((12, 31), (1, 1), (2, 28), (2, 29), (3, 1), (6, 10))
          for h, mi in ((0, 0), (9, 0), (23, 30)) if (m, d) != (2, 29) or y % 4 == 0]
_CLOCKS = {"": None, " 20:00": (20, 0), " 15:00": (15, 0), " 下午3点": (15, 0), "10点": (10, 0), " 00:00": (0, 0)}


@settings(max_examples=400, deadline=None)
@example(datetime(2026, 1, 1, 9), 0, 4, "(周{})", " 20:00", True)   # Thursday 1 Jan 2026, not a Friday: not 2027
@example(datetime(2025, 6, 10, 12), 0, 4, "(周{})", " 20:00", True)  # Tuesday 10 Jun 2025, not a Friday: not 2022
@example(datetime(2026, 1, 1, 9), 1, 5, "(周{})", " 15:00", True)    # Friday 2 Jan 2026, not a Saturday: not 2027
@given(st.sampled_from(_TURNS) | st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31)), st.integers(-3, 3),
       st.integers(0, 6), st.sampled_from(_WEEKDAY_FORMS), st.sampled_from(sorted(_CLOCKS)), st.booleans())
def test_a_day_of_the_week_never_moves_a_year_less_date_to_another_year(now, days, weekday, form, clock, nearest):
    """超时时间「1月1日(周五) 20:00」 seen on Thursday 1 Jan 2026 was read in 2027, where 1 Jan is a Friday: a deadline
    11 hours away shown OK with 8,771 hours left (6月10日(周五) on Tuesday 10 Jun 2025: 2022, 26,296 hours overdue).  A
    year-less date a few days from now with the day of the week it has is that date, in every date column; with
    another one it is unreadable (which of the two was meant?), never the date in a year where the weekday fits."""
    if not nearest:
        days = min(days, 0)  # (an event: not after now)
    day = (now + timedelta(days=days)).date()
    at = _CLOCKS[clock]
    typed = f"{day.month}月{day.day}日" + form.format(_WEEKDAY_NAMES[weekday]) + clock
    got = vocab.resolve_year(vocab.parse_datetime(typed), now, nearest)
    when = vocab.whole_day(day) if at is None else datetime(day.year, day.month, day.day, *at)
    assert got == (when if day.weekday() == weekday else BAD), (typed, now, nearest, got)


_LEAP_DAYS = [date(y, 2, 29) for y in range(2016, 2036, 4)]


@settings(max_examples=300, deadline=None)
@example(datetime(2026, 2, 28, 12), "2月29日", True)        # 29 Feb 2024: 17,532 hours overdue
@example(datetime(2026, 2, 28, 12), "2月29日 10:00", True)
@example(datetime(2027, 3, 1, 9), "2/29 10:00", True)       # 29 Feb 2028: a year ahead
@given(st.sampled_from(_TURNS) | st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31)),
       st.sampled_from(["2月29日", "2月29日 10:00", "2月29号 下午3点", "2/29", "02-29 10:00", "2.29 23:59"]), st.booleans())
def test_a_year_less_day_the_year_lacks_is_never_a_date_years_away(now, typed, nearest):
    """超时时间「2月29日」 seen on 28 Feb 2026 is, by "the occurrence nearest to now", 29 Feb 2024: a deadline 17,532
    hours overdue in 今日概览.  A year-less date further from now than the event times' bound (vocab.YEARLESS_BACK,
    about ten months) is a typo, not a date: unreadable, a deadline as an event time."""
    got = vocab.resolve_year(vocab.parse_datetime(typed), now, nearest)
    away = {d: abs(datetime(d.year, 2, 29, 12) - now) for d in _LEAP_DAYS}
    near = min(away, key=away.__getitem__)
    if away[near] > vocab.YEARLESS_BACK + timedelta(days=1):  # (no 29 Feb within ten months)
        assert got is BAD, (typed, now, got)
    elif away[near] < vocab.YEARLESS_BACK - timedelta(days=1) and (nearest or near < now.date()):  # (an event: past)
        assert got is not BAD and got.date() == near, (typed, now, got)
    if got is not BAD:
        assert abs(got - now) <= vocab.YEARLESS_BACK and (got.month, got.day) == (2, 29), (typed, now, got)


@settings(max_examples=300, deadline=None)
@example(datetime(2026, 2, 28, 12), date(2024, 2, 29), "")
@given(st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31)), st.dates(date(2024, 1, 1), date(2024, 12, 31)),
       st.sampled_from(["", " 10:00", " 晚上11点"]))
def test_a_year_less_deadline_is_never_further_than_the_bound(now, day, clock):
    """Every year-less deadline read is within vocab.YEARLESS_BACK of now (the nearest occurrence of any other day is
    within half a year), or unreadable."""
    got = vocab.resolve_year(vocab.parse_datetime(f"{day.month}月{day.day}日{clock}"), now, nearest=True)
    assert got is BAD or abs(got - now) <= vocab.YEARLESS_BACK, (day, now, got)
    if (day.month, day.day) != (2, 29):
        assert got is not BAD and abs(got - now) <= timedelta(days=184), (day, now, got)


def test_two_days_of_the_week_beside_a_date_are_unreadable():
    assert vocab.parse_datetime("2025-06-08 周日 周一") is BAD
    assert vocab.parse_datetime("周日") is BAD


_CN = "零一二三四五六七八九"


def _in_numerals(n: int, zero: bool = False) -> str:
    """A number as people write it in Chinese numerals (三, 十, 十五, 二十三, 三十一); ``zero``: a minute
    under ten as 零五."""
    if n < 10:
        return ("零" if zero else "") + _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 12), st.integers(1, 28), st.integers(0, 23), st.integers(0, 59),
       st.sampled_from(["day", "hour", "minute", "all"]), st.sampled_from(["点", "时"]), st.booleans(),
       st.booleans(), st.booleans(), st.randoms())
def test_chinese_numerals_read_as_the_digits_they_stand_for(m, d, h, mi, which, mark, fen, zero, half, rnd):
    """A date or a time of day written in Chinese numerals (六月八日, 下午三点, 十点三十分, 三点零五分)
    reads as the same text in digits reads; 两 is two as an hour (两点)."""
    def num(n: int, part: str) -> str:
        if which not in (part, "all"):
            return str(n)
        return "两" if n == 2 and part == "hour" and rnd.random() < 0.5 else _in_numerals(n, zero and part == "minute")
    hour_said = h - 12 if half and h > 12 else h
    before = rnd.choice(_HALF_OF[h]) if half else ""
    minute = f"{num(mi, 'minute')}{'分' if fen or mi < 10 else ''}" if mi else ""
    typed = f"{num(m, 'day')}月{num(d, 'day')}日 {before}{num(hour_said, 'hour')}{mark}{minute}"
    digits = f"{m}月{d}日 {before}{hour_said}{mark}" + (f"{mi}分" if mi else "")
    want = vocab.parse_datetime(digits)
    assert isinstance(want, vocab.YearLess)
    assert vocab.parse_datetime(typed) == want, (typed, digits)
    assert vocab.parse_datetime(f"2025年{typed}") == vocab.parse_datetime(f"2025年{digits}")


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 12), st.integers(1, 28), st.integers(0, 23), st.integers(0, 59), st.booleans(), st.data())
def test_spaces_typed_beside_the_units_of_a_date_change_nothing(m, d, h, mi, year, data):
    """6 月 9 日 15:32, 2025 年 6 月 9 日 10 点 30 分: a space beside 年/月/日/点/分 is no gap between two things."""
    parts = ([f"{2025}", "年"] if year else []) + [str(m), "月", str(d), "日", " ", str(h), "点", str(mi), "分"]
    plain = "".join(parts)
    spaced = "".join(p + (" " if p != " " and data.draw(st.booleans()) else "") for p in parts).strip()
    assert vocab.parse_datetime(spaced) == vocab.parse_datetime(plain) != BAD, (spaced, plain)


@pytest.mark.parametrize("typed", ["2025-06-09 10:00 - 12:00", "6月9日 10:00 - 12:00", "6/9 - 6/10"])
def test_a_range_of_times_is_no_time(typed):
    assert vocab.parse_datetime(typed) is BAD


@pytest.mark.parametrize("typed, digits", [("6月8日 三点一刻", "6月8日 3:15"), ("6月8日 下午三点三刻", "6月8日 15:45"),
                                           ("6月8日 十点整", "6月8日 10:00"), ("6月8日 零点", "6月8日 0:00")])
def test_a_quarter_and_sharp_after_an_hour(typed, digits):
    assert vocab.parse_datetime(typed) == vocab.parse_datetime(digits)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)), st.booleans(),
       st.sampled_from(["text", "number"]))
@example(datetime(2025, 6, 8, 10, 30, 0), True, "text")  # 20250608103000 was unreadable
@example(datetime(2025, 6, 8, 10, 30, 0), False, "number")  # 202506081030.0 (a number cell) too
def test_a_stamp_with_its_time_of_day_run_on_reads_as_that_moment(when, seconds, kind):
    """A system's stamp, the date and the time of day in one run of digits (202506081030, 20250608103000), as text or
    kept as a number, is that moment; the date alone (20250608) the whole day; any digit out of its range, or a run of
    another length, is no date."""
    when = when.replace(microsecond=0, second=when.second if seconds else 0)
    digits = when.strftime("%Y%m%d%H%M%S" if seconds else "%Y%m%d%H%M")
    as_typed = (lambda d: d) if kind == "text" else float
    assert vocab.parse_datetime(as_typed(digits)) == when
    assert vocab.parse_datetime(as_typed(digits[:8])) == vocab.whole_day(when.date())
    assert vocab.parse_datetime(as_typed(digits[:10])) is BAD  # the hour alone: 2025060810
    for at, bad in ((4, "13"), (6, "32"), (8, "24"), (10, "60")):  # month, day, hour, minute out of range
        assert vocab.parse_datetime(as_typed(digits[:at] + bad + digits[at + 2:])) is BAD


@pytest.mark.parametrize("typed", ["6月8日 两十点", "6月8日 十十点", "6月8日 三两点", "6月8日 二十五点", "一二月八日",
                                   "6月8日 三十点", "周三十点", "二〇二五年六月八日"])
def test_numerals_that_make_no_number_or_no_date_are_unreadable(typed):
    assert vocab.parse_datetime(typed) is BAD


@settings(max_examples=200, deadline=None)
@given(st.dates(date(1995, 1, 1), date(2090, 12, 31)), st.sampled_from(_DAYS), st.sampled_from(["24:00", "24点", "24:00:00"]),
       st.sampled_from([" ", ""]))
def test_24_oclock_is_the_next_days_midnight(day, form, clock, gap):
    """24:00 / 24点 (a deadline's end of day) is the next day's 00:00; 24:30 and 晚上24点 are no time."""
    pattern, has_year = form
    typed_day = pattern.format(y=day.year, m=day.month, d=day.day, mm=f"{day.month:02d}", dd=f"{day.day:02d}")
    assume(gap or not typed_day[-1].isdigit())
    got = vocab.parse_datetime(typed_day + gap + clock)
    nxt = datetime(day.year, day.month, day.day) + timedelta(days=1)
    if has_year:
        assert got == nxt
    else:
        assert isinstance(got, vocab.YearLess) and got.hour == 24
        assert vocab.resolve_year(got, datetime(day.year, day.month, day.day, 12), nearest=True) == nxt
    for bad in ("24:30", "晚上24点", "24点30分"):
        assert vocab.parse_datetime(typed_day + gap + bad) is BAD


# the words that say "by" around a deadline (超时时间): before it, after it
_BY_BEFORE = ["截止", "截至", "截止到", "截至到", "最晚", "最迟", "截止：", "截止 "]
_BY_AFTER = ["前", "之前", "以前", "截止", "截至", "到期", "为止", " 前", " 截止"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_DAYS), st.integers(1, 12), st.integers(1, 28), st.one_of(st.none(), st.integers(0, 23)),
       st.sampled_from(["", *_BY_BEFORE]), st.sampled_from(["", *_BY_AFTER]))
def test_a_deadline_typed_with_by_words_is_the_deadline(day, m, d, h, pre, post):
    """超时时间 「6月8日 10:00前」, 「截止6月8日10点」, 「6月8日到期」 read as the deadline written; "before" a
    day without a time of day (6月8日前: does the day count?) is unreadable; an event time (申请时间)
    never reads them."""
    assume(pre or post)
    pattern, _ = day
    bare = pattern.format(y=2025, m=m, d=d, mm=f"{m:02d}", dd=f"{d:02d}") + ("" if h is None else f" {h}:00")
    typed = pre + bare + post
    got = vocab.parse_deadline(typed)
    if h is None and post.strip() in ("前", "之前", "以前"):
        assert got is BAD, typed
    else:
        assert got == vocab.parse_datetime(bare) and got is not BAD, (typed, got)
    assert vocab.parse_datetime(typed) is BAD
    assert FIELD_BY_KEY["deadline"].parse(typed) == got
    assert FIELD_BY_KEY["applied_at"].parse(typed) is BAD


@pytest.mark.parametrize("typed", ["前", "截止", "截止前", "6月8日 10:00以前前", "6月8日10:00前处理", "截止 明天"])
def test_by_words_around_no_deadline_are_unreadable(typed):
    assert vocab.parse_deadline(typed) is BAD


# contract §2 "Ids": an id that went through Excel as a number comes back, written out in full, as its first
# 15 digits and zeros (4802990940898679808 → 4802990940898680000).
def _cut(id_: str) -> str:
    return id_[:15] + "0" * (len(id_) - 15)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(16, 20), min_size=5, max_size=60), st.data(), st.integers(18, 20))
def test_a_column_of_ids_excel_padded_with_zeros_is_found(lengths, data, one):
    """Every id Excel cut to 15 digits is found when such ids are more than chance makes them: all of a
    column's ids (five or more, whatever their lengths), one id of 18 digits or more on its own, or a
    fifth of a column of 19-digit ids."""
    ids = [str(data.draw(st.integers(10 ** (n - 1), 10 ** n - 1))) for n in lengths]
    cut = [_cut(i) for i in ids]
    assert vocab.padded_ids(cut) == set(cut)
    # shown with a number format's thousands separators (4,802,990,940,898,680,000): read as digits, found alike
    assert vocab.padded_ids([vocab.parse_id(f"{int(c):,}") for c in cut]) == set(cut)
    single = _cut(str(data.draw(st.integers(10 ** (one - 1), 10 ** one - 1))))
    assert vocab.padded_ids([single]) == {single}
    long_ = [str(data.draw(st.integers(10 ** 18, 10 ** 19 - 1))) for _ in range(40)]
    mixed = [*long_[:32], *map(_cut, long_[32:])]
    assert {_cut(i) for i in long_[32:]} <= vocab.padded_ids(mixed)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2 ** 32), st.integers(20, 2000), st.integers(16, 20))
def test_real_ids_that_end_in_zero_are_not_taken_for_padded_ones(seed, n, length):
    """A column of real ids (of 16 digits one in ten ends in 0 by chance, of 19 one in ten thousand in
    0000) is never taken for a padded one."""
    rng = random.Random(seed)
    assert vocab.padded_ids([str(rng.randrange(10 ** (length - 1), 10 ** length)) for _ in range(n)]) == set()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(16, 20), min_size=1, max_size=20), st.booleans(), st.data(),
       st.lists(st.sampled_from(["SF1234567890123456", "2025-06-03T24:00", "JD0123456789012345-1-1", "YT88888888888888888",
                                 "2025-06-03 10:00:00"]), min_size=1, max_size=10))
def test_texts_that_are_no_digit_ids_change_no_finding_of_padded_ones(lengths, cut_them, data, others):
    """Which ids of digits a column holds cut by Excel is told by those ids alone: a text of letters or marks in the
    same column (a tracking number of letters and digits, a date typed in the id column) changes no finding — a row
    is never made unreadable, nor readable, by another row that is no such id."""
    ids = [str(data.draw(st.integers(10 ** (n - 1), 10 ** n - 1))) for n in lengths]
    column = [_cut(i) for i in ids] if cut_them else ids
    assert vocab.padded_ids([*column, *others]) == vocab.padded_ids(column)


_PROVINCE_NAMES = sorted(vocab.PROVINCES)
_CITY_NAMES = sorted(vocab.CITIES)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_PROVINCE_NAMES + _CITY_NAMES), st.sampled_from(["", "省", "市"]),
       st.sampled_from(_PROVINCE_NAMES + _CITY_NAMES),
       st.sampled_from(["路", "街", "大街", "大道", "巷", "区", "路100号", "中路88号", "东路", "北大街", "二路"]))
@example(place="义乌", unit="", street="海南", suffix="路")  # found exploring: 乌海 (a city) across 义乌 and 海南
def test_a_street_or_district_named_after_a_place_is_not_that_place(place, unit, street, suffix):
    """contract §4.1 (remote provinces): 青岛市新疆路 is in 山东, 广州市北京路 in 广东, 天津市河北区 in 天津 — a place's
    name before 路/街/区 … names a street or a district, never the province the parcel went to."""
    want = vocab.parse_province(place)
    assume(want not in (None, BAD))
    assert vocab.parse_province(f"{place}{unit}{street}{suffix}") == want


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_PROVINCE_NAMES + _CITY_NAMES), st.sampled_from(_PROVINCE_NAMES + _CITY_NAMES),
       st.sampled_from(["/", "、", " 或 ", "，"]))
def test_two_provinces_named_are_unreadable(first, second, sep):
    """上海/新疆: which province the parcel went to is not known (a remote one has its own lost threshold)."""
    a, b = vocab.parse_province(first), vocab.parse_province(second)
    assume(a != b and a not in (None, BAD) and b not in (None, BAD))
    assert vocab.parse_province(f"{first}{sep}{second}") is BAD


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=999, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", "¥", "￥", "RMB"]), st.sampled_from(["", "元", "块"]))
def test_an_amount_in_ten_thousands_is_read_exactly(number, currency, unit):
    """退款金额「1.2万」, 「¥0.35万元」: ten thousands, as a desk writes a big refund — the amount, to the cent (never
    a float's rounding: 0.35万 is 3500)."""
    text = f"{currency}{number}万{unit}"
    assert vocab.parse_money(text) == float(number * 10000), text


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", "¥", "￥", "RMB", "CNY", "人民币", "rmb "]),
       st.sampled_from(["", "元", "元整", "圆", "圆整", "块", "块钱", "RMB", " CNY", " 人民币", "cny"]),
       st.booleans())
def test_an_amount_with_its_currency_before_or_after_is_read(number, before, after, grouped):
    """退款金额 as receipts and exports write it: a currency sign or code before (¥59, CNY 59), a unit or the code
    after (59元, 59元整, 59.00 CNY), thousands grouped or not: the amount, never unreadable."""
    digits = f"{number:,}" if grouped else f"{number}"
    text = f"{before}{digits}{after}"
    assert vocab.parse_money(text) == float(number), text


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 20), st.sampled_from(["{}", '="{}"', "'{}", " {} ", "{}.0"]), st.sampled_from([str, int, float]))
def test_an_id_of_zeros_alone_is_unreadable(n, wrap, kind):
    """订单号 / 物流单号「0」, 「000000」: what a lookup formula shows for a blank, no number — unreadable (asked), never
    a key nor a parcel shown; an id with zeros in front (00012) is an id."""
    zeros = "0" * n
    cell = kind(zeros) if kind is not str else wrap.format(zeros)
    assert vocab.parse_id(vocab.plain_cell(cell)) is BAD, cell
    assert vocab.parse_id(zeros + "12") == zeros + "12"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["未", "没", "无", "待", "暂无", "还没"]), st.sampled_from(["单号", "发货", "填", "寄出", "物流", "快递单号"]),
       st.sampled_from(["顺丰", "已发货", "见备注", "同上", "客户自提", "中通快递"]),
       st.sampled_from([vocab.parse_id, vocab.parse_phone]))
def test_words_in_an_id_cell_are_no_id(not_yet, what, other, parse):
    """物流单号 「未发货」, 「待填」, 「无单号」: no number yet — blank, never an id (a parcel the sheet does not show);
    「顺丰」, 「见备注」, 「已发货」: words, no number to read — unreadable, never an id nor a key."""
    assert parse(not_yet + what) is None, not_yet + what
    assert parse(other) is BAD, other


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["", *vocab.MONEY_LABELS]), st.sampled_from(["", "：", ":", " ", "： "]),
       st.sampled_from(["99", "1,299.00", "59.9", "0"]), st.sampled_from(["", "元", " 元", "块"]),
       st.sampled_from(["", *(f"{o}{n}{c}" for n in vocab.MONEY_NOTES for o, c in (("（", "）"), ("(", ")")))]))
@example(label="实付", colon="", number="99", unit="", note="")  # 实付99 was unreadable
@example(label="", colon="", number="99", unit="元", note="（含运费）")  # 99元（含运费） was unreadable
def test_an_amount_named_before_or_noted_after_is_that_amount(label, colon, number, unit, note):
    """退款金额「实付99」, 「退款金额：1,299.00元」, 「99元（含运费）」: what the amount is named before it and whether
    shipping is in it, after it in brackets, leave the amount as it is.  A note the reader does not know (（部分退款）,
    （已退）), a guess (约) or a word that turns it (未付) make it unreadable."""
    if not label and colon.strip():
        return  # (a colon with nothing before it)
    text = label + colon + number + unit + note
    want = float(number.replace(",", ""))
    assert vocab.parse_money(text) == want, text
    assert vocab.parse_money("约" + number + unit) is BAD
    assert vocab.parse_money(label + colon + number + unit + "（部分退款）") is BAD, text
    assert vocab.parse_money("未付" + number + unit) is BAD
