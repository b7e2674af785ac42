"""The book of subscriptions: reads an advertiser's subscription (as stored, or the trial of one
that came before billing, since it was created), and writes each change of it together with the
invoices it issues or changes, then audits and tells it.

The moves a subscription may make are TRANSITIONS (billing.models draws them); a write of any other
is a bug and is refused.
Every write is conditional on the revision read and carries its invoices in the same transaction
(billing.repository.Commit), and the subscription is written even when only an invoice changes: so
whatever decided on it meanwhile (the run finding an invoice overdue, a payment landing) loses the
race, reads again and decides again (`retrying`). A move into or out of the paying states (`active`,
`past_due`: what MRR counts) is counted for churn in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from partnerka.audit.service import Actor, AuditTrail
from partnerka.billing.catalogue import DEFAULT_CURRENCY, TRIAL_PLAN
from partnerka.billing.invoices import locale_of, new_invoice, period_line
from partnerka.billing.models import (
    DUNNING_DAYS,
    TRIAL_DAYS,
    BillingProfile,
    Entitlements,
    Interval,
    InvoiceKind,
    InvoiceStatus,
    Limit,
    Plan,
    PlatformInvoice,
    Subscription,
    SubscriptionState,
    period_end,
    period_price,
)
from partnerka.billing.payments import ChargeFailed, PaymentProvider, PaymentProviderError
from partnerka.billing.plans import PlanCatalogue
from partnerka.billing.repository import BillingChanged, BillingStore, Commit
from partnerka.common.clock import iso_millis, parse_iso, utc_now
from partnerka.common.errors import ValidationFailed
from partnerka.common.money import Money
from partnerka.common.observability import logger
from partnerka.notifications.events import Audience, Event, EventType, Notices

State = SubscriptionState
SCHEDULE = Actor(user_id=None, email="subscription-billing@schedule")
PAYMENTS = Actor(user_id=None, email="payments@provider")
SIGN_UP = Actor(user_id=None, email="sign-up@platform")
ATTEMPTS = 3  # reads and decisions again after a write lost a race

PAYING = frozenset({State.ACTIVE, State.PAST_DUE})  # counted in MRR, and as customers for churn
TRANSITIONS: dict[State, frozenset[State]] = {
    State.TRIALING: frozenset({State.ACTIVE, State.PAST_DUE, State.CANCELED}),
    State.ACTIVE: frozenset({State.PAST_DUE, State.CANCELED}),
    State.PAST_DUE: frozenset({State.ACTIVE, State.SUSPENDED, State.CANCELED}),
    State.SUSPENDED: frozenset({State.ACTIVE, State.CANCELED}),
    State.CANCELED: frozenset({State.ACTIVE}),  # chose a plan again, and paid
}


class AdvertiserRecord(Protocol):
    """An advertiser as billing reads it (accounts.models.Advertiser)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def created_at(self) -> str: ...


class Advertisers(Protocol):
    """When each advertiser was created (its trial's start when none is stored), and who they are
    (accounts.repository.AccountStore: billing sits below accounts, which asks its plans' gate)."""

    def get_advertiser(self, advertiser_id: str) -> AdvertiserRecord: ...

    def list_advertisers(self) -> Sequence[AdvertiserRecord]: ...


def whole_second(at: datetime) -> datetime:
    """Periods are priced by the second: every instant is taken at its whole second, in UTC."""
    return at.astimezone(UTC).replace(microsecond=0)


def seconds(start: datetime, end: datetime) -> int:
    return max(int((end - start).total_seconds()), 0)


def suspends_at(sub: Subscription) -> str | None:
    """When a past-due subscription is suspended unless paid."""
    if sub.state is not State.PAST_DUE or not sub.past_due_since:
        return None
    return iso_millis(parse_iso(sub.past_due_since) + timedelta(days=DUNNING_DAYS))


