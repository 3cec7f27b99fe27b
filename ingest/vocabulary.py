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

# -- published files (ingest/sources/flow.py) ---------------------------------
# A paragraph between two tables that says the second continues the first
# (squashed, brackets and colons stripped).
CONTINUATION_MARKS = frozenset({"续表", "续", "续上表", "接上表"})
