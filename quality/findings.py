"""GX validation results -> rows of ``marts.dq_findings``.

Each unexpected row that a rule's query returned (GX puts them in
``result.details.unexpected_rows``) becomes one finding, its message written
from the rule's Chinese template. Nothing here re-checks the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl
from great_expectations.core import ExpectationValidationResult

from quality.rules import Catalogue, Rule

FINDINGS_SCHEMA = {
    "finding_id": pl.String,
    "evaluation_id": pl.String,
    "indicator_seq": pl.Int32,
    "rule_id": pl.String,
    "severity": pl.String,
    "expected": pl.String,
    "observed": pl.String,
    "message": pl.String,
}

FINDING_ROWS_SCHEMA = {
    "finding_id": pl.String,
    "evaluation_id": pl.String,
    "rule_id": pl.String,
    "finding_row": pl.String,
}


@dataclass(frozen=True)
class Finding:
    finding_id: str
    evaluation_id: str
    indicator_seq: int | None
    rule_id: str
    severity: str
    expected: str | None
    observed: str | None
    message: str


def format_value(value: Any) -> str | None:
    """A value as a message prints it: numbers with at most two decimals, no trailing zeros."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        text = f"{rounded:f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return "0" if text in ("-0", "") else text
    return str(value)


def finding_id(rule_id: str, row: dict[str, Any]) -> str:
    """Stable across builds: the rule, the form, the indicator or the part of the form."""
    parts = [rule_id, str(row["evaluation_id"])]
    if row.get("indicator_seq") is not None:
        parts.append(str(row["indicator_seq"]))
    if row.get("item") is not None:
        parts.append(str(row["item"]))
    return ":".join(parts)


def message(rule: Rule, row: dict[str, Any], catalogue: Catalogue) -> str:
    values = {key: format_value(value) or catalogue.missing for key, value in row.items()}
    values["item_label"] = catalogue.labels.get(row.get("item") or "", row.get("item") or "")
    prefix = catalogue.indicator_prefix if row.get("indicator_seq") is not None else catalogue.form_prefix
    return (prefix + rule.message).format_map(values)


def finding(rule: Rule, row: dict[str, Any], catalogue: Catalogue) -> Finding:
    seq = row.get("indicator_seq")
    return Finding(
        finding_id=finding_id(rule.rule_id, row),
        evaluation_id=str(row["evaluation_id"]),
        indicator_seq=None if seq is None else int(seq),
        rule_id=rule.rule_id,
        severity=rule.severity,
        expected=format_value(row.get("expected")),
        observed=format_value(row.get("observed")),
        message=message(rule, row, catalogue),
    )


def unexpected_rows(result: ExpectationValidationResult) -> tuple[list[dict[str, Any]], int]:
    """The rows an UnexpectedRowsExpectation returned (GX keeps at most 200) and how many there were."""
    details = (result.result or {}).get("details") or {}
    rows = list(details.get("unexpected_rows") or [])
    count = (result.result or {}).get("observed_value")
    return rows, int(count) if count is not None else len(rows)


def gx_errors(result: ExpectationValidationResult) -> list[str]:
    """Exception messages GX recorded for one expectation (a failed query, a bad metric)."""
    info = result.exception_info or {}
    entries = [info] if "raised_exception" in info else list(info.values())
    return [
        str(entry.get("exception_message") or "unknown error")
        for entry in entries
        if isinstance(entry, dict) and entry.get("raised_exception")
    ]


def finding_rows_frame(findings: list[tuple[Finding, str]]) -> pl.DataFrame:
    """Each finding's offending row as its rule's query returned it (JSON), for ops.dq_finding_rows."""
    rows = [{"finding_id": f.finding_id, "evaluation_id": f.evaluation_id, "rule_id": f.rule_id, "finding_row": row}
            for f, row in findings]
    return pl.DataFrame(rows, schema=FINDING_ROWS_SCHEMA)


def findings_frame(findings: list[Finding]) -> pl.DataFrame:
    # vars(), not asdict(): asdict deep-copies every field (2 s for 31,000 findings)
    rows = [vars(f) for f in sorted(findings, key=lambda f: f.finding_id)]
    return pl.DataFrame(rows, schema=FINDINGS_SCHEMA)
