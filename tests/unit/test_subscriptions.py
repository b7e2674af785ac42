"""Subscriptions as advertisers, the Owner and the payment provider change them: the trial, choosing a
plan, upgrades billed for the rest of the period (their sum exact to the minor unit), downgrades and
cancellations at the period's end (refused over the lower plan's limits), custom terms, bank transfers
marked paid, and the provider's webhooks redelivered and out of order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from partnerka.accounts.models import Advertiser
from partnerka.audit.service import Actor
from partnerka.billing.book import suspends_at
from partnerka.billing.catalogue import seed_plans
from partnerka.billing.limits import Excess
from partnerka.billing.metrics import BillingOverview
from partnerka.billing.models import (
    CustomTerms,
    Interval,
    InvoiceKind,
    InvoiceStatus,
    Limit,
    PaymentMethod,
    PlanLimits,
    PlatformInvoice,
    SubscriptionState,
    round_half_up,
)
from partnerka.billing.payments import PaymentEvent, PaymentEventKind
from partnerka.billing.plans import PlanCatalogue, PlanDraft
from partnerka.billing.renewals import Renewals
from partnerka.billing.run import BillingRun
from partnerka.billing.subscriptions import (
    CheckoutSettings,
    DowngradeRefused,
    ProfileDraft,
    SubscriptionService,
)
from partnerka.common.clock import iso_millis
from partnerka.common.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from partnerka.notifications.events import EventType
from tests.unit.fakes import (
    ADVERTISER,
    FakeAccounts,
    FakeAudit,
    FakeBillingStore,
    FakeClicksMeter,
    FakeClock,
    FakeNotices,
    FakePaymentProvider,
    FakeUsage,
)

START = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
BOSS = Actor("user-boss", "boss@acme.test")
OWNER = Actor("user-owner", "owner@platform.test")
State = SubscriptionState


class Billing:
    """SaaS billing's services over one set of fakes, with a clock the test moves."""

    def __init__(
        self, at: datetime = START, seeded: bool = True, store: FakeBillingStore | None = None
    ) -> None:
        self.clock = FakeClock(at)
        self.store = store or FakeBillingStore()
        self.accounts = FakeAccounts()
        self.audit = FakeAudit()
        self.notices = FakeNotices()
        self.provider = FakePaymentProvider()
        self.usage = FakeUsage()
        self.clicks = FakeClicksMeter()
        if seeded:
            seed_plans(self.store, at)
        self.plans = PlanCatalogue(self.store, self.audit, self.clock.now)
        self.service = SubscriptionService(
            self.store,
            self.plans,
            self.accounts,
            self.provider,
            self.audit,
            self.notices,
            CheckoutSettings("https://app.partnerka.test"),
            self.usage,
            self.clock.now,
        )
        self.renewals = Renewals(self.service.book, self.store, self.plans, self.audit, self.notices)
        self.run = BillingRun(
            self.renewals,
            self.service.book,
            self.store,
            self.accounts,
            self.clicks,
            self.notices,
            self.clock.now,
        )
        self.overview = BillingOverview(self.store, self.accounts, self.clock.now)
        self._events = 0

    def advertiser(self, advertiser_id: str = ADVERTISER, created: datetime | None = None) -> str:
        self.accounts.add_advertiser(
            Advertiser(
                advertiser_id, f"Advertiser {advertiser_id[-2:]}", iso_millis(created or self.clock.at)
            )
        )
        return advertiser_id

    def later(self, **delta: float) -> datetime:
        self.clock.at += timedelta(**delta)
        return self.clock.at

    def paid_event(self, invoice: PlatformInvoice, event_id: str | None = None) -> PaymentEvent:
        self._events += 1
        return PaymentEvent(
            event_id=event_id or f"evt_{self._events}",
            kind=PaymentEventKind.INVOICE_PAID,
            advertiser_id=invoice.advertiser_id,
            invoice_id=invoice.invoice_id,
            payment_reference=f"pi_{invoice.invoice_id}",
            customer="cus_1",
            occurred_at=iso_millis(self.clock.at),
        )

    def failed_event(self, invoice: PlatformInvoice, event_id: str | None = None) -> PaymentEvent:
        self._events += 1
        return PaymentEvent(
            event_id=event_id or f"evt_{self._events}",
            kind=PaymentEventKind.PAYMENT_FAILED,
            advertiser_id=invoice.advertiser_id,
            invoice_id=invoice.invoice_id,
            payment_reference=f"pi_{invoice.invoice_id}",
            customer="cus_1",
            occurred_at=iso_millis(self.clock.at),
            failure_reason="card_declined",
        )

    def card_saved(self, advertiser_id: str = ADVERTISER) -> None:
        self._events += 1
        self.service.apply_payment(
            PaymentEvent(
                f"evt_{self._events}",
                PaymentEventKind.CARD_SAVED,
                advertiser_id,
                None,
                None,
                "cus_1",
                iso_millis(self.clock.at),
            )
        )

    def choose(
        self, plan: str, interval: Interval = Interval.MONTH, advertiser_id: str = ADVERTISER
    ) -> PlatformInvoice:
        """Choose a plan and pay its first invoice on the provider's page."""
        result = self.service.change(advertiser_id, plan, interval, BOSS)
        assert result.invoice is not None
        self.service.apply_payment(self.paid_event(result.invoice))
        return result.invoice

    def invoices(self, advertiser_id: str = ADVERTISER) -> list[PlatformInvoice]:
        return sorted(self.service.invoices(advertiser_id), key=lambda invoice: invoice.number)


