"""The platform's invoices to advertisers: their ids, their lines in the buyer's language, and the
invoice as issued.

An invoice's id is its billing key, so a rerun finds the invoice it issued instead of issuing
another: `subscription.<advertiser>.<period start>` (a renewal, a trial's end), `overage.<advertiser>.
<YYYY-MM>`; what an advertiser's change bills is also keyed by the plan it chose (two changes in one
second are two changes): `subscription.<advertiser>.<start>.<plan>.<interval>`, `proration.
<advertiser>.<instant>.<plan>`. Its number comes from the platform's own series when
it is stored (billing.repository). Lines are written once, as printed, in the language of the
buyer's billing profile (Russian or English); amounts are minor units of the invoice's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from partnerka.billing.models import (
    INVOICE_DUE_DAYS,
    BillingProfile,
    Interval,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    PlatformInvoice,
)
from partnerka.common.clock import iso_millis
from partnerka.common.language import month_name
from partnerka.common.money import Money

LOCALES = ("en", "ru")
_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def instant_key(at: datetime) -> str:
    """An instant as an id's part: `20261207T101500Z`."""
    return at.strftime("%Y%m%dT%H%M%SZ")


def invoice_id(kind: InvoiceKind, advertiser_id: str, key: str) -> str:
    return f"{kind.value}.{advertiser_id}.{key}"


def locale_of(profile: BillingProfile) -> str:
    return profile.locale if profile.locale in LOCALES else "en"


def day_text(at: datetime, locale: str) -> str:
    """`7 Dec 2026` / `07.12.2026`."""
    if locale == "ru":
        return at.strftime("%d.%m.%Y")
    return f"{at.day} {_MONTHS_SHORT[at.month - 1]} {at.year}"


def count_text(value: int, locale: str) -> str:
    """`1,000,000` / `1 000 000`."""
    grouped = f"{value:,}"
    return grouped.replace(",", " ") if locale == "ru" else grouped


def money_text(minor: int, currency: str) -> str:
    return f"{Money(minor, currency).as_decimal_string()} {currency}"


_INTERVAL = {
    "en": {Interval.MONTH: "monthly", Interval.YEAR: "yearly, 20 % off"},
    "ru": {Interval.MONTH: "помесячно", Interval.YEAR: "на год, скидка 20 %"},
}


@dataclass(frozen=True, slots=True)
class Words:
    """The lines' wording in one language."""

    period: str
    unused: str
    upgrade: str
    overage: str


WORDS = {
    "en": Words(
        period="{plan} plan, {interval}: {start} – {end}",
        unused="Unused time of the {plan} plan ({interval}): {start} – {end}",
        upgrade="Change from {old} to {new} for the rest of the period: {start} – {end}",
        overage="Clicks over the plan's {allowed} in {month}: {over} at {price} per 1,000",
    ),
    "ru": Words(
        period="Тариф {plan}, {interval}: {start} – {end}",
        unused="Неиспользованное время тарифа {plan} ({interval}): {start} – {end}",
        upgrade="Переход с тарифа {old} на {new} до конца периода: {start} – {end}",
        overage="Клики сверх {allowed} по тарифу за {month}: {over} по {price} за 1000",
    ),
}


def period_line(
    plan_name: str, interval: Interval, start: datetime, end: datetime, amount: int, locale: str
) -> InvoiceLine:
    text = WORDS[locale].period.format(
        plan=plan_name,
        interval=_INTERVAL[locale][interval],
        start=day_text(start, locale),
        end=day_text(end, locale),
    )
    return InvoiceLine(text, 1, amount, amount)


def unused_line(
    plan_name: str, interval: Interval, start: datetime, end: datetime, credit: int, locale: str
) -> InvoiceLine:
    """A credit for the rest of a period left for another (a month left for a year)."""
    text = WORDS[locale].unused.format(
        plan=plan_name,
        interval=_INTERVAL[locale][interval],
        start=day_text(start, locale),
        end=day_text(end, locale),
    )
    return InvoiceLine(text, 1, -credit, -credit)


def upgrade_line(old: str, new: str, start: datetime, end: datetime, amount: int, locale: str) -> InvoiceLine:
    text = WORDS[locale].upgrade.format(
        old=old, new=new, start=day_text(start, locale), end=day_text(end, locale)
    )
    return InvoiceLine(text, 1, amount, amount)


def overage_line(
    month: str, allowed: int, over: int, per_1000: int, currency: str, amount: int, locale: str
) -> InvoiceLine:
    text = WORDS[locale].overage.format(
        allowed=count_text(allowed, locale),
        month=month_name(month, locale),
        over=count_text(over, locale),
        price=money_text(per_1000, currency),
    )
    return InvoiceLine(text, 1, amount, amount)


def new_invoice(
    kind: InvoiceKind,
    advertiser_id: str,
    key: str,
    period: tuple[datetime, datetime],
    currency: str,
    lines: tuple[InvoiceLine, ...],
    plan_code: str,
    interval: Interval,
    issued_at: datetime,
    buyer: BillingProfile,
) -> PlatformInvoice:
    """An open invoice, due INVOICE_DUE_DAYS after issue (a card is charged at once; a bank transfer
    has that long), addressed to the buyer as it is now; numbered when stored."""
    return PlatformInvoice(
        invoice_id=invoice_id(kind, advertiser_id, key),
        number="",
        advertiser_id=advertiser_id,
        kind=kind,
        period_start=iso_millis(period[0]),
        period_end=iso_millis(period[1]),
        currency=currency,
        lines=lines,
        total=sum(line.amount for line in lines),
        status=InvoiceStatus.OPEN,
        issued_at=iso_millis(issued_at),
        due_at=iso_millis(issued_at + timedelta(days=INVOICE_DUE_DAYS)),
        plan_code=plan_code,
        interval=interval,
        buyer=buyer,
    )
