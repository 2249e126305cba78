"""contract §4.2 rule 22, §2 "A value is read as a whole phrase": 退货原因 腐烂变质 keeps the goods with the buyer
(方案四: refund, no return), so only rot itself reads so.  Goods crushed or torn (压烂了, 摔烂了), a box that broke
(包装烂了: the goods inside?) and goods about to spoil (快烂了, 快过期了: not yet) are no rot: never 腐烂变质."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from refund_xl._core import engine
from refund_xl._core.fields import FIELD_BY_KEY

REASON = FIELD_BY_KEY["reason"]
FORCE = ["压", "摔", "砸", "磕", "碰", "撞", "挤", "踩"]
BOXES = ["包装", "外包装", "外箱", "纸箱", "盒子", "快递盒"]
SOON = ["快", "快要", "要", "即将", "马上"]
ROT = ["烂", "坏", "化", "过期", "发霉", "变质"]
AFTER = ["", "了", "了一半", "了，要退"]
BEFORE = ["", "水果", "收到时", "草莓"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(BEFORE), st.one_of(
    st.builds(lambda f, e: f + e, st.sampled_from(FORCE), st.sampled_from(["烂", "坏"])),
    st.builds(lambda b, e: b + e, st.sampled_from(BOXES), st.sampled_from(["烂", "坏", "破", "压烂", "压坏"])),
    st.builds(lambda s, r: s + r, st.sampled_from(SOON), st.sampled_from(ROT))), st.sampled_from(AFTER))
def test_crushed_goods_a_broken_box_or_goods_about_to_spoil_are_no_rot(before, said, after):
    text = before + said + after
    assert REASON.parse(text) != "腐烂变质", text
    head = ["订单号", "售后类型", "退款金额", "发货状态", "退货原因"]
    (res,), _rep = engine.evaluate_read([["A1", "退货退款", 59, "已发货", text]], head, now="2025-06-10 12:00")
    assert res.action_code != "REFUND_WITHOUT_RETURN", text


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["", "水果", "草莓", "收到就"]), st.sampled_from(["烂了", "腐烂", "发霉了", "变质了", "已过期", "化了"]))
def test_rot_itself_still_reads_as_rot(before, said):
    assert REASON.parse(before + said) == "腐烂变质", before + said


COST = FIELD_BY_KEY["cost_incurred"]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["未开工", "没开工", "还没做", "未生产", "没生产", "还没开始做"]),
       st.sampled_from(["已买料", "料已备", "布已经买了", "材料已采购", "已付定金给工厂", "布料已裁", "已备料", "面料买好了"]),
       st.sampled_from(["，", ",", "（", " "]))
def test_work_not_started_but_material_bought_is_no_no_cost(not_started, bought, gap):
    """已产生成本「未开工，已买料」: the work has not started, the material was bought — a cost (or unreadable), never 否
    (a made-to-order item refunded at once)."""
    text = not_started + gap + bought + ("）" if gap == "（" else "")
    assert COST.parse(text) != "否", text
