"""How a result reads: one catalogue of the words (中文 / English) and one presentation of a row.

Everything the product shows for a result goes through here: the labels of the
codes (action, stall, deadline, tier, risk), the cell messages (``#信息不足: 字段「值」``,
``#行错误: …``), the names of the result columns, and the ``show`` modes of the
formula functions (label / code / both / why).  The per-column formula functions,
REFUND_TABLE, ``fill`` and ``evaluate`` (workbook and CSV) render a row result with
these functions, and so does the batch's 处理动作 (``RowResult.action_label``), so
one row reads the same everywhere.  (The batch's few remaining ``rules.label`` calls
are to become :func:`label`, :func:`action_name`, :func:`deadline_text` and
:func:`claim_reason` when batch.py is split.)

The product's rule for a value it cannot read is "read it right or say you
can't": a column whose result depends on an unreadable cell shows
``#信息不足: <header>「<value as typed>」`` in that column, never a result
computed as if the cell were empty.

Pure module: no host library, no engine (the engine imports this).
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from refund_xl._core.errors import clip
from refund_xl._core.lang import LIST_SEP, lang, pick
from refund_xl._core import replies, rules, vocab
from refund_xl._core.rules import Case, Decision

__all__ = [
    "COLUMN_NAMES", "PERSON_KEYS", "TABLE_KEYS", "CODE_KEYS", "column_names", "FAMILIES", "label",
    "cell_message", "row_error", "BAD_SHOW", "show_mode", "shown", "action_text", "why_text", "stall_text",
    "unread_message", "deadline_unread", "deadline_text", "hours_value", "tier_text", "risk_text", "reply_text",
    "reply_plan", "Presenter", "person_cells", "machine_cells", "STALL_READS", "deadline_code", "action_name", "ROW_ERROR", "reply_parts", "action_of", "claim_reason",
]

# ------------------------------------------------------------ the catalogue

# Result columns as a person sees them: key → (中文, English).
COLUMN_NAMES: dict[str, tuple[str, str]] = {
    "action": ("处理动作", "Action"),
    "why": ("判定依据", "Why"),
    "stall": ("停滞状态", "Stall"),
    "deadline": ("超时状态", "Deadline"),
    "hours_left": ("剩余小时", "Hours left"),
    "value_tier": ("客单级别", "Value tier"),
    "loss_risk": ("钱货两空风险", "Loss risk"),
    "reply": ("回复话术", "Reply"),
    "action_code": ("动作代码", "Action code"),
    "stall_code": ("停滞代码", "Stall code"),
    "deadline_code": ("超时代码", "Deadline code"),
}
PERSON_KEYS = ("action", "why", "stall", "deadline", "hours_left", "value_tier", "loss_risk")
TABLE_KEYS = PERSON_KEYS + ("reply",)  # REFUND_TABLE and fill
CODE_KEYS = ("action_code", "stall_code", "deadline_code")  # evaluate's workbook, last, for filtering


def column_names(keys: Iterable[str], english: bool = False) -> list[str]:
    return [COLUMN_NAMES[k][lang(english)] for k in keys]


# The code tables stay beside the rules (rules.py, contract §4); labels are read per family.
FAMILIES: dict[str, dict[str, tuple[str, str]]] = {
    "action": rules.ACTIONS, "stall": rules.STALLS, "deadline": rules.DEADLINES,
    "tier": rules.TIERS, "risk": rules.RISKS,
}
# Per language, per family: code → label (read from the tables above, once).
_LABELS = tuple({fam: {code: pair[i] for code, pair in table.items()} for fam, table in FAMILIES.items()}
                for i in (0, 1))


def label(code: str, english: bool = False, family: str = "action") -> str:
    """A code's label in the settings' language (the code itself when the family does not know it)."""
    return _LABELS[lang(english)][family].get(code, code)


_MISSING_HEAD = ("#信息不足: ", "#Missing: ")
_MISSING_SEP = ("、", ", ")
# A name as rules.names gives it: the field, maybe its cell quoted, maybe a hint in brackets after them
# (退货物流状态（与「退货物流单号」不一致，请核对…）, 物流状态「…」（…）)
_NAME_AND_QUOTE = re.compile(r"[^「（(]*(?:「[^」]*」)?")


def _without_hint(name: str) -> str:
    """A name without the hint after it (the why column gives it whole); the name as it is where nothing is left."""
    return _NAME_AND_QUOTE.match(name).group().rstrip() or name  # type: ignore[union-attr]
_UNREADABLE = ("（无法确定：", " (not known: ")
ROW_ERROR = "#行错误"
_ROW_ERROR_NAME = ("行错误", "Row error")
BAD_SHOW = "#show 参数应为 label / code / both / why"
# The ``why`` mode of the one-field functions: the number the code was decided on.
_STALL_WHY = ("{:.1f}小时未更新", "{:.1f} h without an update")
_DEADLINE_WHY = ("剩余{:.1f}小时", "{:.1f} h left")
_TIER_WHY = ("{} {} 高客单阈值 {}", "{} {} high-value threshold {}")


def cell_message(missing: Iterable[str], english: bool = False) -> str:
    """The short message a bad row shows in its cell (≤ 80 chars; the why column names all)."""
    names = list(missing)
    i = lang(english)
    head, sep = _MISSING_HEAD[i], _MISSING_SEP[i]
    text = head + sep.join(names)
    if len(text) <= 60 or len(names) == 1 and len(text) <= 80:  # (one name, a trace quoted: engine.quote)
        return text
    # each name whole where it fits, else without its hint (退货物流状态（与「退货物流单号」不一致…）: 退货物流状态 — the why
    # column gives it whole); the first one at least, cut to fit — never a count that names nothing (等2项)
    shown_: list[str] = []
    for name in names:
        for form in (name, _without_hint(name)):
            if form and len(head + sep.join([*shown_, form])) <= 56:
                shown_.append(form)
                break
        else:
            break
    if not shown_:
        shown_.append(clip(_without_hint(names[0]), 56 - len(head)))
    if len(shown_) == len(names):
        return head + sep.join(shown_)
    more = pick((f"等{len(names)}项", f" and {len(names) - len(shown_)} more"), english)
    return head + sep.join(shown_) + more


def row_error(exc: BaseException) -> str:
    """What a row shows when evaluating it hit a defect (only that row; never a traceback)."""
    return f"{ROW_ERROR}: {type(exc).__name__}"


# ------------------------------------------------------------ show modes

_SHOW = {"label": "label", "标签": "label", "中文": "label", "": "label",
         "code": "code", "代码": "code", "both": "both", "两者": "both",
         "why": "why", "原因": "why", "依据": "why"}


def show_mode(show: object) -> str | None:
    """A formula's ``show`` argument → label / code / both / why (None when it is none of them)."""
    return _SHOW.get(str(show).strip().lower() if show is not None else "")


