"""Notifications on moto: an event queued as producers queue it, fanned out by the notifier function
into the affiliate's inbox (once, however often its message comes) and read through the API in the
affiliate's current advertiser's scope; marking read (the inbox's unread index and its conditional
put, which a retried fan-out cannot make unread again); preferences through the API."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.common.config import read_settings
from partnerka.notifications.events import Audience, Channel, Event, EventType, QueuedNotices
from partnerka.notifications.inbox import InboxRepository, Notice
from partnerka.notifications.outbox import Outbox
from partnerka.notifications.preferences import PreferenceRepository
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository
from tests.integration.api_client import Api
from tests.integration.conftest import FunctionLoader
from tests.integration.world import PASSWORD, World, build_world

# The inbox renders through the messages module (notifications.messages), written beside this one.
pytest.importorskip("partnerka.notifications.messages")

AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@dataclass
class People:
    api: Api
    world: World
    tokens: dict[str, str]  # who → access token (the affiliate's in the advertiser's context)
    user_ids: dict[str, str]


@pytest.fixture
def people(load_function: FunctionLoader, mailbox: Any) -> People:
    world = build_world(with_people=True)
    api = Api(load_function("api"), mailbox=mailbox)
    tokens = {
        who: api.login(world.emails[who], PASSWORD)["access_token"]
        for who in ("advertiser", "affiliate", "owner")
    }
    switched = api.call(
        "POST", "/api/me/context", {"advertiser_id": world.advertiser_id}, token=tokens["affiliate"]
    )
    assert switched.status == 200, switched.body
    tokens["affiliate"] = switched.body["access_token"]
    service, _ = account_services(read_settings(AccountSettings))
    user_ids = {who: service.accounts.find_user_by_email(world.emails[who]).user_id for who in tokens}  # type: ignore[union-attr]
    return People(api, world, tokens, user_ids)


def notices() -> QueuedNotices:
    return QueuedNotices(
        Outbox(SqsQueue(os.environ["NOTIFY_QUEUE_URL"]), OperationsRepository(os.environ["OPERATIONS_TABLE"]))
    )


def sale(world: World, conversion_id: str = "C1") -> Event:
    return Event(
        f"{conversion_id}.sale",
        EventType.CONVERSION_SALE,
        AT,
        world.advertiser_id,
        Audience(affiliate_id=world.affiliate_id, advertiser_team=True),
        {"conversion_id": conversion_id, "offer_name": "Sneakers", "payout": "12.50", "currency": "USD"},
    )


def queued_kinds() -> list[str]:
    """`kind:id` of each notification waiting on the notify queue."""
    sqs = boto3.client("sqs")
    found = []
    while batch := sqs.receive_message(QueueUrl=os.environ["NOTIFY_QUEUE_URL"], MaxNumberOfMessages=10).get(
        "Messages"
    ):
        bodies = [json.loads(m["Body"]) for m in batch]
        found += [f"{body['kind']}:{body['id']}" for body in bodies]
    return sorted(found)


def test_an_event_reaches_the_affiliates_inbox_once_and_its_mail_is_queued(people: People) -> None:
    # Given a sale sent twice by its producer
    notices().send(sale(people.world))
    notices().send(sale(people.world))
    # When the notifier takes the queue
    people.api.mailbox.deliver()
    # Then the affiliate has one unread notice of it, in the advertiser's scope
    reply = people.api.call("GET", "/api/notifications", token=people.tokens["affiliate"])
    assert reply.status == 200, reply.body
    (item,) = reply.body["items"]
    assert (item["type"], item["group"], item["advertiser_id"], item["read"]) == (
        "conversion.sale",
        "conversions",
        people.world.advertiser_id,
        False,
    )
    assert item["title"].startswith("New sale")  # the affiliate's own language
    assert item["link"].startswith("/")
    assert reply.body["unread"] == 1
    # written in the language the dashboard shows now, when it asks for one
    russian = people.api.call("GET", "/api/notifications", token=people.tokens["affiliate"], lang="ru")
    assert russian.body["items"][0]["title"].startswith("Новая продажа")
    assert (
        people.api.call("GET", "/api/notifications", token=people.tokens["affiliate"], lang="fr").code
        == "validation_error"
    )
    # the team hears nothing of a sale by default
    assert people.api.call("GET", "/api/notifications/unread", token=people.tokens["advertiser"]).body == {
        "unread": 0
    }
    # and the affiliate's e-mail waits on the queue as a notification of its own, once
    affiliate = people.user_ids["affiliate"]
    assert queued_kinds() == [f"event_email:C1.sale.{affiliate}.email"]


def stored_notice(user_id: str, number: int, scope: str) -> Notice:
    event = Event(
        f"E{number}", EventType.CONVERSION_LEAD, AT + timedelta(minutes=number), scope, data={"n": number}
    )
    return Notice.of(event, user_id)


def test_the_inbox_pages_newest_first_in_the_readers_scope_and_marks_read(people: People) -> None:
    # Given the affiliate's notices: its current advertiser's, another advertiser's and a global one
    inbox = InboxRepository(os.environ["CORE_TABLE"])
    affiliate, token = people.user_ids["affiliate"], people.tokens["affiliate"]
    scopes = [people.world.advertiser_id, "OTHER-ADV", "", people.world.advertiser_id]
    for number, scope in enumerate(scopes):
        assert inbox.put(stored_notice(affiliate, number, scope))
    # When it reads two at a time
    first = people.api.call("GET", "/api/notifications", token=token, limit=2)
    assert first.status == 200, first.body
    rest = people.api.call(
        "GET", "/api/notifications", token=token, limit=2, cursor=first.body["next_cursor"]
    )
    # Then it sees its advertiser's and the global ones, newest first, never the other advertiser's
    created = [item["created_at"] for item in first.body["items"] + rest.body["items"]]
    assert created == ["2026-12-01T10:03:00.000Z", "2026-12-01T10:02:00.000Z", "2026-12-01T10:00:00.000Z"]
    assert rest.body["next_cursor"] is None
    assert first.body["unread"] == 3
    # When it marks one read, then all
    one = first.body["items"][0]["id"]
    assert people.api.call("POST", f"/api/notifications/{one}/read", token=token).body == {"unread": 2}
    other = stored_notice(affiliate, 1, "OTHER-ADV").id
    assert people.api.call("POST", f"/api/notifications/{other}/read", token=token).code == "not_found"
    assert people.api.call("POST", "/api/notifications/read-all", token=token).body == {"unread": 0}
    # Then nothing in reach is unread; the other advertiser's notice still is, and stays stored once
    assert people.api.call("GET", "/api/notifications/unread", token=token).body == {"unread": 0}
    assert inbox.unread(affiliate, "OTHER-ADV") == 1
    assert not inbox.put(stored_notice(affiliate, 0, people.world.advertiser_id))  # a retried fan-out
    assert inbox.unread(affiliate, people.world.advertiser_id) == 0  # ... leaves it read
    assert people.api.call("GET", "/api/notifications", token=token, cursor="%%%").code == "validation_error"


def test_the_unread_list_comes_from_the_unread_index_and_pages_on_past_a_notice_read_meanwhile(
    people: People,
) -> None:
    # Given five notices in the affiliate's reach, the newest read, and one of another advertiser
    inbox = InboxRepository(os.environ["CORE_TABLE"])
    affiliate, token = people.user_ids["affiliate"], people.tokens["affiliate"]
    for number in range(5):
        assert inbox.put(stored_notice(affiliate, number, people.world.advertiser_id if number % 2 else ""))
    inbox.put(stored_notice(affiliate, 5, "OTHER-ADV"))
    newest = stored_notice(affiliate, 4, "").id
    assert people.api.call("POST", f"/api/notifications/{newest}/read", token=token).status == 200
    # When it lists the unread ones two at a time, and reads the last one of the first page meanwhile
    first = people.api.call("GET", "/api/notifications", token=token, limit=2, unread="true")
    assert first.status == 200, first.body
    assert (
        people.api.call(
            "POST", f"/api/notifications/{first.body['items'][-1]['id']}/read", token=token
        ).status
        == 200
    )
    rest = people.api.call(
        "GET", "/api/notifications", token=token, limit=2, unread="true", cursor=first.body["next_cursor"]
    )
    # Then it gets every unread one in reach once, newest first, and the count of those still unread
    assert rest.status == 200, rest.body
    created = [item["created_at"][11:16] for item in first.body["items"] + rest.body["items"]]
    assert created == ["10:03", "10:02", "10:01", "10:00"]
    assert rest.body["next_cursor"] is None
    assert rest.body["unread"] == 3
    assert not any(item["read"] for item in first.body["items"] + rest.body["items"])


def test_preferences_through_the_api_and_a_security_notice_cannot_be_turned_off(people: People) -> None:
    token = people.tokens["affiliate"]
    shown = people.api.call("GET", "/api/notifications/preferences", token=token)
    assert shown.status == 200, shown.body
    types = {event["type"] for event in shown.body["events"]}
    assert "conversion.sale" in types
    assert "balance.low" not in types
    assert shown.body["telegram"] == {"linked": False, "username": None, "bot_username": None}
    changed = people.api.call(
        "PUT",
        "/api/notifications/preferences",
        {"events": {"conversion.sale": {"email": False}}},
        token=token,
    )
    assert changed.status == 200, changed.body
    sale_channels = next(e["channels"] for e in changed.body["events"] if e["type"] == "conversion.sale")
    assert sale_channels == {"email": False, "telegram": False, "in_app": True}
    refused = people.api.call(
        "PUT",
        "/api/notifications/preferences",
        {"events": {"conversion.lead": {"email": True}, "security.new_sign_in": {"email": False}}},
        token=token,
    )
    assert (refused.status, refused.code) == (400, "validation_error")
    stored = PreferenceRepository(os.environ["CORE_TABLE"]).get(people.user_ids["affiliate"])
    assert stored.choices == {EventType.CONVERSION_SALE: {Channel.EMAIL: False}}
    staff = people.api.call("GET", "/api/notifications/preferences", token=people.tokens["owner"])
    assert {e["type"] for e in staff.body["events"]} == {"security.new_sign_in", "security.mfa_disabled"}
