"""What the dashboard's billing pages ask of SaaS billing, answered in one place: the plans, an
advertiser's subscription with what it will pay next, its usage against its plan, changing and
paying, and the Owner's figures. The API's routes call only this; it composes the catalogue, the
subscription service, the usage meters and the payment provider."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.billing.models import Limit, Plan, PlatformInvoice, Subscription, SubscriptionState


@dataclass(frozen=True, slots=True)
class NextInvoice:
    date: str
    amount: int
    currency: str


@dataclass(frozen=True, slots=True)
class Summary:
    """A subscription as its page shows it: with its plan, and what comes next."""

    subscription: Subscription
    plan: Plan
    has_card: bool
    suspends_at: str | None
    next_invoice: NextInvoice | None


@dataclass(frozen=True, slots=True)
class Meter:
    limit: Limit
    usage: int
    allowed: int | None  # None: unlimited

    @property
    def percent(self) -> int | None:
        if self.allowed is None:
            return None
        if self.allowed == 0:
            return 100 if self.usage else 0
        return self.usage * 100 // self.allowed


@dataclass(frozen=True, slots=True)
class UsageSheet:
    month: str  # YYYY-MM, UTC
    plan_code: str
    currency: str
    meters: tuple[Meter, ...]
    overage_clicks: int
    overage_amount: int | None  # None: the plan has no overage price (an upgrade is asked)


@dataclass(frozen=True, slots=True)
class ChangeOutcome:
    summary: Summary
    effective_now: bool
    invoice: PlatformInvoice | None
    checkout_url: str | None


@dataclass(frozen=True, slots=True)
class TrialEnding:
    advertiser_id: str
    advertiser_name: str
    plan_code: str
    trial_end: str


@dataclass(frozen=True, slots=True)
class ChurnMonth:
    month: str
    active_at_start: int
    canceled: int

    @property
    def rate_bp(self) -> int | None:
        return None if not self.active_at_start else self.canceled * 10000 // self.active_at_start


@dataclass(frozen=True, slots=True)
class Overview:
    mrr: dict[str, int]  # currency → minor units a month
    by_plan: tuple[tuple[str, SubscriptionState, int], ...]
    trials_ending: tuple[TrialEnding, ...]
    overdue: tuple[tuple[PlatformInvoice, str], ...]  # with the advertiser's name
    churn: tuple[ChurnMonth, ...]
