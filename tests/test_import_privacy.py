"""Personal data in free text never reaches the book (contract §7 import; issue 19 "import copies personal data").

Derived from the rule, not from examples: hypothesis writes free text out of the
words the SOP reads, filler, phone numbers in the forms buyers type them
(plain, grouped by spaces or dashes, +86, landlines) and names / addresses after
the markers (电话, 手机, 地址, 收件人 and their variants), and checks that

* no run of 7 or more digits is left, and nothing of what follows a marker;
* the masked text reads as the original did, for the free-text field (退货原因)
  and for the fields whose unreadable cells are written raw (物流状态 …);
* end to end: a GBK export carrying such text, imported, leaves nothing of it
  in the book, in `evaluate`'s outputs, in the backup, in 运行日志 or on screen.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from refund_xl._app import masking
from refund_xl._app.masking import MARKERS, long_digits, mask_field
from refund_xl._core import phrases, vocab
from refund_xl._core.fields import FIELD_BY_KEY
from refund_xl._files import files
from refund_xl.cli import main

from import_helpers import corpus

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"
NOW = "2025-06-10T12:00"

# ------------------------------------------------------------------ the family of free text

READ_FIELDS = ("reason", "logistics", "intercept", "case_state", "customer_says", "return_logistics")


def _words_of(key: str) -> set[str]:
    book = FIELD_BY_KEY[key].parse.words   # the field's wordbook entry: exact texts and the grammar's stems
    return set(book.exact) | set(book.canonical) | set(book.grammar.stems if book.grammar else ())


SOP_WORDS = sorted(set().union(*(_words_of(k) for k in READ_FIELDS)))
FILLER = list("的了我是在有这个们来到时为中你说生年着就那和要她出也得里后以会家下过天去对多然于心学么之都看起当只"
              "东西颜色图片一样坏掉收到快递门口没看见不未无非别否还尚")
SEPARATORS = list("，,；;。、/|") + ["\n"]
# What follows a marker: names and addresses, from characters no reader looks for (so that none of it is
# a word the SOP reads, a negation or a doubt — those are kept on purpose).
_HELD = (set("".join(SOP_WORDS)) | {ch for words in phrases.PRE.values() for w in words for ch in w}
         | {ch for words in phrases.POST.values() for w in words for ch in w} | set("确定待认核实可能好像也许大概?？"))
_PERSONAL = [ch for ch in "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
             "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅省市区县镇乡村路街巷弄号栋单元室楼层"
             "北京上海广州深圳杭州成都武汉西安南昌福建湖朝阳海淀浦东天河余杭文三建国人民中山解放"
           if ch not in _HELD]


def phones() -> st.SearchStrategy[str]:
    digit = st.sampled_from("0123456789")
    mobile = st.builds(lambda a, b: "1" + a + "".join(b), st.sampled_from("3456789"), st.lists(digit, min_size=9, max_size=9))

    def grouped(number: str, seps: list[str], plus: bool, wide: bool) -> str:
        text = number[:3] + seps[0] + number[3:7] + seps[1] + number[7:]
        if wide:  # typed with full-width digits (１３８…)
            text = text.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
        return ("+86" + seps[0] if plus else "") + text

    # what buyers put between the groups: spaces, dashes, line breaks, dots — and mixed ones
    sep = st.sampled_from(GROUP_SEPARATORS)
    landline = st.builds(lambda a, s, b: "0" + "".join(a) + s + "".join(b), st.lists(digit, min_size=2, max_size=3),
                         st.sampled_from(["-", " ", ".", "\n"]), st.lists(digit, min_size=7, max_size=8))
    return st.one_of(mobile, st.builds(grouped, mobile, st.lists(sep, min_size=2, max_size=2), st.booleans(), st.booleans()),
                     landline, st.builds(lambda a: "".join(a), st.lists(digit, min_size=7, max_size=22)))


GROUP_SEPARATORS = [" ", "-", "", "  ", ".", "\n", "\r\n", " - ", ". ", "-\n", "\u2014", "\t"]


personal = st.text(alphabet=_PERSONAL, min_size=2, max_size=14)
lead = st.sampled_from(["", "：", ":", " ", "是", "为", "= "])


@st.composite
def free_text(draw) -> tuple[str, list[str]]:
    """A buyer's sentence and the personal bits it carries (each ended by a separator or the text's end)."""
    parts: list[str] = []
    secrets: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["word", "filler", "phone", "marker", "sep", "space"]))
        if kind == "word":
            parts.append(draw(st.sampled_from(SOP_WORDS)))
        elif kind == "filler":
            parts.append("".join(draw(st.lists(st.sampled_from(FILLER), min_size=1, max_size=6))))
        elif kind == "phone":
            number = draw(phones())
            parts.append(number)
            secrets.append(number)
        elif kind == "marker":
            bit = draw(personal)
            parts.append(draw(st.sampled_from(MARKERS)) + draw(lead) + bit + draw(st.sampled_from(SEPARATORS)))
            secrets.append(bit)
        elif kind == "sep":
            parts.append(draw(st.sampled_from(SEPARATORS)))
        else:
            parts.append(" ")
    return "".join(parts), secrets


RELAXED = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------ the rule, as properties

@RELAXED
@given(free_text(), st.sampled_from(READ_FIELDS + ("goods_name", "carrier", None)))
def test_no_seven_digits_and_nothing_after_a_marker_survives(sample, key):
    text, secrets = sample
    out = mask_field(key, text)
    assert not long_digits(out), (text, out)
    for secret in secrets:
        if key not in masking.NAME_KEYS or long_digits(secret):  # (a name: its digit runs only)
            assert secret not in out, (text, secret, out)


@RELAXED
@given(st.text(max_size=60))
def test_any_text_loses_its_long_digit_runs_and_keeps_the_rest_when_clean(text):
    out = masking.mask(text)
    assert not long_digits(out)
    norm = vocab.fold(text)
    if not long_digits(norm) and not re.search("|".join(map(re.escape, MARKERS)), norm, re.I):
        assert out == vocab.nfkc(text)  # (NFKC, the characters that show nothing taken out)


@RELAXED
@given(free_text(), st.sampled_from(READ_FIELDS))
def test_the_masked_text_reads_as_the_original(sample, key):
    """The words the SOP reads survive: a reader gives the masked text the original's reading —
    the same word, or for free text (退货原因) free text again, or unreadable again."""
    text, _secrets = sample
    parse = FIELD_BY_KEY[key].parse
    before, after = parse(text), parse(mask_field(key, text))
    fld = FIELD_BY_KEY[key]
    if before is vocab.BAD or before is None:
        assert after is before or (after is vocab.BAD and before is vocab.BAD), (text, mask_field(key, text))
    elif before in fld.choices:
        assert after == before, (text, mask_field(key, text), before, after)
    else:  # free text stays free text
        assert after not in fld.choices and after is not vocab.BAD, (text, mask_field(key, text), after)


def test_the_sop_words_of_the_issue_survive():
    for text, word in (("收到的苹果腐烂了，电话13812345678", "腐烂变质"), ("收件人张三说水果腐烂", "腐烂变质"),
                       ("地址：北京市朝阳区建国路88号 质量问题", "质量问题"), ("联系人王芳 少发了一件", "少发漏发")):
        out = mask_field("reason", text)
        assert FIELD_BY_KEY["reason"].parse(out) == word, out
        assert "13812345678" not in out and "建国路" not in out and "王芳" not in out and "张三" not in out


def test_ids_are_never_masked():
    for key in ("order_id", "case_id", "tracking_no", "return_tracking_no"):
        assert mask_field(key, "4242994886263078938") == "4242994886263078938"


# ------------------------------------------------------------------ end to end: a GBK export

HEAD = ["售后编号", "订单编号", "商品名称", "商品规格", "商品id", "商家编码", "店铺名称", "售后类型", "售后状态", "申请时间",
        "售后原因", "售后描述", "申请退款金额", "订单金额", "订单状态", "发货快递公司", "发货快递单号", "退货快递公司",
        "退货快递单号", "超时时间"]


def _export_rows(texts: list[str]) -> list[list[str]]:
    rows = []
    for i, text in enumerate(texts):
        rows.append([f"9{i:010d}", f"250610-66{i:013d}", f"保温杯 {i}号", "白色", "5" + "0" * 10, "B-1", "某某家居旗舰店",
                     "退货退款", "退货退款，待商家处理", "2025-06-09 10:00", text, "", "59.00", "300.00", "已签收",
                     "中通快递", f"7523{i:011d}", "圆通速递", f"YT88{i:010d}", "2025-06-11 10:00"])
    return rows


def _everything_written(folder: Path) -> str:
    """Every text a run left in ``folder``: the cells of each workbook and CSV (books, outputs, backups)."""
    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".xlsx":
            for name, rows in files.read_sheets(path).items():
                out.append(f"[{path.name}:{name}]")
                out.extend(str(v) for r in rows for v in r if v is not None)
            with zipfile.ZipFile(path) as z:  # and the raw XML, in case a reader skips a part
                out.extend(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        elif path.suffix == ".csv" and path.name.startswith(("ev", "book")):
            out.append(path.read_text(encoding="utf-8-sig"))
    return "\n".join(out)


# Columns of the book, evaluate's output and 运行日志 that hold text (not ids, times or amounts).
TEXT_COLUMNS = ("退货原因", "商品名称", "快递公司", "退货快递公司", "平台", "物流状态", "售后状态", "action", "why",
                "导入结果", "读取情况")


def _non_id_cells(book: Path) -> list[str]:
    rows = files.read_sheets(book)["售后登记"]
    head = rows[0]
    skip = {head.index(h) for h in ("订单号", "售后单号", "物流单号", "退货物流单号", "收件人手机") if h in head}
    return [v for r in rows[1:] for c, v in enumerate(r) if c not in skip and isinstance(v, str)]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(free_text(), min_size=3, max_size=8))
def test_an_imported_export_leaves_no_personal_data_anywhere(tmp_path_factory, samples):
    folder = tmp_path_factory.mktemp("privacy")
    texts = [t.replace("\n", " ") for t, _s in samples]
    secrets = [s for _t, ss in samples for s in ss]
    export = folder / "拼多多售后_0610.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows([HEAD, *_export_rows(texts)])
    export.write_bytes(buf.getvalue().encode("gb18030"))
    book = folder / "book.xlsx"
    assert main(["import", str(export), "--into", str(book), "--now", NOW]) == 0
    assert main(["import", str(export), "--into", str(book), "--now", NOW]) == 0  # a backup of the first result
    assert list(folder.glob("book.bak-*.xlsx"))
    assert main(["evaluate", str(book), "--out", str(folder / "ev.xlsx"), "--now", NOW]) == 0
    assert main(["evaluate", str(book), "--out", str(folder / "ev.csv"), "--now", NOW]) == 0
    export.unlink()  # the export itself holds the data, of course
    written = _everything_written(folder)
    for cell in _non_id_cells(book):
        assert not long_digits(cell), cell
    for secret in secrets:
        if not secret.isdigit():  # a name, an address, a number typed with spaces or dashes
            assert secret not in written, secret
    ev = files.read_sheets(folder / "ev.csv")
    for rows in (ev[next(iter(ev))], files.read_sheets(book)["运行日志"]):
        head = rows[0]
        for r in rows[1:]:
            for h, v in zip(head, r):
                if isinstance(v, str) and h in TEXT_COLUMNS:
                    assert not long_digits(v), (h, v)


def test_jd_problem_descriptions_are_masked_and_read_as_before(tmp_path, capsys):
    """The corpus file: JD 问题描述 with phones, names and addresses (tests/data/exports/README.md)."""
    mi = corpus()

    book = tmp_path / "book.xlsx"
    assert main(["import", str(EXPORTS / mi.JD_FILE), "--into", str(book), "--now", NOW]) == 0
    printed = capsys.readouterr().out
    assert main(["evaluate", str(book), "--out", str(tmp_path / "ev.csv"), "--now", NOW]) == 0
    assert main(["evaluate", str(EXPORTS / mi.JD_FILE), "--out", str(tmp_path / "raw.csv"), "--now", NOW]) == 0
    rows = files.read_sheets(book)["售后登记"]
    head = rows[0]
    text = _everything_written(tmp_path) + printed
    for _desc, personal, _word in mi.JD_TEXTS:
        for bit in personal:
            assert bit not in text, bit
    for name in ("赵敏", "孙丽", "周杰", "吴刚", "科技园某某路8号"):  # 客户姓名, 取件地址
        assert name not in text
    reasons = [r[head.index("退货原因")] for r in rows[1:]]
    assert [FIELD_BY_KEY["reason"].parse(r) if r else None for r in reasons] == [
        w if w else FIELD_BY_KEY["reason"].parse(mask_field("reason", d)) for d, _p, w in mi.JD_TEXTS]
    assert sorted({r[head.index("收货省份")] for r in rows[1:]}) == ["四川", "广东"]

    def decisions(path):
        with open(path, encoding="utf-8-sig") as fh:
            return {r["订单号"]: (r["action_code"], r["loss_risk"]) for r in csv.DictReader(fh)}

    assert decisions(tmp_path / "ev.csv") == decisions(tmp_path / "raw.csv")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(MARKERS), st.sampled_from(["不全", "不详", "有误", "错误", "无人接听", "未填", "没留", "空号", "打不通"]),
       st.sampled_from(["", "7天无理由", "，已退回", "，派送失败", "，拦截失败", "质量问题"]), st.sampled_from(READ_FIELDS))
def test_a_word_said_of_a_marker_is_kept_and_the_text_reads_as_before(marker, said, rest, key):
    """退货原因「地址不全7天无理由」, 物流状态「电话无人接听，派送失败」: what follows 地址 / 电话 says something of it, it
    gives no address or number — kept, so the text reads as it did (masking 不全 away turned a doubtful reason into
    不想要); what gives one (地址：杭州市…) is still masked."""
    text = marker + said + rest
    out = mask_field(key, text)
    assert said in out, (text, out)
    parse = FIELD_BY_KEY[key].parse
    assert parse(out) == parse(text), (key, text, out)
    assert "杭州" not in mask_field(key, marker + "：杭州市西湖区文三路" + rest), marker


# ------------------------------------------------------------------ dates and times are no personal data

@st.composite
def stamps(draw) -> str:
    """A date or a time of day as traces and buyers write them (the readers' ◷)."""
    y, mo, d = draw(st.integers(2020, 2030)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    h, mi, s = draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    return draw(st.sampled_from([f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}", f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}",
                                 f"{y}/{mo}/{d} {h}:{mi:02d}", f"{y}-{mo:02d}-{d:02d}", f"{y}.{mo}.{d}", f"{y}年{mo}月{d}日",
                                 f"{mo}月{d}日", f"{mo}月{d}日 {h:02d}:{mi:02d}", f"{h:02d}:{mi:02d}:{s:02d}", f"{h}点"]))


@RELAXED
@given(st.lists(st.one_of(stamps().map(lambda t: ("stamp", t)), phones().map(lambda t: ("phone", t)),
                          st.sampled_from(["快件派送不成功", "已签收", "运输中", "，", " ", "质量问题"]).map(lambda t: ("word", t))),
                min_size=1, max_size=6),
       st.sampled_from(READ_FIELDS + (None,)))
def test_dates_and_times_are_kept_whole_and_phone_numbers_beside_them_are_not(parts, key):
    """A trace's `2025-06-09 09:00:00` came out as `＊ ＊:00:00`: a date is digits, not a phone number."""
    text = " ".join(t for _k, t in parts)  # (a date and a phone run together would be one number)
    out = mask_field(key, text)
    rest = out
    for kind, t in parts:
        if kind == "stamp":
            assert t in rest, (text, t, out)
            rest = rest.replace(t, " ", 1)
    assert not long_digits(rest), (text, out)
    for kind, t in parts:
        if kind == "phone":
            assert t not in out, (text, t, out)


def test_an_unreadable_trace_is_written_whole_with_its_time_and_without_personal_data():
    """The red team's 千牛 row: its 发货物流信息 read for 物流状态 came into the book as `＊ ＊:00:00 快件派...`."""
    from refund_xl._app import intake

    head = ["订单编号", "退款编号", "宝贝标题", "买家退款金额", "是否需要退货", "退款的申请时间", "超时时间", "退款状态", "货物状态",
            "发货物流信息"]
    traces = ["2025-06-09 09:00:00 快件派送不成功(收件人要求改天派送)",
              "2025-06-09 09:00:00 快件在【杭州转运中心】滞留待处理，联系电话 0571-88886666，派件员：王师傅 13512345678",
              "06-09 21:15 包裹因天气原因延误，预计明日送达，如有疑问请致电 95311，签收人：张三",
              "2025/06/09 09:00 快件异常已登记，请收件人李四（13812345678）补充地址后再安排派送"]
    rows = [[f"4242994886263{n:05d}8", f"178234567890{n:05d}9", "T恤", "59.00", "否", "2025-06-08 10:00:00",
             "2025-06-13 10:00:00", "买家已经申请退款，等待卖家同意", "买家已收到货", f"顺丰速运 SF14000123456{n:02d}：{t}"]
            for n, t in enumerate(traces)]
    read = intake.read_export("x.csv", [head, *rows])
    for case, trace in zip(read.cases, traces):
        got = case.raw_bad.get("logistics") if case.raw_bad else case.get("logistics")
        if not case.raw_bad:
            continue  # (a trace the reader reads is written as its word)
        assert got == mask_field("logistics", trace), (got, trace)  # whole: not cut to a quote's length
        assert got.startswith(trace.split(" 快件")[0].split(" 包裹")[0]) and "…" not in got and "..." not in got
        for secret in ("13512345678", "13812345678", "88886666", "张三", "李四"):
            assert secret not in got, (secret, got)
    assert any(c.raw_bad for c in read.cases)


# ------------------------------------------------------------------ a bare name beside a phone number

NAMES = ["张三", "李四", "王小明", "赵敏", "欧阳娜娜", "陈静", "刘洋", "孙丽", "周杰", "黄涛"]
ORDINARY = ["要求退货", "客户", "快递员", "买家", "顾客", "谢谢", "师傅", "本人", "尽快", "联系", "回电", "马上", "方便", "质量问题",
            "周末", "白天", "不在家", "已签收", "未收到", "运输中", "金额", "毛病"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NAMES), st.sampled_from(["13812345678", "138 1234 5678", "+86 138-1234-5678", "0571-88886666"]),
       st.sampled_from(["", " ", "：", "，", "  "]), st.booleans(), st.sampled_from(["", "要求退货", "，东西坏了", " 快点处理"]),
       st.sampled_from(READ_FIELDS + (None,)))
