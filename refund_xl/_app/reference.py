"""The desk lead's reference page, generated from the code so it cannot drift.

``docs/columns-and-words.md`` is :func:`render` written to a file (``python docs/gen_reference.py``);
a test fails when the committed page differs from a fresh one.  Everything on the page is read
from the modules that decide: the headers and aliases from :data:`fields.FIELDS`, the words each
column understands from its parser, the date and amount forms by parsing examples, the settings
from :data:`settings.SETTINGS`, the action codes from :data:`rules.ACTIONS`.

The platform section is :func:`presets.reference_markdown` (the presets' own headers and words).
Pure: no host library.
"""

from __future__ import annotations

import inspect
from datetime import date, datetime

from refund_xl._core import presets, replies, rules, settings as settings_mod, vocab
from refund_xl._core.fields import FIELDS, MAPPING_SHEET, TRACKING_SHEET, Field, resolve

__all__ = ["render", "words_of", "PAGE", "REFERENCE_NOW"]

PAGE = "docs/columns-and-words.md"
REFERENCE_NOW = datetime(2025, 6, 10, 12, 0)  # the reference time of examples that need one

# Candidate cell texts; the page lists each with what the product reads from it (or that it cannot).
_DATE_EXAMPLES = (
    "2025/6/3 10:00", "2025-06-03 10:00", "2025-06-03", "2025年6月3日 10:00", "2025年6月3日", "2025.6.3",
    "2025-06-03T10:00:00", "2025-06-03T02:00:00Z", "2025-06-03T10:00:00+08:00",
    "6月8日 10:00", "6月8日", "6/8 10:00", "6月14日 10:00", "06-08 10:00", "6月8号 10点", "6月8日 下午3点",
    "20250608", "45811.4166667", "6/3/2025", "昨天",
)
_MONEY_EXAMPLES = ("59", "59.90", "¥59.9", "59元", "1,299.00", "￥1,299", "五十")
_PROVINCE_EXAMPLES = ("新疆", "新疆维吾尔自治区乌鲁木齐市天山区", "广东省深圳市南山区科技园", "内蒙古自治区呼和浩特市")
# A team's own headers for the worked 列名映射 example (what a desk typically has).
_MAPPING_EXAMPLE = (("退款编号", "case_id"), ("快递单号码", "tracking_no"), ("买家收货地址", "province"),
                    ("处理结果", "case_state"))


def _closure(fn) -> dict[str, object]:
    fn = inspect.unwrap(fn)
    names = fn.__code__.co_freevars
    return {n: c.cell_contents for n, c in zip(names, fn.__closure__ or ())}


def words_of(field: Field) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """(canonical word → other words read as it, [(text contained, canonical word)]) of a column.

    Uses the field's own ``words`` when it has them (a presets/value-mapping era ``Field``),
    else reads them from its parser (``vocab.make_choice_parser``'s table and keywords).
    """
    own = getattr(field, "words", None) or getattr(field.parse, "words", None)
    if own is not None:
        table, keywords = own
    else:
        cells = _closure(field.parse)
        table = cells.get("table") or {}
        keywords = cells.get("folded_keywords") or ()
    words: dict[str, list[str]] = {w: [] for w in field.choices}
    for text, canonical in table.items():
        if canonical not in words:
            words[canonical] = []
        if text != vocab.fold(canonical) and text not in words[canonical]:
            words[canonical].append(text)
    return words, [tuple(k) for k in keywords]


def _keyword(rule: tuple) -> str:
    """One keyword rule in words: 「成功」→ 拦截成功（前有否定：拦截失败）."""
    key, word = rule[0], rule[1]
    negative = rule[2] if len(rule) > 2 else None
    shown = f"「{_cell(key)}」→ {word if word is not None else '无法识别'}"
    return shown + f"（前有否定词：{negative if negative is not None else '无法识别'}）"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _show(value: object) -> str:
    """A value as the page shows it: in words, never a Python repr."""
    if value is None:
        return "（空）"
    if value is vocab.BAD:
        return "**无法识别**"
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
        aliases = "、".join(a for a in f.aliases if a != f.key)
        need = "**必填**" if f.required else (f"默认：{f.default}" if f.default is not None else "可不填")
        add(f"| `{f.key}` | {f.header} | {_cell(aliases) or '—'} | {need} |")
    add("")
    add("英文表头（English）和字段代码本身也能认出，如 `Order ID`、`order_id`。")
    add("")

    add("## 二、各列能识别的词")
    add("")
    add("格子里的字先去掉首尾空格、统一全角/半角再比对。左列是工具使用的标准词，右列是读成它的其他写法；"
        "「包含」一行的意思是：格子里含有这几个字就读成该词（按表中顺序，先匹配先用）；"
        "紧挨着它前面有否定词（未、没、不、无、非、还未……）时读成括号里的词，例如「拦截不成功」是拦截失败，"
        "没有对应的反面词时算作无法识别。一格里用逗号分开的几句要读成同一个词，否则也算无法识别；带问号或「待确认」的也算无法识别。"
        "认不出的词不会被猜测或换成默认值，该行判为「信息不足」并指出是哪一格、写了什么。")
    add("")
    for f in FIELDS:
        if not f.choices:
            continue
        words, keywords = words_of(f)
        add(f"### {f.header}（`{f.key}`）")
        add("")
        add("| 标准词 | 也读成它的写法 |")
        add("|---|---|")
        for canonical, others in words.items():
            add(f"| {canonical} | {_cell('、'.join(others)) or '—'} |")
        if keywords:
            add("")
            add("包含：" + "；".join(_keyword(k) for k in keywords))
        if f.key == "reason":
            add("")
            add("退货原因是自由文字：上面之外的原因照原样保留，不算认不出。")
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
    add("`6/3/2025` 这类写法分不清是 6 月 3 日还是 3 月 6 日，所以不读；请写成 `2025/6/3`。")
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
    add(presets.reference_markdown().strip())
    add("")

    add("## 六、设置表的项目")
    add("")
    add("「设置」表每行：键、项目、值、说明。按「键」或「项目」名找，顺序随意。")
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
        k = by_col.get(i)
        shown = f"{_field_header(k)}（`{k}`）" if k else "不使用"
        add(f"| {h} | {shown} |")
    add("")
    add("命令行用别的文件里的映射：`refund-xl evaluate 售后登记.xlsx --out 判定结果.xlsx --columns 映射.csv`，"
        "`映射.csv` 就是上面这张两列的表。")
    add("")
    return "\n".join(out)


def _field_header(key: str) -> str:
    return next(f.header for f in FIELDS if f.key == key)
