"""Which events each person hears of, on which channels: the catalogue's defaults for the person's side
of a program, with the choices the person made over them.

A person changes only what the sides it is on can receive (an affiliate's people: the affiliate's
events and their own security notices; an advertiser's team: the advertiser's events and theirs;
platform staff: their security notices alone). A security notice goes out on every channel and
cannot be turned off: a choice that would is refused whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from partnerka.audit.service import Actor, AuditTrail
from partnerka.common import dynamo
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import ValidationFailed
from partnerka.notifications.events import (
    ALL_CHANNELS,
    CATALOGUE,
    Channel,
    EventSpec,
    EventType,
    Group,
    Side,
)

PREFS_SK = "NOTIFY#PREFS"
_TYPES = {type.value for type in EventType}
_CHANNELS = {channel.value for channel in Channel}
Choices = Mapping[EventType, Mapping[Channel, bool]]


@dataclass(frozen=True, slots=True)
class Preferences:
    """One person's choices over the defaults. PK `USER#<user_id>`, SK `NOTIFY#PREFS`; `choices` maps
    an event type to the channels the person turned on (True) or off (False); a channel it never
    chose for a type keeps the default of its side. A person who never chose has no item."""

    user_id: str
    choices: Choices = field(default_factory=dict)
    updated_at: str = ""

    @staticmethod
    def key(user_id: str) -> dict[str, dict[str, str]]:
        return {"pk": {"S": f"USER#{user_id}"}, "sk": {"S": PREFS_SK}}

    def as_item(self) -> dict[str, Any]:
        return {
            "pk": f"USER#{self.user_id}",
            "sk": PREFS_SK,
            "user_id": self.user_id,
            "choices": {
                type.value: {channel.value: on for channel, on in chosen.items()}
                for type, chosen in self.choices.items()
                if chosen
            },
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Preferences:
        """What is readable of a stored item: an event type or channel the catalogue no longer has is
        left out (its choice no longer means anything)."""
        stored = item.get("choices") if isinstance(item.get("choices"), dict) else {}
        choices: dict[EventType, dict[Channel, bool]] = {}
        for type_name, chosen in (stored or {}).items():
            if type_name not in _TYPES or not isinstance(chosen, dict):
                continue
            channels = {Channel(name): bool(on) for name, on in chosen.items() if name in _CHANNELS}
            if channels:
                choices[EventType(type_name)] = channels
        return cls(str(item.get("user_id") or ""), choices, str(item.get("updated_at") or ""))


def channels_for(spec: EventSpec, side: Side, preferences: Preferences) -> frozenset[Channel]:
    """The channels a person on `side` receives `spec`'s events on: none when the side never receives
    them; every channel for a security notice; else the side's defaults with the person's choices."""
    if not spec.receives(side):
        return frozenset()
    if spec.security:
        return ALL_CHANNELS
    chosen = preferences.choices.get(spec.type, {})
    return frozenset(c for c in Channel if chosen.get(c, c in spec.defaults[side]))


def receivable(sides: Iterable[Side]) -> list[EventSpec]:
    """The catalogue's events a person on `sides` may receive, in the catalogue's order."""
    wanted = frozenset(sides)
    return [spec for spec in CATALOGUE.values() if any(spec.receives(side) for side in wanted)]


def effective_channels(
    spec: EventSpec, sides: Iterable[Side], preferences: Preferences
) -> frozenset[Channel]:
    """`channels_for` over every side the person is on for an event (the union)."""
    found: frozenset[Channel] = frozenset()
    for side in sides:
        found |= channels_for(spec, side, preferences)
    return found


def with_choices(
    preferences: Preferences, changes: Mapping[str, Mapping[str, bool]], sides: Iterable[Side], at: str
) -> Preferences:
    """The preferences with `changes` (event type → channel → on) laid over them, all or nothing:
    an unknown type or channel, a type the person's sides never receive, or a security notice
    turned off is refused (ValidationFailed) and nothing changes."""
    allowed = {spec.type: spec for spec in receivable(sides)}
    merged: dict[EventType, dict[Channel, bool]] = {t: dict(c) for t, c in preferences.choices.items()}
    for type_name, chosen in changes.items():
        spec = allowed.get(EventType(type_name)) if type_name in _TYPES else None
        if spec is None:
            raise ValidationFailed(f"'{type_name}' is not an event you can receive")
        for channel_name, on in chosen.items():
            if channel_name not in _CHANNELS:
                raise ValidationFailed(f"'{channel_name}' is not a channel")
            if spec.security and not on:
                raise ValidationFailed(f"security notices ({type_name}) cannot be turned off")
            if not spec.security:
                merged.setdefault(spec.type, {})[Channel(channel_name)] = bool(on)
    return Preferences(preferences.user_id, merged, at)


class PreferenceStore(Protocol):
    def get(self, user_id: str) -> Preferences:
        """The person's preferences; none chosen (the defaults) when it never saved any."""
        ...

    def get_many(self, user_ids: Sequence[str]) -> dict[str, Preferences]:
        """Every one of `user_ids`' preferences (defaults for those who never chose), in one read."""
        ...

    def save(self, preferences: Preferences) -> None: ...


