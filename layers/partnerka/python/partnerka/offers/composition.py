"""Builds the offers service from its settings (the offers context wires itself; accounts, below it,
knows nothing of offers)."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.accounts.repository import AccountRepository
from partnerka.audit.service import AuditTrail
from partnerka.billing.limits import PlanGate
from partnerka.common.config import APP_BASE_URL_HINT, base_url, setting
from partnerka.common.pynamo import use_core_table
from partnerka.domains.links import LinkBases
from partnerka.domains.repository import DomainRepository
from partnerka.offers.repository import OfferRepository
from partnerka.offers.service import OfferService


@dataclass(frozen=True, slots=True)
class OfferSettings:
    """The offers live in the core table; affiliates' tracking links start at the dashboard's URL."""

    core_table: str
    app_base_url: str = setting(base_url, APP_BASE_URL_HINT)


def offer_service(settings: OfferSettings, audit: AuditTrail, limits: PlanGate) -> OfferService:
    use_core_table(settings.core_table)
    links = LinkBases(DomainRepository(), settings.app_base_url)
    return OfferService(OfferRepository(), AccountRepository(), audit, settings.app_base_url, links, limits)
