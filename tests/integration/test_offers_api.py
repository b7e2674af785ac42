"""The offers API: the advertiser's offers, affiliates' access to them, and the affiliate's view."""

from __future__ import annotations

import json
import os
import re
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event, through_edge
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


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"landings": [{"url": "https://{sub1}/x", "weight": 1}]}, "landings[0].url"),
        ({"landings": [OFFER["landings"][0], {"url": "https://good.example@{sub1}/", "weight": 1}]},
         "landings[1].url"),
        ({"landings": [{"url": "https://shop.example:{sub2}/", "weight": 1}]}, "landings[0].url"),
        ({"landings": [{"url": "javascript:alert(1)", "weight": 1}]}, "landings[0].url"),
        ({"landings": [{"url": "https://shop.example/\r\nSet-Cookie: a=b", "weight": 1}]}, "landings[0].url"),
        ({"fallback_url": "https://fb.example/?x=1\r\nLocation: https://evil.example/"}, "fallback_url"),
        ({"fallback_url": "https://{sub1}/"}, "fallback_url"),
    ],
)  # fmt: skip
def test_landing_and_fallback_urls_with_a_visitor_chosen_host_or_line_breaks_are_refused_naming_the_field(
    setup: tuple[Api, World, str, str], change: dict[str, Any], field: str
) -> None:
    api, _, advertiser, _ = setup
    created = api.call("POST", "/api/offers", OFFER | change, token=advertiser)
    assert (created.status, created.code) == (400, "validation_error"), created.body
    assert created.body["error"]["message"].startswith(f"{field}: ")
    offer = api.call("POST", "/api/offers", OFFER, token=advertiser).body
    patched = api.call("PATCH", f"/api/offers/{offer['id']}", change, token=advertiser)
    assert (patched.status, patched.code) == (400, "validation_error"), patched.body
    assert api.call("GET", f"/api/offers/{offer['id']}", token=advertiser).body == offer


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
    assert link == f"{os.environ['APP_BASE_URL']}/click?o={offer['id']}&a={world.affiliate_id}"
    # The link works for a visitor from an allowed country, and sends others to the fallback
    click = load_function("click")
    query = link.split("?", 1)[1] + "&" + urlencode({"sub1": "fb"})
    us = click.handler(http_event("GET", "/click", query, through_edge(load_function.stack, "US")), CONTEXT)
    assert us["headers"]["location"].split("?")[0] in {"https://a.example/", "https://b.example/"}
    fr = click.handler(http_event("GET", "/click", query, through_edge(load_function.stack, "FR")), CONTEXT)
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


PERCENT_FORM = re.compile(r"^\d{1,3}(?:\.\d{1,2})?$")  # what the dashboard's offer form accepts


def test_percentage_payouts_round_trip_through_get_and_put_as_plain_decimals(
    setup: tuple[Api, World, str, str],
) -> None:
    api, world, advertiser, affiliate = setup
    goals = [
        {"key": "sale", "name": "Sale", "payout_type": "percent", "payout": "10",
         "revenue_type": "percent", "revenue": "20"},
        {"key": "vip", "name": "VIP", "payout_type": "percent", "payout": "12.5",
         "revenue_type": "percent", "revenue": "100"},
    ]  # fmt: skip
    offer = api.call(
        "POST", "/api/offers", OFFER | {"model": "RevShare", "goals": goals, "visibility": "public"},
        token=advertiser,
    ).body  # fmt: skip
    read = api.call("GET", f"/api/offers/{offer['id']}", token=advertiser).body
    amounts = [(g["payout"], g["revenue"]) for g in read["goals"]]
    assert amounts == [("10", "20"), ("12.5", "100")]
    assert all(PERCENT_FORM.match(text) for pair in amounts for text in pair)
    # The edit form sends back what it read: the offer saves unchanged
    fields = {k: v for k, v in read.items() if k in OFFER}
    saved = api.call("PATCH", f"/api/offers/{offer['id']}", fields, token=advertiser)
    assert saved.status == 200, saved.body
    assert saved.body["goals"] == read["goals"]
    # An affiliate's own percentage, set by PUT and read back, saves again as read
    path = f"/api/offers/{offer['id']}/access/{world.affiliate_id}"
    put = api.call("PUT", path, {"access": "approved", "payouts": {"sale": "30"}}, token=advertiser)
    assert put.body["payouts"] == {"sale": "30"}
    (row,) = [
        r
        for r in api.call("GET", f"/api/offers/{offer['id']}/access", token=advertiser).body["items"]
        if r["affiliate_id"] == world.affiliate_id
    ]
    assert row["payouts"] == {"sale": "30"}
    again = api.call("PUT", path, {"payouts": row["payouts"]}, token=advertiser)
    assert again.status == 200, again.body
    assert again.body["payouts"] == {"sale": "30"}
    seen = {o["id"]: o for o in api.call("GET", "/api/my/offers", token=affiliate).body["items"]}
    assert [g["payout"] for g in seen[offer["id"]]["goals"]] == ["30", "12.5"]
