"""The Owner's view of the platform's own business: recurring revenue, subscriptions by plan and state,
trials about to end, invoices overdue, churn month by month, and every subscription by its advertiser.

Everything comes from key ranges of the core table, never a Scan: the subscriptions' GSI1 partition,
the open invoices' partition (due before now), and the churn counters, one item a month that every
move into or out of the paying states adds one to (billing.book), in the same transaction as the move.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from partnerka.billing.book import PAYING, Advertisers, whole_second
from partnerka.billing.models import (
    Interval,
    InvoiceStatus,
    PlatformInvoice,
    Subscription,
    SubscriptionState,
    round_half_up,
)
from partnerka.billing.repository import BillingStore
from partnerka.common.clock import iso_millis, parse_iso, utc_now

TRIALS_ENDING_DAYS = 7
CHURN_MONTHS = 12


@dataclass(frozen=True, slots=True)
class TrialEnding:
    advertiser_id: str
    advertiser_name: str
    plan_code: str
    trial_end: str


@dataclass(frozen=True, slots=True)
class NamedInvoice:
    """An invoice with the name of the advertiser it is addressed to (the Owner's lists)."""

    invoice: PlatformInvoice
    advertiser_name: str


@dataclass(frozen=True, slots=True)
class NamedSubscription:
    """A subscription with the name of its advertiser (the Owner's list to set terms from)."""

    subscription: Subscription
    advertiser_name: str


@dataclass(frozen=True, slots=True)
class ChurnMonth:
    """`canceled`: the subscriptions that stopped paying in the month (canceled, or suspended unpaid),
    of `active_at_start` paying when it began."""

    month: str
    active_at_start: int
    canceled: int

    @property
    def rate_bp(self) -> int:
        return self.canceled * 10000 // self.active_at_start if self.active_at_start else 0


@dataclass(frozen=True, slots=True)
class Overview:
    mrr: dict[str, int]  # currency → minor units a month (a year's price counted a twelfth a month)
    arr: dict[str, int]  # currency → twelve times that, exactly
    by_plan: list[tuple[str, SubscriptionState, int]]  # (plan, state, subscriptions)
    trials_ending: list[TrialEnding]
    overdue: list[NamedInvoice]  # open and past their due date, the longest overdue first
    churn: list[ChurnMonth]  # the last CHURN_MONTHS, the current one last


def last_months(at: datetime, count: int) -> list[str]:
    """`count` months ending with `at`'s, oldest first."""
    months = []
    year, month = at.year, at.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


class BillingOverview:
    def __init__(
        self, store: BillingStore, advertisers: Advertisers, now: Callable[[], datetime] = utc_now
    ) -> None:
        self._store = store
        self._advertisers = advertisers
        self._now = now

    def overview(self, at: datetime | None = None) -> Overview:
        when = whole_second(at or self._now())
        subscriptions = list(self._store.subscriptions())
        names = {advertiser.id: advertiser.name for advertiser in self._advertisers.list_advertisers()}
        yearly: dict[str, int] = {}
        for sub in subscriptions:
            if sub.state in PAYING:
                twelve_months = sub.price * 12 if sub.interval is Interval.MONTH else sub.price
                yearly[sub.currency] = yearly.get(sub.currency, 0) + twelve_months
        by_plan = Counter((sub.plan_code, sub.state) for sub in subscriptions)
        horizon = when + timedelta(days=TRIALS_ENDING_DAYS)
        trials = sorted(
            (
                TrialEnding(sub.advertiser_id, names.get(sub.advertiser_id, ""), sub.plan_code, sub.trial_end)
                for sub in subscriptions
                if sub.state is SubscriptionState.TRIALING
                and sub.trial_end
                and when <= parse_iso(sub.trial_end) <= horizon
            ),
            key=lambda trial: (trial.trial_end, trial.advertiser_id),
        )
        overdue = [
            NamedInvoice(invoice, names.get(invoice.advertiser_id, ""))
            for invoice in self._store.invoices_in(InvoiceStatus.OPEN, due_before=iso_millis(when))
        ]
        return Overview(
            mrr={currency: round_half_up(Fraction(total, 12)) for currency, total in sorted(yearly.items())},
            arr=dict(sorted(yearly.items())),
            by_plan=sorted(
                ((plan, state, count) for (plan, state), count in by_plan.items()),
                key=lambda row: (row[0], row[1].value),
            ),
            trials_ending=trials,
            overdue=overdue,
            churn=self._churn(when),
        )

    def invoices(self, status: InvoiceStatus) -> list[NamedInvoice]:
        """Every invoice in `status`, platform-wide, the earliest due first, with its advertiser's name."""
        names = {advertiser.id: advertiser.name for advertiser in self._advertisers.list_advertisers()}
        return [
            NamedInvoice(invoice, names.get(invoice.advertiser_id, ""))
            for invoice in self._store.invoices_in(status)
        ]

    def subscriptions(self, state: SubscriptionState | None = None) -> list[NamedSubscription]:
        """Every subscription (in `state`), platform-wide, by its advertiser's name."""
        names = {advertiser.id: advertiser.name for advertiser in self._advertisers.list_advertisers()}
        named = [
            NamedSubscription(sub, names.get(sub.advertiser_id, ""))
            for sub in self._store.subscriptions(state)
        ]
        return sorted(named, key=lambda row: (row.advertiser_name.casefold(), row.subscription.advertiser_id))

    def _churn(self, at: datetime) -> list[ChurnMonth]:
        counted = self._store.churn()
        rows = []
        for month in last_months(at, CHURN_MONTHS):
            before = [counters for earlier, counters in counted.items() if earlier < month]
            paying = sum(c.get("joined", 0) - c.get("left", 0) for c in before)
            rows.append(ChurnMonth(month, max(paying, 0), counted.get(month, {}).get("left", 0)))
        return rows
