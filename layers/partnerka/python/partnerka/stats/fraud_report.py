"""The traffic-quality (fraud) report: per affiliate, offer or sub-id, how much of the traffic was
flagged and why, what the click path refused and why, and what fraud rules did to the conversions,
with the trend of the whole selection day by day.

It reads the same counters as every statistics report (stats.service.build_report: the cubes when
they hold the grouping, the raw events for sub-ids and combined filters), so its figures agree with
the reports page to the click. The shares are defined here once:

- flagged reasons (bots, datacenter, flood, duplicate) are shares of `clicks`, the clicks that
  reached a landing, since only those were judged after the redirect; `duplicate` is a click that
  was not its visitor's first within 24 hours (clicks - unique);
- refused clicks are shares of every click the tracker saw (`clicks + refused`), as they never
  reached a landing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from partnerka.stats.models import StatsRow
from partnerka.stats.service import Sources, StatsRequest, build_report
from partnerka.tracking.models import SUB_KEYS

FRAUD_GROUPS = ("affiliate", "offer", *SUB_KEYS)
FLAGS = ("bots", "datacenter", "flood", "duplicate")


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent (4 places, like CR); none of nothing."""
    return round(part * 100 / whole, 4) if whole else None


@dataclass(frozen=True, slots=True)
class TrafficQuality:
    """One row of the report: its counts and their shares."""

    key: str
    requests: int  # every click the tracker saw: clicks + refused
    clicks: int  # reached a landing
    flagged: dict[str, int]  # FLAGS → clicks
    refused: int
    refused_by_reason: dict[str, int]
    held_by_rule: int
    rejected_by_rule: int
    arrived_conversions: int  # leads + sales + rejected: every conversion that arrived

    @classmethod
    def of(cls, row: StatsRow) -> TrafficQuality:
        return cls(
            key=row.key,
            requests=row.clicks + row.blocked,
            clicks=row.clicks,
            flagged={
                "bots": row.bots,
                "datacenter": row.datacenter,
                "flood": row.flood,
                # `unique` is a subset of `clicks`; a refused click is neither unique nor a repeat
                "duplicate": row.clicks - row.unique,
            },
            refused=row.blocked,
            refused_by_reason={reason: n for reason, n in sorted(row.refused.items()) if n},
            held_by_rule=row.held_by_rule,
            rejected_by_rule=row.rejected_by_rule,
            arrived_conversions=row.leads + row.sales + row.rejected,
        )

    @property
    def flagged_shares(self) -> dict[str, float | None]:
        return {flag: share(n, self.clicks) for flag, n in self.flagged.items()}

    @property
    def refused_share(self) -> float | None:
        return share(self.refused, self.requests)

    @property
    def refused_shares(self) -> dict[str, float | None]:
        return {reason: share(n, self.requests) for reason, n in self.refused_by_reason.items()}


@dataclass(frozen=True, slots=True)
class FraudReport:
    rows: list[TrafficQuality]  # every row, most traffic first
    totals: TrafficQuality
    trend: list[TrafficQuality]  # the totals of each local day of the range, oldest first, none left out


def fraud_report(sources: Sources, advertisers: Sequence[str], request: StatsRequest) -> FraudReport:
    """The report of `request` (grouped by one of FRAUD_GROUPS) and the trend of its totals by day."""
    grouped = build_report(sources, advertisers, request)
    daily = build_report(sources, advertisers, replace(request, group_by="day"))
    rows = sorted(
        (TrafficQuality.of(row) for row in grouped.rows.values()),
        key=lambda quality: (-quality.requests, quality.key),
    )
    trend: list[TrafficQuality] = []
    day = request.date_from
    while day <= request.date_to:
        key = day.isoformat()
        trend.append(TrafficQuality.of(daily.rows.get(key, StatsRow(key=key))))
        day += timedelta(days=1)
    return FraudReport(rows, TrafficQuality.of(grouped.totals), trend)
