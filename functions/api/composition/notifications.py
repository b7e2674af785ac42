"""The inbox and the preferences services (with where each person stands with the Telegram bot)."""

from __future__ import annotations

from dataclasses import dataclass

from composition import audit, service
from composition.telegram import telegram_linking
from partnerka.common.config import read_settings
from partnerka.notifications.inbox import InboxRepository, InboxService
from partnerka.notifications.messages import render
from partnerka.notifications.preferences import (
    PreferenceRepository,
    PreferenceService,
    TelegramLink,
)
from partnerka.notifications.unsubscribe import PreferenceSwitch


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    core_table: str  # inboxes and preferences


@dataclass(frozen=True, slots=True)
class _Person:
    user_id: str
    locale: str = "en"


class TelegramStanding:
    """preferences.TelegramLinks over the Telegram linking: linked or not, as whom, and the bot."""

    def link_of(self, user_id: str) -> TelegramLink:
        status = telegram_linking().status(_Person(user_id))
        return TelegramLink(status.linked, status.username, status.bot_username)


@service
def inbox() -> InboxService:
    return InboxService(InboxRepository(read_settings(NotificationSettings).core_table), render)


@service
def preferences() -> PreferenceService:
    return PreferenceService(
        PreferenceRepository(read_settings(NotificationSettings).core_table), audit(), TelegramStanding()
    )


def preference_switch() -> PreferenceSwitch:
    return preferences()
