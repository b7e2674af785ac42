"""SubscriptionBillingFunction as Lambda runs it, on its schedule's event: an advertiser from before
billing, its trial long over, is billed once however often the hour's run comes, every call one its
policy allows; a run may be asked to bill as of another instant."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

from partnerka.accounts.models import Advertiser
from partnerka.accounts.repository import AccountRepository
from partnerka.billing.models import InvoiceStatus, SubscriptionState
from partnerka.billing.repository import BillingRepository
from partnerka.common.clock import iso_millis
from partnerka_local.template import Template
from tests.integration.conftest import CONTEXT, FunctionLoader

ADV = "01JADBILLINGFUNCTION000001"


def scheduled(detail: dict[str, Any] | None = None) -> dict[str, Any]:
    """An EventBridge Scheduler-less rule's event, as a `Schedule` event source sends it."""
    return {
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": "2026-12-07T10:00:00Z",
        "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/test-SubscriptionBillingHourly"],
        "detail": detail or {},
    }


def test_the_hourly_run_bills_an_old_trial_once_however_often_it_comes(
    load_function: FunctionLoader, stack: Template
) -> None:
    AccountRepository().add_advertiser(
        Advertiser(ADV, "Acme", iso_millis(datetime.now(UTC) - timedelta(days=30)))
    )
    function = load_function("subscription_billing")

    first = function.handler(scheduled(), CONTEXT)
    again = function.handler(scheduled(), CONTEXT)

    # An advertiser from before billing gets its whole trial from the run that first sees it.
    assert (first["adopted"], first["failed"], again["adopted"]) == (1, [], 0)
    store = BillingRepository(os.environ["CORE_TABLE"])
    sub = store.subscription(ADV)
    assert sub is not None
    assert sub.state is SubscriptionState.TRIALING
    assert store.invoices(ADV) == []
    assert [plan.code for plan in store.plans()] == ["business", "enterprise", "pro", "starter"]

    after_trial = {"at": iso_millis(datetime.now(UTC) + timedelta(days=14, minutes=1))}
    for _ in range(3):  # the same hour's run, again and again
        function.handler(scheduled(after_trial), CONTEXT)

    sub = store.subscription(ADV)
    assert sub is not None
    assert sub.state is SubscriptionState.PAST_DUE
    [invoice] = store.invoices(ADV)
    assert (invoice.status, invoice.total, invoice.announced) == (InvoiceStatus.OPEN, 39900, True)


def test_a_run_may_be_asked_to_bill_as_of_another_instant(
    load_function: FunctionLoader, stack: Template
) -> None:
    AccountRepository().add_advertiser(Advertiser(ADV, "Acme", "2026-12-01T00:00:00.000Z"))
    function = load_function("subscription_billing")

    function.handler(scheduled({"at": "2026-12-10T00:00:00Z"}), CONTEXT)
    assert BillingRepository(os.environ["CORE_TABLE"]).subscription(ADV).state is SubscriptionState.TRIALING  # type: ignore[union-attr]
    function.handler(scheduled({"at": "2026-12-24T00:00:01Z"}), CONTEXT)

    assert BillingRepository(os.environ["CORE_TABLE"]).subscription(ADV).state is SubscriptionState.PAST_DUE  # type: ignore[union-attr]
