"""GX's Data Docs: written on each run, offline (nothing fetched from the network)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from quality.offline_docs import remote_fetches
from quality.rules import TABLES, load_catalogue

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_site_has_an_index_a_page_per_suite_and_per_validation(handmade):
    site = handmade.docs_dir
    assert handmade.report.data_docs_index == site / "index.html"
    names = {p.relative_to(site).parts[0] for p in pages(site)}
    assert names == {"index.html", "expectations", "validations"}
    assert len(list((site / "expectations").glob("*.html"))) == len(TABLES)
    assert len(list((site / "validations").rglob("*.html"))) == len(TABLES)


def test_no_page_fetches_anything_from_the_network(handmade):
    for page in pages(handmade.docs_dir):
        assert remote_fetches(page.read_text(encoding="utf-8")) == [], page


def test_validation_pages_describe_every_rule(handmade):
    text = "".join(p.read_text(encoding="utf-8") for p in (handmade.docs_dir / "validations").rglob("*.html"))
    for rule in load_catalogue().rules:
        assert f"{rule.rule_id} ({rule.severity})" in text
        assert rule.title in text


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_index_lists_the_runs_and_suites_offline_in_a_browser(handmade, browser):
    page = browser.new_page()
    fetched: list[str] = []

    def only_files(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            fetched.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((handmade.docs_dir / "index.html").as_uri())
    rows = page.locator("table tbody tr")
    # One row per validation run (three suites, one run each), one per suite.
    assert rows.count() == 2 * len(TABLES)
    links = [rows.nth(i).get_attribute("data-href") for i in range(rows.count())]
    assert sum(link.startswith("validations/") for link in links) == len(TABLES)
    assert all((handmade.docs_dir / link).exists() for link in links)
    # The indicator run failed (the hand-made forms break indicator rules).
    page.locator("table tbody tr", has_text="fct_indicator_result").first.click()
    page.wait_for_load_state()
    assert "validations/jixiao_fct_indicator_result/" in page.url
    assert page.get_by_text("qualitative_out_of_band (warning)").count() == 1
    assert fetched == [] and errors == []
    page.close()
