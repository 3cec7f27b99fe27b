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
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl

from ingest.records import Form, Issue
from ingest.vocabulary import MONEY_UNITS

AMOUNT = "DECIMAL(20, 6)"
YUAN = "DECIMAL(20, 2)"
POINTS = "DECIMAL(10, 4)"
TS = "TIMESTAMP WITH TIME ZONE"

# Column name -> DuckDB type of every landing table.
SCHEMAS: dict[str, dict[str, str]] = {
    "forms": {
        "form_id": "VARCHAR",
        "source_file": "VARCHAR",
        "source_sha256": "VARCHAR",
        "form_seq": "INTEGER",
        "layout": "VARCHAR",
        "year": "INTEGER",
        "year_source": "VARCHAR",
        "project_name": "VARCHAR",
        "supervising_department": "VARCHAR",
        "implementing_unit": "VARCHAR",
        "money_unit": "VARCHAR",
        "budget_weight": POINTS,
        "execution_rate_pct": POINTS,
        "budget_score": POINTS,
        "total_weight": POINTS,
        "total_score": POINTS,
        "grade": "VARCHAR",
        "goal_planned": "VARCHAR",
        "goal_actual": "VARCHAR",
        "line_start": "INTEGER",
        "line_end": "INTEGER",
        "source_format": "VARCHAR",
        "source_ref": "VARCHAR",
        "parse_confidence": "DOUBLE",
        "ingested_at": TS,
    },
    "budget_lines": {
        "form_id": "VARCHAR",
        "fund_source": "VARCHAR",
        "initial_amount": AMOUNT,
        "full_year_amount": AMOUNT,
        "executed_amount": AMOUNT,
        "initial_yuan": YUAN,
        "full_year_yuan": YUAN,
        "executed_yuan": YUAN,
        "source_ref": "VARCHAR",
    },
    "indicators": {
        "form_id": "VARCHAR",
        "indicator_seq": "INTEGER",
        "level1": "VARCHAR",
        "level2": "VARCHAR",
        "name": "VARCHAR",
        "target": "VARCHAR",
        "actual": "VARCHAR",
        "weight": POINTS,
        "score": POINTS,
        "deviation_reason": "VARCHAR",
        "line_no": "INTEGER",
        "source_ref": "VARCHAR",
        "target_operator": "VARCHAR",
        "target_value": "VARCHAR",
        "target_unit": "VARCHAR",
        "uncertain": "BOOLEAN",
        "uncertain_reason": "VARCHAR",
    },
    "ingest_errors": {
        "source_file": "VARCHAR",
        "source_sha256": "VARCHAR",
        "form_seq": "INTEGER",
        "line_no": "INTEGER",
        "error_code": "VARCHAR",
        "severity": "VARCHAR",
        "message": "VARCHAR",
        "ingested_at": TS,
    },
    "source_files": {
        "source_file": "VARCHAR",
        "source_sha256": "VARCHAR",
        "size_bytes": "BIGINT",
        "encoding": "VARCHAR",
        "layout": "VARCHAR",
        "source_format": "VARCHAR",
        "forms_landed": "INTEGER",
        "forms_rejected": "INTEGER",
        "ingested_at": TS,
    },
}

# Columns computed while landing rather than carried from the parser: a SQL
# expression over the transport columns, or NOW (the ingest's time, a parameter).
NOW = "$now"
DERIVED = {
    "ingested_at": NOW,
    **{
        f"{part}_yuan": f"CAST({part}_amount AS {AMOUNT}) * CAST(unit_factor AS {AMOUNT})"
        for part in ("initial", "full_year", "executed")
    },
}
_TRANSPORT = {"INTEGER": pl.Int32, "BIGINT": pl.Int64, "DOUBLE": pl.Float64, "BOOLEAN": pl.Boolean}  # everything else travels as text


