"""The pdftotext-style renderer of ``jixiao synth``: its wrapping of cells,
a hand-made form, and generated forms read back by the real pdftext parser
exactly and with certainty (no pairing, span or cut left to a best guess)."""

from __future__ import annotations

import dataclasses
import random
import re
from decimal import Decimal

import pytest

from ingest.layouts import pdftext
from ingest.records import BudgetLine, Form, Indicator
from jixiao.paths import RAW_DIR
from synth.corpus import _possible_defects
from synth.generate import CHECK_CODES, DEFECT_CHECKS, Generator
from synth.parts import harvest
from synth.render_pdftext import STYLES, render, wrap
from synth.render_tabular import shift

D = Decimal
# Warnings a certain reading may carry: a planted 总分 that the scores do not
# add up to, and a year read from the narrative (a title printed without one).
EXPECTED_WARNINGS = {"scores_do_not_reconcile", "year_inferred_from_narrative"}



def test_wrap_fills_each_line_of_a_cell():
    assert wrap("因疫情原因，党校资源受限", 9) == ["因疫情原因，党校资", "源受限"]
    assert wrap("群众满意度", 9) == ["群众满意度"]
    # half-width characters are half as wide: 8 CJK + 2 Latin letters fill 9
    assert wrap("干部人事管理软件 ZZTX 硬件运维完成率", 9) == ["干部人事管理软件 ZZ", "TX 硬件运维完成率"]


def test_wrap_keeps_closing_punctuation_off_a_line_start():
    # 受疫情影响 fills 5, but ， may not start a line: 响 goes down with it
    assert wrap("受疫情影响，个别培训因故未召开", 5) == ["受疫情影", "响，个别培", "训因故未召", "开"]


def test_wrap_refuses_a_break_next_to_a_space():
    assert wrap("公务员 管理工作", 3) is None


def _hand_made() -> Form:
    ind = [
        Indicator(1, "产出指标", "数量指标", "初任培训人次", ">=4000人", "4234人", D(40), D(40), None, 0),
        Indicator(2, "产出指标", "时效指标", "各类培训完成及时性", "及时", "及时", D(10), D(10), None, 0),
        Indicator(3, "效益指标", "社会效益指标", "公务员交流和公开遴选", "干部人才顺畅有序流动的良性工作机制",
                  "达成指标", D(30), D(30), None, 0),
        Indicator(4, "满意度指标", "服务对象满意度指标", "各类培训参训人员满意度", ">=90%", "80%", D(10), D(8),
                  "因疫情原因未能开展", 0),
    ]
    return Form(
        form_seq=1, year=2022, year_source="title", project_name="公务员管理工作经费",
        supervising_department="中共上海市委组织部", implementing_unit="中共上海市委组织部", money_unit="元",
        budget_weight=D(10), execution_rate_pct=D("89.61"), budget_score=D("8.96"), total_weight=D(100),
        total_score=D("96.96"), grade="优", goal_planned="贯彻落实新修订的公务员法。", goal_actual="有效强化公务员法律法规实施。",
        line_start=0, line_end=0,
        budget_lines=(
            BudgetLine("total", D("11618500.00"), D("11618500.00"), D("10411006.00")),
            BudgetLine("current_year_appropriation", D("11618500.00"), D("11618500.00"), D("10411006.00")),
            BudgetLine("prior_year_carryover", D("0.00"), D("0.00"), D("0.00")),
            BudgetLine("other", D("0.00"), D("0.00"), D("0.00")),
        ),
        indicators=tuple(ind),
    )


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("seed", range(6))
def test_a_hand_made_form_reads_back_as_printed(style, seed):
    lines, expected = render(_hand_made(), style, random.Random(seed))
    text = "\n".join(lines)
    assert "\t" not in text
    assert "11,618,500" in text and "10,411,006" in text  # 元 with thousands separators, whole yuan
    assert re.search(r"^上年结转资金 +- +- +- —$|^ +- +- —$", text, re.MULTILINE)  # no money: dashes
    # money printed as a dash lands as none; 评分等级 only where the style prints it
    assert expected.budget_lines[2:] == (
        BudgetLine("prior_year_carryover", None, None, None),
        BudgetLine("other", None, None, None),
    )
    assert expected.grade == ("优" if style == "pdf_reading" else None)
    assert [(i.name, i.target, i.actual, i.weight, i.score, i.deviation_reason) for i in expected.indicators] == [
        ("初任培训人次", ">=4000人", "4234人", D(40), D(40), None),
        ("各类培训完成及时性", "及时", "及时", D(10), D(10), None),
        ("公务员交流和公开遴选", "干部人才顺畅有序流动的良性工作机制", "达成指标", D(30), D(30), None),
        ("各类培训参训人员满意度", ">=90%", "80%", D(10), D(8), "因疫情原因未能开展"),
    ]
    for ind in expected.indicators:  # each row's line is its value line: 分值 得分 printed on it
        assert re.search(rf" {ind.weight} {ind.score}( |$)", lines[ind.line_no - 1])
    parsed = pdftext.parse(text)
    assert parsed.issues == []
    (form,) = parsed.forms
    assert dataclasses.replace(form, warnings=()) == expected
    assert {w.code for w in form.warnings} <= EXPECTED_WARNINGS


