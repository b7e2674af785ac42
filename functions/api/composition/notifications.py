"""The inbox and the preferences services."""

from __future__ import annotations

from dataclasses import dataclass

from composition import service
from partnerka.common.config import read_settings
from partnerka.notifications.events import Event
from partnerka.notifications.inbox import InboxRepository, InboxService, Rendered
from partnerka.notifications.preferences import PreferenceRepository, PreferenceService


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    core_table: str  # inboxes and preferences


def render(event: Event, locale: str) -> Rendered:
    """notifications.messages.render, imported at the first notice read: the document function
    imports these routes and never renders, and need not load every message's text."""
    from partnerka.notifications.messages import render as render_message

    return render_message(event, locale)


@service
def inbox() -> InboxService:
    return InboxService(InboxRepository(read_settings(NotificationSettings).core_table), render)


@service
def preferences() -> PreferenceService:
    return PreferenceService(PreferenceRepository(read_settings(NotificationSettings).core_table))
