"""The desk lead's reference page, generated from the code so it cannot drift.

``docs/columns-and-words.md`` is :func:`render` written to a file (``python docs/gen_reference.py``);
a test fails when the committed page differs from a fresh one.  Everything on the page is read
from the modules that decide: the headers and aliases from :data:`fields.FIELDS`, the words each
column understands from its parser, the date and amount forms by parsing examples, the settings
from :data:`settings.SETTINGS`, the action codes from :data:`rules.ACTIONS`.

The platform section is :func:`presets_markdown` (the presets' own headers and words).
Pure: no host library.
"""

from __future__ import annotations

from datetime import date, datetime

from refund_xl._core import phrases, presets, replies, rules, settings as settings_mod, vocab, wordbook
from refund_xl._core.fields import FIELD_BY_KEY, FIELDS, MAPPING_SHEET, TRACKING_SHEET, WEAK_ALIASES, Field, resolve

__all__ = ["render", "words_of", "grammar_table", "PAGE", "REFERENCE_NOW", "RULES_PAGE", "rules_page", "condition_text"]

PAGE = "docs/columns-and-words.md"
RULES_PAGE = "docs/rules.md"
REFERENCE_NOW = datetime(2025, 6, 10, 12, 0)  # the reference time of examples that need one

# Candidate cell texts; the page lists each with what the product reads from it (or that it cannot).
_DATE_EXAMPLES = (
    "2025/6/3 10:00", "2025-06-03 10:00", "2025-06-03", "2025年6月3日 10:00", "2025年6月3日", "2025.6.3",
    "2025-06-03T10:00:00", "2025-06-03T02:00:00Z", "2025-06-03T10:00:00+08:00",
    "6月8日 10:00", "6月8日", "6/8 10:00", "6月14日 10:00", "06-08 10:00", "6月8号 10点", "6月8日 下午3点",
    "6月8日 晚8点", "6月8日(周日) 10:00", "2025年6月8日 星期一", "6月8日 晚上12点", "20250608", "2025/6/3 下午3点", "6.8 10:00", "45811.4166667", "6/3/2025", "昨天",
    "6月8日 下午三点", "六月八日 十点半", "6月8日 24:00", "6月14日 10:00前", "截止6月14日 18点", "6月14日到期", "6月14日前",
)
_MONEY_EXAMPLES = ("59", "59.90", "¥59.9", "59元", "59元整", "59块", "59.00 CNY", "1,299.00", "￥1,299", "1.2万", "1.299,00", "1.299", "199.99999999999997", "59元5", "五十")
_PROVINCE_EXAMPLES = ("新疆", "新疆维吾尔自治区乌鲁木齐市天山区", "广东省深圳市南山区科技园", "内蒙古自治区呼和浩特市")
# A team's own headers for the worked 列名映射 example (what a desk typically has).
_MAPPING_EXAMPLE = (("退款编号", "case_id"), ("快递单号码", "tracking_no"), ("买家收货地址", "province"),
                    ("处理结果", "case_state"))


def words_of(field: Field) -> dict[str, list[str]]:
    """Canonical word → the exact texts read as it, of an enumerated column (its wordbook entry)."""
    book = wordbook.WORDS[field.key]
    words: dict[str, list[str]] = {w: [] for w in field.choices}
    for text, canonical in book.exact.items():
        if canonical in words and text != canonical and text not in words[canonical]:
            words[canonical].append(text)
    return words


_CELL_WORD = {phrases.SKIP: "（不算）", phrases.NONE: "（无记录）"}


