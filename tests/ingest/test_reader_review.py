"""Review of the template reader (issue 13): adversarial but realistic
variants of a hand-written national-template form.

Every expected value below is typed by hand from the form text in this file.
Tests marked BUG failed on the reviewed code (a wrong value landed, or a good
form refused) and guard the fixes; tests marked PIN passed then and pin a
behaviour that is fragile (easy to break when the reader changes).
"""

from __future__ import annotations

from decimal import Decimal

from ingest.pipeline import parse_bytes

D = Decimal

BUDGET = [
    "项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
    "\t年度资金总额\t100.00\t100.00\t90.00\t10\t90.00%\t9",
    "\t其中：当年财政拨款\t100.00\t100.00\t90.00\t—\t\t",
    "\t上年结转资金\t\t\t\t—\t\t",
    "\t其他资金\t\t\t\t—\t\t",
]
GOALS = ["年度总体目标\t预算目标\t\t\t实际完成情况", "\t完成任务\t\t\t已完成"]
HEADER = "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"
ROWS = [
    "\t产出指标\t数量指标\t培训人数\t100人\t100人\t30\t30\t",
    "\t\t质量指标\t合格率\t≥95%\t96%\t20\t20\t",
    "\t效益指标\t社会效益指标\t群众知晓率\t≥90%\t85%\t30\t27\t宣传不足",
    "\t满意度指标\t服务对象满意度指标\t参训人员满意度\t≥90%\t92%\t10\t10\t",
]
# the four rows above as (level1, level2, name, target, actual, weight, score, reason), typed by hand
EXPECTED = [
    ("产出指标", "数量指标", "培训人数", "100人", "100人", D(30), D(30), None),
    ("产出指标", "质量指标", "合格率", "≥95%", "96%", D(20), D(20), None),
    ("效益指标", "社会效益指标", "群众知晓率", "≥90%", "85%", D(30), D(27), "宣传不足"),
    ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", "92%", D(10), D(10), None),
]


def tsv(rows=ROWS, budget=BUDGET, goals=GOALS, total="总分\t\t\t\t\t100\t96") -> str:
    lines = ["财政项目支出绩效自评表", "(2022 年度)", "项目名称\t测试项目", "主管部门\t某局\t\t\t实施单位\t某中心",
             *budget, *goals, HEADER, *rows, total]
    return "\n".join(lines) + "\n"


def parse(text: str, name: str = "review.txt"):
    return parse_bytes(name, text.encode("utf-8"))


def rows(form) -> list[tuple]:
    return [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score, i.deviation_reason)
            for i in form.indicators]


def funds(form) -> list[tuple]:
    return [(b.fund_source, b.initial_amount, b.full_year_amount, b.executed_amount) for b in form.budget_lines]


# -- BUG: silently wrong values ------------------------------------------------------------------


def test_bug_tab_stops_leaving_one_space_between_name_and_target_lands_shifted_values():
    """BUG. The form's tabs expanded to 8-column stops (the rewrite
    test_rewritten_layouts uses): ``参训人员满意度`` is 7 characters, so its tab
    becomes ONE space and the spaced source glues name and target into one
    cell. Today the row lands as name '参训人员满意度 ≥90%', target '92%',
    actual '10', weight 10, score None — and checks.py then blames the
    *printed* form ("the printed form does not add up") with confidence 0.8.
    The form must land as typed, or be refused; never shifted."""
    text = "\n".join(line.expandtabs(8) for line in tsv().split("\n"))
    result = parse(text)
    if result.forms:
        (form,) = result.forms
        assert rows(form) == EXPECTED
        assert form.parse_confidence == 1.0
    else:
        assert result.issues  # refused, saying why


def test_bug_spaced_text_without_empty_cells_misreads_a_fund_row():
    """BUG. The same form saved as text with each run of tabs turned into
    four spaces (empty cells gone, as a page saved as text prints them). The
    当年财政拨款 row (100.00 100.00 90.00 —) lands as (None, 100.00, 100.00):
    its 90.00 is taken for a 分值 under character-offset positions that the
    header does not share, although the only reading in which the block adds
    up (the row equals the total in all three columns) is the printed one.
    The check then reports funds_do_not_reconcile as if the print disagreed."""
    import re

    text = "\n".join(re.sub(r"\t+", "    ", line) for line in tsv().split("\n"))
    result = parse(text)
    (form,) = result.forms
    assert funds(form)[:2] == [
        ("total", D("100.00"), D("100.00"), D("90.00")),
        ("current_year_appropriation", D("100.00"), D("100.00"), D("90.00")),
    ]
    assert [w.code for w in form.warnings] == []


