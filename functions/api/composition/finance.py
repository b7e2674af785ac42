"""The finance services: balances, payouts, top-ups, invoices."""

from __future__ import annotations

from composition import service
from partnerka.common.config import read_settings
from partnerka.finance.composition import FinanceServices, FinanceServiceSettings, build_finance_services


@service
def finance() -> FinanceServices:
    return build_finance_services(read_settings(FinanceServiceSettings))
