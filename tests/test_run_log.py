"""运行日志 (issue 20): the settings a run used in the words of the 设置 sheet (not `high_value=200`),
and one writer of the log: an import and a batch append lines under the same header."""

from __future__ import annotations

import re
from datetime import datetime

from refund_xl._app import batch, intake
from refund_xl._core.settings import SETTINGS, Settings

NOW = datetime(2025, 6, 10, 12, 0)
ROW = ["A001", "仅退款", 59, "已发货", "中通", "ZT1", "运输中", datetime(2025, 6, 10, 8)]
HEAD = ["订单号", "售后类型", "退款金额", "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间"]


def _settings_cell(log):
    return log[-1][log[0].index("设置" if "设置" in log[0] else "Settings")]


def test_the_settings_used_are_named_as_the_settings_sheet_names_them():
    changed = Settings(high_value=300, remote_regions=("新疆", "西藏"))
    log = batch.run([ROW], HEAD, settings=changed, now=NOW).sheets[batch.LOG]
    text = _settings_cell(log)
    assert "高客单金额阈值(元)=300" in text and "偏远地区=新疆,西藏" in text
    for s in SETTINGS:
        assert f"{s.label}=" in text, s.label
        assert not re.search(rf"\b{s.key}\b", text), f"a setting key ({s.key}) in the desk's log"


def test_an_english_book_logs_english_labels():
    log = batch.run([ROW], HEAD, settings=Settings(language="English"), now=NOW).sheets[batch.LOG]
    text = _settings_cell(log)
    assert "High-value threshold (CNY)=200" in text and "高客单" not in text


def test_import_and_batch_write_one_log_under_one_header():
    after_import = intake.log_rows(None, NOW, NOW, 3, "新增 3 行", "淘宝：8 列已识别")
    result = batch.run([ROW], HEAD, now=NOW, previous={batch.LOG: after_import})
    log = result.sheets[batch.LOG]
    assert log[0] == after_import[0] == [c.zh for c in batch.LOG_COLS]     # no column added by either writer
    assert len(log) == 3
    imported, batched = (dict(zip(log[0], line)) for line in log[1:])
    assert imported["导入结果"] == "新增 3 行" and imported["运行内容"] != batched["运行内容"]
    assert batched["设置"].startswith("高客单金额阈值(元)=") and imported["设置"] is None
    again = intake.log_rows(log, NOW, NOW, 4, "新增 1 行")
    assert again[:3] == log and dict(zip(again[0], again[3]))["导入结果"] == "新增 1 行"
