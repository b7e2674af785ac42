"""Request and response bodies of /api/notifications (the inbox under the bell, and which events a
person hears of on which channels), and how domain values become them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from partnerka.notifications.events import Channel, EventType, Group
from partnerka.notifications.inbox import InboxItem, InboxPage
from partnerka.notifications.preferences import EventChoice, PreferenceView


class NotificationOut(BaseModel):
    id: str
    """Opaque; names the notice in POST /api/notifications/{id}/read."""
    type: EventType
    group: Group
    title: str
    """In the reader's language, rendered when read."""
    body: str
    link: str
    """A dashboard path to what the notice is about (`/conversions`, …)."""
    advertiser_id: str | None
    """The advertiser it happened in; null for what concerns the reader everywhere (security)."""
    created_at: str
    read: bool

    @classmethod
    def of(cls, item: InboxItem) -> NotificationOut:
        return cls(
            id=item.id,
            type=item.type,
            group=item.group,
            title=item.title,
            body=item.body,
            link=item.link,
            advertiser_id=item.advertiser_id,
            created_at=item.created_at,
            read=item.read,
        )


class NotificationsOut(BaseModel):
    items: list[NotificationOut]
    next_cursor: str | None
    """Ask again with `cursor=` this for older notices; null at the end."""
    unread: int
    """Unread notices in reach, counted up to 100 (the bell shows 99+)."""

    @classmethod
    def of(cls, page: InboxPage) -> NotificationsOut:
        return cls(
            items=[NotificationOut.of(item) for item in page.items],
            next_cursor=page.next_cursor,
            unread=page.unread,
        )


class UnreadOut(BaseModel):
    unread: int


class ChannelsOut(BaseModel):
    email: bool
    telegram: bool
    in_app: bool


class EventChoiceOut(BaseModel):
    type: EventType
    group: Group
    security: bool
    """A security notice goes out on every channel and cannot be turned off."""
    channels: ChannelsOut

    @classmethod
    def of(cls, choice: EventChoice) -> EventChoiceOut:
        on = {channel.value: value for channel, value in choice.channels.items()}
        return cls(type=choice.type, group=choice.group, security=choice.security, channels=ChannelsOut(**on))


class TelegramOut(BaseModel):
    linked: bool
    username: str | None
    bot_username: str | None
    """The platform's bot; null where the platform has none (Telegram cannot be linked)."""


class PreferencesOut(BaseModel):
    channels: list[Channel]
    events: list[EventChoiceOut]
    """Only the events the caller can receive, in the order the settings screen lists them."""
    telegram: TelegramOut

    @classmethod
    def of(cls, view: PreferenceView) -> PreferencesOut:
        return cls(
            channels=list(view.channels),
            events=[EventChoiceOut.of(choice) for choice in view.events],
            telegram=TelegramOut(
                linked=view.telegram.linked,
                username=view.telegram.username,
                bot_username=view.telegram.bot_username,
            ),
        )


class PreferencesIn(BaseModel):
    events: dict[str, dict[str, bool]] = Field(max_length=50)
    """Event type → channel → on; only what changes. Turning a security notice off, or naming an
    event the caller cannot receive, is refused whole (400 validation_error)."""
