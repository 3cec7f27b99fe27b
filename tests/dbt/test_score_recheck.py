"""The score re-check (fct_score_recheck, fct_evaluation_score_recheck,
marts.agg_unit_year_score_gap) and README question 6, against scores
re-derived BY HAND from the documents in data/raw under the national rules:
budget score = weight × 全年执行数 ÷ 全年预算数 (never above the weight); a met
indicator its full weight; a missed quantitative one weight × actual ÷ target
(">=") or weight × target ÷ actual ("<="); a missed qualitative one at most its
band's ceiling; an indicator no rule re-derives keeps its claimed score.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from jixiao.paths import PROJECT_ROOT

Q6 = PROJECT_ROOT / "analyses" / "q6_units_scoring_above_their_numbers.sql"

# 000_0e1cca4759df0cce.txt, form 1 (公务员管理工作经费, 2020), read by hand.
# Budget: 全年预算数 1096.39, 全年执行数 1078.63, weight 10, printed 9.84.
# Indicators: 82.30 printed in all (total 92.14 − 9.84). Four are missed and
# proportional, the rest met or kept as printed:
#   选调生考试录用人数 400人 → 382人, w 2, printed 1.9: 2 × 382/400 = 1.91
#   处级领导干部任职培训班人数 200人 → 90人, w 3, printed 1.5: 3 × 90/200 = 1.35 (above)
#   中组部公务员对口培训人数 80人 → 50人, w 4, printed 4: 4 × 50/80 = 2.5 (above)
#   试用期满转正率 100% → 99%, w 2, printed 1.9: 2 × 99/100 = 1.98
#   five 50人/160人 → 0人 trainings, printed 0: 0; 人民满意…满意度 95% → —, printed 0: 0
#   2+X专题研讨班人数 450人 → 642人次 (人 vs 人次, no rule): 4 as printed
FORM_1_BUDGET = 10 * F("1078.63") / F("1096.39")
FORM_1_INDICATORS = F("82.30") + (F("1.91") - F("1.9")) + (F("1.35") - F("1.5")) + (F("2.5") - 4) + (
    F("1.98") - F("1.9")
)
# Form 2 (组织部门建设和管理工作经费, 2020): 全年预算数 1169.99, 全年执行数 1090.53,
# printed 9.32 and 98.42 in all; every missed indicator (100% → 80%, w 1, 0.8;
# 100% → 90%, w 3, 2.7) is scored exactly in proportion, every other one in full
# or kept (稳定 → 基本稳定, w 3, 3): indicators 98.42 − 9.32 = 89.10 as printed.
FORM_2_BUDGET = 10 * F("1090.53") / F("1169.99")
FORM_2_INDICATORS = F("89.10")


def test_unit_year_gap_of_the_2020_forms_by_hand(warehouse):
    claimed = F("92.14") + F("98.42")
    rederived = FORM_1_BUDGET + FORM_1_INDICATORS + FORM_2_BUDGET + FORM_2_INDICATORS
    row = warehouse.one(
        "select n_evaluations, n_indicators, points_claimed, points_rederived, score_gap, n_indicators_above,"
        " share_indicators_above from marts.agg_unit_year_score_gap"
        " where department_name = '中共上海市委组织部' and year = 2020"
    )
    n_forms, n_indicators, got_claimed, got_rederived, gap, n_above, share = row
    assert (n_forms, n_indicators) == (2, 41 + 28)  # 41 indicator rows in form 1, 28 in form 2
    assert F(str(got_claimed)) == claimed
    assert abs(F(str(got_rederived)) - rederived) < F("0.001")
    assert abs(F(str(gap)) - (claimed - rederived)) < F("0.001")
    assert n_above == 2  # 90 of 200 trainees and 50 of 80 trainees, both scored above their share
    assert float(share) == pytest.approx(2 / 69, abs=0.0001)


def test_indicators_scored_above_their_result_by_hand(warehouse):
    rows = warehouse.rows(
        "select r.indicator_name, r.score_claimed, r.score_rederived from marts.fct_score_recheck r"
        " join marts.fct_evaluation e using (evaluation_id)"
        " where e.year = 2020 and r.is_scored_above order by r.indicator_seq"
    )
    assert [(name, float(claimed), float(rederived)) for name, claimed, rederived in rows] == [
        ("处级领导干部任职培训班人数", 1.5, 1.35),
        ("中组部公务员对口培训人数", 4.0, 2.5),
    ]


@pytest.mark.parametrize(
    ("project", "claimed", "rederived"),
    [
        # 003, form 1: 全年预算数 7.25, 全年执行数 7.24, printed 9.98; every target met
        # (84 of ≥84 件, 56 of ≥56 套, 99% of ≥95/98/98%, 100% of =100% twice, 99% of
        # ≥90%, 100% of ≥99%, 99% of ≥95%), weights 10×7 + 5 + 5 + 10 = 90, printed
        # 70 + 4 + 5 + 9 = 88: the form scores itself two points below its numbers.
        ("机关事业单位运行保障经费", F("97.98"), 10 * F("7.24") / F("7.25") + 90),
        # 003, form 2: 4.00 of 4.00 spent, printed 10; every target met (有效 → 达成指标,
        # w 10, printed 9), weights 90, printed 89.
        ("课题（规划）等研究经费", F("99"), F("100")),
    ],
)
def test_training_center_forms_by_hand(warehouse, project, claimed, rederived):
    got_claimed, got_rederived, gap = warehouse.one(
        "select points_claimed, points_rederived, score_gap from marts.fct_evaluation_score_recheck"
        " where project_name = ? and year = 2023",
        project,
    )
    assert F(str(got_claimed)) == claimed
    assert abs(F(str(got_rederived)) - rederived) < F("0.0001")
    assert abs(F(str(gap)) - (claimed - rederived)) < F("0.0001")


def test_question_6_ranks_units_by_their_gap(warehouse):
    relation = warehouse.con.sql(Q6.read_text(encoding="utf-8"))
    records = [dict(zip(relation.columns, row)) for row in relation.fetchall()]
    assert len(records) == warehouse.scalar("select count(*) from marts.agg_unit_year_score_gap")
    top = records[0]
    assert (top["unit"], top["year"]) == ("中共上海市委组织部", 2020)
    claimed = F("92.14") + F("98.42")
    rederived = FORM_1_BUDGET + FORM_1_INDICATORS + FORM_2_BUDGET + FORM_2_INDICATORS
    assert float(top["score_gap"]) == pytest.approx(float(claimed - rederived), abs=0.01)
    assert [r["score_gap"] for r in records] == sorted((r["score_gap"] for r in records), reverse=True)
