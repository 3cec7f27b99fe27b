"""Land parsed files in the ``raw`` schema of DuckDB, and as Parquet.

The landing contract (analysts and the dbt sources rely on these names):
``raw.forms``, ``raw.budget_lines``, ``raw.indicators``, ``raw.ingest_errors``,
plus ``raw.source_files`` (one row per file seen, for incremental builds).

Landing a file replaces whatever an earlier ingest landed from a file of the
same name or the same content, inside one transaction: re-running is
idempotent and a changed file replaces its earlier forms.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl

from ingest.records import Form, Issue
from ingest.vocabulary import MONEY_UNITS

AMOUNT = pl.Decimal(20, 6)
YUAN = pl.Decimal(20, 2)
POINTS = pl.Decimal(10, 4)

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "forms": {
        "form_id": pl.String,
        "source_file": pl.String,
        "source_sha256": pl.String,
        "form_seq": pl.Int32,
        "layout": pl.String,
        "year": pl.Int32,
        "year_source": pl.String,
        "project_name": pl.String,
        "supervising_department": pl.String,
        "implementing_unit": pl.String,
        "money_unit": pl.String,
        "budget_weight": POINTS,
        "execution_rate_pct": POINTS,
        "budget_score": POINTS,
        "total_weight": POINTS,
        "total_score": POINTS,
        "grade": pl.String,
        "goal_planned": pl.String,
        "goal_actual": pl.String,
        "line_start": pl.Int32,
        "line_end": pl.Int32,
        "ingested_at": pl.Datetime("us", "UTC"),
    },
    "budget_lines": {
        "form_id": pl.String,
        "fund_source": pl.String,
        "initial_amount": AMOUNT,
        "full_year_amount": AMOUNT,
        "executed_amount": AMOUNT,
        "initial_yuan": YUAN,
        "full_year_yuan": YUAN,
        "executed_yuan": YUAN,
    },
    "indicators": {
        "form_id": pl.String,
        "indicator_seq": pl.Int32,
        "level1": pl.String,
        "level2": pl.String,
        "name": pl.String,
        "target": pl.String,
        "actual": pl.String,
        "weight": POINTS,
        "score": POINTS,
        "deviation_reason": pl.String,
        "line_no": pl.Int32,
    },
    "ingest_errors": {
        "source_file": pl.String,
        "source_sha256": pl.String,
        "form_seq": pl.Int32,
        "line_no": pl.Int32,
        "error_code": pl.String,
        "severity": pl.String,
        "message": pl.String,
        "ingested_at": pl.Datetime("us", "UTC"),
    },
    "source_files": {
        "source_file": pl.String,
        "source_sha256": pl.String,
        "size_bytes": pl.Int64,
        "encoding": pl.String,
        "layout": pl.String,
        "forms_landed": pl.Int32,
        "forms_rejected": pl.Int32,
        "ingested_at": pl.Datetime("us", "UTC"),
    },
}

_DUCK_TYPES = {
    pl.String: "VARCHAR",
    pl.Int32: "INTEGER",
    pl.Int64: "BIGINT",
}


def _duck_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Decimal):
        return f"DECIMAL({dtype.precision}, {dtype.scale})"
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMP WITH TIME ZONE"
    return _DUCK_TYPES[dtype]


@dataclass
class FileResult:
    """One source file after parsing: what lands, what was rejected."""

    source_file: str
    source_sha256: str
    size_bytes: int
    encoding: str | None
    layout: str | None
    forms: list[Form] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def rejected(self) -> list[Issue]:
        """Forms (or the whole file) that did not land."""
        return [i for i in self.issues if i.severity.value == "error"]


def form_id(source_sha256: str, form_seq: int) -> str:
    """Stable id: the same file content gives the same ids."""
    return hashlib.sha256(f"{source_sha256}:{form_seq}".encode()).hexdigest()[:16]


def _to_yuan(amount: Decimal | None, unit: str) -> Decimal | None:
    return None if amount is None else amount * MONEY_UNITS[unit]


def frames(results: list[FileResult], now: datetime | None = None) -> dict[str, pl.DataFrame]:
    """The rows of every ``raw`` table for these files."""
    now = now or datetime.now(timezone.utc)
    rows: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    for res in results:
        rows["source_files"].append(
            {
                "source_file": res.source_file,
                "source_sha256": res.source_sha256,
                "size_bytes": res.size_bytes,
                "encoding": res.encoding,
                "layout": res.layout,
                "forms_landed": len(res.forms),
                "forms_rejected": len({i.form_seq for i in res.rejected}),
                "ingested_at": now,
            }
        )
        for issue in [*res.issues, *(w for f in res.forms for w in f.warnings)]:
            rows["ingest_errors"].append(
                {
                    "source_file": res.source_file,
                    "source_sha256": res.source_sha256,
                    "form_seq": issue.form_seq,
                    "line_no": issue.line_no,
                    "error_code": issue.code,
                    "severity": issue.severity.value,
                    "message": issue.message,
                    "ingested_at": now,
                }
            )
        for form in res.forms:
            fid = form_id(res.source_sha256, form.form_seq)
            rows["forms"].append(
                {
                    "form_id": fid,
                    "source_file": res.source_file,
                    "source_sha256": res.source_sha256,
                    "form_seq": form.form_seq,
                    "layout": res.layout,
                    "year": form.year,
                    "year_source": form.year_source,
                    "project_name": form.project_name,
                    "supervising_department": form.supervising_department,
                    "implementing_unit": form.implementing_unit,
                    "money_unit": form.money_unit,
                    "budget_weight": form.budget_weight,
                    "execution_rate_pct": form.execution_rate_pct,
                    "budget_score": form.budget_score,
                    "total_weight": form.total_weight,
                    "total_score": form.total_score,
                    "grade": form.grade,
                    "goal_planned": form.goal_planned,
                    "goal_actual": form.goal_actual,
                    "line_start": form.line_start,
                    "line_end": form.line_end,
                    "ingested_at": now,
                }
            )
            for line in form.budget_lines:
                rows["budget_lines"].append(
                    {
                        "form_id": fid,
                        "fund_source": line.fund_source,
                        "initial_amount": line.initial_amount,
                        "full_year_amount": line.full_year_amount,
                        "executed_amount": line.executed_amount,
                        "initial_yuan": _to_yuan(line.initial_amount, form.money_unit),
                        "full_year_yuan": _to_yuan(line.full_year_amount, form.money_unit),
                        "executed_yuan": _to_yuan(line.executed_amount, form.money_unit),
                    }
                )
            for ind in form.indicators:
                rows["indicators"].append(
                    {
                        "form_id": fid,
                        "indicator_seq": ind.indicator_seq,
                        "level1": ind.level1,
                        "level2": ind.level2,
                        "name": ind.name,
                        "target": ind.target,
                        "actual": ind.actual,
                        "weight": ind.weight,
                        "score": ind.score,
                        "deviation_reason": ind.deviation_reason,
                        "line_no": ind.line_no,
                    }
                )
    return {name: pl.DataFrame(rows[name], schema=schema) for name, schema in SCHEMAS.items()}


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for name, schema in SCHEMAS.items():
        columns = ", ".join(f"{col} {_duck_type(dtype)}" for col, dtype in schema.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS raw.{name} ({columns})")


def land(con: duckdb.DuckDBPyConnection, results: list[FileResult]) -> None:
    """Replace these files' earlier rows by their new ones, atomically."""
    ensure_schema(con)
    new = frames(results)
    keys = pl.DataFrame(
        {
            "source_file": [r.source_file for r in results],
            "source_sha256": [r.source_sha256 for r in results],
        },
        schema={"source_file": pl.String, "source_sha256": pl.String},
    )
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("batch_keys", keys)
        stale = (
            "SELECT form_id FROM raw.forms f WHERE f.source_file IN (SELECT source_file FROM batch_keys)"
            " OR f.source_sha256 IN (SELECT source_sha256 FROM batch_keys)"
        )
        for table in ("budget_lines", "indicators"):
            con.execute(f"DELETE FROM raw.{table} WHERE form_id IN ({stale})")
        for table in ("forms", "ingest_errors", "source_files"):
            con.execute(
                f"DELETE FROM raw.{table} WHERE source_file IN (SELECT source_file FROM batch_keys)"
                " OR source_sha256 IN (SELECT source_sha256 FROM batch_keys)"
            )
        for table, frame in new.items():
            con.register("batch_rows", frame)
            con.execute(f"INSERT INTO raw.{table} BY NAME SELECT * FROM batch_rows")
            con.unregister("batch_rows")
        con.unregister("batch_keys")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def export_parquet(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> list[Path]:
    """Write every ``raw`` table to ``landing_dir/<table>.parquet`` (atomically
    per file), so other engines can read the landing zone."""
    landing_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in SCHEMAS:
        target = landing_dir / f"{table}.parquet"
        tmp = target.with_suffix(".parquet.tmp")
        con.execute(f"COPY raw.{table} TO '{tmp.as_posix()}' (FORMAT parquet)")
        os.replace(tmp, target)
        written.append(target)
    return written
