"""What a quality run found, and its summary as ``jixiao build`` prints it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quality.rules import SEVERITIES


@dataclass(frozen=True)
class RuleCount:
    rule_id: str
    severity: str
    title: str
    findings: int


@dataclass(frozen=True)
class QualityReport:
    counts: tuple[RuleCount, ...]  # every rule of the catalogue, in its order
    data_docs_index: Path | None  # GX's Data Docs, None when GX did not get to write them
    gx_ok: bool  # False: Great Expectations itself failed (a pipeline failure, not a finding)
    errors: tuple[str, ...] = ()
    findings_table: str = "marts.dq_findings"
    seconds: float = 0.0

    @property
    def n_findings(self) -> int:
        return sum(c.findings for c in self.counts)

    def by_severity(self) -> dict[str, int]:
        return {s: sum(c.findings for c in self.counts if c.severity == s) for s in SEVERITIES}

    def by_rule(self) -> dict[str, int]:
        return {c.rule_id: c.findings for c in self.counts}


def format_summary(report: QualityReport) -> str:
    """A few lines: totals by severity, a table by rule, where the Data Docs are."""
    if not report.gx_ok:
        lines = [f"quality: Great Expectations failed ({len(report.errors)} errors); {report.findings_table} not written"]
        lines += [f"  {error.splitlines()[0] if error else 'unknown error'}" for error in report.errors[:5]]
        if report.data_docs_index is not None:
            lines.append(f"data docs: {report.data_docs_index}")
        return "\n".join(lines)
    severities = ", ".join(f"{s} {n}" for s, n in report.by_severity().items())
    lines = [
        f"quality: {report.n_findings} findings ({severities}) from {len(report.counts)} rules "
        f"in {report.seconds:.1f} s -> {report.findings_table}"
    ]
    width = max((len(c.rule_id) for c in report.counts), default=4)
    lines.append(f"  {'severity':<8}  {'rule':<{width}}  findings")
    for count in report.counts:
        lines.append(f"  {count.severity:<8}  {count.rule_id:<{width}}  {count.findings:>8}")
    if report.data_docs_index is not None:
        lines.append(f"data docs: {report.data_docs_index}")
    return "\n".join(lines)
