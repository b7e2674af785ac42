"""The Stripe adapter against the fake Stripe (in process, on a loopback port): what it asks Stripe
for, what the advertiser's pages and charges lead to, and the events that come back over the wire
to a webhook, read by the adapter itself."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from partnerka.billing.models import (
    BillingProfile,
    Interval,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    PlatformInvoice,
)
from partnerka.billing.payments import (
    ChargeFailed,
    Checkout,
    PaymentEvent,
    PaymentEventKind,
    PaymentProviderError,
)
from partnerka.billing.stripe import DEFAULT_API_BASE_URL, StripeCredentials, StripePayments, StripeSettings
from partnerka.common.config import ConfigurationError, read_settings
from partnerka.common.errors import ValidationFailed
from partnerka_local.receiver import Receiver, running_receiver
from partnerka_local.stripe_fake import FakeStripe

SUCCESS = "https://app.partnerka.test/billing?paid={CHECKOUT_SESSION_ID}"
CANCEL = "https://app.partnerka.test/billing"


@pytest.fixture(scope="module")
def webhook() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture(scope="module")
def fake(webhook: Receiver) -> Iterator[FakeStripe]:
    with FakeStripe(webhook_url=webhook.url("/api/billing/stripe/webhook")) as started:
        yield started


@pytest.fixture
def stripe_payments(fake: FakeStripe) -> StripePayments:
    return StripePayments(lambda: StripeCredentials(fake.api_key, fake.webhook_secret), fake.url)


_invoices = iter(range(1, 10_000))


def invoice(advertiser: str = "ADV1", total: int = 14900, currency: str = "USD") -> PlatformInvoice:
    number = next(_invoices)
    return PlatformInvoice(
        invoice_id=f"subscription.{advertiser}.2026-01-{number:05d}",
        number=f"P-2026-{number:06d}",
        advertiser_id=advertiser,
        kind=InvoiceKind.SUBSCRIPTION,
        period_start="2026-01-01T00:00:00.000Z",
        period_end="2026-02-01T00:00:00.000Z",
        currency=currency,
        lines=(InvoiceLine("Pro, monthly", 1, total, total),),
        total=total,
        status=InvoiceStatus.OPEN,
        issued_at="2026-01-01T00:00:00.000Z",
        due_at="2026-01-01T00:00:00.000Z",
        plan_code="pro",
        interval=Interval.MONTH,
    )


def profile(advertiser: str = "ADV1", customer: str | None = None) -> BillingProfile:
    return BillingProfile(
        advertiser,
        legal_name="Acme LLC",
        email="billing@acme.example",
        locale="ru",
        provider_customer=customer,
    )


def events_for(
    fake: FakeStripe, webhook: Receiver, stripe_payments: StripePayments, object_id: str
) -> list[PaymentEvent | None]:
    """What reached the webhook about `object_id` (a session, intent or customer), oldest first, each
    read by the adapter from the bytes and signature the fake sent."""
    assert fake.wait_deliveries(5)
    read = []
    for request in list(webhook.requests):
        if object_id in request.body:
            read.append(
                stripe_payments.parse_webhook(request.body.encode(), request.headers["stripe-signature"])
            )
    return read


def calls_to(fake: FakeStripe, path: str) -> list[Any]:
    return [c for c in fake.calls if c.path == path]


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_BROWSER = urllib.request.build_opener(_Stay)  # built once: an opener costs tens of milliseconds


def post(url: str) -> tuple[int, str]:
    """A browser's form post that does not follow the redirect: its status and Location."""
    try:
        with _BROWSER.open(urllib.request.Request(url, data=b"", method="POST")) as answer:
            return answer.status, answer.headers.get("location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("location", "")


def paid_with_card(fake: FakeStripe, stripe_payments: StripePayments, advertiser: str) -> str:
    """An advertiser that paid its first invoice on the Checkout page: its customer, card kept."""
    page = stripe_payments.checkout(invoice(advertiser), profile(advertiser), SUCCESS, CANCEL)
    fake.pay(page.session_id)
    return page.customer


def card_of(fake: FakeStripe, page: Checkout) -> str:
    """The card a completed page saved."""
    session = fake.sessions[page.session_id]
    if session["mode"] == "setup":
        return str(fake.setup_intents[session["setup_intent"]]["payment_method"])
    return str(fake.payment_intents[session["payment_intent"]]["payment_method"])


# ---------------------------------------------------------------------- paying an invoice on the page
def test_an_invoice_is_paid_on_a_checkout_page_that_keeps_the_card(
    fake: FakeStripe, stripe_payments: StripePayments
) -> None:
    bill = invoice("ADV-CHECKOUT", total=14900, currency="USD")
    page = stripe_payments.checkout(bill, profile("ADV-CHECKOUT"), SUCCESS, CANCEL)

    assert page.url == f"{fake.url}/checkout/{page.session_id}"
    session = fake.sessions[page.session_id]
    assert (session["mode"], session["amount_total"], session["currency"]) == ("payment", 14900, "usd")
    assert session["customer"] == page.customer
    assert session["metadata"] == {"advertiser_id": "ADV-CHECKOUT", "invoice_id": bill.invoice_id}
    assert session["locale"] == "ru"
    (sent,) = [
        c.params for c in calls_to(fake, "/v1/checkout/sessions") if c.params["customer"] == page.customer
    ]
    assert sent["line_items"] == [
        {
            "quantity": "1",
            "price_data": {"currency": "usd", "unit_amount": "14900", "product_data": {"name": bill.number}},
        }
    ]
    assert sent["payment_intent_data"] == {
        "setup_future_usage": "off_session",
        "description": bill.number,
        "metadata": {"advertiser_id": "ADV-CHECKOUT", "invoice_id": bill.invoice_id},
    }
    assert sent["allowed_payment_method_types"] == ["card"]
    customer = fake.customers[page.customer]
    assert customer["metadata"] == {"advertiser_id": "ADV-CHECKOUT"}
    assert (customer["email"], customer["name"]) == ("billing@acme.example", "Acme LLC")


def test_the_page_sends_the_advertiser_back_with_the_session_and_tells_the_webhook_the_invoice_is_paid(
    fake: FakeStripe, webhook: Receiver, stripe_payments: StripePayments
) -> None:
    bill = invoice("ADV-PAYS")
    page = stripe_payments.checkout(bill, profile("ADV-PAYS"), SUCCESS, CANCEL)

    with urllib.request.urlopen(page.url) as shown:
        html = shown.read().decode()
    assert 'data-testid="fake-stripe-pay"' in html
    assert 'data-testid="fake-stripe-decline"' in html
    assert f'<a href="{CANCEL}" data-testid="fake-stripe-cancel">' in html
    assert "149.00 USD" in html
    status, location = post(f"{page.url}/pay")

    assert (status, location) == (303, f"https://app.partnerka.test/billing?paid={page.session_id}")
    intent = fake.sessions[page.session_id]["payment_intent"]
    read = events_for(fake, webhook, stripe_payments, intent)
    assert [(e.kind, e.invoice_id, e.payment_reference, e.customer) for e in read if e] == [
        (PaymentEventKind.INVOICE_PAID, bill.invoice_id, intent, page.customer),  # checkout.session.completed
        (PaymentEventKind.INVOICE_PAID, bill.invoice_id, intent, page.customer),  # payment_intent.succeeded
    ]
    assert fake.payment_intents[intent]["metadata"] == {
        "advertiser_id": "ADV-PAYS",
        "invoice_id": bill.invoice_id,
    }


def test_a_card_declined_on_the_page_fails_the_payment_and_lets_the_advertiser_try_again(
    fake: FakeStripe, webhook: Receiver, stripe_payments: StripePayments
) -> None:
    bill = invoice("ADV-DECLINED")
    page = stripe_payments.checkout(bill, profile("ADV-DECLINED"), SUCCESS, CANCEL)

    status, location = post(f"{page.url}/decline")
    assert status == 303
    with urllib.request.urlopen(urllib.parse.urljoin(fake.url, location)) as shown:
        assert "Your card was declined." in shown.read().decode()
    fake.pay(page.session_id)

    intent = fake.sessions[page.session_id]["payment_intent"]
    read = events_for(fake, webhook, stripe_payments, intent)
    assert [(e.kind, e.failure_reason) for e in read if e] == [
        (PaymentEventKind.PAYMENT_FAILED, "Your card was declined."),
        (PaymentEventKind.INVOICE_PAID, None),
        (PaymentEventKind.INVOICE_PAID, None),
    ]


def test_asking_twice_for_the_same_page_gives_the_same_session_and_another_return_url_a_new_one(
    fake: FakeStripe, stripe_payments: StripePayments
) -> None:
    bill = invoice("ADV-TWICE")
    first = stripe_payments.checkout(bill, profile("ADV-TWICE"), SUCCESS, CANCEL)
    again = stripe_payments.checkout(bill, profile("ADV-TWICE", first.customer), SUCCESS, CANCEL)
    elsewhere = stripe_payments.checkout(
        bill, profile("ADV-TWICE", first.customer), SUCCESS, "https://app.partnerka.test/usage"
    )

    assert again == first
    assert elsewhere.session_id != first.session_id
    assert elsewhere.customer == first.customer
    assert [c["metadata"] for c in fake.customers.values()].count({"advertiser_id": "ADV-TWICE"}) == 1


def test_an_advertiser_with_a_customer_keeps_it(fake: FakeStripe, stripe_payments: StripePayments) -> None:
    customer = paid_with_card(fake, stripe_payments, "ADV-KNOWN")
    before = len(fake.customers)
    page = stripe_payments.checkout(invoice("ADV-KNOWN"), profile("ADV-KNOWN", customer), SUCCESS, CANCEL)
    assert page.customer == customer
    assert len(fake.customers) == before


def test_an_invoice_with_nothing_to_pay_has_no_page(
    fake: FakeStripe, stripe_payments: StripePayments
) -> None:
    with pytest.raises(ValidationFailed):
        stripe_payments.checkout(invoice("ADV-ZERO", total=0), profile("ADV-ZERO"), SUCCESS, CANCEL)
    assert not [c for c in fake.customers.values() if c["metadata"] == {"advertiser_id": "ADV-ZERO"}]


# ---------------------------------------------------------------------- saving a card
def test_a_card_saved_on_the_setup_page_is_told_to_the_webhook_and_charged_next(
    fake: FakeStripe, webhook: Receiver, stripe_payments: StripePayments
) -> None:
    page = stripe_payments.card_setup(profile("ADV-SETUP"), SUCCESS, CANCEL)
    session = fake.sessions[page.session_id]
    assert (session["mode"], session["metadata"]) == ("setup", {"advertiser_id": "ADV-SETUP"})

    fake.pay(page.session_id)

    saved, setup_succeeded = events_for(fake, webhook, stripe_payments, page.customer)
    assert saved is not None
    assert saved == PaymentEvent(
        event_id=saved.event_id,
        kind=PaymentEventKind.CARD_SAVED,
        advertiser_id="ADV-SETUP",
        invoice_id=None,
        payment_reference=fake.sessions[page.session_id]["setup_intent"],
        customer=page.customer,
        occurred_at=saved.occurred_at,
    )
    assert setup_succeeded is None  # setup_intent.succeeded: nothing more to billing
    payment = stripe_payments.charge(invoice("ADV-SETUP"), profile("ADV-SETUP", page.customer))
    assert fake.payment_intents[payment]["payment_method"] == card_of(fake, page)


def test_the_newest_card_is_charged_unless_the_customer_has_a_default_in_stripe(
    fake: FakeStripe, stripe_payments: StripePayments
) -> None:
    paid = stripe_payments.checkout(invoice("ADV-CARDS"), profile("ADV-CARDS"), SUCCESS, CANCEL)
    fake.pay(paid.session_id)
    customer, first = paid.customer, card_of(fake, paid)
    newer = stripe_payments.card_setup(profile("ADV-CARDS", customer), SUCCESS, CANCEL)
    fake.pay(newer.session_id)
    newest = card_of(fake, newer)
    assert newest != first

    charged = stripe_payments.charge(invoice("ADV-CARDS"), profile("ADV-CARDS", customer))
    assert fake.payment_intents[charged]["payment_method"] == newest

    body = urllib.parse.urlencode({"invoice_settings[default_payment_method]": first}).encode()
    request = urllib.request.Request(
        f"{fake.url}/v1/customers/{customer}", data=body, headers={"authorization": f"Bearer {fake.api_key}"}
    )
    urllib.request.urlopen(request).close()
    charged = stripe_payments.charge(invoice("ADV-CARDS"), profile("ADV-CARDS", customer))
    assert fake.payment_intents[charged]["payment_method"] == first


# ---------------------------------------------------------------------- charging the saved card
def test_a_charge_is_an_off_session_payment_of_the_invoice_keyed_by_its_attempt(
    fake: FakeStripe, webhook: Receiver, stripe_payments: StripePayments
) -> None:
    customer = paid_with_card(fake, stripe_payments, "ADV-CHARGE")
    bill = invoice("ADV-CHARGE", total=358800, currency="EUR")

    payment = stripe_payments.charge(bill, profile("ADV-CHARGE", customer))

    intent = fake.payment_intents[payment]
    assert (intent["status"], intent["amount"], intent["currency"], intent["customer"]) == (
        "succeeded",
        358800,
        "eur",
        customer,
    )
    assert intent["metadata"] == {"advertiser_id": "ADV-CHARGE", "invoice_id": bill.invoice_id}
    (sent,) = [c for c in calls_to(fake, "/v1/payment_intents") if c.params.get("customer") == customer]
    assert (sent.params["off_session"], sent.params["confirm"]) == ("true", "true")
    assert sent.idempotency_key == f"charge.{bill.invoice_id}.0"
    read = events_for(fake, webhook, stripe_payments, payment)
    assert [(e.kind, e.invoice_id, e.payment_reference) for e in read if e] == [
        (PaymentEventKind.INVOICE_PAID, bill.invoice_id, payment)
    ]


def test_a_charge_asked_again_for_the_same_attempt_charges_once_and_the_next_attempt_charges_anew(
    fake: FakeStripe, webhook: Receiver, stripe_payments: StripePayments
) -> None:
    customer = paid_with_card(fake, stripe_payments, "ADV-RERUN")
    bill = invoice("ADV-RERUN")

    first = stripe_payments.charge(bill, profile("ADV-RERUN", customer))
    again = stripe_payments.charge(bill, profile("ADV-RERUN", customer))
    assert again == first
    assert [
        i["id"] for i in fake.payment_intents.values() if i["metadata"].get("invoice_id") == bill.invoice_id
    ] == [first]
    assert len(events_for(fake, webhook, stripe_payments, first)) == 1

    next_attempt = stripe_payments.charge(replace(bill, attempts=1), profile("ADV-RERUN", customer))
    assert next_attempt != first


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("card_declined", "Your card was declined."),
        ("insufficient_funds", "Your card has insufficient funds."),
        ("authentication_required", "Your card was declined. This transaction requires authentication."),
    ],
)
def test_a_declined_charge_returns_its_payment_and_the_failure_comes_by_webhook(
    fake: FakeStripe, webhook: Receiver, stripe_payments: StripePayments, code: str, reason: str
) -> None:
    advertiser = f"ADV-{code}"
    customer = paid_with_card(fake, stripe_payments, advertiser)
    fake.decline_charges(customer, code)
    bill = invoice(advertiser)

    payment = stripe_payments.charge(bill, profile(advertiser, customer))

    assert fake.payment_intents[payment]["status"] == "requires_payment_method"
    read = events_for(fake, webhook, stripe_payments, payment)
    assert [(e.kind, e.invoice_id, e.payment_reference, e.failure_reason) for e in read if e] == [
        (PaymentEventKind.PAYMENT_FAILED, bill.invoice_id, payment, reason)
    ]
    fake.accept_charges(customer)
    retried = stripe_payments.charge(replace(bill, attempts=1), profile(advertiser, customer))
    assert fake.payment_intents[retried]["status"] == "succeeded"