def test_a_bare_name_right_before_or_after_a_phone_number_is_masked(name, phone, sep, after, rest, key):
    """JD 问题描述 `张三 13812345678 要求退货 微信…` kept 张三: a name with no marker before it."""
    text = (f"{phone}{sep}{name} {rest}" if after else f"{name}{sep}{phone} {rest}").strip()
    out = mask_field(key, text)
    assert name not in out and "1234" not in out and "8888" not in out, (text, out)
    for word in ("要求退货", "东西坏了", "快点处理"):
        if word in text:
            assert word in out, (text, out)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ORDINARY), st.sampled_from(["13812345678", "138 1234 5678", "0571-88886666"]),
       st.sampled_from(["", " ", "：", "，"]), st.booleans(), st.sampled_from(READ_FIELDS + (None,)))
def test_an_ordinary_word_beside_a_phone_number_is_kept(word, phone, sep, after, key):
    text = f"{phone}{sep}{word}" if after else f"{word}{sep}{phone}"
    out = mask_field(key, text)
    assert word in out and "1234" not in out and "8888" not in out, (text, out)


def test_the_jd_problem_description_of_the_red_team():
    out = mask_field("reason", "张三 13812345678 要求退货 微信zhangsan_88")
    assert "张三" not in out and "13812345678" not in out and "zhangsan" not in out and "要求退货" in out, out


