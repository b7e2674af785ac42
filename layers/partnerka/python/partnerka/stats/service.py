"""Statistics reports: who may see what (one rule for every statistics endpoint), and which store
answers a report (the cubes when they hold it, the raw events of the range otherwise)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from zoneinfo import ZoneInfo

from partnerka.accounts.permissions import Permission, allows
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden, ValidationFailed
from partnerka.stats.analytics_reports import EngineReports, run_to_end, selection
from partnerka.stats.click_log import ClickLogStore
from partnerka.stats.cpc import CPC, PaidHour, paid_hours
from partnerka.stats.cube_store import CubeStore, read_in_parallel
from partnerka.stats.engine import (
    BY_ADVERTISER,
    NO_GROUP,
    TIME_GROUPS,
    Report,
    ReportQuery,
    answerable,
    cube_report,
)
from partnerka.stats.metrics import derive
from partnerka.stats.models import COUNTERS, StatsRow
from partnerka.stats.raw import RAW_DIMENSIONS, Conversions, PaidClicks, RawQuery, raw_report

GROUPS = (*TIME_GROUPS, NO_GROUP, BY_ADVERTISER, *RAW_DIMENSIONS)
FILTERS = RAW_DIMENSIONS
MONEY_SORTS = ("revenue", "payout", "profit", "epc", "cpc_payout")
SORTS = ("key", *COUNTERS, "conversions", "cr", "roi", *MONEY_SORTS)


@dataclass(frozen=True, slots=True)
class StatsScope:
    """What a principal's statistics request covers, decided once for every statistics endpoint."""

    advertiser_id: str | None  # None: every advertiser (platform staff who named none)
    affiliate_id: str | None  # set: only this affiliate's rows
    sees_revenue: bool  # affiliates see their payout, never the advertiser's revenue or profit

    def covers(self, advertiser_id: str, affiliate_id: str) -> bool:
        """Whether one click, conversion or delivery of (advertiser, affiliate) is in the scope."""
        return (self.advertiser_id is None or advertiser_id == self.advertiser_id) and (
            self.affiliate_id is None or affiliate_id == self.affiliate_id
        )


def visible_scope(
    principal: Principal, advertiser_id: str | None, affiliate_id: str | None = None
) -> StatsScope:
    """Platform staff (Owner, Admin, Support) see everything, narrowed by the advertiser they name; an
    advertiser sees its own tenant; an affiliate only its own traffic within the advertiser context it
    switched to. Naming anything outside the scope is refused, never silently widened or emptied."""
    sees_revenue = allows(principal, Permission.REVENUE_READ)
    if allows(principal, Permission.STATS_READ_ANY_ADVERTISER):
        return StatsScope(advertiser_id or None, None, sees_revenue)
    if advertiser_id and advertiser_id != principal.advertiser_id:
        raise Forbidden("statistics of another advertiser")
    if allows(principal, Permission.STATS_READ_OWN_ADVERTISER) and principal.advertiser_id:
        return StatsScope(principal.advertiser_id, None, sees_revenue)
    if allows(principal, Permission.STATS_READ_OWN_AFFILIATE) and principal.affiliate_id:
        if not principal.advertiser_id:
            raise Forbidden("select an advertiser first")
        if affiliate_id and affiliate_id != principal.affiliate_id:
            raise Forbidden("statistics of another affiliate")
        return StatsScope(principal.advertiser_id, principal.affiliate_id, sees_revenue)
    raise Forbidden("statistics are not available to this account")


def may_inspect(principal: Principal, advertiser_id: str, affiliate_id: str) -> bool:
    """Whether the principal may see one click or conversion of `advertiser_id` sent by `affiliate_id`."""
    try:
        return visible_scope(principal, None).covers(advertiser_id, affiliate_id)
    except Forbidden:
        return False


@dataclass(frozen=True, slots=True)
class StatsRequest:
    date_from: date  # local days of `tz`, inclusive
    date_to: date
    tz: ZoneInfo
    group_by: str  # one of GROUPS
    filters: tuple[tuple[str, str], ...] = ()  # (one of FILTERS, value), all must hold
    click_id: str | None = None

    def within(self, scope: StatsScope) -> StatsRequest:
        """The request with the scope's affiliate as a filter (the scope has refused any other)."""
        if scope.affiliate_id is None:
            return self
        kept = tuple((name, value) for name, value in self.filters if name != "affiliate")
        return replace(self, filters=(("affiliate", scope.affiliate_id), *kept))


