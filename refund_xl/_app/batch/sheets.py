"""The daily batch: what goes in each output sheet (拦截登记, 快递拦截清单, 回复话术, 今日概览, 运行日志, 读取报告).

Pure functions over plain values: the tracking rows and headers, the settings,
the reply templates and the previous contents of the output sheets go in; the
new contents of the output sheets (2-D lists) and a little metadata come out.
No file, no Excel, no clock: ``now`` (the reference time) and ``run_at`` (the
wall-clock time of the run, for the log) are arguments.  Merging with earlier
runs is :mod:`.merge`; how a host lays the sheets out is :mod:`.layout`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Mapping, Sequence

from refund_xl._core import render
from refund_xl._core.lang import LIST_SEP, pick
from refund_xl._core import replies, report, rules, vocab
from refund_xl._core import context
from refund_xl._core.context import Context
from refund_xl._core.engine import RowResult, as_headers, as_rows, case_of, evaluate_table
from refund_xl._core.fields import ColumnMap
from refund_xl._core.settings import Settings
from refund_xl._core.fields import Aliases
from refund_xl._app import track
from refund_xl._app.track import Key
from refund_xl._app.batch import loop
from refund_xl._app.batch.columns import AUDIT, CLAIMS, COURIER_COLS, COURIER_LIST, COURIER_REASON, FLAGS, LOG, LOG_COLS, METHODS, NO_CARRIER, OVERVIEW, PARTS, READING, REGISTER, REGISTER_COLS, REPLIES, REPLY_COLS, RUN_NAMES, NOT_ASKED, STATES, find_cols, settings_text
from refund_xl._app.batch.merge import Feed, Grid, blank, case_key, intercept_from_register, money, is_sent
from refund_xl._app.batch.layout import ChartSpec, log_wrap_cols


@dataclass
class BatchResult:
    """New contents of the output sheets, plus what a host shows the user."""

    sheets: dict[str, list[list[object]]]
    now: datetime
    run_at: datetime
    part: str
    counts: Counter = field(default_factory=Counter)
    cases: int = 0
    new_registered: int = 0
    to_courier: int = 0
    replies: int = 0
    overdue: int = 0
    warn: int = 0
    risk: int = 0            # 钱货两空风险: the tracking sheet's cases at risk and the archives' (as 钱货两空核查 lists them)
    risk_archived: int = 0   # of which in an archive (its 钱货两空待核 sheet)
    claims: int = 0
    needs_info: int = 0
    claim_rows: int = 0      # 理赔登记: rows, and cases newly registered this run
    new_claims: int = 0
    audit: int = 0           # 钱货两空核查: cases listed (the tracking sheet's and the archives')
    cleared: int = 0         # of which left the list this run
    # tracking-sheet row index (0-based, in the rows given) → the 拦截状态 the register supplied
    # for a case whose own cell was empty (or still held what a run copied there): the run decided
    # on it; a host may fill the cell.
    intercept_fed: dict[int, str] = field(default_factory=dict)
    feed: Feed = field(default_factory=Feed)  # what 拦截登记's 拦截状态 did (notes of its rows, 运行日志)
    chart: ChartSpec | None = None
    english: bool = False
    bold_rows: dict[str, set[int]] = field(default_factory=dict)  # 0-based: titles and header rows
    header_row: dict[str, int] = field(default_factory=dict)  # 0-based header row of a list sheet
    wrap_cols: dict[str, set[int]] = field(default_factory=dict)  # 0-based: long text columns
    reading: report.ReadingReport | None = None
    notes: list[str] = field(default_factory=list)  # what the host did besides (an output sheet moved aside …)
    archive_note: str = ""  # an archive not read, so not counted (运行日志's 说明)
    log_extra: list[dict[str, object]] = field(default_factory=list)  # more 运行日志 lines (a 钱货两空 case cleared …)
    # rows (0-based, of the sheet as it was) a host removes before writing the sheet: cases that left a list
    removed: dict[str, list[int]] = field(default_factory=dict)

    def summary(self) -> str:
        """One short line (中文) for the status bar, the message box and the CLI."""
        bits = [f"售后单 {self.cases} 个"]
        if REGISTER in self.sheets:
            bits.append(f"新增拦截登记 {self.new_registered} 条（待发快递 {self.to_courier} 单）")
        if REPLIES in self.sheets:
            bits.append(f"待回复话术 {self.replies} 条")
        if self.intercept_fed:
            bits.append(f"按拦截登记中填写的拦截状态判定 {len(self.intercept_fed)} 单")
        if OVERVIEW in self.sheets:
            bits.append(f"逾期 {self.overdue} 个、即将超时 {self.warn} 个、理赔 {self.claims} 个、钱货两空风险 {self.risk} 个"
                        + (f"（其中 {self.risk_archived} 个在归档工作簿）" if self.risk_archived else ""))
        if CLAIMS in self.sheets:
            bits.append(f"理赔登记 {self.claim_rows} 单（新增 {self.new_claims}）")
        if AUDIT in self.sheets:
            bits.append(f"钱货两空核查 {self.audit} 单（含归档）" + (f"，解除 {self.cleared} 单" if self.cleared else ""))
        return "，".join(bits) + "".join(f"；{n}" for n in self.notes)


def run(rows: object, headers: object, settings: object = None, templates: object = None,
        previous: Mapping[str, object] | None = None, now: object = None, *,
        aliases: Aliases = None, run_at: datetime | None = None,
        part: str = "daily", results: list[RowResult] | None = None,
        sheet: str | None = None, basis: str | None = None,
        archived: Sequence[tuple[str, Sequence[object], Sequence[Sequence[object]]]] = ()) -> BatchResult:
    """The daily batch over one tracking table.

    ``settings``: a Settings, a 设置 table or None; ``templates``: a dict
    (code → template) or a 话术模板 table or None; ``previous``: sheet name →
    that output sheet's current cells; ``part``: ``daily`` (everything),
    ``register`` or ``replies`` (one ribbon button); ``basis``: the line saying which
    reference time the run used and where it came from (:meth:`Context.now_text`); ``archived``: the
    archives' 钱货两空待核 sheets as (archive name, headers, rows), read by 钱货两空核查 and counted (listed)
    under 钱货两空风险 in 今日概览 and 运行日志 while still at risk.  Raises only for bad
    settings / reference time (a :class:`RefundXLError` or ``ValueError``).
    """
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}")
    ctx = context.build(settings=settings, mappings=aliases, templates=templates, now=now)
    return run_table(as_rows(rows), as_headers(headers), ctx, previous, run_at=run_at, part=part, results=results,
                     sheet=sheet, basis=basis, archived=archived)


def run_table(table: list[list[object]], head: list[object], ctx: Context,
              previous: Mapping[str, object] | None = None, *, columns: ColumnMap | None = None,
              run_at: datetime | None = None, part: str = "daily", results: list[RowResult] | None = None,
              sheet: str | None = None, basis: str | None = None,
              archived: Sequence[tuple[str, Sequence[object], Sequence[Sequence[object]]]] = (),
              fills: bool = True, unread: Sequence[str] = ()) -> BatchResult:
    """:func:`run` for a run's context as built at its boundary (the hosts' path): ``columns`` is the
    header row as the table was found (not resolved again); ``basis`` defaults to the context's
    :meth:`~refund_xl._core.context.Context.now_text`; ``fills``: the host writes
    :attr:`BatchResult.intercept_fed` into the tracking sheet (拦截登记 remembers what it copied);
    ``unread``: archives the host could not read (their risks are not in ``archived``): said in the
    run's notes and its 运行日志 line."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}")
    s, when, tpl = ctx.settings, ctx.now, ctx.templates
    run_at = run_at or when
    en = s.english
    reading = None
    previous = previous or {}
    if results is None:
        results, reading = evaluate_table(table, head, ctx, columns=columns, sheet=sheet)
        reading.basis = basis  # where the reference time came from (the run's context says)
    # 拦截登记 remembers what is copied into the tracking sheet only when this run writes it
    fills = fills and REGISTER in PARTS[part]
    results, feed = intercept_from_register(table, head, previous.get(REGISTER), results, ctx, columns, fills)
    live = [r for r in results if not r.blank]
    out = BatchResult({}, when, run_at, part, english=en, reading=reading)
    # a word staff typed in 拦截登记 that nothing reads: said, never dropped silently
    for words, what in ((feed.unread, "这些单判为信息不足"), (feed.ignored, "这些单的售后表已填拦截状态，按售后表判定")):
        if words:
            shown = "、".join(f"「{w}」" for w in list(dict.fromkeys(words))[:3])
            out.notes.append(f"拦截登记里有 {len(words)} 个拦截状态认不出（{shown}），{what}："
                             "请改成 拦截中/拦截成功/拦截失败，或在「值映射」里对应")
    if unread:
        names = "、".join(unread)
        out.notes.append(f"归档 {names} 读不出，钱货两空风险数未含归档（请检查这个文件；每日批处理要读它）")
        out.archive_note = f"归档 {names} 读不出，风险数未含归档"
    out.intercept_fed = feed.fed
    out.feed = feed
    out.cases = len(live)
    out.counts = Counter(r.action_code or "ERROR" for r in live)
    open_ = [r for r in live if r.action_code != "DONE"]
    out.overdue = sum(render.deadline_code(r) == "OVERDUE" for r in open_)
    out.warn = sum(render.deadline_code(r) == "WARN" for r in open_)
    # the archives' cases (their 钱货两空待核 sheets) not in the tracking sheet: 钱货两空核查 lists them, and
    # those still at risk count as 钱货两空风险 like the tracking sheet's (archived is not resolved)
    stored = loop.archived_only(live, loop.archived_results(archived, ctx))
    stored_risks = [(name, r) for name, r in stored if r.loss_risk == "RISK"]
    out.risk_archived = len(stored_risks)
    out.risk = sum(r.loss_risk == "RISK" for r in live) + out.risk_archived
    out.needs_info = sum(r.action_code == "NEEDS_INFO" or bool(r.error) for r in live)
    # 理赔清单 lists open cases only: once refunded, closed or finished the case has left the
    # desk's queue, and a refunded parcel that is still lost shows under 钱货两空风险 instead.
    claims = [r for r in open_ if r.case is not None and render.claim_reason(r, en)]
    out.claims = len(claims)
    by_key: dict[Key, RowResult] = {}
    for r in live:
        k = case_key(r.case) if r.case is not None else None
        if k is not None and k not in by_key:
            by_key[k] = r

    wanted = PARTS[part]
    if REGISTER in wanted:
        grid = _register(previous.get(REGISTER), live, by_key, s, when, en, out)
        out.sheets[REGISTER] = grid.table()
        out.header_row[REGISTER] = len(grid.preamble)
        out.wrap_cols[REGISTER] = {grid.index["note"], grid.index["action"]}  # staff notes run long
        out.sheets[COURIER_LIST] = _courier_list(grid, by_key, en, out)
    if REPLIES in wanted:
        grid = _replies(previous.get(REPLIES), live, by_key, tpl, when, en, out)
        out.sheets[REPLIES] = grid.table()
        out.header_row[REPLIES] = len(grid.preamble)
        out.wrap_cols[REPLIES] = {grid.index["text"], grid.index["before"]}
    else:
        out.replies = sum(1 for r in open_ if _needs_message(r, tpl))
    if CLAIMS in wanted:
        grid, out.new_claims = loop.claims(previous.get(CLAIMS), live, by_key, s, when, en)
        out.sheets[CLAIMS] = grid.table()
        out.header_row[CLAIMS] = len(grid.preamble)
        out.claim_rows = len(grid.rows)
    if AUDIT in wanted:
        table, out.audit, lines, at, out.removed[AUDIT] = loop.audit(previous.get(AUDIT), live, stored,
                                                                     sheet or "售后登记", when, en, feed.said)
        out.sheets[AUDIT] = table
        out.header_row[AUDIT] = at
        out.wrap_cols[AUDIT] = {8}
        out.cleared = len(lines)
        out.log_extra += [{"run_at": out.run_at, "now": when, **line} for line in lines]
    if OVERVIEW in wanted:
        out.sheets[OVERVIEW] = _overview(live, claims, stored_risks, sheet or "售后登记", s, when, en, out)
    out.sheets[LOG] = _log(previous.get(LOG), s, when, en, out)
    out.header_row[LOG] = 0
    out.wrap_cols[LOG] = log_wrap_cols(out.sheets[LOG][0])
    if reading is not None:
        out.sheets[READING] = reading.table()
        out.bold_rows[READING] = {0}
    for name, at in out.header_row.items():
        out.bold_rows.setdefault(name, set()).add(at)
    return out


