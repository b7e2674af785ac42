"""What an event says to a person: a title, a body and the dashboard page it opens, in Russian or
English. E-mail, Telegram and the inbox all render events here.

`render` returns plain text: names and reasons from the event's data (an offer's name, a postback's
error) are kept as they came, so each channel escapes for its own medium (HTML for e-mail and for
Telegram's HTML parse mode). The data comes from a queue: a fact that is missing or of the wrong
type is left out of the sentence (a name falls back to its id) and never breaks the message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from partnerka.common.clock import parse_iso
from partnerka.common.language import month_name
from partnerka.notifications.events import Event, EventType, Side

LANGUAGES = ("en", "ru")
_LONGEST_FACT = 300  # characters of one fact shown; the rest is cut (a postback's error, a reason)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Message:
    title: str
    body: str
    link: str  # a dashboard path ("/finance"); the channel puts its base URL in front


def language_of(locale: str) -> str:
    """ "ru" for a Russian locale ("ru", "ru-RU"), else "en"."""
    return "ru" if locale.lower().replace("_", "-").split("-")[0] == "ru" else "en"


def plural(count: int, one: str, few: str, many: str) -> str:
    """The Russian form of a noun after `count`: 1, 21 → one (конверсия); 2 to 4, 22 to 24 → few
    (конверсии); 0, 5 to 20, 25 to 30 → many (конверсий). The caller gives the forms in the case the
    sentence needs."""
    tens, units = abs(count) % 100, abs(count) % 10
    if units == 1 and tens != 11:
        return one
    if 2 <= units <= 4 and not 12 <= tens <= 14:
        return few
    return many


def counted(count: int, language: str, english: tuple[str, str], russian: tuple[str, str, str]) -> str:
    """`count` with its noun: "1 conversion", "5 conversions"; "1 конверсия", "5 конверсий"."""
    if language == "ru":
        return f"{count} {plural(count, *russian)}"
    return f"{count} {english[0] if count == 1 else english[1]}"


class _Facts:
    """An event's data as the sentences read it: each fact as display text, or "" when it is
    missing or not usable."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def text(self, key: str) -> str:
        value = self._data.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int):
            return ""
        shown = _CONTROL.sub(" ", str(value)).strip()
        return shown if len(shown) <= _LONGEST_FACT else shown[: _LONGEST_FACT - 1] + "…"

    def count(self, key: str) -> int | None:
        value = self._data.get(key)
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return None

    def money(self, key: str) -> str:
        """ "12.50 EUR": the amount (a decimal string) with the event's currency, at least to the cent."""
        value = self._data.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return ""
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            return ""
        if not amount.is_finite():
            return ""
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -2:
            amount = amount.quantize(_CENT)
        currency = self.text("currency").upper()
        return f"{amount:f} {currency}" if _CURRENCY.fullmatch(currency) else f"{amount:f}"

    def moment(self, key: str) -> str:
        """An ISO time as people read it: "2026-12-07 14:03 UTC"."""
        shown = self.text(key)
        try:
            return parse_iso(shown).strftime("%Y-%m-%d %H:%M UTC") if shown else ""
        except ValueError:
            return shown