# ------------------------------------------------------------------ the reading report's quotes (cut with …)

# Personal data in the shapes it is typed: (the text, the bits of it that must not be shown).
PII_SHAPES = [("13840040005", ["13840040005"]), ("138 4004 0005", ["4004", "0005"]), ("+86-138-4004-0005", ["4004", "0005"]),
              ("0571-88886666", ["88886666", "8888"]), ("11010519491231002X", ["1101051949", "1231002"]),
              ("电话：13840040005", ["13840040005"]), ("收件人：张无忌", ["张无忌"]),
              ("地址：成都市锦江区春熙路5号", ["成都", "锦江", "春熙路"]), ("联系人王小明 13840040005", ["王小明"])]
# Fields whose unreadable cells a report quotes (words read out of free text a desk or an export typed).
QUOTED_FIELDS = {"物流状态": "logistics", "售后状态": "case_state", "退货物流状态": "return_logistics", "拦截状态": "intercept"}
_QUOTE_FILL = "请帮忙处理一下快递的事情麻烦了朋友们好的谢谢啦再见"


def _report_quotes(report: str) -> str:
    return "".join(re.findall("「([^」]*)」", "\n".join(line for line in report.splitlines() if "：「" in line)))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PII_SHAPES), st.integers(0, 30), st.integers(0, 12), st.sampled_from(sorted(QUOTED_FIELDS)))
