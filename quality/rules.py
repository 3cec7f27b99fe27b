"""The rule catalogue (``rules.toml``) and the GX expectation suites built from it.

Every rule is one ``UnexpectedRowsExpectation`` whose query returns the rows
that break it; the suites, one per mart, are defined here in code from the
catalogue and versioned with the repository.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity

from quality.carry import rule_query

CATALOGUE = Path(__file__).with_name("rules.toml")

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

# The marts the suites validate, in the order they run.
TABLES = ("fct_evaluation", "fct_budget_line", "fct_indicator_result")

_GX_SEVERITY = {
    "error": FailureSeverity.CRITICAL,
    "warning": FailureSeverity.WARNING,
    "info": FailureSeverity.INFO,
}


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: Severity
    table: str
    title: str  # Chinese, short
    meaning: str  # English, for the README and the Data Docs
    message: str  # Chinese format string over the query's columns
    query: str  # SQL returning the offending rows; {batch} is the mart


@dataclass(frozen=True)
class Catalogue:
    rules: tuple[Rule, ...]
    form_prefix: str
    indicator_prefix: str
    missing: str
    labels: dict[str, str]

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.rule_id == rule_id)


@cache
def load_catalogue(path: Path = CATALOGUE) -> Catalogue:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = tuple(
        Rule(
            rule_id=r["id"],
            severity=r["severity"],
            table=r["table"],
            title=r["title"],
            meaning=r["meaning"],
            message=r["message"],
            query=r["query"].strip(),
        )
        for r in data["rule"]
    )
    _check(rules)
    messages = data["messages"]
    return Catalogue(
        rules=rules,
        form_prefix=messages["form"],
        indicator_prefix=messages["indicator"],
        missing=messages["missing"],
        labels=dict(data["labels"]),
    )


def _check(rules: tuple[Rule, ...]) -> None:
    ids = [r.rule_id for r in rules]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate rule ids in {CATALOGUE.name}: {sorted(ids)}")
    for r in rules:
        if r.severity not in SEVERITIES:
            raise ValueError(f"rule {r.rule_id}: severity {r.severity!r} is not one of {SEVERITIES}")
        if r.table not in TABLES:
            raise ValueError(f"rule {r.rule_id}: table {r.table!r} is not one of {TABLES}")


def expectation(rule: Rule, changed_only: bool = False) -> gx.expectations.UnexpectedRowsExpectation:
    """The GX expectation of one rule (its rows as JSON, quality.carry); its
    ``meta`` carries the rule id back into the results."""
    return gx.expectations.UnexpectedRowsExpectation(
        unexpected_rows_query=rule_query(rule.query, rule.rule_id, changed_only),
        description=f"{rule.rule_id} ({rule.severity}): {rule.title}. {rule.meaning}",
        severity=_GX_SEVERITY[rule.severity],
        meta={"rule_id": rule.rule_id, "severity": rule.severity},
    )


def suite_name(table: str) -> str:
    return f"jixiao_{table}"


def build_suites(catalogue: Catalogue, changed_only: bool = False) -> dict[str, gx.ExpectationSuite]:
    """One expectation suite per mart, holding the expectations of the rules on
    that mart (``changed_only``: see quality.carry)."""
    suites: dict[str, gx.ExpectationSuite] = {}
    for table in TABLES:
        suite = gx.ExpectationSuite(name=suite_name(table))
        for rule in catalogue.rules:
            if rule.table == table:
                suite.add_expectation(expectation(rule, changed_only))
        suites[table] = suite
    return suites
