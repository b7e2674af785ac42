"""SaaS billing: the plans advertisers subscribe to, their subscriptions, and the platform's invoices.

A plan is versioned: editing it writes a new version, and a subscription keeps the version (and the
price) it was billed at until its next period. A subscription goes

    trialing ─► active ─► past_due ─► suspended ─► canceled
                  ▲          │            │
                  └──────────┴────────────┘   (a payment reactivates)

`past_due` after a payment that failed (or a trial that ended with nothing paid), `suspended` after
DUNNING_DAYS of it (the dashboard keeps only its billing pages; tracking goes on and nothing stored is
touched), `canceled` at the end of a period the advertiser canceled. Every amount is an integer in the
currency's minor units.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction

TRIAL_DAYS = 14
DUNNING_DAYS = 14  # past_due this long: suspended
REMINDER_DAYS = (1, 3, 7, 12)  # days into past_due on which a reminder goes out
YEARLY_DISCOUNT_BP = 2000  # a yearly period costs 12 months less 20 %
WARNING_THRESHOLDS_PCT = (80, 100)  # of the month's clicks: each told once a month
INVOICE_DUE_DAYS = 14  # a bank transfer's time to pay; a card is charged at once
# The least an overage invoice bills: card payments refuse smaller amounts (Stripe: 0.50 USD or EUR),
# and an invoice nobody can pay by card would drive a subscription into dunning over a few cents.
MINIMUM_OVERAGE = {"USD": 50, "EUR": 50, "RUB": 5000}


class Interval(StrEnum):
    MONTH = "month"
    YEAR = "year"


class SubscriptionState(StrEnum):
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    SUSPENDED = "suspended"
    CANCELED = "canceled"


# States in which the dashboard offers only its billing pages (tracking never stops).
LOCKED_STATES = frozenset({SubscriptionState.SUSPENDED, SubscriptionState.CANCELED})


class Limit(StrEnum):
    """What a plan limits. Clicks are metered, never refused; the others are refused at the limit."""

    CLICKS_PER_MONTH = "clicks_per_month"
    ACTIVE_OFFERS = "active_offers"
    APPROVED_AFFILIATES = "approved_affiliates"
    TEAM_SEATS = "team_seats"
    CUSTOM_DOMAINS = "custom_domains"
    WHITE_LABEL = "white_label"  # allowed (1) or not (0)


class PaymentMethod(StrEnum):
    CARD = "card"  # through the payment provider (Stripe)
    BANK_TRANSFER = "bank_transfer"  # the Owner marks the invoice paid with the transfer's reference


class InvoiceKind(StrEnum):
    SUBSCRIPTION = "subscription"  # a period's price, billed at its start
    PRORATION = "proration"  # an upgrade's difference for the rest of the period
    OVERAGE = "overage"  # clicks over the plan's monthly limit, per calendar month


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    VOID = "void"  # replaced (a plan changed before an unpaid invoice was paid) or forgiven


@dataclass(frozen=True, slots=True)
class PlanLimits:
    """None means unlimited; white_label is yes or no."""

    clicks_per_month: int | None
    active_offers: int | None
    approved_affiliates: int | None
    team_seats: int | None
    custom_domains: int | None
    white_label: bool

    def allowed(self, limit: Limit) -> int | None:
        """The number a limit allows (white-label: 1 or 0), None for unlimited."""
        if limit is Limit.WHITE_LABEL:
            return 1 if self.white_label else 0
        value: int | None = getattr(self, limit.value)
        return value


@dataclass(frozen=True, slots=True)
class Plan:
    """One version of a plan. PK `PLANS`, SK `<code>` holds the current version; PK `PLANS`, SK
    `<code>#v<version:06d>` keeps every version ever billed (never changed once written).

    `monthly_prices` maps a currency to the monthly price in minor units; the yearly price is computed
    (`yearly_price`). `overage_per_1000` is per currency too: without a price for a currency, clicks
    over the limit are not billed and the advertiser is asked to upgrade. A `contact_us` plan
    (Enterprise) has no public price: the Owner sets each subscriber's terms."""

    code: str
    name: str
    version: int
    monthly_prices: dict[str, int]
    limits: PlanLimits
    overage_per_1000: dict[str, int] = field(default_factory=dict)
    contact_us: bool = False
    public: bool = True  # shown on the pricing page and offered to advertisers
    rank: int = 0  # the order of the pricing page, and what "higher" means for an upgrade
    updated_at: str = ""


@dataclass(frozen=True, slots=True)
class CustomTerms:
    """An Enterprise subscriber's own price and limits, set by the Owner (they replace the plan's)."""

    monthly_price: int
    limits: PlanLimits
    overage_per_1000: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class PendingChange:
    """A change that takes effect at the period's end: a downgrade, or another interval."""

    plan_code: str
    interval: Interval


@dataclass(frozen=True, slots=True)
class Subscription:
    """An advertiser's subscription. PK `ADV#<advertiser>`, SK `SUBSCRIPTION`; GSI1 `SUBSCRIPTIONS` /
    `<state>#<advertiser>` lists them for the Owner. `revision` grows with every write (each write is
    conditional on the revision it read).

    `price` is what the current period costs (locked when the period began, or when an upgrade
    changed it); `plan_version` the version it was billed at. Instants are ISO-8601 UTC strings.

    `anchor_day` is the day of the month periods start on (a period starting on the 31st ends on the
    28th of February and the next on the 31st of March); 0 for the period start's own day.
    `period_cost` is the current period's exact price as billed so far, in minor units times seconds:
    each plan's period price times the seconds it held, the current plan's to the period's end. The
    period's invoices sum to it divided by the period's seconds, rounded once; an upgrade bills the rounded
    new total less the rounded old one, so rounding never adds up over several upgrades. 0 while
    nothing is billed (a trial)."""

    advertiser_id: str
    plan_code: str
    plan_version: int
    interval: Interval
    currency: str
    state: SubscriptionState
    price: int
    period_start: str
    period_end: str
    created_at: str
    revision: int = 0
    trial_end: str | None = None
    cancel_at_period_end: bool = False
    pending: PendingChange | None = None
    payment_method: PaymentMethod = PaymentMethod.CARD
    past_due_since: str | None = None
    reminders_sent: int = 0
    custom_terms: CustomTerms | None = None
    canceled_at: str | None = None
    updated_at: str = ""
    anchor_day: int = 0
    period_cost: int = 0


