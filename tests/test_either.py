"""contract §2 "Three kinds of fact", §4.2 0b, §4.3 LOSS_RISK: a word that says one of several words and not which.

售后状态「已完成」 says the case is over; whether the money went back it does not say (旺店通 and JD say 完成 when a
refund is paid, and the presets read them so; on a sheet no preset reads it is either).  Such a cell is one of its
words (:attr:`wordbook.Words.either`): a result every one of them gives is decided, a result they differ on is
asked — and 钱货两空 is flagged where one of them would be a loss (the cautious reading), never passed as safe.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings, strategies as st

from conftest import NOW
from refund_xl._core import engine, vocab, wordbook
from refund_xl._core.fields import FIELD_BY_KEY

EITHER = [(key, text, words) for key, w in wordbook.WORDS.items() for text, words in w.either.items()]
_CELLS = {"order_id": "A1", "refund_type": "仅退款", "amount": 129, "province": "浙江", "applied_at": NOW - timedelta(hours=30)}
_PARCELS = [{"ship_state": "未发货"},
            {"ship_state": "已发货", "tracking_no": "75234220000001", "logistics": "运输中",
             "last_update": NOW - timedelta(hours=5)},
            {"ship_state": "已发货", "tracking_no": "75234220000002", "logistics": "已签收"},
            {"ship_state": "已发货", "tracking_no": "75234220000003", "logistics": "拒收"},
            {"refund_type": "退货退款", "ship_state": "已发货", "logistics": "已签收", "return_logistics": "运输中",
             "reason": "不想要了"}]


def _read(cells: dict[str, object]):
    row = {**_CELLS, **cells}
    head = [FIELD_BY_KEY[k].header for k in row]
    (res,), rep = engine.evaluate_read([list(row.values())], head, now=NOW)
    return res, rep


def test_the_either_words_include_a_case_completed():
    assert ("case_state", "已完成", ("已退款", "已完结")) in EITHER


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(EITHER), st.sampled_from(["", "【{}】", " {} ", "「{}」"]))
def test_a_word_that_says_one_of_several_reads_as_that_and_is_quoted(entry, wrap):
    key, text, words = entry
    got = FIELD_BY_KEY[key].parse(wrap.format(text) if wrap else text)
    assert got.__class__ is vocab.Either and got.words == frozenset(words) and got == text


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([e for e in EITHER if e[0] == "case_state"]), st.sampled_from(_PARCELS))
def test_a_case_state_that_is_one_of_several_decides_only_what_they_all_give(entry, parcel):
    key, text, words = entry
    res, rep = _read({**parcel, key: text})
    each = [_read({**parcel, key: w})[0] for w in words]
    actions = {r.action_code for r in each}
    assert res.action_code == (actions.pop() if len(actions) == 1 else "NEEDS_INFO"), (text, parcel)
    risks = {r.loss_risk for r in each}
    assert res.loss_risk == ("RISK" if "RISK" in risks else "OK"), (text, parcel, risks)
    assert res.case.case_state is None and key in res.case.bad
    assert [(f, n) for f, n, _e, _w in rep.either] == [(FIELD_BY_KEY[key].header, 1)]
    assert text not in " ".join(e for _f, _n, examples, _w in rep.unreadable for e in examples)


def test_a_completed_case_whose_parcel_is_out_is_a_loss_risk_and_one_never_shipped_is_not():
    out, _rep = _read({"ship_state": "已发货", "tracking_no": "75234220000001", "logistics": "运输中",
                       "last_update": NOW - timedelta(hours=5), "case_state": "已完成"})
    home, _rep = _read({"ship_state": "未发货", "case_state": "已完成"})
    assert (out.action_code, out.loss_risk) == ("DONE", "RISK")
    assert (home.action_code, home.loss_risk) == ("DONE", "OK")


_STATE_KEYS = sorted(k for k, f in FIELD_BY_KEY.items() if f.choices and k not in ("refund_type",))
_UNREADABLE = ("xyz", "？？", "待定吧", "#N/A", "签收了吧？", "不清楚")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_STATE_KEYS), st.data(), st.sampled_from(_UNREADABLE), st.sampled_from(_PARCELS))
def test_a_word_beside_an_unreadable_cell_of_a_column_named_as_strongly_is_not_decided_by_position(key, data, junk,
                                                                                                     parcel):
    """Two columns with one header (two 物流状态): a word in one, a cell no reader reads in the other.  Which holds the
    sheet does not say (contract §2 "Column precedence": never resolved by position), so the row gives the same in
    either order."""
    fld = FIELD_BY_KEY[key]
    word = data.draw(st.sampled_from(list(fld.choices)))
    base = {**_CELLS, **parcel}
    base.pop(key, None)
    head = [FIELD_BY_KEY[k].header for k in base]
    row = list(base.values())

    def action(first, second):
        (res,), _ = engine.evaluate_read([[*row, first, second]], [*head, fld.header, fld.header], now=NOW)
        return res.action_code

    one, other = action(word, junk), action(junk, word)
    assert one == other, (key, word, junk, one, other)
