"""The pdftotext-style parser reads plausible extractor outputs it misread before.

Each test parses a small hand-made document of the 财政项目支出绩效自评表
template as a text extractor prints it (no tabs, cells on one baseline
separated by single spaces, text blocks separated by blank lines). The
expected values are written by hand from the text in the test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from clitools import query, run_ingest
from ingest.layouts import pdftext

D = Decimal
P, B, S = "产出指标", "效益指标", "满意度指标"
NUM, QUA, TIM, SOC, SAT = "数量指标", "质量指标", "时效指标", "社会效益指标", "服务对象满意度指标"


def document(table: str, total: str = "100 96.5", budget: str | None = None, name: str = "党员教育经费") -> str:
    """One form in reading order: title, header, budget (万元), goals, ``table``, ``total``."""
    budget = budget or (
        "年初预算数 全年预算数 全年执行数 分值 执行率 得分\n\n"
        "年度资金总额 100.00 100.00 95.00 10 95.00% 9.5\n\n"
        "其中：当年财政拨款 100.00 100.00 95.00 —\n\n"
        "上年结转资金 - - - —\n\n"
        "其他资金 - - - —"
    )
    return f"""
财政项目支出绩效自评表

(2023 年度)

项目名称 {name}

主管部门 中共某区委组织部 实施单位 某区党群服务中心

项目资金
（万元）

{budget}

年度总体目标

预期目标 实际完成情况

    全年开展党员教育活动。

    全年开展党员教育活动24场。

一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施

{table.strip()}

{total}
"""


def the_form(text: str):
    """The one form a document holds (no file-level issue)."""
    parsed = pdftext.parse(text)
    assert parsed.issues == []
    (form,) = parsed.forms
    return form


def rows(form) -> list[tuple]:
    return [
        (i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score, i.deviation_reason)
        for i in form.indicators
    ]


def expected(*items) -> list[tuple]:
    return [(l1, l2, n, t, a, D(w), D(s), r) for l1, l2, n, t, a, w, s, r in items]


def codes(form) -> list[str]:
    return [w.code for w in form.warnings]


# -- 1. header labels match as whole tokens, not as prefixes of an indicator name ----


def test_indicator_names_that_begin_with_a_header_label_are_rows():
    # the category labels printed as blocks of their own: each row's line starts with its name
    table = """
产出指标

数量指标

项目资金到位率 =100% 100% 30 30

预期目标完成率 >=90% 95% 30 30

效益指标

社会效益指标

项目名称规范性 规范 规范 20 17

满意度指标

服务对象满意度指标

