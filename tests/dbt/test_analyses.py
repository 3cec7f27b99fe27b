"""The analysts' questions in analyses/ (the README's "Query the warehouse")
run on the built warehouse and add up to the marts they summarise."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.paths import PROJECT_ROOT

QUESTIONS = sorted((PROJECT_ROOT / "analyses").glob("q*.sql"))


def run(warehouse, path: Path) -> tuple[list[str], list[tuple]]:
    relation = warehouse.con.sql(path.read_text(encoding="utf-8"))
    return relation.columns, relation.fetchall()


def test_there_are_six_questions():
    assert len(QUESTIONS) == 6


@pytest.mark.parametrize("path", QUESTIONS, ids=lambda p: p.stem)
def test_question_runs(warehouse, path):
    columns, _ = run(warehouse, path)
    assert len(columns) >= 3


def test_execution_rate_by_unit_covers_every_form(warehouse):
    columns, rows = run(warehouse, PROJECT_ROOT / "analyses" / "q1_execution_rate_by_unit_and_year.sql")
    forms = [dict(zip(columns, row))["forms"] for row in rows]
    assert sum(forms) == warehouse.scalar("select count(*) from marts.fct_evaluation")


def test_targets_by_category_cover_every_indicator(warehouse):
    columns, rows = run(warehouse, PROJECT_ROOT / "analyses" / "q2_targets_not_met_by_category.sql")
    records = [dict(zip(columns, row)) for row in rows]
    assert sum(r["indicators"] for r in records) == warehouse.scalar("select count(*) from marts.fct_indicator_result")
    assert all(r["met"] + r["not_met"] + r["not_judged"] == r["indicators"] for r in records)


def test_projects_across_years_span_several_years(warehouse):
    columns, rows = run(warehouse, PROJECT_ROOT / "analyses" / "q3_projects_across_years.sql")
    years_per_project: dict[tuple[str, str], set[int]] = {}
    for row in rows:
        record = dict(zip(columns, row))
        years_per_project.setdefault((record["project_name"], record["unit"]), set()).add(record["year"])
    # Only two projects are printed in more than one year: 000 (2020) and 001
    # (2022) both print 公务员管理工作经费 and 组织部门建设和管理工作经费 of
    # 中共上海市委组织部; no other project name recurs across the documents.
    assert years_per_project == {
        ("公务员管理工作经费", "中共上海市委组织部"): {2020, 2022},
        ("组织部门建设和管理工作经费", "中共上海市委组织部"): {2020, 2022},
    }
    assert len(rows) == 4  # one row per project and year
