"""The query module on the real warehouse: numbers equal to the marts (queried here
independently) and to values transcribed by hand from data/raw/."""

from __future__ import annotations

import polars as pl
import pytest

from dashboards import queries
from dashboards.connection import get_warehouse

from .conftest import Built

# Transcribed from data/raw/003_dc4befe519062102.txt (上海市干部培训中心, 2023, 万元):
# 全年预算数 7.25 + 4.00 + 9.50 + 48.86 + 138.71 + 146.00 + 950.00
# 全年执行数 7.24 + 4.00 + 8.94 + 39.41 + 115.21 + 131.86 + 611.15
# 总分 97.98, 99, 92.41, 98.06, 97.3, 99.03, 96.43
TRAINING_CENTER = "上海市干部培训中心"
TC_BUDGET = 7.25 + 4.00 + 9.50 + 48.86 + 138.71 + 146.00 + 950.00
TC_EXECUTED = 7.24 + 4.00 + 8.94 + 39.41 + 115.21 + 131.86 + 611.15
TC_SCORES = [97.98, 99, 92.41, 98.06, 97.3, 99.03, 96.43]
# data/raw/000_0e1cca4759df0cce.txt (中共上海市委组织部, 2020): two forms.
CITY_ORG = "中共上海市委组织部"
CITY_BUDGET = 1096.39 + 1169.99
CITY_EXECUTED = 1078.63 + 1090.53
CITY_SCORES = [92.14, 98.42]


@pytest.fixture(scope="module")
def wh(full: Built):
    return get_warehouse(full.db)


def dept_id(full: Built, name: str) -> str:
    return full.scalar(
        "SELECT department_id FROM marts.dim_department WHERE department_name = $n", {"n": name}
    )


def row(frame: pl.DataFrame, **where) -> dict:
    hit = frame.filter(*[pl.col(k) == v for k, v in where.items()])
    assert hit.height == 1, (where, hit)
    return hit.row(0, named=True)


def test_unit_year_summary_matches_the_documents(wh, full: Built) -> None:
    summary = queries.unit_year_summary(wh)
    tc = row(summary, department_name=TRAINING_CENTER, year=2023)
    assert tc["n_projects"] == 7
    assert tc["budget_wan"] == pytest.approx(TC_BUDGET)
    assert tc["executed_wan"] == pytest.approx(TC_EXECUTED)
    assert tc["execution_rate_pct"] == pytest.approx(100 * TC_EXECUTED / TC_BUDGET)
    assert tc["mean_score"] == pytest.approx(sum(TC_SCORES) / len(TC_SCORES))
    assert tc["n_excellent"] == 7 and tc["n_good"] == tc["n_fair"] == tc["n_poor"] == 0
    city = row(summary, department_name=CITY_ORG, year=2020)
    assert city["n_projects"] == 2
    assert city["budget_wan"] == pytest.approx(CITY_BUDGET)
    assert city["executed_wan"] == pytest.approx(CITY_EXECUTED)
    assert city["mean_score"] == pytest.approx(sum(CITY_SCORES) / 2)


def test_years_without_data_are_null_not_zero(wh) -> None:
    """No document holds a 2021 form: its cells are empty, and 2022 is not compared with it."""
    summary = queries.unit_year_summary(wh)
    y2021 = summary.filter(pl.col("year") == 2021)
    assert y2021.height == summary["department_id"].n_unique()  # one row per unit, shown
    assert not y2021["year_has_data"].any() and not y2021["has_data"].any()
    for column in ("n_projects", "budget_wan", "execution_rate_pct", "mean_score", "n_excellent", "n_errors"):
        assert y2021[column].null_count() == y2021.height, column
    y2022 = summary.filter(pl.col("year") == 2022)
    assert y2022["mean_score_change"].null_count() == y2022.height
    years = queries.year_summary(wh)
    assert row(years, year=2021)["has_data"] is False
    assert row(years, year=2021)["n_projects"] is None


def test_year_summary_equals_the_marts(wh, full: Built) -> None:
    expected = full.sql(
        """SELECT year, count(*) AS n, sum(budget_full_year_yuan) / 10000 AS budget,
                  sum(executed_yuan) / 10000 AS executed, avg(total_score) AS score
           FROM marts.fct_evaluation GROUP BY year"""
    )
    got = queries.year_summary(wh)
    assert set(got["year"]) == set(full.sql("SELECT year FROM marts.dim_year")["year"])
    for r in expected.iter_rows(named=True):
        g = row(got, year=r["year"])
        assert g["n_projects"] == r["n"]
        assert g["budget_wan"] == pytest.approx(r["budget"])
        assert g["executed_wan"] == pytest.approx(r["executed"])
        assert g["mean_score"] == pytest.approx(r["score"])
    findings = full.sql(
        """SELECT e.year, count(*) FILTER (WHERE severity = 'warning') AS w,
                  count(*) FILTER (WHERE severity = 'info') AS i, count(*) FILTER (WHERE severity = 'error') AS e
           FROM marts.dq_findings f JOIN marts.fct_evaluation e ON e.evaluation_id = f.evaluation_id
           GROUP BY e.year"""
    )
    assert findings.height > 0
    for r in findings.iter_rows(named=True):
        g = row(got, year=r["year"])
        assert (g["n_errors"], g["n_warnings"], g["n_infos"]) == (r["e"], r["w"], r["i"])


def test_filters_restrict_units_and_years(wh, full: Built) -> None:
    tc = dept_id(full, TRAINING_CENTER)
    only = queries.unit_year_summary(wh, units=[tc], years=[2023])
    assert only.height == 1 and only["department_name"].item() == TRAINING_CENTER
    scores = queries.evaluation_scores(wh, units=[tc])
    assert sorted(scores["total_score"].to_list()) == pytest.approx(sorted(TC_SCORES))
    assert queries.evaluation_scores(wh, years=[2021]).height == 0