主管部门满意度 >=90% 92% 10 10
"""
    form = the_form(document(table))
    # the header is still read from the real label lines
    assert (form.project_name, form.supervising_department, form.implementing_unit) == (
        "党员教育经费", "中共某区委组织部", "某区党群服务中心")
    assert (form.money_unit, form.goal_planned, form.goal_actual) == (
        "万元", "全年开展党员教育活动。", "全年开展党员教育活动24场。")
    assert rows(form) == expected(
        (P, NUM, "项目资金到位率", "=100%", "100%", "30", "30", None),
        (P, NUM, "预期目标完成率", ">=90%", "95%", "30", "30", None),
        (B, SOC, "项目名称规范性", "规范", "规范", "20", "17", None),
        (S, SAT, "主管部门满意度", ">=90%", "92%", "10", "10", None),
    )


def test_header_labels_followed_by_a_colon_or_printed_with_spaces_inside():
    text = document("数量指标 活动场次 >=24场 24场 90 87").replace(
        "项目名称 党员教育经费", "项 目 名 称： 党员教育经费").replace(
        "主管部门 中共某区委组织部 实施单位 某区党群服务中心", "主管部门： 中共某区委组织部 实施单位： 某区党群服务中心")
    form = the_form(text)
    assert (form.project_name, form.supervising_department, form.implementing_unit) == (
        "党员教育经费", "中共某区委组织部", "某区党群服务中心")


# -- 2. a 总分 above its weight is the 总分 row, landed as printed ---------------------


def test_an_inflated_total_lands_as_printed_and_ends_its_form(tmp_path):
    # two forms: the first one's 总分 (100.5) is above 100; it must still end that form
    first = document("数量指标 活动场次 >=24场 24场 90 90", total="100 100.5")
    second = document("数量指标 活动场次 >=24场 20场 90 75", total="总分 100 84.5", name="党建阵地运行经费")
    path = tmp_path / "inflated.txt"
    path.write_text(first + "\n" + second, encoding="utf-8")
    db = tmp_path / "j.duckdb"

    proc = run_ingest(db, path)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert query(db, "SELECT form_seq, project_name, total_weight, total_score FROM raw.forms ORDER BY form_seq") == [
        (1, "党员教育经费", D(100), D("100.5")),
        (2, "党建阵地运行经费", D(100), D("84.5")),
    ]
    # 9.5 + 90 = 99.5, not the printed 100.5: recorded for the checks
    assert query(db, "SELECT form_seq, error_code, severity FROM raw.ingest_errors ORDER BY form_seq") == [
        (1, "scores_do_not_reconcile", "warning"),
    ]


def test_an_inflated_total_printed_with_its_label():
    for total in ("100 101.00总分", "总分 100 101.00", "总分\n\n100 101.00"):
        form = the_form(document("数量指标 活动场次 >=24场 24场 90 90", total=total))
        assert (form.total_weight, form.total_score) == (D(100), D("101.00")), total
        assert codes(form) == ["scores_do_not_reconcile"], total


# -- 3. a fund-source label with a space after its colon -------------------------------


def test_a_fund_label_printed_with_a_space_after_the_colon():
    budget = (
        "年初预算数 全年预算数 全年执行数 分值 执行率 得分\n\n"
        "年度资金总额 120.00 100.00 95.00 10 95.00% 9.5\n\n"
        "其中: 当年财政拨款 110.00 90.00 85.00 —\n\n"
        "上年结转资金 10.00 10.00 10.00 —\n\n"
        "其他资金： - - - —"
    )
    form = the_form(document("数量指标 活动场次 >=24场 24场 90 87", budget=budget, total="100 96.5"))
    assert codes(form) == []
    assert [(b.fund_source, b.initial_amount, b.full_year_amount, b.executed_amount) for b in form.budget_lines] == [
        ("total", D("120.00"), D("100.00"), D("95.00")),
        ("current_year_appropriation", D("110.00"), D("90.00"), D("85.00")),
        ("prior_year_carryover", D("10.00"), D("10.00"), D("10.00")),
        ("other", None, None, None),
    ]


# -- 4. a number and the unit printed after a space are one cell ---------------------


def test_spaced_value_notation_is_one_cell():
    # as 002/003 print targets and actuals: a unit after a space, a comparator
    # before one, a date note (but not a reason in brackets printed after the
    # score); `0 履职事故` (a number and a word no unit list
    # knows) on a line with a cell too many, or where the name would be a
    # bare number (安全管理 printed above its value line)
    table = """
产出指标 数量指标 论文发表数 ≥20 篇 25 篇 9 9

数量指标 培训批次 ≥6 批次 1-2 批次 9 4 (场地改造)

数量指标 参训人数 约 30 人 32 （人） 9 9

质量指标 培训出勤率 ≥ 90% 95.00 (%) 9 9

质量指标 安全生产 0 履职事故 达成指标 9 9

质量指标
安全管理
0 履职事故 部分达成指标并具有一定效果 9 9

时效指标 培训完成时间 12 月底前 11 月底前 9 9

时效指标 雇员考核完成及时率 100% (2023 年 12 月) 达成指标 9 9

效益指标 社会效益指标 党员教育覆盖率 =100 (%) 100.00 (%) 9 9

满意度指标 服务对象满意度指标 群众满意度 ≥90 (%) 92 (%) 9 9
"""
    form = the_form(document(table, total="100 94.5"))
    assert codes(form) == []
    assert rows(form) == expected(
        (P, NUM, "论文发表数", "≥20 篇", "25 篇", "9", "9", None),
        (P, NUM, "培训批次", "≥6 批次", "1-2 批次", "9", "4", "(场地改造)"),
        (P, NUM, "参训人数", "约 30 人", "32 （人）", "9", "9", None),
        (P, QUA, "培训出勤率", "≥ 90%", "95.00 (%)", "9", "9", None),
        (P, QUA, "安全生产", "0 履职事故", "达成指标", "9", "9", None),
        (P, QUA, "安全管理", "0 履职事故", "部分达成指标并具有一定效果", "9", "9", None),
        (P, TIM, "培训完成时间", "12 月底前", "11 月底前", "9", "9", None),
        (P, TIM, "雇员考核完成及时率", "100% (2023 年 12 月)", "达成指标", "9", "9", None),
        (B, SOC, "党员教育覆盖率", "=100 (%)", "100.00 (%)", "9", "9", None),
        (S, SAT, "群众满意度", "≥90 (%)", "92 (%)", "9", "9", None),
    )


def test_a_value_line_whose_cells_cannot_be_told_apart_lands_with_a_warning():
    # `≥95% 以上`: four cells before 分值 得分 and no number standing alone:
    # the name takes the extra cell, which reads like a value; the form says so
    table = """