def test_a_quote_cut_short_in_the_reading_report_hides_personal_data_wherever_it_is_cut(shape, before, after, header):
    """An unreadable value quoted in the import's report is cut to 24 characters with …: a long one was quoted
    unmasked (`请联系13840040005后再派送给我谢谢啦…`).  Hidden in the whole text first, then cut — at every length
    and every place the cut falls (before, in or after the number, the name, the address)."""
    from refund_xl._app import intake

    text, secrets = shape
    value = _QUOTE_FILL[:before] + text + _QUOTE_FILL[:after]
    head = ["订单号", "售后类型", "退款金额", "发货状态", header]
    read = intake.read_export("x.csv", [head, ["5300000001", "仅退款", "30", "已发货", value]])
    quotes = _report_quotes(read.report)
    for secret in secrets:
        for n in range(4, len(secret) + 1):  # (no piece of it either: 4 digits of a number cut in two)
            for a in range(len(secret) - n + 1):
                piece = secret[a:a + n]
                if piece.isdigit() or len(piece) >= 2 and not piece.isdigit():
                    assert piece not in quotes, (value, piece, read.report)
    assert not re.search(r"\d{4}", quotes), (value, read.report)


def test_two_columns_quoted_together_hide_personal_data_before_the_cut():
    """物流状态 and 物流信息 saying two words: both cells quoted in the report (and written into the book) — each
    hidden whole before it is cut, as a single cell's quote."""
    from refund_xl._app import intake

    trace = "【成都市】快件已被签收，签收人：张三丰，如有疑问请联系派件员13812345678"
    head = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态", "物流信息"]
    for own, other in ((trace, "运输中"), ("运输中", trace)):
        read = intake.read_export("x.csv", [head, ["5300000001", "仅退款", "30", "已发货", own, other]])
        written = str((read.cases[0].raw_bad or {}).get("logistics", ""))
        for shown in (read.report, written):
            assert "张三丰" not in shown and "1381" not in shown, (own, other, shown)
        assert "两列说法不一致" in read.report and "签收" in _report_quotes(read.report), read.report