def test_a_declined_charge_asked_again_answers_the_same_failed_payment(
    fake: FakeStripe, stripe_payments: StripePayments
) -> None:
    customer = paid_with_card(fake, stripe_payments, "ADV-DECLINED-TWICE")
    fake.decline_charges(customer)
    bill = invoice("ADV-DECLINED-TWICE")
    first = stripe_payments.charge(bill, profile("ADV-DECLINED-TWICE", customer))
    assert stripe_payments.charge(bill, profile("ADV-DECLINED-TWICE", customer)) == first


def test_a_charge_without_a_card_on_file_fails_at_once_since_no_webhook_will_tell(
    fake: FakeStripe, stripe_payments: StripePayments
) -> None:
    with pytest.raises(ChargeFailed):
        stripe_payments.charge(invoice("ADV-NOCUSTOMER"), profile("ADV-NOCUSTOMER"))
    # A customer made for a page the advertiser never paid on has no card.
    page = stripe_payments.checkout(invoice("ADV-NOCARD"), profile("ADV-NOCARD"), SUCCESS, CANCEL)
    with pytest.raises(ChargeFailed):
        stripe_payments.charge(invoice("ADV-NOCARD"), profile("ADV-NOCARD", page.customer))


def test_a_card_used_on_the_page_without_keeping_it_is_not_charged_later(
    fake: FakeStripe, stripe_payments: StripePayments
) -> None:
    """The fake keeps a payment's card only when setup_future_usage asks for it, as Stripe does."""
    body = urllib.parse.urlencode(
        {
            "mode": "payment",
            "success_url": SUCCESS,
            "cancel_url": CANCEL,
            "line_items[0][quantity]": "1",
            "line_items[0][price_data][currency]": "usd",
            "line_items[0][price_data][unit_amount]": "500",
            "line_items[0][price_data][product_data][name]": "one-off",
        }
    ).encode()
    request = urllib.request.Request(
        f"{fake.url}/v1/checkout/sessions", data=body, headers={"authorization": f"Bearer {fake.api_key}"}
    )
    with urllib.request.urlopen(request) as answer:
        session = json.loads(answer.read())
    fake.pay(session["id"])
    with pytest.raises(ChargeFailed):
        stripe_payments.charge(
            invoice("ADV-ONEOFF"), profile("ADV-ONEOFF", fake.sessions[session["id"]]["customer"])
        )


