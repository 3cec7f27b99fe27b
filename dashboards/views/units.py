"""单位对比: execution rates, score distributions, points lost by indicator category, indicators met."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts, filters, queries
from dashboards.data import fetch
from dashboards.widgets import chart_with_table

f = filters.current()
st.title("单位对比")
st.caption(f"在左侧选择要对比的实施单位和年度（不选即全部）。当前范围：{f.describe()}")

forms = fetch(queries.evaluation_scores, f.units, f.years)
if forms.height == 0:
    st.warning("所选范围内没有自评表。")
    st.stop()
st.caption(f"共 {forms.height} 张自评表，{forms['department_id'].n_unique()} 个实施单位。")

form_cols = ["department_name", "year", "project_name"]
BOX = (
    "横线从最小值到最大值，方框为上下四分位数，黑线为中位数；每条彩色短线是一张自评表（颜色为年度，"
    f"超过 {charts.MAX_TICKS} 张时为固定抽样）。"
)
DISTRIBUTIONS = [  # (title, measure, the table's other columns, key, caption)
    ("预算执行率分布", "execution_rate_pct", ["budget_wan", "executed_wan"], "rate",
     BOX + "执行率按全年执行数 ÷ 全年预算数计算，缺金额时取表上所印执行率。"),
    ("总分分布", "total_score", ["grade_computed", "grade_printed"], "score", BOX),
]
for title, measure, columns, key, caption in DISTRIBUTIONS:
    chart_with_table(
        title,
        charts.distribution_by_unit(forms.filter(pl.col(measure).is_not_null()), measure),
        forms.select(*form_cols, measure, *columns),
        key=f"units_{key}",
        filename=f"单位对比_{title}.csv",
        caption=caption,
    )

level = st.radio("失分按哪一级指标类别汇总", ["一级指标", "二级指标"], horizontal=True, key="units_lost_level")
lost = fetch(queries.points_lost_by_category, f.units, f.years)
if level == "一级指标":
    lost = (
        lost.group_by("department_id", "department_name", "level1_name")
        .agg(pl.col("sort_order").min(), pl.col("n_indicators").sum(), pl.col("points_lost").sum(),
             pl.col("n_forms").first())
        .with_columns(points_lost_per_form=pl.col("points_lost") / pl.col("n_forms"))
        .sort("department_name", "sort_order")
    )
    category, shown = "level1_name", ["department_name", "level1_name"]
else:
    category, shown = "level2_name", ["department_name", "level1_name", "level2_name"]
chart_with_table(
    f"失分（按{level}）",
    charts.points_lost(lost, category),
    lost.select(*shown, "n_forms", "n_indicators", "points_lost", "points_lost_per_form"),
    key="units_lost",
    filename=f"单位对比_失分_{level}.csv",
    caption="失分 = 分值 − 得分，按单位的自评表数平均，便于不同规模的单位相比。",
)

met = fetch(queries.indicators_met, f.units, f.years)
chart_with_table(
    "指标达成比例",
    charts.yearly_bars(met, "met_share_pct", years=f.calendar, years_without_data=f.years_without_data,
                       color="department_name", value_format=".1f"),
    met.select("department_name", "year", "n_indicators", "n_judged", "n_met", "met_share_pct"),
    key="units_met",
    filename="单位对比_指标达成.csv",
    caption="达成比例 = 达成的指标 ÷ 可判定是否达成的指标（无法判定的定性指标不计入分母）。",
)