def grammar_table(key: str) -> list[str]:
    """A field's phrase matrix as a markdown table: one row per kind of stem, one column per aspect."""
    g = wordbook.WORDS[key].grammar
    if g is None:
        return []
    used = [a for a in phrases.ASPECT_NAMES if any(asp == a for _k, asp in g.matrix)]
    kinds = list(dict.fromkeys(g.stems.values()))
    lines = ["| 状态词 | " + " | ".join(phrases.ASPECT_NAMES[a] for a in used) + " |",
             "|---|" + "---|" * len(used)]
    for kind in kinds:
        stems = "、".join(s for s, k in g.stems.items() if k == kind)
        cells = []
        for a in used:
            word = g.matrix.get((kind, a))
            cells.append("—" if word is None else _CELL_WORD.get(word, word))
        lines.append(f"| {_cell(g.kinds.get(kind, kind))}：{_cell(stems)} | " + " | ".join(cells) + " |")
    return lines


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _word_shown(value: object) -> str:
    if value is None:
        return "无记录"
    if value is vocab.BAD:
        return "无法识别"
    return str(value)


def _show(value: object) -> str:
    """A value as the page shows it: in words, never a Python repr."""
    if value is None:
        return "（空）"
    if value is vocab.BAD:
        return "**无法识别**"
    if isinstance(value, vocab.WholeDay):
        return value.strftime("%Y-%m-%d") + "（整天，没写时刻）"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (int, str)):
        return str(value)
    raise TypeError(f"the reference page has no words for a {type(value).__name__}: teach reference._show")


# The columns a date example is read in: an event time and a deadline (a date typed without a
# year may resolve differently for each), through the engine's own column reading.
_DATE_READS = (("applied_at", "申请时间"), ("deadline", "超时时间"))


def _read_dates(text: str) -> list[object]:
    """What the engine reads from ``text`` in each column of :data:`_DATE_READS` at :data:`REFERENCE_NOW`."""
    from refund_xl._core import engine

    keys = tuple(k for k, _h in _DATE_READS)
    cols = engine.read_columns([[text] * len(keys)], [h for _k, h in _DATE_READS], keys=keys, now=REFERENCE_NOW)
    bad = set(cols.bad.get(0, ()))
    return [vocab.BAD if k in bad else cols.values[i][0] for i, k in enumerate(keys)]


