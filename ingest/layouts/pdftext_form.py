"""Read one form's run of lines (see :mod:`pdftext_regions`) into a Form."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingest import vocabulary as V
from ingest.forms import MONEY_UNIT, unread_line_issue
from ingest.layouts.pdftext_budget import BudgetReader, is_fund_row
from ingest.layouts.pdftext_categories import assign_categories
from ingest.layouts.pdftext_head import after_label, goal_texts, read_goals, read_units
from ingest.layouts.pdftext_lines import (
    Line,
    amounts_only,
    budget_columns,
    category_tokens,
    funds_label,
    goal_header,
    indicator_header,
    is_label,
    lone_number,
    points_header,
    points_pair,
    starts_with_label,
    title,
    total_points,
    width,
    year_line,
)
from ingest.layouts.pdftext_grid import form_grid
from ingest.layouts.pdftext_pairing import pair_apart_rows
from ingest.layouts.pdftext_rows import TXT, assemble, to_items
from ingest.grid import Grid
from ingest.records import FormError, Issue
from ingest.text import is_none_mark, parse_decimal, unwrap, year_in_title


@dataclass
class _Head:
    title_line: Line | None = None
    year: int | None = None
    project_name: str | None = None
    supervising: str | None = None
    implementing: str | None = None
    money_unit: str | None = None
    goal_planned: str | None = None
    goal_actual: str | None = None
    grade: str | None = None
    warnings: list[Issue] = field(default_factory=list)


def _is_plain_text(line: Line) -> bool:
    return not (
        title(line)
        or year_line(line)
        or is_label(line)
        or indicator_header(line)
        or goal_header(line)
        or points_header(line)
        or budget_columns(line)
        or is_fund_row(line)
        or total_points(line)
        or points_pair(line)
        or category_tokens(line)
        or funds_label(line)
        or line.squashed in (V.IMPLEMENTING_UNIT,)
        or amounts_only(line)
    )


def _split(region: list[Line], seq: int) -> tuple[_Head, BudgetReader, list[Line]]:
    """Sort the region's lines into header, budget and goals; return the rest."""
    head, budget, rest = _Head(), BudgetReader(), []
    prev_kind = None
    i = 0
    while i < len(region):
        line = region[i]
        kind = "head"
        if title(line):
            if head.title_line is not None:
                raise FormError("two_titles", "two form titles in one form's text", line.no)
            head.title_line = line
            head.year = head.year or year_in_title(line.raw)
        elif year_line(line):
            head.year = head.year or year_in_title(line.raw)
        elif starts_with_label(line, V.PROJECT_NAME):
            head.project_name = unwrap(after_label(line, V.PROJECT_NAME)) or None
        elif starts_with_label(line, V.SUPERVISING_DEPARTMENT):
            units = read_units(line, seq)
            head.supervising, head.implementing = units.supervising, units.implementing
            head.warnings.extend(units.warnings)
        elif line.squashed == V.IMPLEMENTING_UNIT:
            pass
        elif starts_with_label(line, V.GRADE):
            head.grade = after_label(line, V.GRADE) or None
        elif funds_label(line):
            unit = MONEY_UNIT.search(line.squashed)
            if unit is None:
                raise FormError("unknown_money_unit", "the 项目资金 label names no unit (万元 or 元)", line.no)
            head.money_unit = unit.group(1)
        elif budget.take(line):
            kind = "budget"
        elif lone_number(line) and _beside_budget(region, i, prev_kind):
            budget.take_stray(line)
            kind = "budget"
        elif prev_kind in ("head", "budget") and all(is_none_mark(t) for t in line.tokens):
            pass  # an empty budget cell printed on its own
        elif goal_header(line):
            groups, i = read_goals(region, i + 1, _is_plain_text)
            planned, actual, warnings = goal_texts(groups, seq)
            head.goal_planned, head.goal_actual = planned, actual
            head.warnings.extend(warnings)
            prev_kind = "goals"
            continue
        else:
            kind = "rest"
            rest.append(line)
        prev_kind = kind
        i += 1
    return head, budget, rest


def _beside_budget(region: list[Line], i: int, prev_kind: str | None) -> bool:
    nxt = region[i + 1] if i + 1 < len(region) else None
    next_is_budget = nxt is not None and (is_fund_row(nxt) or budget_columns(nxt) is not None)
    return prev_kind in ("head", "budget") or next_is_budget


def _reason_width(region: list[Line]) -> float | None:
    for line in region:
        if line.squashed == V.DEVIATION_HEADER and line.parts:
            return width(line.parts[0])
    return None


def read_form(region: list[Line], seq: int) -> Grid:
    head, budget, rest = _split(region, seq)
    first = region[0].no
    if head.title_line is None:
        raise FormError("missing_title", "the form's text holds no 财政项目支出绩效自评表 title", first)
    title_no = head.title_line.no
    if not head.project_name:
        raise FormError("missing_project_name", "the form has no 项目名称 line", title_no)
    if head.money_unit is None or not budget.has_total:
        raise FormError("missing_budget", "the form has no 项目资金 block with a 年度资金总额 row", title_no)
    items = to_items(rest)
    assembly = assemble(items, _reason_width(region), seq)
    if not assembly.rows:
        raise FormError("missing_indicator_table", "the form has no indicator rows (no 分值 得分 values)", title_no)
    if assembly.total is None:
        raise FormError("missing_total", "the form has no 总分 row: it may be truncated", assembly.rows[-1].line_no)
    warnings = list(head.warnings) + assembly.warnings
    warnings += pair_apart_rows(assembly, seq)
    budget_weight, _, _ = budget.total_points()
    total_weight = parse_decimal(assembly.total[0], "总分 分值", assembly.total[2])
    _check_sums(assembly, budget_weight, total_weight)
    levels, category_warnings = assign_categories(assembly, seq)
    warnings += category_warnings
    warnings += _unread(assembly, seq)
    last = max(line.no + max(len(line.parts), 1) - 1 for line in region)
    return form_grid(head, budget, assembly, levels, warnings, first, last)


def _check_sums(assembly, budget_weight, total_weight) -> None:
    """The form's own arithmetic: the rows must account for the 总分 row.

    Weights are what the template fixes (10 + 90 = 100); a missing or extra
    row, or a value line read as the wrong thing, breaks the sum. Scores
    are what the checks downstream are about, so a score sum that differs
    from the printed total is landed as printed (the dbt/GX checks flag it)."""
    weights = sum(Decimal(r.weight) for r in assembly.rows)
    expected = total_weight - (budget_weight or Decimal(0))
    if weights != expected:
        raise FormError(
            "weights_do_not_reconcile",
            f"the {len(assembly.rows)} indicator rows read carry weights summing to {weights}, but the 总分 row "
            f"({total_weight}) less the budget weight ({budget_weight}) leaves {expected}: a row is missing, "
            "extra or misread",
            assembly.total[2],
        )
    missing = [r.line_no for r in assembly.rows if not r.name]
    if missing:
        raise FormError(
            "indicator_without_name",
            f"{len(missing)} indicator row(s) got no 三级指标 name (value lines {missing[:5]})",
            missing[0],
        )


def _unread(assembly, seq: int) -> list[Issue]:
    return [unread_line_issue(it.line.no, it.line.text, seq) for _, it in assembly.pool if it.kind == TXT]