@pytest.fixture
def billing() -> Billing:
    world = Billing()
    world.advertiser()
    return world


def state(billing: Billing, advertiser_id: str = ADVERTISER) -> State:
    return billing.service.current(advertiser_id).state


# ------------------------------------------------------------------------------------- the trial
def test_an_advertiser_with_no_subscription_stored_is_on_the_business_trial_since_it_was_created() -> None:
    world = Billing()
    world.advertiser(created=START - timedelta(days=3))

    sub = world.service.current(ADVERTISER)

    assert (sub.state, sub.plan_code, sub.currency, sub.revision) == (State.TRIALING, "business", "USD", 0)
    assert sub.trial_end == iso_millis(START + timedelta(days=11))
    assert world.store.subscription(ADVERTISER) is None  # read, not written
    assert world.service.entitlements(ADVERTISER).limits.active_offers == 100


def test_a_catalogue_never_seeded_still_has_its_default_plans() -> None:
    world = Billing(seeded=False)
    world.advertiser()

    assert [plan.code for plan in world.plans.public_plans()] == ["starter", "pro", "business", "enterprise"]
    assert world.service.entitlements(ADVERTISER).plan.version == 1


def test_a_trial_started_twice_is_stored_once_and_audited_once(billing: Billing) -> None:
    first = billing.service.start_trial(ADVERTISER, "pro", "eur")
    again = billing.service.start_trial(ADVERTISER, "starter", "USD")

    assert again == first
    assert (first.plan_code, first.currency, first.price, first.revision) == ("pro", "EUR", 13900, 1)
    assert billing.audit.actions() == ["subscription.trialing"]


def test_a_trial_of_a_contact_us_plan_or_in_a_currency_without_a_price_is_refused(billing: Billing) -> None:
    with pytest.raises(ValidationFailed, match="cannot be tried"):
        billing.service.start_trial(ADVERTISER, "enterprise")
    with pytest.raises(ValidationFailed, match="no price in GBP"):
        billing.service.start_trial(ADVERTISER, "pro", "GBP")


# ------------------------------------------------------------------------------------- choosing
def test_choosing_during_the_trial_bills_a_period_from_now_and_paying_it_makes_it_active(
    billing: Billing,
) -> None:
    billing.later(days=2)

    result = billing.service.change(ADVERTISER, "pro", "month", BOSS)

    invoice = result.invoice
    assert invoice is not None
    assert result.effective == "now"
    assert (invoice.kind, invoice.total, invoice.number, invoice.status) == (
        InvoiceKind.SUBSCRIPTION,
        14900,
        "P-2026-000001",
        InvoiceStatus.OPEN,
    )
    assert invoice.period_start == iso_millis(billing.clock.at)
    assert invoice.lines[0].description == "Pro plan, monthly: 9 Dec 2026 – 9 Jan 2027"
    assert result.checkout_url == "https://pay.example/cs_1"
    assert result.subscription.state is State.TRIALING  # until it is paid

    billing.service.apply_payment(billing.paid_event(invoice))

    sub = billing.service.current(ADVERTISER)
    assert (sub.state, sub.plan_code, sub.period_end) == (State.ACTIVE, "pro", "2027-01-09T10:00:00.000Z")
    assert billing.invoices()[0].status is InvoiceStatus.PAID
    assert "subscription.active" in billing.audit.actions()


