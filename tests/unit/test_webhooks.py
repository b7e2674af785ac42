"""Webhook endpoints against fakes: which endpoints an event reaches, that it is delivered once however
often it is dispatched, that each attempt is signed with the endpoint's current secret, and what
may be registered (event types of the owner's side, a safe URL, ten endpoints)."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook

from partnerka.audit.service import Actor
from partnerka.common.errors import ValidationFailed
from partnerka.notifications.events import Audience, Event, EventType, Side
from partnerka.notifications.webhooks import EndpointOwner, WebhookEndpoint, event_types_for
from partnerka.operations.models import OperationStatus
from partnerka.postbacks.models import OutgoingRequest, PostbackSettings, mask_url, new_signing_secret
from partnerka.postbacks.repository import DeliveryRepository, delivery_of
from partnerka.postbacks.sender import RETRY_DELAYS, DeliveryWorker, HttpSender, SendResult
from partnerka.postbacks.service import DeliveryScope
from partnerka.postbacks.webhooks import DeliverySigningSecrets, WebhookDispatcher, WebhookService
from tests.unit.fakes import FakeAudit, FakeClock, FakeOperations, FakeQueue, FakeWebhookEndpoints

ACME, PRO = "adv-acme", "aff-pro"
ADVERTISER = EndpointOwner(Side.ADVERTISER, ACME)
AFFILIATE = EndpointOwner(Side.AFFILIATE, PRO)
ACTOR = Actor("u-1", "boss@acme.example")
AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def endpoint(
    owner: EndpointOwner, endpoint_id: str, *types: EventType, enabled: bool = True
) -> WebhookEndpoint:
    return WebhookEndpoint(
        endpoint_id=endpoint_id,
        owner=owner,
        url=f"https://hooks.example/{endpoint_id}",
        events=frozenset(types),
        secret=new_signing_secret(),
        created_at=AT,
        updated_at=AT,
        enabled=enabled,
    )


def sale(event_id: str = "cv-1.sale") -> Event:
    return Event(
        event_id=event_id,
        type=EventType.CONVERSION_SALE,
        occurred_at=AT,
        advertiser_id=ACME,
        audience=Audience(affiliate_id=PRO, advertiser_team=True),
        data={"conversion_id": "cv-1", "offer_id": "off-1", "click_id": "c-1", "payout": "12.50"},
    )


class Recording(HttpSender):
    """Answers each attempt with the next of `answers` (True: 200), keeping what would be sent."""

    def __init__(self, answers: Sequence[bool] = (), resolves_to: str = "93.184.215.14") -> None:
        super().__init__(resolver=lambda host, port: [resolves_to])
        self.answers = list(answers)
        self.sent: list[tuple[OutgoingRequest, dict[str, str], Sequence[str]]] = []

    def send(
        self,
        request: OutgoingRequest,
        headers: dict[str, str] | None = None,
        advertiser_domains: Sequence[str] = (),
    ) -> SendResult:
        self.sent.append((request, headers or {}, advertiser_domains))
        ok = self.answers.pop(0) if self.answers else True
        return SendResult(ok, 3, mask_url(request.url), 200 if ok else 503, "" if ok else "http_status")


def dispatched(*endpoints: WebhookEndpoint) -> tuple[WebhookDispatcher, FakeOperations, FakeQueue]:
    operations, queue = FakeOperations(), FakeQueue()
    store = FakeWebhookEndpoints(*endpoints)
    return WebhookDispatcher(store, DeliveryRepository(operations), queue.send, lambda: AT), operations, queue


# ---------------------------------------------------------------------- who hears an event
def test_an_event_reaches_every_enabled_endpoint_subscribed_to_its_type_on_both_sides() -> None:
    # Given endpoints of the advertiser and of the affiliate, subscribed or not, enabled or not
    dispatcher, operations, queue = dispatched(
        endpoint(ADVERTISER, "adv-on", EventType.CONVERSION_SALE),
        endpoint(ADVERTISER, "adv-lead", EventType.CONVERSION_LEAD),
        endpoint(ADVERTISER, "adv-off", EventType.CONVERSION_SALE, enabled=False),
        endpoint(AFFILIATE, "aff-on", EventType.CONVERSION_SALE, EventType.PAYOUT_PAID),
        endpoint(EndpointOwner(Side.AFFILIATE, "aff-other"), "other", EventType.CONVERSION_SALE),
    )
    # When a sale is dispatched
    dispatcher.dispatch(sale())
    # Then the two subscribed, enabled endpoints of its advertiser and its affiliate get a delivery
    assert sorted(operations.items) == ["cv-1.sale.wh.adv-on", "cv-1.sale.wh.aff-on"]
    assert sorted(json.loads(b)["op_id"] for b in queue.bodies) == sorted(operations.items)
    own = delivery_of(operations.items["cv-1.sale.wh.adv-on"])
    theirs = delivery_of(operations.items["cv-1.sale.wh.aff-on"])
    assert own is not None
    assert theirs is not None
    # the advertiser's own endpoint's delivery names no affiliate; the affiliate's names it
    assert (own.advertiser_id, own.affiliate_id, own.request.endpoint_owner) == (ACME, "", "advertiser")
    assert (theirs.advertiser_id, theirs.affiliate_id, theirs.request.endpoint_owner) == (
        ACME,
        PRO,
        "affiliate",
    )
    request = own.request
    assert (request.method, request.format, request.event, request.url) == (
        "POST",
        "webhook",
        "conversion.sale",
        "https://hooks.example/adv-on",
    )
    assert json.loads(request.body) == {
        "type": "conversion.sale",
        "timestamp": "2026-12-01T10:00:00.000Z",
        "data": {
            "event_id": "cv-1.sale",
            "advertiser_id": ACME,
            "conversion_id": "cv-1",
            "offer_id": "off-1",
            "click_id": "c-1",
            "payout": "12.50",
        },
    }
    assert request.body == json.dumps(json.loads(request.body), separators=(",", ":"), sort_keys=True)


def test_an_advertiser_endpoint_never_hears_what_only_the_affiliate_side_receives() -> None:
    # Given both sides' endpoints subscribed to approvals (stored so, whatever a save allows)
    dispatcher, operations, _ = dispatched(
        endpoint(ADVERTISER, "adv", EventType.CONVERSION_APPROVED),
        endpoint(AFFILIATE, "aff", EventType.CONVERSION_APPROVED),
    )
    approved = replace(sale("cv-1.approved"), type=EventType.CONVERSION_APPROVED)
    # When an approval (an affiliate's event only) is dispatched
    dispatcher.dispatch(approved)
    # Then only the affiliate's endpoint hears it
    assert list(operations.items) == ["cv-1.approved.wh.aff"]


def test_an_advertiser_endpoint_hears_its_events_only_when_the_event_names_its_team() -> None:
    dispatcher, operations, _ = dispatched(endpoint(ADVERTISER, "adv", EventType.CONVERSION_SALE))
    dispatcher.dispatch(replace(sale(), audience=Audience(affiliate_id=PRO)))
    assert operations.items == {}


def test_a_security_notice_goes_to_no_endpoint() -> None:
    # Given endpoints subscribed (as no save allows) to a security notice
    dispatcher, operations, queue = dispatched(
        endpoint(ADVERTISER, "adv", EventType.SIGN_IN_NEW_DEVICE),
        endpoint(AFFILIATE, "aff", EventType.SIGN_IN_NEW_DEVICE),
    )
    notice = Event(
        "u-1.sign-in.d.2026-12-01",
        EventType.SIGN_IN_NEW_DEVICE,
        AT,
        ACME,
        Audience(affiliate_id=PRO, advertiser_team=True, user_ids=("u-1",)),
    )
    dispatcher.dispatch(notice)
    assert (operations.items, queue.bodies) == ({}, [])


def test_a_dispatch_whose_messages_cannot_be_queued_raises_so_the_fan_out_retries_it() -> None:
    operations = FakeOperations()
    store = FakeWebhookEndpoints(endpoint(ADVERTISER, "adv", EventType.CONVERSION_SALE))
    refusing = FakeQueue(refuses=True)
    with pytest.raises(ConnectionError):
        WebhookDispatcher(store, DeliveryRepository(operations), refusing.send, lambda: AT).dispatch(sale())


# ---------------------------------------------------------------------- sent once, signed by its endpoint
def worker_for(
    operations: FakeOperations, store: FakeWebhookEndpoints, http: HttpSender, clock: FakeClock
) -> DeliveryWorker:
    def no_postback_settings(affiliate_id: str) -> PostbackSettings | None:
        return None

    def domains(advertiser_id: str) -> list[str]:
        return ["tracker.example"]  # the advertiser's postback whitelist

    secrets = DeliverySigningSecrets(store, no_postback_settings)
    return DeliveryWorker(operations, http, FakeQueue(), domains, secrets, clock.now, random.Random(1))


def test_an_event_dispatched_ten_times_is_created_once_and_sent_once() -> None:
    # Given an endpoint subscribed to sales
    subscribed = endpoint(ADVERTISER, "adv", EventType.CONVERSION_SALE)
    store, operations, queue, clock = (
        FakeWebhookEndpoints(subscribed),
        FakeOperations(),
        FakeQueue(),
        FakeClock(AT),
    )
    dispatcher = WebhookDispatcher(store, DeliveryRepository(operations), queue.send, clock.now)
    # When the same event is dispatched ten times (a fan-out retried) and every message is processed
    for _ in range(10):
        dispatcher.dispatch(sale())
    http = Recording()
    worker = worker_for(operations, store, http, clock)
    for number, body in enumerate(queue.bodies):
        worker.process(f"m-{number}", body)
    # Then one delivery exists, ten messages were queued, and one request was sent
    assert list(operations.items) == ["cv-1.sale.wh.adv"]
    assert len(queue.bodies) == 10
    assert len(http.sent) == 1
    assert operations.items["cv-1.sale.wh.adv"].status is OperationStatus.SUCCESS


def test_each_attempt_is_signed_with_the_endpoints_secret_and_a_rotated_secret_signs_the_next() -> None:
    # Given an affiliate's endpoint whose first attempt fails
    subscribed = endpoint(AFFILIATE, "aff", EventType.CONVERSION_SALE)
    store, operations, queue, clock = (
        FakeWebhookEndpoints(subscribed),
        FakeOperations(),
        FakeQueue(),
        FakeClock(AT),
    )
    WebhookDispatcher(store, DeliveryRepository(operations), queue.send, clock.now).dispatch(sale())
    http = Recording([False, True])
    worker = worker_for(operations, store, http, clock)
    worker.process("m-1", queue.bodies[0])
    # When its owner rotates the secret before the retry
    rotated = replace(subscribed, secret=new_signing_secret())
    store.save(rotated)
    clock.at += timedelta(seconds=RETRY_DELAYS[0] * 2)
    worker.process("m-1", queue.bodies[0])
    # Then each attempt carried the signature of the secret current at its time (checked with the
    # Standard Webhooks reference library), and the affiliate's endpoint is held to its
    # advertiser's whitelist as its postbacks are
    assert len(http.sent) == 2
    for (request, headers, domains), secret in zip(
        http.sent, (subscribed.secret, rotated.secret), strict=True
    ):
        assert headers["webhook-id"] == "cv-1.sale.wh.aff"
        moment = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
        assert headers["webhook-signature"] == Webhook(secret).sign(
            headers["webhook-id"], moment, request.body
        )
        assert list(domains) == ["tracker.example"]
    assert http.sent[0][1]["webhook-signature"] != http.sent[1][1]["webhook-signature"]


def test_a_delivery_to_the_advertisers_own_endpoint_is_not_held_to_its_affiliates_whitelist() -> None:
    subscribed = endpoint(ADVERTISER, "adv", EventType.CONVERSION_SALE)
    store, operations, queue, clock = (
        FakeWebhookEndpoints(subscribed),
        FakeOperations(),
        FakeQueue(),
        FakeClock(AT),
    )
    WebhookDispatcher(store, DeliveryRepository(operations), queue.send, clock.now).dispatch(sale())
    http = Recording()
    worker_for(operations, store, http, clock).process("m-1", queue.bodies[0])
    assert [list(domains) for _, _, domains in http.sent] == [[]]


def test_a_delivery_whose_endpoint_was_deleted_is_not_attempted() -> None:
    subscribed = endpoint(ADVERTISER, "adv", EventType.CONVERSION_SALE)
    store, operations, queue, clock = (
        FakeWebhookEndpoints(subscribed),
        FakeOperations(),
        FakeQueue(),
        FakeClock(AT),
    )
    WebhookDispatcher(store, DeliveryRepository(operations), queue.send, clock.now).dispatch(sale())
    store.delete(ADVERTISER, "adv")
    http = Recording()
    with pytest.raises(RuntimeError, match="no longer exists"):
        worker_for(operations, store, http, clock).process("m-1", queue.bodies[0])
    assert (http.sent, operations.items["cv-1.sale.wh.adv"].attempts) == ([], 0)


def test_an_advertiser_sees_no_delivery_made_for_an_affiliates_own_endpoint() -> None:
    dispatcher, operations, _ = dispatched(
        endpoint(ADVERTISER, "adv", EventType.CONVERSION_SALE),
        endpoint(AFFILIATE, "aff", EventType.CONVERSION_SALE),
    )
    dispatcher.dispatch(sale())
    own, theirs = (delivery_of(operations.items[f"cv-1.sale.wh.{i}"]) for i in ("adv", "aff"))
    assert own is not None
    assert theirs is not None
    advertiser, affiliate = DeliveryScope(ACME, affiliate_endpoints=False), DeliveryScope(ACME, PRO)
    assert (advertiser.admits(own), advertiser.admits(theirs)) == (True, False)
    assert (affiliate.admits(own), affiliate.admits(theirs)) == (False, True)


# ---------------------------------------------------------------------- registering endpoints
def service(http: HttpSender | None = None) -> tuple[WebhookService, FakeWebhookEndpoints, FakeAudit]:
    store, audit, operations = FakeWebhookEndpoints(), FakeAudit(), FakeOperations()
    webhooks = WebhookService(
        store,
        DeliveryRepository(operations),  # type: ignore[arg-type]  # the listing is not used here
        http or Recording(),
        False,
        audit,
        lambda advertiser_id: [],
        lambda: AT,
    )
    return webhooks, store, audit


def test_each_side_may_pick_the_types_it_receives_and_never_a_security_notice() -> None:
    advertiser_types, affiliate_types = event_types_for(Side.ADVERTISER), event_types_for(Side.AFFILIATE)
    assert EventType.BALANCE_LOW in advertiser_types
    assert EventType.BALANCE_LOW not in affiliate_types
    assert EventType.PAYOUT_PAID in affiliate_types
    assert EventType.PAYOUT_PAID not in advertiser_types
    assert not {EventType.SIGN_IN_NEW_DEVICE, EventType.MFA_DISABLED} & {*advertiser_types, *affiliate_types}
    webhooks, store, _ = service()
    for owner, refused in (
        (AFFILIATE, "balance.low"),
        (ADVERTISER, "payout.paid"),
        (ADVERTISER, "security.new_sign_in"),
        (AFFILIATE, "no.such"),
    ):
        with pytest.raises(ValidationFailed, match="cannot hear"):
            webhooks.create(owner, "https://hooks.example/a", [refused], "", True, ACTOR)
    with pytest.raises(ValidationFailed, match="at least one"):
        webhooks.create(ADVERTISER, "https://hooks.example/a", [], "", True, ACTOR)
    assert store.items == {}


def test_an_owner_has_at_most_ten_endpoints() -> None:
    webhooks, store, _ = service()
    for _ in range(10):
        webhooks.create(AFFILIATE, "https://hooks.example/a", ["conversion.sale"], "", True, ACTOR)
    with pytest.raises(ValidationFailed, match="at most 10"):
        webhooks.create(AFFILIATE, "https://hooks.example/a", ["conversion.sale"], "", True, ACTOR)
    webhooks.create(ADVERTISER, "https://hooks.example/a", ["conversion.sale"], "", True, ACTOR)
    assert len(store.items) == 11


@pytest.mark.parametrize(
    ("url", "resolves_to", "refusal"),
    [
        ("http://10.0.0.5/hook", "93.184.215.14", "private or reserved"),
        ("https://inside.example/hook", "10.0.0.5", "private or reserved"),
        ("https://hooks.example/{click_id}", "93.184.215.14", "no macros"),
        ("ftp://hooks.example/hook", "93.184.215.14", "http or https"),
        ("", "93.184.215.14", "needs a URL"),
    ],
)
def test_an_endpoint_url_that_is_not_safe_to_send_to_is_refused_at_save(
    url: str, resolves_to: str, refusal: str
) -> None:
    webhooks, store, _ = service(Recording(resolves_to=resolves_to))
    with pytest.raises(ValidationFailed, match=refusal):
        webhooks.create(ADVERTISER, url, ["conversion.sale"], "", True, ACTOR)
    assert store.items == {}


def test_changes_are_audited_without_the_secret() -> None:
    # Given an advertiser's endpoint and an affiliate's, each changed, rotated, tested and deleted
    webhooks, store, audit = service()
    secrets: list[str] = []
    for owner in (ADVERTISER, AFFILIATE):
        made = webhooks.create(
            owner, "https://hooks.example/a?token=t0p", ["conversion.sale"], "mine", True, ACTOR
        )
        changed = webhooks.update(owner, made.endpoint_id, made.url, ["conversion.lead"], "", False, ACTOR)
        rotated = webhooks.rotate_secret(owner, made.endpoint_id, ACTOR)
        webhooks.test(owner, made.endpoint_id, "conversion.lead", ACME, ACTOR)
        webhooks.delete(owner, made.endpoint_id, ACTOR)
        secrets += [made.secret, rotated.secret]
        assert changed.secret == made.secret != rotated.secret
    # Then every step is in the advertiser's log (its endpoint) or the platform's (the affiliate's)
    assert audit.actions() == 2 * [
        "webhook.created",
        "webhook.updated",
        "webhook.secret_rotated",
        "webhook.test_sent",
        "webhook.deleted",
    ]
    assert [r.tenant_id for r in audit.records] == 5 * [ACME] + 5 * [None]
    written = json.dumps([(r.before, r.after) for r in audit.records])
    # and no entry holds a secret, the endpoint's or the URL's
    assert not any(secret in written or secret.removeprefix("whsec_") in written for secret in secrets)
    assert "t0p" not in written
    assert store.items == {}


def test_the_test_button_sends_a_sample_signed_with_the_endpoints_secret_and_stores_nothing() -> None:
    http = Recording()
    webhooks, _, _ = service(http)
    made = webhooks.create(AFFILIATE, "https://hooks.example/a", ["payout.paid"], "", True, ACTOR)
    exchange = webhooks.test(AFFILIATE, made.endpoint_id, "payout.paid", ACME, ACTOR)
    [(request, headers, _)] = http.sent
    assert json.loads(request.body)["type"] == "payout.paid"
    assert exchange.headers == headers
    moment = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
    assert headers["webhook-signature"] == Webhook(made.secret).sign(
        headers["webhook-id"], moment, request.body
    )
    with pytest.raises(ValidationFailed, match="cannot hear"):
        webhooks.test(AFFILIATE, made.endpoint_id, "balance.low", ACME, ACTOR)