def test_bug_a_short_numbered_goal_is_dropped_and_the_actual_lands_as_the_goal():
    """BUG. _goals drops any cell matching ``\\d+[.、].{0,14}`` (meant for
    item numbers); a 预期目标 written as one short numbered item
    (``1.完成培训100人``) vanishes and 实际完成情况 '已完成' lands as goal_planned."""
    goals = ["年度总体目标\t预算目标\t\t\t实际完成情况", "\t1.完成培训100人\t\t\t已完成"]
    (form,) = parse(tsv(goals=goals)).forms
    assert (form.goal_planned, form.goal_actual) == ("1.完成培训100人", "已完成")


def test_bug_a_blank_planned_goal_lets_the_actual_land_as_the_goal():
    """BUG. _goals takes the first and second texts of the block, not the
    cells under 预算目标 / 实际完成情况: with 预算目标 left blank, the
    实际完成情况 text lands as goal_planned and goal_actual is null."""
    goals = ["年度总体目标\t预算目标\t\t\t实际完成情况", "\t\t\t\t已完成"]
    (form,) = parse(tsv(goals=goals)).forms
    assert (form.goal_planned, form.goal_actual) == (None, "已完成")


def test_bug_a_blank_grade_takes_the_next_rows_label_as_the_grade():
    """BUG. ``评分等级`` with its cell left blank: _total takes the next
    non-empty cell whatever it is, and the grade lands as '其他需要说明事项'."""
    total = "总分\t\t\t\t\t100\t96\n评分等级\t\n其他需要说明事项\t无"
    (form,) = parse(tsv(total=total)).forms
    assert form.grade is None


def test_bug_a_filling_date_under_the_title_lands_as_the_forms_year():
    """BUG. A short cell under the title holding a year is read as the year
    of the form (``year_source`` 'title'), though it is the date the form was
    filled in (``填报时间:2023年3月``, the year after the one evaluated). The
    form names its year only in its goal ('2022年完成任务')."""
    text = tsv(goals=["年度总体目标\t预算目标\t\t\t实际完成情况", "\t2022年完成任务\t\t\t已完成"])
    text = text.replace("(2022 年度)", "填报时间:2023年3月")
    (form,) = parse(text).forms
    assert (form.year, form.year_source) != (2023, "title")


def test_bug_a_blank_project_name_takes_a_line_above_it():
    """BUG. 项目名称 left blank: the 'orphan' rule (a project name printed
    above its label, for merged cells) takes any text between the title and
    the head, here the line '填报单位：某中心', as the project's name. The
    form has no project name and must be refused as missing_project_name."""
    text = tsv().replace("(2022 年度)", "(2022 年度)\n填报单位：某中心").replace("项目名称\t测试项目", "项目名称\t")
    result = parse(text)
    assert [f.project_name for f in result.forms] == []
    assert [i.code for i in result.issues] == ["missing_project_name"]


def test_bug_a_budget_score_above_its_weight_lands_without_a_flag():
    """BUG. Issue 13 item 5: 'each score ≤ its weight'. checks.py checks the
    indicators only: a 年度资金总额 row scoring 19 of 10 (总分 106 of 100) lands
    with parse_confidence 1.0 and no warning."""
    budget = list(BUDGET)
    budget[1] = "\t年度资金总额\t100.00\t100.00\t90.00\t10\t90.00%\t19"
    (form,) = parse(tsv(budget=budget, total="总分\t\t\t\t\t100\t106")).forms
    assert form.parse_confidence < 1.0
    assert form.warnings != ()


def test_bug_a_printed_execution_rate_that_contradicts_the_amounts_lands_without_a_flag():
    """BUG (a check the issue does not list, but the reader already relies on
    it to choose readings): 执行率 printed 90.00% while 全年执行数 / 全年预算数 is
    60.00 / 100.00 = 60%. Lands with confidence 1.0 and no warning."""
    budget = list(BUDGET)
    budget[1] = "\t年度资金总额\t100.00\t100.00\t60.00\t10\t90.00%\t9"
    budget[2] = "\t其中：当年财政拨款\t100.00\t100.00\t60.00\t—\t\t"
    (form,) = parse(tsv(budget=budget)).forms
    assert form.parse_confidence < 1.0


