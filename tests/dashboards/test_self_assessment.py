"""The 自评质量 page (score re-check) under Streamlit's AppTest on the real warehouse, the
province/city filters, and the form view's source column, uncertain rows and original file."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import polars as pl
from streamlit.testing.v1 import AppTest

from dashboards.form_view import UNCERTAIN, render_form
from dashboards.sources import original_file
from jixiao.paths import RAW_DIR

from .conftest import CITY_2020_DOC, Built, run_clean, table_by_columns

CITY = "中共上海市委组织部"


def open_page(app: AppTest) -> AppTest:
    at = run_clean(app)
    at.switch_page("views/self_assessment.py")
    return run_clean(at)


def test_units_are_ranked_by_their_gap(app: AppTest, full: Built) -> None:
    at = open_page(app)
    assert [t.value for t in at.title] == ["自评质量"]
    ranking = table_by_columns(at, "实施单位", "年度", "地区")
    expected = full.sql(
        "SELECT department_name, year, score_gap FROM marts.agg_unit_year_score_gap"
        " ORDER BY score_gap DESC, department_name, year"
    )
    assert ranking["实施单位"].to_list() == expected["department_name"].to_list()
    assert ranking["年度"].to_list() == expected["year"].to_list()
    assert ranking["差额（自评 − 复核）"].to_list() == expected["score_gap"].to_list()
    # the 2020 forms of 中共上海市委组织部 score 80/50 trainees and 90/200 trainees in full or
    # above their share (tests/dbt/test_score_recheck.py re-derives them by hand)
    assert (ranking["实施单位"][0], ranking["年度"][0]) == (CITY, 2020)
    assert ranking["地区"][0] == "上海市"
    assert len(at.get("vega_lite_chart")) == 2  # the ranking and the indicators behind the first unit-year
    assert sum(1 for b in at.get("download_button") if b.label == "下载 CSV") == 4


def test_drill_down_to_the_forms_and_indicators_behind_a_gap(app: AppTest, full: Built) -> None:
    at = open_page(app)
    picked = at.selectbox(key="self_pick")
    assert picked.value.endswith("|2020")  # the largest gap comes first
    forms = table_by_columns(at, "项目页", "项目名称", "年度", "自评得分")
    assert sorted(forms["项目名称"].to_list()) == ["公务员管理工作经费", "组织部门建设和管理工作经费"]
    links = [parse_qs(urlparse(link).query)["evaluation"][0] for link in forms["项目页"]]
    assert links == forms["自评表编号"].to_list()
    indicators = table_by_columns(at, "项目页", "项目名称", "指标序号")
    above = indicators.filter(pl.col("三级指标") == "中组部公务员对口培训人数")
    # 80人 target, 50人 actual, weight 4, scored 4: 4 × 50 ÷ 80 = 2.5 supported (by hand)
    assert (above["自评得分"].item(), above["复核得分"].item(), above["差额（自评 − 复核）"].item()) == (4.0, 2.5, 1.5)

    last = full.sql(
        "SELECT department_id, year FROM marts.agg_unit_year_score_gap ORDER BY score_gap, department_name DESC LIMIT 1"
    ).row(0)
    unit, year = last
    picked.set_value(f"{unit}|{year}")
    run_clean(at)
    forms = table_by_columns(at, "项目页", "项目名称", "年度", "自评得分")
    assert forms.height == full.scalar(
        "SELECT count(*) FROM marts.fct_evaluation WHERE department_id = $d AND year = $y",
        {"d": unit, "y": int(year)},
    )


def test_province_filter_narrows_the_units_and_is_kept_in_the_url(app: AppTest, full: Built) -> None:
    at = run_clean(app)
    provinces = at.multiselect(key="filter_provinces")
    assert provinces.options == ["上海市"]  # every bundled unit is in 上海市 (dim_region)
    provinces.set_value(["310000"])
    run_clean(at)
    assert at.query_params.get("province") == "310000"
    assert at.multiselect(key="filter_cities").options == []  # 上海市's districts have no city level
    assert len(at.multiselect(key="filter_units").options) == full.scalar(
        "SELECT count(DISTINCT department_id) FROM marts.fct_evaluation"
    )
    at.switch_page("views/self_assessment.py")
    run_clean(at)
    assert table_by_columns(at, "实施单位", "年度", "地区").height == full.scalar(
        "SELECT count(*) FROM marts.agg_unit_year_score_gap"
    )


def test_form_view_says_where_each_row_came_from_and_offers_the_file(app: AppTest, full: Built) -> None:
    ev = full.scalar(
        "SELECT evaluation_id FROM marts.fct_evaluation WHERE project_name = '公务员管理工作经费' AND year = 2020"
    )
    at = run_clean(app)
    at.switch_page("views/project.py")
    at.query_params["evaluation"] = ev
    run_clean(at)
    form = at.get("html")[0].value
    rows = form.split("<tr")
    # 社会民意调查有效户数 is printed on line 17 of data/raw/000…, 中组部公务员对口培训人数 on line 32
    assert ">line 17<" in next(r for r in rows if ">社会民意调查有效户数<" in r)
    assert ">line 32<" in next(r for r in rows if ">中组部公务员对口培训人数<" in r)
    title = next(r for r in rows if "财政项目支出绩效自评表" in r)
    assert f"{CITY_2020_DOC.name} lines 3-60" in title  # the form runs from its title, line 3, to 总分, line 60
    assert [b.label for b in at.get("download_button")].count("下载原始文件") == 1
    assert original_file(CITY_2020_DOC.name) == CITY_2020_DOC.resolve()


def test_original_file_stays_inside_the_raw_folder() -> None:
    assert original_file("../pyproject.toml") is None
    assert original_file("no_such_file.txt") is None
    assert original_file(None) is None
    assert original_file(CITY_2020_DOC.name, RAW_DIR) == CITY_2020_DOC.resolve()


def test_uncertain_rows_are_marked_with_their_reason() -> None:
    header = {"year": 2022, "source_file": "a.pdf", "source_ref": "p.1 [10 20 500 700]", "parse_confidence": 0.5}
    indicators = pl.DataFrame(
        {
            "level1_name": ["产出指标", "产出指标"],
            "level2_name": ["数量指标", "数量指标"],
            "indicator_name": ["培训人数", "培训课时"],
            "target_text": ["80人", "20学时"],
            "actual_text": ["50人", "20学时"],
            "weight": [4.0, 4.0],
            "score": [4.0, 4.0],
            "deviation_reason": [None, None],
            "source_ref": ["p.2 [72 300 540 318]", "p.2 [72 318 540 336]"],
            "uncertain": [True, False],
            "uncertain_reason": ["pairing_uncertain", None],
        }
    )
    budget = pl.DataFrame(schema={"fund_source": pl.String, "initial_amount": pl.Float64,
                                  "full_year_amount": pl.Float64, "executed_amount": pl.Float64,
                                  "source_ref": pl.String})
    rows = render_form(header, budget, None, indicators, pl.DataFrame(schema={"indicator_seq": pl.Int32,
                                                                               "rule_id": pl.String})).split("<tr")
    doubtful = next(r for r in rows if ">培训人数<" in r)
    sure = next(r for r in rows if ">培训课时<" in r)
    assert 'class="uncertain"' in doubtful and f"p.2 [72 300 540 318] · {UNCERTAIN}：pairing_uncertain" in doubtful
    assert "uncertain" not in sure and ">p.2 [72 318 540 336]<" in sure
    title = next(r for r in rows if "财政项目支出绩效自评表" in r)
    assert 'class="uncertain"' in title and "读取置信度 0.50" in title and "a.pdf p.1 [10 20 500 700]" in title
