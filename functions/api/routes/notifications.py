"""/api/notifications: the caller's inbox (its notices of the advertiser it works in now and of none,
newest first), the unread count the bell polls, marking read, and the caller's choices of events and
channels. Every route is the caller's own: a person's, never an API key's. Bodies:
routes.notification_schemas.
"""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from composition.notifications import inbox, preferences

from partnerka.accounts.notice_recipients import sides_of
from routes.notification_schemas import NotificationsOut, PreferencesIn, PreferencesOut, UnreadOut

router = Router()  # type: ignore[no-untyped-call]


def _reader() -> tuple[str, str, str]:
    """The caller's id, its scope (the advertiser it works in now, "" for none) and its language."""
    principal, user = current(router.current_event.headers)
    return principal.user_id, principal.advertiser_id or "", user.locale


@router.get("/notifications", summary="The caller's notices, newest first, with the unread count")
def list_notifications(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    unread: Annotated[bool, Query(description="only the notices not read yet")] = False,
    lang: Annotated[
        Literal["en", "ru"] | None,
        Query(description="the language to write them in (the dashboard's now); the caller's own by default"),
    ] = None,
) -> NotificationsOut:
    user_id, scope, locale = _reader()
    page = inbox().page(user_id, scope, lang or locale, limit, cursor, unread_only=unread)
    return NotificationsOut.of(page)


@router.get("/notifications/unread", summary="How many of the caller's notices are unread")
def unread() -> UnreadOut:
    user_id, scope, _ = _reader()
    return UnreadOut(unread=inbox().unread(user_id, scope))


@router.post("/notifications/read-all", summary="Mark every notice in reach read")
def mark_all_read() -> UnreadOut:
    user_id, scope, _ = _reader()
    return UnreadOut(unread=inbox().mark_all_read(user_id, scope))


@router.post("/notifications/<notice_id>/read", summary="Mark one notice read")
def mark_read(notice_id: str) -> UnreadOut:
    user_id, scope, _ = _reader()
    return UnreadOut(unread=inbox().mark_read(user_id, scope, notice_id))


@router.get(
    "/notifications/preferences", summary="The events the caller can receive and its channels for each"
)
def get_preferences() -> PreferencesOut:
    principal, _ = current(router.current_event.headers)
    return PreferencesOut.of(preferences().settings(principal.user_id, sides_of(principal.role)))


@router.put("/notifications/preferences", summary="Turn channels of events on or off")
def save_preferences(body: Annotated[PreferencesIn, Body()]) -> PreferencesOut:
    principal, user = current(router.current_event.headers)
    view = preferences().change(
        principal.user_id, sides_of(principal.role), body.events, actor_of(router.current_event, user)
    )
    return PreferencesOut.of(view)
