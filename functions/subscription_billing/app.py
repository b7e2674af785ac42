"""The SaaS billing run (hourly schedule): trials that end, periods renewed and charged, dunning and
suspension, the month's clicks against each plan and the month before's overage (partnerka.billing.run).
Every step is keyed by what it bills or tells, so a rerun of the hour or of the day does nothing twice.
A scheduled event may name `{"at": "<ISO-8601 instant>"}` to run as of then (what is done stays done)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from partnerka.accounts.repository import AccountRepository
from partnerka.billing.composition import SubscriptionSettings, billing_run
from partnerka.billing.stripe import StripeSettings, stripe_payments
from partnerka.common.clock import parse_iso, utc_now
from partnerka.common.config import read_settings
from partnerka.common.observability import logger, metrics, tracer
from partnerka.common.pynamo import use_core_table
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.month_clicks import MonthClicks


@dataclass(frozen=True, slots=True)
class StatsSettings:
    stats_table: str  # the advertisers' daily totals, the month's clicks are counted from


settings = read_settings(SubscriptionSettings)
use_core_table(settings.core_table)  # the advertisers' rows, read through PynamoDB
run = billing_run(
    settings,
    AccountRepository(),
    stripe_payments(read_settings(StripeSettings)),
    MonthClicks(CubeRepository(read_settings(StatsSettings).stats_table)),
)


def _as_of(event: dict[str, Any]) -> datetime:
    detail = event.get("detail") or {}
    asked = detail.get("at") if isinstance(detail, dict) else None
    if asked is None:
        return utc_now()
    if not isinstance(asked, str):
        raise ValueError(f"at {asked!r} is not an ISO-8601 instant")
    return parse_iso(asked)


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    report = run.run(_as_of(event))
    return {**asdict(report), "failed": list(report.failed)}
