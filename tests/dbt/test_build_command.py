"""The build and docs commands end to end, and dbt's outcome on a broken pipeline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import duckdb

from jixiao.build import run_dbt


def test_build_command_builds_and_says_what_next(tmp_path):
    db_path = tmp_path / "built.duckdb"
    proc = subprocess.run([sys.executable, "-m", "jixiao.cli", "build", "--db", str(db_path)],
                          capture_output=True, text=True, env={**os.environ, "CI": "true"}, check=False)
    code, printed = proc.returncode, proc.stdout
    with duckdb.connect(str(db_path), read_only=True) as con:
        rejected = con.sql("select count(*) from raw.ingest_errors where severity = 'error'").fetchall()[0][0]
        forms = con.sql("select count(*) from marts.fct_evaluation").fetchall()[0][0]
        landed = con.sql("select count(*) from raw.forms").fetchall()[0][0]
    # 1 = built, but some input was rejected; 0 = all good.
    assert code == (1 if rejected else 0), printed
    assert forms == landed > 0
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
