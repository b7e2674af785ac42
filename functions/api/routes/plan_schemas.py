"""What /api/plans and /api/admin/plans read and answer: the plans with their limits and prices (money
as decimal strings in their currency), the Owner's plan as sent, and an Enterprise subscriber's own
terms."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, Field

from partnerka.billing.models import CustomTerms, Interval, Plan, PlanLimits, period_price, yearly_saving
from partnerka.billing.plans import PlanDraft
from partnerka.common.errors import ValidationFailed
from partnerka.common.money import currency_code, parse_amount
from routes.finance_schemas import amount_text

PlanCode = str
LimitName = Literal[
    "clicks_per_month", "active_offers", "approved_affiliates", "team_seats", "custom_domains", "white_label"
]


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

    def draft(self) -> PlanDraft:
        """The plan as the catalogue takes it: each price in its currency's minor units."""
        prices: dict[str, int] = {}
        overage: dict[str, int] = {}
        for price in self.prices:
            currency = currency_code(price.currency)
            if currency in prices:
                raise ValidationFailed(f"prices: {currency} is given twice")
            prices[currency] = parse_amount(price.monthly, currency).minor
            if price.overage_per_1000 is not None:
                overage[currency] = parse_amount(price.overage_per_1000, currency).minor
        return PlanDraft(
            name=self.name,
            limits=self.limits.limits(),
            monthly_prices=prices,
            overage_per_1000=overage,
            contact_us=self.contact_us,
            public=self.public,
            rank=self.rank,
        )


class NewPlanIn(PlanIn):
    code: PlanCode = Field(min_length=2, max_length=30)
    """Lower-case letters, digits and dashes; never changes."""


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
