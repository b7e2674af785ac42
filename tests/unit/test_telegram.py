"""Telegram: linking a chat by a one-time deep link, the webhook's updates, and the notifier's channel."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from partnerka.accounts.models import Role, User
from partnerka.audit.service import Actor
from partnerka.common.errors import Unauthenticated
from partnerka.notifications.events import Audience, Event, EventType, Side, new_event
from partnerka.notifications.models import Notification
from partnerka.notifications.notifier import RETRY_DELAYS, Notifier
from partnerka.notifications.telegram import (
    TELEGRAM,
    ChatCommand,
    TelegramChannel,
    TelegramLinking,
    TelegramUnavailable,
    TelegramWebhook,
    parse_update,
    telegram_payload,
)
from partnerka.notifications.telegram_bot import BotAnswer, BotCredentials, TelegramBot
from partnerka.operations.models import OperationStatus
from tests.unit.fakes import FakeAudit, FakeBot, FakeClock, FakeOperations, FakeQueue, FakeTelegramLinks

SECRET = "hook-secret-1"
BOT = BotCredentials(token="123:ABC", webhook_secret=SECRET, username="partnerka_bot")
VERA = User("U1", "vera@vendor.example", "Vera", Role.AFFILIATE, "2026-01-01T00:00:00Z", locale="ru")
OLEG = User("U2", "oleg@vendor.example", "Oleg", Role.AFFILIATE, "2026-01-01T00:00:00Z", locale="en")
ACTOR = Actor(user_id="U1", email="vera@vendor.example", request_id="r1")


@dataclass
class Parts:
    links: FakeTelegramLinks
    bot: FakeBot
    audit: FakeAudit
    clock: FakeClock
    linking: TelegramLinking
    webhook: TelegramWebhook


def parts(credentials: BotCredentials = BOT) -> Parts:
    links, bot, audit, clock = FakeTelegramLinks(), FakeBot(), FakeAudit(), FakeClock()
    codes = iter(f"code{n}" for n in range(100))
    linking = TelegramLinking(links, lambda: credentials, audit, clock.now, lambda: next(codes))
    webhook = TelegramWebhook(links, bot, lambda: credentials, audit, clock.now)
    return Parts(links, bot, audit, clock, linking, webhook)


def update(text: str, chat_id: object = 777, chat_type: str = "private", language: str = "en") -> bytes:
    return json.dumps(
        {
            "update_id": 1,
            "message": {
                "message_id": 5,
                "from": {"id": 777, "is_bot": False, "username": "vera_t", "language_code": language},
                "chat": {"id": chat_id, "type": chat_type},
                "date": 1767225600,
                "text": text,
            },
        }
    ).encode()


# ---------------------------------------------------------------------- reading updates
def test_a_start_with_a_code_is_read_as_the_command_and_its_code() -> None:
    assert parse_update(update("/start abc_DEF-1")) == ChatCommand(777, "vera_t", "en", "start", "abc_DEF-1")
    assert parse_update(update("/start@partnerka_bot abc")) == ChatCommand(
        777, "vera_t", "en", "start", "abc"
    )


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe\x00garbage",
        b"{not json",
        b"[1, 2]",
        b'{"message": "text"}',
        b'{"message": {"chat": {"id": 1, "type": "private"}}}',
        b'{"edited_message": {"chat": {"id": 1, "type": "private"}, "text": "/start x"}}',
        b'{"message": {"chat": {"id": true, "type": "private"}, "text": "/start x"}}',
        b'{"message": {"chat": {"id": "777", "type": "private"}, "text": "/start x"}}',
        b"[" * 100_000,
        b"",
    ],
)
def test_anything_that_is_not_a_private_command_is_not_read(body: bytes) -> None:
    assert parse_update(body) is None


def test_a_group_chat_and_plain_text_are_not_commands() -> None:
    assert parse_update(update("/start abc", chat_type="group")) is None
    assert parse_update(update("hello there")) is None


# ---------------------------------------------------------------------- linking
def test_a_link_is_a_deep_link_to_the_bot_with_a_code_good_for_fifteen_minutes() -> None:
    p = parts()
    offer = p.linking.start_link(VERA)
    assert offer.url == f"https://t.me/partnerka_bot?start={offer.code}"
    assert offer.expires_at == p.clock.at + timedelta(minutes=15)
    stored = p.links.codes[offer.code]
    assert (stored.user_id, stored.locale, stored.expires_at) == (
        "U1",
        "ru",
        int(offer.expires_at.timestamp()),
    )


def test_real_codes_are_unguessable_and_fit_telegrams_start_parameter() -> None:
    links = FakeTelegramLinks()
    linking = TelegramLinking(links, lambda: BOT, FakeAudit())
    codes = {linking.start_link(VERA).code for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert 32 <= len(code) <= 64
        assert set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def test_without_the_bots_secret_filled_in_no_link_is_offered() -> None:
    p = parts(BotCredentials.parse('{"token": "", "webhook_secret": "", "username": ""}'))
    with pytest.raises(TelegramUnavailable):
        p.linking.start_link(VERA)
    assert p.links.codes == {}
    assert p.linking.status(VERA).bot_username is None


def test_pressing_start_links_the_chat_and_confirms_in_the_users_language() -> None:
    p = parts()
    code = p.linking.start_link(VERA).code
    p.webhook.receive(SECRET, update(f"/start {code}", language="en"), "req-9")
    assert p.links.chats_of(["U1", "U2"]) == {"U1": 777}
    assert p.linking.status(VERA).linked
    assert p.linking.status(VERA).username == "vera_t"
    ((chat, text),) = p.bot.sent
    assert chat == 777
    assert "Готово" in text
    assert p.audit.actions() == ["telegram.linked"]
    assert p.audit.records[0].actor.user_id == "U1"


def test_a_code_links_once() -> None:
    p = parts()
    code = p.linking.start_link(VERA).code
    p.webhook.receive(SECRET, update(f"/start {code}"))
    p.webhook.receive(SECRET, update(f"/start {code}", chat_id=999))
    assert p.links.chats_of(["U1"]) == {"U1": 777}
    assert "expired or was already used" in p.bot.sent[-1][1]
    assert p.bot.sent[-1][0] == 999


def test_an_expired_code_links_nothing_and_says_so() -> None:
    p = parts()
    code = p.linking.start_link(VERA).code
    p.clock.at += timedelta(minutes=15)
    p.webhook.receive(SECRET, update(f"/start {code}", language="ru"))
    assert p.links.chats_of(["U1"]) == {}
    assert "Ссылка устарела" in p.bot.sent[-1][1]


def test_a_code_that_is_not_one_is_answered_politely_without_a_lookup() -> None:
    p = parts()
    p.webhook.receive(SECRET, update("/start <script>alert(1)</script>"))
    assert "expired or was already used" in p.bot.sent[-1][1]
    p.webhook.receive(SECRET, update("/start"))
    assert "open your profile" in p.bot.sent[-1][1]


def test_a_chat_linked_by_another_user_moves_to_the_one_who_pressed_start() -> None:
    p = parts()
    p.webhook.receive(SECRET, update(f"/start {p.linking.start_link(VERA).code}"))
    p.webhook.receive(SECRET, update(f"/start {p.linking.start_link(OLEG).code}"))
    assert p.links.chats_of(["U1", "U2"]) == {"U2": 777}
    assert p.audit.records[-1].before == {"moved_from": "U1"}


def test_stop_in_the_chat_unlinks_it() -> None:
    p = parts()
    p.webhook.receive(SECRET, update(f"/start {p.linking.start_link(VERA).code}"))
    p.webhook.receive(SECRET, update("/stop"))
    assert p.links.chats_of(["U1"]) == {}
    assert p.audit.actions() == ["telegram.linked", "telegram.unlinked"]
    assert "turned off" in p.bot.sent[-1][1]


def test_unlinking_from_the_profile_is_audited_and_twice_is_harmless() -> None:
    p = parts()
    p.webhook.receive(SECRET, update(f"/start {p.linking.start_link(VERA).code}"))
    p.linking.unlink(VERA, ACTOR)
    p.linking.unlink(VERA, ACTOR)
    assert not p.linking.status(VERA).linked
    assert p.audit.actions() == ["telegram.linked", "telegram.unlinked"]
    assert p.audit.records[-1].before == {"chat_id": 777, "username": "vera_t"}


@pytest.mark.parametrize("header", [None, "", "hook-secret-2", SECRET + " ", f"{SECRET},{SECRET}"])
def test_an_update_without_the_bots_secret_header_is_refused(header: str | None) -> None:
    p = parts()
    code = p.linking.start_link(VERA).code
    with pytest.raises(Unauthenticated):
        p.webhook.receive(header, update(f"/start {code}"))
    assert p.links.links == {}
    assert p.bot.sent == []


def test_with_no_webhook_secret_set_nothing_is_accepted_not_even_an_empty_header() -> None:
    p = parts(BotCredentials(token="t", webhook_secret="", username="b"))
    with pytest.raises(Unauthenticated):
        p.webhook.receive("", update("/stop"))


def test_an_update_it_cannot_read_is_taken_quietly() -> None:
    p = parts()
    p.webhook.receive(SECRET, b"\xc3\x28 not utf-8")
    p.webhook.receive(SECRET, update("just chatting"))
    assert p.bot.sent == []
    assert p.audit.records == []


# ---------------------------------------------------------------------- the channel
@dataclass(frozen=True)
class Text:
    title: str
    body: str
    link: str


def render(event: Event, locale: str, side: Side | None = None) -> Text:
    title = {"ru": "Баланс <низкий>", "en": "Balance <low>"}[locale]
    return Text(title, f"{event.data['balance']} {event.data['currency']} & falling", "/finance")


def balance_event() -> Event:
    return new_event(
        "balance-low.A1.USD.1",
        EventType.BALANCE_LOW,
        "A1",
        Audience(advertiser_team=True),
        {"balance": "12.50", "currency": "USD", "threshold": "50.00"},
        now=FakeClock().now,
    )


def telegram_notification(locale: str = "ru", chat_id: int = 777, **changes: object) -> Notification:
    payload = telegram_payload(
        balance_event(), "U1", chat_id, locale, "https://app.partnerka.test", "Acme & Co"
    )
    payload.update(changes)
    return Notification(
        id="balance-low.A1.USD.1.U1.telegram", kind=TELEGRAM, created_at=FakeClock().at, payload=payload
    )


def linked_channel(*answers: BotAnswer) -> tuple[TelegramChannel, FakeBot, FakeTelegramLinks]:
    p = parts()
    p.webhook.receive(SECRET, update(f"/start {p.linking.start_link(VERA).code}"))
    bot = FakeBot(answers=list(answers))
    return TelegramChannel(bot, p.links, render), bot, p.links


def test_a_notification_goes_to_the_chat_in_the_users_language_escaped_with_its_link() -> None:
    channel, bot, _ = linked_channel()
    result = channel.deliver(telegram_notification())
    assert result.ok
    assert result.http_status == 200
    ((chat, text),) = bot.sent
    assert chat == 777
    assert text == (
        "<i>Acme &amp; Co</i>\n<b>Баланс &lt;низкий&gt;</b>\n12.50 USD &amp; falling\n\n"
        '<a href="https://app.partnerka.test/finance">Открыть</a>'
    )
    assert "123:ABC" not in result.url


def test_a_429_waits_as_long_as_telegram_asks() -> None:
    channel, _, links = linked_channel(BotAnswer(status=429, description="Too Many Requests", retry_after=42))
    result = channel.deliver(telegram_notification())
    assert (result.ok, result.permanent, result.retry_after, result.error_class) == (
        False,
        False,
        42,
        "rate_limited",
    )
    assert links.chats_of(["U1"]) == {"U1": 777}


@pytest.mark.parametrize(
    "answer",
    [
        BotAnswer(status=403, description="Forbidden: bot was blocked by the user"),
        BotAnswer(status=403, description="Forbidden: user is deactivated"),
        BotAnswer(status=400, description="Bad Request: chat not found"),
    ],
)
def test_a_chat_that_blocked_the_bot_or_is_gone_is_unlinked_and_not_tried_again(answer: BotAnswer) -> None:
    channel, _, links = linked_channel(answer)
    result = channel.deliver(telegram_notification())
    assert not result.ok
    assert result.permanent
    assert result.error_class == "chat_unreachable"
    assert links.chats_of(["U1"]) == {}


def test_a_message_telegram_refuses_for_itself_fails_at_once_and_keeps_the_link() -> None:
    channel, _, links = linked_channel(BotAnswer(status=400, description="Bad Request: can't parse entities"))
    result = channel.deliver(telegram_notification())
    assert not result.ok
    assert result.permanent
    assert result.error_class == "rejected"
    assert links.chats_of(["U1"]) == {"U1": 777}


@pytest.mark.parametrize(
    "answer",
    [BotAnswer(status=502, body="Bad Gateway"), BotAnswer(status=0, error="timeout"), BotAnswer(status=401)],
)
def test_no_answer_a_fault_of_telegrams_or_a_refused_token_is_tried_again(answer: BotAnswer) -> None:
    channel, _, links = linked_channel(answer)
    result = channel.deliver(telegram_notification())
    assert not result.ok
    assert not result.permanent
    assert result.retry_after is None
    assert links.chats_of(["U1"]) == {"U1": 777}


def test_a_chat_unlinked_since_the_fan_out_gets_nothing() -> None:
    channel, bot, links = linked_channel()
    links.unlink("U1")
    assert channel.deliver(telegram_notification()).ok
    assert bot.sent == []


@pytest.mark.parametrize(
    "changes",
    [
        {"chat_id": "777"},
        {"chat_id": True},
        {"user_id": ""},
        {"event": {"v": 9}},
        {"event": "x"},
        {"locale": 5},
    ],
)
def test_a_payload_that_is_not_a_telegram_notifications_fails_at_once(changes: dict[str, object]) -> None:
    channel, bot, _ = linked_channel()
    result = channel.deliver(telegram_notification(**changes))
    assert not result.ok
    assert result.permanent
    assert result.error_class == "bad_payload"
    assert bot.sent == []


# ---------------------------------------------------------------------- the runner honours retry_after
@pytest.mark.parametrize(("asked", "at_least"), [(7200, 7200), (5, round(RETRY_DELAYS[0] * 0.85))])
def test_the_next_attempt_after_a_429_waits_the_longer_of_telegrams_ask_and_its_own_delay(
    asked: int, at_least: int
) -> None:
    channel, _, _ = linked_channel(BotAnswer(status=429, retry_after=asked))
    operations, dead, clock = FakeOperations(), FakeQueue(), FakeClock()
    notifier = Notifier({TELEGRAM: channel}, operations, dead, clock.now, random.Random(1))
    notification = telegram_notification()
    outcome = notifier.process("m1", notification.body())
    assert not outcome.done
    assert outcome.wait_seconds >= at_least
    if asked > RETRY_DELAYS[0] * 2:
        assert outcome.wait_seconds == asked
    operation = operations.items[notification.id]
    assert operation.status is OperationStatus.RETRYING
    assert operation.next_attempt_at == clock.at + timedelta(seconds=outcome.wait_seconds)


def test_a_blocked_chat_fails_its_notification_at_once_through_the_notifier() -> None:
    channel, _, _ = linked_channel(
        BotAnswer(status=403, description="Forbidden: bot was blocked by the user")
    )
    operations, dead = FakeOperations(), FakeQueue()
    notifier = Notifier({TELEGRAM: channel}, operations, dead, FakeClock().now, random.Random(1))
    notification = telegram_notification()
    assert notifier.process("m1", notification.body()).done
    operation = operations.items[notification.id]
    assert (operation.status, operation.attempts) == (OperationStatus.FAILED, 1)


# ---------------------------------------------------------------------- the Bot API client
def test_the_client_reads_telegrams_error_and_never_shows_the_token() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            429,
            json={
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 17",
                "parameters": {"retry_after": 17},
            },
        )

    bot = TelegramBot("https://api.telegram.test/", lambda: BOT, httpx.MockTransport(answer))
    found = bot.send_message(777, "<b>hi</b>")
    assert (found.status, found.ok, found.retry_after) == (429, False, 17)
    assert seen[0].url == "https://api.telegram.test/bot123:ABC/sendMessage"
    assert json.loads(seen[0].content)["parse_mode"] == "HTML"
    assert bot.masked_url("sendMessage") == "https://api.telegram.test/bot***/sendMessage"


def test_the_client_turns_no_answer_into_an_answer() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    assert TelegramBot("https://t.test", lambda: BOT, httpx.MockTransport(refuse)).send_message(
        1, "x"
    ).error == ("ConnectError")
    assert (
        TelegramBot("https://t.test", lambda: BOT, httpx.MockTransport(slow)).send_message(1, "x").error
        == "timeout"
    )


@pytest.mark.parametrize("text", ["", "not json", "[]", '{"token": 5}', '{"token": "t", "username": "b"}'])
def test_a_secret_without_all_three_values_is_not_a_configured_bot(text: str) -> None:
    assert not BotCredentials.parse(text).configured


def test_the_bots_username_may_be_written_with_its_at() -> None:
    found = BotCredentials.parse('{"token": "t", "webhook_secret": "s", "username": "@partnerka_bot"}')
    assert found.configured
    assert found.username == "partnerka_bot"
