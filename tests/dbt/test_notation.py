"""Every target (年度指标值) and actual (实际完成值) in the documents parses, or
is listed as knowingly unparsed, with the reason, in seed
known_unparsed_notations (which the build's data tests read)."""

from __future__ import annotations

import csv
import json

from jixiao.paths import PROJECT_ROOT


def known_unparsed(side: str) -> dict[str, str]:
    """Seed known_unparsed_notations: notation -> reason, for one side."""
    with (PROJECT_ROOT / "seeds" / "known_unparsed_notations.csv").open(encoding="utf-8") as f:
        return {row["notation"]: row["reason"] for row in csv.DictReader(f) if row["side"] == side}


def unparsed(warehouse, side: str) -> set[str]:
    return {
        text
        for (text,) in warehouse.rows(
            f"select distinct {side}_notation from marts.fct_indicator_result"
            f" where {side}_parse_status = 'unparsed'"
        )
    }


def test_unparsed_targets_are_exactly_the_known_ones(warehouse):
    # Equal, not a subset: a listed text that now parses must leave the list.
    known = known_unparsed("target")
    assert unparsed(warehouse, "target") == set(known)
    assert all(reason.strip() for reason in known.values())


def test_unparsed_actuals_are_exactly_the_known_ones(warehouse):
    known = known_unparsed("actual")
    assert unparsed(warehouse, "actual") == set(known)
    assert all(reason.strip() for reason in known.values())


def test_known_unparsed_are_the_2022_compound_cells():
    # Read in 001: 非工作日故障响应及抵达现场时间 (1小时内响应，3小时内抵达现场)
    # and 中高危漏洞检出后及时修复时间 (高危漏洞不多于2天，中危漏洞不多于5天).
    assert set(known_unparsed("target")) == {"1小时内响应，3小时内抵达现场", "高危漏洞不多于2天，中危漏洞不多于5天"}


def test_build_does_not_warn_about_notation(built_warehouse):
    results = json.loads((built_warehouse.target_dir / "run_results.json").read_text())["results"]
    statuses = {r["unique_id"].split(".")[2]: r["status"] for r in results if "parse_or_are_known" in r["unique_id"]}
    assert statuses == {
        "fct_indicator_result_targets_parse_or_are_known": "pass",
        "fct_indicator_result_actuals_parse_or_are_known": "pass",
    }


def test_parsed_targets_have_an_operator(warehouse):
    missing = warehouse.rows(
        "select target_text from marts.fct_indicator_result"
        " where target_parse_status = 'parsed' and target_operator is null"
    )
    assert missing == []


def test_every_notation_form_occurs_in_the_documents(warehouse):
    # The bundled documents' targets use all nine forms (约 30 人 and
    # 1-2 批次 among them).
    operators = {op for (op,) in warehouse.rows("select distinct target_operator from marts.fct_indicator_result")}
    assert {">=", ">", "=", "<=", "<", "range", "approx", "deadline", "qualitative"} <= operators


def test_quantitative_targets_and_their_units(warehouse):
    # A few targets as printed, with what they mean (transcribed by hand).
    expected = {
        "≥95(%)": (">=", 95, None, "%"),
        "≤0.00(次数)": ("<=", None, 0, "次数"),
        "<2(小时)": ("<", None, 2, "小时"),
        ">95(%)": (">", 95, None, "%"),
        "=100 (%)": ("=", 100, 100, "%"),
        "1-2 批次": ("range", 1, 2, "批次"),
        "约 30 人": ("approx", 30, 30, "人"),
        "12 月底前": ("deadline", None, 12, "月"),
        "100% (2023 年 12 月)": ("=", 100, 100, "%"),
        "0 履职事故": ("=", 0, 0, "履职事故"),
    }
    found = {
        text: (op, low, high, unit)
        for text, op, low, high, unit in warehouse.rows(
            "select distinct target_text, target_operator, target_low, target_high, target_unit"
            " from marts.fct_indicator_result"
        )
        if text in expected
    }
    assert found == expected
