"""`refund-xl import` of a big platform export: wall time and peak memory (contract §9: ≤ 1.5 GB at 400k rows).

    python -m benchmarks.import_bench                 # 400k rows, 千牛 GBK CSV, into a new book and the template
    python -m benchmarks.import_bench --rows 100000   # smaller
    python -m benchmarks.run ...                      # prints the same line in its section 5

The export is a 千牛 退款管理 export as the platform writes it (the 42 headers of
``tests/data/exports/make_exports.py``, GBK, ``="…"`` ids on some rows), with
distinct order / refund numbers, times and amounts per row, the platform's
status words, waybill cells ``<快递公司> <单号>：<轨迹>``, return parcels with
their courier, and a buyer's explanation now and then that carries a phone
number or an address (the kind of text import masks).  Deterministic per seed.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # `python benchmarks/import_bench.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2025, 6, 10, 12, 0)
TARGET_MB = 1536.0
DEFAULT_ROWS = 400_000


def _taobao_headers() -> list[str]:
    """The 42 headers of the 千牛 export, from the corpus generator (one place for platform facts)."""
    spec = importlib.util.spec_from_file_location("make_exports", ROOT / "tests" / "data" / "exports" / "make_exports.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_exports", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return list(module.TAOBAO_HEADERS)


STATES = [("买家已经申请退款，等待卖家同意", 45), ("卖家已经同意退款，等待买家退货", 10),
          ("买家已经退货，等待卖家确认收货", 8), ("退款关闭", 12), ("退款成功", 25)]
TRACES = ["【武汉市】快件已到达 武汉转运中心，正发往下一站", "已签收，签收人：门卫", "商家已发货，包裹等待揽收",
          "【杭州市】快件已从 杭州中转场 发出，运输中", "【成都市】快件已发往 成都转运中心"]
CARRIERS = ["中通快递", "圆通速递", "韵达快递", "申通快递", "顺丰速运", "极兔速递"]
REASONS = ["七天无理由退换货", "质量问题", "少件/漏发", "未按约定时间发货", "描述不符", "效果不好/不喜欢"]
NOTES = ["", "", "", "不想要了", "电话13812345678联系我", "收货地址：浙江省杭州市西湖区文三路99号，东西坏了",
         "联系人王小明 138-0013-8000", "发错颜色了"]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    x = rng.randrange(sum(w for _v, w in weighted))
    for value, w in weighted:
        if x < w:
            return value
        x -= w
    return weighted[-1][0]  # pragma: no cover


def export_rows(n: int, seed: int = 20250610):
    """The data rows of an ``n``-row 千牛 export (a generator: nothing held)."""
    headers = _taobao_headers()
    col = {h: i for i, h in enumerate(headers)}
    rng = random.Random(seed)
    for i in range(n):
        row = [""] * len(headers)

        def put(h: str, v: object, row: list[object] = row) -> None:
            row[col[h]] = v

        order = str(4 * 10**18 + rng.randrange(10**18))
        refund = str(2 * 10**14 + i)
        applied = NOW - timedelta(minutes=rng.randrange(10, 60 * 24 * 20), seconds=rng.randrange(60))
        state = _pick(rng, STATES)
        amount = round(rng.uniform(5, 1500), 2)
        put("订单编号", f'="{order}"' if i % 3 == 0 else order)
        put("退款编号", refund)
        put("支付宝交易号", "2025" + str(rng.randrange(10**23, 10**24)))
        put("订单付款时间", (applied - timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S"))
        put("商品编码", f"SKU-{rng.randrange(10**6):06d}")
        put("买家实际支付金额", f"{amount + 12:.2f}")
        put("宝贝标题", f"夏季纯棉短袖T恤 款{rng.randrange(1, 500)}")
        put("买家退款金额", f"{amount:.2f}")
        goods_back = rng.random() < 0.3
        put("是否需要退货", "是" if goods_back else "否")
        put("退款的申请时间", applied.strftime("%Y-%m-%d %H:%M:%S"))
        if state not in ("退款关闭", "退款成功"):
            put("超时时间", (applied + timedelta(hours=120)).strftime("%Y-%m-%d %H:%M:%S"))
        put("退款状态", state)
        put("货物状态", rng.choice(["买家未收到货", "买家已收到货", "买家已退货"]))
        if rng.random() < 0.7:
            carrier = rng.choice(CARRIERS)
            number = ("SF" if carrier == "顺丰速运" else "75") + str(rng.randrange(10**11, 10**12))
            put("发货物流信息", f"{carrier} {number}：{rng.choice(TRACES)}")
        if goods_back and rng.random() < 0.6:
            put("退货物流单号", "YT" + str(rng.randrange(10**12, 10**13)))
            put("退货物流公司", "圆通速递")
            put("退货物流信息", "圆通速递 " + row[col["退货物流单号"]] + "：【义乌市】快件已揽收")
        put("客服介入状态", "客服未介入")
        put("卖家真实姓名", "杭州某某服饰有限公司")
        put("卖家退货地址", "浙江省杭州市余杭区仓前街道某某路1号 售后组")
        put("卖家电话", "0571-8888" + f"{rng.randrange(10**4):04d}")
        put("卖家手机", "1380000" + f"{rng.randrange(10**4):04d}")
        put("买家退款原因", rng.choice(REASONS))
        put("买家退款说明", rng.choice(NOTES))
        put("售中或售后", "售中")
        put("部分退款/全部退款", "全部退款")
        yield row


def write_export(path: Path, n: int, seed: int = 20250610) -> Path:
    with open(path, "w", encoding="gbk", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(_taobao_headers())
        out.writerows(export_rows(n, seed))
    return path


def bench_import(n: int, workdir: Path) -> list[list[str]]:
    """`refund-xl import` of an ``n``-row export into a new book, and into the template (its 售后登记 grows
    by ``n`` rows): one table row of text cells each."""
    import shutil

    from benchmarks.run import cli, run_measured

    src = write_export(workdir / f"淘宝退款_{n}.csv", n)
    template = workdir / f"售后助手_{n}.xlsm"
    shutil.copy(ROOT / "workbook_template.xlsm", template)
    out = []
    for label, book in (("into a new book", workdir / f"import_{n}.xlsx"), ("into the template", template)):
        wall, mb, rc, err = run_measured([*cli(), "import", str(src), "--into", str(book), "--now",
                                          NOW.strftime("%Y-%m-%dT%H:%M")], workdir)
        ok = rc == 0 and mb <= TARGET_MB
        out.append([f"refund-xl import {label} (千牛 CSV, {src.stat().st_size / 1e6:.0f} MB)", f"{n:,}",
                    f"{wall:.1f} s", f"{mb:.0f} MB", str(rc), "ok" if ok else ("FAILED: " + err if rc else "OVER")])
    return out


def print_import(n: int) -> None:
    from benchmarks.run import table

    with tempfile.TemporaryDirectory(prefix="refund-xl-import-") as tmp:
        rows = bench_import(n, Path(tmp))
    print(table(["command", "rows", "wall time", "peak RSS", "exit", f"≤{TARGET_MB / 1024:g} GB"], rows))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.import_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"rows of the export (default {DEFAULT_ROWS:,})")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    print_import(args.rows)
    print(f"(export written and imported in {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
