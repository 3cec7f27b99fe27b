"""The checks on the bundled documents: every finding, transcribed by hand.

Expected values are read off the four .txt files in data/raw/ and worked out
with the rules of domain.md: (project, indicator, expected, observed).
"""

from __future__ import annotations

import polars as pl
import pytest

from quality.rules import load_catalogue

EXPECTED = {
    # 003 机关事业单位运行保障经费: targets met, points deducted.
    "met_but_deducted": {
        ("机关事业单位运行保障经费", "对外形象好评", "5", "4"),  # ≥90(%), 99.00(%), 4 of 5
        ("机关事业单位运行保障经费", "员工满意度", "10", "9"),  # ≥95.00(%), 99.00(%), 9 of 10
    },
    # 000 公务员管理工作经费: 80人 target, 50人 actual, 4 of 4 (proportional 4 × 50 / 80 = 2.5).
    "missed_but_full": {
        ("公务员管理工作经费", "中组部公务员对口培训人数", "2.5", "4"),
    },
    "deduction_without_reason": {
        ("组织部门建设和管理工作经费", "培训人次完成率", "1", "0.8"),  # the reason is on the row above only
        ("组织部门建设和管理工作经费", "培训课时完成率", "1", "0.8"),
        ("机关事业单位运行保障经费", "对外形象好评", "5", "4"),
        ("机关事业单位运行保障经费", "员工满意度", "10", "9"),
        ("课题（规划）等研究经费", "课题成果指导实践有效情况", "10", "9"),  # 有效 / 达成指标, 9 of 10
    },
    # 002: 系统运维制度健全性 printed with an empty 年度指标值, twice.
    "missing_target": {
        ("闵行区党代表服务管理系统（2023 运维）", "系统运维制度健全性", None, "达成指标"),
        ("干部人事管理软件 ZZTX(2023 运维)", "系统运维制度健全性", None, "达成指标"),
    },
    "not_proportional": {
        ("公务员管理工作经费", "处级领导干部任职培训班人数", "1.35", "1.5"),  # 200人 / 90人: 3 × 90 / 200
        ("公务员管理工作经费", "试用期满转正率", "1.98", "1.9"),  # 100% / 99%: 2 × 99 / 100
        ("公务员知识更新", "课件开发完成及时率", "4.5", "4"),  # =100 (%) / 90.00 (%): 5 × 90 / 100
        ("机关服务费", "食堂服务满意度", "8.89", "8"),  # 001: >=90% / 80%: 10 × 80 / 90
    },
    # 001 (2022, in 元): rates printed neither rounded nor truncated.
    "execution_rate_mismatch": {
        ("公务员一件事二期", None, "99.49", "99.5"),  # 3,013,900 / 3,029,320 = 99.491%, printed 99.50%
        ("干部教育工作经费", None, "45.55", "45.56"),  # 3,138,486 / 6,890,000 = 45.551%, printed 45.56%
    },
    # 450人 / 642人次. (001's <=1小时 / 30分钟 is no mismatch: 小时 converts to 分钟.)
    "unit_mismatch": {
        ("公务员管理工作经费", "2+X专题研讨班人数", "人", "人次"),
    },
    # 003 争创市级精神文明单位专项经费: 产出 10+2+2+10+2 = 26 (效益 40, 满意度 24).
    "level1_weight_guidance": {
        ("争创市级精神文明单位专项经费", None, "50", "26"),
    },
    # Issue 16. 全年执行数 ÷ 全年预算数 below 90% and no 偏差原因 naming the money
    # (预算, 经费, 资金 …). Of the 16 forms below 90%, only 001 组织部门建设和管理
    # 工作经费 (83.68%) explains: "…部分会议和培训取消，调减了相关经费预算。"
    "low_execution_without_reason": {
        ("信息化运维项目", None, "90", "80.66"),  # 003: 39.41 / 48.86
        ("公务员知识更新", None, "90", "83.06"),  # 003: 115.21 / 138.71 (its reason is about 课件)
        ("委托培训", None, "90", "64.33"),  # 003: 611.15 / 950.00
        ("储备人才专项经费", None, "90", "84.46"),  # 002: 1,404.77 / 1,663.27
        ("公务员管理", None, "90", "61.6"),  # 002: 115.43 / 187.40 = 61.5955%
        ("外省市挂职干部工作", None, "90", "45.63"),  # 002: 1.46 / 3.20 = 45.625%
        ("工资福利与绩效考核保障经费", None, "90", "64.06"),  # 002: 22.80 / 35.59
        ("闵行区组织部信息系统等保三级建设（2023 运维）", None, "90", "84.31"),  # 002: 43.00 / 51.00
        ("中共上海市闵行区委组织部_大组工网(2023 运维)", None, "90", "82"),  # 002: 4.10 / 5.00
        ("2023 年闵行区社会科学课题", None, "90", "67.75"),  # 002: 2.71 / 4.00
        ("政府雇员", None, "90", "86.64"),  # 002: 28.93 / 33.39
        ("干部教育科", None, "90", "88.35"),  # 002: 135.12 / 152.93
        ("干部教育工作经费", None, "90", "45.55"),  # 001: 3,138,486 / 6,890,000 元
        ("党组织建设和党员教育管理工作经费", None, "90", "75.04"),  # 001 (2022), printed 75.04%
        ("公务员管理工作经费", None, "90", "89.61"),  # 001 (2022): 10,411,006 / 11,618,500 = 89.607%
    },
    # Issue 16. 002: three forms print 产出 and 效益 indicators only (30 + 30 + 30).
    "no_satisfaction_indicator": {
        ("2023 年闵行区社会科学课题", None, None, "3"),  # 报告, 保证课题质量, 推动理论成果…
        ("先锋上海闵行旗舰店", None, None, "3"),  # 系统完成率, 系统验收合格率, 提升管理服务工作效率
        ("闵行全球引才大会专项经费", None, None, "3"),  # 新闻稿发表, 活动组织完成, 高水平人才高地…
    },
}

