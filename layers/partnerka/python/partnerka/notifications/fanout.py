"""The fan-out: the notifier's channel for events (kind `event`). One event becomes what each person
of its audience chose to hear of it: an inbox notice, an e-mail, a Telegram message; and a call of
the webhooks subscribed to its type.

It runs as the notifier's operation `event.<event_id>`, so a message delivered again fans out once.
When a step fails the attempt fails and is tried again whole, so every step is idempotent: the inbox
notice is a conditional put on a key of the event, and each e-mail or Telegram message is a
notification of its own whose id names the event, the person and the channel, which the notifier
sends once whoever posts it how often.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from partnerka.common.observability import logger
from partnerka.notifications.email import MailBrand
from partnerka.notifications.event_email import EVENT_EMAIL, event_email_payload
from partnerka.notifications.events import Channel, Event, EventType, Side
from partnerka.notifications.folding import Folding
from partnerka.notifications.inbox import InboxStore, Notice
from partnerka.notifications.models import Notification
from partnerka.notifications.outbox import NotificationQueue
from partnerka.notifications.preferences import PreferenceStore, effective_channels
from partnerka.notifications.telegram import TELEGRAM, telegram_payload
from partnerka.operations.runner import AttemptResult


@dataclass(frozen=True, slots=True)
class Recipient:
    """A person an event may reach: `email` is set only for a confirmed address (mail goes to no
    other), `locale` the language its messages are written in."""

    user_id: str
    email: str
    locale: str


class Recipients(Protocol):
    """The people behind an audience, active ones only (accounts.notice_recipients)."""

    def of_affiliate(self, affiliate_id: str) -> list[Recipient]: ...

    def of_team(self, advertiser_id: str) -> list[Recipient]: ...

    def of_users(self, user_ids: Sequence[str]) -> list[Recipient]: ...


class MailBrands(Protocol):
    """branding.book.BrandBook: how an advertiser's e-mails to its affiliates look."""

    def mail_brand(self, advertiser_id: str, base_url: str) -> MailBrand | None: ...


class PortalBases(Protocol):
    """domains.links.LinkBases: the advertiser's portal domain's URL, else the platform's."""

    def portal_base(self, advertiser_id: str) -> str: ...


class TelegramChats(Protocol):
    """The Telegram chats people linked (notifications.telegram)."""

    def chats_of(self, user_ids: Sequence[str]) -> dict[str, int]:
        """User id → chat id, for those of `user_ids` with a linked chat."""
        ...


class Names(Protocol):
    """The names messages show beside ids (offers, accounts): a producer that has no name at hand
    sends the id, and the fan-out names it once for every channel. None: no such offer or advertiser."""

    def offer_name(self, advertiser_id: str, offer_id: str) -> str | None: ...

    def advertiser_name(self, advertiser_id: str) -> str | None: ...


class WebhookDispatch(Protocol):
    """The webhooks subscribed to an event (notifications.webhooks): raises when it cannot hand the
    event over, so the fan-out is tried again."""

    def dispatch(self, event: Event) -> None: ...


@dataclass(frozen=True, slots=True)
class Reach:
    """One person an event reaches, on the sides it is reached as."""

    recipient: Recipient
    sides: frozenset[Side]

    @property
    def side(self) -> Side:
        """The side its messages' links lead to: its own program pages first."""
        return next(s for s in (Side.AFFILIATE, Side.ADVERTISER, Side.USER) if s in self.sides)


@dataclass(frozen=True, slots=True)
class Looks:
    """What messages to the affiliate side of an advertiser's event wear: its brand and its portal's
    links; everyone else gets the platform's."""

    brand: MailBrand | None
    base_url: str


