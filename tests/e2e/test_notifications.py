"""Notifications in the local platform, end to end: a sale reaches the affiliate by e-mail, Telegram,
its inbox and its webhook; a low balance is told once per crossing; a dead tracker raises one alert;
and a notify message delivered again and again is sent once on every channel."""

from __future__ import annotations

import hashlib
import itertools
import json
import socket
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from partnerka.notifications.events import Audience, Event, EventType, QueuedNotices
from partnerka.notifications.models import Notification
from partnerka_local.receiver import running_receiver
from tests.e2e.conftest import Platform
from tests.e2e.test_tracking_loop import BROWSER, login, visit

pytestmark = pytest.mark.e2e

PAYOUT = "7.25"
_chat_ids = itertools.count(int(time.time()) % 1_000_000 * 1000)


def offer_body(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "model": "CPA",
        "currency": "USD",
        "goals": [
            {
                "key": "sale",
                "name": "Sale",
                "payout_type": "fixed",
                "payout": PAYOUT,
                "revenue_type": "fixed",
                "revenue": "11",
            }
        ],
        "landings": [{"url": "https://shop.example/?click_id={click_id}", "weight": 1}],
    }


def until[T](find: Callable[[], T | None], what: str, timeout: float = 20) -> T:
    """`find()`'s first answer that is not None (or falsy), polled briefly."""
    deadline = time.monotonic() + timeout
    while True:
        found = find()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.1)


class Session:
    """One person's API calls."""

    def __init__(self, client: httpx.Client, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def call(self, method: str, path: str, expect: int = 200, **options: Any) -> Any:
        response = self.client.request(method, path, headers=self.headers, **options)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def notices(self, type: str) -> list[dict[str, Any]]:
        page = self.call("GET", "/api/notifications", params={"limit": 100})
        return [item for item in page["items"] if item["type"] == type]


@pytest.fixture(scope="module")
def client(platform: Platform) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=platform.url, timeout=20, headers={"user-agent": BROWSER}) as c:
        yield c


@pytest.fixture(scope="module")
def affiliate(platform: Platform, client: httpx.Client) -> Session:
    return Session(client, login(client, platform.demo, "affiliate"))


@pytest.fixture(scope="module")
def advertiser(platform: Platform, client: httpx.Client) -> Session:
    return Session(client, login(client, platform.demo, "advertiser"))


def sale_channels(person: Session) -> dict[str, bool]:
    settings = person.call("GET", "/api/notifications/preferences")
    return next(e["channels"] for e in settings["events"] if e["type"] == "conversion.sale")  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def chat_id(platform: Platform, affiliate: Session) -> Iterator[int]:
    """The affiliate's Telegram chat, linked the way a person links it (a one-time link, Start in
    the bot), with Telegram turned on for its sales."""
    telegram = platform.runtime.telegram
    assert telegram is not None
    chat = next(_chat_ids)
    link = affiliate.call("POST", "/api/notifications/telegram/link")
    assert link["url"].endswith(f"?start={link['code']}")
    pressed = httpx.post(
        f"{telegram.url}/_fake/start",
        params={"chat_id": chat, "username": "polina_pro", "code": link["code"]},
        timeout=30,
    )
    assert pressed.json() == {"status": 200}
    until(
        lambda: affiliate.call("GET", "/api/notifications/preferences")["telegram"]["linked"],
        "the chat linked",
    )
    affiliate.call(
        "PUT", "/api/notifications/preferences", json={"events": {"conversion.sale": {"telegram": True}}}
    )
    assert sale_channels(affiliate) == {"email": True, "telegram": True, "in_app": True}
    yield chat
    affiliate.call("DELETE", "/api/notifications/telegram", expect=204)


def new_offer(advertiser: Session, name: str) -> dict[str, Any]:
    return advertiser.call("POST", "/api/offers", expect=201, json=offer_body(name))  # type: ignore[no-any-return]


def sell(client: httpx.Client, platform: Platform, offer: dict[str, Any], txn: str) -> str:
    """A click on the demo affiliate's link and the advertiser's sale postback; the conversion's id."""
    click_id = visit(client, f"/click?{urlencode({'o': offer['id'], 'a': platform.demo['affiliate']['id']})}")
    reported = client.get(
        "/postback",
        params={"click_id": click_id, "status": "sale", "txn_id": txn, "secret": offer["postback_secret"]},
    )
    assert reported.status_code == 200, reported.text
    return str(reported.json()["conversion_id"])


