"""项目: find any project, see its form laid out like the original, its history and its findings."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts, filters, queries
from dashboards.data import fetch
from dashboards.form_view import UNCERTAIN, form_source, render_form
from dashboards.labels import SEVERITY
from dashboards.sources import original_file
from dashboards.widgets import chart_with_table, fmt, table_with_download

SELECT_KEY = "project_evaluation"

f = filters.current()
st.title("项目")

wanted = st.query_params.get("evaluation")
text = st.text_input("搜索项目（项目名称或单位名称中的文字）", key="project_search", placeholder="例如：公务员、培训、闵行")
found = fetch(queries.search_evaluations, text, f.units, f.years)
limited = found.height >= queries.SEARCH_LIMIT
if wanted and wanted not in found["evaluation_id"].to_list():
    # a link from another page (or a shared URL) names a form outside the current filters
    # or the search's limit: it is listed first, from its own header
    LABEL_COLUMNS = ["evaluation_id", "year", "department_name", "project_name", "total_score"]
    linked = fetch(queries.evaluation_header, wanted).select(LABEL_COLUMNS)
    found = pl.concat([linked, found.select(LABEL_COLUMNS)])
limit_note = f"（只列出前 {queries.SEARCH_LIMIT} 张，请输入更多文字缩小范围）" if limited else ""
st.caption(f"当前范围：{f.describe()} · 找到 {found.height} 张自评表{limit_note}")
if found.height == 0:
    st.warning("没有找到符合条件的项目。")
    st.stop()

labels = {
    r["evaluation_id"]: f"{r['year']} · {r['department_name']} · {r['project_name']}"
    + (f"（总分 {r['total_score']:.2f}）" if r["total_score"] is not None else "")
    for r in found.iter_rows(named=True)
}
options = list(labels)
if wanted in labels and st.session_state.get("_project_from_url") != wanted:
    st.session_state[SELECT_KEY] = wanted  # follow a new link once; afterwards the selectbox rules
    st.session_state["_project_from_url"] = wanted
if st.session_state.get(SELECT_KEY) not in labels:
    st.session_state.pop(SELECT_KEY, None)
evaluation_id = st.selectbox("选择自评表", options, format_func=labels.__getitem__, key=SELECT_KEY)
if st.query_params.get("evaluation") != evaluation_id:
    st.query_params["evaluation"] = evaluation_id

header_frame = fetch(queries.evaluation_header, evaluation_id)
header = header_frame.row(0, named=True)
budget = fetch(queries.evaluation_budget_lines, evaluation_id)
goals_frame = fetch(queries.evaluation_goals, evaluation_id)
indicators = fetch(queries.evaluation_indicators, evaluation_id)
findings = fetch(queries.evaluation_findings, evaluation_id)

st.header(header["project_name"])
st.markdown(
    f"**实施单位**：{header['implementing_unit']}　**主管部门**：{header['supervising_department']}"
)
cols = st.columns(4)
cols[0].metric("年度", str(header["year"]))
cols[1].metric("总分", fmt(header["total_score"]))
cols[2].metric("评分等级", header["grade_printed"] or "表上未印",
               help=None if header["grade_printed"] else f"按总分应为 {header['grade_computed']}")
cols[3].metric("质量问题", f"{findings.height}")
rate = header["execution_rate_computed_pct"]
st.caption(
    f"全年预算数 {fmt(_b / 10000 if (_b := header['budget_full_year_yuan']) is not None else None)} 万元，"
    f"全年执行数 {fmt(_e / 10000 if (_e := header['executed_yuan']) is not None else None)} 万元，"
    f"执行率（按金额计算）{fmt(rate, suffix='%')}；表上所印执行率 {fmt(header['execution_rate_pct'], suffix='%')}。"
    f" 来源：{form_source(header)}"
)
source_path = original_file(header["source_file"])
if source_path is not None:
    st.download_button("下载原始文件", data=source_path.read_bytes(), file_name=source_path.name,
                       key="project_source_file", on_click="ignore", icon=":material/download:")
else:
    st.caption(f"原始文件 {header['source_file']} 不在 data/raw/ 中，无法下载。")
confidence = header.get("parse_confidence")
n_uncertain = int(indicators["uncertain"].sum()) if indicators.height else 0
if (confidence is not None and confidence < 1) or n_uncertain:
    st.warning(
        "本表有读取存疑之处："
        + (f"整表读取置信度 {confidence:.2f}；" if confidence is not None and confidence < 1 else "")
        + (f"{n_uncertain} 个指标行标为“{UNCERTAIN}”（见下表“来源”列）。" if n_uncertain else "")
        + "请对照原始文件核对。"
    )

st.subheader("自评表原貌")
st.caption("按原表格式排列；“质量问题”列出该行涉及的检查结果，“来源”给出该行在原始文件中的位置，读取存疑的行以黄色标出。")
st.html(
    render_form(
        header,
        budget,
        goals_frame.row(0, named=True) if goals_frame.height else None,
        indicators,
        findings,
    )
)

st.subheader("绩效指标")
table_with_download(
    indicators.select(
        "indicator_seq", "level1_name", "level2_name", "indicator_name", "target_text", "actual_text",
        "weight", "score", "deviation_reason", "findings", "source_ref", "uncertain", "uncertain_reason",
    ),
    key="project_indicators",
    filename=f"项目_{header['project_name']}_{header['year']}_指标.csv",
)

st.subheader("质量问题")
if findings.height == 0:
    st.success("这张自评表没有发现质量问题。")
else:
    names = dict(zip(indicators["indicator_seq"], indicators["indicator_name"], strict=True))
    table_with_download(
        findings.with_columns(
            severity_label=pl.col("severity").replace_strict(SEVERITY, default=pl.col("severity")),
            indicator_name=pl.col("indicator_seq").replace_strict(names, default=None, return_dtype=pl.String),
        ).select("severity_label", "rule_id", "indicator_seq", "indicator_name", "expected", "observed", "message"),
        key="project_findings",
        filename=f"项目_{header['project_name']}_{header['year']}_质量问题.csv",
    )

history = fetch(queries.project_history, header["project_id"])
if history.height <= 1:
    st.subheader("历年情况")
    st.caption(f"该项目只在 {header['year']} 年度出现。")
else:
    years = list(range(history["year"].min(), history["year"].max() + 1))
    missing = [y for y in years if y not in history["year"].to_list()]
    chart_with_table(
        "历年情况",
        charts.yearly_bars(history, "total_score", years=years, years_without_data=missing),
        history.select("year", "project_name", "department_name", "budget_wan", "executed_wan",
                       "execution_rate_pct", "total_score", "grade", "n_indicators"),
        key="project_history",
        filename=f"项目_{header['project_name']}_历年.csv",
        caption="同一项目在不同年度的自评表（项目名称可能略有改动）。",
    )
