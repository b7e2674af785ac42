"""Scheduled, every hour at minute 25: folds each advertiser's closed days of statistics from the
journal into the cube items (partnerka.stats.fold), so reports of older days read the cube items
alone. A day is folded once, however often the schedule fires or a run dies halfway."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.observability import logger, metrics, tracer
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.fold import fold_due


@dataclass(frozen=True, slots=True)
class Settings:
    stats_table: str  # the journal, its registry and the cube items


settings = read_settings(Settings)
cubes = CubeRepository(settings.stats_table)


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    run = fold_due(cubes, utc_now())
    logger.info("statistics folded", days=run.folded, failed=run.failed)
    if run.failed:
        # A day left unfolded is still read from its journal: nothing is lost, and the next run tries
        # again. Failing the invocation makes the schedule's error metric (and its alarm) show it.
        raise RuntimeError(f"{run.failed} advertiser-days of statistics were not folded")
    return {"folded": run.folded}
