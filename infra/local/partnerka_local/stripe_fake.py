"""A fake Stripe API on loopback: the local platform's card payments, and the tests'.

The functions are pointed at it by the template's StripeApiBaseUrl, with the API key and webhook
signing secret the runtime writes into StripeSecret. It answers the part of Stripe's API that the
billing adapter (partnerka.billing.stripe) calls, as Stripe does: form-encoded requests with
bracketed keys, JSON objects back, errors as `{"error": {"type", "code", "message", ...}}` with
Stripe's statuses (402 for a declined card, with the PaymentIntent that failed), the secret key
checked, idempotency keys honoured (the first answer replayed; the key reused with other
parameters refused), and the API version's rules the adapter must keep to (no
`payment_method_types` since 2026-09-30). Everything is kept in memory.

The hosted page of a Checkout Session is `GET /checkout/<session>`, with a "Pay" and a "Decline"
button (`data-testid` fake-stripe-pay and fake-stripe-decline) and a link back to the cancel URL
(fake-stripe-cancel). Pay completes the session: the card is saved on the customer, the signed
events (`checkout.session.completed`, then `payment_intent.succeeded` or `setup_intent.succeeded`)
are sent to `webhook_url` one after the other, and the browser is sent to the success URL (with
`{CHECKOUT_SESSION_ID}` filled in, as Stripe does). Decline sends `payment_intent.payment_failed`
(`setup_intent.setup_failed` on a setup page) and shows the page again with Stripe's message.

An off-session PaymentIntent (`confirm=true`) succeeds unless its customer was told to decline;
its event goes out a moment later from a thread of its own, as Stripe's do after its answer.
Events are signed as Stripe signs them, with plain HMAC here (never Stripe's library, so that the
adapter's verification is checked against an independent signer): `Stripe-Signature:
t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the signing secret>`.

Test hooks (no key needed, loopback only):
- `POST /_control/customers/<id>/decline?code=card_declined|insufficient_funds|authentication_required`:
  the customer's off-session charges are declined from now on; `DELETE` on it lets them through;
- `POST /_control/events/<id>/resend`: the event delivered again (signed anew, as Stripe's retries
  are), answered with `{"status": <the webhook's status>}`;
- `GET /_control/events`: every event, oldest first, with the status of each delivery.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import html
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

API_VERSION = "2026-10-28.endive"  # the version the fake's objects and rules follow
SESSION_LIFETIME = 24 * 3600
DELIVERY_TIMEOUT = 30.0
_DECLINES = {
    "card_declined": ("generic_decline", "Your card was declined."),
    "insufficient_funds": ("insufficient_funds", "Your card has insufficient funds."),
    "authentication_required": (
        "authentication_required",
        "Your card was declined. This transaction requires authentication.",
    ),
}
_ZERO_DECIMAL = frozenset({"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"})  # fmt: skip
_WEB = ("http://", "https://")
_CURRENCY = re.compile(r"^[a-z]{3}$")
_KEY_PART = re.compile(r"\[([^\]]*)\]")

Answer = tuple[int, dict[str, Any]]


class StripeFailure(Exception):
    """An answer of Stripe's API that is an error: its status and `{"error": {...}}` body."""

    def __init__(self, status: int, kind: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"error": {"type": kind, "message": message, **extra}}


def _invalid(message: str, param: str | None = None, code: str | None = None) -> StripeFailure:
    extra = {k: v for k, v in (("param", param), ("code", code)) if v is not None}
    return StripeFailure(400, "invalid_request_error", message, **extra)


def _missing(kind: str, object_id: str, param: str) -> StripeFailure:
    return StripeFailure(
        404 if param == "id" else 400,
        "invalid_request_error",
        f"No such {kind}: '{object_id}'",
        code="resource_missing",
        param=param,
    )


def decode_form(body: str) -> dict[str, Any]:
    """Stripe's form encoding (`metadata[a]=1`, `line_items[0][quantity]=1`) as nested dicts and
    lists; every leaf stays the string it was sent as."""
    tree: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = [key.split("[", 1)[0], *_KEY_PART.findall(key)]
        node = tree
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise _invalid(f"Invalid value for {key}", param=key)
            node = child
        node[parts[-1]] = value
    listed = _as_lists(tree)
    assert isinstance(listed, dict)
    return listed


