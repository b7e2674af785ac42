"""Builds the offers service from the settings (the offers context wires itself; accounts, below it,
knows nothing of offers)."""

from __future__ import annotations

from partnerka.accounts.repository import AccountRepository
from partnerka.audit.service import AuditTrail
from partnerka.common.config import Settings, dashboard_base_url
from partnerka.offers.repository import OfferRepository
from partnerka.offers.service import OfferService


def offer_service(settings: Settings, audit: AuditTrail) -> OfferService:
    return OfferService(OfferRepository(), AccountRepository(), audit, dashboard_base_url(settings))
