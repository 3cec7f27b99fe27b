"""Every page under Streamlit's AppTest on the real warehouse: elements present, numbers
equal to the marts (queried in the test), no exceptions; filters carried across pages;
the app following a build's file swap without a restart."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from clitools import run_ingest
from dashboards import queries
from dashboards.widgets import csv_bytes

from .conftest import (
    APP,
    CITY_2020_DOC,
    TRAINING_CENTER_DOC,
    Built,
    jixiao_build,
    raw_folder,
    run_clean,
    table_by_columns,
)

TRAINING_CENTER = "上海市干部培训中心"


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert len(found) == 1, (label, [m.label for m in at.metric])
    return found[0]


def chart_specs(at: AppTest) -> list[str]:
    return [c.proto.spec for c in at.get("vega_lite_chart")]


def chart_data(at: AppTest, index: int) -> list[pl.DataFrame]:
    """The datasets an altair chart sent to the browser."""
    chart = at.get("vega_lite_chart")[index].proto
    return [pl.from_arrow(pa.ipc.open_stream(ds.data.data).read_all()) for ds in chart.datasets]


def n_downloads(at: AppTest) -> int:
    return sum(1 for b in at.get("download_button") if b.label == "下载 CSV")


def dept_id(full: Built, name: str) -> str:
    return full.scalar("SELECT department_id FROM marts.dim_department WHERE department_name = $n", {"n": name})


# --- 总览 ----------------------------------------------------------------------------------


def test_overview(app: AppTest, full: Built) -> None:
    at = run_clean(app)
    assert [t.value for t in at.title] == ["总览"]
    latest = full.scalar("SELECT max(year) FROM marts.fct_evaluation")
    n_latest = full.scalar("SELECT count(*) FROM marts.fct_evaluation WHERE year = $y", {"y": latest})
    assert metric(at, "项目数") == str(n_latest)
    avg = full.scalar("SELECT avg(total_score) FROM marts.fct_evaluation WHERE year = $y", {"y": latest})
    assert metric(at, "平均总分") == f"{avg:,.2f}"

    years = table_by_columns(at, "年度", "数据状态")
    marts = full.sql(
        "SELECT year, count(*) AS n, sum(budget_full_year_yuan) / 10000 AS budget FROM marts.fct_evaluation GROUP BY 1"
    )
    for r in marts.iter_rows(named=True):
        shown = years.filter(pl.col("年度") == r["year"]).row(0, named=True)
        assert shown["数据状态"] == "有数据"
        assert shown["项目数"] == r["n"]
        assert shown["全年预算数（万元）"] == pytest.approx(r["budget"])
    # 2021: no document holds a form of that year — shown as such, not as zero
    y2021 = years.filter(pl.col("年度") == 2021).row(0, named=True)
    assert y2021["数据状态"] == "无数据"
    assert y2021["项目数"] is None and y2021["全年预算数（万元）"] is None
    assert any("2021" in i.value and "无数据" in i.value for i in at.info)

    # every chart has its table and a CSV download beside it (+ the two plain tables)
    specs = chart_specs(at)
    assert len(specs) == 5
    assert n_downloads(at) == len(specs) + 2
    assert len(at.dataframe) == len(specs) + 2
    bars, labels = chart_data(at, 0)  # 执行率: bars per unit and year, and the "无数据" labels
    assert 2021 not in bars["year"].to_list()  # no zero-height bar for a year without data
    assert labels.filter(pl.col("year") == 2021)["label"].to_list() == ["无数据"]
    assert TRAINING_CENTER in bars["department_name"].to_list()

    units = table_by_columns(at, "实施单位", "层级", "年度", "数据状态")
    tc = units.filter((pl.col("实施单位") == TRAINING_CENTER) & (pl.col("年度") == 2023)).row(0, named=True)
    # data/raw/003…: 7 forms; 全年执行数 ÷ 全年预算数 = 917.81 ÷ 1304.32
    assert tc["项目数"] == 7
    assert tc["执行率（%）"] == pytest.approx(100 * 917.81 / 1304.32)


def test_overview_of_one_year_compares_it_with_the_year_before(app: AppTest) -> None:
    """With only 2023 selected, 2022 is outside the selection but has data: the headline
    shows the change against it and does not call it empty."""
    at = run_clean(app)
    at.multiselect(key="filter_years").set_value([2023])
    run_clean(at)
    # data/raw/002… and 003… print 30 + 7 forms of 2023, data/raw/001… 9 of 2022
    projects = next(m for m in at.metric if m.label == "项目数")
    assert (projects.value, projects.delta) == ("37", "28")
    captions = [c.value for c in at.caption]
    assert not any("无数据" in c for c in captions), captions
    assert any("与 2022 年度相比" in c for c in captions), captions


# --- filters -------------------------------------------------------------------------------


def test_filters_carry_across_pages_and_into_the_url(app: AppTest, full: Built) -> None:
    tc = dept_id(full, TRAINING_CENTER)
    at = run_clean(app)
    at.multiselect(key="filter_units").set_value([tc])
    at.multiselect(key="filter_years").set_value([2023])
    run_clean(at)
    units = table_by_columns(at, "实施单位", "层级", "年度", "数据状态")
    assert set(units["实施单位"]) == {TRAINING_CENTER} and set(units["年度"]) == {2023}
    assert at.query_params.get("unit") == tc and at.query_params.get("year") == "2023"

    at.switch_page("views/units.py")
    run_clean(at)
    assert [t.value for t in at.title] == ["单位对比"]
    assert at.multiselect(key="filter_units").value == [tc]
    assert any("共 7 张自评表" in c.value for c in at.caption)

    at.switch_page("views/quality.py")
    run_clean(at)
    expected = full.scalar(
        """SELECT count(*) FROM marts.dq_findings f JOIN marts.fct_evaluation e ON e.evaluation_id = f.evaluation_id
           WHERE e.department_id = $d AND e.year = 2023""",
        {"d": tc},
    )
    assert metric(at, "问题总数") == str(expected)


def test_filters_are_read_from_the_url(app: AppTest, full: Built) -> None:
    tc = dept_id(full, TRAINING_CENTER)
    app.query_params["unit"] = tc
    app.query_params["year"] = "2023"
    at = run_clean(app)
    assert at.multiselect(key="filter_units").value == [tc]
    assert at.multiselect(key="filter_years").value == [2023]
    assert metric(at, "项目数") == "7"


# --- 单位对比 --------------------------------------------------------------------------------


def test_unit_comparison(app: AppTest, full: Built) -> None:
    at = run_clean(app)
    at.switch_page("views/units.py")
    run_clean(at)
    specs = chart_specs(at)
    assert len(specs) == 4
    assert n_downloads(at) == len(at.dataframe) == 4
    scores = table_by_columns(at, "实施单位", "年度", "项目名称", "总分")
    assert scores.height == full.scalar("SELECT count(*) FROM marts.fct_evaluation")
    # the execution-rate boxes: 上海市干部培训中心 runs from 委托培训 611.15 ÷ 950.00 to
    # 课题（规划）等研究经费 4.00 ÷ 4.00 (data/raw/003…)
    boxes = next(d for d in chart_data(at, 0) if "q1" in d.columns)
    tc = boxes.filter(pl.col("department_name") == TRAINING_CENTER).row(0, named=True)
    assert (tc["n"], tc["lo"], tc["hi"]) == (7, pytest.approx(100 * 611.15 / 950.00, abs=1e-3), pytest.approx(100))

    lost = table_by_columns(at, "实施单位", "一级指标")
    expected = full.sql(
        """SELECT d.department_name, i.level1_name, sum(i.weight - i.score) AS lost
           FROM marts.fct_indicator_result i JOIN marts.fct_evaluation e ON e.evaluation_id = i.evaluation_id
           JOIN marts.dim_department d ON d.department_id = e.department_id GROUP BY ALL"""
    )
    for r in expected.iter_rows(named=True):
        shown = lost.filter((pl.col("实施单位") == r["department_name"]) & (pl.col("一级指标") == r["level1_name"]))
        assert shown["失分"].item() == pytest.approx(r["lost"])

    at.radio(key="units_lost_level").set_value("二级指标")
    run_clean(at)
    lost2 = table_by_columns(at, "实施单位", "一级指标", "二级指标")
    assert lost2["失分"].sum() == pytest.approx(expected["lost"].sum())

    met = table_by_columns(at, "实施单位", "年度", "指标数", "可判定指标数")
    total_met = full.scalar("SELECT count(*) FROM marts.fct_indicator_result WHERE target_met")
    assert met["达成指标数"].sum() == total_met


# --- 项目 ------------------------------------------------------------------------------------


def open_project(app: AppTest, evaluation_id: str) -> AppTest:
    at = run_clean(app)
    at.switch_page("views/project.py")
    at.query_params["evaluation"] = evaluation_id
    return run_clean(at)


def test_project_page_shows_the_form_like_the_original(app: AppTest, full: Built) -> None:
    ev = full.scalar(
        "SELECT evaluation_id FROM marts.fct_evaluation WHERE project_name = '公务员管理工作经费' AND year = 2020"
    )
    at = open_project(app, ev)
    assert at.header[0].value == "公务员管理工作经费"
    assert at.selectbox(key="project_evaluation").value == ev
    assert metric(at, "总分") == "92.14"  # 总分 printed in data/raw/000…
    assert metric(at, "评分等级") == "表上未印"  # the 2020 forms print no 评分等级
    form = at.get("html")[0].value
    for text in ("项目名称", "公务员管理工作经费", "年初预算数", "1,219.00", "1,096.39", "1,078.63",
                 "选调生考试录用人数", "试用期内提出取消录用", "人民满意公务员活动满意度", "92.14", "（表上未印；按总分应为 优）"):
        assert text in form, text
    # each finding stands in the row of its indicator
    findings = full.sql(
        """SELECT f.message, i.indicator_name FROM marts.dq_findings f
           JOIN marts.fct_indicator_result i ON i.evaluation_id = f.evaluation_id AND i.indicator_seq = f.indicator_seq
           WHERE f.evaluation_id = $e""",
        {"e": ev},
    )
    assert findings.height > 0
    rows = form.split("<tr")
    for r in findings.iter_rows(named=True):
        row = next(x for x in rows if f">{escape(r['indicator_name'])}<" in x)
        assert escape(r["message"]) in row
    indicators = table_by_columns(at, "指标序号", "一级指标")
    assert indicators.height == 41  # counted by hand in data/raw/000…
    assert metric(at, "质量问题") == str(
        full.scalar("SELECT count(*) FROM marts.dq_findings WHERE evaluation_id = $e", {"e": ev})
    )
    assert n_downloads(at) >= 2
    # the project recurs: data/raw/001… (2022) prints 项目名称 公务员管理工作经费 again
    history = table_by_columns(at, "年度", "项目名称", "实施单位")
    assert history["年度"].to_list() == [2020, 2022]
    assert "历年情况" in [s.value for s in at.subheader]


def test_a_link_to_a_form_beyond_the_search_limit_opens_that_form(
    app: AppTest, full: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link names a form the search does not list (here: a search limited to the one
    newest form): the page lists it first, labelled from its header, and opens it."""
    monkeypatch.setattr(queries, "SEARCH_LIMIT", 1)
    st.cache_data.clear()  # no search result cached under the usual limit
    try:
        ev = full.scalar(
            "SELECT evaluation_id FROM marts.fct_evaluation WHERE project_name = '公务员管理工作经费' AND year = 2020"
        )
        at = open_project(app, ev)
        picked = at.selectbox(key="project_evaluation")
        assert picked.value == ev and at.query_params.get("evaluation") == ev
        # data/raw/000…: 2020, 中共上海市委组织部, 总分 92.14
        assert picked.options[0] == "2020 · 中共上海市委组织部 · 公务员管理工作经费（总分 92.14）"
        assert len(picked.options) == 2  # the linked form and the one newest form
        assert at.header[0].value == "公务员管理工作经费"
        assert any("只列出前 1 张" in c.value for c in at.caption)
    finally:
        st.cache_data.clear()  # nor results under this one for the tests after