def test_bug_a_pipe_row_with_blank_actual_and_score_lands_an_invented_score():
    """BUG. The form as a pipe table with no ``|---|`` separator (ROWS_BROKEN).
    Row 合格率 prints target ``20``, 实际完成值 blank, 分值 20, 得分 blank; the
    pipe source keeps the empty cells, but the stream cutter drops them and
    the readings put 20 / 20 under 分值 / 得分. The row lands with score 20
    (target lost), and checks.py blames the print ('does not add up')."""
    rows_ = list(ROWS)
    rows_[1] = "\t\t质量指标\t合格率\t20\t\t20\t\t"
    text = tsv(rows=rows_, total="总分\t\t\t\t\t100\t76")
    text = "\n".join("| " + " | ".join(line.split("\t")) + " |" for line in text.split("\n") if line)
    result = parse(text + "\n", "review.md")
    if result.forms:
        (form,) = result.forms
        assert rows(form)[1] == ("产出指标", "质量指标", "合格率", "20", None, D(20), None, None)
    else:
        assert result.issues  # refused, saying why: acceptable; a guessed score is not


def test_bug_a_level2_outside_the_taxonomy_is_glued_into_the_name():
    """BUG. A 二级指标 the vocabulary does not list (``社会公众或服务对象满意度指标``,
    printed by local variants) stands in the grid's 二级指标 column, yet it is
    read as part of the 三级指标 name: the row lands with level2 None and name
    '社会公众或服务对象满意度指标参训人员满意度', confidence 1.0. In a grid whose
    rows are reliable, the column decides; an unknown category should land as
    printed (or the form be flagged), never inside the name."""
    rows_ = list(ROWS)
    rows_[3] = "\t满意度指标\t社会公众或服务对象满意度指标\t参训人员满意度\t≥90%\t92%\t10\t10\t"
    (form,) = parse(tsv(rows=rows_)).forms
    last = form.indicators[3]
    assert last.name == "参训人员满意度"
    assert last.level2 == "社会公众或服务对象满意度指标"


def test_bug_an_indicator_named_like_a_note_label_is_dropped():
    """BUG. labels.is_note_label matches any cell *beginning* with a note label
    of 4 characters or more (存在问题, 改进措施 …), and _skip_notes drops it with
    the rest of its row: an indicator named ``存在问题整改率`` (a common one)
    vanishes, and the form lands with 3 indicators and weights/scores 'not
    adding up' blamed on the print."""
    rows_ = list(ROWS)
    rows_[1] = "\t\t质量指标\t存在问题整改率\t≥95%\t96%\t20\t20\t"
    (form,) = parse(tsv(rows=rows_)).forms
    assert [i.name for i in form.indicators] == ["培训人数", "存在问题整改率", "群众知晓率", "参训人员满意度"]
    assert form.parse_confidence == 1.0


# -- BUG: good forms refused ----------------------------------------------------------------------


def test_bug_a_deviation_reason_continued_on_the_next_row_refuses_the_form():
    """BUG. A tab-separated copy where a long 偏差原因 spilled onto the next
    line (no quotes: the cell's text was pasted as two rows, only the reason
    column filled). Today: unreadable_indicator_row on '下一步加强宣传' and the
    whole form is refused. The continuation belongs to the reason above."""
    rows_ = list(ROWS)
    rows_[2:3] = ["\t效益指标\t社会效益指标\t群众知晓率\t≥90%\t85%\t30\t27\t宣传不足，",
                  "\t\t\t\t\t\t\t\t下一步加强宣传"]
    result = parse(tsv(rows=rows_))
    assert [i.code for i in result.issues] == []
    (form,) = result.forms
    assert form.indicators[2].deviation_reason in ("宣传不足，下一步加强宣传", "宣传不足，\n下一步加强宣传")
    assert len(form.indicators) == 4


