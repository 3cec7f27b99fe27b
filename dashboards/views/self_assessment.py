"""自评质量: units ranked by how far their self-assessed scores stand above what their own
numbers support (marts.agg_unit_year_score_gap), down to the forms and indicators behind it."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts, filters, queries
from dashboards.data import fetch
from dashboards.labels import RECHECK_RULE, for_display
from dashboards.widgets import chart_with_table, csv_bytes, fmt

f = filters.current()
st.title("自评质量")
st.caption(
    "按国家规则（财预〔2020〕10号）用每张自评表自己的数字复核得分：预算执行得分 = 分值 × 执行率（不超过分值）；"
    "指标达成得满分；定量指标未达成按比例（≥ 目标：分值 × 实际 ÷ 目标；≤ 目标：分值 × 目标 ÷ 实际）；"
    "定性指标不超过其档次上限（部分达成 80%，未达成 60%）；无法复核的指标按自评得分计。"
    f"差额 = 自评得分 − 复核得分，为正即自评高于数字所能支持的分数。当前范围：{f.describe()}"
)

ranking = fetch(queries.score_gap_by_unit_year, f.units, f.years)
if ranking.height == 0:
    st.warning("所选范围内没有自评表。")
    st.stop()

cols = st.columns(4)
cols[0].metric("自评得分合计", fmt(ranking["points_claimed"].sum()))
cols[1].metric("复核得分合计", fmt(ranking["points_rederived"].sum()))
cols[2].metric("差额", fmt(ranking["score_gap"].sum()))
cols[3].metric("虚高指标数", f"{int(ranking['n_indicators_above'].sum())}")

ranked = ranking.with_columns(unit_year=pl.col("department_name") + " " + pl.col("year").cast(pl.String))
chart_with_table(
    "各单位自评高出复核的分数",
    charts.horizontal_bars(ranked, y="unit_year", x="score_gap"),
    ranked.select("department_name", "year", "region_name", "n_evaluations", "points_claimed", "points_rederived",
                  "score_gap", "points_above", "n_indicators", "n_indicators_above", "share_above_pct"),
    key="self_ranking",
    filename="自评质量_单位排名.csv",
    caption="按差额从大到小排列。虚高分只计高出部分（低于复核的不抵消）；虚高指标占比 = 得分高于其结果所支持分数的指标 ÷ 全部指标。",
)

st.subheader("明细：单位和年度")
choices = {f"{r['department_id']}|{r['year']}": f"{r['department_name']} · {r['year']}（差额 {r['score_gap']:.2f}）"
           for r in ranking.iter_rows(named=True)}
picked = st.selectbox("选择单位和年度", list(choices), format_func=choices.__getitem__, key="self_pick")
unit, year = picked.split("|")
scope_units, scope_years = (unit,), (int(year),)


def _with_link(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        project_link=pl.lit("./project?") + pl.col("evaluation_id").map_elements(
            lambda ev: f.query_string(evaluation=ev), return_dtype=pl.String
        )
    )


def _linked_table(frame: pl.DataFrame, columns: list[str], *, key: str, filename: str) -> None:
    """A table whose first column opens the form on the 项目 page, and its CSV download."""
    shown = _with_link(frame).select("project_link", *columns)
    st.dataframe(for_display(shown), hide_index=True, key=f"table_{key}",
                 column_config={"项目页": st.column_config.LinkColumn("项目页", display_text="查看")})
    st.download_button("下载 CSV", data=csv_bytes(for_display(shown.drop("project_link"))), file_name=filename,
                       mime="text/csv", key=f"download_{key}", on_click="ignore", icon=":material/download:")


forms = fetch(queries.score_gap_forms, scope_units, scope_years)
st.markdown("**自评表**（点“查看”打开该表）")
_linked_table(forms, ["project_name", "year", "points_claimed", "points_rederived", "score_gap", "points_above",
                      "budget_score_claimed", "budget_score_rederived", "n_indicators", "n_indicators_above",
                      "evaluation_id"],
              key="self_forms", filename=f"自评质量_{choices[picked].split('（')[0]}_自评表.csv")

indicators = fetch(queries.score_gap_indicators, scope_units, scope_years).with_columns(
    recheck_label=pl.col("recheck_rule").replace_strict(RECHECK_RULE, default=pl.col("recheck_rule")),
    gap_direction=pl.when(pl.col("is_scored_above")).then(pl.lit("高于复核")).otherwise(pl.lit("低于或接近复核")),
)
if indicators.height == 0:
    st.success("这一单位和年度没有得分与复核不同的指标。")
else:
    indicators = indicators.with_columns(label=pl.col("project_name") + " · " + pl.col("indicator_name"))
    chart_with_table(
        "差额来自哪些指标",
        charts.horizontal_bars(indicators, y="label", x="score_gap", color="gap_direction",
                               color_domain=["高于复核", "低于或接近复核"], color_range=["#e53935", "#90a4ae"]),
        indicators.select("project_name", "indicator_name", "target_text", "actual_text", "weight", "score_claimed",
                          "score_rederived", "score_gap", "recheck_label"),
        key="self_indicators",
        filename=f"自评质量_{choices[picked].split('（')[0]}_指标.csv",
        caption="得分与复核得分不同的指标；红色为自评高于其结果所支持的分数（超过 0.01 分）。",
    )
    st.markdown("**指标所在的自评表**（点“查看”打开该表）")
    _linked_table(indicators, ["project_name", "indicator_seq", "indicator_name", "target_text", "actual_text",
                               "weight", "score_claimed", "score_rederived", "score_gap", "recheck_label",
                               "evaluation_id"],
                  key="self_indicator_links", filename=f"自评质量_{choices[picked].split('（')[0]}_指标明细.csv")
