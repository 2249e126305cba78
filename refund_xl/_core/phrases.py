"""Reading a cell as a phrase (contract §2 "A value is read as a whole phrase").

A state word is read with what stands before it and after it::

    clause  := [subject] [negation | inability] [waiting | request] STEM [result] [了]

Each field has *stems* (揽收, 派送, 签收 … for 物流状态) and a *matrix*: for each kind of
stem and each *aspect* (what the modifiers around it say) the word it means — or
nothing, which makes the value unreadable.  The matrices are data a desk lead can
read (the docs print them, ``docs/reading.md``).  A combination the matrix does not
cover is unreadable, never the bare stem's meaning: 揽收失败 is not 已揽收, 未能拦截成功
is not 拦截成功.

The pieces:

* :data:`PRE` / :data:`POST` — the modifiers, by kind (negation 未/没/不 …, inability
  未能/无法 …, waiting 等待/待 …, request 申请/发起 …, result 成功/失败 …, in progress 中,
  paused 暂停, abnormal 异常).
* :func:`aspect` — a set of modifier kinds → one aspect name (``neg``, ``fail`` …) or
  ``None`` when the combination means nothing definite (a double negation).
* :class:`Grammar` — a field's stems, matrix and how several clauses combine.
* :func:`read` — a folded text → the field's word, ``None`` (nothing read) or
  :data:`~refund_xl._core.vocab.BAD`.

Text around the modifiers (a subject, a place, a filler word) is allowed unless it
carries a word that can turn a meaning around (a negation, a failure, doubt, 差点 …):
then the clause is unreadable.  Doubt anywhere (?, 吗, 可能, 待确认 …) makes the value
unreadable.  Pure module: no host library, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable, Mapping

from refund_xl._core.vocab import BAD, parse_datetime

__all__ = ["PRE", "POST", "FILLERS", "NOT_AS_SENT", "NOT_AS_SENT_ANYWHERE", "trouble_also", "NOUN_AFTER", "SKIP", "NONE", "Grammar",
           "aspect", "read", "clauses", "DOUBT", "ASPECT_NAMES", "split_clauses", "exact_word", "NOT_FINAL",
           "said_once"]

# ------------------------------------------------------------------ modifiers

# A desk's tick (√, ✅, ☑): before the step or after it, done (√已签收, 拦截成功✅); a cross is not read (failed, or
# not done?)
TICKS: tuple[str, ...] = ("√", "✓", "✔", "✅", "☑", "🆗")
# A "no" as a yes/no column answers it (禁运「否」); typed beside a step it answers that step (可寄回：否 — it cannot be
# sent back), which no table reads: unreadable (:func:`read`).
ANSWERS_NO: tuple[str, ...] = ("否", "n", "no", "false", "0", "不是", "×", "✗", "✘", "☒", "❌", "无", "没有")

# Kinds of modifier before a stem, longest first within a kind does not matter: matching
# is longest-first over all of them.
PRE: dict[str, tuple[str, ...]] = {
    "NEG": ("还没有", "并没有", "都没有", "啥都没有", "什么都没有", "没有", "还没", "并没", "尚未", "还未", "并未", "从未", "未曾", "从没",
            "未被", "没被", "不再", "无需", "不用", "不需要", "不必", "未", "没", "不", "无", "非", "别", "勿", "莫",
            "否", "免",
            # for now, not (暂未揽收, 暂不发货): a negation (暂时 alone, 暂时合格, says it may change: no reading)
            "暂未", "暂无", "暂不", "暂没有", "暂没", "暂时未", "暂时没有", "暂时没", "暂时不"),
    "INABLE": ("未能", "没能", "没有能", "不能", "无法", "没法", "没办法", "不可以", "不可", "难以", "未可",
               "暂时无法", "暂无法", "暂时不能", "暂不能", "来不及", "赶不及"),
    # (需拦截, 需要发货: still to be done, as 待拦截)
    "WAIT": ("等待", "等着", "尚待", "仍待", "正待", "准备", "待", "等", "需", "需要", "须"),
    # about to happen (即将退回, 将退回, 马上签收): not yet — read as a wait where waiting means "not done yet" (即将发货:
    # 未发货), never as the step now where the table reads a wait as the step under way (物流状态 即将退回: no 退回 yet)
    "SOON": ("即将", "即将要", "将", "将要", "马上", "马上就", "马上就要", "快要", "就快", "立即", "立刻", "即刻"),
    # arranged, still to be done (正在安排派送, 已安排揽收); a desk's own act arranged (已安排拦截: asked for, or
    # only planned?) says neither: only the fields whose table reads it
    "PLAN": ("安排", "正在安排", "已安排", "安排了"),
    # (快递已受理拦截; 已报拦截, 报了拦截: reported to the courier, as asked)
    "REQ": ("申请了", "发起了", "提交了", "申请", "发起", "提交", "提出", "要求", "受理", "报了", "报"),
    "PAST": ("已经", "已于", "业已", "都已", "均已", "已"),
    "DONE": ("完成", "成功"),  # 完成分拣, 已完成揽收, 成功拦截: the step done
    "ONGOING": ("正在", "正", "在", "开始", "已开始", "持续", "一直在"),
    "PAUSE": ("暂停", "停止", "中止", "推迟", "延迟", "暂缓", "暂时停止"),
    "OFFLINE": ("线下",),
    "SUSPECT": ("疑似", "怀疑", "可疑"),
    "AGREE": ("同意", "接受", "愿意", "答应", "认可"),
    "REFUSE": ("拒绝", "不接受", "不同意", "不肯", "不愿意", "不愿", "不想", "不要", "不答应", "不认可",
               "不给"),  # (不给拦: the courier would not; as 不 before 给, a refusal elsewhere)
    "INSIST": ("坚持", "坚决", "执意", "只要", "非要", "一定要", "就要", "必须要", "必须", "要"),
    # today, with no 已: done today or to be done today? (今天发: shipping today is not shipped)
    "TODAY": ("今天", "今日", "今早", "今晚", "今儿"),
    "TICK": TICKS,
    # a suggestion (要不撤销, 不如撤销, 要么就撤销): what someone proposes, no stance — no aspect reads it
    "SUGGEST": ("要不", "要不就", "要不然", "不如", "要么", "要么就"),
}
POST: dict[str, tuple[str, ...]] = {
    "FAIL": ("没有成功", "未能成功", "没能成功", "不能成功", "不成功", "未成功", "没成功", "失败", "未果", "无果",
             "不了", "不住", "不下来", "不回来", "不下", "不上", "无效", "不到",
             # (拦截未成, 没成: not brought about, as 未成功)
             "未成", "没成", "不成"),
    "DONE": ("成功", "完成", "完毕", "好了"),
    # a desk's tick or OK after the step (拦截OK, 签收√): done, as 成功 (验货OK: passed); a cross is not read (failed,
    # or not done?)
    "TICK": ("ok", *TICKS),
    "PAST": ("了", "啦", "咯", "过了", "过"),
    "ONGOING": ("进行中", "处理中", "当中", "途中", "中"),
    "PAUSE": ("暂停", "停止", "中止", "中断", "延迟", "延误", "推迟", "暂缓"),  # (中断 before 中: 运输中断 is no 运输中)
    "ABN": ("异常", "受阻", "滞留", "出错", "有问题", "过期", "逾期", "超期"),  # (过期 before 过: no 过 of "done")
    # 拦截申请中, 拦截已受理, 拦截申请已提交: asked for, not yet done
    "REQ": ("申请已提交", "申请中", "已申请", "已提交", "受理中", "已受理", "审核中", "申请"),
    # the step asked for and turned down by whoever does it (拦截被拒, 拦截申请被驳回): not done.  (不通过 is no
    # such word: a result of its own where a field reads one, 验货不通过)
    "DENY": ("被拒绝", "被拒", "遭拒绝", "遭拒", "被驳回", "遭驳回", "驳回", "被否决"),
}
# Couriers and parcel points, as desks and traces name them before what happened (顺丰已签收, 菜鸟驿站).
CARRIER_NAMES: tuple[str, ...] = ("顺丰", "中通", "圆通", "韵达", "申通", "京东", "极兔", "邮政", "ems", "德邦", "百世",
                                  "天天", "宅急送", "丰网", "众邮", "速运", "速递", "快运", "菜鸟", "兔喜", "妈妈")
# The shop's warehouse, as desks name it (仓库已收, 库房已签收, 售后仓已入库).
WAREHOUSE: tuple[str, ...] = ("仓库", "库房", "售后仓")
# Saying a state still holds, or has so far (目前无物流信息, 仍退回中, 至今未收到, 依旧没更新): the word itself.
STILL: tuple[str, ...] = ("到目前为止", "目前为止", "到目前", "到现在", "至今", "迄今", "目前", "现在", "当前", "仍然", "依然", "依旧",
                          "仍", "一直", "还")
# Said with emphasis (根本没收到, 确实已签收, 始终未更新, 从来没有物流): the word itself.  (完全 is none of them: 没完全收到
# is a part received, no reading; nor 实在 and 的确, which would take a character of the word beside them: 核实在退回,
# 等快递的确认.)
EMPHASIS: tuple[str, ...] = ("根本", "压根儿", "压根", "确确实实", "确实", "真的", "始终", "从来")
# ... and "nothing at all", before a negation (啥也没收到, 什么都没收到): before a step done (啥都已派送) it says nothing
# a desk writes, and the cell is read as what it is
NOTHING_AT_ALL: tuple[str, ...] = ("啥也", "啥都", "什么也", "什么都")
# A label, then 为 "is" (结果为合格, 验货结果为不合格): what the label names is the word after it.  (为 alone before a word
# is no copula the reader takes: 为合格 — the pinyin slip for 未合格? — :func:`_strip_pre`.)
LABELLED_AS: tuple[str, ...] = tuple(label + "为" for label in ("结果", "验货结果", "质检结果", "检验结果", "核实结果",
                                                                "拦截结果", "处理结果", "当前状态", "目前状态"))
# The courier's people, by every name traces and desks give them (China Post's 揽投员, 顺丰's 收派员, 中通's 业务员): fillers,
# speakers of the courier's side, people a trace asks to be contacted.
COURIER_PEOPLE: tuple[str, ...] = ("快递员", "快递小哥", "小哥", "骑手", "派件员", "配送员", "派送员", "送货员", "投递员",
                                   "揽件员", "收件员", "揽投员", "业务员", "收派员")
# Words that may stand in the modifier zone without changing the meaning: subjects,
# places, prepositions, reporting verbs.  ◇ stands for a bracketed place (【上海转运中心】), ◷ for a date
# or a time of day.
FILLERS: tuple[str, ...] = (
    "◇", "◷", "快件", "快递", "包裹", "货物", "货品", "物品", "商品", "东西", "订单", "您的", "你的", "您", "买家", "卖家", "客户",
    "顾客", "用户", "收件人", "签收人", "寄件人", "收货人", "发件人", "商家", "店铺", "店家", "本店", "厂家", "我司", "我方", *WAREHOUSE, *COURIER_PEOPLE,
    # China Post's words for the item and the one who collects and delivers it (邮件已妥投, 揽投员已收件)
    "邮件", "邮包", "派送人员", "配送人员", "快递人员",
    # the courier's people and the parties as 顺丰 and 中通 name them (派送业务员, 收派员; 收方客户: the recipient, 寄方 the
    # sender), a third-party seller (由第三方卖家拣货), an area (该地区暂停派送)
    "快递业务员", "收方", "寄方", "第三方", "地区", "区域", "片区",
    "海关",  # (海关扣关: the customs holding it)
    "司机", "网点", "本人", "他人", "家人", "门卫", "前台", "物业", "邻居", "同事", "退货", "退件", "退回件", "退货件", "件", "货",
    "该", "此", "这个", "被", "由", "从", "到", "经", "于", "自", "给", "为", "说", "称", "表示", "反馈",
    "反映", "回复", "确认", "核实", "核查", "显示", "显示为", "提示", "状态", "状态为", *LABELLED_AS, "是", "都", "也", "就", "又", "再",
    "已于今天", "昨天", "昨日", "前天", "刚刚", "刚才", "刚", "的", "物流", "系统", "平台", "官方",
    *STILL, "尚", "进行", "上门", "那边", "这边", "讲", "告知", "通知", "查询",
    "查到", "看到", "官网", "信息", "轨迹", "记录", "客服", "对方", "他", "她", "他们", "我们", "我", "了", "联系",
    "并", "且", "而且", "但", "但是", "所以", "因此", "于是", "然后", "已被", "均", "全部",
    "放入", "放到", "放在", "放进", "放至", "放置", "投入", "存入", "送到", "送至", "存放", "暂存", "交给", "交由", "至", "入", "存", "正常",
    *CARRIER_NAMES, "交易", "小二", "¤", "个性", "凭", "售后", "售后单", "工厂",
    "终于", "总算", "电话", "手机", "收货", "收件", "承认", "嗯嗯", "嗯", "现", "核实后", "确认后", "查询后", "经核实", "经确认", "经查", "有", "明显", "主动", "自己", "自行",
    "物流公司", "快递公司", "公司",
    # the latest (最新动态：已签收, 最后更新：运输中: a label before the trace's word; 最近没更新: lately)
    "最新", "最近", "最后",
    *EMPHASIS, *NOTHING_AT_ALL,
    # because (因收件人地址不详, 因为电话无人接听: why, read as the step it names, as 由于 is)
    "因", "因为",
    # what is done to the parcel, named before the verb (已把快件放在门口, 已将快件放置门口: 将 there is no "will")
    "把", *("将" + thing for thing in ("快件", "包裹", "快递", "货物", "商品", "东西", "其", "您的快件", "您的包裹")),
)
# After a stem these make it a noun, not a state: 签收人, 收件人, 派件员, 转运中心.
NOUN_AFTER: tuple[str, ...] = ("人", "员", "业务员", "方", "地址", "电话", "手机", "号", "单号", "信息", "中心", "部", "城市",
                               "站点", "网点", "点", "码", "时间", "日期", "费", "运费", "结果", "状态", "情况",
                               "进度", "记录")
# Words that can turn a meaning around; in the text around the modifiers they make the
# clause unreadable.  (Places that contain such a character are listed as exceptions.)
# Over a limit (超48h, 已超过3天, 超时): a parcel or a case late by the desk's count (a supermarket, 超市, is a parcel point)
_OVER = "超(?!市|级|值|大)|逾"
_TROUBLE = re.compile(_OVER + "|未|没|不|无|非|别|勿|莫|否|失败|败|异常|暂停|延误|延迟|错|误|差点|险些|几乎|差一点|假|"
                      "谎称|声称|据说|据称|听说|退|拒|丢|滞留|取消|撤|终止|结束|作废|待定|问题|投诉|延期|改期|"
                      "中断|中止|停止|搁置|挂起|作罢|驳回|失效|过期|逾期|再说|黄了|卡住")
# What received goods can be instead of the goods sent (收到空包, 收到坏的, 收到少了一件, 收到发霉的, 收到一半).
NOT_AS_SENT: tuple[str, ...] = ("空", "坏", "破", "烂", "碎", "损", "少", "缺", "漏", "霉", "变质", "瑕疵", "一半", "部分",
                                "错", "假", "调包", "掉包")
# (the buyer's own mistake in ordering, 拍错了, 买错尺码, is no goods wrong: a reason the reader reads as the 退货原因 table
# does, :attr:`Grammar.names_why`)
NOT_AS_SENT_ANYWHERE = re.compile("|".join("(?<![拍买选点下])错(?![拍买选点下])" if w == "错" else re.escape(w)
                                            for w in NOT_AS_SENT))
# Who signs decides whose goods arrived: the shop's side signing the buyer's parcel means it came
# back (商家已签收, 退货已签收); the buyer's side signing the return means it went back to the buyer.
SHOP: tuple[str, ...] = ("商家", "卖家", "店铺", "店家", "本店", "厂家")
SHOP_SIDE: tuple[str, ...] = (*SHOP, *WAREHOUSE, "寄件人", "发件人", "发货人", "寄方", "退货", "退件", "退回件")
# 协商进度 records the buyer's answer: the desk agreeing or refusing (商家同意补偿) is no answer of the buyer's.
DESK_SIDE: tuple[str, ...] = (*SHOP, "我们", "我方", "我司", "客服", "公司")
# The courier's side: a courier "collecting" a parcel (快递小哥已取件) picks it up, the buyer does not.
COURIER_SIDE: tuple[str, ...] = ("快递员", "快递小哥", "小哥", "骑手", "司机", "揽件员", "收件员", "揽投员", "上门")
# The courier's side by any of its names (快递, 网点, 顺丰, 快递小哥): who takes a parcel's check or interception on.
CARRIER_SIDE: tuple[str, ...] = ("快递", "快递公司", "快递网点", "网点", "物流", "物流公司", *COURIER_SIDE, *CARRIER_NAMES)
# A courier's hubs, by the name's end (上海转运中心): a place, whatever stem the name holds.
HUBS: tuple[str, ...] = ("转运中心", "转运站", "转运场", "转运部", "中转站", "中转场", "中转部", "中转中心", "分拨中心", "分拨部",
                         "集散中心", "分拣中心",
                         # China Post's (邮件已到达处理中心, 到达投递局)
                         "处理中心", "邮件处理中心", "投递局", "投递部", "揽投部", "邮政局")
# A parcel at or reaching the courier's outlet on its way (在网点, 已到网点): a step of its way, as 到达网点 is.
# (A hub's name, 上海转运中心, is a place the reader names ◇: 到达◇.)
AT_OUTLET: tuple[str, ...] = ("在网点", "到网点")
# No trace of the parcel at all (暂无物流信息, 查不到物流, 物流无信息): no courier has scanned it yet.  (No *update*,
# 无物流更新 or 物流没动, is a parcel that moved and stopped: another word.)
_TRACE_NOUNS = ("物流", "物流信息", "物流记录", "物流轨迹", "轨迹", "快递信息", "跟踪信息")
_NO_TRACE_WORDS = ("无", "暂无", "暂时无", "没有", "暂时没有", "没", "查无", "查不到", "查询不到", "未查到", "没查到", "不显示",
                   "未显示")
NO_TRACE: tuple[str, ...] = tuple(dict.fromkeys(
    [no + noun for no in _NO_TRACE_WORDS for noun in _TRACE_NOUNS] +
    # the trace named first (物流无信息, 轨迹暂无, 物流信息查不到)
    [noun + no + info for noun in _TRACE_NOUNS for no in ("无", "暂无", "没有", "查不到", "不显示")
     for info in ("", "信息", "记录") if not (info and noun.endswith(info))]))
# Where a parcel can be held up (滞留在网点, 卡在转运中心): what may follow 异常/滞留/卡在.
PLACES: tuple[str, ...] = ("在", "于", "网点", *HUBS, "营业部", "营业点", "站点", *WAREHOUSE, "海关", "驿站", "快递柜", "◇")
# Where a parcel sent back goes, by the sender's place (退回原寄件地址, 退回原地址): the shop's side.
SENDER_PLACES: tuple[str, ...] = ("原寄件地址", "原寄件地", "原寄件人", "原地址", "寄件地址", "寄件地", "原处")
BUYERS: tuple[str, ...] = ("买家", "客户", "顾客", "用户", "消费者")  # the buyer, as desks and traces name them
# The customer as the speaker (客户说丢了, 买家称已签收): in a column of the trace's or the courier's facts
# (物流状态, 快递核实) that is hearsay, no fact of theirs.  (An adverb may stand between: 买家仍说, 客户一直称, 顾客又反馈 —
# the same speaker.)
_SAYING = "说|称|反馈|表示|回复|讲|反映"
# How anyone is said to tell what follows (快递回复, 仓库反馈, 物流显示, 快递核实): the saying verbs and answering, showing,
# checking.
TELLING_VERBS: tuple[str, ...] = (*_SAYING.split("|"), "答复", "回应", "显示", "核实")
_ADVERBS = "仍然|依然|一直|还是|仍|还|也|又|都|再次"
# Who may be named as telling what a cell says, by party: the buyer (客户说, 买家留言：), the courier (快递员讲, 网点回复, 顺丰：),
# the shop's warehouse (仓库反馈), the platform's pages and the trace (系统显示, 物流：, 订单显示).  A field reads the claims of
# the parties its facts come from (客户反馈: the buyer's; 快递核实: the courier's; 物流状态: the trace's and the courier's)
# and no one else's: another party's claim is unreadable there (:func:`claims_by`, a field's Grammar.aside).
SPEAKERS: dict[str, tuple[str, ...]] = {
    "buyer": BUYERS,
    "courier": (*COURIER_PEOPLE, "司机", "快递公司", "物流公司", "快递网点", "网点", "快递", "驿站", "顺丰", "中通", "圆通", "韵达", "申通", "极兔",
                "邮政", "ems", "德邦", "百世"),
    "warehouse": WAREHOUSE,
    "system": ("系统", "平台", "后台", "页面", "物流", "物流信息", "物流页面", "轨迹", "订单", "官网", "淘宝", "天猫", "拼多多",
               "抖音", "抖店"),  # (京东 is a courier too: no party of either)
}
# The verbs of telling (说, 称, 告知, 自称, 留言, 确认 — not 确认收货, the platform's step), and how the telling came
# (客户电话说, 客户那边说, 买家微信留言).
SPEAKING_VERBS: tuple[str, ...] = ("说", "称", "讲", "告知", "告诉", "表示", "反馈", "反映", "自称", "声称", "留言", "备注",
                                   "回复", "答复", "回应", "说明", "提到", "承认", "显示", "提示", "描述", "确认")
_VIA = ("在电话里", "电话里", "打电话", "电话", "来电", "微信", "旺旺", "短信", "语音", "私信", "群里", "那边", "这边", "方面",
        "本人", "自己")
_SPEECH = "|".join("确认(?!收货)" if v == "确认" else v for v in sorted(SPEAKING_VERBS, key=len, reverse=True))
_VIA_RE = "|".join(_VIA)
# (待客户反馈, 请客户确认, 已通知客户回复: the party's word awaited or asked for, no claim)
_NOT_A_CLAIM = "(?<![待等需请让叫催])(?<!通知)(?<!联系)(?<!提醒)"


def claims_by(*parties: str) -> str:
    """A pattern of a claim told by any of ``parties`` (:data:`SPEAKERS`' keys): the party named, maybe how it told
    (电话, 那边) and an adverb (仍, 一直), then a verb of telling or a colon (客户电话说, 买家留言：, 快递：); for "system"
    also a cell that starts with 显示 or 提示 (显示已签收), and for "someone" a cell that starts with a verb of telling, no
    one named (说已寄回, 称已签收)."""
    alternatives = []
    who = sorted({w for p in parties for w in SPEAKERS.get(p, ())}, key=len, reverse=True)
    if who:
        alternatives.append(f"{_NOT_A_CLAIM}(?:{'|'.join(map(re.escape, who))})(?:{_VIA_RE})*(?:{_ADVERBS})?"
                            rf"(?:(?:{_SPEECH})|\s*[:：])")
    if "system" in parties:
        alternatives.append("^(?:显示|提示)")
    if "someone" in parties:
        alternatives.append("^(?:说(?!明)|称|讲|表示|告知|自称|声称|留言|备注)")
    return "|".join(alternatives)


# The buyer named first as the speaker of a cell that records their words (客户坚持退款, 买家说：坚持退款, 客户电话说：坚持退款).
# (客户声称: a doubt, :data:`DOUBT` — never stripped)
_SPEAKER = re.compile("^(?:" + "|".join(BUYERS) + f")(?:{_VIA_RE})*(?:{_ADVERBS})?(?:(?!声称)(?:{_SPEECH}))?[:：]?")
# (the return's sender is the buyer: 寄件人 signing for it means it went back)
BUYER_SIDE: tuple[str, ...] = (*BUYERS, "寄件人", "发件人", "寄方")
# What the platform's own pages show, named first (系统显示退款关闭, 后台显示已退款, 平台提示：退款成功): the record itself.
_SHOWN = re.compile("^(?:系统|平台|后台|页面)上?(?:显示|提示)为?[:：]?")


# Before a whole word, saying it still holds (目前无物流信息, 仍退回中, 至今未收到) or with emphasis (始终没有物流): the
# word, as the reader's fillers take them before a step.  (暂时 is none of them: 暂时合格 may change, no reading.)
_STILL = re.compile("^(?:" + "|".join(sorted((*STILL, *EMPHASIS, *NOTHING_AT_ALL), key=len, reverse=True)) + ")+")


def exact_word(g: Grammar | None, exact: Mapping[str, str], text: str) -> str | None:
    """The field's whole word ``text`` is (``exact``: folded text → word), as written or with who says it named first:
    the platform's page (系统显示退款关闭 → 退款关闭), or — in a column of the buyer's own words, where that page is no
    word of theirs (系统显示收到) — the buyer (客户坚持退款 → 坚持退款); either with the word said to still hold
    (目前暂无物流信息).  Who is named must be a party the field reads: the platform's page in 快递核实 (系统显示丢件, 后台显示
    已签收) is no finding of the courier's — the field's Grammar.aside says so, and the word is not read through it."""
    hit = exact.get(text)
    if hit is None and text:
        named = _SPEAKER if g is not None and g.buyer_speaks else _SHOWN
        said = named.sub("", text, count=1)
        if said != text and g is not None and g.aside is not None and g.aside.search(text):
            return None  # (another party's claim: read() finds it unreadable)
        hit = exact.get(said)
        if hit is None:
            still = _STILL.sub("", said, count=1)
            hit = exact.get(still) if still != said else None
    return hit


def trouble_also(words: Iterable[str]) -> re.Pattern:
    """What turns a meaning around in the words around a stem, and ``words`` too (a field's own)."""
    return re.compile("|".join([_TROUBLE.pattern, *map(re.escape, words)]))


_TROUBLE_FREE_PLACES = ("无锡", "无为", "无棣", "无极", "非洲", "不夜",
                        "不好意思")  # (an apology: 不好意思拍错了 — no negation of anything)
# In free text (退货原因) only a negation or hearsay turns a reason word around — written in traditional characters too
# (沒有腐烂, 無瑕疵, 據說少發: a negation the grammar's tables do not spell, never dropped).
_TRADITIONAL_TURNING = "沒|無|別|據說|據稱|聽說|聲稱|謊稱"
TURNING = re.compile("未|没|不|无|非|别|勿|莫|否|差点|险些|几乎|假|谎称|声称|据说|据称|听说|" + _TRADITIONAL_TURNING)
# A check still under way (待核实, 核实中): beside a finding it makes that finding no fact yet (a doubt); alone, in a
# column that records the check's finding (快递核实, 验货结果), there is no finding yet (Grammar.pending_is_none).
PENDING: tuple[str, ...] = ("待确认", "待核实", "待查", "核实中", "确认中", "查件中", "核查中",
                            # the courier still looking (快递正在查, 快递说在找, 排查中)
                            "正在查", "在查", "查询中", "排查中", "追查中", "在找", "寻找中", "找件中")
# A check made again, still under way (待复核, 复检中): alone, no finding yet; beside a finding, in a column that records
# one (验货结果「合格，复核中」, 快递核实「已签收（复核中）」), that finding may change — unreadable (Grammar.provisional).  (Elsewhere,
# 售后状态「复核中」, the case is open, no doubt.)
RECHECKING: tuple[str, ...] = tuple(form for check in ("复核", "复查", "复检", "复验")
                                    for form in ("待" + check, "等待" + check, "正在" + check, check + "中"))
RECHECK_PENDING = re.compile("|".join(RECHECKING))
# (who is checking, named first: the courier, its outlet, the warehouse, the desk — 网点核实中, 客服确认中)
_CHECKERS = (*CARRIER_SIDE, "客服", "售后", *WAREHOUSE)
_PENDING_CELL = re.compile(f"(?:{'|'.join(_CHECKERS)})?(?:{'|'.join((*PENDING, *RECHECKING))})")
# Saying the word is not final, in a clause of its own or anywhere: subject to someone's word (最终以快递为准, 结果以顺丰为准,
# 以仓库最终结果为准, （以实际为准）, 仅供参考), someone's confirmation still to come (待快递确认, 等快递最终确认, 有待核实, 尚需
# 核实, 但还需要再核实一下, 不过还要跟客户确认, 快递还没确认), the final word not in yet (快递还没最终回复, 未最终确定).  Beside
# any word — a result or a step under way — the value is no fact yet: a doubt (:data:`DOUBT`).  (A reply or a result
# awaited beside a step under way, 拦截中，等待结果 / 待快递回复, is what that step waits for: Grammar.awaiting; 待商家确认收货
# is a step of the case, no confirmation of a word.)
_WHOSE_WORD = "|".join(sorted({*_CHECKERS, *BUYERS, *COURIER_PEOPLE, "商家", "卖家", "平台", "系统", "主管", "领导", "同事",
                               "对方", "他们", "那边", "方面", "官方"}, key=len, reverse=True))
_CONFIRMING = "(?:确认|核实|核查|核对|确定|落实)(?!收货|收件)"  # (复核 is a check again: RECHECKING)
NOT_FINAL = re.compile(
    r"[以按][^，,。;；!！?？]{1,14}?为准|仅供参考|供参考|"
    rf"(?:等待|等着|有待|尚待|仍待|还待|待|等|还需要|还需|尚需|仍需|需要|需|须|还要|还得|要再|得再)"
    rf"(?:跟|和|与|向|找|让|请|由)?(?:{_WHOSE_WORD})*(?:最终|进一步|再次|重新|再)?{_CONFIRMING}|"
    rf"(?:(?:{_WHOSE_WORD})(?:还|仍|尚|暂时|暂)?|还|仍|尚|暂时|暂)(?:没有|没|未)(?:最终|进一步)?{_CONFIRMING}|"
    rf"(?:未|没|待|等)(?:有|待|着)?(?:{_WHOSE_WORD})*最终(?!结果)")
# Doubt anywhere: the value is not a fact yet.
# (现在查无物流: now, no trace — no one looking into it)
DOUBT = re.compile(r"[?？]|吗|是否|可能|好像|也许|大概|估计|应该是|不确定|不清楚|"
                   + "|".join("(?<!现)在查" if p == "在查" else p for p in PENDING) + "|"
                   r"不知道|未知|(?<!地址)不详|或者|还是|差点|险些|几乎|差一点|谎称|声称|据说|据称|听说|假装|存疑|待定(?!制|做(?!工))|有争议|"
                   r"不一定|未必|说不定|(?<!快递)(?<!快递员)(?<!小哥)说是|似乎|貌似|看样子|看起来|的样子|似的|恐怕|怕是|的话|待议|再议|待商议|待讨论|"
                   r"(?<![网酒])吧|(?<![什怎那这多要])么|(?<=要)么(?=$|[，,。;；!！\s])|"  # a guess or a question at the end (签收了吧, 发往杭州了么)
                   r"(.{1,6})[没不]\1|"  # a question asked as A-not-A: 是不是, 有没有, 拦没拦住, 收没收到, 成功不成功
                   + NOT_FINAL.pattern)  # (最终以快递为准, 待快递确认: not final yet)

_BRACKETS = re.compile(r"【[^】]*】|\[[^\]]*\]|〔[^〕]*〕|<[^>]*>")
# A bracketed name of a parcel point (【菜鸟驿站】, 【丰巢智能柜】, 【兔喜快递超市】): where the buyer collects the
# parcel, read as the word 驿站 (快件已存放至【丰巢智能柜】: delivered there), not as any place on the way.
PARCEL_POINTS: tuple[str, ...] = ("驿站", "快递柜", "丰巢", "智能柜", "自提柜", "快递超市", "代收点", "自提点", "取件点", "取货点",
                                  "提货点", "兔喜", "收发室")
_POINT_IN_BRACKETS = re.compile("|".join(rf"{o}[^{c}]*(?:{'|'.join(PARCEL_POINTS)})[^{c}]*{c}"
                                         for o, c in (("【", "】"), (r"\[", r"\]"), ("〔", "〕"), ("<", ">"))))
# ... and one named without brackets after a preposition (投递至菜鸟驿站, 放在小区东门快递柜): the name is a place too
# (the name holds no mark, no other preposition or verb of putting, and no word that turns a meaning around)
_NAME = r"[^，,。;；:：\s◇【】\[\]〔〕<>至到在入进投派送放存未没不无非别勿莫否拒退丢取往]{0,30}"
_NAMED_POINT = re.compile(rf"(?<=[至到在入进由被放])(?P<name>{_NAME})(?:{'|'.join(p for p in PARCEL_POINTS if p != '丰巢')})")
# ... and one that starts a clause, named or not (代收点签收, 自提点, 菜鸟自提柜已签收): the parcel point, as 驿站 is
_POINT_FIRST = re.compile(rf"(?:^|(?<=[，,;；。、\s]))(?:{'|'.join(CARRIER_NAMES)})?"
                          rf"(?:{'|'.join(p for p in PARCEL_POINTS if p not in ('驿站', '丰巢', '兔喜'))})")
# ... but one the parcel is heading to (发往【菜鸟驿站】, 送往小区快递柜) is where it is not yet: a place on the way
_HEADING_TO = re.compile(rf"(?<=往)(?P<name>{_NAME})(?:{'|'.join(PARCEL_POINTS)})")
# A hub named after a preposition or a verb of moving (卡在上海转运中心, 到达杭州中转部, 发往上海分拨中心): a place, as in
# brackets.
_NAMED_HUB = re.compile(rf"(?:(?<=[至到在于往])(?!达)|(?<=到达)|(?<=抵达))(?P<name>{_NAME})(?:{'|'.join(HUBS)})")
# ... and the buyer's own hands, home or address, reached (已到达客户手中, 送到家门口, 已到达收货地址): where the buyer
# has the parcel, read as a parcel point is (heading there, 发往客户家, is on the way; a place of the buyer's on the
# way, 到达客户所在城市, is no such place)
RECIPIENTS: tuple[str, ...] = (*BUYERS, "收件人", "收货人", "收方", "本人")
_THE_BUYERS = (rf"(?:{'|'.join(RECIPIENTS)})?的?"
               r"(?:手中|手里|手上|家中|家里|家门口|门口|家(?=$|[了啦啊哦呢，,。;；!！\s])|(?:收件|收货)人?的?地址)")
_BUYER_PLACE = re.compile(rf"(?<=[到达至]){_THE_BUYERS}")
_HEADING_HOME = re.compile(rf"(?<=往){_THE_BUYERS}")


def _named(as_word: str) -> Callable[[re.Match], str]:
    """A parcel point named after a preposition, as ``as_word``; left as written when its name holds a
    modifier (看到难以驿站, 已发往已投递至驿站: 难以, 已 are no name)."""
    def sub(m: re.Match) -> str:
        name = m.group("name")
        if name and (_TROUBLE.search(name) or any(kind and marker in name for marker, kind in _PRE_MARKERS)):
            return m.group()
        return as_word

    return sub


# Who signed, named after the signing (签收人：寄件人, 已签收（发件人）, 签收人：买家): the shop's side signing is a parcel
# that came back, the buyer signing a return is one back in the buyer's hands; written as the signer before the word
# (寄件人签收, 买家签收), so the party rules of each field read it.
_PARTY_SIGNERS = "|".join((*(w for w in SHOP_SIDE if w not in ("退货", "退件")), *BUYERS))  # (who, not what: no 退货)
_SIGNER_NAMED = re.compile(rf"签收人\s*(?:是|为)?\s*[:：]?\s*(?:是|为)?\s*(?P<who>{_PARTY_SIGNERS})|"
                           rf"(?<=签收)\s*[(（]\s*(?P<by>{_PARTY_SIGNERS})(?:签收)?\s*[)）]")
# ... and anyone else named as the signer (签收人：本人, 签收人是：张三, 签收人: 家门口): a signing, as 签收 says (a name
# holding a word that turns a meaning around, 签收人：未签收, is left as written)
# (an arrow to the next step ends the name: 签收人：本人→快件已退回)
_ANY_SIGNER = re.compile(r"签收人\s*(?:是|为)?\s*[:：]\s*(?:是|为)?\s*(?P<who>(?:(?![-=]+>)[^，,。;；!！\s>→⇒➡➜➔➙➝➞⟶⟹▶►»|｜]){1,12})")


def _shop_signed(m: re.Match) -> str:
    return f"，{m.group('who') or m.group('by')}签收"


# ... the recipient among them (签收人：本人, 签收人：收件人本人, 签收人：收货人): written as the signer before the word, as
# 买家签收 is, so a field that tells the recipient's signing apart (Grammar.party_apart) finds who signed
_RECIPIENT_SIGNER = re.compile("(?:" + "|".join(sorted(RECIPIENTS, key=len, reverse=True)) + ")+")
# ... and in brackets after the signing (已签收（本人）, 已签收(收件人本人签收))
_RECIPIENT_BRACKETED = re.compile(rf"(?<=签收)\s*[(（]\s*(?P<who>{_RECIPIENT_SIGNER.pattern})(?:签收)?\s*[)）]")


def _signed_by(m: re.Match) -> str:
    who = m.group("who")
    if _TROUBLE.search(who):
        return m.group()
    return f"，{who}签收" if _RECIPIENT_SIGNER.fullmatch(who) else f"，签收，{who}"


# Which try of a step (正在第1次派件, 第二次派送): when, as a date is — ◷.
_ORDINAL_TRY = re.compile(r"第\s*(?:\d{1,2}|[一二两三四五六七八九十])\s*次")
_SEPARATORS = re.compile(r"[,，;；。!！/|、()（）:：~～\-－—–\s]+")  # a dash too: 拦截失败-已签收
# An arrow from one step to the next (派送中→已签收, 运输中->派送中, 揽收=>运输中): the two steps apart, as a comma has them.
# (<上海> is a place in brackets, as 【上海】 is: no arrow)
_ARROW = re.compile(r"(?:[>→⇒➡➜➔➙➝➞⟶⟹▶►»]|=+>|-+>)+")
_ANGLED = re.compile(r"<([^<>]*)>")

SKIP = "\x00skip"   # a matrix cell that reads nothing (验货 alone says no result)
NONE = "\x00none"   # a matrix cell that means "nothing recorded" (未验货 → no inspection yet)


def _markers() -> tuple[tuple[str, str], ...]:
    """Every pre-modifier and filler as (text, kind), longest first ('' kind: a filler)."""
    items = [(text, kind) for kind, words in PRE.items() for text in words]
    items += [(text, "") for text in FILLERS]
    return tuple(sorted(set(items), key=lambda tk: -len(tk[0])))


_PRE_MARKERS = _markers()
_PRE_AT = re.compile("|".join(re.escape(text) for text, kind in _PRE_MARKERS if kind))  # a modifier (no filler), longest first
_SUBJECTS = frozenset(FILLERS)
_PLACE_NOUNS = tuple(p for p in PLACES if len(p) > 1 or p == "◇")  # (not the prepositions 在, 于)
_PAST_BEFORE_RESULT = tuple(sorted(PRE["PAST"], key=len, reverse=True))  # 已经 before 已
_RESULTS = (*POST["DONE"], *POST["FAIL"], *POST["DENY"])  # what 已 may stand before and still be about the stem before it
_LATE_RESULT = re.compile("|".join(map(re.escape, POST["DONE"])))  # a success word, wherever it stands
_POST_MARKERS = tuple(sorted(((t, k) for k, ws in POST.items() for t in ws), key=lambda tk: -len(tk[0])))

# ------------------------------------------------------------------ aspects

ASPECT_NAMES: dict[str, str] = {
    "plain": "只有状态词", "past": "已…", "done": "…成功/完成", "tick": "…OK/√", "neg": "未/没/不…", "neg_yet": "还没/尚未…", "neg_done": "未…成功",
    "inable": "未能/无法…", "fail": "…失败/不成功", "denied": "…被拒/被驳回", "wait": "等待/待…", "soon": "即将/将/马上…",
    "planned": "安排…", "req": "申请/发起…",
    "neg_req": "未申请…", "ongoing": "…中/正在…", "pause": "暂停…", "abn": "…异常", "suspect": "疑似…",
    "offline": "线下…", "agree": "同意…", "refuse": "拒绝/不同意…", "neg_agree": "未同意/还没接受…",
    "insist": "坚持…", "insist_neg": "坚持不…",
}


def aspect(kinds: Iterable[str]) -> str | None:
    """The aspect a set of modifier kinds gives, or ``None`` when it is no single meaning.

    ``PAST`` (已 / 了) adds nothing to most aspects; 了 alone after the word is ``past_post`` (read as 已 where the
    field reads 已 apart, else as the word alone); a combination not listed here (a
    double negation, waiting for a failure …) means nothing definite, nor does ``TODAY`` (今天)
    before a bare word (今天发: done today or to be done today?).
    """
    k = set(kinds)
    done = "PAST_POST" in k  # 了 after the word: 今天发了 is shipped
    k.discard("PAST_POST")
    past = "PAST" in k
    k.discard("PAST")
    today = "TODAY" in k
    k.discard("TODAY")
    yet = "YET" in k  # the negation says "not yet" (还没, 尚未): an agreement, a compensation reads it apart
    k.discard("YET")
    k.discard("FOR_NOW")  # the negation says "for now" (暂不, 暂时无法): the same aspect (Grammar.lasting reads it apart)
    if not k:
        return "past" if past else "past_post" if done else None if today else "plain"
    if k == {"DONE"}:
        return "done"
    if k == {"TICK"}:
        return "tick"
    if k == {"DONE", "TICK"}:  # (拦截成功✔, √拦截成功: the tick says what the success says)
        return "done"
    if k <= {"NEG", "INABLE", "DONE"} and "INABLE" in k:
        return "inable"
    if k == {"NEG"}:
        return "neg_yet" if yet else "neg"
    if k == {"NEG", "DONE"}:
        return "neg_done"
    if k in ({"NEG", "REQ"}, {"NEG", "REQ", "DONE"}):
        return "neg_req"
    if k in ({"FAIL"}, {"REQ", "FAIL"}):  # (申请拦截失败: the step asked for and not done, a failure of it)
        return "fail"
    if k in ({"DENY"}, {"REQ", "DENY"}):  # (拦截申请被驳回: asked for and turned down)
        return "denied"
    if k in ({"WAIT"}, {"WAIT", "REQ"}, {"WAIT", "ONGOING"}):
        return "wait"
    if k in ({"SOON"}, {"SOON", "REQ"}):  # (马上拦截中, 即将派送中: about to, or under way?)
        return None if past else "soon"  # (马上已退款: about to happen, or done?)
    if k in ({"PLAN"}, {"PLAN", "ONGOING"}):
        return "planned"
    if k in ({"REQ"}, {"REQ", "DONE"}, {"REQ", "TICK"}, {"REQ", "ONGOING"}):
        return "req"
    if k == {"ONGOING"}:
        return "ongoing"
    if k in ({"PAUSE"}, {"PAUSE", "ONGOING"}):
        return "pause"
    if k == {"ABN"}:
        return "abn"
    if k == {"SUSPECT"}:
        return "suspect"
    if k == {"OFFLINE"}:
        return "offline"
    if k in ({"AGREE"}, {"AGREE", "DONE"}):
        return "agree"
    if k in ({"REFUSE"}, {"INABLE", "AGREE"}):
        return "refuse"
    if k == {"NEG", "AGREE"}:  # 没同意 answers no; 还没同意 / 尚未接受: not yet, which is no refusal
        return "neg_agree" if yet else "refuse"
    if k == {"INSIST"}:
        return "insist"
    if k == {"INSIST", "NEG"}:
        return "insist_neg"
    return None


# ------------------------------------------------------------------ grammar


@dataclass(frozen=True)
class Grammar:
    """How one field reads a clause.

    ``stems``: stem text → stem kind; ``matrix``: (stem kind, aspect) → word, :data:`SKIP`
    or :data:`NONE` (a missing cell: unreadable); ``combine``: several words read from
    one cell → one word (or BAD); ``kinds``: stem kind → its name in the docs.
    """

    stems: Mapping[str, str]
    matrix: Mapping[tuple[str, str], str]
    combine: Callable[[list[str]], object] | None = None
    kinds: Mapping[str, str] = field(default_factory=dict)
    nouns: tuple[str, ...] = NOUN_AFTER
    strict: bool = True  # False: the words may stand inside a sentence (退货原因 is free text)
    trouble: re.Pattern | None = None  # what turns a meaning around in the words around (default: _TROUBLE)
    # stem kinds that take an object after them: any words (None: 发往杭州, 到达上海转运中心) or these
    # (退回商家, 退回寄件人), after such a stem when it is the last of its clause, are its object
    open_after: Mapping[str, tuple[str, ...] | None] = field(default_factory=dict)
    # words that make the whole cell unreadable wherever they stand, in a clause of their own too
    # (收到货，但是坏了: the second clause says what was received)
    aside: re.Pattern | None = None
    # stem kind → words naming the other party, which before the stem in its clause make the clause
    # unreadable (物流状态「商家已签收」: the parcel came back to the shop, it did not reach the buyer)
    parties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # stem kind → the word a stem of that kind done by the other party reads as (else unreadable)
    party_reads: Mapping[str, str] = field(default_factory=dict)
    # stem kinds that report what follows them (客户反馈已收到, 快递回复已签收): a party named before one is who took
    # the step after it
    reports: frozenset[str] = frozenset()
    # the words (failures) a clause of its own with a turning word (:func:`_turns_around`) may stand
    # beside: there it says why (派件异常，收件人电话无人接听), it turns nothing around
    explained: frozenset[str] = frozenset()
    # the words under way (拦截中, 运输中, 处理中) beside which a clause of its own saying what is awaited next
    # (待快递回复, 等待处理) turns nothing around (after a result, 合格（待复检）, it makes the result provisional)
    awaiting: frozenset[str] = frozenset()
    # nouns that, first in their clause and followed by a stem, name what the clause is about (退货物流状态
    # 「退货未揽收」「退货待取件」: the return, not the step 退货; 物流状态「异常件已签收」: the parcel that had
    # trouble, now signed for): the stems in them read nothing there
    subjects: tuple[str, ...] = ()
    # a clause that reads as another field's word and nothing of this one's (拦截状态「拦截成功，客户已签收」: the
    # parcel's state beside the interception's): ``beside`` reads it (a field's reader: word, None or BAD), and
    # ``agrees`` lists, per word of this field, the other field's words that agree with it.  A word beside that does
    # not agree makes the cell unreadable; a word of this field not listed agrees with any (拦截失败，已签收: why).
    # Such a clause may also stand right before a failure it explains (已签收无法拦截, 签收了拦不住).
    beside: Callable[[str], object] | None = None
    agrees: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # (stem kind, word) → the words no other step of the cell may read beside it (物流状态「拦截成功，客户已签收」: an
    # interception that worked and a parcel the buyer has do not fit; the cell is unreadable)
    apart: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    # words :attr:`combine` joins only as steps of their own (地址错误，已退回; 已退签已异常: why it went back); read one
    # right after the other (退回寄件人异常: the way back in trouble, as 退回异常) the clause is unreadable
    clause_apart: frozenset[frozenset[str]] = frozenset()
    # a trace's 签收人：X (本人, 张三, 家门口) says the parcel was signed for (物流状态, 快递核实: the parcel's facts)
    signer_named: bool = False
    # (stem kind, words naming a party) → the words no other step of the cell may read beside a stem of that kind with
    # such a party named before it in its clause (物流状态「快件已退回，收件人本人已签收」「退回中→已签收，签收人：本人」: the
    # recipient signing beside a way back — who has the parcel? the cell contradicts itself, unreadable; a signing with
    # no one named, or the sender's, beside 退回 is the sender taking the parcel back)
    party_apart: Mapping[tuple[str, tuple[str, ...]], frozenset[str]] = field(default_factory=dict)
    # (a clause that says the recipient was away, a cell that names someone taking the parcel for them, the word): a
    # clause of the first kind in a cell of the second read as that word says why someone else took it, it turns
    # nothing around (物流状态「快件已被【门卫】代签收（快递员备注：客户不在家，已放门卫室）」: 已签收); elsewhere it does
    # as before (已签收，客户不在家: who signed? unreadable)
    away_why: tuple[re.Pattern, re.Pattern, str] | None = None
    # a cell that only says the check is under way (待核实, 快递核实中: :data:`PENDING`) records no finding yet: NONE
    pending_is_none: bool = False
    # a column that records the buyer's own words (客户反馈): the buyer named first as the one speaking (客户坚持退款,
    # 买家说坚持退款) before a whole word of the field reads as that word
    buyer_speaks: bool = False
    # a field of kinds, not states (售后类型): a clause of its own with a negation beside its word says why
    # (仅退款（未收到货）, 发货前仅退款（未发货）), it turns nothing around (a bare negation, 仅退款，不是, still does)
    negation_says_why: bool = False
    # whether a clause of its own only names why the buyer wants the money back, nothing of the goods (不想要了, 拍错了,
    # 降价了): it turns nothing around (客户反馈「收到了，不想要了」: 已收到)
    names_why: Callable[[str], bool] | None = None
    # a column of a lasting property of the goods (禁运: they can never go back): a negation or an inability said to
    # hold for now (暂不能寄回, 暂时无法寄回, 暂不寄回) is no such property — unreadable
    lasting: bool = False
    # word → what, anywhere in the cell, makes that word unreadable (退货原因 腐烂变质 with a part or a count beside it:
    # 部分腐烂, 烂了一个 — some of the goods spoiled, not goods of no value to send back)
    not_if: Mapping[str, re.Pattern] = field(default_factory=dict)
    # stem kind → the word a clause waiting for that step's result reads as (拦截状态「等拦截结果」, 「拦截结果未出」,
    # 「拦截等回复」: placed, the courier's answer not in yet — 拦截中)
    result_awaited: Mapping[str, str] = field(default_factory=dict)
    # the one act a column records (拦截状态: 拦截), left unwritten in a cell of modifiers alone (已申请, 未成功, 申请中):
    # read as that act with them, before it and after it alike (已申请拦截, 拦截已申请), or unreadable where the two differ
    implied: str | None = None
    # word → the steps that come after it (退货物流状态 已签收: 验货, 质检, 退款): a clause of its own that only waits for
    # one of them (已签收，待验货; 合格，待退款) beside that word turns nothing around — it says what is next, not that
    # the word may change (合格，待复检 does: a check again, a doubt)
    next_steps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # what makes a finding read beside it provisional, wherever it stands (验货结果「合格，复核中」, 「已合格待复核」: the
    # finding checked again may change — unreadable); alone it reads as the grammar reads it (复核中: no finding yet)
    provisional: re.Pattern | None = None
    # whether a clause holds a parcel's state word of any column (快递已取件, 客户已收到, 又派送了): beside a word it explains
    # (:attr:`explained`: 未发货, 丢件, 退回 …) such a clause with no negation in it is no reason why — it says the word
    # no longer holds, or never did (未发货，快递已取件; 丢件，客户已收到): unreadable (:func:`_undoes`)
    elsewhere: Callable[[str], bool] | None = None
    # a courier trace's words that a later event of the trace supersedes (物流状态 异常, 未揽收: 派件异常→派送中 is 派送中):
    # set, the field reads a cell's lines and arrowed steps as events (:func:`_read_events`)
    superseded: frozenset[str] = frozenset()
    # whether an event this field cannot read is a passing trouble another table reads (退货物流状态「派件异常」: 物流状态's
    # 异常), superseded by a later event as :attr:`superseded` words are
    passing: Callable[[str], bool] | None = None
    # words no later step of the clause takes the place of (售后状态 已退款: the money paid stays paid whatever comes after
    # it, 已退款后又撤销, 退款成功后关闭): both are read, as written side by side (已退款，已撤销: unreadable)
    standing: frozenset[str] = frozenset()
    # word → the words that may come after it in steps written in order (拦截状态 拦截失败 → 拦截中, 拦截成功: a second
    # interception): set, a cell of steps in order — an arrow, 后/之后/然后/后来, 又, 再, 先…后, 昨天…今天, 第1次…第2次 —
    # reads its latest step, whichever way the order is written (:func:`_in_order`); a step after one it may not follow
    # (拦截成功→拦截中, 拦截中后又未拦截) makes the cell unreadable
    follows: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.stems, key=len, reverse=True))
        object.__setattr__(self, "_awaits", _awaits_pattern(
            tuple(sorted((s for s, k in self.stems.items() if k in self.result_awaited), key=len, reverse=True))))
        object.__setattr__(self, "_ordered", ordered)
        object.__setattr__(self, "_pattern", re.compile("|".join(map(re.escape, ordered))) if ordered else None)
        object.__setattr__(self, "_nouns", re.compile("|".join(map(re.escape, self.nouns))) if self.nouns else None)
        object.__setattr__(self, "_parties", {kind: re.compile("|".join(map(re.escape, words)))
                                               for kind, words in self.parties.items()})
        object.__setattr__(self, "_party_apart", tuple(
            (kind, re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))), unfit)
            for (kind, words), unfit in self.party_apart.items()))
        # (a party's word that is a step of the field, 物流状态's 退件, stands for that step in a clause of its own; the
        # return parcel is no one speaking: 物流状态「退货，已签收」 may say what the case is.  Where the other party doing
        # the step means a word of its own, 物流状态 商家已签收 退回, a party in a clause of its own may be the one who
        # writes, 商家：已签收, not the one who signed: not joined, the cell reads as it did)
        meaning = {w for kind, words in self.parties.items() if self.party_reads.get(kind, SKIP) != SKIP for w in words}
        others = sorted({w for words in self.parties.values() for w in words
                         if w not in self.stems and w not in PARCEL_SUBJECTS and w not in meaning}, key=len, reverse=True)
        object.__setattr__(self, "_speaker_only", re.compile(
            "(?:" + "|".join(map(re.escape, others)) + f")(?P<name>.*?)(?:{_ADVERBS})?(?:{'|'.join(TELLING_VERBS)})?")
            if others else None)


