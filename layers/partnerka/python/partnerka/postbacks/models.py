"""Affiliate postbacks: what an affiliate asked to receive, the events it can receive, and how one
event becomes a request (a GET with macros, or a signed JSON POST in the Standard Webhooks scheme).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from partnerka.common.money import Money
from partnerka.operations.models import Attempt, DeliveryRequest, OperationStatus
from partnerka.tracking.macros import fill_macros
from partnerka.tracking.models import SUB_KEYS


class PostbackEvent(StrEnum):
    """What happened, as the `{status}` macro says it."""

    CLICK = "click"
    LEAD = "lead"
    SALE = "sale"
    APPROVED = "approved"  # a status change: held or pending conversion approved
    REJECTED = "rejected"  # rejected on arrival, or later (with `{reason}`)


DEFAULT_EVENTS = frozenset({PostbackEvent.LEAD, PostbackEvent.SALE, PostbackEvent.REJECTED})


class DeliveryFormat(StrEnum):
    GET = "get"  # the URL with its macros filled, requested with GET
    WEBHOOK = "webhook"  # JSON POSTed to the URL, signed with the affiliate's secret


MACROS = (
    "click_id",
    "affiliate_id",
    "advertiser_id",
    "offer_id",
    "status",
    "payout",
    "currency",
    *SUB_KEYS,
    "timestamp",
    "event_id",
    "reason",
    "conversion_id",
    "goal",
)
MAX_OVERRIDES = 100
SIGNING_SECRET_PREFIX = "whsec_"  # noqa: S105 - the Standard Webhooks prefix, not a secret


@dataclass(frozen=True, slots=True)
class PostbackOverride:
    """A URL for one advertiser (offer_id empty) or one offer of it; an empty URL sends nothing there.
    `events` None keeps the affiliate's global choice."""

    advertiser_id: str
    url: str
    offer_id: str = ""
    events: frozenset[PostbackEvent] | None = None


@dataclass(frozen=True, slots=True)
class Destination:
    url: str
    format: DeliveryFormat


