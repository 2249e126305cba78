"""Synthetic tracking sheets for the benchmarks, deterministic per seed.

Rows look like what xlwings hands a formula function (contract §5): a 2-D list,
``None`` for blank cells, floats for numbers, ``datetime`` for date cells,
``str`` for text.  The mix is a desk's year: mostly canonical words, some
synonyms and messy spellings, ``¥``/``元`` amounts, text dates, full
addresses, a few unreadable cells and blank rows, every §4.2 branch reached.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from refund_xl._core.fields import FIELDS

NOW = datetime(2025, 6, 10, 12, 0)

# The canonical headers of contract §2, in their order.
HEADERS = [f.header for f in FIELDS]
COL = {h: i for i, h in enumerate(HEADERS)}

CARRIERS = ["顺丰速运", "中通快递", "圆通速递", "韵达快递", "申通快递", "京东物流", "极兔速递", "邮政EMS"]
ADDRESSES = [
    "广东", "广东省深圳市南山区科技园", "浙江省杭州市西湖区文三路", "上海", "上海市浦东新区张江路",
    "北京市朝阳区建国路", "江苏", "江苏省南京市鼓楼区", "四川省成都市武侯区", "湖北省武汉市洪山区",
    "新疆维吾尔自治区乌鲁木齐市天山区", "西藏自治区拉萨市城关区", "甘肃省兰州市城关区", "青海省西宁市",
    "山东省青岛市市南区", "福建省厦门市思明区", "河南", "湖南省长沙市岳麓区", "内蒙古自治区呼和浩特市",
    "广西壮族自治区南宁市", "黑龙江省哈尔滨市", "新疆", "云南省昆明市",
]
REASONS = ["不想要了", "拍错了/多拍", "小瑕疵", "收到有点小瑕疵", "少发漏发", "少发了一个", "质量问题",
           "描述不符", "与描述不符", "降价", "腐烂变质", "坏果", "七天无理由", "尺码不合适", None]


def _pick(rng: random.Random, weighted: list[tuple[object, int]]):
    total = sum(w for _, w in weighted)
    x = rng.randrange(total)
    for value, w in weighted:
        if x < w:
            return value
        x -= w
    return weighted[-1][0]  # pragma: no cover


def _when(rng: random.Random, dt: datetime) -> object:
    """A datetime cell as a host hands it: mostly a datetime, some text or serials."""
    r = rng.random()
    if r < 0.85:
        return dt
    if r < 0.92:
        return f"{dt.year}/{dt.month}/{dt.day} {dt.hour}:{dt.minute:02d}"
    if r < 0.96:
        return f"{dt.year}年{dt.month}月{dt.day}日 {dt.hour}:{dt.minute:02d}"
    if r < 0.98:
        return dt.strftime("%Y-%m-%d %H:%M")
    return (dt - datetime(1899, 12, 30)).total_seconds() / 86400.0  # Excel serial


def _amount(rng: random.Random) -> object:
    value = _pick(rng, [(rng.choice([9.9, 19.9, 29.0, 39.0, 59.0, 69.0, 99.0, 128.0, 168.0, 199.0]), 55),
                        (rng.choice([200.0, 239.0, 299.0, 399.0, 599.0, 899.0, 1299.0, 2999.0]), 30),
                        (round(rng.uniform(5, 3000), 2), 15)])
    r = rng.random()
    if r < 0.80:
        return value
    if r < 0.88:
        return f"¥{value:,.2f}"
    if r < 0.95:
        return f"{value:g}元"
    if r < 0.995:
        return f" {value:g} "
    return "待定"  # unreadable: NEEDS_INFO


def make_row(rng: random.Random, i: int) -> list[object]:
    row: list[object] = [None] * len(HEADERS)
    if rng.random() < 0.002:  # a blank row in the middle of the sheet
        return row

    def put(header: str, value: object) -> None:
        row[COL[header]] = value

    order = f"{rng.randrange(10**18, 10**19)}"
    if rng.random() < 0.03:
        order = "00" + order[2:]
    put("订单号", order)
    put("售后单号", str(rng.randrange(10**17, 10**18)) if rng.random() < 0.9 else None)
    applied = NOW - timedelta(minutes=rng.randrange(10, 60 * 24 * 5))
    put("申请时间", _when(rng, applied))
    put("退款金额", _amount(rng))
    put("收货省份", rng.choice(ADDRESSES) if rng.random() < 0.9 else None)
    put("售后状态", _pick(rng, [(None, 40), ("处理中", 35), ("待处理", 5), ("已退款", 12),
                                ("退款成功", 2), ("已关闭", 4), ("已完结", 2)]))
    if rng.random() < 0.3:
        put("超时时间", _when(rng, applied + timedelta(hours=48)))

    kind = _pick(rng, [("仅退款", 60), ("退货退款", 40)])
    if kind == "仅退款":
        put("售后类型", _pick(rng, [("仅退款", 70), ("未发货仅退款", 10), ("已发货仅退款", 10), ("退款不退货", 10)]))
        ship = _pick(rng, [("未发货", 30), ("已发货", 62), ("线下已发货", 4), ("待发货", 2), ("卖家已发货", 2)])
        put("发货状态", ship)
        put("商品类型", _pick(rng, [(None, 50), ("标品", 30), ("定制", 10), ("代购", 5), ("定做", 5)]))
        put("已产生成本", _pick(rng, [(None, 60), ("是", 15), ("否", 20), ("有", 3), ("无", 2)]))
        shipped = ship in ("已发货", "卖家已发货", "线下已发货") or rng.random() < 0.05
        if shipped:
            put("快递公司", rng.choice(CARRIERS))
            put("物流单号", f"SF{rng.randrange(10**12, 10**13)}" if rng.random() < 0.5
                else str(rng.randrange(10**11, 10**14)))
        if ship in ("已发货", "卖家已发货"):
            lg = _pick(rng, [("已揽收", 10), ("运输中", 30), ("在途", 5), ("派送中", 10), ("已签收", 20),
                             ("已妥投", 2), ("异常", 6), ("物流停滞", 2), ("丢件", 2), ("拒收", 3),
                             ("退回", 2), ("未揽收", 5), (None, 3)])
            put("物流状态", lg)
            if lg is not None:
                put("物流更新时间", _when(rng, NOW - timedelta(minutes=rng.randrange(30, 60 * 24 * 4))))
            if lg in ("已签收", "已妥投"):
                put("客户反馈", _pick(rng, [(None, 50), ("已收到", 15), ("未收到", 15), ("没收到", 5), ("不撤销", 5)]))
                put("快递核实", _pick(rng, [(None, 80), ("已签收", 12), ("丢件", 8)]))
            put("拦截状态", _pick(rng, [(None, 55), ("未拦截", 15), ("拦截中", 15), ("已发起拦截", 3),
                                        ("拦截成功", 7), ("拦截失败", 5)]))
            if rng.random() < 0.5:
                put("拦截时间", _when(rng, NOW - timedelta(minutes=rng.randrange(30, 60 * 48))))
    else:
        put("售后类型", _pick(rng, [("退货退款", 85), ("退货", 10), ("退款退货", 5)]))
        put("发货状态", "已发货")
        put("快递公司", rng.choice(CARRIERS))
        put("物流单号", str(rng.randrange(10**11, 10**14)))
        put("物流状态", "已签收")
        put("退货物流状态", _pick(rng, [(None, 30), ("未寄回", 15), ("已揽收", 12), ("运输中", 12), ("在途", 3),
                                        ("已签收", 20), ("已入库", 8)]))
        put("验货结果", _pick(rng, [(None, 75), ("合格", 18), ("不合格", 7)]))
        put("退货原因", rng.choice(REASONS))
        put("协商进度", _pick(rng, [(None, 55), ("未协商", 10), ("坚持退款", 10), ("拒绝补偿", 8),
                                    ("拒绝换货", 7), ("同意补偿", 5), ("同意换货", 5)]))
        if rng.random() < 0.2:
            put("退货运费", rng.choice([8.0, 12.0, 15.0, 20.0, 35.0, "¥12", "15元"]))
        put("禁运", _pick(rng, [(None, 90), ("否", 8), ("是", 2)]))
    return row


def value2(rows: list[list[object]]) -> list[list[object]]:
    """Rows as Excel's ``Range.Value2`` hands them over: datetimes as serial numbers."""
    epoch = datetime(1899, 12, 30)
    return [[(v - epoch).total_seconds() / 86400.0 if isinstance(v, datetime) else v for v in r] for r in rows]


