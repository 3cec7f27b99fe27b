"""``jixiao build --engine spark``: ingest and dbt on local Spark, the result
validated, swapped in and served as the same DuckDB file as a DuckDB build;
a DuckDB build can follow it on the same warehouse."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from clitools import query, run_jixiao
from jixiao.paths import RAW_DIR

MARTS = ["fct_evaluation", "fct_indicator_result", "fct_budget_line", "dim_department", "dim_project"]


@dataclass(frozen=True)
class Built:
    served: Path
    spark: object  # CompletedProcess of `jixiao build --engine spark`
    duckdb: object  # CompletedProcess of the `jixiao build` that follows it


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The four bundled documents and an empty file, built on Spark, then
    built again (incrementally) on DuckDB over the same served warehouse."""
    root = tmp_path_factory.mktemp("build_spark")
    raw = root / "raw"
    shutil.copytree(RAW_DIR, raw)
    (raw / "empty.txt").write_bytes(b"")
    served = root / "served" / "jixiao.duckdb"
    spark = run_jixiao("build", "--engine", "spark", "--db", served, "--raw", raw,
                       "--conf", "spark.sql.shuffle.partitions=4")
    duckdb_after = run_jixiao("build", "--db", served, "--raw", raw)
    return Built(served, spark, duckdb_after)


def runs(served: Path) -> list[dict]:
    rows = query(served, "select * from ops.build_runs order by started_at, build_id")
    columns = [c for (c,) in query(served, "select column_name from information_schema.columns "
                                           "where table_schema = 'ops' and table_name = 'build_runs' "
                                           "order by ordinal_position")]
    return [dict(zip(columns, row)) for row in rows]


def test_spark_build_publishes_and_reports_the_rejected_file(built):
    out = built.spark.stdout
    assert built.spark.returncode == 1, out + built.spark.stderr  # published; one input rejected
    assert "(on Spark)" in out
    assert "ingest (spark): 5 files, 48 forms landed, 1 rejected" in out
    assert "rejected empty.txt" in out
    assert "published build" in out


def test_spark_build_is_recorded_like_any_build(built, duckdb_build):
    spark_run = runs(built.served)[0]
    assert (spark_run["status"], spark_run["engine"]) == ("success", "spark")
    assert (spark_run["files_seen"], spark_run["files_new"], spark_run["files_unchanged"]) == (5, 5, 0)
    # 2 + 9 + 30 + 7 forms in the four documents; the empty file is one rejection
    assert (spark_run["forms_landed"], spark_run["forms_parsed"], spark_run["forms_rejected"]) == (48, 48, 1)
    assert spark_run["dbt_failed"] == 0
    assert spark_run["dbt_passed"] == duckdb_build.dbt.passed


def test_spark_build_serves_the_documents_figures(built):
    # 001, form 1 (公务员管理工作经费, 2022, 元): 全年预算数 11,618,500, 全年执行数
    # 10,411,006, 执行率 89.61%, 得分 8.96, 总分 94.90
    rows = query(built.served, "select budget_full_year_yuan, executed_yuan, execution_rate_pct, budget_score, "
                               "total_score from marts.fct_evaluation where year = 2022 "
                               "and project_name = '公务员管理工作经费'")
    assert rows == [(Decimal("11618500"), Decimal("10411006"), Decimal("89.61"), Decimal("8.96"), Decimal("94.90"))]


@pytest.mark.parametrize("mart", MARTS)
def test_spark_build_serves_the_marts_a_duckdb_build_serves(built, duckdb_build, mart):
    sql = f"select * from marts.{mart}"
    assert sorted(query(built.served, sql), key=repr) == sorted(duckdb_build.rows(sql), key=repr)


def test_spark_build_runs_the_quality_suites(built, duckdb_build):
    by_rule = "select rule_id, count(*) from marts.dq_findings group by rule_id order by rule_id"
    found = query(built.served, by_rule)
    assert found == duckdb_build.rows(by_rule)
    assert found  # the bundled documents have findings (see tests/quality)


def test_spark_build_leaves_only_what_a_build_keeps(built):
    build_dir = built.served.parent / "builds" / "jixiao" / runs(built.served)[0]["build_id"]  # the Spark build's
    kept = sorted(p.name for p in build_dir.iterdir())
    assert "spark-warehouse" not in kept and "export" not in kept  # scratch, copied into the DuckDB file
    assert {"jixiao.duckdb", "landing", "dbt", "data_docs"} <= set(kept)


def test_a_duckdb_build_follows_a_spark_build(built, duckdb_build):
    out = built.duckdb.stdout
    assert built.duckdb.returncode == 1, out + built.duckdb.stderr  # the empty file is still rejected
    # its ingest starts from the Spark build's raw tables; its models are built whole (a Spark build serves no
    # seeds or intermediate tables to build on)
    assert "(incremental ingest; models rebuilt: the served build ran on Spark" in out and "published build" in out
    spark_run, duckdb_run = runs(built.served)
    assert (duckdb_run["status"], duckdb_run["engine"], duckdb_run["dbt_mode"]) == ("success", "duckdb", "full")
    status = run_jixiao("status", "--db", built.served).stdout.splitlines()
    assert [line.split()[4] for line in status[2:]] == ["spark", "duckdb"]  # the engine column of `jixiao status`
    assert (duckdb_run["files_new"], duckdb_run["files_changed"], duckdb_run["files_unchanged"]) == (0, 0, 5)
    assert (duckdb_run["forms_landed"], duckdb_run["forms_parsed"]) == (48, 0)
    # the served landing zone: single Parquet files again, in place of Spark's part-file folders
    assert all((built.served.parent / "landing" / f"{t}.parquet").is_file()
               for t in ("forms", "indicators", "budget_lines", "ingest_errors", "source_files"))
    sql = "select evaluation_id, total_score, grade_computed from marts.fct_evaluation"
    assert sorted(query(built.served, sql)) == sorted(duckdb_build.rows(sql))


def test_engine_settings_without_spark_are_refused(tmp_path):
    done = run_jixiao("build", "--db", tmp_path / "jixiao.duckdb", "--master", "local[1]")
    assert done.returncode == 2
    assert "--engine spark" in done.stdout
    assert not (tmp_path / "builds").exists()


def test_build_refuses_a_missing_raw_folder(tmp_path):
    done = run_jixiao("build", "--engine", "spark", "--db", tmp_path / "jixiao.duckdb", "--raw", tmp_path / "nowhere")
    assert done.returncode == 2
    assert "no such file or folder" in done.stdout
    assert not (tmp_path / "builds").exists()


def test_build_refuses_a_malformed_spark_setting(tmp_path):
    done = run_jixiao("build", "--engine", "spark", "--db", tmp_path / "jixiao.duckdb", "--conf", "spark.ui.enabled")
    assert done.returncode == 2
    assert "KEY=VALUE" in done.stdout


def test_a_spark_step_that_stops_is_a_recorded_failure(tmp_path):
    served = tmp_path / "jixiao.duckdb"
    done = run_jixiao("build", "--engine", "spark", "--master", "nowhere://", "--db", served)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "build FAILED: the spark ingest/dbt step stopped" in done.stdout
    assert not served.exists()  # nothing published
    (run,) = [json.loads(line) for line in (tmp_path / "builds" / "jixiao" / "history.jsonl").read_text().splitlines()]
    assert (run["status"], run["engine"]) == ("failed", "spark")
    assert "Traceback" in (tmp_path / "builds" / "jixiao" / run["build_id"] / "error.log").read_text()
