"""The checks every form passes before it lands, whatever its source.

The arithmetic of the form, as printed:

* 分值: the indicators' weights plus the budget weight make the total weight
  (100 where the 总分 row prints only the score);
* 得分: no score above its weight; the budget score plus the indicators'
  scores make the 总分 score;
* 项目资金: the fund rows under 年度资金总额 / 总额 add up to it, column by column;
* nothing negative where the template allows no negative number.

A form the reader read unambiguously but whose printed numbers disagree
lands with ``parse_confidence`` below 1, a warning naming each disagreement,
and the rows concerned flagged (``uncertain_reason``): the warehouse keeps
what was printed and says it does not add up. A negative weight, score or
amount refuses the form.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from ingest.records import Form, FormError, Issue, Severity

NATIONAL_TOTAL = Decimal(100)
# a score may stand above its weight by a rounding of the last printed decimal
TOLERANCE = Decimal("0.005")
# each disagreement lowers the form's confidence by this factor
PENALTY = 0.8
# the fund rows under 年度资金总额 / 总额 (national and Sichuan-style blocks)
PARTS = ("current_year_appropriation", "prior_year_carryover", "other", "fiscal_funds", "special_account_funds",
         "unit_funds")


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def check(form: Form) -> Form:
    """The form with its disagreements recorded, or FormError for a number the template forbids."""
    _no_negatives(form)
    problems: list[tuple[str, str]] = []  # (code, what does not add up)
    indicators = list(form.indicators)
    for k, ind in enumerate(indicators):
        if ind.weight is not None and ind.score is not None and ind.score > ind.weight + TOLERANCE:
            reason = f"得分 {ind.score} is above its 分值 {ind.weight} as printed"
            indicators[k] = dataclasses.replace(ind, uncertain_reason=_join(ind.uncertain_reason, reason))
            problems.append(("score_above_weight", f"indicator {ind.indicator_seq} ({ind.name[:20]}): {reason}"))
    if form.budget_weight is not None and form.budget_score is not None and form.budget_score > form.budget_weight + TOLERANCE:
        problems.append(("score_above_weight", f"the budget's 得分 {form.budget_score} is above its 分值 {form.budget_weight}"))
    problems.extend(("rate_does_not_reconcile", p) for p in _rate(form))
    weights = _sum(i.weight for i in indicators) + (form.budget_weight or 0)
    expected = form.total_weight if form.total_weight is not None else NATIONAL_TOTAL
    if any(i.weight is not None for i in indicators) and weights != expected:
        problems.append(("weights_do_not_reconcile", f"the weights add up to {weights}, not to the total weight {expected}"))
    scored = [i.score for i in indicators if i.score is not None]
    if scored and form.total_score is not None:
        scores = _sum(scored) + (form.budget_score or 0)
        if scores != form.total_score:
            problems.append(("scores_do_not_reconcile", f"the indicator scores with the budget score add up to {scores}, "
                             f"not to the printed 总分 {form.total_score} (landed as printed)"))
    problems.extend(("funds_do_not_reconcile", p) for p in _funds(form))
    rows_uncertain = sum(1 for i in indicators if i.uncertain)
    if not problems:
        return dataclasses.replace(form, indicators=tuple(indicators)) if rows_uncertain else form
    warnings = [Issue(code, f"the printed form does not add up: {p}", form.line_start, form.form_seq, Severity.WARNING)
                for code, p in problems]
    confidence = form.parse_confidence * PENALTY ** len(problems)
    return dataclasses.replace(form, indicators=tuple(indicators), warnings=(*form.warnings, *warnings),
                               parse_confidence=round(confidence, 4))


def check_all(forms: list[Form], issues: list[Issue]) -> tuple[list[Form], list[Issue]]:
    """Every form through :func:`check`: those it refuses join the issues."""
    landed, issues = [], list(issues)
    for form in forms:
        try:
            landed.append(check(form))
        except FormError as err:
            issues.append(Issue(err.code, err.message, err.line_no, form.form_seq))
    return landed, issues


def _rate(form: Form) -> list[str]:
    """执行率 as printed against 全年执行数 ÷ 全年预算数 of the total row, to the
    printed precision (a rate is printed rounded or truncated)."""
    total = next((b for b in form.budget_lines if b.fund_source == "total"), None)
    rate = form.execution_rate_pct
    if total is None or rate is None or not total.full_year_amount or total.executed_amount is None:
        return []
    computed = total.executed_amount * 100 / total.full_year_amount
    step = Decimal(1).scaleb(int(rate.as_tuple().exponent))  # a parsed number: finite, an int exponent  # 1 for 86, 0.01 for 98.38
    if abs(computed - rate) < step:
        return []
    return [f"执行率 {rate}% is printed, but 全年执行数 {total.executed_amount} ÷ 全年预算数 {total.full_year_amount} "
            f"is {computed.quantize(Decimal('0.01'))}%"]


def _funds(form: Form) -> list[str]:
    lines = {b.fund_source: b for b in form.budget_lines}
    total = lines.get("total")
    parts = [lines[p] for p in PARTS if p in lines]
    if total is None or not parts:
        return []
    out = []
    for column, label in (("initial_amount", "年初预算数"), ("full_year_amount", "全年预算数"), ("executed_amount", "全年执行数")):
        whole = getattr(total, column)
        values = [getattr(p, column) for p in parts]
        if whole is None or all(v is None for v in values):
            continue
        if abs(_sum(values) - whole) > Decimal("0.011"):
            out.append(f"the fund rows' {label} add up to {_sum(values)}, not to the total {whole}")
    return out


def _no_negatives(form: Form) -> None:
    fields = [("分值", form.budget_weight), ("得分", form.budget_score), ("总分", form.total_score)]
    fields += [(f"{b.fund_source} amount", v) for b in form.budget_lines
               for v in (b.initial_amount, b.full_year_amount, b.executed_amount)]
    fields += [(f"indicator {i.indicator_seq} 分值/得分", v) for i in form.indicators for v in (i.weight, i.score)]
    for what, value in fields:
        if value is not None and value < 0:
            raise FormError("negative_number", f"{what} is negative ({value}): the template allows none", form.line_start)


def _join(a: str | None, b: str) -> str:
    return b if not a else f"{a}; {b}"
