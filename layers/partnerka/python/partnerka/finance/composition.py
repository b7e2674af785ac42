"""The finance services on the platform's own tables: built once per function instance, from the
settings (the API's finance function is their one user)."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.common.pynamo import use_core_table
from partnerka.finance.balances import Balances
from partnerka.finance.directory import PlatformDirectory
from partnerka.finance.invoices import InvoiceRepository
from partnerka.finance.invoicing import Invoicing
from partnerka.finance.payouts import Payouts
from partnerka.finance.repository import LedgerRepository
from partnerka.finance.requests import MoneyRequestRepository
from partnerka.finance.settings import FinanceSettingsRepository
from partnerka.finance.topups import TopUps


@dataclass(frozen=True, slots=True)
class FinanceServices:
    balances: Balances
    payouts: Payouts
    topups: TopUps
    invoicing: Invoicing


@dataclass(frozen=True, slots=True)
class FinanceServiceSettings:
    """The ledger (and invoices in it), money requests and thresholds in the core table, the audit log."""

    core_table: str
    ledger_table: str
    audit_table: str


def build_finance_services(settings: FinanceServiceSettings) -> FinanceServices:
    use_core_table(settings.core_table)
    ledger = LedgerRepository(settings.ledger_table)
    requests = MoneyRequestRepository(settings.core_table)
    thresholds = FinanceSettingsRepository(settings.core_table)
    audit = AuditLog(AuditRepository(settings.audit_table))
    directory = PlatformDirectory()
    return FinanceServices(
        balances=Balances(ledger, thresholds, requests, directory, audit),
        payouts=Payouts(ledger, requests, thresholds, directory, audit),
        topups=TopUps(ledger, requests, audit),
        invoicing=Invoicing(ledger, InvoiceRepository(settings.ledger_table), directory),
    )
