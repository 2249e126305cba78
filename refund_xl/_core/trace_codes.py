"""Kuaidi100's trace states, by code and by name, and the 物流状态 word each stands for (``platforms.md``).

One table for the two readers of them: ``refund-xl track`` reads the codes an answer gives
(:func:`refund_xl._app.track.word_of`), and the 物流状态 column reads the states' names where a desk
pasted them (「到达派件城市」, 「超时未更新」: :data:`NAMED`).  Pure module: no host library.
"""

from __future__ import annotations

__all__ = ["SUB_WORD", "STATE_WORD", "CODE_NAME", "NAMED"]

# Sub-states (resultv2=4) → SOP word.  Locker, station and proxy deliveries are
# 已签收 as the article treats them (CONFIRM_RECEIPT asks whether it really arrived);
# an overdue locker pick-up (205) is still a delivery, not a stall.
SUB_WORD = {
    "101": "未揽收", "102": "未揽收", "103": "已揽收",
    "1001": "运输中", "1002": "运输中", "1003": "运输中",
    "501": "已签收",
    "301": "已签收", "302": "已签收", "303": "已签收", "304": "已签收",
    "201": "异常", "202": "异常", "203": "拒收", "204": "异常", "205": "已签收",
    "206": "异常", "207": "异常", "208": "异常", "209": "异常", "210": "异常",
    "401": "退回",
}
# Base states: 0 在途 · 1 揽收 · 2 疑难 · 3 签收 · 4 退签 · 5 派件 · 6 退回 · 7 转投 ·
# 8/10–13 清关 · 14 拒签.
STATE_WORD = {
    "0": "运输中", "1": "已揽收", "2": "异常", "3": "已签收", "4": "退回", "5": "派送中",
    "6": "退回", "7": "运输中", "8": "运输中", "10": "运输中", "11": "运输中", "12": "运输中",
    "13": "异常", "14": "拒收",
}
CODE_NAME = {
    "101": "已下单", "102": "待揽收", "103": "已揽收", "1001": "到达派件城市", "1002": "干线",
    "1003": "转递", "501": "投柜或驿站", "301": "本人签收", "302": "派件异常后签收", "303": "代签",
    "304": "投柜或站签收", "201": "超时未签收", "202": "超时未更新", "203": "拒收", "204": "派件异常",
    "205": "柜或驿站超时未取", "206": "无法联系", "207": "超区", "208": "滞留", "209": "破损",
    "210": "销单", "0": "在途", "1": "揽收", "2": "疑难", "3": "签收", "4": "退签", "5": "派件",
    "6": "退回", "7": "转投", "14": "拒签", "401": "退回",
}

# a state's name → the word its code stands for (a sub-state's own word first, as track reads the codes)
NAMED: dict[str, str] = {name: SUB_WORD.get(code) or STATE_WORD[code] for code, name in CODE_NAME.items()}
