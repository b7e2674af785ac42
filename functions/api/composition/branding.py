"""The brand service."""

from __future__ import annotations

from composition import audit, portals, service
from composition.billing import plan_gate
from partnerka.branding.composition import BrandSettings, brand_service
from partnerka.branding.service import BrandService
from partnerka.common.config import read_settings


@service
def brands() -> BrandService:
    return brand_service(read_settings(BrandSettings), audit(), portals(), plan_gate())