def render() -> str:
    out: list[str] = []
    add = out.append
    add("# 能识别的列名、词和写法")
    add("")
    add("> 本页由程序生成（`python docs/gen_reference.py`），内容直接取自判定所用的代码，请勿手改。")
    add("")
    add(f"「{TRACKING_SHEET}」的列按**表头名字**找，顺序随意；下表左起第二列是标准表头，第三列是也能认出的写法。"
        "表头里的空格、全角/半角不影响。表头不在这里的列，用「列名映射」告诉工具它是哪一列（见文末例子）。"
        "缺少非必填的列时用「默认」一栏的值；每次运行都会说明哪些列用了默认值。")
    add("")
    add("## 一、列名")
    add("")
    add("| 字段代码 | 标准表头 | 也认这些表头 | 必填 / 默认 |")
    add("|---|---|---|---|")
    for f in FIELDS:
        weak = WEAK_ALIASES.get(f.key, ())
        aliases = "、".join(a for a in f.aliases if a != f.key and a not in weak)
        if weak:
            aliases += "；表里没有上面这些列时才用：" + "、".join(weak)
        need = "**必填**" if f.required else (f"默认：{f.default}" if f.default is not None else "可不填")
        add(f"| `{f.key}` | {f.header} | {_cell(aliases) or '—'} | {need} |")
    add("")
    add("英文表头（English）和字段代码本身也能认出，如 `Order ID`、`order_id`。表头前后的 `*`（必填标记）"
        "和末尾的单位（`（元）`、`/元`）不影响。")
    add("")

    add("## 二、各列能识别的词")
    add("")
    add("格子里的字先去掉首尾空格、统一全角/半角再比对。先查「标准词」和「也读成它的写法」（整格一致才算）；"
        "都不是时，按**整句**读：找出格子里的状态词，再看它前后的修饰词——前面的否定（未、没、不、还没、尚未……）、"
        "做不到（未能、无法、拦不住……）、等待（等待、待、准备……）、申请（申请、发起……），"
        "后面的结果（成功、失败、不成功、未成功……）、进行中（中）、暂停、异常——按下面每列的对照表得出意思。"
        "表里写「—」的组合**算作无法识别**，绝不当成状态词本身的意思（「揽收失败」不是已揽收，「未能拦截成功」不是拦截成功）。"
        "一格里用逗号分开的几句要能合成一个意思；带问号、「待确认」「可能」「好像」「差点」等的算作无法识别。"
        "认不出的词不会被猜测或换成默认值，需要它的行判为「信息不足」并指出是哪一格、写了什么。"
        "物流轨迹文字（如「快件已到达【上海转运中心】」）也按这张表读，【】里的地名不算。")
    add("")
    for f in FIELDS:
        if not f.choices:
            continue
        words = words_of(f)
        book = wordbook.WORDS[f.key]
        add(f"### {f.header}（`{f.key}`）")
        add("")
        add("| 标准词 | 也读成它的写法 |")
        add("|---|---|")
        for canonical, others in words.items():
            add(f"| {canonical} | {_cell('、'.join(others)) or '—'} |")
        for text, may_be in book.either.items():  # a word that says one of several: unknown among them
            add(f"| 「{text}」：{'或'.join(may_be)}（说不清是哪一种：结论相同才判定，钱货两空按有风险提示） | — |")
        table = grammar_table(f.key)
        if table:
            add("")
            add("整句的读法：")
            add("")
            out.extend(table)
            g = book.grammar
            assert g is not None  # a field with a grammar table has a grammar
            for kind, who in g.parties.items():
                add("")
                reads = g.party_reads.get(kind)
                add(f"「{g.kinds.get(kind, kind)}」前面写着{'、'.join(who)}（说的是另一方，不是这一列记的那一方）：" +
                    ("不算（只看旁边这一方自己说的话）。" if reads == phrases.SKIP else f"读作「{reads}」。" if reads else "读不懂。"))
            for kind, objects in g.open_after.items():
                add("")
                add(f"「{g.kinds.get(kind, kind)}」后面可以跟" +
                    ("去处（地名、网点）。" if objects is None else f"{'、'.join(objects)}。"))
        if book.examples:
            add("")
            add("例子：" + "；".join(f"「{_cell(e)}」→ {_word_shown(f.parse(e))}" for e in book.examples))
        if f.key == "reason":
            add("")
            add("退货原因是自由文字：不属于上表的原因（以及被否定的，如「不是质量问题」）照原样保留，不算认不出。")
        add("")

    add("## 三、日期和时间的写法")
    add("")
    add("日期格可以是 Excel 的日期格式，也可以是文字。下面每种写法都是实际交给工具读出的结果"
        f"（基准时间 {REFERENCE_NOW:%Y-%m-%d %H:%M}）。没有年份的写法按基准时间补上年份，"
        "事件时间（申请时间、物流更新时间、拦截时间）和超时时间分两列列出：")
    add("")
    add("| 格子里写 | 在申请时间、物流更新时间、拦截时间里读成 | 在超时时间里读成 |")
    add("|---|---|---|")
    for text in _DATE_EXAMPLES:
        add(f"| `{text}` | " + " | ".join(_show(v) for v in _read_dates(text)) + " |")
    add("")
    add("**无法识别**的格子不会被猜测，也不会换成默认值：该行判为「信息不足」，并指出是哪一格、写了什么。")
    add("")
    add("`6/3/2025` 这类写法分不清是 6 月 3 日还是 3 月 6 日，所以不读；请写成 `2025/6/3`。"
        "超时时间里可以带“截止/最晚……前/之前/到期/为止”；只写日期的「6月14日前」不读（14 号当天算不算？），请写上时刻。")
    add("")
    add("## 四、金额和省份的写法")
    add("")
    add("| 退款金额格子里写 | 读成 |")
    add("|---|---|")
    for text in _MONEY_EXAMPLES:
        add(f"| `{text}` | {_show(vocab.parse_money(text))} |")
    add("")
    add("| 收货省份格子里写 | 读成 |")
    add("|---|---|")
    for text in _PROVINCE_EXAMPLES:
        add(f"| `{text}` | {_show(vocab.parse_province(text))} |")
    add("")

    add("## 五、平台导出表")
    add("")
    add(presets_markdown().strip())
    add("")

    add("## 六、设置表的项目")
    add("")
    add("「设置」表每行：键、项目、值、说明。按「键」或「项目」名找，顺序随意。"
        "填了值却认不出是哪一项的行（键和项目都写错，如 `hihg_value | 高客单金额阀值(元)`）、键和项目说的是两个设置项的行、"
        "同一项写了两行不同的值，都会一句话指出格子（认不出时提示最接近的一项），不会悄悄用默认值；"
        "没有值的行和以「说明」「备注」开头的行是给人看的，不读。")
    add("")
    add("| 键 | 项目 | 默认值 | 说明 |")
    add("|---|---|---|---|")
    for s in settings_mod.SETTINGS:
        add(f"| `{s.key}` | {s.label} | {_cell(s.default)} | {_cell(s.note)} |")
    for s in getattr(settings_mod, "LEGACY", ()):
        add(f"| `{s.key}` | {s.label} | — | {_cell(s.note)} |")
    add("| `now` | 基准时间 | 空 = 当前时间 | 所有判定的参照时间 |")
    add("")

    add("## 七、话术模板的动作代码和占位符")
    add("")
    add("「话术模板」表按表头「动作代码」「话术模板」读。动作代码：")
    add("")
    add("| 动作代码 | 处理动作 |")
    add("|---|---|")
    for code, (zh, _en) in rules.ACTIONS.items():
        add(f"| `{code}` | {zh} |")
    add("")
    add("话术里可用的占位符：" + " ".join(f"`{{{p}}}`" for p in replies.PLACEHOLDERS))
    add("")
    add("全角括号（`｛订单号｝`）也是占位符。少了一半的括号（`{物流单号异常…`）不会原样发给客户："
        "标成 `【模板有误:「{」未配对】` 并列在「缺少字段」里。动作代码认不出的行（`APPROVE_REFUN`）和同一代码写了两行不同话术的，"
        "读取报告里会说是第几行、可能是哪个代码。")
    add("")

    add("## 八、列名映射：一个完整的例子")
    add("")
    headers = ["订单号", "售后类型", "退款金额", "发货状态"] + [h for h, _k in _MAPPING_EXAMPLE]
    mapping = dict(_MAPPING_EXAMPLE)
    before, after = resolve(headers), resolve(headers, mapping)
    known = set(before.index.values())
    unknown = "、".join(f"「{h}」" for i, h in enumerate(headers) if i not in known)
    add(f"你们的表头是：{'、'.join(headers)}。其中{unknown}工具不认识。"
        f"在「{MAPPING_SHEET}」表里加几行，第一列写你们的表头，第二列写字段代码（见第一部分）：")
    add("")
    add("| 表头 | 字段 |")
    add("|---|---|")
    for h, k in _MAPPING_EXAMPLE:
        add(f"| {h} | {k} |")
    add("")
    add("之后每一列读作：")
    add("")
    add("| 你们的表头 | 读作 |")
    add("|---|---|")
    by_col = {i: k for k, i in after.index.items()}
    for i, h in enumerate(headers):
        key = by_col.get(i)
        shown = f"{_field_header(key)}（`{key}`）" if key else "不使用"
        add(f"| {h} | {shown} |")
    add("")
    add("命令行用别的文件里的映射：`refund-xl evaluate 售后登记.xlsx --out 判定结果.xlsx --columns 映射.csv`，"
        "`映射.csv` 就是上面这张两列的表。")
    add("")
    return "\n".join(out)


