"""SaaS billing through the real functions: an unpaid advertiser goes past due and then suspended by
the hourly run, its dashboard answers only its billing pages (402 `subscription_inactive` elsewhere)
while its tracking links keep recording clicks, and a bank transfer the Owner records reactivates it;
Stripe's signed events pay an invoice once however often they come, and an unsigned, tampered or
non-UTF-8 delivery is refused without a 5xx."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from partnerka.billing.models import InvoiceStatus, SubscriptionState
from partnerka.billing.repository import BillingRepository
from partnerka.common import dynamo
from partnerka.common.clock import iso_millis
from partnerka_local.stripe_fake import FakeStripe
from partnerka_local.template import Template
from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event, through_edge
from tests.integration.world import PASSWORD, World, build_world


def scheduled(at: datetime) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "b6f1c1c0-0000-4000-8000-000000000001",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": iso_millis(at),
        "region": "us-east-1",
        "resources": [],
        "detail": {"at": iso_millis(at)},
    }


def on_pro_unpaid(api: Api, world: World) -> tuple[str, str]:
    """The world's advertiser chose Pro, to pay by bank transfer: its token and the open invoice."""
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    assert (
        api.call("PUT", "/api/billing/profile", {"payment_method": "bank_transfer"}, token=boss).status == 200
    )
    chosen = api.call(
        "POST", "/api/billing/subscription/change", {"plan_code": "pro", "interval": "month"}, token=boss
    )
    assert chosen.status == 200, chosen.body
    return boss, chosen.body["invoice"]["invoice_id"]


def test_a_suspended_advertiser_keeps_its_tracking_and_only_its_billing_pages_until_it_pays(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    boss, invoice_id = on_pro_unpaid(api, world)
    run = load_function("subscription_billing")
    store = BillingRepository(stack.refs["CoreTable"])

    # When its trial ends unpaid, and then the fourteen days of dunning pass
    now = datetime.now(UTC)
    run.handler(scheduled(now + timedelta(days=15)), CONTEXT)
    assert store.subscription(world.advertiser_id).state is SubscriptionState.PAST_DUE  # type: ignore[union-attr]
    assert api.call("GET", "/api/offers", token=boss).status == 200  # past due: a warning, not a lock
    run.handler(scheduled(now + timedelta(days=30)), CONTEXT)
    assert store.subscription(world.advertiser_id).state is SubscriptionState.SUSPENDED  # type: ignore[union-attr]

    # Then its dashboard answers only what lets it pay and come back
    for path in ("/api/offers", "/api/conversions", "/api/team"):
        refused = api.call("GET", path, token=boss)
        assert (refused.status, refused.code) == (402, "subscription_inactive"), (path, refused.body)
    for path in (
        "/api/billing/subscription",
        "/api/billing/invoices",
        "/api/billing/usage",
        "/api/me",
        "/api/plans",
    ):
        assert api.call("GET", path, token=boss).status == 200, path
    assert api.call("GET", "/api/billing/subscription", token=boss).body["state"] == "suspended"
    # staff still work on it
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    assert api.call("GET", "/api/offers", token=owner, advertiser_id=world.advertiser_id).status == 200

    # and its affiliates' clicks are still recorded and sent on
    query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})
    click = load_function("click").handler(
        http_event("GET", "/click", query, through_edge(stack, "DE")), CONTEXT
    )
    assert click["statusCode"] == 302
    assert click["headers"]["location"].startswith("https://shop.example/")
    clicks = [dynamo.decode(i) for i in dynamo.client().scan(TableName=stack.refs["ClicksTable"])["Items"]]
    assert [c["advertiser_id"] for c in clicks] == [world.advertiser_id]

    # When the Owner records the bank transfer: active again, the dashboard whole
    paid = api.call(
        "POST",
        f"/api/admin/billing/invoices/{world.advertiser_id}/{invoice_id}/paid",
        {"reference": "BANK-2026-77"},
        token=owner,
    )
    assert (paid.status, paid.body["status"]) == (200, "paid"), paid.body
    assert api.call("GET", "/api/billing/subscription", token=boss).body["state"] == "active"
    assert api.call("GET", "/api/offers", token=boss).status == 200