def _sentences(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _either(name: str, fallback: str) -> str:
    return name or fallback


class _Text:
    """One event's sentences in one language."""

    def __init__(self, event: Event, language: str, side: Side) -> None:
        self.event = event
        self.ru = language == "ru"
        self.side = side
        self.f = _Facts(event.data)

    def say(self, english: str, russian: str) -> str:
        return russian if self.ru else english

    def part(self, english: str, russian: str, **facts: str) -> str:
        """The sentence with its facts filled in, or "" when any of them is missing."""
        if not all(facts.values()):
            return ""
        return (russian if self.ru else english).format(**facts)

    # ------------------------------------------------------------------ names
    def offer(self) -> str:
        """The offer as a title names it: its name, else its id."""
        return _either(self.f.text("offer_name"), self.f.text("offer_id"))

    def on_offer(self) -> str:
        """ " on offer "Summer"" / " по офферу «Summer»" (with the id when the name is missing)."""
        name, offer_id = self.f.text("offer_name"), self.f.text("offer_id")
        if name:
            return self.say(f' on offer "{name}"', f" по офферу «{name}»")
        return self.say(f" on offer {offer_id}", f" по офферу {offer_id}") if offer_id else ""

    def affiliate(self) -> str:
        return _either(self.f.text("affiliate_name"), self.f.text("affiliate_id"))

    def advertiser(self) -> str:
        return self.f.text("advertiser_name")

    # ------------------------------------------------------------------ links
    def conversions_link(self) -> str:
        return "/conversions" if self.side is Side.ADVERTISER else "/my/conversions"


def _titled(title: str, subject: str) -> str:
    return f"{title}: {subject}" if subject else title


def _conversion(t: _Text) -> Message:
    kind = t.event.type
    payout = t.f.money("payout")
    conversion_id = t.f.text("conversion_id")
    goal = t.part(" (goal: {goal})", " (цель: {goal})", goal=t.f.text("goal"))
    pays = t.part("Payout: {money}.", "Выплата: {money}.", money=payout)
    because = t.part("Reason: {reason}.", "Причина: {reason}.", reason=t.f.text("reason"))
    the_conversion = t.say(
        f"Conversion {conversion_id}" if conversion_id else "A conversion",
        f"Конверсия {conversion_id}" if conversion_id else "Конверсия",
    )
    if kind is EventType.CONVERSION_LEAD:
        title = t.say("New lead", "Новый лид")
        body = _sentences(t.say("A new lead", "Новый лид") + t.on_offer() + goal + ".", pays)
    elif kind is EventType.CONVERSION_SALE:
        title = t.say("New sale", "Новая продажа")
        body = _sentences(t.say("A new sale", "Новая продажа") + t.on_offer() + goal + ".", pays)
    elif kind is EventType.CONVERSION_APPROVED:
        title = t.say("Conversion approved", "Конверсия подтверждена")
        body = _sentences(the_conversion + t.on_offer() + t.say(" was approved.", " подтверждена."), pays)
    elif kind is EventType.CONVERSION_REJECTED:
        title = t.say("Conversion rejected", "Конверсия отклонена")
        body = _sentences(the_conversion + t.on_offer() + t.say(" was rejected.", " отклонена."), because)
    else:
        title = t.say("Approved conversion reversed", "Подтверждённая конверсия отменена")
        body = _sentences(
            the_conversion
            + t.on_offer()
            + t.say(" was approved earlier and is now rejected.", " была подтверждена, а теперь отклонена."),
            because,
            t.part("The payout of {money} is taken back.", "Выплата {money} отменена.", money=payout),
        )
    return Message(_titled(title, t.offer()), body, t.conversions_link())


def _balance_low(t: _Text) -> Message:
    balance, threshold = t.f.money("balance"), t.f.money("threshold")
    title = _titled(t.say("Low balance", "Низкий баланс"), balance)
    body = _sentences(
        t.part("Your balance is down to {balance}", "Баланс опустился до {balance}", balance=balance)
        + t.part(", below {threshold}", " — ниже порога {threshold}", threshold=threshold)
        + ("." if balance else ""),
        t.say(
            "Top up to keep paying your affiliates without a break.",
            "Пополните баланс, чтобы выплаты партнёрам шли без перерыва.",
        ),
    )
    return Message(title, body, "/finance")


def _topup(t: _Text) -> Message:
    amount = t.f.money("amount")
    if t.event.type is EventType.TOPUP_CONFIRMED:
        title = t.say("Top-up confirmed", "Пополнение подтверждено")
        body = t.say("Your top-up", "Пополнение") + t.part(" of {amount}", " на {amount}", amount=amount)
        body += t.say(" is confirmed and added to your balance.", " подтверждено и зачислено на баланс.")
    else:
        title = t.say("Top-up rejected", "Пополнение отклонено")
        body = t.say("Your top-up", "Пополнение") + t.part(" of {amount}", " на {amount}", amount=amount)
        body = _sentences(
            body + t.say(" was rejected.", " отклонено."),
            t.part("Reason: {reason}.", "Причина: {reason}.", reason=t.f.text("reason")),
        )
    return Message(_titled(title, amount), body, "/finance")


def _payout_requested(t: _Text) -> Message:
    amount, affiliate = t.f.money("amount"), t.affiliate()
    title = _titled(t.say("Payout requested", "Запрос выплаты"), amount)
    who = t.say(f"Affiliate {affiliate}" if affiliate else "An affiliate", f"Партнёр {affiliate}".strip())
    body = who + t.say(" asked for a payout", " запросил выплату")
    body += t.part(" of {amount}.", " {amount}.", amount=amount) or "."
    return Message(title, body, "/finance")


def _payout_paid(t: _Text) -> Message:
    amount, advertiser = t.f.money("amount"), t.advertiser()
    title = _titled(t.say("Payout sent", "Выплата отправлена"), amount)
    if advertiser:
        body = t.say(f"{advertiser} paid you", f"Рекламодатель {advertiser} отправил вам выплату")
    else:
        body = t.say("You have been paid", "Вам отправлена выплата")
    body += t.part(" {amount}.", " {amount}.", amount=amount) or "."
    return Message(title, body, "/finance")


def _postback_failing(t: _Text) -> Message:
    url = t.f.text("url")
    attempts, failures = t.f.count("attempts"), t.f.count("failures")
    window = t.f.count("window_minutes")
    reason = t.f.text("reason")
    language = "ru" if t.ru else "en"
    to_url = t.part(" to {url}", " на {url}", url=url)
    if reason == "gave_up":
        tries = ""
        if attempts:
            tries = t.say(" after ", " после ") + counted(
                attempts, language, ("attempt", "attempts"), ("попытки", "попыток", "попыток")
            )
        what = t.say(f"A postback{to_url} was not delivered{tries}.", f"Постбэк{to_url} не доставлен{tries}.")
    elif reason == "failure_rate" and failures is not None and attempts and window:
        sent = counted(attempts, language, ("postback", "postbacks"), ("постбэка", "постбэков", "постбэков"))
        minutes = counted(window, language, ("minute", "minutes"), ("минуту", "минуты", "минут"))
        what = t.say(
            f"{failures} of {sent}{to_url} failed in the last {minutes}.",
            f"За {minutes} не доставлено {failures} из {sent}{to_url}.",
        )
    else:
        what = t.say(f"Postbacks{to_url} are failing.", f"Постбэки{to_url} не доставляются.")
    body = _sentences(
        what,
        t.part("Last error: {error}.", "Последняя ошибка: {error}.", error=t.f.text("last_error")),
        t.say("Check the URL and your server.", "Проверьте адрес и ваш сервер."),
    )
    return Message(t.say("Postbacks are failing", "Постбэки не доставляются"), body, "/deliveries")


def _application_received(t: _Text) -> Message:
    affiliate = t.affiliate()
    title = _titled(t.say("New application", "Новая заявка"), affiliate)
    body = t.say(
        (f"{affiliate}" if affiliate else "An affiliate") + " applied to join your program.",
        (f"Партнёр {affiliate}" if affiliate else "Партнёр") + " подал заявку на участие в вашей программе.",
    )
    return Message(title, body, "/memberships")


_DECISIONS = {
    # status: (en title, en body, ru title, ru body); {who} is the advertiser, or "" when unnamed
    "active": (
        "Application approved",
        "{who} approved your application: its offers are open to you now.",
        "Заявка одобрена",
        "{who} одобрил вашу заявку: его офферы теперь доступны вам.",
    ),
    "rejected": (
        "Application declined",
        "{who} declined your application.",
        "Заявка отклонена",
        "{who} отклонил вашу заявку.",
    ),
    "blocked": (
        "Access blocked",
        "{who} blocked your access to its program.",
        "Доступ закрыт",
        "{who} закрыл вам доступ к своей программе.",
    ),
}


def _membership_decided(t: _Text) -> Message:
    advertiser = t.advertiser()
    decision = _DECISIONS.get(t.f.text("status"))
    if decision is None:
        title = t.say("Your membership has changed", "Статус участия изменён")
        body = t.say(
            "The status of your membership in a program has changed.",
            "Статус вашего участия в программе изменился.",
        )
        return Message(_titled(title, advertiser), body, "/memberships")
    en_title, en_body, ru_title, ru_body = decision
    who = t.say(advertiser or "The advertiser", f"Рекламодатель {advertiser}".strip())
    body = (ru_body if t.ru else en_body).format(who=who)
    return Message(_titled(t.say(en_title, ru_title), advertiser), body, "/memberships")


_PERIODS = {
    # period: (en adjective, ru adjective in the genitive: "достиг дневного лимита")
    "day": ("daily", "дневного"),
    "week": ("weekly", "недельного"),
    "month": ("monthly", "месячного"),
    "total": ("total", "общего"),
}


def _cap_reached(t: _Text) -> Message:
    language = "ru" if t.ru else "en"
    limit = t.f.count("limit")
    cap = t.f.text("cap")
    if cap == "clicks" and limit is not None:
        amount = counted(limit, language, ("click", "clicks"), ("клик", "клика", "кликов"))
    elif cap == "conversions" and limit is not None:
        amount = counted(
            limit, language, ("conversion", "conversions"), ("конверсия", "конверсии", "конверсий")
        )
    elif cap == "payout":
        amount = t.part("{money} in payouts", "выплаты на {money}", money=t.f.money("limit"))
    else:
        amount = ""
    en_period, ru_period = _PERIODS.get(t.f.text("period"), ("", ""))
    name, offer_id = t.f.text("offer_name"), t.f.text("offer_id")
    the_offer = t.say(
        f'Offer "{name}"' if name else _sentences("Offer", offer_id),
        f"Оффер «{name}»" if name else _sentences("Оффер", offer_id),
    )
    body = the_offer + t.say(
        " reached its " + _sentences(en_period, "cap"),
        " достиг " + _sentences(ru_period, "лимита"),
    )
    body += t.part(": {amount}.", ": {amount}.", amount=amount) or "."
    if t.side is Side.ADVERTISER and offer_id:
        link = f"/offers/{offer_id}"
    else:
        link = "/offers" if t.side is Side.ADVERTISER else "/my/offers"
    return Message(_titled(t.say("Cap reached", "Лимит достигнут"), t.offer()), body, link)


def _invoice_issued(t: _Text) -> Message:
    number, amount = t.f.text("number"), t.f.money("amount")
    month_key = t.f.text("month")
    month = month_name(month_key, "ru" if t.ru else "en")
    title = _titled(t.say("Invoice issued", "Выставлен счёт"), number)
    body = t.say("Invoice", "Счёт") + t.part(" {number}", " {number}", number=number)
    body += t.part(" for {month}", " за {month}", month=month)
    body += t.say(" is issued", " выставлен")
    body += t.part(": {amount}.", " на сумму {amount}.", amount=amount) or "."
    link = f"/finance/invoices/{month_key}" if _MONTH.fullmatch(month_key) else "/finance"
    return Message(title, body, link)


DOMAIN_STATUS_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    # status: language: (title, what happened); {domain} is the domain's name as people read it
    "active": {
        "en": (
            "{domain} is live",
            "Your domain {domain} is set up: its certificate is issued and it serves your program.",
        ),
        "ru": (
            "{domain} работает",
            "Домен {domain} настроен: сертификат выпущен, домен обслуживает вашу программу.",
        ),
    },
    "broken": {
        "en": (
            "{domain} no longer points to us",
            "Your domain {domain} stopped pointing to the platform, so visitors may not reach it.",
        ),
        "ru": (
            "{domain} больше не указывает на нас",
            "Домен {domain} перестал указывать на платформу: посетители могут его не открыть.",
        ),
    },
    "failed": {
        "en": ("{domain} could not be set up", "Setting up your domain {domain} stopped."),
        "ru": ("Не удалось настроить {domain}", "Настройка домена {domain} остановлена."),
    },
}