# ---------------------------------------------------------------------- Stripe unavailable
def test_without_an_api_key_card_payments_are_refused_before_asking_stripe(fake: FakeStripe) -> None:
    unconfigured = StripePayments(lambda: StripeCredentials("", ""), fake.url)
    before = len(fake.calls)
    with pytest.raises(PaymentProviderError, match="not configured"):
        unconfigured.checkout(invoice(), profile(), SUCCESS, CANCEL)
    assert len(fake.calls) == before


def test_a_key_stripe_refuses_is_a_provider_error_not_a_crash(fake: FakeStripe) -> None:
    wrong = StripePayments(lambda: StripeCredentials("sk_test_wrong", fake.webhook_secret), fake.url)
    with pytest.raises(PaymentProviderError):
        wrong.card_setup(profile("ADV-WRONGKEY"), SUCCESS, CANCEL)
    assert fake.calls[-1].status == 401


# ---------------------------------------------------------------------- the fake's own rules and hooks
def test_the_fake_refuses_what_stripe_refuses_on_this_api_version(fake: FakeStripe) -> None:
    def create(path: str, fields: dict[str, str], key: str | None = None) -> tuple[int, dict[str, Any]]:
        headers = {"authorization": f"Bearer {fake.api_key}"}
        if key:
            headers["idempotency-key"] = key
        request = urllib.request.Request(
            f"{fake.url}{path}", data=urllib.parse.urlencode(fields).encode(), headers=headers
        )
        try:
            with urllib.request.urlopen(request) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    status, body = create(
        "/v1/payment_intents", {"amount": "100", "currency": "usd", "payment_method_types[0]": "card"}
    )
    assert (status, body["error"]["code"]) == (400, "payment_method_types_no_longer_supported")
    assert create("/v1/customers", {"email": "a@b.example"}, key="k-1")[0] == 200
    status, body = create("/v1/customers", {"email": "other@b.example"}, key="k-1")
    assert (status, body["error"]["type"]) == (400, "idempotency_error")
    status, body = create(
        "/v1/checkout/sessions", {"mode": "setup", "success_url": SUCCESS, "cancel_url": CANCEL}
    )
    assert (status, body["error"]["param"]) == (400, "currency")


