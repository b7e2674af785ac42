"""Affiliate postbacks as people manage them: settings, the test button, deliveries and replays.
Every change, test send and replay is audited here; secrets never reach an audit entry, and URLs are
kept masked (an affiliate's tracker may take a token in its query). Who sees which deliveries is
decided here too (`delivery_scope`), for the delivery log and for a click's inspection alike."""

from __future__ import annotations

import ipaddress
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from partnerka.accounts.permissions import Permission, allows
from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor, AuditTrail
from partnerka.common.clock import utc_now
from partnerka.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from partnerka.common.money import Money
from partnerka.offers.destinations import has_control_character
from partnerka.operations.models import (
    ADVERTISER_ENDPOINT,
    AFFILIATE_ENDPOINT,
    MAX_KEPT_ATTEMPTS,
    DeliveryRequest,
    OperationStatus,
)
from partnerka.operations.repository import Filters
from partnerka.postbacks.models import (
    MACROS,
    MAX_OVERRIDES,
    Delivery,
    DeliveryFormat,
    Destination,
    EventData,
    PostbackEvent,
    PostbackOverride,
    PostbackSettings,
    build_request,
    mask_url,
    new_signing_secret,
    webhook_headers,
)
from partnerka.postbacks.repository import DeliveryPage, DeliveryRepository, PostbackSettingsRepository
from partnerka.postbacks.sender import MAX_ATTEMPTS, HttpSender, SendResult
from partnerka.postbacks.ssrf import UnsafeDestination, check_destination
from partnerka.tracking.macros import MACRO_PATTERN


def new_delivery(event: EventData, destination: Destination, now: datetime) -> Delivery:
    """The delivery of one event to one affiliate: its id is the event's, so it exists once."""
    request = build_request(destination, event)
    return Delivery(
        delivery_id=event.event_id,
        status=OperationStatus.PENDING,
        created_at=now,
        updated_at=now,
        advertiser_id=event.advertiser_id,
        affiliate_id=event.affiliate_id,
        max_attempts=MAX_ATTEMPTS,
        request=DeliveryRequest(
            event=event.event.value,
            method=request.method,
            url=request.url,
            format=destination.format.value,
            body=request.body,
            click_id=event.click_id,
            conversion_id=event.conversion_id,
            offer_id=event.offer_id,
        ),
    )


def message_body(delivery_id: str) -> str:
    """The postback queue's message for a delivery. It names the operation that runs the delivery
    (`op_id`, the orchestrator's word: the monitor and the runner read every queue's messages so)."""
    return json.dumps({"op_id": delivery_id}, separators=(",", ":"))


def _literal_only(host: str, port: int) -> list[str]:
    """At save time only literal addresses can be judged; names are resolved (and judged) at send
    time, every time. A name stands in as a public address here."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        return ["8.8.8.8"]


def validate_url(url: str, allow_loopback: bool) -> str:
    url = url.strip()
    if not url:
        return ""
    if has_control_character(url):
        raise ValidationFailed("the URL contains a control character (a line break, tab or similar)")
    unknown = sorted({m.lower() for m in MACRO_PATTERN.findall(url)} - set(MACROS))
    if unknown:
        raise ValidationFailed(f"unknown macros: {', '.join('{' + m + '}' for m in unknown)}")
    try:
        check_destination(url, _literal_only, allow_loopback)
    except UnsafeDestination as error:
        raise ValidationFailed(str(error)) from None
    return url


@dataclass(frozen=True, slots=True)
class OverrideInput:
    advertiser_id: str
    url: str
    offer_id: str = ""
    events: Sequence[str] | None = None


def _events(values: Sequence[str]) -> frozenset[PostbackEvent]:
    try:
        return frozenset(PostbackEvent(v) for v in values)
    except ValueError:
        raise ValidationFailed(f"events must be among {', '.join(e.value for e in PostbackEvent)}") from None


def audited_settings(settings: PostbackSettings) -> dict[str, Any]:
    """What audit entries keep of postback settings: never the signing secret, URLs masked."""
    return {
        "url": mask_url(settings.url),
        "events": sorted(settings.events),
        "format": settings.format.value,
        "overrides": [
            {
                "advertiser_id": o.advertiser_id,
                "offer_id": o.offer_id,
                "url": mask_url(o.url),
                "events": sorted(o.events) if o.events is not None else None,
            }
            for o in settings.overrides
        ],
    }


@dataclass(frozen=True, slots=True)
class DeliveryScope:
    """The deliveries a principal sees: every advertiser's (both None), one advertiser's, or one
    affiliate's own within its current advertiser."""

    advertiser_id: str | None = None
    affiliate_id: str | None = None
    affiliate_endpoints: bool = True  # the deliveries made for affiliates' own webhook endpoints

    def admits(self, delivery: Delivery) -> bool:
        return (
            (self.advertiser_id is None or delivery.advertiser_id == self.advertiser_id)
            and (self.affiliate_id is None or delivery.affiliate_id == self.affiliate_id)
            and (self.affiliate_endpoints or delivery.request.endpoint_owner != AFFILIATE_ENDPOINT)
        )


