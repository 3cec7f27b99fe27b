"""数据质量: findings by rule, severity, unit and year; each finding opens its project page."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import build_info, charts, filters, queries
from dashboards.data import fetch
from dashboards.labels import SEVERITY, SEVERITY_RANK, for_display
from dashboards.quality_info import rule_titles
from dashboards.widgets import chart_with_table, csv_bytes

f = filters.current()
st.title("数据质量")
st.caption(
    "质量检查（Great Expectations）在每次构建后核对每张自评表：金额与执行率、得分与分值、总分与等级、"
    f"扣分是否说明原因等。当前范围：{f.describe()}"
)

if fetch(queries.table_columns, "marts", "dq_findings").height == 0:
    st.warning("质量检查尚未运行（数据仓库中没有 marts.dq_findings）：运行 `jixiao build` 后刷新本页。")
    st.stop()

titles = rule_titles()
by_rule = (
    fetch(queries.findings_by_rule, f.units, f.years)
    .join(titles, on="rule_id", how="left")
    .with_columns(
        severity_label=pl.col("severity").replace_strict(SEVERITY, default=pl.col("severity")),
        rule_title=pl.coalesce("rule_title", "rule_id"),
    )
)
by_unit = fetch(queries.findings_by_unit_year, f.units, f.years).with_columns(
    severity_label=pl.col("severity").replace_strict(SEVERITY, default=pl.col("severity"))
)

totals = {s: int(by_rule.filter(pl.col("severity") == s)["n_findings"].sum()) for s in SEVERITY}
cols = st.columns(4)
cols[0].metric("问题总数", sum(totals.values()))
cols[1].metric("错误", totals["error"])
cols[2].metric("警告", totals["warning"])
cols[3].metric("提示", totals["info"])

build = fetch(queries.last_build)
docs = build_info.data_docs(build.row(0, named=True) if build.height else None)
if docs is not None:
    st.markdown(
        f"检查的完整报告：[GX Data Docs]({docs.as_uri()})。"
        f"若浏览器不允许从网页打开本机文件，请把此路径粘贴到地址栏：`{docs.as_uri()}`"
    )
else:
    st.caption("GX Data Docs 尚未生成：运行 `jixiao build` 后会生成检查报告。")

duplicates = fetch(queries.duplicate_evaluations, f.units, f.years)
if duplicates.height:
    st.subheader("重复的自评表")
    st.caption(
        f"同一项目同一年度在两个文件中各有一张自评表：保留较新文件的一张，另一张不计入统计（共 {duplicates.height} 张）。"
    )
    dup_shown = duplicates.with_columns(
        project_link=pl.lit("./project?") + pl.col("kept_evaluation_id").map_elements(
            lambda ev: f.query_string(evaluation=ev), return_dtype=pl.String
        ),
    ).select("project_link", "year", "department_name", "project_name", "source_file", "form_seq", "total_score",
             "kept_source_file", "kept_form_seq", "kept_total_score").rename({
                 "source_file": "未计入的文件", "form_seq": "未计入的表序号", "total_score": "未计入表的总分",
                 "kept_source_file": "保留的文件", "kept_form_seq": "保留的表序号", "kept_total_score": "保留表的总分",
             })
    st.dataframe(
        for_display(dup_shown),
        hide_index=True,
        key="quality_duplicates",
        column_config={"项目页": st.column_config.LinkColumn("项目页", display_text="查看")},
    )

if by_rule.height == 0:
    st.success("所选范围内没有发现质量问题。")
    st.stop()

chart_with_table(
    "按规则",
    charts.horizontal_bars(by_rule, y="rule_title", x="n_findings", color="severity_label",
                           color_domain=charts.SEVERITIES, color_range=charts.SEVERITY_COLORS),
    by_rule.select("rule_title", "rule_id", "severity_label", "n_findings", "n_evaluations", "message"),
    key="quality_rules",
    filename="数据质量_按规则.csv",
)
unit_year = by_unit.with_columns(
    unit_year=pl.col("department_name") + " " + pl.col("year").cast(pl.String),
    order=pl.col("severity").replace_strict(SEVERITY_RANK, default=len(SEVERITY_RANK)),
).rename({"n_findings": "count"})
chart_with_table(
    "按单位和年度",
    charts.stacked_counts(unit_year, x="unit_year", category="severity_label", categories=charts.SEVERITIES,
                          colors=charts.SEVERITY_COLORS, x_title="实施单位 · 年度", y_title="问题数",
                          label_angle=-30),
    by_unit.select("department_name", "year", "severity_label", "n_findings"),
    key="quality_units",
    filename="数据质量_按单位年度.csv",
)

st.subheader("问题明细")
left, right = st.columns(2)
severities = left.multiselect("严重程度", list(SEVERITY), format_func=SEVERITY.__getitem__, key="quality_severity",
                              placeholder="全部")
rule_names = dict(zip(by_rule["rule_id"], by_rule["rule_title"], strict=True))
rules = right.multiselect("规则", list(rule_names), format_func=rule_names.__getitem__, key="quality_rules_pick",
                          placeholder="全部规则")
findings = fetch(queries.findings_list, f.units, f.years, severities, rules).join(
    titles, on="rule_id", how="left", maintain_order="left"
)
shown = findings.with_columns(
    severity_label=pl.col("severity").replace_strict(SEVERITY, default=pl.col("severity")),
    rule_title=pl.coalesce("rule_title", "rule_id"),
    project_link=pl.lit("./project?") + pl.col("evaluation_id").map_elements(
        lambda ev: f.query_string(evaluation=ev), return_dtype=pl.String
    ),
).select("project_link", "severity_label", "rule_title", "rule_id", "year", "department_name", "project_name",
         "indicator_seq", "indicator_name", "expected", "observed", "message", "evaluation_id")
n_matching = int(
    by_rule.filter(
        (pl.col("severity").is_in(severities) if severities else pl.lit(True))
        & (pl.col("rule_id").is_in(rules) if rules else pl.lit(True))
    )["n_findings"].sum()
)
shown_note = f"共 {n_matching} 条" + (f"，按严重程度只列出前 {findings.height} 条" if findings.height < n_matching else "")
st.caption(f"{shown_note}。点“查看”在新标签页打开该项目的自评表；选中一行可在本页跳转。")
picked = st.dataframe(
    for_display(shown),
    hide_index=True,
    key="quality_findings",
    on_select="rerun",
    selection_mode="single-row",
    column_config={"项目页": st.column_config.LinkColumn("项目页", display_text="查看")},
)
st.download_button("下载 CSV", data=csv_bytes(for_display(shown.drop("project_link"))),
                   file_name="数据质量_问题明细.csv", mime="text/csv", key="download_quality_findings",
                   on_click="ignore", icon=":material/download:")
rows = picked.selection.rows if picked is not None else []
if rows:
    chosen = shown.row(rows[0], named=True)
    st.switch_page("views/project.py", query_params={"evaluation": chosen["evaluation_id"]})
