"""Notifications in Debian's Chromium against the local platform, as the demo affiliate: its sales
light the bell, the bell's panel and the inbox show them and mark them read; the preferences matrix
keeps a changed channel and locks the security notices; Telegram links through the fake Bot API
(the person's Start played by its test hook) and the chat gets the bot's confirmation; and the same
screens read in Russian."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Platform
from tests.e2e.test_browser_onboarding import new_context, sign_in
from tests.e2e.test_browser_postbacks import credentials
from tests.e2e.test_postback_delivery import OFFER
from tests.e2e.test_tracking_loop import BROWSER, login, visit

pytestmark = pytest.mark.e2e

OFFER_NAME = "Bell ringer"
SALES = 2
CHAT_ID = 730_001
TELEGRAM_USER = "bell_reader"


def waited_for(found: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    """`found()` once it is truthy: the notifier fans events out from its queue in its own time."""
    deadline = time.monotonic() + timeout
    while not (result := found()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout:.0f} s")
        time.sleep(0.2)
    return result


@pytest.fixture
def api() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, headers={"user-agent": BROWSER}) as client:
        yield client


def sell(client: httpx.Client, platform: Platform) -> str:
    """Sales on a new offer of the demo advertiser by the demo affiliate; the offer's name, which
    its sales' notices carry."""
    demo = platform.demo
    created = client.post(
        "/api/offers", json=OFFER | {"name": OFFER_NAME}, headers=login(client, demo, "advertiser")
    )
    assert created.status_code == 201, created.text
    offer = created.json()
    for number in range(SALES):
        click_id = visit(client, f"/click?o={offer['id']}&a={demo['affiliate']['id']}")
        reported = client.get(
            "/postback",
            params={
                "click_id": click_id,
                "status": "sale",
                "txn_id": f"BELL-{number}",
                "secret": offer["postback_secret"],
            },
        )
        assert reported.status_code == 200, reported.text
    return str(offer["name"])


def test_the_bell_the_inbox_the_preferences_and_telegram(
    browser: Browser, platform: Platform, api: httpx.Client
) -> None:
    api.base_url = httpx.URL(platform.url)
    affiliate = login(api, platform.demo, "affiliate")
    preferences_before = api.get("/api/notifications/preferences", headers=affiliate).json()
    context = new_context(browser, platform)
    page = context.new_page()
    try:
        sign_in(page, *credentials(platform, "affiliate"))
        # Given two sales of the affiliate fanned out to its inbox, and nothing else unread there
        # (the demo's history and a sign-in from a new device leave notices of their own)
        offer_name = sell(api, platform)

        def unread() -> list[dict[str, Any]]:
            query = {"unread": "true", "limit": "100"}
            return list(api.get("/api/notifications", params=query, headers=affiliate).json()["items"])

        waited_for(
            lambda: sum(offer_name in item["body"] for item in unread()) == SALES,
            f"{SALES} sale notices in the affiliate's inbox",
        )
        # Whatever else is on its way to the inbox (this sign-in's own notice, say) arrives first, so
        # that marking all read below leaves nothing for a later poll of the bell to find
        platform.runtime.wait_idle(30, functions=("NotifierFunction",))
        for other in (item for item in unread() if offer_name not in item["body"]):
            api.post(f"/api/notifications/{other['id']}/read", headers=affiliate)
        page.reload()

        the_bell_and_the_inbox(page, offer_name)
        the_preferences_matrix(page)
        telegram_linked(page, platform, api)
        in_russian(page)
    finally:
        restored = {
            event["type"]: event["channels"]
            for event in preferences_before["events"]
            if not event["security"]
        }
        api.put("/api/notifications/preferences", json={"events": restored}, headers=affiliate)
        api.delete("/api/notifications/telegram", headers=affiliate)
        context.close()