def _field_header(key: str) -> str:
    return next(f.header for f in FIELDS if f.key == key)


# ------------------------------------------------------------------ the rules page (docs/rules.md)

_ATOM_WORDS = {
    "required": ("缺少或认不出必填项（订单号、售后类型、退款金额；仅退款还有发货状态），"
                 "或订单号/售后单号/物流单号被 Excel 变成了丢位数的数字"),
    "high": {True: "高客单", False: "低客单"},
    "parcel": {True: "有包裹（有物流单号，或物流状态、拦截状态显示已发出）", False: "无包裹（无物流单号，物流状态未揽收或空、未拦截）"},
    "stall": {"LOST": "停滞达到丢件阈值（真停滞）"},
    "intercept_due": {True: "拦截已满「拦截核实」小时数（或没填拦截时间）"},
    "cost_gt": {True: "退货运费 > 退款金额"},
}
_NONE_WORD = {"customer_says": "客户无反馈", "courier_check": "快递未核实", "cost_incurred": "成本未知",
              "inspection": "未验货", "reason": "无原因", "trace": "物流状态空"}
# atoms that read a field under another name (``trace``: the 物流状态 of a parcel that left outside the platform)
_ATOM_FIELD = {"trace": "logistics"}


def condition_text(atom: str, allowed: frozenset) -> str:
    """One condition of a rule in a desk lead's words."""
    words = _ATOM_WORDS.get(atom)
    if isinstance(words, str):
        return words
    if isinstance(words, dict) and len(allowed) == 1:
        value = next(iter(allowed))
        if value in words:
            return words[value]
    if atom == "deadline":
        return "即将超时或已超时"
    if atom == "stall" and "LOST" not in allowed:
        return "停滞未到丢件阈值（假停滞）"
    domain = rules.DOMAINS[atom]
    key = _ATOM_FIELD.get(atom, atom)
    header = FIELD_BY_KEY[key].header if key in FIELD_BY_KEY else atom
    shown = [v for v in domain if v in allowed]
    if len(shown) > 3 and len(domain) - len(shown) <= 2:
        others = [v for v in domain if v not in allowed]
        blank = f"（{_NONE_WORD[atom]}也算）" if None in allowed and atom in _ATOM_FIELD else ""
        return f"{header}不是" + "/".join(_NONE_WORD.get(atom, "空") if v is None else str(v) for v in others) + blank
    if shown == [None]:
        return _NONE_WORD.get(atom, f"{header}为空")
    return f"{header} " + "/".join(_NONE_WORD.get(atom, "空") if v is None else str(v) for v in shown)