class FanOut:
    """`telegram`, `webhooks`: None where the platform has no Telegram bot, or no webhooks."""

    def __init__(
        self,
        recipients: Recipients,
        preferences: PreferenceStore,
        inbox: InboxStore,
        folding: Folding,
        queue: NotificationQueue,
        brands: MailBrands,
        portals: PortalBases,
        dashboard_url: str,
        platform_name: str,
        telegram: TelegramChats | None = None,
        webhooks: WebhookDispatch | None = None,
        unsubscribe: Callable[[str, EventType], str] | None = None,
        names: Names | None = None,
    ) -> None:
        self._recipients = recipients
        self._preferences = preferences
        self._inbox = inbox
        self._folding = folding
        self._queue = queue
        self._brands = brands
        self._portals = portals
        self._dashboard_url = dashboard_url.rstrip("/")
        self._platform_name = platform_name
        self._telegram = telegram
        self._webhooks = webhooks
        self._unsubscribe = unsubscribe
        self._names = names

    def deliver(self, notification: Notification) -> AttemptResult:
        try:
            event = Event.from_payload(notification.payload)
        except (ValueError, KeyError, TypeError) as error:
            return AttemptResult(
                ok=False, error_class="bad_payload", error=f"not an event: {error}", permanent=True
            )
        admitted = self._folding.admit(event)
        if admitted is None:
            logger.info("event folded", event_id=event.event_id, fold_key=event.fold_key)
            return AttemptResult(ok=True)
        self.fan_out(self.named(admitted))
        return AttemptResult(ok=True)

    def named(self, event: Event) -> Event:
        """The event with the names of the offer and the advertiser it concerns where its producer
        sent only their ids (an affiliate reads the advertiser's name, never its id)."""
        if self._names is None or not event.advertiser_id:
            return event
        data = dict(event.data)
        offer_id = data.get("offer_id")
        unnamed = isinstance(offer_id, str) and offer_id and not data.get("offer_name")
        if unnamed and (offer := self._names.offer_name(event.advertiser_id, str(offer_id))):
            data["offer_name"] = offer
        unnamed = event.spec.receives(Side.AFFILIATE) and not data.get("advertiser_name")
        if unnamed and (advertiser := self._names.advertiser_name(event.advertiser_id)):
            data["advertiser_name"] = advertiser
        return replace(event, data=data) if data != event.data else event

    def fan_out(self, event: Event) -> None:
        """The event to each person of its audience on the channels it chose, and to the webhooks.
        Raises when any of it fails (all of it is safe to do again)."""
        reached = self.audience(event)
        preferences = self._preferences.get_many(list(reached))
        wanted = {
            user_id: effective_channels(event.spec, reach.sides, preferences[user_id])
            for user_id, reach in reached.items()
        }
        chats = self._chats([user_id for user_id, channels in wanted.items() if Channel.TELEGRAM in channels])
        looks = self._looks(event, reached)
        sends: list[Notification] = []
        for user_id, channels in wanted.items():
            reach = reached[user_id]
            look = looks if Side.AFFILIATE in reach.sides else None
            if Channel.IN_APP in channels:
                self._inbox.put(Notice.of(event, user_id, reach.side))
            if Channel.EMAIL in channels and reach.recipient.email:
                sends.append(self._email(event, reach, look))
            if Channel.TELEGRAM in channels and user_id in chats:
                sends.append(self._telegram_message(event, reach, chats[user_id], look))
        # Ten to a request; a refusal raises and the whole fan-out is tried again (every id is the
        # event's: nothing goes out twice).
        self._queue.send([notification.body() for notification in sends])
        if self._webhooks is not None and not event.spec.security:
            self._webhooks.dispatch(event)
        logger.info("event fanned out", event_id=event.event_id, type=event.type.value, people=len(reached))

    def audience(self, event: Event) -> dict[str, Reach]:
        """The people the event reaches, by user id, each with the sides it is reached as: only the
        sides the event's spec gives it to."""
        spec, audience = event.spec, event.audience
        found: dict[str, tuple[Recipient, set[Side]]] = {}

        def add(side: Side, people: list[Recipient]) -> None:
            for person in people:
                found.setdefault(person.user_id, (person, set()))[1].add(side)

        if audience.affiliate_id and spec.receives(Side.AFFILIATE):
            add(Side.AFFILIATE, self._recipients.of_affiliate(audience.affiliate_id))
        if audience.advertiser_team and event.advertiser_id and spec.receives(Side.ADVERTISER):
            add(Side.ADVERTISER, self._recipients.of_team(event.advertiser_id))
        if audience.user_ids and spec.receives(Side.USER):
            add(Side.USER, self._recipients.of_users(audience.user_ids))
        return {user_id: Reach(person, frozenset(sides)) for user_id, (person, sides) in found.items()}

    def _chats(self, user_ids: list[str]) -> dict[str, int]:
        if not user_ids or self._telegram is None:
            return {}
        return self._telegram.chats_of(user_ids)

    def _looks(self, event: Event, reached: dict[str, Reach]) -> Looks:
        """The affiliate side's brand and links, read only when someone on that side is reached."""
        if not event.advertiser_id or not any(Side.AFFILIATE in r.sides for r in reached.values()):
            return Looks(None, self._dashboard_url)
        base_url = self._portals.portal_base(event.advertiser_id).rstrip("/")
        return Looks(self._brands.mail_brand(event.advertiser_id, base_url), base_url)

    def _email(self, event: Event, reach: Reach, looks: Looks | None) -> Notification:
        recipient = reach.recipient
        # Security mail cannot be turned off, so it carries no way to.
        token = (
            self._unsubscribe(recipient.user_id, event.type)
            if self._unsubscribe is not None and not event.spec.security
            else ""
        )
        payload = event_email_payload(
            event,
            recipient.user_id,
            recipient.email,
            recipient.locale,
            looks.base_url if looks else self._dashboard_url,
            token,
            looks.brand if looks else None,
            reach.side,
        )
        return self._notification(EVENT_EMAIL, payload, event, recipient, "email")

    def _telegram_message(
        self, event: Event, reach: Reach, chat_id: int, looks: Looks | None
    ) -> Notification:
        recipient = reach.recipient
        payload = telegram_payload(
            event,
            recipient.user_id,
            chat_id,
            recipient.locale,
            looks.base_url if looks else self._dashboard_url,
            looks.brand.name if looks and looks.brand else self._platform_name,
            reach.side,
        )
        return self._notification(TELEGRAM, payload, event, recipient, "telegram")

    @staticmethod
    def _notification(
        kind: str, payload: dict[str, Any], event: Event, recipient: Recipient, suffix: str
    ) -> Notification:
        return Notification(
            id=f"{event.event_id}.{recipient.user_id}.{suffix}",
            kind=kind,
            created_at=event.occurred_at,
            payload=payload,
            advertiser_id=event.advertiser_id,
            subject=f"user:{recipient.user_id}",
        )
