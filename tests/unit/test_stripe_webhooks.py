"""Stripe's webhooks: a delivery is believed only when its signature verifies with the endpoint's
signing secret within five minutes, and it means to billing only what our objects' metadata say.

The events are signed here with plain HMAC (the fake Stripe's signer), never with Stripe's library,
so the adapter's verification is checked against an independent implementation of the scheme."""

from __future__ import annotations

import ast
import json
import time
from typing import Any

import pytest

from partnerka.billing.payments import InvalidSignature, PaymentEvent, PaymentEventKind
from partnerka.billing.stripe import StripeCredentials, StripePayments, payment_event
from partnerka.common.errors import ValidationFailed
from partnerka_local.stripe_fake import sign
from tests.conftest import ROOT

SECRET = "whsec_test_0123456789abcdef"
CREATED = 1767225600  # 2026-01-01T00:00:00Z
OURS = {"advertiser_id": "ADV1", "invoice_id": "subscription.ADV1.2026-01-01"}


def payments(webhook_secret: str = SECRET) -> StripePayments:
    return StripePayments(lambda: StripeCredentials("sk_test_unused", webhook_secret))


def event(kind: str, found: dict[str, Any], event_id: str = "evt_1") -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": CREATED,
        "livemode": False,
        "type": kind,
        "data": {"object": found},
    }


