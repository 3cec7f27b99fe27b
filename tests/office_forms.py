"""Helpers for the office-document tests: a form written by hand, and a check
that a document's grids hold each answer-key form's values where its line
numbers say."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ingest.grid import Grid, Row
from ingest.records import BudgetLine, Form, Indicator

TITLE = "财政项目支出绩效自评表"


def _ind(seq: int, l1: str, l2: str, name: str, target: str, actual: str, weight: int, score: str,
         reason: str | None = None) -> Indicator:
    return Indicator(seq, l1, l2, name, target, actual, Decimal(weight), Decimal(score), reason, 0)


def hand_form() -> Form:
    """A form written by hand: 1,199.25 of 1,219.00 万元 executed is 98.38%
    (1199.25 / 1219 = 0.98379…), scored 9.84 of 10; indicators 87 of 90;
    总分 96.84, 优."""
    return Form(
        form_seq=1, year=2022, year_source="title", project_name="社区养老服务中心运营补贴",
        supervising_department="某区民政局", implementing_unit="某街道社区事务受理服务中心", money_unit="万元",
        budget_weight=Decimal(10), execution_rate_pct=Decimal("98.38"), budget_score=Decimal("9.84"),
        total_weight=Decimal(100), total_score=Decimal("96.84"), grade="优",
        goal_planned="为辖区老人提供助餐和日间照料服务", goal_actual="全年服务老人343人，助餐12500人次",
        line_start=0, line_end=0,
        budget_lines=(
            BudgetLine("total", Decimal("1200.00"), Decimal("1219.00"), Decimal("1199.25")),
            BudgetLine("current_year_appropriation", Decimal("1200.00"), Decimal("1219.00"), Decimal("1199.25")),
            BudgetLine("prior_year_carryover", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
            BudgetLine("other", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ),
        indicators=(
            _ind(1, "产出指标", "数量指标", "服务老人人数", "≥300人", "343人", 20, "20"),
            _ind(2, "产出指标", "数量指标", "助餐服务人次", "≥12000人次", "12500人次", 15, "15"),
            _ind(3, "产出指标", "质量指标", "服务质量达标率", "≥95%", "76%", 15, "12", "部分站点人员不足，已补招"),
            _ind(4, "效益指标", "社会效益指标", "老年人生活质量", "提升", "达成指标", 15, "15"),
            _ind(5, "效益指标", "社会效益指标", "家庭照护负担", "减轻", "达成指标", 15, "15"),
            _ind(6, "满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "96%", 10, "10"),
        ),
    )


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _rows_by_form(grids: list[Grid], forms: list[dict]) -> list[tuple[Grid, dict[int, Row]]]:
    """For each form in order, its grid and that grid's rows by line number,
    taking the forms' title rows in document order."""
    titles = [(g, row) for g in grids for row in g.rows if row.texts and [c.text for c in row.filled] == [TITLE]]
    assert len(titles) == len(forms), f"{len(titles)} titles in the grids, {len(forms)} forms in the key"
    out = []
    for (grid, title), form in zip(titles, forms):
        assert title.line_no == form["line_start"], (title.ref, title.line_no, form["line_start"])
        start = grid.rows.index(title)
        rows: dict[int, Row] = {}
        for row in grid.rows[start:]:
            if row.line_no > form["line_end"]:
                break
            rows[row.line_no] = row
        out.append((grid, rows))
    return out


def assert_grids_hold(grids: list[Grid], forms: list[dict]) -> int:
    """Every answer-key form's values sit in the grids where its line numbers
    say; returns the number of indicator rows checked."""
    checked = 0
    for (grid, rows), form in zip(_rows_by_form(grids, forms), forms):
        texts = [t for row in rows.values() for t in row.texts]
        assert f"（{form['year']}年度）" in rows[form["line_start"] + 1].texts
        for value in (form["project_name"], form["supervising_department"], form["implementing_unit"],
                      form["goal_planned"], form["goal_actual"], f"项目资金（{form['money_unit']}）"):
            assert value in texts, (grid.label, value)
        assert f"{Decimal(form['execution_rate_pct']):.2f}%" in texts
        for line in form["budget_lines"]:
            for field in ("initial_amount", "full_year_amount", "executed_amount"):
                assert any(_decimal(t) == Decimal(line[field]) for t in texts), (line, field)
        for ind in form["indicators"]:
            row = rows[ind["line_no"]]
            numbers = [_decimal(t) for t in row.texts]
            assert ind["name"] in row.texts, (row.ref, ind["name"], row.texts)
            assert (ind["target"] or "") in row.texts and ind["actual"] in row.texts, (row.ref, row.texts)
            assert Decimal(ind["weight"]) in numbers and Decimal(ind["score"]) in numbers, (row.ref, row.texts)
            if ind["deviation_reason"]:
                assert ind["deviation_reason"] in row.texts
            for level in (ind["level1"], ind["level2"]):
                assert level in texts
            checked += 1
        last = rows[form["line_end"]]
        assert form["grade"] in last.texts, (last.ref, last.texts)
        total = rows[form["line_end"] - 1]
        assert Decimal(form["total_score"]) in [_decimal(t) for t in total.texts], (total.ref, total.texts)
    return checked
