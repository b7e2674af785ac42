"""/api/stats' answers: a report's rows and totals, the click log's and the conversion log's pages."""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from pydantic import BaseModel

from partnerka.analytics.engines import QueryPhase, QueryState
from partnerka.common.clock import iso_millis
from partnerka.stats.click_log import LoggedClick
from partnerka.stats.metrics import derive
from partnerka.stats.models import StatsRow
from partnerka.stats.service import GROUPS, SORTS
from routes.conversions import ConversionOut

GroupName = Literal[
    "day", "hour", "none", "advertiser", "offer", "affiliate", "country", "device", "os", "browser",
    "sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10",
]  # fmt: skip
SortName = Literal[
    "key", "clicks", "unique", "bots", "flood", "datacenter", "blocked", "leads", "sales", "rejected",
    "hold", "held_by_rule", "rejected_by_rule", "cpc_clicks", "conversions", "cr", "roi", "revenue", "payout",
    "profit", "epc", "cpc_payout",
]  # fmt: skip
assert set(get_args(GroupName)) == set(GROUPS)
assert set(get_args(SortName)) == set(SORTS)


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
    refused: dict[str, int]
    """`blocked` by the check that refused them (`geo_blocked`, `blocked_by_rule`, …)."""
    leads: int
    sales: int
    """Sales and the offers' own goals."""
    rejected: int
    hold: int
    """Of `leads` and `sales`: still awaiting approval (on hold, or pending the advertiser's decision)."""
    cpc_clicks: int
    """Of `clicks`: those a CPC offer paid for (unique, not a bot, within the click goal's caps)."""
    held_by_rule: int
    """Conversions a fraud rule held for review when they arrived (whatever was decided since)."""
    rejected_by_rule: int
    """Conversions a fraud rule rejected when they arrived."""
    conversions: int
    """leads + sales."""
    cr: float | None
    """conversions / clicks * 100 (percent); null without clicks."""
    revenue: dict[str, int] | None
    """Minor units per ISO-4217 currency; null for affiliates."""
    payout: dict[str, int]
    """Minor units per currency: conversions' payouts and paid clicks' together."""
    cpc_payout: dict[str, int]
    """Of `payout`: what paid clicks earned, minor units per currency."""
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
        refused=row.refused,
        leads=row.leads,
        sales=row.sales,
        rejected=row.rejected,
        hold=row.hold,
        cpc_clicks=row.cpc_clicks,
        held_by_rule=row.held_by_rule,
        rejected_by_rule=row.rejected_by_rule,
        conversions=derived.conversions,
        cr=derived.cr,
        revenue=row.revenue if sees_revenue else None,
        payout=row.payout,
        cpc_payout=row.cpc_payout,
        profit=derived.profit if sees_revenue else None,
        epc=derived.epc,
        roi=derived.roi if sees_revenue else None,
    )


class QueryStateOut(BaseModel):
    """A report's query in the analytics engine (reports the cubes cannot answer)."""

    id: str
    """Send it back as `query_id` with the same report's parameters to follow it; DELETE
    /stats/queries/{id} cancels it."""
    state: Literal["running", "done"]
    scanned_bytes: int
    elapsed_ms: int
    progress: float | None
    """0 to 1 when the engine tells it; null when it does not (Athena: bytes scanned only)."""


def query_out(state: QueryState) -> QueryStateOut:
    return QueryStateOut(
        id=state.query_id,
        state="running" if state.phase == QueryPhase.RUNNING else "done",
        scanned_bytes=state.scanned_bytes,
        elapsed_ms=state.elapsed_ms,
        progress=state.progress,
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
    query: QueryStateOut | None = None
    """Null when the cubes answered; else the analytics engine's query. While it runs, `rows` is
    empty: ask again with `query_id` (about once a second)."""


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


class ConversionLogOut(BaseModel):
    items: list[ConversionOut]
    next_cursor: str | None
