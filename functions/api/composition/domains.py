"""The custom-domain service."""

from __future__ import annotations

from composition import audit, service
from partnerka.common.config import read_settings
from partnerka.domains.composition import DomainServiceSettings, domain_service
from partnerka.domains.service import DomainService
from partnerka.domains.tenants import TenantEdgeSettings


@service
def domains() -> DomainService:
    return domain_service(read_settings(DomainServiceSettings), read_settings(TenantEdgeSettings), audit())
