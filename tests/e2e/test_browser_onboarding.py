"""The dashboard in Debian's Chromium, driven by Playwright, against the local platform:
an advertiser signs up and copies a registration link, an affiliate signs up through it, the
advertiser approves it, the affiliate signs in and switches advertiser context, then reads the
dashboard in Russian."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import Platform

pytestmark = pytest.mark.e2e

PASSWORD = "browser-passw0rd!"


def new_context(browser: Browser, platform: Platform) -> BrowserContext:
    context = browser.new_context(
        base_url=platform.url, viewport={"width": 1280, "height": 860}, locale="en-US"
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=platform.url)
    context.set_default_timeout(15_000)
    return context


def emailed_link(platform: Platform, to: str, path: str, timeout: float = 20.0) -> str:
    """The link of the latest `path` e-mail to `to`. The API only queues e-mails; the notifier
    function (run by the local runtime from the notify queue) sends them, so wait for it."""
    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(platform.mails()):
            if to in message.get("destinations", {}).get("ToAddresses", []):
                found = re.search(rf"https?://[^\"'<\s]+/{path}\?token=[A-Za-z0-9_\-]+", message["body"])
                if found:
                    return found.group(0)
        if time.monotonic() > deadline:
            raise AssertionError(f"no {path} e-mail to {to} within {timeout:.0f} s")
        time.sleep(0.25)


def verify_and_sign_in(page: Page, platform: Platform, email: str) -> None:
    page.goto(emailed_link(platform, email, "verify-email"))
    expect(page.get_by_test_id("verify-email-done")).to_be_visible()
    page.goto("/sign-in")
    page.get_by_test_id("signin-email").fill(email)
    page.get_by_test_id("signin-password").fill(PASSWORD)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("nav-dashboard")).to_be_visible()


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.get_by_test_id("signin-email").fill(email)
    page.get_by_test_id("signin-password").fill(password)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("nav-dashboard")).to_be_visible()


def test_advertiser_and_affiliate_onboarding_in_the_browser(
    browser: Browser, platform: Platform, tmp_path: Path
) -> None:
    advertiser_page = new_context(browser, platform).new_page()
    # The advertiser signs up and confirms its e-mail
    advertiser_page.goto("/sign-up")
    advertiser_page.get_by_test_id("signup-name").fill("Vera Vendor")
    advertiser_page.get_by_test_id("signup-company").fill("Vendor Co")
    advertiser_page.get_by_test_id("signup-email").fill("vera@vendor.example")
    advertiser_page.get_by_test_id("signup-password").fill(PASSWORD)
    advertiser_page.get_by_test_id("signup-confirm").fill(PASSWORD)
    advertiser_page.get_by_test_id("signup-submit").click()
    expect(advertiser_page.get_by_test_id("check-email")).to_be_visible()
    verify_and_sign_in(advertiser_page, platform, "vera@vendor.example")

    # It creates a registration link and copies it
    advertiser_page.get_by_test_id("nav-registration-links").click()
    advertiser_page.get_by_test_id("reglink-create").click()
    advertiser_page.get_by_test_id("reglink-label").fill("Spring partners")
    advertiser_page.get_by_test_id("reglink-create-submit").click()
    copy = advertiser_page.locator("[data-testid^='reglink-copy-']").first
    expect(copy).to_be_visible()
    copy.click()
    join_url = advertiser_page.evaluate("navigator.clipboard.readText()")
    assert re.fullmatch(rf"{re.escape(platform.url)}/join/[a-z0-9]+", join_url), join_url

    # An affiliate signs up through the link and confirms its e-mail
    affiliate_page = new_context(browser, platform).new_page()
    affiliate_page.goto(join_url)
    expect(affiliate_page.get_by_test_id("join-advertiser-name")).to_have_text(re.compile("Vendor Co"))
    affiliate_page.get_by_test_id("join-name").fill("Artem Affiliate")
    affiliate_page.get_by_test_id("join-email").fill("artem@aff.example")
    affiliate_page.get_by_test_id("join-password").fill(PASSWORD)
    affiliate_page.get_by_test_id("join-confirm").fill(PASSWORD)
    affiliate_page.get_by_test_id("join-signup-submit").click()
    expect(affiliate_page.get_by_test_id("check-email")).to_be_visible()
    verify_and_sign_in(affiliate_page, platform, "artem@aff.example")
    # ...and applies to the demo advertiser too, through the demo link, so it has two to switch between
    affiliate_page.goto(platform.demo["registration_link"])
    affiliate_page.get_by_test_id("join-apply").click()
    expect(affiliate_page.get_by_test_id("join-applied")).to_be_visible()

    # The advertiser approves it
    advertiser_page.get_by_test_id("nav-memberships").click()
    approve = advertiser_page.locator("[data-testid^='membership-approve-']").first
    expect(approve).to_be_visible()
    approve.click()
    expect(advertiser_page.locator("[data-testid^='membership-approve-']")).to_have_count(0)
    expect(advertiser_page.get_by_test_id("membership-status-active")).to_have_count(1)
    # ...and so does the demo advertiser
    demo_page = new_context(browser, platform).new_page()
    demo_login = next(login for login in platform.demo["logins"] if login["role"] == "advertiser")
    sign_in(demo_page, demo_login["email"], demo_login["password"])
    demo_page.get_by_test_id("nav-memberships").click()
    demo_page.locator("[data-testid^='membership-approve-']").first.click()
    expect(demo_page.locator("[data-testid^='membership-approve-']")).to_have_count(0)

    # The affiliate signs in again and switches between its two advertisers
    affiliate_page = new_context(browser, platform).new_page()
    sign_in(affiliate_page, "artem@aff.example", PASSWORD)
    for name, advertiser_id in (
        ("Vendor Co", None),
        (platform.demo["advertiser"]["name"], platform.demo["advertiser"]["id"]),
    ):
        affiliate_page.get_by_test_id("advertiser-switcher").click()
        option = (
            affiliate_page.get_by_test_id(f"advertiser-option-{advertiser_id}")
            if advertiser_id
            else affiliate_page.get_by_role("option", name=re.compile(name))
        )
        option.click()
        expect(affiliate_page.get_by_test_id("current-context")).to_contain_text(name)
    expect(affiliate_page.get_by_test_id("stat-clicks")).to_be_visible()

    # Russian: the language switch turns the screens Russian, and it is remembered
    affiliate_page.get_by_test_id("language-ru").click()
    expect(affiliate_page.get_by_test_id("nav-dashboard")).to_contain_text("Обзор")
    affiliate_page.get_by_test_id("nav-memberships").click()
    expect(affiliate_page.get_by_test_id("nav-memberships")).to_contain_text("Мои рекламодатели")
    affiliate_page.reload()
    expect(affiliate_page.get_by_test_id("nav-dashboard")).to_contain_text("Обзор")
    affiliate_page.screenshot(path=str(tmp_path / "affiliate-ru.png"))


CHROME_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Safari/537.36"
)


class _Landing(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"<h1 id='landed'>Landed on {self.path.split('?')[0]}</h1>".encode()
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def landing_server() -> Iterator[str]:
    """The advertiser's landing pages, on loopback (there is no internet here)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Landing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_offer_made_in_the_browser_is_built_into_a_link_and_followed(
    browser: Browser, platform: Platform, landing_server: str
) -> None:
    logins = {login["role"]: login for login in platform.demo["logins"]}
    # The advertiser creates an offer with two landings and a GEO rule
    advertiser = new_context(browser, platform).new_page()
    sign_in(advertiser, logins["advertiser"]["email"], logins["advertiser"]["password"])
    advertiser.get_by_test_id("nav-offers").click()
    advertiser.get_by_test_id("offers-create").click()
    advertiser.get_by_test_id("offer-name").fill("Browser offer")
    advertiser.get_by_test_id("offer-goal-name-0").fill("Lead")
    advertiser.get_by_test_id("offer-goal-payout-0").fill("2.50")
    advertiser.get_by_test_id("offer-goal-revenue-0").fill("4")
    advertiser.get_by_test_id("offer-landing-url-0").fill(
        f"{landing_server}/one?cid={{click_id}}&s1={{sub1}}"
    )
    advertiser.get_by_test_id("offer-landing-add").click()
    advertiser.get_by_test_id("offer-landing-url-1").fill(
        f"{landing_server}/two?cid={{click_id}}&s1={{sub1}}"
    )
    advertiser.get_by_test_id("offer-geo-mode").click()
    advertiser.get_by_role("option", name="All except these countries").click()
    advertiser.get_by_test_id("offer-geo-countries").fill("CN, KP")
    advertiser.get_by_test_id("offer-save").click()
    expect(advertiser.get_by_test_id("offer-title")).to_contain_text("Browser offer")

    # The affiliate (a real browser's User-Agent: headless Chromium's own reads as a bot) finds it
    context = browser.new_context(
        base_url=platform.url, viewport={"width": 1280, "height": 860}, user_agent=CHROME_UA
    )
    context.set_default_timeout(15_000)
    affiliate = context.new_page()
    sign_in(affiliate, logins["affiliate"]["email"], logins["affiliate"]["password"])
    affiliate.get_by_test_id("nav-my-offers").click()
    expect(affiliate.get_by_text("Browser offer")).to_be_visible()
    # ...builds its link with a sub
    affiliate.get_by_test_id("nav-link-builder").click()
    affiliate.get_by_test_id("linkbuilder-offer").click()
    affiliate.get_by_role("option", name=re.compile("Browser offer")).click()
    affiliate.get_by_test_id("linkbuilder-sub1").fill("browser test")
    url = affiliate.get_by_test_id("linkbuilder-url").inner_text().strip()
    # on Acme's own tracking domain, which the browser reaches like any other (*.localhost is here)
    assert url.startswith(f"{platform.demo['portal']['tracking_url']}/click?o=")
    assert "sub1=browser%20test" in url
    # ...and a visitor following it lands on one of the two landings, with the macros filled
    visitor = context.new_page()
    visitor.goto(url)
    expect(visitor.locator("#landed")).to_contain_text("Landed on /")
    pattern = rf"{re.escape(landing_server)}/(one|two)\?cid=[0-9a-f-]{{36}}&s1=browser%20test"
    assert re.fullmatch(pattern, visitor.url), visitor.url
    # The affiliate inspects that click once the orchestrator has judged it: it landed, first visit
    click_id = re.search(r"cid=([0-9a-f-]{36})", visitor.url).group(1)  # type: ignore[union-attr]
    assert platform.runtime.wait_idle(15, functions=("OrchestratorFunction",))
    affiliate.get_by_test_id("nav-clicks").click()
    affiliate.get_by_test_id("click-search-input").fill(click_id)
    affiliate.get_by_role("button", name="Inspect").click()
    expect(affiliate.get_by_test_id("click-outcome")).to_have_text("Sent to a landing")
    expect(affiliate.get_by_test_id("click-quality-status")).to_have_text("Clean")
    expect(affiliate.get_by_test_id("click-details")).to_contain_text("Browser offer")
    expect(affiliate.get_by_test_id("click-details")).to_contain_text("browser test")