def test_a_currency_is_chosen_with_the_plan_while_no_paid_period_runs(billing: Billing) -> None:
    result = billing.service.change(ADVERTISER, "pro", "month", BOSS, currency="eur")

    assert result.invoice is not None
    assert (result.invoice.currency, result.invoice.total) == ("EUR", 13900)
    assert result.subscription.currency == "EUR"
    billing.service.apply_payment(billing.paid_event(result.invoice))
    # a period paid in euros runs in euros: another currency waits for a new start
    with pytest.raises(ValidationFailed, match="billed in EUR"):
        billing.service.change(ADVERTISER, "business", "month", BOSS, currency="USD")
    assert billing.service.current(ADVERTISER).currency == "EUR"


def test_a_year_costs_twelve_months_less_twenty_percent(billing: Billing) -> None:
    result = billing.service.change(ADVERTISER, "pro", "year", BOSS)

    assert result.invoice is not None
    assert result.invoice.total == 143040  # 149.00 a month, 12 months, 20 % off
    assert result.subscription.period_end == "2027-12-07T10:00:00.000Z"


def test_choosing_again_during_the_trial_voids_the_unpaid_choice(billing: Billing) -> None:
    first = billing.service.change(ADVERTISER, "pro", "month", BOSS)
    again = billing.service.change(ADVERTISER, "pro", "month", BOSS)  # the page again, nothing new
    billing.later(hours=1)
    other = billing.service.change(ADVERTISER, "business", "month", BOSS)

    assert again.invoice == first.invoice
    assert first.invoice is not None
    assert other.invoice is not None
    statuses = {invoice.invoice_id: invoice.status for invoice in billing.invoices()}
    assert statuses == {
        first.invoice.invoice_id: InvoiceStatus.VOID,
        other.invoice.invoice_id: InvoiceStatus.OPEN,
    }


def test_a_bank_transfer_payer_gets_no_page_and_its_invoice_is_due_in_fourteen_days(billing: Billing) -> None:
    billing.service.save_profile(
        ADVERTISER,
        ProfileDraft(
            "Acme LLC", "1 Main St", "7701234567", "billing@acme.test", "ru", PaymentMethod.BANK_TRANSFER
        ),
        BOSS,
    )

    result = billing.service.change(ADVERTISER, "starter", "month", BOSS)

    assert result.checkout_url is None
    assert result.invoice is not None
    assert result.invoice.due_at == iso_millis(START + timedelta(days=14))
    assert result.invoice.lines[0].description == "Тариф Starter, помесячно: 07.12.2026 – 07.01.2027"
    assert result.invoice.buyer is not None
    assert result.invoice.buyer.tax_id == "7701234567"


def test_plans_that_cannot_be_chosen_are_refused_with_what_to_do(billing: Billing) -> None:
    with pytest.raises(ValidationFailed, match="contact us"):
        billing.service.change(ADVERTISER, "enterprise", "month", BOSS)
    with pytest.raises(NotFound):
        billing.service.change(ADVERTISER, "platinum", "month", BOSS)
    billing.plans.create(
        "staff",
        PlanDraft("Staff", billing.plans.current("pro").limits, {"USD": 0}, public=False),
        OWNER,
    )
    with pytest.raises(NotFound):
        billing.service.change(ADVERTISER, "staff", "month", BOSS)