def shown(code: str, text: str, mode: str = "label", why: str = "") -> str:
    """The ONE place a ``show`` mode is applied: ``text`` is the label or the cell message."""
    if mode == "label":
        return text
    if mode == "code":
        return code
    if mode == "both":
        return f"{code}｜{text}"
    return why or text


# ------------------------------------------------------------ one column each

STALL_READS = ("logistics", "last_update")  # unreadable → the stall column says so


def unread_message(case: Case, keys: Iterable[str], english: bool = False) -> str | None:
    """The cell message naming (and quoting) the unreadable ones among ``keys``, or None.  (Two columns saying two
    words, :class:`vocab.Both`, are no unreadable cell: the facts say what follows, or the row names them as needed.)"""
    bad = case.bad
    named = [rules.named(case, k, english) for k in keys if k in bad and not isinstance(case.typed(k), vocab.Both)]
    return cell_message(named, english) if named else None


def needs_message(case: Case, needs: Iterable[str], english: bool = False) -> str:
    """The cell message naming the columns that would decide (and where to get them)."""
    return cell_message(rules.names(case, needs, english), english)


def action_text(d: Decision, english: bool = False, mode: str = "label") -> str:
    """处理动作: the label, or for NEEDS_INFO the message naming what is missing."""
    code = d.code
    if code == "NEEDS_INFO":
        text = cell_message(d.names(english), english)
    else:
        text = _LABELS[lang(english)]["action"].get(code, code)
    return text if mode == "label" else shown(code, text, mode, d.why(english) if mode == "why" else "")


def action_of(res, english: bool = False) -> str:
    """处理动作 of a row result (:class:`~refund_xl._core.engine.RowResult`): its error, its action, or ""."""
    if res.error:
        return res.error
    return "" if res.decision is None else action_text(res.decision, english)


def why_text(d: Decision, english: bool = False) -> str:
    """判定依据: the rule that fired and the facts it used."""
    return d.why(english) or action_text(d, english)


