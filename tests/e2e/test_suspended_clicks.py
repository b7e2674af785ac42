"""Suspension on the click path of the local platform: the affiliate's clicks go to the offer's
fallback with the reason once the route cache's lifetime has passed, and reactivation brings them back
to the landing. The suspension is written on the affiliate's profile as the accounts repository keeps
it (`status`, and `suspended_advertisers` for one program)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from partnerka_local.resources import make_client
from tests.e2e.conftest import ROUTE_CACHE_SECONDS, Platform
from tests.e2e.test_tracking_loop import BROWSER, login

pytestmark = pytest.mark.e2e

LANDING = "https://suspension-shop.example/land?c={click_id}"
FALLBACK = "https://fallback.example/away?c={click_id}"


def an_offer(client: httpx.Client, headers: dict[str, str]) -> str:
    """An offer of the demo advertiser's own (the demo offers' statistics are other tests')."""
    body = {
        "name": "Suspension check",
        "model": "CPA",
        "currency": "USD",
        "goals": [{"key": "sale", "name": "Sale", "payout_type": "fixed", "payout": "1",
                   "revenue_type": "fixed", "revenue": "2"}],
        "landings": [{"url": LANDING, "weight": 1}],
        "fallback_url": FALLBACK,
    }  # fmt: skip
    response = client.post("/api/offers", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def reason_of(client: httpx.Client, headers: dict[str, str], link: str) -> str | None:
    """Click the link; the stored click's reason (None when the visitor reached the landing)."""
    location = client.get(link).headers["location"]
    click_id = parse_qs(urlsplit(location).query)["c"][0]
    stored = client.get(f"/api/clicks/{click_id}", headers=headers)
    assert stored.status_code == 200, stored.text
    reason = stored.json()["reason"]
    assert location.startswith("https://fallback.example/" if reason else "https://suspension-shop.example/")
    return reason  # type: ignore[no-any-return]


def within_the_cache_lifetime(check: Callable[[], str | None], want: str | None) -> float:
    """Seconds until `check` answers `want`; it must within the route cache's lifetime (and some
    slack for a busy machine)."""
    started = time.monotonic()
    while (answer := check()) != want:
        assert time.monotonic() - started < ROUTE_CACHE_SECONDS + 10, f"still {answer}, not {want}"
        time.sleep(0.2)
    return time.monotonic() - started


@contextmanager
def profile_changes(platform: Platform, affiliate_id: str) -> Iterator[Callable[[str, dict[str, Any]], None]]:
    """Updates of the affiliate's profile item; whatever happens, it is left active at the end."""
    dynamodb = make_client("dynamodb", platform.runtime.aws_env["AWS_ENDPOINT_URL"])
    key = {"pk": {"S": f"AFF#{affiliate_id}"}, "sk": {"S": "PROFILE"}}
    table = platform.runtime.physical_id("CoreTable")

    def update(expression: str, values: dict[str, Any]) -> None:
        names = {"ExpressionAttributeNames": {"#status": "status"}} if "#status" in expression else {}
        dynamodb.update_item(
            TableName=table, Key=key, UpdateExpression=expression, ExpressionAttributeValues=values, **names
        )

    try:
        yield update
    finally:
        dynamodb.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="SET #status = :active REMOVE suspended_advertisers",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":active": {"S": "active"}},
        )


def test_a_suspended_affiliates_clicks_go_to_the_fallback_until_it_is_reactivated(platform: Platform) -> None:
    demo = platform.demo
    affiliate_id, advertiser_id = demo["affiliate"]["id"], demo["advertiser"]["id"]
    # A function starts at its first call (lazy workers): on a busy machine that can take a while.
    with httpx.Client(base_url=platform.url, timeout=60, headers={"user-agent": BROWSER}) as client:
        headers = login(client, demo, "advertiser")
        link = f"/click?o={an_offer(client, headers)}&a={affiliate_id}"
        assert reason_of(client, headers, link) is None
        with profile_changes(platform, affiliate_id) as update:
            # When staff suspend the affiliate in the demo advertiser's program
            update("ADD suspended_advertisers :program", {":program": {"SS": [advertiser_id]}})
            # Then, once the cache's lifetime has passed, its clicks go to the fallback with the reason
            within_the_cache_lifetime(lambda: reason_of(client, headers, link), "affiliate_suspended")
            # And reactivated, they reach the landing again
            update("DELETE suspended_advertisers :program", {":program": {"SS": [advertiser_id]}})
            within_the_cache_lifetime(lambda: reason_of(client, headers, link), None)
            # And suspended everywhere, the same
            update("SET #status = :suspended", {":suspended": {"S": "suspended"}})
            within_the_cache_lifetime(lambda: reason_of(client, headers, link), "affiliate_suspended")
            update("SET #status = :active", {":active": {"S": "active"}})
            within_the_cache_lifetime(lambda: reason_of(client, headers, link), None)