def _sections():
    sections: dict[str, list] = {"通用": [], "一、未发货仅退款（含「线下已发货平台未同步」）": [], "二、已发货仅退款": [],
                                 "三、退货退款": []}
    names = list(sections)
    for rule in rules.ACTION_RULES:
        kinds = dict(rule.when).get("refund_type", frozenset())
        if kinds == {"仅退款"}:  # (a parcel that left outside the platform: 一, whatever the row's number)
            key = names[2] if "已发货" in dict(rule.when).get("ship_state", ()) else names[1]
        elif kinds == {"退货退款"}:
            key = names[3]
        else:
            key = names[0]
        sections[key].append(rule)
    return sections


_SECTION_NOTES = {
    "一、未发货仅退款（含「线下已发货平台未同步」）":
        "线下已发货（或未发货但有包裹）的单子，原文的做法（登记拦截，拦截失败请客户拒收，规则 1）是对还在路上的包裹说的。"
        "表里已经显示包裹**已签收、拒收、退回或丢件**，或者快递核实丢件、客户说已收到的，和已发货的包裹一样按规则 7–13 判定"
        "（下表前几行，编号与「二、已发货仅退款」相同），不会再去拦截一个已经签收或退回的包裹。"
        "这里**物流状态空着按「没有轨迹记录」处理，不问**（平台上没有这种包裹的物流，空着就是还没查）：按规则 1 登记拦截；"
        "只有快递核实丢件、客户说已收到时按规则 9、12；快递核实已签收而物流状态空着时会问物流状态。"
        "物流状态写了但认不出，仍按「信息不足」问。",
}


