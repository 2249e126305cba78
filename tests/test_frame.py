"""refund_xl.frame: pandas in, pandas out."""

from datetime import datetime

import pandas as pd

from refund_xl.frame import evaluate_frame
from refund_xl._core.engine import OUTPUT_COLUMNS
from refund_xl._core.settings import Settings

NOW = datetime(2025, 6, 10, 12, 0)


def _frame():
    return pd.DataFrame({
        "订单编号": ["0012", "0013", "0014"],          # an alias header, ids as text
        "退款类型": ["已发货仅退款", "仅退款", "退货退款"],
        "金额": ["¥59", 350.0, None],                  # a missing amount → NEEDS_INFO
        "发货状态": ["已发货", "已发货", None],
        "物流状态": ["在途", "运输中", None],
        "物流更新时间": [pd.Timestamp("2025-06-10 08:00"), pd.NaT, None],
    }, index=[10, 11, 12])


def test_adds_every_result_column_and_keeps_the_input():
    out = evaluate_frame(_frame(), now=NOW)
    assert list(out.columns) == list(_frame().columns) + list(OUTPUT_COLUMNS)
    assert list(out.index) == [10, 11, 12]
    assert list(out["订单编号"]) == ["0012", "0013", "0014"]


def test_decides_each_row_like_a_sheet():
    out = evaluate_frame(_frame(), now=NOW)
    # row 11 is in transit with no update time (NaT is a blank): asked, never taken as fresh
    assert list(out["action_code"]) == ["INTERCEPT_REFUND_NOW", "NEEDS_INFO", "NEEDS_INFO"]
    assert out.loc[10, "stall_code"] == "NORMAL"      # a Timestamp is read as a datetime
    assert out.loc[11, "stall_code"] == "NEEDS_INFO"
    assert "物流更新时间" in out.loc[11, "action"]
    assert "退货原因" in out.loc[12, "action"]   # a return with no 退货原因 column: the reason decides


def test_settings_move_the_threshold():
    out = evaluate_frame(_frame(), settings=Settings(high_value=50.0), now=NOW)
    assert out.loc[10, "value_tier"] == "HIGH"
    assert out.loc[10, "action_code"] == "INTERCEPT_AND_WATCH"
