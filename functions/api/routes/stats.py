"""/api/stats: reports, the click log and the conversion log, narrowed to what the caller may see
(`partnerka.stats.service.scoped_request`, the one rule for every statistics endpoint)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from auth import current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from composition.stats import stats_dashboard
from pydantic import BaseModel, ConfigDict, Field

from partnerka.stats.service import StatsQuery
from partnerka.tracking.models import SUB_KEYS
from routes.conversions import conversions_out
from routes.fraud_report_schemas import FraudGroupName, FraudReportOut, quality_out
from routes.responses import NoContent, no_content
from routes.stats_schemas import (
    ClickLogOut,
    ConversionLogOut,
    GroupName,
    SortName,
    StatsReportOut,
    click_row,
    query_out,
    row_out,
)

router = Router()  # type: ignore[no-untyped-call]


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
    query_id: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
    """The report's running query, as an earlier answer named it: follow it instead of starting one."""


class FraudReportParams(StatsFilters):
    group_by: FraudGroupName = "affiliate"
    offset: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=1000)


class LogParams(StatsFilters):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=500)


class ConversionLogParams(LogParams):
    status: Literal["pending", "hold", "approved", "rejected"] | None = None


@router.get(
    "/stats", summary="A statistics report: every metric, filtered and grouped, in the user's time zone"
)
def get_stats(params: Annotated[ReportParams, Query()]) -> StatsReportOut:
    principal, _ = current(router.current_event.headers)
    report = stats_dashboard().report(
        principal,
        params.query(),
        params.group_by,
        params.sort,
        params.desc,
        params.offset,
        params.limit,
        params.query_id,
    )
    return StatsReportOut(
        **params.model_dump(include={"date_from", "date_to", "tz", "group_by", "offset", "limit"}),
        advertiser_id=report.advertiser_id,
        sort=report.sort,  # type: ignore[arg-type]
        desc=report.desc,
        rows=[row_out(row, report.names.get(row.key, row.key), report.sees_revenue) for row in report.rows],
        total_rows=report.total_rows,
        totals=row_out(report.totals, "total", report.sees_revenue),
        query=query_out(report.query) if report.query else None,
    )


@router.delete(
    "/stats/queries/<query_id>",
    summary="Cancel one of the caller's running report queries",
    responses={204: {}},
)
def cancel_stats_query(
    query_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9-]+$")],
) -> NoContent:
    principal, _ = current(router.current_event.headers)
    stats_dashboard().cancel_query(principal, query_id)
    return no_content()


@router.get(
    "/stats/fraud",
    summary="Traffic quality: flagged and refused clicks by reason, and conversions fraud rules held or "
    "rejected, by affiliate, offer or sub-id, with the trend by day",
)
def get_fraud_report(params: Annotated[FraudReportParams, Query()]) -> FraudReportOut:
    principal, _ = current(router.current_event.headers)
    report = stats_dashboard().fraud_report(
        principal, params.query(), params.group_by, params.offset, params.limit
    )
    return FraudReportOut(
        **params.model_dump(include={"date_from", "date_to", "tz", "group_by", "offset", "limit"}),
        advertiser_id=report.advertiser_id,
        rows=[quality_out(row, report.names.get(row.key, row.key)) for row in report.rows],
        total_rows=report.total_rows,
        totals=quality_out(report.totals, "total"),
        trend=[quality_out(day, day.key) for day in report.trend],
    )


@router.get(
    "/stats/clicks", summary="The click log: the clicks behind a report, newest first, a page at a time"
)
def get_click_log(params: Annotated[LogParams, Query()]) -> ClickLogOut:
    principal, _ = current(router.current_event.headers)
    page = stats_dashboard().click_log(principal, params.query(), params.cursor, params.limit)
    return ClickLogOut(items=[click_row(c) for c in page.items], next_cursor=page.next_cursor)


@router.get("/stats/conversions", summary="The conversion log: filtered like a report, newest first, paged")
def get_conversion_log(params: Annotated[ConversionLogParams, Query()]) -> ConversionLogOut:
    principal, _ = current(router.current_event.headers)
    page = stats_dashboard().conversion_log(
        principal, params.query(), params.status, params.cursor, params.limit
    )
    return ConversionLogOut(items=conversions_out(page.conversions), next_cursor=page.next_cursor)
