"""``pdftotext -layout`` of tables whose cells are top-aligned (Word, LibreOffice Writer): a wrapped
cell's lines go on below its row's line under their column, and are folded back into the row
(``ingest/sources/top_aligned.py``, through the spaced source).

The snippets are written by hand the way pdftotext prints the PDFs ``jixiao synth --format pdf`` makes
(a Word document printed by LibreOffice); expected cells and fields are read off the snippets by hand.
"""

from __future__ import annotations

from decimal import Decimal

from ingest.pipeline import parse_bytes
from ingest.sources import spaced


def _rows(text: str) -> dict[int, list[str]]:
    (grid,) = spaced.read(text)
    return {row.line_no: [t for t in row.texts if t] for row in grid.rows}


def _problems(text: str) -> dict[int, str]:
    (grid,) = spaced.read(text)
    return {grid.rows[i].line_no: code for i, (code, _) in grid.unreadable_rows.items()}


BUDGET = """\
项目资金（万元）                        年初预算数        全年预算数        全年执行 分值      执行率    得分
                                                          数
            年度资金总额              43510000.0   43510000.0   396376 10.00 91.10% 9.11
                                0            0            10.00
            其中：当年财政拨款           43510000.0   43510000.0   396376 —     —      —
                                0            0            10.00
            上年结转资金              0.00         0.00         0.00   —     —      —
"""


def test_a_wrapped_header_label_and_wrapped_amounts_go_back_into_their_rows():
    rows = _rows(BUDGET)
    assert rows[1] == ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert 2 not in rows and 4 not in rows and 6 not in rows  # the continuation lines are folded
    assert rows[3] == ["年度资金总额", "43510000.00", "43510000.00", "39637610.00", "10.00", "91.10%", "9.11"]
    assert rows[5] == ["其中：当年财政拨款", "43510000.00", "43510000.00", "39637610.00", "—", "—", "—"]
    assert rows[7] == ["上年结转资金", "0.00", "0.00", "0.00", "—", "—", "—"]
    assert _problems(BUDGET) == {}


TABLE = """\
绩效   一级指标   二级指标   三级指标           年度指标值    实际完成值      分值      得分    偏差原因分析及改进措施
指标   产出指标   时效指标   领导干部个人有关事项报告   100%     达成指标       50      50.00
                   监督完成及时率
     效益指标   社会效益   社情民意调查        为领导干部考   达成指标       30      30.00
            指标                   核提供数据依
                                 据
     满意度指   服务对象   培训学员派出单位满意率   70%      70%        2     2.00
     标      满意度指   走访对象满意度    ≥51(%)   34.00(%)   6     4.00    因疫情原因影响，部分会
            标                                                   议和培训取消。
"""


def test_wrapped_names_targets_reasons_and_categories_go_back_into_their_rows():
    rows = _rows(TABLE)
    assert rows[1] == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                       "偏差原因分析及改进措施"]
    assert rows[2] == ["产出指标", "时效指标", "领导干部个人有关事项报告监督完成及时率", "100%", "达成指标", "50", "50.00"]
    assert rows[4] == ["效益指标", "社会效益指标", "社情民意调查", "为领导干部考核提供数据依据", "达成指标", "30", "30.00"]
    # merged categories: their wrapped labels go on beside the next row, and are the first row's
    assert rows[7] == ["满意度指标", "服务对象满意度指标", "培训学员派出单位满意率", "70%", "70%", "2", "2.00"]
    assert rows[8] == ["走访对象满意度", "≥51(%)", "34.00(%)", "6", "4.00", "因疫情原因影响，部分会议和培训取消。"]
    assert set(rows) == {1, 2, 4, 7, 8}
    assert _problems(TABLE) == {}


def test_a_wrapped_name_run_together_with_its_target_is_cut_where_the_target_starts():
    text = """\
绩效   一级指标   二级指标  三级指标         年度指标值   实际完成值        分值      得分    偏差原因分析及改进措施
指标   产出指标   时效指标  工作日故障运维人员抵达现 <=1 小时  达成指标         50      50.00
                  场时间
     效益指标   社会效益  开展群体性修身活动次数  ≥487.00 488.00 (次)   7     7.00
            指标                 (次)
"""
    rows = _rows(text)
    assert rows[2] == ["产出指标", "时效指标", "工作日故障运维人员抵达现场时间", "<=1 小时", "达成指标", "50", "50.00"]
    # a wrap between a number and its unit was a space (Word wraps Latin text and numbers at spaces only)
    assert rows[4] == ["效益指标", "社会效益指标", "开展群体性修身活动次数", "≥487.00 (次)", "488.00 (次)", "7", "7.00"]