def _register(previous, live, by_key, s: Settings, when: datetime, en: bool, out: BatchResult) -> Grid:
    grid = Grid(previous, REGISTER_COLS, en)
    # Existing rows: refresh the live columns, fill blanks, never touch staff cells.
    for row, res in grid.earlier_cases(by_key, pick(STATES["gone"], en)):
        grid.put(row, "action", render.action_of(res, en))
        grid.put(row, "state", pick(STATES["done" if res.action_code == "DONE" else "open"], en))
        c = res.case
        grid.fill(row, "carrier", c.carrier)
        grid.fill(row, "tracking", c.tracking_no)
        grid.fill(row, "deadline", _deadline_at(c, s))
        k = grid.key(row)
        grid.put(row, "check", out.feed.notes.get(k) if k is not None else None)
        if k is not None and k in out.feed.copied:
            grid.put(row, "copied", out.feed.copied[k] or None)
    # New cases: appended, grouped by courier.
    new = grid.new_cases(live, lambda r: r.action_code in rules.INTERCEPT_ACTIONS)
    for res in new:
        c = case_of(res)
        code = res.action_code
        grid.append({
            "registered": when,
            "order": c.order_id,
            "case": c.case_id,
            "carrier": c.carrier,
            "tracking": c.tracking_no,
            "amount": money(c.amount),
            "tier": render.label(res.value_tier, en, "tier") if res.value_tier else None,
            "method": pick(METHODS[code], en),
            "flag": pick(FLAGS[code], en),
            "deadline": _deadline_at(c, s),
            "check_at": when + timedelta(hours=s.intercept_check_hours),
            "intercept": c.intercept or "未拦截",
            "note": None,
            "action": render.action_of(res, en),
            "state": pick(STATES["open"], en),
        })
    out.new_registered = len(new)
    return grid