def delivery_scope(principal: Principal, advertiser_id: str | None) -> DeliveryScope:
    """The one rule for listing and for opening deliveries (`advertiser_id`: staff's filter). An
    advertiser sees what is sent for its events to its affiliates' postbacks and to its own webhook
    endpoints, never to an affiliate's own endpoint; an affiliate sees its own postbacks and
    endpoints' deliveries (never its advertiser's endpoints', made with no affiliate)."""
    if allows(principal, Permission.DELIVERIES_READ_ANY):
        return DeliveryScope(advertiser_id or None)
    own_advertiser = allows(principal, Permission.DELIVERIES_READ_OWN_ADVERTISER) and principal.advertiser_id
    own_affiliate = allows(principal, Permission.POSTBACKS_OWN) and principal.affiliate_id
    if not (own_advertiser or own_affiliate):
        raise Forbidden("you may not do this")
    if not principal.advertiser_id:
        raise ValidationFailed("select an advertiser first")
    if advertiser_id and advertiser_id != principal.advertiser_id:
        raise Forbidden("deliveries of another advertiser")
    if own_advertiser:
        return DeliveryScope(principal.advertiser_id, None, affiliate_endpoints=False)
    return DeliveryScope(principal.advertiser_id, principal.affiliate_id)


def visible_deliveries(
    deliveries: DeliveryRepository,
    principal: Principal,
    advertiser_id: str | None,
    filters: Filters,
    limit: int,
    cursor: str | None,
    now: datetime,
) -> DeliveryPage:
    """The deliveries the principal sees that match `filters`, newest first: the delivery log's one
    reading (the postbacks' list, and a webhook endpoint's)."""
    scope = delivery_scope(principal, advertiser_id)
    filters = replace(filters, without_affiliate_endpoints=not scope.affiliate_endpoints)
    if scope.affiliate_id and scope.advertiser_id:
        return deliveries.of_affiliate(scope.affiliate_id, scope.advertiser_id, filters, limit, cursor)
    if scope.advertiser_id:
        return deliveries.of_advertiser(scope.advertiser_id, filters, limit, cursor)
    return deliveries.recent(now, filters, limit, cursor)


def opening_scope(principal: Principal) -> DeliveryScope | None:
    """The deliveries the principal may open one by one (a delivery, a click's inspection); None
    when it may open none, so that a delivery it may not see reads as missing rather than refused."""
    try:
        return delivery_scope(principal, None)
    except (Forbidden, ValidationFailed):
        return None


@dataclass(frozen=True, slots=True)
class TestExchange:
    method: str
    url: str  # masked
    headers: dict[str, str]
    body: str
    result: SendResult