def _as_lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(k.isdigit() for k in node):
        return [_as_lists(node[k]) for k in sorted(node, key=int)]
    return {k: _as_lists(v) for k, v in node.items()}


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` header of `payload` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass
class _Plan:
    """What a Checkout Session was asked for beyond its public object: the line's name and the
    intents' metadata, and the PaymentIntent or SetupIntent of its attempts so far."""

    line_name: str = ""
    intent_metadata: dict[str, str] = field(default_factory=dict)
    description: str = ""
    setup_future_usage: str | None = None  # a payment's card is kept on the customer only when asked
    payment_intent: str | None = None
    setup_intent: str | None = None


@dataclass
class ApiCall:
    """A request the API answered, as sent (for tests that check what the adapter asked for)."""

    method: str
    path: str
    params: dict[str, Any]
    idempotency_key: str | None
    status: int


@dataclass
class Delivery:
    event_id: str
    status: int | None  # the webhook's HTTP status; 0: no answer; None: no webhook URL to send to
    at: float = field(default_factory=time.time)


class FakeStripe:
    """Stripe's API for one account (the key `api_key`); started on a free loopback port."""

    def __init__(
        self,
        port: int = 0,
        api_key: str = "",
        webhook_secret: str = "",
        webhook_url: str = "",
        log_file: Path | None = None,
    ) -> None:
        self.api_key = api_key or f"sk_test_{secrets.token_hex(12)}"
        self.webhook_secret = webhook_secret or f"whsec_{secrets.token_hex(16)}"
        self.webhook_url = webhook_url
        self.log_file = log_file
        self.customers: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.payment_intents: dict[str, dict[str, Any]] = {}
        self.setup_intents: dict[str, dict[str, Any]] = {}
        self.payment_methods: dict[str, dict[str, Any]] = {}
        self.events: dict[str, dict[str, Any]] = {}
        self.deliveries: list[Delivery] = []
        self.calls: list[ApiCall] = []
        self._plans: dict[str, _Plan] = {}
        self._declines: dict[str, str] = {}
        self._replies: dict[str, tuple[str, int, dict[str, Any]]] = {}  # idempotency key → answer
        self._senders: list[threading.Thread] = []
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-stripe", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeStripe:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ test hooks
    def decline_charges(self, customer: str, code: str = "card_declined") -> None:
        if code not in _DECLINES:
            raise ValueError(f"the fake declines with {sorted(_DECLINES)} only")
        with self._lock:
            if customer not in self.customers:
                raise KeyError(customer)
            self._declines[customer] = code

    def accept_charges(self, customer: str) -> None:
        with self._lock:
            self._declines.pop(customer, None)

    def resend(self, event_id: str) -> int | None:
        """Deliver a past event again, signed anew; the webhook's status."""
        with self._lock:
            event = self.events[event_id]
        return self._deliver(event)

    def events_of(self, kind: str) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(e) for e in self.events.values() if e["type"] == kind]

    def wait_deliveries(self, timeout: float = 10.0) -> bool:
        """True once every event sent from a thread (off-session charges) has been delivered."""
        deadline = time.monotonic() + timeout
        with self._lock:
            senders = list(self._senders)
        for sender in senders:
            sender.join(max(deadline - time.monotonic(), 0))
        return not any(s.is_alive() for s in senders)

    def signature(self, payload: bytes, timestamp: int | None = None) -> str:
        return sign(payload, self.webhook_secret, int(time.time()) if timestamp is None else timestamp)

    # ------------------------------------------------------------------ the hosted page
    def pay(self, session_id: str) -> str:
        """The advertiser pays (or saves a card) on the page: the session completes, its events are
        delivered in order, and the URL the browser goes to next comes back."""
        with self._lock:
            session = self._session(session_id)
            target = str(session["success_url"]).replace("{CHECKOUT_SESSION_ID}", session_id)
            if session["status"] != "open":
                return target
            plan = self._plans[session_id]
            customer = session["customer"] or self._new_customer({})["id"]
            kept = session["mode"] == "setup" or plan.setup_future_usage is not None
            card = self._new_card(customer if kept else None)
            session["customer"] = customer
            session["status"] = "complete"
            if session["mode"] == "payment":
                intent = self._checkout_intent(session, plan)
                intent.update(
                    status="succeeded", customer=customer, payment_method=card, last_payment_error=None
                )
                intent["latest_charge"] = _new_id("ch")
                session.update(payment_status="paid", payment_intent=intent["id"])
                events = [
                    self._event("checkout.session.completed", session),
                    self._event("payment_intent.succeeded", intent),
                ]
            else:
                setup = self._checkout_setup(session, plan)
                setup.update(
                    status="succeeded", customer=customer, payment_method=card, last_setup_error=None
                )
                session["setup_intent"] = setup["id"]
                events = [
                    self._event("checkout.session.completed", session),
                    self._event("setup_intent.succeeded", setup),
                ]
        for event in events:
            self._deliver(event)
        return target

    def decline(self, session_id: str, code: str = "card_declined") -> None:
        """The card on the page is declined: the session stays open for another try."""
        decline_code, message = _DECLINES[code]
        error = {"type": "card_error", "code": code, "decline_code": decline_code, "message": message}
        with self._lock:
            session = self._session(session_id)
            if session["status"] != "open":
                return
            plan = self._plans[session_id]
            if session["mode"] == "payment":
                intent = self._checkout_intent(session, plan)
                intent.update(status="requires_payment_method", last_payment_error=error)
                event = self._event("payment_intent.payment_failed", intent)
            else:
                setup = self._checkout_setup(session, plan)
                setup.update(status="requires_payment_method", last_setup_error=error)
                event = self._event("setup_intent.setup_failed", setup)
        self._deliver(event)

    def _checkout_intent(self, session: dict[str, Any], plan: _Plan) -> dict[str, Any]:
        """The session's PaymentIntent, made at its first attempt and kept for the next ones."""
        if plan.payment_intent is None:
            intent = self._new_intent(
                amount=session["amount_total"],
                currency=session["currency"],
                customer=session["customer"],
                metadata=plan.intent_metadata,
                description=plan.description,
            )
            intent["setup_future_usage"] = plan.setup_future_usage
            plan.payment_intent = intent["id"]
        return self.payment_intents[plan.payment_intent]

    def _checkout_setup(self, session: dict[str, Any], plan: _Plan) -> dict[str, Any]:
        if plan.setup_intent is None:
            setup_id = _new_id("seti")
            self.setup_intents[setup_id] = {
                "id": setup_id,
                "object": "setup_intent",
                "created": int(time.time()),
                "customer": session["customer"],
                "metadata": dict(plan.intent_metadata),
                "payment_method": None,
                "status": "requires_payment_method",
                "usage": "off_session",
                "last_setup_error": None,
                "livemode": False,
            }
            plan.setup_intent = setup_id
        return self.setup_intents[plan.setup_intent]

    def _session(self, session_id: str) -> dict[str, Any]:
        session = self.sessions.get(session_id)
        if session is None:
            raise _missing("checkout.session", session_id, "id")
        return session

    # ------------------------------------------------------------------ the API
    def _answer(self, method: str, path: str, params: dict[str, Any]) -> Answer:
        parts = path.strip("/").split("/")
        with self._lock:
            match method, parts:
                case "POST", ["v1", "customers"]:
                    return 200, self._new_customer(params)
                case "GET", ["v1", "customers", customer]:
                    return 200, self._customer(customer, "id")
                case "POST", ["v1", "customers", customer]:
                    return 200, self._update_customer(customer, params)
                case "GET", ["v1", "customers", customer, "payment_methods"]:
                    return 200, self._cards_of(customer, params)
                case "POST", ["v1", "checkout", "sessions"]:
                    return 200, self._new_session(params)
                case "GET", ["v1", "checkout", "sessions", session_id]:
                    return 200, self._session(session_id)
                case "POST", ["v1", "payment_intents"]:
                    return self._create_intent(params)
                case "GET", ["v1", "payment_intents", intent_id]:
                    if intent_id not in self.payment_intents:
                        raise _missing("payment_intent", intent_id, "id")
                    return 200, self.payment_intents[intent_id]
        raise StripeFailure(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path}).")

    def _customer(self, customer: str, param: str) -> dict[str, Any]:
        found = self.customers.get(customer)
        if found is None:
            raise _missing("customer", customer, param)
        return found

    def _new_customer(self, params: dict[str, Any]) -> dict[str, Any]:
        customer_id = _new_id("cus")
        self.customers[customer_id] = {
            "id": customer_id,
            "object": "customer",
            "created": int(time.time()),
            "email": params.get("email"),
            "name": params.get("name"),
            "metadata": _metadata(params),
            "preferred_locales": params.get("preferred_locales") or [],
            "invoice_settings": {"default_payment_method": None},
            "livemode": False,
        }
        return self.customers[customer_id]

    def _update_customer(self, customer: str, params: dict[str, Any]) -> dict[str, Any]:
        found = self._customer(customer, "id")
        for name in ("email", "name"):
            if name in params:
                found[name] = params[name] or None
        found["metadata"].update(_metadata(params))
        settings = params.get("invoice_settings")
        if isinstance(settings, dict) and "default_payment_method" in settings:
            card = settings["default_payment_method"] or None
            if card is not None and self.payment_methods.get(card, {}).get("customer") != customer:
                raise _missing("PaymentMethod", card, "invoice_settings[default_payment_method]")
            found["invoice_settings"]["default_payment_method"] = card
        return found

    def _cards_of(self, customer: str, params: dict[str, Any]) -> dict[str, Any]:
        self._customer(customer, "customer")
        limit = _whole(params.get("limit", "10"), "limit")
        cards = sorted(
            (m for m in self.payment_methods.values() if m["customer"] == customer),
            key=lambda m: m["_order"],
            reverse=True,  # newest first, as Stripe lists them
        )
        if params.get("type") not in (None, "card"):
            cards = []
        return {
            "object": "list",
            "url": f"/v1/customers/{customer}/payment_methods",
            "has_more": len(cards) > limit,
            "data": [_public(m) for m in cards[:limit]],
        }

    def _new_card(self, customer: str | None) -> str:
        card_id = _new_id("pm")
        self.payment_methods[card_id] = {
            "id": card_id,
            "object": "payment_method",
            "type": "card",
            "created": int(time.time()),
            "customer": customer,
            "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2034},
            "livemode": False,
            "_order": len(self.payment_methods),  # created seconds tie: the order they were saved in
        }
        return card_id

    def _new_session(self, params: dict[str, Any]) -> dict[str, Any]:
        if "payment_method_types" in params:
            raise _invalid(
                "payment_method_types is no longer supported: use allowed_payment_method_types.",
                param="payment_method_types",
                code="payment_method_types_no_longer_supported",
            )
        mode = params.get("mode")
        if mode not in ("payment", "setup"):
            raise _invalid("Invalid mode: must be one of payment, setup", param="mode")
        for url in ("success_url", "cancel_url"):
            required = url == "success_url"  # without a cancel_url the page has no way back
            if (required or url in params) and not str(params.get(url, "")).startswith(_WEB):
                raise _invalid(f"Not a valid URL: {url}", param=url)
        customer = params.get("customer")
        if customer is not None:
            self._customer(customer, "customer")
        plan = _Plan()
        amount: int | None = None
        currency = params.get("currency")
        if mode == "payment":
            amount, currency, plan.line_name = _priced_line(params.get("line_items"))
            intent_data = params.get("payment_intent_data") or {}
            plan.intent_metadata = _metadata(intent_data)
            plan.description = str(intent_data.get("description") or "")
            plan.setup_future_usage = intent_data.get("setup_future_usage")
        else:
            if currency is None and not params.get("allowed_payment_method_types"):
                raise _invalid(
                    "currency is required in setup mode when allowed_payment_method_types is not set.",
                    param="currency",
                )
            plan.intent_metadata = _metadata(params.get("setup_intent_data") or {})
        session_id = _new_id("cs_test")
        created = int(time.time())
        self.sessions[session_id] = {
            "id": session_id,
            "object": "checkout.session",
            "created": created,
            "expires_at": created + SESSION_LIFETIME,
            "mode": mode,
            "status": "open",
            "payment_status": "unpaid" if mode == "payment" else "no_payment_required",
            "customer": customer,
            "client_reference_id": params.get("client_reference_id"),
            "metadata": _metadata(params),
            "amount_total": amount,
            "currency": currency,
            "locale": params.get("locale"),
            "payment_intent": None,
            "setup_intent": None,
            "success_url": params["success_url"],
            "cancel_url": params.get("cancel_url"),
            "url": f"{self.url}/checkout/{session_id}",
            "livemode": False,
        }
        self._plans[session_id] = plan
        return self.sessions[session_id]

    def _new_intent(
        self, amount: int, currency: str, customer: str | None, metadata: dict[str, str], description: str
    ) -> dict[str, Any]:
        intent_id = _new_id("pi")
        self.payment_intents[intent_id] = {
            "id": intent_id,
            "object": "payment_intent",
            "created": int(time.time()),
            "amount": amount,
            "currency": currency,
            "customer": customer,
            "description": description or None,
            "metadata": dict(metadata),
            "payment_method": None,
            "status": "requires_payment_method",
            "last_payment_error": None,
            "latest_charge": None,
            "setup_future_usage": None,
            "livemode": False,
        }
        return self.payment_intents[intent_id]

    def _create_intent(self, params: dict[str, Any]) -> Answer:
        if "payment_method_types" in params:
            raise _invalid(
                "payment_method_types is no longer supported: use allowed_payment_method_types.",
                param="payment_method_types",
                code="payment_method_types_no_longer_supported",
            )
        amount = _whole(params.get("amount"), "amount")
        if amount < 1:
            raise _invalid("This value must be greater than or equal to 1.", param="amount")
        currency = str(params.get("currency", ""))
        if not _CURRENCY.match(currency):
            raise _invalid(f"Invalid currency: {currency}", param="currency")
        customer = params.get("customer")
        if customer is not None:
            self._customer(customer, "customer")
        card = params.get("payment_method")
        if card is not None and (
            card not in self.payment_methods or self.payment_methods[card]["customer"] != customer
        ):
            raise _missing("PaymentMethod", card, "payment_method")
        confirm = params.get("confirm") == "true"
        if params.get("off_session") not in (None, "false") and not confirm:
            raise _invalid("off_session can only be used with confirm=true.", param="off_session")
        if confirm and card is None:
            raise _invalid(
                "You cannot confirm this PaymentIntent because it's missing a payment method.",
                code="payment_intent_unexpected_state",
            )
        intent = self._new_intent(
            amount, currency, customer, _metadata(params), str(params.get("description") or "")
        )
        intent["payment_method"] = card
        if not confirm:
            intent["status"] = "requires_confirmation"
            return 200, intent
        declined = self._declines.get(customer or "")
        if declined is None:
            intent.update(status="succeeded", latest_charge=_new_id("ch"))
            self._send_later(self._event("payment_intent.succeeded", intent))
            return 200, intent
        decline_code, message = _DECLINES[declined]
        error = {"type": "card_error", "code": declined, "decline_code": decline_code, "message": message}
        intent["last_payment_error"] = error
        self._send_later(self._event("payment_intent.payment_failed", intent))
        failure = StripeFailure(
            402,
            "card_error",
            message,
            code=declined,
            decline_code=decline_code,
            payment_intent=copy.deepcopy(intent),
        )
        return failure.status, failure.body

    # ------------------------------------------------------------------ events
    def _event(self, kind: str, found: dict[str, Any]) -> dict[str, Any]:
        event_id = _new_id("evt")
        self.events[event_id] = {
            "id": event_id,
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": kind,
            "data": {"object": _public(found)},
        }
        return self.events[event_id]

    def _send_later(self, event: dict[str, Any]) -> None:
        sender = threading.Thread(
            target=self._deliver, args=(event,), name="fake-stripe-webhook", daemon=True
        )
        self._senders = [s for s in self._senders if s.is_alive()]
        self._senders.append(sender)
        sender.start()

    def _deliver(self, event: dict[str, Any]) -> int | None:
        status: int | None = None
        if self.webhook_url:
            payload = json.dumps(event).encode()
            request = urllib.request.Request(  # noqa: S310 - the local platform's webhook
                self.webhook_url,
                data=payload,
                headers={
                    "content-type": "application/json; charset=utf-8",
                    "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                    "stripe-signature": self.signature(payload),
                },
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=DELIVERY_TIMEOUT) as answer:  # noqa: S310
                    status = int(answer.status)
            except urllib.error.HTTPError as error:
                status = int(error.code)
            except OSError:
                status = 0
        delivery = Delivery(event["id"], status)
        with self._lock:
            self.deliveries.append(delivery)
            if self.log_file is not None:
                with self.log_file.open("a") as log:
                    entry = {"event": event["id"], "type": event["type"], "status": status, "at": delivery.at}
                    log.write(json.dumps(entry) + "\n")
        return status

    def _control(self, method: str, path: str, query: dict[str, str]) -> Answer:
        parts = path.strip("/").split("/")
        match method, parts:
            case "POST", ["_control", "customers", customer, "decline"]:
                try:
                    self.decline_charges(customer, query.get("code", "card_declined"))
                except ValueError as error:
                    return 400, {"error": str(error)}
                except KeyError:
                    return 404, {"error": f"no customer {customer}"}
                return 200, {"ok": True}
            case "DELETE", ["_control", "customers", customer, "decline"]:
                self.accept_charges(customer)
                return 200, {"ok": True}
            case "POST", ["_control", "events", event_id, "resend"]:
                if event_id not in self.events:
                    return 404, {"error": f"no event {event_id}"}
                return 200, {"status": self.resend(event_id)}
            case "GET", ["_control", "events"]:
                with self._lock:
                    sent: dict[str, list[int | None]] = {}
                    for delivery in self.deliveries:
                        sent.setdefault(delivery.event_id, []).append(delivery.status)
                    return 200, {
                        "events": [
                            {"id": e["id"], "type": e["type"], "deliveries": sent.get(e["id"], [])}
                            for e in self.events.values()
                        ]
                    }
        return 404, {"error": f"no control {method} {path}"}

    # ------------------------------------------------------------------ HTTP
    def _page(self, session_id: str, declined: str | None) -> tuple[int, str]:
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None:
                return 404, _html("Not found", "<p>This checkout page does not exist.</p>")
            plan = self._plans[session_id]
            title = plan.line_name or "Save a card"
            cancel = session["cancel_url"]
            if session["status"] != "open":
                done = html.escape(str(session["success_url"]).replace("{CHECKOUT_SESSION_ID}", session_id))
                return 200, _html(title, f'<p>This page is complete.</p><a href="{done}">Continue</a>')
            if session["mode"] == "payment":
                price = _amount(session["amount_total"], session["currency"])
                label, summary = f"Pay {price}", f'<p data-testid="fake-stripe-amount">{price}</p>'
            else:
                label, summary = "Save card", "<p>A card for the payments to come.</p>"
        notice = ""
        if declined in _DECLINES:
            message = html.escape(_DECLINES[declined][1])
            notice = f'<p role="alert" data-testid="fake-stripe-declined">{message}</p>'
        body = (
            f"<h1>{html.escape(title)}</h1>{summary}{notice}"
            f'<form method="post" action="/checkout/{session_id}/pay">'
            f'<button type="submit" data-testid="fake-stripe-pay">{html.escape(label)}</button></form>'
            f'<form method="post" action="/checkout/{session_id}/decline">'
            '<button type="submit" data-testid="fake-stripe-decline">Decline</button></form>'
        )
        if cancel:
            body += f'<a href="{html.escape(cancel, quote=True)}" data-testid="fake-stripe-cancel">Back</a>'
        return 200, _html(title, body)

    def _authorised(self, header: str | None) -> bool:
        return hmac.compare_digest(header or "", f"Bearer {self.api_key}")

    def _replayed(self, key: str, fingerprint: str, run: Callable[[], Answer]) -> Answer:
        """Stripe's idempotency: the first answer to a key is the answer to every retry with the
        same parameters; the key with others is refused. Requests refused as invalid keep nothing."""
        with self._lock:
            kept = self._replies.get(key)
            if kept is not None:
                if kept[0] != fingerprint:
                    raise StripeFailure(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters they "
                        f"were first used with. Try using a key other than '{key}' if you meant to "
                        "execute a different request.",
                    )
                return kept[1], kept[2]
            status, body = run()
            if status not in (400, 401, 404):
                self._replies[key] = (fingerprint, status, copy.deepcopy(body))
            return status, body

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: Any, content_type: str = "application/json") -> None:
                payload = (body if isinstance(body, str) else json.dumps(body)).encode()
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _redirect(self, location: str) -> None:
                self.send_response(303)
                self.send_header("location", location)
                self.send_header("content-length", "0")
                self.end_headers()

            def _route(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path.startswith("/_control/"):
                    self._send(*fake._control(method, parts.path, query))
                elif parts.path.startswith("/checkout/"):
                    self._checkout(method, parts.path, query)
                elif parts.path.startswith("/v1/"):
                    self._api(method, parts.path, parts.query if method == "GET" else raw)
                else:
                    self._send(404, {"error": "not found"})

            def _checkout(self, method: str, path: str, query: dict[str, str]) -> None:
                match method, path.strip("/").split("/"):
                    case "GET", ["checkout", session_id]:
                        self._send(*fake._page(session_id, query.get("declined")), "text/html; charset=utf-8")
                    case "POST", ["checkout", session_id, "pay"] if session_id in fake.sessions:
                        self._redirect(fake.pay(session_id))
                    case "POST", ["checkout", session_id, "decline"] if session_id in fake.sessions:
                        fake.decline(session_id)
                        self._redirect(f"/checkout/{session_id}?declined=card_declined")
                    case _:
                        self._send(*fake._page("", None), "text/html; charset=utf-8")

            def _api(self, method: str, path: str, form: str) -> None:
                if not fake._authorised(self.headers.get("authorization")):
                    with fake._lock:
                        fake.calls.append(ApiCall(method, path, {}, None, 401))
                    self._send(
                        401,
                        {
                            "error": {
                                "type": "invalid_request_error",
                                "message": "Invalid API Key provided.",
                            }
                        },
                    )
                    return
                params: dict[str, Any] = {}
                key = self.headers.get("idempotency-key")
                try:
                    params = decode_form(form)
                    if method == "POST" and key:
                        fingerprint = f"{path}?{json.dumps(params, sort_keys=True)}"
                        status, body = fake._replayed(
                            key, fingerprint, lambda: fake._answer(method, path, params)
                        )
                    else:
                        status, body = fake._answer(method, path, params)
                except StripeFailure as failure:
                    status, body = failure.status, failure.body
                with fake._lock:
                    fake.calls.append(ApiCall(method, path, params, key, status))
                self._send(status, body)

            def do_GET(self) -> None:
                self._route("GET")

            def do_POST(self) -> None:
                self._route("POST")

            def do_DELETE(self) -> None:
                self._route("DELETE")

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


# ---------------------------------------------------------------------- objects
def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _public(found: dict[str, Any]) -> dict[str, Any]:
    """An object as Stripe shows it: a copy without the fake's own bookkeeping."""
    return {k: copy.deepcopy(v) for k, v in found.items() if not k.startswith("_")}


def _metadata(params: dict[str, Any]) -> dict[str, str]:
    found = params.get("metadata")
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _whole(value: Any, param: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise _invalid(f"Invalid integer: {value}", param=param) from None


def _priced_line(items: Any) -> tuple[int, str, str]:
    """The total, currency and first line's name of a payment session's `line_items`."""
    if not isinstance(items, list) or not items:
        raise _invalid("line_items is required in payment mode.", param="line_items")
    total, currencies, names = 0, set(), []
    for index, item in enumerate(items):
        price = item.get("price_data") if isinstance(item, dict) else None
        if not isinstance(price, dict) or not isinstance(price.get("product_data"), dict):
            raise _invalid("Each line item needs price_data.", param=f"line_items[{index}][price_data]")
        currency = str(price.get("currency", ""))
        if not _CURRENCY.match(currency):
            raise _invalid(
                f"Invalid currency: {currency}", param=f"line_items[{index}][price_data][currency]"
            )
        unit = _whole(price.get("unit_amount"), f"line_items[{index}][price_data][unit_amount]")
        total += unit * _whole(item.get("quantity", "1"), f"line_items[{index}][quantity]")
        currencies.add(currency)
        names.append(str(price["product_data"].get("name", "")))
    if len(currencies) > 1:
        raise _invalid("All line items must be in one currency.", param="line_items")
    return total, currencies.pop(), names[0]


def _amount(minor: int, currency: str) -> str:
    if currency in _ZERO_DECIMAL:
        return f"{minor} {currency.upper()}"
    return f"{minor // 100}.{minor % 100:02d} {currency.upper()}"


def _html(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} · Fake Stripe Checkout</title></head>"
        f"<body><main>{body}</main></body></html>"
    )