def _courier_list(grid: Grid, by_key, en: bool, out: BatchResult) -> list[list[object]]:
    """Per courier, the tracking numbers to send today (carrier, number, order, reason only).

    A courier is one group however the desk writes it (中通 and 中通快递: :func:`track.same_carrier`),
    titled by the name the desk wrote most; each line keeps the name as written."""
    groups: dict[str, list[list[object]]] = {}
    unsendable: list[list[object]] = []
    seen: set[Key] = set()
    for row in grid.rows:
        k = grid.key(row)
        if k is None or k in seen:
            continue
        res = by_key.get(k)
        if res is None or res.action_code not in rules.INTERCEPT_ACTIONS:
            continue
        asked = grid.get(row, "intercept")
        if not blank(asked) and vocab.fold(str(asked)) not in NOT_ASKED:
            continue  # staff recorded the courier was asked (拦截中 / 成功 / 失败)
        seen.add(k)
        carrier = res.case.carrier
        line = [carrier, res.case.tracking_no, res.case.order_id, pick(COURIER_REASON, en)]
        if not carrier or not res.case.tracking_no:
            unsendable.append(line)
        else:
            groups.setdefault(track.same_carrier(carrier), []).append(line)
    head: list[object] = [c.name(en) for c in COURIER_COLS]
    title = "快递拦截清单（只含快递公司、物流单号、订单号、拦截原因；无客户电话与地址）" if not en else \
        "Interception lists per courier (carrier, tracking no., order, reason only)"
    table: list[list[object]] = [[title], [("基准时间" if not en else "Reference time"), out.now]]
    bold = out.bold_rows.setdefault(COURIER_LIST, {0})
    titled = {k: Counter(str(ln[0]).strip() for ln in lines).most_common() for k, lines in groups.items()}
    titles = {k: min(names, key=lambda nc: (-nc[1], nc[0]))[0] for k, names in titled.items()}
    for key in sorted(groups, key=lambda g: (titles[g], g)):
        carrier = titles[key]
        lines = sorted(groups[key], key=lambda ln: (ln[1] or "", ln[2] or ""))
        table += [[None], [f"【{carrier}】共 {len(lines)} 单" if not en else f"[{carrier}] {len(lines)}"], head]
        bold.update((len(table) - 2, len(table) - 1))
        table += lines
    if unsendable:
        table += [[None], ["【无法发送：缺快递公司或物流单号，请先在售后登记中补全】" if not en else
                           "[Cannot send: carrier or tracking number missing]"], head]
        bold.update((len(table) - 2, len(table) - 1))
        table += [[ln[0] or pick(NO_CARRIER, en), *ln[1:]] for ln in unsendable]
    if not groups and not unsendable:
        table += [[None], ["今日没有需要发给快递的拦截单。" if not en else "Nothing to send to couriers today."]]
    out.to_courier = sum(len(v) for v in groups.values())
    return table