def view(sub: Subscription) -> dict[str, Any]:
    """The subscription as the audit log keeps it."""
    return {
        "state": sub.state.value,
        "plan_code": sub.plan_code,
        "plan_version": sub.plan_version,
        "interval": sub.interval.value,
        "currency": sub.currency,
        "price": sub.price,
        "period_start": sub.period_start,
        "period_end": sub.period_end,
        "cancel_at_period_end": sub.cancel_at_period_end,
        "pending": asdict(sub.pending) if sub.pending else None,
        "payment_method": sub.payment_method.value,
        "past_due_since": sub.past_due_since,
        "custom_terms": asdict(sub.custom_terms) if sub.custom_terms else None,
    }


def month_of(at: datetime) -> str:
    return f"{at.year:04d}-{at.month:02d}"


def period_around(
    boundary: datetime, interval: Interval, anchor: int, at: datetime
) -> tuple[datetime, datetime]:
    """The period that starts at `boundary`, or, when it is over by `at` already (time spent
    suspended, a trial long ended), the one of the same rhythm that holds `at`."""
    start = boundary
    end = period_end(start, interval, anchor)
    while end <= at:
        start, end = end, period_end(end, interval, anchor)
    return start, end


def invoice_data(invoice: PlatformInvoice) -> dict[str, Any]:
    """What an invoice's notices show: amounts as decimal strings with their currency."""
    return {
        "invoice_id": invoice.invoice_id,
        "number": invoice.number,
        "kind": invoice.kind.value,
        "amount": Money(invoice.total, invoice.currency).as_decimal_string(),
        "currency": invoice.currency,
        "due_at": invoice.due_at,
        "period_start": invoice.period_start,
        "period_end": invoice.period_end,
    }


def plan_data(plan: Plan) -> dict[str, Any]:
    """What a notice shows of a plan: its code, and its name as people read it."""
    return {"plan": plan.code, "plan_name": plan.name}


class SubscriptionReader:
    """What an advertiser's subscription is and allows, read only: what the services that add what a
    plan limits ask (PlanGate's EntitlementsSource), without the payment provider, the audit or the
    notices that changing a subscription takes."""

    def __init__(self, store: BillingStore, plans: PlanCatalogue, advertisers: Advertisers) -> None:
        self._store = store
        self._plans = plans
        self._advertisers = advertisers

    def current(self, advertiser_id: str) -> Subscription:
        """The advertiser's subscription: as stored, or its trial since it was created."""
        stored = self._store.subscription(advertiser_id)
        if stored is not None:
            return stored
        created = parse_iso(self._advertisers.get_advertiser(advertiser_id).created_at)
        return self.trial(
            advertiser_id, whole_second(created), self._plans.current(TRIAL_PLAN), DEFAULT_CURRENCY
        )

    def trial(self, advertiser_id: str, start: datetime, plan: Plan, currency: str) -> Subscription:
        if plan.contact_us:
            raise ValidationFailed(f"the {plan.name} plan cannot be tried: its terms are agreed with us")
        price = plan.monthly_prices.get(currency)
        if price is None:
            raise ValidationFailed(f"the {plan.name} plan has no price in {currency}")
        end = start + timedelta(days=TRIAL_DAYS)
        return Subscription(
            advertiser_id=advertiser_id,
            plan_code=plan.code,
            plan_version=plan.version,
            interval=Interval.MONTH,
            currency=currency,
            state=State.TRIALING,
            price=price,
            period_start=iso_millis(start),
            period_end=iso_millis(end),
            created_at=iso_millis(start),
            trial_end=iso_millis(end),
            updated_at=iso_millis(start),
        )

    def entitlements(self, advertiser_id: str) -> Entitlements:
        """What the advertiser may use now: the plan version it is billed at (custom terms replace
        its limits and overage price)."""
        sub = self.current(advertiser_id)
        plan = self._plans.version(sub.plan_code, sub.plan_version)
        terms = sub.custom_terms
        return Entitlements(
            advertiser_id=advertiser_id,
            plan=plan,
            limits=terms.limits if terms else plan.limits,
            state=sub.state,
            overage_per_1000=terms.overage_per_1000 if terms else plan.overage_per_1000.get(sub.currency),
            currency=sub.currency,
        )

    def upgrade_for(self, limit: Limit, needed: int) -> str | None:
        return self._plans.upgrade_for(limit, needed)


