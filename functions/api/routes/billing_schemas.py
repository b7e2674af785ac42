"""What /api/plans, /api/billing and /api/admin/billing read and answer: the plans, an advertiser's
subscription, its usage against its plan, the platform's invoices to it, and the Owner's figures.
Money is a decimal string in its currency, as everywhere in the API."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, Field

from partnerka.billing.models import (
    CustomTerms,
    Interval,
    Plan,
    PlanLimits,
    PlatformInvoice,
    period_price,
    yearly_saving,
)
from routes.finance_schemas import amount_text

PlanCode = str
LimitName = Literal[
    "clicks_per_month", "active_offers", "approved_affiliates", "team_seats", "custom_domains", "white_label"
]
StateName = Literal["trialing", "active", "past_due", "suspended", "canceled"]
IntervalName = Literal["month", "year"]
InvoiceStatusName = Literal["open", "paid", "void"]
InvoiceKindName = Literal["subscription", "proration", "overage"]
PaymentMethodName = Literal["card", "bank_transfer"]


class LimitsBody(BaseModel):
    """What a plan allows; null is unlimited."""

    clicks_per_month: int | None = Field(ge=0)
    """Metered, never refused: clicks over it are billed at the overage price, or an upgrade is asked."""
    active_offers: int | None = Field(ge=0)
    approved_affiliates: int | None = Field(ge=0)
    team_seats: int | None = Field(ge=0)
    custom_domains: int | None = Field(ge=0)
    white_label: bool

    @classmethod
    def of(cls, limits: PlanLimits) -> Self:
        return cls(
            clicks_per_month=limits.clicks_per_month,
            active_offers=limits.active_offers,
            approved_affiliates=limits.approved_affiliates,
            team_seats=limits.team_seats,
            custom_domains=limits.custom_domains,
            white_label=limits.white_label,
        )

    def limits(self) -> PlanLimits:
        return PlanLimits(
            clicks_per_month=self.clicks_per_month,
            active_offers=self.active_offers,
            approved_affiliates=self.approved_affiliates,
            team_seats=self.team_seats,
            custom_domains=self.custom_domains,
            white_label=self.white_label,
        )


class PriceOut(BaseModel):
    currency: str
    monthly: str
    yearly: str
    """Twelve months less 20 %."""
    yearly_saving: str
    """What a year paid at once saves against twelve months."""
    overage_per_1000: str | None
    """Per 1,000 clicks over the monthly limit; null: not billed, an upgrade is asked instead."""


class PlanOut(BaseModel):
    code: PlanCode
    name: str
    version: int
    contact_us: bool
    """Enterprise: no public price, terms per advertiser."""
    public: bool
    rank: int
    updated_at: str
    limits: LimitsBody
    prices: list[PriceOut]

    @classmethod
    def of(cls, plan: Plan) -> Self:
        return cls(
            code=plan.code,
            name=plan.name,
            version=plan.version,
            contact_us=plan.contact_us,
            public=plan.public,
            rank=plan.rank,
            updated_at=plan.updated_at,
            limits=LimitsBody.of(plan.limits),
            prices=[
                PriceOut(
                    currency=currency,
                    monthly=amount_text(monthly, currency),
                    yearly=amount_text(period_price(monthly, Interval.YEAR), currency),
                    yearly_saving=amount_text(yearly_saving(monthly), currency),
                    overage_per_1000=(
                        amount_text(plan.overage_per_1000[currency], currency)
                        if currency in plan.overage_per_1000
                        else None
                    ),
                )
                for currency, monthly in sorted(plan.monthly_prices.items())
            ],
        )


class PlanList(BaseModel):
    plans: list[PlanOut]


class PriceIn(BaseModel):
    currency: str = Field(min_length=3, max_length=3)
    monthly: str = Field(max_length=20)
    """A decimal amount in the currency."""
    overage_per_1000: str | None = Field(default=None, max_length=20)


class PlanIn(BaseModel):
    name: str = Field(min_length=1, max_length=60)
    contact_us: bool = False
    public: bool = True
    rank: int = Field(ge=0, le=1000)
    limits: LimitsBody
    prices: list[PriceIn] = Field(max_length=20)


class NewPlanIn(PlanIn):
    code: PlanCode = Field(min_length=2, max_length=30)
    """Lower-case letters, digits and dashes; never changes."""


class PendingOut(BaseModel):
    plan_code: PlanCode
    interval: IntervalName
    effective_at: str


class TermsOut(BaseModel):
    monthly_price: str
    limits: LimitsBody
    overage_per_1000: str | None
    note: str

    @classmethod
    def of(cls, terms: CustomTerms, currency: str) -> Self:
        return cls(
            monthly_price=amount_text(terms.monthly_price, currency),
            limits=LimitsBody.of(terms.limits),
            overage_per_1000=(
                amount_text(terms.overage_per_1000, currency) if terms.overage_per_1000 is not None else None
            ),
            note=terms.note,
        )


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


class StaffInvoiceOut(PlatformInvoiceOut):
    advertiser_id: str
    advertiser_name: str


class StaffInvoiceList(BaseModel):
    invoices: list[StaffInvoiceOut]


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


class MarkPaidIn(BaseModel):
    reference: str = Field(min_length=1, max_length=100)
    """The bank transfer's reference, as on the statement."""


class TermsIn(BaseModel):
    currency: str = Field(min_length=3, max_length=3)
    monthly_price: str = Field(max_length=20)
    limits: LimitsBody
    overage_per_1000: str | None = Field(default=None, max_length=20)
    note: str = Field(default="", max_length=500)


class AmountOut(BaseModel):
    currency: str
    amount: str


class PlanStateCount(BaseModel):
    plan_code: PlanCode
    state: StateName
    count: int


class TrialEndingOut(BaseModel):
    advertiser_id: str
    advertiser_name: str
    plan_code: PlanCode
    trial_end: str


class StaffSubscriptionOut(BaseModel):
    advertiser_id: str
    advertiser_name: str
    state: StateName
    plan_code: PlanCode
    interval: IntervalName
    currency: str
    price: str
    """What the current period costs."""
    period_end: str
    trial_end: str | None
    cancel_at_period_end: bool
    custom_terms: TermsOut | None
    """The Owner's own price and limits for this advertiser, when it has them."""


class StaffSubscriptionList(BaseModel):
    items: list[StaffSubscriptionOut]


class ChurnMonthOut(BaseModel):
    month: str
    active_at_start: int
    canceled: int
    rate_bp: int | None
    """Canceled over active at the month's start, in basis points; null without subscribers."""


class BillingOverviewOut(BaseModel):
    mrr: list[AmountOut]
    """Monthly recurring revenue of active and past-due subscriptions (a year counts as a twelfth)."""
    arr: list[AmountOut]
    by_plan: list[PlanStateCount]
    trials_ending: list[TrialEndingOut]
    """Trials that end in the next 7 days."""
    overdue: list[StaffInvoiceOut]
    churn: list[ChurnMonthOut]
    """The last 12 months, oldest first."""