# The return parcel named as a party (退货已签收: back at the shop): a thing, never one who speaks in a clause of its own.
PARCEL_SUBJECTS = frozenset({"退货", "退件", "退回件", "退货件"})


# Waiting for a step's result: 等(待) before the step and 结果 after it (等拦截结果), 结果 then "not out yet"
# (拦截结果未出, 拦截结果还没出来), or the step (done) then a wait for the answer (拦截等回复, 拦截了，待反馈 is two
# clauses, read as the step beside what it awaits).  Who answers may be named first (等快递拦截结果).  (结果待定, 结果未知:
# doubt, unreadable)
_AWAIT = "(?:等待|等着|等|待)"
_ANSWER_NOT_IN = "(?:还|仍|尚)?(?:未|没|没有)(?:出|出来|反馈|回复|回传|回来)|(?:待|等)(?:反馈|回复|回传)"
_WHO_ANSWERS = "(?:" + "|".join(map(re.escape, (*CARRIER_NAMES, "快递公司", "物流公司", "快递", "物流", "网点"))) + ")*"


def _awaits_pattern(stems: tuple[str, ...]) -> re.Pattern | None:
    if not stems:
        return None
    stem = "(?:" + "|".join(map(re.escape, stems)) + ")"
    return re.compile(f"(?:已经|已)?(?:{_AWAIT}{_WHO_ANSWERS}(?P<a>{stem})结果(?:{_ANSWER_NOT_IN})?"
                      f"|{_WHO_ANSWERS}(?P<b>{stem})结果(?:{_ANSWER_NOT_IN})"
                      f"|{_WHO_ANSWERS}(?P<c>{stem})了?{_AWAIT}(?:结果|回复|反馈|回传))")


