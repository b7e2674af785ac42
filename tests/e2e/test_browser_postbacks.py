"""Affiliate postbacks in Debian's Chromium against the local platform: the affiliate sets its
postback URL and sends a test event, a real sale fails at its tracker and shows as retrying in the
delivery log, the affiliate replays it and sees it delivered; the owner watches the queues."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, expect

from partnerka_local.receiver import running_receiver
from tests.e2e.conftest import Platform
from tests.e2e.test_browser_onboarding import new_context, sign_in
from tests.e2e.test_postback_delivery import OFFER
from tests.e2e.test_tracking_loop import BROWSER, login, visit

pytestmark = pytest.mark.e2e


def credentials(platform: Platform, role: str) -> tuple[str, str]:
    entry = next(entry for entry in platform.demo["logins"] if entry["role"] == role)
    return entry["email"], entry["password"]


def test_the_test_button_the_delivery_log_and_a_replay(browser: Browser, platform: Platform) -> None:
    demo = platform.demo
    with (
        running_receiver() as receiver,
        httpx.Client(base_url=platform.url, timeout=10, headers={"user-agent": BROWSER}) as client,
    ):
        advertiser = login(client, demo, "advertiser")
        created = client.post("/api/offers", json=OFFER | {"name": "Browser postbacks"}, headers=advertiser)
        assert created.status_code == 201, created.text
        offer = created.json()
        context = new_context(browser, platform)
        page = context.new_page()
        try:
            sign_in(page, *credentials(platform, "affiliate"))
            # The affiliate sets its postback URL and sends a test sale
            page.get_by_test_id("nav-postbacks").click()
            url = receiver.url("/pb?cid={click_id}&st={status}&e={event_id}")
            page.get_by_test_id("postback-url").fill(url)
            sale = page.get_by_test_id("postback-event-sale")
            if sale.get_attribute("aria-checked") != "true":
                sale.click()
            page.get_by_test_id("postback-save").click()
            expect(page.get_by_text("Postback settings saved")).to_be_visible()
            page.get_by_test_id("postback-test-send").click()
            expect(page.get_by_test_id("postback-test-result")).to_contain_text("HTTP 200")
            expect(page.get_by_test_id("postback-test-request")).to_contain_text("GET")
            assert receiver.requests[-1].query["st"] == "sale"

            # A real sale reaches a tracker that is down: the log shows it retrying
            receiver.always_fail = True
            click_id = visit(client, f"/click?o={offer['id']}&a={demo['affiliate']['id']}")
            reported = client.get(
                "/postback",
                params={
                    "click_id": click_id,
                    "status": "sale",
                    "txn_id": "BROWSER-1",
                    "secret": offer["postback_secret"],
                },
            )
            assert reported.status_code == 200, reported.text
            event_id = f"{reported.json()['conversion_id']}.sale"
            page.get_by_test_id("nav-deliveries").click()
            row = page.locator(f'[data-testid="delivery-row"][data-delivery-id="{event_id}"]')
            expect(row).to_have_attribute("data-status", "retrying", timeout=30_000)

            # The tracker is back; the affiliate replays the delivery and sees it delivered
            receiver.always_fail = False
            row.click()
            detail = page.get_by_test_id("delivery-detail")
            expect(detail.locator('[data-testid="delivery-attempt"][data-ok="false"]')).to_have_count(1)
            page.get_by_test_id("delivery-replay").click()
            page.get_by_test_id("delivery-replay-confirm").click()
            expect(detail.locator('[data-testid="delivery-attempt"][data-ok="true"]')).to_have_count(
                1, timeout=30_000
            )
            page.keyboard.press("Escape")
            expect(row).to_have_attribute("data-status", "success", timeout=30_000)
            assert [r.query["e"] for r in receiver.requests if r.query.get("e") == event_id] == [event_id] * 2
        finally:
            client.put(
                "/api/postback-settings",
                json={"url": "", "events": ["sale"]},
                headers=login(client, demo, "affiliate"),
            )
            context.close()

    # The owner sees the postback queue and its dead letters on the monitor
    context = new_context(browser, platform)
    page = context.new_page()
    try:
        sign_in(page, *credentials(platform, "owner"))
        page.get_by_test_id("nav-monitor").click()
        expect(page.get_by_test_id("monitor-queue-postback")).to_be_visible()
        expect(page.get_by_test_id("monitor-queue-postback-dlq")).to_have_attribute("data-kind", "dlq")
        expect(page.get_by_test_id("monitor-operations")).to_contain_text("Postback")
    finally:
        context.close()
