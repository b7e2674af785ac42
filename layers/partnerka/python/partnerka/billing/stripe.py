"""The Stripe adapter of the payment provider port (`billing/payments.py`).

An invoice is paid on a Stripe Checkout Session (mode `payment`) that also keeps the card for the
periods to come (`setup_future_usage=off_session`); a card is saved or replaced on one in mode
`setup`; later periods are charged off-session with a PaymentIntent confirmed at once. Whatever
happens arrives on the webhook, and only there is it believed: a page's redirect back proves
nothing. Every object carries `advertiser_id` (and, for a payment, `invoice_id`) in its metadata,
so an event is read without asking Stripe anything; an event without them is someone else's (the
same Stripe account may serve other products) and is ignored.

The credentials are one Secrets Manager secret, JSON `{"api_key", "webhook_secret"}`: the secret
API key and the signing secret of the webhook endpoint (`whsec_…`). The template creates it empty;
until the operator fills it in, card payments are refused (PaymentProviderError) and the webhook
accepts nothing (InvalidSignature). The API's address is a setting (the template's
StripeApiBaseUrl): https://api.stripe.com in AWS, the local platform's fake Stripe on loopback
(partnerka_local.stripe_fake) elsewhere.

`import stripe` costs 0.15 to 0.3 s of a cold start on top of botocore and Powertools (measured on
the 2-core development machine), and the client 40 ms more at the first call: only the functions
that take payments import this module, the others see the port alone; and even there Stripe's
library is imported at the first call that needs it (a checkout, a charge, a webhook), not with the
module, since the billing API builds this adapter at cold start and most of its calls never pay.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from partnerka.billing.models import BillingProfile, PlatformInvoice
from partnerka.billing.payments import (
    ChargeFailed,
    Checkout,
    InvalidSignature,
    PaymentEvent,
    PaymentEventKind,
    PaymentProviderError,
)
from partnerka.common.clock import iso_millis
from partnerka.common.config import ConfigurationError, setting
from partnerka.common.errors import ValidationFailed
from partnerka.common.observability import logger
from partnerka.common.secrets import secret_reader

if TYPE_CHECKING:
    import stripe
    from stripe.params import CustomerCreateParams, PaymentIntentCreateParams
    from stripe.params.checkout import SessionCreateParams

DEFAULT_API_BASE_URL = "https://api.stripe.com"
WEBHOOK_TOLERANCE_SECONDS = 300  # Stripe's own default: a replayed delivery older than this is refused
# The dashboard API waits on Checkout Sessions inside its own 10-second timeout; a retry is safe,
# every POST carrying an idempotency key.
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 8.0
NETWORK_RETRIES = 1
ADVERTISER = "advertiser_id"
INVOICE = "invoice_id"


def api_base_url(name: str, value: str) -> str:
    """The Stripe API's address: http(s), a host, no path, query or fragment; no trailing slash."""
    parts = urlsplit(value)
    if (
        parts.scheme not in ("https", "http")
        or not parts.hostname
        or parts.path.strip("/")
        or parts.query
        or parts.fragment
    ):
        raise ConfigurationError(f"{name} is '{value}': the Stripe API's URL, such as {DEFAULT_API_BASE_URL}")
    return value.rstrip("/")


@dataclass(frozen=True, slots=True)
class StripeSettings:
    """What the Stripe adapter is built from: its secret and the API's address."""

    stripe_secret_arn: str
    stripe_api_base_url: str = setting(api_base_url, default=DEFAULT_API_BASE_URL)


@dataclass(frozen=True, slots=True)
class StripeCredentials:
    api_key: str
    webhook_secret: str

    @classmethod
    def parse(cls, text: str) -> StripeCredentials:
        """The secret's JSON; a value missing or of the wrong type reads as empty (not configured)."""
        try:
            raw = json.loads(text)
        except ValueError:
            raw = {}
        found = raw if isinstance(raw, dict) else {}

        def text_of(name: str) -> str:
            value = found.get(name)
            return value.strip() if isinstance(value, str) else ""

        return cls(text_of("api_key"), text_of("webhook_secret"))


def credentials_reader(read_secret: Callable[[], str]) -> Callable[[], StripeCredentials]:
    """The credentials, read at their first use (secrets.secret_reader) and kept."""
    return cache(lambda: StripeCredentials.parse(read_secret()))