def result_awaited(g: Grammar, clause: str) -> str | None:
    """The word a clause that only waits for a step's result reads as (:attr:`Grammar.result_awaited`), else None."""
    pattern = g._awaits  # type: ignore[attr-defined]
    m = pattern.fullmatch(clause) if pattern is not None else None
    if m is None:
        return None
    return g.result_awaited[g.stems[m.group("a") or m.group("b") or m.group("c")]]


def agree(words: list[str]) -> object:
    """Several readings of one cell: all must say the same word.  The same word read two ways (待揽收 beside 买家未退货:
    未寄回, and 未寄回 not collected yet, :class:`vocab.Awaiting`) is the plain word, whichever clause comes first: a
    reading holds only where every clause gives it."""
    distinct = set(words)
    if len(distinct) != 1:
        return BAD
    return next((w for w in words if w.__class__ is str), distinct.pop())


# Fillers that are verbs of saying, seeing or checking: a negation before one is about that verb, not
# the state (未确认收货: not confirmed, which is not 未收到; 没说签收, 未核实签收).
# A quantity is the same: 未全部签收 is "not all signed" (some were), not 未签收.
REPORTING: frozenset[str] = frozenset({"说", "称", "表示", "反馈", "反映", "回复", "确认", "核实", "核查", "显示",
                                       "显示为", "提示", "告知", "通知", "查询", "查到", "看到", "讲", "联系",
                                       "全部", "都", "均"})