def _domain_status(t: _Text) -> Message:
    domain = t.f.text("domain")
    texts = DOMAIN_STATUS_TEXTS.get(t.f.text("status"))
    if texts is None or not domain:
        title = _titled(t.say("Your domain's status has changed", "Статус домена изменился"), domain)
        what = t.say(
            f"The status of {domain or 'your domain'} has changed.",
            _sentences("Статус домена", domain, "изменился."),
        )
    else:
        title, what = (part.format(domain=domain) for part in texts["ru" if t.ru else "en"])
    reason = t.part("Reason: {reason}.", "Причина: {reason}.", reason=t.f.text("reason"))
    return Message(title, _sentences(what, reason), "/domains")


_IF_NOT_YOU = (
    "If it was not you, change your password and turn on two-factor authentication.",
    "Если это были не вы, смените пароль и включите двухфакторную аутентификацию.",
)


def _new_sign_in(t: _Text) -> Message:
    device, ip, at = t.f.text("device"), t.f.text("ip"), t.f.moment("at")
    where = ", ".join(part for part in (device, t.part("IP {ip}", "IP {ip}", ip=ip), at) if part)
    body = _sentences(
        t.say(
            "Someone signed in to your account from a new device", "В ваш аккаунт вошли с нового устройства"
        )
        + (f" ({where})." if where else "."),
        t.say(*_IF_NOT_YOU),
    )
    return Message(t.say("New sign-in to your account", "Новый вход в аккаунт"), body, "/account")


