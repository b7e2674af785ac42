"""The custom-domain service."""

from __future__ import annotations

from composition import audit, service
from composition.billing import plan_gate
from partnerka.common.config import read_settings
from partnerka.domains.composition import DomainServiceSettings, WakeSettings, domain_service
from partnerka.domains.service import DomainService


@service
def domains() -> DomainService:
    # Without the edge: the API cannot name the tenant distribution (see domain_service).
    return domain_service(
        read_settings(DomainServiceSettings), audit(), wake=read_settings(WakeSettings), limits=plan_gate()
    )
