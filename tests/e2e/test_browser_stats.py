"""The statistics screens in Debian's Chromium against the local platform and the demo's two weeks of
history: the dashboard's figures, chart and top lists, a top country applied as a filter, the report
builder's state kept in its URL, the logs leading to a click's page, and a CSV export from request
to download."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Platform
from tests.e2e.test_browser_onboarding import new_context, sign_in
from tests.e2e.test_browser_postbacks import credentials

pytestmark = pytest.mark.e2e

# The demo history ends yesterday; thirty days hold all of it whatever the day.
LAST_30_DAYS = "range=last30"
DATA_TIMEOUT = 20_000  # ms: a page waiting for reports of the local platform


@contextmanager
def signed_in(chromium: Browser, platform: Platform, role: str) -> Iterator[Page]:
    """A fresh browser context with the demo person of `role` signed in."""
    context = new_context(chromium, platform)
    page = context.new_page()
    try:
        sign_in(page, *credentials(platform, role))
        yield page
    finally:
        context.close()


def number(page: Page, test_id: str) -> int:
    return int(page.get_by_test_id(test_id).get_attribute("data-value") or "0")


def plotted(page: Page) -> str:
    """The chart's values, as it exposes them for tests ("0,31,42,…")."""
    return page.get_by_test_id("trend-chart").get_attribute("data-values") or ""


def test_dashboard_shows_the_history_and_filters_by_a_top_country(
    browser: Browser,
    platform: Platform,
) -> None:
    # Given the demo advertiser, signed in, on its dashboard over the last 30 days
    with signed_in(browser, platform, "advertiser") as page:
        page.goto(f"/?{LAST_30_DAYS}")

        # Then the figures, the chart and both top lists show its traffic
        expect(page.get_by_test_id("stat-clicks")).to_have_attribute("data-value", re.compile(r"^[1-9]\d*$"))
        assert number(page, "stat-conversions") > 0
        for money in ("kpi-payout", "kpi-revenue", "kpi-profit", "kpi-roi", "kpi-epc", "kpi-cr"):
            expect(page.get_by_test_id(money)).to_contain_text(re.compile(r"[1-9]"))
        chart = page.get_by_test_id("trend-chart")
        expect(chart).to_have_attribute("data-points", "30")
        assert int(chart.get_attribute("data-total") or "0") == number(page, "stat-clicks")
        # (the other browser tests add offers of their own, with a click or two today)
        expect(page.get_by_test_id("top-offers-item").first).to_be_visible()
        assert page.get_by_test_id("top-offers-item").count() >= 2
        countries = page.get_by_test_id("top-countries-item")
        expect(countries.first).to_be_visible()
        assert countries.count() >= 3
        rows = page.get_by_test_id("period-row")
        expect(rows.first).to_be_visible()
        all_clicks = number(page, "stat-clicks")
        chart_before = plotted(page)
        table_before = page.get_by_test_id("period-table").inner_text()

        # When it clicks the second country of the top list (the first leads every day; any will do)
        country = countries.nth(1)
        code = country.get_attribute("data-key") or ""
        country_clicks = int(country.get_attribute("data-value") or "0")
        country.get_by_role("button").click()

        # Then the filter shows as a chip and the figures, chart and table narrow to that country
        expect(page.get_by_test_id("stats-filter-country")).to_have_attribute("data-value", code)
        expect(page.get_by_test_id("stat-clicks")).to_have_attribute("data-value", str(country_clicks))
        assert country_clicks < all_clicks
        expect(chart).not_to_have_attribute("data-values", chart_before)
        expect(page.get_by_test_id("period-table")).not_to_have_text(table_before)
        assert int(chart.get_attribute("data-total") or "0") == country_clicks
        expect(page.get_by_test_id("top-countries-item")).to_have_count(1)
        assert f"country={code}" in page.url

        # When it removes the chip, everything is back
        page.get_by_test_id("stats-filter-country-remove").click()
        expect(chart).to_have_attribute("data-values", chart_before)
        expect(page.get_by_test_id("stat-clicks")).to_have_attribute("data-value", str(all_clicks))

        # The chart switches metric
        page.get_by_test_id("trend-metric-payout").click()
        expect(chart).to_have_attribute("data-metric", "payout")
        expect(chart).not_to_have_attribute("data-values", chart_before)


