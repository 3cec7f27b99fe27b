"""Chinese labels of the 财政项目支出绩效自评表, kept as data in one place.

Parsers match printed labels against these tables; nothing else in the code
base spells a Chinese label. Matching is done on text with all whitespace
removed (see :func:`ingest.text.squash`), because extracted text breaks labels
at arbitrary points (``产出 指标``, ``可持 续影 响指 标``).
"""

from __future__ import annotations

# Form titles: 财政项目支出绩效自评表 / …自我评价 / …自评价.
TITLE_PREFIX = "财政项目支出绩效自"
TITLE_SUFFIXES = ("评表", "我评价", "评价")

# Header cells of the form, squashed.
PROJECT_NAME = "项目名称"
SUPERVISING_DEPARTMENT = "主管部门"
IMPLEMENTING_UNIT = "实施单位"
FUNDS = "项目资金"
GOALS = "年度总体目标"
GOAL_PLANNED = ("预期目标", "预算目标")
GOAL_ACTUAL = ("实际完成情况",)
INDICATOR_BLOCK = "绩效指标"
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值")
TOTAL = "总分"
GRADE = "评分等级"

# Money units as printed in the 项目资金 header.
MONEY_UNITS = {"万元": 10000, "元": 1}

# Fund-source rows of the 项目资金 block: printed label (squashed, without the
# "其中：" prefix and trailing colon) -> landing code.
FUND_SOURCES = {
    "年度资金总额": "total",
    "当年财政拨款": "current_year_appropriation",
    "上年结转资金": "prior_year_carryover",
    "其他资金": "other",
}
FUND_SOURCE_PREFIXES = ("其中",)

# Budget columns, in their printed order.
BUDGET_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")

# The national indicator taxonomy (一级 -> 二级), from 财预〔2020〕10号, plus the
# newer templates that make 成本指标 a first-level category.
TAXONOMY: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}

LEVEL1_NAMES: tuple[str, ...] = tuple(TAXONOMY)
LEVEL2_PARENT: dict[str, str] = {
    l2: l1 for l1, l2s in TAXONOMY.items() for l2 in l2s if l1 != "成本指标" or l2 != "成本指标"
}
# 成本指标 is both a level-2 category of 产出指标 (national template) and a
# level-1 category (newer templates). Printed in the level-1 position it is
# level 1; in the level-2 position it belongs to 产出指标.
LEVEL2_PARENT["成本指标"] = "产出指标"

# Grades and their lower bounds on the 100-point total.
GRADES = (("优", 90), ("良", 80), ("中", 60), ("差", 0))

# -- pdftotext-style layout (ingest/layouts/pdftext*.py) ----------------------
# The deviation column's header, and the budget header cells that only the
# 项目资金 block prints (分值/得分 also head the indicator table).
DEVIATION_HEADER = "偏差原因分析及改进措施"
BUDGET_HEADER_MARKERS = ("年初预算数", "全年预算数", "全年执行数", "执行率")
POINTS_HEADER = ("分值", "得分")
TOTAL_WEIGHT = 100
# Labels that carry no data of their own.
PLAIN_LABELS = frozenset({"绩效指标", "年度总体目标", "总分", "项目资金", "实施单位"})
# The national guidance for the 一级 weights ("原则上"), used only as a prior
# when the text leaves a category's row span open.
LEVEL1_GUIDANCE = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
# Words that suggest an indicator's 二级 category, used only to choose among
# the row spans the structure allows (never to override a printed label).
LEVEL2_HINTS: dict[str, tuple[str, ...]] = {
    "数量指标": ("数量", "人数", "人次", "次数", "期数", "完成量", "完成率", "发放数", "审计数", "转化数", "数"),
    "质量指标": ("合格", "达标", "规范", "合理", "符合", "质量", "准确", "良好", "健全", "适当", "通过率",
                 "出勤率", "转正率", "覆盖率", "出现率", "测试", "安全", "方法", "内容", "管理"),
    "时效指标": ("及时", "按时", "准时", "按期", "月前", "月底", "年底前", "前完成", "时限", "时间", "进度"),
    "成本指标": ("成本", "预算", "支出", "经费", "费用"),
    "经济效益指标": ("经济", "节约", "收益"),
    "社会效益指标": ("社会", "提升", "提高", "促进", "保障", "支撑", "推动", "服务"),
    "生态效益指标": ("生态", "环境", "节能", "绿色"),
    "可持续影响指标": ("持续", "长效", "长期", "可持续"),
    "服务对象满意度指标": ("满意", "投诉"),
}
# Count units a quantity target carries (``343人``, ``=4次``, ``45万页``).
COUNT_UNITS = ("人次", "人", "次", "期", "个", "份", "家", "篇", "页", "学时", "批", "场", "项", "件", "天", "册")
# Units a number may carry after a space, bare or in brackets (``25 篇``,
# ``≥6 批次``, ``12 月底前``, ``≥90 (%)``, ``6.00 (次)``, ``≥30 (门)``).
VALUE_UNITS = (*COUNT_UNITS, "批次", "门", "课时", "万人次", "万页", "万元", "元", "小时", "分钟", "工作日", "年",
               "月底前", "月前", "月底", "日前", "%", "‰")