def test_a_past_event_can_be_delivered_again_as_often_as_a_test_needs(
    fake: FakeStripe, webhook: Receiver, stripe_payments: StripePayments
) -> None:
    customer = paid_with_card(fake, stripe_payments, "ADV-REDELIVERED")
    payment = stripe_payments.charge(invoice("ADV-REDELIVERED"), profile("ADV-REDELIVERED", customer))
    (original,) = events_for(fake, webhook, stripe_payments, payment)
    assert original is not None
    (sent,) = [e for e in fake.events_of("payment_intent.succeeded") if e["data"]["object"]["id"] == payment]
    assert sent["id"] == original.event_id

    for _ in range(10):
        status, _ = post(f"{fake.url}/_control/events/{original.event_id}/resend")
        assert status == 200

    read = events_for(fake, webhook, stripe_payments, payment)
    assert read == [original] * 11
    with urllib.request.urlopen(f"{fake.url}/_control/events") as answer:
        listed = {e["id"]: e for e in json.loads(answer.read())["events"]}
    assert listed[original.event_id]["deliveries"] == [200] * 11


def test_a_customer_told_to_decline_over_http_declines(
    fake: FakeStripe, stripe_payments: StripePayments
) -> None:
    customer = paid_with_card(fake, stripe_payments, "ADV-HTTP-DECLINE")
    assert post(f"{fake.url}/_control/customers/{customer}/decline?code=insufficient_funds")[0] == 200
    payment = stripe_payments.charge(invoice("ADV-HTTP-DECLINE"), profile("ADV-HTTP-DECLINE", customer))
    assert fake.payment_intents[payment]["last_payment_error"]["code"] == "insufficient_funds"
    assert post(f"{fake.url}/_control/customers/cus_nobody/decline")[0] == 404