# The rules issue 16 added flag some forms that all the others leave clean.
NEW_RULES_ON_CLEAN_FORMS = {
    "信息化运维项目": {"low_execution_without_reason"},
    "委托培训": {"low_execution_without_reason"},
    "储备人才专项经费": {"low_execution_without_reason"},
    "2023 年闵行区社会科学课题": {"low_execution_without_reason", "no_satisfaction_indicator"},
    "外省市挂职干部工作": {"low_execution_without_reason"},
}

# Forms whose numbers all follow: nothing may be flagged on them.
CLEAN_FORMS = (
    "信息化运维项目",  # 003: 50/30/10, every target met, 39.41 / 48.86 = 80.65%, 8.06
    "委托培训",  # 003: funds only in 其他资金 (950.00), 611.15 / 950.00 = 64.33%, 6.43
    "闵行区卫生教育人才引进使用专项经费",  # 002: 3,464.61 / 3,800.00 = 91.17%, 9.12
    "储备人才专项经费",  # 002: 1,404.77 / 1,663.27 = 84.46% printed truncated as 84.45, 8.45
    "2023 年闵行区社会科学课题",  # 002: no satisfaction indicator, 2.71 / 4.00 = 67.75%, 6.78
    "外省市挂职干部工作",  # 002: 1.46 / 3.20 = 45.625%, printed 45.62 and 4.56
    "门户网站-运维",  # 001: <=1小时 / 30分钟; 3 of 5 with a reason; 113,200 / 116,010 = 97.578%, printed 97.58%
)


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_rule_flags_exactly_the_forms_that_break_it(bundled, rule_id):
    assert bundled.of_rule(rule_id) == EXPECTED[rule_id]


@pytest.mark.parametrize(
    "rule_id", [r.rule_id for r in load_catalogue().rules if r.rule_id not in EXPECTED]
)
def test_rule_flags_nothing_where_the_documents_add_up(bundled, rule_id):
    # Totals, weights, fund sources, scores, grades and budget scores of the
    # 48 forms all add up (checked by hand).
    assert bundled.of_rule(rule_id) == set()


def test_no_finding_beyond_the_expected_ones(bundled):
    assert bundled.findings.height == sum(len(v) for v in EXPECTED.values())


@pytest.mark.parametrize("project_name", CLEAN_FORMS)
def test_clean_form_raises_nothing(bundled, project_name):
    rules = set(bundled.of_project(project_name)["rule_id"])
    assert rules == NEW_RULES_ON_CLEAN_FORMS.get(project_name, set())
    # ... and it is in the warehouse: the absence of findings means something.
    assert project_name in bundled.projects


def test_image_rating_met_but_four_of_five_without_reason(bundled):
    """003 机关事业单位运行保障经费 — 对外形象好评: ≥90%, actual 99%, 4 of 5 points, no reason."""
    rows = bundled.of_project("机关事业单位运行保障经费").filter(pl.col("indicator_name") == "对外形象好评")
    assert sorted(rows["rule_id"]) == ["deduction_without_reason", "met_but_deducted"]
    assert set(rows["severity"]) == {"warning"}
    message = rows.filter(pl.col("rule_id") == "met_but_deducted")["message"][0]
    for part in ("机关事业单位运行保障经费", "对外形象好评", "≥90(%)", "99.00(%)", "4 分", "满分 5 分", "（未填写）"):
        assert part in message


def test_training_80_planned_50_trained_full_points_is_a_warning_with_its_reason(bundled):
    """000 公务员管理工作经费 — 中组部公务员对口培训人数: 80人, 50人, 4 of 4, reason given."""
    rows = bundled.of_project("公务员管理工作经费").filter(pl.col("indicator_name") == "中组部公务员对口培训人数")
    assert rows["rule_id"].to_list() == ["missed_but_full"]
    assert rows["severity"].to_list() == ["warning"]
    message = rows["message"][0]
    for part in ("公务员管理工作经费", "中组部公务员对口培训人数", "80人", "50人", "4 分", "根据中组部统一要求，调训人数减少。"):
        assert part in message
