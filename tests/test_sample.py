"""Cross-check of the decision engine against the packaged sample sheet.

`refund_xl/data/sample_tracking.csv` is the sample tracking sheet shipped with
the package (also used by `refund-xl demo`).  `tests/data/sample_expected.csv`
holds, for every sample row, the outcome derived by hand from contract §4 at
now = 2025-06-10 12:00 with the default settings of contract §3.  An empty cell in
the expected file means "not checked" for that row (e.g. the deadline of a
closed case, the value tier of a row whose amount is missing).

The data-only tests run without the engine; the engine tests import
`refund_xl._core.engine` lazily so a missing engine fails only those tests.
"""

from __future__ import annotations

import csv
import enum
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "refund_xl" / "data" / "sample_tracking.csv"
EXPECTED = ROOT / "tests" / "data" / "sample_expected.csv"

NOW = datetime(2025, 6, 10, 12, 0)

CANONICAL_HEADERS = [
    "订单号", "售后单号", "申请时间", "售后类型", "退款金额", "商品类型", "已产生成本",
    "发货状态", "快递公司", "物流单号", "物流状态", "物流更新时间", "收货省份",
    "客户反馈", "快递核实", "拦截状态", "拦截时间", "退货物流状态", "验货结果",
    "退货原因", "协商进度", "退货运费", "禁运", "售后状态", "超时时间",
]

# contract §4.2, in table order.
ACTION_CODES = [
    "DONE", "NEEDS_INFO", "INTERCEPT_OFFLINE", "APPROVE_REFUND", "NEGOTIATE_COST",
    "ASK_REASON", "CHECK_WAREHOUSE", "REFUND_OR_RESHIP_CLAIM", "ASK_REFUSE_DELIVERY",
    "REJECT_WITH_PROOF", "VERIFY_WITH_COURIER", "GUIDE_TO_RETURN", "CONFIRM_RECEIPT",
    "NUDGE_COURIER", "INTERCEPT_REFUND_NOW", "INTERCEPT_AND_WATCH",
    "CHECK_INTERCEPT_RESULT", "WAIT_INTERCEPT", "REFUND_WITHOUT_RETURN",
    "ISSUE_COMPENSATION", "ARRANGE_EXCHANGE", "RESHIP_MISSING", "OFFER_COMPENSATION",
    "OFFER_EXCHANGE", "RETURN_REFUND_PAID_SHIPPING", "WAIT_RETURN",
    "DISPUTE_INSPECTION", "REFUND_ON_PICKUP", "INSPECT_THEN_REFUND",
]
RULES = ["0a", "0b"] + [str(i) for i in range(1, 34)]
STALL_CODES = ["NOT_IN_TRANSIT", "NORMAL", "NUDGE", "LOST", "NEEDS_INFO"]  # NEEDS_INFO: in transit, no update time
DEADLINE_CODES = ["NONE", "OK", "WARN", "OVERDUE"]
TIERS = ["HIGH", "LOW"]
RISKS = ["RISK", "OK"]

# expected-file column -> result attribute
CHECKED_FIELDS = [
    ("rule", "rule"),
    ("action_code", "action_code"),
    ("stall_code", "stall_code"),
    ("deadline_code", "deadline_code"),
    ("value_tier", "value_tier"),
    ("loss_risk", "loss_risk"),
]


# --------------------------------------------------------------------------
# helpers


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    return table[0], table[1:]


def load_sample() -> tuple[list[str], list[list[str]]]:
    return read_csv(SAMPLE)


def load_expected() -> list[dict[str, str]]:
    headers, rows = read_csv(EXPECTED)
    return [dict(zip(headers, r)) for r in rows]