class PostbackService:
    def __init__(
        self,
        settings_store: PostbackSettingsRepository,
        deliveries: DeliveryRepository,
        http: HttpSender,
        enqueue: Callable[[list[str]], None],
        allow_loopback: bool,
        advertiser_domains: Callable[[str], list[str]],
        advertisers_of: Callable[[str], frozenset[str]],
        audit: AuditTrail,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = settings_store
        self._deliveries = deliveries
        self._http = http
        self._enqueue = enqueue
        self._allow_loopback = allow_loopback
        self._advertiser_domains = advertiser_domains
        self._advertisers_of = advertisers_of
        self._audit = audit
        self._now = now

    # ------------------------------------------------------------------ settings
    def settings(self, affiliate_id: str) -> PostbackSettings:
        return self._store.get(affiliate_id) or PostbackSettings(affiliate_id=affiliate_id)

    def save(
        self,
        affiliate_id: str,
        url: str,
        events: Sequence[str],
        delivery_format: str,
        overrides: Sequence[OverrideInput],
        actor: Actor,
    ) -> PostbackSettings:
        """Replace the affiliate's settings. Overrides may name only advertisers it works with (its
        active memberships). Audited platform-wide: the settings serve every advertiser of the
        affiliate."""
        try:
            chosen_format = DeliveryFormat(delivery_format)
        except ValueError:
            raise ValidationFailed("format must be 'get' or 'webhook'") from None
        if len(overrides) > MAX_OVERRIDES:
            raise ValidationFailed(f"at most {MAX_OVERRIDES} overrides")
        advertisers = self._advertisers_of(affiliate_id)
        seen: set[tuple[str, str]] = set()
        checked: list[PostbackOverride] = []
        for override in overrides:
            if override.advertiser_id not in advertisers:
                raise ValidationFailed(f"you do not work with advertiser '{override.advertiser_id}'")
            scope = (override.advertiser_id, override.offer_id)
            if scope in seen:
                raise ValidationFailed("two overrides for the same advertiser and offer")
            seen.add(scope)
            checked.append(
                PostbackOverride(
                    advertiser_id=override.advertiser_id,
                    offer_id=override.offer_id,
                    url=validate_url(override.url, self._allow_loopback),
                    events=_events(override.events) if override.events is not None else None,
                )
            )
        stored = self._store.get(affiliate_id)
        current = stored or PostbackSettings(affiliate_id=affiliate_id)
        secret = current.signing_secret
        if chosen_format is DeliveryFormat.WEBHOOK and not secret:
            secret = new_signing_secret()
        saved = PostbackSettings(
            affiliate_id=affiliate_id,
            url=validate_url(url, self._allow_loopback),
            events=_events(events),
            format=chosen_format,
            signing_secret=secret,
            overrides=tuple(checked),
            updated_at=self._now().isoformat(),
        )
        self._store.save(saved)
        self._audit.record(
            actor,
            None,
            "postback.settings_changed",
            f"affiliate:{affiliate_id}",
            audited_settings(stored) if stored else None,
            audited_settings(saved),
        )
        return saved

    def rotate_secret(self, affiliate_id: str, actor: Actor) -> PostbackSettings:
        rotated = replace(self.settings(affiliate_id), signing_secret=new_signing_secret())
        self._store.save(rotated)
        self._audit.record(actor, None, "postback.secret_rotated", f"affiliate:{affiliate_id}")
        return rotated

    # ------------------------------------------------------------------ the test button
    def test(
        self, affiliate_id: str, advertiser_id: str, event: str, url: str | None, actor: Actor
    ) -> TestExchange:
        """Send a sample event now, to `url` or to where the settings send this event, and show both
        sides; no delivery is stored and no retry follows, but the send is audited (it reaches out
        from the platform's addresses)."""
        settings = self.settings(affiliate_id)
        kind = _events([event or "sale"])
        chosen = next(iter(kind))
        destination = (
            Destination(validate_url(url, self._allow_loopback), settings.format)
            if url
            else settings.destination(advertiser_id, "", chosen) or Destination(settings.url, settings.format)
        )
        if not destination.url:
            raise ValidationFailed("set a postback URL first, or give one to test")
        now = self._now()
        sample = EventData(
            event_id=f"test-{uuid.uuid4()}",
            event=chosen,
            click_id=str(uuid.uuid4()),
            affiliate_id=affiliate_id,
            advertiser_id=advertiser_id,
            offer_id="test-offer",
            occurred_at=now,
            conversion_id="" if chosen is PostbackEvent.CLICK else "test-conversion",
            goal=""
            if chosen is PostbackEvent.CLICK
            else ("lead" if chosen is PostbackEvent.LEAD else "sale"),
            payout=None if chosen is PostbackEvent.CLICK else Money(1234, "USD"),
            reason="test" if chosen is PostbackEvent.REJECTED else "",
            subs={"sub1": "test"},
        )
        request = build_request(destination, sample)
        headers: dict[str, str] = {}
        if destination.format is DeliveryFormat.WEBHOOK:
            secret = settings.signing_secret or new_signing_secret()
            headers = webhook_headers(secret, sample.event_id, int(now.timestamp()), request.body)
        result = self._http.send(request, headers, self._advertiser_domains(advertiser_id))
        self._audit.record(
            actor,
            advertiser_id or None,
            "postback.test_sent",
            f"affiliate:{affiliate_id}",
            after={
                "event": chosen.value,
                "method": request.method,
                "url": mask_url(result.url),
                "ok": result.ok,
                "http_status": result.http_status,
            },
        )
        return TestExchange(request.method, result.url, headers, request.body, result)

    # ------------------------------------------------------------------ deliveries
    def deliveries(
        self,
        principal: Principal,
        advertiser_id: str | None,
        status: str,
        event: str,
        limit: int,
        cursor: str | None,
    ) -> DeliveryPage:
        """The deliveries the principal sees, newest first (`advertiser_id`: staff's filter)."""
        filters = Filters(status=status, event=event)
        return visible_deliveries(
            self._deliveries, principal, advertiser_id, filters, limit, cursor, self._now()
        )

    def delivery(self, delivery_id: str) -> Delivery:
        found = self._deliveries.get(delivery_id)
        if found is None:
            raise NotFound("no such delivery")
        return found

    def visible_delivery(self, principal: Principal, delivery_id: str) -> Delivery:
        """One delivery the principal sees; any other reads as missing (its existence is not told)."""
        found = self.delivery(delivery_id)
        scope = opening_scope(principal)
        if scope is None or not scope.admits(found):
            raise NotFound("no such delivery")
        return found

    def replay_delivery(self, principal: Principal, delivery_id: str, actor: Actor) -> Delivery:
        """`replay` of a delivery the principal sees, by one who may replay (staff, or the affiliate
        it was sent to), or by the advertiser's people a delivery to its own webhook endpoint."""
        found = self.visible_delivery(principal, delivery_id)
        own_endpoint = (
            allows(principal, Permission.WEBHOOKS_OWN)
            and found.request.endpoint_owner == ADVERTISER_ENDPOINT
            and found.advertiser_id == principal.advertiser_id
        )
        if not (own_endpoint or allows(principal, Permission.DELIVERIES_REPLAY)):
            raise Forbidden("you may not replay deliveries")
        return self.replay(found, actor)

    def replay(self, delivery: Delivery, actor: Actor) -> Delivery:
        """Send it again now, with a fresh set of attempts (retries included); audited in the
        delivery's advertiser."""
        replayed = self.resend(delivery)
        self._audit.record(
            actor,
            delivery.advertiser_id or None,
            "postback.delivery_replayed",
            f"delivery:{delivery.delivery_id}",
            {"status": delivery.status.value, "attempts": delivery.attempts},
            {"status": replayed.status.value, "max_attempts": replayed.max_attempts},
        )
        return replayed

    def resend(self, delivery: Delivery) -> Delivery:
        """`replay` without its audit entry, for a caller that audits the whole action it is part of
        (the monitor's redrive of a dead-letter queue: one entry naming every delivery it replayed)."""
        if delivery.attempts + MAX_ATTEMPTS > MAX_KEPT_ATTEMPTS:
            raise Conflict("this delivery has been replayed as often as it can be")
        replayed = self._deliveries.replay(delivery.delivery_id, self._now(), MAX_ATTEMPTS)
        if replayed is None:
            raise Conflict("an attempt of this delivery is in flight; try again in a minute")
        self._enqueue([message_body(delivery.delivery_id)])
        return replayed