@dataclass(frozen=True, slots=True)
class PostbackSettings:
    """An affiliate's postback: one global URL for every advertiser and offer, and overrides.

    Key shape: Core table, PK `AFF#<affiliate>`, SK `POSTBACK` (one item: the orchestrator reads
    every affiliate's settings with one BatchGetItem).
    """

    affiliate_id: str
    url: str = ""
    events: frozenset[PostbackEvent] = DEFAULT_EVENTS
    format: DeliveryFormat = DeliveryFormat.GET
    signing_secret: str = ""
    overrides: tuple[PostbackOverride, ...] = ()
    updated_at: str = ""

    def destination(self, advertiser_id: str, offer_id: str, event: PostbackEvent) -> Destination | None:
        """Where this event goes: the offer's override, else the advertiser's, else the global URL."""
        url, events = self.url, self.events
        chosen = next(
            (o for o in self.overrides if o.advertiser_id == advertiser_id and o.offer_id == offer_id),
            None,
        ) or next((o for o in self.overrides if o.advertiser_id == advertiser_id and not o.offer_id), None)
        if chosen is not None:
            url = chosen.url
            events = chosen.events if chosen.events is not None else self.events
        if not url or event not in events:
            return None
        return Destination(url, self.format)

    def as_item(self) -> dict[str, Any]:
        return {
            "pk": f"AFF#{self.affiliate_id}",
            "sk": "POSTBACK",
            "affiliate_id": self.affiliate_id,
            "url": self.url,
            "events": sorted(self.events),
            "format": self.format.value,
            "signing_secret": self.signing_secret,
            "overrides": [
                {
                    "advertiser_id": o.advertiser_id,
                    "offer_id": o.offer_id,
                    "url": o.url,
                    "events": sorted(o.events) if o.events is not None else None,
                }
                for o in self.overrides
            ],
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> PostbackSettings:
        return cls(
            affiliate_id=item["affiliate_id"],
            url=item.get("url", ""),
            events=frozenset(PostbackEvent(e) for e in item.get("events") or ()),
            format=DeliveryFormat(item.get("format", DeliveryFormat.GET.value)),
            signing_secret=item.get("signing_secret", ""),
            overrides=tuple(
                PostbackOverride(
                    advertiser_id=o["advertiser_id"],
                    offer_id=o.get("offer_id", ""),
                    url=o.get("url", ""),
                    events=(
                        frozenset(PostbackEvent(e) for e in o["events"])
                        if o.get("events") is not None
                        else None
                    ),
                )
                for o in item.get("overrides") or ()
            ),
            updated_at=item.get("updated_at", ""),
        )


def new_signing_secret() -> str:
    return SIGNING_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass(frozen=True, slots=True)
class EventData:
    """One event an affiliate may be told about, with everything its macros need."""

    event_id: str  # stable: the same event always has the same id (deduplication downstream)
    event: PostbackEvent
    click_id: str
    affiliate_id: str
    advertiser_id: str
    offer_id: str
    occurred_at: datetime
    conversion_id: str = ""
    goal: str = ""
    payout: Money | None = None
    reason: str = ""
    subs: dict[str, str] = field(default_factory=dict)

    def macro_values(self) -> dict[str, str]:
        values = {
            "click_id": self.click_id,
            "affiliate_id": self.affiliate_id,
            "advertiser_id": self.advertiser_id,
            "offer_id": self.offer_id,
            "status": self.event.value,
            "payout": self.payout.as_decimal_string() if self.payout else "0",
            "currency": self.payout.currency if self.payout else "",
            "timestamp": str(int(self.occurred_at.timestamp())),
            "event_id": self.event_id,
            "reason": self.reason,
            "conversion_id": self.conversion_id,
            "goal": self.goal,
        }
        values.update({key: self.subs.get(key, "") for key in SUB_KEYS})
        return values

    def webhook_payload(self) -> dict[str, Any]:
        """The signed JSON body: `type` names the event, `data` carries the same values as the macros."""
        kind = "click" if self.event is PostbackEvent.CLICK else "conversion"
        return {
            "type": f"{kind}.{self.event.value}",
            "timestamp": self.occurred_at.isoformat().replace("+00:00", "Z"),
            "data": self.macro_values(),
        }


@dataclass(frozen=True, slots=True)
class OutgoingRequest:
    """What the sender sends: the method, the URL and, for webhooks, the JSON body (unsigned: the
    signature carries the time of each attempt)."""

    method: str
    url: str
    body: str = ""


def build_request(destination: Destination, event: EventData) -> OutgoingRequest:
    if destination.format is DeliveryFormat.WEBHOOK:
        body = json.dumps(event.webhook_payload(), separators=(",", ":"), sort_keys=True)
        return OutgoingRequest("POST", destination.url.strip(), body)
    return OutgoingRequest("GET", fill_macros(destination.url.strip(), event.macro_values()))


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event sent to one affiliate's postback URL, with every attempt (statuses: pending, retrying,
    success, failed). Its id is the event's id, so an event is delivered at most once. It is stored
    and run as an operation of the orchestrator's log (type `postback`); postbacks.repository turns
    one into the other, so the postbacks code deals in deliveries only."""

    delivery_id: str
    status: OperationStatus
    request: DeliveryRequest  # the event, where it goes and what is sent (the raw URL: never shown)
    created_at: datetime
    updated_at: datetime
    advertiser_id: str
    affiliate_id: str
    attempts: int = 0
    max_attempts: int = 1
    next_attempt_at: datetime | None = None
    finished_at: datetime | None = None
    last_error: str = ""
    replays: int = 0
    dead_lettered: bool = False  # its DLQ message was sent (a failed delivery's last step)
    history: tuple[Attempt, ...] = ()


def webhook_headers(secret: str, message_id: str, timestamp: int, body: str) -> dict[str, str]:
    """The Standard Webhooks headers: HMAC-SHA256 of `<id>.<timestamp>.<body>` with the secret's
    bytes (base64 after the `whsec_` prefix), sent as `v1,<base64 signature>`."""
    key = base64.b64decode(secret.removeprefix(SIGNING_SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{signature}",
        "content-type": "application/json",
    }


_SECRET_NAME = re.compile(r"secret|token|key|pass|sig|auth|hash|pwd", re.IGNORECASE)


def mask_url(url: str) -> str:
    """The URL as logs and screens show it: values of parameters named like secrets become `***`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    masked = [(name, "***" if _SECRET_NAME.search(name) and value else value) for name, value in pairs]
    return urlunsplit(parts._replace(query=urlencode(masked, safe="*{}")))


def event_id(subject_id: str, event: PostbackEvent) -> str:
    """An event's id, and so its delivery's (one delivery per event and affiliate):
    `<click_id>.click`, `<conversion_id>.<lead|sale|approved|rejected>`."""
    return f"{subject_id}.{event.value}"