# Verbs of telling someone to do a thing: right before a bare state word (only who is told between), they
# ask for it (已通知拒收, 已联系客户拒收, 已通知寄回: the step asked for, not done); before 已 they report it
# (快递通知已签收).
TELLING: frozenset[str] = frozenset({"告知", "通知", "联系"})


# The longest marker at an end of a text, in one regular-expression step: the pre-modifiers and
# fillers reversed (matched at the start of the reversed text), the post-modifiers as written (an
# alternation tries its branches in order, and the markers stand longest first).
_PRE_KIND = dict(_PRE_MARKERS)
_PRE_REVERSED = re.compile("|".join(re.escape(text[::-1]) for text, _kind in _PRE_MARKERS))
_POST_KIND = dict(_POST_MARKERS)
_POST_AT = re.compile("|".join(re.escape(text) for text, _kind in _POST_MARKERS))
_PAST_THEN_RESULT = re.compile("(?:" + "|".join(map(re.escape, _PAST_BEFORE_RESULT)) + ")(?=" +
                               "|".join(map(re.escape, _RESULTS)) + ")")


_NEGATIONS = frozenset({"NEG", "INABLE", "NEG_NEG", "NEG_VERB"})
# A state word that starts with its own "only" or "not" (只退款, 仅退款, 未同步) is a predicate of its own, never
# the object of the word before it nor under that word's negation.
_OWN_NOT = ("未", "没", "不")
_OWN_PREDICATE = ("只", "仅", *_OWN_NOT)
# Negations that say "not yet" (the answer may still come): 还没同意 is no 没同意 (no)
NOT_YET: frozenset[str] = frozenset({"还没有", "还没", "还未", "尚未", "暂未", "暂没有", "暂没", "暂时未", "暂时没有", "暂时没"})


# A negation of who did a step, "it is not X who …" (不是本人签收, 非本人签收, 不是我签收的): whether the step was done the
# words do not say (someone else signed; or no one did) — no aspect reads it.  (本人没签收 negates the step.)
_IS_NOT = frozenset({"非", "并非"})
_NOT = frozenset({"不", "并不"})
_WHO = frozenset({"本人", "我", "我们", "他人", "家人", "客户", "买家", "顾客", "用户", "收件人", "收货人", "他", "她", "他们"})


def _strip_pre(text: str) -> tuple[set[str], str]:
    """Modifier kinds found at the right end of ``text`` and the text left before them, the longest
    marker first at each step (a negation standing before a verb of saying or checking adds
    ``NEG_VERB``; two negations add ``NEG_NEG``: no aspect reads either)."""
    kinds: set[str] = set()
    verb = False
    negations = 0
    after: list[str] = []  # the markers found so far: those after this one, nearest last
    reverse, at = text[::-1], 0
    while True:
        m = _PRE_REVERSED.match(reverse, at)
        if m is None or m.end() == at:
            break
        marker = m.group()[::-1]
        kind = _PRE_KIND[marker]
        if (marker in _IS_NOT or marker in _NOT and after[-1:] == ["是"]) and _WHO.intersection(after):
            kinds.add("NEG_WHO")  # 不是本人签收, 非本人签收: it is not that person who did it — done, or not?
        if marker == "为" and all(_PRE_KIND[a] for a in after):
            # 为 right before the state word, only modifiers between (为发货, 为合格, 为拦截成功): the pinyin slip for
            # 未 (wèi) as often as a copula with no subject — which, the words do not say; no aspect reads it.  (A label
            # before it, 状态为, 结果为, is a filler of its own; one it stands before, 为您派送, is whom it is for.)
            kinds.add("WEI")
        after.append(marker)
        if kind in ("NEG", "INABLE"):
            negations += 1
            if negations == 2:  # 不是没收到, 并非未发货, 没有未揽收: a double negation, no aspect reads it
                kinds.add("NEG_NEG")
        if kind:
            kinds.add("NEG_VERB" if verb and kind in ("NEG", "INABLE") else kind)
            if marker in NOT_YET:
                kinds.add("YET")
            if kind in ("NEG", "INABLE") and marker.startswith("暂"):
                kinds.add("FOR_NOW")  # (暂不能寄回, 暂时无法寄回: for now — Grammar.lasting)
        elif marker in TELLING and not kinds and not verb:  # nothing but who is told since the state word
            kinds.add("REQ")
            verb = True
        elif marker in REPORTING:
            verb = True
        at = m.end()
    return kinds, text[:len(text) - at]


def _strip_post(text: str) -> tuple[set[str], str]:
    """Modifier kinds found at the left end of ``text`` and the text left after them.  已 / 已经 / 都已 …
    may stand between a stem and its result (拦截已成功, 派送已经失败): skipped when a result (success or
    failure) follows; before anything else 已 starts the next step (已揽收已中转, 已揽收已滞留)."""
    kinds: set[str] = set()
    at = 0
    while True:
        m = _POST_AT.match(text, at)
        if m is not None and m.end() > at:
            kind = _POST_KIND[m.group()]
            kinds.add("PAST_POST" if kind == "PAST" else kind)
        else:
            m = _PAST_THEN_RESULT.match(text, at)
            if m is None or m.end() == at:
                break
            kinds.add("PAST_POST")
        at = m.end()
    return kinds, text[at:]


# What may follow the last state word of a clause and change nothing: the goods, who signed, a
# bracketed place, a particle (已签收快件, 已签收本人, 已到达◇, 收到了哦).
AFTER_FILLERS: tuple[str, ...] = (
    "◇", "◷", "¤", "快件", "快递", "包裹", "货物", "物品", "商品", "订单", "件", "货", "本人", "他人", "家人", "门卫", "前台",
    "物业", "邻居", "同事", "全部", "东西", "正常", "的", "了", "哦", "噢", "呢", "啊", "呀", "哈", "嘛", "滴", "亲",
    "扫描",  # (派件扫描, 到件扫描: the scan of that step)
    "您的", "你的",  # (签收人在【快递柜】领取了您的快件)
)
# Objects a state word may take (退款给买家, 已发货顺丰, 关闭售后单), for Grammar.open_after.
TO_BUYER: tuple[str, ...] = ("给", "客户", "买家", "顾客", "用户")
COURIERS: tuple[str, ...] = (*CARRIER_NAMES, "物流", "快递")
CASE_OBJECTS: tuple[str, ...] = ("售后单", "售后", "退款申请", "申请", "订单", "工单", "退款", "该", "这个", "这单")
# A part of the order named where an object may stand (发往 部分, 已发往一半).
_SOME_OF = re.compile("部分|一半")
# A time before or after the state word, at the end of what follows it (发出前, 发往杭州之前, 到达后).
_BEFORE_AFTER = re.compile("[前后]$")
_AFTER_ONLY = re.compile("(?:" + "|".join(map(re.escape, sorted(AFTER_FILLERS, key=len, reverse=True))) + ")*")


def _fillers_only(text: str, objects: tuple[str, ...] | None = ()) -> bool:
    """Whether ``text``, after a clause's last state word, is nothing but :data:`AFTER_FILLERS` and
    the stem's ``objects`` (None: any object)."""
    if not text:
        return True
    if objects is None:  # any object (发往杭州), but not a time before or after it (发出前, 到达杭州后): no state yet,
        # nor a part of the order (发往 部分: some of it, the rest the cell does not say), nor a mark in letters or
        # symbols (定制✖, 运输中NG: a "no" typed on, :func:`_foreign_mark`)
        return _BEFORE_AFTER.search(text) is None and _SOME_OF.search(text) is None and not _foreign_mark(text)
    for word in sorted(objects, key=len, reverse=True):  # 物品 before 品
        text = text.replace(word, "")
    return _AFTER_ONLY.fullmatch(text) is not None


_SETTLED = frozenset({"PAST", "PAST_POST", "DONE", "ONGOING"})  # a state done or under way
_WAITING = re.compile("(?:" + "|".join(map(re.escape, sorted((*PRE["WAIT"], *PRE["SOON"]), key=len, reverse=True))) + ")")
_SOON = frozenset(PRE["SOON"])


def _next_step(text: str) -> bool:
    """Whether ``text`` after a state word (fillers first) is what comes next (待验货, 等待揽收)."""
    lead = _AFTER_ONLY.match(text)
    tail = text[lead.end():] if lead else text
    wait = _WAITING.match(tail)
    if wait is not None and wait.group() in _SOON and not tail[wait.end():].strip():
        return False  # (揽收（马上）, 拦截（即刻）: about to — the step beside it not taken yet, no next step it waits for)
    return wait is not None and not _troubled(tail[wait.end():])


def _troubled(text: str, pattern: re.Pattern | None = None) -> bool:
    if not text:
        return False
    for place in _TROUBLE_FREE_PLACES:
        text = text.replace(place, "")
    return bool((pattern or _TROUBLE).search(text))


# The verbs that undo a step (a stem of their own where a field reads a withdrawal: 撤销, 取消).
UNDOING = frozenset({"取消", "撤销", "撤消", "撤回", "作废"})
# ... and the request named before one of them or a closing, as a noun, what has happened to it (申请已撤销,
# 退款申请已关闭; 已申请撤销, 申请撤销 ask for the withdrawal)
WITHDRAWN = UNDOING | {"关闭"}
_REQUEST_DONE = re.compile(r"申请(?:已经|已|均已|都已)$")


def _undone(text: str, objects: tuple[str, ...]) -> int:
    """The length of what a withdrawal (:data:`WITHDRAWN`) undoes at the start of ``text``, one of its
    ``objects`` (0: none): 撤销退款申请, 取消了退款 — the case withdrawn, whatever stem its name holds."""
    return next((len(o) for o in sorted(objects, key=len, reverse=True) if text.startswith(o)), 0)


_NAMES_WITH_A_STEP = (*HUBS, "揽投员")


def _stems_in(g: Grammar, clause: str) -> list[tuple[int, int, str]]:
    """(start, end, stem) of each stem in ``clause``, leftmost-longest, nouns skipped."""
    out: list[tuple[int, int, str]] = []
    pattern = g._pattern  # type: ignore[attr-defined]
    if pattern is None:
        return out
    nouns = g._nouns  # type: ignore[attr-defined]
    pos = 0
    while True:
        m = pattern.search(clause, pos)
        if m is None:
            return out
        start, end = m.span()
        # a noun after the stem (转运中心) makes it no state word, unless its kind takes a place after it
        # (到达网点: the place it reached); a stem that starts a hub's name (上海转运中心) is that place, one that
        # starts a courier's title (揽投员: 揽) that person
        objects = g.open_after.get(g.stems[m.group(0)], ())
        if nouns is not None and nouns.match(clause, end) and objects is not None \
                and not clause.startswith(tuple(objects), end) or clause.startswith(_NAMES_WITH_A_STEP, start):
            # (a noun that is an object the stem takes, 卡在网点, is its object: the stem stays a state word)
            pos = start + 1
            continue
        out.append((start, end, m.group(0)))
        _kinds, rest = _strip_post(clause[end:])
        pos = len(clause) - len(rest)  # the stem's result words are not the next stem
        if objects and m.group(0) in WITHDRAWN:
            pos += _undone(rest, objects)  # nor is what it undoes (撤销退款: the case, no refund)


# What stands between a step and the next one to say it came after (派件异常后签收, 滞留之后又派送).
_THEN = re.compile("(?:之|以|然|随)?后(?:来)?")


def _then(between: str) -> bool:
    """Whether the text between two steps says the second came after the first (fillers first: 疑难件后签收)."""
    lead = _AFTER_ONLY.match(between)
    return _THEN.fullmatch(between, lead.end() if lead else 0) is not None


def _without_subject(g: Grammar, clause: str,
                     found: list[tuple[int, int, str]]) -> tuple[list[tuple[int, int, str]], int]:
    """(``found`` without the stems of a :attr:`Grammar.subjects` noun the clause starts with, fillers before it,
    where a stem follows it: the subject the clause is about (退货未揽收, 异常件已签收), no step of its own; where the
    clause's first modifiers may start: after that noun, else 0)."""
    if len(found) < 2 or not g.subjects:
        return found, 0
    kinds, left = _strip_pre(clause[:found[0][0]])
    if kinds or left:
        return found, 0
    start = found[0][0]
    subject = next((w for w in g.subjects if clause.startswith(w, start)), None)
    if subject is None:
        return found, 0
    end = start + len(subject)
    rest = [f for f in found if f[0] >= end]
    between = clause[end:rest[0][0]] if rest else ""
    if not rest or any(f[0] < end < f[1] for f in found) or _strip_post(between)[0] or _THEN.match(between):
        return found, 0  # (问题件后签收: a step, then the next one)
    return rest, end


def read_clause(g: Grammar, clause: str) -> list[object]:
    """The readings of one clause: a word, SKIP, NONE or BAD per stem found.

    The text between two stems is split into the first one's result modifiers (from
    the left), the second one's modifiers (from the right) and what is left between
    them, which must carry no word that turns a meaning around.
    """
    return [word for _kind, word in read_steps(g, clause)]


# 该 (应该, 本该, 早该, 不该 …) says what is due: before a step, a modifier or a verb the step is to be done, not done
# (该退款了, 该签收了, 该同意补偿, 该已入库, 该给客户退款了); before a noun it points at the thing (该快件已签收, 该订单已关闭,
# 该退款已到账: a step named as a thing, another step after it).
_DUE = re.compile("该")
_POINTED_AT = re.compile("|".join(sorted((
    "快件", "包裹", "快递", "货物", "货品", "物品", "商品", "产品", "宝贝", "东西", "订单", "单", "件", "货", "包", "笔", "批",
    "款", "客户", "买家", "顾客", "用户", "收件人", "收货人", "售后单", "售后", "工单", "退货", "退件", "退回件", "退货件",
    "退款申请", "申请", "运单", "邮件", "邮包", "网点", "处"), key=len, reverse=True)))
_DUE_VERBS = re.compile("给|去|把|被|要|再|可以|能|有|尽快|赶紧|赶快|了")


def _due(g: Grammar, clause: str, found: list[tuple[int, int, str]]) -> bool:
    """Whether a 该 in ``clause`` (``found``: its stems) says a step is due (:data:`_DUE`), no demonstrative."""
    for m in _DUE.finditer(clause):
        at = m.end()
        step = next((i for i, (start, _end, _stem) in enumerate(found) if start == at), None)
        if step is not None:
            # the last step (该退款了, 该合格, 该退货了), or one with the next right after it (该验货通过): due; a step named
            # as a thing, its own step after it (该退款已到账, 该退件已签收): this refund, this parcel
            return step == len(found) - 1 or found[step][1] == found[step + 1][0]
        if _POINTED_AT.match(clause, at):
            continue  # 该快件已签收: this parcel
        if _DUE_VERBS.match(clause, at) or _PRE_AT.match(clause, at):
            return True  # 该给客户退款了, 该已入库, 该同意补偿
    return False


