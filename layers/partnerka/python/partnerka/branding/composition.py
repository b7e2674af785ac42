"""Builds the brand service from its settings."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.accounts.repository import AccountRepository
from partnerka.audit.service import AuditTrail
from partnerka.billing.limits import UNLIMITED, PlanGate
from partnerka.branding.assets import BucketBrandFiles
from partnerka.branding.repository import BrandRepository
from partnerka.branding.service import BrandService, portal_name
from partnerka.common.config import ConfigurationError, setting
from partnerka.common.errors import ValidationFailed
from partnerka.common.pynamo import use_core_table
from partnerka.domains.claims import PortalHosts


def _platform_name(variable: str, value: str) -> str:
    try:
        return portal_name(value)
    except ValidationFailed as refused:
        raise ConfigurationError(f"{variable}: {refused.message} (the template's PlatformName)") from None


@dataclass(frozen=True, slots=True)
class BrandSettings:
    """Brands live in the core table, their images in the brand bucket; the platform's own name is
    what a page shows where no advertiser's brand applies."""

    core_table: str
    brand_bucket: str
    platform_name: str = setting(_platform_name, "the platform's name: the template's PlatformName parameter")


def brand_service(
    settings: BrandSettings,
    audit: AuditTrail,
    hosts: PortalHosts | None = None,
    limits: PlanGate = UNLIMITED,
) -> BrandService:
    use_core_table(settings.core_table)
    return BrandService(
        BrandRepository(),
        hosts or PortalHosts(settings.core_table),
        AccountRepository(),
        BucketBrandFiles(settings.brand_bucket),
        audit,
        settings.platform_name,
        limits,
    )
