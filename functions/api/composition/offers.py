"""The offers service."""

from __future__ import annotations

from composition import audit, service
from composition.billing import plan_gate
from partnerka.common.config import read_settings
from partnerka.offers.composition import OfferSettings, offer_service
from partnerka.offers.service import OfferService


@service
def offers() -> OfferService:
    return offer_service(read_settings(OfferSettings), audit(), plan_gate())