def test_a_piece_whose_cell_is_not_decided_refuses_its_row():
    # 法 continues 三级指标, and 适合适当 after a single space may be the end of that cell or the 年度指标值:
    # the header (far from it) and the neighbouring lines show no column starting there
    text = """\
     一级指标   二级指标   三级指标                       年度指标值    实际完成值  分值   得分
     产出指标   质量指标   公务员交流、招录、培训方 适合适当      达成指标        13      13.00
                       法
"""
    assert _problems(text) == {2: "wrapped_cell_unplaced"}


def test_a_piece_under_no_cell_of_its_row_refuses_it():
    # a line with no value after a row, standing right of the row's last cell (its 偏差原因 is empty): a
    # top-aligned cell starts on its row's line, so this piece continues no cell of the row
    text = """\
     一级指标   二级指标   三级指标     年度指标值    实际完成值  分值   得分    偏差原因分析及改进措施
     产出指标   质量指标   课件验收率    =50(%)       40(%)      4     3.00
                                                                   取消，调减了相
"""
    assert _problems(text) == {2: "wrapped_cell_unplaced"}


def test_a_wrap_after_latin_punctuation_before_chinese_refuses_the_row():
    # Word wraps after "," at a space or at none (a break is allowed before a Chinese character): the
    # text does not say whether "，" was followed by a space
    text = """\
年度总体目标      预期目标                                     实际完成情况
            根据部门职能, 履行干部考核考察工作,      完成全部考察工作。
            确保领导干部提拔任用工作安排妥当。
     一级指标   二级指标   三级指标     年度指标值    实际完成值  分值   得分
     产出指标   质量指标   课件验收率    =50(%)       50(%)      4     4.00
"""
    assert _problems(text) == {2: "wrap_space_unknown"}


def test_a_row_broken_across_a_page_refuses_its_row():
    text = """\
     一级指标   二级指标   三级指标     年度指标值    实际完成值  分值   得分
     产出指标   质量指标   党员教育     增强“四个意   达成指标    1     1.00
\f                 识”、坚定“四
                 个自信”
          社会效益   党员意识提升率      ≥52(%)    58(%)       2     2.00
"""
    assert _problems(text) == {2: "row_across_pages"}


def test_a_category_label_going_on_over_a_page_end_is_finished_by_the_next_pages_first_labels():
    # the next page lays its columns out anew (``标`` two cells left of where ``满意度指`` stood): its leading
    # pieces of labels finish the unfinished labels left to right
    text = """\
     一级指标   二级指标   三级指标     年度指标值    实际完成值  分值   得分
     满意度指   服务对象   主管单位满意度        ≥78(%)       93(%)    3     3.00
     标      满意度指   招录单位满意度        >=99%        100%     1     1.00
\f   标     系统使用单位满意度   ≥78(%)   95.00(%)   6     6.00
"""
    rows = _rows(text)
    assert rows[2] == ["满意度指标", "服务对象满意度指标", "主管单位满意度", "≥78(%)", "93(%)", "3", "3.00"]
    assert rows[3] == ["招录单位满意度", ">=99%", "100%", "1", "1.00"]
    assert rows[4] == ["系统使用单位满意度", "≥78(%)", "95.00(%)", "6", "6.00"]
    assert _problems(text) == {}
    # pieces that do not finish them (the next page starts another category): refused
    other = text.replace("\f   标     系统", "\f   效益指标   系统")
    assert _problems(other) == {3: "row_across_pages"}