def read_steps(g: Grammar, clause: str) -> list[tuple[str | None, object]]:
    """:func:`read_clause`'s readings with the stem kind each was read from (None: the clause unreadable)."""
    found = _stems_in(g, clause)
    if not found:
        return []
    if "该" in clause and _due(g, clause, found):
        return [(None, BAD)]  # 该退款了: due, not done
    found, start = _without_subject(g, clause, found)
    n = len(found)
    superseded: set[int] = set()  # stems a later step follows (后): they read nothing
    pre: list[set[str]] = []
    post: list[set[str]] = []
    kinds, left = _strip_pre(clause[start: found[0][0]])
    pre.append(kinds)
    # a word before the first state word that is neither a modifier nor a filler is a
    # modifier nobody wrote down (半发货, 险些签收): the clause is unreadable
    troubled = bool(left) if g.strict else _troubled(left, g.trouble)
    for i in range(n):
        nxt = found[i + 1][0] if i + 1 < n else len(clause)
        objects = g.open_after.get(g.stems[found[i][2]], ())
        if nxt == found[i][1] and i + 1 < n and objects and not any(clause.startswith(o, nxt) for o in objects) \
                and (found[i][2] not in _SUBJECTS or clause.startswith(_PLACE_NOUNS, nxt)) \
                and not found[i + 1][2].startswith(_OWN_PREDICATE):
            # a state word right after one that takes only these objects is its object (退回驿站: back to
            # the parcel point, not to the shop): not one of them, the clause is unreadable (a word that is
            # a subject too names what the next word is about, 退货在途, unless a place follows, 退件驿站; a
            # word that brings its own "only" or "not", 已寄出未同步, is a predicate of its own)
            troubled = True
        behind = clause[found[i][1]:nxt]
        if objects and behind.startswith(tuple(o for o in objects if len(o) > 1)):
            kinds, rest = set(), behind  # its object, a place (卡在中转站: no 中 of "under way" in 中转站)
        elif objects and found[i][2] in WITHDRAWN and behind.startswith("了") and _undone(behind[1:], objects):
            kinds, rest = {"PAST_POST"}, behind[1:]  # what was undone (取消了申请: no 申请 of a request)
        else:
            kinds, rest = _strip_post(behind)
        if objects and i + 1 == n and found[i][2] in WITHDRAWN:
            rest = rest[_undone(rest, objects):]  # what it undoes turns nothing around (撤销退款: the 退 of its name)
        post.append(kinds)
        if i + 1 < n:
            kinds, rest = _strip_pre(rest)
            if found[i + 1][2] in UNDOING and not rest:
                # a step undone right after it is named (关闭已取消, 撤销已撤回, 完结已取消): the step no longer holds,
                # and what holds instead the clause does not say
                troubled = True
            elif nxt == found[i][1] and len(found[i][2]) == 1 and g.stems[found[i][2]] != g.stems[found[i + 1][2]] \
                    and _cjk(found[i + 1][2][0]) and not found[i + 1][2].startswith(_OWN_PREDICATE):
                # a stem of one character right before a step of another kind (退货物流状态 收 then 寄: 收寄; 收发货) is the
                # first character of a word the table does not hold, no step of its own: the clause is unreadable (a
                # mark after it, 验NG, is its result; a word with its own "not", 已发未同步, a predicate of its own)
                troubled = True
            elif nxt == found[i][1] and g.stems[found[i][2]] == g.stems[found[i + 1][2]]:
                # two words of one kind with nothing between them are one compound: what stands before
                # the first stands before both (没有少发漏发, 未腐烂变质 negate both; 不退货只退款 is two)
                kinds = kinds | pre[i]
            elif nxt == found[i][1] and pre[i] & _NEGATIONS and not found[i + 1][2].startswith(_OWN_PREDICATE):
                # a negation before two words of two kinds with nothing between (不是拦截退回, 未签收退回):
                # whether it negates one or both, the words do not say: the clause is unreadable (不退货只退款:
                # the second word brings its own "only", a predicate of its own)
                troubled = True
            elif _then(rest):
                # a step and the one after it (派件异常后签收, 拒收后又签收): the later one may be where it is now
                superseded.add(i)
            elif g.strict and rest and not _fillers_only(rest, objects) \
                    and not (objects is None and _BEFORE_AFTER.search(rest)):
                # a word between two steps that is neither a modifier, a filler nor the first step's object (同意补偿收回,
                # 取消仅退款完成) is a modifier nobody wrote down, as before the first or after the last: the clause is
                # unreadable.  (After an object, 后 says the next step came after it: 到达派件城市后签收)
                troubled = True
            pre.append(kinds)
        elif g.strict and not (_fillers_only(rest, g.open_after.get(g.stems[found[i][2]], ()))
                               or (pre[i] | kinds) & _SETTLED and _next_step(rest)):
            # a word after the last state word that is neither a result nor a filler (签收前, 发货前,
            # 拦截后再说) is a modifier nobody wrote down: the clause is unreadable; after a state
            # that is done or under way, what it waits for next may follow (已入库待验货, 拦截中等结果)
            troubled = True
        # a result word the grammar did not read next to the stem (拦截已于今天成功) is a modifier
        # nobody placed: the clause is unreadable, never the bare stem
        troubled = troubled or _troubled(rest, g.trouble) or (g.strict and _LATE_RESULT.search(rest) is not None)
        if (pre[i] & _NEGATIONS or found[i][2].startswith(_OWN_NOT)) and _ALL_OF.search(clause, found[i][1], nxt):
            # not all of it (没收到全部, 未签收所有; a stem negated of its own, 没动态全部): some may have come, the clause
            # does not say
            troubled = True
    if troubled:
        return [(None, BAD)]
    for i, (at, _end, stem) in enumerate(found):
        if stem in WITHDRAWN and "REQ" in pre[i] and _REQUEST_DONE.search(clause, 0, at):
            pre[i] = pre[i] - {"REQ"}  # the request withdrawn or closed (申请已撤销, 售后申请已取消): no request of it
    others = _other_party(g, clause, found) if g.parties else ()
    readings: list[tuple[str | None, object]] = []
    for n, ((_start, _end, stem), before, after) in enumerate(zip(found, pre, post)):
        kind = g.stems[stem]
        asp = aspect(before | after)
        if asp == "past_post":  # 了 after an act is that act done (补偿了: 已补偿); after a state, that state now (异常了)
            asp = "past" if (kind, "past") in g.matrix else "plain"
        word = g.matrix.get((kind, asp)) if asp is not None else None
        if asp is None and "TODAY" in before and aspect(before - {"TODAY"} | after) == "plain":
            # 今天派送: a word that is under way anyway (派送中) says the same today
            ongoing = g.matrix.get((kind, "ongoing"))
            word = ongoing if ongoing is not None and ongoing == g.matrix.get((kind, "plain")) else None
        if g.lasting and "FOR_NOW" in before:
            word = None  # 禁运「暂时无法寄回」: for now, no lasting property (Grammar.lasting)
        if n in others:  # the other party did it: what that means here, if the table says (商家已签收: 退回)
            word = g.party_reads.get(kind) if word is not None else None
        readings.append((kind, BAD if word is None else word))
    for i in range(len(readings) - 1):
        if i not in superseded and not pre[i + 1] & {"PAST"} \
                and frozenset({readings[i][1], readings[i + 1][1]}) in g.clause_apart:
            return [(None, BAD)]  # (Grammar.clause_apart: 退回寄件人异常, one step in trouble)
    for i in sorted(superseded, reverse=True):
        # the later step is where the parcel is, after a trouble (派件异常后签收) or along the way (揽收后运输中); a
        # trouble after the end (签收后异常) is no later step of the way: both stay, for combine to judge
        earlier, later = readings[i][1], readings[i + 1][1]
        if earlier is not BAD and earlier not in g.standing and (earlier in g.explained or later not in g.explained):
            del readings[i]
    return readings


def _other_party(g: Grammar, clause: str, found: list[tuple[int, int, str]]) -> set[int]:
    """The stems of the clause with a word naming the other party before them in the clause (that
    word may hold a stem of its own: 寄件人 holds 寄; a word that is itself a step read before, or part
    of one, 已退件已代签, 快递柜取件, is that step, not a party)."""
    return _party_before(g, clause, found, g._parties)  # type: ignore[attr-defined]


def _party_before(g: Grammar, clause: str, found: list[tuple[int, int, str]],
                  parties: Mapping[str, re.Pattern]) -> set[int]:
    """The stems of the clause with a word of ``parties`` (stem kind → the words naming a party) before them in the
    clause, as :func:`_other_party` finds them."""
    steps = [(start, stop) for start, stop, _stem in found]

    def in_a_step(m: re.Match) -> bool:  # 快递柜 holds 快递: the parcel point, no courier
        return any(a <= m.start() and m.end() <= b for a, b in steps)

    out: set[int] = set()
    for n, (start, _stop, stem) in enumerate(found):
        party = parties.get(g.stems[stem])
        # (a party named wholly before an earlier step is that step's subject, 商家已发货妥投; one that holds the step
        # before, 寄件人签收, names who took this one; a step that only reports the next is no step here)
        before = n - 1
        while before >= 0 and g.stems[found[before][2]] in g.reports:
            before -= 1
        since = found[before][1] if before >= 0 else 0
        if party is not None and any(m.end() > since and not in_a_step(m) for m in party.finditer(clause, 0, start)):
            out.add(n)
    return out


# A date or a time of day inside a courier trace (2025-06-09 08:00:12【杭州】快件已揽收): ◷, a filler.
# (10:00, 10:00:12; 10点, 10点半, 下午3点20分, 晚上8时)
_TIME_OF_DAY = r"(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?" \
               r"|(?:上午|下午|中午|晚上|早上|凌晨|傍晚)?\d{1,2}[点时](?:半|\d{1,2}分?)?)"
# (a date without its year only where 月 and 日/号 say so, 6月8日已发货, or a time of day follows, 06-08 10:00 派送中;
# 6/9 and 6.8 alone may be counts or amounts)
_DAY = r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}[日号]?|\d{1,2}月\d{1,2}[日号]"
# ... its time of day in ISO 8601 (2025-06-09T12:10:00+08:00, …Z: a trace handed over by an API), the offset only there
# (10:00-12:00 after a space is a span of hours)
_ISO_TIME = r"[tT]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[zZ]|[+\-]\d{2}:?\d{2})?"
_DAY_TIME = rf"(?:{_ISO_TIME}|\s*{_TIME_OF_DAY})"
_STAMPS = re.compile(rf"(?:{_DAY})(?:{_DAY_TIME})?|\d{{1,2}}[-/.]\d{{1,2}}\s*{_TIME_OF_DAY}|{_TIME_OF_DAY}")
STAMPS = _STAMPS  # (import's masking keeps what it finds: a date or a time is no personal data)
# A date with its time of day, as a courier trace is written (2025-06-07 10:00:12【杭州】已揽收, 06-07 10:00 派送中)
TIMED_STAMP = re.compile(rf"(?<!\d)(?:(?:{_DAY}){_DAY_TIME}|\d{{1,2}}[-/.]\d{{1,2}}\s*{_TIME_OF_DAY})(?!\d)")
# ... with its year: a trace's line a time orders (2025-06-09 18:00:00 派件异常 / 2025-06-10 09:00:00 已签收)
_YEAR_STAMP = re.compile(rf"(?<!\d)\d{{4}}[-/.年]\d{{1,2}}[-/.月]\d{{1,2}}[日号]?{_DAY_TIME}(?!\d)")
# How long, right before a negation or a halt (3天未更新, 物流三天没动, 好几天没收到, 长时间未更新, 超48h未更新, 3天停滞;
# the trace or the parcel may be named between, 三天物流没更新, and the halt said to last, 48小时暂无更新):
# when, not what — ◷, as a date is.  (超48h alone, over 48 hours since what, is no reading: :data:`_OVER`)
_WHAT_HALTS = "|".join(sorted((*_TRACE_NOUNS, "快递", "快件", "包裹"), key=len, reverse=True))
# (a wait named, 等了一周还没收到, and how long said to have passed, 半个月了都没收到, 一周了还没寄: the same)
_HOW_LONG = re.compile(r"(?:(?:等了|等待了|过了|已经过了)?(?:已经|已)?(?:超过了?|超出|超了|超|逾)?"
                       r"(?:(?:[0-9]+|[一二两三四五六七八九十几多好半]{1,3})个?(?:天|日|小时|钟头|周|星期|礼拜|月|h)(?:多|以上)?"
                       rf"|长时间|很长时间|很久|好久)(?:了|啦)?)(?=(?:{_WHAT_HALTS})?"
                       rf"(?:都|也|暂时|暂|{'|'.join(STILL)})?(?:未|没|不|无|停|卡|断))")
# How long ago, before a step (3天前已签收, 两天前已发货, 一周前收到了): when, as a date is — ◷.  (发货前, 签收前: before a
# step, no time — no count before 前, and read as it was.)
_SPAN = r"(?:[0-9]{1,3}|[一二两三四五六七八九十几半]{1,3})个?(?:天|小时|钟头|周|星期|礼拜|月)多?"
_AGO = re.compile(rf"{_SPAN}(?:前|之前|以前)")
# ... and how long since it, after the step at the clause's end (收到3天了, 签收两天了, 已签收3天): when — ◷.  (Over a limit,
# 已超过3天, keeps its 超: no reading, :data:`_OVER`.)
_SINCE = re.compile(rf"(?<=[^\d\s◷]){_SPAN}(?:了|啦)?(?=$|[，,;；。!！\s)）])")
# A part of a named day (今天上午, 昨天下午, 今日早上): the day — 今天 still says "today" (today's 发: done, or to be?),
# 昨天 when.  (上午 alone, with no day, says nothing: left as written.)
_PART_OF_DAY = re.compile("(今天|今日|昨天|昨日|前天)(?:上午|下午|中午|晚上|早上|早晨|凌晨|傍晚|夜里)")
# The n-th attempt at a delivery (第三次派送, 第2次派件): a delivery again, as 二次派送 / 再次派送 is.
_NTH_TRY = re.compile(r"第(?:[0-9]{1,2}|[一二三四五六七八九十两]{1,3})次(?=派送|派件|投递|配送)")
# What a clause says is expected (预计今天送达, 运输中预计明天到) states no fact: it is not read.
EXPECTED = re.compile("预计|预期|预估")
# What a line written with a time says of the desk rather than of the parcel: a nudge, a query, a call, a promise, what
# someone said or replied, an expectation, a trace that has not moved (2025-06-10 09:00 已催件，快递称仍在排查; 最后查询
# 2025-06-10 09:00，暂无新轨迹; 客服致电快递; 快递承诺…前派送).  Its time is when the desk wrote it, never a movement of
# the parcel (engine._trace_event).
DESK_NOTE_WORDS = ("催", "查询", "查件", "查了", "致电", "去电", "来电", "回电", "电话联系", "打电话", "已联系", "联系了", "联系过",
                   "客服", "承诺", "答应", "保证", "预计", "预期", "预估", "回复", "答复", "表示", "称", "说", "核实", "排查",
                   "跟进", "备注", "记录", "反馈", "暂无", "无新", "未更新", "没更新", "没有更新", "无更新", "没动", "没有动", "不动")
DESK_NOTE = re.compile("|".join(DESK_NOTE_WORDS))
# ... a time a step is due by or after, or a span of hours, right after the time (18:00前派送, 20:00之前更新, 18点后派送,
# 10:00-12:00派送): when it is to happen, no movement
DUE_BY = re.compile(r"\s*(?:之前|以前|前|之后|以后|后|左右|以内|内|[-~～至到]\s*\d)")


# An amount inside a phrase (接受5元补偿, 同意补偿¥10): ¤, a filler.
_AMOUNTS = re.compile(r"[¥￥]\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?\s*(?:元|块钱|块)")


def amounts_in(text: str) -> list[float]:
    """The amounts of money written in ``text`` (成本0元: [0.0], ¥12.5: [12.5])."""
    return [float(re.sub(r"[^\d.]", "", m)) for m in _AMOUNTS.findall(text)]


# How much of it (部分签收, 已退款（部分）, 合格，少一件): not the whole order's state.
PARTIAL = re.compile("部分|一半|少|缺|漏|其中|"
                     # only some of it, or money other than the price (已退款，只退运费; 已退款（差价）): not the whole order's
                     "只退(?!款)|仅退(?!款)|只有|仅有|只签|仅签|运费|差价|价保|补差|返现|红包|优惠券")
# All of it, after a negated state word (没收到全部): not all — a part, maybe.
_ALL_OF = re.compile("全部|所有|全|齐|完(?![成毕好])")
# A count in a clause of its own (已签收（2/3）, 拦截成功，1件): how many of the parcels, not all of them.
# (Numbers of 4 digits or more are ids and phone numbers; dates, times and amounts are ◷ and ¤ by then.)
_COUNT = re.compile(r"\d{1,3}(?:件|个|单|包|箱|票)?").fullmatch


# What a clause of its own turns around in the clause beside it (拦截，不成功; 已发货（取消）; 已关闭，重开 / 又申请了;
# 合格，但有划痕; 合格（待复检）): a failure, an undoing, a mistake, a stop, a "but", a wait anywhere in it …
_TURNS = re.compile(_OVER + "|失败|败|错|误|假|无效|取消|撤|空包|破损|损坏|调包|掉包|重开|重新|又|再次|再度|恢复|开启|重启|打开|暂停|停滞|延误|异常|但|却|可是|待|"
                    "暂时|暂且|暂定|临时|初步|"  # (合格（暂时）: for now, it may change)
                    # what was written annulled, set aside or gone back on (拦截成功，作废; 已退款，不算; 同意补偿，反悔了)
                    "作废|失效|终止|搁置|挂起|作罢|黄了|不算|不作数|反悔|改口|变卦|改了|变了|驳回|"
                    # taken by someone else (已签收，被冒领; 别人拿走了), a complaint, money done twice or more, or asked for
                    # on top (已退款，重复; 同意补偿，要求加钱)
                    "冒领|冒签|被偷|偷了|拿走|拿错|被人拿|被拿|投诉|重复|多退|退多|加钱|嫌少|在闹|"
                    # nothing inside (已签收，空盒): no plain delivery (空运, air freight, is no such word)
                    "空盒|空箱|空的|空壳|空件|"
                    # lost, or someone else's goods (退货在途，快递丢了; 已签收，是别人的货)
                    "丢|遗失|别人的|他人的")
