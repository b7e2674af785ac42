"""The reports worker. From the reports queue: CSV exports the API queued (stats.exports). On its
daily schedule: the summaries of the day before, and on the 1st those of the month before
(stats.summaries); a scheduled event may name `{"day": "yyyy-mm-dd"}` to build that day's run again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

import boto3
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from partnerka.accounts.repository import AccountRepository
from partnerka.analytics.configured import AnalyticsSettings, engine_of
from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.observability import logger, metrics, tenant_keys, tracer
from partnerka.common.pynamo import use_core_table
from partnerka.conversions.repository import ConversionRepository
from partnerka.stats.analytics_reports import EngineReports
from partnerka.stats.click_log import ClickLogRepository
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.exports import ExportRepository, ExportRunner
from partnerka.stats.names import group_names
from partnerka.stats.raw import stored_conversions
from partnerka.stats.service import Sources
from partnerka.stats.summaries import SummaryBuilder, periods_due


@dataclass(frozen=True, slots=True)
class Settings:
    core_table: str  # export jobs; the advertisers and the names of what a report groups by
    stats_table: str
    conversions_table: str
    reports_bucket: str


settings = read_settings(Settings)
use_core_table(settings.core_table)
s3 = boto3.client("s3")
conversions = ConversionRepository(settings.conversions_table)
sources = Sources(
    CubeRepository(settings.stats_table),
    ClickLogRepository(settings.stats_table),
    stored_conversions(conversions),
    engine=EngineReports(engine_of(read_settings(AnalyticsSettings))),
)
exports = ExportRepository(settings.core_table)


def _upload(key: str, body: IO[bytes]) -> None:
    s3.upload_fileobj(
        body, settings.reports_bucket, key, ExtraArgs={"ContentType": "text/csv; charset=utf-8"}
    )


def _put(key: str, body: bytes) -> None:
    s3.put_object(Bucket=settings.reports_bucket, Key=key, Body=body, ContentType="text/csv; charset=utf-8")


runner = ExportRunner(
    sources,
    lambda advertiser, first, last, affiliate: conversions.between(advertiser, first, last, True, affiliate),
    group_names,
    exports,
    _upload,
    utc_now,
)
summaries = SummaryBuilder(
    sources, _put, lambda: sorted(a.id for a in AccountRepository().list_advertisers()), group_names
)
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def export(record: SQSRecord) -> None:
    named = json.loads(record.body)["export"]
    job = exports.get(named["user_id"], named["export_id"])
    if job is None:  # expired before it was built: nothing to do
        logger.warning("export not found", **named)
        return
    tenant = job.advertisers[0] if len(job.advertisers) == 1 else None  # a platform export spans many
    with logger.append_context_keys(**tenant_keys(tenant, user_id=job.user_id)):
        done = runner.run(job)
        logger.info("export finished", export_id=done.export_id, status=done.status.value, rows=done.rows)


def summarise(event: dict[str, Any]) -> dict[str, Any]:
    today = date.fromisoformat(event["day"]) if event.get("day") else utc_now().date()
    built = {f"{period.value} {first}": summaries.run(period, first) for period, first in periods_due(today)}
    logger.info("summaries built", built=built)
    return {"built": built}


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if "Records" in event:
        response = process_partial_response(
            event=event, record_handler=export, processor=processor, context=context
        )
        return dict(response)
    return summarise(event.get("detail") or event)
