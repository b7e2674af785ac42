"""Builds the offers service from the settings (the offers context wires itself; accounts, below it,
knows nothing of offers)."""

from __future__ import annotations

from partnerka.accounts.repository import AccountRepository
from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.common.config import Settings, dashboard_base_url
from partnerka.offers.repository import OfferRepository
from partnerka.offers.service import OfferService


def offer_service(settings: Settings) -> OfferService:
    return OfferService(
        OfferRepository(),
        AccountRepository(),
        AuditLog(AuditRepository(settings.audit_table)),
        dashboard_base_url(settings),
    )
