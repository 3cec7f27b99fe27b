"""pdftotext's text of a PDF table, piece by piece: ``-layout``'s wrapped cells folded into their rows
(``ingest/sources/wrapped.py``, through the spaced source) and the default mode's reading-order text
rebuilt from the template (``ingest/sources/reading_order.py``).

The snippets are written by hand the way pdftotext prints LibreOffice's PDFs of the forms in
``tests/support/pdf_cases.py`` (``tests/ingest/test_pdf_end_to_end.py`` runs the real PDFs); expected
cells and fields are read off the snippets by hand.
"""

from __future__ import annotations

from decimal import Decimal

from ingest.pipeline import parse_bytes
from ingest.sources import detect_text, reading_order, spaced

# -- -layout: a centred cell printed half above and half below its row -----------------------------

CENTRED = """\
 一级指标     二级指标      三级指标        分值     得分      偏差原因分析及改进措施


                                                  部分管网因征地未完成施工
          数量指标   新建供水管网长度       25     22.5
 产出指标                                              ，次年续建
          质量指标      水质达标率          25      25

 效益指标    社会效益指标        受益人口         30      30
"""


def test_a_centred_wrapped_cell_is_folded_into_its_row():
    (grid,) = spaced.read(CENTRED)
    rows = {row.line_no: [t for t in row.texts if t] for row in grid.rows}
    assert rows[5] == ["数量指标", "新建供水管网长度", "25", "22.5", "部分管网因征地未完成施工，次年续建"]
    assert 4 not in rows  # the upper half's line is empty once folded
    assert rows[6] == ["产出指标"]  # a merged category between rows is never folded
    assert rows[7] == ["质量指标", "水质达标率", "25", "25"]
    assert grid.labels_centred  # a cell's upper half above its row: centred cells


TOP_ALIGNED = """\
 一级指标     二级指标      三级指标        分值     得分      偏差原因分析及改进措施
 产出指标     数量指标   新建供水管网长度       25     22.5     部分管网因征地未完成施工
                                                ，次年续建
          质量指标      水质达标率          25      25
"""


def test_top_aligned_cells_are_folded_into_the_row_they_start_on():
    # (pdftotext writes a Chinese character in one character cell: the reason's second line starts where
    # its first does; ingest/sources/top_aligned.py, tests in test_top_aligned.py)
    (grid,) = spaced.read(TOP_ALIGNED)
    rows = {row.line_no: [t for t in row.texts if t] for row in grid.rows}
    assert rows[2][-1] == "部分管网因征地未完成施工，次年续建"
    assert 3 not in rows
    assert not grid.labels_centred and grid.unreadable_rows == {}


def test_a_page_number_at_a_page_end_is_no_cell():
    text = CENTRED + "\n                     第1 页\n\f 满意度指标    服务对象满意度指标   受益群众满意度   10   10\n"
    (grid,) = spaced.read(text)
    assert all("第1 页" not in row.texts for row in grid.rows)


# -- default mode: one cell a paragraph, in the extractor's order ----------------------------------

def _paragraphs(*cells: str) -> str:
    return "\n\n".join(cells) + "\n\f"