def mine(notices: list[dict[str, Any]], mark: str) -> list[dict[str, Any]]:
    """The notices that name `mark` (this test's offer: other tests' sales are in the inbox too)."""
    return [n for n in notices if mark in n["title"] or mark in n["body"]]


def mails_to(platform: Platform, address: str, about: str) -> list[Any]:
    return [
        m
        for m in platform.raw_mails()
        if m["To"] == address and about in m.get_body(("plain",)).get_content()
    ]


def test_a_sale_reaches_the_affiliate_by_email_telegram_inbox_and_webhook(
    platform: Platform, client: httpx.Client, affiliate: Session, advertiser: Session, chat_id: int
) -> None:
    telegram = platform.runtime.telegram
    assert telegram is not None
    address = next(e["email"] for e in platform.demo["logins"] if e["role"] == "affiliate")
    affiliate.call("PATCH", "/api/me", json={"locale": "ru"})
    with running_receiver() as receiver:
        endpoint = affiliate.call(
            "POST",
            "/api/webhooks",
            expect=201,
            json={"url": receiver.url("/hooks"), "events": ["conversion.sale"], "description": "e2e"},
        )
        try:
            offer = new_offer(advertiser, "Notified sale")
            unread_before = affiliate.call("GET", "/api/notifications/unread")["unread"]
            started = time.monotonic()
            conversion_id = sell(client, platform, offer, "NOTE-1")

            # The webhook: a Standard Webhooks signature the independent library accepts.
            hook = until(lambda: receiver.requests[:1], "the webhook")[0]
            verified = Webhook(endpoint["secret"]).verify(hook.body, hook.headers)
            assert verified["type"] == "conversion.sale"
            assert verified["data"]["event_id"] == f"{conversion_id}.sale"
            assert (verified["data"]["conversion_id"], verified["data"]["payout"]) == (conversion_id, PAYOUT)
            tampered = hook.body.replace(PAYOUT, "999.00")
            with pytest.raises(WebhookVerificationError, match="signature"):
                Webhook(endpoint["secret"]).verify(tampered, hook.headers)

            # The inbox, and its unread count.
            notice = until(
                lambda: mine(affiliate.notices("conversion.sale"), offer["name"]), "the inbox notice"
            )[0]
            assert notice["title"].startswith("Новая продажа")  # the reader's language
            assert notice["read"] is False
            assert notice["link"] == "/my/conversions"
            assert affiliate.call("GET", "/api/notifications/unread")["unread"] >= unread_before + 1

            # Telegram, in the affiliate's language.
            message = until(
                lambda: [m for m in telegram.messages(chat_id) if offer["name"] in m["text"]],
                "the Telegram message",
            )
            assert len(message) == 1
            assert "Новая продажа" in message[0]["text"]

            # The e-mail: to the affiliate, in Russian, with one-click unsubscribe (RFC 8058).
            mail = until(lambda: mails_to(platform, address, offer["name"]), "the e-mail")
            reached = time.monotonic() - started
            assert len(mail) == 1
            assert mail[0]["Subject"].startswith("Новая продажа")
            assert "Отписаться от писем этого вида" in mail[0].get_body(("plain",)).get_content()
            assert mail[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            unsubscribe = str(mail[0]["List-Unsubscribe"])
            assert unsubscribe.startswith("<")
            assert unsubscribe.endswith(">")
            target = urlsplit(unsubscribe[1:-1])
            assert target.path == "/api/notifications/unsubscribe"
            assert parse_qs(target.query)["token"][0]
            # The affiliate's advertiser's portal answers for it (*.localhost is this machine, and the
            # local gateway answers every host, as the edge does its tenants').
            assert target.netloc == urlsplit(platform.demo["portal"]["portal_url"]).netloc
            # What a mail client POSTs for the header (RFC 8058), signed out: sales' e-mails stop.
            clicked = client.post(
                f"{target.path}?{target.query}",
                content="List-Unsubscribe=One-Click",
                headers={"host": target.netloc, "content-type": "application/x-www-form-urlencoded"},
            )
            assert clicked.status_code == 200, clicked.text
            assert clicked.json() == {"type": "conversion.sale", "email": address}
            assert sale_channels(affiliate)["email"] is False
            affiliate.call(
                "PUT", "/api/notifications/preferences", json={"events": {"conversion.sale": {"email": True}}}
            )
            print(f"\nsale → webhook, inbox, Telegram and e-mail: all within {reached * 1000:.0f} ms")

            # Nothing was sent twice.
            time.sleep(1)
            assert len(receiver.requests) == 1
            assert len([m for m in telegram.messages(chat_id) if offer["name"] in m["text"]]) == 1
            assert len(mails_to(platform, address, offer["name"])) == 1
            assert len(mine(affiliate.notices("conversion.sale"), offer["name"])) == 1
        finally:
            affiliate.call("DELETE", f"/api/webhooks/{endpoint['id']}", expect=204)
            affiliate.call("PATCH", "/api/me", json={"locale": "en"})


def usd(amount: str) -> Decimal:
    return Decimal(amount)


def test_a_low_balance_is_told_once_per_crossing(
    platform: Platform, client: httpx.Client, advertiser: Session
) -> None:
    owner = Session(client, login(client, platform.demo, "owner"))
    advertiser_id = platform.demo["advertiser"]["id"]
    settings = advertiser.call("GET", "/api/finance/settings")

    def balance() -> Decimal:
        rows = advertiser.call("GET", "/api/finance/balances")["advertiser"]
        return usd(next(r["balance"] for r in rows if r["currency"] == "USD"))

    def low_notices() -> int:
        return len(advertiser.notices("balance.low"))

    def approved_sale(offer: dict[str, Any], txn: str) -> None:
        before = balance()
        conversion_id = sell(client, platform, offer, txn)
        decided = advertiser.call(
            "POST", "/api/conversions/decisions", json={"status": "approved", "ids": [conversion_id]}
        )
        assert decided["updated"] == 1, decided
        until(lambda: balance() == before - usd(PAYOUT), "the approval charged to the balance")

    try:
        # A threshold removed takes its flag down, so this test starts from no known low balance.
        advertiser.call("PUT", "/api/finance/settings", json={**settings, "low_balance_threshold": {}})
        told_before = low_notices()
        start = balance()
        threshold = start + 10
        advertiser.call(
            "PUT",
            "/api/finance/settings",
            json={**settings, "low_balance_threshold": {"USD": str(threshold)}},
        )
        until(lambda: low_notices() == told_before + 1 or None, "the first balance.low")

        offer = new_offer(advertiser, "Low balance")
        approved_sale(offer, "LOW-1")  # further below: the same crossing, nothing more to tell

        top_up = threshold - balance() + 5
        confirmed_before = len(advertiser.notices("topup.confirmed"))
        asked = advertiser.call(
            "POST",
            "/api/finance/topup-requests",
            json={"amount": str(top_up), "currency": "USD", "reference": "WIRE-E2E"},
        )["items"][0]
        owner.call(
            "POST",
            f"/api/finance/topup-requests/{asked['id']}/confirm",
            params={"advertiser_id": advertiser_id},
        )
        # The top-up's own notice comes after anything the sale's approval could have sent.
        until(
            lambda: len(advertiser.notices("topup.confirmed")) > confirmed_before or None,
            "the top-up's notice",
        )
        assert balance() > threshold
        assert low_notices() == told_before + 1

        approved_sale(offer, "LOW-2")  # below again: a new crossing
        until(lambda: low_notices() == told_before + 2 or None, "the second balance.low")
        time.sleep(1)
        assert low_notices() == told_before + 2
    finally:
        advertiser.call("PUT", "/api/finance/settings", json=settings)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_dead_tracker_raises_one_failing_alert(
    platform: Platform, client: httpx.Client, affiliate: Session, advertiser: Session
) -> None:
    sales = 12
    # The alert counts attempts per 15-minute window: the sales must not straddle two.
    to_boundary = 900 - time.time() % 900
    if to_boundary < 20:
        time.sleep(to_boundary + 0.5)
    port = closed_port()
    affiliate.call(
        "PUT",
        "/api/postback-settings",
        json={"url": f"http://127.0.0.1:{port}/dead?cid={{click_id}}", "events": ["sale"]},
    )
    try:
        offer = new_offer(advertiser, "Dead tracker")
        told_before = len(affiliate.notices("postback.failing"))
        for n in range(sales):
            sell(client, platform, offer, f"DEAD-{n}")

        def failed_sales() -> int | None:
            log = affiliate.call("GET", "/api/deliveries", params={"event": "sale", "limit": 100})["items"]
            tried = [d for d in log if d["offer_id"] == offer["id"] and d["attempts"] >= 1]
            assert all(d["status"] != "success" for d in tried)
            return len(tried) if len(tried) == sales else None

        # Each sale's first attempt made (the retries come a minute later and more): 12 failures.
        until(failed_sales, "every sale's failed attempt", timeout=30)
        until(lambda: len(affiliate.notices("postback.failing")) > told_before or None, "the alert")
        time.sleep(2)  # the last attempts' counts have reached the watch, and none tells again
        alerts = affiliate.notices("postback.failing")
        assert len(alerts) == told_before + 1
        # The failure-rate alert, raised by the tenth failed attempt of the window.
        assert f"10 of 10 postbacks to http://127.0.0.1:{port}/dead" in alerts[0]["body"]
    finally:
        affiliate.call("PUT", "/api/postback-settings", json={"url": "", "events": ["sale"]})


class _Captured:
    """The notify queue as a producer sees it: the message QueuedNotices posts, kept."""

    def __init__(self) -> None:
        self.bodies: list[str] = []

    def post_all(self, notifications: Sequence[Notification]) -> None:
        self.bodies += [notification.body() for notification in notifications]


def sqs_event(queue_url: str, body: str, receive_count: int) -> dict[str, Any]:
    """One message as Lambda's SQS event source hands it to the function."""
    name = queue_url.rstrip("/").rsplit("/", 1)[-1]
    account = queue_url.rstrip("/").rsplit("/", 2)[-2]
    sent = str(int(time.time() * 1000))
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid5(uuid.NAMESPACE_URL, body)),
                "receiptHandle": f"AQEB{hashlib.sha256(body.encode()).hexdigest()}",
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": str(receive_count),
                    "SentTimestamp": sent,
                    "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                    "ApproximateFirstReceiveTimestamp": sent,
                },
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(body.encode()).hexdigest(),  # noqa: S324 - SQS's checksum
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:{account}:{name}",
                "awsRegion": "us-east-1",
            }
        ]
    }


