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
