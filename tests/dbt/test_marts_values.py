"""The marts against values transcribed by hand from the documents in
data/raw/ (read the .txt files: the numbers below are the printed ones, the
conversions and sums done by hand)."""

from __future__ import annotations

from decimal import Decimal

import pytest

CITY_ORG = "中共上海市委组织部"
MINHANG_SHORT = "中共上海闵行区组织部"
MINHANG_FULL = "中共上海市闵行区委组织部"


def evaluation(warehouse, year: int, unit: str, project: str) -> dict:
    columns = warehouse.columns("marts", "fct_evaluation")
    row = warehouse.one(
        "select * from marts.fct_evaluation where year = ? and implementing_unit = ? and project_name = ?",
        year,
        unit,
        project,
    )
    return dict(zip(columns, row))


def indicator(warehouse, evaluation_id: str, name: str) -> dict:
    columns = warehouse.columns("marts", "fct_indicator_result")
    row = warehouse.one(
        "select * from marts.fct_indicator_result where evaluation_id = ? and indicator_name = ?",
        evaluation_id,
        name,
    )
    return dict(zip(columns, row))


# --- 000: 2020, 公务员管理工作经费, 中共上海市委组织部, 项目资金 (万元) -------------


@pytest.fixture(scope="module")
def civil_service_2020(warehouse) -> dict:
    return evaluation(warehouse, 2020, CITY_ORG, "公务员管理工作经费")


def test_2020_money_in_yuan(civil_service_2020):
    # 年度资金总额 1219.00 / 1096.39 / 1078.63 万元
    assert civil_service_2020["money_unit"] == "万元"
    assert civil_service_2020["budget_initial_yuan"] == Decimal("12190000.00")
    assert civil_service_2020["budget_full_year_yuan"] == Decimal("10963900.00")
    assert civil_service_2020["executed_yuan"] == Decimal("10786300.00")


def test_2020_execution_rate_printed_and_computed(civil_service_2020):
    # printed 98.38%; 1078.63 / 1096.39 = 98.3801…%
    assert civil_service_2020["execution_rate_pct"] == Decimal("98.38")
    assert civil_service_2020["execution_rate_computed_pct"] == Decimal("98.3801")


def test_2020_scores_grade_and_indicator_sums(civil_service_2020):
    # 分值 10, 得分 9.84; 总分 100 / 92.14; no 评分等级 printed; 92.14 is 优.
    assert civil_service_2020["budget_weight"] == 10
    assert civil_service_2020["budget_score"] == Decimal("9.84")
    assert civil_service_2020["total_score"] == Decimal("92.14")
    assert civil_service_2020["grade_printed"] is None
    assert civil_service_2020["grade_computed"] == "优"
    # 41 indicators: 15 数量, 7 质量, 1 时效, 10 效益, 8 满意度.
    assert civil_service_2020["n_indicators"] == 41
    # weights 33 + 15 + 2 + 30 + 10; scores 26.4 + 14.9 + 2 + 30 + 9
    assert civil_service_2020["indicator_weight_sum"] == 90
    assert civil_service_2020["indicator_score_sum"] == Decimal("82.3")


def test_2020_targets_met_and_not_met(civil_service_2020):
    # Not met: 选调生 400人/382人, 处级任职培训 200人/90人, five 50人|160人/0人
    # trainings, 对口培训 80人/50人, 转正率 100%/99%, 人民满意 95%/— (10).
    # Not judged: 2+X 450人/642人次 (units differ), 适合适当/适合,
    # 强化处级…/突出处级…, 履职能力…/开展全市… (4). The other 27 are met.
    assert civil_service_2020["n_targets_not_met"] == 10
    assert civil_service_2020["n_targets_met"] == 27


def test_2020_quantitative_indicator_parsed(warehouse, civil_service_2020):
    # 选调生考试录用人数  400人  382人  2  1.9
    row = indicator(warehouse, civil_service_2020["evaluation_id"], "选调生考试录用人数")
    assert (row["target_text"], row["actual_text"]) == ("400人", "382人")
    assert (row["target_operator"], row["target_low"], row["target_high"], row["target_unit"]) == ("=", 400, 400, "人")
    assert row["target_operator_printed"] is False
    assert (row["actual_operator"], row["actual_low"], row["actual_unit"]) == ("=", 382, "人")
    assert row["target_is_quantitative"] and row["actual_is_quantitative"]
    assert row["target_met"] is False
    assert (row["weight"], row["score"], row["score_ratio"]) == (2, Decimal("1.9"), Decimal("0.95"))
    assert row["deviation_reason"].startswith("试用期内提出取消录用")
    assert row["category_id"] == "output_quantity"