def parse_request(
    date_from: date,
    date_to: date,
    tz: str,
    group_by: str,
    filters: dict[str, str | None],
    click_id: str | None = None,
) -> StatsRequest:
    """A request from the API's parameters, with every mistake named."""
    try:
        zone = ZoneInfo(tz)
    except (ValueError, KeyError, OSError):
        raise ValidationFailed(f"unknown time zone {tz!r}: use an IANA name such as Europe/Moscow") from None
    if group_by not in GROUPS:
        raise ValidationFailed(f"group_by must be one of {', '.join(GROUPS)}")
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise ValidationFailed(f"unknown filters: {', '.join(unknown)}")
    if any("\x00" in (value or "") for value in [*filters.values(), click_id]):
        raise ValidationFailed("a filter cannot hold the NUL character")
    kept = tuple(
        sorted(
            (name, value.upper() if name == "country" else value) for name, value in filters.items() if value
        )
    )
    request = StatsRequest(date_from, date_to, zone, group_by, kept, click_id or None)
    ReportQuery("", date_from, date_to, zone, NO_GROUP).utc_hours()  # validates the range
    return request


@dataclass(frozen=True, slots=True)
class StatsQuery:
    """What a statistics endpoint was asked, as sent: the range in `tz`'s days, the advertiser
    (platform staff's choice), values that must all hold (offer, affiliate, country, …) and a click."""

    date_from: date
    date_to: date
    tz: str = "UTC"
    advertiser_id: str | None = None
    filters: Mapping[str, str | None] = field(default_factory=dict)
    click_id: str | None = None


@dataclass(frozen=True, slots=True)
class Scoped:
    """A query narrowed to what its caller may see: the scope, the advertisers it covers, and the
    request with the scope's affiliate as a filter."""

    scope: StatsScope
    advertisers: list[str]
    request: StatsRequest


def scoped_request(
    principal: Principal, query: StatsQuery, group_by: str, every_advertiser: Callable[[], list[str]]
) -> Scoped:
    """The one path from what a statistics endpoint was asked to what it reads (`visible_scope`):
    platform staff who name no advertiser read `every_advertiser()`."""
    scope = visible_scope(principal, query.advertiser_id, query.filters.get("affiliate"))
    request = parse_request(
        query.date_from, query.date_to, query.tz, group_by, dict(query.filters), query.click_id
    ).within(scope)
    if scope.advertiser_id is not None:
        return Scoped(scope, [scope.advertiser_id], request)
    return Scoped(scope, sorted(every_advertiser()), request)


@dataclass(frozen=True, slots=True)
class Sources:
    """Where reports read: the cubes; for what they cannot answer, the analytics store through its
    query engine (`engine`), or, where a deployment has none, the click log and the stored
    conversions, read from DynamoDB."""

    cubes: CubeStore
    log: ClickLogStore
    conversions: Conversions
    engine: EngineReports | None = None


def cube_query(advertiser_id: str, request: StatsRequest) -> ReportQuery | None:
    """The cubes' query for the request, when they hold it (one filter at most, on the grouped
    dimension or with a grouping by time; no click)."""
    group = NO_GROUP if request.group_by == BY_ADVERTISER else request.group_by
    filters = dict(request.filters)
    if request.click_id is not None or len(filters) > 1:
        return None
    query = ReportQuery(
        advertiser_id,
        request.date_from,
        request.date_to,
        request.tz,
        group,
        next(iter(filters.items()), None),
    )
    return query if answerable(query) else None


