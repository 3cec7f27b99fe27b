"""The rule catalogue, the suites built from it, and the pure helpers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quality.findings import finding_id, format_value
from quality.offline_docs import offline_page, remote_fetches
from quality.rules import SEVERITIES, TABLES, build_suites, load_catalogue, suite_name


def test_rules_have_unique_ids_known_severities_and_tables():
    rules = load_catalogue().rules
    assert len({r.rule_id for r in rules}) == len(rules)
    assert {r.severity for r in rules} == set(SEVERITIES)
    assert {r.table for r in rules} == set(TABLES)


def test_the_issue_asks_for_at_least_these_rules_at_these_severities():
    severity = {r.rule_id: r.severity for r in load_catalogue().rules}
    assert [r for r, s in severity.items() if s == "error"] == [
        "total_score_mismatch", "weight_sum_mismatch", "total_weight_not_100",
        "fund_sources_mismatch", "score_out_of_range", "grade_mismatch",
    ]
    assert [r for r, s in severity.items() if s == "warning"] == [
        "budget_score_mismatch", "execution_rate_mismatch", "met_but_deducted", "missed_but_full",
        "qualitative_out_of_band", "deduction_without_reason", "missing_target",
        # issue 16
        "executed_above_budget", "duplicate_project_year", "no_satisfaction_indicator",
    ]
    assert [r for r, s in severity.items() if s == "info"] == [
        "not_proportional", "unit_mismatch", "implausible_amount", "level1_weight_guidance",
        # issue 16: "some localities also demand a reason when 执行率 is below 90%"
        "low_execution_without_reason",
    ]


def test_each_rule_is_one_unexpected_rows_expectation_in_its_tables_suite():
    catalogue = load_catalogue()
    suites = build_suites(catalogue)
    assert [s.name for s in suites.values()] == [suite_name(t) for t in TABLES]
    placed = {}
    for table, suite in suites.items():
        for expectation in suite.expectations:
            assert type(expectation).__name__ == "UnexpectedRowsExpectation"
            assert "{batch}" in expectation.unexpected_rows_query
            placed[expectation.meta["rule_id"]] = table
    assert placed == {r.rule_id: r.table for r in catalogue.rules}


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (Decimal("4.0000"), "4"),
        (Decimal("0.8000"), "0.8"),
        (1.35, "1.35"),
        (9.838, "9.84"),
        (6.775, "6.78"),  # half up, as forms round
        (Decimal("11618500.000000"), "11618500"),
        (100, "100"),
        (-0.001, "0"),
        ("优", "优"),
        (None, None),
    ],
)
def test_format_value(value, printed):
    assert format_value(value) == printed


def test_finding_id_names_rule_form_indicator_and_part():
    assert finding_id("missing_target", {"evaluation_id": "f1", "indicator_seq": 7, "item": None}) == "missing_target:f1:7"
    assert finding_id("fund_sources_mismatch", {"evaluation_id": "f1", "indicator_seq": None, "item": "executed"}) == (
        "fund_sources_mismatch:f1:executed"
    )


def test_offline_page_drops_cdn_tags_and_inlines_the_assets():
    html = (
        '<html><head><link rel="stylesheet" href="https://cdn.example/b.css"/>'
        '<script src="https://cdn.example/j.js"></script>'
        "<style>x{background:url('https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/l.png')}</style>"
        '</head><body><img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo.png">'
        '<a href="https://greatexpectations.io">GX</a></body></html>'
    )
    assert len(remote_fetches(html)) == 4
    page = offline_page(html, "../static/images/")
    assert remote_fetches(page) == []
    assert '<img src="../static/images/logo.png">' in page
    assert '<a href="https://greatexpectations.io">' in page  # a link loads nothing
    assert "window.$ = window.jQuery" in page and ".fa-times::before" in page
