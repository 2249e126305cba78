"""Closing the loop (contract §6): 理赔登记 (courier claims) and 钱货两空核查 (the loss audit).

Two output sheets of the daily batch, kept across runs like 拦截登记 (the same
:class:`~refund_xl._app.batch.merge.Grid`: rows keyed by 订单号 + 售后单号, staff cells
never written, columns found by name):

* **理赔登记** — every case whose action is ``REFUND_OR_RESHIP_CLAIM`` (a parcel lost, or
  stalled past the lost threshold): carrier, waybill, amount, hours without movement,
  理赔截止 = the last movement (物流更新时间) + ``claim_days``; when the last movement is
  not known the cell says so instead of a date.  Staff fill 理赔状态 / 理赔金额 / 跟进备注.
  A row stays once registered (the claim against the courier outlives the customer's
  case); 登记状态 says where it stands.
* **钱货两空核查** — every case whose LOSS_RISK is ``RISK``, in the tracking sheet and in the
  archives (their 钱货两空待核 sheets, :mod:`refund_xl._app.archive`): why, days since
  申请时间, and what would clear it.  A case that clears leaves the list, with a line in
  运行日志 carrying what staff had written on its row; a case found nowhere any more
  stays, marked.

Pure: rows and results in, the sheets' new contents out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Mapping, Sequence

from refund_xl._core import render, rules
from refund_xl._core.lang import CLAUSE_SEP, COLON, LIST_SEP, pick
from refund_xl._core.context import Context
from refund_xl._core.engine import RowResult, case_of, evaluate_table
from refund_xl._core.settings import Settings
from refund_xl._app.track import Key
from refund_xl._app.batch.columns import AUDIT_COLS, CLAIM_COLS, STATES
from refund_xl._app.batch.merge import Grid, blank, case_key, money, order_text, shown_ids, shown_key

__all__ = ["claims", "audit", "archived_results", "archived_only", "CLAIM_STATES", "AUDIT_WORDS"]

CLAIM_ACTION = "REFUND_OR_RESHIP_CLAIM"

CLAIM_STATES = {
    "todo": ("待理赔", "To claim"),
    "following": ("理赔跟进中", "Claim in progress"),
    "overdue": ("已过理赔截止", "Claim deadline passed"),
    "moved": ("包裹又有动静，可能无需理赔", "The parcel moved again: a claim may not be needed"),
    "same_parcel": ("同一包裹（物流单号 {}）已按售后单号 {} 登记，勿重复理赔",
                    "The same parcel (tracking no. {}) is registered under case {}: do not claim twice"),
}
# before 风险原因 of a case whose 订单号 cannot be read: the row shows it as read, and says so
UNREAD_ORDER = ("订单号「{}」无法识别（不作为单号使用），请按售后单号/物流单号核对；",
                "Order ID 「{}」 unreadable (not used as an id): check by case / tracking no.; ")
AUDIT_WORDS = {
    "unknown_move": ("未知：没有可读的物流更新时间（运行 refund-xl track 或填写「物流更新时间」后算出）",
                     "Unknown: no readable 物流更新时间 (run refund-xl track, or fill it in)"),
    "nowhere": ("售后表和归档中都找不到此单", "Not in the tracking sheet nor in an archive"),
    "cleared": ("钱货两空已解除", "Loss risk cleared"),
    "clear_refund": ("拦截成功，或物流显示拒收/退回", "Interception succeeded, or the parcel is refused/returned"),
    "clear_return": ("退货已签收（退货物流状态：已签收）", "The return is signed for (退货物流状态 已签收)"),
    "clear_unread": ("补全或改正上述各列（认不出的词见「读取报告」）", "Fill in or correct those columns (see 读取报告)"),
}


def _hours(case, when: datetime) -> float | None:
    last = case.last_update if case is not None else None
    return round((when - last).total_seconds() / 3600.0, 1) if last is not None else None


def _claim_deadline(case, s: Settings, en: bool) -> object:
    last = case.last_update if case is not None else None
    if last is None:
        return pick(AUDIT_WORDS["unknown_move"], en)
    return last + timedelta(days=s.claim_days)


# ------------------------------------------------------------------ 理赔登记

def claims(previous: object, live: Sequence[RowResult], by_key: Mapping[Key, RowResult], s: Settings,
           when: datetime, en: bool) -> tuple[Grid, int]:
    """理赔登记 after this run, and how many cases were newly registered."""
    grid = Grid(previous, CLAIM_COLS, en)
    for row, res in grid.earlier_cases(by_key, pick(STATES["gone"], en)):
        c = res.case
        grid.fill(row, "carrier", c.carrier)
        grid.fill(row, "tracking", c.tracking_no)
        grid.fill(row, "amount", money(c.amount))
        reason = render.claim_reason(res, en)
        if reason:
            grid.put(row, "reason", reason)
        _refresh(grid, row, res, s, when, en)
    new = grid.new_cases(live, lambda r: r.action_code == CLAIM_ACTION)
    for res in new:
        c = case_of(res)
        row = grid.append({"registered": when, "order": c.order_id, "case": c.case_id, "carrier": c.carrier,
                           "tracking": c.tracking_no, "amount": money(c.amount),
                           "reason": render.claim_reason(res, en) or None})
        _refresh(grid, row, res, s, when, en)
    _same_parcel(grid, en)
    return grid, len(new)


def _same_parcel(grid: Grid, en: bool) -> None:
    """One parcel, one claim: rows kept per case (a case closed and applied for again under a new
    售后单号 is a second row), but a row whose 物流单号 another row has says so in 登记状态.  The claim
    stays with the row whose 理赔状态 staff filled, else the one registered first."""
    def first(n: int) -> tuple[bool, str, int]:  # staff filed on it, registered earliest, higher up
        at = grid.get(grid.rows[n], "registered")
        return blank(grid.get(grid.rows[n], "claim_state")), at.isoformat() if isinstance(at, datetime) else "~", n

    parcels: dict[str, list[int]] = {}
    for n, row in enumerate(grid.rows):
        no = grid.get(row, "tracking")
        if not blank(no) and grid.key(row) is not None:
            parcels.setdefault(str(no).strip(), []).append(n)
    for no, same in parcels.items():
        if len(same) < 2:
            continue
        main = min(same, key=first)
        for n in same:
            if n != main:
                grid.put(grid.rows[n], "state",
                         pick(CLAIM_STATES["same_parcel"], en).format(no, grid.get(grid.rows[main], "case") or ""))


def _refresh(grid: Grid, row: list[object], res: RowResult, s: Settings, when: datetime, en: bool) -> None:
    """The live cells of a claim row: hours, last movement, deadline, action, state."""
    c = case_of(res)
    grid.put(row, "stalled", _hours(c, when))
    grid.put(row, "last_move", c.last_update)
    deadline = _claim_deadline(c, s, en)
    grid.put(row, "deadline", deadline)
    grid.put(row, "action", render.action_of(res, en))
    if res.action_code not in (CLAIM_ACTION, "DONE"):
        state = "moved"
    elif not blank(grid.get(row, "claim_state")):
        state = "following"
    elif isinstance(deadline, datetime) and deadline < when:
        state = "overdue"
    else:
        state = "todo"
    grid.put(row, "state", pick(CLAIM_STATES[state], en))


# ------------------------------------------------------------------ 钱货两空核查

def archived_results(archived: Sequence[tuple[str, Sequence[object], Sequence[Sequence[object]]]],
                     ctx: Context) -> list[tuple[str, RowResult]]:
    """(archive name, result) of every case of the archives' 钱货两空待核 sheets (each its own header row)."""
    out = []
    for name, headers, rows in archived:
        for res in evaluate_table(list(rows), list(headers), ctx)[0]:
            if not res.blank and res.case is not None:
                out.append((name, res))
    return out


