"""Scheduled: approves held conversions whose hold period has ended."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.observability import logger, metrics, tracer
from partnerka.conversions.repository import ConversionRepository
from partnerka.conversions.service import release_holds


@dataclass(frozen=True, slots=True)
class Settings:
    conversions_table: str


conversions = ConversionRepository(read_settings(Settings).conversions_table)


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    released = release_holds(conversions, utc_now())
    logger.info("holds released", released=released)
    return {"released": released}
