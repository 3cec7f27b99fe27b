"""``jixiao build --engine spark``: ingest and dbt on Spark, served by DuckDB.

The steps (``build_on_spark``), inside a build's own folder:

1. ``ingest`` on Spark: data/raw/ parsed in Spark tasks into ``landing/``
   (the Parquet landing zone, see ingest.engines.spark);
2. ``dbt build --target spark`` in the same Spark session: the models read
   the landing zone (external tables ``raw.*``) and write the marts as
   Parquet tables under ``spark-warehouse/``;
3. the marts and seeds, and the landing zone as ``raw``, copied into the build's
   DuckDB file (``copy_into_duckdb``): the file the quality suites check,
   the dashboard reads and ``jixiao build`` validates and swaps in, exactly
   as after a DuckDB build.

Spark is where the work grows with the input (parsing, joins, aggregations);
the served warehouse stays a DuckDB file.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from pyspark.sql import SparkSession

from ingest.engines.spark import SparkIngestReport, ingest_spark, landing_uri
from ingest.landing import SCHEMAS
from ingest.limits import Limits
from jixiao.build import DbtOutcome, dbt_arguments, outcome_of, run_dbt
from jixiao.releases import DB_NAME

MART_SCHEMA = "marts"
# The schemas of the Spark build copied into the served DuckDB file: what
# the dashboard, the quality rules (seeds.unit_conversions) and analysts read.
SERVED_SCHEMAS = ("seeds", MART_SCHEMA)
WAREHOUSE_DIR = "spark-warehouse"


def run_dbt_spark(command: Sequence[str], landing: str | Path, target_dir: Path | None = None) -> DbtOutcome:
    """Run one dbt command on the ``spark`` target, in this process's Spark
    session (create it first: jixiao.spark.spark_session), the ``raw``
    source being the landing zone ``landing`` (dbt var ``landing``)."""
    from dbt.cli.main import dbtRunner

    args = [
        *dbt_arguments(command, target_dir), "--target", "spark", "--no-send-anonymous-usage-stats",
        "--vars", json.dumps({"landing": landing_uri(landing)}),
    ]
    return outcome_of(dbtRunner().invoke(args))


def schema_tables(spark: SparkSession, schema: str) -> list[str]:
    return sorted(t.name for t in spark.catalog.listTables(schema) if t.tableType != "VIEW")


def export_schema(spark: SparkSession, schema: str, out: Path) -> dict[str, Path]:
    """Every table of ``schema`` written as ``out/<table>.parquet`` (a folder)."""
    written = {}
    for table in schema_tables(spark, schema):
        target = out / f"{table}.parquet"
        spark.table(f"{schema}.{table}").write.mode("overwrite").parquet(str(target))
        written[table] = target
    return written


def _parquet(path: Path) -> str:
    """A read_parquet argument for a single file or a folder of part files."""
    return (path / "*.parquet").as_posix() if path.is_dir() else path.as_posix()


def copy_into_duckdb(db_path: Path, schemas: Mapping[str, Mapping[str, Path]]) -> None:
    """Parquet datasets as tables ``<schema>.<table>`` of a DuckDB file
    (replacing them), ``schemas`` mapping each schema to its tables."""
    with duckdb.connect(str(db_path)) as con:
        for schema, tables in schemas.items():
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            for table, path in tables.items():
                con.execute(
                    f"CREATE OR REPLACE TABLE {schema}.{table} AS SELECT * FROM read_parquet('{_parquet(path)}')"
                )


def landing_tables(landing: Path) -> dict[str, Path]:
    return {table: landing / f"{table}.parquet" for table in SCHEMAS}


def file_changes(db_path: Path, served: Path | None) -> dict[str, int]:
    """The files of this build (``raw.source_files``) against those of the
    served warehouse: the counts ``ops.build_runs`` records."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        seen = dict(con.sql("SELECT source_file, source_sha256 FROM raw.source_files").fetchall())
    known: dict[str, str] = {}
    if served is not None and served.exists():
        with duckdb.connect(str(served), read_only=True) as con:
            known = dict(con.sql("SELECT source_file, source_sha256 FROM raw.source_files").fetchall())
    return {
        "files_seen": len(seen),
        "files_new": sum(1 for name in seen if name not in known),
        "files_changed": sum(1 for name, sha in seen.items() if name in known and known[name] != sha),
        "files_unchanged": sum(1 for name, sha in seen.items() if known.get(name) == sha),
        "files_removed": sum(1 for name in known if name not in seen),
    }