def _mfa_disabled(t: _Text) -> Message:
    if t.f.text("reset_by") == "support":
        return _mfa_reset_by_support(t)
    ip, at = t.f.text("ip"), t.f.moment("at")
    where = ", ".join(part for part in (at, t.part("IP {ip}", "IP {ip}", ip=ip)) if part)
    body = _sentences(
        t.say(
            "Two-factor authentication was turned off for your account",
            "Для вашего аккаунта отключена двухфакторная аутентификация",
        )
        + (f" ({where})." if where else "."),
        t.say(
            "If it was not you, change your password and turn it on again.",
            "Если это были не вы, смените пароль и включите её снова.",
        ),
    )
    title = t.say("Two-factor authentication turned off", "Двухфакторная аутентификация отключена")
    return Message(title, body, "/account")


def _mfa_reset_by_support(t: _Text) -> Message:
    """The platform's support turned 2FA off for a person who lost its authenticator, once it had
    confirmed who the person is; every session ended with it."""
    at = t.f.moment("at")
    body = _sentences(
        t.say(
            "The platform's support reset two-factor authentication for your account at your request",
            "Служба поддержки платформы по вашему запросу сбросила двухфакторную аутентификацию",
        )
        + (f" ({at})." if at else "."),
        t.say(
            "You were signed out everywhere: sign in again and turn it on in your account settings.",
            "Все ваши сеансы завершены: войдите снова и включите её в настройках аккаунта.",
        ),
        t.say(
            "If you did not ask for it, change your password and contact support.",
            "Если вы об этом не просили, смените пароль и обратитесь в поддержку.",
        ),
    )
    title = t.say("Two-factor authentication reset", "Двухфакторная аутентификация сброшена")
    return Message(title, body, "/account")


