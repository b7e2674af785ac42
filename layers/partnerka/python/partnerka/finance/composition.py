"""The finance services on the platform's own tables: built once per function instance, from the
settings (the API's finance function is their one user)."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.accounts.repository import AccountRepository
from partnerka.accounts.suspension import AccountStandings
from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.common.pynamo import use_core_table
from partnerka.finance.balances import Balances
from partnerka.finance.directory import PlatformDirectory
from partnerka.finance.invoices import InvoiceRepository
from partnerka.finance.invoicing import Invoicing
from partnerka.finance.low_balance import LowBalanceFlagRepository, LowBalanceWatch
from partnerka.finance.payouts import Payouts
from partnerka.finance.repository import LedgerRepository
from partnerka.finance.requests import MoneyRequestRepository
from partnerka.finance.settings import FinanceSettingsRepository
from partnerka.finance.topups import TopUps
from partnerka.notifications.events import QueuedNotices
from partnerka.notifications.outbox import Outbox
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository


@dataclass(frozen=True, slots=True)
class FinanceServices:
    balances: Balances
    payouts: Payouts
    topups: TopUps
    invoicing: Invoicing


@dataclass(frozen=True, slots=True)
class FinanceServiceSettings:
    """The ledger (and invoices in it), money requests, thresholds and low-balance flags in the core
    table, the audit log; the notify queue (and the operations log, for a notice it refuses)."""

    core_table: str
    ledger_table: str
    audit_table: str
    notify_queue_url: str
    operations_table: str


def build_finance_services(settings: FinanceServiceSettings) -> FinanceServices:
    use_core_table(settings.core_table)
    ledger = LedgerRepository(settings.ledger_table)
    requests = MoneyRequestRepository(settings.core_table)
    thresholds = FinanceSettingsRepository(settings.core_table)
    audit = AuditLog(AuditRepository(settings.audit_table))
    directory = PlatformDirectory()
    notices = QueuedNotices(
        Outbox(SqsQueue(settings.notify_queue_url), OperationsRepository(settings.operations_table))
    )
    low_balance = low_balance_watch(ledger, settings.core_table, notices)
    return FinanceServices(
        balances=Balances(ledger, thresholds, requests, directory, audit, low_balance),
        payouts=Payouts(
            ledger,
            requests,
            thresholds,
            directory,
            audit,
            notices,
            standings=AccountStandings(AccountRepository()),
        ),
        topups=TopUps(ledger, requests, audit, notices, low_balance),
        invoicing=Invoicing(ledger, InvoiceRepository(settings.ledger_table), directory),
    )


def low_balance_watch(ledger: LedgerRepository, core_table: str, notices: QueuedNotices) -> LowBalanceWatch:
    """The low-balance check every writer of an advertiser's balance runs (the API, the worker)."""
    return LowBalanceWatch(
        ledger, FinanceSettingsRepository(core_table), LowBalanceFlagRepository(core_table), notices
    )
