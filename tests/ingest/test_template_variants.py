"""Template variants no sample shows, each on a form written by hand in that
variant (tests/ingest/handmade_forms/): the expected values are the ones typed into
the form."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ingest.pipeline import parse_bytes

FORMS = Path(__file__).with_name("handmade_forms")
D = Decimal


def read(name: str):
    return parse_bytes(name, (FORMS / name).read_bytes())


def rows(form) -> list[tuple]:
    return [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score, i.deviation_reason)
            for i in form.indicators]


def test_year_in_the_page_heading_20_80_weighting_annotated_level1_and_heji():
    result = read("heading_year_20_80.txt")
    (form,) = result.forms
    assert (form.year, form.year_source) == (2022, "heading")
    assert (form.project_name, form.supervising_department, form.implementing_unit) == (
        "乡村道路养护", "某县交通运输局", "某县公路管理站")
    total = form.budget_lines[0]
    assert (total.fund_source, total.initial_amount, total.full_year_amount, total.executed_amount) == (
        "total", D("200.00"), D("180.00"), D("171.00"))
    assert (form.budget_weight, form.execution_rate_pct, form.budget_score) == (D(20), D("95.00"), D("19.00"))
    assert rows(form) == [
        ("产出指标", "数量指标", "养护里程", "≥100公里", "98公里", D(20), D("19.6"), "部分路段因雨季推迟"),
        ("产出指标", "质量指标", "路面完好率", "≥90%", "92%", D(20), D(20), None),
        ("效益指标", "社会效益指标", "群众出行便利度", "提升", "提升", D(30), D(30), None),
        ("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "93%", D(10), D(10), None),
    ]
    assert (form.total_weight, form.total_score, form.grade) == (D(100), D("98.6"), "优")
    assert form.parse_confidence == 1.0 and form.warnings == ()


def test_a_form_without_score_columns_is_refused_as_no_scores():
    result = read("no_scores.txt")
    assert result.forms == []
    assert [(i.form_seq, i.code) for i in result.issues] == [(1, "no_scores")]


def test_cost_as_level1_a_wrapped_category_and_yuan_with_separators_in_a_pipe_table():
    result = read("level1_cost_pipe.md")
    assert [i.code for i in result.issues] == []
    (form,) = result.forms
    assert (form.year, form.year_source, form.project_name, form.money_unit) == (2023, "title", "社区公共卫生服务", "元")
    assert [(b.fund_source, b.initial_amount, b.full_year_amount, b.executed_amount) for b in form.budget_lines] == [
        ("total", D("50000.00"), D("60000.00"), D("54000.00")),
        ("current_year_appropriation", D("50000.00"), D("60000.00"), D("54000.00")),
        ("prior_year_carryover", None, None, None),
        ("other", None, None, None),
    ]
    assert (form.budget_weight, form.execution_rate_pct, form.budget_score) == (D(10), D("90.00"), D("9.00"))
    assert rows(form) == [
        ("产出指标", "数量指标", "入户随访人次", "≥1200人次", "1250人次", D(30), D(30), None),
        ("产出指标", "时效指标", "随访完成及时率", "100%", "100%", D(10), D(10), None),
        ("成本指标", "经济成本指标", "人均随访成本", "≤50元", "43.2元", D(10), D(10), None),
        ("效益指标", "社会效益指标", "慢病规范管理率", "≥80%", "76%", D(20), D(19), "部分老人外出就医未能随访"),
        ("效益指标", "可持续影响指标", "健康档案动态更新", "持续更新", "持续更新", D(10), D(10), None),
        ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "95%", D(10), D(10), None),
    ]
    assert (form.total_weight, form.total_score) == (D(100), D(98))
    assert form.parse_confidence == 1.0


def test_a_rate_stored_as_a_fraction_is_read_as_the_percentage_its_money_gives():
    """A workbook copied as text keeps 执行率 as the stored fraction (0.9838, no %): 98.38 where the
    column is the rate and the fraction is 全年执行数 ÷ 全年预算数 (98.38 ÷ 100.00)."""
    text = "\n".join([
        "财政项目支出绩效自评表", "(2022年度)", "项目名称\t测试项目", "主管部门\t某局\t实施单位\t某中心",
        "项目资金(万元)\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
        "年度资金总额\t100.00\t100.00\t98.38\t10\t0.9838\t9.84",
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "产出指标\t数量指标\t培训人数\t≥100人\t120人\t90\t90\t", "总分\t\t\t\t\t100\t99.84"])
    (form,) = parse_bytes("fraction.txt", text.encode("utf-8")).forms
    assert form.execution_rate_pct == D("98.38")
    assert form.warnings == ()
