"""contract §2 messy values: each parser on the forms a desk's sheet really holds."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from refund_xl._core import vocab
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
                                   vocab.parse_datetime, vocab.parse_province])
@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000", float("nan"), "#N/A", "#VALUE!", "#div/0!"])
def test_blank_cells_are_none(parse, blank):
    assert parse(blank) is None


def test_bad_is_falsy_and_not_none():
    assert not BAD and BAD is not None


# ------------------------------------------------------------------ ids

@pytest.mark.parametrize("raw, text", [
    ("0044328104910363187", "0044328104910363187"),   # leading zeros kept
    (" 00123 ", "00123"),
    ("００１２３", "00123"),                            # full-width digits
    (1.0, "1"),                                        # an Excel number, no ".0"
    (4177034256340093.0, "4177034256340093"),
    (12345, "12345"),
    ("12345.0", "12345"),                              # text of a float
    ("SF1234567890", "SF1234567890"),
    ('="4242994886263078938"', "4242994886263078938"),   # an export's guard against Excel's float
    ("3.9E+16", "3.9E+16"),                            # digits already lost: kept as typed
    (1.5, "1.5"),
])
def test_parse_id_stays_text(raw, text):
    got = vocab.parse_id(raw)
    assert got == text and isinstance(got, str)


@pytest.mark.parametrize("raw", [True, float("inf")])
def test_parse_id_unreadable(raw):
    assert vocab.parse_id(raw) is BAD


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


@pytest.mark.parametrize("raw", ["五十九", "abc", "-5", -5.0, "12元3角", True, float("inf")])
def test_parse_money_unreadable(raw):
    assert vocab.parse_money(raw) is BAD


# ------------------------------------------------------------------ datetimes

@pytest.mark.parametrize("raw, when", [
    (datetime(2025, 6, 3, 10, 0), datetime(2025, 6, 3, 10, 0)),       # an Excel datetime
    (date(2025, 6, 3), datetime(2025, 6, 3)),
    (45811.0, datetime(2025, 6, 3)),                                   # an Excel serial (float)
    (45811.5, datetime(2025, 6, 3, 12, 0)),
    (45811, datetime(2025, 6, 3)),                                     # an Excel serial (int)
    ("45811.5", datetime(2025, 6, 3, 12, 0)),                          # a serial as text
    ("45811", datetime(2025, 6, 3)),
    ("2025年6月3日 10:00", datetime(2025, 6, 3, 10, 0)),
    ("2025年6月3日10时30分", datetime(2025, 6, 3, 10, 30)),
    ("2025年06月03日", datetime(2025, 6, 3)),
    ("2025/6/3 10:00", datetime(2025, 6, 3, 10, 0)),
    ("2025/6/3", datetime(2025, 6, 3)),
    ("2025-06-03", datetime(2025, 6, 3)),
    ("2025-06-03 10:00:30", datetime(2025, 6, 3, 10, 0, 30)),
    ("2025-06-03T10:00", datetime(2025, 6, 3, 10, 0)),
    ("2025.6.3 9:05", datetime(2025, 6, 3, 9, 5)),
    (" ２０２５－０６－０３ ", datetime(2025, 6, 3)),                   # full-width
    ("2025-06-03T10:00:00+08:00", datetime(2025, 6, 3, 10, 0)),        # ISO with an offset
])
def test_parse_datetime(raw, when):
    assert vocab.parse_datetime(raw) == when


def test_serial_matches_excel_datetime():
    # Excel's serial 45811.416666… is 2025-06-03 10:00 (what a workbook without the date format holds).
    got = vocab.parse_datetime(45811 + 10 / 24)
    assert abs((got - datetime(2025, 6, 3, 10)).total_seconds()) < 1


@pytest.mark.parametrize("raw", ["昨天", "2025-13-01", "2025-02-30", "6/3/2025", "13/45", 12.0, 999999.0, True,
                                 float("inf"), "2025年6月3日 25:00"])
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
    ("乌鲁木齐", "乌鲁木齐"),                      # no province: kept as typed
])
def test_parse_province(raw, province):
    assert vocab.parse_province(raw) == province


# ------------------------------------------------------------------ text

def test_parse_text_trims_and_folds():
    assert vocab.parse_text("  顺丰速运 ") == "顺丰速运"
    assert vocab.parse_text("ＳＦ") == "SF"
    assert vocab.parse_text(3.0) == "3"
    assert vocab.parse_text(3.5) == "3.5"


# ------------------------------------------------------------------ choices

def test_choice_parser_exact_synonym_keyword_bad():
    parse = vocab.make_choice_parser(("运输中", "已签收"), {"在途": "运输中"}, (("签收", "已签收"),))
    assert parse("运输中") == "运输中"
    assert parse(" 在 途 ") == "运输中"
    assert parse("快递已签收啦") == "已签收"
    assert parse("火星") is BAD
    assert parse(None) is None and parse("  ") is None


def test_choice_parser_free_text_keeps_the_words():
    parse = vocab.make_choice_parser(("降价",), {}, free_text=True)
    assert parse(" 颜色不喜欢 ") == "颜色不喜欢"


def test_choice_parser_case_insensitive_and_numbers():
    parse = vocab.make_choice_parser(("是", "否"), {"yes": "是", "1": "是", "0": "否"})
    assert parse("YES") == "是" and parse("Ｙｅｓ") == "是"
    assert parse(1.0) == "是" and parse(0) == "否"
    assert parse(True) == "是" and parse(False) == "否"


def test_nan_is_blank_for_choices():
    parse = vocab.make_choice_parser(("是",), {})
    assert parse(math.nan) is None
