"""Write ``marts.dq_findings`` into the warehouse, replacing the previous run's."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

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


def write_findings(db_path: Path, findings: pl.DataFrame) -> int:
    """Replace ``marts.dq_findings`` with ``findings`` in one statement; returns the row count."""
    with duckdb.connect(str(db_path)) as con:
        con.sql("create schema if not exists marts")
        con.register("findings_frame", findings.to_arrow())
        con.sql(f"create or replace table {FINDINGS_TABLE} as select * from findings_frame")
        con.unregister("findings_frame")
        for column, comment in _COMMENTS.items():
            target = f"table {FINDINGS_TABLE}" if column is None else f"column {FINDINGS_TABLE}.{column}"
            quoted = comment.replace("'", "''")
            con.sql(f"comment on {target} is '{quoted}'")
        return con.sql(f"select count(*) from {FINDINGS_TABLE}").fetchall()[0][0]
