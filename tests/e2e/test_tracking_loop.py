"""The whole platform through the local runtime over HTTP: click → 302 → postback → statistics."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from partnerka.common.ids import is_click_id
from tests.e2e.conftest import Platform

pytestmark = pytest.mark.e2e

# httpx's own User-Agent is a bot's, and bots are sent away from the landing.
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"


def login(client: httpx.Client, demo: dict[str, Any], role: str) -> dict[str, str]:
    """Sign in through the API like the dashboard does (the demo affiliate has one advertiser,
    so its session starts in that advertiser's context)."""
    entry = next(entry for entry in demo["logins"] if entry["role"] == role)
    response = client.post("/api/auth/login", json={"email": entry["email"], "password": entry["password"]})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


def visit(client: httpx.Client, link: str) -> str:
    response = client.get(
        link, headers={"user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148"}
    )
    assert response.status_code == 302
    params = parse_qs(urlsplit(response.headers["location"]).query)
    assert is_click_id(params["click_id"][0])
    return params["click_id"][0]


def send_postback(
    client: httpx.Client, offer: dict[str, Any], click_id: str, status: str, txn: str
) -> dict[str, Any]:
    url = offer["postback_url"].format(click_id=click_id, status=status, txn_id=txn)
    response = client.get(url)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def wait_for_stats(
    client: httpx.Client, headers: dict[str, str], offers: list[str], want: dict[str, int]
) -> dict[str, int | dict[str, int]]:
    """Today's figures of the demo offers (other tests send traffic to other offers), summed, once
    they reach `want`; the orchestrator counts within seconds."""
    today = datetime.now(UTC).date().isoformat()
    deadline = time.monotonic() + 20
    summed: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = client.get(
            "/api/stats", params={"from": today, "to": today, "group_by": "offer"}, headers=headers
        )
        assert response.status_code == 200, response.text
        rows = [row for row in response.json()["rows"] if row["key"] in offers]
        summed = {name: sum(row[name] for row in rows) for name in ("clicks", "leads", "sales")}
        # Revenue is the advertiser's: an affiliate's rows carry none
        summed["revenue"] = {"USD": sum((row["revenue"] or {}).get("USD", 0) for row in rows)}
        summed["payout"] = {"USD": sum(row["payout"].get("USD", 0) for row in rows)}
        if all(summed[name] == count for name, count in want.items()):
            return summed
        time.sleep(0.3)
    raise AssertionError(f"statistics never reached {want}: {summed}")


def test_click_postback_and_statistics_end_to_end(platform: Platform) -> None:
    runtime, demo = platform.runtime, platform.demo
    sneakers, newsletter = demo["offers"]
    with httpx.Client(base_url=runtime.url, timeout=10, headers={"user-agent": BROWSER}) as client:
        # Given a visitor on each demo link, redirected with the macros filled in
        response = client.get(sneakers["tracking_link"])
        location = urlsplit(response.headers["location"])
        query = parse_qs(location.query)
        assert (location.netloc, location.path) == ("demo-shop.example", "/sneakers")
        assert query["aff"] == [demo["affiliate"]["id"]]
        assert query["offer"] == [sneakers["id"]]
        assert query["sub1"] == ["demo"]
        assert query["sub2"] == ["banner"]
        sale_click = query["click_id"][0]
        lead_click = visit(client, newsletter["tracking_link"])
        # When the advertiser reports a sale (twice) and a lead
        first = send_postback(client, sneakers, sale_click, "sale", "ORDER-1")
        repeat = send_postback(client, sneakers, sale_click, "sale", "ORDER-1")
        send_postback(client, newsletter, lead_click, "lead", "LEAD-1")
        assert first["result"] == "recorded"
        assert repeat == {"result": "duplicate", "conversion_id": first["conversion_id"]}
        # Then the statistics count both clicks and each conversion once, money in minor units
        demo_offers = [sneakers["id"], newsletter["id"]]
        want = {"clicks": 2, "sales": 1, "leads": 1}
        totals = wait_for_stats(client, login(client, demo, "advertiser"), demo_offers, want)
        assert totals["revenue"] == {"USD": 2000 + 200}
        assert totals["payout"] == {"USD": 1250 + 120}
        # And the affiliate, in this advertiser's context, sees the same numbers, without revenue
        mine = wait_for_stats(client, login(client, demo, "affiliate"), demo_offers, want)
        assert (mine["payout"], mine["revenue"]) == ({"USD": 1370}, {"USD": 0})


def test_bad_requests_get_clear_answers_never_a_5xx(platform: Platform) -> None:
    runtime, demo = platform.runtime, platform.demo
    sneakers = demo["offers"][0]
    with httpx.Client(base_url=runtime.url, timeout=10, headers={"user-agent": BROWSER}) as client:
        unknown = client.get(
            "/click", params={"o": "01JZZZZZZZZZZZZZZZZZZZZZZZ", "a": demo["affiliate"]["id"]}
        )
        assert unknown.status_code == 404
        assert "text/html" in unknown.headers["content-type"]
        assert client.get("/click?o=%ff%fe&a=%00").status_code == 404
        click_id = visit(client, sneakers["tracking_link"])
        forged = client.get("/postback", params={"click_id": click_id, "status": "sale", "secret": "guess"})
        missing = client.post(
            "/postback", data={"click_id": "6f1c9b8e-3f57-4c2a-9d43-2b1f0e6a7c55", "status": "sale"}
        )
        # A wrong secret learns no more than an unknown click does
        assert forged.status_code == missing.status_code == 404
        assert forged.json() == missing.json()
        assert forged.json()["error"]["code"] == "click_not_found"
        assert client.get("/api/stats", params={"from": "2026-01-01", "to": "2026-01-02"}).status_code == 401
        assert client.get("/api/openapi.json").json()["info"]["title"] == "Partnerka API"