# … and a negation that negates nothing else in it: alone or before a result (不成功, 未能成功, 没有了); a
# negation of another verb says something else (平台未同步, 收件人电话无人接听)
_NEGATED = re.compile("(?:未|没有|没|不是|不|无|否|并非|非|沒有|沒|無|並非)(?:能)?(?:成功|完成|通过|生效|果|成)?(?:了|的|啊|呢)?$")
# What says nothing against the state beside it though it holds such a word: a courier's courtesy
# line (不便之处敬请谅解), nothing wrong (无异常, 无误).
_TURNS_NOT = re.compile("不便之处|无异常|无误|期待(?:再次|下次)?"  # (期待再次为您服务: a courtesy, no wait nor again)
                        # nothing wrong, no hurry, nothing noted, a step not needed (已签收，没问题; 已退款（无需退货）)
                        "|没有?问题|无问题|没事|不着?急|无备注|(?:无需|无须|不用|不需要)(?:退货|寄回|退回|回访|跟进|拦截)")


# A negation anywhere in a clause of its own: it denies something beside the state (已签收，客户不认; 已退款，钱没到;
# 同意补偿，没付; 已发货，快递没来取) — what, the cell does not say in words the field reads.  (非 is not one: 非本人
# says who signed.)  Written in traditional characters too (已签收（沒有）, 合格，無: no table spells them, never dropped).
_DENIES = re.compile("未|没|不|无|否|沒|無")


# No reply yet (快递未回复, 客户没有反馈): what a step under way still waits for.
_NO_REPLY = re.compile("(?:未|没有|没)(?:回复|答复|回音|回应|反馈|回话|回消息|回信)")


def _not_yet(clause: str) -> bool:
    """Whether a clause says only that something is not done yet (快递还没回复, 尚未反馈): beside a state under way, what
    it still waits for, as 待快递回复 is (:func:`_next_step`)."""
    marker = next((m for m in sorted(NOT_YET, key=len, reverse=True) if m in clause), None)
    if marker is not None:
        if clause.endswith(marker):  # (还没 alone: not yet what? a negation alone)
            return False
    else:  # (快递未回复, 网点没答复: no reply yet — a reply is still awaited)
        no_reply = _NO_REPLY.search(clause)
        if no_reply is None:
            return False
        marker = no_reply.group()
    rest = clause.replace(marker, "", 1)
    return not (_troubled(rest, _TURNS) or _troubled(rest, _DENIES) or PARTIAL.search(rest))


def _turns_around(clause: str, negation_says_why: bool = False) -> bool:
    """Whether a clause with no state word holds a word that turns the state beside it around
    (:data:`_TURNS`, a negation: :data:`_DENIES`, unless ``negation_says_why``, then only :data:`_NEGATED`), a
    result, a part of the order (:data:`PARTIAL`), or is a modifier standing alone (:func:`_bare_modifier`)."""
    clause = _TURNS_NOT.sub("", clause)
    return _troubled(clause, _TURNS) or not negation_says_why and _troubled(clause, _DENIES) or \
        _NEGATED.search(clause) is not None or \
        _LATE_RESULT.search(clause) is not None or PARTIAL.search(clause) is not None or _COUNT(clause) is not None \
        or _bare_modifier(clause)


# Modifiers that, standing alone beside a step, say what the step already says (拦截成功（已完成）, 已签收√).
_SAYS_THE_SAME = frozenset({"PAST", "DONE", "TICK"})
# Every modifier before or after a step (no filler), by kind, and all of them longest first.
_MODIFIER_KIND = {**_POST_KIND, **{text: kind for text, kind in _PRE_MARKERS if kind}}
_MODIFIERS = re.compile("|".join(map(re.escape, sorted(_MODIFIER_KIND, key=len, reverse=True))))


# A cell of modifiers alone (已申请, 未成功, 申请中 — spaces aside): the act its column records left unwritten.  One that
# only says when or that something is so, a tick, an OK, 了, 今天, 在, 好了, 途中, is none: done, asked for, or to be done?
class _Runs:
    """Whether a text is a run of some words (and spaces) alone, cut any way: a check in one pass over the text
    (a regex ``(?:a|b|…|\\s)+`` tries every cut of a repeated text, 正在安排正在安排…, in time exponential in its length)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)

    def fullmatch(self, text: str) -> bool:
        n = len(text)
        reached = [False] * (n + 1)
        reached[0] = True
        for i in range(n):
            if not reached[i]:
                continue
            if text[i].isspace():
                reached[i + 1] = True
                continue
            for size in self.lengths:
                if i + size <= n and text[i:i + size] in self.words:
                    reached[i + size] = True
        return n > 0 and reached[n]


_IMPLIED_ONLY = _Runs(_MODIFIER_KIND)
_NOTHING_OF_AN_ACT = _Runs({*TICKS, "ok", *POST["PAST"], *PRE["TODAY"], *PRE["ONGOING"], "好了", "途中"})


def _negation_out_of_place(text: str) -> bool:
    """Whether a cell of modifiers alone holds a negation after another modifier, or one before a 已 (已发起否, 成功未申请,
    否已发起): two things said."""
    kinds = [_MODIFIER_KIND[m] for m in _MODIFIERS.findall(text)]
    return any(k in ("NEG", "INABLE") for k in kinds[1:]) or bool(kinds) and kinds[0] in ("NEG", "INABLE") and "PAST" in kinds


def _the_act_implied(g: Grammar, text: str, exact: Mapping[str, str] | None) -> object:
    """A cell of modifiers alone read as :attr:`Grammar.implied` with them, written before the act and after it: the one
    word both placements read (a placement the grammar cannot read says nothing), else BAD.  A negation may only come
    first, and with no 已 after it (未申请, 还没申请, 没成功)."""
    assert g.implied is not None
    text = "".join(text.split())
    if _negation_out_of_place(text):
        return BAD  # (已发起 否, 成功未申请, 否 已发起: which holds?)
    got = {word for word in (read(g, text + g.implied, exact), read(g, g.implied + text, exact))
           if word is not None and word is not BAD and word is not NONE}
    return got.pop() if len(got) == 1 else BAD


_FILLER_RUN = re.compile("(?:" + "|".join(map(re.escape, sorted(FILLERS, key=len, reverse=True))) + ")*")


def _next_steps_only(g: Grammar, clauses: list[str], words: list[str]) -> bool:
    """Whether every clause in ``clauses`` only waits for a step that comes after each of ``words``
    (:attr:`Grammar.next_steps`: 已签收，待验货; 合格，等待商家退款), its doer maybe named between (待仓库验货)."""
    steps = [g.next_steps.get(w) for w in words]
    if not words or not clauses or not all(steps):
        return False
    after = set.intersection(*(set(s or ()) for s in steps))
    for clause in clauses:
        lead = _AFTER_ONLY.match(clause)
        wait = _WAITING.match(clause, lead.end() if lead else 0)
        if wait is None:
            return False
        at = _FILLER_RUN.match(clause, wait.end()).end()  # type: ignore[union-attr]  # (a run of none matches)
        step = max((s for s in after if clause.startswith(s, at)), key=len, default=None)
        if step is None or not _fillers_only(clause[at + len(step):]) or _troubled(clause[at + len(step):]):
            return False
    return True


def _bare_modifier(clause: str) -> bool:
    """Whether a clause is nothing but modifiers, one of them a kind that changes what a step means (已签收（疑似）,
    拦截成功（申请）, 已发货（线下）, 已收到，拒绝): which step it modifies is not written — the cell is unreadable, never
    the step beside it as if the modifier were not there.  (A modifier with a word after it, 非本人, modifies that.)"""
    if _MODIFIERS.sub("", clause):
        return False
    return any(_MODIFIER_KIND[m] not in _SAYS_THE_SAME for m in _MODIFIERS.findall(clause))


# A parcel point's pickup code in a trace (取件码：3-2-1234, 凭取件码12345678, 请凭取件码取件): ◇, a filler (its digits
# are no count of parcels).  A code word with no code and no 凭 is what someone got or did not (没收到取件码: a message,
# no parcel): left as written.
_CODE_WORD = "(?:取件码|取货码|提货码|验证码)"
# A code of digits and dashes typed with spaces around it (请凭取件码 3-2-1234 及时取件, 取件码：3-2-1234 及时取件) is
# filler of the phrase: the spaces after it go with it, no mark between clauses.
_PICKUP_CODE = re.compile(rf"{_CODE_WORD}[:：]?(?:\s*\d+(?:-\d+)*[ \t\u3000]+(?=[\u3400-\u9fff])|\s*[0-9a-z]+(?:-[0-9a-z]+)*)"
                          rf"|(?<=凭){_CODE_WORD}")
# Digits, maybe grouped by spaces, dashes or line breaks, one to three of them mixed (130 0000 0000, 010-1234-5678,
# +86 - 138 - …, 138⏎1001⏎0012), or by dots before a group of 3 digits or more (138.1001.0015 — not a decimal's
# .00, not a date's .6.8): a run of 7 digits or more is a number (an id, a phone), never a count nor a clause mark —
# written as `import` masks it (＊, NFKC *: a value that is no modifier of its own, unknown beside a state word), so a
# cell reads the same masked or not.  (Dates and times are taken out before: 2025-06-08 10:00 is no run.)
DIGIT_SEP = r"(?:[ \t\r\n\-\u2010-\u2015]{0,3}|[ \t]?\.[ \t]?(?=\d{3}))"
DIGIT_RUN = re.compile(rf"\+?\d(?:{DIGIT_SEP}\d)*")
LONG_RUN = 7


def _long_run(m: re.Match) -> str:
    # (the spaces and line breaks in it stay, as `import` keeps them: 130 0000 0000 is * * *)
    return _NOT_SPACE.sub("*", m.group()) if sum(ch.isdigit() for ch in m.group()) >= LONG_RUN else m.group()


_NOT_SPACE = re.compile(r"\S+")
# A long digit run as :func:`_long_run` writes it (130 0000 0000: * * *), and as `import` masks it.
_MASKED_RUN = r"\*(?: \*)*"
# A cell that is a parcel's number and nothing else: a carrier or a number's name before it (中通 75234220267368,
# 单号：SF1234567890, 退货单号 YT1234567890123), or a carrier's letters on it (YT1234567890123) — a long digit run
# alone may be a phone, and `import` masks it (*): it names no parcel.  Read after the runs are masked, so a cell
# reads the same masked or not.
_WAYBILL_ALONE = re.compile(
    rf"(?:(?P<carrier>{'|'.join(CARRIER_NAMES)})(?:快递|速递|速运|快运|物流)?\s*)?"
    r"(?:(?P<word>(?:退货|退回|寄回|退件)?(?:运单号|快递单号|物流单号|单号|运单))\s*[:：]?\s*)?"
    rf"(?P<letters>[a-z]{{0,4}}) ?{_MASKED_RUN}[a-z]{{0,2}}\s*[:：]?", re.I)


def waybill_alone(text: str) -> bool:
    """Whether ``text`` (NFKC) is a parcel's number and nothing else (:data:`_WAYBILL_ALONE`)."""
    m = _WAYBILL_ALONE.fullmatch(DIGIT_RUN.sub(_long_run, text.strip()))
    return m is not None and bool(m["carrier"] or m["word"] or len(m["letters"]) >= 2)


# What a courier's trace says to the buyer rather than of the parcel: collect it (请及时取件, 请凭◇取件,
# 请尽快领取), ask us (如有疑问请联系站点).  Such a clause states nothing: it is not read.
# Who a trace asks to be contacted, or asks to contact someone (请联系寄件人, 有问题请联系派件员, 请寄件人联系收件人): the
# courier's people, the parties, the courier's service.
_CONTACTED = (*COURIER_PEOPLE, "寄件人", "收件人", "发件人",
              "收货人", "寄方", "收方", "客服", "快递公司", "网点", "站点", "营业部", "客户", "商家", "卖家", "我们", "我司")
_CONTACTED_RE = "|".join(_CONTACTED)
COURTESY = re.compile(r"(?:请|烦请)您?(?:及时|尽快|准备|注意|凭◇|到◇|到驿站|前往◇|前往驿站)*(?:取件|领取|取货|取走|提货|签收|查收)|"
                      r"如有(?:疑问|问题|需要).*|"
                      # (请耐心等待, 请保持电话畅通, 请留意查收, 请放心接听: what the buyer should do meanwhile)
                      r"(?:请|烦请|并)?您?(?:耐心等待|耐心等候)|"
                      r"(?:请|烦请)您?(?:保持电话畅通|保持手机畅通|留意.*|注意查收|放心接听)|"
                      # (请联系寄件人, 有问题请联系派件员, 请寄件人联系收件人, 请联系客服理赔, 请联系收件人补充资料: whom to call
                      # about it, and what for — no step of the parcel's)
                      rf"(?:(?:如|若)?有(?:疑问|问题|任何问题|需要))?(?:请|烦请)(?:您|{_CONTACTED_RE})?(?:及时|尽快|直接)?"
                      rf"(?:联系|联络|致电|电联|拨打|咨询)(?:{_CONTACTED_RE})*"
                      r"(?:理赔|处理|补充资料|补充材料|提供资料|确认|核实|协商|解决)?")
# What a trace says of its calls, its notices and its people's numbers rather than of the parcel (顺丰已开启“安全呼叫”保护您
# 的电话隐私, 95720为中通快递员外呼专属号码, 恢复时间另行通知): a clause holding no step of the field states nothing.
NOTICES = re.compile(r".*(?:安全呼叫|电话隐私|隐私号|隐私保护|外呼专属|专属号码|虚拟号码|另行通知).*")
# A number to call, its label first (投诉电话：95338, 客服热线 400-111-1111, 联系电话：138****5678, 电话 13800001111): a
# contact, no count and no complaint made — taken out before the clauses are split.
_CONTACT_NUMBER = re.compile(r"(?:投诉|客服|服务|咨询|查询|联系|派件员|派送员|快递员|业务员|揽投员|网点)?(?:电话|热线|手机|电联)"
                             r"\s*(?:是|为)?\s*[:：]?\s*(?:\+?\d[\d*\-\s]*[\d*]|\*(?:[\s\-]*\*)*)")
# ... and thanks, a welcome back, a wish, a call to rate the delivery (JD: 感谢您在京东购物，欢迎再次光临; 感谢您的耐心等待;
# 参加评价还能赢取京豆), when the clause holds no state word (感谢客户同意补偿 says an answer)
THANKS = re.compile(r"(?:感谢|谢谢|多谢).*|欢迎(?:您)?(?:再次|下次)?光临.*|期待(?:再次|下次|与您)?(?:为您服务|再会|相见).*|"
                    r"祝您.*|(?:参加|参与|欢迎)?(?:评价|晒单).*")


def _states_nothing(g: Grammar, clause: str) -> bool:
    """Whether a clause is said to the buyer, or of the trace's calls and notices, and not of the parcel (:data:`COURTESY`,
    :data:`THANKS`, :data:`NOTICES`: 请及时取件, 请联系寄件人, 感谢使用顺丰, 请放心接听)."""
    return COURTESY.fullmatch(clause) is not None or \
        (THANKS.fullmatch(clause) is not None or NOTICES.fullmatch(clause) is not None) and not _stems_in(g, clause)


_AT_PLACE = re.compile("(?<![正卡])[在于](?:" + "|".join(CARRIER_NAMES) + ")?(?=◇)")  # (在京东【…分拣中心】)
# ... and 在 before a parcel point (在驿站, 已在快递柜): where the parcel is, no 在 of "under way" (卡在驿站: held up there)
_AT_POINT = re.compile("(?:^|(?<=[已还仍都也现存放说称\\s，,;；。、])|(?<=包裹|快件|快递|货物|一直|目前)|(?<=签收人|收件人))在(?=" + "|".join(PARCEL_POINTS) + ")")
# Why, before what happened, with nothing between (快件因天气原因延误, 受台风影响延误): a clause of its own, as it is
# after a comma (因天气原因，快件延误).
_BECAUSE_WORDS = "因为|由于|因"
# What holds parcels up, as traces name it before what happened with no 原因 after it (因疫情暂停派送, 因暴雨延误), or
# with 原因 and no 因 before it (天气原因延误, 疫情原因暂停派送)
CAUSES: tuple[str, ...] = ("疫情", "天气", "台风", "暴雨", "大雨", "暴雪", "大雪", "大雾", "洪水", "地震", "冰雹", "寒潮",
                           "交通管制", "道路管制", "管控", "封控", "封路", "节假日", "春节", "假期", "停电", "系统故障")
_CAUSE = "|".join(CAUSES)
_BECAUSE_OF = re.compile(rf"(?:(?:{_BECAUSE_WORDS}|受)(?:[^，,。;；:：\s]{{1,10}}?(?:原因|影响|因素)|(?:{_CAUSE}))"
                         rf"|(?:{_CAUSE})(?:原因|影响))(?=[^，,。;；:：\s])")


# A space after a preposition a trace writes before a place (发往 上海, 已被 XX驿站 代收): the place is its object, the
# space no mark between clauses.  (到 ends a verb as often: 已取到 要求退款 is two clauses.)
_AFTER_PREPOSITION = re.compile(r"(?<=[往至在由被于从经凭])[ \t\u3000]+(?=\S)")  # (请凭 取件码: 凭 what)


# A step labelled with its reason (退回原因：客户拒收, 派送失败原因：电话无人接听): the step, and why in a clause of its own.
_REASON_LABEL = re.compile(r"原因\s*[:：]\s*")
# The mark of a clause that a reason label introduced (原因：航班取消 → ※航班取消): why the step beside it came.
WHY = "※"
# (what a reason says was cancelled, 航班取消, 寄件人取消寄件: why the step failed, no step of the cell's undone)
_CANCELLED = re.compile("取消|撤销|撤回")
# A modifier before a step typed apart from it by a space (没 问题, 未 签收, 已 签收): one phrase, no two clauses.  (A
# result after a space with more after it, 派送 失败 已签收, stays a clause of its own: turned around, the cell is
# unreadable — one that ends the cell, 揽收 不成功, is the step's result, :func:`_spaces_in_words_closed`; so does a
# word that answers no on its own, 否 下拦截: no, and a step — the cell contradicts itself.)
_NO_ANSWERS = frozenset({"否", "无", "没有", "不是", "非"})
# (成功 / 完成 before a step is its result, 成功拦截; typed apart it is a result of its own, 成功 不拦截: no join)
_SPACED_MODIFIER = re.compile("(?:^|(?<=[，,;；。、\\s]))((?:" + "|".join(
    re.escape(t) for t, kind in _PRE_MARKERS if kind and kind not in ("DONE", "TICK") and t not in _NO_ANSWERS) +
    "))[ \t\u3000]+(?=\\S)")  # (a tick typed apart, √ 拦截: a clause of its own, :func:`_tick_changes_the_step`)