def as_text(value) -> str:
    """Normalise a result attribute to the code string used in the expected file."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        value = value.value if isinstance(value.value, str) else value.name
    return str(value).strip()


def diff_results(expected: list[dict[str, str]], results) -> list[tuple[str, str, str, str, str]]:
    """Every mismatch as (row number, order id, field, expected, got).

    Row numbers are 1-based sheet rows (header = row 1).  Empty expected
    cells are not checked.
    """
    mismatches = []
    for i, (exp, res) in enumerate(zip(expected, results)):
        for col, attr in CHECKED_FIELDS:
            want = exp[col]
            if want == "":
                continue
            got = as_text(getattr(res, attr, "<missing attribute>"))
            if got != want:
                mismatches.append((str(i + 2), exp["订单号"], col, want, got))
    return mismatches


def format_diff(mismatches) -> str:
    if not mismatches:
        return ""
    header = ("row", "订单号", "field", "expected", "got")
    table = [header, *mismatches]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)) for r in table]
    by_field = Counter(m[2] for m in mismatches)
    rows = len({m[1] for m in mismatches})
    summary = (f"{len(mismatches)} mismatched cell(s) in {rows} row(s): "
               + ", ".join(f"{k}={v}" for k, v in by_field.items()))
    return summary + "\n" + "\n".join(lines)


@pytest.fixture(scope="module")
def results():
    from refund_xl._core.engine import evaluate  # the engine under test

    headers, rows = load_sample()
    out = evaluate(rows, headers, settings=None, now=NOW)
    return list(out)


# --------------------------------------------------------------------------
# data-only tests (no engine needed)


def test_sample_has_bom_and_canonical_headers():
    raw = SAMPLE.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "sample must be UTF-8 with BOM (utf-8-sig)"
    headers, _ = load_sample()
    assert headers == CANONICAL_HEADERS


def test_sample_size_and_shape():
    headers, rows = load_sample()
    assert len(rows) >= 60
    bad = [i + 2 for i, r in enumerate(rows) if len(r) != len(headers)]
    assert not bad, f"rows with a wrong number of cells: {bad}"


def test_expected_file_lines_up_with_sample():
    headers, rows = load_sample()
    expected = load_expected()
    assert len(expected) == len(rows)
    oi, ci = headers.index("订单号"), headers.index("售后单号")
    for i, (r, e) in enumerate(zip(rows, expected)):
        assert (r[oi], r[ci]) == (e["订单号"], e["售后单号"]), f"row {i + 2} out of step"
    ids = [r[oi] for r in rows]
    assert len(set(ids)) == len(ids), "order ids must be unique (the diff is keyed on them)"


def test_order_ids_are_text_with_leading_zeros():
    headers, rows = load_sample()
    ids = [r[headers.index("订单号")] for r in rows]
    assert all(i.isdigit() and len(i) == 19 for i in ids)
    assert any(i.startswith("00") for i in ids), "sample must keep some leading-zero order ids"


def test_expected_covers_every_code():
    expected = load_expected()
    for col, codes in [
        ("action_code", ACTION_CODES),
        ("rule", RULES),
        ("stall_code", STALL_CODES),
        ("deadline_code", DEADLINE_CODES),
        ("value_tier", TIERS),
        ("loss_risk", RISKS),
    ]:
        present = {e[col] for e in expected}
        missing = [c for c in codes if c not in present]
        assert not missing, f"{col}: sample never exercises {missing}"
        unknown = present - set(codes) - {""}
        assert not unknown, f"{col}: unknown codes in expected file {sorted(unknown)}"


def test_sample_keeps_formula_like_customer_text():
    headers, rows = load_sample()
    reasons = [r[headers.index("退货原因")] for r in rows]
    assert any(t[:1] in "=+-@" and t for t in reasons)


# --------------------------------------------------------------------------
# engine tests


def test_one_result_per_row(results):
    _, rows = load_sample()
    assert len(results) == len(rows)


def test_sample_matches_hand_derived_expectations(results):
    expected = load_expected()
    mismatches = diff_results(expected, results)
    assert not mismatches, "\n" + format_diff(mismatches)


def test_engine_produces_every_action_code_on_sample(results):
    produced = {as_text(r.action_code) for r in results}
    missing = [c for c in ACTION_CODES if c not in produced]
    assert not missing, f"action codes never produced on the sample: {missing}"


def test_engine_does_not_modify_input_rows():
    from refund_xl._core.engine import evaluate

    headers, rows = load_sample()
    snapshot = [list(r) for r in rows]
    evaluate(rows, list(headers), settings=None, now=NOW)
    assert rows == snapshot


def test_headers_found_by_name_in_any_order(results):
    """Same verdicts when the columns are shuffled (contract §2: columns found by header)."""
    from refund_xl._core.engine import evaluate

    headers, rows = load_sample()
    order = list(reversed(range(len(headers))))
    shuffled = evaluate([[r[i] for i in order] for r in rows],
                        [headers[i] for i in order], settings=None, now=NOW)
    a = [[as_text(getattr(x, attr)) for _, attr in CHECKED_FIELDS] for x in results]
    b = [[as_text(getattr(x, attr)) for _, attr in CHECKED_FIELDS] for x in shuffled]
    assert a == b
