"""Real published forms from other governments (tests/samples/other-governments/).

Every complete form among the eleven samples lands field-exact; every
incomplete one is refused with a reason naming what is missing, and nothing
of it lands. Expected values are transcribed by hand from the sample files
(SOURCES.md there says where each page came from).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from clitools import query, run_ingest
from ingest.pipeline import parse_bytes

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "other-governments"
D = Decimal


def parsed(name: str):
    return parse_bytes(name, (SAMPLES / name).read_bytes())


def budget(form) -> dict[str, tuple]:
    return {b.fund_source: (b.initial_amount, b.full_year_amount, b.executed_amount) for b in form.budget_lines}


def rows(form) -> list[tuple]:
    return [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score) for i in form.indicators]


def test_yunnan_form_with_operator_value_unit_columns_lands_exactly():
    """永德县明朗中学, 公开14表: a pipe table whose rows a converter broke and merged,
    the target printed in three columns (指标性质 / 指标值 / 度量单位)."""
    result = parsed("yn_yongde_minglang_2022.txt")
    assert [i.code for i in result.issues if i.severity.value == "error"] == []
    (form,) = result.forms
    assert (form.year, form.project_name, form.supervising_department, form.implementing_unit, form.money_unit) == (
        2022, "义务教育营养改善计划专项资金", "永德县教育体育局", "永德县明朗中学", "元")
    # 年度资金总额 prints two amounts and 执行率 100%: 全年预算数 = 全年执行数 = 387664.62, 年初预算数 blank
    assert budget(form) == {
        "total": (None, D("387664.62"), D("387664.62")),
        "current_year_appropriation": (None, D("387664.62"), D("387664.62")),
        "prior_year_carryover": (None, None, None),
        "other": (None, None, None),
    }
    assert (form.budget_weight, form.execution_rate_pct, form.budget_score) == (D(10), D(100), D(10))
    assert (form.total_weight, form.total_score, form.grade) == (D(100), D(96), "优")
    assert form.goal_planned == form.goal_actual == "确保每一个学生都能享受到国家政策福利,改善学生体质"
    assert rows(form) == [
        ("产出指标", "数量指标", "学生受资助人数", "≧735人次", "735", D(10), D(10)),
        ("产出指标", "质量指标", "营养改善计划覆盖率", "≧100%", "100%", D(10), D(10)),
        ("产出指标", "时效指标", "资金到位及时率", "≧100%", "100%", D(10), D(7)),
        ("产出指标", "成本指标", "生均补助标准达标率", "═100%", "100%", D(10), D(10)),
        ("效益指标", "经济效益指标", "减轻贫困学生家庭经济负担", "有效", "有效", D(10), D(10)),
        ("效益指标", "社会效益指标", "政策知晓率", "═100%", "98%", D(10), D(9)),
        ("效益指标", "可持续影响指标", "促进学校教育事业健康发展", "≧100%", "100%", D(10), D(10)),
        ("满意度指标", "服务对象满意度指标", "学生满意度", "≧95%", "100%", D(10), D(10)),
        ("满意度指标", "服务对象满意度指标", "家长满意度", "≧95%", "100%", D(10), D(10)),
    ]
    first, fifth = form.indicators[0], form.indicators[4]
    assert (first.target_operator, first.target_value, first.target_unit) == ("≧", "735", "人次")
    assert (fifth.target_operator, fifth.target_value, fifth.target_unit) == (None, "有效", None)
    assert form.parse_confidence == 1.0 and not any(i.uncertain for i in form.indicators)


def test_anhui_form_without_level1_labels_and_with_placeholder_rows_lands_exactly():
    """天长市水利局: one row a line, cells separated by spaces, the 一级 labels lost
    (only ``(50分)`` left), ``指标2:`` / ``……`` placeholder rows, a wrapped
    ``可持续影`` / ``响指标``, a target written into the name cell."""
    result = parsed("ah_tianchang_slj_2022.txt")
    assert [i.code for i in result.issues if i.severity.value == "error"] == []
    (form,) = result.forms
    assert (form.year, form.project_name, form.supervising_department, form.implementing_unit, form.money_unit) == (
        2022, "水旱灾害防御经费", None, "天长市水利局", "万元")
    assert budget(form) == {
        "total": (D(880), D(880), D(880)),
        "current_year_appropriation": (D(880), D(880), D(880)),
        "prior_year_carryover": (None, None, None),
        "other": (None, None, None),
    }
    assert (form.budget_weight, form.execution_rate_pct, form.budget_score) == (D(10), None, D(10))
    assert (form.total_weight, form.total_score) == (D(100), D(100))
    assert form.goal_planned == "完成年度防汛工作,完成中型灌区节水改造项目和农业综合水价改革项目。"
    assert form.goal_actual == "完成年度目标。"
    assert rows(form) == [
        ("产出指标", "数量指标", "完成中型灌区节水改造项目数量", "1", "1", D(10), D(10)),
        ("产出指标", "数量指标", "完成农业综合水价改革项目", "1", "1", D(10), D(10)),
        ("产出指标", "质量指标", "工程质量合格", None, None, D(10), D(10)),
        ("产出指标", "时效指标", "年度资金支付完成率", "100%", None, D(10), D(10)),
        ("产出指标", "成本指标", "资金执行在预算范围内", None, None, D(10), D(10)),
        ("效益指标", "经济效益指标", "全市安全度汛", None, None, D(10), D(10)),
        ("效益指标", "社会效益指标", "保护全市人口财产不受损失", None, None, D(10), D(10)),
        ("效益指标", "可持续影响指标", "已建工程良性运行", None, None, D(10), D(10)),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "90%", "100%", D(10), D(10)),
    ]
    assert form.parse_confidence == 1.0


def test_sichuan_unscored_form_lands_with_null_scores_and_a_warning():
    """青神县发展和改革局: one cell a line (`… |`), the Sichuan budget block
    (总额 / 其中：财政资金 / 财政专户管理资金 / 单位资金 / 其他资金), 完成值 and 得分
    blank as published."""
    result = parsed("sc_qingshen_fgj_2023.txt")
    assert [i.code for i in result.issues if i.severity.value == "error"] == []
    (form,) = result.forms
    assert (form.year, form.project_name, form.supervising_department, form.implementing_unit, form.money_unit) == (
        2023, "51000021R000000019951-工资性支出", "青神县发展和改革局本级", "青神县发展和改革局", "万元")
    assert budget(form) == {
        "total": (D("238.93"), D("251.89"), D("251.89")),
        "fiscal_funds": (D("238.93"), D("251.89"), D("251.89")),
        "special_account_funds": (D("0.00"), D("0.00"), D("0.00")),
        "unit_funds": (D("0.00"), D("0.00"), D("0.00")),
        "other": (None, None, None),
    }
    assert (form.budget_weight, form.execution_rate_pct, form.budget_score) == (D(10), D("100.00"), None)
    assert (form.total_weight, form.total_score) == (D(100), None)
    assert form.goal_planned == "严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金。"
    assert rows(form) == [
        ("产出指标", "数量指标", "发放(缴纳)覆盖率", "=100%", None, D(60), None),
        ("效益指标", "社会效益指标", "足额保障率(参保率)", "=100%", None, D(30), None),
    ]
    assert [(i.target_operator, i.target_value, i.target_unit) for i in form.indicators] == [("=", "100", "%")] * 2
    assert "unscored_form" in {w.code for w in form.warnings}


@pytest.mark.parametrize(
    ("name", "refusals"),
    [
        # 1st form: cells run together (`项目计划完成率100%100%1515`, `项目完成及时性及时较及时77…`);
        # 2nd: cut after its money block
        ("sh_songjiang_jiuting_2020.txt", [(1, "cells_run_together"), (2, "truncated")]),
        ("ah_guichi_tangxi_2022.txt", [(1, "truncated")]),  # cut at 满意度
        ("hb_huangshi_lib_2022.md", [(1, "truncated")]),  # cut at 满意度
        ("sc_daying_sfj_2023.md", [(1, "truncated")]),  # the head of a form after another's tail
        ("he_langfang_spgcxx_2019.txt", [(1, "truncated")]),  # cut in 满意度
        ("sx_jishan_zhaidian_wsy_2021_xlsx.txt", [(1, "truncated")]),  # cut in 质量指标
        ("nx_yinchuan_jyj_2021_ocr.txt", [(1, "cells_run_together")]),  # OCR text run together
        ("cq_kexuecheng_rongmeiti_2021_dept_ocr.txt", [(1, "other_form_kind")]),  # 部门整体绩效自评表
    ],
)
def test_incomplete_or_unreadable_samples_are_refused_with_what_is_missing(name, refusals):
    result = parsed(name)
    assert result.forms == []
    errors = [(i.form_seq, i.code) for i in result.issues if i.severity.value == "error"]
    assert errors == refusals
    for issue in result.issues:
        assert issue.message
        if issue.code == "truncated":
            assert "before" in issue.message and "line" in issue.message


def test_the_samples_land_through_jixiao_ingest(tmp_path):
    """All eleven samples in one batch: the three complete forms land, every
    other form is a row of raw.ingest_errors, the exit status says 1."""
    db = tmp_path / "j.duckdb"
    proc = run_ingest(db, *sorted(p for p in SAMPLES.iterdir() if p.name != "SOURCES.md"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    landed = query(db, "SELECT project_name, source_format, parse_confidence FROM raw.forms ORDER BY project_name")
    assert landed == [
        ("51000021R000000019951-工资性支出", "text", 1.0),
        ("义务教育营养改善计划专项资金", "text", 1.0),
        ("水旱灾害防御经费", "text", 1.0),
    ]
    assert query(db, "SELECT count(*) FROM raw.indicators") == [(9 + 9 + 2,)]
    refused = query(db, "SELECT count(*) FROM raw.ingest_errors WHERE severity = 'error'")
    assert refused == [(9,)]
    refs = query(db, "SELECT DISTINCT source_ref IS NOT NULL FROM raw.indicators")
    assert refs == [(True,)]
