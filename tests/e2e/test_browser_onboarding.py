"""The dashboard in Debian's Chromium, driven by Playwright, against the local platform:
an advertiser signs up and copies a registration link, an affiliate signs up through it, the
advertiser approves it, the affiliate signs in and switches advertiser context, then reads the
dashboard in Russian."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.conftest import Platform

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser-passw0rd!"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: scripts/setup installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def new_context(browser: Browser, platform: Platform) -> BrowserContext:
    context = browser.new_context(
        base_url=platform.url, viewport={"width": 1280, "height": 860}, locale="en-US"
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=platform.url)
    context.set_default_timeout(15_000)
    return context


def emailed_link(platform: Platform, to: str, path: str) -> str:
    for message in reversed(platform.mails()):
        if to in message.get("destinations", {}).get("ToAddresses", []):
            found = re.search(rf"https?://[^\"'<\s]+/{path}\?token=[A-Za-z0-9_\-]+", message["body"])
            if found:
                return found.group(0)
    raise AssertionError(f"no {path} e-mail to {to}")


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