def split_clauses(text: str) -> list[str]:
    """A folded cell → its clauses (bracketed places and pickup codes become ◇, a bracketed parcel point
    驿站, dates and times of day ◷, amounts ¤)."""
    text = _ARROW.sub("，", _ANGLED.sub(r"【\1】", text))
    text = _ORDINAL_TRY.sub("◷", _CONTACT_NUMBER.sub("，", text))  # (投诉电话：95338: a contact; 第1次派件: which try)
    text = _AFTER_PREPOSITION.sub("", text)  # (发往 上海, 已被 XX驿站 代收: the place is the object, no clause of its own)
    text = _SPACED_MODIFIER.sub(r"\1", text)  # (没 问题 is 没问题)
    text = _REASON_LABEL.sub("，" + WHY, text)  # (退回原因：客户拒收: the step, then why — marked as such)
    text = _BECAUSE_OF.sub(lambda m: m.group() + "，", _SIGNER_NAMED.sub(_shop_signed, text))
    text = _HEADING_TO.sub(_named("◇"), _POINT_IN_BRACKETS.sub("驿站", _HEADING_HOME.sub("◇", text)))
    text = _BRACKETS.sub("◇", _NAMED_POINT.sub(_named("驿站"), _BUYER_PLACE.sub("驿站", text)))
    text = _POINT_FIRST.sub("驿站", text)  # (代收点签收: at the parcel point)
    text = _NAMED_HUB.sub(_named("◇"), text)
    text = _AMOUNTS.sub("¤", DIGIT_RUN.sub(_long_run, _STAMPS.sub("◷", _PICKUP_CODE.sub("◇", text))))
    text = _HOW_LONG.sub("◷", text)  # (3天未更新: how long, then the step)
    text = _SINCE.sub("◷", _AGO.sub("◷", _PART_OF_DAY.sub(r"\1", text)))  # (3天前已签收, 收到3天了, 今天上午已签收)
    text = _NTH_TRY.sub("再次", text)  # (第三次派送: 再次派送)
    text = _AT_PLACE.sub("◇", text)  # 在【上海浦东】完成分拣: 在 a preposition there, no 正在
    text = _AT_POINT.sub("", text)  # (已在驿站: at the parcel point, where 到驿站 brings it)
    return [c for c in _SEPARATORS.split(text) if c.strip("◇◷¤")]


def clauses(text: str) -> list[str]:
    return split_clauses(text)


# A success or a tick in a clause of its own (拦截 ok, 拦截（√）, 派送，成功, 签收 已完成): which step it is the result of
# is not written.  Where it would change the step before it (拦截ok is 拦截成功, 拦截 alone 拦截中) the cell is
# unreadable — never the bare step with the tick dropped.  (After a result, 拦截成功 √, it says the same.)
_RESULT_ALONE = re.compile("(?:已经|已)?(?:" + "|".join(
    map(re.escape, sorted((*POST["DONE"], *POST["TICK"]), key=len, reverse=True))) + ")(?:了|啦)?")
_ENDS_IN_RESULT = re.compile("(?:" + "|".join(
    map(re.escape, sorted((*POST["DONE"], *POST["TICK"], *POST["FAIL"]), key=len, reverse=True))) + ")(?:了|啦)?$")


def _changes_the_step(g: Grammar, before: str, result: str) -> bool:
    """Whether a clause that is only a success or a tick (:data:`_RESULT_ALONE`; no step of the field's own, as √ is
    in 验货结果) would read the clause before it otherwise, joined to it.  After a result it says the same."""
    if not before or _RESULT_ALONE.fullmatch(result) is None or _ENDS_IN_RESULT.search(before) or _stems_in(g, result):
        return False
    return [w for _k, w in read_steps(g, before + result)] != [w for _k, w in read_steps(g, before)]


_TICKS_ALONE = re.compile("(?:" + "|".join(map(re.escape, TICKS)) + ")+")


def _tick_changes_the_step(g: Grammar, tick: str, clause: str, exact: Mapping[str, str] | None) -> bool:
    """Whether a clause that is only a tick, before the clause ``clause`` (√ 已拦截, ✅ 派送), would read it otherwise
    joined to it (√已拦截: 拦截成功; 已拦截: 拦截中) — a tick apart from the step it changes, as after one.  (Where the
    tick is a word of the field's own, 验货结果「√」, 禁运「√」 (是), it is no modifier.)"""
    if not tick or _TICKS_ALONE.fullmatch(tick) is None:
        return False
    if tick in g.stems or exact is not None and exact_word(g, exact, tick) is not None:
        return False  # a word of its own
    return read(g, tick + clause, exact) != read(g, clause, exact)


def _exact_kind(g: Grammar, clause: str) -> str | None:
    """The stem kind of a clause read as a whole word of the field's (Grammar.apart): the stem it is as it stands, or the
    one stem it holds (已撤销, 买家撤销: a withdrawal, as 撤回 read by the grammar is); else None."""
    kind = g.stems.get(clause)
    if kind is None:
        found = _stems_in(g, clause)
        kind = g.stems[found[0][2]] if len(found) == 1 else None
    return kind


# A courier trace's events (Grammar.superseded): its lines apart (a new line, ；), or its steps in order (an arrow).
_EVENT_BREAK = re.compile(r"[;\n\r]+")


def _events(text: str) -> tuple[bool, list[str]] | None:
    """A trace cell's events, oldest first where the cell says their order, as (ordered, events); None for one event.

    Lines each with a time and its year (2025-06-09 18:00:00 派件异常 / 2025-06-10 09:00:00 已签收, in either order): by
    their times (two at one time: no order).  Steps joined by arrows alone (派件异常→派送中): in the order written.  Lines
    or steps joined otherwise (；, a new line, arrows beside them): no order."""
    # (a time expected, 预计2025-06-10 18:00前送达, is no line's time)
    stamps = [m for m in _YEAR_STAMP.finditer(text) if not EXPECTED.search(text, max(0, m.start() - 8), m.start())]
    if len(stamps) > 1:
        cuts = [0, *(m.start() for m in stamps[1:]), len(text)]
        lines = [text[a:b] for a, b in zip(cuts, cuts[1:])]
        when = [_when(m.group()) for m in stamps]
        times = [w for w in when if w is not None]
        if len(times) == len(when) and len(set(times)) == len(times):
            return True, [line for _at, line in sorted(zip(times, lines))]
        return False, lines
    text = _ANGLED.sub(r"【\1】", text)
    lines = [line for line in _EVENT_BREAK.split(text) if line.strip()]
    steps = [step for step in _ARROW.split(text) if step.strip()]
    if len(lines) > 1:
        return False, [step for line in lines for step in _ARROW.split(line) if step.strip()]
    return (True, steps) if len(steps) > 1 else None


def _when(stamp: str) -> datetime | None:
    """The moment a trace line's stamp with its year says (None: no moment)."""
    got = parse_datetime(stamp.upper())  # (a folded cell: 2025-06-09t12:10:00z)
    return got if isinstance(got, datetime) else None


def _read_events(g: Grammar, ordered: bool, events: list[str], exact: Mapping[str, str] | None,
                 text: str) -> object:
    """The word of a trace's events (:func:`_events`).  In order, an event whose word a later event supersedes
    (:attr:`Grammar.superseded`: 派件异常 then 派送中, 揽收失败 then 已揽收), or one only another table reads as such a
    passing trouble (:attr:`Grammar.passing`), is over: the rest are read as one cell (已签收 then 派件异常: unreadable;
    拒收 then 已退回: 退回).  In no order, such a word beside a step of the way (派送不成功；快件派送中) is unreadable: which
    came last, the cell does not say; else the cell ``text`` is read whole, as it was written."""
    got = [read(g, event, exact) for event in events]
    if ordered:
        over = [n + 1 < len(events) and (word in g.superseded or word is BAD and g.passing is not None
                                         and g.passing(events[n]))
                for n, word in enumerate(got)]
        if any(over):
            return read(g, "；".join(e for e, done in zip(events, over) if not done), exact, whole=True)
        return read(g, text, exact, whole=True)
    whole = read(g, text, exact, whole=True)
    words = [w for w in got if w.__class__ is str and w is not NONE]
    if any(w in g.superseded for w in words) and any(w not in g.superseded and w not in g.explained for w in words):
        return BAD
    return whole


# Words that say the step after them came later (拦截失败后拦截中, 拦截失败，然后拦截中, 拦截失败→又拦截中, 先拦截失败再拦截中):
# between two steps written in order (Grammar.follows).
_ORDER_WORDS = "之后|以后|然后|随后|后来|后又|后再|后|又|再次|再"
# (not after a negation: 不再拦截, 没再派送, 别再 — no longer, not again — say no step came later)
_IN_ORDER = re.compile(rf"\s*(?:[，,；;。、]\s*)?(?:(?<![不没未别勿无甭])(?:{_ORDER_WORDS})\s*|(?:{_ARROW.pattern})\s*(?:{_ORDER_WORDS})?\s*)")
_FIRST = re.compile(r"^\s*(?:首先|起先|先)")  # (先拦截失败后拦截中: the first step named as such)
# Days and tries that order the steps they stand before (昨天拦截失败今天拦截中, 第1次拦截失败，第2次拦截中).
_DAYS = {"前天": 0, "昨天": 1, "昨日": 1, "今天": 2, "今日": 2}
_DAY_AT = re.compile("|".join(_DAYS))
_TRY_AT = re.compile(r"第\s*([0-9]{1,2}|[一二两三四五六七八九十])\s*次")
_TRY_NUMBER = {ch: n for n, ch in enumerate("一二三四五六七八九十", 1)} | {"两": 2}


def _ordered_by(text: str, marks: re.Pattern, rank: Callable[[re.Match], int]) -> list[str] | None:
    """``text`` cut before each of ``marks`` (days, tries) when there are two or more, the first at the start and their
    ranks rising; else None."""
    found = list(marks.finditer(text))
    if len(found) < 2 or text[:found[0].start()].strip("，,；; ") or \
            any(rank(a) >= rank(b) for a, b in zip(found, found[1:])):
        return None
    cuts = [m.start() for m in found] + [len(text)]
    return [text[a:b].strip("，,；; ") for a, b in zip(cuts, cuts[1:])]


def _in_order(text: str) -> list[str] | None:
    """The steps of a cell written in order (:attr:`Grammar.follows`), oldest first; None when it is no such cell."""
    by_day = _ordered_by(text, _DAY_AT, lambda m: _DAYS[m.group()])
    if by_day is not None:
        return by_day
    by_try = _ordered_by(text, _TRY_AT, lambda m: int(n) if (n := m.group(1)).isdigit() else _TRY_NUMBER[n])
    if by_try is not None:
        return by_try
    parts = [part for part in _IN_ORDER.split(_FIRST.sub("", text)) if part.strip()]
    return parts if len(parts) > 1 else None


def _read_in_order(g: Grammar, steps: list[str], exact: Mapping[str, str] | None) -> object:
    """The latest of steps written in order, each a clause of the field's own word (:attr:`Grammar.follows`): BAD where
    a step comes after one it may not follow; None where a part is no such clause (拦截失败后已签收: the parcel's state; 拦截
    后再说) — the cell is then read as written."""
    words = []
    for step in steps:
        if len(split_clauses(step)) != 1:
            return None  # (拦截失败，客户拒收后退回: which step is after which?)
        word = read(g, step, exact, whole=True)
        if word.__class__ is not str or word is NONE or word is SKIP:
            return None
        words.append(word)
    for step in steps[1:]:
        if not any(_MODIFIER_KIND[m] in _TAKEN_KINDS or _MODIFIER_KIND[m] == "REQ" and _SETTLED_REQUEST.search(m)
                   for m in _MODIFIERS.findall(step)):
            return BAD  # 拦截失败，再拦截 / 第2次拦截 / 又申请了: a step named after an order word with no aspect — to be done?
    latest = words[0]
    for word in words[1:]:
        if word != latest and word not in g.follows.get(latest, ()):
            return BAD  # 拦截成功→拦截中: a success, then an interception under way again?
        latest = word
    return latest


# What a later step written in order must say of itself to be a step taken (拦截中, 已拦截, 拦截成功, 拦截失败, 没拦住): under
# way, done, failed, refused, a trouble, a tick, or not done — a bare verb after 再/又/第2次 (再拦截) may be a plan.
_TAKEN_KINDS = frozenset({"ONGOING", "PAST", "DONE", "FAIL", "DENY", "ABN", "TICK", "NEG", "INABLE"})
_SETTLED_REQUEST = re.compile("[已了中]")  # (已申请, 申请了, 受理中: a request made — 申请 alone, one to make)


# A space typed inside a word, between two of its characters (拦 回, 已 拦 回, 没 拦 住, 禁　运, 已 开 工).
_INNER_SPACE = re.compile(r"(?<=[\u3400-\u9fff])[ \t\u3000]+(?=[\u3400-\u9fff])")
_CHUNKS = re.compile(r"[,，;；。!！/|、()（）:：~～\s]+")  # (what stands between the words of a cell)
# A result typed apart after a step (关闭 失败, 揽收 不成功)
_SPACED_RESULT = re.compile("(?:" + "|".join(map(re.escape, sorted((*POST["FAIL"], *POST["DONE"], *POST["DENY"]),
                                                                    key=len, reverse=True))) + ")(?:了|啦)?")


def _spaces_in_words_closed(g: Grammar, exact: Mapping[str, str] | None, text: str) -> str:
    """``text`` without the spaces typed inside one of the field's words (a stem, a whole word of ``exact`` or a modifier,
    of two characters or more): 拦 回 is 拦回, 已 拦 回 已拦回, 禁　运 禁运, 成 功 成功 — a space inside a word does not change
    what it reads as; nor one before a result that is all that follows it (关闭 失败, 揽收 不成功: 关闭失败, 揽收不成功 — as
    拦截 失败, a whole word, reads).  (A space between two words stays: 签收 收件人; a tick or an OK typed apart, 拦截 ok, is
    a clause of its own.)"""
    spaces = list(_INNER_SPACE.finditer(text))
    if not spaces:
        return text
    compact = _INNER_SPACE.sub("", text)
    at = []  # where each space stands in the text without them
    gone = 0
    for m in spaces:
        at.append(m.start() - gone)
        gone += m.end() - m.start()
    def apart(pos: int) -> bool:  # a word's edge: the cell's, a mark's or a space's
        return pos in (0, len(compact)) or pos in at or bool(_CHUNKS.match(compact, pos)) or bool(_CHUNKS.match(compact, pos - 1))

    whole = {w for w in exact or () if len(w) > 1}  # (a whole word of the field's stands apart: 不拦截 成功 holds no 拦截成功)
    parts = {*g._ordered, *_MODIFIER_KIND}  # type: ignore[attr-defined]  # (a stem or a modifier: closed wherever it stands)
    words = [w for w in (*parts, *whole) if len(w) > 1]
    inside: set[int] = set()
    in_stem: set[int] = set()  # (spaces inside a stem of the field's own: 完 好 无 损 is 完好无损, its 无 no answer)
    own = set(g._ordered)  # type: ignore[attr-defined]
    for word in words:
        start = compact.find(word)
        while start >= 0:
            if word in parts or apart(start) and apart(start + len(word)):
                found = {n for n, pos in enumerate(at) if start < pos < start + len(word)}
                inside |= found
                if word in own and len(word) > 2:
                    in_stem |= found
            start = compact.find(word, start + 1)
    # (a word that answers no on its own stays apart: 无 成本, 没有 成功 — no, and a step)
    inside -= {n for n, m in enumerate(spaces) if _CHUNKS.split(text[:m.start()])[-1] in _NO_ANSWERS} - in_stem
    text = _without(text, [spaces[n] for n in sorted(inside)])
    last = next(reversed(list(_INNER_SPACE.finditer(text))), None)
    stems = "|".join(map(re.escape, g._ordered))  # type: ignore[attr-defined]
    if last is not None and stems and _SPACED_RESULT.fullmatch(text, last.end()) and \
            re.fullmatch(f"(?:已经|已)?(?:{stems})", _CHUNKS.split(text[:last.start()])[-1]):
        text = _without(text, [last])  # (关闭 失败; a step with more before it, 不拦截 成功, stays apart)
    return text


_REPEATED = re.compile(r"(.+?)\1+")
_MODAL_PARTICLES = re.compile("[哦噢喔呢啊呀哈嘛啦哟]+$")  # (no 吧, 吗, 么: a guess or a question — DOUBT)


def said_once(text: str) -> str | None:
    """A cell said with emphasis as desks type it — the words repeated (异常异常, 没收到没收到, 是是) or a particle after them
    (是哦, 退款关闭哦) — as said once, spaces aside; None when it is no such cell."""
    compact = "".join(text.split())
    m = _REPEATED.fullmatch(compact)
    if m is not None and any(map(_cjk, m.group(1))):
        return m.group(1)
    plain = _MODAL_PARTICLES.sub("", compact)
    return plain if plain and plain != compact else None


def _without(text: str, spans: list[re.Match]) -> str:
    """``text`` without ``spans`` (in order)."""
    out, at = [], 0
    for m in spans:
        out.append(text[at:m.start()])
        at = m.end()
    return "".join(out) + text[at:]


