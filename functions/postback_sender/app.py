"""The postback-sender worker: each message names one delivery; one attempt is made when it is due,
and a message that must wait comes back then (operations.consumer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerka.common.config import host_names, read_settings, setting
from partnerka.common.observability import logger, metrics, tracer
from partnerka.notifications.events import QueuedNotices
from partnerka.notifications.outbox import Outbox
from partnerka.notifications.webhooks import WebhookEndpointRepository
from partnerka.operations.consumer import QueueConsumer
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.failing import AttemptCounterRepository, PostbackFailureWatch
from partnerka.postbacks.repository import PostbackSettingsRepository, TtlCache
from partnerka.postbacks.sender import DeliveryWorker, HttpSender
from partnerka.postbacks.ssrf import loopback_allowed
from partnerka.postbacks.webhooks import DeliverySigningSecrets


@dataclass(frozen=True, slots=True)
class Settings:
    core_table: str  # affiliates' postback settings, advertisers' postback domains, webhook endpoints
    operations_table: str  # the deliveries, the failure counters, a notice the notify queue refused
    notify_queue_url: str  # affiliates are told of failing postbacks
    postback_queue_url: str
    postback_dlq_url: str
    stage: str
    allow_loopback_postbacks: str  # "true" only locally and in tests; refused in prod
    postback_allowed_domains: tuple[str, ...] = setting(host_names, default=())  # empty: any public host
    route_cache_seconds: float = setting(default=30.0)


settings = read_settings(Settings)
_store = PostbackSettingsRepository(settings.core_table)
_domains: TtlCache[list[str]] = TtlCache(
    lambda ids: {i: _store.advertiser_domains(i) for i in ids}, settings.route_cache_seconds
)


_suspended: TtlCache[bool] = TtlCache(
    lambda ids: {i: _store.advertiser_suspended(i) for i in ids}, settings.route_cache_seconds
)


def _advertiser_domains(advertiser_id: str) -> list[str]:
    return _domains.get_many([advertiser_id]).get(advertiser_id, [])


def _advertiser_suspended(advertiser_id: str) -> bool:
    """As the click path learns it: within the cache's lifetime."""
    return _suspended.get_many([advertiser_id]).get(advertiser_id, False)


operations = OperationsRepository(settings.operations_table)
failing = PostbackFailureWatch(
    AttemptCounterRepository(settings.operations_table),
    QueuedNotices(Outbox(SqsQueue(settings.notify_queue_url), operations)),
)
worker = DeliveryWorker(
    operations,
    HttpSender(
        allow_loopback=loopback_allowed(settings.stage, settings.allow_loopback_postbacks),
        platform_domains=settings.postback_allowed_domains,
    ),
    SqsQueue(settings.postback_dlq_url),
    _advertiser_domains,
    # Read at every webhook attempt: a rotated secret signs the very next one.
    DeliverySigningSecrets(WebhookEndpointRepository(settings.core_table), _store.get),
    observer=failing,
    advertiser_suspended=_advertiser_suspended,
)
consumer = QueueConsumer(worker, SqsQueue(settings.postback_queue_url))


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.consume(event, context)
