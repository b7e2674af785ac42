"""Statistics cubes: what the orchestrator keeps so every dashboard query reads a few thousand items.

One cube per dimension of an advertiser's traffic, plus a total:

    PK `ADV#<advertiser>#<dimension>`   SK `<yyyy-mm-dd>#<value>`     (UTC day)
    dimension: total (value "-"), offer, affiliate, country, device, os, browser

Each item holds the day's figures (`clicks`, `sales`, `revenue_USD`, …) and the same per UTC hour
(`clicks@05`, …), so a report in any whole-hour time zone is exact: whole days read the day figures,
the two edge days read the hours that fall inside the range.

Why one-dimensional cubes: a stream batch writes one item per distinct (cube, day, value) it touches,
and on skewed traffic a batch of 1,000 clicks touches a few hundred (the affiliate cube the most);
a cube per pair of dimensions would touch one item per click. A query with one filter and one
grouping is served by the cubes: group by the filter's own dimension or by time reads exact keys
(BatchGetItem of the days asked); group by a dimension with no filter reads that cube's range.
Queries that combine dimensions (affiliate + offer, two filters, sub-ids) read the raw events of the
range instead (see stats.raw), which costs reads only when someone asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from partnerka.common.clock import hour_bucket
from partnerka.stats.models import Increments

DIMENSIONS = ("offer", "affiliate", "country", "device", "os", "browser")
TOTAL = "total"
NO_VALUE = "-"


@dataclass(frozen=True, slots=True)
class Facts:
    """Where one event belongs: its advertiser, UTC hour, dimension values and sub-ids (the cubes
    leave sub-ids out; the raw reports filter and group by them)."""

    advertiser_id: str
    at: datetime
    offer: str
    affiliate: str
    country: str
    device: str
    os: str
    browser: str
    subs: dict[str, str] = field(default_factory=dict)

    @property
    def hour(self) -> str:
        return hour_bucket(self.at)

    def value(self, dimension: str) -> str:
        """A dimension's value, a sub-id's (`sub1`; "" when absent), or "-" for the total."""
        if dimension == TOTAL:
            return NO_VALUE
        if dimension.startswith("sub"):
            return self.subs.get(dimension, "")
        return str(getattr(self, dimension))


@dataclass(frozen=True, slots=True, order=True)
class CubeKey:
    advertiser_id: str
    dimension: str  # TOTAL or one of DIMENSIONS
    day: str  # yyyy-mm-dd (UTC)
    value: str

    @property
    def pk(self) -> str:
        return f"ADV#{self.advertiser_id}#{self.dimension}"

    @property
    def sk(self) -> str:
        return f"{self.day}#{self.value}"


def hourly(attribute: str, hour: str) -> str:
    """`clicks` in hour `2026-11-27T05` → `clicks@05`."""
    return f"{attribute}@{hour[-2:]}"


def cube_increments(facts: Facts, increments: Increments) -> dict[CubeKey, Increments]:
    """One event's increments, for the day and for its hour, in the total and in every dimension."""
    hour = facts.hour
    both: Increments = dict(increments)
    both.update({hourly(name, hour): amount for name, amount in increments.items()})
    return {
        CubeKey(facts.advertiser_id, dimension, hour[:10], facts.value(dimension)): both
        for dimension in (TOTAL, *DIMENSIONS)
    }


def merge_into(target: dict[CubeKey, Increments], more: dict[CubeKey, Increments]) -> None:
    """Aggregate: a batch writes each cube item once, however many of its events fall in it."""
    for key, increments in more.items():
        row = target.setdefault(key, {})
        for name, amount in increments.items():
            row[name] = row.get(name, 0) + amount
