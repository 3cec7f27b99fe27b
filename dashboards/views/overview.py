"""总览: per unit and year — projects, money, execution, scores, grades, findings, year-over-year."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts, filters, queries
from dashboards.data import fetch
from dashboards.labels import HAS_DATA, NO_DATA, SEVERITY, SEVERITY_RANK
from dashboards.widgets import chart_with_table, fmt, table_with_download

f = filters.current()
st.title("总览")
st.caption(f"各实施单位、各年度的项目数、预算执行、自评得分、评分等级和数据质量问题。当前范围：{f.describe()}")

DATA_STATUS = pl.when(pl.col("has_data")).then(pl.lit(HAS_DATA)).otherwise(pl.lit(NO_DATA)).alias("data_status")
by_year = fetch(queries.year_summary, f.units, f.years).with_columns(DATA_STATUS)
by_unit = fetch(queries.unit_year_summary, f.units, f.years).with_columns(DATA_STATUS)
calendar = by_year["year"].to_list()
empty_years = by_year.filter(~pl.col("has_data"))["year"].to_list()
with_data = by_year.filter(pl.col("has_data"))

if empty_years:
    st.info(
        "、".join(str(y) for y in empty_years)
        + " 年度在所选范围内没有自评表：表中标为“无数据”，图中留空并标注，不按零计算，也不参与同比。"
    )

# --- headline: the latest year with data, against the calendar year before it -------------
if with_data.height:
    latest = with_data.row(-1, named=True)
    # the change is computed before the year filter: null exactly when the year before has no data
    previous_has_data = latest["n_projects_change"] is not None
    st.subheader(f"{latest['year']} 年度")
    cols = st.columns(5)
    cols[0].metric("项目数", fmt(latest["n_projects"], 0), delta=latest["n_projects_change"])
    cols[1].metric("全年预算数（万元）", fmt(latest["budget_wan"]),
                   delta=None if latest["budget_change_pct"] is None else f"{latest['budget_change_pct']:+.1f}%")
    cols[2].metric("执行率", fmt(latest["execution_rate_pct"], suffix="%"),
                   delta=None if latest["execution_rate_change_pp"] is None
                   else f"{latest['execution_rate_change_pp']:+.2f} 个百分点")
    cols[3].metric("平均总分", fmt(latest["mean_score"]),
                   delta=None if latest["mean_score_change"] is None else f"{latest['mean_score_change']:+.2f}")
    cols[4].metric("质量问题（错误/警告）", f"{latest['n_errors']} / {latest['n_warnings']}")
    if not previous_has_data:
        st.caption(f"{latest['year'] - 1} 年度无数据，无法计算同比。")
    else:
        st.caption(f"同比：所选单位合计与 {latest['year'] - 1} 年度相比（两年填报的单位可能不同）；各单位的同比见下方明细。")
else:
    st.warning("所选范围内没有任何自评表。")

# --- per year ---------------------------------------------------------------------------------
st.subheader("分年度汇总")
table_with_download(
    by_year.select(
        "year", "data_status", "n_projects", "n_units", "budget_wan", "executed_wan", "execution_rate_pct",
        "mean_score", "n_excellent", "n_good", "n_fair", "n_poor", "n_errors", "n_warnings", "n_infos",
        "n_projects_change", "budget_change_pct", "execution_rate_change_pp", "mean_score_change",
    ).rename({"n_units": "n_units_with_data"}),
    key="overview_years",
    filename="总览_分年度.csv",
)

# --- per unit and year: charts with their tables ----------------------------------------------
unit_cols = ["department_name", "year", "data_status"]
# (title, measure drawn, the table's other columns, key)
PER_UNIT_CHARTS = [
    ("执行率（全年执行数 ÷ 全年预算数）", "execution_rate_pct",
     ["budget_wan", "executed_wan", "execution_rate_pct", "execution_rate_change_pp"], "rate"),
    ("平均总分", "mean_score", ["n_projects", "mean_score", "mean_score_change"], "score"),
    ("全年预算数（万元）", "budget_wan", ["n_projects", "n_projects_change", "budget_wan", "budget_change_pct"], "budget"),
]
for title, measure, columns, key in PER_UNIT_CHARTS:
    chart_with_table(
        title,
        charts.yearly_bars(by_unit, measure, years=calendar, years_without_data=empty_years, color="department_name"),
        by_unit.select(*unit_cols, *columns),
        key=f"overview_{key}",
        filename=f"总览_{title.split('（')[0]}.csv",
    )

grades = by_unit.select(*unit_cols, "n_excellent", "n_good", "n_fair", "n_poor")
grades_long = (
    by_year.filter(pl.col("has_data"))
    .unpivot(index="year", on=["n_excellent", "n_good", "n_fair", "n_poor"], variable_name="k", value_name="count")
    .with_columns(
        grade=pl.col("k").replace_strict(dict(zip(["n_excellent", "n_good", "n_fair", "n_poor"], charts.GRADES))),
        order=pl.col("k").replace_strict({"n_excellent": 0, "n_good": 1, "n_fair": 2, "n_poor": 3}),
    )
)
chart_with_table(
    "评分等级分布（按总分：优≥90，良80–90，中60–80，差<60）",
    charts.stacked_counts(grades_long, x="year", category="grade", categories=charts.GRADES,
                          colors=charts.GRADE_COLORS, x_title="年度", y_title="项目数", x_domain=calendar,
                          years_without_data=empty_years),
    grades,
    key="overview_grades",
    filename="总览_评分等级.csv",
)

severity_cols = {f"n_{s}s": label for s, label in SEVERITY.items()}  # n_errors, n_warnings, n_infos
findings_long = (
    by_unit.filter(pl.col("has_data"))
    .unpivot(index="department_name", on=list(severity_cols), variable_name="k", value_name="count")
    .group_by("department_name", "k").agg(pl.col("count").sum())
    .with_columns(
        severity_label=pl.col("k").replace_strict(severity_cols),
        order=pl.col("k").replace_strict({f"n_{s}s": k for s, k in SEVERITY_RANK.items()}),
    )
)
chart_with_table(
    "数据质量问题（按严重程度）",
    charts.stacked_counts(findings_long, x="department_name", category="severity_label",
                          categories=charts.SEVERITIES, colors=charts.SEVERITY_COLORS, x_title="实施单位",
                          y_title="问题数"),
    by_unit.select(*unit_cols, "n_errors", "n_warnings", "n_infos"),
    key="overview_findings",
    filename="总览_质量问题.csv",
    caption="问题明细见“数据质量”页。",
)

st.subheader("单位 × 年度明细（含同比）")
table_with_download(
    by_unit.select(
        "department_name", "unit_level", "year", "data_status", "n_projects", "budget_wan", "executed_wan",
        "execution_rate_pct", "mean_score", "n_excellent", "n_good", "n_fair", "n_poor",
        "n_errors", "n_warnings", "n_infos",
        "n_projects_change", "budget_change_pct", "execution_rate_change_pp", "mean_score_change",
    ),
    key="overview_units",
    filename="总览_单位年度明细.csv",
)
