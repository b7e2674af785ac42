"""The inbox and the preferences services."""

from __future__ import annotations

from dataclasses import dataclass

from composition import service
from partnerka.common.config import read_settings
from partnerka.notifications.inbox import InboxRepository, InboxService
from partnerka.notifications.preferences import PreferenceRepository, PreferenceService


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    core_table: str  # inboxes and preferences


@service
def inbox() -> InboxService:
    # Imported here, not at the top: the document function imports the routes but never renders.
    from partnerka.notifications.messages import render

    return InboxService(InboxRepository(read_settings(NotificationSettings).core_table), render)


@service
def preferences() -> PreferenceService:
    return PreferenceService(PreferenceRepository(read_settings(NotificationSettings).core_table))