# ----------------------------------------------------------- 回复话术

def _needs_message(res: RowResult, tpl: Mapping[str, str]) -> bool:
    code = res.action_code
    return bool(code) and not res.error and code not in replies.NO_MESSAGE and bool(tpl.get(code))


def _message(res: RowResult, tpl: Mapping[str, str], en: bool) -> tuple[str, str]:
    assert res.decision is not None  # a result with an action code has its decision
    text, missing = render.reply_parts(res.decision, case_of(res), tpl[res.action_code], en)
    return text, "、".join(dict.fromkeys(missing))


def _replies(previous, live, by_key, tpl, when: datetime, en: bool, out: BatchResult) -> Grid:
    grid = Grid(previous, REPLY_COLS, en)
    for row, res in grid.earlier_cases(by_key, pick(STATES["gone"], en)):
        if res.action_code == "DONE":
            grid.put(row, "state", pick(STATES["done"], en))
        elif not _needs_message(res, tpl):
            grid.put(row, "state", f"{pick(STATES['no_reply'], en)}：{render.action_of(res, en)}")
        else:
            _refresh_reply(grid, row, res, tpl, when, en)
    count = 0
    seen = set(grid.by_key)
    for res in live:
        if res.action_code == "DONE" or not _needs_message(res, tpl):
            continue
        count += 1
        k = case_key(res.case)
        if k is None or k in seen:
            continue
        seen.add(k)
        text, missing = _message(res, tpl, en)
        grid.append({
            "order": res.case.order_id, "case": res.case.case_id, "tracking": res.case.tracking_no,
            "code": res.action_code,
            "action": render.action_of(res, en), "before": _do_first(res.action_code, en), "text": text,
            "missing": missing or None, "state": pick(STATES["to_send"], en), "updated": when,
        })
    out.replies = count
    return grid