# ------------------------------------------------------------------ the platform's billing
_LIMIT_NAMES: dict[str, tuple[str, str]] = {
    "clicks_per_month": ("clicks this month", "кликов в этом месяце"),
    "active_offers": ("active offers", "активных офферов"),
    "approved_affiliates": ("approved affiliates", "одобренных партнёров"),
    "team_seats": ("team seats", "мест в команде"),
    "custom_domains": ("custom domains", "своих доменов"),
}


def _limit_warning(t: _Text) -> Message:
    names = _LIMIT_NAMES.get(t.f.text("plan_limit"), ("of your plan's limit", "лимита тарифа"))
    usage, allowed, percent = t.f.text("usage"), t.f.text("allowed"), t.f.count("percent") or 0
    plan = t.f.text("plan_name")
    reached = percent >= 100
    title = t.say(
        "Your plan's limit is reached" if reached else f"{percent}% of your plan's limit used",
        "Лимит тарифа исчерпан" if reached else f"Использовано {percent}% лимита тарифа",
    )
    used = t.part(
        f"You have used {{usage}} of {{allowed}} {names[0]}",
        f"Использовано {{usage}} из {{allowed}} {names[1]}",
        usage=usage,
        allowed=allowed,
    )
    on_plan = t.part(" on the {plan} plan", " на тарифе {plan}", plan=plan)
    overage = t.f.text("overage_per_1000")
    if t.f.text("plan_limit") == "clicks_per_month":
        # Clicks are never refused: what goes over is billed, or the advertiser is asked to upgrade.
        after = (
            t.part(
                "Clicks over the limit are billed at {price} per 1,000; tracking goes on.",
                "Клики сверх лимита оплачиваются по {price} за 1000; трекинг продолжается.",
                price=t.f.money("overage_per_1000"),
            )
            if overage
            else t.say(
                "Tracking goes on; upgrade your plan to keep within it.",
                "Трекинг продолжается; чтобы оставаться в лимите, перейдите на тариф выше.",
            )
        )
    else:
        after = t.say("Upgrade your plan to add more.", "Чтобы добавить ещё, перейдите на тариф выше.")
    return Message(title, _sentences((used + on_plan + ".") if used else "", after), "/billing")