产出指标 数量指标 活动场次 >=24场 24场 80 80

质量指标 培训合格率 ≥95% 以上 98% 10 10
"""
    form = the_form(document(table, total="100 99.5"))
    assert rows(form)[1][2:5] == ("培训合格率 ≥95%", "以上", "98%")
    assert codes(form) == ["cell_split_uncertain"]
    assert "'≥95%'" in form.warnings[0].message


# -- 5. a full-score row's reason printed on the lines below its value line ------------


def test_the_reason_of_a_row_that_kept_its_points_is_kept():
    # every row keeps its points and has a reason printed below its value
    # line; what ends the reason is the structure: the next row's own name on
    # its value line, its category label, or the 总分 row
    table = """
产出指标 数量指标 活动场次 >=24场 26场 30 30
超额完成年度
活动计划

时效指标 活动通知发布及时性 及时 及时 20 20
按计划执行

效益指标

社会效益指标

党员参与活动满意率
>=90% 96% 20 20
群众评价良好

满意度指标 服务对象满意度指标 群众满意度 >=90% 92% 10 10
满意度调查覆盖
全部社区

党员满意度 >=90% 95% 5 5

服务对象投诉率 <=1% 0% 5 5
无投诉
"""
    form = the_form(document(table, total="100 99.5"))
    assert codes(form) == []
    assert rows(form) == expected(
        (P, NUM, "活动场次", ">=24场", "26场", "30", "30", "超额完成年度活动计划"),
        (P, TIM, "活动通知发布及时性", "及时", "及时", "20", "20", "按计划执行"),
        (B, SOC, "党员参与活动满意率", ">=90%", "96%", "20", "20", "群众评价良好"),
        (S, SAT, "群众满意度", ">=90%", "92%", "10", "10", "满意度调查覆盖全部社区"),
        (S, SAT, "党员满意度", ">=90%", "95%", "5", "5", None),
        (S, SAT, "服务对象投诉率", "<=1%", "0%", "5", "5", "无投诉"),
    )


def test_a_reason_told_from_the_next_name_by_widths_alone_lands_with_a_warning():
    # no label between the reason and the next row's name (printed above its
    # value line): `满意度调查覆盖` / `全部社区` cannot start a one-cell name
    # that ends `党员满意度` (its first line is not full), so it is left over
    table = """
产出指标 数量指标 活动场次 >=24场 26场 80 80

满意度指标 服务对象满意度指标 群众满意度 >=90% 92% 5 5
满意度调查覆盖
全部社区

党员满意度
>=90% 95% 5 5
"""
    form = the_form(document(table, total="100 99.5"))
    assert rows(form) == expected(
        (P, NUM, "活动场次", ">=24场", "26场", "80", "80", None),
        (S, SAT, "群众满意度", ">=90%", "92%", "5", "5", "满意度调查覆盖全部社区"),
        (S, SAT, "党员满意度", ">=90%", "95%", "5", "5", None),
    )
    assert codes(form) == ["reason_uncertain"]


def test_a_wrapped_name_after_a_row_that_kept_its_points_stays_a_name():
    table = """
产出指标 数量指标 活动场次 >=24场 26场 40 40

党员教育活动覆盖
率

