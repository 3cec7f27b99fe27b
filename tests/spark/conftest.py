"""The bundled documents built twice, the real way, once per session:

- ``duckdb_build``: the DuckDB ingest → ``dbt build`` (target duckdb) → the
  quality suites (GX): the session's ``bundled_build`` (tests/conftest.py);
- ``spark_build``: the Spark ingest → ``dbt build --target spark`` in a
  local[*] Spark session → the marts exported as Parquet and copied into a
  DuckDB file → the same quality suites on it (jixiao.spark_build).

One Spark session serves every test here (its JVM starts once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest
from pyspark.sql import SparkSession

from ingest.landing import SCHEMAS
from jixiao.build import DbtOutcome
from jixiao.paths import RAW_DIR
from jixiao.spark import spark_session
from jixiao.spark_build import WAREHOUSE_DIR, build_on_spark
from quality.report import QualityReport
from quality.run import run_quality


@dataclass(frozen=True)
class Build:
    db: Path  # DuckDB file: raw, marts (+ dq_findings)
    landing: Path  # the Parquet landing zone
    marts: dict[str, str]  # mart -> read_parquet / table expression of the engine's own output
    dbt: DbtOutcome
    quality: QualityReport

    def rows(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.sql(sql).fetchall()


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    folder = tmp_path_factory.mktemp("spark_build")
    session = spark_session(warehouse_dir=folder / WAREHOUSE_DIR)
    session.conf.set("jixiao.test.folder", str(folder))
    yield session
    session.stop()


@pytest.fixture(scope="session")
def duckdb_build(bundled_build) -> Build:
    db = bundled_build.db
    with duckdb.connect(str(db), read_only=True) as con:
        marts = con.sql("select table_name from information_schema.tables where table_schema = 'marts'").fetchall()
    marts = {t: f"marts.{t}" for (t,) in marts if t != "dq_findings"}
    return Build(db, bundled_build.landing, marts, bundled_build.dbt, bundled_build.quality)


@pytest.fixture(scope="session")
def spark_build(spark: SparkSession) -> Build:
    folder = Path(spark.conf.get("jixiao.test.folder"))
    built = build_on_spark(spark, [RAW_DIR], folder)
    assert built.dbt.success, built.dbt.failures
    quality = run_quality(built.db_path, folder / "data_docs")
    marts = {t: f"read_parquet('{(p / '*.parquet').as_posix()}')" for t, p in built.marts.items()}
    return Build(built.db_path, folder / "landing", marts, built.dbt, quality)


def parquet(path: Path) -> str:
    """read_parquet's argument for a Parquet file (DuckDB's landing) or a folder of part files (Spark's)."""
    return (path / "*.parquet").as_posix() if path.is_dir() else path.as_posix()


@pytest.fixture(scope="session")
def landing_schema() -> Callable[[Path, str], list[tuple[str, str]]]:
    """(column, Arrow type) of a landing table, as Parquet readers see it."""

    def schema(landing: Path, table: str) -> list[tuple[str, str]]:
        return [(f.name, str(f.type)) for f in ds.dataset(landing / f"{table}.parquet").schema]

    return schema


@pytest.fixture(scope="session")
def landing_rows() -> Callable[[Path, str], list[tuple]]:
    """Every row of a landing table but its ingested_at, sorted."""

    def rows(landing: Path, table: str) -> list[tuple]:
        columns = ", ".join(c for c in SCHEMAS[table] if c != "ingested_at")
        with duckdb.connect() as con:
            found = con.sql(f"select {columns} from read_parquet('{parquet(landing / f'{table}.parquet')}')").fetchall()
        return sorted(found, key=repr)

    return rows
