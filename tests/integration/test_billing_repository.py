"""SaaS billing's storage against moto's DynamoDB: every entity reads back as written, a commit writes
the subscription with its invoices, numbers, marks and churn counters or nothing at all, each
condition refuses what it must (a stale revision, an invoice or a mark recorded before, an invoice
changed meanwhile), two issuers racing for the next number both get one, and the Owner's lists come
from GSI1 key ranges. Then the hourly run, composed as the function composes it, on the stack."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from partnerka.accounts.models import Advertiser
from partnerka.accounts.repository import AccountRepository
from partnerka.billing.catalogue import default_plans, seed_plans
from partnerka.billing.composition import SubscriptionSettings, billing_run, billing_services
from partnerka.billing.invoices import new_invoice, period_line
from partnerka.billing.models import (
    BillingProfile,
    CustomTerms,
    Interval,
    InvoiceKind,
    InvoiceStatus,
    PaymentMethod,
    PendingChange,
    PlanLimits,
    PlatformInvoice,
    Subscription,
    SubscriptionState,
)
from partnerka.billing.repository import (
    AlreadyRecorded,
    BillingChanged,
    BillingRepository,
    Commit,
    PlanChanged,
)
from partnerka.billing.subscriptions import CheckoutSettings
from partnerka.common.clock import iso_millis
from partnerka.common.config import read_settings
from partnerka_local.template import Template
from tests.unit.fakes import FakeClicksMeter, FakePaymentProvider, FakeUsage

AT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
ADV = "01JADBILLING00000000000001"


def store() -> BillingRepository:
    return BillingRepository(os.environ["CORE_TABLE"])


def a_subscription(**changes: Any) -> Subscription:
    sub = Subscription(
        advertiser_id=ADV,
        plan_code="pro",
        plan_version=1,
        interval=Interval.MONTH,
        currency="EUR",
        state=SubscriptionState.ACTIVE,
        price=13900,
        period_start=iso_millis(AT),
        period_end=iso_millis(AT + timedelta(days=31)),
        created_at=iso_millis(AT),
        trial_end=iso_millis(AT),
        pending=PendingChange("starter", Interval.YEAR),
        payment_method=PaymentMethod.BANK_TRANSFER,
        custom_terms=CustomTerms(99000, PlanLimits(None, 3, None, 4, 0, True), None, "signed"),
        anchor_day=31,
        period_cost=13900 * 31 * 86400,
    )
    return replace(sub, **changes)


def an_invoice(key: str, at: datetime = AT, advertiser_id: str = ADV) -> PlatformInvoice:
    buyer = BillingProfile(advertiser_id, legal_name="Acme GmbH", tax_id="DE123", locale="en")
    end = at + timedelta(days=31)
    return new_invoice(
        InvoiceKind.SUBSCRIPTION,
        advertiser_id,
        key,
        (at, end),
        "EUR",
        (period_line("Pro", Interval.MONTH, at, end, 13900, "en"),),
        "pro",
        Interval.MONTH,
        at,
        buyer,
    )


def test_plans_are_added_once_and_each_edit_is_a_version_of_its_own(stack: Template) -> None:
    repo = store()
    assert seed_plans(repo, AT) == ["starter", "pro", "business", "enterprise"]
    assert seed_plans(repo, AT) == []
    pro = repo.plan("pro")
    assert pro == default_plans(AT)[1]

    repo.save_plan(replace(pro, version=2, monthly_prices={"USD": 15900}))
    with pytest.raises(PlanChanged):
        repo.save_plan(replace(pro, version=2, monthly_prices={"USD": 1}))

    assert repo.plan_version("pro", 1) == pro
    assert repo.plan("pro") == replace(pro, version=2, monthly_prices={"USD": 15900})
    assert [plan.code for plan in repo.plans()] == ["business", "enterprise", "pro", "starter"]
    assert repo.plan("enterprise") is not None
    assert repo.plan("enterprise").limits.active_offers is None


def test_a_commit_writes_the_subscription_and_its_numbered_invoices_together(stack: Template) -> None:
    repo = store()
    sub = a_subscription()

    committed = repo.commit(
        Commit(ADV, sub, (an_invoice("a"), an_invoice("b")), counts=(("2026-12", "joined"),))
    )

    assert committed.subscription == replace(sub, revision=1)
    assert repo.subscription(ADV) == replace(sub, revision=1)
    assert [invoice.number for invoice in committed.invoices] == ["P-2026-000001", "P-2026-000002"]
    assert repo.invoice(ADV, "subscription." + ADV + ".a") == committed.invoices[0]
    next_year = repo.commit(Commit(ADV, None, (an_invoice("c", AT + timedelta(days=40)),)))
    assert next_year.invoices[0].number == "P-2027-000001"
    assert repo.churn() == {"2026-12": {"joined": 1}}


def test_a_commit_over_a_stale_revision_writes_nothing(stack: Template) -> None:
    repo = store()
    first = repo.commit(Commit(ADV, a_subscription())).subscription
    assert first is not None
    repo.commit(Commit(ADV, first))  # someone else moved it on to revision 2

    with pytest.raises(BillingChanged):
        repo.commit(Commit(ADV, first, (an_invoice("x"),), marks=("payment-event#e1",)))
    with pytest.raises(BillingChanged):
        repo.commit(Commit(ADV, a_subscription()))  # "none stored" is stale too

    assert repo.invoice(ADV, f"subscription.{ADV}.x") is None
    assert not repo.marked(ADV, "payment-event#e1")
    assert repo.subscription(ADV).revision == 2  # type: ignore[union-attr]


def test_an_invoice_or_a_mark_recorded_before_is_refused_and_takes_no_number(stack: Template) -> None:
    repo = store()
    repo.commit(Commit(ADV, None, (an_invoice("a"),), marks=("payment-event#e1",)))

    with pytest.raises(AlreadyRecorded):
        repo.commit(Commit(ADV, None, (an_invoice("a"),)))
    with pytest.raises(AlreadyRecorded):
        repo.commit(Commit(ADV, None, (an_invoice("b"),), marks=("payment-event#e1",)))

    assert repo.commit(Commit(ADV, None, (an_invoice("c"),))).invoices[0].number == "P-2026-000002"
    assert repo.invoice(ADV, f"subscription.{ADV}.b") is None


def test_an_invoice_is_changed_only_as_it_was_read(stack: Template) -> None:
    repo = store()
    [issued] = repo.commit(Commit(ADV, None, (an_invoice("a"),))).invoices
    charging = replace(issued, provider_payment="pi_1")
    repo.commit(Commit(ADV, changed_invoices=((issued, charging),)))

    paid = replace(issued, status=InvoiceStatus.PAID, paid_at=iso_millis(AT), payment_reference="T-1")
    with pytest.raises(BillingChanged):  # read before the charge started: stale
        repo.commit(Commit(ADV, changed_invoices=((issued, paid),)))
    repo.commit(Commit(ADV, changed_invoices=((charging, replace(charging, status=InvoiceStatus.PAID)),)))

    assert repo.invoice(ADV, issued.invoice_id).status is InvoiceStatus.PAID  # type: ignore[union-attr]
    assert list(repo.invoices_in(InvoiceStatus.OPEN)) == []
    assert [invoice.invoice_id for invoice in repo.invoices_in(InvoiceStatus.PAID)] == [issued.invoice_id]


def test_two_issuers_racing_for_the_next_number_both_get_one(stack: Template) -> None:
    repo, rival = store(), store()
    raced = False
    read_numbers = repo._numbered

    def numbered_then_overtaken(invoices: Any) -> Any:
        nonlocal raced
        found = read_numbers(invoices)
        if not raced:  # the rival takes the number just read
            raced = True
            rival.commit(Commit("OTHER", None, (an_invoice("r", advertiser_id="OTHER"),)))
        return found

    repo._numbered = numbered_then_overtaken  # type: ignore[method-assign]
    mine = repo.commit(Commit(ADV, None, (an_invoice("m"),))).invoices[0]

    theirs = rival.invoice("OTHER", "subscription.OTHER.r")
    assert theirs is not None
    assert (theirs.number, mine.number) == ("P-2026-000001", "P-2026-000002")


def test_the_owners_lists_come_from_their_key_ranges(stack: Template) -> None:
    repo = store()
    for n, state in enumerate(
        [SubscriptionState.ACTIVE, SubscriptionState.TRIALING, SubscriptionState.ACTIVE]
    ):
        repo.commit(Commit(f"ADV{n}", a_subscription(advertiser_id=f"ADV{n}", state=state)))
    for n, at in enumerate([AT + timedelta(days=2), AT, AT + timedelta(days=30)]):
        repo.commit(Commit(f"ADV{n}", None, (an_invoice("p", at, f"ADV{n}"),)))

    assert [s.advertiser_id for s in repo.subscriptions(SubscriptionState.ACTIVE)] == ["ADV0", "ADV2"]
    assert len(list(repo.subscriptions())) == 3
    due = iso_millis(AT + timedelta(days=17))
    assert [i.advertiser_id for i in repo.invoices_in(InvoiceStatus.OPEN, due_before=due)] == ["ADV1", "ADV0"]
    assert repo.invoices("ADV1")[0].due_at == iso_millis(AT + timedelta(days=14))


def test_a_profile_never_saved_is_empty_and_marks_are_recorded_once(stack: Template) -> None:
    repo = store()
    assert repo.profile(ADV) == BillingProfile(ADV)
    profile = BillingProfile(
        ADV, "Acme", "Berlin", "DE123", "b@acme.test", "ru", "cus_1", True, iso_millis(AT)
    )
    repo.save_profile(profile)

    assert repo.profile(ADV) == profile
    assert repo.mark(ADV, "clicks#2026-12#80", iso_millis(AT)) is True
    assert repo.mark(ADV, "clicks#2026-12#80", iso_millis(AT)) is False
    assert repo.marked(ADV, "clicks#2026-12#80")


def _queued_events(queue_url: str) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    found = []
    while True:
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return found
        found += [json.loads(message["Body"]) for message in got]


def test_the_hourly_run_on_the_stack_bills_a_trial_that_ended_and_tells_its_team_once(
    stack: Template,
) -> None:
    # Given an advertiser created fifteen days ago, before billing existed: its trial runs from the
    # run that first sees it
    settings = read_settings(SubscriptionSettings)
    AccountRepository().add_advertiser(Advertiser(ADV, "Acme", iso_millis(AT - timedelta(days=15))))
    provider = FakePaymentProvider()
    run = billing_run(settings, AccountRepository(), provider, FakeClicksMeter())
    run.run(AT)
    later = AT + timedelta(days=15)

    # When the hourly run runs after that trial, twice
    run.run(later)
    run.run(later)

    # Then its trial is stored, ended, billed once, and it is past due with nothing to pay with
    billing = billing_services(
        settings, CheckoutSettings("https://app.partnerka.test"), AccountRepository(), provider, FakeUsage()
    )
    sub = billing.subscriptions.current(ADV)
    assert (sub.state, sub.plan_code, sub.revision) == (SubscriptionState.PAST_DUE, "business", 2)
    [invoice] = billing.subscriptions.invoices(ADV)
    assert (invoice.number, invoice.total, invoice.announced) == ("P-2026-000001", 39900, True)
    events = _queued_events(os.environ["NOTIFY_QUEUE_URL"])
    told = sorted(event["payload"]["event_id"] for event in events)
    assert told == sorted(
        [f"invoice-issued.{invoice.invoice_id}", f"payment-failed.{ADV}.trial.20261221T100000Z"]
    )
    assert billing.overview.overview(later).by_plan == [("business", SubscriptionState.PAST_DUE, 1)]
