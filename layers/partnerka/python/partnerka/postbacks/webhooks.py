"""Webhook deliveries and the management of webhook endpoints (notifications.webhooks).

A webhook delivery is an affiliate postback's delivery in every way but its secret: a `Delivery`
(format webhook, POST), created once under the id `<event_id>.wh.<endpoint_id>` and queued on the
postback queue, where the delivery worker (postbacks.sender) sends it through the same SSRF guard,
retry schedule, attempt log, dead-letter queue and replay, signing each attempt in the Standard
Webhooks scheme with the endpoint's own secret (read at every attempt: a rotated secret signs the
very next one). The delivery keeps the event's advertiser and, for an affiliate's endpoint, the
affiliate: the delivery log shows each side its own (postbacks.service.delivery_scope).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor, AuditTrail
from partnerka.common.clock import utc_now
from partnerka.common.errors import NotFound, ValidationFailed
from partnerka.common.observability import logger
from partnerka.notifications.events import Event, EventType, Side
from partnerka.notifications.webhooks import (
    MAX_ENDPOINTS,
    EndpointOwner,
    EndpointsOfOwner,
    WebhookEndpoint,
    WebhookEndpoints,
    event_types_for,
    listening_owners,
    new_endpoint_id,
    sample_event,
    webhook_body,
)
from partnerka.operations.models import DeliveryRequest, OperationStatus
from partnerka.operations.repository import Filters
from partnerka.postbacks.models import (
    Delivery,
    DeliveryFormat,
    OutgoingRequest,
    PostbackSettings,
    mask_url,
    new_signing_secret,
    webhook_headers,
)
from partnerka.postbacks.repository import DeliveryPage, DeliveryRepository, NewDeliveries
from partnerka.postbacks.sender import MAX_ATTEMPTS, HttpSender
from partnerka.postbacks.service import TestExchange, message_body, validate_url, visible_deliveries
from partnerka.postbacks.ssrf import UnsafeDestination
from partnerka.tracking.macros import MACRO_PATTERN

MAX_DESCRIPTION = 200


def delivery_id_of(event_id: str, endpoint_id: str) -> str:
    return f"{event_id}.wh.{endpoint_id}"


def webhook_delivery(event: Event, endpoint: WebhookEndpoint, now: datetime) -> Delivery:
    """The delivery of one event to one endpoint: its id is the pair's, so it exists once. It keeps
    the event's advertiser, and the affiliate for an affiliate's endpoint (none for the advertiser's),
    which decide who sees it in the delivery log."""
    data = event.data
    own = endpoint.owner
    return Delivery(
        delivery_id=delivery_id_of(event.event_id, endpoint.endpoint_id),
        status=OperationStatus.PENDING,
        created_at=now,
        updated_at=now,
        advertiser_id=event.advertiser_id,
        affiliate_id=own.owner_id if own.side is Side.AFFILIATE else "",
        max_attempts=MAX_ATTEMPTS,
        request=DeliveryRequest(
            event=event.type.value,
            method="POST",
            url=endpoint.url,
            format=DeliveryFormat.WEBHOOK.value,
            body=webhook_body(event),
            click_id=str(data.get("click_id") or ""),
            conversion_id=str(data.get("conversion_id") or ""),
            offer_id=str(data.get("offer_id") or ""),
            endpoint_id=endpoint.endpoint_id,
            endpoint_owner=own.side.value,
        ),
    )


class WebhookDispatcher:
    """Creates each delivery once (a conditional put) and queues a message for it every time: a
    repeated dispatch re-sends messages the sender drops, as postbacks.dispatch does for a
    redelivered stream batch, so a dispatch that failed half-way is completed by its retry."""

    def __init__(
        self,
        endpoints: EndpointsOfOwner,
        deliveries: NewDeliveries,
        enqueue: Callable[[list[str]], None],
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._endpoints = endpoints
        self._deliveries = deliveries
        self._enqueue = enqueue
        self._now = now

    def dispatch(self, event: Event) -> None:
        now = self._now()
        bodies: list[str] = []
        for owner in listening_owners(event):
            for endpoint in self._endpoints.of_owner(owner):
                if not endpoint.hears(event):
                    continue
                delivery = webhook_delivery(event, endpoint, now)
                self._deliveries.create(delivery)
                bodies.append(message_body(delivery.delivery_id))
        for start in range(0, len(bodies), 10):  # SQS takes ten messages a batch
            self._enqueue(bodies[start : start + 10])
        if bodies:
            logger.info("webhooks queued", event_id=event.event_id, deliveries=len(bodies))


class DeliverySigningSecrets:
    """The delivery worker's secret for a webhook delivery: its endpoint's, or for an affiliate's
    postback in the webhook format, the affiliate's postback secret. Raises when there is none (the
    endpoint was deleted): no attempt is made, and the message comes back."""

    def __init__(
        self,
        endpoints: WebhookEndpoints,
        postback_settings: Callable[[str], PostbackSettings | None],
    ) -> None:
        self._endpoints = endpoints
        self._postback_settings = postback_settings

    def __call__(self, delivery: Delivery) -> str:
        request = delivery.request
        if request.endpoint_id:
            side = Side(request.endpoint_owner)
            owner_id = delivery.affiliate_id if side is Side.AFFILIATE else delivery.advertiser_id
            endpoint = self._endpoints.get(EndpointOwner(side, owner_id), request.endpoint_id)
            if endpoint is None:
                raise RuntimeError(f"webhook endpoint {request.endpoint_id} no longer exists")
            return endpoint.secret
        settings = self._postback_settings(delivery.affiliate_id)
        if settings is None or not settings.signing_secret:
            raise RuntimeError(f"affiliate {delivery.affiliate_id} has no signing secret")
        return settings.signing_secret


# ---------------------------------------------------------------------- management
def owner_of(principal: Principal) -> EndpointOwner:
    """The endpoints a principal manages: an affiliate its own (in any advertiser context), an
    advertiser's people their advertiser's. The caller has checked Permission.WEBHOOKS_OWN."""
    if principal.affiliate_id:
        return EndpointOwner(Side.AFFILIATE, principal.affiliate_id)
    if principal.advertiser_id:
        return EndpointOwner(Side.ADVERTISER, principal.advertiser_id)
    raise ValidationFailed("only an advertiser's team or an affiliate has webhook endpoints")


def audited_endpoint(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """What audit entries keep of an endpoint: never its secret, the URL masked."""
    return {
        "url": mask_url(endpoint.url),
        "events": sorted(endpoint.events),
        "description": endpoint.description,
        "enabled": endpoint.enabled,
    }


class WebhookService:
    def __init__(
        self,
        endpoints: WebhookEndpoints,
        deliveries: DeliveryRepository,
        http: HttpSender,
        allow_loopback: bool,
        audit: AuditTrail,
        advertiser_domains: Callable[[str], list[str]],
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._endpoints = endpoints
        self._deliveries = deliveries
        self._http = http
        self._allow_loopback = allow_loopback
        self._audit = audit
        self._advertiser_domains = advertiser_domains
        self._now = now

    def endpoints(self, owner: EndpointOwner) -> list[WebhookEndpoint]:
        """The owner's endpoints, oldest first."""
        return sorted(self._endpoints.of_owner(owner), key=lambda e: (e.created_at, e.endpoint_id))

    def endpoint(self, owner: EndpointOwner, endpoint_id: str) -> WebhookEndpoint:
        found = self._endpoints.get(owner, endpoint_id)
        if found is None:
            raise NotFound("no such webhook endpoint")
        return found

    def create(
        self,
        owner: EndpointOwner,
        url: str,
        events: Sequence[str],
        description: str,
        enabled: bool,
        actor: Actor,
    ) -> WebhookEndpoint:
        """A new endpoint with a new secret; at most MAX_ENDPOINTS per owner."""
        if len(self._endpoints.of_owner(owner)) >= MAX_ENDPOINTS:
            raise ValidationFailed(f"at most {MAX_ENDPOINTS} webhook endpoints")
        now = self._now()
        created = WebhookEndpoint(
            endpoint_id=new_endpoint_id(),
            owner=owner,
            url=self._checked_url(url),
            events=self._checked_events(owner.side, events),
            secret=new_signing_secret(),
            created_at=now,
            updated_at=now,
            description=_checked_description(description),
            enabled=enabled,
        )
        self._endpoints.save(created)
        self._record(actor, created, "webhook.created", None, audited_endpoint(created))
        return created

    def update(
        self,
        owner: EndpointOwner,
        endpoint_id: str,
        url: str,
        events: Sequence[str],
        description: str,
        enabled: bool,
        actor: Actor,
    ) -> WebhookEndpoint:
        """Replace what the endpoint is told and where; its id and secret stay. Deliveries already
        made keep the URL they were made for (their retries and replays go there)."""
        current = self.endpoint(owner, endpoint_id)
        updated = replace(
            current,
            url=self._checked_url(url),
            events=self._checked_events(owner.side, events),
            description=_checked_description(description),
            enabled=enabled,
            updated_at=self._now(),
        )
        self._endpoints.save(updated)
        self._record(actor, updated, "webhook.updated", audited_endpoint(current), audited_endpoint(updated))
        return updated

    def delete(self, owner: EndpointOwner, endpoint_id: str, actor: Actor) -> None:
        current = self.endpoint(owner, endpoint_id)
        self._endpoints.delete(owner, endpoint_id)
        self._record(actor, current, "webhook.deleted", audited_endpoint(current), None)

    def rotate_secret(self, owner: EndpointOwner, endpoint_id: str, actor: Actor) -> WebhookEndpoint:
        """A new secret, which signs every attempt from now on, retries of earlier deliveries too."""
        rotated = replace(
            self.endpoint(owner, endpoint_id), secret=new_signing_secret(), updated_at=self._now()
        )
        self._endpoints.save(rotated)
        self._record(actor, rotated, "webhook.secret_rotated")
        return rotated

    def test(
        self, owner: EndpointOwner, endpoint_id: str, type: str, advertiser_id: str, actor: Actor
    ) -> TestExchange:
        """Send a sample event of the type to the endpoint now, signed with its secret, and show both
        sides; nothing is stored and no retry follows, but the send is audited (it reaches out from
        the platform's addresses). `advertiser_id`: the advertiser context a sample names (an
        affiliate's current one), whose domain whitelist an affiliate's endpoint is held to."""
        endpoint = self.endpoint(owner, endpoint_id)
        chosen = next(iter(self._checked_events(owner.side, [type])))
        if owner.side is Side.ADVERTISER:
            advertiser_id, affiliate_id, domains = owner.owner_id, "", []
        else:
            affiliate_id = owner.owner_id
            domains = self._advertiser_domains(advertiser_id) if advertiser_id else []
        now = self._now()
        event = sample_event(chosen, advertiser_id, affiliate_id, now)
        request = OutgoingRequest("POST", endpoint.url, webhook_body(event))
        headers = webhook_headers(endpoint.secret, event.event_id, int(now.timestamp()), request.body)
        result = self._http.send(request, headers, domains)
        self._record(
            actor,
            endpoint,
            "webhook.test_sent",
            after={
                "event": chosen.value,
                "url": result.url,
                "ok": result.ok,
                "http_status": result.http_status,
            },
        )
        return TestExchange(request.method, result.url, headers, request.body, result)

    def deliveries(
        self,
        principal: Principal,
        owner: EndpointOwner,
        endpoint_id: str,
        status: str,
        limit: int,
        cursor: str | None,
    ) -> DeliveryPage:
        """The endpoint's deliveries the principal sees in the delivery log, newest first (an
        affiliate's: those of its current advertiser, as its whole log is)."""
        self.endpoint(owner, endpoint_id)
        filters = Filters(status=status, endpoint_id=endpoint_id)
        return visible_deliveries(self._deliveries, principal, None, filters, limit, cursor, self._now())

    # ------------------------------------------------------------------ checks
    def _checked_url(self, url: str) -> str:
        """The postbacks' URL rules, no macros (nothing fills them), and the send-time guard now: a
        host that resolves to a private address, or not at all, is refused at save too."""
        if MACRO_PATTERN.search(url):
            raise ValidationFailed("a webhook URL takes no macros")
        checked = validate_url(url, self._allow_loopback)
        if not checked:
            raise ValidationFailed("a webhook endpoint needs a URL")
        try:
            self._http.check(checked)
        except UnsafeDestination as error:
            raise ValidationFailed(str(error)) from None
        return checked

    def _checked_events(self, side: Side, events: Sequence[str]) -> frozenset[EventType]:
        allowed = {t.value: t for t in event_types_for(side)}
        unknown = sorted(set(events) - set(allowed))
        if unknown:
            raise ValidationFailed(f"{side.value} webhooks cannot hear: {', '.join(unknown)}")
        if not events:
            raise ValidationFailed("choose at least one event type")
        return frozenset(allowed[e] for e in events)

    def _record(
        self,
        actor: Actor,
        endpoint: WebhookEndpoint,
        action: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """In the advertiser's log for its endpoints; an affiliate's serve all its advertisers, so
        platform-wide, as its postback settings are."""
        owner = endpoint.owner
        tenant = owner.owner_id if owner.side is Side.ADVERTISER else None
        self._audit.record(actor, tenant, action, f"webhook:{endpoint.endpoint_id}", before, after)


def _checked_description(description: str) -> str:
    description = description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise ValidationFailed(f"a description has at most {MAX_DESCRIPTION} characters")
    return description