# ---------------------------------------------------------------------- settings
def test_the_settings_name_the_secret_and_default_to_stripes_own_api() -> None:
    settings = read_settings(StripeSettings, {"STRIPE_SECRET_ARN": "arn:aws:secretsmanager:::secret:stripe"})
    assert settings.stripe_api_base_url == DEFAULT_API_BASE_URL
    local = {"STRIPE_SECRET_ARN": "arn", "STRIPE_API_BASE_URL": "http://127.0.0.1:4010/"}
    assert read_settings(StripeSettings, local).stripe_api_base_url == "http://127.0.0.1:4010"
    with pytest.raises(ConfigurationError, match="STRIPE_SECRET_ARN"):
        read_settings(StripeSettings, {})


@pytest.mark.parametrize(
    "url", ["api.stripe.com", "ftp://api.stripe.com", "https://api.stripe.com/v1", "https://"]
)
def test_an_api_address_stripes_paths_would_not_follow_stops_the_cold_start(url: str) -> None:
    with pytest.raises(ConfigurationError, match="STRIPE_API_BASE_URL"):
        read_settings(StripeSettings, {"STRIPE_SECRET_ARN": "arn", "STRIPE_API_BASE_URL": url})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"api_key": " sk_live_1 ", "webhook_secret": "whsec_1"}',
            StripeCredentials("sk_live_1", "whsec_1"),
        ),
        ('{"api_key": "", "webhook_secret": ""}', StripeCredentials("", "")),
        ('{"api_key": 5}', StripeCredentials("", "")),
        ("not json", StripeCredentials("", "")),
        ("[]", StripeCredentials("", "")),
    ],
)
def test_the_secret_reads_as_empty_where_the_operator_has_not_filled_it_in(
    text: str, expected: StripeCredentials
) -> None:
    assert StripeCredentials.parse(text) == expected