def _trial_ending(t: _Text) -> Message:
    when = t.f.moment("trial_end")
    title = t.say("Your trial ends soon", "Пробный период скоро закончится")
    body = _sentences(
        t.part(
            "Your trial of {plan} ends on {when}.",
            "Пробный период тарифа {plan} закончится {when}.",
            plan=t.f.text("plan_name"),
            when=when,
        )
        or t.say("Your trial ends soon.", "Пробный период скоро закончится."),
        t.say(
            "Choose a plan and add a card to keep your program running without a break.",
            "Выберите тариф и привяжите карту, чтобы программа работала без перерыва.",
        ),
    )
    return Message(title, body, "/pricing")


def _subscription_invoice(t: _Text) -> Message:
    number, amount = t.f.text("number"), t.f.money("amount")
    title = _titled(t.say("New invoice", "Новый счёт"), number)
    body = _sentences(
        t.say("The platform has issued you an invoice", "Платформа выставила вам счёт")
        + t.part(" for {amount}", " на {amount}", amount=amount)
        + ".",
        t.part("Please pay it by {due}.", "Оплатите его до {due}.", due=t.f.moment("due_at")),
    )
    return Message(title, body, "/billing")


def _payment_failed(t: _Text) -> Message:
    amount = t.f.money("amount")
    title = t.say("Payment failed", "Платёж не прошёл")
    body = _sentences(
        t.say("We could not charge your card", "Не удалось списать оплату с карты")
        + t.part(" for {amount}", " на сумму {amount}", amount=amount)
        + ".",
        t.part("Reason: {reason}.", "Причина: {reason}.", reason=t.f.text("reason")),
        t.part(
            "Pay by {when}, or the dashboard will be limited to its billing pages (tracking goes on).",
            "Оплатите до {when}, иначе в кабинете останутся только страницы оплаты (трекинг продолжится).",
            when=t.f.moment("suspends_at"),
        ),
    )
    return Message(title, body, "/billing")