def test_bug_an_amount_written_with_wan_in_a_wan_yuan_block_refuses_the_form():
    """BUG (minor: refused loudly, not misread). ``150万`` in a block headed
    (万元) is 150 of the block's unit; today the form is refused as
    unreadable_number."""
    budget = list(BUDGET)
    budget[1] = "\t年度资金总额\t150万\t100.00\t90.00\t10\t90.00%\t9"
    budget[2] = "\t其中：当年财政拨款\t150万\t100.00\t90.00\t—\t\t"
    result = parse(tsv(budget=budget))
    assert [i.code for i in result.issues] == []
    (form,) = result.forms
    assert funds(form)[0] == ("total", D(150), D("100.00"), D("90.00"))


def test_bug_a_name_that_reads_like_a_category_refuses_a_pipe_table():
    """BUG. The form as a pipe table with no ``|---|`` separator row (rows of
    unequal width, as some converters write): a 三级指标 named
    ``服务对象满意度`` is taken for a category, the row loses its name and is
    refused as ambiguous_indicator_row. In the tab-separated copy it lands."""
    rows_ = list(ROWS)
    rows_[3] = "\t满意度指标\t服务对象满意度指标\t服务对象满意度\t≥90%\t92%\t10\t10\t"
    text = "\n".join("| " + " | ".join(line.split("\t")) + " |" for line in tsv(rows=rows_).split("\n") if line)
    result = parse(text + "\n", "review.md")
    assert [i.code for i in result.issues] == []
    (form,) = result.forms
    assert rows(form)[3] == ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "92%", D(10), D(10), None)


def test_bug_a_note_naming_the_form_after_the_last_form_is_a_phantom_truncated_form():
    """BUG. A note under the form, ``注：本表为项目支出绩效自评表``, is a short
    cell ending in 自评表 that names 项目, so it counts as a title; the last
    title is always kept, and the file reports a second form refused as
    ``truncated`` ("before its 绩效指标 table") though the document is complete."""
    result = parse(tsv() + "注：本表为项目支出绩效自评表\n")
    assert [f.project_name for f in result.forms] == ["测试项目"]
    assert [i.code for i in result.issues] == []


def test_bug_a_unit_whose_name_begins_like_a_block_label_is_lost():
    """BUG (silent). labels.is_budget_block matches any cell *beginning* with
    项目资金 / 预算执行情况: an 实施单位 named ``项目资金管理中心`` is taken for
    the budget block's label; the form lands with implementing_unit None."""
    text = tsv().replace("实施单位\t某中心", "实施单位\t项目资金管理中心")
    (form,) = parse(text).forms
    assert form.implementing_unit == "项目资金管理中心"


def test_bug_a_project_name_beginning_like_a_block_label_refuses_the_form():
    """BUG (refused). A project named ``绩效指标体系建设`` (or ``项目资金绩效管理``)
    is taken for a block label, so the form is refused as missing_project_name."""
    for name in ("绩效指标体系建设", "项目资金绩效管理"):
        result = parse(tsv().replace("项目名称\t测试项目", f"项目名称\t{name}"))
        assert [f.project_name for f in result.forms] == [name]


# -- PIN: fragile behaviours that hold today -------------------------------------------------------


def test_pin_names_that_read_like_categories_stay_names_in_a_tab_separated_table():
    """PIN. Under the 三级指标 column a cell is never a category (labels.category
    would match both ``社会效益`` and ``服务对象满意度``)."""
    rows_ = list(ROWS)
    rows_[2] = "\t效益指标\t社会效益指标\t社会效益\t≥90%\t85%\t30\t27\t宣传不足"
    rows_[3] = "\t满意度指标\t服务对象满意度指标\t服务对象满意度\t≥90%\t92%\t10\t10\t"
    (form,) = parse(tsv(rows=rows_)).forms
    assert [i.name for i in form.indicators] == ["培训人数", "合格率", "社会效益", "服务对象满意度"]
    assert [i.level2 for i in form.indicators] == ["数量指标", "质量指标", "社会效益指标", "服务对象满意度指标"]


