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
    assert bundled.of_project(project_name).height == 0
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
