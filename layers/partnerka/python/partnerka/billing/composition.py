"""SaaS billing on the platform's own tables: the plan catalogue, the subscription service (the API's),
the billing run (SubscriptionBillingFunction's) and the Owner's overview, each built once per function
instance from its settings and the ports other contexts provide (the payment provider, what an
advertiser uses, its month's clicks)."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.accounts.repository import AccountRepository
from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.billing.metrics import BillingOverview
from partnerka.billing.payments import PaymentProvider
from partnerka.billing.plans import PlanCatalogue
from partnerka.billing.ports import ClicksMeter, UsageCounts
from partnerka.billing.renewals import Renewals
from partnerka.billing.repository import BillingRepository
from partnerka.billing.run import BillingRun
from partnerka.billing.subscriptions import CheckoutSettings, SubscriptionService
from partnerka.common.config import APP_BASE_URL_HINT, base_url, setting
from partnerka.common.pynamo import use_core_table
from partnerka.notifications.events import QueuedNotices
from partnerka.notifications.outbox import Outbox
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository


@dataclass(frozen=True, slots=True)
class SubscriptionSettings:
    """Plans, subscriptions, invoices and advertisers in the core table; the audit log; the notify
    queue (and the operations log, for a notice it refuses); the dashboard's URL, which the payment
    provider's pages send the advertiser back to."""

    core_table: str
    audit_table: str
    notify_queue_url: str
    operations_table: str
    app_base_url: str = setting(base_url, APP_BASE_URL_HINT)


@dataclass(frozen=True, slots=True)
class Billing:
    plans: PlanCatalogue
    subscriptions: SubscriptionService
    renewals: Renewals
    overview: BillingOverview
    store: BillingRepository
    accounts: AccountRepository
    notices: QueuedNotices


def billing_services(
    settings: SubscriptionSettings, provider: PaymentProvider, usage: UsageCounts | None = None
) -> Billing:
    """Every billing service on the platform's tables; `usage` None where plans are not changed (the
    billing run)."""
    use_core_table(settings.core_table)
    store = BillingRepository(settings.core_table)
    audit = AuditLog(AuditRepository(settings.audit_table))
    notices = QueuedNotices(
        Outbox(SqsQueue(settings.notify_queue_url), OperationsRepository(settings.operations_table))
    )
    accounts = AccountRepository()
    plans = PlanCatalogue(store, audit)
    subscriptions = SubscriptionService(
        store, plans, accounts, provider, audit, notices, CheckoutSettings(settings.app_base_url), usage
    )
    return Billing(
        plans=plans,
        subscriptions=subscriptions,
        renewals=Renewals(subscriptions.book, store, plans, audit, notices),
        overview=BillingOverview(store, accounts),
        store=store,
        accounts=accounts,
        notices=notices,
    )


def billing_run(settings: SubscriptionSettings, provider: PaymentProvider, clicks: ClicksMeter) -> BillingRun:
    """The hourly run of SubscriptionBillingFunction."""
    billing = billing_services(settings, provider)
    return BillingRun(
        billing.renewals, billing.subscriptions.book, billing.store, billing.accounts, clicks, billing.notices
    )
