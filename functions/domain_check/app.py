"""Scheduled: moves custom domains on (DNS records, edge tenant, certificate), re-checks active ones
daily and marks a domain broken when its CNAME no longer points at the edge (domains.service)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.common.config import read_settings, setting
from partnerka.common.observability import logger, metrics, tracer
from partnerka.domains.composition import DomainServiceSettings, domain_service
from partnerka.domains.tenants import TenantEdgeSettings


@dataclass(frozen=True, slots=True)
class Settings:
    audit_table: str
    domain_check_batch: int = setting(default=100)  # domains looked at per run, the longest waiting first


settings = read_settings(Settings)
domains = domain_service(
    read_settings(DomainServiceSettings),
    read_settings(TenantEdgeSettings),
    AuditLog(AuditRepository(settings.audit_table)),
)


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    run = domains.check_due(settings.domain_check_batch)
    logger.info("domains checked", **asdict(run))
    return asdict(run)
