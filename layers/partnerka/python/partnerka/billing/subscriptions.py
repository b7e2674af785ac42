"""Subscriptions: an advertiser's plan, what it pays for it, and the states it moves through.

A new advertiser tries the trial plan for TRIAL_DAYS; one that has no subscription stored (it came
before billing did) is treated as on that trial since it was created, and the first change stores it.

- Choosing during the trial (or after a cancellation) starts a paid period at once: its invoice is
  issued and, by card, paid on the provider's page; paid → `active`. The trial's days left go.
- A higher plan, or a year instead of a month, takes effect at once. Within a period the upgrade
  bills the rest of it: the period's exact cost is kept (`Subscription.period_cost`, the price of
  each plan times the seconds it held), and an upgrade bills the new cost rounded less the old cost
  rounded, so a period's invoices sum to its exact price rounded once, whatever the number of
  upgrades. A month left for a year is credited on the year's invoice with what it billed for time
  not yet used.
- A lower plan, or a month instead of a year, waits for the period's end, and is refused when what
  is in use exceeds the lower plan's limits (every excess is listed). Cancelling waits for it too.
- At a trial's end its first period is billed: charged to the saved card, awaited by bank transfer,
  or `past_due` with neither. At a period's end the next is billed, at the plan's current version
  (an edit reaches a subscriber here, never mid-period). Unpaid: `past_due` (a failed charge, an
  invoice overdue), reminders on REMINDER_DAYS, `suspended` after DUNNING_DAYS; paying the last open
  invoice reactivates.

Allowed moves are TRANSITIONS; each is audited (`subscription.<state>`) and told to the team where a
notice exists for it. Every write is conditional on the revision read and carries its invoices in
the same transaction (billing.repository), and every id is a business key, so reruns, redelivered or
reordered webhooks and concurrent callers change nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from fractions import Fraction
from typing import Literal

from partnerka.audit.service import Actor, AuditTrail
from partnerka.billing.book import (
    PAYING,
    PAYMENTS,
    SIGN_UP,
    Advertisers,
    State,
    SubscriptionBook,
    plan_data,
    seconds,
)
from partnerka.billing.catalogue import CONTACT_US_PLAN, DEFAULT_CURRENCY, TRIAL_PLAN
from partnerka.billing.invoices import (
    instant_key,
    locale_of,
    new_invoice,
    period_line,
    unused_line,
    upgrade_line,
)
from partnerka.billing.limits import Excess, PlanLimitExceeded
from partnerka.billing.models import (
    BillingProfile,
    CustomTerms,
    Entitlements,
    Interval,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Limit,
    PaymentMethod,
    PendingChange,
    Plan,
    PlatformInvoice,
    Subscription,
    period_end,
    period_price,
    round_half_up,
    yearly_price,
)
from partnerka.billing.payments import PaymentEvent, PaymentEventKind, PaymentProvider
from partnerka.billing.plans import MAX_AMOUNT, PlanCatalogue, checked_limits
from partnerka.billing.ports import UsageCounts
from partnerka.billing.repository import AlreadyRecorded, BillingChanged, BillingStore, Commit
from partnerka.common.clock import iso_millis, parse_iso, utc_now
from partnerka.common.config import APP_BASE_URL_HINT, base_url, setting
from partnerka.common.errors import Conflict, NotFound, ValidationFailed
from partnerka.common.money import currency_code
from partnerka.common.observability import logger
from partnerka.notifications.events import Event, EventType, Notices

Effective = Literal["now", "period_end"]


class DowngradeRefused(PlanLimitExceeded):
    """A change to a plan whose limits what is in use exceeds: the plan_limit error of the plan asked
    for, naming its first excess, with `excess` listing every limit to reduce first."""

    def __init__(self, plan: Plan, excess: Sequence[Excess]) -> None:
        listed = "; ".join(f"{e.limit.value}: {e.usage} in use, {e.allowed} allowed" for e in excess)
        first = excess[0]
        super().__init__(
            f"the {plan.name} plan allows less than is in use ({listed}): reduce it first",
            first.limit,
            first.usage,
            first.allowed,
            plan.code,
            excess=excess,
        )


@dataclass(frozen=True, slots=True)
class ChangeResult:
    subscription: Subscription
    effective: Effective
    invoice: PlatformInvoice | None  # what the change bills now (None: nothing, or at the period's end)
    checkout_url: str | None  # the provider's page that pays it, where there is no card to charge


@dataclass(frozen=True, slots=True)
class NextInvoice:
    date: str
    amount: int
    currency: str


@dataclass(frozen=True, slots=True)
class ProfileDraft:
    legal_name: str
    address: str
    tax_id: str
    email: str
    locale: str
    payment_method: PaymentMethod


@dataclass(frozen=True, slots=True)
class CheckoutSettings:
    """Where the provider's pages send the advertiser back to: the dashboard's billing page."""

    app_base_url: str = setting(base_url, APP_BASE_URL_HINT)

    @property
    def success_url(self) -> str:
        return f"{self.app_base_url}/billing?checkout=success"

    @property
    def cancel_url(self) -> str:
        return f"{self.app_base_url}/billing?checkout=canceled"


class SubscriptionService:
    """What advertisers, the Owner and the payment provider do to subscriptions (the API's)."""

    def __init__(
        self,
        store: BillingStore,
        plans: PlanCatalogue,
        advertisers: Advertisers,
        provider: PaymentProvider,
        audit: AuditTrail,
        notices: Notices,
        checkout: CheckoutSettings,
        usage: UsageCounts | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        """`usage` None: this service does not change plans (what is in use is not at hand)."""
        self._store = store
        self._plans = plans
        self._provider = provider
        self._audit = audit
        self._checkout = checkout
        self._usage = usage
        self._book = SubscriptionBook(store, plans, advertisers, provider, audit, notices, now)

    @property
    def book(self) -> SubscriptionBook:
        return self._book

    def current(self, advertiser_id: str) -> Subscription:
        """The advertiser's subscription: as stored, or its trial since it was created."""
        return self._book.current(advertiser_id)

    def entitlements(self, advertiser_id: str) -> Entitlements:
        """What the advertiser may use now: the plan version it is billed at (custom terms replace
        its limits and overage price). billing.ports.EntitlementsSource, with `upgrade_for`."""
        return self._book.entitlements(advertiser_id)

    def upgrade_for(self, limit: Limit, needed: int) -> str | None:
        """The lowest offered plan that allows `needed` of `limit` (billing.ports.EntitlementsSource)."""
        return self._plans.upgrade_for(limit, needed)

    def next_invoice(self, sub: Subscription) -> NextInvoice | None:
        """What the subscription is billed next, and when: nothing once it ends or while locked."""
        if sub.state in (State.SUSPENDED, State.CANCELED) or sub.cancel_at_period_end:
            return None
        trying = sub.state is State.TRIALING and not sub.period_cost
        when = (sub.trial_end or sub.period_end) if trying else sub.period_end
        pending = sub.pending
        plan = self._plans.current(pending.plan_code if pending else sub.plan_code)
        interval = pending.interval if pending else (Interval.MONTH if trying else sub.interval)
        monthly = self._book.monthly(plan, sub)
        if monthly is None:
            return None
        return NextInvoice(when, period_price(monthly, interval), sub.currency)

    def profile(self, advertiser_id: str) -> BillingProfile:
        return self._store.profile(advertiser_id)

    def invoices(self, advertiser_id: str) -> list[PlatformInvoice]:
        """The advertiser's invoices, the latest first."""
        return self._store.invoices(advertiser_id)

    def invoice(self, advertiser_id: str, invoice_id: str) -> PlatformInvoice:
        found = self._store.invoice(advertiser_id, invoice_id)
        if found is None:
            raise NotFound(f"no invoice '{invoice_id}'")
        return found

    def start_trial(
        self,
        advertiser_id: str,
        plan_code: str = TRIAL_PLAN,
        currency: str = DEFAULT_CURRENCY,
        at: datetime | None = None,
        actor: Actor = SIGN_UP,
    ) -> Subscription:
        """A new advertiser's trial (sign-up and provisioning call it); the stored subscription when
        there is one already (a retried sign-up)."""
        existing = self._store.subscription(advertiser_id)
        if existing is not None:
            return existing
        trial = self._book.trial(
            advertiser_id, self._book.at(at), self._plans.current(plan_code), currency_code(currency)
        )
        try:
            return self._book.save(trial, trial, actor, "subscription.trialing")
        except (BillingChanged, AlreadyRecorded):
            return self._store.subscription(advertiser_id) or trial

    def change(
        self,
        advertiser_id: str,
        plan_code: str,
        interval: Interval | str,
        actor: Actor,
        at: datetime | None = None,
        currency: str | None = None,
    ) -> ChangeResult:
        """Choose a plan and a billing interval (see the module's docstring for when it takes effect
        and what it bills); DowngradeRefused when what is in use exceeds the plan's limits.
        `currency` may change only with no paid period running (trialing, canceled): a period is
        billed in one currency from start to end."""
        chosen = Interval(interval)
        when = self._book.at(at)
        code = currency_code(currency) if currency else None
        return self._book.retrying(lambda: self._change(advertiser_id, plan_code, chosen, actor, when, code))

    def _change(
        self,
        advertiser_id: str,
        plan_code: str,
        interval: Interval,
        actor: Actor,
        at: datetime,
        currency: str | None = None,
    ) -> ChangeResult:
        sub = self._book.current(advertiser_id)
        if currency and currency != sub.currency:
            if sub.state not in (State.TRIALING, State.CANCELED) or sub.custom_terms:
                raise ValidationFailed(
                    f"the subscription is billed in {sub.currency}: choose the plan in {sub.currency}"
                )
            sub = replace(sub, currency=currency)
        target = self._plans.current(plan_code)
        same_plan = target.code == sub.plan_code
        if target.contact_us and not (same_plan and sub.custom_terms):
            raise ValidationFailed(f"the {target.name} plan is agreed with us: contact us for its terms")
        if not target.public and not same_plan:
            raise NotFound(f"no plan '{plan_code}'")
        monthly = self._book.monthly(target, sub)
        if monthly is None:
            raise ValidationFailed(f"the {target.name} plan has no price in {sub.currency}")
        if sub.state is State.SUSPENDED:
            raise Conflict("the subscription is suspended: pay its open invoice first, then change the plan")
        if not same_plan:
            self._refuse_excess(advertiser_id, target)
        if sub.state in (State.TRIALING, State.CANCELED):
            return self._start_period(sub, target, monthly, interval, actor, at)
        if same_plan and interval is sub.interval:
            if sub.pending or sub.cancel_at_period_end:  # keeping the plan undoes what waited
                kept = replace(sub, pending=None, cancel_at_period_end=False, updated_at=iso_millis(at))
                sub = self._book.save(sub, kept, actor, "subscription.change_kept")
            return ChangeResult(sub, "now", None, None)
        billed = self._plans.version(sub.plan_code, sub.plan_version)
        higher = (target.rank, monthly) > (billed.rank, self._book.monthly(billed, sub) or 0)
        to_year = sub.interval is Interval.MONTH and interval is Interval.YEAR
        if (interval is Interval.MONTH and sub.interval is Interval.YEAR) or not (higher or to_year):
            pending = replace(
                sub,
                pending=PendingChange(target.code, interval),
                cancel_at_period_end=False,
                updated_at=iso_millis(at),
            )
            return ChangeResult(
                self._book.save(sub, pending, actor, "subscription.change_scheduled"),
                "period_end",
                None,
                None,
            )
        if sub.state is State.PAST_DUE:
            raise Conflict("the subscription is past due: pay its open invoice first, then upgrade")
        if to_year:
            return self._start_year(sub, billed, target, monthly, actor, at)
        return self._upgrade(sub, billed, target, monthly, actor, at)

    def _refuse_excess(self, advertiser_id: str, target: Plan) -> None:
        """DowngradeRefused listing each limit of `target` that what is in use exceeds."""
        if self._usage is None:
            raise RuntimeError("this subscription service does not change plans")
        limits = target.limits
        used = self._usage.usage(advertiser_id)
        excess = []
        for limit in Limit:
            allowed = limits.allowed(limit)
            # Clicks are metered, never refused: a month over its limit is billed or asked to upgrade.
            if limit is Limit.CLICKS_PER_MONTH or allowed is None:
                continue
            if used.get(limit, 0) > allowed:
                excess.append(Excess(limit, used.get(limit, 0), allowed))
        if excess:
            raise DowngradeRefused(target, excess)

    def _start_period(
        self, sub: Subscription, plan: Plan, monthly: int, interval: Interval, actor: Actor, at: datetime
    ) -> ChangeResult:
        """A trial's (or a canceled subscription's) choice: a paid period from now, its invoice issued
        for the provider's page (a card) or a bank transfer. An earlier choice still unpaid is void."""
        since = sub.canceled_at if sub.state is State.CANCELED and sub.canceled_at else sub.created_at
        unpaid = [
            invoice
            for invoice in self._store.invoices(sub.advertiser_id)
            if invoice.status is InvoiceStatus.OPEN
            and invoice.kind is InvoiceKind.SUBSCRIPTION
            and invoice.period_start >= since
        ]
        again = next(
            (
                invoice
                for invoice in unpaid
                if invoice.period_start == sub.period_start
                and (invoice.plan_code, invoice.interval) == (plan.code, interval)
            ),
            None,
        )
        if again is not None and sub.period_cost:  # chosen already, not paid yet: its page again
            return ChangeResult(sub, "now", again, self._page(again, sub))
        end = period_end(at, interval, at.day)
        key = f"{instant_key(at)}.{plan.code}.{interval.value}"
        invoice, chosen = self._book.billed_period(sub, plan, interval, monthly, (at, end), at.day, key, at)
        voided = tuple((old, replace(old, status=InvoiceStatus.VOID)) for old in unpaid)
        written, issued = self._book.write(sub, chosen, actor, "subscription.chosen", (invoice,), voided, at)
        return ChangeResult(written, "now", issued, self._page(issued, written))

    def _upgrade(
        self, sub: Subscription, billed: Plan, plan: Plan, monthly: int, actor: Actor, at: datetime
    ) -> ChangeResult:
        """A higher plan for the rest of the period, billed as the period's new exact cost rounded
        less its old one rounded."""
        start, end = parse_iso(sub.period_start), parse_iso(sub.period_end)
        length = max(seconds(start, end), 1)
        old_cost = sub.period_cost or sub.price * length
        price = period_price(monthly, sub.interval)
        new_cost = old_cost + (price - sub.price) * seconds(max(at, start), end)
        amount = round_half_up(Fraction(new_cost, length)) - round_half_up(Fraction(old_cost, length))
        upgraded = replace(
            sub,
            plan_code=plan.code,
            plan_version=plan.version,
            price=price,
            period_cost=new_cost,
            pending=None,
            cancel_at_period_end=False,
            custom_terms=None,
            updated_at=iso_millis(at),
        )
        invoices: tuple[PlatformInvoice, ...] = ()
        if amount > 0:
            profile = self._store.profile(sub.advertiser_id)
            line = upgrade_line(billed.name, plan.name, at, end, amount, locale_of(profile))
            invoices = (
                new_invoice(
                    InvoiceKind.PRORATION,
                    sub.advertiser_id,
                    f"{instant_key(at)}.{plan.code}",
                    (at, end),
                    sub.currency,
                    (line,),
                    plan.code,
                    sub.interval,
                    at,
                    profile,
                ),
            )
        written, issued = self._book.write(sub, upgraded, actor, "subscription.upgraded", invoices, (), at)
        return ChangeResult(written, "now", issued, self._pay_now(issued, written) if issued else None)

    def _start_year(
        self, sub: Subscription, billed: Plan, plan: Plan, monthly: int, actor: Actor, at: datetime
    ) -> ChangeResult:
        """A month left for a year from now: the year's invoice credits what the month billed for the
        time not used (its cost so far, the current plan to now, rounded once)."""
        start, end = parse_iso(sub.period_start), parse_iso(sub.period_end)
        length = max(seconds(start, end), 1)
        old_cost = sub.period_cost or sub.price * length
        used = old_cost - sub.price * seconds(max(at, start), end)
        credit = round_half_up(Fraction(old_cost, length)) - round_half_up(Fraction(used, length))
        year_end = period_end(at, Interval.YEAR, at.day)
        price = yearly_price(monthly)
        profile = self._store.profile(sub.advertiser_id)
        locale = locale_of(profile)
        lines: tuple[InvoiceLine, ...] = (period_line(plan.name, Interval.YEAR, at, year_end, price, locale),)
        if credit:
            lines += (unused_line(billed.name, sub.interval, at, end, credit, locale),)
        invoice = new_invoice(
            InvoiceKind.SUBSCRIPTION,
            sub.advertiser_id,
            f"{instant_key(at)}.{plan.code}.{Interval.YEAR.value}",
            (at, year_end),
            sub.currency,
            lines,
            plan.code,
            Interval.YEAR,
            at,
            profile,
        )
        yearly = replace(
            sub,
            plan_code=plan.code,
            plan_version=plan.version,
            interval=Interval.YEAR,
            price=price,
            period_start=iso_millis(at),
            period_end=iso_millis(year_end),
            anchor_day=at.day,
            period_cost=price * seconds(at, year_end),
            pending=None,
            cancel_at_period_end=False,
            custom_terms=sub.custom_terms if plan.code == sub.plan_code else None,
            updated_at=iso_millis(at),
        )
        written, issued = self._book.write(sub, yearly, actor, "subscription.upgraded", (invoice,), (), at)
        return ChangeResult(written, "now", issued, self._pay_now(issued, written) if issued else None)

    def cancel(self, advertiser_id: str, actor: Actor, at: datetime | None = None) -> Subscription:
        """Cancel at the period's end (a trial's: at its end); the dashboard stays open until then."""
        when = self._book.at(at)

        def cancel() -> Subscription:
            sub = self._book.current(advertiser_id)
            if sub.state is State.CANCELED:
                raise Conflict("the subscription is canceled already")
            if sub.cancel_at_period_end:
                return sub
            after = replace(sub, cancel_at_period_end=True, pending=None, updated_at=iso_millis(when))
            return self._book.save(sub, after, actor, "subscription.cancel_requested")

        return self._book.retrying(cancel)

    def resume(self, advertiser_id: str, actor: Actor, at: datetime | None = None) -> Subscription:
        """Undo a cancellation that has not taken effect yet."""
        when = self._book.at(at)

        def resume() -> Subscription:
            sub = self._book.current(advertiser_id)
            if not sub.cancel_at_period_end:
                return sub
            after = replace(sub, cancel_at_period_end=False, updated_at=iso_millis(when))
            return self._book.save(sub, after, actor, "subscription.resumed")

        return self._book.retrying(resume)

    def set_custom_terms(
        self, advertiser_id: str, terms: CustomTerms, currency: str, actor: Actor, at: datetime | None = None
    ) -> Subscription:
        """The Owner's terms for one advertiser on the "contact us" plan: its limits (and overage
        price) hold at once, its price from the next period (a trial's, at the trial's end)."""
        when = self._book.at(at)
        code = currency_code(currency)
        checked = _checked_terms(terms)
        plan = self._plans.current(CONTACT_US_PLAN)

        def set_terms() -> Subscription:
            sub = self._book.current(advertiser_id)
            if code != sub.currency and sub.state in (State.ACTIVE, State.PAST_DUE, State.SUSPENDED):
                raise ValidationFailed(
                    f"the subscription is billed in {sub.currency} until its period ends: set the terms in"
                    f" {sub.currency}"
                )
            after = replace(
                sub,
                plan_code=plan.code,
                plan_version=plan.version,
                currency=code,
                custom_terms=checked,
                pending=None,
                price=sub.price if sub.period_cost else checked.monthly_price,
                updated_at=iso_millis(when),
            )
            return self._book.save(sub, after, actor, "subscription.terms")

        return self._book.retrying(set_terms)

    def save_profile(self, advertiser_id: str, draft: ProfileDraft, actor: Actor) -> BillingProfile:
        """Whom invoices are addressed to, in which language, and how they are paid (a card through
        the provider, or a bank transfer the Owner confirms)."""
        checked = _checked_profile(draft)
        before = self._store.profile(advertiser_id)
        profile = replace(
            before,
            legal_name=checked.legal_name,
            address=checked.address,
            tax_id=checked.tax_id,
            email=checked.email,
            locale=checked.locale,
            updated_at=iso_millis(self._book.at(None)),
        )
        self._store.save_profile(profile)
        self._audit.record(
            actor,
            advertiser_id,
            "billing.profile",
            f"advertiser:{advertiser_id}",
            asdict(before),
            asdict(profile),
        )

        def method() -> None:
            sub = self._book.current(advertiser_id)
            if sub.payment_method is not checked.payment_method:
                after = replace(sub, payment_method=checked.payment_method, updated_at=profile.updated_at)
                self._book.write(sub, after, actor, "subscription.payment_method")

        self._book.retrying(method)
        return profile

    def checkout(self, advertiser_id: str, invoice_id: str) -> str:
        """The provider's page that pays an open invoice."""
        invoice = self.invoice(advertiser_id, invoice_id)
        if invoice.status is not InvoiceStatus.OPEN:
            raise Conflict(f"the invoice {invoice.number} is {invoice.status.value}: there is nothing to pay")
        profile = self._store.profile(advertiser_id)
        return self._provider.checkout(
            invoice, profile, self._checkout.success_url, self._checkout.cancel_url
        ).url

    def card_setup(self, advertiser_id: str) -> str:
        """The provider's page that saves (or replaces) the card later periods are charged to."""
        profile = self._store.profile(advertiser_id)
        return self._provider.card_setup(profile, self._checkout.success_url, self._checkout.cancel_url).url

    def _page(self, invoice: PlatformInvoice | None, sub: Subscription) -> str | None:
        if invoice is None or sub.payment_method is not PaymentMethod.CARD:
            return None
        profile = self._store.profile(sub.advertiser_id)
        return self._provider.checkout(
            invoice, profile, self._checkout.success_url, self._checkout.cancel_url
        ).url

    def _pay_now(self, invoice: PlatformInvoice, sub: Subscription) -> str | None:
        """An upgrade's invoice: charged to the saved card at once, else the provider's page (by card)."""
        if sub.payment_method is not PaymentMethod.CARD:
            return None
        profile = self._store.profile(sub.advertiser_id)
        if not profile.has_card:
            return self._page(invoice, sub)
        self._book.charge(invoice, profile)
        return None

    def mark_paid(
        self, advertiser_id: str, invoice_id: str, reference: str, actor: Actor, at: datetime | None = None
    ) -> PlatformInvoice:
        """The Owner confirms a bank transfer (its reference); paying it twice changes nothing."""
        reference = reference.strip() if isinstance(reference, str) else ""
        if not reference or len(reference) > 200:
            raise ValidationFailed("the transfer's reference is required (at most 200 characters)")
        invoice = self.invoice(advertiser_id, invoice_id)
        if invoice.status is InvoiceStatus.VOID:
            raise Conflict(f"the invoice {invoice.number} is void: it is not to be paid")
        when = self._book.at(at)
        return self._book.retrying(
            lambda: self._settle(advertiser_id, invoice_id, reference, when, actor, None)
        )

    def apply_payment(self, event: PaymentEvent) -> None:
        """What the provider says happened (its signed webhook): applied once however often it comes,
        and in any order (a failure told after the same invoice was paid changes nothing)."""
        at = self._book.at(parse_iso(event.occurred_at))
        try:
            if event.kind is PaymentEventKind.CARD_SAVED:
                self._card_saved(event)
                return
            if event.invoice_id is None:
                logger.warning("a payment event without an invoice", event_id=event.event_id)
                return
            mark = f"payment-event#{event.event_id}"
            invoice_id = event.invoice_id
            if event.kind is PaymentEventKind.INVOICE_PAID:
                reference = event.payment_reference or event.event_id
                self._book.retrying(
                    lambda: self._settle(event.advertiser_id, invoice_id, reference, at, PAYMENTS, mark)
                )
            else:
                reason = event.failure_reason or ""
                self._book.retrying(
                    lambda: self._book.payment_failed(event.advertiser_id, invoice_id, at, reason, mark)
                )
        except AlreadyRecorded:
            logger.info("a payment event applied before", event_id=event.event_id)

    def _settle(
        self,
        advertiser_id: str,
        invoice_id: str,
        reference: str,
        at: datetime,
        actor: Actor,
        mark: str | None,
    ) -> PlatformInvoice:
        invoice = self._store.invoice(advertiser_id, invoice_id)
        if invoice is None:
            raise NotFound(f"no invoice '{invoice_id}'")
        if invoice.status is InvoiceStatus.PAID:
            return invoice
        marks = (mark,) if mark else ()
        if invoice.status is InvoiceStatus.VOID:
            # Money came in for an invoice that was replaced (an old checkout page): kept on it for
            # the Owner to refund; it pays nothing.
            if invoice.payment_reference:
                return invoice
            noted = replace(invoice, payment_reference=reference)
            self._store.commit(
                Commit(advertiser_id, changed_invoices=((invoice, noted),), marks=marks, at=iso_millis(at))
            )
            logger.warning(
                "a void invoice was paid: refund it", tenant_id=advertiser_id, invoice_id=invoice_id
            )
            self._audit.record(
                actor,
                advertiser_id,
                "invoice.paid_void",
                f"invoice:{invoice_id}",
                None,
                {"reference": reference},
            )
            return noted
        paid = replace(
            invoice, status=InvoiceStatus.PAID, paid_at=iso_millis(at), payment_reference=reference
        )
        sub = self._book.current(advertiser_id)
        after = sub
        events: list[Event] = []
        starts_period = invoice.kind is InvoiceKind.SUBSCRIPTION and invoice.period_start == sub.period_start
        if sub.state is State.TRIALING and starts_period:
            after = replace(sub, state=State.ACTIVE)
        elif (
            sub.state is State.CANCELED and starts_period and invoice.period_start >= (sub.canceled_at or "")
        ):
            after = replace(sub, state=State.ACTIVE, canceled_at=None)
        elif sub.state in (State.PAST_DUE, State.SUSPENDED):
            still_open = [
                other
                for other in self._store.invoices(advertiser_id)
                if other.status is InvoiceStatus.OPEN and other.invoice_id != invoice_id
            ]
            if not still_open:
                after = replace(sub, state=State.ACTIVE, past_due_since=None, reminders_sent=0)
                events.append(
                    self._book.event(
                        f"reactivated.{invoice_id}",
                        EventType.SUBSCRIPTION_REACTIVATED,
                        advertiser_id,
                        at,
                        {
                            **plan_data(self._book.plan_of(sub)),
                            "invoice_id": invoice_id,
                            "number": invoice.number,
                        },
                    )
                )
        if after is not sub:
            after = replace(after, updated_at=iso_millis(at))
        self._book.write(sub, after, actor, "subscription.paid", (), ((invoice, paid),), at, marks, events)
        self._audit.record(
            actor, advertiser_id, "invoice.paid", f"invoice:{invoice_id}", None, {"reference": reference}
        )
        return paid

    def _card_saved(self, event: PaymentEvent) -> None:
        """A card saved: later invoices are charged to it, and those whose charge failed are tried on
        it now (one paid on the provider's page just now has no failed attempt: never charged twice)."""
        profile = self._store.profile(event.advertiser_id)
        saved = replace(profile, has_card=True, provider_customer=event.customer or profile.provider_customer)
        if saved != profile:
            self._store.save_profile(saved)
            self._audit.record(
                PAYMENTS,
                event.advertiser_id,
                "billing.card_saved",
                f"advertiser:{event.advertiser_id}",
                {"has_card": profile.has_card},
                {"has_card": True, "event": event.event_id},
            )
        sub = self._book.current(event.advertiser_id)
        if sub.payment_method is not PaymentMethod.CARD:
            self._book.retrying(lambda: self._by_card(event.advertiser_id))
        if sub.state not in PAYING | {State.SUSPENDED}:
            return
        for invoice in self._store.invoices(event.advertiser_id):
            if invoice.status is InvoiceStatus.OPEN and invoice.attempts and not invoice.provider_payment:
                self._book.charge(invoice, saved)

    def _by_card(self, advertiser_id: str) -> None:
        sub = self._book.current(advertiser_id)
        if sub.payment_method is not PaymentMethod.CARD:
            self._book.write(
                sub, replace(sub, payment_method=PaymentMethod.CARD), PAYMENTS, "subscription.payment_method"
            )


def _checked_terms(terms: CustomTerms) -> CustomTerms:
    if not isinstance(terms.monthly_price, int) or isinstance(terms.monthly_price, bool):
        raise ValidationFailed("the monthly price must be a whole number of minor units (cents), 0 or more")
    if not 0 <= terms.monthly_price <= MAX_AMOUNT:
        raise ValidationFailed("the monthly price must be a whole number of minor units (cents), 0 or more")
    overage = terms.overage_per_1000
    if overage is not None and (
        not isinstance(overage, int) or isinstance(overage, bool) or not 0 <= overage <= MAX_AMOUNT
    ):
        raise ValidationFailed(
            "the price per 1,000 clicks over the limit must be a whole number, 0 or more, or empty"
        )
    note = terms.note.strip() if isinstance(terms.note, str) else ""
    if len(note) > 500:
        raise ValidationFailed("the note on the terms is at most 500 characters")
    return replace(terms, limits=checked_limits(terms.limits), note=note)


def _checked_profile(draft: ProfileDraft) -> ProfileDraft:
    fields = {
        "legal_name": (draft.legal_name, 200),
        "address": (draft.address, 500),
        "tax_id": (draft.tax_id, 50),
        "email": (draft.email, 254),
    }
    clean: dict[str, str] = {}
    for name, (value, longest) in fields.items():
        text = value.strip() if isinstance(value, str) else ""
        if len(text) > longest:
            raise ValidationFailed(f"the {name.replace('_', ' ')} is at most {longest} characters")
        clean[name] = text
    if clean["email"] and ("@" not in clean["email"] or any(c.isspace() for c in clean["email"])):
        raise ValidationFailed("the billing e-mail address is not an address")
    if draft.locale not in ("en", "ru"):
        raise ValidationFailed("invoices are written in Russian (ru) or English (en)")
    return ProfileDraft(**clean, locale=draft.locale, payment_method=PaymentMethod(draft.payment_method))
