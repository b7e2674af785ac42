"""The fan-out against fakes: an event reaches the active people of its audience, on the channels each
chose (the defaults of its side otherwise, security notices on every channel), once however often its
message comes; storms of one fold key go out once a window with the count; the affiliate side's
mail wears the advertiser's brand and portal."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from partnerka.accounts.models import Affiliate, Role, User, UserStatus
from partnerka.accounts.notice_recipients import AccountRecipients
from partnerka.notifications.email import MailBrand
from partnerka.notifications.events import (
    EVENT,
    Audience,
    Channel,
    Event,
    EventType,
    QueuedNotices,
)
from partnerka.notifications.fanout import EVENT_EMAIL, TELEGRAM, FanOut
from partnerka.notifications.folding import Folding
from partnerka.notifications.models import Notification
from partnerka.notifications.notifier import Notifier
from partnerka.notifications.outbox import Outbox
from partnerka.notifications.preferences import Preferences
from partnerka.operations.models import OperationStatus
from partnerka.operations.runner import AttemptResult
from tests.unit.fakes import (
    FakeAccounts,
    FakeBrandBook,
    FakeClock,
    FakeFoldCounts,
    FakeInbox,
    FakeNoticeNames,
    FakeOperations,
    FakePortalBases,
    FakePreferences,
    FakeQueue,
    FakeTelegramChats,
    FakeWebhookDispatch,
)

DASHBOARD = "https://app.partnerka.test"
PORTAL = "https://partners.acme.example"
ADV = "ADV1"
AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


class World:
    """An advertiser (its team: Ann, and Bob who is blocked) and an affiliate (Ivan, whose e-mail is
    confirmed, on Telegram), wired into a fan-out and a notifier over fakes."""

    def __init__(self) -> None:
        self.accounts = FakeAccounts()
        self.preferences = FakePreferences()
        self.inbox = FakeInbox()
        self.folds = FakeFoldCounts()
        self.clock = FakeClock(AT)
        self.operations = FakeOperations()
        self.queue = FakeQueue()
        self.dead = FakeQueue()
        self.outbox = Outbox(self.queue, self.operations, self.clock.now)
        self.telegram = FakeTelegramChats()
        self.webhooks = FakeWebhookDispatch()
        self.brands = FakeBrandBook({ADV: MailBrand(name="Acme Partners", logo_url="/brand/ADV1/logo.png")})
        self.fanout = FanOut(
            AccountRecipients(self.accounts),
            self.preferences,
            self.inbox,
            Folding(self.folds),
            self.queue,
            self.brands,
            FakePortalBases(DASHBOARD, {ADV: PORTAL}),
            DASHBOARD,
            "Platform Co",
            telegram=self.telegram,
            webhooks=self.webhooks,
            names=FakeNoticeNames({(ADV, "OFF1"): "Кредитка Gold"}, {ADV: "Acme Shoes"}),
        )
        self.sent: list[Notification] = []  # what the channels behind the fan-out were given
        self.notifier = Notifier(
            {EVENT: self.fanout, EVENT_EMAIL: self, TELEGRAM: self},
            self.operations,
            self.dead,
            self.clock.now,
            random.Random(1),
        )
        self.ann = self.person("ann", Role.ADVERTISER, advertiser_id=ADV)
        self.bob = self.person("bob", Role.ADVERTISER, advertiser_id=ADV, status=UserStatus.BLOCKED)
        self.accounts.add_affiliate(Affiliate("AFF1", "Ivan Traffic", "ivan@aff.example", "2026-01-01"))
        self.ivan = self.person("ivan", Role.AFFILIATE, affiliate_id="AFF1")
        self.telegram.chats[self.ivan.user_id] = 4242

    def person(self, name: str, role: Role, verified: bool = True, **changes: Any) -> User:
        user = User(
            user_id=f"U-{name}",
            email=f"{name}@{'aff' if role is Role.AFFILIATE else 'acme'}.example",
            name=name,
            role=role,
            created_at=f"2026-01-01T00:00:0{len(self.accounts.items) % 10}.000Z",
            email_verified=verified,
            locale="ru",
            **changes,
        )
        return self.accounts.add_user(user)

    def deliver(self, notification: Notification) -> AttemptResult:
        self.sent.append(notification)
        return AttemptResult(ok=True)

    def send(self, event: Event) -> None:
        QueuedNotices(self.outbox).send(event)

    def run_queue(self, times: int = 1) -> None:
        """Every message queued so far (and those they queue), each processed `times` times."""
        done = 0
        while done < len(self.queue.bodies):
            body = self.queue.bodies[done]
            for copy in range(times):
                self.notifier.process(f"m{done}.{copy}", body)
            done += 1

    def sent_of(self, kind: str) -> list[Notification]:
        return [n for n in self.sent if n.kind == kind]


def sale(conversion_id: str = "C1", **changes: Any) -> Event:
    event = Event(
        f"{conversion_id}.sale",
        EventType.CONVERSION_SALE,
        AT,
        ADV,
        Audience(affiliate_id="AFF1", advertiser_team=True),
        {"conversion_id": conversion_id, "payout": "12.50", "currency": "USD"},
    )
    return replace(event, **changes)


def test_an_event_reaches_its_audiences_active_people_on_their_sides_defaults() -> None:
    # Given a sale (the affiliate: inbox and mail by default; the advertiser's team: nothing)
    world = World()
    # When it is sent and fanned out
    world.send(sale())
    world.run_queue()
    # Then the affiliate's person has it in the inbox and by mail; the team nothing; Bob (blocked) nothing
    assert [n.event_id for n in world.inbox.of(world.ivan.user_id)] == ["C1.sale"]
    assert world.inbox.of(world.ann.user_id) == []
    assert world.inbox.of(world.bob.user_id) == []
    (mail,) = world.sent_of(EVENT_EMAIL)
    assert mail.id == "C1.sale.U-ivan.email"
    assert mail.payload["to"] == "ivan@aff.example"
    assert mail.payload["locale"] == "ru"
    assert world.sent_of(TELEGRAM) == []  # not a default channel of a sale
    assert [e.event_id for e in world.webhooks.dispatched] == ["C1.sale"]


def test_a_team_that_turned_its_conversions_on_hears_of_them_and_a_blocked_member_never_does() -> None:
    world = World()
    for user in (world.ann, world.bob):
        world.preferences.save(
            Preferences(
                user.user_id, {EventType.CONVERSION_SALE: {Channel.IN_APP: True, Channel.EMAIL: True}}
            )
        )
    world.send(sale())
    world.run_queue()
    assert [n.scope for n in world.inbox.of(world.ann.user_id)] == [ADV]
    assert world.inbox.of(world.bob.user_id) == []
    assert sorted(n.payload["to"] for n in world.sent_of(EVENT_EMAIL)) == [
        "ann@acme.example",
        "ivan@aff.example",
    ]


def test_the_affiliate_sides_mail_wears_the_advertisers_brand_and_portal_the_teams_the_platforms() -> None:
    world = World()
    world.preferences.save(Preferences(world.ann.user_id, {EventType.CONVERSION_SALE: {Channel.EMAIL: True}}))
    world.send(sale())
    world.run_queue()
    mails = {n.payload["user_id"]: n.payload for n in world.sent_of(EVENT_EMAIL)}
    assert mails[world.ivan.user_id]["brand"] == {
        "name": "Acme Partners",
        "logo_url": f"{PORTAL}/brand/ADV1/logo.png",
    }
    assert mails[world.ivan.user_id]["base_url"] == PORTAL
    assert (mails[world.ann.user_id]["brand"], mails[world.ann.user_id]["base_url"]) == ({}, DASHBOARD)
    assert Event.from_payload(mails[world.ivan.user_id]["event"]) == world.fanout.named(sale())


def test_mail_goes_only_to_a_confirmed_address() -> None:
    world = World()
    unconfirmed = world.accounts.save_user(replace(world.ivan, email_verified=False))
    world.send(sale())
    world.run_queue()
    assert world.sent_of(EVENT_EMAIL) == []
    assert len(world.inbox.of(unconfirmed.user_id)) == 1


def test_telegram_goes_to_a_linked_chat_of_one_who_wants_it() -> None:
    # Given a failing postback URL (every channel by default) and Ann's teammate with no chat
    world = World()
    event = Event(
        "postback-failed.D1",
        EventType.POSTBACK_FAILING,
        AT,
        ADV,
        Audience(affiliate_id="AFF1"),
        {"url": "https://t.example/***", "reason": "gave_up"},
    )
    world.send(event)
    world.run_queue()
    (message,) = world.sent_of(TELEGRAM)
    assert message.id == "postback-failed.D1.U-ivan.telegram"
    assert (message.payload["chat_id"], message.payload["brand_name"], message.payload["base_url"]) == (
        4242,
        "Acme Partners",
        PORTAL,
    )


def test_a_person_who_turned_a_channel_off_is_not_sent_on_it() -> None:
    world = World()
    world.preferences.save(
        Preferences(
            world.ivan.user_id, {EventType.CONVERSION_SALE: {Channel.EMAIL: False, Channel.IN_APP: False}}
        )
    )
    world.send(sale())
    world.run_queue()
    assert world.sent_of(EVENT_EMAIL) == []
    assert world.inbox.of(world.ivan.user_id) == []


def test_a_security_notice_goes_on_every_channel_whatever_was_stored_and_never_to_webhooks() -> None:
    # Given a stored choice that would silence it (written before the rule, or by hand)
    world = World()
    world.preferences.save(
        Preferences(
            world.ivan.user_id,
            {EventType.SIGN_IN_NEW_DEVICE: {c: False for c in Channel}},
        )
    )
    event = Event(
        "U-ivan.sign-in.abc.2026-12-01",
        EventType.SIGN_IN_NEW_DEVICE,
        AT,
        "",
        Audience(user_ids=(world.ivan.user_id, "U-gone")),
        {"ip": "203.0.113.7", "device": "Firefox on Linux"},
    )
    world.send(event)
    world.run_queue()
    assert [n.scope for n in world.inbox.of(world.ivan.user_id)] == [""]
    assert [n.id for n in world.sent_of(EVENT_EMAIL)] == ["U-ivan.sign-in.abc.2026-12-01.U-ivan.email"]
    assert [n.payload["brand"] for n in world.sent_of(EVENT_EMAIL)] == [{}]
    assert len(world.sent_of(TELEGRAM)) == 1
    assert world.webhooks.dispatched == []


def test_a_side_the_spec_does_not_give_the_event_to_hears_nothing() -> None:
    # A payout request concerns the advertiser's team only, whatever audience a producer names.
    world = World()
    event = Event(
        "R1.requested",
        EventType.PAYOUT_REQUESTED,
        AT,
        ADV,
        Audience(affiliate_id="AFF1", advertiser_team=True),
        {"request_id": "R1", "amount": "100.00", "currency": "USD"},
    )
    assert set(world.fanout.audience(event)) == {world.ann.user_id}


def test_the_same_event_message_ten_times_sends_each_once_and_writes_its_notice_once() -> None:
    world = World()
    world.preferences.save(
        Preferences(world.ivan.user_id, {EventType.CONVERSION_SALE: {Channel.TELEGRAM: True}})
    )
    # When the producer sends the event twice and every message comes ten times
    world.send(sale())
    world.send(sale())
    world.run_queue(times=10)
    # Then one notice, one mail, one Telegram message, one webhook hand-over
    assert world.inbox.puts == 1
    assert [n.id for n in world.sent_of(EVENT_EMAIL)] == ["C1.sale.U-ivan.email"]
    assert [n.id for n in world.sent_of(TELEGRAM)] == ["C1.sale.U-ivan.telegram"]
    assert len(world.webhooks.dispatched) == 1
    assert world.preferences.batch_reads == 1  # one read of everyone's preferences


def test_a_failed_hand_over_fails_the_attempt_and_the_retry_sends_nothing_twice() -> None:
    # Given webhooks that fail the first attempt (after the notice and the mail were done)
    world = World()
    world.webhooks.failing = True
    world.send(sale())
    world.run_queue()
    assert world.operations.items["event.C1.sale"].status is OperationStatus.RETRYING
    # When the message comes back after its delay and the webhooks answer
    world.webhooks.failing = False
    world.clock.at += timedelta(hours=1)
    world.notifier.process("m0.again", world.queue.bodies[0])
    world.run_queue()
    # Then the whole fan-out was made again, yet each send went out once
    assert world.operations.items["event.C1.sale"].status is OperationStatus.SUCCESS
    assert world.inbox.puts == 1
    assert len([b for b in world.queue.bodies if '"C1.sale.U-ivan.email"' in b]) == 2  # posted twice
    assert [n.id for n in world.sent_of(EVENT_EMAIL)] == ["C1.sale.U-ivan.email"]  # sent once
    assert len(world.webhooks.dispatched) == 1


def test_an_unreadable_event_fails_for_good() -> None:
    world = World()
    notification = Notification("event.x", EVENT, AT, {"v": 1, "event_id": "x", "type": "no.such"})
    result = world.fanout.deliver(notification)
    assert (result.ok, result.permanent, result.error_class) == (False, True, "bad_payload")


# ---------------------------------------------------------------------- folding
def failing(number: int, at: datetime) -> Event:
    return Event(
        f"postback-failed.D{number}",
        EventType.POSTBACK_FAILING,
        at,
        ADV,
        Audience(affiliate_id="AFF1"),
        {"url": "https://t.example/***", "reason": "gave_up"},
        fold_key="postback.AFF1.h1",
    )


def test_a_hundred_events_of_one_fold_key_in_an_hour_alert_once_and_the_next_hour_says_how_many() -> None:
    world = World()
    # Given 100 failures within one hour, sent in the order they happened
    for number in range(100):
        world.send(failing(number, AT + timedelta(seconds=30 * number)))
    world.run_queue()
    # Then one notice went out, of the first, folding nothing before it
    (notice,) = world.inbox.of(world.ivan.user_id)
    assert (notice.event_id, notice.data["folded"]) == ("postback-failed.D0", 0)
    assert len(world.sent_of(EVENT_EMAIL)) == 1
    assert len(world.sent_of(TELEGRAM)) == 1
    # When the next hour's first failure comes
    world.send(failing(100, AT + timedelta(hours=1, minutes=5)))
    world.run_queue()
    # Then it goes out and carries the 99 folded in the hour before
    latest = world.inbox.of(world.ivan.user_id)[-1]
    assert (latest.event_id, latest.data["folded"]) == ("postback-failed.D100", 99)
    assert Event.from_payload(world.sent_of(EVENT_EMAIL)[-1].payload["event"]).data["folded"] == 99


def test_a_folded_event_counted_again_on_a_retry_is_counted_once() -> None:
    world = World()
    folding = Folding(world.folds)
    assert folding.admit(failing(0, AT)) is not None
    for _ in range(3):
        assert folding.admit(failing(1, AT + timedelta(minutes=1))) is None
    # the first of the window, asked again, is still the first
    again = folding.admit(failing(0, AT))
    assert again is not None
    assert again.data["folded"] == 0
    following = folding.admit(failing(2, AT + timedelta(hours=1)))
    assert following is not None
    assert following.data["folded"] == 1


@pytest.mark.parametrize("fold_key", ["", "postback.AFF1.h1"])
def test_an_event_of_a_type_never_folded_always_goes_on(fold_key: str) -> None:
    world = World()
    folding = Folding(world.folds)
    events = [sale(f"C{n}", fold_key=fold_key) for n in range(3)]
    assert [folding.admit(event) for event in events] == events


def test_the_offer_and_the_advertiser_are_named_where_the_producer_sent_ids_only() -> None:
    world = World()
    world.send(
        Event(
            "CV1.sale",
            EventType.CONVERSION_SALE,
            AT,
            ADV,
            Audience(affiliate_id="AFF1"),
            {"conversion_id": "CV1", "offer_id": "OFF1", "payout": "12.50", "currency": "EUR"},
        )
    )
    world.send(
        Event(
            "CV2.sale",
            EventType.CONVERSION_SALE,
            AT,
            ADV,
            Audience(affiliate_id="AFF1"),
            {"conversion_id": "CV2", "offer_id": "GONE", "offer_name": ""},
        )
    )
    world.run_queue()
    named, unknown = sorted(world.inbox.of(world.ivan.user_id), key=lambda n: n.event_id)
    assert named.data["offer_name"] == "Кредитка Gold"
    assert named.data["advertiser_name"] == "Acme Shoes"
    assert unknown.data["offer_name"] == ""  # an offer gone since: its id stays what is shown
    [mail, _] = world.sent_of(EVENT_EMAIL)
    assert Event.from_payload(mail.payload["event"]).data["offer_name"] == "Кредитка Gold"