def read(g: Grammar, text: str, exact: Mapping[str, str] | None = None, whole: bool = False) -> object:
    """A folded cell's word by ``g``: the word, ``None`` (nothing read), NONE or BAD.

    ``exact``: whole clauses read as a word without the grammar (拦截结果：失败 → 失败); ``whole``: a trace's events
    read as one cell's clauses (:attr:`Grammar.superseded`).
    """
    text = _spaces_in_words_closed(g, exact, text)  # (已 拦 回: 已拦回)
    if g.pending_is_none and all(map(_PENDING_CELL.fullmatch, split_clauses(text) or [text])):
        return NONE  # (快递核实「待核实」: no finding yet, as a blank cell)
    if DOUBT.search(text) or DOUBT.search(_SPACED_MODIFIER.sub(r"\1", text)) or g.aside is not None and g.aside.search(text):
        return BAD  # (a doubt across a space the reader closes, 不可 能: 不可能)
    if g.superseded and not whole and (events := _events(text)) is not None:
        return _read_events(g, *events, exact, text)  # (a trace's lines or steps: each an event of its own)
    if g.follows and not whole and (in_order := _in_order(text)) is not None and \
            (latest := _read_in_order(g, in_order, exact)) is not None:
        return latest  # (拦截失败→拦截中, 先拦截失败后拦截中: the latest step)
    if g.implied is not None and _IMPLIED_ONLY.fullmatch(text) and not _NOTHING_OF_AN_ACT.fullmatch(text):
        return _the_act_implied(g, text, exact)
    words: list[str] = []
    besides: list[object] = []  # another field's words in clauses of their own (Grammar.beside)
    steps: list[tuple[str | None, object]] = []  # (stem kind, word) of every step read (Grammar.apart)
    turned = False  # a clause of its own with no state word holds a word that turns a state around
    bare = False  # … a clause that is a modifier alone, its step not written (no reason for a failure either)
    waits_only = True  # … and every such clause only says what is awaited next (待快递回复)
    turning: list[str] = []  # … those clauses
    if g.signer_named and "签收人" in text:  # (the shop's side first, as split_clauses names it, then anyone)
        text = _ANY_SIGNER.sub(_signed_by, _SIGNER_NAMED.sub(_shop_signed, text))
    if g.signer_named and "签收" in text:
        text = _RECIPIENT_BRACKETED.sub(lambda m: f"，{m.group('who')}签收", text)
    last = ""  # the clause read last, as written
    beside_only = False  # … a clause read only as the other field's word, which the field's own grammar found BAD
    answered_no = False  # … a clause that is only a "no" (ANSWERS_NO), a word of the field's own
    undone = False  # … a clause that undoes the word beside it, or splits it, rather than saying why (_undoes)
    redone: list[list[object]] = []  # … the readings of clauses that say a step is done again (_REDONE)
    unread_why = False  # … a labelled reason nothing reads (原因：航班取消): why a failure came, beside one
    why_only = True  # … and every clause that turns a state around is such a reason (揽收失败，原因：寄件人取消寄件)
    by_party: list[frozenset[str]] = []  # … the words no step may read beside a step a party took (Grammar.party_apart)
    away = False  # … a clause saying the recipient was away, beside someone taking the parcel for them (Grammar.away_why)
    for clause in _speakers_joined(g, split_clauses(text), exact):
        why = clause.startswith(WHY)
        clause = clause.lstrip(WHY)
        if not clause:
            continue
        before, last = last, clause  # (before: the clause before this one)
        if _states_nothing(g, clause):
            continue  # said to the buyer (请及时取件, 如有疑问请联系站点, 感谢您在京东购物): no state
        if g.party_apart:
            by_party += _by_party(g, clause)  # (收件人本人已签收: the recipient's signing — beside 退回, below)
        if _tick_changes_the_step(g, before, clause, exact):
            return BAD  # √ 已拦截, ✅ 派送: the tick apart from the step it changes, before it
        hit = exact_word(g, exact, clause) if exact else None
        if hit is None:
            hit = result_awaited(g, clause)  # (等拦截结果: the step placed, its result not in)
        elif clause in ANSWERS_NO:
            answered_no = True  # (可寄回：否: a "no" beside a step — below)
        if hit is not None:
            words.append(hit)
            steps.append((_exact_kind(g, clause), hit))
            continue
        if _changes_the_step(g, before, clause):
            return BAD  # 拦截 ok, 派送（√）: the tick apart from the step it changes
        expected = EXPECTED.search(clause)
        if expected is not None:  # what is expected, from 预计 on, is no fact (运输中预计明天到: 运输中)
            clause = clause[:expected.start()]
        clause_steps = read_steps(g, clause)
        readings = [word for _kind, word in clause_steps]
        if g.beside is not None:
            if not readings:
                other = _beside_word(g, clause)
                if other is not None:
                    besides.append(other)
                    continue
            elif readings == [BAD]:  # why a failure came, first, nothing between (已签收无法拦截)?
                split = _beside_first(g, clause)
                rest = read_clause(g, split[1]) if split is not None else []
                if split is not None and rest and all(w in g.explained for w in rest):
                    besides.append(split[0])
                    readings = rest
                elif _RETURN_PARCEL.match(clause) and (other := _beside_word(g, clause)) is not None:
                    # the parcel on its way back named as the subject (拦截成功，退件已签收: 退件 is a word of both fields):
                    # the parcel's state beside, which must fit; alone it reads nothing (below)
                    besides.append(other)
                    beside_only = True
                    continue
        if not readings and g.strict and _foreign_mark(clause):
            return BAD  # 拦截成功 ×, 合格 NO, not 已签收: a mark in letters or symbols no table reads, never dropped
        if why and BAD in readings:
            # a labelled reason the field's words do not read (原因：航班取消, 原因：收件人要求改天派送): why — only beside a
            # failure, below; a correction in it still undoes (原因：误操作)
            undone = undone or bool(_UNDOING.search(_CANCELLED.sub("", clause)))
            unread_why = True
            continue
        if g.strict and (g.explained or g.negation_says_why):
            # (a labelled reason is why: only a correction in it undoes, 原因：误操作 — not what it says was cancelled,
            # 原因：寄件人取消寄件, nor another column's step it names)
            undone = undone or (_UNDOING.search(_CANCELLED.sub("", clause)) is not None if why
                                else _undoes(g, clause, bool(readings)))
            if readings and _REDONE.search(clause) and not _next_step(clause):  # (待再次派送: what comes next)
                redone.append(readings)  # (已退回，快递重新派送: a step again — which step, below)
        if readings == [BAD] and words and _next_steps_only(g, [clause], words):
            continue  # a wait for a later step of the field's own after the word (已寄出，待仓库签收: sent, not yet in): no step
        steps += clause_steps
        if g.away_why is not None and not readings and g.away_why[0].fullmatch(clause) and g.away_why[1].search(text):
            away = True  # (客户不在家 beside 代签收: why someone else took it — below)
            continue
        if not readings and g.strict and _turns_around(clause, g.negation_says_why) \
                and not (g.names_why is not None and g.names_why(clause)):
            turned = True
            turning.append(clause)
            why_only = why_only and why
            bare = bare or _bare_modifier(clause) or _NEGATED.match(clause) is not None  # (不是, 没有: a negation alone)
            waits_only = waits_only and (_next_step(clause) or _not_yet(clause))
        for got in readings:
            if got is BAD:
                return BAD
            if got is SKIP:
                continue
            words.append(got)  # type: ignore[arg-type]
    if not words:
        return BAD if beside_only else None
    if answered_no and any(kind is not None for kind, _w in steps):
        return BAD  # 可寄回：否, 可寄回 ❌, 拦截：无: a "no" answering the step beside it (cannot be sent back?)
    if turned and (bare or not all(w in g.explained for w in words)) and \
            not (waits_only and all(w in g.awaiting for w in words)) and not _next_steps_only(g, turning, words) and \
            not (why_only and not bare and all(w in g.superseded for w in words)):
        # 拦截，不成功; 已退款（部分）; 合格，少配件; 已发货（取消）: the cell is unreadable, never the bare
        # word (派件异常，收件人电话无人接听: after a failure such a clause says why; so does a labelled reason beside a
        # step not taken yet, 揽收失败，原因：寄件人取消寄件)
        return BAD
    word = (g.combine or agree)(words)
    if away and word != g.away_why[2]:  # type: ignore[index]
        return BAD  # (客户不在家 beside 代收 and a step other than the signing: what then?)
    if unread_why and word not in g.explained | g.superseded:
        return BAD  # (已签收，原因：…: a reason for no failure — what does it say?)
    # (a step done again beside the word, of another step: 已退回，快递重新派送; 快件再次投递没有成功 is that step's own 异常)
    undone = undone or any(w != word for readings in redone for w in readings)
    if undone and (word in g.explained or g.negation_says_why):
        return BAD  # 未发货（误操作）, 丢件，后来找到了, 已退回，又派送了, 丢件（1/2）, 定制，不对: undone, no reason why
    unless = g.not_if.get(word) if isinstance(word, str) else None
    if unless is not None and unless.search(text):
        return BAD  # 退货原因「部分腐烂」: some of the goods, not all (Grammar.not_if)
    if g.provisional is not None and word is not NONE and g.provisional.search(text):
        return BAD  # 合格，复核中: a finding checked again may change
    if besides and word in g.agrees and not g.agrees[word].issuperset(besides):  # type: ignore[index]
        return BAD  # 拦截成功，客户已签收; 拦截中，已签收: the two do not fit, the cell is unreadable
    for step, unfit in g.apart.items():
        if step in steps and any(w in unfit for k, w in steps if (k, w) != step):
            return BAD  # 物流状态「拦截成功，客户已签收」: the steps do not fit, the cell is unreadable
    if any(not unfit.isdisjoint(words) for unfit in by_party):
        return BAD  # 物流状态「快件已退回，收件人本人已签收」: the recipient signing beside a way back (Grammar.party_apart)
    return word


def _by_party(g: Grammar, clause: str) -> list[frozenset[str]]:
    """The words no other step of the cell may read beside the steps of ``clause`` a party of
    :attr:`Grammar.party_apart` took (收件人本人已签收, 本人签收: the recipient's signing)."""
    found, _start = _without_subject(g, clause, _stems_in(g, clause))
    return [unfit for kind, who, unfit in g._party_apart  # type: ignore[attr-defined]
            if _party_before(g, clause, found, {kind: who})]


# What a clause of its own may hold in Latin letters or symbols and still say nothing a table does not read: a tick or
# OK (拦截成功 √, 合格 ok), a parcel's number with its carrier's letters (已发货 SF1234567890: masked to sf*), a phone
# number masked with x (138xxxx5678), a carrier's Latin name (EMS), a logo (定制 logo).
_UNDERSTOOD_MARKS = re.compile("|".join([rf"[a-z]{{0,4}} ?{_MASKED_RUN}[a-z]{{0,2}}", r"\d+[x*]{2,}\d*|\d*[x*]{2,}\d+",
                                         "ok", "logo",
                                         *map(re.escape, (*TICKS, *(w for w in CARRIER_NAMES if w.isascii())))]))


def _foreign_mark(clause: str) -> bool:
    """Whether a clause no table reads holds a Latin word or a symbol the tables do not cover (×, ❌, 🚫, 👎, NO, N, NG,
    not, failed, pending, cancel …): a "no", a failure or a "not yet" in letters or marks — beside a word the cell is
    unreadable, never that word with the mark dropped (拦截成功 ×, 合格 NO, not 已签收, 已退款 pending)."""
    rest = _UNDERSTOOD_MARKS.sub("", clause)
    return any(ch.isascii() and ch.isalpha() or unicodedata.category(ch)[0] == "S" and ch not in "◇◷¤"
               or ch.isalpha() and not _cjk(ch) for ch in rest)


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


# What a clause beside a word it would explain (未发货, 丢件, 退回, 未收到 …: Grammar.explained) may not hold and still be
# why: a correction or a going back on it (未发货（误操作）, 丢件，搞错了, 退回（撤回了）, 拒收，客户反悔了, 丢件，后来找到了,
# 已退回，又派送了, 显示已退回，实际未), a trace that exists after all (未发货，已有物流) …
# (误 alone, 退回（误）, 丢件（误）: a mistake, as 误操作 — not 无误, nothing wrong, nor a delay, 延误, 耽误, nor what
# was wrong, 地址错误, 地址有误, 电话有误: a reason — 信息有误, 单号有误 may say the record is wrong)
_UNDOING = re.compile("(?<![无延耽错])(?<!址有)(?<!话有)误|搞错|弄错|标错|填错|写错|点错|录错|记错|看错|操作错|不对|假的|是假|"
                      "作废|撤销|撤回|撤了|撤掉|取消|反悔|找到|找回|寻回|追回|驳回|实际|其实|后来|又|重新|再次|"
                      "(?<![没无])有(?:物流|轨迹|单号)")
# … a count of the parcels (丢件（1/2）, 已退回(2件中1件), 未发货，另1件没有: dates, times, amounts and long numbers are
# ◷ ¤ * by then) or a parcel's number (未发货 单号SF123: a masked phone, 138xxxx5678, is none)
_REDONE = re.compile("又|重新|再次|再度")
# (a number of days, hours or tries is no count of the parcels: 已拒收 3天, 不动 48小时, 派送失败（第2次）)
_A_COUNT = re.compile(r"(?<![\d*x第])\d{1,3}(?![\d*x])(?!\s*(?:天|日|个?小时|h|分钟|周|个?月|次))")
_A_WAYBILL = re.compile(r"(?<![a-z\d])(?!x+\d)[a-z]{1,4}(?:\d{3,}|\s?\*)|单号|运单")


def has_step(g: Grammar, clause: str) -> bool:
    """Whether ``clause`` holds a step of ``g``'s (a stem that is no noun: 派件员 holds none)."""
    return bool(_stems_in(g, clause))


def _undoes(g: Grammar, clause: str, read: bool) -> bool:
    """Whether ``clause`` (``read``: it holds a step of the field's own, read) undoes or splits the word beside it rather
    than saying why (:data:`_UNDOING`, a count, a parcel's number, a state word of any column with no negation:
    :attr:`Grammar.elsewhere`).  In a field of kinds (Grammar.negation_says_why) only a correction does (定制，不对)."""
    if _next_step(clause):
        return False  # what is awaited next (不合格，待联系客户; 派送不成功，待再次派送): read as such elsewhere
    pattern = g._pattern  # type: ignore[attr-defined]
    # (驳回拦截: a step of its own; 拦截被驳回: the step's own modifier — neither a correction)
    rest = _MODIFIERS.sub("", pattern.sub("", clause)) if read and pattern is not None else clause
    if _UNDOING.search(rest):
        return True
    if read or g.negation_says_why:
        return False
    return bool(_A_COUNT.search(clause) or _A_WAYBILL.search(clause)) or \
        g.elsewhere is not None and not _troubled(clause, _DENIES) and not _ASKED.search(clause) and g.elsewhere(clause)


# (没到，催发货; 未发货，客户申请退款: a step asked for, no fact of the parcel's)
_ASKED = re.compile("催|要求|申请|请|让|叫")


_MODIFIER_ANYWHERE = re.compile("|".join(sorted({re.escape(w) for words in (*PRE.values(), *POST.values()) for w in words},
                                                key=len, reverse=True)))
# A person's name or number beside the party that speaks (客服小王, 快递员 张三, 商家 13800001111 — the number masked, *),
# or a filler (快递：目前，已签收): a few characters that hold no step, no modifier and nothing that turns a meaning around.
_A_NAME = re.compile(rf"{_MASKED_RUN}|[\u4e00-\u9fff]{{1,3}}")


def _names_someone(g: Grammar, text: str, exact: Mapping[str, str] | None) -> bool:
    """Whether ``text`` (a clause, or what follows a party in one) is only a person's name or number (:data:`_A_NAME`):
    no word of the field either (``exact``: 快递转投 is Kuaidi100's 转投)."""
    if not _A_NAME.fullmatch(text) or text in TELLING_VERBS or DOUBT.search(text) or _troubled(text, g.trouble):
        return False
    if exact and text in exact:
        return False
    return not _stems_in(g, text) and not _MODIFIER_ANYWHERE.search(text)  # (a filler, 目前, holds no modifier either)


def _speaks(g: Grammar, clause: str, exact: Mapping[str, str] | None = None) -> str | None:
    """The party speaking, when a clause only names it: the party, maybe its person's name or number (客服小王,
    快递员 13800001111: the name left out), maybe a telling verb; else None."""
    m = g._speaker_only.fullmatch(clause)  # type: ignore[attr-defined]
    if m is None:
        return None
    if not m["name"]:
        return clause
    # (a step that holds the party's word, 快递架 or 快递柜, is that step: no one speaking)
    if not _names_someone(g, m["name"], exact) or _stems_in(g, clause) or exact and clause in exact:
        return None
    return clause[:m.start("name")] + clause[m.end("name"):]


def _speakers_joined(g: Grammar, parts: list[str], exact: Mapping[str, str] | None = None) -> list[str]:
    """The clauses of a cell, a clause that only names the other party speaking (商家回复：同意补偿, 快递：已签收, 客服小王：
    同意补偿) joined to the clause it introduces, with no clause between that only names their person (客服 小王：同意补偿,
    商家 13800001111 同意补偿): what follows is that party's, as it is written in one clause (商家同意补偿).  The person's
    name or number is left out (快递员李四，电话：010-12345678，快件已签收: 快递员快件已签收)."""
    if g._speaker_only is None or len(parts) < 2:  # type: ignore[attr-defined]
        return parts
    out: list[str] = []
    carry = ""
    for part in parts:
        if _states_nothing(g, part):  # (快递员：刘某，请您耐心等待: said to the buyer, no words of that party's)
            out.append(part)
            continue
        party = _speaks(g, part, exact)
        if party is not None:
            carry += party
            continue
        if carry and _names_someone(g, part, exact):  # (their person's name or number: left out)
            continue
        out.append(carry + part)
        carry = ""
    if carry:
        out.append(carry)
    return out


_BECAUSE = re.compile(f"^(?:{_BECAUSE_WORDS})")
# The parcel on its way back as a clause's subject (退件已签收, 快件退回件派送中).
_RETURN_PARCEL = re.compile("^(?:快件|包裹)?(?:退件|退回件|退货件)")


def _beside_word(g: Grammar, clause: str) -> object:
    """The other field's word a clause of its own reads as (:attr:`Grammar.beside`), or None (no word of it)."""
    other = g.beside(_BECAUSE.sub("", clause)) if g.beside is not None else None
    return None if other is None or other is BAD else other


def _beside_first(g: Grammar, clause: str) -> tuple[object, str] | None:
    """(the other field's word, the rest) of a clause that starts with the other field's clause, no mark between
    (已签收无法拦截: 已签收, 无法拦截); None when it does not."""
    found = _stems_in(g, clause)
    if not found:
        return None
    _kinds, left = _strip_pre(clause[:found[0][0]])
    other = _beside_word(g, left) if left else None
    return None if other is None else (other, clause[len(left):])
