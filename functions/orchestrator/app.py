"""Consumes the clicks and conversions streams: each record is decoded once into its typed event
(partnerka.orchestrator.records) and routed (partnerka.orchestrator.routing) to affiliate postbacks
on the postback queue, finance events on the finance queue, and the statistics' projection with click
quality and paid clicks; each batch is logged as an operation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerka.analytics.objects import BucketObjects
from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.observability import logger, metrics, tracer
from partnerka.conversions.cap_notices import CapWatch
from partnerka.finance.dispatch import FinanceDispatcher
from partnerka.notifications.events import QueuedNotices
from partnerka.notifications.outbox import Outbox
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository
from partnerka.orchestrator.records import decode_record
from partnerka.orchestrator.service import run_batch
from partnerka.postbacks.dispatch import PostbackDispatcher
from partnerka.postbacks.repository import DeliveryRepository, PostbackSettingsRepository
from partnerka.stats.analytics_store import AnalyticsStore
from partnerka.stats.click_log import ClickLogRepository
from partnerka.stats.cpc import ClickPayer
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.projection import StatsStores
from partnerka.stats.quality import QualityJudge
from partnerka.stats.quality_store import QualityRepository
from partnerka.tracking.caps import CapCounterRepository
from partnerka.tracking.datacenter import DatacenterRanges
from partnerka.tracking.repository import CachedRouteRepository


@dataclass(frozen=True, slots=True)
class Settings:
    stats_table: str  # cubes, the click log, click quality
    operations_table: str
    core_table: str  # affiliates' postback settings
    caps_table: str  # the cap counters, read for a cap-reached notice
    postback_queue_url: str
    finance_queue_url: str
    clicks_table: str  # the streams' tables: a record's source is known by its table's name
    conversions_table: str
    geoip_db_path: str  # the GeoLayer: the hosting networks' ranges lie beside the country database
    notify_queue_url: str
    analytics_bucket: str  # the analytics store: every click and conversion change as Parquet


ROUTE_TTL_SECONDS = 60.0  # a cap changed on an offer is told by its new limit within a minute

settings = read_settings(Settings)
stats = StatsStores(
    CubeRepository(settings.stats_table),
    ClickLogRepository(settings.stats_table),
    AnalyticsStore(BucketObjects(settings.analytics_bucket).put),
)
judge = QualityJudge(QualityRepository(settings.stats_table), DatacenterRanges.beside(settings.geoip_db_path))
operations = OperationsRepository(settings.operations_table)
# Read fresh for every batch (one BatchGetItem for its affiliates): a saved postback URL applies to
# the very next event, and the cost is a fraction of a read per record.
dispatcher = PostbackDispatcher(
    PostbackSettingsRepository(settings.core_table).get_many,
    DeliveryRepository(operations),
    SqsQueue(settings.postback_queue_url).send,
    utc_now,
)
finance_queue = SqsQueue(settings.finance_queue_url)
finance = FinanceDispatcher(finance_queue.send)
notices = QueuedNotices(Outbox(SqsQueue(settings.notify_queue_url), operations))
# Only refusals over a cap read anything: the offer's caps, cached as the tracker caches them.
routes = CachedRouteRepository(settings.core_table, ROUTE_TTL_SECONDS)
caps = CapWatch(routes, CapCounterRepository(settings.caps_table))
# Paid clicks are priced from the same cache: an offer's new price per click applies within a minute.
payer = ClickPayer(routes, stats.cubes)
_SOURCES = {settings.clicks_table: "clicks", settings.conversions_table: "conversions"}


def _source_of(event_source_arn: str) -> str:
    # arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>
    table = event_source_arn.split(":table/", 1)[-1].split("/stream/", 1)[0]
    return _SOURCES.get(table, "unknown")


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    records = [decode_record(raw, _source_of) for raw in event.get("Records", [])]
    failed = run_batch(
        records,
        stats,
        judge,
        dispatcher,
        operations,
        finance=finance,
        notices=notices,
        caps=caps,
        payer=payer,
    )
    logger.info("stream batch done", records=len(records), failed=len(failed))
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}