def signed(fake: FakeStripe, payload: bytes, at: int | None = None) -> str:
    stamp = at if at is not None else int(time.time())
    digest = hmac.new(
        fake.webhook_secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return f"t={stamp},v1={digest}"


def webhook(api: Api, payload: bytes, signature: str | None, base64_body: bool = False) -> Any:
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["stripe-signature"] = signature
    event = http_event(
        "POST",
        "/api/billing/stripe/webhook",
        headers=headers | {"host": "app.example"},
        body=base64.b64encode(payload).decode() if base64_body else payload.decode("utf-8"),
    )
    event["isBase64Encoded"] = base64_body
    return api.module.handler(event, CONTEXT)


def test_stripe_events_pay_an_invoice_once_and_anything_unsigned_is_refused(
    load_function: FunctionLoader, stack: Template, fake_stripe: FakeStripe
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    chosen = api.call(
        "POST", "/api/billing/subscription/change", {"plan_code": "pro", "interval": "month"}, token=boss
    ).body
    invoice_id = chosen["invoice"]["invoice_id"]
    assert chosen["checkout_url"].startswith(fake_stripe.url)  # by card: the provider's page
    event = {
        "id": "evt_e2e_paid_1",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {
            "object": {
                "id": "pi_e2e_1",
                "object": "payment_intent",
                "amount": 14900,
                "currency": "usd",
                "status": "succeeded",
                "customer": "cus_e2e_1",
                "metadata": {"advertiser_id": world.advertiser_id, "invoice_id": invoice_id},
            }
        },
    }
    payload = json.dumps(event).encode()

    # Unsigned, tampered, too old, not UTF-8: refused, nothing applied
    assert webhook(api, payload, None)["statusCode"] == 403
    assert webhook(api, payload.replace(b"14900", b"1"), signed(fake_stripe, payload))["statusCode"] == 403
    assert webhook(api, payload, signed(fake_stripe, payload, int(time.time()) - 3600))["statusCode"] == 403
    garbage = b"\xff\xfe" + payload
    assert webhook(api, garbage, signed(fake_stripe, garbage), base64_body=True)["statusCode"] == 403
    store = BillingRepository(stack.refs["CoreTable"])
    assert store.invoice(world.advertiser_id, invoice_id).status is InvoiceStatus.OPEN  # type: ignore[union-attr]

    # Signed, ten times: paid once, the subscription active
    for _ in range(10):
        assert webhook(api, payload, signed(fake_stripe, payload))["statusCode"] == 204
    invoice = store.invoice(world.advertiser_id, invoice_id)
    assert invoice is not None
    assert (invoice.status, invoice.payment_reference) == (InvoiceStatus.PAID, "pi_e2e_1")
    assert api.call("GET", "/api/billing/subscription", token=boss).body["state"] == "active"
    # and a failure told late, after the payment, changes nothing
    failed = event | {
        "id": "evt_e2e_failed_late",
        "type": "payment_intent.payment_failed",
        "data": {"object": event["data"]["object"] | {"status": "requires_payment_method"}},  # type: ignore[index]
    }
    late = json.dumps(failed).encode()
    assert webhook(api, late, signed(fake_stripe, late))["statusCode"] == 204
    assert store.invoice(world.advertiser_id, invoice_id).status is InvoiceStatus.PAID  # type: ignore[union-attr]
    assert store.subscription(world.advertiser_id).state is SubscriptionState.ACTIVE  # type: ignore[union-attr]


def test_the_owner_lists_subscriptions_sets_an_advertisers_own_terms_and_sees_them_listed(
    load_function: FunctionLoader,
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    boss, _ = on_pro_unpaid(api, world)
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]

    listed = api.call("GET", "/api/admin/subscriptions", token=owner)
    assert listed.status == 200, listed.body
    [row] = [item for item in listed.body["items"] if item["advertiser_id"] == world.advertiser_id]
    assert (row["state"], row["plan_code"], row["custom_terms"]) == ("trialing", "pro", None)
    assert row["advertiser_name"]

    # When the Owner sets the advertiser's own price and limits
    limits = {
        "clicks_per_month": 20_000_000,
        "active_offers": None,
        "approved_affiliates": None,
        "team_seats": 50,
        "custom_domains": 10,
        "white_label": True,
    }
    terms = {"currency": "USD", "monthly_price": "2500.00", "limits": limits, "note": "framework deal"}
    path = f"/api/admin/subscriptions/{world.advertiser_id}/terms"
    assert api.call("PUT", path, terms, token=owner).status == 200

    # Then the list shows them, money as decimal strings, and filters by state
    trialing = api.call("GET", "/api/admin/subscriptions", token=owner, state="trialing").body["items"]
    [row] = [item for item in trialing if item["advertiser_id"] == world.advertiser_id]
    assert row["plan_code"] == "enterprise"
    assert row["custom_terms"] == {
        "monthly_price": "2500.00",
        "limits": limits,
        "overage_per_1000": None,
        "note": "framework deal",
    }
    assert api.call("GET", "/api/admin/subscriptions", token=owner, state="active").body["items"] == []
    # an advertiser sees no one's list, its own included
    refused = api.call("GET", "/api/admin/subscriptions", token=boss)
    assert (refused.status, refused.code) == (403, "forbidden")