class PreferenceRepository:
    """Preferences in the core table: GetItem for one person, BatchGetItem for a fan-out's audience."""

    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def get(self, user_id: str) -> Preferences:
        item = self._c().get_item(TableName=self._table, Key=Preferences.key(user_id)).get("Item")
        return Preferences.from_item(dynamo.decode(item)) if item else Preferences(user_id)

    def get_many(self, user_ids: Sequence[str]) -> dict[str, Preferences]:
        wanted = list(dict.fromkeys(user_ids))
        found = {user_id: Preferences(user_id) for user_id in wanted}
        keys = [Preferences.key(user_id) for user_id in wanted]
        for raw in dynamo.batch_get(self._c(), self._table, keys):
            preferences = Preferences.from_item(dynamo.decode(raw))
            found[preferences.user_id] = preferences
        return found

    def save(self, preferences: Preferences) -> None:
        self._c().put_item(TableName=self._table, Item=dynamo.encode(preferences.as_item()))


@dataclass(frozen=True, slots=True)
class EventChoice:
    """One event type on the settings screen, with the channels it goes out on for the person."""

    type: EventType
    group: Group
    security: bool
    channels: dict[Channel, bool]


@dataclass(frozen=True, slots=True)
class TelegramLink:
    """Whether the person's Telegram is linked, as whom, and the platform's bot (None: no bot)."""

    linked: bool = False
    username: str | None = None
    bot_username: str | None = None


class TelegramLinks(Protocol):
    """Where a person stands with the platform's Telegram bot (notifications.telegram)."""

    def link_of(self, user_id: str) -> TelegramLink: ...


@dataclass(frozen=True, slots=True)
class PreferenceView:
    channels: tuple[Channel, ...]
    events: list[EventChoice]
    telegram: TelegramLink


class PreferenceService:
    """The API's side of preferences: what a person may receive and its choices, and changing them.
    `telegram`: the Telegram bot's links; None on a platform without a bot (nobody is linked)."""

    def __init__(
        self,
        store: PreferenceStore,
        audit: AuditTrail,
        telegram: TelegramLinks | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._audit = audit
        self._telegram = telegram
        self._now = now

    def settings(self, user_id: str, sides: frozenset[Side]) -> PreferenceView:
        """The events `sides` may receive and the channels each goes out on for the person."""
        return self._view(self._store.get(user_id), sides)

    def change(
        self,
        user_id: str,
        sides: frozenset[Side],
        changes: Mapping[str, Mapping[str, bool]],
        actor: Actor,
    ) -> PreferenceView:
        """Lay `changes` over the person's choices (refused whole, see `with_choices`); audited."""
        current = self._store.get(user_id)
        changed = with_choices(current, changes, sides, iso_millis(self._now()))
        self._store.save(changed)
        self._audit.record(
            actor,
            None,
            "notifications.preferences_changed",
            f"user:{user_id}",
            _audited(current),
            _audited(changed),
        )
        return self._view(changed, sides)

    def turn_off(self, user_id: str, type: EventType, channel: Channel, actor: Actor) -> None:
        """One event type off on one channel (an e-mail's unsubscribe link), audited; a security
        notice stays on, as everywhere."""
        if CATALOGUE[type].security:
            return
        current = self._store.get(user_id)
        choices = {t: dict(c) for t, c in current.choices.items()}
        choices.setdefault(type, {})[channel] = False
        changed = Preferences(user_id, choices, iso_millis(self._now()))
        self._store.save(changed)
        self._audit.record(
            actor,
            None,
            "notifications.unsubscribed",
            f"user:{user_id}",
            _audited(current),
            _audited(changed),
        )

    def _view(self, preferences: Preferences, sides: frozenset[Side]) -> PreferenceView:
        events = []
        for spec in receivable(sides):
            on = effective_channels(spec, sides, preferences)
            events.append(EventChoice(spec.type, spec.group, spec.security, {c: c in on for c in Channel}))
        telegram = self._telegram.link_of(preferences.user_id) if self._telegram else TelegramLink()
        return PreferenceView(tuple(Channel), events, telegram)


def _audited(preferences: Preferences) -> dict[str, Any]:
    """What an audit entry keeps of a person's choices: each event type's channels chosen."""
    return {t.value: {c.value: on for c, on in chosen.items()} for t, chosen in preferences.choices.items()}
