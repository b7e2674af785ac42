"""/api/stats/fraud's answer: the traffic-quality report's rows, totals and trend."""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from pydantic import BaseModel

from partnerka.stats.fraud_report import FLAGS, FRAUD_GROUPS, TrafficQuality

FraudGroupName = Literal["affiliate", "offer", "sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10"]  # fmt: skip
assert set(get_args(FraudGroupName)) == set(FRAUD_GROUPS)


class FlagCountsOut(BaseModel):
    """Clicks by what traffic quality found (a click can carry several flags)."""

    bots: int
    """Crawlers by the full User-Agent classification."""
    datacenter: int
    """From a cloud or hosting network's address."""
    flood: int
    """Past the hourly limit of clicks from one address to the advertiser."""
    duplicate: int
    """Not the visitor's first click on the link within 24 hours (clicks - unique)."""


class FlagSharesOut(BaseModel):
    """Each flag's clicks / `clicks` * 100 (percent); null without clicks."""

    bots: float | None
    datacenter: float | None
    flood: float | None
    duplicate: float | None


assert set(FlagCountsOut.model_fields) == set(FlagSharesOut.model_fields) == set(FLAGS)


class TrafficQualityOut(BaseModel):
    key: str
    """The affiliate's or offer's id, the sub-id's value, or a local day (`2026-11-27`) in the trend;
    `total` for the totals."""
    label: str
    """The offer's or affiliate's name when grouped by one, else the key."""
    requests: int
    """Every click the tracker saw: `clicks` + `refused`."""
    clicks: int
    """Clicks that reached a landing (the ones judged after the redirect)."""
    flagged: FlagCountsOut
    """Of `clicks`: what traffic quality found."""
    flagged_shares: FlagSharesOut
    refused: int
    """Clicks a click-time check refused."""
    refused_by_reason: dict[str, int]
    """`refused` by the check (`blocked_by_rule`, `bot`, `geo_blocked`, `affiliate_suspended`, …)."""
    refused_share: float | None
    """`refused` / `requests` * 100 (percent); null without requests."""
    refused_shares: dict[str, float | None]
    """Each reason's clicks / `requests` * 100 (percent)."""
    held_by_rule: int
    """Conversions a fraud rule held for review when they arrived."""
    rejected_by_rule: int
    """Conversions a fraud rule rejected when they arrived."""
    arrived_conversions: int
    """Every conversion that arrived, rejected ones included (leads + sales + rejected)."""


def quality_out(row: TrafficQuality, label: str) -> TrafficQualityOut:
    return TrafficQualityOut(
        key=row.key,
        label=label,
        requests=row.requests,
        clicks=row.clicks,
        flagged=FlagCountsOut(**row.flagged),
        flagged_shares=FlagSharesOut(**row.flagged_shares),
        refused=row.refused,
        refused_by_reason=row.refused_by_reason,
        refused_share=row.refused_share,
        refused_shares=row.refused_shares,
        held_by_rule=row.held_by_rule,
        rejected_by_rule=row.rejected_by_rule,
        arrived_conversions=row.arrived_conversions,
    )


class FraudReportOut(BaseModel):
    advertiser_id: str | None
    """The advertiser reported on; null when a platform report covers every advertiser."""
    date_from: date
    date_to: date
    tz: str
    group_by: FraudGroupName
    rows: list[TrafficQualityOut]
    """One page of the rows, most traffic (`requests`) first."""
    total_rows: int
    offset: int
    limit: int
    totals: TrafficQualityOut
    trend: list[TrafficQualityOut]
    """The totals of every local day of the range, oldest first (days without traffic included)."""
