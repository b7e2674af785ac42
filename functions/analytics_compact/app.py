"""Scheduled, every hour at minute 40: merges each advertiser-day of the analytics store that holds
more than one object into one (partnerka.analytics.compaction), so Athena reads a few large objects
instead of a stream batch's worth each, and the clicks a bisected retry stored twice are stored once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerka.analytics.compaction import Compactor
from partnerka.common.config import read_settings
from partnerka.common.observability import logger, metrics, tracer


@dataclass(frozen=True, slots=True)
class Settings:
    analytics_bucket: str  # the Parquet objects, clicks/ and conversions/


settings = read_settings(Settings)
compactor = Compactor(settings.analytics_bucket)


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    run = compactor.compact()
    logger.info(
        "analytics store compacted",
        partitions=run.partitions,
        objects_in=run.objects_in,
        rows_out=run.rows_out,
        failed=run.failed,
    )
    if run.failed:
        # Reports stay right with the objects left as they are (queries read each click once); the
        # next run tries again. Failing the invocation makes the schedule's error metric show it.
        raise RuntimeError(f"the analytics store of {len(run.failed)} advertiser tables was not compacted")
    return {"partitions": run.partitions, "objects_in": run.objects_in, "rows_out": run.rows_out}