def checkout_session(
    mode: str = "payment", metadata: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return {
        "id": "cs_test_1",
        "object": "checkout.session",
        "mode": mode,
        "status": "complete",
        "payment_status": "paid" if mode == "payment" else "no_payment_required",
        "customer": "cus_1",
        "payment_intent": "pi_1" if mode == "payment" else None,
        "setup_intent": "seti_1" if mode == "setup" else None,
        "metadata": OURS if metadata is None else metadata,
        **fields,
    }


def payment_intent(metadata: dict[str, str] | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "id": "pi_1",
        "object": "payment_intent",
        "amount": 14900,
        "currency": "usd",
        "customer": "cus_1",
        "status": "succeeded",
        "last_payment_error": None,
        "metadata": OURS if metadata is None else metadata,
        **fields,
    }


def signed(body: dict[str, Any] | bytes, secret: str = SECRET, at: int | None = None) -> tuple[bytes, str]:
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()
    return payload, sign(payload, secret, int(time.time()) if at is None else at)


# ---------------------------------------------------------------------- what an event means
def test_a_paid_checkout_pays_its_invoice_with_its_payment_intent_as_the_reference() -> None:
    found = payment_event(event("checkout.session.completed", checkout_session()))
    assert found == PaymentEvent(
        event_id="evt_1",
        kind=PaymentEventKind.INVOICE_PAID,
        advertiser_id="ADV1",
        invoice_id="subscription.ADV1.2026-01-01",
        payment_reference="pi_1",
        customer="cus_1",
        occurred_at="2026-01-01T00:00:00.000Z",
    )


def test_a_completed_setup_page_saves_the_card_for_no_invoice() -> None:
    setup = checkout_session("setup", metadata={"advertiser_id": "ADV1"})
    found = payment_event(event("checkout.session.completed", setup))
    assert found is not None
    assert (found.kind, found.advertiser_id, found.invoice_id) == (PaymentEventKind.CARD_SAVED, "ADV1", None)
    assert (found.customer, found.payment_reference) == ("cus_1", "seti_1")


def test_a_checkout_completed_but_not_yet_paid_waits_for_its_payment_intent() -> None:
    unpaid = checkout_session(payment_status="unpaid")
    assert payment_event(event("checkout.session.completed", unpaid)) is None


def test_a_succeeded_payment_intent_pays_its_invoice() -> None:
    found = payment_event(event("payment_intent.succeeded", payment_intent(), "evt_2"))
    assert found is not None
    assert (found.event_id, found.kind, found.invoice_id, found.payment_reference) == (
        "evt_2",
        PaymentEventKind.INVOICE_PAID,
        "subscription.ADV1.2026-01-01",
        "pi_1",
    )


def test_a_failed_payment_intent_fails_its_invoice_with_stripes_reason() -> None:
    failed = payment_intent(
        status="requires_payment_method",
        last_payment_error={
            "type": "card_error",
            "code": "card_declined",
            "message": "Your card was declined.",
        },
    )
    found = payment_event(event("payment_intent.payment_failed", failed))
    assert found is not None
    assert found.kind is PaymentEventKind.PAYMENT_FAILED
    assert (found.invoice_id, found.payment_reference) == ("subscription.ADV1.2026-01-01", "pi_1")
    assert found.failure_reason == "Your card was declined."


def test_expanded_references_are_read_by_their_ids() -> None:
    expanded = checkout_session(
        payment_intent={"id": "pi_9", "object": "payment_intent"}, customer={"id": "cus_9"}
    )
    found = payment_event(event("checkout.session.completed", expanded))
    assert found is not None
    assert (found.payment_reference, found.customer) == ("pi_9", "cus_9")


@pytest.mark.parametrize(
    ("kind", "found"),
    [
        ("setup_intent.succeeded", {"id": "seti_1", "object": "setup_intent", "metadata": OURS}),
        ("charge.succeeded", {"id": "ch_1", "object": "charge", "metadata": OURS}),
        ("payment_intent.created", payment_intent(status="requires_payment_method")),
        ("checkout.session.expired", checkout_session(status="expired", payment_status="unpaid")),
        ("customer.created", {"id": "cus_1", "object": "customer", "metadata": {"advertiser_id": "ADV1"}}),
    ],
)
def test_events_billing_does_not_act_on_mean_nothing(kind: str, found: dict[str, Any]) -> None:
    assert payment_event(event(kind, found)) is None


@pytest.mark.parametrize(
    ("kind", "found"),
    [
        ("payment_intent.succeeded", payment_intent(metadata={})),
        ("payment_intent.succeeded", payment_intent(metadata={"invoice_id": "subscription.X.2026-01-01"})),
        ("payment_intent.payment_failed", payment_intent(metadata={"advertiser_id": "ADV1"})),
        ("checkout.session.completed", checkout_session(metadata={"order": "42"})),
        ("checkout.session.completed", checkout_session(metadata={"advertiser_id": "ADV1"})),
        ("checkout.session.completed", checkout_session(metadata={"advertiser_id": "", "invoice_id": "x"})),
    ],
)
def test_objects_without_our_metadata_are_someone_elses(kind: str, found: dict[str, Any]) -> None:
    assert payment_event(event(kind, found)) is None


@pytest.mark.parametrize(
    "broken",
    [
        {"id": "evt_1", "created": CREATED, "type": "payment_intent.succeeded"},
        {"id": "evt_1", "created": CREATED, "data": {"object": payment_intent()}},
        {"created": CREATED, "type": "payment_intent.succeeded", "data": {"object": payment_intent()}},
        {
            "id": "evt_1",
            "created": "yesterday",
            "type": "payment_intent.succeeded",
            "data": {"object": payment_intent()},
        },
    ],
)
def test_an_event_of_ours_that_is_not_whole_is_refused(broken: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        payment_event(broken)


# ---------------------------------------------------------------------- signatures
def test_a_delivery_signed_with_the_endpoints_secret_is_read() -> None:
    payload, header = signed(event("payment_intent.succeeded", payment_intent()))
    found = payments().parse_webhook(payload, header)
    assert found is not None
    assert found.kind is PaymentEventKind.INVOICE_PAID


def test_a_delivery_whose_body_was_changed_after_signing_is_refused() -> None:
    payload, header = signed(event("payment_intent.succeeded", payment_intent()))
    tampered = payload.replace(b'"amount": 14900', b'"amount": 1')
    assert tampered != payload
    with pytest.raises(InvalidSignature):
        payments().parse_webhook(tampered, header)


def test_a_delivery_signed_with_another_secret_is_refused() -> None:
    payload, header = signed(event("payment_intent.succeeded", payment_intent()), secret="whsec_someone_else")
    with pytest.raises(InvalidSignature):
        payments().parse_webhook(payload, header)


def test_a_delivery_signed_more_than_five_minutes_ago_is_refused_as_a_replay() -> None:
    body = event("payment_intent.succeeded", payment_intent())
    payload, stale = signed(body, at=int(time.time()) - 301)
    with pytest.raises(InvalidSignature):
        payments().parse_webhook(payload, stale)
    payload, recent = signed(body, at=int(time.time()) - 240)
    assert payments().parse_webhook(payload, recent) is not None


def test_a_signature_among_others_of_a_rolled_secret_verifies() -> None:
    """Stripe signs with the old and the new secret for a while after the endpoint's secret rolls."""
    payload, header = signed(event("payment_intent.succeeded", payment_intent()))
    _, old = signed(payload, secret="whsec_old")
    rolled = f"{header},v1={old.split('v1=')[1]}"
    assert payments().parse_webhook(payload, rolled) is not None


@pytest.mark.parametrize("header", ["", "t=abc,v1=00", "v1=00", "t=1767225600", "garbage", "t=1,v0=00"])
def test_a_missing_or_malformed_signature_header_is_refused(header: str) -> None:
    payload, _ = signed(event("payment_intent.succeeded", payment_intent()))
    with pytest.raises(InvalidSignature):
        payments().parse_webhook(payload, header)


def test_nothing_verifies_until_the_operator_fills_in_the_signing_secret() -> None:
    payload, header = signed(event("payment_intent.succeeded", payment_intent()), secret="")
    with pytest.raises(InvalidSignature):
        payments(webhook_secret="").parse_webhook(payload, header)


def test_bytes_that_are_not_utf8_are_refused_as_unsigned() -> None:
    payload, header = signed(b'{"id": "evt_1", "type": "\xff\xfe"}')
    with pytest.raises(InvalidSignature):
        payments().parse_webhook(payload, header)


@pytest.mark.parametrize("body", [b"not json at all", b"", b"[1, 2, 3]", b'"an event"', b"{"])
def test_a_signed_body_that_is_not_an_event_is_refused_as_invalid(body: bytes) -> None:
    payload, header = signed(body)
    with pytest.raises(ValidationFailed):
        payments().parse_webhook(payload, header)


# ---------------------------------------------------------------------- cold starts
def test_only_the_stripe_adapter_imports_stripes_library() -> None:
    """`import stripe` costs a quarter of a second at cold start: the port and everything else in
    the domain package stay free of it, so only the functions that take payments pay for it."""
    package = ROOT / "layers" / "partnerka" / "python" / "partnerka"
    importers = set()
    for path in package.rglob("*.py"):
        source = path.read_text()
        if "stripe" not in source:  # parsing the whole package would cost the test half a second
            continue
        for node in ast.walk(ast.parse(source)):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            if any(n == "stripe" or n.startswith("stripe.") for n in names):
                importers.add(path.relative_to(package).as_posix())
    assert importers == {"billing/stripe.py"}
