"""Build the import corpus of this folder (run: python tests/data/exports/make_import_exports.py [DIR]).

Exports a desk drops into ``refund-xl import`` on a bad day, built with the
platform facts of ``make_exports.py`` (its header rows, status words, id shapes,
waybills; ``/work/shared/platforms.md``):

* ``import_pdd_0610_1.csv`` … ``_3.csv`` — one day of 拼多多 售后列表 cut into three
  files by the export's row limit (a 5万-row limit in miniature: 25 rows each,
  60 cases).  A cut repeats the rows at the boundary: the last 3 rows of part 1
  open part 2 unchanged; the last 2 rows of part 2 open part 3, one of them
  with a newer 售后状态.  Part 1 is UTF-8 with BOM and the 温馨提示 notice on
  top, part 2 GBK, part 3 UTF-8 with BOM, a blank line and the notice at the
  bottom.  Returns carry 退货快递公司 and 退货快递单号.
* ``import_wdt_parcels.csv`` — a 旺店通 ERP export (GBK; invented header row, as
  ``wdt_export.csv``) with what merges went wrong on: an order shipped in two
  parcels without 退换单号, the same 退换单号 twice (once identical, once with a
  different 退款金额), one 退换单号 with two 原始单号, 原始单号 that Excel cut to
  ``4.80299E+18`` (with and without a 退换单号), a blank row and a 合计 row.
* ``import_jd_text.xlsx`` — a 京东 售后服务单 export whose 问题描述 is what buyers
  write: phone numbers (plain, grouped, +86, landlines), addresses after 地址 /
  收货地址, names after 收件人 / 联系人 / 姓名, and the words the SOP reads
  (质量问题, 腐烂, 少发, 描述不符 …); 取件地址 is a full address.

Deterministic (ids from hashes of fixed text); CSV bytes are identical run to run.
What each file must give is written beside it: :data:`EXPECT` (the tests read it).
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_exports", HERE / "make_exports.py")
mx = sys.modules.get("make_exports")
if mx is None:
    mx = importlib.util.module_from_spec(_spec)
    sys.modules["make_exports"] = mx  # its dataclasses look their module up
    _spec.loader.exec_module(mx)  # type: ignore[union-attr]

NOW = mx.NOW
PDD_FILES = ("import_pdd_0610_1.csv", "import_pdd_0610_2.csv", "import_pdd_0610_3.csv")
WDT_FILE = "import_wdt_parcels.csv"
JD_FILE = "import_jd_text.xlsx"
FILES = (*PDD_FILES, WDT_FILE, JD_FILE)

# ----------------------------------------------------------------------------- PDD, one day in three files

PDD_STATES = [("买家申请退款，待商家处理", "已发货，待签收"), ("退货退款，待商家处理", "已签收"),
              ("已同意退货退款,待用户发货", "已签收"), ("未发货，退款成功", None), ("平台处理中", "已发货，待签收"),
              ("退货完成，待退款", "已签收"), ("买家撤销", "已签收"), ("买家申请退款，待商家处理", "待发货")]
PDD_TYPES = {"退货退款，待商家处理": "退货退款", "已同意退货退款,待用户发货": "退货退款", "退货完成，待退款": "退货退款"}
RETURN_CARRIERS = ["中通快递", "圆通速递", "韵达快递", "顺丰速运"]
PDD_CASES = 60
PDD_CUTS = ((0, 25), (22, 47), (45, 60))  # rows of each part: 3 and 2 rows repeated at the cuts
PDD_NEWER = 45  # the case whose 售后状态 part 3 has newer than part 2
PDD_NEWER_STATE = "已发货，退款成功"


def pdd_case(i: int, state_override: str | None = None) -> list[object]:
    status, order_state = PDD_STATES[i % len(PDD_STATES)]
    status = state_override or status
    rtype = PDD_TYPES.get(status, "仅退款")
    applied = NOW - timedelta(hours=2 + i * 0.7, minutes=i % 17)
    shipped = order_state not in (None, "待发货")
    carrier = ["中通快递", "韵达快递", "圆通速递", "申通快递"][i % 4]
    back = rtype == "退货退款" and status != "已同意退货退款,待用户发货"
    ret_carrier = RETURN_CARRIERS[i % len(RETURN_CARRIERS)]
    amount = 19.9 + (i * 7.3) % 380
    raw = {
        "售后编号": mx.digits(f"imp-pdd-case-{i}", 11, "1"),
        "订单编号": f"2506{(i % 9) + 1:02d}-" + mx.digits(f"imp-pdd-order-{i}", 15, "6"),
        "商品名称": f"加厚保温杯 500ml {i % 7 + 1}号", "商品规格": "白色;500ml",
        "商品id": mx.digits(f"imp-pdd-goods-{i}", 11, "5"), "商家编码": "BWB-" + mx.digits(f"imp-pdd-sku-{i}", 4),
        "店铺名称": "某某家居旗舰店", "售后类型": rtype, "售后状态": status, "申请时间": mx.ts(applied),
        "售后原因": ["不喜欢、效果不好", "质量问题", "少件（含少配件）", "快递一直未送达"][i % 4],
        "售后描述": ["", "杯盖漏水，联系电话 138 0013 8" + f"{i:03d}", "", "收件人王小明说没收到"][i % 4],
        "申请退款金额": f"{amount:.2f}", "订单金额": f"{amount * 2 + 100:.2f}", "订单状态": order_state,
        "发货快递公司": carrier if shipped else None,
        "发货快递单号": mx.tracking(carrier, f"imp-pdd-ship-{i}") if shipped else None,
        "退货快递公司": ret_carrier if back else None,
        "退货快递单号": mx.tracking(ret_carrier, f"imp-pdd-ret-{i}") if back else None,
        "超时时间": mx.ts(applied + timedelta(hours=48)) if "退款成功" not in status and status != "买家撤销" else None,
    }
    return [raw.get(h) for h in mx.PDD_HEADERS]


def pdd_parts() -> list[list[list[object]]]:
    parts = []
    for n, (a, b) in enumerate(PDD_CUTS):
        rows = [pdd_case(i, PDD_NEWER_STATE if (n == 2 and i == PDD_NEWER) else None) for i in range(a, b)]
        table = [list(mx.PDD_HEADERS), *rows]
        if n == 0:
            table.insert(0, [mx.PDD_NOTICE])
        if n == 2:
            table += [[], [mx.PDD_NOTICE]]
        parts.append(table)
    return parts


# ----------------------------------------------------------------------------- 旺店通: parcels, repeats, lost digits

def wdt_table() -> list[list[object]]:
    base = {"店铺名称": "某某旗舰店(淘宝)", "处理状态": "待审核", "建单时间": mx.ts(NOW - timedelta(hours=5)),
            "发货状态": "已发货", "退款原因": "七天无理由", "类型": "退款"}

    def row(case, order, amount, carrier, number, **more):
        cells = dict(base, **{"退换单号": case, "原始单号": order, "退款金额": f"{amount:.2f}", "物流公司": carrier,
                              "物流单号": number}, **more)
        return [cells.get(h) for h in mx.WDT_HEADERS]

    o = [mx.digits(f"imp-wdt-order-{i}", 19, "4") for i in range(8)]
    t = [mx.tracking("中通快递", f"imp-wdt-ship-{i}") for i in range(10)]
    return [
        list(mx.WDT_HEADERS),
        row(None, o[0], 59.0, "中通快递", t[0], 备注="第一个包裹"),                 # 2: one order, two parcels,
        row(None, o[0], 59.0, "中通快递", t[1], 备注="第二个包裹"),                 # 3: no 退换单号: two rows
        row("TH202506100002", o[1], 88.0, "中通快递", t[2]),                      # 4: the same case twice,
        row("TH202506100002", o[1], 88.0, "中通快递", t[2]),                      # 5: identical: merged
        row("TH202506100003", o[2], 128.0, "中通快递", t[3]),                     # 6: the same case twice,
        row("TH202506100003", o[2], 218.0, "中通快递", t[3]),                     # 7: 退款金额 differs: conflict
        row("TH202506100004", o[3], 66.0, "中通快递", t[4]),                      # 8: one 退换单号,
        row("TH202506100004", o[4], 66.0, "中通快递", t[5]),                      # 9: two 原始单号: two rows
        row(None, "4.80299E+18", 45.0, "中通快递", None),                         # 10: lost digits, no other id:
        row(None, "4.80299E+18", 47.0, "中通快递", None),                         # 11: skipped, never merged
        row("TH202506100009", "4.80299E+18", 99.0, "中通快递", t[6]),            # 12: keyed by its 退换单号
        [],                                                                       # 13: blank
        ["合计", None, None, None, None, "596.00"],                               # 14: totals
    ]


# ----------------------------------------------------------------------------- 京东: free text

# (问题描述, personal bits that must not reach the book, the SOP reason word it reads as (None: free text))
JD_TEXTS = [
    ("收到的苹果全部腐烂了，联系电话13812345678", ["13812345678"], "腐烂变质"),
    # two reasons at once (质量问题 and a scratch, 小瑕疵): kept as free text, neither is assumed
    ("质量问题，屏幕有划痕。收件人：张伟，手机 139-0013-8001", ["张伟", "139-0013-8001"], None),
    ("少发了一个配件，请联系 +86 137 0000 1234", ["137 0000 1234"], "少发漏发"),
    ("商品与描述不符，收货地址：浙江省杭州市西湖区文三路99号3单元", ["文三路99号3单元"], "描述不符"),
    ("快递说放在门口了，我没看到，姓名李娜 电话 010-88881234", ["李娜", "010-88881234"], None),
    ("联系人王芳，住址北京市朝阳区建国路88号；东西不想要了", ["王芳", "建国路88号"], "不想要"),
    ("不是质量问题，就是颜色和图片不一样，手机号码15900001111", ["15900001111"], None),
    ("降价了，差价退一下，微信号 abc_12345678", ["abc_12345678", "12345678"], "降价"),
]


def jd_table() -> list[list[object]]:
    rows = [list(mx.JD_HEADERS)]
    for i, (text, _personal, _word) in enumerate(JD_TEXTS):
        applied = NOW - timedelta(hours=3 + i * 2)
        raw = {
            "服务单号": mx.digits(f"imp-jd-svc-{i}", 10, "8"), "申请单号": mx.digits(f"imp-jd-app-{i}", 9, "5"),
            "订单号": mx.digits(f"imp-jd-order-{i}", 12, "3"), "申请时间": mx.ts(applied),
            "客户期望": ["退货", "仅退款"][i % 2], "服务单状态": "待审核", "商品编号": mx.digits(f"imp-jd-sku-{i}", 12, "1"),
            "商品名称": f"生鲜水果礼盒 {i + 1}", "实付金额": 39.0 + i * 31, "问题描述": text,
            "客户姓名": ["赵敏", "孙丽", "周杰", "吴刚"][i % 4],
            "取件地址": ["广东省深圳市南山区科技园某某路8号", "四川省成都市武侯区某某街3号"][i % 2],
            "取件方式": "上门取件" if i % 2 == 0 else None,
        }
        rows.append([raw.get(h) for h in mx.JD_HEADERS])
    return rows


# What each file gives on import (tests/test_import_corpus.py reads this).
EXPECT = {
    "pdd_cases": PDD_CASES,
    "pdd_repeats": sum(max(0, PDD_CUTS[n - 1][1] - PDD_CUTS[n][0]) for n in range(1, len(PDD_CUTS))),
    "wdt_rows": 7,  # 2 parcels + 1 (identical) + 1 (conflict) + 2 (two 原始单号) + TH…0009; lost digits alone: none
    "wdt_skipped": {"订单号/售后单号被 Excel 丢掉了后几位（如 4.80299E+18），不能作为单号": 2, "空行": 1, "合计/说明行（不是售后单）": 1},
}


def main(out: Path = HERE) -> list[str]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, table, encoding in zip(PDD_FILES, pdd_parts(), ("utf-8-sig", "gbk", "utf-8-sig")):
        mx.write_csv(out / name, table, encoding)
    mx.write_csv(out / WDT_FILE, wdt_table(), "gbk")
    mx.write_xlsx(out / JD_FILE, jd_table(), "服务单")
    return list(FILES)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for written in main(target):
        print(written)