def settled(page: Page, attribute: str, value: str) -> None:
    """Waits until the report asks for the new state (`attribute` of the report or its table shows
    it) and its table shows the answer: the previous answer stays on screen while a new one loads."""
    report = page.get_by_test_id("report")
    owner = report if attribute in ("data-range", "data-filters") else page.get_by_test_id("report-table")
    expect(owner).to_have_attribute(attribute, value)
    expect(report).to_have_attribute("data-state", "ready", timeout=30_000)


def test_report_builder_keeps_its_report_in_the_url(
    browser: Browser,
    platform: Platform,
) -> None:
    # Given the advertiser's report by day over the last 30 days
    with signed_in(browser, platform, "advertiser") as page:
        page.get_by_test_id("nav-reports").click()
        page.get_by_test_id("reports-range").click()
        page.get_by_test_id("reports-range-last30").click()
        settled(page, "data-range", "last30")
        table = page.get_by_test_id("report-table")
        expect(table).to_have_attribute("data-group", "day")
        total_clicks = page.get_by_test_id("report-total-clicks").inner_text()
        by_day = table.inner_text()
        assert int(total_clicks.replace(",", "")) > 0

        # When it groups by country and orders by payout, smallest first
        page.get_by_test_id("reports-group").click()
        page.get_by_test_id("reports-group-country").click()
        settled(page, "data-group", "country")
        assert table.inner_text() != by_day
        expect(page.get_by_test_id("report-total-clicks")).to_have_text(total_clicks)
        page.get_by_test_id("report-sort-payout").click()
        settled(page, "data-sort", "payout")
        payout_first = page.get_by_test_id("report-row").first.get_attribute("data-key")
        page.get_by_test_id("report-sort-payout").click()
        settled(page, "data-desc", "false")
        expect(page.get_by_test_id("report-row").first).not_to_have_attribute("data-key", payout_first or "")

        # ...and narrows it to mobile devices
        page.get_by_test_id("reports-device").click()
        page.get_by_test_id("reports-device-mobile").click()
        settled(page, "data-filters", "device=mobile")
        expect(page.get_by_test_id("stats-filter-device")).to_be_visible()
        expect(page.get_by_test_id("report-total-clicks")).not_to_have_text(total_clicks)
        keys = page.get_by_test_id("report-row").evaluate_all("rows => rows.map(row => row.dataset.key)")
        report = table.inner_text()
        url = page.url
        for part in ("range=last30", "group_by=country", "sort=payout", "desc=0", "device=mobile"):
            assert part in url

        # Then the same address, reloaded or opened anew, shows the same report
        page.reload()
        settled(page, "data-filters", "device=mobile")
        expect(table).to_have_attribute("data-group", "country")
        assert table.inner_text() == report
        assert (
            page.get_by_test_id("report-row").evaluate_all("rows => rows.map(row => row.dataset.key)") == keys
        )
        other = page.context.new_page()
        other.goto(url)
        settled(other, "data-filters", "device=mobile")
        assert other.get_by_test_id("report-table").inner_text() == report
        expect(other.get_by_test_id("reports-group")).to_contain_text("Country")


def test_a_sub_id_report_over_the_whole_history_comes_from_the_analytics_engine(
    browser: Browser,
    platform: Platform,
) -> None:
    # Given the advertiser's report by day over the demo's whole history (the cubes answer it)
    with signed_in(browser, platform, "advertiser") as page:
        page.goto(f"/reports?{LAST_30_DAYS}")
        settled(page, "data-range", "last30")
        total_clicks = page.get_by_test_id("report-total-clicks").inner_text()

        # When it groups by a sub-id (the analytics engine's: the Parquet store read by DuckDB)
        page.get_by_test_id("reports-group").click()
        page.get_by_test_id("reports-group-sub1").click()
        settled(page, "data-group", "sub1")

        # Then every click of the history is counted under its sub-id (the demo's four, and "" for the
        # clicks other tests sent without one), and nothing asks to narrow it
        keys = page.get_by_test_id("report-row").evaluate_all("rows => rows.map(row => row.dataset.key)")
        assert {"blog", "email", "push", "social"} <= set(keys), keys
        expect(page.get_by_test_id("report-total-clicks")).to_have_text(total_clicks)
        expect(page.get_by_text("narrow the dates")).to_have_count(0)

        # ...and with two filters at once, still from the engine, fewer clicks
        page.goto(page.url + "&device=desktop&country=DE")
        settled(page, "data-filters", "country=DE&device=desktop")
        expect(page.get_by_test_id("report-total-clicks")).not_to_have_text(total_clicks)
        assert page.get_by_test_id("report-row").count() >= 1