class StripePayments:
    """PaymentProvider on Stripe. `http_client` is Stripe's own (by default its `requests` client
    with this module's timeouts); the API key is read at the first call, not at construction."""

    def __init__(
        self,
        credentials: Callable[[], StripeCredentials],
        api_base_url: str = DEFAULT_API_BASE_URL,
        http_client: stripe.HTTPClient | None = None,
    ) -> None:
        self._credentials = credentials
        self._api_base_url = api_base_url.rstrip("/")
        self._http_client = http_client
        self._client: stripe.StripeClient | None = None

    # ------------------------------------------------------------------ the port
    def checkout(
        self, invoice: PlatformInvoice, profile: BillingProfile, success_url: str, cancel_url: str
    ) -> Checkout:
        """A Checkout Session that pays `invoice` in full and keeps the card. Asked twice with the
        same request (a double click, a retry), Stripe answers with the same session."""
        if invoice.total <= 0:
            raise ValidationFailed(f"invoice {invoice.number} has nothing to pay")
        customer = self._customer(profile)
        metadata = {ADVERTISER: invoice.advertiser_id, INVOICE: invoice.invoice_id}
        params: SessionCreateParams = {
            "mode": "payment",
            "customer": customer,
            "allowed_payment_method_types": ["card"],
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": invoice.currency.lower(),
                        "unit_amount": invoice.total,
                        "product_data": {"name": invoice.number},
                    },
                }
            ],
            "payment_intent_data": {
                "setup_future_usage": "off_session",
                "description": invoice.number,
                "metadata": metadata,
            },
            "metadata": metadata,
            "client_reference_id": invoice.invoice_id,
            "locale": _checkout_locale(profile.locale),
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        session = self._call(
            lambda client: client.v1.checkout.sessions.create(
                params, {"idempotency_key": _request_key(f"checkout.{invoice.invoice_id}", params)}
            )
        )
        if not session.url:
            raise PaymentProviderError("Stripe returned a Checkout Session without a page")
        return Checkout(session_id=session.id, url=session.url, customer=customer)

    def card_setup(self, profile: BillingProfile, success_url: str, cancel_url: str) -> Checkout:
        """A Checkout Session in setup mode: the card saved there is the one later periods are
        charged to (the newest card wins, unless the customer has a default set in Stripe)."""
        customer = self._customer(profile)
        metadata = {ADVERTISER: profile.advertiser_id}
        params: SessionCreateParams = {
            "mode": "setup",
            "customer": customer,
            "allowed_payment_method_types": ["card"],
            "setup_intent_data": {"metadata": metadata},
            "metadata": metadata,
            "locale": _checkout_locale(profile.locale),
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        session = self._call(lambda client: client.v1.checkout.sessions.create(params))
        if not session.url:
            raise PaymentProviderError("Stripe returned a Checkout Session without a page")
        return Checkout(session_id=session.id, url=session.url, customer=customer)

    def charge(self, invoice: PlatformInvoice, profile: BillingProfile) -> str:
        """A PaymentIntent for `invoice` on the saved card, confirmed off-session; the id of the
        payment. A decline is not an error here: Stripe answers it with the PaymentIntent that
        failed, and `payment_intent.payment_failed` follows on the webhook. Only when no payment
        could be attempted at all (no card on file) does it raise ChargeFailed, since then no
        webhook will ever come.

        The idempotency key is the invoice's and its attempt's (`charge.<invoice>.<attempts>`):
        a retry after a timeout, a rerun of the billing run, never charges twice; only a failure
        the billing service has counted opens the next attempt. A retry is refused by Stripe (and
        raised as PaymentProviderError) when the card changed in between, which is what keeps an
        attempt that did go through from being charged again on the new card."""
        if profile.provider_customer is None:
            raise ChargeFailed("no card is saved for these payments")
        customer = profile.provider_customer
        card = self._saved_card(customer)
        if card is None:
            raise ChargeFailed("no card is saved for these payments")
        params: PaymentIntentCreateParams = {
            "amount": invoice.total,
            "currency": invoice.currency.lower(),
            "customer": customer,
            "payment_method": card,
            "allowed_payment_method_types": ["card"],
            "off_session": True,
            "confirm": True,
            "description": invoice.number,
            "metadata": {ADVERTISER: invoice.advertiser_id, INVOICE: invoice.invoice_id},
        }
        key = f"charge.{invoice.invoice_id}.{invoice.attempts}"
        import stripe  # at the first call that needs it (the module's docstring)

        try:
            intent = self._client_now().v1.payment_intents.create(params, {"idempotency_key": key})
        except stripe.CardError as error:
            declined = _payment_intent_of(error)
            logger.info(
                "stripe declined a charge",
                invoice_id=invoice.invoice_id,
                payment_intent=declined,
                code=error.code,
            )
            if declined is None:
                raise ChargeFailed(error.user_message or "the card was declined") from error
            return declined
        except stripe.StripeError as error:
            raise _provider_error(error) from error
        return intent.id

    def parse_webhook(self, payload: bytes, signature_header: str) -> PaymentEvent | None:
        """The event a webhook delivery carries, once its `Stripe-Signature` verifies with the
        webhook's signing secret within WEBHOOK_TOLERANCE_SECONDS (Stripe's library checks it: it is
        the same check `stripe.Webhook.construct_event` makes before it parses). The payload is then
        read as plain JSON rather than as the library's untyped StripeObject."""
        secret = self._credentials().webhook_secret
        import stripe  # at the first call that needs it (the module's docstring)

        try:
            stripe.WebhookSignature.verify_header(
                payload, signature_header, secret, WEBHOOK_TOLERANCE_SECONDS
            )
        except stripe.SignatureVerificationError as error:
            raise InvalidSignature(f"the Stripe signature does not verify: {error.user_message}") from None
        except UnicodeDecodeError:
            # Stripe signs UTF-8 JSON; bytes that are not UTF-8 cannot be what it signed.
            raise InvalidSignature("the Stripe webhook's body is not UTF-8") from None
        try:
            event = json.loads(payload)
        except ValueError:
            raise ValidationFailed("the Stripe webhook's body is not JSON") from None
        if not isinstance(event, dict):
            raise ValidationFailed("the Stripe webhook's body is not an event")
        return payment_event(event)

    # ------------------------------------------------------------------ Stripe's objects
    def _customer(self, profile: BillingProfile) -> str:
        """The advertiser's Stripe customer: the one on its billing profile, or a new one (the
        billing service keeps what the Checkout returns)."""
        if profile.provider_customer:
            return profile.provider_customer
        params: CustomerCreateParams = {"metadata": {ADVERTISER: profile.advertiser_id}}
        if profile.email:
            params["email"] = profile.email
        if profile.legal_name:
            params["name"] = profile.legal_name
        if profile.locale:
            params["preferred_locales"] = [profile.locale]
        key = _request_key(f"customer.{profile.advertiser_id}", params)
        created = self._call(lambda client: client.v1.customers.create(params, {"idempotency_key": key}))
        return created.id

    def _saved_card(self, customer: str) -> str | None:
        """The card to charge: the customer's default payment method when one is set in Stripe,
        else the newest card saved (Stripe lists a customer's payment methods newest first)."""
        found = self._call(lambda client: client.v1.customers.retrieve(customer)).to_dict()
        if found.get("deleted"):
            return None
        settings = found.get("invoice_settings") or {}
        default = _id_of(settings.get("default_payment_method"))
        if default is not None:
            return default
        cards = self._call(
            lambda client: client.v1.customers.payment_methods.list(customer, {"type": "card", "limit": 1})
        )
        return cards.data[0].id if cards.data else None

    def _call[T](self, request: Callable[[stripe.StripeClient], T]) -> T:
        """One request to Stripe; what Stripe or the network did wrong as a PaymentProviderError."""
        import stripe  # at the first call that needs it (the module's docstring)

        try:
            return request(self._client_now())
        except stripe.StripeError as error:
            raise _provider_error(error) from error

    def _client_now(self) -> stripe.StripeClient:
        if self._client is None:
            import stripe  # at the first call that needs it (the module's docstring)

            api_key = self._credentials().api_key
            if not api_key:
                raise PaymentProviderError("card payments are not configured (the Stripe secret is empty)")
            self._client = stripe.StripeClient(
                api_key,
                base_addresses={"api": self._api_base_url},
                max_network_retries=NETWORK_RETRIES,
                http_client=self._http_client
                or stripe.RequestsClient(timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)),
            )
        return self._client