# Words of a 偏差原因分析 (to tell a reason printed apart from an indicator name).
REASON_HINTS = ("原因", "由于", "导致", "疫情", "未能", "拟", "将进一步", "改进")
# Words of a timeliness target or actual (``及时``, ``3月底前``, ``按期完成``).
TIME_WORDS = ("及时", "按时", "准时", "按期", "月前", "月底", "年底", "日前", "小时", "分钟")

# -- the template family, read off a cell grid (ingest/template/) ------------
# Every synonym below is matched on squashed text with bracketed annotations
# removed (``全年预算数(A)`` -> ``全年预算数``, ``实施单位(盖章)`` -> ``实施单位``).

# Titles: a short cell ending in one of these, naming a project form ...
TITLE_ENDINGS = ("自评表", "自评价", "自我评价")
TITLE_MUST_NAME = ("项目",)
# ... unless it names another kind of form (refused as other_form_kind).
OTHER_FORM_KINDS = ("部门整体", "整体支出", "申报表")
TITLE_MAX_CHARS = 40
# A heading above a form names its fiscal year with this (``2022年度``).
FISCAL_YEAR_WORD = "年度"
# Every category label ends so (a category the taxonomy lacks is known by it).
CATEGORY_SUFFIX = "指标"

# Header fields: role -> printed labels.
HEAD_LABELS: dict[str, tuple[str, ...]] = {
    "project_name": ("项目名称",),
    "supervising_department": ("主管部门", "主管单位"),
    "implementing_unit": ("实施单位", "项目实施单位", "项目单位"),
}

# The budget block: its opening label, the columns, the fund rows.
BUDGET_BLOCK_LABELS = ("项目资金", "预算执行情况", "年度预算数", "项目资金情况")
BUDGET_COLUMN_LABELS: dict[str, tuple[str, ...]] = {
    "initial": ("年初预算数", "年初预算", "年初预算数(A)"),
    "full_year": ("全年预算数", "调整后预算数", "调整后预算", "全年预算", "预算数"),
    "executed": ("全年执行数", "预算执行数", "执行数", "全年执行"),
    "weight": ("分值", "分数", "权重"),
    "rate": ("执行率", "预算执行率"),
    "score": ("得分",),
    "reason": ("原因", "偏差原因"),
}
FUND_ROW_LABELS: dict[str, tuple[str, ...]] = {
    "total": ("年度资金总额", "总额", "年度财政资金总额", "资金总额"),
    "current_year_appropriation": ("当年财政拨款", "本年财政拨款"),
    "prior_year_carryover": ("上年结转资金", "上年结转"),
    "other": ("其他资金",),
    "fiscal_funds": ("财政资金",),
    "special_account_funds": ("财政专户管理资金",),
    "unit_funds": ("单位资金",),
}

# 年度总体目标: the block label, its two column labels.
GOAL_BLOCK_LABELS = ("年度总体目标", "项目年度目标完成情况", "年度总体目标完成情况", "当年绩效目标")
GOAL_PLANNED_LABELS = ("预期目标", "预算目标", "项目年度目标", "年初设定目标")
GOAL_ACTUAL_LABELS = ("实际完成情况", "年度目标完成情况", "全年目标实际完成情况")

