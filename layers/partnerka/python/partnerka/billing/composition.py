"""SaaS billing on the platform's own tables: the plan catalogue, the subscription service and the
Owner's overview (the API's), and the hourly run (SubscriptionBillingFunction's), each built once per
function instance from its settings and the ports other contexts provide (the payment provider, what
an advertiser uses, its month's clicks)."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.billing.book import Advertisers, SubscriptionBook
from partnerka.billing.metrics import BillingOverview
from partnerka.billing.payments import PaymentProvider
from partnerka.billing.plans import PlanCatalogue
from partnerka.billing.ports import ClicksMeter, UsageCounts
from partnerka.billing.renewals import Renewals
from partnerka.billing.repository import BillingRepository
from partnerka.billing.run import BillingRun
from partnerka.billing.subscriptions import CheckoutSettings, SubscriptionService
from partnerka.common.pynamo import use_core_table
from partnerka.notifications.events import QueuedNotices
from partnerka.notifications.outbox import Outbox
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository


@dataclass(frozen=True, slots=True)
class SubscriptionSettings:
    """Plans, subscriptions, invoices and advertisers in the core table; the audit log; the notify
    queue (and the operations log, for a notice it refuses)."""

    core_table: str
    audit_table: str
    notify_queue_url: str
    operations_table: str


@dataclass(frozen=True, slots=True)
class _Parts:
    store: BillingRepository
    plans: PlanCatalogue
    audit: AuditLog
    notices: QueuedNotices


def _parts(settings: SubscriptionSettings) -> _Parts:
    use_core_table(settings.core_table)
    store = BillingRepository(settings.core_table)
    audit = AuditLog(AuditRepository(settings.audit_table))
    notices = QueuedNotices(
        Outbox(SqsQueue(settings.notify_queue_url), OperationsRepository(settings.operations_table))
    )
    return _Parts(store, PlanCatalogue(store, audit), audit, notices)


@dataclass(frozen=True, slots=True)
class Billing:
    plans: PlanCatalogue
    subscriptions: SubscriptionService
    overview: BillingOverview


def billing_services(
    settings: SubscriptionSettings,
    checkout: CheckoutSettings,
    advertisers: Advertisers,
    provider: PaymentProvider,
    usage: UsageCounts | None = None,
) -> Billing:
    """What the API's billing routes call: the catalogue, the subscriptions and the overview.
    `advertisers`: accounts.repository.AccountRepository (billing sits below accounts); `usage` None
    where no plan is changed for a lower one (an operator's script)."""
    parts = _parts(settings)
    subscriptions = SubscriptionService(
        parts.store, parts.plans, advertisers, provider, parts.audit, parts.notices, checkout, usage
    )
    return Billing(parts.plans, subscriptions, BillingOverview(parts.store, advertisers))


def billing_run(
    settings: SubscriptionSettings, advertisers: Advertisers, provider: PaymentProvider, clicks: ClicksMeter
) -> BillingRun:
    """The hourly run of SubscriptionBillingFunction."""
    parts = _parts(settings)
    book = SubscriptionBook(parts.store, parts.plans, advertisers, provider, parts.audit, parts.notices)
    renewals = Renewals(book, parts.store, parts.plans, parts.audit, parts.notices)
    return BillingRun(renewals, book, parts.store, advertisers, clicks, parts.notices)
