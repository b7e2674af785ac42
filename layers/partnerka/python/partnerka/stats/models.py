"""Hourly statistics rollups and the reports built from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

COUNTERS = (
    "clicks",
    "unique",
    "bots",
    "flood",
    "datacenter",
    "blocked",
    "leads",
    "sales",
    "rejected",
    "hold",
)
MONEY_PREFIXES = ("revenue_", "payout_")


@dataclass(frozen=True, slots=True)
class RollupKey:
    """One rollup row. Key shape: Stats table, PK `ADV#<advertiser>`,
    SK `H#<yyyy-mm-ddThh>#O#<offer>#A#<affiliate>#C#<country>#D#<device>`.

    Every dimension is in the sort key, so a date range for one advertiser is one key-range query.
    """

    advertiser_id: str
    hour: str
    offer_id: str
    affiliate_id: str
    country: str
    device: str

    @property
    def pk(self) -> str:
        return f"ADV#{self.advertiser_id}"

    @property
    def sk(self) -> str:
        return f"H#{self.hour}#O#{self.offer_id}#A#{self.affiliate_id}#C#{self.country}#D#{self.device}"


Increments = dict[str, int]
"""Attribute → amount to ADD: one of COUNTERS, `revenue_<CUR>` or `payout_<CUR>`.

`unique`, `bots`, `flood` and `datacenter` are subsets of `clicks` (clicks that reached a landing),
judged by the orchestrator after the redirect; `blocked` clicks were refused by a click-time check."""


def money_attribute(kind: str, currency: str) -> str:
    """Money is kept per currency (`revenue_USD`), so sums never mix currencies."""
    return f"{kind}_{currency}"


class GroupBy(StrEnum):
    HOUR = "hour"
    DAY = "day"
    OFFER = "offer"
    AFFILIATE = "affiliate"
    COUNTRY = "country"
    DEVICE = "device"


@dataclass(slots=True)
class StatsRow:
    key: str
    clicks: int = 0
    unique: int = 0
    bots: int = 0
    flood: int = 0
    datacenter: int = 0
    blocked: int = 0
    leads: int = 0
    sales: int = 0
    rejected: int = 0
    hold: int = 0
    revenue: dict[str, int] = field(default_factory=dict)
    payout: dict[str, int] = field(default_factory=dict)

    def add(self, values: dict[str, int]) -> None:
        for name in COUNTERS:
            setattr(self, name, getattr(self, name) + values.get(name, 0))
        for name, amount in values.items():
            for prefix, target in (("revenue_", self.revenue), ("payout_", self.payout)):
                if name.startswith(prefix):
                    currency = name.removeprefix(prefix)
                    target[currency] = target.get(currency, 0) + amount


@dataclass(frozen=True, slots=True)
class StoredRollup:
    key: RollupKey
    values: dict[str, int]


@dataclass(slots=True)
class StatsReport:
    group_by: GroupBy
    rows: list[StatsRow]
    totals: StatsRow
