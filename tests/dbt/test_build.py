"""The real dbt build on the bundled documents: it succeeds, runs the unit and
data tests, and produces every mart with the contract's columns."""

from __future__ import annotations

import json

import pytest

# The mart column contract (issue 4 and the names fixed with the quality and
# dashboard engineers). Marts may have more columns, never fewer.
CONTRACT = {
    "fct_evaluation": [
        "evaluation_id", "year", "project_id", "department_id", "supervising_department_id",
        "project_name", "implementing_unit", "supervising_department", "budget_initial_yuan",
        "budget_full_year_yuan", "executed_yuan", "execution_rate_pct", "execution_rate_computed_pct",
        "budget_weight", "budget_score", "total_weight", "total_score", "grade_printed",
        "grade_computed", "n_indicators", "source_file", "form_seq", "money_unit",
        "indicator_weight_sum", "indicator_score_sum", "layout", "line_start", "line_end",
    ],
    "fct_budget_line": [
        "evaluation_id", "fund_source", "initial_yuan", "full_year_yuan", "executed_yuan",
        "initial_amount", "full_year_amount", "executed_amount", "money_unit",
    ],
    "fct_indicator_result": [
        "evaluation_id", "indicator_seq", "category_id", "level1_name", "level2_name",
        "indicator_name", "target_text", "actual_text", "target_operator", "target_low",
        "target_high", "target_unit", "target_is_quantitative", "actual_operator", "actual_low",
        "actual_high", "actual_unit", "actual_is_quantitative", "actual_band", "target_met",
        "weight", "score", "score_ratio", "deviation_reason", "line_no",
    ],
    "dim_department": ["department_id", "department_name", "name_variants", "level", "district", "is_summary_unit"],
    "dim_year": ["year", "has_data"],
    "dim_indicator_category": ["category_id", "level1_name", "level2_name", "level1_code", "level2_code", "sort_order"],
    "dim_project": ["project_id", "project_name", "department_id", "years", "first_year", "last_year", "name_variants"],
}


def test_dbt_build_succeeds(built_warehouse):
    outcome = built_warehouse.outcome
    assert outcome.success, outcome.failures
    assert outcome.failed == 0
    assert outcome.passed > 100


def test_build_ran_models_unit_tests_and_data_tests(built_warehouse):
    results = json.loads((built_warehouse.target_dir / "run_results.json").read_text())["results"]
    by_type: dict[str, list[str]] = {}
    for result in results:
        by_type.setdefault(result["unique_id"].split(".")[0], []).append(result["status"])
    assert set(by_type["model"]) == {"success"} and len(by_type["model"]) >= 14
    assert set(by_type["unit_test"]) == {"pass"} and len(by_type["unit_test"]) >= 3
    assert set(by_type["seed"]) == {"success"}
    assert set(by_type["test"]) <= {"pass", "warn"} and len(by_type["test"]) > 100


@pytest.mark.parametrize("mart", sorted(CONTRACT))
def test_mart_has_contract_columns(warehouse, mart):
    columns = warehouse.columns("marts", mart)
    assert columns, f"marts.{mart} is missing"
    assert [c for c in CONTRACT[mart] if c not in columns] == []


def test_every_landed_row_reaches_the_facts(warehouse):
    for raw_table, mart in [
        ("forms", "fct_evaluation"),
        ("budget_lines", "fct_budget_line"),
        ("indicators", "fct_indicator_result"),
    ]:
        landed = warehouse.scalar(f"select count(*) from raw.{raw_table}")
        assert landed > 0
        assert warehouse.scalar(f"select count(*) from marts.{mart}") == landed


def test_facts_reference_their_dimensions(warehouse):
    orphans = warehouse.scalar(
        """
        select count(*) from marts.fct_evaluation e
        left join marts.dim_project p using (project_id)
        left join marts.dim_department d on e.department_id = d.department_id
        left join marts.dim_year y using (year)
        where p.project_id is null or d.department_id is null or y.year is null
        """
    )
    assert orphans == 0
