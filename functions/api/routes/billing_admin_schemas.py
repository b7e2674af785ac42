"""What the Owner's /api/admin/billing and /api/admin/subscriptions read and answer: the platform's
invoices and subscriptions with their advertisers' names, a bank transfer recorded, Enterprise terms
as sent, and the revenue figures."""

from __future__ import annotations

from pydantic import BaseModel, Field

from partnerka.billing.models import CustomTerms
from partnerka.common.money import currency_code, parse_amount
from routes.billing_schemas import IntervalName, PlatformInvoiceOut, StateName
from routes.plan_schemas import LimitsBody, PlanCode, TermsOut


class StaffInvoiceOut(PlatformInvoiceOut):
    advertiser_id: str
    advertiser_name: str


class StaffInvoiceList(BaseModel):
    invoices: list[StaffInvoiceOut]


class MarkPaidIn(BaseModel):
    reference: str = Field(min_length=1, max_length=100)
    """The bank transfer's reference, as on the statement."""


class TermsIn(BaseModel):
    currency: str = Field(min_length=3, max_length=3)
    monthly_price: str = Field(max_length=20)
    limits: LimitsBody
    overage_per_1000: str | None = Field(default=None, max_length=20)
    note: str = Field(default="", max_length=500)

    def terms(self) -> tuple[CustomTerms, str]:
        """The terms in the currency's minor units, and that currency."""
        currency = currency_code(self.currency)
        overage = self.overage_per_1000
        return (
            CustomTerms(
                monthly_price=parse_amount(self.monthly_price, currency).minor,
                limits=self.limits.limits(),
                overage_per_1000=None if overage is None else parse_amount(overage, currency).minor,
                note=self.note,
            ),
            currency,
        )


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
