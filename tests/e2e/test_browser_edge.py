"""The dashboard under the edge's headers: the local platform answers with the response headers
policy of template.yaml (its gateway plays CloudFront), so these run under the production CSP.

- every screen a signed-in person reaches loads with no console error and no CSP violation;
- a foreign page cannot frame the sign-in form;
- the headers, the dashboard's routing and its files' Cache-Control are the edge's."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, expect

from partnerka_local.edge import IMMUTABLE, NEVER_STALE, edge_headers
from partnerka_local.resources import name_bucket
from partnerka_local.template import Template
from tests.conftest import ROOT
from tests.e2e.conftest import Platform
from tests.e2e.test_browser_onboarding import new_context, sign_in
from tests.e2e.test_browser_postbacks import credentials

pytestmark = pytest.mark.e2e

# Counts CSP violations in the page itself (Playwright's init scripts are not subject to the CSP).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def policy_headers(platform: Platform) -> dict[str, str]:
    """The template's response headers policy for the local platform's stack: its buckets' names, and
    the brand bucket where the emulator serves it (the dashboard posts brand images there)."""
    template = Template(ROOT / "template.yaml", platform.runtime.stack_name)
    for bucket in template.of_type("AWS::S3::Bucket"):
        name_bucket(template, bucket, template.resources[bucket].get("Properties") or {})
    return dict(edge_headers(template, platform.runtime.aws_env["AWS_ENDPOINT_URL"]))


class Watched:
    """A page whose console errors, uncaught errors and CSP violations are collected."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.in_flight = 0
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("request", lambda _: self._count(1))
        page.on("requestfinished", lambda _: self._count(-1))
        page.on("requestfailed", lambda _: self._count(-1))

    def _count(self, change: int) -> None:
        self.in_flight += change

    def settle(self, quiet_ms: int = 250, limit_ms: int = 15_000) -> None:
        """Until no request of the page has been under way for `quiet_ms` (a screen's data is in)."""
        quiet = waited = 0
        while quiet < quiet_ms and waited < limit_ms:
            self.page.wait_for_timeout(50)
            waited += 50
            quiet = quiet + 50 if self.in_flight <= 0 else 0

    def open(self, path: str) -> None:
        """A screen of the page, reached as its links reach it (the router, no reload)."""
        self.page.evaluate(
            "(path) => { history.pushState({}, '', path); dispatchEvent(new PopStateEvent('popstate')); }",
            path,
        )
        self.settle()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def violations(self) -> list[Any]:
        try:
            return list(self.page.evaluate("window.__violations || []"))
        except Error:
            return []


def test_every_screen_loads_under_the_production_csp(browser: Browser, platform: Platform) -> None:
    """Every screen of the sidebar, each once, as the first of the roles that has it."""
    seen: set[str] = set()
    for role in ("advertiser", "affiliate", "owner"):
        context = new_context(browser, platform)
        try:
            watched = Watched(context.new_page())
            page = watched.page
            sign_in(page, *credentials(platform, role))
            # The refresh token is out of the page's reach: an HttpOnly cookie, nothing in storage;
            # a reload gets the session back through that cookie.
            page.reload()
            expect(page.get_by_test_id("nav-dashboard")).to_be_visible()
            readable = str(page.evaluate("document.cookie"))
            assert "pk_csrf=" in readable
            assert "pk_refresh" not in readable
            assert page.evaluate("JSON.stringify(Object.assign({}, localStorage))").find("refresh") == -1
            names = {c["name"]: c for c in context.cookies()}
            assert names["pk_refresh"]["httpOnly"] is True
            assert (names["pk_refresh"]["sameSite"], names["pk_refresh"]["path"]) == ("Strict", "/api/auth")
            links = page.locator('[data-testid^="nav-"]')
            targets = {str(links.nth(i).get_attribute("href")) for i in range(links.count())}
            assert len(targets) >= 5, targets
            for target in sorted(targets - seen):
                watched.open(target)
                expect(page).to_have_url(re.compile(re.escape(target) + r"(\?.*)?$"))
                assert watched.violations() == [], f"{role} at {target}"
            seen |= targets
            if role == "advertiser":
                # A form with a select (Radix: a portal, a positioned popper, a scroll lock that
                # adds a style element)
                watched.open("/offers")
                page.get_by_test_id("offers-create").click()
                page.get_by_test_id("offer-geo-mode").click()
                expect(page.get_by_role("listbox")).to_be_visible()
                page.keyboard.press("Escape")
            assert watched.errors == [], f"{role}: {watched.errors}"
            assert watched.violations() == []
            if role == "owner":
                # A refresh the server refuses (a revoked or forged token) is forgotten: the page
                # drops the CSRF cookie, so later loads do not ask again
                forged = {"name": "pk_refresh", "value": "forged", "domain": "127.0.0.1", "path": "/api/auth"}
                context.add_cookies([{**forged, "httpOnly": True, "secure": True, "sameSite": "Strict"}])
                page.reload()
                expect(page.get_by_test_id("signin-email")).to_be_visible()
                assert "pk_csrf" not in {c["name"] for c in context.cookies()}
            if role == "affiliate":
                # Signing out ends the refresh chain and removes both cookies: a reload stays out
                page.get_by_test_id("user-menu").click()
                page.get_by_test_id("sign-out").click()
                expect(page).to_have_url(re.compile(r"/sign-in$"))
                assert {c["name"] for c in context.cookies()} & {"pk_refresh", "pk_csrf"} == set()
                page.reload()
                expect(page.get_by_test_id("signin-email")).to_be_visible()
        finally:
            context.close()


