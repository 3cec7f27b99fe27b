"""The rules no bundled form breaks, on the hand-made forms of conftest.py.

Each form changes one thing of a clean form (budget 10, indicators 30/20/30/10
at full score, total 100 优); expected values are worked out from what each
form prints.
"""

from __future__ import annotations

import duckdb
import pytest

from quality.run import run_quality

# The two documents of the hand-made warehouse (conftest.py): 测试-重复项目 is
# the 16th form of the first and the only form of the second, ingested later.
DOCUMENT = "handmade_forms.txt"
REPUBLISHED_DOCUMENT = "handmade_forms_republished.txt"
DUPLICATE_SEQ = 16

EXPECTED = {
    # 总分 95.00, but 10.00 + 30 + 20 + 30 + 10 = 100.
    "total_score_mismatch": {("测试-总分不符", None, "100", "95")},
    # 总分 分值 100.00, but 10.00 + 30 + 20 + 25 + 10 = 95.
    "weight_sum_mismatch": {("测试-分值合计不符", None, "100", "95")},
    # 总分 分值 90.00 (10.00 + 30 + 20 + 20 + 10 = 90, consistent, but not 100).
    "total_weight_not_100": {("测试-总分值非100", None, "100", "90")},
    # 全年执行数: 年度资金总额 100.00, 当年财政拨款 90.00 + 0.00 + 0.00.
    "fund_sources_mismatch": {("测试-资金来源不符", None, "100", "90")},
    # 培训人数: 32.00 of 30.00; a budget score of 12.00 of 10.00.
    "score_out_of_range": {
        ("测试-得分超分值", "培训人数", "0–30", "32"),
        ("测试-预算得分超分值", None, "0–10", "12"),
    },
    # 总分 85.00 is 良 (80–<90); printed 优.
    "grade_mismatch": {("测试-等级不符", None, "良", "优")},
    # 80.00 / 100.00 = 80%: 10 × 0.8 = 8, printed 9.00.
    "budget_score_mismatch": {("测试-预算得分不符", None, "8", "9")},
    # 80.00 / 100.00 = 80%, printed 90.00.
    "execution_rate_mismatch": {("测试-执行率不符", None, "80", "90")},
    # 培训效果: 达成指标 is 80–100% of 30 = 24–30, scored 15.00.
    "qualitative_out_of_band": {("测试-定性档次不符", "培训效果", "24–30", "15")},
    # 11,618,500.00 万元 (116 billion yuan) in each of the three columns.
    "implausible_amount": {
        ("测试-金额单位存疑", None, "0–100000", "11618500"),
    },
    # Issue 16's rules. 80.00 / 100.00 = 80% < 90%, and no 偏差原因 names the
    # money (the two forms above print none); 测试-执行率低有原因 names 预算.
    "low_execution_without_reason": {
        ("测试-预算得分不符", None, "90", "80"),
        ("测试-执行率不符", None, "90", "80"),
    },
    # 全年执行数 110.00 万元 = 1,100,000 元 of a 全年预算数 of 1,000,000 元.
    "executed_above_budget": {("测试-执行超预算", None, "1000000", "1100000")},
    # 培训人数, 培训合格率, 培训效果: 3 indicators, no 满意度指标.
    "no_satisfaction_indicator": {("测试-缺满意度", None, None, "3")},
    # Printed as form 16 of handmade_forms.txt and again, ingested later, as
    # form 1 of handmade_forms_republished.txt: the newer one is kept.
    "duplicate_project_year": {
        ("测试-重复项目", None, f"{REPUBLISHED_DOCUMENT} 第1表", f"{DOCUMENT} 第{DUPLICATE_SEQ}表"),
    },
}


# 225 indicators with no 年度指标值: more than the 200 rows GX keeps in a result.
MANY_MISSING = {
    ("测试-大量缺目标", f"{level2}{n:03d}", None, "达成指标")
    for level2, count in (("数量指标", 125), ("社会效益指标", 75), ("服务对象满意度指标", 25))
    for n in range(1, count + 1)
}


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_rule_flags_its_handmade_form(handmade, rule_id):
    assert handmade.of_rule(rule_id) == EXPECTED[rule_id]


def test_more_findings_than_gx_keeps_in_a_result_are_all_written(handmade):
    assert handmade.of_rule("missing_target") == MANY_MISSING
    assert handmade.report.by_rule()["missing_target"] == 225


def test_implausible_amount_names_each_column(handmade):
    rows = handmade.findings.filter(handmade.findings["rule_id"] == "implausible_amount")
    assert sorted(rows["finding_id"].str.split(":").list.last()) == ["executed", "full_year", "initial"]
    assert all("万元" in m for m in rows["message"])


def test_each_form_breaks_only_its_rule(handmade):
    flagged = {(r["project_name"], r["rule_id"]) for r in handmade.findings.iter_rows(named=True)}
    intended = {(project, rule_id) for rule_id, rows in EXPECTED.items() for project, *_ in rows}
    intended.add(("测试-大量缺目标", "missing_target"))
    assert flagged == intended


@pytest.mark.parametrize("project", ["测试-各项一致", "测试-执行率低有原因"])
def test_clean_handmade_form_raises_nothing(handmade, project):
    assert project in handmade.projects
    assert handmade.of_project(project).height == 0


def test_duplicate_is_reported_and_the_newer_form_kept(handmade):
    with duckdb.connect(str(handmade.db), read_only=True) as con:
        kept = con.sql(
            "select source_file, form_seq from marts.fct_evaluation where project_name = '测试-重复项目'"
        ).fetchall()
        duplicates = con.sql(
            "select project_name, source_file, form_seq, kept_source_file, kept_form_seq"
            " from marts.fct_duplicate_evaluation"
        ).fetchall()
    assert kept == [(REPUBLISHED_DOCUMENT, 1)]
    assert duplicates == [("测试-重复项目", DOCUMENT, DUPLICATE_SEQ, REPUBLISHED_DOCUMENT, 1)]


def test_score_out_of_range_says_which_score(handmade):
    indicator = handmade.of_project("测试-得分超分值")["message"][0]
    budget = handmade.of_project("测试-预算得分超分值")["message"][0]
    assert "指标「培训人数」：得分 32 分" in indicator
    assert "预算执行得分 12 分" in budget


def test_grade_mismatch_message_names_total_and_both_grades(handmade):
    message = handmade.of_project("测试-等级不符")["message"][0]
    for part in ("测试-等级不符", "85 分", "「良」", "「优」"):
        assert part in message


def test_qualitative_band_message_names_indicator_band_and_score(handmade):
    message = handmade.of_project("测试-定性档次不符")["message"][0]
    for part in ("测试-定性档次不符", "培训效果", "达成指标", "80%–100%", "24–30", "15 分"):
        assert part in message


def test_fetching_rows_beyond_a_result_writes_no_progress_bars(handmade, tmp_path, capfd):
    # GX builds that fetch with its progress bars forced on; a build's log must not fill with them
    capfd.readouterr()
    report = run_quality(handmade.db, tmp_path / "docs")
    assert report.by_rule()["missing_target"] == 225
    out, err = capfd.readouterr()
    assert "Calculating Metrics" not in out + err