# ------------------------------------------------------------------------------------ upgrading
def test_upgrades_within_a_period_sum_to_its_exact_price_rounded_once(billing: Billing) -> None:
    # Given Starter monthly from START, then Pro 3 days and 1,000 s in, then Business 10 days and 500 s in
    billing.service.save_profile(
        ADVERTISER, ProfileDraft("", "", "", "", "en", PaymentMethod.BANK_TRANSFER), BOSS
    )
    starter = billing.service.change(ADVERTISER, "starter", "month", BOSS).invoice
    assert starter is not None
    billing.service.mark_paid(ADVERTISER, starter.invoice_id, "T-1", OWNER)
    length = 31 * 86400
    t1, t2 = 260_200, 864_500
    billing.clock.at = START + timedelta(seconds=t1)
    pro = billing.service.change(ADVERTISER, "pro", "month", BOSS)
    billing.clock.at = START + timedelta(seconds=t2)
    business = billing.service.change(ADVERTISER, "business", "month", BOSS)

    # Then the period's invoices sum to the time-weighted price, rounded once
    exact = Fraction(4900 * t1 + 14900 * (t2 - t1) + 39900 * (length - t2), length)
    assert sum(invoice.total for invoice in billing.invoices()) == round_half_up(exact) == 30859
    # (rounding each upgrade on its own would have billed 30860)
    assert pro.invoice is not None
    assert business.invoice is not None
    assert [pro.invoice.kind, business.invoice.kind] == [InvoiceKind.PRORATION] * 2
    assert business.invoice.lines[0].description.startswith("Change from Pro to Business for the rest")
    assert billing.service.current(ADVERTISER).price == 39900


def test_an_upgrade_is_charged_to_the_saved_card_at_once(billing: Billing) -> None:
    billing.choose("starter")
    billing.card_saved()
    billing.later(days=10)

    result = billing.service.change(ADVERTISER, "pro", "month", BOSS)

    assert result.checkout_url is None
    assert result.invoice is not None
    assert billing.provider.charges == [f"pi_{result.invoice.invoice_id}_0"]
    assert billing.service.invoice(ADVERTISER, result.invoice.invoice_id).provider_payment is not None


def test_a_month_left_for_a_year_starts_the_year_now_crediting_the_unused_month(billing: Billing) -> None:
    billing.choose("pro")
    billing.clock.at = START + timedelta(days=31 * 0.25)  # a quarter of December's period used

    result = billing.service.change(ADVERTISER, "pro", "year", BOSS)

    assert result.invoice is not None
    assert result.effective == "now"
    year, credit = result.invoice.lines
    assert (year.amount, credit.amount) == (143040, -11175)  # 75 % of 149.00 back
    assert result.invoice.total == 143040 - 11175
    assert result.subscription.period_start == iso_millis(billing.clock.at)
    assert result.subscription.interval is Interval.YEAR


def test_a_past_due_subscription_pays_before_it_upgrades(billing: Billing) -> None:
    billing.choose("starter")
    billing.clock.at = START + timedelta(days=31)
    billing.renewals.advance(ADVERTISER)
    renewal = billing.invoices()[-1]
    billing.service.apply_payment(billing.failed_event(renewal))
    assert state(billing) is State.PAST_DUE

    with pytest.raises(Conflict, match="past due"):
        billing.service.change(ADVERTISER, "pro", "month", BOSS)


# ------------------------------------------------------------------------- at the period's end
def test_a_downgrade_waits_for_the_period_end_and_the_next_period_costs_the_lower_plan(
    billing: Billing,
) -> None:
    billing.choose("business")
    billing.later(days=5)

    result = billing.service.change(ADVERTISER, "pro", "month", BOSS)

    assert (result.effective, result.invoice) == ("period_end", None)
    assert billing.service.current(ADVERTISER).plan_code == "business"
    assert billing.service.entitlements(ADVERTISER).limits.active_offers == 100
    billing.clock.at = START + timedelta(days=31)
    billing.renewals.advance(ADVERTISER)
    sub = billing.service.current(ADVERTISER)
    assert (sub.plan_code, sub.price, sub.pending) == ("pro", 14900, None)
    assert billing.invoices()[-1].total == 14900


