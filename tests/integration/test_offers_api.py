"""The offers API: the advertiser's offers, affiliates' access to them, and the affiliate's view."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from partnerka.common.config import get_settings
from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.world import PASSWORD, World, build_world

OFFER = {
    "name": "Premium sneakers",
    "description": "Sneakers for runners",
    "model": "CPA",
    "currency": "USD",
    "goals": [
        {
            "key": "lead",
            "name": "Sign-up",
            "payout_type": "fixed",
            "payout": "1.5",
            "revenue_type": "fixed",
            "revenue": "2",
        },
        {
            "key": "sale",
            "name": "Order",
            "payout_type": "fixed",
            "payout": "12.50",
            "revenue_type": "fixed",
            "revenue": "20",
        },
    ],
    "landings": [
        {"url": "https://a.example/?c={click_id}", "weight": 3},
        {"url": "https://b.example/?c={click_id}", "weight": 1},
    ],
    "geo_mode": "allow",
    "geo_countries": ["us", "CA"],
    "caps": [
        {"metric": "clicks", "period": "day", "limit": "1000"},
        {"metric": "payout", "period": "month", "limit": "500"},
    ],
    "visibility": "approval",
    "hold_days": 7,
    "attribution_days": 14,
    "fallback_url": "https://fallback.example/",
}


@pytest.fixture
def setup(load_function: FunctionLoader) -> tuple[Api, World, str, str]:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    advertiser = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    affiliate = api.login(world.emails["affiliate"], PASSWORD)[
        "access_token"
    ]  # its only advertiser: in context
    return api, world, advertiser, affiliate


def test_advertiser_creates_reads_and_changes_an_offer(setup: tuple[Api, World, str, str]) -> None:
    api, _, advertiser, _ = setup
    created = api.call("POST", "/api/offers", OFFER, token=advertiser)
    assert created.status == 201, created.body
    offer = created.body
    assert offer["geo_countries"] == ["CA", "US"]
    assert offer["goals"][1]["payout"] == "12.50"
    assert offer["caps"][1] == {"metric": "payout", "period": "month", "limit": "500.00"}
    assert offer["status"] == "active"
    assert len(offer["postback_secret"]) > 20
    assert api.call("GET", f"/api/offers/{offer['id']}", token=advertiser).body == offer
    changed = api.call(
        "PATCH", f"/api/offers/{offer['id']}", {"name": "Renamed", "status": "paused"}, token=advertiser
    ).body
    assert (changed["name"], changed["status"], changed["goals"]) == ("Renamed", "paused", offer["goals"])
    rotated = api.call("POST", f"/api/offers/{offer['id']}/rotate-secret", token=advertiser).body
    assert rotated["postback_secret"] != offer["postback_secret"]
    assert [
        o["id"] for o in api.call("GET", "/api/offers", token=advertiser, status="paused").body["items"]
    ] == [offer["id"]]


@pytest.mark.parametrize(
    "change",
    [
        {"currency": "DOLLARS"},
        {"goals": []},
        {"goals": [OFFER["goals"][0], OFFER["goals"][0]]},
        {"goals": [{**OFFER["goals"][0], "payout_type": "percent", "payout": "150"}]},
        {"goals": [{**OFFER["goals"][0], "payout": "1.234"}]},
        {"goals": [{**OFFER["goals"][0], "key": "Bad Key"}]},
        {"landings": [{"url": "javascript:alert(1)", "weight": 1}]},
        {"landings": []},
        {"geo_countries": ["USA"]},
        {"geo_countries": []},
        {"caps": [{"metric": "clicks", "period": "day", "limit": "1.5"}]},
        {
            "caps": [
                {"metric": "clicks", "period": "day", "limit": "5"},
                {"metric": "clicks", "period": "day", "limit": "6"},
            ]
        },
        {"hold_days": 999},
        {"model": "CPM"},
    ],
)
def test_bad_offers_are_refused_with_a_clear_error(
    setup: tuple[Api, World, str, str], change: dict[str, Any]
) -> None:
    api, _, advertiser, _ = setup
    before = api.call("GET", "/api/offers", token=advertiser).body["items"]
    reply = api.call("POST", "/api/offers", OFFER | change, token=advertiser)
    assert reply.code == "validation_error", reply.body
    assert api.call("GET", "/api/offers", token=advertiser).body["items"] == before


def test_affiliate_sees_payouts_only_requests_access_and_gets_a_working_link(
    setup: tuple[Api, World, str, str], load_function: FunctionLoader
) -> None:
    api, world, advertiser, affiliate = setup
    offer = api.call("POST", "/api/offers", OFFER, token=advertiser).body
    private = api.call(
        "POST", "/api/offers", OFFER | {"name": "Secret deal", "visibility": "private"}, token=advertiser
    ).body
    mine = api.call("GET", "/api/my/offers", token=affiliate).body["items"]
    seen = {o["id"]: o for o in mine}
    assert private["id"] not in seen
    assert seen[offer["id"]]["access"] == "none"
    assert seen[offer["id"]]["tracking_link"] is None
    text = json.dumps(mine)
    assert "revenue" not in text
    assert offer["postback_secret"] not in text
    # It asks, the advertiser approves with its own payout for sales
    requested = api.call("POST", f"/api/my/offers/{offer['id']}/request-access", token=affiliate)
    assert requested.body["access"] == "requested"
    assert (
        api.call("POST", f"/api/my/offers/{offer['id']}/request-access", token=affiliate).code == "conflict"
    )
    (row,) = [
        r
        for r in api.call("GET", f"/api/offers/{offer['id']}/access", token=advertiser).body["items"]
        if r["affiliate_id"] == world.affiliate_id
    ]
    assert row["access"] == "requested"
    decided = api.call(
        "PUT",
        f"/api/offers/{offer['id']}/access/{world.affiliate_id}",
        {
            "access": "approved",
            "payouts": {"sale": "14"},
            "caps": [{"metric": "clicks", "period": "total", "limit": "5"}],
        },
        token=advertiser,
    ).body
    assert (decided["access"], decided["payouts"]) == ("approved", {"sale": "14.00"})
    approved = {o["id"]: o for o in api.call("GET", "/api/my/offers", token=affiliate).body["items"]}[
        offer["id"]
    ]
    assert approved["access"] == "approved"
    assert {g["key"]: g["payout"] for g in approved["goals"]} == {"lead": "1.50", "sale": "14.00"}
    link = approved["tracking_link"]
    assert link == f"{get_settings().app_base_url}/click?o={offer['id']}&a={world.affiliate_id}"
    # The link works for a visitor from an allowed country, and sends others to the fallback
    click = load_function("click")
    query = link.split("?", 1)[1] + "&" + urlencode({"sub1": "fb"})
    us = click.handler(http_event("GET", "/click", query, {"cloudfront-viewer-country": "US"}), CONTEXT)
    assert us["headers"]["location"].split("?")[0] in {"https://a.example/", "https://b.example/"}
    fr = click.handler(http_event("GET", "/click", query, {"cloudfront-viewer-country": "FR"}), CONTEXT)
    assert fr["headers"]["location"] == "https://fallback.example/"


def test_access_can_only_be_given_to_active_partners_and_for_real_goals(
    setup: tuple[Api, World, str, str],
) -> None:
    api, world, advertiser, _ = setup
    offer = api.call("POST", "/api/offers", OFFER, token=advertiser).body
    pending = api.call(
        "PUT",
        f"/api/offers/{offer['id']}/access/{world.outsider_affiliate_id}",
        {"access": "approved"},
        token=advertiser,
    )
    assert pending.code == "not_found"
    unknown_goal = api.call(
        "PUT",
        f"/api/offers/{offer['id']}/access/{world.affiliate_id}",
        {"payouts": {"install": "1"}},
        token=advertiser,
    )
    assert unknown_goal.code == "validation_error"