def test_an_event_delivered_ten_times_is_sent_once_on_every_channel(
    platform: Platform, affiliate: Session, chat_id: int
) -> None:
    telegram = platform.runtime.telegram
    assert telegram is not None
    runtime = platform.runtime
    address = next(e["email"] for e in platform.demo["logins"] if e["role"] == "affiliate")
    conversion_id = f"redelivered{uuid.uuid4().hex[:12]}"
    captured = _Captured()
    QueuedNotices(captured).send(
        Event(
            event_id=f"{conversion_id}.sale",
            type=EventType.CONVERSION_SALE,
            occurred_at=datetime.now(UTC),
            advertiser_id=platform.demo["advertiser"]["id"],
            audience=Audience(affiliate_id=platform.demo["affiliate"]["id"], advertiser_team=True),
            data={
                "conversion_id": conversion_id,
                "offer_id": conversion_id,  # the texts name the offer: this marks them as this test's
                "goal": "sale",
                "payout": PAYOUT,
                "currency": "USD",
                "click_id": "",
            },
        )
    )
    (body,) = captured.bodies
    queue_url = str(runtime.physical_id("NotifyQueue"))
    for receive_count in range(1, 11):
        answer = runtime.invoke("NotifierFunction", sqs_event(queue_url, body, receive_count))
        assert answer == {"batchItemFailures": []}

    def sent() -> tuple[int, int, int]:
        return (
            len(mine(affiliate.notices("conversion.sale"), conversion_id)),
            len(mails_to(platform, address, conversion_id)),
            len([m for m in telegram.messages(chat_id) if conversion_id in m["text"]]),
        )

    until(lambda: sent() == (1, 1, 1) or None, "one notice, one e-mail, one Telegram message")
    time.sleep(1)
    assert sent() == (1, 1, 1)
    assert json.loads(body)["id"] == f"event.{conversion_id}.sale"