@dataclass
class FileResult:
    """One source file after parsing: what lands, what was rejected."""

    source_file: str
    source_sha256: str
    size_bytes: int
    encoding: str | None
    layout: str | None
    source_format: str | None = None  # 'text', 'xlsx', 'xls', 'ods', 'docx', 'html', 'pdf'
    forms: list[Form] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def all_issues(self) -> list[Issue]:
        return [*self.issues, *(w for f in self.forms for w in f.warnings)]


@dataclass
class FileSummary:
    """What a batch report keeps of a file once its rows are built."""

    source_file: str
    source_sha256: str
    encoding: str | None
    layout: str | None
    forms_landed: int
    issues: list[Issue]

    @property
    def rejected(self) -> list[Issue]:
        """Forms (or the whole file) that did not land."""
        return [i for i in self.issues if i.severity.value == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity.value == "warning"]


def form_id(source_sha256: str, form_seq: int) -> str:
    """Stable id: the same file content gives the same ids."""
    return hashlib.sha256(f"{source_sha256}:{form_seq}".encode()).hexdigest()[:16]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def file_rows(res: FileResult) -> tuple[FileSummary, dict[str, pl.DataFrame]]:
    """The rows of every ``raw`` table for one parsed file (decimals as exact
    text; DuckDB casts them on landing), and the file's summary."""
    issues = res.all_issues
    summary = FileSummary(res.source_file, res.source_sha256, res.encoding, res.layout, len(res.forms), issues)
    rejected = len({i.form_seq for i in summary.rejected})
    cols: dict[str, dict[str, list]] = {
        name: {c: [] for c in schema if c not in DERIVED} for name, schema in SCHEMAS.items()
    }
    cols["budget_lines"]["unit_factor"] = []

    def add(table: str, **values) -> None:
        for column, items in cols[table].items():
            items.append(values[column])

    add("source_files", source_file=res.source_file, source_sha256=res.source_sha256, size_bytes=res.size_bytes,
        encoding=res.encoding, layout=res.layout, source_format=res.source_format, forms_landed=len(res.forms),
        forms_rejected=rejected)
    for issue in issues:
        add("ingest_errors", source_file=res.source_file, source_sha256=res.source_sha256, form_seq=issue.form_seq,
            line_no=issue.line_no, error_code=issue.code, severity=issue.severity.value, message=issue.message)
    for form in res.forms:
        fid = form_id(res.source_sha256, form.form_seq)
        add("forms", form_id=fid, source_file=res.source_file, source_sha256=res.source_sha256,
            form_seq=form.form_seq, layout=res.layout, year=form.year, year_source=form.year_source,
            project_name=form.project_name, supervising_department=form.supervising_department,
            implementing_unit=form.implementing_unit, money_unit=form.money_unit,
            budget_weight=_text(form.budget_weight), execution_rate_pct=_text(form.execution_rate_pct),
            budget_score=_text(form.budget_score), total_weight=_text(form.total_weight),
            total_score=_text(form.total_score), grade=form.grade, goal_planned=form.goal_planned,
            goal_actual=form.goal_actual, line_start=form.line_start, line_end=form.line_end,
            source_format=res.source_format, source_ref=form.source_ref, parse_confidence=form.parse_confidence)
        factor = str(MONEY_UNITS[form.money_unit])
        for line in form.budget_lines:
            add("budget_lines", form_id=fid, fund_source=line.fund_source,
                initial_amount=_text(line.initial_amount), full_year_amount=_text(line.full_year_amount),
                executed_amount=_text(line.executed_amount), unit_factor=factor, source_ref=line.source_ref)
        for ind in form.indicators:
            add("indicators", form_id=fid, indicator_seq=ind.indicator_seq, level1=ind.level1, level2=ind.level2,
                name=ind.name, target=ind.target, actual=ind.actual, weight=_text(ind.weight),
                score=_text(ind.score), deviation_reason=ind.deviation_reason, line_no=ind.line_no,
                source_ref=ind.source_ref, target_operator=ind.target_operator, target_value=ind.target_value,
                target_unit=ind.target_unit, uncertain=ind.uncertain, uncertain_reason=ind.uncertain_reason)
    frames = {
        table: pl.DataFrame(
            columns,
            schema={c: _TRANSPORT.get(SCHEMAS[table].get(c, ""), pl.String) for c in columns},
        )
        for table, columns in cols.items()
    }
    return summary, frames