def test_points_lost_and_indicators_met_equal_the_marts(wh, full: Built) -> None:
    lost = queries.points_lost_by_category(wh)
    expected = full.sql(
        """SELECT e.department_id, sum(i.weight - i.score) AS lost, count(*) AS n
           FROM marts.fct_indicator_result i JOIN marts.fct_evaluation e ON e.evaluation_id = i.evaluation_id
           GROUP BY e.department_id"""
    )
    for r in expected.iter_rows(named=True):
        mine = lost.filter(pl.col("department_id") == r["department_id"])
        assert mine["points_lost"].sum() == pytest.approx(r["lost"])
        assert mine["n_indicators"].sum() == r["n"]
    # 上海市干部培训中心: 对外形象好评 5→4, 员工满意度 10→9, 课题成果指导实践有效情况 10→9, … (data/raw/003)
    tc = lost.filter(pl.col("department_name") == TRAINING_CENTER)
    assert tc["n_forms"].unique().to_list() == [7]
    met = queries.indicators_met(wh)
    expected_met = full.sql(
        """SELECT e.department_id, e.year, count(*) FILTER (WHERE target_met) AS met, count(target_met) AS judged
           FROM marts.fct_indicator_result i JOIN marts.fct_evaluation e ON e.evaluation_id = i.evaluation_id
           GROUP BY ALL"""
    )
    for r in expected_met.iter_rows(named=True):
        g = row(met, department_id=r["department_id"], year=r["year"])
        assert (g["n_met"], g["n_judged"]) == (r["met"], r["judged"])


def test_project_queries_return_the_whole_form(wh, full: Built) -> None:
    ev = full.scalar(
        "SELECT evaluation_id FROM marts.fct_evaluation WHERE project_name = '公务员管理工作经费' AND year = 2020"
    )
    header = queries.evaluation_header(wh, ev).row(0, named=True)
    assert header["total_score"] == pytest.approx(92.14)
    assert header["department_name"] == CITY_ORG
    indicators = queries.evaluation_indicators(wh, ev)
    assert indicators.height == 41  # counted in data/raw/000…: 15+7+1 产出, 9+1 效益, 8 满意度
    picked = row(indicators, indicator_name="选调生考试录用人数")
    assert (picked["weight"], picked["score"]) == (2, 1.9)
    assert picked["deviation_reason"].startswith("试用期内提出取消录用")
    budget = queries.evaluation_budget_lines(wh, ev)
    total = row(budget, fund_source="total")
    assert (total["initial_amount"], total["full_year_amount"], total["executed_amount"]) == (1219, 1096.39, 1078.63)
    goals = queries.evaluation_goals(wh, ev).row(0, named=True)
    assert "公务员考试录用" in goals["goal_planned"]
    # findings beside their rows: exactly the marts' findings of each indicator
    expected = full.sql(
        "SELECT indicator_seq, count(*) AS n FROM marts.dq_findings WHERE evaluation_id = $e AND indicator_seq IS NOT NULL GROUP BY 1",
        {"e": ev},
    )
    assert expected.height > 0
    for r in expected.iter_rows(named=True):
        assert row(indicators, indicator_seq=r["indicator_seq"])["n_findings"] == r["n"]
    assert queries.evaluation_findings(wh, ev).height == full.scalar(
        "SELECT count(*) FROM marts.dq_findings WHERE evaluation_id = $e", {"e": ev}
    )
    history = queries.project_history(wh, header["project_id"])
    assert history.height == full.scalar(
        "SELECT count(*) FROM marts.fct_evaluation WHERE project_id = $p", {"p": header["project_id"]}
    )


def test_search_finds_by_project_and_unit(wh) -> None:
    hits = queries.search_evaluations(wh, "公务员管理")
    assert {"公务员管理工作经费", "公务员管理"} <= set(hits["project_name"])
    by_unit = queries.search_evaluations(wh, "干部培训中心")
    assert by_unit.height == 7


def test_findings_queries_equal_the_marts(wh, full: Built) -> None:
    total = full.scalar("SELECT count(*) FROM marts.dq_findings")
    assert queries.findings_list(wh).height == total
    assert queries.findings_by_rule(wh)["n_findings"].sum() == total
    assert queries.findings_by_unit_year(wh)["n_findings"].sum() == total
    per_rule = full.sql("SELECT rule_id, count(*) AS n FROM marts.dq_findings GROUP BY 1")
    got = queries.findings_by_rule(wh)
    for r in per_rule.iter_rows(named=True):
        assert row(got, rule_id=r["rule_id"])["n_findings"] == r["n"]
    warnings = queries.findings_list(wh, severities=["warning"])
    assert set(warnings["severity"]) == {"warning"}


def test_a_warehouse_without_findings_or_build_log_still_answers(dbt_only: Built) -> None:
    wh = get_warehouse(dbt_only.db)
    assert queries.last_build(wh).height == 0  # no ops.build_runs in this warehouse
    assert queries.findings_list(wh).height == 0  # no marts.dq_findings either
    assert queries.year_summary(wh).filter(pl.col("has_data"))["year"].to_list() == [2023]


def test_example_calls_cover_every_query(wh) -> None:
    calls = queries.example_calls(wh)
    public = {
        name for name, fn in vars(queries).items()
        if callable(fn) and getattr(fn, "__module__", "") == queries.__name__ and not name.startswith("_")
    } - {"example_calls", "has_table", "table_columns"}
    assert public <= {name.removesuffix("_filtered") for name in calls}
    for name, call in calls.items():
        assert isinstance(call(), pl.DataFrame), name