# ------------------------------------------------------------------ a number typed in groups; amounts, dates, times

@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["138", "0571", "+86 138", "１３８"]), st.lists(st.sampled_from(GROUP_SEPARATORS[:-1]), min_size=2,
       max_size=2), st.sampled_from(["我的号码是", "有事打", "", "退货了 "]), st.sampled_from(["", " 随时打", "，谢谢", "\n质量问题"]),
       st.sampled_from(READ_FIELDS + (None,)))
def test_a_phone_number_in_groups_is_masked_whatever_stands_between_the_groups(head, seps, before, after, key):
    """138⏎1001⏎0012 and 138.1001.0015 reached the book: the groups of a number, one separator or mixed ones
    (spaces, dashes, line breaks, dots) between them, are one run of its digits (contract §7: 7 digits or more)."""
    text = f"{before}{head}{seps[0]}1001{seps[1]}0012{after}"
    out = mask_field(key, text)
    assert "1001" not in out and "0012" not in out and not long_digits(out), (text, out)
    for word in ("随时打", "谢谢", "质量问题", "我的号码是"):
        if word in text:
            assert word in out, (text, out)


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 999_999), st.integers(0, 99), st.sampled_from(["¥{a:,}.{c:02d}", "{a}.{c:02d}元", "退款{a}.{c:02d}",
       "{a:,}.{c:02d} 元", "共{a}.{c}元"]), st.sampled_from(["2025-06-08 10:00", "2025.6.8", "2025.06.08", "6.8", "10:00", ""]),
       st.sampled_from(READ_FIELDS + (None,)))