CLOSED = ("已退款", "已关闭", "已完结", "退款成功")


def make_rows(n: int, seed: int = 20250610, year: bool = False) -> list[list[object]]:
    """``n`` data rows (no header), the same for the same ``(n, seed, year)``.

    The default mix is the worst case: every case applied in the last five
    days, four in five still open.  ``year=True`` is a desk's sheet after a
    year (contract §1: 100k rows a year): applications spread over 365 days,
    older rows first, and cases older than a week closed (97 %), so a few
    thousand are open, as on a real desk.
    """
    rng = random.Random(seed)
    rows = [make_row(rng, i) for i in range(n)]
    if year:
        for i, row in enumerate(rows):
            if row[COL["订单号"]] is None:
                continue
            age_days = (n - i) / max(n, 1) * 365
            if age_days > 5:
                shift = timedelta(days=age_days - 5)
                for h in ("申请时间", "物流更新时间", "拦截时间", "超时时间"):
                    v = row[COL[h]]
                    if isinstance(v, datetime):
                        row[COL[h]] = v - shift
            if age_days > 7 and rng.random() < 0.97:
                row[COL["售后状态"]] = rng.choice(CLOSED)
    return rows


def write_xlsx(path: str | Path, n: int, seed: int = 20250610, year: bool = False) -> Path:
    """A tracking workbook of ``n`` rows: sheet 售后登记 plus a small 设置 sheet."""
    import xlsxwriter

    from refund_xl._core.settings import settings_table

    path = Path(path)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws = book.add_worksheet("售后登记")
    for c, h in enumerate(HEADERS):
        ws.write_string(0, c, h)
    for r, row in enumerate(make_rows(n, seed, year), start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, datetime):
                ws.write_datetime(r, c, v, stamp)
            elif isinstance(v, float):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    settings = book.add_worksheet("设置")
    for r, row in enumerate(settings_table()):
        for c, v in enumerate(row):
            settings.write(r, c, v)
    book.close()
    return path
