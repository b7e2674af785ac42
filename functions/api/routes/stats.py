"""/api/stats: reports, the click log and the conversion log, narrowed to what the caller may see
(`partnerka.stats.service.scoped_request`, the one rule for every statistics endpoint)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, get_args

from auth import current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from composition.stats import stats_dashboard
from pydantic import BaseModel, ConfigDict, Field

from partnerka.common.clock import iso_millis
from partnerka.stats.click_log import LoggedClick
from partnerka.stats.metrics import derive
from partnerka.stats.models import StatsRow
from partnerka.stats.service import GROUPS, SORTS, StatsQuery
from partnerka.tracking.models import SUB_KEYS
from routes.conversions import ConversionOut, conversions_out

router = Router()  # type: ignore[no-untyped-call]

GroupName = Literal[
    "day", "hour", "none", "advertiser", "offer", "affiliate", "country", "device", "os", "browser",
    "sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10",
]  # fmt: skip
SortName = Literal[
    "key", "clicks", "unique", "bots", "flood", "datacenter", "blocked", "leads", "sales", "rejected",
    "hold", "conversions", "cr", "roi", "revenue", "payout", "profit", "epc",
]  # fmt: skip
assert set(get_args(GroupName)) == set(GROUPS)
assert set(get_args(SortName)) == set(SORTS)


class StatsFilters(BaseModel):
    """The filters every statistics endpoint takes: the range in the user's time zone, and values
    that must all hold."""

    model_config = ConfigDict(populate_by_name=True)

    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    tz: str = Field(
        "UTC", max_length=64, description="IANA time zone of the range's days, e.g. Europe/Moscow"
    )
    advertiser_id: str | None = Field(None, max_length=40)
    offer_id: str | None = Field(None, max_length=40)
    affiliate_id: str | None = Field(None, max_length=40)
    country: str | None = Field(None, min_length=2, max_length=2)
    device: str | None = Field(None, max_length=20)
    os: str | None = Field(None, max_length=40)
    browser: str | None = Field(None, max_length=40)
    sub1: str | None = Field(None, max_length=200)
    sub2: str | None = Field(None, max_length=200)
    sub3: str | None = Field(None, max_length=200)
    sub4: str | None = Field(None, max_length=200)
    sub5: str | None = Field(None, max_length=200)
    sub6: str | None = Field(None, max_length=200)
    sub7: str | None = Field(None, max_length=200)
    sub8: str | None = Field(None, max_length=200)
    sub9: str | None = Field(None, max_length=200)
    sub10: str | None = Field(None, max_length=200)
    click_id: str | None = Field(None, max_length=64)

    def query(self) -> StatsQuery:
        named = {"offer": self.offer_id, "affiliate": self.affiliate_id}
        named |= self.model_dump(include={"country", "device", "os", "browser", *SUB_KEYS})
        return StatsQuery(self.date_from, self.date_to, self.tz, self.advertiser_id, named, self.click_id)


class ReportParams(StatsFilters):
    group_by: GroupName = "day"
    sort: SortName | None = None
    """Default: by key (oldest first) for day and hour, by clicks (most first) otherwise."""
    desc: bool | None = None
    offset: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=1000)


class LogParams(StatsFilters):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=500)


class ConversionLogParams(LogParams):
    status: Literal["pending", "hold", "approved", "rejected"] | None = None


class StatsRowOut(BaseModel):
    key: str
    """The group: a local day (`2026-11-27`), hour (`2026-11-27T05`), id or value; `total` for totals."""
    label: str
    """The offer's, affiliate's or advertiser's name when grouped by one, else the key."""
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
    """Sales and the offers' own goals."""
    rejected: int
    hold: int
    """Of `leads` and `sales`: still awaiting approval (on hold, or pending the advertiser's decision)."""
    conversions: int
    """leads + sales."""
    cr: float | None
    """conversions / clicks * 100 (percent); null without clicks."""
    revenue: dict[str, int] | None
    """Minor units per ISO-4217 currency; null for affiliates."""
    payout: dict[str, int]
    """Minor units per currency."""
    profit: dict[str, int] | None
    """revenue - payout per currency, minor units; null for affiliates."""
    epc: dict[str, float]
    """payout / clicks per currency, minor units."""
    roi: dict[str, float | None] | None
    """profit / payout * 100 per currency (percent; null without payout); null for affiliates."""