def test_an_amount_a_date_and_a_time_are_no_phone_number(amount, cents, form, stamp, key):
    """A number in groups is masked — an amount (¥1,299.00, 12345.67元) and a date or time (2025.6.8,
    2025-06-08 10:00) beside it are not: a decimal's .00 and a date's .6.8 join no groups."""
    text = f"{form.format(a=amount, c=cents)} {stamp}".strip()
    assert mask_field(key, text) == vocab.nfkc(text)


# ------------------------------------------------------------------ a name is no free text

_GOODS = ["手机壳", "手机支架,桌面款", "华为手机 Mate60 Pro 12+256G", "儿童电话手表 4G", "地址标签贴纸 100张", "收件人信息打印纸",
          "微信支付贴纸", "QQ公仔", "姓名贴 100枚", "联系人卡片", "座机电话 家用", "名字刺绣毛巾", "快递面单打印机"]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(MARKERS), st.sampled_from(["", "壳", "支架", "贴纸", "打印纸", " 桌面款", "手表 4G", " Pro 12+256G"]),
       st.sampled_from(["", "华为", "儿童", "新款 "]), st.sampled_from(sorted(masking.NAME_KEYS)))
def test_a_name_is_kept_as_written_whatever_marker_word_is_in_it(marker, tail, head, key):
    """商品名称「手机壳」came into the book as 手机＊: a product's, a platform's or a carrier's name is no free text
    (contract §7 masks 退货原因, 问题描述, 买家留言) — kept as written, a marker word in it is part of the name."""
    name = head + marker + tail
    assert mask_field(key, name) == vocab.nfkc(name)
    assert "13812345678" not in mask_field(key, name + " 13812345678")  # (a phone number is still no name)


