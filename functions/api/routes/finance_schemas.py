"""What /api/finance reads and answers about balances, the platform's overview and the advertiser's
finance settings: money as decimal strings in its currency, each model built from what the finance
services return."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, Field

from partnerka.common.money import Money
from partnerka.finance.balances import BalanceSheet, OverviewRow
from partnerka.finance.service import AdvertiserBalance
from partnerka.finance.settings import FinanceSettings


def amount_text(minor: int, currency: str) -> str:
    return Money(minor, currency).as_decimal_string()


class AffiliateBalanceOut(BaseModel):
    affiliate_id: str
    affiliate_name: str
    currency: str
    hold: str
    """Earned, waiting for the hold to end or the advertiser's approval."""
    approved: str
    """Payable now."""
    paid: str
    min_payout: str | None
    """The advertiser's minimum payout request in this currency (null: any amount above zero)."""


class ResultsOut(BaseModel):
    currency: str
    pending: str
    """Payouts on hold or awaiting approval."""
    spend: str
    """Approved payouts."""
    revenue: str
    """What approved conversions earned (the offers' revenue)."""
    profit: str
    """revenue - spend."""
    roi: float | None
    """profit / spend × 100, in percent; null without spend."""

    @staticmethod
    def fields_of(row: AdvertiserBalance) -> dict[str, Any]:
        return {
            "currency": row.currency,
            "pending": amount_text(row.pending, row.currency),
            "spend": amount_text(row.spend, row.currency),
            "revenue": amount_text(row.revenue, row.currency),
            "profit": amount_text(row.profit, row.currency),
            "roi": row.roi,
        }


class AdvertiserBalanceOut(ResultsOut):
    deposits: str
    balance: str
    """deposits - spend."""
    low_balance: bool
    """Below the low-balance threshold the advertiser set for this currency."""


class OfferSpendOut(ResultsOut):
    offer_id: str
    offer_name: str


class BalancesOut(BaseModel):
    advertiser_id: str
    affiliates: list[AffiliateBalanceOut]
    advertiser: list[AdvertiserBalanceOut] | None
    """The advertiser's own accounts; null for an affiliate."""
    offers: list[OfferSpendOut] | None

    @classmethod
    def of(cls, sheet: BalanceSheet) -> Self:
        whole = sheet.scope.affiliate_id is None
        minimums = sheet.settings.min_payout
        return cls(
            advertiser_id=sheet.scope.advertiser_id,
            affiliates=[
                AffiliateBalanceOut(
                    affiliate_id=row.affiliate_id,
                    affiliate_name=sheet.affiliate_names.get(row.affiliate_id, row.affiliate_id),
                    currency=row.currency,
                    hold=amount_text(row.hold, row.currency),
                    approved=amount_text(row.approved, row.currency),
                    paid=amount_text(row.paid, row.currency),
                    min_payout=amount_text(minimums[row.currency], row.currency)
                    if row.currency in minimums
                    else None,
                )
                for row in sheet.books.affiliates
            ],
            advertiser=[
                AdvertiserBalanceOut(
                    **ResultsOut.fields_of(row),
                    deposits=amount_text(row.deposits, row.currency),
                    balance=amount_text(row.balance, row.currency),
                    low_balance=sheet.settings.is_low(row.currency, row.balance),
                )
                for row in sheet.books.advertiser
            ]
            if whole
            else None,
            offers=[
                OfferSpendOut(
                    **ResultsOut.fields_of(row),
                    offer_id=row.offer_id or "",
                    offer_name=sheet.offer_names.get(row.offer_id or "", row.offer_id or ""),
                )
                for row in sheet.books.offers
            ]
            if whole
            else None,
        )


class FinanceSettingsBody(BaseModel):
    low_balance_threshold: dict[str, str] = Field(default_factory=dict, max_length=20)
    """Currency → decimal amount: below it, the advertiser's balance shows as low."""
    min_payout: dict[str, str] = Field(default_factory=dict, max_length=20)
    """Currency → decimal amount: the least an affiliate may ask to be paid."""

    @classmethod
    def of(cls, found: FinanceSettings) -> Self:
        return cls(
            low_balance_threshold={
                c: amount_text(m, c) for c, m in sorted(found.low_balance_threshold.items())
            },
            min_payout={c: amount_text(m, c) for c, m in sorted(found.min_payout.items())},
        )


class OverviewRowOut(ResultsOut):
    advertiser_id: str
    advertiser_name: str
    deposits: str
    balance: str
    low_balance: bool
    hold: str
    """What affiliates have on hold with this advertiser."""
    approved: str
    """What the advertiser owes its affiliates now."""
    paid: str
    open_topups: int
    """Top-ups submitted and waiting for review."""

    @classmethod
    def of(cls, row: OverviewRow) -> Self:
        currency = row.figures.currency
        return cls(
            **ResultsOut.fields_of(row.figures),
            advertiser_id=row.advertiser_id,
            advertiser_name=row.advertiser_name,
            deposits=amount_text(row.figures.deposits, currency),
            balance=amount_text(row.figures.balance, currency),
            low_balance=row.low_balance,
            hold=amount_text(row.hold, currency),
            approved=amount_text(row.approved, currency),
            paid=amount_text(row.paid, currency),
            open_topups=row.open_topups,
        )


class OverviewOut(BaseModel):
    items: list[OverviewRowOut]
