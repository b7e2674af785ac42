"""The hourly billing run: trials that end, periods renewed and charged, dunning (reminders, then
suspension after fourteen days), the month's clicks against the plan (told at 80 % and 100 %, once a
month), the month before's overage billed on the 1st, advertisers from before billing adopted, and
the Owner's figures. A rerun of the same hour, ten of them, or one after a crash between two writes
bills nothing twice and tells nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from partnerka.accounts.models import Advertiser
from partnerka.billing.models import (
    CustomTerms,
    Interval,
    InvoiceKind,
    InvoiceStatus,
    PaymentMethod,
    PlanLimits,
    SubscriptionState,
)
from partnerka.billing.payments import ChargeFailed, PaymentProviderError
from partnerka.billing.subscriptions import ProfileDraft
from partnerka.common.clock import iso_millis
from partnerka.notifications.events import EventType
from partnerka.notifications.messages import render
from tests.unit.fakes import ADVERTISER
from tests.unit.test_subscriptions import BOSS, OWNER, START, Billing

State = SubscriptionState
OTHER = "01JAD0000000000000000000BB"


@pytest.fixture
def billing() -> Billing:
    world = Billing()
    world.advertiser()
    world.service.start_trial(ADVERTISER)
    return world


def told(billing: Billing, type: EventType) -> list[str]:
    return [event.event_id for event in billing.notices.of_type(type)]


def by_card(billing: Billing) -> None:
    billing.card_saved()


def by_transfer(billing: Billing, advertiser_id: str = ADVERTISER) -> None:
    billing.service.save_profile(
        advertiser_id, ProfileDraft("Acme", "", "", "", "en", PaymentMethod.BANK_TRANSFER), BOSS
    )


# ----------------------------------------------------------------------------------- trial's end
def test_a_trial_ending_with_no_way_to_pay_bills_the_trial_plan_and_is_past_due(billing: Billing) -> None:
    billing.clock.at = START + timedelta(days=14)

    billing.run.run()

    sub = billing.service.current(ADVERTISER)
    assert (sub.state, sub.plan_code, sub.past_due_since) == (
        State.PAST_DUE,
        "business",
        iso_millis(billing.clock.at),
    )
    [invoice] = billing.invoices()
    assert (invoice.kind, invoice.total, invoice.period_start) == (
        InvoiceKind.SUBSCRIPTION,
        39900,
        "2026-12-21T10:00:00.000Z",
    )
    assert told(billing, EventType.PAYMENT_FAILED) == [f"payment-failed.{ADVERTISER}.trial.20261221T100000Z"]
    assert told(billing, EventType.SUBSCRIPTION_INVOICE) == [f"invoice-issued.{invoice.invoice_id}"]


def test_the_team_is_told_three_days_before_its_trial_ends_once(billing: Billing) -> None:
    billing.clock.at = START + timedelta(days=10, hours=23)
    billing.run.run()
    assert told(billing, EventType.TRIAL_ENDING) == []

    for hour in range(5):
        billing.clock.at = START + timedelta(days=11, hours=hour)
        billing.run.run()

    assert told(billing, EventType.TRIAL_ENDING) == [f"trial-ending.{ADVERTISER}.20261221T100000Z"]


def test_a_trial_ending_with_a_saved_card_is_charged_and_active(billing: Billing) -> None:
    by_card(billing)
    billing.clock.at = START + timedelta(days=14, minutes=30)

    billing.run.run()

    [invoice] = billing.invoices()
    assert billing.service.current(ADVERTISER).state is State.ACTIVE
    assert billing.provider.charges == [f"pi_{invoice.invoice_id}_0"]
    assert invoice.provider_payment == f"pi_{invoice.invoice_id}_0"


def test_a_charge_that_cannot_be_attempted_fails_at_once_as_a_declined_one_would(billing: Billing) -> None:
    by_card(billing)
    billing.provider.refusing = ChargeFailed("the customer has no card on file")
    billing.clock.at = START + timedelta(days=14)

    billing.run.run()
    billing.run.run()

    [invoice] = billing.invoices()
    assert (invoice.attempts, invoice.provider_payment) == (1, None)
    assert billing.service.current(ADVERTISER).state is State.PAST_DUE
    [failed] = billing.notices.of_type(EventType.PAYMENT_FAILED)
    assert failed.data["reason"] == "the customer has no card on file"


def test_a_provider_out_of_reach_is_asked_again_by_the_next_run_for_the_same_attempt(
    billing: Billing,
) -> None:
    by_card(billing)
    billing.provider.refusing = PaymentProviderError("Stripe did not answer in 8 s")
    billing.clock.at = START + timedelta(days=14)
    billing.run.run()
    [invoice] = billing.invoices()
    assert (invoice.provider_payment, billing.service.current(ADVERTISER).state) == (None, State.ACTIVE)

    billing.provider.refusing = None
    billing.later(hours=1)
    billing.run.run()

    assert billing.provider.charges == [f"pi_{invoice.invoice_id}_0"]


def test_a_plan_chosen_in_the_trial_and_left_unpaid_is_charged_at_its_end_not_billed_again(
    billing: Billing,
) -> None:
    chosen = billing.service.change(ADVERTISER, "pro", Interval.YEAR, BOSS).invoice
    assert chosen is not None
    billing.run.run()
    assert billing.provider.charges == []  # the page is the advertiser's to pay during the trial
    by_card(billing)
    billing.clock.at = START + timedelta(days=14)

    billing.run.run()

    assert [invoice.invoice_id for invoice in billing.invoices()] == [chosen.invoice_id]
    assert billing.provider.charges == [f"pi_{chosen.invoice_id}_0"]
    assert billing.service.current(ADVERTISER).state is State.ACTIVE


def test_a_trial_cancelled_ends_canceled_and_its_unpaid_choice_is_void(billing: Billing) -> None:
    billing.service.change(ADVERTISER, "pro", Interval.MONTH, BOSS)
    billing.service.cancel(ADVERTISER, BOSS)
    billing.clock.at = START + timedelta(days=14)

    billing.run.run()

    assert billing.service.current(ADVERTISER).state is State.CANCELED
    assert [invoice.status for invoice in billing.invoices()] == [InvoiceStatus.VOID]


# -------------------------------------------------------------------------------------- renewals
def test_a_bank_transfer_is_awaited_fourteen_days_then_the_subscription_is_past_due(billing: Billing) -> None:
    by_transfer(billing)
    billing.clock.at = START + timedelta(days=14)
    billing.run.run()
    [invoice] = billing.invoices()
    assert billing.service.current(ADVERTISER).state is State.ACTIVE
    assert billing.provider.charges == []

    billing.clock.at = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)  # the invoice's due date
    billing.run.run()

    assert billing.service.current(ADVERTISER).state is State.PAST_DUE
    assert told(billing, EventType.PAYMENT_REMINDER) == [f"overdue.{invoice.invoice_id}.20270104T100000Z"]


def test_dunning_reminds_on_days_1_3_7_12_and_suspends_on_day_14_telling_each_once(billing: Billing) -> None:
    billing.clock.at = START + timedelta(days=14)
    billing.run.run()
    since = billing.clock.at
    for hour in range(0, 15 * 24, 6):
        billing.clock.at = since + timedelta(hours=hour)
        billing.run.run()
        billing.run.run()

    stamp = "20261221T100000Z"
    assert told(billing, EventType.PAYMENT_REMINDER) == [
        f"payment-reminder.{ADVERTISER}.{stamp}.{n}" for n in (1, 2, 3, 4)
    ]
    assert told(billing, EventType.SUBSCRIPTION_SUSPENDED) == [f"suspended.{ADVERTISER}.{stamp}"]
    assert billing.service.current(ADVERTISER).state is State.SUSPENDED
    assert "subscription.suspended" in billing.audit.actions()


def test_a_failed_card_is_charged_again_after_each_reminder(billing: Billing) -> None:
    by_card(billing)
    billing.clock.at = START + timedelta(days=14)
    billing.run.run()
    [invoice] = billing.invoices()
    billing.service.apply_payment(billing.failed_event(invoice))

    billing.later(hours=12)
    billing.run.run()
    assert len(billing.provider.charges) == 1  # no reminder yet, no new attempt
    billing.later(hours=12)
    billing.run.run()
    billing.run.run()

    assert billing.provider.charges == [f"pi_{invoice.invoice_id}_0", f"pi_{invoice.invoice_id}_1"]


def test_a_renewal_takes_the_change_waiting_for_it_and_a_cancellation_ends_the_subscription(
    billing: Billing,
) -> None:
    billing.choose("business")
    billing.service.change(ADVERTISER, "starter", Interval.MONTH, BOSS)
    billing.clock.at = START + timedelta(days=31, minutes=10)
    billing.run.run()
    renewal = billing.invoices()[-1]
    assert (renewal.plan_code, renewal.total, renewal.period_start) == (
        "starter",
        4900,
        "2027-01-07T10:00:00.000Z",
    )
    billing.service.mark_paid(ADVERTISER, renewal.invoice_id, "T-9", OWNER)
    billing.service.cancel(ADVERTISER, BOSS)

    billing.clock.at = datetime(2027, 2, 7, 10, 0, tzinfo=UTC)
    billing.run.run()

    assert billing.service.current(ADVERTISER).state is State.CANCELED
    assert len(billing.invoices()) == 2


def test_the_periods_a_subscription_spent_suspended_are_not_billed_when_it_pays(billing: Billing) -> None:
    billing.clock.at = START + timedelta(days=14)
    billing.run.run()  # past due: the trial's first month billed, unpaid
    billing.clock.at = START + timedelta(days=28)
    billing.run.run()  # suspended
    [first] = billing.invoices()

    billing.clock.at = datetime(2027, 4, 2, 9, 0, tzinfo=UTC)
    billing.run.run()  # periods end while suspended: nothing billed
    assert len(billing.invoices()) == 1
    billing.service.mark_paid(ADVERTISER, first.invoice_id, "late transfer", OWNER)
    billing.run.run()

    renewal = billing.invoices()[-1]
    assert (renewal.period_start, renewal.period_end) == (
        "2027-03-21T10:00:00.000Z",
        "2027-04-21T10:00:00.000Z",
    )
    assert len(billing.invoices()) == 2


def test_a_canceled_subscriptions_abandoned_new_choice_is_void_once_overdue(billing: Billing) -> None:
    billing.choose("pro")
    billing.service.cancel(ADVERTISER, BOSS)
    billing.clock.at = START + timedelta(days=31)
    billing.run.run()
    again = billing.service.change(ADVERTISER, "pro", Interval.MONTH, BOSS).invoice
    assert again is not None

    billing.clock.at += timedelta(days=14)
    billing.run.run()

    assert billing.service.invoice(ADVERTISER, again.invoice_id).status is InvoiceStatus.VOID
    assert billing.service.current(ADVERTISER).state is State.CANCELED


# --------------------------------------------------------------------------------- idempotency
def _snapshot(billing: Billing) -> tuple[object, ...]:
    return (
        sorted((i.invoice_id, i.number, i.total, i.status) for i in billing.store.invoice_items.values()),
        [event.event_id for event in billing.notices.sent],
        billing.provider.charges,
        {a: (s.state, s.period_start) for a, s in billing.store.subs.items()},
    )


def test_ten_reruns_of_the_same_hour_bill_nothing_twice_and_tell_nothing_twice(billing: Billing) -> None:
    billing.advertiser(OTHER, created=START - timedelta(days=40))  # from before billing
    by_card(billing)
    billing.clicks.counted[(ADVERTISER, "2026-12")] = 4_900_000
    billing.clock.at = START + timedelta(days=14, minutes=5)
    billing.run.run()
    once = _snapshot(billing)

    for _ in range(10):
        billing.run.run()

    assert _snapshot(billing) == once
    assert len(billing.notices.sent) == len(set(event.event_id for event in billing.notices.sent))


def test_a_crash_between_two_writes_is_finished_by_the_next_run_without_billing_twice(
    billing: Billing,
) -> None:
    by_card(billing)
    billing.clock.at = START + timedelta(days=14, minutes=5)
    healthy = Billing(billing.clock.at)
    healthy.advertiser(created=START)
    healthy.service.start_trial(ADVERTISER, at=START)
    healthy.card_saved()
    healthy.run.run()

    billing.store.crash_after_commits = 0  # the trial's end is written, then the process dies
    with pytest.raises(RuntimeError, match="subscription billing failed"):
        billing.run.run()
    billing.run.run()

    assert _snapshot(billing)[0] == _snapshot(healthy)[0]
    assert billing.provider.charges == healthy.provider.charges
    assert sorted(e.event_id for e in billing.notices.sent) == sorted(
        e.event_id for e in healthy.notices.sent
    )


# ------------------------------------------------------------------------------------- clicks
def test_the_months_clicks_are_told_at_80_and_100_percent_once_a_month(billing: Billing) -> None:
    billing.clock.at = START + timedelta(hours=1)
    billing.clicks.counted[(ADVERTISER, "2026-12")] = 3_999_999  # business: 5,000,000 a month
    billing.run.run()
    assert told(billing, EventType.PLAN_LIMIT_WARNING) == []

    billing.clicks.counted[(ADVERTISER, "2026-12")] = 4_000_000
    billing.run.run()
    billing.clicks.counted[(ADVERTISER, "2026-12")] = 5_200_000
    billing.run.run()
    billing.run.run()
    billing.clock.at = datetime(2027, 1, 1, 0, 5, tzinfo=UTC)
    billing.clicks.counted[(ADVERTISER, "2027-01")] = 4_500_000
    billing.run.run()

    month = f"plan-limit.{ADVERTISER}"
    assert told(billing, EventType.PLAN_LIMIT_WARNING) == [
        f"{month}.2026-12.clicks_per_month.80",
        f"{month}.2026-12.clicks_per_month.100",
        f"{month}.2027-01.clicks_per_month.80",
    ]
    [full] = [e for e in billing.notices.of_type(EventType.PLAN_LIMIT_WARNING) if e.data["percent"] == 100]
    assert full.data == {
        "plan_limit": "clicks_per_month",
        "usage": 5_200_000,
        "allowed": 5_000_000,
        "percent": 100,
        "month": "2026-12",
        "plan": "business",
        "plan_name": "Business",
        "overage_per_1000": "0.10",
        "currency": "USD",
    }


def test_the_month_befores_clicks_over_the_limit_are_billed_on_the_1st_once(billing: Billing) -> None:
    billing.choose("pro")
    billing.clicks.counted[(ADVERTISER, "2026-12")] = 1_012_345
    billing.clock.at = datetime(2027, 1, 1, 0, 30, tzinfo=UTC)
    billing.run.run()
    assert [invoice.kind for invoice in billing.invoices()] == [InvoiceKind.SUBSCRIPTION]  # clicks settle

    for hour in range(1, 30):
        billing.clock.at = datetime(2027, 1, 1, hour % 24, 30, tzinfo=UTC) + timedelta(days=hour // 24)
        billing.run.run()

    [overage] = [invoice for invoice in billing.invoices() if invoice.kind is InvoiceKind.OVERAGE]
    assert overage.invoice_id == f"overage.{ADVERTISER}.2026-12"
    assert overage.total == 247  # 12,345 clicks at 0.20 per 1,000: 2.469 → 2.47
    assert (
        overage.lines[0].description
        == "Clicks over the plan's 1,000,000 in December 2026: 12,345 at 0.20 USD per 1,000"
    )


def test_an_overage_smaller_than_a_card_can_pay_is_not_billed(billing: Billing) -> None:
    # 2,000 clicks over Pro's million at 0.20 per 1,000: 0.40 USD, under the 0.50 a card payment takes
    billing.choose("pro")
    billing.clicks.counted[(ADVERTISER, "2026-12")] = 1_002_000
    billing.clock.at = datetime(2027, 1, 1, 3, 0, tzinfo=UTC)

    billing.run.run()
    billing.clicks.counted[(ADVERTISER, "2026-12")] = 1_002_500  # 0.50 USD: billed
    assert [invoice.kind for invoice in billing.invoices()] == [InvoiceKind.SUBSCRIPTION]
    billing.clock.at = datetime(2027, 1, 1, 4, 0, tzinfo=UTC)
    billing.run.run()

    [overage] = [invoice for invoice in billing.invoices() if invoice.kind is InvoiceKind.OVERAGE]
    assert overage.total == 50


def test_clicks_over_a_plan_without_an_overage_price_are_not_billed(billing: Billing) -> None:
    billing.choose("starter")
    billing.clicks.counted[(ADVERTISER, "2026-12")] = 250_000
    billing.clock.at = datetime(2027, 1, 1, 3, 0, tzinfo=UTC)

    billing.run.run()

    assert [invoice.kind for invoice in billing.invoices()] == [InvoiceKind.SUBSCRIPTION]
    assert billing.clicks.reads == 1  # this month's, for the warnings: the month before's is not read


# ------------------------------------------------------------------------------------- adoption
def test_advertisers_from_before_billing_get_their_whole_trial_from_the_run_that_first_sees_them(
    billing: Billing,
) -> None:
    billing.advertiser(OTHER, created=START - timedelta(days=40))

    report = billing.run.run()

    adopted = billing.store.subscription(OTHER)
    assert adopted is not None
    assert (adopted.state, adopted.trial_end) == (State.TRIALING, iso_millis(START + timedelta(days=14)))
    assert (report.adopted, report.subscriptions) == (1, 2)
    assert billing.run.run().adopted == 0


# -------------------------------------------------------------------------------- the overview
def test_the_owners_overview_counts_recurring_revenue_trials_overdue_invoices_and_churn(
    billing: Billing,
) -> None:
    billing.choose("pro", Interval.YEAR)  # 1,430.40 a year: 119.20 a month
    billing.advertiser(OTHER)
    billing.service.start_trial(OTHER, currency="EUR")
    billing.choose("starter", advertiser_id=OTHER)  # 45.00 EUR a month
    third = "01JAD0000000000000000000CC"
    billing.advertiser(third)
    by_transfer(billing, third)
    billing.service.change(third, "pro", Interval.MONTH, BOSS)  # unpaid, trialing
    billing.clock.at = START + timedelta(days=8)

    view = billing.overview.overview()

    assert view.mrr == {"EUR": 4500, "USD": 11920}
    assert view.arr == {"EUR": 54000, "USD": 143040}
    assert ("pro", State.TRIALING, 1) in view.by_plan
    assert ("starter", State.ACTIVE, 1) in view.by_plan
    assert [(t.advertiser_id, t.trial_end) for t in view.trials_ending] == [
        (third, "2026-12-21T10:00:00.000Z")
    ]
    assert view.overdue == []
    assert view.churn[-1].month == "2026-12"
    assert (view.churn[-1].active_at_start, view.churn[-1].canceled) == (0, 0)

    billing.service.cancel(OTHER, BOSS)
    billing.clock.at = datetime(2027, 1, 8, 10, 0, tzinfo=UTC)
    billing.run.run()
    view = billing.overview.overview()
    january = view.churn[-1]
    assert (january.month, january.active_at_start, january.canceled, january.rate_bp) == (
        "2027-01",
        2,
        1,
        5000,
    )
    # the third's trial ended with its choice unpaid, due on the trial's last day: overdue now
    assert [(o.invoice.advertiser_id, o.advertiser_name) for o in view.overdue] == [(third, "Advertiser CC")]
    paid = billing.overview.invoices(InvoiceStatus.PAID)
    assert sorted(named.advertiser_name for named in paid) == ["Advertiser AA", "Advertiser BB"]


def test_the_owners_list_of_subscriptions_goes_by_advertiser_name_shows_custom_terms_and_filters_by_state(
    billing: Billing,
) -> None:
    # ids in the opposite order of the names, and a name in lower case, to see the names decide
    zeta, beta = "01JAD0000000000000000000BB", "01JAD0000000000000000000CC"
    billing.accounts.add_advertiser(Advertiser(zeta, "Zeta Media", iso_millis(START)))
    billing.accounts.add_advertiser(Advertiser(beta, "beta shop", iso_millis(START)))
    billing.service.start_trial(zeta)
    billing.service.start_trial(beta)
    billing.choose("pro", advertiser_id=zeta)
    terms = CustomTerms(99000, PlanLimits(20_000_000, None, None, 50, 10, True), None, "signed")
    billing.service.set_custom_terms(beta, terms, "USD", OWNER)

    listed = billing.overview.subscriptions()

    assert [(row.advertiser_name, row.subscription.state) for row in listed] == [
        ("Advertiser AA", State.TRIALING),
        ("beta shop", State.TRIALING),
        ("Zeta Media", State.ACTIVE),
    ]
    assert [row.subscription.custom_terms for row in listed] == [None, terms, None]
    assert [row.advertiser_name for row in billing.overview.subscriptions(State.TRIALING)] == [
        "Advertiser AA",
        "beta shop",
    ]
    assert billing.overview.subscriptions(State.SUSPENDED) == []


# ---------------------------------------------------------------------------------- the notices
def test_every_notice_billing_sends_reads_with_its_facts_in_both_languages(billing: Billing) -> None:
    billing.clicks.counted[(ADVERTISER, "2026-12")] = 4_100_000
    billing.clock.at = START + timedelta(days=11, hours=1)  # three days before the trial's end
    billing.run.run()
    for days in (14, 15, 28):  # the trial ends unpaid; a reminder; the suspension
        billing.clock.at = START + timedelta(days=days)
        billing.run.run()
    [invoice] = billing.invoices()
    billing.service.mark_paid(ADVERTISER, invoice.invoice_id, "T-1", OWNER)

    facts = {
        EventType.PLAN_LIMIT_WARNING: ["80%", "4100000", "5000000", "Business", "0.10 USD"],
        EventType.TRIAL_ENDING: ["Business", "2026-12-21 10:00 UTC"],
        EventType.SUBSCRIPTION_INVOICE: ["P-2026-000001", "399.00 USD", "2027-01-04 10:00 UTC"],
        EventType.PAYMENT_FAILED: ["399.00 USD", "no card saved", "2027-01-04 10:00 UTC"],
        EventType.PAYMENT_REMINDER: ["P-2026-000001", "399.00 USD", "2027-01-04 10:00 UTC"],
        EventType.SUBSCRIPTION_SUSPENDED: ["399.00 USD"],
        EventType.SUBSCRIPTION_REACTIVATED: ["Business"],
    }
    assert {event.type for event in billing.notices.sent} == set(facts)
    for event in billing.notices.sent:
        for language in ("en", "ru"):
            message = render(event, language)
            for fact in facts[event.type]:
                assert fact in f"{message.title} {message.body}", (event.type, language, fact)