def archived_only(live: Sequence[RowResult], archived: Sequence[tuple[str, RowResult]]) -> list[tuple[str, RowResult]]:
    """(archive name, result) of the archives' cases that are not in the tracking sheet, each once (by
    订单号 + 售后单号): the tracking sheet wins over an archive for a case found in both (a case imported
    again), an earlier archive over a later one.  What 钱货两空核查 lists besides the tracking sheet's
    cases, and what 今日概览 and 运行日志 count as still at risk beside them (one reading of the archives)."""
    seen = {k for r in live if r.case is not None and (k := case_key(r.case)) is not None}
    out = []
    for name, res in archived:
        k = case_key(res.case)
        if k is not None and k not in seen:
            seen.add(k)
            out.append((name, res))
    return out


def _why(res: RowResult, en: bool) -> str:
    c = case_of(res)
    if res.risk_needs:  # a cautious RISK: facts the product could not tell (contract §4.3)
        names = pick(LIST_SEP, en).join(rules.names(c, res.risk_needs, en))
        return f"{pick(('无法确定', 'Cannot tell'), en)}{pick(COLON, en)}{names}"
    if c.refund_type == "仅退款":
        if en:
            return (f"Refunded; the parcel left ({c.ship_state}); logistics {c.logistics or '—'}; "
                    f"interception {c.intercept or '—'}")
        return f"已退款，包裹已发出（{c.ship_state}），物流状态：{c.logistics or '无'}，拦截状态：{c.intercept or '无'}"
    if en:
        return f"Refunded before the return was signed for (return: {c.return_logistics or '—'})"
    return f"已退款，退货还没签收（退货物流状态：{c.return_logistics or '无'}）"