def test_a_downgrade_is_refused_with_every_limit_in_use_over_the_lower_plan(billing: Billing) -> None:
    billing.choose("business")
    billing.usage.used[ADVERTISER] = {
        Limit.ACTIVE_OFFERS: 10,
        Limit.APPROVED_AFFILIATES: 80,
        Limit.TEAM_SEATS: 2,
        Limit.CUSTOM_DOMAINS: 1,
        Limit.WHITE_LABEL: 1,
    }

    with pytest.raises(DowngradeRefused) as refused:
        billing.service.change(ADVERTISER, "starter", "month", BOSS)

    assert refused.value.code is ErrorCode.PLAN_LIMIT
    assert refused.value.status == 403
    assert refused.value.excess == (
        Excess(Limit.ACTIVE_OFFERS, 10, 5),
        Excess(Limit.APPROVED_AFFILIATES, 80, 50),
        Excess(Limit.CUSTOM_DOMAINS, 1, 0),
        Excess(Limit.WHITE_LABEL, 1, 0),
    )
    details = refused.value.details()
    assert (details["plan"], details["limit"], details["usage"], details["allowed"]) == (
        "starter",
        "active_offers",
        10,
        5,
    )
    assert details["excess"][-1] == {"limit": "white_label", "usage": 1, "allowed": 0}
    assert billing.service.current(ADVERTISER).pending is None


def test_a_year_left_for_a_month_waits_for_the_years_end(billing: Billing) -> None:
    billing.choose("pro", Interval.YEAR)

    result = billing.service.change(ADVERTISER, "pro", "month", BOSS)

    assert result.effective == "period_end"
    assert billing.service.current(ADVERTISER).interval is Interval.YEAR
    billing.clock.at = START + timedelta(days=365)
    billing.renewals.advance(ADVERTISER)
    sub = billing.service.current(ADVERTISER)
    assert (sub.interval, sub.price, sub.period_end) == (Interval.MONTH, 14900, "2028-01-07T10:00:00.000Z")


def test_keeping_the_plan_undoes_a_downgrade_waiting_for_the_period_end(billing: Billing) -> None:
    billing.choose("business")
    billing.service.change(ADVERTISER, "starter", "month", BOSS)

    billing.service.change(ADVERTISER, "business", "month", BOSS)

    assert billing.service.current(ADVERTISER).pending is None


def test_a_cancellation_takes_effect_at_the_period_end_and_resume_undoes_it(billing: Billing) -> None:
    billing.choose("pro")
    billing.service.cancel(ADVERTISER, BOSS)
    billing.service.resume(ADVERTISER, BOSS)
    billing.service.cancel(ADVERTISER, BOSS)
    billing.clock.at = START + timedelta(days=31) - timedelta(seconds=1)
    billing.renewals.advance(ADVERTISER)
    assert state(billing) is State.ACTIVE

    billing.later(seconds=1)
    billing.renewals.advance(ADVERTISER)

    sub = billing.service.current(ADVERTISER)
    assert (sub.state, sub.canceled_at) == (State.CANCELED, "2027-01-07T10:00:00.000Z")
    assert len(billing.invoices()) == 1  # the canceled period is not renewed
    with pytest.raises(Conflict):
        billing.service.cancel(ADVERTISER, BOSS)


def test_a_plan_edit_reaches_a_subscriber_at_its_next_period_only(billing: Billing) -> None:
    billing.choose("pro")
    pro = billing.plans.current("pro")
    billing.plans.edit(
        "pro",
        PlanDraft(
            "Pro", pro.limits, {**pro.monthly_prices, "USD": 15900}, pro.overage_per_1000, rank=pro.rank
        ),
        OWNER,
    )

    assert billing.service.entitlements(ADVERTISER).plan.version == 1
    billing.clock.at = START + timedelta(days=31)
    billing.renewals.advance(ADVERTISER)
    sub = billing.service.current(ADVERTISER)
    assert (sub.plan_version, sub.price) == (2, 15900)


