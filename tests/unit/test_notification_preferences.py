"""Preferences and the inbox against fakes: defaults by side, choices laid over them all or nothing,
security notices that cannot be silenced; the inbox read newest first in the reader's scope,
rendered at read time, marked read one by one or all at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.notice_recipients import sides_of
from partnerka.audit.service import Actor
from partnerka.common.errors import NotFound, ValidationFailed
from partnerka.notifications.events import CATALOGUE, Audience, Channel, Event, EventType, Side
from partnerka.notifications.inbox import InboxService, Notice
from partnerka.notifications.preferences import (
    Preferences,
    PreferenceService,
    channels_for,
)
from tests.unit.fakes import FakeAudit, FakeInbox, FakePreferences

AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


ME = Actor("U1", "u1@aff.example", request_id="r-1", ip="198.51.100.4")


def test_each_side_gets_its_own_defaults_and_a_side_the_spec_omits_gets_nothing() -> None:
    sale, nobody = CATALOGUE[EventType.CONVERSION_SALE], Preferences("U1")
    assert channels_for(sale, Side.AFFILIATE, nobody) == {Channel.IN_APP, Channel.EMAIL}
    assert channels_for(sale, Side.ADVERTISER, nobody) == frozenset()
    assert channels_for(sale, Side.USER, nobody) == frozenset()


def test_what_a_caller_may_receive_follows_its_role() -> None:
    service = PreferenceService(FakePreferences(), FakeAudit())
    types = {role: {e.type for e in service.settings("U1", sides_of(role)).events} for role in Role}
    assert EventType.CONVERSION_SALE in types[Role.AFFILIATE]
    assert EventType.BALANCE_LOW not in types[Role.AFFILIATE]
    assert EventType.BALANCE_LOW in types[Role.ADVERTISER]
    assert EventType.PAYOUT_PAID not in types[Role.ADVERTISER]
    assert types[Role.PLATFORM_ADMIN] == {EventType.SIGN_IN_NEW_DEVICE, EventType.MFA_DISABLED}


def test_a_choice_is_kept_over_the_default_and_the_rest_keep_theirs() -> None:
    store, audit = FakePreferences(), FakeAudit()
    service = PreferenceService(store, audit, now=lambda: AT)
    view = service.change(
        "U1", sides_of(Role.AFFILIATE), {"conversion.sale": {"email": False, "telegram": True}}, ME
    )
    sale = next(e for e in view.events if e.type is EventType.CONVERSION_SALE)
    assert sale.channels == {Channel.EMAIL: False, Channel.TELEGRAM: True, Channel.IN_APP: True}
    assert store.get("U1").updated_at == "2026-12-01T10:00:00.000Z"
    [entry] = audit.records
    assert (entry.action, entry.target) == ("notifications.preferences_changed", "user:U1")
    assert entry.after == {"conversion.sale": {"email": False, "telegram": True}}
    # a later change of another type keeps this one
    service.change("U1", sides_of(Role.AFFILIATE), {"conversion.lead": {"in_app": False}}, ME)
    again = next(e for e in service.settings("U1", sides_of(Role.AFFILIATE)).events if e.type is sale.type)
    assert again.channels == sale.channels


@pytest.mark.parametrize(
    "changes",
    [
        {"security.new_sign_in": {"email": False}},
        {"conversion.sale": {"email": False}, "security.mfa_disabled": {"telegram": False}},
        {"balance.low": {"email": False}},  # an advertiser's event, for an affiliate
        {"no.such": {"email": True}},
        {"conversion.sale": {"pigeon": True}},
    ],
)
def test_a_change_that_cannot_be_made_is_refused_whole(changes: dict[str, dict[str, bool]]) -> None:
    store = FakePreferences()
    service = PreferenceService(store, FakeAudit())
    with pytest.raises(ValidationFailed):
        service.change("U1", sides_of(Role.AFFILIATE), changes, ME)
    assert store.saved == {}


def test_a_security_notice_shows_every_channel_on_and_turning_it_on_is_no_change() -> None:
    service = PreferenceService(FakePreferences(), FakeAudit())
    view = service.change("U1", sides_of(Role.SUPPORT), {"security.new_sign_in": {"email": True}}, ME)
    assert [(e.security, set(e.channels.values())) for e in view.events] == [(True, {True}), (True, {True})]


def test_stored_choices_of_types_and_channels_no_longer_known_are_left_out() -> None:
    found = Preferences.from_item(
        {
            "user_id": "U1",
            "choices": {"conversion.sale": {"email": False, "fax": True}, "gone.type": {"email": 1}},
        }
    )
    assert found.choices == {EventType.CONVERSION_SALE: {Channel.EMAIL: False}}


# ---------------------------------------------------------------------- the inbox
@dataclass(frozen=True)
class Text:
    title: str
    body: str
    link: str


def render(event: Event, locale: str, side: Side | None = None) -> Text:
    return Text(f"{locale}:{event.type.value}", f"{event.data.get('n')}", f"/x/{event.advertiser_id}")


def notice(number: int, scope: str, user_id: str = "U1") -> Notice:
    event = Event(
        f"E{number}",
        EventType.CONVERSION_LEAD,
        AT + timedelta(minutes=number),
        scope,
        Audience(),
        {"n": number},
    )
    return Notice.of(event, user_id)


def filled_inbox() -> FakeInbox:
    inbox = FakeInbox()
    for number, scope in enumerate(["A", "", "B", "A", "A"]):
        inbox.put(notice(number, scope))
    inbox.put(notice(9, "A", user_id="U2"))
    return inbox


def test_a_reader_sees_its_current_advertisers_notices_and_global_ones_newest_first_rendered() -> None:
    service = InboxService(filled_inbox(), render)
    page = service.page("U1", "A", "ru", limit=3, cursor=None)
    assert [(i.title, i.body, i.advertiser_id) for i in page.items] == [
        ("ru:conversion.lead", "4", "A"),
        ("ru:conversion.lead", "3", "A"),
        ("ru:conversion.lead", "1", None),
    ]
    assert page.unread == 4
    rest = service.page("U1", "A", "en", limit=3, cursor=page.next_cursor)
    assert [i.body for i in rest.items] == ["0"]
    assert rest.next_cursor is None


def test_the_unread_list_pages_through_unread_notices_in_reach_only() -> None:
    # Given the reader's inbox with its newest notice in reach already read
    inbox = filled_inbox()
    service = InboxService(inbox, render)
    service.mark_read("U1", "A", notice(4, "A").id)
    # When it lists the unread ones, two at a time
    page = service.page("U1", "A", "en", limit=2, cursor=None, unread_only=True)
    rest = service.page("U1", "A", "en", limit=2, cursor=page.next_cursor, unread_only=True)
    # Then it sees the unread ones of its advertiser and of none, never the read one or another advertiser's
    assert [i.body for i in page.items] == ["3", "1"]
    assert [i.body for i in rest.items] == ["0"]
    assert rest.next_cursor is None
    assert not any(i.read for i in page.items + rest.items)
    assert page.unread == 3


def test_marking_read_counts_down_and_a_notice_out_of_reach_is_not_found() -> None:
    inbox = filled_inbox()
    service = InboxService(inbox, render)
    first = service.page("U1", "A", "en", 10, None).items[0]
    assert service.mark_read("U1", "A", first.id) == 3
    assert service.mark_read("U1", "A", first.id) == 3  # again: still read, nothing changes
    other_scope = notice(2, "B").id
    with pytest.raises(NotFound):
        service.mark_read("U1", "A", other_scope)
    with pytest.raises(ValidationFailed):
        service.mark_read("U1", "A", "not-a-notice")
    assert service.mark_all_read("U1", "A") == 0
    assert service.unread("U1", "A") == 0
    assert service.unread("U1", "B") == 1  # another advertiser's stays unread


def test_a_notice_is_keyed_by_when_its_event_happened_and_kept_ninety_days() -> None:
    # The same event fanned out again later makes the same key: the conditional put finds it.
    first, again = notice(1, "A"), notice(1, "A")
    assert first.sort_key == again.sort_key == "2026-12-01T10:01:00.000Z#E1"
    assert first.expires_at == int((AT + timedelta(minutes=1, days=90)).timestamp())
    assert first.event().data == {"n": 1}