def stall_text(case: Case, code: str, hours: float | None, english: bool = False, mode: str = "label",
               needs: Iterable[str] = ()) -> str:
    """停滞状态; an unreadable 物流状态/物流更新时间 is quoted, whatever the mode; a parcel in
    transit whose stall the sheet cannot tell names what would tell it (``needs``)."""
    if case.bad:
        msg = unread_message(case, STALL_READS, english)
        if msg:
            return msg
    if code == "NEEDS_INFO":
        return needs_message(case, needs or ("last_update",), english)
    why = _STALL_WHY[lang(english)].format(hours) if mode == "why" and hours is not None else ""
    return shown(code, label(code, english, "stall"), mode, why)


def deadline_unread(case: Case, english: bool = False, needs: Iterable[str] = ()) -> str | None:
    """Why no deadline can be told: an unreadable 超时时间, or 申请时间 when that is all there is,
    or a date without a time of day that straddles two bands (``needs``).  A closed case has none."""
    if case.case_state in rules.CLOSED_STATES:
        return None
    bad = case.bad
    if bad:
        if "deadline" in bad:
            return cell_message([rules.named(case, "deadline", english)], english)
        if case.deadline is None and "applied_at" in bad:
            return cell_message([rules.named(case, "applied_at", english)], english)
    needs = [k for k in needs if k.endswith("@day")]
    if needs:
        return needs_message(case, needs, english)
    return None


_CLOSED = ("已完结", "Closed")  # 超时状态 of a closed case (contract §4.3: NONE, shown 已完结)


def deadline_label(case: Case | None, code: str, english: bool = False) -> str:
    """超时状态's word for ``code``: 已完结 for a closed case, else the code's label."""
    if code == "NONE" and case is not None and case.case_state in rules.CLOSED_STATES:
        return _CLOSED[lang(english)]
    return label(code, english, "deadline")


def deadline_text(case: Case, code: str, left: float | None, english: bool = False, mode: str = "label",
                  needs: Iterable[str] = ()) -> str:
    """超时状态; an unreadable 超时时间 (or 申请时间) is quoted, whatever the mode."""
    msg = deadline_unread(case, english, needs)
    if msg:
        return msg
    why = _DEADLINE_WHY[lang(english)].format(left) if mode == "why" and left is not None else ""
    return shown(code, deadline_label(case, code, english), mode, why)


def hours_value(case: Case, left: float | None, english: bool = False, needs: Iterable[str] = ()) -> object:
    """剩余小时: a number (1 decimal), "" when no deadline is known, the message when it cannot be read."""
    msg = deadline_unread(case, english, needs)
    if msg:
        return msg
    return "" if left is None else round(left, 1)


def stall_code(res) -> str:
    """A row result's stall code as every output shows it: ``NEEDS_INFO`` where 停滞状态 quotes an unreadable
    物流状态/物流更新时间 (:func:`stall_text`), never a code computed as if the cell were empty."""
    case = res.case
    if case is not None and case.bad and unread_message(case, STALL_READS):
        return "NEEDS_INFO"
    return res.stall_code


def tier_code(res) -> str:
    """A row result's 客单级别 code as every output shows it: ``NEEDS_INFO`` when the amount cannot be read
    (as the 停滞 code of a stall the sheet cannot tell), never an empty cell."""
    return res.value_tier or "NEEDS_INFO"


def coded(res, code: str, cell: int, english: bool = False, mode: str = "code") -> str:
    """A single-purpose function's cell in ``code``/``both`` mode: the code ``evaluate`` writes in its code column
    beside the person cell ``cell`` of REFUND_TABLE (:meth:`Presenter.person`)."""
    return code if mode == "code" else shown(code, str(person_cells(res, english)[cell]), mode)


def deadline_code(res) -> str:
    """A row result's deadline code as every output shows it: ``NONE`` (no deadline known) when
    the 超时时间 (or 申请时间, all there is) cannot be read, never a code computed as if it were empty."""
    case = res.case
    if case is not None and deadline_unread(case, False, res.deadline_needs):
        return "NONE"
    return res.deadline_code


def action_name(code: str, english: bool = False) -> str:
    """An action code's name in counts and summaries (``ERROR``: a row that hit a defect)."""
    if code == "ERROR":
        return _ROW_ERROR_NAME[lang(english)]
    return label(code, english)


