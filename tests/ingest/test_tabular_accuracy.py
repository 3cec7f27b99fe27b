"""Every form of the three tab-separated documents lands exactly.

Expected values are transcribed by hand from data/raw/ (see
expected_tabular_forms.csv and the whole forms below), then compared with
what `jixiao ingest` landed in a real DuckDB file.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingest.pipeline import ingest
from jixiao.paths import RAW_DIR

DOC_FILES = {
    "000": "000_0e1cca4759df0cce.txt",
    "002": "002_42c27752b8eae618.txt",
    "003": "003_dc4befe519062102.txt",
}
EXPECTED_CSV = Path(__file__).with_name("expected_tabular_forms.csv")
D = Decimal


def _expected_rows() -> list[dict]:
    with EXPECTED_CSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    db = tmp_path_factory.mktemp("tabular") / "jixiao.duckdb"
    report = ingest([RAW_DIR / name for name in DOC_FILES.values()], db)
    assert report.forms_landed == 39
    assert report.rejections == []
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def _form(con, doc: str, seq: int) -> dict:
    rel = con.sql(
        "SELECT * FROM raw.forms WHERE source_file = $f AND form_seq = $s",
        params={"f": DOC_FILES[doc], "s": seq},
    )
    rows = rel.fetchall()
    assert len(rows) == 1, f"{doc} form {seq} landed {len(rows)} times"
    return dict(zip(rel.columns, rows[0]))


def _budget(con, form_id: str) -> dict[str, tuple]:
    rows = con.sql(
        "SELECT fund_source, initial_amount, full_year_amount, executed_amount, "
        "initial_yuan, full_year_yuan, executed_yuan FROM raw.budget_lines WHERE form_id = $id",
        params={"id": form_id},
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def _indicators(con, form_id: str) -> list[tuple]:
    return con.sql(
        "SELECT level1, level2, name, target, actual, weight, score, deviation_reason "
        "FROM raw.indicators WHERE form_id = $id ORDER BY indicator_seq",
        params={"id": form_id},
    ).fetchall()


def test_39_forms_land_from_the_three_documents(warehouse):
    counts = dict(warehouse.sql("SELECT source_file, count(*) FROM raw.forms GROUP BY ALL").fetchall())
    assert counts == {DOC_FILES["000"]: 2, DOC_FILES["002"]: 30, DOC_FILES["003"]: 7}


@pytest.mark.parametrize("row", _expected_rows(), ids=lambda r: f"{r['doc']}-{r['form_seq']}")
def test_key_figures_of_every_form(warehouse, row):
    form = _form(warehouse, row["doc"], int(row["form_seq"]))
    assert form["project_name"] == row["project_name"]
    assert form["year"] == int(row["year"])
    assert form["money_unit"] == "万元"
    assert form["execution_rate_pct"] == D(row["rate_pct"])
    assert form["budget_score"] == D(row["budget_score"])
    assert form["total_weight"] == D(100)
    assert form["total_score"] == D(row["total_score"])
    assert form["grade"] == (row["grade"] or None)
    total = _budget(warehouse, form["form_id"])["total"]
    assert total[:3] == (D(row["initial"]), D(row["full_year"]), D(row["executed"]))
    assert total[3:] == tuple(D(row[k]) * 10000 for k in ("initial", "full_year", "executed"))
    assert len(_indicators(warehouse, form["form_id"])) == int(row["n_indicators"])


def test_structure_of_every_form(warehouse):
    """Weights add up to the total weight and scores to the total score, in
    every one of the 39 forms (checked by hand: the source agrees here)."""
    rows = warehouse.sql(
        """
        WITH ind AS (
            SELECT form_id, sum(weight) AS weights, sum(score) AS scores,
                   count(*) FILTER (WHERE level1 IS NULL OR (level2 IS NULL AND level1 <> '成本指标')) AS uncategorised
            FROM raw.indicators GROUP BY form_id
        ), funds AS (
            SELECT form_id, count(DISTINCT fund_source) AS fund_sources FROM raw.budget_lines GROUP BY form_id
        )
        SELECT f.source_file, f.form_seq, f.budget_weight + ind.weights, f.total_weight,
               f.budget_score + ind.scores, f.total_score, ind.uncategorised, funds.fund_sources
        FROM raw.forms f JOIN ind USING (form_id) JOIN funds USING (form_id)
        """
    ).fetchall()
    assert len(rows) == 39
    for source, seq, weights, total_weight, scores, total_score, uncategorised, funds in rows:
        where = f"{source} form {seq}"
        assert weights == total_weight, where
        assert scores == total_score, where
        assert uncategorised == 0, where
        assert funds == 4, where


def test_year_sources(warehouse):
    rows = dict(
        warehouse.sql("SELECT source_file, list(DISTINCT year_source ORDER BY year_source) FROM raw.forms GROUP BY ALL").fetchall()
    )
    assert rows[DOC_FILES["000"]] == ["title"]
    assert rows[DOC_FILES["002"]] == ["title"]
    # 003 prints no year in its titles: 2023年度完成… / 2023年完成… in three narratives,
    # nothing in the other four, which take the document's year.
    assert rows[DOC_FILES["003"]] == ["document", "narrative"]
    narrative = warehouse.sql(
        "SELECT form_seq FROM raw.forms WHERE source_file = $f AND year_source = 'narrative' ORDER BY 1",
        params={"f": DOC_FILES["003"]},
    ).fetchall()
    assert [r[0] for r in narrative] == [1, 3, 6]


# --- whole forms, one per document ----------------------------------------

OUTPUT, BENEFIT, SATISFACTION, COST = "产出指标", "效益指标", "满意度指标", "成本指标"
QTY, QUAL, TIME, SOCIAL, ECON, SUST, CLIENT = (
    "数量指标",
    "质量指标",
    "时效指标",
    "社会效益指标",
    "经济效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
)
COVID_TRAINING = "受疫情影响，个别培训因故未召开，通过其他方式开展培训。"
COVID_MEETINGS = "受疫情影响，部分会议以视频会议方式召开，同时精简合并部分工作会议。"

# 000 form 2 (lines 62-105): page break at line 86, a 三级指标 shifted into the
# 一级 column (line 85), 二级 labels in the 一级 column after the break.
FORM_000_2 = [
    (OUTPUT, QTY, "培训班开设完成率", "100%", "80%", "1", "0.8", COVID_TRAINING),
    (OUTPUT, QTY, "培训人次完成率", "100%", "80%", "1", "0.8", None),
    (OUTPUT, QTY, "培训课时完成率", "100%", "80%", "1", "0.8", None),
    (OUTPUT, QTY, "文件资料印发完成率", "100%", "100%", "5", "5", None),
    (OUTPUT, QTY, "援派干部人才选派管理目标完成率", "100%", "100%", "3", "3", None),
    (OUTPUT, QTY, "来沪挂职干部人才选派管理目标完成率", "100%", "100%", "3", "3", None),
    (OUTPUT, QTY, "档案材料的日常扫描完成情况", "15万页", "15万页", "4", "4", None),
    (OUTPUT, QTY, "档案材料的OCR识别完成情况", "55万页", "55万页", "5", "5", None),
    (OUTPUT, QTY, "办公自动化设备配置完成率", "100%", "100%", "3", "3", None),
    (OUTPUT, QTY, "各类会议组织完成率", "100%", "90%", "3", "2.7", COVID_MEETINGS),
    (OUTPUT, QUAL, "课程设计、设置", "合理", "合理", "2", "2", None),
    (OUTPUT, QUAL, "出勤率", "90%", "100%", "2", "2", None),
    (OUTPUT, QUAL, "信息资源管理安全性", "安全", "安全", "3", "3", None),
    (OUTPUT, QUAL, "信息系统运行", "稳定", "基本稳定", "3", "3", None),
    (OUTPUT, TIME, "会务工作和课题调研", "及时", "及时", "2", "2", None),
    (OUTPUT, TIME, "图书出版、报刊订阅", "及时", "及时", "3", "3", None),
    (OUTPUT, TIME, "援派干部人才到岗及时性", "及时", "及时", "3", "3", None),
    (OUTPUT, TIME, "绩效评价及跟踪", "及时", "及时", "3", "3", None),
    (BENEFIT, ECON, "工作效率提升情况", "提升", "提升", "4", "4", None),
    (BENEFIT, ECON, "工作开展情况", "正常开展", "正常开展", "5", "5", None),
    (BENEFIT, ECON, "系统运行稳定性", "稳定", "稳定", "5", "5", None),
    (BENEFIT, ECON, "项目沟通有效性", "有效", "有效", "4", "4", None),
    (BENEFIT, ECON, "年度无违法违纪情况", "无违法违纪", "无违法违纪", "4", "4", None),
    (BENEFIT, SUST, "长效管理机制建设情况", "建立健全", "建立健全", "4", "4", None),
    (BENEFIT, SUST, "长效管理机制及其有效性", "有效", "有效", "4", "4", None),
    (SATISFACTION, CLIENT, "学员满意度", "100%", "100%", "4", "4", None),
    (SATISFACTION, CLIENT, "被接待人员满意度", "95%", "100%", "3", "3", None),
    (SATISFACTION, CLIENT, "被帮扶人员满意度", "95%", "100%", "3", "3", None),
]

# 002 form 10 干部监督室 (lines 231-259): labels split by spaces (可持 续影 响指 标),
# the tail of a wrapped 二级 cell on its own line (257), a 三级指标 in the first
# column (251), names wrapped with a space (市管干部年度 体检完成数).
FORM_002_10 = [
    (OUTPUT, QTY, "干部生病探望、困难慰问、生日慰问完成数", "≥60(人次)", "60(人次)", "10.00", "10.00", None),
    (OUTPUT, QTY, "市管干部年度体检完成数", "约 30 人", "达成指标", "10.00", "10.00", None),
    (OUTPUT, QTY, "领导干部个人有关事项报告监督完成率", "=100(%)", "100(%)", "10.00", "10.00", None),
    (OUTPUT, QUAL, "探望慰问标准准确性", "明确", "达成指标", "5.00", "5.00", None),
    (OUTPUT, QUAL, "领导干部个人有关事项报告监督覆盖率", "=100(%)", "100(%)", "5.00", "5.00", None),
    (OUTPUT, TIME, "市管干部年度体检完成及时率", "100%", "达成指标", "5.00", "5.00", None),
    (OUTPUT, TIME, "领导干部个人有关事项报告监督完成及时率", "100%", "达成指标", "5.00", "5.00", None),
    (BENEFIT, SOCIAL, "体现对干部关心关爱", "体现", "达成指标", "10.00", "10.00", None),
    (BENEFIT, SOCIAL, "强化领导干部个人有关事项监督效果", "强化", "达成指标", "10.00", "10.00", None),
    (BENEFIT, SUST, "干部监督管理长效机制健全性", "健全", "达成指标", "10.00", "10.00", None),
    (SATISFACTION, CLIENT, "领导干部满意度", "=100(%)", "100.00(%)", "10.00", "10.00", None),
]

# 003 form 7 委托培训 (lines 164-189): no year in the title, 其他资金 label in the
# first column, 时效指标 printed in the 一级 column, a total row with no 总分 label.
FORM_003_7 = [
    (OUTPUT, QTY, "各项培训开展计划完成率", "=100 (%)", "100.00 (%)", "8.00", "8.00", None),
    (OUTPUT, QTY, "培训总学时", "≥200 (学时)", "1200.00 (学时)", "8.00", "8.00", None),
    (OUTPUT, QTY, "授课老师", "≥20.00 (人)", "170.00 (人)", "8.00", "8.00", None),
    (OUTPUT, QTY, "培训总人次", "≥90000.00 (人次)", "142090.00 (人次)", "8.00", "8.00", None),
    (OUTPUT, QUAL, "培训考核通过率", "≥85 (%)", "97.00 (%)", "8.00", "8.00", None),
    (OUTPUT, QUAL, "培训出勤率", "≥85 (%)", "98.00 (%)", "8.00", "8.00", None),
    (OUTPUT, TIME, "各项培训完成及时率", "=100 (%)", "100.00 (%)", "7.00", "7.00", None),
    (BENEFIT, SOCIAL, "培训覆盖地区", "≥3.00 (个)", "34.00 (个)", "7.00", "7.00", None),
    (BENEFIT, SOCIAL, "市级机关单位覆盖率", "≥80.00 (%)", "97.00 (%)", "7.00", "7.00", None),
    (BENEFIT, SOCIAL, "培训人员业务技能素养", "提升", "达成指标", "7.00", "7.00", None),
    (SATISFACTION, CLIENT, "培训委托单位满意度", "≥90 (%)", "98.00 (%)", "7.00", "7.00", None),
    (SATISFACTION, CLIENT, "培训学员满意度", "≥90 (%)", "97.00 (%)", "7.00", "7.00", None),
]

WHOLE_FORMS = {
    ("000", 2): dict(
        project_name="组织部门建设和管理工作经费",
        supervising_department="中共上海市委组织部",
        implementing_unit="中共上海市委组织部",
        year=2020,
        year_source="title",
        budget_weight=D("10"),
        total=(D("100"), D("98.42")),
        grade=None,
        lines=(62, 105),
        goal_planned_starts="深入贯彻落实新时代党的建设总要求",
        budget={
            "total": (D("1130.46"), D("1169.99"), D("1090.53")),
            "current_year_appropriation": (D("1130.46"), D("1169.99"), D("1090.53")),
            "prior_year_carryover": (None, None, None),
            "other": (None, None, None),
        },
        indicators=FORM_000_2,
    ),
    ("002", 10): dict(
        project_name="干部监督室",
        supervising_department="中共上海市闵行区委组织部(汇总)",
        implementing_unit="中共上海市闵行区委组织部",
        year=2023,
        year_source="title",
        budget_weight=D("10.00"),
        total=(D("100.00"), D("99.14")),
        grade="优",
        lines=(231, 259),
        goal_planned_starts="根据相关文件要求, 按时保质完成干部关爱相关工作",
        budget={
            "total": (D("27.00"), D("27.00"), D("24.69")),
            "current_year_appropriation": (D("27.00"), D("27.00"), D("24.69")),
            "prior_year_carryover": (D("0.00"), D("0.00"), D("0.00")),
            "other": (D("0.00"), D("0.00"), D("0.00")),
        },
        indicators=FORM_002_10,
    ),
    ("003", 7): dict(
        project_name="委托培训",
        supervising_department="上海市人力资源和社会保障局",
        implementing_unit="上海市干部培训中心",
        year=2023,
        year_source="document",
        budget_weight=D("10.00"),
        total=(D("100"), D("96.43")),
        grade="优",
        lines=(164, 189),
        goal_planned_starts="按照中组部、市委组织部、市人社局及对口地区等相关部门要求",
        budget={
            "total": (D("950.00"), D("950.00"), D("611.15")),
            "current_year_appropriation": (D("0.00"), D("0.00"), D("0.00")),
            "prior_year_carryover": (D("0.00"), D("0.00"), D("0.00")),
            "other": (D("950.00"), D("950.00"), D("611.15")),
        },
        indicators=FORM_003_7,
    ),
}


@pytest.mark.parametrize("key", WHOLE_FORMS, ids=lambda k: f"{k[0]}-{k[1]}")
def test_whole_form(warehouse, key):
    want = WHOLE_FORMS[key]
    form = _form(warehouse, *key)
    for field in ("project_name", "supervising_department", "implementing_unit", "year", "year_source", "grade"):
        assert form[field] == want[field], field
    assert form["budget_weight"] == want["budget_weight"]
    assert (form["total_weight"], form["total_score"]) == want["total"]
    assert (form["line_start"], form["line_end"]) == want["lines"]
    assert form["goal_planned"].startswith(want["goal_planned_starts"])
    assert form["goal_actual"]
    budget = _budget(warehouse, form["form_id"])
    assert {k: v[:3] for k, v in budget.items()} == want["budget"]
    got = _indicators(warehouse, form["form_id"])
    expected = [(*row[:5], D(row[5]), D(row[6]), row[7]) for row in want["indicators"]]
    assert got == expected


def test_000_form_1_details(warehouse):
    """Spot checks in 000 form 1 (41 indicators over three pages)."""
    form = _form(warehouse, "000", 1)
    rows = _indicators(warehouse, form["form_id"])
    by_name = {r[2]: r for r in rows}
    # The page break at line 47 repeats 绩效指标 with an empty 一级 cell.
    assert by_name["处长及领导干部培训工作"][:2] == (BENEFIT, SOCIAL)
    # Rows shifted into the first column (lines 45-46, 58-59).
    assert by_name["公务员调任工作"][3:7] == ("畅通进入公务员队伍渠道", "不断畅通进入公务员队伍渠道", D(3), D(3))
    assert by_name["人民满意公务员活动满意度"][3:] == (
        "95%",
        "—",
        D(1),
        D(0),
        "因疫情原因未组织实施，拟于2021年分批开展。",
    )
    assert by_name["中组部公务员对口培训人数"][3:] == ("80人", "50人", D(4), D(4), "根据中组部统一要求，调训人数减少。")
    assert [r[2] for r in rows[:3]] == ["社会民意调查有效户数", "参公过渡人数", "选调生考试录用人数"]
    assert rows[-1][2] == "人民满意公务员活动满意度"


def test_002_cost_category_and_wrapped_cells(warehouse):
    """002 form 5 prints 成本 指标 in the 一级 column with no 二级 (line 123);
    form 25 wraps a target (具有可持 续性)."""
    form5 = _form(warehouse, "002", 5)
    cost = [r for r in _indicators(warehouse, form5["form_id"]) if r[2] == "成本控制有效性"]
    assert cost == [(COST, None, "成本控制有效性", "有效", "达成指标", D("10.00"), D("10.00"), None)]
    form25 = _form(warehouse, "002", 25)
    last = _indicators(warehouse, form25["form_id"])[-1]
    assert last[:5] == (BENEFIT, SUST, "高水平人才高地的战略部署", "具有可持续性", "达成指标")
