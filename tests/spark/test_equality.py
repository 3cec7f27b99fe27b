"""The bundled documents built on DuckDB and on local Spark give equal marts,
the same landing zone and the same quality findings (see conftest.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.landing import SCHEMAS

pytestmark = pytest.mark.usefixtures("duckdb_build", "spark_build")


def mart_rows(build, mart: str, columns: str = "*") -> list[tuple]:
    return sorted(build.rows(f"select {columns} from {build.marts[mart]}"), key=repr)


def mart_types(build, mart: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind, *_ in build.rows(f"describe select * from {build.marts[mart]}")]


def by_id(build, mart: str, key: str, columns: list[str]) -> dict:
    rows = build.rows(f"select {key}, {', '.join(columns)} from {build.marts[mart]}")
    return {row[0]: dict(zip(columns, row[1:])) for row in rows}


# -- dbt ---------------------------------------------------------------------
def test_dbt_build_passes_on_spark_with_the_same_nodes(duckdb_build, spark_build):
    assert duckdb_build.dbt.success and spark_build.dbt.success
    assert spark_build.dbt.failed == 0 and spark_build.dbt.skipped == 0
    assert spark_build.dbt.passed == duckdb_build.dbt.passed


# -- the landing zone ----------------------------------------------------------
@pytest.mark.parametrize("table", list(SCHEMAS))
def test_landing_zone_has_the_same_columns_and_types(duckdb_build, spark_build, landing_schema, table):
    assert landing_schema(spark_build.landing, table) == landing_schema(duckdb_build.landing, table)


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_landing_zone_has_the_same_rows(duckdb_build, spark_build, landing_rows, table):
    spark_rows = landing_rows(spark_build.landing, table)
    assert spark_rows == landing_rows(duckdb_build.landing, table)
    assert spark_rows  # every table holds rows from the bundled documents (errors: warnings)


# -- the marts -----------------------------------------------------------------
def test_the_same_marts_with_the_same_row_counts(duckdb_build, spark_build):
    assert sorted(spark_build.marts) == sorted(duckdb_build.marts)
    counts = {m: len(mart_rows(duckdb_build, m)) for m in duckdb_build.marts}
    assert {m: len(mart_rows(spark_build, m)) for m in spark_build.marts} == counts
    assert counts["fct_evaluation"] == 48  # 2 + 9 + 30 + 7 forms in the four documents


@pytest.mark.parametrize(
    "mart", ["fct_evaluation", "fct_indicator_result", "fct_budget_line", "dim_department", "dim_project",
             "dim_year", "dim_indicator_category"],
)
def test_every_mart_equal_row_for_row_with_the_same_types(duckdb_build, spark_build, mart):
    assert mart_types(spark_build, mart) == mart_types(duckdb_build, mart)
    assert mart_rows(spark_build, mart) == mart_rows(duckdb_build, mart)


EVALUATION = ["budget_initial_yuan", "budget_full_year_yuan", "executed_yuan", "execution_rate_pct",
              "execution_rate_computed_pct", "budget_weight", "budget_score", "total_weight", "total_score",
              "indicator_weight_sum", "indicator_score_sum", "grade_printed", "grade_computed"]


def test_every_evaluations_money_scores_and_grade(duckdb_build, spark_build):
    spark = by_id(spark_build, "fct_evaluation", "evaluation_id", EVALUATION)
    assert spark == by_id(duckdb_build, "fct_evaluation", "evaluation_id", EVALUATION)
    # 003, first form (机关事业单位运行保障经费), transcribed: 7.25 / 7.25 / 7.24 万元,
    # 执行率 99.86, 得分 9.98, 总分 97.98, 优
    (form,) = [v for v in spark.values() if v["executed_yuan"] == Decimal("72400.00")
               and v["budget_full_year_yuan"] == Decimal("72500.00")]
    assert (form["budget_initial_yuan"], form["execution_rate_pct"], form["budget_score"], form["total_score"],
            form["grade_printed"], form["grade_computed"]) == (
        Decimal("72500.00"), Decimal("99.86"), Decimal("9.98"), Decimal("97.98"), "优", "优")


INDICATOR = ["target_text", "target_operator", "target_low", "target_high", "target_unit", "target_parse_status",
             "actual_operator", "actual_low", "actual_high", "actual_unit", "target_met", "target_met_basis",
             "weight", "score"]


def test_every_indicators_parsed_target_and_target_met(duckdb_build, spark_build):
    spark = by_id(spark_build, "fct_indicator_result", "indicator_id", INDICATOR)
    assert spark == by_id(duckdb_build, "fct_indicator_result", "indicator_id", INDICATOR)
    assert {v["target_met"] for v in spark.values()} == {True, False, None}
    # 003, 衬衫数量: ≥84.00(件), actual 84.00(件), 10 of 10 points
    shirts = [v for v in spark.values() if v["target_text"] == "≥84.00(件)"]
    assert [(v["target_operator"], v["target_low"], v["target_unit"], v["target_met"]) for v in shirts] == [
        (">=", Decimal("84"), "件", True)]


def test_every_department_and_project_id(duckdb_build, spark_build):
    for mart, key, columns in [
        ("dim_department", "department_id", ["department_name", "name_variants"]),
        ("dim_project", "project_id", ["project_name", "department_id", "years", "name_variants"]),
        ("fct_evaluation", "evaluation_id", ["project_id", "department_id", "supervising_department_id"]),
        ("fct_indicator_result", "indicator_id", ["project_id", "department_id", "category_id"]),
    ]:
        assert by_id(spark_build, mart, key, columns) == by_id(duckdb_build, mart, key, columns), mart


# -- quality -------------------------------------------------------------------
def test_quality_suites_find_the_same_on_the_spark_marts(duckdb_build, spark_build):
    assert duckdb_build.quality.gx_ok and spark_build.quality.gx_ok
    assert spark_build.quality.counts == duckdb_build.quality.counts
    findings = "select * from marts.dq_findings order by finding_id"
    spark_findings = spark_build.rows(findings)
    assert spark_findings == duckdb_build.rows(findings)
    assert len(spark_findings) > 0