# -------------------------------------------------------------------------------- custom terms
def test_custom_terms_hold_their_limits_at_once_and_their_price_from_the_next_period(
    billing: Billing,
) -> None:
    billing.choose("business")
    limits = PlanLimits(20_000_000, None, None, 50, 10, True)

    billing.service.set_custom_terms(
        ADVERTISER, CustomTerms(99000, limits, 5, "signed 2026-12"), "USD", OWNER
    )

    entitled = billing.service.entitlements(ADVERTISER)
    assert (entitled.plan.code, entitled.limits, entitled.overage_per_1000) == ("enterprise", limits, 5)
    assert billing.service.current(ADVERTISER).price == 39900
    billing.clock.at = START + timedelta(days=31)
    billing.renewals.advance(ADVERTISER)
    assert billing.service.current(ADVERTISER).price == 99000
    with pytest.raises(ValidationFailed, match="billed in USD"):
        billing.service.set_custom_terms(ADVERTISER, CustomTerms(99000, limits), "EUR", OWNER)
    with pytest.raises(ValidationFailed, match="limit active_offers"):
        billing.service.set_custom_terms(
            ADVERTISER, CustomTerms(1, replace(limits, active_offers=-1)), "USD", OWNER
        )


# ------------------------------------------------------------------------------------- payments
def test_a_paid_webhook_delivered_twice_pays_once(billing: Billing) -> None:
    invoice = billing.service.change(ADVERTISER, "pro", "month", BOSS).invoice
    assert invoice is not None
    paid = billing.paid_event(invoice)

    billing.service.apply_payment(paid)
    audited = len(billing.audit.records)
    billing.service.apply_payment(paid)

    assert billing.service.invoice(ADVERTISER, invoice.invoice_id).paid_at == iso_millis(START)
    assert len(billing.audit.records) == audited


def test_a_failure_told_after_the_same_invoice_was_paid_changes_nothing(billing: Billing) -> None:
    billing.choose("pro")
    billing.card_saved()
    billing.clock.at = START + timedelta(days=31)
    billing.renewals.advance(ADVERTISER)
    renewal = billing.invoices()[-1]
    failed, paid = billing.failed_event(renewal), billing.paid_event(renewal)

    billing.service.apply_payment(paid)
    billing.service.apply_payment(failed)

    assert state(billing) is State.ACTIVE
    assert billing.service.invoice(ADVERTISER, renewal.invoice_id).attempts == 0
    assert not billing.notices.of_type(EventType.PAYMENT_FAILED)


def test_a_failed_charge_makes_the_subscription_past_due_once_however_often_it_is_told(
    billing: Billing,
) -> None:
    billing.choose("pro")
    billing.card_saved()
    billing.clock.at = START + timedelta(days=31)
    billing.renewals.advance(ADVERTISER)
    renewal = billing.invoices()[-1]
    failed = billing.failed_event(renewal)

    for _ in range(3):
        billing.service.apply_payment(failed)

    sub = billing.service.current(ADVERTISER)
    assert (sub.state, sub.past_due_since) == (State.PAST_DUE, iso_millis(billing.clock.at))
    assert suspends_at(sub) == iso_millis(billing.clock.at + timedelta(days=14))
    assert billing.service.invoice(ADVERTISER, renewal.invoice_id).attempts == 1
    [told] = billing.notices.of_type(EventType.PAYMENT_FAILED)
    assert told.data["amount"] == "149.00"
    assert told.data["currency"] == "USD"
    assert told.data["reason"] == "card_declined"


def test_paying_the_last_open_invoice_reactivates_a_suspended_subscription(billing: Billing) -> None:
    billing.choose("pro")
    billing.clock.at = START + timedelta(days=31)
    billing.renewals.advance(ADVERTISER)
    renewal = billing.invoices()[-1]
    billing.service.apply_payment(billing.failed_event(renewal))
    billing.later(days=14)
    billing.renewals.advance(ADVERTISER)
    assert state(billing) is State.SUSPENDED

    billing.service.mark_paid(ADVERTISER, renewal.invoice_id, "SWIFT 2027-0123", OWNER)

    sub = billing.service.current(ADVERTISER)
    assert (sub.state, sub.past_due_since, sub.reminders_sent) == (State.ACTIVE, None, 0)
    [told] = billing.notices.of_type(EventType.SUBSCRIPTION_REACTIVATED)
    assert told.event_id == f"reactivated.{renewal.invoice_id}"
    invoice = billing.service.invoice(ADVERTISER, renewal.invoice_id)
    assert (invoice.status, invoice.payment_reference) == (InvoiceStatus.PAID, "SWIFT 2027-0123")