def test_2020_dash_actual_is_not_met(warehouse, civil_service_2020):
    # 人民满意公务员活动满意度  95%  —  1  0  因疫情原因未组织实施…
    row = indicator(warehouse, civil_service_2020["evaluation_id"], "人民满意公务员活动满意度")
    assert row["actual_text"] == "—"
    assert row["actual_operator"] is None and row["actual_parse_status"] == "blank"
    assert row["target_met"] is False and row["target_met_basis"] == "dash_actual"
    assert row["category_id"] == "satisfaction_service_recipient"


def test_2020_different_units_are_not_judged(warehouse, civil_service_2020):
    # 2+X专题研讨班人数  450人  642人次: 人 and 人次 are different measures.
    row = indicator(warehouse, civil_service_2020["evaluation_id"], "2+X专题研讨班人数")
    assert (row["target_unit"], row["actual_unit"]) == ("人", "人次")
    assert row["target_met"] is None and row["target_met_basis"] == "units_differ"


def test_2020_hedged_restatement_is_not_judged(warehouse):
    # 组织部门建设和管理工作经费: 信息系统运行  稳定  基本稳定 — 基本 hedges.
    form = evaluation(warehouse, 2020, CITY_ORG, "组织部门建设和管理工作经费")
    row = indicator(warehouse, form["evaluation_id"], "信息系统运行")
    assert (row["target_text"], row["actual_text"]) == ("稳定", "基本稳定")
    assert row["target_met"] is None


def test_2020_restated_target_is_met(warehouse, civil_service_2020):
    # 公务员交流和公开遴选  干部人才顺畅有序流动的良好工作机制  不断完善干部人才…
    row = indicator(warehouse, civil_service_2020["evaluation_id"], "公务员交流和公开遴选")
    assert row["target_operator"] == "qualitative"
    assert row["target_met"] is True and row["target_met_basis"] == "actual_restates_target"


# --- 002: 2023, 闵行, two spellings of one unit ----------------------------------


def test_minhang_money_and_grade(warehouse):
    # 闵行区创新创业大赛专项经费: 50.00 / 50.00 / 49.52 万元, 执行率 99.04, 9.90;
    # 总分 99.90, 评分等级 优.
    form = evaluation(warehouse, 2023, MINHANG_SHORT, "闵行区创新创业大赛专项经费")
    assert form["budget_initial_yuan"] == Decimal("500000.00")
    assert form["budget_full_year_yuan"] == Decimal("500000.00")
    assert form["executed_yuan"] == Decimal("495200.00")
    assert form["execution_rate_pct"] == Decimal("99.04")
    assert form["execution_rate_computed_pct"] == Decimal("99.04")
    assert (form["total_score"], form["grade_printed"], form["grade_computed"]) == (Decimal("99.9"), "优", "优")
    # 25 篇/达成指标, 3 场/达成指标, 发展/达成指标, =95(%)/95.00(%): all met.
    assert (form["n_indicators"], form["n_targets_met"], form["n_targets_not_met"]) == (4, 4, 0)
    assert form["indicator_weight_sum"] == 90


def test_minhang_budget_lines(warehouse):
    form = evaluation(warehouse, 2023, MINHANG_SHORT, "闵行区创新创业大赛专项经费")
    lines = dict(
        (source, (initial, executed, initial_yuan, executed_yuan))
        for source, initial, executed, initial_yuan, executed_yuan in warehouse.rows(
            "select fund_source, initial_amount, executed_amount, initial_yuan, executed_yuan"
            " from marts.fct_budget_line where evaluation_id = ?",
            form["evaluation_id"],
        )
    )
    # 年度资金总额 and 当年财政拨款 50.00 / 49.52; 上年结转资金 and 其他资金 0.00.
    assert lines["total"] == (Decimal("50"), Decimal("49.52"), Decimal("500000"), Decimal("495200"))
    assert lines["current_year_appropriation"] == lines["total"]
    assert lines["prior_year_carryover"] == (0, 0, 0, 0)
    assert lines["other"] == (0, 0, 0, 0)


