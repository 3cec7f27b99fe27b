"""The real thing: ``streamlit run`` on a free local port, Debian's Chromium (headless, through
Playwright) loads every page, reads real Chinese content and saves screenshots under
test-output/dashboard/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, sync_playwright

from dashboards.browser import launch_chromium, open_page, serving
from jixiao.paths import PROJECT_ROOT

from .conftest import Built

SHOTS = PROJECT_ROOT / "test-output" / "dashboard"


@pytest.fixture(scope="module")
def browser_page(full: Built):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serving(full.db, log=SHOTS / "streamlit.log") as base_url, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        yield base_url, page
        browser.close()


def visit(page: Page, url: str, shot: str) -> str:
    open_page(page, url)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(SHOTS / f"{shot}.png"))
    return page.inner_text("body")


def test_every_page_in_chromium(browser_page, full: Built) -> None:
    base_url, page = browser_page

    body = visit(page, base_url + "/", "overview")
    assert page.locator("h1").first.inner_text() == "总览"
    for text in ("筛选", "实施单位", "上海市干部培训中心", "中共上海市闵行区委组织部", "无数据", "下载 CSV"):
        assert text in body, text

    # a deep link straight to a page still runs the entry script (sidebar filters present)
    tc = full.scalar("SELECT department_id FROM marts.dim_department WHERE department_name = '上海市干部培训中心'")
    body = visit(page, f"{base_url}/units?unit={tc}", "units")
    assert page.locator("h1").first.inner_text() == "单位对比"
    assert "筛选" in body and "共 7 张自评表" in body and "上海市干部培训中心" in body

    ev = full.scalar(
        "SELECT evaluation_id FROM marts.fct_evaluation WHERE project_name = '公务员管理工作经费' AND year = 2020"
    )
    body = visit(page, f"{base_url}/project?evaluation={ev}", "project")
    assert page.locator("h1").first.inner_text() == "项目"
    for text in ("公务员管理工作经费", "中共上海市委组织部", "选调生考试录用人数", "试用期内提出取消录用", "92.14"):
        assert text in body, text

    body = visit(page, base_url + "/quality", "quality")
    assert page.locator("h1").first.inner_text() == "数据质量"
    assert "扣分但未填写偏差原因" in body and "GX Data Docs" in body

    # the navigation works from inside the app too
    page.get_by_role("link", name="单位对比").first.click()
    page.wait_for_url("**/units**")
    page.wait_for_selector("h1:has-text('单位对比')")
    for name in ("overview", "units", "project", "quality"):
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000