FORM = """\
                                 财政项目支出绩效自评表

                                   （2023 年度）

项目名称        储备人才专项经费
主管部门        中共上海市委组织部                     实施单位               中共上海市委组织部
项目资金（万元）                         年初预算数    全年预算数      全年执行 分值       执行率    得分
                                                     数
            年度资金总额                4683.58 4257.80    2604.92 10.00 61.18% 6.12
            其中：当年财政拨款             4683.58 4257.80    2604.92 —     —      —
            上年结转资金                0.00    0.00       0.00    —     —      —
            其他资金                  0.00    0.00       0.00    —     —      —
年度总体目标      预期目标                                     实际完成情况
            根据部门职能，履行干部考核考察工作，确保领导干部提拔任用、调任工作      根据部门职能，履行干部考核考察工作，确保领导
            安排妥当、记录完备；做好干部离退休工作。                 干部提拔任用、调任工作安排妥当、记录完备；做
                                                     好干部离退休工作。
绩效   一级指标   二级指标   三级指标          年度指标值    实际完成值      分值      得分    偏差原因分析及改进措施
指标   产出指标   时效指标   工作服购置及时率      =77(%)   77.00(%)   50      50.00
     效益指标   社会效益   社情民意调查        为领导干部考   达成指标       30      30.00
            指标                   核提供数据依
                                 据
     满意度指   服务对象   培训学员派出单位满意率   70%      70%        2     2.00
     标      满意度指
            标
\f绩效   满意度指   服务对象   被接待人员满意度   51%      51%        2     2.00
指标   标      满意度指   走访对象满意度    ≥51(%)   34.00(%)   6     4.00    因疫情原因影响，部分会
            标                                                   议和培训取消，调减了相
                                                                关经费预算。
总分                                                100   94.12
评分等级        优
"""


def test_a_form_printed_from_word_lands_field_for_field():
    result = parse_bytes("form_layout.txt", FORM.encode())
    assert [i.code for i in result.issues if i.severity.value == "error"] == []
    (form,) = result.forms
    assert (form.year, form.project_name, form.supervising_department, form.implementing_unit, form.money_unit) == (
        2023, "储备人才专项经费", "中共上海市委组织部", "中共上海市委组织部", "万元")
    assert form.goal_planned == "根据部门职能，履行干部考核考察工作，确保领导干部提拔任用、调任工作安排妥当、记录完备；做好干部离退休工作。"
    assert form.goal_actual == form.goal_planned
    assert [(b.fund_source, b.initial_amount, b.full_year_amount, b.executed_amount) for b in form.budget_lines] == [
        ("total", Decimal("4683.58"), Decimal("4257.80"), Decimal("2604.92")),
        ("current_year_appropriation", Decimal("4683.58"), Decimal("4257.80"), Decimal("2604.92")),
        ("prior_year_carryover", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ("other", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
    ]
    assert (form.budget_weight, form.execution_rate_pct, form.budget_score) == (Decimal("10"), Decimal("61.18"),
                                                                               Decimal("6.12"))
    assert [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score, i.deviation_reason)
            for i in form.indicators] == [
        ("产出指标", "时效指标", "工作服购置及时率", "=77(%)", "77.00(%)", Decimal("50"), Decimal("50"), None),
        ("效益指标", "社会效益指标", "社情民意调查", "为领导干部考核提供数据依据", "达成指标", Decimal("30"), Decimal("30"), None),
        ("满意度指标", "服务对象满意度指标", "培训学员派出单位满意率", "70%", "70%", Decimal("2"), Decimal("2"), None),
        ("满意度指标", "服务对象满意度指标", "被接待人员满意度", "51%", "51%", Decimal("2"), Decimal("2"), None),
        ("满意度指标", "服务对象满意度指标", "走访对象满意度", "≥51(%)", "34.00(%)", Decimal("6"), Decimal("4"),
         "因疫情原因影响，部分会议和培训取消，调减了相关经费预算。"),
    ]
    assert (form.total_weight, form.total_score, form.grade) == (Decimal("100"), Decimal("94.12"), "优")


def test_a_form_whose_row_cannot_be_read_exactly_is_refused_with_the_reason():
    text = FORM.replace("            安排妥当、记录完备；做好干部离退休工作。  ", "            安排妥当, 记录完备；做好干部离退休工作。  ")
    text = text.replace("调任工作      根据", "调任工作,     根据")
    result = parse_bytes("form_layout.txt", text.encode())
    assert result.forms == []
    assert [i.code for i in result.issues if i.severity.value == "error"] == ["wrap_space_unknown"]