def test_minhang_department_variants_are_one_unit(warehouse):
    short = evaluation(warehouse, 2023, MINHANG_SHORT, "闵行区创新创业大赛专项经费")
    full = evaluation(warehouse, 2023, MINHANG_FULL, "党建引领基层治理培训经费")
    assert short["department_id"] == full["department_id"]
    assert short["supervising_department_id"] == full["supervising_department_id"]
    assert short["department_id"] != short["supervising_department_id"]
    name, variants, level, district, summary = warehouse.one(
        "select department_name, name_variants, level, district, is_summary_unit"
        " from marts.dim_department where department_id = ?",
        short["department_id"],
    )
    assert name == MINHANG_FULL
    assert set(variants.split(" | ")) == {MINHANG_SHORT, MINHANG_FULL}
    assert (level, district, summary) == ("区级", "闵行区", False)
    name, variants, level, summary, base = warehouse.one(
        "select department_name, name_variants, level, is_summary_unit, base_department_name"
        " from marts.dim_department where department_id = ?",
        short["supervising_department_id"],
    )
    assert name == MINHANG_FULL + "(汇总)"
    assert set(variants.split(" | ")) == {MINHANG_SHORT + "(汇总)", MINHANG_FULL + "(汇总)"}
    assert (level, summary, base) == ("区级", True, MINHANG_FULL)


def test_minhang_units_have_all_their_forms(warehouse):
    # 002 prints 30 forms, all implemented by one of the two spellings.
    assert warehouse.scalar(
        "select count(*) from marts.fct_evaluation e join marts.dim_department d using (department_id)"
        " where d.department_name = ?",
        MINHANG_FULL,
    ) == 30


def test_city_level_units(warehouse):
    levels = dict(
        warehouse.rows(
            "select department_name, level from marts.dim_department where department_name in (?, ?, ?)",
            CITY_ORG,
            "上海市人力资源和社会保障局",
            "上海市干部培训中心",
        )
    )
    assert levels == {CITY_ORG: "市级", "上海市人力资源和社会保障局": "市级", "上海市干部培训中心": "市级"}


def test_cost_category_printed_as_level1_alone(warehouse):
    # 人才工作经费: 成本指标 | (no 二级) | 成本控制有效性 | 有效 | 达成指标
    form = evaluation(warehouse, 2023, MINHANG_SHORT, "人才工作经费")
    row = indicator(warehouse, form["evaluation_id"], "成本控制有效性")
    assert (row["level1_name"], row["level2_name"], row["category_id"]) == ("成本指标", None, "cost")
    assert (row["actual_band"], row["target_met"]) == ("achieved", True)


# --- 003: 上海市干部培训中心, year from the narrative ------------------------------


def test_training_center_partial_band_is_not_met(warehouse):
    # 争创市级精神文明单位专项经费: 7.50 / 9.50 / 8.94 万元, 执行率 94.10
    form = evaluation(warehouse, 2023, "上海市干部培训中心", "争创市级精神文明单位专项经费")
    assert form["supervising_department"] == "上海市人力资源和社会保障局"
    assert (form["budget_initial_yuan"], form["budget_full_year_yuan"], form["executed_yuan"]) == (
        Decimal("75000"),
        Decimal("95000"),
        Decimal("89400"),
    )
    assert form["execution_rate_computed_pct"] == Decimal("94.1053")  # 8.94 / 9.50
    # 续评全国文明城市  续评成功  部分达成指标并具有一定效果  4.00  3.00
    row = indicator(warehouse, form["evaluation_id"], "续评全国文明城市")
    assert (row["actual_band"], row["target_met"], row["score_ratio"]) == ("partial", False, Decimal("0.75"))
    # 宣传品制作  ≥100.00 (件)  0.00 (件)  2.00  0.00
    row = indicator(warehouse, form["evaluation_id"], "宣传品制作")
    assert (row["target_notation"], row["target_operator"], row["target_low"], row["target_unit"]) == (
        ">=100.00 (件)",
        ">=",
        100,
        "件",
    )
    assert row["target_met"] is False


# --- dimensions --------------------------------------------------------------------