def test_project_search(app: AppTest, full: Built) -> None:
    at = run_clean(app)
    at.switch_page("views/project.py")
    run_clean(at)
    at.text_input(key="project_search").set_value("干部培训中心")
    run_clean(at)
    options = at.selectbox(key="project_evaluation").options
    assert len(options) == 7 and all(TRAINING_CENTER in o for o in options)
    at.selectbox(key="project_evaluation").set_value(
        full.scalar("SELECT evaluation_id FROM marts.fct_evaluation WHERE project_name = '委托培训'")
    )
    run_clean(at)
    assert at.header[0].value == "委托培训"
    assert metric(at, "总分") == "96.43"  # data/raw/003…


# --- 数据质量 --------------------------------------------------------------------------------


def test_quality_page(app: AppTest, full: Built) -> None:
    at = run_clean(app)
    at.switch_page("views/quality.py")
    run_clean(at)
    counts = full.sql("SELECT severity, count(*) AS n FROM marts.dq_findings GROUP BY 1")
    by = dict(zip(counts["severity"], counts["n"], strict=True))
    assert metric(at, "问题总数") == str(sum(by.values()))
    assert metric(at, "警告") == str(by.get("warning", 0))
    assert metric(at, "提示") == str(by.get("info", 0))
    assert metric(at, "错误") == str(by.get("error", 0))
    assert len(chart_specs(at)) == 2 and n_downloads(at) == 3

    rules = table_by_columns(at, "规则", "规则编号")
    per_rule = full.sql("SELECT rule_id, count(*) AS n FROM marts.dq_findings GROUP BY 1")
    for r in per_rule.iter_rows(named=True):
        assert rules.filter(pl.col("规则编号") == r["rule_id"])["问题数"].item() == r["n"]
    assert "扣分但未填写偏差原因" in set(rules["规则"])  # the title from quality/rules.toml

    listing = table_by_columns(at, "项目页")
    assert listing.height == sum(by.values())
    assert all(link.startswith("./project?") and f"evaluation={ev}" in link
               for link, ev in zip(listing["项目页"], listing["自评表编号"], strict=True))
    assert any(full.data_docs.as_uri() in m.value for m in at.markdown)

    at.multiselect(key="quality_severity").set_value(["info"])
    run_clean(at)
    assert table_by_columns(at, "项目页").height == by.get("info", 0)