def rules_page() -> str:
    """docs/rules.md, generated from :data:`refund_xl._core.rules.ACTION_RULES` (the one table)."""
    out: list[str] = []
    add = out.append
    add("# 判定规则对照表（SOP → 规则编号 → 动作代码）")
    add("")
    add("> 本页由程序生成（`python docs/gen_reference.py`），直接取自判定所用的规则表"
        "（`refund_xl/_core/rules.py` 的 `ACTION_RULES`），请勿手改。")
    add("")
    add("`REFUND_ACTION` 按下表**从上到下**判定，命中第一条即停。`show` 参数设为 `why` 时，单元格显示"
        "「规则N：依据…」，例如 `规则18：已发货·运输中·59 < 高客单阈值 200`，组长可以据此逐条核对。")
    add("")
    add("术语：**高客单** = 退款金额 ≥ 设置里的「高客单金额阈值」（默认 200 元）；"
        "**在途** = 物流状态为 已揽收 / 运输中 / 派送中；"
        "**可协商** = 退货原因为 小瑕疵 或 少发漏发，协商进度不是「坚持退款」「拒绝换货」，且退货未寄回。")
    add("")
    add("## 只按表里有的事实判定")
    add("")
    add("每个事实要么**已知**（格子里读出来了），要么**无记录**（售后组自己记的列——拦截状态、协商进度、客户反馈、"
        "快递核实、验货结果、已产生成本、禁运、退货运费、商品类型、售后状态、没有退货单号时的退货物流状态——"
        "没有这一列或格子空着，就是「还没做」，按默认值），要么**未知**（表外世界的事实——售后类型、退款金额、"
        "发货状态、物流状态、物流更新时间、收货省份、退货原因——没有这一列、该有值的格子空着，或写的认不出）。")
    add("")
    add("判定时遇到未知的事实，会把它可能取的每个值都试一遍：结论都一样，就给出这个结论（判定依据里注明"
        "「某某不确定，但不影响结论」）；结论不一样，就给出 `NEEDS_INFO`（信息不足），写明缺哪一列、去哪里补"
        "（例如 `#信息不足: 物流更新时间（可运行 refund-xl track，或填写该列）`）。**缺了的事实从不当成「正常」**。"
        "只写了日期没写时刻的时间按整天算：一天的开头和结尾得出同一结论才算数。")
    add("")
    for title, rows in _sections().items():
        add(f"## {title}")
        add("")
        if title in _SECTION_NOTES:
            add(_SECTION_NOTES[title])
            add("")
        add("| 规则 | 条件 | 动作代码 | 显示 |")
        add("|---|---|---|---|")
        for rule in rows:
            conds = [condition_text(a, v) for a, v in rule.when if a != "refund_type" or title == "通用"]
            label = rules.ACTIONS[rule.code][0]
            add(f"| {rule.number} | {_cell('，'.join(conds))} | `{rule.code}` | {_cell(label)} |")
        add("")
    add("停滞判断（`STALL_STATUS`，只看 已揽收/运输中/派送中/异常 的包裹）：不足「催件阈值」（24 小时）为 **正常**；"
        "达到催件阈值、不足丢件阈值为 **催件**；达到「丢件阈值」（48 小时，偏远地区 72 小时）为 **按丢件处理**。"
        "没有物流更新时间的在途包裹显示 **信息不足**；停滞在两个丢件阈值之间而收货省份不知道时，也是信息不足（问省份）。"
        "已发货的仅退款（未完结）物流状态空着、无法识别，或快递核实已签收而物流状态还停在途中时，不知道包裹是否在途，"
        "也显示 **信息不足**（问物流状态）。")
    add("")
    add("## 钱货两空（`LOSS_RISK`）")
    add("")
    add("同样按表判定，但**宁可报风险**：只要未知事实的某个可能取值会是风险，就报「钱货两空风险」，并写明是哪一格不确定。")
    add("")
    add("| 规则 | 条件 | 结果 |")
    add("|---|---|---|")
    for rule in rules.RISK_RULES:
        conds = [condition_text(a, v) for a, v in rule.when]
        add(f"| {rule.number} | {_cell('，'.join(conds))} | {rules.RISKS[rule.code][0]} |")
    add("")
    add(_RULES_TAIL.strip())
    return "\n".join(out)