def test_product_names_are_imported_as_written(tmp_path):
    texts = ["质量问题"] * len(_GOODS)
    rows = _export_rows(texts)
    for row, goods in zip(rows, _GOODS):
        row[HEAD.index("商品名称")] = goods
    rows[0][HEAD.index("商品名称")] = "手机壳 客服13812345678"
    export = tmp_path / "拼多多售后_0610.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows([HEAD, *rows])
    export.write_bytes(buf.getvalue().encode("gb18030"))
    book = tmp_path / "book.xlsx"
    assert main(["import", str(export), "--into", str(book), "--now", NOW]) == 0
    got = files.read_sheets(book)["售后登记"]
    names = [r[got[0].index("商品名称")] for r in got[1:]]
    assert names == ["手机壳 客服＊", *(vocab.nfkc(g) for g in _GOODS[1:])]


# ------------------------------------------------------------------ what went wrong with an address is no address

ADDRESS_MARKERS = ["地址", "收货地址", "收件地址", "详细地址", "住址"]
ADDRESS_TALK = ["写错了", "填错了", "弄错了", "选错了", "有误", "不对", "不全", "错了", "变更了", "修改了", "太远了", "要改一下",
                "填的不对", "更改一下"]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ADDRESS_MARKERS), st.sampled_from(ADDRESS_TALK), st.sampled_from(["", " "]),
       st.sampled_from(["", "，重新拍", "，麻烦改一下", "7天无理由", "，不想要了", "，质量问题"]), st.sampled_from(READ_FIELDS))
def test_what_went_wrong_with_an_address_is_kept(marker, talk, space, rest, key):
    """退货原因「地址写错了，重新拍」came into the book as 地址＊: words that say what went wrong with the address
    (写错, 有误, 不对, 改 …) give no address — kept, and the text reads as it did."""
    text = marker + space + talk + rest
    out = mask_field(key, text)
    assert out == vocab.nfkc(text), (text, out)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ADDRESS_MARKERS), st.sampled_from(["：", ":", "是", "为", "", " ", "在", "改到"]),
       st.sampled_from(["杭州市西湖区文三路", "浙江杭州西湖", "文三路88号", "翠苑小区3栋", "杭州西湖翠苑", "广东深圳南山"]),
       st.sampled_from(["", "，重新拍", "，地址写错了"]), st.sampled_from(READ_FIELDS))