def tier_text(case: Case, code: str | None, english: bool = False, mode: str = "label",
              threshold: float | None = None) -> str:
    """客单级别, or the message naming (quoting) the amount it could not read."""
    if not code:
        return cell_message([rules.named(case, "amount", english)], english)
    why = ""
    amount = rules.amount_text(case.amount, case.typed("amount"))  # (to the fen: 199.99, never 200)
    if mode == "why" and threshold is not None and amount:
        why = _TIER_WHY[lang(english)].format(amount, "≥" if code == "HIGH" else "<", rules.amount_text(threshold))
    return shown(code, label(code, english, "tier"), mode, why)


def risk_text(case: Case, code: str, english: bool = False, mode: str = "label", needs: Iterable[str] = ()) -> str:
    """钱货两空风险: the cautious RISK names the facts it could not tell (contract §4.3)."""
    text = shown(code, label(code, english, "risk"), mode)
    needs = tuple(needs)
    if mode == "code" or code != "RISK" or not needs:
        return text
    sep = pick(LIST_SEP, english)
    return text + _UNREADABLE[lang(english)] + sep.join(rules.names(case, needs, english)) + ("）" if not english else ")")


_EXTRAS: tuple[dict[str, dict[str, str]], ...] = ({}, {})  # per language: action code → placeholders


def _action_placeholders(d: Decision, english: bool) -> dict[str, str]:
    known = _EXTRAS[lang(english)]
    extra = known.get(d.code)
    if extra is None:
        extra = {"处理建议": action_text(d, english), "动作代码": d.code}
        if d.code != "NEEDS_INFO":  # its words name this row's missing fields
            known[d.code] = extra
    return extra


_NAMES_ACTION: dict[str, bool] = {}  # template → does it name the action ({处理建议} / {动作代码})?


def _names_action(template: str) -> bool:
    names = "处理建议" in template or "动作代码" in template
    if len(_NAMES_ACTION) < 1000:
        _NAMES_ACTION[template] = names
    return names


def reply_parts(d: Decision, case: Case, template: str, english: bool = False) -> tuple[str, list[str]]:
    """A template filled for this row: (text, placeholders with no value).  ``{处理建议}`` and
    ``{动作代码}`` are the row's action, as the 处理动作 column shows it (formulas and batch alike)."""
    return replies.fill(template, case, _action_placeholders(d, english) if _names_action(template) else None)


def reply_plan(d: Decision, templates: Mapping[str, str], english: bool = False
               ) -> tuple[str, Mapping[str, str] | None] | None:
    """The template 回复话术 fills for a decided row (not NEEDS_INFO) and its action placeholders
    (``{处理建议}``, ``{动作代码}``; None when it names neither); None when the action sends no message."""
    code = d.code
    template = templates.get(code)
    if code in replies.NO_MESSAGE or not template:
        return None
    names = _NAMES_ACTION.get(template)
    if names is None:
        names = _names_action(template)
    return template, (_action_placeholders(d, english) if names else None)


def reply_text(d: Decision, case: Case, templates: Mapping[str, str], english: bool = False) -> str:
    """回复话术: the filled template of the action ("" when the action sends no message)."""
    if d.code == "NEEDS_INFO":
        return cell_message(d.names(english), english)
    plan = reply_plan(d, templates, english)
    return "" if plan is None else replies.fill(plan[0], case, plan[1])[0]


_CLAIM = {
    "stalled": ("{:.0f}小时无物流更新（真停滞，按丢件）", "No movement for {:.0f} h (lost)"),
    "logistics": ("物流显示丢件", "Logistics: lost"),
    "courier": ("快递核实丢件", "Courier confirmed lost"),
}


def claim_reason(res, english: bool = False) -> str:
    """理赔原因 of a row result in the overview's claims list ("" when it is no claim)."""
    c = res.case
    if c is None or res.error:
        return ""
    i = lang(english)
    if res.stall_code == "LOST":
        return _CLAIM["stalled"][i].format(res.stall_hours or 0.0)
    if c.logistics == "丢件":
        return _CLAIM["logistics"][i]
    if c.courier_check == "丢件":
        return _CLAIM["courier"][i]
    if res.action_code == "REFUND_OR_RESHIP_CLAIM":
        return action_of(res, english)
    return ""


# ------------------------------------------------------------ one row result

