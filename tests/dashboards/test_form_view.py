"""The form laid out like the original, with each finding beside the row it concerns,
for every form of the real warehouse that has findings."""

from __future__ import annotations

import re
from html import escape

import pytest

from dashboards import queries
from dashboards.connection import get_warehouse
from dashboards.form_view import render_form

from .conftest import Built

# Which row of the printed form a form-level rule is about (read from quality/rules.toml's titles).
ROW_OF_RULE = {
    "execution_rate_mismatch": "年度资金总额",  # 执行率不等于全年执行数÷全年预算数
    "budget_score_mismatch": "年度资金总额",  # 预算执行得分不等于分值×执行率
    "fund_sources_mismatch": "年度资金总额",  # 资金来源之和不等于年度资金总额
    "implausible_amount": "年度资金总额",  # 金额与所标单位不符
    "total_score_mismatch": ">总分<",
    "weight_sum_mismatch": ">总分<",
    "total_weight_not_100": ">总分<",
    "level1_weight_guidance": ">总分<",
    "grade_mismatch": ">评分等级<",
}


def rendered(full: Built, evaluation_id: str) -> str:
    wh = get_warehouse(full.db)
    goals = queries.evaluation_goals(wh, evaluation_id)
    return render_form(
        queries.evaluation_header(wh, evaluation_id).row(0, named=True),
        queries.evaluation_budget_lines(wh, evaluation_id),
        goals.row(0, named=True) if goals.height else None,
        queries.evaluation_indicators(wh, evaluation_id),
        queries.evaluation_findings(wh, evaluation_id),
    )


def test_every_finding_stands_in_the_row_it_concerns(full: Built) -> None:
    findings = full.sql(
        """SELECT f.evaluation_id, f.rule_id, f.message, i.indicator_name
           FROM marts.dq_findings f LEFT JOIN marts.fct_indicator_result i
             ON i.evaluation_id = f.evaluation_id AND i.indicator_seq = f.indicator_seq"""
    )
    assert findings.height > 0
    form_level = 0
    for evaluation_id in findings["evaluation_id"].unique():
        rows = rendered(full, evaluation_id).split("<tr")
        for f in findings.filter(findings["evaluation_id"] == evaluation_id).iter_rows(named=True):
            holding = [r for r in rows if escape(f["message"]) in r]
            assert len(holding) == 1, f
            if f["indicator_name"] is not None:
                assert f">{escape(f['indicator_name'])}<" in holding[0]
            elif f["rule_id"] in ROW_OF_RULE:
                form_level += 1
                assert ROW_OF_RULE[f["rule_id"]] in holding[0], f
    assert form_level > 0  # the bundled documents do have form-level findings


@pytest.mark.parametrize(
    "project, year, level1, level2",
    [
        # data/raw/003…: 产出 (数量 4, 质量 2, 时效 1), 效益 (社会效益 3), 满意度 (2)
        ("委托培训", 2023, [7, 3, 2], [4, 2, 1, 3, 2]),
        # data/raw/000…: 产出 (数量 15, 质量 7, 时效 1), 效益 (社会效益 9, 可持续影响 1), 满意度 (8)
        ("公务员管理工作经费", 2020, [23, 10, 8], [15, 7, 1, 9, 1, 8]),
    ],
)
def test_merged_category_cells_span_their_rows(
    full: Built, project: str, year: int, level1: list[int], level2: list[int]
) -> None:
    """The 一级/二级 cells are merged over their indicators, as on paper."""
    ev = full.scalar(
        "SELECT evaluation_id FROM marts.fct_evaluation WHERE project_name = $p AND year = $y", {"p": project, "y": year}
    )
    html = rendered(full, ev)

    def spans(cls: str) -> list[int]:
        return [int(n or 1) for n in re.findall(rf'<td class="{cls}"(?: rowspan="(\d+)")?>', html)]

    assert spans("l1") == level1
    assert spans("l2") == level2
