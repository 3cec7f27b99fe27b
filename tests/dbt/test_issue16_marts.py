"""Issue 16 on the bundled documents: money facts that can't be double-counted,
one form per project and year, the marts' contracts and descriptions in the
database, target_met counted again. Expected values are read off data/raw/."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

MARTS = [
    "fct_evaluation", "fct_budget_line", "fct_indicator_result", "fct_duplicate_evaluation",
    "dim_department", "dim_year", "dim_indicator_category", "dim_project",
]


def test_budget_lines_carry_year_unit_and_project(warehouse):
    # 002 闵行区创新创业大赛专项经费 (2023, 中共上海闵行区组织部): 年度资金总额 50.00 /
    # 50.00 / 49.52 万元 = 当年财政拨款; 上年结转资金 and 其他资金 0.00.
    rows = warehouse.rows(
        """select b.fund_source, b.fund_source_zh, b.is_total, b.year, b.full_year_yuan, b.executed_yuan,
                  b.project_id = e.project_id, b.department_id = e.department_id
           from marts.fct_budget_line b join marts.fct_evaluation e using (evaluation_id)
           where e.project_name = '闵行区创新创业大赛专项经费' order by b.fund_source_order"""
    )
    assert rows == [
        ("total", "年度资金总额", True, 2023, Decimal("500000"), Decimal("495200"), True, True),
        ("current_year_appropriation", "当年财政拨款", False, 2023, Decimal("500000"), Decimal("495200"), True, True),
        ("prior_year_carryover", "上年结转资金", False, 2023, 0, 0, True, True),
        ("other", "其他资金", False, 2023, 0, 0, True, True),
    ]


def test_summing_the_totals_gives_each_forms_money_once(warehouse):
    # Summing only the total rows gives fct_evaluation's money; summing every row
    # would count each form's money twice (the parts add up to the total).
    by_total = warehouse.scalar("select sum(full_year_yuan) from marts.fct_budget_line where is_total")
    by_form = warehouse.scalar("select sum(budget_full_year_yuan) from marts.fct_evaluation")
    all_rows = warehouse.scalar("select sum(full_year_yuan) from marts.fct_budget_line")
    assert by_total == by_form
    assert all_rows == 2 * by_form  # every bundled form prints its parts: total + parts = twice the money


def test_fund_sources_seed_documents_every_code(warehouse):
    rows = warehouse.rows("select fund_source, fund_source_zh, is_total from seeds.fund_sources order by sort_order")
    assert rows == [
        ("total", "年度资金总额", True),
        ("current_year_appropriation", "当年财政拨款", False),
        ("prior_year_carryover", "上年结转资金", False),
        ("fiscal_funds", "财政资金", False),
        ("special_account_funds", "财政专户管理资金", False),
        ("unit_funds", "单位资金", False),
        ("other", "其他资金", False),
    ]


def test_parts_never_exceed_the_total_on_the_bundled_forms(built_warehouse):
    results = json.loads((built_warehouse.target_dir / "run_results.json").read_text())["results"]
    statuses = {r["unique_id"]: r["status"] for r in results if "parts_not_above_total" in r["unique_id"]}
    assert list(statuses.values()) == ["pass"]


def test_execution_rate_is_one_macro_in_the_warehouse(warehouse):
    # 10.54 ÷ 1,600 × 100 = 0.65875, rounded half up exactly: 0.6588; a zero budget: null.
    assert warehouse.scalar("select marts.execution_rate_pct(10.54, 1600)") == Decimal("0.6588")
    assert warehouse.scalar("select marts.execution_rate_pct(1, 0)") is None
    # 003 上海市干部培训中心 (2023), seven forms: 全年执行数 917.81 of 1304.32 万元 = 70.366…%.
    assert warehouse.scalar(
        """select marts.execution_rate_pct(sum(executed_yuan), sum(budget_full_year_yuan), 2)
           from marts.fct_evaluation where implementing_unit = '上海市干部培训中心'"""
    ) == Decimal("70.37")


def test_no_bundled_form_is_a_duplicate(warehouse):
    # The four documents print 48 forms of 48 different project-years.
    assert warehouse.scalar("select count(*) from marts.fct_duplicate_evaluation") == 0
    assert warehouse.scalar("select count(*) from marts.fct_evaluation") == 48


@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_column_carries_its_description(warehouse, mart):
    table_comment = warehouse.scalar(
        "select comment from duckdb_tables() where schema_name = 'marts' and table_name = ?", mart
    )
    assert table_comment and "(" in table_comment  # 中文 (English)
    missing = warehouse.rows(
        "select column_name from duckdb_columns() where schema_name = 'marts' and table_name = ?"
        " and (comment is null or comment = '')",
        mart,
    )
    assert missing == []


def test_marts_have_enforced_contracts(built_warehouse):
    manifest = json.loads((built_warehouse.target_dir / "manifest.json").read_text())
    marts = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["schema"] == "marts"}
    assert set(MARTS) <= set(marts)
    for name, node in marts.items():
        assert node["config"]["contract"]["enforced"], name
        assert all(c.get("data_type") for c in node["columns"].values()), name


def test_evaluation_ids_are_primary_keys(warehouse):
    constraints = {
        table
        for (table,) in warehouse.rows(
            "select table_name from duckdb_constraints() where schema_name = 'marts' and constraint_type = 'PRIMARY KEY'"
        )
    }
    assert {"fct_evaluation", "fct_indicator_result", "fct_budget_line", "dim_project"} <= constraints


def test_target_met_counted_on_the_bundled_indicators(warehouse):
    # 571 indicators: 518 met, 30 not met, 23 not judged — 2 print no target
    # (系统运维制度健全性, 002, twice), 1 in units that don't convert (450人 /
    # 642人次), 20 free text the rules can't compare (e.g. 稳定 / 基本稳定).
    counts = dict(warehouse.rows("select target_met_basis, count(*) from marts.fct_indicator_result"
                                 " where target_met is null group by all"))
    assert counts == {"no_target": 2, "units_differ": 1, "not_judged": 20}
    assert warehouse.rows(
        "select count(*) filter (where target_met), count(*) filter (where not target_met) from marts.fct_indicator_result"
    ) == [(518, 30)]
