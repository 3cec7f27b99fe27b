"""Run every suite against the marts, write ``marts.dq_findings`` and the Data Docs.

    report = run_quality(db_path, docs_dir)
    print(format_summary(report))

Findings are about the source documents and never make the run fail;
``report.gx_ok`` is False only when Great Expectations itself failed (a query
that does not run, a missing mart), which is a pipeline failure.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import great_expectations as gx
from great_expectations.core import ExpectationValidationResult

from quality.carry import ROW_COLUMN, unpack
from quality.findings import Finding, finding, finding_rows_frame, findings_frame, gx_errors, unexpected_rows
from quality.gx_context import DOCS_SITE_NAME, Warehouse, open_warehouse
from quality.offline_docs import make_offline
from quality.report import QualityReport, RuleCount, format_summary
from quality.rules import TABLES, Catalogue, build_suites, load_catalogue
from quality.store import FINDINGS_TABLE, earlier_findings, prepare_finding_rows, write_findings

__all__ = ["run_quality", "format_summary", "QualityReport"]

# What GX writes into a Data Docs site; cleared before each run so the site
# shows this run only.
_SITE_PARTS = ("index.html", "validations", "expectations", "static")


def run_quality(db_path: Path, docs_dir: Path, changed_only: bool = False) -> QualityReport:
    """Every rule on the whole warehouse; with ``changed_only`` (an
    incremental build), on the forms the build recomputed, the other forms'
    findings carried over from the run before (quality.carry)."""
    started = time.perf_counter()
    catalogue = load_catalogue()
    docs_dir = Path(docs_dir).resolve()
    _clear_site(docs_dir)
    findings: list[tuple[Finding, str]] = []
    errors: list[str] = []
    try:
        prepare_finding_rows(Path(db_path))
        known = earlier_findings(Path(db_path)) if changed_only else None
        with open_warehouse(Path(db_path).resolve(), docs_dir, TABLES) as warehouse:
            findings, errors = _validate(warehouse, catalogue, known)
    except Exception as exc:  # GX or the warehouse failed: a pipeline failure, reported, not raised
        errors.append(f"{type(exc).__name__}: {exc}")
    gx_ok = not errors
    if gx_ok:
        write_findings(Path(db_path), findings_frame([f for f, _ in findings]), finding_rows_frame(findings))
    index = docs_dir / "index.html"
    if index.exists():
        make_offline(docs_dir)
    counted = {rule.rule_id: 0 for rule in catalogue.rules}
    for f, _ in findings:
        counted[f.rule_id] += 1
    return QualityReport(
        counts=tuple(RuleCount(r.rule_id, r.severity, r.title, counted[r.rule_id]) for r in catalogue.rules),
        data_docs_index=index if index.exists() else None,
        gx_ok=gx_ok,
        errors=tuple(errors),
        findings_table=FINDINGS_TABLE,
        seconds=time.perf_counter() - started,
    )


def _clear_site(docs_dir: Path) -> None:
    docs_dir.mkdir(parents=True, exist_ok=True)
    for part in _SITE_PARTS:
        path = docs_dir / part
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def _validate(
    warehouse: Warehouse, catalogue: Catalogue, known: dict[tuple[str, str], Finding] | None = None
) -> tuple[list[tuple[Finding, str]], list[str]]:
    """Run one checkpoint over the three suites; turn GX's unexpected rows
    into findings, each with the row it came from (as JSON). ``known``: the
    findings of the run before by (rule, row), when this run checks the
    changed forms only (None: the whole warehouse); a carried row's finding
    is taken from there rather than written again."""
    context = warehouse.context
    definitions = []
    for table, suite in build_suites(catalogue, changed_only=known is not None).items():
        suite = context.suites.add(suite)
        definitions.append(
            context.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=warehouse.batches[table], suite=suite)
            )
        )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name="jixiao_quality",
            validation_definitions=definitions,
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[DOCS_SITE_NAME])],
            result_format={"result_format": "COMPLETE"},
        )
    )
    result = checkpoint.run()
    by_suite = {d.suite.name: d for d in definitions}
    findings: list[tuple[Finding, str]] = []
    errors: list[str] = []
    ran: set[str] = set()
    for suite_result in result.run_results.values():
        definition = by_suite[suite_result.suite_name]
        for expectation_result in suite_result.results:
            rule_id = expectation_result.expectation_config.meta["rule_id"]
            ran.add(rule_id)
            rule_errors = gx_errors(expectation_result)
            if rule_errors:
                errors += [f"{rule_id}: {e}" for e in rule_errors]
                continue
            rule = catalogue.rule(rule_id)
            for row in _all_rows(definition, expectation_result):
                text = row[ROW_COLUMN]
                earlier = known.get((rule_id, text)) if known else None
                findings.append((earlier or finding(rule, unpack(row), catalogue), text))
    missing = [r.rule_id for r in catalogue.rules if r.rule_id not in ran]
    if missing:
        errors.append(f"Great Expectations returned no result for {', '.join(missing)}")
    return findings, errors


def _all_rows(
    definition: gx.ValidationDefinition, expectation_result: ExpectationValidationResult
) -> list[dict[str, Any]]:
    """GX returns at most 200 unexpected rows in a result; fetch the rest from GX when there are more."""
    rows, count = unexpected_rows(expectation_result)
    if count <= len(rows):
        return rows
    rule_id = expectation_result.expectation_config.meta["rule_id"]
    expectation = next(e for e in definition.suite.expectations if (e.meta or {}).get("rule_id") == rule_id)
    return definition.get_unexpected_rows(expectation)