def _do_first(code: str, en: bool) -> str | None:
    """回复话术's 发送前先做: what makes the reply true before it is sent (replies.DO_FIRST)."""
    pair = replies.DO_FIRST.get(code)
    return pick(pair, en) if pair else None


def _refresh_reply(grid: Grid, row, res: RowResult, tpl, when: datetime, en: bool) -> None:
    text, missing = _message(res, tpl, en)
    grid.put(row, "before", _do_first(res.action_code, en))  # live: the step for today's action
    old_code = grid.get(row, "code")
    sent = grid.get(row, "sent")
    if not blank(old_code) and str(old_code).strip() != res.action_code:
        # The case moved on: a new reply is due.  The staff cell is not touched;
        # its value is remembered so the row reads "sent" again once it changes.
        grid.put(row, "code", res.action_code)
        grid.put(row, "action", render.action_of(res, en))
        grid.put(row, "text", text)
        grid.put(row, "missing", missing or None)
        grid.put(row, "updated", when)
        grid.put(row, "sent_before", sent if is_sent(sent) else None)
    elif not is_sent(sent) and grid.get(row, "text") != text:
        # Not sent yet: keep the text in step with the tracking sheet (e.g. a tracking number arrived).
        grid.put(row, "code", res.action_code)
        grid.put(row, "action", render.action_of(res, en))
        grid.put(row, "text", text)
        grid.put(row, "missing", missing or None)
        grid.put(row, "updated", when)
    before = grid.get(row, "sent_before")
    if not is_sent(sent):
        state = "to_send"
    elif not blank(before) and str(before).strip() == str(sent).strip():
        state = "resend"
    else:
        state = "sent"
    grid.put(row, "state", pick(STATES[state], en))


