"""Render a generated form as tab-separated text, in the styles of the
bundled documents: ``minhang`` (002: 评分等级, 执行率(%)), ``city`` (000: a
leading 绩效指标 column, page breaks, rows shifted into the first column,
empty cells for no money, no grade) and ``center`` (003: no year in the
title, the year only in the narrative, an unlabelled total row).

Each renderer returns the lines and the form as it must land from them
(line numbers filled in; cells a style leaves empty become None).
"""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

from ingest.records import BudgetLine, Form, Indicator

STYLES = ("minhang", "city", "center")
FUND_LABELS = {
    "total": "年度资金总额",
    "current_year_appropriation": "其中：当年财政拨款",
    "prior_year_carryover": "上年结转资金",
    "other": "其他资金",
}


def _amount(value: Decimal | None, unit: str, rng: random.Random) -> str:
    if value is None:
        return ""
    if unit == "元" or (value >= 1000 and rng.random() < 0.5):
        return f"{value:,.2f}"
    return f"{value:.2f}"


def _text(value: str | None) -> str:
    return value or ""


def _rows(form: Form, lead: list[str], rng: random.Random, shift_names: bool):
    """Indicator rows with merged category cells left empty below their first row."""
    prev1 = prev2 = None
    for ind in form.indicators:
        l1 = ind.level1 if ind.level1 != prev1 else ""
        l2 = ind.level2 if (ind.level2 != prev2 or l1) else ""
        prev1, prev2 = ind.level1, ind.level2
        tail = [_text(ind.target), _text(ind.actual), f"{ind.weight}", f"{ind.score}", _text(ind.deviation_reason)]
        if shift_names and not l1 and not l2 and rng.random() < 0.15:
            yield ind, [ind.name, "", "", *tail, ""]  # a 三级指标 landing in the first column
        else:
            yield ind, [*lead, l1, l2, ind.name, *tail]


def render(form: Form, style: str, rng: random.Random) -> tuple[list[str], Form]:
    lines: list[str] = []
    seqs: dict[int, int] = {}
    unit = form.money_unit
    expected = form

    def add(*cells: str) -> int:
        lines.append("\t".join(cells))
        return len(lines)

    if style == "center":
        add(""), add(""), add("财政项目支出绩效自我评价"), add("")
        add("项目名称", "", form.project_name, "", "", "", "", "", "")
        add("主管部门", "", form.supervising_department or "", "实施单位", form.implementing_unit or "", "", "", "", "")
        add(f"项目资金（{unit}）", "", "", "年初预算数", "全年预算数", "全年执行数", "分数", "执行率", "得分")
        for line in form.budget_lines:
            values = [_amount(v, unit, rng) for v in (line.initial_amount, line.full_year_amount, line.executed_amount)]
            if line.fund_source == "total":
                add("", "", FUND_LABELS["total"], *values, "10.00", f"{form.execution_rate_pct}", f"{form.budget_score}")
            else:
                add("", "", FUND_LABELS[line.fund_source], *values, "-", "0.00", "-")
        goal_actual = f"{form.year}年度{form.goal_actual}"
        add("年度总体目标", "", "预期目标", "", "", "实际完成情况", "", "", "")
        add("", "", _text(form.goal_planned), "", "", goal_actual, "", "", "")
        add("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析", "")
        for ind, cells in _rows(form, [], rng, shift_names=False):
            seqs[ind.indicator_seq] = add(*cells, "")
        add("", "", "", "", "", "100", f"{form.total_score}", "", "")
        add("评分等级", "", _text(form.grade), "", "", "", "", "", "")
        expected = dataclasses.replace(form, goal_actual=goal_actual, year_source="narrative")
    elif style == "city":
        add(""), add("财政项目支出绩效自评表"), add(""), add(f"({form.year} 年度)"), add("")
        add("项目名称", form.project_name, "", "", "", "", "", "", "")
        add("主管部门", form.supervising_department or "", "", "", "实施单位", form.implementing_unit or "", "", "", "")
        add(f"项目资金 ({unit})", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "")
        budget = []
        for line in form.budget_lines:
            if line.fund_source != "total" and not any((line.initial_amount, line.full_year_amount, line.executed_amount)):
                line = BudgetLine(line.fund_source, None, None, None)  # printed as empty cells
            budget.append(line)
            values = [_amount(v, unit, rng) for v in (line.initial_amount, line.full_year_amount, line.executed_amount)]
            if line.fund_source == "total":
                add("", FUND_LABELS["total"], *values, "10", f"{form.execution_rate_pct}%", f"{form.budget_score}", "")
            else:
                add("", FUND_LABELS[line.fund_source], *values, "—", "", "", "")
        add("年度总体目标", "预算目标", "", "", "实际完成情况", "", "", "", "")
        add("", _text(form.goal_planned), "", "", _text(form.goal_actual), "", "", "", "")
        add("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
        for k, (ind, cells) in enumerate(_rows(form, [""], rng, shift_names=True)):
            if k and k % 12 == 0:  # a page break repeats 绩效指标
                add("")
                if cells[0] == "":
                    cells = ["绩效指标", *cells[1:]]
            seqs[ind.indicator_seq] = add(*cells)
        add("总分", "", "", "", "", "", "100", f"{form.total_score}", "")
        expected = dataclasses.replace(form, grade=None, budget_lines=tuple(budget))
    else:  # minhang
        add(""), add(""), add("财政项目支出绩效自评表"), add(""), add(f"({form.year} 年度)"), add("")
        add("项目名称", "", form.project_name, "", "", "", "", "")
        add("主管部门", "", form.supervising_department or "", "", "实施单位", "", form.implementing_unit or "", "")
        add(f"项目资金 ({unit})", "", "年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分")
        for line in form.budget_lines:
            values = [_amount(v, unit, rng) for v in (line.initial_amount, line.full_year_amount, line.executed_amount)]
            if line.fund_source == "total":
                add("", "年度资金总额:", *values, "10.00", f"{form.execution_rate_pct}", f"{form.budget_score}")
            else:
                label = FUND_LABELS[line.fund_source].replace("其中：", "其中: ")
                add("", label, *values, "-", "0.00", "-")
        add("年度总体目标", "预期目标", "", "", "实际完成情况", "", "", "")
        add("", _text(form.goal_planned), "", "", _text(form.goal_actual), "", "", "")
        add("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
        for ind, cells in _rows(form, [], rng, shift_names=True):
            seqs[ind.indicator_seq] = add(*cells)
        add("总分", "", "", "", "", "100.00", f"{form.total_score}", "")
        add("评分等级", _text(form.grade), "", "", "", "", "", "")

    start = next(i for i, line in enumerate(lines, 1) if line.strip())
    indicators = tuple(
        dataclasses.replace(ind, line_no=seqs[ind.indicator_seq]) for ind in expected.indicators
    )
    end = max(i for i, line in enumerate(lines, 1) if line.strip())
    return lines, dataclasses.replace(expected, line_start=start, line_end=end, indicators=indicators)


def shift(form: Form, offset: int) -> Form:
    """The same form placed ``offset`` lines further down its document."""
    return dataclasses.replace(
        form,
        line_start=form.line_start + offset,
        line_end=form.line_end + offset,
        indicators=tuple(dataclasses.replace(i, line_no=i.line_no + offset) for i in form.indicators),
    )


__all__ = ["STYLES", "render", "shift", "Indicator"]