def stripe_payments(settings: StripeSettings) -> StripePayments:
    """The adapter of a function's settings, its credentials read from the secret at first use."""
    return StripePayments(
        credentials_reader(secret_reader(settings.stripe_secret_arn)), settings.stripe_api_base_url
    )


# ---------------------------------------------------------------------- events
def payment_event(event: Mapping[str, Any]) -> PaymentEvent | None:
    """What a (verified) Stripe event means to billing, or None for one it does not act on.

    - `checkout.session.completed`, mode payment, paid: the invoice is paid (its PaymentIntent is
      the payment's reference); mode setup: a card is saved;
    - `payment_intent.succeeded`: the invoice is paid (both arrive for a Checkout payment: the
      billing service applies the second as the no-op it is);
    - `payment_intent.payment_failed`: a charge failed, with Stripe's reason.

    Every other type, and an object without our metadata, is None."""
    kind = event.get("type")
    data = event.get("data")
    found = data.get("object") if isinstance(data, dict) else None
    if not isinstance(kind, str) or not isinstance(found, dict):
        raise ValidationFailed("the Stripe event has no type or no object")
    metadata = found.get("metadata")
    advertiser = _text(metadata.get(ADVERTISER)) if isinstance(metadata, dict) else None
    invoice = _text(metadata.get(INVOICE)) if isinstance(metadata, dict) else None
    if advertiser is None:
        return None
    if kind == "checkout.session.completed":
        mode = found.get("mode")
        if mode == "setup":
            return _event(
                event, PaymentEventKind.CARD_SAVED, advertiser, None, found.get("setup_intent"), found
            )
        # An unpaid completion is a delayed method (not a card): its payment_intent.succeeded pays.
        if mode != "payment" or invoice is None or found.get("payment_status") != "paid":
            return None
        return _event(
            event, PaymentEventKind.INVOICE_PAID, advertiser, invoice, found.get("payment_intent"), found
        )
    if invoice is None:
        return None
    if kind == "payment_intent.succeeded":
        return _event(event, PaymentEventKind.INVOICE_PAID, advertiser, invoice, found.get("id"), found)
    if kind == "payment_intent.payment_failed":
        error = found.get("last_payment_error")
        reason = _text(error.get("message")) if isinstance(error, dict) else None
        return _event(
            event, PaymentEventKind.PAYMENT_FAILED, advertiser, invoice, found.get("id"), found, reason
        )
    return None


