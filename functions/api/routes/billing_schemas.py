"""What /api/billing reads and answers: an advertiser's subscription, its usage against its plan, a
change of plan, the platform's invoices to it and its billing details. Money is a decimal string in
its currency, as everywhere in the API."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, Field

from partnerka.billing.book import suspends_at
from partnerka.billing.models import Plan, PlatformInvoice, Subscription
from partnerka.billing.subscriptions import NextInvoice
from routes.finance_schemas import amount_text
from routes.plan_schemas import LimitName, PlanCode, PlanOut, TermsOut

StateName = Literal["trialing", "active", "past_due", "suspended", "canceled"]
IntervalName = Literal["month", "year"]
InvoiceStatusName = Literal["open", "paid", "void"]
InvoiceKindName = Literal["subscription", "proration", "overage"]
PaymentMethodName = Literal["card", "bank_transfer"]


class PendingOut(BaseModel):
    plan_code: PlanCode
    interval: IntervalName
    effective_at: str


class NextInvoiceOut(BaseModel):
    date: str
    amount: str
    currency: str


class SubscriptionOut(BaseModel):
    advertiser_id: str
    state: StateName
    plan: PlanOut
    plan_version: int
    interval: IntervalName
    currency: str
    price: str
    """What the current period costs."""
    period_start: str
    period_end: str
    trial_end: str | None
    cancel_at_period_end: bool
    pending: PendingOut | None
    """A downgrade or a change of interval waiting for the period's end."""
    payment_method: PaymentMethodName
    has_card: bool
    past_due_since: str | None
    suspends_at: str | None
    """When a past-due subscription is suspended unless paid."""
    next_invoice: NextInvoiceOut | None
    custom_terms: TermsOut | None

    @classmethod
    def of(cls, sub: Subscription, plan: Plan, has_card: bool, upcoming: NextInvoice | None) -> Self:
        """`sub` with the plan version it is billed at, whether a card is saved, and what comes next."""
        currency = sub.currency
        return cls(
            advertiser_id=sub.advertiser_id,
            state=sub.state.value,
            plan=PlanOut.of(plan),
            plan_version=sub.plan_version,
            interval=sub.interval.value,
            currency=currency,
            price=amount_text(sub.price, currency),
            period_start=sub.period_start,
            period_end=sub.period_end,
            trial_end=sub.trial_end,
            cancel_at_period_end=sub.cancel_at_period_end,
            pending=(
                PendingOut(
                    plan_code=sub.pending.plan_code,
                    interval=sub.pending.interval.value,
                    effective_at=sub.period_end,
                )
                if sub.pending
                else None
            ),
            payment_method=sub.payment_method.value,
            has_card=has_card,
            past_due_since=sub.past_due_since,
            suspends_at=suspends_at(sub),
            next_invoice=(
                NextInvoiceOut(
                    date=upcoming.date,
                    amount=amount_text(upcoming.amount, upcoming.currency),
                    currency=upcoming.currency,
                )
                if upcoming
                else None
            ),
            custom_terms=TermsOut.of(sub.custom_terms, currency) if sub.custom_terms else None,
        )


class MeterOut(BaseModel):
    limit: LimitName
    usage: int
    allowed: int | None
    """null: unlimited."""
    percent: int | None


class OverageOut(BaseModel):
    clicks: int
    amount: str | None
    """null: the plan has no overage price; an upgrade is asked instead."""
    currency: str


class UsageOut(BaseModel):
    month: str
    plan_code: PlanCode
    meters: list[MeterOut]
    overage: OverageOut | None


class ChangeIn(BaseModel):
    plan_code: PlanCode = Field(min_length=2, max_length=30)
    interval: IntervalName
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    """Only while trialing: the currency the subscription is billed in (USD by default)."""


class PlatformInvoiceLineOut(BaseModel):
    description: str
    quantity: int
    unit_amount: str
    amount: str


class PlatformInvoiceOut(BaseModel):
    invoice_id: str
    number: str
    kind: InvoiceKindName
    period_start: str
    period_end: str
    currency: str
    total: str
    status: InvoiceStatusName
    issued_at: str
    due_at: str
    paid_at: str | None
    payment_reference: str | None
    plan_code: PlanCode
    lines: list[PlatformInvoiceLineOut]

    @classmethod
    def of(cls, invoice: PlatformInvoice) -> Self:
        currency = invoice.currency
        return cls(
            invoice_id=invoice.invoice_id,
            number=invoice.number,
            kind=invoice.kind.value,
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            currency=currency,
            total=amount_text(invoice.total, currency),
            status=invoice.status.value,
            issued_at=invoice.issued_at,
            due_at=invoice.due_at,
            paid_at=invoice.paid_at,
            payment_reference=invoice.payment_reference,
            plan_code=invoice.plan_code,
            lines=[
                PlatformInvoiceLineOut(
                    description=line.description,
                    quantity=line.quantity,
                    unit_amount=amount_text(line.unit_amount, currency),
                    amount=amount_text(line.amount, currency),
                )
                for line in invoice.lines
            ],
        )


class ChangeOut(BaseModel):
    subscription: SubscriptionOut
    effective: Literal["now", "period_end"]
    invoice: PlatformInvoiceOut | None
    """What the change costs now (the first period, or an upgrade's proration)."""
    checkout_url: str | None
    """Where to pay it by card when no card is saved (the payment provider's page)."""


class PlatformInvoiceList(BaseModel):
    invoices: list[PlatformInvoiceOut]


class RedirectOut(BaseModel):
    url: str
    """The payment provider's page to send the browser to."""


class ProfileBody(BaseModel):
    """Whom the platform's invoices are addressed to, and how the advertiser pays them."""

    legal_name: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=500)
    tax_id: str = Field(default="", max_length=40)
    """VAT number or INN, printed on the invoices."""
    email: str = Field(default="", max_length=254)
    """Where invoices go; the team's addresses when empty."""
    locale: Literal["en", "ru"] = "en"
    """The language of the invoices."""
    payment_method: PaymentMethodName = "card"