# ----------------------------------------------------------- 今日概览

def _deadline_at(case, s: Settings):
    """超时时间 as the register and the overview show it: none when it cannot be told (an unreadable
    超时时间 or 申请时间), never a date worked out as if the cell were empty."""
    return None if render.deadline_unread(case) else rules.deadline_of(case, s)


OVERVIEW_LIST_CAP = 300  # rows per list at most; the rest is counted in one line


def _overview(live: list[RowResult], claims: list[RowResult], stored_risks: Sequence[tuple[str, RowResult]],
              sheet: str, s: Settings, when: datetime, en: bool, out: BatchResult) -> list[list[object]]:
    """今日概览: the counts (one label, one number per row), counts per action with a chart,
    then short lists of the cases applied for in the last ``overview_days`` days.

    钱货两空风险 holds the archives' cases still at risk (``stored_risks``: (archive name, result), the
    cases 钱货两空核查 lists from the archives) beside the tracking sheet's (``sheet``), each with where it is:
    archiving a case resolves nothing.

    Older cases are counted in one line under each list, never listed, so a year's sheet
    gives a page, not 45,000 rows.  A case with neither 申请时间 nor 超时时间 is listed
    (its age is unknown).
    """
    def L(zh: str, e: str) -> str:
        return pick((zh, e), en)

    days = s.overview_days
    cutoff = when - timedelta(days=days)
    shown_days = f"{days:g}"

    def recent(r: RowResult) -> bool:
        c = r.case
        since = (c.applied_at or c.deadline) if c is not None else None
        return since is None or since >= cutoff

    open_n = sum(1 for r in live if r.action_code != "DONE")
    t: list[list[object]] = []
    bold = out.bold_rows.setdefault(OVERVIEW, {0})
    t.append([L("今日概览", "Today's overview"), L("基准时间", "Reference time"), when])
    t.append([None])
    bold.add(len(t))
    t.append([L("项目", "Item"), L("数量", "Count")])
    t.append([L("售后单", "Cases"), out.cases])
    t.append([L("未完结", "Open"), open_n])
    t.append([L("已超时（未完结）", "Overdue (open)"), out.overdue])
    t.append([L("即将超时（未完结）", "Due soon (open)"), out.warn])
    t.append([L("待理赔", "Courier claims"), out.claims])
    t.append([L("钱货两空风险", "Loss risks"), out.risk])
    t.append([L("信息不足", "Missing information"), out.needs_info])
    t.append([L("下方清单范围", "Lists below"),
              L(f"近 {shown_days} 天（{cutoff:%Y-%m-%d %H:%M} 起）申请的售后单；更早的只计数（设置：概览天数）",
                f"cases applied for in the last {shown_days} days (since {cutoff:%Y-%m-%d %H:%M}); "
                "older ones are counted only (setting overview_days)")])
    t.append([None])
    # Counts per action, in the decision table's order.
    t.append([L("各动作数量", "Cases per action")])
    bold.update((len(t) - 1, len(t)))
    header_row = len(t) + 1
    t.append([L("动作代码", "Action code"), L("处理动作", "Action"), L("数量", "Count")])
    order = list(rules.ACTIONS) + sorted(set(out.counts) - set(rules.ACTIONS))
    first = len(t) + 1
    for code in order:
        n = out.counts.get(code, 0)
        if n:
            t.append([code, render.action_name(code, en), n])
    last = len(t)
    if last >= first:
        out.chart = ChartSpec(L("各动作数量", "Cases per action"), header_row, first, last, 2, 3, f"E{header_row}")
    # Leave room for the chart beside the counts (~0.45 cm a bar, 0.5 cm a row).
    chart_rows = header_row + int((max(7.5, 0.45 * (last - first + 1) + 2)) / 0.5) + 1
    while len(t) < max(last + 1, chart_rows):
        t.append([None])
    t.append([None])

    def block(title: str, head: list[str], cases: list[RowResult], line, empty: str,
              order_key=None, notes: Sequence[str] = ()) -> None:
        listed = [r for r in cases if recent(r)]
        older = len(cases) - len(listed)
        more = max(0, len(listed) - OVERVIEW_LIST_CAP)
        if more:  # the most recent first, then the list's own order
            listed = sorted(listed, key=lambda r: (r.case.applied_at or r.case.deadline or when) if r.case else when,
                            reverse=True)
            listed = listed[:OVERVIEW_LIST_CAP]
        if order_key is not None:
            listed.sort(key=order_key)
        t.append([L(f"{title}（{len(cases)}）", f"{title} ({len(cases)})")])
        bold.add(len(t) - 1)
        if not listed:
            t.append([empty if not cases else L(f"近 {shown_days} 天内没有。", f"None in the last {shown_days} days.")])
        else:
            bold.add(len(t))
            t.append([*head])
            t.extend(line(r) for r in listed)
        if more:
            t.append([L(f"只列出最近申请的 {OVERVIEW_LIST_CAP} 单，另有 {more} 单未列出（在售后登记中筛选）",
                        f"The {OVERVIEW_LIST_CAP} most recent are listed; {more} more are not "
                        "(filter the tracking sheet)")])
        if older:
            t.append([L(f"另有 {older} 单申请于 {shown_days} 天前，未列出",
                        f"{older} more applied for over {shown_days} days ago, not listed")])
        t.extend([note] for note in notes)
        t.append([None])

    due = [r for r in live if r.action_code != "DONE" and render.deadline_code(r) in ("OVERDUE", "WARN")]
    block(L("逾期与即将超时（未完结）", "Overdue and due soon (open)"),
          [L("订单号", "Order ID"), L("售后单号", "Case ID"), L("超时状态", "Deadline"), L("超时时间", "Deadline at"),
           L("剩余小时", "Hours left"), L("处理动作", "Action"), L("快递公司", "Carrier"), L("物流单号", "Tracking no.")],
          due, lambda r: [r.case.order_id, r.case.case_id, render.deadline_text(r.case, r.deadline_code, r.hours_left, en),
                          _deadline_at(r.case, s), render.hours_value(r.case, r.hours_left, en),
                          render.action_of(r, en), r.case.carrier, r.case.tracking_no],
          L("没有逾期或即将超时的售后单。", "Nothing overdue or due soon."),
          order_key=lambda r: r.hours_left if r.hours_left is not None else 0.0)
    block(L("理赔清单（向快递理赔，未完结的售后单）", "Courier claims (open cases)"),
          [L("订单号", "Order ID"), L("售后单号", "Case ID"), L("快递公司", "Carrier"), L("物流单号", "Tracking no."),
           L("退款金额", "Amount"), L("理赔原因", "Reason"), L("处理动作", "Action"), L("物流状态", "Logistics")],
          claims, lambda r: [r.case.order_id, r.case.case_id, r.case.carrier, r.case.tracking_no, money(r.case.amount),
                             render.claim_reason(r, en), render.action_of(r, en), r.case.logistics],
          L("没有需要理赔的包裹。", "No claims."),
          order_key=lambda r: (r.case.carrier or "\uffff", r.case.tracking_no or ""))
    archived_at = {case_key(r.case): name for name, r in stored_risks}
    archives = pick(LIST_SEP, en).join(dict.fromkeys(name for name, _r in stored_risks))
    block(L("钱货两空风险（已退款但货不在手）", "Loss risks (refunded, goods not back)"),
          [L("订单号", "Order ID"), L("售后单号", "Case ID"), L("售后类型", "Refund type"), L("退款金额", "Amount"),
           L("发货状态", "Ship state"), L("物流状态", "Logistics"), L("拦截状态", "Interception"),
           L("退货物流状态", "Return logistics"), L("快递公司", "Carrier"), L("物流单号", "Tracking no."),
           L("所在", "Where")],
          [r for r in live if r.loss_risk == "RISK"] + [r for _name, r in stored_risks],
          lambda r: [r.case.order_id, r.case.case_id, r.case.refund_type, money(r.case.amount), r.case.ship_state,
                     r.case.logistics, r.case.intercept,
                     r.case.return_logistics if r.case.refund_type == "退货退款" else None,
                     r.case.carrier, r.case.tracking_no, archived_at.get(case_key(r.case), sheet)],
          L("没有钱货两空风险。", "No loss risks."),
          notes=[L(f"其中 {len(stored_risks)} 单已归档，在 {archives}（「所在」列；跟进与解除见「钱货两空核查」）",
                   f"{len(stored_risks)} of them are archived, in {archives} (column Where; follow them up in "
                   "钱货两空核查)")] if stored_risks else [])
    block(L("信息不足（请先补全售后登记）", "Missing information"),
          [L("订单号", "Order ID"), L("售后单号", "Case ID"), L("售后类型", "Refund type"), L("退款金额", "Amount"),
           L("申请时间", "Applied at"), L("缺少或无法识别", "Missing or unreadable")],
          [r for r in live if r.action_code == "NEEDS_INFO" or r.error],
          lambda r: [r.case.order_id if r.case else None, r.case.case_id if r.case else None,
                     r.case.refund_type if r.case else None, money(r.case.amount) if r.case else None,
                     r.case.applied_at if r.case else None, render.action_of(r, en)],
          L("没有信息不足的售后单。", "Nothing missing."))
    out.wrap_cols[OVERVIEW] = {1, 5, 6}
    return t