def test_an_export_is_built_and_downloaded(
    browser: Browser,
    platform: Platform,
) -> None:
    # Given the advertiser's report by offer over the last 30 days
    with signed_in(browser, platform, "advertiser") as page:
        page.goto(f"/reports?{LAST_30_DAYS}&group_by=offer")
        expect(page.get_by_test_id("report-row").first).to_be_visible()

        # When it exports it, the export runs and becomes ready beside the button
        page.get_by_test_id("export-csv").click()
        expect(page.get_by_test_id("export-inline-status")).to_have_attribute(
            "data-status", "ready", timeout=60_000
        )

        # Then the exports page lists it, ready, with its rows, and downloads it as CSV
        page.get_by_test_id("export-inline-all").click()
        row = page.locator('[data-testid="export-row"][data-kind="report"]').first
        expect(row).to_have_attribute("data-status", "ready")
        expect(row).to_contain_text("rows")
        with page.expect_download() as download:
            row.get_by_role("button", name="Download").click()
        path = download.value.path()
        with open(path, encoding="utf-8-sig") as file:
            table = list(csv.DictReader(io.StringIO(file.read())))
        assert {"Sneakers — sale", "Newsletter sign-up"} <= {line["name"] for line in table}
        assert sum(int(line["clicks"]) for line in table if line["name"] != "total") > 0


def test_logs_lead_to_a_click_and_affiliates_see_no_revenue(
    browser: Browser,
    platform: Platform,
) -> None:
    # Given the demo affiliate, in its advertiser's context
    with signed_in(browser, platform, "affiliate") as page:
        # The dashboard and the report show its payout, never the advertiser's revenue
        page.goto(f"/?{LAST_30_DAYS}")
        # The local runtime serves the dashboard's reports one at a time (one API worker, where Lambda
        # runs them side by side), and an affiliate's offer breakdown reads 30 days of its click log.
        expect(page.get_by_test_id("stat-clicks")).to_have_attribute(
            "data-value", re.compile(r"^[1-9]\d*$"), timeout=DATA_TIMEOUT
        )
        expect(page.get_by_test_id("kpi-payout")).to_be_visible()
        expect(page.get_by_test_id("kpi-revenue")).to_have_count(0)
        expect(page.get_by_test_id("trend-metric-revenue")).to_have_count(0)
        page.goto(f"/reports?{LAST_30_DAYS}")
        expect(page.get_by_test_id("report-sort-payout")).to_be_visible(timeout=DATA_TIMEOUT)
        expect(page.get_by_test_id("report-sort-revenue")).to_have_count(0)
        expect(page.get_by_test_id("report-sort-roi")).to_have_count(0)

        # The click log lists its clicks, newest first, and pages through them
        page.get_by_test_id("nav-clicks").click()
        page.get_by_test_id("logs-range").click()
        page.get_by_test_id("logs-range-last30").click()
        expect(page.get_by_test_id("logs-range")).to_contain_text("Last 30 days")
        log = page.get_by_test_id("click-log")
        expect(log).to_have_attribute("data-state", "ready", timeout=30_000)
        rows = page.get_by_test_id("click-log-row")
        first_page = rows.first.get_attribute("data-click-id")
        page.get_by_test_id("logs-older").click()
        expect(page.get_by_test_id("logs-page")).to_contain_text("2")
        expect(log).to_have_attribute("data-state", "ready", timeout=30_000)
        expect(rows.first).not_to_have_attribute("data-click-id", first_page or "")
        page.get_by_test_id("logs-newer").click()
        expect(page.get_by_test_id("logs-page")).to_contain_text("1")
        expect(rows.first).to_have_attribute("data-click-id", first_page or "")

        # The conversion log shows statuses
        page.get_by_test_id("logs-tab-conversions").click()
        expect(page.get_by_test_id("conversion-log-row").first).to_be_visible()
        expect(
            page.get_by_test_id("conversion-log").locator("[data-testid^='conversion-status-']").first
        ).to_be_visible()

        # A click opens its page, with the deliveries of postbacks about it
        page.get_by_test_id("logs-tab-clicks").click()
        rows.first.get_by_role("link").click()
        expect(page).to_have_url(re.compile(rf"/clicks/{first_page}$"))
        expect(page.get_by_test_id("click-details")).to_contain_text("Deliveries")

        # In Russian too
        page.get_by_test_id("language-ru").click()
        expect(page.get_by_test_id("nav-clicks")).to_contain_text("Логи")
        expect(page.get_by_test_id("click-details")).to_contain_text("Доставки")