def test_pin_bare_number_target_equal_to_the_weight_and_a_numeric_reason():
    """PIN. A target ``30`` equal to its 分值 30 and a 偏差原因 that is a bare
    number: the readings rank by kind, so only row positions keep these
    apart."""
    rows_ = list(ROWS)
    rows_[0] = "\t产出指标\t数量指标\t培训班次\t30\t30\t30\t30\t"
    rows_[2] = "\t效益指标\t社会效益指标\t群众知晓率\t≥90%\t85%\t30\t27\t5"
    (form,) = parse(tsv(rows=rows_)).forms
    assert rows(form)[0] == ("产出指标", "数量指标", "培训班次", "30", "30", D(30), D(30), None)
    assert rows(form)[2][-1] == "5"


def test_pin_budget_columns_with_the_rate_before_the_weight():
    """PIN. 执行率 printed before 分值, the rate without its % sign: the only
    thing telling 90 (rate) from 10 (weight) is the header's order."""
    budget = ["项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t执行率\t分值\t得分",
              "\t年度资金总额\t100.00\t100.00\t90.00\t90\t10\t9",
              "\t其中：当年财政拨款\t100.00\t100.00\t90.00\t\t—\t",
              "\t上年结转资金\t\t\t\t\t—\t",
              "\t其他资金\t\t\t\t\t—\t"]
    (form,) = parse(tsv(budget=budget)).forms
    assert (form.budget_weight, form.execution_rate_pct, form.budget_score) == (D(10), D(90), D(9))


def test_pin_a_second_form_without_a_budget_block_is_refused_alone():
    """PIN. Two forms in one file; the second has no 项目资金 block. The first
    lands whole; the second is refused as missing_budget and takes nothing
    from the first."""
    second = "\n".join(
        line for line in tsv().replace("测试项目", "第二项目").split("\n")
        if not any(k in line for k in ("项目资金", "年度资金总额", "当年财政拨款", "上年结转", "其他资金"))
    )
    result = parse(tsv() + "\n" + second)
    assert [f.project_name for f in result.forms] == ["测试项目"]
    assert [(i.form_seq, i.code) for i in result.issues] == [(2, "missing_budget")]


def test_pin_total_row_with_a_grade_heji_and_20_80_weighting():
    """PIN. 合计 in place of 总分 printing weight, score and grade; a budget
    weighted 20 (Sichuan 20 + 80)."""
    budget = list(BUDGET)
    budget[1] = "\t年度资金总额\t100.00\t100.00\t90.00\t20\t90.00%\t18"
    rows_ = list(ROWS)
    rows_[1] = "\t\t质量指标\t合格率\t≥95%\t96%\t10\t10\t"
    (form,) = parse(tsv(rows=rows_, budget=budget, total="合计\t\t\t\t\t100\t95\t优")).forms
    assert (form.budget_weight, form.budget_score) == (D(20), D(18))
    assert (form.total_weight, form.total_score, form.grade) == (D(100), D(95), "优")
    assert form.parse_confidence == 1.0 and form.warnings == ()


def test_pin_head_fields_on_separate_rows_and_a_year_printed_as_2022_nian():
    text = tsv().replace("主管部门\t某局\t\t\t实施单位\t某中心", "主管部门\t某局\n实施单位\t某中心").replace(
        "(2022 年度)", "(2022年)")
    (form,) = parse(text).forms
    assert (form.year, form.supervising_department, form.implementing_unit) == (2022, "某局", "某中心")


def test_pin_a_negative_score_refuses_the_form():
    rows_ = list(ROWS)
    rows_[0] = "\t产出指标\t数量指标\t培训人数\t100人\t100人\t30\t-2\t"
    result = parse(tsv(rows=rows_, total="总分\t\t\t\t\t100\t64"))
    assert result.forms == []
    assert [i.code for i in result.issues] == ["negative_number"]


def test_pin_a_review_score_column_is_ignored():
    """PIN. A 复核分 column between 得分 and 偏差原因 (its value equal to the score)."""
    text = tsv(rows=[r.replace("\t30\t27\t", "\t30\t27\t27\t").replace("\t20\t20\t", "\t20\t20\t20\t")
                     .replace("\t30\t30\t", "\t30\t30\t30\t").replace("\t10\t10\t", "\t10\t10\t10\t") for r in ROWS])
    text = text.replace("\t得分\t偏差原因分析及改进措施", "\t得分\t复核分\t偏差原因分析及改进措施")
    (form,) = parse(text).forms
    assert rows(form) == EXPECTED