def test_the_owner_marks_a_transfer_paid_once_and_never_a_void_invoice(billing: Billing) -> None:
    first = billing.service.change(ADVERTISER, "pro", "month", BOSS).invoice
    billing.later(minutes=5)
    second = billing.service.change(ADVERTISER, "starter", "month", BOSS).invoice
    assert first is not None
    assert second is not None

    with pytest.raises(ValidationFailed, match="reference"):
        billing.service.mark_paid(ADVERTISER, second.invoice_id, "  ", OWNER)
    with pytest.raises(Conflict, match="void"):
        billing.service.mark_paid(ADVERTISER, first.invoice_id, "T-1", OWNER)
    paid = billing.service.mark_paid(ADVERTISER, second.invoice_id, "T-2", OWNER)
    again = billing.service.mark_paid(ADVERTISER, second.invoice_id, "T-3", OWNER)

    assert again == paid
    assert paid.payment_reference == "T-2"
    assert state(billing) is State.ACTIVE


def test_money_paid_for_a_void_invoice_is_kept_on_it_for_a_refund(billing: Billing) -> None:
    first = billing.service.change(ADVERTISER, "pro", "month", BOSS).invoice
    billing.later(minutes=5)
    billing.service.change(ADVERTISER, "starter", "month", BOSS)
    assert first is not None

    billing.service.apply_payment(billing.paid_event(first))  # the old page, paid anyway

    kept = billing.service.invoice(ADVERTISER, first.invoice_id)
    assert (kept.status, kept.payment_reference) == (InvoiceStatus.VOID, f"pi_{first.invoice_id}")
    assert state(billing) is State.TRIALING
    assert "invoice.paid_void" in billing.audit.actions()


def test_a_saved_card_is_charged_for_invoices_whose_charge_failed_never_for_one_paid_on_the_page(
    billing: Billing,
) -> None:
    billing.choose("pro")
    billing.card_saved()  # the page that paid the first invoice saved the card: nothing charged
    assert billing.provider.charges == []
    billing.clock.at = START + timedelta(days=31)
    billing.renewals.advance(ADVERTISER)
    renewal = billing.invoices()[-1]
    billing.service.apply_payment(billing.failed_event(renewal))

    billing.card_saved()  # a new card

    assert billing.provider.charges == [f"pi_{renewal.invoice_id}_1"]


def test_the_next_invoice_is_the_renewal_at_the_plan_waiting_for_it(billing: Billing) -> None:
    sub = billing.service.current(ADVERTISER)
    assert billing.service.next_invoice(sub) is not None
    trial_next = billing.service.next_invoice(sub)
    assert trial_next is not None
    assert (trial_next.date, trial_next.amount) == (sub.trial_end, 39900)
    billing.choose("business", Interval.YEAR)
    billing.service.change(ADVERTISER, "pro", "month", BOSS)

    upcoming = billing.service.next_invoice(billing.service.current(ADVERTISER))

    assert upcoming is not None
    assert (upcoming.date, upcoming.amount, upcoming.currency) == ("2027-12-07T10:00:00.000Z", 14900, "USD")
    billing.service.cancel(ADVERTISER, BOSS)
    assert billing.service.next_invoice(billing.service.current(ADVERTISER)) is None


def test_the_billing_profile_is_checked_and_its_change_of_payment_method_reaches_the_subscription(
    billing: Billing,
) -> None:
    with pytest.raises(ValidationFailed, match="Russian"):
        billing.service.save_profile(ADVERTISER, ProfileDraft("", "", "", "", "de", PaymentMethod.CARD), BOSS)
    with pytest.raises(ValidationFailed, match="not an address"):
        billing.service.save_profile(
            ADVERTISER, ProfileDraft("", "", "", "billing", "en", PaymentMethod.CARD), BOSS
        )

    profile = billing.service.save_profile(
        ADVERTISER, ProfileDraft(" Acme ", "", "DE123", "", "en", PaymentMethod.BANK_TRANSFER), BOSS
    )

    assert (profile.legal_name, profile.tax_id) == ("Acme", "DE123")
    assert billing.service.current(ADVERTISER).payment_method is PaymentMethod.BANK_TRANSFER
