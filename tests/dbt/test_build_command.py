"""The build and docs commands end to end, and dbt's outcome on a broken pipeline."""

from __future__ import annotations

import json
import shutil

from clitools import query, run_jixiao
from jixiao.build import run_dbt


def test_build_command_builds_and_says_what_next(tmp_path):
    db_path = tmp_path / "built.duckdb"
    proc = run_jixiao("build", "--db", db_path)
    code, printed = proc.returncode, proc.stdout
    # 000, 001, 002, 003 print 2 + 9 + 30 + 7 forms: all land, none is rejected,
    # so the build exits 0 (1 would mean built, but some input rejected).
    assert code == 0, printed + proc.stderr[-2000:]
    [(rejected,)] = query(db_path, "select count(*) from raw.ingest_errors where severity = 'error'")
    [(forms,)] = query(db_path, "select count(*) from marts.fct_evaluation")
    [(landed,)] = query(db_path, "select count(*) from raw.forms")
    assert rejected == 0
    assert forms == landed == 48
    assert f"warehouse: {db_path}" in printed
    assert "jixiao dashboard" in printed
    assert "select * from marts.fct_evaluation" in printed
    assert "dbt build: " in printed and " 0 failed" in printed


def test_broken_pipeline_exits_2(tmp_path):
    # No ingest: the raw tables the models read do not exist, so dbt fails.
    outcome = run_dbt(["build"], tmp_path / "empty.duckdb", target_dir=tmp_path / "target")
    assert not outcome.success
    assert outcome.failed > 0 and outcome.failures


def test_docs_describe_every_mart_and_column(built_warehouse, tmp_path):
    db_copy = tmp_path / "docs.duckdb"
    shutil.copy(built_warehouse.db_path, db_copy)
    target = tmp_path / "target"
    outcome = run_dbt(["docs", "generate", "--static"], db_copy, target_dir=target, read_only=True)
    assert outcome.success, outcome.summary
    assert (target / "static_index.html").stat().st_size > 100_000
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert {m["name"] for m in models} >= {
        "fct_evaluation", "fct_budget_line", "fct_indicator_result",
        "dim_department", "dim_year", "dim_indicator_category", "dim_project",
    }
    undescribed = []
    for model in models:
        if not model["description"].strip():
            undescribed.append(model["name"])
        built_columns = catalog["nodes"][model["unique_id"]]["columns"]
        for column in built_columns:
            if not model["columns"].get(column, {}).get("description", "").strip():
                undescribed.append(f"{model['name']}.{column}")
    assert undescribed == []