def _payment_reminder(t: _Text) -> Message:
    number, amount = t.f.text("number"), t.f.money("amount")
    title = _titled(t.say("Invoice unpaid", "Счёт не оплачен"), number)
    body = _sentences(
        t.say("An invoice of the platform is still unpaid", "Счёт платформы всё ещё не оплачен")
        + t.part(": {amount}", ": {amount}", amount=amount)
        + ".",
        t.part(
            "Pay by {when} to keep full access to your dashboard.",
            "Оплатите до {when}, чтобы сохранить полный доступ к кабинету.",
            when=t.f.moment("suspends_at"),
        ),
    )
    return Message(title, body, "/billing")


def _suspended(t: _Text) -> Message:
    title = t.say("Your subscription is suspended", "Подписка приостановлена")
    body = _sentences(
        t.say(
            "Your subscription is suspended for an unpaid invoice",
            "Подписка приостановлена из-за неоплаченного счёта",
        )
        + t.part(" ({amount})", " ({amount})", amount=t.f.money("amount"))
        + ".",
        t.say(
            "Your tracking links keep working and your data is kept; the dashboard shows only its "
            "billing pages until you pay.",
            "Трекинговые ссылки работают, данные сохранены; до оплаты в кабинете доступны только "
            "страницы оплаты.",
        ),
    )
    return Message(title, body, "/billing")


def _reactivated(t: _Text) -> Message:
    title = t.say("Subscription active again", "Подписка снова активна")
    body = t.say("Thank you: your payment is received", "Спасибо: оплата получена") + (
        t.part(
            " and your {plan} plan is active again.",
            ", тариф {plan} снова активен.",
            plan=t.f.text("plan_name"),
        )
        or t.say(" and your subscription is active again.", ", подписка снова активна.")
    )
    return Message(title, body, "/billing")


# ------------------------------------------------------------------ suspension by the platform's staff
def _suspended_whom(t: _Text) -> tuple[str, str]:
    """Whose suspension the reader hears of, as the objects of (English, Russian) sentences, by its
    scope and the reader's side: its own account, its place in one program, or an affiliate of its
    program."""
    scope, advertiser, affiliate = t.f.text("scope"), t.advertiser(), t.affiliate()
    if scope == "program" and t.side is Side.ADVERTISER:
        return (
            f"affiliate {affiliate} in your program" if affiliate else "an affiliate in your program",
            f"партнёра {affiliate} в вашей программе" if affiliate else "партнёра в вашей программе",
        )
    if scope == "program":
        return (
            f"your account in the program of {advertiser}" if advertiser else "your account in a program",
            f"ваше участие в программе {advertiser}" if advertiser else "ваше участие в программе",
        )
    return ("your account", "ваш аккаунт")


def _account_suspended(t: _Text) -> Message:
    english, russian = _suspended_whom(t)
    scope = t.f.text("scope")
    if scope == "advertiser":
        effect = t.say(
            "Your dashboard is read-only, your tracking links send visitors to your fallback, and "
            "postbacks and payouts wait until it is reactivated.",
            "Кабинет доступен только для чтения, трекинговые ссылки ведут на резервную страницу, "
            "постбэки и выплаты ждут возобновления.",
        )
    elif scope == "program" and t.side is Side.ADVERTISER:
        effect = t.say(
            "Its clicks go to your fallback until it is reactivated.",
            "Его клики уходят на резервную страницу до возобновления.",
        )
    else:
        effect = t.say(
            "Your links send no traffic to these offers and payouts wait until it is reactivated; "
            "you can still sign in and read your statistics.",
            "Ссылки не передают трафик на эти офферы, выплаты ждут возобновления; войти и смотреть "
            "статистику по-прежнему можно.",
        )
    body = _sentences(
        t.say(f"The platform has suspended {english}.", f"Платформа приостановила {russian}."),
        t.part("Reason: {reason}.", "Причина: {reason}.", reason=t.f.text("reason")),
        effect,
    )
    title = t.say("Account suspended", "Аккаунт приостановлен")
    if scope == "program":
        title = t.say("Suspended in a program", "Участие в программе приостановлено")
    return Message(title, body, _suspension_link(t))