def row_out(row: StatsRow, label: str, sees_revenue: bool) -> StatsRowOut:
    derived = derive(row)
    return StatsRowOut(
        key=row.key,
        label=label,
        clicks=row.clicks,
        unique=row.unique,
        bots=row.bots,
        flood=row.flood,
        datacenter=row.datacenter,
        blocked=row.blocked,
        leads=row.leads,
        sales=row.sales,
        rejected=row.rejected,
        hold=row.hold,
        conversions=derived.conversions,
        cr=derived.cr,
        revenue=row.revenue if sees_revenue else None,
        payout=row.payout,
        profit=derived.profit if sees_revenue else None,
        epc=derived.epc,
        roi=derived.roi if sees_revenue else None,
    )


class StatsReportOut(BaseModel):
    advertiser_id: str | None
    """The advertiser reported on; null when a platform report covers every advertiser."""
    date_from: date
    date_to: date
    tz: str
    group_by: GroupName
    sort: SortName
    desc: bool
    rows: list[StatsRowOut]
    """One page of the rows, in the order asked."""
    total_rows: int
    offset: int
    limit: int
    totals: StatsRowOut


@router.get(
    "/stats", summary="A statistics report: every metric, filtered and grouped, in the user's time zone"
)
def get_stats(params: Annotated[ReportParams, Query()]) -> StatsReportOut:
    principal, _ = current(router.current_event.headers)
    report = stats_dashboard().report(
        principal, params.query(), params.group_by, params.sort, params.desc, params.offset, params.limit
    )
    return StatsReportOut(
        **params.model_dump(include={"date_from", "date_to", "tz", "group_by", "offset", "limit"}),
        advertiser_id=report.advertiser_id,
        sort=report.sort,  # type: ignore[arg-type]
        desc=report.desc,
        rows=[row_out(row, report.names.get(row.key, row.key), report.sees_revenue) for row in report.rows],
        total_rows=report.total_rows,
        totals=row_out(report.totals, "total", report.sees_revenue),
    )


class ClickLogRowOut(BaseModel):
    click_id: str
    created_at: str
    advertiser_id: str
    offer_id: str
    affiliate_id: str
    country: str
    device: str
    os: str
    browser: str
    subs: dict[str, str]
    reason: str | None
    """Why a check refused the click; null when it reached a landing."""
    flags: list[str]
    """The orchestrator's verdict: unique, bots, flood, datacenter."""


class ClickLogOut(BaseModel):
    items: list[ClickLogRowOut]
    next_cursor: str | None


def click_row(click: LoggedClick) -> ClickLogRowOut:
    f = click.facts
    return ClickLogRowOut(
        click_id=click.click_id,
        created_at=iso_millis(f.at),
        advertiser_id=f.advertiser_id,
        offer_id=f.offer,
        affiliate_id=f.affiliate,
        country=f.country,
        device=f.device,
        os=f.os,
        browser=f.browser,
        subs=f.subs,
        reason=click.reason or None,
        flags=sorted(click.flags),
    )


@router.get(
    "/stats/clicks", summary="The click log: the clicks behind a report, newest first, a page at a time"
)
def get_click_log(params: Annotated[LogParams, Query()]) -> ClickLogOut:
    principal, _ = current(router.current_event.headers)
    page = stats_dashboard().click_log(principal, params.query(), params.cursor, params.limit)
    return ClickLogOut(items=[click_row(c) for c in page.items], next_cursor=page.next_cursor)


class ConversionLogOut(BaseModel):
    items: list[ConversionOut]
    next_cursor: str | None


@router.get("/stats/conversions", summary="The conversion log: filtered like a report, newest first, paged")
def get_conversion_log(params: Annotated[ConversionLogParams, Query()]) -> ConversionLogOut:
    principal, _ = current(router.current_event.headers)
    page = stats_dashboard().conversion_log(
        principal, params.query(), params.status, params.cursor, params.limit
    )
    return ConversionLogOut(items=conversions_out(page.conversions), next_cursor=page.next_cursor)