def _clears(res: RowResult, en: bool) -> str:
    c = case_of(res)
    if res.risk_needs:
        return pick(AUDIT_WORDS["clear_unread"], en)
    return pick(AUDIT_WORDS["clear_refund" if c.refund_type == "仅退款" else "clear_return"], en)


def _cleared_by(res: RowResult, en: bool) -> str:
    """What the case's facts say now that it is no longer at risk."""
    c = case_of(res)
    if c.case_state != "已退款":
        return (f"售后状态：{c.case_state}" if not en else f"case state: {c.case_state}") if c.case_state else ""
    if c.refund_type == "仅退款":
        if c.intercept == "拦截成功":
            return "拦截成功" if not en else "interception succeeded"
        if c.logistics in ("拒收", "退回"):
            return f"物流状态：{c.logistics}" if not en else f"logistics: {c.logistics}"
    if c.return_logistics == "已签收":
        return "退货已签收" if not en else "return signed for"
    return "不再满足钱货两空条件" if not en else "no longer at risk"


def audit(previous: object, live: Sequence[RowResult], archived: Sequence[tuple[str, RowResult]], sheet: str,
          when: datetime, en: bool, said: Mapping[Key, str] | None = None,
          ) -> tuple[list[list[object]], int, list[dict[str, object]], int, list[int]]:
    """钱货两空核查 after this run: (table, cases listed, 运行日志 lines of cleared cases, the header's row,
    the rows of the sheet as it was that leave it, 0-based).  ``said``: case key → 拦截登记's 跟进备注
    of a case decided on the register's 拦截状态 (what staff wrote beside the word that clears it);
    ``archived``: the archives' cases that are not in the tracking sheet (:func:`archived_only`).

    A host removes those rows first (as 删除行 does: what staff put on the other rows stays
    with them), then writes the table.
    """
    where: dict[Key, tuple[str, RowResult]] = {}
    # a case at risk no key finds (its 订单号 unreadable, no 售后单号 nor 物流单号 to tell it by) is listed
    # all the same, each on its own row: found again by its ids as the row shows them, one row per case
    spare: dict[tuple[str, str, str], list[tuple[str, RowResult]]] = {}
    for place, res in [*((sheet, r) for r in live), *archived]:
        if res.case is None:
            continue
        k = case_key(res.case) or shown_key(res.case)
        if k is None:
            if res.loss_risk == "RISK":
                spare.setdefault(shown_ids(*_shown(res)), []).append((place, res))
        elif k not in where:
            where[k] = (place, res)
    spared = sum(map(len, spare.values()))
    grid = Grid(previous, AUDIT_COLS, en)
    grid.rekey(where)
    lines: list[dict[str, object]] = []
    kept: list[list[object]] = []
    gone: list[int] = []
    first = len(grid.preamble) + 1  # the sheet row of grid.rows[0]
    staff = [i for i, h in enumerate(grid.header) if i not in {grid.index[c.id] for c in AUDIT_COLS if c.kind != "staff"}]
    for n, row in enumerate(grid.rows):
        k = grid.key(row)
        found = where.get(k) if k is not None else None
        again = spare.get(shown_ids(*(grid.get(row, c) for c in ("order", "case", "tracking")))) if found is None else None
        if again:
            place, res = again.pop(0)
            _fill_audit(grid, row, place, res, when, en)
            kept.append(row)
            continue
        if k is None or found is None:
            if k is not None:
                grid.put(row, "where", grid.lost(row) or pick(AUDIT_WORDS["nowhere"], en))
            kept.append(row)
            continue
        place, res = found
        if res.loss_risk == "RISK":
            _fill_audit(grid, row, place, res, when, en)
            kept.append(row)
            continue
        colon, sep = pick(COLON, en), pick(CLAUSE_SEP, en)
        bits = [f"{grid.header[i]}{colon}{row[i]}" for i in staff if not blank(row[i])]
        if said and k in said:  # what staff wrote beside the register's word that cleared it
            bits.append(f"{pick(('拦截登记跟进备注', 'register note'), en)}{colon}{said[k]}")
        notes = sep.join(bits)
        text = f"{order_text(k, en)}{colon}{_cleared_by(res, en)}" + (f"{sep}{notes}" if notes else "")
        lines.append({"what": pick(AUDIT_WORDS["cleared"], en), "detail": text})
        gone.append(first + n)
    grid.rows = kept
    listed = {grid.key(r) for r in kept}
    fresh: list[tuple[Key | None, str, RowResult]] = [
        (k, place, res) for k, (place, res) in where.items() if res.loss_risk == "RISK" and k not in listed]
    fresh += [(None, place, res) for cases in spare.values() for place, res in cases]
    fresh.sort(key=lambda t: (case_of(t[2]).applied_at or when, t[0] or ("",)))
    for _k, place, res in fresh:
        order, case, tracking = _shown(res)
        row = grid.append({"found": when, "order": order, "case": case, "tracking": tracking})
        _fill_audit(grid, row, place, res, when, en)
    listed_n = sum(1 for r in grid.rows
                   if (key := grid.key(r)) is not None and (f := where.get(key)) is not None and f[1].loss_risk == "RISK")
    listed_n += spared
    return grid.table(), listed_n, lines, len(grid.preamble), gone


def _shown(res: RowResult) -> tuple[object, object, object]:
    """A case's 订单号, 售后单号, 物流单号 as its row shows them: as read, or as typed where unreadable
    (``4.80299E+18``: never digits Excel invented)."""
    c = case_of(res)
    return c.order_id or c.typed("order_id"), c.case_id or c.typed("case_id"), c.tracking_no or c.typed("tracking_no")


def _fill_audit(grid: Grid, row: list[object], place: str, res: RowResult, when: datetime, en: bool) -> None:
    c = case_of(res)
    grid.put(row, "where", place)
    grid.fill(row, "type", c.refund_type)
    grid.fill(row, "amount", money(c.amount))
    grid.fill(row, "applied", c.applied_at)
    grid.fill(row, "carrier", c.carrier)
    grid.fill(row, "tracking", c.tracking_no)
    grid.fill(row, "return_no", c.return_tracking_no)
    grid.put(row, "days", round((when - c.applied_at).total_seconds() / 86400.0, 1) if c.applied_at else None)
    shown = c.typed("order_id") if not c.order_id else None
    unread = (pick(UNREAD_ORDER, en).format(shown) if shown is not None else "")
    grid.put(row, "why", unread + _why(res, en))
    grid.put(row, "clear", _clears(res, en))
