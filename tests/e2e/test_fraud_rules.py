"""Fraud rules in the local platform over HTTP: with a rule rejecting conversions from datacenter
clicks, a sale on a datacenter click is rejected with its reason and pays nothing (ledger and
statistics), while a sale on a residential click pays."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.e2e.conftest import Platform
from tests.e2e.test_postback_delivery import OFFER
from tests.e2e.test_tracking_loop import BROWSER, login

pytestmark = pytest.mark.e2e

# The local gateway takes a loopback caller's X-Forwarded-For as the visitor's address, as the edge's
# CloudFront-Viewer-Address is taken behind CloudFront.
DATACENTER = "3.5.140.2"  # Amazon AWS, AS16509
RESIDENTIAL = "95.24.1.1"
# A function's first request starts its worker; on a busy 2-core machine that can pass httpx's 10 s.
PATIENCE = 30


def click_from(client: httpx.Client, link: str, address: str) -> str:
    response = client.get(link, headers={"x-forwarded-for": address})
    assert response.status_code == 302, response.text
    return parse_qs(urlsplit(response.headers["location"]).query)["click_id"][0]


def eventually[T](read: Callable[[], T], done: Callable[[T], bool], what: str) -> T:
    """`read()` once `done` says so; the orchestrator and the finance worker act within seconds."""
    deadline = time.monotonic() + 20
    value = read()
    while not done(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never happened: {value}")
        time.sleep(0.3)
        value = read()
    return value


def test_a_datacenter_clicks_sale_is_rejected_by_the_rule_and_pays_nothing(platform: Platform) -> None:
    demo = platform.demo
    with httpx.Client(base_url=platform.url, timeout=PATIENCE, headers={"user-agent": BROWSER}) as client:
        advertiser = login(client, demo, "advertiser")
        created = client.post("/api/offers", json=OFFER | {"name": "Fraud rules"}, headers=advertiser)
        assert created.status_code == 201, created.text
        offer = created.json()
        # Given a rule: reject conversions from datacenter clicks
        rule = client.put(
            f"/api/fraud-rules/offers/{offer['id']}",
            json={"rules": {"datacenter": {"action": "rejected", "reason": "fraud"}}},
            headers=advertiser,
        )
        assert rule.status_code == 200, rule.text
        # When a visitor from a datacenter and one from home buy
        link = f"/click?o={offer['id']}&a={demo['affiliate']['id']}"
        sales = {}
        for txn, address in (("DC-1", DATACENTER), ("HOME-1", RESIDENTIAL)):
            click_id = click_from(client, link, address)
            reported = client.get(
                "/postback",
                params={
                    "click_id": click_id,
                    "status": "sale",
                    "txn_id": txn,
                    "secret": offer["postback_secret"],
                },
            )
            assert reported.status_code == 200, reported.text
            sales[txn] = reported.json()["conversion_id"]
        # Then the datacenter sale is rejected for fraud, saying why; the residential one waits to be paid
        today = datetime.now(UTC).date().isoformat()
        listed = client.get(
            "/api/conversions",
            params={"from": today, "to": today, "offer_id": offer["id"]},
            headers=advertiser,
        )
        assert listed.status_code == 200, listed.text
        by_txn = {c["txn_id"]: c for c in listed.json()["items"]}
        rejected, paid = by_txn["DC-1"], by_txn["HOME-1"]
        assert (rejected["status"], rejected["reason"], rejected["screening"]) == (
            "rejected",
            "fraud",
            "rejected",
        )
        assert rejected["screening_note"] == "click from a datacenter network, AS16509 (Amazon AWS)"
        assert (paid["status"], paid["screening"], paid["payout"]) == ("pending", None, "7.25")

        # And the ledger owes the affiliate the residential sale only
        def offer_books() -> dict[str, Any]:
            balances = client.get("/api/finance/balances", headers=advertiser)
            assert balances.status_code == 200, balances.text
            rows = [row for row in balances.json()["offers"] if row["offer_id"] == offer["id"]]
            return rows[0] if rows else {}

        books = eventually(offer_books, lambda row: row.get("pending") not in (None, "0.00"), "the ledger")
        assert books["pending"] == "7.25"

        # And the statistics count one sale paid and one rejected, with the one payout
        def offer_stats() -> dict[str, Any]:
            report = client.get(
                "/api/stats",
                params={"from": today, "to": today, "group_by": "offer", "offer_id": offer["id"]},
                headers=advertiser,
            )
            assert report.status_code == 200, report.text
            rows = [row for row in report.json()["rows"] if row["key"] == offer["id"]]
            return rows[0] if rows else {}

        stats = eventually(
            offer_stats, lambda row: row.get("clicks") == 2 and row.get("rejected") == 1, "stats"
        )
        assert (stats["sales"], stats["payout"]) == (1, {"USD": 725})
        assert stats["datacenter"] == 1
