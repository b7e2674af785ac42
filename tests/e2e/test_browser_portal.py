"""An advertiser's own portal in Chromium: the demo's Acme runs its program under its brand on
`partners.acme.localhost` (browsers resolve `*.localhost` to this machine; the local gateway answers
every host, as the edge's tenants do) with its tracking domain `track.acme.localhost`.

A new affiliate signs up there through Acme's registration link, confirms its address from the
e-mail, is approved, signs in, builds a tracking link and follows it; every page it can reach, every
title, every script the pages load and every e-mail it gets are read for the platform's name, which
must appear in none of them. The same affiliate on the platform's own address still has its other
advertiser."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page, Response, expect

from tests.conftest import ROOT
from tests.e2e.conftest import Platform
from tests.e2e.test_browser_onboarding import PASSWORD, emailed_link

pytestmark = pytest.mark.e2e

AFFILIATE = "nadia@aff.example"
OFFER = {
    "model": "CPA",
    "currency": "USD",
    "goals": [
        {
            "key": "sale",
            "name": "Sale",
            "payout_type": "fixed",
            "payout": "5.00",
            "revenue_type": "fixed",
            "revenue": "9.00",
        }
    ],
    "landings": [{"url": "https://demo-shop.example/boots?click_id={click_id}", "weight": 1}],
}


def platform_name() -> str:
    """The platform's own name: what template.yaml's PlatformName defaults to (the local platform's)."""
    with (ROOT / "template.yaml").open() as template:
        parameters = yaml.load(template, Loader=_Loader)["Parameters"]  # noqa: S506 - our own template
    return str(parameters["PlatformName"]["Default"])


class _Loader(yaml.SafeLoader):
    """Reads CloudFormation's short-form tags (!Ref, !Sub, …) as plain values."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def api(platform: Platform, method: str, path: str, body: Any = None, token: str = "") -> Any:
    request = urllib.request.Request(
        f"{platform.url}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={
            "content-type": "application/json",
            **({"authorization": f"Bearer {token}"} if token else {}),
        },
    )
    with urllib.request.urlopen(request, timeout=20) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def sign_in_by_api(platform: Platform, email: str, password: str) -> str:
    return str(
        api(platform, "POST", "/api/auth/login", {"email": email, "password": password})["access_token"]
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


class Crawl:
    """What the affiliate meets: each page's title, HTML and visible text, every script and
    stylesheet it loads, every e-mail it gets."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.seen: list[tuple[str, str]] = []
        page.on("response", self._loaded)

    def _loaded(self, response: Response) -> None:
        kind = response.request.resource_type
        if kind in ("script", "stylesheet", "document", "fetch", "xhr") and response.ok:
            try:
                self.seen.append((f"{kind} {response.url}", response.text()))
            except Exception:
                return

    def look(self, where: str) -> None:
        self.seen.append((f"title of {where}", self.page.title()))
        self.seen.append((f"HTML of {where}", self.page.content()))
        self.seen.append((f"text of {where}", self.page.inner_text("body")))

    def mail(self, platform: Platform, to: str) -> None:
        for message in platform.mails():
            if to in message.get("destinations", {}).get("ToAddresses", []):
                self.seen.append(
                    (f"e-mail {message.get('subject')}", json.dumps(message, ensure_ascii=False))
                )

    def naming(self, name: str) -> list[str]:
        return [where for where, text in self.seen if name.lower() in text.lower()]


def test_an_affiliate_meets_only_acmes_brand_on_its_portal_and_keeps_its_other_advertiser_elsewhere(
    browser: Browser, platform: Platform
) -> None:
    demo, name = platform.demo, platform_name()
    portal, tracking = demo["portal"]["portal_url"], demo["portal"]["tracking_url"]
    context = browser.new_context(base_url=portal, viewport={"width": 1280, "height": 860}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    crawl = Crawl(page)

    # Given Acme's registration link on its portal: signing up there
    page.goto(demo["portal_registration_link"])
    expect(page.get_by_test_id("join-advertiser-name")).to_contain_text("Acme")
    crawl.look("the join page")
    page.get_by_test_id("join-name").fill("Nadia Partner")
    page.get_by_test_id("join-email").fill(AFFILIATE)
    page.get_by_test_id("join-password").fill(PASSWORD)
    page.get_by_test_id("join-confirm").fill(PASSWORD)
    page.get_by_test_id("join-signup-submit").click()
    expect(page.get_by_test_id("check-email")).to_be_visible()
    crawl.look("check your e-mail")
    # Then the e-mail comes in Acme's brand, and its link back to the portal
    link = emailed_link(platform, AFFILIATE, "verify-email")
    assert link.startswith(f"{portal}/verify-email?token="), link
    page.goto(link)
    expect(page.get_by_test_id("verify-email-done")).to_be_visible()
    crawl.look("the e-mail confirmed")

    # When Acme approves it (its team, on the platform's own address)
    boss = next(login for login in demo["logins"] if login["role"] == "advertiser")
    token = sign_in_by_api(platform, boss["email"], boss["password"])
    (applied,) = [
        m
        for m in api(platform, "GET", "/api/memberships", token=token)["items"]
        if m["affiliate_email"] == AFFILIATE
    ]
    api(platform, "PATCH", f"/api/memberships/{applied['affiliate_id']}", {"status": "active"}, token)
    # and gives it an offer of its own (the demo's offers keep the figures other tests count)
    own_offer = api(platform, "POST", "/api/offers", OFFER | {"name": "Portal boots"}, token)

    # and it signs in on the portal: Acme's context, Acme's title and favicon
    page.goto("/sign-in")
    crawl.look("sign-in")
    page.get_by_test_id("signin-email").fill(AFFILIATE)
    page.get_by_test_id("signin-password").fill(PASSWORD)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("nav-dashboard")).to_be_visible()
    expect(page).to_have_title(re.compile(r"Acme Partners$"))
    favicon = page.locator("link[rel=icon]").get_attribute("href") or ""
    assert "partnerka" not in favicon.lower()
    # Every screen it can reach, from its own navigation
    screens = page.locator("[data-testid^=nav-]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert "/my/offers" in screens, screens
    for screen in screens:
        page.goto(screen)
        page.wait_for_load_state("networkidle")
        crawl.look(screen)
    # Its offers are Acme's alone, and its tracking link is on Acme's tracking domain
    page.goto("/my/offers")
    expect(page.locator("[data-testid^=my-offer-link-]").first).to_be_visible()
    assert "Weekend trips" not in page.inner_text("body")
    page.get_by_test_id(f"my-offer-link-{own_offer['id']}").click()
    built = page.get_by_test_id("linkbuilder-url").inner_text()
    assert built.startswith(f"{tracking}/click?o="), built
    # which sends a visitor on to the offer's landing (asked as a browser asks: *.localhost is this
    # machine, the Host header names the domain)
    opener = urllib.request.build_opener(NoRedirect)
    parts = urlsplit(built)
    visit = urllib.request.Request(
        f"{platform.url}{parts.path}?{parts.query}",
        headers={"host": parts.netloc, "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0"},
    )
    with pytest.raises(urllib.error.HTTPError) as followed:
        opener.open(visit, timeout=20)
    assert followed.value.code == 302
    assert urlsplit(followed.value.headers["location"]).hostname == "demo-shop.example"

    # Then nothing it met names the platform
    crawl.mail(platform, AFFILIATE)
    assert any(where.startswith("e-mail") for where, _ in crawl.seen)
    assert any(where.startswith("script") for where, _ in crawl.seen)
    assert crawl.naming(name) == []
    context.close()

    # And on the platform's own address, once it applied to its other advertiser, it has both
    second = demo["second_advertiser"]
    own = sign_in_by_api(platform, AFFILIATE, PASSWORD)
    api(platform, "POST", f"/api/join/{second['registration_link'].rsplit('/', 1)[1]}", token=own)
    owner = next(login for login in demo["logins"] if login["role"] == "owner")
    staff = sign_in_by_api(platform, owner["email"], owner["password"])
    query = f"?advertiser_id={second['id']}"
    api(platform, "PATCH", f"/api/memberships/{applied['affiliate_id']}{query}", {"status": "active"}, staff)
    elsewhere = browser.new_context(
        base_url=platform.url, viewport={"width": 1280, "height": 860}, locale="en-US"
    )
    other = elsewhere.new_page()
    other.goto("/sign-in")
    other.get_by_test_id("signin-email").fill(AFFILIATE)
    other.get_by_test_id("signin-password").fill(PASSWORD)
    other.get_by_test_id("signin-submit").click()
    expect(other.get_by_test_id("nav-dashboard")).to_be_visible()
    other.goto("/memberships")
    expect(other.get_by_text(second["name"])).to_be_visible()
    expect(other.get_by_text(demo["advertiser"]["name"])).to_be_visible()
    elsewhere.close()