@dataclass
class SparkBuild:
    ingest: SparkIngestReport
    dbt: DbtOutcome
    db_path: Path
    exported: dict[str, dict[str, Path]]  # schema -> table -> Parquet folder

    @property
    def marts(self) -> dict[str, Path]:
        return self.exported.get(MART_SCHEMA, {})


def build_on_spark(
    spark: SparkSession,
    raw_paths: Sequence[str | Path],
    folder: Path,
    say: Callable[[str], None] = print,
    limits: Limits | None = None,
) -> SparkBuild:
    """Ingest + ``dbt build`` on Spark into ``folder``: the landing zone in
    ``folder/landing``, dbt's artifacts in ``folder/dbt``, the marts and seeds
    exported to ``folder/export/<schema>/``, and ``folder/jixiao.duckdb`` holding
    ``raw`` (the landing zone) and, when dbt succeeded, ``seeds`` and ``marts``.
    Create the session with
    ``warehouse_dir=folder / WAREHOUSE_DIR``."""
    from jixiao.spark import print_spark_ingest_summary

    landing = folder / "landing"
    db_path = folder / DB_NAME
    report = ingest_spark(spark, raw_paths, landing, limits=limits)
    print_spark_ingest_summary(report)
    copy_into_duckdb(db_path, {"raw": landing_tables(landing)})
    say("dbt build (spark): running models and tests ...")
    outcome = run_dbt_spark(["build"], landing, target_dir=folder / "dbt")
    exported: dict[str, dict[str, Path]] = {}
    if outcome.success:
        exported = {schema: export_schema(spark, schema, folder / "export" / schema) for schema in SERVED_SCHEMAS}
        copy_into_duckdb(db_path, exported)
        # the warehouse's SQL macros (marts.execution_rate_pct, defined once in macros/metrics.sql), which a
        # DuckDB build creates as it runs: the dashboard and analysts call them on the served file
        macros = run_dbt(["run-operation", "create_warehouse_macros"], db_path, target_dir=folder / "dbt-macros")
        if not macros.success:
            outcome = macros
    return SparkBuild(report, outcome, db_path, exported)


def spark_build_step(
    raw_dir: Path,
    folder: Path,
    served: Path | None,
    *,
    master: str | None = None,
    conf: Mapping[str, str] | None = None,
    say: Callable[[str], None] = print,
    limits: Limits | None = None,
) -> tuple[dict[str, int], DbtOutcome]:
    """The ingest and dbt steps of ``jixiao build --engine spark`` (called by
    jixiao.orchestrate): every file of ``raw_dir`` parsed on Spark, the marts
    built on Spark, both copied into ``folder/jixiao.duckdb``. Returns the
    file counts for ``ops.build_runs`` (against ``served``) and dbt's outcome."""
    from jixiao.spark import spark_session

    spark = spark_session(master, conf, warehouse_dir=folder / WAREHOUSE_DIR)
    try:
        build = build_on_spark(spark, [raw_dir], folder, say=say, limits=limits)
    finally:
        spark.stop()  # the quality suites run on the DuckDB file
    if build.dbt.success:  # everything is in the DuckDB file now; landing/ stays, as after a DuckDB build
        for scratch in (folder / WAREHOUSE_DIR, folder / "export"):
            shutil.rmtree(scratch, ignore_errors=True)
    counts = file_changes(build.db_path, served)
    counts["forms_parsed"] = build.ingest.forms_landed
    return counts, build.dbt
