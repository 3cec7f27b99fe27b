"""Warehouses for the quality tests, built once per session the real way:
ingest -> ``dbt build`` -> :func:`quality.run.run_quality`.

- ``bundled``: the documents in data/raw/ (the session's ``bundled_build``,
  tests/conftest.py, shared with tests/dbt and tests/spark).
- ``handmade``: one tab-separated document of small forms written below, each
  breaking one rule the bundled documents never break (plus clean forms), and
  a second document ingested later re-publishing one of its forms (a
  duplicate project-year).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pytest

from clitools import run_ingest
from jixiao.paths import PROJECT_ROOT
from quality.report import QualityReport
from quality.run import run_quality

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class QualityRun:
    db: Path
    docs_dir: Path
    report: QualityReport
    findings: pl.DataFrame  # marts.dq_findings + source_file, project_name, indicator_name
    projects: frozenset[str]  # every project_name in marts.fct_evaluation

    def of_rule(self, rule_id: str) -> set[tuple[str, str | None, str | None, str | None]]:
        """(project, indicator, expected, observed) of every finding of a rule."""
        rows = self.findings.filter(pl.col("rule_id") == rule_id)
        return {
            (r["project_name"], r["indicator_name"], r["expected"], r["observed"])
            for r in rows.iter_rows(named=True)
        }

    def of_project(self, project_name: str) -> pl.DataFrame:
        return self.findings.filter(pl.col("project_name") == project_name)


def build_warehouse(db: Path, sources: list[Path], workdir: Path, later: list[Path] = ()) -> None:
    """Land ``sources`` with ``jixiao ingest`` (then ``later``, in an ingest of its own, so
    that its files are the newer ones) and build the marts with ``dbt build``."""
    for batch in (sources, later):
        if batch:
            ingest = run_ingest(db, *batch)
            assert ingest.returncode == 0, ingest.stdout + ingest.stderr  # every form lands, none rejected
    env = {**os.environ, "JIXIAO_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = subprocess.run(
        [
            str(BIN / "dbt"), "build",
            "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT),
            "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs"),
        ],
        capture_output=True, text=True, cwd=PROJECT_ROOT, env=env,
    )
    assert dbt.returncode == 0, dbt.stdout[-4000:] + dbt.stderr[-2000:]


def read_findings(db: Path) -> tuple[pl.DataFrame, frozenset[str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        projects = frozenset(r[0] for r in con.sql("select project_name from marts.fct_evaluation").fetchall())
        findings = con.sql(
            """
            select f.*, e.source_file, e.project_name, i.indicator_name
            from marts.dq_findings as f
            join marts.fct_evaluation as e on e.evaluation_id = f.evaluation_id
            left join marts.fct_indicator_result as i
              on i.evaluation_id = f.evaluation_id and i.indicator_seq = f.indicator_seq
            """
        ).pl()
    return findings, projects


def quality_run(workdir: Path, sources: list[Path], later: list[Path] = ()) -> QualityRun:
    db = workdir / "jixiao.duckdb"
    build_warehouse(db, sources, workdir, later)
    docs_dir = workdir / "quality_docs"
    report = run_quality(db, docs_dir)
    assert report.gx_ok, report.errors
    findings, projects = read_findings(db)
    return QualityRun(db=db, docs_dir=docs_dir, report=report, findings=findings, projects=projects)


@pytest.fixture(scope="session")
def bundled(bundled_build) -> QualityRun:
    # 000, 001, 002, 003 print 2 + 9 + 30 + 7 forms: all land, none is rejected
    assert bundled_build.ingest.exit_code == 0, bundled_build.ingest.rejections
    assert bundled_build.ingest.forms_landed == 48
    assert bundled_build.dbt.success, bundled_build.dbt.failures
    assert bundled_build.quality.gx_ok, bundled_build.quality.errors
    findings, projects = read_findings(bundled_build.db)
    return QualityRun(
        db=bundled_build.db, docs_dir=bundled_build.docs_dir, report=bundled_build.quality,
        findings=findings, projects=projects,
    )


# ---------------------------------------------------------------------------
# The hand-made document. Every form starts from one clean form (budget 10 of
# 10, four indicators 30/20/30/10 = 90 at full score, total 100, 优) and
# changes what its rule looks at, keeping everything else consistent.

HEADER = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"
CLEAN_INDICATORS = (
    ("产出指标", "数量指标", "培训人数", "≥100(人)", "100(人)", "30.00", "30.00", ""),
    ("产出指标", "质量指标", "培训合格率", "≥95(%)", "96(%)", "20.00", "20.00", ""),
    ("效益指标", "社会效益指标", "培训效果", "提升", "达成指标", "30.00", "30.00", ""),
    ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90(%)", "95(%)", "10.00", "10.00", ""),
)


def form_text(
    name: str,
    *,
    unit: str = "万元",
    total: tuple[str, str, str] = ("100.00", "100.00", "100.00"),
    current: tuple[str, str, str] | None = None,
    rate: str = "100.00",
    budget_score: str = "10.00",
    indicators: tuple[tuple[str, ...], ...] = CLEAN_INDICATORS,
    total_weight: str = "100.00",
    total_score: str = "100.00",
    grade: str = "优",
) -> str:
    current = current or total
    lines = [
        "", "财政项目支出绩效自评表", "", "(2023 年度)", "",
        f"项目名称\t\t{name}\t\t\t\t\t",
        "主管部门\t\t中共上海市闵行区委组织部(汇总)\t\t实施单位\t\t中共上海市闵行区委组织部\t",
        f"项目资金 ({unit})\t\t年初预算数\t全年预算数\t全年执行数\t分数\t执行率(%)\t得分",
        f"\t年度资金总额:\t{total[0]}\t{total[1]}\t{total[2]}\t10.00\t{rate}\t{budget_score}",
        f"\t其中: 当年财政拨款\t{current[0]}\t{current[1]}\t{current[2]}\t-\t{rate}\t-",
        "\t上年结转资金\t0.00\t0.00\t0.00\t-\t0.00\t-",
        "\t其他资金\t0.00\t0.00\t0.00\t-\t0.00\t-",
        "年度总体目标\t预期目标\t\t\t实际完成情况\t\t\t",
        "\t完成年度培训任务。\t\t\t完成年度培训任务。\t\t\t",
        HEADER,
    ]
    previous_level1 = None
    for level1, level2, *rest in indicators:
        lines.append("\t".join([level1 if level1 != previous_level1 else "", level2, *rest]))
        previous_level1 = level1
    lines += [f"总分\t\t\t\t\t{total_weight}\t{total_score}\t", f"评分等级\t{grade}\t\t\t\t\t\t", ""]
    return "\n".join(lines)


def replace_indicator(name: str, **changes: str) -> tuple[tuple[str, ...], ...]:
    """The clean indicators with one of them changed (fields: target, actual, weight, score, reason)."""
    fields = ("target", "actual", "weight", "score", "reason")
    out = []
    for row in CLEAN_INDICATORS:
        if row[2] == name:
            values = dict(zip(fields, row[3:]))
            values.update(changes)
            row = (*row[:3], *(values[f] for f in fields))
        out.append(row)
    return tuple(out)


MANY_WITHOUT_TARGET = tuple(
    (level1, level2, f"{level2}{n:03d}", "", "达成指标", "0.40", "0.40", "")
    for level1, level2, count in (
        ("产出指标", "数量指标", 125),
        ("效益指标", "社会效益指标", 75),
        ("满意度指标", "服务对象满意度指标", 25),
    )
    for n in range(1, count + 1)
)

HANDMADE_FORMS = {
    "测试-各项一致": form_text("测试-各项一致"),
    "测试-总分不符": form_text("测试-总分不符", total_score="95.00"),
    "测试-分值合计不符": form_text(
        "测试-分值合计不符",
        indicators=replace_indicator("培训效果", weight="25.00", score="25.00"),
        total_score="95.00",
    ),
    "测试-总分值非100": form_text(
        "测试-总分值非100",
        indicators=replace_indicator("培训效果", weight="20.00", score="20.00"),
        total_weight="90.00",
        total_score="90.00",
    ),
    "测试-资金来源不符": form_text("测试-资金来源不符", current=("100.00", "100.00", "90.00")),
    "测试-得分超分值": form_text(
        "测试-得分超分值",
        indicators=replace_indicator("培训人数", score="32.00"),
        total_score="102.00",
    ),
    "测试-预算得分超分值": form_text("测试-预算得分超分值", budget_score="12.00", total_score="102.00"),
    "测试-等级不符": form_text(
        "测试-等级不符",
        indicators=replace_indicator("培训人数", actual="50(人)", score="15.00", reason="场地不足，培训人数减半。"),
        total_score="85.00",
        grade="优",
    ),
    "测试-预算得分不符": form_text(
        "测试-预算得分不符", total=("100.00", "100.00", "80.00"), rate="80.00", budget_score="9.00",
        total_score="99.00",
    ),
    "测试-执行率不符": form_text(
        "测试-执行率不符", total=("100.00", "100.00", "80.00"), rate="90.00", budget_score="8.00",
        total_score="98.00",
    ),
    "测试-定性档次不符": form_text(
        "测试-定性档次不符",
        indicators=replace_indicator("培训效果", score="15.00", reason="效果评估偏保守。"),
        total_score="85.00",
        grade="良",
    ),
    "测试-金额单位存疑": form_text(
        "测试-金额单位存疑", total=("11,618,500.00", "11,618,500.00", "11,618,500.00"),
    ),
    # Rules of issue 16. 80.00 of 100.00 spent (80%), the reason given in a
    # 偏差原因 naming the budget: no finding.
    "测试-执行率低有原因": form_text(
        "测试-执行率低有原因", total=("100.00", "100.00", "80.00"), rate="80.00", budget_score="8.00",
        indicators=replace_indicator("培训人数", reason="预算执行率低：部分采购合同延至下年支付。"),
        total_score="98.00",
    ),
    # 110.00 spent of 100.00 (110%): the budget score is capped at 10.
    "测试-执行超预算": form_text(
        "测试-执行超预算", total=("100.00", "100.00", "110.00"), rate="110.00",
    ),
    # No 满意度指标: 30 + 20 + 40 = 90 (产出 50, 效益 40, 满意度 0: within 20 of the guidance).
    "测试-缺满意度": form_text(
        "测试-缺满意度",
        indicators=tuple(
            row for row in replace_indicator("培训效果", weight="40.00", score="40.00") if row[0] != "满意度指标"
        ),
    ),
    # Printed again, unchanged, in REPUBLISHED (ingested later): one project-year, two files.
    "测试-重复项目": form_text("测试-重复项目"),
    # More unexpected rows than GX returns in a result (200): 225 indicators
    # of 0.40 points (125 产出 = 50, 75 效益 = 30, 25 满意度 = 10), none with a target.
    "测试-大量缺目标": form_text("测试-大量缺目标", indicators=MANY_WITHOUT_TARGET),
}


# The second document: one form of the first, re-published.
REPUBLISHED = {"测试-重复项目": HANDMADE_FORMS["测试-重复项目"]}
DOCUMENT = "handmade_forms.txt"
REPUBLISHED_DOCUMENT = "handmade_forms_republished.txt"


@pytest.fixture(scope="session")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> QualityRun:
    workdir = tmp_path_factory.mktemp("quality_handmade")
    document = workdir / DOCUMENT
    document.write_text("\n".join(HANDMADE_FORMS.values()), encoding="utf-8")
    republished = workdir / REPUBLISHED_DOCUMENT
    republished.write_text("\n".join(REPUBLISHED.values()), encoding="utf-8")
    return quality_run(workdir, [document], later=[republished])
