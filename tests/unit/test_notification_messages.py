"""Every event reads as a sentence in Russian and English, whatever its data holds: names fall back to
ids, counts take their Russian plural, a storm says how many it folded, and what a person typed is
kept as text (each channel escapes it for its medium)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from partnerka.notifications.events import Event, EventType, Side
from partnerka.notifications.messages import LANGUAGES, counted, plural, render

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SCRIPT = "<script>alert(1)</script>"
# Every key the contract gives an event's data, filled: the union over all types.
FULL: dict[str, Any] = {
    "conversion_id": "conv1",
    "offer_id": "off1",
    "offer_name": f"Карта {SCRIPT}",
    "goal": "deposit",
    "payout": "12.5",
    "currency": "EUR",
    "click_id": "click1",
    "reason": "duplicate order",
    "balance": "40",
    "threshold": "100.00",
    "topup_id": "top1",
    "amount": "500.00",
    "request_id": "req1",
    "affiliate_id": "aff1",
    "affiliate_name": "Ivan Media",
    "payout_id": "pay1",
    "advertiser_name": "Acme",
    "url": "https://tracker.example/pb?secret=***",
    "failures": 12,
    "attempts": 40,
    "window_minutes": 15,
    "last_error": "HTTP 500",
    "status": "active",
    "cap": "conversions",
    "period": "day",
    "limit": 25,
    "invoice_id": "inv1",
    "number": "INV-2026-11",
    "month": "2026-11",
    "domain": "go.acme.example",
    "ip": "203.0.113.9",
    "device": "Firefox on Linux",
    "at": "2026-12-07T09:00:00.000Z",
    "plan_limit": "clicks_per_month",
    "plan_name": "Pro",
    "usage": 81234,
    "allowed": 100000,
    "percent": 81,
    "overage_per_1000": "0.20",
    "trial_end": "2026-12-21T09:00:00.000Z",
    "due_at": "2026-12-21T09:00:00.000Z",
    "suspends_at": "2026-12-20T09:00:00.000Z",
}


def event(type: EventType, data: dict[str, Any]) -> Event:
    return Event(f"e.{type.value}", type, AT, "adv1", data=data)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("type", list(EventType))
def test_every_event_reads_as_text_with_no_key_names_or_placeholders(type: EventType, language: str) -> None:
    for data in (FULL, {}, {key: ["wrong", "type"] for key in FULL}, {key: None for key in FULL}):
        message = render(event(type, data), language)
        shown = f"{message.title} {message.body}"
        assert message.title
        assert message.body.endswith(".")
        assert message.link.startswith("/")
        assert "{" not in shown
        assert "}" not in shown
        assert "None" not in shown
        assert "[" not in shown
        assert not [key for key in FULL if "_" in key and key in shown], shown
        if data is not FULL:  # no Cyrillic name in it: the words alone tell the language
            assert bool(re.search("[а-яё]", shown, re.IGNORECASE)) == (language == "ru"), shown


@pytest.mark.parametrize(
    ("type", "facts"),
    [
        (EventType.CONVERSION_SALE, ["12.50 EUR", "deposit"]),
        (EventType.CONVERSION_REJECTED, ["conv1", "duplicate order"]),
        (EventType.CONVERSION_REVERSED, ["conv1", "duplicate order", "12.50 EUR"]),
        (EventType.BALANCE_LOW, ["40.00 EUR", "100.00 EUR"]),
        (EventType.TOPUP_REJECTED, ["500.00 EUR", "duplicate order"]),
        (EventType.PAYOUT_REQUESTED, ["Ivan Media", "500.00 EUR"]),
        (EventType.PAYOUT_PAID, ["Acme", "500.00 EUR"]),
        (EventType.POSTBACK_FAILING, ["https://tracker.example/pb?secret=***", "HTTP 500"]),
        (EventType.APPLICATION_RECEIVED, ["Ivan Media"]),
        (EventType.MEMBERSHIP_DECIDED, ["Acme"]),
        (EventType.INVOICE_ISSUED, ["INV-2026-11", "500.00 EUR"]),
        (EventType.DOMAIN_STATUS, ["go.acme.example", "duplicate order"]),
        (EventType.SIGN_IN_NEW_DEVICE, ["Firefox on Linux", "203.0.113.9", "2026-12-07 09:00 UTC"]),
        (EventType.MFA_DISABLED, ["203.0.113.9", "2026-12-07 09:00 UTC"]),
        (EventType.PLAN_LIMIT_WARNING, ["81%", "81234", "100000", "Pro", "0.20 EUR"]),
        (EventType.TRIAL_ENDING, ["Pro", "2026-12-21 09:00 UTC"]),
        (EventType.SUBSCRIPTION_INVOICE, ["INV-2026-11", "500.00 EUR", "2026-12-21 09:00 UTC"]),
        (EventType.PAYMENT_FAILED, ["500.00 EUR", "duplicate order", "2026-12-20 09:00 UTC"]),
        (EventType.PAYMENT_REMINDER, ["INV-2026-11", "500.00 EUR", "2026-12-20 09:00 UTC"]),
        (EventType.SUBSCRIPTION_SUSPENDED, ["500.00 EUR"]),
        (EventType.SUBSCRIPTION_REACTIVATED, ["Pro"]),
    ],
)
def test_the_facts_of_an_event_show_in_both_languages(type: EventType, facts: list[str]) -> None:
    for language in LANGUAGES:
        message = render(event(type, FULL), language)
        for fact in facts:
            assert fact in f"{message.title} {message.body}", (language, fact)


def test_an_offer_name_is_kept_as_the_text_it_is() -> None:
    message = render(event(EventType.CONVERSION_SALE, FULL), "en")
    assert SCRIPT in message.title
    assert f'on offer "Карта {SCRIPT}"' in message.body


def test_a_missing_name_falls_back_to_the_id() -> None:
    data = {key: value for key, value in FULL.items() if not key.endswith("_name")}
    assert render(event(EventType.CONVERSION_LEAD, data), "ru").title == "Новый лид: off1"
    assert "по офферу off1" in render(event(EventType.CONVERSION_LEAD, data), "ru").body
    assert "Партнёр aff1 запросил" in render(event(EventType.PAYOUT_REQUESTED, data), "ru").body
    assert render(event(EventType.PAYOUT_PAID, data), "en").body == "You have been paid 500.00 EUR."


@pytest.mark.parametrize(
    ("count", "word"),
    [(1, "конверсия"), (2, "конверсии"), (4, "конверсии"), (5, "конверсий"), (11, "конверсий"),
     (12, "конверсий"), (14, "конверсий"), (21, "конверсия"), (22, "конверсии"), (25, "конверсий"),
     (0, "конверсий"), (101, "конверсия"), (111, "конверсий")],
)  # fmt: skip
def test_russian_counts_take_their_plural_form(count: int, word: str) -> None:
    assert plural(count, "конверсия", "конверсии", "конверсий") == word


def test_a_cap_names_its_limit_with_the_right_plural() -> None:
    for limit, en, ru in ((1, "1 conversion.", "1 конверсия."), (3, "3 conversions.", "3 конверсии.")):
        data = FULL | {"limit": limit}
        assert render(event(EventType.CAP_REACHED, data), "en").body.endswith(f"daily cap: {en}")
        assert render(event(EventType.CAP_REACHED, data), "ru").body.endswith(f"дневного лимита: {ru}")
    clicks = FULL | {"cap": "clicks", "limit": 5, "period": "week"}
    assert "достиг недельного лимита: 5 кликов." in render(event(EventType.CAP_REACHED, clicks), "ru").body
    assert counted(21, "ru", ("", ""), ("минуту", "минуты", "минут")) == "21 минуту"


def test_a_failing_postback_says_how_many_failed_in_which_window() -> None:
    data = FULL | {"reason": "failure_rate", "failures": 3, "attempts": 21, "window_minutes": 15}
    assert "3 of 21 postbacks to https://tracker.example/pb?secret=*** failed in the last 15 minutes." in (
        render(event(EventType.POSTBACK_FAILING, data), "en").body
    )
    assert (
        "За 15 минут не доставлено 3 из 21 постбэка на"
        in render(event(EventType.POSTBACK_FAILING, data), "ru").body
    )
    gave_up = FULL | {"reason": "gave_up", "attempts": 2}
    assert "не доставлен после 2 попыток" in render(event(EventType.POSTBACK_FAILING, gave_up), "ru").body


def test_a_folded_storm_says_how_many_more_came_since_the_last_alert() -> None:
    assert (
        "And 4 more since the last alert."
        in render(event(EventType.POSTBACK_FAILING, {"folded": 4}), "en").body
    )
    ru = {n: render(event(EventType.CAP_REACHED, {"folded": n}), "ru").body for n in (1, 3, 5)}
    assert ru[1].endswith("И ещё 1 такое событие с прошлого уведомления.")
    assert ru[3].endswith("И ещё 3 таких события с прошлого уведомления.")
    assert ru[5].endswith("И ещё 5 таких событий с прошлого уведомления.")
    for nothing in (0, "many", True, -2):
        assert (
            "since the last alert" not in render(event(EventType.CAP_REACHED, {"folded": nothing}), "en").body
        )


def test_links_open_the_page_of_the_readers_side() -> None:
    sale = event(EventType.CONVERSION_SALE, FULL)
    assert render(sale, "en").link == "/my/conversions"  # the affiliate hears of it by default
    assert render(sale, "en", Side.ADVERTISER).link == "/conversions"
    cap = event(EventType.CAP_REACHED, FULL)
    assert render(cap, "en").link == "/offers/off1"
    assert render(cap, "en", Side.AFFILIATE).link == "/my/offers"
    assert render(event(EventType.INVOICE_ISSUED, FULL), "en").link == "/finance/invoices/2026-11"
    assert render(event(EventType.INVOICE_ISSUED, FULL | {"month": "../x"}), "en").link == "/finance"
    assert render(event(EventType.DOMAIN_STATUS, FULL), "ru").link == "/domains"


def test_an_unknown_locale_reads_english() -> None:
    for locale in ("de", "", "ru-RU"):
        title = render(event(EventType.TOPUP_CONFIRMED, FULL), locale).title
        assert title == (
            "Пополнение подтверждено: 500.00 EUR" if locale == "ru-RU" else "Top-up confirmed: 500.00 EUR"
        )
