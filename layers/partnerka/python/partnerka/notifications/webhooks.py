"""Webhook endpoints: URLs an advertiser's team or an affiliate registers to be told of events by a
signed JSON POST, the event types each may hear, and the port the notifier's fan-out sends an event
to them through.

An endpoint hears the event types its owner's side receives (events.CATALOGUE), never a security
notice: those concern one person and go to that person only. The deliveries themselves are made
and sent by the postbacks context (postbacks.webhooks: `WebhookDispatcher` implements
`WebhookDispatch`), through the affiliate postbacks' machinery.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis, parse_iso
from partnerka.notifications.events import CATALOGUE, Audience, Event, EventType, Group, Side

MAX_ENDPOINTS = 10  # per owner

_PREFIX = {Side.ADVERTISER: "ADV#", Side.AFFILIATE: "AFF#"}
_SORT_PREFIX = "WEBHOOK#"


@dataclass(frozen=True, slots=True)
class EndpointOwner:
    """Whose endpoints: an advertiser's (its team manages them) or an affiliate's (for every
    advertiser it works with)."""

    side: Side
    owner_id: str

    @property
    def pk(self) -> str:
        return f"{_PREFIX[self.side]}{self.owner_id}"


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    """One registered URL and the event types it hears.

    Key shape: Core table, PK `ADV#<advertiser_id>` or `AFF#<affiliate_id>` (the owner's partition),
    SK `WEBHOOK#<endpoint_id>`: the dispatcher reads an owner's endpoints with one Query.
    """

    endpoint_id: str
    owner: EndpointOwner
    url: str
    events: frozenset[EventType]
    secret: str  # `whsec_…`: the Standard Webhooks signing secret; never in an audit entry or a log
    created_at: datetime
    updated_at: datetime
    description: str = ""
    enabled: bool = True

    def hears(self, event: Event) -> bool:
        return self.enabled and event.type in self.events

    def as_item(self) -> dict[str, Any]:
        return {
            "pk": self.owner.pk,
            "sk": f"{_SORT_PREFIX}{self.endpoint_id}",
            "endpoint_id": self.endpoint_id,
            "side": self.owner.side.value,
            "owner_id": self.owner.owner_id,
            "url": self.url,
            "events": sorted(self.events),
            "secret": self.secret,
            "description": self.description,
            "enabled": self.enabled,
            "created_at": iso_millis(self.created_at),
            "updated_at": iso_millis(self.updated_at),
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> WebhookEndpoint:
        known = {t.value for t in EventType}  # a type retired from the catalogue is dropped, not fatal
        return cls(
            endpoint_id=item["endpoint_id"],
            owner=EndpointOwner(Side(item["side"]), item["owner_id"]),
            url=item["url"],
            events=frozenset(EventType(e) for e in item.get("events") or () if e in known),
            secret=item["secret"],
            created_at=parse_iso(item["created_at"]),
            updated_at=parse_iso(item["updated_at"]),
            description=item.get("description", ""),
            enabled=bool(item.get("enabled", True)),
        )


def new_endpoint_id() -> str:
    """16 hex digits: short, since the delivery id `<event_id>.wh.<endpoint_id>` carries it."""
    return secrets.token_hex(8)


def event_types_for(side: Side) -> list[EventType]:
    """The types an endpoint of this side may hear, in the catalogue's order: not security notices
    (a person's own), nor the platform's billing of the advertiser (its bill, not its program's)."""
    return [
        spec.type
        for spec in CATALOGUE.values()
        if spec.receives(side) and not spec.security and spec.group is not Group.BILLING
    ]


# ---------------------------------------------------------------------- storage
class EndpointsOfOwner(Protocol):
    def of_owner(self, owner: EndpointOwner) -> list[WebhookEndpoint]: ...


class WebhookEndpointRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def _key(self, owner: EndpointOwner, endpoint_id: str) -> dict[str, Any]:
        return {"pk": {"S": owner.pk}, "sk": {"S": f"{_SORT_PREFIX}{endpoint_id}"}}

    def of_owner(self, owner: EndpointOwner) -> list[WebhookEndpoint]:
        """Every endpoint of the owner, in one Query of its partition (at most MAX_ENDPOINTS)."""
        request = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :webhook)",
            "ExpressionAttributeValues": {":pk": {"S": owner.pk}, ":webhook": {"S": _SORT_PREFIX}},
            "ConsistentRead": True,
        }
        return [WebhookEndpoint.from_item(dynamo.decode(raw)) for raw in dynamo.query(self._c(), request)]

    def get(self, owner: EndpointOwner, endpoint_id: str) -> WebhookEndpoint | None:
        item = (
            self._c()
            .get_item(TableName=self._table, Key=self._key(owner, endpoint_id), ConsistentRead=True)
            .get("Item")
        )
        return WebhookEndpoint.from_item(dynamo.decode(item)) if item else None

    def save(self, endpoint: WebhookEndpoint) -> None:
        self._c().put_item(TableName=self._table, Item=dynamo.encode(endpoint.as_item()))

    def delete(self, owner: EndpointOwner, endpoint_id: str) -> None:
        self._c().delete_item(TableName=self._table, Key=self._key(owner, endpoint_id))


class WebhookEndpoints(EndpointsOfOwner, Protocol):
    """The repository as the service needs it (WebhookEndpointRepository)."""

    def get(self, owner: EndpointOwner, endpoint_id: str) -> WebhookEndpoint | None: ...

    def save(self, endpoint: WebhookEndpoint) -> None: ...

    def delete(self, owner: EndpointOwner, endpoint_id: str) -> None: ...


# ---------------------------------------------------------------------- what is sent
def webhook_body(event: Event) -> str:
    """The signed JSON: `type`, `timestamp` (when it happened) and `data` (the event's facts with its
    id and advertiser, which the facts cannot overwrite), compact with sorted keys."""
    payload = {
        "type": event.type.value,
        "timestamp": iso_millis(event.occurred_at),
        "data": {**event.data, "event_id": event.event_id, "advertiser_id": event.advertiser_id},
    }
    return json.dumps(payload, separators=(",", ":"), sort_keys=True)


def listening_owners(event: Event) -> list[EndpointOwner]:
    """Whose endpoints may hear the event: a side its spec lists and its audience names (the
    advertiser's team, the affiliate); nobody's for a security notice."""
    spec = event.spec
    if spec.security:
        return []
    owners: list[EndpointOwner] = []
    audience: Audience = event.audience
    if event.advertiser_id and audience.advertiser_team and spec.receives(Side.ADVERTISER):
        owners.append(EndpointOwner(Side.ADVERTISER, event.advertiser_id))
    if audience.affiliate_id and spec.receives(Side.AFFILIATE):
        owners.append(EndpointOwner(Side.AFFILIATE, audience.affiliate_id))
    return owners


def sample_event(type: EventType, advertiser_id: str, affiliate_id: str, now: datetime) -> Event:
    """A made-up event of the type for the test button: marked as a test in its id and data."""
    return Event(
        event_id=f"test-{uuid.uuid4()}",
        type=type,
        occurred_at=now,
        advertiser_id=advertiser_id,
        audience=Audience(affiliate_id=affiliate_id),
        data={"test": True},
    )


class WebhookDispatch(Protocol):
    """The fan-out's port: every subscribed endpoint's delivery made and queued; raises when that
    could not be made sure of (everything it does is safe to repeat, so the caller retries)."""

    def dispatch(self, event: Event) -> None: ...
