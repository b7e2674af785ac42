"""What the platform tells people: the events worth a notification, who receives each by default and
on which channels, and the one port every producer sends them through.

A producer (the orchestrator, finance, billing, domain checks, accounts) says what happened once, as
an `Event`: its type, the advertiser it happened in, whom it concerns (`Audience`) and the facts the
messages need (`data`, JSON values only). It never names channels or people's addresses: the notifier
fans the event out to the audience's users, by each user's preferences, on e-mail, Telegram and the
in-app inbox, and to the webhook endpoints subscribed to its type.

An event's id is the producer's business key (the conversion and what happened to it, the journal,
the domain check), so a producer that runs twice (a redelivered stream batch, a retried message)
sends the same event twice and the notifier sends it once. `fold_key` folds storms: of the events
with one fold key in one window, the first is sent (with the count of those folded since the last
one sent) and the rest are counted only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from partnerka.common.clock import iso_millis, parse_iso, utc_now
from partnerka.common.observability import logger
from partnerka.notifications.models import Notification

EVENT = "event"  # the notify-queue kind of an event, which the notifier fans out
FORMAT_VERSION = 1


class EventType(StrEnum):
    """The `type` of a webhook's payload too: dotted, stable, never renamed."""

    CONVERSION_LEAD = "conversion.lead"
    CONVERSION_SALE = "conversion.sale"
    CONVERSION_APPROVED = "conversion.approved"
    CONVERSION_REJECTED = "conversion.rejected"
    CONVERSION_REVERSED = "conversion.reversed"
    BALANCE_LOW = "balance.low"
    TOPUP_CONFIRMED = "topup.confirmed"
    TOPUP_REJECTED = "topup.rejected"
    PAYOUT_REQUESTED = "payout.requested"
    PAYOUT_PAID = "payout.paid"
    POSTBACK_FAILING = "postback.failing"
    APPLICATION_RECEIVED = "membership.applied"
    MEMBERSHIP_DECIDED = "membership.decided"
    CAP_REACHED = "offer.cap_reached"
    INVOICE_ISSUED = "invoice.issued"
    DOMAIN_STATUS = "domain.status_changed"
    SIGN_IN_NEW_DEVICE = "security.new_sign_in"
    MFA_DISABLED = "security.mfa_disabled"
    # The platform's own billing of an advertiser (partnerka.billing): its plan and its subscription.
    PLAN_LIMIT_WARNING = "plan.limit_warning"
    TRIAL_ENDING = "billing.trial_ending"
    SUBSCRIPTION_INVOICE = "billing.invoice_issued"
    PAYMENT_FAILED = "billing.payment_failed"
    PAYMENT_REMINDER = "billing.payment_reminder"
    SUBSCRIPTION_SUSPENDED = "billing.suspended"
    SUBSCRIPTION_REACTIVATED = "billing.reactivated"
    # The platform's staff suspend an account (an advertiser, an affiliate everywhere, or an affiliate
    # in one program) and reactivate it (accounts.suspension); `data.scope` says which.
    ACCOUNT_SUSPENDED = "accounts.suspended"
    ACCOUNT_REACTIVATED = "accounts.reactivated"


class Channel(StrEnum):
    EMAIL = "email"
    TELEGRAM = "telegram"
    IN_APP = "in_app"


class Side(StrEnum):
    """Which side of a program a recipient is on: the affiliate's people, the advertiser's team, or
    the user the event is about (security notices)."""

    AFFILIATE = "affiliate"
    ADVERTISER = "advertiser"
    USER = "user"


class Group(StrEnum):
    """How the settings screen groups the events."""

    CONVERSIONS = "conversions"
    MONEY = "money"
    DELIVERY = "delivery"
    PROGRAM = "program"
    SECURITY = "security"
    BILLING = "billing"


ALL_CHANNELS = frozenset(Channel)
INBOX = frozenset({Channel.IN_APP})
INBOX_AND_MAIL = frozenset({Channel.IN_APP, Channel.EMAIL})
NONE: frozenset[Channel] = frozenset()


@dataclass(frozen=True, slots=True)
class EventSpec:
    """One event type: the group it shows in, and the channels each side receives it on by default
    (a side missing from `defaults` never receives it). A security notice goes to its user on every
    channel it has and cannot be turned off; nor does it go to webhooks."""

    type: EventType
    group: Group
    defaults: dict[Side, frozenset[Channel]]
    security: bool = False
    fold_seconds: int = 0  # the window events with one fold key are folded in (0: never folded)

    def receives(self, side: Side) -> bool:
        return side in self.defaults


