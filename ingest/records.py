"""Typed records that every layout parser produces.

Parsers are pure: text in, these records out. The landing module turns them
into rows of the ``raw`` schema; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"  # the form (or file) did not land
    WARNING = "warning"  # the form landed; something about it deserves a look


@dataclass(frozen=True)
class Issue:
    """Something wrong with a file or a form, located by line."""

    code: str
    message: str
    line_no: int | None = None
    form_seq: int | None = None
    severity: Severity = Severity.ERROR
    # the rows a warning is about (their line numbers), where it names rows: they land flagged uncertain
    rows: tuple[int, ...] = ()


class FormError(Exception):
    """Raised by a parser when a form cannot land as a whole."""

    def __init__(self, code: str, message: str, line_no: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line_no = line_no


@dataclass(frozen=True)
class BudgetLine:
    # 'total' | 'current_year_appropriation' | 'prior_year_carryover' | 'other' (national block);
    # 'fiscal_funds' | 'special_account_funds' | 'unit_funds' (Sichuan-style 总额 / 其中：财政资金 … block)
    fund_source: str
    initial_amount: Decimal | None
    full_year_amount: Decimal | None
    executed_amount: Decimal | None
    # where the row was read: 'line 12', 'Sheet1!B7', 'p.2 [x0 y0 x1 y1]' (provenance, not part of the value)
    source_ref: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Indicator:
    indicator_seq: int
    level1: str | None
    level2: str | None
    name: str
    target: str | None
    actual: str | None
    weight: Decimal | None
    score: Decimal | None
    deviation_reason: str | None
    line_no: int
    source_ref: str | None = field(default=None, compare=False)
    # the parts of a target printed in three columns (指标性质 / 指标值 / 度量单位); null for one-cell targets
    target_operator: str | None = None
    target_value: str | None = None
    target_unit: str | None = None
    # the reading of this row is not certain (the printed source disagrees with itself, or a pairing
    # of scrambled text is a best fit): why, in a sentence
    uncertain_reason: str | None = None

    @property
    def uncertain(self) -> bool:
        return self.uncertain_reason is not None


@dataclass(frozen=True)
class Form:
    form_seq: int
    year: int | None
    year_source: str | None  # 'title' | 'narrative' | 'document'
    project_name: str
    supervising_department: str | None
    implementing_unit: str | None
    money_unit: str  # '万元' | '元'
    budget_weight: Decimal | None
    execution_rate_pct: Decimal | None
    budget_score: Decimal | None
    total_weight: Decimal | None
    total_score: Decimal | None
    grade: str | None
    goal_planned: str | None
    goal_actual: str | None
    line_start: int
    line_end: int
    budget_lines: tuple[BudgetLine, ...]
    indicators: tuple[Indicator, ...]
    warnings: tuple[Issue, ...] = ()
    # where the form was read: 'lines 3-41', 'Sheet1!A1 … Sheet1!J40', 'p.1-2' (provenance, not part of the value)
    source_ref: str | None = field(default=None, compare=False)
    # 1.0: every check reconciles; below 1: the form landed although its printed numbers disagree
    # (the rows concerned carry uncertain_reason)
    parse_confidence: float = 1.0


@dataclass
class ParsedFile:
    """What a layout parser makes of one file's text."""

    layout: str
    forms: list[Form] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # rejected forms and file-level problems