def _select_list(table: str) -> str:
    """The columns of ``table`` cast from the transport frame to their types."""
    out = []
    for column, duck_type in SCHEMAS[table].items():
        expr = DERIVED.get(column, column)
        out.append(f"CAST({expr} AS {duck_type}) AS {column}")
    return ", ".join(out)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for name, schema in SCHEMAS.items():
        columns = ", ".join(f"{col} {duck_type}" for col, duck_type in schema.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS raw.{name} ({columns})")


def land(
    con: duckdb.DuckDBPyConnection,
    summaries: list[FileSummary],
    frames: dict[str, pl.DataFrame],
    now: datetime | None = None,
) -> None:
    """Replace these files' earlier rows by their new ones, in one transaction."""
    ensure_schema(con)
    now = now or datetime.now(timezone.utc)
    keys = pl.DataFrame(
        {
            "source_file": [s.source_file for s in summaries],
            "source_sha256": [s.source_sha256 for s in summaries],
        },
        schema={"source_file": pl.String, "source_sha256": pl.String},
    )
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("batch_keys", keys)
        _delete_files(
            con,
            "source_file IN (SELECT source_file FROM batch_keys)"
            " OR source_sha256 IN (SELECT source_sha256 FROM batch_keys)",
        )
        with tempfile.TemporaryDirectory(prefix="jixiao-landing-") as tmp:
            for table, frame in frames.items():
                # DuckDB reads Parquet several times faster than it scans a frame
                path = Path(tmp) / f"{table}.parquet"
                frame.write_parquet(path, compression="uncompressed")
                params = {"now": now} if "ingested_at" in SCHEMAS[table] else None
                con.execute(
                    f"INSERT INTO raw.{table} SELECT {_select_list(table)} FROM read_parquet('{path.as_posix()}')",
                    params,
                )
        con.unregister("batch_keys")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def remove_files(con: duckdb.DuckDBPyConnection, source_files: list[str]) -> None:
    """Remove every row landed from these files, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        _delete_files(con, "source_file IN (SELECT unnest($names))", {"names": source_files})
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _delete_files(con: duckdb.DuckDBPyConnection, where: str, params: dict | None = None) -> None:
    """Delete the rows of the files ``where`` selects (a condition on
    source_file / source_sha256) from every raw table: the budget lines and
    indicators first, found through the files' forms."""
    stale = f"SELECT form_id FROM raw.forms WHERE {where}"
    for table in ("budget_lines", "indicators"):
        con.execute(f"DELETE FROM raw.{table} WHERE form_id IN ({stale})", params)
    for table in ("forms", "ingest_errors", "source_files"):
        con.execute(f"DELETE FROM raw.{table} WHERE {where}", params)


def export_parquet(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> list[Path]:
    """Write every ``raw`` table to ``landing_dir/<table>.parquet`` (atomically
    per file), so other engines can read the landing zone. The landing zone
    mirrors the DuckDB file: a table a Spark ingest wrote there (a folder of
    part files) is replaced by the file's rows."""
    landing_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in SCHEMAS:
        target = landing_dir / f"{table}.parquet"
        tmp = target.with_suffix(".parquet.tmp")
        con.execute(f"COPY raw.{table} TO '{tmp.as_posix()}' (FORMAT parquet)")
        if target.is_dir():  # a Spark ingest's folder of part files: set aside, replaced, removed
            retired = target.with_suffix(".parquet.retired")
            shutil.rmtree(retired, ignore_errors=True)
            os.replace(target, retired)
            os.replace(tmp, target)
            shutil.rmtree(retired)
        else:
            os.replace(tmp, target)
        written.append(target)
    return written
