"""Generate forms whose numbers are consistent, or deliberately not.

A generated form is an :class:`ingest.records.Form` — exactly what the loader
must land — plus the deliberate defects it carries. Renderers turn it into
text; line numbers are filled in when a document is assembled.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from ingest.records import BudgetLine, Form, Indicator
from ingest.vocabulary import GRADES
from synth.identity import ProjectYears, budget_words
from synth.parts import QUANT, IndicatorPart, Parts

CENT = Decimal("0.01")

# Every deliberate inconsistency the generator can plant, and the one quality
# rule (quality/rules.toml) each must trigger — and no other.
DEFECT_RULES = {
    "total_mismatch": "total_score_mismatch",
    "grade_mismatch": "grade_mismatch",
    "weights_not_total": "weight_sum_mismatch",
    "fund_sources_mismatch": "fund_sources_mismatch",
    "score_above_weight": "score_out_of_range",
    "budget_score_mismatch": "budget_score_mismatch",
    "rate_mismatch": "execution_rate_mismatch",
    "met_but_deducted": "met_but_deducted",
    "missed_full_points": "missed_but_full",
    "qualitative_out_of_band": "qualitative_out_of_band",
    "deduction_without_reason": "deduction_without_reason",
    "missing_target": "missing_target",
    "not_proportional": "not_proportional",
    "unit_mismatch": "unit_mismatch",
    "implausible_amount": "implausible_amount",
    "level1_weights_off_guidance": "level1_weight_guidance",
    "executed_above_budget": "executed_above_budget",
    "no_satisfaction_indicator": "no_satisfaction_indicator",
    "low_execution_without_reason": "low_execution_without_reason",
    # a form re-published in a later document (synth.corpus picks the earlier form): the marts
    # keep the later file's form, flagged, and report the earlier one in fct_duplicate_evaluation
    "duplicate_project_year": "duplicate_project_year",
}
DEFECTS = tuple(DEFECT_RULES)
# The warnings ingest's checks (ingest/checks.py: the form's own arithmetic) must give
# each defect that breaks it; the other defects are for the quality rules alone.
DEFECT_CHECKS = {
    "weights_not_total": {"weights_do_not_reconcile"},
    "fund_sources_mismatch": {"funds_do_not_reconcile"},
    "score_above_weight": {"score_above_weight"},
    "total_mismatch": {"scores_do_not_reconcile"},
    "rate_mismatch": {"rate_does_not_reconcile"},
}
CHECK_CODES = set().union(*DEFECT_CHECKS.values())
# Defects planted while the form's money and totals are made (Generator.form);
# the others are planted on indicators by Generator._plant.
PLANTED_BY_FORM = {"total_mismatch", "grade_mismatch", "implausible_amount", "level1_weights_off_guidance",
                   "executed_above_budget", "no_satisfaction_indicator", "low_execution_without_reason",
                   "duplicate_project_year"}
# (executed above budget keeps the form's own arithmetic: the fund rows still add up to the
# total, the rate and budget score follow the money, so ingest's checks stay silent.)

# Below this execution rate a form must say, in a 偏差原因, what happened to the money
# (quality rule low_execution_without_reason).
LOW_RATE = Decimal("0.9")
# Share of clean forms that spend less than that and say why (the others spend 90–100%).
LOW_EXECUTION_SHARE = 0.15

# Weight of each first-level category in a clean form (national guidance).
GUIDANCE = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}


@dataclass(frozen=True)
class Planned:
    form: Form
    style: str  # a style of render_tabular.py or render_pdftext.py
    defects: tuple[str, ...]


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def grade_of(total: Decimal) -> str:
    return next(g for g, low in GRADES if total >= low)


def split_weight(total: int, parts: int, rng: random.Random) -> list[int]:
    """``parts`` positive integers adding up to ``total``."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def _number(text: str, value: Decimal) -> str:
    """Format ``value`` with as many decimals as ``text`` shows."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return f"{value:.{decimals}f}"


class Generator:
    def __init__(self, parts: Parts, rng: random.Random):
        self.parts = parts
        self.rng = rng
        by_level1: dict[str, list[IndicatorPart]] = defaultdict(list)
        for part in parts.indicators:
            if part.level1 in GUIDANCE:
                by_level1[part.level1].append(part)
        self.by_level1 = dict(by_level1)
        # a corpus beside the bundled forms (tests/ops) replaces none of them in the marts
        self.project_years = ProjectYears(taken=parts.project_years)
        words = budget_words()
        # harvested reasons that name the money explain a low execution rate
        self.budget_reasons = [r for r in parts.reasons if any(w in r for w in words)]

    # -- indicators ----------------------------------------------------------
    def _quantitative(self, part: IndicatorPart, weight: int, met: bool = True) -> Indicator:
        t = QUANT.match(part.target)
        a = QUANT.match(part.actual)
        assert t and a
        unit = t.group("unit") or ""
        percent = "%" in unit
        base = Decimal(self.rng.randint(50, 100) if percent else self.rng.randint(1, 500))
        op = t.group("op") or ""
        if met:
            actual = base if op in ("", "=") or percent and base == 100 else base + self.rng.randint(0, 20)
            if percent:
                actual = min(actual, Decimal(100))
        else:
            actual = (base * Decimal(self.rng.randint(40, 90)) / 100).quantize(Decimal(1))
        target_text = f"{op}{_number(t.group('num'), base)}{t.group('sp')}{unit}"
        actual_text = f"{_number(a.group('num'), actual)}{a.group('sp')}{a.group('unit') or ''}"
        return Indicator(0, part.level1, part.level2, part.name, target_text, actual_text,
                         Decimal(weight), Decimal(weight), None, 0)

    def _qualitative(self, part: IndicatorPart, weight: int) -> Indicator:
        return Indicator(0, part.level1, part.level2, part.name, part.target, "达成指标",
                         Decimal(weight), Decimal(weight), None, 0)

    def _indicators(self, level1_weights: dict[str, int]) -> list[Indicator]:
        rows: list[Indicator] = []
        for level1, total in level1_weights.items():
            pool = self.by_level1[level1]
            count = min(len(pool), max(1, min(total // 3, self.rng.randint(1, 8))))
            chosen = sorted(self.rng.sample(pool, count), key=lambda p: (p.level2 or "", p.name))
            for part, weight in zip(chosen, split_weight(total, count, self.rng)):
                make = self._quantitative if part.quantitative else self._qualitative
                rows.append(make(part, weight))
        return rows

    # -- a whole form ----------------------------------------------------------
    def form(self, year: int, money_unit: str, style: str, defects: tuple[str, ...] = (),
             republishes: tuple[str, str, str] | None = None) -> Planned:
        """A form of a project-year of its own; with ``republishes`` (supervising department,
        implementing unit, project name of a form published earlier in ``year``) the same
        project-year again: the defect duplicate_project_year, planted only so."""
        rng = self.rng
        if "duplicate_project_year" in defects and republishes is None:
            defects = tuple(d for d in defects if d != "duplicate_project_year")
        if republishes is not None:
            supervising, implementing, project = republishes
        else:
            supervising, implementing = rng.choice(self.parts.units)
            project = self.project_years.claim(implementing, rng.choice(self.parts.projects), year)
        planned, achieved = rng.choice(self.parts.goals)
        weights = dict(GUIDANCE)
        if "level1_weights_off_guidance" in defects:
            weights = {"产出指标": 80, "效益指标": 5, "满意度指标": 5}
        if "no_satisfaction_indicator" in defects:  # its 10 points to 产出: within 20 of the guidance
            weights = {"产出指标": 60, "效益指标": 30}
        indicators = self._indicators(weights)

        # money: full-year budget, executed share, initial close to full
        scale = Decimal(10000) if money_unit == "万元" else Decimal(1)
        full_yuan = Decimal(rng.randint(10, 50000)) * 1000
        full = q2(full_yuan / scale)
        initial = q2(full * Decimal(rng.choice([100, 100, 100, 95, 110])) / 100)
        # a clean form spends 90–100%, or less and says why in a 偏差原因 that names the money
        low = "low_execution_without_reason" in defects
        if not set(defects) - {"duplicate_project_year"} and rng.random() < LOW_EXECUTION_SHARE:
            explained = self._explain_low_execution(indicators)
            if explained is not None:  # else no indicator can carry the reason
                indicators, low = explained, True
        share = self._share(low, above="executed_above_budget" in defects)
        executed = self._executed(full, share)
        if "implausible_amount" in defects:  # amounts printed in the other unit than the header says
            if money_unit == "万元":  # 元 under a 万元 header: 年度资金总额 of 1,000,000 万元 or more
                full_yuan = max(full_yuan, Decimal(1_000_000))
                full = q2(full_yuan)
            else:  # 万元 under a 元 header: under 100 元
                full = q2(min(full_yuan, Decimal(990_000)) / 10000)
            initial = full
            executed = self._executed(full, share)
        rate = q2(executed / full * 100)
        budget_score = q2(min(executed / full, Decimal(1)) * 10)
        budget = [
            BudgetLine("total", initial, full, executed),
            BudgetLine("current_year_appropriation", initial, full, executed),
            BudgetLine("prior_year_carryover", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
            BudgetLine("other", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ]

        indicators, budget, rate, budget_score, defects = self._plant(defects, indicators, budget, rate, budget_score)
        total = budget_score + sum((i.score for i in indicators), Decimal(0))
        grade = grade_of(total)
        if "total_mismatch" in defects:
            total += 1
            grade = grade_of(total)  # the grade agrees with the printed total: only the sum is off
        if "grade_mismatch" in defects:
            grade = next(g for g, _ in GRADES if g != grade)
        indicators = [replace(ind, indicator_seq=k) for k, ind in enumerate(indicators, start=1)]
        form = Form(
            form_seq=0, year=year, year_source="title", project_name=project,
            supervising_department=supervising, implementing_unit=implementing, money_unit=money_unit,
            budget_weight=Decimal(10), execution_rate_pct=rate, budget_score=budget_score,
            total_weight=Decimal(100), total_score=total, grade=grade,
            goal_planned=planned, goal_actual=achieved, line_start=0, line_end=0,
            budget_lines=tuple(budget), indicators=tuple(indicators),
        )
        return Planned(form, style, defects)

    def _share(self, low: bool, above: bool) -> Decimal:
        """The share of the full-year budget executed."""
        if above:
            return Decimal(self.rng.randint(10100, 12000)) / 10000
        return Decimal(self.rng.randint(6000, 8900) if low else self.rng.randint(9000, 10000)) / 10000

    @staticmethod
    def _executed(full: Decimal, share: Decimal) -> Decimal:
        """``full`` × ``share`` in cents, on the same side of 90% and of 100% as ``share``."""
        executed = q2(full * share)
        if share >= LOW_RATE:
            executed = max(executed, (full * LOW_RATE).quantize(CENT, rounding=ROUND_CEILING))
        if share > 1:
            executed = max(executed, full + 2 * CENT)
        return executed

    def _explain_low_execution(self, indicators: list[Indicator]) -> list[Indicator] | None:
        """The indicators with one quantitative target missed, scored proportionally, and a
        harvested reason that names the money — or None when no indicator can carry it."""
        fitting = [k for k, i in enumerate(indicators) if i.actual != "达成指标" and i.weight >= 2]
        if not fitting or not self.budget_reasons:
            return None
        k = self.rng.choice(fitting)
        out = list(indicators)
        out[k] = self._missed(out[k], full_points=False, reason=self.rng.choice(self.budget_reasons))
        return out

    def _plant(self, defects, indicators, budget, rate, budget_score):
        """Plant each defect so that it breaks one rule and keeps the rest."""
        rng = self.rng
        idx_quant = [k for k, i in enumerate(indicators) if i.actual != "达成指标" and i.weight >= 2]
        idx_qual = [k for k, i in enumerate(indicators) if i.actual == "达成指标" and i.weight >= 2]
        used: set[int] = set()

        def pick(candidates: list[int]) -> int | None:
            free = [k for k in candidates if k not in used]
            if not free:
                return None
            k = rng.choice(free)
            used.add(k)
            return k

        reason = rng.choice(self.parts.reasons)
        planted: list[str] = []
        for defect in defects:
            before = (list(indicators), list(budget), rate, budget_score)
            if defect == "weights_not_total" and (k := pick(idx_qual)) is not None:
                ind = indicators[k]
                indicators[k] = replace(ind, weight=ind.weight + 1, score=ind.score + 1)
            elif defect == "fund_sources_mismatch":
                total = budget[0]
                budget[3] = BudgetLine("other", total.initial_amount, total.full_year_amount, total.executed_amount)
            elif defect == "score_above_weight" and (k := pick(idx_quant)) is not None:
                indicators[k] = replace(indicators[k], score=indicators[k].weight + 1)
            elif defect == "budget_score_mismatch":
                budget_score = Decimal("10.00") if budget_score < Decimal("9.00") else Decimal("5.00")
            elif defect == "rate_mismatch":
                rate = rate - 10 if rate > 20 else rate + 10
            elif defect == "met_but_deducted" and (k := pick(idx_quant)) is not None:
                indicators[k] = replace(indicators[k], score=indicators[k].weight - 1, deviation_reason=reason)
            elif defect == "missed_full_points" and (k := pick(idx_quant)) is not None:
                indicators[k] = self._missed(indicators[k], full_points=True, reason=reason)
            elif defect == "qualitative_out_of_band" and (k := pick(idx_qual)) is not None:
                ind = indicators[k]
                indicators[k] = replace(ind, actual="部分达成指标并具有一定效果", score=ind.weight, deviation_reason=reason)
            elif defect == "deduction_without_reason" and (k := pick(idx_quant)) is not None:
                indicators[k] = self._missed(indicators[k], full_points=False, reason=None)
            elif defect == "missing_target" and (k := pick(idx_qual)) is not None:
                indicators[k] = replace(indicators[k], target=None)
            elif defect == "not_proportional" and (k := pick(idx_quant)) is not None:
                ind = self._missed(indicators[k], full_points=False, reason=reason)
                indicators[k] = replace(ind, score=ind.weight - 1 if ind.score < ind.weight - 1 else Decimal(0))
            elif defect == "unit_mismatch" and (k := pick(idx_quant)) is not None:
                ind = indicators[k]
                match = QUANT.match(ind.actual or "")
                assert match
                unit = match.group("unit") or ""
                other = unit.replace("人次", "人") if "人次" in unit else unit.replace("人", "人次") if "人" in unit else (
                    unit.replace(unit.strip("()"), "人") if unit.strip("()") else "人"
                )
                indicators[k] = replace(ind, actual=f"{match.group('num')}{match.group('sp')}{other}")
            if defect in PLANTED_BY_FORM or (list(indicators), list(budget), rate, budget_score) != before:
                planted.append(defect)  # a form with no fitting indicator carries no defect
        return indicators, budget, rate, budget_score, tuple(planted)

    def _missed(self, ind: Indicator, full_points: bool, reason: str | None) -> Indicator:
        """The same indicator, its actual below a ≥/= target; scored
        proportionally (or in full, for the inflation defect)."""
        t = QUANT.match(ind.target or "")
        a = QUANT.match(ind.actual or "")
        assert t and a
        target = Decimal(t.group("num"))
        actual = (target * Decimal(self.rng.randint(40, 90)) / 100).quantize(Decimal(1), rounding=ROUND_FLOOR)
        actual = min(actual, target - 1)
        actual_text = f"{_number(a.group('num'), actual)}{a.group('sp')}{a.group('unit') or ''}"
        score = ind.weight if full_points else q2(ind.weight * actual / target)
        return replace(ind, actual=actual_text, score=score, deviation_reason=reason)