class SubscriptionBook:
    def __init__(
        self,
        store: BillingStore,
        plans: PlanCatalogue,
        advertisers: Advertisers,
        provider: PaymentProvider,
        audit: AuditTrail,
        notices: Notices,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._plans = plans
        self._advertisers = advertisers
        self._provider = provider
        self._audit = audit
        self._notices = notices
        self._now = now
        self.reader = SubscriptionReader(store, plans, advertisers)

    def at(self, at: datetime | None) -> datetime:
        return whole_second(at or self._now())

    def current(self, advertiser_id: str) -> Subscription:
        return self.reader.current(advertiser_id)

    def trial(self, advertiser_id: str, start: datetime, plan: Plan, currency: str) -> Subscription:
        return self.reader.trial(advertiser_id, start, plan, currency)

    def entitlements(self, advertiser_id: str) -> Entitlements:
        return self.reader.entitlements(advertiser_id)

    def billed_period(
        self,
        sub: Subscription,
        plan: Plan,
        interval: Interval,
        monthly: int,
        period: tuple[datetime, datetime],
        anchor_day: int,
        key: str,
        at: datetime,
    ) -> tuple[PlatformInvoice, Subscription]:
        """A period of `plan` billed: its invoice (`key` its billing key; addressed to the billing
        profile as it is now) and the subscription as it runs in that period (its periods ending on
        `anchor_day`), its exact cost kept."""
        start, end = period
        price = period_price(monthly, interval)
        profile = self._store.profile(sub.advertiser_id)
        invoice = new_invoice(
            InvoiceKind.SUBSCRIPTION,
            sub.advertiser_id,
            key,
            period,
            sub.currency,
            (period_line(plan.name, interval, start, end, price, locale_of(profile)),),
            plan.code,
            interval,
            at,
            profile,
        )
        billed = replace(
            sub,
            plan_code=plan.code,
            plan_version=plan.version,
            interval=interval,
            price=price,
            period_start=iso_millis(start),
            period_end=iso_millis(end),
            anchor_day=anchor_day,
            period_cost=price * seconds(start, end),
            pending=None,
            cancel_at_period_end=False,
            custom_terms=sub.custom_terms if plan.code == sub.plan_code else None,
            updated_at=iso_millis(at),
        )
        return invoice, billed

    def monthly(self, plan: Plan, sub: Subscription) -> int | None:
        """A plan's monthly price for the subscription: its custom terms on its own plan, else the
        plan's price in its currency."""
        if sub.custom_terms and plan.code == sub.plan_code:
            return sub.custom_terms.monthly_price
        return plan.monthly_prices.get(sub.currency)

    def retrying[T](self, decide: Callable[[], T]) -> T:
        """Decide on what is stored and write it; decide again on a write that lost a race."""
        for attempt in range(ATTEMPTS):
            try:
                return decide()
            except BillingChanged:
                if attempt == ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def write(
        self,
        before: Subscription,
        after: Subscription,
        actor: Actor,
        action: str,
        new_invoices: tuple[PlatformInvoice, ...] = (),
        changed: tuple[tuple[PlatformInvoice, PlatformInvoice], ...] = (),
        at: datetime | None = None,
        marks: tuple[str, ...] = (),
        events: Sequence[Event] = (),
        audit: bool = True,
    ) -> tuple[Subscription, PlatformInvoice | None]:
        """One change written together (billing.repository.Commit), then audited and told. The
        subscription is written even when unchanged, so whatever decided on it meanwhile (the run
        finding an invoice overdue, a payment landing) loses the race and decides again. A change of
        state must be one of TRANSITIONS; moving into or out of the paying states is counted for churn."""
        at = at or self.at(None)
        if before.state is not after.state and after.state not in TRANSITIONS[before.state]:
            raise RuntimeError(f"a subscription cannot go from {before.state} to {after.state}")
        counts: list[tuple[str, str]] = []
        if (before.state in PAYING) != (after.state in PAYING):
            counts.append((month_of(at), "joined" if after.state in PAYING else "left"))
        committed = self._store.commit(
            Commit(
                before.advertiser_id,
                subscription=after,
                new_invoices=new_invoices,
                changed_invoices=changed,
                marks=marks,
                counts=tuple(counts),
                at=iso_millis(at),
            )
        )
        written = committed.subscription or after
        stored_now = before.revision == 0 and before == after  # a trial stored as it was
        if audit and (after != before or stored_now):
            self._audit.record(
                actor,
                before.advertiser_id,
                f"subscription.{after.state.value}" if before.state is not after.state else action,
                f"subscription:{before.advertiser_id}",
                None if stored_now else view(before),
                view(written),
            )
        for event in events:
            self._notices.send(event)
        return written, committed.invoices[0] if committed.invoices else None

    def save(self, before: Subscription, after: Subscription, actor: Actor, action: str) -> Subscription:
        """A change of the subscription alone (see `write`), as stored."""
        return self.write(before, after, actor, action)[0]

    def event(
        self, event_id: str, type: EventType, advertiser_id: str, at: datetime, data: dict[str, Any]
    ) -> Event:
        return Event(
            event_id=event_id,
            type=type,
            occurred_at=at,
            advertiser_id=advertiser_id,
            audience=Audience(advertiser_team=True),
            data={name: value for name, value in data.items() if value is not None},
        )

    def charge(self, invoice: PlatformInvoice, profile: BillingProfile) -> None:
        """Charge the saved card; the outcome arrives as a PaymentEvent. The charge in flight is kept on
        the invoice, so the billing run never starts another for the same attempt. A charge that
        could not be attempted (no card on file) fails at once, as a declined one would; a provider
        that could not be asked is asked again by the next run (same invoice, same attempt: the
        provider's idempotency key makes it one charge)."""
        try:
            payment = self._provider.charge(invoice, profile)
        except ChargeFailed as failure:
            at, reason = self.at(None), failure.message
            self.retrying(lambda: self.payment_failed(invoice.advertiser_id, invoice.invoice_id, at, reason))
            return
        except PaymentProviderError:
            logger.exception("the payment provider was not reached", invoice_id=invoice.invoice_id)
            return
        with suppress(BillingChanged):  # paid or failed meanwhile: the webhook beat this write
            self._store.commit(
                Commit(
                    invoice.advertiser_id,
                    changed_invoices=((invoice, replace(invoice, provider_payment=payment)),),
                )
            )

    def payment_failed(
        self, advertiser_id: str, invoice_id: str, at: datetime, reason: str, mark: str | None = None
    ) -> None:
        """A payment of an open invoice failed: one more failed attempt on it, an active subscription
        `past_due`, the team told. `mark` (the provider's event) makes it count once however often it
        is told; an invoice paid or void already changes nothing (a failure told late)."""
        invoice = self._store.invoice(advertiser_id, invoice_id)
        if invoice is None:
            logger.warning("a failed payment of an unknown invoice", invoice_id=invoice_id)
            return
        if invoice.status is not InvoiceStatus.OPEN:
            return
        failed = replace(invoice, attempts=invoice.attempts + 1, provider_payment=None)
        sub = self.current(advertiser_id)
        after = sub
        if sub.state is State.ACTIVE:
            after = replace(
                sub,
                state=State.PAST_DUE,
                past_due_since=iso_millis(at),
                reminders_sent=0,
                updated_at=iso_millis(at),
            )
        told = self.event(
            f"payment-failed.{invoice_id}.{failed.attempts}",
            EventType.PAYMENT_FAILED,
            advertiser_id,
            at,
            {**invoice_data(invoice), "reason": reason, "suspends_at": suspends_at(after)},
        )
        self.write(
            sub,
            after,
            PAYMENTS,
            "subscription.payment_failed",
            (),
            ((invoice, failed),),
            at,
            marks=(mark,) if mark else (),
            events=[told],
        )

    def unpaid(self, advertiser_id: str) -> dict[str, Any]:
        """What a reminder or a suspension shows of what is owed: the oldest open invoice."""
        open_ones = [i for i in self._store.invoices(advertiser_id) if i.status is InvoiceStatus.OPEN]
        oldest = min(open_ones, key=lambda invoice: (invoice.due_at, invoice.number), default=None)
        return invoice_data(oldest) if oldest else {}

    def plan_of(self, sub: Subscription) -> Plan:
        return self._plans.version(sub.plan_code, sub.plan_version)