_RULES_TAIL = """
## 其他逐行结果

- `DEADLINE_STATUS`：超时时间 = 该行的「超时时间」；没有则为 申请时间 + 按售后类型的平台时限（「设置」表）：

  | 售后单 | 设置项 | 默认 |
  |---|---|---|
  | 仅退款，未发货或线下已发货（平台上仍显示未发货） | 未发货仅退款时限(小时) `timeout_unshipped_hours` | 48 |
  | 仅退款，已发货 | 已发货仅退款时限(小时) `timeout_shipped_hours` | 120 |
  | 退货退款 | 退货退款时限(小时) `timeout_return_hours` | 120 |
  | 类型或发货状态不明（含换货/补寄/维修） | 取三者中最短的（宁早勿晚） | 48 |

  旧版工作簿的「设置」表里只有一项 平台自动处理时限(小时) `platform_timeout_hours`：它仍然有效，
  顶替同一张表里**没有填**的按类型时限；同一张表里填了的按类型时限优先。三项都须大于 0。
  剩余 ≤ 0 小时为 **已超时**，≤ 超时预警小时数（默认 12）为 **即将超时**，否则 **正常**；两者都没有为 **无超时时间**；
  已退款/已关闭/已完结的售后单不再有超时，显示 **已完结**（按「超时状态」筛选时不会混进来）。
  没写年份的超时时间取离基准时间最近的一次（两天后的 `6月14日 10:00` 就是两天后）。
- `VALUE_TIER`：高客单 / 低客单。

## 与原文不完全一致、或原文没说的地方

- 原文说「物流走件 ≤24 小时的象征性催一下」，本工具把 24 小时内记为「正常」、24–48 小时记为「催件」；
  对物流状态为「异常」的包裹，只要未到丢件阈值，一律给出「假停滞：催件」（规则 15），与原文的做法一致。
- 退货退款的单子不看「发货状态」（收到货才会退货），只有仅退款才看。
- 「售后类型」写成「未发货仅退款 / 已发货仅退款 / 退款不退货」都按「仅退款」处理；发货状态以「发货状态」列为准。
- 拦截中的高客单单子，判断「即将超时」需要超时时间（或申请时间）；两者都没有时，拦截未满核实时长的单子会问超时时间。
"""


def presets_markdown() -> str:
    """The presets as a section of the generated column/word reference (docs/columns-and-words.md)."""
    lines = ["平台导出的文件不用改表头、不用填映射表，直接给 `refund-xl evaluate` / `batch` / `import`：",
             "按表头认出是哪个平台，再按下表读。表头旁的「不读」表示这一列不会被当成任何字段"
             "（例如拼多多的「订单金额」是订单总额，不是退款金额）。", ""]
    for p in presets.PRESETS:
        note = "" if p.attested else "（表头未在公开资料中找到，按常见写法；对不上时请用「列名映射」）"
        lines.append(f"### {p.name}{note}")
        lines.append("")
        lines.append("认出它的表头（至少 {} 个）：".format(p.min_hits) + "、".join(p.signature))
        lines.append("")
        lines.append("| 导出表头 | 读成 |")
        lines.append("|---|---|")
        for header, key in p.headers.items():
            lines.append(f"| {header} | {FIELD_BY_KEY[key].header if key else '不读'} |")
        for header, words in p.values.items():
            for word, canon in words.items():
                lines.append(f"| {header}「{word}」 | {canon} |")
        for header, implied in p.implies.items():
            for word, more in implied.items():
                said = "、".join(f"{FIELD_BY_KEY[k].header} {v}" for k, v in more.items())
                lines.append(f"| {header}「{word}」 | 同时说明 {said} |")
        if p.ship_record:
            lines.append(f"| {p.ship_record} 有内容 / 为空 | 发货状态 已发货 / 未发货（没有发货状态时） |")
        if p.ship_info:
            lines.append(f"| {p.ship_info}「快递公司 单号：轨迹」 | 快递公司、物流单号、物流状态（按轨迹文字） |")
        if p.return_info:
            lines.append(f"| {p.return_info} 的轨迹 | 退货物流状态 |")
        lines.append("")
    return "\n".join(lines)