@dataclass(frozen=True, slots=True)
class BillingProfile:
    """Whom the platform's invoices are addressed to. PK `ADV#<advertiser>`, SK `BILLING_PROFILE`.
    `provider_customer` is the payment provider's customer id once a card was saved."""

    advertiser_id: str
    legal_name: str = ""
    address: str = ""
    tax_id: str = ""  # VAT / INN
    email: str = ""
    locale: str = "en"
    provider_customer: str | None = None
    has_card: bool = False
    updated_at: str = ""


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    description: str  # in the invoice's locale, as printed
    quantity: int
    unit_amount: int
    amount: int


@dataclass(frozen=True, slots=True)
class PlatformInvoice:
    """An invoice of the platform to an advertiser. PK `ADV#<advertiser>`, SK `PINV#<invoice_id>`;
    GSI1 `PINVOICES` / `<status>#<due_at>#<invoice_id>` lists them for the Owner (overdue: open ones
    due before now).

    `invoice_id` is the billing key, deterministic (`<kind>.<advertiser>.<period key>`), so a rerun
    finds the invoice it already issued instead of issuing another; `number` comes from the
    platform's own series (`P-<year>-<000001>`), taken in the same transaction."""

    invoice_id: str
    number: str
    advertiser_id: str
    kind: InvoiceKind
    period_start: str
    period_end: str
    currency: str
    lines: tuple[InvoiceLine, ...]
    total: int
    status: InvoiceStatus
    issued_at: str
    due_at: str
    plan_code: str
    interval: Interval
    paid_at: str | None = None
    payment_reference: str | None = None  # the provider's payment id, or the bank transfer's reference
    provider_payment: str | None = None  # a Checkout Session or PaymentIntent in progress
    attempts: int = 0  # failed card charges
    buyer: BillingProfile | None = None  # as addressed when issued
    announced: bool = False  # the team was told of it (a run that stopped before telling tells it)


# ---------------------------------------------------------------------------- prices and periods
def round_half_up(value: Fraction) -> int:
    """An exact amount to whole minor units, halves away from zero."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole = int(magnitude)
    return sign * (whole + (1 if magnitude - whole >= Fraction(1, 2) else 0))


def yearly_price(monthly: int) -> int:
    """Twelve months less the yearly discount, in whole minor units."""
    return round_half_up(Fraction(monthly * 12 * (10000 - YEARLY_DISCOUNT_BP), 10000))


def period_price(monthly: int, interval: Interval) -> int:
    return monthly if interval is Interval.MONTH else yearly_price(monthly)


def yearly_saving(monthly: int) -> int:
    """What a year paid at once saves against twelve monthly periods."""
    return monthly * 12 - yearly_price(monthly)


def add_months(day: date, months: int, anchor_day: int | None = None) -> date:
    """`months` later on the anchor day (by default `day`'s own), or on the month's last day when it
    has no such day: Jan 31 → Feb 28 → Mar 31 for a subscription anchored on the 31st."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(anchor_day or day.day, calendar.monthrange(year, month)[1]))


def period_end(start: datetime, interval: Interval, anchor_day: int | None = None) -> datetime:
    """The end of the period starting at `start`: a month or a year later at the same time of day."""
    months = 1 if interval is Interval.MONTH else 12
    return datetime.combine(add_months(start.date(), months, anchor_day), start.timetz())


def remaining_fraction(start: datetime, end: datetime, at: datetime) -> Fraction:
    """The share of the period [start, end) still to come at `at`, exact (by the second)."""
    total = int((end - start).total_seconds())
    left = int((end - max(min(at, end), start)).total_seconds())
    return Fraction(max(left, 0), max(total, 1))


def proration(old_price: int, new_price: int, start: datetime, end: datetime, at: datetime) -> int:
    """What an upgrade at `at` costs for the rest of the period: the new price's share of it less the
    old price's (never negative: a cheaper change waits for the period's end)."""
    share = remaining_fraction(start, end, at)
    return max(round_half_up(Fraction(new_price - old_price) * share), 0)


def overage_amount(over: int, per_1000: int) -> int:
    """What `over` clicks past the month's limit cost at `per_1000` for each thousand, to the minor
    unit (a partial thousand at its share, not a whole one)."""
    return round_half_up(Fraction(over * per_1000, 1000))


def minimum_overage(currency: str) -> int:
    return MINIMUM_OVERAGE.get(currency, 50)


def trial_period(created: datetime) -> tuple[datetime, datetime]:
    return created, created + timedelta(days=TRIAL_DAYS)


@dataclass(frozen=True, slots=True)
class Entitlements:
    """What an advertiser may use now: its plan (the version it is billed at), the limits in force
    (custom terms replace the plan's), and the plan that would lift each limit it has reached."""

    advertiser_id: str
    plan: Plan
    limits: PlanLimits
    state: SubscriptionState
    overage_per_1000: int | None  # in the subscription's currency; None: clicks over the limit are not billed
    currency: str
