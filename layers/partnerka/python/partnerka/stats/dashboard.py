"""The statistics the dashboard reads: reports, the click log and the conversion log, each narrowed to
what the caller may see (`scoped_request`, the one rule for every statistics endpoint)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from partnerka.accounts.tokens import Principal
from partnerka.analytics.engines import QueryState
from partnerka.common.errors import NotFound, ValidationFailed
from partnerka.conversions.review import NamedConversions, named
from partnerka.offers.names import NameBook
from partnerka.stats.analytics_reports import cancel, finished_report, selection, start_or_follow
from partnerka.stats.click_log import LoggedClick
from partnerka.stats.engine import NO_GROUP, Report
from partnerka.stats.fraud_report import FRAUD_GROUPS, TrafficQuality, fraud_report
from partnerka.stats.logs import ConversionsNewestFirst, click_page, conversion_page
from partnerka.stats.models import StatsRow
from partnerka.stats.names import group_names
from partnerka.stats.service import (
    Sources,
    StatsQuery,
    build_report,
    from_engine,
    paid_clicks,
    scoped_request,
    sort_order,
    sorted_rows,
)


@dataclass(frozen=True, slots=True)
class ReportPage:
    advertiser_id: str | None  # None: a platform report over every advertiser
    sort: str
    desc: bool
    rows: list[StatsRow]  # the page asked for, in order
    names: dict[str, str]  # the names of the page's keys, when it groups by offer, affiliate or advertiser
    total_rows: int
    totals: StatsRow
    sees_revenue: bool
    query: QueryState | None = None  # the analytics engine's query: running (no rows yet) or done


@dataclass(frozen=True, slots=True)
class FraudReportPage:
    advertiser_id: str | None  # None: every advertiser (platform staff who named none)
    rows: list[TrafficQuality]  # the page asked for, most traffic first
    names: dict[str, str]  # the names of the page's offers or affiliates
    total_rows: int
    totals: TrafficQuality
    trend: list[TrafficQuality]  # the totals day by day


@dataclass(frozen=True, slots=True)
class ClickPage:
    items: list[LoggedClick]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ConversionPage:
    conversions: NamedConversions
    next_cursor: str | None


class StatsDashboard:
    def __init__(
        self,
        sources: Sources,
        conversions_newest_first: ConversionsNewestFirst,
        names: NameBook,
        every_advertiser: Callable[[], list[str]],
    ) -> None:
        """`every_advertiser()`: the ids of every advertiser, for platform reports."""
        self._sources = sources
        self._conversions = conversions_newest_first
        self._names = names
        self._every_advertiser = every_advertiser

    def report(
        self,
        principal: Principal,
        query: StatsQuery,
        group_by: str,
        sort: str | None,
        desc: bool | None,
        offset: int,
        limit: int,
        query_id: str | None = None,
    ) -> ReportPage:
        """Every metric, filtered and grouped in the query's time zone; one page of rows, in the
        order asked (`sort_order`), with the totals of them all. A report the cubes cannot answer is
        a query of the analytics engine: when it is not done within a few seconds, the page has no
        rows and the query's progress, and the caller asks again with its `query_id`."""
        scoped = scoped_request(principal, query, group_by, self._every_advertiser)
        by, descending = sort_order(group_by, sort, desc)
        engine = self._sources.engine
        state: QueryState | None = None
        if engine is not None and from_engine(scoped.request) and scoped.advertisers:
            chosen = selection(scoped.advertisers, scoped.request)
            state = start_or_follow(engine, chosen, principal.user_id, query_id)
            # While the query runs the page has no rows yet, only the query's progress.
            report = (
                finished_report(engine, chosen, state.query_id, paid_clicks(self._sources))
                if state.finished
                else Report(rows={}, totals=StatsRow(key="total"))
            )
        else:
            report = build_report(self._sources, scoped.advertisers, scoped.request)
        rows = sorted_rows(report, group_by, sort, desc)
        page = rows[offset : offset + limit]
        return ReportPage(
            advertiser_id=scoped.scope.advertiser_id,
            sort=by,
            desc=descending,
            rows=page,
            names=group_names(group_by, [row.key for row in page], scoped.advertisers, self._names)
            if page
            else {},
            total_rows=len(rows),
            totals=report.totals,
            sees_revenue=scoped.scope.sees_revenue,
            query=state,
        )

    def cancel_query(self, principal: Principal, query_id: str) -> None:
        """Stop one of the caller's own report queries (another's id is not found)."""
        engine = self._sources.engine
        if engine is None:
            raise NotFound("no such query")
        cancel(engine, principal.user_id, query_id)

    def fraud_report(
        self, principal: Principal, query: StatsQuery, group_by: str, offset: int, limit: int
    ) -> FraudReportPage:
        """Traffic quality by affiliate, offer or sub-id (stats.fraud_report): one page of rows, most
        traffic first, with the totals of them all and their trend by day. An affiliate sees its own
        traffic only, like every statistics report: the same flags already show in its reports and
        click log, and it needs them most, to drop the sources that send bots."""
        if group_by not in FRAUD_GROUPS:
            raise ValidationFailed(f"group_by must be one of {', '.join(FRAUD_GROUPS)}")
        scoped = scoped_request(principal, query, group_by, self._every_advertiser)
        report = fraud_report(self._sources, scoped.advertisers, scoped.request)
        page = report.rows[offset : offset + limit]
        return FraudReportPage(
            advertiser_id=scoped.scope.advertiser_id,
            rows=page,
            names=group_names(group_by, [row.key for row in page], scoped.advertisers, self._names)
            if page
            else {},
            total_rows=len(report.rows),
            totals=report.totals,
            trend=report.trend,
        )

    def click_log(self, principal: Principal, query: StatsQuery, cursor: str | None, limit: int) -> ClickPage:
        """The clicks behind a report, newest first, a page at a time."""
        scoped = scoped_request(principal, query, NO_GROUP, self._every_advertiser)
        clicks, after = click_page(self._sources.log, scoped.advertisers, scoped.request, cursor, limit)
        return ClickPage(clicks, after)

    def conversion_log(
        self, principal: Principal, query: StatsQuery, status: str | None, cursor: str | None, limit: int
    ) -> ConversionPage:
        """The conversions behind a report (of one status, when named), newest first, a page at a time."""
        scoped = scoped_request(principal, query, NO_GROUP, self._every_advertiser)
        found, after = conversion_page(
            self._conversions, scoped.advertisers, scoped.request, status, cursor, limit
        )
        return ConversionPage(named(found, self._names, scoped.scope.sees_revenue), after)