# The indicator table: the labels that open it, and its columns.
INDICATOR_BLOCK_LABELS = ("绩效指标", "年度绩效指标完成情况", "年度绩效目标")
INDICATOR_COLUMN_LABELS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标",),
    "target": ("年度指标值", "目标值", "年初目标值", "年度目标值", "指标值", "年初指标值"),
    "operator": ("指标性质",),
    "unit": ("度量单位", "计量单位"),
    "actual": ("实际完成值", "完成值", "全年实际值", "实际值", "年成值"),
    "weight": ("分值", "权重", "分数", "指标权重"),
    "score": ("得分", "自评得分", "自评分", "指标得分"),
    "reason": ("偏差原因分析及改进措施", "未完成原因分析", "偏差原因", "偏差原因分析", "未完成原因分析及改进措施"),
    "ignored": ("复核分", "评价标准及依据", "是否核心指标", "★"),
}

# The rows that close a form.
TOTAL_LABELS = ("总分", "合计", "自评总分", "总计")
GRADE_LABELS = ("评分等级", "自评等级", "等级", "评价等级")
# Printed in place of a level-1 category (a vertical label lost by the extraction).
POINTS_ANNOTATION = r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]"

# Operators a 指标性质 cell (or a target) prints, normalised.
OPERATORS = {"≥": ">=", "≧": ">=", ">=": ">=", "＞": ">", ">": ">", "≤": "<=", "≦": "<=", "<=": "<=",
             "＜": "<", "<": "<", "=": "=", "═": "=", "＝": "=", "==": "="}
# Units a 度量单位 cell may print (besides the count and value units above).
MEASURE_UNITS = ("%", "‰", "人次", "人", "次", "个", "份", "家", "篇", "页", "学时", "批", "场", "项", "件", "天",
                 "册", "批次", "门", "课时", "万人次", "万页", "万元", "元", "小时", "分钟", "工作日", "年", "月",
                 "日", "分", "户", "所", "台", "套", "辆", "公里", "千米", "米", "平方米", "亩", "吨", "座", "处",
                 "期", "类", "条", "部", "本", "张", "次/年", "元/人", "分值")
# Placeholder rows of an unfilled template (``指标2:`` with ``……``, ``/ / /``).
PLACEHOLDER_CELLS = ("……", "…", "/", "／", "...")
# ``指标1:`` before an indicator's name.
NAME_PREFIX = r"^指标\s*\d+\s*[:：]?"
# Grades as forms print them (评分等级 / 自评等级).
GRADE_WORDS = ("优", "良", "中", "差", "优秀", "良好", "合格", "不合格", "较好", "一般", "较差")
# Sub-headings inside a block that hold no data (Sichuan: 项目基本情况 / 2.项目实施内容及过程概述).
BLOCK_SUBHEADINGS = ("项目基本情况", "项目实施内容及过程概述")
# A cell holding a year and nothing else (a title's year line): ``(2022年度)``, ``2019年度)``.
YEAR_LINE = r"^[(（]?\s*(?:19|20)\d{2}\s*年度?\s*[)）]?$"
# Labels of the notes around a form that are not indicators (skipped with their text).
NOTE_LABELS = ("其他需要说明事项", "评价结论", "存在问题", "改进措施", "项目负责人", "财务负责人", "注:", "备注",
               "填报人", "联系电话", "填报日期", "审核人")
# PDF pages (ingest/sources/pdf.py): a page is read cell by cell only if its text, squashed, holds one
# of these (a form's title or its labels); the others are only scanned. Page numbers printed in a
# page's margin (``- 3 -``, ``第 3 页``, ``第3页 共12页``, ``3/12``) are not part of any form.
PDF_PAGE_MARKERS = ("自评", "自我评价", "项目名称", "绩效指标", "三级指标", "年度指标值", "项目资金")
PDF_PAGE_NUMBER = r"^(?:[-—–－\s]*\d+[-—–－\s]*|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|Page\s*\d+(?:\s*of\s*\d+)?)$"
# -- published files (ingest/sources/flow.py) ---------------------------------
# A paragraph between two tables that says the second continues the first
# (squashed, brackets and colons stripped).
CONTINUATION_MARKS = frozenset({"续表", "续", "续上表", "接上表"})
