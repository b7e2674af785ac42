"""Landing and fallback URLs: the host is fixed when the offer is saved, and no control character
ever reaches a visitor's `Location` (issue 14, items 13 and 14)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerka.common import http
from partnerka.common.errors import ValidationFailed
from partnerka.offers.destinations import destination_problem
from partnerka.offers.models import Offer
from partnerka.offers.routing import Landing, OfferStatus, PayoutModel
from partnerka.offers.service import GoalInput, OfferDraft, apply_draft
from partnerka.tracking.geo import GeoLocator
from partnerka.tracking.models import ClickRequest
from partnerka.tracking.service import RejectReason, record_click
from tests.unit.fakes import AFFILIATE, OFFER, FakeCaps, FakeClicks, FakeRoutes, affiliate_route, offer_route

NOW = datetime(2026, 11, 27, 16, 5, tzinfo=UTC)
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"

GOOD = [
    "https://shop.example/land?cid={click_id}&s={sub1}#{sub2}",
    "http://shop.example:8080/{sub1}/{sub2}",
    "HTTPS://Shop.Example/?a={affiliate_id}",
    "https://магазин.рф/?c={click_id}",
    "https://[2001:db8::1]:443/?c={click_id}",
    "https://shop.example?c={click_id}",
]
BAD = {
    "https://{sub1}/x": "host",
    "https://{sub1}": "host",
    "https://{sub1}.shop.example/": "host",
    "https://shop.example{sub1}/": "host",
    "https://shop.example:{sub1}/": "host or port",
    "https://good.example@{sub1}/": "host",
    "https://{sub1}@good.example/": "host",
    "https://good.example@evil.example/": "user",
    "https://user:pw@good.example/": "user",
    "{sub1}": "absolute http(s)",
    "//evil.example/": "absolute http(s)",
    "shop.example/land": "absolute http(s)",
    "javascript:alert(1)//https://x": "absolute http(s)",
    "ftp://shop.example/": "absolute http(s)",
    "https:/shop.example/": "absolute http(s)",
    "https:///shop.example/": "malformed host",
    "https://shop.example\\@evil.example/": "backslash",
    "https://shop.example/\r\nSet-Cookie: a=b": "control character",
    "https://shop.example/\nx": "control character",
    "https://shop.example/\tx": "control character",
    "https://shop.example/\x00": "control character",
    "https://shop.example/\u2028": "control character",
    "https://shop.example/\x85": "control character",
    "https://sh%6Fp.example/": "malformed host",
    "https://shop.example:99999/": "malformed port",
    "https://shop.example:8o/": "malformed port",
    "https://" + "a" * 2000 + ".example/": "longer",
}


@pytest.mark.parametrize("url", GOOD)
def test_macros_in_path_query_and_fragment_are_fine(url: str) -> None:
    assert destination_problem(url) is None


@pytest.mark.parametrize(("url", "says"), BAD.items())
def test_hosts_from_macros_userinfo_odd_schemes_and_control_characters_are_refused(
    url: str, says: str
) -> None:
    problem = destination_problem(url)
    assert problem is not None
    assert says in problem


def draft(landing: str, fallback: str = "") -> OfferDraft:
    goals = [GoalInput("sale", "Sale", "fixed", "1", "fixed", "2")]
    return OfferDraft("Offer", "CPA", "USD", goals, [(landing, 1)], fallback_url=fallback)


def blank_offer() -> Offer:
    return Offer(
        offer_id=OFFER,
        advertiser_id="adv",
        name="Offer",
        model=PayoutModel.CPA,
        currency="USD",
        goals=(),
        landings=(),
        status=OfferStatus.ACTIVE,
        postback_secret="s",
        created_at="2026-01-01T00:00:00.000Z",
        updated_at="2026-01-01T00:00:00.000Z",
    )


def test_saving_an_offer_names_the_field_whose_url_is_refused() -> None:
    with pytest.raises(ValidationFailed, match=r"landings\[0\]\.url: has a macro in its host"):
        apply_draft(blank_offer(), draft("https://{sub1}/x"))
    with pytest.raises(ValidationFailed, match=r"fallback_url: contains a control character"):
        apply_draft(blank_offer(), draft("https://shop.example/", "https://fb.example/\r\nX-Evil: 1"))
    saved = apply_draft(blank_offer(), draft("https://shop.example/?c={click_id}", "https://fb.example/"))
    assert saved.fallback_url == "https://fb.example/"


def visit(routes: FakeRoutes, clicks: FakeClicks, **subs: str) -> tuple[str | None, str | None]:
    request = ClickRequest(OFFER, AFFILIATE, subs, "203.0.113.9", BROWSER, "DE")
    outcome = record_click(
        request, routes, clicks, GeoLocator("/none.mmdb"), NOW, 30, FakeCaps(), lambda: 0.0
    )
    return outcome.location, outcome.reason.value if outcome.reason else None


def test_a_stored_offer_with_a_macro_host_falls_back_instead_of_redirecting_anywhere() -> None:
    # Given an offer saved before the rule, whose landing takes its host from sub1
    offer = offer_route(
        landings=(Landing("https://{sub1}/x", 1),), fallback_url="https://fb.example/?o={offer_id}"
    )
    routes, clicks = FakeRoutes([offer], [affiliate_route()]), FakeClicks()
    # When a visitor names a host of their own
    location, reason = visit(routes, clicks, sub1="evil.example")
    # Then the visitor goes to the offer's fallback, and the click says why
    assert location == f"https://fb.example/?o={OFFER}"
    assert reason == RejectReason.UNSAFE_LANDING.value
    (stored,) = clicks.items.values()
    assert stored.reason == "unsafe_landing"


def test_a_stored_fallback_that_is_unsafe_too_gives_the_plain_page() -> None:
    offer = offer_route(
        landings=(Landing("https://good.example@{sub1}/", 1),),
        fallback_url="https://fb.example/\r\nX-Evil: 1",
    )
    location, reason = visit(FakeRoutes([offer], [affiliate_route()]), FakeClicks(), sub1="evil.example")
    assert (location, reason) == (None, "unsafe_landing")


@given(st.text(max_size=30), st.text(max_size=30))
def test_no_visitor_input_changes_the_host_or_adds_a_control_character(sub1: str, sub2: str) -> None:
    offer = offer_route(landings=(Landing("https://shop.example/{sub1}?a={sub2}#{sub1}", 1),))
    location, reason = visit(FakeRoutes([offer], [affiliate_route()]), FakeClicks(), sub1=sub1, sub2=sub2)
    assert reason is None
    assert location is not None
    assert urlsplit(location).netloc == "shop.example"
    assert location.isascii()
    assert location.isprintable()


def test_a_redirect_header_is_printable_ascii_whatever_it_is_given() -> None:
    response = http.redirect("https://shop.example/магазин?q=a b\r\nSet-Cookie: x=1")
    location = response["headers"]["location"]
    assert location == (
        "https://shop.example/%D0%BC%D0%B0%D0%B3%D0%B0%D0%B7%D0%B8%D0%BD?q=a%20b%0D%0ASet-Cookie:%20x=1"
    )
    assert http.redirect("https://shop.example/?a=%20&b={c}#d")["headers"]["location"] == (
        "https://shop.example/?a=%20&b={c}#d"
    )