def _account_reactivated(t: _Text) -> Message:
    english, russian = _suspended_whom(t)
    body = _sentences(
        t.say(f"The platform has reactivated {english}.", f"Платформа возобновила {russian}."),
        t.part("Note: {reason}.", "Комментарий: {reason}.", reason=t.f.text("reason")),
    )
    title = t.say("Account reactivated", "Аккаунт снова активен")
    if t.f.text("scope") == "program":
        title = t.say("Active in the program again", "Участие в программе возобновлено")
    return Message(title, body, _suspension_link(t))


def _suspension_link(t: _Text) -> str:
    return "/memberships" if t.f.text("scope") == "program" else "/"


_RENDERERS: dict[EventType, Callable[[_Text], Message]] = {
    EventType.CONVERSION_LEAD: _conversion,
    EventType.CONVERSION_SALE: _conversion,
    EventType.CONVERSION_APPROVED: _conversion,
    EventType.CONVERSION_REJECTED: _conversion,
    EventType.CONVERSION_REVERSED: _conversion,
    EventType.BALANCE_LOW: _balance_low,
    EventType.TOPUP_CONFIRMED: _topup,
    EventType.TOPUP_REJECTED: _topup,
    EventType.PAYOUT_REQUESTED: _payout_requested,
    EventType.PAYOUT_PAID: _payout_paid,
    EventType.POSTBACK_FAILING: _postback_failing,
    EventType.APPLICATION_RECEIVED: _application_received,
    EventType.MEMBERSHIP_DECIDED: _membership_decided,
    EventType.CAP_REACHED: _cap_reached,
    EventType.INVOICE_ISSUED: _invoice_issued,
    EventType.DOMAIN_STATUS: _domain_status,
    EventType.SIGN_IN_NEW_DEVICE: _new_sign_in,
    EventType.MFA_DISABLED: _mfa_disabled,
    EventType.PLAN_LIMIT_WARNING: _limit_warning,
    EventType.TRIAL_ENDING: _trial_ending,
    EventType.SUBSCRIPTION_INVOICE: _subscription_invoice,
    EventType.PAYMENT_FAILED: _payment_failed,
    EventType.PAYMENT_REMINDER: _payment_reminder,
    EventType.SUBSCRIPTION_SUSPENDED: _suspended,
    EventType.SUBSCRIPTION_REACTIVATED: _reactivated,
    EventType.ACCOUNT_SUSPENDED: _account_suspended,
    EventType.ACCOUNT_REACTIVATED: _account_reactivated,
}


def _folded(t: _Text) -> str:
    """The storm's count: how many more of its kind came since the last alert."""
    more = t.f.count("folded")
    if more is None or more <= 0:
        return ""
    return t.say(
        f"And {more} more since the last alert.",
        f"И ещё {more} {plural(more, 'такое событие', 'таких события', 'таких событий')}"
        " с прошлого уведомления.",
    )


def render(event: Event, locale: str, side: Side | None = None) -> Message:
    """The event in the reader's language ("ru", else English), as plain text. `side` is the
    reader's side of the program where an event reaches both (a conversion: the affiliate's page or
    the advertiser's); by default the first side its spec names."""
    reader = side if side is not None else next(iter(event.spec.defaults), Side.USER)
    t = _Text(event, language_of(locale), reader)
    message = _RENDERERS[event.type](t)
    return Message(message.title, _sentences(message.body, _folded(t)), message.link)