def test_years_without_documents_are_flagged(warehouse):
    years = dict(warehouse.rows("select year, has_data from marts.dim_year"))
    assert {2020, 2021, 2022, 2023} <= set(years)
    assert years[2020] is True and years[2023] is True
    assert years[2021] is False  # no 2021 document


def test_indicator_taxonomy(warehouse):
    level2 = warehouse.rows(
        "select level1_name, level2_name from marts.dim_indicator_category"
        " where level2_name is not null order by sort_order"
    )
    assert level2[:9] == [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
        ("效益指标", "经济效益指标"),
        ("效益指标", "社会效益指标"),
        ("效益指标", "生态效益指标"),
        ("效益指标", "可持续影响指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]


def test_civil_service_project_followed_across_years(warehouse):
    # 公务员管理工作经费 of 中共上海市委组织部 is printed in 2020 (000, 总分
    # 92.14) and 2022 (001, 总分 94.90): one project, two years.
    forms = warehouse.rows(
        "select year, project_id, total_score from marts.fct_evaluation"
        " where implementing_unit = ? and project_name = ? order by year",
        CITY_ORG,
        "公务员管理工作经费",
    )
    assert [(year, score) for year, _, score in forms] == [(2020, Decimal("92.14")), (2022, Decimal("94.9"))]
    assert len({project_id for _, project_id, _ in forms}) == 1
    years, first_year, last_year, department = warehouse.one(
        "select p.years, p.first_year, p.last_year, d.department_name from marts.dim_project p"
        " join marts.dim_department d using (department_id) where project_id = ?",
        forms[0][1],
    )
    assert (years, first_year, last_year, department) == ("2020, 2022", 2020, 2022, CITY_ORG)


def test_both_2020_projects_recur_in_2022(warehouse):
    # 000 has two forms; 001 prints both projects again under the same names.
    recurring = warehouse.rows(
        "select project_name from marts.dim_project where years = '2020, 2022' order by project_name"
    )
    assert recurring == [("公务员管理工作经费",), ("组织部门建设和管理工作经费",)]


def test_2022_money_printed_in_yuan(warehouse):
    # 001, 公务员管理工作经费, 项目资金（元）: 年初预算数 13,414,500, 全年预算数
    # 11,618,500, 全年执行数 10,411,006, 执行率 89.61%, 得分 8.96.
    form = evaluation(warehouse, 2022, CITY_ORG, "公务员管理工作经费")
    assert form["money_unit"] == "元"
    assert (form["budget_initial_yuan"], form["budget_full_year_yuan"], form["executed_yuan"]) == (
        Decimal("13414500"),
        Decimal("11618500"),
        Decimal("10411006"),
    )
    assert form["execution_rate_pct"] == Decimal("89.61")
    assert form["execution_rate_computed_pct"] == Decimal("89.6071")  # 10,411,006 / 11,618,500
    assert (form["budget_score"], form["total_score"], form["grade_computed"]) == (Decimal("8.96"), Decimal("94.9"), "优")


def test_2022_deadline_targets(warehouse):
    # 组织部门建设和管理工作经费 (2022): 事业单位审计完成  6月底前  年底前完成  3  2
    form = evaluation(warehouse, 2022, CITY_ORG, "组织部门建设和管理工作经费")
    row = indicator(warehouse, form["evaluation_id"], "事业单位审计完成")
    assert (row["target_operator"], row["target_high"], row["actual_operator"], row["actual_high"]) == (
        "deadline",
        6,
        "deadline",
        12,
    )
    assert row["target_met"] is False
    # 项目绩效自评完成  3月底前  按期完成: an affirmation of the deadline.
    row = indicator(warehouse, form["evaluation_id"], "项目绩效自评完成")
    assert (row["target_operator"], row["target_high"], row["target_met"]) == ("deadline", 3, True)


def test_project_year_stamps_do_not_split_projects(warehouse):
    # 闵行党建管理信息平台（2023 三级等保） and …（2023 运维） are two projects
    # of one unit; the year in the name is ignored when matching across years.
    keys = dict(
        warehouse.rows(
            "select p.project_name, p.project_key from marts.dim_project p where p.project_name like ?",
            "闵行党建管理信息平台%",
        )
    )
    assert sorted(keys.values()) == ["闵行党建管理信息平台(三级等保)", "闵行党建管理信息平台(运维)"]
