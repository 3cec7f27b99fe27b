"""Chinese display names for the dashboard's columns and codes (UI text as data)."""

from __future__ import annotations

import polars as pl

COLUMNS: dict[str, str] = {
    "department_name": "实施单位",
    "unit_level": "层级",
    "year": "年度",
    "data_status": "数据状态",
    "n_projects": "项目数",
    "n_units_with_data": "有数据单位数",
    "n_forms": "自评表数",
    "budget_wan": "全年预算数（万元）",
    "executed_wan": "全年执行数（万元）",
    "execution_rate_pct": "执行率（%）",
    "mean_score": "平均总分",
    "n_excellent": "优",
    "n_good": "良",
    "n_fair": "中",
    "n_poor": "差",
    "n_errors": "错误",
    "n_warnings": "警告",
    "n_infos": "提示",
    "n_findings": "问题数",
    "n_projects_change": "项目数同比",
    "budget_change_pct": "预算同比（%）",
    "execution_rate_change_pp": "执行率同比（百分点）",
    "mean_score_change": "平均总分同比",
    "evaluation_id": "自评表编号",
    "project_name": "项目名称",
    "total_score": "总分",
    "grade": "评分等级",
    "grade_printed": "评分等级（原文）",
    "grade_computed": "评分等级（按总分）",
    "level1_name": "一级指标",
    "level2_name": "二级指标",
    "indicator_name": "三级指标",
    "target_text": "年度指标值",
    "actual_text": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "deviation_reason": "偏差原因分析及改进措施",
    "indicator_seq": "指标序号",
    "points_lost": "失分",
    "points_lost_per_form": "每表平均失分",
    "n_indicators": "指标数",
    "n_judged": "可判定指标数",
    "n_met": "达成指标数",
    "met_share_pct": "达成比例（%）",
    "rule_id": "规则编号",
    "rule_title": "规则",
    "severity_label": "严重程度",
    "expected": "应为",
    "observed": "实为",
    "message": "说明",
    "findings": "质量问题",
    "project_link": "项目页",
    "n_evaluations": "自评表数",
    "region_name": "地区",
    "unit_year": "实施单位 · 年度",
    "points_claimed": "自评得分",
    "points_rederived": "复核得分",
    "score_gap": "差额（自评 − 复核）",
    "points_above": "虚高分",
    "score_gap_per_form": "每表差额",
    "n_indicators_above": "虚高指标数",
    "share_above_pct": "虚高指标占比（%）",
    "n_budget_scores_above": "预算得分虚高表数",
    "budget_score_claimed": "预算执行得分（自评）",
    "budget_score_rederived": "预算执行得分（复核）",
    "score_claimed": "自评得分",
    "score_rederived": "复核得分",
    "recheck_rule": "复核规则",
    "recheck_label": "复核规则",
    "is_scored_above": "是否虚高",
    "gap_direction": "方向",
    "source_ref": "来源",
    "uncertain": "读取存疑",
    "uncertain_reason": "存疑原因",
    "label": "项目 · 指标",
}

# How fct_score_recheck re-derived a score (recheck_rule), in Chinese.
RECHECK_RULE: dict[str, str] = {
    "met": "达成：满分",
    "proportional": "未达成：按比例",
    "qualitative_band": "定性档次上限",
    "nothing_delivered": "未完成（—）：0 分",
    "not_rederived": "无法复核：按自评",
}

SEVERITY: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}  # most severe first
SEVERITY_RANK: dict[str, int] = {s: k for k, s in enumerate(SEVERITY)}  # 0 = most severe

FUND_SOURCE: dict[str, str] = {
    "total": "年度资金总额",
    "current_year_appropriation": "其中：当年财政拨款",
    "prior_year_carryover": "上年结转资金",
    "other": "其他资金",
}

NO_DATA = "无数据"
HAS_DATA = "有数据"


def for_display(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with its columns renamed to their Chinese names."""
    return frame.rename({c: COLUMNS[c] for c in frame.columns if c in COLUMNS})
