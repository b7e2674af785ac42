"""Builds the account services from their settings: shared by the API functions and the scripts.

Each context wires its own services (offers.composition, postbacks.composition, …): this one, at the
bottom of the contexts, imports none above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from partnerka.accounts.callers import Callers
from partnerka.accounts.devices import KnownDeviceRepository
from partnerka.accounts.repository import AccountRepository, SessionRepository
from partnerka.accounts.service import AccountService, Brands
from partnerka.accounts.workspace import Workspace
from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.billing.limits import UNLIMITED, PlanGate
from partnerka.billing.locks import SubscriptionLocks
from partnerka.billing.repository import BillingRepository
from partnerka.common.config import APP_BASE_URL_HINT, base_url, setting
from partnerka.common.pynamo import use_core_table
from partnerka.common.secrets import secret_reader
from partnerka.domains.links import LinkBases
from partnerka.domains.repository import DomainRepository
from partnerka.notifications.events import QueuedNotices
from partnerka.notifications.outbox import Outbox
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository


@dataclass(frozen=True, slots=True)
class CallerSettings:
    """What authenticating a caller needs: the accounts, and the key that signs access tokens."""

    core_table: str
    jwt_secret_arn: str


@dataclass(frozen=True, slots=True)
class AccountSettings(CallerSettings):
    """What the account services need besides: the audit log, the notifier's queue for account
    e-mails (and the operations log that records one the queue refuses), and the dashboard's URL
    that links in those e-mails point at."""

    audit_table: str
    notify_queue_url: str
    operations_table: str
    app_base_url: str = setting(base_url, APP_BASE_URL_HINT)


def callers_of(settings: CallerSettings) -> Callers:
    use_core_table(settings.core_table)
    locks = SubscriptionLocks(BillingRepository(settings.core_table))
    return Callers(AccountRepository(), secret_reader(settings.jwt_secret_arn), locks=locks)


def account_services(
    settings: AccountSettings, brands: Brands | None = None, limits: PlanGate = UNLIMITED
) -> tuple[AccountService, Workspace]:
    use_core_table(settings.core_table)
    signing_key: Callable[[], str] = secret_reader(settings.jwt_secret_arn)
    outbox = Outbox(SqsQueue(settings.notify_queue_url), OperationsRepository(settings.operations_table))
    service = AccountService(
        AccountRepository(),
        SessionRepository(),
        AuditLog(AuditRepository(settings.audit_table)),
        outbox,
        signing_key,
        settings.app_base_url,
        brands=brands,
        notices=QueuedNotices(outbox),
        devices=KnownDeviceRepository(settings.core_table),
    )
    return service, Workspace(service, LinkBases(DomainRepository(), settings.app_base_url), limits)
