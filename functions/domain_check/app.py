"""Scheduled, and woken through its queue: moves custom domains on (DNS records, edge tenant,
certificate), re-checks active ones daily and marks a domain broken when its CNAME no longer points
at the edge (domains.service). The API hands the edge's part of a check over through the queue: one
message per domain, `{advertiser_id, domain_id}`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.common.config import read_settings, setting
from partnerka.common.observability import logger, metrics, tracer
from partnerka.domains.composition import DomainServiceSettings, domain_service
from partnerka.domains.notices import DomainStatusNotices
from partnerka.domains.repository import DomainChanged
from partnerka.domains.service import woken
from partnerka.domains.tenants import TenantEdgeSettings
from partnerka.notifications.events import QueuedNotices
from partnerka.notifications.outbox import Outbox
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository


@dataclass(frozen=True, slots=True)
class Settings:
    audit_table: str
    notify_queue_url: str  # the advertiser's team is told where its domains stand
    operations_table: str
    domain_check_batch: int = setting(
        default=100
    )  # domains a scheduled run looks at, the longest waiting first


settings = read_settings(Settings)
domain_settings = read_settings(DomainServiceSettings)
domains = domain_service(
    domain_settings,
    AuditLog(AuditRepository(settings.audit_table)),
    edge=read_settings(TenantEdgeSettings),
    notices=DomainStatusNotices(
        QueuedNotices(
            Outbox(SqsQueue(settings.notify_queue_url), OperationsRepository(settings.operations_table))
        )
    ),
)


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if "Records" in event:
        return {"batchItemFailures": [{"itemIdentifier": i} for i in _woken(event["Records"])]}
    run = domains.check_due(settings.domain_check_batch)
    logger.info("domains checked", **asdict(run))
    return asdict(run)


def _woken(records: list[dict[str, Any]]) -> list[str]:
    """Each message's domain looked at now; the ids of the messages to deliver again (the domain
    changed under the check, or the check broke on a fault: the next delivery looks again, and a
    look changes nothing by itself), so one message's trouble never sends the others round again. A
    message that names no domain is dropped, logged: it can never be checked."""
    again = []
    for record in records:
        try:
            advertiser_id, domain_id = woken(record.get("body", ""))
        except ValueError:
            logger.warning("domain wake dropped: not a wake message", message_id=record.get("messageId"))
            continue
        try:
            domains.check_woken(advertiser_id, domain_id)
        except DomainChanged:
            again.append(record["messageId"])
        except Exception:
            logger.exception("domain wake failed", domain_id=domain_id)
            again.append(record["messageId"])
    return again
