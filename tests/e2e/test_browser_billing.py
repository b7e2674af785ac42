"""The platform earning, in Debian's Chromium against the local platform: a new advertiser picks Pro
billed yearly on the pricing page, pays on the payment provider's page (the local fake Stripe, which
signs its webhook as Stripe does), its affiliate's clicks pass 80 % of the plan's monthly clicks, the
hourly billing run tells it, and it sees the warning and its usage page; the Owner sees its recurring
revenue grow by the twelfth of the year's price; and the advertiser's pages in Russian."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Platform
from tests.e2e.test_browser_onboarding import emailed_link, new_context, sign_in
from tests.e2e.test_tracking_loop import BROWSER, login, visit

pytestmark = pytest.mark.e2e

PASSWORD = "billing-passw0rd!"
PRO_CLICKS = 20  # the Owner's test version of Pro: 17 clicks are 85 % of it, past the 80 % line
CLICKS = 17
PRO_YEARLY_MONTH = Decimal("119.20")  # 149.00 a month, a year at 20 % off: 1,430.40, a twelfth of it


def mrr(client: httpx.Client, owner: dict[str, str]) -> Decimal:
    figures = client.get("/api/admin/billing/overview", headers=owner).json()
    return next((Decimal(row["amount"]) for row in figures["mrr"] if row["currency"] == "USD"), Decimal(0))


@contextmanager
def pro_limited_to(client: httpx.Client, owner: dict[str, str], clicks: int) -> Iterator[None]:
    """Pro with `clicks` a month while the test runs (the Owner's edit: a new version, which those who
    choose Pro now are billed at), as it was afterwards."""
    plans = client.get("/api/admin/plans", headers=owner).json()["plans"]
    pro = next(plan for plan in plans if plan["code"] == "pro")

    def body(limits: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": pro["name"],
            "rank": pro["rank"],
            "public": pro["public"],
            "contact_us": pro["contact_us"],
            "limits": limits,
            "prices": [
                {
                    "currency": p["currency"],
                    "monthly": p["monthly"],
                    "overage_per_1000": p["overage_per_1000"],
                }
                for p in pro["prices"]
            ],
        }

    edited = client.put(
        "/api/admin/plans/pro", json=body(pro["limits"] | {"clicks_per_month": clicks}), headers=owner
    )
    assert edited.status_code == 200, edited.text
    try:
        yield
    finally:
        client.put("/api/admin/plans/pro", json=body(pro["limits"]), headers=owner)


def new_advertiser(client: httpx.Client, platform: Platform, email: str) -> dict[str, str]:
    """Signed up and verified as a person does it; its session's headers."""
    signed_up = client.post(
        "/api/auth/signup",
        json={"email": email, "password": PASSWORD, "name": "Bella Buyer", "company_name": "Buyer Shoes"},
    )
    assert signed_up.status_code == 201, signed_up.text
    token = emailed_link(platform, email, "verify-email").split("token=", 1)[1]
    assert client.post("/api/auth/verify-email", json={"token": token}).status_code == 200
    session = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert session.status_code == 200, session.text
    return {"authorization": f"Bearer {session.json()['access_token']}"}


def affiliate_sending_clicks(client: httpx.Client, platform: Platform, advertiser: dict[str, str]) -> str:
    """An offer of the advertiser and an affiliate that joined through its link and was approved:
    the tracking link its clicks come by."""
    offer = client.post(
        "/api/offers",
        json={
            "name": "Buyer sneakers",
            "model": "CPA",
            "currency": "USD",
            "goals": [
                {
                    "key": "sale",
                    "name": "Sale",
                    "payout_type": "fixed",
                    "payout": "5",
                    "revenue_type": "fixed",
                    "revenue": "9",
                }
            ],
            "landings": [{"url": "https://shop.example/buyer?click_id={click_id}", "weight": 1}],
        },
        headers=advertiser,
    )
    assert offer.status_code == 201, offer.text
    code = client.post("/api/registration-links", json={"label": "Buyers"}, headers=advertiser).json()["code"]
    email = "clicks@buyer-partner.example"
    joined = client.post(
        f"/api/join/{code}/signup", json={"email": email, "password": PASSWORD, "name": "Click Partner"}
    )
    assert joined.status_code == 201, joined.text  # its clicks count without its signing in
    pending = client.get("/api/memberships", headers=advertiser).json()["items"]
    affiliate_id = next(m["affiliate_id"] for m in pending if m["status"] == "pending")
    approved = client.patch(f"/api/memberships/{affiliate_id}", json={"status": "active"}, headers=advertiser)
    assert approved.status_code == 200, approved.text
    return f"{platform.url}/click?o={offer.json()['id']}&a={affiliate_id}&sub1=billing"