def the_bell_and_the_inbox(page: Page, offer_name: str) -> None:
    badge = page.get_by_test_id("notification-badge")
    expect(badge).to_have_text(str(SALES))
    # The bell's panel shows the newest, our sales among them
    page.get_by_test_id("notification-bell").click()
    panel = page.get_by_test_id("notification-panel")
    expect(panel).to_contain_text("Notifications")
    expect(panel.get_by_test_id("notice").filter(has_text=offer_name)).to_have_count(SALES)
    # The inbox has them too, on both of its tabs
    panel.get_by_test_id("notification-see-all").click()
    expect(page).to_have_url(re.compile(r"/notifications$"))
    inbox = page.get_by_test_id("notifications")
    sales = inbox.get_by_test_id("notice").filter(has_text=offer_name)
    expect(sales).to_have_count(SALES)
    page.get_by_test_id("notifications-filter-unread").click()
    expect(inbox.locator('[data-testid="notice"][data-read="true"]')).to_have_count(0)
    expect(inbox.locator('[data-testid="notice"][data-read="false"]')).to_have_count(SALES)
    # Opening one marks it read and goes to its page; the bell counts one fewer
    sales.first.click()
    expect(page).not_to_have_url(re.compile(r"/notifications"))
    expect(badge).to_have_text(str(SALES - 1))
    # Marking all read empties the bell
    page.go_back()
    page.get_by_test_id("notifications-mark-all").click()
    expect(badge).to_have_count(0)
    expect(inbox.get_by_test_id("notice")).to_have_count(0)  # the unread tab has none left
    page.get_by_test_id("notifications-filter-all").click()
    expect(
        inbox.locator('[data-testid="notice"][data-read="true"]').filter(has_text=offer_name)
    ).to_have_count(SALES)


def the_preferences_matrix(page: Page) -> None:
    page.get_by_test_id("notifications-preferences").click()
    matrix = page.get_by_test_id("notification-preferences")
    security = matrix.locator('[data-testid="preferences-row"][data-type^="security."]')
    expect(security).to_have_count(2)
    for box in security.locator('[data-testid^="preference-"]').all():
        expect(box).to_be_disabled()
        expect(box).to_be_checked()
    # A lead by e-mail is off by default; the affiliate turns it on and saves
    lead_by_mail = page.get_by_test_id("preference-conversion.lead-email")
    expect(lead_by_mail).not_to_be_checked()
    lead_by_mail.click()
    page.get_by_test_id("preferences-save").click()
    expect(page.get_by_text("Notification settings saved")).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("preference-conversion.lead-email")).to_be_checked()


def telegram_linked(page: Page, platform: Platform, api: httpx.Client) -> None:
    bot = platform.runtime.telegram
    assert bot is not None, "the local platform runs a fake Bot API"
    card = page.get_by_test_id("telegram-card")
    expect(card).to_have_attribute("data-linked", "false")
    card.get_by_test_id("telegram-connect").click()
    shown = card.get_by_test_id("telegram-code-value")
    expect(shown).to_contain_text("/start ")
    code = shown.inner_text().removeprefix("/start ").strip()
    # The person opens the bot and presses Start: Telegram sends the webhook the update
    started = api.post(
        f"{bot.url}/_fake/start", params={"chat_id": CHAT_ID, "username": TELEGRAM_USER, "code": code}
    )
    assert started.json() == {"status": 200}, started.text
    expect(card.get_by_test_id("telegram-linked")).to_contain_text(f"@{TELEGRAM_USER}")
    expect(card).to_have_attribute("data-linked", "true")
    # The bot said so in the chat
    sent = api.get(f"{bot.url}/_fake/messages").json()
    to_chat = [
        call["arguments"]["text"]
        for call in sent
        if call["method"] == "sendMessage" and call["arguments"].get("chat_id") == CHAT_ID
    ]
    assert len(to_chat) == 1, sent
    assert "notifications of your account will come to this chat" in to_chat[0]


def in_russian(page: Page) -> None:
    page.get_by_test_id("language-ru").click()
    matrix = page.get_by_test_id("notification-preferences")
    expect(matrix).to_contain_text("Уведомления и каналы")
    expect(matrix).to_contain_text("Конверсии")
    expect(matrix).to_contain_text("Безопасность")
    expect(page.get_by_test_id("telegram-linked")).to_contain_text("Подключён аккаунт")
    page.get_by_test_id("notification-bell").click()
    panel = page.get_by_test_id("notification-panel")
    expect(panel).to_contain_text("Уведомления")
    # the notices themselves are written in the language the dashboard shows now
    expect(panel).to_contain_text("Новая продажа")
    expect(panel.get_by_test_id("notification-see-all")).to_have_text("Все уведомления")
    panel.get_by_test_id("notification-see-all").click()
    expect(page.get_by_test_id("notifications-mark-all")).to_have_text("Прочитать все")
    expect(page.get_by_test_id("notifications-filter-unread")).to_have_text("Непрочитанные (0)")
