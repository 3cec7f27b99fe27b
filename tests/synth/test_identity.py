"""A synthetic corpus gives each form its own project-year as the marts match it."""

from __future__ import annotations

from synth.identity import ProjectYears, chinese_number, phase_name, project_key


def test_phases_are_numbered_in_chinese_before_a_closing_parenthetical():
    assert [chinese_number(n) for n in (2, 9, 10, 11, 20, 35)] == ["二", "九", "十", "十一", "二十", "三十五"]
    # a corpus of 100,000 forms needs more than 99 phases of a common project name
    assert [chinese_number(n) for n in (100, 105, 110, 999, 1010, 2300)] == [
        "一百", "一百零五", "一百一十", "九百九十九", "一千零一十", "二千三百"]
    assert phase_name("党建经费", 1) == "党建经费"
    assert phase_name("党建经费", 2) == "党建经费（二期）"
    assert phase_name("闵行党建管理信息平台（2023 运维）", 3) == "闵行党建管理信息平台三期（2023 运维）"
    assert phase_name("干部出入境审批和证照管理系统 (2023 运维)", 2) == "干部出入境审批和证照管理系统二期 (2023 运维)"


def test_names_match_as_the_marts_match_them():
    # notation normalised, spaces and years removed (int_evaluation_projects)
    assert project_key("2023 年闵行区社会科学课题") == project_key("闵行区社会科学课题")
    assert project_key("大组工网（2023 运维）") == project_key("大组工网(运维)")
    assert project_key("党建经费（二期）") != project_key("党建经费")


def test_a_taken_project_year_gets_the_next_phase():
    years = ProjectYears()
    assert years.claim("中共上海市闵行区委组织部", "党建经费", 2022) == "党建经费"
    # the same department under another printed name (seed department_name_variants), same year
    assert years.claim("中共上海闵行区组织部", "党建经费", 2022) == "党建经费（二期）"
    assert years.claim("中共上海市闵行区委组织部", "党建经费", 2023) == "党建经费"
    assert years.claim("上海市干部培训中心", "党建经费", 2022) == "党建经费"
    # a year in the name does not make it another project
    assert years.claim("中共上海市闵行区委组织部", "2022年党建经费", 2022) == "2022年党建经费（三期）"


def test_a_project_year_already_published_is_taken():
    years = ProjectYears(taken=[("中共上海闵行区组织部", "2022年 党建经费", 2022)])
    assert years.claim("中共上海市闵行区委组织部", "党建经费", 2022) == "党建经费（二期）"
    assert years.claim("中共上海市闵行区委组织部", "党建经费", 2021) == "党建经费"