HEAD = ("财政项目支出绩效自评表\n(2022年度)\n项目名称", "中小学校舍维修改造项目", "主管部门", "项目资金（元）", "某县教育局",
        "一级指标", "某县教育局", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
BUDGET = ("年度资金总额", "850000.00", "850000.00", "836400.00", "10", "98.40%", "9.84",
          "其中：当年财政\n拨款", "850000.00", "850000.00", "836400.00", "—", "—", "—",
          "上年结转资金", "0.00", "0.00", "0.00", "—", "—", "—", "0.00", "0.00", "0.00", "—", "—", "—",
          "其他资金\n年度总体目标", "实施单位")
GOALS = ("预期目标", "实际完成情况", "完成6000平方米校舍维修。", "完成6200平方米校舍维修。")
TABLE = ("二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "数量指标", "维修校舍面积", "≥6000平方米", "6200平方米", "50", "50",
         "质量指标", "工程验收合格率", "=100%", "100%", "30", "26", "部分工程返工\n，次年验收",
         "满意度指标", "服务对象满意度\n指标", "师生满意度", "≥90%", "95%", "10", "10")
TAIL = ("100", "95.84", "产出指标\n绩效指标", "总分\n评分等级", "偏差原因分析及改进措施", "优")


def test_reading_order_text_is_told_apart_from_one_cell_a_line():
    text = _paragraphs(*HEAD, *BUDGET, *GOALS, *TABLE, *TAIL)
    assert detect_text(text.split("\n")) is reading_order


def test_reading_order_text_lands_the_form_it_prints():
    result = parse_bytes("two.txt", _paragraphs(*HEAD, *BUDGET, *GOALS, *TABLE, *TAIL).encode())
    assert [i.code for i in result.issues] == []
    (form,) = result.forms
    assert (form.year, form.project_name, form.supervising_department, form.implementing_unit) == (
        2022, "中小学校舍维修改造项目", "某县教育局", "某县教育局")
    assert form.money_unit == "元"
    # 其他资金's label comes after its values: the numbers go to the labels in order, six each
    assert [(b.fund_source, b.executed_amount) for b in form.budget_lines] == [
        ("total", Decimal("836400.00")), ("current_year_appropriation", Decimal("836400.00")),
        ("prior_year_carryover", Decimal("0.00")), ("other", Decimal("0.00"))]
    assert (form.goal_planned, form.goal_actual) == ("完成6000平方米校舍维修。", "完成6200平方米校舍维修。")
    # 产出指标, printed after the table, is the 一级 of the one run of rows without one
    assert [(i.level1, i.level2, i.name, i.weight, i.score, i.deviation_reason) for i in form.indicators] == [
        ("产出指标", "数量指标", "维修校舍面积", Decimal(50), Decimal(50), None),
        ("产出指标", "质量指标", "工程验收合格率", Decimal(30), Decimal(26), "部分工程返工，次年验收"),
        ("满意度指标", "服务对象满意度指标", "师生满意度", Decimal(10), Decimal(10), None),
    ]
    assert (form.total_weight, form.total_score, form.grade) == (Decimal(100), Decimal("95.84"), "优")


def test_goals_side_by_side_in_one_paragraph_are_refused():
    goals = ("预期目标", "实际完成情况", "为全区老人提供助餐服务，新 全年服务老人3120名，新建助\n建助餐点12个。\n餐点12个。")
    result = parse_bytes("goals.txt", _paragraphs(*HEAD, *BUDGET, *goals, *TABLE, *TAIL).encode())
    assert result.forms == []
    assert [i.code for i in result.issues] == ["cells_out_of_order"]


def test_a_reason_printed_after_the_table_is_refused():
    table = tuple(c for c in TABLE if c != "部分工程返工\n，次年验收")
    tail = (*TAIL[:-2], "部分工程返工\n，次年验收", TAIL[-1])
    result = parse_bytes("reason.txt", _paragraphs(*HEAD, *BUDGET, *GOALS, *table, *tail).encode())
    assert result.forms == []
    assert [i.code for i in result.issues] == ["cells_out_of_order"]
    assert "部分工程返工" in result.issues[0].message


def test_categories_printed_in_a_block_apart_from_their_rows_are_refused():
    # both 二级 labels between the header's cells: which rows each spans is not in the text
    table = ("二级指标", "数量指标", "质量指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "维修校舍面积", "≥6000平方米", "6200平方米", "50", "50",
             "工程验收合格率", "=100%", "100%", "30", "26", "部分工程返工\n，次年验收",
             "满意度指标", "服务对象满意度\n指标", "师生满意度", "≥90%", "95%", "10", "10")
    result = parse_bytes("blocks.txt", _paragraphs(*HEAD, *BUDGET, *GOALS, *table, *TAIL).encode())
    assert result.forms == []
    assert [i.code for i in result.issues] == ["cells_out_of_order"]


WRAPPED_GOALS = """\
                    财政项目支出绩效自评表
                         (2022年度)
  项目名称                    农村饮水安全巩固提升工程

                   年初预算数    全年预算数    全年执行数    分值   执行率     得分

  项目资金（万元）  年度资金总额    300.00     300.00     300.00    10   100.00%   10.00
             其他资金       0.00       0.00       0.00    —     —        —
                   预期目标                          实际完成情况
  年度总体目标
             新建供水管网40公里，保障12000         新建供水管网40公里，受益人口
             名群众饮水安全。                     12500人。

  一级指标   二级指标    三级指标     年度指标值   实际完成值   分值   得分    偏差原因分析及改进措施


                                                                部分管网因征地未完成施工
  产出指标   数量指标   新建供水管网长度   ≥40公里     40公里     90     90
                                                                  ，次年续建

                   总分                                      100    100
"""


def test_centred_goals_that_wrap_side_by_side_are_refused():
    # which wrapped line belongs to which goal is not in the text: refused, not read as the first two pieces
    result = parse_bytes("goals_layout.txt", WRAPPED_GOALS.encode())
    assert result.forms == []
    assert [i.code for i in result.issues] == ["goals_side_by_side"]


def test_the_same_form_with_one_line_goals_lands():
    text = WRAPPED_GOALS.replace(
        "             新建供水管网40公里，保障12000         新建供水管网40公里，受益人口\n"
        "             名群众饮水安全。                     12500人。\n",
        "             保障12000名群众饮水安全。         受益人口12500人。\n")
    result = parse_bytes("goals_layout.txt", text.encode())
    assert [i.code for i in result.issues if i.severity.value == "error"] == []
    (form,) = result.forms
    assert (form.goal_planned, form.goal_actual) == ("保障12000名群众饮水安全。", "受益人口12500人。")
    assert [(i.name, i.target, i.actual, i.weight, i.score, i.deviation_reason) for i in form.indicators] == [
        ("新建供水管网长度", "≥40公里", "40公里", Decimal(90), Decimal(90), "部分管网因征地未完成施工，次年续建")]


def test_head_labels_out_of_the_templates_order_are_refused():
    # 实施单位 in the head and 主管部门 after the budget: which of the two texts is whose is not in the text
    head = tuple("实施单位" if c == "主管部门" else c for c in HEAD)
    budget = tuple("主管部门" if c == "实施单位" else c for c in BUDGET)
    result = parse_bytes("head.txt", _paragraphs(*head, *budget, *GOALS, *TABLE, *TAIL).encode())
    assert result.forms == []
    assert [i.code for i in result.issues] == ["cells_out_of_order"]
