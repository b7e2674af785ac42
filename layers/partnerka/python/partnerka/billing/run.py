"""The billing run (SubscriptionBillingFunction, hourly): everything about subscriptions that is due.

1. The default plans are stored where they are not yet, and every advertiser without a subscription
   (one that came before billing) gets its trial stored, from its creation.
2. Each subscription is carried to where it stands now (Renewals.advance): a trial ended,
   a period renewed or ended, a reminder, a suspension. Then its clicks of the month are metered
   from the statistics, and its team told once a month at 80 % and at 100 % of the plan's clicks;
   in the first days of a month the month before's clicks over the limit are billed (OVERAGE).
3. Each open invoice's follow-ups (Renewals.settle): told, charged, overdue.

Every step is keyed by what it is about (the invoice's id, the period, the month and threshold, the
reminder's number), so a rerun of the same hour or day, ten of them, or one after a crash between
two writes bills nothing twice and tells nothing twice. One advertiser that fails does not stop the
others; the run raises at its end so the schedule's retry (and the next hour) finish the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from partnerka.billing.book import Advertisers, SubscriptionBook, month_of, plan_data, whole_second
from partnerka.billing.catalogue import seed_plans
from partnerka.billing.invoices import invoice_id
from partnerka.billing.models import (
    WARNING_THRESHOLDS_PCT,
    Entitlements,
    InvoiceKind,
    InvoiceStatus,
    Limit,
    SubscriptionState,
)
from partnerka.billing.ports import ClicksMeter
from partnerka.billing.renewals import Renewals
from partnerka.billing.repository import BillingStore
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.money import Money
from partnerka.common.observability import logger
from partnerka.notifications.events import Audience, Event, EventType, Notices

OVERAGE_DAYS = 3  # a month's overage is billed in the next month's first days (a run missed is caught up)
OVERAGE_SETTLES = timedelta(hours=1)  # the statistics count the month's last clicks within minutes


def previous_month(at: datetime) -> str:
    return month_of(at.replace(day=1) - timedelta(days=1))


@dataclass(frozen=True, slots=True)
class RunReport:
    subscriptions: int
    adopted: int
    open_invoices: int
    failed: tuple[str, ...]


class BillingRun:
    def __init__(
        self,
        renewals: Renewals,
        book: SubscriptionBook,
        store: BillingStore,
        advertisers: Advertisers,
        clicks: ClicksMeter,
        notices: Notices,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._renewals = renewals
        self._book = book
        self._store = store
        self._advertisers = advertisers
        self._clicks = clicks
        self._notices = notices
        self._now = now

    def run(self, at: datetime | None = None) -> RunReport:
        """Everything due at `at` (now); raises at the end when an advertiser failed."""
        when = whole_second(at or self._now())
        seed_plans(self._store, when)
        stored = {sub.advertiser_id for sub in self._store.subscriptions()}
        adopted = 0
        for advertiser in self._advertisers.list_advertisers():
            if advertiser.id not in stored:
                self._renewals.adopt(advertiser, when)
                stored.add(advertiser.id)
                adopted += 1
        failed: list[str] = []
        for advertiser_id in sorted(stored):
            try:
                self._renewals.advance(advertiser_id, when)
                self._meter(advertiser_id, when)
                self._bill_overage(advertiser_id, when)
            except Exception:
                logger.exception("a subscription was not billed", tenant_id=advertiser_id)
                failed.append(advertiser_id)
        open_invoices = list(self._store.invoices_in(InvoiceStatus.OPEN))
        for invoice in open_invoices:
            try:
                self._renewals.settle(invoice, when)
            except Exception:
                logger.exception("an invoice was not followed up", invoice_id=invoice.invoice_id)
                failed.append(invoice.advertiser_id)
        report = RunReport(len(stored), adopted, len(open_invoices), tuple(sorted(set(failed))))
        logger.info("subscription billing run", at=iso_millis(when), report=str(report))
        if report.failed:
            raise RuntimeError(f"subscription billing failed for {', '.join(report.failed)}")
        return report

    def _meter(self, advertiser_id: str, at: datetime) -> None:
        """The month's clicks against the plan's: each threshold told once a month (a mark says it
        was; it is set after the notice went out, and the notice's id is the month's, so a run that
        stopped in between tells it again under the same id, which the notifier sends once)."""
        entitled = self._book.entitlements(advertiser_id)
        allowed = entitled.limits.clicks_per_month
        if allowed is None or entitled.state is SubscriptionState.CANCELED:
            return
        month = month_of(at)
        clicks = self._clicks.clicks(advertiser_id, month)
        for percent in WARNING_THRESHOLDS_PCT:
            if clicks * 100 < allowed * percent:
                continue
            name = f"clicks#{month}#{percent}"
            if self._store.marked(advertiser_id, name):
                continue
            self._notices.send(
                Event(
                    event_id=f"plan-limit.{advertiser_id}.{month}.{Limit.CLICKS_PER_MONTH.value}.{percent}",
                    type=EventType.PLAN_LIMIT_WARNING,
                    occurred_at=at,
                    advertiser_id=advertiser_id,
                    audience=Audience(advertiser_team=True),
                    data=limit_warning(entitled, clicks, percent, month),
                )
            )
            self._store.mark(advertiser_id, name, iso_millis(at))

    def _bill_overage(self, advertiser_id: str, at: datetime) -> None:
        first = at.replace(day=1, hour=0, minute=0, second=0, tzinfo=UTC)
        if at.day > OVERAGE_DAYS or at < first + OVERAGE_SETTLES:
            return
        month = previous_month(at)
        entitled = self._book.entitlements(advertiser_id)
        if entitled.overage_per_1000 is None or entitled.limits.clicks_per_month is None:
            return  # nothing to bill: the warnings asked for an upgrade
        if entitled.state not in (SubscriptionState.ACTIVE, SubscriptionState.PAST_DUE):
            return
        if self._store.invoice(advertiser_id, invoice_id(InvoiceKind.OVERAGE, advertiser_id, month)):
            return  # billed by an earlier run: not metered again
        invoice = self._renewals.issue_overage(
            advertiser_id, month, self._clicks.clicks(advertiser_id, month), at
        )
        if invoice is not None:
            logger.info("overage billed", tenant_id=advertiser_id, month=month, total=invoice.total)


def limit_warning(entitled: Entitlements, clicks: int, percent: int, month: str) -> dict[str, Any]:
    """A clicks warning's facts: the limit, what was used of it, the plan, and the price of clicks
    over it (absent: they are not billed, the advertiser is asked to upgrade)."""
    found: dict[str, Any] = {
        "plan_limit": Limit.CLICKS_PER_MONTH.value,
        "usage": clicks,
        "allowed": entitled.limits.clicks_per_month,
        "percent": percent,
        "month": month,
        **plan_data(entitled.plan),
    }
    if entitled.overage_per_1000 is not None:
        found["overage_per_1000"] = Money(entitled.overage_per_1000, entitled.currency).as_decimal_string()
        found["currency"] = entitled.currency
    return found