def scheduled_run(platform: Platform) -> dict[str, Any]:
    """The hourly billing run, as its schedule invokes it."""
    event = {
        "version": "0",
        "id": "e2e-billing-run",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "region": "us-east-1",
        "resources": [],
        "detail": {},
    }
    return platform.runtime.invoke("SubscriptionBillingFunction", event)  # type: ignore[no-any-return]


def warnings(client: httpx.Client, advertiser: dict[str, str]) -> list[dict[str, Any]]:
    page = client.get("/api/notifications", params={"limit": 50}, headers=advertiser).json()
    return [notice for notice in page["items"] if notice["type"] == "plan.limit_warning"]


def test_an_advertiser_buys_pro_yearly_passes_80_percent_of_its_clicks_and_the_owner_sees_the_revenue(
    browser: Browser, platform: Platform
) -> None:
    email = "bella@buyer-shoes.example"
    with httpx.Client(base_url=platform.url, timeout=20, headers={"user-agent": BROWSER}) as client:
        owner = login(client, platform.demo, "owner")
        revenue_before = mrr(client, owner)
        with pro_limited_to(client, owner, PRO_CLICKS):
            advertiser = new_advertiser(client, platform, email)
            context = new_context(browser, platform)
            page = context.new_page()
            try:
                sign_in(page, email, PASSWORD)

                # When it picks Pro billed yearly on the pricing page
                page.goto("/pricing")
                page.get_by_test_id("interval-year").click()
                expect(page.get_by_test_id("plan-price-pro")).to_have_attribute("data-amount", "1430.40")
                expect(page.get_by_test_id("plan-saving-pro")).to_have_attribute("data-amount", "357.60")
                page.get_by_test_id("plan-choose-pro").click()
                page.get_by_test_id("plan-confirm").click()

                # and pays on the payment provider's page
                pay = page.get_by_test_id("fake-stripe-pay")
                expect(pay).to_be_visible()
                expect(page.get_by_test_id("fake-stripe-amount")).to_have_text("1430.40 USD")
                pay.click()

                # Then it is back on its billing page, active on Pro, the year's invoice paid
                page.wait_for_url("**/billing?checkout=success")
                expect(page.get_by_test_id("subscription-state")).to_have_attribute("data-state", "active")
                expect(page.get_by_test_id("plan-name")).to_contain_text("Pro")
                invoice = page.get_by_test_id("billing-invoice-row").first
                expect(invoice).to_contain_text("1,430.40")
                expect(invoice).to_contain_text("Paid")

                # When its affiliate's clicks pass 80 % of the month's clicks and the hourly run counts
                link = affiliate_sending_clicks(client, platform, advertiser)
                for _ in range(CLICKS):
                    visit(client, link)
                assert platform.runtime.wait_idle(60, functions=("OrchestratorFunction",))
                report = scheduled_run(platform)
                assert report["failed"] == []
                assert platform.runtime.wait_idle(30, functions=("NotifierFunction",))

                # Then it is told once, in its inbox, and its usage page shows the meter amber
                [warning] = warnings(client, advertiser)
                assert warning["title"] == "80% of your plan's limit used", warning  # the line it crossed
                assert f"You have used {CLICKS} of {PRO_CLICKS} clicks this month" in warning["body"], warning
                scheduled_run(platform)  # the next hour's run tells nothing again
                assert platform.runtime.wait_idle(30, functions=("NotifierFunction",))
                assert len(warnings(client, advertiser)) == 1
                page.goto("/notifications")
                expect(page.get_by_test_id("notice").first).to_contain_text("80% of your plan's limit used")
                page.goto("/billing")
                meter = page.get_by_test_id("meter-clicks_per_month")
                expect(meter).to_have_attribute("data-level", "warning")
                expect(meter).to_contain_text(f"{CLICKS} of {PRO_CLICKS}")

                # and in Russian
                russian(page)
            finally:
                context.close()

        # And the Owner sees the recurring revenue grow by a twelfth of the year's price
        grown = revenue_before + PRO_YEARLY_MONTH
        assert mrr(client, owner) == grown
        context = new_context(browser, platform)
        page = context.new_page()
        try:
            owner_entry = next(e for e in platform.demo["logins"] if e["role"] == "owner")
            sign_in(page, owner_entry["email"], owner_entry["password"])
            page.goto("/admin/billing")
            expect(page.get_by_test_id("mrr-USD")).to_contain_text(f"{grown:,.2f}")
        finally:
            context.close()


def russian(page: Page) -> None:
    """The advertiser's pages after it chose Russian: its usage and its warning in Russian words."""
    page.goto("/billing")
    page.get_by_test_id("language-ru").click()
    expect(page.get_by_text("Расход лимитов").first).to_be_visible()
    expect(page.get_by_test_id("meter-clicks_per_month")).to_contain_text(f"{CLICKS} из {PRO_CLICKS}")
    page.goto("/notifications")
    expect(page.get_by_test_id("notice").first).to_contain_text("Использовано 80% лимита тарифа")
