"""Affiliate postbacks in the local platform over HTTP: click → advertiser's postback → the
affiliate's tracker (a receiver on loopback) gets every event with every macro filled, and how long
that takes."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from urllib.parse import urlencode

import httpx
import pytest

from partnerka_local.receiver import Received, Receiver, running_receiver
from tests.e2e.conftest import Platform
from tests.e2e.test_tracking_loop import BROWSER, login, visit

pytestmark = pytest.mark.e2e

MACROS = (
    "/pb?cid={click_id}&aff={affiliate_id}&adv={advertiser_id}&off={offer_id}&st={status}&pay={payout}"
    "&cur={currency}&ts={timestamp}&eid={event_id}&why={reason}"
    + "".join(f"&s{i}={{sub{i}}}" for i in range(1, 11))
)
OFFER = {
    "name": "Postback loop",
    "model": "CPA",
    "currency": "USD",
    "goals": [
        {
            "key": "sale",
            "name": "Sale",
            "payout_type": "fixed",
            "payout": "7.25",
            "revenue_type": "fixed",
            "revenue": "11",
        }
    ],
    "landings": [{"url": "https://shop.example/?click_id={click_id}", "weight": 1}],
}
CONVERSIONS = 5


def arrival(receiver: Receiver, matches: Callable[[Received], bool], timeout: float = 30) -> Received:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with receiver.lock:
            found = next((r for r in receiver.requests if matches(r)), None)
        if found is not None:
            return found
        time.sleep(0.02)
    raise AssertionError("the postback never arrived")


def test_every_event_reaches_the_affiliates_tracker_with_its_macros(platform: Platform) -> None:
    demo = platform.demo
    affiliate_id, advertiser_id = demo["affiliate"]["id"], demo["advertiser"]["id"]
    with (
        running_receiver() as receiver,
        httpx.Client(base_url=platform.url, timeout=10, headers={"user-agent": BROWSER}) as client,
    ):
        advertiser, affiliate = login(client, demo, "advertiser"), login(client, demo, "affiliate")
        created = client.post("/api/offers", json=OFFER, headers=advertiser)
        assert created.status_code == 201, created.text
        offer = created.json()
        saved = client.put(
            "/api/postback-settings",
            json={"url": receiver.url(MACROS), "events": ["click", "sale"]},
            headers=affiliate,
        )
        assert saved.status_code == 200, saved.text
        subs = {f"sub{i}": f"v{i} ü&" for i in range(1, 11)}
        link = f"/click?{urlencode({'o': offer['id'], 'a': affiliate_id, **subs})}"
        to_click_postback, to_sale_postback = [], []
        try:
            for n in range(CONVERSIONS):
                clicked = time.monotonic()
                click_id = visit(client, link)
                arrival(receiver, lambda r, c=click_id: r.query.get("eid") == f"{c}.click")
                to_click_postback.append(time.monotonic() - clicked)

                converted = time.monotonic()
                reported = client.get(
                    "/postback",
                    params={
                        "click_id": click_id,
                        "status": "sale",
                        "txn_id": f"PB-{n}",
                        "secret": offer["postback_secret"],
                    },
                )
                assert reported.status_code == 200, reported.text
                conversion_id = reported.json()["conversion_id"]
                sale = arrival(receiver, lambda r, c=conversion_id: r.query.get("eid") == f"{c}.sale")
                to_sale_postback.append(time.monotonic() - converted)
        finally:
            # Later tests send demo traffic; this receiver will be gone.
            client.put("/api/postback-settings", json={"url": "", "events": ["sale"]}, headers=affiliate)

        assert sale.query["cid"] == click_id
        assert (sale.query["aff"], sale.query["adv"], sale.query["off"]) == (
            affiliate_id,
            advertiser_id,
            offer["id"],
        )
        assert (sale.query["st"], sale.query["pay"], sale.query["cur"], sale.query["why"]) == (
            "sale",
            "7.25",
            "USD",
            "",
        )
        assert abs(int(sale.query["ts"]) - time.time()) < 60
        assert {f"sub{i}": sale.query[f"s{i}"] for i in range(1, 11)} == subs
        assert len(receiver.requests) == 2 * CONVERSIONS  # one click and one sale postback each, no copies

        log = client.get("/api/deliveries", params={"event": "sale"}, headers=affiliate).json()["items"]
        mine = [d for d in log if d["offer_id"] == offer["id"]]
        assert len(mine) == CONVERSIONS
        assert {(d["status"], d["attempts"]) for d in mine} == {("success", 1)}

    print(
        f"\nconversion → affiliate postback in the local platform ({CONVERSIONS} conversions): "
        f"median {statistics.median(to_sale_postback) * 1000:.0f} ms, max {max(to_sale_postback) * 1000:.0f} ms; "
        f"click → click postback: median {statistics.median(to_click_postback) * 1000:.0f} ms, "
        f"max {max(to_click_postback) * 1000:.0f} ms"
    )
