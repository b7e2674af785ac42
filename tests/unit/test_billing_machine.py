"""SaaS billing as a state machine (hypothesis): time passing by the second or by weeks, plans chosen,
upgraded and downgraded by month and by year, cancellations and their undoing, usage that blocks a
downgrade, cards saved and payment methods switched, the provider's charges and pages that succeed or
fail, their webhooks delivered late, out of order and again, the Owner's bank transfers, the hourly
run rerun at will, and a process that dies right after any write. After every step:

- no two live invoices bill one period of one kind (a period's subscription, an upgrade's instant,
  a month's overage);
- each period's subscription and proration invoices (with the credit a month left for a year gives
  back) sum to the exact time-weighted price of the plans it was on, rounded once: the model prices
  each plan from the catalogue, not from what billing stored;
- every state the store was written in follows an allowed move;
- an invoice once issued keeps its lines and total, and once paid stays paid;
- a failed payment counts once on its invoice, however often it is told;
- nothing is told twice;
- billing never touches what the advertiser has and tracks: its usage and clicks, recorded whatever
  the subscription's state (suspended too), are as recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from partnerka.billing.book import TRANSITIONS
from partnerka.billing.catalogue import default_plans
from partnerka.billing.models import (
    Interval,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Limit,
    PaymentMethod,
    PlatformInvoice,
    Subscription,
    SubscriptionState,
    period_price,
    round_half_up,
)
from partnerka.billing.payments import ChargeFailed, PaymentEvent, PaymentEventKind, PaymentProviderError
from partnerka.billing.repository import Commit, Committed
from partnerka.billing.subscriptions import ProfileDraft
from partnerka.common.clock import iso_millis, parse_iso
from partnerka.common.errors import DomainError
from tests.conftest import examples
from tests.unit.fakes import ADVERTISER, FakeBillingStore
from tests.unit.test_subscriptions import BOSS, OWNER, START, Billing

MONTHLY_USD = {plan.code: plan.monthly_prices.get("USD", 0) for plan in default_plans()}
PLANS = ("starter", "pro", "business")


class WatchedStore(FakeBillingStore):
    """The fake store, noting every state a subscription is written in after the one before it."""

    def __init__(self) -> None:
        super().__init__()
        self.moves: list[tuple[SubscriptionState, SubscriptionState]] = []

    def commit(self, commit: Commit) -> Committed:
        before = self.subs.get(commit.advertiser_id)
        try:
            return super().commit(commit)
        finally:  # a crash right after the write wrote it all the same
            after = self.subs.get(commit.advertiser_id)
            if before is not None and after is not None and before.state is not after.state:
                self.moves.append((before.state, after.state))


@dataclass
class Period:
    """The model of one billed period: when each plan began in it (at its catalogue price)."""

    start: datetime
    end: datetime
    segments: list[tuple[datetime, int]]
    cut_at: datetime | None = None  # a month left for a year ends here

    def exact(self) -> Fraction:
        length = int((self.end - self.start).total_seconds())
        stop = min(self.cut_at or self.end, self.end)
        total = 0
        for index, (began, price) in enumerate(self.segments):
            until = self.segments[index + 1][0] if index + 1 < len(self.segments) else stop
            total += price * max(int((min(until, stop) - began).total_seconds()), 0)
        return Fraction(total, length)


def _period_of(billed: Subscription | PlatformInvoice) -> tuple[str, str]:
    return billed.period_start, billed.period_end


def model_price(plan: str, interval: Interval) -> int:
    return period_price(MONTHLY_USD[plan], interval)


class BillingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = WatchedStore()
        self.world = Billing(START, store=self.store)
        self.world.advertiser()
        self.world.service.start_trial(ADVERTISER)
        self.periods: dict[tuple[str, str], Period] = {}
        self.webhooks: list[PaymentEvent] = []
        self.decided: set[str] = set()  # payments and pages the provider has decided
        self.issued: dict[str, tuple[tuple[InvoiceLine, ...], int]] = {}
        self.paid: set[str] = set()
        self.failed: dict[str, set[str]] = {}  # invoice → the failures told while it was open
        self.usage: dict[Limit, int] = {}
        self.clicks: dict[str, int] = {}

    # ------------------------------------------------------------------------------ helpers
    @property
    def now(self) -> datetime:
        return self.world.clock.at

    def sub(self) -> Subscription:
        return self.world.service.current(ADVERTISER)

    def invoices(self) -> list[PlatformInvoice]:
        return self.world.store.invoices(ADVERTISER)

    def _model_change(self, before: Subscription, at: datetime) -> None:
        """What the change just made did, in the model: a new period, or a new plan within one."""
        after = self.world.store.subscription(ADVERTISER)
        if after is None or after.revision == before.revision:
            return
        was, now = _period_of(before), _period_of(after)
        if now != was:  # a new period (one of the same dates voided before is replaced)
            old = self.periods.get(was)
            if old is not None and before.interval is Interval.MONTH and after.interval is Interval.YEAR:
                old.cut_at = at
            self.periods[now] = Period(
                parse_iso(after.period_start),
                parse_iso(after.period_end),
                [(at, model_price(after.plan_code, after.interval))],
            )
        elif now == was and after.price != before.price and now in self.periods:
            self.periods[now].segments.append((at, model_price(after.plan_code, after.interval)))

    def _sync(self) -> None:
        """Periods the run began (a trial's end, a renewal), modelled from their invoices' plan."""
        for invoice in self.invoices():
            if invoice.kind is InvoiceKind.SUBSCRIPTION and _period_of(invoice) not in self.periods:
                self.periods[_period_of(invoice)] = Period(
                    parse_iso(invoice.period_start),
                    parse_iso(invoice.period_end),
                    [(parse_iso(invoice.period_start), model_price(invoice.plan_code, invoice.interval))],
                )

    def _quietly(self, action: Callable[[], object]) -> None:
        """Run a call as the platform would: a refusal is an answer, and so is the crash the machine
        set up (right after a write); any other failure is a bug."""
        armed = self.store.crash_after_commits is not None
        try:
            action()
        except DomainError:
            pass
        except (ConnectionError, RuntimeError):
            if not armed:
                raise

    # -------------------------------------------------------------------------------- rules
    @initialize(card=st.booleans())
    def the_advertiser_starts(self, card: bool) -> None:
        """Half the advertisers save a card during the trial, so charges and their webhooks abound."""
        if card:
            self.world.card_saved()

    @rule(seconds=st.integers(1, 3600))
    def a_moment_passes(self, seconds: int) -> None:
        self.world.clock.at += timedelta(seconds=seconds)

    @rule(days=st.integers(1, 20), hours=st.integers(0, 23))
    def days_pass(self, days: int, hours: int) -> None:
        self.world.clock.at += timedelta(days=days, hours=hours)

    @rule(days=st.integers(1, 16))
    def days_pass_with_the_schedule_running_each_day(self, days: int) -> None:
        for _ in range(days):
            self.world.clock.at += timedelta(days=1)
            self._quietly(self.world.run.run)
        self._sync()

    @rule(runs=st.integers(1, 3))
    def the_schedule_runs(self, runs: int) -> None:
        for _ in range(runs):
            self._quietly(self.world.run.run)
        self._sync()

    @rule()
    def the_next_write_is_the_last_before_a_crash(self) -> None:
        self.store.crash_after_commits = 0

    @rule(plan=st.sampled_from(PLANS), interval=st.sampled_from(Interval))
    def the_advertiser_changes_plan(self, plan: str, interval: Interval) -> None:
        self._sync()
        before = self.sub()
        at = self.now
        self._quietly(lambda: self.world.service.change(ADVERTISER, plan, interval, BOSS))
        self._model_change(before, at)
        self._sync()

    @rule()
    def the_advertiser_cancels(self) -> None:
        self._quietly(lambda: self.world.service.cancel(ADVERTISER, BOSS))

    @rule()
    def the_advertiser_resumes(self) -> None:
        self._quietly(lambda: self.world.service.resume(ADVERTISER, BOSS))

    @rule(offers=st.integers(0, 30), domains=st.integers(0, 2))
    def usage_moves(self, offers: int, domains: int) -> None:
        self.usage = {Limit.ACTIVE_OFFERS: offers, Limit.CUSTOM_DOMAINS: domains}
        self.world.usage.used[ADVERTISER] = dict(self.usage)

    @rule(clicks=st.integers(0, 3_000_000))
    def affiliates_send_clicks(self, clicks: int) -> None:
        month = f"{self.now.year:04d}-{self.now.month:02d}"
        self.clicks[month] = self.clicks.get(month, 0) + clicks
        self.world.clicks.counted[(ADVERTISER, month)] = self.clicks[month]

    @rule()
    def a_card_is_saved(self) -> None:
        self._quietly(self.world.card_saved)

    @rule(answer=st.sampled_from(["charges", "no card on file", "out of reach"]))
    def the_provider_answers_charges(self, answer: str) -> None:
        """Whether the provider takes charges, has no card to charge, or cannot be reached."""
        refusals = {"no card on file": ChargeFailed(answer), "out of reach": PaymentProviderError(answer)}
        self.world.provider.refusing = refusals.get(answer)

    @rule(method=st.sampled_from(PaymentMethod))
    def the_payment_method_changes(self, method: PaymentMethod) -> None:
        draft = ProfileDraft("Acme", "", "", "", "en", method)
        self._quietly(lambda: self.world.service.save_profile(ADVERTISER, draft, BOSS))

    @rule(data=st.data(), succeeds=st.booleans(), at_once=st.booleans())
    def the_provider_decides_a_payment(self, data: st.DataObject, succeeds: bool, at_once: bool) -> None:
        """A charge of the saved card, or the provider's page, paid or declined (once each)."""
        tries = [(payment, invoice) for payment, invoice in self.world.provider.charged.items()]
        tries += [(f"page.{invoice}", invoice) for invoice in self.world.provider.checkouts]
        undecided = [entry for entry in tries if entry[0] not in self.decided]
        if not undecided:
            return
        payment, invoice_id = data.draw(st.sampled_from(undecided))
        self.decided.add(payment)
        if payment.startswith("page.") and not succeeds:
            return  # a page left unpaid tells nothing
        told = PaymentEvent(
            event_id=f"evt_{len(self.webhooks)}",
            kind=PaymentEventKind.INVOICE_PAID if succeeds else PaymentEventKind.PAYMENT_FAILED,
            advertiser_id=ADVERTISER,
            invoice_id=invoice_id,
            payment_reference=payment,
            customer="cus_1",
            occurred_at=iso_millis(self.now),
            failure_reason=None if succeeds else "card_declined",
        )
        self.webhooks.append(told)
        if at_once:  # else it is told only later, after whatever the provider tells next
            self._deliver(told)

    @precondition(lambda self: bool(self.webhooks))
    @rule(data=st.data(), times=st.integers(1, 2))
    def a_webhook_is_delivered(self, data: st.DataObject, times: int) -> None:
        """Any one told so far, in any order, as often as the provider retries it."""
        event = data.draw(st.sampled_from(self.webhooks))
        for _ in range(times):
            self._deliver(event)

    def _deliver(self, event: PaymentEvent) -> None:
        assert event.invoice_id is not None
        before = self.world.store.invoice(ADVERTISER, event.invoice_id)
        self._quietly(lambda: self.world.service.apply_payment(event))
        if event.kind is PaymentEventKind.PAYMENT_FAILED and before and before.status is InvoiceStatus.OPEN:
            self.failed.setdefault(event.invoice_id, set()).add(event.event_id)

    @rule(data=st.data())
    def the_owner_confirms_a_transfer(self, data: st.DataObject) -> None:
        open_ones = [i for i in self.invoices() if i.status is InvoiceStatus.OPEN]
        if not open_ones:
            return
        invoice = data.draw(st.sampled_from(open_ones))
        self._quietly(lambda: self.world.service.mark_paid(ADVERTISER, invoice.invoice_id, "transfer", OWNER))

    # ---------------------------------------------------------------------------- invariants
    @invariant()
    def no_two_live_invoices_bill_one_period(self) -> None:
        live = [i for i in self.invoices() if i.status is not InvoiceStatus.VOID]
        # an upgrade bills the rest of a period from its instant: two upgrades in one second are two
        keys = [(i.kind, i.period_start, i.period_end, i.plan_code) for i in live]
        assert len(keys) == len(set(keys)), keys
        subscription_periods = [k[1:3] for k in keys if k[0] is not InvoiceKind.PRORATION]
        assert len(subscription_periods) == len(set(subscription_periods)), subscription_periods

    @invariant()
    def each_period_sums_to_its_exact_price_rounded_once(self) -> None:
        invoices = [i for i in self.invoices() if i.status is not InvoiceStatus.VOID]
        starting = {_period_of(i): i for i in invoices if i.kind is InvoiceKind.SUBSCRIPTION}
        for (start, _), subscription in starting.items():
            period = self.periods.get(_period_of(subscription))
            assert period is not None, f"a period nobody modelled: {start}"
            billed = sum(line.amount for line in subscription.lines if line.amount > 0)
            billed += sum(
                i.total
                for i in invoices
                if i.kind is InvoiceKind.PRORATION
                and i.period_end == subscription.period_end
                and start <= i.period_start < subscription.period_end
            )
            if period.cut_at is not None:  # the year that followed credits what the month did not use
                cut = iso_millis(period.cut_at)
                billed += sum(
                    line.amount
                    for following in starting.values()
                    if following.period_start == cut
                    for line in following.lines
                    if line.amount < 0
                )
            assert billed == round_half_up(period.exact()), (start, billed, period)

    @invariant()
    def states_move_only_as_allowed(self) -> None:
        for before, after in self.store.moves:
            assert after in TRANSITIONS[before], (before, after)

    @invariant()
    def an_issued_invoice_never_changes_what_it_bills_and_a_paid_one_stays_paid(self) -> None:
        for invoice in self.invoices():
            billed = (invoice.lines, invoice.total)
            assert self.issued.setdefault(invoice.invoice_id, billed) == billed
            if invoice.invoice_id in self.paid:
                assert invoice.status is InvoiceStatus.PAID
            if invoice.status is InvoiceStatus.PAID:
                self.paid.add(invoice.invoice_id)

    @invariant()
    def a_failed_payment_counts_once_however_often_it_is_told(self) -> None:
        """Each failure the provider told of an open invoice, and each charge it could not attempt
        (no card on file), is one failed attempt on it: never more, whatever came twice."""
        no_card = [
            invoice for invoice, raised in self.world.provider.refused if isinstance(raised, ChargeFailed)
        ]
        for invoice in self.invoices():
            told = len(self.failed.get(invoice.invoice_id, ()))
            assert invoice.attempts == told + no_card.count(invoice.invoice_id), invoice.invoice_id

    @invariant()
    def nothing_is_told_twice(self) -> None:
        told = [event.event_id for event in self.world.notices.sent]
        assert len(told) == len(set(told))

    @invariant()
    def what_the_advertiser_has_and_tracks_is_untouched(self) -> None:
        assert self.world.usage.used.get(ADVERTISER, {}) == self.usage
        for month, clicks in self.clicks.items():
            assert self.world.clicks.counted[(ADVERTISER, month)] == clicks


BillingMachine.TestCase.settings = settings(
    max_examples=examples(30, 600),
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestBillingMachine = BillingMachine.TestCase