CATALOGUE: dict[EventType, EventSpec] = {
    spec.type: spec
    for spec in (
        # An advertiser may ask for its conversions too (off by default: it has the statistics).
        EventSpec(
            EventType.CONVERSION_LEAD,
            Group.CONVERSIONS,
            {Side.AFFILIATE: INBOX, Side.ADVERTISER: NONE},
        ),
        EventSpec(
            EventType.CONVERSION_SALE,
            Group.CONVERSIONS,
            {Side.AFFILIATE: INBOX_AND_MAIL, Side.ADVERTISER: NONE},
        ),
        EventSpec(EventType.CONVERSION_APPROVED, Group.CONVERSIONS, {Side.AFFILIATE: INBOX}),
        EventSpec(EventType.CONVERSION_REJECTED, Group.CONVERSIONS, {Side.AFFILIATE: INBOX_AND_MAIL}),
        EventSpec(EventType.CONVERSION_REVERSED, Group.CONVERSIONS, {Side.AFFILIATE: INBOX_AND_MAIL}),
        EventSpec(EventType.BALANCE_LOW, Group.MONEY, {Side.ADVERTISER: ALL_CHANNELS}),
        EventSpec(EventType.TOPUP_CONFIRMED, Group.MONEY, {Side.ADVERTISER: INBOX_AND_MAIL}),
        EventSpec(EventType.TOPUP_REJECTED, Group.MONEY, {Side.ADVERTISER: INBOX_AND_MAIL}),
        EventSpec(EventType.PAYOUT_REQUESTED, Group.MONEY, {Side.ADVERTISER: INBOX_AND_MAIL}),
        EventSpec(EventType.PAYOUT_PAID, Group.MONEY, {Side.AFFILIATE: INBOX_AND_MAIL}),
        EventSpec(
            EventType.POSTBACK_FAILING,
            Group.DELIVERY,
            {Side.AFFILIATE: ALL_CHANNELS},
            fold_seconds=3600,  # at most one alert per URL an hour, with the count
        ),
        EventSpec(EventType.APPLICATION_RECEIVED, Group.PROGRAM, {Side.ADVERTISER: INBOX_AND_MAIL}),
        EventSpec(EventType.MEMBERSHIP_DECIDED, Group.PROGRAM, {Side.AFFILIATE: INBOX_AND_MAIL}),
        EventSpec(
            EventType.CAP_REACHED,
            Group.PROGRAM,
            {Side.ADVERTISER: INBOX_AND_MAIL, Side.AFFILIATE: INBOX},
            fold_seconds=3600,
        ),
        EventSpec(EventType.INVOICE_ISSUED, Group.MONEY, {Side.ADVERTISER: INBOX_AND_MAIL}),
        EventSpec(EventType.DOMAIN_STATUS, Group.PROGRAM, {Side.ADVERTISER: INBOX_AND_MAIL}),
        EventSpec(EventType.SIGN_IN_NEW_DEVICE, Group.SECURITY, {Side.USER: ALL_CHANNELS}, security=True),
        EventSpec(EventType.MFA_DISABLED, Group.SECURITY, {Side.USER: ALL_CHANNELS}, security=True),
        # What the platform bills the advertiser: its team hears it, by e-mail too (a payment that
        # failed or a suspension coming is worth a message outside the dashboard).
        EventSpec(EventType.PLAN_LIMIT_WARNING, Group.BILLING, {Side.ADVERTISER: INBOX_AND_MAIL}),
        EventSpec(EventType.TRIAL_ENDING, Group.BILLING, {Side.ADVERTISER: INBOX_AND_MAIL}),
        EventSpec(EventType.SUBSCRIPTION_INVOICE, Group.BILLING, {Side.ADVERTISER: INBOX_AND_MAIL}),
        EventSpec(EventType.PAYMENT_FAILED, Group.BILLING, {Side.ADVERTISER: ALL_CHANNELS}),
        EventSpec(EventType.PAYMENT_REMINDER, Group.BILLING, {Side.ADVERTISER: INBOX_AND_MAIL}),
        EventSpec(EventType.SUBSCRIPTION_SUSPENDED, Group.BILLING, {Side.ADVERTISER: ALL_CHANNELS}),
        EventSpec(EventType.SUBSCRIPTION_REACTIVATED, Group.BILLING, {Side.ADVERTISER: INBOX_AND_MAIL}),
        # A suspension stops traffic, postbacks and payouts: worth every channel; the reactivation
        # that ends it, the inbox and e-mail.
        EventSpec(
            EventType.ACCOUNT_SUSPENDED,
            Group.PROGRAM,
            {Side.ADVERTISER: ALL_CHANNELS, Side.AFFILIATE: ALL_CHANNELS},
        ),
        EventSpec(
            EventType.ACCOUNT_REACTIVATED,
            Group.PROGRAM,
            {Side.ADVERTISER: INBOX_AND_MAIL, Side.AFFILIATE: INBOX_AND_MAIL},
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Audience:
    """Whom an event concerns: one affiliate's people (in the event's advertiser), the advertiser's
    team, and named users (a security notice's user). Each side hears only the events its spec
    gives it."""

    affiliate_id: str = ""
    advertiser_team: bool = False
    user_ids: tuple[str, ...] = ()

    def as_payload(self) -> dict[str, Any]:
        return {
            "affiliate_id": self.affiliate_id,
            "advertiser_team": self.advertiser_team,
            "user_ids": list(self.user_ids),
        }

    @classmethod
    def from_payload(cls, value: Any) -> Audience:
        found = value if isinstance(value, dict) else {}
        users = found.get("user_ids") or []
        return cls(
            affiliate_id=str(found.get("affiliate_id") or ""),
            advertiser_team=bool(found.get("advertiser_team")),
            user_ids=tuple(str(u) for u in users) if isinstance(users, list) else (),
        )


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened, as a producer says it. `data` holds what the messages show (names,
    amounts as decimal strings with their currency, reasons, links' ids), JSON values only, and never
    a secret: it is shown in the inbox and sent to webhooks as it is."""

    event_id: str
    type: EventType
    occurred_at: datetime
    advertiser_id: str = ""  # "" for what concerns a user everywhere (security notices)
    audience: Audience = field(default_factory=Audience)
    data: dict[str, Any] = field(default_factory=dict)
    fold_key: str = ""  # events with one key are folded within the spec's window (storms)

    @property
    def spec(self) -> EventSpec:
        return CATALOGUE[self.type]

    def as_payload(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "event_id": self.event_id,
            "type": self.type.value,
            "occurred_at": iso_millis(self.occurred_at),
            "advertiser_id": self.advertiser_id,
            "audience": self.audience.as_payload(),
            "data": self.data,
            "fold_key": self.fold_key,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Event:
        """Raises ValueError (or KeyError, TypeError) on a payload that is not an event."""
        if payload.get("v") != FORMAT_VERSION:
            raise ValueError("not an event of a known format")
        data = payload.get("data") or {}
        if not isinstance(data, dict):
            raise TypeError("an event's data is an object")
        event_id = str(payload["event_id"])
        if not event_id:
            raise ValueError("an event needs an id")
        return cls(
            event_id=event_id,
            type=EventType(payload["type"]),
            occurred_at=parse_iso(str(payload["occurred_at"])),
            advertiser_id=str(payload.get("advertiser_id") or ""),
            audience=Audience.from_payload(payload.get("audience")),
            data=data,
            fold_key=str(payload.get("fold_key") or ""),
        )


class Notices(Protocol):
    """Where producers send events. Neither call raises or waits on a channel: a notification that
    cannot go out must not fail or slow the action that caused it. `send_all`: a stream batch's
    events, ten to a queue request."""

    def send(self, event: Event) -> None: ...

    def send_all(self, events: Sequence[Event]) -> None: ...


class EventOutbox(Protocol):
    """The outbox (notifications.outbox.Outbox), as much of it as events need: it never raises."""

    def post_all(self, notifications: Sequence[Notification]) -> None: ...


def event_notification(event: Event) -> Notification:
    """The notify-queue message of an event: its id is the event's, so the notifier's operation for
    it is made once however often it is sent."""
    return Notification(
        id=f"event.{event.event_id}",
        kind=EVENT,
        created_at=event.occurred_at,
        payload=event.as_payload(),
        advertiser_id=event.advertiser_id,
        subject=f"{event.type.value}:{event.event_id}",
    )


class QueuedNotices:
    """Events onto the notify queue, one message each; the notifier fans them out."""

    def __init__(self, outbox: EventOutbox) -> None:
        self._outbox = outbox

    def send(self, event: Event) -> None:
        self.send_all([event])

    def send_all(self, events: Sequence[Event]) -> None:
        try:
            notifications = [event_notification(event) for event in events]
        except Exception:  # a bug in building a message; the outbox itself never raises
            logger.exception("events not queued", events=len(events))
            return
        if notifications:
            self._outbox.post_all(notifications)


def new_event(
    event_id: str,
    type: EventType,
    advertiser_id: str = "",
    audience: Audience | None = None,
    data: dict[str, Any] | None = None,
    fold_key: str = "",
    now: Callable[[], datetime] = utc_now,
) -> Event:
    return Event(event_id, type, now(), advertiser_id, audience or Audience(), data or {}, fold_key)