def test_an_address_after_its_marker_is_still_masked(marker, lead, place, rest, key):
    text = marker + lead + place + rest
    out = mask_field(key, text)
    for bit in ("杭州", "文三", "翠苑", "深圳", "西湖"):
        if bit in place:
            assert bit not in out, (text, out)


# ------------------------------------------------------------------ an address in a trace's brackets, in a quote

ROADS = ["世纪大道", "文三路", "春熙路", "南京西路", "翠苑", "阳光花园", "幸福里"]
ADDRESS_NUMBERS = ["100号", "88 号", "3栋", "2单元", "1201室", "5弄", "12幢", "3号楼", "7层"]
ESTATES = ["", "XX小区", "阳光花园", "翠苑新村", "金地公寓"]
BRACKETS = ["【{}】", "[{}]", "〖{}〗"]
ADDRESS_TRACES = ["{t} 快件已到达{a}驿站，联系电话 021-68881234", "{t} {a}快递员正在派件，请保持电话畅通？",
                  "{t} 快件已存放至{a}，请凭取件码及时取件", "{t} 到达{a} 派件中或已签收"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["上海浦东新区", "杭州市西湖区", ""]), st.sampled_from(ROADS), st.sampled_from(ADDRESS_NUMBERS),
       st.sampled_from(ESTATES), st.sampled_from(ADDRESS_NUMBERS), st.sampled_from(BRACKETS),
       st.sampled_from(ADDRESS_TRACES), st.sampled_from(["logistics", "return_logistics", "case_state", None]))
def test_an_address_in_a_traces_brackets_is_hidden_in_its_quote(area, road, number, estate, unit, bracket, trace, key):
    """A trace's quote is up to 48 characters (engine.TRACE_QUOTE_WIDTH): long enough to show the address a courier
    names its station by (快件已到达【上海浦东新区世纪大道100号XX小区3栋】驿站).  In a masked report the address in
    brackets is hidden, as a phone number is; what the trace says stays."""
    from refund_xl._core import engine

    address = area + road + number + estate + unit
    text = trace.format(t="2025-06-09 14:22:00", a=bracket.format(address))
    quoted = str(masking.mask_quote(key, engine._typed(text)))
    for bit in (road, number.replace(" ", ""), unit.replace(" ", ""), estate, area):
        assert not bit or bit not in quoted.replace(" ", ""), (text, quoted)
    assert "06-09 14:22" in quoted, quoted


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["上海转运中心", "杭州市", "上海市浦东新区", "菜鸟驿站", "顺丰速运", "06-10 09:00", "6月10号 09:00"]),
       st.sampled_from(BRACKETS), st.sampled_from(["logistics", "return_logistics"]))
def test_a_station_or_a_time_in_brackets_stays_in_a_quote(name, bracket, key):
    """A station's or a city's name, a time in brackets: no address — quoted as written."""
    from refund_xl._core import engine

    text = f"2025-06-09 14:22:00 快件已到达{bracket.format(name)}，快递员正在派件中请耐心等待谢谢"
    quoted = str(masking.mask_quote(key, engine._typed(text)))
    assert vocab.nfkc(bracket.format(name)).replace(" ", "") in quoted.replace(" ", ""), (text, quoted)


def test_an_address_in_a_traces_brackets_is_hidden_in_the_import_report():
    """The red team's trace, unreadable, quoted in the import's reading report: no street address in it."""
    from refund_xl._app import intake

    trace = "2025-06-09 14:22:00 快件已到达【上海浦东新区世纪大道100号XX小区3栋】驿站，派件中或已签收"
    head = ["订单号", "售后类型", "退款金额", "发货状态", "物流状态"]
    read = intake.read_export("x.csv", [head, ["5300000001", "仅退款", "30", "已发货", trace]])
    quotes = _report_quotes(read.report)
    assert "06-09 14:22" in quotes, read.report
    assert "世纪大道" not in quotes and "100号" not in quotes and "3栋" not in quotes, read.report