class Presenter:
    """Renders row results (:class:`~refund_xl._core.engine.RowResult`) for one call.

    Labels and fact-only 判定依据 texts are looked up once per distinct value;
    ``person`` is the 7 person columns, ``table`` adds 回复话术 (REFUND_TABLE,
    ``fill``), ``machine`` is the CSV's automation columns.
    """

    def __init__(self, english: bool = False, templates: Mapping[str, str] | None = None):
        self.english = english
        self.templates = templates if templates is not None else {}
        self.labels = _LABELS[lang(english)]

    def why(self, d: Decision) -> str:
        return d.why(self.english)

    def person(self, res) -> list[object]:
        """The 7 person-facing cells (处理动作 … 钱货两空风险) of one evaluated row."""
        if res.error:
            return [res.error, res.error, "", "", "", "", ""]
        en = self.english
        labels = self.labels
        case, d = res.case, res.decision
        code = d.code
        if code == "NEEDS_INFO":
            action = cell_message(d.names(en), en)
            why = d.why(en)
        else:
            action = labels["action"].get(code, code)
            why = d.why(en) or action
        stall = None
        if case.bad:
            stall = unread_message(case, STALL_READS, en)
        if stall is None:
            stall = (needs_message(case, res.stall_needs, en) if res.stall_code == "NEEDS_INFO"
                     else labels["stall"].get(res.stall_code, res.stall_code))
        deadline = deadline_unread(case, en, res.deadline_needs) if (case.bad or res.deadline_needs) else None
        if deadline is None:
            hours: object = "" if res.hours_left is None else round(res.hours_left, 1)
            deadline = deadline_label(case, res.deadline_code, en)
        else:
            hours = deadline
        tier = res.value_tier
        tier = labels["tier"].get(tier, tier) if tier else cell_message([rules.named(case, "amount", en)], en)
        risk = res.loss_risk
        risk = (risk_text(case, risk, en, "label", res.risk_needs) if res.risk_needs
                else labels["risk"].get(risk, risk))
        return [action, why, stall, deadline, hours, tier, risk]

    def table(self, res) -> list[object]:
        """The 8 cells of REFUND_TABLE / ``fill``: the person cells and 回复话术."""
        cells = self.person(res)
        if res.error:
            return cells + [""]
        d = res.decision
        reply = cells[0] if d.code == "NEEDS_INFO" else reply_text(d, res.case, self.templates, self.english)
        return cells + [reply]

    def codes(self, res) -> list[object]:
        """动作代码, 停滞代码, 超时代码 (evaluate's workbook): the machine codes beside the words."""
        if res.error:
            return ["ERROR", res.stall_code or None, res.deadline_code or None]
        return [res.action_code or "ERROR", stall_code(res) or None, deadline_code(res) or None]

    def machine(self, res) -> dict[str, object]:
        """The CSV's added columns (``engine.OUTPUT_COLUMNS``): codes as codes, words as a person reads them.

        A deadline that cannot be read is ``NONE`` with no hours (the contract's "no deadline
        known"), never a code computed as if the cell were empty.
        """
        if res.blank:
            return dict.fromkeys(_MACHINE, "")
        if res.error:  # what the rules had found before the defect, as it was
            stall_text = label(res.stall_code, self.english, "stall") if res.stall_code else ""
            hours_left = "" if res.hours_left is None else round(res.hours_left, 1)
            return {"action_code": "ERROR", "action": res.error, "why": res.error,
                    "stall_code": res.stall_code, "stall": stall_text, "deadline_code": res.deadline_code,
                    "hours_left": hours_left, "value_tier": res.value_tier, "loss_risk": res.loss_risk}
        action, why, stall, _deadline, hours, _tier, _risk = self.person(res)
        code = deadline_code(res)
        return {
            "action_code": res.action_code or "ERROR",
            "action": action,
            "why": why,
            "stall_code": stall_code(res),
            "stall": stall,
            "deadline_code": code,
            "hours_left": "" if code == "NONE" else hours,
            "value_tier": tier_code(res),
            "loss_risk": res.loss_risk,
        }


_MACHINE = ("action_code", "action", "why", "stall_code", "stall", "deadline_code",
            "hours_left", "value_tier", "loss_risk")
_PRESENTERS = (Presenter(False), Presenter(True))


def person_cells(res, english: bool = False) -> list[object]:
    """The 7 person cells of one row result (see :meth:`Presenter.person`)."""
    return _PRESENTERS[lang(english)].person(res)


def machine_cells(res, english: bool = False) -> dict[str, object]:
    """The CSV's added columns of one row result (see :meth:`Presenter.machine`)."""
    return _PRESENTERS[lang(english)].machine(res)
