"""The billing worker (a nightly schedule): every advertiser's invoice for the month before, issued
from the ledger and drawn as PDF in Russian and English (finance.billing). A scheduled event may name
`{"month": "yyyy-mm"}` to run that month's invoices again (what is issued stays as issued)."""

from __future__ import annotations

import re
from typing import Any

import boto3

from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.observability import logger, metrics, tracer
from partnerka.finance.billing import BillingSettings, billing_for
from partnerka.finance.invoices import previous_month

MONTH = re.compile(r"20\d\d-(0[1-9]|1[0-2])")
billing = billing_for(read_settings(BillingSettings), boto3.client("s3"))


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    detail = event.get("detail") or event
    now = utc_now()
    month = detail.get("month") or previous_month(now)
    if not isinstance(month, str) or not MONTH.fullmatch(month):
        raise ValueError(f"month {month!r} is not yyyy-mm")
    return {"month": month, "invoices": billing.run(month, now)}