=100% 100% 50 50
"""
    form = the_form(document(table, total="100 99.5"))
    assert rows(form) == expected(
        (P, NUM, "活动场次", ">=24场", "26场", "40", "40", None),
        (P, NUM, "党员教育活动覆盖率", "=100%", "100%", "50", "50", None),
    )
    assert codes(form) == []


# -- 6./7. wrapped names ----------------------------------------------------------------


WRAPPED_NAMES = [
    # `党员参与“` may not end a line: the quote goes down with `满意率`, and the
    # first line, short of the column, is still full
    ("效益指标 社会效益指标 党员参与\n“满意率”测\n评\n\n>=90% 96% 20 20",
     ("党员参与“满意率”测评", ">=90%", "96%"), []),
    # two cells on one baseline (a name, and a target wrapping onto the next
    # line), or one name with a space inside and a one-line target: the
    # widths allow both; the first is taken and the form says the cut is uncertain
    ("效益指标 社会效益指标 党员参与活动满意率 组织开展满意度测评\n并形成报告\n\n96% 20 20",
     ("党员参与活动满意率", "组织开展满意度测评并形成报告", "96%"), ["cell_split_uncertain"]),
]


@pytest.mark.parametrize(("printed", "cells", "warnings"), WRAPPED_NAMES, ids=["quote-moved-down", "name-beside-target"])
def test_a_wrapped_name_is_cut_from_its_target(printed, cells, warnings):
    form = the_form(document(f"产出指标 数量指标 活动场次 >=24场 26场 70 70\n\n{printed}", total="100 99.5"))
    assert rows(form) == expected(
        (P, NUM, "活动场次", ">=24场", "26场", "70", "70", None),
        (B, SOC, *cells, "20", "20", None),
    )
    assert codes(form) == warnings


# -- 8. the worst case of the cell cutting is bounded ------------------------------------

# Thousands of lines of text above a bare ``5 5`` value line (a row whose name,
# target and actual are all in the text above it). Lines that all fill one
# column let a cell run over any of them, so the ways to cut them into
# name / target / actual grow with the square of the lines (the old search
# listed them: with the cube); lines of two widths allow no cut of the whole
# text, so the tails are tried, one per line (the old search: the fourth
# power). Either would have run for hours; the form is now refused as
# too complex, and the form beside it in the same file still lands.
GAPS = {
    "one-width": ["党员教育活动"] * 3000,
    "two-widths": [("党员教育活动开展" if k % 3 else "党员活动") for k in range(3000)],
}


@pytest.mark.parametrize("lines", GAPS.values(), ids=GAPS.keys())
def test_thousands_of_lines_above_a_bare_value_line_are_refused_as_too_complex(lines):
    good = document("数量指标 活动场次 >=24场 24场 90 90", total="100 99.5")
    gap = "\n".join(lines)
    hostile = document(f"数量指标 活动场次 >=24场 24场 85 85\n\n{gap}\n5 5", total="100 99.5", name="党建阵地运行经费")
    text = good + "\n" + hostile
    value_line = text.split("\n").index("5 5") + 1

    parsed = pdftext.parse(text)

    (form,) = parsed.forms
    assert (form.project_name, rows(form)) == ("党员教育经费", expected(
        (P, NUM, "活动场次", ">=24场", "24场", "90", "90", None),
    ))
    (issue,) = parsed.issues
    assert (issue.code, issue.line_no, issue.form_seq) == ("too_complex", value_line, 2)
    assert f"value line {value_line}" in issue.message and "3000 tokens" in issue.message


# Thousands of rows that the other searches weigh as a whole: value lines
# printed apart from their names (paired by a beam search over orders), and
# rows no category label anchors (spread over the labels printed in a column
# of their own). Zero weights keep the form's arithmetic whole, so only the
# searches' own limits stop them.
HOSTILE_TABLES = {
    "names-printed-apart": (
        "\n".join(">=1次 1次 0 0" for _ in range(3000)) + "\n>=1次 1次 90 90\n\n"
        + "\n\n".join(f"培训项目{k}" for k in range(3001)) + "\n\n数量指标",
        "were printed apart from their names",
    ),
    "rows-without-label": (
        "活动场次 >=24场 24场 90 90\n\n" + "\n\n".join(f"培训项目{k} >=1次 1次 0 0" for k in range(3000))
        + "\n\n产出指标\n\n数量指标\n\n质量指标\n\n时效指标",
        "could each take more than one of 3 category labels",
    ),
}


@pytest.mark.parametrize(("table", "says"), HOSTILE_TABLES.values(), ids=HOSTILE_TABLES.keys())
def test_thousands_of_rows_for_a_search_are_refused_as_too_complex(table, says):
    text = document(table, total="100 99.5")
    first_value_line = next(k for k, line in enumerate(text.split("\n"), start=1) if line.endswith((" 0 0", " 90 90")))

    parsed = pdftext.parse(text)

    assert parsed.forms == []
    (issue,) = parsed.issues
    assert (issue.code, issue.line_no) == ("too_complex", first_value_line)
    assert "3001 indicator rows" in issue.message and says in issue.message