def test_the_theme_is_applied_before_the_app_by_a_script_the_csp_allows(
    browser: Browser, platform: Platform
) -> None:
    context = new_context(browser, platform)
    try:
        watched = Watched(context.new_page())
        page = watched.page
        page.goto("/sign-in")
        page.evaluate("localStorage.setItem('pk.theme', 'dark')")
        page.reload()
        expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
        assert watched.errors == []
        assert watched.violations() == []
    finally:
        context.close()


def test_a_foreign_page_cannot_frame_the_sign_in_form(browser: Browser, platform: Platform) -> None:
    context = new_context(browser, platform)
    try:
        page = context.new_page()
        refusals: list[str] = []
        page.on("console", lambda m: refusals.append(m.text) if "frame-ancestors" in m.text else None)
        page.set_content(
            f'<iframe id="victim" src="{platform.url}/sign-in" width="600" height="400"></iframe>'
        )
        page.wait_for_timeout(1500)
        frames = [f for f in page.frames if f != page.main_frame]
        assert frames, "the iframe was not created"
        for frame in frames:
            assert frame.query_selector('[data-testid="signin-email"]') is None
        assert any("frame-ancestors 'none'" in text for text in refusals), refusals
    finally:
        context.close()


def fetch(platform: Platform, path: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(f"{platform.url}{path}", timeout=15) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_every_answer_carries_the_edge_headers_and_the_dashboard_is_routed_as_the_edge_routes_it(
    platform: Platform,
) -> None:
    expected = {name.lower(): value for name, value in policy_headers(platform).items()}
    assert "frame-ancestors 'none'" in expected["content-security-policy"]
    brand_bucket = (
        f"{platform.runtime.aws_env['AWS_ENDPOINT_URL']}/{platform.runtime.physical_id('BrandBucket')}"
    )
    assert f"connect-src 'self' {brand_bucket};" in expected["content-security-policy"]
    assert "script-src 'self';" in expected["content-security-policy"]
    assert expected["x-frame-options"] == "DENY"
    assert expected["x-content-type-options"] == "nosniff"
    assert expected["strict-transport-security"].startswith("max-age=")
    assert expected["referrer-policy"] == "strict-origin-when-cross-origin"

    status, headers, body = fetch(platform, "/offers/some-offer")  # a route of the page
    assert status == 200
    assert b'<div id="root">' in body
    assert headers["cache-control"] == NEVER_STALE
    for name, value in expected.items():
        assert headers.get(name) == value, name
    script = re.search(rb'src="(/assets/[^"]+\.js)"', body)
    assert script is not None
    status, headers, _ = fetch(platform, script.group(1).decode())
    assert (status, headers["cache-control"]) == (200, IMMUTABLE)
    assert headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert fetch(platform, "/assets/no-such-file.js")[0] == 404  # a missing file is not the page

    status, headers, _ = fetch(platform, "/api/health")  # the API's answers carry them too
    assert status == 200
    for name, value in expected.items():
        assert headers.get(name) == value, name
    status, headers, _ = fetch(platform, "/click?o=nothing&a=nobody")  # and the tracker's
    for name, value in expected.items():
        assert headers.get(name) == value, name
