"""Every target (年度指标值) and actual (实际完成值) in the documents parses, or
is listed here as knowingly unparsed, with the reason."""

from __future__ import annotations

# Text as normalised by staging (target_notation / actual_notation) -> reason.
# All of them are in the 2022 document (001); target_met is null for them.
KNOWINGLY_UNPARSED_TARGETS = {
    "1小时内响应，3小时内抵达现场": "compound: two time limits on two measures (response, arrival) in one cell",
    "高危漏洞不多于2天，中危漏洞不多于5天": "compound: two limits for two kinds of vulnerability in one cell",
}
KNOWINGLY_UNPARSED_ACTUALS = {
    "1小时内响应，2小时内抵达现场": "compound: two times for two measures in one cell",
    "0.5小时内响应，2小时内抵达现场": "compound: two times for two measures in one cell",
    "高危漏洞不多于2天，中危漏洞不多于10天": "compound: two durations for two kinds of vulnerability",
}


def unparsed(warehouse, side: str) -> set[str]:
    return {
        text
        for (text,) in warehouse.rows(
            f"select distinct {side}_notation from marts.fct_indicator_result"
            f" where {side}_parse_status = 'unparsed'"
        )
    }


def test_every_target_parses_or_is_known(warehouse):
    # Equal, not a subset: a listed text that now parses must leave the list.
    assert unparsed(warehouse, "target") == set(KNOWINGLY_UNPARSED_TARGETS)


def test_every_actual_parses_or_is_known(warehouse):
    assert unparsed(warehouse, "actual") == set(KNOWINGLY_UNPARSED_ACTUALS)


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
