"""The billing run's moves on one subscription: what falls due with time, not with a person.

- A trial's end: its first period billed (the one chosen during the trial, or a month of the trial
  plan from its end), charged to the saved card or awaited by bank transfer (`active`); with
  neither, `past_due`. A trial cancelled ends `canceled`, its unpaid choice void.
- A period's end: the next period billed at the plan's current version (or the change that waited
  for it), from the period's end (periods that passed while suspended are not billed); cancelled,
  `canceled`.
- Past due: reminders on REMINDER_DAYS, `suspended` after DUNNING_DAYS.
- An open invoice: told to the team once; charged to the saved card (again after each reminder,
  while past due); `past_due` once overdue; a canceled subscription's unpaid new choice void.
- A month's clicks over the plan's limit, at its price per 1,000: an OVERAGE invoice.

Each move is one conditional write (billing.book), and every notice's id is the business key of
what it tells, so the run may repeat any of them: what is done is found done.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from partnerka.audit.service import AuditTrail
from partnerka.billing.book import (
    PAYING,
    SCHEDULE,
    AdvertiserRecord,
    State,
    SubscriptionBook,
    invoice_data,
    period_around,
    plan_data,
    suspends_at,
    whole_second,
)
from partnerka.billing.catalogue import DEFAULT_CURRENCY, TRIAL_PLAN
from partnerka.billing.invoices import instant_key, locale_of, new_invoice, overage_line
from partnerka.billing.models import (
    DUNNING_DAYS,
    REMINDER_DAYS,
    Interval,
    InvoiceKind,
    InvoiceStatus,
    PaymentMethod,
    PlatformInvoice,
    Subscription,
    minimum_overage,
    overage_amount,
    period_end,
)
from partnerka.billing.plans import PlanCatalogue
from partnerka.billing.repository import AlreadyRecorded, BillingChanged, BillingStore, Commit
from partnerka.common.clock import iso_millis, parse_iso
from partnerka.notifications.events import Event, EventType, Notices

TRIAL_ENDING_DAYS = 3  # the team is told this long before its trial ends


class Renewals:
    def __init__(
        self,
        book: SubscriptionBook,
        store: BillingStore,
        plans: PlanCatalogue,
        audit: AuditTrail,
        notices: Notices,
    ) -> None:
        self._book = book
        self._audit = audit
        self._store = store
        self._plans = plans
        self._notices = notices

    def adopt(self, advertiser: AdvertiserRecord, at: datetime) -> None:
        """Store the trial of an advertiser the run has not seen yet, so the run carries it on like
        any other. It starts at the advertiser's creation, but never before the run first saw it: an
        advertiser that came before billing did gets its fourteen days from then, not an invoice at
        once and a suspension two weeks later."""
        if self._store.subscription(advertiser.id) is not None:
            return
        trial = self._book.trial(
            advertiser.id,
            max(whole_second(parse_iso(advertiser.created_at)), whole_second(at)),
            self._plans.current(TRIAL_PLAN),
            DEFAULT_CURRENCY,
        )
        with suppress(BillingChanged, AlreadyRecorded):  # stored meanwhile, by its own first change
            self._book.write(trial, trial, SCHEDULE, "subscription.trialing")

    def advance(self, advertiser_id: str, at: datetime | None = None) -> None:
        """Carry the subscription to where it stands at `at`: a trial ended, a period renewed (or
        ended by a cancellation), a reminder of an unpaid invoice, a suspension. Safe to repeat."""
        when = self._book.at(at)
        for _ in range(4):  # a trial that ended, then its first period that ended too, ...
            if not self._book.retrying(lambda: self._step(advertiser_id, when)):
                return

    def _step(self, advertiser_id: str, at: datetime) -> bool:
        """One move that is due; False when none is."""
        sub = self._book.current(advertiser_id)
        if sub.state is State.TRIALING:
            trial_end = parse_iso(sub.trial_end or sub.period_end)
            if at < trial_end:
                self._tell_trial_ending(sub, trial_end, at)
                return False
            if sub.cancel_at_period_end:
                self._end(sub, trial_end, at)
            else:
                self._end_trial(sub, at)
            return True
        ended = at >= parse_iso(sub.period_end)
        if sub.state in PAYING and ended:
            if sub.cancel_at_period_end:
                self._end(sub, parse_iso(sub.period_end), at)
            else:
                self._renew(sub, at)
            return True
        if sub.state is State.SUSPENDED and ended and sub.cancel_at_period_end:
            self._end(sub, parse_iso(sub.period_end), at)
            return True
        if sub.state is State.PAST_DUE and sub.past_due_since:
            return self._dun(sub, parse_iso(sub.past_due_since), at)
        return False

    def _tell_trial_ending(self, sub: Subscription, trial_end: datetime, at: datetime) -> None:
        if sub.period_cost or at < trial_end - timedelta(days=TRIAL_ENDING_DAYS):
            return  # chosen already (its invoice is told), or not that close yet
        name = f"trial-ending#{sub.trial_end}"
        if self._store.marked(sub.advertiser_id, name):
            return
        self._notices.send(
            self._book.event(
                f"trial-ending.{sub.advertiser_id}.{instant_key(trial_end)}",
                EventType.TRIAL_ENDING,
                sub.advertiser_id,
                at,
                {**plan_data(self._book.plan_of(sub)), "trial_end": sub.trial_end},
            )
        )
        self._store.mark(sub.advertiser_id, name, iso_millis(at))

    def _end(self, sub: Subscription, ended: datetime, at: datetime) -> None:
        """A cancellation takes effect: a trial's unpaid choice is void (it was never used)."""
        voided: tuple[tuple[PlatformInvoice, PlatformInvoice], ...] = ()
        if sub.state is State.TRIALING:
            voided = tuple(
                (invoice, replace(invoice, status=InvoiceStatus.VOID))
                for invoice in self._store.invoices(sub.advertiser_id)
                if invoice.status is InvoiceStatus.OPEN
            )
        after = replace(
            sub,
            state=State.CANCELED,
            canceled_at=iso_millis(ended),
            cancel_at_period_end=False,
            pending=None,
            past_due_since=None,
            reminders_sent=0,
            updated_at=iso_millis(at),
        )
        self._book.write(sub, after, SCHEDULE, "subscription.canceled", (), voided, at)

    def _end_trial(self, sub: Subscription, at: datetime) -> None:
        """A trial's end: the period chosen during it, or a month of the trial plan from its end, is
        billed; a card or a bank transfer pays it (`active`), with neither it is `past_due`."""
        invoices: tuple[PlatformInvoice, ...] = ()
        after = sub
        if not sub.period_cost:  # nothing chosen: the trial plan goes on, a month at a time
            plan = self._plans.current(sub.plan_code)
            monthly = self._book.monthly(plan, sub)
            if monthly is None:
                monthly = self._book.monthly(self._plans.current(TRIAL_PLAN), sub) or 0
                plan = self._plans.current(TRIAL_PLAN)
            anchor = parse_iso(sub.trial_end or sub.period_end)
            start, end = period_around(anchor, Interval.MONTH, anchor.day, at)
            invoice, after = self._book.billed_period(
                sub, plan, Interval.MONTH, monthly, (start, end), anchor.day, instant_key(start), at
            )
            invoices = (invoice,)
        first = (
            invoices[0]
            if invoices
            else next(
                (
                    invoice
                    for invoice in self._store.invoices(sub.advertiser_id)
                    if invoice.status is InvoiceStatus.OPEN and invoice.period_start == sub.period_start
                ),
                None,
            )
        )
        billed = invoice_data(first) if first else {}
        can_pay = (
            sub.payment_method is PaymentMethod.BANK_TRANSFER
            or self._store.profile(sub.advertiser_id).has_card
        )
        events: list[Event] = []
        if can_pay:
            after = replace(after, state=State.ACTIVE, updated_at=iso_millis(at))
        else:
            after = replace(
                after,
                state=State.PAST_DUE,
                past_due_since=iso_millis(at),
                reminders_sent=0,
                updated_at=iso_millis(at),
            )
            events.append(
                self._book.event(
                    f"payment-failed.{sub.advertiser_id}.trial.{instant_key(parse_iso(sub.trial_end or sub.period_end))}",
                    EventType.PAYMENT_FAILED,
                    sub.advertiser_id,
                    at,
                    {
                        **billed,
                        **plan_data(self._book.plan_of(after)),
                        "reason": "no card saved",
                        "suspends_at": suspends_at(after),
                    },
                )
            )
        self._book.write(sub, after, SCHEDULE, "subscription.trial_ended", invoices, (), at, events=events)

    def _renew(self, sub: Subscription, at: datetime) -> None:
        """The next period, at the plan's current version (or the change waiting for it), billed from
        the period's end; periods missed while suspended are not billed."""
        pending = sub.pending
        plan = self._plans.current(pending.plan_code if pending else sub.plan_code)
        interval = pending.interval if pending else sub.interval
        monthly = self._book.monthly(plan, sub)
        if monthly is None:  # the plan lost this currency: its version billed so far goes on
            plan = self._plans.version(sub.plan_code, sub.plan_version)
            monthly = self._book.monthly(plan, sub) or 0
        anchor = sub.anchor_day or parse_iso(sub.period_start).day
        start, end = period_around(parse_iso(sub.period_end), interval, anchor, at)
        invoice, renewed = self._book.billed_period(
            sub, plan, interval, monthly, (start, end), anchor, instant_key(start), at
        )
        self._book.write(sub, renewed, SCHEDULE, "subscription.renewed", (invoice,), (), at)

    def _dun(self, sub: Subscription, since: datetime, at: datetime) -> bool:
        if at >= since + timedelta(days=DUNNING_DAYS):
            suspended = replace(sub, state=State.SUSPENDED, updated_at=iso_millis(at))
            told = self._book.event(
                f"suspended.{sub.advertiser_id}.{instant_key(since)}",
                EventType.SUBSCRIPTION_SUSPENDED,
                sub.advertiser_id,
                at,
                {**self._book.unpaid(sub.advertiser_id), "past_due_since": sub.past_due_since},
            )
            self._book.write(sub, suspended, SCHEDULE, "subscription.suspended", (), (), at, events=[told])
            return True
        due = sum(1 for day in REMINDER_DAYS if at >= since + timedelta(days=day))
        if due <= sub.reminders_sent:
            return False
        reminded = replace(sub, reminders_sent=due, updated_at=iso_millis(at))
        told = self._book.event(
            f"payment-reminder.{sub.advertiser_id}.{instant_key(since)}.{due}",
            EventType.PAYMENT_REMINDER,
            sub.advertiser_id,
            at,
            {
                **self._book.unpaid(sub.advertiser_id),
                "past_due_since": sub.past_due_since,
                "suspends_at": suspends_at(sub),
                "reminder": due,
            },
        )
        self._book.write(
            sub, reminded, SCHEDULE, "subscription.reminded", (), (), at, events=[told], audit=False
        )
        return True

    def settle(self, invoice: PlatformInvoice, at: datetime | None = None) -> None:
        """An open invoice's follow-ups, each once: the team told of it, the saved card charged (again
        after each reminder, while past due), the subscription `past_due` once it is overdue, and a
        canceled subscription's unpaid new choice void."""
        when = self._book.at(at)
        self._book.retrying(lambda: self._settle_open(invoice.advertiser_id, invoice.invoice_id, when))

    def _settle_open(self, advertiser_id: str, invoice_id: str, at: datetime) -> None:
        invoice = self._store.invoice(advertiser_id, invoice_id)
        if invoice is None or invoice.status is not InvoiceStatus.OPEN:
            return
        if not invoice.announced:
            self._notices.send(
                self._book.event(
                    f"invoice-issued.{invoice_id}",
                    EventType.SUBSCRIPTION_INVOICE,
                    advertiser_id,
                    parse_iso(invoice.issued_at),
                    invoice_data(invoice),
                )
            )
            announced = replace(invoice, announced=True)
            self._store.commit(Commit(advertiser_id, changed_invoices=((invoice, announced),)))
            invoice = announced
        sub = self._book.current(advertiser_id)
        overdue = at >= parse_iso(invoice.due_at)
        if sub.state is State.CANCELED:
            if overdue and sub.canceled_at and invoice.period_start >= sub.canceled_at:
                void = replace(invoice, status=InvoiceStatus.VOID)
                self._store.commit(Commit(advertiser_id, changed_invoices=((invoice, void),)))
                self._audit.record(SCHEDULE, advertiser_id, "invoice.void", f"invoice:{invoice_id}")
            return
        charging = bool(invoice.provider_payment)
        if (
            sub.state in PAYING
            and sub.payment_method is PaymentMethod.CARD
            and not charging
            and invoice.attempts <= sub.reminders_sent
        ):
            profile = self._store.profile(advertiser_id)
            if profile.has_card:
                self._book.charge(invoice, profile)
                charging = True
        # A charge in flight is the provider's to settle: its webhook says paid or failed.
        if overdue and sub.state is State.ACTIVE and not charging:
            late = replace(
                sub,
                state=State.PAST_DUE,
                past_due_since=iso_millis(at),
                reminders_sent=0,
                updated_at=iso_millis(at),
            )
            told = self._book.event(
                f"overdue.{invoice_id}.{instant_key(at)}",
                EventType.PAYMENT_REMINDER,
                advertiser_id,
                at,
                {**invoice_data(invoice), "reminder": 0, "suspends_at": suspends_at(late)},
            )
            self._book.write(sub, late, SCHEDULE, "subscription.overdue", (), (), at, events=[told])

    def issue_overage(
        self, advertiser_id: str, month: str, clicks: int, at: datetime | None = None
    ) -> PlatformInvoice | None:
        """The month's clicks over the plan's limit, at its price per 1,000 (rounded once); None when
        none are over, the plan has no such price, the amount is less than an invoice bills
        (MINIMUM_OVERAGE: not billed, not carried), or the month is billed already."""
        when = self._book.at(at)
        entitled = self._book.entitlements(advertiser_id)
        allowed = entitled.limits.clicks_per_month
        per_1000 = entitled.overage_per_1000
        if allowed is None or per_1000 is None or entitled.state not in PAYING or clicks <= allowed:
            return None
        over = clicks - allowed
        amount = overage_amount(over, per_1000)
        if amount < max(minimum_overage(entitled.currency), 1):
            return None
        sub = self._book.current(advertiser_id)
        profile = self._store.profile(advertiser_id)
        first = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
        line = overage_line(month, allowed, over, per_1000, sub.currency, amount, locale_of(profile))
        invoice = new_invoice(
            InvoiceKind.OVERAGE,
            advertiser_id,
            month,
            (first, period_end(first, Interval.MONTH)),
            sub.currency,
            (line,),
            sub.plan_code,
            sub.interval,
            when,
            profile,
        )
        try:
            committed = self._store.commit(Commit(advertiser_id, new_invoices=(invoice,)))
        except AlreadyRecorded:
            return None
        self._audit.record(
            SCHEDULE,
            advertiser_id,
            "invoice.overage",
            f"invoice:{invoice.invoice_id}",
            None,
            {"clicks": clicks, "total": amount},
        )
        return committed.invoices[0]