def advertiser_report(sources: Sources, advertiser_id: str, request: StatsRequest) -> Report:
    """One advertiser's report, from the cubes when they hold it (one filter at most, on the grouped
    dimension or with a grouping by time), else from the raw events of the range (stats.raw): any
    filters together, sub-ids, one click. Grouping by advertiser is the advertiser's total."""
    group = NO_GROUP if request.group_by == BY_ADVERTISER else request.group_by
    query = cube_query(advertiser_id, request)
    report = cube_report(sources.cubes, query) if query is not None else None
    if report is None:
        raw = RawQuery(
            advertiser_id,
            request.date_from,
            request.date_to,
            request.tz,
            group,
            request.filters,
            request.click_id,
        )
        report = raw_report(sources.log, sources.conversions, raw, paid_clicks(sources))
    if request.group_by == BY_ADVERTISER:
        return Report(
            rows={advertiser_id: replace(report.totals, key=advertiser_id)} if _any(report) else {},
            totals=report.totals,
        )
    return report


def from_engine(request: StatsRequest) -> bool:
    """Whether the cubes cannot answer the request (the answer does not depend on the advertiser)."""
    return cube_query("", request) is None


def _paid(sources: Sources, advertiser_id: str, day: str) -> Iterator[PaidHour]:
    return paid_hours(sources.cubes.days(advertiser_id, CPC, day, day))


def _any(report: Report) -> bool:
    return any(report.totals.values().values())


def paid_clicks(sources: Sources) -> PaidClicks:
    return lambda advertiser, day: _paid(sources, advertiser, day)


def build_report(sources: Sources, advertisers: Sequence[str], request: StatsRequest) -> Report:
    """The report over one or more advertisers (platform staff who named none see them all): from
    the cubes when they hold it, merged row by row; else from the analytics engine, one query over
    them all, waited for however long it takes (`from_engine`); else from DynamoDB's raw events."""
    if sources.engine is not None and from_engine(request) and advertisers:
        return run_to_end(sources.engine, selection(advertisers, request), paid_clicks(sources))
    jobs: list[Callable[[], Report]] = [
        lambda advertiser=advertiser: advertiser_report(sources, advertiser, request)  # type: ignore[misc]
        for advertiser in advertisers
    ]
    merged = Report(rows={}, totals=StatsRow(key="total"))
    for report in read_in_parallel(jobs) if jobs else []:
        for key, row in report.rows.items():
            merged.rows.setdefault(key, StatsRow(key=key)).add(row.values())
        merged.totals.add(report.totals.values())
    return merged


def primary_currency(totals: StatsRow) -> str | None:
    """The currency money columns sort by: the one with the most payout (else revenue)."""
    for money in (totals.payout, totals.revenue):
        if money:
            return max(sorted(money), key=lambda currency: money[currency])
    return None


def sort_order(group_by: str, sort: str | None, descending: bool | None) -> tuple[str, bool]:
    """What rows sort by, and whether most first: by key (time groupings' default, oldest first), else
    by clicks (most first), unless asked otherwise."""
    if sort is not None and sort not in SORTS:
        raise ValidationFailed(f"sort must be one of {', '.join(SORTS)}")
    by = sort or ("key" if group_by in TIME_GROUPS else "clicks")
    return by, descending if descending is not None else by != "key"


def sorted_rows(report: Report, group_by: str, sort: str | None, descending: bool | None) -> list[StatsRow]:
    """Rows in the order asked (`sort_order`): by key, by a counter or a derived metric; money by
    the primary currency."""
    by, desc = sort_order(group_by, sort, descending)
    currency = primary_currency(report.totals)

    if by == "key":
        return sorted(report.rows.values(), key=lambda row: row.key, reverse=desc)

    def value(row: StatsRow) -> float | None:
        if by in COUNTERS:
            return float(getattr(row, by))
        derived = derive(row)
        figures: dict[str, float | None] = {
            "conversions": derived.conversions,
            "cr": derived.cr,
            "revenue": row.revenue.get(currency or "", 0),
            "payout": row.payout.get(currency or "", 0),
            "profit": derived.profit.get(currency or "", 0),
            "epc": derived.epc.get(currency or "", 0.0),
            "cpc_payout": row.cpc_payout.get(currency or "", 0),
            "roi": derived.roi.get(currency or ""),
        }
        found = figures[by]
        return None if found is None else float(found)

    def order(row: StatsRow) -> tuple[bool, float, str]:
        """Rows without the figure (no CR without clicks) last, then by it, ties by key."""
        found = value(row)
        return (found is None, 0.0 if found is None else -found if desc else found, row.key)

    return sorted(report.rows.values(), key=order)
