"""run_quality end to end: marts.dq_findings, the report and its summary, GX failures."""

from __future__ import annotations

import duckdb
import pytest

from clitools import run_ingest
from jixiao.paths import RAW_DIR
from quality.report import format_summary
from quality.rules import load_catalogue
from quality.run import run_quality


def test_dq_findings_has_the_contract_columns(handmade):
    with duckdb.connect(str(handmade.db), read_only=True) as con:
        columns = con.sql("describe marts.dq_findings").fetchall()
    assert [(c[0], c[1]) for c in columns] == [
        ("finding_id", "VARCHAR"),
        ("evaluation_id", "VARCHAR"),
        ("indicator_seq", "INTEGER"),
        ("rule_id", "VARCHAR"),
        ("severity", "VARCHAR"),
        ("expected", "VARCHAR"),
        ("observed", "VARCHAR"),
        ("message", "VARCHAR"),
    ]


@pytest.mark.parametrize("run_name", ["bundled", "handmade"])
def test_findings_are_keyed_and_carry_their_rules_severity(run_name, request):
    run = request.getfixturevalue(run_name)
    assert run.findings["finding_id"].is_unique().all()
    severity = {r.rule_id: r.severity for r in load_catalogue().rules}
    assert run.findings.height > 0  # both runs have findings: the loop below checks something
    for row in run.findings.iter_rows(named=True):
        assert row["severity"] == severity[row["rule_id"]]
        assert row["message"] and row["project_name"] in row["message"]
        if row["indicator_seq"] is not None:
            assert row["indicator_name"] in row["message"]


@pytest.mark.parametrize("run_name", ["bundled", "handmade"])
def test_report_counts_match_the_table(run_name, request):
    run = request.getfixturevalue(run_name)
    counted = run.findings.group_by("rule_id").len()
    in_table = dict(zip(counted["rule_id"], counted["len"]))
    assert {k: v for k, v in run.report.by_rule().items() if v} == in_table
    assert list(run.report.by_rule()) == [r.rule_id for r in load_catalogue().rules]
    assert sum(run.report.by_severity().values()) == run.findings.height


def test_summary_lists_every_rule_the_totals_and_the_data_docs(handmade):
    summary = format_summary(handmade.report)
    by_severity = handmade.report.by_severity()
    first = summary.splitlines()[0]
    assert f"{handmade.findings.height} findings" in first
    assert f"error {by_severity['error']}, warning {by_severity['warning']}, info {by_severity['info']}" in first
    for rule in load_catalogue().rules:
        assert rule.rule_id in summary
    assert summary.splitlines()[-1] == f"data docs: {handmade.docs_dir / 'index.html'}"


def test_running_again_replaces_the_findings(handmade, tmp_path):
    again = run_quality(handmade.db, tmp_path / "docs")
    assert again.gx_ok
    assert again.by_rule() == handmade.report.by_rule()
    with duckdb.connect(str(handmade.db), read_only=True) as con:
        rows = con.sql("select count(*), count(distinct finding_id) from marts.dq_findings").fetchall()
    assert rows == [(handmade.findings.height, handmade.findings.height)]


def test_a_warehouse_without_marts_is_a_gx_failure_not_findings(tmp_path):
    db = tmp_path / "raw_only.duckdb"
    landed = run_ingest(db, RAW_DIR / "003_dc4befe519062102.txt")
    assert landed.returncode == 0, landed.stdout + landed.stderr
    report = run_quality(db, tmp_path / "docs")
    assert not report.gx_ok
    assert report.errors and any("fct_evaluation" in e for e in report.errors)
    assert report.n_findings == 0
    assert "Great Expectations failed" in format_summary(report)
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {r[0] for r in con.sql("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()}
    assert "dq_findings" not in tables
