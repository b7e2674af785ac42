"""Linking a Telegram chat and notifying it, end to end: the Core table and the bot's secret in moto,
the fake Bot API on loopback playing Telegram (partnerka_local.telegram), and the webhook served on
loopback as the API serves it, so Telegram's Start comes in over HTTP with its secret token."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest

from partnerka.common.errors import Unauthenticated
from partnerka.notifications.composition import telegram_channel, telegram_linking
from partnerka.notifications.events import Audience, Event, EventType, Side, new_event
from partnerka.notifications.models import Notification
from partnerka.notifications.repository import TelegramLinkRepository
from partnerka.notifications.telegram import (
    TELEGRAM,
    TelegramChannel,
    TelegramLinking,
    TelegramWebhook,
    telegram_payload,
)
from partnerka.notifications.telegram_bot import TelegramSettings
from partnerka_local.telegram import FakeBotApi
from partnerka_local.template import Template
from tests.unit.fakes import FakeAudit
from tests.unit.test_telegram import OLEG, VERA

WEBHOOK_SECRET = "local-webhook-secret"


@dataclass(frozen=True)
class Text:
    title: str
    body: str
    link: str


def render(event: Event, locale: str, side: Side | None = None) -> Text:
    title = {"ru": "Низкий баланс", "en": "Low balance"}.get(locale, "Low balance")
    return Text(title, f"{event.data['balance']} {event.data['currency']}", "/finance")


@dataclass
class Platform:
    fake: FakeBotApi
    linking: TelegramLinking
    webhook: TelegramWebhook
    channel: TelegramChannel
    links: TelegramLinkRepository
    audit: FakeAudit


def serve_webhook(webhook: TelegramWebhook) -> ThreadingHTTPServer:
    """The webhook route as the API function runs it: 200 for any update, 401 without the secret."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                webhook.receive(self.headers.get("x-telegram-bot-api-secret-token"), body)
                status = 200
            except Unauthenticated:
                status = 401
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def platform(stack: Template) -> Iterator[Platform]:
    secret_arn = boto3.client("secretsmanager").create_secret(
        Name="test-telegram-bot",
        SecretString=json.dumps(
            {"token": "42:LOCAL", "webhook_secret": WEBHOOK_SECRET, "username": "pk_bot"}
        ),
    )["ARN"]
    with FakeBotApi(webhook_secret=WEBHOOK_SECRET) as fake:
        settings = TelegramSettings(os.environ["CORE_TABLE"], secret_arn, fake.url)
        audit = FakeAudit()
        linking, webhook = telegram_linking(settings, audit)
        server = serve_webhook(webhook)
        fake.webhook_url = f"http://127.0.0.1:{server.server_address[1]}/telegram/webhook"
        try:
            yield Platform(
                fake,
                linking,
                webhook,
                telegram_channel(settings, render),
                TelegramLinkRepository(settings.core_table),
                audit,
            )
        finally:
            server.shutdown()
            server.server_close()


def low_balance(user_id: str, chat_id: int, locale: str) -> Notification:
    event = new_event(
        "balance-low.A1.USD.7",
        EventType.BALANCE_LOW,
        "A1",
        Audience(advertiser_team=True),
        {"balance": "12.50", "currency": "USD", "threshold": "50.00"},
    )
    return Notification(
        id=f"{event.event_id}.{user_id}.telegram",
        kind=TELEGRAM,
        created_at=event.occurred_at,
        payload=telegram_payload(event, user_id, chat_id, locale, "https://app.partnerka.test", "Acme"),
    )


def test_a_user_links_its_chat_by_pressing_start_and_gets_its_notices_there_in_its_language(
    platform: Platform,
) -> None:
    offer = platform.linking.start_link(VERA)
    assert offer.url == f"https://t.me/pk_bot?start={offer.code}"

    assert platform.fake.press_start(777, "vera_t", offer.code) == 200

    assert platform.links.chats_of(["U1", "U2"]) == {"U1": 777}
    assert platform.linking.status(VERA).username == "vera_t"
    assert "Готово" in platform.fake.messages(777)[0]["text"]
    result = platform.channel.deliver(low_balance("U1", 777, "ru"))
    assert result.ok
    sent = platform.fake.messages(777)[-1]
    assert sent["parse_mode"] == "HTML"
    assert "<b>Низкий баланс</b>" in sent["text"]
    assert 'href="https://app.partnerka.test/finance"' in sent["text"]
    assert platform.fake.calls[-1].token == "42:LOCAL"


def test_a_code_links_one_chat_once_and_a_wrong_secret_links_nothing(platform: Platform) -> None:
    code = platform.linking.start_link(VERA).code
    good_secret, platform.fake.webhook_secret = platform.fake.webhook_secret, "guessed"
    assert platform.fake.press_start(777, "vera_t", code) == 401
    assert platform.links.chats_of(["U1"]) == {}
    platform.fake.webhook_secret = good_secret

    assert platform.fake.press_start(777, "vera_t", code) == 200
    assert platform.fake.press_start(999, "mallory", code) == 200  # Telegram is answered 200 all the same

    assert platform.links.chats_of(["U1"]) == {"U1": 777}
    assert "expired or was already used" in platform.fake.messages(999)[0]["text"]


def test_a_chat_moves_to_the_user_who_links_it_last(platform: Platform) -> None:
    platform.fake.press_start(777, "vera_t", platform.linking.start_link(VERA).code)
    platform.fake.press_start(888, "vera_t", platform.linking.start_link(VERA).code)  # Vera's new phone
    platform.fake.press_start(777, "oleg", platform.linking.start_link(OLEG).code)

    assert platform.links.chats_of(["U1", "U2"]) == {"U1": 888, "U2": 777}
    platform.linking.unlink(OLEG, platform.audit.records[0].actor)
    assert platform.links.chats_of(["U1", "U2"]) == {"U1": 888}
    assert platform.links.unlink_chat(777) is None  # its pointer went with Oleg's link


def test_telegrams_429_is_waited_out_and_a_blocked_chat_is_unlinked(platform: Platform) -> None:
    platform.fake.press_start(777, "vera_t", platform.linking.start_link(VERA).code)

    platform.fake.fail(777, 429, retry_after=9)
    busy = platform.channel.deliver(low_balance("U1", 777, "ru"))
    assert (busy.ok, busy.permanent, busy.retry_after, busy.http_status) == (False, False, 9, 429)
    assert "42:LOCAL" not in busy.url

    platform.fake.fail(777, 403)
    blocked = platform.channel.deliver(low_balance("U1", 777, "ru"))
    assert (blocked.ok, blocked.permanent, blocked.error_class) == (False, True, "chat_unreachable")
    assert platform.links.chats_of(["U1"]) == {}


def test_stop_from_the_chat_unlinks_it(platform: Platform) -> None:
    platform.fake.press_start(777, "vera_t", platform.linking.start_link(VERA).code)
    platform.webhook.receive(
        WEBHOOK_SECRET,
        json.dumps({"message": {"chat": {"id": 777, "type": "private"}, "text": "/stop"}}).encode(),
    )
    assert platform.links.chats_of(["U1"]) == {}
    assert platform.audit.actions() == ["telegram.linked", "telegram.unlinked"]
