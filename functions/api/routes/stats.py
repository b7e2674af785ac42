"""/api/stats: statistics over the hourly rollups, narrowed to what the caller may see."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from auth import current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel

from partnerka.common.config import get_settings
from partnerka.stats.models import GroupBy, StatsRow
from partnerka.stats.repository import StatsRepository
from partnerka.stats.service import StatsFilter, build_report, visible_scope

router = Router()  # type: ignore[no-untyped-call]


class StatsRowOut(BaseModel):
    key: str
    clicks: int
    """Clicks that reached a landing."""
    unique: int
    """Of `clicks`: a visitor's first on a link within 24 hours (address and browser)."""
    bots: int
    """Of `clicks`: crawlers by the full User-Agent classification, run after the redirect."""
    flood: int
    """Of `clicks`: past the hourly limit of clicks from one address to the advertiser."""
    datacenter: int
    """Of `clicks`: from a cloud or hosting network's address."""
    blocked: int
    """Clicks a check refused (paused offer, GEO, bot, …), kept with their reason."""
    leads: int
    sales: int
    rejected: int
    revenue: dict[str, int]
    """Minor units per ISO-4217 currency."""
    payout: dict[str, int]

    @classmethod
    def of(cls, row: StatsRow) -> StatsRowOut:
        return cls(
            key=row.key,
            clicks=row.clicks,
            unique=row.unique,
            bots=row.bots,
            flood=row.flood,
            datacenter=row.datacenter,
            blocked=row.blocked,
            leads=row.leads,
            sales=row.sales,
            rejected=row.rejected,
            revenue=row.revenue,
            payout=row.payout,
        )


class StatsReportOut(BaseModel):
    advertiser_id: str
    date_from: date
    date_to: date
    group_by: GroupBy
    rows: list[StatsRowOut]
    totals: StatsRowOut


@router.get("/", summary="Statistics for a date range (UTC days, inclusive)")
def get_stats(
    date_from: Annotated[date, Query(alias="from")],
    date_to: Annotated[date, Query(alias="to")],
    group_by: Annotated[GroupBy, Query()] = GroupBy.DAY,
    advertiser_id: Annotated[str | None, Query()] = None,
    offer_id: Annotated[str | None, Query()] = None,
    affiliate_id: Annotated[str | None, Query()] = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
) -> StatsReportOut:
    principal, _ = current(router.current_event.headers)
    advertiser, where = visible_scope(
        principal, advertiser_id, StatsFilter(offer_id=offer_id, affiliate_id=affiliate_id, country=country)
    )
    report = build_report(
        StatsRepository(get_settings().stats_table), advertiser, date_from, date_to, group_by, where
    )
    return StatsReportOut(
        advertiser_id=advertiser,
        date_from=date_from,
        date_to=date_to,
        group_by=report.group_by,
        rows=[StatsRowOut.of(row) for row in report.rows],
        totals=StatsRowOut.of(report.totals),
    )
