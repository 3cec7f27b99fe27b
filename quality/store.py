"""Write ``marts.dq_findings`` into the warehouse, replacing the previous run's."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import duckdb
import polars as pl

from quality.carry import FINDING_ROWS, ROW_COLUMN, ensure_finding_rows
from quality.findings import Finding

FINDINGS_TABLE = "marts.dq_findings"

_COMMENTS = {
    None: "数据质量发现 (data-quality findings): one row per finding of the Great Expectations checks (quality/rules.toml)",
    "finding_id": "发现编号 (finding id): rule_id:evaluation_id[:indicator_seq][:item], stable across builds",
    "evaluation_id": "自评表 (form): marts.fct_evaluation.evaluation_id",
    "indicator_seq": "指标序号 (indicator): marts.fct_indicator_result.indicator_seq; null for a form-level rule",
    "rule_id": "规则 (rule): the id of the rule in quality/rules.toml",
    "severity": "严重程度 (severity): error / warning / info",
    "expected": "应为 (expected): what the form's own numbers imply, as text",
    "observed": "实为 (observed): what the form printed, as text",
    "message": "说明 (message): the finding in Chinese, naming the project, the indicator and the numbers",
}


_ROWS_COMMENT = ("发现来源行 (the rows findings came from): each finding of marts.dq_findings with the row its rule's"
                 " query returned, as JSON; an incremental build returns the unchanged forms' rows from here (quality/carry.py)")


def prepare_finding_rows(db_path: Path) -> None:
    """Make sure ``ops.dq_finding_rows`` exists before the (read-only) checks read it."""
    with duckdb.connect(str(db_path)) as con:
        ensure_finding_rows(con)


def earlier_findings(db_path: Path) -> dict[tuple[str, str], Finding]:
    """The last run's findings by (rule, the row it came from as JSON): a run on
    the changed forms takes a carried row's finding from here (same rules, same
    row: the same finding) instead of writing its message again."""
    columns = [field.name for field in fields(Finding)]
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.sql(
            f"select {', '.join('f.' + c for c in columns)}, r.{ROW_COLUMN} "
            f"from {FINDINGS_TABLE} as f join {FINDING_ROWS} as r using (finding_id) where f.rule_id = r.rule_id"
        ).fetchall()
    found = ((Finding(*row[:-1]), row[-1]) for row in rows)
    return {(finding.rule_id, row_json): finding for finding, row_json in found}


def write_findings(db_path: Path, findings: pl.DataFrame, finding_rows: pl.DataFrame) -> int:
    """Replace ``marts.dq_findings`` with ``findings`` and ``ops.dq_finding_rows``
    (the rows they came from, quality.carry) with ``finding_rows``, in one
    transaction; returns the row count."""
    with duckdb.connect(str(db_path)) as con:
        con.sql("create schema if not exists marts")
        con.sql("create schema if not exists ops")
        con.begin()
        con.register("findings_frame", findings.to_arrow())
        con.register("finding_rows_frame", finding_rows.to_arrow())
        con.sql(f"create or replace table {FINDINGS_TABLE} as select * from findings_frame")
        con.sql(f"create or replace table {FINDING_ROWS} as select * from finding_rows_frame")
        con.unregister("findings_frame")
        con.unregister("finding_rows_frame")
        quoted_rows = _ROWS_COMMENT.replace("'", "''")
        con.sql(f"comment on table {FINDING_ROWS} is '{quoted_rows}'")
        for column, comment in _COMMENTS.items():
            target = f"table {FINDINGS_TABLE}" if column is None else f"column {FINDINGS_TABLE}.{column}"
            quoted = comment.replace("'", "''")
            con.sql(f"comment on {target} is '{quoted}'")
        con.commit()
        return con.sql(f"select count(*) from {FINDINGS_TABLE}").fetchall()[0][0]
