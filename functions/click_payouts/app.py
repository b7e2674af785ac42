"""Scheduled, every hour at minute 10: posts the paid clicks of each closed hour to the ledger, one
journal per offer, affiliate and hour, from the statistics' exactly-once counts
(partnerka.finance.clicks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.observability import logger, metrics, tracer
from partnerka.finance.clicks import post_click_payouts
from partnerka.finance.repository import LedgerRepository
from partnerka.stats.cube_store import CubeRepository


@dataclass(frozen=True, slots=True)
class Settings:
    stats_table: str  # the CPC counters (read)
    ledger_table: str


settings = read_settings(Settings)
counts = CubeRepository(settings.stats_table)
ledger = LedgerRepository(settings.ledger_table)


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    run = post_click_payouts(counts, ledger, utc_now())
    logger.info("paid clicks posted", journals=run.posted, failed=run.failed)
    if run.failed:
        # Counted clicks are never lost: the next run posts them. Failing the invocation makes the
        # schedule's error metric (and its alarm) show it.
        raise RuntimeError(f"{run.failed} advertiser-days of paid clicks were not posted")
    return {"posted": run.posted}