def _event(
    event: Mapping[str, Any],
    kind: PaymentEventKind,
    advertiser: str,
    invoice: str | None,
    reference: object,
    found: Mapping[str, Any],
    failure_reason: str | None = None,
) -> PaymentEvent:
    event_id, created = event.get("id"), event.get("created")
    if not isinstance(event_id, str) or not isinstance(created, int) or isinstance(created, bool):
        raise ValidationFailed("the Stripe event has no id or no creation time")
    return PaymentEvent(
        event_id=event_id,
        kind=kind,
        advertiser_id=advertiser,
        invoice_id=invoice,
        payment_reference=_id_of(reference),
        customer=_id_of(found.get("customer")),
        occurred_at=iso_millis(datetime.fromtimestamp(created, UTC)),
        failure_reason=failure_reason,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _id_of(value: object) -> str | None:
    """An expandable field's id: Stripe sends the id, or the object itself when it was expanded."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return _text(value)


# ---------------------------------------------------------------------- requests
def _request_key(prefix: str, params: Mapping[str, Any]) -> str:
    """An idempotency key of `prefix` and the request: the same request again gets Stripe's first
    answer, while another one (another return URL, a renamed customer) is a request of its own,
    which Stripe would otherwise refuse for 24 hours as a key reused with other parameters."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]
    return f"{prefix}.{digest}"


def _checkout_locale(locale: str) -> str:
    return locale if locale in ("en", "ru") else "auto"


def _payment_intent_of(error: stripe.StripeError) -> str | None:
    """The PaymentIntent a card error names (Stripe's error body carries the one that failed)."""
    body = error.json_body
    found = body.get("error") if isinstance(body, dict) else None
    return _id_of(found.get("payment_intent")) if isinstance(found, dict) else None


def _provider_error(error: stripe.StripeError) -> PaymentProviderError:
    logger.warning(
        "stripe request failed",
        error=type(error).__name__,
        status=error.http_status,
        code=error.code,
        request_id=error.request_id,
    )
    return PaymentProviderError(f"Stripe could not be asked: {error.user_message or type(error).__name__}")