def test_a_missing_target_prints_as_a_dash_and_spaces_in_values_are_not_printed():
    form = _hand_made()
    first, second = form.indicators[:2]
    form = dataclasses.replace(form, indicators=(
        dataclasses.replace(first, target="≥4000 (人)", actual="4234 (人)"),
        dataclasses.replace(second, target=None),
        *form.indicators[2:],
    ))
    lines, expected = render(form, "pdf_reading", random.Random(1))
    assert [(i.target, i.actual) for i in expected.indicators[:2]] == [("≥4000(人)", "4234(人)"), ("—", "及时")]
    (parsed,) = pdftext.parse("\n".join(lines)).forms
    assert dataclasses.replace(parsed, warnings=()) == expected


@pytest.fixture(scope="module")
def rendered() -> list[tuple[str, str, list[Form], list[tuple[str, ...]]]]:
    """Documents of three generated forms each (about a quarter with a
    planted inconsistency), with the forms they must land."""
    rng = random.Random(20240)
    generator = Generator(harvest(RAW_DIR), rng)
    docs = []
    for k in range(160):
        style = STYLES[k % 2]
        possible = _possible_defects("pdftext", style)
        lines: list[str] = []
        forms, planted = [], []
        for seq in range(1, 4):
            defects = (rng.choice(possible),) if rng.random() < 0.25 else ()
            planned = generator.form(2022, rng.choice(["元", "万元"]), style, defects)
            page, expected = render(planned.form, style, rng)
            forms.append(dataclasses.replace(shift(expected, len(lines)), form_seq=seq))
            planted.append(planned.defects)
            lines += page
        docs.append((style, "\n".join(lines) + "\n", forms, planted))
    return docs


def _as_printed(form: Form) -> Form:
    """The form without what the checks add (warnings, confidence, row flags)."""
    rows = tuple(dataclasses.replace(i, uncertain_reason=None) for i in form.indicators)
    return dataclasses.replace(form, warnings=(), parse_confidence=1.0, indicators=rows)


def test_generated_forms_read_back_exactly_and_with_certainty(rendered):
    for style, text, forms, planted in rendered:
        parsed = pdftext.parse(text)
        assert parsed.issues == []
        assert [_as_printed(f) for f in parsed.forms] == forms, style
        for form, defects in zip(parsed.forms, planted):
            codes = {w.code for w in form.warnings}
            implied = set().union(*(DEFECT_CHECKS.get(d, set()) for d in defects))
            assert codes - CHECK_CODES <= EXPECTED_WARNINGS, (form.project_name, form.warnings)
            # the checks flag exactly the planted arithmetic, and a form flagged is less than certain
            assert codes & CHECK_CODES == implied, (form.project_name, defects, form.warnings)
            assert (form.parse_confidence < 1) == bool(implied), (form.project_name, defects)


def test_the_renderer_prints_the_scrambles_of_the_2022_document(rendered):
    """Each arrangement the parser reads with certainty occurs in a few
    hundred forms: parts printed before the title, the budget in pieces,
    the 得分 alone, labels printed vertically, wrapped cells, reasons over
    several lines, the category column after the table."""
    texts = [text for _, text, *_ in rendered]
    joined = "\n".join(texts)

    def docs_with(pattern: str) -> int:
        return sum(1 for text in texts if re.search(pattern, text, re.MULTILINE))

    assert docs_with(r"\A\s*实施单位\n\n(\d+\.\d+\n\n)?年初预算数") > 20  # budget before the title
    assert docs_with(r"^全年预算数 全年执行数 分值 执行率 得分$(?s:.*)^年初预算数$") > 10  # budget in two pieces
    assert docs_with(r"^\d+\.\d\d\n\n年初预算数 全年预算数 全年执行数 分值 执行率$") > 5  # 得分 alone
    assert docs_with(r"^绩\n效\n指\n标$") > 50 and docs_with(r"^年\n度\n总\n体\n目\n标$") > 50
    assert docs_with(r"^主管部门 \S+ \S+$") > 50  # 实施单位's value on the 主管部门 line
    assert docs_with(r"^偏差原因分析及改进措?\n") > 20  # the reason header wrapped
    assert docs_with(r"(^|\s)\d{1,3}(,\d{3})+(\.\d\d)?(\s|$)") > 50  # thousands separators
    # a name wrapped above a value line that carries target and actual
    assert len(re.findall(r"^\S+\n\S+\n(\n)?[^\s]+ [^\s]+ \d+(\.\d+)? \d+(\.\d+)?$", joined, re.MULTILINE)) > 100
    # a target wrapped over lines of its own, the actual on the value line
    assert len(re.findall(r"\n\n\S+\n\S+\n\n(\n)?\S+ \d+(\.\d+)? \d+(\.\d+)?$", joined, re.MULTILINE)) > 20
    assert docs_with(r"^100 \d+\.\d\d\n\n总分\n\n绩\n效") > 5  # the category column after the table
    # a 偏差原因分析 wrapped over the lines below its value line
    split_reasons = 0
    for _, text, forms, _ in rendered:
        lines = text.split("\n")
        for ind in (i for f in forms for i in f.indicators if i.deviation_reason):
            below = lines[ind.line_no]
            if ind.deviation_reason not in lines[ind.line_no - 1] and ind.deviation_reason.startswith(below) \
                    and below != ind.deviation_reason:
                split_reasons += 1
    assert split_reasons > 3
