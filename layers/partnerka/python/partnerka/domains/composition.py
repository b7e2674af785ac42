"""Builds the custom-domain service from its settings: the core table, the operations log, DNS, and
the edge that serves advertisers' hosts (domains.tenants: CloudFront's distribution tenants in AWS;
on the local platform, whose gateway answers every host itself, tenants that exist at once)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from partnerka.audit.service import AuditTrail
from partnerka.billing.limits import UNLIMITED, PlanGate
from partnerka.common.config import APP_BASE_URL_HINT, base_url, host_names, setting
from partnerka.common.pynamo import use_core_table
from partnerka.domains.dns import ResolverLookup
from partnerka.domains.repository import DomainRepository
from partnerka.domains.service import DomainNotices, DomainService, DomainSettings, QueueWake
from partnerka.domains.tenants import TenantEdgeSettings, tenant_edge
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository


@dataclass(frozen=True, slots=True)
class DomainServiceSettings:
    core_table: str
    operations_table: str
    tenant_cname_target: str  # the connection group's routing endpoint: what advertisers' CNAMEs name
    app_base_url: str = setting(base_url, APP_BASE_URL_HINT)
    platform_domains: tuple[str, ...] = setting(host_names, default=())  # the template's DomainName
    dns_nameservers: str = ""  # empty: the system's resolver (on Lambda, AWS's)


@dataclass(frozen=True, slots=True)
class WakeSettings:
    domain_check_queue_url: str  # where the API hands the edge's part of a check over


def domain_service(
    settings: DomainServiceSettings,
    audit: AuditTrail,
    edge: TenantEdgeSettings | None = None,
    wake: WakeSettings | None = None,
    notices: DomainNotices | None = None,
    limits: PlanGate = UNLIMITED,
) -> DomainService:
    """The checks with the edge (`edge`: the DomainCheckFunction), or without it, handing the edge's
    part over through the queue (`wake`: the API, which cannot name the tenant distribution: that
    distribution's origin is the HTTP API, whose routes are the API's functions, a cycle). `limits`:
    the plans' gate, asked where domains are added (the API)."""
    use_core_table(settings.core_table)
    own_host = urlsplit(settings.app_base_url).hostname or ""
    platform = tuple(dict.fromkeys(h for h in (own_host, *settings.platform_domains) if h))
    return DomainService(
        DomainRepository(),
        ResolverLookup(settings.dns_nameservers),
        tenant_edge(edge) if edge is not None else None,
        audit,
        OperationsRepository(settings.operations_table),
        DomainSettings(
            platform_domains=platform, cname_target=settings.tenant_cname_target.lower().rstrip(".")
        ),
        wake=QueueWake(SqsQueue(wake.domain_check_queue_url)) if wake is not None else None,
        notices=notices,
        limits=limits,
    )