# ----------------------------------------------------------- 运行日志

def _log(previous, s: Settings, when: datetime, en: bool, out: BatchResult) -> list[list[object]]:
    values = {
        "run_at": out.run_at, "now": when, "cases": out.cases,
        "registered": out.new_registered if REGISTER in out.sheets else None,
        "replies": out.replies, "overdue": out.overdue, "risk": out.risk, "settings": settings_text(s, en),
        "what": pick(RUN_NAMES[out.part], en), "warn": out.warn, "claims": out.claims,
        "needs_info": out.needs_info,
        "reading": out.reading.summary() if out.reading is not None else None,
        # what 拦截登记's 拦截状态 did: a tracking cell updated, a disagreement, a word not read
        "detail": "；".join([*([out.archive_note] if out.archive_note else []), *out.feed.log]) or None,
    }
    return log_lines(previous, [values, *out.log_extra], en)


def log_lines(previous: object, lines: Sequence[Mapping[str, object]], en: bool = False) -> list[list[object]]:
    """The 运行日志 sheet with ``lines`` appended: the one writer of the log (the batch's buttons and
    commands, `import`, `archive`).  Each line: column id of :data:`LOG_COLS` → value; columns are
    found by name in the existing header (staff may have moved or added some), missing ones added
    at the right (说明 only when a line has one); earlier lines are kept as they are."""
    rows = [list(r) for r in as_rows(previous)]
    while rows and all(blank(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        rows = [[c.name(en) for c in LOG_COLS]]
    header = rows[0]
    index = find_cols(header, LOG_COLS)
    wanted = {cid for values in lines for cid, v in values.items() if v is not None}
    for c in LOG_COLS:
        if c.id not in index and (c.id in wanted or c.id != "detail"):
            index[c.id] = len(header)
            header.append(c.name(en))
    for values in lines:
        line: list[object] = [None] * len(header)
        for cid, i in index.items():
            line[i] = values.get(cid)
        rows.append(line)
    return rows
