"""The billing worker (a nightly schedule): every advertiser's invoice for the month before, issued
from the ledger and drawn as PDF in Russian and English (finance.billing). A scheduled event may name
`{"month": "yyyy-mm"}` to run that month's invoices again (what is issued stays as issued)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import boto3

from partnerka.accounts.repository import AccountRepository
from partnerka.common.clock import utc_now
from partnerka.common.config import get_settings
from partnerka.common.observability import logger
from partnerka.finance.billing import Billing
from partnerka.finance.invoices import InvoiceRepository, previous_month
from partnerka.finance.ledger_store import LedgerRepository
from partnerka.stats.names import group_names

MONTH = re.compile(r"20\d\d-(0[1-9]|1[0-2])")
settings = get_settings()
s3 = boto3.client("s3")


def _advertisers() -> dict[str, str]:
    return {advertiser.id: advertiser.name for advertiser in AccountRepository().list_advertisers()}


def _names(advertiser_id: str, affiliates: list[str]) -> Mapping[str, Mapping[str, str]]:
    return {
        "offer": group_names("offer", [], [advertiser_id]),
        "affiliate": group_names("affiliate", affiliates, [advertiser_id]),
    }


def _store(key: str, pdf: bytes) -> None:
    s3.put_object(Bucket=settings.reports_bucket, Key=key, Body=pdf, ContentType="application/pdf")


billing = Billing(
    LedgerRepository(settings.ledger_table),
    InvoiceRepository(settings.ledger_table),
    _advertisers,
    _names,
    _store,
    settings.fonts_dir,
)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    detail = event.get("detail") or event
    now = utc_now()
    month = detail.get("month") or previous_month(now)
    if not isinstance(month, str) or not MONTH.fullmatch(month):
        raise ValueError(f"month {month!r} is not yyyy-mm")
    return {"month": month, "invoices": billing.run(month, now)}