def test_quality_page_before_any_quality_run(dbt_only: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_DB", str(dbt_only.db))
    at = run_clean(AppTest.from_file(str(APP), default_timeout=60))
    at.switch_page("views/quality.py")
    run_clean(at)
    assert any("质量检查尚未运行" in w.value for w in at.warning)


# --- the connection seen from the app --------------------------------------------------------


def test_a_build_swaps_in_while_the_app_reads_and_the_app_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app holds its connection; ``jixiao build`` still publishes (never blocked), and the
    next rerun shows the new build without a restart."""
    raw = raw_folder(tmp_path / "raw", TRAINING_CENTER_DOC)
    served = tmp_path / "jixiao.duckdb"
    first = jixiao_build(served, raw)
    monkeypatch.setenv("JIXIAO_DB", str(served))
    at = run_clean(AppTest.from_file(str(APP), default_timeout=60))
    assert metric(at, "项目数") == "7"  # 上海市干部培训中心, 2023 (data/raw/003…)
    assert at.multiselect(key="filter_units").options == [f"{TRAINING_CENTER}（市级）"]
    years = table_by_columns(at, "年度", "数据状态")
    assert years.filter(pl.col("年度") == 2020)["数据状态"].item() == "无数据"
    first_build = first.scalar("SELECT build_id FROM ops.build_runs ORDER BY finished_at DESC LIMIT 1")

    raw_folder(raw, CITY_2020_DOC)  # a new document arrives: 中共上海市委组织部, two 2020 forms
    jixiao_build(served, raw)  # while the app's connection to the served file is open

    run_clean(at)
    years = table_by_columns(at, "年度", "数据状态")
    y2020 = years.filter(pl.col("年度") == 2020).row(0, named=True)
    assert (y2020["数据状态"], y2020["项目数"]) == ("有数据", 2)
    assert y2020["全年预算数（万元）"] == pytest.approx(1096.39 + 1169.99)  # data/raw/000…
    assert len(at.multiselect(key="filter_units").options) == 2
    assert any("最近一次构建" in c.value and "9 张自评表" in c.value for c in at.sidebar.caption)
    latest = first.scalar("SELECT build_id FROM ops.build_runs ORDER BY finished_at DESC LIMIT 1")
    assert latest != first_build  # the same path now reads the second build's file


def test_last_build_is_shown(app: AppTest, full: Built) -> None:
    at = run_clean(app)
    n = full.scalar("SELECT count(*) FROM marts.fct_evaluation")
    assert any("最近一次构建" in c.value and "成功" in c.value and f"{n} 张自评表" in c.value
               for c in at.sidebar.caption)


def test_missing_or_unbuilt_warehouse_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "jixiao build" in at.error[0].value

    raw_only = tmp_path / "raw_only.duckdb"
    landed = run_ingest(raw_only, TRAINING_CENTER_DOC)
    assert landed.returncode == 0, landed.stdout + landed.stderr
    monkeypatch.setenv("JIXIAO_DB", str(raw_only))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "marts" in at.error[0].value


def test_csv_download_is_the_table_in_utf8_with_bom() -> None:
    data = csv_bytes(pl.DataFrame({"实施单位": [TRAINING_CENTER], "执行率（%）": [70.37]}))
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines() == ["实施单位,执行率（%）", f"{TRAINING_CENTER},70.37"]


def test_chart_specs_are_json(app: AppTest) -> None:
    specs = chart_specs(run_clean(app))
    assert specs
    for spec in specs:
        assert json.loads(spec)["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
